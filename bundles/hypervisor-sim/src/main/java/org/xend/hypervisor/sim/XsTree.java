package org.xend.hypervisor.sim;

import java.util.List;

/**
 * Operations on a tree of {@link XsNode}s; each returns the new root. {@code edit} is the token of the batch the
 * operation belongs to: nodes that batch already copied are changed in place; null copies every node it changes.
 * The tree passed in is never changed unless the batch made it.
 */
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
    static XsNode write(XsNode root, List<String> segments, String value, long generation, Object edit) {
        return write(root, segments, 0, value, generation, edit);
    }

    private static XsNode write(XsNode node, List<String> segments, int depth, String value, long generation,
                                Object edit) {
        if (depth == segments.size()) {
            return node.withValue(value, generation, edit);
        }
        String name = segments.get(depth);
        XsNode child = node.child(name);
        XsNode updated = write(child == null ? XsNode.fresh(generation, edit) : child, segments, depth + 1, value,
                generation, edit);
        return node.withChild(name, updated, generation, edit);
    }

    /** Creates the node (and missing parents) with an empty value unless it exists. */
    static XsNode mkdir(XsNode root, List<String> segments, long generation, Object edit) {
        if (find(root, segments) != null) {
            return root;
        }
        return write(root, segments, "", generation, edit);
    }

    /** Removes the node and its subtree; the root itself cannot be removed. */
    static XsNode remove(XsNode root, List<String> segments, long generation, Object edit) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("the root cannot be removed");
        }
        if (find(root, segments) == null) {
            return root;
        }
        return remove(root, segments, 0, generation, edit);
    }

    private static XsNode remove(XsNode node, List<String> segments, int depth, long generation, Object edit) {
        String name = segments.get(depth);
        if (depth == segments.size() - 1) {
            return node.withoutChild(name, generation, edit);
        }
        return node.withChild(name, remove(node.child(name), segments, depth + 1, generation, edit), generation,
                edit);
    }
}
