package org.xend.devices;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.xenstore.XenStore;

/**
 * blktap disks ({@code tap}, unames {@code tap:aio:/img}, {@code tap:qcow:/img}): a vbd whose backend is under
 * {@code backend/tap} while the guest sees it under {@code device/vbd}, so a tap and a vbd cannot share a devid.
 * HVM guests' phantom vbds in domain 0 are not made.
 */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + BlktapController.TAP,
        configurationPid = DeviceSettings.PID)
public class BlktapController extends BlkifController {

    static final String TAP = "tap";

    @Activate
    public BlktapController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()), BlockDeviceNumbers.ofHost());
    }

    BlktapController(XenStore xenstore, DeviceSettings settings, BlockDeviceNumbers numbers) {
        super(TAP, xenstore, settings, numbers);
    }

    @Override
    String frontendClass() {
        return VBD;
    }
}
