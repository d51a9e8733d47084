package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class HostAllowListTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void emptyAllowsEveryone() throws Exception {
        assertTrue(HostAllowList.parse("").allowsAll());
        assertTrue(HostAllowList.parse("  ").allows(ip("203.0.113.9")));
        assertTrue(HostAllowList.parse(null).allows(ip("::1")));
    }

    @Test
    void matchesFromTheStartOfTheAddressLikePythonReMatch() throws Exception {
        HostAllowList list = HostAllowList.parse("^192\\.0\\.2\\.  10\\.1\\.");
        assertFalse(list.allowsAll());
        assertTrue(list.allows(ip("192.0.2.44")));
        assertTrue(list.allows(ip("10.1.7.7")));
        assertFalse(list.allows(ip("110.1.7.7")), "not anchored at the end, but at the start");
        assertFalse(list.allows(ip("198.51.100.1")));
    }

    @Test
    void loopbackClientsAlsoMatchAsLocalhost() throws Exception {
        HostAllowList list = HostAllowList.parse("^localhost$");
        assertTrue(list.allows(ip("127.0.0.1")));
        assertTrue(list.allows(ip("::1")));
        assertFalse(list.allows(ip("192.0.2.1")));
    }

    @Test
    void anInvalidExpressionIsReportedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostAllowList.parse("ok [broken"));
        assertTrue(e.getMessage().contains("[broken"), e.getMessage());
    }
}
