package org.xend.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/** Sessions opened by the test itself, mirrored in the store as {@code session} objects like the real ones. */
final class FakeSessions implements SessionManager {

    private final ObjectStore store;
    private final Map<String, SessionInfo> open = new ConcurrentHashMap<>();

    FakeSessions(ObjectStore store) {
        this.store = store;
    }

    /** Opens a session for {@code user} with {@code role}; returns its ref. */
    String open(String user, Role role) {
        String ref = Refs.newRef();
        store.create("session", ref, Map.of());
        open.put(ref, new SessionInfo(ref, user, role, role == Role.POOL_ADMIN));
        return ref;
    }

    /** Ends a session, as a logout or an idle timeout does. */
    void close(String ref) {
        open.remove(ref);
        store.remove("session", ref);
    }

    @Override
    public SessionInfo login(String user, String password, String originator, CallContext context) {
        throw new UnsupportedOperationException("tests open sessions directly");
    }

    @Override
    public void logout(String sessionRef) {
        close(sessionRef);
    }

    @Override
    public SessionInfo check(String sessionRef) {
        SessionInfo info = open.get(sessionRef);
        if (info == null) {
            throw new XenApiException("SESSION_INVALID", sessionRef);
        }
        return info;
    }
}
