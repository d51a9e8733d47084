package org.xend.shell;

import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.file.Path;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;

/** Karaf sessions as the commands see them: with or without a terminal, and with a console of their own. */
final class Sessions {

    private Sessions() {
    }

    /** A session whose terminal has {@code terminalType} (none when null), printing its console to {@code console}. */
    static Session session(String terminalType, PrintStream console, Path currentDir) {
        Terminal terminal = terminalType == null ? null : (Terminal) Proxy.newProxyInstance(
                Sessions.class.getClassLoader(), new Class<?>[] {Terminal.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getType")) {
                        return terminalType;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(Sessions.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getTerminal" -> terminal;
                    case "getConsole" -> console;
                    case "currentDir" -> currentDir;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
