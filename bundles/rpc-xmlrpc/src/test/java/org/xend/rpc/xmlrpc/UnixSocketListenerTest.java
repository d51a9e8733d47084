package org.xend.rpc.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket file of the Unix listener: who may connect, and what happens to the file around the server's life. */
class UnixSocketListenerTest {

    private static final String GET_ALL = "<methodCall><methodName>VM.get_all</methodName></methodCall>";

    @TempDir
    Path dir;

    private final EchoXenApi api = new EchoXenApi();
    private XmlRpcHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private XmlRpcHttpServer start(Path socket) throws IOException {
        server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                .withUnixSocket(socket), api);
        server.start();
        return server;
    }

    private static int status(Path socket) throws IOException {
        try (RawHttp http = RawHttp.unix(socket, 0)) {
            return http.exchange(RawHttp.post(GET_ALL)).status();
        }
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theSocketIsOwnerOnlyInAnOwnerOnlyDirectoryAndNothingElseIsLeft() throws Exception {
        Path socket = dir.resolve("run/xend/xen-api.sock");
        start(socket);
        assertEquals("rw-------", mode(socket), "only the daemon's user may connect");
        assertEquals("rwx------", mode(socket.getParent()), "a created socket directory is private too");
        assertEquals(List.of("xen-api.sock"), names(socket.getParent()), "the private bind directory is gone");
        assertEquals(200, status(socket));
    }

    @Test
    void anExistingSocketDirectoryKeepsItsMode() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        start(run.resolve("xen-api.sock"));
        assertEquals("rwxr-xr-x", mode(run), "the operator's directory is left as it is");
        assertEquals("rw-------", mode(run.resolve("xen-api.sock")), "the socket itself still is owner-only");
    }

    @Test
    void aStaleSocketFromACrashIsReplaced() throws Exception {
        Path socket = dir.resolve("xen-api.sock");
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "closing a JDK server socket leaves its file, as a crash does");
        start(socket);
        assertEquals(200, status(socket));
        assertEquals("rw-------", mode(socket));
    }

    @Test
    void aSocketAnotherServerListensOnIsNotTakenOver() throws Exception {
        Path socket = dir.resolve("xen-api.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                    .withUnixSocket(socket), api);
            IOException e = assertThrows(IOException.class, server::start);
            assertTrue(e.getMessage().contains("another server is listening"), e.getMessage());
            assertTrue(UnixSocketFile.accepts(socket), "the other server's socket is untouched");
            assertEquals(List.of("xen-api.sock"), names(dir));
        }
    }

    @Test
    void aDirectoryInTheWayIsRefused() throws Exception {
        Path socket = Files.createDirectory(dir.resolve("xen-api.sock"));
        server = new XmlRpcHttpServer(ListenerSettings.of("127.0.0.1", ListenerSettings.DISABLED)
                .withUnixSocket(socket), api);
        IOException e = assertThrows(IOException.class, server::start);
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void closeRemovesTheSocketButNotOneThatReplacedIt() throws Exception {
        Path socket = dir.resolve("xen-api.sock");
        start(socket);
        server.close();
        assertFalse(Files.exists(socket));
        assertNull(server.unixSocket());

        start(socket);
        Files.delete(socket);   // another daemon took the path over
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            server.close();
            assertTrue(Files.exists(socket), "the other daemon's socket stays");
            assertTrue(UnixSocketFile.accepts(socket));
        }
    }
}
