package org.xend.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The passwd file as last read: its raw lines, kept verbatim when the file is rewritten (so comments and lines
 * an operator mistyped survive), and the valid entries among them.
 */
final class PasswdFile {

    private static final Logger LOG = LoggerFactory.getLogger(PasswdFile.class);

    /** Identifies one version of the file; an atomic rewrite always changes the inode, hence the file key. */
    record Stamp(Object fileKey, FileTime modified, long size) {
    }

    private final Path path;
    private final Stamp stamp;
    private final List<String> lines;
    private final Map<String, PasswdEntry> entries;
    private final Map<String, Integer> lineOfUser;

    private PasswdFile(Path path, Stamp stamp, List<String> lines, Map<String, PasswdEntry> entries,
                       Map<String, Integer> lineOfUser) {
        this.path = path;
        this.stamp = stamp;
        this.lines = lines;
        this.entries = entries;
        this.lineOfUser = lineOfUser;
    }

    /**
     * Reads the file; a missing file reads as empty. Malformed lines are ignored, and logged if {@code report}
     * (not when re-reading a file we just wrote, whose defects were reported when it was first read).
     */
    static PasswdFile read(Path path, boolean report) throws IOException {
        Stamp stamp = stampOf(path);
        if (stamp == null) {
            return new PasswdFile(path, null, List.of(), Map.of(), Map.of());
        }
        String text = new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        Map<String, PasswdEntry> entries = new HashMap<>();
        Map<String, Integer> lineOfUser = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                PasswdEntry entry = PasswdEntry.parse(line);
                if (entries.containsKey(entry.user())) {
                    if (report) {
                        LOG.warn("{} line {}: second entry for user '{}' ignored", path, i + 1, entry.user());
                    }
                    continue;
                }
                entries.put(entry.user(), entry);
                lineOfUser.put(entry.user(), i);
            } catch (IllegalArgumentException e) {
                if (report) {
                    // The message names the defect only; the line itself may hold a secret.
                    LOG.warn("{} line {}: malformed entry ignored: {}", path, i + 1, e.getMessage());
                }
            }
        }
        return new PasswdFile(path, stamp, Collections.unmodifiableList(lines), Map.copyOf(entries),
                Map.copyOf(lineOfUser));
    }

    /** The current version of the file on disk, or null if it does not exist. */
    static Stamp stampOf(Path path) throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    boolean isCurrent(Stamp onDisk) {
        return Objects.equals(stamp, onDisk);
    }

    boolean exists() {
        return stamp != null;
    }

    Path path() {
        return path;
    }

    PasswdEntry entry(String user) {
        return user == null ? null : entries.get(user);
    }

    /** The file's content with {@code entry} replacing that user's line, or appended if the user is new. */
    String withEntry(PasswdEntry entry) {
        List<String> updated = new ArrayList<>(lines);
        Integer index = lineOfUser.get(entry.user());
        if (index == null) {
            updated.add(entry.format());
        } else {
            updated.set(index, entry.format());
        }
        StringBuilder out = new StringBuilder();
        for (String line : updated) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
