package org.xend.api.domain;

import java.util.Map;

import org.xend.api.spi.config.DeviceConfig;

/**
 * One device of a VM as xm lists it. While the VM has a domain: {@code id} is the devid, {@code config} what the
 * xenstore says of it and {@code frontend} its frontend entries. Without a domain: {@code id} is its position
 * among the VM's devices of its class, {@code config} the configured device and {@code frontend} empty.
 */
public record DeviceView(int id, DeviceConfig config, Map<String, String> frontend) {
    public DeviceView {
        frontend = Map.copyOf(frontend);
    }
}
