package org.xend.hypervisor.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;

/**
 * A transaction of the simulated store: it works on a snapshot of the tree taken when it began, plus its own
 * changes. Every node it reads, lists or changes is remembered with the generation the snapshot had; the commit
 * fails (EAGAIN) when any of them has changed in the store since, and otherwise replays the changes.
 */
final class SimXsTransaction implements XsTransaction {

    /** A node the transaction depends on, with its generation in the snapshot. */
    record Touched(List<String> segments, long generation) {
    }

    private final SimXenStore store;
    private final XsNode snapshot;
    private XsNode view;
    private long localGeneration;
    /** The view's own nodes are changed in place: nobody else sees them. */
    private final Object edit = new Object();
    private final Map<String, Touched> touched = new LinkedHashMap<>();
    private final List<XsOperation> operations = new ArrayList<>();
    private boolean ended;

    SimXsTransaction(SimXenStore store, XsNode snapshot) {
        this.store = store;
        this.snapshot = snapshot;
        this.view = snapshot;
    }

    @Override
    public synchronized Optional<String> read(String path) {
        List<String> segments = touch(path);
        XsNode node = XsTree.find(view, segments);
        return node == null ? Optional.empty() : Optional.of(node.value());
    }

    @Override
    public synchronized void write(String path, String value) {
        XsPaths.checkValue(value);
        apply(XsOperation.write(path, touch(path), value));
    }

    @Override
    public synchronized void mkdir(String path) {
        apply(XsOperation.mkdir(path, touch(path)));
    }

    @Override
    public synchronized void remove(String path) {
        List<String> segments = touch(path);
        if (segments.isEmpty()) {
            throw new XenStoreException("EINVAL", "the root node cannot be removed");
        }
        apply(XsOperation.remove(path, segments));
    }

    @Override
    public synchronized List<String> directory(String path) {
        XsNode node = XsTree.find(view, touch(path));
        if (node == null) {
            throw new XenStoreException("ENOENT", path);
        }
        return List.copyOf(node.children().keySet());
    }

    @Override
    public synchronized boolean commit() {
        ensureOpen();
        ended = true;
        return store.commit(touched.values(), operations);
    }

    @Override
    public synchronized void abort() {
        ended = true;
    }

    @Override
    public synchronized void close() {
        ended = true;
    }

    private List<String> touch(String path) {
        ensureOpen();
        List<String> segments = XsPaths.segments(path);
        touched.computeIfAbsent(path, p -> new Touched(segments, XsTree.generationOf(snapshot, segments)));
        return segments;
    }

    private void apply(XsOperation operation) {
        view = operation.applyTo(view, ++localGeneration, edit);
        operations.add(operation);
    }

    private void ensureOpen() {
        if (ended) {
            throw new IllegalStateException("the xenstore transaction has already ended");
        }
    }
}
