package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.Optional;

import org.junit.Test;

/** Smoke test of the external-process harness: the daemon starts, stops in order on SIGTERM, and restarts. */
public class DaemonProcessIT {

    @Test
    public void daemonStartsStopsInOrderOnSigtermAndRestartsOnItsState() {
        try (DaemonProcess daemon = DaemonProcess.create("smoke")) {
            daemon.start();
            assertTrue("Xen API port open", DaemonProcess.accepts(daemon.xenApiPort()));
            assertTrue("state kept in XEND_STATE_DIR " + daemon.stateDir(), Files.isDirectory(daemon.stateDir()));

            int logLengthBeforeStop = daemon.karafLogText().length();
            daemon.stop();
            assertEquals("exit code after SIGTERM", Optional.of(0), daemon.lastExitCode());
            assertFalse("Xen API port closed after stop", DaemonProcess.accepts(daemon.xenApiPort()));
            String stopLog = daemon.karafLogText().substring(logLengthBeforeStop);
            assertTrue("karaf.log shows the framework stopping its bundles\n" + daemon.diagnostics(),
                    stopLog.contains(DaemonProcess.ORDERLY_STOP_MARKER));

            daemon.restart();
            assertTrue("Xen API port open after restart", DaemonProcess.accepts(daemon.xenApiPort()));
            assertTrue(daemon.isRunning());
        }
    }
}
