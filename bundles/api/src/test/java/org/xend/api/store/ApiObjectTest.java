package org.xend.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ApiObjectTest {

    @Test
    void aSnapshotIsNotChangedByItsSourceMapAndCannotBeChanged() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name_label", "a");
        source.put("memory_static_max", 1024L);
        ApiObject vm = new ApiObject("VM", "ref", 1, source);

        source.put("name_label", "changed");
        source.remove("memory_static_max");

        assertEquals("a", vm.string("name_label"));
        assertEquals(1024L, vm.longValue("memory_static_max"));
        assertThrows(UnsupportedOperationException.class, () -> vm.fields().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> vm.fields().remove("name_label"));
        assertThrows(UnsupportedOperationException.class, () -> vm.fields().entrySet().iterator().next().setValue(""));
        assertThrows(UnsupportedOperationException.class, () -> vm.fields().keySet().clear());
    }

    @Test
    void aNewGenerationOfASnapshotSharesItsFieldsAndKeepsTheirOrder() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("z", "1");
        source.put("a", "2");
        source.put("m", "3");
        ApiObject first = new ApiObject("VM", "ref", 1, source);
        ApiObject second = new ApiObject("VM", "ref", 2, first.fields());

        assertSame(first.fields(), second.fields());
        assertEquals(List.of("z", "a", "m"), List.copyOf(second.fields().keySet()));
        assertEquals(source, second.fields());
        assertEquals(second.fields(), source);
        assertEquals(source.hashCode(), second.fields().hashCode());
    }
}
