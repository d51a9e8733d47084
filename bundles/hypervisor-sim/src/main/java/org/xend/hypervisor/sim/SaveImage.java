package org.xend.hypervisor.sim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * The simulator's save image of a domain, as {@code xc_domain_save} writes one on real Xen. Layout (big-endian):
 * <pre>
 *   "XSIMSAVE"  format version (int)
 *   header length (int)  header: the domain's build configuration, memory, maximum memory, online vCPUs,
 *                                credit scheduler weight and cap, and each vCPU's affinity
 *   config length (int)  config: the toolstack's configuration, verbatim
 *   CRC-32 of everything from the header length to the end of the config (int)
 *   memory length (long) memory: one byte per byte of the domain's memory (a sparse region)
 *   "XSIMEND!"
 * </pre>
 * Reading checks the magic, the version, every length against the file's size, the checksum and the trailer, so a
 * corrupt or truncated image is refused before anything is built from it.
 */
final class SaveImage {
    private static final byte[] MAGIC = "XSIMSAVE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRAILER = "XSIMEND!".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    private static final int MAX_HEADER_BYTES = 1 << 16;
    private static final int MAX_CONFIG_BYTES = 64 << 20;

    /** An image that is not a readable save image of this format. */
    static final class InvalidImageException extends IOException {
        private static final long serialVersionUID = 1L;

        InvalidImageException(String message) {
            super(message);
        }
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

    static void write(Path image, Header header, byte[] config) throws IOException {
        byte[] headerBytes = encode(header);
        long memoryBytes = header.memoryKib() * 1024;
        ByteArrayOutputStream prefix = new ByteArrayOutputStream(64 + headerBytes.length + config.length);
        DataOutputStream out = new DataOutputStream(prefix);
        out.write(MAGIC);
        out.writeInt(FORMAT_VERSION);
        int checkedFrom = prefix.size();
        out.writeInt(headerBytes.length);
        out.write(headerBytes);
        out.writeInt(config.length);
        out.write(config);
        byte[] checked = prefix.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(checked, checkedFrom, checked.length - checkedFrom);
        out.writeInt((int) crc.getValue());
        out.writeLong(memoryBytes);
        byte[] start = prefix.toByteArray();
        AtomicFiles.write(image, channel -> {
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(start), 0);
            // the memory region is left as a hole: the file is as large as the domain's memory, but sparse
            AtomicFiles.writeFully(channel, ByteBuffer.wrap(TRAILER), start.length + memoryBytes);
        });
    }

    static Contents read(Path image) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer lead = read(channel, 0, MAGIC.length + 8, size, "its header");
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
            long at = MAGIC.length + 8L;
            byte[] headerBytes = bytes(read(channel, at, headerLength + 4, size, "its header"));
            at += headerLength;
            int configLength = ByteBuffer.wrap(headerBytes, headerLength, 4).getInt();
            at += 4;
            if (configLength < 0 || configLength > MAX_CONFIG_BYTES) {
                throw new InvalidImageException("save image configuration length " + configLength + " is impossible");
            }
            byte[] config = bytes(read(channel, at, configLength, size, "its configuration"));
            at += configLength;
            ByteBuffer sums = read(channel, at, 12, size, "its checksum");
            at += 12;
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
            long expected = at + memoryBytes + TRAILER.length;
            if (size != expected) {
                throw new InvalidImageException("save image is " + size + " bytes, expected " + expected
                        + (size < expected ? " (truncated)" : " (trailing data)"));
            }
            byte[] trailer = bytes(read(channel, at + memoryBytes, TRAILER.length, size, "its trailer"));
            if (!Arrays.equals(trailer, TRAILER)) {
                throw new InvalidImageException("save image does not end with its trailer");
            }
            return new Contents(header, config);
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length, long size, String what)
            throws IOException {
        if (position + length > size) {
            throw new InvalidImageException("save image is truncated (ends within " + what + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        AtomicFiles.readFully(channel, buffer, position);
        return buffer;
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
