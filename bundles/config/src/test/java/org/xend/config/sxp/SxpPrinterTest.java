package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.ConfigException;

class SxpPrinterTest {

    @Test
    void onlyLettersDigitsAndDotDashUnderscoreColonSlashTildeAreBare() {
        assertEquals("abc", Sxp.print("abc"));
        assertEquals("Az09.-_:/~", Sxp.print("Az09.-_:/~"));
        assertEquals("phy:/dev/vg0/web-01", Sxp.print("phy:/dev/vg0/web-01"));
        assertEquals("'a b'", Sxp.print("a b"));
        assertEquals("'#'", Sxp.print("#"));
        assertEquals("'('", Sxp.print("("));
        assertEquals("'a,b'", Sxp.print("a,b"));
        assertEquals("'x=1'", Sxp.print("x=1"));
    }

    @Test
    void emptyStringIsQuotedSoItSurvives() {
        assertEquals("''", Sxp.print(""));
        assertEquals("(bootloader '')", Sxp.print(List.of("bootloader", "")));
    }

    @Test
    void attributeMarkerIsBareAsXendWritesIt() {
        assertEquals("(vm (@ (id 1)))", Sxp.print(Sxp.list("vm", Sxp.list("@", Sxp.list("id", "1")))));
    }

    @Test
    void quotesLikePythonRepr() {
        assertEquals("\"it's\"", Sxp.print("it's"));
        assertEquals("'say \"hi\"'", Sxp.print("say \"hi\""));
        assertEquals("'it\\'s \"x\"'", Sxp.print("it's \"x\""));
        assertEquals("'a\\\\b'", Sxp.print("a\\b"));
    }

    @Test
    void controlCharactersAreEscapedAndNonAsciiIsKept() {
        assertEquals("'a\\tb\\nc\\rd'", Sxp.print("a\tb\nc\rd"));
        assertEquals("'\\000\\001\\004\\033\\177'", Sxp.print("\0\u0001\u0004\u001b\u007f"));
        // Octal escapes are always three digits, so a following digit cannot extend them.
        assertEquals("'\\0011'", Sxp.print("\u00011"));
        assertEquals("'caf\u00e9 \ud83d\ude00'", Sxp.print("caf\u00e9 \ud83d\ude00"));
    }

    @Test
    void listsAreSpaceSeparated() {
        assertEquals("(a (b c) () 'd e')", Sxp.print(Sxp.list("a", Sxp.list("b", "c"), Sxp.list(), "d e")));
        assertEquals("()", Sxp.print(List.of()));
    }

    @Test
    void prettyPrintLaysOutLikeXendConfigSxp() throws ConfigException {
        Object domain = Sxp.parse("(domain (name_label web) (platform ((acpi 1) (vnc 1)))"
                + " (image (linux (kernel /boot/vmlinuz-2.6.18-xen)"
                + " (args 'root=/dev/xvda1 ro console=xvc0 xencons=tty')))"
                + " (device (vkbd (uuid 80910213-2435-4d6e-bf70-819203142536))) (other_config ()))");
        String expected = """
                (domain
                    (name_label web)
                    (platform ((acpi 1) (vnc 1)))
                    (image
                        (linux
                            (kernel /boot/vmlinuz-2.6.18-xen)
                            (args 'root=/dev/xvda1 ro console=xvc0 xencons=tty')
                        )
                    )
                    (device (vkbd (uuid 80910213-2435-4d6e-bf70-819203142536)))
                    (other_config ())
                )
                """;
        assertEquals(expected, Sxp.prettyPrint(domain, 78));
    }

    @Test
    void prettyPrintBreaksAListThatStartsWithAList() throws ConfigException {
        Object value = Sxp.parse("(((alpha beta gamma) delta) (epsilon zeta) eta)");
        String expected = """
                (((alpha beta gamma)
                     delta
                 )
                    (epsilon zeta)
                    eta
                )
                """;
        assertEquals(expected, Sxp.prettyPrint(value, 20));
    }

    @Test
    void prettyPrintKeepsWhatFitsOnOneLine() {
        assertEquals("(a (b c))\n", Sxp.prettyPrint(Sxp.list("a", Sxp.list("b", "c"))));
        assertEquals("'x y'\n", Sxp.prettyPrint("x y"));
        // Exactly the width fits; one more column breaks.
        Object tenWide = Sxp.list("abc", "defg");
        assertEquals("(abc defg)\n", Sxp.prettyPrint(tenWide, 10));
        assertEquals("(abc\n    defg\n)\n", Sxp.prettyPrint(tenWide, 9));
    }

    @Test
    void refusesValuesOutsideTheModel() {
        assertThrows(IllegalArgumentException.class, () -> Sxp.print(List.of("memory", 256)));
        assertThrows(IllegalArgumentException.class, () -> Sxp.prettyPrint(List.of(List.of(1.5))));
        assertThrows(IllegalArgumentException.class, () -> Sxp.list("a", 1));
    }
}
