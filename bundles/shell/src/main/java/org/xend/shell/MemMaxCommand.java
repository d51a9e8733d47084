package org.xend.shell;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;

/** {@code xm mem-max}: a VM's maximum memory; saved for a managed VM, and its domain's limit while it runs. */
@Service
@Command(scope = "xm", name = "mem-max", description = "Sets a VM's maximum memory (xm mem-max)")
public class MemMaxCommand extends DomainAction {

    @Argument(index = 1, name = "memory", required = true,
            description = "The maximum: MiB, or a number with a unit k, m or g (e.g. 512, 2g)")
    String memory;

    @Override
    void run(PrintStream out) throws Exception {
        domains.setMemoryMax(resolve(dom), bytes(memory));
    }

    /** xm's int_unit with MiB as the default unit; the result in bytes. */
    static long bytes(String text) throws CommandException {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1L << 20;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 0;
            }
            if (unit != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                unit = 1L << 20;
            }
        }
        try {
            long value = Long.parseLong(t);
            if (value <= 0 || value > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            // Xend takes whole MiB: a size in KiB rounds down to them
            return value * unit / (1L << 20) * (1L << 20);
        } catch (NumberFormatException e) {
            throw new CommandException("Invalid memory size '" + text + "': give MiB, or a number with k, m or g");
        }
    }
}
