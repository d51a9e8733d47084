package org.xend.rpc.xmlrpc;

import java.util.List;

/** One decoded {@code methodCall}: the parameters are String, Integer, Boolean, Double, Date, Object[] or Map. */
record XmlRpcRequest(String methodName, List<Object> params) {
}
