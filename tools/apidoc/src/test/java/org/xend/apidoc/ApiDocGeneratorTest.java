package org.xend.apidoc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xend.api.ErrorCodes;
import org.xend.api.datamodel.ApiCall;
import org.xend.api.datamodel.ClassDecl;
import org.xend.api.datamodel.Datamodel;
import org.xend.api.datamodel.ErrorDecl;
import org.xend.api.datamodel.FieldDecl;
import org.xend.api.datamodel.MessageDecl;
import org.xend.api.datamodel.ParamDecl;
import org.xend.api.datamodel.Qualifier;
import org.xend.api.datamodel.Role;
import org.xend.api.datamodel.Type;
import org.xend.api.model.XenApiModel;

class ApiDocGeneratorTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]*)\\)");
    private static final Type.Enum STATUS = new Type.Enum("task_status_type", List.of("pending", "success"));

    /** A small model with one of each feature: optional parameters, a class function, no Async, sessionless. */
    private static Datamodel smallModel() {
        Datamodel.Builder model = Datamodel.builder()
                .add(ClassDecl.builder("session", "A session")
                        .roles(Role.READ_ONLY, Role.READ_ONLY)
                        .message(MessageDecl.function("login_with_password", "Log in.")
                                .param("uname", Type.STRING, "user name")
                                .param("pwd", Type.STRING, "password")
                                .optionalParam("originator", Type.STRING, "who is asking", "")
                                .returns(Type.ref("session"))
                                .errors(ErrorCodes.SESSION_AUTHENTICATION_FAILED)
                                .sessionless())
                        .build())
                .add(ClassDecl.builder("task", "A task")
                        .field("status", STATUS, Qualifier.RO_RUN, "current status")
                        .build())
                .add(ClassDecl.builder("widget", "A widget | with a pipe")
                        .constructor("WIDGET_BROKEN")
                        .destructor()
                        .field("name_label", Type.STRING, Qualifier.RW, "a name")
                        .field("size", Type.INT, Qualifier.RO_INS, "size in bytes", 42L)
                        .field("tags", Type.STRING_MAP, Qualifier.RW, "tags")
                        .field("parts", Type.setOf(Type.ref("task")), Qualifier.RW, "parts")
                        .message(MessageDecl.method("spin", "Spin it.")
                                .param("speed", Type.INT, "how fast")
                                .optionalParam("force", Type.BOOL, "force it", Boolean.FALSE)
                                .errors("WIDGET_BROKEN")
                                .role(Role.VM_OPERATOR))
                        .message(MessageDecl.function("count", "Count them.").returns(Type.INT).noAsync())
                        .build());
        for (CallErrors.Check check : CallErrors.DISPATCHER_CHECKS) {
            model.error(check.code(), "dispatcher check " + check.code(), "p");
        }
        return model.error(ErrorCodes.HANDLE_INVALID, "bad handle", "class", "handle")
                .error(ErrorCodes.UUID_INVALID, "bad uuid", "class", "uuid")
                .error(ErrorCodes.MAP_DUPLICATE_KEY, "duplicate key", "key", "current", "new")
                .error(ErrorCodes.SESSION_AUTHENTICATION_FAILED, "wrong password")
                .error("WIDGET_BROKEN", "the widget broke", "part")
                .error("UNUSED_CODE", "nobody raises this")
                .build();
    }

    /** The part of a class page that documents one call. */
    private static String section(String page, String wireName) {
        int start = page.indexOf("\n### " + wireName + "\n");
        assertTrue(start >= 0, "no section for " + wireName);
        int end = page.indexOf("\n### ", start + 1);
        return end < 0 ? page.substring(start) : page.substring(start, end);
    }

    @Test
    void writesAnIndexAnErrorsPageAndOnePagePerClass() {
        assertEquals(Set.of("README.md", "errors.md", "session.md", "task.md", "widget.md"),
                ApiDocGenerator.render(smallModel()).keySet());
    }

    @Test
    void callSectionGivesWireNameParametersInOrderResultRoleAsyncAndArity() {
        String page = ApiDocGenerator.render(smallModel()).get("widget.md");
        String spin = section(page, "widget.spin");
        assertTrue(spin.contains("```\nwidget.spin(session_id, self, speed, force?) -> void\n```"), spin);
        assertTrue(spin.contains("| 1 | `session_id` | [session](session.md) ref |"), spin);
        assertTrue(spin.contains("| 2 | `self` | [widget](widget.md) ref | reference to the object |"), spin);
        assertTrue(spin.contains("| 3 | `speed` | int | how fast |"), spin);
        assertTrue(spin.contains("| 4 | `force` | bool | force it Optional; default `false`. |"), spin);
        assertTrue(spin.contains("- Least role: `vm-operator`"), spin);
        assertTrue(spin.contains("`Async.` twin: `Async.widget.spin`"), spin);
        assertTrue(spin.contains("- Parameters on the wire: 3 to 4, the session included"), spin);
        assertTrue(spin.contains("- [WIDGET_BROKEN](errors.md#widget_broken) `[WIDGET_BROKEN, part]`"), spin);

        String count = section(page, "widget.count");
        assertTrue(count.contains("widget.count(session_id) -> int"), count);
        assertTrue(count.contains("- `Async.` twin: none"), count);
        assertTrue(count.contains("Errors: only the [checks every call gets](README.md#checks-every-call-gets)."),
                count);
    }

    @Test
    void sessionlessCallHasNoSessionParameter() {
        String login = section(ApiDocGenerator.render(smallModel()).get("session.md"),
                "session.login_with_password");
        assertTrue(login.contains("session.login_with_password(uname, pwd, originator?) -> session ref"), login);
        assertTrue(login.contains("| 1 | `uname` |"), login);
        assertFalse(login.contains("session_id"), login);
        assertTrue(login.contains("Called without a session."), login);
        assertTrue(login.contains("- Parameters on the wire: 2 to 3\n"), login);
        assertTrue(login.contains("Optional; default `\"\"`."), login);
    }

    @Test
    void fieldsTableShowsTypeQualifierWireDefaultAndEscapedDescription() {
        String page = ApiDocGenerator.render(smallModel()).get("widget.md");
        assertTrue(page.contains("A widget \\| with a pipe"), "a pipe in a description must not split a table");
        assertTrue(page.contains("| `uuid` | string | RO_run | the object's ref |"), page);
        assertTrue(page.contains("| `size` | int | RO_ins | `\"42\"` | size in bytes |"), page);
        assertTrue(page.contains("| `tags` | (string -> string) Map | RW | `{}` | tags |"), page);
        assertTrue(page.contains("| `parts` | ([task](task.md) ref) Set | RW | `[]` | parts |"), page);
        String task = ApiDocGenerator.render(smallModel()).get("task.md");
        assertTrue(task.contains("| `status` | enum [task_status_type](README.md#task_status_type) | RO_run | "
                + "`\"pending\"` | current status |"), task);
    }

    @Test
    void generatedCallsListTheErrorsTheirKindChecks() {
        String page = ApiDocGenerator.render(smallModel()).get("widget.md");
        String addToTags = section(page, "widget.add_to_tags");
        assertTrue(addToTags.contains("[HANDLE_INVALID](errors.md#handle_invalid) `[HANDLE_INVALID, class, handle]`"),
                addToTags);
        assertTrue(addToTags.contains("[MAP_DUPLICATE_KEY](errors.md#map_duplicate_key)"), addToTags);
        assertTrue(section(page, "widget.get_by_uuid").contains("[UUID_INVALID](errors.md#uuid_invalid)"));
        assertFalse(section(page, "widget.set_tags").contains("MAP_DUPLICATE_KEY"));

        String create = section(page, "widget.create");
        assertTrue(create.contains("widget.create(session_id, args) -> widget ref"), create);
        // parts holds refs, so the record's refs are checked; WIDGET_BROKEN is the constructor's own.
        assertTrue(create.contains("errors.md#handle_invalid") && create.contains("errors.md#widget_broken"), create);
        assertTrue(create.contains("`name_label`, `size`, `tags`, `parts`."), create);
        assertFalse(create.contains("`uuid`,"), "uuid is RO_run, the constructor does not take it");
    }

    @Test
    void errorsPageListsEveryCodeWithItsShapeAndTheCallsRaisingIt() {
        String errors = ApiDocGenerator.render(smallModel()).get("errors.md");
        assertTrue(errors.contains("## WIDGET_BROKEN\n\n`[WIDGET_BROKEN, part]`\n\nthe widget broke\n"), errors);
        // Calls in model order: the generated constructor before the declared message.
        assertTrue(errors.contains("Raised by 2 calls:\n\n- [widget](widget.md): [create](widget.md#widgetcreate), "
                + "[spin](widget.md#widgetspin)\n"), errors);
        String unused = errors.substring(errors.indexOf("## UNUSED_CODE"));
        assertTrue(unused.contains("No call declares it."), unused);
        String handle = errors.substring(errors.indexOf("## HANDLE_INVALID"), errors.indexOf("## MAP_DUPLICATE_KEY"));
        assertTrue(handle.contains("Any call may raise it"), handle);
        // Sorted by code.
        assertTrue(errors.indexOf("## HANDLE_INVALID") < errors.indexOf("## UNUSED_CODE")
                && errors.indexOf("## UNUSED_CODE") < errors.indexOf("## WIDGET_BROKEN"));
    }

    @Test
    void indexGivesConventionsChecksClassesTypesAndTheRegenerateCommand() {
        String index = ApiDocGenerator.render(smallModel()).get("README.md");
        assertTrue(index.contains(ApiDocGenerator.REGENERATE_COMMAND), index);
        assertTrue(index.contains("OpaqueRef:NULL"), index);
        assertTrue(index.contains("| [`widget`](widget.md) | A widget \\| with a pipe | 5 | "), index);
        assertTrue(index.contains("### task_status_type\n\nEnumeration: `pending`, `success`\n"), index);
        for (CallErrors.Check check : CallErrors.DISPATCHER_CHECKS) {
            assertTrue(index.contains("| [" + check.code() + "](errors.md#"), check.code());
        }
        assertTrue(index.contains("`pool-admin` › `pool-operator` › `vm-power-admin` › `vm-admin` › `vm-operator` › "
                + "`read-only`"), index);
    }

    @Test
    void outputIsDeterministic() {
        assertEquals(ApiDocGenerator.render(smallModel()), ApiDocGenerator.render(smallModel()));
        assertEquals(ApiDocGenerator.render(), ApiDocGenerator.render(XenApiModel.datamodel()));
    }

    @Test
    void everyLinkOfTheRealReferenceLeadsToAPageAndHeading() {
        assertLinksResolve(ApiDocGenerator.render());
        assertLinksResolve(ApiDocGenerator.render(smallModel()));
    }

    private static void assertLinksResolve(SortedMap<String, String> pages) {
        Map<String, Set<String>> anchors = new TreeMap<>();
        pages.forEach((file, text) -> anchors.put(file, headingAnchors(text)));
        List<String> broken = new ArrayList<>();
        pages.forEach((file, text) -> {
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                int hash = target.indexOf('#');
                String page = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                String resolved = page.isEmpty() ? file : page;
                if (!anchors.containsKey(resolved) || (anchor != null && !anchors.get(resolved).contains(anchor))) {
                    broken.add(file + " -> " + target);
                }
            }
        });
        assertTrue(broken.isEmpty(), () -> "broken links: " + broken);
    }

    private static Set<String> headingAnchors(String text) {
        Set<String> out = new HashSet<>();
        boolean fenced = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.startsWith("#")) {
                out.add(Markdown.anchor(line.replaceFirst("^#+ ", "")));
            }
        }
        return out;
    }

    @Test
    void realReferenceCoversEveryClassFieldCallAndError() {
        Datamodel model = XenApiModel.datamodel();
        SortedMap<String, String> pages = ApiDocGenerator.render(model);
        assertEquals(model.classes().size() + 2, pages.size());
        for (ClassDecl cls : model.classes()) {
            String page = pages.get(cls.name() + ".md");
            assertTrue(pages.get("README.md").contains("[`" + cls.name() + "`](" + cls.name() + ".md)"), cls.name());
            for (FieldDecl f : cls.fields().values()) {
                assertTrue(page.contains("\n| `" + f.name() + "` | "), cls.name() + "." + f.name());
            }
        }
        for (ApiCall call : model.calls().values()) {
            String section = section(pages.get(call.className() + ".md"), call.wireName());
            assertTrue(section.contains(ClassPage.signature(call)), call.wireName());
            assertEquals(call.async(), section.contains("`Async." + call.wireName() + "`"), call.wireName());
            for (String code : call.errors()) {
                assertTrue(section.contains("[" + code + "](errors.md#"), call.wireName() + " " + code);
            }
        }
        String errors = pages.get("errors.md");
        for (ErrorDecl error : model.errors()) {
            assertTrue(errors.contains("\n## " + error.code() + "\n"), error.code());
        }
        // The session's and VM.start's optional trailing parameters show their defaults.
        String start = section(pages.get("VM.md"), "VM.start");
        assertTrue(start.contains("VM.start(session_id, self, start_paused, force?) -> void"), start);
        assertTrue(start.contains("Optional; default `false`."), start);
    }

    @Test
    void linkedTypesReadAsTheirDisplayNames() {
        Datamodel model = XenApiModel.datamodel();
        List<Type> types = new ArrayList<>();
        model.classes().forEach(c -> c.fields().values().forEach(f -> types.add(f.type())));
        for (ApiCall call : model.calls().values()) {
            call.params().stream().map(ParamDecl::type).forEach(types::add);
            types.add(call.result());
        }
        for (Type type : types) {
            String withoutLinks = TypeText.linked(type).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
            assertEquals(type.display(), withoutLinks);
        }
    }

    @Test
    void wireValuesFollowTheConventions() {
        assertEquals("\"0\"", TypeText.wireDefault(Type.INT, null));
        assertEquals("\"-1\"", TypeText.wireDefault(Type.INT, -1L));
        assertEquals("\"OpaqueRef:NULL\"", TypeText.wireDefault(Type.ref("VM"), null));
        assertEquals("19700101T00:00:00", TypeText.wireDefault(Type.DATETIME, null));
        assertEquals("0.0", TypeText.wireDefault(Type.FLOAT, null));
        assertEquals("\"Halted\"", TypeText.wireDefault(STATUS, "Halted"));
        assertEquals("\"pending\"", TypeText.wireDefault(STATUS, null));
        assertEquals("[\"a\", \"b\"]", TypeText.wireDefault(Type.STRING_SET, List.of("a", "b")));
        assertEquals("{\"k\": \"1\"}", TypeText.wireDefault(Type.mapOf(Type.STRING, Type.INT), Map.of("k", 1L)));
        assertEquals("\"say \\\"hi\\\"\"", TypeText.wireDefault(Type.STRING, "say \"hi\""));
    }

    @Test
    void anchorsFollowGitHub() {
        assertEquals("vmget_by_uuid", Markdown.anchor("VM.get_by_uuid"));
        assertEquals("checks-every-call-gets", Markdown.anchor("Checks every call gets"));
        assertEquals("handle_invalid", Markdown.anchor("HANDLE_INVALID"));
    }

    @Test
    void writeReplacesTheFolderContentAndDifferencesSeeEveryKindOfChange(@TempDir Path dir) throws IOException {
        Map<String, String> pages = Map.of("README.md", "index\n", "a.md", "a\n");
        Files.writeString(dir.resolve("a.md"), "old\n");
        Files.writeString(dir.resolve("gone.md"), "removed class\n");
        Files.writeString(dir.resolve("notes.txt"), "not ours\n");

        ApiDocGenerator.Differences before = ApiDocGenerator.differences(dir, pages);
        assertEquals(List.of("a.md"), before.changed());
        assertEquals(List.of("README.md"), before.missing());
        assertEquals(List.of("gone.md"), before.extra());
        assertFalse(before.none());

        ApiDocGenerator.write(dir, pages);
        assertTrue(ApiDocGenerator.differences(dir, pages).none());
        assertEquals("a\n", Files.readString(dir.resolve("a.md")));
        assertFalse(Files.exists(dir.resolve("gone.md")));
        assertTrue(Files.exists(dir.resolve("notes.txt")), "only Markdown files are the generator's");
    }
}
