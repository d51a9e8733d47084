package org.xend.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.XenApiException;
import org.xend.api.domain.DeviceView;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.devices.BlkifController;
import org.xend.devices.NetifController;
import org.xend.hypervisor.sim.SimDeviceBackends;

/** Devices of VMs through the controllers and the simulated backends: start, failures, attach and detach, plug. */
class DomainDevicesTest {

    private static final String S = DomainHarness.S;
    private static final Map<String, Object> FAST = Map.of("hotplugTimeoutSeconds", 5, "closeTimeoutSeconds", 5);

    @TempDir
    Path state;
    @TempDir
    Path images;

    private DomainHarness h;
    private SimDeviceBackends backends;
    private XenStore xs;

    @BeforeEach
    void setUp() throws Exception {
        DeviceControllers controllers = new DeviceControllers();
        h = new DomainHarness(state, 2, 0, controllers);
        xs = h.sim.xenstore;
        backends = new SimDeviceBackends(xs);
        controllers.add(new BlkifController(xs, FAST));
        controllers.add(new NetifController(xs, FAST));
    }

    @AfterEach
    void tearDown() {
        backends.close();
        h.close();
    }

    private DomainService service() {
        return h.runtime.service();
    }

    private String image(String name) throws Exception {
        return Files.writeString(images.resolve(name), "disk").toString();
    }

    private String define(String name, String devices) throws Exception {
        return service().define(new SxpConfigFormat().read("(vm (name " + name + ") (memory 64)"
                + " (image (linux (kernel /boot/vmlinuz)))" + devices + ")"));
    }

    private static String disk(String uname, String dev, String mode) {
        return " (device (vbd (uname " + uname + ") (dev " + dev + ") (mode " + mode + ")))";
    }

    private static DeviceConfig diskConfig(String uname, String dev) {
        return new DeviceConfig("vbd", "", Map.of("uname", uname, "dev", dev, "mode", "w"));
    }

    /** The VM's configuration as the daemon formats it (what config.sxp receives). */
    private String configSxp(String vm) {
        return new SxpConfigFormat().write(service().view(vm).config());
    }

    private Map<?, ?> vbd(String vm, int index) {
        List<?> vbds = (List<?>) h.value("VM.get_VBDs", S, vm);
        return (Map<?, ?>) h.value("VBD.get_record", S, vbds.get(index));
    }

    @Test
    void startCreatesTheConfiguredDevicesAndWaitsForTheirBackends() throws Exception {
        String root = image("root.img");
        String vm = define("with-disk", disk("file:" + root, "xvda", "w")
                + " (device (vif (mac 00:16:3e:00:00:21) (bridge xenbr0)))");
        assertEquals(false, vbd(vm, 0).get("currently_attached"));

        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        String back = "/local/domain/0/backend/vbd/" + domid + "/51712";
        assertEquals(Optional.of("connected"), xs.read(back + "/hotplug-status"), "started only once connected");
        assertEquals(Optional.of(root), xs.read(back + "/params"));
        assertEquals(Optional.of("connected"), xs.read("/local/domain/0/backend/vif/" + domid + "/0/hotplug-status"));
        Map<?, ?> disk = vbd(vm, 0);
        assertEquals(true, disk.get("currently_attached"));
        assertEquals("51712", ((Map<?, ?>) disk.get("runtime_properties")).get("virtual-device"));

        h.value("VM.hard_shutdown", S, vm);
        assertFalse(xs.exists("/local/domain/0/backend/vbd/" + domid), "backend entries go with the domain");
        assertFalse(xs.exists("/local/domain/0/backend/vif/" + domid));
        assertEquals(false, vbd(vm, 0).get("currently_attached"));
        assertEquals(Map.of(), vbd(vm, 0).get("runtime_properties"));
    }

    @Test
    void aHotplugFailureFailsTheStartAndLeavesNothingHalfBuilt() throws Exception {
        String missing = images.resolve("missing.img").toString();
        String vm = define("broken-disk", disk("file:" + image("ok.img"), "xvda", "w") + disk("file:" + missing,
                "xvdb", "w"));
        int domainsBefore = h.sim.hypervisor.domains().size();

        List<?> error = h.error("VM.start", S, vm, false);
        assertEquals("INTERNAL_ERROR", error.get(0));
        assertEquals("Device xvdb (51728, vbd) could not be connected. " + missing + " does not exist.",
                error.get(1));
        assertEquals("Halted", h.powerState(vm));
        assertEquals("-1", h.record(vm).get("domid"));
        assertEquals(domainsBefore, h.sim.hypervisor.domains().size(), "the domain was destroyed");
        assertEquals(List.of(), xs.exists("/local/domain/0/backend/vbd")
                ? xs.directory("/local/domain/0/backend/vbd") : List.of(), "no backend entries are left");
        assertEquals(List.of("0"), xs.directory("/local/domain"), "only Domain-0 is left in the store");
        assertEquals(false, vbd(vm, 0).get("currently_attached"));

        Files.writeString(Path.of(missing), "now it exists");
        h.value("VM.start", S, vm, false);
        assertEquals("Running", h.powerState(vm));
    }

    @Test
    void aDeviceAttachedToARunningManagedVmIsConnectedAndSavedAndDetachedAgain() throws Exception {
        String vm = define("attach", disk("file:" + image("root.img"), "xvda", "w"));
        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        String data = image("data.img");

        assertEquals(51728, service().createDevice(vm, diskConfig("file:" + data, "xvdb")));
        assertEquals(Optional.of("connected"),
                xs.read("/local/domain/0/backend/vbd/" + domid + "/51728/hotplug-status"));
        assertTrue(configSxp(vm).contains(data), "the managed configuration keeps the new disk");
        assertEquals(2, ((List<?>) h.value("VM.get_VBDs", S, vm)).size());
        Map<?, ?> added = vbd(vm, 1);
        assertEquals(List.of("xvdb", false, true), List.of(added.get("device"), added.get("bootable"),
                added.get("currently_attached")));
        List<DeviceView> listed = service().devices(vm, "vbd");
        assertEquals(List.of(51712, 51728), listed.stream().map(DeviceView::id).toList());
        assertEquals("file:" + data, listed.get(1).config().options().get("uname"));
        assertEquals("51728", listed.get(1).frontend().get("virtual-device"));

        h.restartDaemon();
        assertEquals(2, ((List<?>) h.value("VM.get_VBDs", S, vm)).size(), "the attached disk was saved");
        assertEquals(true, vbd(vm, 1).get("currently_attached"));

        XenApiException twice = assertThrows(XenApiException.class,
                () -> service().createDevice(vm, diskConfig("file:" + data, "xvdb")));
        assertEquals("DEVICE_ALREADY_EXISTS", twice.code());
        assertEquals("Device xvdb (51728, vbd) is already connected.", twice.params().get(0));
        assertEquals(2, ((List<?>) h.value("VM.get_VBDs", S, vm)).size(), "a refused device is not configured");

        service().destroyDevice(vm, "vbd", "xvdb", false);
        assertFalse(xs.exists("/local/domain/0/backend/vbd/" + domid + "/51728"));
        assertFalse(xs.exists("/local/domain/" + domid + "/device/vbd/51728"));
        assertFalse(configSxp(vm).contains(data), "the configuration forgets the detached disk");
        assertEquals(1, ((List<?>) h.value("VM.get_VBDs", S, vm)).size());

        h.restartDaemon();
        assertEquals(1, ((List<?>) h.value("VM.get_VBDs", S, vm)).size());
    }

    @Test
    void aLifecycleOperationIsRefusedWhileADeviceCallRunsOnTheVm() throws Exception {
        String vm = define("busy-devices", disk("file:" + image("root.img"), "xvda", "w"));
        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        String data = image("data.img");
        backends.close(); // nobody answers the hotplug: the attach waits
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> attaching = pool.submit(() -> service().createDevice(vm, diskConfig("file:" + data,
                    "xvdb")));
            String back = "/local/domain/0/backend/vbd/" + domid + "/51728";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            while (!xs.exists(back + "/state") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(xs.exists(back + "/state"), "the attach wrote its entries and waits for the backend");

            assertEquals(List.of("OTHER_OPERATION_IN_PROGRESS", "VM", vm), h.error("VM.hard_shutdown", S, vm));
            assertEquals(Map.of(), h.record(vm).get("current_operations"), "a device call is no VM operation");

            xs.write(back + "/hotplug-error", "refused by the test");
            xs.write(back + "/hotplug-status", "error"); // the backend's answer ends the wait
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> attaching.get(10, TimeUnit.SECONDS));
            assertTrue(failed.getCause() instanceof XenApiException, String.valueOf(failed.getCause()));
        } finally {
            pool.shutdownNow();
        }
        h.value("VM.hard_shutdown", S, vm);
        assertEquals("Halted", h.powerState(vm));
    }

    @Test
    void onAHaltedVmTheDeviceCallsChangeOnlyTheConfiguration() throws Exception {
        String vm = define("halted", disk("file:/nowhere/root.img", "xvda", "w"));
        assertEquals(1, service().createDevice(vm, diskConfig("file:/nowhere/data.img", "xvdb")),
                "its position among the VM's disks");
        assertFalse(xs.exists("/local/domain/0/backend"), "nothing is written to the xenstore");
        assertTrue(configSxp(vm).contains("/nowhere/data.img"));
        assertEquals(List.of("file:/nowhere/root.img", "file:/nowhere/data.img"), service().devices(vm, "vbd")
                .stream().map(v -> v.config().options().get("uname")).toList());
        assertEquals("DEVICE_ALREADY_EXISTS", assertThrows(XenApiException.class,
                () -> service().createDevice(vm, diskConfig("file:/x", "xvdb"))).code());

        service().configureDevice(vm, diskConfig("file:/nowhere/other.img", "xvdb"), null);
        assertTrue(configSxp(vm).contains("/nowhere/other.img"));
        service().destroyDevice(vm, "vbd", "1", false);
        assertFalse(configSxp(vm).contains("/nowhere/other.img"));
        assertEquals(1, service().devices(vm, "vbd").size());
        assertEquals("VALUE_NOT_SUPPORTED", assertThrows(XenApiException.class,
                () -> service().destroyDevice(vm, "vbd", "xvdz", false)).code());

        h.restartDaemon();
        assertEquals(List.of("file:/nowhere/root.img"), service().devices(vm, "vbd").stream()
                .map(v -> v.config().options().get("uname")).toList(), "what was saved");
    }

    @Test
    void aClassWithNoControllerIsAClearError() throws Exception {
        String vm = define("no-pci", "");
        XenApiException e = assertThrows(XenApiException.class,
                () -> service().createDevice(vm, new DeviceConfig("pci", "", Map.of("dev", "0000:00:1f.0"))));
        assertEquals("VALUE_NOT_SUPPORTED", e.code());
        assertEquals(List.of("device class", "pci"), e.params().subList(0, 2));
        assertTrue(e.params().get(2).contains("no device controller"), e.params().get(2));
    }

    @Test
    void vbdPlugAndUnplugFollowXapisRules() throws Exception {
        String vm = define("plug", disk("file:" + image("root.img"), "xvda", "w"));
        String vbd = (String) ((List<?>) h.value("VM.get_VBDs", S, vm)).get(0);
        assertEquals(List.of("VM_BAD_POWER_STATE", vm, "Running", "Halted"), h.error("VBD.plug", S, vbd));

        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        assertEquals(List.of("DEVICE_ALREADY_ATTACHED", vbd), h.error("VBD.plug", S, vbd));
        h.value("VBD.unplug", S, vbd);
        assertEquals(false, h.value("VBD.get_currently_attached", S, vbd));
        assertFalse(xs.exists("/local/domain/0/backend/vbd/" + domid + "/51712"));
        assertEquals(List.of("DEVICE_ALREADY_DETACHED", vbd), h.error("VBD.unplug", S, vbd));
        assertEquals(1, ((List<?>) h.value("VM.get_VBDs", S, vm)).size(), "an unplugged VBD stays configured");

        h.value("VBD.plug", S, vbd);
        assertEquals(true, h.value("VBD.get_currently_attached", S, vbd));
        assertEquals(Optional.of("connected"),
                xs.read("/local/domain/0/backend/vbd/" + domid + "/51712/hotplug-status"));

        String vif = (String) h.value("VIF.create", S, Map.of("VM", vm, "device", "eth0",
                "MAC", "00:16:3e:0a:0b:0c"));
        assertEquals(false, h.value("VIF.get_currently_attached", S, vif), "VIF.create does not plug");
        h.value("VIF.plug", S, vif);
        assertEquals(Optional.of("00:16:3e:0a:0b:0c"), xs.read("/local/domain/" + domid + "/device/vif/0/mac"));
        h.value("VIF.unplug", S, vif);
        assertFalse(xs.exists("/local/domain/" + domid + "/device/vif/0"));
    }

    @Test
    void waitForDevicesReturnsOnceConnectedAndAReadoptedDomainKeepsItsDevices() throws Exception {
        String vm = define("readopt", disk("file:" + image("root.img"), "xvda", "w"));
        h.value("VM.start", S, vm, false);
        int domid = h.domid(vm);
        service().waitForDevices(vm);

        h.killAndRestartDaemon();
        assertEquals("Running", h.powerState(vm));
        assertEquals(true, vbd(vm, 0).get("currently_attached"), "the readopted domain's disk is attached");
        assertEquals(List.of("51712"), xs.directory("/local/domain/0/backend/vbd/" + domid),
                "re-adoption does not create the devices again");
        h.value("VM.hard_shutdown", S, vm);
        assertFalse(xs.exists("/local/domain/0/backend/vbd/" + domid));
    }
}
