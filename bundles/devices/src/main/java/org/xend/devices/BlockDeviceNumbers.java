package org.xend.devices;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest-side block device name ({@code hda}, {@code sdb1}, {@code xvda2}, {@code /dev/sda}, or a hex number) as
 * the Linux device number a vbd's devid is, as Xend computed it: the rdev of an existing {@code /dev} node first,
 * then the IDE, SCSI and Xen virtual disk numbering.
 */
final class BlockDeviceNumbers {

    private static final List<Integer> IDE_MAJORS = List.of(3, 22, 33, 34, 56, 57, 88, 89, 90, 91);
    private static final List<Integer> SCSI_MAJORS = List.of(8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132,
            133, 134, 135);
    private static final int XVD_MAJOR = 202;

    private static final Pattern SD = Pattern.compile("/dev/sd([a-z])([1-9]|1[0-5])?");
    private static final Pattern SD2 = Pattern.compile("/dev/sd([a-i])([a-z])([1-9]|1[0-5])?");
    private static final Pattern HD = Pattern.compile("/dev/hd([a-t])([1-9]|[1-5][0-9]|6[0-3])?");
    private static final Pattern XVD = Pattern.compile("/dev/xvd([a-p])([1-9]|1[0-5])?");
    private static final Pattern HEX = Pattern.compile("(0x)?[0-9a-fA-F]+");

    /** The rdev of a device node, if it exists. */
    private final Function<Path, OptionalInt> deviceNodes;

    /** Looks at the host's {@code /dev} first, as Xend did. */
    static BlockDeviceNumbers ofHost() {
        return new BlockDeviceNumbers(BlockDeviceNumbers::rdev);
    }

    /** From the names alone (for tests, and hosts whose /dev is not the guests' business). */
    static BlockDeviceNumbers byNameOnly() {
        return new BlockDeviceNumbers(p -> OptionalInt.empty());
    }

    BlockDeviceNumbers(Function<Path, OptionalInt> deviceNodes) {
        this.deviceNodes = deviceNodes;
    }

    OptionalInt number(String name) {
        if (name == null || name.isEmpty()) {
            return OptionalInt.empty();
        }
        String n = name.startsWith("/") ? name : "/dev/" + name;
        OptionalInt node = deviceNodes.apply(Path.of(n));
        if (node.isPresent()) {
            return node;
        }
        Matcher m = SD.matcher(n);
        if (m.matches()) {
            int disk = m.group(1).charAt(0) - 'a';
            return OptionalInt.of(SCSI_MAJORS.get(disk / 16) * 256 + (disk % 16) * 16 + partition(m.group(2)));
        }
        m = SD2.matcher(n);
        if (m.matches()) {
            int disk = (m.group(1).charAt(0) - 'a' + 1) * 26 + (m.group(2).charAt(0) - 'a');
            if (disk / 16 >= SCSI_MAJORS.size()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(SCSI_MAJORS.get(disk / 16) * 256 + (disk % 16) * 16 + partition(m.group(3)));
        }
        m = HD.matcher(n);
        if (m.matches()) {
            int disk = m.group(1).charAt(0) - 'a';
            return OptionalInt.of(IDE_MAJORS.get(disk / 2) * 256 + (disk % 2) * 64 + partition(m.group(2)));
        }
        m = XVD.matcher(n);
        if (m.matches()) {
            return OptionalInt.of(XVD_MAJOR * 256 + 16 * (m.group(1).charAt(0) - 'a') + partition(m.group(2)));
        }
        if (HEX.matcher(name).matches() && name.length() <= 10) {
            long value = Long.parseLong(name.startsWith("0x") ? name.substring(2) : name, 16);
            return value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    private static int partition(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }

    private static OptionalInt rdev(Path node) {
        try {
            if (!Files.exists(node)) {
                return OptionalInt.empty();
            }
            Object rdev = Files.getAttribute(node, "unix:rdev");
            if (rdev instanceof Long l && l > 0 && l <= Integer.MAX_VALUE) {
                return OptionalInt.of(l.intValue());
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // no such attribute on this platform: the names decide
        }
        return OptionalInt.empty();
    }
}
