package org.xend.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;
import org.xend.api.spi.auth.Authenticator;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * Xen API sessions. They live in memory (a restart ends them all, as in Xend and XAPI) and each is mirrored as a
 * {@code session} object in the store ({@code this_host}, {@code this_user}, {@code last_active}, and
 * {@code originator} when declared) so the generated getters work. {@link #check} is on the path of every call:
 * it is a map lookup and a timestamp write; {@code last_active} reaches the store at most once a minute, from the
 * call itself or from the sweeper that also closes idle sessions.
 */
@Component(service = SessionManager.class, configurationPid = SessionManagerImpl.PID)
@Designate(ocd = SessionManagerImpl.Config.class)
public class SessionManagerImpl implements SessionManager {

    public static final String PID = "org.xend.auth";
    static final String SESSION_CLASS = "session";
    static final String HOST_CLASS = "host";
    static final String FIELD_THIS_HOST = "this_host";
    static final String FIELD_THIS_USER = "this_user";
    static final String FIELD_LAST_ACTIVE = "last_active";
    /** Recorded when the datamodel declares it (XAPI has it; the Xen API 1.0 spec does not). */
    static final String FIELD_ORIGINATOR = "originator";
    static final long PUBLISH_INTERVAL_MILLIS = TimeUnit.MINUTES.toMillis(1);
    static final long SWEEP_INTERVAL_MILLIS = TimeUnit.MINUTES.toMillis(1);

    private static final Logger LOG = LoggerFactory.getLogger(SessionManagerImpl.class);

    @ObjectClassDefinition(name = "Xend sessions",
            description = "Xen API login: which authenticator checks passwords, and the limits on sessions")
    public @interface Config {
        @AttributeDefinition(name = "Authenticator",
                description = "The 'name' property of the Authenticator service that checks passwords"
                        + " (file, pam, none, ...)")
        String authenticator() default FileAuthenticator.NAME;

        @AttributeDefinition(name = "Idle timeout (seconds)",
                description = "A session unused for longer is closed; 0 keeps idle sessions forever")
        long sessionIdleTimeoutSeconds() default 86400;

        @AttributeDefinition(name = "Sessions per user",
                description = "Beyond this, the user's least recently active session is closed; 0 means no limit")
        int maxSessionsPerUser() default 500;

        @AttributeDefinition(name = "Sessions per originator",
                description = "The same for the sessions that gave one originator at login (XAPI's limit, whoever"
                        + " the users are); 0 means no limit")
        int maxSessionsPerOriginator() default 500;
    }

    /** The settings in effect; replaced as a whole when the configuration changes. */
    record Policy(String authenticator, long idleTimeoutMillis, int maxSessionsPerUser,
                  int maxSessionsPerOriginator) {

        static Policy from(Config config) {
            return new Policy(config.authenticator().trim(),
                    TimeUnit.SECONDS.toMillis(Math.max(0, config.sessionIdleTimeoutSeconds())),
                    Math.max(0, config.maxSessionsPerUser()), Math.max(0, config.maxSessionsPerOriginator()));
        }

        boolean expired(long lastActiveMillis, long nowMillis) {
            return idleTimeoutMillis > 0 && nowMillis - lastActiveMillis > idleTimeoutMillis;
        }
    }

    /**
     * One open session. {@code lastActive} is written by every call; the store sees {@code lastPublished}.
     * {@code originator} is empty when the client gave none.
     */
    private static final class Session {
        final SessionInfo info;
        final String originator;
        final AtomicLong lastActive;
        final AtomicLong lastPublished;

        Session(SessionInfo info, String originator, long now) {
            this.info = info;
            this.originator = originator;
            this.lastActive = new AtomicLong(now);
            this.lastPublished = new AtomicLong(now);
        }

        String ref() {
            return info.ref();
        }
    }

    /** An Authenticator service with the properties it was chosen by. */
    private record Candidate(Authenticator service, String name, int ranking, long serviceId) {
        static final Comparator<Candidate> PREFERRED = Comparator.comparingInt(Candidate::ranking).reversed()
                .thenComparingLong(Candidate::serviceId);
    }

    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** Guarded by itself; changed only together with {@link #sessions}, so the three never disagree. */
    private final Map<String, Set<Session>> sessionsByUser = new HashMap<>();
    /** Sessions that gave an originator, by originator; guarded by {@link #sessionsByUser}. */
    private final Map<String, Set<Session>> sessionsByOriginator = new HashMap<>();
    private final List<Candidate> authenticators = new CopyOnWriteArrayList<>();

    @Reference
    private ObjectStore store;

    private volatile Policy policy = new Policy(FileAuthenticator.NAME, TimeUnit.DAYS.toMillis(1), 500, 500);
    private ScheduledExecutorService sweeper;

    public SessionManagerImpl() {
        this(Clock.systemUTC());
    }

    SessionManagerImpl(Clock clock) {
        this.clock = clock;
    }

    /** For tests: a manager wired to a store without the framework. */
    SessionManagerImpl(ObjectStore store, Policy policy, Clock clock) {
        this(clock);
        this.store = store;
        this.policy = policy;
    }

    @Activate
    void activate(Config config) {
        policy = Policy.from(config);
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "xend-session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleAtFixedRate(this::sweepSafely, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        LOG.info("Sessions: authenticator '{}', idle timeout {} s, at most {} per user and {} per originator",
                policy.authenticator(), policy.idleTimeoutMillis() / 1000, policy.maxSessionsPerUser(),
                policy.maxSessionsPerOriginator());
    }

    @Modified
    void modified(Config config) {
        policy = Policy.from(config);
        LOG.info("Sessions reconfigured: authenticator '{}', idle timeout {} s, at most {} per user and {} per"
                        + " originator", policy.authenticator(), policy.idleTimeoutMillis() / 1000,
                policy.maxSessionsPerUser(), policy.maxSessionsPerOriginator());
    }

    @Deactivate
    void deactivate() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        closeAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAuthenticator(Authenticator authenticator, Map<String, Object> properties) {
        Object nameProperty = properties.get(Authenticator.PROPERTY_NAME);
        String name = nameProperty == null ? authenticator.name() : nameProperty.toString();
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        authenticators.add(new Candidate(authenticator, name, ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : Long.MAX_VALUE));
        LOG.info("Authenticator '{}' available", name);
    }

    void removeAuthenticator(Authenticator authenticator) {
        for (Candidate candidate : authenticators) {
            if (candidate.service() == authenticator && authenticators.remove(candidate)) {
                LOG.info("Authenticator '{}' gone", candidate.name());
            }
        }
    }

    @Override
    public SessionInfo login(String user, String password, String originator, CallContext context) {
        Policy current = policy;
        Authenticator authenticator = authenticatorNamed(current.authenticator());
        if (authenticator == null) {
            LOG.warn("Login of '{}' refused: authenticator '{}' is not available (set by 'authenticator' in {})",
                    user, current.authenticator(), PID);
            throw new XenApiException(ErrorCodes.SESSION_AUTHENTICATION_FAILED);
        }
        if (!checkPassword(authenticator, user, password)) {
            LOG.info("Login of '{}' failed{}", user, describe(context, originator));
            throw new XenApiException(ErrorCodes.SESSION_AUTHENTICATION_FAILED);
        }
        boolean root = FileAuthenticator.ROOT.equals(user);
        SessionInfo info = new SessionInfo(Refs.newRef(), user, root ? Role.POOL_ADMIN : Role.READ_ONLY, root);
        long now = clock.millis();
        ClassDecl declaration = sessionDeclaration();
        Map<String, Object> fields = new HashMap<>();
        fields.put(FIELD_THIS_HOST, thisHost());
        fields.put(FIELD_THIS_USER, user);
        fields.put(FIELD_LAST_ACTIVE, lastActiveValue(declaration, now));
        if (declaration.field(FIELD_ORIGINATOR).isPresent()) {
            fields.put(FIELD_ORIGINATOR, originator == null ? "" : originator);
        }
        // In the store before it is usable, so a session that can be checked always has its record.
        store.create(SESSION_CLASS, info.ref(), fields);
        Session session = new Session(info, originator == null ? "" : originator, now);
        List<Session> evicted = register(session, current);
        for (Session old : evicted) {
            removeFromStore(old);
            LOG.info("Session {} of '{}' closed: too many sessions for that user (at most {}) or originator '{}'"
                            + " (at most {})", old.ref(), old.info.user(), current.maxSessionsPerUser(),
                    old.originator, current.maxSessionsPerOriginator());
        }
        LOG.debug("Session {} opened for '{}'{}", info.ref(), user, describe(context, originator));
        return info;
    }

    @Override
    public SessionInfo check(String sessionRef) {
        Session session = sessionRef == null ? null : sessions.get(sessionRef);
        if (session == null) {
            throw invalid(sessionRef);
        }
        long now = clock.millis();
        if (policy.expired(session.lastActive.get(), now)) {
            close(session);
            throw invalid(sessionRef);
        }
        session.lastActive.accumulateAndGet(now, Math::max);
        long published = session.lastPublished.get();
        if (now - published >= PUBLISH_INTERVAL_MILLIS && session.lastPublished.compareAndSet(published, now)) {
            publishLastActive(session, now);
        }
        return session.info;
    }

    @Override
    public void logout(String sessionRef) {
        Session session = sessionRef == null ? null : sessions.get(sessionRef);
        if (session == null) {
            throw invalid(sessionRef);
        }
        // An expired session is closed all the same, but the caller is told it was no longer valid.
        boolean expired = policy.expired(session.lastActive.get(), clock.millis());
        if (!close(session) || expired) {
            throw invalid(sessionRef);
        }
        LOG.debug("Session {} of '{}' logged out", sessionRef, session.info.user());
    }

    /** Closes idle sessions and brings the store's {@code last_active} up to date; run every minute. */
    void sweep() {
        Policy current = policy;
        long now = clock.millis();
        for (Session session : sessions.values()) {
            long lastActive = session.lastActive.get();
            if (current.expired(lastActive, now)) {
                if (close(session)) {
                    LOG.debug("Session {} of '{}' closed after being idle", session.ref(), session.info.user());
                }
                continue;
            }
            long published = session.lastPublished.get();
            if (lastActive > published && session.lastPublished.compareAndSet(published, lastActive)) {
                publishLastActive(session, lastActive);
            }
        }
    }

    /** The number of open sessions, expired ones not yet swept included. */
    int openSessions() {
        return sessions.size();
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // An exception would cancel the schedule for good.
            LOG.error("Session sweep failed", e);
        }
    }

    private Authenticator authenticatorNamed(String name) {
        return authenticators.stream()
                .filter(candidate -> candidate.name().equals(name))
                .min(Candidate.PREFERRED)
                .map(Candidate::service)
                .orElse(null);
    }

    private static boolean checkPassword(Authenticator authenticator, String user, String password) {
        if (user == null || password == null) {
            return false;
        }
        char[] secret = password.toCharArray();
        try {
            return authenticator.authenticate(user, secret);
        } catch (RuntimeException e) {
            LOG.error("Authenticator '{}' failed while checking '{}'", authenticator.name(), user, e);
            return false;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private String thisHost() {
        List<ApiObject> hosts = store.all(HOST_CLASS);
        return hosts.isEmpty() ? Refs.NULL : hosts.get(0).ref();
    }

    /**
     * Adds the session, and takes out the least recently active ones of its user, and of its originator, beyond
     * the policy's limits (0: no limit).
     */
    private List<Session> register(Session session, Policy limits) {
        List<Session> evicted = new ArrayList<>();
        synchronized (sessionsByUser) {
            sessions.put(session.ref(), session);
            Set<Session> sameUser = sessionsByUser.computeIfAbsent(session.info.user(), u -> new LinkedHashSet<>());
            sameUser.add(session);
            evictBeyond(sameUser, limits.maxSessionsPerUser(), session, evicted);
            if (!session.originator.isEmpty()) {
                Set<Session> sameOriginator =
                        sessionsByOriginator.computeIfAbsent(session.originator, o -> new LinkedHashSet<>());
                sameOriginator.add(session);
                evictBeyond(sameOriginator, limits.maxSessionsPerOriginator(), session, evicted);
            }
        }
        return evicted;
    }

    /** Under the {@link #sessionsByUser} lock: forgets the group's least recently active sessions beyond max. */
    private void evictBeyond(Set<Session> group, int max, Session keep, List<Session> evicted) {
        while (max > 0 && group.size() > max) {
            Session oldest = group.stream()
                    .filter(s -> s != keep)
                    .min(Comparator.comparingLong(s -> s.lastActive.get()))
                    .orElseThrow();
            forget(oldest);
            evicted.add(oldest);
        }
    }

    /** Under the {@link #sessionsByUser} lock: removes the session from memory; false if it was already gone. */
    private boolean forget(Session session) {
        if (!sessions.remove(session.ref(), session)) {
            return false;
        }
        removeFromGroup(sessionsByUser, session.info.user(), session);
        if (!session.originator.isEmpty()) {
            removeFromGroup(sessionsByOriginator, session.originator, session);
        }
        return true;
    }

    private static void removeFromGroup(Map<String, Set<Session>> groups, String key, Session session) {
        Set<Session> group = groups.get(key);
        if (group != null) {
            group.remove(session);
            if (group.isEmpty()) {
                groups.remove(key);
            }
        }
    }

    /** Removes the session from memory and the store; false if it was already gone. */
    private boolean close(Session session) {
        synchronized (sessionsByUser) {
            if (!forget(session)) {
                return false;
            }
        }
        removeFromStore(session);
        return true;
    }

    private void closeAll() {
        int failed = 0;
        RuntimeException firstFailure = null;
        for (Session session : List.copyOf(sessions.values())) {
            try {
                close(session);
            } catch (RuntimeException e) {
                // The store may be going away too; one line is enough however many sessions there were.
                failed++;
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        if (firstFailure != null) {
            LOG.warn("{} sessions could not be removed from the store", failed, firstFailure);
        }
    }

    private void removeFromStore(Session session) {
        store.remove(SESSION_CLASS, session.ref());
    }

    private void publishLastActive(Session session, long millis) {
        Object lastActive = lastActiveValue(sessionDeclaration(), millis);
        try {
            store.update(SESSION_CLASS, session.ref(), fields -> {
                fields.put(FIELD_LAST_ACTIVE, lastActive);
                return fields;
            });
        } catch (XenApiException e) {
            // Closed by another thread since it was looked up: nothing left to update.
            if (!ErrorCodes.HANDLE_INVALID.equals(e.code()) || sessions.containsKey(session.ref())) {
                throw e;
            }
        }
    }

    private ClassDecl sessionDeclaration() {
        return store.datamodel().classDecl(SESSION_CLASS)
                .orElseThrow(() -> new IllegalStateException("the datamodel declares no class " + SESSION_CLASS));
    }

    /**
     * {@code last_active} in the type the datamodel gives it: an int of seconds since the epoch (Xen API 1.0) or a
     * datetime (later XAPI).
     */
    private static Object lastActiveValue(ClassDecl declaration, long millis) {
        boolean seconds = declaration.field(FIELD_LAST_ACTIVE).map(FieldDecl::type).orElse(Type.DATETIME) == Type.INT;
        return seconds ? (Object) Long.valueOf(Math.floorDiv(millis, 1000L)) : Instant.ofEpochMilli(millis);
    }

    private static XenApiException invalid(String sessionRef) {
        return new XenApiException(ErrorCodes.SESSION_INVALID, sessionRef == null ? "" : sessionRef);
    }

    private static String describe(CallContext context, String originator) {
        StringBuilder sb = new StringBuilder();
        if (context != null) {
            sb.append(" over ").append(context.transport());
            if (context.peer() != null && !context.peer().isEmpty()) {
                sb.append(" from ").append(context.peer());
            }
        }
        if (originator != null && !originator.isEmpty()) {
            sb.append(" (originator '").append(originator).append("')");
        }
        return sb.toString();
    }
}
