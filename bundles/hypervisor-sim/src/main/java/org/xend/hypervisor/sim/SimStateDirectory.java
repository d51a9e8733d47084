package org.xend.hypervisor.sim;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.xend.api.config.DaemonSettings;
import org.xend.api.config.Settings;

/**
 * Where the simulated hypervisor and xenstore keep what outlives the daemon. The components read the daemon's
 * configuration ({@value DaemonSettings#PID}) merged with their own ({@value SimHypervisor#PID}); as both would
 * merge into one key, the simulator's own directory has a key of its own:
 * <ol>
 *   <li>{@value #KEY} / env {@value #ENV};</li>
 *   <li>else {@code sim} under the daemon's state directory ({@code stateDir} / env {@code XEND_STATE_DIR},
 *       by default {@code ${karaf.data}/xend}, as {@link DaemonSettings} has it);</li>
 *   <li>else, outside Karaf with nothing configured (plain-object use, tests), nowhere: the simulator keeps its
 *       state in memory only rather than write into the working directory.</li>
 * </ol>
 */
final class SimStateDirectory {
    static final String KEY = "simStateDir";
    static final String ENV = "XEND_SIM_STATE_DIR";
    static final String SUBDIRECTORY = "sim";

    private SimStateDirectory() {
    }

    static Optional<Path> resolve(Map<String, ?> properties, Map<String, String> env, String karafData) {
        String own = Settings.value(properties, env, KEY, ENV, "");
        if (!own.isBlank()) {
            return Optional.of(Path.of(own));
        }
        String daemonState = Settings.value(properties, env, "stateDir", "XEND_STATE_DIR", "");
        if (!daemonState.isBlank()) {
            return Optional.of(Path.of(daemonState, SUBDIRECTORY));
        }
        if (karafData != null && !karafData.isBlank()) {
            return Optional.of(Path.of(karafData, "xend", SUBDIRECTORY));
        }
        return Optional.empty();
    }
}
