package org.xend.api.spi.hypervisor;

import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
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

    /**
     * Brings vCPUs 0..n-1 online and the rest offline (1 ≤ n ≤ maxVcpus, else EINVAL). Telling the guest
     * ({@code cpu/N/availability} in the xenstore) is the toolstack's job.
     */
    void setOnlineVcpus(int domid, int n);

    /**
     * Restricts a vCPU to the given physical CPUs (an empty list means all of them). EINVAL for a vCPU the domain
     * does not have or a physical CPU the host does not have.
     */
    void pinVcpu(int domid, int vcpu, List<Integer> cpus);

    /** The credit scheduler's parameters of the domain. */
    SchedCredit schedCredit(int domid);

    /** Sets the credit scheduler's weight (1–65535) and cap (0–100 × maxVcpus); EINVAL outside those ranges. */
    void setSchedCredit(int domid, SchedCredit params);

    /**
     * Writes the domain's state to {@code image}: a header, {@code config} (the toolstack's configuration, stored
     * verbatim) and its memory. The domain must have shut down with reason SUSPEND, unless {@code live} is true
     * (a checkpoint: the domain keeps running); otherwise EINVAL. After a save that is not live the domain is
     * destroyed and its memory freed. The write is atomic: a failed save leaves no image behind (ENOENT when the
     * image's directory does not exist, EIO for other write failures).
     */
    void saveDomain(int domid, Path image, byte[] config, boolean live);

    /**
     * Builds a domain from an image written by {@link #saveDomain}, under a new domid; it is left paused, with its
     * memory reserved and the vCPUs, scheduler parameters and pinning it was saved with, and its CPU time starts
     * from zero. A corrupt or truncated image is EINVAL, a missing one ENOENT, an image whose domain uuid is in use
     * EEXIST; {@link NotEnoughMemoryException} when it does not fit. A failed restore leaves nothing reserved.
     */
    RestoredDomain restoreDomain(Path image);

    /**
     * Streams the domain's state to {@code out} as a migration does, in the image format of {@link #saveDomain}
     * (header, {@code config} verbatim, memory, trailer), and never destroys the domain: the caller destroys it once
     * the image is safe at its destination, or unpauses it to carry on. Not live, the domain must be paused or have
     * shut down with reason SUSPEND. Live, it must not have shut down: its memory is sent while it runs, then it is
     * paused and the final round sent, and it is left paused; if it shuts down meanwhile that is EINVAL, and if its
     * memory, vCPUs, scheduler parameters or pinning changed meanwhile EAGAIN. Any other state is EINVAL, Domain-0
     * EPERM. A write failure on {@code out} is EIO; the domain is then as it was, or paused if the final round of a
     * live send had begun. {@code out} is written to (blocking) and never closed.
     */
    void sendDomain(int domid, WritableByteChannel out, byte[] config, boolean live);

    /**
     * Builds a domain from an image read from {@code in} (blocking), as {@link #restoreDomain} does from a file,
     * with the same result, and reads nothing past the image's end. The whole image is read and checked before
     * anything is reserved: a truncated stream (end of stream within the image) or a corrupt one is EINVAL, a read
     * failure (a socket timeout included) EIO, a domain uuid in use EEXIST, and {@link NotEnoughMemoryException}
     * when it does not fit. A failed receive leaves nothing reserved. {@code in} is never closed.
     */
    RestoredDomain receiveDomain(ReadableByteChannel in);

    /**
     * Writes a core dump of the domain (running, paused or shut down, crashed included) to {@code file}, creating
     * its directory if needed. The domain is left as it was.
     */
    void coreDump(int domid, Path file);

    /**
     * Gives the domain a new handle (its uuid), as {@code xc_domain_sethandle}: a toolstack that keeps a dead domain
     * for debugging under a new identity frees the old uuid for the domain that replaces it. EINVAL for a malformed
     * uuid, EEXIST when another domain has it.
     */
    void setHandle(int domid, String uuid);

    /**
     * Sends a trigger to a vCPU of the domain: {@code nmi} (a Linux guest panics: the domain shuts down with
     * CRASH), {@code reset} (the domain shuts down with REBOOT at once) or {@code init}. EINVAL for any other
     * trigger and for a vCPU the domain does not have.
     */
    void sendTrigger(int domid, String trigger, int vcpu);

    /**
     * The scheduler Xen was booted with ({@code credit} or {@code sedf}), as {@code xc_sched_id} names it. Only that
     * scheduler's per-domain calls work: the other's are EINVAL.
     */
    String scheduler();

    /** The SEDF scheduler's parameters of the domain (EINVAL unless the scheduler is {@code sedf}). */
    SchedSedf schedSedf(int domid);

    /**
     * Sets the SEDF scheduler's parameters of the domain (EINVAL unless the scheduler is {@code sedf}). As Xen checks
     * them: a period and a weight both 0 is EINVAL; with a weight, extratime and a period of 0 make the domain run in
     * extra time only (its weight then counts as extra weight and reads back as 0), otherwise the weight drives its
     * slice; with no weight the domain is time-driven and needs 10 µs ≤ period ≤ 10 s and 5 µs ≤ slice ≤ period.
     * Negative values and weights above 65535 are EINVAL.
     */
    void setSchedSedf(int domid, SchedSedf params);

    /**
     * xc_shadow_control with one of the {@link ShadowOp} operations and no dirty bitmap or allocation: OFF leaves
     * log-dirty and test mode (a domain that needs shadow paging, HVM, keeps it); ENABLE_TEST, ENABLE (no mode
     * flags) and ENABLE_TRANSLATE are EINVAL when the domain already uses shadow paging; ENABLE_LOGDIRTY is EINVAL
     * when it already logs dirty pages; CLEAN and PEEK are EINVAL unless it does; GET_ALLOCATION changes nothing;
     * SET_ALLOCATION sets the allocation to 0, as the call carries no size. Enabling a mode gives the domain at
     * least 1 MiB of shadow memory ({@link NotEnoughMemoryException} when the host does not have it). Any other op
     * is EINVAL, and so is every op on Domain-0 (the control domain cannot shadow itself).
     */
    void shadowControl(int domid, int op);

    /** The domain's shadow page-table allocation in MiB, rounded up (EINVAL for Domain-0). */
    int shadowAllocationMib(int domid);

    /**
     * Sets the domain's shadow page-table allocation (xc_shadow_mem_control): Xen raises a request below its minimum
     * (128 pages per vCPU plus one per MiB of the domain's memory) to that minimum, and the memory comes from the
     * host's free memory ({@link NotEnoughMemoryException} when it cannot). 0 while the domain uses shadow paging is
     * EINVAL, as is any call on Domain-0. Returns the new allocation in MiB, rounded up.
     */
    int setShadowAllocationMib(int domid, int mib);

    /**
     * Allows or denies the domain access to {@code count} I/O ports from {@code first}
     * (xc_domain_ioport_permission). The ports must lie within 0–65535 (EINVAL otherwise); a count of 0 changes
     * nothing.
     */
    void ioportPermission(int domid, int first, int count, boolean allow);

    /**
     * The hypervisor's console ring (xc_readconsolering): what Xen printed, oldest first, at most the ring's size
     * (16 KiB, the oldest output overwritten first). With {@code clear} the ring is emptied once read.
     */
    String readConsoleRing(boolean clear);

    /**
     * Presses debug keys on Xen's console (xc_send_debug_keys): each key with a handler runs it, and the handler
     * prints into the console ring ({@code h} lists the handlers); a key without one does nothing.
     */
    void sendDebugKeys(String keys);

    /**
     * Tells listeners what the daemon may have missed while it was not running: the domains that are shut down
     * and not yet destroyed are reported through {@link DomainListener#domainShutdown} again, asynchronously, as
     * every other notification.
     */
    void replayShutdowns();

    void addListener(DomainListener listener);

    void removeListener(DomainListener listener);
}
