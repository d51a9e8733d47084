package org.xend.domain;

import java.util.Map;
import java.util.regex.Pattern;

import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.Type;

/** The checks every VM configuration must pass, whichever door it came through. */
final class VmRules {

    /** Xend's name rule. */
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_\\-.:/+]+$");

    private VmRules() {
    }

    /** Values of enumerated fields must be among the declared ones (configs from files are not checked by type). */
    static void checkEnums(ClassDecl cls, Map<String, Object> fields) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            FieldDecl f = cls.fields().get(e.getKey());
            if (f != null && f.type() instanceof Type.Enum en && !en.values().contains(e.getValue())) {
                throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, f.name(), String.valueOf(e.getValue()),
                        "expected one of " + String.join(", ", en.values()));
            }
        }
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "name_label", String.valueOf(name),
                    "a VM name is one or more of the characters A-Z a-z 0-9 _ - . : / +");
        }
    }

    /** static_min ≤ dynamic_min ≤ dynamic_max ≤ static_max, and static_max > 0 (bytes). */
    static void checkMemory(Map<String, Object> vm) {
        long staticMin = (Long) vm.get("memory_static_min");
        long dynamicMin = (Long) vm.get("memory_dynamic_min");
        long dynamicMax = (Long) vm.get("memory_dynamic_max");
        long staticMax = (Long) vm.get("memory_static_max");
        if (staticMax <= 0) {
            throw memory("memory_static_max", staticMax, "memory_static_max must be greater than 0");
        }
        if (staticMin < 0) {
            throw memory("memory_static_min", staticMin, "memory_static_min must not be negative");
        }
        if (staticMin > dynamicMin) {
            throw memory("memory_dynamic_min", dynamicMin, "memory_static_min (" + staticMin
                    + ") must not exceed memory_dynamic_min");
        }
        if (dynamicMin > dynamicMax) {
            throw memory("memory_dynamic_max", dynamicMax, "memory_dynamic_min (" + dynamicMin
                    + ") must not exceed memory_dynamic_max");
        }
        if (dynamicMax > staticMax) {
            throw memory("memory_dynamic_max", dynamicMax, "memory_dynamic_max must not exceed memory_static_max ("
                    + staticMax + ")");
        }
    }

    static void checkVcpus(Map<String, Object> vm) {
        long max = (Long) vm.get("VCPUs_max");
        long atStartup = (Long) vm.get("VCPUs_at_startup");
        if (max < 1 || max > 128) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "VCPUs_max", max, "VCPUs_max must be from 1 to 128");
        }
        if (atStartup < 1 || atStartup > max) {
            throw new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, "VCPUs_at_startup", atStartup,
                    "VCPUs_at_startup must be from 1 to VCPUs_max (" + max + ")");
        }
    }

    private static XenApiException memory(String field, long value, String rule) {
        return new XenApiException(ErrorCodes.VALUE_NOT_SUPPORTED, field, value, rule);
    }
}
