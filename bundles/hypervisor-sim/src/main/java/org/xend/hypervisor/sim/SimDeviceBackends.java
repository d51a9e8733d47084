package org.xend.hypervisor.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;

/**
 * Domain 0's backend drivers and hotplug scripts in the simulated xenstore: a watch on
 * {@code /local/domain/0/backend} answers every new device the way blkback, blktap, netback and their scripts do,
 * and closes devices the toolstack takes offline.
 * <ul>
 * <li>A new device (state Initialising, online): the hotplug step runs. A {@code file:} disk whose file does not
 * exist, or a {@code phy:} disk whose device does not, gets {@code hotplug-status=error} and the script's
 * {@code hotplug-error} text; a {@code tap:} image that does not exist, or a read-only file to be mounted
 * read-write, gets {@code busy}. Otherwise {@code hotplug-status=connected} and the backend goes to InitWait; then
 * the guest's frontend and the backend both go to Connected. A disk with no media is connected as an empty drive.</li>
 * <li>A device taken offline ({@code online=0}) or Closing: both ends go to Closed. Removing the entries is the
 * toolstack's business.</li>
 * </ul>
 * Everything runs on the xenstore's watch thread, in transactions that give up if the device disappeared meanwhile.
 */
@Component(immediate = true)
public final class SimDeviceBackends implements AutoCloseable {

    static final String ROOT = "/local/domain/0/backend";
    private static final Logger LOG = LoggerFactory.getLogger(SimDeviceBackends.class);

    private final XenStore xenstore;
    private XsWatch watch;

    /** A backend outcome: the hotplug-status, the hotplug-error text and the physical-device entry. */
    private record Hotplug(String status, String error, String physicalDevice) {
        static Hotplug connected(String physicalDevice) {
            return new Hotplug("connected", null, physicalDevice);
        }
    }

    @Activate
    public SimDeviceBackends(@Reference(target = "(type=" + SimHypervisor.TYPE + ")") XenStore xenstore) {
        this.xenstore = xenstore;
        start();
    }

    /** Starts answering; the watch fires at once, so devices written before are answered too. */
    synchronized void start() {
        if (watch == null) {
            watch = xenstore.watch(ROOT, "sim-device-backends", (path, token) -> fired(path));
        }
    }

    @Deactivate
    @Override
    public synchronized void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void fired(String path) {
        if (!path.startsWith(ROOT)) {
            return;
        }
        String[] rest = path.length() == ROOT.length() ? new String[0] : path.substring(ROOT.length() + 1).split("/");
        if (rest.length >= 3) {
            answer(ROOT + "/" + rest[0] + "/" + rest[1] + "/" + rest[2], rest[0]);
        } else if (rest.length == 0) {
            for (String cls : children(ROOT)) {
                for (String domid : children(ROOT + "/" + cls)) {
                    for (String devid : children(ROOT + "/" + cls + "/" + domid)) {
                        answer(ROOT + "/" + cls + "/" + domid + "/" + devid, cls);
                    }
                }
            }
        }
    }

    /** Looks at one device; only what needs doing opens a transaction. */
    private void answer(String back, String deviceClass) {
        Optional<String> state = xenstore.read(back + "/state");
        if (state.isEmpty() || xenstore.read(back + "/frontend").isEmpty()) {
            return;
        }
        boolean online = "1".equals(xenstore.read(back + "/online").orElse("0"));
        if (online && "1".equals(state.get()) && xenstore.read(back + "/hotplug-status").isEmpty()) {
            Hotplug outcome = hotplug(back, deviceClass);
            boolean ready = xenstore.inTransaction(t -> applyHotplug(t, back, outcome));
            if (ready) {
                xenstore.inTransaction(t -> connectFrontend(t, back));
            }
        } else if ((!online || "5".equals(state.get())) && !"6".equals(state.get())) {
            xenstore.inTransaction(t -> close(t, back));
        }
    }

    private static boolean applyHotplug(XsTransaction t, String back, Hotplug outcome) {
        Optional<String> frontend = t.read(back + "/frontend");
        if (frontend.isEmpty() || !"1".equals(t.read(back + "/state").orElse(""))
                || t.read(back + "/hotplug-status").isPresent()) {
            return false; // gone, or answered meanwhile
        }
        if (outcome.error() != null) {
            t.write(back + "/hotplug-error", outcome.error());
        }
        if (outcome.physicalDevice() != null) {
            t.write(back + "/physical-device", outcome.physicalDevice());
        }
        t.write(back + "/hotplug-status", outcome.status());
        if (!"connected".equals(outcome.status())) {
            return false;
        }
        t.write(back + "/state", "2"); // InitWait: the backend waits for its frontend
        return true;
    }

    /** The guest's frontend driver connects, and so does the backend. */
    private static Void connectFrontend(XsTransaction t, String back) {
        Optional<String> frontend = t.read(back + "/frontend");
        if (frontend.isEmpty() || !"2".equals(t.read(back + "/state").orElse(""))
                || t.read(frontend.get() + "/state").isEmpty()) {
            return null;
        }
        t.write(frontend.get() + "/state", "4");
        t.write(back + "/state", "4");
        return null;
    }

    private static Void close(XsTransaction t, String back) {
        Optional<String> state = t.read(back + "/state");
        if (state.isEmpty() || "6".equals(state.get())) {
            return null;
        }
        t.write(back + "/state", "6");
        Optional<String> frontend = t.read(back + "/frontend");
        if (frontend.isPresent() && t.read(frontend.get() + "/state").isPresent()) {
            t.write(frontend.get() + "/state", "6");
        }
        return null;
    }

    /** What the hotplug script of the class says of the device. */
    private Hotplug hotplug(String back, String deviceClass) {
        String type = xenstore.read(back + "/type").orElse("");
        String params = xenstore.read(back + "/params").orElse("");
        if ("tap".equals(deviceClass)) {
            String file = params.contains(":") ? params.substring(params.indexOf(':') + 1) : params;
            return exists(file) ? Hotplug.connected(null)
                    : new Hotplug("busy", params + " does not exist.", null);
        }
        if (!"vbd".equals(deviceClass)) {
            return Hotplug.connected(null);
        }
        switch (type) {
            case "file" -> {
                if (!exists(params)) {
                    return new Hotplug("error", params + " does not exist.", null);
                }
                String mode = xenstore.read(back + "/mode").orElse("r");
                if (mode.startsWith("w") && !Files.isWritable(Path.of(params))) {
                    return new Hotplug("busy", "File " + params + " is read-only, and so I will not mount it "
                            + "read-write in a guest domain.", null);
                }
                return Hotplug.connected(null);
            }
            case "phy" -> {
                String dev = params.startsWith("/") ? params : "/dev/" + params;
                if (!exists(dev)) {
                    return new Hotplug("error", "Backend device does not exist", null);
                }
                return Hotplug.connected(majorMinor(Path.of(dev)));
            }
            default -> {
                return Hotplug.connected(null); // an empty drive, or a type whose script the simulator lacks
            }
        }
    }

    private static boolean exists(String file) {
        try {
            return !file.isEmpty() && Files.exists(Path.of(file));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** {@code major:minor} in hex, as block-common.sh writes physical-device. */
    private static String majorMinor(Path dev) {
        try {
            Object rdev = Files.getAttribute(dev, "unix:rdev");
            if (rdev instanceof Long r && r > 0) {
                // glibc's split of a dev_t
                long major = ((r & 0xfff00L) >>> 8) | ((r & 0xfffff00000000000L) >>> 32);
                long minor = (r & 0xffL) | ((r & 0xffffff00000L) >>> 12);
                return Long.toHexString(major) + ":" + Long.toHexString(minor);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.debug("no device number for {}: {}", dev, e.toString());
        }
        return null;
    }

    private List<String> children(String path) {
        try {
            return xenstore.directory(path);
        } catch (XenStoreException e) {
            return List.of();
        }
    }
}
