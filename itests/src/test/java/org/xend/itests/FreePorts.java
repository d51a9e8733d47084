package org.xend.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks TCP ports that are free on the loopback interface right now. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Returns {@code count} distinct ports. All sockets stay open until every port is chosen, so the
     * ports differ from each other; another process can still take one before the caller binds it.
     */
    public static int[] allocate(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket that was never used cannot lose data
                    }
                }
            }
        }
    }
}
