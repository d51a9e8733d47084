package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.sxp.SxpConfigFormat;

class ConfigReaderTest {

    private static final String SXP = "# xm's own form\n(vm (name sxp-guest) (memory 128) (vcpus 1))\n";

    private final RecordingFormat python = new RecordingFormat();
    private final List<ConfigFormat> formats = List.of(new SxpConfigFormat(), python);

    @Test
    void sxpIsDetectedAndReadByTheSxpFormat() throws Exception {
        VmConfig config = ConfigReader.read("g.sxp", SXP, false, Map.of(), formats);
        assertEquals("sxp-guest", config.fields().get("name_label"));
        assertEquals(128L << 20, ((Number) config.fields().get("memory_dynamic_max")).longValue());
        assertNull(python.text, "the python format was not asked");
    }

    @Test
    void anythingElseGoesToThePythonFormatWithTheOverridesAppendedAsStrings() throws Exception {
        String file = "name = 'from-file'\nmemory = 128";
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("memory", "512");
        overrides.put("name", "it's \\ new");
        overrides.put("cpus", "0-3,^1");
        VmConfig config = ConfigReader.read("g.cfg", file, false, overrides, formats);
        assertEquals(python.result, config);
        assertEquals(file + "\nmemory = '512'\nname = 'it\\'s \\\\ new'\ncpus = '0-3,^1'\n", python.text);

        ConfigReader.read("g.cfg", file + "\n", false, Map.of("vcpus", "2"), formats);
        assertEquals(file + "\nvcpus = '2'\n", python.text, "no blank line after a final newline");
        ConfigReader.read("g.cfg", file, false, Map.of(), formats);
        assertEquals(file, python.text, "no override: the file as it is");
    }

    @Test
    void minusFForcesSxpWhateverTheFileLooksLike() {
        CommandException e = assertThrows(CommandException.class,
                () -> ConfigReader.read("g.cfg", "name = 'x'\n", true, Map.of(), formats));
        assertTrue(e.getMessage().startsWith("g.cfg: "), e.getMessage());
        assertNull(python.text);
    }

    @Test
    void overridesDoNotApplyToSxp() {
        CommandException e = assertThrows(CommandException.class,
                () -> ConfigReader.read("g.sxp", SXP, false, Map.of("memory", "256"), formats));
        assertEquals("g.sxp is SXP; VAR=VAL settings apply to xm/xl files only", e.getMessage());
    }

    @Test
    void aParseErrorNamesTheFileAndKeepsTheFormatsMessage() {
        python.failure = new ConfigException("line 3, column 1: 'import' is not allowed");
        CommandException e = assertThrows(CommandException.class,
                () -> ConfigReader.read("/etc/xen/bad.cfg", "import os\n", false, Map.of(), formats));
        assertEquals("/etc/xen/bad.cfg: line 3, column 1: 'import' is not allowed", e.getMessage());
    }

    @Test
    void aMissingFormatServiceIsNamed() {
        CommandException e = assertThrows(CommandException.class,
                () -> ConfigReader.read("g.cfg", "name = 'x'", false, Map.of(), List.of(new SxpConfigFormat())));
        assertEquals("No reader for xm/xl configurations: the ConfigFormat service format=python is not installed"
                + " (feature xend-config)", e.getMessage());
        assertThrows(CommandException.class, () -> ConfigReader.read("g.sxp", SXP, false, Map.of(), List.of()));
    }

    @Test
    void xmlConfigurationsAreRefused() {
        CommandException e = assertThrows(CommandException.class,
                () -> ConfigReader.read("g.xml", "<xm><vm/></xm>", false, Map.of(), formats));
        assertTrue(e.getMessage().contains("XML configuration files are not supported"), e.getMessage());
    }

    @Test
    void literalsAreSafelyQuotedStrings() {
        assertEquals("'256'", ConfigReader.literal("256"));
        assertEquals("''", ConfigReader.literal(""));
        assertEquals("'a\\nb\\tc\\x01\\''", ConfigReader.literal("a\nb\tc\u0001'"));
        assertEquals("'C:\\\\xen'", ConfigReader.literal("C:\\xen"));
        assertEquals("'__import__(\\'os\\')'", ConfigReader.literal("__import__('os')"),
                "a value is data, never code");
    }

    /** Stands in for the python format: remembers the text it was given. */
    private static final class RecordingFormat implements ConfigFormat {
        final VmConfig result = new VmConfig(Map.of("name_label", "py"), Map.of(), List.of());
        String text;
        ConfigException failure;

        @Override
        public String format() {
            return "python";
        }

        @Override
        public VmConfig read(String text) throws ConfigException {
            this.text = text;
            if (failure != null) {
                throw failure;
            }
            return result;
        }

        @Override
        public String write(VmConfig config) {
            throw new UnsupportedOperationException();
        }
    }
}
