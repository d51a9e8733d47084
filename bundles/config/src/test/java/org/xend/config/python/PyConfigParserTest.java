package org.xend.config.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.config.Fixtures;

class PyConfigParserTest {

    private static Object value(String expression) throws ConfigException {
        return PyConfigParser.parse("x = " + expression + "\n").get("x");
    }

    private static String repr(String expression) throws ConfigException {
        return PyValues.repr(value(expression));
    }

    // ---- literals -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "42 | 42", "0 | 0", "00 | 0", "0x1F | 31", "0X1f | 31", "0o17 | 15", "0O17 | 15", "0b101 | 5",
        "0755 | 493", "017 | 15", "10L | 10", "0x10L | 16", "1_000_000 | 1000000", "0x_ff | 255",
        "9223372036854775807 | 9223372036854775807",
        "1.5 | 1.5", ".5 | 0.5", "5. | 5.0", "1e3 | 1000.0", "1E-5 | 1e-05", "2.5e+20 | 2.5e+20",
        "1_0.5 | 10.5", "0.0001 | 0.0001", "1e16 | 1e+16", "123456789012345.0 | 123456789012345.0",
        "True | True", "False | False", "None | None"})
    void readsNumbersAndConstantsAsPythonDoes(String literal, String expected) throws ConfigException {
        assertEquals(expected, repr(literal));
    }

    @Test
    void stringsTakeEveryQuotePrefixAndEscape() throws ConfigException {
        assertEquals("a'b", value("\"a'b\""));
        assertEquals("a\"b", value("'a\"b'"));
        assertEquals("one\ntwo 'x' \"y\"", value("'''one\ntwo 'x' \"y\"'''"));
        assertEquals("one\ntwo", value("\"\"\"one\ntwo\"\"\""));
        assertEquals("\\d+\\n", value("r'\\d+\\n'"));
        assertEquals("C:\\xen\\'q", value("ur'C:\\xen\\'q'"));
        assertEquals("uni", value("U'uni'"));
        assertEquals("\u0007\b\f\n\r\t\u000b\\'\"", value("'\\a\\b\\f\\n\\r\\t\\v\\\\\\'\\\"'"));
        assertEquals("AA\u00e9\ud83d\ude00\u00b0\u0000", value("'\\x41\\101\\u00e9\\U0001F600\\N{DEGREE SIGN}\\0'"));
        assertEquals("\\q\\8", value("'\\q\\8'"));
        assertEquals("joined", value("'jo' \\\n 'ined'"));
        assertEquals("abc", value("'a' \"b\" '''c'''"));
        assertEquals("noline", value("'no\\\nline'"));
        assertEquals("\r\n", value("'\\r\\n'"));
    }

    @Test
    void containersNestAndKeepTheirOrder() throws ConfigException {
        assertEquals("[1, 'two', [3.0, None], (True,), {}]", repr("[1, 'two', [3.0, None], (True,), {}]"));
        assertEquals("()", repr("()"));
        assertEquals("(1, 2)", repr("(1, 2,)"));
        assertEquals("{'b': 1, 'a': (2, 3), 4: [5]}", repr("{'b': 1, 'a': (2, 3), 4: [5],}"));
        assertEquals("{'k': 2}", repr("{'k': 1, 'k': 2}"));
        assertEquals("(1, 2)", PyValues.repr(PyConfigParser.parse("x = 1, 2").get("x")));
        assertEquals("[1, 2, 3]", repr("[\n  1,   # one\n  2,\n\n  3\n]"));
    }

    // ---- operators ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "1 + 2 * 3 => 7", "(1 + 2) * 3 => 9", "7 // 2 => 3", "-7 // 2 => -4", "7 // -2 => -4", "-7 % 3 => 2",
        "7 % -3 => -2", "10 - 4 - 3 => 3", "2 * -3 => -6", "--5 => 5", "-(-(5)) => 5", "+True => 1", "True + True => 2",
        "-1.5 => -1.5", "'ab' + 'cd' => 'abcd'", "[1] + [2, 3] => [1, 2, 3]", "(1,) + (2,) => (1, 2)",
        "'%s-%d' % ('vm', 7) => 'vm-7'", "'%s' % 'one' => 'one'", "'%s' % ([1, 2],) => '[1, 2]'",
        "'%s' % [1, 2] => '[1, 2]'", "'%(a)s:%(b)03d' % {'a': 'x', 'b': 5} => 'x:005'", "'100%%' % () => '100%'",
        "'%x %X %o %#x %#o' % (255, 255, 8, 255, 8) => 'ff FF 10 0xff 0o10'", "'%5s|%-5s|' % ('ab', 'cd') => '   ab|cd   |'",
        "'%+d % d %05d %-4d|' % (3, 3, -42, 7) => '+3  3 -0042 7   |'", "'%.2s %.3d' % ('abc', 5) => 'ab 005'",
        "'%r %c %c' % ('q', 65, 'z') => \"'q' A z\"", "'%d' % 3.9 => '3'", "'%i %u' % (-2, 3) => '-2 3'",
        "'%.2f %e %E' % (1.005, 1234.5, 0.5) => '1.00 1.234500e+03 5.000000E-01'",
        "'%s' % {'a': 1} => \"{'a': 1}\"", "'%s' % None => 'None'", "'%s %s' % (True, 1.0) => 'True 1.0'"})
    void evaluatesTheClosedArithmetic(String expression, String expected) throws ConfigException {
        assertEquals(expected, repr(expression));
    }

    @Test
    void namesReferToEarlierAssignmentsAndPlusEqualsExtendsListsInPlace() throws ConfigException {
        Map<String, Object> vars = PyConfigParser.parse("""
                base = ['a']
                alias = base
                alias += ('b',)
                alias += 'cd'
                alias += {'e': 1}
                n = 1; n += 2
                s = 'x'; s += 'y'
                t = (1,); t += (2,)
                a = b = [0]
                a += [1]
                """);
        assertEquals("['a', 'b', 'c', 'd', 'e']", PyValues.repr(vars.get("base")));
        assertSame(vars.get("base"), vars.get("alias"));
        assertEquals(3L, vars.get("n"));
        assertEquals("xy", vars.get("s"));
        assertEquals("(1, 2)", PyValues.repr(vars.get("t")));
        assertEquals("[0, 1]", PyValues.repr(vars.get("b")), "a and b are the same list");
        assertEquals(List.of("base", "alias", "n", "s", "t", "a", "b"), List.copyOf(vars.keySet()));
    }

    @Test
    void predefinedVariablesAreVisibleAndListedFirst() throws ConfigException {
        Map<String, Object> vars = PyConfigParser.parse("name = 'vm' + vmid\n", Map.of("vmid", "7"));
        assertEquals("vm7", vars.get("name"));
        assertEquals(List.of("vmid", "name"), List.copyOf(vars.keySet()));
    }

    @Test
    void separatorsCommentsAndLineEndings() throws ConfigException {
        Map<String, Object> vars = PyConfigParser.parse(
                "# comment only\r\na = 1 ; b = 2;\r\n\n   # indented comment\nc = (1 +\n 2)\rd = 'end'");
        assertEquals(Map.of("a", 1L, "b", 2L, "c", 3L, "d", "end"), vars);
        assertEquals(Map.of(), PyConfigParser.parse(""));
        assertEquals(Map.of(), PyConfigParser.parse("\n\n# nothing\n"));
        assertEquals(Map.of("x", 1L), PyConfigParser.parse("x = 1"));
    }

    @Test
    void theWholeGrammarTourReadsAsCPythonReadsIt() throws ConfigException {
        Map<String, Object> vars = PyConfigParser.parse(Fixtures.text("python/expressions.py"));
        assertEquals(5L, vars.get("c"));
        assertEquals("(-4, 1, 3, 4)", PyValues.repr(vars.get("d")));
        assertEquals("00042|ab    |ff|FF|10|0xff|+5|  x|ab|'q'|A", vars.get("fmt3"));
        Map<String, Object> legacy = PyConfigParser.parse(Fixtures.text("python/legacy.py"));
        assertEquals(Map.of("mode", 493L, "big", 10L, "path", "C:\\xen", "empty_octal", 0L), legacy);
    }

    // ---- refusals -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "import os | line 1, column 1: import statements are not allowed: found keyword 'import'",
        "from os import system | line 1, column 1: import statements are not allowed",
        "x = 1\\nx = open('f') | line 2, column 9: function calls are not allowed ('open' is not called): found '('",
        "x = os.path | line 1, column 7: attribute access is not allowed (after 'os'): found '.'",
        "x = 'abc'.upper() | line 1, column 10: attribute access is not allowed",
        "x = [1][0] | line 1, column 8: subscripts are not allowed",
        "x = (1)(2) | line 1, column 8: function calls are not allowed",
        "x[0] = 1 | line 1, column 2: subscripts and item assignment are not allowed",
        "x.y = 1 | line 1, column 2: attribute access is not allowed",
        "f(1) | line 1, column 2: function calls are not allowed",
        "a, b = 1, 2 | line 1, column 2: unpacking assignments",
        "x -= 1 | line 1, column 3: only '=' and '+=' assignments are supported",
        "x += 1 | line 1, column 1: unknown name: only variables assigned earlier in the file can be used: found name 'x'",
        "x = y | line 1, column 5: unknown name",
        "x = lambda: 1 | line 1, column 5: lambda expressions are not allowed",
        "def f(): pass | line 1, column 1: definitions are not allowed",
        "class C: pass | line 1, column 1: definitions are not allowed",
        "for i in (1, 2): x = i | line 1, column 1: loops are not allowed",
        "while 1: pass | line 1, column 1: loops are not allowed",
        "if 1: x = 1 | line 1, column 1: conditionals are not allowed",
        "x = 1 if 1 else 2 | line 1, column 7: conditional expressions are not allowed",
        "x = [1 for i in ()] | line 1, column 8: comprehensions are not allowed",
        "x = 1 and 2 | line 1, column 7: boolean and comparison operators are not supported",
        "x = not 1 | line 1, column 5: boolean and comparison operators are not supported",
        "x = 1 == 1 | line 1, column 7: operator not supported",
        "x = 2 ** 8 | line 1, column 7: operator not supported",
        "x = 1 / 2 | line 1, column 7: true division '/' is not supported (use '//')",
        "x = 1 << 2 | line 1, column 7: operator not supported",
        "x = {1, 2} | line 1, column 7: sets are not supported",
        "x = [*y] | line 1, column 6: unpacking with '*' is not supported",
        "x = (1 := 1) | line 1, column 8: operator not supported",
        "x = f'{y}' | line 1, column 5: f-strings are not allowed",
        "x = b'raw' | line 1, column 5: byte strings",
        "x = `1` | line 1, column 5: unexpected character '`'",
        "x = 1j | line 1, column 5: complex numbers are not supported",
        "x = 08 | line 1, column 5: invalid number 08",
        "x = 12ab | line 1, column 5: invalid number: 12ab",
        "x = 99999999999999999999 | line 1, column 5: integer too large",
        "x = 9223372036854775807 + 1 | line 1, column 25: integer overflow",
        "x = 1 // 0 | line 1, column 7: integer division by zero",
        "x = 1 % 0 | line 1, column 7: integer modulo by zero",
        "x = 'a' * 3 | line 1, column 9: unsupported operand types for *: 'str' and 'int'",
        "x = 'a' + 1 | line 1, column 9: unsupported operand types for +",
        "x = 1.5 + 1 | line 1, column 9: unsupported operand types for +",
        "x = -'a' | line 1, column 5: bad operand type for unary -: 'str'",
        "x = '%d' % 'a' | line 1, column 10: %d format: an integer is required, not str",
        "x = '%s %s' % (1,) | line 1, column 13: not enough arguments for format string",
        "x = '%s' % (1, 2) | line 1, column 10: not all arguments converted",
        "x = '%(k)s' % (1,) | line 1, column 13: format %(k) requires a dict",
        "x = '%(k)s' % {} | line 1, column 13: format key 'k' is not in the dict",
        "x = '%y' % 1 | line 1, column 10: unsupported format character 'y'",
        "x = '%' % () | line 1, column 9: incomplete format",
        "x = '%*d' % (1, 2) | line 1, column 11: '*' width is not supported",
        "x = {[1]: 2} | line 1, column 6: unhashable dict key of type 'list'",
        "x = [1, 2 | line 1, column 10: end of file inside brackets",
        "x = (1, 2] | line 1, column 10: expected ')' to close the '(' at line 1, column 5",
        "x = 'abc\\nmore | line 1, column 5: end of line inside the string opened here",
        "x = '''abc | line 1, column 5: end of file inside the string opened here",
        "x = '\\x4' | line 1, column 6: invalid \\x escape",
        "x = '\\N{NO SUCH NAME}' | line 1, column 6: unknown Unicode character name",
        "`  x = 1` | line 1, column 1: unexpected indentation",
        "x = 1 \\ 2 | line 1, column 7: a backslash outside a string must end the line",
        "x = 1 \\ | line 1, column 7: a backslash outside a string must end the line",
        "x = 1 2 | line 1, column 7: expected an operator or the end of the statement: found number 2",
        "x = | line 1, column 4: expected a value: found end of line",
        "= 1 | line 1, column 1: expected an assignment 'name = value': found '='",
        "True = 1 | line 1, column 1: cannot assign to True",
        "x = 1 = 2 | line 1, column 7: only a name can be assigned to",
        "print 'x' | line 1, column 1: print and exec are not allowed",
        "x = é | line 1, column 5: unexpected character 'é' (names are ASCII)",
        "x = 1 $ | line 1, column 7: unexpected character '$'"})
    void refusesEverythingElseWithLineColumnAndWhatWasFound(String text, String expected) {
        ConfigException error = assertThrows(ConfigException.class,
                () -> PyConfigParser.parse(text.replace("\\n", "\n")));
        assertTrue(error.getMessage().startsWith(expected),
                () -> "expected: " + expected + "\nbut was:  " + error.getMessage());
    }

    @Test
    void aLineContinuationAtTheEndOfTheFileIsRefused() {
        ConfigException error = assertThrows(ConfigException.class, () -> PyConfigParser.parse("x = 1\\\n"));
        assertTrue(error.getMessage().startsWith("line 1, column 6: end of file after a line continuation"),
                error.getMessage());
    }

    @Test
    void aCallIsRefusedBeforeItsNameIsLookedUpOrItsArgumentsRead() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> PyConfigParser.parse("x = undefined_function(also_undefined, 1 / 0)"));
        assertTrue(error.getMessage().startsWith("line 1, column 23: function calls are not allowed"),
                error.getMessage());
    }

    // ---- limits ---------------------------------------------------------------------------------------------

    @Test
    void nestingIsBounded() {
        String deep = "x = " + "[".repeat(PyConfigParser.MAX_DEPTH + 5) + "]".repeat(PyConfigParser.MAX_DEPTH + 5);
        assertTrue(assertThrows(ConfigException.class, () -> PyConfigParser.parse(deep)).getMessage()
                .contains("nested more than"));
        String minus = "x = " + "-".repeat(PyConfigParser.MAX_DEPTH + 5) + "1";
        assertThrows(ConfigException.class, () -> PyConfigParser.parse(minus));
    }

    @Test
    void doublingAStringOrAListCannotExhaustMemory() {
        StringBuilder strings = new StringBuilder("s = 'xxxxxxxxxxxxxxxx'\n");
        StringBuilder lists = new StringBuilder("l = [1, 2, 3, 4]\n");
        for (int i = 0; i < 64; i++) {
            strings.append("s = s + s\n");
            lists.append("l += l\n");
        }
        assertTrue(assertThrows(ConfigException.class, () -> PyConfigParser.parse(strings.toString())).getMessage()
                .contains("value too large"));
        assertTrue(assertThrows(ConfigException.class, () -> PyConfigParser.parse(lists.toString())).getMessage()
                .contains("value too large"));
    }

    @Test
    void manyLargeValuesTogetherAreBounded() {
        StringBuilder text = new StringBuilder("s = 'x' + 'x'\n");
        for (int i = 0; i < 19; i++) {
            text.append("s = s + s\n");
        }
        for (int i = 0; i < 40; i++) {
            text.append("t").append(i).append(" = s + 'y'\n");
        }
        assertTrue(assertThrows(ConfigException.class, () -> PyConfigParser.parse(text.toString())).getMessage()
                .contains("too large"));
    }

    @Test
    void sharingAListExponentiallyIsBoundedWhenItIsShown() {
        StringBuilder text = new StringBuilder("a = [1]\n");
        for (int i = 0; i < 60; i++) {
            text.append("a = [a, a]\n");
        }
        text.append("s = '%s' % (a,)\n");
        assertThrows(ConfigException.class, () -> PyConfigParser.parse(text.toString()));
    }

    @Test
    void aListCannotBeMadeToContainItself() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> PyConfigParser.parse("a = [1]\nb = {'k': [a]}\na += [b]\n"));
        assertTrue(error.getMessage().startsWith("line 3, column 3: a list cannot contain itself"), error.getMessage());
    }

    @Test
    void missingTextIsAConfigError() {
        assertThrows(ConfigException.class, () -> PyConfigParser.parse(null));
    }
}
