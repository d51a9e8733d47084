package org.xend.api.spi.hypervisor;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The hypervisor backend (service property {@code type}: {@code sim} or {@code xen}). Domain 0 always exists.
 * Every method throws {@link HypervisorException} on failure; an unknown domid is a HypervisorException with
 * errno 3 (ESRCH).
 */
@ConsumerType
public interface Hypervisor {
    String PROPERTY_TYPE = "type";

    String type();

    PhysInfo physinfo();

    VersionInfo version();

    List<CpuInfo> cpus();

    List<DomainInfo> domains();

    Optional<DomainInfo> domain(int domid);

    /**
     * Builds a domain and leaves it paused: allocates a domid, reserves {@code targetMemoryKib} of host memory
     * and loads the image. Throws {@link NotEnoughMemoryException} when the host cannot give the memory.
     *
     * @return the new domid (never 0)
     */
    int createDomain(DomainConfig config);

    void pause(int domid);

    void unpause(int domid);

    /** Marks the domain shut down with a reason, as SCHEDOP_remote_shutdown does; listeners are told. */
    void shutdown(int domid, ShutdownReason reason);

    /** Destroys the domain and gives its memory back to the host. */
    void destroy(int domid);

    /** Sets the balloon target (KiB). */
    void setTargetMemory(int domid, long kib);

    /** Sets the maximum memory (KiB). */
    void setMaxMemory(int domid, long kib);

    List<VcpuInfo> vcpus(int domid);

    void addListener(DomainListener listener);

    void removeListener(DomainListener listener);
}
