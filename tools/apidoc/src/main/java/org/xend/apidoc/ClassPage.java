package org.xend.apidoc;

import java.util.ArrayList;
import java.util.List;

import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.CallKind;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.ErrorDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.ParamDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Type;
import org.xend.api.model.XenApiModel;

/** One class's page: its description, its fields, and every call on it, generated and declared, in model order. */
final class ClassPage {

    private static final String SESSION_PARAM = "session_id";
    private static final String UUID_FIELD = "uuid";

    private final Datamodel model;
    private final ClassDecl cls;
    private final List<ApiCall> calls;

    ClassPage(Datamodel model, ClassDecl cls) {
        this.model = model;
        this.cls = cls;
        this.calls = callsOf(model, cls.name());
    }

    static String file(String className) {
        return className + ".md";
    }

    /** The calls on a class, in the order the model derives them. */
    static List<ApiCall> callsOf(Datamodel model, String className) {
        List<ApiCall> out = new ArrayList<>();
        for (ApiCall call : model.calls().values()) {
            if (call.className().equals(className)) {
                out.add(call);
            }
        }
        return out;
    }

    /** Link to a call's section, from any page of the reference. */
    static String callLink(ApiCall call, String label) {
        return Markdown.link(label, file(call.className()) + "#" + Markdown.anchor(call.wireName()));
    }

    static String qualifier(Qualifier q) {
        return switch (q) {
            case RO_RUN -> "RO_run";
            case RO_INS -> "RO_ins";
            case RW -> "RW";
        };
    }

    String render() {
        Markdown md = new Markdown();
        md.heading(1, cls.name());
        md.paragraph(Markdown.text(cls.description()));
        md.paragraph(Markdown.link("Index", IndexPage.FILE) + " · " + Markdown.link("Errors", ErrorsPage.FILE));
        summary(md);
        fields(md);
        md.heading(2, "Calls");
        md.tableHeader("Call", "Result", "Least role", "`Async.` twin");
        for (ApiCall call : calls) {
            md.row(callLink(call, Markdown.code(call.wireName())), TypeText.linked(call.result()),
                    Markdown.code(call.role().wireName()), call.async() ? "yes" : "no");
        }
        md.blankLine();
        for (ApiCall call : calls) {
            call(md, call);
        }
        return md.build();
    }

    private void summary(Markdown md) {
        md.tableHeader("Property", "Value");
        if (cls.generatedCalls()) {
            md.row("Least role to read fields", Markdown.code(cls.readRole().wireName()));
            md.row("Least role to set fields", Markdown.code(cls.writeRole().wireName()));
            md.row("Constructor, `create(record)`", generatedCall(CallKind.CREATE));
            md.row("Destructor, `destroy(self)`", generatedCall(CallKind.DESTROY));
        }
        long async = calls.stream().filter(ApiCall::async).count();
        md.row("Calls", calls.size() + " (" + async + " with an `Async.` twin)");
        md.blankLine();
        if (!cls.generatedCalls()) {
            md.paragraph("Records of this class are built on demand rather than stored: the class has no `uuid` and "
                    + "none of the generated calls (getters, setters, `get_record`, `get_all`…), only the messages "
                    + "below. Its fields describe the records those messages return.");
        }
    }

    private String generatedCall(CallKind kind) {
        return calls.stream().filter(c -> c.kind() == kind).findFirst()
                .map(c -> callLink(c, Markdown.code(c.wireName()))).orElse("none");
    }

    private void fields(Markdown md) {
        md.heading(2, "Fields");
        if (cls.generatedCalls()) {
            md.paragraph("In record order, as `get_record` returns them. RO_run fields are maintained by the daemon, "
                    + "RO_ins fields are given to the constructor and read-only afterwards, RW fields have setters. "
                    + "The default is the value a field has until it is set.");
        } else {
            md.paragraph("In record order, as the calls below return the records.");
        }
        md.tableHeader("Field", "Type", "Qualifier", "Default", "Description");
        for (FieldDecl f : cls.fields().values()) {
            String defaultValue;
            if (!cls.generatedCalls()) {
                defaultValue = "—";
            } else if (UUID_FIELD.equals(f.name())) {
                // The object store sets every stored object's uuid to its ref.
                defaultValue = "the object's ref";
            } else {
                defaultValue = Markdown.code(TypeText.wireDefault(f.type(), f.defaultValue()));
            }
            md.row(Markdown.code(f.name()), TypeText.linked(f.type()), qualifier(f.qualifier()), defaultValue,
                    Markdown.text(f.description()));
        }
        md.blankLine();
    }

    private void call(Markdown md, ApiCall call) {
        md.heading(3, call.wireName());
        md.paragraph(Markdown.text(call.description()));
        md.line("```").line(signature(call)).line("```").blankLine();
        parameters(md, call);
        List<String> facts = new ArrayList<>();
        facts.add("Result: " + TypeText.linked(call.result()));
        facts.add("Least role: " + Markdown.code(call.role().wireName()));
        facts.add(call.async()
                ? "`Async.` twin: " + Markdown.code("Async." + call.wireName()) + " takes the same parameters and "
                        + "returns a " + TypeText.linked(Type.ref(XenApiModel.TASK)) + " at once"
                : "`Async.` twin: none");
        facts.add("Parameters on the wire: " + arity(call));
        for (String fact : facts) {
            md.line("- " + fact);
        }
        md.blankLine();
        if (call.kind() == CallKind.CREATE) {
            List<String> names = new ArrayList<>();
            for (FieldDecl f : cls.constructorFields()) {
                names.add(Markdown.code(f.name()));
            }
            md.paragraph("The record may give these fields (the RW and RO_ins ones); fields left out take their "
                    + "defaults, and other keys are ignored: " + String.join(", ", names) + ".");
        }
        errors(md, call);
    }

    /** {@code VM.start(session_id, self, start_paused, force?) -> void}; '?' marks an optional parameter. */
    static String signature(ApiCall call) {
        List<String> names = new ArrayList<>();
        if (call.needsSession()) {
            names.add(SESSION_PARAM);
        }
        for (ParamDecl p : call.params()) {
            names.add(p.optional() ? p.name() + "?" : p.name());
        }
        return call.wireName() + "(" + String.join(", ", names) + ") -> " + call.result().display();
    }

    private static void parameters(Markdown md, ApiCall call) {
        md.tableHeader("#", "Parameter", "Type", "Description");
        int position = 1;
        if (call.needsSession()) {
            md.row(String.valueOf(position++), Markdown.code(SESSION_PARAM),
                    TypeText.linked(Type.ref(XenApiModel.SESSION)),
                    "the caller's session, from `session.login_with_password`");
        }
        for (ParamDecl p : call.params()) {
            String description = Markdown.text(p.description());
            if (p.optional()) {
                description += " Optional; default " + Markdown.code(TypeText.wireDefault(p.type(), p.defaultValue()))
                        + ".";
            }
            md.row(String.valueOf(position++), Markdown.code(p.name()), TypeText.linked(p.type()), description);
        }
        md.blankLine();
        if (!call.needsSession()) {
            md.paragraph("Called without a session.");
        }
    }

    private static String arity(ApiCall call) {
        int min = call.minArity();
        int max = call.maxArity();
        String count = min == max ? String.valueOf(max) : min + " to " + max;
        return count + (call.needsSession() ? ", the session included" : "");
    }

    private void errors(Markdown md, ApiCall call) {
        List<String> codes = CallErrors.of(call);
        if (codes.isEmpty()) {
            md.paragraph("Errors: only the " + dispatcherChecksLink() + ".");
            return;
        }
        md.paragraph("Errors, besides the " + dispatcherChecksLink() + ":");
        for (String code : codes) {
            ErrorDecl error = model.error(code).orElseThrow(
                    () -> new IllegalStateException(call.wireName() + " lists undeclared error " + code));
            md.line("- " + ErrorsPage.link(code) + " " + ErrorsPage.shape(error));
        }
        md.blankLine();
    }

    private static String dispatcherChecksLink() {
        return Markdown.link("checks every call gets", IndexPage.FILE + "#" + Markdown.anchor(IndexPage.CHECKS));
    }
}
