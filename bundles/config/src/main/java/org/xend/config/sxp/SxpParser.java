package org.xend.config.sxp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.xend.api.spi.config.ConfigException;

/**
 * Reads SXP text with the grammar of Xend's {@code sxp.Parser}, and gives the same values for the same text
 * except where Xend's parser was broken: {@code \xHH} decodes the hex digits a-f correctly, {@code \x}
 * without digits is an error rather than a crash, and a list still open at the end of the input is always an
 * error (Xend silently dropped it when the input ended inside an atom). Iterative, so nesting depth is bounded
 * by {@link Sxp#MAX_DEPTH} rather than by the Java stack. Positions in messages are 1-based lines and columns
 * (columns count code points).
 */
final class SxpParser {

    private static final int END = -1;
    private static final int END_OF_TRANSMISSION = 4;
    private static final String SEPARATORS = "{}()<>[]!;";

    private final String text;
    private int index;
    private int line = 1;
    private int column;

    /** An open list and where it was opened. */
    private record OpenList(List<Object> items, int line, int column) {
    }

    SxpParser(String text) {
        this.text = text;
    }

    List<Object> parseAll() throws ConfigException {
        List<Object> values = new ArrayList<>();
        Deque<OpenList> open = new ArrayDeque<>();
        while (true) {
            int c = next();
            if (c == END || (c == END_OF_TRANSMISSION)) {
                if (!open.isEmpty()) {
                    OpenList innermost = open.peek();
                    throw error("unexpected end of input: the list opened at line " + innermost.line()
                            + ", column " + innermost.column() + " is not closed");
                }
                return List.copyOf(values);
            }
            if (isSpace(c)) {
                continue;
            }
            Object value;
            if (c == '#') {
                skipComment();
                continue;
            } else if (c == '(') {
                if (open.size() >= Sxp.MAX_DEPTH) {
                    throw error("lists nested deeper than " + Sxp.MAX_DEPTH);
                }
                open.push(new OpenList(new ArrayList<>(), line, column));
                continue;
            } else if (c == ')') {
                if (open.isEmpty()) {
                    throw error("syntax error: ')' without a matching '('");
                }
                value = List.copyOf(open.pop().items());
            } else if (c == '"' || c == '\'') {
                value = readString(c);
            } else if (c > ' ' && c < 0x7f) {
                value = readAtom(c);
            } else {
                throw error("invalid character: code " + c);
            }
            if (open.isEmpty()) {
                values.add(value);
            } else {
                open.peek().items().add(value);
            }
        }
    }

    private void skipComment() {
        int c;
        do {
            c = next();
        } while (c != '\n' && c != END);
    }

    /** An atom runs until whitespace, a comment or a separator; its first character may itself be a separator. */
    private String readAtom(int first) {
        StringBuilder atom = new StringBuilder().appendCodePoint(first);
        while (true) {
            int c = peek();
            if (c == END || isSpace(c) || c == '#' || SEPARATORS.indexOf(c) >= 0) {
                return atom.toString();
            }
            atom.appendCodePoint(next());
        }
    }

    private String readString(int delimiter) throws ConfigException {
        int startLine = line;
        int startColumn = column;
        StringBuilder value = new StringBuilder();
        while (true) {
            int c = next();
            if (c == END) {
                throw error("unexpected end of input: the string opened at line " + startLine + ", column "
                        + startColumn + " is not closed");
            }
            if (c == delimiter) {
                return value.toString();
            }
            if (c == '\\') {
                readEscape(value, startLine, startColumn);
            } else {
                value.appendCodePoint(c);
            }
        }
    }

    private void readEscape(StringBuilder value, int startLine, int startColumn) throws ConfigException {
        int c = next();
        switch (c) {
            case END -> throw error("unexpected end of input: the string opened at line " + startLine
                    + ", column " + startColumn + " is not closed");
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 't' -> value.append('\t');
            case 'n' -> value.append('\n');
            case 'v' -> value.append('\u000b');
            case 'f' -> value.append('\f');
            case 'r' -> value.append('\r');
            case '\\', '\'', '"' -> value.append((char) c);
            case 'x' -> value.append(readHexEscape());
            case '0', '1', '2', '3', '4', '5', '6', '7' -> value.append(readOctalEscape(c));
            // Xend keeps the backslash of an unknown escape and drops the character after it.
            default -> value.append('\\');
        }
    }

    /** Up to two hex digits. Xend's parser decodes a-f wrongly and fails on {@code \x} without digits. */
    private char readHexEscape() throws ConfigException {
        int result = 0;
        int digits = 0;
        while (digits < 2 && Character.digit(peekAscii(), 16) >= 0) {
            result = result * 16 + Character.digit(next(), 16);
            digits++;
        }
        if (digits == 0) {
            throw error("invalid hex escape: \\x without hex digits");
        }
        return (char) result;
    }

    /** Up to three octal digits, value at most 0xFF. */
    private char readOctalEscape(int first) throws ConfigException {
        StringBuilder digits = new StringBuilder().append((char) first);
        int result = first - '0';
        while (digits.length() < 3 && peek() >= '0' && peek() <= '7') {
            int d = next();
            digits.append((char) d);
            result = result * 8 + (d - '0');
            if (result > 0xff) {
                throw error("invalid octal escape: out of range \\" + digits);
            }
        }
        return (char) result;
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** The next code point, or END; lines and columns follow what has been consumed. */
    private int next() {
        if (index >= text.length()) {
            return END;
        }
        int c = text.codePointAt(index);
        index += Character.charCount(c);
        if (c == '\n') {
            line++;
            column = 0;
        } else {
            column++;
        }
        return c;
    }

    private int peek() {
        return index >= text.length() ? END : text.codePointAt(index);
    }

    /** The next code point if it is ASCII (so {@link Character#digit} sees only ASCII digits), else END. */
    private int peekAscii() {
        int c = peek();
        return c < 0x80 ? c : END;
    }

    private ConfigException error(String message) {
        return new ConfigException("SXP line " + line + ", column " + column + ": " + message);
    }
}
