package org.xend.devices;

import java.time.Duration;
import java.util.Map;

import org.xend.api.config.Settings;

/**
 * How long the controllers wait for a backend (configuration PID {@value #PID}; an environment variable wins over
 * Config Admin, which wins over the default).
 *
 * @param hotplugTimeout how long a new device's hotplug scripts may take to report (Xend: 100 s)
 * @param closeTimeout   how long a detached device's backend may take to close before the detach fails
 */
record DeviceSettings(Duration hotplugTimeout, Duration closeTimeout) {

    static final String PID = "org.xend.devices";
    static final int DEFAULT_HOTPLUG_TIMEOUT_SECONDS = 100;
    static final int DEFAULT_CLOSE_TIMEOUT_SECONDS = 10;

    static final DeviceSettings DEFAULTS = new DeviceSettings(Duration.ofSeconds(DEFAULT_HOTPLUG_TIMEOUT_SECONDS),
            Duration.ofSeconds(DEFAULT_CLOSE_TIMEOUT_SECONDS));

    DeviceSettings {
        if (hotplugTimeout.isNegative() || hotplugTimeout.isZero() || closeTimeout.isNegative()
                || closeTimeout.isZero()) {
            throw new IllegalArgumentException("device timeouts must be positive: hotplug " + hotplugTimeout
                    + ", close " + closeTimeout);
        }
    }

    static DeviceSettings from(Map<String, ?> props, Map<String, String> env) {
        return new DeviceSettings(
                Duration.ofSeconds(Settings.intValue(props, env, "hotplugTimeoutSeconds",
                        "XEND_HOTPLUG_TIMEOUT_SECONDS", DEFAULT_HOTPLUG_TIMEOUT_SECONDS)),
                Duration.ofSeconds(Settings.intValue(props, env, "closeTimeoutSeconds",
                        "XEND_DEVICE_CLOSE_TIMEOUT_SECONDS", DEFAULT_CLOSE_TIMEOUT_SECONDS)));
    }
}
