package org.xend.hypervisor.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.DomainInfo;
import org.xend.api.spi.hypervisor.HypervisorException;
import org.xend.api.spi.hypervisor.RestoredDomain;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.ShutdownReason;

/** Images sent down a stream and received from one, as a migration moves a domain between two hosts. */
class SimStreamedImageTest {
    private static final long MIB = 1024;
    private static final byte[] CONFIG = "(domain (name mover))".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private SimXenStore sourceStore;
    private SimXenStore destinationStore;
    private SimHypervisor source;
    private SimHypervisor destination;

    @BeforeEach
    void start() {
        sourceStore = new SimXenStore();
        sourceStore.activate();
        destinationStore = new SimXenStore();
        destinationStore.activate();
        Map<String, Object> host = Map.of("memoryMiB", 4096, "dom0MemoryMiB", 1024, "guestShutdownDelayMs", 20);
        source = new SimHypervisor(sourceStore, host, Map.of(), System::nanoTime);
        destination = new SimHypervisor(destinationStore, host, Map.of(), System::nanoTime);
    }

    @AfterEach
    void stop() {
        source.deactivate();
        destination.deactivate();
        sourceStore.deactivate();
        destinationStore.deactivate();
    }

    private int running(long memoryKib) {
        int domid = source.createDomain(new DomainConfig(UUID.randomUUID().toString(), "mover", false, 2, 2,
                memoryKib, memoryKib, "/boot/vmlinuz", "", "", 0));
        source.unpause(domid);
        return domid;
    }

    private static int errno(Executable call) {
        return assertThrows(HypervisorException.class, call).errno();
    }

    @Test
    void aPausedDomainCrossesToAnotherHostAndStaysWhereItWasUntilDestroyed() {
        int domid = running(64 * MIB);
        source.setSchedCredit(domid, new SchedCredit(512, 50));
        source.pause(domid);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();

        source.sendDomain(domid, Channels.newChannel(wire), CONFIG, false);

        DomainInfo left = source.domain(domid).orElseThrow();
        assertTrue(left.paused() && !left.shutdown(), "sending does not destroy the domain, nor resume it");
        byte[] image = wire.toByteArray();
        assertTrue(image.length > 64 * MIB * 1024, "the memory travels: " + image.length + " bytes");
        ByteArrayInputStream in = new ByteArrayInputStream(withTrailingBytes(image));
        RestoredDomain restored = destination.receiveDomain(Channels.newChannel(in));

        assertArrayEquals(CONFIG, restored.config());
        assertEquals(3, in.available(), "nothing past the image's end was read");
        DomainInfo arrived = destination.domain(restored.domid()).orElseThrow();
        assertEquals(left.uuid(), arrived.uuid());
        assertEquals(64 * MIB, arrived.memoryKib());
        assertTrue(arrived.paused());
        assertEquals(new SchedCredit(512, 50), destination.schedCredit(restored.domid()));
    }

    @Test
    void theSameFormatGoesToFilesAndStreams() throws IOException {
        int domid = running(32 * MIB);
        source.shutdown(domid, ShutdownReason.SUSPEND);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        source.sendDomain(domid, Channels.newChannel(wire), CONFIG, false);
        Path file = dir.resolve("mover.chk");
        source.saveDomain(domid, file, CONFIG, false);

        assertArrayEquals(Files.readAllBytes(file), wire.toByteArray(), "one image format");
        RestoredDomain fromStream = destination.receiveDomain(Channels.newChannel(
                new ByteArrayInputStream(wire.toByteArray())));
        destination.destroy(fromStream.domid());
        assertArrayEquals(CONFIG, destination.restoreDomain(file).config());
    }

    @Test
    void aLiveSendRunsTheDomainWhileItsMemoryGoesAndPausesItForTheFinalRound() {
        int domid = running(16 * MIB);
        AtomicBoolean pausedDuringMemory = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        WritableByteChannel observer = new CountingChannel(written, () -> {
            if (written.get() > MIB * 1024 && written.get() < 2 * MIB * 1024) {
                pausedDuringMemory.set(source.domain(domid).orElseThrow().paused());
            }
        });

        source.sendDomain(domid, observer, CONFIG, true);

        assertFalse(pausedDuringMemory.get(), "the domain ran while its memory was sent");
        assertTrue(source.domain(domid).orElseThrow().paused(), "it is left paused after the final round");
        assertFalse(source.domain(domid).orElseThrow().shutdown());
    }

    @Test
    void aDomainChangedDuringALiveSendIsNotSentStale() {
        int domid = running(16 * MIB);
        AtomicLong written = new AtomicLong();
        AtomicBoolean changed = new AtomicBoolean();
        WritableByteChannel ballooning = new CountingChannel(written, () -> {
            if (written.get() > MIB * 1024 && !changed.getAndSet(true)) {
                source.setTargetMemory(domid, 8 * MIB);
            }
        });

        assertEquals(11, errno(() -> source.sendDomain(domid, ballooning, CONFIG, true)), "EAGAIN");
        assertTrue(source.domain(domid).orElseThrow().paused(), "paused by the final round; the caller resumes it");
    }

    @Test
    void whatCannotBeSentIsRefused() {
        int domid = running(16 * MIB);
        WritableByteChannel sink = Channels.newChannel(new ByteArrayOutputStream());
        assertEquals(22, errno(() -> source.sendDomain(domid, sink, CONFIG, false)), "running, not live");
        assertEquals(1, errno(() -> source.sendDomain(0, sink, CONFIG, true)), "Domain-0");
        assertEquals(3, errno(() -> source.sendDomain(999, sink, CONFIG, true)), "no such domain");
        source.shutdown(domid, ShutdownReason.CRASH);
        assertEquals(22, errno(() -> source.sendDomain(domid, sink, CONFIG, true)), "crashed");
    }

    @Test
    void aWriteFailureIsEioAndLeavesTheDomainAsItWas() {
        int domid = running(16 * MIB);
        source.pause(domid);
        WritableByteChannel broken = new CountingChannel(new AtomicLong(), () -> {
            throw new IllegalStateException("unused");
        }) {
            @Override
            public int write(ByteBuffer src) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        assertEquals(5, errno(() -> source.sendDomain(domid, broken, CONFIG, false)));
        assertTrue(source.domain(domid).isPresent());
    }

    @Test
    void aTruncatedOrCorruptStreamIsEinvalAndReservesNothing() {
        int domid = running(16 * MIB);
        source.pause(domid);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        source.sendDomain(domid, Channels.newChannel(wire), CONFIG, false);
        byte[] image = wire.toByteArray();
        long free = destination.physinfo().freeMemoryKib();

        for (byte[] damaged : List.of(Arrays.copyOf(image, image.length - 1), Arrays.copyOf(image, 100),
                corrupt(image, 40), new byte[0])) {
            ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(damaged));
            assertEquals(22, errno(() -> destination.receiveDomain(in)));
        }
        ReadableByteChannel failing = new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                throw new java.net.SocketTimeoutException("Read timed out");
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        assertEquals(5, errno(() -> destination.receiveDomain(failing)), "a read failure is EIO");
        assertEquals(free, destination.physinfo().freeMemoryKib());
        assertEquals(List.of(0), destination.domains().stream().map(DomainInfo::domid).toList());

        source.destroy(domid);
        RestoredDomain back = source.receiveDomain(Channels.newChannel(new ByteArrayInputStream(image)));
        assertEquals(17, errno(() -> source.receiveDomain(Channels.newChannel(new ByteArrayInputStream(image)))),
                "its uuid is in use now");
        assertTrue(source.domain(back.domid()).isPresent());
    }

    private static byte[] withTrailingBytes(byte[] image) {
        byte[] more = Arrays.copyOf(image, image.length + 3);
        more[image.length] = 'n';
        return more;
    }

    private static byte[] corrupt(byte[] image, int at) {
        byte[] copy = image.clone();
        copy[at] ^= 0x55;
        return copy;
    }

    /** Counts what is written and runs a hook after every write. */
    private static class CountingChannel implements WritableByteChannel {
        private final AtomicLong written;
        private final Runnable afterWrite;

        CountingChannel(AtomicLong written, Runnable afterWrite) {
            this.written = written;
            this.afterWrite = afterWrite;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            src.position(src.limit());
            written.addAndGet(n);
            afterWrite.run();
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
