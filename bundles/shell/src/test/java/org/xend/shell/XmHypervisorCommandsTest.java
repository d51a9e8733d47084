package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.VmConfig;
import org.xend.domain.DomainSettingsValues;
import org.xend.domain.SimDomainLayer;
import org.xend.hypervisor.sim.SimBackend;

/** xm:dmesg, xm:debug-keys, xm:dump-core, xm:mem-max and xm:sched-sedf against the domain layer on the sim. */
class XmHypervisorCommandsTest {

    @TempDir
    Path state;

    @TempDir
    Path files;

    private SimDomainLayer layer;
    private SimBackend sim;
    private DomainService domains;
    private XmRunner xm;

    /** A host of its own per scheduler, so that a second boot in a test starts empty. */
    private void boot(String scheduler) throws Exception {
        Path host = state.resolve(scheduler == null ? "credit" : scheduler);
        Map<String, Object> settings = new HashMap<>(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 50, "stateDir", host.resolve("sim").toString()));
        if (scheduler != null) {
            settings.put("scheduler", scheduler);
        }
        layer = new SimDomainLayer(settings, DomainSettingsValues.of(5, 20, 5), host.resolve("xend"));
        sim = layer.sim;
        domains = layer.domains();
        xm = new XmRunner(domains, sim.hypervisor);
    }

    @AfterEach
    void tearDown() {
        if (layer != null) {
            layer.close();
            layer = null;
        }
    }

    private String startedVm(String name) {
        Map<String, Object> f = new HashMap<>();
        f.put("uuid", java.util.UUID.randomUUID().toString());
        f.put("name_label", name);
        f.put("memory_static_max", 128L << 20);
        f.put("memory_dynamic_max", 128L << 20);
        f.put("memory_dynamic_min", 128L << 20);
        f.put("memory_static_min", 0L);
        f.put("VCPUs_max", 1L);
        f.put("VCPUs_at_startup", 1L);
        f.put("PV_kernel", "/boot/vmlinuz");
        String vm = domains.define(new VmConfig(f, Map.of(), List.of()));
        domains.start(vm, false);
        return vm;
    }

    @Test
    void dmesgShowsTheRingAndDashCClearsItAfterShowing() throws Exception {
        boot(null);
        DebugKeysCommand keys = new DebugKeysCommand();
        keys.keys = "h";
        assertEquals("", xm.run(keys));
        String ring = xm.run(new DmesgCommand());
        assertTrue(ring.startsWith("(XEN) Xen version 3.1.0"), ring);
        assertTrue(ring.contains("'h' pressed -> showing installed handlers"), ring);
        DmesgCommand clear = new DmesgCommand();
        clear.clear = true;
        assertEquals(ring, xm.run(clear));
        assertEquals("", xm.run(new DmesgCommand()));
    }

    @Test
    void dumpCoreWritesARelativeFileFromTheCurrentDirectoryOrTheDumpDirectory() throws Exception {
        boot(null);
        startedVm("web");
        DumpCoreCommand dump = new DumpCoreCommand();
        dump.dom = "web";
        dump.file = files.resolve("web.core").toString();
        String output = xm.run(dump);
        assertEquals("Dumping core of domain: web ...\nCore written to " + files.resolve("web.core") + "\n",
                output);
        assertTrue(Files.size(files.resolve("web.core")) > 0);

        DumpCoreCommand crash = new DumpCoreCommand();
        crash.dom = "web";
        crash.crash = true;
        String crashed = xm.run(crash);
        assertTrue(crashed.contains("Destroying domain: web ..."), crashed);
        assertTrue(crashed.contains(state.resolve("credit").resolve("xend").resolve("dump").toString()), crashed);
        assertEquals("Halted", domains.view(domains.lookup("web").orElseThrow()).powerState());

        DumpCoreCommand halted = new DumpCoreCommand();
        halted.dom = "web";
        assertTrue(xm.failure(halted).contains("Halted"));
        DumpCoreCommand nobody = new DumpCoreCommand();
        nobody.dom = "nobody";
        assertEquals("Domain 'nobody' does not exist.", xm.failure(nobody));
    }

    @Test
    void memMaxTakesXmsUnits() throws Exception {
        boot(null);
        String vm = startedVm("web");
        MemMaxCommand max = new MemMaxCommand();
        max.dom = "web";
        max.memory = "1g";
        xm.run(max);
        assertEquals(1L << 30, domains.view(vm).config().fields().get("memory_static_max"));
        assertEquals(1024 * 1024, domains.view(vm).maxMemoryKib());
        assertEquals(512L << 20, MemMaxCommand.bytes("512"));
        assertEquals(512L << 20, MemMaxCommand.bytes("524288k"));
        max.memory = "lots";
        assertTrue(xm.failure(max).startsWith("Invalid memory size 'lots'"));
        max.memory = "64";
        assertTrue(xm.failure(max).contains("memory_dynamic_max"), "below the VM's dynamic maximum");
    }

    @Test
    void schedSedfShowsAndSetsInMillisecondsUnderSedfOnly() throws Exception {
        boot(null);
        startedVm("web");
        assertEquals("Xen is running with the credit scheduler", xm.failure(new SchedSedfCommand()));
        tearDown();

        boot("sedf");
        startedVm("rt");
        SchedSedfCommand set = new SchedSedfCommand();
        set.dom = "rt";
        set.period = 20.0;
        set.slice = 5.0;
        set.extratime = 0;
        assertEquals("", xm.run(set));
        SchedSedfCommand show = new SchedSedfCommand();
        show.dom = "rt";
        List<String> lines = xm.run(show).lines().toList();
        assertEquals(SchedSedfCommand.HEADER, lines.get(0));
        int domid = domains.view(domains.lookup("rt").orElseThrow()).domid();
        assertEquals(String.format("%-32s %3d %9s %9s %7s %6s %6s", "rt", domid, "20.0", "5.0", "0.0", "0", "0"),
                lines.get(1));
        assertEquals(3, xm.run(new SchedSedfCommand()).lines().count(), "the header, Domain-0 and rt");

        set.slice = 30.0;
        assertTrue(xm.failure(set).contains("slice"), "a slice beyond the period is refused");
    }
}
