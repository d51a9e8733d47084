package org.xend.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Type;
import org.xend.api.store.ApiObject;
import org.xend.api.store.Refs;

/** The sets of the datamodel's relations are kept by the store from the children's refs. */
class ObjectStoreRelationsTest {

    private static final Datamodel MODEL = Datamodel.builder()
            .error("HANDLE_INVALID", "bad ref", "class", "handle")
            .add(ClassDecl.builder("box", "holds disks")
                    .field("name_label", Type.STRING, Qualifier.RW, "label")
                    .field("disks", Type.setOf(Type.ref("disk")), Qualifier.RO_RUN, "the disks in it")
                    .build())
            .add(ClassDecl.builder("disk", "sits in a box")
                    .field("name_label", Type.STRING, Qualifier.RW, "label")
                    .field("box", Type.ref("box"), Qualifier.RW, "the box it is in")
                    .build())
            .relation("box", "disks", "disk", "box")
            .build();

    private final ObjectStoreImpl store = new ObjectStoreImpl(MODEL);
    private final List<String> announced = Collections.synchronizedList(new ArrayList<>());

    ObjectStoreRelationsTest() {
        store.addListener((before, after) -> {
            ApiObject o = after != null ? after : before;
            announced.add((before == null ? "add " : after == null ? "del " : "mod ") + o.className() + " " + o.ref());
        });
    }

    private ApiObject disk(String ref, String box) {
        return store.create("disk", ref, Map.of("box", box));
    }

    private List<String> disksOf(String box) {
        return store.require("box", box).stringList("disks");
    }

    @Test
    void aChildJoinsItsParentsSetInItsOwnCommitAndTheParentIsAnnouncedAfterIt() {
        store.create("box", "b", Map.of("name_label", "shelf"));
        announced.clear();
        ApiObject d1 = disk("d1", "b");
        ApiObject box = store.require("box", "b");
        assertEquals(List.of("d1"), box.stringList("disks"));
        assertEquals(d1.generation(), box.generation(), "one commit");
        assertEquals(d1.generation(), store.generation());
        assertEquals(List.of("add disk d1", "mod box b"), announced);
        disk("d2", "b");
        assertEquals(List.of("d1", "d2"), disksOf("b"), "in the order they came");
        assertEquals("shelf", store.require("box", "b").string("name_label"), "the rest of the parent is kept");
    }

    @Test
    void childrenMadeBeforeTheirParentAreInItsSetFromTheStart() {
        disk("d1", "b");
        disk("d2", "b");
        disk("loose", Refs.NULL);
        assertEquals(List.of("d1", "d2"), store.create("box", "b", Map.of()).stringList("disks"));
    }

    @Test
    void movingAndRemovingChildrenChangesBothParents() {
        store.create("box", "a", Map.of());
        store.create("box", "b", Map.of());
        disk("d", "a");
        announced.clear();
        store.update("disk", "d", f -> {
            f.put("box", "b");
            return f;
        });
        assertEquals(List.of(), disksOf("a"));
        assertEquals(List.of("d"), disksOf("b"));
        assertEquals(List.of("mod disk d", "mod box a", "mod box b"), announced);
        long before = store.generation();
        store.update("disk", "d", f -> {
            f.put("name_label", "renamed");
            return f;
        });
        assertEquals(before, store.require("box", "b").generation(), "a change that keeps the parent leaves it be");
        assertTrue(store.remove("disk", "d"));
        assertEquals(List.of(), disksOf("b"));
    }

    @Test
    void whatAWriterPutsInTheSetIsReplacedByWhatTheChildrenSay() {
        store.create("box", "b", Map.of("disks", List.of("made-up")));
        assertEquals(List.of(), disksOf("b"));
        disk("d", "b");
        store.update("box", "b", f -> {
            f.put("disks", List.of("made-up"));
            f.put("name_label", "relabelled");
            return f;
        });
        assertEquals(List.of("d"), disksOf("b"));
        assertEquals("relabelled", store.require("box", "b").string("name_label"));
    }

    @Test
    void aParentUpdatedWhileItsChildrenComeAndGoEndsWithExactlyTheChildrenLeft() throws Exception {
        store.create("box", "b", Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    String ref = "d" + thread + "-" + i;
                    disk(ref, "b");
                    if (i % 3 != 0) {
                        store.remove("disk", ref);
                    }
                }
            }));
        }
        for (int t = 0; t < 2; t++) {
            running.add(pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    int n = i;
                    store.update("box", "b", f -> {
                        f.put("name_label", "pass " + n);
                        return f;
                    });
                }
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> left = new ArrayList<>();
        for (ApiObject d : store.all("disk")) {
            left.add(d.ref());
        }
        List<String> kept = new ArrayList<>(disksOf("b"));
        Collections.sort(kept);
        assertEquals(left, kept);
        assertEquals(400, kept.size());
        Map<String, Object> fields = new LinkedHashMap<>(store.require("box", "b").fields());
        assertTrue(fields.get("name_label").toString().startsWith("pass "));
    }
}
