package org.xend.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Xen API failure, exactly as it goes on the wire: {@code ErrorDescription = [code, params...]}.
 * Every layer throws this for a client-visible error; anything else reaching the dispatcher is an internal error.
 */
public class XenApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final List<String> params;

    public XenApiException(String code, Object... params) {
        super(code + describe(params));
        this.code = code;
        List<String> p = new ArrayList<>(params.length);
        for (Object o : params) {
            p.add(String.valueOf(o));
        }
        this.params = Collections.unmodifiableList(p);
    }

    public String code() {
        return code;
    }

    public List<String> params() {
        return params;
    }

    /** The wire {@code ErrorDescription}: the code followed by its parameters, all strings. */
    public List<String> errorDescription() {
        List<String> d = new ArrayList<>(params.size() + 1);
        d.add(code);
        d.addAll(params);
        return d;
    }

    private static String describe(Object[] params) {
        if (params.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" [");
        for (int i = 0; i < params.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(params[i]);
        }
        return sb.append(']').toString();
    }
}
