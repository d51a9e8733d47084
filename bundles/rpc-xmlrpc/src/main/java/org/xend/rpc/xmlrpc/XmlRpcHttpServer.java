package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.XenApi;

/**
 * The XML-RPC listener over HTTP/1.1 (Netty), usable with or without OSGi:
 * <pre>
 *   XmlRpcHttpServer server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", 0), api);
 *   InetSocketAddress bound = server.start();
 *   ...
 *   server.close();
 * </pre>
 * Threads: {@code xend-xmlrpc-io-*} (Netty event loops, one per core, never block) and {@code xend-xmlrpc-call-*}
 * (a cached pool of daemon threads that run the calls). Connections are HTTP/1.1 keep-alive with TCP_NODELAY.
 * Limit changes apply to connections accepted afterwards.
 */
public final class XmlRpcHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(XmlRpcHttpServer.class);

    static final String TRANSPORT = "http";
    private static final long SHUTDOWN_WAIT_MILLIS = 2000;

    private final XenApi api;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSetup setup;
    private ListenerSettings settings;
    private EventLoopGroup eventLoops;
    private ExecutorService callWorkers;
    private Channel listener;
    private boolean closed;

    public XmlRpcHttpServer(ListenerSettings settings, XenApi api) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.api = Objects.requireNonNull(api, "api");
    }

    /**
     * Starts the threads and binds the listening socket.
     *
     * @return the bound address (the real port when the settings asked for port 0)
     * @throws IOException when the address cannot be bound, e.g. the port is taken; nothing is left running
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (closed) {
            throw new IllegalStateException("the server was closed");
        }
        if (listener != null) {
            throw new IllegalStateException("the server is already started");
        }
        int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        eventLoops = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("xend-xmlrpc-io", true));
        callWorkers = Executors.newCachedThreadPool(new DefaultThreadFactory("xend-xmlrpc-call", true));
        setup = new ConnectionSetup(settings, new XmlRpcEndpoint(api, settings.maxDepth()));
        try {
            listener = bind(settings);
        } catch (IOException e) {
            stopThreads();
            throw e;
        }
        LOG.info("Xen API XML-RPC listening on http://{} (allowed hosts: {})", describe(listener.localAddress()),
                settings.allowedHosts());
        return localAddress();
    }

    /** The bound address, or {@code null} when not listening. */
    public synchronized InetSocketAddress localAddress() {
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    /** The open client connections. */
    Set<Channel> connections() {
        return Set.copyOf(connections);
    }

    public synchronized ListenerSettings settings() {
        return settings;
    }

    /**
     * Applies new settings: limits and the host filter take effect for new connections, and a changed address or
     * port rebinds the listening socket (open connections stay). If the new address cannot be bound, the old one
     * is bound again and the error is thrown. Before {@link #start()}, the settings are only remembered.
     */
    public synchronized void reconfigure(ListenerSettings next) throws IOException {
        Objects.requireNonNull(next, "next");
        ListenerSettings previous = settings;
        settings = next;
        if (eventLoops == null || closed) {
            return;
        }
        setup = new ConnectionSetup(next, new XmlRpcEndpoint(api, next.maxDepth()));
        if (listener != null && previous.sameEndpoint(next)) {
            LOG.info("Xen API XML-RPC listener reconfigured (allowed hosts: {})", next.allowedHosts());
            return;
        }
        ListenerSettings fallback = null;
        if (listener != null) {
            // Restore the port really bound, which differs from the setting when that was 0.
            fallback = next.withEndpoint(previous.bindAddress(), ((InetSocketAddress) listener.localAddress()).getPort());
            listener.close().awaitUninterruptibly();
            listener = null;
        }
        try {
            listener = bind(next);
            LOG.info("Xen API XML-RPC listener moved to http://{}", describe(listener.localAddress()));
        } catch (IOException moveFailed) {
            if (fallback != null) {
                try {
                    listener = bind(fallback);
                    settings = fallback;
                    LOG.warn("Xen API XML-RPC listener could not move to {}; still listening on http://{}",
                            next.endpoint(), describe(listener.localAddress()));
                } catch (IOException restoreFailed) {
                    moveFailed.addSuppressed(restoreFailed);
                }
            }
            if (listener == null) {
                LOG.error("Xen API XML-RPC listener is not listening anywhere: {} could not be bound", next.endpoint());
            }
            throw moveFailed;
        }
    }

    /**
     * Stops listening, closes every connection, and stops the threads. Calls still running get
     * {@value #SHUTDOWN_WAIT_MILLIS} ms to finish before they are interrupted. Idempotent.
     */
    @Override
    public void close() {
        Channel oldListener;
        ExecutorService oldWorkers;
        EventLoopGroup oldEventLoops;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            oldListener = listener;
            oldWorkers = callWorkers;
            oldEventLoops = eventLoops;
            listener = null;
        }
        if (oldListener != null) {
            oldListener.close().awaitUninterruptibly(SHUTDOWN_WAIT_MILLIS);
        }
        for (Channel connection : connections) {
            connection.close();
        }
        shutdown(oldWorkers, oldEventLoops);
        if (oldListener != null) {
            LOG.info("Xen API XML-RPC listener on http://{} stopped", describe(oldListener.localAddress()));
        }
    }

    private Channel bind(ListenerSettings s) throws IOException {
        InetSocketAddress address = s.bindAddress().isBlank() || "*".equals(s.bindAddress())
                ? new InetSocketAddress(s.port())
                : new InetSocketAddress(s.bindAddress(), s.port());
        if (address.isUnresolved()) {
            throw new IOException("cannot listen on " + s.endpoint() + ": unknown host " + s.bindAddress());
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(eventLoops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.closeFuture().addListener(f -> connections.remove(channel));
                        setup.install(channel.pipeline(), channel.remoteAddress(), callWorkers);
                    }
                });
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + s.endpoint() + ": " + cause.getMessage(), cause);
        }
        return bound.channel();
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

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** The pipeline of one connection, for one generation of settings. */
    private static final class ConnectionSetup {
        private final ListenerSettings settings;
        private final XmlRpcEndpoint endpoint;

        ConnectionSetup(ListenerSettings settings, XmlRpcEndpoint endpoint) {
            this.settings = settings;
            this.endpoint = endpoint;
        }

        void install(ChannelPipeline pipeline, InetSocketAddress client, ExecutorService workers) {
            boolean allowed = settings.allowedHosts().allows(client.getAddress());
            if (!allowed) {
                LOG.debug("Refusing XML-RPC client {}: not in allowedHosts", client.getAddress().getHostAddress());
            }
            CallContext context = CallContext.of(TRANSPORT, client.getAddress().getHostAddress());
            RequestDeadline deadline = new RequestDeadline(settings.requestTimeout());
            // All-idle with output observed: reading, or writing that makes progress, both count as activity.
            pipeline.addLast("idle", new IdleStateHandler(true, 0, 0, settings.idleTimeout().toMillis(),
                    TimeUnit.MILLISECONDS));
            pipeline.addLast("deadline", deadline);
            pipeline.addLast("http", new HttpServerCodec());
            pipeline.addLast("gate", new RequestGate(allowed, deadline));
            pipeline.addLast("aggregate", new RequestAggregator(settings.maxRequestBytes()));
            pipeline.addLast("call", new HttpCallHandler(endpoint, workers, context));
        }
    }
}
