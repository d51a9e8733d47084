package org.xend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.Role;
import org.xend.api.spi.auth.Authenticator;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ObjectStore;

class SessionClassTest {

    private static final CallContext CONTEXT = CallContext.of("unix", "");

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final SessionManagerImpl sessions = new SessionManagerImpl(store,
            new SessionManagerImpl.Policy("file", 3_600_000, 10, 10), new MutableClock(Instant.EPOCH));
    private final SessionClass sessionClass = new SessionClass(sessions);

    SessionClassTest() {
        sessions.addAuthenticator(new Authenticator() {
            @Override
            public String name() {
                return "file";
            }

            @Override
            public boolean authenticate(String user, char[] password) {
                return "root".equals(user) && "pw".equals(new String(password));
            }
        }, Map.of(Authenticator.PROPERTY_NAME, "file"));
    }

    /** A call as the dispatcher hands it over: decoded arguments after the session, defaults filled in. */
    private record TestCall(String session, Role role, List<Object> args) implements Call {
        @Override
        public ApiCall api() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CallContext context() {
            return CONTEXT;
        }

        @Override
        public String user() {
            return null;
        }

        @Override
        public String self() {
            return null;
        }

        @Override
        public String task() {
            return null;
        }

        @Override
        public void progress(double fraction) {
        }

        @Override
        public void checkCancelled() {
        }

        @Override
        public ObjectStore store() {
            throw new UnsupportedOperationException();
        }
    }

    private Object invoke(String message, String session, Object... args) throws Exception {
        return sessionClass.messages().get(message).invoke(new TestCall(session, Role.READ_ONLY, Arrays.asList(args)));
    }

    @Test
    void implementsTheSessionClassMessages() {
        assertEquals("session", sessionClass.className());
        assertEquals(Set.of("login_with_password", "logout"), sessionClass.messages().keySet());
    }

    @Test
    void loginWithPasswordReturnsAUsableSessionRef() throws Exception {
        String ref = (String) invoke("login_with_password", null, "root", "pw", "", "");
        SessionInfo info = sessions.check(ref);
        assertEquals("root", info.user());
        assertEquals("root", store.require("session", ref).string("this_user"));
    }

    @Test
    void loginWithPasswordAcceptsVersionAndOriginator() throws Exception {
        String ref = (String) invoke("login_with_password", null, "root", "pw", "1.0", "xenadmin");
        assertEquals("root", sessions.check(ref).user());
    }

    @Test
    void badCredentialsFailTheCall() {
        XenApiException e = assertThrows(XenApiException.class,
                () -> invoke("login_with_password", null, "root", "nope", "", ""));
        assertEquals(List.of("SESSION_AUTHENTICATION_FAILED"), e.errorDescription());
    }

    @Test
    void logoutEndsTheCallersSession() throws Exception {
        String mine = (String) invoke("login_with_password", null, "root", "pw", "", "");
        String other = (String) invoke("login_with_password", null, "root", "pw", "", "");

        assertNull(invoke("logout", mine));

        assertThrows(XenApiException.class, () -> sessions.check(mine));
        assertEquals("root", sessions.check(other).user());
    }

    @Test
    void aSessionMayReadOnlyItselfUnlessItIsAnAdmins() throws Exception {
        String mine = (String) invoke("login_with_password", null, "root", "pw", "", "");
        String other = (String) invoke("login_with_password", null, "root", "pw", "", "");
        ApiObject otherRecord = store.require("session", other);

        sessionClass.checkRead(new TestCall(other, Role.READ_ONLY, List.of()), otherRecord);
        XenApiException denied = assertThrows(XenApiException.class,
                () -> sessionClass.checkRead(new TestCall(mine, Role.VM_ADMIN, List.of()), otherRecord));
        assertEquals(List.of("PERMISSION_DENIED"), denied.errorDescription());
        sessionClass.checkRead(new TestCall(mine, Role.POOL_ADMIN, List.of()), otherRecord);
    }
}
