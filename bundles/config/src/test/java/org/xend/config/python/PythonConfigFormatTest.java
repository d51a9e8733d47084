package org.xend.config.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.config.Fixtures.map;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.Fixtures;
import org.xend.config.sxp.Sxp;

class PythonConfigFormatTest {

    private static final long MIB = 1024L * 1024L;

    private final PythonConfigFormat format = new PythonConfigFormat();

    private VmConfig read(String text) throws ConfigException {
        return format.read(text);
    }

    private List<DeviceConfig> devices(String text) throws ConfigException {
        return read(text).devices();
    }

    private DeviceConfig only(String text) throws ConfigException {
        List<DeviceConfig> devices = devices(text);
        assertEquals(1, devices.size(), devices::toString);
        return devices.get(0);
    }

    private static String refusal(String text) {
        return assertThrows(ConfigException.class, () -> new PythonConfigFormat().read(text)).getMessage();
    }

    @Test
    void registersAsThePythonFormat() {
        assertEquals("python", format.format());
    }

    // ---- disks ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "phy:sda1,hda1,w | vbd | phy:sda1 | hda1 | w | ",
        "phy:/dev/vg0/a, xvda, w | vbd | phy:/dev/vg0/a | xvda | w | ",
        "file:/x.img,xvda,w,dom1 | vbd | file:/x.img | xvda | w | dom1",
        "tap:aio:/x.img,xvdb,r | tap | tap:aio:/x.img | xvdb | r | ",
        "tap:qcow:/x.qcow,xvdc,w!,0 | tap | tap:qcow:/x.qcow | xvdc | w! | 0",
        "phy:/dev/cdrom,hdc:cdrom,r | vbd | phy:/dev/cdrom | hdc:cdrom | r | ",
        "phy:/dev/sdb,hdb:disk,w | vbd | phy:/dev/sdb | hdb | w | ",
        "',hdc:cdrom,r' | vbd | '' | hdc:cdrom | r | ",
        "format=raw, vdev=xvda, access=rw, target=/dev/vg/guest | vbd | phy:/dev/vg/guest | xvda | w | ",
        "vdev=xvdb, access=ro, target=/srv/a,b.img | vbd | 'file:/srv/a,b.img' | xvdb | r | ",
        "vdev=hdc, devtype=cdrom, target=/srv/x.iso | vbd | file:/srv/x.iso | hdc:cdrom | r | ",
        "vdev=hdc, cdrom, target=/srv/x.iso | vbd | file:/srv/x.iso | hdc:cdrom | r | ",
        "format=qcow2, vdev=xvdd, target=/srv/x.qcow2 | tap | tap:qcow2:/srv/x.qcow2 | xvdd | w | ",
        "format=vhd, vdev=xvdd, target=/srv/x.vhd | tap | tap:vhd:/srv/x.vhd | xvdd | w | ",
        "vdev=xvde, backendtype=tap, target=/srv/x.img | tap | tap:aio:/srv/x.img | xvde | w | ",
        "vdev=xvde, backendtype=phy, target=/srv/x.img | vbd | phy:/srv/x.img | xvde | w | ",
        "vdev=xvde, backend=driver-dom, target=aio:/srv/x.img | tap | tap:aio:/srv/x.img | xvde | w | driver-dom",
        "vdev=xvdf, target=phy:/dev/sdf | vbd | phy:/dev/sdf | xvdf | w | ",
        "/srv/xl/data.img,raw,xvdb,rw | vbd | file:/srv/xl/data.img | xvdb | w | ",
        "/dev/vg/disk,,hda | vbd | phy:/dev/vg/disk | hda | w | ",
        "'/root/image.iso,,hdc,cdrom' | vbd | file:/root/image.iso | hdc:cdrom | r | ",
        "',,hdd,cdrom' | vbd | '' | hdd:cdrom | r | ",
        "vdev=xvdg, format=empty, devtype=cdrom | vbd | '' | xvdg:cdrom | r | "})
    void diskSpecsOfXmAndXl(String spec, String deviceClass, String uname, String dev, String mode, String backend)
            throws ConfigException {
        DeviceConfig disk = only("disk = [" + PyValues.repr(spec) + "]");
        assertEquals(deviceClass, disk.deviceClass());
        Map<String, String> expected = backend == null
                ? map("uname", uname == null ? "" : uname, "dev", dev, "mode", mode)
                : map("uname", uname == null ? "" : uname, "dev", dev, "mode", mode, "backend", backend);
        assertEquals(expected, disk.options());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "phy:/dev/sda1,hda1 | disk: no virtual device",
        "phy:/dev/sda1,hda1,x | disk: format must be raw, qcow, qcow2, vhd or empty, got 'hda1'",
        "target=/srv/x.qcow2,format=qcow2,vdev=xvdd | disk: no virtual device",
        "phy:/dev/sda1,hda1,w,dom0,extra | disk: too many positional",
        "/dev/sda1,hda1,w | disk: the device must be TYPE:PATH",
        "phy:/dev/sda1,,w | disk: the virtual device (second field) is missing",
        "vdev=xvda, access=maybe, target=/x | disk: access must be ro, rw, r or w, got 'maybe'",
        "vdev=xvda, devtype=floppy, target=/x | disk: devtype must be disk or cdrom",
        "vdev=xvda, format=vmdk, target=/x | disk: format must be raw, qcow, qcow2, vhd or empty",
        "vdev=xvda, backendtype=nbd, target=/x | disk: backendtype must be phy, tap or qdisk",
        "vdev=xvda, colour=blue, target=/x | disk: unknown setting 'colour'"})
    void badDiskSpecsAreRefusedNamingTheSpec(String spec, String expected) {
        String message = refusal("disk = [" + PyValues.repr(spec) + "]");
        assertTrue(message.startsWith(expected), message);
        assertTrue(message.contains(spec), message);
    }

    @Test
    void aSingleStringIsOneDiskAndNoneIsNoDisk() throws ConfigException {
        assertEquals("xvda", only("disk = 'phy:/dev/sda,xvda,w'").options().get("dev"));
        assertEquals(List.of(), devices("disk = None"));
        assertTrue(refusal("disk = ['phy:/dev/sda,xvda,w', 3]").startsWith("disk[1]: expected a string, got int 3"));
        assertTrue(refusal("disk = {'a': 1}").startsWith("disk[0]: expected a string, got dict"));
    }

    // ---- other devices --------------------------------------------------------------------------------------

    @Test
    void vifSpecsAreKeyValueLists() throws ConfigException {
        List<DeviceConfig> vifs = devices("""
                vif = [ '', 'mac=00:16:3e:00:00:01, bridge=xenbr0, ip=10.0.0.1 10.0.0.2, script=vif-bridge, \
                type=ioemu, vifname=v0, rate=10Mb/s@20ms, model=e1000, backend=1, accel=x, mtu=1500',
                        'type=vif, bridge = xenbr1 ,mac=']
                """);
        assertEquals(Map.of(), vifs.get(0).options());
        assertEquals(map("mac", "00:16:3e:00:00:01", "bridge", "xenbr0", "ip", "10.0.0.1 10.0.0.2",
                "script", "vif-bridge", "type", "ioemu", "vifname", "v0", "rate", "10Mb/s@20ms", "model", "e1000",
                "backend", "1", "accel", "x", "mtu", "1500"), vifs.get(1).options());
        assertEquals(map("type", "netfront", "bridge", "xenbr1", "mac", ""), vifs.get(2).options(),
                "xl's paravirtual type is Xend's netfront");
        assertTrue(refusal("vif = ['bridge=xenbr0, colour=red']").startsWith("vif: unknown option 'colour'"));
        assertTrue(refusal("vif = ['bridge']").startsWith("vif: 'bridge' should be a key=value pair"));
    }

    @Test
    void nicsAddsDefaultVifsUpToItsCount() throws ConfigException {
        assertEquals(3, devices("vif = ['bridge=xenbr1']\nnics = 3").size());
        assertEquals(1, devices("vif = ['bridge=xenbr1']\nnics = 0").size());
    }

    @Test
    void aFramebufferBringsAKeyboardAndTakesXmAndXlForms() throws ConfigException {
        List<DeviceConfig> devices = devices("""
                keymap = 'fr'
                vfb = [ 'type=sdl, display=:0.0, xauthority=/root/.Xauthority',
                        'vnc=1, vncunused=1, vnclisten=0.0.0.0, vncpasswd=pw, keymap=de',
                        'vnc=1, sdl=1, opengl=1',
                        'vncdisplay=2' ]
                """);
        assertEquals(List.of("vkbd", "vkbd", "vkbd", "vkbd", "vfb", "vfb", "vfb", "vfb"),
                devices.stream().map(DeviceConfig::deviceClass).toList());
        assertEquals(map("type", "sdl", "display", ":0.0", "xauthority", "/root/.Xauthority", "keymap", "fr"),
                devices.get(4).options());
        assertEquals(map("type", "vnc", "vncunused", "1", "vnclisten", "0.0.0.0", "vncpasswd", "pw", "keymap", "de"),
                devices.get(5).options());
        assertEquals(map("type", "vnc", "sdl", "1", "opengl", "1", "keymap", "fr"), devices.get(6).options());
        assertEquals(map("vncdisplay", "2", "keymap", "fr"), devices.get(7).options());
        assertTrue(refusal("vfb = ['type=vnc, port=5900']").startsWith("vfb: unknown option 'port'"));
    }

    @Test
    void vtpmInstanceBackendAndType() throws ConfigException {
        assertEquals(map("pref_instance", "3", "backend", "dom0", "type", "paravirtualised"),
                only("vtpm = ['instance=3, backend=dom0, type=paravirtualised']").options());
        assertEquals(map("pref_instance", "0"), only("vtpm = ['instance=VTPMD']").options());
        assertEquals(Map.of(), only("vtpm = ['']").options());
        assertTrue(refusal("vtpm = ['instance=0']").startsWith("vtpm: instance must not be 0"));
        assertTrue(refusal("vtpm = ['instance=one']").startsWith("vtpm: instance must be a number or VTPMD"));
        assertTrue(refusal("vtpm = ['instance=1', 'instance=2']").startsWith("vtpm: only one virtual TPM"));
    }

    @Test
    void pciFunctionsAreOneDeviceAsXmSentThem() throws ConfigException {
        DeviceConfig pci = only("pci = ['0000:00:02.1', '3:4.0', 'a,1f,7']");
        assertEquals("pci", pci.deviceClass());
        assertEquals("(dev (domain 0x0000) (bus 0x00) (slot 0x02) (func 0x1))"
                + " (dev (domain 0x0) (bus 0x3) (slot 0x4) (func 0x0))"
                + " (dev (domain 0x0) (bus 0xa) (slot 0x1f) (func 0x7))", pci.options().get("dev"));
        for (String bad : List.of("00:02", "0000:00:02.8", "00000:00:02.1", "00:02.1,msitranslate=1", "xx:00.1")) {
            assertTrue(refusal("pci = ['" + bad + "']").startsWith("pci: expected [DDDD:]BB:SS.F"), bad);
        }
    }

    @Test
    void ioportsIrqAndUsbPorts() throws ConfigException {
        List<DeviceConfig> devices = devices("ioports = ['02f8-02ff', '0x3f8', '3e8-0x3ef']\nirq = [7, '11']\n"
                + "usbport = ['2-1', '1-1.3']");
        assertEquals(List.of(map("from", "0x02f8", "to", "0x02ff"), map("from", "0x3f8", "to", "0x3f8"),
                map("from", "0x3e8", "to", "0x3ef"), map("irq", "7"), map("irq", "11"), map("path", "2-1"),
                map("path", "1-1.3")), devices.stream().map(DeviceConfig::options).toList());
        assertTrue(refusal("ioports = ['02ff-02f8']").startsWith("ioports: the range runs backwards"));
        assertTrue(refusal("ioports = ['port 80']").startsWith("ioports: expected FROM[-TO] in hex"));
        assertTrue(refusal("irq = ['seven']").startsWith("irq: expected an interrupt number"));
        assertTrue(refusal("irq = [1.5]").startsWith("irq[0]: expected a string or an int, got float 1.5"));
    }

    @Test
    void devicesComeInTheCanonicalClassOrder() throws ConfigException {
        List<DeviceConfig> devices = devices("""
                usbport = ['1-1']
                vfb = ['type=vnc']
                vtpm = ['instance=1']
                vif = ['']
                irq = [5]
                ioports = ['80']
                pci = ['00:01.0']
                disk = ['phy:/dev/a,xvda,w', 'tap:aio:/b,xvdb,w']
                """);
        assertEquals(List.of("vbd", "tap", "pci", "ioports", "irq", "vif", "vtpm", "vkbd", "vfb", "usbport"),
                devices.stream().map(DeviceConfig::deviceClass).toList());
    }

    // ---- keys -----------------------------------------------------------------------------------------------

    @Test
    void memoryIsInMibAndSetsTheFourMemoryFields() throws ConfigException {
        Map<String, Object> fields = read("memory = 256\nmaxmem = 1024").fields();
        assertEquals(0L, fields.get("memory_static_min"));
        assertEquals(256 * MIB, fields.get("memory_dynamic_min"));
        assertEquals(256 * MIB, fields.get("memory_dynamic_max"));
        assertEquals(1024 * MIB, fields.get("memory_static_max"));
        assertTrue(refusal("memory = '256M'").startsWith("memory: expected an integer, got str '256M'"));
        assertTrue(refusal("memory = [256]").startsWith("memory: expected an integer, got list [256]"));
        assertEquals(256 * MIB, read("memory = '256'").fields().get("memory_dynamic_max"),
                "a decimal string is an int, as on xm's command line");
    }

    @Test
    void keysXmSentOnlyWhenSetAreLeftOutWhenFalse() throws ConfigException {
        VmConfig config = read("memory = 0\nname = ''\non_crash = None\nfeatures = ''\nshadow_memory = 0");
        assertEquals(List.of("uuid"), List.copyOf(config.fields().keySet()));
        assertEquals(Map.of(), config.extras());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "destroy | destroy", "restart | restart", "preserve | preserve", "rename-restart | rename_restart",
        "rename_restart | rename_restart", "coredump-destroy | coredump_and_destroy",
        "coredump-restart | coredump_and_restart", "coredump_and_restart | coredump_and_restart"})
    void actionsInEverySpelling(String given, String api) throws ConfigException {
        VmConfig config = read("on_poweroff = '" + given + "'\non_reboot = '" + given + "'\non_crash = '" + given + "'");
        assertEquals(api, config.fields().get("actions_after_shutdown"));
        assertEquals(api, config.fields().get("actions_after_reboot"));
        assertEquals(api, config.fields().get("actions_after_crash"));
    }

    @Test
    void badEnumsAreRefusedNamingKeyAndValue() {
        assertTrue(refusal("on_crash = 'explode'").startsWith("on_crash: expected one of"));
        assertTrue(refusal("restart = 'sometimes'").startsWith("restart: expected onreboot, always or never"));
        assertTrue(refusal("on_xend_start = 'later'").startsWith("on_xend_start: expected one of ignore, resume, start"));
        assertTrue(refusal("on_xend_stop = 'halt'").startsWith("on_xend_stop: expected one of ignore, shutdown, "
                + "suspend: halt"));
        assertTrue(refusal("type = 'xen'").startsWith("type: expected pv, pvh or hvm, got str 'xen'"));
        assertTrue(refusal("uuid = 'not-a-uuid'").startsWith("uuid: not a UUID"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "'0-3,^1' | 0,2,3", "'0-3, 5, ^2' | 0,1,3,5", "'^1,0-3' | 0,2,3", "'2-7,^4-5' | 2,3,6,7", "3 | 3",
        "[0, 2, 3] | 0,2,3", "(1, 0) | 0,1", "'' | \"\"", "[] | \"\""})
    void cpusRangesWithExclusions(String value, String expected) throws ConfigException {
        assertEquals(expected == null ? "" : expected, read("cpus = " + value).extras().get("cpus"));
    }

    @Test
    void badCpusAreRefused() {
        assertTrue(refusal("cpus = '0-3,^0-3'").startsWith("cpus: no CPU is left"));
        assertTrue(refusal("cpus = '3-1'").startsWith("cpus: range 3-1 runs backwards"));
        assertTrue(refusal("cpus = 'all'").startsWith("cpus: expected CPU numbers"));
        assertTrue(refusal("cpus = '99999'").startsWith("cpus: CPU 99999 is above"));
        assertTrue(refusal("cpus = ['0-1', '2']").startsWith("cpus: expected a string like"));
    }

    @Test
    void bootloaderPygrubIsItsPathAndBootentryIsDeprecated() throws ConfigException {
        Map<String, Object> fields = read("bootloader = 'pygrub'").fields();
        assertEquals("/usr/bin/pygrub", fields.get("PV_bootloader"));
        assertNull(fields.get("PV_bootloader_args"));
        assertEquals("--entry=xvda1:/vmlinuz", read("bootloader = '/usr/local/bin/pygrub'\nbootentry = "
                + "'xvda1:/vmlinuz'").fields().get("PV_bootloader_args"));
        assertNull(read("bootargs = '-q'").fields().get("PV_bootloader_args"), "bootargs without a bootloader");
    }

    @Test
    void xlKeysTypeMaxvcpusCapAndCmdline() throws ConfigException {
        VmConfig config = read("type = 'hvm'\nbuilder = 'linux'\nmaxvcpus = 8\nvcpus = 2\ncap = 25\n"
                + "cmdline = 'console=hvc0'\nroot = '/dev/xvda'\nextra = 'ignored'\nkernel = '/k'");
        assertEquals("BIOS order", config.fields().get("HVM_boot_policy"), "type wins over builder");
        assertEquals(8L, config.fields().get("VCPUs_max"));
        assertEquals(2L, config.fields().get("VCPUs_at_startup"));
        assertEquals("console=hvc0", config.fields().get("PV_args"), "cmdline wins over root and extra");
        assertEquals("25", config.extras().get("cpu_cap"));
        assertEquals(1L, read("maxvcpus = 4").fields().get("VCPUs_at_startup"), "xl starts one vCPU by default");
        assertEquals(Map.of("image_type", "pvh"), read("type = 'pvh'\nkernel = '/k'").fields().get("platform"));
        assertEquals(Map.of("image_type", "solaris"), read("builder = 'solaris'").fields().get("platform"));
    }

    @Test
    void hvmKeysAreIgnoredForAParavirtualGuestAsXmDid() throws ConfigException {
        VmConfig config = read("kernel = '/k'\nacpi = 1\nvnc = 1\nboot = 'c'\nlocaltime = 1");
        assertEquals(Map.of("localtime", "1"), config.fields().get("platform"));
        assertNull(config.fields().get("HVM_boot_policy"));
    }

    @Test
    void flagsTakeEveryFormXmTook() throws ConfigException {
        for (String on : List.of("1", "True", "'yes'", "'y'", "'1'", "'on'")) {
            assertEquals(Map.of("localtime", "1", "stdvga", "1"),
                    read("builder = 'hvm'\nlocaltime = " + on + "\nstdvga = " + on).fields().get("platform"), on);
        }
        assertTrue(refusal("builder = 'hvm'\nstdvga = 'perhaps'").startsWith("stdvga: expected yes or no"));
    }

    @Test
    void ipAndNfsRootMakeTheKernelArguments() throws ConfigException {
        assertEquals("ip=:127.0.255.255::::eth0:dhcp", read("kernel = '/k'\ndhcp = 'dhcp'").fields().get("PV_args"));
        assertTrue(refusal("kernel = '/k'\nnfs_root = '/export'").startsWith("nfs_root: nfs_server must be set"));
    }

    @Test
    void accessControlAndBackendFlagsAreXendExtras() throws ConfigException {
        Map<String, String> extras = read("access_control = ['policy=example.org,label=web']\nblkif = 1\n"
                + "netif = 'no'\ntpmif = True").extras();
        assertEquals("(security (access_control (policy example.org) (label web)))", extras.get("security"));
        assertEquals("(backend (blkif)) (backend (tpmif))", extras.get("backend"));
        assertTrue(refusal("access_control = ['policy=a,label=b', 'policy=c,label=d']")
                .startsWith("access_control: only one security label"));
        assertTrue(refusal("access_control = ['label=b']").startsWith("access_control: expected policy=POLICY"));
    }

    @Test
    void unknownVariablesAreHelpersAndIgnored() throws ConfigException {
        VmConfig config = read("vmid = 7\nprefix = 'web'\nname = '%s%d' % (prefix, vmid)\nfrobnicate = True");
        assertEquals("web7", config.fields().get("name_label"));
        assertEquals(Map.of(), config.extras());
    }

    // ---- the xend dict --------------------------------------------------------------------------------------

    @Test
    void theXendDictCarriesWhatXmKeysCannot() throws ConfigException {
        VmConfig config = read("""
                memory = 512
                xend = {
                    'fields': {'memory_static_min': 16777216, 'name_description': 'described',
                               'is_a_template': True, 'VCPUs_params': {'weight': 512, 'cap': '0'}},
                    'extras': {'start_time': '1178620800.12', 'x_custom': '(x_custom (a 1))'},
                }
                vif = ['bridge=xenbr0']
                """);
        assertEquals(16 * MIB, config.fields().get("memory_static_min"));
        assertEquals("described", config.fields().get("name_description"));
        assertEquals(true, config.fields().get("is_a_template"));
        assertEquals(Map.of("weight", "512", "cap", "0"), config.fields().get("VCPUs_params"));
        assertNull(config.fields().get("memory_dynamic_max"), "the xend fields win over memory");
        assertEquals(map("start_time", "1178620800.12", "x_custom", "(x_custom (a 1))"), config.extras());

        VmConfig explicit = read("""
                xend = {'devices': [
                    {'class': 'console', 'uuid': 'a2132435-4657-4f80-9192-031425364758',
                     'options': {'protocol': 'vt100', 'location': 2}},
                    {'class': 'vbd', 'options': {'uname': 'phy:/x', 'dev': 'xvda:disk'}},
                ]}
                """);
        assertEquals(List.of("vbd", "console"), explicit.devices().stream().map(DeviceConfig::deviceClass).toList());
        assertEquals(map("uname", "phy:/x", "dev", "xvda"), explicit.devices().get(0).options());
        assertEquals(new DeviceConfig("console", "a2132435-4657-4f80-9192-031425364758",
                map("protocol", "vt100", "location", "2")), explicit.devices().get(1));
    }

    @Test
    void deviceUuidsGoToTheDevicesInCanonicalOrder() throws ConfigException {
        VmConfig config = read("vif = ['']\ndisk = ['phy:/x,xvda,w']\nxend = {'device_uuids': ["
                + "'11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']}");
        assertEquals("11111111-1111-4111-8111-111111111111", config.devices().get(0).uuid());
        assertEquals("vbd", config.devices().get(0).deviceClass());
        assertEquals("22222222-2222-4222-8222-222222222222", config.devices().get(1).uuid());
        assertTrue(refusal("vif = ['']\nxend = {'device_uuids': []}").startsWith("xend['device_uuids']: 0 uuids for 1"));
        assertTrue(refusal("vif = ['']\nxend = {'device_uuids': ['x']}").startsWith("xend['device_uuids'][0]: not a UUID"));
    }

    @Test
    void badXendDictsAreRefused() {
        assertTrue(refusal("xend = 1").startsWith("xend: expected a dict"));
        assertTrue(refusal("xend = {'other': 1}").startsWith("xend: unknown section"));
        assertTrue(refusal("xend = {'fields': {'memory': 1}}").startsWith("xend['fields']: not a Xen API VM field"));
        assertTrue(refusal("xend = {'fields': {'is_a_template': 1}}")
                .startsWith("xend['fields']['is_a_template']: expected True or False"));
        assertTrue(refusal("xend = {'extras': {'name': 'x'}}").startsWith("xend['extras']: not usable as an extra key"));
        assertTrue(refusal("xend = {'devices': [{'uuid': 'x'}]}").startsWith("xend['devices'] class"));
        assertTrue(refusal("xend = {'devices': [], 'device_uuids': []}").startsWith("xend: device_uuids and devices"));
    }

    // ---- overrides ------------------------------------------------------------------------------------------

    @Test
    void overridesAreSeenByTheFileAndWinOverIt() throws ConfigException {
        String text = "memory = 256\nname = 'vm' + vmid\ndisk = ['phy:/dev/a,xvda,w', 'phy:/dev/b,xvdb,w']\n";
        VmConfig config = format.read(text, map("vmid", "7", "memory", "1024", "disk", "phy:/dev/c,xvdc,r"));
        assertEquals("vm7", config.fields().get("name_label"));
        assertEquals(1024 * MIB, config.fields().get("memory_dynamic_max"));
        assertEquals(1, config.devices().size(), "a list key given on the command line replaces the file's");
        assertEquals("xvdc", config.devices().get(0).options().get("dev"));
        assertTrue(assertThrows(ConfigException.class, () -> format.read(text, Map.of("bad-name", "1")))
                .getMessage().contains("must be a Python identifier"));
    }

    @Test
    void theTextConventionForOverridesGivesTheSameConfiguration() throws ConfigException {
        String text = "memory = 256\nname = 'web'\nvcpus = 1";
        Map<String, String> overrides = map("memory", "2048", "name", "it's \"quoted\"\\", "vcpus", "4");
        VmConfig byMethod = format.read(text, overrides);
        VmConfig byText = format.read(PythonConfigFormat.appendOverrides(text, overrides));
        assertEquals(byMethod.fields().get("memory_dynamic_max"), byText.fields().get("memory_dynamic_max"));
        assertEquals("it's \"quoted\"\\", byText.fields().get("name_label"));
        assertEquals(4L, byText.fields().get("VCPUs_max"));
    }

    @Test
    void dryRunPrintsTheSxpXmSent() throws ConfigException {
        Object vm = Sxp.parse(format.dryRun(Fixtures.text("python/done-when.py"), Map.of("memory", "640")));
        assertEquals("vm", Sxp.name(vm));
        assertEquals("640", Sxp.childValue(vm, "memory"));
        assertEquals("rename-restart", Sxp.childValue(vm, "on_crash"));
        assertEquals(6, Sxp.children(vm, "device").size());
    }

    // ---- writing --------------------------------------------------------------------------------------------

    @Test
    void writesAnXmFileWithXmKeys() throws ConfigException {
        VmConfig config = read(Fixtures.text("python/done-when.py"));
        String written = format.write(config);
        for (String line : List.of("name = 'mail-02'", "memory = 512", "maxmem = 768", "vcpus = 4",
                "on_crash = 'rename-restart'", "kernel = '/boot/vmlinuz-2.6.18-53.el5xen'", "cpus = '0,2,3'",
                "    'phy:/dev/vg0/mail-spool,xvdb,w,Domain-0',", "    'file:/var/lib/xen/iso/rescue.iso,hdc:cdrom,r',",
                "    'mac=00:16:3e:4a:5b:6c,bridge=xenbr0,rate=10Mb/s',", "xend = {\n    'device_uuids': [")) {
            assertTrue(written.contains(line + "\n") || written.contains(line), () -> line + " in\n" + written);
        }
        assertFalse(written.contains("'fields'"), written);
        assertEquals(config, read(written));
    }

    @Test
    void writesWhatXmCannotSayInTheXendDict() throws ConfigException {
        VmConfig config = new VmConfig(map(
                "uuid", "5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716",
                "name_label", "odd",
                "memory_static_min", 64 * MIB,
                "memory_static_max", 512 * MIB,
                "memory_dynamic_min", 128 * MIB,
                "memory_dynamic_max", 256 * MIB,
                "VCPUs_max", 2L,
                "VCPUs_at_startup", 2L,
                "PV_ramdisk", "",
                "other_config", map("owner", "ops")),
                map("on_xend_start", "start", "shadow_memory", "0", "custom", "value"),
                List.of(new DeviceConfig("console", "a2132435-4657-4f80-9192-031425364758",
                        map("protocol", "vt100"))));
        String written = format.write(config);
        assertTrue(written.contains("vcpus = 2\n"), written);
        assertTrue(written.contains("on_xend_start = 'start'\n"), written);
        assertTrue(written.contains("'memory_static_min': 67108864"), written);
        assertTrue(written.contains("'class': 'console'"), written);
        assertFalse(written.contains("\nmemory ="), "the memory fields are not xm's memory and maxmem: " + written);
        assertEquals(config, read(written));
    }

    @Test
    void writtenStringsReadBackWhateverTheyHold() throws ConfigException {
        String odd = "it's \"both\" \\ \t\n\r \u0000\u0004\u007f\u0085 \u00e9\u4e2d\ud83d\ude80 \ud800 \u2028 %s {}";
        VmConfig config = new VmConfig(map("uuid", "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", "name_label", odd,
                "PV_args", odd, "other_config", map(odd, odd)), map("x" + odd, odd),
                List.of(new DeviceConfig("vif", "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", map("vifname", odd))));
        assertEquals(config, read(format.write(config)));
    }

    @Test
    void refusesFieldsOfTheWrongJavaType() {
        VmConfig config = new VmConfig(map("memory_static_max", "256"), Map.of(), List.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> format.write(config)).getMessage()
                .contains("memory_static_max"));
    }
}
