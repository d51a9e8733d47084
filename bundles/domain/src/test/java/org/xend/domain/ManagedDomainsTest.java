package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.store.Refs;
import org.xend.config.sxp.SxpConfigFormat;

/** Saved configurations: the journal makes a save durable, and a restart replays what the files missed. */
class ManagedDomainsTest {

    @TempDir
    Path state;

    private static VmConfig config(String uuid, String name) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uuid", uuid);
        f.put("name_label", name);
        f.put("memory_static_max", 64L << 20);
        f.put("memory_dynamic_max", 64L << 20);
        return new VmConfig(f, Map.of(), List.of());
    }

    @Test
    void aChangeIsDurableWhenTheCallReturnsBeforeItsFileIsWritten() throws Exception {
        SxpConfigFormat sxp = new SxpConfigFormat();
        String kept = Refs.newRef();
        String gone = Refs.newRef();
        ManagedDomains crashing = new ManagedDomains(state, sxp, TimeUnit.HOURS.toNanos(1));
        assertEquals(List.of(), crashing.loadAll());
        crashing.save(config(kept, "kept"));
        crashing.save(config(gone, "gone"));
        crashing.delete(gone);
        assertFalse(Files.exists(state.resolve("domains").resolve(kept)), "the file writer has not run yet");
        String record = ConfigJournal.readAll(state.resolve("domains").resolve("journal")).get(0).text();
        assertEquals(sxp.writeCompact(config(kept, "kept")), record, "the journal holds the one-line form");
        assertFalse(record.contains("\n"), record);

        // the daemon dies here; the next start replays the journal into the files, laid out as Xend writes them
        ManagedDomains next = new ManagedDomains(state, sxp);
        assertEquals(List.of(kept), next.loadAll().stream().map(c -> c.fields().get("uuid")).toList());
        assertEquals(sxp.write(config(kept, "kept")),
                Files.readString(state.resolve("domains").resolve(kept).resolve("config.sxp")));
        assertFalse(Files.exists(state.resolve("domains").resolve(gone)));
        next.close();
    }

    @Test
    void theFilesFollowTheJournalAndTheJournalEmptiesOnClose() throws Exception {
        SxpConfigFormat sxp = new SxpConfigFormat();
        String kept = Refs.newRef();
        String gone = Refs.newRef();
        ManagedDomains domains = new ManagedDomains(state, sxp);
        domains.loadAll();
        domains.save(config(kept, "kept"));
        domains.save(config(gone, "gone"));
        domains.awaitFiles();
        assertTrue(Files.isRegularFile(state.resolve("domains").resolve(gone).resolve("config.sxp")));
        domains.delete(gone);
        domains.awaitFiles();
        assertEquals(sxp.write(config(kept, "kept")),
                Files.readString(state.resolve("domains").resolve(kept).resolve("config.sxp")),
                "config.sxp is laid out as Xend writes it");
        assertFalse(Files.exists(state.resolve("domains").resolve(gone)));
        domains.close();
        assertEquals(List.of(), ConfigJournal.readAll(state.resolve("domains").resolve("journal")),
                "a closed journal whose changes are all in the files is empty");
        assertEquals(1, new ManagedDomains(state, sxp).loadAll().size());
    }

    @Test
    void aRestartReplaysWhatTheFilesMissed() throws Exception {
        SxpConfigFormat sxp = new SxpConfigFormat();
        String lostFile = Refs.newRef();
        String gone = Refs.newRef();
        Path domainsDir = Files.createDirectories(state.resolve("domains"));
        // the files as a crash of the machine left them: one save never reached its file, one delete neither
        Files.createDirectories(domainsDir.resolve(gone));
        Files.writeString(domainsDir.resolve(gone).resolve("config.sxp"), sxp.write(config(gone, "gone")));
        Path journal = domainsDir.resolve("journal");
        long end;
        try (ConfigJournal j = ConfigJournal.openEmpty(journal)) {
            j.append(ConfigJournal.SAVE, lostFile, sxp.write(config(lostFile, "lost-file")));
            j.awaitDurable(j.append(ConfigJournal.DELETE, gone, null));
            end = j.end();
        }
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 7}), end); // a torn last record
        }

        ManagedDomains domains = new ManagedDomains(state, sxp);
        List<VmConfig> loaded = domains.loadAll();
        assertEquals(List.of(lostFile), loaded.stream().map(c -> c.fields().get("uuid")).toList());
        assertFalse(Files.exists(domainsDir.resolve(gone)));
        assertEquals(List.of(), ConfigJournal.readAll(journal), "a replayed journal starts empty");
        domains.close();
    }

    @Test
    void deleteThenSaveAgainUnderTheSameUuidStartsFromAnEmptyDirectory() throws Exception {
        ManagedDomains domains = new ManagedDomains(state, new SxpConfigFormat());
        domains.loadAll();
        String uuid = Refs.newRef();
        Path file = state.resolve("domains").resolve(uuid).resolve("config.sxp");
        domains.save(config(uuid, "first"));
        domains.awaitFiles();
        Path checkpoint = Files.writeString(domains.checkpoint(uuid), "image of the first VM");
        for (int i = 0; i < 200; i++) {
            domains.delete(uuid);
            domains.save(config(uuid, "again-" + i));
        }
        domains.awaitFiles();
        assertTrue(Files.readString(file).contains("again-199"), "the latest save wins");
        assertFalse(Files.exists(checkpoint), "what the deleted VM left in its directory is gone");
        domains.delete(uuid);
        domains.save(config(uuid, "last"));
        domains.close();
        assertTrue(Files.readString(file).contains("last"), "closing writes what is pending");
    }

    @Test
    void underSteadyLoadTheJournalIsRotatedRatherThanLeftToGrow() throws Exception {
        SxpConfigFormat sxp = new SxpConfigFormat();
        ManagedDomains domains = new ManagedDomains(state, sxp, TimeUnit.MILLISECONDS.toNanos(20));
        domains.loadAll();
        Path journal = state.resolve("domains").resolve("journal");
        String padding = "x".repeat(4000);
        long largest = 0;
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String uuid = Refs.newRef();
            Map<String, Object> f = new LinkedHashMap<>(config(uuid, "steady-" + i).fields());
            f.put("name_description", padding);
            domains.save(new VmConfig(f, Map.of(), List.of()));
            if (i % 3 == 0) {
                kept.add(uuid);
            } else {
                domains.delete(uuid);
            }
            largest = Math.max(largest, Files.size(journal));
        }
        // the file is allocated in whole ALLOCATION_BYTES behind a one-block header: records under 3 MiB
        assertTrue(largest <= (3 << 20) + ConfigJournal.BLOCK,
                "the journal stays bounded: at most " + largest + " bytes");
        domains.close();
        List<VmConfig> loaded = new ManagedDomains(state, sxp).loadAll();
        assertEquals(kept.size(), loaded.size());
        assertTrue(loaded.stream().allMatch(c -> kept.contains(c.fields().get("uuid"))));
    }
}
