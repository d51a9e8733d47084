package org.xend.hypervisor.sim;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers watch events, in the order they were queued, on one dedicated thread. Events queued before
 * {@link #start()} wait for it. A listener that throws is logged and the thread goes on.
 */
final class WatchDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(WatchDispatcher.class);
    private static final long STOP_WAIT_MS = 5_000;

    private record Event(SimXsWatch watch, String path) {
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final String threadName;
    private Thread thread;

    WatchDispatcher(String threadName) {
        this.threadName = threadName;
    }

    void enqueue(SimXsWatch watch, String path) {
        queue.add(new Event(watch, path));
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        Thread running = thread;
        thread = null;
        if (running == null) {
            return;
        }
        running.interrupt();
        if (running == Thread.currentThread()) {
            return;
        }
        try {
            running.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running.isAlive()) {
            LOG.warn("xenstore watch thread did not stop within {} ms (a listener is still busy)", STOP_WAIT_MS);
        }
        int dropped = queue.size();
        queue.clear();
        if (dropped > 0) {
            LOG.debug("dropped {} undelivered xenstore watch events on stop", dropped);
        }
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            Event event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            deliver(event);
        }
    }

    private static void deliver(Event event) {
        SimXsWatch watch = event.watch();
        if (watch.isClosed()) {
            return;
        }
        try {
            watch.listener().fired(event.path(), watch.token());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("xenstore {} failed on {}", watch, event.path(), e);
        }
    }
}
