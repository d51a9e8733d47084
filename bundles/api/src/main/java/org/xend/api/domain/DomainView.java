package org.xend.api.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/**
 * One VM as xm shows it: its configuration, its power state, and, while it has a domain, what the hypervisor says of
 * it (domid, memory in KiB, vCPUs, CPU time in ns). {@code domid} is -1 when it has no domain.
 */
public record DomainView(String ref, VmConfig config, String powerState, boolean managed, int domid,
                         long memoryKib, long maxMemoryKib, int onlineVcpus, long cpuTimeNs,
                         Optional<ShutdownReason> shutdownReason, Instant startTime, List<VcpuInfo> vcpus,
                         int restartCount) {
    public DomainView {
        vcpus = List.copyOf(vcpus);
    }
}
