package org.xend.api.spi.hypervisor;

import java.util.List;

/** One virtual CPU (xc_vcpu_getinfo): {@code cpu} is the physical CPU it last ran on, {@code cpumap} its affinity. */
public record VcpuInfo(int number, boolean online, boolean blocked, boolean running, long cpuTimeNs, int cpu,
                       List<Integer> cpumap) {
    public VcpuInfo {
        cpumap = List.copyOf(cpumap);
    }
}
