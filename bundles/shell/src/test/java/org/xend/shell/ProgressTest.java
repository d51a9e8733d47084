package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @Test
    void withoutATerminalNothingIsPrinted() throws Exception {
        assertFalse(Progress.SILENT.visible());
        assertEquals("result", Progress.SILENT.run("Starting domain x", () -> "result"));
    }

    @Test
    void onATerminalTheSpinnerTurnsWhileTheWorkRunsThenSaysDone() throws Exception {
        Progress progress = new Progress(new PrintStream(console, true, StandardCharsets.UTF_8), 5);
        assertTrue(progress.visible());
        String result = progress.run("Starting domain x", () -> {
            // the work lasts until the spinner has turned once, however slowly the machine schedules it
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!console.toString(StandardCharsets.UTF_8).contains("/") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return "ok";
        });
        assertEquals("ok", result);
        String shown = console.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("\rStarting domain x ... |"), shown);
        assertTrue(shown.contains("\rStarting domain x ... /"), "the spinner turned: " + shown);
        assertTrue(shown.endsWith("\rStarting domain x ... done\n"), shown);
        assertEquals(1, shown.split("\n", -1).length - 1, "one line in all");
    }

    @Test
    void aFailureIsShownAndPassedOn() {
        Progress progress = new Progress(new PrintStream(console, true, StandardCharsets.UTF_8), 5);
        IllegalStateException failure = new IllegalStateException("no memory");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> progress.run("Starting domain x", () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertTrue(console.toString(StandardCharsets.UTF_8).endsWith("\rStarting domain x ... failed\n"));
    }
}
