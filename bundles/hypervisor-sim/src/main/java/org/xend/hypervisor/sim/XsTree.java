package org.xend.hypervisor.sim;

import java.util.List;

/** Operations on an immutable tree of {@link XsNode}s; each returns the new root (the same one if nothing changed). */
final class XsTree {

    /** The generation of a node that does not exist. */
    static final long ABSENT = 0;

    private XsTree() {
    }

    static XsNode find(XsNode root, List<String> segments) {
        XsNode node = root;
        for (String name : segments) {
            node = node.child(name);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    static long generationOf(XsNode root, List<String> segments) {
        XsNode node = find(root, segments);
        return node == null ? ABSENT : node.generation();
    }

    /** Sets the node's value, creating it and any missing parents with empty values. */
    static XsNode write(XsNode root, List<String> segments, String value, long generation) {
        return write(root, segments, 0, value, generation);
    }

    private static XsNode write(XsNode node, List<String> segments, int depth, String value, long generation) {
        if (depth == segments.size()) {
            return node.withValue(value, generation);
        }
        String name = segments.get(depth);
        XsNode child = node.child(name);
        XsNode updated = write(child == null ? XsNode.fresh(generation) : child, segments, depth + 1, value,
                generation);
        return node.withChild(name, updated, generation);
    }

    /** Creates the node (and missing parents) with an empty value unless it exists. */
    static XsNode mkdir(XsNode root, List<String> segments, long generation) {
        if (find(root, segments) != null) {
            return root;
        }
        return write(root, segments, "", generation);
    }

    /** Removes the node and its subtree; the root itself cannot be removed. */
    static XsNode remove(XsNode root, List<String> segments, long generation) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("the root cannot be removed");
        }
        if (find(root, segments) == null) {
            return root;
        }
        return remove(root, segments, 0, generation);
    }

    private static XsNode remove(XsNode node, List<String> segments, int depth, long generation) {
        String name = segments.get(depth);
        if (depth == segments.size() - 1) {
            return node.withoutChild(name, generation);
        }
        return node.withChild(name, remove(node.child(name), segments, depth + 1, generation), generation);
    }
}
