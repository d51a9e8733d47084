package org.xend.config.python;

import static org.xend.config.sxp.DomainSxpKeys.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.model.Devices;
import org.xend.config.sxp.Sxp;
import org.xend.config.sxp.VmField;

/**
 * Writes a {@link VmConfig} as an xm configuration file. What xm's own keys can say is written with them
 * ({@code name}, {@code memory} in MiB, {@code vcpus}, {@code on_crash}, {@code kernel}, {@code disk} specs …);
 * the rest goes into the {@code xend} dict that {@link XmConfigReader} reads back. The file is read back
 * before it is returned, and every field, extra or device list that does not read back equal is moved into the
 * {@code xend} dict, so reading the result gives the configuration that was written.
 */
final class XmConfigWriter {

    private static final Logger LOG = LoggerFactory.getLogger(XmConfigWriter.class);

    private static final String HEADER = """
            # Xen domain configuration in xm's Python syntax, written by Xend.
            # It is read as data and never executed; the 'xend' dict keeps what xm's own keys cannot say.
            """;
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d{0,17})");
    private static final Pattern UNAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*:[^,]*|");
    private static final Pattern PCI_DEV = Pattern.compile(
            "\\(dev \\(domain 0x([0-9a-fA-F]{1,4})\\) \\(bus 0x([0-9a-fA-F]{1,2})\\) \\(slot 0x([0-9a-fA-F]{1,2})\\)"
                    + " \\(func 0x([0-7])\\)\\)");
    private static final Set<String> VIF_KEYS = Set.of(
            "backend", "bridge", "ip", "mac", "script", "type", "vifname", "rate", "model", "accel", "policy",
            "label", "mtu");
    private static final Set<String> VFB_KEYS = Set.of(
            "type", "vnc", "sdl", "vncunused", "vncdisplay", "vnclisten", "vncpasswd", "display", "xauthority",
            "keymap", "opengl");
    private static final List<String> INT_EXTRAS = List.of("shadow_memory", "vcpu_avail", "cpu", "cpu_cap",
            "cpu_weight");
    private static final List<String> STRING_EXTRAS = List.of(CPUS, "features", ON_XEND_START, ON_XEND_STOP);
    private static final List<String> BACKENDS = List.of("blkif", "netif", "tpmif");
    private static final int MAX_ATTEMPTS = 4;

    private final VmConfig config;
    private final Set<String> explicitFields = new HashSet<>();
    private final Set<String> explicitExtras = new HashSet<>();
    private boolean explicitDevices;

    private XmConfigWriter(VmConfig config) {
        this.config = config;
    }

    static String write(VmConfig config) {
        return new XmConfigWriter(config).write();
    }

    private String write() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String text = render(build(false));
            VmConfig back;
            try {
                back = PythonConfigFormat.readText(text, Map.of());
            } catch (ConfigException notReadable) {
                LOG.debug("The xm form does not read back ({}); writing everything in the xend dict",
                        notReadable.getMessage());
                break;
            }
            if (back.equals(config)) {
                return text;
            }
            if (!reconcile(back)) {
                break;
            }
        }
        return render(build(true));
    }

    /** Moves what did not read back equal into the xend dict; false if there was nothing left to move. */
    private boolean reconcile(VmConfig back) {
        boolean changed = false;
        Set<String> names = new HashSet<>(config.fields().keySet());
        names.addAll(back.fields().keySet());
        for (String name : names) {
            if (!Objects.equals(config.fields().get(name), back.fields().get(name)) && explicitFields.add(name)) {
                changed = true;
            }
        }
        Set<String> keys = new HashSet<>(config.extras().keySet());
        keys.addAll(back.extras().keySet());
        for (String key : keys) {
            if (!Objects.equals(config.extras().get(key), back.extras().get(key)) && explicitExtras.add(key)) {
                changed = true;
            }
        }
        if (!config.devices().equals(back.devices()) && !explicitDevices) {
            explicitDevices = true;
            changed = true;
        }
        return changed;
    }

    // ---- building -------------------------------------------------------------------------------------------

    /** The variables of the file; with {@code everything} set, all of it in the xend dict. */
    private Map<String, Object> build(boolean everything) {
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, String> extras = new LinkedHashMap<>();
        for (VmField field : VmField.values()) {
            Object value = config.fields().get(field.apiName());
            if (value != null && (everything || explicitFields.contains(field.apiName()) || !xmField(field))) {
                fields.put(field.apiName(), fieldValue(field, value));
            }
        }
        if (!everything) {
            writeFields(vars, fields);
        }
        Map<String, Object> extraVars = new LinkedHashMap<>();
        for (Map.Entry<String, String> extra : config.extras().entrySet()) {
            if (RESERVED_KEYS.contains(extra.getKey())) {
                LOG.warn("Not writing extra {}={}: the key has a meaning of its own", extra.getKey(), extra.getValue());
                continue;
            }
            if (everything || explicitExtras.contains(extra.getKey()) || !xmExtra(extra.getKey(), extra.getValue(),
                    extraVars)) {
                extras.put(extra.getKey(), extra.getValue());
            }
        }
        Map<String, Object> xend = new LinkedHashMap<>();
        if (!fields.isEmpty()) {
            xend.put(XmConfigReader.XEND_FIELDS, fields);
        }
        if (!extras.isEmpty()) {
            xend.put(XmConfigReader.XEND_EXTRAS, extras);
        }
        vars.putAll(extraVars);
        Map<String, Object> deviceVars = everything || explicitDevices ? null : xmDevices();
        if (deviceVars != null) {
            vars.putAll(deviceVars);
            if (!config.devices().isEmpty()) {
                xend.put(XmConfigReader.XEND_DEVICE_UUIDS, config.devices().stream().map(DeviceConfig::uuid).toList());
            }
        } else if (!config.devices().isEmpty()) {
            List<Object> devices = new ArrayList<>();
            for (DeviceConfig device : config.devices()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("class", device.deviceClass());
                entry.put("uuid", device.uuid());
                Map<String, String> options = new LinkedHashMap<>(device.options());
                // The device's uuid is its own entry.
                options.remove(UUID);
                entry.put("options", options);
                devices.add(entry);
            }
            xend.put(XmConfigReader.XEND_DEVICES, devices);
        }
        if (!xend.isEmpty()) {
            vars.put(XmConfigReader.XEND, xend);
        }
        return vars;
    }

    /** Whether a field is one xm's keys carry (it may still be moved to the xend dict after the read-back). */
    private static boolean xmField(VmField field) {
        return switch (field) {
            case UUID, NAME_LABEL, MEMORY_STATIC_MAX, MEMORY_DYNAMIC_MAX, MEMORY_DYNAMIC_MIN, MEMORY_STATIC_MIN,
                    VCPUS_MAX, VCPUS_AT_STARTUP, ACTIONS_AFTER_SHUTDOWN, ACTIONS_AFTER_REBOOT, ACTIONS_AFTER_CRASH,
                    PV_BOOTLOADER, PV_BOOTLOADER_ARGS, PV_KERNEL, PV_RAMDISK, PV_ARGS, HVM_BOOT_POLICY,
                    HVM_BOOT_PARAMS, PLATFORM -> true;
            default -> false;
        };
    }

    /** xm's keys for the fields not already in {@code explicit}; fields they cannot carry join {@code explicit}. */
    private void writeFields(Map<String, Object> vars, Map<String, Object> explicit) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (VmField field : VmField.values()) {
            Object value = config.fields().get(field.apiName());
            if (value != null && !explicit.containsKey(field.apiName())) {
                f.put(field.apiName(), fieldValue(field, value));
            }
        }
        putString(vars, NAME, f.remove(VmField.NAME_LABEL.apiName()), explicit, VmField.NAME_LABEL, true);
        putString(vars, UUID, f.remove(VmField.UUID.apiName()), explicit, VmField.UUID, false);
        writeImageType(vars, f, explicit);
        writeMemory(vars, f, explicit);
        writeVcpus(vars, f, explicit);
        writeAction(vars, ON_POWEROFF, VmField.ACTIONS_AFTER_SHUTDOWN, f, explicit);
        writeAction(vars, ON_REBOOT, VmField.ACTIONS_AFTER_REBOOT, f, explicit);
        writeAction(vars, ON_CRASH, VmField.ACTIONS_AFTER_CRASH, f, explicit);
        Object bootloader = f.remove(VmField.PV_BOOTLOADER.apiName());
        Object bootArgs = f.remove(VmField.PV_BOOTLOADER_ARGS.apiName());
        if (putString(vars, BOOTLOADER, bootloader, explicit, VmField.PV_BOOTLOADER, true)) {
            putString(vars, "bootargs", bootArgs, explicit, VmField.PV_BOOTLOADER_ARGS, false);
        } else if (bootArgs != null) {
            explicit.put(VmField.PV_BOOTLOADER_ARGS.apiName(), bootArgs);
        }
        putString(vars, KERNEL, f.remove(VmField.PV_KERNEL.apiName()), explicit, VmField.PV_KERNEL, true);
        putString(vars, RAMDISK, f.remove(VmField.PV_RAMDISK.apiName()), explicit, VmField.PV_RAMDISK, true);
        putString(vars, "extra", f.remove(VmField.PV_ARGS.apiName()), explicit, VmField.PV_ARGS, true);
        writePlatform(vars, f, explicit);
        for (Map.Entry<String, Object> rest : f.entrySet()) {
            explicit.put(rest.getKey(), rest.getValue());
        }
    }

    /** Puts a string field under an xm key; xm sent some keys only when non-empty. */
    private static boolean putString(Map<String, Object> vars, String key, Object value, Map<String, Object> explicit,
            VmField field, boolean onlyNonEmpty) {
        if (value == null) {
            return false;
        }
        if (onlyNonEmpty && ((String) value).isEmpty()) {
            explicit.put(field.apiName(), value);
            return false;
        }
        vars.put(key, value);
        return true;
    }

    private void writeImageType(Map<String, Object> vars, Map<String, Object> f, Map<String, Object> explicit) {
        Object policy = f.remove(VmField.HVM_BOOT_POLICY.apiName());
        Object params = f.remove(VmField.HVM_BOOT_PARAMS.apiName());
        if (BIOS_ORDER.equals(policy)) {
            vars.put("builder", IMAGE_HVM);
            Map<?, ?> boot = (Map<?, ?>) params;
            if (boot != null && boot.size() == 1 && boot.get(HVM_ORDER) != null) {
                vars.put(BOOT, boot.get(HVM_ORDER));
            } else if (boot != null) {
                explicit.put(VmField.HVM_BOOT_PARAMS.apiName(), params);
            }
        } else {
            if (policy != null) {
                explicit.put(VmField.HVM_BOOT_POLICY.apiName(), policy);
            }
            if (params != null) {
                explicit.put(VmField.HVM_BOOT_PARAMS.apiName(), params);
            }
        }
    }

    /** {@code memory} (and {@code maxmem}) in MiB say all four memory fields when xm's rule gives them. */
    private static void writeMemory(Map<String, Object> vars, Map<String, Object> f, Map<String, Object> explicit) {
        Long staticMin = (Long) f.remove(VmField.MEMORY_STATIC_MIN.apiName());
        Long staticMax = (Long) f.remove(VmField.MEMORY_STATIC_MAX.apiName());
        Long dynamicMin = (Long) f.remove(VmField.MEMORY_DYNAMIC_MIN.apiName());
        Long dynamicMax = (Long) f.remove(VmField.MEMORY_DYNAMIC_MAX.apiName());
        boolean byMemory = staticMin != null && staticMax != null && dynamicMin != null && dynamicMax != null
                && staticMin == 0 && dynamicMin.equals(dynamicMax) && wholeMib(dynamicMax) && wholeMib(staticMax);
        boolean byMaxmemOnly = staticMin == null && dynamicMin == null && dynamicMax == null && staticMax != null
                && wholeMib(staticMax);
        if (byMemory) {
            vars.put(MEMORY, dynamicMax / MIB);
            if (!staticMax.equals(dynamicMax)) {
                vars.put(MAXMEM, staticMax / MIB);
            }
        } else if (byMaxmemOnly) {
            vars.put(MAXMEM, staticMax / MIB);
        } else {
            putIfNotNull(explicit, VmField.MEMORY_STATIC_MAX, staticMax);
            putIfNotNull(explicit, VmField.MEMORY_DYNAMIC_MAX, dynamicMax);
            putIfNotNull(explicit, VmField.MEMORY_DYNAMIC_MIN, dynamicMin);
            putIfNotNull(explicit, VmField.MEMORY_STATIC_MIN, staticMin);
        }
    }

    private static boolean wholeMib(long bytes) {
        return bytes > 0 && bytes % MIB == 0;
    }

    /** {@code vcpus}, or xl's {@code maxvcpus} and {@code vcpus} when fewer are started than the maximum. */
    private static void writeVcpus(Map<String, Object> vars, Map<String, Object> f, Map<String, Object> explicit) {
        Long max = (Long) f.remove(VmField.VCPUS_MAX.apiName());
        Long atStartup = (Long) f.remove(VmField.VCPUS_AT_STARTUP.apiName());
        if (max != null && atStartup != null && max > 0 && atStartup > 0 && atStartup <= max) {
            if (atStartup.equals(max)) {
                vars.put(VCPUS, max);
            } else {
                vars.put("maxvcpus", max);
                vars.put(VCPUS, atStartup);
            }
        } else {
            putIfNotNull(explicit, VmField.VCPUS_MAX, max);
            putIfNotNull(explicit, VmField.VCPUS_AT_STARTUP, atStartup);
        }
    }

    private static void writeAction(Map<String, Object> vars, String key, VmField field, Map<String, Object> f,
            Map<String, Object> explicit) {
        Object action = f.remove(field.apiName());
        if (action == null) {
            return;
        }
        String legacy = switch ((String) action) {
            case "rename_restart" -> "rename-restart";
            case "coredump_and_destroy" -> "coredump-destroy";
            case "coredump_and_restart" -> "coredump-restart";
            default -> (String) action;
        };
        if (legacy.isEmpty()) {
            explicit.put(field.apiName(), action);
        } else {
            vars.put(key, legacy);
        }
    }

    /** An HVM guest's platform keys are xm keys; a PV guest has only localtime, and the image type. */
    private static void writePlatform(Map<String, Object> vars, Map<String, Object> f, Map<String, Object> explicit) {
        Object value = f.remove(VmField.PLATFORM.apiName());
        if (value == null) {
            return;
        }
        Map<?, ?> platform = (Map<?, ?>) value;
        boolean hvm = IMAGE_HVM.equals(vars.get("builder"));
        Map<String, Object> keys = new LinkedHashMap<>();
        boolean expressible = !platform.isEmpty();
        for (Map.Entry<?, ?> entry : platform.entrySet()) {
            String key = entry.getKey().toString();
            String setting = entry.getValue().toString();
            if (key.equals(IMAGE_TYPE) && !hvm && !vars.containsKey("builder") && setting.matches("[A-Za-z0-9_.-]+")
                    && !setting.equals(IMAGE_LINUX) && !setting.equals(IMAGE_HVM)) {
                vars.put("builder", setting);
            } else if (!key.equals(BOOT) && PLATFORM_KEYS.contains(key) && (hvm || key.equals(LOCALTIME))
                    && !setting.isEmpty()) {
                keys.put(key, DECIMAL.matcher(setting).matches() ? (Object) Long.valueOf(setting) : setting);
            } else {
                expressible = false;
            }
        }
        if (expressible) {
            vars.putAll(keys);
        } else {
            vars.remove("builder", platform.get(IMAGE_TYPE));
            explicit.put(VmField.PLATFORM.apiName(), value);
        }
    }

    private static void putIfNotNull(Map<String, Object> explicit, VmField field, Object value) {
        if (value != null) {
            explicit.put(field.apiName(), value);
        }
    }

    /** An extra under its xm key, if it has one and the value has the form that key takes. */
    private static boolean xmExtra(String key, String value, Map<String, Object> vars) {
        if (INT_EXTRAS.contains(key) && DECIMAL.matcher(value).matches()) {
            vars.put(key, Long.valueOf(value));
            return true;
        }
        if (STRING_EXTRAS.contains(key)) {
            vars.put(key, value);
            return true;
        }
        if (key.equals("security")) {
            List<Object> labels = structuredValue("security", value);
            if (labels == null || labels.size() != 1 || !(labels.get(0) instanceof List<?> security)
                    || security.size() != 2 || !Sxp.isElement(security.get(1), "access_control")) {
                return false;
            }
            List<?> control = (List<?>) security.get(1);
            Object policy = Sxp.childValue(control, "policy");
            Object label = Sxp.childValue(control, "label");
            if (control.size() != 3 || !(policy instanceof String) || !(label instanceof String)) {
                return false;
            }
            vars.put("access_control", List.of("policy=" + policy + ",label=" + label));
            return true;
        }
        if (key.equals("backend")) {
            List<Object> backends = structuredValue("backend", value);
            if (backends == null) {
                return false;
            }
            for (Object backend : backends) {
                if (!(backend instanceof List<?> entry) || entry.size() != 2 || !(entry.get(1) instanceof List<?> kind)
                        || kind.size() != 1 || !BACKENDS.contains(kind.get(0))) {
                    return false;
                }
                vars.put((String) kind.get(0), 1L);
            }
            return true;
        }
        return false;
    }

    // ---- devices --------------------------------------------------------------------------------------------

    /** The devices as xm's keys, or null when some device has no xm spec. */
    private Map<String, Object> xmDevices() {
        Map<String, List<Object>> lists = new LinkedHashMap<>();
        List<String> pci = new ArrayList<>();
        int keyboards = 0;
        int pciDevices = 0;
        for (DeviceConfig device : config.devices()) {
            Map<String, String> options = device.options();
            String spec;
            String key;
            switch (device.deviceClass()) {
                case Devices.VBD, Devices.TAP -> {
                    key = "disk";
                    spec = diskSpec(device);
                }
                case Devices.VIF -> {
                    key = "vif";
                    spec = keyValueSpec(options, VIF_KEYS);
                    if ("vif".equals(options.get("type"))) {
                        spec = null;
                    }
                }
                case Devices.VTPM -> {
                    key = "vtpm";
                    spec = vtpmSpec(options);
                }
                case Devices.VKBD -> {
                    keyboards++;
                    key = null;
                    spec = options.isEmpty() ? "" : null;
                }
                case Devices.VFB -> {
                    key = "vfb";
                    // xl's vnc=1 and sdl=1 without a type read back as a type.
                    spec = options.containsKey("type") || !(options.containsKey("vnc") || options.containsKey("sdl"))
                            ? keyValueSpec(options, VFB_KEYS) : null;
                    keyboards--;
                }
                case Devices.PCI -> {
                    key = null;
                    pciDevices++;
                    spec = pciSpecs(options, pci) ? "" : null;
                }
                case Devices.IOPORTS -> {
                    key = "ioports";
                    spec = ioportsSpec(options);
                }
                case Devices.IRQ -> {
                    key = "irq";
                    String irq = options.size() == 1 ? options.get("irq") : null;
                    spec = irq != null && irq.matches("[1-9]\\d{0,3}|0") ? irq : null;
                }
                case Devices.USBPORT -> {
                    key = "usbport";
                    String path = options.size() == 1 ? options.get("path") : null;
                    spec = path != null && !path.isBlank() && path.strip().equals(path) ? path : null;
                }
                default -> {
                    key = null;
                    spec = null;
                }
            }
            if (spec == null || keyboards < 0 || pciDevices > 1) {
                return null;
            }
            if (key != null) {
                lists.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(key.equals("irq") ? (Object) Long.valueOf(spec) : spec);
            }
        }
        if (keyboards != 0 || lists.getOrDefault("vtpm", List.of()).size() > 1) {
            return null;
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String key : List.of("disk", "pci", "ioports", "irq", "vif", "vtpm", "vfb", "usbport")) {
            if (key.equals("pci") && !pci.isEmpty()) {
                vars.put(key, List.copyOf(pci));
            } else if (lists.containsKey(key)) {
                vars.put(key, lists.get(key));
            }
        }
        return vars;
    }

    private static String diskSpec(DeviceConfig device) {
        Map<String, String> options = device.options();
        String uname = options.get("uname");
        String dev = options.get("dev");
        String mode = options.get("mode");
        String backend = options.get("backend");
        int expected = backend == null ? 3 : 4;
        if (uname == null || dev == null || mode == null || options.size() != expected
                || !UNAME.matcher(uname).matches() || !Devices.diskClass(uname).equals(device.deviceClass())
                || !Set.of("r", "w", "w!").contains(mode) || !plain(dev) || dev.isEmpty()
                || (backend != null && (!plain(backend) || backend.isEmpty())) || !uname.strip().equals(uname)) {
            return null;
        }
        return uname + "," + dev + "," + mode + (backend == null ? "" : "," + backend);
    }

    private static String keyValueSpec(Map<String, String> options, Set<String> keys) {
        List<String> items = new ArrayList<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (!keys.contains(option.getKey()) || !plain(option.getValue())) {
                return null;
            }
            items.add(option.getKey() + "=" + option.getValue());
        }
        return String.join(",", items);
    }

    private static String vtpmSpec(Map<String, String> options) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            switch (option.getKey()) {
                case "pref_instance" -> {
                    String instance = option.getValue();
                    if (!instance.matches("[1-9]\\d{0,8}|0")) {
                        return null;
                    }
                    settings.put("instance", instance.equals("0") ? "VTPMD" : instance);
                }
                case "backend", "type" -> settings.put(option.getKey(), option.getValue());
                default -> {
                    return null;
                }
            }
        }
        return keyValueSpec(settings, Set.of("instance", "backend", "type"));
    }

    private static boolean pciSpecs(Map<String, String> options, List<String> specs) {
        String devs = options.get("dev");
        if (options.size() != 1 || devs == null) {
            return false;
        }
        Matcher m = PCI_DEV.matcher(devs);
        int end = 0;
        while (m.find() && m.start() == end) {
            specs.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3) + "." + m.group(4));
            end = m.end() < devs.length() && devs.charAt(m.end()) == ' ' ? m.end() + 1 : m.end();
        }
        return end == devs.length() && !specs.isEmpty();
    }

    private static String ioportsSpec(Map<String, String> options) {
        String from = options.get("from");
        String to = options.get("to");
        if (options.size() != 2 || from == null || to == null || !from.matches("0x[0-9a-fA-F]{1,4}")
                || !to.matches("0x[0-9a-fA-F]{1,4}")) {
            return null;
        }
        return from.substring(2) + "-" + to.substring(2);
    }

    /** A value a comma-separated spec can hold as it is (the reader strips spaces around values). */
    private static boolean plain(String value) {
        return !value.contains(",") && value.strip().equals(value);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** The field's value in the Java type of its kind, checked. */
    private static Object fieldValue(VmField field, Object value) {
        boolean right = switch (field.kind()) {
            case STRING -> value instanceof String;
            case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte || value instanceof BigInteger b && b.bitLength() < 64;
            case BOOLEAN -> value instanceof Boolean;
            case MAP -> value instanceof Map<?, ?>;
        };
        if (!right) {
            throw new IllegalArgumentException("VM field " + field.apiName() + " must be of kind " + field.kind()
                    + ", not " + value.getClass().getSimpleName() + " " + value);
        }
        if (field.kind() == VmField.Kind.LONG) {
            return ((Number) value).longValue();
        }
        if (field.kind() == VmField.Kind.MAP) {
            Map<String, String> map = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (entry.getKey() != null && entry.getValue() != null) {
                    map.put(entry.getKey().toString(), entry.getValue().toString());
                }
            }
            return map;
        }
        return value;
    }

    // ---- text -----------------------------------------------------------------------------------------------

    private static String render(Map<String, Object> vars) {
        StringBuilder out = new StringBuilder(HEADER);
        for (Map.Entry<String, Object> var : vars.entrySet()) {
            out.append(var.getKey()).append(" = ");
            literal(out, var.getValue(), 0);
            out.append('\n');
        }
        return out.toString();
    }

    /** A list or dict of more than one item, which is written one item per line. */
    private static boolean large(Object value) {
        return value instanceof List<?> list && list.size() > 1 || value instanceof Map<?, ?> map && map.size() > 1;
    }

    /** A Python literal; lists and dicts that hold more than one item get one item per line. */
    private static void literal(StringBuilder out, Object value, int indent) {
        if (value instanceof String s) {
            PyValues.appendStringRepr(out, s);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof List<?> list) {
            if (list.size() <= 1 && !(list.size() == 1 && large(list.get(0)))) {
                out.append('[');
                for (Object item : list) {
                    literal(out, item, indent);
                }
                out.append(']');
                return;
            }
            out.append("[\n");
            for (Object item : list) {
                out.append(" ".repeat(indent + 4));
                literal(out, item, indent + 4);
                out.append(",\n");
            }
            out.append(" ".repeat(indent)).append(']');
        } else if (value instanceof Map<?, ?> map) {
            if (map.size() <= 1 && !(map.size() == 1 && large(map.values().iterator().next()))) {
                out.append('{');
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    literal(out, entry.getKey(), indent);
                    out.append(": ");
                    literal(out, entry.getValue(), indent);
                }
                out.append('}');
                return;
            }
            out.append("{\n");
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(" ".repeat(indent + 4));
                literal(out, entry.getKey(), indent + 4);
                out.append(": ");
                literal(out, entry.getValue(), indent + 4);
                out.append(",\n");
            }
            out.append(" ".repeat(indent)).append('}');
        } else {
            throw new IllegalStateException("not a literal: " + value);
        }
    }
}
