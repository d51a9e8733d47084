package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Console;
import com.xensource.xenapi.Crashdump;
import com.xensource.xenapi.Event;
import com.xensource.xenapi.EventBatch;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.HostCpu;
import com.xensource.xenapi.HostMetrics;
import com.xensource.xenapi.Network;
import com.xensource.xenapi.PBD;
import com.xensource.xenapi.PIF;
import com.xensource.xenapi.PIFMetrics;
import com.xensource.xenapi.Pool;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.Session;
import com.xensource.xenapi.Task;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.User;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VBDMetrics;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VIF;
import com.xensource.xenapi.VIFMetrics;
import com.xensource.xenapi.VM;
import com.xensource.xenapi.VMGuestMetrics;
import com.xensource.xenapi.VMMetrics;
import com.xensource.xenapi.VTPM;
import com.xensource.xenapi.XenAPIObject;

/**
 * The whole API surface through the Citrix Hypervisor 8.1 Java SDK, against a daemon process: every class the SDK
 * shares with our datamodel answers {@code get_all_records} and every record parses, objects made through the SDK
 * read back, {@code Async.} calls leave task records, the pool has this host as master, and {@code event.from}
 * delivers a VM's power-state change with a snapshot the SDK parses.
 *
 * <p>The SDK parses with unchecked casts ({@code (String)} for every int, {@code (Double)} for floats,
 * {@code (Object[])} for sets) and maps an unknown enum value to {@code UNRECOGNIZED} without complaint. So each
 * record is parsed twice: once through the SDK's own listing, and once from the raw reply, where a record that
 * fails is parsed again field by field to name the field, its wire value and the exception. Enum fields that came
 * back {@code UNRECOGNIZED} count as failures too, named with the wire values the SDK did not know, except our
 * deliberate extensions ({@link #EXTENSIONS}), which are only listed in the output.
 *
 * <p>Classes the SDK lists but we do not serve are out of scope; {@code debug}, which the SDK does not know, is
 * read raw only. {@code session}, {@code user} and {@code VTPM} have no listing call in the SDK: their raw
 * {@code get_all_records} is parsed with the SDK's record parser, and each record is fetched again with the SDK.
 */
public class SdkSurfaceIT {

    private static final String DOM0 = "00000000-0000-0000-0000-000000000000";
    private static final long MIB = 1L << 20;

    /** One class as the SDK sees it: its wire name, its record parser, and its listing if it has one. */
    private record SdkClass(String wireName, Function<Object, Object> parser, Listing listing) {
    }

    @FunctionalInterface
    private interface Listing {
        Map<? extends XenAPIObject, ?> allRecords(Connection c) throws Exception;
    }

    /** Every class we declare that the SDK knows, in the order of our datamodel. */
    private static final List<SdkClass> CLASSES = List.of(
            new SdkClass("session", Types::toSessionRecord, null),
            new SdkClass("task", Types::toTaskRecord, Task::getAllRecords),
            new SdkClass("pool", Types::toPoolRecord, Pool::getAllRecords),
            new SdkClass("VM", Types::toVMRecord, VM::getAllRecords),
            new SdkClass("VM_metrics", Types::toVMMetricsRecord, VMMetrics::getAllRecords),
            new SdkClass("VM_guest_metrics", Types::toVMGuestMetricsRecord, VMGuestMetrics::getAllRecords),
            new SdkClass("host", Types::toHostRecord, Host::getAllRecords),
            new SdkClass("host_metrics", Types::toHostMetricsRecord, HostMetrics::getAllRecords),
            new SdkClass("host_cpu", Types::toHostCpuRecord, HostCpu::getAllRecords),
            new SdkClass("network", Types::toNetworkRecord, Network::getAllRecords),
            new SdkClass("VIF", Types::toVIFRecord, VIF::getAllRecords),
            new SdkClass("VIF_metrics", Types::toVIFMetricsRecord, VIFMetrics::getAllRecords),
            new SdkClass("PIF", Types::toPIFRecord, PIF::getAllRecords),
            new SdkClass("PIF_metrics", Types::toPIFMetricsRecord, PIFMetrics::getAllRecords),
            new SdkClass("SR", Types::toSRRecord, SR::getAllRecords),
            new SdkClass("VDI", Types::toVDIRecord, VDI::getAllRecords),
            new SdkClass("VBD", Types::toVBDRecord, VBD::getAllRecords),
            new SdkClass("VBD_metrics", Types::toVBDMetricsRecord, VBDMetrics::getAllRecords),
            new SdkClass("PBD", Types::toPBDRecord, PBD::getAllRecords),
            new SdkClass("crashdump", Types::toCrashdumpRecord, Crashdump::getAllRecords),
            new SdkClass("VTPM", Types::toVTPMRecord, null),
            new SdkClass("console", Types::toConsoleRecord, Console::getAllRecords),
            new SdkClass("user", Types::toUserRecord, null));

    /**
     * Values we send on purpose that SDK 8.1 has no constant for: Xend's {@code VM.save} operation (XAPI has no
     * {@code VM.save}, so its {@code vm_operations} has no {@code save}).
     */
    private static final Map<String, Set<String>> EXTENSIONS = Map.of("VM.allowed_operations", Set.of("save"));

    private static DaemonProcess daemon;
    private static RawConnection c;
    private static VM guest;
    private static Network network;
    private static VBD vbd;
    private static VIF vif;
    private static VTPM vtpm;
    private static Console console;
    private static User user;

    @BeforeClass
    public static void startDaemonAndMakeOneOfEverything() throws Exception {
        daemon = DaemonProcess.create("sdk-surface");
        daemon.start();
        assertTrue("the domain layer came up\n" + daemon.diagnostics(),
                PythonEventsIT.awaitLog(daemon, PythonEventsIT.DOMAIN_LAYER_UP));
        c = new RawConnection(new URL(daemon.xenApiUrl()));
        Session.loginWithPassword(c, "root", daemon.rootPassword(), "1.0", "sdk-surface");

        Network.Record net = new Network.Record();
        net.nameLabel = "sdk-surface-net";
        net.nameDescription = "made by SdkSurfaceIT";
        net.MTU = 1500L;
        net.otherConfig = Map.of("made-by", "sdk-surface");
        network = Network.create(c, net);

        guest = VM.create(c, vmRecord("sdk-surface-guest"));

        VBD.Record disk = new VBD.Record();
        disk.VM = guest;
        disk.device = "xvda";
        disk.userdevice = "0";
        disk.bootable = true;
        disk.mode = Types.VbdMode.RW;
        disk.type = Types.VbdType.DISK;
        disk.otherConfig = Map.of("made-by", "sdk-surface");
        vbd = VBD.create(c, disk);

        VIF.Record nic = new VIF.Record();
        nic.VM = guest;
        nic.network = network;
        nic.device = "0";
        nic.MAC = "00:16:3e:12:34:56";
        nic.MTU = 1500L;
        nic.otherConfig = Map.of("made-by", "sdk-surface");
        vif = VIF.create(c, nic);

        VTPM.Record tpm = new VTPM.Record();
        tpm.VM = guest;
        tpm.backend = VM.getByUuid(c, DOM0);
        vtpm = VTPM.create(c, tpm);

        Console.Record vnc = new Console.Record();
        vnc.VM = guest;
        vnc.protocol = Types.ConsoleProtocol.RFB;
        vnc.otherConfig = Map.of("made-by", "sdk-surface");
        console = Console.create(c, vnc);

        User.Record someone = new User.Record();
        someone.shortName = "sdk-surface-user";
        someone.fullname = "SDK Surface";
        someone.otherConfig = Map.of();
        user = createUser(someone);

        // The VM's metrics and its running state make the listings of VM_metrics and host.resident_VMs richer.
        guest.start(c, false, false);
    }

    @SuppressWarnings("deprecation")
    private static User createUser(User.Record record) throws Exception {
        return User.create(c, record);
    }

    @AfterClass
    public static void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    public void everyClassAnswersGetAllRecordsAndTheSdkParsesEveryRecord() throws Exception {
        List<String> problems = new ArrayList<>();
        Set<String> extensions = new TreeSet<>();
        StringBuilder report = new StringBuilder("Fields per class (daemon vs SDK 8.1):\n");
        for (SdkClass cls : CLASSES) {
            Map<String, Object> raw = rawAllRecords(cls.wireName());
            Set<String> sent = new TreeSet<>();
            Set<String> known = new TreeSet<>();
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                Map<String, Object> record = asStruct(e.getValue());
                sent.addAll(record.keySet());
                Object parsed = parse(cls, e.getKey(), record, problems);
                if (parsed instanceof Types.Record r) {
                    known.addAll(r.toMap().keySet());
                    problems.addAll(unrecognizedEnums(cls, e.getKey(), r, record, extensions));
                }
                assertEquals(cls.wireName() + " " + e.getKey() + ": the record's uuid is its ref (as in Xend)",
                        e.getKey(), record.get("uuid"));
            }
            if (cls.listing() != null) {
                Set<String> listed = new TreeSet<>();
                try {
                    for (XenAPIObject o : cls.listing().allRecords(c).keySet()) {
                        listed.add(o.toWireString());
                    }
                } catch (RuntimeException ex) {
                    problems.add(cls.wireName() + ".getAllRecords threw " + ex);
                }
                assertEquals(cls.wireName() + ": the SDK lists the same refs as the raw reply",
                        new TreeSet<>(raw.keySet()), listed);
            } else {
                fetchOneByOne(cls, raw.keySet(), problems);
            }
            Set<String> unknownToSdk = new TreeSet<>(sent);
            unknownToSdk.removeAll(known);
            Set<String> notSent = new TreeSet<>(known);
            notSent.removeAll(sent);
            report.append(String.format("  %-17s %3d record(s)", cls.wireName(), raw.size()));
            if (!raw.isEmpty()) {
                report.append("; sent but unknown to the SDK: ").append(unknownToSdk)
                        .append("; SDK fields not sent: ").append(notSent.size());
            }
            report.append('\n');
        }
        // debug is ours only (the SDK has no such class): it must still answer its generated calls.
        assertTrue(rawAllRecords("debug").isEmpty());
        report.append("Known extensions the SDK reads as UNRECOGNIZED: ").append(extensions).append('\n');
        System.out.print(report);
        assertTrue("The SDK could not parse everything:\n  " + String.join("\n  ", problems), problems.isEmpty());
    }

    @Test
    public void everyClassWeServeButNobodyMadeAnswersWithAnEmptyMap() throws Exception {
        // Nothing in a fresh daemon makes these; their listings must still be well-formed, empty structs.
        for (String cls : List.of("VM_guest_metrics", "PIF", "PIF_metrics", "SR", "VDI", "PBD", "crashdump")) {
            assertEquals(cls + ".get_all_records", Map.of(), rawAllRecords(cls));
            assertEquals(cls + ".get_all", 0, ((Object[]) c.value(cls + ".get_all", c.getSessionReference())).length);
        }
        assertTrue(SR.getAll(c).isEmpty());
        assertTrue(VDI.getAllRecords(c).isEmpty());
    }

    @Test
    public void objectsMadeThroughTheSdkReadBack() throws Exception {
        VM.Record vm = guest.getRecord(c);
        assertEquals("sdk-surface-guest", vm.nameLabel);
        assertEquals(Types.VmPowerState.RUNNING, vm.powerState);
        assertEquals(Set.of(vbd), vm.VBDs);
        assertEquals(Set.of(vif), vm.VIFs);
        assertNotNull(vm.metrics.getRecord(c).memoryActual);

        VBD.Record disk = vbd.getRecord(c);
        assertEquals(guest, disk.VM);
        assertEquals("xvda", disk.device);
        assertEquals(Types.VbdMode.RW, disk.mode);
        assertEquals(Types.VbdType.DISK, disk.type);
        assertEquals(Boolean.TRUE, disk.bootable);
        assertTrue("no VDI was given", disk.VDI.isNull());

        VIF.Record nic = vif.getRecord(c);
        assertEquals(guest, nic.VM);
        assertEquals(network, nic.network);
        assertEquals("00:16:3e:12:34:56", nic.MAC);
        assertEquals(Long.valueOf(1500), nic.MTU);

        Network.Record net = network.getRecord(c);
        assertEquals("sdk-surface-net", net.nameLabel);
        assertEquals(Map.of("made-by", "sdk-surface"), net.otherConfig);
        assertEquals(Set.of(network), Network.getByNameLabel(c, "sdk-surface-net"));

        VTPM.Record tpm = vtpm.getRecord(c);
        assertEquals(guest, tpm.VM);
        assertEquals(DOM0, tpm.backend.toWireString());

        Console.Record vnc = console.getRecord(c);
        assertEquals(Types.ConsoleProtocol.RFB, vnc.protocol);
        assertEquals(guest, vnc.VM);

        User.Record someone = userRecord(user);
        assertEquals("sdk-surface-user", someone.shortName);
        assertEquals("SDK Surface", someone.fullname);

        // The generated setters and map adders through the SDK.
        network.addToOtherConfig(c, "second", "2");
        try {
            network.addToOtherConfig(c, "second", "again");
            fail("a duplicate map key must be refused");
        } catch (Types.MapDuplicateKey expected) {
            // The SDK names XAPI's parameters (type, param_name, uuid, key); ours are Xend's (key, current, new),
            // so the SDK's fields are filled by position: the key is in "type" here.
            assertTrue(List.of(expected.type, expected.paramName, expected.uuid, expected.key).contains("second"));
        }
        network.setNameDescription(c, "changed through the SDK");
        net = network.getRecord(c);
        assertEquals(Map.of("made-by", "sdk-surface", "second", "2"), net.otherConfig);
        assertEquals("changed through the SDK", net.nameDescription);
    }

    /**
     * XAPI keeps the reverse sets of a ref field in step ({@code VM.VTPMs}, {@code VM.consoles},
     * {@code network.VIFs}); so does the daemon's store, from the datamodel's relations, for objects of every class,
     * whether or not a class implementation stands behind them.
     */
    @Test
    public void reverseSetsFollowTheObjectsThatNameThem() throws Exception {
        VM.Record vm = guest.getRecord(c);
        assertEquals(Set.of(vtpm), vm.VTPMs);
        assertEquals(Set.of(console), vm.consoles);
        assertEquals(Set.of(vif), network.getVIFs(c));
    }

    @SuppressWarnings("deprecation")
    private static User.Record userRecord(User u) throws Exception {
        return u.getRecord(c);
    }

    @Test
    public void asyncCallsLeaveTaskRecordsTheSdkParses() throws Exception {
        Network.Record net = new Network.Record();
        net.nameLabel = "sdk-surface-async-net";
        net.MTU = 1500L;
        Task create = Network.createAsync(c, net);
        Task.Record done = waitFor(create);
        assertEquals(Types.TaskStatusType.SUCCESS, done.status);
        assertEquals(Double.valueOf(1.0), done.progress);
        assertTrue("created " + done.created + " <= finished " + done.finished,
                !done.finished.before(done.created));
        assertTrue(done.errorInfo.isEmpty());
        Set<Network> named = Network.getByNameLabel(c, "sdk-surface-async-net");
        assertEquals(1, named.size());
        Network made = named.iterator().next();
        assertTrue("task.result " + done.result + " names " + made.toWireString(),
                done.result.contains(made.toWireString()));

        Task failing = VM.getByUuid(c, DOM0).cleanShutdownAsync(c);
        Task.Record failed = waitFor(failing);
        assertEquals(Types.TaskStatusType.FAILURE, failed.status);
        assertFalse(failed.errorInfo.isEmpty());

        Map<Task, Task.Record> tasks = Task.getAllRecords(c);
        assertTrue(tasks.containsKey(create));
        assertTrue(tasks.containsKey(failing));
        for (Task.Record r : tasks.values()) {
            assertNotNull(r.status);
            assertNotNull(r.progress);
            assertNotNull(r.created);
        }
        // event.from on tasks parses as well (tasks are not held back by the settle delay).
        EventBatch batch = Event.from(c, Set.of("task"), "", 0.0);
        Set<String> seen = new LinkedHashSet<>();
        for (Event.Record e : batch.events) {
            assertTrue(e.snapshot instanceof Task.Record);
            seen.add(e.ref);
        }
        assertTrue(seen.contains(create.toWireString()));
        create.destroy(c);
        failing.destroy(c);
        network.getRecord(c); // the fixture is untouched
        made.destroy(c);
    }

    /**
     * The SDK's {@code Types.toVM(Task, Connection)} and its siblings read a ref out of {@code task.result} with the
     * pattern {@code <value>(.*)</value>} (XAPI stores a ref result as that XML-RPC fragment) and throw
     * {@code IllegalStateException: No match found} on anything else. The daemon stores a string result bare
     * (Xend's form): {@code TaskManager.run} in bundles/core writes {@code result instanceof String s ? s :
     * XmlRpcValueText.of(result)}.
     */
    @Test
    public void theSdkReadsTheRefOutOfAnAsyncResult() throws Exception {
        Task create = VM.createAsync(c, vmRecord("sdk-surface-async-vm"));
        assertEquals(Types.TaskStatusType.SUCCESS, waitFor(create).status);
        VM made = Types.toVM(create, c);
        assertEquals("sdk-surface-async-vm", made.getNameLabel(c));
        create.destroy(c);
        made.destroy(c);
    }

    @Test
    public void thePoolIsOneAndThisHostIsItsMaster() throws Exception {
        Set<Pool> pools = Pool.getAll(c);
        assertEquals(1, pools.size());
        Pool pool = pools.iterator().next();
        Set<Host> hosts = Host.getAll(c);
        assertEquals(1, hosts.size());
        Host host = hosts.iterator().next();
        assertEquals(host, pool.getMaster(c));
        assertEquals(host, c.sessionRecord().thisHost);
        Pool.Record record = Pool.getAllRecords(c).get(pool);
        assertNotNull(record);
        assertEquals(host, record.master);
        assertEquals(pool.getUuid(c), record.uuid);
        assertTrue(host.getRecord(c).residentVMs.contains(guest));
    }

    @Test
    public void eventFromDeliversAPowerStateChangeWithItsSnapshot() throws Exception {
        VM vm = VM.create(c, vmRecord("sdk-surface-events"));
        VM bystander = VM.create(c, vmRecord("sdk-surface-bystander"));

        // An empty token means "everything": one add per VM, each with a snapshot the SDK parsed into a record.
        EventBatch everything = Event.from(c, Set.of("vm"), "", 0.0);
        Set<String> added = new LinkedHashSet<>();
        for (Event.Record e : everything.events) {
            assertEquals("vm", e.clazz);
            assertEquals(Types.EventOperation.ADD, e.operation);
            assertTrue(e.snapshot instanceof VM.Record);
            assertEquals(e.ref, ((VM.Record) e.snapshot).uuid);
            added.add(e.ref);
        }
        assertTrue(added.containsAll(Set.of(DOM0, vm.toWireString(), bystander.toWireString())));
        assertTrue(everything.validRefCounts instanceof Map);
        String token = everything.token;

        // A second client blocks on this one VM; changes to another VM must not wake it with events.
        RawConnection watcher = new RawConnection(new URL(daemon.xenApiUrl()), c.getSessionReference());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Event.Record>> delivery = pool.submit(() -> awaitPowerState(watcher, vm, token,
                    Types.VmPowerState.RUNNING));
            bystander.setNameDescription(c, "a change nobody subscribed to");
            Thread.sleep(500);
            assertFalse("event.from on vm/<ref> returned for another VM's change", delivery.isDone());

            long started = System.nanoTime();
            vm.start(c, false, false);
            List<Event.Record> events = delivery.get(30, TimeUnit.SECONDS);
            long latencyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            Event.Record last = events.get(events.size() - 1);
            assertEquals(Types.EventOperation.MOD, last.operation);
            assertEquals(vm.toWireString(), last.ref);
            VM.Record snapshot = (VM.Record) last.snapshot;
            assertEquals(Types.VmPowerState.RUNNING, snapshot.powerState);
            assertTrue("a running VM has a domid", snapshot.domid > 0);
            for (Event.Record e : events) {
                assertEquals("only the subscribed VM", vm.toWireString(), e.ref);
                assertTrue(e.id > 0);
                assertNotNull(e.timestamp);
            }
            System.out.println("event.from delivered the power-state change " + latencyMillis
                    + " ms after VM.start was sent, in " + events.size() + " event(s)");
        } finally {
            pool.shutdownNow();
        }

        // A token parses back: reading from the latest one with nothing new returns at the timeout, empty.
        EventBatch latest = Event.from(c, Set.of("vm/" + vm.toWireString()), token, 0.0);
        long before = System.nanoTime();
        EventBatch quiet = Event.from(c, Set.of("vm/" + vm.toWireString()), latest.token, 0.5);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertTrue(quiet.events.isEmpty());
        assertTrue("returned after " + waitedMillis + " ms", waitedMillis >= 400 && waitedMillis < 5_000);
        assertTrue("tokens grow: " + token + " then " + latest.token, latest.token.compareTo(token) > 0);

        // Everything the daemon has, every class at once: each snapshot goes through the SDK's per-class parser.
        EventBatch all = Event.from(c, Set.of("*"), "", 0.0);
        Set<String> classes = new TreeSet<>();
        for (Event.Record e : all.events) {
            assertNotNull(e.clazz + " " + e.ref, e.snapshot);
            classes.add(e.clazz);
        }
        assertTrue(classes.toString(), classes.containsAll(Set.of("vm", "host", "pool", "network", "vbd", "vif",
                "session", "vtpm", "console", "user")));

        vm.hardShutdown(c);
        vm.destroy(c);
        bystander.destroy(c);
    }

    /** Reads events on one VM from {@code token} until a snapshot shows {@code wanted}; returns all seen. */
    private static List<Event.Record> awaitPowerState(Connection conn, VM vm, String token,
                                                      Types.VmPowerState wanted) throws Exception {
        List<Event.Record> seen = new ArrayList<>();
        String from = token;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            EventBatch batch = Event.from(conn, Set.of("vm/" + vm.toWireString()), from, 10.0);
            from = batch.token;
            for (Event.Record e : batch.events) {
                seen.add(e);
                if (e.snapshot instanceof VM.Record r && r.powerState == wanted) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no event showed " + wanted + "; saw " + seen.size() + " event(s)");
    }

    // ---- helpers ----

    private static VM.Record vmRecord(String name) {
        VM.Record r = new VM.Record();
        r.nameLabel = name;
        r.nameDescription = "made by SdkSurfaceIT";
        r.memoryStaticMax = 128 * MIB;
        r.memoryDynamicMax = 128 * MIB;
        r.memoryDynamicMin = 64 * MIB;
        r.memoryStaticMin = 32 * MIB;
        r.VCPUsMax = 1L;
        r.VCPUsAtStartup = 1L;
        r.actionsAfterShutdown = Types.OnNormalExit.DESTROY;
        r.actionsAfterReboot = Types.OnNormalExit.RESTART;
        r.actionsAfterCrash = Types.OnCrashBehaviour.DESTROY;
        r.PVKernel = "/boot/vmlinuz-xenU";
        r.PVArgs = "root=/dev/xvda1 ro";
        r.otherConfig = Map.of("made-by", "sdk-surface");
        return r;
    }

    private static Map<String, Object> rawAllRecords(String wireClass) throws Exception {
        return asStruct(c.value(wireClass + ".get_all_records", c.getSessionReference()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStruct(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a struct, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    /** Parses one raw record with the SDK; on failure, finds the field(s) the SDK chokes on. */
    private static Object parse(SdkClass cls, String ref, Map<String, Object> record, List<String> problems) {
        try {
            return cls.parser().apply(record);
        } catch (RuntimeException whole) {
            List<String> culprits = new ArrayList<>();
            for (Map.Entry<String, Object> field : record.entrySet()) {
                Map<String, Object> single = new HashMap<>();
                single.put(field.getKey(), field.getValue());
                try {
                    cls.parser().apply(single);
                } catch (RuntimeException e) {
                    culprits.add(field.getKey() + " = " + describe(field.getValue()) + " -> " + e);
                }
            }
            problems.add(cls.wireName() + " " + ref + ": " + whole + (culprits.isEmpty() ? ""
                    : "; failing field(s): " + String.join("; ", culprits)));
            return null;
        }
    }

    /** For classes the SDK cannot list: each ref read with the SDK's own get_record. */
    private static void fetchOneByOne(SdkClass cls, Collection<String> refs, List<String> problems) {
        for (String ref : refs) {
            try {
                Object record = switch (cls.wireName()) {
                    case "session" -> c.sessionRecord(ref);
                    case "VTPM" -> Types.toVTPM(ref).getRecord(c);
                    case "user" -> userRecord(Types.toUser(ref));
                    default -> throw new AssertionError("no SDK getter for " + cls.wireName());
                };
                assertNotNull(record);
            } catch (Exception e) {
                problems.add(cls.wireName() + ".get_record " + ref + " through the SDK threw " + e);
            }
        }
    }

    /**
     * Enum fields (alone or in sets and maps) that the SDK parsed as {@code UNRECOGNIZED}, each named with its wire
     * field and the wire values the SDK did not know. Values in {@link #EXTENSIONS} are collected apart.
     */
    private static List<String> unrecognizedEnums(SdkClass cls, String ref, Types.Record parsed,
                                                  Map<String, Object> raw, Set<String> extensions) {
        List<String> out = new ArrayList<>();
        Map<String, Object> asSent = parsed.toMap();
        for (Field f : parsed.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object value;
            try {
                value = f.get(parsed);
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
            if (!containsUnrecognized(value)) {
                continue;
            }
            // toMap() hands out the field objects themselves, so identity finds the wire name.
            String wireName = asSent.entrySet().stream().filter(e -> e.getValue() == value)
                    .map(Map.Entry::getKey).findFirst().orElse(f.getName());
            String qualified = cls.wireName() + "." + wireName;
            for (Object unknown : unknownValues(cls, wireName, raw.get(wireName))) {
                if (EXTENSIONS.getOrDefault(qualified, Set.of()).contains(String.valueOf(unknown))) {
                    extensions.add(qualified + " " + unknown);
                } else {
                    out.add(cls.wireName() + " " + ref + ": " + wireName + " has " + describe(unknown)
                            + ", which the SDK parses as UNRECOGNIZED");
                }
            }
        }
        return out;
    }

    /** The parts of one raw enum-bearing field that the SDK turns into UNRECOGNIZED. */
    private static List<Object> unknownValues(SdkClass cls, String wireName, Object rawValue) {
        List<Object> parts = new ArrayList<>();
        if (rawValue instanceof Object[] array) {
            for (Object element : array) {
                parts.add(new Object[] {element});
            }
        } else if (rawValue instanceof Map<?, ?> map) {
            map.forEach((k, v) -> parts.add(Map.of(k, v)));
        } else {
            parts.add(rawValue);
        }
        List<Object> unknown = new ArrayList<>();
        for (Object part : parts) {
            Map<String, Object> single = new HashMap<>();
            single.put(wireName, part);
            Object parsed = cls.parser().apply(single);
            if (parsed instanceof Types.Record r && containsUnrecognized(r.toMap().get(wireName))) {
                unknown.add(part instanceof Object[] one ? one[0] : part);
            }
        }
        return unknown;
    }

    private static boolean containsUnrecognized(Object value) {
        if (value instanceof Enum<?> e) {
            return "UNRECOGNIZED".equals(e.name());
        }
        if (value instanceof Collection<?> col) {
            return col.stream().anyMatch(SdkSurfaceIT::containsUnrecognized);
        }
        if (value instanceof Map<?, ?> map) {
            return map.keySet().stream().anyMatch(SdkSurfaceIT::containsUnrecognized)
                    || map.values().stream().anyMatch(SdkSurfaceIT::containsUnrecognized);
        }
        return false;
    }

    private static String describe(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.deepToString(array) + " (array)";
        }
        return value + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")");
    }

    private static Task.Record waitFor(Task task) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Task.Record r = task.getRecord(c);
            if (r.status != Types.TaskStatusType.PENDING) {
                return r;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + task.toWireString() + " did not finish");
    }

    /**
     * The SDK's connection with its protected dispatch opened up, for the calls the SDK has no binding for
     * ({@code session/user/VTPM/debug.get_all_records}); replies still go through the SDK's own error mapping.
     */
    static final class RawConnection extends Connection {

        RawConnection(URL url) {
            super(url);
        }

        RawConnection(URL url, String session) {
            super(url, session);
        }

        /** The {@code Value} of a successful reply; a failure throws the SDK's exception for its code. */
        Object value(String method, Object... params) throws Exception {
            return dispatch(method, params).get("Value");
        }

        Session.Record sessionRecord() throws Exception {
            return sessionRecord(getSessionReference());
        }

        Session.Record sessionRecord(String ref) throws Exception {
            return Types.toSession(ref).getRecord(this);
        }
    }
}
