package org.xend.core.event;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.core.ObjectStoreImpl;

/**
 * A set of event subscriptions, as XAPI spells them: {@code *} (every class), a class name (any case), or
 * {@code class/ref} (one object). Immutable.
 */
final class Subscriptions {

    static final String SUBSCRIPTION_PARSE_FAILURE = "EVENT_SUBSCRIPTION_PARSE_FAILURE";
    private static final String ALL = "*";
    private static final String DEBUG = "debug";

    /** One subscription: {@code className} null for all classes, {@code ref} null for a whole class. */
    record Subscription(String className, String ref) {
    }

    static final Subscriptions NONE = new Subscriptions(Set.of(), List.of());

    private final Set<Subscription> subscriptions;
    /** Canonical names of the classes any subscription covers. */
    private final List<String> classes;
    /** Classes subscribed to as a whole. */
    private final Set<String> wholeClasses;
    /** For classes subscribed to object by object only: the refs. */
    private final Map<String, Set<String>> objects;

    private Subscriptions(Set<Subscription> subscriptions, List<String> eventClasses) {
        this.subscriptions = Collections.unmodifiableSet(new LinkedHashSet<>(subscriptions));
        Set<String> whole = new HashSet<>();
        Map<String, Set<String>> refs = new HashMap<>();
        for (Subscription s : subscriptions) {
            if (s.className() == null) {
                whole.addAll(eventClasses);
                // Xend's test class: "*" means the system's objects, and SDKs have no class to parse it into
                whole.remove(DEBUG);
            } else if (s.ref() == null) {
                whole.add(s.className());
            } else {
                refs.computeIfAbsent(s.className(), c -> new HashSet<>()).add(s.ref());
            }
        }
        refs.keySet().removeAll(whole);
        List<String> covered = new ArrayList<>();
        for (String c : eventClasses) {
            if (whole.contains(c) || refs.containsKey(c)) {
                covered.add(c);
            }
        }
        this.classes = List.copyOf(covered);
        this.wholeClasses = Set.copyOf(whole);
        this.objects = Map.copyOf(refs);
    }

    /**
     * Parses subscription strings; an empty string, an unknown class or a class that has no objects gets
     * {@code EVENT_SUBSCRIPTION_PARSE_FAILURE [subscription]}.
     */
    static Subscriptions parse(Datamodel model, Collection<String> strings) {
        Set<Subscription> parsed = new LinkedHashSet<>();
        for (String s : strings) {
            parsed.add(parseOne(model, s));
        }
        return new Subscriptions(parsed, eventClasses(model));
    }

    private static Subscription parseOne(Datamodel model, String s) {
        if (ALL.equals(s)) {
            return new Subscription(null, null);
        }
        int slash = s.indexOf('/');
        String cls = slash < 0 ? s : s.substring(0, slash);
        String ref = slash < 0 ? null : s.substring(slash + 1);
        ClassDecl decl = model.classDeclIgnoreCase(cls)
                .filter(ClassDecl::generatedCalls)
                .orElseThrow(() -> new XenApiException(SUBSCRIPTION_PARSE_FAILURE, s));
        if (ref != null && ref.isEmpty()) {
            throw new XenApiException(SUBSCRIPTION_PARSE_FAILURE, s);
        }
        return new Subscription(decl.name(), ref);
    }

    /** The classes whose objects can be the subject of events, in declaration order. */
    static List<String> eventClasses(Datamodel model) {
        List<String> out = new ArrayList<>();
        for (ClassDecl c : model.classes()) {
            if (c.generatedCalls()) {
                out.add(c.name());
            }
        }
        return out;
    }

    Subscriptions plus(Subscriptions more, Datamodel model) {
        Set<Subscription> union = new LinkedHashSet<>(subscriptions);
        union.addAll(more.subscriptions);
        return new Subscriptions(union, eventClasses(model));
    }

    Subscriptions minus(Subscriptions less, Datamodel model) {
        Set<Subscription> rest = new LinkedHashSet<>(subscriptions);
        rest.removeAll(less.subscriptions);
        return new Subscriptions(rest, eventClasses(model));
    }

    /** Canonical names of the classes covered, in declaration order. */
    List<String> classes() {
        return classes;
    }

    /** The refs subscribed to in {@code className}, or null if the whole class is. */
    Set<String> refsIn(String className) {
        return wholeClasses.contains(className) ? null : objects.getOrDefault(className, Set.of());
    }

    boolean isEmpty() {
        return classes.isEmpty();
    }

    /** True if every subscription is to the given class (XAPI does not batch task-only subscriptions). */
    boolean onlyClass(String className) {
        return classes.size() == 1 && classes.get(0).equals(className);
    }

    /**
     * True if some covered class has had a commit after {@code generation}. False means no commit with a
     * generation in {@code (generation, g]} concerns these subscriptions, for any {@code g} read from the store
     * before this call.
     */
    boolean changedSince(ObjectStoreImpl store, long generation) {
        for (String c : classes) {
            if (store.lastChange(c) > generation) {
                return true;
            }
        }
        return false;
    }
}
