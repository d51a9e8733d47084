package org.xend.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The two shapes of a Xen API response struct. */
public final class Wire {
    private Wire() {
    }

    public static Map<String, Object> success(Object value) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("Status", "Success");
        m.put("Value", value == null ? "" : value);
        return m;
    }

    public static Map<String, Object> failure(List<String> errorDescription) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("Status", "Failure");
        m.put("ErrorDescription", errorDescription);
        return m;
    }
}
