package org.xend.api.spi.device;

/** A device could not be created, found, reconfigured or destroyed; the message is for the operator. */
public class DeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, so that callers can answer with the right error. */
    public enum Kind {
        /** The configuration cannot describe a device of the class (bad mode, unknown device name …). */
        INVALID_CONFIG,
        /** A device with the same devid is already there ("Device … is already connected."). */
        ALREADY_CONNECTED,
        /** No such device of the domain. */
        NOT_FOUND,
        /** The backend's hotplug scripts failed, were busy, or did not answer in time. */
        HOTPLUG_FAILED,
        /** The class, or this change, cannot be made to a connected device. */
        NOT_RECONFIGURABLE,
        /** The backend did not close the device in time. */
        DETACH_FAILED
    }

    private final Kind kind;

    public DeviceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
