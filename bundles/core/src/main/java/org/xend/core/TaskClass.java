package org.xend.core;

import java.util.Map;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;

/**
 * {@code task.create}, {@code task.cancel} and {@code task.destroy}, which need the task manager, and XAPI's
 * visibility rule: a task exists only for the session that created it, unless the caller is a pool admin.
 */
public final class TaskClass implements ClassImplementation {

    private static final int ARG_LABEL = 0;
    private static final int ARG_DESCRIPTION = 1;

    private final TaskManager tasks;
    private final Map<String, MessageImpl> messages;

    public TaskClass(TaskManager tasks) {
        this.tasks = tasks;
        this.messages = Map.of(
                "create", call -> tasks.createForClient(call.session(), call.stringArg(ARG_LABEL),
                        call.stringArg(ARG_DESCRIPTION)),
                "cancel", call -> {
                    if (!tasks.requestCancel(call.self())) {
                        throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
                    }
                    return null;
                },
                "destroy", call -> {
                    tasks.destroy(call.self());
                    return null;
                });
    }

    @Override
    public String className() {
        return TaskManager.TASK;
    }

    @Override
    public Map<String, MessageImpl> messages() {
        return messages;
    }

    @Override
    public void checkRead(Call call, ApiObject task) {
        if (call.role() == Role.POOL_ADMIN) {
            return;
        }
        String owner = task.string("session");
        if (call.session() == null || !call.session().equals(owner)) {
            throw new XenApiException(ErrorCodes.HANDLE_INVALID, TaskManager.TASK, task.ref());
        }
    }
}
