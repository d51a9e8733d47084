package org.xend.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.VcpuInfo;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/** The behaviour of the VM and VM_metrics classes: lifecycle messages, setter checks and live metrics. */
final class VmClasses {

    private final XendDomain domains;
    private final Hypervisor hypervisor;
    private final ObjectStore store;

    VmClasses(XendDomain domains, Hypervisor hypervisor, ObjectStore store) {
        this.domains = domains;
        this.hypervisor = hypervisor;
        this.store = store;
    }

    ClassImplementation vm() {
        return new ClassImplementation() {
            @Override
            public String className() {
                return XendDomain.VM;
            }

            @Override
            public Map<String, MessageImpl> messages() {
                Map<String, MessageImpl> m = new LinkedHashMap<>();
                m.put("create", call -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> record = (Map<String, Object>) call.arg(0);
                    return domains.create(record);
                });
                m.put("destroy", call -> {
                    domains.destroy(call.self(), call);
                    return null;
                });
                m.put("start", call -> {
                    domains.start(call.self(), call.boolArg(0), call);
                    return null;
                });
                m.put("pause", call -> {
                    domains.pause(call.self(), call);
                    return null;
                });
                m.put("unpause", call -> {
                    domains.unpause(call.self(), call);
                    return null;
                });
                m.put("clean_shutdown", call -> {
                    domains.cleanShutdown(call.self(), call);
                    return null;
                });
                m.put("hard_shutdown", call -> {
                    domains.hardShutdown(call.self(), call);
                    return null;
                });
                m.put("clean_reboot", call -> {
                    domains.cleanReboot(call.self(), call);
                    return null;
                });
                m.put("hard_reboot", call -> {
                    domains.hardReboot(call.self(), call);
                    return null;
                });
                m.put("suspend", call -> {
                    domains.suspend(call.self(), call);
                    return null;
                });
                m.put("resume", call -> {
                    domains.resume(call.self(), call.boolArg(0), call);
                    return null;
                });
                m.put("save", call -> {
                    domains.save(call.self(), call.stringArg(0), call.boolArg(1), call);
                    return null;
                });
                m.put("restore", call -> domains.restore(call.stringArg(0), call.boolArg(1), call));
                m.put("set_memory_dynamic_max_live", call -> {
                    domains.setMemoryDynamicMaxLive(call.self(), (Long) call.arg(0), call);
                    return null;
                });
                m.put("set_memory_dynamic_min_live", call -> {
                    domains.setMemoryDynamicMinLive(call.self(), (Long) call.arg(0), call);
                    return null;
                });
                m.put("set_VCPUs_number_live", call -> {
                    domains.setVcpusNumberLive(call.self(), (Long) call.arg(0), call);
                    return null;
                });
                m.put("add_to_VCPUs_params_live", call -> {
                    domains.addToVcpusParamsLive(call.self(), call.stringArg(0), call.stringArg(1), call);
                    return null;
                });
                m.put("send_sysrq", call -> {
                    domains.sendSysrq(call.self(), call.stringArg(0), call);
                    return null;
                });
                m.put("send_trigger", call -> {
                    domains.sendTrigger(call.self(), call.stringArg(0), call);
                    return null;
                });
                m.put("migrate", call -> {
                    domains.migrate(call.self(), call.stringArg(0), migrationPort(call.arg(2)), call.boolArg(1),
                            call);
                    return null;
                });
                return m;
            }

            @Override
            public ApiObject live(ApiObject stored) {
                Map<String, Object> f = new LinkedHashMap<>(stored.fields());
                Optional<XendDomain.CurrentOperation> current = domains.currentOperation(stored.ref());
                f.put("current_operations", current.map(c -> Map.of(c.key(), c.operation())).orElse(Map.of()));
                f.put("allowed_operations", Refs.DOMAIN_0.equals(stored.ref()) || current.isPresent()
                        ? List.of() : Lifecycle.allowed(stored.string("power_state")));
                return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
            }

            @Override
            public Object checkFieldChange(Call call, ApiObject current, FieldDecl field, Object newValue) {
                if (Refs.DOMAIN_0.equals(current.ref()) && !"other_config".equals(field.name())) {
                    throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
                }
                String name = field.name();
                if ("name_label".equals(name)) {
                    domains.checkRename(current.ref(), (String) newValue);
                } else if (name.startsWith("memory_") || name.startsWith("VCPUs_")) {
                    Map<String, Object> next = new LinkedHashMap<>(current.fields());
                    next.put(name, newValue);
                    if (name.startsWith("memory_")) {
                        VmRules.checkMemory(next);
                    } else if (!"VCPUs_params".equals(name)) {
                        VmRules.checkVcpus(next);
                    }
                }
                return newValue;
            }
        };
    }

    /**
     * The {@code port} of VM.migrate's options (0 when absent: the relocation port). Xend's {@code resource} key, and
     * any other, is accepted and ignored, as Xend did.
     */
    static int migrationPort(Object options) {
        Object port = options instanceof Map<?, ?> map ? map.get("port") : null;
        if (port == null || port.toString().isBlank()) {
            return 0;
        }
        try {
            int value = Integer.parseInt(port.toString().trim());
            if (value >= 0 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "port", port.toString(),
                "the relocation port is a number from 1 to 65535 (0 or absent: the default)");
    }

    ClassImplementation metrics() {
        return new ClassImplementation() {
            @Override
            public String className() {
                return XendDomain.VM_METRICS;
            }

            @Override
            public Map<String, MessageImpl> messages() {
                return Map.of();
            }

            @Override
            public ApiObject live(ApiObject stored) {
                Optional<String> vm = domains.vmOfMetrics(stored.ref());
                if (vm.isEmpty()) {
                    return stored;
                }
                return withLiveValues(stored, vm.get());
            }
        };
    }

    private ApiObject withLiveValues(ApiObject stored, String vmRef) {
        Fields fields = domains.metricsFields();
        Map<String, Object> f = new LinkedHashMap<>(stored.fields());
        ApiObject vm = store.get(XendDomain.VM, vmRef).orElse(null);
        long domid = vm == null ? -1 : vm.longValue("domid");
        Optional<DomainInfo> info = domid >= 0 ? hypervisor.domain((int) domid) : Optional.empty();
        Map<Long, Double> utilisation = new LinkedHashMap<>();
        Map<Long, Long> cpu = new LinkedHashMap<>();
        Map<Long, List<String>> flags = new LinkedHashMap<>();
        long online = 0;
        if (info.isPresent()) {
            long wall = Math.max(1, System.nanoTime() - startNanos(vmRef));
            for (VcpuInfo v : hypervisor.vcpus((int) domid)) {
                utilisation.put((long) v.number(), Math.min(1.0, (double) v.cpuTimeNs() / wall));
                cpu.put((long) v.number(), (long) v.cpu());
                flags.put((long) v.number(), vcpuFlags(v));
                if (v.online()) {
                    online++;
                }
            }
        }
        fields.put(f, "memory_actual", info.map(i -> i.memoryKib() * 1024).orElse(0L));
        fields.put(f, "VCPUs_number", online);
        fields.put(f, "VCPUs_utilisation", utilisation);
        fields.put(f, "VCPUs_CPU", cpu);
        fields.put(f, "VCPUs_flags", flags);
        fields.put(f, "VCPUs_params", vm == null ? Map.of() : vm.stringMap("VCPUs_params"));
        fields.put(f, "state", info.map(VmClasses::domainState).orElse(List.of()));
        fields.put(f, "start_time", info.isPresent()
                ? domains.dom(vmRef).map(d -> d.startTime).orElse(Instant.EPOCH) : Instant.EPOCH);
        fields.put(f, "last_updated", Instant.now());
        return new ApiObject(stored.className(), stored.ref(), stored.generation(), f);
    }

    private long startNanos(String vmRef) {
        Instant start = domains.dom(vmRef).map(d -> d.startTime).orElse(Instant.now());
        long ageNanos = java.time.Duration.between(start, Instant.now()).toNanos();
        return System.nanoTime() - Math.max(1, ageNanos);
    }

    private static List<String> vcpuFlags(VcpuInfo v) {
        List<String> out = new java.util.ArrayList<>();
        if (v.online()) {
            out.add("online");
        }
        if (v.running()) {
            out.add("running");
        }
        if (v.blocked()) {
            out.add("blocked");
        }
        return out;
    }

    private static List<String> domainState(DomainInfo i) {
        List<String> out = new java.util.ArrayList<>();
        if (i.running()) {
            out.add("running");
        }
        if (i.blocked()) {
            out.add("blocked");
        }
        if (i.paused()) {
            out.add("paused");
        }
        if (i.dying()) {
            out.add("dying");
        }
        if (i.crashed()) {
            out.add("crashed");
        }
        if (i.shutdown()) {
            out.add("shutdown");
        }
        return out;
    }
}
