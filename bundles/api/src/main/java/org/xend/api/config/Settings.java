package org.xend.api.config;

import java.util.Map;

/** Reads one setting: the environment variable wins, then the Config Admin property, then the default. */
public final class Settings {

    private Settings() {
    }

    public static String value(Map<String, ?> props, Map<String, String> env, String key, String envVar,
                               String defaultValue) {
        String fromEnv = envVar == null ? null : env.get(envVar);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Object fromProps = props == null ? null : props.get(key);
        if (fromProps != null && !fromProps.toString().isBlank()) {
            return fromProps.toString().trim();
        }
        return defaultValue;
    }

    public static int intValue(Map<String, ?> props, Map<String, String> env, String key, String envVar,
                               int defaultValue) {
        String v = value(props, env, key, envVar, Integer.toString(defaultValue));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "setting " + key + (envVar == null ? "" : " (" + envVar + ")") + " must be a number, got '" + v + "'");
        }
    }

    public static long longValue(Map<String, ?> props, Map<String, String> env, String key, String envVar,
                                 long defaultValue) {
        String v = value(props, env, key, envVar, Long.toString(defaultValue));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "setting " + key + (envVar == null ? "" : " (" + envVar + ")") + " must be a number, got '" + v + "'");
        }
    }
}
