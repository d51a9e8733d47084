package org.xend.api.spi.xenstore;

/** Fired with the path that changed (the watched path or one below it) and the watch's token. */
@FunctionalInterface
public interface XsWatchListener {
    void fired(String path, String token);
}
