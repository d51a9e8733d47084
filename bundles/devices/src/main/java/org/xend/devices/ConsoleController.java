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
import org.xend.api.spi.xenstore.XenStore;

/**
 * Consoles ({@code console}): Xend's stand-in device that gives serial and VNC consoles a lasting uuid; its backend
 * keeps {@code location} and {@code protocol}. No hotplug step, and destroying one never waits for a backend.
 */
@Component(service = DeviceController.class,
        property = DeviceController.PROPERTY_CLASS + "=" + ConsoleController.CONSOLE,
        configurationPid = DeviceSettings.PID)
public class ConsoleController extends DevController {

    static final String CONSOLE = "console";
    private static final List<String> ENTRIES = List.of("location", "protocol");

    @Activate
    public ConsoleController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()));
    }

    ConsoleController(XenStore xenstore, DeviceSettings settings) {
        super(CONSOLE, xenstore, settings);
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        Map<String, String> back = entries(device.options(), ENTRIES);
        return new Details(OptionalInt.empty(), back, Map.of(), Map.of());
    }

    @Override
    boolean hotplug(DeviceDomain domain) {
        return false;
    }

    @Override
    public void destroyDevice(DeviceDomain domain, int devid, boolean force) {
        super.destroyDevice(domain, devid, true);
    }

    @Override
    Map<String, String> options(Map<String, String> back, Map<String, String> front, Map<String, String> vm) {
        return entries(back, ENTRIES);
    }
}
