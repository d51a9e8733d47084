package org.xend.rpc.xmlrpc.legacy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.rpc.xmlrpc.XmlRpcEndpoint;

/** The legacy API behind the shared XML-RPC codec: what xm's client really reads. */
class LegacyOverXmlRpcTest {

    @TempDir
    Path state;

    private LegacyFixture xend;
    private XmlRpcEndpoint endpoint;

    @BeforeEach
    void setUp() throws Exception {
        xend = new LegacyFixture(state);
        endpoint = new XmlRpcEndpoint(xend.api, 32);
    }

    @AfterEach
    void tearDown() throws Exception {
        xend.close();
    }

    private String post(String method, String... params) {
        StringBuilder body = new StringBuilder("<?xml version='1.0'?><methodCall><methodName>").append(method)
                .append("</methodName><params>");
        for (String p : params) {
            body.append("<param><value>").append(p).append("</value></param>");
        }
        body.append("</params></methodCall>");
        ByteBuf in = Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.UTF_8));
        ByteBuf out = endpoint.handle(in, LegacyFixture.CONTEXT, UnpooledByteBufAllocator.DEFAULT);
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            in.release();
            out.release();
        }
    }

    private static String array(String... values) {
        StringBuilder a = new StringBuilder("<array><data>");
        for (String v : values) {
            a.append("<value>").append(v).append("</value>");
        }
        return a.append("</data></array>").toString();
    }

    @Test
    void intsAreNativeAndSxpIsNestedArrays() {
        String info = post("xend.node.info");
        assertFalse(info.contains("<fault>"), info);
        assertTrue(info.contains("<value>total_memory</value><value><i4>4096</i4></value>"), info);
        assertTrue(info.contains("<value>xend_config_format</value><value><i4>4</i4></value>"), info);

        String vm = array("vm", array("name", "wired"), array("memory", "<int>64</int>"),
                array("image", array("linux", array("kernel", "/boot/vmlinuz"))));
        String created = post("xend.domain.new", vm);
        assertTrue(created.contains("<params><param><value></value></param></params>"), "void is \"\": " + created);
        assertFalse(created.contains("nil"), created);

        String names = post("xend.domains_with_state", "<boolean>0</boolean>", "all", "<boolean>0</boolean>");
        assertTrue(names.contains(array("Domain-0", "wired")), names);
        String sxp = post("xend.domain", "wired");
        assertTrue(sxp.contains("<value>memory</value><value><i4>64</i4></value>"), sxp);
        assertTrue(sxp.contains("<value>status</value><value><i4>0</i4></value>"), sxp);
        assertTrue(sxp.contains(array("image", array("linux", array("kernel", "/boot/vmlinuz")))), sxp);
    }

    @Test
    void faultsCarryXendsCodes() {
        String missing = post("xend.domain.start", "nosuch");
        assertTrue(missing.contains("<fault>"), missing);
        assertTrue(missing.contains("<name>faultCode</name><value><i4>3</i4></value>"), missing);
        assertTrue(missing.contains("<name>faultString</name><value>nosuch</value>"), missing);
        String unknown = post("xend.domain.fly");
        assertTrue(unknown.contains("<name>faultCode</name><value><i4>1</i4></value>"), unknown);
        String refused = post("xend.domain.pause", "Domain-0");
        assertTrue(refused.contains("<name>faultCode</name><value><i4>2</i4></value>"), refused);
    }

    @Test
    void aTopLevelStringIsPythonEscaped() throws Throwable {
        Files.writeString(state.resolve("karaf.log"), "bold \u001b[1m\n", StandardCharsets.UTF_8);
        LegacyFixture.withKarafLogIn(state, () -> {
            String log = post("xend.node.log");
            assertTrue(log.contains("<value>bold \\x1b[1m\\n</value>"), log);
        });
    }
}
