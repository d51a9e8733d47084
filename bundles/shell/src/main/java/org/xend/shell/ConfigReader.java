package org.xend.shell;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;

/** Picks the format service for a configuration text and reads it, with xm's {@code VAR=VAL} overrides. */
final class ConfigReader {

    static final String SXP = "sxp";
    static final String PYTHON = "python";

    private ConfigReader() {
    }

    /**
     * Reads {@code text} as SXP when forced or when it starts with {@code (}, otherwise as an xm/xl file.
     *
     * @param source names the text in error messages (the file's path)
     */
    static VmConfig read(String source, String text, boolean forceSxp, Map<String, String> overrides,
                         List<ConfigFormat> formats) throws CommandException {
        if (!forceSxp && ConfigFiles.isXml(text)) {
            throw new CommandException(source + ": XML configuration files are not supported; "
                    + "use an xm/xl file or SXP");
        }
        boolean sxp = forceSxp || ConfigFiles.isSxp(text);
        if (sxp && !overrides.isEmpty()) {
            throw new CommandException(source + " is SXP; VAR=VAL settings apply to xm/xl files only");
        }
        ConfigFormat format = format(sxp ? SXP : PYTHON, formats);
        try {
            return format.read(sxp ? text : withOverrides(text, overrides));
        } catch (ConfigException e) {
            throw new CommandException(source + ": " + e.getMessage());
        }
    }

    /** The registered format service with that name. */
    static ConfigFormat format(String name, List<ConfigFormat> formats) throws CommandException {
        if (formats != null) {
            for (ConfigFormat format : formats) {
                if (name.equals(format.format())) {
                    return format;
                }
            }
        }
        String what = SXP.equals(name) ? "SXP" : PYTHON.equals(name) ? "xm/xl" : name;
        throw new CommandException("No reader for " + what + " configurations: the ConfigFormat service "
                + ConfigFormat.PROPERTY_FORMAT + "=" + name + " is not installed (feature xend-config)");
    }

    /**
     * The file with one {@code VAR = 'VAL'} line per override after it: a later assignment wins over the file's
     * own, which is what {@code xm create FILE VAR=VAL} meant. This is the text convention of the python format
     * service; the value is a Python string literal, and the format reads it where xm's command line read one
     * (a number for memory or vcpus, one entry for disk or vif).
     */
    static String withOverrides(String text, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return text;
        }
        StringBuilder result = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            result.append('\n');
        }
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            result.append(override.getKey()).append(" = ").append(literal(override.getValue())).append('\n');
        }
        return result.toString();
    }

    /** {@code value} as a single-quoted Python string literal: data, whatever characters it holds. */
    static String literal(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('\'').toString();
    }
}
