package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated backends answer the device handshake as blkback, blktap, netback and their scripts do. */
class SimDeviceBackendsTest {

    private static final String FRONT = "/local/domain/7/device/vbd/51712";
    private static final String BACK = "/local/domain/0/backend/vbd/7/51712";

    @TempDir
    Path dir;
    private SimXenStore store;
    private SimDeviceBackends backends;

    @BeforeEach
    void start() {
        store = new SimXenStore();
        store.activate();
        backends = new SimDeviceBackends(store);
    }

    @AfterEach
    void stop() {
        backends.close();
        store.deactivate();
    }

    /** What a toolstack writes for a new device: both ends in one transaction, state Initialising. */
    private void writeDevice(String cls, String front, String back, Map<String, String> backEntries) {
        store.inTransaction(t -> {
            t.write(front + "/backend", back);
            t.write(front + "/backend-id", "0");
            t.write(front + "/state", "1");
            backEntries.forEach((k, v) -> t.write(back + "/" + k, v));
            t.write(back + "/frontend", front);
            t.write(back + "/frontend-id", "7");
            t.write(back + "/domain", "guest");
            t.write(back + "/online", "1");
            t.write(back + "/state", "1");
            return null;
        });
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(2);
        }
    }

    private boolean is(String path, String value) {
        return store.read(path).equals(Optional.of(value));
    }

    @Test
    void anExistingFileIsConnectedAndBothEndsReachConnected() throws Exception {
        Path image = Files.writeString(dir.resolve("disk.img"), "x");
        writeDevice("vbd", FRONT, BACK, Map.of("type", "file", "params", image.toString(), "mode", "w",
                "dev", "xvda"));

        await(() -> is(BACK + "/state", "4") && is(FRONT + "/state", "4"), "both ends are Connected");
        assertEquals(Optional.of("connected"), store.read(BACK + "/hotplug-status"));
        assertTrue(store.read(BACK + "/hotplug-error").isEmpty());
    }

    @Test
    void aMissingFileIsAHotplugErrorWithTheScriptsText() throws Exception {
        String missing = dir.resolve("no-such.img").toString();
        writeDevice("vbd", FRONT, BACK, Map.of("type", "file", "params", missing, "mode", "w", "dev", "xvda"));

        await(() -> store.read(BACK + "/hotplug-status").isPresent(), "the script answered");
        assertEquals(Optional.of("error"), store.read(BACK + "/hotplug-status"));
        assertEquals(Optional.of(missing + " does not exist."), store.read(BACK + "/hotplug-error"));
        assertEquals(Optional.of("1"), store.read(FRONT + "/state"), "the frontend never connects");
    }

    @Test
    void aMissingPhysicalDeviceIsAHotplugError() throws Exception {
        writeDevice("vbd", FRONT, BACK, Map.of("type", "phy", "params", "vg-none/no-such-lv", "mode", "w",
                "dev", "xvda"));

        await(() -> store.read(BACK + "/hotplug-status").isPresent(), "the script answered");
        assertEquals(Optional.of("error"), store.read(BACK + "/hotplug-status"));
        assertEquals(Optional.of("Backend device does not exist"), store.read(BACK + "/hotplug-error"));
    }

    @Test
    void anExistingPhysicalDeviceIsConnectedWithItsDeviceNumber() throws Exception {
        writeDevice("vbd", FRONT, BACK, Map.of("type", "phy", "params", "/dev/null", "mode", "w", "dev", "xvda"));

        await(() -> is(BACK + "/state", "4"), "the backend is Connected");
        assertEquals(Optional.of("1:3"), store.read(BACK + "/physical-device"), "/dev/null is 1:3");
    }

    @Test
    void aMissingTapImageIsBusy() throws Exception {
        String back = "/local/domain/0/backend/tap/7/51712";
        String missing = dir.resolve("gone.img").toString();
        writeDevice("tap", FRONT, back, Map.of("type", "tap", "params", "aio:" + missing, "mode", "w",
                "dev", "xvda"));

        await(() -> store.read(back + "/hotplug-status").isPresent(), "the script answered");
        assertEquals(Optional.of("busy"), store.read(back + "/hotplug-status"));
        assertEquals(Optional.of("aio:" + missing + " does not exist."), store.read(back + "/hotplug-error"));
    }

    @Test
    void aNetworkDeviceIsConnected() throws Exception {
        String front = "/local/domain/7/device/vif/0";
        String back = "/local/domain/0/backend/vif/7/0";
        writeDevice("vif", front, back, Map.of("mac", "00:16:3e:00:00:01", "handle", "0",
                "script", "/etc/xen/scripts/vif-bridge"));

        await(() -> is(back + "/state", "4") && is(front + "/state", "4"), "both ends are Connected");
        assertEquals(Optional.of("connected"), store.read(back + "/hotplug-status"));
    }

    @Test
    void aDeviceTakenOfflineIsClosedOnBothEndsAndLeftForTheToolstackToRemove() throws Exception {
        Path image = Files.writeString(dir.resolve("disk.img"), "x");
        writeDevice("vbd", FRONT, BACK, Map.of("type", "file", "params", image.toString(), "mode", "r",
                "dev", "xvda"));
        await(() -> is(BACK + "/state", "4"), "the backend is Connected");

        store.inTransaction(t -> {
            t.write(BACK + "/online", "0");
            t.write(BACK + "/state", "5");
            return null;
        });
        await(() -> is(BACK + "/state", "6") && is(FRONT + "/state", "6"), "both ends are Closed");

        store.remove(BACK);
        store.remove(FRONT);
        Thread.sleep(50);
        assertFalse(store.exists(BACK), "a removed backend stays removed");
    }

    @Test
    void devicesWrittenBeforeTheBackendsStartAreAnsweredWhenTheyDo() throws Exception {
        backends.close();
        Path image = Files.writeString(dir.resolve("disk.img"), "x");
        writeDevice("vbd", FRONT, BACK, Map.of("type", "file", "params", image.toString(), "mode", "r",
                "dev", "xvda"));
        Thread.sleep(50);
        assertTrue(store.read(BACK + "/hotplug-status").isEmpty(), "nobody answers while stopped");

        backends.start();
        await(() -> is(BACK + "/state", "4"), "the backend is Connected");
    }
}
