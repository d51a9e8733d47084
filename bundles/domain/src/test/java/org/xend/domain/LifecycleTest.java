package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.domain.DomainHarness.S;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;

/** Every entry of the lifecycle table, every refused transition, and every guest exit × action. */
class LifecycleTest {

    @TempDir
    Path state;

    private DomainHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new DomainHarness(state, 3, 0);
        h.runtime.useRelocation(SinkRelocation::new);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    static Stream<Arguments> everyStateAndOperation() {
        List<Arguments> out = new ArrayList<>();
        for (String s : Lifecycle.STATES) {
            for (String op : Lifecycle.operations()) {
                out.add(Arguments.of(s, op));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("everyStateAndOperation")
    void theTableDecides(String from, String operation) throws Exception {
        String vm = vmIn(from);
        Map<String, Object> response = invoke(vm, operation);
        if (Lifecycle.allows(from, operation)) {
            assertEquals("Success", response.get("Status"), () -> operation + " from " + from + ": " + response);
            if ("destroy".equals(operation)) {
                assertEquals("HANDLE_INVALID", h.error("VM.get_record", S, vm).get(0));
            } else {
                String now = h.powerState(vm);
                assertTrue(Lifecycle.results(from, operation).contains(now),
                        () -> operation + " from " + from + " led to " + now);
            }
        } else {
            assertEquals(List.of("VM_BAD_POWER_STATE", vm, Lifecycle.expectedFor(operation), from),
                    response.get("ErrorDescription"), () -> operation + " from " + from);
            assertEquals(from, h.powerState(vm), "a refused operation changes nothing");
        }
    }

    @Test
    void allowedOperationsComeFromTheTable() throws Exception {
        for (String s : Lifecycle.STATES) {
            String vm = vmIn(s);
            assertEquals(Lifecycle.allowed(s), h.record(vm).get("allowed_operations"), s);
        }
    }

    /** Brings a new VM to a power state the way a client would. */
    private String vmIn(String wanted) throws Exception {
        String vm = h.create("vm-" + Long.toHexString(System.nanoTime()), 64);
        switch (wanted) {
            case Lifecycle.HALTED -> { }
            case Lifecycle.RUNNING -> h.value("VM.start", S, vm, false);
            case Lifecycle.PAUSED -> h.value("VM.start", S, vm, true);
            case Lifecycle.SUSPENDED -> {
                h.value("VM.start", S, vm, false);
                h.value("VM.suspend", S, vm);
            }
            case Lifecycle.CRASHED -> {
                h.value("VM.set_actions_after_crash", S, vm, "preserve");
                h.value("VM.start", S, vm, false);
                h.sim.hypervisor.shutdown(h.domid(vm), ShutdownReason.CRASH);
                h.awaitState(vm, Lifecycle.CRASHED);
            }
            default -> throw new IllegalArgumentException(wanted);
        }
        assertEquals(wanted, h.powerState(vm));
        return vm;
    }

    private Map<String, Object> invoke(String vm, String operation) {
        return switch (operation) {
            case "start" -> h.call("VM.start", S, vm, false);
            case "resume" -> h.call("VM.resume", S, vm, false);
            case "save" -> h.call("VM.save", S, vm, state.resolve("saved-" + vm).toString(), false);
            case "send_sysrq" -> h.call("VM.send_sysrq", S, vm, "h");
            case "send_trigger" -> h.call("VM.send_trigger", S, vm, "init");
            case "changing_VCPUs_live" -> h.call("VM.set_VCPUs_number_live", S, vm, "1");
            case "changing_memory_live" -> h.call("VM.set_memory_dynamic_max_live", S, vm, Long.toString(64L << 20));
            case "pool_migrate" -> h.call("VM.migrate", S, vm, "elsewhere.example", false, Map.of());
            default -> h.call("VM." + operation, S, vm);
        };
    }

    // ---- guest exits × actions ----

    static Stream<Arguments> exitsAndActions() {
        return Stream.of(
                Arguments.of(ShutdownReason.POWEROFF, "actions_after_shutdown", "destroy", "Halted"),
                Arguments.of(ShutdownReason.POWEROFF, "actions_after_shutdown", "restart", "Running"),
                Arguments.of(ShutdownReason.HALT, "actions_after_shutdown", "destroy", "Halted"),
                Arguments.of(ShutdownReason.HALT, "actions_after_shutdown", "restart", "Running"),
                Arguments.of(ShutdownReason.REBOOT, "actions_after_reboot", "destroy", "Halted"),
                Arguments.of(ShutdownReason.REBOOT, "actions_after_reboot", "restart", "Running"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "destroy", "Halted"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "coredump_and_destroy", "Halted"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "restart", "Running"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "coredump_and_restart", "Running"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "preserve", "Crashed"),
                Arguments.of(ShutdownReason.CRASH, "actions_after_crash", "rename_restart", "Running"),
                Arguments.of(ShutdownReason.SUSPEND, "actions_after_shutdown", "destroy", "Suspended"));
    }

    @ParameterizedTest(name = "{0} with {1}={2} → {3}")
    @MethodSource("exitsAndActions")
    void guestExitsFollowTheirAction(ShutdownReason reason, String field, String action, String expected)
            throws Exception {
        String vm = h.create("exit-" + reason + "-" + action, 64);
        h.value("VM.set_" + field, S, vm, action);
        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        h.sim.hypervisor.shutdown(domid, reason);
        if ("Running".equals(expected)) {
            for (int i = 0; i < 500 && (h.domid(vm) == domid || h.domid(vm) < 0); i++) {
                Thread.sleep(10);
            }
            assertTrue(h.domid(vm) > 0 && h.domid(vm) != domid, "restarted in a new domain");
            assertEquals("1", String.valueOf(h.runtime.service().view(vm).restartCount()));
        }
        h.awaitState(vm, expected);
        boolean dumped = action.startsWith("coredump");
        try (Stream<Path> dumps = Files.exists(state.resolve("dump")) ? Files.list(state.resolve("dump")) : Stream.empty()) {
            assertEquals(dumped, dumps.findAny().isPresent(), "a core dump is written only for coredump_*");
        }
    }

    @Test
    void renameRestartKeepsTheDeadDomainAsDomainUuidAndStartsTheVmAgain() throws Exception {
        String vm = h.create("phoenix", 64);
        h.value("VM.set_actions_after_crash", S, vm, "rename_restart");
        h.value("VM.start", S, vm, false);
        int dead = h.domid(vm);
        h.sim.hypervisor.shutdown(dead, ShutdownReason.CRASH);
        for (int i = 0; i < 500 && (h.domid(vm) == dead || h.domid(vm) < 0); i++) {
            Thread.sleep(10);
        }
        assertEquals("Running", h.powerState(vm));
        assertTrue(h.domid(vm) > 0 && h.domid(vm) != dead, "the VM runs in a new domain");
        assertEquals(List.of(vm), h.value("VM.get_by_name_label", S, "phoenix"), "it keeps its name and uuid");

        String kept = h.sim.hypervisor.domain(dead).orElseThrow().uuid();
        assertFalse(kept.equals(vm), "the dead domain has a new handle");
        Map<?, ?> keptRecord = h.record(kept);
        assertEquals("Domain-" + kept, keptRecord.get("name_label"));
        assertEquals("Crashed", keptRecord.get("power_state"));
        assertEquals(Long.toString(dead), keptRecord.get("domid"));
        assertEquals(h.record(vm).get("memory_static_max"), keptRecord.get("memory_static_max"));
        assertEquals("1", String.valueOf(h.runtime.service().view(vm).restartCount()));

        // a restarted daemon finds the kept domain dead and does not act on it again
        h.killAndRestartDaemon();
        h.awaitState(kept, "Crashed");
        assertEquals("Domain-" + kept, h.record(kept).get("name_label"));
        assertTrue(h.sim.hypervisor.domain(dead).isPresent(), "still kept for debugging");
        assertEquals("Running", h.powerState(vm));

        h.value("VM.hard_shutdown", S, kept);
        assertFalse(h.sim.hypervisor.domain(dead).isPresent(), "hard_shutdown frees the kept domain");
        assertEquals("HANDLE_INVALID", h.error("VM.get_record", S, kept).get(0), "it was never managed");
    }

    @Test
    void aNewDomainInheritsNothingFromAnEarlierOneWithItsDomid() throws Exception {
        // what a crash of the host can leave in the xenstore: a preserved domain's mark under the domid to come
        int next = h.sim.hypervisor.domains().stream().mapToInt(d -> d.domid()).max().orElse(0) + 1;
        h.sim.xenstore.write("/local/domain/" + next + "/xend/shutdown_completed", "True");
        String vm = h.create("fresh", 64);
        h.value("VM.set_actions_after_crash", S, vm, "destroy");
        h.value("VM.start", S, vm, false);
        assertEquals(next, h.domid(vm));
        h.sim.hypervisor.shutdown(next, ShutdownReason.CRASH);
        h.awaitState(vm, "Halted");
        assertFalse(h.sim.hypervisor.domain(next).isPresent(), "its action ran: the crashed domain was destroyed");
    }

    @Test
    void aPreservedDomainStaysCrashedAcrossADaemonRestart() throws Exception {
        String vm = h.create("wreck", 64);
        h.value("VM.set_actions_after_crash", S, vm, "preserve");
        h.value("VM.start", S, vm, false);
        int dead = h.domid(vm);
        h.sim.hypervisor.shutdown(dead, ShutdownReason.CRASH);
        h.awaitState(vm, "Crashed");
        h.value("VM.set_actions_after_crash", S, vm, "restart");
        h.killAndRestartDaemon();
        Thread.sleep(200); // the replay of shut-down domains is asynchronous
        h.awaitState(vm, "Crashed");
        assertEquals(dead, h.domid(vm), "the dead domain is neither restarted nor destroyed");
    }

    @Test
    void restartsTooCloseTogetherAreRefused() throws Exception {
        try (DomainHarness throttled = new DomainHarness(state.resolve("throttled"), 3, 20)) {
            String vm = throttled.create("flapper", 64);
            throttled.value("VM.start", S, vm, false);
            throttled.sim.hypervisor.shutdown(throttled.domid(vm), ShutdownReason.CRASH);
            throttled.awaitState(vm, "Halted");
        }
    }

    // ---- suspend, resume, save, restore ----

    @Test
    void suspendAndResumeThroughTheManagedCheckpoint() throws Exception {
        String vm = h.create("sleeper", 128);
        h.value("VM.start", S, vm, false);
        h.value("VM.suspend", S, vm);
        Path checkpoint = state.resolve("domains").resolve(vm).resolve("checkpoint.chk");
        assertEquals("Suspended", h.powerState(vm));
        assertTrue(Files.isRegularFile(checkpoint));
        assertEquals(1, h.sim.hypervisor.domains().size(), "the suspended domain is gone");

        h.value("VM.resume", S, vm, false);
        assertEquals("Running", h.powerState(vm));
        assertFalse(Files.exists(checkpoint), "the checkpoint is used up");
        Map<?, ?> metrics = (Map<?, ?>) h.value("VM_metrics.get_record", S, h.record(vm).get("metrics"));
        assertEquals(Long.toString(128L << 20), metrics.get("memory_actual"));

        h.value("VM.suspend", S, vm);
        h.value("VM.hard_shutdown", S, vm);
        assertEquals("Halted", h.powerState(vm));
        assertFalse(Files.exists(checkpoint), "halting a suspended VM discards its image");
    }

    @Test
    void saveAndRestoreAnImage() throws Exception {
        String vm = h.create("saver", 128);
        h.value("VM.start", S, vm, false);
        Path image = state.resolve("saver.img");
        h.value("VM.save", S, vm, image.toString(), true);
        assertEquals("Running", h.powerState(vm), "a checkpoint leaves the VM running");
        Files.delete(image);
        h.value("VM.save", S, vm, image.toString(), false);
        assertEquals("Halted", h.powerState(vm));
        assertTrue(Files.size(image) >= 128L << 20, "the image holds the memory");
        assertEquals("", h.value("VM.restore", S, image.toString(), false), "VM.restore is void, as in Xend");
        assertEquals("Running", h.powerState(vm));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "path", "relative/path.img"),
                h.error("VM.save", S, vm, "relative/path.img", false).subList(0, 3));
    }

    @Test
    void daemonStopSuspendsAndStartResumes() throws Exception {
        DomainHarnessConfigs.defineWithExtras(h, "sleepy", Map.of("on_xend_stop", "suspend", "on_xend_start", "resume"));
        String vm = h.runtime.service().lookup("sleepy").orElseThrow();
        h.value("VM.start", S, vm, false);
        h.restartDaemon();
        h.awaitState(vm, "Running");
        assertFalse(Files.exists(state.resolve("domains").resolve(vm).resolve("checkpoint.chk")));
    }

    @Test
    void aKilledDaemonReadoptsRunningDomains() throws Exception {
        String managed = h.create("survivor", 64);
        h.value("VM.start", S, managed, false);
        int domid = h.domid(managed);
        String unmanaged = h.runtime.service().createStarted(
                new org.xend.config.sxp.SxpConfigFormat().read("(vm (name drifter) (memory 64))"), false);
        h.killAndRestartDaemon();
        assertEquals("Running", h.powerState(managed));
        assertEquals(domid, h.domid(managed));
        assertEquals("drifter", h.record(unmanaged).get("name_label"));
        assertEquals("Running", h.powerState(unmanaged));
        h.value("VM.hard_shutdown", S, unmanaged);
        assertEquals("HANDLE_INVALID", h.error("VM.get_record", S, unmanaged).get(0));
    }

    @Test
    void aCancelledTaskStopsWaitingForTheGuest() throws Exception {
        String vm = h.create("silent", 64);
        h.value("VM.start", S, vm, false);
        h.sim.hypervisor.pause(h.domid(vm)); // a guest that never answers its shutdown request
        String task = (String) h.value("Async.VM.clean_shutdown", S, vm);
        Thread.sleep(200);
        assertEquals("pending", ((Map<?, ?>) h.value("task.get_record", S, task)).get("status"));
        h.value("task.cancel", S, task);
        Map<?, ?> record = Map.of();
        for (int i = 0; i < 300; i++) {
            record = (Map<?, ?>) h.value("task.get_record", S, task);
            if (!"pending".equals(record.get("status")) && !"cancelling".equals(record.get("status"))) {
                break;
            }
            Thread.sleep(10);
        }
        assertEquals("cancelled", record.get("status"), "well before the 3 s shutdown timeout");
        assertEquals(List.of("TASK_CANCELLED", task), record.get("error_info"));
        assertEquals("Running", h.powerState(vm), "nothing was destroyed");
        assertEquals("", h.sim.xenstore.read("/local/domain/" + h.domid(vm) + "/control/shutdown").orElse(""),
                "the request is withdrawn");
    }

    // ---- live tuning ----

    @Test
    void liveTuning() throws Exception {
        String vm = h.create("tuned", 256);
        h.value("VM.set_memory_dynamic_min", S, vm, Long.toString(64L << 20));
        h.value("VM.start", S, vm, false);
        h.value("VM.set_memory_dynamic_max_live", S, vm, Long.toString(128L << 20));
        Map<?, ?> metrics = (Map<?, ?>) h.value("VM_metrics.get_record", S, h.record(vm).get("metrics"));
        assertEquals(Long.toString(128L << 20), metrics.get("memory_actual"), "the balloon follows the target");
        assertEquals("VALUE_NOT_SUPPORTED",
                h.error("VM.set_memory_dynamic_max_live", S, vm, Long.toString(512L << 20)).get(0));

        h.value("VM.set_VCPUs_number_live", S, vm, "1");
        metrics = (Map<?, ?>) h.value("VM_metrics.get_record", S, h.record(vm).get("metrics"));
        assertEquals("1", metrics.get("VCPUs_number"));
        assertEquals("VALUE_NOT_SUPPORTED", h.error("VM.set_VCPUs_number_live", S, vm, "3").get(0));

        h.value("VM.add_to_VCPUs_params_live", S, vm, "weight", "512");
        h.value("VM.add_to_VCPUs_params_live", S, vm, "cap", "150");
        assertEquals(new SchedCredit(512, 150),
                ((Hypervisor) h.sim.hypervisor).schedCredit(h.domid(vm)));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "weight", "0"),
                h.error("VM.add_to_VCPUs_params_live", S, vm, "weight", "0").subList(0, 3));
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "cap", "201"),
                h.error("VM.add_to_VCPUs_params_live", S, vm, "cap", "201").subList(0, 3));
        h.value("VM.add_to_VCPUs_params_live", S, vm, "cpumap1", "2-3");
        assertEquals(List.of(2, 3), h.sim.hypervisor.vcpus(h.domid(vm)).get(1).cpumap());
        assertEquals(Map.of("weight", "512", "cap", "150", "cpumap1", "2-3"), h.record(vm).get("VCPUs_params"));
    }
}
