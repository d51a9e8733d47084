package org.xend.api.spi.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical VM configuration. {@code fields} holds Xen API VM fields, Java-typed as in the object store
 * (memory in bytes). {@code extras} holds Xend's keys that are not in the API (on_xend_start, on_xend_stop,
 * shadow_memory, cpus, vcpu_avail, cpu_weight, cpu_cap, features …), as strings.
 */
public record VmConfig(Map<String, Object> fields, Map<String, String> extras, List<DeviceConfig> devices) {
    public VmConfig {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
        devices = List.copyOf(devices);
    }
}
