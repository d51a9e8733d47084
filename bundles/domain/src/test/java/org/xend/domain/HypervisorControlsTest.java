package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.hypervisor.ShadowOp;
import org.xend.hypervisor.sim.SimBackend;

/** dump-core, mem-max, sched-sedf, shadow memory and I/O ports through DomainService, on the simulated host. */
class HypervisorControlsTest {
    private static final long MIB = 1L << 20;
    private static final long MS = 1_000_000L;

    @TempDir
    Path state;

    @TempDir
    Path files;

    private SimDomainLayer layer;
    private SimBackend sim;
    private DomainService domains;

    private void boot(String scheduler) throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 50));
        if (scheduler != null) {
            settings.put("scheduler", scheduler);
        }
        layer = new SimDomainLayer(settings, DomainSettingsValues.of(5, 20, 5), state.resolve("xend"));
        sim = layer.sim;
        domains = layer.domains();
    }

    /** The daemon dies and starts again on its state: what a managed VM kept is what it saved. */
    private void restartDaemon() throws Exception {
        layer.restartRuntime();
        domains = layer.domains();
    }

    @AfterEach
    void tearDown() {
        if (layer != null) {
            layer.close();
            layer = null;
        }
    }

    private String runningVm(String name, boolean managed) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("uuid", java.util.UUID.randomUUID().toString());
        fields.put("name_label", name);
        fields.put("memory_static_max", 256 * MIB);
        fields.put("memory_dynamic_max", 256 * MIB);
        fields.put("memory_dynamic_min", 256 * MIB);
        fields.put("memory_static_min", 0L);
        fields.put("VCPUs_max", 2L);
        fields.put("VCPUs_at_startup", 2L);
        fields.put("PV_kernel", "/boot/vmlinuz");
        VmConfig config = new VmConfig(fields, Map.of(), List.of());
        if (!managed) {
            return domains.createStarted(config, false);
        }
        String vm = domains.define(config);
        domains.start(vm, false);
        return vm;
    }

    private static String code(Runnable call) {
        return assertThrows(XenApiException.class, call::run).code();
    }

    private static XenApiException failure(Runnable call) {
        return assertThrows(XenApiException.class, call::run);
    }

    // ---- dump-core ----

    @Test
    void aDumpPausesTheDomainMeanwhileAndLeavesItRunning() throws Exception {
        boot(null);
        String vm = runningVm("web", true);
        Path file = files.resolve("cores/web.core");
        assertEquals(file.toString(), domains.dumpCore(vm, file.toString(), false, false));
        assertTrue(Files.size(file) > 0);
        assertEquals("Running", domains.view(vm).powerState());
        assertTrue(sim.hypervisor.domain(domains.view(vm).domid()).map(i -> !i.paused()).orElse(false),
                "unpaused after the dump");

        domains.pause(vm);
        domains.dumpCore(vm, files.resolve("paused.core").toString(), false, false);
        assertTrue(sim.hypervisor.domain(domains.view(vm).domid()).orElseThrow().paused(),
                "a domain that was paused stays paused");
    }

    @Test
    void withoutAFileTheDumpGoesToTheDumpDirectory() throws Exception {
        boot(null);
        String vm = runningVm("db", true);
        int domid = domains.view(vm).domid();
        Path written = Path.of(domains.dumpCore(vm, "", true, false));
        assertEquals(state.resolve("xend").resolve("dump"), written.getParent());
        assertTrue(written.getFileName().toString().endsWith(".db." + domid + ".core"), written.toString());
        assertTrue(Files.isRegularFile(written));
    }

    @Test
    void aCrashDumpDestroysTheDomainThroughTheLifecycle() throws Exception {
        boot(null);
        String managed = runningVm("kept", true);
        int domid = domains.view(managed).domid();
        domains.dumpCore(managed, files.resolve("kept.core").toString(), false, true);
        assertEquals("Halted", domains.view(managed).powerState(), "a managed VM stays defined");
        assertTrue(sim.hypervisor.domain(domid).isEmpty());

        String transient_ = runningVm("gone", false);
        domains.dumpCore(transient_, files.resolve("gone.core").toString(), true, true);
        assertTrue(domains.lookup("gone").isEmpty(), "a VM that is not managed goes with its domain");
    }

    @Test
    void aDumpNeedsADomainAnAbsolutePathAndIsNotForDomain0() throws Exception {
        boot(null);
        String vm = runningVm("web", true);
        XenApiException relative = failure(() -> domains.dumpCore(vm, "web.core", false, false));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, relative.code());
        assertEquals(List.of("file", "web.core", "the path must be absolute"), relative.params());
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED,
                code(() -> domains.dumpCore(vm, files.toString(), false, false)), "a directory");
        assertEquals(ErrorCodes.OPERATION_NOT_ALLOWED,
                code(() -> domains.dumpCore(DomainHarness.DOM0, files.resolve("x").toString(), false, false)));
        domains.destroyDomain(vm);
        XenApiException halted = failure(() -> domains.dumpCore(vm, files.resolve("h").toString(), false, false));
        assertEquals(List.of(ErrorCodes.VM_BAD_POWER_STATE, vm, "Running", "Halted"),
                Stream.concat(Stream.of(halted.code()), halted.params().stream()).toList());
    }

    // ---- mem-max ----

    @Test
    void memMaxSetsTheDomainsLimitAndIsSavedForAManagedVm() throws Exception {
        boot(null);
        String vm = runningVm("web", true);
        int domid = domains.view(vm).domid();
        domains.setMemoryMax(vm, 512 * MIB);
        assertEquals(512 * 1024, sim.hypervisor.domain(domid).orElseThrow().maxMemoryKib());
        assertEquals(512 * MIB, domains.view(vm).config().fields().get("memory_static_max"));

        XenApiException below = failure(() -> domains.setMemoryMax(vm, 128 * MIB));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, below.code());
        assertEquals("memory_dynamic_max", below.params().get(0));
        assertEquals(512 * 1024, sim.hypervisor.domain(domid).orElseThrow().maxMemoryKib(), "nothing changed");

        domains.destroyDomain(vm);
        domains.setMemoryMax(vm, 768 * MIB);
        restartDaemon();
        assertEquals(768 * MIB, domains.view(vm).config().fields().get("memory_static_max"),
                "a Halted VM's limit is its configuration, saved");
        assertEquals(ErrorCodes.OPERATION_NOT_ALLOWED,
                code(() -> domains.setMemoryMax(DomainHarness.DOM0, 2048 * MIB)));
    }

    // ---- SEDF ----

    @Test
    void sedfCallsWorkUnderSedfAndNameTheSchedulerOtherwise() throws Exception {
        boot(null);
        String vm = runningVm("web", true);
        XenApiException wrong = failure(() -> domains.schedSedf(vm));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, wrong.code());
        assertTrue(wrong.params().get(2).contains("runs the credit scheduler"), wrong.params().toString());
        tearDown();

        boot("sedf");
        String sedfVm = runningVm("rt", true);
        SchedSedf params = new SchedSedf(20 * MS, 5 * MS, 0, false, 0);
        domains.setSchedSedf(sedfVm, params);
        assertEquals(params, domains.schedSedf(sedfVm));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED,
                code(() -> domains.setSchedSedf(sedfVm, new SchedSedf(20 * MS, 50 * MS, 0, false, 0))));
        domains.destroyDomain(sedfVm);
        assertEquals(ErrorCodes.VM_BAD_POWER_STATE, code(() -> domains.schedSedf(sedfVm)));
        assertEquals(ErrorCodes.VM_BAD_POWER_STATE, code(() -> domains.setSchedSedf(sedfVm, params)));
    }

    // ---- shadow memory and I/O ports ----

    @Test
    void shadowMemoryIsSetReadAndKeptAsTheVmsShadowMemory() throws Exception {
        boot(null);
        String vm = runningVm("hvmish", true);
        assertEquals(0, domains.shadowMemory(vm));
        assertEquals(16, domains.setShadowMemory(vm, 16));
        assertEquals(16, domains.shadowMemory(vm));
        assertEquals(Optional.of("16"), sim.xenstore.read("/vm/" + vm + "/shadow_memory"));
        domains.shadowControl(vm, ShadowOp.ENABLE_LOGDIRTY);
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, code(() -> domains.shadowControl(vm, 77)));
        restartDaemon();
        assertEquals("16", domains.view(vm).config().extras().get("shadow_memory"));

        domains.destroyDomain(vm);
        assertEquals(ErrorCodes.VM_BAD_POWER_STATE, code(() -> domains.shadowMemory(vm)));
        domains.start(vm, false);
        assertEquals(16, domains.shadowMemory(vm), "a new domain gets the VM's shadow_memory when it is built");
        assertEquals(ErrorCodes.OPERATION_NOT_ALLOWED, code(() -> domains.shadowMemory(DomainHarness.DOM0)));
    }

    @Test
    void ioportRangesReachTheHypervisorAndBackwardRangesAreRefused() throws Exception {
        boot(null);
        String vm = runningVm("io", true);
        domains.setIoportAccess(vm, 0x3f8, 0x3ff, true);
        sim.hypervisor.readConsoleRing(true);
        sim.hypervisor.sendDebugKeys("q");
        assertTrue(sim.hypervisor.readConsoleRing(false).contains("I/O Ports  { 3f8-3ff }"));
        domains.setIoportAccess(vm, 0x3f8, 0x3ff, false);
        XenApiException backwards = failure(() -> domains.setIoportAccess(vm, 0x3ff, 0x3f0, true));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, backwards.code());
        assertEquals("ioports", backwards.params().get(0));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, code(() -> domains.setIoportAccess(vm, 0xfff0, 0x10000, true)));
    }
}
