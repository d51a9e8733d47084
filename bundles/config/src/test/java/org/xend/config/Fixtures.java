package org.xend.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;

/** The fixture corpus under {@code src/test/resources/fixtures} and helpers to compare what it reads to. */
public final class Fixtures {

    /** The xm/xl files of the corpus; each has the SXP xm sent for it under {@code sxp/} (done-when too). */
    public static final List<String> PYTHON = List.of(
            "done-when.py", "pv-basic.py", "hvm.py", "pv-grub.py", "pygrub.py", "nfs-root.py",
            "multi-disk-cdrom.py", "multi-vif.py", "xl-style.cfg", "every-key.py");

    private Fixtures() {
    }

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SXP fixture that holds what xm sent for a Python fixture. */
    public static String sxpFor(String pythonFixture) {
        return text("sxp/" + pythonFixture.substring(0, pythonFixture.lastIndexOf('.')) + ".sxp");
    }

    /**
     * The configuration with every device uuid replaced by its position: a file that names no device uuids
     * gets fresh ones on every read, so two reads compare equal only without them.
     */
    public static VmConfig withoutDeviceUuids(VmConfig config) {
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < config.devices().size(); i++) {
            DeviceConfig device = config.devices().get(i);
            devices.add(new DeviceConfig(device.deviceClass(), "device-" + i, device.options()));
        }
        return new VmConfig(config.fields(), config.extras(), devices);
    }

    /** An ordered map from key, value pairs. */
    @SuppressWarnings("unchecked")
    public static <V> Map<String, V> map(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }
}
