package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.ConfigException;

class SxpParserTest {

    private static List<Object> all(String text) throws ConfigException {
        return Sxp.parseAll(text);
    }

    private static String errorOf(String text) {
        return assertThrows(ConfigException.class, () -> Sxp.parseAll(text)).getMessage();
    }

    @Test
    void readsNestedListsAndEveryValueAsAString() throws ConfigException {
        Object value = Sxp.parse("(vm (name web) (memory 256) (image (linux (kernel /boot/vmlinuz))) ())");
        assertEquals(List.of("vm", List.of("name", "web"), List.of("memory", "256"),
                List.of("image", List.of("linux", List.of("kernel", "/boot/vmlinuz"))), List.of()), value);
        assertEquals(String.class, ((List<?>) ((List<?>) value).get(2)).get(1).getClass());
    }

    @Test
    void allSixWhitespaceCharactersSeparate() throws ConfigException {
        assertEquals(List.of(List.of("a", "b", "c", "d", "e", "f", "g")), all("(a b\tc\nd\u000be\ff\rg)"));
    }

    @Test
    void parsedListsAreImmutable() throws ConfigException {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) Sxp.parse("(a (b))");
        assertThrows(UnsupportedOperationException.class, () -> list.add("c"));
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) list.get(1);
        assertThrows(UnsupportedOperationException.class, () -> inner.set(0, "x"));
    }

    @Test
    void bothQuoteStylesDelimitStrings() throws ConfigException {
        assertEquals(List.of("it's", "say \"hi\"", "", "a (b) #c"), all("\"it's\" 'say \"hi\"' '' 'a (b) #c'"));
    }

    @Test
    void namedEscapes() throws ConfigException {
        assertEquals(List.of("\u0007\b\t\n\u000b\f\r\\'\""), all("'\\a\\b\\t\\n\\v\\f\\r\\\\\\'\\\"'"));
        assertEquals(List.of("a\"b'c"), all("\"a\\\"b\\'c\""));
    }

    @Test
    void hexEscapesTakeUpToTwoDigitsInEitherCase() throws ConfigException {
        assertEquals(List.of("AJJ\u00ff"), all("'\\x41\\x4a\\x4A\\xfF'"));
        // One digit then a non-digit: the escape ends and the character is read normally.
        assertEquals(List.of("\u0004", "\u0007z"), all("'\\x4' '\\x7z'"));
        assertEquals(List.of("A1"), all("'\\x411'"));
    }

    @Test
    void hexEscapeWithoutDigitsIsAnError() {
        assertTrue(errorOf("'\\xg'").contains("hex escape"));
    }

    @Test
    void octalEscapesTakeUpToThreeDigits() throws ConfigException {
        assertEquals(List.of("A", "\0", "S4", "\u0001x", "\u00ff"), all("'\\101' '\\0' '\\1234' '\\1x' '\\377'"));
    }

    @Test
    void octalEscapeAboveFfIsAnError() {
        String message = errorOf("(a\n 'x\\400')");
        assertTrue(message.contains("out of range \\400"), message);
        assertTrue(message.contains("line 2"), message);
    }

    @Test
    void unknownEscapeKeepsTheBackslashAndDropsTheNextCharacter() throws ConfigException {
        assertEquals(List.of("a\\b"), all("'a\\qb'"));
        assertEquals(List.of("x\\y"), all("'x\\8y'"));
        // The escape swallows 'z'; the quote after it closes the string.
        assertEquals(List.of("ab\\", "c"), all("'ab\\z' c"));
    }

    @Test
    void commentsRunToTheEndOfTheLineOutsideStrings() throws ConfigException {
        assertEquals(List.of(List.of("a", "b", "c#d")), all("# header\n(a # note ) (\n b 'c#d') # trailing"));
        assertEquals(List.of("x", List.of("y")), all("x#comment\n(y)"));
        assertEquals(List.of(), all("   # nothing but a comment"));
    }

    @Test
    void atomsEndAtSeparatorsButMayStartWithOne() throws ConfigException {
        assertEquals(List.of("a", List.of("b"), "c"), all("a(b)c"));
        assertEquals(List.of("x", "!y"), all("x!y"));
        assertEquals(List.of("[a", "]"), all("[a]"));
        assertEquals(List.of("{", ";", "<"), all("{ ; <"));
        assertEquals(List.of("k", "<v", ">"), all("k<v>"));
    }

    @Test
    void quotesInsideAnAtomAreOrdinaryCharacters() throws ConfigException {
        assertEquals(List.of("it's", "a\"b"), all("it's a\"b"));
    }

    @Test
    void nonAsciiInsideAtomsAndStringsIsKept() throws ConfigException {
        assertEquals(List.of("caf\u00e9", "\u4e2d\u6587 \ud83d\ude00"), all("caf\u00e9 '\u4e2d\u6587 \ud83d\ude00'"));
    }

    @Test
    void attributeFormIsAnOrdinaryList() throws ConfigException {
        Object vm = Sxp.parse("(vm (@ (id 3) (kind pv)) (name x) (name y))");
        assertEquals(List.of("vm", List.of("@", List.of("id", "3"), List.of("kind", "pv")), List.of("name", "x"),
                List.of("name", "y")), vm);
        assertEquals("3", Sxp.attribute(vm, "id"));
        assertEquals("x", Sxp.childValue(vm, "name"));
        assertEquals(2, Sxp.children(vm).size());
    }

    @Test
    void endOfTransmissionEndsTheInputOutsideAValue() throws ConfigException {
        assertEquals(List.of(List.of("a")), all("(a)\u0004(b)"));
        assertEquals(List.of("x\u0004y"), all("'x\u0004y'"));
        assertTrue(errorOf("(a \u0004 b)").contains("not closed"));
    }

    @Test
    void closingParenthesisWithoutOpeningNamesItsPosition() {
        String message = errorOf("(a b)\n  )");
        assertTrue(message.contains("line 2, column 3"), message);
    }

    @Test
    void unclosedListAndStringNameWhereTheyOpened() {
        String list = errorOf("(domain\n  (name x)\n  (image (linux)");
        assertTrue(list.contains("opened at line 3, column 3"), list);
        String string = errorOf("(name\n 'abc");
        assertTrue(string.contains("string opened at line 2, column 2"), string);
        assertTrue(errorOf("'abc\\").contains("not closed"));
    }

    @Test
    void controlAndNonAsciiCharactersCannotStartAValue() {
        String control = errorOf("(a\n  \u0001)");
        assertTrue(control.contains("invalid character: code 1"), control);
        assertTrue(control.contains("line 2, column 3"), control);
        assertTrue(errorOf("\u00e9t\u00e9").contains("code 233"));
    }

    @Test
    void parseWantsExactlyOneValue() throws ConfigException {
        assertThrows(ConfigException.class, () -> Sxp.parse(""));
        assertThrows(ConfigException.class, () -> Sxp.parse("(a) (b)"));
        assertEquals("x", Sxp.parse("  x  # c"));
        assertEquals(List.of(List.of("a"), List.of("b"), "c"), all("(a)(b) c"));
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        String deep = "(".repeat(100_000) + ")".repeat(100_000);
        assertTrue(errorOf(deep).contains("nested deeper"));
    }
}
