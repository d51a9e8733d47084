package org.xend.api.datamodel;

import java.util.List;

/** A Xen API error code with the names of its parameters, in wire order. */
public record ErrorDecl(String code, List<String> params, String description) {
    public ErrorDecl {
        params = List.copyOf(params);
    }
}
