package org.xend.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.karaf.shell.support.CommandException;

/** How xm found a configuration file, told SXP from an xm/xl file, and read its {@code VAR=VAL} arguments. */
final class ConfigFiles {

    /** Where xm looked for a relative file name that is not in the current directory. */
    static final List<Path> SEARCH_PATH = List.of(Path.of("/etc/xen"));

    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Names that cannot be assigned in a Python-syntax file (Python 3's keywords, and Python 2's print, exec). */
    private static final Set<String> PYTHON_KEYWORDS = Set.of(
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
            "del", "elif", "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is",
            "lambda", "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while", "with", "yield");

    private ConfigFiles() {
    }

    /** The file as given when it exists (relative to {@code currentDir}), else the first match on the search path. */
    static Path locate(String file, Path currentDir, List<Path> searchPath) throws CommandException {
        Path given = Path.of(file);
        Path resolved = currentDir.resolve(given).normalize();
        if (Files.isRegularFile(resolved)) {
            return resolved;
        }
        if (!given.isAbsolute() && given.getNameCount() == 1) {
            for (Path dir : searchPath) {
                Path candidate = dir.resolve(given);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        if (Files.isDirectory(resolved)) {
            throw new CommandException("Config file " + resolved + " is a directory");
        }
        throw new CommandException("Unable to open config file: " + file);
    }

    /** True when the first character that is neither blank nor inside a {@code #} comment is {@code (}. */
    static boolean isSxp(String text) {
        return firstSignificant(text) == '(';
    }

    /** xm's third format, XML (create.dtd), began with {@code <}; it is not read here. */
    static boolean isXml(String text) {
        return firstSignificant(text) == '<';
    }

    private static int firstSignificant(String text) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isWhitespace(c) || c == '\uFEFF') {
                i++;
            } else {
                return c;
            }
        }
        return -1;
    }

    /**
     * The {@code VAR=VAL} arguments, in the order given. The name is a Python identifier other than a keyword;
     * the value is everything after the first {@code =}, possibly empty. A variable takes one value: xm let
     * {@code disk=} repeat to add disks, which a format service that reads text cannot be told.
     */
    static Map<String, String> overrides(List<String> args) throws CommandException {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (args == null) {
            return overrides;
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !VARIABLE.matcher(name).matches() || PYTHON_KEYWORDS.contains(name)) {
                throw new CommandException("Invalid argument '" + arg
                        + "': after the file only VAR=VAL settings may follow, VAR being a variable name");
            }
            if (overrides.putIfAbsent(name, arg.substring(eq + 1)) != null) {
                throw new CommandException("Variable " + name + " is set twice; give each VAR=VAL once");
            }
        }
        return overrides;
    }
}
