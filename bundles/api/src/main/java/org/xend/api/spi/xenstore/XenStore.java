package org.xend.api.spi.xenstore;

import java.util.function.Function;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The xenstore (service property {@code type}: {@code sim} or {@code xen}). Watches fire once when registered,
 * as xenstored's do, and then on every change at or below the path, and for the special paths
 * {@code @introduceDomain} and {@code @releaseDomain}. Listeners run on a xenstore thread, not the writer's.
 */
@ConsumerType
public interface XenStore extends XenStoreOps {

    XsTransaction transaction();

    XsWatch watch(String path, String token, XsWatchListener listener);

    /** Runs {@code body} in a transaction, retrying while the commit reports a conflict. */
    default <T> T inTransaction(Function<XsTransaction, T> body) {
        while (true) {
            try (XsTransaction t = transaction()) {
                T result = body.apply(t);
                if (t.commit()) {
                    return result;
                }
            }
        }
    }
}
