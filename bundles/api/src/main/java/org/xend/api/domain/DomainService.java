package org.xend.api.domain;

import java.nio.channels.ReadableByteChannel;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;

/**
 * XendDomain for the configuration-speaking doors. {@code vm} is always a VM ref (its uuid); {@link #lookup} turns
 * what an operator types (a name, a domid or a uuid) into one.
 */
@ProviderType
public interface DomainService {

    /** A VM by name, domid or uuid, as xm resolves its {@code dom} arguments. */
    Optional<String> lookup(String nameDomidOrUuid);

    /** Every VM the daemon knows, Domain-0 first, then by name. */
    List<String> vms();

    DomainView view(String vm);

    /** Defines a managed, Halted VM (xm new); returns its ref. The configuration is validated first. */
    String define(VmConfig config);

    /** Starts a VM that is not managed (xm create): it disappears once its domain is gone. Returns its ref. */
    String createStarted(VmConfig config, boolean paused);

    void start(String vm, boolean paused);

    void pause(String vm);

    void unpause(String vm);

    /** Asks the guest to shut down ({@code poweroff}, {@code halt}) or reboot ({@code reboot}) and waits for it. */
    void shutdown(String vm, String reason);

    /** Destroys the VM's domain at once (xm destroy); a managed VM stays defined and Halted. */
    void destroyDomain(String vm);

    /** Forgets a Halted managed VM and its saved configuration (xm delete). */
    void delete(String vm);

    void rename(String vm, String name);

    /** The guest suspends itself into the managed checkpoint (xm suspend). */
    void suspend(String vm);

    /** Rebuilds a suspended VM's domain from its checkpoint (xm resume). */
    void resume(String vm, boolean paused);

    /** Writes the domain's image to an absolute path; without {@code checkpoint} the domain is gone after. */
    void save(String vm, String path, boolean checkpoint);

    /** Builds a domain from a saved image; returns its VM. */
    String restore(String path, boolean paused);

    void sendSysrq(String vm, String key);

    /** {@code nmi}, {@code reset} or {@code init}. */
    void sendTrigger(String vm, String trigger);

    /** The balloon target of a running domain, in bytes (xm mem-set). */
    void setMemoryTarget(String vm, long bytes);

    /** How many of its vCPUs a running domain has online (xm vcpu-set). */
    void setVcpus(String vm, int count);

    /** Pins a vCPU to physical CPUs given as a CPU list such as {@code 0-2,^1} (xm vcpu-pin). */
    void pinVcpu(String vm, int vcpu, String cpus);

    /** The credit scheduler's parameters of a running domain. */
    SchedCredit schedCredit(String vm);

    /** Sets the weight and/or the cap (null leaves one as it is) of a running domain. */
    void setSchedCredit(String vm, Integer weight, Integer cap);

    // ---- core dumps and hypervisor controls (xm dump-core, mem-max, sched-sedf; shadow memory, I/O ports) ----

    /**
     * Writes a core dump of the VM's domain (Running, Paused or Crashed) to {@code file}, an absolute path, or when
     * it is null or empty to a new file under the daemon's {@code dump/} directory; returns the file written. A
     * running domain is paused for the dump unless {@code live}; with {@code crash} the domain is destroyed after
     * it (a managed VM stays defined, Halted), else a domain paused for the dump runs again.
     */
    String dumpCore(String vm, String file, boolean live, boolean crash);

    /**
     * The VM's maximum memory, in bytes (xm mem-max): its {@code memory_static_max}, saved for a managed VM, and the
     * limit of its domain if it has one. It may not fall below {@code memory_dynamic_max}.
     */
    void setMemoryMax(String vm, long bytes);

    /** The SEDF scheduler's parameters of a running domain (xm sched-sedf). */
    SchedSedf schedSedf(String vm);

    /** Sets the SEDF scheduler's parameters of a running domain (xm sched-sedf). */
    void setSchedSedf(String vm, SchedSedf params);

    /** Runs a shadow paging operation ({@link org.xend.api.spi.hypervisor.ShadowOp}) on a running domain. */
    void shadowControl(String vm, int op);

    /** A running domain's shadow page-table memory, in MiB. */
    int shadowMemory(String vm);

    /**
     * Sets a running domain's shadow page-table memory, in MiB (the hypervisor may raise it to its minimum); the VM
     * keeps the result as its {@code shadow_memory}. Returns the new allocation in MiB.
     */
    int setShadowMemory(String vm, int mib);

    /** Allows or denies a running domain access to the I/O ports {@code first} to {@code last}. */
    void setIoportAccess(String vm, int first, int last, boolean allow);

    // ---- devices (xm block-attach, network-attach, …) ----

    /**
     * Adds a device to the VM (xm block-attach, network-attach). With a domain, the device is created through its
     * class's controller and waited for; a managed VM's configuration keeps it. Without a domain only the
     * configuration changes. Returns its devid, or without a domain its position among the class's devices.
     */
    int createDevice(String vm, DeviceConfig device);

    /**
     * Changes a device (xend.domain.device_configure; a CD's media): {@code devid} names it, or, when null, the
     * device's own options ({@code dev}) do.
     */
    void configureDevice(String vm, DeviceConfig device, String devid);

    /**
     * Removes a device named by its devid, guest-side name or uuid (xm block-detach, network-detach); {@code force}
     * removes its xenstore entries without waiting for the backend to close it.
     */
    void destroyDevice(String vm, String deviceClass, String device, boolean force);

    /** The VM's devices of one class (xm block-list, network-list). */
    List<DeviceView> devices(String vm, String deviceClass);

    /** Waits until every device of the VM's domain is connected; fails naming the first one that is not. */
    void waitForDevices(String vm);

    /**
     * Moves a Running or Paused VM to another host's relocation server (xm migrate); port 0 means the relocation
     * port. The source domain is destroyed only once the destination has restored it; after any failure it is left
     * as it was (VM_MIGRATE_FAILED). A managed VM stays defined here, Halted; an unmanaged one is gone.
     */
    void migrate(String vm, String host, int port, boolean live);

    /**
     * The relocation server's side of a migration: checks that this host can take a VM of this uuid, name and
     * memory, runs {@code accepted} (the source may then send), restores the domain from {@code image} and returns
     * the VM, which keeps its uuid, name and configuration and is left Paused for the server to unpause once the
     * source has let go. A VM this host does not know is registered unmanaged; a Halted one it knows takes the
     * domain, as after a restore. Nothing is left behind on failure.
     */
    String receiveMigration(String uuid, String name, long memoryBytes, ReadableByteChannel image,
                            Runnable accepted);

    /**
     * The daemon's log, as {@code host.get_log} gives it (xm log): at most its last MiB, from the first whole line.
     * INTERNAL_ERROR, naming the file, when it is missing or cannot be read.
     */
    String daemonLog();
}
