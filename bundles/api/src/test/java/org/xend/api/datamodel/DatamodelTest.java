package org.xend.api.datamodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The declaration mechanism itself, on small models built here (the Xen API model has its own tests). */
class DatamodelTest {

    private static final ClassDecl DISK = ClassDecl.builder("disk", "a disk")
            .constructor("DISK_FULL")
            .destructor("DISK_BUSY", "HANDLE_INVALID")
            .field("name_label", Type.STRING, Qualifier.RW, "name")
            .field("owner", Type.ref("box"), Qualifier.RO_INS, "the box it belongs to")
            .field("size", Type.INT, Qualifier.RO_RUN, "bytes")
            .field("other_config", Type.STRING_MAP, Qualifier.RW, "additional configuration")
            .build();

    private static final ClassDecl BOX = ClassDecl.builder("box", "a box with no refs in its record")
            .constructor()
            .destructor()
            .field("colour", Type.STRING, Qualifier.RW, "colour")
            .build();

    private static Datamodel.Builder withErrors() {
        return Datamodel.builder()
                .error("HANDLE_INVALID", "bad handle", "class", "handle")
                .error("DISK_FULL", "full")
                .error("DISK_BUSY", "busy")
                .error("GONE", "gone");
    }

    private static Datamodel model(ClassDecl... classes) {
        Datamodel.Builder b = withErrors();
        for (ClassDecl c : classes) {
            b.add(c);
        }
        return b.build();
    }

    @Test
    void constructorErrorsFollowTheRefCheckAndDestructorErrorsFollowHandleInvalidOnce() {
        Datamodel m = model(DISK, BOX);
        assertEquals(List.of("HANDLE_INVALID", "DISK_FULL"), m.call("disk.create").orElseThrow().errors());
        assertEquals(List.of("HANDLE_INVALID", "DISK_BUSY"), m.call("disk.destroy").orElseThrow().errors());
        assertEquals(List.of(), m.call("box.create").orElseThrow().errors(), "no ref in a box record to check");
        assertEquals(List.of("HANDLE_INVALID"), m.call("box.destroy").orElseThrow().errors());
        assertEquals(List.of("DISK_FULL"), DISK.constructorErrors());
        assertEquals(List.of("DISK_BUSY", "HANDLE_INVALID"), DISK.destructorErrors());
    }

    @Test
    void aConstructorOrDestructorRaisingAnUndeclaredCodeIsRejected() {
        ClassDecl badCreate = ClassDecl.builder("probe", "p").constructor("NO_SUCH_CODE").build();
        assertThrows(IllegalStateException.class, () -> model(badCreate));
        ClassDecl badDestroy = ClassDecl.builder("probe", "p").destructor("NO_SUCH_CODE").build();
        assertThrows(IllegalStateException.class, () -> model(badDestroy));
    }

    @Test
    void getAllRecordsWhereIsGeneratedForEveryClassWithGeneratedCalls() {
        Datamodel m = model(DISK);
        ApiCall where = m.call("disk.get_all_records_where").orElseThrow();
        assertEquals(CallKind.GET_ALL_RECORDS_WHERE, where.kind());
        assertEquals(List.of("expr"), where.params().stream().map(ParamDecl::name).toList());
        assertEquals(Type.STRING, where.params().get(0).type());
        assertEquals(Type.mapOf(Type.ref("disk"), Type.record("disk")), where.result());
        assertEquals(Role.READ_ONLY, where.role());
        assertEquals(List.of(), where.errors());
        assertEquals(2, where.maxArity());
        assertFalse(where.takesSelf());
    }

    @Test
    void aClassWithoutGeneratedCallsHasNoUuidAndOnlyItsMessages() {
        ClassDecl feed = ClassDecl.builder("feed", "records built on demand")
                .noGeneratedCalls()
                .field("id", Type.INT, Qualifier.RO_INS, "id")
                .field("name_label", Type.STRING, Qualifier.RW, "would get setters and get_by_name_label")
                .message(MessageDecl.function("poll", "poll").returns(Type.setOf(Type.record("feed"))))
                .message(MessageDecl.method("touch", "an object message still takes self").errors("GONE"))
                .build();
        assertFalse(feed.generatedCalls());
        assertEquals(List.of("id", "name_label"), List.copyOf(feed.fields().keySet()));
        Datamodel m = model(feed);
        Set<String> calls = new TreeSet<>(m.calls().keySet());
        assertEquals(Set.of("feed.poll", "feed.touch"), calls);
        assertEquals(List.of("self"), m.call("feed.touch").orElseThrow().params().stream().map(ParamDecl::name)
                .toList());
    }

    @Test
    void aClassWithoutGeneratedCallsCannotHaveAConstructorOrDestructor() {
        assertThrows(IllegalStateException.class,
                () -> ClassDecl.builder("feed", "f").noGeneratedCalls().constructor().build());
        assertThrows(IllegalStateException.class,
                () -> ClassDecl.builder("feed", "f").destructor().noGeneratedCalls().build());
    }

    @Test
    void theOneDotZeroConstructorKeepsEveryGeneratedCall() {
        ClassDecl plain = new ClassDecl("plain", "built without the builder", Map.of(), Map.of(), true, false,
                Role.READ_ONLY, Role.VM_ADMIN);
        assertTrue(plain.generatedCalls());
        assertEquals(List.of(), plain.constructorErrors());
        assertEquals(List.of(), plain.destructorErrors());
        assertTrue(model(plain).call("plain.get_all").isPresent());
        assertTrue(model(plain).call("plain.create").isPresent());
    }

    @Test
    void aStructKeepsItsMemberOrderAndIsImmutable() {
        Map<String, Type> members = new LinkedHashMap<>();
        members.put("events", Type.setOf(Type.record("event")));
        members.put("valid_ref_counts", Type.mapOf(Type.STRING, Type.INT));
        members.put("token", Type.STRING);
        Type.Struct batch = (Type.Struct) Type.struct("event_batch", members);
        members.put("late", Type.BOOL);
        assertEquals(List.of("events", "valid_ref_counts", "token"), List.copyOf(batch.members().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> batch.members().put("x", Type.INT));
        assertEquals("struct event_batch", batch.display());
        Map<String, Type> same = new LinkedHashMap<>(batch.members());
        assertEquals(batch, Type.struct("event_batch", same));
    }

    @Test
    void aStructResultReachesTheDerivedCall() {
        Type result = Type.struct("batch", Map.of("token", Type.STRING));
        ClassDecl feed = ClassDecl.builder("feed", "f")
                .noGeneratedCalls()
                .message(MessageDecl.function("from", "f").returns(result).noAsync())
                .build();
        ApiCall from = model(feed).call("feed.from").orElseThrow();
        assertEquals(result, from.result());
        assertFalse(from.async());
    }
    @Test
    void relationsNameASetOfRefsAndTheRefFieldThatFillsIt() {
        ClassDecl shelf = ClassDecl.builder("box", "a box that lists its disks")
                .field("disks", Type.setOf(Type.ref("disk")), Qualifier.RO_RUN, "disks in it")
                .field("labels", Type.setOf(Type.STRING), Qualifier.RO_RUN, "not refs")
                .field("writable", Type.setOf(Type.ref("disk")), Qualifier.RW, "a set a client writes")
                .build();
        Datamodel ok = withErrors().add(DISK).add(shelf).relation("box", "disks", "disk", "owner").build();
        assertEquals(List.of(new Relation("box", "disks", "disk", "owner")), ok.relations());
        assertEquals("box.disks <- disk.owner", ok.relations().get(0).toString());

        for (String[] bad : new String[][] {
                {"box", "labels", "disk", "owner"},      // not a set of disk refs
                {"box", "disks", "disk", "name_label"},  // not a box ref
                {"box", "writable", "disk", "owner"},    // a set someone else writes
                {"box", "nothing", "disk", "owner"},     // no such field
                {"crate", "disks", "disk", "owner"}}) {  // no such class
            assertThrows(IllegalStateException.class,
                    () -> withErrors().add(DISK).add(shelf).relation(bad[0], bad[1], bad[2], bad[3]).build(),
                    String.join(" ", bad));
        }
    }
}
