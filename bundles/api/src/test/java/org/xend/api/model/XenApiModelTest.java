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
import java.util.Optional;
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
import org.xend.api.datamodel.Role;
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
        SPEC_FIELDS.put("event", List.of("id", "timestamp", "class", "operation", "ref", "obj_uuid"));
        ADDED_FIELDS.put("event", List.of("snapshot"));
        SPEC_FIELDS.put("pool", List.of("uuid"));
        ADDED_FIELDS.put("pool", List.of("name_label", "name_description", "master", "default_SR",
                "suspend_image_SR", "crash_dump_SR", "other_config"));
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
        SPEC_FIELDS.put("VM_guest_metrics", List.of("uuid", "os_version", "PV_drivers_version", "memory", "disks",
                "networks", "other", "last_updated"));
        ADDED_FIELDS.put("VM_guest_metrics", List.of("other_config"));
        SPEC_FIELDS.put("host", List.of("uuid", "name_label", "name_description", "API_version_major",
                "API_version_minor", "API_version_vendor", "API_version_vendor_implementation", "enabled",
                "software_version", "other_config", "capabilities", "cpu_configuration", "sched_policy",
                "supported_bootloaders", "resident_VMs", "logging", "PIFs", "suspend_image_sr", "crash_dump_sr",
                "PBDs", "host_CPUs", "metrics"));
        ADDED_FIELDS.put("host", List.of());
        SPEC_FIELDS.put("host_metrics", List.of("uuid", "memory_total", "memory_free", "last_updated"));
        ADDED_FIELDS.put("host_metrics", List.of("other_config"));
        SPEC_FIELDS.put("host_cpu", List.of("uuid", "host", "number", "vendor", "speed", "modelname", "stepping",
                "flags", "features", "utilisation"));
        ADDED_FIELDS.put("host_cpu", List.of("other_config"));
        SPEC_FIELDS.put("network", List.of("uuid", "name_label", "name_description", "VIFs", "PIFs",
                "other_config"));
        ADDED_FIELDS.put("network", List.of());
        SPEC_FIELDS.put("VIF", List.of("uuid", "device", "network", "VM", "MAC", "MTU", "currently_attached",
                "status_code", "status_detail", "runtime_properties", "qos_algorithm_type", "qos_algorithm_params",
                "qos_supported_algorithms", "metrics"));
        ADDED_FIELDS.put("VIF", List.of("other_config"));
        SPEC_FIELDS.put("VIF_metrics", List.of("uuid", "io_read_kbs", "io_write_kbs", "last_updated"));
        ADDED_FIELDS.put("VIF_metrics", List.of("other_config"));
        SPEC_FIELDS.put("PIF", List.of("uuid", "device", "network", "host", "MAC", "MTU", "VLAN", "metrics"));
        ADDED_FIELDS.put("PIF", List.of("other_config"));
        SPEC_FIELDS.put("PIF_metrics", List.of("uuid", "io_read_kbs", "io_write_kbs", "last_updated"));
        ADDED_FIELDS.put("PIF_metrics", List.of("other_config"));
        SPEC_FIELDS.put("SR", List.of("uuid", "name_label", "name_description", "VDIs", "PBDs", "virtual_allocation",
                "physical_utilisation", "physical_size", "type", "content_type"));
        ADDED_FIELDS.put("SR", List.of("other_config"));
        SPEC_FIELDS.put("VDI", List.of("uuid", "name_label", "name_description", "SR", "VBDs", "crash_dumps",
                "virtual_size", "physical_utilisation", "type", "sharable", "read_only", "other_config"));
        ADDED_FIELDS.put("VDI", List.of());
        SPEC_FIELDS.put("VBD", List.of("uuid", "VM", "VDI", "device", "bootable", "mode", "type",
                "currently_attached", "status_code", "status_detail", "runtime_properties", "qos_algorithm_type",
                "qos_algorithm_params", "qos_supported_algorithms", "metrics"));
        ADDED_FIELDS.put("VBD", List.of("other_config"));
        SPEC_FIELDS.put("VBD_metrics", List.of("uuid", "io_read_kbs", "io_write_kbs", "last_updated"));
        ADDED_FIELDS.put("VBD_metrics", List.of("other_config"));
        SPEC_FIELDS.put("PBD", List.of("uuid", "host", "SR", "device_config", "currently_attached"));
        ADDED_FIELDS.put("PBD", List.of("other_config"));
        SPEC_FIELDS.put("crashdump", List.of("uuid", "VM", "VDI"));
        ADDED_FIELDS.put("crashdump", List.of("other_config"));
        SPEC_FIELDS.put("VTPM", List.of("uuid", "VM", "backend"));
        ADDED_FIELDS.put("VTPM", List.of("other_config"));
        SPEC_FIELDS.put("console", List.of("uuid", "protocol", "location", "VM", "other_config"));
        ADDED_FIELDS.put("console", List.of());
        SPEC_FIELDS.put("user", List.of("uuid", "short_name", "fullname"));
        ADDED_FIELDS.put("user", List.of("other_config"));
        // The spec's debug has no fields, but its get_by_uuid implies a uuid.
        SPEC_FIELDS.put("debug", List.of("uuid"));
        ADDED_FIELDS.put("debug", List.of("other_config"));
    }

    /** The spec's RW fields (plus our RW additions); every other field is read-only. */
    private static final Map<String, Set<String>> RW_FIELDS = Map.ofEntries(
            Map.entry("session", Set.of("other_config")),
            Map.entry("task", Set.of("other_config")),
            Map.entry("event", Set.of()),
            Map.entry("pool", Set.of("name_label", "name_description", "default_SR", "suspend_image_SR",
                    "crash_dump_SR", "other_config")),
            Map.entry("host", Set.of("name_label", "name_description", "other_config", "logging", "suspend_image_sr",
                    "crash_dump_sr")),
            Map.entry("host_cpu", Set.of("other_config")),
            Map.entry("host_metrics", Set.of("other_config")),
            Map.entry("VM", Set.of("name_label", "name_description", "user_version", "is_a_template",
                    "auto_power_on", "memory_static_max", "memory_dynamic_max", "memory_dynamic_min",
                    "memory_static_min", "VCPUs_params", "VCPUs_max", "VCPUs_at_startup", "actions_after_shutdown",
                    "actions_after_reboot", "actions_after_crash", "PV_bootloader", "PV_kernel", "PV_ramdisk",
                    "PV_args", "PV_bootloader_args", "HVM_boot_policy", "HVM_boot_params", "platform", "PCI_bus",
                    "other_config")),
            Map.entry("VM_metrics", Set.of("other_config")),
            Map.entry("VM_guest_metrics", Set.of("other_config")),
            Map.entry("network", Set.of("name_label", "name_description", "other_config")),
            Map.entry("VIF", Set.of("device", "MAC", "MTU", "qos_algorithm_type", "qos_algorithm_params",
                    "other_config")),
            Map.entry("VIF_metrics", Set.of("other_config")),
            Map.entry("PIF", Set.of("device", "MAC", "MTU", "VLAN", "other_config")),
            Map.entry("PIF_metrics", Set.of("other_config")),
            Map.entry("SR", Set.of("name_label", "name_description", "other_config")),
            Map.entry("VDI", Set.of("name_label", "name_description", "virtual_size", "sharable", "read_only",
                    "other_config")),
            Map.entry("VBD", Set.of("device", "bootable", "mode", "type", "qos_algorithm_type",
                    "qos_algorithm_params", "other_config")),
            Map.entry("VBD_metrics", Set.of("other_config")),
            Map.entry("PBD", Set.of("other_config")),
            Map.entry("crashdump", Set.of("other_config")),
            Map.entry("VTPM", Set.of("other_config")),
            Map.entry("console", Set.of("other_config")),
            Map.entry("user", Set.of("fullname", "other_config")),
            Map.entry("debug", Set.of("other_config")));

    /**
     * The spec's RO_ins fields: given to the constructor, read-only afterwards. console.protocol and console.VM
     * are RO_run in the spec but are what its constructor needs, so they are RO_ins here.
     */
    private static final Map<String, Set<String>> RO_INS_FIELDS = Map.ofEntries(
            Map.entry("event", Set.of("id", "timestamp", "class", "operation", "ref", "obj_uuid", "snapshot")),
            Map.entry("VIF", Set.of("network", "VM")),
            Map.entry("PIF", Set.of("network", "host")),
            Map.entry("SR", Set.of("physical_size", "type", "content_type")),
            Map.entry("VDI", Set.of("SR", "type")),
            Map.entry("VBD", Set.of("VM", "VDI")),
            Map.entry("PBD", Set.of("host", "SR", "device_config")),
            Map.entry("crashdump", Set.of("VM", "VDI")),
            Map.entry("VTPM", Set.of("VM", "backend")),
            Map.entry("console", Set.of("protocol", "VM")),
            Map.entry("user", Set.of("short_name")));

    /** Every field type of the spec, as the spec prints it (without parentheses), keyed by class.field. */
    private static final Map<String, String> SPEC_TYPES = pairs(
            "session.uuid", "string", "session.this_host", "host ref", "session.this_user", "user ref",
            "session.last_active", "int", "task.uuid", "string", "task.name_label", "string",
            "task.name_description", "string", "task.status", "task_status_type", "task.session", "session ref",
            "task.progress", "int", "task.type", "string", "task.result", "string", "task.error_info", "string Set",
            "task.allowed_operations", "task_allowed_operations Set", "event.id", "int",
            "event.timestamp", "datetime", "event.class", "string", "event.operation", "event_operation",
            "event.ref", "string", "event.obj_uuid", "string", "VM.uuid", "string",
            "VM.power_state", "vm_power_state", "VM.name_label", "string", "VM.name_description", "string",
            "VM.user_version", "int", "VM.is_a_template", "bool", "VM.auto_power_on", "bool",
            "VM.suspend_VDI", "VDI ref", "VM.resident_on", "host ref", "VM.memory_static_max", "int",
            "VM.memory_dynamic_max", "int", "VM.memory_dynamic_min", "int", "VM.memory_static_min", "int",
            "VM.VCPUs_params", "string -> string Map", "VM.VCPUs_max", "int", "VM.VCPUs_at_startup", "int",
            "VM.actions_after_shutdown", "on_normal_exit", "VM.actions_after_reboot", "on_normal_exit",
            "VM.actions_after_crash", "on_crash_behaviour", "VM.consoles", "console ref Set",
            "VM.VIFs", "VIF ref Set", "VM.VBDs", "VBD ref Set", "VM.crash_dumps", "crashdump ref Set",
            "VM.VTPMs", "VTPM ref Set", "VM.PV_bootloader", "string", "VM.PV_kernel", "string",
            "VM.PV_ramdisk", "string", "VM.PV_args", "string", "VM.PV_bootloader_args", "string",
            "VM.HVM_boot_policy", "string", "VM.HVM_boot_params", "string -> string Map",
            "VM.platform", "string -> string Map", "VM.PCI_bus", "string", "VM.other_config", "string -> string Map",
            "VM.domid", "int", "VM.is_control_domain", "bool", "VM.metrics", "VM_metrics ref",
            "VM.guest_metrics", "VM_guest_metrics ref", "VM_metrics.uuid", "string",
            "VM_metrics.memory_actual", "int", "VM_metrics.VCPUs_number", "int",
            "VM_metrics.VCPUs_utilisation", "int -> float Map", "VM_metrics.VCPUs_CPU", "int -> int Map",
            "VM_metrics.VCPUs_params", "string -> string Map", "VM_metrics.VCPUs_flags", "int -> string Set Map",
            "VM_metrics.state", "string Set", "VM_metrics.start_time", "datetime",
            "VM_metrics.last_updated", "datetime", "VM_guest_metrics.uuid", "string",
            "VM_guest_metrics.os_version", "string -> string Map",
            "VM_guest_metrics.PV_drivers_version", "string -> string Map",
            "VM_guest_metrics.memory", "string -> string Map", "VM_guest_metrics.disks", "string -> string Map",
            "VM_guest_metrics.networks", "string -> string Map", "VM_guest_metrics.other", "string -> string Map",
            "VM_guest_metrics.last_updated", "datetime", "host.uuid", "string", "host.name_label", "string",
            "host.name_description", "string", "host.API_version_major", "int", "host.API_version_minor", "int",
            "host.API_version_vendor", "string", "host.API_version_vendor_implementation", "string -> string Map",
            "host.enabled", "bool", "host.software_version", "string -> string Map",
            "host.other_config", "string -> string Map", "host.capabilities", "string Set",
            "host.cpu_configuration", "string -> string Map", "host.sched_policy", "string",
            "host.supported_bootloaders", "string Set", "host.resident_VMs", "VM ref Set",
            "host.logging", "string -> string Map", "host.PIFs", "PIF ref Set", "host.suspend_image_sr", "SR ref",
            "host.crash_dump_sr", "SR ref", "host.PBDs", "PBD ref Set", "host.host_CPUs", "host_cpu ref Set",
            "host.metrics", "host_metrics ref", "host_metrics.uuid", "string", "host_metrics.memory_total", "int",
            "host_metrics.memory_free", "int", "host_metrics.last_updated", "datetime", "host_cpu.uuid", "string",
            "host_cpu.host", "host ref", "host_cpu.number", "int", "host_cpu.vendor", "string",
            "host_cpu.speed", "int", "host_cpu.modelname", "string", "host_cpu.stepping", "string",
            "host_cpu.flags", "string", "host_cpu.features", "string", "host_cpu.utilisation", "float",
            "network.uuid", "string", "network.name_label", "string", "network.name_description", "string",
            "network.VIFs", "VIF ref Set", "network.PIFs", "PIF ref Set",
            "network.other_config", "string -> string Map", "VIF.uuid", "string", "VIF.device", "string",
            "VIF.network", "network ref", "VIF.VM", "VM ref", "VIF.MAC", "string", "VIF.MTU", "int",
            "VIF.currently_attached", "bool", "VIF.status_code", "int", "VIF.status_detail", "string",
            "VIF.runtime_properties", "string -> string Map", "VIF.qos_algorithm_type", "string",
            "VIF.qos_algorithm_params", "string -> string Map", "VIF.qos_supported_algorithms", "string Set",
            "VIF.metrics", "VIF_metrics ref", "VIF_metrics.uuid", "string", "VIF_metrics.io_read_kbs", "float",
            "VIF_metrics.io_write_kbs", "float", "VIF_metrics.last_updated", "datetime", "PIF.uuid", "string",
            "PIF.device", "string", "PIF.network", "network ref", "PIF.host", "host ref", "PIF.MAC", "string",
            "PIF.MTU", "int", "PIF.VLAN", "int", "PIF.metrics", "PIF_metrics ref", "PIF_metrics.uuid", "string",
            "PIF_metrics.io_read_kbs", "float", "PIF_metrics.io_write_kbs", "float",
            "PIF_metrics.last_updated", "datetime", "SR.uuid", "string", "SR.name_label", "string",
            "SR.name_description", "string", "SR.VDIs", "VDI ref Set", "SR.PBDs", "PBD ref Set",
            "SR.virtual_allocation", "int", "SR.physical_utilisation", "int", "SR.physical_size", "int",
            "SR.type", "string", "SR.content_type", "string", "VDI.uuid", "string", "VDI.name_label", "string",
            "VDI.name_description", "string", "VDI.SR", "SR ref", "VDI.VBDs", "VBD ref Set",
            "VDI.crash_dumps", "crashdump ref Set", "VDI.virtual_size", "int", "VDI.physical_utilisation", "int",
            "VDI.type", "vdi_type", "VDI.sharable", "bool", "VDI.read_only", "bool",
            "VDI.other_config", "string -> string Map", "VBD.uuid", "string", "VBD.VM", "VM ref",
            "VBD.VDI", "VDI ref", "VBD.device", "string", "VBD.bootable", "bool", "VBD.mode", "vbd_mode",
            "VBD.type", "vbd_type", "VBD.currently_attached", "bool", "VBD.status_code", "int",
            "VBD.status_detail", "string", "VBD.runtime_properties", "string -> string Map",
            "VBD.qos_algorithm_type", "string", "VBD.qos_algorithm_params", "string -> string Map",
            "VBD.qos_supported_algorithms", "string Set", "VBD.metrics", "VBD_metrics ref",
            "VBD_metrics.uuid", "string", "VBD_metrics.io_read_kbs", "float", "VBD_metrics.io_write_kbs", "float",
            "VBD_metrics.last_updated", "datetime", "PBD.uuid", "string", "PBD.host", "host ref", "PBD.SR", "SR ref",
            "PBD.device_config", "string -> string Map", "PBD.currently_attached", "bool",
            "crashdump.uuid", "string", "crashdump.VM", "VM ref", "crashdump.VDI", "VDI ref", "VTPM.uuid", "string",
            "VTPM.VM", "VM ref", "VTPM.backend", "VM ref", "console.uuid", "string",
            "console.protocol", "console_protocol", "console.location", "string", "console.VM", "VM ref",
            "console.other_config", "string -> string Map", "user.uuid", "string", "user.short_name", "string",
            "user.fullname", "string");


    /** Where our type differs from the spec's, and why: see the class declarations. */
    private static final Map<String, String> TYPES_CHANGED_SINCE_THE_SPEC = Map.of(
            "task.progress", "float"); // XAPI: a fraction 0.0-1.0, which today's clients parse as a double

    /** The classes of the spec, plus XAPI's pool: a ref may only name one of these. */
    private static final Set<String> SPEC_CLASSES = Set.of("session", "task", "event", "VM", "VM_metrics",
            "VM_guest_metrics", "host", "host_metrics", "host_cpu", "network", "VIF", "VIF_metrics", "PIF",
            "PIF_metrics", "SR", "VDI", "VBD", "VBD_metrics", "PBD", "crashdump", "VTPM", "console", "user", "debug",
            "pool");

    @Test
    void buildsOnceAndCachesTheModel() {
        assertSame(MODEL, XenApiModel.datamodel());
        List<String> names = MODEL.classes().stream().map(ClassDecl::name).toList();
        assertEquals(List.of("session", "task", "event", "pool", "VM", "VM_metrics", "VM_guest_metrics", "host",
                "host_metrics", "host_cpu", "network", "VIF", "VIF_metrics", "PIF", "PIF_metrics", "SR", "VDI", "VBD",
                "VBD_metrics", "PBD", "crashdump", "VTPM", "console", "user", "debug"), names);
        assertEquals(SPEC_FIELDS.keySet(), Set.copyOf(names));
        assertEquals(SPEC_CLASSES, Set.copyOf(names));
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
        assertEquals(14 + 1, decl("VIF").fields().size());
        assertEquals(15 + 1, decl("VBD").fields().size());
        assertEquals(6 + 1, decl("event").fields().size());
    }

    @Test
    void everyClassHasAWritableOtherConfigExceptEvents() {
        for (ClassDecl c : MODEL.classes()) {
            if (c.name().equals("event")) {
                assertFalse(c.fields().containsKey("other_config"), "an event is not an object");
                continue;
            }
            FieldDecl otherConfig = field(c.name(), "other_config");
            assertEquals(Type.STRING_MAP, otherConfig.type(), c.name());
            assertEquals(Qualifier.RW, otherConfig.qualifier(), c.name());
            assertTrue(MODEL.call(c.name() + ".add_to_other_config").isPresent(), c.name());
            assertTrue(MODEL.call(c.name() + ".remove_from_other_config").isPresent(), c.name());
        }
    }

    @Test
    void qualifiersAreTheSpecsAndOnlyRwFieldsGetSettersAndOnlyRwMapsGetAddToAndRemoveFrom() {
        for (ClassDecl c : MODEL.classes()) {
            String cls = c.name();
            Set<String> rw = RW_FIELDS.get(cls);
            Set<String> roIns = RO_INS_FIELDS.getOrDefault(cls, Set.of());
            for (FieldDecl f : c.fields().values()) {
                boolean writable = rw.contains(f.name());
                Qualifier expected = writable ? Qualifier.RW
                        : roIns.contains(f.name()) ? Qualifier.RO_INS : Qualifier.RO_RUN;
                assertEquals(expected, f.qualifier(), cls + "." + f.name());
                if (!c.generatedCalls()) {
                    continue;
                }
                assertTrue(MODEL.call(cls + ".get_" + f.name()).isPresent(), cls + ".get_" + f.name());
                assertEquals(writable, MODEL.call(cls + ".set_" + f.name()).isPresent(), cls + ".set_" + f.name());
                assertEquals(writable && f.isMap(), MODEL.call(cls + ".add_to_" + f.name()).isPresent(),
                        cls + ".add_to_" + f.name());
                assertEquals(writable && f.isMap(), MODEL.call(cls + ".remove_from_" + f.name()).isPresent(),
                        cls + ".remove_from_" + f.name());
                assertFalse(MODEL.call(cls + ".add_" + f.name()).isPresent(), "no RW set field in the spec");
            }
        }
    }

    @Test
    void everyFieldHasTheSpecsTypeExceptTheDocumentedXapiChanges() {
        for (Map.Entry<String, String> e : SPEC_TYPES.entrySet()) {
            String[] classAndField = e.getKey().split("\\.");
            FieldDecl f = field(classAndField[0], classAndField[1]);
            String expected = TYPES_CHANGED_SINCE_THE_SPEC.getOrDefault(e.getKey(), e.getValue());
            assertEquals(expected, specSpelling(f.type()), e.getKey());
        }
        Set<String> specFields = new TreeSet<>();
        SPEC_FIELDS.forEach((cls, fields) -> {
            if (!cls.equals("pool") && !cls.equals("debug")) { // their uuids are ours, not the spec's tables'
                fields.forEach(f -> specFields.add(cls + "." + f));
            }
        });
        assertEquals(specFields, new TreeSet<>(SPEC_TYPES.keySet()));
    }

    @Test
    void everyGeneratedCallOfTheSpecExists() {
        for (String call : List.of("VM.get_record", "VM.set_name_label", "VM.add_to_other_config",
                "VM.remove_from_other_config", "VM.get_by_name_label", "VM.get_all", "VM.get_all_records",
                "VM.get_by_uuid", "VM.create", "VM.destroy", "VM.get_power_state", "VM.set_VCPUs_params",
                "VM.add_to_VCPUs_params", "VM.get_allowed_operations", "VM.get_current_operations",
                "host.get_API_version_major", "host.get_API_version_minor", "host.get_record",
                "host.set_name_label", "host.add_to_logging", "host.set_suspend_image_sr", "host.get_by_name_label",
                "host_cpu.get_utilisation", "host_cpu.get_record", "host_metrics.get_memory_free",
                "VM_metrics.get_VCPUs_utilisation", "VM_metrics.get_record", "session.get_this_host",
                "session.get_record", "session.get_last_active", "task.destroy", "task.get_progress",
                "task.get_by_name_label", "task.get_all_records", "VIF.get_qos_algorithm_type",
                "VIF.set_qos_algorithm_type", "VIF.add_to_qos_algorithm_params", "VIF.get_qos_supported_algorithms",
                "VIF_metrics.get_io_read_kbs", "PIF.set_VLAN", "PIF_metrics.get_io_write_kbs", "SR.get_VDIs",
                "SR.get_by_name_label", "VDI.set_virtual_size", "VDI.get_crash_dumps", "VBD.set_mode",
                "VBD.get_runtime_properties", "VBD_metrics.get_last_updated", "PBD.get_device_config",
                "crashdump.get_VDI", "VTPM.get_backend", "console.get_location", "user.set_fullname",
                "user.get_short_name", "debug.get_record", "VM_guest_metrics.get_PV_drivers_version",
                "network.get_PIFs", "pool.get_master", "pool.get_all", "pool.set_default_SR",
                "pool.get_all_records")) {
            assertTrue(MODEL.call(call).isPresent(), call);
        }
        assertEquals(CallKind.DESTROY, call("task.destroy").kind());
        assertEquals(CallKind.CREATE, call("VM.create").kind());
        assertEquals(CallKind.MESSAGE, call("task.create").kind(), "task.create takes a label, not a record");
        assertFalse(MODEL.call("host.create").isPresent(), "host has no constructor in the spec");
        assertFalse(MODEL.call("host.destroy").isPresent(), "host has no destructor in the spec");
        assertFalse(MODEL.call("VM_metrics.get_by_name_label").isPresent(), "VM_metrics has no name_label");
        assertFalse(MODEL.call("VIF.get_by_name_label").isPresent(), "VIF has no name_label");
    }

    @Test
    void everyClassWithGeneratedCallsCanBeQueriedWithAnExpression() {
        for (ClassDecl c : MODEL.classes()) {
            Optional<ApiCall> where = MODEL.call(c.name() + ".get_all_records_where");
            assertEquals(c.generatedCalls(), where.isPresent(), c.name());
            if (where.isPresent()) {
                assertEquals(CallKind.GET_ALL_RECORDS_WHERE, where.get().kind());
                assertEquals(List.of("expr"), paramNames(where.get()));
                assertEquals(Type.mapOf(Type.ref(c.name()), Type.record(c.name())), where.get().result());
                assertEquals(Role.READ_ONLY, where.get().role());
            }
        }
    }

    @Test
    void constructorsAndDestructorsAreTheSpecs() {
        Set<String> withConstructor = new TreeSet<>();
        Set<String> withDestructor = new TreeSet<>();
        for (ClassDecl c : MODEL.classes()) {
            if (c.constructor()) {
                withConstructor.add(c.name());
                assertEquals(CallKind.CREATE, call(c.name() + ".create").kind());
            }
            if (c.destructor()) {
                withDestructor.add(c.name());
                assertEquals(CallKind.DESTROY, call(c.name() + ".destroy").kind());
            }
        }
        assertEquals(new TreeSet<>(List.of("VM", "network", "VIF", "VDI", "VBD", "PBD", "VTPM", "console", "user",
                "debug")), withConstructor);
        assertEquals(new TreeSet<>(List.of("task", "VM", "network", "VIF", "VDI", "VBD", "PBD", "crashdump", "VTPM",
                "console", "user", "debug")), withDestructor);
        // The spec's PIF.destroy refuses physical interfaces: a declared message with its own error.
        ApiCall pifDestroy = call("PIF.destroy");
        assertEquals(CallKind.MESSAGE, pifDestroy.kind());
        assertTrue(pifDestroy.takesSelf());
        assertEquals(List.of("PIF_IS_PHYSICAL"), pifDestroy.errors());
        for (String cls : List.of("SR", "pool", "VM_guest_metrics", "VIF_metrics", "PIF_metrics", "VBD_metrics",
                "host_cpu", "host_metrics", "VM_metrics")) {
            assertFalse(MODEL.call(cls + ".create").isPresent(), cls);
            assertFalse(MODEL.call(cls + ".destroy").isPresent(), cls);
        }
    }

    @Test
    void constructorsAndDestructorsDeclareWhatTheyRaise() {
        assertEquals(List.of("HANDLE_INVALID", "DEVICE_ALREADY_EXISTS", "INVALID_DEVICE"), call("VBD.create").errors());
        assertEquals(List.of("HANDLE_INVALID", "OPERATION_NOT_ALLOWED", "DEVICE_DETACH_REJECTED"),
                call("VBD.destroy").errors());
        assertEquals(List.of("HANDLE_INVALID", "DEVICE_ALREADY_EXISTS", "INVALID_DEVICE", "INVALID_VALUE"),
                call("VIF.create").errors());
        assertEquals(List.of("HANDLE_INVALID", "SR_FULL", "SR_HAS_NO_PBDS", "SR_OPERATION_NOT_SUPPORTED",
                "SR_BACKEND_FAILURE"), call("VDI.create").errors());
        assertEquals(List.of("HANDLE_INVALID", "VDI_IN_USE", "SR_OPERATION_NOT_SUPPORTED", "SR_BACKEND_FAILURE"),
                call("VDI.destroy").errors());
        assertEquals(List.of(), call("network.create").errors(), "a network record holds no refs");
        assertEquals(List.of("HANDLE_INVALID", "NETWORK_CONTAINS_VIF", "NETWORK_CONTAINS_PIF"),
                call("network.destroy").errors());
        assertEquals(List.of("HANDLE_INVALID", "PBD_EXISTS"), call("PBD.create").errors());
        assertEquals(List.of("HANDLE_INVALID", "CONSOLE_PROTOCOL_INVALID", "VM_BAD_POWER_STATE"),
                call("console.create").errors());
        assertEquals(List.of("HANDLE_INVALID", "VM_BAD_POWER_STATE", "VTPM_MAX_AMOUNT_REACHED"),
                call("VTPM.create").errors());
        assertEquals(List.of("UNIQUE_NAME_ERROR"), call("user.create").errors());
        assertEquals(List.of("HANDLE_INVALID"), call("crashdump.destroy").errors());
    }

    @Test
    void constructorsTakeTheRwAndRoInsFields() {
        assertEquals(List.of("device", "network", "VM", "MAC", "MTU", "qos_algorithm_type", "qos_algorithm_params",
                "other_config"), fieldNames(decl("VIF").constructorFields()));
        assertEquals(List.of("VM", "VDI", "device", "bootable", "mode", "type", "qos_algorithm_type",
                "qos_algorithm_params", "other_config"), fieldNames(decl("VBD").constructorFields()));
        assertEquals(List.of("name_label", "name_description", "SR", "virtual_size", "type", "sharable",
                "read_only", "other_config"), fieldNames(decl("VDI").constructorFields()));
        assertEquals(List.of("protocol", "VM", "other_config"), fieldNames(decl("console").constructorFields()));
        assertEquals(List.of("VM", "backend", "other_config"), fieldNames(decl("VTPM").constructorFields()));
        assertEquals(List.of("host", "SR", "device_config", "other_config"),
                fieldNames(decl("PBD").constructorFields()));
    }

    @Test
    void messagesAreTheSpecsWithTheirKinds() {
        assertMessages("session", Map.of("login_with_password", true, "logout", true));
        assertMessages("task", Map.of("create", true, "cancel", false));
        assertMessages("event", Map.of("register", true, "unregister", true, "next", true, "from", true,
                "get_current_id", true, "inject", true));
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
        assertMessages("VIF", Map.of("plug", false, "unplug", false));
        assertMessages("VBD", Map.of("media_change", false, "plug", false, "unplug", false));
        assertMessages("PIF", Map.of("create_VLAN", true, "destroy", false));
        assertMessages("SR", Map.of("get_supported_types", true));
        assertMessages("debug", Map.of("return_failure", true, "wait", true));
        for (String cls : List.of("pool", "host_cpu", "host_metrics", "VM_metrics", "VM_guest_metrics", "network",
                "VIF_metrics", "PIF_metrics", "VDI", "VBD_metrics", "PBD", "crashdump", "VTPM", "console", "user")) {
            assertMessages(cls, Map.of());
        }
    }

    @Test
    void eventsAreNotStoredObjectsSoTheyHaveNoUuidAndNoGeneratedCalls() {
        ClassDecl event = decl("event");
        assertFalse(event.generatedCalls());
        assertFalse(event.fields().containsKey("uuid"));
        Set<String> eventCalls = new TreeSet<>();
        for (ApiCall c : MODEL.calls().values()) {
            if (c.className().equals("event")) {
                eventCalls.add(c.callName());
                assertEquals(CallKind.MESSAGE, c.kind(), c.wireName());
                assertFalse(c.takesSelf(), c.wireName());
                assertTrue(c.needsSession(), c.wireName());
                assertEquals(Role.READ_ONLY, c.role(), c.wireName());
            }
        }
        assertEquals(new TreeSet<>(List.of("register", "unregister", "next", "from", "get_current_id", "inject")),
                eventCalls);
        for (ClassDecl c : MODEL.classes()) {
            assertEquals(!c.name().equals("event"), c.generatedCalls(), c.name());
            assertEquals(c.generatedCalls(), c.fields().containsKey("uuid"), c.name());
        }
    }

    @Test
    void eventSignaturesAreXapisAndOnlyRegistrationHasAsyncTwins() {
        ApiCall register = call("event.register");
        assertEquals(List.of("classes"), paramNames(register));
        assertEquals(Type.STRING_SET, register.params().get(0).type());
        assertEquals(Type.VOID, register.result());
        assertTrue(register.async());
        assertTrue(call("event.unregister").async());

        ApiCall next = call("event.next");
        assertEquals(List.of(), next.params());
        assertEquals(Type.setOf(Type.record("event")), next.result());
        assertEquals(List.of("SESSION_NOT_REGISTERED", "EVENTS_LOST", "SESSION_INVALID"), next.errors());
        assertFalse(next.async());

        ApiCall from = call("event.from");
        assertEquals(List.of("classes", "token", "timeout"), paramNames(from));
        assertEquals(List.of(Type.STRING_SET, Type.STRING, Type.FLOAT),
                from.params().stream().map(ParamDecl::type).toList());
        assertEquals(4, from.minArity());
        assertEquals(4, from.maxArity());
        assertFalse(from.async());
        assertEquals(List.of("EVENT_FROM_TOKEN_PARSE_FAILURE", "EVENT_SUBSCRIPTION_PARSE_FAILURE", "EVENTS_LOST",
                "SESSION_INVALID"), from.errors());
        Type.Struct batch = (Type.Struct) from.result();
        assertEquals("event_batch", batch.name());
        assertEquals(List.of("events", "valid_ref_counts", "token"), List.copyOf(batch.members().keySet()));
        assertEquals(Type.setOf(Type.record("event")), batch.members().get("events"));
        assertEquals(Type.mapOf(Type.STRING, Type.INT), batch.members().get("valid_ref_counts"));
        assertEquals(Type.STRING, batch.members().get("token"));

        assertEquals(Type.INT, call("event.get_current_id").result());
        assertEquals(1, call("event.get_current_id").maxArity());
        ApiCall inject = call("event.inject");
        assertEquals(List.of("class", "ref"), paramNames(inject));
        assertEquals(Type.STRING, inject.result());
        assertFalse(inject.async());

        assertEquals(Enums.EVENT_OPERATION, field("event", "operation").type());
        assertEquals(Type.DATETIME, field("event", "timestamp").type());
        assertEquals(Type.STRING_MAP, field("event", "snapshot").type(), "filled with the class's record");
    }

    @Test
    void deviceAndStorageSignaturesMatchTheSpec() {
        ApiCall mediaChange = call("VBD.media_change");
        assertEquals(List.of("self", "vdi"), paramNames(mediaChange));
        assertEquals(Type.ref("VDI"), mediaChange.params().get(1).type());
        assertEquals(List.of("HANDLE_INVALID", "VBD_NOT_REMOVABLE_MEDIA"), mediaChange.errors());
        assertEquals(List.of("VM_BAD_POWER_STATE", "DEVICE_ALREADY_ATTACHED", "VDI_IN_USE"),
                call("VBD.plug").errors());
        assertEquals(List.of("VM_BAD_POWER_STATE", "DEVICE_ALREADY_DETACHED", "DEVICE_DETACH_REJECTED"),
                call("VBD.unplug").errors());
        assertEquals(List.of("VM_BAD_POWER_STATE", "DEVICE_ALREADY_ATTACHED"), call("VIF.plug").errors());
        assertEquals(2, call("VIF.plug").maxArity());

        ApiCall createVlan = call("PIF.create_VLAN");
        assertEquals(List.of("device", "network", "host", "VLAN"), paramNames(createVlan));
        assertEquals(List.of(Type.STRING, Type.ref("network"), Type.ref("host"), Type.INT),
                createVlan.params().stream().map(ParamDecl::type).toList());
        assertEquals(Type.ref("PIF"), createVlan.result());
        assertTrue(createVlan.errors().contains("VLAN_TAG_INVALID"));
        assertTrue(createVlan.errors().contains("NETWORK_ALREADY_CONNECTED"));

        ApiCall supportedTypes = call("SR.get_supported_types");
        assertFalse(supportedTypes.takesSelf());
        assertEquals(Type.STRING_SET, supportedTypes.result());

        assertEquals(List.of("DEBUG_FAIL"), call("debug.return_failure").errors());
        assertEquals(1, call("debug.return_failure").maxArity());
        assertEquals(List.of("wait_secs"), paramNames(call("debug.wait")));
        assertEquals(Type.INT, call("debug.wait").params().get(0).type());

        ApiCall taskCreate = call("task.create");
        assertEquals(List.of("label", "description"), paramNames(taskCreate));
        assertEquals(Type.ref("task"), taskCreate.result());
        assertFalse(taskCreate.async());
        assertEquals(Role.READ_ONLY, taskCreate.role());
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
        expected.put("task.create", "read-only");
        expected.put("network.create", "vm-admin");
        expected.put("network.destroy", "vm-admin");
        expected.put("VIF.create", "vm-admin");
        expected.put("VIF.plug", "vm-admin");
        expected.put("VIF.unplug", "vm-admin");
        expected.put("VIF.set_MAC", "vm-admin");
        expected.put("VBD.create", "vm-admin");
        expected.put("VBD.plug", "vm-admin");
        expected.put("VBD.unplug", "vm-admin");
        expected.put("VBD.media_change", "vm-operator");
        expected.put("VDI.create", "vm-admin");
        expected.put("VDI.destroy", "vm-admin");
        expected.put("VTPM.create", "vm-admin");
        expected.put("console.create", "vm-admin");
        expected.put("VM_guest_metrics.add_to_other_config", "vm-admin");
        expected.put("PIF.create_VLAN", "pool-operator");
        expected.put("PIF.destroy", "pool-operator");
        expected.put("PIF.set_MTU", "pool-operator");
        expected.put("PIF_metrics.add_to_other_config", "pool-operator");
        expected.put("SR.set_name_label", "pool-operator");
        expected.put("SR.get_supported_types", "read-only");
        expected.put("PBD.create", "pool-operator");
        expected.put("crashdump.destroy", "pool-operator");
        expected.put("pool.set_default_SR", "pool-operator");
        expected.put("pool.get_master", "read-only");
        expected.put("user.create", "pool-admin");
        expected.put("user.set_fullname", "pool-admin");
        expected.put("debug.return_failure", "read-only");
        expected.put("debug.wait", "pool-admin");
        for (String m : List.of("register", "unregister", "next", "from", "get_current_id", "inject")) {
            expected.put("event." + m, "read-only");
        }
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
        assertEquals("RW", defaultOf("VBD", "mode"));
        assertEquals("Disk", defaultOf("VBD", "type"));
        assertEquals("system", defaultOf("VDI", "type"));
        assertEquals(1500L, defaultOf("VIF", "MTU"));
        assertEquals(1500L, defaultOf("PIF", "MTU"));
        assertEquals(-1L, defaultOf("PIF", "VLAN"), "a PIF is physical unless it carries a VLAN tag");
        assertEquals("00000000-0000-0000-0000-000000000000", defaultOf("VTPM", "backend"), "Domain-0");
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
        assertTrue(checked >= 20, "expected the documented explicit defaults, found " + checked);
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
    void refsAndRecordsNameOnlyDeclaredClasses() {
        for (ClassDecl c : MODEL.classes()) {
            for (FieldDecl f : c.fields().values()) {
                for (String target : classTargets(f.type())) {
                    assertTrue(MODEL.classDecl(target).isPresent(), c.name() + "." + f.name() + " refers to " + target);
                }
            }
        }
        for (ApiCall call : MODEL.calls().values()) {
            for (ParamDecl p : call.params()) {
                for (String target : classTargets(p.type())) {
                    assertTrue(MODEL.classDecl(target).isPresent(), call.wireName() + "(" + p.name() + ")");
                }
            }
            for (String target : classTargets(call.result())) {
                assertTrue(MODEL.classDecl(target).isPresent(), call.wireName() + " returns " + target);
            }
        }
    }

    @Test
    void vmAndHostReferToTheDeviceStorageAndMetricsClasses() {
        assertEquals(Type.setOf(Type.ref("VBD")), field("VM", "VBDs").type());
        assertEquals(Type.setOf(Type.ref("VIF")), field("VM", "VIFs").type());
        assertEquals(Type.setOf(Type.ref("console")), field("VM", "consoles").type());
        assertEquals(Type.setOf(Type.ref("VTPM")), field("VM", "VTPMs").type());
        assertEquals(Type.setOf(Type.ref("crashdump")), field("VM", "crash_dumps").type());
        assertEquals(Type.ref("VM_guest_metrics"), field("VM", "guest_metrics").type());
        assertEquals(Type.ref("VDI"), field("VM", "suspend_VDI").type());
        assertEquals(Type.setOf(Type.ref("PIF")), field("host", "PIFs").type());
        assertEquals(Type.setOf(Type.ref("PBD")), field("host", "PBDs").type());
        assertEquals(Type.ref("SR"), field("host", "suspend_image_sr").type());
        assertEquals(Type.ref("SR"), field("host", "crash_dump_sr").type());
        assertEquals(Type.ref("host"), field("pool", "master").type());
        assertEquals(Type.ref("user"), field("session", "this_user").type());
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

    /** The classes a type names: refs, records, and the members of a struct. */
    private static List<String> classTargets(Type t) {
        if (t instanceof Type.Ref r) {
            return List.of(r.className());
        }
        if (t instanceof Type.Record r) {
            return List.of(r.className());
        }
        if (t instanceof Type.SetOf s) {
            return classTargets(s.element());
        }
        List<String> out = new ArrayList<>();
        if (t instanceof Type.MapOf m) {
            out.addAll(classTargets(m.key()));
            out.addAll(classTargets(m.value()));
        } else if (t instanceof Type.Struct s) {
            for (Type member : s.members().values()) {
                out.addAll(classTargets(member));
            }
        }
        return out;
    }

    /** A type as the spec's field tables print it, e.g. {@code string -> string Map}, {@code VIF ref Set}. */
    private static String specSpelling(Type t) {
        return t.display().replace("(", "").replace(")", "").replace("enum ", "");
    }

    private static Map<String, String> pairs(String... keysAndValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    private static List<String> fieldNames(List<FieldDecl> fields) {
        return fields.stream().map(FieldDecl::name).toList();
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
