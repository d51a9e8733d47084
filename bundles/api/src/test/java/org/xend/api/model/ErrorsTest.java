package org.xend.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.ErrorDecl;
import org.xend.api.datamodel.MessageDecl;

class ErrorsTest {

    private static final Datamodel MODEL = XenApiModel.datamodel();

    @Test
    void everyCodeOfTheSpecIsDeclaredWithItsParameters() {
        Map<String, List<String>> spec = new LinkedHashMap<>();
        spec.put("HANDLE_INVALID", List.of("class", "handle"));
        spec.put("INTERNAL_ERROR", List.of("message"));
        spec.put("MAP_DUPLICATE_KEY", List.of("key", "current", "new"));
        spec.put("MESSAGE_METHOD_UNKNOWN", List.of("method"));
        spec.put("MESSAGE_PARAMETER_COUNT_MISMATCH", List.of("method", "expected", "received"));
        spec.put("NETWORK_ALREADY_CONNECTED", List.of("network", "connected_PIF"));
        spec.put("OPERATION_NOT_ALLOWED", List.of());
        spec.put("PIF_IS_PHYSICAL", List.of("PIF"));
        spec.put("SESSION_AUTHENTICATION_FAILED", List.of());
        spec.put("SESSION_INVALID", List.of("handle"));
        spec.put("SESSION_NOT_REGISTERED", List.of("handle"));
        spec.put("VALUE_NOT_SUPPORTED", List.of("field", "value", "reason"));
        spec.put("VLAN_TAG_INVALID", List.of("VLAN"));
        spec.put("VM_BAD_POWER_STATE", List.of("vm", "expected", "actual"));
        spec.put("VM_HVM_REQUIRED", List.of("vm"));
        assertParams(spec);
    }

    @Test
    void theXapiAndXendCodesClientsRelyOnAreDeclaredWithTheirParameters() {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extra.put("OTHER_OPERATION_IN_PROGRESS", List.of("class", "ref"));
        extra.put("HOST_NOT_ENOUGH_FREE_MEMORY", List.of("needed", "available"));
        extra.put("FIELD_TYPE_ERROR", List.of("field"));
        extra.put("UUID_INVALID", List.of("class", "uuid"));
        extra.put("TASK_CANCELLED", List.of("task"));
        extra.put("EVENTS_LOST", List.of());
        extra.put("PERMISSION_DENIED", List.of());
        extra.put("NOT_IMPLEMENTED", List.of("function"));
        extra.put("VM_ON_NORMAL_EXIT_INVALID", List.of("vm"));
        extra.put("VM_ON_CRASH_BEHAVIOUR_INVALID", List.of("vm"));
        extra.put("EVENT_FROM_TOKEN_PARSE_FAILURE", List.of("token"));
        extra.put("EVENT_SUBSCRIPTION_PARSE_FAILURE", List.of("subscription"));
        extra.put("UNIQUE_NAME_ERROR", List.of("name", "class"));
        extra.put("VM_IS_TEMPLATE", List.of("vm"));
        extra.put("VM_CHECKPOINT_SUSPEND_FAILED", List.of("vm"));
        extra.put("VM_MISSING_PV_DRIVERS", List.of("vm"));
        extra.put("SR_FULL", List.of("requested", "maximum"));
        extra.put("INVALID_VALUE", List.of("field", "value"));
        extra.put("DEBUG_FAIL", List.of("session"));
        extra.put("HOST_DISABLED", List.of("host"));
        extra.put("HOST_NOT_DISABLED", List.of());
        extra.put("CREATE_UNSPECIFIED_ATTRIBUTE", List.of("attribute", "class"));
        assertParams(extra);
    }

    @Test
    void theXapiDeviceAndStorageCodesAreDeclaredWithXapisParameters() {
        Map<String, List<String>> xapi = new LinkedHashMap<>();
        xapi.put("NETWORK_CONTAINS_VIF", List.of("vifs"));
        xapi.put("NETWORK_CONTAINS_PIF", List.of("pifs"));
        xapi.put("DEVICE_ALREADY_ATTACHED", List.of("device"));
        xapi.put("DEVICE_ALREADY_DETACHED", List.of("device"));
        xapi.put("DEVICE_ALREADY_EXISTS", List.of("device"));
        xapi.put("DEVICE_DETACH_REJECTED", List.of("type", "ref", "msg"));
        xapi.put("INVALID_DEVICE", List.of("device"));
        xapi.put("VBD_NOT_REMOVABLE_MEDIA", List.of("vbd"));
        xapi.put("VDI_IN_USE", List.of("vdi", "operation"));
        xapi.put("SR_HAS_NO_PBDS", List.of("sr"));
        xapi.put("SR_OPERATION_NOT_SUPPORTED", List.of("sr"));
        xapi.put("SR_BACKEND_FAILURE", List.of("status", "stdout", "stderr"));
        xapi.put("PBD_EXISTS", List.of("sr", "host", "pbd"));
        xapi.put("VTPM_MAX_AMOUNT_REACHED", List.of("amount"));
        xapi.put("CONSOLE_PROTOCOL_INVALID", List.of("message"));
        xapi.put("INVALID_DEVICE_ERROR", List.of("device"));
        xapi.put("DEVICE_EXISTS_ERROR", List.of("device"));
        assertParams(xapi);
    }

    @Test
    void everyDeclaredCodeIsRaisedSomewhereOrIsGeneric() {
        Set<String> raised = new TreeSet<>();
        for (ApiCall call : MODEL.calls().values()) {
            raised.addAll(call.errors());
        }
        Set<String> unused = new TreeSet<>();
        for (ErrorDecl e : MODEL.errors()) {
            if (!raised.contains(e.code())) {
                unused.add(e.code());
            }
        }
        // Raised by the dispatcher for any call, by generated setters, or kept for Xend-era clients.
        assertEquals(new TreeSet<>(List.of("CREATE_UNSPECIFIED_ATTRIBUTE", "FIELD_TYPE_ERROR", "IMPLEMENTATION_ERROR",
                "INTERNAL_ERROR", "MAP_DUPLICATE_KEY", "MESSAGE_METHOD_UNKNOWN", "MESSAGE_PARAMETER_COUNT_MISMATCH",
                "NETWORK_ERROR", "NOT_IMPLEMENTED", "UNMANAGED_NETWORK_ERROR", "UUID_INVALID",
                "VALUE_NOT_SUPPORTED", "VM_ON_CRASH_BEHAVIOUR_INVALID", "VM_ON_NORMAL_EXIT_INVALID")), unused);
    }

    @Test
    void everyErrorHasAOneLineDescription() {
        for (ErrorDecl e : MODEL.errors()) {
            assertFalse(e.description().isBlank(), e.code());
            assertFalse(e.description().contains("\n"), e.code());
            assertTrue(e.code().matches("[A-Z][A-Z0-9_]*"), e.code());
        }
        assertEquals(58, MODEL.errors().size());
    }

    @Test
    void everyErrorAMessageMayRaiseIsDeclared() {
        for (ApiCall call : MODEL.calls().values()) {
            for (String code : call.errors()) {
                assertTrue(MODEL.error(code).isPresent(), call.wireName() + " raises undeclared " + code);
            }
        }
        for (ApiCall call : MODEL.calls().values()) {
            assertEquals(call.errors().size(), call.errors().stream().distinct().count(), call.wireName());
        }
    }

    @Test
    void theMechanismRejectsAMessageRaisingAnUndeclaredError() {
        Datamodel.Builder broken = Datamodel.builder()
                .add(ClassDecl.builder("probe", "a class that raises a code nobody declared")
                        .message(MessageDecl.method("poke", "raises an unknown code").errors("NO_SUCH_CODE"))
                        .build());
        Errors.declare(broken);
        assertThrows(IllegalStateException.class, broken::build);
    }

    private static void assertParams(Map<String, List<String>> expected) {
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            ErrorDecl decl = MODEL.error(e.getKey()).orElseThrow(() -> new AssertionError("missing " + e.getKey()));
            assertEquals(e.getValue(), decl.params(), e.getKey());
        }
    }
}
