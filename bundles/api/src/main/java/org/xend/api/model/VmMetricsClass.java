package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code VM_metrics}: spec fields, all read-only, plus XAPI's {@code other_config}. The int-keyed maps are
 * keyed by vCPU number; on the wire the keys travel as strings, like every int.
 */
final class VmMetricsClass {

    private VmMetricsClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.VM_METRICS, "The metrics associated with a VM")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .field("memory_actual", Type.INT, Qualifier.RO_RUN, "Guest's actual memory (bytes)")
                .field("VCPUs_number", Type.INT, Qualifier.RO_RUN, "Current number of VCPUs")
                .field("VCPUs_utilisation", Type.mapOf(Type.INT, Type.FLOAT), Qualifier.RO_RUN,
                        "Utilisation for all of guest's current VCPUs")
                .field("VCPUs_CPU", Type.mapOf(Type.INT, Type.INT), Qualifier.RO_RUN, "VCPU to PCPU map")
                .field("VCPUs_params", Type.STRING_MAP, Qualifier.RO_RUN, "The live equivalent to VM.VCPUs_params")
                .field("VCPUs_flags", Type.mapOf(Type.INT, Type.STRING_SET), Qualifier.RO_RUN,
                        "CPU flags (blocked,online,running)")
                .field("state", Type.STRING_SET, Qualifier.RO_RUN, "The state of the guest, eg blocked, dying etc")
                .field("start_time", Type.DATETIME, Qualifier.RO_RUN, "Time at which this VM was last booted")
                .field("last_updated", Type.DATETIME, Qualifier.RO_RUN,
                        "Time at which this information was last updated")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
