package org.xend.hypervisor.sim;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One xenstore node. A node reachable from a published root never changes: updates copy the path from the root, so
 * a transaction can keep a snapshot of the whole tree for free. Within one edit (a batch of operations building a
 * new tree that nobody else sees yet) the nodes that edit created are changed in place, so a batch of writes copies
 * each node on its paths once instead of once per write. {@code generation} changes whenever the node's value or
 * its set of children changes (not when something deeper changes); transactions compare it to detect conflicting
 * writers.
 */
final class XsNode {

    private String value;
    private long generation;
    /** null when the node has no children. */
    private TreeMap<String, XsNode> children;
    /** The edit that made this node and may still change it; null for a node no edit owns. */
    private final Object editor;

    private XsNode(String value, long generation, TreeMap<String, XsNode> children, Object editor) {
        this.value = value;
        this.generation = generation;
        this.children = children;
        this.editor = editor;
    }

    /** An empty node; owned by {@code edit} (which may be null) until that edit is published. */
    static XsNode fresh(long generation, Object edit) {
        return new XsNode("", generation, null, edit);
    }

    /** A node read from the saved tree; takes {@code children} over. */
    static XsNode loaded(String value, long generation, TreeMap<String, XsNode> children) {
        return new XsNode(value, generation, children.isEmpty() ? null : children, null);
    }

    String value() {
        return value;
    }

    long generation() {
        return generation;
    }

    NavigableMap<String, XsNode> children() {
        return children == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(children);
    }

    XsNode child(String name) {
        return children == null ? null : children.get(name);
    }

    XsNode withValue(String newValue, long newGeneration, Object edit) {
        XsNode node = editable(edit);
        node.value = newValue;
        node.generation = newGeneration;
        return node;
    }

    /** Replaces or adds a child; only adding one changes this node's generation. */
    XsNode withChild(String name, XsNode child, long generationIfAdded, Object edit) {
        XsNode node = editable(edit);
        if (node.children == null) {
            node.children = new TreeMap<>();
        }
        if (node.children.put(name, child) == null) {
            node.generation = generationIfAdded;
        }
        return node;
    }

    XsNode withoutChild(String name, long newGeneration, Object edit) {
        XsNode node = editable(edit);
        if (node.children != null) {
            node.children.remove(name);
            if (node.children.isEmpty()) {
                node.children = null;
            }
        }
        node.generation = newGeneration;
        return node;
    }

    /** This node if {@code edit} owns it, otherwise a copy that {@code edit} owns. */
    private XsNode editable(Object edit) {
        if (edit != null && editor == edit) {
            return this;
        }
        return new XsNode(value, generation, children == null ? null : new TreeMap<>(children), edit);
    }
}
