package org.xend.core;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

/**
 * Writes a wire value as an XML-RPC {@code <value>} fragment, which is how XAPI stores a non-string result in
 * {@code task.result}; clients hand it to their XML-RPC parser.
 */
final class XmlRpcValueText {
    private XmlRpcValueText() {
    }

    static String of(Object value) {
        StringBuilder sb = new StringBuilder();
        append(sb, value);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v) {
        sb.append("<value>");
        if (v instanceof String s) {
            escape(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append("<boolean>").append(b ? '1' : '0').append("</boolean>");
        } else if (v instanceof Double d) {
            sb.append("<double>").append(d).append("</double>");
        } else if (v instanceof Integer i) {
            sb.append("<int>").append(i).append("</int>");
        } else if (v instanceof Date d) {
            SimpleDateFormat f = new SimpleDateFormat("yyyyMMdd'T'HH:mm:ss");
            f.setTimeZone(TimeZone.getTimeZone("UTC"));
            sb.append("<dateTime.iso8601>").append(f.format(d)).append("</dateTime.iso8601>");
        } else if (v instanceof List<?> list) {
            sb.append("<array><data>");
            for (Object o : list) {
                append(sb, o);
            }
            sb.append("</data></array>");
        } else if (v instanceof Map<?, ?> map) {
            sb.append("<struct>");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append("<member><name>");
                escape(sb, String.valueOf(e.getKey()));
                sb.append("</name>");
                append(sb, e.getValue());
                sb.append("</member>");
            }
            sb.append("</struct>");
        } else {
            escape(sb, String.valueOf(v));
        }
        sb.append("</value>");
    }

    private static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                default -> sb.append(c);
            }
        }
    }
}
