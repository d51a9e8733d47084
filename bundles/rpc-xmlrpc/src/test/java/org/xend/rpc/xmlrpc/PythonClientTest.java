package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.rpc.xmlrpc.stdio.XenApiStdio;

/**
 * A real client, Python's {@code xmlrpc.client}, over the Unix socket, over HTTPS (trusting the generated certificate
 * as its CA file) and over the pipes of the stdio relay, against the server with a fake API
 * ({@code src/test/python/xmlrpc_transports.py}).
 */
class PythonClientTest {

    private static final Path SCRIPT = Path.of("src/test/python/xmlrpc_transports.py");

    @TempDir
    Path dir;

    private final EchoXenApi api = new EchoXenApi();
    private XmlRpcHttpServer server;
    private Path certificate;

    @BeforeAll
    static void python() {
        assumeTrue(run(List.of("python3", "--version"), null).status() == 0, "python3 is not installed");
    }

    @BeforeEach
    void start() throws IOException {
        Path tls = dir.resolve("tls");
        TlsIdentity identity = SelfSignedIdentity.loadOrCreate(tls, () -> "localhost");
        certificate = tls.resolve(SelfSignedIdentity.CERTIFICATE_FILE);
        server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                .withTls(0, identity).withUnixSocket(dir.resolve("run/xen-api.sock")), api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Outcome(int status, String output) {
    }

    private static Outcome run(List<String> command, Path workingDir) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workingDir != null) {
                builder.directory(workingDir.toFile());
            }
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process hangs: " + command);
            return new Outcome(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Outcome python(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(command, null);
    }

    @Test
    void xmlrpcClientOverTheUnixSocket() {
        Outcome outcome = python("--unix", server.unixSocket().toString());
        assertEquals(0, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("OK unix 63"), outcome.output());
        assertTrue(api.calls.stream().allMatch(c -> c.context().transport().equals("unix")));
    }

    @Test
    void xmlrpcClientOverHttpsTrustingTheGeneratedCertificate() {
        for (String host : List.of("127.0.0.1", "localhost")) {
            Outcome outcome = python("--https", "https://" + host + ":" + server.tlsAddress().getPort() + "/",
                    "--cafile", certificate.toString());
            assertEquals(0, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("OK https 63"), outcome.output());
            assertTrue(outcome.output().contains("OK https-untrusted-refused"), outcome.output());
        }
    }

    @Test
    void xmlrpcClientOverThePipesOfTheStdioRelay() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path classes = Path.of(XenApiStdio.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes) || Files.isRegularFile(classes), classes.toString());
        Outcome outcome = python("--stdio", java.toString(), "-cp", classes.toString(),
                XenApiStdio.class.getName(), "--socket", server.unixSocket().toString());
        assertEquals(0, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("OK stdio 63"), outcome.output());
    }
}
