package org.xend.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xend.api.spi.config.VmConfig;
import org.xend.config.python.PythonConfigFormat;
import org.xend.config.sxp.SxpConfigFormat;

/** The benchmark corpus is what it claims: distinct, realistic files that every format reads. */
class ConfigCorpusTest {

    @Test
    void everyFileReadsAndHasTheDevicesOfItsShape() throws Exception {
        PythonConfigFormat python = new PythonConfigFormat();
        SxpConfigFormat sxp = new SxpConfigFormat();
        List<String> files = ConfigCorpus.xmFiles(8);
        assertEquals(8, new HashSet<>(files).size());
        for (int i = 0; i < files.size(); i++) {
            VmConfig config = python.read(files.get(i));
            assertEquals(String.format("%s-%02d", List.of("web", "db", "win", "node").get(i % 4), i),
                    config.fields().get("name_label"));
            assertTrue(config.fields().get("memory_static_max") instanceof Long);
            int devices = List.of(5, 3, 4, 1).get(i % 4);
            assertEquals(devices, config.devices().size(), files.get(i));
            assertEquals(config, sxp.read(sxp.write(config)));
            assertTrue(files.get(i).length() > 400, "a realistic file is not a one-liner");
        }
    }
}
