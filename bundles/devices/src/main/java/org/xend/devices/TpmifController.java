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
 * Virtual TPMs ({@code vtpm}, Xend's TPMif): devids from the domain's counter; the backend gets the preferred TPM
 * {@code pref_instance} ({@code pref_instance}, else {@code instance}, else 0), {@code resume} and {@code type};
 * the frontend its {@code handle}.
 */
@Component(service = DeviceController.class, property = DeviceController.PROPERTY_CLASS + "=" + TpmifController.VTPM,
        configurationPid = DeviceSettings.PID)
public class TpmifController extends DevController {

    static final String VTPM = "vtpm";

    @Activate
    public TpmifController(@Reference XenStore xenstore, Map<String, Object> properties) {
        this(xenstore, DeviceSettings.from(properties, System.getenv()));
    }

    TpmifController(XenStore xenstore, DeviceSettings settings) {
        super(VTPM, xenstore, settings);
    }

    @Override
    Details details(DeviceDomain domain, DeviceConfig device) {
        Map<String, String> o = device.options();
        String instance = o.getOrDefault("pref_instance", "-1");
        if ("-1".equals(instance)) {
            instance = o.getOrDefault("instance", "0");
        }
        if (!instance.matches("-?\\d{1,9}")) {
            throw new DeviceException(DeviceException.Kind.INVALID_CONFIG,
                    "Invalid vTPM instance '" + instance + "': a number");
        }
        Map<String, String> back = new LinkedHashMap<>();
        back.put("pref_instance", instance);
        back.put("resume", "False");
        if (o.get("type") != null && !o.get("type").isEmpty()) {
            back.put("type", o.get("type"));
        }
        return new Details(OptionalInt.empty(), back, new LinkedHashMap<>(), Map.of());
    }

    @Override
    void allocated(int devid, Map<String, String> back, Map<String, String> front) {
        front.put("handle", Integer.toString(devid));
    }

    @Override
    Map<String, String> options(Map<String, String> back, Map<String, String> front, Map<String, String> vm) {
        Map<String, String> o = new LinkedHashMap<>();
        String instance = back.getOrDefault("instance", back.get("pref_instance"));
        if (instance != null) {
            o.put("pref_instance", instance);
        }
        if (back.containsKey("type")) {
            o.put("type", back.get("type"));
        }
        return o;
    }
}
