package org.xend.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.config.DaemonSettings;
import org.xend.api.spi.auth.Authenticator;

/**
 * Checks passwords against {@code <stateDir>/auth/passwd} (PBKDF2-HMAC-SHA256 hashes). On activation it makes
 * sure {@code root} has a password: from {@code XEND_ROOT_PASSWORD} on the first start, or generated and left in
 * {@code <stateDir>/auth/root-password}. The file is re-read when it changes on disk, so an operator's edit takes
 * effect at the next login.
 */
@Component(service = Authenticator.class, property = Authenticator.PROPERTY_NAME + "=" + FileAuthenticator.NAME,
        configurationPid = DaemonSettings.PID)
public class FileAuthenticator implements Authenticator {

    public static final String NAME = "file";
    static final String ROOT = "root";
    static final String ROOT_PASSWORD_ENV = "XEND_ROOT_PASSWORD";
    static final String AUTH_DIR = "auth";
    static final String PASSWD_FILE = "passwd";
    static final String ROOT_PASSWORD_FILE = "root-password";
    static final int DEFAULT_ITERATIONS = 120_000;
    static final int GENERATED_PASSWORD_LENGTH = 20;

    private static final Logger LOG = LoggerFactory.getLogger(FileAuthenticator.class);
    private static final char[] URL_SAFE_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final Map<String, String> env;
    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    /** Hashed against when the user is unknown, so that unknown and known users cost the same. */
    private final byte[] decoySalt = new byte[PasswdEntry.SALT_BYTES];

    private volatile PasswdFile passwd;
    private volatile Path authDir;

    public FileAuthenticator() {
        this(System.getenv(), DEFAULT_ITERATIONS);
    }

    FileAuthenticator(Map<String, String> env, int iterations) {
        if (iterations < 1 || iterations > PasswdEntry.MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        this.env = Map.copyOf(env);
        this.iterations = iterations;
        random.nextBytes(decoySalt);
    }

    @Activate
    void activate(Map<String, Object> properties) throws IOException {
        Path stateDir = DaemonSettings.from(properties, env, System.getProperty("karaf.data")).stateDir();
        Path dir = stateDir.resolve(AUTH_DIR);
        if (AtomicFiles.ensurePrivateDirectory(dir)) {
            LOG.warn("{} was accessible to other users; its mode is now 0700", dir);
        }
        Path file = dir.resolve(PASSWD_FILE);
        tightenExistingFile(file);
        tightenExistingFile(dir.resolve(ROOT_PASSWORD_FILE));
        synchronized (this) {
            authDir = dir;
            passwd = PasswdFile.read(file, true);
            bootstrapRoot();
        }
        LOG.info("File authenticator ready with {}", file);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean authenticate(String user, char[] password) {
        char[] candidate = password == null ? new char[0] : password;
        try {
            PasswdEntry entry = current().entry(user);
            if (entry == null) {
                PasswdEntry.derive(candidate, decoySalt, iterations);
                return false;
            }
            return entry.matches(candidate);
        } catch (RuntimeException e) {
            LOG.error("Password check for user '{}' failed", user, e);
            return false;
        }
    }

    /** True if {@code user} has a valid entry in the passwd file. */
    public boolean hasUser(String user) {
        return current().entry(user) != null;
    }

    /**
     * Sets (or adds) a user's password; the file is rewritten atomically before this returns.
     * The caller keeps ownership of {@code password} and should clear it.
     *
     * @throws IllegalArgumentException if the user name cannot be stored (empty, or containing ':' or whitespace)
     *                                  or the password is empty
     * @throws IllegalStateException    if the component is not active
     * @throws UncheckedIOException     if the file cannot be written
     */
    public void setPassword(String user, char[] password) {
        if (!PasswdEntry.isValidUserName(user)) {
            throw new IllegalArgumentException("invalid user name (empty, or contains ':', whitespace or a control"
                    + " character)");
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        PasswdEntry entry = PasswdEntry.create(user, password, iterations, random);
        try {
            synchronized (this) {
                storeEntry(entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + passwdPath(), e);
        }
        LOG.info("Password of user '{}' set in {}", user, passwdPath());
    }

    /** The passwd file as it is now on disk; re-read only when its stamp changed (one stat per call otherwise). */
    private PasswdFile current() {
        PasswdFile known = passwd;
        if (known == null) {
            throw new IllegalStateException("the file authenticator is not active");
        }
        try {
            if (known.isCurrent(PasswdFile.stampOf(known.path()))) {
                return known;
            }
            synchronized (this) {
                PasswdFile reread = PasswdFile.read(known.path(), true);
                if (!reread.exists() && known.exists()) {
                    LOG.warn("{} has disappeared: no user can log in until it is restored", known.path());
                }
                passwd = reread;
                return reread;
            }
        } catch (IOException e) {
            // Keep serving the last good version rather than locking everybody out on a transient read error.
            LOG.error("Cannot re-read {}; using the version read before", known.path(), e);
            return known;
        }
    }

    private void storeEntry(PasswdEntry entry) throws IOException {
        Path file = passwdPath();
        PasswdFile latest = passwd;
        if (latest == null || !latest.isCurrent(PasswdFile.stampOf(file))) {
            // Edited on disk since we last read it: build on that edit rather than overwrite it.
            latest = PasswdFile.read(file, true);
        }
        AtomicFiles.writePrivate(file, latest.withEntry(entry).getBytes(StandardCharsets.UTF_8));
        passwd = PasswdFile.read(file, false);
    }

    private void bootstrapRoot() throws IOException {
        String fromEnv = env.get(ROOT_PASSWORD_ENV);
        boolean envSet = fromEnv != null && !fromEnv.isEmpty();
        if (passwd.entry(ROOT) != null) {
            if (envSet) {
                LOG.info("{} is ignored: root already has a password in {} (the variable only sets it on the"
                        + " first start)", ROOT_PASSWORD_ENV, passwd.path());
            }
            return;
        }
        if (envSet) {
            char[] password = fromEnv.toCharArray();
            try {
                storeEntry(PasswdEntry.create(ROOT, password, iterations, random));
            } finally {
                Arrays.fill(password, '\0');
            }
            LOG.info("Password of root set from {}", ROOT_PASSWORD_ENV);
            return;
        }
        char[] generated = generatePassword();
        try {
            // The password file is written first: if we crash in between, the next start simply generates again.
            Path rootPasswordFile = authDir.resolve(ROOT_PASSWORD_FILE);
            writeSecret(rootPasswordFile, generated);
            storeEntry(PasswdEntry.create(ROOT, generated, iterations, random));
            LOG.warn("A password was generated for root; read it from {}", rootPasswordFile);
        } finally {
            Arrays.fill(generated, '\0');
        }
    }

    private char[] generatePassword() {
        char[] password = new char[GENERATED_PASSWORD_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = URL_SAFE_ALPHABET[random.nextInt(URL_SAFE_ALPHABET.length)];
        }
        return password;
    }

    private static void writeSecret(Path file, char[] secret) throws IOException {
        char[] line = Arrays.copyOf(secret, secret.length + 1);
        line[secret.length] = '\n';
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(line));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            AtomicFiles.writePrivate(file, bytes);
        } finally {
            Arrays.fill(line, '\0');
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }

    private static void tightenExistingFile(Path file) throws IOException {
        if (Files.isRegularFile(file) && AtomicFiles.isPosix(file)
                && !Files.getPosixFilePermissions(file).equals(AtomicFiles.OWNER_ONLY_FILE)) {
            Files.setPosixFilePermissions(file, AtomicFiles.OWNER_ONLY_FILE);
            LOG.warn("{} was accessible to other users; its mode is now 0600", file);
        }
    }

    private Path passwdPath() {
        Path dir = authDir;
        if (dir == null) {
            throw new IllegalStateException("the file authenticator is not active");
        }
        return dir.resolve(PASSWD_FILE);
    }
}
