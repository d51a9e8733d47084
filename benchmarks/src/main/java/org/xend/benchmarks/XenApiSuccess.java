package org.xend.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Recognises a successful Xen API answer in raw XML-RPC bytes without parsing the document: the struct member
 * {@code <name>Status</name>} followed by the value {@code Success}, written either as {@code <value>Success</value>}
 * (our daemon) or as {@code <value><string>Success</string></value>} with whitespace in between (Python's
 * {@code xmlrpc} module).
 */
public final class XenApiSuccess {

    private static final byte[] STATUS_NAME = ascii("<name>Status</name>");
    private static final byte[] VALUE_OPEN = ascii("<value>");
    private static final byte[] STRING_OPEN = ascii("<string>");
    private static final byte[] SUCCESS = ascii("Success<");

    private XenApiSuccess() {
    }

    /** True if {@code b[from, to)} holds a {@code Status: Success} member. */
    public static boolean in(byte[] b, int from, int to) {
        int i = indexOf(b, from, to, STATUS_NAME);
        if (i < 0) {
            return false;
        }
        i = skipBlanks(b, i + STATUS_NAME.length, to);
        if (!regionEquals(b, i, to, VALUE_OPEN)) {
            return false;
        }
        i = skipBlanks(b, i + VALUE_OPEN.length, to);
        if (regionEquals(b, i, to, STRING_OPEN)) {
            i += STRING_OPEN.length;
        }
        return regionEquals(b, i, to, SUCCESS);
    }

    public static boolean in(byte[] b) {
        return in(b, 0, b.length);
    }

    private static int indexOf(byte[] b, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean regionEquals(byte[] b, int at, int to, byte[] expected) {
        if (at + expected.length > to) {
            return false;
        }
        for (int j = 0; j < expected.length; j++) {
            if (b[at + j] != expected[j]) {
                return false;
            }
        }
        return true;
    }

    private static int skipBlanks(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
