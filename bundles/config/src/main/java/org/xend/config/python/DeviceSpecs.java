package org.xend.config.python;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.config.model.Devices;
import org.xend.config.sxp.Sxp;

/**
 * The device spec strings of xm and xl configuration files, turned into the {@code (device …)} bodies xm sent
 * to Xend: the same classes and option names the SXP format uses.
 */
final class DeviceSpecs {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceSpecs.class);

    private static final Set<String> XM_MODES = Set.of("r", "w", "w!");
    private static final Pattern XM_UNAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*:.*|");
    private static final Pattern PREFIXED_TARGET =
            Pattern.compile("(phy|file|tap|tap2|drbd|iscsi|nbd|aio|qcow|qcow2|vhd|raw):.*");
    private static final Set<String> TAP_FORMATS = Set.of("aio", "qcow", "qcow2", "vhd");
    private static final List<String> XL_POSITIONS = List.of("target", "format", "vdev", "access");
    private static final Set<String> XL_DISK_KEYS = Set.of(
            "target", "format", "vdev", "access", "devtype", "backend", "backendtype", "script");

    private static final Set<String> VIF_KEYS = Set.of(
            "backend", "bridge", "ip", "mac", "script", "type", "vifname", "rate", "model", "accel", "policy",
            "label", "mtu");
    private static final Set<String> VFB_KEYS = Set.of(
            "type", "vnc", "sdl", "vncunused", "vncdisplay", "vnclisten", "vncpasswd", "display", "xauthority",
            "keymap", "opengl");
    private static final Set<String> VTPM_KEYS = Set.of("instance", "backend", "type");

    private static final Pattern PCI = Pattern.compile(
            "(?:([0-9a-fA-F]{1,4})[:,])?([0-9a-fA-F]{1,2})[:,]([0-9a-fA-F]{1,2})[.,]([0-7])");
    private static final Pattern IOPORTS = Pattern.compile("(?:0[xX])?([0-9a-fA-F]{1,4})(?:-(?:0[xX])?([0-9a-fA-F]{1,4}))?");
    private static final Pattern ACCESS_CONTROL = Pattern.compile("policy=(.*),label=(.*)");

    private DeviceSpecs() {
    }

    // ---- disks ----------------------------------------------------------------------------------------------

    /**
     * A disk: xm's {@code TYPE:PATH,VDEV[:cdrom],MODE[,BACKEND]} or xl's spec, either {@code key=value} settings
     * ({@code target=} last, as it may hold commas) or the positional {@code TARGET,FORMAT,VDEV,ACCESS}.
     */
    static List<Object> disk(String spec) throws ConfigException {
        String[] fields = spec.split(",", -1);
        boolean xl = false;
        for (String field : fields) {
            String f = field.strip();
            if (f.contains("=") || f.equals("cdrom")) {
                xl = true;
            }
        }
        if (!xl && (fields.length == 3 || fields.length == 4) && XM_MODES.contains(fields[2].strip())
                && XM_UNAME.matcher(fields[0].strip()).matches()) {
            return xmDisk(spec, fields);
        }
        if (!xl && (fields.length == 3 || fields.length == 4) && XM_MODES.contains(fields[2].strip())) {
            throw new ConfigException("disk: the device must be TYPE:PATH (phy:, file:, tap:aio: …): '" + spec + "'");
        }
        return xlDisk(spec);
    }

    private static List<Object> xmDisk(String spec, String[] fields) throws ConfigException {
        String uname = fields[0].strip();
        String dev = fields[1].strip();
        String mode = fields[2].strip();
        if (dev.isEmpty() || dev.equals(Devices.CDROM_SUFFIX)) {
            throw new ConfigException("disk: the virtual device (second field) is missing: '" + spec + "'");
        }
        List<Object> vbd = new ArrayList<>(List.of(Devices.diskClass(uname),
                Sxp.list("uname", uname), Sxp.list("dev", Devices.canonicalDev(dev)), Sxp.list("mode", mode)));
        if (fields.length == 4 && !fields[3].isBlank()) {
            vbd.add(Sxp.list("backend", fields[3].strip()));
        }
        return vbd;
    }

    private static List<Object> xlDisk(String spec) throws ConfigException {
        Map<String, String> settings = new LinkedHashMap<>();
        int positional = 0;
        int offset = 0;
        while (offset <= spec.length()) {
            int comma = spec.indexOf(',', offset);
            String field = (comma < 0 ? spec.substring(offset) : spec.substring(offset, comma)).strip();
            if (field.startsWith("target=")) {
                // The target takes the rest of the spec, commas included.
                settings.put("target", spec.substring(spec.indexOf("target=", offset) + 7).strip());
                break;
            }
            if (field.equals("cdrom")) {
                settings.put("devtype", "cdrom");
            } else if (field.contains("=")) {
                String key = field.substring(0, field.indexOf('=')).strip();
                if (!XL_DISK_KEYS.contains(key)) {
                    throw new ConfigException("disk: unknown setting '" + key + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(XL_DISK_KEYS)) + "): '" + spec + "'");
                }
                settings.put(key, field.substring(field.indexOf('=') + 1).strip());
            } else if (!(field.isEmpty() && comma < 0 && positional > 0)) {
                if (positional >= XL_POSITIONS.size()) {
                    throw new ConfigException("disk: too many positional fields (at most target, format, vdev, "
                            + "access): '" + spec + "'");
                }
                String slot = XL_POSITIONS.get(positional++);
                if (!field.isEmpty()) {
                    settings.putIfAbsent(slot, field);
                }
            }
            if (comma < 0) {
                break;
            }
            offset = comma + 1;
        }
        return xlDiskDevice(spec, settings);
    }

    private static List<Object> xlDiskDevice(String spec, Map<String, String> settings) throws ConfigException {
        String vdev = settings.get("vdev");
        if (vdev == null || vdev.isEmpty()) {
            throw new ConfigException("disk: no virtual device (vdev=, or TYPE:PATH,VDEV,MODE as xm): '" + spec + "'");
        }
        String devtype = settings.getOrDefault("devtype", "disk");
        if (!devtype.equals("disk") && !devtype.equals("cdrom")) {
            throw new ConfigException("disk: devtype must be disk or cdrom, got '" + devtype + "': '" + spec + "'");
        }
        boolean cdrom = devtype.equals("cdrom");
        String mode;
        String access = settings.get("access");
        if (access == null || access.isEmpty()) {
            mode = cdrom ? "r" : "w";
        } else {
            mode = switch (access) {
                case "r", "ro" -> "r";
                case "w", "rw" -> "w";
                case "w!" -> "w!";
                default -> throw new ConfigException("disk: access must be ro, rw, r or w, got '" + access
                        + "': '" + spec + "'");
            };
        }
        if (settings.containsKey("script")) {
            LOG.warn("disk '{}': the block script setting is not used by Xend; ignored", spec);
        }
        String uname = xlUname(spec, settings);
        List<Object> vbd = new ArrayList<>(List.of(Devices.diskClass(uname), Sxp.list("uname", uname),
                Sxp.list("dev", Devices.canonicalDev(vdev) + (cdrom ? Devices.CDROM_SUFFIX : "")),
                Sxp.list("mode", mode)));
        String backend = settings.get("backend");
        if (backend != null && !backend.isEmpty()) {
            vbd.add(Sxp.list("backend", backend));
        }
        return vbd;
    }

    /** The Xend uname for an xl target: its xm-style prefix if it has one, else one from format and backend. */
    private static String xlUname(String spec, Map<String, String> settings) throws ConfigException {
        String target = settings.getOrDefault("target", "");
        String format = settings.getOrDefault("format", "raw");
        if (!Set.of("raw", "qcow", "qcow2", "vhd", "empty").contains(format)) {
            throw new ConfigException("disk: format must be raw, qcow, qcow2, vhd or empty, got '" + format
                    + "': '" + spec + "'");
        }
        if (target.isEmpty() || format.equals("empty")) {
            return "";
        }
        if (PREFIXED_TARGET.matcher(target).matches()) {
            String prefix = target.substring(0, target.indexOf(':'));
            return TAP_FORMATS.contains(prefix) ? "tap:" + target : target;
        }
        if (!format.equals("raw")) {
            return "tap:" + format + ":" + target;
        }
        String backendType = settings.getOrDefault("backendtype", "");
        return switch (backendType) {
            case "phy" -> "phy:" + target;
            case "tap" -> "tap:aio:" + target;
            case "qdisk" -> "file:" + target;
            case "" -> (target.startsWith("/dev/") ? "phy:" : "file:") + target;
            default -> throw new ConfigException("disk: backendtype must be phy, tap or qdisk, got '" + backendType
                    + "': '" + spec + "'");
        };
    }

    // ---- key=value specs ------------------------------------------------------------------------------------

    /** xm's {@code comma_sep_kv_to_dict}: {@code k=v,k=v}; an empty spec is no settings. */
    static Map<String, String> keyValues(String key, String spec, Set<String> known) throws ConfigException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (spec.isBlank()) {
            return settings;
        }
        for (String item : spec.strip().split(",", -1)) {
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw new ConfigException(key + ": '" + item.strip() + "' should be a key=value pair: '" + spec + "'");
            }
            String k = item.substring(0, equals).strip();
            if (!known.contains(k)) {
                throw new ConfigException(key + ": unknown option '" + k + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + "): '" + spec + "'");
            }
            settings.put(k, item.substring(equals + 1).strip());
        }
        return settings;
    }

    static List<Object> vif(String spec) throws ConfigException {
        Map<String, String> settings = keyValues("vif", spec, VIF_KEYS);
        if ("vif".equals(settings.get("type"))) {
            // xl's paravirtual-only NIC is what Xend calls netfront.
            settings.put("type", "netfront");
        }
        return element(Devices.VIF, settings);
    }

    /** A framebuffer: the vkbd xm always added and the vfb; xl's {@code vnc=1}/{@code sdl=1} give the type. */
    static List<List<Object>> vfb(String spec, String keymap) throws ConfigException {
        Map<String, String> settings = keyValues("vfb", spec, VFB_KEYS);
        if (!settings.containsKey("type")) {
            boolean vnc = isOn(settings.get("vnc"));
            boolean sdl = isOn(settings.get("sdl"));
            if (vnc || sdl) {
                Map<String, String> typed = new LinkedHashMap<>();
                typed.put("type", vnc ? "vnc" : "sdl");
                for (Map.Entry<String, String> setting : settings.entrySet()) {
                    boolean typeFlag = setting.getKey().equals("vnc") || setting.getKey().equals("sdl");
                    // Both on: vnc is the type and sdl=1 stays as a setting.
                    if (!typeFlag || (vnc && sdl && setting.getKey().equals("sdl"))) {
                        typed.put(setting.getKey(), setting.getValue());
                    }
                }
                settings = typed;
            }
        }
        if (!settings.containsKey("keymap") && keymap != null && !keymap.isEmpty()) {
            settings.put("keymap", keymap);
        }
        return List.of(Sxp.list(Devices.VKBD), element(Devices.VFB, settings));
    }

    private static boolean isOn(String value) {
        return value != null && !value.isEmpty() && !value.equals("0");
    }

    static List<Object> vtpm(String spec) throws ConfigException {
        Map<String, String> settings = keyValues("vtpm", spec, VTPM_KEYS);
        Map<String, String> options = new LinkedHashMap<>();
        String instance = settings.get("instance");
        if (instance != null && !instance.isEmpty()) {
            if (instance.equals("VTPMD")) {
                instance = "0";
            } else {
                long number;
                try {
                    number = Long.parseLong(instance);
                } catch (NumberFormatException notANumber) {
                    throw new ConfigException("vtpm: instance must be a number or VTPMD: '" + spec + "'");
                }
                if (number == 0) {
                    throw new ConfigException("vtpm: instance must not be 0 (0 is the manager, VTPMD): '" + spec
                            + "'");
                }
            }
            options.put("pref_instance", instance);
        }
        copy(settings, options, "backend");
        copy(settings, options, "type");
        return element(Devices.VTPM, options);
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String key) {
        String value = from.get(key);
        if (value != null && !value.isEmpty()) {
            to.put(key, value);
        }
    }

    private static List<Object> element(String deviceClass, Map<String, String> options) {
        List<Object> element = new ArrayList<>();
        element.add(deviceClass);
        for (Map.Entry<String, String> option : options.entrySet()) {
            element.add(Sxp.list(option.getKey(), option.getValue()));
        }
        return element;
    }

    // ---- pci, ioports, irq, usb, security -------------------------------------------------------------------

    /** {@code [DDDD:]BB:SS.F} in hex, as xm's {@code (dev (domain 0x…) (bus 0x…) (slot 0x…) (func 0x…))}. */
    static List<Object> pciDev(String spec) throws ConfigException {
        Matcher m = PCI.matcher(spec.strip());
        if (!m.matches()) {
            throw new ConfigException("pci: expected [DDDD:]BB:SS.F in hex (domain, bus, slot, function 0-7): '"
                    + spec + "'");
        }
        return Sxp.list("dev", Sxp.list("domain", "0x" + (m.group(1) == null ? "0" : m.group(1))),
                Sxp.list("bus", "0x" + m.group(2)), Sxp.list("slot", "0x" + m.group(3)),
                Sxp.list("func", "0x" + m.group(4)));
    }

    /** {@code FROM[-TO]} in hex. */
    static List<Object> ioports(String spec) throws ConfigException {
        Matcher m = IOPORTS.matcher(spec.strip());
        if (!m.matches()) {
            throw new ConfigException("ioports: expected FROM[-TO] in hex, e.g. 02f8-02ff: '" + spec + "'");
        }
        String from = m.group(1);
        String to = m.group(2) == null ? from : m.group(2);
        if (Integer.parseInt(to, 16) < Integer.parseInt(from, 16)) {
            throw new ConfigException("ioports: the range runs backwards: '" + spec + "'");
        }
        return Sxp.list(Devices.IOPORTS, Sxp.list("from", "0x" + from), Sxp.list("to", "0x" + to));
    }

    static List<Object> irq(String spec) throws ConfigException {
        String number = spec.strip();
        if (!number.matches("\\d{1,4}")) {
            throw new ConfigException("irq: expected an interrupt number: '" + spec + "'");
        }
        return Sxp.list(Devices.IRQ, Sxp.list("irq", Integer.toString(Integer.parseInt(number))));
    }

    static List<Object> usbport(String path) throws ConfigException {
        if (path.isBlank()) {
            throw new ConfigException("usbport: expected the path of a USB port, got an empty string");
        }
        return Sxp.list(Devices.USBPORT, Sxp.list("path", path.strip()));
    }

    /** {@code policy=POLICY,label=LABEL}, as xm's {@code (security (access_control (policy …) (label …)))}. */
    static List<Object> accessControl(String spec) throws ConfigException {
        Matcher m = ACCESS_CONTROL.matcher(spec);
        if (!m.matches()) {
            throw new ConfigException("access_control: expected policy=POLICY,label=LABEL: '" + spec + "'");
        }
        return Sxp.list("security", Sxp.list("access_control", Sxp.list("policy", m.group(1)),
                Sxp.list("label", m.group(2))));
    }
}
