package org.xend.api.spi.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One device of a VM configuration: its class (vbd, tap, vif, vtpm, pci, vfb, vkbd, console, …), uuid and options. */
public record DeviceConfig(String deviceClass, String uuid, Map<String, String> options) {
    public DeviceConfig {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }
}
