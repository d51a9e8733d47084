package org.xend.domain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal of managed configurations. A change is acknowledged once its record is on disk; changes
 * made at the same time share one sync (group commit). The config.sxp files are written from it afterwards, and a
 * restart replays what they may have missed.
 * A record is {@code length, crc32, op, uuid (36 ASCII bytes), SXP text (UTF-8)}; a torn tail is ignored.
 * <p>
 * Under steady load the files never quite catch up, so the journal cannot be emptied; instead it is rotated: the
 * records so far move to {@value #OLD_SUFFIX} beside it, new ones go to a fresh file, and the old segment is
 * dropped once the files hold everything in it. A restart replays the old segment, then the current one.
 */
final class ConfigJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigJournal.class);
    static final byte SAVE = 1;
    static final byte DELETE = 2;
    private static final int UUID_BYTES = 36;
    static final String OLD_SUFFIX = ".old";

    /** One journalled change: a config to save (text) or a VM to delete (text null). */
    record Entry(byte op, String uuid, String text) {
    }

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private FileChannel channel;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long position;
    private long lastSequence;
    private long durableSequence;
    private long failedSequence;
    private boolean flushing;
    /** The last sequence in the old segment, while there is one. */
    private long oldSegmentUpTo = -1;

    private ConfigJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Reads what a previous run left, the old segment first, for replay; a record cut short by a crash ends each. */
    static List<Entry> readAll(Path file) throws IOException {
        List<Entry> out = read(oldSegment(file));
        out.addAll(read(file));
        return out;
    }

    static Path oldSegment(Path file) {
        return file.resolveSibling(file.getFileName() + OLD_SUFFIX);
    }

    /** Reads one segment; a record cut short by a crash ends the list. */
    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        while (b.remaining() >= 8) {
            int length = b.getInt();
            int crc = b.getInt();
            if (length < 1 + UUID_BYTES || length > b.remaining()) {
                LOG.warn("Ignoring a torn record at the end of {}", file);
                break;
            }
            byte[] payload = new byte[length];
            b.get(payload);
            CRC32 c = new CRC32();
            c.update(payload);
            if ((int) c.getValue() != crc) {
                LOG.warn("Ignoring a damaged record at the end of {}", file);
                break;
            }
            String uuid = new String(payload, 1, UUID_BYTES, StandardCharsets.US_ASCII);
            String text = payload[0] == SAVE
                    ? new String(payload, 1 + UUID_BYTES, length - 1 - UUID_BYTES, StandardCharsets.UTF_8) : null;
            out.add(new Entry(payload[0], uuid, text));
        }
        return out;
    }

    /** Opens the journal empty (its earlier records, in both segments, must have been replayed). */
    static ConfigJournal openEmpty(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.truncate(0);
        ch.force(true);
        Files.deleteIfExists(oldSegment(file));
        return new ConfigJournal(file, ch);
    }

    /**
     * Moves the records written so far to the old segment and starts a fresh file for the next ones; records not yet
     * written go to the fresh file. Returns the last sequence in the old segment, or -1 when an old segment is
     * still there (it has to be dropped first) or rotating failed (the journal then goes on in one file).
     */
    long rotate() {
        lock.lock();
        try {
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            if (oldSegmentUpTo >= 0 || failedSequence > 0) {
                return -1;
            }
            Path old = oldSegment(file);
            FileChannel fresh;
            try {
                Files.move(file, old, StandardCopyOption.ATOMIC_MOVE);
                fresh = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                LOG.warn("Cannot rotate the configuration journal {}: {}", file, e.getMessage());
                if (Files.exists(old) && !Files.exists(file)) {
                    try {
                        Files.move(old, file, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException again) {
                        LOG.error("Cannot put the configuration journal {} back: {}", file, again.getMessage());
                    }
                }
                return -1;
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing the old segment of {}: {}", file, e.getMessage());
            }
            channel = fresh;
            position = 0;
            oldSegmentUpTo = durableSequence;
            return oldSegmentUpTo;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the old segment once the files hold every change up to {@code writtenUpTo}. */
    void dropOldSegmentIfWritten(long writtenUpTo) {
        lock.lock();
        try {
            if (oldSegmentUpTo < 0 || writtenUpTo < oldSegmentUpTo) {
                return;
            }
            Files.deleteIfExists(oldSegment(file));
            oldSegmentUpTo = -1;
        } catch (IOException e) {
            LOG.warn("Cannot drop the old segment of {}: {}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Queues a change and returns its sequence number; {@link #awaitDurable} makes it durable. */
    long append(byte op, String uuid, String text) {
        byte[] id = uuid.getBytes(StandardCharsets.US_ASCII);
        if (id.length != UUID_BYTES) {
            throw new IllegalArgumentException("not a uuid: " + uuid);
        }
        byte[] body = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(1 + UUID_BYTES + body.length);
        payload.put(op).put(id).put(body);
        CRC32 c = new CRC32();
        c.update(payload.array());
        ByteBuffer record = ByteBuffer.allocate(8 + payload.capacity());
        record.putInt(payload.capacity()).putInt((int) c.getValue()).put(payload.array());
        lock.lock();
        try {
            pending.write(record.array(), 0, record.capacity());
            return ++lastSequence;
        } finally {
            lock.unlock();
        }
    }

    /** Returns once the change {@code sequence} is on disk; one caller writes for all who wait meanwhile. */
    void awaitDurable(long sequence) throws IOException {
        lock.lock();
        try {
            while (durableSequence < sequence) {
                if (sequence <= failedSequence) {
                    throw new IOException("the configuration journal " + file + " could not be written");
                }
                if (flushing) {
                    flushed.awaitUninterruptibly();
                } else {
                    flush();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called holding the lock, which it gives up while writing. */
    private void flush() {
        flushing = true;
        long upTo = lastSequence;
        byte[] bytes = pending.toByteArray();
        pending = new ByteArrayOutputStream();
        long at = position;
        IOException failure = null;
        lock.unlock();
        try {
            try {
                write(bytes, at);
            } catch (ClosedChannelException e) {
                // an interrupt of the writing thread closes the channel; others' changes ride on this write too
                boolean interrupted = Thread.interrupted();
                try {
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    write(bytes, at);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.lock();
        }
        flushing = false;
        if (failure == null) {
            position = at + bytes.length;
            durableSequence = upTo;
        } else {
            LOG.error("Cannot write the configuration journal {}: {}", file, failure.toString());
            failedSequence = upTo;
        }
        flushed.signalAll();
    }

    private void write(byte[] bytes, long at) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long p = at;
        while (b.hasRemaining()) {
            p += channel.write(b, p);
        }
        channel.force(false);
    }

    /** Empties the journal if nothing was appended after {@code sequence} (everything up to it is in the files). */
    void truncateIfUpTo(long sequence) {
        lock.lock();
        try {
            if (flushing || lastSequence != sequence || durableSequence != sequence) {
                return;
            }
            channel.truncate(0);
            channel.force(true);
            position = 0;
            if (oldSegmentUpTo >= 0) {
                Files.deleteIfExists(oldSegment(file));
                oldSegmentUpTo = -1;
            }
        } catch (IOException e) {
            LOG.warn("Cannot empty the configuration journal {}: {}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** How many bytes of records the journal holds on disk. */
    long size() {
        lock.lock();
        try {
            return position;
        } finally {
            lock.unlock();
        }
    }

    long lastSequence() {
        lock.lock();
        try {
            return lastSequence;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing {}: {}", file, e.getMessage());
        }
    }
}
