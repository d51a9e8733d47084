package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.ConfigException;

/** parse(print(x)) equals x, for the one-line and the pretty printer, over random values with a fixed seed. */
class SxpRoundTripTest {

    private static final int CASES = 5000;

    /** Characters that stress the printer: quotes, escapes, separators, whitespace, comments, controls. */
    private static final String TRICKY = "'\"\\()[]{}<>!;#@ \t\n\r\u000b\f\u0000\u0001\u0004\u001b\u007f,=$%&*+?^`|";

    private final Random random = new Random(20070508L);

    @Test
    void onePrinterAndPrettyPrinterReadBackEqual() throws ConfigException {
        for (int i = 0; i < CASES; i++) {
            Object value = randomValue(0);
            String printed = Sxp.print(value);
            assertEquals(value, Sxp.parse(printed), () -> "print: " + printed);
            String pretty = Sxp.prettyPrint(value);
            assertEquals(value, Sxp.parse(pretty), () -> "pretty: " + pretty);
            int width = 1 + random.nextInt(40);
            String narrow = Sxp.prettyPrint(value, width);
            assertEquals(value, Sxp.parse(narrow), () -> "pretty at " + width + ": " + narrow);
        }
    }

    @Test
    void severalTopLevelValuesReadBackInOrder() throws ConfigException {
        for (int i = 0; i < CASES / 10; i++) {
            List<Object> values = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(5); n > 0; n--) {
                Object value = randomValue(1);
                values.add(value);
                text.append(random.nextBoolean() ? Sxp.print(value) + " " : Sxp.prettyPrint(value));
            }
            assertEquals(values, Sxp.parseAll(text.toString()), text::toString);
        }
    }

    private Object randomValue(int depth) {
        if (depth >= 4 || random.nextInt(3) == 0) {
            return randomAtom();
        }
        List<Object> items = new ArrayList<>();
        for (int n = random.nextInt(6); n > 0; n--) {
            items.add(randomValue(depth + 1));
        }
        return Sxp.listOf(items);
    }

    private String randomAtom() {
        switch (random.nextInt(8)) {
            case 0:
                return "";
            case 1:
                return "@";
            default:
                break;
        }
        StringBuilder atom = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(6)) {
                case 0, 1 -> atom.append((char) ('a' + random.nextInt(26)));
                case 2 -> atom.append("0123456789.-_:/~".charAt(random.nextInt(16)));
                case 3 -> atom.append(TRICKY.charAt(random.nextInt(TRICKY.length())));
                case 4 -> atom.append((char) random.nextInt(0x20));
                default -> atom.appendCodePoint(randomNonAscii());
            }
        }
        return atom.toString();
    }

    /** Latin-1, other BMP scripts and supplementary characters (no lone surrogates). */
    private int randomNonAscii() {
        switch (random.nextInt(3)) {
            case 0:
                return 0x80 + random.nextInt(0x80);
            case 1:
                int c;
                do {
                    c = 0x100 + random.nextInt(0xfffe - 0x100);
                } while (Character.isSurrogate((char) c));
                return c;
            default:
                return 0x10000 + random.nextInt(0x10ffff - 0x10000);
        }
    }
}
