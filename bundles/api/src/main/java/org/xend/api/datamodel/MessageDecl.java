package org.xend.api.datamodel;

import java.util.ArrayList;
import java.util.List;

/**
 * A declared message of a class. An object message takes {@code self} (a ref to the class) as its first
 * parameter after the session; a class function ({@code isStatic}) does not.
 */
public record MessageDecl(String name, String description, boolean isStatic, List<ParamDecl> params, Type result,
                          List<String> errors, Role role, boolean async, boolean sessionless) {

    public MessageDecl {
        params = List.copyOf(params);
        errors = List.copyOf(errors);
    }

    /** An object message: its first parameter after the session is a ref to the object. */
    public static Builder method(String name, String description) {
        return new Builder(name, description, false);
    }

    /** A class function: no {@code self}. */
    public static Builder function(String name, String description) {
        return new Builder(name, description, true);
    }

    public static final class Builder {
        private final String name;
        private final String description;
        private final boolean isStatic;
        private final List<ParamDecl> params = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private Type result = Type.VOID;
        private Role role = Role.VM_ADMIN;
        private boolean async = true;
        private boolean sessionless;

        private Builder(String name, String description, boolean isStatic) {
            this.name = name;
            this.description = description;
            this.isStatic = isStatic;
        }

        public Builder param(String paramName, Type type, String paramDescription) {
            params.add(ParamDecl.required(paramName, type, paramDescription));
            return this;
        }

        /** A trailing parameter that clients may leave out; {@code defaultValue} is used then. */
        public Builder optionalParam(String paramName, Type type, String paramDescription, Object defaultValue) {
            params.add(ParamDecl.optional(paramName, type, paramDescription, defaultValue));
            return this;
        }

        public Builder returns(Type type) {
            this.result = type;
            return this;
        }

        public Builder errors(String... codes) {
            errors.addAll(List.of(codes));
            return this;
        }

        public Builder role(Role minimumRole) {
            this.role = minimumRole;
            return this;
        }

        /** No {@code Async.} twin (only for calls that cannot run under a task, such as logging in). */
        public Builder noAsync() {
            this.async = false;
            return this;
        }

        /** Called without a session (logging in); implies no {@code Async.} twin. */
        public Builder sessionless() {
            this.sessionless = true;
            this.async = false;
            return this;
        }

        public MessageDecl build() {
            boolean seenOptional = false;
            for (ParamDecl p : params) {
                if (seenOptional && !p.optional()) {
                    throw new IllegalStateException(name + ": a required parameter follows an optional one");
                }
                seenOptional |= p.optional();
            }
            return new MessageDecl(name, description, isStatic, params, result, errors, role, async, sessionless);
        }
    }
}
