package org.xend.relocation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channels;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.XenApiException;
import org.xend.api.config.DaemonSettings;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.relocation.MigrationOffer;

/**
 * The relocation server: receives VMs migrating from other hosts ({@link RelocationProtocol}). Off unless
 * {@code server} is set in {@code org.xend.relocation}; then it listens on the daemon's bind address (or
 * {@code address}) at {@code port}, declines peers outside {@code hostsAllow}, disconnects a peer idle for
 * {@code timeoutSeconds}, reads at most {@value RelocationProtocol#MAX_OFFER_BYTES} bytes before the image, serves
 * one migration per connection and at most {@code maxConnections} at once. Threads: one accepting, one per
 * migration being received.
 */
@Component(service = {}, immediate = true, configurationPid = {DaemonSettings.PID, RelocationSettings.PID})
public final class RelocationServer {

    private static final Logger LOG = LoggerFactory.getLogger(RelocationServer.class);
    private static final long STOP_WAIT_MS = 2_000;

    private final DomainService domains;
    private final RelocationSettings settings;
    private final Semaphore slots;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger workerCount = new AtomicInteger();
    private ServerSocket listener;
    private ExecutorService workers;
    private Thread acceptor;

    @Activate
    public RelocationServer(@Reference DomainService domains, Map<String, Object> properties) throws IOException {
        this(domains, RelocationSettings.from(properties, System.getenv(), System.getProperty("karaf.data")));
    }

    RelocationServer(DomainService domains, RelocationSettings settings) throws IOException {
        this.domains = domains;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConnections());
        if (!settings.server()) {
            LOG.info("Relocation server off (set server = true in {} to receive migrations)", RelocationSettings.PID);
            return;
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(settings.address()), settings.port()));
        } catch (IOException e) {
            socket.close();
            LOG.error("Relocation server cannot listen on {}:{}: {}", settings.address(), settings.port(),
                    e.getMessage());
            throw e;
        }
        listener = socket;
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "xend-relocation-" + workerCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "xend-relocation-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Relocation server listening on {}:{} (allowed hosts: {})", settings.address(), port(),
                settings.hostsAllow());
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0 in tests); -1 when off. */
    int port() {
        return listener == null ? -1 : listener.getLocalPort();
    }

    @Deactivate
    void deactivate() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the relocation listener: {}", e.toString());
        }
        connections.forEach(RelocationServer::closeQuietly);
        workers.shutdownNow();
        try {
            acceptor.join(STOP_WAIT_MS);
            if (!workers.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("relocation threads did not stop within {} ms", STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Relocation server stopped");
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.warn("Relocation server: accept failed: {}", e.getMessage());
                }
                continue;
            }
            connections.add(socket);
            try {
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        connections.remove(socket);
                        closeQuietly(socket);
                    }
                });
            } catch (RejectedExecutionException stopping) {
                connections.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    /** One connection, one migration; every failure is told to the peer in one line and logged here. */
    void serve(Socket socket) {
        String peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 << 10);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            if (!settings.hostsAllow().allows(socket.getInetAddress())) {
                LOG.warn("Relocation from {} refused: not in hostsAllow ({})", peer, settings.hostsAllow());
                RelocationProtocol.writeError(out, "this host does not take migrations from "
                        + socket.getInetAddress().getHostAddress());
                return;
            }
            if (!slots.tryAcquire()) {
                LOG.warn("Relocation from {} refused: {} migrations are already arriving", peer,
                        settings.maxConnections());
                RelocationProtocol.writeError(out, "this host is already receiving " + settings.maxConnections()
                        + " migrations; try again later");
                return;
            }
            try {
                receive(socket, peer, in, out);
            } finally {
                slots.release();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Relocation from {} failed: {}", peer, e.getMessage());
        }
    }

    private void receive(Socket socket, String peer, InputStream in, OutputStream out) throws IOException {
        long timeoutNanos = settings.timeout().toNanos();
        MigrationOffer offer;
        try {
            offer = RelocationProtocol.readOffer(in, socket, System.nanoTime() + timeoutNanos);
        } catch (RelocationProtocol.ProtocolException e) {
            LOG.warn("Relocation from {} refused: {}", peer, e.getMessage());
            RelocationProtocol.writeError(out, e.getMessage());
            return;
        }
        // the image may take long as a whole; only a peer that stops sending for the timeout is dropped
        socket.setSoTimeout((int) settings.timeout().toMillis());
        String vm;
        try {
            vm = domains.receiveMigration(offer.uuid(), offer.name(), offer.memoryBytes(),
                    Channels.newChannel(in), () -> {
                        try {
                            RelocationProtocol.writeLine(out, RelocationProtocol.READY);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (XenApiException e) {
            String reason = Reasons.describe(e);
            LOG.warn("Migration of VM {} ({}) from {} failed: {}", offer.name(), offer.uuid(), peer, reason);
            RelocationProtocol.writeError(out, reason);
            return;
        }
        int domid = domains.view(vm).domid();
        RelocationProtocol.writeLine(out, RelocationProtocol.RESTORED + " " + vm + " " + domid);
        String decision;
        try {
            decision = RelocationProtocol.readLine(in, socket, System.nanoTime() + timeoutNanos);
        } catch (IOException e) {
            decision = null;
        }
        if (RelocationProtocol.COMMIT.equals(decision)) {
            try {
                if (!offer.paused()) {
                    domains.unpause(vm);
                }
            } catch (XenApiException e) {
                LOG.error("VM {} ({}) migrated here from {} but stays paused as domain {}: {}", offer.name(), vm,
                        peer, domid, Reasons.describe(e));
                RelocationProtocol.writeError(out, "the VM arrived but could not be unpaused: " + Reasons.describe(e));
                return;
            }
            RelocationProtocol.writeLine(out, offer.paused() ? RelocationProtocol.PAUSED : RelocationProtocol.RUNNING);
            LOG.info("VM {} ({}) migrated here from {}: domain {}{}", offer.name(), vm, peer, domid,
                    offer.paused() ? ", paused as it was" : "");
        } else if (RelocationProtocol.ABORT.equals(decision)) {
            try {
                domains.destroyDomain(vm);
                LOG.info("Migration of VM {} ({}) from {} withdrawn by the source; its domain {} is destroyed",
                        offer.name(), vm, peer, domid);
            } catch (XenApiException e) {
                LOG.error("Migration of VM {} ({}) from {} was withdrawn, but its domain {} could not be destroyed: "
                        + "{}", offer.name(), vm, peer, domid, Reasons.describe(e));
            }
        } else {
            LOG.error("VM {} ({}) from {} stays paused as domain {}: the source did not say whether it let go of "
                    + "it (it said {}); unpause it here or destroy it", offer.name(), vm, peer, domid,
                    RelocationProtocol.quote(decision));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing a relocation connection: {}", e.toString());
        }
    }
}
