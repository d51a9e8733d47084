package org.xend.api.datamodel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Xen API type, as declared in the datamodel. */
public sealed interface Type {

    /** The wire name used in the API reference, e.g. {@code (VM ref) Set}. */
    String display();

    enum Primitive implements Type {
        STRING("string"), INT("int"), FLOAT("float"), BOOL("bool"), DATETIME("datetime"), VOID("void");

        private final String display;

        Primitive(String display) {
            this.display = display;
        }

        @Override
        public String display() {
            return display;
        }
    }

    /** A named enumeration whose values travel as strings. */
    record Enum(String name, List<String> values) implements Type {
        public Enum {
            values = List.copyOf(values);
        }

        @Override
        public String display() {
            return "enum " + name;
        }
    }

    /** A reference to an object of the named class. */
    record Ref(String className) implements Type {
        @Override
        public String display() {
            return className + " ref";
        }
    }

    record SetOf(Type element) implements Type {
        @Override
        public String display() {
            return "(" + element.display() + ") Set";
        }
    }

    record MapOf(Type key, Type value) implements Type {
        @Override
        public String display() {
            return "(" + key.display() + " -> " + value.display() + ") Map";
        }
    }

    /** A whole record of the named class, as returned by get_record. */
    record Record(String className) implements Type {
        @Override
        public String display() {
            return className + " record";
        }
    }

    /**
     * A named structure whose members have their own types, for results that are neither a class's record nor a
     * map with uniform values (XAPI's {@code event.from} returns {@code {events, token, valid_ref_counts}}). It
     * travels as an XML-RPC struct keyed by the member names, in the declared order; each member is encoded by
     * its own type.
     */
    record Struct(String name, Map<String, Type> members) implements Type {
        public Struct {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        @Override
        public String display() {
            return "struct " + name;
        }
    }

    Type STRING = Primitive.STRING;
    Type INT = Primitive.INT;
    Type FLOAT = Primitive.FLOAT;
    Type BOOL = Primitive.BOOL;
    Type DATETIME = Primitive.DATETIME;
    Type VOID = Primitive.VOID;

    static Type ref(String className) {
        return new Ref(className);
    }

    static Type setOf(Type element) {
        return new SetOf(element);
    }

    static Type mapOf(Type key, Type value) {
        return new MapOf(key, value);
    }

    static Type record(String className) {
        return new Record(className);
    }

    /** A structure whose members keep the iteration order of {@code members} (pass a {@link LinkedHashMap}). */
    static Type struct(String name, Map<String, Type> members) {
        return new Struct(name, members);
    }

    /** The common {@code (string -> string) Map}. */
    Type STRING_MAP = new MapOf(Primitive.STRING, Primitive.STRING);
    Type STRING_SET = new SetOf(Primitive.STRING);
}
