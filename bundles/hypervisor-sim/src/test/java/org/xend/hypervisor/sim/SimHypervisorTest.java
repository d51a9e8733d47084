package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.PhysInfo;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;
import org.xend.api.spi.hypervisor.VersionInfo;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;
import org.xend.api.spi.xenstore.XsWatchListener;

class SimHypervisorTest {
    private static final long MIB = 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long DELAY_MS = 60;

    /** What a domain listener was told, and on which thread. */
    private record Told(String event, int domid, Optional<ShutdownReason> reason, String uuid, String thread) {
    }

    private SimXenStore store;
    private SimHypervisor hv;
    private final BlockingQueue<Told> told = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> domainWatches = new LinkedBlockingQueue<>();

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

    private SimHypervisor start(Map<String, ?> props, LongSupplier clock) {
        hv = new SimHypervisor(store, props, Map.of(), clock);
        hv.addListener(new DomainListener() {
            @Override
            public void domainShutdown(DomainInfo info) {
                told.add(new Told("shutdown", info.domid(), info.shutdownReason(), info.uuid(),
                        Thread.currentThread().getName()));
            }

            @Override
            public void domainReleased(int domid, String uuid) {
                told.add(new Told("released", domid, Optional.empty(), uuid, Thread.currentThread().getName()));
            }
        });
        return hv;
    }

    private SimHypervisor start() {
        return start(Map.of("guestShutdownDelayMs", DELAY_MS), System::nanoTime);
    }

    private static DomainConfig guest(String name, int vcpus, long memoryKib) {
        return new DomainConfig(UUID.randomUUID().toString(), name, false, vcpus, vcpus, memoryKib, memoryKib,
                "/boot/vmlinuz-2.6.18-xen", "", "root=/dev/xvda1 ro", 0);
    }

    private static int errno(Executable call) {
        return assertThrows(HypervisorException.class, call).errno();
    }

    private Told nextTold() throws InterruptedException {
        Told event = told.poll(5, TimeUnit.SECONDS);
        assertTrue(event != null, "expected a listener call");
        return event;
    }

    private void watchDomainPaths() throws InterruptedException {
        store.watch("@introduceDomain", "intro", (path, token) -> domainWatches.add(path));
        store.watch("@releaseDomain", "release", (path, token) -> domainWatches.add(path));
        assertEquals("@introduceDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        assertEquals("@releaseDomain", domainWatches.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void domain0IsPresentAndRunningWithAllPcpusAndItsMemory() {
        start();

        DomainInfo dom0 = hv.domain(0).orElseThrow();
        assertEquals("00000000-0000-0000-0000-000000000000", dom0.uuid());
        assertFalse(dom0.paused());
        assertTrue(dom0.running());
        assertFalse(dom0.shutdown());
        assertEquals(4, dom0.onlineVcpus());
        assertEquals(4, dom0.maxVcpus());
        assertEquals(1024 * MIB, dom0.memoryKib());
        assertEquals(List.of(0), hv.domains().stream().map(DomainInfo::domid).toList());
        assertEquals(List.of(0, 1, 2, 3), hv.vcpus(0).stream().map(VcpuInfo::cpu).toList());
    }

    @Test
    void physinfoDescribesTheConfiguredHost() {
        start(Map.of("nrNodes", 2, "socketsPerNode", "2", "coresPerSocket", 3, "threadsPerCore", 2,
                "cpuMhz", 3000, "memoryMiB", 8192, "dom0MemoryMiB", 512), System::nanoTime);

        PhysInfo info = hv.physinfo();
        assertEquals(24, info.nrCpus());
        assertEquals(3_000_000, info.cpuKhz());
        assertEquals(8192 * MIB, info.totalMemoryKib());
        assertEquals((8192 - 512) * MIB, info.freeMemoryKib());
        assertTrue(info.hwCaps().matches("[0-9a-f]{8}(:[0-9a-f]{8}){7}"), info.hwCaps());
        assertEquals(24, hv.cpus().size());
        assertEquals(24, hv.domain(0).orElseThrow().onlineVcpus());
    }

    @Test
    void versionAndCpusLookLikeXen31OnAnIntelHost() {
        start();

        VersionInfo version = hv.version();
        assertEquals(3, version.xenMajor());
        assertEquals(1, version.xenMinor());
        assertEquals(".0", version.xenExtra());
        assertEquals("credit", version.scheduler());
        assertEquals(4096, version.xenPagesize());
        assertTrue(version.xenCaps().startsWith("xen-3.0-x86_64"));
        assertTrue(version.ccCompiler().contains("simulated"));

        CpuInfo cpu = hv.cpus().get(3);
        assertEquals(3, cpu.number());
        assertEquals("GenuineIntel", cpu.vendor());
        assertEquals(2400, cpu.speedMhz());
        assertTrue(cpu.modelName().endsWith("@ 2.40GHz"), cpu.modelName());
        assertTrue(cpu.flags().contains(" sse2 "));
    }

    @Test
    void domain0CannotBeDestroyedPausedOrShutDown() {
        start();

        assertEquals(1, errno(() -> hv.destroy(0)));
        assertEquals(1, errno(() -> hv.pause(0)));
        assertEquals(1, errno(() -> hv.shutdown(0, ShutdownReason.POWEROFF)));
        assertTrue(hv.domain(0).orElseThrow().running());
    }

    @Test
    void unknownDomainsAreEsrch() {
        start();

        assertEquals(Optional.empty(), hv.domain(42));
        assertEquals(3, errno(() -> hv.pause(42)));
        assertEquals(3, errno(() -> hv.unpause(42)));
        assertEquals(3, errno(() -> hv.shutdown(42, ShutdownReason.REBOOT)));
        assertEquals(3, errno(() -> hv.destroy(42)));
        assertEquals(3, errno(() -> hv.setTargetMemory(42, 1024)));
        assertEquals(3, errno(() -> hv.setMaxMemory(42, 1024)));
        assertEquals(3, errno(() -> hv.vcpus(42)));
    }

    @Test
    void createdDomainsArePausedAndGetIncreasingIdsThatAreNotReused() {
        start();

        int first = hv.createDomain(guest("a", 1, 128 * MIB));
        int second = hv.createDomain(guest("b", 1, 128 * MIB));
        hv.destroy(first);
        int third = hv.createDomain(guest("c", 1, 128 * MIB));

        assertEquals(List.of(1, 2, 3), List.of(first, second, third));
        DomainInfo info = hv.domain(third).orElseThrow();
        assertTrue(info.paused());
        assertFalse(info.running());
        assertFalse(info.shutdown());
    }

    @Test
    void domainIdsWrapBelowTheReservedRangeAndSkipIdsInUse() {
        start();
        int one = hv.createDomain(guest("one", 1, MIB));
        int two = hv.createDomain(guest("two", 1, MIB));
        hv.destroy(one);

        hv.resumeDomidAllocationAfter(0x7FEE);
        int last = hv.createDomain(guest("last", 1, MIB));
        int wrapped = hv.createDomain(guest("wrapped", 1, MIB));
        int skipped = hv.createDomain(guest("skipped", 1, MIB));

        assertEquals(0x7FEF, last);
        assertEquals(1, wrapped);
        assertEquals(two + 1, skipped);
    }

    @Test
    void creationChecksVcpusUuidAndMemoryLimits() {
        start();
        String uuid = UUID.randomUUID().toString();
        hv.createDomain(new DomainConfig(uuid, "first", false, 2, 1, 256 * MIB, 128 * MIB, "", "", "", 0));

        assertEquals(17, errno(() -> hv.createDomain(
                new DomainConfig(uuid, "same uuid", false, 1, 1, MIB, MIB, "", "", "", 0))));
        assertEquals(17, errno(() -> hv.createDomain(
                new DomainConfig(SimHypervisor.DOM0_UUID, "dom0's uuid", false, 1, 1, MIB, MIB, "", "", "", 0))));
        assertEquals(22, errno(() -> hv.createDomain(guest("no vcpus", 0, MIB))));
        assertEquals(22, errno(() -> hv.createDomain(
                new DomainConfig(UUID.randomUUID().toString(), "online > max", false, 2, 3, MIB, MIB, "", "", "",
                        0))));
        assertEquals(22, errno(() -> hv.createDomain(
                new DomainConfig(UUID.randomUUID().toString(), "target > max", false, 1, 1, MIB, 2 * MIB, "", "",
                        "", 0))));
        assertEquals(22, errno(() -> hv.createDomain(
                new DomainConfig("not-a-uuid", "bad uuid", false, 1, 1, MIB, MIB, "", "", "", 0))));
        assertEquals(2, hv.domains().size());
    }

    @Test
    void memoryIsReservedAtCreationAndShortageLeavesNothingBehind() throws Exception {
        start(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024), System::nanoTime);
        watchDomainPaths();
        long free = hv.physinfo().freeMemoryKib();
        assertEquals(3072 * MIB, free);

        int domid = hv.createDomain(guest("big", 2, 2048 * MIB));
        assertEquals("@introduceDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        assertEquals(1024 * MIB, hv.physinfo().freeMemoryKib());
        assertEquals(2048 * MIB, hv.domain(domid).orElseThrow().memoryKib());
        int watchesBefore = store.watchCount();

        NotEnoughMemoryException shortage = assertThrows(NotEnoughMemoryException.class,
                () -> hv.createDomain(guest("too big", 1, 1025 * MIB)));

        assertEquals(1025 * MIB, shortage.neededKib());
        assertEquals(1024 * MIB, shortage.availableKib());
        assertEquals(12, shortage.errno());
        assertEquals(List.of(0, domid), hv.domains().stream().map(DomainInfo::domid).toList());
        assertEquals(1024 * MIB, hv.physinfo().freeMemoryKib());
        assertEquals(watchesBefore, store.watchCount(), "no guest was started");
        assertNull(domainWatches.poll(150, TimeUnit.MILLISECONDS), "no @introduceDomain for a failed creation");
        assertEquals(domid + 1, hv.createDomain(guest("fits", 1, 1024 * MIB)), "the failed one used no id");
        assertEquals(0, hv.physinfo().freeMemoryKib());
    }

    @Test
    void ballooningMovesMemoryAtOnceWithinFreeMemoryAndTheMaximum() {
        start(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 3072), System::nanoTime);
        assertThrows(NotEnoughMemoryException.class, () -> hv.createDomain(guest("g", 1, 2048 * MIB)));

        hv.setTargetMemory(0, 1024 * MIB); // as xend balloons dom0 down to make room
        int domid = hv.createDomain(new DomainConfig(UUID.randomUUID().toString(), "g", false, 1, 1, 2560 * MIB,
                2048 * MIB, "", "", "", 0));
        assertEquals(1024 * MIB, hv.physinfo().freeMemoryKib());

        NotEnoughMemoryException shortage = assertThrows(NotEnoughMemoryException.class,
                () -> hv.setTargetMemory(0, 2049 * MIB));
        assertEquals(1025 * MIB, shortage.neededKib());
        assertEquals(22, errno(() -> hv.setTargetMemory(domid, 2561 * MIB)), "beyond the domain's maximum");

        hv.setTargetMemory(domid, 2560 * MIB);
        DomainInfo info = hv.domain(domid).orElseThrow();
        assertEquals(2560 * MIB, info.memoryKib());
        assertEquals(2560 * MIB, info.targetMemoryKib());
        assertEquals(512 * MIB, hv.physinfo().freeMemoryKib());

        assertEquals(22, errno(() -> hv.setMaxMemory(domid, 2048 * MIB)), "below the current memory");
        hv.setTargetMemory(domid, 1024 * MIB);
        hv.setMaxMemory(domid, 1024 * MIB);
        assertEquals(1024 * MIB, hv.domain(domid).orElseThrow().maxMemoryKib());
        assertEquals(22, errno(() -> hv.setTargetMemory(domid, 1025 * MIB)));
    }

    @Test
    void runningVcpusAccrueTheLoadShareOfWallTimeAndPausedOnesNothing() {
        AtomicLong clock = new AtomicLong(1_000 * SECOND);
        start(Map.of("guestVcpuLoad", "0.05"), clock::get);
        int domid = hv.createDomain(guest("cpu", 2, 64 * MIB));

        clock.addAndGet(SECOND);
        assertEquals(0, hv.domain(domid).orElseThrow().cpuTimeNs(), "created paused");

        hv.unpause(domid);
        clock.addAndGet(SECOND);
        DomainInfo running = hv.domain(domid).orElseThrow();
        assertEquals(100_000_000L, running.cpuTimeNs());
        assertTrue(running.blocked(), "an idle PV guest is blocked");
        assertFalse(running.running());

        hv.pause(domid);
        clock.addAndGet(5 * SECOND);
        assertEquals(100_000_000L, hv.domain(domid).orElseThrow().cpuTimeNs());
        List<VcpuInfo> vcpus = hv.vcpus(domid);
        assertEquals(List.of(50_000_000L, 50_000_000L), vcpus.stream().map(VcpuInfo::cpuTimeNs).toList());
        assertEquals(List.of(0, 1, 2, 3), vcpus.get(0).cpumap());
        assertTrue(vcpus.get(0).online());
        assertFalse(vcpus.get(0).blocked());

        // 7 s since boot: dom0's vCPU on each pCPU was busy 5 % of it; the guest's two vCPUs sit on pCPUs 0 and 1
        assertEquals(350_000_000L, hv.domain(0).orElseThrow().cpuTimeNs() / 4);
        List<Long> idle = hv.cpus().stream().map(CpuInfo::idleTimeNs).toList();
        assertEquals(List.of(6_600_000_000L, 6_600_000_000L, 6_650_000_000L, 6_650_000_000L), idle);
    }

    @Test
    void destroyedDomainsKeepTheirBusyTimeInThePcpuIdleTimes() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.5), clock::get);
        int domid = hv.createDomain(guest("brief", 1, 64 * MIB));
        hv.unpause(domid);
        clock.addAndGet(SECOND);

        hv.destroy(domid);
        clock.addAndGet(SECOND);

        // pCPU 0: 2 s elapsed - 1 s of dom0 (0.5 * 2 s) - 0.5 s of the destroyed guest
        assertEquals(500_000_000L, hv.cpus().get(0).idleTimeNs());
        assertEquals(1_000_000_000L, hv.cpus().get(1).idleTimeNs());
    }

    @Test
    void aNewVcpuLoadAppliesFromTheMomentItIsConfigured() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.05), clock::get);
        int domid = hv.createDomain(guest("load", 1, 64 * MIB));
        hv.unpause(domid);
        clock.addAndGet(SECOND);

        hv.reconfigure(Map.of("guestVcpuLoad", 0.5));
        clock.addAndGet(SECOND);

        assertEquals(550_000_000L, hv.domain(domid).orElseThrow().cpuTimeNs());
    }

    @Test
    void shutdownMarksTheReasonTellsListenersAsynchronouslyAndFiresReleaseDomain() throws Exception {
        start();
        watchDomainPaths();
        int domid = hv.createDomain(guest("down", 1, 64 * MIB));
        assertEquals("@introduceDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        hv.unpause(domid);

        hv.shutdown(domid, ShutdownReason.CRASH);

        DomainInfo info = hv.domain(domid).orElseThrow();
        assertTrue(info.shutdown());
        assertTrue(info.crashed());
        assertFalse(info.running());
        assertFalse(info.blocked());
        Told event = nextTold();
        assertEquals("shutdown", event.event());
        assertEquals(domid, event.domid());
        assertEquals(Optional.of(ShutdownReason.CRASH), event.reason());
        assertEquals("xend-sim-hypervisor-notifier", event.thread());
        assertNotEquals(Thread.currentThread().getName(), event.thread());
        assertEquals("@releaseDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        assertEquals(22, errno(() -> hv.shutdown(domid, ShutdownReason.POWEROFF)), "already shut down");
    }

    @Test
    void aShutDownDomainAccruesNoCpuTime() {
        AtomicLong clock = new AtomicLong(0);
        start(Map.of("guestVcpuLoad", 0.1), clock::get);
        int domid = hv.createDomain(guest("stopped", 1, 64 * MIB));
        hv.unpause(domid);
        clock.addAndGet(SECOND);
        hv.shutdown(domid, ShutdownReason.POWEROFF);
        clock.addAndGet(SECOND);

        assertEquals(100_000_000L, hv.domain(domid).orElseThrow().cpuTimeNs());
    }

    @Test
    void destroyFreesMemoryFiresReleaseDomainAndTellsListeners() throws Exception {
        start();
        watchDomainPaths();
        long freeBefore = hv.physinfo().freeMemoryKib();
        int watchesBefore = store.watchCount();
        DomainConfig config = guest("gone", 2, 512 * MIB);
        int domid = hv.createDomain(config);
        assertEquals("@introduceDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        assertEquals(watchesBefore, store.watchCount(), "a guest that has not run yet watches nothing");
        hv.unpause(domid);
        hv.pause(domid);
        hv.unpause(domid);
        int watchesWithGuest = store.watchCount();
        assertEquals(watchesBefore + 1, watchesWithGuest, "a running guest watches its control directory, once");

        hv.destroy(domid);

        assertEquals(freeBefore, hv.physinfo().freeMemoryKib());
        assertEquals(Optional.empty(), hv.domain(domid));
        assertEquals("@releaseDomain", domainWatches.poll(5, TimeUnit.SECONDS));
        Told event = nextTold();
        assertEquals(new Told("released", domid, Optional.empty(), config.uuid(), "xend-sim-hypervisor-notifier"),
                event);
        assertEquals(watchesBefore, store.watchCount(), "the guest's watch is closed");
        assertEquals(3, errno(() -> hv.destroy(domid)));
    }

    @Test
    void theGuestAnswersPoweroffAfterTheDelayOnlyOnceUnpaused() throws Exception {
        start();
        int domid = hv.createDomain(guest("pv", 1, 64 * MIB));
        String control = "/local/domain/" + domid + "/control/shutdown";

        store.write(control, "poweroff");
        assertNull(told.poll(4 * DELAY_MS, TimeUnit.MILLISECONDS), "a paused guest does nothing");
        assertFalse(hv.domain(domid).orElseThrow().shutdown());
        assertEquals(Optional.of("poweroff"), store.read(control));

        long unpausedAt = System.nanoTime();
        hv.unpause(domid);
        Told event = nextTold();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unpausedAt);

        assertEquals(new Told("shutdown", domid, Optional.of(ShutdownReason.POWEROFF),
                hv.domain(domid).orElseThrow().uuid(), "xend-sim-hypervisor-notifier"), event);
        assertTrue(tookMs >= DELAY_MS, "answered after " + tookMs + " ms");
        assertEquals(Optional.of(""), store.read(control), "the guest clears the request");
        assertEquals(Optional.of(ShutdownReason.POWEROFF), hv.domain(domid).orElseThrow().shutdownReason());
    }

    @Test
    void theGuestAnswersRebootHaltAndSuspendWithTheMatchingReason() throws Exception {
        start();
        Map<String, ShutdownReason> requests = Map.of("reboot", ShutdownReason.REBOOT, "halt", ShutdownReason.HALT,
                "suspend", ShutdownReason.SUSPEND);
        for (Map.Entry<String, ShutdownReason> request : requests.entrySet()) {
            int domid = hv.createDomain(guest(request.getKey(), 1, 64 * MIB));
            hv.unpause(domid);

            store.write("/local/domain/" + domid + "/control/shutdown", request.getKey());

            Told event = nextTold();
            assertEquals(domid, event.domid());
            assertEquals(Optional.of(request.getValue()), event.reason());
        }
    }

    @Test
    void theGuestIgnoresAnUnknownRequest() throws Exception {
        start();
        int domid = hv.createDomain(guest("stubborn", 1, 64 * MIB));
        hv.unpause(domid);
        String control = "/local/domain/" + domid + "/control/shutdown";

        store.write(control, "dance");

        assertNull(told.poll(4 * DELAY_MS, TimeUnit.MILLISECONDS));
        assertFalse(hv.domain(domid).orElseThrow().shutdown());
        assertEquals(Optional.of("dance"), store.read(control), "an unknown request is left in place");
    }

    @Test
    void pausingStopsTheGuestsCountdownUntilItRunsAgain() throws Exception {
        long delayMs = 300;
        start(Map.of("guestShutdownDelayMs", delayMs), System::nanoTime);
        int domid = hv.createDomain(guest("interrupted", 1, 64 * MIB));
        hv.unpause(domid);
        long runningSince = System.nanoTime();
        store.write("/local/domain/" + domid + "/control/shutdown", "poweroff");
        Thread.sleep(delayMs / 4);
        hv.pause(domid);
        long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runningSince);
        assumeTrue(ranMs < delayMs / 2, "the machine was too slow to pause within the countdown");

        assertNull(told.poll(2 * delayMs, TimeUnit.MILLISECONDS), "no progress while paused");
        assertFalse(hv.domain(domid).orElseThrow().shutdown());

        long unpausedAt = System.nanoTime();
        hv.unpause(domid);
        Told event = nextTold();
        long secondRunMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - unpausedAt);

        assertEquals(Optional.of(ShutdownReason.POWEROFF), event.reason());
        assertTrue(ranMs + secondRunMs >= delayMs - 5,
                "ran " + ranMs + " + " + secondRunMs + " ms, short of the " + delayMs + " ms delay");
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheOthers() throws Exception {
        start();
        hv.addListener(new DomainListener() {
            @Override
            public void domainShutdown(DomainInfo info) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
        });
        int domid = hv.createDomain(guest("x", 1, MIB));

        hv.shutdown(domid, ShutdownReason.HALT);
        hv.destroy(domid);

        assertEquals("shutdown", nextTold().event());
        assertEquals("released", nextTold().event());
    }

    @Test
    void needsTheSimulatedXenstore() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimHypervisor(new ForeignXenStore(), Map.of(), Map.of(), System::nanoTime));
        assertTrue(e.getMessage().contains("simulated xenstore"), e.getMessage());
    }

    /** A xenstore that is not the simulator's own. */
    private static final class ForeignXenStore implements XenStore {
        @Override
        public XsTransaction transaction() {
            throw new UnsupportedOperationException();
        }

        @Override
        public XsWatch watch(String path, String token,
                                                       XsWatchListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> read(String path) {
            return Optional.empty();
        }

        @Override
        public void write(String path, String value) {
        }

        @Override
        public void mkdir(String path) {
        }

        @Override
        public void remove(String path) {
        }

        @Override
        public List<String> directory(String path) {
            return List.of();
        }
    }
}
