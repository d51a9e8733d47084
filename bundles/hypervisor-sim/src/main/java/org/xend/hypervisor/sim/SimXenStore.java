package org.xend.hypervisor.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.config.DaemonSettings;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;
import org.xend.api.spi.xenstore.XsWatchListener;

/**
 * The simulated xenstore: an in-memory tree with xenstored's semantics. Reads are lock-free on an immutable
 * snapshot; changes are serialised by one lock, which also orders the watch events they queue. Watch listeners
 * run on the dispatch thread, never on the writer's.
 * <p>
 * Like the hypervisor's domain table, the tree outlives the daemon: with a state directory (see
 * {@link SimStateDirectory}) it is loaded at activation and written back behind the changes, at most
 * {@value #WRITE_BEHIND_MS} ms after the first unsaved one, and at deactivation. A kill of the process loses at
 * most the changes of that last interval. Watches and transactions belong to their connections and do not
 * survive.
 */
@Component(service = XenStore.class, property = "type=" + SimHypervisor.TYPE,
        configurationPid = {DaemonSettings.PID, SimHypervisor.PID})
public final class SimXenStore implements XenStore {
    /** How long a change may wait before the tree is written; bounds what a kill of the daemon loses. */
    static final long WRITE_BEHIND_MS = 100;
    private static final long RETRY_AFTER_FAILURE_MS = 1_000;
    private static final long STOP_WAIT_MS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(SimXenStore.class);

    private final ReentrantLock changeLock = new ReentrantLock();
    private final CopyOnWriteArrayList<SimXsWatch> watches = new CopyOnWriteArrayList<>();
    private final WatchDispatcher dispatcher = new WatchDispatcher("xend-sim-xenstore-watches");
    private final Optional<Path> stateDirectory;
    private final ScheduledThreadPoolExecutor writer;
    private final AtomicBoolean unsaved = new AtomicBoolean();
    private volatile XsNode root;
    private long lastGeneration; // guarded by changeLock

    /** A store kept in memory only; call {@link #activate()} to start delivering watch events. */
    public SimXenStore() {
        this(Optional.empty());
    }

    /** As a component: the tree is kept in the simulator's state directory when there is one. */
    @Activate
    public SimXenStore(Map<String, Object> properties) {
        this(SimStateDirectory.resolve(properties, System.getenv(), System.getProperty("karaf.data")));
        activate();
    }

    /** A store that loads its tree from, and writes it to, {@code stateDirectory} when present. */
    SimXenStore(Optional<Path> stateDirectory) {
        this.stateDirectory = stateDirectory;
        XsNode loaded = stateDirectory.flatMap(this::load).orElse(null);
        if (loaded == null) {
            // xenstored starts with these nodes
            XsNode tree = XsNode.fresh(++lastGeneration, null);
            tree = XsTree.mkdir(tree, List.of("tool"), ++lastGeneration, null);
            tree = XsTree.mkdir(tree, List.of("tool", "xenstored"), ++lastGeneration, null);
            loaded = tree;
        }
        root = loaded;
        if (stateDirectory.isPresent()) {
            writer = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "xend-sim-xenstore-writer");
                thread.setDaemon(true);
                return thread;
            });
            // a stop writes the final tree itself instead of waiting out the delay
            writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        } else {
            writer = null;
        }
    }

    /** Starts delivering watch events. */
    void activate() {
        dispatcher.start();
        LOG.info("simulated xenstore started{}", stateDirectory.map(d -> ", tree kept in " + d).orElse(""));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Optional<Path> configured = SimStateDirectory.resolve(properties, System.getenv(),
                System.getProperty("karaf.data"));
        if (!configured.equals(stateDirectory)) {
            LOG.warn("the simulated xenstore's state directory changes when it restarts; it keeps {} for now",
                    stateDirectory.map(Path::toString).orElse("its tree in memory"));
        }
    }

    @Deactivate
    void deactivate() {
        if (writer != null) {
            writer.shutdown();
            try {
                if (!writer.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("the xenstore writer did not stop within {} ms", STOP_WAIT_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writeTree();
        }
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
            // build the whole new tree first: readers (lock-free on root) and watchers see all of it or none
            XsNode tree = current;
            Object edit = new Object();
            List<XsOperation> applied = new java.util.ArrayList<>(operations.size());
            for (XsOperation operation : operations) {
                if (operation.changes(tree)) {
                    tree = operation.applyTo(tree, ++lastGeneration, edit);
                    applied.add(operation);
                }
            }
            if (applied.isEmpty()) {
                return true;
            }
            root = tree;
            for (XsOperation operation : applied) {
                queueWatchEvents(operation.path(), operation.kind() == XsOperation.Kind.REMOVE);
            }
            if (writer != null && unsaved.compareAndSet(false, true)) {
                scheduleWrite(WRITE_BEHIND_MS);
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
        if (!operation.changes(root)) {
            return; // mkdir of an existing node or removal of a missing one: nothing changed, nothing fires
        }
        root = operation.applyTo(root, ++lastGeneration, null);
        queueWatchEvents(operation.path(), operation.kind() == XsOperation.Kind.REMOVE);
        if (writer != null && unsaved.compareAndSet(false, true)) {
            scheduleWrite(WRITE_BEHIND_MS);
        }
    }

    private void scheduleWrite(long delayMs) {
        try {
            writer.schedule(this::writeTree, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: deactivate writes the final tree
        }
    }

    /** Writes the current tree; a change made meanwhile marks the store unsaved again and schedules another. */
    private void writeTree() {
        Path directory = stateDirectory.orElseThrow();
        unsaved.set(false);
        XsNode snapshot = root;
        try {
            Files.createDirectories(directory);
            XsTreeFile.write(directory, snapshot);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write the simulated xenstore tree to {}: {}", directory, e.toString());
            if (unsaved.compareAndSet(false, true)) {
                scheduleWrite(RETRY_AFTER_FAILURE_MS);
            }
        }
    }

    /** The stored tree; a damaged one is logged, set aside and replaced by a fresh tree. */
    private Optional<XsNode> load(Path directory) {
        try {
            Optional<XsTreeFile.Loaded> loaded = XsTreeFile.read(directory);
            loaded.ifPresent(l -> {
                lastGeneration = l.lastGeneration();
                LOG.info("simulated xenstore tree loaded from {}", directory);
            });
            return loaded.map(XsTreeFile.Loaded::root);
        } catch (IOException e) {
            Path file = directory.resolve(XsTreeFile.FILE);
            LOG.error("the simulated xenstore tree {} is unreadable ({}); starting with a fresh tree, the damaged "
                    + "file is kept as {}.corrupt", file, e.getMessage(), XsTreeFile.FILE);
            try {
                Files.move(file, file.resolveSibling(XsTreeFile.FILE + ".corrupt"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailure) {
                LOG.warn("cannot set aside {}: {}", file, moveFailure.getMessage());
            }
            return Optional.empty();
        }
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
