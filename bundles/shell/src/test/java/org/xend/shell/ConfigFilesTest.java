package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void sxpIsAFileWhoseFirstSignificantCharacterIsAParenthesis() {
        assertTrue(ConfigFiles.isSxp("(vm (name a))"));
        assertTrue(ConfigFiles.isSxp("\n\n   \t(vm (name a))"));
        assertTrue(ConfigFiles.isSxp("# saved by xend\n# (not python)\n  (domain (name a))\n"));
        assertTrue(ConfigFiles.isSxp("\uFEFF(vm)"), "a byte-order mark is not significant");
        assertFalse(ConfigFiles.isSxp("name = 'a'\n"));
        assertFalse(ConfigFiles.isSxp("# comment\nkernel = '/boot/vmlinuz' # (not sxp)\n"));
        assertFalse(ConfigFiles.isSxp("disk = [ ('phy:sda1', 'xvda', 'w') ]"), "a paren later on does not count");
        assertFalse(ConfigFiles.isSxp(""));
        assertFalse(ConfigFiles.isSxp("# only a comment ( here"));
        assertTrue(ConfigFiles.isXml("  <?xml version='1.0'?><xm/>"));
        assertFalse(ConfigFiles.isXml("(vm)"));
    }

    @Test
    void overridesAreVariableEqualsValueInOrder() throws Exception {
        assertEquals(Map.of(), ConfigFiles.overrides(null));
        Map<String, String> overrides = ConfigFiles.overrides(List.of("memory=512", "name=web=2", "extra=",
                "disk=phy:a,xvda,w", "_v2=x"));
        assertEquals(List.of("memory", "name", "extra", "disk", "_v2"), List.copyOf(overrides.keySet()));
        assertEquals(List.of("512", "web=2", "", "phy:a,xvda,w", "x"), List.copyOf(overrides.values()));
    }

    @Test
    void anArgumentThatIsNotAnAssignmentIsRefusedByName() {
        for (String bad : List.of("memory", "=5", "2x=1", "a-b=1", "a.b=1", " memory=5", "import=os", "None=1")) {
            CommandException e = assertThrows(CommandException.class, () -> ConfigFiles.overrides(List.of(bad)));
            assertTrue(e.getMessage().startsWith("Invalid argument '" + bad + "'"), e.getMessage());
        }
        CommandException twice = assertThrows(CommandException.class,
                () -> ConfigFiles.overrides(List.of("disk=phy:a,xvda,w", "vcpus=2", "disk=phy:b,xvdb,w")));
        assertEquals("Variable disk is set twice; give each VAR=VAL once", twice.getMessage());
    }

    @Test
    void aFileIsFoundAsGivenThenOnTheSearchPath() throws Exception {
        Path here = Files.writeString(dir.resolve("here.cfg"), "name='a'");
        Path etc = Files.createDirectory(dir.resolve("etc-xen"));
        Path shipped = Files.writeString(etc.resolve("shipped.cfg"), "name='b'");
        Files.writeString(etc.resolve("here.cfg"), "name='shadowed'");

        assertEquals(here, ConfigFiles.locate("here.cfg", dir, List.of(etc)));
        assertEquals(here, ConfigFiles.locate(here.toString(), Path.of("/"), List.of(etc)));
        assertEquals(shipped, ConfigFiles.locate("shipped.cfg", dir, List.of(etc)));
        CommandException missing = assertThrows(CommandException.class,
                () -> ConfigFiles.locate("missing.cfg", dir, List.of(etc)));
        assertEquals("Unable to open config file: missing.cfg", missing.getMessage());
        assertThrows(CommandException.class, () -> ConfigFiles.locate("sub/shipped.cfg", dir, List.of(etc)),
                "only a bare file name is looked up on the search path");
        CommandException directory = assertThrows(CommandException.class,
                () -> ConfigFiles.locate("etc-xen", dir, List.of()));
        assertTrue(directory.getMessage().endsWith("is a directory"), directory.getMessage());
    }
}
