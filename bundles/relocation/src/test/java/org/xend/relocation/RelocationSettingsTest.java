package org.xend.relocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RelocationSettingsTest {

    @Test
    void offByDefaultOnTheDaemonsBindAddressAndXendsPort() {
        RelocationSettings s = RelocationSettings.from(Map.of(), Map.of(), null);
        assertFalse(s.server());
        assertEquals("127.0.0.1", s.address());
        assertEquals(8002, s.port());
        assertTrue(s.hostsAllow().allows(InetAddress.getLoopbackAddress()));
        assertEquals(Duration.ofSeconds(30), s.timeout());
        assertEquals(4, s.maxConnections());
    }

    @Test
    void theEnvironmentOverridesTheConfiguration() {
        Map<String, Object> props = Map.of("server", "no", "port", "9002", "bindAddress", "10.0.0.1");
        RelocationSettings s = RelocationSettings.from(props, Map.of("XEND_RELOCATION_SERVER", "yes",
                "XEND_RELOCATION_PORT", "18002", "XEND_RELOCATION_HOSTS_ALLOW", "^localhost$",
                "XEND_RELOCATION_TIMEOUT_SECONDS", "5"), null);
        assertTrue(s.server());
        assertEquals(18002, s.port());
        assertEquals("10.0.0.1", s.address(), "the daemon's bind address");
        assertEquals("^localhost$", s.hostsAllow().toString());
        assertEquals(Duration.ofSeconds(5), s.timeout());
        assertEquals("0.0.0.0", RelocationSettings.from(Map.of("address", "0.0.0.0"), Map.of(), null).address());
    }

    @Test
    void badValuesAreNamed() {
        assertThrows(IllegalArgumentException.class,
                () -> RelocationSettings.from(Map.of("server", "perhaps"), Map.of(), null));
        assertThrows(IllegalArgumentException.class,
                () -> RelocationSettings.from(Map.of("port", "70000"), Map.of(), null));
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class,
                () -> RelocationSettings.from(Map.of("hostsAllow", "^ok$ (broken"), Map.of(), null));
        assertTrue(regex.getMessage().contains("'(broken'"));
    }

    @Test
    void hostsAllowMatchesFromTheStartOfTheAddressOrName() throws Exception {
        HostsAllow allow = HostsAllow.parse("^localhost$ 192\\.168\\.1\\.");
        assertTrue(allow.allows(InetAddress.getByName("127.0.0.1")), "loopback is localhost");
        assertTrue(allow.allows(InetAddress.getByName("192.168.1.20")));
        assertFalse(allow.allows(InetAddress.getByName("10.192.168.1")), "matched from the start only");
    }
}
