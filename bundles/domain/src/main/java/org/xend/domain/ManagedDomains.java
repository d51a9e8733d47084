package org.xend.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.store.Refs;

/**
 * Managed domains on disk, as Xend kept them: {@code <state>/domains/<uuid>/config.sxp} (directory 0700).
 * A config whose uuid differs from its directory name is skipped, as in Xend.
 */
final class ManagedDomains {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedDomains.class);
    static final String CONFIG_FILE = "config.sxp";

    static final String CHECKPOINT_FILE = "checkpoint.chk";
    static final String JOURNAL_FILE = "journal";
    /** How long the file writer lets changes gather before it forces a batch of them to disk. */
    private static final long DEFAULT_LINGER_NANOS = 50_000_000L;
    /** Past this size, a journal the files never quite catch up with is rotated. */
    private static final long COMPACT_JOURNAL_BYTES = 1 << 20;

    private final Path domainsDir;
    private final Path dumpDir;
    private final ConfigFormat sxp;
    private final FileWriter writer = new FileWriter();
    private volatile ConfigJournal journal;

    private final long lingerNanos;

    ManagedDomains(Path stateDir, ConfigFormat sxp) {
        this(stateDir, sxp, DEFAULT_LINGER_NANOS);
    }

    /** With how long the file writer lets changes gather (tests use a long one to play a crash). */
    ManagedDomains(Path stateDir, ConfigFormat sxp, long lingerNanos) {
        this.lingerNanos = lingerNanos;
        this.domainsDir = stateDir.resolve("domains");
        this.dumpDir = stateDir.resolve("dump");
        this.sxp = sxp;
    }

    /** Where a managed VM's suspend image lives. */
    Path checkpoint(String uuid) {
        return directory(uuid).resolve(CHECKPOINT_FILE);
    }

    /** A new core dump file for a domain, under {@code <state>/dump/}. */
    Path newDumpFile(String name, int domid) throws IOException {
        AtomicFiles.ensurePrivateDirectory(dumpDir);
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
                .format(java.time.LocalDateTime.now());
        return dumpDir.resolve(stamp + "." + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "." + domid + ".core");
    }

    /** The configuration as SXP text, stored in save images. */
    String format(VmConfig config) {
        return sxp.write(config);
    }

    VmConfig parse(String text) throws ConfigException {
        return sxp.read(text);
    }

    Path directory(String uuid) {
        return domainsDir.resolve(uuid);
    }

    /**
     * Saves a managed VM's configuration. The change is durable in the journal when this returns, group-committed
     * with concurrent saves; the writer thread then replaces config.sxp (whole, never torn) and forces it to disk,
     * after which the journal no longer needs it.
     */
    void save(VmConfig config) throws IOException {
        // the journal takes the one-line form, cheap to print; config.sxp gets the laid-out one, off the caller's path
        journalled(ConfigJournal.SAVE, (String) config.fields().get("uuid"), sxp.writeCompact(config), config);
    }

    /** Forgets a managed VM: the removal is durable in the journal on return; the writer removes its directory. */
    void delete(String uuid) throws IOException {
        journalled(ConfigJournal.DELETE, uuid, null, null);
    }

    /** Records a change in the journal, hands it to the file writer in journal order, and waits until it is durable. */
    private void journalled(byte op, String uuid, String record, VmConfig config) throws IOException {
        ConfigJournal j = journal();
        long sequence;
        synchronized (writer.order) {
            sequence = j.append(op, uuid, record);
            writer.submit(uuid, sequence, config);
        }
        j.awaitDurable(sequence);
    }

    /** What config.sxp holds for a journalled configuration: laid out as Xend writes it, else the record itself. */
    private String configFileText(String record) {
        try {
            return sxp.write(sxp.read(record));
        } catch (ConfigException | RuntimeException e) {
            LOG.warn("A journalled configuration did not read back ({}); it is written as it was recorded",
                    e.getMessage());
            return record;
        }
    }

    /** Waits until the files show every change made so far (tests, and readers of config.sxp that cannot wait). */
    void awaitFiles() {
        writer.awaitIdle();
    }

    /** Makes sure a VM's directory exists now (for files written beside config.sxp, such as a checkpoint). */
    void ensureDirectory(String uuid) throws IOException {
        AtomicFiles.ensurePrivateDirectory(domainsDir);
        AtomicFiles.ensurePrivateDirectory(directory(uuid));
    }

    private ConfigJournal journal() throws IOException {
        ConfigJournal j = journal;
        if (j == null) {
            throw new IOException("the managed domains in " + domainsDir + " are not loaded");
        }
        return j;
    }

    /**
     * Every readable managed config, with what the journal of an earlier run holds on top (replayed into the files
     * first); unreadable configs are logged and left on disk untouched. Then opens the journal for this run.
     */
    List<VmConfig> loadAll() {
        try {
            AtomicFiles.ensurePrivateDirectory(domainsDir);
            for (ConfigJournal.Entry e : ConfigJournal.readAll(domainsDir.resolve(JOURNAL_FILE))) {
                if (e.op() == ConfigJournal.SAVE) {
                    ensureDirectory(e.uuid());
                    AtomicFiles.write(directory(e.uuid()).resolve(CONFIG_FILE), configFileText(e.text()));
                } else {
                    AtomicFiles.deleteTree(directory(e.uuid()));
                }
            }
            journal = ConfigJournal.openEmpty(domainsDir.resolve(JOURNAL_FILE));
        } catch (IOException e) {
            LOG.error("Cannot replay or open the configuration journal in {}: {}; managed VMs cannot be saved",
                    domainsDir, e.getMessage());
        }
        writer.start();
        return readConfigs();
    }

    private List<VmConfig> readConfigs() {
        List<VmConfig> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(domainsDir)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                Path file = dir.resolve(CONFIG_FILE);
                if (!Refs.isUuid(name) || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    VmConfig cfg = sxp.read(Files.readString(file, StandardCharsets.UTF_8));
                    if (!name.equals(cfg.fields().get("uuid"))) {
                        LOG.warn("Skipping {}: its uuid {} is not its directory name", file, cfg.fields().get("uuid"));
                        continue;
                    }
                    out.add(cfg);
                } catch (ConfigException | IOException | RuntimeException e) {
                    LOG.error("Skipping managed domain {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list managed domains in {}: {}", domainsDir, e.getMessage());
        }
        return out;
    }

    /** Forces every pending change to disk, empties the journal and closes it. */
    void close() {
        writer.stop();
        ConfigJournal j = journal;
        if (j != null) {
            j.truncateIfUpTo(writer.written());
            j.close();
        }
    }

    /**
     * Forces the files of changed VMs to disk behind the journal, in batches: it lingers a moment after a change so
     * that changes to the same VM collapse into one, and a VM created and deleted meanwhile costs no file work at
     * all. One sync of the domains directory covers a batch. Once it has caught up with every change, the journal
     * is emptied; after a failure the journal is kept for the next start to replay.
     */
    private final class FileWriter implements Runnable {
        /** The latest change per VM not yet in the files (config null: removed); a removal before it is carried along. */
        private record Change(long sequence, VmConfig config, boolean removeFirst) {
        }

        private final Map<String, Change> latest = new LinkedHashMap<>();
        /** Changes reach the writer in journal order, so a batch holds every change up to its last one. */
        final Object order = new Object();
        private boolean busy;
        private long writtenUpTo;
        private boolean journalNeeded;
        private boolean stopping;
        private Thread thread;

        synchronized void start() {
            if (thread == null) {
                thread = new Thread(this, "xend-config-writer");
                thread.setDaemon(true);
                thread.start();
            }
        }

        synchronized void submit(String uuid, long sequence, VmConfig config) {
            boolean idle = latest.isEmpty();
            Change before = latest.remove(uuid);
            boolean removeFirst = config == null
                    || (before != null && (before.config() == null || before.removeFirst()));
            latest.put(uuid, new Change(sequence, config, removeFirst));
            if (idle) {
                notifyAll(); // a lingering writer needs no wake-up
            }
        }

        synchronized void awaitIdle() {
            while ((busy || !latest.isEmpty()) && thread != null && thread.isAlive()) {
                waitQuietly(10);
            }
        }

        /** Up to which change the files are on disk; -1 when a failed write keeps the journal needed. */
        synchronized long written() {
            return journalNeeded ? -1 : writtenUpTo;
        }

        /** Stops after writing everything submitted. */
        void stop() {
            Thread t;
            synchronized (this) {
                stopping = true;
                notifyAll();
                t = thread;
            }
            if (t != null) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                Map<String, Change> batch;
                synchronized (this) {
                    busy = false;
                    notifyAll();
                    while (latest.isEmpty() && !stopping) {
                        waitQuietly(0);
                    }
                    if (latest.isEmpty()) {
                        return;
                    }
                    busy = true;
                    long deadline = System.nanoTime() + lingerNanos;
                    for (long left = lingerNanos; !stopping && left > 0;
                            left = deadline - System.nanoTime()) {
                        waitQuietly(Math.max(1, left / 1_000_000));
                    }
                    batch = new LinkedHashMap<>(latest);
                    latest.clear();
                }
                boolean written = writeBatch(batch);
                long upTo = batch.values().stream().mapToLong(Change::sequence).max().orElse(0);
                boolean caughtUp;
                boolean keepJournal;
                synchronized (this) {
                    journalNeeded |= !written;
                    keepJournal = journalNeeded;
                    writtenUpTo = Math.max(writtenUpTo, upTo);
                    caughtUp = latest.isEmpty();
                }
                ConfigJournal j = journal;
                if (j == null || keepJournal) {
                    continue; // after a failed write every record stays for the next start to replay
                }
                if (caughtUp) {
                    j.truncateIfUpTo(upTo);
                    continue;
                }
                // under steady load the files are never quite caught up: the journal is rotated instead of emptied
                j.dropOldSegmentIfWritten(upTo);
                if (j.size() > COMPACT_JOURNAL_BYTES) {
                    j.rotate();
                }
            }
        }

        /** Brings each VM's files in line with its latest change, on disk; a VM both made and removed costs nothing. */
        private boolean writeBatch(Map<String, Change> batch) {
            boolean written = true;
            for (Map.Entry<String, Change> e : batch.entrySet()) {
                String uuid = e.getKey();
                Change change = e.getValue();
                try {
                    if (change.removeFirst()) {
                        AtomicFiles.deleteTree(directory(uuid));
                    }
                    if (change.config() != null) {
                        ensureDirectory(uuid);
                        AtomicFiles.write(directory(uuid).resolve(CONFIG_FILE), sxp.write(change.config()));
                    }
                } catch (IOException | RuntimeException failure) {
                    LOG.error("Cannot write the saved state of VM {}: {}; the journal keeps it", uuid,
                            failure.getMessage());
                    written = false;
                }
            }
            try {
                AtomicFiles.fsyncDirectory(domainsDir);
            } catch (IOException | RuntimeException e) {
                LOG.error("Cannot sync {}: {}; the journal keeps the changes", domainsDir, e.getMessage());
                written = false;
            }
            return written;
        }

        /** Called holding the monitor; a stop request ends the wait. */
        private void waitQuietly(long millis) {
            try {
                wait(millis);
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

}
