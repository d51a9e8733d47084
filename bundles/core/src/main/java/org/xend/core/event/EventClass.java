package org.xend.core.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.model.XenApiModel;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;
import org.xend.api.store.StoreListener;
import org.xend.core.ObjectStoreImpl;
import org.xend.core.WireValue;
import org.xend.core.event.EventCollector.Pending;

/**
 * The Xen API {@code event} class, read off the object store's generations so no change can be missed.
 *
 * <ul>
 * <li>{@code event.from(classes, token, timeout)}: the changes since the token, coalesced per object, with
 * snapshots; blocks until there is one or the timeout passes. After waiting it lets a burst of commits settle
 * (50 ms by default) so they come back as one batch.</li>
 * <li>{@code event.register/unregister/next}: per-session subscriptions. A session's queue is a cursor on the
 * generations, so producers never block and nothing is stored per session; when more than {@code queueLength}
 * events pile up (or deletions were forgotten) {@code next} answers {@code EVENTS_LOST} and the queue restarts
 * from the present.</li>
 * <li>{@code event.get_current_id} and {@code event.inject(class, ref)}.</li>
 * </ul>
 *
 * <p>Blocked calls hold their caller's thread; they are woken by commits, by their session's end (then get
 * {@code SESSION_INVALID}) and by {@link #close}.
 */
public final class EventClass implements ClassImplementation {

    public static final String EVENT = "event";
    /** The classes XAPI calls metrics: live values that change without events. */
    public static final Set<String> DEFAULT_EVENTLESS_CLASSES = Set.of(XenApiModel.VM_METRICS,
            XenApiModel.VM_GUEST_METRICS, XenApiModel.HOST_METRICS, XenApiModel.HOST_CPU, XenApiModel.VIF_METRICS,
            XenApiModel.VBD_METRICS, XenApiModel.PIF_METRICS);

    private static final Logger LOG = LoggerFactory.getLogger(EventClass.class);
    private static final String SESSION = XenApiModel.SESSION;
    private static final String TASK = XenApiModel.TASK;
    private static final String ALL = "*";
    /** Longer timeouts are treated as "no timeout"; keeps deadline arithmetic far from overflow. */
    private static final double MAX_TIMEOUT_SECONDS = 1.0e9;

    /**
     * @param fromSettleMillis how long {@code event.from} lets commits settle before answering (XAPI: 50 ms)
     * @param nextSettleMillis the same for {@code event.next} (XAPI: 200 ms)
     * @param queueLength      events a session may have pending for {@code event.next} before they are lost
     * @param eventlessClasses classes whose changes make no {@code mod} events (creation, removal and
     *                         {@code inject} still do)
     */
    public record Settings(long fromSettleMillis, long nextSettleMillis, int queueLength,
                           Set<String> eventlessClasses) {
        public static final Settings DEFAULTS = new Settings(50, 200, 10_000, DEFAULT_EVENTLESS_CLASSES);

        public Settings {
            eventlessClasses = Set.copyOf(eventlessClasses);
        }
    }

    /** The {@code event.next} state of one session. */
    private static final class Registration {
        volatile Subscriptions subscriptions;
        final AtomicLong cursor;

        Registration(Subscriptions subscriptions, long cursor) {
            this.subscriptions = subscriptions;
            this.cursor = new AtomicLong(cursor);
        }
    }

    private final ObjectStoreImpl store;
    private final Datamodel model;
    private final Function<String, ClassImplementation> implementations;
    private final Settings settings;
    private final EventCollector collector;
    private final ChangeSignal signal;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final StoreListener listener = this::onCommit;
    private final Map<String, MessageImpl> messages;

    /**
     * @param implementations the class implementations (for live values and visibility), as the dispatcher sees
     *                        them
     */
    public EventClass(ObjectStoreImpl store, Function<String, ClassImplementation> implementations,
                      Settings settings) {
        this.store = store;
        this.model = store.datamodel();
        this.implementations = implementations;
        this.settings = settings;
        this.collector = new EventCollector(store, implementations, settings.eventlessClasses());
        this.signal = new ChangeSignal(store::generation);
        this.messages = Map.of(
                "register", this::register,
                "unregister", this::unregister,
                "next", this::next,
                "from", this::from,
                "get_current_id", call -> store.generation(),
                "inject", this::inject);
        store.addListener(listener);
    }

    @Override
    public String className() {
        return EVENT;
    }

    @Override
    public Map<String, MessageImpl> messages() {
        return messages;
    }

    /** Stops listening to the store and releases every blocked call. */
    public void close() {
        store.removeListener(listener);
        signal.close();
    }

    private void onCommit(ApiObject before, ApiObject after) {
        if (after == null && SESSION.equals(before.className())) {
            registrations.remove(before.ref());
        }
        signal.wakeAll();
    }

    // ---- event.register / unregister / next ----

    /** Xend's rule: registering for no classes registers for all of them. */
    private Object register(Call call) {
        List<String> classes = stringList(call.arg(0));
        Subscriptions more = Subscriptions.parse(model, classes.isEmpty() ? List.of(ALL) : classes);
        registrations.compute(call.session(), (session, existing) -> {
            if (existing == null) {
                return new Registration(more, store.generation());
            }
            existing.subscriptions = existing.subscriptions.plus(more, model);
            return existing;
        });
        return null;
    }

    /** Unregistering no classes in particular drops every subscription; the session stays registered. */
    private Object unregister(Call call) {
        List<String> classes = stringList(call.arg(0));
        Subscriptions less = Subscriptions.parse(model, classes);
        registrations.computeIfPresent(call.session(), (session, existing) -> {
            existing.subscriptions = classes.isEmpty() ? Subscriptions.NONE
                    : existing.subscriptions.minus(less, model);
            return existing;
        });
        return null;
    }

    private Object next(Call call) {
        try {
            return awaitNext(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the event service is stopping");
        }
    }

    private Object awaitNext(Call call) throws InterruptedException {
        String session = call.session();
        Registration registration = registrations.get(session);
        if (registration == null) {
            throw new XenApiException(ErrorCodes.SESSION_NOT_REGISTERED, session);
        }
        BooleanSupplier sessionGone = () -> registrations.get(session) != registration;
        boolean settled = settings.nextSettleMillis() <= 0;
        while (true) {
            long upTo = store.generation();
            long since = registration.cursor.get();
            Subscriptions subscriptions = registration.subscriptions;
            if (subscriptions.changedSince(store, since)) {
                if (!settled) {
                    settle(settings.nextSettleMillis(), false, 0L);
                    settled = true;
                    continue;
                }
                // Concurrent next() calls of one session take disjoint ranges, as in XAPI.
                if (!registration.cursor.compareAndSet(since, Math.max(since, upTo))) {
                    continue;
                }
                // On EVENTS_LOST the cursor has moved on: the queue is dropped, later events come normally.
                List<Pending> found = collector.collect(subscriptions, since, call);
                if (found.size() > settings.queueLength()) {
                    throw new XenApiException(EventTokens.EVENTS_LOST);
                }
                if (!found.isEmpty()) {
                    return new WireValue(collector.encode(found));
                }
            } else {
                registration.cursor.compareAndSet(since, Math.max(since, upTo));
            }
            signal.await(upTo, false, 0L, sessionGone);
            if (signal.isClosed()) {
                throw new XenApiException(ErrorCodes.INTERNAL_ERROR, "the event service is stopping");
            }
            if (sessionGone.getAsBoolean()) {
                throw new XenApiException(ErrorCodes.SESSION_INVALID, session);
            }
        }
    }

    // ---- event.from ----

    private Object from(Call call) {
        Subscriptions subscriptions = Subscriptions.parse(model, stringList(call.arg(0)));
        String token = call.stringArg(1);
        long since = EventTokens.parse(token, store.epoch(), store.generation());
        double timeout = ((Number) call.arg(2)).doubleValue();
        boolean bounded = !(timeout > MAX_TIMEOUT_SECONDS);
        long deadline = System.nanoTime() + (timeout > 0 ? (long) (Math.min(timeout, MAX_TIMEOUT_SECONDS) * 1e9) : 0L);
        String session = call.session();
        boolean sessionTracked = session != null && model.classDecl(SESSION).isPresent()
                && store.get(SESSION, session).isPresent();
        // A full dump answers at once; tasks are what clients wait on, so they are not held back either.
        boolean settled = subscriptions.onlyClass(TASK) || settings.fromSettleMillis() <= 0;
        try {
            while (true) {
                long upTo = store.generation();
                if (subscriptions.changedSince(store, since)) {
                    if (!settled && since > 0) {
                        settle(settings.fromSettleMillis(), bounded, deadline);
                        settled = true;
                        continue;
                    }
                    List<Pending> found = collector.collect(subscriptions, since, call);
                    if (!found.isEmpty()) {
                        return batch(found, upTo, subscriptions, call);
                    }
                }
                // Nothing in (since, upTo] concerns this caller.
                since = Math.max(since, upTo);
                if (signal.isClosed() || (bounded && System.nanoTime() - deadline >= 0)) {
                    return batch(List.of(), since, subscriptions, call);
                }
                signal.await(upTo, bounded, deadline, () -> false);
                if (sessionTracked && store.get(SESSION, session).isEmpty()) {
                    throw new XenApiException(ErrorCodes.SESSION_INVALID, session);
                }
            }
        } catch (InterruptedException e) {
            // The server is stopping: answer with what there is.
            Thread.currentThread().interrupt();
            return batch(List.of(), since, subscriptions, call);
        }
    }

    private WireValue batch(List<Pending> events, long upTo, Subscriptions subscriptions, Call call) {
        Map<String, Object> result = new LinkedHashMap<>(8);
        result.put("events", collector.encode(events));
        result.put("valid_ref_counts", collector.validRefCounts(subscriptions, call));
        result.put("token", EventTokens.format(upTo, store.epoch()));
        return new WireValue(result);
    }

    /**
     * Waits until {@code millis} have passed since the store's last commit, so the rest of a burst of commits
     * joins the batch. Waits once, whatever comes meanwhile, so a steady stream of commits cannot hold the caller
     * back; never past the caller's deadline.
     */
    private void settle(long millis, boolean bounded, long deadline) throws InterruptedException {
        long quietFor = System.nanoTime() - store.lastCommitNanos();
        long wait = TimeUnit.MILLISECONDS.toNanos(millis) - quietFor;
        if (bounded) {
            wait = Math.min(wait, deadline - System.nanoTime());
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    // ---- event.inject ----

    /** Marks the object modified; returns a token from which {@code event.from} reports that change. */
    private Object inject(Call call) {
        String className = call.stringArg(0);
        String ref = call.stringArg(1);
        ClassDecl cls = model.classDeclIgnoreCase(className)
                .filter(ClassDecl::generatedCalls)
                .orElseThrow(() -> new XenApiException(ErrorCodes.HANDLE_INVALID, className, ref));
        ApiObject object = store.require(cls.name(), ref);
        ClassImplementation impl = implementations.apply(cls.name());
        if (impl != null) {
            impl.checkRead(call, object);
        }
        long generation = store.touch(cls.name(), ref).generation();
        LOG.debug("Event injected on {} {} at generation {}", cls.name(), ref, generation);
        return EventTokens.format(generation - 1, store.epoch());
    }

    private static List<String> stringList(Object value) {
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) value;
        return strings;
    }
}
