package org.xend.core;

import java.util.List;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** A small datamodel that exercises every generated call kind. */
final class TestModel {
    static final Type.Enum STATUS = new Type.Enum("task_status_type",
            List.of("pending", "success", "failure", "cancelling", "cancelled"));
    static final Type.Enum COLOUR = new Type.Enum("colour", List.of("red", "green"));

    private TestModel() {
    }

    static Datamodel build() {
        return Datamodel.builder()
                .error("HANDLE_INVALID", "bad ref", "class", "handle")
                .error("SESSION_INVALID", "bad session", "handle")
                .error("VM_BAD_POWER_STATE", "bad state", "vm", "expected", "actual")
                .add(ClassDecl.builder("task", "A task")
                        .field("name_label", Type.STRING, Qualifier.RO_RUN, "label")
                        .field("name_description", Type.STRING, Qualifier.RO_RUN, "description")
                        .field("status", STATUS, Qualifier.RO_RUN, "status", "pending")
                        .field("progress", Type.FLOAT, Qualifier.RO_RUN, "progress")
                        .field("type", Type.STRING, Qualifier.RO_RUN, "result type")
                        .field("result", Type.STRING, Qualifier.RO_RUN, "result")
                        .field("error_info", Type.STRING_SET, Qualifier.RO_RUN, "error")
                        .field("created", Type.DATETIME, Qualifier.RO_RUN, "created")
                        .field("finished", Type.DATETIME, Qualifier.RO_RUN, "finished")
                        .message(MessageDecl.method("cancel", "cancel").role(Role.READ_ONLY))
                        .destructor()
                        .build())
                .add(ClassDecl.builder("thing", "A thing")
                        .field("name_label", Type.STRING, Qualifier.RW, "label")
                        .field("count", Type.INT, Qualifier.RW, "a number", 7L)
                        .field("ratio", Type.FLOAT, Qualifier.RO_RUN, "a float")
                        .field("colour", COLOUR, Qualifier.RW, "an enum", "red")
                        .field("tags", Type.STRING_SET, Qualifier.RW, "a set")
                        .field("other_config", Type.STRING_MAP, Qualifier.RW, "a map")
                        .field("parent", Type.ref("thing"), Qualifier.RO_INS, "a ref")
                        .field("state", Type.STRING, Qualifier.RO_RUN, "runtime state", "idle")
                        .constructor().destructor()
                        .message(MessageDecl.method("poke", "poke it")
                                .param("hard", Type.BOOL, "how")
                                .optionalParam("times", Type.INT, "how often", 1L)
                                .returns(Type.INT).errors("VM_BAD_POWER_STATE"))
                        .message(MessageDecl.function("count_all", "count").returns(Type.INT))
                        .message(MessageDecl.function("unimplemented", "nobody wrote it"))
                        .build())
                .build();
    }
}
