package org.xend.config.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.xend.api.spi.config.DeviceConfig;

/**
 * Conventions every format follows for the devices of a {@code VmConfig}, so that the same VM read from an xm
 * file, an SXP or a Xen API struct gives equal configurations.
 *
 * <p>Order: Xend kept devices in a map plus one ordered list per class ({@code vbd_refs}, {@code vif_refs}, …),
 * so only the order within a class means something (the first disk, eth0 before eth1). Readers therefore give
 * the devices in one canonical class order, keeping the order within a class: disks (vbd and tap together),
 * pci, ioports, irq, vif, vtpm, vkbd, vfb, usbport, console, then any other class in the order read.
 *
 * <p>A disk's {@code dev}: {@code hda:disk} and {@code hda} mean the same; the canonical form has no
 * {@code :disk} suffix (a CD-ROM keeps {@code :cdrom}).
 */
public final class Devices {

    public static final String VBD = "vbd";
    public static final String TAP = "tap";
    public static final String VIF = "vif";
    public static final String VTPM = "vtpm";
    public static final String PCI = "pci";
    public static final String VFB = "vfb";
    public static final String VKBD = "vkbd";
    public static final String IOPORTS = "ioports";
    public static final String IRQ = "irq";
    public static final String USBPORT = "usbport";
    public static final String CONSOLE = "console";

    public static final String CDROM_SUFFIX = ":cdrom";
    public static final String DISK_SUFFIX = ":disk";

    private static final List<List<String>> CLASS_ORDER = List.of(
            List.of(VBD, TAP, "tap2"), List.of(PCI), List.of(IOPORTS), List.of(IRQ), List.of(VIF), List.of(VTPM),
            List.of(VKBD), List.of(VFB), List.of(USBPORT), List.of(CONSOLE));

    private Devices() {
    }

    /** Where a class sorts in the canonical order; unknown classes sort last. */
    public static int rank(String deviceClass) {
        for (int i = 0; i < CLASS_ORDER.size(); i++) {
            if (CLASS_ORDER.get(i).contains(deviceClass)) {
                return i;
            }
        }
        return CLASS_ORDER.size();
    }

    /** The devices in canonical class order; a stable sort, so the order within a class is kept. */
    public static List<DeviceConfig> canonicalOrder(List<DeviceConfig> devices) {
        List<DeviceConfig> sorted = new ArrayList<>(devices);
        sorted.sort(Comparator.comparingInt(device -> rank(device.deviceClass())));
        return List.copyOf(sorted);
    }

    /** True for the block device classes (vbd, tap, tap2). */
    public static boolean isDisk(String deviceClass) {
        return rank(deviceClass) == 0;
    }

    /** A disk's dev without the redundant {@code :disk} suffix. */
    public static String canonicalDev(String dev) {
        return dev.endsWith(DISK_SUFFIX) ? dev.substring(0, dev.length() - DISK_SUFFIX.length()) : dev;
    }

    /** The device's options with a disk's {@code dev} in canonical form; other devices unchanged. */
    public static DeviceConfig canonicalDisk(DeviceConfig device) {
        String dev = device.options().get("dev");
        if (!isDisk(device.deviceClass()) || dev == null || !dev.endsWith(DISK_SUFFIX)) {
            return device;
        }
        Map<String, String> options = new java.util.LinkedHashMap<>(device.options());
        options.put("dev", canonicalDev(dev));
        return new DeviceConfig(device.deviceClass(), device.uuid(), options);
    }

    /** The class of a disk given its uname: {@code tap} for {@code tap:…}, else {@code vbd}. */
    public static String diskClass(String uname) {
        return uname != null && uname.startsWith("tap:") ? TAP : VBD;
    }
}
