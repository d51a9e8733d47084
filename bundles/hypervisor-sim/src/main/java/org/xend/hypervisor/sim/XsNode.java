package org.xend.hypervisor.sim;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One immutable xenstore node. Updates copy the path from the root, so a transaction can keep a snapshot of the
 * whole tree for free. {@code generation} changes whenever the node's value or its set of children changes (not
 * when something deeper changes); transactions compare it to detect conflicting writers.
 */
record XsNode(String value, long generation, NavigableMap<String, XsNode> children) {

    private static final NavigableMap<String, XsNode> NO_CHILDREN = Collections.emptyNavigableMap();

    static XsNode fresh(long generation) {
        return new XsNode("", generation, NO_CHILDREN);
    }

    XsNode child(String name) {
        return children.get(name);
    }

    XsNode withValue(String newValue, long newGeneration) {
        return new XsNode(newValue, newGeneration, children);
    }

    /** Replaces or adds a child; only adding one changes this node's generation. */
    XsNode withChild(String name, XsNode child, long generationIfAdded) {
        TreeMap<String, XsNode> copy = new TreeMap<>(children);
        boolean added = copy.put(name, child) == null;
        return new XsNode(value, added ? generationIfAdded : generation, Collections.unmodifiableNavigableMap(copy));
    }

    XsNode withoutChild(String name, long newGeneration) {
        TreeMap<String, XsNode> copy = new TreeMap<>(children);
        copy.remove(name);
        return new XsNode(value, newGeneration,
                copy.isEmpty() ? NO_CHILDREN : Collections.unmodifiableNavigableMap(copy));
    }
}
