package org.xend.relocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainView;
import org.xend.api.spi.hypervisor.DomainInfo;

/** Two daemons in one JVM, each on its own simulated hypervisor, migrating VMs over loopback. */
class MigrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Host source;
    private Host destination;

    @BeforeEach
    void hosts() throws Exception {
        source = new Host(dir.resolve("source"), 4096, TIMEOUT);
        destination = new Host(dir.resolve("destination"), 4096, TIMEOUT).serve("^localhost$", TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        destination.close();
        source.close();
    }

    @Test
    void aManagedVmMovesWithItsIdentityAndStaysDefinedHereHalted() {
        String vm = source.startManaged("web", 256);
        long sourceFree = source.freeMemoryKib();

        source.domains.migrate(vm, "127.0.0.1", destination.port(), false);

        DomainView there = destination.domains.view(vm);
        assertEquals("Running", there.powerState());
        assertEquals("web", there.config().fields().get("name_label"));
        assertEquals(256L << 20, there.config().fields().get("memory_static_max"));
        assertEquals(256 * 1024, there.memoryKib());
        assertFalse(there.managed(), "a migrated VM arrives unmanaged, as in Xend");
        assertEquals(List.of(vm), destination.guests().stream().map(DomainInfo::uuid).toList());
        assertFalse(destination.guests().get(0).paused(), "it runs there");

        assertEquals("Halted", source.powerState(vm), "the managed VM stays defined on the source");
        assertTrue(source.domains.view(vm).managed());
        assertEquals(List.of(), source.guests(), "its domain left the source");
        assertEquals(sourceFree + 256 * 1024, source.freeMemoryKib(), "its memory is free again on the source");
    }

    @Test
    void anUnmanagedVmLeavesTheSourceAltogetherOnALiveMigration() {
        String vm = source.createStarted(UUID.randomUUID().toString(), "batch", 128);

        source.domains.migrate(vm, "localhost", destination.port(), true);

        assertEquals(Optional.empty(), source.domains.lookup(vm), "an unmanaged VM is gone from the source");
        assertEquals(List.of(), source.guests());
        assertEquals("Running", destination.powerState(vm));
        assertEquals(Optional.of(vm), destination.domains.lookup("batch"));
    }

    @Test
    void aPausedVmArrivesPaused() {
        String vm = source.startManaged("idle", 128);
        source.domains.pause(vm);

        source.domains.migrate(vm, "127.0.0.1", destination.port(), false);

        assertEquals("Paused", destination.powerState(vm));
        assertTrue(destination.guests().get(0).paused());
    }

    @Test
    void aVmCanComeBackToItsManagedDefinition() throws Exception {
        String vm = source.startManaged("traveller", 128);
        source.serve("", TIMEOUT);
        source.domains.migrate(vm, "127.0.0.1", destination.port(), true);

        destination.domains.migrate(vm, "127.0.0.1", source.port(), true);

        assertEquals("Running", source.powerState(vm));
        assertTrue(source.domains.view(vm).managed(), "its Halted definition took the domain back");
        assertEquals(Optional.empty(), destination.domains.lookup(vm));
        assertEquals(List.of(), destination.guests());
    }

    @Test
    void aPeerOutsideHostsAllowIsRefusedAndTheSourceKeepsItsDomain() throws Exception {
        try (Host strict = new Host(dir.resolve("strict"), 4096, TIMEOUT).serve("^10\\.9\\.9\\.9$", TIMEOUT)) {
            String vm = source.startManaged("web", 128);
            int domid = source.domains.view(vm).domid();

            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", strict.port(), false));

            assertMigrateFailed(e, vm, "does not take migrations from 127.0.0.1");
            assertStillRunning(vm, domid);
            assertEquals(List.of(), strict.guests());
        }
    }

    @Test
    void noRelocationServerAtTheDestinationIsAClearError() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        String vm = source.startManaged("web", 128);
        int domid = source.domains.view(vm).domid();

        XenApiException e = assertThrows(XenApiException.class,
                () -> source.domains.migrate(vm, "127.0.0.1", closedPort, true));

        assertMigrateFailed(e, vm, "cannot reach the relocation server at 127.0.0.1:" + closedPort);
        assertStillRunning(vm, domid);
    }

    @Test
    void aDestinationWithoutTheMemoryDeclinesBeforeTheImageIsSent() throws Exception {
        try (Host small = new Host(dir.resolve("small"), 1024 + 64, TIMEOUT).serve("", TIMEOUT)) {
            String vm = source.startManaged("big", 256);
            int domid = source.domains.view(vm).domid();

            XenApiException e = assertThrows(XenApiException.class,
                    () -> source.domains.migrate(vm, "127.0.0.1", small.port(), false));

            assertMigrateFailed(e, vm, "not enough free memory: " + (256L << 20) + " bytes needed");
            assertStillRunning(vm, domid);
            assertEquals(List.of(), small.guests());
            assertEquals(Optional.empty(), small.domains.lookup(vm));
        }
    }

    @Test
    void aUuidAlreadyRunningAtTheDestinationIsRefused() {
        String uuid = UUID.randomUUID().toString();
        String vm = source.createStarted(uuid, "twin", 128);
        destination.createStarted(uuid, "twin-there", 128);
        int domid = source.domains.view(vm).domid();

        XenApiException e = assertThrows(XenApiException.class,
                () -> source.domains.migrate(vm, "127.0.0.1", destination.port(), true));

        assertMigrateFailed(e, vm, "a VM with this uuid is already Running on this host");
        assertStillRunning(vm, domid);
        assertEquals(1, destination.guests().size(), "the destination's own VM is untouched");
    }

    @Test
    void aNameTakenAtTheDestinationIsRefused() {
        String vm = source.startManaged("clash", 128);
        destination.startManaged("clash", 128);
        int domid = source.domains.view(vm).domid();

        XenApiException e = assertThrows(XenApiException.class,
                () -> source.domains.migrate(vm, "127.0.0.1", destination.port(), false));

        assertMigrateFailed(e, vm, "has this name");
        assertStillRunning(vm, domid);
    }

    @Test
    void domain0AndHaltedVmsDoNotMigrate() {
        XenApiException dom0 = assertThrows(XenApiException.class, () -> source.domains.migrate(
                "00000000-0000-0000-0000-000000000000", "127.0.0.1", destination.port(), false));
        assertEquals(ErrorCodes.OPERATION_NOT_ALLOWED, dom0.code());

        String vm = source.domains.define(Host.config(UUID.randomUUID().toString(), "off", 128));
        XenApiException halted = assertThrows(XenApiException.class,
                () -> source.domains.migrate(vm, "127.0.0.1", destination.port(), false));
        assertEquals(ErrorCodes.VM_BAD_POWER_STATE, halted.code());
        assertEquals(List.of(vm, "Running", "Halted"), halted.params());

        XenApiException noHost = assertThrows(XenApiException.class,
                () -> source.domains.migrate(vm, " ", 0, false));
        assertEquals(ErrorCodes.VALUE_NOT_SUPPORTED, noHost.code());
    }

    private void assertStillRunning(String vm, int domid) {
        DomainView here = source.domains.view(vm);
        assertEquals("Running", here.powerState(), "the VM still runs on the source");
        assertEquals(domid, here.domid(), "in the same domain");
        DomainInfo info = source.hypervisor.domain(domid).orElseThrow();
        assertFalse(info.paused(), "unpaused again");
        assertFalse(info.shutdown());
    }

    static void assertMigrateFailed(XenApiException e, String vm, String reasonPart) {
        assertEquals("VM_MIGRATE_FAILED", e.code(), e::getMessage);
        assertEquals(vm, e.params().get(0));
        assertTrue(e.params().get(3).contains(reasonPart), () -> "the reason says '" + reasonPart + "': "
                + e.params());
    }
}
