package org.xend.domain;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * A VM's disks and network interfaces as VBD and VIF objects of the store, made from the devices of its
 * configuration, and the way back: a change to such an object is a change to the configuration's device.
 */
final class Devices {

    static final String VBD = "VBD";
    static final String VIF = "VIF";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final Fields vbdFields;
    private final Fields vifFields;

    Devices(ObjectStore store) {
        this.store = store;
        this.vbdFields = new Fields(store.datamodel().classDecl(VBD).orElseThrow());
        this.vifFields = new Fields(store.datamodel().classDecl(VIF).orElseThrow());
    }

    static boolean isDisk(DeviceConfig d) {
        return "vbd".equals(d.deviceClass()) || "tap".equals(d.deviceClass());
    }

    static boolean isNic(DeviceConfig d) {
        return "vif".equals(d.deviceClass());
    }

    /**
     * Gives every disk and network device a uuid and every network device a MAC address (Xen's 00:16:3e range),
     * so they stay the same once saved.
     */
    static List<DeviceConfig> completed(List<DeviceConfig> devices) {
        List<DeviceConfig> out = new ArrayList<>(devices.size());
        for (DeviceConfig d : devices) {
            if (!isDisk(d) && !isNic(d)) {
                out.add(d);
                continue;
            }
            String uuid = Refs.isUuid(d.uuid()) ? d.uuid() : Refs.newRef();
            Map<String, String> options = new LinkedHashMap<>(d.options());
            if (isNic(d) && (options.get("mac") == null || options.get("mac").isBlank())) {
                options.put("mac", randomMac());
            }
            out.add(new DeviceConfig(d.deviceClass(), uuid, options));
        }
        return out;
    }

    /** Creates the VBD and VIF objects of a VM. */
    void create(String vm, List<DeviceConfig> devices) {
        boolean firstDisk = true;
        int nic = 0;
        for (DeviceConfig d : devices) {
            if (isDisk(d)) {
                store.create(VBD, d.uuid(), vbdRecord(vm, d, firstDisk));
                firstDisk = false;
            } else if (isNic(d)) {
                store.create(VIF, d.uuid(), vifRecord(vm, d, nic++));
            }
        }
    }

    /**
     * Creates the VBD or VIF object of one device added to a VM that has {@code disks} disks and {@code nics}
     * network devices already: the first disk is bootable, NICs are named eth0, eth1, … in order.
     */
    void createObject(String vm, DeviceConfig d, int disks, int nics) {
        if (isDisk(d)) {
            store.create(VBD, d.uuid(), vbdRecord(vm, d, disks == 0));
        } else if (isNic(d)) {
            store.create(VIF, d.uuid(), vifRecord(vm, d, nics));
        }
    }

    void remove(List<DeviceConfig> devices) {
        for (DeviceConfig d : devices) {
            if (isDisk(d)) {
                store.remove(VBD, d.uuid());
            } else if (isNic(d)) {
                store.remove(VIF, d.uuid());
            }
        }
    }

    private Map<String, Object> vbdRecord(String vm, DeviceConfig d, boolean firstDisk) {
        String dev = d.options().getOrDefault("dev", "");
        boolean cdrom = dev.endsWith(":cdrom") || "cdrom".equals(d.options().get("devtype"));
        String device = dev.replaceFirst("^ioemu:", "").replaceFirst(":(cdrom|disk)$", "");
        String mode = d.options().getOrDefault("mode", "w");
        Map<String, Object> f = new LinkedHashMap<>();
        vbdFields.put(f, "VM", vm);
        vbdFields.put(f, "device", device);
        vbdFields.put(f, "bootable", d.options().containsKey("bootable")
                ? "1".equals(d.options().get("bootable")) || "True".equals(d.options().get("bootable")) : firstDisk);
        vbdFields.put(f, "mode", mode.startsWith("w") ? "RW" : "RO");
        vbdFields.put(f, "type", cdrom ? "CD" : "Disk");
        return f;
    }

    private Map<String, Object> vifRecord(String vm, DeviceConfig d, int index) {
        Map<String, Object> f = new LinkedHashMap<>();
        vifFields.put(f, "VM", vm);
        vifFields.put(f, "device", "eth" + index);
        vifFields.put(f, "MAC", d.options().get("mac"));
        return f;
    }

    /** The device of a configuration after its VBD or VIF object changed to {@code after}. */
    static DeviceConfig updated(DeviceConfig d, ApiObject after) {
        Map<String, String> options = new LinkedHashMap<>(d.options());
        if (VBD.equals(after.className())) {
            options.put("dev", after.string("device") + ("CD".equals(after.get("type")) ? ":cdrom" : ""));
            String mode = options.getOrDefault("mode", "w");
            options.put("mode", "RW".equals(after.get("mode")) ? (mode.startsWith("w") ? mode : "w") : "r");
            options.put("bootable", after.bool("bootable") ? "1" : "0");
        } else {
            options.put("mac", after.string("MAC"));
        }
        return new DeviceConfig(d.deviceClass(), d.uuid(), options);
    }

    /** A device for a VBD or VIF created through the API. */
    static DeviceConfig fromObject(ApiObject o) {
        return updated(new DeviceConfig(VBD.equals(o.className()) ? "vbd" : "vif", o.ref(), Map.of()), o);
    }

    /** Replaces (or adds) the device whose uuid is {@code uuid}; a null replacement removes it. */
    static List<DeviceConfig> replace(List<DeviceConfig> devices, String uuid, DeviceConfig replacement) {
        List<DeviceConfig> out = new ArrayList<>(devices.size() + 1);
        boolean found = false;
        for (DeviceConfig d : devices) {
            if (uuid.equals(d.uuid())) {
                found = true;
                if (replacement != null) {
                    out.add(replacement);
                }
            } else {
                out.add(d);
            }
        }
        if (!found && replacement != null) {
            out.add(replacement);
        }
        return out;
    }

    static DeviceConfig find(List<DeviceConfig> devices, String uuid) {
        for (DeviceConfig d : devices) {
            if (uuid.equals(d.uuid())) {
                return d;
            }
        }
        return null;
    }

    /** A MAC address in Xen's range, 00:16:3e with the locally random rest. */
    static String randomMac() {
        return String.format("00:16:3e:%02x:%02x:%02x", RANDOM.nextInt(0x80), RANDOM.nextInt(256), RANDOM.nextInt(256));
    }
}
