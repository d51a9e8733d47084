package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xend.rpc.xmlrpc.XmlRpcHttpServer.Transport;

/**
 * The listeners as clients see them. Every protocol and hardening case runs on each transport (HTTP, HTTPS, the Unix
 * socket): the pipeline is shared, and so must be the behaviour.
 */
class XmlRpcHttpServerTest {

    private static final String GET_ALL = "<?xml version=\"1.0\"?><methodCall><methodName>VM.get_all</methodName>"
            + "<params><param><value>OpaqueRef:session</value></param></params></methodCall>";

    private final EchoXenApi api = new EchoXenApi();
    private final List<XmlRpcHttpServer> servers = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        api.release.countDown();
        clients.shutdownNow();
        servers.forEach(XmlRpcHttpServer::close);
    }

    private InetSocketAddress start(ListenerSettings settings) throws IOException {
        XmlRpcHttpServer server = new XmlRpcHttpServer(settings, api);
        servers.add(server);
        return server.start();
    }

    private InetSocketAddress start() throws IOException {
        return start(ListenerSettings.of("127.0.0.1", 0));
    }

    /** A server listening on {@code transport} only, with the limits of {@code base}. */
    private XmlRpcHttpServer start(Transport transport, ListenerSettings base) throws IOException {
        XmlRpcHttpServer server = new XmlRpcHttpServer(Listeners.only(transport, base, dir), api);
        servers.add(server);
        server.start();
        return server;
    }

    private XmlRpcHttpServer start(Transport transport) throws IOException {
        return start(transport, ListenerSettings.of("127.0.0.1", 0));
    }

    private static ListenerSettings limits(int maxRequestBytes, Duration idleTimeout, Duration requestTimeout) {
        return ListenerSettings.of("127.0.0.1", 0).withLimits(maxRequestBytes, 64, idleTimeout, requestTimeout);
    }

    private static XmlRpcClient apacheClient(InetSocketAddress address) throws Exception {
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL("http://127.0.0.1:" + address.getPort() + "/"));
        config.setEnabledForExtensions(false);
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(config);
        return client;
    }

    @Test
    void roundTripWithApacheXmlRpcClient() throws Exception {
        XmlRpcClient client = apacheClient(start());
        Date date = Date.from(Instant.parse("2007-05-08T10:38:06Z"));
        Object[] params = {"OpaqueRef:s", 5, true, 2.5, new Object[] {"a", "b"}, Map.of("k", "v")};

        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) client.execute("VM.get_record", params);

        assertEquals("Success", result.get("Status"));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) result.get("Value");
        assertEquals("VM.get_record", value.get("method"));
        assertEquals("http", value.get("transport"));
        assertEquals("127.0.0.1", value.get("peer"));
        Object[] echoed = (Object[]) value.get("params");
        assertEquals("OpaqueRef:s", echoed[0]);
        assertEquals(5, echoed[1]);
        assertEquals(true, echoed[2]);
        assertEquals(2.5, echoed[3]);
        assertArrayEquals(new Object[] {"a", "b"}, (Object[]) echoed[4]);
        assertEquals(Map.of("k", "v"), echoed[5]);

        @SuppressWarnings("unchecked")
        Map<String, Object> types = (Map<String, Object>) ((Map<String, Object>) client.execute("test.types",
                new Object[0])).get("Value");
        assertEquals(42, types.get("int"));
        assertEquals("1234567890123", types.get("long"));
        assertEquals("a<b & c>d \"q\" \r\n é € 😀", types.get("text"));
        assertTrue(types.get("date") instanceof Date);

        @SuppressWarnings("unchecked")
        Map<String, Object> record = (Map<String, Object>) ((Map<String, Object>) client.execute("test.record",
                new Object[0])).get("Value");
        assertEquals(EchoXenApi.vmRecord().keySet(), record.keySet());
        assertEquals("guest-<01> & friends", record.get("name_label"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachTransportNamesItselfAndItsPeerInTheCallContext(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            RawHttp.Response response = http.exchange(RawHttp.post(GET_ALL));
            assertEquals(200, response.status());
        }
        EchoXenApi.Received call = api.calls.get(0);
        assertEquals(transport.scheme(), call.context().transport());
        assertEquals(transport == Transport.UNIX ? "" : "127.0.0.1", call.context().peer(),
                "a Unix socket's peer is local and has no address");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void keepAliveRoundTripsWithoutNagleDelays(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        if (transport != Transport.UNIX) {
            try (RawHttp http = Listeners.open(server, transport)) {
                // No Nagle on the server side, whatever the response size and the network.
                http.exchange(RawHttp.post(GET_ALL));
                Channel connection = server.connections().iterator().next();
                assertTrue(connection.config().getOption(ChannelOption.TCP_NODELAY));
            }
        }
        try (RawHttp http = Listeners.open(server, transport)) {
            RawHttp.Response first = http.exchange(RawHttp.post(GET_ALL));
            assertEquals(200, first.status());
            assertEquals("text/xml", first.header("Content-Type"));
            assertEquals(first.body().getBytes(StandardCharsets.UTF_8).length,
                    Integer.parseInt(first.header("Content-Length")));
            assertNull(first.header("Connection"), "HTTP/1.1 keeps the connection open by default");
            assertTrue(first.body().contains("<name>method</name><value>VM.get_all</value>"), first.body());

            // Nagle plus delayed ACK would cost ~40 ms per exchange; measure many exchanges on the same connection.
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                RawHttp.Response next = http.exchange(RawHttp.post(GET_ALL));
                nanos[i] = System.nanoTime() - start;
                assertEquals(200, next.status());
            }
            Arrays.sort(nanos);
            long medianMicros = nanos[nanos.length / 2] / 1000;
            assertTrue(medianMicros < 10_000, "median keep-alive call took " + medianMicros + " µs");
        }
        assertEquals(transport == Transport.UNIX ? 201 : 202, api.callCount.get());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pipelinedRequestsAreAnsweredInOrder(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                burst.append(RawHttp.post(GET_ALL.replace("VM.get_all", "VM.call" + i)));
            }
            http.send(burst.toString());
            for (int i = 0; i < 5; i++) {
                RawHttp.Response response = http.read();
                assertTrue(response.body().contains("<value>VM.call" + i + "</value>"), response.body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void http10WithoutKeepAliveIsClosedAfterTheAnswer(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            int length = GET_ALL.getBytes(StandardCharsets.UTF_8).length;
            RawHttp.Response response = http.exchange("POST / HTTP/1.0\r\nContent-Length: " + length + "\r\n\r\n" + GET_ALL);
            assertEquals(200, response.status());
            assertTrue(http.closedByServer(2000));
        }
        try (RawHttp http = Listeners.open(server, transport)) {
            RawHttp.Response response = http.exchange(RawHttp.post(GET_ALL, "Connection: close\r\n"));
            assertEquals("close", response.header("Connection"));
            assertTrue(http.closedByServer(2000));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedXmlIsAFaultWithStatus200AndTheConnectionSurvives(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            RawHttp.Response response = http.exchange(RawHttp.post("<methodCall><methodName>x</methodCall>"));
            assertEquals(200, response.status());
            assertTrue(response.body().contains("<name>faultCode</name><value><i4>-32700</i4></value>"), response.body());
            assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), response.body());
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status(), "the connection survives a fault");
        }
        assertEquals(1, api.callCount.get());
    }

    /** The hostile documents of the hardening list, each with what its fault must say. */
    private static List<String[]> hostileDocuments() {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        laughs.append("]><methodCall><methodName>x</methodName><params><param><value>&lol9;</value></param></params>"
                + "</methodCall>");
        String serialized = "rO0ABXNyABFqYXZhLmxhbmcuSW50ZWdlchLioKT3gYc4AgABSQAFdmFsdWV4cgAQamF2YS5sYW5nLk51bWJlcoaslR0L"
                + "lOCLAgAAeHAAAAAB";
        return List.of(
                new String[] {"<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<methodCall><methodName>&x;</methodName></methodCall>", "-32700", "DOCTYPE"},
                new String[] {laughs.toString(), "-32700", "DOCTYPE"},
                new String[] {"<methodCall><methodName>x</methodName><params><param><value>"
                        + "<array><data><value>".repeat(30) + "</value></data></array>".repeat(30)
                        + "</value></param></params></methodCall>", "-32600", "deeper than 64"},
                new String[] {"<methodCall xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"><methodName>x"
                        + "</methodName><params><param><value><ex:serializable>" + serialized + "</ex:serializable>"
                        + "</value></param></params></methodCall>", "-32600", "namespaced elements"},
                new String[] {"\u0000\u0001 not xml at all", "-32700", "not well-formed"});
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyHostileDocumentGetsAFaultThatLeaksNothing(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            for (String[] hostile : hostileDocuments()) {
                long start = System.nanoTime();
                RawHttp.Response response = http.exchange(RawHttp.post(hostile[0]));
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "refused quickly");
                assertEquals(200, response.status());
                assertTrue(response.body().contains("<name>faultCode</name><value><i4>" + hostile[1] + "</i4>"),
                        response.body());
                assertTrue(response.body().contains(hostile[2]), response.body());
                for (String leak : List.of("root:", "lollol", "java.", "org.apache", "Exception", "\tat ")) {
                    assertFalse(response.body().contains(leak), "leaks '" + leak + "': " + response.body());
                }
            }
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status(), "the connection survives");
        }
        assertEquals(1, api.callCount.get(), "no hostile document reached the API");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOversizedBodyGets413BeforeItIsReadAndTheConnectionIsClosed(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport, limits(1024, Duration.ofSeconds(300), Duration.ofSeconds(30)));
        try (RawHttp http = Listeners.open(server, transport)) {
            // Only the head is sent: the answer must not wait for the announced 9 MiB.
            RawHttp.Response response = http.exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9437184\r\n\r\n");
            assertEquals(413, response.status());
            assertTrue(http.closedByServer(2000));
        }
        try (RawHttp http = Listeners.open(server, transport)) {
            String chunk = "<methodCall>" + "x".repeat(2000);
            RawHttp.Response response = http.exchange("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            assertEquals(413, response.status());
            assertTrue(http.closedByServer(2000));
        }
        assertEquals(0, api.callCount.get());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void methodsOtherThanPostGet405(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        for (String method : List.of("GET", "HEAD", "PUT", "OPTIONS")) {
            try (RawHttp http = Listeners.open(server, transport)) {
                http.send(method + " /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response response = http.read();
                assertEquals(405, response.status(), method);
                assertEquals("POST", response.header("Allow"));
                assertTrue(http.closedByServer(2000));
            }
        }
        assertEquals(0, api.callCount.get());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUndecodableRequestGets400(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport);
        try (RawHttp http = Listeners.open(server, transport)) {
            RawHttp.Response response = http.exchange("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
            assertEquals(400, response.status());
            assertTrue(http.closedByServer(2000));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void idleConnectionsAreClosed(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport, limits(ListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                Duration.ofMillis(300), Duration.ofSeconds(30)));
        try (RawHttp silent = Listeners.open(server, transport); RawHttp served = Listeners.open(server, transport)) {
            assertEquals(200, served.exchange(RawHttp.post(GET_ALL)).status());
            long start = System.nanoTime();
            assertTrue(silent.closedByServer(5000), "a connection that never sends is closed");
            assertTrue(served.closedByServer(5000), "a connection idle after a call is closed");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "not before the timeout");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLongCallIsNotMistakenForAnIdleConnection(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport, limits(ListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                Duration.ofMillis(200), Duration.ofSeconds(30)));
        try (RawHttp http = Listeners.open(server, transport)) {
            http.send(RawHttp.post(GET_ALL.replace("VM.get_all", "test.block")));
            assertTrue(api.blockedCallStarted.await(5, TimeUnit.SECONDS));
            Thread.sleep(700);
            api.release.countDown();
            RawHttp.Response response = http.read();
            assertTrue(response.body().contains("released"), response.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientThatStopsReadingItsAnswerIsClosedAtTheIdleTimeout(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport, limits(ListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                Duration.ofMillis(300), Duration.ofSeconds(30)));
        try (RawHttp http = Listeners.open(server, transport, null, 4096)) {
            http.send(RawHttp.post(GET_ALL.replace("VM.get_all", "test.large")));   // 8 MiB answer, never read
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (api.callCount.get() == 0 || !server.connections().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the stalled connection is still open");
                Thread.sleep(50);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSlowlorisRequestThatTricklesInGets408AtTheDeadline(Transport transport) throws Exception {
        XmlRpcHttpServer server = start(transport, limits(ListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                Duration.ofSeconds(300), Duration.ofMillis(300)));
        try (RawHttp http = Listeners.open(server, transport)) {
            // Slow headers keep the connection busy, so the idle timeout never fires; only the request deadline can.
            http.send("POST / HTTP/1.1\r\n");
            Future<?> trickle = clients.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    Thread.sleep(100);
                    http.send("X-Slow-" + i + ": y\r\n");
                }
                return null;
            });
            long start = System.nanoTime();
            RawHttp.Response response = http.read();
            assertEquals(408, response.status());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4), "answered at the deadline");
            assertTrue(http.closedByServer(2000));
            trickle.cancel(true);
        }
        assertEquals(0, api.callCount.get());
    }

    @Test
    void aTlsClientThatStallsInTheHandshakeIsClosedAtTheRequestDeadline() throws Exception {
        XmlRpcHttpServer server = start(Transport.HTTPS, limits(ListenerSettings.DEFAULT_MAX_REQUEST_BYTES,
                Duration.ofSeconds(300), Duration.ofMillis(300)));
        // Plain TCP to the TLS port: the start of a ClientHello record, then a byte at a time.
        try (RawHttp http = new RawHttp(server.tlsAddress())) {
            http.send(new byte[] {0x16, 0x03, 0x01});
            Future<?> trickle = clients.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    Thread.sleep(100);
                    http.send(new byte[] {0x00});
                }
                return null;
            });
            long start = System.nanoTime();
            assertTrue(http.closedByServer(4000), "the stalled handshake is cut off");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            trickle.cancel(true);
        }
        try (RawHttp plain = new RawHttp(server.tlsAddress())) {
            // Plain HTTP on the TLS port gets no answer in clear text, only the end of the connection.
            plain.send(RawHttp.post(GET_ALL));
            assertTrue(plain.closedByServer(4000));
        }
        assertEquals(0, api.callCount.get());
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"HTTP", "HTTPS"})
    void tcpClientsOutsideAllowedHostsGet403(Transport transport) throws Exception {
        assumeTrue(canConnectFrom("127.0.0.2"), "this host cannot use 127.0.0.2 as a client address");
        XmlRpcHttpServer server = start(transport, ListenerSettings.of("127.0.0.1", 0)
                .withAllowedHosts(HostAllowList.parse("^127\\.0\\.0\\.1$")));
        try (RawHttp refused = Listeners.open(server, transport, "127.0.0.2", 0)) {
            RawHttp.Response response = refused.exchange(RawHttp.post(GET_ALL));
            assertEquals(403, response.status());
            assertTrue(refused.closedByServer(2000));
        }
        try (RawHttp allowed = Listeners.open(server, transport, "127.0.0.1", 0)) {
            assertEquals(200, allowed.exchange(RawHttp.post(GET_ALL)).status());
        }
        assertEquals(1, api.callCount.get());
    }

    @Test
    void unixSocketClientsAreLocalAndPassAnyHostFilter() throws Exception {
        XmlRpcHttpServer server = start(Transport.UNIX, ListenerSettings.of("127.0.0.1", 0)
                .withAllowedHosts(HostAllowList.parse("^10\\.1\\.2\\.3$")));
        try (RawHttp http = Listeners.open(server, Transport.UNIX)) {
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void otherClientsAreServedWhileHostileOnesAreRefusedAndABlockingCallRuns(Transport transport) throws Exception {
        boolean twoAddresses = transport != Transport.UNIX && canConnectFrom("127.0.0.2");
        XmlRpcHttpServer server = start(transport, ListenerSettings.of("127.0.0.1", 0)
                .withLimits(64 * 1024, 64, Duration.ofSeconds(300), Duration.ofSeconds(30))
                .withAllowedHosts(twoAddresses ? HostAllowList.parse("^127\\.0\\.0\\.1$") : HostAllowList.allowAll()));

        // A call that blocks a worker for the whole test.
        RawHttp blocked = Listeners.open(server, transport);
        blocked.send(RawHttp.post(GET_ALL.replace("VM.get_all", "test.block")));
        assertTrue(api.blockedCallStarted.await(5, TimeUnit.SECONDS));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger[] hostileAnswers = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        String deep = "<methodCall><methodName>x</methodName><params><param><value>"
                + "<array><data><value>".repeat(200) + "</value></data></array>".repeat(200)
                + "</value></param></params></methodCall>";
        List<Future<?>> hostiles = new ArrayList<>();
        for (int h = 0; h < hostileAnswers.length; h++) {
            int kind = h;
            hostiles.add(clients.submit(() -> {
                while (!stop.get()) {
                    try (RawHttp http = Listeners.open(server, transport,
                            kind == 0 && twoAddresses ? "127.0.0.2" : null, 0)) {
                        switch (kind) {
                            case 0 -> {   // a refused host (or, without a second address, a plain client)
                                RawHttp.Response response = http.exchange(RawHttp.post(GET_ALL));
                                assertEquals(twoAddresses ? 403 : 200, response.status());
                            }
                            case 1 -> {   // an oversized body
                                RawHttp.Response response =
                                        http.exchange("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n");
                                assertEquals(413, response.status());
                            }
                            default -> {  // a document nested too deep
                                RawHttp.Response response = http.exchange(RawHttp.post(deep));
                                assertEquals(200, response.status());
                                assertTrue(response.body().contains("deeper than 64"), response.body());
                            }
                        }
                        hostileAnswers[kind].incrementAndGet();
                    }
                }
                return null;
            }));
        }

        try (RawHttp http = Listeners.open(server, transport, twoAddresses ? "127.0.0.1" : null, 0)) {
            for (int i = 0; i < 100; i++) {
                RawHttp.Response response = http.exchange(RawHttp.post(GET_ALL));
                assertEquals(200, response.status());
                assertTrue(response.body().contains("Success"));
            }
        } finally {
            stop.set(true);
        }
        for (Future<?> hostile : hostiles) {
            hostile.get(10, TimeUnit.SECONDS);
        }
        for (AtomicInteger answers : hostileAnswers) {
            assertTrue(answers.get() >= 1, "every hostile client was answered too");
        }

        api.release.countDown();
        assertTrue(blocked.read().body().contains("released"));
        blocked.close();
    }

    @Test
    void oneServerServesAllThreeTransportsAtOnce() throws Exception {
        XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0)
                .withTls(0, Listeners.IDENTITY).withUnixSocket(dir.resolve("xen-api.sock")), api);
        servers.add(server);
        InetSocketAddress http = server.start();
        assertEquals(http, server.localAddress());
        assertTrue(server.tlsAddress().getPort() > 0 && server.tlsAddress().getPort() != http.getPort());
        assertEquals(dir.resolve("xen-api.sock"), server.unixSocket());
        for (Transport transport : Transport.values()) {
            try (RawHttp client = Listeners.open(server, transport)) {
                assertEquals(200, client.exchange(RawHttp.post(GET_ALL)).status(), transport.name());
            }
        }
        assertEquals(List.of("http", "https", "unix"),
                api.calls.stream().map(c -> c.context().transport()).toList());
    }

    @Test
    void aListenerThatCannotStartLeavesTheOthersServing() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0)
                    .withTls(taken.getLocalPort(), Listeners.IDENTITY).withUnixSocket(dir.resolve("xen-api.sock")),
                    api);
            servers.add(server);
            server.start();
            assertNull(server.tlsAddress(), "HTTPS could not bind its port");
            try (RawHttp client = Listeners.open(server, Transport.HTTP)) {
                assertEquals(200, client.exchange(RawHttp.post(GET_ALL)).status());
            }
            try (RawHttp client = Listeners.open(server, Transport.UNIX)) {
                assertEquals(200, client.exchange(RawHttp.post(GET_ALL)).status());
            }
        }
    }

    @Test
    void aTakenPortFailsStartWithAClearMessage() throws Exception {
        InetSocketAddress taken = start();
        XmlRpcHttpServer second = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", taken.getPort()), api);
        servers.add(second);
        IOException e = assertThrows(IOException.class, second::start);
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getPort()), e.getMessage());
        assertNull(second.localAddress());
    }

    @Test
    void settingsWithoutAnyListenerAreRefused() {
        XmlRpcHttpServer server = new XmlRpcHttpServer(
                ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED), api);
        servers.add(server);
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void reconfigureMovesTheListenerAndKeepsServing() throws Exception {
        XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0), api);
        servers.add(server);
        InetSocketAddress first = server.start();

        int freePort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }
        server.reconfigure(server.settings().withEndpoint("127.0.0.1", freePort));
        assertEquals(freePort, server.localAddress().getPort());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", first.getPort()).close());
        try (RawHttp http = new RawHttp(server.localAddress())) {
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status());
        }

        InetSocketAddress blocker = start();
        IOException e = assertThrows(IOException.class,
                () -> server.reconfigure(server.settings().withEndpoint("127.0.0.1", blocker.getPort())));
        assertTrue(e.getMessage().contains(String.valueOf(blocker.getPort())), e.getMessage());
        assertEquals(freePort, server.localAddress().getPort(), "the old address is bound again");
        try (RawHttp http = new RawHttp(server.localAddress())) {
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status());
        }
    }

    @Test
    void reconfigureAddsMovesAndRemovesTheTlsAndUnixListeners() throws Exception {
        XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0), api);
        servers.add(server);
        server.start();
        assertNull(server.tlsAddress());
        assertNull(server.unixSocket());

        Path first = dir.resolve("a/xen-api.sock");
        server.reconfigure(server.settings().withTls(0, Listeners.IDENTITY).withUnixSocket(first));
        for (Transport transport : Transport.values()) {
            try (RawHttp client = Listeners.open(server, transport)) {
                assertEquals(200, client.exchange(RawHttp.post(GET_ALL)).status(), transport.name());
            }
        }

        Path second = dir.resolve("b/xen-api.sock");
        server.reconfigure(server.settings().withUnixSocket(second));
        assertEquals(second, server.unixSocket());
        assertFalse(Files.exists(first), "the old socket file is removed");
        try (RawHttp client = Listeners.open(server, Transport.UNIX)) {
            assertEquals(200, client.exchange(RawHttp.post(GET_ALL)).status());
        }

        InetSocketAddress tls = server.tlsAddress();
        server.reconfigure(server.settings().withoutTls().withUnixSocket(null));
        assertNull(server.tlsAddress());
        assertNull(server.unixSocket());
        assertFalse(Files.exists(second));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", tls.getPort()).close());
    }

    @Test
    void closeReleasesThePortTheSocketAndTheThreads() throws Exception {
        Path socket = dir.resolve("xen-api.sock");
        XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0).withUnixSocket(socket), api);
        InetSocketAddress address = server.start();
        try (RawHttp http = new RawHttp(address); RawHttp local = RawHttp.unix(socket, 0)) {
            assertEquals(200, http.exchange(RawHttp.post(GET_ALL)).status());
            assertEquals(200, local.exchange(RawHttp.post(GET_ALL)).status());
            server.close();
            assertTrue(http.closedByServer(2000), "open connections are closed");
            assertTrue(local.closedByServer(2000), "open connections are closed");
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", address.getPort()).close());
        assertFalse(Files.exists(socket), "the socket file is removed");
        assertEquals(0, xmlRpcThreadsAfterSettling(), "every xend-xmlrpc thread ends");
        server.close();   // idempotent
    }

    private static long xmlRpcThreadsAfterSettling() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (xmlRpcThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return xmlRpcThreads();
    }

    private static long xmlRpcThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("xend-xmlrpc-"))
                .count();
    }

    private static boolean canConnectFrom(String localAddress) {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(server.getLocalSocketAddress(), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
