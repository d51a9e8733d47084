package org.xend.domain;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;

/**
 * The daemon's log for {@code host.get_log} and, through {@code DomainService}, the legacy {@code xend.node.log}.
 * Xend sent its whole {@code xend.log}, which it rotated at 1 MiB; this sends at most the last MiB of Karaf's log,
 * starting at a line.
 */
final class HostLog {

    static final int MAX_BYTES = 1 << 20;

    private HostLog() {
    }

    /** Karaf's log file: {@code karaf.log} under {@code ${karaf.log}}, else under {@code ${karaf.data}/log}. */
    static Path karafLog() {
        String logDir = System.getProperty("karaf.log");
        if (logDir != null && !logDir.isBlank()) {
            return Path.of(logDir, "karaf.log");
        }
        return Path.of(System.getProperty("karaf.data", "data"), "log", "karaf.log");
    }

    /** The log's last {@code maxBytes} at most, from the first whole line; a missing log is an INTERNAL_ERROR. */
    static String read(Path file, int maxBytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(0, size - maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - start, maxBytes));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
                // until full or the file ends (it may shrink while it is rotated)
            }
            buffer.flip();
            if (start > 0) {
                while (buffer.hasRemaining() && buffer.get() != '\n') {
                    // drop the partial first line
                }
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(buffer)
                    .toString();
        } catch (NoSuchFileException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the daemon log " + file + " does not exist");
        } catch (IOException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the daemon log " + file + " cannot be read: "
                    + e.getMessage());
        }
    }
}
