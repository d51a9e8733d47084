package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

class SxpConfigFormatTest {

    private static final long MIB = 1024L * 1024L;
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final SxpConfigFormat format = new SxpConfigFormat();

    /** Builds an ordered map from key, value pairs. */
    @SuppressWarnings("unchecked")
    static <V> Map<String, V> map(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SxpConfigFormatTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void registersAsTheSxpFormat() {
        assertEquals("sxp", format.format());
    }

    // ---- reading what Xend wrote ----------------------------------------------------------------------------

    @Test
    void readsTheConfigSxpXend31WroteForARunningManagedDomain() throws Exception {
        VmConfig config = format.read(resource("xend31-running-managed.sxp"));

        assertEquals(map(
                "uuid", "0b6a4c2e-9f1d-4e37-8a5b-c3d2e1f0a9b8",
                "name_label", "mail-02",
                "is_a_template", false,
                "memory_static_max", 768 * MIB,
                "memory_dynamic_max", 512 * MIB,
                "memory_dynamic_min", 512 * MIB,
                "memory_static_min", 0L,
                "VCPUs_params", map("cap", "0", "weight", "256"),
                "VCPUs_max", 2L,
                "VCPUs_at_startup", 2L,
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "restart",
                "PV_bootloader", "",
                "PV_kernel", "/boot/vmlinuz-2.6.18-53.el5xen",
                "PV_ramdisk", "/boot/initrd-2.6.18-53.el5xen.img",
                "PV_args", "root=/dev/xvda1 ro console=xvc0 xencons=tty",
                "PV_bootloader_args", "",
                "HVM_boot_policy", "",
                "HVM_boot_params", Map.of(),
                "platform", Map.of(),
                "other_config", map("backup", "nightly", "owner", "mail team")), config.fields());

        // Runtime state (domid, status, state, store_mfn, console_mfn, cpu_time, online_vcpus, VCPUs_live) is gone.
        assertEquals(map(
                "shadow_memory", "0",
                "security", "(security (access_control (policy example.org) (label dom_mail)))",
                "vcpu_avail", "3",
                "cpu_weight", "256",
                "cpu_cap", "0",
                "features", "",
                "on_xend_start", "start",
                "on_xend_stop", "suspend",
                "start_time", "1178620800.12",
                "cpus", "0,1"), config.extras());

        // Devices come in the canonical class order (disks, pci, vif, vkbd, vfb, console), a disk's dev
        // without the redundant ":disk".
        assertEquals(List.of(
                new DeviceConfig("vbd", "5d6e7f80-9102-4a3b-8c4d-5e6f70819203",
                        map("bootable", "1", "driver", "paravirtualised", "dev", "xvda",
                                "uname", "phy:/dev/vg0/mail-02", "mode", "w")),
                new DeviceConfig("tap", "6e7f8091-0213-4b4c-9d5e-6f7081920314",
                        map("bootable", "0", "dev", "xvdb",
                                "uname", "tap:aio:/var/lib/xen/images/mail-02-spool.img", "mode", "w")),
                new DeviceConfig("pci", "7f809102-1324-4c5d-ae6f-708192031425",
                        map("dev", "(dev (slot 0x02) (bus 0x00) (domain 0x0000) (func 0x1))"
                                + " (dev (slot 0x03) (bus 0x00) (domain 0x0000) (func 0x0))")),
                new DeviceConfig("vif", "2c3d4e5f-6071-4829-93a4-b5c6d7e8f901",
                        map("bridge", "xenbr0", "mac", "00:16:3e:4a:5b:6c", "script", "vif-bridge")),
                new DeviceConfig("vkbd", "80910213-2435-4d6e-bf70-819203142536", Map.of()),
                new DeviceConfig("vfb", "91021324-3546-4e7f-8081-920314253647",
                        map("vncunused", "1", "type", "vnc", "vnclisten", "127.0.0.1")),
                new DeviceConfig("console", "a2132435-4657-4f80-9192-031425364758",
                        map("location", "2", "protocol", "vt100"))), config.devices());
    }

    @Test
    void aConfigReadFromXendSurvivesOurWriteAndKeepsXendsStructure() throws Exception {
        VmConfig fromXend = format.read(resource("xend31-running-managed.sxp"));
        String written = format.write(fromXend);
        assertEquals(fromXend, format.read(written));

        Object domain = Sxp.parse(written);
        // The legacy keys Xend's parser reads are all there, memory in MiB.
        assertEquals("mail-02", Sxp.childValue(domain, "name"));
        assertEquals("768", Sxp.childValue(domain, "maxmem"));
        assertEquals("512", Sxp.childValue(domain, "memory"));
        assertEquals("2", Sxp.childValue(domain, "vcpus"));
        assertEquals("restart", Sxp.childValue(domain, "on_crash"));
        assertEquals(Sxp.list("access_control", Sxp.list("policy", "example.org"), Sxp.list("label", "dom_mail")),
                Sxp.childValue(domain, "security"));
        // The pci device is written back as Xend's nested (dev …) entries.
        Object pci = Sxp.children(domain, "device").stream().map(d -> d.get(1))
                .filter(d -> Sxp.isElement(d, "pci")).findFirst().orElseThrow();
        assertEquals(2, Sxp.children(pci, "dev").size());
        assertEquals("0x03", Sxp.childValue(Sxp.children(pci, "dev").get(1), "slot"));
        assertEquals("7f809102-1324-4c5d-ae6f-708192031425", Sxp.childValue(pci, "uuid"));
        assertFalse(written.contains("domid") || written.contains("store_mfn") || written.contains("cpu_time"));
    }

    // ---- reading what xm sent -------------------------------------------------------------------------------

    @Test
    void mapsXmLegacyKeysOfAParavirtualGuest() throws ConfigException {
        VmConfig config = format.read("""
                (vm (name guest1) (memory 256) (maxmem 512) (vcpus 2)
                    (on_poweroff destroy) (on_reboot restart) (on_crash rename-restart)
                    (bootloader /usr/bin/pygrub) (bootloader_args -q) (localtime 1)
                    (cpus 0-1) (shadow_memory 8) (backend (blkif)) (backend (netif))
                    (image (linux (kernel /boot/vmlinuz) (ramdisk /boot/initrd.img) (root '/dev/xvda1 ro')
                        (ip 10.0.0.5:1.2.3.4::255.255.255.0:guest1:eth0:off) (args 'console=xvc0')))
                    (device (vbd (uname phy:/dev/vg0/guest1) (dev xvda) (mode w)))
                    (device (vkbd)))
                """);
        Map<String, Object> fields = new LinkedHashMap<>(config.fields());
        String uuid = (String) fields.remove("uuid");
        assertTrue(uuid.matches(UUID_PATTERN), uuid);
        assertEquals(map(
                "name_label", "guest1",
                "memory_static_max", 512 * MIB,
                "memory_dynamic_max", 256 * MIB,
                "memory_dynamic_min", 256 * MIB,
                "memory_static_min", 0L,
                "VCPUs_max", 2L,
                "VCPUs_at_startup", 2L,
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "rename_restart",
                "PV_bootloader", "/usr/bin/pygrub",
                "PV_kernel", "/boot/vmlinuz",
                "PV_ramdisk", "/boot/initrd.img",
                "PV_args", "root=/dev/xvda1 ro ip=10.0.0.5:1.2.3.4::255.255.255.0:guest1:eth0:off console=xvc0",
                "PV_bootloader_args", "-q",
                "platform", map("localtime", "1")), fields);
        assertEquals(map("cpus", "0,1", "shadow_memory", "8", "backend", "(backend (blkif)) (backend (netif))"),
                config.extras());
        assertEquals(2, config.devices().size());
        assertEquals(map("uname", "phy:/dev/vg0/guest1", "dev", "xvda", "mode", "w"),
                config.devices().get(0).options());
        assertTrue(config.devices().get(0).uuid().matches(UUID_PATTERN));
        assertEquals("vkbd", config.devices().get(1).deviceClass());
    }

    @Test
    void rootAndIpAreNotPrependedWhenTheArgsAlreadySetThem() throws ConfigException {
        VmConfig config = format.read("(vm (image (linux (root /dev/sda1) (ip dhcp) (args 'root=/dev/xvda ip=off'))))");
        assertEquals("root=/dev/xvda ip=off", config.fields().get("PV_args"));
        VmConfig noArgs = format.read("(vm (image (linux (root '/dev/sda1 ro'))))");
        assertEquals("root=/dev/sda1 ro", noArgs.fields().get("PV_args"));
    }

    @Test
    void mapsAnHvmImageToBootPolicyBootParamsAndPlatform() throws ConfigException {
        VmConfig config = format.read("""
                (vm (name win) (memory 1024) (vcpus 1)
                    (image (hvm (kernel /usr/lib/xen/boot/hvmloader) (device_model /usr/lib/xen/bin/qemu-dm)
                        (boot dc) (acpi 1) (apic 1) (pae 1) (vnc 1) (vncunused 1) (vcpus 2) (serial pty)
                        (usbdevice tablet) (sdl 0) (display '') (notes (PAE_MODE yes))))
                    (device (vbd (uname phy:/dev/vg0/win) (dev ioemu:hda) (mode w))))
                """);
        Map<String, Object> fields = config.fields();
        assertEquals("BIOS order", fields.get("HVM_boot_policy"));
        assertEquals(Map.of("order", "dc"), fields.get("HVM_boot_params"));
        assertEquals(map("device_model", "/usr/lib/xen/bin/qemu-dm", "acpi", "1", "apic", "1", "pae", "1",
                "vnc", "1", "vncunused", "1", "serial", "pty", "usbdevice", "tablet", "sdl", "0"),
                fields.get("platform"));
        assertEquals("/usr/lib/xen/boot/hvmloader", fields.get("PV_kernel"));
        assertEquals(2L, fields.get("VCPUs_max"), "image vcpus overrides vcpus");
        assertEquals(2L, fields.get("VCPUs_at_startup"));
        assertEquals(1024 * MIB, fields.get("memory_static_max"));
    }

    @Test
    void otherImageTypesAndTopLevelHvmBootAreKept() throws ConfigException {
        VmConfig config = format.read("(vm (HVM_boot cd) (platform_pae 1) (image (solaris (kernel /k))))");
        assertEquals("BIOS order", config.fields().get("HVM_boot_policy"));
        assertEquals(Map.of("order", "cd"), config.fields().get("HVM_boot_params"));
        assertEquals(map("pae", "1", "image_type", "solaris"), config.fields().get("platform"));
    }

    @Test
    void aXenApiKeyWinsOverItsLegacyKey() throws ConfigException {
        VmConfig config = format.read("""
                (domain (uuid 11111111-2222-4333-8444-555555555555) (name_label api) (name legacy)
                    (memory_static_max 1073741824) (memory 256) (maxmem 512)
                    (VCPUs_max 4) (vcpus 2)
                    (actions_after_crash preserve) (on_crash destroy)
                    (PV_kernel /api) (PV_bootloader '') (bootloader /usr/bin/pygrub)
                    (platform ((acpi 0))) (localtime 1)
                    (image (hvm (kernel /legacy) (args x) (acpi 1) (boot c))))
                """);
        assertEquals(map(
                "uuid", "11111111-2222-4333-8444-555555555555",
                "name_label", "api",
                "memory_static_max", 1024 * MIB,
                "VCPUs_max", 4L,
                "actions_after_crash", "preserve",
                "PV_bootloader", "",
                "PV_kernel", "/api",
                "PV_args", "x",
                "HVM_boot_policy", "BIOS order",
                "HVM_boot_params", Map.of("order", "c"),
                "platform", map("acpi", "0")), config.fields());
    }

    @Test
    void xendsEmptyValuesReadAsEmptyOrAbsent() throws ConfigException {
        VmConfig config = format.read("(domain (name ) (PV_kernel ) (other_config ) (user_version )"
                + " (actions_after_crash ) (on_reboot ) (features ) (device (vif (script ))))");
        assertEquals(map("name_label", "", "PV_kernel", "", "other_config", Map.of()),
                withoutUuid(config.fields()));
        assertEquals(map("features", ""), config.extras());
        assertEquals(map("script", ""), config.devices().get(0).options());
    }

    @Test
    void maxmemAloneSetsOnlyStaticMax() throws ConfigException {
        assertEquals(Map.of("memory_static_max", 300 * MIB),
                withoutUuid(format.read("(vm (maxmem 300))").fields()));
    }

    @ParameterizedTest
    @CsvSource({
        "onreboot, destroy, restart, destroy",
        "always, restart, restart, restart",
        "never, destroy, destroy, destroy"})
    void deprecatedRestartOptionSetsTheActions(String restart, String poweroff, String reboot, String crash)
            throws ConfigException {
        Map<String, Object> fields = format.read("(vm (restart " + restart + "))").fields();
        assertEquals(poweroff, fields.get("actions_after_shutdown"));
        assertEquals(reboot, fields.get("actions_after_reboot"));
        assertEquals(crash, fields.get("actions_after_crash"));
    }

    @Test
    void anExplicitActionWinsOverTheDeprecatedRestartOption() throws ConfigException {
        Map<String, Object> fields = format.read("(vm (restart always) (on_reboot destroy))").fields();
        assertEquals("restart", fields.get("actions_after_shutdown"));
        assertEquals("destroy", fields.get("actions_after_reboot"));
    }

    @Test
    void aMissingUuidIsGeneratedAndAGivenOneNormalised() throws ConfigException {
        String first = (String) format.read("(vm (name a))").fields().get("uuid");
        String second = (String) format.read("(vm (name a))").fields().get("uuid");
        assertTrue(first.matches(UUID_PATTERN) && second.matches(UUID_PATTERN));
        assertNotEquals(first, second);
        assertEquals("0b6a4c2e-9f1d-4e37-8a5b-c3d2e1f0a9b8",
                format.read("(vm (uuid 0B6A4C2E9F1D4E378A5BC3D2E1F0A9B8))").fields().get("uuid"));
    }

    @Test
    void readsTheLegacyXmlRpcFormXmSends() throws ConfigException {
        Object[] wire = {"vm", new Object[] {"name", "rpc"}, new Object[] {"memory", 128},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/k"}}}};
        VmConfig config = DomainSxpReader.read(Sxp.fromXmlRpc(wire));
        assertEquals("rpc", config.fields().get("name_label"));
        assertEquals(128 * MIB, config.fields().get("memory_dynamic_max"));
        assertEquals("/k", config.fields().get("PV_kernel"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "web | expected a (domain …) or (vm …)",
        "(config (name x)) | (config (name x))",
        "(vm (memory abc)) | memory: not an integer: abc",
        "(domain (memory_static_max 1.5)) | memory_static_max: not an integer: 1.5",
        "(domain (VCPUs_max (2))) | VCPUs_max: expected an integer: (2)",
        "(domain (is_a_template maybe)) | is_a_template: not a boolean",
        "(domain (platform foo)) | platform: expected a list of (key value) pairs: foo",
        "(domain (other_config ((a b c)))) | other_config: expected a (key value) pair of strings: (a b c)",
        "(vm (on_crash explode)) | on_crash: expected one of",
        "(vm (restart sometimes)) | restart: expected onreboot, always or never: sometimes",
        "(vm (uuid not-a-uuid)) | uuid: not a UUID: not-a-uuid",
        "(vm (maxmem 99999999999999999)) | maxmem: too large",
        "(vm (device)) | device: expected (device (<class> (key value)…))",
        "(vm (device (vbd (uuid a) (uuid b)))) | device/vbd/uuid: expected one uuid",
        "(vm (image ())) | image: expected (linux …)",
        "(vm (name (a b))) | name: expected a string: (a b)",
        "(vm (name x) | SXP line 1",
        "(vm) (vm) | expected exactly one SXP value, found 2",
        "'' | expected a (domain …) or (vm …) list, got ''"})
    void badInputIsAConfigErrorNamingKeyAndValue(String text, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> format.read(text));
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void emptyAndMissingTextAreConfigErrors() {
        assertThrows(ConfigException.class, () -> format.read(""));
        assertThrows(ConfigException.class, () -> format.read(null));
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Test
    void writesXendsManagedConfigLayout() {
        VmConfig config = new VmConfig(map(
                "uuid", "3f2e1d0c-9b8a-4776-a554-433221100fed",
                "name_label", "web",
                "is_a_template", false,
                "memory_static_max", 512 * MIB,
                "memory_dynamic_max", 256 * MIB,
                "VCPUs_max", 1L,
                "actions_after_crash", "rename_restart",
                "PV_kernel", "/boot/vmlinuz",
                "PV_args", "root=/dev/sda1 ro",
                "platform", map("acpi", "1", "vnc", "1"),
                "other_config", Map.of()),
                map("on_xend_start", "start"),
                List.of(new DeviceConfig("vif", "6a5f1b0e-7d6c-4e2b-8f3a-2c1d0e9f8b7a",
                        map("mac", "00:16:3e:00:00:01"))));
        String expected = """
                (domain
                    (uuid 3f2e1d0c-9b8a-4776-a554-433221100fed)
                    (name_label web)
                    (is_a_template False)
                    (memory_static_max 536870912)
                    (memory_dynamic_max 268435456)
                    (VCPUs_max 1)
                    (actions_after_crash rename_restart)
                    (PV_kernel /boot/vmlinuz)
                    (PV_args 'root=/dev/sda1 ro')
                    (platform ((acpi 1) (vnc 1)))
                    (other_config ())
                    (uuid 3f2e1d0c-9b8a-4776-a554-433221100fed)
                    (vcpus 1)
                    (name web)
                    (on_crash rename-restart)
                    (maxmem 512)
                    (memory 256)
                    (on_xend_start start)
                    (image (linux (kernel /boot/vmlinuz) (args 'root=/dev/sda1 ro')))
                    (device
                        (vif
                            (mac 00:16:3e:00:00:01)
                            (uuid 6a5f1b0e-7d6c-4e2b-8f3a-2c1d0e9f8b7a)
                        )
                    )
                )
                """;
        assertEquals(expected, format.write(config));
    }

    @Test
    void writesAnHvmImageWithTheBootOrderAndPlatformKeys() throws ConfigException {
        VmConfig config = new VmConfig(map(
                "uuid", "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
                "PV_kernel", "/usr/lib/xen/boot/hvmloader",
                "HVM_boot_policy", "BIOS order",
                "HVM_boot_params", map("order", "dc"),
                "platform", map("viridian", "1", "boot", "n", "vnc", "1", "acpi", "1")), Map.of(), List.of());
        Object image = Sxp.childValue(Sxp.parse(format.write(config)), "image");
        assertEquals(Sxp.list("hvm", Sxp.list("kernel", "/usr/lib/xen/boot/hvmloader"), Sxp.list("boot", "dc"),
                Sxp.list("acpi", "1"), Sxp.list("vnc", "1")), image);
    }

    @Test
    void writesNoImageWithoutKernelOrHvm() throws ConfigException {
        VmConfig config = new VmConfig(map("uuid", "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
                "PV_bootloader", "/usr/bin/pygrub"), Map.of(), List.of());
        Object domain = Sxp.parse(format.write(config));
        assertEquals(null, Sxp.child(domain, "image"));
        assertEquals("/usr/bin/pygrub", Sxp.childValue(domain, "bootloader"));
    }

    @Test
    void refusesFieldsOfTheWrongJavaType() {
        VmConfig stringMemory = new VmConfig(map("memory_static_max", "256"), Map.of(), List.of());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> format.write(stringMemory));
        assertTrue(error.getMessage().contains("memory_static_max"), error.getMessage());
        VmConfig intBoolean = new VmConfig(map("is_a_template", 1L), Map.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> format.write(intBoolean));
    }

    @Test
    void extrasThatWouldChangeTheMeaningOfTheFileAreNotWritten() throws ConfigException {
        VmConfig config = new VmConfig(map("uuid", "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716"),
                map("domid", "3", "memory", "4096", "on_xend_stop", "shutdown"), List.of());
        Object domain = Sxp.parse(format.write(config));
        assertEquals(null, Sxp.child(domain, "domid"));
        assertEquals(null, Sxp.child(domain, "memory"));
        assertEquals("shutdown", Sxp.childValue(domain, "on_xend_stop"));
    }

    private static Map<String, Object> withoutUuid(Map<String, Object> fields) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        assertTrue(((String) copy.remove("uuid")).matches(UUID_PATTERN));
        return copy;
    }
}
