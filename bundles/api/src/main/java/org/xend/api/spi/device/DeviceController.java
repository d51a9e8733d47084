package org.xend.api.spi.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.osgi.annotation.versioning.ConsumerType;
import org.xend.api.spi.config.DeviceConfig;

/**
 * The controller of one device class (service property {@value #PROPERTY_CLASS}, e.g. {@code vbd}, {@code vif}):
 * it writes a device's frontend ({@code /local/domain/<domid>/device/<class>/<devid>}) and backend
 * ({@code /local/domain/0/backend/<class>/<domid>/<devid>}) entries, waits for the backend's hotplug scripts,
 * reads a device's configuration back, reconfigures and destroys it. Every failure is a {@link DeviceException}.
 */
@ConsumerType
public interface DeviceController {
    String PROPERTY_CLASS = "deviceClass";

    /** The device class this controller serves, as in {@code (device (<class> …))}. */
    String deviceClass();

    /**
     * Writes both sides of the device in one xenstore transaction; a device with the same devid is refused
     * ({@link DeviceException.Kind#ALREADY_CONNECTED}). Does not wait for the backend.
     *
     * @return the devid
     */
    int createDevice(DeviceDomain domain, DeviceConfig device);

    /**
     * Waits until the backend's hotplug scripts report the device connected. A failure, a busy device or no answer
     * within the hotplug timeout destroys the device and throws {@link DeviceException.Kind#HOTPLUG_FAILED}.
     * Returns at once for classes that have no hotplug step.
     */
    void waitForDevice(DeviceDomain domain, int devid);

    /** The devids of the domain's devices of this class, ascending. */
    List<Integer> deviceIds(DeviceDomain domain);

    /** The devid of a device named by its devid, its guest-side name ({@code xvda}, {@code /dev/xvda}) or uuid. */
    OptionalInt findDevice(DeviceDomain domain, String devidNameOrUuid);

    /** The devid a configuration gives its device before it exists, when the class derives it (vbd: the name). */
    OptionalInt devidOf(DeviceConfig device);

    /** A connected device's configuration, read back from the xenstore (Xend's getDeviceConfiguration). */
    Optional<DeviceConfig> configuration(DeviceDomain domain, int devid);

    /** The device's frontend entries, key to value; nested nodes as {@code key/sub}. Empty if it has none. */
    Map<String, String> frontendDetails(DeviceDomain domain, int devid);

    /**
     * Changes a connected device to {@code device} where the class allows it (vbd: the media of a CD drive);
     * otherwise {@link DeviceException.Kind#NOT_RECONFIGURABLE}.
     */
    void reconfigureDevice(DeviceDomain domain, int devid, DeviceConfig device);

    /**
     * Asks the backend to close the device ({@code online=0}, {@code state=5}) and removes its entries once it
     * has; {@code force} removes both sides at once without waiting. Either way
     * {@code /vm/<uuid>/device/<class>/<devid>} goes too.
     */
    void destroyDevice(DeviceDomain domain, int devid, boolean force);
}
