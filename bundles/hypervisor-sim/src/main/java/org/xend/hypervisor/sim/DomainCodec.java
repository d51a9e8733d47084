package org.xend.hypervisor.sim;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.xend.api.spi.hypervisor.DomainConfig;
import org.xend.api.spi.hypervisor.SchedCredit;
import org.xend.api.spi.hypervisor.SchedSedf;
import org.xend.api.spi.hypervisor.ShutdownReason;

/**
 * The binary form of a {@link DomainRecord} in the domain table and its journal. The time base of the running
 * simulator ({@code accountedAtNs}, the pCPU bases) is not stored: a reader takes the record over with
 * {@link DomainRecord#reloaded}. Reading checks every count and range, so damaged input is an
 * {@link IOException}, never a record that breaks the simulator later.
 * <p>
 * A record is written with its {@link DomainControls} after the vCPUs; records written before the controls existed
 * are read with {@code withControls} false and get the controls of a newly built domain.
 */
final class DomainCodec {

    /** More pCPUs than any host the simulator is configured as; bounds affinity lists read from disk. */
    private static final int MAX_PCPUS = 4096;
    private static final int NO_SHUTDOWN = -1;

    private DomainCodec() {
    }

    static void write(DataOutput out, DomainRecord r) throws IOException {
        out.writeInt(r.domid());
        writeConfig(out, r.config());
        out.writeLong(r.memoryKib());
        out.writeLong(r.maxMemoryKib());
        out.writeLong(r.targetMemoryKib());
        out.writeInt(r.onlineVcpus());
        out.writeBoolean(r.paused());
        out.writeInt(r.shutdownReason().map(ShutdownReason::code).orElse(NO_SHUTDOWN));
        out.writeInt(r.sched().weight());
        out.writeInt(r.sched().cap());
        for (DomainRecord.Vcpu v : r.vcpus()) {
            out.writeLong(v.timeNs());
            out.writeInt(v.pcpu());
            writeCpus(out, v.affinity());
        }
        writeControls(out, r.controls());
    }

    static DomainRecord read(DataInput in) throws IOException {
        return read(in, true);
    }

    static DomainRecord read(DataInput in, boolean withControls) throws IOException {
        int domid = in.readInt();
        if (domid < 0 || domid >= SimHypervisor.DOMID_FIRST_RESERVED) {
            throw new IOException("bad domain id " + domid);
        }
        DomainConfig config = readConfig(in);
        long memoryKib = nonNegative(in.readLong(), "memory");
        long maxMemoryKib = nonNegative(in.readLong(), "maximum memory");
        long targetMemoryKib = nonNegative(in.readLong(), "memory target");
        int online = in.readInt();
        if (online < 1 || online > config.maxVcpus()) {
            throw new IOException("domain " + domid + " has " + online + " online vCPUs of " + config.maxVcpus());
        }
        boolean paused = in.readBoolean();
        int reasonCode = in.readInt();
        Optional<ShutdownReason> reason;
        try {
            reason = reasonCode == NO_SHUTDOWN ? Optional.empty() : Optional.of(ShutdownReason.ofCode(reasonCode));
        } catch (IllegalArgumentException e) {
            throw new IOException("domain " + domid + ": " + e.getMessage());
        }
        SchedCredit sched = new SchedCredit(in.readInt(), in.readInt());
        List<DomainRecord.Vcpu> vcpus = new ArrayList<>(config.maxVcpus());
        for (int vcpu = 0; vcpu < config.maxVcpus(); vcpu++) {
            long time = nonNegative(in.readLong(), "CPU time");
            int pcpu = in.readInt();
            if (pcpu < 0 || pcpu >= MAX_PCPUS) {
                throw new IOException("bad pCPU " + pcpu);
            }
            vcpus.add(new DomainRecord.Vcpu(time, pcpu, 0, readCpus(in)));
        }
        DomainControls controls = withControls ? readControls(in) : DomainControls.initial(config);
        return new DomainRecord(domid, config, memoryKib, maxMemoryKib, targetMemoryKib, online, paused, reason,
                sched, vcpus, 0, controls);
    }

    static void writeControls(DataOutput out, DomainControls c) throws IOException {
        out.writeLong(c.sedf().periodNs());
        out.writeLong(c.sedf().sliceNs());
        out.writeLong(c.sedf().latencyNs());
        out.writeBoolean(c.sedf().extratime());
        out.writeInt(c.sedf().weight());
        out.writeInt(c.shadowMode());
        out.writeLong(c.shadowPages());
        out.writeInt(c.ioports().size());
        for (DomainControls.PortRange r : c.ioports()) {
            out.writeInt(r.first());
            out.writeInt(r.last());
        }
    }

    static DomainControls readControls(DataInput in) throws IOException {
        SchedSedf sedf = new SchedSedf(nonNegative(in.readLong(), "SEDF period"),
                nonNegative(in.readLong(), "SEDF slice"), nonNegative(in.readLong(), "SEDF latency"),
                in.readBoolean(), in.readInt());
        if (sedf.weight() < 0 || sedf.weight() > SedfScheduler.MAX_WEIGHT) {
            throw new IOException("bad SEDF weight " + sedf.weight());
        }
        int mode = in.readInt();
        long pages = nonNegative(in.readLong(), "shadow allocation");
        int ranges = in.readInt();
        if (ranges < 0 || ranges > DomainControls.MAX_PORT + 1) {
            throw new IOException("bad I/O port range count " + ranges);
        }
        List<DomainControls.PortRange> ioports = new ArrayList<>(ranges);
        for (int i = 0; i < ranges; i++) {
            int first = in.readInt();
            int last = in.readInt();
            try {
                ioports.add(new DomainControls.PortRange(first, last));
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage());
            }
        }
        return new DomainControls(sedf, mode, pages, ioports);
    }

    static void writeConfig(DataOutput out, DomainConfig c) throws IOException {
        out.writeUTF(c.uuid());
        out.writeUTF(nullToEmpty(c.name()));
        out.writeBoolean(c.hvm());
        out.writeInt(c.maxVcpus());
        out.writeInt(c.onlineVcpus());
        out.writeLong(c.maxMemoryKib());
        out.writeLong(c.targetMemoryKib());
        out.writeUTF(nullToEmpty(c.kernel()));
        out.writeUTF(nullToEmpty(c.ramdisk()));
        out.writeUTF(nullToEmpty(c.cmdline()));
        out.writeLong(c.ssidref());
    }

    static DomainConfig readConfig(DataInput in) throws IOException {
        String uuid = in.readUTF();
        String name = in.readUTF();
        boolean hvm = in.readBoolean();
        int maxVcpus = in.readInt();
        int online = in.readInt();
        if (maxVcpus < 1 || maxVcpus > SimHypervisor.MAX_VIRT_CPUS || online < 1 || online > maxVcpus) {
            throw new IOException("bad vCPU counts " + online + "/" + maxVcpus + " for domain " + uuid);
        }
        long maxMemoryKib = nonNegative(in.readLong(), "maximum memory");
        long targetMemoryKib = nonNegative(in.readLong(), "memory target");
        return new DomainConfig(uuid, name, hvm, maxVcpus, online, maxMemoryKib, targetMemoryKib, in.readUTF(),
                in.readUTF(), in.readUTF(), in.readLong());
    }

    static void writeCpus(DataOutput out, List<Integer> cpus) throws IOException {
        out.writeInt(cpus.size());
        for (int cpu : cpus) {
            out.writeInt(cpu);
        }
    }

    static List<Integer> readCpus(DataInput in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_PCPUS) {
            throw new IOException("bad CPU count " + count);
        }
        List<Integer> cpus = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int cpu = in.readInt();
            if (cpu < 0 || cpu >= MAX_PCPUS) {
                throw new IOException("bad pCPU " + cpu);
            }
            cpus.add(cpu);
        }
        return cpus;
    }

    private static long nonNegative(long value, String what) throws IOException {
        if (value < 0) {
            throw new IOException("negative " + what + ": " + value);
        }
        return value;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
