package org.xend.api.datamodel;

/**
 * One field of a class. {@code name} is the wire name ({@code name_label} for the spec's {@code name/label}).
 * {@code defaultValue} is the Java value a new object gets when the constructor does not supply one.
 */
public record FieldDecl(String name, Type type, Qualifier qualifier, String description, Object defaultValue) {

    public boolean isMap() {
        return type instanceof Type.MapOf;
    }

    public boolean isSet() {
        return type instanceof Type.SetOf;
    }
}
