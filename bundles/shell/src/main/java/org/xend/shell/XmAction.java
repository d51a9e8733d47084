package org.xend.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.apache.karaf.shell.support.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xend.api.ErrorCodes;
import org.xend.api.XenApiException;
import org.xend.api.domain.DomainService;
import org.xend.api.domain.DomainView;

/**
 * What every {@code xm:} command shares: the domain service, the session it runs in, the lookup of a DOM argument,
 * and the rule that a failure is one line for the operator, never a stack trace. Karaf shows a
 * {@link CommandException} as {@code Error executing command: <message>} and logs it at debug level only.
 */
abstract class XmAction implements Action {

    private static final Logger LOG = LoggerFactory.getLogger(XmAction.class);

    /** How often the spinner turns. */
    private static final long SPINNER_FRAME_MILLIS = 125;

    @Reference
    DomainService domains;

    @Reference
    Session session;

    /** Where the command prints; {@code System.out} (the session's output inside Karaf) unless a test sets it. */
    PrintStream out;

    /** The VM the command acts on, once resolved: errors that carry no ref name it. */
    private String subjectVm;

    @Override
    public final Object execute() throws Exception {
        PrintStream output = out != null ? out : System.out;
        try {
            run(output);
        } catch (XenApiException e) {
            throw new CommandException(ErrorMessages.describe(e, this::nameOf, subjectVm));
        } catch (CommandException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("xm command failed unexpectedly", e);
            throw new CommandException("Internal error: " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getName()));
        } finally {
            output.flush();
        }
        return null;
    }

    abstract void run(PrintStream out) throws Exception;

    /** The VM ref for a DOM argument (a name, a domid or a uuid), as xm resolved it. */
    String resolve(String dom) throws CommandException {
        Optional<String> vm = domains.lookup(dom);
        if (vm.isEmpty()) {
            throw new CommandException("Domain '" + dom + "' does not exist.");
        }
        subjectVm = vm.get();
        return subjectVm;
    }

    /** The views of the VMs named by DOM arguments, or of every VM (Domain-0 first, then by name) when none is. */
    List<DomainView> views(List<String> doms) throws CommandException {
        List<DomainView> views = new ArrayList<>();
        if (doms != null && !doms.isEmpty()) {
            for (String dom : doms) {
                views.add(domains.view(resolve(dom)));
            }
            return views;
        }
        for (String vm : domains.vms()) {
            try {
                views.add(domains.view(vm));
            } catch (XenApiException e) {
                if (!ErrorCodes.HANDLE_INVALID.equals(e.code())) {
                    throw e;
                }
                // deleted since vms() listed it
            }
        }
        return views;
    }

    /** The VM's name, or its ref if it is gone. */
    String nameOf(String vm) {
        try {
            return DomainTable.name(domains.view(vm));
        } catch (XenApiException gone) {
            return vm;
        }
    }

    /** A spinner when the session has a real terminal; {@link Progress#SILENT} otherwise. */
    Progress progress() {
        if (session == null) {
            return Progress.SILENT;
        }
        Terminal terminal = session.getTerminal();
        PrintStream console = session.getConsole();
        if (terminal == null || console == null || "dumb".equals(terminal.getType())) {
            return Progress.SILENT;
        }
        return new Progress(console, SPINNER_FRAME_MILLIS);
    }

    /** Where relative file names start: the session's directory, else the daemon's working directory. */
    Path currentDir() {
        Path dir = session != null ? session.currentDir() : null;
        return dir != null ? dir : Path.of(System.getProperty("user.dir"));
    }
}
