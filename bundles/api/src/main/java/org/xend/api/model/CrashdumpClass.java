package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code crashdump}: spec fields plus XAPI's {@code other_config}. Crash dumps are written by the daemon when a VM
 * crashes with a coredump action; clients may only destroy them (the spec's one message), with pool-operator as
 * in XAPI.
 */
final class CrashdumpClass {

    private CrashdumpClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.CRASHDUMP, "A VM crashdump")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .destructor()
                .field("VM", Type.ref(XenApiModel.VM), Qualifier.RO_INS, "the virtual machine")
                .field("VDI", Type.ref(XenApiModel.VDI), Qualifier.RO_INS, "the virtual disk")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
