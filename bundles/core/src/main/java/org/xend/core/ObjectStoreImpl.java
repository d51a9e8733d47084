package org.xend.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ClassPersister;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.StoreListener;

/**
 * The in-memory object store. Each object's snapshot is replaced under that object's lock; the persister of its
 * class (if any) writes it first, so a change that could not be saved is never visible. Every commit takes the
 * next value of one global generation counter.
 */
public class ObjectStoreImpl implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStoreImpl.class);

    private final Datamodel model;
    private final Map<String, ClassPersister> persisters = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, ConcurrentHashMap<String, ApiObject>> objects = new HashMap<>();
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

    public ObjectStoreImpl(Datamodel model) {
        this.model = model;
        for (ClassDecl c : model.classes()) {
            objects.put(c.name(), new ConcurrentHashMap<>());
        }
    }

    @Override
    public Datamodel datamodel() {
        return model;
    }

    @Override
    public long generation() {
        return generation.get();
    }

    @Override
    public Optional<ApiObject> get(String className, String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(table(className).get(ref));
    }

    @Override
    public ApiObject require(String className, String ref) {
        return get(className, ref).orElseThrow(
                () -> new XenApiException(ErrorCodes.HANDLE_INVALID, className, String.valueOf(ref)));
    }

    @Override
    public List<ApiObject> all(String className) {
        List<ApiObject> out = new ArrayList<>(table(className).values());
        out.sort(Comparator.comparing(ApiObject::ref));
        return out;
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
            ConcurrentHashMap<String, ApiObject> table = table(className);
            if (table.containsKey(ref)) {
                throw new IllegalStateException(className + " " + ref + " already exists");
            }
            ApiObject created = new ApiObject(className, ref, generation.get() + 1, full);
            persist(null, created);
            ApiObject committed = new ApiObject(className, ref, generation.incrementAndGet(), full);
            table.put(ref, committed);
            notifyListeners(null, committed);
            return committed;
        }
    }

    @Override
    public ApiObject update(String className, String ref, UnaryOperator<Map<String, Object>> change) {
        ClassDecl cls = classDecl(className);
        synchronized (lock(className, ref)) {
            ConcurrentHashMap<String, ApiObject> table = table(className);
            ApiObject before = table.get(ref);
            if (before == null) {
                throw new XenApiException(ErrorCodes.HANDLE_INVALID, className, ref);
            }
            Map<String, Object> fields = change.apply(new LinkedHashMap<>(before.fields()));
            fields.put("uuid", ref);
            if (fields.equals(before.fields())) {
                return before;
            }
            check(cls, fields);
            persist(before, new ApiObject(className, ref, generation.get() + 1, fields));
            ApiObject after = new ApiObject(className, ref, generation.incrementAndGet(), fields);
            table.put(ref, after);
            notifyListeners(before, after);
            return after;
        }
    }

    @Override
    public boolean remove(String className, String ref) {
        synchronized (lock(className, ref)) {
            ConcurrentHashMap<String, ApiObject> table = table(className);
            ApiObject before = table.get(ref);
            if (before == null) {
                return false;
            }
            ClassPersister p = persisters.get(className);
            if (p != null) {
                try {
                    p.delete(before);
                } catch (XenApiException e) {
                    throw e;
                } catch (Exception e) {
                    throw new XenApiException(ErrorCodes.INTERNAL_ERROR,
                            "could not delete the saved state of " + className + " " + ref + ": " + e.getMessage());
                }
            }
            table.remove(ref);
            generation.incrementAndGet();
            locks.remove(className + "/" + ref);
            notifyListeners(before, null);
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

    private ConcurrentHashMap<String, ApiObject> table(String className) {
        ConcurrentHashMap<String, ApiObject> t = objects.get(className);
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
