package org.xend.benchmarks;

import static org.xend.benchmarks.XmlBytes.ascii;
import static org.xend.benchmarks.XmlBytes.indexOf;
import static org.xend.benchmarks.XmlBytes.regionEquals;
import static org.xend.benchmarks.XmlBytes.skipBlanks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Just enough XML-RPC for a load generator that makes Xen API calls: it encodes a compact {@code methodCall} (with
 * {@link XmlRpcValues}' encoder; Xen API integers travel as strings), and reads back the two things a lifecycle
 * loop needs from a response without building a document: the string {@code Value} of a success (a ref) and the
 * {@code ErrorDescription} of a failure. Responses are accepted in the daemon's compact form
 * ({@code <value>x</value>}) and in Python's ({@code <value><string>x</string></value>} with newlines).
 */
public final class XenApiWire {

    private static final byte[] VALUE_NAME = ascii("<name>Value</name>");
    private static final byte[] ERROR_NAME = ascii("<name>ErrorDescription</name>");
    private static final byte[] VALUE_OPEN = ascii("<value>");
    private static final byte[] VALUE_CLOSE = ascii("</value>");
    private static final byte[] STRING_OPEN = ascii("<string>");
    private static final byte[] STRING_CLOSE = ascii("</string>");
    private static final byte[] DATA_CLOSE = ascii("</data>");
    private static final byte[] TAG_OPEN = ascii("<");

    private XenApiWire() {
    }

    /** The UTF-8 body of {@code methodCall(method, params...)}, compact; see {@link XmlRpcValues#methodCall}. */
    public static byte[] methodCall(String method, Object... params) {
        return XmlRpcValues.methodCall(XmlRpcValues.Layout.COMPACT, method, params);
    }

    /**
     * The {@code Value} member of a Xen API response in {@code b[from, to)} when it is a string, unescaped;
     * null when there is none or it is not a string.
     */
    public static String stringValue(byte[] b, int from, int to) {
        int i = indexOf(b, from, to, VALUE_NAME);
        if (i < 0) {
            return null;
        }
        i = skipBlanks(b, i + VALUE_NAME.length, to);
        if (!regionEquals(b, i, to, VALUE_OPEN)) {
            return null;
        }
        int content = i + VALUE_OPEN.length;
        int typed = skipBlanks(b, content, to);
        if (regionEquals(b, typed, to, STRING_OPEN)) {
            int start = typed + STRING_OPEN.length;
            int end = indexOf(b, start, to, STRING_CLOSE);
            return end < 0 ? null : unescape(b, start, end);
        }
        int end = indexOf(b, content, to, VALUE_CLOSE);
        if (end < 0 || indexOf(b, content, end, TAG_OPEN) >= 0) {
            return null; // unterminated, or a typed value other than a string
        }
        return unescape(b, content, end);
    }

    /**
     * The strings of a failure's {@code ErrorDescription} (code first, then its parameters), or an empty list when
     * the response carries none.
     */
    public static List<String> errorDescription(byte[] b, int from, int to) {
        List<String> out = new ArrayList<>();
        int i = indexOf(b, from, to, ERROR_NAME);
        if (i < 0) {
            return out;
        }
        int end = indexOf(b, i, to, DATA_CLOSE);
        if (end < 0) {
            end = to;
        }
        // every run of text between tags inside the array is one string; blanks between tags are layout
        int text = -1;
        for (int k = i + ERROR_NAME.length; k < end; k++) {
            if (b[k] == '<') {
                if (text >= 0) {
                    String s = unescape(b, text, k);
                    if (!s.isBlank()) {
                        out.add(s);
                    }
                    text = -1;
                }
                while (k < end && b[k] != '>') {
                    k++;
                }
            } else if (text < 0) {
                text = k;
            }
        }
        return out;
    }

    static String unescape(byte[] b, int from, int to) {
        String s = new String(b, from, to - from, StandardCharsets.UTF_8);
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            sb.append(s, i, amp);
            int semi = s.indexOf(';', amp);
            if (semi < 0) {
                throw new IllegalArgumentException("an unterminated character reference in " + s);
            }
            String entity = s.substring(amp + 1, semi);
            switch (entity) {
                case "lt" -> sb.append('<');
                case "gt" -> sb.append('>');
                case "amp" -> sb.append('&');
                case "quot" -> sb.append('"');
                case "apos" -> sb.append('\'');
                default -> {
                    if (!entity.startsWith("#") || entity.length() < 2) {
                        throw new IllegalArgumentException("an unknown entity &" + entity + "; in " + s);
                    }
                    boolean hex = entity.charAt(1) == 'x' || entity.charAt(1) == 'X';
                    sb.appendCodePoint(Integer.parseInt(entity.substring(hex ? 2 : 1), hex ? 16 : 10));
                }
            }
            i = semi + 1;
            amp = s.indexOf('&', i);
        }
        return sb.append(s, i, s.length()).toString();
    }
}
