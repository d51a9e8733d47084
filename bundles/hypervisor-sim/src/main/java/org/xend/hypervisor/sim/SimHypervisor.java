package org.xend.hypervisor.sim;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.config.DaemonSettings;
import org.xend.api.config.Settings;
import org.xend.api.spi.hypervisor.CpuInfo;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.PhysInfo;
import org.xend.api.spi.hypervisor.RestoredDomain;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.hypervisor.ShadowOp;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;
import org.xend.api.spi.hypervisor.VersionInfo;
import org.xend.api.spi.xenstore.XenStore;

/**
 * A simulated Xen 3.1 host: finite memory and pCPUs, domain ids allocated as Xen does, Domain-0 always present,
 * per-vCPU CPU time (limited by the credit scheduler's cap, accounted on the pCPU each vCPU is pinned to),
 * pause/unpause and shutdown reasons, save images and core dumps written to real files, triggers, and guests that
 * answer {@code control/shutdown} and {@code control/sysrq} in the simulated xenstore like a PV Linux kernel.
 * <p>
 * Each domain is an immutable {@link DomainRecord} in a concurrent table, updated atomically per domain; one small
 * lock serialises what needs the whole table (memory, domain ids, uuids). Listeners are told on a notifier thread
 * and never while a lock is held; guests run their timers on one scheduled executor.
 * <p>
 * Xen outlives its toolstack, and so does the simulator's domain table: with a state directory (see
 * {@link SimStateDirectory}) every change is written to a {@link DurableDomainTable} before the call returns, and
 * a new activation on the same boot of the host takes the domains over (Domain-0 is always built afresh); as on Xen,
 * no domain survives a reboot of the host. The metatype of {@value #PID} is
 * designated on {@link SimHypervisorConfig}, as a component with two configuration PIDs cannot carry a
 * {@code @Designate}.
 */
@Component(service = Hypervisor.class, property = Hypervisor.PROPERTY_TYPE + "=" + SimHypervisor.TYPE,
        configurationPid = {DaemonSettings.PID, SimHypervisor.PID})
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
    static final int MAX_SCHED_WEIGHT = 65535;
    static final String CREDIT = "credit";

    private static final Logger LOG = LoggerFactory.getLogger(SimHypervisor.class);
    private static final long STOP_WAIT_MS = 2_000;

    private final SimXenStore xenStore;
    private final Map<String, String> env;
    private final String karafData;
    private final Optional<Path> stateDirectory;
    private final DomainTable table;
    private final LongSupplier nanoClock;
    private final SimHostSettings host;
    private final long bootNs;
    private final String bootDate;
    private final List<Integer> allPcpus;
    private volatile double vcpuLoad;
    private volatile long shutdownDelayNs;
    /** The scheduler Xen was "booted" with: credit or sedf. */
    private final String scheduler;
    private final ConsoleRing consoleRing = new ConsoleRing(ConsoleRing.DEFAULT_SIZE);
    private final DebugKeys debugKeys;

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
        this(xenStore, properties, System.getenv(), System::nanoTime, System.getProperty("karaf.data"));
    }

    /** Without {@code karafData}: the state is kept only where the properties or the environment say. */
    SimHypervisor(XenStore xenStore, Map<String, ?> properties, Map<String, String> env, LongSupplier nanoClock) {
        this(xenStore, properties, env, nanoClock, null);
    }

    SimHypervisor(XenStore xenStore, Map<String, ?> properties, Map<String, String> env, LongSupplier nanoClock,
                  String karafData) {
        if (!(xenStore instanceof SimXenStore simStore)) {
            throw new IllegalArgumentException("the simulated hypervisor needs the simulated xenstore of its bundle, "
                    + "got " + xenStore);
        }
        this.xenStore = simStore;
        this.env = Map.copyOf(env);
        this.karafData = karafData;
        this.nanoClock = nanoClock;
        this.host = SimHostSettings.from(properties, this.env);
        this.stateDirectory = SimStateDirectory.resolve(properties, this.env, karafData);
        this.vcpuLoad = host.guestVcpuLoad();
        this.shutdownDelayNs = TimeUnit.MILLISECONDS.toNanos(host.guestShutdownDelayMs());
        this.scheduler = schedulerSetting(properties, this.env);
        this.debugKeys = new DebugKeys(consoleRing, debugKeyView());
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
        DurableDomainTable.Contents stored = stateDirectory.map(DurableDomainTable::load)
                .orElse(DurableDomainTable.Contents.EMPTY);
        List<Integer> adopted = adopt(stored);
        this.table = openTable(stored);
        for (int domid : adopted) {
            SimGuest guest = newGuest(domid);
            guests.put(domid, guest);
            guest.start();
        }
        printBootMessages();
        LOG.info("simulated Xen host up: {} pCPUs at {} MHz, {} MiB ({} MiB for Domain-0){}", host.nrCpus(),
                host.cpuMhz(), host.memoryMiB(), domains.get(0).memoryKib() / 1024,
                stateDirectory.map(d -> ", domain table in " + d + " with " + adopted.size() + " domains")
                        .orElse(", domain table in memory only"));
    }

    /**
     * Takes over the domains of the stored table: their CPU time goes on from the stored totals, those that had
     * shut down stay so. Domain-0 gives up memory if the guests now need more than the host has beside it.
     */
    private List<Integer> adopt(DurableDomainTable.Contents stored) {
        long now = nanoClock.getAsLong();
        Set<String> uuids = new HashSet<>();
        uuids.add(DOM0_UUID);
        long guestMemoryKib = 0;
        List<Integer> adopted = new ArrayList<>();
        for (DomainRecord r : stored.domains().stream().sorted(Comparator.comparingInt(DomainRecord::domid))
                .toList()) {
            if (r.domid() == 0 || !isUuid(r.uuid()) || !uuids.add(r.uuid().toLowerCase(Locale.ROOT))) {
                LOG.warn("stored domain {} (uuid {}) cannot be taken over and is dropped", r.domid(), r.uuid());
                continue;
            }
            domains.put(r.domid(), r.reloaded(now, host.nrCpus()));
            guestMemoryKib += r.memoryKib() + r.controls().shadowKib();
            adopted.add(r.domid());
        }
        lastDomid = stored.lastDomid();
        long room = host.totalMemoryKib() - guestMemoryKib;
        if (room < host.dom0MemoryKib()) {
            long dom0Kib = Math.max(0, room);
            domains.computeIfPresent(0, (id, r) -> r.withMemory(dom0Kib));
            if (room < 0) {
                LOG.error("the stored domains hold {} KiB, more than this host's {} KiB", guestMemoryKib,
                        host.totalMemoryKib());
            } else {
                LOG.info("Domain-0 starts with {} KiB: the running domains hold the rest", dom0Kib);
            }
        }
        return adopted;
    }

    private DomainTable openTable(DurableDomainTable.Contents stored) {
        if (stateDirectory.isEmpty()) {
            return DomainTable.inMemory();
        }
        List<DomainRecord> guestsNow = domains.values().stream().filter(r -> r.domid() != 0).toList();
        try {
            return DurableDomainTable.open(stateDirectory.get(), guestsNow, lastDomid, stored.sequence());
        } catch (IOException e) {
            LOG.error("cannot keep the simulated hypervisor's domain table in {} ({}); domains will not survive a "
                    + "restart", stateDirectory.get(), e.toString());
            return DomainTable.inMemory();
        }
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
        if (!SimStateDirectory.resolve(properties, env, karafData).equals(stateDirectory)) {
            LOG.warn("the simulated hypervisor's state directory changes when it restarts; it keeps {} for now",
                    stateDirectory.map(Path::toString).orElse("its domain table in memory"));
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
        if (!schedulerSetting(properties, env).equals(scheduler)) {
            LOG.warn("the simulated hypervisor's scheduler changes when it restarts, as Xen's does at boot; it "
                    + "keeps {} for now", scheduler);
        }
    }

    /**
     * Stops the guests and threads and writes the domain table with the CPU time accrued so far. The domains
     * themselves go on existing, as Xen's do when its toolstack stops.
     */
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
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        synchronized (allocationLock) {
            table.close(domains.values().stream().filter(r -> r.domid() != 0).map(r -> r.accruedTo(now, load))
                    .toList(), lastDomid);
        }
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
                bootDate, scheduler);
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
                busy[r.vcpus().get(vcpu).pcpu()] += r.busyOnPcpuNs(vcpu, now, load);
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
        long ticket;
        synchronized (allocationLock) {
            requireUniqueUuid(config.uuid());
            long free = freeMemoryKib();
            long needed = config.targetMemoryKib() + DomainControls.initial(config).shadowKib();
            if (needed > free) {
                throw new NotEnoughMemoryException(needed, free);
            }
            domid = allocateDomid();
            DomainRecord built = DomainRecord.built(domid, config, assignPcpus(config.maxVcpus(), List.of()), now);
            domains.put(domid, built);
            guests.put(domid, newGuest(domid));
            ticket = table.put(built, domid);
        }
        awaitBuilt(domid, ticket);
        // the guest boots (and registers its watches) when the domain first runs: see unpause
        xenStore.fireDomainWatches(XsPaths.INTRODUCE_DOMAIN);
        LOG.debug("created domain {} ({}, uuid {}): {} KiB, {} of {} vCPUs", domid, config.name(), config.uuid(),
                config.targetMemoryKib(), config.onlineVcpus(), config.maxVcpus());
        return domid;
    }

    @Override
    public void pause(int domid) {
        requireNotDomain0(domid, "paused");
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long ticket = update(domid, r -> r.withPaused(true, now, load));
        guestRunStateChanged(domid);
        table.awaitDurable(ticket);
    }

    @Override
    public void unpause(int domid) {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long ticket = update(domid, r -> r.withPaused(false, now, load));
        SimGuest guest = guests.get(domid);
        if (guest != null) {
            // outside any lock: the guest registers its watch (once), and a destroy racing with us closes it again
            guest.start();
            guest.runStateChanged();
        }
        table.awaitDurable(ticket);
    }

    @Override
    public void shutdown(int domid, ShutdownReason reason) {
        requireNotDomain0(domid, "shut down");
        if (reason == null) {
            throw new HypervisorException("no shutdown reason for domain " + domid, Errno.EINVAL);
        }
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        DomainInfo[] shutDown = new DomainInfo[1];
        long ticket = update(domid, r -> {
            if (r.isShutdown()) {
                throw new HypervisorException("domain " + domid + " is already shut down ("
                        + r.shutdownReason().get().xendName() + ")", Errno.EINVAL);
            }
            DomainRecord down = r.shutDown(reason, now, load);
            shutDown[0] = down.info(now, load);
            return down;
        });
        // told only once the new state is in the table: a listener acting on it (saving a suspended domain, say)
        // must find the domain shut down
        notifyListeners("shutdown of domain " + domid, l -> l.domainShutdown(shutDown[0]));
        guestRunStateChanged(domid);
        // xenstored fires @releaseDomain when a domain shuts down as well as when it dies
        xenStore.fireDomainWatches(XsPaths.RELEASE_DOMAIN);
        table.awaitDurable(ticket);
        LOG.debug("domain {} shut down ({})", domid, reason.xendName());
    }

    @Override
    public void destroy(int domid) {
        requireNotDomain0(domid, "destroyed");
        table.awaitDurable(release(domid));
        LOG.debug("domain {} destroyed", domid);
    }

    @Override
    public void setTargetMemory(int domid, long kib) {
        if (kib <= 0) {
            throw new HypervisorException("memory target must be positive, got " + kib + " KiB", Errno.EINVAL);
        }
        long ticket;
        synchronized (allocationLock) {
            DomainRecord r = requireDomain(domid);
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
            ticket = update(domid, current -> current.withMemory(kib));
        }
        table.awaitDurable(ticket);
    }

    @Override
    public void setMaxMemory(int domid, long kib) {
        if (kib <= 0) {
            throw new HypervisorException("maximum memory must be positive, got " + kib + " KiB", Errno.EINVAL);
        }
        long ticket;
        synchronized (allocationLock) {
            ticket = update(domid, r -> {
                // as Xen's XEN_DOMCTL_max_mem: the cap cannot go below what the domain has
                if (kib < r.memoryKib()) {
                    throw new HypervisorException("maximum " + kib + " KiB is below domain " + domid
                            + "'s current " + r.memoryKib() + " KiB", Errno.EINVAL);
                }
                return r.withMaxMemory(kib);
            });
        }
        table.awaitDurable(ticket);
    }

    @Override
    public List<VcpuInfo> vcpus(int domid) {
        DomainRecord r = requireDomain(domid);
        return r.vcpuInfo(nanoClock.getAsLong(), vcpuLoad, allPcpus);
    }

    @Override
    public void setOnlineVcpus(int domid, int n) {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long ticket = update(domid, r -> {
            if (n < 1 || n > r.maxVcpus()) {
                throw new HypervisorException("domain " + domid + " can have 1 to " + r.maxVcpus()
                        + " vCPUs online, not " + n, Errno.EINVAL);
            }
            return r.withOnlineVcpus(n, now, load);
        });
        table.awaitDurable(ticket);
        LOG.debug("domain {}: {} vCPUs online", domid, n);
    }

    @Override
    public void pinVcpu(int domid, int vcpu, List<Integer> cpus) {
        if (cpus == null) {
            throw new HypervisorException("no CPU list to pin vCPU " + vcpu + " of domain " + domid + " to",
                    Errno.EINVAL);
        }
        TreeSet<Integer> allowed = new TreeSet<>();
        for (Integer cpu : cpus) {
            if (cpu == null || cpu < 0 || cpu >= host.nrCpus()) {
                throw new HypervisorException("no physical CPU " + cpu + ": the host has CPUs 0 to "
                        + (host.nrCpus() - 1), Errno.EINVAL);
            }
            allowed.add(cpu);
        }
        // every pCPU is the same as no pinning at all
        List<Integer> affinity = allowed.size() == host.nrCpus() ? List.of() : List.copyOf(allowed);
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long ticket = update(domid, r -> {
            if (vcpu < 0 || vcpu >= r.maxVcpus()) {
                throw new HypervisorException("domain " + domid + " has no vCPU " + vcpu + " (it has "
                        + r.maxVcpus() + ")", Errno.EINVAL);
            }
            DomainRecord accrued = r.accruedTo(now, load);
            DomainRecord.Vcpu old = accrued.vcpus().get(vcpu);
            int pcpu = affinity.isEmpty() || affinity.contains(old.pcpu()) ? old.pcpu()
                    : affinity.get(vcpu % affinity.size());
            if (pcpu != old.pcpu()) {
                // the time it ran on the old pCPU stays that pCPU's busy time
                retiredBusyNs.addAndGet(old.pcpu(), old.busyOnPcpuNs(old.timeNs()));
            }
            return accrued.withAffinity(vcpu, affinity, pcpu, now, load);
        });
        table.awaitDurable(ticket);
        LOG.debug("domain {}: vCPU {} pinned to {}", domid, vcpu, affinity.isEmpty() ? "any CPU" : affinity);
    }

    @Override
    public SchedCredit schedCredit(int domid) {
        requireScheduler(CREDIT, "credit");
        DomainRecord r = requireDomain(domid);
        return r.sched();
    }

    @Override
    public void setSchedCredit(int domid, SchedCredit params) {
        requireScheduler(CREDIT, "credit");
        if (params == null) {
            throw new HypervisorException("no scheduler parameters for domain " + domid, Errno.EINVAL);
        }
        if (params.weight() < 1 || params.weight() > MAX_SCHED_WEIGHT) {
            throw new HypervisorException("weight must be between 1 and " + MAX_SCHED_WEIGHT + ", got "
                    + params.weight(), Errno.EINVAL);
        }
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        long ticket = update(domid, r -> {
            requireValidCap(params.cap(), r.maxVcpus());
            return r.withSched(params, now, load);
        });
        table.awaitDurable(ticket);
        LOG.debug("domain {}: credit scheduler weight {} cap {}", domid, params.weight(), params.cap());
    }

    @Override
    public void saveDomain(int domid, Path image, byte[] config, boolean live) {
        requireNotDomain0(domid, "saved");
        if (image == null || config == null) {
            throw new HypervisorException("saving domain " + domid + " needs an image path and a configuration",
                    Errno.EINVAL);
        }
        DomainRecord r = requireDomain(domid);
        boolean suspended = r.suspended();
        if (!live && !suspended) {
            throw new HypervisorException("domain " + domid + " has not suspended (it is " + stateOf(r)
                    + "): only a live checkpoint saves a domain that runs", Errno.EINVAL);
        }
        if (r.isShutdown() && !suspended) {
            throw new HypervisorException("domain " + domid + " has shut down (" + stateOf(r)
                    + ") and cannot be saved", Errno.EINVAL);
        }
        try {
            SaveImage.write(image, SaveImage.Header.of(r), config);
        } catch (IOException e) {
            throw fileFailure("cannot write the save image of domain " + domid + " to " + image, e);
        }
        if (!live) {
            try {
                destroy(domid);
            } catch (HypervisorException e) {
                if (e.errno() != Errno.ESRCH) {
                    throw e;
                }
                LOG.debug("domain {} was destroyed while it was being saved", domid);
            }
        }
        LOG.info("domain {} saved to {} ({} KiB of memory{})", domid, image, r.memoryKib(),
                live ? ", live checkpoint" : "");
    }

    @Override
    public RestoredDomain restoreDomain(Path image) {
        if (image == null) {
            throw new HypervisorException("no save image to restore from", Errno.EINVAL);
        }
        SaveImage.Contents contents;
        try {
            contents = SaveImage.read(image);
        } catch (SaveImage.InvalidImageException e) {
            throw new HypervisorException("cannot restore from " + image + ": " + e.getMessage(), Errno.EINVAL);
        } catch (IOException e) {
            throw fileFailure("cannot read the save image " + image, e);
        }
        return restore(contents, image.toString());
    }

    @Override
    public void sendDomain(int domid, WritableByteChannel out, byte[] config, boolean live) {
        requireNotDomain0(domid, "saved");
        if (out == null || config == null) {
            throw new HypervisorException("sending domain " + domid + " needs a channel and a configuration",
                    Errno.EINVAL);
        }
        DomainRecord r = requireDomain(domid);
        boolean suspended = r.suspended();
        if (live ? r.isShutdown() : !suspended && !(r.paused() && !r.isShutdown())) {
            throw new HypervisorException("domain " + domid + " cannot be sent" + (live ? " live" : "")
                    + " while it is " + stateOf(r) + (live ? "" : ": pause it or let it suspend first"),
                    Errno.EINVAL);
        }
        SaveImage.Header sent = SaveImage.Header.of(r);
        try {
            SaveImage.FinalRound finalRound = live ? () -> pauseForFinalRound(domid, sent) : SaveImage.FinalRound.NONE;
            SaveImage.write(out, sent, config, finalRound);
        } catch (IOException e) {
            throw new HypervisorException("cannot send the image of domain " + domid + ": " + e.getMessage(),
                    Errno.EIO);
        }
        LOG.info("domain {} sent ({} KiB of memory{})", domid, sent.memoryKib(), live ? ", live" : "");
    }

    /** The last round of a live send: the domain stops, and what was sent of it must still be true. */
    private void pauseForFinalRound(int domid, SaveImage.Header sent) {
        pause(domid);
        DomainRecord now = domains.get(domid);
        if (now == null) {
            throw noSuchDomain(domid);
        }
        if (now.isShutdown()) {
            throw new HypervisorException("domain " + domid + " " + stateOf(now) + " while it was being sent",
                    Errno.EINVAL);
        }
        if (!SaveImage.Header.of(now).equals(sent)) {
            throw new HypervisorException("domain " + domid + " changed (memory, vCPUs or scheduling) while it was "
                    + "being sent", Errno.EAGAIN);
        }
    }

    @Override
    public RestoredDomain receiveDomain(ReadableByteChannel in) {
        if (in == null) {
            throw new HypervisorException("no stream to receive a domain from", Errno.EINVAL);
        }
        SaveImage.Contents contents;
        try {
            contents = SaveImage.read(in);
        } catch (SaveImage.InvalidImageException e) {
            throw new HypervisorException("cannot receive a domain: " + e.getMessage(), Errno.EINVAL);
        } catch (IOException e) {
            throw new HypervisorException("cannot receive a domain: " + e.getMessage(), Errno.EIO);
        }
        return restore(contents, "a received image");
    }

    /** Builds a domain from a checked image; {@code source} names where it came from in messages. */
    private RestoredDomain restore(SaveImage.Contents contents, String source) {
        SaveImage.Header header = contents.header();
        DomainConfig config = header.config();
        try {
            validate(config);
            requireValidCap(header.sched().cap(), config.maxVcpus());
        } catch (HypervisorException e) {
            throw new HypervisorException("cannot restore from " + source + ": " + e.getMessage(), Errno.EINVAL);
        }
        if (header.sched().weight() < 1 || header.sched().weight() > MAX_SCHED_WEIGHT) {
            throw new HypervisorException("cannot restore from " + source + ": scheduler weight "
                    + header.sched().weight() + " is out of range", Errno.EINVAL);
        }
        List<List<Integer>> affinity = header.vcpuAffinity().stream()
                .map(cpus -> cpus.stream().filter(cpu -> cpu < host.nrCpus()).toList())
                .toList();
        long now = nanoClock.getAsLong();
        int domid;
        long ticket;
        synchronized (allocationLock) {
            requireUniqueUuid(config.uuid());
            long free = freeMemoryKib();
            long needed = header.memoryKib() + DomainControls.initial(config).shadowKib();
            if (needed > free) {
                throw new NotEnoughMemoryException(needed, free);
            }
            domid = allocateDomid();
            List<Integer> pcpus = assignPcpus(config.maxVcpus(), affinity);
            List<DomainRecord.Vcpu> vcpus = new ArrayList<>(config.maxVcpus());
            for (int vcpu = 0; vcpu < config.maxVcpus(); vcpu++) {
                vcpus.add(new DomainRecord.Vcpu(0, pcpus.get(vcpu), 0, affinity.get(vcpu)));
            }
            DomainRecord restored = new DomainRecord(domid, config, header.memoryKib(), header.maxMemoryKib(),
                    header.memoryKib(), header.onlineVcpus(), true, Optional.empty(), header.sched(), vcpus, now,
                    DomainControls.initial(config)); // save images carry no controls, as Xen's restore gives none
            domains.put(domid, restored);
            guests.put(domid, newGuest(domid));
            ticket = table.put(restored, domid);
        }
        awaitBuilt(domid, ticket);
        xenStore.fireDomainWatches(XsPaths.INTRODUCE_DOMAIN);
        LOG.info("restored domain {} ({}, uuid {}) from {}: {} KiB, {} of {} vCPUs", domid, config.name(),
                config.uuid(), source, header.memoryKib(), header.onlineVcpus(), config.maxVcpus());
        return new RestoredDomain(domid, contents.config());
    }

    @Override
    public void coreDump(int domid, Path file) {
        requireNotDomain0(domid, "dumped");
        if (file == null) {
            throw new HypervisorException("no file for the core dump of domain " + domid, Errno.EINVAL);
        }
        DomainRecord r = requireDomain(domid);
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            CoreDump.write(file, r, stateOf(r));
        } catch (IOException e) {
            throw fileFailure("cannot write the core dump of domain " + domid + " to " + file, e);
        }
        LOG.info("domain {} ({}) dumped to {}", domid, stateOf(r), file);
    }

    @Override
    public void setHandle(int domid, String uuid) {
        requireNotDomain0(domid, "given a new handle");
        if (!isUuid(uuid)) {
            throw new HypervisorException("not a uuid: " + uuid, Errno.EINVAL);
        }
        long ticket;
        synchronized (allocationLock) {
            for (DomainRecord other : domains.values()) {
                if (other.domid() != domid && other.uuid().equalsIgnoreCase(uuid)) {
                    throw new HypervisorException("domain " + other.domid() + " already has uuid " + uuid,
                            Errno.EEXIST);
                }
            }
            ticket = update(domid, r -> r.withUuid(uuid.toLowerCase(Locale.ROOT)));
        }
        table.awaitDurable(ticket);
        LOG.debug("domain {} has the handle {} now", domid, uuid);
    }

    @Override
    public void sendTrigger(int domid, String trigger, int vcpu) {
        requireNotDomain0(domid, "sent a trigger");
        DomainRecord r = requireDomain(domid);
        if (vcpu < 0 || vcpu >= r.maxVcpus()) {
            throw new HypervisorException("domain " + domid + " has no vCPU " + vcpu, Errno.EINVAL);
        }
        switch (trigger == null ? "" : trigger) {
            case "nmi" -> {
                if (r.isShutdown()) {
                    throw new HypervisorException("domain " + domid + " has shut down (" + stateOf(r)
                            + "): no NMI can be delivered", Errno.EINVAL);
                }
                SimGuest guest = guests.get(domid);
                if (guest != null) {
                    guest.nmi();
                }
            }
            case "reset" -> {
                LOG.info("domain {}: reset trigger on vCPU {}", domid, vcpu);
                shutdown(domid, ShutdownReason.REBOOT);
            }
            case "init" -> LOG.info("domain {}: INIT trigger on vCPU {} (no effect on a simulated guest)", domid,
                    vcpu);
            default -> throw new HypervisorException("unknown trigger '" + trigger + "': use nmi, reset or init",
                    Errno.EINVAL);
        }
    }

    // ---- the scheduler choice, SEDF, shadow paging, I/O ports and the console ----

    @Override
    public String scheduler() {
        return scheduler;
    }

    @Override
    public SchedSedf schedSedf(int domid) {
        requireScheduler(SedfScheduler.NAME, "SEDF");
        DomainRecord r = requireDomain(domid);
        return SedfScheduler.effective(r, domains.values());
    }

    @Override
    public void setSchedSedf(int domid, SchedSedf params) {
        requireScheduler(SedfScheduler.NAME, "SEDF");
        SchedSedf accepted = SedfScheduler.accept(domid, params);
        long ticket = update(domid, r -> r.withControls(r.controls().withSedf(accepted)));
        table.awaitDurable(ticket);
        LOG.debug("domain {}: SEDF period {} ns slice {} ns latency {} ns extratime {} weight {}", domid,
                accepted.periodNs(), accepted.sliceNs(), accepted.latencyNs(), accepted.extratime(),
                accepted.weight());
    }

    @Override
    public void shadowControl(int domid, int op) {
        requireShadowable(domid);
        long ticket;
        synchronized (allocationLock) {
            DomainRecord r = requireDomain(domid);
            DomainControls c = r.controls();
            int mode = c.shadowMode();
            long pages = c.shadowPages();
            switch (op) {
                case ShadowOp.OFF -> {
                    mode &= ~DomainControls.MODE_LOG_DIRTY;
                    if (mode == DomainControls.MODE_ENABLED) {
                        // nothing but test mode was left: the domain leaves shadow paging and its memory
                        mode = 0;
                        pages = 0;
                    }
                }
                case ShadowOp.ENABLE_TEST, ShadowOp.ENABLE, ShadowOp.ENABLE_TRANSLATE -> {
                    if (c.shadowEnabled()) {
                        throw new HypervisorException("domain " + domid + " already uses shadow paging",
                                Errno.EINVAL);
                    }
                    mode = DomainControls.MODE_ENABLED | (op == ShadowOp.ENABLE_TRANSLATE
                            ? DomainControls.MODE_REFCOUNTS | DomainControls.MODE_TRANSLATE : 0);
                    pages = enablingAllocation(r);
                }
                case ShadowOp.ENABLE_LOGDIRTY -> {
                    if (c.logDirty()) {
                        throw new HypervisorException("domain " + domid + " already logs dirty pages",
                                Errno.EINVAL);
                    }
                    mode |= DomainControls.MODE_ENABLED | DomainControls.MODE_LOG_DIRTY;
                    pages = enablingAllocation(r);
                }
                case ShadowOp.CLEAN, ShadowOp.PEEK -> {
                    if (!c.logDirty()) {
                        throw new HypervisorException("domain " + domid + " does not log dirty pages",
                                Errno.EINVAL);
                    }
                }
                case ShadowOp.GET_ALLOCATION -> {
                    return;
                }
                case ShadowOp.SET_ALLOCATION -> pages = checkedAllocation(r, 0);
                default -> throw new HypervisorException("bad shadow op " + op, Errno.EINVAL);
            }
            int newMode = mode;
            long newPages = pages;
            ticket = update(domid, current -> current.withControls(current.controls().withShadow(newMode, newPages)));
        }
        table.awaitDurable(ticket);
        LOG.debug("domain {}: shadow op {}", domid, op);
    }

    @Override
    public int shadowAllocationMib(int domid) {
        requireShadowable(domid);
        DomainRecord r = requireDomain(domid);
        return r.controls().shadowMib();
    }

    @Override
    public int setShadowAllocationMib(int domid, int mib) {
        requireShadowable(domid);
        if (mib < 0) {
            throw new HypervisorException("a shadow allocation cannot be negative, got " + mib + " MiB",
                    Errno.EINVAL);
        }
        long ticket;
        long pages;
        synchronized (allocationLock) {
            DomainRecord r = requireDomain(domid);
            pages = checkedAllocation(r, (long) mib * DomainControls.PAGES_PER_MIB);
            ticket = update(domid, current -> current.withControls(
                    current.controls().withShadow(current.controls().shadowMode(), pages)));
        }
        table.awaitDurable(ticket);
        LOG.debug("domain {}: shadow allocation {} pages", domid, pages);
        return (int) ((pages + DomainControls.PAGES_PER_MIB - 1) / DomainControls.PAGES_PER_MIB);
    }

    /** The allocation shadow_enable gives a domain: what it has, or at least 1 MiB, from the host's free memory. */
    private long enablingAllocation(DomainRecord r) {
        return r.controls().shadowPages() > 0 ? r.controls().shadowPages()
                : checkedAllocation(r, DomainControls.MIN_ENABLE_PAGES);
    }

    /** The pages Xen settles on for {@code requestedPages}, checked against the rules and the host's free memory. */
    private long checkedAllocation(DomainRecord r, long requestedPages) {
        if (requestedPages == 0 && r.controls().shadowEnabled()) {
            throw new HypervisorException("domain " + r.domid() + " uses shadow paging: its shadow allocation "
                    + "cannot be 0", Errno.EINVAL);
        }
        long pages = DomainControls.allocationFor(requestedPages, r.maxVcpus(), r.memoryKib());
        long growthKib = (pages - r.controls().shadowPages()) * 4;
        long free = freeMemoryKib();
        if (growthKib > free) {
            throw new NotEnoughMemoryException(growthKib, free);
        }
        return pages;
    }

    @Override
    public void ioportPermission(int domid, int first, int count, boolean allow) {
        if (first < 0 || count < 0 || (long) first + count > DomainControls.MAX_PORT + 1L) {
            throw new HypervisorException("I/O ports " + first + " (" + count + " of them) are outside 0 to "
                    + DomainControls.MAX_PORT, Errno.EINVAL);
        }
        if (!domains.containsKey(domid)) {
            throw noSuchDomain(domid);
        }
        if (count == 0) {
            return;
        }
        int last = first + count - 1;
        long ticket = update(domid, r -> r.withControls(r.controls().withIoports(first, last, allow)));
        table.awaitDurable(ticket);
        LOG.debug("domain {}: I/O ports {}-{} {}", domid, Integer.toHexString(first), Integer.toHexString(last),
                allow ? "allowed" : "denied");
    }

    @Override
    public String readConsoleRing(boolean clear) {
        return consoleRing.read(clear);
    }

    @Override
    public void sendDebugKeys(String keys) {
        if (keys == null) {
            throw new HypervisorException("no debug keys", Errno.EINVAL);
        }
        debugKeys.press(keys);
    }

    private void requireScheduler(String name, String what) {
        if (!scheduler.equals(name)) {
            throw new HypervisorException("the " + what + " scheduler's parameters are not available: Xen runs the "
                    + scheduler + " scheduler", Errno.EINVAL);
        }
    }

    /** Xen refuses every shadow operation of the control domain on itself. */
    private static void requireShadowable(int domid) {
        if (domid == 0) {
            throw new HypervisorException("Domain-0 cannot change its own shadow paging", Errno.EINVAL);
        }
    }

    /** The scheduler setting: {@code credit} (Xen 3.1's default) or {@code sedf}. */
    static String schedulerSetting(Map<String, ?> properties, Map<String, String> env) {
        String value = Settings.value(properties, env, "scheduler", "XEND_SIM_SCHEDULER", CREDIT).trim()
                .toLowerCase(Locale.ROOT);
        if (!CREDIT.equals(value) && !SedfScheduler.NAME.equals(value)) {
            throw new IllegalArgumentException("setting scheduler must be credit or sedf, got '" + value + "'");
        }
        return value;
    }

    /** What Xen prints while it boots, as far as the simulated host has it. */
    private void printBootMessages() {
        consoleRing.println("Xen version 3.1.0 (xend@simulator) (" + version().ccCompiler() + ") " + bootDate);
        consoleRing.println("Command line: sched=" + scheduler + " dom0_mem=" + host.dom0MemoryMiB() + "M");
        consoleRing.println("System RAM: " + host.memoryMiB() + "MB (" + host.totalMemoryKib() + "kB)");
        consoleRing.println("Initializing CPU#0");
        consoleRing.println("Using scheduler: " + DebugKeys.schedulerName(scheduler));
        consoleRing.println("Brought up " + host.nrCpus() + " CPUs");
        consoleRing.println("*** LOADING DOMAIN 0 ***");
        consoleRing.println("Scrubbing Free RAM: done.");
        consoleRing.println("Xen trace buffers: disabled");
    }

    private DebugKeys.Host debugKeyView() {
        return new DebugKeys.Host() {
            @Override
            public PhysInfo physinfo() {
                return SimHypervisor.this.physinfo();
            }

            @Override
            public java.util.Collection<DomainRecord> domains() {
                return List.copyOf(domains.values());
            }

            @Override
            public String scheduler() {
                return scheduler;
            }

            @Override
            public long nowNs() {
                return nanoClock.getAsLong() - bootNs;
            }
        };
    }

    @Override
    public void replayShutdowns() {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        domains.values().stream()
                .filter(DomainRecord::isShutdown)
                .sorted(Comparator.comparingInt(DomainRecord::domid))
                .map(r -> r.info(now, load))
                .forEach(info -> notifyListeners("replayed shutdown of domain " + info.domid(),
                        l -> l.domainShutdown(info)));
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
        long ticket;
        synchronized (allocationLock) {
            lastDomid = domid;
            ticket = table.position(domid);
        }
        table.awaitDurable(ticket);
    }

    private long freeMemoryKib() {
        long used = 0;
        for (DomainRecord r : domains.values()) {
            used += r.memoryKib() + r.controls().shadowKib();
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

    /** Spreads the new domain's vCPUs round-robin over the pCPUs, within each vCPU's affinity (if given). */
    private List<Integer> assignPcpus(int vcpus, List<List<Integer>> affinity) {
        List<Integer> pcpus = new ArrayList<>(vcpus);
        for (int vcpu = 0; vcpu < vcpus; vcpu++) {
            List<Integer> allowed = vcpu < affinity.size() ? affinity.get(vcpu) : List.of();
            int pcpu = nextPcpu;
            nextPcpu = (nextPcpu + 1) % allPcpus.size();
            pcpus.add(allowed.isEmpty() || allowed.contains(pcpu) ? pcpu : allowed.get(vcpu % allowed.size()));
        }
        return pcpus;
    }

    /** The domain's record; ESRCH when there is no such domain. */
    private DomainRecord requireDomain(int domid) {
        DomainRecord r = domains.get(domid);
        if (r == null) {
            throw noSuchDomain(domid);
        }
        return r;
    }

    private void requireUniqueUuid(String uuid) {
        for (DomainRecord r : domains.values()) {
            if (r.uuid().equalsIgnoreCase(uuid)) {
                throw new HypervisorException("domain " + r.domid() + " already has uuid " + uuid, Errno.EEXIST);
            }
        }
    }

    /** The credit scheduler's cap: 0 (none) to 100 per vCPU. */
    private static void requireValidCap(int cap, int vcpus) {
        if (cap < 0 || cap > 100 * vcpus) {
            throw new HypervisorException("cap must be between 0 and " + 100 * vcpus + " (100 per vCPU), got "
                    + cap, Errno.EINVAL);
        }
    }

    /**
     * Waits until a new domain is durable. If it cannot be, the domain is taken away again, so that the caller's
     * failure leaves nothing reserved.
     */
    private void awaitBuilt(int domid, long ticket) {
        try {
            table.awaitDurable(ticket);
        } catch (HypervisorException e) {
            try {
                release(domid);
            } catch (HypervisorException ignored) {
                // destroyed by someone else meanwhile
            }
            throw e;
        }
    }

    /** Takes the domain out of the table, gives its memory back and tells listeners; returns the table ticket. */
    private long release(int domid) {
        long now = nanoClock.getAsLong();
        double load = vcpuLoad;
        SimGuest[] guest = new SimGuest[1];
        long[] ticket = {-1};
        domains.computeIfPresent(domid, (id, r) -> {
            for (int vcpu = 0; vcpu < r.maxVcpus(); vcpu++) {
                retiredBusyNs.addAndGet(r.vcpus().get(vcpu).pcpu(), r.busyOnPcpuNs(vcpu, now, load));
            }
            guest[0] = guests.remove(id);
            ticket[0] = table.remove(id);
            notifyListeners("release of domain " + id, l -> l.domainReleased(id, r.uuid()));
            return null;
        });
        if (ticket[0] < 0) {
            throw noSuchDomain(domid);
        }
        if (guest[0] != null) {
            guest[0].close();
        }
        xenStore.fireDomainWatches(XsPaths.RELEASE_DOMAIN);
        return ticket[0];
    }

    private static String stateOf(DomainRecord r) {
        return r.shutdownReason().map(reason -> "shut down: " + reason.xendName())
                .orElse(r.paused() ? "paused" : "running");
    }

    private static HypervisorException fileFailure(String what, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new HypervisorException(what + ": no such file or directory " + e.getMessage(), Errno.ENOENT);
        }
        return new HypervisorException(what + ": " + e, Errno.EIO);
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

    /**
     * Changes one domain atomically and records the change in the domain table (Domain-0 is not recorded: it is
     * rebuilt at every start). Returns the ticket to await once no lock is held.
     */
    private long update(int domid, UnaryOperator<DomainRecord> change) {
        long[] ticket = {0};
        DomainRecord updated = domains.computeIfPresent(domid, (id, r) -> {
            DomainRecord next = change.apply(r);
            ticket[0] = id == 0 ? 0 : table.put(next, DomainTable.UNCHANGED);
            return next;
        });
        if (updated == null) {
            throw noSuchDomain(domid);
        }
        return ticket[0];
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
