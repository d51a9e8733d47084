package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.shell.XmRunner.domCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.domain.DomainService;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.domain.DomainSettingsValues;
import org.xend.domain.SimDomainLayer;

/** xm:block-* and xm:network-* against the domain layer with the vbd and vif controllers and simulated backends. */
class XmDeviceCommandsTest {

    @TempDir
    Path state;

    private SimDomainLayer layer;
    private DomainService domains;
    private XmRunner xm;

    @BeforeEach
    void setUp() throws Exception {
        layer = SimDomainLayer.withDisksAndNics(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 50), DomainSettingsValues.of(5, 20, 5), state.resolve("xend"));
        domains = layer.domains();
        xm = new XmRunner(domains, layer.sim.hypervisor);
    }

    @AfterEach
    void tearDown() {
        layer.close();
    }

    @Test
    void disksAndNicsAreAttachedListedAndDetachedOnARunningVm() throws Exception {
        String vm = domains.define(new SxpConfigFormat().read(
                "(vm (name shell-dev) (memory 64) (image (linux (kernel /boot/vmlinuz))))"));
        domains.start(vm, false);
        Path image = Files.writeString(state.resolve("data.img"), "disk");

        BlockAttachCommand attach = domCommand(new BlockAttachCommand(), "shell-dev");
        attach.backDev = "file:" + image;
        attach.frontDev = "xvdb";
        attach.mode = "w";
        assertEquals("Attached vbd xvdb (devid 51728)\n", xm.run(attach));

        List<String> blocks = xm.run(domCommand(new BlockListCommand(), "shell-dev")).lines().toList();
        assertEquals(2, blocks.size(), blocks.toString());
        assertTrue(blocks.get(0).startsWith("Idx    BE  handle"), blocks.get(0));
        assertTrue(blocks.get(1).startsWith("51728  0   51728"), blocks.get(1));
        assertTrue(blocks.get(1).endsWith("/local/domain/0/backend/vbd/" + domains.view(vm).domid() + "/51728"),
                blocks.get(1));

        NetworkAttachCommand nic = domCommand(new NetworkAttachCommand(), "shell-dev");
        nic.settings = List.of("mac=00:16:3e:00:00:41", "bridge=xenbr0");
        assertEquals("Attached vif 0\n", xm.run(nic));
        List<String> nics = xm.run(domCommand(new NetworkListCommand(), "shell-dev")).lines().toList();
        assertTrue(nics.get(1).contains("00:16:3e:00:00:41"), nics.toString());
        nic.settings = List.of("colour=blue");
        assertTrue(xm.failure(nic).startsWith("Invalid network-attach option 'colour=blue'"));

        BlockDetachCommand detach = domCommand(new BlockDetachCommand(), "shell-dev");
        detach.device = "/dev/xvdb";
        xm.run(detach);
        NetworkDetachCommand detachNic = domCommand(new NetworkDetachCommand(), "shell-dev");
        detachNic.device = "00:16:3e:00:00:41";
        detachNic.force = true;
        xm.run(detachNic);
        assertEquals(List.of(), domains.devices(vm, "vbd"));
        assertEquals(List.of(), domains.devices(vm, "vif"));
        assertEquals(0, domains.view(vm).config().devices().size(), "the configuration forgets them");
    }

    @Test
    void aHaltedVmListsItsConfiguredDevicesAndAFailedAttachIsOneLine() throws Exception {
        domains.define(new SxpConfigFormat().read("(vm (name shell-halted) (memory 64)"
                + " (device (vbd (uname file:/nowhere/root.img) (dev xvda) (mode w))))"));
        assertEquals("(0 (vbd (uname file:/nowhere/root.img) (dev xvda) (mode w) (bootable 1)))\n",
                xm.run(domCommand(new BlockListCommand(), "shell-halted")));

        BlockAttachCommand attach = domCommand(new BlockAttachCommand(), "shell-halted");
        attach.backDev = "file:/nowhere/data.img";
        attach.frontDev = "xvdb";
        attach.mode = "r";
        assertEquals("Attached vbd xvdb (devid 1)\n", xm.run(attach), "a halted VM's configuration only");

        String running = domains.define(new SxpConfigFormat().read(
                "(vm (name shell-running) (memory 64) (image (linux (kernel /boot/vmlinuz))))"));
        domains.start(running, false);
        BlockAttachCommand missing = domCommand(new BlockAttachCommand(), "shell-running");
        missing.backDev = "file:/nowhere/data.img";
        missing.frontDev = "xvdb";
        missing.mode = "r";
        String error = xm.failure(missing);
        assertTrue(error.contains("Device xvdb (51728, vbd) could not be connected. /nowhere/data.img does not "
                + "exist."), error);
        assertEquals(List.of(), domains.devices(running, "vbd"));
    }
}
