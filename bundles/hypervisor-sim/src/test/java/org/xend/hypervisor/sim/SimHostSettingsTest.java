package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SimHostSettingsTest {

    @Test
    void defaultsDescribeAFourCpuSixteenGigabyteHost() {
        SimHostSettings s = SimHostSettings.from(Map.of(), Map.of());

        assertEquals(4, s.nrCpus());
        assertEquals(2400, s.cpuMhz());
        assertEquals(16384L * 1024, s.totalMemoryKib());
        assertEquals(1024L * 1024, s.dom0MemoryKib());
        assertEquals(200, s.guestShutdownDelayMs());
        assertEquals(0.05, s.guestVcpuLoad());
    }

    @Test
    void xendSimCpusSetsTheTotalAsCoresOfOneSocket() {
        SimHostSettings s = SimHostSettings.from(Map.of("nrNodes", 2, "socketsPerNode", 2, "threadsPerCore", 2),
                Map.of("XEND_SIM_CPUS", "6"));

        assertEquals(1, s.nrNodes());
        assertEquals(1, s.socketsPerNode());
        assertEquals(6, s.coresPerSocket());
        assertEquals(1, s.threadsPerCore());
        assertEquals(6, s.nrCpus());
    }

    @Test
    void environmentVariablesWinOverConfiguration() {
        SimHostSettings s = SimHostSettings.from(
                Map.of("memoryMiB", 2048, "guestShutdownDelayMs", 500, "cpuMhz", 1000),
                Map.of("XEND_SIM_MEMORY_MIB", "4096", "XEND_SIM_SHUTDOWN_DELAY_MS", "10"));

        assertEquals(4096, s.memoryMiB());
        assertEquals(10, s.guestShutdownDelayMs());
        assertEquals(1000, s.cpuMhz());
    }

    @Test
    void rejectsImpossibleHosts() {
        assertThrows(IllegalArgumentException.class,
                () -> SimHostSettings.from(Map.of("memoryMiB", 512, "dom0MemoryMiB", 1024), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SimHostSettings.from(Map.of("coresPerSocket", 0), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SimHostSettings.from(Map.of("guestVcpuLoad", "1.5"), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SimHostSettings.from(Map.of("guestVcpuLoad", "lots"), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SimHostSettings.from(Map.of(), Map.of("XEND_SIM_CPUS", "many")));
    }
}
