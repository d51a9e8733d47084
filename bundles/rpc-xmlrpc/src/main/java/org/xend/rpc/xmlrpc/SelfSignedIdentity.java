package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS identity used when the operator configured none: an EC P-256 key and a self-signed certificate
 * (CN = the host name; subject alternative names localhost, 127.0.0.1, ::1 and the host name; valid 10 years),
 * generated once into a private directory ({@code <stateDir>/tls}, mode 0700; key 0600) and reused on later starts.
 * Clients trust it by its fingerprint or by using the certificate file as their CA file.
 */
final class SelfSignedIdentity {

    static final String CERTIFICATE_FILE = "xen-api.crt";
    static final String KEY_FILE = "xen-api.key";
    static final int VALIDITY_YEARS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedIdentity.class);

    /** Back-dating absorbs clocks that are a little behind the daemon's. */
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private SelfSignedIdentity() {
    }

    /**
     * Reads the identity kept in {@code dir}, or generates and keeps one when the directory lacks the key or the
     * certificate; {@code hostName} is only asked then.
     *
     * @throws IOException when the kept files are unusable (they are left for the operator to inspect) or cannot be
     *                     written
     */
    static TlsIdentity loadOrCreate(Path dir, Supplier<String> hostName) throws IOException {
        Path certificate = dir.resolve(CERTIFICATE_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
            return TlsIdentity.fromPemFiles(certificate, key);
        }
        if (PrivateFiles.ensurePrivateDirectory(dir)) {
            LOG.warn("{} was open to other users; its mode is now 0700", dir);
        }
        TlsIdentity identity = generate(hostName.get(), Instant.now(), new SecureRandom());
        // The key first: a certificate without its key is regenerated on the next start, never used.
        PrivateFiles.writeAtomically(key, pem(new JcaPKCS8Generator(identity.key(), null)), PrivateFiles.OWNER_ONLY_FILE);
        PrivateFiles.writeAtomically(certificate, pem(identity.certificate()), PrivateFiles.PUBLIC_FILE);
        LOG.info("Generated a self-signed HTTPS certificate for {} in {} (valid until {})",
                identity.certificate().getSubjectX500Principal().getName(), certificate,
                identity.certificate().getNotAfter().toInstant());
        return identity;
    }

    static TlsIdentity generate(String hostName, Instant now, SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostName).build();
            // Positive, at most 20 octets, unpredictable (RFC 5280 4.1.2.2).
            BigInteger serial = new BigInteger(127, random).setBit(0);
            Date notBefore = Date.from(now.minus(BACKDATE));
            Date notAfter = Date.from(now.atZone(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant());
            X509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(subject, serial, notBefore, notAfter, subject, pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, alternativeNames(hostName))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                            .build(pair.getPrivate())));
            return new TlsIdentity(pair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("the JDK cannot generate an EC P-256 certificate", e);
        }
    }

    private static GeneralNames alternativeNames(String hostName) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        if (!"localhost".equalsIgnoreCase(hostName) && DNS_NAME.matcher(hostName).matches()) {
            names.add(new GeneralName(GeneralName.dNSName, hostName));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
