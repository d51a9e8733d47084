package org.xend.api.spi.hypervisor;

/**
 * Told by the backend when a domain changes state on its own: the guest shut down, rebooted, suspended or crashed
 * (VIRQ_DOM_EXC / @releaseDomain on real Xen), or the domain went away. Nothing above polls for this.
 */
public interface DomainListener {

    /** The domain has shut down; {@code info.shutdownReason()} says why. It still exists until destroyed. */
    void domainShutdown(DomainInfo info);

    /** The domain no longer exists. */
    default void domainReleased(int domid, String uuid) {
    }
}
