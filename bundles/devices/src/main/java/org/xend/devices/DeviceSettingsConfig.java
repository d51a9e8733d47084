package org.xend.devices;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The metatype of {@value DeviceSettings#PID}; every controller component reads it. */
@ObjectClassDefinition(id = DeviceSettings.PID, pid = DeviceSettings.PID, name = "Xend device controllers",
        description = "How long the device controllers wait for the backends")
@interface DeviceSettingsConfig {

    @AttributeDefinition(min = "1", description = "Seconds a new device's hotplug scripts may take to report it "
            + "connected before it is destroyed and the start or attach fails (Xend: 100). "
            + "Env XEND_HOTPLUG_TIMEOUT_SECONDS.")
    int hotplugTimeoutSeconds() default DeviceSettings.DEFAULT_HOTPLUG_TIMEOUT_SECONDS;

    @AttributeDefinition(min = "1", description = "Seconds a detached device's backend may take to close it before "
            + "the detach fails (a forced detach does not wait). Env XEND_DEVICE_CLOSE_TIMEOUT_SECONDS.")
    int closeTimeoutSeconds() default DeviceSettings.DEFAULT_CLOSE_TIMEOUT_SECONDS;
}
