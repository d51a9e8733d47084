package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

class StateFlagsTest {

    @Test
    void eachFlagHasItsLetterInItsPlace() {
        assertEquals("------", StateFlags.of(false, false, false, false, false, false));
        assertEquals("r-----", StateFlags.of(true, false, false, false, false, false));
        assertEquals("-b----", StateFlags.of(false, true, false, false, false, false));
        assertEquals("--p---", StateFlags.of(false, false, true, false, false, false));
        assertEquals("---s--", StateFlags.of(false, false, false, true, false, false));
        assertEquals("----c-", StateFlags.of(false, false, false, false, true, false));
        assertEquals("-----d", StateFlags.of(false, false, false, false, false, true));
        assertEquals("rbpscd", StateFlags.of(true, true, true, true, true, true));
    }

    @Test
    void runningWhenAnyOnlineVcpuRunsBlockedWhenAllOfThemBlock() {
        assertEquals("r-----", StateFlags.of(view("Running", Optional.empty(),
                vcpu(0, true, false, true), vcpu(1, true, true, false))));
        assertEquals("-b----", StateFlags.of(view("Running", Optional.empty(),
                vcpu(0, true, true, false), vcpu(1, true, true, false))));
        // an offline vCPU neither runs nor keeps the domain from being blocked
        assertEquals("-b----", StateFlags.of(view("Running", Optional.empty(),
                vcpu(0, true, true, false), vcpu(1, false, false, true))));
        assertEquals("------", StateFlags.of(view("Running", Optional.empty())),
                "no vCPU information: neither running nor blocked");
    }

    @Test
    void pausedShutdownAndCrashedComeFromThePowerStateAndTheShutdownReason() {
        assertEquals("--p---", StateFlags.of(view("Paused", Optional.empty(), vcpu(0, true, false, false))));
        assertEquals("---s--", StateFlags.of(view("Running", Optional.of(ShutdownReason.POWEROFF))));
        assertEquals("---sc-", StateFlags.of(view("Crashed", Optional.of(ShutdownReason.CRASH))),
                "a crashed domain has shut down, because it crashed");
        assertEquals("----c-", StateFlags.of(view("Crashed", Optional.empty())));
    }

    private static VcpuInfo vcpu(int n, boolean online, boolean blocked, boolean running) {
        return new VcpuInfo(n, online, blocked, running, 0, 0, List.of(0));
    }

    static DomainView view(String powerState, Optional<ShutdownReason> reason, VcpuInfo... vcpus) {
        return new DomainView("ref", new VmConfig(Map.of("name_label", "vm"), Map.of(), List.of()), powerState,
                true, 3, 131072, 131072, vcpus.length, 0, reason, Instant.EPOCH, List.of(vcpus), 0);
    }
}
