package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xend.config.sxp.SxpConfigFormatTest.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

/** read(write(c)) equals c for configurations made of the keys the format knows. */
class SxpConfigRoundTripTest {

    private static final long MIB = 1024L * 1024L;

    private final SxpConfigFormat format = new SxpConfigFormat();

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("paravirtual guest with every field", paravirtual()),
                Arguments.of("HVM guest", hvm()),
                Arguments.of("uuid only", new VmConfig(map("uuid", "00000000-0000-4000-8000-000000000000"),
                        Map.of(), List.of())),
                Arguments.of("unicode, quotes and control characters", unicode()),
                Arguments.of("empty maps and strings, odd numbers", emptyAndOdd()),
                Arguments.of("another image type", otherImageType()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void readBackEqualsWhatWasWritten(String name, VmConfig config) throws ConfigException {
        String written = format.write(config);
        assertEquals(config, format.read(written), written);
    }

    @Test
    void randomConfigurationsReadBackEqual() throws ConfigException {
        Random random = new Random(31L);
        for (int i = 0; i < 400; i++) {
            VmConfig config = randomConfig(random);
            String written = format.write(config);
            assertEquals(config, format.read(written), written);
        }
    }

    private static VmConfig paravirtual() {
        return new VmConfig(map(
                "uuid", "3d8c5fa2-1d4e-4b9c-a3e2-8f0d6c2b1a77",
                "name_label", "web-01",
                "name_description", "front end",
                "user_version", 1L,
                "is_a_template", false,
                "auto_power_on", true,
                "memory_static_max", 512 * MIB,
                "memory_dynamic_max", 256 * MIB,
                "memory_dynamic_min", 128 * MIB,
                "memory_static_min", 16 * MIB,
                "VCPUs_params", map("weight", "512", "cap", "50", "cpumap0", "0,1"),
                "VCPUs_max", 4L,
                "VCPUs_at_startup", 2L,
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "rename_restart",
                "PV_bootloader", "",
                "PV_kernel", "/boot/vmlinuz-2.6.18-xen",
                "PV_ramdisk", "/boot/initrd-2.6.18-xen.img",
                "PV_args", "root=/dev/xvda1 ro console=xvc0",
                "PV_bootloader_args", "",
                "HVM_boot_policy", "",
                "HVM_boot_params", Map.of(),
                "platform", Map.of(),
                "PCI_bus", "",
                "other_config", map("owner", "ops", "transient", "true")),
                map("on_xend_start", "start", "on_xend_stop", "shutdown", "shadow_memory", "0", "cpus", "0,1,3",
                        "cpu_weight", "512", "cpu_cap", "0", "vcpu_avail", "3", "features", "",
                        "security", "(security (access_control (policy example.org) (label dom_web)))",
                        "backend", "(backend (blkif)) (backend (netif))", "start_time", "1178620800.12"),
                List.of(
                        new DeviceConfig("vbd", "1b8f0f36-0c4a-4f57-9c2e-6a0b1a2f3c41",
                                map("uname", "file:/var/xen/web-01.img", "dev", "xvda", "mode", "w",
                                        "bootable", "1")),
                        new DeviceConfig("pci", "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
                                map("dev", "(dev (domain 0x0) (bus 0x00) (slot 0x02) (func 0x1))"
                                        + " (dev (domain 0x0) (bus 0x00) (slot 0x03) (func 0x0))")),
                        new DeviceConfig("vif", "6a5f1b0e-7d6c-4e2b-8f3a-2c1d0e9f8b7a",
                                map("mac", "00:16:3e:11:22:33", "bridge", "xenbr0", "script", "vif-bridge",
                                        "rate", "10Mb/s,50ms")),
                        new DeviceConfig("vkbd", "80910213-2435-4d6e-bf70-819203142536", Map.of()),
                        new DeviceConfig("vfb", "4f3e2d1c-0b9a-4887-b665-544332211009",
                                map("type", "vnc", "vncunused", "1", "vncpasswd", "s3cr'et \"x\"",
                                        "keymap", "(en-us)"))));
    }

    private static VmConfig hvm() {
        return new VmConfig(map(
                "uuid", "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
                "name_label", "win2003",
                "memory_static_max", 1024 * MIB,
                "memory_dynamic_max", 1024 * MIB,
                "memory_dynamic_min", 1024 * MIB,
                "memory_static_min", 0L,
                "VCPUs_max", 2L,
                "VCPUs_at_startup", 2L,
                "actions_after_shutdown", "destroy",
                "actions_after_reboot", "restart",
                "actions_after_crash", "coredump_and_restart",
                "PV_kernel", "/usr/lib/xen/boot/hvmloader",
                "HVM_boot_policy", "BIOS order",
                "HVM_boot_params", map("order", "dc"),
                "platform", map("acpi", "1", "apic", "1", "pae", "1", "vnc", "1", "vncunused", "1",
                        "device_model", "/usr/lib/xen/bin/qemu-dm", "usbdevice", "tablet", "boot", "c",
                        "localtime", "0", "viridian", "1")),
                map("on_xend_start", "ignore"),
                List.of(new DeviceConfig("vbd", "0f1e2d3c-4b5a-4697-8877-665544332211",
                                map("uname", "phy:/dev/vg0/win", "dev", "ioemu:hda", "mode", "w")),
                        new DeviceConfig("vbd", "1f1e2d3c-4b5a-4697-8877-665544332211",
                                map("uname", "file:/iso/w2k3.iso", "dev", "hdc:cdrom", "mode", "r")),
                        new DeviceConfig("vif", "2f1e2d3c-4b5a-4697-8877-665544332211",
                                map("type", "ioemu", "model", "rtl8139", "bridge", "xenbr0"))));
    }

    private static VmConfig unicode() {
        return new VmConfig(map(
                "uuid", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                "name_label", "\u00dcn\u00efc\u00f6d\u00e9 \u4e2d\u6587 \ud83d\ude80",
                "name_description", "it's \"quoted\" with a back\\slash,\na newline, a tab\tand \u0001\u0004\u007f",
                "PV_args", "console=hvc0 # not a comment (nor a list)",
                "other_config", map("cl\u00e9 avec espace", "v\u00e4lue\t(tab)", "", "", "#", ")")),
                map("n\u00f6te", "\u65e5\u672c\u8a9e", "empty", ""),
                List.of(new DeviceConfig("vif", "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff",
                        map("vifname", "\u00e9th0", "ip", ""))));
    }

    private static VmConfig emptyAndOdd() {
        return new VmConfig(map(
                "uuid", "cccccccc-dddd-4eee-8fff-000000000000",
                "name_label", "",
                "name_description", "",
                "user_version", Long.MAX_VALUE,
                "is_a_template", true,
                "auto_power_on", false,
                "memory_static_max", 123_456_789L,
                "memory_static_min", -1L,
                "VCPUs_params", Map.of(),
                "HVM_boot_params", Map.of(),
                "platform", Map.of(),
                "other_config", Map.of(),
                "PCI_bus", "0000:00:1f.0"),
                Map.of(),
                List.of(new DeviceConfig("console", "dddddddd-eeee-4fff-8000-111111111111", Map.of())));
    }

    private static VmConfig otherImageType() {
        return new VmConfig(map(
                "uuid", "eeeeeeee-ffff-4000-8111-222222222222",
                "PV_kernel", "/platform/i86xpv/kernel/unix",
                "PV_args", "-B console=ttya",
                "platform", map("image_type", "solaris")),
                Map.of(), List.of());
    }

    // ---- random configurations ------------------------------------------------------------------------------

    private static final List<String> ACTIONS = List.of(
            "destroy", "restart", "preserve", "rename_restart", "coredump_and_destroy", "coredump_and_restart");

    private static VmConfig randomConfig(Random random) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("uuid", new UUID(random.nextLong(), random.nextLong()).toString());
        for (VmField field : VmField.values()) {
            if (field == VmField.UUID || random.nextInt(3) == 0) {
                continue;
            }
            Object value = switch (field) {
                case ACTIONS_AFTER_SHUTDOWN, ACTIONS_AFTER_REBOOT, ACTIONS_AFTER_CRASH ->
                        ACTIONS.get(random.nextInt(ACTIONS.size()));
                case HVM_BOOT_POLICY -> random.nextBoolean() ? "" : "BIOS order";
                case HVM_BOOT_PARAMS -> random.nextBoolean() ? Map.of("order", randomString(random))
                        : randomMap(random);
                case PLATFORM -> randomPlatform(random);
                default -> switch (field.kind()) {
                    case STRING -> randomString(random);
                    case LONG -> random.nextBoolean() ? random.nextInt(1 << 20) * MIB : random.nextLong();
                    case BOOLEAN -> random.nextBoolean();
                    case MAP -> randomMap(random);
                };
            };
            fields.put(field.apiName(), value);
        }
        Map<String, String> extras = new LinkedHashMap<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            extras.put("x_" + random.nextInt(1000), randomString(random));
        }
        if (random.nextBoolean()) {
            extras.put("on_xend_start", random.nextBoolean() ? "start" : "ignore");
        }
        List<DeviceConfig> devices = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            devices.add(new DeviceConfig(List.of("vbd", "tap", "vif", "vtpm", "vfb").get(random.nextInt(5)),
                    new UUID(random.nextLong(), random.nextLong()).toString(), randomMap(random)));
        }
        // A configuration as read: devices by class (disks first, vbd and tap together), each class in order.
        List<String> classOrder = List.of("disk", "vif", "vtpm", "vfb");
        devices.sort(java.util.Comparator.comparingInt(device -> classOrder.indexOf(
                device.deviceClass().equals("vbd") || device.deviceClass().equals("tap") ? "disk" : device.deviceClass())));
        return new VmConfig(fields, extras, devices);
    }

    private static Map<String, String> randomPlatform(Random random) {
        Map<String, String> platform = randomMap(random);
        for (String key : DomainSxpKeys.PLATFORM_KEYS) {
            if (random.nextInt(6) == 0) {
                platform.put(key, randomString(random));
            }
        }
        return platform;
    }

    private static Map<String, String> randomMap(Random random) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            map.put(random.nextBoolean() ? "k" + random.nextInt(100) : randomString(random), randomString(random));
        }
        return map;
    }

    private static String randomString(Random random) {
        String pool = "abcxyz019 .-_:/~'\"\\()#;!@\t\n\u0000\u0004\u007f\u00e9\u4e2d";
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(pool.charAt(random.nextInt(pool.length())));
        }
        if (random.nextInt(10) == 0) {
            s.appendCodePoint(0x1f600 + random.nextInt(50));
        }
        return s.toString();
    }
}
