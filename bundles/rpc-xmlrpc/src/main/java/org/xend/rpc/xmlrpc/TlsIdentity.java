package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The private key and certificate chain an HTTPS listener presents. {@link #fromPemFiles} reads them the way
 * operators keep them: PEM files, the key unencrypted in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}) form, the chain leaf first. Both may be in
 * one file.
 */
public record TlsIdentity(PrivateKey key, List<X509Certificate> chain) {

    public TlsIdentity {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty");
        }
    }

    /** The leaf: the certificate of this server. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** SHA-256 of the leaf's DER encoding, as {@code AB:CD:...}, the form browsers and {@code openssl x509} show. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint the certificate", e);
        }
    }

    /**
     * Reads a certificate chain and its private key.
     *
     * @throws IOException naming the file when it is missing, unreadable, holds no certificate or usable key, the key
     *                     is encrypted, or the key does not belong to the certificate
     */
    public static TlsIdentity fromPemFiles(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        for (Object object : readPem(certificateFile)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(new JcaX509CertificateConverter().getCertificate(holder));
                } catch (CertificateException e) {
                    throw new IOException(certificateFile + ": unusable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no PEM certificate (BEGIN CERTIFICATE) in the file");
        }
        PrivateKey key = null;
        for (Object object : readPem(keyFile)) {
            key = privateKey(keyFile, object);
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            throw new IOException(keyFile + ": no PEM private key in the file");
        }
        requireMatch(key, chain.get(0).getPublicKey(), certificateFile, keyFile);
        return new TlsIdentity(key, chain);
    }

    private static List<Object> readPem(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (PEMException e) {
            throw new IOException(file + ": not valid PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static PrivateKey privateKey(Path file, Object object) throws IOException {
        PrivateKeyInfo info;
        if (object instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();   // its public half may be missing from a SEC1 key, and is not needed
        } else if (object instanceof PrivateKeyInfo plain) {
            info = plain;
        } else if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException(file + ": the private key is encrypted; the daemon needs it unencrypted "
                    + "(e.g. openssl pkey -in encrypted.key -out " + file.getFileName() + "), readable by its user only");
        } else {
            return null;
        }
        return jdkPrivateKey(file, info);
    }

    /**
     * The key as the JDK's own providers make it. BouncyCastle's converter would ask for its own algorithm names
     * ({@code ECDSA}), which resolve to BC's key classes once something (Karaf's ssh) registers BC as a provider.
     */
    private static PrivateKey jdkPrivateKey(Path file, PrivateKeyInfo info) throws IOException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            algorithm = "RSA";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            algorithm = "EC";
        } else if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
            algorithm = "Ed25519";
        } else if (EdECObjectIdentifiers.id_Ed448.equals(oid)) {
            algorithm = "Ed448";
        } else {
            throw new IOException(file + ": unsupported key type " + oid + "; use an RSA or EC key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": unusable " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and checks it with the certificate: works for every key type the JDK knows. */
    private static void requireMatch(PrivateKey key, PublicKey certified, Path certificateFile, Path keyFile)
            throws IOException {
        String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "ED25519", "ED448", "EDDSA" -> key.getAlgorithm();
            default -> throw new IOException(keyFile + ": unsupported key type " + key.getAlgorithm()
                    + "; use an RSA or EC key");
        };
        byte[] probe = "xend-tls-key-check".getBytes(StandardCharsets.US_ASCII);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IOException(keyFile + ": the private key does not belong to the certificate in "
                    + certificateFile);
        }
    }
}
