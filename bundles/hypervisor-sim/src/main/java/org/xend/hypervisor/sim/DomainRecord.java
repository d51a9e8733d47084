package org.xend.hypervisor.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/**
 * One domain as the simulated hypervisor keeps it: plain immutable data, so the table can be persisted later.
 * CPU time is accrued lazily: {@code vcpuTimeNs} holds each vCPU's time up to {@code accountedAtNs}, and a running
 * domain's online vCPUs add {@code load} times the wall time since then. Memory in KiB.
 */
record DomainRecord(int domid, DomainConfig config, long memoryKib, long maxMemoryKib, long targetMemoryKib,
                    int onlineVcpus, boolean paused, Optional<ShutdownReason> shutdownReason,
                    List<Long> vcpuTimeNs, List<Integer> vcpuPcpus, long accountedAtNs) {

    DomainRecord {
        vcpuTimeNs = List.copyOf(vcpuTimeNs);
        vcpuPcpus = List.copyOf(vcpuPcpus);
        if (vcpuTimeNs.size() != config.maxVcpus() || vcpuPcpus.size() != config.maxVcpus()) {
            throw new IllegalArgumentException("domain " + domid + " needs one CPU time and one pCPU per vCPU");
        }
    }

    /** A freshly built domain: paused, with its initial balloon target as its memory. */
    static DomainRecord built(int domid, DomainConfig config, List<Integer> vcpuPcpus, long nowNs) {
        return new DomainRecord(domid, config, config.targetMemoryKib(), config.maxMemoryKib(),
                config.targetMemoryKib(), config.onlineVcpus(), true, Optional.empty(),
                Collections.nCopies(config.maxVcpus(), 0L), vcpuPcpus, nowNs);
    }

    /** Domain 0, running since the host booted. */
    static DomainRecord domain0(DomainConfig config, List<Integer> vcpuPcpus, long nowNs) {
        return new DomainRecord(0, config, config.targetMemoryKib(), config.maxMemoryKib(), config.targetMemoryKib(),
                config.onlineVcpus(), false, Optional.empty(), Collections.nCopies(config.maxVcpus(), 0L),
                vcpuPcpus, nowNs);
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

    long vcpuTimeNs(int vcpu, long nowNs, double load) {
        long accrued = vcpuTimeNs.get(vcpu);
        if (active() && vcpu < onlineVcpus) {
            accrued += (long) (load * Math.max(0, nowNs - accountedAtNs));
        }
        return accrued;
    }

    long cpuTimeNs(long nowNs, double load) {
        long total = 0;
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            total += vcpuTimeNs(vcpu, nowNs, load);
        }
        return total;
    }

    /** Folds the CPU time accrued so far into {@code vcpuTimeNs}, before the run state or the load changes. */
    DomainRecord accruedTo(long nowNs, double load) {
        List<Long> times = new ArrayList<>(maxVcpus());
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            times.add(vcpuTimeNs(vcpu, nowNs, load));
        }
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                shutdownReason, times, vcpuPcpus, nowNs);
    }

    DomainRecord withPaused(boolean nowPaused, long nowNs, double load) {
        DomainRecord r = accruedTo(nowNs, load);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, nowPaused,
                shutdownReason, r.vcpuTimeNs, vcpuPcpus, nowNs);
    }

    DomainRecord shutDown(ShutdownReason reason, long nowNs, double load) {
        DomainRecord r = accruedTo(nowNs, load);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, onlineVcpus, paused,
                Optional.of(reason), r.vcpuTimeNs, vcpuPcpus, nowNs);
    }

    /** The balloon reached its target at once: memory and target are both {@code kib}. */
    DomainRecord withMemory(long kib) {
        return new DomainRecord(domid, config, kib, maxMemoryKib, kib, onlineVcpus, paused, shutdownReason,
                vcpuTimeNs, vcpuPcpus, accountedAtNs);
    }

    DomainRecord withMaxMemory(long kib) {
        return new DomainRecord(domid, config, memoryKib, kib, targetMemoryKib, onlineVcpus, paused, shutdownReason,
                vcpuTimeNs, vcpuPcpus, accountedAtNs);
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
    DomainInfo info(long nowNs, double load) {
        boolean running = false;
        boolean blocked = onlineVcpus > 0;
        for (int vcpu = 0; vcpu < onlineVcpus; vcpu++) {
            running |= vcpuRunning(vcpu);
            blocked &= vcpuBlocked(vcpu);
        }
        return new DomainInfo(domid, uuid(), config.hvm(), paused, running, blocked, false, isShutdown(),
                shutdownReason, memoryKib, maxMemoryKib, targetMemoryKib, cpuTimeNs(nowNs, load), onlineVcpus,
                maxVcpus(), config.ssidref());
    }

    List<VcpuInfo> vcpuInfo(long nowNs, double load, List<Integer> cpumap) {
        List<VcpuInfo> vcpus = new ArrayList<>(maxVcpus());
        for (int vcpu = 0; vcpu < maxVcpus(); vcpu++) {
            vcpus.add(new VcpuInfo(vcpu, vcpu < onlineVcpus, vcpuBlocked(vcpu), vcpuRunning(vcpu),
                    vcpuTimeNs(vcpu, nowNs, load), vcpuPcpus.get(vcpu), cpumap));
        }
        return List.copyOf(vcpus);
    }
}
