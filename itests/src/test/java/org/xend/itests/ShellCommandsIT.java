package org.xend.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.console.Command;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;

/**
 * An operator at the Karaf console of the booted assembly: the xm: commands run through Karaf's own
 * {@link SessionFactory}, as typed, and act on the daemon's real domain layer.
 */
public class ShellCommandsIT extends XendKarafTestSupport {

    private static final String GUEST = "shell-it";

    @Test
    public void anOperatorDefinesListsStartsStopsAndDeletesAVm() throws Exception {
        SessionFactory sessions = awaitService(SessionFactory.class, null);
        awaitCommand(sessions, "xm", "delete");

        Path config = Files.createTempFile("shell-it", ".sxp");
        Files.writeString(config, "# written by ShellCommandsIT\n(vm (name " + GUEST + ") (memory 64) (vcpus 1)\n"
                + "    (image (linux (kernel /boot/vmlinuz) (args 'root=/dev/xvda1'))))\n");

        String defined = execute(sessions, "xm:new " + config);
        assertTrue(defined, defined.startsWith("Defined domain " + GUEST + " ("));

        List<String> halted = columns(row(execute(sessions, "xm:list"), GUEST)
                .orElseThrow(() -> new AssertionError(GUEST + " is not listed")));
        assertEquals("name, memory, vCPUs, time: no ID and no state while halted",
                List.of(GUEST, "64", "1", "0.0"), halted);

        assertEquals("", execute(sessions, "xm:start " + GUEST));
        List<String> running = columns(row(execute(sessions, "xm:list " + GUEST)).orElseThrow());
        assertEquals(6, running.size());
        assertTrue("a domid: " + running, Integer.parseInt(running.get(1)) > 0);
        assertTrue("state flags: " + running, running.get(4).matches("[r-][b-]----"));

        String stopped = execute(sessions, "xm:shutdown -w " + GUEST);
        assertEquals("Domain " + GUEST + " terminated", stopped.trim());
        assertEquals(4, columns(row(execute(sessions, "xm:list"), GUEST).orElseThrow()).size());

        assertEquals("", execute(sessions, "xm:delete " + GUEST));
        assertFalse(row(execute(sessions, "xm:list"), GUEST).isPresent());
        Files.delete(config);
    }

    @Test
    public void aFailureIsOneLineNamingTheProblem() throws Exception {
        SessionFactory sessions = awaitService(SessionFactory.class, null);
        awaitCommand(sessions, "xm", "start");
        try {
            execute(sessions, "xm:start no-such-vm");
            fail("starting an unknown VM must fail");
        } catch (Exception e) {
            assertEquals("Domain 'no-such-vm' does not exist.", innermostMessage(e));
        }
        String list = execute(sessions, "xm:list 0");
        assertTrue(list, row(list, "Domain-0").isPresent());
    }

    /** Runs one command line in a fresh headless session; returns what it printed. */
    private static String execute(SessionFactory sessions, String commandLine) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        Session session = sessions.create(InputStream.nullInputStream(), out, out);
        try {
            session.execute(commandLine);
        } finally {
            session.close();
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    /** The command's own message, however the shell wrapped the exception. */
    private static String innermostMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** The commands appear once the domain layer they need is registered. */
    private static void awaitCommand(SessionFactory sessions, String scope, String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (Command command : sessions.getRegistry().getCommands()) {
                if (scope.equals(command.getScope()) && name.equals(command.getName())) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("command " + scope + ":" + name + " not registered within " + SERVICE_TIMEOUT_MS
                + " ms");
    }

    /** The first table row after the header, or the row of the named VM. */
    private static Optional<String> row(String table, String... name) {
        List<String> lines = Arrays.asList(table.split("\n"));
        return lines.stream().skip(1)
                .filter(line -> name.length == 0 || line.startsWith(name[0] + " "))
                .findFirst();
    }

    private static List<String> columns(String line) {
        return Arrays.asList(line.trim().split(" +"));
    }
}
