package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.model.XenApiModel;

/** system.listMethods, methodHelp and methodSignature, answered from the real declarations. */
class IntrospectionTest {

    private final Datamodel model = XenApiModel.datamodel();
    private final Introspection introspection = new Introspection(model);

    private Object call(String method, Object... params) {
        return introspection.call(method, List.of(params));
    }

    @Test
    void listsEveryCallItsAsyncTwinAndTheIntrospectionCalls() {
        List<?> names = (List<?>) call("system.listMethods");
        assertTrue(names.containsAll(List.of("VM.start", "Async.VM.start", "VM.get_all_records_where",
                "event.from", "system.listMethods", "system.methodHelp", "system.methodSignature")));
        assertFalse(names.contains("Async.session.login_with_password"));
        assertFalse(names.contains("Async.event.from"));
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "no name twice");
    }

    @Test
    void signaturesUseXmlRpcTypesOnePerAcceptedArity() {
        assertEquals(List.of(List.of("string", "string", "string", "boolean"),
                        List.of("string", "string", "string", "boolean", "boolean")),
                call("system.methodSignature", "VM.start"), "force is optional");
        assertEquals(List.of(List.of("string", "string", "string", "boolean"),
                        List.of("string", "string", "string", "boolean", "boolean")),
                call("system.methodSignature", "Async.VM.start"), "an Async call returns a task ref");
        assertEquals(List.of(List.of("string", "string", "string"), List.of("string", "string", "string", "string"),
                        List.of("string", "string", "string", "string", "string")),
                call("system.methodSignature", "session.login_with_password"), "no session before login");
        assertEquals(List.of(List.of("string", "string", "string")),
                call("system.methodSignature", "VM.get_memory_static_max"), "ints travel as strings");
        assertEquals(List.of(List.of("struct", "string", "string")), call("system.methodSignature", "VM.get_record"));
        assertEquals(List.of(List.of("array", "string")), call("system.methodSignature", "VM.get_all"));
        assertEquals(List.of(List.of("double", "string", "string")),
                call("system.methodSignature", "task.get_progress"));
        assertEquals(List.of(List.of("struct", "string", "array", "string", "double")),
                call("system.methodSignature", "event.from"));
        assertEquals(List.of(List.of("array", "string")), call("system.methodSignature", "system.methodSignature"));
    }

    @Test
    void everyCallHasItsSignaturesAndHelp() {
        for (ApiCall c : model.calls().values()) {
            List<?> signatures = (List<?>) call("system.methodSignature", c.wireName());
            assertEquals(c.maxArity() - c.minArity() + 1, signatures.size(), c.wireName());
            assertEquals(c.minArity() + 1, ((List<?>) signatures.get(0)).size(), c.wireName());
            assertTrue(((String) call("system.methodHelp", c.wireName())).contains(c.description()), c.wireName());
        }
    }

    @Test
    void helpGivesTheDescriptionParametersErrorsAndRole() {
        String help = (String) call("system.methodHelp", "VM.start");
        assertTrue(help.startsWith("VM.start(session_id, self, start_paused, force?) -> void\n"), help);
        assertTrue(help.contains(model.call("VM.start").orElseThrow().description()), help);
        assertTrue(help.contains("  bool start_paused: "), help);
        assertTrue(help.contains("(optional; default false)"), help);
        assertTrue(help.contains("  VM_BAD_POWER_STATE [vm, expected, actual]: "), help);
        assertTrue(help.contains("Least role allowed: vm-operator"), help);
        String async = (String) call("system.methodHelp", "Async.VM.start");
        assertTrue(async.startsWith("Async.VM.start(session_id, self, start_paused, force?) -> task ref\n"), async);
    }

    @Test
    void unknownMethodsAndBadArgumentsAreRefused() {
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "VM.nope"),
                assertThrows(XenApiException.class, () -> call("system.methodHelp", "VM.nope")).errorDescription());
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "Async.session.login_with_password"),
                assertThrows(XenApiException.class,
                        () -> call("system.methodSignature", "Async.session.login_with_password")).errorDescription());
        assertEquals(List.of("MESSAGE_PARAMETER_COUNT_MISMATCH", "system.methodHelp", "1", "0"),
                assertThrows(XenApiException.class, () -> call("system.methodHelp")).errorDescription());
        assertEquals(List.of("FIELD_TYPE_ERROR", "method"),
                assertThrows(XenApiException.class, () -> call("system.methodHelp", 3)).errorDescription());
        assertEquals(List.of("MESSAGE_METHOD_UNKNOWN", "system.multicall"),
                assertThrows(XenApiException.class, () -> call("system.multicall")).errorDescription());
    }
}
