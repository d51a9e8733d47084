package org.xend.api.model;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/** {@code user}: spec fields plus XAPI's {@code other_config}; pool-admin for changes, as in XAPI. */
final class UserClass {

    private UserClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.USER, "A user of the system")
                .roles(Role.READ_ONLY, Role.POOL_ADMIN)
                .constructor("UNIQUE_NAME_ERROR")
                .destructor()
                .field("short_name", Type.STRING, Qualifier.RO_INS, "short name (e.g. userid)")
                .field("fullname", Type.STRING, Qualifier.RW, "full name")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .build();
    }
}
