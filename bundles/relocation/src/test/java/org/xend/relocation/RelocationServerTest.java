package org.xend.relocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relocation server against peers that break the protocol, send bad images, or hang. */
class RelocationServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private Host destination;
    private long freeBefore;

    @BeforeEach
    void destination() throws Exception {
        destination = new Host(dir.resolve("destination"), 4096, TIMEOUT).serve("", TIMEOUT);
        freeBefore = destination.freeMemoryKib();
    }

    @AfterEach
    void stop() throws Exception {
        destination.close();
    }

    @Test
    void aServerThatIsOffDoesNotListen() throws Exception {
        RelocationServer off = new RelocationServer(destination.domains, Host.settings(false, "", TIMEOUT));
        assertEquals(-1, off.port());
        off.deactivate();
    }

    @Test
    void somethingOtherThanReceiveIsDeclined() throws Exception {
        try (Peer peer = new Peer()) {
            peer.send("GET / HTTP/1.0\n\n");
            assertTrue(peer.line().startsWith("error expected 'receive'"));
            assertNull(peer.line(), "one answer, then the connection closes");
        }
    }

    @Test
    void anOfferLongerThanTheBoundIsDeclined() throws Exception {
        try (Peer peer = new Peer()) {
            StringBuilder padding = new StringBuilder("receive\n");
            for (int i = 0; i < 100; i++) {
                padding.append("padding").append(i).append(" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
            }
            peer.send(padding.toString());
            assertEquals("error more than 4096 bytes before the image", peer.line());
        }
    }

    @Test
    void anIdlePeerIsDisconnected() throws Exception {
        try (Peer peer = new Peer()) {
            peer.send("receive\nprotocol 1\n");
            assertNull(peer.lineAfterErrors(), "the server hung up on a peer that stopped sending");
        }
    }

    @Test
    void anOfferWithoutItsFieldsIsDeclined() throws Exception {
        try (Peer peer = new Peer()) {
            peer.send("receive\nprotocol 1\nuuid " + UUID.randomUUID() + "\n\n");
            assertEquals("error the offer has no memory", peer.line());
        }
        try (Peer peer = new Peer()) {
            peer.send(offer(UUID.randomUUID().toString(), 32).replace("protocol 1", "protocol 7"));
            assertEquals("error protocol version '7' is not supported (only 1)", peer.line());
        }
    }

    @Test
    void aCorruptImageIsDeclinedAndLeavesNothingBehind() throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (Peer peer = new Peer()) {
            peer.send(offer(uuid, 32));
            assertEquals("ready", peer.line());
            peer.send("this is not a save image, but it is long enough to be read as one's lead".repeat(10));
            peer.socket.shutdownOutput();
            String reply = peer.line();
            assertTrue(reply.startsWith("error ") && reply.contains("not a simulated-hypervisor save image (bad magic)"),
                    reply);
        }
        assertNothingArrived(uuid);
    }

    @Test
    void aTruncatedImageIsDeclinedAndLeavesNothingBehind() throws Exception {
        String uuid = UUID.randomUUID().toString();
        byte[] image = image(uuid, "cut");
        try (Peer peer = new Peer()) {
            peer.send(offer(uuid, 32));
            assertEquals("ready", peer.line());
            peer.out.write(Arrays.copyOf(image, image.length / 2));
            peer.socket.shutdownOutput();
            assertTrue(peer.line().contains("truncated"));
        }
        assertNothingArrived(uuid);
    }

    @Test
    void anImageOfAnotherVmThanOfferedIsRefused() throws Exception {
        String offered = UUID.randomUUID().toString();
        byte[] image = image(UUID.randomUUID().toString(), "other");
        try (Peer peer = new Peer()) {
            peer.send(offer(offered, 32));
            assertEquals("ready", peer.line());
            peer.out.write(image);
            assertTrue(peer.line().contains("not of the VM offered"));
        }
        assertNothingArrived(offered);
    }

    @Test
    void aWithdrawnMigrationIsDestroyedAndAnUnconfirmedOneStaysPaused() throws Exception {
        String withdrawn = UUID.randomUUID().toString();
        try (Peer peer = new Peer()) {
            peer.send(offer(withdrawn, 32));
            assertEquals("ready", peer.line());
            peer.out.write(image(withdrawn, "withdrawn"));
            assertTrue(peer.line().startsWith("restored " + withdrawn + " "));
            assertEquals("Paused", destination.powerState(withdrawn), "nothing runs before the commit");
            peer.send("abort\n");
            assertNull(peer.line());
        }
        await(() -> destination.domains.lookup(withdrawn).isEmpty() && destination.guests().isEmpty());
        assertEquals(freeBefore, destination.freeMemoryKib());

        String orphan = UUID.randomUUID().toString();
        try (Peer peer = new Peer()) {
            peer.send(offer(orphan, 32));
            assertEquals("ready", peer.line());
            peer.out.write(image(orphan, "orphan"));
            assertTrue(peer.line().startsWith("restored " + orphan + " "));
        }
        assertEquals("Paused", destination.powerState(orphan), "neither lost nor running twice");
    }

    @Test
    void moreMigrationsAtOnceThanAllowedAreDeclined() throws Exception {
        // one connection after the other: connected at once, their threads could take the slots in any order
        try (Peer first = new Peer()) {
            first.send(offer(UUID.randomUUID().toString(), 32));
            assertEquals("ready", first.line());
            try (Peer second = new Peer()) {
                second.send(offer(UUID.randomUUID().toString(), 32));
                assertEquals("ready", second.line());
                try (Peer third = new Peer()) {
                    assertEquals("error this host is already receiving 2 migrations; try again later", third.line());
                }
            }
        }
    }

    private void assertNothingArrived(String uuid) {
        await(() -> destination.domains.lookup(uuid).isEmpty());
        assertEquals(Optional.empty(), destination.domains.lookup(uuid));
        assertEquals(List.of(), destination.guests());
        assertEquals(freeBefore, destination.freeMemoryKib(), "no memory stays reserved");
    }

    private static String offer(String uuid, long mib) {
        return "receive\nprotocol 1\nuuid " + uuid + "\nname vm-" + uuid.substring(0, 8) + "\nmemory "
                + (mib << 20) + "\npaused false\n\n";
    }

    /** A real image of a 32 MiB VM, from a second host whose domain it was. */
    private byte[] image(String uuid, String name) throws Exception {
        try (Host other = new Host(dir.resolve("other-" + uuid), 4096, TIMEOUT)) {
            String vm = other.createStarted(uuid, "vm-" + uuid.substring(0, 8), 32);
            other.domains.pause(vm);
            int domid = other.domains.view(vm).domid();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] config = ("(domain (uuid " + uuid + ") (name " + name + ") (memory 32) (maxmem 32) (vcpus 1))")
                    .getBytes(StandardCharsets.UTF_8);
            other.hypervisor.sendDomain(domid, Channels.newChannel(bytes), config, false);
            return bytes.toByteArray();
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the destination did not settle");
            }
            Thread.onSpinWait();
        }
    }

    /** A raw connection to the destination's relocation server. */
    private final class Peer implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Peer() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), destination.port());
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.append((char) b);
            }
            return b < 0 && line.length() == 0 ? null : line.toString();
        }

        /** The end of the connection, after any error lines the server sent. */
        String lineAfterErrors() throws IOException {
            String line;
            while ((line = line()) != null && line.startsWith("error")) {
                // told why, then closed
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
