package org.xend.rpc.xmlrpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file of one listening Unix socket, made so that no other user can ever connect: the socket is bound inside a
 * fresh mode-0700 directory, narrowed to mode 0600 there, and only then renamed to its public path (replacing a stale
 * socket a crash left behind, atomically). On close the public path is removed, unless another server has put its own
 * socket there since.
 *
 * <pre>
 *   UnixSocketFile file = UnixSocketFile.prepare(path);   // refuses a path where a server still answers
 *   bind the server socket to file.bindAddress();
 *   file.publish();                                       // or file.abandon() when the bind failed
 *   ...
 *   file.remove();
 * </pre>
 */
final class UnixSocketFile {

    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketFile.class);

    private final Path path;
    private final Path privateDirectory;
    private final Path bindPath;
    private Object publishedFileKey;

    private UnixSocketFile(Path path, Path privateDirectory) {
        this.path = path;
        this.privateDirectory = privateDirectory;
        this.bindPath = privateDirectory.resolve("s");
    }

    /**
     * Checks the public path and creates the private directory to bind in. A missing socket directory is created
     * with mode 0700, as Xend's {@code /var/run/xend} was.
     *
     * @throws IOException when the path is a directory, when a server still accepts connections on it, or when the
     *                     directories cannot be created
     */
    static UnixSocketFile prepare(Path socket) throws IOException {
        Path path = socket.toAbsolutePath().normalize();
        Path dir = Objects.requireNonNull(path.getParent(), "a socket path has a directory");
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot listen on " + path + ": it is a directory");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (accepts(path)) {
                throw new IOException("cannot listen on " + path + ": another server is listening on it");
            }
            LOG.info("Replacing the stale socket file {}", path);
        }
        if (!Files.isDirectory(dir)) {
            PrivateFiles.ensurePrivateDirectory(dir);
        }
        return new UnixSocketFile(path, PrivateFiles.createPrivateTempDirectory(dir, ".xend-"));
    }

    Path path() {
        return path;
    }

    UnixDomainSocketAddress bindAddress() {
        return UnixDomainSocketAddress.of(bindPath);
    }

    /** Narrows the bound socket to its owner and moves it to the public path. */
    void publish() throws IOException {
        try {
            Files.setPosixFilePermissions(bindPath, PrivateFiles.OWNER_ONLY_FILE);
            Files.move(bindPath, path, StandardCopyOption.ATOMIC_MOVE);
            publishedFileKey = fileKey(path);
        } finally {
            abandon();
        }
    }

    /** Deletes what {@link #prepare} created and {@link #publish} did not move. */
    void abandon() {
        try {
            Files.deleteIfExists(bindPath);
            Files.deleteIfExists(privateDirectory);
        } catch (IOException e) {
            LOG.warn("Could not remove the temporary socket directory {}: {}", privateDirectory, e.getMessage());
        }
    }

    /** Deletes the public socket file if it is still the one {@link #publish} put there. */
    void remove() {
        if (publishedFileKey == null) {
            return;
        }
        try {
            Object current = fileKey(path);
            if (publishedFileKey.equals(current)) {
                Files.deleteIfExists(path);
            } else if (current != null) {
                LOG.info("{} was replaced by another server's socket; leaving it", path);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the socket file {}: {}", path, e.getMessage());
        }
        publishedFileKey = null;
    }

    /** Whether a server accepts connections on the socket at {@code path}. */
    static boolean accepts(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Object fileKey(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
