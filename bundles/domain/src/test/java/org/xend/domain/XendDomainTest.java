package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainService;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.ObjectStoreImpl;
import org.xend.hypervisor.sim.SimBackend;

/** The domain layer against the simulated hypervisor, driven through the real dispatcher. */
class XendDomainTest {

    private static final String S = DomainHarness.S;
    private static final String DOM0 = DomainHarness.DOM0;

    @TempDir
    Path state;

    private DomainHarness h;
    private SimBackend sim;
    private DomainRuntime runtime;
    private ObjectStoreImpl store;

    @BeforeEach
    void setUp() throws Exception {
        h = new DomainHarness(state, 2, 20);
        sim = h.sim;
        refresh();
    }

    private void refresh() {
        runtime = h.runtime;
        store = h.store;
    }

    private void restartDaemon() throws Exception {
        h.restartDaemon();
        refresh();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void domain0IsRunningAndProtected() {
        Map<?, ?> dom0 = record(DOM0);
        assertEquals("Running", dom0.get("power_state"));
        assertEquals("0", dom0.get("domid"));
        assertEquals(true, dom0.get("is_control_domain"));
        assertEquals("Domain-0", dom0.get("name_label"));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error("VM.pause", S, DOM0));
        assertEquals(List.of("OPERATION_NOT_ALLOWED"), error("VM.destroy", S, DOM0));
        List<?> hosts = (List<?>) value("host.get_all", S);
        assertEquals(1, hosts.size());
        Map<?, ?> host = (Map<?, ?>) value("host.get_record", S, hosts.get(0));
        assertEquals("1", host.get("API_version_major"));
        assertTrue(((List<?>) host.get("resident_VMs")).contains(DOM0));
        assertEquals(4, ((List<?>) host.get("host_CPUs")).size());
    }

    @Test
    void lifecycleThroughTheXenApi() throws Exception {
        String vm = create("guest-1", 256);
        Map<?, ?> rec = record(vm);
        assertEquals("Halted", rec.get("power_state"));
        assertEquals("-1", rec.get("domid"));
        assertTrue(awaitFile(state.resolve("domains").resolve(vm).resolve("config.sxp")), "config.sxp follows");

        value("VM.start", S, vm, false);
        rec = record(vm);
        assertEquals("Running", rec.get("power_state"));
        assertTrue(Integer.parseInt((String) rec.get("domid")) > 0);
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Halted", "Running"), error("VM.start", S, vm, false));
        Map<?, ?> metrics = (Map<?, ?>) value("VM_metrics.get_record", S, rec.get("metrics"));
        assertEquals(Long.toString(256L << 20), metrics.get("memory_actual"));
        assertEquals("2", metrics.get("VCPUs_number"));

        value("VM.pause", S, vm);
        assertEquals("Paused", record(vm).get("power_state"));
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Running", "Paused"), error("VM.pause", S, vm));
        value("VM.unpause", S, vm);
        assertEquals("Running", record(vm).get("power_state"));

        value("VM.clean_shutdown", S, vm);
        rec = record(vm);
        assertEquals("Halted", rec.get("power_state"));
        assertEquals("-1", rec.get("domid"));
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Running", "Halted"), error("VM.clean_shutdown", S, vm));

        value("VM.start", S, vm, true);
        assertEquals("Paused", record(vm).get("power_state"));
        value("VM.hard_shutdown", S, vm);
        assertEquals("Halted", record(vm).get("power_state"));
        assertEquals(1, sim.hypervisor.domains().size(), "only Domain-0 is left");

        value("VM.destroy", S, vm);
        assertEquals(List.of("HANDLE_INVALID", "VM", vm), error("VM.get_record", S, vm));
        Path directory = state.resolve("domains").resolve(vm);
        for (int i = 0; i < 500 && Files.exists(directory); i++) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(directory), "the VM's directory goes behind the journal");
    }

    @Test
    void destroyNeedsAHaltedVm() {
        String vm = create("guest-2", 128);
        value("VM.start", S, vm, false);
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Halted", "Running"), error("VM.destroy", S, vm));
        value("VM.hard_shutdown", S, vm);
        value("VM.destroy", S, vm);
    }

    @Test
    void aVmThatDoesNotFitIsRefusedWithTheNumbers() {
        String vm = create("too-big", 8192);
        List<?> err = error("VM.start", S, vm, false);
        assertEquals("HOST_NOT_ENOUGH_FREE_MEMORY", err.get(0));
        assertEquals(Long.toString(8192L << 20), err.get(1));
        assertEquals(Long.toString(3072L << 20), err.get(2));
        assertEquals("Halted", record(vm).get("power_state"));
    }

    @Test
    void configurationRulesGiveClearErrors() {
        Map<String, Object> bad = vmRecord("bad name!", 128);
        assertEquals("VALUE_NOT_SUPPORTED", error("VM.create", S, bad).get(0));
        Map<String, Object> mem = vmRecord("mem", 128);
        mem.put("memory_dynamic_min", Long.toString(512L << 20));
        List<?> err = error("VM.create", S, mem);
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "memory_dynamic_max"), err.subList(0, 2));
        create("twin", 128);
        assertEquals(List.of("VALUE_NOT_SUPPORTED", "name_label", "twin"), error("VM.create", S, vmRecord("twin", 128))
                .subList(0, 3));
        String vm = create("renamed-later", 128);
        assertEquals("VALUE_NOT_SUPPORTED", error("VM.set_name_label", S, vm, "twin").get(0));
        value("VM.set_name_label", S, vm, "renamed");
        assertEquals(List.of(vm), value("VM.get_by_name_label", S, "renamed"));
    }

    @Test
    void managedVmsSurviveADaemonRestart() throws Exception {
        String vm = create("keeper", 128);
        value("VM.add_to_other_config", S, vm, "owner", "ops");
        value("VM.set_name_description", S, vm, "kept across restarts");
        String running = create("runner", 128);
        value("VM.start", S, running, false);
        int domid = Integer.parseInt((String) record(running).get("domid"));

        restartDaemon();

        Map<?, ?> rec = record(vm);
        assertEquals("Halted", rec.get("power_state"));
        assertEquals(Map.of("owner", "ops"), rec.get("other_config"));
        assertEquals("kept across restarts", rec.get("name_description"));
        assertEquals(Long.toString(128L << 20), rec.get("memory_static_max"));
        Map<?, ?> adopted = record(running);
        assertEquals("Running", adopted.get("power_state"), "a domain that outlived the daemon is re-adopted");
        assertEquals(Integer.toString(domid), adopted.get("domid"));
        value("VM.hard_shutdown", S, running);
    }

    @Test
    void guestInitiatedExitsFollowTheirActions() throws Exception {
        String vm = create("exits", 128);
        value("VM.set_actions_after_reboot", S, vm, "restart");
        value("VM.start", S, vm, false);
        int domid = Integer.parseInt((String) record(vm).get("domid"));
        sim.hypervisor.shutdown(domid, ShutdownReason.POWEROFF);
        awaitState(vm, "Halted");

        String other = create("crasher", 128);
        value("VM.set_actions_after_crash", S, other, "preserve");
        value("VM.start", S, other, false);
        sim.hypervisor.shutdown(Integer.parseInt((String) record(other).get("domid")), ShutdownReason.CRASH);
        awaitState(other, "Crashed");
        value("VM.hard_shutdown", S, other);
        assertEquals("Halted", record(other).get("power_state"));
    }

    @Test
    void oneOperationAtATimePerVm() throws Exception {
        String vm = create("busy", 128);
        value("VM.start", S, vm, false);
        // a guest that never answers keeps clean_shutdown waiting for its timeout
        sim.hypervisor.pause(Integer.parseInt((String) record(vm).get("domid")));
        store.update("VM", vm, f -> {
            f.put("power_state", "Running");
            return f;
        });
        int domid = Integer.parseInt((String) record(vm).get("domid"));
        Future<Map<String, Object>> shutdown = h.executor.submit(() -> call("VM.clean_shutdown", S, vm));
        String request = "/local/domain/" + domid + "/control/shutdown";
        for (int i = 0; i < 400 && !"poweroff".equals(sim.xenstore.read(request).orElse("")); i++) {
            Thread.sleep(5);
        }
        List<?> err = error("VM.pause", S, vm);
        assertEquals(List.of("OTHER_OPERATION_IN_PROGRESS", "VM", vm), err);
        assertEquals("Success", shutdown.get().get("Status"), "the unanswered clean shutdown ends in a destroy");
        assertEquals("Halted", record(vm).get("power_state"));
    }

    @Test
    void theDomainServiceRunsTheSameLifecycle() throws Exception {
        DomainService service = runtime.service();
        VmConfig cfg = new SxpConfigFormat().read("(vm (name xm-guest) (memory 128) (vcpus 1) (on_xend_start start)"
                + " (image (linux (kernel /boot/vmlinuz) (args 'root=/dev/xvda1'))))");
        String vm = service.define(cfg);
        assertEquals(vm, service.lookup("xm-guest").orElseThrow());
        assertEquals(vm, service.lookup(vm).orElseThrow());
        DomainView view = service.view(vm);
        assertEquals("Halted", view.powerState());
        assertTrue(view.managed());
        assertEquals("start", view.config().extras().get("on_xend_start"), "Xend's extra keys are kept");
        Path saved = state.resolve("domains").resolve(vm).resolve("config.sxp");
        assertTrue(awaitFile(saved), "config.sxp follows");
        assertTrue(Files.readString(saved).contains("(on_xend_start start)"));

        service.start(vm, false);
        view = service.view(vm);
        assertEquals("Running", view.powerState());
        assertEquals(vm, service.lookup(Integer.toString(view.domid())).orElseThrow(), "lookup by domid");
        assertEquals(128 * 1024, view.memoryKib());
        try {
            service.shutdown(vm, "explode");
            throw new AssertionError("an unknown reason must be refused");
        } catch (XenApiException e) {
            assertEquals("VALUE_NOT_SUPPORTED", e.code());
        }
        service.shutdown(vm, "halt");
        assertEquals("Halted", service.view(vm).powerState());
        service.rename(vm, "xm-renamed");
        assertEquals(vm, service.lookup("xm-renamed").orElseThrow());
        service.delete(vm);
        assertTrue(service.lookup(vm).isEmpty());

        String transientVm = service.createStarted(new SxpConfigFormat().read(
                "(vm (name passing) (memory 64) (image (linux (kernel /k))))"), false);
        assertEquals("Running", service.view(transientVm).powerState());
        assertFalse(Files.exists(state.resolve("domains").resolve(transientVm)), "xm create does not save the VM");
        service.destroyDomain(transientVm);
        assertTrue(service.lookup(transientVm).isEmpty(), "a VM that is not managed is gone with its domain");
        assertEquals(DOM0, service.vms().get(0));
    }

    @Test
    void devicesOfAConfigAreObjectsOfTheStore() throws Exception {
        VmConfig cfg = new SxpConfigFormat().read("(vm (name with-devices) (memory 128)"
                + " (image (linux (kernel /boot/vmlinuz)))"
                + " (device (vbd (uname phy:/dev/vg/root) (dev xvda) (mode w)))"
                + " (device (vbd (uname file:/iso/install.iso) (dev hdc:cdrom) (mode r)))"
                + " (device (vif (bridge xenbr0) (mac 00:16:3e:01:02:03)))"
                + " (device (vif (bridge xenbr1))))");
        String vm = runtime.service().define(cfg);
        List<?> vbds = (List<?>) value("VM.get_VBDs", S, vm);
        List<?> vifs = (List<?>) value("VM.get_VIFs", S, vm);
        assertEquals(2, vbds.size());
        assertEquals(2, vifs.size());
        Map<?, ?> root = (Map<?, ?>) value("VBD.get_record", S, vbds.get(0));
        assertEquals(List.of("xvda", "Disk", "RW", true, vm), List.of(root.get("device"), root.get("type"),
                root.get("mode"), root.get("bootable"), root.get("VM")));
        Map<?, ?> cd = (Map<?, ?>) value("VBD.get_record", S, vbds.get(1));
        assertEquals(List.of("hdc", "CD", "RO", false), List.of(cd.get("device"), cd.get("type"), cd.get("mode"),
                cd.get("bootable")));
        assertEquals("00:16:3e:01:02:03", value("VIF.get_MAC", S, vifs.get(0)));
        String generated = (String) value("VIF.get_MAC", S, vifs.get(1));
        assertTrue(generated.matches("00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}"), generated);

        value("VBD.set_mode", S, vbds.get(0), "RO");
        String vifRecord = (String) value("VIF.create", S, Map.of("VM", vm, "device", "eth2", "MAC", "00:16:3e:0a:0b:0c"));
        assertEquals(3, ((List<?>) value("VM.get_VIFs", S, vm)).size());
        value("VIF.destroy", S, vifs.get(0));

        restartDaemon();
        assertEquals(generated, value("VIF.get_MAC", S, vifs.get(1)), "a generated MAC is kept");
        assertEquals("RO", value("VBD.get_mode", S, vbds.get(0)), "a device change is saved");
        List<?> after = (List<?>) value("VM.get_VIFs", S, vm);
        assertEquals(List.of(vifs.get(1), vifRecord), after);
        value("VM.destroy", S, vm);
        assertEquals("HANDLE_INVALID", error("VBD.get_record", S, vbds.get(0)).get(0));
    }

    private void awaitState(String vm, String wanted) throws InterruptedException {
        h.awaitState(vm, wanted);
    }

    private String create(String name, long mib) {
        return h.create(name, mib);
    }

    private static Map<String, Object> vmRecord(String name, long mib) {
        return DomainHarness.vmRecord(name, mib);
    }

    private Map<?, ?> record(String vm) {
        return h.record(vm);
    }

    private Map<String, Object> call(String method, Object... params) {
        return h.call(method, params);
    }

    private Object value(String method, Object... params) {
        return h.value(method, params);
    }

    private List<?> error(String method, Object... params) {
        return h.error(method, params);
    }

    /** config.sxp is written behind the journal, within the file writer's linger. */
    private static boolean awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.isRegularFile(file); i++) {
            Thread.sleep(10);
        }
        return Files.isRegularFile(file);
    }
}
