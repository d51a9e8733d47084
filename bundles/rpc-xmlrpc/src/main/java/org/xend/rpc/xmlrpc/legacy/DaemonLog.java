package org.xend.rpc.xmlrpc.legacy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The daemon's log for {@code xend.node.log}. Xend sent its whole {@code xend.log}, which it rotated at 1 MiB; this
 * sends at most the last {@link #MAX_BYTES} of the log file, starting at a line.
 */
final class DaemonLog {

    static final int MAX_BYTES = 1 << 20;

    private DaemonLog() {
    }

    /** Karaf's log file: {@code karaf.log} under {@code ${karaf.log}}, else under {@code ${karaf.data}/log}. */
    static Path karafLog() {
        String logDir = System.getProperty("karaf.log");
        if (logDir != null && !logDir.isBlank()) {
            return Path.of(logDir, "karaf.log");
        }
        return Path.of(System.getProperty("karaf.data", "data"), "log", "karaf.log");
    }

    static String tail(Path file, int maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(0, size - maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - start, maxBytes));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
                // read until full or the file ends (it may shrink while being rotated)
            }
            buffer.flip();
            if (start > 0) {
                skipPartialLine(buffer);
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(buffer)
                    .toString();
        }
    }

    private static void skipPartialLine(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            if (buffer.get() == '\n') {
                return;
            }
        }
    }
}
