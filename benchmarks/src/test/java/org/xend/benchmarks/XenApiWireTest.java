package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class XenApiWireTest {

    @Test
    void encodesStringsBooleansAndNestedStructsWithEscaping() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("name_label", "a<b>&c");
        record.put("platform", Map.of("acpi", "1"));
        String xml = new String(XenApiWire.methodCall("VM.create", "s", record, true), StandardCharsets.UTF_8);
        assertEquals("<?xml version=\"1.0\"?>\n<methodCall><methodName>VM.create</methodName><params>"
                + "<param><value><string>s</string></value></param>"
                + "<param><value><struct><member><name>name_label</name><value><string>a&lt;b&gt;&amp;c</string>"
                + "</value></member><member><name>platform</name><value><struct><member><name>acpi</name>"
                + "<value><string>1</string></value></member></struct></value></member></struct></value></param>"
                + "<param><value><boolean>1</boolean></value></param></params></methodCall>", xml);
    }

    @Test
    void refusesValuesXenApiCallsDoNotCarry() {
        assertThrows(IllegalArgumentException.class, () -> XenApiWire.methodCall("m", 42));
        assertThrows(IllegalArgumentException.class, () -> XenApiWire.methodCall("m", (Object) null));
        assertThrows(IllegalArgumentException.class, () -> XenApiWire.methodCall("m", Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> XenApiWire.methodCall("m", "bell\u0007"));
    }

    @Test
    void readsTheStringValueInTheDaemonsFormAndInPythons() {
        assertEquals("OpaqueRef:1&2", value("<struct><member><name>Status</name><value>Success</value></member>"
                + "<member><name>Value</name><value>OpaqueRef:1&amp;2</value></member></struct>"));
        assertEquals("3f2a", value("<struct>\n<member>\n<name>Status</name>\n<value><string>Success</string>"
                + "</value>\n</member>\n<member>\n<name>Value</name>\n<value><string>3f2a</string></value>\n"
                + "</member>\n</struct>"));
        assertEquals("", value("<member><name>Value</name><value></value></member>"));
        assertEquals("\u00e9\u00e9", value("<member><name>Value</name><value>&#233;&#xE9;</value></member>"));
    }

    @Test
    void aValueThatIsNotAStringOrIsMissingGivesNull() {
        assertNull(value("<member><name>Value</name><value><struct></struct></value></member>"));
        assertNull(value("<member><name>Value</name><value><boolean>1</boolean></value></member>"));
        assertNull(value("<member><name>Status</name><value>Success</value></member>"));
        assertNull(value("<member><name>Value</name><value>unterminated"));
    }

    @Test
    void readsTheErrorDescriptionInBothForms() {
        assertEquals(List.of("VM_BAD_POWER_STATE", "ref", "halted", "running"), errors(
                "<member><name>Status</name><value>Failure</value></member><member><name>ErrorDescription</name>"
                        + "<value><array><data><value>VM_BAD_POWER_STATE</value><value>ref</value>"
                        + "<value>halted</value><value>running</value></data></array></value></member>"));
        assertEquals(List.of("SESSION_AUTHENTICATION_FAILED", "root", "a<b"), errors(
                "<member>\n<name>ErrorDescription</name>\n<value><array><data>\n"
                        + "<value><string>SESSION_AUTHENTICATION_FAILED</string></value>\n"
                        + "<value><string>root</string></value>\n<value><string>a&lt;b</string></value>\n"
                        + "</data></array></value>\n</member>\n<member><name>Other</name><value>x</value></member>"));
        assertEquals(List.of(), errors("<member><name>Status</name><value>Success</value></member>"));
    }

    @Test
    void refusesUnknownEntities() {
        assertThrows(IllegalArgumentException.class, () -> value("<name>Value</name><value>&nbsp;</value>"));
        assertThrows(IllegalArgumentException.class, () -> value("<name>Value</name><value>a &amp b</value>"));
    }

    private static String value(String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        return XenApiWire.stringValue(b, 0, b.length);
    }

    private static List<String> errors(String xml) {
        byte[] b = xml.getBytes(StandardCharsets.UTF_8);
        List<String> out = XenApiWire.errorDescription(b, 0, b.length);
        assertTrue(out.stream().noneMatch(String::isBlank));
        return out;
    }
}
