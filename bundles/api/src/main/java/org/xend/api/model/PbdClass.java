package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code PBD}: spec fields plus XAPI's {@code other_config}; pool-operator for changes, as in XAPI. One PBD per
 * SR and host; an attached PBD cannot be destroyed.
 */
final class PbdClass {

    private PbdClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.PBD, "The physical block devices through which hosts access SRs")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .constructor("PBD_EXISTS")
                .destructor(ErrorCodes.OPERATION_NOT_ALLOWED)
                .field("host", Type.ref(XenApiModel.HOST), Qualifier.RO_INS,
                        "physical machine on which the pbd is available")
                .field("SR", Type.ref(XenApiModel.SR), Qualifier.RO_INS, "the storage repository that the pbd realises")
                .field("device_config", Type.STRING_MAP, Qualifier.RO_INS,
                        "a config string to string map that is provided to the host's SR-backend-driver")
                .field("currently_attached", Type.BOOL, Qualifier.RO_RUN, "is the SR currently attached on this host?")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
