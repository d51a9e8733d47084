package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Instant;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.xend.rpc.xmlrpc.XmlRpcHttpServer.Transport;

/** Test plumbing: settings for a server on exactly one transport, and raw clients for it. */
final class Listeners {

    /** One identity for every test: generating costs a few milliseconds, trusting it is the same each time. */
    static final TlsIdentity IDENTITY = SelfSignedIdentity.generate("localhost", Instant.now(), new SecureRandom());

    private Listeners() {
    }

    /** {@code base} (its limits and host filter) moved to {@code transport} alone, on a free port or in {@code dir}. */
    static ListenerSettings only(Transport transport, ListenerSettings base, Path dir) {
        ListenerSettings none = base.withEndpoint("127.0.0.1", ListenerSettings.DISABLED).withoutTls()
                .withUnixSocket(null);
        return switch (transport) {
            case HTTP -> none.withEndpoint("127.0.0.1", 0);
            case HTTPS -> none.withTls(0, IDENTITY);
            case UNIX -> none.withUnixSocket(dir.resolve("xen-api.sock"));
        };
    }

    /** A raw client of {@code server}'s listener for {@code transport}. */
    static RawHttp open(XmlRpcHttpServer server, Transport transport) throws IOException {
        return open(server, transport, null, 0);
    }

    /**
     * @param localAddress  for TCP, the client address to connect from (null for any); ignored for Unix
     * @param receiveBuffer the client's receive buffer, 0 for the default
     */
    static RawHttp open(XmlRpcHttpServer server, Transport transport, String localAddress, int receiveBuffer)
            throws IOException {
        return switch (transport) {
            case HTTP -> new RawHttp(server.localAddress(), localAddress, receiveBuffer);
            case HTTPS -> RawHttp.tls(server.tlsAddress(), trusting(IDENTITY), localAddress, receiveBuffer);
            case UNIX -> RawHttp.unix(server.unixSocket(), receiveBuffer);
        };
    }

    /** A client TLS context that trusts exactly this identity's certificate. */
    static SSLContext trusting(TlsIdentity identity) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("xend", identity.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
