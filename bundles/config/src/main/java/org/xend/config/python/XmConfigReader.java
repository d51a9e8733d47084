package org.xend.config.python;

import static org.xend.config.sxp.DomainSxpKeys.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.model.CpuList;
import org.xend.config.sxp.DomainSxpReader;
import org.xend.config.sxp.DomainSxpWriter;
import org.xend.config.sxp.Sxp;
import org.xend.config.sxp.VmField;

/**
 * Turns the variables of an xm or xl configuration file into the {@code (vm …)} SXP that {@code xm create}
 * sent to Xend ({@code make_config} of xm's {@code create.py}), and that into a {@link VmConfig} with the
 * SXP format's mapping, so a file and the SXP xm made of it give the same configuration.
 *
 * <p>As xm did: the options xm sent only when set ({@code name}, {@code memory}, {@code on_*} …) are left out
 * when false, zero or empty; {@code pygrub} stands for its path; {@code ip}, {@code gateway}, {@code netmask},
 * {@code hostname}, {@code interface}, {@code dhcp} make the kernel's {@code ip=} argument and
 * {@code nfs_server}/{@code nfs_root} its {@code nfsroot=}; a vfb brings a vkbd; {@code nics} adds default vifs.
 * Unlike xm, kernel paths are not made absolute (nothing is looked up on this host) and no defaults are added
 * (the domain layer gives the same defaults whatever the format).
 *
 * <p>xl's keys are read too: {@code type} (pv, pvh, hvm; it wins over {@code builder}), {@code maxvcpus} (then
 * {@code vcpus} is the number started), {@code cpu_weight}, {@code cap}, {@code cmdline} (it wins over
 * {@code root} and {@code extra}), the {@code key=value} disk specs and both spellings of
 * {@code rename-restart} and the core dump actions.
 *
 * <p>One key of our own, {@code xend}, is a dict that keeps what xm's keys cannot say, so that a configuration
 * written in this format reads back the same: {@code 'fields'} (Xen API VM fields, memory in bytes; they win
 * over the xm keys), {@code 'extras'} (Xend keys outside the API), {@code 'device_uuids'} (the uuid of every
 * device made from the xm keys, in canonical device order) and {@code 'devices'} (devices given whole:
 * {@code {'class': …, 'uuid': …, 'options': {…}}}). Any other variable is ignored with a warning, as xm ignored
 * the helper variables of a file.
 */
final class XmConfigReader {

    private static final Logger LOG = LoggerFactory.getLogger(XmConfigReader.class);

    static final String XEND = "xend";
    static final String XEND_FIELDS = "fields";
    static final String XEND_EXTRAS = "extras";
    static final String XEND_DEVICE_UUIDS = "device_uuids";
    static final String XEND_DEVICES = "devices";

    /** xm's {@code add_conf} options: sent only when true in Python's sense. */
    private static final List<String> SENT_WHEN_SET = List.of(
            NAME, MEMORY, MAXMEM, "shadow_memory", RESTART, ON_POWEROFF, ON_REBOOT, ON_CRASH, "features",
            ON_XEND_START, ON_XEND_STOP);
    private static final Set<String> INTEGER_OPTIONS = Set.of(MEMORY, MAXMEM, "shadow_memory");
    private static final Set<String> FLAG_PLATFORM_KEYS = Set.of(
            "localtime", "stdvga", "isa", "nographic", "usb", "monitor", "vncunused", "vncconsole");
    /** The largest number of devices one key may give. */
    static final int MAX_DEVICES = 4096;

    /** Every key this reader knows; the rest are the file's helper variables. */
    static final Set<String> KNOWN_KEYS;

    static {
        Set<String> known = new TreeSet<>(SENT_WHEN_SET);
        known.addAll(List.of(UUID, VCPUS, "maxvcpus", "vcpu_avail", "cpu", CPUS, "cpu_cap", "cap", "cpu_weight",
                "blkif", "netif", "tpmif", LOCALTIME, BOOTLOADER, "bootargs", "bootentry", "builder", "type",
                KERNEL, RAMDISK, "extra", ROOT, "cmdline", IP, "gateway", "netmask", "hostname", "interface",
                "dhcp", "nfs_server", "nfs_root", "disk", "vif", "nics", "vtpm", "pci", "ioports", "irq",
                "usbport", "vfb", "access_control", XEND));
        known.addAll(PLATFORM_KEYS);
        KNOWN_KEYS = Set.copyOf(known);
    }

    /** Where xm installed pygrub, which {@code bootloader = 'pygrub'} stands for. */
    static final String PYGRUB_PATH = "/usr/bin/pygrub";

    private final Map<String, Object> variables;
    private final List<Object> vm = new ArrayList<>();

    private XmConfigReader(Map<String, Object> variables) {
        this.variables = variables;
    }

    static VmConfig read(Map<String, Object> variables) throws ConfigException {
        XmConfigReader reader = new XmConfigReader(variables);
        List<Object> sxp = reader.toVmSxp();
        VmConfig config = DomainSxpReader.read(sxp);
        return reader.applyDeviceUuids(config);
    }

    /** The {@code (vm …)} SXP xm would have sent for these variables. */
    static List<Object> vmSxp(Map<String, Object> variables) throws ConfigException {
        return new XmConfigReader(variables).toVmSxp();
    }

    private List<Object> toVmSxp() throws ConfigException {
        warnAboutUnknownKeys();
        vm.add(VM);
        for (String key : SENT_WHEN_SET) {
            Object value = set(key);
            if (value != null && PyValues.truthy(value)) {
                String atom = INTEGER_OPTIONS.contains(key) ? XmValues.integer(key, value) : XmValues.string(key, value);
                add(key, atom);
            }
        }
        vcpus();
        addIfSet(UUID, XmValues::string);
        addIfSet("cpu", XmValues::integer);
        Object cpus = set(CPUS);
        if (cpus != null) {
            add(CPUS, cpus(cpus));
        }
        String cap = set("cpu_cap") != null ? "cpu_cap" : "cap";
        if (set(cap) != null) {
            add("cpu_cap", XmValues.integer(cap, set(cap)));
        }
        addIfSet("cpu_weight", XmValues::number);
        addIfSet("vcpu_avail", XmValues::integer);
        for (String backend : List.of("blkif", "netif", "tpmif")) {
            if (set(backend) != null && PyValues.truthy(set(backend))
                    && XmValues.flag(backend, set(backend)).equals("1")) {
                vm.add(Sxp.list("backend", Sxp.list(backend)));
            }
        }
        if (set(LOCALTIME) != null && PyValues.truthy(set(LOCALTIME))) {
            add(LOCALTIME, XmValues.flag(LOCALTIME, set(LOCALTIME)));
        }
        bootloader();
        image();
        accessControl();
        devices();
        xendExtension();
        return Sxp.listOf(vm);
    }

    private void warnAboutUnknownKeys() {
        List<String> unknown = new ArrayList<>();
        for (String key : variables.keySet()) {
            if (!KNOWN_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            LOG.warn("Ignoring variables that are not configuration keys (helper variables?): {}", unknown);
        }
    }

    // ---- resources ------------------------------------------------------------------------------------------

    /** xm's vcpus; with xl's maxvcpus, the maximum and the number started (1 unless vcpus says). */
    private void vcpus() throws ConfigException {
        Object max = set("maxvcpus");
        Object vcpus = set(VCPUS);
        if (max != null && PyValues.truthy(max)) {
            add(VmField.VCPUS_MAX.sxpName(), XmValues.integer("maxvcpus", max));
            add(VmField.VCPUS_AT_STARTUP.sxpName(), vcpus == null ? "1" : XmValues.integer(VCPUS, vcpus));
        } else if (vcpus != null && PyValues.truthy(vcpus)) {
            add(VCPUS, XmValues.integer(VCPUS, vcpus));
        }
    }

    /** A range string, one CPU number, or a list of CPU numbers. */
    private static String cpus(Object value) throws ConfigException {
        if (value instanceof String s) {
            return CpuList.canonical(CPUS, s);
        }
        if (PyValues.isInteger(value)) {
            return CpuList.canonical(CPUS, Long.toString(PyValues.integer(value)));
        }
        List<Object> items = PyValues.sequence(value);
        if (items != null) {
            List<String> numbers = new ArrayList<>();
            for (Object item : items) {
                if (!PyValues.isInteger(item)) {
                    throw XmValues.invalid(CPUS, value, "expected a string like \"0-3,^1\" or a list of CPU "
                            + "numbers (per-vCPU lists are not supported)");
                }
                numbers.add(Long.toString(PyValues.integer(item)));
            }
            return numbers.isEmpty() ? "" : CpuList.canonical(CPUS, String.join(",", numbers));
        }
        throw XmValues.invalid(CPUS, value, "expected a string like \"0-3,^1\" or a list of CPU numbers");
    }

    // ---- boot -----------------------------------------------------------------------------------------------

    private void bootloader() throws ConfigException {
        Object bootloader = set(BOOTLOADER);
        if (bootloader == null || !PyValues.truthy(bootloader)) {
            return;
        }
        String path = XmValues.string(BOOTLOADER, bootloader);
        add(BOOTLOADER, path.equals("pygrub") ? PYGRUB_PATH : path);
        Object args = set("bootargs");
        Object entry = set("bootentry");
        if (args != null) {
            add(BOOTLOADER_ARGS, XmValues.string("bootargs", args));
        } else if (entry != null && PyValues.truthy(entry)) {
            LOG.warn("bootentry is deprecated: use bootargs = '--entry=…'");
            add(BOOTLOADER_ARGS, "--entry=" + XmValues.string("bootentry", entry));
        }
    }

    private void image() throws ConfigException {
        String type = imageType();
        boolean hvm = IMAGE_HVM.equals(type);
        List<Object> image = new ArrayList<>();
        image.add(type);
        addImage(image, KERNEL, set(KERNEL));
        addImage(image, RAMDISK, set(RAMDISK));
        Object cmdline = set("cmdline");
        if (cmdline != null) {
            if (set(ROOT) != null || set("extra") != null) {
                LOG.warn("cmdline is set: root and extra are ignored, as xl does");
            }
            addImage(image, ARGS, cmdline);
        } else {
            String ip = kernelIp();
            if (!ip.isEmpty()) {
                image.add(Sxp.list(IP, stripPrefix("ip=", ip)));
            }
            Object root = set(ROOT);
            if (root != null && PyValues.truthy(root)) {
                image.add(Sxp.list(ROOT, stripPrefix("root=", XmValues.string(ROOT, root))));
            }
            String extra = extraWithNfsRoot();
            if (!extra.isEmpty()) {
                image.add(Sxp.list(ARGS, extra));
            }
        }
        List<String> ignored = new ArrayList<>();
        for (String key : PLATFORM_KEYS) {
            Object value = set(key);
            if (value == null || key.equals(LOCALTIME) && !hvm) {
                continue;
            }
            if (!hvm) {
                ignored.add(key);
                continue;
            }
            String atom = FLAG_PLATFORM_KEYS.contains(key) ? XmValues.flag(key, value) : XmValues.scalar(key, value);
            if (!atom.isEmpty()) {
                image.add(Sxp.list(key, atom));
            }
        }
        if (!ignored.isEmpty() && !(ignored.size() == 1 && ignored.get(0).equals("keymap"))) {
            LOG.warn("HVM options ignored for a {} guest, as xm did: {}", type, ignored);
        }
        boolean builderGiven = set("builder") != null || set("type") != null;
        if (builderGiven || hvm || image.size() > 1) {
            vm.add(Sxp.list(IMAGE, Sxp.listOf(image)));
        }
    }

    /** xl's type wins over xm's builder: pv is Xend's linux image, hvm is hvm, pvh another image type. */
    private String imageType() throws ConfigException {
        Object type = set("type");
        if (type != null) {
            String value = XmValues.string("type", type);
            return switch (value) {
                case "pv" -> IMAGE_LINUX;
                case "hvm" -> IMAGE_HVM;
                case "pvh" -> "pvh";
                default -> throw XmValues.invalid("type", type, "expected pv, pvh or hvm");
            };
        }
        Object builder = set("builder");
        if (builder == null || !PyValues.truthy(builder)) {
            return IMAGE_LINUX;
        }
        String value = XmValues.string("builder", builder);
        if (!value.matches("[A-Za-z0-9_.-]+")) {
            throw XmValues.invalid("builder", builder, "expected an image type such as linux or hvm");
        }
        return value;
    }

    private void addImage(List<Object> image, String key, Object value) throws ConfigException {
        if (value != null && PyValues.truthy(value)) {
            image.add(Sxp.list(key, XmValues.string(key, value)));
        }
    }

    /** xm's {@code ip=} argument: {@code ip:nfs_server:gateway:netmask:hostname:interface:dhcp}. */
    private String kernelIp() throws ConfigException {
        String ip = optionalString(IP, "");
        String dhcp = optionalString("dhcp", "off");
        if (ip.isEmpty() && dhcp.equals("off")) {
            return "";
        }
        // xm filled an unset NFS server with this placeholder address.
        String nfsServer = optionalString("nfs_server", "127.0.255.255");
        return String.join(":", ip, nfsServer, optionalString("gateway", ""), optionalString("netmask", ""),
                optionalString("hostname", ""), optionalString("interface", "eth0"), dhcp);
    }

    private String extraWithNfsRoot() throws ConfigException {
        String extra = optionalString("extra", "");
        String nfsRoot = optionalString("nfs_root", "");
        if (nfsRoot.isEmpty()) {
            return extra;
        }
        String nfsServer = optionalString("nfs_server", "");
        if (nfsServer.isEmpty()) {
            throw new ConfigException("nfs_root: nfs_server must be set as well: nfs_root = '" + nfsRoot + "'");
        }
        String nfs = "nfsroot=" + nfsServer + ":" + nfsRoot;
        return extra.isEmpty() ? nfs : nfs + " " + extra;
    }

    private String optionalString(String key, String otherwise) throws ConfigException {
        Object value = set(key);
        return value == null || !PyValues.truthy(value) ? otherwise : XmValues.string(key, value);
    }

    private static String stripPrefix(String prefix, String value) {
        return value.startsWith(prefix) ? value.substring(prefix.length()) : value;
    }

    // ---- devices --------------------------------------------------------------------------------------------

    private void accessControl() throws ConfigException {
        List<String> labels = entries("access_control");
        if (labels.size() > 1) {
            throw new ConfigException("access_control: only one security label can be given, got " + labels.size());
        }
        if (!labels.isEmpty()) {
            vm.add(DeviceSpecs.accessControl(labels.get(0)));
        }
    }

    private void devices() throws ConfigException {
        for (String disk : entries("disk")) {
            device(DeviceSpecs.disk(disk));
        }
        List<String> pci = entries("pci");
        if (!pci.isEmpty()) {
            // xm sent one pci device holding every function.
            List<Object> body = new ArrayList<>();
            body.add("pci");
            for (String spec : pci) {
                body.add(DeviceSpecs.pciDev(spec));
            }
            device(body);
        }
        for (String range : entries("ioports")) {
            device(DeviceSpecs.ioports(range));
        }
        for (String irq : XmValues.entries("irq", orNone("irq"), true)) {
            device(DeviceSpecs.irq(irq));
        }
        List<String> vifs = new ArrayList<>(entries("vif"));
        Object nics = set("nics");
        if (nics != null) {
            long wanted = Long.parseLong(XmValues.integer("nics", nics));
            LOG.warn("nics is deprecated: use vif = [''] entries");
            if (wanted > MAX_DEVICES) {
                throw XmValues.invalid("nics", nics, "expected at most " + MAX_DEVICES);
            }
            while (vifs.size() < wanted) {
                vifs.add("");
            }
        }
        for (String vif : vifs) {
            device(DeviceSpecs.vif(vif));
        }
        List<String> vtpms = entries("vtpm");
        if (vtpms.size() > 1) {
            throw new ConfigException("vtpm: only one virtual TPM can be given, got " + vtpms.size());
        }
        for (String vtpm : vtpms) {
            device(DeviceSpecs.vtpm(vtpm));
        }
        Object keymap = set("keymap");
        String defaultKeymap = keymap == null ? null : XmValues.string("keymap", keymap);
        for (String vfb : entries("vfb")) {
            for (List<Object> body : DeviceSpecs.vfb(vfb, defaultKeymap)) {
                device(body);
            }
        }
        for (String port : entries("usbport")) {
            device(DeviceSpecs.usbport(port));
        }
    }

    private List<String> entries(String key) throws ConfigException {
        List<String> entries = XmValues.entries(key, orNone(key));
        if (entries.size() > MAX_DEVICES) {
            throw new ConfigException(key + ": more than " + MAX_DEVICES + " entries");
        }
        return entries;
    }

    private void device(List<Object> body) {
        vm.add(Sxp.list(DEVICE, Sxp.listOf(body)));
    }

    // ---- our own key ----------------------------------------------------------------------------------------

    private void xendExtension() throws ConfigException {
        Object xend = set(XEND);
        if (xend == null) {
            return;
        }
        Map<?, ?> sections = dict(XEND, xend);
        for (Object section : sections.keySet()) {
            if (!List.of(XEND_FIELDS, XEND_EXTRAS, XEND_DEVICE_UUIDS, XEND_DEVICES).contains(section)) {
                throw XmValues.invalid(XEND, section, "unknown section (fields, extras, device_uuids, devices)");
            }
        }
        if (sections.get(XEND_FIELDS) != null) {
            for (Map.Entry<?, ?> field : dict("xend['fields']", sections.get(XEND_FIELDS)).entrySet()) {
                vm.add(apiField(field.getKey(), field.getValue()));
            }
        }
        if (sections.get(XEND_EXTRAS) != null) {
            for (Map.Entry<?, ?> extra : dict("xend['extras']", sections.get(XEND_EXTRAS)).entrySet()) {
                String key = XmValues.string("xend['extras'] key", extra.getKey());
                if (RESERVED_KEYS.contains(key)) {
                    throw XmValues.invalid("xend['extras']", extra.getKey(), "not usable as an extra key");
                }
                vm.addAll(DomainSxpWriter.entries(key, XmValues.string("xend['extras']['" + key + "']",
                        extra.getValue())));
            }
        }
        Object devices = sections.get(XEND_DEVICES);
        if (devices != null) {
            if (sections.get(XEND_DEVICE_UUIDS) != null) {
                throw new ConfigException("xend: device_uuids and devices cannot be given together");
            }
            List<Object> items = PyValues.sequence(devices);
            if (items == null || items.size() > MAX_DEVICES) {
                throw XmValues.invalid("xend['devices']", devices, "expected a list of at most " + MAX_DEVICES
                        + " device dicts");
            }
            for (Object item : items) {
                device(explicitDevice(item));
            }
        }
    }

    private static Map<?, ?> dict(String key, Object value) throws ConfigException {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw XmValues.invalid(key, value, "expected a dict");
    }

    /** A Xen API field as the API key of Xend's SXP: maps as lists of pairs, booleans True/False. */
    private static List<Object> apiField(Object name, Object value) throws ConfigException {
        VmField field = name instanceof String s ? VmField.byApiName(s) : null;
        if (field == null) {
            throw XmValues.invalid("xend['fields']", name, "not a Xen API VM field of a configuration");
        }
        String key = "xend['fields']['" + field.apiName() + "']";
        Object atom = switch (field.kind()) {
            case STRING -> XmValues.string(key, value);
            case LONG -> XmValues.integer(key, value);
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    throw XmValues.invalid(key, value, "expected True or False");
                }
                yield b ? "True" : "False";
            }
            case MAP -> {
                List<Object> pairs = new ArrayList<>();
                for (Map.Entry<?, ?> pair : dict(key, value).entrySet()) {
                    pairs.add(Sxp.list(XmValues.string(key + " key", pair.getKey()),
                            XmValues.scalar(key + "[" + PyValues.repr(pair.getKey()) + "]", pair.getValue())));
                }
                yield Sxp.listOf(pairs);
            }
        };
        return Sxp.list(field.sxpName(), atom);
    }

    /** {@code {'class': 'console', 'uuid': '…', 'options': {'protocol': 'vt100'}}}. */
    private static List<Object> explicitDevice(Object item) throws ConfigException {
        Map<?, ?> device = dict("xend['devices'] entry", item);
        for (Object key : device.keySet()) {
            if (!List.of("class", "uuid", "options").contains(key)) {
                throw XmValues.invalid("xend['devices'] entry", key, "unknown key (class, uuid, options)");
            }
        }
        Object deviceClass = device.get("class");
        if (!(deviceClass instanceof String cls)) {
            throw XmValues.invalid("xend['devices'] class", deviceClass == null ? PyNone.NONE : deviceClass,
                    "expected a device class such as vbd, vif or console");
        }
        List<Object> body = new ArrayList<>();
        body.add(cls);
        Object options = device.get("options");
        if (options != null) {
            for (Map.Entry<?, ?> option : dict("xend['devices'] options", options).entrySet()) {
                String key = XmValues.string("xend['devices'] option", option.getKey());
                if (key.equals(UUID)) {
                    throw XmValues.invalid("xend['devices'] option", option.getKey(), "not usable as an option key");
                }
                body.addAll(DomainSxpWriter.entries(key, XmValues.string("xend['devices'] option " + key,
                        option.getValue())));
            }
        }
        Object uuid = device.get("uuid");
        if (uuid != null) {
            body.add(Sxp.list(UUID, XmValues.string("xend['devices'] uuid", uuid)));
        }
        return body;
    }

    private VmConfig applyDeviceUuids(VmConfig config) throws ConfigException {
        Object xend = set(XEND);
        Object uuids = xend instanceof Map<?, ?> sections ? sections.get(XEND_DEVICE_UUIDS) : null;
        if (uuids == null) {
            return config;
        }
        List<String> given = XmValues.entries("xend['device_uuids']", uuids);
        if (given.size() != config.devices().size()) {
            throw new ConfigException("xend['device_uuids']: " + given.size() + " uuids for "
                    + config.devices().size() + " devices");
        }
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            DeviceConfig device = config.devices().get(i);
            String uuid = given.get(i);
            if (!uuid.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                throw XmValues.invalid("xend['device_uuids'][" + i + "]", uuid, "not a UUID");
            }
            devices.add(new DeviceConfig(device.deviceClass(), uuid, device.options()));
        }
        return new VmConfig(config.fields(), config.extras(), devices);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** The value of a key, or null when it is unset or None. */
    private Object set(String key) {
        Object value = variables.get(key);
        return value instanceof PyNone ? null : value;
    }

    private Object orNone(String key) {
        Object value = variables.get(key);
        return value == null ? PyNone.NONE : value;
    }

    private void add(String key, String value) {
        vm.add(Sxp.list(key, value));
    }

    private interface Conversion {
        String convert(String key, Object value) throws ConfigException;
    }

    private void addIfSet(String key, Conversion conversion) throws ConfigException {
        Object value = set(key);
        if (value != null) {
            add(key, conversion.convert(key, value));
        }
    }
}
