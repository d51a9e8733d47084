package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.xend.shell.XmRunner.domCommand;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.domain.DomainService;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.config.sxp.SxpConfigFormat;
import org.xend.domain.DomainSettingsValues;
import org.xend.domain.SimDomainLayer;

/** Each xm: command against the real domain layer on the simulated hypervisor. */
class XmCommandsTest {

    private static final String GUEST_SXP = "# a guest in xm's SXP\n"
            + "(vm (name web-01) (memory 128) (vcpus 2)\n"
            + "    (image (linux (kernel /boot/vmlinuz) (args 'root=/dev/xvda1 ro'))))\n";

    @TempDir
    Path state;

    @TempDir
    Path files;

    private SimDomainLayer layer;
    private DomainService domains;
    private XmRunner xm;
    /** The python format of bundles/config, looked up by name: it landed after this module was written. */
    private static final Optional<ConfigFormat> PYTHON = pythonFormat();

    private final List<ConfigFormat> formats = PYTHON.isPresent()
            ? List.of(new SxpConfigFormat(), PYTHON.get()) : List.of(new SxpConfigFormat());

    @BeforeEach
    void setUp() throws Exception {
        layer = new SimDomainLayer(Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024, "guestShutdownDelayMs", 50,
                "stateDir", state.resolve("sim").toString()), DomainSettingsValues.of(5, 20, 5),
                state.resolve("xend"));
        domains = layer.domains();
        xm = new XmRunner(domains, layer.sim.hypervisor);
    }

    @AfterEach
    void tearDown() {
        layer.close();
    }

    @Test
    void newDefinesAManagedHaltedVmThatListShows() throws Exception {
        String output = xm.run(configCommand(new NewCommand(), guestFile()));
        String vm = domains.lookup("web-01").orElseThrow();
        assertEquals("Defined domain web-01 (" + vm + ")\n", output);
        DomainView view = domains.view(vm);
        assertTrue(view.managed());
        assertEquals("Halted", view.powerState());
        assertTrue(eventually(() -> Files.isRegularFile(
                state.resolve("xend").resolve("domains").resolve(vm).resolve("config.sxp"))), "config.sxp follows");

        List<String> lines = lines(xm.run(new ListCommand()));
        assertEquals(DomainTable.LIST_HEADER, lines.get(0));
        assertEquals(List.of("Domain-0", "0", "1024"), columns(lines.get(1)).subList(0, 3));
        assertEquals(String.format("%-40s %3s %5s %5s %10s %8s", "web-01", "", "128", "2", "", "0.0"), lines.get(2));
        assertEquals(3, lines.size());
    }

    @Test
    void dryRunsPrintTheSxpTheDaemonWouldGetAndChangeNothing() throws Exception {
        String sxp = xm.run(configCommand(new DryRunCommand(), guestFile()));
        assertTrue(sxp.startsWith("(domain"), sxp);
        assertTrue(sxp.contains("(name web-01)"), sxp);
        assertTrue(sxp.contains("(memory 128)"), sxp);
        assertTrue(sxp.contains("(kernel /boot/vmlinuz)"), sxp);
        assertEquals("web-01", new SxpConfigFormat().read(sxp).fields().get("name_label"), "the SXP reads back");

        NewCommand newDryRun = configCommand(new NewCommand(), guestFile());
        newDryRun.dryRun = true;
        assertEquals(withoutUuids(sxp), withoutUuids(xm.run(newDryRun)));
        CreateCommand createDryRun = configCommand(new CreateCommand(), guestFile());
        createDryRun.dryRun = true;
        assertEquals(withoutUuids(sxp), withoutUuids(xm.run(createDryRun)));
        assertTrue(domains.lookup("web-01").isEmpty(), "nothing was defined or started");
    }

    @Test
    void aManagedVmGoesThroughItsLifeFromTheShell() throws Exception {
        xm.run(configCommand(new NewCommand(), guestFile()));
        String vm = domains.lookup("web-01").orElseThrow();

        assertEquals("", xm.run(domCommand(new StartCommand(), "web-01")), "no progress output without a terminal");
        DomainView view = domains.view(vm);
        assertEquals("Running", view.powerState());
        List<String> row = columns(listLine("web-01"));
        assertEquals(List.of("web-01", Integer.toString(view.domid()), "128", "2"), row.subList(0, 4));
        assertTrue(row.get(4).matches("[r-][b-]----"), row.get(4));

        xm.run(domCommand(new PauseCommand(), "web-01"));
        assertEquals("Paused", domains.view(vm).powerState());
        assertEquals('p', columns(listLine("web-01")).get(4).charAt(2));
        xm.run(domCommand(new UnpauseCommand(), Integer.toString(view.domid())));
        assertEquals("Running", domains.view(vm).powerState());

        ShutdownCommand shutdown = domCommand(new ShutdownCommand(), vm);
        shutdown.await = true;
        assertEquals("Domain web-01 terminated\n", xm.run(shutdown));
        assertEquals("Halted", domains.view(vm).powerState());
        assertEquals(List.of("web-01", "128", "2", "0.0"), columns(listLine("web-01")),
                "no ID and no state once halted");

        xm.run(domCommand(new DeleteCommand(), "web-01"));
        assertTrue(domains.lookup("web-01").isEmpty());
        assertTrue(eventually(() -> !Files.exists(state.resolve("xend").resolve("domains").resolve(vm))),
                "the VM's directory goes");
    }

    @Test
    void onATerminalLongWorkShowsProgressOnTheConsoleAndTheOutputStaysClean() throws Exception {
        xm.run(configCommand(new NewCommand(), guestFile()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        StartCommand start = domCommand(new StartCommand(), "web-01");
        start.session = Sessions.session("xterm", new PrintStream(console, true, StandardCharsets.UTF_8), files);
        assertEquals("", xm.run(start));
        String shown = console.toString(StandardCharsets.UTF_8);
        assertTrue(shown.startsWith("\rStarting domain web-01 ... "), shown);
        assertTrue(shown.endsWith("\rStarting domain web-01 ... done\n"), shown);

        console.reset();
        ShutdownCommand shutdown = domCommand(new ShutdownCommand(), "web-01");
        shutdown.await = true;
        shutdown.session = Sessions.session("xterm", new PrintStream(console, true, StandardCharsets.UTF_8), files);
        assertEquals("Domain web-01 terminated\n", xm.run(shutdown));
        assertTrue(console.toString(StandardCharsets.UTF_8).endsWith("\rShutting down domain web-01 ... done\n"));
    }

    @Test
    void aRelativeFileIsFoundInTheSessionsDirectory() throws Exception {
        guestFile();
        DryRunCommand dryRun = new DryRunCommand();
        dryRun.file = "web-01.sxp";
        dryRun.formats = formats;
        dryRun.session = Sessions.session(null, null, files);
        assertTrue(xm.run(dryRun).contains("(name web-01)"));
    }

    @Test
    void errorsAreOneLineThatSaysWhatIsWrong() throws Exception {
        assertEquals("Domain 'nope' does not exist.", xm.failure(domCommand(new StartCommand(), "nope")));
        xm.run(configCommand(new NewCommand(), guestFile()));
        assertEquals("VM 'web-01' is Halted; this needs Running", xm.failure(domCommand(new PauseCommand(), "web-01")));
        xm.run(domCommand(new StartCommand(), "web-01"));
        assertEquals("VM 'web-01' is Running; this needs Halted", xm.failure(domCommand(new StartCommand(), "web-01")));
        assertEquals("VM 'web-01' is Running; this needs Halted",
                xm.failure(domCommand(new DeleteCommand(), "web-01")));

        String duplicate = xm.failure(configCommand(new NewCommand(), guestFile()));
        assertTrue(duplicate.startsWith("Invalid name_label 'web-01': "), duplicate);

        ShutdownCommand both = domCommand(new ShutdownCommand(), "web-01");
        both.reboot = true;
        both.halt = true;
        assertEquals("-R (reboot) and -H (halt) exclude each other", xm.failure(both));

        RenameCommand rename = domCommand(new RenameCommand(), "web-01");
        rename.name = "bad name!";
        assertTrue(xm.failure(rename).startsWith("Invalid name_label 'bad name!': "));

        Path python = Files.writeString(files.resolve("guest.cfg"), "name = 'py'\nmemory = 128\n");
        NewCommand withoutPython = configCommand(new NewCommand(), python);
        withoutPython.formats = List.of(new SxpConfigFormat());
        assertEquals("No reader for xm/xl configurations: the ConfigFormat service format=python is not installed"
                + " (feature xend-config)", xm.failure(withoutPython));
        NewCommand withOverride = configCommand(new NewCommand(), guestFile());
        withOverride.variables = List.of("memory=256");
        assertTrue(xm.failure(withOverride).endsWith("is SXP; VAR=VAL settings apply to xm/xl files only"));
        NewCommand badArgument = configCommand(new NewCommand(), guestFile());
        badArgument.variables = List.of("memory");
        assertTrue(xm.failure(badArgument).startsWith("Invalid argument 'memory'"));
        assertEquals("Unable to open config file: " + files.resolve("none.cfg"),
                xm.failure(configCommand(new NewCommand(), files.resolve("none.cfg"))));
        Path broken = Files.writeString(files.resolve("broken.sxp"), "(vm (name x)");
        assertTrue(xm.failure(configCommand(new NewCommand(), broken)).startsWith(broken + ": "));
    }

    @Test
    void anXmFileWithOverridesBecomesAManagedVm() throws Exception {
        assumeTrue(PYTHON.isPresent(), "the python ConfigFormat is not in this build of xend-config");
        Path file = Files.writeString(files.resolve("mail.cfg"), String.join("\n",
                "# (an xm file: the parenthesis is in a comment)",
                "kernel = '/boot/vmlinuz-2.6.18-xen'",
                "memory = 128",
                "name = 'mail' + '-01'   # concatenated",
                "vcpus = 2",
                "disk = [ 'phy:/dev/vg0/mail,xvda1,w', 'file:/srv/iso/tools.iso,hdc:cdrom,r' ]",
                "vif = [ 'mac=00:16:3e:00:00:11, bridge=xenbr0, rate=10Mb/s' ]",
                "on_crash = 'rename-restart'",
                ""));
        NewCommand dryRun = configCommand(new NewCommand(), file);
        dryRun.dryRun = true;
        dryRun.variables = List.of("memory=256", "name=mail-02");
        String sxp = xm.run(dryRun);
        assertTrue(sxp.contains("(name mail-02)"), sxp);
        assertTrue(sxp.contains("(memory 256)"), sxp);
        assertTrue(domains.lookup("mail-02").isEmpty());

        NewCommand define = configCommand(new NewCommand(), file);
        define.variables = List.of("memory=256", "name=mail-02");
        xm.run(define);
        DomainView view = domains.view(domains.lookup("mail-02").orElseThrow());
        assertEquals(256L << 20, ((Number) view.config().fields().get("memory_dynamic_max")).longValue());
        assertEquals("rename_restart", view.config().fields().get("actions_after_crash"));
        assertEquals(3, view.config().devices().size(), view.config().devices().toString());
        assertEquals(String.format("%-40s %3s %5s %5s %10s %8s", "mail-02", "", "256", "2", "", "0.0"),
                listLine("mail-02"));
    }

    @Test
    void anXmFileThatWouldRunCodeIsRefusedWithItsPlaceAndNothingRuns() throws Exception {
        assumeTrue(PYTHON.isPresent(), "the python ConfigFormat is not in this build of xend-config");
        Path marker = files.resolve("ran");
        Path imports = Files.writeString(files.resolve("imports.cfg"), "name = 'x'\nimport os\n");
        String refused = xm.failure(configCommand(new NewCommand(), imports));
        assertTrue(refused.startsWith(imports + ": "), refused);
        assertTrue(refused.contains("line 2"), "the line is named: " + refused);

        Path calls = Files.writeString(files.resolve("calls.cfg"),
                "name = 'x'\nmemory = open('" + marker + "', 'w')\n");
        assertTrue(xm.failure(configCommand(new CreateCommand(), calls)).startsWith(calls + ": "));
        assertFalse(Files.exists(marker), "nothing was executed");
        assertTrue(domains.lookup("x").isEmpty());
    }

    @Test
    void createStartsAVmThatIsNotManagedAndVanishesWithItsDomain() throws Exception {
        CreateCommand create = configCommand(new CreateCommand(), guestFile());
        create.paused = true;
        String output = xm.run(create);
        String vm = domains.lookup("web-01").orElseThrow();
        DomainView view = domains.view(vm);
        assertEquals("Started domain web-01 (id=" + view.domid() + ")\n", output);
        assertEquals("Paused", view.powerState());
        assertFalse(view.managed());
        assertFalse(Files.exists(state.resolve("xend").resolve("domains").resolve(vm)), "never saved");

        xm.run(domCommand(new DestroyCommand(), "web-01"));
        assertTrue(domains.lookup("web-01").isEmpty(), "a non-managed VM is gone with its domain");
    }

    @Test
    void shutdownWithoutWaitReturnsOnceTheRequestIsUnderWay() throws Exception {
        xm.run(configCommand(new NewCommand(), guestFile()));
        String vm = domains.lookup("web-01").orElseThrow();
        assertEquals("VM 'web-01' is Halted; this needs Running", xm.failure(domCommand(new ShutdownCommand(), vm)),
                "a refusal is still reported");
        xm.run(domCommand(new StartCommand(), vm));
        ShutdownCommand halt = domCommand(new ShutdownCommand(), vm);
        halt.halt = true;
        assertEquals("", xm.run(halt));
        for (int i = 0; i < 500 && !"Halted".equals(domains.view(vm).powerState()); i++) {
            Thread.sleep(10);
        }
        assertEquals("Halted", domains.view(vm).powerState());
    }

    @Test
    void rebootWithWaitGivesBackARunningDomain() throws Exception {
        xm.run(configCommand(new NewCommand(), guestFile()));
        String vm = domains.lookup("web-01").orElseThrow();
        xm.run(domCommand(new StartCommand(), vm));
        int before = domains.view(vm).domid();
        RebootCommand reboot = domCommand(new RebootCommand(), "web-01");
        reboot.await = true;
        assertEquals("Domain web-01 rebooted\n", xm.run(reboot));
        DomainView after = domains.view(vm);
        assertEquals("Running", after.powerState());
        assertNotEquals(before, after.domid(), "a reboot builds a new domain");
    }

    @Test
    void renameListLongUptimeAndCompletion() throws Exception {
        xm.run(configCommand(new NewCommand(), guestFile()));
        String vm = domains.lookup("web-01").orElseThrow();
        RenameCommand rename = domCommand(new RenameCommand(), "web-01");
        rename.name = "web-02";
        xm.run(rename);
        assertEquals(vm, domains.lookup("web-02").orElseThrow());
        assertEquals(List.of("Domain-0", "web-02"), DomainCompleter.names(domains));

        xm.run(domCommand(new StartCommand(), "web-02"));
        ListCommand list = new ListCommand();
        list.longForm = true;
        list.formats = formats;
        list.doms = List.of("web-02");
        String sxp = xm.run(list);
        int domid = domains.view(vm).domid();
        assertTrue(sxp.startsWith("(domain\n    (domid " + domid + ")\n"), sxp);
        assertTrue(sxp.matches("(?s).*\n    \\(state [r-][b-]----\\)\n\\)\n"), sxp);
        assertEquals("web-02", new SxpConfigFormat().read(sxp).fields().get("name_label"));

        ListCommand some = new ListCommand();
        some.doms = List.of("web-02", "0");
        List<String> lines = lines(xm.run(some));
        assertEquals(List.of("web-02", "Domain-0"), List.of(columns(lines.get(1)).get(0), columns(lines.get(2)).get(0)));
        some.doms = List.of("web-02", "ghost");
        assertEquals("Domain 'ghost' does not exist.", xm.failure(some));

        xm.run(configCommand(new NewCommand(), Files.writeString(files.resolve("idle.sxp"),
                "(vm (name idle) (memory 64) (vcpus 1))")));
        List<String> uptime = lines(xm.run(new UptimeCommand()));
        assertEquals(DomainTable.UPTIME_HEADER, uptime.get(0));
        assertEquals(List.of("Domain-0", "web-02"), uptime.subList(1, uptime.size()).stream()
                .map(l -> columns(l).get(0)).toList(), "only VMs with a domain");
        assertTrue(uptime.get(2).matches("web-02 +" + domid + "  0:00:0\\d"), uptime.get(2));
    }

    // ---- helpers ----

    private static Optional<ConfigFormat> pythonFormat() {
        try {
            return Optional.of((ConfigFormat) Class.forName("org.xend.config.python.PythonConfigFormat")
                    .getConstructor().newInstance());
        } catch (ReflectiveOperationException absent) {
            return Optional.empty();
        }
    }

    private Path guestFile() throws Exception {
        return Files.writeString(files.resolve("web-01.sxp"), GUEST_SXP);
    }

    private <T extends ConfigFileAction> T configCommand(T command, Path file) {
        command.file = file.toString();
        command.formats = formats;
        return command;
    }

    @Test
    void migrateTellsWhyAMigrationFailedAndTheVmStaysHere() throws Exception {
        xm.run(configCommand(new CreateCommand(), guestFile()));
        MigrateCommand migrate = domCommand(new MigrateCommand(), "web-01");
        migrate.host = "elsewhere.example";
        migrate.live = true;

        String message = xm.failure(migrate);

        assertTrue(message.startsWith("Migrating VM 'web-01' to elsewhere.example failed: this daemon has no "
                + "relocation service"), message);
        assertEquals("Running", domains.view(domains.lookup("web-01").orElseThrow()).powerState());
    }

    private String listLine(String name) throws Exception {
        for (String line : lines(xm.run(new ListCommand()))) {
            if (columns(line).get(0).equals(name)) {
                return line;
            }
        }
        throw new AssertionError(name + " is not listed");
    }

    /** A file without a uuid gets a new one each time it is read. */
    private static String withoutUuids(String sxp) {
        return sxp.replaceAll("\\(uuid [0-9a-f-]+\\)", "(uuid)");
    }

    private static List<String> lines(String output) {
        return Arrays.asList(output.split("\n"));
    }

    private static List<String> columns(String line) {
        return new ArrayList<>(Arrays.asList(line.trim().split(" +")));
    }

    /** config.sxp follows the journal that made a change durable, within the file writer's linger. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }
}
