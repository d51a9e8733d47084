package org.xend.api.model;

import org.xend.api.datamodel.Datamodel;

/**
 * The Xen API 1.0 datamodel as this daemon serves it: the classes {@code session}, {@code task}, {@code host},
 * {@code host_cpu}, {@code host_metrics}, {@code VM} and {@code VM_metrics}, with every error code. Built once, on
 * first use; the result is immutable and shared.
 */
public final class XenApiModel {

    public static final String SESSION = "session";
    public static final String TASK = "task";
    public static final String HOST = "host";
    public static final String HOST_CPU = "host_cpu";
    public static final String HOST_METRICS = "host_metrics";
    public static final String VM = "VM";
    public static final String VM_METRICS = "VM_metrics";

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
        Datamodel.Builder model = Datamodel.builder()
                .add(SessionClass.declaration())
                .add(TaskClass.declaration())
                .add(HostClass.declaration())
                .add(HostCpuClass.declaration())
                .add(HostMetricsClass.declaration())
                .add(VmClass.declaration())
                .add(VmMetricsClass.declaration());
        Errors.declare(model);
        return model.build();
    }
}
