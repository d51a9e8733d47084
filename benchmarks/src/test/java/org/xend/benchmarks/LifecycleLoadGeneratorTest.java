package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class LifecycleLoadGeneratorTest {

    private static final String PASSWORD = "s3cret<&>";

    private static LifecycleLoadGenerator.Options options(InetSocketAddress server, String password, int clients,
                                                          long warmupMillis, long durationMillis) {
        return new LifecycleLoadGenerator.Options(server, "/", "root", password, clients,
                Duration.ofMillis(warmupMillis), Duration.ofMillis(durationMillis), ProcessHandle.current().pid(),
                "test", 2000, 64);
    }

    @Test
    void runsWholeCyclesInOrderAndLeavesNoVmBehind() throws Exception {
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 0)) {
            LifecycleLoadGenerator.Result r = LifecycleLoadGenerator.run(options(server.address(), PASSWORD, 3, 100,
                    400));
            assertEquals(0, r.errors(), r.lastError());
            assertEquals(0, server.failures.get(), "the fake refused a call: a cycle was out of order");
            assertTrue(r.cycles() > 5, "only " + r.cycles() + " cycles");
            assertTrue(r.totalCycles() > r.cycles(), "warm-up and probe cycles are in the total");
            assertEquals(r.cycles() / r.seconds(), r.cyclesPerSecond(), 1e-6);
            assertTrue(server.vms.isEmpty(), "left behind: " + server.vms);
            assertEquals(r.totalCycles(), server.names.size(), "every cycle creates one VM with its own name");
            assertEquals(3, server.logins.get(), "each client logs in once");
            assertEquals(3, server.logouts.get(), "and logs out at the end");
            assertEquals(3, server.connections.get(), "each client keeps its connection alive");
            assertEquals(0, r.leftoverVms());
            for (LifecycleLoadGenerator.Operation op : LifecycleLoadGenerator.Operation.values()) {
                LatencyHistogram h = r.calls().get(op);
                assertTrue(h.count() >= r.cycles(), op + " has " + h.count() + " latencies for " + r.cycles());
                assertTrue(h.percentile(0.5) > 0);
            }
            assertEquals(r.cycles(), r.cycleLatency().count());
            assertTrue(r.cycleLatency().percentile(0.5) >= r.calls().get(LifecycleLoadGenerator.Operation.START)
                    .percentile(0.5), "a cycle takes longer than one of its calls");
            assertTrue(r.serverCpuMicrosPerCycle() >= 0 && r.clientCpuMicrosPerCycle() >= 0);
            String line = r.resultLine();
            assertTrue(line.startsWith("RESULT label=test clients=3 "), line);
            assertTrue(line.contains(" ops=create,start,hard_shutdown,destroy "), line);
            assertTrue(line.contains(" hard_shutdown_p99_us="), line);
            assertTrue(line.contains(" errors=0 ") && line.contains(" leftover_vms=0 "), line);
        }
    }

    @Test
    void runsOverAUnixSocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("xen-api.sock");
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 0);
             ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(socket));
            Thread relay = new Thread(() -> relayEachConnection(listener, server.address()), "unix-relay");
            relay.setDaemon(true);
            relay.start();
            Map<String, String> env = Map.of("BENCH_PW", PASSWORD);
            LifecycleLoadGenerator.Options o = LifecycleLoadGenerator.parse(new String[] {"--unix", socket.toString(),
                    "--password-env", "BENCH_PW", "--clients", "2", "--warmup", "0.1", "--duration", "0.4",
                    "--timeout-ms", "2000"}, env);
            assertEquals(socket, o.unixSocket());
            LifecycleLoadGenerator.Result r = LifecycleLoadGenerator.run(o);
            assertEquals(0, r.errors(), r.lastError());
            assertTrue(r.cycles() > 5, "only " + r.cycles() + " cycles");
            assertEquals(2, server.connections.get(), "each client keeps its one connection, through the socket");
            assertTrue(server.vms.isEmpty(), "left behind: " + server.vms);
        }
    }

    /** Accepts Unix connections and pipes each, both ways, to the fake's TCP port. */
    private static void relayEachConnection(ServerSocketChannel listener, InetSocketAddress target) {
        try {
            while (true) {
                SocketChannel client = listener.accept();
                SocketChannel upstream = SocketChannel.open(target);
                pipe(client, upstream);
                pipe(upstream, client);
            }
        } catch (java.io.IOException closed) {
            // the test is over
        }
    }

    private static void pipe(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(b) >= 0) {
                    b.flip();
                    while (b.hasRemaining()) {
                        to.write(b);
                    }
                    b.clear();
                }
            } catch (java.io.IOException closed) {
                // either side went away
            }
            try {
                from.close();
                to.close();
            } catch (java.io.IOException ignored) {
                // already closing
            }
        }, "unix-relay-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void aFailedCallEndsItsCycleAsAnErrorAndTheVmIsRemoved() throws Exception {
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 4)) {
            LifecycleLoadGenerator.Result r = LifecycleLoadGenerator.run(options(server.address(), PASSWORD, 2, 0,
                    300));
            assertTrue(r.cycles() > 0);
            assertTrue(r.errors() + r.warmupErrors() > 0, "every 4th start fails");
            assertTrue(r.lastError().startsWith("VM.start: HOST_NOT_ENOUGH_FREE_MEMORY"), r.lastError());
            assertEquals(0, r.leftoverVms());
            assertTrue(server.vms.isEmpty(), "the VM of a failed cycle was destroyed: " + server.vms);
            // a failed start accounts for a quarter of the starts, so about a third as many errors as cycles
            double failedShare = (double) (r.errors() + r.warmupErrors())
                    / (r.totalCycles() + r.errors() + r.warmupErrors());
            assertEquals(0.25, failedShare, 0.05, "errors " + (r.errors() + r.warmupErrors()) + " of cycles "
                    + r.totalCycles());
        }
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnyLoad() throws Exception {
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 0)) {
            LifecycleLoadGenerator.ProbeFailedException e = assertThrows(
                    LifecycleLoadGenerator.ProbeFailedException.class,
                    () -> LifecycleLoadGenerator.run(options(server.address(), "wrong", 2, 0, 200)));
            assertTrue(e.getMessage().contains("SESSION_AUTHENTICATION_FAILED root"), e.getMessage());
            assertTrue(server.names.isEmpty(), "no VM was created");
        }
    }

    @Test
    void aFirstCycleThatFailsIsReportedBeforeAnyLoad() throws Exception {
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 1)) {
            LifecycleLoadGenerator.ProbeFailedException e = assertThrows(
                    LifecycleLoadGenerator.ProbeFailedException.class,
                    () -> LifecycleLoadGenerator.run(options(server.address(), PASSWORD, 1, 0, 200)));
            assertTrue(e.getMessage().contains("HOST_NOT_ENOUGH_FREE_MEMORY 67108864 0"), e.getMessage());
            assertTrue(server.vms.isEmpty(), "the probe's VM was destroyed: " + server.vms);
            assertEquals(1, server.logouts.get());
        }
    }

    @Test
    void theCommandLineTakesThePasswordFromTheEnvironmentOnly() throws Exception {
        Map<String, String> env = Map.of("BENCH_PW", "pw");
        LifecycleLoadGenerator.Options o = LifecycleLoadGenerator.parse(new String[] {"--port", "9363",
                "--password-env", "BENCH_PW", "--clients", "8", "--warmup", "0.5", "--duration", "2",
                "--server-pid", "42", "--label", "daemon", "--memory-mib", "128"}, env);
        assertEquals(9363, o.server().getPort());
        assertTrue(o.server().getAddress().isLoopbackAddress());
        assertEquals("root", o.username());
        assertEquals("pw", o.password());
        assertEquals(8, o.clients());
        assertEquals(Duration.ofMillis(500), o.warmup());
        assertEquals(Duration.ofSeconds(2), o.duration());
        assertEquals(42, o.serverPid());
        assertEquals(128, o.memoryMiB());
        assertThrows(IllegalArgumentException.class,
                () -> LifecycleLoadGenerator.parse(new String[] {"--port", "9363"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> LifecycleLoadGenerator.parse(
                new String[] {"--port", "9363", "--password", "pw"}, env));
        assertThrows(IllegalArgumentException.class, () -> LifecycleLoadGenerator.parse(
                new String[] {"--port", "9363", "--password-env", "BENCH_PW", "--label", "two words"}, env));
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName("192.0.2.10"), 9363);
        assertThrows(IllegalArgumentException.class, () -> options(remote, "pw", 1, 0, 100));
    }

    @Test
    void theCommandLineRunPrintsASummaryAndAResultLine() throws Exception {
        try (FakeLifecycleServer server = new FakeLifecycleServer(PASSWORD, 0)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int exit = LifecycleLoadGenerator.runFromCommandLine(new String[] {"--port",
                    Integer.toString(server.address().getPort()), "--password-env", "PW", "--warmup", "0",
                    "--duration", "0.3", "--label", "fake"}, Map.of("PW", PASSWORD),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(0, exit);
            assertEquals(2, lines.length);
            assertTrue(lines[0].startsWith("fake, 1 client(s): "), lines[0]);
            assertFalse(lines[0].contains("last error"), lines[0]);
            assertTrue(lines[1].startsWith("RESULT label=fake clients=1 "), lines[1]);
        }
    }

    @Test
    void theVmRecordIsAWellFormedCallWithTheMemoryInBytes() throws Exception {
        byte[] body = XenApiWire.methodCall("VM.create", "session-1",
                LifecycleLoadGenerator.vmRecord("lifebench-a&b", 128));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(body));
        assertEquals("VM.create", doc.getElementsByTagName("methodName").item(0).getTextContent());
        Map<String, String> members = new HashMap<>();
        NodeList names = doc.getElementsByTagName("name");
        for (int i = 0; i < names.getLength(); i++) {
            Node value = names.item(i).getNextSibling();
            members.put(names.item(i).getTextContent(), value.getTextContent());
        }
        assertEquals("lifebench-a&b", members.get("name_label"));
        assertEquals(Long.toString(128L << 20), members.get("memory_dynamic_max"));
        assertEquals(Long.toString(128L << 20), members.get("memory_static_max"));
        assertEquals(Long.toString(16L << 20), members.get("memory_static_min"));
        assertEquals("destroy", members.get("actions_after_crash"));
        assertEquals("0", members.get("is_a_template"));

        LifecycleLoadGenerator.Options o = options(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), "pw",
                1, 0, 1);
        String request = new String(LifecycleLoadGenerator.httpRequest(o, body), StandardCharsets.UTF_8);
        assertTrue(request.startsWith("POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n"), request);
        assertTrue(request.contains("\r\nContent-Length: " + body.length + "\r\n\r\n<?xml"), request);
    }
}
