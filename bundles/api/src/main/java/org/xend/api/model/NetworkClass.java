package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code network}: exactly the spec's fields. Creating, changing and destroying a network needs vm-admin, as in
 * XAPI; a network still used by VIFs or PIFs cannot be destroyed (XAPI's codes).
 */
final class NetworkClass {

    private NetworkClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.NETWORK, "A virtual network")
                .roles(Role.READ_ONLY, Role.VM_ADMIN)
                .constructor()
                .destructor("NETWORK_CONTAINS_VIF", "NETWORK_CONTAINS_PIF")
                .field("name_label", Type.STRING, Qualifier.RW, "a human-readable name")
                .field("name_description", Type.STRING, Qualifier.RW,
                        "a notes field containing human-readable description")
                .field("VIFs", Type.setOf(Type.ref(XenApiModel.VIF)), Qualifier.RO_RUN, "list of connected vifs")
                .field("PIFs", Type.setOf(Type.ref(XenApiModel.PIF)), Qualifier.RO_RUN, "list of connected pifs")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
