package org.xend.api.datamodel;

/**
 * One parameter of a message (the session and, for object messages, {@code self} are implicit).
 * An optional parameter takes {@code defaultValue} when a client leaves it out; only trailing parameters
 * may be optional, which is how later XAPI signatures (e.g. {@code VM.start(vm, paused, force)}) are accepted.
 */
public record ParamDecl(String name, Type type, String description, boolean optional, Object defaultValue) {

    public static ParamDecl required(String name, Type type, String description) {
        return new ParamDecl(name, type, description, false, null);
    }

    public static ParamDecl optional(String name, Type type, String description, Object defaultValue) {
        return new ParamDecl(name, type, description, true, defaultValue);
    }
}
