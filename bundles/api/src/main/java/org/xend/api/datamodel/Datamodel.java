package org.xend.api.datamodel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.xend.api.ErrorCodes;

/**
 * The whole declared datamodel: classes, error codes, and every callable method derived from them.
 * Dispatch, validation, {@code Async.} twins, RBAC and the API reference all read this one table.
 */
public final class Datamodel {

    private final Map<String, ClassDecl> classes;
    private final Map<String, ErrorDecl> errors;
    private final Map<String, ApiCall> calls;
    private final Map<String, String> lowerCaseClassNames;
    private final List<Relation> relations;

    private Datamodel(Map<String, ClassDecl> classes, Map<String, ErrorDecl> errors, List<Relation> relations) {
        this.classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        this.errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        for (Relation r : relations) {
            check(r);
        }
        this.relations = List.copyOf(relations);
        Map<String, ApiCall> derived = new LinkedHashMap<>();
        Map<String, String> lower = new LinkedHashMap<>();
        for (ClassDecl c : classes.values()) {
            lower.put(c.name().toLowerCase(java.util.Locale.ROOT), c.name());
            for (ApiCall call : derive(c)) {
                if (derived.put(call.wireName(), call) != null) {
                    throw new IllegalStateException(call.wireName() + " is both generated and declared");
                }
                for (String code : call.errors()) {
                    if (!errors.containsKey(code)) {
                        throw new IllegalStateException(call.wireName() + " declares unknown error " + code);
                    }
                }
            }
        }
        this.calls = Collections.unmodifiableMap(derived);
        this.lowerCaseClassNames = Collections.unmodifiableMap(lower);
    }

    public Collection<ClassDecl> classes() {
        return classes.values();
    }

    public Optional<ClassDecl> classDecl(String name) {
        return Optional.ofNullable(classes.get(name));
    }

    /** Looks a class up the way XAPI does for event subscriptions: case-insensitively. */
    public Optional<ClassDecl> classDeclIgnoreCase(String name) {
        String canonical = lowerCaseClassNames.get(name.toLowerCase(java.util.Locale.ROOT));
        return canonical == null ? Optional.empty() : classDecl(canonical);
    }

    public Collection<ErrorDecl> errors() {
        return errors.values();
    }

    /** The one-to-many relations, whose set fields the store keeps from the other side. */
    public List<Relation> relations() {
        return relations;
    }

    private void check(Relation r) {
        FieldDecl set = field(r.parentClass(), r.parentField());
        FieldDecl ref = field(r.childClass(), r.childField());
        if (!set.type().equals(Type.setOf(Type.ref(r.childClass())))) {
            throw new IllegalStateException(r + ": " + r.parentClass() + "." + r.parentField() + " is not a set of "
                    + r.childClass() + " refs");
        }
        if (!ref.type().equals(Type.ref(r.parentClass()))) {
            throw new IllegalStateException(r + ": " + r.childClass() + "." + r.childField() + " is not a "
                    + r.parentClass() + " ref");
        }
        if (set.qualifier() != Qualifier.RO_RUN) {
            throw new IllegalStateException(r + ": the set is kept by the store, so it must be read-only (RO_RUN)");
        }
    }

    private FieldDecl field(String className, String fieldName) {
        ClassDecl c = classes.get(className);
        if (c == null) {
            throw new IllegalStateException("a relation names the undeclared class " + className);
        }
        return c.field(fieldName).orElseThrow(
                () -> new IllegalStateException("a relation names the undeclared field " + className + "." + fieldName));
    }

    public Optional<ErrorDecl> error(String code) {
        return Optional.ofNullable(errors.get(code));
    }

    /** Every synchronous call, keyed by wire name ({@code VM.start}). */
    public Map<String, ApiCall> calls() {
        return calls;
    }

    public Optional<ApiCall> call(String wireName) {
        return Optional.ofNullable(calls.get(wireName));
    }

    private static List<ApiCall> derive(ClassDecl c) {
        List<ApiCall> out = new ArrayList<>();
        if (c.generatedCalls()) {
            deriveGenerated(c, out);
        }
        String cls = c.name();
        ParamDecl self = self(c);
        for (MessageDecl m : c.messages().values()) {
            List<ParamDecl> params = new ArrayList<>();
            if (!m.isStatic()) {
                params.add(self);
            }
            params.addAll(m.params());
            out.add(new ApiCall(cls + "." + m.name(), cls, m.name(), CallKind.MESSAGE, params, m.result(), null, m,
                    !m.sessionless(), m.async(), m.role(), m.errors(), m.description()));
        }
        return out;
    }

    private static ParamDecl self(ClassDecl c) {
        return ParamDecl.required("self", Type.ref(c.name()), "reference to the object");
    }

    private static void deriveGenerated(ClassDecl c, List<ApiCall> out) {
        String cls = c.name();
        ParamDecl self = self(c);
        for (FieldDecl f : c.fields().values()) {
            out.add(generated(c, "get_" + f.name(), CallKind.GET_FIELD, List.of(self), f.type(), f, c.readRole(),
                    "Get the " + f.name() + " field of the given " + cls + "."));
            if (f.qualifier() != Qualifier.RW) {
                continue;
            }
            out.add(generated(c, "set_" + f.name(), CallKind.SET_FIELD,
                    List.of(self, ParamDecl.required("value", f.type(), "new value to set")), Type.VOID, f,
                    c.writeRole(), "Set the " + f.name() + " field of the given " + cls + "."));
            if (f.type() instanceof Type.MapOf map) {
                out.add(generated(c, "add_to_" + f.name(), CallKind.ADD_TO_MAP,
                        List.of(self, ParamDecl.required("key", map.key(), "key to add"),
                                ParamDecl.required("value", map.value(), "value to add")),
                        Type.VOID, f, c.writeRole(),
                        "Add the given key-value pair to the " + f.name() + " field of the given " + cls + "."));
                out.add(generated(c, "remove_from_" + f.name(), CallKind.REMOVE_FROM_MAP,
                        List.of(self, ParamDecl.required("key", map.key(), "key to remove")), Type.VOID, f,
                        c.writeRole(), "Remove the given key and its value from the " + f.name()
                                + " field of the given " + cls + ". If the key is not in the map, nothing happens."));
            } else if (f.type() instanceof Type.SetOf set) {
                out.add(generated(c, "add_" + f.name(), CallKind.ADD_TO_SET,
                        List.of(self, ParamDecl.required("value", set.element(), "value to add")), Type.VOID, f,
                        c.writeRole(), "Add the given value to the " + f.name() + " field of the given " + cls + "."));
                out.add(generated(c, "remove_" + f.name(), CallKind.REMOVE_FROM_SET,
                        List.of(self, ParamDecl.required("value", set.element(), "value to remove")), Type.VOID, f,
                        c.writeRole(), "Remove the given value from the " + f.name() + " field of the given "
                                + cls + ". If the value is not in the set, nothing happens."));
            }
        }
        out.add(generated(c, "get_record", CallKind.GET_RECORD, List.of(self), Type.record(cls), null, c.readRole(),
                "Get a record containing the current state of the given " + cls + "."));
        out.add(generated(c, "get_all", CallKind.GET_ALL, List.of(), Type.setOf(Type.ref(cls)), null, c.readRole(),
                "Return a list of all the " + cls + "s known to the system."));
        Type recordsByRef = Type.mapOf(Type.ref(cls), Type.record(cls));
        out.add(generated(c, "get_all_records", CallKind.GET_ALL_RECORDS, List.of(), recordsByRef, null,
                c.readRole(), "Return a map of " + cls + " references to " + cls + " records for all " + cls
                        + "s known to the system."));
        out.add(generated(c, "get_all_records_where", CallKind.GET_ALL_RECORDS_WHERE,
                List.of(ParamDecl.required("expr", Type.STRING,
                        "a query, e.g. field \"name__label\"=\"x\" and not field \"uuid\"=\"y\"")),
                recordsByRef, null, c.readRole(),
                "Return a map of " + cls + " references to " + cls + " records for the " + cls
                        + "s whose fields satisfy the given query expression."));
        out.add(generated(c, "get_by_uuid", CallKind.GET_BY_UUID,
                List.of(ParamDecl.required("uuid", Type.STRING, "UUID of object to return")), Type.ref(cls), null,
                c.readRole(), "Get a reference to the " + cls + " instance with the specified UUID."));
        if (c.hasNameLabel()) {
            out.add(generated(c, "get_by_name_label", CallKind.GET_BY_NAME_LABEL,
                    List.of(ParamDecl.required("label", Type.STRING, "label of object to return")),
                    Type.setOf(Type.ref(cls)), null, c.readRole(),
                    "Get all the " + cls + " instances with the given label."));
        }
        if (c.constructor()) {
            List<String> errors = new ArrayList<>();
            // The record's refs are validated like any ref parameter.
            if (c.constructorFields().stream().anyMatch(f -> mentionsRef(f.type()))) {
                errors.add(ErrorCodes.HANDLE_INVALID);
            }
            errors.addAll(c.constructorErrors());
            out.add(generated(c, "create", CallKind.CREATE,
                    List.of(ParamDecl.required("args", Type.record(cls), "All constructor arguments")),
                    Type.ref(cls), null, c.writeRole(),
                    "Create a new " + cls + " instance, and return its handle.", errors));
        }
        if (c.destructor()) {
            List<String> errors = new ArrayList<>(List.of(ErrorCodes.HANDLE_INVALID));
            errors.addAll(c.destructorErrors());
            out.add(generated(c, "destroy", CallKind.DESTROY, List.of(self), Type.VOID, null, c.writeRole(),
                    "Destroy the specified " + cls + " instance.", errors));
        }
    }

    private static boolean mentionsRef(Type type) {
        if (type instanceof Type.Ref) {
            return true;
        }
        if (type instanceof Type.SetOf set) {
            return mentionsRef(set.element());
        }
        if (type instanceof Type.MapOf map) {
            return mentionsRef(map.key()) || mentionsRef(map.value());
        }
        return false;
    }

    private static ApiCall generated(ClassDecl c, String name, CallKind kind, List<ParamDecl> params, Type result,
                                     FieldDecl field, Role role, String description) {
        List<String> errs = params.isEmpty() || !(params.get(0).type() instanceof Type.Ref)
                ? List.of() : List.of(ErrorCodes.HANDLE_INVALID);
        return generated(c, name, kind, params, result, field, role, description, errs);
    }

    private static ApiCall generated(ClassDecl c, String name, CallKind kind, List<ParamDecl> params, Type result,
                                     FieldDecl field, Role role, String description, List<String> errors) {
        return new ApiCall(c.name() + "." + name, c.name(), name, kind, params, result, field, null, true, true,
                role, errors.stream().distinct().toList(), description);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, ClassDecl> classes = new LinkedHashMap<>();
        private final Map<String, ErrorDecl> errors = new LinkedHashMap<>();
        private final List<Relation> relations = new ArrayList<>();

        public Builder add(ClassDecl c) {
            if (classes.put(c.name(), c) != null) {
                throw new IllegalStateException("class " + c.name() + " declared twice");
            }
            return this;
        }

        public Builder error(String code, String description, String... params) {
            errors.put(code, new ErrorDecl(code, List.of(params), description));
            return this;
        }

        /** {@code parentClass.parentField} holds the {@code childClass} objects whose {@code childField} names it. */
        public Builder relation(String parentClass, String parentField, String childClass, String childField) {
            relations.add(new Relation(parentClass, parentField, childClass, childField));
            return this;
        }

        public Datamodel build() {
            return new Datamodel(classes, errors, relations);
        }
    }
}
