package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.xend.api.XenApiException;
import org.xend.api.store.ApiObject;
import org.xend.core.ObjectStoreImpl.Deletion;
import org.xend.core.ObjectStoreImpl.Deletions;
import org.xend.core.ObjectStoreImpl.StoredObject;

/** The generations, touches and tombstones events are read from. */
class ObjectStoreImplTest {

    private final ObjectStoreImpl store = new ObjectStoreImpl(TestModel.build());

    private ApiObject thing(String ref, String label) {
        return store.create("thing", ref, Map.of("name_label", label));
    }

    private ApiObject rename(String ref, String label) {
        return store.update("thing", ref, f -> {
            f.put("name_label", label);
            return f;
        });
    }

    @Test
    void everyCommitTakesTheNextGenerationAndAnUnchangedUpdateTakesNone() {
        assertEquals(0, store.generation());
        ApiObject a = thing("a", "one");
        assertEquals(1, a.generation());
        assertEquals(1, store.generation());
        ApiObject renamed = rename("a", "two");
        assertEquals(2, renamed.generation());
        assertSame(renamed, rename("a", "two"), "nothing changed, nothing committed");
        assertEquals(2, store.generation());
        assertTrue(store.remove("thing", "a"));
        assertEquals(3, store.generation());
        assertFalse(store.remove("thing", "a"));
        assertEquals(3, store.generation());
        assertEquals(3, store.lastChange("thing"));
        assertEquals(0, store.lastChange("task"));
    }

    @Test
    void anObjectKeepsItsCreationGenerationAndRecordsTouches() {
        thing("a", "one");
        rename("a", "two");
        StoredObject stored = store.entry("thing", "a").orElseThrow();
        assertEquals(1, stored.created());
        assertEquals(0, stored.touched());
        assertEquals(2, stored.object().generation());

        ApiObject touched = store.touch("thing", "a");
        assertEquals(3, touched.generation());
        assertEquals(Map.of(), diff(stored.object().fields(), touched.fields()), "a touch changes no field");
        StoredObject after = store.entry("thing", "a").orElseThrow();
        assertEquals(1, after.created());
        assertEquals(3, after.touched());
        assertEquals(List.of("HANDLE_INVALID", "thing", "nope"),
                assertThrows(XenApiException.class, () -> store.touch("thing", "nope")).errorDescription());
    }

    @Test
    void removedObjectsLeaveTombstonesUntilTooManyAreKept() {
        store.setDeletionsKept(2);
        thing("a", "one");
        thing("b", "two");
        thing("c", "three");
        store.create("task", "t", Map.of());
        long before = store.generation();
        rename("a", "last");
        store.remove("thing", "a");
        store.remove("thing", "b");

        Deletions deletions = store.deletionsSince("thing", before);
        assertTrue(deletions.complete());
        List<String> refs = new ArrayList<>();
        for (Deletion d : deletions.deletions()) {
            refs.add(d.last().ref());
        }
        assertEquals(List.of("a", "b"), refs, "oldest first");
        Deletion a = deletions.deletions().get(0);
        assertEquals("last", a.last().get("name_label"), "the last snapshot");
        assertEquals(1, a.created());
        assertEquals(before + 2, a.deleted());

        store.remove("task", "t");
        assertFalse(store.deletionsSince("thing", before).complete(), "a's tombstone was forgotten");
        assertEquals(List.of("b"), store.deletionsSince("thing", before).deletions().stream()
                .map(d -> d.last().ref()).toList());
        assertTrue(store.deletionsSince("thing", before + 2).complete(), "nothing after a's deletion is missing");
        assertTrue(store.deletionsSince("task", before).complete());
    }

    private static Map<String, Object> diff(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new java.util.HashMap<>();
        for (Map.Entry<String, Object> e : b.entrySet()) {
            if (!e.getValue().equals(a.get(e.getKey()))) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
