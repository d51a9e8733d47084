package org.xend.core;

import java.util.Map;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;

/** {@code task.cancel} and {@code task.destroy}, which need the task manager. */
public final class TaskClass implements ClassImplementation {

    private final TaskManager tasks;

    public TaskClass(TaskManager tasks) {
        this.tasks = tasks;
    }

    @Override
    public String className() {
        return TaskManager.TASK;
    }

    @Override
    public Map<String, MessageImpl> messages() {
        return Map.of(
                "cancel", call -> {
                    if (!tasks.requestCancel(call.self())) {
                        throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
                    }
                    return null;
                },
                "destroy", call -> {
                    call.store().remove(TaskManager.TASK, call.self());
                    tasks.forget(call.self());
                    return null;
                });
    }
}
