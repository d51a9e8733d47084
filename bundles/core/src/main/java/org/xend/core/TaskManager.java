package org.xend.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * Runs {@code Async.} calls as tasks (XAPI semantics): a task object is created pending, the call runs on a worker
 * thread, and the task ends in success (with {@code result}) or failure (with {@code error_info}). At most
 * {@code maxFinished} finished tasks are kept; the oldest are collected first.
 */
public final class TaskManager {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);
    static final String TASK = "task";
    /** Progress below this change is not written to the store, to spare events. */
    private static final double PROGRESS_STEP = 0.01;

    private final ObjectStore store;
    private final ExecutorService executor;
    private final int maxFinished;
    private final ClassDecl taskClass;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Deque<String> finished = new ArrayDeque<>();

    public TaskManager(ObjectStore store, ExecutorService executor, int maxFinished) {
        this.store = store;
        this.executor = executor;
        this.maxFinished = maxFinished;
        this.taskClass = store.datamodel().classDecl(TASK)
                .orElseThrow(() -> new IllegalStateException("the datamodel declares no task class"));
    }

    /**
     * Creates a pending task for {@code wireName} and runs {@code body} (which returns the wire value) on a worker.
     *
     * @return the task ref
     */
    public String submit(String session, String wireName, String resultType, Function<Running, Object> body) {
        String ref = Refs.newRef();
        Map<String, Object> fields = new LinkedHashMap<>();
        put(fields, "name_label", wireName);
        put(fields, "name_description", "");
        put(fields, "status", "pending");
        put(fields, "progress", 0.0d);
        put(fields, "created", Instant.now());
        put(fields, "session", session == null ? Refs.NULL : session);
        put(fields, "type", resultType);
        store.create(TASK, ref, fields);
        Running task = new Running(ref);
        running.put(ref, task);
        try {
            executor.execute(() -> run(task, body));
        } catch (RuntimeException e) {
            running.remove(ref);
            store.remove(TASK, ref);
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the task could not be started: " + e.getMessage());
        }
        return ref;
    }

    /** Asks a running task to stop at its next cancellation point; false if it is not running. */
    public boolean requestCancel(String ref) {
        Running task = running.get(ref);
        if (task == null) {
            return false;
        }
        task.cancelRequested = true;
        store.update(TASK, ref, f -> {
            put(f, "status", "cancelling");
            return f;
        });
        return true;
    }

    private void run(Running task, Function<Running, Object> body) {
        String status;
        Object result = "";
        List<String> error = List.of();
        try {
            result = body.apply(task);
            status = "success";
        } catch (XenApiException e) {
            status = ErrorCodes.TASK_CANCELLED.equals(e.code()) ? "cancelled" : "failure";
            error = e.errorDescription();
        } catch (RuntimeException e) {
            LOG.error("Task {} ({}) failed", task.ref, e);
            status = "failure";
            error = List.of(ErrorCodes.INTERNAL_ERROR, String.valueOf(e.getMessage()));
        } finally {
            running.remove(task.ref);
        }
        String finalStatus = status;
        String resultText = result instanceof String s ? s : XmlRpcValueText.of(result);
        List<String> errorInfo = error;
        try {
            store.update(TASK, task.ref, f -> {
                put(f, "status", finalStatus);
                put(f, "progress", 1.0d);
                put(f, "result", resultText);
                put(f, "error_info", errorInfo);
                put(f, "finished", Instant.now());
                return f;
            });
        } catch (XenApiException e) {
            // destroyed by its client while running: nothing left to record
            return;
        }
        collect(task.ref);
    }

    private void collect(String justFinished) {
        List<String> evict = new java.util.ArrayList<>();
        synchronized (finished) {
            finished.addLast(justFinished);
            while (finished.size() > maxFinished) {
                evict.add(finished.removeFirst());
            }
        }
        for (String ref : evict) {
            store.remove(TASK, ref);
        }
    }

    /** Forgets a destroyed task. */
    public void forget(String ref) {
        synchronized (finished) {
            finished.remove(ref);
        }
    }

    public boolean isRunning(String ref) {
        return running.containsKey(ref);
    }

    private void put(Map<String, Object> fields, String name, Object value) {
        if (taskClass.fields().containsKey(name)) {
            fields.put(name, value);
        }
    }

    /** The handle a running call uses to report progress and see cancellation. */
    public final class Running {
        private final String ref;
        private volatile boolean cancelRequested;
        private volatile double lastWritten;

        Running(String ref) {
            this.ref = ref;
        }

        public String ref() {
            return ref;
        }

        void progress(double fraction) {
            double f = Math.max(0.0, Math.min(1.0, fraction));
            if (f - lastWritten < PROGRESS_STEP && f < 1.0) {
                return;
            }
            lastWritten = f;
            try {
                store.update(TASK, ref, m -> {
                    put(m, "progress", f);
                    return m;
                });
            } catch (XenApiException e) {
                LOG.debug("Task {} vanished while reporting progress", ref);
            }
        }

        void checkCancelled() {
            if (cancelRequested) {
                throw new XenApiException(ErrorCodes.TASK_CANCELLED, ref);
            }
        }
    }
}
