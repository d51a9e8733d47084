package org.xend.apidoc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SortedMap;

import org.junit.jupiter.api.Test;

/**
 * Keeps the committed {@code docs/api/} equal to what the declarations produce now. With
 * {@code -Dapidoc.write=true} it rewrites the folder instead of comparing.
 */
class ReferenceIsCurrentTest {

    @Test
    void committedReferenceMatchesTheDeclarations() throws IOException {
        Path dir = Paths.get(System.getProperty("apidoc.dir", "../../docs/api")).toAbsolutePath().normalize();
        SortedMap<String, String> pages = ApiDocGenerator.render();
        if (Boolean.getBoolean("apidoc.write")) {
            ApiDocGenerator.write(dir, pages);
        }
        ApiDocGenerator.Differences differences = ApiDocGenerator.differences(dir, pages);
        assertTrue(differences.none(), () -> "The API reference in " + dir + " is out of date with the datamodel ("
                + differences + "). Regenerate it from the top of the repository with: "
                + ApiDocGenerator.REGENERATE_COMMAND + " and commit docs/api/.");
    }
}
