package org.xend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.model.Devices;
import org.xend.config.python.PythonConfigFormat;
import org.xend.config.sxp.DomainSxpKeys;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.config.sxp.VmField;
import org.xend.config.xenapi.XenApiConfigFormat;

/**
 * Random configurations, made of the values a reader gives (canonical device order, canonical cpus, disks
 * without ":disk"), read back equal from every format, through a chain of all of them.
 */
class RandomRoundTripTest {

    private static final long MIB = 1024L * 1024L;
    private static final List<String> ACTIONS = List.of(
            "destroy", "restart", "preserve", "rename_restart", "coredump_and_destroy", "coredump_and_restart");
    private static final List<String> CLASSES = List.of(
            "vbd", "tap", "vif", "vtpm", "vfb", "vkbd", "pci", "console", "irq", "ioports", "usbport", "other");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sxp", "python", "xenapi"})
    void readBackEqualsWhatWasWritten(String formatName) throws ConfigException {
        ConfigFormat format = switch (formatName) {
            case "sxp" -> new SxpConfigFormat();
            case "python" -> new PythonConfigFormat();
            default -> new XenApiConfigFormat();
        };
        Random random = new Random(formatName.hashCode());
        for (int i = 0; i < 150; i++) {
            VmConfig config = randomConfig(random, formatName.equals("xenapi"));
            String written = format.write(config);
            assertEquals(config, format.read(written), written);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void aChainThroughEveryFormatChangesNothing(long seed) throws ConfigException {
        Random random = new Random(seed);
        List<ConfigFormat> chain = List.of(new PythonConfigFormat(), new XenApiConfigFormat(), new SxpConfigFormat(),
                new PythonConfigFormat());
        for (int i = 0; i < 40; i++) {
            VmConfig config = randomConfig(random, true);
            VmConfig current = config;
            for (ConfigFormat format : chain) {
                current = format.read(format.write(current));
            }
            assertEquals(config, current);
        }
    }

    private static VmConfig randomConfig(Random random, boolean xmlSafe) {
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
                case HVM_BOOT_PARAMS -> random.nextBoolean() ? Map.of("order", "dc") : randomMap(random, xmlSafe);
                case MEMORY_STATIC_MAX, MEMORY_DYNAMIC_MAX, MEMORY_DYNAMIC_MIN, MEMORY_STATIC_MIN ->
                        random.nextBoolean() ? random.nextInt(4096) * MIB : random.nextLong();
                case PLATFORM -> {
                    Map<String, String> platform = randomMap(random, xmlSafe);
                    for (String key : DomainSxpKeys.PLATFORM_KEYS) {
                        if (random.nextInt(8) == 0) {
                            platform.put(key, random.nextBoolean() ? "1" : randomString(random, xmlSafe));
                        }
                    }
                    yield platform;
                }
                default -> switch (field.kind()) {
                    case STRING -> randomString(random, xmlSafe);
                    case LONG -> random.nextBoolean() ? (long) random.nextInt(64) : random.nextLong();
                    case BOOLEAN -> random.nextBoolean();
                    case MAP -> randomMap(random, xmlSafe);
                };
            };
            fields.put(field.apiName(), value);
        }
        Map<String, String> extras = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            extras.put("on_xend_start", List.of("ignore", "start").get(random.nextInt(2)));
        }
        if (random.nextBoolean()) {
            extras.put("cpus", List.of("", "0", "0,2,3", "1,5").get(random.nextInt(4)));
        }
        if (random.nextBoolean()) {
            extras.put("cpu_weight", Integer.toString(random.nextInt(1000)));
        }
        for (int n = random.nextInt(3); n > 0; n--) {
            extras.put("x_" + random.nextInt(1000), randomString(random, xmlSafe));
        }
        List<DeviceConfig> devices = new ArrayList<>();
        for (int n = random.nextInt(6); n > 0; n--) {
            String deviceClass = CLASSES.get(random.nextInt(CLASSES.size()));
            Map<String, String> options = randomMap(random, xmlSafe);
            if (Devices.isDisk(deviceClass) && random.nextBoolean()) {
                String uname = (deviceClass.equals("tap") ? "tap:aio:/img" : "phy:/dev/sd") + random.nextInt(9);
                options.put("uname", uname);
                options.put("dev", "xvd" + (char) ('a' + random.nextInt(26)) + (random.nextBoolean() ? ":cdrom" : ""));
                options.put("mode", List.of("r", "w", "w!").get(random.nextInt(3)));
            }
            if (deviceClass.equals("vif") && random.nextBoolean()) {
                options.put("mac", "00:16:3e:00:00:0" + random.nextInt(10));
                options.put("bridge", "xenbr" + random.nextInt(3));
            }
            devices.add(new DeviceConfig(deviceClass, new UUID(random.nextLong(), random.nextLong()).toString(),
                    options));
        }
        devices.sort(Comparator.comparingInt(device -> Devices.rank(device.deviceClass())));
        return new VmConfig(fields, extras, devices);
    }

    private static Map<String, String> randomMap(Random random, boolean xmlSafe) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            map.put(random.nextBoolean() ? "k" + random.nextInt(100) : randomString(random, xmlSafe),
                    randomString(random, xmlSafe));
        }
        map.remove("uuid");
        map.remove("dev");
        return map;
    }

    private static String randomString(Random random, boolean xmlSafe) {
        String pool = xmlSafe ? "abcxyz019 .-_:/~'\"\\()#;!@\t\n\r<>&=,%\u00e9\u4e2d"
                : "abcxyz019 .-_:/~'\"\\()#;!@\t\n\r<>&=,%\u0000\u0004\u007f\u0085\u00e9\u4e2d";
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
