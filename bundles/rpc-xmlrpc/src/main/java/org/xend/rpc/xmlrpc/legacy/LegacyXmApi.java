package org.xend.rpc.xmlrpc.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainService;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.hypervisor.VcpuInfo;
import org.xend.rpc.xmlrpc.XmlRpcFault;
import org.xend.rpc.xmlrpc.XmlRpcHandler;

/**
 * The legacy xm XML-RPC API ({@code xend.*}, Xend's {@code XMLRPCServer}), on top of the domain layer: no session,
 * SXP as nested arrays, native ints, faults 1 (internal), 2 (error, with a message) and 3 (unknown domain, with the
 * domain as the client named it). A top-level string result goes out Python-escaped, as Xend sent it.
 * <p>
 * Every method Xend registered is served. Thread-safe and stateless: calls run concurrently on the listeners'
 * workers.
 */
public final class LegacyXmApi implements XmlRpcHandler {

    /** Every legacy method name starts with this; the Xen API listeners hand such calls over. */
    public static final String METHOD_PREFIX = "xend.";

    private static final Logger LOG = LoggerFactory.getLogger(LegacyXmApi.class);

    private static final List<String> SHUTDOWN_REASONS = List.of("poweroff", "reboot", "suspend", "crash", "halt");

    private final DomainService domains;
    private final ConfigFormat sxp;
    private final Hypervisor hypervisor;
    private final Map<String, Method> methods = new TreeMap<>();

    public LegacyXmApi(DomainService domains, ConfigFormat sxp, Hypervisor hypervisor) {
        this.domains = Objects.requireNonNull(domains, "domains");
        this.sxp = Objects.requireNonNull(sxp, "sxp");
        this.hypervisor = Objects.requireNonNull(hypervisor, "hypervisor");
        defineDomainMethods();
        defineDeviceMethods();
        defineNodeMethods();
        defineHypervisorControls();
        defineIntrospection();
    }

    /** Whether a Xen API listener should hand this call to the legacy API. */
    public static boolean isLegacyMethod(String methodName) {
        return methodName != null && methodName.startsWith(METHOD_PREFIX);
    }

    @Override
    public Object call(CallContext context, String methodName, List<Object> params) throws XmlRpcFault {
        Method method = methods.get(methodName);
        if (method == null) {
            throw LegacyFaults.unknownMethod(methodName);
        }
        if (params.size() < method.required() || params.size() > method.paramNames().size()) {
            throw LegacyFaults.internal(methodName + " takes " + method.arity() + " (" + params.size() + " given)");
        }
        Object result;
        try {
            result = method.body().call(new LegacyArgs(methodName, method.paramNames(), params));
        } catch (XenApiException e) {
            throw LegacyFaults.fromDomainLayer(e, null);
        } catch (HypervisorException e) {
            // Xend turned every failed xc call into a XendError with its message
            throw LegacyFaults.error(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Legacy call {} from {} failed", methodName, context.peer(), e);
            throw LegacyFaults.internal("Internal error in " + methodName + "; see the server log");
        }
        return result instanceof String s ? PythonRepr.body(s) : result;
    }

    @Override
    public Object internalError(String methodName, String reason) throws XmlRpcFault {
        throw LegacyFaults.internal("Internal error: " + reason + "; see the server log");
    }

    // ---- domains ----------------------------------------------------------------------------------------------

    private void defineDomainMethods() {
        define("array xend.domain(string dom, boolean full=0)",
                "The domain's SXP; its devices only when full is true.",
                a -> onDomain(a.dom(0), vm -> domainSxp(domains.view(vm), a.flag(1, false))));
        define("array xend.domains(boolean detail=1, boolean full=0)",
                "The running domains, sorted by name: their SXPs when detail is true, else their names.",
                a -> listDomains(a.flag(0, true), DomainSxp.stateName(DomainSxp.RUNNING), a.flag(1, false)));
        define("array xend.domains_with_state(boolean detail, string state, boolean full)",
                "The domains in a state (all, halted, paused, running, suspended, unknown, or 0 to 5), sorted by "
                        + "name: their SXPs when detail is true, else their names.",
                a -> listDomains(a.flag(0, false), stateFilter(a, 1), a.flag(2, false)));
        define("array xend.domain.create(array config)",
                "Builds a domain that is not managed from a (vm ...) SXP and leaves it paused; returns its SXP. "
                        + "It is forgotten once its domain is gone.",
                a -> {
                    VmConfig config = readConfig(a.sxp(0));
                    String name = nameOf(config);
                    String vm = inDomainLayer(name, () -> domains.createStarted(config, true));
                    return onDomain(vm, ref -> domainSxp(domains.view(ref), true));
                });
        define("string xend.domain.new(array config)",
                "Defines a managed, halted domain from a (vm ...) SXP and saves its configuration.",
                a -> {
                    VmConfig config = readConfig(a.sxp(0));
                    inDomainLayer(nameOf(config), () -> domains.define(config));
                    return "";
                });
        define("string xend.domain.start(string dom, boolean start_paused=1)",
                "Starts a halted managed domain, paused unless start_paused is false.",
                a -> onDomainVoid(a.dom(0), vm -> domains.start(vm, a.flag(1, true))));
        define("string xend.domain.delete(string dom)",
                "Forgets a halted managed domain and removes its saved configuration.",
                a -> onDomainVoid(a.dom(0), domains::delete));
        define("string xend.domain.destroy(string dom)",
                "Destroys the domain at once; a managed domain stays defined, halted.",
                a -> onDomainVoid(a.dom(0), domains::destroyDomain));
        define("string xend.domain.pause(string dom)", "Pauses the domain.",
                a -> onDomainVoid(a.dom(0), domains::pause));
        define("string xend.domain.unpause(string dom)", "Unpauses the domain.",
                a -> onDomainVoid(a.dom(0), domains::unpause));
        define("string xend.domain.suspend(string dom)",
                "Suspends a managed domain into its checkpoint (xm suspend).",
                a -> onDomainVoid(a.dom(0), domains::suspend));
        define("string xend.domain.resume(string dom, boolean start_paused=0)",
                "Resumes a suspended managed domain from its checkpoint (xm resume).",
                a -> onDomainVoid(a.dom(0), vm -> domains.resume(vm, a.flag(1, false))));
        define("string xend.domain.save(string dom, string path, boolean checkpoint=0)",
                "Writes the domain's image to path; without checkpoint the domain is gone afterwards (xm save).",
                a -> onDomainVoid(a.dom(0), vm -> domains.save(vm, a.string(1), a.flag(2, false))));
        define("string xend.domain.migrate(string dom, string host, boolean live=0, int resource=0, int port=0)",
                "Moves the domain to host's relocation server (port 0: the relocation port); resource is accepted "
                        + "and ignored, as Xend did (xm migrate).",
                a -> {
                    a.integer(3, 0);
                    int port = a.integer(4, 0);
                    return onDomainVoid(a.dom(0), vm -> domains.migrate(vm, a.string(1), port, a.flag(2, false)));
                });
        define("array xend.domain.restore(string path, boolean paused=0)",
                "Builds a domain from a saved image and returns its SXP (xm restore).",
                a -> {
                    String path = a.string(0);
                    boolean paused = a.flag(1, false);
                    String vm = inDomainLayer(path, () -> domains.restore(path, paused));
                    return onDomain(vm, ref -> domainSxp(domains.view(ref), true));
                });
        define("string xend.domain.send_sysrq(string dom, string key)", "Sends a SysRq key to the guest.",
                a -> onDomainVoid(a.dom(0), vm -> domains.sendSysrq(vm, a.string(1))));
        define("string xend.domain.send_trigger(string dom, string trigger, int vcpu=0)",
                "Sends a trigger (nmi, reset or init) to the domain.",
                a -> onDomainVoid(a.dom(0), vm -> domains.sendTrigger(vm, a.string(1))));
        define("string xend.domain.setMemoryTarget(string dom, int mem)",
                "Sets the balloon target, in MiB, and the domain's dynamic memory range to it (xm mem-set).",
                a -> onDomainVoid(a.dom(0), vm -> domains.setMemoryTarget(vm, (long) a.integer(1, 0) << 20)));
        define("string xend.domain.setVCpuCount(string dom, int vcpus)",
                "Sets how many of the domain's vCPUs are online (xm vcpu-set).",
                a -> onDomainVoid(a.dom(0), vm -> domains.setVcpus(vm, a.integer(1, 0))));
        define("string xend.domain.pincpu(string dom, string vcpu, array cpumap)",
                "Pins a vCPU, or every vCPU with 'all', to the given physical CPUs (xm vcpu-pin).",
                a -> onDomainVoid(a.dom(0), vm -> pin(vm, a)));
        define("struct xend.domain.sched_credit_get(string dom)",
                "The credit scheduler's weight and cap of the domain.",
                a -> onDomain(a.dom(0), vm -> {
                    SchedCredit c = domains.schedCredit(vm);
                    return Map.of("weight", c.weight(), "cap", c.cap());
                }));
        define("string xend.domain.sched_credit_set(string dom, int weight=None, int cap=None)",
                "Sets the credit scheduler's weight (1 to 65535) and/or cap (0 to 100 per vCPU).",
                a -> onDomainVoid(a.dom(0), vm -> domains.setSchedCredit(vm, a.integer(1, null),
                        a.integer(2, null))));
        define("string xend.domain.shutdown(string dom, string reason)",
                "Asks the guest to shut down: reason is poweroff, reboot, suspend, crash or halt. Returns once the "
                        + "guest has done it, or has been destroyed for not doing it in time.",
                a -> {
                    String reason = a.string(1);
                    if (!SHUTDOWN_REASONS.contains(reason)) {
                        throw LegacyFaults.error("Invalid reason: " + reason);
                    }
                    return onDomainVoid(a.dom(0), vm -> domains.shutdown(vm, reason));
                });
        define("string xend.domain.setName(string dom, string name)", "Renames the domain.",
                a -> {
                    String name = a.string(1);
                    return onDomainVoid(a.dom(0), vm -> domains.rename(vm, name));
                });
        define("string xend.domain.getRestartCount(string dom)",
                "How many times the daemon restarted the domain after its guest rebooted or crashed.",
                a -> onDomain(a.dom(0), vm -> Integer.toString(domains.view(vm).restartCount())));
        define("array xend.domain.getVCPUInfo(string dom)",
                "The domain's vCPUs: (domain (domid) (name) (vcpu_count) (vcpu (number) (online) (blocked) "
                        + "(running) (cpu_time) (cpu) (cpumap))...).",
                a -> {
                    String dom = a.dom(0);
                    return onDomain(dom, vm -> vcpuInfo(dom, domains.view(vm)));
                });
    }

    // ---- devices ----------------------------------------------------------------------------------------------

    private void defineDeviceMethods() {
        define("array xend.domain.device_create(string dom, array config)",
                "Adds a device given as an SXP, e.g. (vbd (uname file:/img) (dev xvdb) (mode w)), and waits until its "
                        + "backend has connected it; returns [class, [dom, domid, id, devid]]. A halted domain's "
                        + "configuration only changes: domid is -1 and id the device's position in its class.",
                a -> {
                    String dom = a.dom(0);
                    DeviceConfig device = DeviceSxp.read(a.sxp(1));
                    return onDomain(dom, vm -> {
                        int id = domains.createDevice(vm, device);
                        return List.of(device.deviceClass(), List.of("dom", domains.view(vm).domid(), "id", id));
                    });
                });
        define("boolean xend.domain.device_configure(string dom, array config, string devid=None)",
                "Changes a device (a CD drive's media) to the SXP given; the device is named by devid, else by the "
                        + "SXP's dev.",
                a -> {
                    String dom = a.dom(0);
                    DeviceConfig device = DeviceSxp.read(a.sxp(1));
                    String devid = a.size() > 2 && a.raw(2) != null && !"".equals(a.raw(2)) ? a.dom(2) : null;
                    return onDomain(dom, vm -> {
                        domains.configureDevice(vm, device, devid);
                        return true;
                    });
                });
        define("string xend.domain.destroyDevice(string dom, string class, string devid, boolean force=0)",
                "Removes a device named by its devid, its name (xvdb, /dev/xvdb, a MAC) or uuid; force removes its "
                        + "entries without waiting for the backend to close it.",
                a -> {
                    String dom = a.dom(0);
                    String cls = a.string(1);
                    String device = a.dom(2);
                    boolean force = a.flag(3, false);
                    return onDomainVoid(dom, vm -> domains.destroyDevice(vm, cls, device, force));
                });
        define("array xend.domain.getDeviceSxprs(string dom, string class)",
                "The domain's devices of a class: running, [[devid, [[key, value]...]]...] from their frontend "
                        + "entries; halted, [[n, device SXP]...].",
                a -> {
                    String dom = a.dom(0);
                    String cls = a.string(1);
                    return onDomain(dom, vm -> DeviceSxp.sxprs(domains.devices(vm, cls),
                            domains.view(vm).domid() >= 0));
                });
        define("string xend.domain.waitForDevices(string dom)",
                "Waits until every device of the domain is connected; fails naming the first that is not.",
                a -> onDomainVoid(a.dom(0), domains::waitForDevices));
    }

    private List<Object> domainSxp(DomainView view, boolean devices) {
        Optional<DomainInfo> info = view.domid() >= 0 ? hypervisor.domain(view.domid()) : Optional.empty();
        return DomainSxp.build(view, sxp.write(view.config()), info, devices);
    }

    private List<Object> listDomains(boolean detail, String state, boolean full) {
        List<DomainView> matching = new ArrayList<>();
        for (String vm : domains.vms()) {
            DomainView view;
            try {
                view = domains.view(vm);
            } catch (XenApiException gone) {
                continue; // deleted since it was listed
            }
            if ("all".equals(state) || state.equals(DomainSxp.stateName(DomainSxp.status(view.powerState())))) {
                matching.add(view);
            }
        }
        matching.sort(Comparator.comparing(LegacyXmApi::displayName));
        List<Object> out = new ArrayList<>(matching.size());
        for (DomainView view : matching) {
            out.add(detail ? domainSxp(view, full) : displayName(view));
        }
        return out;
    }

    /** {@code all}, a state name (any case) or its number; Xend's {@code list(state)}. */
    private static String stateFilter(LegacyArgs a, int i) throws XmlRpcFault {
        Object state = a.raw(i);
        String name;
        if (state instanceof Integer n) {
            name = n.toString();
        } else if (state instanceof String s) {
            name = s.trim().toLowerCase(Locale.ROOT);
        } else {
            throw a.wrongType(i, "a state name or number");
        }
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            int n = name.length() > 2 ? -1 : Integer.parseInt(name);
            if (n >= 0 && n < DomainSxp.STATE_NAMES.size()) {
                return DomainSxp.stateName(n);
            }
        } else if ("all".equals(name) || DomainSxp.STATE_NAMES.contains(name)) {
            return name;
        }
        throw LegacyFaults.error("Invalid state: " + state + "; a state is all, halted, paused, running, "
                + "suspended, unknown or a number from 0 to 5");
    }

    private List<Object> vcpuInfo(String dom, DomainView view) throws XmlRpcFault {
        if (view.domid() < 0) {
            throw LegacyFaults.error("Domain " + dom + " is " + view.powerState() + "; only a built domain has vCPUs");
        }
        Object max = view.config().fields().get("VCPUs_max");
        int count = max instanceof Number n ? n.intValue() : view.vcpus().size();
        List<Object> out = new ArrayList<>();
        out.add("domain");
        out.add(List.of("domid", view.domid()));
        out.add(List.of("name", displayName(view)));
        out.add(List.of("vcpu_count", count));
        for (VcpuInfo v : view.vcpus()) {
            out.add(List.of("vcpu",
                    List.of("number", v.number()),
                    List.of("online", v.online() ? 1 : 0),
                    List.of("blocked", v.blocked() ? 1 : 0),
                    List.of("running", v.running() ? 1 : 0),
                    List.of("cpu_time", v.cpuTimeNs() / 1e9),
                    List.of("cpu", v.cpu()),
                    List.of("cpumap", List.copyOf(v.cpumap()))));
        }
        return out;
    }

    private VmConfig readConfig(Object nested) throws XmlRpcFault {
        String text;
        try {
            text = SxpText.print(nested);
        } catch (IllegalArgumentException e) {
            throw LegacyFaults.error("Invalid configuration: " + e.getMessage());
        }
        try {
            return sxp.read(text);
        } catch (ConfigException e) {
            throw LegacyFaults.error("Invalid configuration: " + e.getMessage());
        }
    }

    private static String nameOf(VmConfig config) {
        Object name = config.fields().get("name_label");
        return name == null ? null : name.toString();
    }

    private static String displayName(DomainView view) {
        String name = nameOf(view.config());
        return name == null ? "" : name;
    }

    // ---- node -------------------------------------------------------------------------------------------------

    private void defineNodeMethods() {
        define("array xend.node.info()",
                "The host: [key, value] pairs of uname, physical CPUs and memory (MiB), the hypervisor's version, "
                        + "and xend_config_format.",
                a -> NodeInfo.of(hypervisor));
        define("string xend.node.log()",
                "The daemon's log: at most its last MiB, starting at a line.",
                a -> readLog());
    }

    private String readLog() throws XmlRpcFault {
        try {
            return domains.daemonLog();
        } catch (XenApiException e) {
            // which log and why it cannot be read, as Xend's XendError told it (not an internal error)
            throw LegacyFaults.error(e.params().isEmpty() ? e.code() : LegacyFaults.capitalise(e.params().get(0)));
        }
    }

    // ---- core dumps, memory limit, SEDF, shadow memory, I/O ports; the hypervisor's console ------------------

    private void defineHypervisorControls() {
        define("string xend.domain.dump(string dom, string file, boolean live, boolean crash)",
                "Writes a core dump of the domain to file (absolute; empty or nil: a new file in the daemon's dump "
                        + "directory), pausing it meanwhile unless live; with crash the domain is destroyed after.",
                a -> {
                    Object file = a.raw(1);
                    if (file != null && !(file instanceof String)) {
                        throw a.wrongType(1, "a file name");
                    }
                    boolean live = a.flag(2, false);
                    boolean crash = a.flag(3, false);
                    return onDomainVoid(a.dom(0), vm -> domains.dumpCore(vm, (String) file, live, crash));
                });
        define("string xend.domain.maxmem_set(string dom, int mem)",
                "Sets the domain's maximum memory, in MiB (xm mem-max).",
                a -> {
                    long mib = longArg(a, 1);
                    if (mib <= 0) {
                        throw LegacyFaults.error("Invalid memory size");
                    }
                    return onDomainVoid(a.dom(0), vm -> domains.setMemoryMax(vm, mib << 20));
                });
        define("array xend.domain.cpu_sedf_get(string dom)",
                "The SEDF scheduler's parameters: (sedf (domid) (period) (slice) (latency) (extratime) (weight)), "
                        + "times in nanoseconds.",
                a -> onDomain(a.dom(0), vm -> {
                    SchedSedf s = domains.schedSedf(vm);
                    return List.of("sedf",
                            List.of("domid", domains.view(vm).domid()),
                            List.of("period", xmlRpcInt(s.periodNs())),
                            List.of("slice", xmlRpcInt(s.sliceNs())),
                            List.of("latency", xmlRpcInt(s.latencyNs())),
                            List.of("extratime", s.extratime() ? 1 : 0),
                            List.of("weight", s.weight()));
                }));
        define("int xend.domain.cpu_sedf_set(string dom, int period, int slice, int latency, int extratime, "
                        + "int weight)",
                "Sets the SEDF scheduler's parameters, times in nanoseconds; returns 0.",
                a -> {
                    // as Xen reads them: extratime is a flag word whose bit 0 counts; an out-of-range weight stays
                    // out of range for the hypervisor to refuse
                    SchedSedf params = new SchedSedf(longArg(a, 1), longArg(a, 2), longArg(a, 3),
                            (longArg(a, 4) & 1) != 0, (int) Math.max(-1, Math.min(longArg(a, 5), Integer.MAX_VALUE)));
                    onDomainVoid(a.dom(0), vm -> domains.setSchedSedf(vm, params));
                    return 0;
                });
        define("int xend.domain.shadow_control(string dom, int op)",
                "Runs a shadow paging operation (XEN_DOMCTL_SHADOW_OP_*) on the domain; returns 0.",
                a -> {
                    int op = a.integer(1, 0);
                    onDomainVoid(a.dom(0), vm -> domains.shadowControl(vm, op));
                    return 0;
                });
        define("int xend.domain.shadow_mem_get(string dom)",
                "The domain's shadow page-table memory, in MiB.",
                a -> onDomain(a.dom(0), domains::shadowMemory));
        define("int xend.domain.shadow_mem_set(string dom, int mb)",
                "Sets the domain's shadow page-table memory, in MiB; returns the allocation it got.",
                a -> {
                    int mib = a.integer(1, 0);
                    return onDomain(a.dom(0), vm -> domains.setShadowMemory(vm, mib));
                });
        define("int xend.domain.ioport_range_enable(string dom, int first, int last)",
                "Lets the domain use the I/O ports first to last; returns 0.",
                a -> ioports(a, true));
        define("int xend.domain.ioport_range_disable(string dom, int first, int last)",
                "Withdraws the I/O ports first to last from the domain; returns 0.",
                a -> ioports(a, false));
        define("int xend.node.send_debug_keys(string keys)",
                "Presses debug keys on the hypervisor's console (h lists them); their output goes to its dmesg. "
                        + "Returns 0.",
                a -> {
                    hypervisor.sendDebugKeys(a.string(0));
                    return 0;
                });
        define("string xend.node.dmesg.info()", "The hypervisor's console ring (xm dmesg).",
                a -> hypervisor.readConsoleRing(false));
        define("string xend.node.dmesg.clear()", "The hypervisor's console ring, emptied once read (xm dmesg -c).",
                a -> hypervisor.readConsoleRing(true));
    }

    private Object ioports(LegacyArgs a, boolean allow) throws XmlRpcFault {
        int first = a.integer(1, 0);
        int last = a.integer(2, 0);
        onDomainVoid(a.dom(0), vm -> domains.setIoportAccess(vm, first, last, allow));
        return 0;
    }

    /** A 64-bit int parameter: an int, or a string of digits (xm sent those for values beyond XML-RPC's ints). */
    private static long longArg(LegacyArgs a, int i) throws XmlRpcFault {
        Object v = a.raw(i);
        if (v instanceof Integer n) {
            return n;
        }
        if (v instanceof Long n) {
            return n;
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p62) {
            return d.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw a.wrongType(i, "an int");
            }
        }
        throw a.wrongType(i, "an int");
    }

    /** An int as XML-RPC carries it; one beyond its 32 bits as a string of digits, which xm's float() reads. */
    private static Object xmlRpcInt(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : Long.toString(value);
    }

    // ---- introspection ----------------------------------------------------------------------------------------

    private void defineIntrospection() {
        define("array system.listMethods()", "The names of the methods this server offers.",
                a -> new ArrayList<Object>(methods.keySet()));
        define("string system.methodHelp(string name)", "What a method does.",
                a -> {
                    Method m = methods.get(a.string(0));
                    return m == null ? "" : m.help();
                });
        define("array system.methodSignature(string name)",
                "The signatures of a method: its return type, then its parameters' types, one signature per "
                        + "number of parameters it accepts.",
                a -> {
                    Method m = methods.get(a.string(0));
                    return m == null ? "undef" : m.signatures();
                });
    }

    /** xm vcpu-pin: one vCPU or all of them, to a CPU list given as an array of CPU numbers or a list string. */
    private void pin(String vm, LegacyArgs a) throws XmlRpcFault {
        Object map = a.raw(2);
        String cpus;
        if (map instanceof Object[] array) {
            cpus = java.util.Arrays.stream(array).map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        } else if (map instanceof List<?> list) {
            cpus = list.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        } else if (map instanceof String text) {
            cpus = text;
        } else {
            throw a.wrongType(2, "a CPU list");
        }
        String which = String.valueOf(a.raw(1));
        if ("all".equals(which)) {
            int n = domains.view(vm).onlineVcpus();
            for (int v = 0; v < n; v++) {
                domains.pinVcpu(vm, v, cpus);
            }
        } else {
            domains.pinVcpu(vm, a.integer(1, 0), cpus);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void define(String spec, String description, Body body) {
        add(new Method(Method.Shape.parse(spec), description, body));
    }

    private void add(Method m) {
        if (methods.put(m.name(), m) != null) {
            throw new IllegalStateException("legacy method defined twice: " + m.name());
        }
    }

    /** Runs {@code call} on the domain {@code dom} names: fault 3 when it names none, domain errors told for it. */
    private <T> T onDomain(String dom, DomainCall<T> call) throws XmlRpcFault {
        String vm = domains.lookup(dom).orElseThrow(() -> LegacyFaults.invalidDomain(dom));
        try {
            return call.apply(vm);
        } catch (XenApiException e) {
            throw LegacyFaults.fromDomainLayer(e, dom);
        }
    }

    /** The same for a call with no result, which Xend answered with None: sent as "". */
    private String onDomainVoid(String dom, DomainAction action) throws XmlRpcFault {
        return onDomain(dom, vm -> {
            action.run(vm);
            return "";
        });
    }

    private static <T> T inDomainLayer(String dom, Supplier<T> call) throws XmlRpcFault {
        try {
            return call.get();
        } catch (XenApiException e) {
            throw LegacyFaults.fromDomainLayer(e, dom);
        }
    }

    @FunctionalInterface
    interface Body {
        Object call(LegacyArgs args) throws XmlRpcFault;
    }

    @FunctionalInterface
    private interface DomainCall<T> {
        T apply(String vm) throws XmlRpcFault;
    }

    @FunctionalInterface
    private interface DomainAction {
        void run(String vm) throws XmlRpcFault;
    }

    /** One method: its shape (name, types, parameters), what it is for, and what it does. */
    record Method(Shape shape, String description, Body body) {

        String name() {
            return shape.name();
        }

        List<String> paramNames() {
            return shape.paramNames();
        }

        int required() {
            return shape.required();
        }

        String arity() {
            int max = shape.paramNames().size();
            if (required() == max) {
                return max == 0 ? "no arguments" : max == 1 ? "exactly 1 argument" : "exactly " + max + " arguments";
            }
            return required() + " to " + max + " arguments";
        }

        /** XML-RPC introspection: one {@code [return type, parameter types…]} per accepted number of parameters. */
        List<Object> signatures() {
            List<Object> out = new ArrayList<>();
            for (int n = required(); n <= shape.paramTypes().size(); n++) {
                List<Object> signature = new ArrayList<>();
                signature.add(shape.returns());
                signature.addAll(shape.paramTypes().subList(0, n));
                out.add(signature);
            }
            return out;
        }

        String help() {
            return shape.name() + "(" + shape.paramList() + "): " + description;
        }

        /**
         * A method written as {@code "returns name(type param, type param=default, …)"}; a parameter with a
         * default may be left out, and so may every one after it.
         */
        record Shape(String returns, String name, List<String> paramTypes, List<String> paramNames, int required,
                     String paramList) {

            static Shape parse(String spec) {
                int space = spec.indexOf(' ');
                int open = spec.indexOf('(');
                int close = spec.lastIndexOf(')');
                if (space < 0 || open < space || close < open) {
                    throw new IllegalArgumentException("not a method shape: " + spec);
                }
                String paramList = spec.substring(open + 1, close).trim();
                List<String> types = new ArrayList<>();
                List<String> names = new ArrayList<>();
                int required = 0;
                boolean optionalSeen = false;
                if (!paramList.isEmpty()) {
                    for (String param : paramList.split(",")) {
                        String[] typeAndName = param.trim().split(" ", 2);
                        if (typeAndName.length != 2) {
                            throw new IllegalArgumentException("not a parameter: " + param + " in " + spec);
                        }
                        boolean optional = typeAndName[1].contains("=");
                        if (!optional && optionalSeen) {
                            throw new IllegalArgumentException("required parameter after an optional one: " + spec);
                        }
                        optionalSeen |= optional;
                        required += optional ? 0 : 1;
                        types.add(typeAndName[0]);
                        String name = typeAndName[1];
                        names.add(optional ? name.substring(0, name.indexOf('=')) : name);
                    }
                }
                return new Shape(spec.substring(0, space), spec.substring(space + 1, open),
                        Collections.unmodifiableList(types), Collections.unmodifiableList(names), required, paramList);
            }
        }
    }
}
