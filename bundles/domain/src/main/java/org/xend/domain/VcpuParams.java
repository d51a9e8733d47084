package org.xend.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;

/** Parses and checks the VCPUs_params keys: weight (1–65535), cap (0–100 × vCPUs) and cpumapN (CPU lists). */
final class VcpuParams {

    private VcpuParams() {
    }

    static int weight(String value) {
        int w = number("weight", value);
        if (w < 1 || w > 65535) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "weight", value, "weight must be from 1 to 65535");
        }
        return w;
    }

    static int cap(String value, long vcpus) {
        int c = number("cap", value);
        if (c < 0 || c > 100 * vcpus) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "cap", value,
                    "cap must be from 0 to " + (100 * vcpus) + " (100 per vCPU; 0 means no cap)");
        }
        return c;
    }

    /** The vCPU of a {@code cpumapN} key. */
    static int cpumapVcpu(String key, long vcpus) {
        int n = number(key, key.substring("cpumap".length()));
        if (n < 0 || n >= vcpus) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "VCPUs_params", key,
                    "there is no vCPU " + n + " (the VM has " + vcpus + ")");
        }
        return n;
    }

    /** A CPU list such as {@code 0,2-3,^2}; every CPU must exist. */
    static List<Integer> cpus(String spec, int nrCpus) {
        TreeSet<Integer> set = new TreeSet<>();
        TreeSet<Integer> excluded = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclude = p.startsWith("^");
            String range = exclude ? p.substring(1) : p;
            String[] ends = range.split("-", 2);
            int from = number("cpumap", ends[0]);
            int to = ends.length == 2 ? number("cpumap", ends[1]) : from;
            if (from > to || from < 0 || to >= nrCpus) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "cpumap", spec,
                        "CPUs are numbered from 0 to " + (nrCpus - 1));
            }
            for (int c = from; c <= to; c++) {
                (exclude ? excluded : set).add(c);
            }
        }
        set.removeAll(excluded);
        if (set.isEmpty()) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "cpumap", spec, "the CPU list is empty");
        }
        return new ArrayList<>(set);
    }

    private static int number(String field, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, field, value, "not a number");
        }
    }
}
