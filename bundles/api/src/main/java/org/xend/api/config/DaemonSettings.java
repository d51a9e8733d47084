package org.xend.api.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon-wide settings of configuration PID {@value #PID} ({@code etc/org.xend.daemon.cfg}); each may be
 * overridden by an environment variable, for containers and tests.
 */
public record DaemonSettings(Path stateDir, String bindAddress, int xenapiPort, int legacyPort,
                             Optional<Path> socketDir) {

    public static final String PID = "org.xend.daemon";

    /**
     * @param props     the Config Admin properties (may be empty)
     * @param env       the environment, normally {@code System.getenv()}
     * @param karafData the value of {@code karaf.data}, for the default state directory
     */
    public static DaemonSettings from(Map<String, ?> props, Map<String, String> env, String karafData) {
        String state = Settings.value(props, env, "stateDir", "XEND_STATE_DIR",
                (karafData == null ? "data" : karafData) + "/xend");
        String socket = Settings.value(props, env, "socketDir", "XEND_SOCKET_DIR", "");
        return new DaemonSettings(Path.of(state),
                Settings.value(props, env, "bindAddress", "XEND_BIND_ADDRESS", "127.0.0.1"),
                Settings.intValue(props, env, "xenapiPort", "XEND_XENAPI_PORT", 9363),
                Settings.intValue(props, env, "legacyPort", "XEND_LEGACY_PORT", 8006),
                socket.isBlank() ? Optional.empty() : Optional.of(Path.of(socket)));
    }

    public static DaemonSettings fromSystem(Map<String, ?> props) {
        return from(props, System.getenv(), System.getProperty("karaf.data"));
    }
}
