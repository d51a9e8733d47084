package org.xend.hypervisor.sim;

import java.util.List;

/** A mutation of the store, applied at once or logged by a transaction and replayed at commit. */
record XsOperation(Kind kind, String path, List<String> segments, String value) {

    enum Kind { WRITE, MKDIR, REMOVE }

    static XsOperation write(String path, List<String> segments, String value) {
        return new XsOperation(Kind.WRITE, path, segments, value);
    }

    static XsOperation mkdir(String path, List<String> segments) {
        return new XsOperation(Kind.MKDIR, path, segments, null);
    }

    static XsOperation remove(String path, List<String> segments) {
        return new XsOperation(Kind.REMOVE, path, segments, null);
    }

    /** Applies the operation to a tree, returning the new root. */
    XsNode applyTo(XsNode root, long generation) {
        return switch (kind) {
            case WRITE -> XsTree.write(root, segments, value, generation);
            case MKDIR -> XsTree.mkdir(root, segments, generation);
            case REMOVE -> XsTree.remove(root, segments, generation);
        };
    }
}
