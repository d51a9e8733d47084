package org.xend.api.spi.hypervisor;

import java.util.Optional;

/**
 * What the hypervisor knows of one domain (xc_domain_getinfo). Memory in KiB, CPU time in nanoseconds.
 * {@code shutdownReason} is present once the domain has shut down (crash included) and is not yet destroyed.
 */
public record DomainInfo(int domid, String uuid, boolean hvm, boolean paused, boolean running, boolean blocked,
                         boolean dying, boolean shutdown, Optional<ShutdownReason> shutdownReason,
                         long memoryKib, long maxMemoryKib, long targetMemoryKib, long cpuTimeNs,
                         int onlineVcpus, int maxVcpus, long ssidref) {

    public boolean crashed() {
        return shutdown && shutdownReason.filter(r -> r == ShutdownReason.CRASH).isPresent();
    }
}
