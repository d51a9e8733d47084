package org.xend.api.model;

import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;

/**
 * {@code session}: spec fields plus XAPI's {@code other_config} and {@code originator} (the client-supplied
 * name passed to login_with_password). Any role may touch its own session; ownership is checked at run time.
 */
final class SessionClass {

    private SessionClass() {
    }

    static ClassDecl declaration() {
        return ClassDecl.builder(XenApiModel.SESSION, "A session")
                .roles(Role.READ_ONLY, Role.READ_ONLY)
                .field("this_host", Type.ref(XenApiModel.HOST), Qualifier.RO_RUN, "Currently connected host")
                .field("this_user", Type.ref(XenApiModel.USER), Qualifier.RO_RUN, "Currently connected user")
                .field("last_active", Type.INT, Qualifier.RO_RUN,
                        "Timestamp for last time session was active (seconds since the epoch)")
                .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
                .field("originator", Type.STRING, Qualifier.RO_RUN,
                        "the name the client gave at login to tell itself apart from other clients of the same user")
                .message(MessageDecl.function("login_with_password",
                                "Attempt to authenticate the user, returning a session reference if successful.")
                        .param("uname", Type.STRING, "Username for login.")
                        .param("pwd", Type.STRING, "Password for login.")
                        .optionalParam("version", Type.STRING, "Client API version (XAPI; ignored).", "")
                        .optionalParam("originator", Type.STRING,
                                "Key string distinguishing API users that share a login name (XAPI).", "")
                        .returns(Type.ref(XenApiModel.SESSION))
                        .errors(ErrorCodes.SESSION_AUTHENTICATION_FAILED)
                        .role(Role.READ_ONLY)
                        .sessionless())
                .message(MessageDecl.function("logout", "Log out of a session.")
                        .role(Role.READ_ONLY)
                        .noAsync())
                .build();
    }
}
