package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code VDI}: exactly the spec's fields (it already has {@code other_config}); vm-admin for changes, as in XAPI.
 * Creating and destroying a VDI go through the SR's driver, hence XAPI's storage codes.
 */
final class VdiClass {

    private VdiClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.VDI, "A virtual disk image")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor("SR_FULL", "SR_HAS_NO_PBDS", "SR_OPERATION_NOT_SUPPORTED", "SR_BACKEND_FAILURE")
                .destructor("VDI_IN_USE", "SR_OPERATION_NOT_SUPPORTED", "SR_BACKEND_FAILURE")
                .field("name_label", Type.STRING, Qualifier.RW, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RW,
                        "a notes field containing human-readable description")
                .field("SR", Type.ref(XenApiModel.SR), Qualifier.RO_INS, "storage repository in which the VDI resides")
                .field("VBDs", Type.setOf(Type.ref(XenApiModel.VBD)), Qualifier.RO_RUN,
                        "list of vbds that refer to this disk")
                .field("crash_dumps", Type.setOf(Type.ref(XenApiModel.CRASHDUMP)), Qualifier.RO_RUN,
                        "list of crash dumps that refer to this disk")
                .field("virtual_size", Type.INT, Qualifier.RW,
                        "size of disk as presented to the guest (in bytes). Note that, depending on storage backend "
                                + "type, requested size may not be respected exactly")
                .field("physical_utilisation", Type.INT, Qualifier.RO_RUN,
                        "amount of physical space that the disk image is currently taking up on the storage "
                                + "repository (in bytes)")
                .field("type", Enums.VDI_TYPE, Qualifier.RO_INS, "type of the VDI", "system")
                .field("sharable", Type.BOOL, Qualifier.RW, "true if this disk may be shared")
                .field("read_only", Type.BOOL, Qualifier.RW, "true if this disk may ONLY be mounted read-only")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
