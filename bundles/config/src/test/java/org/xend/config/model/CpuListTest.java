package org.xend.config.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xend.api.spi.config.ConfigException;

class CpuListTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "0-3,^1 | 0,2,3", "^1,0-3 | 0,2,3", "0-3,5,^2 | 0,1,3,5", "2-7,^4-5 | 2,3,6,7", " 1 , 0 | 0,1",
        "3,3,1-2 | 1,2,3", "0 - 2 | 0,1,2", "[0, 2] | 0,2", "[] | \"\"", "\"\" | \"\"", "\"  \" | \"\"",
        "4095 | 4095"})
    void canonicalFormIsTheAscendingList(String spec, String expected) throws ConfigException {
        assertEquals(expected, CpuList.canonical("cpus", spec));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "^1 | no CPU is left", "0-3,^0-3 | no CPU is left", "3-1 | runs backwards", "4096 | above the largest",
        "0-99999999 | above the largest", "a | expected CPU numbers", "1,,2 | expected CPU numbers",
        "1- | expected CPU numbers", "-1 | expected CPU numbers", "nodes:0 | expected CPU numbers"})
    void badSpecsNameKeyValueAndRule(String spec, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> CpuList.canonical("cpus", spec));
        assertTrue(error.getMessage().startsWith("cpus: ") && error.getMessage().contains(expected)
                && error.getMessage().contains(spec), error.getMessage());
    }
}
