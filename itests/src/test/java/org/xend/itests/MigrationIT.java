package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * Two daemons, each from its own copy of the assembly with its own state and ports: the destination runs its
 * relocation server (on for this test, allowing localhost), and Python's {@code xmlrpc.client}
 * ({@code src/test/python/migration.py}) moves VMs from the source to it with xend.domain.migrate, VM.migrate and
 * Async.VM.migrate, then checks each where it arrived and where it left.
 */
public class MigrationIT {

    private static final Path SCRIPT = Path.of("src/test/python/migration.py").toAbsolutePath();

    @Test
    public void vmsMoveBetweenTwoDaemons() throws Exception {
        int relocationPort = FreePorts.allocate(1)[0];
        try (DaemonProcess source = DaemonProcess.create("migration-source");
             DaemonProcess destination = DaemonProcess.create("migration-destination")) {
            destination.withEnvironment("XEND_RELOCATION_SERVER", "yes")
                    .withEnvironment("XEND_RELOCATION_PORT", Integer.toString(relocationPort))
                    .withEnvironment("XEND_RELOCATION_HOSTS_ALLOW", "^localhost$");
            CompletableFuture<Void> sourceUp = CompletableFuture.runAsync(source::start);
            destination.start();
            sourceUp.get(5, TimeUnit.MINUTES);
            awaitPort(destination, relocationPort);

            Process python = new ProcessBuilder(List.of("python3", SCRIPT.toString(),
                    "--source", source.xenApiUrl(), "--source-password", source.rootPassword(),
                    "--dest", destination.xenApiUrl(), "--dest-password", destination.rootPassword(),
                    "--dest-port", Integer.toString(relocationPort)))
                    .redirectErrorStream(true).start();
            python.getOutputStream().close();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue("migration.py did not finish", python.waitFor(5, TimeUnit.MINUTES));
            System.out.println(output);
            assertEquals("migration.py:\n" + output + "\nsource:\n" + source.diagnostics() + "\ndestination:\n"
                    + destination.diagnostics(), 0, python.exitValue());
            assertTrue(destination.karafLogText().contains("migrated here from"));
        }
    }

    /** The relocation server is its own component; it may open a moment after the Xen API port. */
    private static void awaitPort(DaemonProcess daemon, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!DaemonProcess.accepts(port)) {
            assertTrue("the relocation port " + port + " did not open\n" + daemon.diagnostics(),
                    System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }
}
