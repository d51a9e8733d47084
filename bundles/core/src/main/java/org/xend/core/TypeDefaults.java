package org.xend.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Type;
import org.xend.api.store.Refs;

/** The value a field has when nobody set it: its declared default, else the neutral value of its type. */
final class TypeDefaults {

    private TypeDefaults() {
    }

    static Object of(FieldDecl field) {
        return field.defaultValue() != null ? field.defaultValue() : of(field.type());
    }

    static Object of(Type type) {
        if (type instanceof Type.Primitive p) {
            return switch (p) {
                case STRING -> "";
                case INT -> 0L;
                case FLOAT -> 0.0d;
                case BOOL -> Boolean.FALSE;
                case DATETIME -> Instant.EPOCH;
                case VOID -> null;
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
        if (type instanceof Type.MapOf || type instanceof Type.Record || type instanceof Type.Struct) {
            return Map.of();
        }
        throw new IllegalArgumentException("no default for " + type);
    }
}
