package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code pool} (XAPI, not in the 1.0 spec): the core of XAPI's record, so that today's clients, which start from
 * {@code pool.get_all} and {@code pool.get_master}, work. There is one pool and this host is its master; it has
 * no constructor, destructor or messages. pool-operator for changes, as in XAPI.
 */
final class PoolClass {

    private PoolClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.POOL, "Pool-wide information")
                .roles(Role.READ_ONLY, Role.POOL_OPERATOR)
                .field("name_label", Type.STRING, Qualifier.RW, "Short name")
                .field("name_description", Type.STRING, Qualifier.RW, "Description")
                .field("master", Type.ref(XenApiModel.HOST), Qualifier.RO_RUN, "The host that is pool master")
                .field("default_SR", Type.ref(XenApiModel.SR), Qualifier.RW, "Default SR for VDIs")
                .field("suspend_image_SR", Type.ref(XenApiModel.SR), Qualifier.RW,
                        "The SR in which VDIs for suspend images are created")
                .field("crash_dump_SR", Type.ref(XenApiModel.SR), Qualifier.RW,
                        "The SR in which VDIs for crash dumps are created")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
