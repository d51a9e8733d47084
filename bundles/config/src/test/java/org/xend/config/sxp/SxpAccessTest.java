package org.xend.config.sxp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.ConfigException;

class SxpAccessTest {

    private final Object vm = Sxp.parse("(vm (name web) (memory) (device (vbd (uname phy:sda1)))"
            + " (device (vif (mac 00:16:3e:00:00:01))) (image (linux (kernel /k))) bare)");

    SxpAccessTest() throws ConfigException {
    }

    @Test
    void childValueIsElementOneOfTheFirstChildNamedKey() {
        assertEquals("web", Sxp.childValue(vm, "name"));
        assertEquals(Sxp.list("vbd", Sxp.list("uname", "phy:sda1")), Sxp.childValue(vm, "device"));
        assertEquals(Sxp.list("linux", Sxp.list("kernel", "/k")), Sxp.childValue(vm, "image"));
        assertNull(Sxp.childValue(vm, "memory"), "a child without a value");
        assertNull(Sxp.childValue(vm, "maxmem"), "no such child");
        assertNull(Sxp.childValue("atom", "name"));
    }

    @Test
    void childrenByKeyKeepsOrder() {
        List<List<Object>> devices = Sxp.children(vm, "device");
        assertEquals(2, devices.size());
        assertEquals("vbd", Sxp.name(devices.get(0).get(1)));
        assertEquals("vif", Sxp.name(devices.get(1).get(1)));
        assertTrue(Sxp.children(vm, "console").isEmpty());
        assertEquals(6, Sxp.children(vm).size());
        assertEquals(Sxp.list("name", "web"), Sxp.child(vm, "name"));
    }

    @Test
    void nameOfAtomsAndLists() {
        assertEquals("vm", Sxp.name(vm));
        assertEquals("x", Sxp.name("x"));
        assertNull(Sxp.name(List.of()));
        assertNull(Sxp.name(List.of(List.of("a"))));
        assertTrue(Sxp.isElement(vm, "vm"));
        assertFalse(Sxp.isElement(vm, "domain"));
    }

    @Test
    void xmlRpcFormConvertsBothWays() throws ConfigException {
        Object sxp = Sxp.list("vm", Sxp.list("name", "x"), Sxp.list("image", Sxp.list("linux")), Sxp.list());
        Object wire = Sxp.toXmlRpc(sxp);
        assertArrayEquals(new Object[] {"vm", new Object[] {"name", "x"}, new Object[] {"image", new Object[] {"linux"}},
                new Object[0]}, (Object[]) wire);
        assertEquals(sxp, Sxp.fromXmlRpc(wire));
    }

    @Test
    void xmlRpcNumbersAndBooleansBecomeWhatPythonStrGave() throws ConfigException {
        List<Object> fromXm = new ArrayList<>(List.of("vm", new Object[] {"memory", 128}, List.of("cpu_time", 12.5),
                new Object[] {"big", 5_000_000_000L}, new Object[] {"flag", true}, new Object[] {"d", 3.0}));
        assertEquals(Sxp.list("vm", Sxp.list("memory", "128"), Sxp.list("cpu_time", "12.5"),
                Sxp.list("big", "5000000000"), Sxp.list("flag", "True"), Sxp.list("d", "3.0")),
                Sxp.fromXmlRpc(fromXm));
    }

    @Test
    void xmlRpcValuesOutsideTheModelAreConfigErrors() {
        assertThrows(ConfigException.class, () -> Sxp.fromXmlRpc(new Object[] {"vm", null}));
        assertThrows(ConfigException.class, () -> Sxp.fromXmlRpc(new Object[] {"vm", new HashMap<>()}));
        Object[] selfContaining = new Object[1];
        selfContaining[0] = selfContaining;
        assertThrows(ConfigException.class, () -> Sxp.fromXmlRpc(selfContaining));
    }

    @Test
    void listAndCopyOfMakeDeeplyImmutableValues() {
        List<Object> inner = new ArrayList<>(List.of("b"));
        List<Object> outer = new ArrayList<>(List.of("a", inner));
        Object copy = Sxp.copyOf(outer);
        inner.add("changed");
        assertEquals(List.of("a", List.of("b")), copy);
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) ((List<?>) copy).get(1)).clear());
        assertThrows(IllegalArgumentException.class, () -> Sxp.copyOf(List.of("a", 1)));
    }
}
