package org.xend.config.python;

import java.util.List;
import java.util.Set;

import org.xend.api.spi.config.ConfigException;
import org.xend.config.python.Token.Kind;

/**
 * Splits a Python-syntax configuration file into tokens, as Python's tokenizer does for the subset a
 * configuration file uses: names, numbers (decimal, {@code 0x}, {@code 0o}, {@code 0b}, Python 2's
 * {@code 0}-octal and {@code L} suffix, floats), strings (single, double and triple quotes, {@code r} and
 * {@code u} prefixes, Python's escapes), operators, {@code #} comments, line joining with a backslash or inside
 * brackets, and NEWLINE at the end of each logical line. An indented statement is refused, as Python does.
 * Operators the grammar refuses are still tokens, so the parser can say what it found.
 */
final class PyLexer {

    /** Python 3's keywords plus Python 2's {@code print} and {@code exec} statements. */
    static final Set<String> KEYWORDS = Set.of(
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
            "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
            "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
            "print", "exec");

    /** Operators and delimiters, longest first so that {@code //} wins over {@code /}. */
    private static final List<String> OPERATORS = List.of(
            "**=", "//=", ">>=", "<<=", "...",
            "**", "//", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "==", "!=", "<=", ">=", "<>",
            "<<", ">>", "->", ":=",
            "+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "=", ".", ",", ":", ";",
            "(", ")", "[", "]", "{", "}");

    private final String text;
    private int index;
    private int line = 1;
    private int column = 1;
    private int bracketDepth;
    private boolean lineStart = true;
    private boolean lineHasTokens;
    private boolean ended;

    /** Tokens are made one at a time, so an error is reported only once everything before it was parsed. */
    PyLexer(String text) {
        this.text = text;
    }

    /** The next token; after the last line, one NEWLINE (if the line had tokens) and then END, repeatedly. */
    Token next() throws ConfigException {
        while (true) {
            if (ended) {
                return new Token(Kind.END, "", null, line, column);
            }
            if (lineStart && bracketDepth == 0) {
                // Python ignores the indentation of blank and comment lines only.
                int indentLine = line;
                int indentColumn = column;
                boolean indented = skipBlanks();
                if (indented && !atLineEnd()) {
                    throw error(indentLine, indentColumn, "unexpected indentation: statements start at column 1");
                }
                lineStart = false;
            } else {
                skipBlanks();
            }
            int c = peek();
            if (c == -1) {
                if (bracketDepth > 0) {
                    throw error(line, column, "end of file inside brackets: a '(', '[' or '{' is not closed");
                }
                ended = true;
                if (lineHasTokens) {
                    lineHasTokens = false;
                    return new Token(Kind.NEWLINE, "", null, line, column);
                }
                continue;
            }
            if (c == '#') {
                while (peek() != -1 && !isNewline(peek())) {
                    advance();
                }
                continue;
            }
            if (isNewline(c)) {
                int newlineLine = line;
                int newlineColumn = column;
                consumeNewline();
                if (bracketDepth == 0) {
                    lineStart = true;
                    if (lineHasTokens) {
                        lineHasTokens = false;
                        return new Token(Kind.NEWLINE, "", null, newlineLine, newlineColumn);
                    }
                }
                continue;
            }
            if (c == '\\') {
                int backslashLine = line;
                int backslashColumn = column;
                advance();
                if (!isNewline(peek())) {
                    throw error(backslashLine, backslashColumn,
                            "a backslash outside a string must end the line (line continuation)");
                }
                consumeNewline();
                if (peek() == -1) {
                    throw error(backslashLine, backslashColumn, "end of file after a line continuation");
                }
                continue;
            }
            lineHasTokens = true;
            return readToken(c);
        }
    }

    /** Skips spaces, tabs and form feeds; true if any were skipped. */
    private boolean skipBlanks() {
        boolean skipped = false;
        while (peek() == ' ' || peek() == '\t' || peek() == '\f') {
            advance();
            skipped = true;
        }
        return skipped;
    }

    private boolean atLineEnd() {
        int c = peek();
        return c == -1 || c == '#' || isNewline(c);
    }

    private Token readToken(int c) throws ConfigException {
        int startLine = line;
        int startColumn = column;
        if (isNameStart(c)) {
            int start = index;
            while (isNameChar(peek())) {
                advance();
            }
            String name = text.substring(start, index);
            if ((peek() == '\'' || peek() == '"') && isStringPrefix(name)) {
                return readString(name, startLine, startColumn);
            }
            return new Token(Kind.NAME, name, null, startLine, startColumn);
        }
        if (isDigit(c) || (c == '.' && isDigit(peekAt(1)))) {
            return readNumber(startLine, startColumn);
        }
        if (c == '\'' || c == '"') {
            return readString("", startLine, startColumn);
        }
        for (String op : OPERATORS) {
            if (text.startsWith(op, index)) {
                for (int i = 0; i < op.length(); i++) {
                    advance();
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    bracketDepth++;
                } else if ((op.equals(")") || op.equals("]") || op.equals("}")) && bracketDepth > 0) {
                    bracketDepth--;
                }
                return new Token(Kind.OP, op, null, startLine, startColumn);
            }
        }
        throw error(startLine, startColumn, "unexpected character " + describeChar(c));
    }

    // ---- numbers --------------------------------------------------------------------------------------------

    private Token readNumber(int startLine, int startColumn) throws ConfigException {
        int start = index;
        int radixMark = peekAt(1) | 0x20;
        if (peek() == '0' && (radixMark == 'x' || radixMark == 'o' || radixMark == 'b')) {
            advance();
            advance();
            while (isNameChar(peek())) {
                advance();
            }
        } else {
            skipDigits();
            if (peek() == '.') {
                advance();
                skipDigits();
            }
            if ((peek() == 'e' || peek() == 'E')
                    && (isDigit(peekAt(1)) || ((peekAt(1) == '+' || peekAt(1) == '-') && isDigit(peekAt(2))))) {
                advance();
                if (peek() == '+' || peek() == '-') {
                    advance();
                }
                skipDigits();
            }
            // A suffix (Python 2's L, an imaginary j) or a stray letter: NumberLiterals judges it.
            while (isNameChar(peek())) {
                advance();
            }
        }
        String literal = text.substring(start, index);
        return new Token(Kind.NUMBER, literal, NumberLiterals.parse(literal, startLine, startColumn), startLine,
                startColumn);
    }

    private void skipDigits() {
        while (isDigit(peek()) || peek() == '_') {
            advance();
        }
    }

    // ---- strings --------------------------------------------------------------------------------------------

    private static boolean isStringPrefix(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "r", "u", "ur", "b", "br", "rb", "f", "fr", "rf" -> true;
            default -> false;
        };
    }

    private Token readString(String prefix, int startLine, int startColumn) throws ConfigException {
        String lower = prefix.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("f")) {
            throw error(startLine, startColumn, "f-strings are not allowed: they evaluate expressions");
        }
        if (lower.contains("b")) {
            throw error(startLine, startColumn, "byte strings (b'…') are not supported: use a plain string");
        }
        boolean raw = lower.contains("r");
        int start = index - prefix.length();
        int quote = advance();
        boolean triple = peek() == quote && peekAt(1) == quote;
        if (triple) {
            advance();
            advance();
        }
        StringBuilder value = new StringBuilder();
        while (true) {
            int c = peek();
            if (c == -1) {
                throw error(startLine, startColumn, "end of file inside the string opened here");
            }
            if (c == quote && (!triple || (peekAt(1) == quote && peekAt(2) == quote))) {
                advance();
                if (triple) {
                    advance();
                    advance();
                }
                return new Token(Kind.STRING, text.substring(start, index), value.toString(), startLine,
                        startColumn);
            }
            if (isNewline(c) && !triple) {
                throw error(startLine, startColumn, "end of line inside the string opened here");
            }
            if (c == '\\') {
                readEscape(value, raw);
            } else if (isNewline(c)) {
                consumeNewline();
                value.append('\n');
            } else {
                value.appendCodePoint(advance());
            }
        }
    }

    private void readEscape(StringBuilder value, boolean raw) throws ConfigException {
        int escapeLine = line;
        int escapeColumn = column;
        advance();
        int c = peek();
        if (c == -1) {
            return;
        }
        if (raw) {
            // A raw string keeps the backslash, and the character after it cannot end the string.
            value.append('\\');
            if (isNewline(c)) {
                consumeNewline();
                value.append('\n');
            } else {
                value.appendCodePoint(advance());
            }
            return;
        }
        if (isNewline(c)) {
            consumeNewline();
            return;
        }
        advance();
        switch (c) {
            case '\\', '\'', '"' -> value.append((char) c);
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            case 'v' -> value.append('\u000b');
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                int code = c - '0';
                for (int i = 0; i < 2 && peek() >= '0' && peek() <= '7'; i++) {
                    code = code * 8 + (advance() - '0');
                }
                value.appendCodePoint(code);
            }
            case 'x' -> value.appendCodePoint(hexEscape(2, escapeLine, escapeColumn, "\\x"));
            case 'u' -> value.appendCodePoint(hexEscape(4, escapeLine, escapeColumn, "\\u"));
            case 'U' -> value.appendCodePoint(hexEscape(8, escapeLine, escapeColumn, "\\U"));
            case 'N' -> value.appendCodePoint(namedEscape(escapeLine, escapeColumn));
            default -> {
                // Python keeps an unknown escape as it is.
                value.append('\\').appendCodePoint(c);
            }
        }
    }

    private int hexEscape(int digits, int escapeLine, int escapeColumn, String form) throws ConfigException {
        int code = 0;
        for (int i = 0; i < digits; i++) {
            int d = peek() < 0x80 && peek() >= 0 ? Character.digit(peek(), 16) : -1;
            if (d < 0) {
                throw error(escapeLine, escapeColumn, "invalid " + form + " escape: " + digits
                        + " hex digits expected");
            }
            advance();
            code = code * 16 + d;
            if (code > Character.MAX_CODE_POINT) {
                throw error(escapeLine, escapeColumn, "invalid " + form + " escape: beyond U+10FFFF");
            }
        }
        return code;
    }

    private int namedEscape(int escapeLine, int escapeColumn) throws ConfigException {
        if (peek() != '{') {
            throw error(escapeLine, escapeColumn, "invalid \\N escape: expected \\N{NAME}");
        }
        advance();
        StringBuilder name = new StringBuilder();
        while (peek() != '}') {
            if (peek() == -1 || isNewline(peek()) || name.length() > 100) {
                throw error(escapeLine, escapeColumn, "invalid \\N escape: expected \\N{NAME}");
            }
            name.appendCodePoint(advance());
        }
        advance();
        try {
            return Character.codePointOf(name.toString());
        } catch (IllegalArgumentException unknown) {
            throw error(escapeLine, escapeColumn, "unknown Unicode character name in \\N{" + name + "}");
        }
    }

    // ---- characters -----------------------------------------------------------------------------------------

    private int peek() {
        return index < text.length() ? text.codePointAt(index) : -1;
    }

    private int peekAt(int ahead) {
        int i = index;
        for (int n = 0; n < ahead && i < text.length(); n++) {
            i += Character.charCount(text.codePointAt(i));
        }
        return i < text.length() ? text.codePointAt(i) : -1;
    }

    private int advance() {
        int c = text.codePointAt(index);
        index += Character.charCount(c);
        column++;
        return c;
    }

    private static boolean isNewline(int c) {
        return c == '\n' || c == '\r';
    }

    /** Consumes {@code \n}, {@code \r\n} or {@code \r}. */
    private void consumeNewline() {
        if (peek() == '\r') {
            index++;
            if (peek() == '\n') {
                index++;
            }
        } else {
            index++;
        }
        line++;
        column = 1;
    }

    private static boolean isNameStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNameChar(int c) {
        return isNameStart(c) || isDigit(c);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String describeChar(int c) {
        if (c == '`') {
            return "'`' (Python 2's backquote repr is not allowed)";
        }
        if (c >= 0x20 && c < 0x7f || (c > 0xa0 && Character.isLetterOrDigit(c))) {
            return "'" + new String(Character.toChars(c)) + "'" + (c > 0x7f ? " (names are ASCII)" : "");
        }
        return String.format("U+%04X", c);
    }

    private static ConfigException error(int line, int column, String message) {
        return PyConfigParser.error(line, column, message);
    }
}
