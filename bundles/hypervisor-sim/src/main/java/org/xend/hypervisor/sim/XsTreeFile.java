package org.xend.hypervisor.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The simulated xenstore's tree on disk ({@value #FILE}): every node's name, value and children, depth first,
 * behind a magic and followed by a CRC-32. Generations are not stored: a loaded tree is numbered afresh.
 */
final class XsTreeFile {
    static final String FILE = "xenstore.tree";

    private static final byte[] MAGIC = "XSIMXSTR".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    /** Each level of a path takes at least two characters ("/" and a name). */
    private static final int MAX_DEPTH = XsPaths.MAX_PATH_LENGTH / 2;

    /** A tree read back, and the highest generation its nodes were given. */
    record Loaded(XsNode root, long lastGeneration) {
    }

    private XsTreeFile() {
    }

    static void write(Path directory, XsNode root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            writeNode(out, root);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        new DataOutputStream(bytes).writeInt((int) crc.getValue());
        AtomicFiles.write(directory.resolve(FILE), bytes.toByteArray());
    }

    /** The stored tree, or empty when there is none; an IOException when the file is damaged. */
    static Optional<Loaded> read(Path directory) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(directory.resolve(FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length < MAGIC.length + 8 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IOException("not a xenstore tree");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            throw new IOException("checksum mismatch");
        }
        DataInputStream in = new DataInputStream(
                new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - MAGIC.length - 4));
        try {
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("unsupported format version " + version);
            }
            long[] generation = {0};
            XsNode root = readNode(in, 0, generation);
            if (in.available() != 0) {
                throw new IOException(in.available() + " stray bytes after the tree");
            }
            return Optional.of(new Loaded(root, generation[0]));
        } catch (EOFException e) {
            throw new IOException("truncated", e);
        }
    }

    private static void writeNode(DataOutputStream out, XsNode node) throws IOException {
        out.writeUTF(node.value());
        out.writeInt(node.children().size());
        for (Map.Entry<String, XsNode> child : node.children().entrySet()) {
            out.writeUTF(child.getKey());
            writeNode(out, child.getValue());
        }
    }

    private static XsNode readNode(DataInputStream in, int depth, long[] generation) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("tree deeper than any xenstore path");
        }
        String value = in.readUTF();
        if (value.length() > XsPaths.MAX_VALUE_LENGTH) {
            throw new IOException("value longer than " + XsPaths.MAX_VALUE_LENGTH + " characters");
        }
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IOException("bad child count " + count);
        }
        TreeMap<String, XsNode> children = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            if (name.isEmpty() || name.contains("/")) {
                throw new IOException("bad node name '" + name + "'");
            }
            children.put(name, readNode(in, depth + 1, generation));
        }
        long own = ++generation[0];
        return XsNode.loaded(value, own, children);
    }
}
