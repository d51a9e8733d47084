package org.xend.devices;

import java.util.List;
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
 * The paravirtual framebuffer ({@code vfb}, one per domain, devid 0): its display settings go to the backend. An
 * HVM guest's framebuffer is qemu's, with no hotplug step. Connected, only its {@code location} may change. The
 * framebuffer process itself (xen-vncfb, xen-sdlfb) is the backend's business, not the controller's.
 */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + VfbController.VFB,
        configurationPid = DeviceSettings.PID)
public class VfbController extends DevController {

    static final String VFB = "vfb";
    static final List<String> ENTRIES = List.of("type", "vncdisplay", "vnclisten", "vncpasswd", "vncunused",
            "display", "xauthority", "keymap", "location", "protocol");

    @Activate
    public VfbController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()));
    }

    VfbController(XenStore xenstore, DeviceSettings settings) {
        super(VFB, xenstore, settings);
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        Map<String, String> back = entries(device.options(), ENTRIES);
        String type = back.get("type");
        if (type != null && !List.of("vnc", "sdl").contains(type)) {
            throw new DeviceException(DeviceException.Kind.INVALID_CONFIG, "Unknown vfb type " + type);
        }
        return new Details(OptionalInt.of(0), back, Map.of(), Map.of());
    }

    @Override
    public OptionalInt devidOf(DeviceConfig device) {
        return OptionalInt.of(0);
    }

    @Override
    boolean hotplug(DeviceDomain domain) {
        return !domain.hvm();
    }

    @Override
    Map<String, String> options(Map<String, String> back, Map<String, String> front, Map<String, String> vm) {
        return entries(back, ENTRIES);
    }

    @Override
    public void reconfigureDevice(DeviceDomain domain, int devid, DeviceConfig device) {
        String location = device.options().get("location");
        if (location == null) {
            throw new DeviceException(DeviceException.Kind.NOT_RECONFIGURABLE,
                    "Refusing to reconfigure device vfb:" + devid + "; only its location may change");
        }
        String back = backendPath(domain, devid);
        xenstore.inTransaction(t -> {
            if (!t.exists(back)) {
                throw new DeviceException(DeviceException.Kind.NOT_FOUND, "Device " + devid + " (vfb) not connected");
            }
            t.write(back + "/location", location);
            return null;
        });
    }
}
