package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;

class DurableDomainTableTest {

    @TempDir
    Path dir;

    private static DomainRecord domain(int domid, long memoryKib) {
        DomainConfig config = new DomainConfig(UUID.randomUUID().toString(), "d" + domid, domid % 2 == 0, 2, 1,
                4 * memoryKib, memoryKib, "/boot/vmlinuz", "/boot/initrd", "root=/dev/xvda1 ro", 3);
        DomainRecord built = DomainRecord.built(domid, config, List.of(0, 1), 0);
        return built.withAffinity(1, List.of(1, 3), 1, 0, 0).withSched(new SchedCredit(300, 50), 0, 0);
    }

    /** Records as stored: what the table keeps of them, in domid order. */
    private static List<String> stored(List<DomainRecord> records) {
        return records.stream().sorted(Comparator.comparingInt(DomainRecord::domid)).map(r -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                DomainCodec.write(out, r);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return r.domid() + ":" + HexFormat.of().formatHex(bytes.toByteArray());
        }).toList();
    }

    @Test
    void recordsComeBackExactlyWithTheDomidPositionAndSequence() {
        DomainRecord first = domain(1, 1024);
        DomainRecord second = domain(2, 2048).shutDown(ShutdownReason.SUSPEND, 0, 0);
        DurableDomainTable table = open(List.of(first), 1, 0);

        table.put(second, 2);
        table.put(first.withPaused(false, 0, 0), DomainTable.UNCHANGED);
        table.awaitDurable(table.remove(1));
        long last = table.position(40);
        table.awaitDurable(last);

        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);
        assertEquals(stored(List.of(second)), stored(loaded.domains()));
        assertEquals(40, loaded.lastDomid());
        assertEquals(last, loaded.sequence());
    }

    @Test
    void changesRecordedBeforeOneWaitShareOneForcedWrite() {
        DurableDomainTable table = open(List.of(), 0, 0);
        long last = 0;
        for (int domid = 1; domid <= 100; domid++) {
            last = table.put(domain(domid, 1024), domid);
        }

        table.awaitDurable(last);
        table.awaitDurable(last - 50);

        assertEquals(1, table.forcedWrites());
        assertEquals(100, DurableDomainTable.load(dir).domains().size());
    }

    @Test
    void aLongJournalIsCompactedIntoANewSnapshot() throws Exception {
        DurableDomainTable table = open(List.of(), 0, 0);
        DomainRecord record = domain(7, 1024);
        long last = 0;
        // each record takes well over 100 bytes
        for (long memory = 1; memory <= DurableDomainTable.COMPACT_BYTES / 100; memory++) {
            last = table.put(record.withMemory(memory), 7);
        }
        table.awaitDurable(last);
        assertEquals(0, Files.size(dir.resolve(DurableDomainTable.JOURNAL)), "the snapshot took it all");

        long after = table.put(record.withMemory(1), DomainTable.UNCHANGED);
        table.awaitDurable(after);

        long journal = Files.size(dir.resolve(DurableDomainTable.JOURNAL));
        assertTrue(journal > 0 && journal < 1024, "the journal starts again: " + journal);
        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);
        assertEquals(after, loaded.sequence());
        assertEquals(1, loaded.domains().get(0).memoryKib(), "the last change wins");
        assertEquals(7, loaded.lastDomid());
    }

    @Test
    void journalRecordsAlreadyInTheSnapshotAreNotReplayed() throws Exception {
        DurableDomainTable table = open(List.of(), 0, 0);
        DomainRecord record = domain(3, 1024);
        table.put(record, 3);
        table.awaitDurable(table.put(record.withMemory(2048), DomainTable.UNCHANGED));
        byte[] journal = Files.readAllBytes(dir.resolve(DurableDomainTable.JOURNAL));

        // the final snapshot has newer data (accrued CPU time) than the journal's records
        DomainRecord accrued = record.withMemory(2048).withPaused(false, 0, 0).accruedTo(5_000_000_000L, 0.5);
        table.close(List.of(accrued), 3);
        // as if the stop had been cut short after the snapshot, before the journal was emptied
        Files.write(dir.resolve(DurableDomainTable.JOURNAL), journal);

        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);
        assertEquals(stored(List.of(accrued)), stored(loaded.domains()));
        assertEquals(2_500_000_000L, loaded.domains().get(0).vcpus().get(0).timeNs());
        assertEquals(2, loaded.sequence());
    }

    @Test
    void aNewTableContinuesTheSequenceSoThatAnOldJournalCannotBeReplayedOverIt() {
        DurableDomainTable first = open(List.of(), 0, 0);
        first.awaitDurable(first.put(domain(1, 1024), 1));
        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);

        DurableDomainTable second = open(loaded.domains(), loaded.lastDomid(), loaded.sequence());
        long next = second.put(domain(2, 1024), 2);

        assertEquals(loaded.sequence() + 1, next);
        second.awaitDurable(next);
        assertEquals(List.of(1, 2), DurableDomainTable.load(dir).domains().stream().map(DomainRecord::domid)
                .sorted().toList());
    }

    @Test
    void aDamagedMiddleRecordEndsTheReplayThere() throws Exception {
        DurableDomainTable table = open(List.of(), 0, 0);
        table.awaitDurable(table.put(domain(1, 1024), 1));
        long journalAfterFirst = Files.size(dir.resolve(DurableDomainTable.JOURNAL));
        table.awaitDurable(table.put(domain(2, 1024), 2));
        table.awaitDurable(table.put(domain(3, 1024), 3));
        byte[] journal = Files.readAllBytes(dir.resolve(DurableDomainTable.JOURNAL));
        journal[(int) journalAfterFirst + 20] ^= 1;
        Files.write(dir.resolve(DurableDomainTable.JOURNAL), journal);

        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);

        assertEquals(List.of(1), loaded.domains().stream().map(DomainRecord::domid).toList());
        assertEquals(1, loaded.lastDomid());
    }

    @Test
    void anUnreadableSnapshotIsSetAsideWithItsJournal() throws Exception {
        DurableDomainTable table = open(List.of(domain(1, 1024)), 1, 0);
        table.awaitDurable(table.put(domain(2, 1024), 2));
        Files.writeString(dir.resolve(DurableDomainTable.SNAPSHOT), "XSIMDOMT but not really");

        DurableDomainTable.Contents loaded = DurableDomainTable.load(dir);

        assertEquals(DurableDomainTable.Contents.EMPTY, loaded);
        assertTrue(Files.exists(dir.resolve(DurableDomainTable.SNAPSHOT + ".corrupt")));
        assertTrue(Files.exists(dir.resolve(DurableDomainTable.JOURNAL + ".corrupt")));
    }

    @Test
    void changesAfterCloseAreNotRecordedAndWaitingForThemReturns() {
        DurableDomainTable table = open(List.of(), 0, 0);
        table.close(List.of(domain(1, 1024)), 1);

        long ticket = table.put(domain(2, 1024), 2);
        table.awaitDurable(ticket);

        List<DomainRecord> loaded = new ArrayList<>(DurableDomainTable.load(dir).domains());
        loaded.sort(Comparator.comparingInt(DomainRecord::domid));
        assertEquals(List.of(1), loaded.stream().map(DomainRecord::domid).toList());
    }

    @Test
    void aTableWrittenBeforeTheHostRebootedIsNotTakenOver() throws IOException {
        DurableDomainTable table = DurableDomainTable.open(dir, List.of(), 0, 0, Optional.of("boot-a"));
        table.awaitDurable(table.put(domain(1, 1024), 1));

        assertEquals(1, DurableDomainTable.load(dir, Optional.of("boot-a")).domains().size(),
                "the daemon restarted on the same boot of the host: the domain is still there");
        assertEquals(1, DurableDomainTable.load(dir, Optional.empty()).domains().size(),
                "an unknown boot cannot be judged: the table is taken as it is");
        DurableDomainTable.Contents afterReboot = DurableDomainTable.load(dir, Optional.of("boot-b"));
        assertTrue(afterReboot.domains().isEmpty(), "no domain survives a reboot of the host");
        assertEquals(0, afterReboot.lastDomid());
    }

    @Test
    void aTableFromBeforeBootsWereRecordedIsTakenOver() throws IOException {
        DurableDomainTable table = DurableDomainTable.open(dir, List.of(), 0, 0, Optional.empty());
        table.awaitDurable(table.put(domain(1, 1024), 1));
        assertTrue(Files.notExists(dir.resolve(DurableDomainTable.HOST_BOOT)));

        assertEquals(1, DurableDomainTable.load(dir, Optional.of("boot-b")).domains().size());
    }

    private DurableDomainTable open(List<DomainRecord> domains, int lastDomid, long sequence) {
        try {
            return DurableDomainTable.open(dir, domains, lastDomid, sequence);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
