package org.xend.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Relation;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;
import org.xend.api.store.StoreListener;

/**
 * The in-memory object store. Each object's snapshot is replaced under that object's lock; the persister of its
 * class (if any) writes it first, so a change that could not be saved is never visible. Every commit takes the
 * next value of one global generation counter.
 *
 * <p>Events are read off these generations: each object remembers the generation that created it and, for
 * {@code event.inject}, the last one that touched it; a removed object leaves a tombstone with its last snapshot.
 * Tombstones are bounded ({@link #setDeletionsKept}); per class the store remembers the newest deletion it has
 * forgotten, so a reader whose token is older learns that it cannot be told everything.
 *
 * <p>Commits are published under one short lock, in generation order, and {@link #generation()} is written last:
 * whoever reads generation {@code g} sees every commit up to {@code g}. Reads take no lock.
 *
 * <p>The set fields of the datamodel's {@link Relation}s ({@code VM.VBDs}) are the store's to keep: a commit that
 * adds, moves or removes a child changes its parents' sets in the same commit, under the same lock (the parents
 * are announced as modified after the child), and whatever a writer puts in such a set is replaced by what the
 * children say. Children may come before their parent: its set is filled when it is created.
 */
public class ObjectStoreImpl implements ObjectStore {

    /** Tombstones kept by default, across all classes. */
    public static final int DEFAULT_DELETIONS_KEPT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreImpl.class);

    /** A live object with the generations events are computed from. {@code touched} is 0 if never injected. */
    public record StoredObject(ApiObject object, long created, long touched, long changedAtMillis) {
    }

    /** A removed object: its last snapshot, when it was created and when it was removed. */
    public record Deletion(ApiObject last, long created, long deleted, long deletedAtMillis) {
    }

    /**
     * The deletions of one class after some generation, oldest first; {@code complete} is false when some of
     * them were already forgotten.
     */
    public record Deletions(List<Deletion> deletions, boolean complete) {
    }

    private static final class ClassTable {
        final ConcurrentHashMap<String, StoredObject> objects = new ConcurrentHashMap<>();
        /** Generation of the last commit to an object of this class. */
        volatile long lastChange;
        /** Newest deletion generation dropped from the tombstones; guarded by the commit lock. */
        long forgottenUpTo;
    }

    private final Datamodel model;
    private final long epoch = System.currentTimeMillis();
    private final Map<String, ClassPersister> persisters = new ConcurrentHashMap<>();
    private final Map<String, ClassTable> tables = new HashMap<>();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

    private final Object commitLock = new Object();
    private final Map<String, List<Relation>> relationsOfChild = new HashMap<>();
    private final Map<String, List<Relation>> relationsOfParent = new HashMap<>();
    /** Per relation, the children naming each parent ref, existing or not, in order; guarded by the commit lock. */
    private final Map<Relation, Map<String, LinkedHashSet<String>>> children = new HashMap<>();
    /** Oldest first; guarded by the commit lock. */
    private final ArrayDeque<Deletion> deletions = new ArrayDeque<>();
    private int deletionsKept = DEFAULT_DELETIONS_KEPT;
    /** Written last in every commit, under the commit lock. */
    private volatile long generation;
    private volatile long lastCommitNanos = System.nanoTime();

    public ObjectStoreImpl(Datamodel model) {
        this.model = model;
        for (ClassDecl c : model.classes()) {
            tables.put(c.name(), new ClassTable());
        }
        for (Relation r : model.relations()) {
            relationsOfChild.computeIfAbsent(r.childClass(), c -> new ArrayList<>()).add(r);
            relationsOfParent.computeIfAbsent(r.parentClass(), c -> new ArrayList<>()).add(r);
            children.put(r, new HashMap<>());
        }
    }

    @Override
    public Datamodel datamodel() {
        return model;
    }

    @Override
    public long generation() {
        return generation;
    }

    /**
     * Identifies this store's run of generations: the counter starts again at 0 with every new store, so a
     * generation means nothing without it.
     */
    public long epoch() {
        return epoch;
    }

    /** {@link System#nanoTime()} of the last commit. */
    public long lastCommitNanos() {
        return lastCommitNanos;
    }

    @Override
    public Optional<ApiObject> get(String className, String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        StoredObject stored = table(className).objects.get(ref);
        return stored == null ? Optional.empty() : Optional.of(stored.object());
    }

    @Override
    public ApiObject require(String className, String ref) {
        return get(className, ref).orElseThrow(
                () -> new XenApiException(ErrorCodes.HANDLE_INVALID, className, String.valueOf(ref)));
    }

    @Override
    public List<ApiObject> all(String className) {
        Collection<StoredObject> stored = table(className).objects.values();
        List<ApiObject> out = new ArrayList<>(stored.size());
        for (StoredObject s : stored) {
            out.add(s.object());
        }
        out.sort(Comparator.comparing(ApiObject::ref));
        return out;
    }

    /** The live objects of a class with their generations, in no particular order (a weakly consistent view). */
    public Collection<StoredObject> entries(String className) {
        return Collections.unmodifiableCollection(table(className).objects.values());
    }

    public Optional<StoredObject> entry(String className, String ref) {
        return Optional.ofNullable(table(className).objects.get(ref));
    }

    /** The generation of the last commit to an object of the class (0 if none). */
    public long lastChange(String className) {
        return table(className).lastChange;
    }

    /** The deletions of objects of {@code className} with a generation above {@code after}, oldest first. */
    public Deletions deletionsSince(String className, long after) {
        List<Deletion> found = new ArrayList<>();
        boolean complete;
        synchronized (commitLock) {
            Iterator<Deletion> newestFirst = deletions.descendingIterator();
            while (newestFirst.hasNext()) {
                Deletion d = newestFirst.next();
                if (d.deleted() <= after) {
                    break;
                }
                if (d.last().className().equals(className)) {
                    found.add(d);
                }
            }
            complete = table(className).forgottenUpTo <= after;
        }
        Collections.reverse(found);
        return new Deletions(found, complete);
    }

    /** How many tombstones are kept, across all classes; the oldest are forgotten first. */
    public void setDeletionsKept(int kept) {
        synchronized (commitLock) {
            deletionsKept = Math.max(0, kept);
            forgetOldDeletions();
        }
    }

    @Override
    public ApiObject create(String className, String ref, Map<String, Object> fields) {
        ClassDecl cls = classDecl(className);
        Map<String, Object> full = new LinkedHashMap<>();
        for (FieldDecl f : cls.fields().values()) {
            Object v = fields.get(f.name());
            full.put(f.name(), v == null ? TypeDefaults.of(f) : v);
        }
        full.put("uuid", ref);
        check(cls, full);
        synchronized (lock(className, ref)) {
            ClassTable table = table(className);
            if (table.objects.containsKey(ref)) {
                throw new IllegalStateException(className + " " + ref + " already exists");
            }
            ApiObject staged = new ApiObject(className, ref, generation + 1, full);
            persist(null, staged);
            ApiObject committed;
            List<ApiObject[]> parents;
            synchronized (commitLock) {
                long g = generation + 1;
                committed = new ApiObject(className, ref, g, withRelationSets(className, ref, staged.fields()));
                table.objects.put(ref, new StoredObject(committed, g, 0L, System.currentTimeMillis()));
                parents = relink(null, committed, g);
                publish(table, g);
            }
            notifyListeners(null, committed);
            announce(parents);
            return committed;
        }
    }

    @Override
    public ApiObject update(String className, String ref, UnaryOperator<Map<String, Object>> change) {
        ClassDecl cls = classDecl(className);
        synchronized (lock(className, ref)) {
            ClassTable table = table(className);
            StoredObject before = table.objects.get(ref);
            if (before == null) {
                throw new XenApiException(ErrorCodes.HANDLE_INVALID, className, ref);
            }
            Map<String, Object> fields = change.apply(new LinkedHashMap<>(before.object().fields()));
            fields.put("uuid", ref);
            if (fields.equals(before.object().fields())) {
                return before.object();
            }
            check(cls, fields);
            ApiObject staged = new ApiObject(className, ref, generation + 1, fields);
            persist(before.object(), staged);
            return commitReplacement(table, before, staged.fields(), false);
        }
    }

    /**
     * Gives the object a new generation without changing it, so readers of events see it modified
     * ({@code event.inject}). Throws {@code HANDLE_INVALID} if it does not exist.
     */
    public ApiObject touch(String className, String ref) {
        synchronized (lock(className, ref)) {
            ClassTable table = table(className);
            StoredObject before = table.objects.get(ref);
            if (before == null) {
                throw new XenApiException(ErrorCodes.HANDLE_INVALID, className, ref);
            }
            return commitReplacement(table, before, before.object().fields(), true);
        }
    }

    private ApiObject commitReplacement(ClassTable table, StoredObject before, Map<String, Object> fields,
                                        boolean touch) {
        ApiObject old = before.object();
        ApiObject after;
        List<ApiObject[]> parents;
        synchronized (commitLock) {
            long g = generation + 1;
            after = new ApiObject(old.className(), old.ref(), g, withRelationSets(old.className(), old.ref(), fields));
            table.objects.put(old.ref(), new StoredObject(after, before.created(), touch ? g : before.touched(),
                    System.currentTimeMillis()));
            parents = relink(old, after, g);
            publish(table, g);
        }
        notifyListeners(old, after);
        announce(parents);
        return after;
    }

    @Override
    public boolean remove(String className, String ref) {
        synchronized (lock(className, ref)) {
            ClassTable table = table(className);
            StoredObject before = table.objects.get(ref);
            if (before == null) {
                return false;
            }
            ClassPersister p = persisters.get(className);
            if (p != null) {
                try {
                    p.delete(before.object());
                } catch (XenApiException e) {
                    throw e;
                } catch (Exception e) {
                    throw new XenApiException(ErrorCodes.INTERNAL_ERROR,
                            "could not delete the saved state of " + className + " " + ref + ": " + e.getMessage());
                }
            }
            List<ApiObject[]> parents;
            synchronized (commitLock) {
                long g = generation + 1;
                table.objects.remove(ref);
                deletions.addLast(new Deletion(before.object(), before.created(), g, System.currentTimeMillis()));
                forgetOldDeletions();
                parents = relink(before.object(), null, g);
                publish(table, g);
            }
            locks.remove(className + "/" + ref);
            notifyListeners(before.object(), null);
            announce(parents);
            return true;
        }
    }

    /** From now on, changes to objects of {@code className} are saved through {@code persister} first. */
    public void registerPersister(String className, ClassPersister persister) {
        classDecl(className);
        persisters.put(className, persister);
    }

    public void unregisterPersister(String className, ClassPersister persister) {
        persisters.remove(className, persister);
    }

    @Override
    public void addListener(StoreListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(StoreListener listener) {
        listeners.remove(listener);
    }

    /** Under the commit lock: the commit's changes are in place, make {@code g} visible. */
    private void publish(ClassTable table, long g) {
        table.lastChange = g;
        lastCommitNanos = System.nanoTime();
        generation = g;
    }

    /** Under the commit lock: {@code fields} with each relation set of the class as the children make it. */
    private Map<String, Object> withRelationSets(String className, String ref, Map<String, Object> fields) {
        List<Relation> relations = relationsOfParent.get(className);
        if (relations == null) {
            return fields;
        }
        Map<String, Object> out = fields;
        for (Relation r : relations) {
            List<String> kept = childrenOf(r, ref);
            if (!kept.equals(fields.get(r.parentField()))) {
                if (out == fields) {
                    out = new LinkedHashMap<>(fields);
                }
                out.put(r.parentField(), kept);
            }
        }
        return out;
    }

    private List<String> childrenOf(Relation r, String parentRef) {
        LinkedHashSet<String> kept = children.get(r).get(parentRef);
        return kept == null ? List.of() : List.copyOf(kept);
    }

    /**
     * Under the commit lock, in the commit {@code g} of a child ({@code before} or {@code after} null when it is
     * made or removed): moves it between its parents' sets and commits each existing parent whose set changed.
     *
     * @return each such parent's snapshots, before and after, to announce once the lock is given up
     */
    private List<ApiObject[]> relink(ApiObject before, ApiObject after, long g) {
        ApiObject child = after != null ? after : before;
        List<Relation> relations = relationsOfChild.get(child.className());
        if (relations == null) {
            return List.of();
        }
        List<ApiObject[]> changed = new ArrayList<>(0);
        for (Relation r : relations) {
            String from = parentRef(before, r);
            String to = parentRef(after, r);
            if (from != null && from.equals(to)) {
                continue;
            }
            Map<String, LinkedHashSet<String>> byParent = children.get(r);
            LinkedHashSet<String> left = from == null ? null : byParent.get(from);
            if (left != null && left.remove(child.ref())) {
                if (left.isEmpty()) {
                    byParent.remove(from);
                }
                commitParent(r, from, g, changed);
            }
            if (to != null) {
                byParent.computeIfAbsent(to, p -> new LinkedHashSet<>()).add(child.ref());
                commitParent(r, to, g, changed);
            }
        }
        return changed;
    }

    private static String parentRef(ApiObject child, Relation r) {
        if (child == null) {
            return null;
        }
        Object ref = child.fields().get(r.childField());
        return ref instanceof String s && !Refs.isNull(s) ? s : null;
    }

    /** Under the commit lock: the parent, if it exists, takes its new set in the commit {@code g}. */
    private void commitParent(Relation r, String parentRef, long g, List<ApiObject[]> changed) {
        ClassTable table = tables.get(r.parentClass());
        StoredObject current = table.objects.get(parentRef);
        if (current == null) {
            return;
        }
        ApiObject old = current.object();
        Map<String, Object> fields = new LinkedHashMap<>(old.fields());
        fields.put(r.parentField(), childrenOf(r, parentRef));
        ApiObject updated = new ApiObject(old.className(), old.ref(), g, fields);
        table.objects.put(parentRef, new StoredObject(updated, current.created(), current.touched(),
                System.currentTimeMillis()));
        table.lastChange = g;
        changed.add(new ApiObject[] {old, updated});
    }

    private void announce(List<ApiObject[]> parents) {
        for (ApiObject[] change : parents) {
            notifyListeners(change[0], change[1]);
        }
    }

    /** Under the commit lock. */
    private void forgetOldDeletions() {
        while (deletions.size() > deletionsKept) {
            Deletion oldest = deletions.removeFirst();
            ClassTable table = tables.get(oldest.last().className());
            table.forgottenUpTo = Math.max(table.forgottenUpTo, oldest.deleted());
        }
    }

    private void persist(ApiObject before, ApiObject after) {
        ClassPersister p = persisters.get(after.className());
        if (p == null) {
            return;
        }
        try {
            p.write(before, after);
        } catch (XenApiException e) {
            throw e;
        } catch (Exception e) {
            LOG.error("Could not save {} {}", after.className(), after.ref(), e);
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR,
                    "could not save " + after.className() + " " + after.ref() + ": " + e.getMessage());
        }
    }

    private void notifyListeners(ApiObject before, ApiObject after) {
        for (StoreListener l : listeners) {
            try {
                l.changed(before, after);
            } catch (RuntimeException e) {
                LOG.warn("Store listener {} failed", l, e);
            }
        }
    }

    private static void check(ClassDecl cls, Map<String, Object> fields) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            FieldDecl f = cls.fields().get(e.getKey());
            if (f == null) {
                throw new IllegalArgumentException(cls.name() + " has no field " + e.getKey());
            }
            if (!Values.isStoreValue(f.type(), e.getValue())) {
                throw new IllegalArgumentException(cls.name() + "." + f.name() + " cannot hold "
                        + e.getValue() + " (" + (e.getValue() == null ? "null" : e.getValue().getClass().getName()) + ")");
            }
        }
    }

    private ClassTable table(String className) {
        ClassTable t = tables.get(className);
        if (t == null) {
            throw new IllegalArgumentException("undeclared class " + className);
        }
        return t;
    }

    private ClassDecl classDecl(String className) {
        return model.classDecl(className).orElseThrow(() -> new IllegalArgumentException("undeclared class " + className));
    }

    private Object lock(String className, String ref) {
        return locks.computeIfAbsent(className + "/" + ref, k -> new Object());
    }
}
