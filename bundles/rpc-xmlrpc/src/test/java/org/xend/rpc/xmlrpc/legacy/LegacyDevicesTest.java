package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.rpc.xmlrpc.XmlRpcFault;

/** The legacy device calls on the real domain layer, with the vbd and vif controllers and the simulated backends. */
class LegacyDevicesTest {

    @TempDir
    Path state;
    @TempDir
    Path images;

    private LegacyFixture xend;

    @BeforeEach
    void start() throws Exception {
        xend = LegacyFixture.withDisksAndNics(state);
    }

    @AfterEach
    void stop() {
        xend.close();
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
        xend.call("xend.domain.new", (Object) vm("legacy-dev", image("root.img")));
        xend.call("xend.domain.start", "legacy-dev", false);
        String data = image("data.img");
        Object[] disk = {"vbd", new Object[] {"uname", "file:" + data}, new Object[] {"dev", "xvdb"},
            new Object[] {"mode", "w"}};

        List<?> created = (List<?>) xend.call("xend.domain.device_create", "legacy-dev", disk);
        int domid = xend.domains.view(xend.domains.lookup("legacy-dev").orElseThrow()).domid();
        assertEquals(List.of("vbd", List.of("dom", domid, "id", 51728)), created);
        assertEquals("", xend.call("xend.domain.waitForDevices", "legacy-dev"));

        List<?> sxprs = (List<?>) xend.call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd");
        assertEquals(2, sxprs.size());
        List<?> second = (List<?>) sxprs.get(1);
        assertEquals(51728, second.get(0));
        List<?> front = (List<?>) second.get(1);
        assertTrue(front.contains(List.of("virtual-device", "51728")), front.toString());
        assertTrue(front.contains(List.of("backend-id", "0")), front.toString());

        XmlRpcFault twice = xend.fault("xend.domain.device_create", "legacy-dev", disk);
        assertEquals(2, twice.code());
        assertTrue(twice.getMessage().contains("Device xvdb (51728, vbd) is already connected."), twice.getMessage());

        assertEquals("", xend.call("xend.domain.destroyDevice", "legacy-dev", "vbd", "xvdb"));
        assertEquals(1, ((List<?>) xend.call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd")).size());
        assertFalse(xend.xenstore.exists("/local/domain/0/backend/vbd/" + domid + "/51728"));
        assertEquals("", xend.call("xend.domain.destroyDevice", "legacy-dev", "vbd", 51712, true), "by devid, forced");
        assertEquals(List.of(), xend.call("xend.domain.getDeviceSxprs", "legacy-dev", "vbd"));
    }

    @Test
    void aHaltedDomainListsAndChangesItsConfiguredDevices() throws Exception {
        xend.call("xend.domain.new", (Object) vm("legacy-halted", "/nowhere/root.img"));
        Object[] nic = {"vif", new Object[] {"mac", "00:16:3e:00:00:31"}, new Object[] {"bridge", "xenbr0"}};
        assertEquals(List.of("vif", List.of("dom", -1, "id", 0)),
                xend.call("xend.domain.device_create", "legacy-halted", nic));

        List<?> vbds = (List<?>) xend.call("xend.domain.getDeviceSxprs", "legacy-halted", "vbd");
        List<?> root = (List<?>) vbds.get(0);
        assertEquals(0, root.get(0));
        List<?> devsxp = (List<?>) root.get(1);
        assertEquals("vbd", devsxp.get(0));
        assertTrue(devsxp.contains(List.of("uname", "file:/nowhere/root.img")), devsxp.toString());
        List<?> vif = (List<?>) ((List<?>) ((List<?>) xend.call("xend.domain.getDeviceSxprs", "legacy-halted", "vif"))
                .get(0)).get(1);
        assertTrue(vif.contains(List.of("mac", "00:16:3e:00:00:31")), vif.toString());

        Object[] cd = {"vbd", new Object[] {"uname", "file:/iso/b.iso"}, new Object[] {"dev", "xvda"}};
        assertEquals(true, xend.call("xend.domain.device_configure", "legacy-halted", cd));
        devsxp = (List<?>) ((List<?>) ((List<?>) xend.call("xend.domain.getDeviceSxprs", "legacy-halted", "vbd"))
                .get(0)).get(1);
        assertTrue(devsxp.contains(List.of("uname", "file:/iso/b.iso")), devsxp.toString());

        assertEquals("", xend.call("xend.domain.destroyDevice", "legacy-halted", "vif", "0"));
        assertEquals(List.of(), xend.call("xend.domain.getDeviceSxprs", "legacy-halted", "vif"));
    }

    @Test
    void failuresAreFaults() throws Exception {
        xend.call("xend.domain.new", (Object) vm("legacy-bad", "/nowhere/root.img"));
        XmlRpcFault start = xend.fault("xend.domain.start", "legacy-bad", false);
        assertTrue(start.getMessage().contains("Device xvda (51712, vbd) could not be connected. "
                + "/nowhere/root.img does not exist."), start.getMessage());
        assertEquals(2, start.code(), "a failed hotplug is Xend's VmError: fault 2");
        XmlRpcFault noController = xend.fault("xend.domain.getDeviceSxprs", "legacy-bad", "pci");
        assertEquals(2, noController.code());
        assertTrue(noController.getMessage().contains("no device controller"), noController.getMessage());
        assertEquals(3, xend.fault("xend.domain.device_create", "nobody", new Object[] {"vif"}).code());
        XmlRpcFault notAList = xend.fault("xend.domain.device_create", "legacy-bad", new Object[] {new Object[] {"x"}});
        assertEquals(2, notAList.code());
        assertEquals(2, xend.fault("xend.domain.destroyDevice", "legacy-bad", "vbd", "xvdq").code());
    }
}
