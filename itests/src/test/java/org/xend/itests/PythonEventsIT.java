package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Events and tasks as Python's stdlib {@code xmlrpc.client} sees them ({@code src/test/python/xenapi_events.py}):
 * {@code event.from} with a power-state change, {@code event.register/next} up to {@code EVENTS_LOST}, and the
 * task rules including {@code task.cancel} on a running long operation.
 *
 * <p>The overflow needs a short {@code event.next} queue. The queue length is {@code eventQueueLength} of PID
 * {@code org.xend.core}, and Karaf's environment override ({@code ORG_XEND_CORE_EVENTQUEUELENGTH}) only replaces
 * keys that a configuration of that PID already has; the assembly ships none for {@code org.xend.core}. So the
 * daemon copy gets an {@code etc/org.xend.core.cfg} holding the default, and the environment lowers it: the test
 * checks in the log that the override took. The simulated guests answer shutdown and suspend requests after
 * {@value #GUEST_DELAY_MS} ms, which keeps an {@code Async.VM.suspend} running long enough to be cancelled.
 */
public class PythonEventsIT {

    private static final Path SCRIPT = Path.of("src/test/python/xenapi_events.py").toAbsolutePath();
    private static final int QUEUE_LENGTH = 16;
    private static final int GUEST_DELAY_MS = 2000;
    /**
     * The Xen API port opens seconds before the domain layer publishes the VM class; a VM.create in that window is
     * stored without its domain and a VM.start on it fails. Tests start once the domain layer says it is up.
     */
    static final String DOMAIN_LAYER_UP = "Xend is managing domains";

    @Test
    public void eventsAndTasksThroughPythonXmlRpc() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("python-events")) {
            Files.writeString(daemon.home().resolve("etc/org.xend.core.cfg"),
                    "# written by PythonEventsIT: the key must exist for the environment to override it\n"
                            + "eventQueueLength = 10000\n", StandardCharsets.UTF_8);
            daemon.withEnvironment("ORG_XEND_CORE_EVENTQUEUELENGTH", Integer.toString(QUEUE_LENGTH))
                    .withEnvironment("XEND_SIM_SHUTDOWN_DELAY_MS", Integer.toString(GUEST_DELAY_MS));
            daemon.start();
            assertTrue("the environment override of eventQueueLength took effect\n" + daemon.diagnostics(),
                    awaitLog(daemon, QUEUE_LENGTH + " queued events per session"));
            assertTrue("the domain layer came up\n" + daemon.diagnostics(), awaitLog(daemon, DOMAIN_LAYER_UP));

            Path out = daemon.home().resolve("python-events.log");
            Process p = new ProcessBuilder(List.of("python3", SCRIPT.toString(), "--url", daemon.xenApiUrl(),
                    "--password", daemon.rootPassword(), "--queue-length", Integer.toString(QUEUE_LENGTH)))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the Python events client did not finish\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(output);
            assertEquals("the Python events client:\n" + output + "\n" + daemon.diagnostics(), 0, p.exitValue());
            assertTrue("the client ran to its summary:\n" + output, output.contains(" passed, 0 failed"));
        }
    }

    /** Whether the daemon's log shows {@code text} within 60 s. */
    static boolean awaitLog(DaemonProcess daemon, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (daemon.karafLogText().contains(text)) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
