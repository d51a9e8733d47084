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

    /** Whether applying the operation to {@code root} changes it (a write always does). */
    boolean changes(XsNode root) {
        return switch (kind) {
            case WRITE -> true;
            case MKDIR -> XsTree.find(root, segments) == null;
            case REMOVE -> XsTree.find(root, segments) != null;
        };
    }

    /** Applies the operation to a tree as part of {@code edit} (see {@link XsTree}), returning the new root. */
    XsNode applyTo(XsNode root, long generation, Object edit) {
        return switch (kind) {
            case WRITE -> XsTree.write(root, segments, value, generation, edit);
            case MKDIR -> XsTree.mkdir(root, segments, generation, edit);
            case REMOVE -> XsTree.remove(root, segments, generation, edit);
        };
    }
}
