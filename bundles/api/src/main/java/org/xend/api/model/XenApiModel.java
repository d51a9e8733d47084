package org.xend.api.model;

import org.xend.api.datamodel.Datamodel;

/**
 * The Xen API 1.0 datamodel as this daemon serves it: every class of the spec, XAPI's minimal {@code pool}, and
 * every error code. Built once, on first use; the result is immutable and shared.
 */
public final class XenApiModel {

    public static final String SESSION = "session";
    public static final String TASK = "task";
    public static final String HOST = "host";
    public static final String HOST_CPU = "host_cpu";
    public static final String HOST_METRICS = "host_metrics";
    public static final String VM = "VM";
    public static final String VM_METRICS = "VM_metrics";
    public static final String EVENT = "event";
    public static final String POOL = "pool";
    public static final String VM_GUEST_METRICS = "VM_guest_metrics";
    public static final String NETWORK = "network";
    public static final String VIF = "VIF";
    public static final String VIF_METRICS = "VIF_metrics";
    public static final String PIF = "PIF";
    public static final String PIF_METRICS = "PIF_metrics";
    public static final String SR = "SR";
    public static final String VDI = "VDI";
    public static final String VBD = "VBD";
    public static final String VBD_METRICS = "VBD_metrics";
    public static final String PBD = "PBD";
    public static final String CRASHDUMP = "crashdump";
    public static final String VTPM = "VTPM";
    public static final String CONSOLE = "console";
    public static final String USER = "user";
    public static final String DEBUG = "debug";

    /** The API version the host reports; the defaults of {@code host.API_version_*}. */
    public static final long API_VERSION_MAJOR = 1L;
    public static final long API_VERSION_MINOR = 0L;
    public static final String API_VERSION_VENDOR = "xenbits";

    private XenApiModel() {
    }

    public static Datamodel datamodel() {
        return Holder.MODEL;
    }

    /** Lazy, thread-safe initialisation through class loading. */
    private static final class Holder {
        static final Datamodel MODEL = build();
    }

    private static Datamodel build() {
        // The spec's order, with XAPI's pool after event as XAPI lists it.
        Datamodel.Builder model = Datamodel.builder()
                .add(SessionClass.declaration())
                .add(TaskClass.declaration())
                .add(EventClass.declaration())
                .add(PoolClass.declaration())
                .add(VmClass.declaration())
                .add(VmMetricsClass.declaration())
                .add(VmGuestMetricsClass.declaration())
                .add(HostClass.declaration())
                .add(HostMetricsClass.declaration())
                .add(HostCpuClass.declaration())
                .add(NetworkClass.declaration())
                .add(VifClass.declaration())
                .add(VifClass.metricsDeclaration())
                .add(PifClass.declaration())
                .add(PifClass.metricsDeclaration())
                .add(SrClass.declaration())
                .add(VdiClass.declaration())
                .add(VbdClass.declaration())
                .add(VbdClass.metricsDeclaration())
                .add(PbdClass.declaration())
                .add(CrashdumpClass.declaration())
                .add(VtpmClass.declaration())
                .add(ConsoleClass.declaration())
                .add(UserClass.declaration())
                .add(DebugClass.declaration())
                // one-to-many relations: the store keeps each set from the Ref fields of the other side.
                // host.resident_VMs is not one: it is read live off VM.resident_on (HostObjects), so that starting
                // and stopping VMs does not write the one host object every time.
                .relation(VM, "VBDs", VBD, "VM")
                .relation(VM, "VIFs", VIF, "VM")
                .relation(VM, "consoles", CONSOLE, "VM")
                .relation(VM, "VTPMs", VTPM, "VM")
                .relation(VM, "crash_dumps", CRASHDUMP, "VM")
                .relation(HOST, "PIFs", PIF, "host")
                .relation(HOST, "PBDs", PBD, "host")
                .relation(HOST, "host_CPUs", HOST_CPU, "host")
                .relation(NETWORK, "VIFs", VIF, "network")
                .relation(NETWORK, "PIFs", PIF, "network")
                .relation(SR, "VDIs", VDI, "SR")
                .relation(SR, "PBDs", PBD, "SR")
                .relation(VDI, "VBDs", VBD, "VDI")
                .relation(VDI, "crash_dumps", CRASHDUMP, "VDI");
        Errors.declare(model);
        return model.build();
    }
}
