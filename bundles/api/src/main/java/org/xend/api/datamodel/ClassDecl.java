package org.xend.api.datamodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A class of the Xen API datamodel: its fields, in record order, and its declared messages.
 * {@code constructor}/{@code destructor} say whether {@code create(record)} and {@code destroy(self)} exist, and
 * {@code constructorErrors}/{@code destructorErrors} list the codes they may raise beyond the ones every such call
 * has. {@code generatedCalls} is false for a class whose records are not stored objects (XAPI's {@code event}):
 * it has no implicit {@code uuid} and only its declared messages are callable. The calls are derived by
 * {@link Datamodel}.
 */
public record ClassDecl(String name, String description, Map<String, FieldDecl> fields,
                        Map<String, MessageDecl> messages, boolean constructor, boolean destructor,
                        Role readRole, Role writeRole, boolean generatedCalls, List<String> constructorErrors,
                        List<String> destructorErrors) {

    public ClassDecl {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        messages = Collections.unmodifiableMap(new LinkedHashMap<>(messages));
        constructorErrors = List.copyOf(constructorErrors);
        destructorErrors = List.copyOf(destructorErrors);
    }

    /** A class with all its generated calls and no extra constructor or destructor errors (the 1.0 form). */
    public ClassDecl(String name, String description, Map<String, FieldDecl> fields,
                     Map<String, MessageDecl> messages, boolean constructor, boolean destructor,
                     Role readRole, Role writeRole) {
        this(name, description, fields, messages, constructor, destructor, readRole, writeRole, true, List.of(),
                List.of());
    }

    public Optional<FieldDecl> field(String fieldName) {
        return Optional.ofNullable(fields.get(fieldName));
    }

    public boolean hasNameLabel() {
        return fields.containsKey("name_label");
    }

    /** Fields a constructor accepts: RW and RO_ins. */
    public List<FieldDecl> constructorFields() {
        List<FieldDecl> out = new ArrayList<>();
        for (FieldDecl f : fields.values()) {
            if (f.qualifier() != Qualifier.RO_RUN) {
                out.add(f);
            }
        }
        return out;
    }

    public static Builder builder(String name, String description) {
        return new Builder(name, description);
    }

    public static final class Builder {
        private final String name;
        private final String description;
        private final Map<String, FieldDecl> fields = new LinkedHashMap<>();
        private final Map<String, MessageDecl> messages = new LinkedHashMap<>();
        private boolean constructor;
        private boolean destructor;
        private Role readRole = Role.READ_ONLY;
        private Role writeRole = Role.VM_ADMIN;
        private boolean generatedCalls = true;
        private final List<String> constructorErrors = new ArrayList<>();
        private final List<String> destructorErrors = new ArrayList<>();

        private Builder(String name, String description) {
            this.name = name;
            this.description = description;
            field("uuid", Type.STRING, Qualifier.RO_RUN, "Unique identifier/object reference", "");
        }

        public Builder field(String fieldName, Type type, Qualifier qualifier, String fieldDescription) {
            return field(fieldName, type, qualifier, fieldDescription, null);
        }

        public Builder field(String fieldName, Type type, Qualifier qualifier, String fieldDescription,
                             Object defaultValue) {
            if (fields.containsKey(fieldName) && !"uuid".equals(fieldName)) {
                throw new IllegalStateException(name + "." + fieldName + " declared twice");
            }
            fields.put(fieldName, new FieldDecl(fieldName, type, qualifier, fieldDescription, defaultValue));
            return this;
        }

        public Builder message(MessageDecl.Builder message) {
            MessageDecl m = message.build();
            if (messages.put(m.name(), m) != null) {
                throw new IllegalStateException(name + "." + m.name() + " declared twice");
            }
            return this;
        }

        /** The class has {@code create(record)}. */
        public Builder constructor() {
            this.constructor = true;
            return this;
        }

        /** The class has {@code create(record)}, which may also raise the given codes. */
        public Builder constructor(String... errors) {
            this.constructor = true;
            constructorErrors.addAll(List.of(errors));
            return this;
        }

        /** The class has {@code destroy(self)}. */
        public Builder destructor() {
            this.destructor = true;
            return this;
        }

        /** The class has {@code destroy(self)}, which may also raise the given codes. */
        public Builder destructor(String... errors) {
            this.destructor = true;
            destructorErrors.addAll(List.of(errors));
            return this;
        }

        /**
         * The class's records are built on demand rather than stored (XAPI's {@code event}): no implicit
         * {@code uuid} field, no getters, setters, {@code get_record}, {@code get_all}… Only declared messages.
         */
        public Builder noGeneratedCalls() {
            this.generatedCalls = false;
            fields.remove("uuid");
            return this;
        }

        /** Least role allowed to read fields (default read-only) and to call setters (default vm-admin). */
        public Builder roles(Role read, Role write) {
            this.readRole = read;
            this.writeRole = write;
            return this;
        }

        public ClassDecl build() {
            if (!generatedCalls && (constructor || destructor)) {
                throw new IllegalStateException(name + " has no generated calls, so no constructor or destructor");
            }
            return new ClassDecl(name, description, fields, messages, constructor, destructor, readRole, writeRole,
                    generatedCalls, constructorErrors, destructorErrors);
        }
    }
}
