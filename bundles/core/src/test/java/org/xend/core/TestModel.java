package org.xend.core;

import java.util.List;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** A small datamodel that exercises every generated call kind, tasks and sessions. */
final class TestModel {
    static final Type.Enum STATUS = new Type.Enum("task_status_type",
            List.of("pending", "success", "failure", "cancelling", "cancelled"));
    static final Type.Enum TASK_OPERATIONS = new Type.Enum("task_allowed_operations", List.of("Cancel"));
    static final Type.Enum COLOUR = new Type.Enum("colour", List.of("red", "green"));

    private TestModel() {
    }

    static Datamodel build() {
        return Datamodel.builder()
                .error("HANDLE_INVALID", "bad ref", "class", "handle")
                .error("SESSION_INVALID", "bad session", "handle")
                .error("VM_BAD_POWER_STATE", "bad state", "vm", "expected", "actual")
                .error("OPERATION_NOT_ALLOWED", "not now")
                .error("PERMISSION_DENIED", "not you")
                .add(ClassDecl.builder("session", "A session")
                        .roles(Role.READ_ONLY, Role.READ_ONLY)
                        .field("this_user", Type.STRING, Qualifier.RO_RUN, "user")
                        .build())
                .add(ClassDecl.builder("task", "A task")
                        .roles(Role.READ_ONLY, Role.READ_ONLY)
                        .field("name_label", Type.STRING, Qualifier.RO_RUN, "label")
                        .field("name_description", Type.STRING, Qualifier.RO_RUN, "description")
                        .field("status", STATUS, Qualifier.RO_RUN, "status", "pending")
                        .field("session", Type.ref("session"), Qualifier.RO_RUN, "owner")
                        .field("progress", Type.FLOAT, Qualifier.RO_RUN, "progress")
                        .field("type", Type.STRING, Qualifier.RO_RUN, "result type")
                        .field("result", Type.STRING, Qualifier.RO_RUN, "result")
                        .field("error_info", Type.STRING_SET, Qualifier.RO_RUN, "error")
                        .field("allowed_operations", Type.setOf(TASK_OPERATIONS), Qualifier.RO_RUN, "operations")
                        .field("created", Type.DATETIME, Qualifier.RO_RUN, "created")
                        .field("finished", Type.DATETIME, Qualifier.RO_RUN, "finished")
                        .field("other_config", Type.STRING_MAP, Qualifier.RW, "other")
                        .message(MessageDecl.function("create", "a client's task")
                                .param("label", Type.STRING, "label")
                                .param("description", Type.STRING, "description")
                                .returns(Type.ref("task")).role(Role.READ_ONLY).noAsync())
                        .message(MessageDecl.method("cancel", "cancel").role(Role.READ_ONLY)
                                .errors("OPERATION_NOT_ALLOWED"))
                        .destructor()
                        .build())
                .add(ClassDecl.builder("thing", "A thing")
                        .roles(Role.READ_ONLY, Role.VM_ADMIN)
                        .field("name_label", Type.STRING, Qualifier.RW, "label")
                        .field("count", Type.INT, Qualifier.RW, "a number", 7L)
                        .field("ratio", Type.FLOAT, Qualifier.RO_RUN, "a float")
                        .field("colour", COLOUR, Qualifier.RW, "an enum", "red")
                        .field("tags", Type.STRING_SET, Qualifier.RW, "a set")
                        .field("other_config", Type.STRING_MAP, Qualifier.RW, "a map")
                        .field("parent", Type.ref("thing"), Qualifier.RO_INS, "a ref")
                        .field("state", Type.STRING, Qualifier.RO_RUN, "runtime state", "idle")
                        .field("enabled", Type.BOOL, Qualifier.RW, "a bool")
                        .field("born", Type.DATETIME, Qualifier.RW, "a date")
                        .constructor().destructor()
                        .message(MessageDecl.method("poke", "poke it")
                                .param("hard", Type.BOOL, "how")
                                .optionalParam("times", Type.INT, "how often", 1L)
                                .returns(Type.INT).errors("VM_BAD_POWER_STATE"))
                        .message(MessageDecl.method("wait", "runs until cancelled").role(Role.READ_ONLY))
                        .message(MessageDecl.function("count_all", "count").returns(Type.INT).role(Role.READ_ONLY))
                        .message(MessageDecl.function("unimplemented", "nobody wrote it"))
                        .build())
                .build();
    }
}
