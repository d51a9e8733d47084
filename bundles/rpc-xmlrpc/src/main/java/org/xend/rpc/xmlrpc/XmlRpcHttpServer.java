package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.XenApi;

/**
 * An XML-RPC server over HTTP/1.1 (Netty), usable with or without OSGi. It serves one {@link XmlRpcHandler} on up to
 * three listeners (see {@link ListenerSettings}): HTTP, HTTPS and a Unix socket, all with the same pipeline, limits
 * and handler; the Xen API and the legacy xm API each get their own server.
 * <pre>
 *   XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0), api);
 *   InetSocketAddress bound = server.start();
 *   ...
 *   server.close();
 * </pre>
 * Listeners start independently, as Xend's servers did: one that cannot be bound (a taken port, an unusable
 * certificate) is logged as an error and left out while the others serve; {@link #start()} fails only when none could
 * be bound. Threads: {@code xend-xmlrpc-io-*} (Netty event loops, one per core, never block) and
 * {@code xend-xmlrpc-call-*} (a cached pool of daemon threads that run the calls). Connections are HTTP/1.1
 * keep-alive; TCP ones use TCP_NODELAY. HTTPS is TLS 1.2 or 1.3 from the JDK's provider. Limit changes apply to
 * connections accepted afterwards.
 */
public final class XmlRpcHttpServer implements AutoCloseable {

    /** The kinds of listener; {@link #scheme()} is also the transport of the calls' {@link CallContext}. */
    public enum Transport {
        HTTP("http"), HTTPS("https"), UNIX("unix");

        private final String scheme;

        Transport(String scheme) {
            this.scheme = scheme;
        }

        public String scheme() {
            return scheme;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcHttpServer.class);

    private static final long SHUTDOWN_WAIT_MILLIS = 2000;
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final long CLOSE_NOTIFY_FLUSH_MILLIS = 500;

    private final String name;
    private final XmlRpcHandler handler;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final Map<Transport, Listener> listeners = new EnumMap<>(Transport.class);
    private volatile ConnectionSetup setup;
    private ListenerSettings settings;
    private EventLoopGroup eventLoops;
    private ExecutorService callWorkers;
    private boolean closed;

    /** The Xen API server. */
    public XmlRpcHttpServer(ListenerSettings settings, XenApi api) {
        this("Xen API", settings, new XenApiHandler(api));
    }

    /**
     * @param name    what the log calls this server, e.g. {@code Xen API} or {@code legacy xm API}
     * @param handler the API every listener serves
     */
    public XmlRpcHttpServer(String name, ListenerSettings settings, XmlRpcHandler handler) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Starts the threads and binds every configured listener.
     *
     * @return the bound HTTP address (the real port when the settings asked for port 0), or {@code null} when there
     *         is no HTTP listener
     * @throws IOException when no listener could be bound; nothing is left running
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (closed) {
            throw new IllegalStateException("the server was closed");
        }
        if (eventLoops != null) {
            throw new IllegalStateException("the server is already started");
        }
        if (!settings.hasListener()) {
            throw new IllegalStateException("the settings configure no listener");
        }
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        eventLoops = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("xend-xmlrpc-io", true));
        callWorkers = Executors.newCachedThreadPool(new DefaultThreadFactory("xend-xmlrpc-call", true));
        setup = newSetup(settings);
        List<IOException> failures = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            Object endpoint = endpoint(transport, settings);
            if (endpoint == null) {
                continue;
            }
            try {
                Listener listener = bind(transport, endpoint);
                listeners.put(transport, listener);
                LOG.info("{} XML-RPC listening on {}{}", name, describe(transport, listener), clientsNote(transport));
            } catch (IOException e) {
                LOG.error("{} XML-RPC over {} not started: {}", name, transport.scheme(), e.getMessage());
                failures.add(e);
            }
        }
        if (listeners.isEmpty()) {
            stopThreads();
            throw combined(failures);
        }
        return localAddress();
    }

    /** The bound HTTP address, or {@code null} when not listening on HTTP. */
    public synchronized InetSocketAddress localAddress() {
        return inetAddress(Transport.HTTP);
    }

    /** The bound HTTPS address, or {@code null} when not listening on HTTPS. */
    public synchronized InetSocketAddress tlsAddress() {
        return inetAddress(Transport.HTTPS);
    }

    /** The path of the Unix socket, or {@code null} when not listening on one. */
    public synchronized Path unixSocket() {
        Listener listener = listeners.get(Transport.UNIX);
        return listener == null ? null : listener.socketFile.path();
    }

    /** The open client connections. */
    Set<Channel> connections() {
        return Set.copyOf(connections);
    }

    public synchronized ListenerSettings settings() {
        return settings;
    }

    /**
     * Applies new settings: limits, the host filter and the TLS identity take effect for new connections; a listener
     * whose endpoint changed is moved (open connections stay), one no longer configured is closed, a new one (or
     * one that failed before) is bound. A listener that cannot move is bound again where it was; the first error is
     * thrown once every listener was dealt with. Before {@link #start()}, the settings are only remembered.
     */
    public synchronized void reconfigure(ListenerSettings next) throws IOException {
        Objects.requireNonNull(next, "next");
        settings = next;
        if (eventLoops == null || closed) {
            return;
        }
        setup = newSetup(next);
        List<IOException> failures = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            try {
                reconcile(transport, endpoint(transport, next));
            } catch (IOException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw combined(failures);
        }
        LOG.info("{} XML-RPC listeners reconfigured (allowed hosts: {})", name, next.allowedHosts());
    }

    /**
     * Stops listening (removing the Unix socket), closes every connection, and stops the threads. Calls still
     * running get {@value #SHUTDOWN_WAIT_MILLIS} ms to finish before they are interrupted. Idempotent.
     */
    @Override
    public void close() {
        List<Listener> oldListeners;
        ExecutorService oldWorkers;
        EventLoopGroup oldEventLoops;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            oldListeners = new ArrayList<>(listeners.values());
            oldWorkers = callWorkers;
            oldEventLoops = eventLoops;
            listeners.clear();
        }
        oldListeners.forEach(XmlRpcHttpServer::closeListener);
        for (Channel connection : connections) {
            connection.close();
        }
        shutdown(oldWorkers, oldEventLoops);
        for (Listener listener : oldListeners) {
            LOG.info("{} XML-RPC listener on {} stopped", name, describe(listener.transport, listener));
        }
    }

    private void reconcile(Transport transport, Object wanted) throws IOException {
        Listener current = listeners.get(transport);
        if (current != null && current.endpoint.equals(wanted)) {
            return;
        }
        if (wanted == null) {
            if (current != null) {
                listeners.remove(transport);
                closeListener(current);
                LOG.info("{} XML-RPC listener on {} stopped", name, describe(transport, current));
            }
            return;
        }
        Object fallback = null;
        if (current != null) {
            fallback = current.boundEndpoint();
            listeners.remove(transport);
            closeListener(current);
        }
        try {
            Listener moved = bind(transport, wanted);
            listeners.put(transport, moved);
            LOG.info("{} XML-RPC listening on {}{}", name, describe(transport, moved), clientsNote(transport));
        } catch (IOException moveFailed) {
            if (fallback != null) {
                try {
                    Listener restored = bind(transport, fallback);
                    listeners.put(transport, restored);
                    LOG.warn("{} XML-RPC listener could not move to {}; still listening on {}", name, wanted,
                            describe(transport, restored));
                } catch (IOException restoreFailed) {
                    moveFailed.addSuppressed(restoreFailed);
                }
            }
            if (!listeners.containsKey(transport)) {
                LOG.error("{} XML-RPC over {} is not listening: {}", name, transport.scheme(), moveFailed.getMessage());
            }
            throw moveFailed;
        }
    }

    private Listener bind(Transport transport, Object endpoint) throws IOException {
        return transport == Transport.UNIX ? bindUnix((Path) endpoint) : bindTcp(transport, (TcpEndpoint) endpoint);
    }

    private Listener bindTcp(Transport transport, TcpEndpoint endpoint) throws IOException {
        if (transport == Transport.HTTPS && setup.sslContext == null) {
            throw new IOException("cannot listen on " + endpoint + ": " + setup.tlsProblem);
        }
        InetSocketAddress address = endpoint.toSocketAddress();
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on " + endpoint + ": unknown host " + endpoint.bindAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(initializer(transport));
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + endpoint + ": " + cause.getMessage(), cause);
        }
        return new Listener(transport, bound.channel(), endpoint, null);
    }

    private Listener bindUnix(Path path) throws IOException {
        UnixSocketFile socketFile = UnixSocketFile.prepare(path);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops)
                .channel(NioServerDomainSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(initializer(Transport.UNIX));
        ChannelFuture bound = bootstrap.bind(socketFile.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            socketFile.abandon();
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + socketFile.path() + ": " + cause.getMessage(), cause);
        }
        try {
            socketFile.publish();
        } catch (IOException e) {
            bound.channel().close().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
            throw new IOException("cannot listen on " + socketFile.path() + ": " + e.getMessage(), e);
        }
        return new Listener(Transport.UNIX, bound.channel(), path, socketFile);
    }

    private ChannelInitializer<Channel> initializer(Transport transport) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                connections.add(channel);
                channel.closeFuture().addListener(f -> connections.remove(channel));
                setup.install(channel, transport, callWorkers);
            }
        };
    }

    private ConnectionSetup newSetup(ListenerSettings s) {
        SslContext sslContext = null;
        String tlsProblem = "HTTPS is not configured";
        if (s.tls().isPresent()) {
            TlsIdentity identity = s.tls().get().identity();
            try {
                sslContext = SslContextBuilder
                        .forServer(identity.key(), identity.chain().toArray(X509Certificate[]::new))
                        .sslProvider(SslProvider.JDK)
                        .protocols(TLS_PROTOCOLS)
                        .build();
            } catch (SSLException | IllegalArgumentException e) {
                tlsProblem = "the TLS key and certificate are unusable: " + e.getMessage();
            }
        }
        return new ConnectionSetup(s, new XmlRpcEndpoint(handler, s.maxDepth()), sslContext, tlsProblem);
    }

    private static Object endpoint(Transport transport, ListenerSettings s) {
        return switch (transport) {
            case HTTP -> s.port() == ListenerSettings.DISABLED ? null : new TcpEndpoint(s.bindAddress(), s.port());
            case HTTPS -> s.tls().map(tls -> new TcpEndpoint(s.bindAddress(), tls.port())).orElse(null);
            case UNIX -> s.unixSocket().map(path -> path.toAbsolutePath().normalize()).orElse(null);
        };
    }

    private InetSocketAddress inetAddress(Transport transport) {
        Listener listener = listeners.get(transport);
        return listener == null ? null : (InetSocketAddress) listener.channel.localAddress();
    }

    private String clientsNote(Transport transport) {
        return transport == Transport.UNIX ? " (local clients of its owner)"
                : " (allowed hosts: " + settings.allowedHosts() + ")";
    }

    private static void closeListener(Listener listener) {
        listener.channel.close().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        if (listener.socketFile != null) {
            listener.socketFile.remove();
        }
    }

    private static IOException combined(List<IOException> failures) {
        IOException first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        return first;
    }

    private void stopThreads() {
        shutdown(callWorkers, eventLoops);
        callWorkers = null;
        eventLoops = null;
    }

    private static void shutdown(ExecutorService workers, EventLoopGroup loops) {
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    int interrupted = workers.shutdownNow().size();
                    LOG.warn("XML-RPC calls still running after {} ms were interrupted ({} queued dropped)",
                            SHUTDOWN_WAIT_MILLIS, interrupted);
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (loops != null) {
            loops.shutdownGracefully(0, SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS + 1000);
        }
    }

    private static String describe(Transport transport, Listener listener) {
        if (transport == Transport.UNIX) {
            return "unix:" + listener.socketFile.path();
        }
        return transport.scheme() + "://" + describe(listener.channel.localAddress());
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** A TCP endpoint as configured: {@code *} or blank binds every interface. */
    private record TcpEndpoint(String bindAddress, int port) {
        InetSocketAddress toSocketAddress() {
            return bindAddress.isBlank() || "*".equals(bindAddress)
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(bindAddress, port);
        }

        @Override
        public String toString() {
            return (bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress) + ":" + port;
        }
    }

    /** One bound listener and the endpoint it was asked for. */
    private record Listener(Transport transport, Channel channel, Object endpoint, UnixSocketFile socketFile) {
        /** What to bind again to get this very listener back: the real port when port 0 was asked for. */
        Object boundEndpoint() {
            if (endpoint instanceof TcpEndpoint tcp) {
                return new TcpEndpoint(tcp.bindAddress(), ((InetSocketAddress) channel.localAddress()).getPort());
            }
            return endpoint;
        }
    }

    /** The pipeline of one connection, for one generation of settings. */
    private static final class ConnectionSetup {
        private final ListenerSettings settings;
        private final XmlRpcEndpoint endpoint;
        private final SslContext sslContext;
        private final String tlsProblem;

        ConnectionSetup(ListenerSettings settings, XmlRpcEndpoint endpoint, SslContext sslContext, String tlsProblem) {
            this.settings = settings;
            this.endpoint = endpoint;
            this.sslContext = sslContext;
            this.tlsProblem = tlsProblem;
        }

        void install(Channel channel, Transport transport, ExecutorService workers) {
            boolean allowed = true;
            String peer = "";
            if (transport != Transport.UNIX) {
                InetSocketAddress client = (InetSocketAddress) channel.remoteAddress();
                peer = client.getAddress().getHostAddress();
                allowed = settings.allowedHosts().allows(client.getAddress());
                if (!allowed) {
                    LOG.debug("Refusing XML-RPC client {}: not in allowedHosts", peer);
                }
            }
            CallContext context = CallContext.of(transport.scheme(), peer);
            RequestDeadline deadline = new RequestDeadline(settings.requestTimeout());
            ChannelPipeline pipeline = channel.pipeline();
            // All-idle with output observed: reading, or writing that makes progress, both count as activity.
            pipeline.addLast("idle", new IdleStateHandler(true, 0, 0, settings.idleTimeout().toMillis(),
                    TimeUnit.MILLISECONDS));
            // Ahead of TLS: a client that trickles encrypted bytes, or stalls in the handshake, is on the clock too.
            pipeline.addLast("deadline", deadline);
            if (transport == Transport.HTTPS) {
                SslHandler tls = sslContext.newHandler(channel.alloc());
                tls.setHandshakeTimeoutMillis(settings.requestTimeout().toMillis());
                // A client that stopped reading would hold the connection for Netty's 3 s default on close.
                tls.setCloseNotifyFlushTimeoutMillis(CLOSE_NOTIFY_FLUSH_MILLIS);
                pipeline.addLast("tls", tls);
            }
            pipeline.addLast("http", new HttpServerCodec());
            pipeline.addLast("gate", new RequestGate(allowed, deadline));
            pipeline.addLast("aggregate", new RequestAggregator(settings.maxRequestBytes()));
            pipeline.addLast("call", new HttpCallHandler(endpoint, workers, context));
        }
    }
}
