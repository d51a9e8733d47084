package org.xend.apidoc;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Markdown building blocks: escaped text, table rows and heading anchors as GitHub computes them. */
final class Markdown {

    private final StringBuilder out = new StringBuilder();
    private final Set<String> anchors = new HashSet<>();

    /** Declared text placed in a paragraph or a table cell: one line, no table breaks, no stray HTML. */
    static String text(String declared) {
        return declared.replace("\r", "").replace('\n', ' ').replace("|", "\\|").replace("<", "&lt;");
    }

    /** A value shown as code, with a fence long enough for any backticks inside it. */
    static String code(String value) {
        String fence = value.contains("`") ? "``" : "`";
        String pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
        return fence + pad + value.replace("|", "\\|") + pad + fence;
    }

    static String link(String label, String target) {
        return "[" + label + "](" + target + ")";
    }

    /**
     * GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' dropped, spaces as '-'.
     * Pages here never repeat a heading, so the "-1" suffix GitHub adds to repeats is not needed.
     */
    static String anchor(String heading) {
        StringBuilder sb = new StringBuilder();
        for (char c : heading.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                sb.append(c);
            } else if (c == ' ') {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    /** Starts a heading; fails if another heading of this page has the same anchor, which would break links. */
    Markdown heading(int level, String title) {
        if (!anchors.add(anchor(title))) {
            throw new IllegalStateException("two headings share the anchor #" + anchor(title) + ": " + title);
        }
        out.append("#".repeat(level)).append(' ').append(title).append("\n\n");
        return this;
    }

    Markdown paragraph(String markdown) {
        out.append(markdown).append("\n\n");
        return this;
    }

    Markdown line(String markdown) {
        out.append(markdown).append('\n');
        return this;
    }

    Markdown blankLine() {
        out.append('\n');
        return this;
    }

    Markdown tableHeader(String... columns) {
        row(List.of(columns));
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < columns.length; i++) {
            rule.append("---|");
        }
        out.append(rule).append('\n');
        return this;
    }

    /** One table row; the cells are already Markdown (escape declared text with {@link #text}). */
    Markdown row(List<String> cells) {
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        return this;
    }

    Markdown row(String... cells) {
        return row(List.of(cells));
    }

    /** The page, with exactly one newline at its end. */
    String build() {
        String page = out.toString();
        int end = page.length();
        while (end > 0 && page.charAt(end - 1) == '\n') {
            end--;
        }
        return page.substring(0, end) + "\n";
    }
}
