package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.model.XenApiModel;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.core.ObjectStoreImpl;
import org.xend.devices.BlkifController;
import org.xend.devices.NetifController;
import org.xend.domain.DeviceControllers;
import org.xend.domain.DomainRuntime;
import org.xend.domain.DomainSettings;
import org.xend.hypervisor.sim.SimDeviceBackends;
import org.xend.hypervisor.sim.SimHypervisor;
import org.xend.hypervisor.sim.SimXenStore;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/** The legacy device calls on the real domain layer, with the vbd and vif controllers and the simulated backends. */
class LegacyDevicesTest {

    @TempDir
    Path state;
    @TempDir
    Path images;

    private final SimXenStore xenstore = new SimXenStore();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private SimHypervisor hypervisor;
    private SimDeviceBackends backends;
    private ObjectStoreImpl store;
    private DomainRuntime runtime;
    private LegacyXmApi api;

    @BeforeEach
    void start() throws Exception {
        lifecycle(xenstore, "activate");
        hypervisor = new SimHypervisor(xenstore, Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 20));
        backends = new SimDeviceBackends(xenstore);
        DeviceControllers controllers = new DeviceControllers();
        controllers.add(new BlkifController(xenstore, Map.of("hotplugTimeoutSeconds", 5)));
        controllers.add(new NetifController(xenstore, Map.of("hotplugTimeoutSeconds", 5)));
        store = new ObjectStoreImpl(XenApiModel.datamodel());
        SxpConfigFormat sxp = new SxpConfigFormat();
        runtime = DomainRuntime.start(store, hypervisor, xenstore, sxp, settings(), state, executor, controllers);
        runtime.persisters().forEach(store::registerPersister);
        api = new LegacyXmApi(runtime.service(), sxp, hypervisor, () -> state.resolve("xend.log"));
    }

    @AfterEach
    void stop() throws Exception {
        runtime.stopActions();
        runtime.persisters().forEach(store::unregisterPersister);
        runtime.detachFromHypervisor();
        runtime.forget();
        executor.shutdownNow();
        backends.close();
        lifecycle(hypervisor, "deactivate");
        lifecycle(xenstore, "deactivate");
    }

    private Object call(String method, Object... params) throws XmlRpcFault {
        return api.call(LegacyFixture.CONTEXT, method, Arrays.asList(params));
    }

    private XmlRpcFault fault(String method, Object... params) {
        try {
            return fail(method + " answered " + call(method, params));
        } catch (XmlRpcFault expected) {
            return expected;
        }
    }

    private static Object[] vm(String name, String rootImage) {
        return new Object[] {"vm", new Object[] {"name", name}, new Object[] {"memory", 64},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/boot/vmlinuz"}}},
            new Object[] {"device", new Object[] {"vbd", new Object[] {"uname", "file:" + rootImage},
                new Object[] {"dev", "xvda"}, new Object[] {"mode", "w"}}}};
    }

    private String image(String name) throws Exception {
        return Files.writeString(images.resolve(name), "disk").toString();
    }

    @Test
    void attachListAndDetachADiskOfARunningDomain() throws Exception {
        call("xend.domain.new", (Object) vm("legacy-dev", image("root.img")));
        call("xend.domain.start", "legacy-dev", false);
        String data = image("data.img");
        Object[] disk = {"vbd", new Object[] {"uname", "file:" + data}, new Object[] {"dev", "xvdb"},
            new Object[] {"mode", "w"}};

        List<?> created = (List<?>) call("xend.domain.device_create", "legacy-dev", disk);
        int domid = runtime.service().view(runtime.service().lookup("legacy-dev").orElseThrow()).domid();
        assertEquals(List.of("vbd", List.of("dom", domid, "id", 51728)), created);
        assertEquals("", call("xend.domain.waitForDevices", "legacy-dev"));

        List<?> sxprs = (List<?>) call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd");
        assertEquals(2, sxprs.size());
        List<?> second = (List<?>) sxprs.get(1);
        assertEquals(51728, second.get(0));
        List<?> front = (List<?>) second.get(1);
        assertTrue(front.contains(List.of("virtual-device", "51728")), front.toString());
        assertTrue(front.contains(List.of("backend-id", "0")), front.toString());

        XmlRpcFault twice = fault("xend.domain.device_create", "legacy-dev", disk);
        assertEquals(2, twice.code());
        assertTrue(twice.getMessage().contains("Device xvdb (51728, vbd) is already connected."), twice.getMessage());

        assertEquals("", call("xend.domain.destroyDevice", "legacy-dev", "vbd", "xvdb"));
        assertEquals(1, ((List<?>) call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd")).size());
        assertFalse(xenstore.exists("/local/domain/0/backend/vbd/" + domid + "/51728"));
        assertEquals("", call("xend.domain.destroyDevice", "legacy-dev", "vbd", 51712, true), "by devid, forced");
        assertEquals(List.of(), call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd"));
    }

    @Test
    void aHaltedDomainListsAndChangesItsConfiguredDevices() throws Exception {
        call("xend.domain.new", (Object) vm("legacy-halted", "/nowhere/root.img"));
        Object[] nic = {"vif", new Object[] {"mac", "00:16:3e:00:00:31"}, new Object[] {"bridge", "xenbr0"}};
        assertEquals(List.of("vif", List.of("dom", -1, "id", 0)),
                call("xend.domain.device_create", "legacy-halted", nic));

        List<?> vbds = (List<?>) call("xend.domain.getDeviceSxprs", "legacy-halted", "vbd");
        List<?> root = (List<?>) vbds.get(0);
        assertEquals(0, root.get(0));
        List<?> devsxp = (List<?>) root.get(1);
        assertEquals("vbd", devsxp.get(0));
        assertTrue(devsxp.contains(List.of("uname", "file:/nowhere/root.img")), devsxp.toString());
        List<?> vif = (List<?>) ((List<?>) ((List<?>) call("xend.domain.getDeviceSxprs", "legacy-halted", "vif"))
                .get(0)).get(1);
        assertTrue(vif.contains(List.of("mac", "00:16:3e:00:00:31")), vif.toString());

        Object[] cd = {"vbd", new Object[] {"uname", "file:/iso/b.iso"}, new Object[] {"dev", "xvda"}};
        assertEquals(true, call("xend.domain.device_configure", "legacy-halted", cd));
        devsxp = (List<?>) ((List<?>) ((List<?>) call("xend.domain.getDeviceSxprs", "legacy-halted", "vbd"))
                .get(0)).get(1);
        assertTrue(devsxp.contains(List.of("uname", "file:/iso/b.iso")), devsxp.toString());

        assertEquals("", call("xend.domain.destroyDevice", "legacy-halted", "vif", "0"));
        assertEquals(List.of(), call("xend.domain.getDeviceSxprs", "legacy-halted", "vif"));
    }

    @Test
    void failuresAreFaults() throws Exception {
        call("xend.domain.new", (Object) vm("legacy-bad", "/nowhere/root.img"));
        XmlRpcFault start = fault("xend.domain.start", "legacy-bad", false);
        assertTrue(start.getMessage().contains("Device xvda (51712, vbd) could not be connected. "
                + "/nowhere/root.img does not exist."), start.getMessage());
        XmlRpcFault noController = fault("xend.domain.getDeviceSxprs", "legacy-bad", "pci");
        assertEquals(2, noController.code());
        assertTrue(noController.getMessage().contains("no device controller"), noController.getMessage());
        assertEquals(3, fault("xend.domain.device_create", "nobody", new Object[] {"vif"}).code());
        XmlRpcFault notAList = fault("xend.domain.device_create", "legacy-bad", new Object[] {new Object[] {"x"}});
        assertEquals(2, notAList.code());
        assertEquals(2, fault("xend.domain.destroyDevice", "legacy-bad", "vbd", "xvdq").code());
    }

    private static void lifecycle(Object component, String name) throws Exception {
        Method m = component.getClass().getDeclaredMethod(name);
        m.setAccessible(true);
        m.invoke(component);
    }

    private static DomainSettings settings() {
        return new DomainSettings() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DomainSettings.class;
            }

            @Override
            public int shutdownTimeoutSeconds() {
                return 2;
            }

            @Override
            public int minimumRestartSeconds() {
                return 20;
            }

            @Override
            public int stopActionTimeoutSeconds() {
                return 5;
            }
        };
    }
}
