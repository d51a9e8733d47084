package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** {@code host_cpu}: spec fields, all read-only, plus XAPI's {@code other_config}. */
final class HostCpuClass {

    private HostCpuClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.HOST_CPU, "A physical CPU")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("host", Type.ref(XenApiModel.HOST), Qualifier.RO_RUN, "the host the CPU is in")
                .field("number", Type.INT, Qualifier.RO_RUN, "the number of the physical CPU within the host")
                .field("vendor", Type.STRING, Qualifier.RO_RUN, "the vendor of the physical CPU")
                .field("speed", Type.INT, Qualifier.RO_RUN, "the speed of the physical CPU (MHz)")
                .field("modelname", Type.STRING, Qualifier.RO_RUN, "the model name of the physical CPU")
                .field("stepping", Type.STRING, Qualifier.RO_RUN, "the stepping of the physical CPU")
                .field("flags", Type.STRING, Qualifier.RO_RUN,
                        "the flags of the physical CPU (a decoded version of the features field)")
                .field("features", Type.STRING, Qualifier.RO_RUN, "the physical CPU feature bitmap")
                .field("utilisation", Type.FLOAT, Qualifier.RO_RUN, "the current CPU utilisation")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
