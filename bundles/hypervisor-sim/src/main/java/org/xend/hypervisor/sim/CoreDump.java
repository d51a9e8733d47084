package org.xend.hypervisor.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A core dump of a simulated domain: an ELF64 core file (little-endian, x86-64) with a note naming the domain and
 * one loadable segment as large as the domain's memory. The segment is a hole in the file, as the simulator has
 * no guest memory contents to write.
 */
final class CoreDump {
    static final String NOTE_NAME = "XendSim";
    static final int NOTE_TYPE_DOMAIN = 1;

    private static final int ELF_HEADER_BYTES = 64;
    private static final int PROGRAM_HEADER_BYTES = 56;
    private static final int PAGE = 4096;
    private static final short ET_CORE = 4;
    private static final short EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final int PF_RWX = 7;

    private CoreDump() {
    }

    /** @param state what the domain was doing when dumped: running, paused or the reason it shut down */
    static void write(Path file, DomainRecord domain, String state) throws IOException {
        String description = "domain " + domain.domid() + " (" + domain.config().name() + ")"
                + "\nuuid " + domain.uuid()
                + "\nmemory_kib " + domain.memoryKib()
                + "\nvcpus " + domain.onlineVcpus() + "/" + domain.maxVcpus()
                + "\nstate " + state + "\n";
        byte[] name = (NOTE_NAME + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] desc = description.getBytes(StandardCharsets.UTF_8);
        int noteOffset = ELF_HEADER_BYTES + 2 * PROGRAM_HEADER_BYTES;
        int noteBytes = 12 + align4(name.length) + align4(desc.length);
        long memoryOffset = alignPage(noteOffset + noteBytes);
        long memoryBytes = domain.memoryKib() * 1024;

        ByteBuffer head = ByteBuffer.allocate(noteOffset + noteBytes).order(ByteOrder.LITTLE_ENDIAN);
        head.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */, 0});
        head.put(new byte[8]);
        head.putShort(ET_CORE).putShort(EM_X86_64).putInt(1);
        head.putLong(0); // entry
        head.putLong(ELF_HEADER_BYTES); // program headers follow the ELF header
        head.putLong(0); // no section headers
        head.putInt(0); // flags
        head.putShort((short) ELF_HEADER_BYTES).putShort((short) PROGRAM_HEADER_BYTES).putShort((short) 2);
        head.putShort((short) 64).putShort((short) 0).putShort((short) 0);

        head.putInt(PT_NOTE).putInt(0).putLong(noteOffset).putLong(0).putLong(0)
                .putLong(noteBytes).putLong(0).putLong(4);
        head.putInt(PT_LOAD).putInt(PF_RWX).putLong(memoryOffset).putLong(0).putLong(0)
                .putLong(memoryBytes).putLong(memoryBytes).putLong(PAGE);

        head.putInt(name.length).putInt(desc.length).putInt(NOTE_TYPE_DOMAIN);
        head.put(name).put(new byte[align4(name.length) - name.length]);
        head.put(desc).put(new byte[align4(desc.length) - desc.length]);
        head.flip();

        AtomicFiles.write(file, channel -> {
            AtomicFiles.writeFully(channel, head, 0);
            if (memoryBytes > 0) {
                // one byte at the very end gives the file its full size and leaves the memory a hole
                AtomicFiles.writeFully(channel, ByteBuffer.allocate(1), memoryOffset + memoryBytes - 1);
            }
        });
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static long alignPage(long n) {
        return (n + PAGE - 1) & -PAGE;
    }
}
