package org.xend.devices;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.xenstore.XenStore;

/**
 * Network interfaces ({@code vif}, Xend's Netif): devids from the domain's counter; the backend gets the hotplug
 * {@code script} (a full path), {@code mac}, {@code type}, {@code handle} and the optional {@code ip}, {@code bridge},
 * {@code vifname}, {@code rate} (as bytes per interval and interval in µs) and {@code model}; the frontend
 * {@code handle} and {@code mac}, except for an emulated (ioemu) card. The configuration as given is kept under
 * {@code /vm/<uuid>/device/vif/<devid>}, which is where it is read back from.
 */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + NetifController.VIF,
        configurationPid = DeviceSettings.PID)
public class NetifController extends DevController {

    static final String VIF = "vif";
    static final String SCRIPTS_DIR = "/etc/xen/scripts";
    static final String DEFAULT_SCRIPT = "vif-bridge";
    static final String DEFAULT_TYPE = "netfront";
    private static final List<String> KEPT = List.of("script", "ip", "bridge", "mac", "type", "vifname", "rate",
            "uuid", "model");
    private static final Pattern RATE = Pattern.compile("([0-9]+)([GMK]?)([Bb])/s(@([0-9]+)([mu]?)s)?");
    private static final long UNLIMITED = 0xffffffffL;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Activate
    public NetifController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()));
    }

    NetifController(XenStore xenstore, DeviceSettings settings) {
        super(VIF, xenstore, settings);
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        Map<String, String> o = device.options();
        String script = nonEmpty(o.get("script"), DEFAULT_SCRIPT);
        String type = nonEmpty(o.get("type"), DEFAULT_TYPE);
        String mac = nonEmpty(o.get("mac"), randomMac());
        Map<String, String> kept = new LinkedHashMap<>();
        kept.put("script", script);
        kept.put("mac", mac);
        kept.put("type", type);
        for (String key : List.of("ip", "bridge", "vifname", "rate", "model")) {
            if (o.get(key) != null && !o.get(key).isEmpty()) {
                kept.put(key, o.get(key));
            }
        }
        if (device.uuid() != null && !device.uuid().isEmpty()) {
            kept.put("uuid", device.uuid());
        }
        Map<String, String> back = new LinkedHashMap<>(kept);
        back.remove("uuid");
        back.put("script", script.startsWith("/") ? script : SCRIPTS_DIR + "/" + script);
        if (back.containsKey("rate")) {
            back.put("rate", rate(back.get("rate")));
        }
        Map<String, String> front = new LinkedHashMap<>();
        if (!"ioemu".equals(type)) {
            front.put("mac", mac);
        }
        return new Details(OptionalInt.empty(), back, front, kept);
    }

    /** The handle is the devid, allocated in the transaction that writes the device. */
    @Override
    void allocated(int devid, Map<String, String> back, Map<String, String> front) {
        back.put("handle", Integer.toString(devid));
        if (!front.isEmpty()) {
            front.put("handle", Integer.toString(devid));
        }
    }

    @Override
    Map<String, String> options(Map<String, String> back, Map<String, String> front, Map<String, String> vm) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String key : KEPT) {
            if (!"uuid".equals(key) && vm.get(key) != null && !vm.get(key).isEmpty()) {
                o.put(key, vm.get(key));
            }
        }
        if (!o.containsKey("mac") && back.containsKey("mac")) {
            o.put("mac", back.get("mac"));
        }
        return o;
    }

    @Override
    boolean isNamed(String name, Map<String, String> back) {
        return name.equalsIgnoreCase(back.getOrDefault("mac", "")) || name.equals(back.get("vifname"));
    }

    /** {@code 10Mb/s}, {@code 1MB/s@20ms}: bytes per interval and the interval in µs; unlimited if unparseable. */
    static String rate(String text) {
        long bytesPerInterval = UNLIMITED;
        long intervalUsecs = 0;
        Matcher m = RATE.matcher(text);
        if (m.matches()) {
            long bytesPerSec = Long.parseLong(m.group(1));
            bytesPerSec *= switch (m.group(2)) {
                case "G" -> 1_000_000_000L;
                case "M" -> 1_000_000L;
                case "K" -> 1_000L;
                default -> 1L;
            };
            if ("b".equals(m.group(3))) {
                bytesPerSec /= 8;
            }
            intervalUsecs = 50_000L;
            if (m.group(5) != null) {
                intervalUsecs = Long.parseLong(m.group(5)) * switch (m.group(6)) {
                    case "" -> 1_000_000L;
                    case "m" -> 1_000L;
                    default -> 1L;
                };
            }
            bytesPerInterval = bytesPerSec * intervalUsecs / 1_000_000L;
            if (bytesPerInterval == 0 || bytesPerInterval > UNLIMITED || intervalUsecs == 0
                    || intervalUsecs > UNLIMITED) {
                bytesPerInterval = UNLIMITED;
                intervalUsecs = 0;
            }
        }
        return bytesPerInterval + "," + intervalUsecs;
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static String randomMac() {
        return String.format("00:16:3e:%02x:%02x:%02x", RANDOM.nextInt(0x80), RANDOM.nextInt(256),
                RANDOM.nextInt(256));
    }
}
