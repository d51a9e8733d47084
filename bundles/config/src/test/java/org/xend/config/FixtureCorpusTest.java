package org.xend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.config.Fixtures.withoutDeviceUuids;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.python.PyConfigParser;
import org.xend.config.python.PythonConfigFormat;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.config.xenapi.XenApiConfigFormat;

/** The fixture corpus read in every format, against what xm sent, and carried through every format pair. */
class FixtureCorpusTest {

    private static final SxpConfigFormat SXP = new SxpConfigFormat();
    private static final PythonConfigFormat PYTHON = new PythonConfigFormat();
    private static final XenApiConfigFormat XENAPI = new XenApiConfigFormat();
    private static final List<ConfigFormat> FORMATS = List.of(SXP, PYTHON, XENAPI);

    static Stream<String> pythonFixtures() {
        return Fixtures.PYTHON.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonFixtures")
    void anXmFileGivesTheConfigurationOfTheSxpXmSentForIt(String fixture) throws ConfigException {
        VmConfig fromPython = PYTHON.read(Fixtures.text("python/" + fixture));
        VmConfig fromSxp = SXP.read(Fixtures.sxpFor(fixture));
        assertEquals(withoutDeviceUuids(fromSxp), withoutDeviceUuids(fromPython));
    }

    /** Every configuration of the corpus, read from the format it is written in. */
    static List<Arguments> corpus() throws ConfigException {
        List<Arguments> configs = new ArrayList<>();
        for (String fixture : Fixtures.PYTHON) {
            configs.add(Arguments.of("python/" + fixture, PYTHON.read(Fixtures.text("python/" + fixture))));
            configs.add(Arguments.of("sxp/" + fixture, SXP.read(Fixtures.sxpFor(fixture))));
        }
        configs.add(Arguments.of("xend31-running-managed.sxp",
                SXP.read(Fixtures.text("../org/xend/config/sxp/xend31-running-managed.sxp"))));
        configs.add(Arguments.of("xenapi/done-when.xml", XENAPI.read(Fixtures.text("xenapi/done-when.xml"))));
        return configs;
    }

    static Stream<Arguments> corpusInEveryFormat() throws ConfigException {
        List<Arguments> cases = new ArrayList<>();
        for (Arguments source : corpus()) {
            for (ConfigFormat format : FORMATS) {
                cases.add(Arguments.of(source.get()[0], format.format(), source.get()[1]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} through {1}")
    @MethodSource("corpusInEveryFormat")
    void everyConfigurationReadsBackFromEveryFormat(String source, String formatName, VmConfig config)
            throws ConfigException {
        ConfigFormat format = FORMATS.stream().filter(f -> f.format().equals(formatName)).findFirst().orElseThrow();
        String written = format.write(config);
        assertEquals(config, format.read(written), () -> "written as " + formatName + ":\n" + written);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void everyConfigurationSurvivesAChainThroughAllFormats(String source, VmConfig config) throws ConfigException {
        VmConfig viaSxp = SXP.read(SXP.write(config));
        VmConfig viaXenApi = XENAPI.read(XENAPI.write(viaSxp));
        VmConfig viaPython = PYTHON.read(PYTHON.write(viaXenApi));
        VmConfig back = SXP.read(SXP.write(XENAPI.read(XENAPI.write(PYTHON.read(PYTHON.write(viaPython))))));
        assertEquals(config, back);
    }

    @Test
    void theCorpusSetsEveryKeyOfXmAndXl() throws ConfigException {
        // Every key of xm's create.py (Xen 3.1) that configures a VM, and xl's own keys.
        Set<String> keys = Set.of("name", "uuid", "memory", "maxmem", "shadow_memory", "vcpus", "vcpu_avail", "cpu",
                "cpus", "cpu_cap", "cpu_weight", "builder", "kernel", "ramdisk", "extra", "root", "bootloader",
                "bootargs", "features", "ip", "gateway", "netmask", "hostname", "interface", "dhcp", "nfs_server",
                "nfs_root", "on_poweroff", "on_reboot", "on_crash", "restart", "on_xend_start", "on_xend_stop",
                "disk", "vif", "vtpm", "pci", "ioports", "irq", "usbport", "vfb", "access_control", "blkif", "netif",
                "tpmif", "nics", "device_model", "pae", "acpi", "apic", "boot", "serial", "localtime", "stdvga",
                "soundhw", "vnc", "vncdisplay", "vnclisten", "vncunused", "vncpasswd", "sdl", "usb", "usbdevice",
                "keymap", "rtc_timeoffset", "type", "maxvcpus", "cap", "cmdline");
        Set<String> set = new TreeSet<>();
        for (String fixture : Fixtures.PYTHON) {
            set.addAll(PyConfigParser.parse(Fixtures.text("python/" + fixture)).keySet());
        }
        Set<String> missing = new TreeSet<>(keys);
        missing.removeAll(set);
        assertEquals(Set.of(), missing);
    }

    // ---- the "done when" ----------------------------------------------------------------------------

    @Test
    void theHandWrittenXmFileTheSxpAndTheStructAreOneConfiguration() throws ConfigException {
        VmConfig fromPython = PYTHON.read(Fixtures.text("python/done-when.py"));
        VmConfig fromSxp = SXP.read(Fixtures.text("sxp/done-when.sxp"));
        VmConfig fromStruct = XENAPI.read(Fixtures.text("xenapi/done-when.xml"));
        assertEquals(withoutDeviceUuids(fromPython), withoutDeviceUuids(fromSxp));
        assertEquals(withoutDeviceUuids(fromPython), withoutDeviceUuids(fromStruct));

        long mib = 1024L * 1024L;
        Map<String, Object> fields = fromPython.fields();
        assertEquals("0b6a4c2e-9f1d-4e37-8a5b-c3d2e1f0a9b8", fields.get("uuid"));
        assertEquals("mail-02", fields.get("name_label"));
        assertEquals(768 * mib, fields.get("memory_static_max"));
        assertEquals(512 * mib, fields.get("memory_dynamic_max"));
        assertEquals(512 * mib, fields.get("memory_dynamic_min"));
        assertEquals(0L, fields.get("memory_static_min"));
        assertEquals(4L, fields.get("VCPUs_max"));
        assertEquals("rename_restart", fields.get("actions_after_crash"));
        assertEquals("root=/dev/xvda1 ro console=xvc0 xencons=tty", fields.get("PV_args"));
        assertEquals(Map.of("cpus", "0,2,3"), fromPython.extras());
        assertEquals(List.of("vbd", "vbd", "tap", "vbd", "vif", "vif"),
                fromPython.devices().stream().map(d -> d.deviceClass()).toList());
    }

    @Test
    void itsSxpAndItsStructShowEveryKeyInTheirUnits() throws ConfigException {
        VmConfig config = PYTHON.read(Fixtures.text("python/done-when.py"));

        Object domain = org.xend.config.sxp.Sxp.parse(SXP.write(config));
        assertEquals("mail-02", org.xend.config.sxp.Sxp.childValue(domain, "name"));
        assertEquals("768", org.xend.config.sxp.Sxp.childValue(domain, "maxmem"), "MiB in SXP");
        assertEquals("512", org.xend.config.sxp.Sxp.childValue(domain, "memory"));
        assertEquals("805306368", org.xend.config.sxp.Sxp.childValue(domain, "memory_static_max"), "bytes in API keys");
        assertEquals("4", org.xend.config.sxp.Sxp.childValue(domain, "vcpus"));
        assertEquals("0,2,3", org.xend.config.sxp.Sxp.childValue(domain, "cpus"));
        assertEquals("rename-restart", org.xend.config.sxp.Sxp.childValue(domain, "on_crash"));
        assertEquals(6, org.xend.config.sxp.Sxp.children(domain, "device").size());

        Map<String, Object> record = XENAPI.toRecord(config);
        assertEquals(805306368L, record.get("memory_static_max"), "bytes in the API");
        assertEquals(536870912L, record.get("memory_dynamic_max"));
        assertEquals("rename_restart", record.get("actions_after_crash"));
        assertEquals("0,2,3", record.get("cpus"));
        List<?> vbds = (List<?>) record.get("VBDs");
        assertEquals(List.of("Disk", "Disk", "Disk", "CD"), vbds.stream().map(v -> ((Map<?, ?>) v).get("type")).toList());
        assertEquals(List.of("RW", "RW", "RW", "RO"), vbds.stream().map(v -> ((Map<?, ?>) v).get("mode")).toList());
        assertEquals(List.of("xvda", "xvdb", "xvdc", "hdc"),
                vbds.stream().map(v -> ((Map<?, ?>) v).get("device")).toList());
        List<?> vifs = (List<?>) record.get("VIFs");
        assertEquals(List.of("00:16:3e:4a:5b:6c", "00:16:3e:4a:5b:6d"),
                vifs.stream().map(v -> ((Map<?, ?>) v).get("MAC")).toList());
        assertTrue(XENAPI.write(config).contains("<name>memory_static_max</name><value><string>805306368</string>"));
    }
}
