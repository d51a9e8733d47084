package org.xend.rpc.xmlrpc;

import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.LexicalHandler;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Sits between the XML parser and Apache XML-RPC's request parser. It enforces what the library does not:
 * a nesting limit, no namespaced elements (XML-RPC has none; only the disabled Apache extensions use one), no
 * DOCTYPE (as the parser's lexical handler), and a bounded method name (the library concatenates its character
 * chunks, which is quadratic in the length).
 * Every error raised by the XML-RPC layer below is rethrown as {@link InvalidXmlRpcException}, so that the codec
 * can tell an invalid XML-RPC document from XML that is not well-formed.
 */
final class RequestLimitFilter extends XMLFilterImpl implements LexicalHandler {

    /** The SAX property under which the parser takes the lexical handler. */
    static final String LEXICAL_HANDLER = "http://xml.org/sax/properties/lexical-handler";

    private final int maxDepth;
    private final int maxMethodNameChars;
    private Locator locator;
    private int depth;
    private boolean inMethodName;
    private int methodNameChars;

    RequestLimitFilter(XMLReader parent, int maxDepth, int maxMethodNameChars) {
        super(parent);
        this.maxDepth = maxDepth;
        this.maxMethodNameChars = maxMethodNameChars;
    }

    /** An XML-RPC level error, with the position where the parser stood. */
    static final class InvalidXmlRpcException extends SAXParseException {
        private static final long serialVersionUID = 1L;

        InvalidXmlRpcException(String message, Locator locator) {
            super(message, locator);
        }
    }

    @Override
    public void setDocumentLocator(Locator documentLocator) {
        this.locator = documentLocator;
        super.setDocumentLocator(documentLocator);
    }

    @Override
    public void startDocument() throws SAXException {
        depth = 0;
        inMethodName = false;
        methodNameChars = 0;
        try {
            super.startDocument();
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        if (++depth > maxDepth) {
            throw new InvalidXmlRpcException("the request nests XML elements deeper than " + maxDepth + " levels", locator);
        }
        if (!uri.isEmpty()) {
            throw new InvalidXmlRpcException("element <" + qName + "> is not XML-RPC: namespaced elements, such as the "
                    + "Apache extension types, are not accepted", locator);
        }
        inMethodName = depth == 2 && "methodName".equals(localName);
        try {
            super.startElement(uri, localName, qName, atts);
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        depth--;
        inMethodName = false;
        try {
            super.endElement(uri, localName, qName);
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        if (inMethodName && (methodNameChars += length) > maxMethodNameChars) {
            throw new InvalidXmlRpcException("the methodName is longer than " + maxMethodNameChars + " characters", locator);
        }
        try {
            super.characters(ch, start, length);
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        try {
            super.ignorableWhitespace(ch, start, length);
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    @Override
    public void endDocument() throws SAXException {
        try {
            super.endDocument();
        } catch (SAXException e) {
            throw invalid(e);
        }
    }

    /** An XML-RPC request has no DOCTYPE: refused as XML this server does not take, before its subset is read. */
    @Override
    public void startDTD(String name, String publicId, String systemId) throws SAXException {
        throw new SAXParseException("a DOCTYPE is not allowed in an XML-RPC request", locator);
    }

    @Override
    public void endDTD() {
    }

    @Override
    public void startEntity(String name) {
    }

    @Override
    public void endEntity(String name) {
    }

    @Override
    public void startCDATA() {
    }

    @Override
    public void endCDATA() {
    }

    @Override
    public void comment(char[] ch, int start, int length) {
    }

    private InvalidXmlRpcException invalid(SAXException e) {
        if (e instanceof InvalidXmlRpcException already) {
            return already;
        }
        InvalidXmlRpcException wrapped = new InvalidXmlRpcException(e.getMessage(), locator);
        wrapped.initCause(e);
        return wrapped;
    }
}
