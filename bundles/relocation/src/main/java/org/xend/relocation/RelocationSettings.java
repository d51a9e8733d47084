package org.xend.relocation;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.xend.api.config.DaemonSettings;
import org.xend.api.config.Settings;

/**
 * The settings of configuration PID {@value #PID} ({@code etc/org.xend.relocation.cfg}), Xend's
 * {@code xend-relocation-*} keys; each may be overridden by an environment variable {@code XEND_RELOCATION_*}.
 *
 * @param server         whether this daemon receives migrations (Xend: {@code xend-relocation-server}, off)
 * @param address        where the server listens: the daemon's {@code bindAddress} unless set
 * @param port           the server's port, and the port a migration goes to when none is given (8002)
 * @param hostsAllow     the peers the server takes migrations from
 * @param timeout        how long either side waits for the other to send or answer
 * @param maxConnections how many migrations the server receives at once; more are declined
 */
record RelocationSettings(boolean server, String address, int port, HostsAllow hostsAllow, Duration timeout,
                          int maxConnections) {

    static final String PID = "org.xend.relocation";
    static final int DEFAULT_PORT = 8002;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_MAX_CONNECTIONS = 4;

    /**
     * @param props the Config Admin properties of {@value #PID} and of the daemon-wide PID
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static RelocationSettings from(Map<String, ?> props, Map<String, String> env, String karafData) {
        DaemonSettings daemon = DaemonSettings.from(props, env, karafData);
        String address = Settings.value(props, env, "address", "XEND_RELOCATION_ADDRESS", "");
        int port = Settings.intValue(props, env, "port", "XEND_RELOCATION_PORT", DEFAULT_PORT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("setting port (XEND_RELOCATION_PORT) must be from 1 to 65535, got "
                    + port);
        }
        int timeoutSeconds = Settings.intValue(props, env, "timeoutSeconds", "XEND_RELOCATION_TIMEOUT_SECONDS",
                DEFAULT_TIMEOUT_SECONDS);
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("setting timeoutSeconds (XEND_RELOCATION_TIMEOUT_SECONDS) must be "
                    + "at least 1, got " + timeoutSeconds);
        }
        int maxConnections = Settings.intValue(props, env, "maxConnections", "XEND_RELOCATION_MAX_CONNECTIONS",
                DEFAULT_MAX_CONNECTIONS);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("setting maxConnections (XEND_RELOCATION_MAX_CONNECTIONS) must be at "
                    + "least 1, got " + maxConnections);
        }
        return new RelocationSettings(flag(Settings.value(props, env, "server", "XEND_RELOCATION_SERVER", "false")),
                address.isBlank() ? daemon.bindAddress() : address, port,
                HostsAllow.parse(Settings.value(props, env, "hostsAllow", "XEND_RELOCATION_HOSTS_ALLOW", "")),
                Duration.ofSeconds(timeoutSeconds), maxConnections);
    }

    /** Xend's yes/no, or true/false. */
    private static boolean flag(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("setting server (XEND_RELOCATION_SERVER) must be yes or no, "
                    + "got '" + value + "'");
        };
    }
}
