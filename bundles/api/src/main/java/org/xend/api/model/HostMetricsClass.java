package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** {@code host_metrics}: spec fields, all read-only, plus XAPI's {@code other_config}. */
final class HostMetricsClass {

    private HostMetricsClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.HOST_METRICS, "The metrics associated with a host")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("memory_total", Type.INT, Qualifier.RO_RUN, "Host's total memory (bytes)")
                .field("memory_free", Type.INT, Qualifier.RO_RUN, "Host's free memory (bytes)")
                .field("last_updated", Type.DATETIME, Qualifier.RO_RUN,
                        "Time at which this information was last updated")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
