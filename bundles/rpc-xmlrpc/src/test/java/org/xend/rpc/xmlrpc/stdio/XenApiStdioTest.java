package org.xend.rpc.xmlrpc.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.CallContext;
import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.XmlRpcHandler;
import org.xend.rpc.xmlrpc.XmlRpcHttpServer;

class XenApiStdioTest {

    @TempDir
    Path dir;

    private final ExecutorService relays = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private XmlRpcHttpServer server;

    @AfterEach
    void stop() {
        release.countDown();
        relays.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** Answers {@code <method>:<transport>}; {@code slow} waits for the test's release. */
    private final XmlRpcHandler echo = (CallContext context, String method, List<Object> params) -> {
        if (method.equals("slow")) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return method + ":" + context.transport();
    };

    private Path startServer(Duration idleTimeout) throws IOException {
        Path socket = dir.resolve("run/xen-api.sock");
        server = new XmlRpcHttpServer("test", ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                .withLimits(1 << 20, 64, idleTimeout, Duration.ofSeconds(30)).withUnixSocket(socket), echo);
        server.start();
        return socket;
    }

    private static String request(String method) {
        String body = "<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName></methodCall>";
        return "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private record Result(int status, String out, String err) {
    }

    private Future<Result> relay(InputStream in, OutputStream out, String... args) {
        return relays.submit(() -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = XenApiStdio.run(args, Map.of(), null, in, out, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(status, out.toString(), err.toString(StandardCharsets.UTF_8));
        });
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aOneShotPipeGetsEveryAnswerBeforeTheRelayEnds() throws Exception {
        Path socket = startServer(Duration.ofSeconds(300));
        byte[] input = (request("first") + request("second")).getBytes(StandardCharsets.US_ASCII);
        Result result = relay(new ByteArrayInputStream(input), new ByteArrayOutputStream(), "--socket",
                socket.toString()).get(10, TimeUnit.SECONDS);
        assertEquals(XenApiStdio.EXIT_OK, result.status(), result.err());
        assertEquals(2, count(result.out(), "HTTP/1.1 200 OK"), result.out());
        assertTrue(result.out().contains("<value>first:unix</value>"), result.out());
        assertTrue(result.out().contains("<value>second:unix</value>"), result.out());
    }

    @Test
    void theEndOfInputWaitsForASlowCall() throws Exception {
        Path socket = startServer(Duration.ofSeconds(300));
        Future<Result> running = relay(new ByteArrayInputStream(request("slow").getBytes(StandardCharsets.US_ASCII)),
                new ByteArrayOutputStream(), "--socket", socket.toString());
        assertThrows(TimeoutException.class, () -> running.get(700, TimeUnit.MILLISECONDS),
                "the relay must not end while the call runs");
        release.countDown();
        Result result = running.get(10, TimeUnit.SECONDS);
        assertEquals(XenApiStdio.EXIT_OK, result.status(), result.err());
        assertTrue(result.out().contains("<value>slow:unix</value>"), result.out());
    }

    @Test
    void anInteractiveClientTalksUntilItClosesItsInput() throws Exception {
        Path socket = startServer(Duration.ofSeconds(300));
        PipedOutputStream toRelay = new PipedOutputStream();
        PipedInputStream relayIn = new PipedInputStream(toRelay, 1 << 16);
        PipedInputStream fromRelay = new PipedInputStream(1 << 16);
        PipedOutputStream relayOut = new PipedOutputStream(fromRelay);
        Future<Result> running = relay(relayIn, relayOut, "--socket", socket.toString());

        for (String method : List.of("one", "two")) {
            toRelay.write(request(method).getBytes(StandardCharsets.US_ASCII));
            toRelay.flush();
            String answer = readResponse(fromRelay);
            assertTrue(answer.contains("<value>" + method + ":unix</value>"), answer);
        }
        assertThrows(TimeoutException.class, () -> running.get(300, TimeUnit.MILLISECONDS), "still connected");
        toRelay.close();
        assertEquals(XenApiStdio.EXIT_OK, running.get(10, TimeUnit.SECONDS).status());
    }

    @Test
    void theRelayEndsWhenTheDaemonClosesAnIdleConnection() throws Exception {
        Path socket = startServer(Duration.ofMillis(300));
        PipedOutputStream neverClosed = new PipedOutputStream();
        Future<Result> running = relay(new PipedInputStream(neverClosed), new ByteArrayOutputStream(), "--socket",
                socket.toString());
        Result result = running.get(10, TimeUnit.SECONDS);
        assertEquals(XenApiStdio.EXIT_OK, result.status(), result.err());
        neverClosed.close();
    }

    @Test
    void anUnreachableSocketIsReportedWithItsPath() throws Exception {
        Path missing = dir.resolve("nowhere.sock");
        Result result = relay(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), "--socket",
                missing.toString()).get(10, TimeUnit.SECONDS);
        assertEquals(XenApiStdio.EXIT_UNREACHABLE, result.status());
        assertTrue(result.err().contains(missing.toString()), result.err());
    }

    @Test
    void theSocketComesFromTheEnvironmentOrTheInstallationsConfiguration() throws Exception {
        Path home = dir.resolve("xend");
        Files.createDirectories(home.resolve("etc"));
        Path cfg = home.resolve(XenApiStdio.DAEMON_CONFIG);
        Map<String, String> env = new HashMap<>();

        Files.writeString(cfg, "# comment\nsocketDir = /var/run/xend\nxenapiPort = 9363\n");
        assertEquals(Path.of("/var/run/xend/xen-api.sock"), XenApiStdio.socketPath(new String[0], env, home));
        assertEquals(Path.of("/var/run/xend/xmlrpc.sock"),
                XenApiStdio.socketPath(new String[] {"--legacy"}, env, home));

        Files.writeString(cfg, "socketDir = ${karaf.data}/run\n");
        assertEquals(home.resolve("data/run/xen-api.sock"), XenApiStdio.socketPath(new String[0], env, home));

        env.put("XEND_SOCKET_DIR", "/run/xend-env");
        assertEquals(Path.of("/run/xend-env/xen-api.sock"), XenApiStdio.socketPath(new String[0], env, home),
                "the environment wins, as for the daemon");
        assertEquals(Path.of("/tmp/x.sock"),
                XenApiStdio.socketPath(new String[] {"--socket", "/tmp/x.sock"}, env, home));
        assertNull(XenApiStdio.socketPath(new String[] {"--help"}, env, home));
    }

    @Test
    void whatCannotNameASocketIsAUsageError() throws Exception {
        Path home = dir.resolve("xend");
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(XenApiStdio.DAEMON_CONFIG), "socketDir =\n");
        Map<String, String> env = Map.of();
        assertTrue(assertThrows(XenApiStdio.UsageException.class,
                () -> XenApiStdio.socketPath(new String[0], env, home)).getMessage().contains("socketDir is empty"));
        assertThrows(XenApiStdio.UsageException.class,
                () -> XenApiStdio.socketPath(new String[0], env, dir.resolve("no-such-install")));
        assertThrows(XenApiStdio.UsageException.class, () -> XenApiStdio.socketPath(new String[0], env, null));
        assertThrows(XenApiStdio.UsageException.class,
                () -> XenApiStdio.socketPath(new String[] {"--bogus"}, env, home));
        Files.writeString(home.resolve(XenApiStdio.DAEMON_CONFIG), "socketDir = ${env:HOME}/run\n");
        assertThrows(XenApiStdio.UsageException.class, () -> XenApiStdio.socketPath(new String[0], env, home));

        Result result = relay(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), "--bogus")
                .get(10, TimeUnit.SECONDS);
        assertEquals(XenApiStdio.EXIT_USAGE, result.status());
        assertTrue(result.err().contains("usage"), result.err());
    }

    /** Reads one response with a Content-Length from the relay's output. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the relay ended its output: " + head);
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
