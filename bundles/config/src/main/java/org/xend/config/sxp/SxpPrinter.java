package org.xend.config.sxp;

import java.util.List;

/**
 * Writes SXP as Xend does: {@code sxp.show} for one line and {@code PrettyPrint.prettyprint} for the indented
 * layout of {@code config.sxp} and {@code xm list -l}.
 */
final class SxpPrinter {

    private static final int BREAK_INDENT = 4;

    private SxpPrinter() {
    }

    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        print(value, out, 0);
        return out.toString();
    }

    private static void print(Object value, StringBuilder out, int depth) {
        if (value instanceof String atom) {
            out.append(atom(atom));
        } else if (value instanceof List<?> list) {
            checkDepth(depth);
            out.append('(');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                print(list.get(i), out, depth + 1);
            }
            out.append(')');
        } else {
            throw notSxp(value);
        }
    }

    /**
     * Xend's layout: a list that fits in the rest of the line is written flat; otherwise its first element
     * follows the parenthesis, every further element starts a new line indented 4 columns past the
     * parenthesis, and the closing parenthesis gets a line of its own under the opening one.
     */
    static String prettyPrint(Object value, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive: " + width);
        }
        StringBuilder out = new StringBuilder();
        layout(value, 0, width, out, 0);
        return out.append('\n').toString();
    }

    /** Writes {@code value} whose first character lands at {@code column}. */
    private static void layout(Object value, int column, int width, StringBuilder out, int depth) {
        if (!(value instanceof List<?> list)) {
            if (!(value instanceof String s)) {
                throw notSxp(value);
            }
            out.append(atom(s));
            return;
        }
        checkDepth(depth);
        if (column + flatWidth(list, depth) <= width) {
            print(list, out, depth);
            return;
        }
        out.append('(');
        for (int i = 0; i < list.size(); i++) {
            if (i == 0) {
                layout(list.get(0), column + 1, width, out, depth + 1);
            } else {
                newline(out, column + BREAK_INDENT);
                layout(list.get(i), column + BREAK_INDENT, width, out, depth + 1);
            }
        }
        newline(out, column);
        out.append(')');
    }

    private static void newline(StringBuilder out, int indent) {
        out.append('\n').append(" ".repeat(indent));
    }

    private static int flatWidth(Object value, int depth) {
        if (value instanceof String s) {
            return displayWidth(atom(s));
        }
        if (value instanceof List<?> list) {
            checkDepth(depth);
            int total = 2 + Math.max(0, list.size() - 1);
            for (Object item : list) {
                total += flatWidth(item, depth + 1);
            }
            return total;
        }
        throw notSxp(value);
    }

    private static int displayWidth(String text) {
        return text.codePointCount(0, text.length());
    }

    /**
     * An atom is written bare when it is non-empty and made only of letters, digits and {@code .-_:/~} (or is
     * {@code @}, the attribute marker, which Xend also writes bare); otherwise quoted like Python's repr.
     */
    static String atom(String s) {
        return isBare(s) ? s : quote(s);
    }

    static boolean isBare(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.equals(Sxp.ATTRIBUTE_MARKER)) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_' || c == ':' || c == '/' || c == '~';
            if (!bare) {
                return false;
            }
        }
        return true;
    }

    /**
     * Python-repr-like quoting: single quotes unless the text holds a single quote and no double quote. Control
     * characters use 3-digit octal escapes rather than {@code \xHH}, because Xend's parser decodes the hex digits
     * a-f wrongly; non-ASCII characters are written as they are (as UTF-8 in a file, which is what Xend's byte
     * strings held).
     */
    static String quote(String s) {
        char delimiter = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(delimiter);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == delimiter) {
                out.append('\\').append(c);
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < ' ' || c == 0x7f) {
                out.append('\\')
                        .append((char) ('0' + (c >> 6)))
                        .append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else {
                out.append(c);
            }
        }
        return out.append(delimiter).toString();
    }

    private static void checkDepth(int depth) {
        if (depth >= Sxp.MAX_DEPTH) {
            throw new IllegalArgumentException("SXP nested deeper than " + Sxp.MAX_DEPTH);
        }
    }

    private static IllegalArgumentException notSxp(Object value) {
        return new IllegalArgumentException("not an SXP value (String or List): "
                + (value == null ? "null" : value.getClass().getName()));
    }
}
