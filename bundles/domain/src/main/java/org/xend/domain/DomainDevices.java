package org.xend.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DeviceView;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.device.DeviceController;
import org.xend.api.spi.device.DeviceDomain;
import org.xend.api.spi.device.DeviceException;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * The devices of VMs' domains, through the device controllers: created and waited for when a domain is built, their
 * backend entries removed when it goes, and the device calls (attach, detach, reconfigure, list, plug, unplug). A
 * device added or removed stays in step with the VM's configuration and its VBD and VIF objects; on a VM without a
 * domain only the configuration changes, as in Xend. Device calls on one VM are serialised.
 */
final class DomainDevices {

    private static final Logger LOG = LoggerFactory.getLogger(DomainDevices.class);
    static final String BACKEND_ROOT = "/local/domain/0/backend";

    /** A device of a running domain: its class and devid. */
    record Attached(String deviceClass, int devid) {
    }

    /** What the device calls need of XendDomain. */
    interface Vms {
        /** The VM's daemon-side state, or HANDLE_INVALID. */
        XendDomain.Dom dom(String vm);

        /** Writes a managed VM's configuration now. */
        void save(String vm);

        /** Runs {@code body} with the VM claimed, as a lifecycle operation claims it (OTHER_OPERATION_IN_PROGRESS). */
        <T> T exclusively(String vm, Supplier<T> body);
    }

    private final ObjectStore store;
    private final XenStore xenstore;
    private final DeviceControllers controllers;
    private final Devices devices;
    private final Vms vms;

    DomainDevices(ObjectStore store, XenStore xenstore, DeviceControllers controllers, Devices devices, Vms vms) {
        this.store = store;
        this.xenstore = xenstore;
        this.controllers = controllers;
        this.devices = devices;
        this.vms = vms;
    }

    static DeviceDomain deviceDomain(ApiObject vm) {
        return new DeviceDomain((int) vm.longValue("domid"), vm.ref(), vm.string("name_label"),
                !vm.string("HVM_boot_policy").isEmpty());
    }

    // ---- domains built and gone ----

    /**
     * Creates every configured device of a new domain whose class has a controller (Xend left the others out too),
     * then waits for them all, so the backends work in parallel. Throws naming the first device that failed; the
     * caller destroys the domain, which removes whatever was written.
     */
    void attachConfigured(XendDomain.Dom d, ApiObject vm, int domid) {
        DeviceDomain domain = new DeviceDomain(domid, vm.ref(), vm.string("name_label"),
                !vm.string("HVM_boot_policy").isEmpty());
        List<Attaching> created = new ArrayList<>();
        for (DeviceConfig device : d.devices) {
            Optional<DeviceController> controller = controllers.get(device.deviceClass());
            if (controller.isEmpty()) {
                LOG.warn("VM {}: no device controller for class {} is installed; its device {} is left out", vm.ref(),
                        device.deviceClass(), device.uuid());
                continue;
            }
            int devid = translated(device.deviceClass(), () -> controller.get().createDevice(domain, device));
            created.add(new Attaching(controller.get(), device, devid));
        }
        for (Attaching a : created) {
            translated(a.device().deviceClass(), () -> {
                a.controller().waitForDevice(domain, a.devid());
                return null;
            });
        }
        for (Attaching a : created) {
            markAttached(d, vm.ref(), a.device(), a.devid());
        }
    }

    private record Attaching(DeviceController controller, DeviceConfig device, int devid) {
    }

    /** A re-adopted domain: its devices that the xenstore still shows are attached. */
    void readopt(XendDomain.Dom d, ApiObject vm) {
        DeviceDomain domain = deviceDomain(vm);
        for (DeviceController controller : controllers.all()) {
            for (int devid : controller.deviceIds(domain)) {
                controller.configuration(domain, devid)
                        .map(found -> Devices.find(d.devices, found.uuid()))
                        .ifPresent(device -> markAttached(d, vm.ref(), device, devid));
            }
        }
    }

    /**
     * The domain is gone: no backend driver is left to close its devices, so their backend entries go with it, and
     * its devices are detached.
     */
    void domainGone(XendDomain.Dom d, int domid) {
        try {
            List<String> classes = xenstore.exists(BACKEND_ROOT) ? xenstore.directory(BACKEND_ROOT) : List.of();
            List<String> present = new ArrayList<>();
            for (String cls : classes) {
                String path = BACKEND_ROOT + "/" + cls + "/" + domid;
                if (xenstore.exists(path)) {
                    present.add(path);
                }
            }
            if (!present.isEmpty()) {
                xenstore.inTransaction(t -> {
                    present.forEach(t::remove);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not remove the backend entries of domain {}: {}", domid, e.getMessage());
        }
        if (d != null) {
            for (String uuid : List.copyOf(d.attachedDevices.keySet())) {
                markDetached(d, uuid);
            }
        }
    }

    private void markAttached(XendDomain.Dom d, String vm, DeviceConfig device, int devid) {
        if (device.uuid() == null || device.uuid().isEmpty()) {
            return;
        }
        d.attachedDevices.put(device.uuid(), new Attached(device.deviceClass(), devid));
        setCurrentlyAttached(device, true);
    }

    private void markDetached(XendDomain.Dom d, String uuid) {
        d.attachedDevices.remove(uuid);
        DeviceConfig device = Devices.find(d.devices, uuid);
        if (device != null) {
            setCurrentlyAttached(device, false);
        }
    }

    private void setCurrentlyAttached(DeviceConfig device, boolean attached) {
        String cls = objectClass(device);
        if (cls == null || store.get(cls, device.uuid()).isEmpty()) {
            return;
        }
        store.update(cls, device.uuid(), f -> {
            f.put("currently_attached", attached);
            return f;
        });
    }

    private static String objectClass(DeviceConfig device) {
        return Devices.isDisk(device) ? Devices.VBD : Devices.isNic(device) ? Devices.VIF : null;
    }

    // ---- the device calls ----

    /** xm block-attach / network-attach: see {@link org.xend.api.domain.DomainService#createDevice}. */
    int create(String vm, DeviceConfig requested) {
        XendDomain.Dom d = vms.dom(vm);
        DeviceController controller = controllers.require(requested.deviceClass());
        return deviceCall(d, vm, () -> {
                DeviceConfig device = withUuid(Devices.completed(List.of(requested)).get(0));
                if (Devices.find(d.devices, device.uuid()) != null) {
                    throw new XenApiException("DEVICE_ALREADY_EXISTS", device.uuid());
                }
                ApiObject rec = store.require(XendDomain.VM, vm);
                int id;
                if (hasDomain(rec)) {
                    DeviceDomain domain = deviceDomain(rec);
                    int devid = translated(controller.deviceClass(), () -> controller.createDevice(domain, device));
                    translated(controller.deviceClass(), () -> {
                        controller.waitForDevice(domain, devid);
                        return null;
                    });
                    id = devid;
                } else {
                    checkConfigurable(rec);
                    OptionalInt wanted = controller.devidOf(device);
                    for (DeviceConfig other : d.devices) {
                        if (wanted.isPresent() && controllers.get(other.deviceClass())
                                .map(c -> c.devidOf(other)).filter(o -> o.equals(wanted)).isPresent()) {
                            throw new XenApiException("DEVICE_ALREADY_EXISTS", device.options().getOrDefault("dev",
                                    Integer.toString(wanted.getAsInt())));
                        }
                    }
                    id = ofClass(d.devices, device.deviceClass()).size();
                }
                addToConfiguration(d, vm, device);
                if (hasDomain(rec)) {
                    markAttached(d, vm, device, id);
                }
                return id;
        });
    }

    /** xend.domain.device_configure: a connected device through its controller, else the configuration only. */
    void configure(String vm, DeviceConfig requested, String deviceName) {
        XendDomain.Dom d = vms.dom(vm);
        DeviceController controller = controllers.require(requested.deviceClass());
        deviceCall(d, vm, () -> {
                ApiObject rec = store.require(XendDomain.VM, vm);
                DeviceConfig current;
                if (hasDomain(rec)) {
                    DeviceDomain domain = deviceDomain(rec);
                    int devid = deviceName != null ? connected(controller, domain, deviceName)
                            : controller.devidOf(requested).orElseThrow(() -> new XenApiException(
                                    ErrorCodes.VALUE_NOT_SUPPORTED, "device", requested.deviceClass(),
                                    "name the device to reconfigure"));
                    translated(controller.deviceClass(), () -> {
                        controller.reconfigureDevice(domain, devid, requested);
                        return null;
                    });
                    current = controller.configuration(domain, devid)
                            .map(found -> Devices.find(d.devices, found.uuid())).orElse(null);
                } else {
                    checkConfigurable(rec);
                    current = deviceName != null ? configured(d, requested.deviceClass(), deviceName)
                            : configured(d, requested.deviceClass(), devName(requested));
                }
                if (current != null) {
                    Map<String, String> options = new LinkedHashMap<>(current.options());
                    options.putAll(requested.options());
                    d.devices = Devices.replace(d.devices, current.uuid(),
                            new DeviceConfig(current.deviceClass(), current.uuid(), options));
                    saveIfManaged(d, vm);
                }
            return null;
        });
    }

    /** xm block-detach / network-detach. */
    void destroy(String vm, String deviceClass, String deviceName, boolean force) {
        XendDomain.Dom d = vms.dom(vm);
        DeviceController controller = controllers.require(deviceClass);
        deviceCall(d, vm, () -> {
                ApiObject rec = store.require(XendDomain.VM, vm);
                DeviceConfig configured;
                if (hasDomain(rec)) {
                    DeviceDomain domain = deviceDomain(rec);
                    int devid = connected(controller, domain, deviceName);
                    configured = controller.configuration(domain, devid)
                            .map(found -> Devices.find(d.devices, found.uuid())).orElse(null);
                    translated(controller.deviceClass(), () -> {
                        controller.destroyDevice(domain, devid, force);
                        return null;
                    });
                    if (configured != null) {
                        d.attachedDevices.remove(configured.uuid());
                    }
                } else {
                    checkConfigurable(rec);
                    configured = configured(d, deviceClass, deviceName);
                    if (configured == null) {
                        throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "device", deviceName,
                                "the VM has no " + deviceClass + " device " + deviceName);
                    }
                }
                if (configured != null) {
                    removeFromConfiguration(d, vm, configured);
                }
            return null;
        });
    }

    /** xm block-list / network-list. */
    List<DeviceView> list(String vm, String deviceClass) {
        XendDomain.Dom d = vms.dom(vm);
        DeviceController controller = controllers.require(deviceClass);
        ApiObject rec = store.require(XendDomain.VM, vm);
        List<DeviceView> out = new ArrayList<>();
        if (hasDomain(rec)) {
            DeviceDomain domain = deviceDomain(rec);
            for (int devid : controller.deviceIds(domain)) {
                DeviceConfig config = controller.configuration(domain, devid)
                        .orElse(new DeviceConfig(deviceClass, "", Map.of()));
                out.add(new DeviceView(devid, config, controller.frontendDetails(domain, devid)));
            }
            return out;
        }
        List<DeviceConfig> ofClass = ofClass(d.devices, deviceClass);
        for (int i = 0; i < ofClass.size(); i++) {
            out.add(new DeviceView(i, ofClass.get(i), Map.of()));
        }
        return out;
    }

    /** xend.domain.waitForDevices: every device of every class with a controller. */
    void waitForAll(String vm) {
        vms.dom(vm);
        ApiObject rec = store.require(XendDomain.VM, vm);
        if (!hasDomain(rec)) {
            return;
        }
        DeviceDomain domain = deviceDomain(rec);
        for (DeviceController controller : controllers.all()) {
            for (int devid : controller.deviceIds(domain)) {
                translated(controller.deviceClass(), () -> {
                    controller.waitForDevice(domain, devid);
                    return null;
                });
            }
        }
    }

    // ---- VBD.plug / unplug, VIF.plug / unplug ----

    void plug(String objectClass, String ref) {
        ApiObject object = store.require(objectClass, ref);
        String vm = object.string("VM");
        XendDomain.Dom d = vms.dom(vm);
        deviceCall(d, vm, () -> {
                ApiObject rec = store.require(XendDomain.VM, vm);
                requireDomain(rec);
                if (d.attachedDevices.containsKey(ref)) {
                    throw new XenApiException("DEVICE_ALREADY_ATTACHED", ref);
                }
                DeviceConfig device = Devices.find(d.devices, ref);
                if (device == null) {
                    throw new XenApiException(ErrorCodes.HANDLE_INVALID, objectClass, ref);
                }
                DeviceController controller = controllers.require(device.deviceClass());
                DeviceDomain domain = deviceDomain(rec);
                int devid = translated(controller.deviceClass(), () -> controller.createDevice(domain, device));
                translated(controller.deviceClass(), () -> {
                    controller.waitForDevice(domain, devid);
                    return null;
                });
                markAttached(d, vm, device, devid);
            return null;
        });
    }

    void unplug(String objectClass, String ref) {
        ApiObject object = store.require(objectClass, ref);
        String vm = object.string("VM");
        XendDomain.Dom d = vms.dom(vm);
        deviceCall(d, vm, () -> {
                ApiObject rec = store.require(XendDomain.VM, vm);
                requireDomain(rec);
                Attached attached = d.attachedDevices.get(ref);
                if (attached == null) {
                    throw new XenApiException("DEVICE_ALREADY_DETACHED", ref);
                }
                DeviceController controller = controllers.require(attached.deviceClass());
                try {
                    controller.destroyDevice(deviceDomain(rec), attached.devid(), false);
                } catch (DeviceException e) {
                    if (e.kind() != DeviceException.Kind.NOT_FOUND) {
                        throw new XenApiException("DEVICE_DETACH_REJECTED", objectClass, ref, e.getMessage());
                    }
                }
                markDetached(d, ref);
            return null;
        });
    }

    /**
     * Runs a device call on {@code vm}: device calls on one VM take turns, and none runs while a lifecycle operation
     * does (nor one while a device call does): {@code OTHER_OPERATION_IN_PROGRESS [VM, vm]}.
     */
    private <T> T deviceCall(XendDomain.Dom d, String vm, Supplier<T> body) {
        synchronized (d) {
            return vms.exclusively(vm, body);
        }
    }

    /** runtime_properties of an attached VBD or VIF: its frontend entries. */
    Map<String, String> runtimeProperties(ApiObject object) {
        String vm = object.string("VM");
        Optional<ApiObject> rec = store.get(XendDomain.VM, vm);
        XendDomain.Dom d = rec.isPresent() ? vms.dom(vm) : null;
        Attached attached = d == null ? null : d.attachedDevices.get(object.ref());
        if (attached == null || !hasDomain(rec.get())) {
            return Map.of();
        }
        return controllers.get(attached.deviceClass())
                .map(c -> c.frontendDetails(deviceDomain(rec.get()), attached.devid())).orElse(Map.of());
    }

    // ---- internals ----

    private void addToConfiguration(XendDomain.Dom d, String vm, DeviceConfig device) {
        String cls = objectClass(device);
        int disks = (int) d.devices.stream().filter(Devices::isDisk).count();
        int nics = (int) d.devices.stream().filter(Devices::isNic).count();
        d.devices = Devices.replace(d.devices, device.uuid(), device);
        if (cls != null) {
            devices.createObject(vm, device, disks, nics); // the store adds it to VM.VBDs or VM.VIFs
        }
        saveIfManaged(d, vm);
    }

    private void removeFromConfiguration(XendDomain.Dom d, String vm, DeviceConfig device) {
        String cls = objectClass(device);
        if (cls != null && store.get(cls, device.uuid()).isPresent()) {
            store.remove(cls, device.uuid()); // its persister takes it out of the configuration and saves
            return;
        }
        d.devices = Devices.replace(d.devices, device.uuid(), null);
        saveIfManaged(d, vm);
    }

    private void saveIfManaged(XendDomain.Dom d, String vm) {
        if (d.managed) {
            vms.save(vm);
        }
    }

    private static boolean hasDomain(ApiObject vm) {
        String state = vm.string("power_state");
        return (XendDomain.RUNNING.equals(state) || XendDomain.PAUSED.equals(state)) && vm.longValue("domid") > 0;
    }

    private static void requireDomain(ApiObject vm) {
        if (!hasDomain(vm)) {
            throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm.ref(), XendDomain.RUNNING,
                    vm.string("power_state"));
        }
    }

    /** Without a domain, a Halted or Suspended VM's configuration may change; a Crashed one's may not. */
    private static void checkConfigurable(ApiObject vm) {
        String state = vm.string("power_state");
        if (!XendDomain.HALTED.equals(state) && !XendDomain.SUSPENDED.equals(state)) {
            throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm.ref(), XendDomain.RUNNING, state);
        }
    }

    private static int connected(DeviceController controller, DeviceDomain domain, String deviceName) {
        return controller.findDevice(domain, deviceName).orElseThrow(() -> new XenApiException(
                ErrorCodes.VALUE_NOT_SUPPORTED, "device", String.valueOf(deviceName),
                "Device " + deviceName + " (" + controller.deviceClass() + ") not connected"));
    }

    /** A configured device of a class, named by its position among them, its uuid, its dev or its MAC. */
    private static DeviceConfig configured(XendDomain.Dom d, String deviceClass, String name) {
        if (name == null) {
            return null;
        }
        List<DeviceConfig> ofClass = ofClass(d.devices, deviceClass);
        if (name.matches("\\d{1,9}") && Integer.parseInt(name) < ofClass.size()) {
            return ofClass.get(Integer.parseInt(name));
        }
        String bare = name.startsWith("/dev/") ? name.substring(5) : name;
        for (DeviceConfig device : ofClass) {
            if (name.equals(device.uuid()) || bare.equals(devName(device))
                    || name.equalsIgnoreCase(device.options().getOrDefault("mac", ""))) {
                return device;
            }
        }
        return null;
    }

    /** A disk's guest-side name without {@code ioemu:} and {@code :cdrom}/{@code :disk}; null for others. */
    private static String devName(DeviceConfig device) {
        String dev = device.options().get("dev");
        return dev == null ? null : dev.replaceFirst("^ioemu:", "").replaceFirst(":(cdrom|disk)$", "");
    }

    private static List<DeviceConfig> ofClass(List<DeviceConfig> all, String deviceClass) {
        return all.stream().filter(x -> deviceClass.equals(x.deviceClass())).toList();
    }

    private static DeviceConfig withUuid(DeviceConfig device) {
        return Refs.isUuid(device.uuid()) ? device
                : new DeviceConfig(device.deviceClass(), Refs.newRef(), device.options());
    }

    /** A controller's failure as the Xen API error it amounts to. */
    private static <T> T translated(String deviceClass, Supplier<T> call) {
        try {
            return call.get();
        } catch (DeviceException e) {
            throw switch (e.kind()) {
                case INVALID_CONFIG, NOT_RECONFIGURABLE, NOT_FOUND ->
                        new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "device", deviceClass, e.getMessage());
                case ALREADY_CONNECTED -> new XenApiException("DEVICE_ALREADY_EXISTS", e.getMessage());
                case HOTPLUG_FAILED, DETACH_FAILED -> new XenApiException(ErrorCodes.INTERNAL_ERROR, e.getMessage());
            };
        }
    }
}
