package org.xend.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockDeviceNumbersTest {

    private final BlockDeviceNumbers numbers = BlockDeviceNumbers.byNameOnly();

    @ParameterizedTest
    @CsvSource({
        // IDE: two disks per major, 64 minors each
        "hda, 768", "hda1, 769", "hdb, 832", "hdc, 5632", "hdd, 5696", "hde, 8448", "/dev/hdc63, 5695",
        // SCSI: 16 disks per major, 16 minors each
        "sda, 2048", "sda1, 2049", "sdb, 2064", "sdp15, 2303", "sdq, 16640", "sdaa, 16800",
        // Xen virtual disks: major 202, 16 minors each
        "xvda, 51712", "xvda1, 51713", "xvdb, 51728", "/dev/xvdc, 51744", "xvdp15, 51967",
        // a hex device number taken as it is
        "0x300, 768", "ca00, 51712"})
    void namesAreLinuxDeviceNumbers(String name, int number) {
        assertEquals(OptionalInt.of(number), numbers.number(name));
    }

    @ParameterizedTest
    @CsvSource({"floppy", "xvdq", "hdu", "sda16", "''"})
    void otherNamesHaveNoNumber(String name) {
        assertEquals(OptionalInt.empty(), numbers.number(name));
    }

    @org.junit.jupiter.api.Test
    void anExistingDeviceNodeWinsOverTheName() {
        BlockDeviceNumbers host = new BlockDeviceNumbers(
                p -> p.equals(Path.of("/dev/xvda")) ? OptionalInt.of(2048) : OptionalInt.empty());
        assertEquals(OptionalInt.of(2048), host.number("xvda"));
        assertEquals(OptionalInt.of(51728), host.number("xvdb"));
    }
}
