package org.xend.benchmarks.jmh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.VmConfig;
import org.xend.benchmarks.ConfigCorpus;
import org.xend.config.python.PyConfigParser;
import org.xend.config.python.PythonConfigFormat;
import org.xend.config.sxp.Sxp;
import org.xend.config.sxp.SxpConfigFormat;

/**
 * Throughput of the configuration formats in MB/s (10^6 bytes of text per second), on {@link ConfigCorpus}'s 40
 * hand-written xm files and on the {@code config.sxp} files Xend keeps for the same VMs (written by the SXP format,
 * Xen API keys included). Each operation reads or writes one file of the corpus, in turn.
 *
 * <ul>
 * <li>{@code *Read}: text to {@code VmConfig}, the whole of {@code ConfigFormat.read}.</li>
 * <li>{@code *Syntax}: the grammar alone (SXP values; Python variables), to separate it from the mapping.</li>
 * <li>{@code *Write}: {@code VmConfig} to text. The Python writer reads its output back to check it, so its
 * figure includes one read.</li>
 * </ul>
 * The {@code mb} counter is the figure: megabytes of text per second. Logging is turned down, as the Python reader
 * warns about the corpus's helper variables.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
@State(Scope.Thread)
public class ConfigFormatBenchmark {

    private static final int FILES = 40;

    /** Megabytes handled, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Megabytes {
        public double mb;

        @Setup(Level.Iteration)
        public void reset() {
            mb = 0;
        }
    }

    private final SxpConfigFormat sxp = new SxpConfigFormat();
    private final PythonConfigFormat python = new PythonConfigFormat();
    private final List<Text> xmFiles = new ArrayList<>();
    private final List<Text> sxpFiles = new ArrayList<>();
    private final List<VmConfig> configs = new ArrayList<>();
    private int next;

    /** A file of the corpus and its size in megabytes. */
    private record Text(String text, double mb) {
        static Text of(String text) {
            return new Text(text, text.getBytes(StandardCharsets.UTF_8).length / 1e6);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws ConfigException {
        for (String file : ConfigCorpus.xmFiles(FILES)) {
            VmConfig config = python.read(file);
            configs.add(config);
            xmFiles.add(Text.of(file));
            sxpFiles.add(Text.of(sxp.write(config)));
        }
    }

    private int nextIndex() {
        next = next + 1 == FILES ? 0 : next + 1;
        return next;
    }

    @Benchmark
    public VmConfig sxpRead(Megabytes counter) throws ConfigException {
        Text file = sxpFiles.get(nextIndex());
        counter.mb += file.mb();
        return sxp.read(file.text());
    }

    @Benchmark
    public Object sxpSyntax(Megabytes counter) throws ConfigException {
        Text file = sxpFiles.get(nextIndex());
        counter.mb += file.mb();
        return Sxp.parse(file.text());
    }

    @Benchmark
    public String sxpWrite(Megabytes counter) {
        String text = sxp.write(configs.get(nextIndex()));
        counter.mb += text.length() / 1e6;
        return text;
    }

    @Benchmark
    public VmConfig pythonRead(Megabytes counter) throws ConfigException {
        Text file = xmFiles.get(nextIndex());
        counter.mb += file.mb();
        return python.read(file.text());
    }

    @Benchmark
    public Object pythonSyntax(Megabytes counter) throws ConfigException {
        Text file = xmFiles.get(nextIndex());
        counter.mb += file.mb();
        return PyConfigParser.parse(file.text());
    }

    @Benchmark
    public String pythonWrite(Megabytes counter) {
        String text = python.write(configs.get(nextIndex()));
        counter.mb += text.length() / 1e6;
        return text;
    }
}
