package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code task}: spec fields, with {@code progress} as a float from 0.0 to 1.0 (XAPI; today's clients parse a
 * double), plus XAPI's {@code created}, {@code finished}, {@code other_config}, destructor and {@code create} (a
 * client's own task; a message, since it takes a label and description rather than a record). Any role may
 * create, cancel or destroy a task its own session owns; that ownership is checked at run time, as XAPI does.
 */
final class TaskClass {

    private TaskClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.TASK, "A long-running asynchronous task")
                .roles(Role.READ_ONLY, Role.READ_ONLY)
                .destructor(ErrorCodes.OPERATION_NOT_ALLOWED)
                .field("name_label", Type.STRING, Qualifier.RO_RUN, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RO_RUN,
                        "a notes field containing human-readable description")
                .field("status", Enums.TASK_STATUS_TYPE, Qualifier.RO_RUN, "current status of the task", "pending")
                .field("session", Type.ref(XenApiModel.SESSION), Qualifier.RO_RUN,
                        "the session that created the task")
                .field("progress", Type.FLOAT, Qualifier.RO_RUN,
                        "if the task is still pending, the estimated fraction complete (0.0-1.0); "
                                + "1.0 once the task has completed, successfully or not")
                .field("type", Type.STRING, Qualifier.RO_RUN,
                        "if the task has completed successfully, the type of the encoded result (i.e. name of the "
                                + "class whose reference is in the result field). Undefined otherwise.")
                .field("result", Type.STRING, Qualifier.RO_RUN,
                        "if the task has completed successfully, the result value (either Void or an object "
                                + "reference). Undefined otherwise.")
                .field("error_info", Type.STRING_SET, Qualifier.RO_RUN,
                        "if the task has failed, the set of associated error strings. Undefined otherwise.")
                .field("allowed_operations", Type.setOf(Enums.TASK_ALLOWED_OPERATIONS), Qualifier.RO_RUN,
                        "Operations allowed on this task")
                .field("created", Type.DATETIME, Qualifier.RO_RUN, "Time task was created")
                .field("finished", Type.DATETIME, Qualifier.RO_RUN,
                        "Time task finished (i.e. succeeded or failed); the epoch while the task is pending")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.function("create",
                                "Create a new task object which must be manually destroyed (XAPI); it stays pending "
                                        + "and belongs to the caller's session.")
                        .param("label", Type.STRING, "short label for the new task")
                        .param("description", Type.STRING, "longer description for the new task")
                        .returns(Type.ref(XenApiModel.TASK))
                        .role(Role.READ_ONLY)
                        .noAsync())
                .message(MessageDecl.method("cancel",
                                "Cancel this task. Fails with OPERATION_NOT_ALLOWED unless allowed_operations contains "
                                        + "Cancel. The task then shows status 'cancelling' until it reaches "
                                        + "'cancelled'; there is no bound on how long that takes.")
                        .errors(ErrorCodes.OPERATION_NOT_ALLOWED, ErrorCodes.PERMISSION_DENIED)
                        .role(Role.READ_ONLY))
                .build();
    }
}
