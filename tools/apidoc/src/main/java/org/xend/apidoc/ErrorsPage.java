package org.xend.apidoc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.ErrorDecl;

/** {@code errors.md}: every error code, sorted by code, with its parameters, description and the calls raising it. */
final class ErrorsPage {

    static final String FILE = "errors.md";

    private final Datamodel model;

    ErrorsPage(Datamodel model) {
        this.model = model;
    }

    static String link(String code) {
        return Markdown.link(code, FILE + "#" + Markdown.anchor(code));
    }

    /** The error as it travels, e.g. {@code [HANDLE_INVALID, class, handle]}. */
    static String shape(ErrorDecl error) {
        List<String> parts = new ArrayList<>();
        parts.add(error.code());
        parts.addAll(error.params());
        return Markdown.code("[" + String.join(", ", parts) + "]");
    }

    static List<ErrorDecl> sorted(Datamodel model) {
        List<ErrorDecl> errors = new ArrayList<>(model.errors());
        errors.sort(Comparator.comparing(ErrorDecl::code));
        return errors;
    }

    String render() {
        Markdown md = new Markdown();
        md.heading(1, "Errors");
        md.paragraph(Markdown.link("Index", IndexPage.FILE));
        md.paragraph("A call that fails returns `{Status: \"Failure\", ErrorDescription: [code, param…]}`: the code, "
                + "then its parameters in the order shown here, all as strings. Codes are sorted by name. "
                + "\"Raised by\" lists the calls that declare the code (and the generated calls that check it); the "
                + "codes of the " + Markdown.link("checks every call gets",
                IndexPage.FILE + "#" + Markdown.anchor(IndexPage.CHECKS)) + " may come from any call.");
        List<ErrorDecl> errors = sorted(model);
        md.tableHeader("Code", "Parameters", "Description");
        for (ErrorDecl error : errors) {
            md.row(link(error.code()), params(error), Markdown.text(error.description()));
        }
        md.blankLine();
        Map<String, Map<String, List<ApiCall>>> raisers = raisersByCodeAndClass();
        for (ErrorDecl error : errors) {
            md.heading(2, error.code());
            md.paragraph(shape(error));
            md.paragraph(Markdown.text(error.description()));
            if (CallErrors.isDispatcherCheck(error.code())) {
                md.paragraph("Any call may raise it: it is one of the " + Markdown.link("checks every call gets",
                        IndexPage.FILE + "#" + Markdown.anchor(IndexPage.CHECKS)) + ".");
            }
            Map<String, List<ApiCall>> byClass = raisers.getOrDefault(error.code(), Map.of());
            if (byClass.isEmpty()) {
                md.paragraph("No call declares it.");
                continue;
            }
            int count = byClass.values().stream().mapToInt(List::size).sum();
            md.paragraph("Raised by " + count + (count == 1 ? " call:" : " calls:"));
            for (Map.Entry<String, List<ApiCall>> e : byClass.entrySet()) {
                List<String> links = new ArrayList<>();
                for (ApiCall call : e.getValue()) {
                    links.add(ClassPage.callLink(call, call.callName()));
                }
                md.line("- " + Markdown.link(e.getKey(), ClassPage.file(e.getKey())) + ": "
                        + String.join(", ", links));
            }
            md.blankLine();
        }
        return md.build();
    }

    private static String params(ErrorDecl error) {
        if (error.params().isEmpty()) {
            return "none";
        }
        List<String> names = new ArrayList<>();
        for (String p : error.params()) {
            names.add(Markdown.code(p));
        }
        return String.join(", ", names);
    }

    /** Code → class → calls listing it, classes and calls in model order. */
    private Map<String, Map<String, List<ApiCall>>> raisersByCodeAndClass() {
        Map<String, Map<String, List<ApiCall>>> out = new LinkedHashMap<>();
        for (ClassDecl cls : model.classes()) {
            for (ApiCall call : ClassPage.callsOf(model, cls.name())) {
                for (String code : CallErrors.of(call)) {
                    out.computeIfAbsent(code, c -> new LinkedHashMap<>())
                            .computeIfAbsent(cls.name(), c -> new ArrayList<>()).add(call);
                }
            }
        }
        return out;
    }
}
