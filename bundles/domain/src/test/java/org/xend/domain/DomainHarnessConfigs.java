package org.xend.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.spi.config.VmConfig;
import org.xend.api.store.Refs;

/** Configurations with Xend's non-API keys, which only the configuration doors can set. */
final class DomainHarnessConfigs {

    private DomainHarnessConfigs() {
    }

    static String defineWithExtras(DomainHarness h, String name, Map<String, String> extras) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("uuid", Refs.newRef());
        f.put("name_label", name);
        f.put("memory_static_max", 64L << 20);
        f.put("memory_dynamic_max", 64L << 20);
        f.put("memory_dynamic_min", 64L << 20);
        f.put("memory_static_min", 0L);
        return h.runtime.service().define(new VmConfig(f, extras, List.of()));
    }
}
