package org.xend.apidoc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.xend.api.datamodel.Type;
import org.xend.api.store.Refs;

/**
 * Types and values as the reference shows them: a type reads as {@link Type#display()} does, with class, enum and
 * struct names linked to where they are described; a value reads as it travels on the wire.
 */
final class TypeText {

    private static final DateTimeFormatter XML_RPC_DATETIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private TypeText() {
    }

    /** The type as Markdown, e.g. {@code ([VM](VM.md) ref) Set}, read from a page in the same folder. */
    static String linked(Type type) {
        if (type instanceof Type.Primitive p) {
            return p.display();
        }
        if (type instanceof Type.Enum e) {
            return "enum " + Markdown.link(e.name(), IndexPage.FILE + "#" + Markdown.anchor(e.name()));
        }
        if (type instanceof Type.Ref r) {
            return Markdown.link(r.className(), ClassPage.file(r.className())) + " ref";
        }
        if (type instanceof Type.Record r) {
            return Markdown.link(r.className(), ClassPage.file(r.className())) + " record";
        }
        if (type instanceof Type.SetOf s) {
            return "(" + linked(s.element()) + ") Set";
        }
        if (type instanceof Type.MapOf m) {
            return "(" + linked(m.key()) + " -> " + linked(m.value()) + ") Map";
        }
        Type.Struct s = (Type.Struct) type;
        return "struct " + Markdown.link(s.name(), IndexPage.FILE + "#" + Markdown.anchor(s.name()));
    }

    /**
     * The value an unset field or an omitted parameter takes, as the daemon sends it: the declared default, or
     * else the neutral value of the type (the daemon never sends nil).
     */
    static String wireDefault(Type type, Object declared) {
        return wire(type, declared != null ? declared : neutral(type));
    }

    /** The neutral value of a type: what the daemon's records carry for a field nobody has set. */
    static Object neutral(Type type) {
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case STRING, VOID -> "";
                case INT -> 0L;
                case FLOAT -> 0.0d;
                case BOOL -> Boolean.FALSE;
                case DATETIME -> Instant.EPOCH;
            };
        }
        if (type instanceof Type.Enum e) {
            return e.values().isEmpty() ? "" : e.values().get(0);
        }
        if (type instanceof Type.Ref) {
            return Refs.NULL;
        }
        if (type instanceof Type.SetOf) {
            return List.of();
        }
        return Map.of();
    }

    /** A Java value of the declared type, written as it travels: ints as decimal strings, datetimes in UTC. */
    static String wire(Type type, Object value) {
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case STRING, VOID -> quoted(String.valueOf(value));
                case INT -> quoted(value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value));
                case FLOAT -> value instanceof Number n ? Double.toString(n.doubleValue()) : String.valueOf(value);
                case BOOL -> String.valueOf(value);
                case DATETIME -> value instanceof Instant i ? XML_RPC_DATETIME.format(i) : String.valueOf(value);
            };
        }
        if (type instanceof Type.Enum || type instanceof Type.Ref) {
            return quoted(String.valueOf(value));
        }
        if (type instanceof Type.SetOf s && value instanceof Collection<?> elements) {
            List<String> parts = new ArrayList<>();
            for (Object element : elements) {
                parts.add(wire(s.element(), element));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (type instanceof Type.MapOf m && value instanceof Map<?, ?> entries) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                // Struct keys are strings on the wire, whatever the key type.
                parts.add(quoted(String.valueOf(e.getKey())) + ": " + wire(m.value(), e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return value instanceof Map<?, ?> map && map.isEmpty() ? "{}" : String.valueOf(value);
    }

    private static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
