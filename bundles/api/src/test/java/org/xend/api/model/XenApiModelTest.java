package org.xend.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.CallKind;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.ParamDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Type;

class XenApiModelTest {

    private static final Datamodel MODEL = XenApiModel.datamodel();

    /** Field names of the Xen API 1.0 spec (xenapi-datamodel.tex @ 3.1.0), in the spec's order. */
    private static final Map<String, List<String>> SPEC_FIELDS = new LinkedHashMap<>();
    /** Fields we add beyond the spec (from XAPI), appended after the spec's fields. */
    private static final Map<String, List<String>> ADDED_FIELDS = new LinkedHashMap<>();

    static {
        SPEC_FIELDS.put("session", List.of("uuid", "this_host", "this_user", "last_active"));
        ADDED_FIELDS.put("session", List.of("other_config", "originator"));
        SPEC_FIELDS.put("task", List.of("uuid", "name_label", "name_description", "status", "session", "progress",
                "type", "result", "error_info", "allowed_operations"));
        ADDED_FIELDS.put("task", List.of("created", "finished", "other_config"));
        SPEC_FIELDS.put("host", List.of("uuid", "name_label", "name_description", "API_version_major",
                "API_version_minor", "API_version_vendor", "API_version_vendor_implementation", "enabled",
                "software_version", "other_config", "capabilities", "cpu_configuration", "sched_policy",
                "supported_bootloaders", "resident_VMs", "logging", "PIFs", "suspend_image_sr", "crash_dump_sr",
                "PBDs", "host_CPUs", "metrics"));
        ADDED_FIELDS.put("host", List.of());
        SPEC_FIELDS.put("host_cpu", List.of("uuid", "host", "number", "vendor", "speed", "modelname", "stepping",
                "flags", "features", "utilisation"));
        ADDED_FIELDS.put("host_cpu", List.of("other_config"));
        SPEC_FIELDS.put("host_metrics", List.of("uuid", "memory_total", "memory_free", "last_updated"));
        ADDED_FIELDS.put("host_metrics", List.of("other_config"));
        SPEC_FIELDS.put("VM", List.of("uuid", "power_state", "name_label", "name_description", "user_version",
                "is_a_template", "auto_power_on", "suspend_VDI", "resident_on", "memory_static_max",
                "memory_dynamic_max", "memory_dynamic_min", "memory_static_min", "VCPUs_params", "VCPUs_max",
                "VCPUs_at_startup", "actions_after_shutdown", "actions_after_reboot", "actions_after_crash",
                "consoles", "VIFs", "VBDs", "crash_dumps", "VTPMs", "PV_bootloader", "PV_kernel", "PV_ramdisk",
                "PV_args", "PV_bootloader_args", "HVM_boot_policy", "HVM_boot_params", "platform", "PCI_bus",
                "other_config", "domid", "is_control_domain", "metrics", "guest_metrics"));
        ADDED_FIELDS.put("VM", List.of("allowed_operations", "current_operations"));
        SPEC_FIELDS.put("VM_metrics", List.of("uuid", "memory_actual", "VCPUs_number", "VCPUs_utilisation",
                "VCPUs_CPU", "VCPUs_params", "VCPUs_flags", "state", "start_time", "last_updated"));
        ADDED_FIELDS.put("VM_metrics", List.of("other_config"));
    }

    /** The spec's RW fields (plus our RW additions); every other field is read-only. */
    private static final Map<String, Set<String>> RW_FIELDS = Map.of(
            "session", Set.of("other_config"),
            "task", Set.of("other_config"),
            "host", Set.of("name_label", "name_description", "other_config", "logging", "suspend_image_sr",
                    "crash_dump_sr"),
            "host_cpu", Set.of("other_config"),
            "host_metrics", Set.of("other_config"),
            "VM", Set.of("name_label", "name_description", "user_version", "is_a_template", "auto_power_on",
                    "memory_static_max", "memory_dynamic_max", "memory_dynamic_min", "memory_static_min",
                    "VCPUs_params", "VCPUs_max", "VCPUs_at_startup", "actions_after_shutdown",
                    "actions_after_reboot", "actions_after_crash", "PV_bootloader", "PV_kernel", "PV_ramdisk",
                    "PV_args", "PV_bootloader_args", "HVM_boot_policy", "HVM_boot_params", "platform", "PCI_bus",
                    "other_config"),
            "VM_metrics", Set.of("other_config"));

    /** The classes of the spec: a ref may only name one of these. */
    private static final Set<String> SPEC_CLASSES = Set.of("session", "task", "event", "VM", "VM_metrics",
            "VM_guest_metrics", "host", "host_metrics", "host_cpu", "network", "VIF", "VIF_metrics", "PIF",
            "PIF_metrics", "SR", "VDI", "VBD", "VBD_metrics", "PBD", "crashdump", "VTPM", "console", "user", "debug");

    @Test
    void buildsOnceAndCachesTheModel() {
        assertSame(MODEL, XenApiModel.datamodel());
        List<String> names = MODEL.classes().stream().map(ClassDecl::name).toList();
        assertEquals(List.of("session", "task", "host", "host_cpu", "host_metrics", "VM", "VM_metrics"), names);
    }

    @Test
    void fieldsAreTheSpecsPlusTheDocumentedAdditionsInOrder() {
        for (String cls : SPEC_FIELDS.keySet()) {
            List<String> expected = new ArrayList<>(SPEC_FIELDS.get(cls));
            expected.addAll(ADDED_FIELDS.get(cls));
            assertEquals(expected, List.copyOf(decl(cls).fields().keySet()), cls);
        }
        assertEquals(4 + 2, decl("session").fields().size());
        assertEquals(10 + 3, decl("task").fields().size());
        assertEquals(22, decl("host").fields().size());
        assertEquals(10 + 1, decl("host_cpu").fields().size());
        assertEquals(4 + 1, decl("host_metrics").fields().size());
        assertEquals(38 + 2, decl("VM").fields().size());
        assertEquals(10 + 1, decl("VM_metrics").fields().size());
    }

    @Test
    void onlyTheRwFieldsGetSettersAndOnlyRwMapsGetAddToAndRemoveFrom() {
        for (ClassDecl c : MODEL.classes()) {
            Set<String> rw = RW_FIELDS.get(c.name());
            for (FieldDecl f : c.fields().values()) {
                String cls = c.name();
                boolean writable = rw.contains(f.name());
                assertEquals(writable ? Qualifier.RW : Qualifier.RO_RUN, f.qualifier(), cls + "." + f.name());
                assertTrue(MODEL.call(cls + ".get_" + f.name()).isPresent(), cls + ".get_" + f.name());
                assertEquals(writable, MODEL.call(cls + ".set_" + f.name()).isPresent(), cls + ".set_" + f.name());
                assertEquals(writable && f.isMap(), MODEL.call(cls + ".add_to_" + f.name()).isPresent(),
                        cls + ".add_to_" + f.name());
                assertEquals(writable && f.isMap(), MODEL.call(cls + ".remove_from_" + f.name()).isPresent(),
                        cls + ".remove_from_" + f.name());
            }
        }
    }

    @Test
    void generatedCallsExist() {
        for (String call : List.of("VM.get_record", "VM.set_name_label", "VM.add_to_other_config",
                "VM.remove_from_other_config", "VM.get_by_name_label", "VM.get_all", "VM.get_all_records",
                "VM.get_by_uuid", "VM.create", "VM.destroy", "VM.get_power_state", "VM.set_VCPUs_params",
                "VM.add_to_VCPUs_params", "VM.get_allowed_operations", "VM.get_current_operations",
                "host.get_API_version_major", "host.get_API_version_minor", "host.get_record",
                "host.set_name_label", "host.add_to_logging", "host.set_suspend_image_sr", "host.get_by_name_label",
                "host_cpu.get_utilisation", "host_cpu.get_record", "host_metrics.get_memory_free",
                "VM_metrics.get_VCPUs_utilisation", "VM_metrics.get_record", "session.get_this_host",
                "session.get_record", "session.get_last_active", "task.destroy", "task.get_progress",
                "task.get_by_name_label", "task.get_all_records")) {
            assertTrue(MODEL.call(call).isPresent(), call);
        }
        assertEquals(CallKind.DESTROY, call("task.destroy").kind());
        assertEquals(CallKind.CREATE, call("VM.create").kind());
        assertFalse(MODEL.call("host.create").isPresent(), "host has no constructor in the spec");
        assertFalse(MODEL.call("host.destroy").isPresent(), "host has no destructor in the spec");
        assertFalse(MODEL.call("task.create").isPresent(), "tasks are made by Async calls, not by clients");
        assertFalse(MODEL.call("VM_metrics.get_by_name_label").isPresent(), "VM_metrics has no name_label");
    }

    @Test
    void messagesAreTheSpecsWithTheirKinds() {
        assertMessages("session", Map.of("login_with_password", true, "logout", true));
        assertMessages("task", Map.of("cancel", false));
        assertMessages("host", Map.of("disable", false, "enable", false, "shutdown", false, "reboot", false,
                "dmesg", false, "dmesg_clear", false, "get_log", false, "send_debug_keys", false,
                "list_methods", true));
        Map<String, Boolean> vm = new LinkedHashMap<>();
        for (String m : List.of("clone", "start", "pause", "unpause", "clean_shutdown", "clean_reboot",
                "hard_shutdown", "hard_reboot", "suspend", "resume", "set_VCPUs_number_live",
                "add_to_VCPUs_params_live", "set_memory_dynamic_max_live", "set_memory_dynamic_min_live",
                "send_sysrq", "send_trigger", "migrate", "save")) {
            vm.put(m, false);
        }
        vm.put("restore", true);
        assertMessages("VM", vm);
        assertMessages("host_cpu", Map.of());
        assertMessages("host_metrics", Map.of());
        assertMessages("VM_metrics", Map.of());
    }

    @Test
    void loginTakesTwoToFourArgumentsAndNoSession() {
        ApiCall login = call("session.login_with_password");
        assertFalse(login.needsSession());
        assertFalse(login.async());
        assertEquals(2, login.minArity());
        assertEquals(4, login.maxArity());
        assertEquals(List.of("uname", "pwd", "version", "originator"), paramNames(login));
        assertEquals("", login.params().get(2).defaultValue());
        assertEquals("", login.params().get(3).defaultValue());
        assertEquals(Type.ref("session"), login.result());
        assertEquals(List.of("SESSION_AUTHENTICATION_FAILED"), login.errors());
        assertFalse(MODEL.call("Async.session.login_with_password").isPresent());

        ApiCall logout = call("session.logout");
        assertTrue(logout.needsSession());
        assertFalse(logout.takesSelf());
        assertFalse(logout.async());
        assertEquals(1, logout.maxArity());
    }

    @Test
    void vmSignaturesMatchTheSpecAndTheTolerantXapiForms() {
        ApiCall start = call("VM.start");
        assertEquals(List.of("self", "start_paused", "force"), paramNames(start));
        assertEquals(3, start.minArity());
        assertEquals(4, start.maxArity());
        assertEquals(Boolean.FALSE, start.params().get(2).defaultValue());
        assertTrue(start.errors().containsAll(List.of("VM_BAD_POWER_STATE", "VM_HVM_REQUIRED")));

        ApiCall resume = call("VM.resume");
        assertEquals(List.of("self", "start_paused", "force"), paramNames(resume));
        assertEquals(3, resume.minArity());
        assertEquals(4, resume.maxArity());

        ApiCall trigger = call("VM.send_trigger");
        assertEquals(List.of("self", "trigger"), paramNames(trigger));
        assertEquals(3, trigger.minArity());
        assertEquals(3, trigger.maxArity());

        ApiCall migrate = call("VM.migrate");
        assertEquals(List.of("self", "dest", "live", "options"), paramNames(migrate));
        assertEquals(Type.STRING_MAP, migrate.params().get(3).type());

        ApiCall save = call("VM.save");
        assertEquals(List.of("self", "path", "checkpoint"), paramNames(save));
        assertTrue(save.takesSelf());

        ApiCall restore = call("VM.restore");
        assertEquals(List.of("path", "paused"), paramNames(restore));
        assertFalse(restore.takesSelf());
        assertEquals(3, restore.maxArity());

        ApiCall clone = call("VM.clone");
        assertEquals(Type.ref("VM"), clone.result());
        assertEquals(List.of("self", "new_name"), paramNames(clone));

        ApiCall cancel = call("task.cancel");
        assertTrue(cancel.takesSelf());
        assertEquals(List.of("OPERATION_NOT_ALLOWED", "PERMISSION_DENIED"), cancel.errors());

        assertEquals(Type.STRING, call("host.dmesg").result());
        assertEquals(Type.STRING_SET, call("host.list_methods").result());
        assertFalse(call("host.list_methods").takesSelf());
        assertEquals(List.of("self", "keys"), paramNames(call("host.send_debug_keys")));
    }

    @Test
    void leastRolesFollowXapiConventions() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String op : List.of("start", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown",
                "hard_reboot", "suspend", "resume")) {
            expected.put("VM." + op, "vm-operator");
        }
        expected.put("VM.create", "vm-admin");
        expected.put("VM.destroy", "vm-admin");
        expected.put("VM.clone", "vm-admin");
        expected.put("VM.set_name_label", "vm-admin");
        expected.put("VM.add_to_other_config", "vm-admin");
        expected.put("VM.migrate", "vm-power-admin");
        expected.put("VM.set_VCPUs_number_live", "vm-power-admin");
        expected.put("VM.add_to_VCPUs_params_live", "vm-power-admin");
        expected.put("VM.set_memory_dynamic_max_live", "vm-power-admin");
        expected.put("VM.set_memory_dynamic_min_live", "vm-power-admin");
        expected.put("VM.get_record", "read-only");
        expected.put("VM.get_all_records", "read-only");
        expected.put("host.enable", "pool-operator");
        expected.put("host.disable", "pool-operator");
        expected.put("host.shutdown", "pool-operator");
        expected.put("host.reboot", "pool-operator");
        expected.put("host.set_name_label", "pool-operator");
        expected.put("host.dmesg_clear", "pool-admin");
        expected.put("host.send_debug_keys", "pool-admin");
        expected.put("host.list_methods", "read-only");
        expected.put("host.get_record", "read-only");
        expected.put("task.destroy", "read-only");
        expected.put("task.cancel", "read-only");
        expected.put("session.logout", "read-only");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), call(e.getKey()).role().wireName(), e.getKey());
        }
        for (ApiCall c : MODEL.calls().values()) {
            if (c.kind() == CallKind.GET_FIELD || c.kind() == CallKind.GET_RECORD || c.kind() == CallKind.GET_ALL
                    || c.kind() == CallKind.GET_ALL_RECORDS) {
                assertEquals("read-only", c.role().wireName(), c.wireName() + " is a read");
            }
        }
    }

    @Test
    void defaultsAreTheOnesALifecycleNeeds() {
        assertEquals("Halted", defaultOf("VM", "power_state"));
        assertEquals("destroy", defaultOf("VM", "actions_after_shutdown"));
        assertEquals("restart", defaultOf("VM", "actions_after_reboot"));
        assertEquals("restart", defaultOf("VM", "actions_after_crash"));
        assertEquals(-1L, defaultOf("VM", "domid"));
        assertEquals(1L, defaultOf("VM", "user_version"));
        assertEquals(1L, defaultOf("VM", "VCPUs_max"));
        assertEquals(1L, defaultOf("VM", "VCPUs_at_startup"));
        assertEquals("pending", defaultOf("task", "status"));
        assertEquals(Boolean.TRUE, defaultOf("host", "enabled"));
        assertEquals(1L, defaultOf("host", "API_version_major"));
        assertEquals(0L, defaultOf("host", "API_version_minor"));
        assertEquals("xenbits", defaultOf("host", "API_version_vendor"));
    }

    @Test
    void everyExplicitDefaultHasTheJavaTypeOfItsFieldAndEnumDefaultsAreLegalValues() {
        int checked = 0;
        for (ClassDecl c : MODEL.classes()) {
            for (FieldDecl f : c.fields().values()) {
                if (f.defaultValue() == null) {
                    continue;
                }
                checked++;
                String where = c.name() + "." + f.name();
                assertTrue(javaTypeOf(f.type()).isInstance(f.defaultValue()),
                        where + " default " + f.defaultValue() + " is not a " + javaTypeOf(f.type()).getSimpleName());
                if (f.type() instanceof Type.Enum e) {
                    assertTrue(e.values().contains(f.defaultValue()), where + " default is not an enum value");
                }
            }
        }
        assertTrue(checked >= 13, "expected the documented explicit defaults, found " + checked);
    }

    @Test
    void typesFollowTheSpecWithXapiChangesWhereDocumented() {
        assertEquals(Type.FLOAT, field("task", "progress").type());
        assertEquals(Type.DATETIME, field("task", "created").type());
        assertEquals(Type.DATETIME, field("task", "finished").type());
        assertEquals(Type.setOf(Enums.TASK_ALLOWED_OPERATIONS), field("task", "allowed_operations").type());
        assertEquals(Type.INT, field("session", "last_active").type());
        assertEquals(Type.ref("user"), field("session", "this_user").type());
        assertEquals(Type.setOf(Enums.VM_OPERATIONS), field("VM", "allowed_operations").type());
        assertEquals(Type.mapOf(Type.STRING, Enums.VM_OPERATIONS), field("VM", "current_operations").type());
        assertEquals(Qualifier.RO_RUN, field("VM", "allowed_operations").qualifier());
        assertEquals(Qualifier.RO_RUN, field("VM", "current_operations").qualifier());
        assertEquals(Type.mapOf(Type.INT, Type.FLOAT), field("VM_metrics", "VCPUs_utilisation").type());
        assertEquals(Type.mapOf(Type.INT, Type.STRING_SET), field("VM_metrics", "VCPUs_flags").type());
        assertEquals(Type.FLOAT, field("host_cpu", "utilisation").type());
        assertEquals(Enums.VM_POWER_STATE, field("VM", "power_state").type());
        assertTrue(Enums.VM_POWER_STATE.values().containsAll(
                List.of("Halted", "Paused", "Running", "Suspended", "Crashed", "Unknown")));
        assertFalse(decl("VM").fields().containsKey("actions_after_suspend"), "not in the spec");
    }

    @Test
    void refsNameOnlyClassesOfTheSpec() {
        for (ClassDecl c : MODEL.classes()) {
            for (FieldDecl f : c.fields().values()) {
                for (String target : refTargets(f.type())) {
                    assertTrue(SPEC_CLASSES.contains(target), c.name() + "." + f.name() + " refers to " + target);
                }
            }
        }
        for (ApiCall call : MODEL.calls().values()) {
            for (ParamDecl p : call.params()) {
                for (String target : refTargets(p.type())) {
                    assertTrue(SPEC_CLASSES.contains(target), call.wireName() + "(" + p.name() + ")");
                }
            }
        }
    }

    @Test
    void enumsHaveDistinctValues() {
        for (Type.Enum e : Enums.ALL) {
            assertEquals(e.values().size(), Set.copyOf(e.values()).size(), e.name());
            assertFalse(e.values().isEmpty(), e.name());
        }
        assertEquals(List.of("destroy", "restart"), Enums.ON_NORMAL_EXIT.values());
        assertEquals(List.of("pending", "success", "failure", "cancelling", "cancelled"),
                Enums.TASK_STATUS_TYPE.values());
        assertEquals(List.of("add", "del", "mod"), Enums.EVENT_OPERATION.values());
        for (String op : List.of("start", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown",
                "hard_reboot", "suspend", "resume", "destroy")) {
            assertTrue(Enums.VM_OPERATIONS.values().contains(op), op);
        }
    }

    @Test
    void everythingIsDescribed() {
        for (ClassDecl c : MODEL.classes()) {
            assertFalse(c.description().isBlank(), c.name());
            for (FieldDecl f : c.fields().values()) {
                assertFalse(f.description().isBlank(), c.name() + "." + f.name());
            }
            for (MessageDecl m : c.messages().values()) {
                assertFalse(m.description().isBlank(), c.name() + "." + m.name());
                for (ParamDecl p : m.params()) {
                    assertFalse(p.description().isBlank(), c.name() + "." + m.name() + "(" + p.name() + ")");
                }
            }
        }
    }

    private static void assertMessages(String cls, Map<String, Boolean> expectedStatic) {
        Map<String, MessageDecl> messages = decl(cls).messages();
        assertEquals(new TreeSet<>(expectedStatic.keySet()), new TreeSet<>(messages.keySet()), cls);
        for (Map.Entry<String, Boolean> e : expectedStatic.entrySet()) {
            assertEquals(e.getValue(), messages.get(e.getKey()).isStatic(), cls + "." + e.getKey() + " static?");
        }
    }

    private static List<String> refTargets(Type t) {
        if (t instanceof Type.Ref r) {
            return List.of(r.className());
        }
        if (t instanceof Type.SetOf s) {
            return refTargets(s.element());
        }
        if (t instanceof Type.MapOf m) {
            List<String> out = new ArrayList<>(refTargets(m.key()));
            out.addAll(refTargets(m.value()));
            return out;
        }
        return List.of();
    }

    /** The Java class of a value of the type, as documented on {@code ApiObject}. */
    private static Class<?> javaTypeOf(Type t) {
        if (t instanceof Type.Enum || t instanceof Type.Ref || t == Type.STRING) {
            return String.class;
        }
        if (t == Type.INT) {
            return Long.class;
        }
        if (t == Type.FLOAT) {
            return Double.class;
        }
        if (t == Type.BOOL) {
            return Boolean.class;
        }
        if (t == Type.DATETIME) {
            return Instant.class;
        }
        if (t instanceof Type.SetOf) {
            return List.class;
        }
        if (t instanceof Type.MapOf) {
            return Map.class;
        }
        fail("no Java type for " + t.display());
        return Object.class;
    }

    private static List<String> paramNames(ApiCall call) {
        return call.params().stream().map(ParamDecl::name).toList();
    }

    private static Object defaultOf(String cls, String fieldName) {
        return field(cls, fieldName).defaultValue();
    }

    private static FieldDecl field(String cls, String fieldName) {
        return decl(cls).field(fieldName).orElseThrow(() -> new AssertionError(cls + "." + fieldName));
    }

    private static ClassDecl decl(String cls) {
        return MODEL.classDecl(cls).orElseThrow(() -> new AssertionError("no class " + cls));
    }

    private static ApiCall call(String wireName) {
        ApiCall c = MODEL.call(wireName).orElse(null);
        assertNotNull(c, wireName);
        return c;
    }
}
