package org.xend.apidoc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.model.XenApiModel;

/**
 * Writes the Xen API reference ({@code docs/api/}) from the declared datamodel: an index with the wire
 * conventions, one page per class, and the error codes. The output depends on the declarations only (no dates,
 * stable order), so the committed pages can be compared with a fresh rendering.
 */
public final class ApiDocGenerator {

    /** How to bring the committed reference up to date, run from the top of the repository. */
    public static final String REGENERATE_COMMAND = "mvn -B -q -pl tools/apidoc -am -Dapidoc.write=true test";

    private ApiDocGenerator() {
    }

    /** Every page of the reference, keyed by file name, for the given model. */
    public static SortedMap<String, String> render(Datamodel model) {
        SortedMap<String, String> pages = new TreeMap<>();
        pages.put(IndexPage.FILE, new IndexPage(model).render());
        pages.put(ErrorsPage.FILE, new ErrorsPage(model).render());
        for (ClassDecl cls : model.classes()) {
            String file = ClassPage.file(cls.name());
            if (pages.put(file, new ClassPage(model, cls).render()) != null) {
                throw new IllegalStateException("class " + cls.name() + " would overwrite " + file);
            }
        }
        return Collections.unmodifiableSortedMap(pages);
    }

    /** The reference of the model this daemon serves. */
    public static SortedMap<String, String> render() {
        return render(XenApiModel.datamodel());
    }

    /**
     * Writes the pages into {@code dir} and deletes the Markdown files there that are no longer generated (a
     * class that was removed), so the folder holds exactly the reference.
     */
    public static void write(Path dir, Map<String, String> pages) throws IOException {
        Files.createDirectories(dir);
        for (String stale : differences(dir, pages).extra()) {
            Files.delete(dir.resolve(stale));
        }
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path file = dir.resolve(page.getKey());
            byte[] content = page.getValue().getBytes(StandardCharsets.UTF_8);
            if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), content)) {
                Files.write(file, content);
            }
        }
    }

    /** How the Markdown files in {@code dir} differ from {@code pages}, each list sorted by file name. */
    public static Differences differences(Path dir, Map<String, String> pages) throws IOException {
        List<String> changed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> page : new TreeMap<>(pages).entrySet()) {
            Path file = dir.resolve(page.getKey());
            if (!Files.isRegularFile(file)) {
                missing.add(page.getKey());
            } else if (!Files.readString(file, StandardCharsets.UTF_8).equals(page.getValue())) {
                changed.add(page.getKey());
            }
        }
        List<String> extra = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString())
                        .filter(name -> name.endsWith(".md") && !pages.containsKey(name))
                        .sorted()
                        .forEach(extra::add);
            }
        }
        return new Differences(changed, missing, extra);
    }

    /** Files whose content differs, files not yet written, and Markdown files no longer generated. */
    public record Differences(List<String> changed, List<String> missing, List<String> extra) {
        public Differences {
            changed = List.copyOf(changed);
            missing = List.copyOf(missing);
            extra = List.copyOf(extra);
        }

        public boolean none() {
            return changed.isEmpty() && missing.isEmpty() && extra.isEmpty();
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!changed.isEmpty()) {
                parts.add("changed " + changed);
            }
            if (!missing.isEmpty()) {
                parts.add("missing " + missing);
            }
            if (!extra.isEmpty()) {
                parts.add("no longer generated " + extra);
            }
            return parts.isEmpty() ? "no differences" : String.join("; ", parts);
        }
    }

    /** {@code ApiDocGenerator [dir]}: writes the reference into {@code dir} (default {@code docs/api}). */
    public static void main(String[] args) {
        Path dir = Paths.get(args.length > 0 ? args[0] : "docs/api");
        try {
            SortedMap<String, String> pages = render();
            write(dir, pages);
            System.out.println("Wrote " + pages.size() + " pages of the Xen API reference to " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API reference to " + dir, e);
        }
    }
}
