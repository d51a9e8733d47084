package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xend.api.spi.xenstore.XenStoreException;
import org.xend.api.spi.xenstore.XsTransaction;
import org.xend.api.spi.xenstore.XsWatch;

class SimXenStoreTest {

    /** One delivered watch event and the thread it was delivered on. */
    private record Fired(String path, String token, String thread) {
    }

    private SimXenStore store;
    private final BlockingQueue<Fired> fired = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        store = new SimXenStore();
        store.activate();
    }

    @AfterEach
    void stop() {
        store.deactivate();
    }

    private XsWatch watch(String path, String token) {
        return store.watch(path, token,
                (p, t) -> fired.add(new Fired(p, t, Thread.currentThread().getName())));
    }

    private String nextFiredPath() throws InterruptedException {
        Fired event = fired.poll(5, TimeUnit.SECONDS);
        assertTrue(event != null, "expected a watch event");
        return event.path();
    }

    @Test
    void writeCreatesParentsWithEmptyValuesAndReadReturnsTheValue() {
        store.write("/local/domain/3/name", "guest");

        assertEquals(Optional.of("guest"), store.read("/local/domain/3/name"));
        assertEquals(Optional.of(""), store.read("/local/domain/3"));
        assertEquals(Optional.of(""), store.read("/local"));
        assertEquals(Optional.empty(), store.read("/local/domain/4"));
    }

    @Test
    void directoryListsChildrenSortedAndFailsWithEnoentForAMissingNode() {
        store.write("/vm/b", "2");
        store.write("/vm/c", "3");
        store.write("/vm/a", "1");
        store.mkdir("/vm/empty");

        assertEquals(List.of("a", "b", "c", "empty"), store.directory("/vm"));
        assertEquals(List.of(), store.directory("/vm/empty"));
        XenStoreException missing = assertThrows(XenStoreException.class, () -> store.directory("/nothing/here"));
        assertEquals("ENOENT", missing.errno());
        assertFalse(store.exists("/nothing"));
        assertTrue(store.exists("/vm/empty"));
    }

    @Test
    void startsWithTheNodesXenstoredCreates() {
        assertEquals(List.of("tool"), store.directory("/"));
        assertEquals(List.of("xenstored"), store.directory("/tool"));
    }

    @Test
    void mkdirKeepsTheValueOfAnExistingNode() {
        store.write("/a", "kept");
        store.mkdir("/a");
        store.mkdir("/a/b/c");

        assertEquals(Optional.of("kept"), store.read("/a"));
        assertEquals(Optional.of(""), store.read("/a/b/c"));
    }

    @Test
    void removeDeletesTheWholeSubtreeAndAMissingNodeIsNoError() {
        store.write("/local/domain/5/device/vbd/768/state", "4");
        store.write("/local/domain/5/name", "x");
        store.write("/local/domain/6/name", "y");

        store.remove("/local/domain/5");
        store.remove("/local/domain/5");

        assertEquals(Optional.empty(), store.read("/local/domain/5/device/vbd/768/state"));
        assertEquals(List.of("6"), store.directory("/local/domain"));
    }

    @Test
    void rejectsInvalidPathsAndOversizedValues() {
        assertEquals("EINVAL", assertThrows(XenStoreException.class, () -> store.read("relative")).errno());
        assertEquals("EINVAL", assertThrows(XenStoreException.class, () -> store.write("/a//b", "")).errno());
        assertEquals("EINVAL", assertThrows(XenStoreException.class, () -> store.write("/a/", "")).errno());
        assertEquals("EINVAL", assertThrows(XenStoreException.class, () -> store.write("/a b", "")).errno());
        assertEquals("EINVAL", assertThrows(XenStoreException.class, () -> store.remove("/")).errno());
        assertEquals("E2BIG", assertThrows(XenStoreException.class,
                () -> store.write("/big", "x".repeat(XsPaths.MAX_VALUE_LENGTH + 1))).errno());
    }

    @Test
    void aTransactionSeesItsOwnWritesWhichOthersSeeOnlyAfterCommit() {
        store.write("/t/gone", "1");
        try (XsTransaction t = store.transaction()) {
            t.write("/t/new", "v");
            t.remove("/t/gone");

            assertEquals(Optional.of("v"), t.read("/t/new"));
            assertEquals(List.of("new"), t.directory("/t"));
            assertEquals(Optional.empty(), store.read("/t/new"));
            assertEquals(Optional.of("1"), store.read("/t/gone"));

            assertTrue(t.commit());
        }
        assertEquals(Optional.of("v"), store.read("/t/new"));
        assertEquals(Optional.empty(), store.read("/t/gone"));
    }

    @Test
    void aCommittedBatchLeavesAnOpenTransactionsSnapshotAsItWas() {
        store.write("/vm/a/name", "before");
        XsTransaction reader = store.transaction();
        try (XsTransaction batch = store.transaction()) {
            // many writes under the same parents: the batch changes its own copies of them in place
            for (int i = 0; i < 5; i++) {
                batch.write("/vm/a/cpu/" + i, "online");
            }
            batch.write("/vm/a/name", "after");
            batch.remove("/vm/a/cpu/4");
            assertEquals(List.of("0", "1", "2", "3"), batch.directory("/vm/a/cpu"));
            assertTrue(batch.commit());
        }

        assertEquals(List.of("0", "1", "2", "3"), store.directory("/vm/a/cpu"));
        assertEquals(Optional.of("after"), store.read("/vm/a/name"));
        assertEquals(Optional.of("before"), reader.read("/vm/a/name"), "the earlier snapshot is untouched");
        assertEquals(List.of("name"), reader.directory("/vm/a"));
        reader.abort();

        // the published tree is not changed by the next batch either
        XsTransaction second = store.transaction();
        try (XsTransaction batch = store.transaction()) {
            batch.write("/vm/a/cpu/0", "offline");
            batch.write("/vm/a/cpu/9", "online");
            assertTrue(batch.commit());
        }
        assertEquals(Optional.of("online"), second.read("/vm/a/cpu/0"));
        assertEquals(List.of("0", "1", "2", "3"), second.directory("/vm/a/cpu"));
        second.abort();
        assertEquals(List.of("0", "1", "2", "3", "9"), store.directory("/vm/a/cpu"));
    }

    @Test
    void closingWithoutCommitAbortsTheTransaction() {
        try (XsTransaction t = store.transaction()) {
            t.write("/aborted", "v");
        }
        XsTransaction aborted = store.transaction();
        aborted.write("/aborted/too", "v");
        aborted.abort();

        assertFalse(store.exists("/aborted"));
        assertThrows(IllegalStateException.class, () -> aborted.read("/aborted"));
    }

    @Test
    void commitFailsWhenANodeTheTransactionReadWasChangedByAnotherWriter() {
        store.write("/counter", "1");
        try (XsTransaction t = store.transaction()) {
            assertEquals(Optional.of("1"), t.read("/counter"));
            store.write("/counter", "5");
            t.write("/counter", "2");

            assertFalse(t.commit());
        }
        assertEquals(Optional.of("5"), store.read("/counter"));
    }

    @Test
    void commitFailsWhenAListedDirectoryGainedAChild() {
        store.mkdir("/devices");
        try (XsTransaction t = store.transaction()) {
            assertEquals(List.of(), t.directory("/devices"));
            store.write("/devices/51712", "");
            t.write("/devices/768", "");

            assertFalse(t.commit());
        }
        assertEquals(List.of("51712"), store.directory("/devices"));
    }

    @Test
    void commitFailsWhenANodeChangedBetweenTheStartAndTheFirstTouch() {
        store.write("/x", "old");
        try (XsTransaction t = store.transaction()) {
            store.write("/x", "new");
            assertEquals(Optional.of("old"), t.read("/x"), "the transaction reads its snapshot");
            t.write("/y", "derived from old");

            assertFalse(t.commit());
        }
        assertFalse(store.exists("/y"));
    }

    @Test
    void changesToNodesTheTransactionNeverTouchedDoNotConflict() {
        store.write("/mine", "1");
        try (XsTransaction t = store.transaction()) {
            t.read("/mine");
            store.write("/other", "changed");
            t.write("/mine", "2");

            assertTrue(t.commit());
        }
        assertEquals(Optional.of("2"), store.read("/mine"));
        assertEquals(Optional.of("changed"), store.read("/other"));
    }

    @Test
    void inTransactionRetriesAfterAConflict() {
        store.write("/next-id", "7");
        AtomicInteger attempts = new AtomicInteger();

        int allocated = store.inTransaction(t -> {
            int id = Integer.parseInt(t.read("/next-id").orElseThrow());
            if (attempts.incrementAndGet() == 1) {
                store.write("/next-id", "8"); // someone else allocates meanwhile
            }
            t.write("/next-id", Integer.toString(id + 1));
            return id;
        });

        assertEquals(2, attempts.get());
        assertEquals(8, allocated);
        assertEquals(Optional.of("9"), store.read("/next-id"));
    }

    @Test
    void aWatchFiresOnRegistrationAndForChangesAtOrBelowItsPathOnTheDispatchThread() throws Exception {
        watch("/local/domain/1", "tok");
        Fired first = fired.poll(5, TimeUnit.SECONDS);
        assertEquals(new Fired("/local/domain/1", "tok", "xend-sim-xenstore-watches"), first);
        assertNotEquals(Thread.currentThread().getName(), first.thread());

        store.write("/local/domain/1", "");
        store.write("/local/domain/1/device/vif/0/state", "1");
        store.write("/local/domain/10/name", "sibling with a common prefix");
        store.write("/local/domain/2/name", "sibling");
        store.write("/local/domain/1/marker", "");

        assertEquals("/local/domain/1", nextFiredPath());
        assertEquals("/local/domain/1/device/vif/0/state", nextFiredPath());
        assertEquals("/local/domain/1/marker", nextFiredPath(), "no event for siblings");
    }

    @Test
    void removingAnAncestorFiresWatchesInsideTheRemovedSubtreeWithTheirOwnPath() throws Exception {
        store.write("/local/domain/4/control/shutdown", "");
        watch("/local/domain/4/control/shutdown", "ctl");
        assertEquals("/local/domain/4/control/shutdown", nextFiredPath());

        store.remove("/local/domain/4");

        assertEquals("/local/domain/4/control/shutdown", nextFiredPath());
    }

    @Test
    void mkdirOfAnExistingNodeAndRemovalOfAMissingOneFireNothing() throws Exception {
        store.mkdir("/quiet");
        watch("/quiet", "q");
        assertEquals("/quiet", nextFiredPath());

        store.mkdir("/quiet");
        store.remove("/quiet/missing");
        store.write("/quiet/marker", "");

        assertEquals("/quiet/marker", nextFiredPath());
    }

    @Test
    void transactionChangesFireOnlyAtCommit() throws Exception {
        watch("/tx", "t");
        assertEquals("/tx", nextFiredPath());

        try (XsTransaction aborted = store.transaction()) {
            aborted.write("/tx/aborted", "");
        }
        try (XsTransaction t = store.transaction()) {
            t.write("/tx/a", "1");
            t.write("/tx/b", "2");
            assertNull(fired.poll(150, TimeUnit.MILLISECONDS), "nothing fires before the commit");
            assertTrue(t.commit());
        }

        assertEquals("/tx/a", nextFiredPath());
        assertEquals("/tx/b", nextFiredPath());
        assertNull(fired.poll(100, TimeUnit.MILLISECONDS), "the aborted transaction fired nothing");
    }

    @Test
    void aClosedWatchFiresNoMore() throws Exception {
        XsWatch closed = watch("/w", "closed");
        watch("/w", "open");
        fired.poll(5, TimeUnit.SECONDS);
        fired.poll(5, TimeUnit.SECONDS);

        closed.close();
        store.write("/w/x", "");

        assertEquals(new Fired("/w/x", "open", "xend-sim-xenstore-watches"), fired.poll(5, TimeUnit.SECONDS));
        assertNull(fired.poll(100, TimeUnit.MILLISECONDS));
        assertEquals(1, store.watchCount());
    }

    @Test
    void aThrowingListenerIsLoggedAndTheDispatchThreadGoesOn() throws Exception {
        store.watch("/boom", "bad", (p, t) -> {
            throw new IllegalStateException("listener failure (expected by the test)");
        });
        watch("/boom", "good");
        assertEquals("/boom", nextFiredPath());

        store.write("/boom/again", "");

        assertEquals("/boom/again", nextFiredPath());
    }

    @Test
    void specialDomainWatchesFireOnRegistrationAndWhenTheHypervisorFiresThem() throws Exception {
        watch("@introduceDomain", "intro");
        watch("/", "everything");
        assertEquals("@introduceDomain", nextFiredPath());
        assertEquals("/", nextFiredPath());

        store.fireDomainWatches(XsPaths.INTRODUCE_DOMAIN);
        store.fireDomainWatches(XsPaths.RELEASE_DOMAIN);

        assertEquals(new Fired("@introduceDomain", "intro", "xend-sim-xenstore-watches"),
                fired.poll(5, TimeUnit.SECONDS));
        assertNull(fired.poll(100, TimeUnit.MILLISECONDS), "special paths are not below /");
        assertEquals("EINVAL", assertThrows(XenStoreException.class,
                () -> store.watch("@unknown", "t", (p, t) -> { })).errno());
    }
}
