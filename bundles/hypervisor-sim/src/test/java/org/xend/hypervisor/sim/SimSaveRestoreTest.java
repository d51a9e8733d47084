package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.DomainListener;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.NotEnoughMemoryException;
import org.xend.api.spi.hypervisor.RestoredDomain;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;
import org.xend.api.spi.hypervisor.VcpuInfo;

/** Save images, restore and core dumps of the simulated hypervisor. */
class SimSaveRestoreTest {
    private static final long MIB = 1024;

    @TempDir
    Path dir;

    private SimXenStore store;
    private SimHypervisor hv;
    private final BlockingQueue<DomainInfo> shutdowns = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        store = new SimXenStore();
        store.activate();
        hv = new SimHypervisor(store, Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024, "guestShutdownDelayMs", 20),
                Map.of(), System::nanoTime);
        hv.addListener(new DomainListener() {
            @Override
            public void domainShutdown(DomainInfo info) {
                shutdowns.add(info);
            }
        });
    }

    @AfterEach
    void stop() {
        hv.deactivate();
        store.deactivate();
    }

    private static DomainConfig guest(String name, int vcpus, long memoryKib) {
        return new DomainConfig(UUID.randomUUID().toString(), name, false, vcpus, vcpus, memoryKib, memoryKib,
                "/boot/vmlinuz-2.6.18-xen", "/boot/initrd-2.6.18-xen.img", "root=/dev/xvda1 ro", 0);
    }

    private static int errno(Executable call) {
        return assertThrows(HypervisorException.class, call).errno();
    }

    private int suspendedDomain(DomainConfig config) {
        int domid = hv.createDomain(config);
        hv.unpause(domid);
        hv.shutdown(domid, ShutdownReason.SUSPEND);
        return domid;
    }

    private static byte[] sxp(String name) {
        return ("(domain (name " + name + ") (memory 512) (vcpus 4) (on_crash \u00e9preserve))")
                .getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".tmp-")).toList();
        }
    }

    @Test
    void aSuspendedDomainSavedAndRestoredComesBackPausedWithItsMemoryVcpusSchedulingAndPinning() throws Exception {
        DomainConfig config = new DomainConfig(UUID.randomUUID().toString(), "roundtrip", false, 4, 4, 768 * MIB,
                512 * MIB, "/boot/vmlinuz", "", "root=/dev/xvda1", 7);
        int domid = hv.createDomain(config);
        hv.setOnlineVcpus(domid, 3);
        hv.setSchedCredit(domid, new SchedCredit(512, 150));
        hv.pinVcpu(domid, 1, List.of(3, 2));
        hv.unpause(domid);
        hv.shutdown(domid, ShutdownReason.SUSPEND);
        long freeWithDomain = hv.physinfo().freeMemoryKib();
        Path image = dir.resolve("roundtrip.chk");
        byte[] configBytes = sxp("roundtrip");

        hv.saveDomain(domid, image, configBytes, false);

        assertEquals(Optional.empty(), hv.domain(domid), "a non-live save destroys the domain");
        assertEquals(freeWithDomain + 512 * MIB, hv.physinfo().freeMemoryKib(), "its memory is free again");
        long size = Files.size(image);
        assertTrue(size >= 512 * MIB * 1024 && size < 512 * MIB * 1024 + 64 * 1024,
                "the image is as large as the domain's memory: " + size);
        assertEquals(List.of(), leftovers(), "no temporary file is left behind");

        RestoredDomain restored = hv.restoreDomain(image);

        assertNotEquals(domid, restored.domid());
        assertArrayEquals(configBytes, restored.config(), "the configuration comes back byte for byte");
        DomainInfo info = hv.domain(restored.domid()).orElseThrow();
        assertEquals(config.uuid(), info.uuid());
        assertTrue(info.paused());
        assertFalse(info.shutdown());
        assertEquals(512 * MIB, info.memoryKib());
        assertEquals(768 * MIB, info.maxMemoryKib());
        assertEquals(3, info.onlineVcpus());
        assertEquals(4, info.maxVcpus());
        assertEquals(7, info.ssidref());
        assertEquals(0, info.cpuTimeNs(), "a restored domain starts its CPU accounting again");
        assertEquals(freeWithDomain, hv.physinfo().freeMemoryKib(), "the memory is reserved again");
        assertEquals(new SchedCredit(512, 150), hv.schedCredit(restored.domid()));
        List<VcpuInfo> vcpus = hv.vcpus(restored.domid());
        assertEquals(List.of(2, 3), vcpus.get(1).cpumap());
        assertTrue(List.of(2, 3).contains(vcpus.get(1).cpu()), "vCPU 1 runs where it is pinned");
        assertEquals(List.of(0, 1, 2, 3), vcpus.get(0).cpumap());
        assertEquals(List.of(true, true, true, false), vcpus.stream().map(VcpuInfo::online).toList());
    }

    @Test
    void theRestoredGuestRunsAndStillAnswersControlShutdown() throws Exception {
        int domid = suspendedDomain(guest("answers", 1, 64 * MIB));
        Path image = dir.resolve("answers.chk");
        hv.saveDomain(domid, image, sxp("answers"), false);
        shutdowns.clear();

        int restored = hv.restoreDomain(image).domid();
        hv.unpause(restored);
        store.write("/local/domain/" + restored + "/control/shutdown", "poweroff");

        // the saved domain's own shutdown may still be on its way to the listeners: only the restored one counts
        DomainInfo down = shutdowns.poll(5, TimeUnit.SECONDS);
        while (down != null && down.domid() != restored) {
            down = shutdowns.poll(5, TimeUnit.SECONDS);
        }
        assertTrue(down != null, "the restored guest reacts");
        assertEquals(restored, down.domid());
        assertEquals(Optional.of(ShutdownReason.POWEROFF), down.shutdownReason());
    }

    @Test
    void onlyASuspendedDomainCanBeSavedWithoutCheckpointing() {
        int running = hv.createDomain(guest("running", 1, 64 * MIB));
        hv.unpause(running);
        int crashed = hv.createDomain(guest("crashed", 1, 64 * MIB));
        hv.shutdown(crashed, ShutdownReason.CRASH);
        Path image = dir.resolve("refused.chk");

        assertEquals(22, errno(() -> hv.saveDomain(running, image, new byte[0], false)));
        assertEquals(22, errno(() -> hv.saveDomain(crashed, image, new byte[0], false)));
        assertEquals(22, errno(() -> hv.saveDomain(crashed, image, new byte[0], true)), "a crashed one not even live");
        assertEquals(1, errno(() -> hv.saveDomain(0, image, new byte[0], true)));
        assertEquals(3, errno(() -> hv.saveDomain(99, image, new byte[0], true)));
        assertFalse(Files.exists(image));
        assertFalse(hv.domain(running).orElseThrow().shutdown(), "a refused save leaves the domain as it was");
    }

    @Test
    void aLiveCheckpointLeavesTheDomainRunningAndItsImageRestoresOnceTheOriginalIsGone() throws Exception {
        int domid = hv.createDomain(guest("live", 2, 256 * MIB));
        hv.unpause(domid);
        long free = hv.physinfo().freeMemoryKib();
        Path image = dir.resolve("live.chk");

        hv.saveDomain(domid, image, sxp("live"), true);

        DomainInfo info = hv.domain(domid).orElseThrow();
        assertFalse(info.paused());
        assertFalse(info.shutdown());
        assertEquals(free, hv.physinfo().freeMemoryKib(), "the domain keeps its memory");
        assertEquals(17, errno(() -> hv.restoreDomain(image)), "its uuid is still in use");
        assertEquals(free, hv.physinfo().freeMemoryKib(), "the refused restore reserved nothing");

        hv.destroy(domid);
        RestoredDomain restored = hv.restoreDomain(image);
        assertEquals(256 * MIB, hv.domain(restored.domid()).orElseThrow().memoryKib());
    }

    @Test
    void corruptOrTruncatedImagesAreRefusedAndLeaveNothingBehind() throws Exception {
        int domid = suspendedDomain(guest("victim", 2, 128 * MIB));
        Path good = dir.resolve("good.chk");
        hv.saveDomain(domid, good, sxp("victim"), false);
        byte[] start = new byte[4096];
        try (FileChannel channel = FileChannel.open(good, StandardOpenOption.READ)) {
            channel.read(ByteBuffer.wrap(start), 0);
        }
        long size = Files.size(good);
        long free = hv.physinfo().freeMemoryKib();

        List<Map.Entry<String, Consumer<Path>>> damages = List.of(
                Map.entry("magic", p -> overwrite(p, 0, (byte) 'Y')),
                Map.entry("format version", p -> overwrite(p, 11, (byte) 9)),
                Map.entry("checksum", p -> overwrite(p, 40, (byte) (start[40] ^ 0x55))),
                Map.entry("truncated", p -> truncate(p, size - 1)),
                Map.entry("truncated", p -> truncate(p, 10)),
                Map.entry("trailing data", p -> overwrite(p, size, (byte) 0)),
                Map.entry("trailer", p -> overwrite(p, size - 2, (byte) '?')));
        for (Map.Entry<String, Consumer<Path>> damage : damages) {
            Path copy = dir.resolve("damaged.chk");
            Files.copy(good, copy, StandardCopyOption.REPLACE_EXISTING);
            damage.getValue().accept(copy);

            HypervisorException refused = assertThrows(HypervisorException.class, () -> hv.restoreDomain(copy));

            assertEquals(22, refused.errno(), damage.getKey());
            assertTrue(refused.getMessage().contains(damage.getKey()),
                    "the message says what is wrong (" + damage.getKey() + "): " + refused.getMessage());
        }
        Path text = Files.writeString(dir.resolve("notes.txt"), "(domain (name x))");
        assertEquals(22, errno(() -> hv.restoreDomain(text)));
        assertEquals(2, errno(() -> hv.restoreDomain(dir.resolve("missing.chk"))));

        assertEquals(List.of(0), hv.domains().stream().map(DomainInfo::domid).toList());
        assertEquals(free, hv.physinfo().freeMemoryKib());
        assertEquals(domid + 1, hv.restoreDomain(good).domid(), "no domain id was used by the refused restores");
    }

    @Test
    void aRestoreThatDoesNotFitIsRefusedWithTheNumbers() throws Exception {
        int domid = suspendedDomain(guest("large", 1, 2048 * MIB));
        Path image = dir.resolve("large.chk");
        hv.saveDomain(domid, image, sxp("large"), false);
        hv.createDomain(guest("squatter", 1, 2048 * MIB));

        NotEnoughMemoryException refused = assertThrows(NotEnoughMemoryException.class,
                () -> hv.restoreDomain(image));

        assertEquals(2048 * MIB, refused.neededKib());
        assertEquals(1024 * MIB, refused.availableKib());
        assertEquals(2, hv.domains().size());
    }

    @Test
    void aSaveThatCannotBeWrittenKeepsTheDomain() {
        int domid = suspendedDomain(guest("kept", 1, 64 * MIB));

        assertEquals(2, errno(() -> hv.saveDomain(domid, dir.resolve("no/such/dir/kept.chk"), new byte[0], false)));

        assertEquals(Optional.of(ShutdownReason.SUSPEND), hv.domain(domid).orElseThrow().shutdownReason());
    }

    @Test
    void coreDumpsAreElfCoreFilesNamingTheDomainForRunningPausedAndCrashedDomains() throws Exception {
        int running = hv.createDomain(guest("web", 2, 64 * MIB));
        hv.unpause(running);
        int paused = hv.createDomain(guest("db", 1, 32 * MIB));
        int crashed = hv.createDomain(guest("broken", 1, 16 * MIB));
        hv.unpause(crashed);
        hv.shutdown(crashed, ShutdownReason.CRASH);

        for (int domid : List.of(running, paused, crashed)) {
            Path file = dir.resolve("dump").resolve(domid + ".core");
            hv.coreDump(domid, file);

            DomainInfo info = hv.domain(domid).orElseThrow();
            assertTrue(Files.size(file) > info.memoryKib() * 1024, "the body is as large as the memory");
            ByteBuffer head = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.read(head, 0);
            }
            head.flip();
            assertEquals(0x464c457f, head.getInt(0), "ELF magic");
            assertEquals(2, head.get(4), "64-bit");
            assertEquals(4, head.getShort(16), "ET_CORE");
            String text = StandardCharsets.UTF_8.decode(head.duplicate()).toString();
            assertTrue(text.contains("XendSim"), "the note's name");
            assertTrue(text.contains("uuid " + info.uuid()), "the note names the domain: " + text);
        }
        assertTrue(new String(Files.readAllBytes(dir.resolve("dump").resolve(crashed + ".core")), 0, 4096,
                StandardCharsets.UTF_8).contains("state shut down: crash"));
        assertEquals(1, errno(() -> hv.coreDump(0, dir.resolve("dom0.core"))));
        assertEquals(3, errno(() -> hv.coreDump(77, dir.resolve("none.core"))));
    }

    private static void overwrite(Path file, long position, byte value) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {value}), position);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
