package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void addsUserAndSystemTicks() {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 120 0 0 0 731 269 0 0 20 0 42 0 1000 1 1";
        assertEquals(1000, ProcessCpu.parseCpuTicks(stat));
    }

    @Test
    void keepsUserAndSystemTicksApart() {
        String stat = "4242 (java) S 1 4242 4242 0 -1 4194560 120 0 0 0 731 269 0 0 20 0 42 0 1000 1 1";
        long[] ticks = ProcessCpu.parseUserAndSystemTicks(stat);
        assertEquals(731, ticks[0]);
        assertEquals(269, ticks[1]);
        ProcessCpu.Times t = new ProcessCpu.Times(7_310_000_000L, 2_690_000_000L)
                .minus(new ProcessCpu.Times(310_000_000L, 690_000_000L));
        assertEquals(7_000_000_000L, t.userNanos());
        assertEquals(2_000_000_000L, t.systemNanos());
        assertEquals(9_000_000_000L, t.totalNanos());
    }

    @Test
    void countsFieldsFromTheLastParenthesisSoOddCommandNamesDoNotShiftThem() {
        String stat = "77 (my (odd) proc 1 2 3) R 1 77 77 0 -1 0 0 0 0 0 15 5 0 0 20 0 1 0 9 1 1";
        assertEquals(20, ProcessCpu.parseCpuTicks(stat));
    }

    @Test
    void refusesATruncatedLine() {
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseCpuTicks("12 (x) S 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ProcessCpu.parseCpuTicks("no parenthesis here"));
    }

    @Test
    void convertsTicksWithTheClockRate() {
        assertEquals(2_500_000_000L, ProcessCpu.ticksToNanos(250, 100));
        assertEquals(1_000_000_000L, ProcessCpu.ticksToNanos(1000, 1000));
    }

    @Test
    void theCpuTimeOfThisProcessGrowsWhileItComputes() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        long before = self.cpuNanos();
        long deadline = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < deadline) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        long after = self.cpuNanos();
        assertTrue(spin > 0);
        // 300 ms of busy wall time on a loaded machine still gets a few 10 ms ticks
        assertTrue(after - before >= 20_000_000L, "CPU time grew by only " + (after - before) + " ns");
    }
}
