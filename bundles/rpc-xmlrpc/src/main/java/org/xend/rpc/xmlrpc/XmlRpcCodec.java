package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.sax.WstxSAXParserFactory;
import com.ctc.wstx.stax.WstxInputFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.XmlRpcRequestParser;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.apache.xmlrpc.server.XmlRpcServer;
import org.apache.xmlrpc.server.XmlRpcServerConfigImpl;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import org.xend.rpc.xmlrpc.RequestLimitFilter.InvalidXmlRpcException;

/**
 * XML-RPC on the wire, independent of the transport: decodes a {@code methodCall} with Apache XML-RPC's SAX request
 * parser on a hardened XML parser (Woodstox's, which reads a request in about two thirds of the JDK parser's time),
 * and encodes {@code methodResponse} documents with its {@link XmlRpcWriter} into a {@link ByteBuf}. The Apache
 * extensions are off, so Java serialization, {@code nil} and friends never get through.
 *
 * <p>Thread-safe. Each thread keeps its own XML parser and output encoder, because creating a parser costs far more
 * than parsing a typical request.
 */
final class XmlRpcCodec {

    /** Fault codes of the XML-RPC fault code interoperability convention. */
    static final int FAULT_NOT_WELL_FORMED = -32700;
    static final int FAULT_INVALID_XMLRPC = -32600;
    static final int FAULT_INTERNAL_ERROR = XmlRpcFault.INTERNAL_ERROR;

    static final int MAX_METHOD_NAME_CHARS = 256;
    private static final int MAX_FAULT_MESSAGE_CHARS = 400;

    /** A Java-looking qualified class name; stripped from fault strings, which must not describe our internals. */
    private static final Pattern QUALIFIED_CLASS_NAME =
            Pattern.compile("\\b(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?::\\s*)?");

    private static final EntityResolver NO_EXTERNAL_ENTITIES = (publicId, systemId) -> {
        throw new SAXException("external entities are not allowed");
    };

    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final int maxDepth;
    private final XmlRpcServerConfigImpl streamConfig;
    private final XmlRpcHttpRequestConfigImpl responseConfig;
    private final TypeFactory typeFactory;
    private final WstxSAXParserFactory parserFactory;
    private final ThreadLocal<XMLReader> readers = new ThreadLocal<>();
    private final ThreadLocal<Utf8XmlWriter> writers = ThreadLocal.withInitial(Utf8XmlWriter::new);

    XmlRpcCodec(int maxDepth) {
        this.maxDepth = maxDepth;
        TimeZone utc = TimeZone.getTimeZone("UTC");
        streamConfig = new XmlRpcServerConfigImpl();
        streamConfig.setEnabledForExtensions(false);
        streamConfig.setEnabledForExceptions(false);
        streamConfig.setEncoding(XmlRpcStreamConfig.UTF8_ENCODING);
        streamConfig.setTimeZone(utc);
        responseConfig = new XmlRpcHttpRequestConfigImpl();
        responseConfig.setEnabledForExtensions(false);
        responseConfig.setEnabledForExceptions(false);
        responseConfig.setEncoding(XmlRpcStreamConfig.UTF8_ENCODING);
        responseConfig.setTimeZone(utc);
        // The server object is only the controller the date parser and serializer read their time zone from.
        XmlRpcServer controller = new XmlRpcServer();
        controller.setConfig(streamConfig);
        typeFactory = new WireTypeFactory(controller);
        controller.setTypeFactory(typeFactory);
        parserFactory = hardenedParserFactory();
    }

    int maxDepth() {
        return maxDepth;
    }

    /**
     * Decodes one request body; reads the buffer without releasing it.
     *
     * @throws MalformedRequestException with a client-safe message when the body is not a usable {@code methodCall}
     */
    XmlRpcRequest decode(ByteBuf body) throws MalformedRequestException {
        XMLReader reader = reader();
        XmlRpcRequestParser parser = new XmlRpcRequestParser(streamConfig, typeFactory);
        RequestLimitFilter filter = new RequestLimitFilter(reader, maxDepth, MAX_METHOD_NAME_CHARS);
        filter.setContentHandler(parser);
        filter.setEntityResolver(NO_EXTERNAL_ENTITIES);
        filter.setErrorHandler(STRICT);
        boolean parsed = false;
        try {
            reader.setProperty(RequestLimitFilter.LEXICAL_HANDLER, filter);
        } catch (SAXException e) {
            throw new IllegalStateException("the XML parser cannot report a DOCTYPE, so cannot refuse one", e);
        }
        try (InputStream in = new ByteBufInputStream(body, false)) {
            filter.parse(new InputSource(in));
            parsed = true;
        } catch (InvalidXmlRpcException e) {
            throw new MalformedRequestException(FAULT_INVALID_XMLRPC, describe("Invalid XML-RPC request", e));
        } catch (SAXParseException e) {
            throw new MalformedRequestException(FAULT_NOT_WELL_FORMED, describe("The request is not well-formed XML", e));
        } catch (SAXException | IOException e) {
            throw new MalformedRequestException(FAULT_NOT_WELL_FORMED, "The request could not be read as XML");
        } catch (RuntimeException e) {
            // The XML-RPC parsers have corners that fail with unchecked exceptions on hostile input.
            throw new MalformedRequestException(FAULT_INVALID_XMLRPC, "Invalid XML-RPC request");
        } finally {
            if (!parsed) {
                // A parser that failed half-way is not trusted with the next request.
                readers.remove();
            }
        }
        String methodName = parser.getMethodName();
        if (methodName == null || methodName.isEmpty()) {
            throw new MalformedRequestException(FAULT_INVALID_XMLRPC, "Invalid XML-RPC request: no methodName");
        }
        @SuppressWarnings("unchecked")
        List<Object> params = parser.getParams() == null ? new ArrayList<>(0) : (List<Object>) parser.getParams();
        return new XmlRpcRequest(methodName, params);
    }

    /**
     * Appends a {@code methodResponse} whose single parameter is {@code result}.
     *
     * @throws ResponseEncodingException when a value cannot be represented; {@code out} then holds a partial document
     *                                   that the caller must discard
     */
    void encodeResponse(Object result, ByteBuf out) throws ResponseEncodingException {
        Utf8XmlWriter writer = writers.get();
        writer.attach(out);
        try {
            new XmlRpcWriter(streamConfig, writer, typeFactory).write(responseConfig, result);
        } catch (SAXException | RuntimeException e) {
            throw new ResponseEncodingException(e);
        } finally {
            writer.detach();
        }
    }

    /** Appends a {@code methodResponse} carrying a fault. */
    void encodeFault(int faultCode, String message, ByteBuf out) {
        Utf8XmlWriter writer = writers.get();
        writer.attach(out);
        try {
            new XmlRpcWriter(streamConfig, writer, typeFactory).write(responseConfig, faultCode, message);
        } catch (SAXException e) {
            throw new IllegalStateException("a fault of two plain values could not be encoded", e);
        } finally {
            writer.detach();
        }
    }

    /** Thrown when a response value has no XML-RPC representation (an unsupported Java type). */
    static final class ResponseEncodingException extends Exception {
        private static final long serialVersionUID = 1L;

        ResponseEncodingException(Throwable cause) {
            super(cause);
        }
    }

    static String clientSafe(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String cleaned = QUALIFIED_CLASS_NAME.matcher(message).replaceAll("").trim();
        return cleaned.length() <= MAX_FAULT_MESSAGE_CHARS ? cleaned : cleaned.substring(0, MAX_FAULT_MESSAGE_CHARS) + "...";
    }

    private static String describe(String what, SAXParseException e) {
        // the parser's message only: it appends its own location on a second line, given below as line and column
        String message = e.getMessage();
        String detail = clientSafe(message == null ? null : message.lines().findFirst().orElse(""));
        StringBuilder sb = new StringBuilder(what);
        if (!detail.isEmpty()) {
            sb.append(": ").append(detail);
        }
        if (e.getLineNumber() > 0) {
            sb.append(" (line ").append(e.getLineNumber()).append(", column ").append(e.getColumnNumber()).append(')');
        }
        return sb.toString();
    }

    private XMLReader reader() {
        XMLReader reader = readers.get();
        if (reader == null) {
            reader = newReader();
            readers.set(reader);
        }
        return reader;
    }

    private XMLReader newReader() {
        try {
            synchronized (parserFactory) {
                return parserFactory.newSAXParser().getXMLReader();
            }
        } catch (SAXException e) {
            throw new IllegalStateException("the SAX parser refused the hardened configuration", e);
        }
    }

    /**
     * Woodstox, created directly (never a parser found on the class path) and hardened: no DTD processing and no
     * external entities, so no entity expansion (billion laughs) and no XXE; {@link RequestLimitFilter} refuses
     * any DOCTYPE outright, and an entity reference other than the five predefined ones is an error. The limits
     * are defence in depth behind the HTTP layer's size limit and the filter's depth limit.
     */
    private WstxSAXParserFactory hardenedParserFactory() {
        WstxInputFactory input = new WstxInputFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(XMLInputFactory.IS_VALIDATING, false);
        input.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, maxDepth + 1);
        input.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 16);
        input.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external entities are not allowed");
        });
        WstxSAXParserFactory factory = new WstxSAXParserFactory(input);
        factory.setNamespaceAware(true);   // the XML-RPC parser matches on namespace URI and local name
        factory.setValidating(false);
        return factory;
    }
}
