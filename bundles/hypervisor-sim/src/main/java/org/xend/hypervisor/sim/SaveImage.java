package org.xend.hypervisor.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.SchedCredit;

/**
 * The simulator's save image of a domain, as {@code xc_domain_save} writes one on real Xen; the same format goes to a
 * file (save, suspend) and down a socket (migration). Layout (big-endian):
 * <pre>
 *   "XSIMSAVE"  format version (int)
 *   header length (int)  header: the domain's build configuration, memory, maximum memory, online vCPUs,
 *                                credit scheduler weight and cap, and each vCPU's affinity
 *   config length (int)  config: the toolstack's configuration, verbatim
 *   CRC-32 of everything from the header length to the end of the config (int)
 *   memory length (long) memory: one byte per byte of the domain's memory (a sparse region)
 *   "XSIMEND!"
 * </pre>
 * In a file the memory is a hole, so an image is as large as the domain's memory but takes no room; in a stream it
 * travels as zeros, in chunks, never whole in memory. Reading checks the magic, the version, every length (against
 * the file's size when there is one), the checksum and the trailer, so a corrupt or truncated image is refused
 * before anything is built from it; from a stream it reads exactly the image and nothing after it.
 */
final class SaveImage {
    private static final byte[] MAGIC = "XSIMSAVE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "XSIMEND!".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    private static final int MAX_HEADER_BYTES = 1 << 16;
    private static final int MAX_CONFIG_BYTES = 64 << 20;
    /** How much of a memory region or a configuration moves through a stream at once. */
    private static final int CHUNK_BYTES = 64 << 10;

    /** An image that is not a readable save image of this format. */
    static final class InvalidImageException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidImageException(String message) {
            super(message);
        }
    }

    /**
     * What happens between the memory and the trailer: a live send pauses the domain there and checks that the
     * header it sent still holds. It may throw to abandon the image.
     */
    @FunctionalInterface
    interface FinalRound {
        FinalRound NONE = () -> { };

        void run() throws IOException;
    }

    /** What the image says about the domain; {@code vcpuAffinity} has one list per vCPU (empty: every pCPU). */
    record Header(DomainConfig config, long memoryKib, long maxMemoryKib, int onlineVcpus, SchedCredit sched,
                  List<List<Integer>> vcpuAffinity) {

        static Header of(DomainRecord r) {
            return new Header(r.config(), r.memoryKib(), r.maxMemoryKib(), r.onlineVcpus(), r.sched(),
                    r.vcpus().stream().map(DomainRecord.Vcpu::affinity).toList());
        }
    }

    record Contents(Header header, byte[] config) {
    }

    private SaveImage() {
    }

    /** Writes an image file atomically: a failed write leaves no file behind. */
    static void write(Path image, Header header, byte[] config) throws IOException {
        AtomicFiles.write(image, channel -> write(channel, header, config, FinalRound.NONE));
    }

    /** Writes an image to a channel from its current position; a file channel gets the memory as a hole. */
    static void write(WritableByteChannel out, Header header, byte[] config, FinalRound finalRound)
            throws IOException {
        byte[] headerBytes = encode(header);
        long memoryBytes = header.memoryKib() * 1024;
        ByteArrayOutputStream prefix = new ByteArrayOutputStream(64 + headerBytes.length + config.length);
        DataOutputStream data = new DataOutputStream(prefix);
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        int checkedFrom = prefix.size();
        data.writeInt(headerBytes.length);
        data.write(headerBytes);
        data.writeInt(config.length);
        data.write(config);
        byte[] checked = prefix.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(checked, checkedFrom, checked.length - checkedFrom);
        data.writeInt((int) crc.getValue());
        data.writeLong(memoryBytes);
        writeFully(out, ByteBuffer.wrap(prefix.toByteArray()));
        if (out instanceof FileChannel file) {
            file.position(file.position() + memoryBytes);
        } else {
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(1, memoryBytes)));
            for (long left = memoryBytes; left > 0; left -= zeros.limit()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), left));
                writeFully(out, zeros);
            }
        }
        finalRound.run();
        writeFully(out, ByteBuffer.wrap(TRAILER));
    }

    /** Reads an image file, which must hold the image and nothing else. */
    static Contents read(Path image) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = channel.size();
            Contents contents = read(channel, size);
            if (channel.position() != size) {
                throw new InvalidImageException("save image is " + size + " bytes, expected " + channel.position()
                        + " (trailing data)");
            }
            return contents;
        }
    }

    /** Reads one image from a stream, up to its trailer and not beyond. */
    static Contents read(ReadableByteChannel in) throws IOException {
        return read(in, -1);
    }

    /** {@code size}: the bytes left in a file channel, whose lengths are checked against it; -1 for a stream. */
    private static Contents read(ReadableByteChannel in, long size) throws IOException {
        Source source = new Source(in, size);
        ByteBuffer lead = source.read(MAGIC.length + 8, "its header");
        byte[] magic = new byte[MAGIC.length];
        lead.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new InvalidImageException("not a simulated-hypervisor save image (bad magic)");
        }
        int version = lead.getInt();
        if (version != FORMAT_VERSION) {
            throw new InvalidImageException("save image format version " + version + " is not supported (only "
                    + FORMAT_VERSION + ")");
        }
        int headerLength = lead.getInt();
        if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES) {
            throw new InvalidImageException("save image header length " + headerLength + " is impossible");
        }
        byte[] headerBytes = bytes(source.read(headerLength + 4, "its header"));
        int configLength = ByteBuffer.wrap(headerBytes, headerLength, 4).getInt();
        if (configLength < 0 || configLength > MAX_CONFIG_BYTES) {
            throw new InvalidImageException("save image configuration length " + configLength + " is impossible");
        }
        byte[] config = source.readChunked(configLength, "its configuration");
        ByteBuffer sums = source.read(12, "its checksum");
        int storedCrc = sums.getInt();
        long memoryBytes = sums.getLong();
        CRC32 crc = new CRC32();
        crc.update(ByteBuffer.allocate(4).putInt(0, headerLength));
        crc.update(headerBytes);
        crc.update(config);
        if ((int) crc.getValue() != storedCrc) {
            throw new InvalidImageException("save image header or configuration is corrupt (checksum mismatch)");
        }
        Header header = decode(Arrays.copyOf(headerBytes, headerLength));
        if (memoryBytes != header.memoryKib() * 1024) {
            throw new InvalidImageException("save image memory length " + memoryBytes + " does not match the "
                    + header.memoryKib() + " KiB of its header");
        }
        source.skip(memoryBytes, "its memory");
        byte[] trailer = bytes(source.read(TRAILER.length, "its trailer"));
        if (!Arrays.equals(trailer, TRAILER)) {
            throw new InvalidImageException("save image does not end with its trailer");
        }
        return new Contents(header, config);
    }

    /** Reads an image front to back: a file by position (its memory skipped), a stream by reading everything. */
    private static final class Source {
        private final ReadableByteChannel in;
        private final long size;
        private long at;

        Source(ReadableByteChannel in, long size) {
            this.in = in;
            this.size = size;
        }

        ByteBuffer read(int length, String what) throws IOException {
            requireWithinFile(length, what);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            fill(buffer, what);
            buffer.flip();
            return buffer;
        }

        /** A length read from the image itself: grown in chunks, so a lying length cannot claim memory up front. */
        byte[] readChunked(int length, String what) throws IOException {
            requireWithinFile(length, what);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, CHUNK_BYTES));
            ByteBuffer chunk = ByteBuffer.allocate(Math.min(Math.max(length, 1), CHUNK_BYTES));
            for (int left = length; left > 0; left -= chunk.limit()) {
                chunk.clear().limit(Math.min(chunk.capacity(), left));
                fill(chunk, what);
                out.write(chunk.array(), 0, chunk.limit());
            }
            return out.toByteArray();
        }

        void skip(long length, String what) throws IOException {
            requireWithinFile(length, what);
            if (in instanceof FileChannel file) {
                file.position(file.position() + length);
                at += length;
                return;
            }
            ByteBuffer sink = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(1, length)));
            for (long left = length; left > 0; left -= sink.limit()) {
                sink.clear().limit((int) Math.min(sink.capacity(), left));
                fill(sink, what);
            }
        }

        private void requireWithinFile(long length, String what) throws InvalidImageException {
            if (size >= 0 && at + length > size) {
                throw new InvalidImageException("save image is truncated (ends within " + what + ")");
            }
        }

        private void fill(ByteBuffer buffer, String what) throws IOException {
            while (buffer.hasRemaining()) {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new InvalidImageException("save image is truncated (ends within " + what + ")");
                }
                at += read;
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] encode(Header h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            DomainCodec.writeConfig(out, h.config());
            out.writeLong(h.memoryKib());
            out.writeLong(h.maxMemoryKib());
            // the online set: vCPUs 0..n-1, written out as Xen's vcpu_avail map would be
            out.writeInt(h.onlineVcpus());
            for (int vcpu = 0; vcpu < h.onlineVcpus(); vcpu++) {
                out.writeInt(vcpu);
            }
            out.writeInt(h.sched().weight());
            out.writeInt(h.sched().cap());
            for (List<Integer> affinity : h.vcpuAffinity()) {
                DomainCodec.writeCpus(out, affinity);
            }
        }
        return bytes.toByteArray();
    }

    private static Header decode(byte[] bytes) throws InvalidImageException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            DomainConfig config = DomainCodec.readConfig(in);
            long memoryKib = in.readLong();
            long maxMemoryKib = in.readLong();
            if (memoryKib <= 0 || maxMemoryKib < memoryKib) {
                throw new InvalidImageException("save image has impossible memory sizes " + memoryKib + "/"
                        + maxMemoryKib + " KiB");
            }
            int online = in.readInt();
            if (online < 1 || online > config.maxVcpus()) {
                throw new InvalidImageException("save image has " + online + " online vCPUs of "
                        + config.maxVcpus());
            }
            for (int vcpu = 0; vcpu < online; vcpu++) {
                if (in.readInt() != vcpu) {
                    throw new InvalidImageException("save image's online vCPUs are not 0.." + (online - 1));
                }
            }
            SchedCredit sched = new SchedCredit(in.readInt(), in.readInt());
            List<List<Integer>> affinity = new ArrayList<>(config.maxVcpus());
            for (int vcpu = 0; vcpu < config.maxVcpus(); vcpu++) {
                affinity.add(DomainCodec.readCpus(in));
            }
            if (in.available() != 0) {
                throw new InvalidImageException("save image header has " + in.available() + " stray bytes");
            }
            return new Header(config, memoryKib, maxMemoryKib, online, sched, affinity);
        } catch (InvalidImageException e) {
            throw e;
        } catch (EOFException e) {
            throw new InvalidImageException("save image header is shorter than its fields");
        } catch (IOException e) {
            throw new InvalidImageException("save image header is invalid: " + e.getMessage());
        }
    }
}
