package org.xend.domain;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.spi.hypervisor.CpuInfo;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.PhysInfo;
import org.xend.api.spi.hypervisor.VersionInfo;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.MessageImpl;
import org.xend.api.store.ObjectStore;

/** This host, its metrics and its CPUs, as Xen API objects whose live values come from the hypervisor. */
final class HostObjects {

    static final String HOST = "host";
    static final String HOST_METRICS = "host_metrics";
    static final String HOST_CPU = "host_cpu";
    static final String POOL = "pool";
    static final String XEND_VERSION = "4.0.0-java";

    private final ObjectStore store;
    private final Hypervisor hypervisor;
    private final HostState state;
    private final Map<String, Integer> cpuNumbers = new ConcurrentHashMap<>();
    /** Last (wall time, idle time) sample per pCPU, for utilisation between reads. */
    private final Map<Integer, long[]> idleSamples = new ConcurrentHashMap<>();

    private HostObjects(ObjectStore store, Hypervisor hypervisor, HostState state) {
        this.store = store;
        this.hypervisor = hypervisor;
        this.state = state;
    }

    static HostObjects create(ObjectStore store, Hypervisor hypervisor, Path stateDir) throws IOException {
        PhysInfo phys = hypervisor.physinfo();
        List<CpuInfo> cpus = hypervisor.cpus();
        HostState state = HostState.load(stateDir, cpus.size(), hostname());
        HostObjects h = new HostObjects(store, hypervisor, state);
        h.build(phys, cpus, hypervisor.version());
        return h;
    }

    String hostRef() {
        return state.uuid;
    }

    private void build(PhysInfo phys, List<CpuInfo> cpus, VersionInfo v) {
        Fields hostFields = fields(HOST);
        Map<String, Object> f = new LinkedHashMap<>();
        hostFields.put(f, "name_label", state.nameLabel);
        hostFields.put(f, "name_description", state.nameDescription);
        hostFields.put(f, "API_version_major", 1L);
        hostFields.put(f, "API_version_minor", 0L);
        hostFields.put(f, "API_version_vendor", "xenbits");
        hostFields.put(f, "API_version_vendor_implementation", Map.of());
        hostFields.put(f, "enabled", true);
        hostFields.put(f, "software_version", softwareVersion(v));
        hostFields.put(f, "other_config", Map.copyOf(state.otherConfig));
        hostFields.put(f, "capabilities", List.of(v.xenCaps().trim().split("\\s+")));
        hostFields.put(f, "cpu_configuration", Map.of(
                "nr_nodes", Integer.toString(phys.nrNodes()),
                "sockets_per_node", Integer.toString(phys.socketsPerNode()),
                "cores_per_socket", Integer.toString(phys.coresPerSocket()),
                "threads_per_core", Integer.toString(phys.threadsPerCore())));
        hostFields.put(f, "sched_policy", v.scheduler());
        hostFields.put(f, "supported_bootloaders", List.of("pygrub"));
        hostFields.put(f, "metrics", state.metrics);
        store.create(HOST, state.uuid, f);
        store.create(HOST_METRICS, state.metrics, Map.of());
        Fields poolFields = fields(POOL);
        Map<String, Object> pf = new LinkedHashMap<>();
        poolFields.put(pf, "name_label", state.poolNameLabel);
        poolFields.put(pf, "name_description", state.poolNameDescription);
        poolFields.put(pf, "master", state.uuid);
        poolFields.put(pf, "other_config", Map.copyOf(state.poolOtherConfig));
        store.create(POOL, state.pool, pf);
        Fields cpuFields = fields(HOST_CPU);
        for (int i = 0; i < cpus.size(); i++) {
            CpuInfo c = cpus.get(i);
            Map<String, Object> cf = new LinkedHashMap<>();
            cpuFields.put(cf, "host", state.uuid);
            cpuFields.put(cf, "number", (long) c.number());
            cpuFields.put(cf, "vendor", c.vendor());
            cpuFields.put(cf, "speed", c.speedMhz());
            cpuFields.put(cf, "modelname", c.modelName());
            cpuFields.put(cf, "family", (long) c.family());
            cpuFields.put(cf, "model", (long) c.model());
            cpuFields.put(cf, "stepping", Integer.toString(c.stepping()));
            cpuFields.put(cf, "flags", c.flags());
            cpuFields.put(cf, "features", phys.hwCaps());
            store.create(HOST_CPU, state.cpus.get(i), cf);
            cpuNumbers.put(state.cpus.get(i), c.number());
        }
    }

    /** Drops the host objects from the store (their persister must already be gone). */
    void forgetAll() {
        for (String cpu : state.cpus) {
            store.remove(HOST_CPU, cpu);
        }
        store.remove(HOST_METRICS, state.metrics);
        store.remove(POOL, state.pool);
        store.remove(HOST, state.uuid);
    }

    private Map<String, String> softwareVersion(VersionInfo v) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Xen", v.xenMajor() + "." + v.xenMinor());
        m.put("Xend", XEND_VERSION);
        m.put("system", System.getProperty("os.name", "Linux"));
        m.put("host", hostname());
        m.put("release", System.getProperty("os.version", ""));
        m.put("version", "");
        m.put("machine", System.getProperty("os.arch", ""));
        m.put("xend_config_format", "4");
        m.put("xen_major", Integer.toString(v.xenMajor()));
        m.put("xen_minor", Integer.toString(v.xenMinor()));
        m.put("xen_extra", v.xenExtra());
        m.put("xen_changeset", v.xenChangeset());
        m.put("cc_compiler", v.ccCompiler());
        m.put("cc_compile_by", v.ccCompileBy());
        m.put("cc_compile_domain", v.ccCompileDomain());
        m.put("cc_compile_date", v.ccCompileDate());
        return m;
    }

    private Fields fields(String cls) {
        return new Fields(store.datamodel().classDecl(cls).orElseThrow());
    }

    /** host: resident_VMs is live; name and other_config changes are saved. */
    ClassImplementation hostClass() {
        return new ClassImplementation() {
            @Override
            public String className() {
                return HOST;
            }

            @Override
            public Map<String, MessageImpl> messages() {
                Map<String, MessageImpl> m = new LinkedHashMap<>();
                m.put("disable", call -> setEnabled(false));
                m.put("enable", call -> setEnabled(true));
                m.put("list_methods", call -> new ArrayList<>(store.datamodel().calls().keySet()));
                m.put("shutdown", HostObjects::refusePowerOff);
                m.put("reboot", HostObjects::refusePowerOff);
                m.put("dmesg", call -> consoleRing(false));
                m.put("dmesg_clear", call -> consoleRing(true));
                m.put("send_debug_keys", call -> {
                    try {
                        hypervisor.sendDebugKeys(call.stringArg(0));
                    } catch (HypervisorException e) {
                        throw new XenApiException(ErrorCodes.INTERNAL_ERROR, e.getMessage());
                    }
                    return null;
                });
                m.put("get_log", call -> HostLog.read(HostLog.karafLog(), HostLog.MAX_BYTES));
                return m;
            }

            @Override
            public ApiObject live(ApiObject stored) {
                List<String> resident = new ArrayList<>();
                for (ApiObject vm : store.all(XendDomain.VM)) {
                    if (stored.ref().equals(vm.get("resident_on"))) {
                        resident.add(vm.ref());
                    }
                }
                Map<String, Object> f = new LinkedHashMap<>(stored.fields());
                f.put("resident_VMs", resident);
                return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
            }
        };
    }

    /** The hypervisor's console ring (Xend's XendDmesg), emptied once read when {@code clear}. */
    private String consoleRing(boolean clear) {
        try {
            return hypervisor.readConsoleRing(clear);
        } catch (HypervisorException e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, e.getMessage());
        }
    }

    private Object setEnabled(boolean enabled) {
        store.update(HOST, state.uuid, f -> {
            f.put("enabled", enabled);
            return f;
        });
        return null;
    }

    private static Object refusePowerOff(Call call) {
        if (call.store().require(HOST, call.self()).bool("enabled")) {
            throw new XenApiException("EHOSTRUNNING", "Host is still Running");
        }
        throw new XenApiException("NOT_IMPLEMENTED", call.api().wireName());
    }

    /** Saves the host's RW fields when they change. */
    ClassPersister hostPersister() {
        return new ClassPersister() {
            @Override
            public void write(ApiObject before, ApiObject after) throws IOException {
                synchronized (state) {
                    state.nameLabel = after.string("name_label");
                    state.nameDescription = after.string("name_description");
                    state.otherConfig.clear();
                    state.otherConfig.putAll(after.stringMap("other_config"));
                    state.save();
                }
            }

            @Override
            public void delete(ApiObject before) {
                throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
            }
        };
    }

    /** The one pool, whose master is this host: its name is saved with the host's state. */
    ClassPersister poolPersister() {
        return new ClassPersister() {
            @Override
            public void write(ApiObject before, ApiObject after) throws IOException {
                synchronized (state) {
                    state.poolNameLabel = after.string("name_label");
                    state.poolNameDescription = after.string("name_description");
                    state.poolOtherConfig.clear();
                    state.poolOtherConfig.putAll(after.stringMap("other_config"));
                    state.save();
                }
            }

            @Override
            public void delete(ApiObject before) {
                throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
            }
        };
    }

    ClassImplementation hostMetricsClass() {
        return new LiveOnly(HOST_METRICS) {
            @Override
            public ApiObject live(ApiObject stored) {
                PhysInfo p = hypervisor.physinfo();
                Map<String, Object> f = new LinkedHashMap<>(stored.fields());
                f.put("memory_total", p.totalMemoryKib() * 1024);
                f.put("memory_free", p.freeMemoryKib() * 1024);
                f.put("last_updated", Instant.now());
                return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
            }
        };
    }

    ClassImplementation hostCpuClass() {
        return new LiveOnly(HOST_CPU) {
            @Override
            public ApiObject live(ApiObject stored) {
                Integer number = cpuNumbers.get(stored.ref());
                if (number == null) {
                    return stored;
                }
                Map<String, Object> f = new LinkedHashMap<>(stored.fields());
                f.put("utilisation", utilisation(number));
                return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
            }
        };
    }

    /** Busy share of the pCPU since the previous read (0.0 on the first). */
    private double utilisation(int number) {
        for (CpuInfo c : hypervisor.cpus()) {
            if (c.number() == number) {
                long now = System.nanoTime();
                long[] previous = idleSamples.put(number, new long[] {now, c.idleTimeNs()});
                if (previous == null || now <= previous[0]) {
                    return 0.0;
                }
                double idle = (double) (c.idleTimeNs() - previous[1]) / (now - previous[0]);
                return Math.max(0.0, Math.min(1.0, 1.0 - idle));
            }
        }
        return 0.0;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** A class with no messages of its own, only live values. */
    private abstract static class LiveOnly implements ClassImplementation {
        private final String name;

        LiveOnly(String name) {
            this.name = name;
        }

        @Override
        public String className() {
            return name;
        }

        @Override
        public Map<String, MessageImpl> messages() {
            return Map.of();
        }

        @Override
        public Object checkFieldChange(Call call, ApiObject current, FieldDecl field, Object newValue) {
            return newValue;
        }
    }
}
