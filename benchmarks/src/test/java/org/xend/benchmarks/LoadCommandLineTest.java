package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoadCommandLineTest {

    @Test
    void readsTheCommonOptionsAndHandsTheOthersToTheTool() {
        List<String> own = new ArrayList<>();
        LoadCommandLine c = new LoadCommandLine(new String[] {"--port", "9363", "--extra", "x", "--warmup", "0.25",
                "--label", "fake"}, "server", 10_000, (name, value) -> own.add(name + "=" + value));
        assertEquals(9363, c.port);
        assertEquals(Duration.ofMillis(250), c.warmup());
        assertEquals(Duration.ofSeconds(10), c.duration());
        assertEquals("fake", c.label);
        assertEquals(10_000, c.timeoutMillis);
        assertEquals(List.of("--extra=x"), own);
        assertThrows(IllegalArgumentException.class,
                () -> new LoadCommandLine(new String[] {"--bogus", "1"}, "server", 1, (name, value) -> false));
        assertThrows(IllegalArgumentException.class,
                () -> new LoadCommandLine(new String[] {"--port"}, "server", 1, (name, value) -> false));
        assertThrows(IllegalArgumentException.class,
                () -> new LoadCommandLine(new String[] {"--duration", "3601"}, "server", 1, (name, value) -> false));
        assertThrows(IllegalArgumentException.class,
                () -> new LoadCommandLine(new String[0], "server", 1, (name, value) -> false).requirePort("no"));
    }

    @Test
    void exitCodesSayWhatWentWrong() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertEquals(0, LoadCommandLine.exitCode("Tool", () -> "usage: Tool", () -> 0, err));
        assertEquals(64, LoadCommandLine.exitCode("Tool", () -> "usage: Tool", () -> {
            throw new IllegalArgumentException("bad option");
        }, err));
        assertEquals(1, LoadCommandLine.exitCode("Tool", () -> "usage: Tool", () -> {
            throw new LoadGenerator.ProbeFailedException("no success");
        }, err));
        assertEquals(1, LoadCommandLine.exitCode("Tool", () -> "usage: Tool", () -> {
            throw new IOException("refused");
        }, err));
        assertEquals(130, LoadCommandLine.exitCode("Tool", () -> "usage: Tool", () -> {
            throw new InterruptedException();
        }, err));
        assertTrue(Thread.interrupted(), "the interrupt is kept");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Tool: bad option\nusage: Tool\n"), text);
        assertTrue(text.contains("Tool: no success\n"), text);
        assertTrue(text.contains("Tool: java.io.IOException: refused\n"), text);
        assertThrows(IllegalStateException.class, () -> LoadCommandLine.exitCode("Tool", () -> "", () -> {
            throw new IllegalStateException("a bug");
        }, err));
    }
}
