package org.xend.core.event;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.XenApiException;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Call;
import org.xend.api.store.ClassImplementation;
import org.xend.core.ObjectStoreImpl;
import org.xend.core.ObjectStoreImpl.Deletion;
import org.xend.core.ObjectStoreImpl.Deletions;
import org.xend.core.ObjectStoreImpl.StoredObject;
import org.xend.core.Values;

/**
 * Reads events off the store's generations (XAPI's rules): after generation {@code since}, an object created is
 * one {@code add}, an object changed is one {@code mod} however often it changed, both with its latest snapshot;
 * an object removed is one {@code del} with its last snapshot, unless it was also created after {@code since}.
 * Objects of "eventless" classes (live metrics) only appear when created, removed or injected. Objects the caller
 * may not see ({@link ClassImplementation#checkRead}) are left out.
 */
final class EventCollector {

    private static final Logger LOG = LoggerFactory.getLogger(EventCollector.class);

    /** One event before encoding; {@code object} is the latest snapshot, or the last one for a {@code del}. */
    record Pending(long id, long timestampMillis, String className, String operation, ApiObject object) {
    }

    private final ObjectStoreImpl store;
    private final Function<String, ClassImplementation> implementations;
    private final Values values;
    private final Set<String> eventlessClasses;

    EventCollector(ObjectStoreImpl store, Function<String, ClassImplementation> implementations,
                   Set<String> eventlessClasses) {
        this.store = store;
        this.implementations = implementations;
        this.values = new Values(store.datamodel());
        this.eventlessClasses = Set.copyOf(eventlessClasses);
    }

    /**
     * The events after generation {@code since} that the subscriptions select and the caller may see, ordered by
     * id. Throws {@code EVENTS_LOST} if deletions after {@code since} have been forgotten.
     */
    List<Pending> collect(Subscriptions subscriptions, long since, Call caller) {
        List<Pending> out = new ArrayList<>();
        for (String cls : subscriptions.classes()) {
            if (store.lastChange(cls) <= since) {
                continue;
            }
            ClassImplementation impl = implementations.apply(cls);
            boolean eventless = eventlessClasses.contains(cls);
            Set<String> refs = subscriptions.refsIn(cls);
            if (refs == null) {
                for (StoredObject o : store.entries(cls)) {
                    consider(out, o, since, eventless, impl, caller);
                }
            } else {
                for (String ref : refs) {
                    store.entry(cls, ref).ifPresent(o -> consider(out, o, since, eventless, impl, caller));
                }
            }
            if (since > 0) {
                collectDeletions(out, cls, refs, since, impl, caller);
            }
        }
        out.sort(Comparator.comparingLong(Pending::id));
        return out;
    }

    private void consider(List<Pending> out, StoredObject o, long since, boolean eventless, ClassImplementation impl,
                          Call caller) {
        long id = eventless ? Math.max(o.created(), o.touched()) : o.object().generation();
        if (id <= since || !visible(impl, caller, o.object())) {
            return;
        }
        String operation = o.created() > since ? "add" : "mod";
        out.add(new Pending(id, o.changedAtMillis(), o.object().className(), operation, o.object()));
    }

    private void collectDeletions(List<Pending> out, String cls, Set<String> refs, long since,
                                  ClassImplementation impl, Call caller) {
        Deletions deletions = store.deletionsSince(cls, since);
        if (!deletions.complete()) {
            throw new XenApiException(EventTokens.EVENTS_LOST);
        }
        for (Deletion d : deletions.deletions()) {
            // Created and removed since the client last looked: it never knew the object.
            if (d.created() > since || (refs != null && !refs.contains(d.last().ref()))) {
                continue;
            }
            if (visible(impl, caller, d.last())) {
                out.add(new Pending(d.deleted(), d.deletedAtMillis(), cls, "del", d.last()));
            }
        }
    }

    /** The number of objects of each covered class the caller may see, keyed like event classes. */
    Map<String, Object> validRefCounts(Subscriptions subscriptions, Call caller) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String cls : subscriptions.classes()) {
            ClassImplementation impl = implementations.apply(cls);
            long n = 0;
            for (StoredObject o : store.entries(cls)) {
                if (visible(impl, caller, o.object())) {
                    n++;
                }
            }
            counts.put(wireClassName(cls), Long.toString(n));
        }
        return counts;
    }

    /** Event records in wire form: id, timestamp, class, operation, ref, obj_uuid, snapshot. */
    List<Object> encode(List<Pending> events) {
        List<Object> out = new ArrayList<>(events.size());
        for (Pending e : events) {
            Map<String, Object> record = new LinkedHashMap<>(14);
            record.put("id", Long.toString(e.id()));
            record.put("timestamp", new Date(e.timestampMillis()));
            record.put("class", wireClassName(e.className()));
            record.put("operation", e.operation());
            record.put("ref", e.object().ref());
            record.put("obj_uuid", e.object().string("uuid"));
            record.put("snapshot", values.encodeRecord(e.className(), snapshot(e).fields()));
            out.add(record);
        }
        return out;
    }

    /** The snapshot with live values for an object that still exists; a removed object keeps its last one. */
    private ApiObject snapshot(Pending e) {
        ClassImplementation impl = implementations.apply(e.className());
        if (impl == null || "del".equals(e.operation())) {
            return e.object();
        }
        try {
            return impl.live(e.object());
        } catch (RuntimeException ex) {
            LOG.debug("No live values for {} {}; sending the stored snapshot", e.className(), e.object().ref(), ex);
            return e.object();
        }
    }

    static boolean visible(ClassImplementation impl, Call caller, ApiObject object) {
        if (impl == null) {
            return true;
        }
        try {
            impl.checkRead(caller, object);
            return true;
        } catch (XenApiException e) {
            return false;
        }
    }

    /** XAPI names classes in lower case in events (clients compare {@code class == "vm"}). */
    static String wireClassName(String className) {
        return className.toLowerCase(Locale.ROOT);
    }
}
