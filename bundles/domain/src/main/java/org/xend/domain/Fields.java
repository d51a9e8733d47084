package org.xend.domain;

import java.util.Map;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Type;

/** Puts a value into a record only if the class declares that field, converted to its declared type. */
final class Fields {

    private final ClassDecl cls;

    Fields(ClassDecl cls) {
        this.cls = cls;
    }

    boolean declares(String field) {
        return cls.fields().containsKey(field);
    }

    Map<String, Object> put(Map<String, Object> fields, String name, Object value) {
        FieldDecl f = cls.fields().get(name);
        if (f != null && value != null) {
            fields.put(name, convert(f.type(), value));
        }
        return fields;
    }

    private static Object convert(Type type, Object value) {
        if (type == Type.INT && !(value instanceof Long)) {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        }
        if (type == Type.FLOAT && !(value instanceof Double)) {
            return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        }
        if (type == Type.STRING && !(value instanceof String)) {
            return value.toString();
        }
        return value;
    }
}
