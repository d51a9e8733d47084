package org.xend.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.device.DeviceException;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.hypervisor.sim.SimDevicesFixture;

/** The controllers against the simulated xenstore and backends: layout, devids, the hotplug wait, destruction. */
class DeviceControllersTest {

    private static final String VM = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private static final String DISK_UUID = "6b0f7a62-5c1e-4c8e-9d52-000000000001";
    private static final DeviceDomain DOMAIN = new DeviceDomain(5, VM, "web", false);
    private static final DeviceSettings FAST = new DeviceSettings(Duration.ofSeconds(5), Duration.ofSeconds(5));

    @TempDir
    Path dir;
    private SimDevicesFixture sim;
    private XenStore xs;
    private BlkifController vbd;
    private NetifController vif;

    @BeforeEach
    void start() {
        sim = new SimDevicesFixture(true);
        xs = sim.xenstore();
        vbd = new BlkifController("vbd", xs, FAST, BlockDeviceNumbers.byNameOnly());
        vif = new NetifController(xs, FAST);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Optional<String> read(String path) {
        return xs.read(path);
    }

    private DeviceConfig disk(String uname, String dev, String mode) {
        return new DeviceConfig("vbd", DISK_UUID, Map.of("uname", uname, "dev", dev, "mode", mode));
    }

    private String image(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "disk").toString();
    }

    @Test
    void aDiskIsWrittenOnBothSidesWithItsDeviceNumberAndConnects() throws Exception {
        String image = image("root.img");
        int devid = vbd.createDevice(DOMAIN, disk("file:" + image, "xvda", "w"));
        assertEquals(51712, devid);

        String front = "/local/domain/5/device/vbd/51712";
        String back = "/local/domain/0/backend/vbd/5/51712";
        assertEquals(Optional.of(back), read(front + "/backend"));
        assertEquals(Optional.of("0"), read(front + "/backend-id"));
        assertEquals(Optional.of("51712"), read(front + "/virtual-device"));
        assertEquals(Optional.of("disk"), read(front + "/device-type"));
        assertEquals(Optional.of("web"), read(back + "/domain"));
        assertEquals(Optional.of(front), read(back + "/frontend"));
        assertEquals(Optional.of("5"), read(back + "/frontend-id"));
        assertEquals(Optional.of("1"), read(back + "/online"));
        assertEquals(Optional.of("xvda"), read(back + "/dev"));
        assertEquals(Optional.of("file"), read(back + "/type"));
        assertEquals(Optional.of(image), read(back + "/params"));
        assertEquals(Optional.of("w"), read(back + "/mode"));
        assertEquals(Optional.of(DISK_UUID), read(back + "/uuid"));

        vbd.waitForDevice(DOMAIN, devid);
        assertEquals(Optional.of("connected"), read(back + "/hotplug-status"));
        assertEquals(List.of(51712), vbd.deviceIds(DOMAIN));
        assertEquals(Optional.of(new DeviceConfig("vbd", DISK_UUID,
                Map.of("dev", "xvda", "uname", "file:" + image, "mode", "w"))), vbd.configuration(DOMAIN, devid));
    }

    @Test
    void aSecondDeviceWithTheSameNameIsRefusedAndChangesNothing() throws Exception {
        vbd.createDevice(DOMAIN, disk("file:" + image("a.img"), "hda", "w"));
        DeviceException e = assertThrows(DeviceException.class,
                () -> vbd.createDevice(DOMAIN, disk("file:/other.img", "hda", "r")));
        assertEquals(DeviceException.Kind.ALREADY_CONNECTED, e.kind());
        assertEquals("Device hda (768, vbd) is already connected.", e.getMessage());
        assertEquals(Optional.of(dir.resolve("a.img").toString()),
                read("/local/domain/0/backend/vbd/5/768/params"));

        BlktapController tap = new BlktapController(xs, FAST, BlockDeviceNumbers.byNameOnly());
        DeviceException sameFrontend = assertThrows(DeviceException.class,
                () -> tap.createDevice(DOMAIN, new DeviceConfig("tap", "", Map.of("uname", "tap:aio:/x",
                        "dev", "hda", "mode", "w"))));
        assertEquals(DeviceException.Kind.ALREADY_CONNECTED, sameFrontend.kind(),
                "a tap's frontend is a vbd: the two cannot share a devid");
    }

    @Test
    void badDiskConfigurationsAreRefused() {
        assertEquals(DeviceException.Kind.INVALID_CONFIG, assertThrows(DeviceException.class,
                () -> vbd.createDevice(DOMAIN, disk("file:/x", "floppy", "w"))).kind());
        DeviceException mode = assertThrows(DeviceException.class,
                () -> vbd.createDevice(DOMAIN, disk("file:/x", "xvdb", "rw")));
        assertTrue(mode.getMessage().startsWith("Invalid mode 'rw'"), mode.getMessage());
        assertFalse(xs.exists("/local/domain/5/device"), "nothing written");
    }

    @Test
    void aMissingImageFailsTheWaitWithTheScriptsMessageAndLeavesNothing() {
        String missing = dir.resolve("missing.img").toString();
        int devid = vbd.createDevice(DOMAIN, disk("file:" + missing, "xvdb", "w"));
        DeviceException e = assertThrows(DeviceException.class, () -> vbd.waitForDevice(DOMAIN, devid));
        assertEquals(DeviceException.Kind.HOTPLUG_FAILED, e.kind());
        assertEquals("Device xvdb (51728, vbd) could not be connected. " + missing + " does not exist.",
                e.getMessage());
        assertFalse(xs.exists("/local/domain/5/device/vbd/51728"));
        assertFalse(xs.exists("/local/domain/0/backend/vbd/5/51728"));
        assertEquals(List.of(), vbd.deviceIds(DOMAIN));
    }

    @Test
    void withoutAnAnswerTheWaitTimesOutAndRemovesTheDevice() throws Exception {
        try (SimDevicesFixture silent = new SimDevicesFixture(false)) {
            BlkifController c = new BlkifController("vbd", silent.xenstore(),
                    new DeviceSettings(Duration.ofSeconds(1), Duration.ofSeconds(1)), BlockDeviceNumbers.byNameOnly());
            int devid = c.createDevice(DOMAIN, disk("file:" + image("quiet.img"), "xvda", "w"));
            long start = System.nanoTime();
            DeviceException e = assertThrows(DeviceException.class, () -> c.waitForDevice(DOMAIN, devid));
            assertTrue(System.nanoTime() - start >= 900_000_000L, "waited the hotplug timeout");
            assertEquals("Device xvda (51712, vbd) could not be connected. Hotplug scripts not working.",
                    e.getMessage());
            assertFalse(silent.xenstore().exists("/local/domain/0/backend/vbd/5/51712"));
        }
    }

    @Test
    void networkDevicesGetDevidsFromTheCounterAndTheirConfigurationUnderTheVm() {
        DeviceConfig nic = new DeviceConfig("vif", "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                Map.of("mac", "00:16:3e:00:00:01", "bridge", "xenbr0", "rate", "10Mb/s"));
        assertEquals(0, vif.createDevice(DOMAIN, nic));
        assertEquals(1, vif.createDevice(DOMAIN, new DeviceConfig("vif", "", Map.of("type", "ioemu"))));
        assertEquals(Optional.of("2"), read("/local/domain/5/device-misc/vif/nextDeviceID"));

        String back = "/local/domain/0/backend/vif/5/0";
        assertEquals(Optional.of("/etc/xen/scripts/vif-bridge"), read(back + "/script"));
        assertEquals(Optional.of("00:16:3e:00:00:01"), read(back + "/mac"));
        assertEquals(Optional.of("netfront"), read(back + "/type"));
        assertEquals(Optional.of("0"), read(back + "/handle"));
        assertEquals(Optional.of("xenbr0"), read(back + "/bridge"));
        assertEquals(Optional.of("62500,50000"), read(back + "/rate"), "10 Mbit/s as bytes per 50 ms");
        assertEquals(Optional.of("0"), read("/local/domain/5/device/vif/0/handle"));
        assertEquals(Optional.of("00:16:3e:00:00:01"), read("/local/domain/5/device/vif/0/mac"));
        assertEquals(Optional.of("vif-bridge"), read("/vm/" + VM + "/device/vif/0/script"));
        assertEquals(Optional.of("10Mb/s"), read("/vm/" + VM + "/device/vif/0/rate"));
        assertTrue(read("/local/domain/5/device/vif/1/mac").isEmpty(), "an emulated card has no frontend MAC");
        assertTrue(read("/local/domain/0/backend/vif/5/1/mac").orElseThrow().startsWith("00:16:3e:"));

        vif.waitForDevice(DOMAIN, 0);
        assertEquals(Map.of("mac", "00:16:3e:00:00:01", "bridge", "xenbr0", "rate", "10Mb/s",
                "script", "vif-bridge", "type", "netfront"), vif.configuration(DOMAIN, 0).orElseThrow().options());
        assertEquals(OptionalInt.of(0), vif.findDevice(DOMAIN, "00:16:3e:00:00:01"));
        assertEquals(OptionalInt.of(0), vif.findDevice(DOMAIN, "7c9e6679-7425-40de-944b-e07fc1f90ae7"));
        assertEquals(OptionalInt.of(1), vif.findDevice(DOMAIN, "1"));
        assertEquals(OptionalInt.empty(), vif.findDevice(DOMAIN, "7"));
    }

    @Test
    void destroyingClosesTheDeviceThenRemovesBothSidesAndItsVmEntries() throws Exception {
        int devid = vif.createDevice(DOMAIN, new DeviceConfig("vif", "", Map.of("mac", "00:16:3e:00:00:02")));
        vif.waitForDevice(DOMAIN, devid);
        assertTrue(xs.exists("/vm/" + VM + "/device/vif/0"));

        vif.destroyDevice(DOMAIN, devid, false);
        assertFalse(xs.exists("/local/domain/0/backend/vif/5/0"));
        assertFalse(xs.exists("/local/domain/5/device/vif/0"));
        assertFalse(xs.exists("/vm/" + VM + "/device/vif/0"));
        assertEquals(DeviceException.Kind.NOT_FOUND,
                assertThrows(DeviceException.class, () -> vif.destroyDevice(DOMAIN, devid, false)).kind());
    }

    @Test
    void aForcedDestroyDoesNotWaitForABackendThatNeverAnswers() throws Exception {
        try (SimDevicesFixture silent = new SimDevicesFixture(false)) {
            NetifController c = new NetifController(silent.xenstore(),
                    new DeviceSettings(Duration.ofSeconds(30), Duration.ofMillis(300)));
            int devid = c.createDevice(DOMAIN, new DeviceConfig("vif", "", Map.of()));
            DeviceException refused = assertThrows(DeviceException.class, () -> c.destroyDevice(DOMAIN, devid, false));
            assertEquals(DeviceException.Kind.DETACH_FAILED, refused.kind());
            assertEquals(Optional.of("0"), silent.xenstore().read("/local/domain/0/backend/vif/5/0/online"));
            assertEquals(Optional.of("5"), silent.xenstore().read("/local/domain/0/backend/vif/5/0/state"));

            c.destroyDevice(DOMAIN, devid, true);
            assertFalse(silent.xenstore().exists("/local/domain/0/backend/vif/5/0"));
            assertFalse(silent.xenstore().exists("/local/domain/5/device/vif/0"));
        }
    }

    @Test
    void aCdDrivesMediaChangesWhileConnectedButADiskIsNotReconfigured() throws Exception {
        String first = image("first.iso");
        String second = image("second.iso");
        int cd = vbd.createDevice(DOMAIN, disk("file:" + first, "hdc:cdrom", "r"));
        vbd.waitForDevice(DOMAIN, cd);
        assertEquals(Optional.of("cdrom"), read("/local/domain/5/device/vbd/5632/device-type"));

        vbd.reconfigureDevice(DOMAIN, cd, disk("file:" + second, "hdc:cdrom", "r"));
        assertEquals(Optional.of(second), read("/local/domain/0/backend/vbd/5/5632/params"));
        assertEquals("file:" + second, vbd.configuration(DOMAIN, cd).orElseThrow().options().get("uname"));
        assertEquals("hdc:cdrom", vbd.configuration(DOMAIN, cd).orElseThrow().options().get("dev"));
        assertEquals(OptionalInt.of(cd), vbd.findDevice(DOMAIN, "/dev/hdc"));

        int root = vbd.createDevice(DOMAIN, new DeviceConfig("vbd", "", Map.of("uname", "file:" + first,
                "dev", "hda", "mode", "w")));
        assertEquals(DeviceException.Kind.NOT_RECONFIGURABLE, assertThrows(DeviceException.class,
                () -> vbd.reconfigureDevice(DOMAIN, root, disk("file:" + second, "hda", "w"))).kind());
    }

    @Test
    void tapDisksHaveTheirBackendUnderTapAndTheirFrontendUnderVbd() throws Exception {
        BlktapController tap = new BlktapController(xs, FAST, BlockDeviceNumbers.byNameOnly());
        String image = image("tap.img");
        int devid = tap.createDevice(DOMAIN, new DeviceConfig("tap", "", Map.of("uname", "tap:aio:" + image,
                "dev", "xvda", "mode", "w")));
        assertEquals(Optional.of("/local/domain/0/backend/tap/5/51712"),
                read("/local/domain/5/device/vbd/51712/backend"));
        assertEquals(Optional.of("tap"), read("/local/domain/0/backend/tap/5/51712/type"));
        assertEquals(Optional.of("aio:" + image), read("/local/domain/0/backend/tap/5/51712/params"));
        tap.waitForDevice(DOMAIN, devid);
        assertEquals(List.of(51712), tap.deviceIds(DOMAIN));
        assertEquals(List.of(), vbd.deviceIds(DOMAIN));
    }

    @Test
    void vtpmVfbVkbdAndConsoleLayouts() {
        TpmifController vtpm = new TpmifController(xs, FAST);
        assertEquals(0, vtpm.createDevice(DOMAIN, new DeviceConfig("vtpm", "", Map.of("instance", "3"))));
        assertEquals(Optional.of("3"), read("/local/domain/0/backend/vtpm/5/0/pref_instance"));
        assertEquals(Optional.of("0"), read("/local/domain/5/device/vtpm/0/handle"));
        vtpm.waitForDevice(DOMAIN, 0);

        VfbController vfb = new VfbController(xs, FAST);
        assertEquals(0, vfb.createDevice(DOMAIN, new DeviceConfig("vfb", "", Map.of("type", "vnc",
                "vnclisten", "0.0.0.0", "ignored", "x"))));
        assertEquals(Optional.of("vnc"), read("/local/domain/0/backend/vfb/5/0/type"));
        assertTrue(read("/local/domain/0/backend/vfb/5/0/ignored").isEmpty());
        vfb.waitForDevice(DOMAIN, 0);
        vfb.reconfigureDevice(DOMAIN, 0, new DeviceConfig("vfb", "", Map.of("location", "0.0.0.0:5901")));
        assertEquals(Optional.of("0.0.0.0:5901"), read("/local/domain/0/backend/vfb/5/0/location"));
        assertEquals(DeviceException.Kind.INVALID_CONFIG, assertThrows(DeviceException.class,
                () -> vfb.createDevice(new DeviceDomain(6, VM, "x", false),
                        new DeviceConfig("vfb", "", Map.of("type", "rdp")))).kind());

        VkbdController vkbd = new VkbdController(xs, FAST);
        assertEquals(0, vkbd.createDevice(DOMAIN, new DeviceConfig("vkbd", "", Map.of())));
        vkbd.waitForDevice(DOMAIN, 0);

        try (SimDevicesFixture silent = new SimDevicesFixture(false)) {
            ConsoleController console = new ConsoleController(silent.xenstore(), FAST);
            int devid = console.createDevice(DOMAIN, new DeviceConfig("console", "",
                    Map.of("protocol", "vt100", "location", "2")));
            console.waitForDevice(DOMAIN, devid); // no hotplug step: returns although nobody answers
            console.destroyDevice(DOMAIN, devid, false);
            assertFalse(silent.xenstore().exists("/local/domain/0/backend/console/5/" + devid));
        }
    }

    @Test
    void rates() {
        assertEquals("62500,50000", NetifController.rate("10Mb/s"));
        assertEquals("20000,20000", NetifController.rate("1MB/s@20ms"));
        assertEquals("4294967295,0", NetifController.rate("fast"));
    }
}
