package org.xend.config.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;
import org.xend.config.Fixtures;

/**
 * Configuration files that import, call or evaluate anything are refused with the line and column of what was
 * found, and nothing in them runs: the files under {@code fixtures/refused} would create a marker file if any
 * part of them were executed, and after the read the marker does not exist.
 */
class RefusedConfigTest {

    @TempDir
    Path scratch;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "import.py | line 3, column 1: import statements are not allowed: found keyword 'import'",
        "call.py | line 3, column 11: function calls are not allowed ('open' is not called): found '('",
        "dunder-import.py | line 1, column 20: function calls are not allowed ('__import__' is not called)",
        "eval.py | line 2, column 13: function calls are not allowed ('eval' is not called)",
        "with.py | line 1, column 1: 'with' is not allowed: a configuration file holds assignments only",
        "attribute.py | line 2, column 14: attribute access is not allowed (after 'name')",
        "subscript.py | line 2, column 14: subscripts are not allowed (after 'disks')",
        "lambda.py | line 1, column 10: lambda expressions are not allowed",
        "loop.py | line 2, column 1: loops are not allowed: found keyword 'for'",
        "conditional.py | line 2, column 1: conditionals are not allowed: found keyword 'if'",
        "conditional-expression.py | line 2, column 14: conditional expressions are not allowed",
        "def.py | line 1, column 1: definitions are not allowed: found keyword 'def'",
        "comprehension.py | line 1, column 29: comprehensions are not allowed",
        "unknown-name.py | line 2, column 10: unknown name: only variables assigned earlier in the file can be used",
        "fstring.py | line 2, column 8: f-strings are not allowed",
        "print.py | line 1, column 1: print and exec are not allowed",
        "walrus.py | line 1, column 13: operator not supported",
        "comparison.py | line 1, column 11: operator not supported",
        "backquote.py | line 1, column 8: unexpected character '`'",
        "indentation.py | line 2, column 1: unexpected indentation"})
    void isRefusedWithLineAndColumnAndNothingRuns(String fixture, String expected) throws Exception {
        Path marker = scratch.resolve("xend-config-was-executed");
        String text = Fixtures.text("refused/" + fixture).replace("@MARKER@", marker.toString());
        PythonConfigFormat format = new PythonConfigFormat();
        for (ThrowingRead read : List.<ThrowingRead>of(() -> format.read(text),
                () -> format.read(text, Map.of("memory", "512")), () -> format.dryRun(text, Map.of()))) {
            ConfigException error = assertThrows(ConfigException.class, read::run);
            assertTrue(error.getMessage().startsWith(expected),
                    () -> "expected: " + expected + "\nbut was:  " + error.getMessage());
        }
        assertFalse(Files.exists(marker), "something in " + fixture + " ran");
        assertEquals(List.of(), listing(scratch), "nothing was written beside the marker either");
    }

    private static List<Path> listing(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    private interface ThrowingRead {
        void run() throws Exception;
    }
}
