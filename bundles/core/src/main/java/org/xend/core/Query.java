package org.xend.core;

import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Type;
import org.xend.api.store.ApiObject;

/**
 * XAPI's query language for {@code get_all_records_where}:
 * <pre>
 *   expr  := value "=" value | expr "and" expr | expr "or" expr | "not" expr | "true" | "false" | "(" expr ")"
 *   value := "field" STRING | STRING          STRING := '"' any characters but '"' '"'
 * </pre>
 * With XAPI's precedences: {@code and} and {@code or} bind equally, from the left ({@code a or b and c} is
 * {@code (a or b) and c}), and {@code not} takes everything to its right up to the closing parenthesis
 * ({@code not a and b} is {@code not (a and b)}). Field names may be given in XAPI's database spelling, where
 * {@code __} stands for the {@code /} of the spec ({@code name__label} is our {@code name_label}).
 *
 * <p>Values compare as text, in the form XAPI's database keeps them: ints in decimal, bools as {@code true} /
 * {@code false}, dates as {@code 20070508T10:38:06Z}, sets as {@code ('a' 'b')} and maps as {@code (('k' 'v'))}.
 * A malformed query or an unknown field gets {@code VALUE_NOT_SUPPORTED [expr, query, reason]}.
 */
final class Query {

    private sealed interface Node permits Literal, Field, Eq, And, Or, Not, Const {
    }

    private record Literal(String text) implements Node {
    }

    private record Field(FieldDecl field) implements Node {
    }

    private record Eq(Node left, Node right) implements Node {
    }

    private record And(Node left, Node right) implements Node {
    }

    private record Or(Node left, Node right) implements Node {
    }

    private record Not(Node operand) implements Node {
    }

    private record Const(boolean value) implements Node {
    }

    private enum Kind { EQ, TRUE, FALSE, LPAREN, RPAREN, FIELD, AND, OR, NOT, STRING, END }

    private record Token(Kind kind, String text, int offset) {
    }

    /** Keywords as XAPI's lexer knows them; like it, they need no space after them. */
    private static final List<Map.Entry<String, Kind>> KEYWORDS = List.of(
            Map.entry("true", Kind.TRUE), Map.entry("false", Kind.FALSE), Map.entry("field", Kind.FIELD),
            Map.entry("and", Kind.AND), Map.entry("or", Kind.OR), Map.entry("not", Kind.NOT));

    private final Node root;

    private Query(Node root) {
        this.root = root;
    }

    static Query parse(String text, ClassDecl cls) {
        return new Query(new Parser(text, cls).parseAll());
    }

    boolean matches(ApiObject object) {
        return eval(root, object);
    }

    private static boolean eval(Node node, ApiObject object) {
        if (node instanceof Const c) {
            return c.value();
        }
        if (node instanceof Not n) {
            return !eval(n.operand(), object);
        }
        if (node instanceof And a) {
            return eval(a.left(), object) && eval(a.right(), object);
        }
        if (node instanceof Or o) {
            return eval(o.left(), object) || eval(o.right(), object);
        }
        Eq e = (Eq) node;
        return text(e.left(), object).equals(text(e.right(), object));
    }

    private static String text(Node value, ApiObject object) {
        if (value instanceof Literal l) {
            return l.text();
        }
        FieldDecl f = ((Field) value).field();
        Object v = object.get(f.name());
        return stored(f.type(), v == null ? TypeDefaults.of(f) : v);
    }

    /** A store value as XAPI's database writes it. */
    static String stored(Type type, Object value) {
        if (type instanceof Type.SetOf set) {
            StringBuilder sb = new StringBuilder("(");
            for (Object o : (List<?>) value) {
                sb.append(sb.length() > 1 ? " " : "").append(quoted(stored(set.element(), o)));
            }
            return sb.append(')').toString();
        }
        if (type instanceof Type.MapOf map) {
            StringBuilder sb = new StringBuilder("(");
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                sb.append(sb.length() > 1 ? " " : "").append('(')
                        .append(quoted(stored(map.key(), e.getKey()))).append(' ')
                        .append(quoted(stored(map.value(), e.getValue()))).append(')');
            }
            return sb.append(')').toString();
        }
        if (type == Type.DATETIME && value instanceof Instant instant) {
            SimpleDateFormat format = new SimpleDateFormat("yyyyMMdd'T'HH:mm:ss'Z'");
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return format.format(Date.from(instant));
        }
        return String.valueOf(value);
    }

    private static String quoted(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Recursive descent over XAPI's grammar, with its precedences. */
    private static final class Parser {
        private final String text;
        private final ClassDecl cls;
        private final List<Token> tokens;
        private int position;

        Parser(String text, ClassDecl cls) {
            this.text = text;
            this.cls = cls;
            this.tokens = lex();
        }

        Node parseAll() {
            Node node = expression();
            expect(Kind.END, "end of query");
            return node;
        }

        /** expr := "not" expr | operand (("and" | "or") operand)* */
        private Node expression() {
            if (peek().kind() == Kind.NOT) {
                position++;
                return new Not(expression());
            }
            Node left = condition();
            while (peek().kind() == Kind.AND || peek().kind() == Kind.OR) {
                boolean and = tokens.get(position++).kind() == Kind.AND;
                Node right = peek().kind() == Kind.NOT ? expression() : condition();
                left = and ? new And(left, right) : new Or(left, right);
            }
            return left;
        }

        private Node condition() {
            Token t = peek();
            switch (t.kind()) {
                case TRUE -> {
                    position++;
                    return new Const(true);
                }
                case FALSE -> {
                    position++;
                    return new Const(false);
                }
                case LPAREN -> {
                    position++;
                    Node inner = expression();
                    expect(Kind.RPAREN, "')'");
                    return inner;
                }
                default -> {
                    Node left = value();
                    expect(Kind.EQ, "'='");
                    return new Eq(left, value());
                }
            }
        }

        private Node value() {
            Token t = tokens.get(position);
            if (t.kind() == Kind.STRING) {
                position++;
                return new Literal(t.text());
            }
            if (t.kind() == Kind.FIELD) {
                position++;
                Token name = expect(Kind.STRING, "a quoted field name");
                return new Field(resolve(name));
            }
            throw error("expected a field or a quoted value at offset " + t.offset());
        }

        private FieldDecl resolve(Token name) {
            FieldDecl f = cls.fields().get(name.text());
            if (f == null && name.text().contains("__")) {
                f = cls.fields().get(name.text().replace("__", "_"));
            }
            if (f == null) {
                throw error("class " + cls.name() + " has no field " + name.text());
            }
            return f;
        }

        private Token peek() {
            return tokens.get(position);
        }

        private Token expect(Kind kind, String what) {
            Token t = tokens.get(position);
            if (t.kind() != kind) {
                throw error("expected " + what + " at offset " + t.offset());
            }
            position++;
            return t;
        }

        private List<Token> lex() {
            List<Token> out = new ArrayList<>();
            int i = 0;
            scan:
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    i++;
                    continue;
                }
                switch (c) {
                    case '=' -> out.add(new Token(Kind.EQ, "=", i++));
                    case '(' -> out.add(new Token(Kind.LPAREN, "(", i++));
                    case ')' -> out.add(new Token(Kind.RPAREN, ")", i++));
                    case '"' -> {
                        int close = text.indexOf('"', i + 1);
                        if (close < 0) {
                            throw error("unterminated string at offset " + i);
                        }
                        out.add(new Token(Kind.STRING, text.substring(i + 1, close), i));
                        i = close + 1;
                    }
                    default -> {
                        for (Map.Entry<String, Kind> k : KEYWORDS) {
                            if (text.startsWith(k.getKey(), i)) {
                                out.add(new Token(k.getValue(), k.getKey(), i));
                                i += k.getKey().length();
                                continue scan;
                            }
                        }
                        throw error("unexpected '" + c + "' at offset " + i);
                    }
                }
            }
            out.add(new Token(Kind.END, "", text.length()));
            return out;
        }

        private XenApiException error(String reason) {
            return new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "expr", text, reason);
        }
    }
}
