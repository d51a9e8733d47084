package org.xend.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Type;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.StoreListener;

/**
 * A minimal store for unit tests: objects by class and ref, a generation counter, and a count of updates. Like the
 * real store it refuses undeclared classes and fields, and values of the wrong Java type.
 */
final class InMemoryObjectStore implements ObjectStore {

    /** {@code session} (with {@code last_active} of the given type, and {@code originator} if asked) and {@code host}. */
    static Datamodel model(Type lastActiveType, boolean withOriginator) {
        ClassDecl.Builder session = ClassDecl.builder("session", "A session")
                .field("this_host", Type.ref("host"), Qualifier.RO_RUN, "connected host")
                .field("this_user", Type.ref("user"), Qualifier.RO_RUN, "connected user")
                .field("last_active", lastActiveType, Qualifier.RO_RUN, "last activity");
        if (withOriginator) {
            session.field("originator", Type.STRING, Qualifier.RO_RUN, "client name");
        }
        ClassDecl host = ClassDecl.builder("host", "A host")
                .field("name_label", Type.STRING, Qualifier.RW, "name")
                .build();
        return Datamodel.builder().add(session.build()).add(host)
                .error(ErrorCodes.HANDLE_INVALID, "the handle does not exist", "class", "handle")
                .error(ErrorCodes.PERMISSION_DENIED, "not allowed", "message")
                .build();
    }

    private final Datamodel model;

    private final Map<String, Map<String, ApiObject>> objects = new HashMap<>();
    private final List<StoreListener> listeners = new ArrayList<>();
    private final AtomicInteger updates = new AtomicInteger();
    private long generation;

    InMemoryObjectStore() {
        this(model(Type.DATETIME, false));
    }

    InMemoryObjectStore(Datamodel model) {
        this.model = model;
    }

    @Override
    public Datamodel datamodel() {
        return model;
    }

    private void check(String className, Map<String, Object> fields) {
        ClassDecl decl = model.classDecl(className)
                .orElseThrow(() -> new IllegalArgumentException("undeclared class " + className));
        fields.forEach((name, value) -> {
            FieldDecl field = decl.field(name)
                    .orElseThrow(() -> new IllegalArgumentException(className + " has no field " + name));
            if (!javaTypeOf(field.type()).isInstance(value)) {
                throw new IllegalArgumentException(className + "." + name + " cannot hold " + value);
            }
        });
    }

    private static Class<?> javaTypeOf(Type type) {
        if (type == Type.INT) {
            return Long.class;
        }
        if (type == Type.DATETIME) {
            return Instant.class;
        }
        if (type == Type.STRING || type instanceof Type.Ref) {
            return String.class;
        }
        throw new IllegalArgumentException("the test store does not handle " + type.display());
    }

    @Override
    public synchronized long generation() {
        return generation;
    }

    @Override
    public synchronized Optional<ApiObject> get(String className, String ref) {
        return Optional.ofNullable(objects.getOrDefault(className, Map.of()).get(ref));
    }

    @Override
    public ApiObject require(String className, String ref) {
        return get(className, ref).orElseThrow(() -> new XenApiException(ErrorCodes.HANDLE_INVALID, className, ref));
    }

    @Override
    public synchronized List<ApiObject> all(String className) {
        check(className, Map.of());
        return List.copyOf(objects.getOrDefault(className, Map.of()).values());
    }

    @Override
    public synchronized ApiObject create(String className, String ref, Map<String, Object> fields) {
        check(className, fields);
        Map<String, ApiObject> ofClass = objects.computeIfAbsent(className, c -> new LinkedHashMap<>());
        if (ofClass.containsKey(ref)) {
            throw new IllegalStateException("duplicate " + className + " " + ref);
        }
        Map<String, Object> withUuid = new LinkedHashMap<>(fields);
        withUuid.put("uuid", ref);
        ApiObject created = new ApiObject(className, ref, ++generation, withUuid);
        ofClass.put(ref, created);
        listeners.forEach(l -> l.changed(null, created));
        return created;
    }

    @Override
    public synchronized ApiObject update(String className, String ref, UnaryOperator<Map<String, Object>> change) {
        ApiObject before = require(className, ref);
        Map<String, Object> changed = change.apply(new LinkedHashMap<>(before.fields()));
        check(className, changed);
        ApiObject after = new ApiObject(className, ref, ++generation, changed);
        objects.get(className).put(ref, after);
        updates.incrementAndGet();
        listeners.forEach(l -> l.changed(before, after));
        return after;
    }

    @Override
    public synchronized boolean remove(String className, String ref) {
        ApiObject before = objects.getOrDefault(className, new HashMap<>()).remove(ref);
        if (before == null) {
            return false;
        }
        generation++;
        listeners.forEach(l -> l.changed(before, null));
        return true;
    }

    @Override
    public synchronized void addListener(StoreListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void removeListener(StoreListener listener) {
        listeners.remove(listener);
    }

    int updateCount() {
        return updates.get();
    }
}
