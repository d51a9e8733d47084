package org.xend.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.spi.hypervisor.Hypervisor;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.xenstore.XenStore;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * The domain layer's side of xm dump-core, mem-max and sched-sedf and of the shadow memory and I/O port calls of
 * the legacy API: the power-state and Domain-0 checks, what a managed VM keeps of them, and the hypervisor's errors
 * told as Xen API errors (EINVAL as VALUE_NOT_SUPPORTED, a domain that vanished as VM_BAD_POWER_STATE).
 */
final class HypervisorControls {

    private static final Logger LOG = LoggerFactory.getLogger(HypervisorControls.class);
    private static final int ESRCH = 3;
    private static final int EINVAL = 22;
    private static final Set<String> WITH_DOMAIN = Set.of(XendDomain.RUNNING, XendDomain.PAUSED);
    private static final Set<String> DUMPABLE = Set.of(XendDomain.RUNNING, XendDomain.PAUSED, XendDomain.CRASHED);
    private static final Set<String> MAXMEM_STATES = Set.of(XendDomain.HALTED, XendDomain.RUNNING,
            XendDomain.PAUSED);

    private final XendDomain domains;
    private final ObjectStore store;
    private final Hypervisor hypervisor;
    private final XenStore xenstore;

    HypervisorControls(XendDomain domains, ObjectStore store, Hypervisor hypervisor, XenStore xenstore) {
        this.domains = domains;
        this.store = store;
        this.hypervisor = hypervisor;
        this.xenstore = xenstore;
    }

    /**
     * xm dump-core, as Xend's domain_dump: a running domain is paused for the dump unless {@code live}; then with
     * {@code crash} it is destroyed as the lifecycle destroys a domain (a managed VM stays, Halted), else a domain
     * paused here is unpaused. Returns the file written.
     */
    String dumpCore(String vm, String file, boolean live, boolean crash) {
        Path requested = file == null || file.isEmpty() ? null : absolute("file", file);
        if (requested != null && Files.isDirectory(requested)) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "file", file,
                    "a core dump cannot be written over a directory");
        }
        Path[] written = new Path[1];
        domains.exclusiveOperation(vm, crash ? "hard_shutdown" : "save", DUMPABLE, null, () -> {
            ApiObject rec = store.require(XendDomain.VM, vm);
            int domid = domid(rec);
            Path target = requested != null ? requested : domains.newDumpFile(rec.string("name_label"), domid);
            boolean pausedHere = !live && XendDomain.RUNNING.equals(rec.string("power_state"));
            if (pausedHere) {
                call(vm, "dom", vm, () -> hypervisor.pause(domid));
            }
            try {
                dump(vm, domid, target);
                LOG.info("Core of VM {} (domain {}) dumped to {}{}", rec.get("name_label"), domid, target,
                        live ? " live" : "");
                if (crash) {
                    domains.destroyDomainOf(vm);
                    pausedHere = false;
                }
            } finally {
                if (pausedHere) {
                    call(vm, "dom", vm, () -> hypervisor.unpause(domid));
                }
            }
            written[0] = target;
        });
        return written[0].toString();
    }

    /**
     * xm mem-max: {@code memory_static_max}, checked against the VM's other memory fields and saved for a managed
     * VM, and the domain's limit when it has one.
     */
    void setMemoryMax(String vm, long bytes) {
        domains.exclusiveOperation(vm, "changing_memory_live", MAXMEM_STATES, null, () -> {
            ApiObject rec = store.require(XendDomain.VM, vm);
            Map<String, Object> next = new LinkedHashMap<>(rec.fields());
            next.put("memory_static_max", bytes);
            VmRules.checkMemory(next);
            int domid = domid(rec);
            if (domid > 0) {
                call(vm, "memory_static_max", Long.toString(bytes),
                        () -> hypervisor.setMaxMemory(domid, bytes / 1024));
            }
            store.update(XendDomain.VM, vm, f -> {
                f.put("memory_static_max", bytes);
                return f;
            });
        });
    }

    /** Reading is allowed on Domain-0 too, as xm sched-sedf lists it. */
    SchedSedf schedSedf(String vm) {
        int domid = liveDomid(vm, true);
        return call(vm, "scheduler", "sedf", () -> hypervisor.schedSedf(domid));
    }

    void setSchedSedf(String vm, SchedSedf params) {
        domains.exclusiveOperation(vm, "changing_VCPUs_live", WITH_DOMAIN, null, () -> {
            int domid = domid(store.require(XendDomain.VM, vm));
            call(vm, "sedf", String.valueOf(params), () -> hypervisor.setSchedSedf(domid, params));
        });
    }

    void shadowControl(String vm, int op) {
        int domid = liveDomid(vm);
        call(vm, "op", Integer.toString(op), () -> hypervisor.shadowControl(domid, op));
    }

    int shadowMemory(String vm) {
        int domid = liveDomid(vm);
        return call(vm, "shadow_memory", "", () -> hypervisor.shadowAllocationMib(domid));
    }

    /** Xend kept the result as the VM's {@code shadow_memory} (MiB), in its configuration and under /vm. */
    int setShadowMemory(String vm, int mib) {
        int[] result = new int[1];
        domains.exclusiveOperation(vm, "changing_memory_live", WITH_DOMAIN, null, () -> {
            int domid = domid(store.require(XendDomain.VM, vm));
            result[0] = call(vm, "shadow_memory", Integer.toString(mib),
                    () -> hypervisor.setShadowAllocationMib(domid, mib));
            String value = Integer.toString(result[0]);
            xenstore.write("/vm/" + vm + "/shadow_memory", value);
            domains.setConfigExtra(vm, "shadow_memory", value);
        });
        return result[0];
    }

    void setIoportAccess(String vm, int first, int last, boolean allow) {
        int domid = liveDomid(vm);
        // Xend passed last - first + 1 on as the count: a range given backwards is the hypervisor's EINVAL
        int count = last - first + 1;
        call(vm, "ioports", first + "-" + last, () -> hypervisor.ioportPermission(domid, first, count, allow));
    }

    /** The domid of a VM that has a domain; Domain-0 is refused as every operation refuses it. */
    private int liveDomid(String vm) {
        return liveDomid(vm, false);
    }

    private int liveDomid(String vm, boolean domain0Allowed) {
        ApiObject rec = store.require(XendDomain.VM, vm);
        if (Refs.DOMAIN_0.equals(vm) && !domain0Allowed) {
            throw new XenApiException(ErrorCodes.OPERATION_NOT_ALLOWED);
        }
        String state = rec.string("power_state");
        if (!WITH_DOMAIN.contains(state)) {
            throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, XendDomain.RUNNING, state);
        }
        return domid(rec);
    }

    private static int domid(ApiObject rec) {
        return (int) rec.longValue("domid");
    }

    private static Path absolute(String field, String path) {
        if (!path.startsWith("/")) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, field, path, "the path must be absolute");
        }
        return Path.of(path);
    }

    /** The dump itself: a file that cannot be written is the caller's to fix, as Xend's XendError told it. */
    private void dump(String vm, int domid, Path target) {
        try {
            hypervisor.coreDump(domid, target);
        } catch (HypervisorException e) {
            if (e.errno() == ESRCH) {
                throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, XendDomain.RUNNING, XendDomain.HALTED);
            }
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "file", target.toString(), e.getMessage());
        }
    }

    private static void call(String vm, String field, String value, Runnable hypercall) {
        call(vm, field, value, () -> {
            hypercall.run();
            return null;
        });
    }

    /**
     * Runs a hypervisor call, telling its failure as the Xen API error a client can act on: EINVAL as
     * VALUE_NOT_SUPPORTED for {@code field} and {@code value}, a domain gone meanwhile as VM_BAD_POWER_STATE.
     */
    private static <T> T call(String vm, String field, String value, Supplier<T> hypercall) {
        try {
            return hypercall.get();
        } catch (NotEnoughMemoryException e) {
            throw XendDomain.notEnoughMemory(e);
        } catch (HypervisorException e) {
            if (e.errno() == ESRCH) {
                throw new XenApiException(ErrorCodes.VM_BAD_POWER_STATE, vm, XendDomain.RUNNING, XendDomain.HALTED);
            }
            if (e.errno() == EINVAL) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, field, value, e.getMessage());
            }
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, e.getMessage());
        }
    }
}
