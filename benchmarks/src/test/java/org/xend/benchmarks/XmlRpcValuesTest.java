package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class XmlRpcValuesTest {

    private static Object parse(String xml) throws IOException {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        return XmlRpcValues.parseResponse(b, 0, b.length);
    }

    /** A methodCall's params read back as a response, which has the same value grammar. */
    private static Object roundTrip(Object value) throws IOException {
        String call = new String(XmlRpcValues.methodCall("m", value), StandardCharsets.UTF_8);
        String params = call.substring(call.indexOf("<params>"), call.indexOf("</params>") + "</params>".length());
        return parse("<?xml version='1.0'?><methodResponse>" + params + "</methodResponse>");
    }

    @Test
    void encodesWhatXenApiClientsSendAndReadsItBack() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name_label", "a <b> & c");
        record.put("is_a_template", false);
        record.put("VCPUs_params", Map.of("weight", "256"));
        record.put("tags", List.of("x", "y"));
        record.put("timeout", 1.5);
        assertEquals(record, roundTrip(record));
        String body = new String(XmlRpcValues.methodCall("VM.create", "s", record), StandardCharsets.UTF_8);
        assertTrue(body.contains("<methodName>VM.create</methodName>"), body);
        assertTrue(body.contains("<string>a &lt;b&gt; &amp; c</string>"), body);
        assertThrows(IllegalArgumentException.class, () -> XmlRpcValues.methodCall("m", 42));
    }

    @Test
    void decodesTheDaemonsCompactFormAndPythonsVerboseOne() throws Exception {
        Object compact = parse("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
                + "<member><name>Status</name><value>Success</value></member>"
                + "<member><name>Value</name><value><struct>"
                + "<member><name>token</name><value>00000000000000000042,00000000000000000007</value></member>"
                + "<member><name>events</name><value><array><data><value><struct>"
                + "<member><name>timestamp</name><value><dateTime.iso8601>20261121T14:00:00Z</dateTime.iso8601>"
                + "</value></member><member><name>flag</name><value><boolean>1</boolean></value></member>"
                + "<member><name>n</name><value><i4>7</i4></value></member>"
                + "<member><name>big</name><value><i8>8589934592</i8></value></member>"
                + "<member><name>empty</name><value/></member>"
                + "</struct></value></data></array></value></member>"
                + "</struct></value></member></struct></value></param></params></methodResponse>");
        Map<String, Object> event = Map.of("timestamp", "20261121T14:00:00Z", "flag", true, "n", 7,
                "big", 8589934592L, "empty", "");
        assertEquals(Map.of("Status", "Success", "Value",
                Map.of("token", "00000000000000000042,00000000000000000007", "events", List.of(event))), compact);

        Object verbose = parse("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n"
                + "<member>\n<name>Status</name>\n<value><string>Failure</string></value>\n</member>\n"
                + "<member>\n<name>ErrorDescription</name>\n<value><array><data>\n"
                + "<value><string>EVENTS_LOST</string></value>\n</data></array></value>\n</member>\n"
                + "</struct></value>\n</param>\n</params>\n</methodResponse>\n");
        assertEquals(Map.of("Status", "Failure", "ErrorDescription", List.of("EVENTS_LOST")), verbose);
    }

    @Test
    void refusesFaultsDoctypesAndTruncatedDocuments() {
        IOException fault = assertThrows(IOException.class, () -> parse("<methodResponse><fault><value><struct>"
                + "<member><name>faultString</name><value>boom</value></member></struct></value></fault>"
                + "</methodResponse>"));
        assertTrue(fault.getMessage().contains("boom"), fault.getMessage());
        assertThrows(IOException.class, () -> parse("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'x'>]>"
                + "<methodResponse><params><param><value>&e;</value></param></params></methodResponse>"));
        assertThrows(IOException.class, () -> parse("<methodResponse><params><param><value><struct>"));
        assertThrows(IOException.class, () -> parse("<methodResponse><params/></methodResponse>"));
    }
}
