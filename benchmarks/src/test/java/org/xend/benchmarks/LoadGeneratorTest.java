package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {

    static final String SUCCESS_BODY = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
            + "<member><name>Status</name><value>Success</value></member>"
            + "<member><name>Value</name><value>bench</value></member></struct></value></param></params>"
            + "</methodResponse>";
    static final String FAILURE_BODY = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
            + "<member><name>Status</name><value>Failure</value></member></struct></value></param></params>"
            + "</methodResponse>";
    private static final byte[] REQUEST = "<methodCall><methodName>VM.get_record</methodName></methodCall>"
            .getBytes(StandardCharsets.US_ASCII);

    private static LoadGenerator.Options options(InetSocketAddress server, int clients, long warmupMillis,
                                                 long durationMillis, long maxRequests) {
        return new LoadGenerator.Options(server, "/", REQUEST, clients, Duration.ofMillis(warmupMillis),
                Duration.ofMillis(durationMillis), maxRequests, ProcessHandle.current().pid(), "test", 2000);
    }

    @Test
    void measuresSuccessfulKeepAliveCallsAgainstTheCeilingServer() throws Exception {
        try (CeilingServer ceiling = CeilingServer.start(0, SUCCESS_BODY.getBytes(StandardCharsets.UTF_8), 2)) {
            LoadGenerator.Result r = LoadGenerator.run(options(ceiling.address(), 2, 100, 400, Long.MAX_VALUE));
            assertTrue(r.requests() > 10, "only " + r.requests() + " requests");
            assertEquals(0, r.errors(), r.lastError());
            assertEquals(2, r.reconnects(), "each client keeps one connection");
            assertEquals(r.requests() / r.seconds(), r.requestsPerSecond(), 1e-6);
            assertTrue(r.seconds() >= 0.39 && r.seconds() < 2.0, "window of " + r.seconds() + " s");
            assertTrue(r.serverCpuNanos() >= 0 && r.serverCpuMicrosPerRequest() >= 0);
            assertTrue(r.serverSystemCpuMicrosPerRequest() <= r.serverCpuMicrosPerRequest());
            assertTrue(r.latency().percentile(0.5) > 0);
            assertTrue(r.resultLine().startsWith("RESULT label=test clients=2 "), r.resultLine());
            assertTrue(r.resultLine().contains(" errors=0 "), r.resultLine());
            assertTrue(r.resultLine().contains(" server_sys_us="), r.resultLine());
        }
    }

    @Test
    void stopsTheWindowAtTheRequestLimit() throws Exception {
        try (CeilingServer ceiling = CeilingServer.start(0, SUCCESS_BODY.getBytes(StandardCharsets.UTF_8), 1)) {
            long started = System.nanoTime();
            LoadGenerator.Result r = LoadGenerator.run(options(ceiling.address(), 1, 0, 60_000, 50));
            assertTrue(System.nanoTime() - started < 20_000_000_000L, "the request limit did not end the run");
            assertTrue(r.requests() >= 50, "only " + r.requests() + " requests");
        }
    }

    @Test
    void aServerAnsweringFailureIsRefusedBeforeAnyLoad() throws Exception {
        try (CeilingServer ceiling = CeilingServer.start(0, FAILURE_BODY.getBytes(StandardCharsets.UTF_8), 1)) {
            LoadGenerator.ProbeFailedException e = assertThrows(LoadGenerator.ProbeFailedException.class,
                    () -> LoadGenerator.run(options(ceiling.address(), 1, 0, 200, Long.MAX_VALUE)));
            assertTrue(e.getMessage().contains("<value>Failure</value>"), e.getMessage());
        }
    }

    @Test
    void readsResponsesSplitIntoSmallWritesAndReconnectsWhenTheServerAsksToClose() throws Exception {
        byte[] answer = ScriptedHttpServer.response("content-TYPE: text/xml\r\nConnection:  Close\r\n", SUCCESS_BODY);
        try (ScriptedHttpServer server = new ScriptedHttpServer((n, out) -> {
            for (int i = 0; i < answer.length; i += 7) {
                out.write(answer, i, Math.min(7, answer.length - i));
                out.flush();
            }
            return false;
        })) {
            LoadGenerator.Result r = LoadGenerator.run(options(server.address(), 1, 0, 300, 40));
            assertTrue(r.requests() > 0);
            assertEquals(0, r.errors(), r.lastError());
            assertEquals(r.reconnects(), server.connections.get() - 1, "one connection per request (and the probe)");
        }
    }

    @Test
    void countsBrokenConnectionsAndBadStatusesAsErrors() throws Exception {
        byte[] ok = ScriptedHttpServer.response("", SUCCESS_BODY);
        byte[] serverError = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (ScriptedHttpServer server = new ScriptedHttpServer((n, out) -> {
            switch (n % 3) {
                case 1 -> out.write(ok);
                case 2 -> out.write(serverError);
                default -> {
                    return false; // hang up without an answer
                }
            }
            return true;
        })) {
            LoadGenerator.Result r = LoadGenerator.run(options(server.address(), 1, 0, 300, 60));
            assertTrue(r.requests() > 0);
            assertTrue(r.errors() >= r.requests() - 1, r.requests() + " successes but only " + r.errors() + " errors");
        }
    }

    @Test
    void readsABodyLargerThanItsBuffer() throws Exception {
        String big = SUCCESS_BODY.replace("bench", "x".repeat(200_000));
        byte[] answer = ScriptedHttpServer.response("", big);
        try (ScriptedHttpServer server = new ScriptedHttpServer((n, out) -> {
            out.write(answer);
            return true;
        }); KeepAliveConnection c = new KeepAliveConnection(server.address(), 2000)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, c.exchange(LoadGenerator.httpRequest(options(server.address(), 1, 0, 1, 1))));
                assertEquals(big.getBytes(StandardCharsets.UTF_8).length, c.bodyLength());
                assertTrue(XenApiSuccess.in(c.body(), c.bodyStart(), c.bodyStart() + c.bodyLength()));
                assertEquals('<', c.body()[c.bodyStart()]);
            }
        }
    }

    @Test
    void refusesChunkedResponses() throws Exception {
        byte[] chunked = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (ScriptedHttpServer server = new ScriptedHttpServer((n, out) -> {
            out.write(chunked);
            return true;
        })) {
            LoadGenerator.ProbeFailedException e = assertThrows(LoadGenerator.ProbeFailedException.class,
                    () -> LoadGenerator.run(options(server.address(), 1, 0, 200, 10)));
            assertTrue(e.getMessage().contains("chunked"), e.getMessage());
        }
    }

    @Test
    void onlyLoopbackServersMayBeTargeted() throws Exception {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 9363);
        assertThrows(IllegalArgumentException.class, () -> options(remote, 1, 0, 100, 1));
    }

    @Test
    void parsesTheCommandLine(@TempDir Path dir) throws IOException {
        Path body = Files.write(dir.resolve("req.xml"), REQUEST);
        LoadGenerator.Options o = LoadGenerator.parse(new String[] {"--port", "9363", "--request", body.toString(),
                "--clients", "8", "--warmup", "0.5", "--duration", "2", "--server-pid", "42", "--label", "daemon"});
        assertEquals(9363, o.server().getPort());
        assertTrue(o.server().getAddress().isLoopbackAddress());
        assertEquals(8, o.clients());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(Duration.ofSeconds(2), o.duration());
        assertEquals(42, o.serverPid());
        assertEquals("daemon", o.label());
        assertEquals(REQUEST.length, o.body().length);
        assertThrows(IllegalArgumentException.class,
                () -> LoadGenerator.parse(new String[] {"--port", "1", "--request", body.toString(), "--bogus", "1"}));
        assertThrows(IllegalArgumentException.class,
                () -> LoadGenerator.parse(new String[] {"--request", body.toString()}));
        assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--port", "1",
                "--request", body.toString(), "--label", "two words"}));
    }

    @Test
    void theHttpRequestCarriesTheBodyWithItsLength() {
        byte[] request = LoadGenerator.httpRequest(options(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                9363), 1, 0, 1, 1));
        String text = new String(request, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("POST / HTTP/1.1\r\nHost: 127.0.0.1:9363\r\n"), text);
        assertTrue(text.contains("\r\nContent-Length: " + REQUEST.length + "\r\n\r\n<methodCall>"), text);
        assertTrue(text.endsWith("</methodCall>"));
    }
}
