package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.XenApi;
import org.xend.rpc.xmlrpc.ListenerSettings;
import org.xend.rpc.xmlrpc.TlsIdentity;
import org.xend.rpc.xmlrpc.XmlRpcHttpServer;

/** The load generator over the daemon's other transports, against the real front door with a canned API. */
class TransportLoadTest {

    private static final byte[] REQUEST = "<methodCall><methodName>VM.get_record</methodName></methodCall>"
            .getBytes(StandardCharsets.US_ASCII);
    private static final XenApi SUCCESS = (context, method, params) ->
            Map.of("Status", "Success", "Value", context.transport());

    @TempDir
    Path dir;

    /** A self-signed EC certificate for 127.0.0.1, written as PEM files (cert, key). */
    private List<Path> selfSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=localhost"), BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), new X500Name("CN=localhost"), pair.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Files.writeString(cert, pem(certificate));
        Files.writeString(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null)));
        return List.of(cert, key);
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    private static LoadGenerator.Options options(InetSocketAddress server, Path unix, javax.net.ssl.SSLContext tls) {
        return new LoadGenerator.Options(server, "/", REQUEST, 2, Duration.ofMillis(100), Duration.ofMillis(400),
                Long.MAX_VALUE, ProcessHandle.current().pid(), "transport", 2000, unix, tls);
    }

    @Test
    void measuresKeepAliveCallsOverTheUnixSocketAndHttps() throws Exception {
        List<Path> pem = selfSigned();
        Path socket = dir.resolve("run/xen-api.sock");
        try (XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                .withTls(0, TlsIdentity.fromPemFiles(pem.get(0), pem.get(1))).withUnixSocket(socket), SUCCESS)) {
            server.start();

            LoadGenerator.Result overUnix = LoadGenerator.run(options(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 80), socket, null));
            assertTrue(overUnix.requests() > 10, "only " + overUnix.requests() + " requests");
            assertEquals(0, overUnix.errors(), overUnix.lastError());
            assertEquals(2, overUnix.reconnects(), "each client keeps one connection");

            LoadGenerator.Result overTls = LoadGenerator.run(options(server.tlsAddress(), null,
                    LoadGenerator.trusting(pem.get(0))));
            assertTrue(overTls.requests() > 10, "only " + overTls.requests() + " requests");
            assertEquals(0, overTls.errors(), overTls.lastError());
            assertEquals(2, overTls.reconnects(), "each client keeps one connection");
        }
    }

    @Test
    void theCommandLineTakesASocketOrACaFile() throws Exception {
        Path request = Files.write(dir.resolve("request.xml"), REQUEST);
        LoadGenerator.Options unix = LoadGenerator.parse(new String[] {"--unix", "/run/xend/xen-api.sock",
                "--request", request.toString()});
        assertEquals(Path.of("/run/xend/xen-api.sock"), unix.unixSocket());
        assertNull(unix.tls());

        LoadGenerator.Options tls = LoadGenerator.parse(new String[] {"--port", "9364", "--tls-ca",
                selfSigned().get(0).toString(), "--request", request.toString()});
        assertNotNull(tls.tls());
        assertEquals(9364, tls.server().getPort());

        assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--port", "9364",
                "--tls-ca", request.toString(), "--request", request.toString()}), "no certificate in the file");
        assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--unix", "/x.sock",
                "--tls-ca", selfSigned().get(0).toString(), "--request", request.toString()}));
    }
}
