package org.xend.devices;

import java.util.Map;
import java.util.OptionalInt;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.xenstore.XenStore;

/** The paravirtual keyboard and mouse ({@code vkbd}, one per domain, devid 0, no entries of its own). */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + VkbdController.VKBD,
        configurationPid = DeviceSettings.PID)
public class VkbdController extends DevController {

    static final String VKBD = "vkbd";

    @Activate
    public VkbdController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()));
    }

    VkbdController(XenStore xenstore, DeviceSettings settings) {
        super(VKBD, xenstore, settings);
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        return new Details(OptionalInt.of(0), Map.of(), Map.of(), Map.of());
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
        return Map.of();
    }
}
