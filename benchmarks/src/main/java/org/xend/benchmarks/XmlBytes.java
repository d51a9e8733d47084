package org.xend.benchmarks;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level scanning of XML-RPC responses for the parts of the benchmarks that must not build a document per
 * request ({@link XenApiSuccess}, {@link XenApiWire}): a needle search, a match at a position, and skipping layout
 * whitespace.
 */
final class XmlBytes {

    private XmlBytes() {
    }

    /** The first index of {@code needle} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] needle) {
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

    /** True if {@code expected} stands at {@code at}, wholly before {@code to}. */
    static boolean regionEquals(byte[] b, int at, int to, byte[] expected) {
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

    /** The first index from {@code i} that is not XML whitespace, or {@code to}. */
    static int skipBlanks(byte[] b, int i, int to) {
        while (i < to && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
