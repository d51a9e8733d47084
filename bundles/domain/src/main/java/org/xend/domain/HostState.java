package org.xend.domain;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.xend.api.store.Refs;

/**
 * The host's own metadata, kept in {@code <state>/state/host.properties}: its uuid, the uuids of its metrics
 * object and of its CPUs (regenerated if the CPU count changes, as Xend did), and the RW fields set by clients.
 */
final class HostState {

    private static final String OTHER_CONFIG = "other_config.";
    private static final String POOL_OTHER_CONFIG = "pool.other_config.";

    String uuid;
    String metrics;
    String pool;
    String poolNameLabel = "";
    String poolNameDescription = "";
    String nameLabel;
    String nameDescription = "";
    final List<String> cpus = new ArrayList<>();
    final Map<String, String> otherConfig = new LinkedHashMap<>();
    final Map<String, String> poolOtherConfig = new LinkedHashMap<>();

    private final Path file;

    private HostState(Path file) {
        this.file = file;
    }

    static HostState load(Path stateDir, int nrCpus, String defaultName) throws IOException {
        HostState s = new HostState(stateDir.resolve("state").resolve("host.properties"));
        Properties p = new Properties();
        if (Files.isRegularFile(s.file)) {
            try (Reader r = Files.newBufferedReader(s.file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        }
        s.uuid = valid(p.getProperty("uuid"));
        s.metrics = valid(p.getProperty("metrics"));
        s.pool = valid(p.getProperty("pool"));
        s.poolNameLabel = p.getProperty("pool.name_label", "");
        s.poolNameDescription = p.getProperty("pool.name_description", "");
        s.nameLabel = p.getProperty("name_label", defaultName);
        s.nameDescription = p.getProperty("name_description", "");
        for (int i = 0; ; i++) {
            String cpu = valid(p.getProperty("cpu." + i));
            if (cpu == null) {
                break;
            }
            s.cpus.add(cpu);
        }
        if (s.cpus.size() != nrCpus) {
            s.cpus.clear();
            for (int i = 0; i < nrCpus; i++) {
                s.cpus.add(Refs.newRef());
            }
        }
        for (String key : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
            if (key.startsWith(OTHER_CONFIG)) {
                s.otherConfig.put(key.substring(OTHER_CONFIG.length()), p.getProperty(key));
            } else if (key.startsWith(POOL_OTHER_CONFIG)) {
                s.poolOtherConfig.put(key.substring(POOL_OTHER_CONFIG.length()), p.getProperty(key));
            }
        }
        boolean fresh = s.uuid == null || s.metrics == null || s.pool == null;
        if (s.pool == null) {
            s.pool = Refs.newRef();
        }
        if (s.uuid == null) {
            s.uuid = Refs.newRef();
        }
        if (s.metrics == null) {
            s.metrics = Refs.newRef();
        }
        if (fresh || s.cpus.size() != countCpus(p)) {
            s.save();
        }
        return s;
    }

    void save() throws IOException {
        Properties p = new Properties();
        p.setProperty("uuid", uuid);
        p.setProperty("metrics", metrics);
        p.setProperty("pool", pool);
        p.setProperty("pool.name_label", poolNameLabel);
        p.setProperty("pool.name_description", poolNameDescription);
        p.setProperty("name_label", nameLabel);
        p.setProperty("name_description", nameDescription);
        for (int i = 0; i < cpus.size(); i++) {
            p.setProperty("cpu." + i, cpus.get(i));
        }
        otherConfig.forEach((k, v) -> p.setProperty(OTHER_CONFIG + k, v));
        poolOtherConfig.forEach((k, v) -> p.setProperty(POOL_OTHER_CONFIG + k, v));
        StringWriter w = new StringWriter();
        p.store(w, "Xend host state");
        AtomicFiles.ensurePrivateDirectory(file.getParent());
        AtomicFiles.write(file, w.toString());
    }

    private static int countCpus(Properties p) {
        int n = 0;
        while (p.getProperty("cpu." + n) != null) {
            n++;
        }
        return n;
    }

    private static String valid(String uuid) {
        return Refs.isUuid(uuid) ? uuid : null;
    }
}
