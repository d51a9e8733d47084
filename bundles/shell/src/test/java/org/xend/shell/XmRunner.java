package org.xend.shell;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.support.CommandException;
import org.xend.api.domain.DomainService;
import org.xend.api.spi.hypervisor.Hypervisor;

/** Runs xm: commands as the Karaf shell would, against one domain layer and hypervisor, and keeps what they print. */
final class XmRunner {

    private final DomainService domains;
    private final Hypervisor hypervisor;

    XmRunner(DomainService domains, Hypervisor hypervisor) {
        this.domains = domains;
        this.hypervisor = hypervisor;
    }

    /** The command aimed at one domain. */
    static <T extends DomainAction> T domCommand(T command, String dom) {
        command.dom = dom;
        return command;
    }

    /** What the command prints. */
    String run(XmAction command) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        command.domains = domains;
        if (command instanceof HypervisorAction h) {
            h.hypervisor = hypervisor;
        }
        command.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        command.execute();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The message of the CommandException the command must end in. */
    String failure(XmAction command) {
        return assertThrows(CommandException.class, () -> run(command)).getMessage();
    }
}
