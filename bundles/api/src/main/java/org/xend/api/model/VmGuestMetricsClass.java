package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** {@code VM_guest_metrics}: spec fields, all reported by the guest and read-only, plus XAPI's {@code other_config}. */
final class VmGuestMetricsClass {

    private VmGuestMetricsClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.VM_GUEST_METRICS,
                        "The metrics reported by the guest (as opposed to inferred from outside)")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .field("os_version", Type.STRING_MAP, Qualifier.RO_RUN, "version of the OS")
                .field("PV_drivers_version", Type.STRING_MAP, Qualifier.RO_RUN, "version of the PV drivers")
                .field("memory", Type.STRING_MAP, Qualifier.RO_RUN, "free/used/total memory")
                .field("disks", Type.STRING_MAP, Qualifier.RO_RUN, "disk configuration/free space")
                .field("networks", Type.STRING_MAP, Qualifier.RO_RUN, "network configuration")
                .field("other", Type.STRING_MAP, Qualifier.RO_RUN, "anything else")
                .field("last_updated", Type.DATETIME, Qualifier.RO_RUN,
                        "Time at which this information was last updated")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
