package org.xend.rpc.xmlrpc;

import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.ByteArraySerializer;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.apache.xmlrpc.serializer.TypeSerializerImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Apache XML-RPC's standard types, adjusted to the Xen API wire rules:
 * <ul>
 *   <li>strings take a fast path into {@link Utf8XmlWriter};</li>
 *   <li>a {@code null} is sent as {@code ""} (and logged), never as {@code <nil/>};</li>
 *   <li>a {@code Long} is sent as its decimal string, the Xen API's encoding of 64-bit ints;</li>
 *   <li>{@code base64} is not accepted in requests: the Xen API has no binary type.</li>
 * </ul>
 * Everything else, including the refusal of the extension types, is the library's own behaviour.
 */
final class WireTypeFactory extends TypeFactoryImpl {

    private static final Logger LOG = LoggerFactory.getLogger(WireTypeFactory.class);

    private static final TypeSerializer TEXT = new TextSerializer();
    private static final TypeSerializer NULL_AS_EMPTY_STRING = new TypeSerializerImpl() {
        @Override
        public void write(ContentHandler handler, Object value) throws SAXException {
            LOG.warn("A null value reached the XML-RPC encoder; it is sent as \"\". The API layer should never return null.");
            TEXT.write(handler, "");
        }
    };

    WireTypeFactory(XmlRpcController controller) {
        super(controller);
    }

    @Override
    public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object value) throws SAXException {
        if (value instanceof String || value instanceof Long) {
            return TEXT;
        }
        if (value == null) {
            return NULL_AS_EMPTY_STRING;
        }
        return super.getSerializer(config, value);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
        if (uri.isEmpty() && ByteArraySerializer.BASE_64_TAG.equals(localName)) {
            return null;
        }
        return super.getParser(config, context, uri, localName);
    }

    /** A string value, written without the optional {@code <string>} tag, as Apache XML-RPC does. */
    private static final class TextSerializer extends TypeSerializerImpl {
        @Override
        public void write(ContentHandler handler, Object value) throws SAXException {
            if (handler instanceof Utf8XmlWriter writer) {
                writer.stringValue(value.toString());
            } else {
                write(handler, null, value.toString());
            }
        }
    }
}
