#!/usr/bin/env python3
"""The Python baseline: Xend's own transport serving VM.get_record.

Original Xend served the Xen API with xmlrpc's SimpleXMLRPCServer plus socketserver.ThreadingMixIn (a thread per
connection). This server does the same on HTTP/1.1 keep-alive, bound to 127.0.0.1 only, with one method,
VM.get_record(session, ref), which answers the record loaded once at start from a saved daemon response, after the
two dictionary look-ups Xend makes (session, then ref).

    xend_style_server.py --port 9401 --response get_record.response.xml --request get_record.request.xml

--request names the request body the load generator sends; its session and ref are the ones accepted.
"""
import argparse
import os
import signal
import socketserver
import sys
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer


class KeepAliveHandler(SimpleXMLRPCRequestHandler):
    # HTTP/1.1 keeps the connection open between calls; the base class already turns Nagle off.
    protocol_version = "HTTP/1.1"
    rpc_paths = ("/", "/RPC2")


class ThreadingXMLRPCServer(socketserver.ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True
    allow_reuse_address = True


def load_response(path):
    """The {Status, Value} struct of a saved methodResponse."""
    with open(path, "rb") as f:
        params, _ = xmlrpc.client.loads(f.read())
    if len(params) != 1 or not isinstance(params[0], dict) or params[0].get("Status") != "Success":
        raise SystemExit("%s is not a successful Xen API response" % path)
    return params[0]


def load_request(path):
    """The session and ref of a saved VM.get_record methodCall."""
    with open(path, "rb") as f:
        params, method = xmlrpc.client.loads(f.read())
    if method != "VM.get_record" or len(params) != 2:
        raise SystemExit("%s is not a VM.get_record(session, ref) call" % path)
    return params[0], params[1]


def failure(*description):
    return {"Status": "Failure", "ErrorDescription": list(description)}


def make_server(port, response, session, ref):
    sessions = {session}
    records = {ref: response}

    def vm_get_record(session_ref, vm_ref):
        if session_ref not in sessions:
            return failure("SESSION_INVALID", session_ref)
        answer = records.get(vm_ref)
        if answer is None:
            return failure("HANDLE_INVALID", "VM", vm_ref)
        return answer

    server = ThreadingXMLRPCServer(("127.0.0.1", port), requestHandler=KeepAliveHandler,
                                   logRequests=False, allow_none=False)
    server.register_function(vm_get_record, "VM.get_record")
    return server


def stop_on_signal(signum, frame):
    # serve_forever then ends through KeyboardInterrupt, and the listening socket is closed cleanly.
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--response", required=True, help="a saved VM.get_record methodResponse")
    parser.add_argument("--request", required=True, help="the VM.get_record methodCall the clients send")
    args = parser.parse_args()

    response = load_response(args.response)
    session, ref = load_request(args.request)
    server = make_server(args.port, response, session, ref)
    signal.signal(signal.SIGTERM, stop_on_signal)
    print("xend-style Python server listening on 127.0.0.1:%d (pid %d)" % (server.server_address[1], os.getpid()),
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
