package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/**
 * The simulator outlives the daemon: its domain table and xenstore tree come back after a clean stop and after a
 * kill. A kill is played by building a new simulator on the same state directory while the old one still runs,
 * never stopped, so that it writes nothing more.
 */
class SimDurableStateTest {
    private static final Logger LOG = LoggerFactory.getLogger(SimDurableStateTest.class);
    private static final long MIB = 1024;
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path state;

    /** Everything started, stopped at the end unless it was "killed". */
    private final List<Runnable> stops = new ArrayList<>();
    private final BlockingQueue<DomainInfo> replayed = new LinkedBlockingQueue<>();

    @AfterEach
    void stopAll() {
        for (int i = stops.size() - 1; i >= 0; i--) {
            stops.get(i).run();
        }
    }

    private SimXenStore store() {
        SimXenStore store = new SimXenStore(Optional.of(state));
        store.activate();
        return store;
    }

    private SimHypervisor hypervisor(SimXenStore store, LongSupplier clock) {
        SimHypervisor hv = new SimHypervisor(store, Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestVcpuLoad", 0.5, "guestShutdownDelayMs", 20, SimStateDirectory.KEY, state.toString()),
                Map.of(), clock);
        hv.addListener(new DomainListener() {
            @Override
            public void domainShutdown(DomainInfo info) {
                replayed.add(info);
            }
        });
        return hv;
    }

    /** A simulator that will be stopped cleanly at the end of the test. */
    private SimHypervisor started(SimXenStore store, LongSupplier clock) {
        SimHypervisor hv = hypervisor(store, clock);
        stops.add(store::deactivate);
        stops.add(hv::deactivate);
        return hv;
    }

    private static DomainConfig guest(String name, int vcpus, long memoryKib) {
        return new DomainConfig(UUID.randomUUID().toString(), name, false, vcpus, vcpus, memoryKib, memoryKib,
                "/boot/vmlinuz-2.6.18-xen", "", "root=/dev/xvda1 ro", 0);
    }

    @Test
    void aKilledSimulatorsDomainsComeBackAsTheyWereAndIdsGoOn() throws Exception {
        AtomicLong clock = new AtomicLong(1_000 * SECOND);
        SimHypervisor before = hypervisor(store(), clock::get);
        int running = before.createDomain(guest("running", 2, 512 * MIB));
        before.unpause(running);
        clock.addAndGet(SECOND);
        before.setTargetMemory(running, 256 * MIB); // no accrual
        before.setSchedCredit(running, new SchedCredit(512, 0)); // accrues 2 x 0.5 s
        before.pinVcpu(running, 1, List.of(3));
        int paused = before.createDomain(guest("paused", 1, 128 * MIB));
        int crashed = before.createDomain(guest("crashed", 1, 64 * MIB));
        before.unpause(crashed);
        before.shutdown(crashed, ShutdownReason.CRASH);
        int gone = before.createDomain(guest("gone", 1, 64 * MIB));
        before.destroy(gone);
        clock.addAndGet(5 * SECOND); // never recorded: lost with the kill

        AtomicLong clockAfter = new AtomicLong(7 * SECOND);
        SimHypervisor after = started(store(), clockAfter::get);

        assertEquals(List.of(0, running, paused, crashed), after.domains().stream().map(DomainInfo::domid).toList());
        DomainInfo r = after.domain(running).orElseThrow();
        assertFalse(r.paused());
        assertFalse(r.shutdown());
        assertEquals(256 * MIB, r.memoryKib());
        assertEquals(SECOND, r.cpuTimeNs(), "CPU time goes on from the stored total");
        assertEquals(new SchedCredit(512, 0), after.schedCredit(running));
        VcpuInfo pinned = after.vcpus(running).get(1);
        assertEquals(List.of(3), pinned.cpumap());
        assertEquals(3, pinned.cpu());
        assertTrue(after.domain(paused).orElseThrow().paused());
        assertEquals(Optional.of(ShutdownReason.CRASH), after.domain(crashed).orElseThrow().shutdownReason());
        assertEquals(1024 * MIB, after.domain(0).orElseThrow().memoryKib(), "Domain-0 is built afresh");
        assertEquals((4096 - 1024 - 256 - 128 - 64) * MIB, after.physinfo().freeMemoryKib());

        clockAfter.addAndGet(SECOND);
        assertEquals(2 * SECOND, after.domain(running).orElseThrow().cpuTimeNs(), "and accrues again");
        assertEquals(gone + 1, after.createDomain(guest("next", 1, MIB)), "domain ids are not reused");

        after.replayShutdowns();
        DomainInfo told = replayed.poll(5, TimeUnit.SECONDS);
        assertTrue(told != null, "the crashed domain is reported again");
        assertEquals(crashed, told.domid());
        assertTrue(told.crashed());
    }

    @Test
    void adoptedGuestsStillAnswerControlShutdownAndPendingRequestsSurvive() throws Exception {
        SimXenStore storeBefore = store();
        SimHypervisor before = hypervisor(storeBefore, System::nanoTime);
        int waiting = before.createDomain(guest("waiting", 1, 64 * MIB));
        int asked = before.createDomain(guest("asked", 1, 64 * MIB));
        before.unpause(asked);
        // a request the paused guest has not acted on yet
        storeBefore.write("/local/domain/" + waiting + "/control/shutdown", "reboot");
        before.deactivate();
        storeBefore.deactivate();

        SimXenStore storeAfter = store();
        SimHypervisor after = started(storeAfter, System::nanoTime);
        replayed.clear();
        storeAfter.write("/local/domain/" + asked + "/control/shutdown", "poweroff");
        DomainInfo first = replayed.poll(5, TimeUnit.SECONDS);
        after.unpause(waiting);
        DomainInfo second = replayed.poll(5, TimeUnit.SECONDS);

        assertEquals(asked, first.domid());
        assertEquals(Optional.of(ShutdownReason.POWEROFF), first.shutdownReason());
        assertEquals(waiting, second.domid());
        assertEquals(Optional.of(ShutdownReason.REBOOT), second.shutdownReason());
    }

    @Test
    void aCleanStopKeepsTheCpuTimeAccruedUntilItAndTheDomidPosition() {
        AtomicLong clock = new AtomicLong(0);
        SimXenStore store = store();
        SimHypervisor before = hypervisor(store, clock::get);
        int domid = before.createDomain(guest("steady", 1, 64 * MIB));
        before.unpause(domid);
        before.resumeDomidAllocationAfter(500);
        clock.addAndGet(3 * SECOND);
        before.deactivate();
        store.deactivate();

        SimHypervisor after = started(store(), clock::get);

        assertEquals(1_500_000_000L, after.domain(domid).orElseThrow().cpuTimeNs());
        assertEquals(501, after.createDomain(guest("after", 1, MIB)));
    }

    @Test
    void domain0GivesWayWhenTheAdoptedDomainsNeedItsMemory() {
        SimHypervisor before = hypervisor(store(), System::nanoTime);
        before.setTargetMemory(0, 512 * MIB); // as Xend balloons Domain-0 down to make room
        int big = before.createDomain(guest("big", 1, 3584 * MIB));

        SimHypervisor after = started(store(), System::nanoTime);

        assertEquals(3584 * MIB, after.domain(big).orElseThrow().memoryKib());
        assertEquals(512 * MIB, after.domain(0).orElseThrow().memoryKib());
        assertEquals(0, after.physinfo().freeMemoryKib());
    }

    @Test
    void theXenstoreTreeIsWrittenBehindAndSurvivesAKill() throws Exception {
        SimXenStore before = store();
        before.write("/local/domain/1/name", "web");
        before.write("/vm/1234/on_crash", "preserve");
        before.write("/local/domain/2/name", "gone");
        before.remove("/local/domain/2");

        long startedAt = System.nanoTime();
        SimXenStore after = new SimXenStore(Optional.of(state));
        while (after.read("/local/domain/2").isPresent() || after.read("/vm/1234/on_crash").isEmpty()) {
            assertTrue(System.nanoTime() - startedAt < TimeUnit.SECONDS.toNanos(5), "the tree was never written");
            Thread.sleep(SimXenStore.WRITE_BEHIND_MS / 2);
            after = new SimXenStore(Optional.of(state));
        }
        LOG.info("xenstore changes were on disk {} ms after they were made",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));

        assertEquals(Optional.of("web"), after.read("/local/domain/1/name"));
        assertEquals(Optional.of("preserve"), after.read("/vm/1234/on_crash"));
        assertEquals(List.of("xenstored"), after.directory("/tool"));
        after.write("/local/domain/1/name", "renamed");
        assertEquals(Optional.of("renamed"), after.read("/local/domain/1/name"), "the loaded tree takes changes");
        after.deactivate();
        assertEquals(Optional.of("renamed"), new SimXenStore(Optional.of(state)).read("/local/domain/1/name"));
    }

    @Test
    void aCleanStopWritesTheXenstoreTreeAtOnce() {
        SimXenStore before = store();
        before.write("/local/domain/3/memory/target", "65536");
        before.deactivate();

        assertEquals(Optional.of("65536"), new SimXenStore(Optional.of(state)).read("/local/domain/3/memory/target"));
    }

    @Test
    void damagedStateFilesAreSetAsideAndTheSimulatorStartsEmpty() throws Exception {
        SimXenStore store = store();
        SimHypervisor before = hypervisor(store, System::nanoTime);
        before.createDomain(guest("lost", 1, 64 * MIB));
        store.write("/local/domain/1/name", "lost");
        before.deactivate();
        store.deactivate();
        byte[] table = Files.readAllBytes(state.resolve(DurableDomainTable.SNAPSHOT));
        table[table.length / 2] ^= 0x40;
        Files.write(state.resolve(DurableDomainTable.SNAPSHOT), table);
        Files.writeString(state.resolve(XsTreeFile.FILE), "not a tree");

        SimXenStore fresh = store();
        SimHypervisor after = started(fresh, System::nanoTime);

        assertEquals(List.of(0), after.domains().stream().map(DomainInfo::domid).toList());
        assertEquals(Optional.empty(), fresh.read("/local/domain/1"));
        assertEquals(Optional.of(""), fresh.read("/tool/xenstored"), "a fresh xenstored tree");
        assertTrue(Files.exists(state.resolve(DurableDomainTable.SNAPSHOT + ".corrupt")));
        assertTrue(Files.exists(state.resolve(XsTreeFile.FILE + ".corrupt")));
        assertEquals(1, after.createDomain(guest("first", 1, MIB)));
    }

    @Test
    void aTornLastJournalRecordIsIgnored() throws Exception {
        SimHypervisor before = hypervisor(store(), System::nanoTime);
        int kept = before.createDomain(guest("kept", 1, 64 * MIB));
        before.unpause(kept);
        // a write the kill interrupted: a length, a checksum and half a record
        Files.write(state.resolve(DurableDomainTable.JOURNAL), new byte[] {0, 0, 0, 80, 1, 2, 3, 4, 0, 0, 0, 0},
                StandardOpenOption.APPEND);

        SimHypervisor after = started(store(), System::nanoTime);

        assertEquals(List.of(0, kept), after.domains().stream().map(DomainInfo::domid).toList());
        assertFalse(after.domain(kept).orElseThrow().paused());
        int next = after.createDomain(guest("next", 1, MIB));
        SimHypervisor again = started(store(), System::nanoTime);
        assertTrue(again.domain(next).isPresent(), "records written after the torn one are read back");
    }

    @Test
    void concurrentLifecyclesAreAllDurableAndCheap() throws Exception {
        SimHypervisor before = hypervisor(store(), System::nanoTime);
        int threads = 8;
        int cycles = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> survivors = new ArrayList<>();
        long startedAt = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            survivors.add(pool.submit(() -> {
                int last = 0;
                for (int i = 0; i < cycles; i++) {
                    int domid = before.createDomain(guest("t" + thread + "-" + i, 1, MIB));
                    before.unpause(domid);
                    if (i == cycles - 1) {
                        last = domid;
                    } else {
                        before.destroy(domid);
                    }
                }
                return last;
            }));
        }
        Set<Integer> expected = new TreeSet<>();
        for (Future<Integer> survivor : survivors) {
            expected.add(survivor.get(60, TimeUnit.SECONDS));
        }
        long tookNs = System.nanoTime() - startedAt;
        pool.shutdown();
        LOG.info("{} create/unpause/destroy cycles on {} threads, durable: {} µs per cycle", threads * cycles,
                threads, tookNs / 1000 / (threads * cycles));

        SimHypervisor after = started(store(), System::nanoTime);

        Set<Integer> adopted = new TreeSet<>(after.domains().stream().map(DomainInfo::domid).toList());
        adopted.remove(0);
        assertEquals(expected, adopted);
        assertTrue(after.domains().stream().filter(d -> d.domid() != 0).noneMatch(DomainInfo::paused));
        assertEquals(threads * cycles + 1, after.createDomain(guest("next", 1, MIB)));
    }

    @Test
    void theStateDirectoryComesFromItsOwnKeyOrTheDaemonsStateDirectory() {
        Map<String, String> noEnv = Map.of();
        assertEquals(Optional.of(Path.of("/srv/sim")),
                SimStateDirectory.resolve(Map.of("simStateDir", "/srv/sim", "stateDir", "/var/lib/xend"), noEnv,
                        "/opt/karaf/data"));
        assertEquals(Optional.of(Path.of("/env/sim")),
                SimStateDirectory.resolve(Map.of("simStateDir", "/srv/sim"), Map.of("XEND_SIM_STATE_DIR", "/env/sim"),
                        null));
        assertEquals(Optional.of(Path.of("/var/lib/xend/sim")),
                SimStateDirectory.resolve(Map.of("stateDir", "/var/lib/xend"), noEnv, "/opt/karaf/data"));
        assertEquals(Optional.of(Path.of("/state/sim")),
                SimStateDirectory.resolve(Map.of(), Map.of("XEND_STATE_DIR", "/state"), null));
        assertEquals(Optional.of(Path.of("/opt/karaf/data/xend/sim")),
                SimStateDirectory.resolve(Map.of(), noEnv, "/opt/karaf/data"));
        assertEquals(Optional.empty(), SimStateDirectory.resolve(Map.of(), noEnv, null),
                "outside Karaf and unconfigured, nothing is written");
    }
}
