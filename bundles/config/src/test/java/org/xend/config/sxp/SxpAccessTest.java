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
    void builtListsAreImmutableCopiesThatLaterListsShare() {
        List<Object> mutable = new ArrayList<>(List.of("kernel", "/k"));
        List<Object> kernel = Sxp.listOf(mutable);
        mutable.set(1, "/other");
        assertEquals(List.of("kernel", "/k"), kernel, "a copy, not a view");
        assertThrows(UnsupportedOperationException.class, () -> kernel.add("x"));
        List<Object> image = Sxp.list("image", Sxp.list("linux", kernel));
        assertTrue(((List<?>) image.get(1)).get(1) == kernel, "an SXP list already made is shared, not copied again");
        assertEquals(List.of("image", List.of("linux", List.of("kernel", "/k"))), image);
        assertEquals(image.hashCode(), List.of("image", List.of("linux", List.of("kernel", "/k"))).hashCode());
        assertThrows(IllegalArgumentException.class, () -> Sxp.list("bad", 42));
    }

    @Test
    void sharedListsStillCountTowardsTheDepthLimit() {
        Object deep = Sxp.list();
        for (int height = 1; height < Sxp.MAX_DEPTH; height++) {
            deep = Sxp.list(deep);
        }
        Object deepest = deep; // MAX_DEPTH levels: the limit itself
        assertEquals(Sxp.MAX_DEPTH, depth(deepest));
        assertThrows(IllegalArgumentException.class, () -> Sxp.list(deepest));
        assertThrows(IllegalArgumentException.class, () -> Sxp.list("a", List.of(deepest)));
    }

    private static int depth(Object value) {
        int d = 0;
        while (value instanceof List<?> l) {
            d++;
            value = l.isEmpty() ? null : l.get(0);
        }
        return d;
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
