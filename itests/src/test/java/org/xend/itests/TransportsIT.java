package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

/**
 * The Xen API of the assembled daemon over its other transports, driven by Python's {@code xmlrpc.client}
 * ({@code src/test/python/transports.py}): the Unix socket {@code <socketDir>/xen-api.sock}, HTTPS with the
 * certificate the daemon generated on its first start, and {@code bin/xen-api-stdio} spoken to over its pipes, as an
 * SSH transport would; and the legacy xm API on {@code <socketDir>/xmlrpc.sock}, directly and through
 * {@code bin/xen-api-stdio --legacy}. The daemon gets its socket directory from {@code XEND_SOCKET_DIR}; the relay,
 * started without it, reads the same directory from the installation's {@code etc/org.xend.daemon.cfg}.
 */
public class TransportsIT {

    private static final Path SCRIPT = Path.of("src/test/python/transports.py").toAbsolutePath();

    @Test
    public void xenApiOverTheUnixSocketHttpsAndTheStdioRelay() throws Exception {
        int tlsPort = FreePorts.allocate(1)[0];
        try (DaemonProcess daemon = DaemonProcess.create("transports")) {
            Path socketDir = daemon.home().resolve("run");
            Path socket = socketDir.resolve("xen-api.sock");
            daemon.withEnvironment("XEND_SOCKET_DIR", socketDir.toString())
                    .withEnvironment("XEND_XENAPI_TLS_PORT", Integer.toString(tlsPort));
            setSocketDirInConfiguration(daemon.home(), socketDir);
            daemon.start();
            awaitListeners(daemon, socket, tlsPort);

            assertEquals("only the daemon's user may connect", "rw-------", mode(socket));
            assertEquals("rwx------", mode(socketDir));
            Path certificate = daemon.stateDir().resolve("tls/xen-api.crt");
            assertEquals("the key is the daemon's user's alone", "rw-------",
                    mode(daemon.stateDir().resolve("tls/xen-api.key")));
            String fingerprint = fingerprint(certificate);
            assertTrue("the log shows the certificate's fingerprint " + fingerprint + "\n" + daemon.diagnostics(),
                    daemon.karafLogText().contains("SHA-256 fingerprint " + fingerprint));

            python(daemon, "--transport", "unix", "--socket", socket.toString());
            python(daemon, "--transport", "https", "--url", "https://127.0.0.1:" + tlsPort + "/",
                    "--cafile", certificate.toString());
            python(daemon, "--transport", "https", "--url", "https://localhost:" + tlsPort + "/",
                    "--cafile", certificate.toString());
            python(daemon, "--transport", "stdio", "--relay", daemon.home().resolve("bin/xen-api-stdio").toString());
            Path legacySocket = socketDir.resolve("xmlrpc.sock");
            awaitFile(daemon, legacySocket);
            assertEquals("the legacy socket is private too", "rw-------", mode(legacySocket));
            python(daemon, "--transport", "legacy", "--socket", legacySocket.toString(),
                    "--relay", daemon.home().resolve("bin/xen-api-stdio").toString());

            daemon.restart();
            awaitListeners(daemon, socket, tlsPort);
            assertEquals("the certificate is reused across restarts", fingerprint, fingerprint(certificate));
            python(daemon, "--transport", "unix", "--socket", socket.toString());

            daemon.stop();
            assertFalse("an orderly stop removes the socket file", Files.exists(socket));
        }
    }

    @Test
    public void theRelayExplainsWhatItCannotReach() throws Exception {
        try (DaemonProcess daemon = DaemonProcess.create("transports-relay")) {
            Path relay = daemon.home().resolve("bin/xen-api-stdio");
            assertTrue("bin/xen-api-stdio is executable", Files.isExecutable(relay));

            Outcome unconfigured = run(List.of(relay.toString()), null);
            assertEquals(unconfigured.output, 2, unconfigured.status);
            assertTrue(unconfigured.output, unconfigured.output.contains("socketDir is empty"));

            Path nowhere = daemon.home().resolve("no-daemon.sock");
            Outcome unreachable = run(List.of(relay.toString(), "--socket", nowhere.toString()), null);
            assertEquals(unreachable.output, 3, unreachable.status);
            assertTrue(unreachable.output, unreachable.output.contains(nowhere.toString()));
        }
    }

    /** The listeners open one after the other; the HTTP port, which start() waits for, may come first. */
    private static void awaitListeners(DaemonProcess daemon, Path socket, int tlsPort) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(socket) && DaemonProcess.accepts(tlsPort))) {
            assertTrue("the Unix socket and the HTTPS port did not open\n" + daemon.diagnostics(),
                    System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }

    /** The legacy API is its own component, up once the domain layer is. */
    private static void awaitFile(DaemonProcess daemon, Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            assertTrue(file + " did not appear\n" + daemon.diagnostics(), System.nanoTime() < deadline);
            Thread.sleep(100);
        }
    }

    private static void setSocketDirInConfiguration(Path home, Path socketDir) throws IOException {
        Path cfg = home.resolve("etc/org.xend.daemon.cfg");
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        for (String line : Files.readAllLines(cfg, StandardCharsets.ISO_8859_1)) {
            if (line.matches("\\s*socketDir\\s*=.*")) {
                line = "socketDir = " + socketDir;
                replaced = true;
            }
            lines.add(line);
        }
        assertTrue("the shipped org.xend.daemon.cfg has a socketDir key", replaced);
        Files.write(cfg, lines, StandardCharsets.ISO_8859_1);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static String fingerprint(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        }
    }

    private static final class Outcome {
        final int status;
        final String output;

        Outcome(int status, String output) {
            this.status = status;
            this.output = output;
        }
    }

    /** Runs a command with this test's environment minus XEND_SOCKET_DIR, so the relay must read the .cfg file. */
    private static Outcome run(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XEND_SOCKET_DIR");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish: " + command);
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (log != null) {
            Files.writeString(log, text, StandardCharsets.UTF_8);
        }
        return new Outcome(process.exitValue(), text);
    }

    private static void python(DaemonProcess daemon, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), "--password",
                daemon.rootPassword()));
        command.addAll(List.of(args));
        Outcome outcome = run(command, daemon.home().resolve("python-" + args[1] + ".log"));
        System.out.println(outcome.output);
        assertEquals("Python over " + args[1] + ":\n" + outcome.output + "\n" + daemon.diagnostics(), 0,
                outcome.status);
    }
}
