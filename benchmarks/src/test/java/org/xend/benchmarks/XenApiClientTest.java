package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class XenApiClientTest {

    private static final String OK_REF = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
            + "<member><name>Status</name><value>Success</value></member>"
            + "<member><name>Value</name><value>4bff0bd5-9cda-412c-b7c1-1162ded7bd86</value></member>"
            + "</struct></value></param></params></methodResponse>";
    private static final String FAILURE = "<?xml version=\"1.0\"?><methodResponse><params><param><value><struct>"
            + "<member><name>Status</name><value>Failure</value></member>"
            + "<member><name>ErrorDescription</name><value><array><data><value>SESSION_INVALID</value>"
            + "<value>s</value></data></array></value></member></struct></value></param></params></methodResponse>";

    @Test
    void unwrapsSuccessesAndTurnsFailuresIntoExceptionsOnOneConnection() throws Exception {
        try (ScriptedHttpServer server = new ScriptedHttpServer((n, out) -> {
            out.write(ScriptedHttpServer.response("", n == 1 ? OK_REF : FAILURE));
            return true;
        }); XenApiClient client = new XenApiClient(server.address(), 2000)) {
            assertEquals("4bff0bd5-9cda-412c-b7c1-1162ded7bd86", client.callForString("VM.create", "s", Map.of()));
            XenApiClient.XenApiFailure failure = assertThrows(XenApiClient.XenApiFailure.class,
                    () -> client.call("VM.get_all", "s"));
            assertEquals(List.of("SESSION_INVALID", "s"), failure.errorDescription());
            assertEquals(1, server.connections.get(), "keep-alive: one connection for both calls");
        }
    }

    @Test
    void countsRecordMarksWithoutOverlaps() {
        byte[] body = "<name>power_state</name>x<name>power_state</name><name>power</name>"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] mark = "<name>power_state</name>".getBytes(StandardCharsets.US_ASCII);
        assertEquals(2, ApiSurfaceBenchmark.count(body, 0, body.length, mark));
        assertEquals(1, ApiSurfaceBenchmark.count(body, 1, body.length, mark));
        assertEquals(0, ApiSurfaceBenchmark.count(body, 0, 10, mark));
    }

    @Test
    void theBenchmarkVmRecordIsTheGetRecordBenchmarksGuest() {
        Map<String, Object> r = ApiSurfaceBenchmark.vmRecord("bench-vm-00001");
        assertEquals("bench-vm-00001", r.get("name_label"));
        assertEquals(Long.toString(512L << 20), r.get("memory_static_max"));
        assertEquals(5, ((Map<?, ?>) r.get("platform")).size());
        assertEquals(4, ((Map<?, ?>) r.get("other_config")).size());
        assertTrue(r.values().stream().noneMatch(v -> v instanceof Long || v instanceof Integer),
                "Xen API ints travel as strings");
    }
}
