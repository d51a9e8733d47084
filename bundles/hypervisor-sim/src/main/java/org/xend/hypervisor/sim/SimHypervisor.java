package org.xend.hypervisor.sim;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.hypervisor.CpuInfo;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.PhysInfo;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;
import org.xend.api.spi.hypervisor.VersionInfo;
import org.xend.api.spi.xenstore.XenStore;

/**
 * A simulated Xen 3.1 host: finite memory and pCPUs, domain ids allocated as Xen does, Domain-0 always present,
 * per-vCPU CPU time, pause/unpause and shutdown reasons, and guests that answer {@code control/shutdown} in the
 * simulated xenstore like a PV Linux kernel.
 * <p>
 * Each domain is an immutable {@link DomainRecord} in a concurrent table, updated atomically per domain; one small
 * lock serialises what needs the whole table (memory, domain ids, uuids). Listeners are told on a notifier thread
 * and never while a lock is held; guests run their timers on one scheduled executor.
 */
@Component(service = Hypervisor.class, property = Hypervisor.PROPERTY_TYPE + "=" + SimHypervisor.TYPE,
        configurationPid = SimHypervisor.PID)
@Designate(ocd = SimHypervisorConfig.class)
public final class SimHypervisor implements Hypervisor {
    public static final String PID = "org.xend.hypervisor.sim";
    public static final String TYPE = "sim";

    static final String DOM0_UUID = "00000000-0000-0000-0000-000000000000";
    static final String DOM0_NAME = "Domain-0";
    /** Xen's DOMID_FIRST_RESERVED: ids from here on are special (DOMID_SELF, DOMID_IO …). */
    static final int DOMID_FIRST_RESERVED = 0x7FF0;
    /** MAX_VIRT_CPUS of Xen 3.1 on x86. */
    static final int MAX_VIRT_CPUS = 32;
    static final String XEN_CAPS = "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64";

    private static final Logger LOG = LoggerFactory.getLogger(SimHypervisor.class);
    private static final long STOP_WAIT_MS = 2_000;

    private final SimXenStore xenStore;
    private final Map<String, String> env;
    private final LongSupplier nanoClock;
    private final SimHostSettings host;
    private final long bootNs;
    private final String bootDate;
    private final List<Integer> allPcpus;
    private volatile double vcpuLoad;
    private volatile long shutdownDelayNs;

    private final ConcurrentHashMap<Integer, DomainRecord> domains = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, SimGuest> guests = new ConcurrentHashMap<>();
    /** Busy time of destroyed domains' vCPUs, per pCPU, so that idle times never go back. */
    private final AtomicLongArray retiredBusyNs;
    private final Object allocationLock = new Object();
    private int lastDomid; // guarded by allocationLock
    private int nextPcpu; // guarded by allocationLock

    private final CopyOnWriteArrayList<DomainListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier;
    private final ScheduledThreadPoolExecutor guestScheduler;

    @Activate
    public SimHypervisor(@Reference(name = "xenStore", target = "(type=" + TYPE + ")") XenStore xenStore,
                         Map<String, Object> properties) {
        this(xenStore, properties, System.getenv(), System::nanoTime);
    }

    SimHypervisor(XenStore xenStore, Map<String, ?> properties, Map<String, String> env, LongSupplier nanoClock) {
        if (!(xenStore instanceof SimXenStore simStore)) {
            throw new IllegalArgumentException("the simulated hypervisor needs the simulated xenstore of its bundle, "
                    + "got " + xenStore);
        }
        this.xenStore = simStore;
        this.env = Map.copyOf(env);
        this.nanoClock = nanoClock;
        this.host = SimHostSettings.from(properties, this.env);
        this.vcpuLoad = host.guestVcpuLoad();
        this.shutdownDelayNs = TimeUnit.MILLISECONDS.toNanos(host.guestShutdownDelayMs());
        this.bootNs = nanoClock.getAsLong();
        this.bootDate = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss zzz yyyy", Locale.ROOT)
                .format(ZonedDateTime.now());
        this.allPcpus = IntStream.range(0, host.nrCpus()).boxed().toList();
        this.retiredBusyNs = new AtomicLongArray(host.nrCpus());
        this.notifier = Executors.newSingleThreadExecutor(daemonThreads("xend-sim-hypervisor-notifier"));
        this.guestScheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("xend-sim-guests"));
        guestScheduler.setRemoveOnCancelPolicy(true);

        int dom0Vcpus = Math.min(host.nrCpus(), MAX_VIRT_CPUS);
        DomainConfig dom0 = new DomainConfig(DOM0_UUID, DOM0_NAME, false, dom0Vcpus, dom0Vcpus,
                host.totalMemoryKib(), host.dom0MemoryKib(), "", "", "", 0);
        domains.put(0, DomainRecord.domain0(dom0, allPcpus.subList(0, dom0Vcpus), bootNs));
        LOG.info("simulated Xen host up: {} pCPUs at {} MHz, {} MiB ({} MiB for Domain-0)", host.nrCpus(),
                host.cpuMhz(), host.memoryMiB(), host.dom0MemoryMiB());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        reconfigure(properties);
    }

    /** Applies the guest settings at once; a different host (topology, memory) needs a restart of the component. */
    void reconfigure(Map<String, ?> properties) {
        SimHostSettings updated = SimHostSettings.from(properties, env);
        if (!updated.sameHardwareAs(host)) {
            LOG.warn("simulated host topology and memory changes apply when the simulated hypervisor restarts; "
                    + "it keeps {} pCPUs and {} MiB for now", host.nrCpus(), host.memoryMiB());
        }
        double oldLoad = vcpuLoad;
        if (updated.guestVcpuLoad() != oldLoad) {
            long now = nanoClock.getAsLong();
            for (Integer domid : domains.keySet()) {
                domains.computeIfPresent(domid, (id, r) -> r.accruedTo(now, oldLoad));
            }
            vcpuLoad = updated.guestVcpuLoad();
        }
        shutdownDelayNs = TimeUnit.MILLISECONDS.toNanos(updated.guestShutdownDelayMs());
    }

    @Deactivate
    void deactivate() {
        List<SimGuest> running = new ArrayList<>(guests.values());
        guests.clear();
        running.forEach(SimGuest::close);
        guestScheduler.shutdownNow();
        notifier.shutdownNow();
        try {
            if (!guestScheduler.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)
                    || !notifier.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("simulated hypervisor threads did not stop within {} ms", STOP_WAIT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listeners.clear();
        LOG.info("simulated Xen host stopped");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public PhysInfo physinfo() {
        return new PhysInfo(host.nrNodes(), host.socketsPerNode(), host.coresPerSocket(), host.threadsPerCore(),
                host.nrCpus(), host.cpuMhz() * 1000L, SimCpuModel.HW_CAPS, host.totalMemoryKib(), freeMemoryKib());
    }

    @Override
    public VersionInfo version() {
        return new VersionInfo(3, 1, ".0", XEN_CAPS, 4096, "virt_start=0xffff800000000000", "unavailable",
                "simulated (Xend simulator on Java " + Runtime.version().feature() + ")", "xend", "simulator",
                bootDate, "credit");
    }

    @Override
    public List<CpuInfo> cpus() {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long[] busy = new long[allPcpus.size()];
        for (int cpu = 0; cpu < busy.length; cpu++) {
            busy[cpu] = retiredBusyNs.get(cpu);
        }
        for (DomainRecord r : domains.values()) {
            for (int vcpu = 0; vcpu < r.maxVcpus(); vcpu++) {
                busy[r.vcpuPcpus().get(vcpu)] += r.vcpuTimeNs(vcpu, now, load);
            }
        }
        long elapsed = Math.max(0, now - bootNs);
        String modelName = SimCpuModel.modelName(host.cpuMhz());
        List<CpuInfo> cpus = new ArrayList<>(busy.length);
        for (int cpu = 0; cpu < busy.length; cpu++) {
            cpus.add(new CpuInfo(cpu, SimCpuModel.VENDOR, modelName, SimCpuModel.FAMILY, SimCpuModel.MODEL,
                    SimCpuModel.STEPPING, host.cpuMhz(), SimCpuModel.FLAGS, Math.max(0, elapsed - busy[cpu])));
        }
        return List.copyOf(cpus);
    }

    @Override
    public List<DomainInfo> domains() {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        return domains.values().stream()
                .sorted(Comparator.comparingInt(DomainRecord::domid))
                .map(r -> r.info(now, load))
                .toList();
    }

    @Override
    public Optional<DomainInfo> domain(int domid) {
        DomainRecord r = domains.get(domid);
        return r == null ? Optional.empty() : Optional.of(r.info(nanoClock.getAsLong(), vcpuLoad));
    }

    @Override
    public int createDomain(DomainConfig config) {
        validate(config);
        long now = nanoClock.getAsLong();
        int domid;
        SimGuest guest;
        synchronized (allocationLock) {
            for (DomainRecord r : domains.values()) {
                if (r.uuid().equalsIgnoreCase(config.uuid())) {
                    throw new HypervisorException("domain " + r.domid() + " already has uuid " + config.uuid(),
                            Errno.EEXIST);
                }
            }
            long free = freeMemoryKib();
            if (config.targetMemoryKib() > free) {
                throw new NotEnoughMemoryException(config.targetMemoryKib(), free);
            }
            domid = allocateDomid();
            domains.put(domid, DomainRecord.built(domid, config, assignPcpus(config.maxVcpus()), now));
            guest = newGuest(domid);
            guests.put(domid, guest);
        }
        // outside the lock: the guest registers its watch, and a destroy racing with us closes it again
        guest.start();
        xenStore.fireDomainWatches(XsPaths.INTRODUCE_DOMAIN);
        LOG.info("created domain {} ({}, uuid {}): {} KiB, {} of {} vCPUs", domid, config.name(), config.uuid(),
                config.targetMemoryKib(), config.onlineVcpus(), config.maxVcpus());
        return domid;
    }

    @Override
    public void pause(int domid) {
        requireNotDomain0(domid, "paused");
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        update(domid, r -> r.withPaused(true, now, load));
        guestRunStateChanged(domid);
    }

    @Override
    public void unpause(int domid) {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        update(domid, r -> r.withPaused(false, now, load));
        guestRunStateChanged(domid);
    }

    @Override
    public void shutdown(int domid, ShutdownReason reason) {
        requireNotDomain0(domid, "shut down");
        if (reason == null) {
            throw new HypervisorException("no shutdown reason for domain " + domid, Errno.EINVAL);
        }
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        update(domid, r -> {
            if (r.isShutdown()) {
                throw new HypervisorException("domain " + domid + " is already shut down ("
                        + r.shutdownReason().get().xendName() + ")", Errno.EINVAL);
            }
            DomainRecord down = r.shutDown(reason, now, load);
            DomainInfo info = down.info(now, load);
            // queued while the entry is locked, so it always precedes this domain's domainReleased
            notifyListeners("shutdown of domain " + domid, l -> l.domainShutdown(info));
            return down;
        });
        guestRunStateChanged(domid);
        // xenstored fires @releaseDomain when a domain shuts down as well as when it dies
        xenStore.fireDomainWatches(XsPaths.RELEASE_DOMAIN);
        LOG.info("domain {} shut down ({})", domid, reason.xendName());
    }

    @Override
    public void destroy(int domid) {
        requireNotDomain0(domid, "destroyed");
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        SimGuest[] guest = new SimGuest[1];
        boolean[] found = new boolean[1];
        domains.computeIfPresent(domid, (id, r) -> {
            found[0] = true;
            for (int vcpu = 0; vcpu < r.maxVcpus(); vcpu++) {
                retiredBusyNs.addAndGet(r.vcpuPcpus().get(vcpu), r.vcpuTimeNs(vcpu, now, load));
            }
            guest[0] = guests.remove(id);
            notifyListeners("release of domain " + id, l -> l.domainReleased(id, r.uuid()));
            return null;
        });
        if (!found[0]) {
            throw noSuchDomain(domid);
        }
        if (guest[0] != null) {
            guest[0].close();
        }
        xenStore.fireDomainWatches(XsPaths.RELEASE_DOMAIN);
        LOG.info("domain {} destroyed", domid);
    }

    @Override
    public void setTargetMemory(int domid, long kib) {
        if (kib <= 0) {
            throw new HypervisorException("memory target must be positive, got " + kib + " KiB", Errno.EINVAL);
        }
        synchronized (allocationLock) {
            DomainRecord r = domains.get(domid);
            if (r == null) {
                throw noSuchDomain(domid);
            }
            if (kib > r.maxMemoryKib()) {
                throw new HypervisorException("memory target " + kib + " KiB exceeds domain " + domid
                        + "'s maximum of " + r.maxMemoryKib() + " KiB", Errno.EINVAL);
            }
            long growth = kib - r.memoryKib();
            if (growth > 0) {
                long free = freeMemoryKib();
                if (growth > free) {
                    throw new NotEnoughMemoryException(growth, free);
                }
            }
            update(domid, current -> current.withMemory(kib));
        }
    }

    @Override
    public void setMaxMemory(int domid, long kib) {
        if (kib <= 0) {
            throw new HypervisorException("maximum memory must be positive, got " + kib + " KiB", Errno.EINVAL);
        }
        synchronized (allocationLock) {
            update(domid, r -> {
                // as Xen's XEN_DOMCTL_max_mem: the cap cannot go below what the domain has
                if (kib < r.memoryKib()) {
                    throw new HypervisorException("maximum " + kib + " KiB is below domain " + domid
                            + "'s current " + r.memoryKib() + " KiB", Errno.EINVAL);
                }
                return r.withMaxMemory(kib);
            });
        }
    }

    @Override
    public List<VcpuInfo> vcpus(int domid) {
        DomainRecord r = domains.get(domid);
        if (r == null) {
            throw noSuchDomain(domid);
        }
        return r.vcpuInfo(nanoClock.getAsLong(), vcpuLoad, allPcpus);
    }

    @Override
    public void addListener(DomainListener listener) {
        if (listener != null) {
            listeners.addIfAbsent(listener);
        }
    }

    @Override
    public void removeListener(DomainListener listener) {
        listeners.remove(listener);
    }

    /** Restores where domain id allocation continues from, e.g. after a restart; the next id is the one after. */
    void resumeDomidAllocationAfter(int domid) {
        if (domid < 0 || domid >= DOMID_FIRST_RESERVED) {
            throw new IllegalArgumentException("not an allocatable domain id: " + domid);
        }
        synchronized (allocationLock) {
            lastDomid = domid;
        }
    }

    private long freeMemoryKib() {
        long used = 0;
        for (DomainRecord r : domains.values()) {
            used += r.memoryKib();
        }
        return host.totalMemoryKib() - used;
    }

    /** As Xen does: the id after the last one given, skipping ids in use, wrapping to 1 below the reserved ids. */
    private int allocateDomid() {
        int candidate = lastDomid;
        for (int tried = 1; tried < DOMID_FIRST_RESERVED; tried++) {
            candidate = candidate + 1 >= DOMID_FIRST_RESERVED ? 1 : candidate + 1;
            if (!domains.containsKey(candidate)) {
                lastDomid = candidate;
                return candidate;
            }
        }
        throw new HypervisorException("no free domain id", Errno.ENOMEM);
    }

    /** Spreads the new domain's vCPUs round-robin over the pCPUs. */
    private List<Integer> assignPcpus(int vcpus) {
        List<Integer> pcpus = new ArrayList<>(vcpus);
        for (int vcpu = 0; vcpu < vcpus; vcpu++) {
            pcpus.add(nextPcpu);
            nextPcpu = (nextPcpu + 1) % allPcpus.size();
        }
        return pcpus;
    }

    private static void validate(DomainConfig config) {
        if (config == null) {
            throw new HypervisorException("no domain configuration", Errno.EINVAL);
        }
        if (!isUuid(config.uuid())) {
            throw new HypervisorException("not a uuid: " + config.uuid(), Errno.EINVAL);
        }
        if (config.maxVcpus() < 1 || config.maxVcpus() > MAX_VIRT_CPUS) {
            throw new HypervisorException("maxVcpus must be between 1 and " + MAX_VIRT_CPUS + ", got "
                    + config.maxVcpus(), Errno.EINVAL);
        }
        if (config.onlineVcpus() < 1 || config.onlineVcpus() > config.maxVcpus()) {
            throw new HypervisorException("onlineVcpus must be between 1 and maxVcpus (" + config.maxVcpus()
                    + "), got " + config.onlineVcpus(), Errno.EINVAL);
        }
        if (config.maxMemoryKib() <= 0) {
            throw new HypervisorException("maxMemoryKib must be positive, got " + config.maxMemoryKib(),
                    Errno.EINVAL);
        }
        if (config.targetMemoryKib() <= 0 || config.targetMemoryKib() > config.maxMemoryKib()) {
            throw new HypervisorException("targetMemoryKib must be between 1 and maxMemoryKib ("
                    + config.maxMemoryKib() + "), got " + config.targetMemoryKib(), Errno.EINVAL);
        }
    }

    private static boolean isUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private DomainRecord update(int domid, UnaryOperator<DomainRecord> change) {
        DomainRecord updated = domains.computeIfPresent(domid, (id, r) -> change.apply(r));
        if (updated == null) {
            throw noSuchDomain(domid);
        }
        return updated;
    }

    private static void requireNotDomain0(int domid, String what) {
        if (domid == 0) {
            throw new HypervisorException("Domain-0 cannot be " + what, Errno.EPERM);
        }
    }

    private static HypervisorException noSuchDomain(int domid) {
        return new HypervisorException("no such domain: " + domid, Errno.ESRCH);
    }

    private void guestRunStateChanged(int domid) {
        SimGuest guest = guests.get(domid);
        if (guest != null) {
            guest.runStateChanged();
        }
    }

    private SimGuest newGuest(int domid) {
        SimGuest.Domain domain = new SimGuest.Domain() {
            @Override
            public int domid() {
                return domid;
            }

            @Override
            public boolean isRunning() {
                DomainRecord r = domains.get(domid);
                return r != null && r.active();
            }

            @Override
            public void shutdown(ShutdownReason reason) {
                SimHypervisor.this.shutdown(domid, reason);
            }
        };
        return new SimGuest(domain, xenStore, guestScheduler, nanoClock, () -> shutdownDelayNs);
    }

    /** Queues a call of every listener on the notifier thread; one listener failing does not stop the others. */
    private void notifyListeners(String event, Consumer<DomainListener> call) {
        try {
            notifier.execute(() -> {
                for (DomainListener listener : listeners) {
                    try {
                        call.accept(listener);
                    } catch (RuntimeException e) {
                        LOG.warn("domain listener {} failed on {}", listener, event, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("simulated hypervisor stopped; {} not delivered", event);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
