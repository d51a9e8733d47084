package org.xend.benchmarks;

import static org.xend.benchmarks.XmlBytes.ascii;
import static org.xend.benchmarks.XmlBytes.indexOf;
import static org.xend.benchmarks.XmlBytes.regionEquals;
import static org.xend.benchmarks.XmlBytes.skipBlanks;

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
}
