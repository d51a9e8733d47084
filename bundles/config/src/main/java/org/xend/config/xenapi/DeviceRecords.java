package org.xend.config.xenapi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.config.model.Devices;

/**
 * Xen API device structs ({@code VBD}, {@code VIF}, {@code VTPM}, {@code console}) to and from the devices of a
 * {@code VmConfig}, with the mapping of Xend's {@code XendConfig}:
 * <ul>
 * <li>VBD: {@code image} is the uname (a {@code VDI} ref is kept as the option {@code VDI} for the storage
 * layer to resolve); {@code device} with {@code type} CD gives {@code dev} {@code hdc:cdrom}, with Disk the bare
 * device; {@code mode} RW is {@code w}, anything else {@code r}; {@code bootable} and {@code driver} are
 * copied. The class is {@code tap} for a {@code tap:} uname, else {@code vbd}.</li>
 * <li>VIF: {@code MAC} is {@code mac}, {@code network} the {@code bridge} (a network ref is resolved by the
 * caller's function), {@code MTU}, {@code type} and {@code name} are copied; a {@code ratelimit} QoS gives the
 * {@code rate} in Kb/s.</li>
 * <li>VTPM: {@code instance} is {@code pref_instance}; {@code backend} and {@code type} are copied.</li>
 * <li>console: {@code protocol} and {@code location}.</li>
 * </ul>
 * Device options the struct has no field for travel in its {@code other_config}, which wins when read, so a
 * device written as a struct reads back the same.
 */
final class DeviceRecords {

    private DeviceRecords() {
    }

    // ---- VBD ------------------------------------------------------------------------------------------------

    static DeviceConfig vbdFromRecord(Map<String, ?> record) throws ConfigException {
        Map<String, String> options = new LinkedHashMap<>();
        Object image = record.get("image");
        if (image != null && !"".equals(image)) {
            options.put("uname", RecordValues.string("VBD.image", image));
        }
        Object device = record.get("device");
        if (device != null) {
            String dev = Devices.canonicalDev(RecordValues.string("VBD.device", device));
            options.put("dev", isCd(record.get("type")) ? dev + Devices.CDROM_SUFFIX : dev);
        }
        Object mode = record.get("mode");
        if (mode != null) {
            options.put("mode", "rw".equalsIgnoreCase(RecordValues.string("VBD.mode", mode).strip()) ? "w" : "r");
        }
        Object bootable = record.get("bootable");
        if (bootable != null) {
            options.put("bootable", RecordValues.bool("VBD.bootable", bootable) ? "1" : "0");
        }
        copyNonEmpty(record, "driver", options, "driver", "VBD");
        Object vdi = record.get("VDI");
        if (vdi != null && !"".equals(vdi) && !"OpaqueRef:NULL".equals(vdi)) {
            options.put("VDI", RecordValues.string("VBD.VDI", vdi));
        }
        otherConfig(record, options, "VBD");
        return new DeviceConfig(Devices.diskClass(options.get("uname")), uuid(record, "VBD"), options);
    }

    private static boolean isCd(Object type) throws ConfigException {
        if (type == null) {
            return false;
        }
        String value = RecordValues.string("VBD.type", type).strip();
        if (value.equalsIgnoreCase("CD")) {
            return true;
        }
        if (value.equalsIgnoreCase("Disk") || value.isEmpty()) {
            return false;
        }
        throw RecordValues.invalid("VBD.type", type, "expected CD or Disk");
    }

    static Map<String, Object> vbdToRecord(DeviceConfig device) {
        Map<String, String> options = device.options();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("uuid", device.uuid());
        String dev = options.get("dev");
        if (dev != null) {
            boolean cd = dev.endsWith(Devices.CDROM_SUFFIX);
            record.put("device", cd ? dev.substring(0, dev.length() - Devices.CDROM_SUFFIX.length())
                    : Devices.canonicalDev(dev));
            record.put("type", cd ? "CD" : "Disk");
        }
        String mode = options.get("mode");
        if (mode != null) {
            record.put("mode", mode.startsWith("w") ? "RW" : "RO");
        }
        String bootable = options.get("bootable");
        if ("1".equals(bootable) || "0".equals(bootable)) {
            record.put("bootable", "1".equals(bootable));
        }
        putIfPresent(options, "uname", record, "image");
        putIfPresent(options, "driver", record, "driver");
        putIfPresent(options, "VDI", record, "VDI");
        return withOtherConfig(record, device, r -> vbdFromRecord(r));
    }

    // ---- VIF ------------------------------------------------------------------------------------------------

    static DeviceConfig vifFromRecord(Map<String, ?> record, Function<String, String> networkToBridge)
            throws ConfigException {
        Map<String, String> options = new LinkedHashMap<>();
        copyNonEmpty(record, "MAC", options, "mac", "VIF");
        Object network = record.get("network");
        if (network != null && !"".equals(network) && !"OpaqueRef:NULL".equals(network)) {
            String bridge = networkToBridge.apply(RecordValues.string("VIF.network", network));
            if (bridge != null) {
                options.put("bridge", bridge);
            }
        }
        Object mtu = record.get("MTU");
        if (mtu != null && !"".equals(mtu)) {
            options.put("mtu", Long.toString(RecordValues.integer("VIF.MTU", mtu)));
        }
        copyNonEmpty(record, "type", options, "type", "VIF");
        copyNonEmpty(record, "name", options, "name", "VIF");
        if ("ratelimit".equals(record.get("qos_algorithm_type"))
                && record.get("qos_algorithm_params") instanceof Map<?, ?> params && params.get("kbps") != null) {
            options.put("rate", RecordValues.integer("VIF.qos_algorithm_params.kbps", params.get("kbps")) + "Kb/s");
        }
        otherConfig(record, options, "VIF");
        return new DeviceConfig(Devices.VIF, uuid(record, "VIF"), options);
    }

    static Map<String, Object> vifToRecord(DeviceConfig device) {
        Map<String, String> options = device.options();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("uuid", device.uuid());
        putIfPresent(options, "mac", record, "MAC");
        putIfPresent(options, "bridge", record, "network");
        String mtu = options.get("mtu");
        if (mtu != null && mtu.matches("[1-9]\\d{0,8}")) {
            record.put("MTU", Long.valueOf(mtu));
        }
        putIfPresent(options, "type", record, "type");
        putIfPresent(options, "name", record, "name");
        return withOtherConfig(record, device, r -> vifFromRecord(r, Function.identity()));
    }

    // ---- VTPM and console -----------------------------------------------------------------------------------

    static DeviceConfig vtpmFromRecord(Map<String, ?> record) throws ConfigException {
        Map<String, String> options = new LinkedHashMap<>();
        Object instance = record.get("instance");
        if (instance != null && !"".equals(instance)) {
            options.put("pref_instance", Long.toString(RecordValues.integer("VTPM.instance", instance)));
        }
        copyNonEmpty(record, "backend", options, "backend", "VTPM");
        copyNonEmpty(record, "type", options, "type", "VTPM");
        otherConfig(record, options, "VTPM");
        return new DeviceConfig(Devices.VTPM, uuid(record, "VTPM"), options);
    }

    static Map<String, Object> vtpmToRecord(DeviceConfig device) {
        Map<String, String> options = device.options();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("uuid", device.uuid());
        String instance = options.get("pref_instance");
        if (instance != null && instance.matches("0|[1-9]\\d{0,17}")) {
            record.put("instance", Long.valueOf(instance));
        }
        putIfPresent(options, "backend", record, "backend");
        putIfPresent(options, "type", record, "type");
        return withOtherConfig(record, device, DeviceRecords::vtpmFromRecord);
    }

    static DeviceConfig consoleFromRecord(Map<String, ?> record) throws ConfigException {
        Map<String, String> options = new LinkedHashMap<>();
        copyNonEmpty(record, "location", options, "location", "console");
        copyNonEmpty(record, "protocol", options, "protocol", "console");
        otherConfig(record, options, "console");
        return new DeviceConfig(Devices.CONSOLE, uuid(record, "console"), options);
    }

    static Map<String, Object> consoleToRecord(DeviceConfig device) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("uuid", device.uuid());
        putIfPresent(device.options(), "protocol", record, "protocol");
        putIfPresent(device.options(), "location", record, "location");
        return withOtherConfig(record, device, DeviceRecords::consoleFromRecord);
    }

    // ---- common ---------------------------------------------------------------------------------------------

    private interface RecordReader {
        DeviceConfig read(Map<String, Object> record) throws ConfigException;
    }

    /**
     * Adds {@code other_config} with every option the struct's own fields do not give back; returns null if
     * even then the struct would not read back as the device (its class or uuid differ, or reading adds an
     * option), so the caller keeps the device another way.
     */
    private static Map<String, Object> withOtherConfig(Map<String, Object> record, DeviceConfig device,
            RecordReader reader) {
        try {
            DeviceConfig back = reader.read(record);
            Map<String, String> otherConfig = new LinkedHashMap<>();
            for (Map.Entry<String, String> option : device.options().entrySet()) {
                if (!Objects.equals(back.options().get(option.getKey()), option.getValue())) {
                    otherConfig.put(option.getKey(), option.getValue());
                }
            }
            if (!otherConfig.isEmpty()) {
                record.put("other_config", otherConfig);
            }
            return reader.read(record).equals(device) ? record : null;
        } catch (ConfigException unreadable) {
            return null;
        }
    }

    private static void otherConfig(Map<String, ?> record, Map<String, String> options, String className)
            throws ConfigException {
        Object other = record.get("other_config");
        if (other != null) {
            options.putAll(RecordValues.map(className + ".other_config", other));
        }
    }

    private static void copyNonEmpty(Map<String, ?> record, String field, Map<String, String> options, String option,
            String className) throws ConfigException {
        Object value = record.get(field);
        if (value != null && !"".equals(value)) {
            options.put(option, RecordValues.string(className + "." + field, value));
        }
    }

    private static void putIfPresent(Map<String, String> options, String option, Map<String, Object> record,
            String field) {
        String value = options.get(option);
        if (value != null) {
            record.put(field, value);
        }
    }

    /** The struct's uuid, or a new one: a device needs one to be an object of the store. */
    private static String uuid(Map<String, ?> record, String className) throws ConfigException {
        Object uuid = record.get("uuid");
        if (uuid == null || "".equals(uuid)) {
            return UUID.randomUUID().toString();
        }
        return RecordValues.string(className + ".uuid", uuid);
    }
}
