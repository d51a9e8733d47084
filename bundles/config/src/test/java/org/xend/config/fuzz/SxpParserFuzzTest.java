package org.xend.config.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.sxp.Sxp;
import org.xend.config.sxp.SxpConfigFormat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the SXP parser and the domain SXP reader: whatever the text, the only exception
 * that may come out is {@link ConfigException}; what parses prints back to text that parses the same, and a
 * configuration that reads writes back to text that reads the same. {@code mvn test} fuzzes it for
 * {@code maxDuration} in the surefire execution {@code fuzz-sxp}, which first replays the seeds and saved
 * findings under {@code SxpParserFuzzTestInputs}; the module's pom gives the command for a long run.
 */
class SxpParserFuzzTest {

    private final SxpConfigFormat format = new SxpConfigFormat();

    @FuzzTest(maxDuration = "6s")
    void onlyConfigExceptionsComeOut(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<Object> values;
        try {
            values = Sxp.parseAll(text);
        } catch (ConfigException refused) {
            return;
        }
        for (Object value : values) {
            try {
                assertEquals(value, Sxp.parse(Sxp.print(value)));
                assertEquals(value, Sxp.parse(Sxp.prettyPrint(value)));
            } catch (ConfigException unreadablePrint) {
                throw new AssertionError("printed SXP does not parse: " + Sxp.print(value), unreadablePrint);
            }
        }
        VmConfig config;
        try {
            config = format.read(text);
        } catch (ConfigException refused) {
            // Not a domain configuration: the reader's own refusal is allowed.
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
