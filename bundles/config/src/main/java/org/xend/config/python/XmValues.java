package org.xend.config.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.xend.api.spi.config.ConfigException;

/**
 * Converts the Python value of an xm key into the SXP atom xm sent for it, checking its type. Every message
 * names the key, the value and the rule.
 */
final class XmValues {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d{1,18}");

    private XmValues() {
    }

    static ConfigException invalid(String key, Object value, String rule) {
        return new ConfigException(key + ": " + rule + ", got " + PyValues.typeName(value) + " "
                + PyValues.repr(value));
    }

    /** A string; ints and floats are written as Python's str() gives them. */
    static String string(String key, Object value) throws ConfigException {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof Double) {
            return PyValues.str(value);
        }
        throw invalid(key, value, "expected a string");
    }

    /** An int, a bool (0 or 1) or a string of decimal digits (as given on xm's command line), in decimal. */
    static String integer(String key, Object value) throws ConfigException {
        if (PyValues.isInteger(value)) {
            return Long.toString(PyValues.integer(value));
        }
        if (value instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
            return Long.toString(Long.parseLong(s.strip()));
        }
        throw invalid(key, value, "expected an integer");
    }

    /** An int or a float (xm took {@code cpu_weight} as either). */
    static String number(String key, Object value) throws ConfigException {
        if (value instanceof Double d) {
            return PyValues.floatRepr(d);
        }
        return integer(key, value);
    }

    /** A yes/no option: True/False, 1/0, or the words xm's command line took; written 1 or 0. */
    static String flag(String key, Object value) throws ConfigException {
        if (PyValues.isInteger(value)) {
            return PyValues.integer(value) != 0 ? "1" : "0";
        }
        if (value instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "1", "yes", "y", "true", "on":
                    return "1";
                case "0", "no", "n", "false", "off", "":
                    return "0";
                default:
                    break;
            }
        }
        throw invalid(key, value, "expected yes or no (1, 0, True, False)");
    }

    /** A single value of any scalar type: strings as they are, ints in decimal, bools 1 or 0. */
    static String scalar(String key, Object value) throws ConfigException {
        if (value instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (value instanceof String || value instanceof Long || value instanceof Double) {
            return string(key, value);
        }
        throw invalid(key, value, "expected a single value (a string or a number)");
    }

    /**
     * The entries of a repeatable option: a list or tuple of strings, or one string (as on xm's command line).
     * None is no entry.
     */
    static List<String> entries(String key, Object value) throws ConfigException {
        return entries(key, value, false);
    }

    /** Like {@link #entries(String, Object)}, also taking ints (irq numbers) as their decimal text. */
    static List<String> entries(String key, Object value, boolean intsToo) throws ConfigException {
        if (value instanceof PyNone) {
            return List.of();
        }
        List<Object> items = PyValues.sequence(value);
        if (items == null) {
            items = List.of(value);
        }
        List<String> entries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String s) {
                entries.add(s);
            } else if (intsToo && PyValues.isInteger(item)) {
                entries.add(Long.toString(PyValues.integer(item)));
            } else {
                throw invalid(key + "[" + i + "]", item, intsToo ? "expected a string or an int"
                        : "expected a string");
            }
        }
        return entries;
    }
}
