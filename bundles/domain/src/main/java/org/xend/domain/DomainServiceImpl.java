package org.xend.domain;

import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DeviceView;
import org.xend.api.domain.DomainService;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.config.DeviceConfig;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/** The domain layer for the configuration-speaking doors; every call runs XendDomain's own code. */
final class DomainServiceImpl implements DomainService {

    private final XendDomain domains;
    private final ObjectStore store;
    private final Hypervisor hypervisor;

    DomainServiceImpl(XendDomain domains, ObjectStore store, Hypervisor hypervisor) {
        this.domains = domains;
        this.store = store;
        this.hypervisor = hypervisor;
    }

    @Override
    public Optional<String> lookup(String dom) {
        if (dom == null || dom.isEmpty()) {
            return Optional.empty();
        }
        if (store.get(XendDomain.VM, dom).isPresent()) {
            return Optional.of(dom);
        }
        boolean numeric = dom.chars().allMatch(Character::isDigit) && dom.length() < 10;
        for (ApiObject vm : store.all(XendDomain.VM)) {
            if (dom.equals(vm.get("name_label"))
                    || (numeric && vm.longValue("domid") == Long.parseLong(dom) && vm.longValue("domid") >= 0)) {
                return Optional.of(vm.ref());
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> vms() {
        List<ApiObject> all = new ArrayList<>(store.all(XendDomain.VM));
        all.sort(Comparator.comparing((ApiObject o) -> !Refs.DOMAIN_0.equals(o.ref()))
                .thenComparing(o -> o.string("name_label")));
        return all.stream().map(ApiObject::ref).toList();
    }

    @Override
    public DomainView view(String vm) {
        ApiObject rec = store.require(XendDomain.VM, vm);
        XendDomain.Dom d = domains.dom(vm).orElseThrow(
                () -> new XenApiException(ErrorCodes.HANDLE_INVALID, XendDomain.VM, vm));
        VmConfig config = domains.configOf(rec, true).orElseThrow();
        int domid = (int) rec.longValue("domid");
        Optional<DomainInfo> info = domid >= 0 ? hypervisor.domain(domid) : Optional.empty();
        return new DomainView(vm, config, rec.string("power_state"), d.managed, domid,
                info.map(DomainInfo::memoryKib).orElse(0L),
                info.map(DomainInfo::maxMemoryKib).orElse(rec.longValue("memory_static_max") / 1024),
                info.map(DomainInfo::onlineVcpus).orElse((int) rec.longValue("VCPUs_at_startup")),
                info.map(DomainInfo::cpuTimeNs).orElse(0L),
                info.flatMap(DomainInfo::shutdownReason),
                info.isPresent() ? d.startTime : Instant.EPOCH,
                info.isPresent() ? hypervisor.vcpus(domid) : List.of(),
                d.restartCount);
    }

    @Override
    public String define(VmConfig config) {
        return domains.define(config);
    }

    @Override
    public String createStarted(VmConfig config, boolean paused) {
        return domains.createStarted(config, paused);
    }

    @Override
    public void start(String vm, boolean paused) {
        domains.start(vm, paused, null);
    }

    @Override
    public void pause(String vm) {
        domains.pause(vm, null);
    }

    @Override
    public void unpause(String vm) {
        domains.unpause(vm, null);
    }

    @Override
    public void shutdown(String vm, String reason) {
        switch (reason) {
            case "poweroff" -> domains.cleanShutdown(vm, null);
            case "halt" -> domains.cleanHalt(vm, null);
            case "reboot" -> domains.cleanReboot(vm, null);
            default -> throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "reason", reason,
                    "a shutdown reason is poweroff, halt or reboot");
        }
    }

    @Override
    public void destroyDomain(String vm) {
        domains.hardShutdown(vm, null);
    }

    @Override
    public void delete(String vm) {
        domains.destroy(vm, null);
    }

    @Override
    public void rename(String vm, String name) {
        domains.rename(vm, name);
    }

    @Override
    public void suspend(String vm) {
        domains.suspend(vm, null);
    }

    @Override
    public void resume(String vm, boolean paused) {
        domains.resume(vm, paused, null);
    }

    @Override
    public void save(String vm, String path, boolean checkpoint) {
        domains.save(vm, path, checkpoint, null);
    }

    @Override
    public String restore(String path, boolean paused) {
        return domains.restore(path, paused, null);
    }

    @Override
    public void sendSysrq(String vm, String key) {
        domains.sendSysrq(vm, key, null);
    }

    @Override
    public void sendTrigger(String vm, String trigger) {
        domains.sendTrigger(vm, trigger, null);
    }

    @Override
    public void setMemoryTarget(String vm, long bytes) {
        domains.setMemoryTarget(vm, bytes, null);
    }

    @Override
    public void setVcpus(String vm, int count) {
        domains.setVcpusNumberLive(vm, count, null);
    }

    @Override
    public void pinVcpu(String vm, int vcpu, String cpus) {
        domains.addToVcpusParamsLive(vm, "cpumap" + vcpu, cpus, null);
    }

    @Override
    public SchedCredit schedCredit(String vm) {
        return domains.schedCredit(vm);
    }

    @Override
    public String dumpCore(String vm, String file, boolean live, boolean crash) {
        return domains.hypervisorControls().dumpCore(vm, file, live, crash);
    }

    @Override
    public void setMemoryMax(String vm, long bytes) {
        domains.hypervisorControls().setMemoryMax(vm, bytes);
    }

    @Override
    public SchedSedf schedSedf(String vm) {
        return domains.hypervisorControls().schedSedf(vm);
    }

    @Override
    public void setSchedSedf(String vm, SchedSedf params) {
        domains.hypervisorControls().setSchedSedf(vm, params);
    }

    @Override
    public void shadowControl(String vm, int op) {
        domains.hypervisorControls().shadowControl(vm, op);
    }

    @Override
    public int shadowMemory(String vm) {
        return domains.hypervisorControls().shadowMemory(vm);
    }

    @Override
    public int setShadowMemory(String vm, int mib) {
        return domains.hypervisorControls().setShadowMemory(vm, mib);
    }

    @Override
    public void setIoportAccess(String vm, int first, int last, boolean allow) {
        domains.hypervisorControls().setIoportAccess(vm, first, last, allow);
    }

    @Override
    public void setSchedCredit(String vm, Integer weight, Integer cap) {
        if (weight != null) {
            domains.addToVcpusParamsLive(vm, "weight", weight.toString(), null);
        }
        if (cap != null) {
            domains.addToVcpusParamsLive(vm, "cap", cap.toString(), null);
        }
    }

    @Override
    public void migrate(String vm, String host, int port, boolean live) {
        domains.migrate(vm, host, port, live, null);
    }

    @Override
    public String receiveMigration(String uuid, String name, long memoryBytes,
                                   ReadableByteChannel image, Runnable accepted) {
        return domains.receiveMigration(uuid, name, memoryBytes, image, accepted);
    }

    @Override
    public String daemonLog() {
        return HostLog.read(HostLog.karafLog(), HostLog.MAX_BYTES);
    }

    @Override
    public int createDevice(String vm, DeviceConfig device) {
        return domains.deviceOperations().create(vm, device);
    }

    @Override
    public void configureDevice(String vm, DeviceConfig device, String devid) {
        domains.deviceOperations().configure(vm, device, devid);
    }

    @Override
    public void destroyDevice(String vm, String deviceClass, String device, boolean force) {
        domains.deviceOperations().destroy(vm, deviceClass, device, force);
    }

    @Override
    public List<DeviceView> devices(String vm, String deviceClass) {
        return domains.deviceOperations().list(vm, deviceClass);
    }

    @Override
    public void waitForDevices(String vm) {
        domains.deviceOperations().waitForAll(vm);
    }
}
