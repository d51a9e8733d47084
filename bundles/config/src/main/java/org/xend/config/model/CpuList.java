package org.xend.config.model;

import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.xend.api.spi.config.ConfigException;

/**
 * The {@code cpus} affinity of a VM as xm and xl write it: comma-separated CPU numbers {@code N}, ranges
 * {@code N-M} and exclusions {@code ^N} or {@code ^N-M}, e.g. {@code "0-3,^1"}. Exclusions apply after every
 * inclusion, whatever their place, as in Xend. The canonical form is the ascending list of CPUs, {@code "0,2,3"}.
 */
public final class CpuList {

    /** Xen's largest CPU number is far below this; the bound keeps a hostile range from allocating much. */
    public static final int MAX_CPU = 4095;

    private static final Pattern ITEM = Pattern.compile("(\\^)?\\s*(\\d{1,9})\\s*(?:-\\s*(\\d{1,9}))?");
    private static final Pattern PYTHON_LIST = Pattern.compile("\\[\\s*(-?\\d+\\s*(,\\s*-?\\d+\\s*)*)?\\]");
    private static final String RULE = "expected CPU numbers N, ranges N-M and exclusions ^N, comma-separated";

    private CpuList() {
    }

    /**
     * The canonical form of a cpus value: {@code "0,2,3"} for {@code "0-3,^1"}. An empty or blank value stays
     * empty (no affinity). Xend's saved form of a parsed list, {@code "[0, 2]"}, is read as well.
     *
     * @param key the configuration key, for the message
     */
    public static String canonical(String key, String spec) throws ConfigException {
        String trimmed = spec.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        if (PYTHON_LIST.matcher(trimmed).matches()) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
            if (trimmed.isBlank()) {
                return "";
            }
        }
        BitSet included = new BitSet();
        BitSet excluded = new BitSet();
        for (String item : trimmed.split(",", -1)) {
            Matcher m = ITEM.matcher(item.strip());
            if (!m.matches()) {
                throw new ConfigException(key + ": " + RULE + ": '" + spec + "'");
            }
            int from = cpu(key, spec, m.group(2));
            int to = m.group(3) == null ? from : cpu(key, spec, m.group(3));
            if (to < from) {
                throw new ConfigException(key + ": range " + from + "-" + to + " runs backwards: '" + spec + "'");
            }
            (m.group(1) != null ? excluded : included).set(from, to + 1);
        }
        included.andNot(excluded);
        if (included.isEmpty()) {
            throw new ConfigException(key + ": no CPU is left once the exclusions are applied: '" + spec + "'");
        }
        StringBuilder out = new StringBuilder();
        for (int cpu = included.nextSetBit(0); cpu >= 0; cpu = included.nextSetBit(cpu + 1)) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(cpu);
        }
        return out.toString();
    }

    private static int cpu(String key, String spec, String digits) throws ConfigException {
        int cpu = Integer.parseInt(digits);
        if (cpu > MAX_CPU) {
            throw new ConfigException(key + ": CPU " + cpu + " is above the largest CPU number " + MAX_CPU
                    + ": '" + spec + "'");
        }
        return cpu;
    }
}
