package org.xend.devices;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.device.DeviceException;
import org.xend.api.spi.xenstore.XenStore;

/**
 * Block devices ({@code vbd}, Xend's Blkif): the devid is the device number of the guest-side name; the backend
 * gets {@code dev}, {@code type} and {@code params} (the uname split at its first colon) and {@code mode}, the
 * frontend {@code virtual-device} and {@code device-type}. A CD drive's media can be changed while connected.
 */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + BlkifController.VBD,
        configurationPid = DeviceSettings.PID)
public class BlkifController extends DevController {

    static final String VBD = "vbd";
    private static final java.util.Set<String> MODES = java.util.Set.of("r", "w", "w!");

    private final BlockDeviceNumbers numbers;

    @Activate
    public BlkifController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(VBD, xenstore, DeviceSettings.from(properties, System.getenv()), BlockDeviceNumbers.ofHost());
    }

    BlkifController(String deviceClass, XenStore xenstore, DeviceSettings settings, BlockDeviceNumbers numbers) {
        super(deviceClass, xenstore, settings);
        this.numbers = numbers;
    }

    /** A disk's guest-side name and kind, from its {@code dev} option ({@code ioemu:hdc:cdrom} and the like). */
    record Dev(String name, String type) {
        static Dev of(String dev) {
            String rest = dev == null ? "" : dev.replaceFirst("^ioemu:", "");
            int colon = rest.indexOf(':');
            return colon < 0 ? new Dev(rest, "disk") : new Dev(rest.substring(0, colon), rest.substring(colon + 1));
        }
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        Map<String, String> o = device.options();
        Dev dev = Dev.of(o.get("dev"));
        String uname = o.getOrDefault("uname", "");
        int colon = uname.indexOf(':');
        String type = colon < 0 ? "" : uname.substring(0, colon);
        String params = colon < 0 ? "" : uname.substring(colon + 1);
        String mode = o.getOrDefault("mode", "r");
        if (!MODES.contains(mode)) {
            throw new DeviceException(DeviceException.Kind.INVALID_CONFIG,
                    "Invalid mode '" + mode + "' for " + dev.name() + ": r, w or w!");
        }
        int devid = numbers.number(dev.name()).orElseThrow(() -> new DeviceException(
                DeviceException.Kind.INVALID_CONFIG, "Unable to find number for device (" + dev.name() + ")"));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("dev", dev.name());
        back.put("type", type);
        back.put("params", params);
        back.put("mode", mode);
        Map<String, String> front = new LinkedHashMap<>();
        front.put("virtual-device", Integer.toString(devid));
        front.put("device-type", dev.type());
        return new Details(OptionalInt.of(devid), back, front, Map.of());
    }

    @Override
    public OptionalInt devidOf(DeviceConfig device) {
        return numbers.number(Dev.of(device.options().get("dev")).name());
    }

    @Override
    Map<String, String> options(Map<String, String> back, Map<String, String> front, Map<String, String> vm) {
        Map<String, String> o = new LinkedHashMap<>();
        String dev = back.getOrDefault("dev", "");
        if (!dev.isEmpty()) {
            o.put("dev", "cdrom".equals(front.get("device-type")) ? dev + ":cdrom" : dev);
        }
        String type = back.getOrDefault("type", "");
        String params = back.getOrDefault("params", "");
        o.put("uname", type.isEmpty() && params.isEmpty() ? "" : type + ":" + params);
        if (back.containsKey("mode")) {
            o.put("mode", back.get("mode"));
        }
        return o;
    }

    @Override
    String label(int devid, Map<String, String> back) {
        String dev = back.get("dev");
        return dev == null ? super.label(devid, back) : dev + " (" + devid + ", " + deviceClass() + ")";
    }

    @Override
    boolean isNamed(String name, Map<String, String> back) {
        String dev = back.get("dev");
        if (dev == null) {
            return false;
        }
        String last = name.substring(name.lastIndexOf('/') + 1);
        return dev.equals(name) || dev.equals(last);
    }

    /** Only a CD drive's media may change, read-only, under the same name: the backend's type and params. */
    @Override
    public void reconfigureDevice(DeviceDomain domain, int devid, DeviceConfig device) {
        Details wanted = details(domain, device);
        String back = xenstore.read(frontendPath(domain, devid) + "/backend").orElse(null);
        if (back == null) {
            throw new DeviceException(DeviceException.Kind.NOT_FOUND,
                    "Device " + devid + " (" + deviceClass() + ") not connected");
        }
        Map<String, String> current = entries(back);
        String frontType = xenstore.read(frontendPath(domain, devid) + "/device-type").orElse("");
        boolean mediaChange = "cdrom".equals(frontType) && "cdrom".equals(wanted.front().get("device-type"))
                && current.getOrDefault("dev", "").equals(wanted.back().get("dev"))
                && "r".equals(current.get("mode"));
        if (!mediaChange) {
            throw new DeviceException(DeviceException.Kind.NOT_RECONFIGURABLE, "Refusing to reconfigure device "
                    + deviceClass() + ":" + devid + " to " + device.options()
                    + "; only the media of a read-only CD drive can change");
        }
        xenstore.inTransaction(t -> {
            if (!t.exists(back)) {
                throw new DeviceException(DeviceException.Kind.NOT_FOUND,
                        "Device " + devid + " (" + deviceClass() + ") not connected");
            }
            t.write(back + "/type", wanted.back().get("type"));
            t.write(back + "/params", wanted.back().get("params"));
            return null;
        });
    }
}
