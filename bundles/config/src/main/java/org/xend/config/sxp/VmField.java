package org.xend.config.sxp;

import java.util.HashMap;
import java.util.Map;

/**
 * The Xen API VM fields a stored configuration carries, with their Java type in {@code VmConfig.fields} and the
 * key Xend's {@code config.sxp} uses for them (the same name, except {@code vcpus_params}). The order is the
 * order in which they are written.
 */
public enum VmField {
    UUID("uuid", Kind.STRING),
    NAME_LABEL("name_label", Kind.STRING),
    NAME_DESCRIPTION("name_description", Kind.STRING),
    USER_VERSION("user_version", Kind.LONG),
    IS_A_TEMPLATE("is_a_template", Kind.BOOLEAN),
    AUTO_POWER_ON("auto_power_on", Kind.BOOLEAN),
    MEMORY_STATIC_MAX("memory_static_max", Kind.LONG),
    MEMORY_DYNAMIC_MAX("memory_dynamic_max", Kind.LONG),
    MEMORY_DYNAMIC_MIN("memory_dynamic_min", Kind.LONG),
    MEMORY_STATIC_MIN("memory_static_min", Kind.LONG),
    VCPUS_PARAMS("VCPUs_params", "vcpus_params", Kind.MAP),
    VCPUS_MAX("VCPUs_max", Kind.LONG),
    VCPUS_AT_STARTUP("VCPUs_at_startup", Kind.LONG),
    ACTIONS_AFTER_SHUTDOWN("actions_after_shutdown", Kind.STRING),
    ACTIONS_AFTER_REBOOT("actions_after_reboot", Kind.STRING),
    ACTIONS_AFTER_CRASH("actions_after_crash", Kind.STRING),
    PV_BOOTLOADER("PV_bootloader", Kind.STRING),
    PV_KERNEL("PV_kernel", Kind.STRING),
    PV_RAMDISK("PV_ramdisk", Kind.STRING),
    PV_ARGS("PV_args", Kind.STRING),
    PV_BOOTLOADER_ARGS("PV_bootloader_args", Kind.STRING),
    HVM_BOOT_POLICY("HVM_boot_policy", Kind.STRING),
    HVM_BOOT_PARAMS("HVM_boot_params", Kind.MAP),
    PLATFORM("platform", Kind.MAP),
    PCI_BUS("PCI_bus", Kind.STRING),
    OTHER_CONFIG("other_config", Kind.MAP);

    /** Java type of the value: String, Long, Boolean or {@code Map<String,String>}. */
    public enum Kind {
        STRING, LONG, BOOLEAN, MAP
    }

    private static final Map<String, VmField> BY_API_NAME = new HashMap<>();

    static {
        for (VmField field : values()) {
            BY_API_NAME.put(field.apiName, field);
        }
    }

    private final String apiName;
    private final String sxpName;
    private final Kind kind;

    VmField(String apiName, Kind kind) {
        this(apiName, apiName, kind);
    }

    VmField(String apiName, String sxpName, Kind kind) {
        this.apiName = apiName;
        this.sxpName = sxpName;
        this.kind = kind;
    }

    /** The Xen API field name, the key in {@code VmConfig.fields}. */
    public String apiName() {
        return apiName;
    }

    /** The key Xend writes in {@code config.sxp}. */
    public String sxpName() {
        return sxpName;
    }

    public Kind kind() {
        return kind;
    }

    /** The field with this Xen API name, or {@code null}. */
    public static VmField byApiName(String apiName) {
        return BY_API_NAME.get(apiName);
    }
}
