package org.xend.relocation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.relocation.MigrationOffer;
import org.xend.api.spi.relocation.MigrationReceipt;
import org.xend.api.spi.relocation.OutgoingMigration;
import org.xend.api.spi.relocation.RelocationException;

/** One migration from the source's side, over one TCP connection ({@link RelocationProtocol}). */
final class SocketMigration implements OutgoingMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SocketMigration.class);
    /** How long a failed send still listens for the destination's reason, which may already be on its way. */
    private static final long REASON_WAIT_MS = 1_000;

    private final Socket socket;
    private final String destination;
    private final Duration timeout;
    private final InputStream in;
    private final OutputStream out;
    private final ImageChannel image;
    private final ScheduledFuture<?> stallCheck;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile boolean writing;
    private volatile boolean stalled;
    private boolean restored;
    private boolean committed;

    private SocketMigration(Socket socket, String destination, Duration timeout, ScheduledExecutorService watchdog)
            throws IOException {
        this.socket = socket;
        this.destination = destination;
        this.timeout = timeout;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 << 10);
        this.image = new ImageChannel();
        long period = Math.max(100, timeout.toMillis() / 4);
        this.stallCheck = watchdog.scheduleWithFixedDelay(this::closeIfStalled, period, period,
                TimeUnit.MILLISECONDS);
    }

    /** Connects, offers the VM and waits for the destination to be ready for its image. */
    static SocketMigration open(String host, int port, MigrationOffer offer, Duration timeout,
                                ScheduledExecutorService watchdog) {
        String destination = host + ":" + port;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new RelocationException("unknown host " + host);
        }
        Socket socket = new Socket();
        SocketMigration migration = null;
        try {
            socket.connect(address, (int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            migration = new SocketMigration(socket, destination, timeout, watchdog);
            RelocationProtocol.writeOffer(migration.out, offer);
            String reply = migration.readReply("its answer to the offer");
            if (!RelocationProtocol.READY.equals(reply)) {
                throw migration.unexpected(reply, "declined the VM");
            }
            return migration;
        } catch (UnknownHostException e) {
            closeAfterFailure(socket, migration);
            throw new RelocationException("unknown host " + host, e);
        } catch (SocketTimeoutException e) {
            closeAfterFailure(socket, migration);
            throw new RelocationException("no answer from the relocation server at " + destination + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            closeAfterFailure(socket, migration);
            throw new RelocationException("cannot reach the relocation server at " + destination + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAfterFailure(socket, migration);
            throw e;
        }
    }

    private static void closeAfterFailure(Socket socket, SocketMigration migration) {
        if (migration != null) {
            migration.close();
        } else {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was sent
            }
        }
    }

    @Override
    public WritableByteChannel image() {
        return image;
    }

    @Override
    public MigrationReceipt awaitRestored() {
        writing = true;
        lastProgressNanos = System.nanoTime();
        try {
            out.flush();
        } catch (IOException e) {
            throw new RelocationException(sendFailure(e), e);
        } finally {
            writing = false;
        }
        String reply = readReplyOrFail("its answer to the image");
        String[] words = reply == null ? new String[0] : reply.split(" ");
        if (words.length == 3 && RelocationProtocol.RESTORED.equals(words[0])) {
            try {
                restored = true;
                return new MigrationReceipt(words[1], Integer.parseInt(words[2]));
            } catch (NumberFormatException e) {
                throw new RelocationException(destination + " answered " + RelocationProtocol.quote(reply));
            }
        }
        throw unexpected(reply, "could not restore the VM");
    }

    @Override
    public void commit() {
        if (!restored) {
            throw new IllegalStateException("commit before the destination restored the VM");
        }
        try {
            RelocationProtocol.writeLine(out, RelocationProtocol.COMMIT);
        } catch (IOException e) {
            throw new RelocationException("the connection to " + destination + " was lost: " + e.getMessage(), e);
        }
        committed = true;
        String reply = readReplyOrFail("its confirmation");
        if (!RelocationProtocol.RUNNING.equals(reply) && !RelocationProtocol.PAUSED.equals(reply)) {
            throw unexpected(reply, "did not confirm");
        }
    }

    @Override
    public void close() {
        stallCheck.cancel(false);
        if (restored && !committed) {
            try {
                RelocationProtocol.writeLine(out, RelocationProtocol.ABORT);
            } catch (IOException e) {
                LOG.warn("Could not withdraw the migration from {}: {}; it keeps the VM paused", destination,
                        e.getMessage());
            }
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the connection to {}: {}", destination, e.toString());
        }
    }

    private String readReply(String what) throws IOException {
        String line = RelocationProtocol.readLine(in, socket, System.nanoTime() + timeout.toNanos());
        if (line == null) {
            throw new IOException(destination + " closed the connection instead of sending " + what);
        }
        return line;
    }

    private String readReplyOrFail(String what) {
        try {
            return readReply(what);
        } catch (SocketTimeoutException e) {
            throw new RelocationException(destination + " did not send " + what + " within " + timeout.toSeconds()
                    + " s", e);
        } catch (IOException e) {
            throw new RelocationException(e.getMessage(), e);
        }
    }

    private RelocationException unexpected(String reply, String what) {
        String reason = RelocationProtocol.errorMessage(reply);
        if (reason != null) {
            return new RelocationException(destination + " " + what + ": " + reason);
        }
        return new RelocationException(destination + " broke the relocation protocol: it answered "
                + RelocationProtocol.quote(reply));
    }

    /**
     * Why sending stopped: the destination's own reason when it sent one before closing (it declines a corrupt
     * image at once), else what the connection says.
     */
    private String sendFailure(IOException e) {
        if (stalled) {
            return destination + " stopped reading the image for " + timeout.toSeconds() + " s";
        }
        try {
            String line = RelocationProtocol.readLine(in, socket, System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(REASON_WAIT_MS));
            String reason = RelocationProtocol.errorMessage(line);
            if (reason != null) {
                return destination + " stopped the transfer: " + reason;
            }
        } catch (IOException | RuntimeException ignored) {
            // no reason to be had
        }
        return "the connection to " + destination + " was lost while sending the image: " + e.getMessage();
    }

    /** A send blocked on a destination that does not read would never end: the socket is closed under it. */
    private void closeIfStalled() {
        if (writing && System.nanoTime() - lastProgressNanos > timeout.toNanos()) {
            stalled = true;
            LOG.warn("{} has read nothing of the image for {} s: disconnecting", destination, timeout.toSeconds());
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing a stalled connection: {}", e.toString());
            }
        }
    }

    /** The image's way into the socket; each write counts as progress for the watchdog. */
    private final class ImageChannel implements WritableByteChannel {
        private final byte[] chunk = new byte[64 << 10];

        @Override
        public int write(ByteBuffer source) throws IOException {
            int total = source.remaining();
            writing = true;
            lastProgressNanos = System.nanoTime();
            try {
                while (source.hasRemaining()) {
                    int n = Math.min(chunk.length, source.remaining());
                    source.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                    lastProgressNanos = System.nanoTime();
                }
            } catch (IOException e) {
                throw new IOException(sendFailure(e), e);
            } finally {
                writing = false;
            }
            return total;
        }

        @Override
        public boolean isOpen() {
            return !socket.isClosed();
        }

        @Override
        public void close() {
            // the migration closes the socket, not the image's writer
        }
    }
}
