package org.xend.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * One line of the passwd file: {@code user:pbkdf2-sha256:<iterations>:<base64 salt>:<base64 hash>}.
 * The iteration count is kept per line, so raising the default later does not invalidate stored hashes.
 */
record PasswdEntry(String user, int iterations, byte[] salt, byte[] hash) {

    static final String SCHEME = "pbkdf2-sha256";
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Above this a line is treated as malformed: such a count would turn each login into a denial of service. */
    static final int MAX_ITERATIONS = 10_000_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final Pattern USER_NAME = Pattern.compile("[^:\\s\\p{Cntrl}]+");

    PasswdEntry {
        salt = salt.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    static boolean isValidUserName(String user) {
        return user != null && USER_NAME.matcher(user).matches();
    }

    /** Hashes {@code password} with a fresh random salt. */
    static PasswdEntry create(String user, char[] password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswdEntry(user, iterations, salt, derive(password, salt, iterations));
    }

    /** True if {@code password} hashes to the stored hash; the comparison takes the same time wherever they differ. */
    boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    String format() {
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ':' + SCHEME + ':' + iterations + ':' + b64.encodeToString(salt) + ':' + b64.encodeToString(hash);
    }

    /** Parses a line, or throws {@link IllegalArgumentException} saying what is wrong with it. */
    static PasswdEntry parse(String line) {
        String[] parts = line.split(":", -1);
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected 5 fields separated by ':', found " + parts.length);
        }
        if (!isValidUserName(parts[0])) {
            throw new IllegalArgumentException("invalid user name");
        }
        if (!SCHEME.equals(parts[1])) {
            throw new IllegalArgumentException("unsupported hash scheme '" + parts[1] + "'");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iteration count is not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iteration count out of range 1.." + MAX_ITERATIONS);
        }
        byte[] salt = decode(parts[3], "salt");
        byte[] hash = decode(parts[4], "hash");
        if (salt.length == 0) {
            throw new IllegalArgumentException("empty salt");
        }
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("hash is " + hash.length + " bytes, expected " + HASH_BYTES);
        }
        return new PasswdEntry(parts[0], iterations, salt, hash);
    }

    private static byte[] decode(String text, String what) {
        try {
            return Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
    }

    /** How many hashes have been derived: lets a test see that an unknown user costs one too. */
    static final LongAdder DERIVATIONS = new LongAdder();

    static byte[] derive(char[] password, byte[] salt, int iterations) {
        DERIVATIONS.increment();
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java 17 runtime ships this algorithm; its absence is a broken JDK, not a bad password.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswdEntry e && user.equals(e.user) && iterations == e.iterations
                && Arrays.equals(salt, e.salt) && Arrays.equals(hash, e.hash);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * user.hashCode() + iterations) + Arrays.hashCode(hash);
    }

    /** Never shows the salt or hash, so a logged entry leaks nothing. */
    @Override
    public String toString() {
        return "PasswdEntry[" + user + ", " + SCHEME + ", " + iterations + " iterations]";
    }
}
