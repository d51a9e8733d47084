package org.xend.rpc.xmlrpc.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SXP as the legacy API carries it: nested lists whose first element names them, e.g. {@code (vm (name x))} is
 * {@code ["vm", ["name", "x"]]}. Converts between that form and SXP text, the form the {@code sxp} configuration
 * format reads and writes. Parsed atoms are strings, as in Xend's parser; printed strings are bare when Xend's
 * printer left them bare and quoted otherwise.
 */
final class SxpText {

    /** Deeper nesting than any domain configuration needs; bounds the recursion on client input. */
    static final int MAX_DEPTH = 64;

    private SxpText() {
    }

    /** An SXP value from a client: a String, Integer, Double, Boolean, or an Object[] or List of those. */
    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        print(value, out, 0);
        return out.toString();
    }

    /** The single SXP value in {@code text}. */
    static Object parse(String text) {
        Parser parser = new Parser(text);
        Object value = parser.next(0);
        if (value == null) {
            throw new IllegalArgumentException("no SXP value in the text");
        }
        if (parser.next(0) != null) {
            throw new IllegalArgumentException("more than one SXP value in the text");
        }
        return value;
    }

    private static void print(Object value, StringBuilder out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("SXP nested deeper than " + MAX_DEPTH + " lists");
        }
        if (value instanceof Object[] array) {
            printList(List.of(array), out, depth);
        } else if (value instanceof List<?> list) {
            printList(list, out, depth);
        } else if (value instanceof String s) {
            printString(s, out);
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException("an SXP number must be finite, not " + d);
            }
            out.append(d);
        } else if (value instanceof Boolean b) {
            // XendConfig reads a flag with int(), which turns Python's True into 1
            out.append(b ? '1' : '0');
        } else {
            throw new IllegalArgumentException("an SXP value is a string, a number or a list, not "
                    + (value == null ? "nil" : "a " + describe(value)));
        }
    }

    private static void printList(List<?> list, StringBuilder out, int depth) {
        out.append('(');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            print(list.get(i), out, depth + 1);
        }
        out.append(')');
    }

    private static String describe(Object value) {
        if (value instanceof java.util.Map) {
            return "struct";
        }
        if (value instanceof java.util.Date) {
            return "dateTime";
        }
        return "value of another type";
    }

    /**
     * Bare when it is only letters, digits and {@code .-_:/~}, as Xend printed; otherwise quoted. Control characters
     * are 3-digit octal escapes (the sxp format's parser, like Xend's, reads them); other characters stay as they are.
     */
    private static void printString(String s, StringBuilder out) {
        if (isBare(s)) {
            out.append(s);
            return;
        }
        out.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                                .append((char) ('0' + (c & 7)));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('\'');
    }

    private static boolean isBare(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '~';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /** Xend's SXP grammar: lists, quoted strings with Python escapes, atoms, {@code #} comments. */
    private static final class Parser {
        private static final String ATOM_ENDS = "{}()<>[]!;#";

        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        /** The next value, or null at the end of the text. */
        Object next(int depth) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                return null;
            }
            char c = text.charAt(pos);
            if (c == ')') {
                throw error("unexpected ')'");
            }
            if (c == '(') {
                return list(depth);
            }
            if (c == '"' || c == '\'') {
                return quoted(c);
            }
            return atom();
        }

        private List<Object> list(int depth) {
            if (depth >= MAX_DEPTH) {
                throw error("SXP nested deeper than " + MAX_DEPTH + " lists");
            }
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpaceAndComments();
                if (pos >= text.length()) {
                    throw error("a list is not closed");
                }
                if (text.charAt(pos) == ')') {
                    pos++;
                    return Collections.unmodifiableList(items);
                }
                items.add(next(depth + 1));
            }
        }

        private String quoted(char quote) {
            int start = pos++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    pos = start;
                    throw error("a string is not closed");
                }
                char c = text.charAt(pos++);
                if (c == quote) {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    continue;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'a' -> value.append('\u0007');
                    case 'b' -> value.append('\b');
                    case 't' -> value.append('\t');
                    case 'n' -> value.append('\n');
                    case 'v' -> value.append('\u000b');
                    case 'f' -> value.append('\f');
                    case 'r' -> value.append('\r');
                    case '\\', '\'', '"' -> value.append(e);
                    case 'x' -> value.append((char) hexEscape());
                    default -> {
                        if (e >= '0' && e <= '7') {
                            value.append((char) octalEscape(e));
                        } else {
                            // Xend's parser keeps the backslash and drops the unknown escape letter
                            value.append('\\');
                        }
                    }
                }
            }
        }

        private int hexEscape() {
            int value = 0;
            for (int i = 0; i < 2; i++) {
                int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
                if (digit < 0) {
                    throw error("\\x needs two hex digits");
                }
                value = value * 16 + digit;
                pos++;
            }
            return value;
        }

        private int octalEscape(char first) {
            int value = first - '0';
            for (int i = 0; i < 2 && pos < text.length(); i++) {
                char c = text.charAt(pos);
                if (c < '0' || c > '7' || value * 8 + (c - '0') > 0xFF) {
                    break;
                }
                value = value * 8 + (c - '0');
                pos++;
            }
            return value;
        }

        private String atom() {
            int start = pos;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (Character.isWhitespace(c) || ATOM_ENDS.indexOf(c) >= 0 || c == '\'' || c == '"') {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw error("unexpected '" + text.charAt(pos) + "'");
            }
            return text.substring(start, pos);
        }

        private void skipSpaceAndComments() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '#') {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException(problem + " at character " + (pos + 1));
        }
    }
}
