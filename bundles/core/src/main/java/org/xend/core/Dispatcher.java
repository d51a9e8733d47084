package org.xend.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.CallContext;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApi;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.CallKind;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.ParamDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;
import org.xend.api.spi.auth.SessionInfo;
import org.xend.api.spi.auth.SessionManager;
import org.xend.api.store.ApiObject;
import org.xend.api.store.ClassImplementation;
import org.xend.api.store.MessageImpl;
import org.xend.api.store.ObjectStore;
import org.xend.api.store.Refs;

/**
 * The Xen API dispatcher. Checks run in Xend's order — method, arity (the session counted), session, permission,
 * {@code self}, then argument types and refs — and the generated calls are served from the declarations against
 * the object store; declared messages go to the class's {@link ClassImplementation}. What a caller may see is the
 * class's to say ({@link ClassImplementation#checkRead}): it is asked about {@code self} before any call acts on
 * it, and about every object a listing would return. {@code system.*} is XML-RPC introspection.
 */
public final class Dispatcher implements XenApi {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final String ASYNC = "Async.";

    private final Datamodel model;
    private final ObjectStore store;
    private final SessionManager sessions;
    private final Function<String, ClassImplementation> implementations;
    private final TaskManager tasks;
    private final Values values;
    private final Introspection introspection;

    public Dispatcher(ObjectStore store, SessionManager sessions,
                      Function<String, ClassImplementation> implementations, TaskManager tasks) {
        this.model = store.datamodel();
        this.store = store;
        this.sessions = sessions;
        this.implementations = implementations;
        this.tasks = tasks;
        this.values = new Values(model);
        this.introspection = new Introspection(model);
    }

    @Override
    public Map<String, Object> call(CallContext context, String method, List<Object> params) {
        try {
            return Wire.success(dispatch(context, method == null ? "" : method,
                    params == null ? List.of() : params));
        } catch (XenApiException e) {
            return Wire.failure(e.errorDescription());
        } catch (RuntimeException e) {
            LOG.error("Internal error serving {}", method, e);
            return Wire.failure(List.of(ErrorCodes.INTERNAL_ERROR, describe(e)));
        }
    }

    private Object dispatch(CallContext context, String method, List<Object> params) {
        boolean async = method.startsWith(ASYNC);
        String name = async ? method.substring(ASYNC.length()) : method;
        if (!async && name.startsWith(Introspection.PREFIX)) {
            return introspection.call(name, params);
        }
        ApiCall api = model.call(name).orElse(null);
        if (api == null || (async && !api.async())) {
            throw new XenApiException(ErrorCodes.MESSAGE_METHOD_UNKNOWN, method);
        }
        int received = params.size();
        if (received < api.minArity() || received > api.maxArity()) {
            int expected = received < api.minArity() ? api.minArity() : api.maxArity();
            throw new XenApiException(ErrorCodes.MESSAGE_PARAMETER_COUNT_MISMATCH, method, expected, received);
        }
        SessionInfo session = null;
        int next = 0;
        if (api.needsSession()) {
            Object s = params.get(next++);
            session = sessions.check(s instanceof String str ? str : String.valueOf(s));
            if (!session.role().covers(api.role())) {
                throw new XenApiException(ErrorCodes.PERMISSION_DENIED);
            }
        }
        String sessionRef = session == null ? null : session.ref();
        String user = session == null ? null : session.user();
        Role role = session == null ? Role.READ_ONLY : session.role();
        String self = null;
        List<ParamDecl> declared = api.params();
        int firstArg = 0;
        if (api.takesSelf()) {
            Object r = params.get(next++);
            self = r instanceof String str ? str : String.valueOf(r);
            ApiObject target = store.require(api.className(), self);
            ClassImplementation impl = implementations.apply(api.className());
            if (impl != null) {
                impl.checkRead(new CallImpl(api, context, sessionRef, user, role, self, List.of(), store, null),
                        target);
            }
            firstArg = 1;
        }
        List<Object> args = new ArrayList<>(declared.size() - firstArg);
        for (int i = firstArg; i < declared.size(); i++) {
            ParamDecl p = declared.get(i);
            if (next < params.size()) {
                Object v = values.decode(p.type(), params.get(next++), p.name());
                requireRefs(p.type(), v);
                args.add(v);
            } else {
                args.add(p.defaultValue());
            }
        }
        CallImpl call = new CallImpl(api, context, sessionRef, user, role, self, Collections.unmodifiableList(args),
                store, null);
        if (async) {
            return tasks.submit(call.session(), method.substring(ASYNC.length()), api.result().display(),
                    running -> execute(call.withTask(running)));
        }
        return execute(call);
    }

    /** Every ref inside an argument must name an existing object (or be the null ref). */
    private void requireRefs(Type type, Object value) {
        if (type instanceof Type.Ref ref) {
            if (!Refs.NULL.equals(value)) {
                store.require(ref.className(), (String) value);
            }
        } else if (type instanceof Type.SetOf set) {
            for (Object o : (List<?>) value) {
                requireRefs(set.element(), o);
            }
        } else if (type instanceof Type.MapOf map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                requireRefs(map.key(), e.getKey());
                requireRefs(map.value(), e.getValue());
            }
        } else if (type instanceof Type.Record record) {
            ClassDecl cls = model.classDecl(record.className()).orElseThrow();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                FieldDecl f = cls.fields().get((String) e.getKey());
                if (f != null && f.qualifier() != Qualifier.RO_RUN) {
                    requireRefs(f.type(), e.getValue());
                }
            }
        }
    }

    /** Runs the call and returns its wire value. */
    private Object execute(CallImpl call) {
        ApiCall api = call.api();
        ClassImplementation impl = implementations.apply(api.className());
        return switch (api.kind()) {
            case GET_FIELD -> values.encode(api.result(), live(impl, store.require(api.className(), call.self()))
                    .get(api.field().name()));
            case SET_FIELD -> {
                changeField(call, impl, current -> call.arg(0));
                yield "";
            }
            case ADD_TO_MAP -> {
                changeField(call, impl, current -> {
                    Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) current);
                    if (m.containsKey(call.arg(0))) {
                        throw new XenApiException(ErrorCodes.MAP_DUPLICATE_KEY, call.arg(0), m.get(call.arg(0)),
                                call.arg(1));
                    }
                    m.put(call.arg(0), call.arg(1));
                    return Collections.unmodifiableMap(m);
                });
                yield "";
            }
            case REMOVE_FROM_MAP -> {
                changeField(call, impl, current -> {
                    Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) current);
                    m.remove(call.arg(0));
                    return Collections.unmodifiableMap(m);
                });
                yield "";
            }
            case ADD_TO_SET -> {
                changeField(call, impl, current -> {
                    List<Object> l = new ArrayList<>((List<?>) current);
                    if (!l.contains(call.arg(0))) {
                        l.add(call.arg(0));
                    }
                    return Collections.unmodifiableList(l);
                });
                yield "";
            }
            case REMOVE_FROM_SET -> {
                changeField(call, impl, current -> {
                    List<Object> l = new ArrayList<>((List<?>) current);
                    l.remove(call.arg(0));
                    return Collections.unmodifiableList(l);
                });
                yield "";
            }
            case GET_RECORD -> values.encodeRecord(api.className(),
                    live(impl, store.require(api.className(), call.self())).fields());
            case GET_ALL -> {
                List<Object> refs = new ArrayList<>();
                for (ApiObject o : store.all(api.className())) {
                    if (visible(impl, call, o)) {
                        refs.add(o.ref());
                    }
                }
                yield refs;
            }
            case GET_ALL_RECORDS -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (ApiObject o : store.all(api.className())) {
                    if (visible(impl, call, o)) {
                        out.put(o.ref(), values.encodeRecord(api.className(), live(impl, o).fields()));
                    }
                }
                yield out;
            }
            case GET_ALL_RECORDS_WHERE -> {
                ClassDecl cls = model.classDecl(api.className()).orElseThrow();
                Query query = Query.parse(call.stringArg(0), cls);
                Map<String, Object> out = new LinkedHashMap<>();
                for (ApiObject o : store.all(api.className())) {
                    if (visible(impl, call, o)) {
                        ApiObject current = live(impl, o);
                        if (query.matches(current)) {
                            out.put(o.ref(), values.encodeRecord(api.className(), current.fields()));
                        }
                    }
                }
                yield out;
            }
            case GET_BY_UUID -> {
                String uuid = call.stringArg(0);
                ApiObject found = store.get(api.className(), uuid).orElseThrow(
                        () -> new XenApiException(ErrorCodes.UUID_INVALID, api.className(), uuid));
                if (impl != null) {
                    try {
                        impl.checkRead(call, found);
                    } catch (XenApiException e) {
                        if (ErrorCodes.HANDLE_INVALID.equals(e.code())) {
                            throw new XenApiException(ErrorCodes.UUID_INVALID, api.className(), uuid);
                        }
                        throw e;
                    }
                }
                yield uuid;
            }
            case GET_BY_NAME_LABEL -> {
                List<Object> refs = new ArrayList<>();
                for (ApiObject o : store.all(api.className())) {
                    if (call.stringArg(0).equals(o.get("name_label")) && visible(impl, call, o)) {
                        refs.add(o.ref());
                    }
                }
                yield refs;
            }
            case CREATE -> values.encode(api.result(), message(impl, api, "create")
                    .map(m -> invoke(m, call))
                    .orElseGet(() -> createGeneric(call)));
            case DESTROY -> {
                Object r = message(impl, api, "destroy").map(m -> invoke(m, call)).orElseGet(() -> {
                    store.remove(api.className(), call.self());
                    return null;
                });
                yield values.encode(api.result(), r);
            }
            case MESSAGE -> {
                Object result = invoke(message(impl, api, api.callName())
                        .orElseThrow(() -> new XenApiException("NOT_IMPLEMENTED", api.wireName())), call);
                yield result instanceof WireValue wire ? wire.value() : values.encode(api.result(), result);
            }
        };
    }

    private void changeField(CallImpl call, ClassImplementation impl, Function<Object, Object> change) {
        FieldDecl field = call.api().field();
        store.update(call.api().className(), call.self(), fields -> {
            Object next = change.apply(fields.get(field.name()));
            if (impl != null) {
                ApiObject current = store.require(call.api().className(), call.self());
                next = impl.checkFieldChange(call, current, field, next);
            }
            fields.put(field.name(), next);
            return fields;
        });
    }

    private String createGeneric(CallImpl call) {
        ClassDecl cls = model.classDecl(call.api().className()).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> given = (Map<String, Object>) call.arg(0);
        Map<String, Object> fields = new LinkedHashMap<>();
        for (FieldDecl f : cls.fields().values()) {
            if (f.qualifier() != Qualifier.RO_RUN && given.containsKey(f.name())) {
                fields.put(f.name(), given.get(f.name()));
            }
        }
        String ref = Refs.newRef();
        store.create(cls.name(), ref, fields);
        return ref;
    }

    private static java.util.Optional<MessageImpl> message(ClassImplementation impl, ApiCall api, String name) {
        if (impl == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable(impl.messages().get(name));
    }

    private static Object invoke(MessageImpl m, CallImpl call) {
        try {
            return m.invoke(call);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new XenApiException(ErrorCodes.INTERNAL_ERROR, describe(e));
        }
    }

    private static ApiObject live(ClassImplementation impl, ApiObject stored) {
        return impl == null ? stored : impl.live(stored);
    }

    /** Listings leave out what the caller may not see ({@link ClassImplementation#checkRead}). */
    private static boolean visible(ClassImplementation impl, CallImpl call, ApiObject object) {
        if (impl == null) {
            return true;
        }
        try {
            impl.checkRead(call, object);
            return true;
        } catch (XenApiException e) {
            return false;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
