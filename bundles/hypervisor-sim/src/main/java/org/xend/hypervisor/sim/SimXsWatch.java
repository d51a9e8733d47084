package org.xend.hypervisor.sim;

import org.xend.api.spi.xenstore.XsWatch;
import org.xend.api.spi.xenstore.XsWatchListener;

/** A registered watch of the simulated store. Events still queued when it is closed are dropped. */
final class SimXsWatch implements XsWatch {
    private final SimXenStore store;
    private final String path;
    private final String token;
    private final XsWatchListener listener;
    private volatile boolean closed;

    SimXsWatch(SimXenStore store, String path, String token, XsWatchListener listener) {
        this.store = store;
        this.path = path;
        this.token = token;
        this.listener = listener;
    }

    String path() {
        return path;
    }

    String token() {
        return token;
    }

    XsWatchListener listener() {
        return listener;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.unregister(this);
        }
    }

    @Override
    public String toString() {
        return "watch " + path + " (" + token + ")";
    }
}
