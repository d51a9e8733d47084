package org.xend.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time a Linux process has used, all threads together: {@code utime + stime} from {@code /proc/<pid>/stat},
 * in clock ticks of {@code sysconf(_SC_CLK_TCK)} (asked of {@code getconf CLK_TCK} once; 100 on Linux otherwise).
 * The resolution is one tick, 10 ms, so measure over seconds.
 */
public final class ProcessCpu {

    /** Fields 14 and 15 of the stat line, counted from the field after the command name, which is field 3. */
    private static final int UTIME_AFTER_COMM = 14 - 3;
    private static final int STIME_AFTER_COMM = 15 - 3;
    private static final long DEFAULT_CLOCK_TICKS = 100;

    private final long pid;
    private final long ticksPerSecond;

    public ProcessCpu(long pid) {
        this(pid, clockTicksPerSecond());
    }

    ProcessCpu(long pid, long ticksPerSecond) {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
    }

    public long pid() {
        return pid;
    }

    /** CPU time in user mode and in the kernel on the process's behalf, in nanoseconds. */
    public record Times(long userNanos, long systemNanos) {
        public long totalNanos() {
            return userNanos + systemNanos;
        }

        public Times minus(Times earlier) {
            return new Times(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
        }
    }

    /** The process's CPU time so far. */
    public Times times() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        long[] ticks = parseUserAndSystemTicks(stat);
        return new Times(ticksToNanos(ticks[0], ticksPerSecond), ticksToNanos(ticks[1], ticksPerSecond));
    }

    /** The process's CPU time so far (user and system), in nanoseconds. */
    public long cpuNanos() throws IOException {
        return times().totalNanos();
    }

    static long ticksToNanos(long ticks, long ticksPerSecond) {
        return ticks * (TimeUnit.SECONDS.toNanos(1) / ticksPerSecond);
    }

    /**
     * {@code utime + stime} of a stat line. The command name in parentheses may hold spaces and parentheses itself,
     * so the fields are counted from the last closing parenthesis.
     */
    static long parseCpuTicks(String stat) {
        long[] ticks = parseUserAndSystemTicks(stat);
        return ticks[0] + ticks[1];
    }

    /** {@code {utime, stime}} of a stat line. */
    static long[] parseUserAndSystemTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
        }
        String[] fields = stat.substring(end + 1).trim().split("\\s+");
        if (fields.length <= STIME_AFTER_COMM) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + stat);
        }
        return new long[] {Long.parseLong(fields[UTIME_AFTER_COMM]), Long.parseLong(fields[STIME_AFTER_COMM])};
    }

    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out;
            try (InputStream in = getconf.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                if (ticks > 0) {
                    return ticks;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // getconf missing or odd: Linux has used 100 on every architecture for decades
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_CLOCK_TICKS;
    }
}
