package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}
