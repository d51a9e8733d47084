package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xend.api.CallContext;

class XmlRpcEndpointTest {

    private static final int MAX_DEPTH = 16;

    private final EchoXenApi api = new EchoXenApi();
    private final XmlRpcEndpoint endpoint = new XmlRpcEndpoint(api, MAX_DEPTH);

    private String handle(String request) {
        ByteBuf in = Unpooled.wrappedBuffer(request.getBytes(StandardCharsets.UTF_8));
        ByteBuf out = endpoint.handle(in, CallContext.of("http", "192.0.2.7"), UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(1, in.refCnt(), "the request buffer stays the caller's");
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            in.release();
            out.release();
        }
    }

    private static String call(String method, String params) {
        return "<?xml version=\"1.0\"?><methodCall><methodName>" + method + "</methodName><params>" + params
                + "</params></methodCall>";
    }

    private static String param(String value) {
        return "<param><value>" + value + "</value></param>";
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Asserts a well-formed fault with the code, and that it neither reaches the API nor leaks our internals. */
    private String assertFault(String response, int code) throws Exception {
        parse(response);
        assertTrue(response.contains("<fault>"), response);
        assertTrue(response.contains("<name>faultCode</name><value><i4>" + code + "</i4></value>"), response);
        Matcher faultString = Pattern.compile("<name>faultString</name><value>(.*?)</value>").matcher(response);
        assertTrue(faultString.find(), response);
        String message = faultString.group(1);
        assertFalse(message.isBlank(), response);
        for (String leak : List.of("org.apache", "java.", "javax.", "Exception", "isEnabledForExtensions", "\tat ")) {
            assertFalse(message.contains(leak), "fault string leaks '" + leak + "': " + message);
        }
        assertEquals(0, api.callCount.get(), "a refused request must not reach the API");
        return message;
    }

    @Test
    void decodesEveryStandardTypeIntoTheJavaTypesOfTheApi() {
        String response = handle(call("VM.get_record", param("OpaqueRef:abc") + param("<string>s</string>")
                + param("<int>5</int>") + param("<i4>-6</i4>") + param("<boolean>1</boolean>")
                + param("<double>2.5</double>") + param("<dateTime.iso8601>20070508T10:38:06</dateTime.iso8601>")
                + param("<array><data><value>a</value><value><i4>1</i4></value></data></array>")
                + param("<struct><member><name>k</name><value>v</value></member></struct>")));

        assertTrue(response.contains("<name>Status</name><value>Success</value>"), response);
        EchoXenApi.Received received = api.calls.get(0);
        assertEquals("VM.get_record", received.method());
        assertEquals(new CallContext("http", "192.0.2.7"), received.context());
        List<Object> p = received.params();
        assertEquals("OpaqueRef:abc", p.get(0));
        assertEquals("s", p.get(1));
        assertEquals(5, p.get(2));
        assertEquals(-6, p.get(3));
        assertEquals(Boolean.TRUE, p.get(4));
        assertEquals(2.5, p.get(5));
        assertEquals(Date.from(Instant.parse("2007-05-08T10:38:06Z")), p.get(6), "dates are read as UTC");
        assertArrayEquals(new Object[] {"a", 1}, (Object[]) p.get(7));
        assertEquals(Map.of("k", "v"), p.get(8));
    }

    @Test
    void canAppendToTheCallersBuffer() {
        ByteBuf in = Unpooled.wrappedBuffer(call("test.unencodable", "").getBytes(StandardCharsets.UTF_8));
        ByteBuf out = Unpooled.buffer().writeBytes("HEAD".getBytes(StandardCharsets.US_ASCII));
        try {
            endpoint.handle(in, CallContext.of("http", "192.0.2.7"), out);
            String written = out.toString(StandardCharsets.UTF_8);
            assertTrue(written.startsWith("HEAD<?xml"), "a failed encoding only discards its own output: " + written);
            assertTrue(written.contains("<value>INTERNAL_ERROR</value>"), written);
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void requestWithoutParamsGivesAnEmptyParameterList() {
        handle("<methodCall><methodName>host.get_all</methodName></methodCall>");
        assertEquals(List.of(), api.calls.get(0).params());
    }

    @Test
    void encodesTheResultStructWithStandardTypesAndDatesInUtc() throws Exception {
        TimeZone previous = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
        String response;
        try {
            response = handle(call("test.types", ""));
        } finally {
            TimeZone.setDefault(previous);
        }
        parse(response);
        assertTrue(response.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), response);
        assertTrue(response.contains("<methodResponse><params><param><value><struct>"), response);
        assertTrue(response.contains("<name>int</name><value><i4>42</i4></value>"), response);
        assertTrue(response.contains("<name>true</name><value><boolean>1</boolean></value>"), response);
        assertTrue(response.contains("<name>double</name><value><double>2.5</double></value>"), response);
        assertTrue(response.contains(
                "<name>date</name><value><dateTime.iso8601>20070508T10:38:06</dateTime.iso8601></value>"), response);
        assertTrue(response.contains("<name>long</name><value>1234567890123</value>"), "64-bit ints travel as strings");
        assertTrue(response.contains("<name>list</name><value><array><data><value>x</value><value>y</value>"), response);
        assertTrue(response.contains("<name>array</name><value><array><data><value>z</value><value><i4>7</i4>"), response);
        assertTrue(response.contains("<name>map</name><value><struct><member><name>k</name><value>v</value>"), response);
        assertTrue(response.contains("a&lt;b &amp; c&gt;d &quot;q&quot; &#13;\n é € 😀"), response);
        assertFalse(response.contains("<ex:") || response.contains("i8"), response);
    }

    @Test
    void aNullNeverBecomesNilButAnEmptyString() throws Exception {
        String response = handle(call("test.null", ""));
        parse(response);
        assertFalse(response.contains("nil"), response);
        assertTrue(response.contains("<name>name_label</name><value></value>"), response);
        assertTrue(response.contains("<value>a</value><value></value>"), response);
    }

    @Test
    void aValueWithoutXmlRpcFormBecomesAnInternalErrorWithoutClassNames() throws Exception {
        String response = handle(call("test.unencodable", ""));
        parse(response);
        assertTrue(response.contains("<name>Status</name><value>Failure</value>"), response);
        assertTrue(response.contains("<value>INTERNAL_ERROR</value>"), response);
        assertFalse(response.contains("java.lang"), response);
    }

    @Test
    void anApiThatBreaksItsContractStillGetsTheClientAnInternalError() throws Exception {
        for (String method : List.of("test.throws", "test.returnsNull")) {
            String response = handle(call(method, ""));
            parse(response);
            assertTrue(response.contains("<value>INTERNAL_ERROR</value>"), response);
            assertFalse(response.contains("Secret"), "the exception message stays in the log: " + response);
        }
    }

    @Test
    void apacheExtensionTypesAreRefused() throws Exception {
        String ns = " xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\"";
        // A serialized java.lang.Integer(1), base64: what ex:serializable would deserialize if extensions were on.
        String serialized = "rO0ABXNyABFqYXZhLmxhbmcuSW50ZWdlchLioKT3gYc4AgABSQAFdmFsdWV4cgAQamF2YS5sYW5nLk51bWJlcoaslR0L"
                + "lOCLAgAAeHAAAAAB";
        for (String value : List.of("<ex:nil/>", "<ex:i8>5</ex:i8>", "<ex:serializable>" + serialized + "</ex:serializable>",
                "<ex:dom><x/></ex:dom>", "<ex:float>1.5</ex:float>")) {
            String response = handle("<methodCall" + ns + "><methodName>VM.get_all</methodName><params>"
                    + param(value) + "</params></methodCall>");
            String message = assertFault(response, XmlRpcCodec.FAULT_INVALID_XMLRPC);
            assertTrue(message.contains("namespaced elements"), message);
        }
    }

    @Test
    void nilWithoutNamespaceAndBase64AreUnknownTypes() throws Exception {
        assertTrue(assertFault(handle(call("VM.get_all", param("<nil/>"))), XmlRpcCodec.FAULT_INVALID_XMLRPC)
                .contains("Unknown type: nil"));
        assertTrue(assertFault(handle(call("VM.get_all", param("<base64>AAEC</base64>"))), XmlRpcCodec.FAULT_INVALID_XMLRPC)
                .contains("Unknown type: base64"));
    }

    @Test
    void aDoctypeIsRefused() throws Exception {
        String response = handle("<?xml version=\"1.0\"?><!DOCTYPE methodCall [<!ELEMENT methodCall ANY>]>"
                + call("VM.get_all", "").substring("<?xml version=\"1.0\"?>".length()));
        assertTrue(assertFault(response, XmlRpcCodec.FAULT_NOT_WELL_FORMED).contains("DOCTYPE"));
    }

    @Test
    void predefinedEntitiesCharacterReferencesAndCdataAreText() {
        handle(call("VM.set_name_label", param("OpaqueRef:abc")
                + param("<string>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x20AC;"
                        + "<![CDATA[ <f> & g]]></string>")));
        assertEquals("a & b <c> \"d\" 'e' \u00e9\u20ac <f> & g", api.calls.get(0).params().get(1));
    }

    @Test
    void anUndeclaredEntityIsNotWellFormed() throws Exception {
        String message = assertFault(handle(call("VM.get_all", param("<string>&lol;</string>"))),
                XmlRpcCodec.FAULT_NOT_WELL_FORMED);
        assertTrue(message.contains("lol") && !message.contains("\n"), message);
    }

    @Test
    void externalEntitiesAreNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-42");
        String uri = secret.toUri().toString();
        String general = "<?xml version=\"1.0\"?><!DOCTYPE methodCall [<!ENTITY xxe SYSTEM \"" + uri + "\">]>"
                + "<methodCall><methodName>&xxe;</methodName><params>" + param("&xxe;") + "</params></methodCall>";
        String parameter = "<?xml version=\"1.0\"?><!DOCTYPE methodCall [<!ENTITY % p SYSTEM \"" + uri + "\"> %p;]>"
                + "<methodCall><methodName>x</methodName></methodCall>";
        String passwd = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<methodCall><methodName>x</methodName><params>" + param("&xxe;") + "</params></methodCall>";
        for (String request : List.of(general, parameter, passwd)) {
            String response = handle(request);
            assertFault(response, XmlRpcCodec.FAULT_NOT_WELL_FORMED);
            assertFalse(response.contains("TOP-SECRET-42"), response);
            assertFalse(response.contains("root:"), response);
        }
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        doc.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
        for (int i = 2; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                doc.append("&lol").append(i - 1).append(';');
            }
            doc.append("\">");
        }
        doc.append("]><methodCall><methodName>x</methodName><params>").append(param("&lol9;"))
                .append("</params></methodCall>");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            String response = handle(doc.toString());
            assertFault(response, XmlRpcCodec.FAULT_NOT_WELL_FORMED);
            assertFalse(response.contains("lollol"), response);
        });
    }

    /** {@code n} arrays nested in the first parameter reach depth {@code 4 + 3n} (methodCall/params/param/value...). */
    private static String nestedArrays(int n) {
        return call("VM.get_all", "<param><value>" + "<array><data><value>".repeat(n) + "x"
                + "</value></data></array>".repeat(n) + "</value></param>");
    }

    @Test
    void nestingIsLimitedToMaxDepth() throws Exception {
        handle(nestedArrays(4));   // depth 16: exactly the limit
        assertEquals(1, api.callCount.get());
        api.callCount.set(0);

        String message = assertFault(handle(nestedArrays(5)), XmlRpcCodec.FAULT_INVALID_XMLRPC);
        assertTrue(message.contains("deeper than " + MAX_DEPTH), message);
    }

    @Test
    void malformedXmlGetsAFault() throws Exception {
        assertFault(handle("<methodCall><methodName>VM.get_all</methodName></params></methodCall>"),
                XmlRpcCodec.FAULT_NOT_WELL_FORMED);
        assertFault(handle(""), XmlRpcCodec.FAULT_NOT_WELL_FORMED);
        assertFault(handle("\u0000\u0001garbage"), XmlRpcCodec.FAULT_NOT_WELL_FORMED);
        assertFault(handle(call("VM.get_all", param("<i4>not a number</i4>"))), XmlRpcCodec.FAULT_INVALID_XMLRPC);
        assertFault(handle(call("VM.get_all", param("<struct><member><name>a</name><value>1</value></member>"
                + "<member><name>a</name><value>2</value></member></struct>"))), XmlRpcCodec.FAULT_INVALID_XMLRPC);
    }

    @Test
    void aMissingMethodNameGetsAFault() throws Exception {
        assertTrue(assertFault(handle("<methodCall></methodCall>"), XmlRpcCodec.FAULT_INVALID_XMLRPC)
                .contains("no methodName"));
        assertFault(handle("<methodCall><methodName></methodName></methodCall>"), XmlRpcCodec.FAULT_INVALID_XMLRPC);
        assertFault(handle("<methodCall><params>" + param("x") + "</params></methodCall>"),
                XmlRpcCodec.FAULT_INVALID_XMLRPC);
    }

    @Test
    void aRootOtherThanMethodCallGetsAFault() throws Exception {
        String message = assertFault(handle("<methodResponse><params>" + param("x") + "</params></methodResponse>"),
                XmlRpcCodec.FAULT_INVALID_XMLRPC);
        assertTrue(message.contains("methodCall"), message);
    }

    @Test
    void anOverlongMethodNameGetsAFault() throws Exception {
        String message = assertFault(handle(call("x".repeat(XmlRpcCodec.MAX_METHOD_NAME_CHARS + 1), "")),
                XmlRpcCodec.FAULT_INVALID_XMLRPC);
        assertTrue(message.contains("longer than"), message);
    }

    @Test
    void theParserIsReusableAfterAFailure() {
        handle("<methodCall><oops");
        handle(call("VM.get_all", ""));
        assertEquals("VM.get_all", api.calls.get(0).method());
    }

    @Test
    void clientSafeMessagesLoseJavaClassNames() {
        assertEquals("boom at line 3", XmlRpcCodec.clientSafe("java.lang.NumberFormatException: boom at line 3"));
        assertEquals("Unknown type: nil", XmlRpcCodec.clientSafe("Unknown type: nil"));
        assertEquals(403, XmlRpcCodec.clientSafe("x".repeat(1000)).length());
    }
}
