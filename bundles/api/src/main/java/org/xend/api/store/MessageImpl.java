package org.xend.api.store;

/**
 * The implementation of one declared message. Returns a Java value of the declared result type
 * (null for void). Throws {@link org.xend.api.XenApiException} for client-visible errors.
 */
@FunctionalInterface
public interface MessageImpl {
    Object invoke(Call call) throws Exception;
}
