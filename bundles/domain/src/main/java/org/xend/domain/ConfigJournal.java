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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

import com.sun.nio.file.ExtendedOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal of managed configurations. A change is acknowledged once its record is on disk; changes
 * made at the same time share one write (group commit). The config.sxp files are written from it afterwards, and a
 * restart replays what they may have missed.
 * <p>
 * A segment is a file of zeros allocated ahead ({@value #ALLOCATION_BYTES} bytes at a time), so a commit overwrites
 * blocks in place: no size change for the file system to journal. Records are written in whole blocks with
 * {@code O_DSYNC}, and with {@code O_DIRECT} where the file system takes it, so one write is the whole commit.
 * The first block is a header ({@code magic, version, first sequence, crc32}); then come records
 * {@code length, crc32, sequence, op, uuid (36 ASCII bytes), SXP text (UTF-8)}, the crc covering what follows it.
 * Reading stops at zeros, at a torn or damaged record, or where the sequence breaks: emptying the journal only
 * rewrites the header with the next sequence, so the records left behind it are never read again. A file without
 * the header is read in the format of earlier versions (records without a sequence).
 * <p>
 * Under steady load the files never quite catch up, so the journal cannot be emptied; instead it is rotated: the
 * records so far move to {@value #OLD_SUFFIX} beside it, new ones go to a fresh segment, and the old one is
 * retired once the files hold everything in it. A retired segment is kept as {@value #SPARE_SUFFIX} and becomes the
 * next fresh one, with a new header: its zeros were written once, and its records are never read again. A restart
 * replays the old segment, then the current one.
 */
final class ConfigJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigJournal.class);
    static final byte SAVE = 1;
    static final byte DELETE = 2;
    private static final int UUID_BYTES = 36;
    static final String OLD_SUFFIX = ".old";
    private static final String NEW_SUFFIX = ".new";
    static final String SPARE_SUFFIX = ".spare";
    private static final byte[] MAGIC = "XENDJRNL".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 2;
    /** The header's size, and the unit of every write (what O_DIRECT needs on any common disk). */
    static final int BLOCK = 4096;
    static final int ALLOCATION_BYTES = 1 << 20;
    /** length, crc32 */
    private static final int FRAME_BYTES = 8;
    /** sequence, op, uuid */
    private static final int FIXED_PAYLOAD_BYTES = 8 + 1 + UUID_BYTES;

    /** One journalled change: a config to save (text) or a VM to delete (text null). */
    record Entry(byte op, String uuid, String text) {
    }

    private final Path file;
    /** Whether segments may be opened with O_DIRECT (tests turn it off to exercise the other path). */
    private final boolean direct;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private Segment segment;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Where the next record goes in the segment. */
    private long position = BLOCK;
    private long lastSequence;
    private long durableSequence;
    private long failedSequence;
    private boolean flushing;
    /** The last sequence in the old segment, while there is one. */
    private long oldSegmentUpTo = -1;

    private ConfigJournal(Path file, boolean direct, Segment segment) {
        this.file = file;
        this.direct = direct;
        this.segment = segment;
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

    static Path spareSegment(Path file) {
        return file.resolveSibling(file.getFileName() + SPARE_SUFFIX);
    }

    /** Reads one segment; a record cut short by a crash ends the list. */
    static List<Entry> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new ArrayList<>();
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < BLOCK || !Arrays.equals(Arrays.copyOf(b.array(), MAGIC.length), MAGIC)) {
            return readUnsequenced(file, b);
        }
        long firstSequence = readHeader(file, b);
        b.position(BLOCK);
        List<Entry> out = new ArrayList<>();
        long expected = firstSequence;
        for (byte[] payload = nextPayload(file, b, FIXED_PAYLOAD_BYTES); payload != null;
                payload = nextPayload(file, b, FIXED_PAYLOAD_BYTES)) {
            ByteBuffer p = ByteBuffer.wrap(payload);
            long sequence = p.getLong();
            if (expected > 0 && sequence != expected) {
                break; // a record from before the journal was last emptied
            }
            expected = sequence + 1;
            out.add(entry(payload, 8));
        }
        return out;
    }

    /** The first sequence the header admits; 0 (any) when the header is damaged. */
    private static long readHeader(Path file, ByteBuffer b) throws IOException {
        b.position(MAGIC.length);
        int version = b.getInt();
        long firstSequence = b.getLong();
        int crc = b.getInt();
        if (crc32(Arrays.copyOfRange(b.array(), 0, MAGIC.length + 12), MAGIC.length + 12) != crc) {
            LOG.warn("The header of the configuration journal {} is damaged; reading every record in it", file);
            return 0;
        }
        if (version != FORMAT_VERSION) {
            throw new IOException("the configuration journal " + file + " has format " + version
                    + ", which this version cannot read");
        }
        return firstSequence;
    }

    /** The format of earlier versions: records without a sequence, from the first byte. */
    private static List<Entry> readUnsequenced(Path file, ByteBuffer b) {
        List<Entry> out = new ArrayList<>();
        for (byte[] payload = nextPayload(file, b, 1 + UUID_BYTES); payload != null;
                payload = nextPayload(file, b, 1 + UUID_BYTES)) {
            out.add(entry(payload, 0));
        }
        return out;
    }

    /**
     * The next record's payload, checked against its crc; null where the records end: at zeros (the rest of a
     * segment allocated ahead), or at a torn or damaged record, which is logged.
     */
    private static byte[] nextPayload(Path file, ByteBuffer b, int minLength) {
        if (b.remaining() < FRAME_BYTES) {
            return null;
        }
        int length = b.getInt();
        if (length == 0) {
            return null;
        }
        int crc = b.getInt();
        if (length < minLength || length > b.remaining()) {
            LOG.warn("Ignoring a torn record at the end of {}", file);
            return null;
        }
        byte[] payload = new byte[length];
        b.get(payload);
        if (crc32(payload, length) != crc) {
            LOG.warn("Ignoring a damaged record at the end of {}", file);
            return null;
        }
        return payload;
    }

    /** op, uuid, text from {@code offset} of a payload. */
    private static Entry entry(byte[] payload, int offset) {
        byte op = payload[offset];
        String uuid = new String(payload, offset + 1, UUID_BYTES, StandardCharsets.US_ASCII);
        int textAt = offset + 1 + UUID_BYTES;
        String text = op == SAVE ? new String(payload, textAt, payload.length - textAt, StandardCharsets.UTF_8) : null;
        return new Entry(op, uuid, text);
    }

    private static int crc32(byte[] bytes, int length) {
        CRC32 c = new CRC32();
        c.update(bytes, 0, length);
        return (int) c.getValue();
    }

    /** Opens the journal empty (its earlier records, in both segments, must have been replayed). */
    static ConfigJournal openEmpty(Path file) throws IOException {
        return openEmpty(file, true);
    }

    static ConfigJournal openEmpty(Path file, boolean direct) throws IOException {
        Path fresh = Segment.create(file.resolveSibling(file.getFileName() + NEW_SUFFIX), header(0));
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(oldSegment(file));
        Files.deleteIfExists(spareSegment(file));
        AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
        return new ConfigJournal(file, direct, Segment.open(file, direct));
    }

    /** A header block admitting records from {@code firstSequence} on (0: whatever the first record has). */
    private static byte[] header(long firstSequence) {
        ByteBuffer h = ByteBuffer.allocate(BLOCK);
        h.put(MAGIC).putInt(FORMAT_VERSION).putLong(firstSequence);
        h.putInt(crc32(h.array(), MAGIC.length + 12));
        return h.array();
    }

    /**
     * Moves the records written so far to the old segment and starts a fresh file for the next ones; records not yet
     * written go to the fresh file. Returns the last sequence in the old segment, or -1 when an old segment is
     * still there (it has to be dropped first) or rotating failed (the journal then goes on in one file).
     */
    long rotate() {
        Path old = oldSegment(file);
        Path spare = spareSegment(file);
        boolean recycled = Files.isRegularFile(spare);
        Path fresh = spare;
        if (!recycled) {
            try {
                // allocated before taking the lock: callers go on committing to the current segment meanwhile
                fresh = Segment.create(file.resolveSibling(file.getFileName() + NEW_SUFFIX), header(0));
            } catch (IOException e) {
                LOG.warn("Cannot rotate the configuration journal {}: {}", file, e.getMessage());
                return -1;
            }
        }
        lock.lock();
        try {
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            if (oldSegmentUpTo >= 0 || failedSequence > 0) {
                if (!recycled) {
                    Files.deleteIfExists(fresh);
                }
                return -1;
            }
            Segment next;
            try {
                if (recycled) {
                    // records not yet written go to the fresh segment: the first of them is the next after the durable
                    Segment.replaceHeader(fresh, header(durableSequence + 1));
                }
                Files.move(file, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(file.toAbsolutePath().getParent());
                next = Segment.open(file, direct);
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
            segment.close();
            segment = next;
            position = BLOCK;
            oldSegmentUpTo = durableSequence;
            return oldSegmentUpTo;
        } catch (IOException e) {
            LOG.debug("Cannot remove {}: {}", fresh, e.getMessage());
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the old segment's records are all in the files; it is kept as the next fresh segment. */
    private void retireOldSegment() throws IOException {
        try {
            Files.move(oldSegment(file), spareSegment(file), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(oldSegment(file));
        }
        oldSegmentUpTo = -1;
    }

    /** Drops the old segment once the files hold every change up to {@code writtenUpTo}. */
    void dropOldSegmentIfWritten(long writtenUpTo) {
        lock.lock();
        try {
            if (oldSegmentUpTo < 0 || writtenUpTo < oldSegmentUpTo) {
                return;
            }
            retireOldSegment();
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
        int length = FIXED_PAYLOAD_BYTES + body.length;
        ByteBuffer record = ByteBuffer.allocate(FRAME_BYTES + length);
        record.putInt(length).putInt(0).putLong(0).put(op).put(id).put(body);
        lock.lock();
        try {
            long sequence = lastSequence + 1;
            record.putLong(FRAME_BYTES, sequence);
            CRC32 c = new CRC32();
            c.update(record.array(), FRAME_BYTES, length);
            record.putInt(4, (int) c.getValue());
            pending.write(record.array(), 0, record.capacity());
            lastSequence = sequence;
            return sequence;
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
        Segment target = segment;
        IOException failure = null;
        lock.unlock();
        try {
            target.write(bytes, at);
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

    /**
     * Empties the journal if nothing was appended after {@code sequence} (everything up to it is in the files): the
     * header then admits only later records.
     */
    void truncateIfUpTo(long sequence) {
        lock.lock();
        try {
            if (flushing || lastSequence != sequence || durableSequence != sequence) {
                return;
            }
            if (position > BLOCK) {
                flushing = true; // appends go on into pending while the header is written
                Segment target = segment;
                IOException failure = null;
                lock.unlock();
                try {
                    target.writeHeader(header(sequence + 1));
                } catch (IOException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    flushing = false;
                    flushed.signalAll();
                }
                if (failure != null) {
                    throw failure;
                }
                position = BLOCK;
            }
            if (oldSegmentUpTo >= 0) {
                retireOldSegment();
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
            return position - BLOCK;
        } finally {
            lock.unlock();
        }
    }

    /** Where in the current segment the next record goes (tests tear records there). */
    long end() {
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
        lock.lock();
        try {
            segment.close();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One segment file, written in whole blocks in place. Only the journal's single writer at a time (the flusher,
     * or whoever empties or rotates the journal) calls it.
     */
    private static final class Segment {
        private final Path file;
        private FileChannel channel;
        private boolean direct;
        private long allocated;
        private static final byte[] ZEROS = new byte[BLOCK];
        /** What the block holding the end of the records contains, as written. */
        private final byte[] tail = new byte[BLOCK];
        private ByteBuffer buffer;

        private Segment(Path file, FileChannel channel, boolean direct, long allocated) {
            this.file = file;
            this.channel = channel;
            this.direct = direct;
            this.allocated = allocated;
        }

        /** Writes a new segment: the header and a first allocation of zeros, on disk. */
        static Path create(Path file, byte[] header) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.wrap(header), 0);
                writeFully(ch, ByteBuffer.allocate(ALLOCATION_BYTES), BLOCK);
                ch.force(true);
            }
            return file;
        }

        /** Gives a retired segment a new header, on disk; the records left in it come before the header's sequence. */
        static void replaceHeader(Path file, byte[] header) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writeFully(ch, ByteBuffer.wrap(header), 0);
                ch.force(false);
            }
        }

        static Segment open(Path file, boolean allowDirect) throws IOException {
            long size = Files.size(file);
            if (!allowDirect) {
                return new Segment(file, openBuffered(file), false, size);
            }
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC,
                        ExtendedOpenOption.DIRECT);
                return new Segment(file, ch, true, size);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("{} is written without O_DIRECT: {}", file, e.toString());
                return new Segment(file, openBuffered(file), false, size);
            }
        }

        private static FileChannel openBuffered(Path file) throws IOException {
            return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
        }

        /** Writes records at {@code at}, which is where the previous ones ended; durable on return. */
        void write(byte[] bytes, long at) throws IOException {
            long end = at + bytes.length;
            ensureAllocated(end);
            long start = at - at % BLOCK;
            int size = (int) (roundUp(end) - start);
            ByteBuffer b = buffer(size);
            b.put(tail, 0, (int) (at - start)).put(bytes).put(ZEROS, 0, size - b.position()).flip();
            writeBlocks(b, start);
            if (end % BLOCK == 0) {
                Arrays.fill(tail, (byte) 0);
            } else {
                b.get((int) (end - end % BLOCK - start), tail);
            }
        }

        /** Replaces the header block; durable on return. */
        void writeHeader(byte[] header) throws IOException {
            ByteBuffer b = buffer(BLOCK);
            b.put(header).flip();
            writeBlocks(b, 0);
            Arrays.fill(tail, (byte) 0);
        }

        private void writeBlocks(ByteBuffer b, long at) throws IOException {
            try {
                writeFully(channel, b, at);
            } catch (ClosedChannelException e) {
                // an interrupt of the writing thread closes the channel; others' changes ride on this write too
                boolean interrupted = Thread.interrupted();
                try {
                    reopen(direct);
                    writeFully(channel, b.rewind(), at);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            } catch (IOException e) {
                if (!direct) {
                    throw e;
                }
                // a file system that accepted O_DIRECT at open but not for writing
                LOG.debug("{} is written without O_DIRECT from now on: {}", file, e.toString());
                reopen(false);
                writeFully(channel, b.rewind(), at);
            }
        }

        private void reopen(boolean withDirect) throws IOException {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", file, e.getMessage());
            }
            direct = withDirect;
            channel = withDirect
                    ? FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DSYNC,
                            ExtendedOpenOption.DIRECT)
                    : openBuffered(file);
        }

        /** Zeros ahead of the records, so that committing them never changes the file's size. */
        private void ensureAllocated(long end) throws IOException {
            while (end > allocated) {
                // a new direct buffer is zeroed by the JDK; extending is rare enough not to keep one
                ByteBuffer zeros = ByteBuffer.allocateDirect(ALLOCATION_BYTES + BLOCK).alignedSlice(BLOCK);
                writeBlocks(zeros.limit(ALLOCATION_BYTES), allocated);
                allocated += ALLOCATION_BYTES;
            }
        }

        /** A cleared block-aligned direct buffer of at least {@code size} bytes, limited to it. */
        private ByteBuffer buffer(int size) {
            if (buffer == null || buffer.capacity() < size) {
                int capacity = (int) roundUp(Math.max(size, 16 * BLOCK));
                buffer = ByteBuffer.allocateDirect(capacity + BLOCK).alignedSlice(BLOCK);
            }
            buffer.clear().limit(size);
            return buffer;
        }

        private static long roundUp(long n) {
            return (n + BLOCK - 1) / BLOCK * BLOCK;
        }

        private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
            long p = at;
            while (b.hasRemaining()) {
                p += ch.write(b, p);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", file, e.getMessage());
            }
        }
    }
}
