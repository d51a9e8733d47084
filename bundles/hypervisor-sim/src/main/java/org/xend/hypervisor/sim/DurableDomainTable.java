package org.xend.hypervisor.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.hypervisor.HypervisorException;

/**
 * The domain table on disk: a snapshot ({@value #SNAPSHOT}, replaced atomically) and a journal
 * ({@value #JOURNAL}) of the changes since, each a whole domain record or a removal, with a sequence number and a
 * CRC. Callers waiting at the same time share one write (group commit): the first waiter writes everything recorded
 * so far while the others wait for it. When the journal grows past {@value #COMPACT_BYTES} bytes the next write is
 * a new snapshot instead, after which the journal starts empty.
 * <p>
 * The table is the hypervisor's memory, and Xen's domains outlive the toolstack but not the host. So a change is
 * kept once its journal record is written (the kernel holds it even if the daemon is killed), and it is not forced
 * to disk: a table written before the host last booted ({@value #HOST_BOOT} differs from the kernel's boot id) is
 * not taken over, as no domain survives a reboot of a Xen host. Where the boot cannot be identified every write is
 * forced to disk instead.
 * <p>
 * Reading stops at the first incomplete or damaged journal record: a crash can only tear the last write, whose
 * callers were never told it succeeded. The snapshot, taken from a mirror of the recorded changes, always holds
 * exactly the changes up to its sequence number; journal records at or below it are skipped.
 */
final class DurableDomainTable implements DomainTable {
    static final String SNAPSHOT = "domains.table";
    static final String JOURNAL = "domains.journal";
    static final long COMPACT_BYTES = 1 << 20;
    static final String HOST_BOOT = "host.boot";
    private static final Path KERNEL_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private static final Logger LOG = LoggerFactory.getLogger(DurableDomainTable.class);
    private static final byte[] MAGIC = "XSIMDOMT".getBytes(StandardCharsets.US_ASCII);
    /** Version 2 records carry the domains' {@link DomainControls}; version 1 tables are still read. */
    private static final int FORMAT_VERSION = 2;
    private static final int FORMAT_VERSION_WITHOUT_CONTROLS = 1;
    private static final int MAX_RECORD_BYTES = 1 << 20;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;
    private static final byte POSITION = 3;
    /** A whole domain record with its controls (PUT records of version 1 tables have none). */
    private static final byte PUT_WITH_CONTROLS = 4;

    /** What a state directory held: the domains, where domain id allocation was, and the last change's number. */
    record Contents(List<DomainRecord> domains, int lastDomid, long sequence) {
        static final Contents EMPTY = new Contents(List.of(), 0, 0);
    }

    private final Path directory;
    private final boolean forceWrites;
    private volatile FileChannel journal;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();

    // guarded by lock
    private final Map<Integer, DomainRecord> mirror = new HashMap<>();
    private int lastDomid;
    private long lastSequence;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long durableSequence;
    private long failedSequence;
    private boolean flushing;
    private boolean snapshotNeeded;
    private long journalBytes;
    private boolean closed;
    private long forcedWrites;

    private DurableDomainTable(Path directory, FileChannel journal, Collection<DomainRecord> domains, int lastDomid,
                               long sequence, boolean forceWrites) {
        this.directory = directory;
        this.forceWrites = forceWrites;
        this.journal = journal;
        domains.forEach(d -> mirror.put(d.domid(), d));
        this.lastDomid = lastDomid;
        this.lastSequence = sequence;
        this.durableSequence = sequence;
    }

    /**
     * Starts a table from the given contents: writes them as the snapshot and empties the journal, so that
     * nothing torn from an earlier run stays in front of new records.
     */
    static DurableDomainTable open(Path directory, Collection<DomainRecord> domains, int lastDomid, long sequence)
            throws IOException {
        return open(directory, domains, lastDomid, sequence, currentBoot());
    }

    /** As {@link #open(Path, Collection, int, long)}, on the host boot given (empty: unknown). */
    static DurableDomainTable open(Path directory, Collection<DomainRecord> domains, int lastDomid, long sequence,
                                   Optional<String> boot) throws IOException {
        Files.createDirectories(directory);
        writeSnapshot(directory, domains, lastDomid, sequence);
        if (boot.isPresent()) {
            AtomicFiles.write(directory.resolve(HOST_BOOT), (boot.get() + "\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            Files.deleteIfExists(directory.resolve(HOST_BOOT));
        }
        FileChannel journal = FileChannel.open(directory.resolve(JOURNAL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            journal.truncate(0);
            journal.force(true);
            AtomicFiles.forceDirectory(directory);
        } catch (IOException e) {
            journal.close();
            throw e;
        }
        return new DurableDomainTable(directory, journal, domains, lastDomid, sequence, boot.isEmpty());
    }

    /**
     * Reads the table a state directory holds. Never throws: a damaged snapshot is logged, set aside with the
     * journal (as {@code *.corrupt}) and the table starts empty; a damaged journal tail is logged and ignored.
     */
    static Contents load(Path directory) {
        return load(directory, currentBoot());
    }

    /** As {@link #load(Path)}, on the host boot given (empty: unknown, the table is taken as it is). */
    static Contents load(Path directory, Optional<String> boot) {
        Optional<String> writtenOn = readBoot(directory.resolve(HOST_BOOT));
        if (boot.isPresent() && writtenOn.isPresent() && !boot.equals(writtenOn)) {
            LOG.info("the simulated host has rebooted since its domain table in {} was written: its domains are gone, "
                    + "as a Xen host's are after a reboot", directory);
            return Contents.EMPTY;
        }
        Path snapshotFile = directory.resolve(SNAPSHOT);
        Path journalFile = directory.resolve(JOURNAL);
        Map<Integer, DomainRecord> domains = new HashMap<>();
        int lastDomid;
        long sequence;
        try {
            byte[] snapshot = readIfPresent(snapshotFile);
            if (snapshot == null) {
                lastDomid = 0;
                sequence = 0;
            } else {
                Contents read = parseSnapshot(snapshot);
                read.domains().forEach(d -> domains.put(d.domid(), d));
                lastDomid = read.lastDomid();
                sequence = read.sequence();
            }
        } catch (IOException e) {
            LOG.error("the simulated hypervisor's domain table {} is unreadable ({}); starting with no domains, "
                    + "the damaged files are kept as *.corrupt", snapshotFile, e.getMessage());
            setAside(snapshotFile);
            setAside(journalFile);
            return Contents.EMPTY;
        }
        byte[] changes;
        try {
            changes = readIfPresent(journalFile);
        } catch (IOException e) {
            LOG.error("cannot read the domain table journal {}: {}; using the snapshot alone", journalFile,
                    e.getMessage());
            changes = null;
        }
        if (changes == null) {
            return new Contents(List.copyOf(domains.values()), lastDomid, sequence);
        }
        int[] position = {lastDomid};
        long last = replay(changes, domains, position, sequence);
        return new Contents(List.copyOf(domains.values()), position[0], last);
    }

    @Override
    public long put(DomainRecord domain, int newLastDomid) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            mirror.put(domain.domid(), domain);
            return append(PUT_WITH_CONTROLS, newLastDomid, out -> DomainCodec.write(out, domain));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long remove(int domid) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            mirror.remove(domid);
            return append(REMOVE, UNCHANGED, out -> out.writeInt(domid));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long position(int newLastDomid) {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            return append(POSITION, newLastDomid, out -> { });
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitDurable(long ticket) {
        lock.lock();
        try {
            while (durableSequence < ticket) {
                if (ticket <= failedSequence) {
                    throw new HypervisorException("the simulated hypervisor could not write its domain table in "
                            + directory + "; the change is in effect but may not survive a restart", Errno.EIO);
                }
                if (closed) {
                    return; // the final snapshot holds every change recorded before the close
                }
                if (flushing) {
                    flushed.awaitUninterruptibly();
                } else {
                    flushLocked();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(Collection<DomainRecord> domains, int finalLastDomid) {
        lock.lock();
        try {
            while (flushing) {
                flushed.awaitUninterruptibly();
            }
            if (closed) {
                return;
            }
            closed = true;
            pending.reset();
            try {
                writeSnapshot(directory, domains, finalLastDomid, lastSequence);
                journal.truncate(0);
                journal.force(true);
                durableSequence = lastSequence;
            } catch (IOException e) {
                LOG.error("cannot write the final domain table in {}: {}; the journal keeps the last changes",
                        directory, e.getMessage());
            }
            flushed.signalAll();
        } finally {
            lock.unlock();
            closeQuietly();
        }
    }

    /** Called holding the lock, which it gives up while writing. */
    private void flushLocked() {
        flushing = true;
        long upTo = lastSequence;
        boolean compact = snapshotNeeded || journalBytes + pending.size() > COMPACT_BYTES;
        List<DomainRecord> domains = compact ? new ArrayList<>(mirror.values()) : null;
        int position = lastDomid;
        byte[] records = compact ? null : pending.toByteArray();
        pending.reset();
        Exception failure = null;
        lock.unlock();
        try {
            try {
                write(compact, domains, position, upTo, records);
            } catch (ClosedChannelException e) {
                // An interrupt of the writing thread closes the channel (NIO's rule); the change is not the
                // interrupted caller's alone, so reopen the journal and write again, interrupt status kept aside.
                boolean interrupted = Thread.interrupted();
                try {
                    journal = FileChannel.open(directory.resolve(JOURNAL), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
                    write(compact, domains, position, upTo, records);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            lock.lock();
        }
        flushing = false;
        if (failure == null) {
            forcedWrites++;
            durableSequence = Math.max(durableSequence, upTo);
            journalBytes = compact ? 0 : journalBytes + records.length;
            snapshotNeeded = false;
        } else {
            LOG.error("cannot write the simulated hypervisor's domain table in {}: {}", directory,
                    failure.toString());
            failedSequence = upTo;
            // what was in the failed write is only in the mirror now: the next write is a whole snapshot
            snapshotNeeded = true;
        }
        flushed.signalAll();
    }

    private void write(boolean compact, List<DomainRecord> domains, int position, long upTo, byte[] records)
            throws IOException {
        if (compact) {
            writeSnapshot(directory, domains, position, upTo);
            journal.truncate(0);
            journal.force(true);
        } else {
            AtomicFiles.writeFully(journal, ByteBuffer.wrap(records), journalBytes);
            if (forceWrites) {
                journal.force(false);
            }
        }
    }

    /** The kernel's id of this boot of the host, if it has one. */
    static Optional<String> currentBoot() {
        return readBoot(KERNEL_BOOT_ID);
    }

    private static Optional<String> readBoot(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** How many writes were made for changes (group commits and compactions), for diagnostics. */
    long forcedWrites() {
        lock.lock();
        try {
            return forcedWrites;
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    private interface Payload {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private long append(byte type, int newLastDomid, Payload payload) {
        long sequence = ++lastSequence;
        if (newLastDomid != UNCHANGED) {
            lastDomid = newLastDomid;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(body)) {
            out.writeLong(sequence);
            out.writeByte(type);
            out.writeInt(newLastDomid);
            payload.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a domain table record", e);
        }
        byte[] bytes = body.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        DataOutputStream out = new DataOutputStream(pending);
        try {
            out.writeInt(bytes.length);
            out.writeInt((int) crc.getValue());
            out.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot buffer a domain table record", e);
        }
        return sequence;
    }

    private static long replay(byte[] journal, Map<Integer, DomainRecord> domains, int[] lastDomid, long sequence) {
        ByteBuffer buffer = ByteBuffer.wrap(journal);
        long last = sequence;
        while (buffer.remaining() > 0) {
            int offset = buffer.position();
            String damage = null;
            if (buffer.remaining() < 8) {
                damage = "an incomplete record header";
            } else {
                int length = buffer.getInt();
                int expectedCrc = buffer.getInt();
                if (length <= 0 || length > MAX_RECORD_BYTES || length > buffer.remaining()) {
                    damage = "a record of impossible length " + length;
                } else {
                    byte[] body = new byte[length];
                    buffer.get(body);
                    CRC32 crc = new CRC32();
                    crc.update(body);
                    if ((int) crc.getValue() != expectedCrc) {
                        damage = "a record with a bad checksum";
                    } else {
                        try {
                            long applied = apply(body, domains, lastDomid, last);
                            if (applied < 0) {
                                damage = "a record out of sequence";
                            } else {
                                last = applied;
                            }
                        } catch (IOException e) {
                            damage = "an unreadable record (" + e.getMessage() + ")";
                        }
                    }
                }
            }
            if (damage != null) {
                LOG.warn("domain table journal ends with {} at offset {}; the change it held was never "
                        + "acknowledged and is ignored", damage, offset);
                break;
            }
        }
        return last;
    }

    /** Applies one journal record; returns its sequence number, or -1 if it does not follow {@code last}. */
    private static long apply(byte[] body, Map<Integer, DomainRecord> domains, int[] lastDomid, long last)
            throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        long sequence = in.readLong();
        byte type = in.readByte();
        int position = in.readInt();
        if (sequence <= last) {
            // already in the snapshot: a compaction was cut short before it emptied the journal
            return last;
        }
        if (sequence != last + 1) {
            return -1;
        }
        switch (type) {
            case PUT, PUT_WITH_CONTROLS -> {
                DomainRecord domain = DomainCodec.read(in, type == PUT_WITH_CONTROLS);
                domains.put(domain.domid(), domain);
            }
            case REMOVE -> domains.remove(in.readInt());
            case POSITION -> { }
            default -> throw new IOException("unknown record type " + type);
        }
        if (position != UNCHANGED) {
            if (position < 0 || position >= SimHypervisor.DOMID_FIRST_RESERVED) {
                throw new IOException("bad domain id position " + position);
            }
            lastDomid[0] = position;
        }
        return sequence;
    }

    private static void writeSnapshot(Path directory, Collection<DomainRecord> domains, int lastDomid, long sequence)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512 + 256 * domains.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeLong(sequence);
            out.writeInt(lastDomid);
            out.writeInt(domains.size());
            for (DomainRecord domain : domains) {
                DomainCodec.write(out, domain);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        new DataOutputStream(bytes).writeInt((int) crc.getValue());
        AtomicFiles.write(directory.resolve(SNAPSHOT), bytes.toByteArray());
    }

    private static Contents parseSnapshot(byte[] bytes) throws IOException {
        if (bytes.length < MAGIC.length + 4 + 8 + 4 + 4 + 4
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException("not a domain table");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IOException("checksum mismatch");
        }
        DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length - 4));
        try {
            int version = in.readInt();
            if (version != FORMAT_VERSION && version != FORMAT_VERSION_WITHOUT_CONTROLS) {
                throw new IOException("unsupported format version " + version);
            }
            long sequence = in.readLong();
            int lastDomid = in.readInt();
            if (lastDomid < 0 || lastDomid >= SimHypervisor.DOMID_FIRST_RESERVED) {
                throw new IOException("bad domain id position " + lastDomid);
            }
            int count = in.readInt();
            if (count < 0 || count > SimHypervisor.DOMID_FIRST_RESERVED) {
                throw new IOException("bad domain count " + count);
            }
            List<DomainRecord> domains = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                domains.add(DomainCodec.read(in, version == FORMAT_VERSION));
            }
            if (in.available() != 0) {
                throw new IOException(in.available() + " stray bytes after the domains");
            }
            return new Contents(domains, lastDomid, sequence);
        } catch (EOFException e) {
            throw new IOException("truncated", e);
        }
    }

    private static byte[] readIfPresent(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void setAside(Path file) {
        try {
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".corrupt"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot set aside {}: {}", file, e.getMessage());
        }
    }

    private void closeQuietly() {
        try {
            journal.close();
        } catch (IOException e) {
            LOG.debug("closing the domain table journal: {}", e.getMessage());
        }
    }
}
