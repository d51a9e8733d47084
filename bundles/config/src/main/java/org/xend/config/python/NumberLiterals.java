package org.xend.config.python;

import java.math.BigInteger;
import java.util.regex.Pattern;

import org.xend.api.spi.config.ConfigException;

/**
 * Python number literals: decimal ints, {@code 0x}/{@code 0o}/{@code 0b} ints, Python 2's {@code 0}-octal
 * ({@code 0755}) and {@code L} suffix, floats with a point and/or an exponent, and underscores between digits.
 * Ints are 64-bit here; a larger literal is refused rather than silently changed.
 */
final class NumberLiterals {

    private static final Pattern DECIMAL = Pattern.compile("[1-9](_?[0-9])*|0(_?0)*");
    private static final Pattern LEGACY_OCTAL = Pattern.compile("0[0-7]+");
    private static final Pattern HEX = Pattern.compile("0[xX](_?[0-9a-fA-F])+");
    private static final Pattern OCTAL = Pattern.compile("0[oO](_?[0-7])+");
    private static final Pattern BINARY = Pattern.compile("0[bB](_?[01])+");
    private static final String DIGITS = "[0-9](_?[0-9])*";
    private static final String POINT_FLOAT = "(" + DIGITS + ")?\\." + DIGITS + "|" + DIGITS + "\\.";
    /** A float has a point or an exponent: {@code 1.}, {@code .5}, {@code 1e3}, {@code 08.5}. */
    private static final Pattern FLOAT = Pattern.compile(
            POINT_FLOAT + "|(" + DIGITS + "|" + POINT_FLOAT + ")[eE][+-]?" + DIGITS);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private NumberLiterals() {
    }

    static Object parse(String literal, int line, int column) throws ConfigException {
        String body = literal;
        boolean pythonTwoLong = false;
        if (body.endsWith("L") || body.endsWith("l")) {
            body = body.substring(0, body.length() - 1);
            pythonTwoLong = true;
        }
        if (DECIMAL.matcher(body).matches()) {
            return integer(body.replace("_", ""), 10, literal, line, column);
        }
        if (LEGACY_OCTAL.matcher(body).matches()) {
            return integer(body.substring(1), 8, literal, line, column);
        }
        if (HEX.matcher(body).matches()) {
            return integer(body.substring(2).replace("_", ""), 16, literal, line, column);
        }
        if (OCTAL.matcher(body).matches()) {
            return integer(body.substring(2).replace("_", ""), 8, literal, line, column);
        }
        if (BINARY.matcher(body).matches()) {
            return integer(body.substring(2).replace("_", ""), 2, literal, line, column);
        }
        if (!pythonTwoLong && FLOAT.matcher(body).matches()) {
            double value = Double.parseDouble(body.replace("_", ""));
            if (Double.isInfinite(value)) {
                throw PyConfigParser.error(line, column, "float literal out of range: " + literal);
            }
            return value;
        }
        if (literal.matches("0[0-9_]+")) {
            throw PyConfigParser.error(line, column, "invalid number " + literal
                    + ": a leading 0 makes an octal number (Python 2), whose digits are 0-7");
        }
        if (literal.endsWith("j") || literal.endsWith("J")) {
            throw PyConfigParser.error(line, column, "complex numbers are not supported: " + literal);
        }
        throw PyConfigParser.error(line, column, "invalid number: " + literal);
    }

    private static Long integer(String digits, int radix, String literal, int line, int column)
            throws ConfigException {
        // 64 significant digits hold any long in every radix; refusing longer ones keeps parsing linear.
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 64) {
            throw PyConfigParser.error(line, column, "integer too large (at most " + Long.MAX_VALUE + "): "
                    + literal.substring(0, 37) + "...");
        }
        BigInteger value = new BigInteger(significant, radix);
        if (value.compareTo(MAX) > 0) {
            throw PyConfigParser.error(line, column, "integer too large (at most " + Long.MAX_VALUE + "): "
                    + (literal.length() > 40 ? literal.substring(0, 37) + "..." : literal));
        }
        return value.longValue();
    }
}
