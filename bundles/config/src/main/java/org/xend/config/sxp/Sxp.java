package org.xend.config.sxp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.xend.api.spi.config.ConfigException;

/**
 * Xend's s-expression (SXP) values: an atom is a {@link String} (every value parses as a string), a list is an
 * immutable {@code List<Object>} of atoms and lists. This class reads and writes the syntax of Xend's
 * {@code xend/sxp.py} and gives the accessors Xend code used ({@code name}, {@code children}, {@code child_value},
 * the {@code (@ (k v)…)} attribute form).
 */
public final class Sxp {

    /** The attribute list marker: {@code (element (@ (key value)…) children…)}. */
    public static final String ATTRIBUTE_MARKER = "@";

    /** Width Xend's PrettyPrint uses by default; managed {@code config.sxp} files are written at 78. */
    public static final int DEFAULT_WIDTH = 80;

    /** Nesting deeper than this is refused, so hostile input cannot exhaust the stack of the recursive helpers. */
    public static final int MAX_DEPTH = 512;

    private Sxp() {
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** An immutable list of the given atoms and lists (lists are copied deeply into immutable form). */
    public static List<Object> list(Object... items) {
        return copyList(Arrays.asList(items), 0);
    }

    /** An immutable list of the given atoms and lists. */
    public static List<Object> listOf(Collection<?> items) {
        return copyList(items, 0);
    }

    /** A checked, deeply immutable copy of an SXP value: a String, or a List of SXP values. */
    public static Object copyOf(Object value) {
        return copyValue(value, 0);
    }

    private static Object copyValue(Object value, int depth) {
        if (value instanceof String) {
            return value;
        }
        if (value instanceof List<?> l) {
            return copyList(l, depth);
        }
        throw new IllegalArgumentException("not an SXP value (String or List): "
                + (value == null ? "null" : value.getClass().getName()));
    }

    private static SxpList copyList(Collection<?> items, int depth) {
        if (items instanceof SxpList checked) {
            // already checked and immutable: shared, as long as it fits at this depth
            if (depth + checked.height() > MAX_DEPTH) {
                throw new IllegalArgumentException("SXP nested deeper than " + MAX_DEPTH);
            }
            return checked;
        }
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("SXP nested deeper than " + MAX_DEPTH);
        }
        Object[] copy = items.toArray(); // a fresh array, ours alone
        int height = 1;
        for (int i = 0; i < copy.length; i++) {
            Object value = copyValue(copy[i], depth + 1);
            if (value instanceof SxpList inner) {
                height = Math.max(height, inner.height() + 1);
            }
            copy[i] = value;
        }
        return new SxpList(copy, height);
    }

    public static boolean isAtom(Object value) {
        return value instanceof String;
    }

    public static boolean isList(Object value) {
        return value instanceof List<?>;
    }

    /** True if {@code value} is a non-empty list whose first element is the atom {@code name}. */
    public static boolean isElement(Object value, String name) {
        return value instanceof List<?> l && !l.isEmpty() && name.equals(l.get(0));
    }

    // ---- access ---------------------------------------------------------------------------------------------

    /**
     * The name of an element: the first item of a list if that is an atom, the atom itself for an atom, and
     * {@code null} for an empty list or a list that starts with a list.
     */
    public static String name(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
            return s;
        }
        return null;
    }

    /** The children of an element: everything after its name and after an {@code (@ …)} attribute list. */
    public static List<Object> children(Object value) {
        if (!(value instanceof List<?> l) || l.size() < 2) {
            return List.of();
        }
        int first = isElement(l.get(1), ATTRIBUTE_MARKER) ? 2 : 1;
        return unmodifiable(l.subList(first, l.size()));
    }

    /** The child lists whose name is {@code key}, in order. */
    public static List<List<Object>> children(Object value, String key) {
        List<List<Object>> found = new ArrayList<>();
        for (Object child : children(value)) {
            if (isElement(child, key)) {
                found.add(unmodifiable((List<?>) child));
            }
        }
        return List.copyOf(found);
    }

    /** The first child list named {@code key}, or {@code null}. */
    public static List<Object> child(Object value, String key) {
        for (Object child : children(value)) {
            if (isElement(child, key)) {
                return unmodifiable((List<?>) child);
            }
        }
        return null;
    }

    /**
     * Xend's {@code child_value}: the value of the first child list named {@code key}, that is its element 1
     * (the first of its own children), or {@code null} if there is no such child or it has no value.
     */
    public static Object childValue(Object value, String key) {
        List<Object> child = child(value, key);
        if (child == null) {
            return null;
        }
        List<Object> values = children(child);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The {@code (key value)} pairs of an element's {@code (@ …)} attribute list (empty if it has none). */
    public static List<Object> attributes(Object value) {
        if (value instanceof List<?> l && l.size() > 1 && isElement(l.get(1), ATTRIBUTE_MARKER)) {
            List<?> attrs = (List<?>) l.get(1);
            return unmodifiable(attrs.subList(1, attrs.size()));
        }
        return List.of();
    }

    /** The value of attribute {@code key}, or {@code null}. */
    public static Object attribute(Object value, String key) {
        for (Object attr : attributes(value)) {
            if (attr instanceof List<?> pair && pair.size() > 1 && key.equals(pair.get(0))) {
                return pair.get(1);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> unmodifiable(List<?> l) {
        return java.util.Collections.unmodifiableList((List<Object>) l);
    }

    // ---- text -----------------------------------------------------------------------------------------------

    /** Every top-level value in {@code text} (none for blank text). A {@code chr(4)} outside a value ends the input. */
    public static List<Object> parseAll(String text) throws ConfigException {
        return new SxpParser(text).parseAll();
    }

    /** Exactly one value. */
    public static Object parse(String text) throws ConfigException {
        List<Object> values = parseAll(text);
        if (values.size() != 1) {
            throw new ConfigException("expected exactly one SXP value, found " + values.size());
        }
        return values.get(0);
    }

    /** The value on one line, as Xend's {@code sxp.show} writes it. */
    public static String print(Object value) {
        return SxpPrinter.print(value);
    }

    /** The value laid out as Xend's {@code PrettyPrint.prettyprint} does at width 80, ending with a newline. */
    public static String prettyPrint(Object value) {
        return prettyPrint(value, DEFAULT_WIDTH);
    }

    /** The value laid out as Xend's {@code PrettyPrint.prettyprint} does at {@code width}, ending with a newline. */
    public static String prettyPrint(Object value, int width) {
        return SxpPrinter.prettyPrint(value, width);
    }

    // ---- legacy XML-RPC form --------------------------------------------------------------------------------

    /** The legacy xm XML-RPC form: a list becomes an {@code Object[]}, an atom stays a String. */
    public static Object toXmlRpc(Object value) {
        if (value instanceof String) {
            return value;
        }
        if (value instanceof List<?> l) {
            Object[] array = new Object[l.size()];
            for (int i = 0; i < array.length; i++) {
                array[i] = toXmlRpc(l.get(i));
            }
            return array;
        }
        throw new IllegalArgumentException("not an SXP value: " + (value == null ? "null" : value.getClass().getName()));
    }

    /**
     * Reads the legacy xm XML-RPC form: arrays ({@code Object[]} or {@code List}) become lists; strings stay
     * atoms; numbers and booleans become the atom Python's {@code str()} gives them, as Xend saw them.
     */
    public static Object fromXmlRpc(Object value) throws ConfigException {
        return fromXmlRpc(value, 0);
    }

    private static Object fromXmlRpc(Object value, int depth) throws ConfigException {
        if (depth > MAX_DEPTH) {
            throw new ConfigException("SXP nested deeper than " + MAX_DEPTH);
        }
        if (value instanceof String) {
            return value;
        }
        if (value instanceof Object[] array) {
            return fromXmlRpcItems(Arrays.asList(array), depth);
        }
        if (value instanceof List<?> l) {
            return fromXmlRpcItems(l, depth);
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float) {
            return pythonFloat(((Number) value).doubleValue());
        }
        if (value instanceof Number n) {
            return n.toString();
        }
        throw new ConfigException("not an SXP value: "
                + (value == null ? "nil" : value.getClass().getSimpleName() + " " + value));
    }

    private static List<Object> fromXmlRpcItems(List<?> items, int depth) throws ConfigException {
        List<Object> converted = new ArrayList<>(items.size());
        for (Object item : items) {
            converted.add(fromXmlRpc(item, depth + 1));
        }
        return List.copyOf(converted);
    }

    private static String pythonFloat(double d) throws ConfigException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ConfigException("not an SXP value: double " + d);
        }
        String plain = BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
