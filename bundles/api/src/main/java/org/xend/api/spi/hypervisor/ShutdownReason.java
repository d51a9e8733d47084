package org.xend.api.spi.hypervisor;

/** Why a domain shut down, with Xen's numeric codes (SHUTDOWN_poweroff = 0 …). */
public enum ShutdownReason {
    POWEROFF(0), REBOOT(1), SUSPEND(2), CRASH(3), HALT(4), WATCHDOG(5);

    private final int code;

    ShutdownReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name Xend uses: poweroff, reboot, suspend, crash, halt, watchdog. */
    public String xendName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ShutdownReason ofCode(int code) {
        for (ShutdownReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown shutdown reason " + code);
    }

    public static ShutdownReason ofXendName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
