package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code debug}: the spec's field-less class (here with its uuid and {@code other_config}) and its
 * {@code return_failure}, plus Xend's {@code wait}, which sleeps while reporting progress (a test of
 * {@code Async.} tasks). Failing is harmless, so any role may; waiting ties up a worker, so it needs pool-admin.
 */
final class DebugClass {

    private DebugClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.DEBUG, "A debug record, for testing clients")
                .roles(Role.READ_ONLY, Role.POOL_ADMIN)
                .constructor()
                .destructor()
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.function("return_failure", "Return an API 'successful' failure.")
                        .errors("DEBUG_FAIL")
                        .role(Role.READ_ONLY))
                .message(MessageDecl.function("wait",
                                "Sleep for the given number of seconds, reporting progress each second (Xend "
                                        + "extension; call it through Async.debug.wait to watch a task).")
                        .param("wait_secs", Type.INT, "number of seconds to sleep")
                        .errors("INVALID_VALUE", "TASK_CANCELLED")
                        .role(Role.POOL_ADMIN))
                .build();
    }
}
