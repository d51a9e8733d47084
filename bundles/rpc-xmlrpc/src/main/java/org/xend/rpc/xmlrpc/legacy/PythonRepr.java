package org.xend.rpc.xmlrpc.legacy;

import java.nio.charset.StandardCharsets;

/**
 * Xend sent a top-level string result as {@code repr(s)[1:-1]}, the body of a Python 2 string literal, so that
 * characters XML cannot carry (a log's escape sequences) survive; xm's ServerProxy turns it back into the string.
 * This is that encoding for the UTF-8 bytes of a Java string: the result is printable ASCII.
 */
final class PythonRepr {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonRepr() {
    }

    static String body(String s) {
        // Python quotes with " when the text has a ' and no ", and then leaves the ' alone
        boolean doubleQuoted = s.indexOf('\'') >= 0 && s.indexOf('"') < 0;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\'' -> out.append(doubleQuoted ? "'" : "\\'");
                default -> {
                    if (c < 0x20 || c >= 0x7F) {
                        out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append((char) c);
                    }
                }
            }
        }
        return out.toString();
    }
}
