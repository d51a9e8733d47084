package org.xend.config.python;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.xend.api.spi.config.ConfigException;

/**
 * Python's {@code format % values} for strings: the conversions {@code %s %r %a %d %i %u %x %X %o %c %e %E
 * %f %F} and {@code %%}, the flags {@code - + space # 0}, a width and a precision (each at most
 * {@value #MAX_WIDTH}), and {@code %(name)s} keys taken from a dict. The values are a tuple, a dict, or one
 * value, as in Python.
 */
final class PercentFormat {

    static final int MAX_WIDTH = 1000;

    private final String format;
    private final Token at;
    private final int limit;
    private final List<Object> arguments;
    private final Map<?, ?> mapping;
    private final StringBuilder out = new StringBuilder();
    private int index;
    private int nextArgument;

    private PercentFormat(String format, Object values, Token at, int limit) {
        this.format = format;
        this.at = at;
        this.limit = limit;
        this.arguments = values instanceof PyTuple tuple ? tuple.items() : List.of(values);
        this.mapping = values instanceof Map<?, ?> map ? map : null;
    }

    static String format(String format, Object values, Token at, int limit) throws ConfigException {
        return new PercentFormat(format, values, at, limit).run();
    }

    private String run() throws ConfigException {
        boolean usedKey = false;
        while (index < format.length()) {
            char c = format.charAt(index++);
            if (c != '%') {
                out.append(c);
                checkLength();
                continue;
            }
            String key = null;
            if (peek() == '(') {
                key = readKey();
                usedKey = true;
            }
            String flags = readWhile("-+ #0");
            int width = readNumber("width");
            int precision = -1;
            if (peek() == '.') {
                index++;
                precision = readNumber("precision");
                precision = Math.max(precision, 0);
            }
            readWhile("hlL");
            if (index >= format.length()) {
                throw fail("incomplete format: the string ends after '%'");
            }
            char conversion = format.charAt(index++);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            Object value = key != null ? keyed(key) : positional();
            String converted = convert(conversion, value, flags, precision);
            pad(converted, flags, width, conversion);
            checkLength();
        }
        if (!usedKey && mapping == null && nextArgument < arguments.size()) {
            throw fail("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private String readKey() throws ConfigException {
        int start = ++index;
        int nesting = 1;
        while (index < format.length()) {
            char c = format.charAt(index++);
            if (c == '(') {
                nesting++;
            } else if (c == ')' && --nesting == 0) {
                return format.substring(start, index - 1);
            }
        }
        throw fail("incomplete format key: '(' without ')'");
    }

    private Object keyed(String key) throws ConfigException {
        if (mapping == null) {
            throw fail("format %(" + key + ") requires a dict");
        }
        Object value = mapping.get(key);
        if (value == null) {
            throw fail("format key '" + key + "' is not in the dict");
        }
        return value;
    }

    private Object positional() throws ConfigException {
        if (nextArgument >= arguments.size()) {
            throw fail("not enough arguments for format string");
        }
        return arguments.get(nextArgument++);
    }

    private String convert(char conversion, Object value, String flags, int precision) throws ConfigException {
        switch (conversion) {
            case 's', 'r', 'a' -> {
                StringBuilder text = new StringBuilder();
                if (!PyValues.append(text, value, conversion == 's', limit, 0)) {
                    throw fail("formatted value too large or nested too deeply");
                }
                return precision >= 0 && precision < text.length() ? text.substring(0, precision) : text.toString();
            }
            case 'd', 'i', 'u' -> {
                return withSign(Long.toString(Math.abs(number(value, conversion, true))), negative(value), flags,
                        precision, "");
            }
            case 'x', 'X', 'o' -> {
                long n = number(value, conversion, false);
                String digits = conversion == 'o' ? Long.toOctalString(Math.abs(n)) : Long.toHexString(Math.abs(n));
                if (n == Long.MIN_VALUE) {
                    digits = conversion == 'o' ? "1000000000000000000000" : "8000000000000000";
                }
                String prefix = flags.indexOf('#') < 0 ? "" : conversion == 'o' ? "0o" : "0x";
                String result = withSign(digits, n < 0, flags, precision, prefix);
                return conversion == 'X' ? result.toUpperCase(Locale.ROOT) : result;
            }
            case 'c' -> {
                if (value instanceof String s && s.codePointCount(0, s.length()) == 1) {
                    return s;
                }
                if (PyValues.isInteger(value)) {
                    long code = PyValues.integer(value);
                    if (code < 0 || code > Character.MAX_CODE_POINT) {
                        throw fail("%c arg not in range(0x110000)");
                    }
                    return new String(Character.toChars((int) code));
                }
                throw fail("%c requires an int or a single character, not " + PyValues.typeName(value));
            }
            case 'e', 'E', 'f', 'F' -> {
                double d = floating(value, conversion);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    String special = Double.isNaN(d) ? "nan" : "inf";
                    return withSign(Character.isUpperCase(conversion) ? special.toUpperCase(Locale.ROOT) : special,
                            d < 0, flags, -1, "");
                }
                int digits = precision < 0 ? 6 : precision;
                String body = Character.toLowerCase(conversion) == 'f' ? fixed(Math.abs(d), digits)
                        : exponent(Math.abs(d), digits);
                if (Character.isUpperCase(conversion)) {
                    body = body.toUpperCase(Locale.ROOT);
                }
                return withSign(body, d < 0 || (d == 0.0 && 1.0 / d < 0), flags, -1, "");
            }
            default -> throw fail("unsupported format character '" + conversion + "'");
        }
    }

    /** {@code %.Nf} rounded from the double's exact binary value, half to even, as C's printf and Python do. */
    private static String fixed(double magnitude, int digits) {
        return new BigDecimal(magnitude).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code %.Ne}: one digit, the point, N digits and a signed exponent of at least two digits. */
    private static String exponent(double magnitude, int digits) {
        int exponent = 0;
        String significand = "0".repeat(digits + 1);
        if (magnitude != 0.0) {
            BigDecimal rounded = new BigDecimal(magnitude).round(new MathContext(digits + 1, RoundingMode.HALF_EVEN));
            exponent = rounded.precision() - rounded.scale() - 1;
            significand = rounded.unscaledValue().toString();
            significand = significand.length() > digits + 1 ? significand.substring(0, digits + 1)
                    : significand + "0".repeat(digits + 1 - significand.length());
        }
        String mantissa = digits == 0 ? significand : significand.charAt(0) + "." + significand.substring(1);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    private static boolean negative(Object value) {
        if (value instanceof Double d) {
            return d < 0 && (long) (double) d != 0;
        }
        return PyValues.isInteger(value) && PyValues.integer(value) < 0;
    }

    private long number(Object value, char conversion, boolean floatsTruncate) throws ConfigException {
        if (PyValues.isInteger(value)) {
            return PyValues.integer(value);
        }
        if (floatsTruncate && value instanceof Double d) {
            if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 0x1p63) {
                throw fail("%" + conversion + " of a float that is not a 64-bit integer: " + PyValues.repr(d));
            }
            return (long) (double) d;
        }
        throw fail("%" + conversion + " format: an integer is required, not " + PyValues.typeName(value));
    }

    private double floating(Object value, char conversion) throws ConfigException {
        if (value instanceof Double d) {
            return d;
        }
        if (PyValues.isInteger(value)) {
            return PyValues.integer(value);
        }
        throw fail("%" + conversion + " format: a number is required, not " + PyValues.typeName(value));
    }

    /** Sign, prefix and zero-padding to the precision, as Python's integer conversions do. */
    private static String withSign(String digits, boolean negative, String flags, int precision, String prefix) {
        StringBuilder body = new StringBuilder();
        for (int i = digits.length(); i < precision; i++) {
            body.append('0');
        }
        body.append(digits);
        String sign = negative ? "-" : flags.indexOf('+') >= 0 ? "+" : flags.indexOf(' ') >= 0 ? " " : "";
        return sign + prefix + body;
    }

    private void pad(String converted, String flags, int width, char conversion) {
        int length = converted.codePointCount(0, converted.length());
        if (length >= width) {
            out.append(converted);
            return;
        }
        int fill = width - length;
        boolean numeric = "diuxXoeEfF".indexOf(conversion) >= 0;
        if (flags.indexOf('-') >= 0) {
            out.append(converted).append(" ".repeat(fill));
        } else if (flags.indexOf('0') >= 0 && numeric) {
            int signEnd = 0;
            if (!converted.isEmpty() && "+- ".indexOf(converted.charAt(0)) >= 0) {
                signEnd = 1;
            }
            if (converted.startsWith("0x", signEnd) || converted.startsWith("0X", signEnd)
                    || converted.startsWith("0o", signEnd)) {
                signEnd += 2;
            }
            out.append(converted, 0, signEnd).append("0".repeat(fill)).append(converted.substring(signEnd));
        } else {
            out.append(" ".repeat(fill)).append(converted);
        }
    }

    private String readWhile(String allowed) {
        int start = index;
        while (index < format.length() && allowed.indexOf(format.charAt(index)) >= 0) {
            index++;
        }
        return format.substring(start, index);
    }

    private int readNumber(String what) throws ConfigException {
        if (peek() == '*') {
            throw fail("'*' " + what + " is not supported in formats");
        }
        int start = index;
        while (index < format.length() && Character.isDigit(format.charAt(index)) && format.charAt(index) < 0x80) {
            index++;
            if (index - start > 4) {
                throw fail(what + " above " + MAX_WIDTH + " in a format");
            }
        }
        if (start == index) {
            return -1;
        }
        int value = Integer.parseInt(format.substring(start, index));
        if (value > MAX_WIDTH) {
            throw fail(what + " above " + MAX_WIDTH + " in a format");
        }
        return value;
    }

    private char peek() {
        return index < format.length() ? format.charAt(index) : '\0';
    }

    private void checkLength() throws ConfigException {
        if (out.length() > limit) {
            throw fail("formatted string too large");
        }
    }

    private ConfigException fail(String problem) {
        return PyConfigParser.error(at.line(), at.column(), problem);
    }
}
