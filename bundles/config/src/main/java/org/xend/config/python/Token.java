package org.xend.config.python;

/**
 * One token of a configuration file, with the 1-based line and column (in code points) where it starts.
 * {@code value} is the decoded literal for numbers and strings.
 */
record Token(Kind kind, String text, Object value, int line, int column) {

    enum Kind {
        NAME, NUMBER, STRING, OP, NEWLINE, END
    }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOp(String op) {
        return kind == Kind.OP && text.equals(op);
    }

    /** How the token is named in messages: {@code keyword 'import'}, {@code '('}, {@code end of line}. */
    String describe() {
        return switch (kind) {
            case NAME -> (PyLexer.KEYWORDS.contains(text) ? "keyword '" : "name '") + text + "'";
            case NUMBER -> "number " + text;
            case STRING -> "string " + PyValues.repr(value);
            case OP -> "'" + text + "'";
            case NEWLINE -> "end of line";
            case END -> "end of file";
        };
    }
}
