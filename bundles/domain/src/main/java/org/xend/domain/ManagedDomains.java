package org.xend.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.spi.config.ConfigException;
import org.xend.api.spi.config.ConfigFormat;
import org.xend.api.spi.config.VmConfig;
import org.xend.api.store.Refs;

/**
 * Managed domains on disk, as Xend kept them: {@code <state>/domains/<uuid>/config.sxp} (directory 0700).
 * A config whose uuid differs from its directory name is skipped, as in Xend.
 */
final class ManagedDomains {

    private static final Logger LOG = LoggerFactory.getLogger(ManagedDomains.class);
    static final String CONFIG_FILE = "config.sxp";

    static final String CHECKPOINT_FILE = "checkpoint.chk";

    private final Path domainsDir;
    private final Path dumpDir;
    private final ConfigFormat sxp;

    ManagedDomains(Path stateDir, ConfigFormat sxp) {
        this.domainsDir = stateDir.resolve("domains");
        this.dumpDir = stateDir.resolve("dump");
        this.sxp = sxp;
    }

    /** Where a managed VM's suspend image lives. */
    Path checkpoint(String uuid) {
        return directory(uuid).resolve(CHECKPOINT_FILE);
    }

    /** A new core dump file for a domain, under {@code <state>/dump/}. */
    Path newDumpFile(String name, int domid) throws IOException {
        AtomicFiles.ensurePrivateDirectory(dumpDir);
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
                .format(java.time.LocalDateTime.now());
        return dumpDir.resolve(stamp + "." + name.replaceAll("[^A-Za-z0-9_.-]", "_") + "." + domid + ".core");
    }

    /** The configuration as SXP text, stored in save images. */
    String format(VmConfig config) {
        return sxp.write(config);
    }

    VmConfig parse(String text) throws ConfigException {
        return sxp.read(text);
    }

    Path directory(String uuid) {
        return domainsDir.resolve(uuid);
    }

    void save(VmConfig config) throws IOException {
        String uuid = (String) config.fields().get("uuid");
        AtomicFiles.ensurePrivateDirectory(domainsDir);
        Path dir = directory(uuid);
        AtomicFiles.ensurePrivateDirectory(dir);
        AtomicFiles.write(dir.resolve(CONFIG_FILE), sxp.write(config));
    }

    void delete(String uuid) throws IOException {
        AtomicFiles.deleteTree(directory(uuid));
    }

    /** Every readable managed config; unreadable ones are logged and left on disk untouched. */
    List<VmConfig> loadAll() {
        List<VmConfig> out = new ArrayList<>();
        if (!Files.isDirectory(domainsDir)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(domainsDir)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                Path file = dir.resolve(CONFIG_FILE);
                if (!Refs.isUuid(name) || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    VmConfig cfg = sxp.read(Files.readString(file, StandardCharsets.UTF_8));
                    if (!name.equals(cfg.fields().get("uuid"))) {
                        LOG.warn("Skipping {}: its uuid {} is not its directory name", file, cfg.fields().get("uuid"));
                        continue;
                    }
                    out.add(cfg);
                } catch (ConfigException | IOException | RuntimeException e) {
                    LOG.error("Skipping managed domain {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.error("Cannot list managed domains in {}: {}", domainsDir, e.getMessage());
        }
        return out;
    }

    static Map<String, Object> copy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
