package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.xml.sax.helpers.AttributesImpl;

class Utf8XmlWriterTest {

    private static String write(Utf8XmlWriter writer, String text, boolean viaString) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.attach(out);
            if (viaString) {
                writer.stringValue(text);
            } else {
                writer.startElement("", "value", "value", new AttributesImpl());
                writer.characters(text.toCharArray(), 0, text.length());
                writer.endElement("", "value", "value");
            }
            writer.flush();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            writer.detach();
            out.release();
        }
    }

    @Test
    void escapesMarkupAndCarriageReturnsAndEncodesUtf8() {
        String text = "a<b>&\"c\"\r\n\té€😀";
        String expected = "<value>a&lt;b&gt;&amp;&quot;c&quot;&#13;\n\té€😀</value>";
        assertEquals(expected, write(new Utf8XmlWriter(), text, true));
        assertEquals(expected, write(new Utf8XmlWriter(), text, false));
    }

    @Test
    void replacesCharactersThatXmlCannotCarry() {
        String text = "a\u0000b\u001Fc\uD800d\uDC00e\uFFFEf";
        String expected = "<value>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf</value>";
        assertEquals(expected, write(new Utf8XmlWriter(), text, true));
        assertEquals(expected, write(new Utf8XmlWriter(), text, false));
    }

    @Test
    void longTextCrossesTheScratchBufferIntact() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append("é<€😀x&");
        }
        String expected = "<value>" + text.toString().replace("&", "&amp;").replace("<", "&lt;") + "</value>";
        assertEquals(expected, write(new Utf8XmlWriter(64), text.toString(), true));
        assertEquals(expected, write(new Utf8XmlWriter(64), text.toString(), false));
    }
}
