package org.xend.config.sxp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Key names of Xend's domain SXP ({@code XendConfig.py}) shared by the reader and the writer. */
final class DomainSxpKeys {

    static final String DOMAIN = "domain";
    static final String VM = "vm";

    static final String UUID = "uuid";
    static final String NAME = "name";
    static final String VCPUS = "vcpus";
    static final String MEMORY = "memory";
    static final String MAXMEM = "maxmem";
    static final String ON_POWEROFF = "on_poweroff";
    static final String ON_REBOOT = "on_reboot";
    static final String ON_CRASH = "on_crash";
    static final String BOOTLOADER = "bootloader";
    static final String BOOTLOADER_ARGS = "bootloader_args";
    /** Deprecated xm option: onreboot, always or never. */
    static final String RESTART = "restart";
    static final String LOCALTIME = "localtime";
    static final String HVM_BOOT = "HVM_boot";
    static final String PLATFORM_PREFIX = "platform_";
    static final String IMAGE = "image";
    static final String DEVICE = "device";

    static final String IMAGE_LINUX = "linux";
    static final String IMAGE_HVM = "hvm";
    static final String KERNEL = "kernel";
    static final String RAMDISK = "ramdisk";
    static final String ARGS = "args";
    static final String ROOT = "root";
    static final String IP = "ip";
    static final String BOOT = "boot";
    /** Platform entry that keeps an image type other than linux or hvm. */
    static final String IMAGE_TYPE = "image_type";

    static final String BIOS_ORDER = "BIOS order";
    static final String HVM_ORDER = "order";
    static final long MIB = 1024L * 1024L;

    /** Xend's XENAPI_PLATFORM_CFG: image keys that live in the {@code platform} map. */
    static final List<String> PLATFORM_KEYS = List.of(
            "acpi", "apic", "boot", "device_model", "display", "fda", "fdb", "keymap", "isa", "localtime",
            "monitor", "nographic", "pae", "rtc_timeoffset", "serial", "sdl", "soundhw", "stdvga", "usb",
            "usbdevice", "vnc", "vncconsole", "vncdisplay", "vnclisten", "vncpasswd", "vncunused", "xauthority");

    /** State of a running domain that Xend writes beside the configuration; never configuration. */
    static final Set<String> RUNTIME_KEYS = Set.of(
            "domid", "status", "state", "store_mfn", "console_mfn", "cpu_time", "online_vcpus",
            "VCPUs_live", "resident_on", "shutdown_reason", "up_time");

    /** Non-API keys in the order Xend writes them (LEGACY_UNSUPPORTED_BY_XENAPI_CFG); others follow. */
    static final List<String> EXTRAS_ORDER = List.of(
            "shadow_memory", "security", "vcpu_avail", "cpu_weight", "cpu_cap", "features", "on_xend_start",
            "on_xend_stop", "start_time", "cpu", "cpus");

    /** Actions Xend and the Xen API know, in the Xen API spelling. */
    static final Set<String> ACTIONS = Set.of(
            "destroy", "restart", "preserve", "rename_restart", "coredump_and_destroy", "coredump_and_restart");

    /** Top-level keys the reader maps to fields (or ignores); anything else is an extra. */
    static final Set<String> RESERVED_KEYS;

    static {
        Set<String> reserved = new HashSet<>(RUNTIME_KEYS);
        for (VmField field : VmField.values()) {
            reserved.add(field.apiName());
            reserved.add(field.sxpName());
        }
        reserved.addAll(List.of(NAME, VCPUS, MEMORY, MAXMEM, ON_POWEROFF, ON_REBOOT, ON_CRASH, BOOTLOADER,
                BOOTLOADER_ARGS, RESTART, LOCALTIME, HVM_BOOT, IMAGE, DEVICE));
        for (String key : PLATFORM_KEYS) {
            reserved.add(PLATFORM_PREFIX + key);
        }
        RESERVED_KEYS = Set.copyOf(reserved);
    }

    private DomainSxpKeys() {
    }

    /** The Xen API spelling of an action; xm and Xend's validation spell {@code rename-restart} with a hyphen. */
    static String apiAction(String action) {
        return "rename-restart".equals(action) ? "rename_restart" : action;
    }

    /** The spelling Xend's legacy {@code on_*} keys accept. */
    static String legacyAction(String action) {
        return "rename_restart".equals(action) ? "rename-restart" : action;
    }

    /**
     * The printed form of lists named {@code key} is how a value that is not a single atom is kept in a flat
     * string map (device options, extras). Returns those lists if {@code value} is such a form, else null.
     */
    static List<Object> structuredValue(String key, String value) {
        if (!value.startsWith("(")) {
            return null;
        }
        List<Object> lists;
        try {
            lists = Sxp.parseAll(value);
        } catch (org.xend.api.spi.config.ConfigException notSxp) {
            return null;
        }
        if (lists.isEmpty()) {
            return null;
        }
        for (Object list : lists) {
            if (!Sxp.isElement(list, key)) {
                return null;
            }
        }
        return lists;
    }
}
