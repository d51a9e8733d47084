package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.store.Refs;

class ConfigJournalTest {

    @TempDir
    Path dir;

    @Test
    void aRotatedJournalKeepsItsRecordsInTheOldSegmentUntilTheFilesHoldThem() throws Exception {
        Path file = dir.resolve("journal");
        String first = Refs.newRef();
        String second = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, first, "(domain (name first))"));
            long pending = j.append(ConfigJournal.SAVE, second, "(domain (name second))");

            long rotatedAt = j.rotate();
            assertEquals(1, rotatedAt, "the old segment ends with what was on disk");
            assertEquals(-1, j.rotate(), "one old segment at a time");
            j.awaitDurable(pending);
            j.awaitDurable(j.append(ConfigJournal.DELETE, first, null));

            // a crash now replays the old segment, then the current one
            assertEquals(List.of("1:" + first, "1:" + second, "2:" + first),
                    ConfigJournal.readAll(file).stream().map(e -> e.op() + ":" + e.uuid()).toList());

            j.dropOldSegmentIfWritten(0);
            assertTrue(Files.exists(ConfigJournal.oldSegment(file)), "kept while the files miss some of it");
            j.dropOldSegmentIfWritten(rotatedAt);
            assertFalse(Files.exists(ConfigJournal.oldSegment(file)));
            assertEquals(List.of("1:" + second, "2:" + first),
                    ConfigJournal.readAll(file).stream().map(e -> e.op() + ":" + e.uuid()).toList());
        }
    }

    @Test
    void openingEmptyDropsBothSegments() throws Exception {
        Path file = dir.resolve("journal");
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, Refs.newRef(), "(domain)"));
            j.rotate();
        }
        assertTrue(Files.exists(ConfigJournal.oldSegment(file)));
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            assertEquals(List.of(), ConfigJournal.readAll(file));
            assertFalse(Files.exists(ConfigJournal.oldSegment(file)));
        }
    }

    private static List<String> opsAndUuids(Path file) throws Exception {
        return ConfigJournal.readAll(file).stream().map(e -> e.op() + ":" + e.uuid()).toList();
    }

    @Test
    void anEmptiedJournalReadsNothingAndLaterRecordsNeverPickUpTheOnesLeftBehindThem() throws Exception {
        Path file = dir.resolve("journal");
        String a = Refs.newRef();
        String b = Refs.newRef();
        String c = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.append(ConfigJournal.SAVE, a, "(domain (name aaaa))");
            j.append(ConfigJournal.SAVE, b, "(domain (name bbbb))");
            long last = j.append(ConfigJournal.SAVE, c, "(domain (name cccc))");
            j.awaitDurable(last);
            long sizeBefore = Files.size(file);

            j.truncateIfUpTo(last);
            assertEquals(List.of(), ConfigJournal.readAll(file), "emptied: the header admits only later records");
            assertEquals(0, j.size());

            // the same length as the first record, so the second one lies right behind it in the file
            String d = Refs.newRef();
            j.awaitDurable(j.append(ConfigJournal.SAVE, d, "(domain (name dddd))"));
            assertEquals(List.of("1:" + d), opsAndUuids(file));
            assertEquals(sizeBefore, Files.size(file), "records overwrite zeros allocated ahead");
        }
    }

    @Test
    void emptyingWhileChangesArriveKeepsThem() throws Exception {
        Path file = dir.resolve("journal");
        String a = Refs.newRef();
        String b = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            long first = j.append(ConfigJournal.SAVE, a, "(domain)");
            j.awaitDurable(first);
            long second = j.append(ConfigJournal.SAVE, b, "(domain)");
            j.truncateIfUpTo(first); // b arrived after the files caught up with a: nothing is dropped
            j.awaitDurable(second);
            assertEquals(List.of("1:" + a, "1:" + b), opsAndUuids(file));
        }
    }

    @Test
    void aRecordLargerThanTheAllocationGrowsTheSegment() throws Exception {
        Path file = dir.resolve("journal");
        String big = "(domain (name " + "x".repeat(ConfigJournal.ALLOCATION_BYTES + 12_345) + "))";
        String uuid = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, Refs.newRef(), "(domain (name small))"));
            j.awaitDurable(j.append(ConfigJournal.SAVE, uuid, big));
            j.awaitDurable(j.append(ConfigJournal.DELETE, uuid, null));
        }
        List<ConfigJournal.Entry> entries = ConfigJournal.readAll(file);
        assertEquals(3, entries.size());
        assertEquals(big, entries.get(1).text());
        assertEquals(ConfigJournal.DELETE, entries.get(2).op());
        assertEquals(0, Files.size(file) % ConfigJournal.BLOCK);
    }

    @Test
    void aJournalOfTheEarlierFormatIsStillRead() throws Exception {
        Path file = dir.resolve("journal");
        String uuid = Refs.newRef();
        byte[] text = "(domain (name old))".getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(1 + 36 + text.length);
        payload.put(ConfigJournal.SAVE).put(uuid.getBytes(StandardCharsets.US_ASCII)).put(text);
        CRC32 crc = new CRC32();
        crc.update(payload.array());
        ByteBuffer record = ByteBuffer.allocate(8 + payload.capacity());
        record.putInt(payload.capacity()).putInt((int) crc.getValue()).put(payload.array());
        Files.write(file, record.array());

        List<ConfigJournal.Entry> entries = ConfigJournal.readAll(file);
        assertEquals(1, entries.size());
        assertEquals(uuid, entries.get(0).uuid());
        assertEquals("(domain (name old))", entries.get(0).text());
    }

    @Test
    void aDamagedRecordEndsTheReplayAndADamagedHeaderStillReadsTheRecords() throws Exception {
        Path file = dir.resolve("journal");
        String a = Refs.newRef();
        String b = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, a, "(domain (name a))"));
            long secondAt = j.end();
            j.awaitDurable(j.append(ConfigJournal.SAVE, b, "(domain (name b))"));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {'#'}), secondAt + 30); // inside the second record's uuid
            }
            assertEquals(List.of("1:" + a), opsAndUuids(file));

            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[] {0x55}), 12); // the header's first sequence
            }
            assertEquals(List.of("1:" + a), opsAndUuids(file));
        }
    }

    @Test
    void aRetiredSegmentBecomesTheNextFreshOneWithoutItsRecords() throws Exception {
        Path file = dir.resolve("journal");
        String a = Refs.newRef();
        String b = Refs.newRef();
        String c = Refs.newRef();
        try (ConfigJournal j = ConfigJournal.openEmpty(file)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, a, "(domain (name aaaa))"));
            j.awaitDurable(j.append(ConfigJournal.SAVE, b, "(domain (name bbbb))"));
            long firstRotation = j.rotate();
            j.dropOldSegmentIfWritten(firstRotation);
            assertTrue(Files.exists(ConfigJournal.spareSegment(file)), "the retired segment is kept");

            long pending = j.append(ConfigJournal.SAVE, c, "(domain (name cccc))");
            long secondRotation = j.rotate(); // the spare, holding a and b, becomes the current segment
            assertEquals(firstRotation, secondRotation, "nothing new was on disk yet");
            assertFalse(Files.exists(ConfigJournal.spareSegment(file)));
            j.awaitDurable(pending);

            // the same length as a's record: b's lies right behind it and must not be read
            String d = Refs.newRef();
            j.awaitDurable(j.append(ConfigJournal.SAVE, d, "(domain (name dddd))"));
            assertEquals(List.of("1:" + c, "1:" + d), opsAndUuids(file));
        }
    }

    @Test
    void withoutODirectTheSameRecordsAreWrittenAndRead() throws Exception {
        Path file = dir.resolve("journal");
        String a = Refs.newRef();
        String big = "(domain (name " + "y".repeat(ConfigJournal.ALLOCATION_BYTES) + "))";
        try (ConfigJournal j = ConfigJournal.openEmpty(file, false)) {
            j.awaitDurable(j.append(ConfigJournal.SAVE, a, "(domain (name a))"));
            j.awaitDurable(j.append(ConfigJournal.SAVE, a, big));
            long last = j.append(ConfigJournal.DELETE, a, null);
            j.awaitDurable(last);
            assertEquals(List.of("1:" + a, "1:" + a, "2:" + a), opsAndUuids(file));
            j.truncateIfUpTo(last);
            assertEquals(List.of(), ConfigJournal.readAll(file));
            long rotated = j.rotate();
            j.dropOldSegmentIfWritten(rotated);
            j.awaitDurable(j.append(ConfigJournal.SAVE, a, "(domain (name again))"));
            assertEquals("(domain (name again))", ConfigJournal.readAll(file).get(0).text());
        }
    }
}
