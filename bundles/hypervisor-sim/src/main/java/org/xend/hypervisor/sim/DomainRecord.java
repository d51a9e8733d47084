package org.xend.hypervisor.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/**
 * One domain as the simulated hypervisor keeps it: plain immutable data, persisted as it is in the domain table.
 * CPU time is accrued lazily: each vCPU's {@code timeNs} is its time up to {@code accountedAtNs}, and a running
 * domain's online vCPUs add their load share of the wall time since then. Memory in KiB.
 */
record DomainRecord(int domid, DomainConfig config, long memoryKib, long maxMemoryKib, long targetMemoryKib,
                    int onlineVcpus, boolean paused, Optional<ShutdownReason> shutdownReason, SchedCredit sched,
                    List<Vcpu> vcpus, long accountedAtNs, DomainControls controls) {

    /** The credit scheduler's defaults, as Xen gives every new domain. */
    static final SchedCredit DEFAULT_SCHED = new SchedCredit(256, 0);

    /**
     * One vCPU: its CPU time, the pCPU it is accounted on, the part of its time already accounted on other pCPUs
     * (or before this boot of the simulator), and its affinity (empty: every pCPU).
     */
    record Vcpu(long timeNs, int pcpu, long pcpuBaseNs, List<Integer> affinity) {
        Vcpu {
            affinity = List.copyOf(affinity);
        }

        static Vcpu fresh(int pcpu) {
            return new Vcpu(0, pcpu, 0, List.of());
        }

        Vcpu withTime(long newTimeNs) {
            return new Vcpu(newTimeNs, pcpu, pcpuBaseNs, affinity);
        }

        /** Busy time this vCPU has put on its current pCPU in this boot of the simulator. */
        long busyOnPcpuNs(long totalNs) {
            return totalNs - pcpuBaseNs;
        }
    }

    DomainRecord {
        vcpus = List.copyOf(vcpus);
        Objects.requireNonNull(controls, "controls");
        if (vcpus.size() != config.maxVcpus()) {
            throw new IllegalArgumentException("domain " + domid + " needs " + config.maxVcpus() + " vCPUs, got "
                    + vcpus.size());
        }
    }

    /** A freshly built domain: paused, with its initial balloon target as its memory. */
    static DomainRecord built(int domid, DomainConfig config, List<Integer> vcpuPcpus, long nowNs) {
        return new DomainRecord(domid, config, config.targetMemoryKib(), config.maxMemoryKib(),
                config.targetMemoryKib(), config.onlineVcpus(), true, Optional.empty(), DEFAULT_SCHED,
                vcpuPcpus.stream().map(Vcpu::fresh).toList(), nowNs, DomainControls.initial(config));
    }

    /** Domain 0, running since the host booted. */
    static DomainRecord domain0(DomainConfig config, List<Integer> vcpuPcpus, long nowNs) {
        return new DomainRecord(0, config, config.targetMemoryKib(), config.maxMemoryKib(), config.targetMemoryKib(),
                config.onlineVcpus(), false, Optional.empty(), DEFAULT_SCHED,
                vcpuPcpus.stream().map(Vcpu::fresh).toList(), nowNs, DomainControls.domain0());
    }

    String uuid() {
        return config.uuid();
    }

    int maxVcpus() {
        return config.maxVcpus();
    }

    boolean isShutdown() {
        return shutdownReason.isPresent();
    }

    /** Scheduled on pCPUs: neither paused nor shut down. */
    boolean active() {
        return !paused && shutdownReason.isEmpty();
    }

    /** The share of wall time each online vCPU is busy: the guest's load, limited by the domain's cap. */
    double vcpuLoad(double guestLoad) {
        if (sched.cap() == 0 || onlineVcpus == 0) {
            return guestLoad;
        }
        // the cap is in percent of one pCPU for the whole domain
        return Math.min(guestLoad, sched.cap() / (100.0 * onlineVcpus));
    }

    long vcpuTimeNs(int vcpu, long nowNs, double guestLoad) {
        long accrued = vcpus.get(vcpu).timeNs();
        if (active() && vcpu < onlineVcpus) {
            accrued += (long) (vcpuLoad(guestLoad) * Math.max(0, nowNs - accountedAtNs));
        }
        return accrued;
    }

    long cpuTimeNs(long nowNs, double guestLoad) {
        long total = 0;
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            total += vcpuTimeNs(vcpu, nowNs, guestLoad);
        }
        return total;
    }

    /** The busy time the vCPU has put on the pCPU it is accounted on, in this boot of the simulator. */
    long busyOnPcpuNs(int vcpu, long nowNs, double guestLoad) {
        return vcpus.get(vcpu).busyOnPcpuNs(vcpuTimeNs(vcpu, nowNs, guestLoad));
    }

    /** Folds the CPU time accrued so far into the vCPUs, before anything that changes the accrual rate. */
    DomainRecord accruedTo(long nowNs, double guestLoad) {
        List<Vcpu> accrued = new ArrayList<>(maxVcpus());
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            accrued.add(vcpus.get(vcpu).withTime(vcpuTimeNs(vcpu, nowNs, guestLoad)));
        }
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, sched, accrued, nowNs, controls);
    }

    DomainRecord withPaused(boolean nowPaused, long nowNs, double guestLoad) {
        DomainRecord r = accruedTo(nowNs, guestLoad);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, nowPaused,
                shutdownReason, sched, r.vcpus, nowNs, controls);
    }

    DomainRecord shutDown(ShutdownReason reason, long nowNs, double guestLoad) {
        DomainRecord r = accruedTo(nowNs, guestLoad);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                Optional.of(reason), sched, r.vcpus, nowNs, controls);
    }

    /** The balloon reached its target at once: memory and target are both {@code kib}. */
    DomainRecord withMemory(long kib) {
        return new DomainRecord(domid, config, kib, maxMemoryKib, kib, onlineVcpus, paused, shutdownReason, sched,
                vcpus, accountedAtNs, controls);
    }

    /** Whether the domain shut down by suspending itself (its memory is then ready to be saved). */
    boolean suspended() {
        return shutdownReason.filter(reason -> reason == ShutdownReason.SUSPEND).isPresent();
    }

    /** The same domain under another handle (xc_domain_sethandle). */
    DomainRecord withUuid(String uuid) {
        DomainConfig c = config;
        DomainConfig renamed = new DomainConfig(uuid, c.name(), c.hvm(), c.maxVcpus(), c.onlineVcpus(),
                c.maxMemoryKib(), c.targetMemoryKib(), c.kernel(), c.ramdisk(), c.cmdline(), c.ssidref());
        return new DomainRecord(domid, renamed, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, sched, vcpus, accountedAtNs, controls);
    }

    DomainRecord withMaxMemory(long kib) {
        return new DomainRecord(domid, config, memoryKib, kib, targetMemoryKib, onlineVcpus, paused, shutdownReason,
                sched, vcpus, accountedAtNs, controls);
    }

    DomainRecord withOnlineVcpus(int online, long nowNs, double guestLoad) {
        DomainRecord r = accruedTo(nowNs, guestLoad);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, online, paused,
                shutdownReason, sched, r.vcpus, nowNs, controls);
    }

    DomainRecord withControls(DomainControls changed) {
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, sched, vcpus, accountedAtNs, changed);
    }

    DomainRecord withSched(SchedCredit credit, long nowNs, double guestLoad) {
        DomainRecord r = accruedTo(nowNs, guestLoad);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, credit, r.vcpus, nowNs, controls);
    }

    /**
     * Pins a vCPU. When its pCPU is outside the new affinity it moves to {@code newPcpu}; the time it had put on
     * the old pCPU becomes the new base, so that the old pCPU keeps it (the caller retires it there).
     */
    DomainRecord withAffinity(int vcpu, List<Integer> affinity, int newPcpu, long nowNs, double guestLoad) {
        DomainRecord r = accruedTo(nowNs, guestLoad);
        List<Vcpu> changed = new ArrayList<>(r.vcpus);
        Vcpu old = changed.get(vcpu);
        long base = newPcpu == old.pcpu() ? old.pcpuBaseNs() : old.timeNs();
        changed.set(vcpu, new Vcpu(old.timeNs(), newPcpu, base, affinity));
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, sched, changed, nowNs, controls);
    }

    /**
     * The record as a new boot of the simulator takes it over from the domain table: its CPU time goes on from the
     * stored totals, and none of it counts as busy time of this boot's pCPUs.
     */
    DomainRecord reloaded(long nowNs, int nrPcpus) {
        List<Vcpu> moved = new ArrayList<>(maxVcpus());
        for (Vcpu v : vcpus) {
            List<Integer> affinity = v.affinity().stream().filter(cpu -> cpu < nrPcpus).toList();
            int pcpu = v.pcpu() < nrPcpus ? v.pcpu() : v.pcpu() % nrPcpus;
            if (!affinity.isEmpty() && !affinity.contains(pcpu)) {
                pcpu = affinity.get(0);
            }
            moved.add(new Vcpu(v.timeNs(), pcpu, v.timeNs(), affinity));
        }
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, sched, moved, nowNs, controls);
    }

    /**
     * Whether the vCPU is on a pCPU right now. Domain 0's first vCPU is (it runs the toolstack asking); a guest's
     * vCPUs are idle, hence blocked, as a lightly loaded PV guest's nearly always are.
     */
    boolean vcpuRunning(int vcpu) {
        return active() && vcpu < onlineVcpus && domid == 0 && vcpu == 0;
    }

    boolean vcpuBlocked(int vcpu) {
        return active() && vcpu < onlineVcpus && !vcpuRunning(vcpu);
    }

    /** Flags as xc_domain_getinfo gives them: running if any online vCPU runs, blocked if all of them block. */
    DomainInfo info(long nowNs, double guestLoad) {
        boolean running = false;
        boolean blocked = onlineVcpus > 0;
        for (int vcpu = 0; vcpu < onlineVcpus; vcpu++) {
            running |= vcpuRunning(vcpu);
            blocked &= vcpuBlocked(vcpu);
        }
        return new DomainInfo(domid, uuid(), config.hvm(), paused, running, blocked, false, isShutdown(),
                shutdownReason, memoryKib, maxMemoryKib, targetMemoryKib, cpuTimeNs(nowNs, guestLoad), onlineVcpus,
                maxVcpus(), config.ssidref());
    }

    /** @param allPcpus the cpumap of a vCPU that is not pinned */
    List<VcpuInfo> vcpuInfo(long nowNs, double guestLoad, List<Integer> allPcpus) {
        List<VcpuInfo> infos = new ArrayList<>(maxVcpus());
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            Vcpu v = vcpus.get(vcpu);
            infos.add(new VcpuInfo(vcpu, vcpu < onlineVcpus, vcpuBlocked(vcpu), vcpuRunning(vcpu),
                    vcpuTimeNs(vcpu, nowNs, guestLoad), v.pcpu(), v.affinity().isEmpty() ? allPcpus : v.affinity()));
        }
        return List.copyOf(infos);
    }
}
