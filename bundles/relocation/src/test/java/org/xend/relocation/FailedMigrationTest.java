package org.xend.relocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xend.relocation.MigrationTest.assertMigrateFailed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.hypervisor.DomainInfo;

/**
 * Destinations that fail at each step of the protocol: the source keeps its domain, running again, and the caller
 * is told why; only once the destination has restored the VM does the source let go of it.
 */
class FailedMigrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Host source;
    private String vm;
    private int domid;

    @BeforeEach
    void source() throws Exception {
        source = new Host(dir, 4096, TIMEOUT);
        vm = source.startManaged("web", 64);
        domid = source.domains.view(vm).domid();
    }

    @AfterEach
    void stop() throws Exception {
        source.close();
    }

    @Test
    void theOfferCarriesTheVmsIdentityAndMemory() throws Exception {
        try (FakeDestination fake = new FakeDestination((in, out) -> FakeDestination.send(out, "error no room"))) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));

            assertMigrateFailed(e, vm, "declined the VM: no room");
            assertEquals(List.of("receive", "protocol 1", "uuid " + vm, "name web", "memory " + (64L << 20),
                    "paused false"), fake.offer);
            assertRunningAsBefore();
        }
    }

    @Test
    void aConnectionLostDuringTheImageResumesTheDomain() throws Exception {
        AtomicBoolean pausedWhileSending = new AtomicBoolean();
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            FakeDestination.send(out, "ready");
            in.readNBytes(1 << 20);
            pausedWhileSending.set(source.hypervisor.domain(domid).orElseThrow().paused());
        })) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));

            assertMigrateFailed(e, vm, "127.0.0.1:" + fake.port());
            assertTrue(pausedWhileSending.get(), "a migration that is not live pauses the domain first");
            assertRunningAsBefore();
        }
    }

    @Test
    void aLiveMigrationSendsWhileTheDomainRuns() throws Exception {
        AtomicBoolean pausedWhileSending = new AtomicBoolean(true);
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            FakeDestination.send(out, "ready");
            in.readNBytes(1 << 20);
            pausedWhileSending.set(source.hypervisor.domain(domid).orElseThrow().paused());
            FakeDestination.send(out, "error the disk is on fire");
        })) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), true));

            assertMigrateFailed(e, vm, "the disk is on fire");
            assertFalse(pausedWhileSending.get(), "the domain ran while its memory was sent");
            assertRunningAsBefore();
        }
    }

    @Test
    void aDestinationThatStopsReadingIsDisconnected() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            FakeDestination.send(out, "ready");
            release.await(30, TimeUnit.SECONDS);
        })) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));

            assertMigrateFailed(e, vm, "stopped reading the image");
            assertRunningAsBefore();
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDestinationThatNeverAnswersTimesOut() throws Exception {
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            FakeDestination.send(out, "ready");
            FakeDestination.readImage(in);
            new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        })) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), true));

            assertMigrateFailed(e, vm, "did not send its answer to the image within 1 s");
            assertRunningAsBefore();
        }
    }

    @Test
    void aDestinationThatSpeaksNonsenseIsAProtocolError() throws Exception {
        try (FakeDestination fake = new FakeDestination((in, out) -> FakeDestination.send(out, "(ready receive)"))) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));

            assertMigrateFailed(e, vm, "broke the relocation protocol");
            assertRunningAsBefore();
        }
    }

    @Test
    void onlyARestoredVmIsLetGoOfAndAnUnconfirmedCommitIsReported() throws Exception {
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            FakeDestination.send(out, "ready");
            FakeDestination.readImage(in);
            FakeDestination.send(out, "restored " + vm + " 7");
            FakeDestination.readLine(in);
        })) {
            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));

            assertMigrateFailed(e, vm, "holds it paused as domain 7");
            assertEquals("Halted", source.powerState(vm), "the VM left once the destination had restored it");
            assertEquals(List.of(), source.guests());
        }
    }

    @Test
    void aSecondOperationWaitsForNoMigration() throws Exception {
        CountDownLatch offered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FakeDestination fake = new FakeDestination((in, out) -> {
            offered.countDown();
            release.await(30, TimeUnit.SECONDS);
            FakeDestination.send(out, "error changed my mind");
        })) {
            CompletableFuture<Void> migration = CompletableFuture.runAsync(
                    () -> source.domains.migrate(vm, "127.0.0.1", fake.port(), false));
            assertTrue(offered.await(10, TimeUnit.SECONDS));

            XenApiException busy = assertThrows(XenApiException.class, () -> source.domains.pause(vm));
            assertEquals(ErrorCodes.OTHER_OPERATION_IN_PROGRESS, busy.code());

            release.countDown();
            XenApiException e = assertThrows(CompletionException.class, migration::join)
                    .getCause() instanceof XenApiException x ? x : null;
            assertMigrateFailed(e, vm, "changed my mind");
            assertRunningAsBefore();
        } finally {
            release.countDown();
        }
    }

    private void assertRunningAsBefore() {
        DomainView here = source.domains.view(vm);
        assertEquals("Running", here.powerState(), "the VM still runs on the source");
        assertEquals(domid, here.domid(), "in the same domain");
        DomainInfo info = source.hypervisor.domain(domid).orElseThrow();
        assertFalse(info.paused(), "unpaused again");
        assertFalse(info.shutdown());
        source.domains.pause(vm);
        source.domains.unpause(vm);
    }
}
