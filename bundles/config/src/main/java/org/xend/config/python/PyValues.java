package org.xend.config.python;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The values a configuration file can hold and Python's text forms of them. A value is a {@link String},
 * {@link Long} (int), {@link Double} (float), {@link Boolean}, {@link PyNone}, {@link PyList}, {@link PyTuple}
 * or an unmodifiable {@code Map<Object, Object>} (dict, in insertion order). {@code str} and {@code repr}
 * follow Python 3.
 */
public final class PyValues {

    /** Length at which values quoted in messages are cut. */
    static final int MESSAGE_LIMIT = 120;
    /** Values nested deeper than this are not shown: lists can be nested through names without limit. */
    static final int MAX_SHOWN_DEPTH = 100;

    private PyValues() {
    }

    /** Python's name of the value's type, for messages. */
    public static String typeName(Object value) {
        if (value instanceof String) {
            return "str";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof Long) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof PyNone) {
            return "NoneType";
        } else if (value instanceof PyList) {
            return "list";
        } else if (value instanceof PyTuple) {
            return "tuple";
        } else if (value instanceof Map<?, ?>) {
            return "dict";
        }
        throw new IllegalArgumentException("not a configuration value: " + value);
    }

    /** Python's truth value: empty, zero, False and None are false. */
    public static boolean truthy(Object value) {
        if (value instanceof String s) {
            return !s.isEmpty();
        } else if (value instanceof Boolean b) {
            return b;
        } else if (value instanceof Long l) {
            return l != 0;
        } else if (value instanceof Double d) {
            return d != 0.0;
        } else if (value instanceof PyNone) {
            return false;
        } else if (value instanceof PyList l) {
            return l.size() > 0;
        } else if (value instanceof PyTuple t) {
            return !t.items().isEmpty();
        } else if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        throw new IllegalArgumentException("not a configuration value: " + value);
    }

    /** True for ints and bools, which Python's arithmetic treats alike. */
    static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof Boolean;
    }

    static long integer(Object value) {
        return value instanceof Boolean b ? (b ? 1L : 0L) : (Long) value;
    }

    /** The items of a list or tuple, else null. */
    static List<Object> sequence(Object value) {
        if (value instanceof PyList l) {
            return l.items();
        }
        if (value instanceof PyTuple t) {
            return t.items();
        }
        return null;
    }

    /** {@code repr(value)}, cut at {@link #MESSAGE_LIMIT} characters for messages. */
    public static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        if (!append(out, value, false, MESSAGE_LIMIT, 0)) {
            out.setLength(Math.min(out.length(), MESSAGE_LIMIT - 3));
            out.append("...");
        }
        return out.toString();
    }

    /** {@code str(value)}, cut at {@link #MESSAGE_LIMIT} characters for messages. */
    public static String str(Object value) {
        if (value instanceof String s) {
            return s.length() > MESSAGE_LIMIT ? s.substring(0, MESSAGE_LIMIT - 3) + "..." : s;
        }
        return repr(value);
    }

    /**
     * Appends {@code str(value)} (or {@code repr}) to {@code out}, giving up once {@code out} is longer than
     * {@code limit} or nested deeper than {@link #MAX_SHOWN_DEPTH}. The limit also bounds the work, as every
     * value shown adds at least one character.
     *
     * @return false if the limit or the depth was reached
     */
    static boolean append(StringBuilder out, Object value, boolean asStr, int limit, int depth) {
        if (out.length() > limit || depth > MAX_SHOWN_DEPTH) {
            return false;
        }
        if (value instanceof String s) {
            if (asStr) {
                out.append(s);
            } else {
                appendStringRepr(out, s);
            }
        } else if (value instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (value instanceof Long l) {
            out.append(l);
        } else if (value instanceof Double d) {
            out.append(floatRepr(d));
        } else if (value instanceof PyNone) {
            out.append("None");
        } else if (value instanceof PyList l) {
            return appendItems(out, l.items(), "[", "]", false, limit, depth);
        } else if (value instanceof PyTuple t) {
            return appendItems(out, t.items(), "(", ")", t.items().size() == 1, limit, depth);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                if (!append(out, entry.getKey(), false, limit, depth + 1)) {
                    return false;
                }
                out.append(": ");
                if (!append(out, entry.getValue(), false, limit, depth + 1)) {
                    return false;
                }
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not a configuration value: " + value);
        }
        return out.length() <= limit;
    }

    private static boolean appendItems(StringBuilder out, List<Object> items, String open, String close,
            boolean trailingComma, int limit, int depth) {
        out.append(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            if (!append(out, items.get(i), false, limit, depth + 1)) {
                return false;
            }
        }
        if (trailingComma) {
            out.append(',');
        }
        out.append(close);
        return out.length() <= limit;
    }

    /**
     * Python 3's {@code repr} of a string: single quotes unless the string has a single quote and no double
     * quote; backslash escapes for the backslash, the quote, {@code \t \n \r}, other control characters and
     * lone surrogates. Our lexer reads every form this writes.
     */
    public static void appendStringRepr(StringBuilder out, String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(quote);
    }

    /** Python's {@code repr} of a float: the shortest digits, exponent form below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0.0) {
            return 1.0 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = decimal.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }
}
