package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;

/** host.dmesg, dmesg_clear and send_debug_keys through the dispatcher, and the log host.get_log reads. */
class HostConsoleTest {
    private static final String S = DomainHarness.S;

    @TempDir
    Path state;

    @TempDir
    Path logs;

    private DomainHarness h;
    private String host;

    @BeforeEach
    void setUp() throws Exception {
        h = new DomainHarness(state, 2, 20);
        host = (String) ((List<?>) h.value("host.get_all", S)).get(0);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void dmesgReadsTheRingAndDmesgClearEmptiesItAfterReading() {
        String ring = (String) h.value("host.dmesg", S, host);
        assertTrue(ring.contains("(XEN) Xen version 3.1.0"), ring);
        assertEquals(ring, h.value("host.dmesg", S, host), "reading does not clear");
        assertEquals(ring, h.value("host.dmesg_clear", S, host));
        assertEquals("", h.value("host.dmesg", S, host));
    }

    @Test
    void debugKeysPrintIntoTheRing() {
        assertEquals("", h.value("host.send_debug_keys", S, host, "h"));
        String ring = (String) h.value("host.dmesg_clear", S, host);
        assertTrue(ring.contains("'h' pressed -> showing installed handlers"), ring);
    }

    @Test
    void theLogIsReadFromItsLastWholeLineWithinTheLimit() throws Exception {
        Path log = logs.resolve("karaf.log");
        Files.writeString(log, "first line\nsecond line\nthird\n", StandardCharsets.UTF_8);
        assertEquals("first line\nsecond line\nthird\n", HostLog.read(log, HostLog.MAX_BYTES));
        assertEquals("third\n", HostLog.read(log, 10), "a cut first line is left out");
        Files.writeString(log, "", StandardCharsets.UTF_8);
        assertEquals("", HostLog.read(log, 10), "an empty log");
        XenApiException missing = org.junit.jupiter.api.Assertions.assertThrows(XenApiException.class,
                () -> HostLog.read(logs.resolve("none.log"), HostLog.MAX_BYTES));
        assertEquals(ErrorCodes.INTERNAL_ERROR, missing.code());
    }
}
