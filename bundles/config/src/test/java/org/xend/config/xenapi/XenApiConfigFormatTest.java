package org.xend.config.xenapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.config.Fixtures.map;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

class XenApiConfigFormatTest {

    private static final long MIB = 1024L * 1024L;
    private static final String UUID = "0b6a4c2e-9f1d-4e37-8a5b-c3d2e1f0a9b8";

    private final XenApiConfigFormat format = new XenApiConfigFormat();

    private static String refusal(Map<String, ?> record) {
        return assertThrows(ConfigException.class, () -> new XenApiConfigFormat().fromRecord(record)).getMessage();
    }

    @Test
    void registersAsTheXenApiFormat() {
        assertEquals("xenapi", format.format());
    }

    // ---- VM fields ------------------------------------------------------------------------------------------

    @Test
    void readsTheVmFieldsWithIntsAsIntsOrStrings() throws ConfigException {
        VmConfig config = format.fromRecord(map(
                "uuid", UUID.toUpperCase(),
                "name_label", "web",
                "name_description", "front end",
                "user_version", "3",
                "is_a_template", "False",
                "auto_power_on", 1,
                "memory_static_min", "0",
                "memory_static_max", 805306368L,
                "memory_dynamic_min", 536870912,
                "memory_dynamic_max", " 536870912 ",
                "VCPUs_params", map("weight", 512, "cap", "0"),
                "VCPUs_max", 4.0,
                "VCPUs_at_startup", "2",
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "rename-restart",
                "PV_bootloader", "",
                "PV_kernel", "/boot/vmlinuz",
                "HVM_boot_policy", "BIOS order",
                "HVM_boot_params", map("order", "dc"),
                "platform", map("acpi", true, "vnc", 1),
                "PCI_bus", "",
                "other_config", ""));
        assertEquals(map(
                "uuid", UUID,
                "name_label", "web",
                "name_description", "front end",
                "user_version", 3L,
                "is_a_template", false,
                "auto_power_on", true,
                "memory_static_max", 768 * MIB,
                "memory_dynamic_max", 512 * MIB,
                "memory_dynamic_min", 512 * MIB,
                "memory_static_min", 0L,
                "VCPUs_params", map("weight", "512", "cap", "0"),
                "VCPUs_max", 4L,
                "VCPUs_at_startup", 2L,
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "rename_restart",
                "PV_bootloader", "",
                "PV_kernel", "/boot/vmlinuz",
                "HVM_boot_policy", "BIOS order",
                "HVM_boot_params", map("order", "dc"),
                "platform", map("acpi", "True", "vnc", "1"),
                "PCI_bus", "",
                "other_config", Map.of()), config.fields());
        assertEquals(List.copyOf(config.fields().keySet()).indexOf("memory_static_max"), 6, "fields in VmField order");
    }

    @Test
    void unknownMembersAreIgnoredAndKeysMatchIgnoringCase() throws ConfigException {
        VmConfig config = format.fromRecord(map("uuid", UUID, "power_state", "Running", "domid", "7",
                "resident_on", "OpaqueRef:NULL", "metrics", "x", "consoles", List.of("ref1"),
                "VBDs", List.of("a-ref", "b-ref"), "Name_Label", "cased", "memory_STATIC_max", "1048576",
                "tools_version", Map.of("major", 1)));
        assertEquals(map("uuid", UUID, "name_label", "cased", "memory_static_max", MIB), config.fields());
        assertEquals(List.of(), config.devices(), "refs, as a record lists its devices, are not devices");
    }

    @Test
    void aMissingUuidIsGenerated() throws ConfigException {
        String uuid = (String) format.fromRecord(Map.of()).fields().get("uuid");
        assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), uuid);
    }

    @Test
    void xendKeysOutsideTheApiPassThrough() throws ConfigException {
        VmConfig config = format.fromRecord(map("uuid", UUID, "on_xend_start", "start", "on_xend_stop", "suspend",
                "cpus", List.of(3, 1, 2), "cpu_weight", 512, "cpu_cap", "0", "shadow_memory", 8L, "vcpu_avail", "3",
                "features", "", "security", "(security (access_control (policy p) (label l)))",
                "xend_extras", map("start_time", "1178620800.12", "name", "not an extra")));
        assertEquals(map("on_xend_start", "start", "on_xend_stop", "suspend", "cpus", "1,2,3", "cpu_weight", "512",
                "cpu_cap", "0", "shadow_memory", "8", "vcpu_avail", "3", "features", "",
                "security", "(security (access_control (policy p) (label l)))", "start_time", "1178620800.12"),
                config.extras());
        assertEquals("0,2,3", format.fromRecord(map("cpus", "0-3,^1")).extras().get("cpus"));
    }

    @Test
    void toleratesTheKeysOfXend304sTestScripts() throws ConfigException {
        // xapi.domcfg.py and test_hvm_create.py of Xen 3.1.0 still sent these.
        VmConfig config = format.fromRecord(map("name_label", "APIVM", "VCPUs_number", 2, "VCPUs_policy", "credit",
                "kernel_kernel", "/boot/vmlinuz-2.6.18-xenU", "kernel_initrd", "/boot/initrd.img",
                "kernel_args", "root=/dev/sda1 ro", "builder", "hvm", "HVM_boot", "cda", "bios_boot", "hard disk",
                "platform_std_VGA", false, "platform_serial", "pty", "platform_localtime", "1",
                "platform_clock_offset", "0", "platform_enable_audio", false, "otherConfig", map("k", "v"),
                "VCPUs_params", ""));
        Map<String, Object> fields = config.fields();
        assertEquals(2L, fields.get("VCPUs_max"));
        assertEquals(2L, fields.get("VCPUs_at_startup"));
        assertEquals("/boot/vmlinuz-2.6.18-xenU", fields.get("PV_kernel"));
        assertEquals("/boot/initrd.img", fields.get("PV_ramdisk"));
        assertEquals("root=/dev/sda1 ro", fields.get("PV_args"));
        assertEquals("BIOS order", fields.get("HVM_boot_policy"));
        assertEquals(Map.of("order", "cda"), fields.get("HVM_boot_params"));
        assertEquals(Map.of("stdvga", "0", "serial", "pty", "localtime", "1"), fields.get("platform"));
        assertEquals(Map.of("k", "v"), fields.get("other_config"));
        assertEquals(Map.of(), fields.get("VCPUs_params"));
    }

    @Test
    void theCurrentKeyWinsOverItsOldForm() throws ConfigException {
        Map<String, Object> fields = format.fromRecord(map("VCPUs_max", 4, "VCPUs_number", 2, "PV_kernel", "/new",
                "kernel_kernel", "/old", "platform", map("acpi", "1"), "platform_std_VGA", true)).fields();
        assertEquals(4L, fields.get("VCPUs_max"));
        assertEquals(2L, fields.get("VCPUs_at_startup"));
        assertEquals("/new", fields.get("PV_kernel"));
        assertEquals(Map.of("acpi", "1"), fields.get("platform"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memory_static_max | 256M | memory_static_max: expected an integer, got '256M'",
        "VCPUs_max | 1.5 | VCPUs_max: expected an integer, got Double 1.5",
        "is_a_template | maybe | is_a_template: expected a boolean (true, false, 1 or 0), got 'maybe'",
        "actions_after_crash | explode | actions_after_crash: expected one of coredump_and_destroy",
        "uuid | not-a-uuid | uuid: not a UUID, got 'not-a-uuid'",
        "on_xend_start | later | on_xend_start: expected one of ignore, resume, start, got 'later'",
        "cpus | 0-3,^0-3 | cpus: no CPU is left",
        "platform | acpi | platform: expected a struct of strings, got 'acpi'"})
    void badValuesAreRefusedNamingKeyValueAndRule(String key, String value, String expected) {
        Object typed = value.equals("1.5") ? (Object) 1.5 : value;
        String message = refusal(Map.of(key, typed));
        assertTrue(message.startsWith(expected), message);
    }

    @Test
    void anEmptyActionIsUnset() throws ConfigException {
        assertNull(format.fromRecord(map("actions_after_crash", "")).fields().get("actions_after_crash"));
    }

    // ---- devices --------------------------------------------------------------------------------------------

    @Test
    void vbdStructsMapAsXendDid() throws ConfigException {
        DeviceConfig disk = format.vbdFromRecord(map("uuid", "d1", "VM", "vm-ref", "image", "file:/root/gentoo.img",
                "device", "sda1", "type", "Disk", "mode", "RW", "bootable", true, "driver", "paravirtualised",
                "VDI", "vdi-ref", "qos_algorithm_type", ""));
        assertEquals(new DeviceConfig("vbd", "d1", map("uname", "file:/root/gentoo.img", "dev", "sda1", "mode", "w",
                "bootable", "1", "driver", "paravirtualised", "VDI", "vdi-ref")), disk);
        DeviceConfig cd = format.vbdFromRecord(map("image", "phy:/dev/cdrom", "device", "hdc", "type", "CD",
                "mode", "RO", "bootable", "0", "VDI", "OpaqueRef:NULL"));
        assertEquals(map("uname", "phy:/dev/cdrom", "dev", "hdc:cdrom", "mode", "r", "bootable", "0"), cd.options());
        assertEquals("tap", format.vbdFromRecord(map("image", "tap:aio:/x.img", "device", "xvda", "mode", "rw"))
                .deviceClass());
        assertEquals("r", format.vbdFromRecord(map("device", "xvda", "mode", "RO!")).options().get("mode"),
                "anything but RW is read-only, as in Xend");
        assertEquals(map("dev", "sda2", "mode", "w"), format.vbdFromRecord(map("device", "sda2", "type", "disk",
                "mode", "RW")).options(), "the 3.0.4 test script's lower-case type");
        assertTrue(assertThrows(ConfigException.class, () -> format.vbdFromRecord(map("device", "xvda", "type",
                "Floppy"))).getMessage().startsWith("VBD.type: expected CD or Disk, got 'Floppy'"));
        assertEquals(map("uname", "phy:/x", "dev", "xvda", "mode", "w!", "backend", "dom1"),
                format.vbdFromRecord(map("image", "phy:/x", "device", "xvda", "mode", "RW",
                        "other_config", map("mode", "w!", "backend", "dom1"))).options(), "other_config wins");
    }

    @Test
    void vbdToRecordAndBack() throws ConfigException {
        DeviceConfig cd = new DeviceConfig("vbd", "c1", map("uname", "file:/iso", "dev", "hdc:cdrom", "mode", "r"));
        assertEquals(map("uuid", "c1", "device", "hdc", "type", "CD", "mode", "RO", "image", "file:/iso"),
                format.vbdToRecord(cd));
        DeviceConfig odd = new DeviceConfig("vbd", "o1", map("uname", "phy:/x", "dev", "xvda", "mode", "w!",
                "backend", "dom1", "protocol", "x86_64-abi"));
        Map<String, Object> record = format.vbdToRecord(odd);
        assertEquals("RW", record.get("mode"));
        assertEquals(map("mode", "w!", "backend", "dom1", "protocol", "x86_64-abi"), record.get("other_config"));
        assertEquals(odd, format.vbdFromRecord(record));
        assertNull(format.vbdToRecord(new DeviceConfig("tap", "t1", map("uname", "phy:/not-a-tap"))),
                "a tap without a tap: uname is not a VBD struct");
    }

    @Test
    void vifStructsMapAsXendDid() throws ConfigException {
        DeviceConfig vif = format.vifFromRecord(map("uuid", "v1", "device", "eth0", "network", "net-ref",
                "VM", "vm-ref", "MAC", "00:16:3e:01:02:03", "MTU", "1500", "type", "paravirtualised", "name", "API_VIF",
                "qos_algorithm_type", "ratelimit", "qos_algorithm_params", map("kbps", "10240")),
                ref -> ref.equals("net-ref") ? "xenbr1" : null);
        assertEquals(new DeviceConfig("vif", "v1", map("mac", "00:16:3e:01:02:03", "bridge", "xenbr1", "mtu", "1500",
                "type", "paravirtualised", "name", "API_VIF", "rate", "10240Kb/s")), vif);
        DeviceConfig blank = format.vifFromRecord(map("MAC", "", "network", "", "name", "", "type", ""), n -> n);
        assertEquals(Map.of(), blank.options(), "a blank MAC is left for the domain layer to generate");
        assertTrue(assertThrows(ConfigException.class, () -> format.vifFromRecord(map("MTU", "big"), n -> n))
                .getMessage().startsWith("VIF.MTU: expected an integer, got 'big'"));
        DeviceConfig full = new DeviceConfig("vif", "v2", map("mac", "00:16:3e:00:00:01", "bridge", "xenbr0",
                "rate", "10Mb/s", "model", "e1000", "mtu", "9000", "script", "vif-bridge"));
        Map<String, Object> record = format.vifToRecord(full);
        assertEquals("00:16:3e:00:00:01", record.get("MAC"));
        assertEquals("xenbr0", record.get("network"));
        assertEquals(9000L, record.get("MTU"));
        assertEquals(map("rate", "10Mb/s", "model", "e1000", "script", "vif-bridge"), record.get("other_config"));
        assertEquals(full, format.vifFromRecord(record, n -> n));
    }

    @Test
    void vtpmAndConsoleStructs() throws ConfigException {
        assertEquals(new DeviceConfig("vtpm", "t1", map("pref_instance", "1", "backend", "Domain-0",
                "type", "paravirtualised")), format.vtpmFromRecord(map("uuid", "t1", "type", "paravirtualised",
                "backend", "Domain-0", "instance", 1)));
        assertEquals(new DeviceConfig("console", "c1", map("protocol", "rfb", "vncunused", "1", "vncpasswd",
                "testing")), format.consoleFromRecord(map("uuid", "c1", "protocol", "rfb",
                "other_config", map("vncunused", 1, "vncpasswd", "testing"))));
    }

    @Test
    void devicesRideInTheStructAndComeOutInCanonicalOrder() throws ConfigException {
        VmConfig config = format.fromRecord(map("uuid", UUID,
                "VIFs", List.of(map("uuid", "v1", "MAC", "00:16:3e:00:00:01")),
                "consoles", new Object[] {map("uuid", "c1", "protocol", "vt100", "location", "2")},
                "VTPMs", List.of(map("uuid", "t1", "instance", "1")),
                "VBDs", List.of(map("uuid", "d1", "image", "phy:/a", "device", "xvda", "mode", "RW"), "a-ref"),
                "xend_devices", List.of(map("class", "pci", "uuid", "p1", "options",
                        map("dev", "(dev (domain 0x0) (bus 0x00) (slot 0x02) (func 0x1))")),
                        map("class", "vfb", "uuid", "f1", "options", map("type", "vnc")))));
        assertEquals(List.of("d1", "p1", "v1", "t1", "f1", "c1"),
                config.devices().stream().map(DeviceConfig::uuid).toList());
        Map<String, Object> record = format.toRecord(config);
        assertEquals(List.of("d1"), ((List<?>) record.get("VBDs")).stream().map(r -> ((Map<?, ?>) r).get("uuid"))
                .toList());
        assertEquals(2, ((List<?>) record.get("xend_devices")).size());
        assertEquals(config, format.fromRecord(record));
        assertTrue(assertThrows(ConfigException.class, () -> format.fromRecord(map("VBDs", "x"))).getMessage()
                .startsWith("VBDs: expected an array of structs"));
    }

    // ---- writing and the text form --------------------------------------------------------------------------

    @Test
    void toRecordGivesBytesAndTheApiTypes() {
        VmConfig config = new VmConfig(map("uuid", UUID, "memory_static_max", 768 * MIB, "VCPUs_max", 4,
                "is_a_template", false, "platform", map("acpi", "1")),
                map("on_xend_start", "start", "custom", "x", "memory", "illegal"), List.of());
        Map<String, Object> record = format.toRecord(config);
        assertEquals(805306368L, record.get("memory_static_max"));
        assertEquals(4L, record.get("VCPUs_max"));
        assertEquals(false, record.get("is_a_template"));
        assertEquals("start", record.get("on_xend_start"));
        assertEquals(map("custom", "x"), record.get("xend_extras"));
        assertFalse(record.containsKey("memory"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> format.toRecord(new VmConfig(
                map("memory_static_max", "256"), Map.of(), List.of()))).getMessage().contains("memory_static_max"));
    }

    @Test
    void writesXmlRpcWithLongsAsStringsAndReadsItBack() throws ConfigException {
        VmConfig config = new VmConfig(map("uuid", UUID, "name_label", "a <b> & 'c' \"d\"\r\n\ttab",
                "memory_static_max", 768 * MIB, "auto_power_on", true, "other_config", map("k", "v")),
                map("cpus", "0,2"), List.of(new DeviceConfig("vif", "v1", map("mac", "00:16:3e:00:00:01"))));
        String xml = format.write(config);
        assertTrue(xml.startsWith("<struct>"), xml);
        assertTrue(xml.contains("<member><name>memory_static_max</name><value><string>805306368</string></value>"
                + "</member>"), xml);
        assertTrue(xml.contains("<value><boolean>1</boolean></value>"), xml);
        assertTrue(xml.contains("a &lt;b&gt; &amp; 'c' \"d\"&#13;\n\ttab"), xml);
        assertEquals(config, format.read(xml));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> format.write(new VmConfig(
                map("name_label", "bell\u0007"), Map.of(), List.of()))).getMessage().contains("U+0007"));
    }

    @Test
    void readsEveryXmlRpcTypeAndFormOfTheStruct() throws ConfigException {
        Map<String, Object> struct = XmlRpcValues.parseStruct("""
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- a comment -->
                <value><struct>
                  <member><name>s</name><value><string>text</string></value></member>
                  <member><name>bare</name><value>  spaced  </value></member>
                  <member><name>empty</name><value></value></member>
                  <member><name>i</name><value><i4>-7</i4></value></member>
                  <member><name>i8</name><value><i8>9223372036854775807</i8></value></member>
                  <member><name>b</name><value><boolean>0</boolean></value></member>
                  <member><name>d</name><value><double>-1.5e3</double></value></member>
                  <member><name>t</name><value><dateTime.iso8601>20070515T10:00:00</dateTime.iso8601></value></member>
                  <member><name>n</name><value><nil/></value></member>
                  <member><name>a</name><value><array><data><value>1</value><value><int>2</int></value></data></array></value></member>
                  <member><name>cdata</name><value><string><![CDATA[<raw>]]></string></value></member>
                </struct></value>
                """);
        Map<String, Object> expected = new LinkedHashMap<>(map("s", "text", "bare", "  spaced  ", "empty", "",
                "i", -7L, "i8", Long.MAX_VALUE, "b", false, "d", -1500.0, "t", "20070515T10:00:00"));
        expected.put("n", null);
        expected.put("a", List.of("1", 2L));
        expected.put("cdata", "<raw>");
        assertEquals(expected, struct);
        assertEquals(Map.of(), XmlRpcValues.parseStruct("<struct/>"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<struct><member><name>a</name></member></struct> | a <member> needs a <name> and a <value>",
        "<struct><member><name>a</name><value><int>x</int></value></member></struct> | <int> is not an integer: 'x'",
        "<struct><member><name>a</name><value><boolean>2</boolean></value></member></struct> | <boolean> must be 0 or 1",
        "<struct><member><name>a</name><value><foo/></value></member></struct> | unknown XML-RPC type <foo>",
        "<array><data/></array> | expected a <struct>, got an array",
        "<value>text</value> | expected a <struct>, got String text",
        "<struct> | not well-formed XML",
        "<struct></struct><struct></struct> | not well-formed XML",
        "'' | not well-formed XML: Premature end of file",
        "<struct>text</struct> | text inside <struct>"})
    void badXmlIsAConfigError(String xml, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> format.read(xml));
        assertTrue(error.getMessage().startsWith("XML-RPC: ") && error.getMessage().contains(expected),
                error.getMessage());
    }

    @Test
    void externalEntitiesAndDtdsAreNotRead() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE struct [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <struct><member><name>name_label</name><value>&secret;</value></member></struct>
                """;
        ConfigException error = assertThrows(ConfigException.class, () -> format.read(xxe));
        assertTrue(error.getMessage().startsWith("XML-RPC: "), error.getMessage());
        String bomb = "<!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<struct><member><name>x</name><value>&b;</value></member></struct>";
        assertThrows(ConfigException.class, () -> format.read(bomb));
    }

    @Test
    void nestingIsBounded() {
        String deep = "<array><data><value>".repeat(XmlRpcValues.MAX_DEPTH + 2) + "x"
                + "</value></data></array>".repeat(XmlRpcValues.MAX_DEPTH + 2);
        assertTrue(assertThrows(ConfigException.class, () -> XmlRpcValues.parse(deep)).getMessage()
                .contains("nested more than"));
    }
}
