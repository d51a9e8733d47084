package org.xend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.xend.api.CallContext;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;
import org.xend.api.spi.auth.Authenticator;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Refs;

class SessionManagerImplTest {

    private static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    private static final CallContext CONTEXT = CallContext.of("http", "127.0.0.1");
    private static final SessionManagerImpl.Policy DEFAULT_POLICY =
            new SessionManagerImpl.Policy("file", Duration.ofHours(24).toMillis(), 500, 500);

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private SessionManagerImpl manager;

    /** Knows a fixed set of users and counts its calls. */
    private static final class FixedAuthenticator implements Authenticator {
        private final String name;
        private final Map<String, String> passwords;
        int calls;

        FixedAuthenticator(String name, Map<String, String> passwords) {
            this.name = name;
            this.passwords = passwords;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean authenticate(String user, char[] password) {
            calls++;
            return new String(password).equals(passwords.get(user));
        }
    }

    private final FixedAuthenticator file =
            new FixedAuthenticator("file", Map.of("root", "rootpw", "alice", "alicepw", "bob", "bobpw"));

    @BeforeEach
    void setUp() {
        manager = managerWith(DEFAULT_POLICY);
        bind(manager, file, 1L);
    }

    private SessionManagerImpl managerWith(SessionManagerImpl.Policy policy) {
        return new SessionManagerImpl(store, policy, clock);
    }

    private static void bind(SessionManagerImpl manager, Authenticator authenticator, long serviceId) {
        manager.addAuthenticator(authenticator,
                Map.of(Authenticator.PROPERTY_NAME, authenticator.name(), "service.id", serviceId));
    }

    private static void assertXenApiError(List<String> expected, Executable call) {
        XenApiException e = assertThrows(XenApiException.class, call);
        assertEquals(expected, e.errorDescription());
    }

    private ApiObject record(String ref) {
        return store.get("session", ref).orElseThrow(() -> new AssertionError("no session record " + ref));
    }

    @Test
    void rootLogsInAsPoolAdminAndSuperuser() {
        SessionInfo info = manager.login("root", "rootpw", "test", CONTEXT);
        assertTrue(Refs.isUuid(info.ref()), info.ref());
        assertEquals("root", info.user());
        assertEquals(Role.POOL_ADMIN, info.role());
        assertTrue(info.superuser());
    }

    @Test
    void otherUsersLogInReadOnly() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        assertEquals(Role.READ_ONLY, info.role());
        assertFalse(info.superuser());
        assertNotEquals(info.ref(), manager.login("alice", "alicepw", null, CONTEXT).ref(), "fresh ref per login");
    }

    @Test
    void sessionIsMirroredInTheStore() {
        ApiObject host = store.create("host", Refs.newRef(), Map.of("name_label", "dom0"));
        SessionInfo info = manager.login("alice", "alicepw", "xe", CONTEXT);

        ApiObject record = record(info.ref());
        assertEquals(info.ref(), record.string("uuid"));
        assertEquals("alice", record.string("this_user"));
        assertEquals(host.ref(), record.string("this_host"));
        assertEquals(START, record.get("last_active"));
    }

    @Test
    void lastActiveIsEpochSecondsWhenTheDatamodelDeclaresAnInt() {
        InMemoryObjectStore spec10Store = new InMemoryObjectStore(InMemoryObjectStore.model(Type.INT, false));
        SessionManagerImpl spec10 = new SessionManagerImpl(spec10Store, DEFAULT_POLICY, clock);
        bind(spec10, file, 1L);
        clock.advance(Duration.ofMillis(1500));
        SessionInfo info = spec10.login("alice", "alicepw", null, CONTEXT);
        assertEquals(START.getEpochSecond() + 1, spec10Store.require("session", info.ref()).get("last_active"));

        clock.advance(Duration.ofMinutes(2));
        spec10.check(info.ref());
        assertEquals(clock.instant().getEpochSecond(),
                spec10Store.require("session", info.ref()).get("last_active"));
    }

    @Test
    void originatorIsRecordedWhenTheDatamodelDeclaresIt() {
        InMemoryObjectStore xapiStore = new InMemoryObjectStore(InMemoryObjectStore.model(Type.DATETIME, true));
        SessionManagerImpl xapi = new SessionManagerImpl(xapiStore, DEFAULT_POLICY, clock);
        bind(xapi, file, 1L);
        SessionInfo named = xapi.login("alice", "alicepw", "xenadmin", CONTEXT);
        SessionInfo anonymous = xapi.login("alice", "alicepw", null, CONTEXT);
        assertEquals("xenadmin", xapiStore.require("session", named.ref()).get("originator"));
        assertEquals("", xapiStore.require("session", anonymous.ref()).get("originator"));
    }

    @Test
    void thisHostIsTheNullRefBeforeTheHostExists() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        assertEquals(Refs.NULL, record(info.ref()).string("this_host"));
    }

    @Test
    void wrongPasswordOrUnknownUserFailsWithoutParameters() {
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> manager.login("alice", "bobpw", null, CONTEXT));
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> manager.login("mallory", "x", null, CONTEXT));
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> manager.login(null, null, null, CONTEXT));
        assertTrue(store.all("session").isEmpty());
        assertEquals(0, manager.openSessions());
    }

    @Test
    void aThrowingAuthenticatorCountsAsAFailedLogin() {
        SessionManagerImpl broken = managerWith(new SessionManagerImpl.Policy("broken", 60_000, 10, 10));
        bind(broken, new Authenticator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public boolean authenticate(String user, char[] password) {
                throw new IllegalStateException("backend down");
            }
        }, 2L);
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"), () -> broken.login("root", "rootpw", null,
                CONTEXT));
    }

    @Test
    void missingAuthenticatorFailsUntilOneWithThatNameArrives() {
        SessionManagerImpl pamManager = managerWith(new SessionManagerImpl.Policy("pam", 60_000, 10, 10));
        bind(pamManager, file, 1L);
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> pamManager.login("root", "rootpw", null, CONTEXT));
        assertEquals(0, file.calls, "the file authenticator is not consulted when pam is configured");

        FixedAuthenticator pam = new FixedAuthenticator("pam", Map.of("root", "pampw"));
        bind(pamManager, pam, 2L);
        assertEquals("root", pamManager.login("root", "pampw", null, CONTEXT).user());
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> pamManager.login("root", "rootpw", null, CONTEXT));

        pamManager.removeAuthenticator(pam);
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> pamManager.login("root", "pampw", null, CONTEXT));
    }

    @Test
    void higherRankedAuthenticatorWinsAmongSameName() {
        FixedAuthenticator ranked = new FixedAuthenticator("file", Map.of("root", "rankedpw"));
        manager.addAuthenticator(ranked, Map.of(Authenticator.PROPERTY_NAME, "file", "service.id", 5L,
                "service.ranking", 10));
        assertEquals("root", manager.login("root", "rankedpw", null, CONTEXT).user());
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> manager.login("root", "rootpw", null, CONTEXT));
    }

    @Test
    void reconfiguringTheAuthenticatorNameTakesEffectAtNextLogin() {
        manager.modified(config("pam", 86400, 500));
        assertXenApiError(List.of("SESSION_AUTHENTICATION_FAILED"),
                () -> manager.login("root", "rootpw", null, CONTEXT));
        manager.modified(config("file", 86400, 500));
        assertEquals("root", manager.login("root", "rootpw", null, CONTEXT).user());
    }

    @Test
    void checkReturnsTheSessionAndRejectsUnknownOnes() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        assertEquals(info, manager.check(info.ref()));
        String unknown = Refs.newRef();
        assertXenApiError(List.of("SESSION_INVALID", unknown), () -> manager.check(unknown));
        assertXenApiError(List.of("SESSION_INVALID", ""), () -> manager.check(null));
        assertXenApiError(List.of("SESSION_INVALID", Refs.NULL), () -> manager.check(Refs.NULL));
    }

    @Test
    void idleSessionsExpireAndUseKeepsThemAlive() {
        SessionInfo idle = manager.login("alice", "alicepw", null, CONTEXT);
        SessionInfo busy = manager.login("bob", "bobpw", null, CONTEXT);

        clock.advance(Duration.ofHours(23));
        manager.check(busy.ref());
        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertXenApiError(List.of("SESSION_INVALID", idle.ref()), () -> manager.check(idle.ref()));
        assertTrue(store.get("session", idle.ref()).isEmpty(), "an expired session leaves the store");
        assertEquals(busy, manager.check(busy.ref()));
    }

    @Test
    void aSessionIdleForExactlyTheTimeoutIsStillValid() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofHours(24));
        assertEquals(info, manager.check(info.ref()));
        clock.advance(Duration.ofHours(24).plusMillis(1));
        assertXenApiError(List.of("SESSION_INVALID", info.ref()), () -> manager.check(info.ref()));
    }

    @Test
    void activityWithinTheTimeoutKeepsASessionOpenBeyondIt() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofHours(23));
            assertEquals(info, manager.check(info.ref()));
        }
    }

    @Test
    void zeroTimeoutKeepsIdleSessionsForever() {
        SessionManagerImpl forever = managerWith(new SessionManagerImpl.Policy("file", 0, 500, 500));
        bind(forever, file, 1L);
        SessionInfo info = forever.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofDays(400));
        forever.sweep();
        assertEquals(info, forever.check(info.ref()));
    }

    @Test
    void lastActiveReachesTheStoreAtMostOncePerMinute() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        int updatesAfterLogin = store.updateCount();

        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(1));
            manager.check(info.ref());
        }
        assertEquals(updatesAfterLogin, store.updateCount(), "no store write within the first minute");
        assertEquals(START, record(info.ref()).get("last_active"));

        clock.advance(Duration.ofSeconds(10));
        manager.check(info.ref());
        assertEquals(updatesAfterLogin + 1, store.updateCount());
        assertEquals(clock.instant(), record(info.ref()).get("last_active"));
    }

    @Test
    void sweepPublishesTheLatestActivityOfQuietSessions() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofSeconds(20));
        manager.check(info.ref());
        Instant lastUse = clock.instant();
        clock.advance(Duration.ofSeconds(40));

        manager.sweep();

        assertEquals(lastUse, record(info.ref()).get("last_active"));
        int updates = store.updateCount();
        manager.sweep();
        assertEquals(updates, store.updateCount(), "nothing new to publish");
    }

    @Test
    void sweepRemovesExpiredSessionsFromMemoryAndStore() {
        SessionInfo old = manager.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofHours(12));
        SessionInfo recent = manager.login("bob", "bobpw", null, CONTEXT);
        clock.advance(Duration.ofHours(12).plusMinutes(1));

        manager.sweep();

        assertEquals(1, manager.openSessions());
        assertTrue(store.get("session", old.ref()).isEmpty());
        assertTrue(store.get("session", recent.ref()).isPresent());
        assertXenApiError(List.of("SESSION_INVALID", old.ref()), () -> manager.check(old.ref()));
        assertEquals(recent, manager.check(recent.ref()));
    }

    @Test
    void tooManySessionsEvictTheUsersLeastRecentlyActiveOne() {
        SessionManagerImpl limited = managerWith(new SessionManagerImpl.Policy("file", 86_400_000, 2, 500));
        bind(limited, file, 1L);
        SessionInfo first = limited.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofSeconds(1));
        SessionInfo second = limited.login("alice", "alicepw", null, CONTEXT);
        SessionInfo bobs = limited.login("bob", "bobpw", null, CONTEXT);
        clock.advance(Duration.ofSeconds(1));
        limited.check(first.ref()); // now second is the least recently active
        clock.advance(Duration.ofSeconds(1));

        SessionInfo third = limited.login("alice", "alicepw", null, CONTEXT);

        assertXenApiError(List.of("SESSION_INVALID", second.ref()), () -> limited.check(second.ref()));
        assertTrue(store.get("session", second.ref()).isEmpty());
        assertEquals(first, limited.check(first.ref()));
        assertEquals(third, limited.check(third.ref()));
        assertEquals(bobs, limited.check(bobs.ref()), "other users' sessions are not counted");
        assertEquals(3, limited.openSessions());
        assertEquals(3, store.all("session").size());
    }

    @Test
    void tooManySessionsOfOneOriginatorEvictItsLeastRecentlyActiveOne() {
        SessionManagerImpl limited = managerWith(new SessionManagerImpl.Policy("file", 86_400_000, 500, 2));
        bind(limited, file, 1L);
        SessionInfo alices = limited.login("alice", "alicepw", "backup-tool", CONTEXT);
        clock.advance(Duration.ofSeconds(1));
        SessionInfo bobs = limited.login("bob", "bobpw", "backup-tool", CONTEXT);
        SessionInfo elsewhere = limited.login("alice", "alicepw", "xenadmin", CONTEXT);
        SessionInfo unnamed = limited.login("alice", "alicepw", "", CONTEXT);
        clock.advance(Duration.ofSeconds(1));
        limited.check(alices.ref()); // now bob's is the originator's least recently active
        clock.advance(Duration.ofSeconds(1));

        SessionInfo third = limited.login("root", "rootpw", "backup-tool", CONTEXT);

        assertXenApiError(List.of("SESSION_INVALID", bobs.ref()), () -> limited.check(bobs.ref()));
        assertTrue(store.get("session", bobs.ref()).isEmpty());
        assertEquals(alices, limited.check(alices.ref()));
        assertEquals(third, limited.check(third.ref()));
        assertEquals(elsewhere, limited.check(elsewhere.ref()), "other originators are not counted");
        assertEquals(unnamed, limited.check(unnamed.ref()), "no originator, no originator limit");
        assertEquals(4, limited.openSessions());

        limited.logout(alices.ref());
        SessionInfo fourth = limited.login("bob", "bobpw", "backup-tool", CONTEXT);
        assertEquals(third, limited.check(third.ref()), "a closed session no longer counts");
        assertEquals(fourth, limited.check(fourth.ref()));
    }

    @Test
    void logoutClosesTheSessionOnce() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        manager.logout(info.ref());

        assertTrue(store.get("session", info.ref()).isEmpty());
        assertXenApiError(List.of("SESSION_INVALID", info.ref()), () -> manager.check(info.ref()));
        assertXenApiError(List.of("SESSION_INVALID", info.ref()), () -> manager.logout(info.ref()));
        assertXenApiError(List.of("SESSION_INVALID", ""), () -> manager.logout(null));
    }

    @Test
    void logoutOfAnExpiredSessionRemovesItButReportsItInvalid() {
        SessionInfo info = manager.login("alice", "alicepw", null, CONTEXT);
        clock.advance(Duration.ofDays(2));
        assertXenApiError(List.of("SESSION_INVALID", info.ref()), () -> manager.logout(info.ref()));
        assertEquals(0, manager.openSessions());
        assertTrue(store.all("session").isEmpty());
    }

    @Test
    void deactivationStopsTheSweeperAndRemovesAllSessionsFromTheStore() throws InterruptedException {
        SessionManagerImpl component = managerWith(DEFAULT_POLICY);
        component.activate(config("file", 86400, 500));
        bind(component, file, 1L);
        component.login("alice", "alicepw", null, CONTEXT);
        component.login("root", "rootpw", null, CONTEXT);
        assertTrue(sweeperRunning());

        component.deactivate();

        assertTrue(store.all("session").isEmpty());
        assertEquals(0, component.openSessions());
        for (int i = 0; i < 100 && sweeperRunning(); i++) {
            Thread.sleep(20);
        }
        assertFalse(sweeperRunning());
    }

    private static boolean sweeperRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("xend-session-sweeper") && t.isAlive());
    }

    @Test
    void configurationClampsNegativeLimitsToUnlimited() {
        SessionManagerImpl.Policy policy = SessionManagerImpl.Policy.from(config(" file ", -5, -1));
        assertEquals(new SessionManagerImpl.Policy("file", 0, 0, 0), policy);
        assertFalse(policy.expired(0, Long.MAX_VALUE));
    }

    private static SessionManagerImpl.Config config(String authenticator, long timeoutSeconds, int max) {
        return new SessionManagerImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SessionManagerImpl.Config.class;
            }

            @Override
            public String authenticator() {
                return authenticator;
            }

            @Override
            public long sessionIdleTimeoutSeconds() {
                return timeoutSeconds;
            }

            @Override
            public int maxSessionsPerUser() {
                return max;
            }

            @Override
            public int maxSessionsPerOriginator() {
                return max;
            }
        };
    }
}
