package org.xend.itests;

import java.nio.file.Files;
import java.nio.file.Path;

/** Waits for what the daemon does behind a call that already returned. */
final class Eventually {

    private Eventually() {
    }

    /**
     * Whether a file appears within a few seconds: a managed VM's config.sxp is written behind the journal that
     * made the change durable before the call returned.
     */
    static boolean fileAppears(Path file) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.isRegularFile(file); i++) {
            Thread.sleep(10);
        }
        return Files.isRegularFile(file);
    }

    /** Whether a path is gone within a few seconds: a deleted VM's directory goes behind the journal. */
    static boolean pathGoes(Path path) throws InterruptedException {
        for (int i = 0; i < 500 && Files.exists(path); i++) {
            Thread.sleep(10);
        }
        return !Files.exists(path);
    }
}
