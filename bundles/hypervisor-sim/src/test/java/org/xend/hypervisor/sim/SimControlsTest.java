package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.hypervisor.ShadowOp;

/** The scheduler choice, SEDF, shadow paging, I/O ports, the console ring and debug keys of the simulated host. */
class SimControlsTest {
    private static final long MIB = 1024;
    private static final long MS = 1_000_000L;

    @TempDir
    Path stateDir;

    private SimXenStore store;
    private SimHypervisor hv;

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

    private void start(String scheduler) {
        Map<String, Object> props = new HashMap<>();
        props.put("memoryMiB", 2048L);
        props.put("dom0MemoryMiB", 512L);
        props.put("simStateDir", stateDir.toString());
        if (scheduler != null) {
            props.put("scheduler", scheduler);
        }
        hv = new SimHypervisor(store, props, Map.of(), System::nanoTime);
    }

    private void restart() {
        hv.deactivate();
        store.deactivate();
        store = new SimXenStore();
        store.activate();
        hv = new SimHypervisor(store, Map.of("memoryMiB", 2048L, "dom0MemoryMiB", 512L, "simStateDir",
                stateDir.toString(), "scheduler", hv.scheduler()), Map.of(), System::nanoTime);
    }

    private static DomainConfig guest(boolean hvm, int vcpus, long memoryMib) {
        return new DomainConfig(UUID.randomUUID().toString(), hvm ? "hvm" : "pv", hvm, vcpus, vcpus,
                memoryMib * MIB, memoryMib * MIB, hvm ? "" : "/boot/vmlinuz", "", "", 0);
    }

    private static int errno(Executable call) {
        return assertThrows(HypervisorException.class, call).errno();
    }

    // ---- scheduler choice and SEDF ----

    @Test
    void theSchedulerIsCreditUnlessChosenAndVersionReportsIt() {
        start(null);
        assertEquals("credit", hv.scheduler());
        assertEquals("credit", hv.version().scheduler());
        int domid = hv.createDomain(guest(false, 1, 64));
        assertEquals(Errno.EINVAL, errno(() -> hv.schedSedf(domid)));
        HypervisorException e = assertThrows(HypervisorException.class,
                () -> hv.setSchedSedf(domid, new SchedSedf(20 * MS, 5 * MS, 0, false, 0)));
        assertTrue(e.getMessage().contains("credit scheduler"), e.getMessage());
        assertEquals(256, hv.schedCredit(domid).weight());
    }

    @Test
    void aBadSchedulerSettingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> start("bvt"));
        hv = null;
    }

    @Test
    void underSedfTheCreditCallsFailAndSedfHasXensDefaults() {
        start("sedf");
        assertEquals("sedf", hv.version().scheduler());
        int domid = hv.createDomain(guest(false, 1, 64));
        HypervisorException e = assertThrows(HypervisorException.class, () -> hv.schedCredit(domid));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("sedf scheduler"), e.getMessage());
        assertEquals(Errno.EINVAL, errno(() -> hv.setSchedCredit(domid, new SchedCredit(512, 0))));

        assertEquals(new SchedSedf(100 * MS, 0, 0, true, 0), hv.schedSedf(domid));
        assertEquals(new SchedSedf(20 * MS, 15 * MS, 0, true, 0), hv.schedSedf(0));
        assertEquals(Errno.ESRCH, errno(() -> hv.schedSedf(4242)));
    }

    @Test
    void sedfChecksTimeDrivenParametersAsXenDoes() {
        start("sedf");
        int domid = hv.createDomain(guest(false, 1, 64));
        SchedSedf timeDriven = new SchedSedf(20 * MS, 5 * MS, 1 * MS, false, 0);
        hv.setSchedSedf(domid, timeDriven);
        assertEquals(timeDriven, hv.schedSedf(domid));

        SchedSedf before = hv.schedSedf(domid);
        for (SchedSedf bad : List.of(
                new SchedSedf(0, 0, 0, false, 0),                   // neither period nor weight
                new SchedSedf(11_000 * MS, 5 * MS, 0, false, 0),    // period above 10 s
                new SchedSedf(5_000, 4_000, 0, false, 0),           // period below 10 us
                new SchedSedf(20 * MS, 30 * MS, 0, false, 0),       // slice above period
                new SchedSedf(20 * MS, 1_000, 0, false, 0),         // slice below 5 us
                new SchedSedf(-1, 5 * MS, 0, false, 0),
                new SchedSedf(20 * MS, 5 * MS, 0, false, 70_000))) {
            assertEquals(Errno.EINVAL, errno(() -> hv.setSchedSedf(domid, bad)), bad.toString());
        }
        assertEquals(before, hv.schedSedf(domid), "a refused call changes nothing");
    }

    @Test
    void weightDrivenDomainsShareWhatTimeDrivenOnesLeaveOnTheirCpu() {
        start("sedf");
        List<Integer> doms = List.of(hv.createDomain(guest(false, 1, 64)), hv.createDomain(guest(false, 1, 64)),
                hv.createDomain(guest(false, 1, 64)));
        // put all three on pCPU 1
        doms.forEach(d -> hv.pinVcpu(d, 0, List.of(1)));
        // Domain-0's vCPU 1 is there too: by default it reserves 15 of every 20 ms, which would leave nothing
        hv.setSchedSedf(0, new SchedSedf(100 * MS, 10 * MS, 0, true, 0));
        hv.setSchedSedf(doms.get(0), new SchedSedf(20 * MS, 4 * MS, 0, false, 0)); // reserves 20 ms of 100
        hv.setSchedSedf(doms.get(1), new SchedSedf(0, 0, 0, false, 3));
        hv.setSchedSedf(doms.get(2), new SchedSedf(0, 0, 0, false, 1));
        long left = 100 * MS - 5 * MS - 10 * MS - 20 * MS;
        assertEquals(new SchedSedf(100 * MS, 3 * left / 4, 0, false, 3), hv.schedSedf(doms.get(1)));
        assertEquals(new SchedSedf(100 * MS, left / 4, 0, false, 1), hv.schedSedf(doms.get(2)));

        // extra time only: the weight becomes extra weight and reads back as 0
        hv.setSchedSedf(doms.get(2), new SchedSedf(0, 0, 0, true, 7));
        assertEquals(new SchedSedf(100 * MS, 0, 0, true, 0), hv.schedSedf(doms.get(2)));
    }

    @Test
    void sedfParametersSurviveARestartOfTheSimulator() {
        start("sedf");
        int domid = hv.createDomain(guest(false, 1, 64));
        SchedSedf set = new SchedSedf(50 * MS, 10 * MS, 2 * MS, false, 0);
        hv.setSchedSedf(domid, set);
        restart();
        assertEquals(set, hv.schedSedf(domid));
    }

    // ---- shadow paging ----

    @Test
    void pvGuestsHaveNoShadowMemoryAndHvmGuestsGetXensMinimum() {
        start(null);
        int pv = hv.createDomain(guest(false, 1, 64));
        assertEquals(0, hv.shadowAllocationMib(pv));
        long freeBefore = hv.physinfo().freeMemoryKib();
        int hvm = hv.createDomain(guest(true, 4, 64));
        // 128 pages per vCPU: 512 pages, 2 MiB
        assertEquals(2, hv.shadowAllocationMib(hvm));
        assertEquals(freeBefore - 64 * MIB - 2 * MIB, hv.physinfo().freeMemoryKib(),
                "the shadow memory comes out of the host's free memory");
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowAllocationMib(0)));
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(0, ShadowOp.OFF)));
    }

    @Test
    void theAllocationIsRaisedToXensLowerBoundAndAccountedOnTheHost() {
        start(null);
        int domid = hv.createDomain(guest(false, 2, 512));
        long free = hv.physinfo().freeMemoryKib();
        // lower bound: 128 × 2 vCPUs + 512 (one page per MiB) = 768 pages = 3 MiB
        assertEquals(3, hv.setShadowAllocationMib(domid, 1));
        assertEquals(free - 3 * MIB, hv.physinfo().freeMemoryKib());
        assertEquals(10, hv.setShadowAllocationMib(domid, 10));
        assertEquals(free - 10 * MIB, hv.physinfo().freeMemoryKib());
        assertEquals(0, hv.setShadowAllocationMib(domid, 0), "a PV guest not in shadow mode may give it all back");
        assertEquals(free, hv.physinfo().freeMemoryKib());
        assertEquals(Errno.EINVAL, errno(() -> hv.setShadowAllocationMib(domid, -1)));
        assertThrows(NotEnoughMemoryException.class, () -> hv.setShadowAllocationMib(domid, 4096));
        assertEquals(0, hv.shadowAllocationMib(domid));

        hv.destroy(domid);
        assertEquals(free + 512 * MIB, hv.physinfo().freeMemoryKib());
    }

    @Test
    void shadowModesFollowXensRules() {
        start(null);
        int pv = hv.createDomain(guest(false, 1, 64));
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(pv, ShadowOp.CLEAN)), "no log-dirty mode yet");
        hv.shadowControl(pv, ShadowOp.ENABLE_LOGDIRTY);
        assertEquals(1, hv.shadowAllocationMib(pv), "enabling a mode gives at least 1 MiB");
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(pv, ShadowOp.ENABLE_LOGDIRTY)));
        hv.shadowControl(pv, ShadowOp.PEEK);
        hv.shadowControl(pv, ShadowOp.CLEAN);
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(pv, ShadowOp.ENABLE_TEST)), "shadow paging is on");
        assertEquals(Errno.EINVAL, errno(() -> hv.setShadowAllocationMib(pv, 0)), "not while in use");
        hv.shadowControl(pv, ShadowOp.OFF);
        assertEquals(0, hv.shadowAllocationMib(pv), "leaving shadow mode frees its memory");
        hv.shadowControl(pv, ShadowOp.ENABLE_TEST);
        hv.shadowControl(pv, ShadowOp.GET_ALLOCATION);
        assertEquals(1, hv.shadowAllocationMib(pv));
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(pv, 99)));

        int hvm = hv.createDomain(guest(true, 1, 64));
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(hvm, ShadowOp.ENABLE_TRANSLATE)));
        hv.shadowControl(hvm, ShadowOp.ENABLE_LOGDIRTY);
        hv.shadowControl(hvm, ShadowOp.OFF);
        assertEquals(1, hv.shadowAllocationMib(hvm), "an HVM guest keeps shadow paging after OFF");
        assertEquals(Errno.EINVAL, errno(() -> hv.shadowControl(hvm, ShadowOp.SET_ALLOCATION)),
                "SET_ALLOCATION without a size is 0, refused while shadow paging is in use");
        assertEquals(Errno.ESRCH, errno(() -> hv.shadowControl(4242, ShadowOp.OFF)));
    }

    @Test
    void theShadowAllocationSurvivesARestartOfTheSimulator() {
        start(null);
        int domid = hv.createDomain(guest(false, 1, 64));
        hv.setShadowAllocationMib(domid, 8);
        long free = hv.physinfo().freeMemoryKib();
        restart();
        assertEquals(8, hv.shadowAllocationMib(domid));
        assertEquals(free, hv.physinfo().freeMemoryKib());
    }

    // ---- I/O ports ----

    @Test
    void ioportRangesMergeSplitAndShowInTheDomainDump() {
        start(null);
        int domid = hv.createDomain(guest(false, 1, 64));
        hv.ioportPermission(domid, 0x3f8, 8, true);
        hv.ioportPermission(domid, 0x400, 0x10, true); // adjacent: merges with 3f8-3ff
        hv.ioportPermission(domid, 0x60, 1, true);
        hv.ioportPermission(domid, 0x404, 2, false);   // splits
        hv.ioportPermission(domid, 0x60, 0, false);     // a count of 0 changes nothing
        hv.readConsoleRing(true);
        hv.sendDebugKeys("q");
        String dump = hv.readConsoleRing(false);
        assertTrue(dump.contains("(XEN)     I/O Ports  { 60, 3f8-403, 406-40f }"), dump);

        assertEquals(Errno.EINVAL, errno(() -> hv.ioportPermission(domid, 0xFFFF, 2, true)));
        assertEquals(Errno.EINVAL, errno(() -> hv.ioportPermission(domid, -1, 2, true)));
        assertEquals(Errno.EINVAL, errno(() -> hv.ioportPermission(domid, 0x10, -3, true)));
        assertEquals(Errno.ESRCH, errno(() -> hv.ioportPermission(4242, 0x10, 1, true)));
        hv.ioportPermission(domid, 0, 0x10000, true);

        restart();
        hv.sendDebugKeys("q");
        assertTrue(hv.readConsoleRing(false).contains("I/O Ports  { 0-ffff }"), "kept in the domain table");
    }

    // ---- console ring and debug keys ----

    @Test
    void theConsoleRingHoldsTheBootMessagesAndClearsWhenAsked() {
        start("sedf");
        String boot = hv.readConsoleRing(false);
        assertTrue(boot.startsWith("(XEN) Xen version 3.1.0"), boot);
        assertTrue(boot.contains("(XEN) Using scheduler: Simple EDF Scheduler (sedf)\n"), boot);
        assertEquals(boot, hv.readConsoleRing(true), "clear returns the ring as it was");
        assertEquals("", hv.readConsoleRing(false));
    }

    @Test
    void debugKeysPrintIntoTheRingAndUnknownKeysDoNothing() {
        start(null);
        hv.readConsoleRing(true);
        hv.sendDebugKeys("Z");
        assertEquals("", hv.readConsoleRing(false));
        hv.sendDebugKeys("h");
        String help = hv.readConsoleRing(true);
        assertTrue(help.startsWith("(XEN) 'h' pressed -> showing installed handlers\n"), help);
        assertTrue(help.contains("(XEN)  key 'q' (ascii '71') => dump domain (and guest debug) info\n"), help);
        hv.sendDebugKeys("m");
        assertTrue(hv.readConsoleRing(true).contains("Dom heap: " + hv.physinfo().freeMemoryKib() + "kB free"));
        hv.sendDebugKeys("r");
        assertTrue(hv.readConsoleRing(true).contains("CPU[00] runq: 0.0"));
        assertEquals(Errno.EINVAL, errno(() -> hv.sendDebugKeys(null)));
    }

    @Test
    void theRingKeepsOnlyTheNewest16KiB() {
        ConsoleRing ring = new ConsoleRing(ConsoleRing.DEFAULT_SIZE);
        for (int i = 0; i < 2000; i++) {
            ring.println("line " + i);
        }
        String text = ring.read(false);
        assertEquals(ConsoleRing.DEFAULT_SIZE, text.length());
        assertTrue(text.endsWith("(XEN) line 1999\n"));
        assertFalse(text.contains("(XEN) line 0\n"));
    }
}
