package org.xend.api.spi.hypervisor;

/** xc_physinfo: topology, clock, capabilities and memory (KiB). {@code nrCpus} is the product of the topology. */
public record PhysInfo(int nrNodes, int socketsPerNode, int coresPerSocket, int threadsPerCore, int nrCpus,
                       long cpuKhz, String hwCaps, long totalMemoryKib, long freeMemoryKib) {
}
