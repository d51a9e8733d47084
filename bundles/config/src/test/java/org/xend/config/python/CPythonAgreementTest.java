package org.xend.config.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.config.Fixtures;

/**
 * The grammar tour {@code fixtures/python/expressions.py} (our own file, valid Python 3) gives the same variables
 * here as in CPython, compared through {@code repr}. Skipped where no {@code python3} is installed.
 */
class CPythonAgreementTest {

    private static final String DUMP = """
            import sys, warnings
            warnings.simplefilter('ignore')
            names = {}
            exec(compile(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1], 'exec'), names)
            out = open(sys.argv[2], 'w', encoding='utf-8')
            for name, value in names.items():
                if name != '__builtins__':
                    out.write(name + '\\t' + repr(value).replace('\\n', '\\\\n') + '\\n')
            """;

    @TempDir
    Path scratch;

    @Test
    void variablesAndTheirReprAreCPythons() throws Exception {
        Path source = scratch.resolve("expressions.py");
        Path dump = scratch.resolve("dump.py");
        Path result = scratch.resolve("cpython.txt");
        String text = Fixtures.text("python/expressions.py");
        Files.writeString(source, text);
        Files.writeString(dump, DUMP);
        assumeTrue(runs("python3", dump.toString(), source.toString(), result.toString()), "python3 is not available");

        StringBuilder ours = new StringBuilder();
        for (Map.Entry<String, Object> variable : PyConfigParser.parse(text).entrySet()) {
            StringBuilder repr = new StringBuilder();
            PyValues.append(repr, variable.getValue(), false, Integer.MAX_VALUE - 1, 0);
            ours.append(variable.getKey()).append('\t').append(repr.toString().replace("\n", "\\n")).append('\n');
        }
        assertEquals(Files.readString(result, StandardCharsets.UTF_8), ours.toString());
    }

    private static boolean runs(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
