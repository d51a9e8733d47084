package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code SR}: spec fields plus XAPI's {@code other_config}; pool-operator for changes, as in XAPI. SRs are made by
 * the storage drivers, not by clients: the spec gives no constructor or destructor.
 */
final class SrClass {

    private SrClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.SR, "A storage repository")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("name_label", Type.STRING, Qualifier.RW, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RW,
                        "a notes field containing human-readable description")
                .field("VDIs", Type.setOf(Type.ref(XenApiModel.VDI)), Qualifier.RO_RUN, "managed virtual disks")
                .field("PBDs", Type.setOf(Type.ref(XenApiModel.PBD)), Qualifier.RO_RUN, "physical blockdevices")
                .field("virtual_allocation", Type.INT, Qualifier.RO_RUN,
                        "sum of virtual_sizes of all VDIs in this storage repository (in bytes)")
                .field("physical_utilisation", Type.INT, Qualifier.RO_RUN,
                        "physical space currently utilised on this storage repository (in bytes). Note that for "
                                + "sparse disk formats, physical_utilisation may be less than virtual_allocation")
                .field("physical_size", Type.INT, Qualifier.RO_INS,
                        "total physical size of the repository (in bytes)")
                .field("type", Type.STRING, Qualifier.RO_INS, "type of the storage repository")
                .field("content_type", Type.STRING, Qualifier.RO_INS,
                        "the type of the SR's content, if required (e.g. ISOs)")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .message(MessageDecl.function("get_supported_types",
                                "Return a set of all the SR types supported by the system.")
                        .returns(Type.STRING_SET)
                        .role(Role.READ_ONLY))
                .build();
    }
}
