package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * The first vertical slice as a real client sees it: Python's stdlib {@code xmlrpc.client} drives a daemon started
 * from the assembly (login, errors, VM create/start/pause/shutdown, Async tasks), then the daemon is stopped with
 * SIGTERM, started again on the same state, and the managed VM must still be there.
 */
public class PythonClientIT {

    private static final Path SCRIPT = Path.of("src/test/python/xenapi_slice.py").toAbsolutePath();

    @Test
    public void sliceSurvivesASigtermAndRestart() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("python-slice")) {
            daemon.start();
            Path vmFile = daemon.home().resolve("vm-uuid.txt");
            runPhase(daemon, vmFile, "first");
            String vm = Files.readString(vmFile).trim();
            assertTrue("config.sxp of " + vm, Eventually.fileAppears(
                    daemon.stateDir().resolve("domains").resolve(vm).resolve("config.sxp")));

            int logLengthBeforeStop = daemon.karafLogText().length();
            daemon.stop();
            String stopLog = daemon.karafLogText().substring(logLengthBeforeStop);
            int stopActions = stopLog.indexOf("Xend is stopping: running the on_xend_stop actions");
            int bundlesDown = stopLog.indexOf(DaemonProcess.ORDERLY_STOP_MARKER);
            assertTrue("the stop actions run before the bundles go down\n" + daemon.diagnostics(),
                    stopActions >= 0 && bundlesDown > stopActions);

            daemon.restart();
            runPhase(daemon, vmFile, "second");
        }
    }

    private static void runPhase(DaemonProcess daemon, Path vmFile, String phase)
            throws IOException, InterruptedException {
        Path out = daemon.home().resolve("python-" + phase + ".log");
        Process p = new ProcessBuilder(List.of("python3", SCRIPT.toString(),
                "--url", daemon.xenApiUrl(), "--password", daemon.rootPassword(),
                "--state", daemon.stateDir().toString(), "--vm-file", vmFile.toString(), "--phase", phase))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Python client did not finish phase " + phase);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals("phase " + phase + " of the Python client:\n" + output + "\n" + daemon.diagnostics(),
                0, p.exitValue());
    }
}
