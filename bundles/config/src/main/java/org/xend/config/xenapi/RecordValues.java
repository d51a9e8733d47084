package org.xend.config.xenapi;

import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.xend.api.spi.config.ConfigException;
import org.xend.config.python.PyValues;

/**
 * Reads the values of a Xen API struct as clients send them: ints as XML-RPC ints or as strings (the Xen API
 * sends 64-bit ints as strings), booleans as booleans or {@code 0}/{@code 1}/{@code True}/{@code False}, maps
 * as structs ({@code ''} for an empty one, as Xend's test scripts sent). Messages name the key, the value and
 * the rule.
 */
final class RecordValues {

    private RecordValues() {
    }

    static ConfigException invalid(String key, Object value, String rule) {
        return new ConfigException(key + ": " + rule + ", got " + describe(value));
    }

    static String describe(Object value) {
        if (value == null) {
            return "nil";
        }
        String text = value instanceof Object[] array ? java.util.Arrays.toString(array) : value.toString();
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return value instanceof String ? "'" + text + "'" : value.getClass().getSimpleName() + " " + text;
    }

    static long integer(String key, Object value) throws ConfigException {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return (long) (double) d;
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException notANumber) {
                throw invalid(key, value, "expected an integer");
            }
        }
        throw invalid(key, value, "expected an integer");
    }

    static boolean bool(String key, Object value) throws ConfigException {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long || value instanceof Integer) {
            long n = ((Number) value).longValue();
            if (n == 0 || n == 1) {
                return n == 1;
            }
        }
        if (value instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "1", "true":
                    return true;
                case "0", "false":
                    return false;
                default:
                    break;
            }
        }
        throw invalid(key, value, "expected a boolean (true, false, 1 or 0)");
    }

    /** A string; numbers are taken as their decimal text. */
    static String string(String key, Object value) throws ConfigException {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return PyValues.floatRepr(d);
        }
        throw invalid(key, value, "expected a string");
    }

    /** A scalar as a string, booleans as Python wrote them (True, False), for Xend's string-valued keys. */
    static String scalar(String key, Object value) throws ConfigException {
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return string(key, value);
    }

    /** A string-to-string map; an empty string is an empty map. */
    static Map<String, String> map(String key, Object value) throws ConfigException {
        if ("".equals(value)) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> struct)) {
            throw invalid(key, value, "expected a struct of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : struct.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            map.put(String.valueOf(entry.getKey()), scalar(key + "." + entry.getKey(), entry.getValue()));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The items of an array (a List or an Object[] as XML-RPC libraries give them), else null. */
    static List<?> array(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] items) {
            return java.util.Arrays.asList(items);
        }
        return null;
    }

    /** A struct as a map with string keys, else null. */
    static Map<String, Object> struct(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, Object> struct = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            struct.put(String.valueOf(entry.getKey()), entry.getValue());
        }
        return struct;
    }
}
