package org.xend.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuthenticatorTest {

    /** Low enough to keep the tests fast; production uses {@link FileAuthenticator#DEFAULT_ITERATIONS}. */
    private static final int ITERATIONS = 1_000;
    private static final Map<String, String> ROOT_FROM_ENV = Map.of("XEND_ROOT_PASSWORD", "from-env");

    @TempDir
    Path stateDir;

    private FileAuthenticator activated(Map<String, String> env) throws IOException {
        FileAuthenticator authenticator = new FileAuthenticator(env, ITERATIONS);
        authenticator.activate(Map.of("stateDir", stateDir.toString()));
        return authenticator;
    }

    private Path authDir() {
        return stateDir.resolve("auth");
    }

    private Path passwd() {
        return authDir().resolve("passwd");
    }

    private String lineOf(String user) throws IOException {
        return Files.readAllLines(passwd()).stream().filter(l -> l.startsWith(user + ":")).findFirst()
                .orElseThrow();
    }

    @Test
    void storesPbkdf2Sha256HashesInTheDocumentedFormat() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        authenticator.setPassword("alice", "correct horse".toCharArray());

        String[] parts = lineOf("alice").split(":");
        assertEquals(5, parts.length);
        assertEquals("pbkdf2-sha256", parts[1]);
        assertEquals(ITERATIONS, Integer.parseInt(parts[2]));
        byte[] salt = Base64.getDecoder().decode(parts[3]);
        byte[] hash = Base64.getDecoder().decode(parts[4]);
        assertEquals(16, salt.length);
        assertEquals(32, hash.length);
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("correct horse".toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        assertArrayEquals(expected, hash);
    }

    @Test
    void saltsDifferBetweenUsersWithTheSamePassword() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        authenticator.setPassword("alice", "same".toCharArray());
        authenticator.setPassword("bob", "same".toCharArray());
        assertFalse(lineOf("alice").split(":")[3].equals(lineOf("bob").split(":")[3]));
    }

    @Test
    void acceptsTheRightPasswordOnly() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        authenticator.setPassword("alice", "s3cret".toCharArray());

        assertTrue(authenticator.authenticate("alice", "s3cret".toCharArray()));
        assertFalse(authenticator.authenticate("alice", "s3cret ".toCharArray()));
        assertFalse(authenticator.authenticate("alice", "S3cret".toCharArray()));
        assertFalse(authenticator.authenticate("alice", new char[0]));
        assertFalse(authenticator.authenticate("alice", null));
    }

    @Test
    void unknownOrNullUsersAreRefusedWithoutThrowing() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        assertFalse(authenticator.authenticate("nobody", "from-env".toCharArray()));
        assertFalse(authenticator.authenticate(null, "from-env".toCharArray()));
        assertFalse(authenticator.authenticate("", null));
        assertFalse(authenticator.hasUser("nobody"));
    }

    @Test
    void unknownUsersCostAHashComputationLikeKnownOnes() throws Exception {
        FileAuthenticator authenticator = new FileAuthenticator(ROOT_FROM_ENV, 10_000);
        authenticator.activate(Map.of("stateDir", stateDir.toString()));
        char[] wrong = "wrong".toCharArray();
        long before = PasswdEntry.DERIVATIONS.sum();
        assertFalse(authenticator.authenticate("root", wrong));
        long known = PasswdEntry.DERIVATIONS.sum() - before;
        before = PasswdEntry.DERIVATIONS.sum();
        assertFalse(authenticator.authenticate("nobody", wrong));
        long unknown = PasswdEntry.DERIVATIONS.sum() - before;
        // counted, not timed: the same work, so no timing oracle tells users apart
        assertEquals(known, unknown, "an unknown user costs as many hash derivations as a known one");
        assertEquals(1, unknown);
    }


    @Test
    void malformedLinesAreIgnoredAndKeptVerbatim() throws Exception {
        Files.createDirectories(authDir());
        String valid = PasswdEntry.create("bob", "bobpw".toCharArray(), ITERATIONS, new SecureRandom()).format();
        String goodSalt = valid.split(":")[3];
        String goodHash = valid.split(":")[4];
        List<String> broken = List.of(
                "# operators' comment",
                "garbage without separators",
                "carol:md5:1000:" + goodSalt + ":" + goodHash,
                "dave:pbkdf2-sha256:many:" + goodSalt + ":" + goodHash,
                "erin:pbkdf2-sha256:1000:not*base64:" + goodHash,
                "frank:pbkdf2-sha256:1000:" + goodSalt + ":" + Base64.getEncoder().encodeToString(new byte[8]),
                "gina:pbkdf2-sha256:0:" + goodSalt + ":" + goodHash,
                "henry:pbkdf2-sha256:1000:" + goodSalt,
                ":pbkdf2-sha256:1000:" + goodSalt + ":" + goodHash,
                "");
        String duplicateBob = PasswdEntry.create("bob", "other".toCharArray(), ITERATIONS, new SecureRandom())
                .format();
        Files.write(passwd(), Stream.concat(Stream.concat(broken.stream(), Stream.of(valid)),
                Stream.of(duplicateBob)).toList());

        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);

        assertTrue(authenticator.authenticate("bob", "bobpw".toCharArray()));
        assertFalse(authenticator.authenticate("bob", "other".toCharArray()), "the first entry of a user wins");
        for (String user : List.of("carol", "dave", "erin", "frank", "gina", "henry")) {
            assertFalse(authenticator.hasUser(user), user);
        }
        List<String> after = Files.readAllLines(passwd());
        assertTrue(after.containsAll(broken), "malformed lines survive the rewrite that added root");
        assertTrue(authenticator.hasUser("root"));
    }

    @Test
    void createsThePrivateDirectoryAndFilesWithOwnerOnlyModes() throws Exception {
        activated(Map.of());
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(authDir()));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwd()));
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(authDir().resolve("root-password")));
    }

    @Test
    void tightensAnExistingDirectoryAndFileLeftOpenToOthers() throws Exception {
        Files.createDirectories(authDir());
        Files.setPosixFilePermissions(authDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(passwd(), PasswdEntry.create("root", "pw".toCharArray(), ITERATIONS, new SecureRandom())
                .format() + "\n");
        Files.setPosixFilePermissions(passwd(), PosixFilePermissions.fromString("rw-r--r--"));

        activated(Map.of());

        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(authDir()));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwd()));
    }

    @Test
    void rewritesAtomicallyLeavingNoTemporaryFiles() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        for (int i = 0; i < 5; i++) {
            authenticator.setPassword("user" + i, ("pw" + i).toCharArray());
        }
        authenticator.setPassword("user0", "changed".toCharArray());

        try (Stream<Path> files = Files.list(authDir())) {
            assertEquals(Set.of("passwd"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertEquals(6, Files.readAllLines(passwd()).size(), "root and five users, user0 replaced in place");
        assertTrue(authenticator.authenticate("user0", "changed".toCharArray()));
        assertFalse(authenticator.authenticate("user0", "pw0".toCharArray()));
        assertTrue(authenticator.authenticate("user4", "pw4".toCharArray()));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwd()));
    }

    @Test
    void rootPasswordComesFromTheEnvironmentOnFirstStart() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        assertTrue(authenticator.hasUser("root"));
        assertTrue(authenticator.authenticate("root", "from-env".toCharArray()));
        assertFalse(Files.exists(authDir().resolve("root-password")), "nothing generated when the env sets it");
    }

    @Test
    void generatesRootPasswordIntoAPrivateFileAndNeverLogsIt() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        FileAuthenticator authenticator;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            authenticator = activated(Map.of("XEND_ROOT_PASSWORD", ""));
        } finally {
            System.setErr(originalErr);
        }

        Path file = authDir().resolve("root-password");
        String content = Files.readString(file);
        assertTrue(content.matches("[A-Za-z0-9_-]{20}\n"), "20 URL-safe characters and a newline: " + content);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        String password = content.strip();
        assertTrue(authenticator.authenticate("root", password.toCharArray()));

        String log = captured.toString(StandardCharsets.UTF_8);
        List<String> warnings = log.lines().filter(l -> l.contains("WARN") && l.contains("generated")).toList();
        assertEquals(1, warnings.size(), log);
        assertTrue(warnings.get(0).contains(file.toString()), warnings.get(0));
        assertFalse(log.contains(password), "the password must not appear in the log");
    }

    @Test
    void generatedPasswordsDiffer() throws Exception {
        activated(Map.of());
        String first = Files.readString(authDir().resolve("root-password"));
        Path otherState = stateDir.resolve("other");
        new FileAuthenticator(Map.of(), ITERATIONS).activate(Map.of("stateDir", otherState.toString()));
        assertFalse(first.equals(Files.readString(otherState.resolve("auth/root-password"))));
    }

    @Test
    void existingRootIsNotOverwrittenByTheEnvironment() throws Exception {
        activated(Map.of("XEND_ROOT_PASSWORD", "first"));
        String rootLine = lineOf("root");

        FileAuthenticator restarted = activated(Map.of("XEND_ROOT_PASSWORD", "second"));

        assertEquals(rootLine, lineOf("root"));
        assertTrue(restarted.authenticate("root", "first".toCharArray()));
        assertFalse(restarted.authenticate("root", "second".toCharArray()));
    }

    @Test
    void existingRootIsNotRegeneratedOnRestart() throws Exception {
        activated(Map.of());
        String generated = Files.readString(authDir().resolve("root-password")).strip();

        FileAuthenticator restarted = activated(Map.of());

        assertEquals(generated, Files.readString(authDir().resolve("root-password")).strip());
        assertTrue(restarted.authenticate("root", generated.toCharArray()));
    }

    @Test
    void picksUpChangesMadeToTheFileByOthers() throws Exception {
        FileAuthenticator running = activated(ROOT_FROM_ENV);
        FileAuthenticator shellTool = activated(ROOT_FROM_ENV);

        shellTool.setPassword("alice", "pw".toCharArray());

        assertTrue(running.hasUser("alice"));
        assertTrue(running.authenticate("alice", "pw".toCharArray()));

        Files.delete(passwd());
        assertFalse(running.authenticate("alice", "pw".toCharArray()));
    }

    @Test
    void refusesUserNamesAndPasswordsThatCannotBeStored() throws Exception {
        FileAuthenticator authenticator = activated(ROOT_FROM_ENV);
        for (String bad : new String[] {"", "a:b", "with space", "new\nline", null}) {
            assertThrows(IllegalArgumentException.class, () -> authenticator.setPassword(bad, "pw".toCharArray()),
                    String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> authenticator.setPassword("alice", new char[0]));
        assertThrows(IllegalArgumentException.class, () -> authenticator.setPassword("alice", null));
        assertFalse(authenticator.hasUser("alice"));
    }

    @Test
    void isRegisteredUnderTheNameFile() {
        assertEquals("file", new FileAuthenticator(Map.of(), ITERATIONS).name());
    }
}
