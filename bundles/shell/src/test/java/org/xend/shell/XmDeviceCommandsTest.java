package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
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

    @BeforeEach
    void setUp() throws Exception {
        layer = SimDomainLayer.withDisksAndNics(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024,
                "guestShutdownDelayMs", 50), DomainSettingsValues.of(5, 20, 5), state.resolve("xend"));
        domains = layer.domains();
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

        BlockAttachCommand attach = domainCommand(new BlockAttachCommand(), "shell-dev");
        attach.backDev = "file:" + image;
        attach.frontDev = "xvdb";
        attach.mode = "w";
        assertEquals("Attached vbd xvdb (devid 51728)\n", run(attach));

        List<String> blocks = run(domainCommand(new BlockListCommand(), "shell-dev")).lines().toList();
        assertEquals(2, blocks.size(), blocks.toString());
        assertTrue(blocks.get(0).startsWith("Idx    BE  handle"), blocks.get(0));
        assertTrue(blocks.get(1).startsWith("51728  0   51728"), blocks.get(1));
        assertTrue(blocks.get(1).endsWith("/local/domain/0/backend/vbd/" + domains.view(vm).domid() + "/51728"),
                blocks.get(1));

        NetworkAttachCommand nic = domainCommand(new NetworkAttachCommand(), "shell-dev");
        nic.settings = List.of("mac=00:16:3e:00:00:41", "bridge=xenbr0");
        assertEquals("Attached vif 0\n", run(nic));
        List<String> nics = run(domainCommand(new NetworkListCommand(), "shell-dev")).lines().toList();
        assertTrue(nics.get(1).contains("00:16:3e:00:00:41"), nics.toString());
        nic.settings = List.of("colour=blue");
        assertTrue(failure(nic).startsWith("Invalid network-attach option 'colour=blue'"));

        BlockDetachCommand detach = domainCommand(new BlockDetachCommand(), "shell-dev");
        detach.device = "/dev/xvdb";
        run(detach);
        NetworkDetachCommand detachNic = domainCommand(new NetworkDetachCommand(), "shell-dev");
        detachNic.device = "00:16:3e:00:00:41";
        detachNic.force = true;
        run(detachNic);
        assertEquals(List.of(), domains.devices(vm, "vbd"));
        assertEquals(List.of(), domains.devices(vm, "vif"));
        assertEquals(0, domains.view(vm).config().devices().size(), "the configuration forgets them");
    }

    @Test
    void aHaltedVmListsItsConfiguredDevicesAndAFailedAttachIsOneLine() throws Exception {
        domains.define(new SxpConfigFormat().read("(vm (name shell-halted) (memory 64)"
                + " (device (vbd (uname file:/nowhere/root.img) (dev xvda) (mode w))))"));
        assertEquals("(0 (vbd (uname file:/nowhere/root.img) (dev xvda) (mode w) (bootable 1)))\n",
                run(domainCommand(new BlockListCommand(), "shell-halted")));

        BlockAttachCommand attach = domainCommand(new BlockAttachCommand(), "shell-halted");
        attach.backDev = "file:/nowhere/data.img";
        attach.frontDev = "xvdb";
        attach.mode = "r";
        assertEquals("Attached vbd xvdb (devid 1)\n", run(attach), "a halted VM's configuration only");

        String running = domains.define(new SxpConfigFormat().read(
                "(vm (name shell-running) (memory 64) (image (linux (kernel /boot/vmlinuz))))"));
        domains.start(running, false);
        BlockAttachCommand missing = domainCommand(new BlockAttachCommand(), "shell-running");
        missing.backDev = "file:/nowhere/data.img";
        missing.frontDev = "xvdb";
        missing.mode = "r";
        String error = failure(missing);
        assertTrue(error.contains("Device xvdb (51728, vbd) could not be connected. /nowhere/data.img does not "
                + "exist."), error);
        assertEquals(List.of(), domains.devices(running, "vbd"));
    }

    private <T extends DomainAction> T domainCommand(T command, String dom) {
        command.dom = dom;
        return command;
    }

    private String run(XmAction command) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        command.domains = domains;
        command.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        command.execute();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private String failure(XmAction command) {
        return assertThrows(CommandException.class, () -> run(command)).getMessage();
    }
}
