package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.VcpuInfo;

class DomainTableTest {

    private static final long MIB = 1024L * 1024L;

    @Test
    void headerHasXmsColumns() {
        assertEquals("Name" + " ".repeat(36) + "  ID   Mem VCPUs      State   Time(s)", DomainTable.LIST_HEADER);
        assertEquals("Name" + " ".repeat(28) + "  ID Uptime", DomainTable.UPTIME_HEADER);
    }

    @Test
    void aDomainShowsItsDomidMemoryInMibVcpusFlagsAndSecondsWithOneDecimal() {
        DomainView dom0 = new DomainView("ref0", config("Domain-0", 1024), "Running", false, 0,
                1024 * 1024, 1024 * 1024, 2, 12_345_678_901L, Optional.empty(), Instant.EPOCH,
                List.of(new VcpuInfo(0, true, false, true, 0, 0, List.of(0)),
                        new VcpuInfo(1, true, true, false, 0, 1, List.of(1))), 0);
        assertEquals(String.format("%-40s %3s %5s %5s %10s %8s", "Domain-0", "0", "1024", "2", "r-----", "12.3"),
                DomainTable.listLine(dom0));
    }

    @Test
    void aHaltedVmShowsItsConfiguredMemoryAndVcpusAndNoIdOrState() {
        DomainView halted = new DomainView("ref1", config("web-01", 256), "Halted", true, -1,
                0, 256 * 1024, 2, 0, Optional.empty(), Instant.EPOCH, List.of(), 0);
        String line = DomainTable.listLine(halted);
        assertEquals(String.format("%-40s %3s %5s %5s %10s %8s", "web-01", "", "256", "2", "", "0.0"), line);
    }

    @Test
    void aLongNameIsNotCutAndPushesTheColumns() {
        String name = "a-very-long-virtual-machine-name-exceeding-forty-characters";
        DomainView halted = new DomainView("r", config(name, 128), "Halted", true, -1, 0, 0, 1, 0,
                Optional.empty(), Instant.EPOCH, List.of(), 0);
        assertEquals(name + " " + String.format("%3s %5s %5s %10s %8s", "", "128", "1", "", "0.0"),
                DomainTable.listLine(halted));
    }

    @Test
    void uptimeIsHoursMinutesSecondsWithDaysWhenThereAreAny() {
        assertEquals(" 0:00:00", DomainTable.uptime(Duration.ZERO));
        assertEquals(" 0:01:05", DomainTable.uptime(Duration.ofSeconds(65)));
        assertEquals(" 0:01:06", DomainTable.uptime(Duration.ofMillis(65_500)), "rounded to the second");
        assertEquals("23:59:59", DomainTable.uptime(Duration.ofSeconds(86_399)));
        assertEquals("1 day,  0:00:00", DomainTable.uptime(Duration.ofDays(1)));
        assertEquals("3 days,  2:03:04", DomainTable.uptime(Duration.ofDays(3).plusHours(2).plusMinutes(3)
                .plusSeconds(4)));

        Instant started = Instant.parse("2026-01-01T00:00:00Z");
        DomainView running = new DomainView("r", config("db", 128), "Running", true, 7, 131072, 131072, 1, 0,
                Optional.empty(), started, List.of(), 0);
        assertEquals(String.format("%-32s %3s %s", "db", "7", " 1:00:00"),
                DomainTable.uptimeLine(running, started.plusSeconds(3600)));
    }

    private static VmConfig config(String name, long memoryMiB) {
        return new VmConfig(Map.of("name_label", name, "memory_dynamic_max", memoryMiB * MIB,
                "memory_static_max", memoryMiB * MIB), Map.of(), List.of());
    }
}
