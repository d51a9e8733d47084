package org.xend.auth;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;

/**
 * The declared messages of Xen API class {@code session}; its getters are generated from the store. A session may
 * read only itself, unless it is a pool admin's: anyone else's gets {@code PERMISSION_DENIED}, and listings and
 * events leave other sessions out.
 */
@Component(service = ClassImplementation.class,
        property = ClassImplementation.PROPERTY_CLASS + "=" + SessionManagerImpl.SESSION_CLASS)
public class SessionClass implements ClassImplementation {

    static final String LOGIN_WITH_PASSWORD = "login_with_password";
    static final String LOGOUT = "logout";
    /** Argument positions of login_with_password after the (absent) session: uname, pwd, version, originator. */
    private static final int ARG_USER = 0;
    private static final int ARG_PASSWORD = 1;
    private static final int ARG_ORIGINATOR = 3;

    private final SessionManager sessions;
    private final Map<String, MessageImpl> messages;

    @Activate
    public SessionClass(@Reference SessionManager sessions) {
        this.sessions = sessions;
        this.messages = Map.of(LOGIN_WITH_PASSWORD, this::loginWithPassword, LOGOUT, this::logout);
    }

    @Override
    public String className() {
        return SessionManagerImpl.SESSION_CLASS;
    }

    @Override
    public Map<String, MessageImpl> messages() {
        return messages;
    }

    @Override
    public void checkRead(Call call, ApiObject session) {
        if (call.role() != Role.POOL_ADMIN && !session.ref().equals(call.session())) {
            throw new XenApiException(ErrorCodes.PERMISSION_DENIED);
        }
    }

    private Object loginWithPassword(Call call) {
        String originator = call.args().size() > ARG_ORIGINATOR ? call.stringArg(ARG_ORIGINATOR) : null;
        return sessions.login(call.stringArg(ARG_USER), call.stringArg(ARG_PASSWORD), originator, call.context())
                .ref();
    }

    /** Ends the caller's own session, the one the call came in with. */
    private Object logout(Call call) {
        sessions.logout(call.session());
        return null;
    }
}
