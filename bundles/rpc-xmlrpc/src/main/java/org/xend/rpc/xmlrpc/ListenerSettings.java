package org.xend.rpc.xmlrpc;

import java.time.Duration;
import java.util.Objects;

import org.xend.api.config.DaemonSettings;

/**
 * Everything one XML-RPC listener needs to know: where it listens and how it protects itself.
 * Use {@link #of(String, int)} for the defaults when embedding the listener without OSGi.
 */
public record ListenerSettings(String bindAddress, int port, int maxRequestBytes, int maxDepth,
                               Duration idleTimeout, Duration requestTimeout, HostAllowList allowedHosts) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_DEPTH = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

    /** The shallowest legal request, {@code methodCall/params/param/value/struct/member/value/...}, needs a few levels. */
    static final int MIN_DEPTH = 8;
    /** Deeper documents would only risk the parser's stack; no Xen API value comes close. */
    static final int MAX_DEPTH = 1024;

    public ListenerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(allowedHosts, "allowedHosts");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
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

    /** The default limits on the given endpoint; port 0 picks a free port. */
    public static ListenerSettings of(String bindAddress, int port) {
        return new ListenerSettings(bindAddress, port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_DEPTH,
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS), Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS),
                HostAllowList.allowAll());
    }

    /** The Xen API listener of the daemon: endpoint from {@code org.xend.daemon}, limits from {@code org.xend.rpc.xmlrpc}. */
    public static ListenerSettings from(DaemonSettings daemon, XmlRpcConfig config) {
        return new ListenerSettings(daemon.bindAddress(), daemon.xenapiPort(), config.maxRequestBytes(),
                config.maxDepth(), Duration.ofSeconds(config.idleTimeoutSeconds()),
                Duration.ofSeconds(config.requestTimeoutSeconds()), HostAllowList.parse(config.allowedHosts()));
    }

    public ListenerSettings withEndpoint(String newBindAddress, int newPort) {
        return new ListenerSettings(newBindAddress, newPort, maxRequestBytes, maxDepth, idleTimeout, requestTimeout,
                allowedHosts);
    }

    public ListenerSettings withAllowedHosts(HostAllowList hosts) {
        return new ListenerSettings(bindAddress, port, maxRequestBytes, maxDepth, idleTimeout, requestTimeout, hosts);
    }

    public ListenerSettings withLimits(int newMaxRequestBytes, int newMaxDepth, Duration newIdleTimeout,
                                       Duration newRequestTimeout) {
        return new ListenerSettings(bindAddress, port, newMaxRequestBytes, newMaxDepth, newIdleTimeout,
                newRequestTimeout, allowedHosts);
    }

    boolean sameEndpoint(ListenerSettings other) {
        return bindAddress.equals(other.bindAddress) && port == other.port;
    }

    String endpoint() {
        return (bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress) + ":" + port;
    }
}
