package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DS component driven by hand, as SCR would: activate, modified, deactivate. */
class XmlRpcHttpComponentTest {

    private static final String GET_ALL = "<methodCall><methodName>VM.get_all</methodName></methodCall>";

    @TempDir
    Path dir;

    private final EchoXenApi api = new EchoXenApi();
    private final Map<String, String> environment = new HashMap<>();
    private final XmlRpcHttpComponent component = new XmlRpcHttpComponent(api, environment);

    @AfterEach
    void deactivate() {
        component.deactivate();
    }

    private static XmlRpcConfig config(String allowedHosts) {
        return config(allowedHosts, 0, "", "");
    }

    private static XmlRpcConfig config(String allowedHosts, int tlsPort, String certificate, String key) {
        return new XmlRpcConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return XmlRpcConfig.class;
            }

            @Override
            public int xenapiTlsPort() {
                return tlsPort;
            }

            @Override
            public String tlsCertificate() {
                return certificate;
            }

            @Override
            public String tlsKey() {
                return key;
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
                return false;
            }

            @Override
            public String allowedHosts() {
                return allowedHosts;
            }
        };
    }

    /** The merged properties of both PIDs: HTTP on {@code port}, state in the temp dir. */
    private Map<String, Object> properties(int port) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("bindAddress", "127.0.0.1");
        properties.put("xenapiPort", Integer.toString(port));
        properties.put("stateDir", dir.resolve("state").toString());
        return properties;
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
        component.activate(config(""), properties(port));
        InetSocketAddress address = component.server().localAddress();
        assertEquals(port, address.getPort());
        assertEquals("127.0.0.1", address.getAddress().getHostAddress());
        assertEquals(200, status(address));
        assertNull(component.server().tlsAddress(), "xenapiTlsPort 0 disables HTTPS");
        assertNull(component.server().unixSocket(), "no socketDir, no Unix socket");

        component.deactivate();
        assertNull(component.server());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void servesHttpsWithAGeneratedCertificateAndTheUnixSocketInSocketDir() throws Exception {
        int tlsPort = freePort();
        Map<String, Object> properties = properties(0);
        properties.put("socketDir", dir.resolve("run").toString());
        component.activate(config("", tlsPort, "", ""), properties);

        XmlRpcHttpServer server = component.server();
        assertEquals(tlsPort, server.tlsAddress().getPort());
        Path tls = dir.resolve("state").resolve(XmlRpcHttpComponent.TLS_DIRECTORY);
        TlsIdentity generated = TlsIdentity.fromPemFiles(tls.resolve(SelfSignedIdentity.CERTIFICATE_FILE),
                tls.resolve(SelfSignedIdentity.KEY_FILE));
        try (RawHttp https = RawHttp.tls(server.tlsAddress(), Listeners.trusting(generated), null, 0)) {
            assertEquals(200, https.exchange(RawHttp.post(GET_ALL)).status(), "HTTPS presents the generated pair");
        }
        Path socket = dir.resolve("run").resolve(XmlRpcHttpComponent.SOCKET_NAME);
        assertEquals(socket, server.unixSocket());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run"))));
        try (RawHttp local = RawHttp.unix(socket, 0)) {
            assertEquals(200, local.exchange(RawHttp.post(GET_ALL)).status());
        }

        // A restart reuses the certificate.
        component.deactivate();
        assertFalse(Files.exists(socket), "the socket file goes with the component");
        component.activate(config("", tlsPort, "", ""), properties);
        try (RawHttp https = RawHttp.tls(component.server().tlsAddress(), Listeners.trusting(generated), null, 0)) {
            assertEquals(200, https.exchange(RawHttp.post(GET_ALL)).status());
        }
    }

    @Test
    void theEnvironmentOverridesTheTlsPortAndTheSocketDirectory() throws Exception {
        int tlsPort = freePort();
        environment.put("XEND_XENAPI_TLS_PORT", Integer.toString(tlsPort));
        environment.put("XEND_SOCKET_DIR", dir.resolve("env-run").toString());
        Map<String, Object> properties = properties(0);
        properties.put("socketDir", dir.resolve("cfg-run").toString());
        component.activate(config("", 1, "", ""), properties);

        assertEquals(tlsPort, component.server().tlsAddress().getPort());
        assertEquals(dir.resolve("env-run").resolve("xen-api.sock"), component.server().unixSocket());
    }

    @Test
    void aConfiguredCertificateIsServedAndABrokenOneLeavesHttpServing() throws Exception {
        TlsIdentity identity = Listeners.IDENTITY;
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        TlsIdentityTest.writePem(certificate, identity.certificate());
        TlsIdentityTest.writePem(key, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(identity.key(), null));

        int tlsPort = freePort();
        component.activate(config("", tlsPort, certificate.toString(), key.toString()), properties(0));
        try (RawHttp https = RawHttp.tls(component.server().tlsAddress(), Listeners.trusting(identity), null, 0)) {
            assertEquals(200, https.exchange(RawHttp.post(GET_ALL)).status());
        }
        assertFalse(Files.exists(dir.resolve("state/tls")), "nothing is generated when a pair is configured");
        component.deactivate();

        component.activate(config("", tlsPort, certificate.toString(), ""), properties(0));
        assertNull(component.server().tlsAddress(), "a certificate without its key starts no HTTPS");
        assertEquals(200, status(component.server().localAddress()), "HTTP serves regardless");
    }

    @Test
    void activationFailsWhenNoListenerCanStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IOException e = assertThrows(IOException.class,
                    () -> component.activate(config(""), properties(taken.getLocalPort())));
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
        assertNull(component.server());
    }

    @Test
    void anInvalidHostExpressionFailsActivation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> component.activate(config("(unclosed"), properties(0)));
        assertTrue(e.getMessage().contains("allowedHosts"), e.getMessage());
    }

    @Test
    void modifiedRebindsOnlyWhenTheEndpointChanges() throws Exception {
        component.activate(config(""), properties(freePort()));
        XmlRpcHttpServer server = component.server();
        int first = server.localAddress().getPort();

        component.modified(config("^10\\."), properties(first));
        assertEquals(first, server.localAddress().getPort());
        assertEquals(403, status(server.localAddress()), "new connections see the new host filter");

        int second = freePort();
        Map<String, Object> moved = properties(second);
        moved.put("socketDir", dir.resolve("run").toString());
        component.modified(config(""), moved);
        assertEquals(second, server.localAddress().getPort());
        assertEquals(200, status(server.localAddress()));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", first).close());
        assertNotNull(server.unixSocket(), "a socketDir set later opens the Unix socket");
    }
}
