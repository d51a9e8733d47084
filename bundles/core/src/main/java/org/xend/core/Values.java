package org.xend.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Type;
import org.xend.api.store.Refs;

/**
 * Converts between wire values (what Apache XML-RPC decodes, and what goes back on the wire) and the Java values
 * of the object store, driven by the declared types. On the wire an int is a decimal string, a datetime is a
 * {@link Date}, void is {@code ""}, and nothing is ever null.
 */
public final class Values {

    private final Datamodel model;

    public Values(Datamodel model) {
        this.model = model;
    }

    // ---- wire → Java ----

    /** Decodes a client value, or throws {@code FIELD_TYPE_ERROR [name]} / {@code VALUE_NOT_SUPPORTED}. */
    public Object decode(Type type, Object wire, String name) {
        if (type instanceof Type.Primitive p) {
            return decodePrimitive(p, wire, name);
        }
        if (type instanceof Type.Enum e) {
            if (!(wire instanceof String s)) {
                throw typeError(name);
            }
            if (!e.values().contains(s)) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, name, s,
                        "expected one of " + String.join(", ", e.values()));
            }
            return s;
        }
        if (type instanceof Type.Ref) {
            if (!(wire instanceof String s)) {
                throw typeError(name);
            }
            return Refs.isNull(s) ? Refs.NULL : s;
        }
        if (type instanceof Type.SetOf set) {
            List<Object> in = asList(wire, name);
            List<Object> out = new ArrayList<>(in.size());
            for (Object o : in) {
                out.add(decode(set.element(), o, name));
            }
            return Collections.unmodifiableList(out);
        }
        if (type instanceof Type.MapOf map) {
            if (!(wire instanceof Map<?, ?> in)) {
                throw typeError(name);
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : in.entrySet()) {
                out.put(decode(map.key(), e.getKey(), name), decode(map.value(), e.getValue(), name));
            }
            return Collections.unmodifiableMap(out);
        }
        if (type instanceof Type.Record r) {
            return decodeRecord(r.className(), wire, name);
        }
        if (type instanceof Type.Struct struct) {
            if (!(wire instanceof Map<?, ?> in)) {
                throw typeError(name);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Type> m : struct.members().entrySet()) {
                if (in.containsKey(m.getKey())) {
                    out.put(m.getKey(), decode(m.getValue(), in.get(m.getKey()), m.getKey()));
                }
            }
            return Collections.unmodifiableMap(out);
        }
        throw new IllegalArgumentException("undecodable type " + type);
    }

    /**
     * Decodes a record sent by a client: declared fields other than run-time ones are decoded by their types,
     * unknown and run-time keys are ignored (today's SDKs send whole records), and missing fields are simply absent.
     */
    public Map<String, Object> decodeRecord(String className, Object wire, String name) {
        if (!(wire instanceof Map<?, ?> in)) {
            throw typeError(name);
        }
        ClassDecl cls = classDecl(className);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : in.entrySet()) {
            String key = String.valueOf(e.getKey());
            FieldDecl f = cls.fields().get(key);
            // Run-time fields are the daemon's to set; SDKs send them anyway, often as placeholders.
            if (f != null && f.qualifier() != Qualifier.RO_RUN) {
                out.put(key, decode(f.type(), e.getValue(), key));
            }
        }
        return out;
    }

    private static Object decodePrimitive(Type.Primitive p, Object wire, String name) {
        switch (p) {
            case STRING:
                if (wire instanceof String) {
                    return wire;
                }
                throw typeError(name);
            case INT:
                if (wire instanceof Integer || wire instanceof Long) {
                    return ((Number) wire).longValue();
                }
                if (wire instanceof String s) {
                    try {
                        return Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw typeError(name);
                    }
                }
                throw typeError(name);
            case FLOAT:
                if (wire instanceof Number n) {
                    return n.doubleValue();
                }
                if (wire instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        throw typeError(name);
                    }
                }
                throw typeError(name);
            case BOOL:
                if (wire instanceof Boolean) {
                    return wire;
                }
                if (wire instanceof String s) {
                    // Xend's bool0: clients of that era sent "True"/"False" or "1"/"0".
                    switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                        case "true", "1" -> {
                            return Boolean.TRUE;
                        }
                        case "false", "0" -> {
                            return Boolean.FALSE;
                        }
                        default -> throw typeError(name);
                    }
                }
                throw typeError(name);
            case DATETIME:
                if (wire instanceof Date d) {
                    return d.toInstant();
                }
                if (wire instanceof String s) {
                    return DateTimes.parse(s).orElseThrow(() -> typeError(name));
                }
                throw typeError(name);
            default:
                throw typeError(name);
        }
    }

    private static List<Object> asList(Object wire, String name) {
        if (wire instanceof Object[] array) {
            return java.util.Arrays.asList(array);
        }
        if (wire instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        throw typeError(name);
    }

    private static XenApiException typeError(String name) {
        return new XenApiException(ErrorCodes.FIELD_TYPE_ERROR, name);
    }

    // ---- Java → wire ----

    /** Encodes a store value for the wire; a null becomes the type's neutral value, never a nil. */
    public Object encode(Type type, Object value) {
        if (type == Type.VOID) {
            return "";
        }
        if (value == null) {
            value = TypeDefaults.of(type);
        }
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case STRING -> value.toString();
                case INT -> value instanceof Number n ? Long.toString(n.longValue()) : value.toString();
                case FLOAT -> ((Number) value).doubleValue();
                case BOOL -> value;
                case DATETIME -> Date.from((Instant) value);
                case VOID -> "";
            };
        }
        if (type instanceof Type.Enum || type instanceof Type.Ref) {
            return value.toString();
        }
        if (type instanceof Type.SetOf set) {
            List<?> in = (List<?>) value;
            List<Object> out = new ArrayList<>(in.size());
            for (Object o : in) {
                out.add(encode(set.element(), o));
            }
            return out;
        }
        if (type instanceof Type.MapOf map) {
            Map<?, ?> in = (Map<?, ?>) value;
            Map<String, Object> out = new LinkedHashMap<>(in.size() * 2);
            for (Map.Entry<?, ?> e : in.entrySet()) {
                out.put(encode(map.key(), e.getKey()).toString(), encode(map.value(), e.getValue()));
            }
            return out;
        }
        if (type instanceof Type.Record r) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) value;
            return encodeRecord(r.className(), fields);
        }
        if (type instanceof Type.Struct struct) {
            Map<?, ?> in = (Map<?, ?>) value;
            Map<String, Object> out = new LinkedHashMap<>(struct.members().size() * 2);
            for (Map.Entry<String, Type> m : struct.members().entrySet()) {
                out.put(m.getKey(), encode(m.getValue(), in.get(m.getKey())));
            }
            return out;
        }
        throw new IllegalArgumentException("unencodable type " + type);
    }

    /** Every declared field of the class, in declaration order; unset fields carry their defaults. */
    public Map<String, Object> encodeRecord(String className, Map<String, Object> fields) {
        ClassDecl cls = classDecl(className);
        Map<String, Object> out = new LinkedHashMap<>(cls.fields().size() * 2);
        for (FieldDecl f : cls.fields().values()) {
            Object v = fields.get(f.name());
            out.put(f.name(), encode(f.type(), v == null ? TypeDefaults.of(f) : v));
        }
        return out;
    }

    private ClassDecl classDecl(String className) {
        return model.classDecl(className)
                .orElseThrow(() -> new IllegalArgumentException("undeclared class " + className));
    }

    // ---- store-side checks ----

    /** True if {@code value} is a valid store value of {@code type} (Java-typed as ApiObject documents). */
    public static boolean isStoreValue(Type type, Object value) {
        if (value == null) {
            return false;
        }
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case STRING -> value instanceof String;
                case INT -> value instanceof Long;
                case FLOAT -> value instanceof Double;
                case BOOL -> value instanceof Boolean;
                case DATETIME -> value instanceof Instant;
                case VOID -> false;
            };
        }
        if (type instanceof Type.Enum e) {
            return value instanceof String s && e.values().contains(s);
        }
        if (type instanceof Type.Ref) {
            return value instanceof String;
        }
        if (type instanceof Type.SetOf set) {
            if (!(value instanceof List<?> list)) {
                return false;
            }
            for (Object o : list) {
                if (!isStoreValue(set.element(), o)) {
                    return false;
                }
            }
            return true;
        }
        if (type instanceof Type.MapOf map) {
            if (!(value instanceof Map<?, ?> m)) {
                return false;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!isStoreValue(map.key(), e.getKey()) || !isStoreValue(map.value(), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return value instanceof Map;
    }
}
