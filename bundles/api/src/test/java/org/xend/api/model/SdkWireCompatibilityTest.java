package org.xend.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Type;

/**
 * The record fields as the Citrix Hypervisor 8.1 Java SDK ({@code com.citrix.hypervisor:xen-api:8.1.0},
 * {@code Types.to<Class>Record}) parses them, for the fields we declare. Its converters cast without checking:
 * an int must arrive as a string ({@code Long.valueOf((String) o)}), a float as an XML-RPC double
 * ({@code (Double) o}), a bool as a boolean, a datetime as a dateTime or a numeric string (seconds), sets as
 * arrays and maps as structs. A key it does not find becomes null, and an enum value it does not know becomes
 * UNRECOGNIZED, so neither breaks parsing; a wrong wire kind throws ClassCastException.
 */
class SdkWireCompatibilityTest {

    private static final Map<String, Map<String, String>> READ_BY_SDK = new LinkedHashMap<>();

    static {
        READ_BY_SDK.put("session", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("this_host", "string"),
                Map.entry("this_user", "string"),
                Map.entry("last_active", "date"),
                Map.entry("other_config", "map<string,string>"),
                Map.entry("originator", "string")));
        READ_BY_SDK.put("task", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("name_label", "string"),
                Map.entry("name_description", "string"),
                Map.entry("status", "string"),
                Map.entry("progress", "float"),
                Map.entry("type", "string"),
                Map.entry("result", "string"),
                Map.entry("error_info", "set<string>"),
                Map.entry("allowed_operations", "set<string>"),
                Map.entry("created", "date"),
                Map.entry("finished", "date"),
                Map.entry("other_config", "map<string,string>")));
        READ_BY_SDK.put("host", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("name_label", "string"),
                Map.entry("name_description", "string"),
                Map.entry("API_version_major", "int"),
                Map.entry("API_version_minor", "int"),
                Map.entry("API_version_vendor", "string"),
                Map.entry("API_version_vendor_implementation", "map<string,string>"),
                Map.entry("enabled", "bool"),
                Map.entry("software_version", "map<string,string>"),
                Map.entry("other_config", "map<string,string>"),
                Map.entry("capabilities", "set<string>"),
                Map.entry("cpu_configuration", "map<string,string>"),
                Map.entry("sched_policy", "string"),
                Map.entry("supported_bootloaders", "set<string>"),
                Map.entry("resident_VMs", "set<string>"),
                Map.entry("logging", "map<string,string>"),
                Map.entry("PIFs", "set<string>"),
                Map.entry("suspend_image_sr", "string"),
                Map.entry("crash_dump_sr", "string"),
                Map.entry("PBDs", "set<string>"),
                Map.entry("host_CPUs", "set<string>"),
                Map.entry("metrics", "string")));
        READ_BY_SDK.put("host_cpu", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("host", "string"),
                Map.entry("number", "int"),
                Map.entry("vendor", "string"),
                Map.entry("speed", "int"),
                Map.entry("modelname", "string"),
                Map.entry("stepping", "string"),
                Map.entry("flags", "string"),
                Map.entry("features", "string"),
                Map.entry("utilisation", "float"),
                Map.entry("other_config", "map<string,string>")));
        READ_BY_SDK.put("host_metrics", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("memory_total", "int"),
                Map.entry("memory_free", "int"),
                Map.entry("last_updated", "date"),
                Map.entry("other_config", "map<string,string>")));
        READ_BY_SDK.put("VM", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("power_state", "string"),
                Map.entry("name_label", "string"),
                Map.entry("name_description", "string"),
                Map.entry("user_version", "int"),
                Map.entry("is_a_template", "bool"),
                Map.entry("suspend_VDI", "string"),
                Map.entry("resident_on", "string"),
                Map.entry("memory_static_max", "int"),
                Map.entry("memory_dynamic_max", "int"),
                Map.entry("memory_dynamic_min", "int"),
                Map.entry("memory_static_min", "int"),
                Map.entry("VCPUs_params", "map<string,string>"),
                Map.entry("VCPUs_max", "int"),
                Map.entry("VCPUs_at_startup", "int"),
                Map.entry("actions_after_shutdown", "string"),
                Map.entry("actions_after_reboot", "string"),
                Map.entry("actions_after_crash", "string"),
                Map.entry("consoles", "set<string>"),
                Map.entry("VIFs", "set<string>"),
                Map.entry("VBDs", "set<string>"),
                Map.entry("crash_dumps", "set<string>"),
                Map.entry("VTPMs", "set<string>"),
                Map.entry("PV_bootloader", "string"),
                Map.entry("PV_kernel", "string"),
                Map.entry("PV_ramdisk", "string"),
                Map.entry("PV_args", "string"),
                Map.entry("PV_bootloader_args", "string"),
                Map.entry("HVM_boot_policy", "string"),
                Map.entry("HVM_boot_params", "map<string,string>"),
                Map.entry("platform", "map<string,string>"),
                Map.entry("PCI_bus", "string"),
                Map.entry("other_config", "map<string,string>"),
                Map.entry("domid", "int"),
                Map.entry("is_control_domain", "bool"),
                Map.entry("metrics", "string"),
                Map.entry("guest_metrics", "string"),
                Map.entry("allowed_operations", "set<string>"),
                Map.entry("current_operations", "map<string,string>")));
        READ_BY_SDK.put("VM_metrics", Map.ofEntries(
                Map.entry("uuid", "string"),
                Map.entry("memory_actual", "int"),
                Map.entry("VCPUs_number", "int"),
                Map.entry("VCPUs_utilisation", "map<int,float>"),
                Map.entry("VCPUs_CPU", "map<int,int>"),
                Map.entry("VCPUs_params", "map<string,string>"),
                Map.entry("VCPUs_flags", "map<int,set<string>>"),
                Map.entry("state", "set<string>"),
                Map.entry("start_time", "date"),
                Map.entry("last_updated", "date"),
                Map.entry("other_config", "map<string,string>")));
    }

    @Test
    void everyFieldTheSdkParsesTravelsInTheWireKindItCasts() {
        for (Map.Entry<String, Map<String, String>> cls : READ_BY_SDK.entrySet()) {
            ClassDecl decl = XenApiModel.datamodel().classDecl(cls.getKey()).orElseThrow();
            for (Map.Entry<String, String> f : cls.getValue().entrySet()) {
                FieldDecl field = decl.field(f.getKey()).orElseThrow(
                        () -> new AssertionError(cls.getKey() + "." + f.getKey() + " is not declared"));
                String ours = wireKind(field.type());
                boolean numericStringIsADate = f.getValue().equals("date") && ours.equals("int");
                assertTrue(ours.equals(f.getValue()) || numericStringIsADate,
                        cls.getKey() + "." + f.getKey() + ": we send " + ours + ", the SDK casts " + f.getValue());
            }
        }
    }

    @Test
    void onlyDocumentedFieldsAreInvisibleToTheSdk() {
        Set<String> unread = new TreeSet<>();
        for (ClassDecl decl : XenApiModel.datamodel().classes()) {
            for (String field : decl.fields().keySet()) {
                if (!READ_BY_SDK.get(decl.name()).containsKey(field)) {
                    unread.add(decl.name() + "." + field);
                }
            }
        }
        // task.session is spec-only (XAPI dropped it); XAPI removed VM.auto_power_on from the VM record.
        assertEquals(Set.of("task.session", "VM.auto_power_on"), unread);
    }

    /** What an XML-RPC front door sends for a value of the type: ints as strings, everything else natively. */
    private static String wireKind(Type t) {
        if (t instanceof Type.SetOf s) {
            return "set<" + wireKind(s.element()) + ">";
        }
        if (t instanceof Type.MapOf m) {
            return "map<" + wireKind(m.key()) + "," + wireKind(m.value()) + ">";
        }
        if (t == Type.INT) {
            return "int";
        }
        if (t == Type.FLOAT) {
            return "float";
        }
        if (t == Type.BOOL) {
            return "bool";
        }
        if (t == Type.DATETIME) {
            return "date";
        }
        return "string";
    }
}
