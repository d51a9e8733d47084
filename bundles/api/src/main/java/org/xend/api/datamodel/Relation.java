package org.xend.api.datamodel;

/**
 * A one-to-many relation, as XAPI's datamodel declares them: the {@code Set(Ref)} field {@code parentField} of
 * {@code parentClass} holds exactly the objects of {@code childClass} whose {@code Ref} field {@code childField}
 * names the parent ({@code VM.VBDs} and {@code VBD.VM}). The store keeps the set; nobody writes it.
 */
public record Relation(String parentClass, String parentField, String childClass, String childField) {

    @Override
    public String toString() {
        return parentClass + "." + parentField + " <- " + childClass + "." + childField;
    }
}
