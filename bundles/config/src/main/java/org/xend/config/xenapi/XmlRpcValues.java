package org.xend.config.xenapi;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.xend.api.spi.config.ConfigException;

/**
 * The text form of an XML-RPC value, as a Xen API client sends a record: {@code <struct>} (or a
 * {@code <value>} holding one), with the types of the XML-RPC spec and the common {@code <i8>} and
 * {@code <nil/>} extensions. Read with DTDs and external entities off and the nesting bounded. Values read
 * are String, Long (every int type), Boolean, Double, {@code Map<String,Object>} (in member order),
 * {@code List<Object>} and null (nil); dateTime and base64 stay as their text.
 */
final class XmlRpcValues {

    static final int MAX_DEPTH = 64;

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private final XMLStreamReader xml;

    private XmlRpcValues(XMLStreamReader xml) {
        this.xml = xml;
    }

    /** The struct of the text: a {@code <struct>} element, or a {@code <value>} holding one. */
    static Map<String, Object> parseStruct(String text) throws ConfigException {
        Object value = parse(text);
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException("XML-RPC: expected a <struct>, got " + describe(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> struct = (Map<String, Object>) value;
        return struct;
    }

    /** The value of the text: a {@code <value>} element, or a bare type element such as {@code <struct>}. */
    static Object parse(String text) throws ConfigException {
        if (text == null) {
            throw new ConfigException("XML-RPC: no text");
        }
        XMLStreamReader xml = null;
        try {
            // StAX does not promise that a factory is thread-safe; the readers it makes are used by one thread.
            synchronized (FACTORY) {
                xml = FACTORY.createXMLStreamReader(new StringReader(text));
            }
            XmlRpcValues reader = new XmlRpcValues(xml);
            reader.nextElement();
            Object value = xml.getLocalName().equals("value") ? reader.value(0) : reader.typed(0);
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT
                        || event == XMLStreamConstants.CHARACTERS && !xml.isWhiteSpace()) {
                    throw reader.error("content after the value");
                }
            }
            return value;
        } catch (XMLStreamException malformed) {
            Location at = malformed.getLocation();
            throw new ConfigException("XML-RPC: " + (at == null ? "" : "line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber() + ": ") + "not well-formed XML: " + firstLine(malformed.getMessage()));
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // Closing a reader over a string releases nothing.
                }
            }
        }
    }

    /** At a {@code <value>} start: its typed content, or its text for a value without a type element. */
    private Object value(int depth) throws XMLStreamException, ConfigException {
        checkDepth(depth);
        StringBuilder text = new StringBuilder();
        Object typed = null;
        boolean hasType = false;
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        text.append(xml.getText());
                case XMLStreamConstants.START_ELEMENT -> {
                    if (hasType) {
                        throw error("a <value> holds one type element");
                    }
                    hasType = true;
                    typed = typed(depth + 1);
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (!hasType) {
                        return text.toString();
                    }
                    if (!text.toString().isBlank()) {
                        throw error("text beside the type element of a <value>");
                    }
                    return typed;
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                    // Not part of the value.
                }
                default -> throw error("unexpected XML in a <value>");
            }
        }
    }

    /** At a type element's start ({@code <string>}, {@code <struct>} …): the value, ending after its end tag. */
    private Object typed(int depth) throws XMLStreamException, ConfigException {
        checkDepth(depth);
        String type = xml.getLocalName();
        switch (type) {
            case "string", "dateTime.iso8601", "base64":
                return xml.getElementText();
            case "int", "i4", "i8": {
                String digits = xml.getElementText().strip();
                try {
                    return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
                } catch (NumberFormatException notAnInt) {
                    throw error("<" + type + "> is not an integer: '" + cut(digits) + "'");
                }
            }
            case "boolean": {
                String bit = xml.getElementText().strip();
                if (bit.equals("1") || bit.equals("0")) {
                    return bit.equals("1");
                }
                throw error("<boolean> must be 0 or 1: '" + cut(bit) + "'");
            }
            case "double": {
                String number = xml.getElementText().strip();
                try {
                    if (!number.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                        throw new NumberFormatException(number);
                    }
                    return Double.parseDouble(number);
                } catch (NumberFormatException notANumber) {
                    throw error("<double> is not a number: '" + cut(number) + "'");
                }
            }
            case "nil":
                skipToEnd();
                return null;
            case "struct":
                return struct(depth);
            case "array":
                return array(depth);
            default:
                throw error("unknown XML-RPC type <" + cut(type) + ">");
        }
    }

    private Map<String, Object> struct(int depth) throws XMLStreamException, ConfigException {
        Map<String, Object> members = new LinkedHashMap<>();
        while (nextChild("struct")) {
            expect("member");
            String name = null;
            Object value = null;
            boolean hasValue = false;
            while (nextChild("member")) {
                if (xml.getLocalName().equals("name") && name == null) {
                    name = xml.getElementText();
                } else if (xml.getLocalName().equals("value") && !hasValue) {
                    value = value(depth + 1);
                    hasValue = true;
                } else {
                    throw error("a <member> holds one <name> and one <value>, not <" + cut(xml.getLocalName()) + ">");
                }
            }
            if (name == null || !hasValue) {
                throw error("a <member> needs a <name> and a <value>");
            }
            members.put(name, value);
        }
        return members;
    }

    private List<Object> array(int depth) throws XMLStreamException, ConfigException {
        List<Object> items = new ArrayList<>();
        boolean data = false;
        while (nextChild("array")) {
            expect("data");
            if (data) {
                throw error("an <array> holds one <data>");
            }
            data = true;
            while (nextChild("data")) {
                expect("value");
                items.add(value(depth + 1));
            }
        }
        if (!data) {
            throw error("an <array> needs a <data>");
        }
        return items;
    }

    /** Moves to the next child element of {@code parent}; false at the parent's end tag. */
    private boolean nextChild(String parent) throws XMLStreamException, ConfigException {
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT:
                    return true;
                case XMLStreamConstants.END_ELEMENT:
                    return false;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE:
                    if (!xml.isWhiteSpace()) {
                        throw error("text inside <" + parent + ">");
                    }
                    break;
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION:
                    break;
                default:
                    throw error("unexpected XML inside <" + parent + ">");
            }
        }
    }

    private void nextElement() throws XMLStreamException, ConfigException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return;
            }
            if (event == XMLStreamConstants.CHARACTERS && !xml.isWhiteSpace() || event == XMLStreamConstants.DTD) {
                throw error("expected an XML-RPC value");
            }
        }
        throw new ConfigException("XML-RPC: no value in the text");
    }

    private void skipToEnd() throws XMLStreamException, ConfigException {
        if (nextChild(xml.getLocalName())) {
            throw error("<nil/> must be empty");
        }
    }

    private void expect(String element) throws ConfigException {
        if (!xml.getLocalName().equals(element)) {
            throw error("expected <" + element + ">, found <" + cut(xml.getLocalName()) + ">");
        }
    }

    private static void checkDepth(int depth) throws ConfigException {
        if (depth > MAX_DEPTH) {
            throw new ConfigException("XML-RPC: values nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private ConfigException error(String problem) {
        Location at = xml.getLocation();
        return new ConfigException("XML-RPC: line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": "
                + problem);
    }

    private static String cut(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.strip();
        int newline = line.lastIndexOf('\n');
        line = newline >= 0 ? line.substring(newline + 1).strip() : line;
        return cut(line.startsWith("Message: ") ? line.substring("Message: ".length()) : line);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nil";
        }
        return value instanceof List<?> ? "an array" : value.getClass().getSimpleName() + " " + cut(value.toString());
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * The value as indented XML-RPC. Longs are written as {@code <string>}, the Xen API's way for 64-bit ints.
     *
     * @throws IllegalArgumentException for a string XML cannot carry (a control character other than tab, line
     *         feed and carriage return, a lone surrogate, U+FFFE or U+FFFF) or a value of another type
     */
    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        typedValue(out, value, 0);
        return out.append('\n').toString();
    }

    private static void typedValue(StringBuilder out, Object value, int indent) {
        if (value instanceof String s) {
            out.append("<string>");
            escape(out, s);
            out.append("</string>");
        } else if (value instanceof Long l) {
            out.append("<string>").append(l).append("</string>");
        } else if (value instanceof Integer i) {
            out.append("<int>").append(i).append("</int>");
        } else if (value instanceof Boolean b) {
            out.append("<boolean>").append(b ? 1 : 0).append("</boolean>");
        } else if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                throw new IllegalArgumentException("XML-RPC has no double " + d);
            }
            out.append("<double>").append(d).append("</double>");
        } else if (value instanceof Map<?, ?> map) {
            out.append("<struct>");
            for (Map.Entry<?, ?> member : map.entrySet()) {
                newline(out, indent + 2);
                out.append("<member><name>");
                escape(out, String.valueOf(member.getKey()));
                out.append("</name><value>");
                typedValue(out, member.getValue(), indent + 2);
                out.append("</value></member>");
            }
            if (!map.isEmpty()) {
                newline(out, indent);
            }
            out.append("</struct>");
        } else if (value instanceof List<?> list) {
            out.append("<array><data>");
            for (Object item : list) {
                newline(out, indent + 2);
                out.append("<value>");
                typedValue(out, item, indent + 2);
                out.append("</value>");
            }
            if (!list.isEmpty()) {
                newline(out, indent);
            }
            out.append("</data></array>");
        } else {
            throw new IllegalArgumentException("not an XML-RPC value: "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }

    private static void newline(StringBuilder out, int indent) {
        out.append('\n').append(" ".repeat(indent));
    }

    private static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                // A literal carriage return would be read back as a line feed.
                case '\r' -> out.append("&#13;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n') || Character.isSurrogate(c) || c == '\ufffe'
                            || c == '\uffff') {
                        throw new IllegalArgumentException(String.format(
                                "XML cannot carry the character U+%04X in the string '%s'", (int) c, cut(s)));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
