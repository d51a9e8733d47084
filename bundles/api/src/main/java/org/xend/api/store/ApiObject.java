package org.xend.api.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable snapshot of one Xen API object. Field values are Java-typed by the declared type:
 * string/enum/ref → String, int → Long, float → Double, bool → Boolean, datetime → java.time.Instant,
 * Set → unmodifiable List, Map → unmodifiable Map. An update replaces the snapshot and carries a new generation.
 */
public record ApiObject(String className, String ref, long generation, Map<String, Object> fields) {

    public ApiObject {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public String string(String field) {
        Object v = fields.get(field);
        return v == null ? null : v.toString();
    }

    public long longValue(String field) {
        Object v = fields.get(field);
        return v == null ? 0L : ((Number) v).longValue();
    }

    public boolean bool(String field) {
        return Boolean.TRUE.equals(fields.get(field));
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String field) {
        Object v = fields.get(field);
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    @SuppressWarnings("unchecked")
    public java.util.List<String> stringList(String field) {
        Object v = fields.get(field);
        return v == null ? java.util.List.of() : (java.util.List<String>) v;
    }
}
