package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class XenApiSuccessTest {

    @Test
    void recognisesTheDaemonsCompactForm() {
        assertTrue(success("<?xml version=\"1.0\"?><methodResponse><params><param><value><struct><member>"
                + "<name>Status</name><value>Success</value></member><member><name>Value</name><value>x</value>"
                + "</member></struct></value></param></params></methodResponse>"));
    }

    @Test
    void recognisesPythonsFormWithStringTagsAndNewlines() {
        assertTrue(success("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n"
                + "<name>Status</name>\n<value><string>Success</string></value>\n</member>\n"));
    }

    @Test
    void refusesFailuresFaultsAndTruncatedAnswers() {
        assertFalse(success("<member><name>Status</name><value>Failure</value></member>"));
        assertFalse(success("<member>\n<name>Status</name>\n<value><string>Failure</string></value>"));
        assertFalse(success("<methodResponse><fault><value><struct><member><name>faultCode</name>"));
        assertFalse(success("<member><name>Status</name><value>Succ"));
        assertFalse(success("<member><name>Status</name><value>Success"), "the value must be closed");
        assertFalse(success(""));
    }

    @Test
    void looksOnlyInsideTheGivenRange() {
        byte[] b = bytes("xx<name>Status</name><value>Success</value>yy");
        assertTrue(XenApiSuccess.in(b, 2, b.length - 2));
        assertFalse(XenApiSuccess.in(b, 2, b.length - 10));
    }

    private static boolean success(String s) {
        return XenApiSuccess.in(bytes(s));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
