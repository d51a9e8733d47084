package org.xend.hypervisor.sim;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;
import org.xend.api.spi.xenstore.XsWatchListener;

/**
 * The simulated xenstore: an in-memory tree with xenstored's semantics. Reads are lock-free on an immutable
 * snapshot; changes are serialised by one lock, which also orders the watch events they queue. Watch listeners
 * run on the dispatch thread, never on the writer's.
 */
@Component(service = XenStore.class, property = "type=" + SimHypervisor.TYPE)
public final class SimXenStore implements XenStore {
    private static final Logger LOG = LoggerFactory.getLogger(SimXenStore.class);

    private final ReentrantLock changeLock = new ReentrantLock();
    private final CopyOnWriteArrayList<SimXsWatch> watches = new CopyOnWriteArrayList<>();
    private final WatchDispatcher dispatcher = new WatchDispatcher("xend-sim-xenstore-watches");
    private volatile XsNode root;
    private long lastGeneration; // guarded by changeLock

    public SimXenStore() {
        // xenstored starts with these nodes
        XsNode tree = XsNode.fresh(++lastGeneration);
        tree = XsTree.mkdir(tree, List.of("tool"), ++lastGeneration);
        tree = XsTree.mkdir(tree, List.of("tool", "xenstored"), ++lastGeneration);
        root = tree;
    }

    @Activate
    void activate() {
        dispatcher.start();
        LOG.info("simulated xenstore started");
    }

    @Deactivate
    void deactivate() {
        dispatcher.stop();
        LOG.info("simulated xenstore stopped");
    }

    @Override
    public Optional<String> read(String path) {
        XsNode node = XsTree.find(root, XsPaths.segments(path));
        return node == null ? Optional.empty() : Optional.of(node.value());
    }

    @Override
    public void write(String path, String value) {
        List<String> segments = XsPaths.segments(path);
        XsPaths.checkValue(value);
        applyAtOnce(XsOperation.write(path, segments, value));
    }

    @Override
    public void mkdir(String path) {
        applyAtOnce(XsOperation.mkdir(path, XsPaths.segments(path)));
    }

    @Override
    public void remove(String path) {
        List<String> segments = XsPaths.segments(path);
        if (segments.isEmpty()) {
            throw new XenStoreException("EINVAL", "the root node cannot be removed");
        }
        applyAtOnce(XsOperation.remove(path, segments));
    }

    @Override
    public List<String> directory(String path) {
        XsNode node = XsTree.find(root, XsPaths.segments(path));
        if (node == null) {
            throw new XenStoreException("ENOENT", path);
        }
        return List.copyOf(node.children().keySet());
    }

    @Override
    public XsTransaction transaction() {
        return new SimXsTransaction(this, root);
    }

    @Override
    public XsWatch watch(String path, String token, XsWatchListener listener) {
        XsPaths.checkWatchPath(path);
        if (listener == null) {
            throw new XenStoreException("EINVAL", "no listener for the watch on " + path);
        }
        SimXsWatch watch = new SimXsWatch(this, path, token == null ? "" : token, listener);
        changeLock.lock();
        try {
            watches.add(watch);
            // xenstored fires every new watch once, with the watched path
            dispatcher.enqueue(watch, path);
        } finally {
            changeLock.unlock();
        }
        return watch;
    }

    /** Fires the watches set on {@code @introduceDomain} or {@code @releaseDomain}; the hypervisor calls this. */
    void fireDomainWatches(String specialPath) {
        if (!XsPaths.INTRODUCE_DOMAIN.equals(specialPath) && !XsPaths.RELEASE_DOMAIN.equals(specialPath)) {
            throw new IllegalArgumentException("not a special domain path: " + specialPath);
        }
        changeLock.lock();
        try {
            for (SimXsWatch watch : watches) {
                if (watch.path().equals(specialPath)) {
                    dispatcher.enqueue(watch, specialPath);
                }
            }
        } finally {
            changeLock.unlock();
        }
    }

    void unregister(SimXsWatch watch) {
        watches.remove(watch);
    }

    /** How many watches are registered, for diagnostics. */
    int watchCount() {
        return watches.size();
    }

    /** Validates a transaction's reads against the store and, if none changed, applies its operations. */
    boolean commit(Collection<SimXsTransaction.Touched> touched, List<XsOperation> operations) {
        changeLock.lock();
        try {
            XsNode current = root;
            for (SimXsTransaction.Touched node : touched) {
                if (XsTree.generationOf(current, node.segments()) != node.generation()) {
                    return false;
                }
            }
            for (XsOperation operation : operations) {
                applyLocked(operation);
            }
            return true;
        } finally {
            changeLock.unlock();
        }
    }

    private void applyAtOnce(XsOperation operation) {
        changeLock.lock();
        try {
            applyLocked(operation);
        } finally {
            changeLock.unlock();
        }
    }

    private void applyLocked(XsOperation operation) {
        XsNode before = root;
        XsNode after = operation.applyTo(before, lastGeneration + 1);
        if (after == before) {
            return; // mkdir of an existing node or removal of a missing one: nothing changed, nothing fires
        }
        lastGeneration++;
        root = after;
        queueWatchEvents(operation.path(), operation.kind() == XsOperation.Kind.REMOVE);
    }

    /**
     * A change fires every watch at or above the changed node, with the changed path. A removal also fires the
     * watches inside the removed subtree, each with its own path, as xenstored does.
     */
    private void queueWatchEvents(String changedPath, boolean removal) {
        for (SimXsWatch watch : watches) {
            if (XsPaths.isAtOrBelow(changedPath, watch.path())) {
                dispatcher.enqueue(watch, changedPath);
            } else if (removal && XsPaths.isAtOrBelow(watch.path(), changedPath)) {
                dispatcher.enqueue(watch, watch.path());
            }
        }
    }
}
