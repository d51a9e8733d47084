package org.xend.api.spi.auth;

import org.osgi.annotation.versioning.ProviderType;
import org.xend.api.CallContext;

/** Sessions: the dispatcher checks every session-bearing call here. */
@ProviderType
public interface SessionManager {

    /** Authenticates and opens a session, or throws {@code SESSION_AUTHENTICATION_FAILED}. */
    SessionInfo login(String user, String password, String originator, CallContext context);

    /** Closes a session; an unknown one gets {@code SESSION_INVALID}. */
    void logout(String sessionRef);

    /** Checks a session and marks it active, or throws {@code SESSION_INVALID [ref]}. */
    SessionInfo check(String sessionRef);
}
