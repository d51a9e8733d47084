package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class XmActionTest {

    private final PrintStream console = new PrintStream(new ByteArrayOutputStream());

    @Test
    void progressIsShownOnlyOnARealTerminal() {
        XmAction action = new PauseCommand();
        assertSame(Progress.SILENT, action.progress(), "no session");
        action.session = Sessions.session(null, console, null);
        assertSame(Progress.SILENT, action.progress(), "a headless session");
        action.session = Sessions.session("dumb", console, null);
        assertSame(Progress.SILENT, action.progress(), "a terminal that cannot move the cursor");
        action.session = Sessions.session("xterm-256color", null, null);
        assertFalse(action.progress().visible(), "output piped away from the console");
        action.session = Sessions.session("xterm-256color", console, null);
        assertTrue(action.progress().visible());
    }

    @Test
    void relativeFilesStartInTheSessionsDirectory() {
        XmAction action = new PauseCommand();
        assertEquals(Path.of(System.getProperty("user.dir")), action.currentDir());
        action.session = Sessions.session(null, console, Path.of("/srv/xen"));
        assertEquals(Path.of("/srv/xen"), action.currentDir());
    }
}
