package org.xend.rpc.xmlrpc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.xend.api.config.DaemonSettings;

/**
 * Everything the listeners of one XML-RPC server need to know: where they listen and how they protect themselves.
 * A server has up to three listeners, all serving the same API with the same limits:
 * <ul>
 *   <li>HTTP on {@code bindAddress:port} ({@link #DISABLED} for none);</li>
 *   <li>HTTPS on {@code bindAddress:tls.port}, presenting {@code tls.identity};</li>
 *   <li>HTTP over the Unix socket {@code unixSocket}, whose clients are local and always allowed.</li>
 * </ul>
 * {@code allowedHosts} filters the clients of the TCP listeners. Use {@link #of(String, int)} for an HTTP listener
 * with the default limits, then the {@code with*} methods.
 */
public record ListenerSettings(String bindAddress, int port, int maxRequestBytes, int maxDepth,
                               Duration idleTimeout, Duration requestTimeout, HostAllowList allowedHosts,
                               Optional<Tls> tls, Optional<Path> unixSocket) {

    /** The port of a plain-HTTP listener that is not wanted. */
    public static final int DISABLED = -1;

    public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

    /** The shallowest legal request, {@code methodCall/params/param/value/struct/member/value/...}, needs a few levels. */
    static final int MIN_DEPTH = 8;
    /** Deeper documents would only risk the parser's stack; no Xen API value comes close. */
    static final int MAX_DEPTH = 1024;

    /** The HTTPS listener: its port (0 picks a free one) and the key and certificate it presents. */
    public record Tls(int port, TlsIdentity identity) {
        public Tls {
            Objects.requireNonNull(identity, "identity");
            requirePort("the HTTPS port", port);
        }
    }

    public ListenerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(unixSocket, "unixSocket");
        if (port != DISABLED) {
            requirePort("port", port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, got " + maxRequestBytes);
        }
        if (maxDepth < MIN_DEPTH || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth must be between " + MIN_DEPTH + " and " + MAX_DEPTH + ", got "
                    + maxDepth);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, got " + idleTimeout);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
    }

    /** An HTTP listener with the default limits on the given endpoint; port 0 picks a free port. */
    public static ListenerSettings of(String bindAddress, int port) {
        return new ListenerSettings(bindAddress, port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_DEPTH,
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS),
                HostAllowList.allowAll(), Optional.empty(), Optional.empty());
    }

    /** The Xen API's HTTP listener: endpoint from {@code org.xend.daemon}, limits from {@code org.xend.rpc.xmlrpc}. */
    public static ListenerSettings from(DaemonSettings daemon, XmlRpcConfig config) {
        return new ListenerSettings(daemon.bindAddress(), daemon.xenapiPort(), config.maxRequestBytes(),
                config.maxDepth(), Duration.ofSeconds(config.idleTimeoutSeconds()),
                Duration.ofSeconds(config.requestTimeoutSeconds()), HostAllowList.parse(config.allowedHosts()),
                Optional.empty(), Optional.empty());
    }

    /** Moves the TCP listeners to {@code newBindAddress}, and HTTP to {@code newPort} ({@link #DISABLED} for none). */
    public ListenerSettings withEndpoint(String newBindAddress, int newPort) {
        return new ListenerSettings(newBindAddress, newPort, maxRequestBytes, maxDepth, idleTimeout, requestTimeout,
                allowedHosts, tls, unixSocket);
    }

    public ListenerSettings withAllowedHosts(HostAllowList hosts) {
        return new ListenerSettings(bindAddress, port, maxRequestBytes, maxDepth, idleTimeout, requestTimeout, hosts,
                tls, unixSocket);
    }

    public ListenerSettings withLimits(int newMaxRequestBytes, int newMaxDepth, Duration newIdleTimeout,
                                       Duration newRequestTimeout) {
        return new ListenerSettings(bindAddress, port, newMaxRequestBytes, newMaxDepth, newIdleTimeout,
                newRequestTimeout, allowedHosts, tls, unixSocket);
    }

    /** Adds (or moves) the HTTPS listener. */
    public ListenerSettings withTls(int tlsPort, TlsIdentity identity) {
        return new ListenerSettings(bindAddress, port, maxRequestBytes, maxDepth, idleTimeout, requestTimeout,
                allowedHosts, Optional.of(new Tls(tlsPort, identity)), unixSocket);
    }

    public ListenerSettings withoutTls() {
        return new ListenerSettings(bindAddress, port, maxRequestBytes, maxDepth, idleTimeout, requestTimeout,
                allowedHosts, Optional.empty(), unixSocket);
    }

    /** Adds (or moves) the Unix socket listener; {@code null} removes it. */
    public ListenerSettings withUnixSocket(Path socket) {
        return new ListenerSettings(bindAddress, port, maxRequestBytes, maxDepth, idleTimeout, requestTimeout,
                allowedHosts, tls, Optional.ofNullable(socket));
    }

    boolean hasListener() {
        return port != DISABLED || tls.isPresent() || unixSocket.isPresent();
    }

    String endpoint() {
        return endpoint(port);
    }

    String endpoint(int tcpPort) {
        return (bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress) + ":" + tcpPort;
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + port);
        }
    }
}
