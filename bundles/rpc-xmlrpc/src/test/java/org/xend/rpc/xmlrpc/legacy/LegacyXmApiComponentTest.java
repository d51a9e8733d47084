package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.CallContext;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.XmlRpcConfig;
import org.xend.rpc.xmlrpc.XmlRpcFault;
import org.xend.rpc.xmlrpc.XmlRpcHandler;

/** The legacy API's own listeners (Unix socket, TCP when enabled) and the routing of xend.* on the Xen API ones. */
class LegacyXmApiComponentTest {

    @TempDir
    Path dir;

    private LegacyFixture xend;
    private final Map<String, String> environment = new HashMap<>();
    private LegacyXmApiComponent component;

    @BeforeEach
    void setUp() throws Exception {
        xend = new LegacyFixture(dir.resolve("state"));
        component = new LegacyXmApiComponent(xend.domains, new SxpConfigFormat(), xend.hypervisor,
                environment);
    }

    @AfterEach
    void tearDown() throws Exception {
        component.deactivate();
        xend.close();
    }

    private Map<String, Object> properties() {
        Map<String, Object> p = new HashMap<>();
        p.put("bindAddress", "127.0.0.1");
        p.put("legacyPort", "0");
        p.put("stateDir", dir.resolve("state").toString());
        return p;
    }

    @Test
    void servesTheUnixSocketInSocketDirAndNoTcpByDefault() throws Exception {
        Map<String, Object> p = properties();
        p.put("socketDir", dir.resolve("run").toString());
        component.activate(config(false), p);

        Path socket = dir.resolve("run").resolve("xmlrpc.sock");
        assertEquals(socket, component.server().unixSocket());
        assertNull(component.server().localAddress(), "TCP is off unless legacyTcpEnabled");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        String answer = overUnixSocket(socket, "<?xml version='1.0'?><methodCall><methodName>xend.domains_with_state"
                + "</methodName><params><param><value><boolean>0</boolean></value></param><param><value>all</value>"
                + "</param><param><value><boolean>0</boolean></value></param></params></methodCall>");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.contains("<value>Domain-0</value>"), answer);

        component.deactivate();
        assertFalse(Files.exists(socket), "the socket goes with the component");
    }

    @Test
    void servesTcpWhenEnabledAndFollowsTheConfiguration() throws Exception {
        component.activate(config(true), properties());
        XmlRpcClient client = client(component.server().localAddress().getPort());
        Object[] info = (Object[]) client.execute("xend.node.info", new Object[0]);
        assertEquals("xend_config_format", ((Object[]) info[info.length - 1])[0]);
        assertEquals(4, ((Object[]) info[info.length - 1])[1]);
        XmlRpcException missing = assertThrows(XmlRpcException.class,
                () -> client.execute("xend.domain", new Object[] {"nosuch"}));
        assertEquals(3, missing.code);
        assertEquals("nosuch", missing.getMessage());

        component.modified(config(false), properties());
        assertNull(component.server(), "with no listener left the server stops");
        component.modified(config(true), properties());
        assertNotNull(component.server().localAddress());
    }

    @Test
    void theEnvironmentDecidesTcp() throws Exception {
        environment.put(LegacyXmApiComponent.TCP_ENABLED_ENV, "true");
        component.activate(config(false), properties());
        assertNotNull(component.server().localAddress());
        component.deactivate();

        environment.put(LegacyXmApiComponent.TCP_ENABLED_ENV, "false");
        component.activate(config(true), properties());
        assertNull(component.server(), "no socketDir and TCP off: only the Xen API listeners serve xend.*");
        assertEquals(List.of("Domain-0"), component.call(LegacyFixture.CONTEXT, "xend.domains", List.of(false)),
                "the handler serves whatever the listeners");
    }

    @Test
    void theXenApiListenersHandXendMethodsToTheLegacyApi() throws Exception {
        component.activate(config(false), properties());
        XmlRpcHandler xenApi = new XmlRpcHandler() {
            @Override
            public Object call(CallContext context, String methodName, List<Object> params) {
                return Map.of("Status", "Failure", "ErrorDescription", List.of("MESSAGE_METHOD_UNKNOWN", methodName));
            }

            @Override
            public Object internalError(String methodName, String reason) {
                return Map.of("Status", "Failure", "ErrorDescription", List.of("INTERNAL_ERROR", reason));
            }
        };
        XmlRpcHandler[] legacy = {component};
        XendMethodRouter router = new XendMethodRouter(xenApi, () -> legacy[0]);

        assertEquals(List.of("Domain-0"), router.call(LegacyFixture.CONTEXT, "xend.domains", List.of(false)));
        assertEquals(Map.of("Status", "Failure", "ErrorDescription", List.of("MESSAGE_METHOD_UNKNOWN", "VM.fly")),
                router.call(LegacyFixture.CONTEXT, "VM.fly", List.of()));
        XmlRpcFault fault = assertThrows(XmlRpcFault.class,
                () -> router.call(LegacyFixture.CONTEXT, "xend.domain", List.of("nosuch")));
        assertEquals(3, fault.code());
        assertThrows(XmlRpcFault.class, () -> router.internalError("xend.domain", "broken"),
                "a legacy call's internal error is a legacy fault");
        assertEquals(Map.of("Status", "Failure", "ErrorDescription", List.of("INTERNAL_ERROR", "broken")),
                router.internalError("VM.get_record", "broken"));

        legacy[0] = null;
        assertEquals(Map.of("Status", "Failure", "ErrorDescription", List.of("MESSAGE_METHOD_UNKNOWN",
                "xend.domains")), router.call(LegacyFixture.CONTEXT, "xend.domains", List.of(false)),
                "without the legacy API a xend.* method is unknown to the Xen API");
    }

    private static XmlRpcClient client(int port) throws Exception {
        XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
        config.setServerURL(new URL("http://127.0.0.1:" + port + "/RPC2"));
        XmlRpcClient client = new XmlRpcClient();
        client.setConfig(config);
        return client;
    }

    /** One HTTP/1.1 exchange over a Unix socket, as xm's httpu:// transport makes it. */
    private static String overUnixSocket(Path socket, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: "
                + content.length + "\r\nConnection: close\r\n\r\n";
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            channel.write(ByteBuffer.wrap(content));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static XmlRpcConfig config(boolean legacyTcp) {
        return new XmlRpcConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return XmlRpcConfig.class;
            }

            @Override
            public int xenapiTlsPort() {
                return 0;
            }

            @Override
            public String tlsCertificate() {
                return "";
            }

            @Override
            public String tlsKey() {
                return "";
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
            public boolean legacyTcpEnabled() {
                return legacyTcp;
            }

            @Override
            public String allowedHosts() {
                return "";
            }
        };
    }
}
