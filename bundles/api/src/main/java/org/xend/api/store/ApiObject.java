package org.xend.api.store;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable snapshot of one Xen API object. Field values are Java-typed by the declared type:
 * string/enum/ref → String, int → Long, float → Double, bool → Boolean, datetime → java.time.Instant,
 * Set → unmodifiable List, Map → unmodifiable Map. An update replaces the snapshot and carries a new generation.
 */
public record ApiObject(String className, String ref, long generation, Map<String, Object> fields) {

    public ApiObject {
        if (!(fields instanceof FrozenFields)) {
            fields = new FrozenFields(new LinkedHashMap<>(fields));
        }
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

    /**
     * The fields of an ApiObject: a read-only view of a copy no one else holds, so a new snapshot made from another
     * snapshot's fields (a new generation of an unchanged record) shares them instead of copying them again.
     */
    private static final class FrozenFields extends AbstractMap<String, Object> {
        private final Map<String, Object> view;

        FrozenFields(LinkedHashMap<String, Object> owned) {
            view = Collections.unmodifiableMap(owned);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return view.entrySet();
        }

        @Override
        public Set<String> keySet() {
            return view.keySet();
        }

        @Override
        public Collection<Object> values() {
            return view.values();
        }

        @Override
        public Object get(Object key) {
            return view.get(key);
        }

        @Override
        public Object getOrDefault(Object key, Object defaultValue) {
            return view.getOrDefault(key, defaultValue);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            view.forEach(action);
        }
    }
}
