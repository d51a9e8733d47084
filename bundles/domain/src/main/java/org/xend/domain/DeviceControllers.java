package org.xend.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.spi.device.DeviceController;

/**
 * The device controllers registered now, by device class. Controllers come and go with their bundles, so every
 * lookup reads the current set; a class with none gets a clear error from the device calls.
 */
public final class DeviceControllers {

    private final Map<String, DeviceController> byClass = new ConcurrentHashMap<>();
    private final boolean controllersExpected;

    /** A registry that controllers register with as their bundles start. */
    public DeviceControllers() {
        this(true);
    }

    private DeviceControllers(boolean controllersExpected) {
        this.controllersExpected = controllersExpected;
    }

    /** A registry with no controller; the domain layer then leaves configured devices alone. */
    public static DeviceControllers none() {
        return new DeviceControllers(false);
    }

    public void add(DeviceController controller) {
        byClass.put(controller.deviceClass(), controller);
        synchronized (byClass) {
            byClass.notifyAll();
        }
    }

    /**
     * Waits until every one of {@code classes} has a controller, at most {@code timeoutMillis}: at daemon start the
     * controllers' bundles may come up after the domain layer. Whether they all have one.
     */
    boolean await(java.util.Collection<String> classes, long timeoutMillis) throws InterruptedException {
        if (!controllersExpected) {
            return byClass.keySet().containsAll(classes);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (byClass) {
            while (!byClass.keySet().containsAll(classes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                byClass.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
        return true;
    }

    /** Withdraws {@code controller}, unless another one has replaced it for its class meanwhile. */
    public void remove(DeviceController controller) {
        byClass.remove(controller.deviceClass(), controller);
    }

    Optional<DeviceController> get(String deviceClass) {
        return Optional.ofNullable(byClass.get(deviceClass));
    }

    /** The controller of a class, or VALUE_NOT_SUPPORTED naming the class. */
    DeviceController require(String deviceClass) {
        DeviceController c = deviceClass == null ? null : byClass.get(deviceClass);
        if (c == null) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "device class", String.valueOf(deviceClass),
                    "no device controller for this class is installed (installed: "
                            + String.join(", ", new java.util.TreeSet<>(byClass.keySet())) + ")");
        }
        return c;
    }

    java.util.Collection<DeviceController> all() {
        return byClass.values();
    }
}
