package org.xend.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * XML-RPC for the benchmark clients, JDK only: encodes a {@code methodCall} as Python's {@code xmlrpc.client} does
 * (strings in {@code <string>}), and decodes a {@code methodResponse} into plain Java values: {@code String} (also
 * for untyped values, {@code dateTime.iso8601} and {@code base64}, kept as their text), {@code Boolean},
 * {@code Integer}, {@code Long} ({@code i8}), {@code Double}, {@code List} and {@code Map} (member order kept).
 * The reader refuses DTDs and external entities.
 */
public final class XmlRpcValues {

    private static final XMLInputFactory XML = hardenedFactory();

    /** How an encoded {@code methodCall} is laid out; the values are the same in both. */
    enum Layout {
        /** As Python's {@code xmlrpc.client} writes it: a newline after most tags. */
        PYTHON("<?xml version='1.0'?>\n", "\n"),
        /** No layout whitespace at all, the fewest bytes for a load generator to send. */
        COMPACT("<?xml version=\"1.0\"?>\n", "");

        private final String declaration;
        private final String newline;

        Layout(String declaration, String newline) {
            this.declaration = declaration;
            this.newline = newline;
        }
    }

    private XmlRpcValues() {
    }

    /** The UTF-8 body of {@code methodCall(method, params...)}; params are strings, booleans, doubles, lists, maps. */
    public static byte[] methodCall(String method, Object... params) {
        return methodCall(Layout.PYTHON, method, params);
    }

    /** {@link #methodCall(String, Object...)} laid out as {@code layout} says. */
    static byte[] methodCall(Layout layout, String method, Object... params) {
        String nl = layout.newline;
        StringBuilder sb = new StringBuilder(256);
        sb.append(layout.declaration).append("<methodCall>").append(nl).append("<methodName>");
        escape(method, sb);
        sb.append("</methodName>").append(nl).append("<params>").append(nl);
        for (Object p : params) {
            sb.append("<param>").append(nl);
            encode(p, nl, sb);
            sb.append("</param>").append(nl);
        }
        sb.append("</params>").append(nl).append("</methodCall>").append(nl);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void encode(Object v, String nl, StringBuilder sb) {
        sb.append("<value>");
        if (v instanceof String s) {
            sb.append("<string>");
            escape(s, sb);
            sb.append("</string>");
        } else if (v instanceof Boolean b) {
            sb.append("<boolean>").append(b ? '1' : '0').append("</boolean>");
        } else if (v instanceof Double d) {
            sb.append("<double>").append(d).append("</double>");
        } else if (v instanceof List<?> list) {
            sb.append("<array><data>").append(nl);
            for (Object o : list) {
                encode(o, nl, sb);
            }
            sb.append("</data></array>");
        } else if (v instanceof Map<?, ?> map) {
            sb.append("<struct>").append(nl);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("struct keys must be strings, not " + e.getKey());
                }
                sb.append("<member>").append(nl).append("<name>");
                escape(key, sb);
                sb.append("</name>").append(nl);
                encode(e.getValue(), nl, sb);
                sb.append("</member>").append(nl);
            }
            sb.append("</struct>");
        } else {
            throw new IllegalArgumentException("cannot encode " + (v == null ? "null" : v.getClass().getName()));
        }
        sb.append("</value>").append(nl);
    }

    private static void escape(String s, StringBuilder sb) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                default -> {
                    if (c < ' ' && c != '\n' && c != '\r' && c != '\t') {
                        throw new IllegalArgumentException("control character " + (int) c + " cannot travel in XML");
                    }
                    sb.append(c);
                }
            }
        }
    }

    /** The value of a {@code methodResponse}'s single param; a {@code <fault>} is an {@link IOException}. */
    public static Object parseResponse(byte[] b, int offset, int length) throws IOException {
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(b, offset, length));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.START_ELEMENT) {
                        switch (r.getLocalName()) {
                            case "value" -> {
                                return readValue(r);
                            }
                            case "fault" -> throw new IOException("XML-RPC fault: " + describeFault(r));
                            default -> {
                                // methodResponse, params, param: descend
                            }
                        }
                    }
                }
                throw new IOException("a methodResponse without a value");
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new IOException("malformed XML-RPC response: " + e.getMessage(), e);
        }
    }

    private static String describeFault(XMLStreamReader r) throws XMLStreamException, IOException {
        while (r.hasNext()) {
            if (r.next() == XMLStreamConstants.START_ELEMENT && "value".equals(r.getLocalName())) {
                return String.valueOf(readValue(r));
            }
        }
        return "(no detail)";
    }

    /** Reads the value whose {@code <value>} start tag is the current event; ends on its end tag. */
    private static Object readValue(XMLStreamReader r) throws XMLStreamException, IOException {
        StringBuilder text = new StringBuilder();
        Object typed = null;
        boolean hasType = false;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(r.getText());
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                hasType = true;
                typed = readTyped(r);
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                return hasType ? typed : text.toString();
            }
        }
        throw new IOException("unterminated <value>");
    }

    private static Object readTyped(XMLStreamReader r) throws XMLStreamException, IOException {
        String type = r.getLocalName();
        return switch (type) {
            case "string", "dateTime.iso8601", "base64" -> r.getElementText();
            case "boolean" -> "1".equals(r.getElementText().trim());
            case "int", "i4" -> Integer.parseInt(r.getElementText().trim());
            case "i8" -> Long.parseLong(r.getElementText().trim());
            case "double" -> Double.parseDouble(r.getElementText().trim());
            case "nil" -> {
                r.nextTag();
                yield null;
            }
            case "array" -> readArray(r);
            case "struct" -> readStruct(r);
            default -> throw new IOException("unknown XML-RPC type <" + type + ">");
        };
    }

    private static List<Object> readArray(XMLStreamReader r) throws XMLStreamException, IOException {
        List<Object> out = new ArrayList<>();
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT && "value".equals(r.getLocalName())) {
                out.add(readValue(r));
            } else if (event == XMLStreamConstants.END_ELEMENT && "array".equals(r.getLocalName())) {
                return out;
            }
        }
        throw new IOException("unterminated <array>");
    }

    private static Map<String, Object> readStruct(XMLStreamReader r) throws XMLStreamException, IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        String name = null;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if ("name".equals(r.getLocalName())) {
                    name = r.getElementText();
                } else if ("value".equals(r.getLocalName())) {
                    if (name == null) {
                        throw new IOException("a struct member without a name");
                    }
                    out.put(name, readValue(r));
                    name = null;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT && "struct".equals(r.getLocalName())) {
                return out;
            }
        }
        throw new IOException("unterminated <struct>");
    }

    private static XMLInputFactory hardenedFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }
}
