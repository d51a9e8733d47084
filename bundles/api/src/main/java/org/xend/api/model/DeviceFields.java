package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * The fields the spec gives both virtual devices, VIF and VBD (attachment status, QoS, metrics), and the one
 * shape of their metrics classes and PIF_metrics. Declared once here so the three device families stay alike.
 */
final class DeviceFields {

    private DeviceFields() {
    }

    /** The spec's attachment, QoS and metrics fields of a VIF or VBD, in the spec's order. */
    static ClassDecl.Builder attachmentFields(ClassDecl.Builder device, String deviceClass, String metricsClass) {
        return device
                .field("currently_attached", Type.BOOL, Qualifier.RO_RUN,
                        "is the device currently attached (erased on reboot)")
                .field("status_code", Type.INT, Qualifier.RO_RUN,
                        "error/success code associated with last attach-operation (erased on reboot)")
                .field("status_detail", Type.STRING, Qualifier.RO_RUN,
                        "error/success information associated with last attach-operation status (erased on reboot)")
                .field("runtime_properties", Type.STRING_MAP, Qualifier.RO_RUN, "Device runtime properties")
                .field("qos_algorithm_type", Type.STRING, Qualifier.RW, "QoS algorithm to use")
                .field("qos_algorithm_params", Type.STRING_MAP, Qualifier.RW, "parameters for chosen QoS algorithm")
                .field("qos_supported_algorithms", Type.STRING_SET, Qualifier.RO_RUN,
                        "supported QoS algorithms for this " + deviceClass)
                .field("metrics", Type.ref(metricsClass), Qualifier.RO_RUN,
                        "metrics associated with this " + deviceClass);
    }

    /** VIF_metrics, PIF_metrics and VBD_metrics: the spec's bandwidth fields plus XAPI's {@code other_config}. */
    static ClassDecl ioMetrics(String className, String description, Role writeRole) {
        return ClassDecl.builder(className, description)
                .roles(Role.READ_ONLY, writeRole)
                .field("io_read_kbs", Type.FLOAT, Qualifier.RO_RUN, "Read bandwidth (KiB/s)")
                .field("io_write_kbs", Type.FLOAT, Qualifier.RO_RUN, "Write bandwidth (KiB/s)")
                .field("last_updated", Type.DATETIME, Qualifier.RO_RUN,
                        "Time at which this information was last updated")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
