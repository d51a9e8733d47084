package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DS component driven by hand, as SCR would: activate, modified, deactivate. */
class XmlRpcHttpComponentTest {

    private static final String GET_ALL = "<methodCall><methodName>VM.get_all</methodName></methodCall>";

    private final EchoXenApi api = new EchoXenApi();
    private final XmlRpcHttpComponent component = new XmlRpcHttpComponent(api);

    @BeforeEach
    void noEnvironmentOverrides() {
        assumeTrue(System.getenv("XEND_XENAPI_PORT") == null && System.getenv("XEND_BIND_ADDRESS") == null,
                "the environment overrides the endpoint");
    }

    @AfterEach
    void deactivate() {
        component.deactivate();
    }

    private static XmlRpcConfig config(String allowedHosts) {
        return new XmlRpcConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return XmlRpcConfig.class;
            }

            @Override
            public int maxRequestBytes() {
                return ListenerSettings.DEFAULT_MAX_REQUEST_BYTES;
            }

            @Override
            public int maxDepth() {
                return ListenerSettings.DEFAULT_MAX_DEPTH;
            }

            @Override
            public int idleTimeoutSeconds() {
                return ListenerSettings.DEFAULT_IDLE_TIMEOUT_SECONDS;
            }

            @Override
            public int requestTimeoutSeconds() {
                return ListenerSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS;
            }

            @Override
            public String allowedHosts() {
                return allowedHosts;
            }
        };
    }

    private static Map<String, Object> daemon(int port) {
        return Map.of("bindAddress", "127.0.0.1", "xenapiPort", Integer.toString(port));
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static int status(InetSocketAddress address) throws IOException {
        try (RawHttp http = new RawHttp(address)) {
            return http.exchange(RawHttp.post(GET_ALL)).status();
        }
    }

    @Test
    void servesOnTheDaemonEndpointUntilDeactivated() throws Exception {
        int port = freePort();
        component.activate(config(""), daemon(port));
        InetSocketAddress address = component.server().localAddress();
        assertEquals(port, address.getPort());
        assertEquals("127.0.0.1", address.getAddress().getHostAddress());
        assertEquals(200, status(address));

        component.deactivate();
        assertNull(component.server());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void activationFailsWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> component.activate(config(""), daemon(taken.getLocalPort())));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
        assertNull(component.server());
    }

    @Test
    void anInvalidHostExpressionFailsActivation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.activate(config("(unclosed"), daemon(0)));
        assertTrue(e.getMessage().contains("allowedHosts"), e.getMessage());
    }

    @Test
    void modifiedRebindsOnlyWhenTheEndpointChanges() throws Exception {
        component.activate(config(""), daemon(freePort()));
        XmlRpcHttpServer server = component.server();
        int first = server.localAddress().getPort();

        component.modified(config("^10\\."), daemon(first));
        assertEquals(first, server.localAddress().getPort());
        assertEquals(403, status(server.localAddress()), "new connections see the new host filter");

        int second = freePort();
        component.modified(config(""), daemon(second));
        assertEquals(second, server.localAddress().getPort());
        assertEquals(200, status(server.localAddress()));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", first).close());
    }
}
