package org.xend.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.python.PyConfigParser;
import org.xend.config.python.PythonConfigFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the xm/xl configuration reader: whatever the text, the only exception that may
 * come out is {@link ConfigException}, and a configuration that reads writes back to text that reads the same.
 * {@code mvn test} fuzzes it for {@code maxDuration} in the surefire execution {@code fuzz-python}, which first
 * replays the seeds and saved findings under {@code PythonParserFuzzTestInputs}; the module's pom gives the
 * command for a long run.
 */
class PythonParserFuzzTest {

    private final PythonConfigFormat format = new PythonConfigFormat();

    @FuzzTest(maxDuration = "6s")
    void onlyConfigExceptionsComeOut(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        VmConfig config;
        try {
            PyConfigParser.parse(text);
            config = format.read(text);
        } catch (ConfigException refused) {
            // The reader's own refusal is the one allowed outcome besides success.
            return;
        }
        String written = format.write(config);
        try {
            assertEquals(config, format.read(written), "written as:\n" + written);
        } catch (ConfigException unreadable) {
            throw new AssertionError("the written form does not read:\n" + written, unreadable);
        }
    }
}
