package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

    @TempDir
    Path dir;

    static void writePem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    }

    private static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A certificate for {@code subjectKey}, issued by {@code issuer} with {@code issuerKey}. */
    private static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey)
            throws Exception {
        Instant now = Instant.now();
        String algorithm = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer), BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + subject), subjectKey.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(issuerKey.getPrivate())));
    }

    @Test
    void theGeneratedCertificateHasTheAdvertisedShape() throws Exception {
        Instant now = Instant.now();
        TlsIdentity identity = SelfSignedIdentity.generate("dom0.example.org", now, new SecureRandom());
        X509Certificate certificate = identity.certificate();

        assertEquals("CN=dom0.example.org", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        assertEquals("EC", identity.key().getAlgorithm());
        assertEquals(256, ((ECPublicKey) certificate.getPublicKey()).getParams().getOrder().bitLength());
        assertTrue(certificate.getNotBefore().toInstant().isBefore(now));
        long years = Duration.between(now, certificate.getNotAfter().toInstant()).toDays() / 365;
        assertEquals(10, years);
        assertEquals(-1, certificate.getBasicConstraints(), "a server certificate, not a CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage(), "serverAuth");
        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> name.get(1).toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("localhost", "127.0.0.1", "dom0.example.org")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.equals("0:0:0:0:0:0:0:1") || n.equals("::1")), names.toString());
        assertTrue(certificate.getSerialNumber().signum() > 0);
    }

    @Test
    void loadOrCreateGeneratesPrivateFilesOnceAndReusesThem() throws Exception {
        Path tls = dir.resolve("state/tls");
        AtomicInteger asked = new AtomicInteger();
        TlsIdentity first = SelfSignedIdentity.loadOrCreate(tls, () -> {
            asked.incrementAndGet();
            return "myhost";
        });
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tls.resolve(SelfSignedIdentity.KEY_FILE))));
        assertTrue(Files.readString(tls.resolve(SelfSignedIdentity.KEY_FILE)).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(tls.resolve(SelfSignedIdentity.CERTIFICATE_FILE))
                .startsWith("-----BEGIN CERTIFICATE-----"));
        try (Stream<Path> files = Files.list(tls)) {
            assertEquals(Set.of(SelfSignedIdentity.KEY_FILE, SelfSignedIdentity.CERTIFICATE_FILE),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()), "no temporary file left");
        }

        TlsIdentity again = SelfSignedIdentity.loadOrCreate(tls, () -> {
            asked.incrementAndGet();
            return "otherhost";
        });
        assertEquals(first.fingerprint(), again.fingerprint());
        assertEquals(1, asked.get(), "the host name is only looked up to generate");
    }

    @Test
    void aCertificateWithoutItsKeyIsRegeneratedAndALooseDirectoryNarrowed() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Files.setPosixFilePermissions(tls, PosixFilePermissions.fromString("rwxr-xr-x"));
        TlsIdentity first = SelfSignedIdentity.loadOrCreate(tls, () -> "myhost");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));

        Files.delete(tls.resolve(SelfSignedIdentity.KEY_FILE));   // as after a crash between the two writes
        TlsIdentity second = SelfSignedIdentity.loadOrCreate(tls, () -> "myhost");
        assertNotEquals(first.fingerprint(), second.fingerprint());
        assertEquals(second.fingerprint(), TlsIdentity.fromPemFiles(tls.resolve(SelfSignedIdentity.CERTIFICATE_FILE),
                tls.resolve(SelfSignedIdentity.KEY_FILE)).fingerprint());
    }

    @Test
    void readsKeysInEveryCommonPemFormAndWholeChains() throws Exception {
        KeyPair caKey = rsaKeyPair();
        KeyPair rsa = rsaKeyPair();
        X509Certificate ca = certificate("Test CA", caKey, "Test CA", caKey);
        X509Certificate leaf = certificate("dom0", rsa, "Test CA", caKey);
        Path chain = dir.resolve("chain.crt");
        writePem(chain, leaf, ca);

        Path pkcs1 = dir.resolve("pkcs1.key");
        writePem(pkcs1, rsa.getPrivate());
        assertTrue(Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        TlsIdentity fromPkcs1 = TlsIdentity.fromPemFiles(chain, pkcs1);
        assertEquals(List.of(leaf, ca), fromPkcs1.chain());

        Path pkcs8 = dir.resolve("pkcs8.key");
        writePem(pkcs8, new JcaPKCS8Generator(rsa.getPrivate(), null));
        assertEquals(fromPkcs1.key(), TlsIdentity.fromPemFiles(chain, pkcs8).key());
    }

    @Test
    void readsWhatOpensslMakesForAnOperatorIncludingSec1EcKeysAndCombinedFiles() throws Exception {
        Path key = dir.resolve("ec.key");
        Path certificate = dir.resolve("ec.crt");
        assumeTrue(openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString()),
                "openssl is not installed");
        assertTrue(openssl("req", "-new", "-x509", "-key", key.toString(), "-subj", "/CN=dom0", "-days", "2",
                "-out", certificate.toString()));
        assertTrue(Files.readString(key).contains("-----BEGIN EC PRIVATE KEY-----"));
        TlsIdentity identity = TlsIdentity.fromPemFiles(certificate, key);
        assertEquals("CN=dom0", identity.certificate().getSubjectX500Principal().getName());

        Path combined = dir.resolve("combined.pem");
        Files.writeString(combined, Files.readString(key) + Files.readString(certificate));
        assertEquals(identity.fingerprint(), TlsIdentity.fromPemFiles(combined, combined).fingerprint());
    }

    /** Runs openssl; false when it is not installed. */
    private static boolean openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return false;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return true;
    }

    @Test
    void refusesWhatCannotServeWithAMessageNamingTheFile() throws Exception {
        TlsIdentity one = SelfSignedIdentity.generate("one", Instant.now(), new SecureRandom());
        TlsIdentity other = SelfSignedIdentity.generate("other", Instant.now(), new SecureRandom());
        Path certificate = dir.resolve("one.crt");
        writePem(certificate, one.certificate());
        Path otherKey = dir.resolve("other.key");
        writePem(otherKey, new JcaPKCS8Generator(other.key(), null));

        IOException mismatch = assertThrows(IOException.class, () -> TlsIdentity.fromPemFiles(certificate, otherKey));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());

        KeyPair rsa = rsaKeyPair();
        Path encrypted = dir.resolve("encrypted.key");
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(rsa.getPrivate(), new JcePEMEncryptorBuilder("AES-256-CBC")
                    .setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        Files.writeString(encrypted, text.toString());
        IOException locked = assertThrows(IOException.class, () -> TlsIdentity.fromPemFiles(certificate, encrypted));
        assertTrue(locked.getMessage().contains("encrypted"), locked.getMessage());

        IOException missing = assertThrows(IOException.class,
                () -> TlsIdentity.fromPemFiles(dir.resolve("nope.crt"), otherKey));
        assertTrue(missing.getMessage().contains("nope.crt"), missing.getMessage());

        IOException noCertificate = assertThrows(IOException.class, () -> TlsIdentity.fromPemFiles(otherKey, otherKey));
        assertTrue(noCertificate.getMessage().contains("no PEM certificate"), noCertificate.getMessage());

        IOException noKey = assertThrows(IOException.class, () -> TlsIdentity.fromPemFiles(certificate, certificate));
        assertTrue(noKey.getMessage().contains("no PEM private key"), noKey.getMessage());
    }

    @Test
    void keysStayTheJdksOwnWhenBouncyCastleIsARegisteredProvider() throws Exception {
        // Karaf's ssh feature registers BC; the key read back on the second start must still serve HTTPS.
        Path tls = dir.resolve("tls");
        SelfSignedIdentity.loadOrCreate(tls, () -> "localhost");
        Security.addProvider(new BouncyCastleProvider());
        try {
            TlsIdentity reread = SelfSignedIdentity.loadOrCreate(tls, () -> "localhost");
            assertEquals("EC", reread.key().getAlgorithm());
            assertFalse(reread.key().getClass().getName().startsWith("org.bouncycastle"), reread.key().getClass().getName());
            EchoXenApi api = new EchoXenApi();
            try (XmlRpcHttpServer server = new XmlRpcHttpServer(
                    ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED).withTls(0, reread), api)) {
                server.start();
                try (RawHttp https = RawHttp.tls(server.tlsAddress(), Listeners.trusting(reread), null, 0)) {
                    assertEquals(200, https.exchange(RawHttp.post("<methodCall><methodName>x</methodName></methodCall>"))
                            .status());
                }
            }
        } finally {
            Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
        }
    }

    @Test
    void theFingerprintIsTheOneOpensslShows() throws Exception {
        TlsIdentity identity = SelfSignedIdentity.loadOrCreate(dir.resolve("tls"), () -> "myhost");
        Path certificate = dir.resolve("tls").resolve(SelfSignedIdentity.CERTIFICATE_FILE);
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                    certificate.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed");
            return;
        }
        assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertEquals(0, openssl.exitValue(), output);
        assertTrue(output.endsWith("=" + identity.fingerprint()), output + " vs " + identity.fingerprint());
        assertFalse(identity.fingerprint().contains(" "));
        assertEquals(32 * 3 - 1, identity.fingerprint().length());
    }
}
