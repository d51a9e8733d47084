package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xend.config.sxp.SxpConfigFormat;

/** Nested arrays to SXP text and back, and the small encoders next to them. */
class SxpTextTest {

    @Test
    void printsNestedArraysAsXendPrintedThem() {
        Object sxp = new Object[] {"vm", new Object[] {"name", "web-1"}, new Object[] {"memory", 128},
            List.of("cpu_time", 1.5), new Object[] {"args", "root=/dev/xvda1 ro"}, new Object[] {"empty", ""},
            new Object[] {"flag", true}, new Object[] {"path", "/boot/vmlinuz-2.6.18.8-xen~1:x"}};
        assertEquals("(vm (name web-1) (memory 128) (cpu_time 1.5) (args 'root=/dev/xvda1 ro') (empty '') (flag 1) "
                + "(path /boot/vmlinuz-2.6.18.8-xen~1:x))", SxpText.print(sxp));
    }

    @Test
    void quotesAndEscapesWhatIsNotBare() {
        assertEquals("'it\\'s'", SxpText.print("it's"));
        assertEquals("'a\\\\b'", SxpText.print("a\\b"));
        assertEquals("'l1\\nl2\\tx\\r'", SxpText.print("l1\nl2\tx\r"));
        assertEquals("'bell\\007'", SxpText.print("bell\u0007"));
        assertEquals("'caf\u00e9'", SxpText.print("caf\u00e9"));
        for (String s : List.of("it's", "a\\b", "l1\nl2\tx\r", "bell\u0007", "caf\u00e9", "(not a list)", "#x",
                "say \"hi\"")) {
            assertEquals(s, SxpText.parse(SxpText.print(s)), s);
        }
    }

    @Test
    void parsesXendsGrammar() {
        Object parsed = SxpText.parse("# a comment\n(domain (name \"x y\") (k 'v\\x41\\101\\q') (n 12)\n"
                + "  (image (linux (kernel /k))) # trailing\n)");
        assertEquals(List.of("domain", List.of("name", "x y"), List.of("k", "vAA\\"), List.of("n", "12"),
                List.of("image", List.of("linux", List.of("kernel", "/k")))), parsed);
        assertEquals(List.of(), SxpText.parse("()"));
        assertEquals("atom", SxpText.parse("  atom  "));
    }

    @Test
    void refusesWhatIsNotOneSxpValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SxpText.parse("(a (b)"))
                .getMessage().contains("not closed"));
        assertThrows(IllegalArgumentException.class, () -> SxpText.parse("(a) (b)"));
        assertThrows(IllegalArgumentException.class, () -> SxpText.parse(")"));
        assertThrows(IllegalArgumentException.class, () -> SxpText.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> SxpText.parse("('open"));
        assertEquals("an SXP value is a string, a number or a list, not a struct",
                assertThrows(IllegalArgumentException.class, () -> SxpText.print(List.of("a", Map.of())))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> SxpText.print(List.of("a", Double.NaN)));
        Object deep = "leaf";
        for (int i = 0; i < SxpText.MAX_DEPTH + 2; i++) {
            deep = new Object[] {"n", deep};
        }
        Object tooDeep = deep;
        assertThrows(IllegalArgumentException.class, () -> SxpText.print(tooDeep));
        assertThrows(IllegalArgumentException.class, () -> SxpText.parse("(".repeat(SxpText.MAX_DEPTH + 1)));
    }

    @Test
    void theSxpFormatReadsWhatIsPrintedAndItsOutputParsesBack() throws Exception {
        SxpConfigFormat format = new SxpConfigFormat();
        Object vm = new Object[] {"vm", new Object[] {"name", "quote's"}, new Object[] {"memory", 96},
            new Object[] {"image", new Object[] {"linux", new Object[] {"kernel", "/k"},
                new Object[] {"args", "console=hvc0 x=\u00e9\t"}}}};
        var config = format.read(SxpText.print(vm));
        assertEquals("quote's", config.fields().get("name_label"));
        assertEquals("console=hvc0 x=\u00e9\t", config.fields().get("PV_args"));
        Object written = SxpText.parse(format.write(config));
        assertEquals("domain", ((List<?>) written).get(0));
        assertTrue(((List<?>) written).contains(List.of("name", "quote's")), written.toString());
        assertTrue(((List<?>) written).contains(List.of("memory", "96")), written.toString());
    }

    @Test
    void pythonReprBodyLikePython2() {
        assertEquals("plain text", PythonRepr.body("plain text"));
        assertEquals("it's", PythonRepr.body("it's"), "Python switches to double quotes");
        assertEquals("it\\'s \"q\"", PythonRepr.body("it's \"q\""));
        assertEquals("a\\\\b\\n\\t\\r\\x00\\x7f", PythonRepr.body("a\\b\n\t\r\u0000\u007f"));
        assertEquals("\\xc3\\xa9\\xe2\\x82\\xac", PythonRepr.body("\u00e9\u20ac"), "UTF-8 bytes, as a Python 2 str");
    }

    @Test
    void machineNamesAsUnameGivesThem() {
        assertEquals("x86_64", NodeInfo.machine("amd64"));
        assertEquals("aarch64", NodeInfo.machine("arm64"));
        assertEquals("ppc64le", NodeInfo.machine("ppc64le"));
    }
}
