package org.xend.config.sxp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.xend.api.spi.config.ConfigException;

/** Key names of Xend's domain SXP ({@code XendConfig.py}) shared by the readers and writers of every format. */
public final class DomainSxpKeys {

    public static final String DOMAIN = "domain";
    public static final String VM = "vm";

    public static final String UUID = "uuid";
    public static final String NAME = "name";
    public static final String VCPUS = "vcpus";
    public static final String MEMORY = "memory";
    public static final String MAXMEM = "maxmem";
    public static final String ON_POWEROFF = "on_poweroff";
    public static final String ON_REBOOT = "on_reboot";
    public static final String ON_CRASH = "on_crash";
    public static final String BOOTLOADER = "bootloader";
    public static final String BOOTLOADER_ARGS = "bootloader_args";
    /** Deprecated xm option: onreboot, always or never. */
    public static final String RESTART = "restart";
    public static final String LOCALTIME = "localtime";
    public static final String HVM_BOOT = "HVM_boot";
    public static final String PLATFORM_PREFIX = "platform_";
    public static final String IMAGE = "image";
    public static final String DEVICE = "device";

    public static final String IMAGE_LINUX = "linux";
    public static final String IMAGE_HVM = "hvm";
    public static final String KERNEL = "kernel";
    public static final String RAMDISK = "ramdisk";
    public static final String ARGS = "args";
    public static final String ROOT = "root";
    public static final String IP = "ip";
    public static final String BOOT = "boot";
    /** Platform entry that keeps an image type other than linux or hvm. */
    public static final String IMAGE_TYPE = "image_type";

    public static final String BIOS_ORDER = "BIOS order";
    public static final String HVM_ORDER = "order";
    public static final long MIB = 1024L * 1024L;

    /** Xend's XENAPI_PLATFORM_CFG: image keys that live in the {@code platform} map. */
    public static final List<String> PLATFORM_KEYS = List.of(
            "acpi", "apic", "boot", "device_model", "display", "fda", "fdb", "keymap", "isa", "localtime",
            "monitor", "nographic", "pae", "rtc_timeoffset", "serial", "sdl", "soundhw", "stdvga", "usb",
            "usbdevice", "vnc", "vncconsole", "vncdisplay", "vnclisten", "vncpasswd", "vncunused", "xauthority");

    /** State of a running domain that Xend writes beside the configuration; never configuration. */
    public static final Set<String> RUNTIME_KEYS = Set.of(
            "domid", "status", "state", "store_mfn", "console_mfn", "cpu_time", "online_vcpus",
            "VCPUs_live", "resident_on", "shutdown_reason", "up_time");

    /** Non-API keys in the order Xend writes them (LEGACY_UNSUPPORTED_BY_XENAPI_CFG); others follow. */
    public static final List<String> EXTRAS_ORDER = List.of(
            "shadow_memory", "security", "vcpu_avail", "cpu_weight", "cpu_cap", "features", "on_xend_start",
            "on_xend_stop", "start_time", "cpu", "cpus");

    public static final String ON_XEND_START = "on_xend_start";
    public static final String ON_XEND_STOP = "on_xend_stop";
    public static final String CPUS = "cpus";
    /** What Xend does with a managed domain when it starts, and when it stops. */
    public static final Set<String> ON_XEND_START_VALUES = Set.of("ignore", "start", "resume");
    public static final Set<String> ON_XEND_STOP_VALUES = Set.of("ignore", "shutdown", "suspend");

    /** Actions Xend and the Xen API know, in the Xen API spelling. */
    public static final Set<String> ACTIONS = Set.of(
            "destroy", "restart", "preserve", "rename_restart", "coredump_and_destroy", "coredump_and_restart");

    /** Top-level keys the reader maps to fields (or ignores); anything else is an extra. */
    public static final Set<String> RESERVED_KEYS;

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

    /**
     * The Xen API spelling of an action: xm and Xend's validation spell {@code rename-restart} with a hyphen,
     * and xm (3.2 on) and xl spell the core dump actions {@code coredump-destroy} and {@code coredump-restart}.
     */
    public static String apiAction(String action) {
        return switch (action) {
            case "rename-restart" -> "rename_restart";
            case "coredump-destroy" -> "coredump_and_destroy";
            case "coredump-restart" -> "coredump_and_restart";
            default -> action;
        };
    }

    /** The spelling Xend's legacy {@code on_*} keys accept. */
    public static String legacyAction(String action) {
        return "rename_restart".equals(action) ? "rename-restart" : action;
    }

    /**
     * The printed form of lists named {@code key} is how a value that is not a single atom is kept in a flat
     * string map (device options, extras). Returns those lists if {@code value} is such a form, else null.
     */
    public static List<Object> structuredValue(String key, String value) {
        if (!value.startsWith("(")) {
            return null;
        }
        List<Object> lists;
        try {
            lists = Sxp.parseAll(value);
        } catch (ConfigException notSxp) {
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
