package org.xend.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;
import org.xend.api.store.StoreListener;

/**
 * Tasks with XAPI's semantics. {@code Async.} calls run as tasks: a task object is created pending with
 * {@code allowed_operations = [Cancel]}, the call runs on a worker thread, and the task ends in success (with
 * {@code result}), failure (with {@code error_info}) or, if the call honoured a cancel request, cancelled. At most
 * {@code maxFinished} finished tasks are kept; the oldest are collected first.
 *
 * <p>Clients may also create tasks of their own ({@code task.create}): they stay pending until their client
 * destroys them, and go when their session ends. A running task cannot be destroyed.
 */
public final class TaskManager {

    private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);
    static final String TASK = "task";
    private static final String SESSION = "session";
    private static final String CANCEL = "Cancel";
    /** Progress below this change is not written to the store, to spare events. */
    private static final double PROGRESS_STEP = 0.01;

    private final ObjectStore store;
    private final ExecutorService executor;
    private final int maxFinished;
    private final ClassDecl taskClass;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Client-created tasks and the session that owns each. */
    private final Map<String, String> clientTasks = new ConcurrentHashMap<>();
    private final Deque<String> finished = new ArrayDeque<>();
    private final StoreListener sessionEnds = this::onCommit;

    public TaskManager(ObjectStore store, ExecutorService executor, int maxFinished) {
        this.store = store;
        this.executor = executor;
        this.maxFinished = maxFinished;
        this.taskClass = store.datamodel().classDecl(TASK)
                .orElseThrow(() -> new IllegalStateException("the datamodel declares no task class"));
        store.addListener(sessionEnds);
    }

    /** Stops following sessions; tasks already running finish on their own. */
    public void close() {
        store.removeListener(sessionEnds);
    }

    /**
     * Creates a pending task for {@code wireName} and runs {@code body} (which returns the wire value) on a worker.
     *
     * @return the task ref
     */
    public String submit(String session, String wireName, String resultType, Function<Running, Object> body) {
        String ref = Refs.newRef();
        Map<String, Object> fields = pendingTask(session, wireName, "");
        put(fields, "type", resultType);
        put(fields, "allowed_operations", List.of(CANCEL));
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

    /** {@code task.create}: a pending task that its client owns, completes and destroys. */
    public String createForClient(String session, String label, String description) {
        String ref = Refs.newRef();
        store.create(TASK, ref, pendingTask(session, label, description));
        clientTasks.put(ref, session == null ? Refs.NULL : session);
        return ref;
    }

    private Map<String, Object> pendingTask(String session, String label, String description) {
        Map<String, Object> fields = new LinkedHashMap<>();
        put(fields, "name_label", label);
        put(fields, "name_description", description);
        put(fields, "status", "pending");
        put(fields, "progress", 0.0d);
        put(fields, "created", Instant.now());
        put(fields, "session", session == null ? Refs.NULL : session);
        return fields;
    }

    /**
     * Asks a running task to stop at its next cancellation point. Only a request, as in XAPI: the call may still
     * succeed or fail. False if the task is not running or was already asked.
     */
    public boolean requestCancel(String ref) {
        Running task = running.get(ref);
        if (task == null) {
            return false;
        }
        // Under the task's lock, so the final status cannot be overwritten by "cancelling".
        synchronized (task) {
            if (task.done || task.cancelRequested) {
                return false;
            }
            task.cancelRequested = true;
            store.update(TASK, ref, f -> {
                put(f, "status", "cancelling");
                put(f, "allowed_operations", List.of());
                return f;
            });
        }
        return true;
    }

    /** {@code task.destroy}: refused while the task runs ({@code OPERATION_NOT_ALLOWED}). */
    public void destroy(String ref) {
        if (running.containsKey(ref)) {
            throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
        }
        store.remove(TASK, ref);
        forget(ref);
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
            LOG.error("Task {} failed", task.ref, e);
            status = "failure";
            error = List.of(ErrorCodes.INTERNAL_ERROR, String.valueOf(e.getMessage()));
        }
        String finalStatus = status;
        // XAPI's form, which SDKs parse back (Types.toVM(task) and the like): the result as an XML-RPC <value>; void
        // stays empty
        String resultText = "".equals(result) ? "" : XmlRpcValueText.of(result);
        List<String> errorInfo = error;
        synchronized (task) {
            task.done = true;
            // No longer running: a client that sees the final status may destroy the task at once.
            running.remove(task.ref);
            try {
                store.update(TASK, task.ref, f -> {
                    put(f, "status", finalStatus);
                    put(f, "progress", 1.0d);
                    put(f, "result", resultText);
                    put(f, "error_info", errorInfo);
                    put(f, "finished", Instant.now());
                    put(f, "allowed_operations", List.of());
                    return f;
                });
            } catch (XenApiException e) {
                LOG.debug("Task {} was destroyed as it finished", task.ref);
                return;
            }
        }
        collect(task.ref);
    }

    private void collect(String justFinished) {
        List<String> evict = new ArrayList<>();
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
        clientTasks.remove(ref);
        synchronized (finished) {
            finished.remove(ref);
        }
    }

    public boolean isRunning(String ref) {
        return running.containsKey(ref);
    }

    /** A client's own tasks go with its session: nobody else could destroy them. */
    private void onCommit(ApiObject before, ApiObject after) {
        if (after != null || !SESSION.equals(before.className())) {
            return;
        }
        for (Map.Entry<String, String> e : clientTasks.entrySet()) {
            if (e.getValue().equals(before.ref()) && clientTasks.remove(e.getKey(), e.getValue())) {
                store.remove(TASK, e.getKey());
            }
        }
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
        /** Set, under this object's lock, once the final status is being written. */
        private boolean done;
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
