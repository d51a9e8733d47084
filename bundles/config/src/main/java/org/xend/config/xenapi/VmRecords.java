package org.xend.config.xenapi;

import static org.xend.config.sxp.DomainSxpKeys.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.model.CpuList;
import org.xend.config.model.Devices;
import org.xend.config.sxp.VmField;

/**
 * A Xen API VM struct (what {@code VM.create} receives, or a record) to and from a {@link VmConfig}, with the
 * mapping of Xend's {@code XendConfig}: the VM fields by name (a key that matches no field exactly is tried
 * case-insensitively), memory in bytes, ints as ints or strings; Xend's keys outside the API
 * ({@code on_xend_start}, {@code cpus}, {@code cpu_weight} …) passed through; the keys of Xend 3.0.4 that its
 * shipped test scripts still sent ({@code VCPUs_number}, {@code kernel_kernel}, {@code kernel_initrd},
 * {@code kernel_args}, {@code HVM_boot}, {@code builder}, {@code otherConfig}, {@code platform_std_VGA} and the
 * other {@code platform_*} keys) where their meaning is unambiguous; every other key is ignored, because
 * clients send whole records.
 *
 * <p>Devices ride in the struct as arrays of device structs: {@code VBDs}, {@code VIFs}, {@code VTPMs} and
 * {@code consoles} ({@link DeviceRecords}); arrays of refs, as a record has, are ignored. Two members of our own
 * make the struct lossless: {@code xend_extras} (Xend keys outside the API that have no key of their own here)
 * and {@code xend_devices} (devices with no Xen API class, such as pci or vfb, as
 * {@code {class, uuid, options}}).
 */
final class VmRecords {

    private static final Logger LOG = LoggerFactory.getLogger(VmRecords.class);

    static final String VBDS = "VBDs";
    static final String VIFS = "VIFs";
    static final String VTPMS = "VTPMs";
    static final String CONSOLES = "consoles";
    static final String XEND_EXTRAS = "xend_extras";
    static final String XEND_DEVICES = "xend_devices";

    /** Xend's keys outside the API that a struct may carry as members of their own. */
    static final Set<String> EXTRA_KEYS = Set.of(
            "shadow_memory", "security", "vcpu_avail", "cpu_weight", "cpu_cap", "features", ON_XEND_START,
            ON_XEND_STOP, "cpu", CPUS);

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Map<String, VmField> BY_LOWER_CASE_NAME = new HashMap<>();
    /** Xend 3.0.4's platform_* keys whose Xen 3.1 platform key is certain. */
    private static final Map<String, String> OLD_PLATFORM_KEYS = Map.of(
            "platform_std_VGA", "stdvga", "platform_serial", "serial", "platform_localtime", "localtime");

    static {
        for (VmField field : VmField.values()) {
            BY_LOWER_CASE_NAME.put(field.apiName().toLowerCase(Locale.ROOT), field);
        }
    }

    private VmRecords() {
    }

    // ---- struct to configuration ----------------------------------------------------------------------------

    static VmConfig fromRecord(Map<String, ?> record, Function<String, String> networkToBridge)
            throws ConfigException {
        Map<String, Object> fields = new HashMap<>();
        Map<String, String> extras = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, ?> member : record.entrySet()) {
            String key = member.getKey();
            Object value = member.getValue();
            if (value == null) {
                continue;
            }
            VmField field = VmField.byApiName(key);
            if (field == null && !OLD_PLATFORM_KEYS.containsKey(key)) {
                field = BY_LOWER_CASE_NAME.get(key.toLowerCase(Locale.ROOT));
            }
            if (field != null) {
                Object converted = field(field, value);
                if (converted != null) {
                    fields.put(field.apiName(), converted);
                }
            } else if (EXTRA_KEYS.contains(key)) {
                extras.put(key, extra(key, value));
            } else if (key.equals(XEND_EXTRAS)) {
                for (Map.Entry<String, String> extra : RecordValues.map(XEND_EXTRAS, value).entrySet()) {
                    extras.putIfAbsent(extra.getKey(), extra.getValue());
                }
            } else if (!isOldKey(key) && !isDeviceKey(key)) {
                ignored.add(key);
            }
        }
        if (!ignored.isEmpty()) {
            LOG.debug("Ignoring struct members that are not configuration: {}", new TreeSet<>(ignored));
        }
        readOldKeys(record, fields);
        String uuid = (String) fields.get(VmField.UUID.apiName());
        fields.put(VmField.UUID.apiName(), uuid == null ? java.util.UUID.randomUUID().toString() : normaliseUuid(uuid));
        checkExtras(extras);
        List<DeviceConfig> devices = devices(record, networkToBridge);
        return new VmConfig(ordered(fields), extras, devices);
    }

    private static Object field(VmField field, Object value) throws ConfigException {
        String key = field.apiName();
        return switch (field.kind()) {
            case STRING -> {
                String text = RecordValues.string(key, value);
                if (key.startsWith("actions_after_")) {
                    yield action(key, text);
                }
                yield text;
            }
            case LONG -> RecordValues.integer(key, value);
            case BOOLEAN -> RecordValues.bool(key, value);
            case MAP -> RecordValues.map(key, value);
        };
    }

    /** An action in the API's spelling; an empty one is unset, as in Xend's SXP. */
    private static String action(String key, String value) throws ConfigException {
        if (value.isEmpty()) {
            return null;
        }
        String action = apiAction(value);
        if (!ACTIONS.contains(action)) {
            throw RecordValues.invalid(key, value, "expected one of " + String.join(", ", new TreeSet<>(ACTIONS)));
        }
        return action;
    }

    private static String extra(String key, Object value) throws ConfigException {
        List<?> items = RecordValues.array(value);
        if (key.equals(CPUS) && items != null) {
            // Xend kept cpus as a list of CPU numbers.
            List<String> numbers = new ArrayList<>();
            for (Object item : items) {
                numbers.add(Long.toString(RecordValues.integer(CPUS, item)));
            }
            return String.join(",", numbers);
        }
        return RecordValues.scalar(key, value);
    }

    private static void checkExtras(Map<String, String> extras) throws ConfigException {
        String cpus = extras.get(CPUS);
        if (cpus != null) {
            extras.put(CPUS, CpuList.canonical(CPUS, cpus));
        }
        checkEnum(extras, ON_XEND_START, ON_XEND_START_VALUES);
        checkEnum(extras, ON_XEND_STOP, ON_XEND_STOP_VALUES);
        for (String key : new ArrayList<>(extras.keySet())) {
            if (RESERVED_KEYS.contains(key)) {
                LOG.warn("Ignoring xend_extras member {}: the key has a meaning of its own", key);
                extras.remove(key);
            }
        }
    }

    private static void checkEnum(Map<String, String> extras, String key, Set<String> allowed)
            throws ConfigException {
        String value = extras.get(key);
        if (value != null && !allowed.contains(value)) {
            throw RecordValues.invalid(key, value, "expected one of " + String.join(", ", new TreeSet<>(allowed)));
        }
    }

    private static boolean isOldKey(String key) {
        return Set.of("VCPUs_number", "kernel_kernel", "kernel_initrd", "kernel_args", "HVM_boot", "builder",
                "otherConfig").contains(key) || OLD_PLATFORM_KEYS.containsKey(key);
    }

    private static boolean isDeviceKey(String key) {
        return Set.of(VBDS, VIFS, VTPMS, CONSOLES, XEND_DEVICES).contains(key);
    }

    /** The 3.0.4 keys, each only where the 3.1 key is absent. */
    private static void readOldKeys(Map<String, ?> record, Map<String, Object> fields) throws ConfigException {
        Object vcpus = record.get("VCPUs_number");
        if (vcpus != null) {
            long number = RecordValues.integer("VCPUs_number", vcpus);
            fields.putIfAbsent(VmField.VCPUS_MAX.apiName(), number);
            fields.putIfAbsent(VmField.VCPUS_AT_STARTUP.apiName(), number);
        }
        oldString(record, "kernel_kernel", VmField.PV_KERNEL, fields);
        oldString(record, "kernel_initrd", VmField.PV_RAMDISK, fields);
        oldString(record, "kernel_args", VmField.PV_ARGS, fields);
        Object hvmBoot = record.get("HVM_boot");
        if (hvmBoot != null && !"".equals(hvmBoot)) {
            fields.putIfAbsent(VmField.HVM_BOOT_POLICY.apiName(), BIOS_ORDER);
            fields.putIfAbsent(VmField.HVM_BOOT_PARAMS.apiName(), Map.of(HVM_ORDER,
                    RecordValues.string("HVM_boot", hvmBoot)));
        }
        Object builder = record.get("builder");
        if (builder != null && IMAGE_HVM.equals(RecordValues.string("builder", builder))) {
            fields.putIfAbsent(VmField.HVM_BOOT_POLICY.apiName(), BIOS_ORDER);
        }
        Object otherConfig = record.get("otherConfig");
        if (otherConfig != null) {
            fields.putIfAbsent(VmField.OTHER_CONFIG.apiName(), RecordValues.map("otherConfig", otherConfig));
        }
        if (!fields.containsKey(VmField.PLATFORM.apiName())) {
            Map<String, String> platform = new LinkedHashMap<>();
            for (Map.Entry<String, String> old : OLD_PLATFORM_KEYS.entrySet()) {
                Object value = record.get(old.getKey());
                if (value != null) {
                    platform.put(old.getValue(), value instanceof Boolean b ? (b ? "1" : "0")
                            : RecordValues.string(old.getKey(), value));
                }
            }
            if (!platform.isEmpty()) {
                fields.put(VmField.PLATFORM.apiName(), Collections.unmodifiableMap(platform));
            }
        }
    }

    private static void oldString(Map<String, ?> record, String key, VmField field, Map<String, Object> fields)
            throws ConfigException {
        Object value = record.get(key);
        if (value != null) {
            fields.putIfAbsent(field.apiName(), RecordValues.string(key, value));
        }
    }

    private static List<DeviceConfig> devices(Map<String, ?> record, Function<String, String> networkToBridge)
            throws ConfigException {
        List<DeviceConfig> devices = new ArrayList<>();
        for (Map<String, Object> vbd : structs(record, VBDS)) {
            devices.add(DeviceRecords.vbdFromRecord(vbd));
        }
        for (Map<String, Object> vif : structs(record, VIFS)) {
            devices.add(DeviceRecords.vifFromRecord(vif, networkToBridge));
        }
        for (Map<String, Object> vtpm : structs(record, VTPMS)) {
            devices.add(DeviceRecords.vtpmFromRecord(vtpm));
        }
        for (Map<String, Object> console : structs(record, CONSOLES)) {
            devices.add(DeviceRecords.consoleFromRecord(console));
        }
        for (Map<String, Object> device : structs(record, XEND_DEVICES)) {
            devices.add(xendDevice(device));
        }
        return Devices.canonicalOrder(devices);
    }

    /** The structs of an array member; refs (strings), as a record lists its devices, are skipped. */
    private static List<Map<String, Object>> structs(Map<String, ?> record, String key) throws ConfigException {
        Object value = record.get(key);
        if (value == null) {
            return List.of();
        }
        List<?> items = RecordValues.array(value);
        if (items == null) {
            throw RecordValues.invalid(key, value, "expected an array of structs");
        }
        List<Map<String, Object>> structs = new ArrayList<>();
        for (Object item : items) {
            Map<String, Object> struct = RecordValues.struct(item);
            if (struct != null) {
                structs.add(struct);
            } else if (!(item instanceof String)) {
                throw RecordValues.invalid(key, item, "expected a struct (or a ref)");
            }
        }
        return structs;
    }

    private static DeviceConfig xendDevice(Map<String, Object> device) throws ConfigException {
        Object deviceClass = device.get("class");
        if (!(deviceClass instanceof String cls)) {
            throw RecordValues.invalid(XEND_DEVICES + ".class", deviceClass, "expected a device class");
        }
        Object uuid = device.get("uuid");
        Map<String, String> options = device.get("options") == null ? Map.of()
                : RecordValues.map(XEND_DEVICES + ".options", device.get("options"));
        return Devices.canonicalDisk(new DeviceConfig(cls,
                uuid == null || "".equals(uuid) ? java.util.UUID.randomUUID().toString()
                        : RecordValues.string(XEND_DEVICES + ".uuid", uuid), options));
    }

    private static String normaliseUuid(String uuid) throws ConfigException {
        if (!UUID_FORM.matcher(uuid).matches()) {
            throw RecordValues.invalid("uuid", uuid, "not a UUID");
        }
        String hex = uuid.replace("-", "").toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static Map<String, Object> ordered(Map<String, Object> fields) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (VmField field : VmField.values()) {
            Object value = fields.get(field.apiName());
            if (value != null) {
                ordered.put(field.apiName(), value);
            }
        }
        return ordered;
    }

    // ---- configuration to struct ----------------------------------------------------------------------------

    static Map<String, Object> toRecord(VmConfig config) {
        Map<String, Object> record = new LinkedHashMap<>();
        for (VmField field : VmField.values()) {
            Object value = config.fields().get(field.apiName());
            if (value != null) {
                record.put(field.apiName(), recordValue(field, value));
            }
        }
        Map<String, String> otherExtras = new LinkedHashMap<>();
        for (Map.Entry<String, String> extra : config.extras().entrySet()) {
            if (RESERVED_KEYS.contains(extra.getKey())) {
                LOG.warn("Not writing extra {}={}: the key has a meaning of its own", extra.getKey(), extra.getValue());
            } else if (EXTRA_KEYS.contains(extra.getKey())) {
                record.put(extra.getKey(), extra.getValue());
            } else {
                otherExtras.put(extra.getKey(), extra.getValue());
            }
        }
        if (!otherExtras.isEmpty()) {
            record.put(XEND_EXTRAS, otherExtras);
        }
        Map<String, List<Object>> devices = new LinkedHashMap<>();
        // Devices of one class keep their order only if they all travel in the same member.
        Map<Integer, List<DeviceConfig>> byClass = new LinkedHashMap<>();
        for (DeviceConfig device : config.devices()) {
            byClass.computeIfAbsent(Devices.rank(device.deviceClass()), r -> new ArrayList<>()).add(device);
        }
        for (List<DeviceConfig> group : byClass.values()) {
            List<Map<String, Object>> structs = new ArrayList<>();
            for (DeviceConfig device : group) {
                structs.add(apiStruct(device));
            }
            boolean asApi = !structs.contains(null);
            for (int i = 0; i < group.size(); i++) {
                DeviceConfig device = group.get(i);
                String member = asApi ? apiMember(device.deviceClass()) : XEND_DEVICES;
                devices.computeIfAbsent(member, m -> new ArrayList<>()).add(asApi ? structs.get(i) : xendDevice(device));
            }
        }
        record.putAll(devices);
        return record;
    }

    /** The device as the struct of its Xen API class, or null if it has none or would not read back the same. */
    private static Map<String, Object> apiStruct(DeviceConfig device) {
        return switch (device.deviceClass()) {
            case Devices.VBD, Devices.TAP -> DeviceRecords.vbdToRecord(device);
            case Devices.VIF -> DeviceRecords.vifToRecord(device);
            case Devices.VTPM -> DeviceRecords.vtpmToRecord(device);
            case Devices.CONSOLE -> DeviceRecords.consoleToRecord(device);
            default -> null;
        };
    }

    private static String apiMember(String deviceClass) {
        return switch (deviceClass) {
            case Devices.VIF -> VIFS;
            case Devices.VTPM -> VTPMS;
            case Devices.CONSOLE -> CONSOLES;
            default -> VBDS;
        };
    }

    private static Map<String, Object> xendDevice(DeviceConfig device) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("class", device.deviceClass());
        struct.put("uuid", device.uuid());
        Map<String, String> options = new LinkedHashMap<>(device.options());
        options.remove("uuid");
        struct.put("options", options);
        return struct;
    }

    private static Object recordValue(VmField field, Object value) {
        Object checked = switch (field.kind()) {
            case STRING -> value instanceof String ? value : null;
            case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte ? ((Number) value).longValue() : null;
            case BOOLEAN -> value instanceof Boolean ? value : null;
            case MAP -> {
                if (!(value instanceof Map<?, ?> map)) {
                    yield null;
                }
                Map<String, String> strings = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (entry.getKey() != null && entry.getValue() != null) {
                        strings.put(entry.getKey().toString(), entry.getValue().toString());
                    }
                }
                yield strings;
            }
        };
        if (checked == null) {
            throw new IllegalArgumentException("VM field " + field.apiName() + " must be of kind " + field.kind()
                    + ", not " + value.getClass().getSimpleName() + " " + value);
        }
        return checked;
    }
}
