package org.xend.config.python;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.sxp.Sxp;

/**
 * The {@code python} configuration format: xm and xl configuration files, in Python syntax, parsed and never
 * executed ({@link PyConfigParser} gives the grammar, {@link XmConfigReader} the keys). {@link #write} gives a
 * canonical xm-style file that reads back to the same configuration.
 *
 * <p><b>{@code VAR=VAL} overrides</b>, as {@code xm create file VAR=VAL…} took them: {@link #read(String, Map)}
 * makes each override visible to the file from its start and lets it win over the file's own assignment;
 * values are strings, read as xm's command line read them (a number where xm wanted one, one entry of a list
 * key such as {@code disk}). A caller that has only the {@link ConfigFormat} service can get the same result
 * for every file that does not refer to an overridden variable before assigning it: append one line
 * {@code VAR = 'VAL'} per override to the text (VAL as a Python string literal: backslashes and quotes
 * escaped), after a newline, as {@link #appendOverrides} does. Later assignments win, and string values are
 * taken wherever xm's command line took them.
 */
@Component(service = ConfigFormat.class, property = ConfigFormat.PROPERTY_FORMAT + "=" + PythonConfigFormat.FORMAT)
public class PythonConfigFormat implements ConfigFormat {

    public static final String FORMAT = "python";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d{1,18}");
    /** Keys whose command-line value xm appended to a list. */
    private static final Set<String> LIST_KEYS = Set.of(
            "disk", "vif", "vtpm", "pci", "ioports", "irq", "usbport", "vfb", "access_control");
    /** Keys xm's command line read as integers. */
    private static final Set<String> INTEGER_KEYS = Set.of(
            "memory", "maxmem", "shadow_memory", "vcpus", "maxvcpus", "vcpu_avail", "cpu", "cpu_cap", "cap",
            "cpu_weight", "nics", "pae", "acpi", "apic", "rtc_timeoffset");

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public VmConfig read(String text) throws ConfigException {
        return readText(text, Map.of());
    }

    /** Reads a file with {@code xm create}'s {@code VAR=VAL} overrides (names to string values). */
    public VmConfig read(String text, Map<String, String> overrides) throws ConfigException {
        return readText(text, overrides);
    }

    /** The {@code (vm …)} SXP that {@code xm create -n} (dry run) printed for the file, pretty-printed. */
    public String dryRun(String text, Map<String, String> overrides) throws ConfigException {
        return Sxp.prettyPrint(XmConfigReader.vmSxp(variables(text, overrides)));
    }

    @Override
    public String write(VmConfig config) {
        return XmConfigWriter.write(config);
    }

    /** {@code text} followed by one {@code VAR = 'VAL'} line per override: the text convention above. */
    public static String appendOverrides(String text, Map<String, String> overrides) {
        StringBuilder out = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.append('\n');
        }
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            out.append(override.getKey()).append(" = ");
            PyValues.appendStringRepr(out, override.getValue());
            out.append('\n');
        }
        return out.toString();
    }

    static VmConfig readText(String text, Map<String, String> overrides) throws ConfigException {
        return XmConfigReader.read(variables(text, overrides));
    }

    private static Map<String, Object> variables(String text, Map<String, String> overrides)
            throws ConfigException {
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            String name = override.getKey();
            if (name == null || !NAME.matcher(name).matches() || PyLexer.KEYWORDS.contains(name)) {
                throw new ConfigException("override " + name + "=" + override.getValue()
                        + ": the name must be a Python identifier");
            }
            typed.put(name, overrideValue(name, override.getValue() == null ? "" : override.getValue()));
        }
        Map<String, Object> variables = new LinkedHashMap<>(PyConfigParser.parse(text, typed));
        variables.putAll(typed);
        return variables;
    }

    private static Object overrideValue(String name, String value) {
        if (LIST_KEYS.contains(name)) {
            return new PyList(List.of(value));
        }
        if (INTEGER_KEYS.contains(name) && DECIMAL.matcher(value.strip()).matches()) {
            return Long.parseLong(value.strip());
        }
        return value;
    }
}
