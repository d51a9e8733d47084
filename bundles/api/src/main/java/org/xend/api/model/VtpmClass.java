package org.xend.api.model;

import static org.xend.api.ErrorCodes.VM_BAD_POWER_STATE;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;
import org.xend.api.store.Refs;

/**
 * {@code VTPM}: spec fields plus {@code other_config}; vm-admin, as XAPI's VTPM.create/destroy. As in Xend, the
 * backend defaults to Domain-0, a VM gets at most one vTPM, and both need the VM halted.
 */
final class VtpmClass {

    private VtpmClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.VTPM, "A virtual TPM device")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor(VM_BAD_POWER_STATE, "VTPM_MAX_AMOUNT_REACHED")
                .destructor(VM_BAD_POWER_STATE)
                .field("VM", Type.ref(XenApiModel.VM), Qualifier.RO_INS, "the virtual machine")
                .field("backend", Type.ref(XenApiModel.VM), Qualifier.RO_INS,
                        "the domain where the backend is located", Refs.DOMAIN_0)
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
