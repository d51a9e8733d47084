package org.xend.config.sxp;

import static org.xend.config.sxp.DomainSxpKeys.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.model.CpuList;
import org.xend.config.model.Devices;

/**
 * Turns Xend's domain SXP, {@code (domain …)} as Xend stores and lists it or {@code (vm …)} as xm sends it,
 * into a {@link VmConfig}, with the mapping of {@code XendConfig.py}: legacy keys fill the Xen API fields, and
 * a Xen API key present in the SXP wins over the legacy key for the same field. Keys that are not
 * configuration (domid, state, …) are dropped; every other unknown key is kept in {@code extras}.
 *
 * <p>Devices come in the canonical order of {@link Devices} (by class, keeping the order within a class), a
 * disk's {@code dev} without the redundant {@code :disk}; {@code cpus} in the canonical form of {@link CpuList}.
 *
 * <p>A value that is not a single atom (a nested list, several values, a repeated key) is kept in
 * {@code extras} or in a device's options as the printed form of its lists, e.g. a pci device's option
 * {@code dev} = {@code (dev (domain 0x0) (bus 0x00) (slot 0x02) (func 0x1)) (dev …)}.
 */
public final class DomainSxpReader {

    private static final Logger LOG = LoggerFactory.getLogger(DomainSxpReader.class);

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern IP_ARG = Pattern.compile("ip=[^ ]+");

    private final Map<String, List<List<Object>>> entries = new LinkedHashMap<>();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private DomainSxpReader() {
    }

    /** Reads a parsed {@code (domain …)} or {@code (vm …)} value. */
    public static VmConfig read(Object sxp) throws ConfigException {
        return new DomainSxpReader().convert(sxp);
    }

    private VmConfig convert(Object sxp) throws ConfigException {
        String root = Sxp.name(sxp);
        if (!(sxp instanceof List<?>) || !(DOMAIN.equals(root) || VM.equals(root))) {
            throw new ConfigException("expected a (domain …) or (vm …) list, got " + describe(sxp));
        }
        for (Object child : Sxp.children(sxp)) {
            String key = Sxp.name(child);
            if (child instanceof List<?> && key != null) {
                entries.computeIfAbsent(key, k -> new ArrayList<>()).add(Sxp.listOf((List<?>) child));
            } else {
                LOG.debug("Ignoring {} in ({} …): not a (key value) entry", describe(child), root);
            }
        }
        readApiFields();
        boolean vcpusFromApi = !absent(VmField.VCPUS_MAX) || !absent(VmField.VCPUS_AT_STARTUP);
        readLegacyKeys();
        readImage(vcpusFromApi);
        if (!fields.containsKey(VmField.UUID.apiName())) {
            fields.put(VmField.UUID.apiName(), java.util.UUID.randomUUID().toString());
        }
        List<DeviceConfig> devices = readDevices();
        Map<String, String> extras = readExtras();
        return new VmConfig(orderedFields(), extras, devices);
    }

    // ---- Xen API keys ---------------------------------------------------------------------------------------

    private void readApiFields() throws ConfigException {
        for (VmField field : VmField.values()) {
            List<Object> entry = first(field.sxpName());
            if (entry == null) {
                entry = first(field.apiName());
            }
            if (entry == null) {
                continue;
            }
            Object value = valueOf(entry);
            Object converted = switch (field.kind()) {
                case STRING -> string(field.apiName(), value);
                case LONG -> value == null ? null : integer(field.apiName(), value);
                case BOOLEAN -> value == null ? null : bool(field.apiName(), value);
                case MAP -> map(field.apiName(), value);
            };
            if (converted != null) {
                fields.put(field.apiName(), converted);
            }
        }
        String uuid = (String) fields.get(VmField.UUID.apiName());
        if (uuid != null) {
            fields.put(VmField.UUID.apiName(), normaliseUuid(uuid));
        }
        for (VmField action : List.of(VmField.ACTIONS_AFTER_SHUTDOWN, VmField.ACTIONS_AFTER_REBOOT,
                VmField.ACTIONS_AFTER_CRASH)) {
            String value = (String) fields.get(action.apiName());
            if (value != null && value.isEmpty()) {
                // Xend writes an unset value as (key ), which its reader takes as absent.
                fields.remove(action.apiName());
            } else if (value != null) {
                fields.put(action.apiName(), action(action.apiName(), value));
            }
        }
    }

    // ---- legacy keys ----------------------------------------------------------------------------------------

    private void readLegacyKeys() throws ConfigException {
        fillString(VmField.NAME_LABEL, NAME);
        fillString(VmField.PV_BOOTLOADER, BOOTLOADER);
        fillString(VmField.PV_BOOTLOADER_ARGS, BOOTLOADER_ARGS);
        readLegacyActions();
        // vcpus and memory/maxmem each stand for a group of API fields: they count only when the SXP has
        // none of that group, so a file that states the group in API keys reads back exactly as written.
        if (absent(VmField.VCPUS_MAX) && absent(VmField.VCPUS_AT_STARTUP)) {
            Object vcpus = legacyValue(VCPUS);
            if (vcpus != null) {
                setVcpus(integer(VCPUS, vcpus));
            }
        }
        if (absent(VmField.MEMORY_STATIC_MIN) && absent(VmField.MEMORY_STATIC_MAX)
                && absent(VmField.MEMORY_DYNAMIC_MIN) && absent(VmField.MEMORY_DYNAMIC_MAX)) {
            readLegacyMemory();
        }
    }

    private void readLegacyActions() throws ConfigException {
        String[] fromRestart = restartOption();
        String[] legacyKeys = {ON_POWEROFF, ON_REBOOT, ON_CRASH};
        VmField[] targets = {VmField.ACTIONS_AFTER_SHUTDOWN, VmField.ACTIONS_AFTER_REBOOT,
                VmField.ACTIONS_AFTER_CRASH};
        for (int i = 0; i < targets.length; i++) {
            if (!absent(targets[i])) {
                continue;
            }
            Object value = legacyValue(legacyKeys[i]);
            if (value != null && !"".equals(value)) {
                fields.put(targets[i].apiName(), action(legacyKeys[i], string(legacyKeys[i], value)));
            } else if (fromRestart != null) {
                fields.put(targets[i].apiName(), fromRestart[i]);
            }
        }
    }

    /** xm's deprecated {@code restart}: poweroff, reboot and crash actions it stands for, or null. */
    private String[] restartOption() throws ConfigException {
        Object value = legacyValue(RESTART);
        if (value == null) {
            return null;
        }
        String restart = string(RESTART, value);
        return switch (restart) {
            case "onreboot" -> new String[] {"destroy", "restart", "destroy"};
            case "always" -> new String[] {"restart", "restart", "restart"};
            // Xend stored the word "never", which its own validation then refused; "never restart" is destroy.
            case "never" -> new String[] {"destroy", "destroy", "destroy"};
            default -> throw invalid(RESTART, restart, "expected onreboot, always or never");
        };
    }

    private void readLegacyMemory() throws ConfigException {
        Object memory = legacyValue(MEMORY);
        Object maxmem = legacyValue(MAXMEM);
        if (memory != null) {
            long bytes = mebibytes(MEMORY, memory);
            put(VmField.MEMORY_STATIC_MIN, 0L);
            put(VmField.MEMORY_STATIC_MAX, bytes);
            put(VmField.MEMORY_DYNAMIC_MIN, bytes);
            put(VmField.MEMORY_DYNAMIC_MAX, bytes);
        }
        if (maxmem != null) {
            put(VmField.MEMORY_STATIC_MAX, mebibytes(MAXMEM, maxmem));
        }
    }

    private long mebibytes(String key, Object value) throws ConfigException {
        long mib = integer(key, value);
        try {
            return Math.multiplyExact(mib, MIB);
        } catch (ArithmeticException overflow) {
            throw invalid(key, value, "too large a number of MiB");
        }
    }

    private void setVcpus(long vcpus) {
        put(VmField.VCPUS_MAX, vcpus);
        put(VmField.VCPUS_AT_STARTUP, vcpus);
    }

    private void fillString(VmField field, String legacyKey) throws ConfigException {
        List<Object> entry = first(legacyKey);
        if (entry != null && absent(field)) {
            fields.put(field.apiName(), string(legacyKey, valueOf(entry)));
        }
    }

    // ---- image ----------------------------------------------------------------------------------------------

    /** The image's kernel, args, boot order, platform keys and vcpus; the vcpus only if the API keys were absent. */
    private void readImage(boolean vcpusFromApi) throws ConfigException {
        Object image = legacyValue(IMAGE);
        boolean platformApiKey = !absent(VmField.PLATFORM);
        Map<String, String> platform = new LinkedHashMap<>();
        Object localtime = legacyValue(LOCALTIME);
        if (localtime != null) {
            platform.put(LOCALTIME, string(LOCALTIME, localtime));
        }
        for (String key : PLATFORM_KEYS) {
            Object value = legacyValue(PLATFORM_PREFIX + key);
            if (value != null) {
                platform.put(key, platformValue(value));
            }
        }
        if (image != null) {
            String type = Sxp.name(image);
            if (type == null) {
                throw invalid(IMAGE, image, "expected (linux …), (hvm …) or another image type");
            }
            fillImageString(VmField.PV_KERNEL, image, KERNEL);
            fillImageString(VmField.PV_RAMDISK, image, RAMDISK);
            if (absent(VmField.PV_ARGS) && hasAny(image, ARGS, ROOT, IP)) {
                fields.put(VmField.PV_ARGS.apiName(), kernelArgs(image));
            }
            Object boot = Sxp.childValue(image, BOOT);
            if (IMAGE_HVM.equals(type) || boot != null) {
                setHvmBoot(boot == null ? null : string(IMAGE + "/" + BOOT, boot));
            }
            if (!IMAGE_HVM.equals(type) && !IMAGE_LINUX.equals(type)) {
                platform.put(IMAGE_TYPE, type);
            }
            for (String key : PLATFORM_KEYS) {
                Object value = Sxp.childValue(image, key);
                // The boot order belongs to HVM_boot_params; Xend ignores empty platform values.
                if (value != null && !BOOT.equals(key) && !"".equals(value)) {
                    platform.put(key, platformValue(value));
                }
            }
            Object imageVcpus = Sxp.childValue(image, VCPUS);
            if (imageVcpus != null && !vcpusFromApi) {
                setVcpus(integer(IMAGE + "/" + VCPUS, imageVcpus));
            }
        }
        Object hvmBoot = legacyValue(HVM_BOOT);
        if (hvmBoot != null && !"".equals(hvmBoot)) {
            setHvmBoot(string(HVM_BOOT, hvmBoot));
        }
        if (!platformApiKey && !platform.isEmpty()) {
            fields.put(VmField.PLATFORM.apiName(), Collections.unmodifiableMap(platform));
        }
    }

    private void setHvmBoot(String order) {
        if (absent(VmField.HVM_BOOT_POLICY)) {
            fields.put(VmField.HVM_BOOT_POLICY.apiName(), BIOS_ORDER);
        }
        if (order != null && absent(VmField.HVM_BOOT_PARAMS)) {
            fields.put(VmField.HVM_BOOT_PARAMS.apiName(), Map.of(HVM_ORDER, order));
        }
    }

    private void fillImageString(VmField field, Object image, String key) throws ConfigException {
        if (absent(field) && Sxp.child(image, key) != null) {
            fields.put(field.apiName(), string(IMAGE + "/" + key, Sxp.childValue(image, key)));
        }
    }

    /** Xend puts {@code root=} and {@code ip=} before the user's args, unless the args already set them. */
    private static String kernelArgs(Object image) throws ConfigException {
        String args = string(IMAGE + "/" + ARGS, Sxp.childValue(image, ARGS));
        Object ip = Sxp.childValue(image, IP);
        if (ip != null && !"".equals(ip) && !IP_ARG.matcher(args).find()) {
            args = join("ip=" + string(IMAGE + "/" + IP, ip), args);
        }
        Object root = Sxp.childValue(image, ROOT);
        if (root != null && !"".equals(root) && !args.contains("root=")) {
            args = join("root=" + string(IMAGE + "/" + ROOT, root), args);
        }
        return args;
    }

    private static String join(String first, String rest) {
        return rest.isEmpty() ? first : first + " " + rest;
    }

    private static boolean hasAny(Object image, String... keys) {
        for (String key : keys) {
            if (Sxp.child(image, key) != null) {
                return true;
            }
        }
        return false;
    }

    private static String platformValue(Object value) {
        return value instanceof String s ? s : Sxp.print(value);
    }

    // ---- devices --------------------------------------------------------------------------------------------

    private List<DeviceConfig> readDevices() throws ConfigException {
        List<DeviceConfig> devices = new ArrayList<>();
        for (List<Object> entry : entries.getOrDefault(DEVICE, List.of())) {
            Object device = valueOf(entry);
            String deviceClass = Sxp.name(device);
            if (deviceClass == null) {
                throw invalid(DEVICE, entry, "expected (device (<class> (key value)…))");
            }
            List<?> items = device instanceof List<?> l ? l.subList(1, l.size()) : List.of();
            Map<String, String> options = flatten(DEVICE + "/" + deviceClass, items);
            String uuid = options.remove(UUID);
            if (uuid != null && structuredValue(UUID, uuid) != null) {
                throw invalid(DEVICE + "/" + deviceClass + "/" + UUID, uuid, "expected one uuid");
            }
            if (uuid == null || uuid.isEmpty()) {
                uuid = java.util.UUID.randomUUID().toString();
            }
            devices.add(Devices.canonicalDisk(new DeviceConfig(deviceClass, uuid, options)));
        }
        return Devices.canonicalOrder(devices);
    }

    // ---- extras ---------------------------------------------------------------------------------------------

    private Map<String, String> readExtras() throws ConfigException {
        List<Object> unknown = new ArrayList<>();
        for (Map.Entry<String, List<List<Object>>> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (RESERVED_KEYS.contains(key)) {
                continue;
            }
            unknown.addAll(entry.getValue());
        }
        Map<String, String> extras = flatten("extras", unknown);
        String cpus = extras.get(CPUS);
        if (cpus != null && structuredValue(CPUS, cpus) == null) {
            // xm sent "0-3,^1" and Xend saved its parsed list as "[0, 2, 3]": both become "0,2,3".
            extras.put(CPUS, CpuList.canonical(CPUS, cpus));
        }
        checkEnum(extras, ON_XEND_START, ON_XEND_START_VALUES);
        checkEnum(extras, ON_XEND_STOP, ON_XEND_STOP_VALUES);
        return extras;
    }

    private static void checkEnum(Map<String, String> extras, String key, java.util.Set<String> allowed)
            throws ConfigException {
        String value = extras.get(key);
        if (value != null && !allowed.contains(value)) {
            throw invalid(key, value, "expected one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
    }

    /**
     * Flattens {@code (key value)} entries into a map: a key that occurs once with one atom value (or none,
     * which Xend writes for an empty string) maps to that atom; any other key maps to the printed form of all
     * its entries.
     */
    private static Map<String, String> flatten(String where, List<?> items) {
        Map<String, List<List<?>>> byKey = new LinkedHashMap<>();
        for (Object item : items) {
            String key = Sxp.name(item);
            if (item instanceof List<?> l && key != null) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
            } else {
                LOG.debug("Ignoring {} in {}: not a (key value) entry", describe(item), where);
            }
        }
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, List<List<?>>> entry : byKey.entrySet()) {
            List<List<?>> lists = entry.getValue();
            List<?> only = lists.get(0);
            if (lists.size() == 1 && only.size() == 1) {
                flat.put(entry.getKey(), "");
            } else if (lists.size() == 1 && only.size() == 2 && only.get(1) instanceof String atom) {
                flat.put(entry.getKey(), atom);
            } else {
                flat.put(entry.getKey(), lists.stream().map(Sxp::print).collect(Collectors.joining(" ")));
            }
        }
        return flat;
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private List<Object> first(String key) {
        List<List<Object>> found = entries.get(key);
        return found == null ? null : found.get(0);
    }

    /** Element 1 of the first entry named {@code key}, as Xend's child_value. */
    private Object legacyValue(String key) {
        List<Object> entry = first(key);
        return entry == null ? null : valueOf(entry);
    }

    private static Object valueOf(List<Object> entry) {
        List<Object> values = Sxp.children(entry);
        return values.isEmpty() ? null : values.get(0);
    }

    private boolean absent(VmField field) {
        return !fields.containsKey(field.apiName());
    }

    private void put(VmField field, Object value) {
        fields.put(field.apiName(), value);
    }

    /** A missing value is the empty string: Xend writes {@code (key )} for one. */
    private static String string(String key, Object value) throws ConfigException {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        throw invalid(key, value, "expected a string");
    }

    private static long integer(String key, Object value) throws ConfigException {
        if (!(value instanceof String s)) {
            throw invalid(key, value, "expected an integer");
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException notANumber) {
            throw invalid(key, value, "not an integer");
        }
    }

    private static boolean bool(String key, Object value) throws ConfigException {
        if (value instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1":
                    return true;
                case "false", "0":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(key, value, "not a boolean (True, False, 1 or 0)");
    }

    /** A map is a list of {@code (key value)} pairs: {@code (platform ((acpi 1) (vnc 1)))}, {@code (other_config ())}. */
    private static Map<String, String> map(String key, Object value) throws ConfigException {
        if (value == null || "".equals(value)) {
            return Map.of();
        }
        if (!(value instanceof List<?> pairs)) {
            throw invalid(key, value, "expected a list of (key value) pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Object pair : pairs) {
            if (pair instanceof List<?> p && (p.size() == 1 || p.size() == 2) && p.get(0) instanceof String k
                    && (p.size() == 1 || p.get(1) instanceof String)) {
                map.put(k, p.size() == 1 ? "" : (String) p.get(1));
            } else {
                throw invalid(key, pair, "expected a (key value) pair of strings");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static String action(String key, String value) throws ConfigException {
        String action = apiAction(value);
        if (!ACTIONS.contains(action)) {
            throw invalid(key, value, "expected one of destroy, restart, preserve, rename-restart, "
                    + "coredump_and_destroy, coredump_and_restart");
        }
        return action;
    }

    private static String normaliseUuid(String uuid) throws ConfigException {
        if (!UUID_FORM.matcher(uuid).matches()) {
            throw invalid(UUID, uuid, "not a UUID");
        }
        String hex = uuid.replace("-", "").toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /** Fields in {@link VmField} order, so a read config lists its fields the same way whatever the input order. */
    private Map<String, Object> orderedFields() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (VmField field : VmField.values()) {
            Object value = fields.get(field.apiName());
            if (value != null) {
                ordered.put(field.apiName(), value);
            }
        }
        return ordered;
    }

    private static ConfigException invalid(String key, Object value, String problem) {
        return new ConfigException(key + ": " + problem + ": " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String printed;
        try {
            printed = Sxp.print(value);
        } catch (IllegalArgumentException notSxp) {
            printed = String.valueOf(value);
        }
        return printed.length() > 80 ? printed.substring(0, 77) + "..." : printed;
    }
}
