package org.xend.config.python;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.xend.api.spi.config.ConfigException;
import org.xend.config.python.Token.Kind;

/**
 * Reads a Python-syntax configuration file (xm's and xl's) into its variables, without executing anything.
 *
 * <p>The file is a sequence of assignments {@code name = value} and {@code name += value} (also chained,
 * {@code a = b = 1}), separated by newlines or {@code ;}. A value is built from literals (ints, floats,
 * strings, {@code True}, {@code False}, {@code None}), lists, tuples and dicts, names assigned earlier in the
 * file, {@code +} on ints, strings, lists and tuples, {@code - * // %} on ints, unary {@code + -} and
 * {@code %}-formatting of strings. That is a closed arithmetic on data: there is nothing in it that can call,
 * import, read or write anything.
 *
 * <p>As Python compiles a whole file before it runs any of it, the whole file is parsed first: every other
 * construct (import, calls, attribute access, subscripts, comparisons, conditionals, loops, lambdas,
 * comprehensions, definitions …) is refused with a {@link ConfigException} giving the line, the column and what
 * was found, before any value is computed. Then the assignments are evaluated in order; an unknown name or an
 * operation on the wrong types is refused the same way.
 *
 * <p>As in Python, {@code +=} extends a list in place, so every name bound to that list sees it. Evaluation is
 * bounded: nesting depth, the size of one value and the total work are capped, so a hostile file cannot
 * exhaust memory or the stack.
 */
public final class PyConfigParser {

    /** Deepest nesting of brackets and unary operators. */
    static final int MAX_DEPTH = 100;
    /** Longest string and longest list one value may be. */
    static final int MAX_VALUE_SIZE = 1 << 20;
    /** Characters and items all evaluation together may produce. */
    static final long MAX_WORK = 16L << 20;

    private static final Set<String> FOLLOWERS = Set.of(",", ")", "]", "}", ":", ";");
    private static final Set<String> COMPARISONS = Set.of("<", ">", "==", "!=", "<=", ">=", "<>");

    // ---- the syntax tree ------------------------------------------------------------------------------------

    /** An expression; {@code at} is the token errors about it point to. */
    private sealed interface Expr permits Literal, Name, ListExpr, TupleExpr, DictExpr, Binary, Unary {
    }

    private record Literal(Object value) implements Expr {
    }

    private record Name(Token at) implements Expr {
    }

    private record ListExpr(Token at, List<Expr> items) implements Expr {
    }

    private record TupleExpr(List<Expr> items) implements Expr {
    }

    private record DictExpr(Token at, List<Expr> keys, List<Token> keyTokens, List<Expr> values) implements Expr {
    }

    private record Binary(Token operator, Expr left, Expr right) implements Expr {
    }

    private record Unary(Token operator, Expr operand) implements Expr {
    }

    /** {@code targets = value}, or {@code target += value} when {@code augmented} is set. */
    private record Assignment(List<Token> targets, Token augmented, Expr value) {
    }

    // ---- parsing --------------------------------------------------------------------------------------------

    private final PyLexer lexer;
    private final List<Token> lookahead = new ArrayList<>();
    private int depth;

    private PyConfigParser(String text) {
        this.lexer = new PyLexer(text);
    }

    /** The variables the file assigns, in the order of their first assignment. */
    public static Map<String, Object> parse(String text) throws ConfigException {
        return parse(text, Map.of());
    }

    /**
     * The variables of the file, which may refer to the {@code predefined} ones (xm put the command line's
     * {@code VAR=VAL} in the script's namespace before running it). The result includes the predefined
     * variables, first.
     */
    public static Map<String, Object> parse(String text, Map<String, Object> predefined) throws ConfigException {
        if (text == null) {
            throw new ConfigException("no configuration text");
        }
        List<Assignment> program = new PyConfigParser(text).file();
        Evaluator evaluator = new Evaluator(predefined);
        for (Assignment assignment : program) {
            evaluator.run(assignment);
        }
        return Collections.unmodifiableMap(evaluator.variables);
    }

    static ConfigException error(int line, int column, String message) {
        return new ConfigException("line " + line + ", column " + column + ": " + message);
    }

    private static ConfigException error(Token at, String problem) {
        return error(at.line(), at.column(), problem + ": found " + at.describe());
    }

    private List<Assignment> file() throws ConfigException {
        List<Assignment> program = new ArrayList<>();
        while (peek().kind() != Kind.END) {
            program.add(statement());
            while (peek().isOp(";")) {
                next();
                if (peek().kind() == Kind.NEWLINE || peek().kind() == Kind.END) {
                    break;
                }
                program.add(statement());
            }
            if (peek().kind() == Kind.NEWLINE) {
                next();
            } else if (peek().kind() != Kind.END) {
                throw error(peek(), "expected the end of the statement");
            }
        }
        return program;
    }

    private Assignment statement() throws ConfigException {
        Token name = peek();
        if (name.kind() != Kind.NAME) {
            throw error(name, "expected an assignment 'name = value'");
        }
        if (PyLexer.KEYWORDS.contains(name.text())) {
            throw refusedKeyword(name);
        }
        Token operator = peekAt(1);
        if (operator.isOp("=")) {
            List<Token> targets = new ArrayList<>();
            targets.add(next());
            next();
            while (peek().kind() == Kind.NAME && !PyLexer.KEYWORDS.contains(peek().text()) && peekAt(1).isOp("=")) {
                targets.add(next());
                next();
            }
            return new Assignment(targets, null, expressionList());
        }
        if (operator.isOp("+=")) {
            next();
            next();
            return new Assignment(List.of(name), operator, expressionList());
        }
        throw refusedAfterName(name, operator);
    }

    private static ConfigException refusedAfterName(Token name, Token after) {
        String what = "'" + name.text() + "'";
        if (after.isOp("(")) {
            return error(after, "function calls are not allowed (" + what + " is not called)");
        }
        if (after.isOp(".")) {
            return error(after, "attribute access is not allowed (after " + what + ")");
        }
        if (after.isOp("[")) {
            return error(after, "subscripts and item assignment are not allowed (after " + what + ")");
        }
        if (after.isOp(",")) {
            return error(after, "unpacking assignments 'a, b = …' are not supported");
        }
        if (after.isOp(":")) {
            return error(after, "annotations are not supported");
        }
        if (after.kind() == Kind.OP && after.text().endsWith("=") && after.text().length() > 1
                && !COMPARISONS.contains(after.text())) {
            return error(after, "only '=' and '+=' assignments are supported");
        }
        return error(after, "expected '=' or '+=' after the name " + what);
    }

    private static ConfigException refusedKeyword(Token keyword) {
        String problem = switch (keyword.text()) {
            case "import", "from" -> "import statements are not allowed";
            case "def", "class" -> "definitions are not allowed";
            case "lambda" -> "lambda expressions are not allowed";
            case "if", "elif", "else" -> "conditionals are not allowed";
            case "for", "while" -> "loops are not allowed";
            case "print", "exec" -> "print and exec are not allowed";
            case "True", "False", "None" -> "cannot assign to " + keyword.text();
            case "and", "or", "not", "in", "is" -> "boolean and comparison operators are not supported";
            default -> "'" + keyword.text() + "' is not allowed: a configuration file holds assignments only";
        };
        return error(keyword, problem);
    }

    /** An expression, or several separated by commas, which make a tuple ({@code x = 1, 2}). */
    private Expr expressionList() throws ConfigException {
        Expr first = expression();
        if (!peek().isOp(",")) {
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (peek().isOp(",")) {
            next();
            if (peek().kind() == Kind.NEWLINE || peek().kind() == Kind.END || peek().isOp(";")) {
                break;
            }
            items.add(expression());
        }
        return new TupleExpr(items);
    }

    private Expr expression() throws ConfigException {
        enter();
        Expr left = term();
        while (peek().isOp("+") || peek().isOp("-")) {
            Token operator = next();
            left = new Binary(operator, left, term());
        }
        checkFollower();
        depth--;
        return left;
    }

    private Expr term() throws ConfigException {
        Expr left = unary();
        while (peek().isOp("*") || peek().isOp("//") || peek().isOp("%")) {
            Token operator = next();
            left = new Binary(operator, left, unary());
        }
        return left;
    }

    private Expr unary() throws ConfigException {
        if (peek().isOp("-") || peek().isOp("+")) {
            Token operator = next();
            enter();
            Expr operand = unary();
            depth--;
            return new Unary(operator, operand);
        }
        return atom();
    }

    /** What may follow a complete expression; anything else gets a message saying why it is refused. */
    private void checkFollower() throws ConfigException {
        Token t = peek();
        if (t.kind() == Kind.NEWLINE || t.kind() == Kind.END || t.kind() == Kind.OP && FOLLOWERS.contains(t.text())) {
            return;
        }
        if (t.kind() == Kind.NAME) {
            String problem = switch (t.text()) {
                case "if", "else" -> "conditional expressions are not allowed";
                case "for", "async" -> "comprehensions are not allowed";
                case "and", "or", "not", "in", "is" -> "boolean and comparison operators are not supported";
                default -> "expected an operator or the end of the statement";
            };
            throw error(t, problem);
        }
        if (t.isOp("/")) {
            throw error(t, "true division '/' is not supported (use '//')");
        }
        if (t.isOp("=")) {
            throw error(t, "only a name can be assigned to");
        }
        if (t.kind() == Kind.OP && !t.text().equals("(") && !t.text().equals("[") && !t.text().equals("{")) {
            throw error(t, "operator not supported: only + - * // % on ints, + on strings, lists and tuples, "
                    + "and % formatting of strings are");
        }
        throw error(t, "expected an operator or the end of the statement");
    }

    private Expr atom() throws ConfigException {
        Token t = next();
        Expr expr = switch (t.kind()) {
            case NUMBER -> new Literal(t.value());
            case STRING -> strings(t);
            case NAME -> name(t);
            case OP -> bracket(t);
            default -> throw error(t, "expected a value");
        };
        refuseTrailer(t);
        return expr;
    }

    private Expr name(Token t) throws ConfigException {
        switch (t.text()) {
            case "True":
                return new Literal(Boolean.TRUE);
            case "False":
                return new Literal(Boolean.FALSE);
            case "None":
                return new Literal(PyNone.NONE);
            default:
                break;
        }
        if (PyLexer.KEYWORDS.contains(t.text())) {
            throw refusedKeyword(t);
        }
        return new Name(t);
    }

    /** A call, attribute access or subscript right after a value. */
    private void refuseTrailer(Token after) throws ConfigException {
        Token t = peek();
        String what = after.kind() == Kind.NAME ? "'" + after.text() + "'" : "a value";
        if (t.isOp("(")) {
            throw error(t, "function calls are not allowed (" + what + " is not called)");
        }
        if (t.isOp(".")) {
            throw error(t, "attribute access is not allowed (after " + what + ")");
        }
        if (t.isOp("[")) {
            throw error(t, "subscripts are not allowed (after " + what + ")");
        }
    }

    /** Adjacent string literals are one string. */
    private Expr strings(Token first) throws ConfigException {
        if (peek().kind() != Kind.STRING) {
            return new Literal(first.value());
        }
        StringBuilder joined = new StringBuilder((String) first.value());
        while (peek().kind() == Kind.STRING) {
            joined.append((String) next().value());
            if (joined.length() > MAX_VALUE_SIZE) {
                throw error(first, "value too large (more than " + MAX_VALUE_SIZE + " characters or items)");
            }
        }
        return new Literal(joined.toString());
    }

    private Expr bracket(Token open) throws ConfigException {
        switch (open.text()) {
            case "(" -> {
                enter();
                if (peek().isOp(")")) {
                    next();
                    depth--;
                    return new TupleExpr(List.of());
                }
                Expr first = expression();
                Expr result = first;
                if (peek().isOp(",")) {
                    List<Expr> items = new ArrayList<>();
                    items.add(first);
                    while (peek().isOp(",")) {
                        next();
                        if (peek().isOp(")")) {
                            break;
                        }
                        items.add(expression());
                    }
                    result = new TupleExpr(items);
                }
                expect(")", open);
                depth--;
                return result;
            }
            case "[" -> {
                enter();
                List<Expr> items = new ArrayList<>();
                while (!peek().isOp("]")) {
                    refuseStar();
                    items.add(expression());
                    if (!peek().isOp(",")) {
                        break;
                    }
                    next();
                }
                expect("]", open);
                depth--;
                return new ListExpr(open, items);
            }
            case "{" -> {
                enter();
                List<Expr> keys = new ArrayList<>();
                List<Token> keyTokens = new ArrayList<>();
                List<Expr> values = new ArrayList<>();
                while (!peek().isOp("}")) {
                    refuseStar();
                    keyTokens.add(peek());
                    keys.add(expression());
                    if (!peek().isOp(":")) {
                        throw error(peek(), "sets are not supported: a '{' holds 'key: value' pairs");
                    }
                    next();
                    values.add(expression());
                    if (!peek().isOp(",")) {
                        break;
                    }
                    next();
                }
                expect("}", open);
                depth--;
                return new DictExpr(open, keys, keyTokens, values);
            }
            case "*", "**" -> throw error(open, "unpacking with '*' is not supported");
            default -> throw error(open, "expected a value");
        }
    }

    private void refuseStar() throws ConfigException {
        if (peek().isOp("*") || peek().isOp("**")) {
            throw error(peek(), "unpacking with '*' is not supported");
        }
    }

    private void expect(String close, Token open) throws ConfigException {
        Token t = next();
        if (!t.isOp(close)) {
            throw error(t, "expected '" + close + "' to close the '" + open.text() + "' at line " + open.line()
                    + ", column " + open.column());
        }
    }

    private void enter() throws ConfigException {
        if (++depth > MAX_DEPTH) {
            throw error(peek(), "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private Token peek() throws ConfigException {
        return peekAt(0);
    }

    private Token peekAt(int ahead) throws ConfigException {
        while (lookahead.size() <= ahead) {
            lookahead.add(lexer.next());
        }
        return lookahead.get(ahead);
    }

    private Token next() throws ConfigException {
        Token t = peek();
        if (t.kind() != Kind.END) {
            lookahead.remove(0);
        }
        return t;
    }

    // ---- evaluation -----------------------------------------------------------------------------------------

    /** Runs the assignments of a parsed file: the closed arithmetic on data and nothing else. */
    private static final class Evaluator {

        private final Map<String, Object> variables = new LinkedHashMap<>();
        private long work;

        Evaluator(Map<String, Object> predefined) {
            variables.putAll(predefined);
        }

        void run(Assignment assignment) throws ConfigException {
            if (assignment.augmented() != null) {
                Token target = assignment.targets().get(0);
                Object left = lookup(target);
                Object right = evaluate(assignment.value());
                variables.put(target.text(), augmentedAdd(left, right, assignment.augmented()));
                return;
            }
            Object value = evaluate(assignment.value());
            for (Token target : assignment.targets()) {
                variables.put(target.text(), value);
            }
        }

        /** Operator chains are evaluated along their left spine without recursion; nesting is bounded. */
        private Object evaluate(Expr expr) throws ConfigException {
            if (expr instanceof Binary binary) {
                Deque<Binary> spine = new ArrayDeque<>();
                Expr leftmost = binary;
                while (leftmost instanceof Binary b) {
                    spine.push(b);
                    leftmost = b.left();
                }
                Object value = evaluate(leftmost);
                while (!spine.isEmpty()) {
                    Binary b = spine.pop();
                    value = binary(b.operator(), value, evaluate(b.right()));
                }
                return value;
            }
            if (expr instanceof Literal literal) {
                if (literal.value() instanceof String s) {
                    spend(s.length(), null);
                }
                return literal.value();
            }
            if (expr instanceof Name name) {
                return lookup(name.at());
            }
            if (expr instanceof Unary unary) {
                return unaryOperation(unary.operator(), evaluate(unary.operand()));
            }
            if (expr instanceof ListExpr list) {
                List<Object> items = new ArrayList<>(list.items().size());
                for (Expr item : list.items()) {
                    items.add(evaluate(item));
                }
                spend(items.size(), list.at());
                return new PyList(items);
            }
            if (expr instanceof TupleExpr tuple) {
                List<Object> items = new ArrayList<>(tuple.items().size());
                for (Expr item : tuple.items()) {
                    items.add(evaluate(item));
                }
                spend(items.size(), null);
                return new PyTuple(items);
            }
            DictExpr dict = (DictExpr) expr;
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < dict.keys().size(); i++) {
                Object key = evaluate(dict.keys().get(i));
                checkHashable(key, dict.keyTokens().get(i), 0);
                map.put(key, evaluate(dict.values().get(i)));
            }
            spend(map.size(), dict.at());
            return Collections.unmodifiableMap(map);
        }

        private Object lookup(Token name) throws ConfigException {
            Object value = variables.get(name.text());
            if (value == null) {
                throw error(name, "unknown name: only variables assigned earlier in the file can be used");
            }
            return value;
        }

        /** Dict keys must be immutable, as in Python; tuple keys are kept shallow so hashing them stays cheap. */
        private static void checkHashable(Object key, Token at, int level) throws ConfigException {
            if (key instanceof PyList || key instanceof Map<?, ?>) {
                throw error(at, "unhashable dict key of type '" + PyValues.typeName(key) + "'");
            }
            if (key instanceof PyTuple tuple) {
                if (level >= 8) {
                    throw error(at, "dict key nested too deeply");
                }
                for (Object item : tuple.items()) {
                    checkHashable(item, at, level + 1);
                }
            }
        }

        private Object binary(Token operator, Object left, Object right) throws ConfigException {
            // x += y is x + y for everything but lists.
            String op = operator.isOp("+=") ? "+" : operator.text();
            if (op.equals("%") && left instanceof String format) {
                String result = PercentFormat.format(format, right, operator, MAX_VALUE_SIZE);
                spend(result.length(), operator);
                return result;
            }
            if (PyValues.isInteger(left) && PyValues.isInteger(right)) {
                return integerOperation(operator, op, PyValues.integer(left), PyValues.integer(right));
            }
            if (op.equals("+")) {
                if (left instanceof String a && right instanceof String b) {
                    checkSize((long) a.length() + b.length(), operator);
                    spend(a.length() + b.length(), operator);
                    return a + b;
                }
                if (left instanceof PyList a && right instanceof PyList b) {
                    return new PyList(concatenate(a.items(), b.items(), operator));
                }
                if (left instanceof PyTuple a && right instanceof PyTuple b) {
                    return new PyTuple(concatenate(a.items(), b.items(), operator));
                }
            }
            throw error(operator, "unsupported operand types for " + op + ": '" + PyValues.typeName(left)
                    + "' and '" + PyValues.typeName(right) + "' (arithmetic is on ints; + joins strings, lists "
                    + "and tuples; % formats a string)");
        }

        private static long integerOperation(Token operator, String op, long a, long b) throws ConfigException {
            try {
                return switch (op) {
                    case "+" -> Math.addExact(a, b);
                    case "-" -> Math.subtractExact(a, b);
                    case "*" -> Math.multiplyExact(a, b);
                    case "//" -> {
                        if (b == 0) {
                            throw error(operator, "integer division by zero");
                        }
                        if (a == Long.MIN_VALUE && b == -1) {
                            throw new ArithmeticException("overflow");
                        }
                        yield Math.floorDiv(a, b);
                    }
                    case "%" -> {
                        if (b == 0) {
                            throw error(operator, "integer modulo by zero");
                        }
                        yield Math.floorMod(a, b);
                    }
                    default -> throw new IllegalStateException(op);
                };
            } catch (ArithmeticException overflow) {
                throw error(operator, "integer overflow: values are 64-bit here");
            }
        }

        private List<Object> concatenate(List<Object> a, List<Object> b, Token at) throws ConfigException {
            checkSize((long) a.size() + b.size(), at);
            spend(a.size() + b.size(), at);
            List<Object> joined = new ArrayList<>(a.size() + b.size());
            joined.addAll(a);
            joined.addAll(b);
            return joined;
        }

        /** {@code +=}: a list is extended in place by any sequence, as Python's list.extend; else like {@code +}. */
        private Object augmentedAdd(Object left, Object right, Token operator) throws ConfigException {
            if (!(left instanceof PyList list)) {
                return binary(operator, left, right);
            }
            List<Object> more;
            if (right instanceof PyList || right instanceof PyTuple) {
                more = new ArrayList<>(PyValues.sequence(right));
            } else if (right instanceof String s) {
                more = new ArrayList<>();
                s.codePoints().forEach(c -> more.add(new String(Character.toChars(c))));
            } else if (right instanceof Map<?, ?> map) {
                more = new ArrayList<>(map.keySet());
            } else {
                throw error(operator, "cannot extend a list with a value of type '" + PyValues.typeName(right) + "'");
            }
            checkSize((long) list.size() + more.size(), operator);
            spend(more.size(), operator);
            for (Object item : more) {
                if (reaches(item, list, operator, 0)) {
                    throw error(operator, "a list cannot contain itself");
                }
            }
            list.extend(more);
            return list;
        }

        /** True if {@code value} is or holds {@code target}; every step costs work, so shared structure is bounded. */
        private boolean reaches(Object value, PyList target, Token at, int level) throws ConfigException {
            spend(1, at);
            if (level > MAX_DEPTH) {
                throw error(at, "values nested more than " + MAX_DEPTH + " levels deep");
            }
            if (value == target) {
                return true;
            }
            List<Object> items = PyValues.sequence(value);
            if (items != null) {
                for (Object item : items) {
                    if (reaches(item, target, at, level + 1)) {
                        return true;
                    }
                }
            } else if (value instanceof Map<?, ?> map) {
                for (Object item : map.values()) {
                    if (reaches(item, target, at, level + 1)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static Object unaryOperation(Token operator, Object operand) throws ConfigException {
            boolean minus = operator.isOp("-");
            if (PyValues.isInteger(operand)) {
                long value = PyValues.integer(operand);
                if (minus && value == Long.MIN_VALUE) {
                    throw error(operator, "integer overflow: values are 64-bit here");
                }
                return minus ? -value : value;
            }
            if (operand instanceof Double d) {
                return minus ? -d : d;
            }
            throw error(operator, "bad operand type for unary " + operator.text() + ": '"
                    + PyValues.typeName(operand) + "'");
        }

        private static void checkSize(long size, Token at) throws ConfigException {
            if (size > MAX_VALUE_SIZE) {
                throw error(at, "value too large (more than " + MAX_VALUE_SIZE + " characters or items)");
            }
        }

        /** Counts the work of evaluation; {@code at} may be null for literals, whose size the text bounds. */
        private void spend(long amount, Token at) throws ConfigException {
            work += amount;
            if (work > MAX_WORK) {
                String message = "the file builds more than " + MAX_WORK + " characters and items: too large";
                throw at == null ? new ConfigException(message) : error(at, message);
            }
        }
    }
}
