package org.xend.devices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.device.DeviceException;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;

/**
 * What every device class shares, as Xend's DevController: both sides written in one transaction (retried on a
 * conflict) with the references between them and XenbusState Initialising, an existing devid refused, devids
 * allocated from {@code device-misc/<class>/nextDeviceID} when the class does not derive them, the wait for
 * {@code hotplug-status} woken by a watch, and destruction ({@code online=0}, {@code state=5}, then the entries
 * removed once the backend has closed, or at once when forced). Backends live in domain 0.
 */
abstract class DevController implements DeviceController {

    private static final Logger LOG = LoggerFactory.getLogger(DevController.class);
    static final String HOTPLUG_STATUS = "hotplug-status";
    static final String HOTPLUG_ERROR = "hotplug-error";
    static final int BACKEND_DOMID = 0;

    /** What a configuration becomes: the devid (empty: allocate one), both sides' entries and /vm entries. */
    record Details(OptionalInt devid, Map<String, String> back, Map<String, String> front,
                   Map<String, String> vmEntries) {
        Details {
            back = new LinkedHashMap<>(back);
            front = new LinkedHashMap<>(front);
            vmEntries = new LinkedHashMap<>(vmEntries);
        }
    }

    private final String deviceClass;
    protected final XenStore xenstore;
    protected final DeviceSettings settings;

    DevController(String deviceClass, XenStore xenstore, DeviceSettings settings) {
        this.deviceClass = deviceClass;
        this.xenstore = xenstore;
        this.settings = settings;
    }

    /** The entries of {@code from} that {@code keys} names, in the order of {@code keys}. */
    static Map<String, String> entries(Map<String, String> from, List<String> keys) {
        Map<String, String> picked = new LinkedHashMap<>();
        for (String key : keys) {
            if (from.containsKey(key)) {
                picked.put(key, from.get(key));
            }
        }
        return picked;
    }

    @Override
    public final String deviceClass() {
        return deviceClass;
    }

    // ---- what a class defines ----

    /** The devid, entries and /vm entries of a device; INVALID_CONFIG when the configuration cannot be one. */
    abstract Details details(DeviceDomain domain, DeviceConfig device);

    /** The options of a connected device, from its backend, frontend and /vm entries (uuid aside). */
    abstract Map<String, String> options(Map<String, String> back, Map<String, String> front,
                                         Map<String, String> vmEntries);

    /** Adds what depends on an allocated devid to the device's entries (a vif's handle). */
    void allocated(int devid, Map<String, String> back, Map<String, String> front) {
    }

    /** Whether the class has hotplug scripts to wait for (the console has none; an HVM guest's vfb neither). */
    boolean hotplug(DeviceDomain domain) {
        return true;
    }

    /** The class of the frontend directory; blktap's devices appear to the guest as vbds. */
    String frontendClass() {
        return deviceClass;
    }

    /** A device as messages name it; vbds add their name. */
    String label(int devid, Map<String, String> back) {
        return devid + " (" + deviceClass + ")";
    }

    /** Whether {@code name} names the device with these backend entries (besides its devid and uuid). */
    boolean isNamed(String name, Map<String, String> back) {
        return false;
    }

    @Override
    public OptionalInt devidOf(DeviceConfig device) {
        return OptionalInt.empty();
    }

    @Override
    public void reconfigureDevice(DeviceDomain domain, int devid, DeviceConfig device) {
        throw new DeviceException(DeviceException.Kind.NOT_RECONFIGURABLE,
                deviceClass + " devices may not be reconfigured");
    }

    // ---- paths ----

    String frontendPath(DeviceDomain domain, int devid) {
        return "/local/domain/" + domain.domid() + "/device/" + frontendClass() + "/" + devid;
    }

    String backendRoot(DeviceDomain domain) {
        return "/local/domain/" + BACKEND_DOMID + "/backend/" + deviceClass + "/" + domain.domid();
    }

    String backendPath(DeviceDomain domain, int devid) {
        return backendRoot(domain) + "/" + devid;
    }

    String vmDevicePath(DeviceDomain domain, int devid) {
        return "/vm/" + domain.vmUuid() + "/device/" + deviceClass + "/" + devid;
    }

    // ---- creation ----

    @Override
    public int createDevice(DeviceDomain domain, DeviceConfig device) {
        if (!deviceClass.equals(device.deviceClass())) {
            throw new DeviceException(DeviceException.Kind.INVALID_CONFIG, "a " + device.deviceClass()
                    + " device given to the " + deviceClass + " controller");
        }
        Details d = details(domain, device);
        if (device.uuid() != null && !device.uuid().isEmpty()) {
            d.back().put("uuid", device.uuid());
        }
        int devid = xenstore.inTransaction(t -> {
            int id = d.devid().isPresent() ? d.devid().getAsInt() : allocateDevid(t, domain);
            String front = frontendPath(domain, id);
            String back = backendPath(domain, id);
            if (t.exists(back) || t.exists(front)) {
                throw new DeviceException(DeviceException.Kind.ALREADY_CONNECTED,
                        "Device " + label(id, d.back()) + " is already connected.");
            }
            Map<String, String> frontEntries = new LinkedHashMap<>(d.front());
            Map<String, String> backEntries = new LinkedHashMap<>(d.back());
            allocated(id, backEntries, frontEntries);
            frontEntries.put("backend", back);
            frontEntries.put("backend-id", Integer.toString(BACKEND_DOMID));
            frontEntries.put("state", XenbusState.INITIALISING);
            backEntries.put("domain", domain.name());
            backEntries.put("frontend", front);
            backEntries.put("frontend-id", Integer.toString(domain.domid()));
            backEntries.put("state", XenbusState.INITIALISING);
            backEntries.put("online", "1");
            writeAll(t, front, frontEntries);
            writeAll(t, back, backEntries);
            writeAll(t, vmDevicePath(domain, id), d.vmEntries());
            return id;
        });
        LOG.debug("{} device {} of domain {} written", deviceClass, devid, domain.domid());
        return devid;
    }

    private int allocateDevid(XsTransaction t, DeviceDomain domain) {
        String counter = "/local/domain/" + domain.domid() + "/device-misc/" + deviceClass + "/nextDeviceID";
        int next = t.read(counter).filter(v -> v.matches("\\d{1,9}")).map(Integer::parseInt).orElse(0);
        t.write(counter, Integer.toString(next + 1));
        return next;
    }

    private static void writeAll(XsTransaction t, String dir, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        t.mkdir(dir);
        entries.forEach((k, v) -> t.write(dir + "/" + k, v == null ? "" : v));
    }

    // ---- the hotplug wait ----

    @Override
    public void waitForDevice(DeviceDomain domain, int devid) {
        if (!hotplug(domain)) {
            return;
        }
        String front = frontendPath(domain, devid);
        Optional<String> back = xenstore.read(front + "/backend");
        if (back.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED,
                    "Device " + devid + " (" + deviceClass + ") could not be connected. Device not found.");
        }
        String backPath = back.get();
        String label = label(devid, entries(backPath));
        Optional<String> status = awaitValue(backPath + "/" + HOTPLUG_STATUS, backPath,
                value -> !value.isEmpty(), settings.hotplugTimeout().toMillis());
        if (status == null) {
            destroyQuietly(domain, devid);
            throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED, "Device " + label
                    + " could not be connected. Hotplug scripts not working.");
        }
        if (status.isEmpty()) {
            throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED, "Device " + label
                    + " could not be connected. Device not found.");
        }
        String error = xenstore.read(backPath + "/" + HOTPLUG_ERROR).orElse(null);
        switch (status.get()) {
            case "error" -> {
                destroyQuietly(domain, devid);
                throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED, "Device " + label
                        + " could not be connected. " + (error == null ? "Backend device not found." : error));
            }
            case "busy" -> {
                destroyQuietly(domain, devid);
                throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED, "Device " + label
                        + " could not be connected. " + (error == null ? "Busy." : error));
            }
            default -> LOG.debug("{} device {} of domain {} connected", deviceClass, devid, domain.domid());
        }
    }

    /**
     * Waits until {@code path} holds a value {@code done} accepts, woken by a watch on it.
     *
     * @return the value; empty when {@code owner} (the device's directory) disappeared; null on timeout
     */
    private Optional<String> awaitValue(String path, String owner, Predicate<String> done, long timeoutMillis) {
        CompletableFuture<Optional<String>> result = new CompletableFuture<>();
        XsWatch watch = xenstore.watch(path, "xend-device:" + path, (changed, token) -> {
            Optional<String> value = xenstore.read(path);
            if (value.isPresent() && done.test(value.get())) {
                result.complete(value);
            } else if (!xenstore.exists(owner)) {
                result.complete(Optional.empty());
            }
        });
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(DeviceException.Kind.HOTPLUG_FAILED, "interrupted while waiting for " + path);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            watch.close();
        }
    }

    // ---- destruction ----

    @Override
    public void destroyDevice(DeviceDomain domain, int devid, boolean force) {
        String front = frontendPath(domain, devid);
        String back = xenstore.read(front + "/backend").orElse(backendPath(domain, devid));
        if (!xenstore.exists(front) && !xenstore.exists(back)) {
            throw new DeviceException(DeviceException.Kind.NOT_FOUND,
                    "Device " + devid + " (" + deviceClass + ") not connected");
        }
        String label = label(devid, entries(back));
        // online before state: backends watch state, and must see online=0 when it changes
        boolean backendThere = xenstore.inTransaction(t -> {
            if (!t.exists(back)) {
                return false;
            }
            t.write(back + "/online", "0");
            t.write(back + "/state", XenbusState.CLOSING);
            return true;
        });
        if (backendThere && !force) {
            Optional<String> state = awaitValue(back + "/state", back, XenbusState.CLOSED::equals,
                    settings.closeTimeout().toMillis());
            if (state == null) {
                throw new DeviceException(DeviceException.Kind.DETACH_FAILED, "Device " + label
                        + " was not closed by its backend within " + settings.closeTimeout().toSeconds()
                        + " s; destroy it with force to remove it anyway");
            }
        }
        xenstore.inTransaction(t -> {
            t.remove(back);
            t.remove(front);
            t.remove(vmDevicePath(domain, devid));
            return null;
        });
        LOG.debug("{} device {} of domain {} destroyed{}", deviceClass, devid, domain.domid(),
                force ? " (forced)" : "");
    }

    /** After a failed hotplug: nothing of the device may stay behind, whatever its backend does. */
    private void destroyQuietly(DeviceDomain domain, int devid) {
        try {
            destroyDevice(domain, devid, true);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the failed {} device {} of domain {}: {}", deviceClass, devid,
                    domain.domid(), e.getMessage());
        }
    }

    // ---- reading back ----

    @Override
    public List<Integer> deviceIds(DeviceDomain domain) {
        List<Integer> out = new ArrayList<>();
        for (String name : children(backendRoot(domain))) {
            if (name.matches("\\d{1,9}")) {
                out.add(Integer.parseInt(name));
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public OptionalInt findDevice(DeviceDomain domain, String name) {
        if (name == null || name.isEmpty()) {
            return OptionalInt.empty();
        }
        List<Integer> ids = deviceIds(domain);
        if (name.matches("\\d{1,9}") && ids.contains(Integer.parseInt(name))) {
            return OptionalInt.of(Integer.parseInt(name));
        }
        for (int devid : ids) {
            Map<String, String> back = entries(backendPath(domain, devid));
            if (name.equals(back.get("uuid")) || isNamed(name, back)) {
                return OptionalInt.of(devid);
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public Optional<DeviceConfig> configuration(DeviceDomain domain, int devid) {
        String front = frontendPath(domain, devid);
        String back = xenstore.read(front + "/backend").orElse(backendPath(domain, devid));
        Map<String, String> backEntries = entries(back);
        if (backEntries.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> options = options(backEntries, entries(front), entries(vmDevicePath(domain, devid)));
        return Optional.of(new DeviceConfig(deviceClass, backEntries.getOrDefault("uuid", ""), options));
    }

    @Override
    public Map<String, String> frontendDetails(DeviceDomain domain, int devid) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(frontendPath(domain, devid), "", out);
        return out;
    }

    private void collect(String path, String prefix, Map<String, String> out) {
        for (String child : children(path)) {
            String childPath = path + "/" + child;
            xenstore.read(childPath).filter(v -> !v.isEmpty()).ifPresent(v -> out.put(prefix + child, v));
            collect(childPath, prefix + child + "/", out);
        }
    }

    /** The values of a directory's children; empty when it does not exist. */
    Map<String, String> entries(String dir) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String child : children(dir)) {
            xenstore.read(dir + "/" + child).ifPresent(v -> out.put(child, v));
        }
        return out;
    }

    private List<String> children(String dir) {
        try {
            return xenstore.directory(dir);
        } catch (XenStoreException e) {
            return List.of();
        }
    }
}
