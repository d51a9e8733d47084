package org.xend.rpc.xmlrpc;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * The SAX sink behind {@link org.apache.xmlrpc.serializer.XmlRpcWriter}: encodes the events as UTF-8 XML straight into
 * a {@link ByteBuf}, through a small reusable byte array so that the hot loop writes plain array elements.
 * Characters that XML 1.0 cannot carry (C0 controls other than tab and newline, lone surrogates, U+FFFE/U+FFFF) are
 * replaced by U+FFFD so that the client can always parse the document; carriage returns travel as {@code &#13;} so
 * that they survive the parser's end-of-line normalisation.
 *
 * <p>Not thread-safe: one instance per thread, attached to one target buffer at a time.
 */
final class Utf8XmlWriter implements ContentHandler {

    static final byte[] DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] LT = "&lt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GT = "&gt;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AMP = "&amp;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOT = "&quot;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CR = "&#13;".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    /** Room kept free in the scratch array for the longest output of one character or pair ({@code &quot;}). */
    private static final int HEADROOM = 8;

    /** ASCII characters that are copied as they are. */
    private static final boolean[] PLAIN = new boolean[0x80];

    static {
        for (char c = 0x20; c < 0x7F; c++) {
            PLAIN[c] = c != '<' && c != '>' && c != '&' && c != '"';
        }
    }

    private final byte[] scratch;
    private int length;
    private ByteBuf target;

    Utf8XmlWriter() {
        this(8192);
    }

    Utf8XmlWriter(int scratchSize) {
        scratch = new byte[Math.max(scratchSize, 64)];
    }

    void attach(ByteBuf out) {
        target = out;
        length = 0;
    }

    /** Forgets the target; whatever was not flushed yet is dropped (used after a failed encoding). */
    void detach() {
        target = null;
        length = 0;
    }

    void flush() {
        if (length > 0) {
            target.writeBytes(scratch, 0, length);
            length = 0;
        }
    }

    /** Writes {@code <value>text</value>} without copying the string into a char array first. */
    void stringValue(String text) {
        startTag("value");
        escapedText(text);
        endTag("value");
    }

    @Override
    public void startDocument() {
        raw(DECLARATION);
    }

    @Override
    public void endDocument() {
        flush();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        if (attributes == null || attributes.getLength() == 0) {
            startTag(qName);
            return;
        }
        room(2);
        scratch[length++] = '<';
        name(qName);
        for (int i = 0; i < attributes.getLength(); i++) {
            room(2);
            scratch[length++] = ' ';
            name(attributes.getQName(i));
            room(2);
            scratch[length++] = '=';
            scratch[length++] = '"';
            escapedText(attributes.getValue(i));
            room(1);
            scratch[length++] = '"';
        }
        room(1);
        scratch[length++] = '>';
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        endTag(qName);
    }

    @Override
    public void characters(char[] ch, int start, int count) {
        int i = start;
        int end = start + count;
        while (i < end) {
            int room = scratch.length - HEADROOM - length;
            if (room <= 0) {
                flush();
                continue;
            }
            // Runs of plain ASCII are the common case: one byte per char, one table look-up.
            int stop = Math.min(end, i + room);
            byte[] buffer = scratch;
            int position = length;
            char c;
            while (i < stop && (c = ch[i]) < 0x80 && PLAIN[c]) {
                buffer[position++] = (byte) c;
                i++;
            }
            length = position;
            if (i < stop) {
                c = ch[i++];
                if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(ch[i])) {
                    codePoint(Character.toCodePoint(c, ch[i++]));
                } else {
                    special(c);
                }
            }
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int count) {
        characters(ch, start, count);
    }

    @Override
    public void processingInstruction(String target, String data) {
        raw(new byte[] {'<', '?'});
        name(target);
        if (data != null && !data.isEmpty()) {
            room(1);
            scratch[length++] = ' ';
            name(data);
        }
        raw(new byte[] {'?', '>'});
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        // Only the disabled Apache extensions would declare a namespace; refuse rather than write invalid XML.
        throw new SAXException("XML namespaces are not used in XML-RPC responses");
    }

    @Override
    public void endPrefixMapping(String prefix) {
    }

    @Override
    public void setDocumentLocator(Locator locator) {
    }

    @Override
    public void skippedEntity(String name) {
    }

    /** The same as {@link #characters(char[], int, int)}, reading the string in place. */
    private void escapedText(String text) {
        int i = 0;
        int end = text.length();
        while (i < end) {
            int room = scratch.length - HEADROOM - length;
            if (room <= 0) {
                flush();
                continue;
            }
            int stop = Math.min(end, i + room);
            byte[] buffer = scratch;
            int position = length;
            char c;
            while (i < stop && (c = text.charAt(i)) < 0x80 && PLAIN[c]) {
                buffer[position++] = (byte) c;
                i++;
            }
            length = position;
            if (i < stop) {
                c = text.charAt(i++);
                if (Character.isHighSurrogate(c) && i < end && Character.isLowSurrogate(text.charAt(i))) {
                    codePoint(Character.toCodePoint(c, text.charAt(i++)));
                } else {
                    special(c);
                }
            }
        }
    }

    /** Everything but plain ASCII and valid surrogate pairs; the caller guarantees {@link #HEADROOM}. */
    private void special(char c) {
        switch (c) {
            case '<' -> copy(LT);
            case '>' -> copy(GT);
            case '&' -> copy(AMP);
            case '"' -> copy(QUOT);
            case '\r' -> copy(CR);
            case '\n', '\t' -> scratch[length++] = (byte) c;
            default -> {
                if (c < 0x20 || Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                    copy(REPLACEMENT);
                } else {
                    codePoint(c);
                }
            }
        }
    }

    private void codePoint(int cp) {
        if (cp < 0x80) {
            scratch[length++] = (byte) cp;
        } else if (cp < 0x800) {
            scratch[length++] = (byte) (0xC0 | cp >> 6);
            scratch[length++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            scratch[length++] = (byte) (0xE0 | cp >> 12);
            scratch[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            scratch[length++] = (byte) (0x80 | cp & 0x3F);
        } else {
            scratch[length++] = (byte) (0xF0 | cp >> 18);
            scratch[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            scratch[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            scratch[length++] = (byte) (0x80 | cp & 0x3F);
        }
    }

    private void startTag(String qName) {
        room(qName.length() + 2);
        scratch[length++] = '<';
        asciiName(qName);
        scratch[length++] = '>';
    }

    private void endTag(String qName) {
        room(qName.length() + 3);
        scratch[length++] = '<';
        scratch[length++] = '/';
        asciiName(qName);
        scratch[length++] = '>';
    }

    /** Element names of XML-RPC are ASCII; anything else goes through the general encoder. */
    private void asciiName(String qName) {
        for (int i = 0, n = qName.length(); i < n; i++) {
            char c = qName.charAt(i);
            if (c >= 0x80) {
                name(qName.substring(i));
                return;
            }
            scratch[length++] = (byte) c;
        }
    }

    private void name(String text) {
        escapedText(text);
    }

    private void copy(byte[] bytes) {
        System.arraycopy(bytes, 0, scratch, length, bytes.length);
        length += bytes.length;
    }

    private void raw(byte[] bytes) {
        room(bytes.length);
        copy(bytes);
    }

    private void room(int needed) {
        if (length + needed > scratch.length) {
            flush();
            if (needed > scratch.length) {
                throw new IllegalArgumentException("name longer than the encoder buffer");
            }
        }
    }
}
