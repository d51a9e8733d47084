package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.xend.api.spi.hypervisor.CpuInfo;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/** Live tuning (vCPUs, pinning, credit scheduler), triggers and the guest's sysrq handling. */
class SimTuningAndTriggersTest {
    private static final long MIB = 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long DELAY_MS = 40;

    private SimXenStore store;
    private SimHypervisor hv;
    private final BlockingQueue<DomainInfo> shutdowns = new LinkedBlockingQueue<>();

    @BeforeEach
    void startStore() {
        store = new SimXenStore();
        store.activate();
    }

    @AfterEach
    void stopAll() {
        if (hv != null) {
            hv.deactivate();
        }
        store.deactivate();
    }

    private void start(Map<String, ?> props, LongSupplier clock) {
        hv = new SimHypervisor(store, props, Map.of(), clock);
        hv.addListener(new DomainListener() {
            @Override
            public void domainShutdown(DomainInfo info) {
                shutdowns.add(info);
            }
        });
    }

    private void start() {
        start(Map.of("guestShutdownDelayMs", DELAY_MS), System::nanoTime);
    }

    private static DomainConfig guest(String name, int vcpus) {
        return new DomainConfig(UUID.randomUUID().toString(), name, false, vcpus, vcpus, 64 * MIB, 64 * MIB,
                "/boot/vmlinuz-2.6.18-xen", "", "root=/dev/xvda1 ro", 0);
    }

    private static int errno(Executable call) {
        return assertThrows(HypervisorException.class, call).errno();
    }

    private DomainInfo nextShutdown() throws InterruptedException {
        DomainInfo info = shutdowns.poll(5, TimeUnit.SECONDS);
        assertTrue(info != null, "expected the domain to shut down");
        return info;
    }

    private int runningDomain(String name, int vcpus) {
        int domid = hv.createDomain(guest(name, vcpus));
        hv.unpause(domid);
        return domid;
    }

    @Test
    void onlineVcpusChangeWithinTheMaximumAndOfflineOnesAccrueNothing() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.5), clock::get);
        int domid = runningDomain("vcpus", 4);

        hv.setOnlineVcpus(domid, 2);
        clock.addAndGet(SECOND);

        assertEquals(2, hv.domain(domid).orElseThrow().onlineVcpus());
        assertEquals(List.of(500_000_000L, 500_000_000L, 0L, 0L),
                hv.vcpus(domid).stream().map(VcpuInfo::cpuTimeNs).toList());
        assertEquals(List.of(true, true, false, false), hv.vcpus(domid).stream().map(VcpuInfo::online).toList());
        assertEquals(22, errno(() -> hv.setOnlineVcpus(domid, 0)));
        assertEquals(22, errno(() -> hv.setOnlineVcpus(domid, 5)));
        assertEquals(3, errno(() -> hv.setOnlineVcpus(42, 1)));

        hv.setOnlineVcpus(domid, 4);
        clock.addAndGet(SECOND);
        assertEquals(3 * SECOND, hv.domain(domid).orElseThrow().cpuTimeNs());
    }

    @Test
    void pinningValidatesCpusAndMovesTheVcpusAccountingToAnAllowedPcpu() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.5, "coresPerSocket", 4), clock::get);
        int domid = runningDomain("pinned", 1);
        assertEquals(0, hv.vcpus(domid).get(0).cpu(), "the first guest vCPU starts on pCPU 0");
        clock.addAndGet(SECOND);

        hv.pinVcpu(domid, 0, List.of(3));
        clock.addAndGet(SECOND);

        VcpuInfo vcpu = hv.vcpus(domid).get(0);
        assertEquals(3, vcpu.cpu());
        assertEquals(List.of(3), vcpu.cpumap());
        // Domain-0's vCPU n runs on pCPU n at half load: 1 s busy of 2 s on every pCPU
        List<Long> idle = hv.cpus().stream().map(CpuInfo::idleTimeNs).toList();
        assertEquals(500_000_000L, idle.get(0), "pCPU 0 keeps the second the guest ran there");
        assertEquals(1_000_000_000L, idle.get(1));
        assertEquals(500_000_000L, idle.get(3), "pCPU 3 carries the guest since it was pinned");

        hv.pinVcpu(domid, 0, List.of());
        assertEquals(List.of(0, 1, 2, 3), hv.vcpus(domid).get(0).cpumap(), "an empty list unpins");
        assertEquals(3, hv.vcpus(domid).get(0).cpu(), "unpinning does not move the vCPU");

        assertEquals(22, errno(() -> hv.pinVcpu(domid, 0, List.of(4))), "no such pCPU");
        assertEquals(22, errno(() -> hv.pinVcpu(domid, 0, List.of(-1))));
        assertEquals(22, errno(() -> hv.pinVcpu(domid, 1, List.of(0))), "no such vCPU");
        assertEquals(3, errno(() -> hv.pinVcpu(42, 0, List.of(0))));
    }

    @Test
    void creditSchedulerParametersAreValidatedAndTheCapLimitsTheAccountedLoad() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.5), clock::get);
        int domid = runningDomain("capped", 2);
        assertEquals(new SchedCredit(256, 0), hv.schedCredit(domid), "Xen's defaults");

        hv.setSchedCredit(domid, new SchedCredit(1024, 50));
        clock.addAndGet(SECOND);

        assertEquals(new SchedCredit(1024, 50), hv.schedCredit(domid));
        assertEquals(SECOND / 2, hv.domain(domid).orElseThrow().cpuTimeNs(),
                "a cap of 50 % holds the domain to half a pCPU, though its two vCPUs would use one");

        hv.setSchedCredit(domid, new SchedCredit(1, 200));
        clock.addAndGet(SECOND);
        assertEquals(SECOND / 2 + SECOND, hv.domain(domid).orElseThrow().cpuTimeNs(), "a cap above the load");

        assertEquals(22, errno(() -> hv.setSchedCredit(domid, new SchedCredit(0, 0))));
        assertEquals(22, errno(() -> hv.setSchedCredit(domid, new SchedCredit(65536, 0))));
        assertEquals(22, errno(() -> hv.setSchedCredit(domid, new SchedCredit(256, -1))));
        assertEquals(22, errno(() -> hv.setSchedCredit(domid, new SchedCredit(256, 201))), "2 vCPUs: at most 200");
        hv.setSchedCredit(domid, new SchedCredit(65535, 0));
        assertEquals(new SchedCredit(65535, 0), hv.schedCredit(domid));
        assertEquals(3, errno(() -> hv.schedCredit(42)));
        assertEquals(3, errno(() -> hv.setSchedCredit(42, new SchedCredit(256, 0))));
    }

    @Test
    void anNmiMakesALinuxGuestPanicAfterItsDelayOnceItRuns() throws Exception {
        start();
        int domid = hv.createDomain(guest("nmi", 2));

        hv.sendTrigger(domid, "nmi", 1);
        assertNull(shutdowns.poll(4 * DELAY_MS, TimeUnit.MILLISECONDS), "a paused guest cannot panic");

        long unpausedAt = System.nanoTime();
        hv.unpause(domid);
        DomainInfo crashed = nextShutdown();

        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unpausedAt) >= DELAY_MS);
        assertEquals(domid, crashed.domid());
        assertTrue(crashed.crashed());
        assertEquals(22, errno(() -> hv.sendTrigger(domid, "nmi", 0)), "a crashed domain takes no NMI");
    }

    @Test
    void resetRebootsAtOnceInitDoesNothingAndOtherTriggersOrVcpusAreRefused() throws Exception {
        start();
        int domid = runningDomain("triggers", 1);

        assertEquals(22, errno(() -> hv.sendTrigger(domid, "nmi", 1)), "vCPU 1 does not exist");
        assertEquals(22, errno(() -> hv.sendTrigger(domid, "reset", -1)));
        assertEquals(22, errno(() -> hv.sendTrigger(domid, "sleep", 0)));
        assertEquals(22, errno(() -> hv.sendTrigger(domid, null, 0)));
        assertEquals(3, errno(() -> hv.sendTrigger(42, "nmi", 0)));
        assertEquals(1, errno(() -> hv.sendTrigger(0, "nmi", 0)));

        hv.sendTrigger(domid, "init", 0);
        assertNull(shutdowns.poll(4 * DELAY_MS, TimeUnit.MILLISECONDS));
        assertFalse(hv.domain(domid).orElseThrow().shutdown());

        hv.sendTrigger(domid, "reset", 0);
        assertEquals(Optional.of(ShutdownReason.REBOOT), hv.domain(domid).orElseThrow().shutdownReason(),
                "a reset takes effect before the call returns");
        assertEquals(Optional.of(ShutdownReason.REBOOT), nextShutdown().shutdownReason());
    }

    @Test
    void theGuestClearsSysrqAndCrashesRebootsOrPowersOffOnCBAndO() throws Exception {
        start();
        Map<String, ShutdownReason> keys = Map.of("c", ShutdownReason.CRASH, "b", ShutdownReason.REBOOT,
                "o", ShutdownReason.POWEROFF);
        for (Map.Entry<String, ShutdownReason> key : keys.entrySet()) {
            int domid = runningDomain("sysrq-" + key.getKey(), 1);
            String sysrq = "/local/domain/" + domid + "/control/sysrq";

            store.write(sysrq, key.getKey());

            DomainInfo down = nextShutdown();
            assertEquals(domid, down.domid());
            assertEquals(Optional.of(key.getValue()), down.shutdownReason(), "sysrq " + key.getKey());
            assertEquals(Optional.of(""), store.read(sysrq), "the guest clears the key");
        }
    }

    @Test
    void otherSysrqKeysAreClearedWithoutShuttingDownAndAPausedGuestWaits() throws Exception {
        start();
        int domid = hv.createDomain(guest("sysrq-h", 1));
        String sysrq = "/local/domain/" + domid + "/control/sysrq";

        store.write(sysrq, "h");
        Thread.sleep(4 * DELAY_MS);
        assertEquals(Optional.of("h"), store.read(sysrq), "a paused guest does not read its sysrq node");

        hv.unpause(domid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!store.read(sysrq).orElseThrow().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Optional.of(""), store.read(sysrq));
        assertNull(shutdowns.poll(4 * DELAY_MS, TimeUnit.MILLISECONDS));
        assertFalse(hv.domain(domid).orElseThrow().shutdown());
    }
}
