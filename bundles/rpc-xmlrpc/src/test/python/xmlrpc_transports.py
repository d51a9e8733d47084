#!/usr/bin/env python3
"""Python's stdlib xmlrpc.client over each non-TCP transport of the front door, against its fake echo API.

  xmlrpc_transports.py --unix SOCKET          HTTP-framed XML-RPC over the Unix socket (as XenAPI.py's xmlrpc over
                                              its Unix transport)
  xmlrpc_transports.py --https URL --cafile F HTTPS, verifying the server against F (the self-signed certificate)
  xmlrpc_transports.py --stdio CMD...         HTTP over the pipes of a spawned relay (as an SSH transport would)

Each mode makes a few calls on one keep-alive connection, checks the answers and prints "OK <mode> ...". Any mismatch
raises, so the exit status tells the Java test what happened.
"""
import os
import ssl
import subprocess
import sys
import xmlrpc.client

# xmlrpc.client over the Unix socket and over a relay's pipes, shared with the other Python clients: tools/python
REPOSITORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 5)
sys.path.insert(0, os.path.join(REPOSITORY, "tools", "python"))
from xend_transports import PipeTransport, UnixTransport  # noqa: E402


def check_echo(proxy, transport, peer):
    result = proxy.VM.get_record("OpaqueRef:s", "vm", 7, True, ["a", "b"], {"k": "v"})
    assert result["Status"] == "Success", result
    value = result["Value"]
    assert value["method"] == "VM.get_record", value
    assert value["transport"] == transport, value
    assert value["peer"] == peer, value
    assert value["params"] == ["OpaqueRef:s", "vm", 7, True, ["a", "b"], {"k": "v"}], value
    types = proxy.test.types()["Value"]
    assert types["long"] == "1234567890123", types
    assert types["text"] == "a<b & c>d \"q\" \r\n \u00e9 \u20ac \U0001F600", repr(types["text"])
    record = proxy.test.record()["Value"]
    assert len(record) == 63, len(record)
    try:
        proxy.__getattr__("x" * 300)()
        raise AssertionError("an overlong method name was accepted")
    except xmlrpc.client.Fault as fault:
        assert fault.faultCode == -32600, fault
    return len(record)


def main(argv):
    mode = argv[1]
    if mode == "--unix":
        proxy = xmlrpc.client.ServerProxy("http://localhost/", transport=UnixTransport(argv[2]))
        fields = check_echo(proxy, "unix", "")
        print("OK unix", fields)
    elif mode == "--https":
        url, cafile = argv[2], argv[4]
        context = ssl.create_default_context(cafile=cafile)
        if hasattr(ssl, "VERIFY_X509_STRICT"):
            context.verify_flags |= ssl.VERIFY_X509_STRICT   # the default of Python 3.13
        proxy = xmlrpc.client.ServerProxy(url, context=context)
        fields = check_echo(proxy, "https", "127.0.0.1")
        print("OK https", fields)
        untrusting = xmlrpc.client.ServerProxy(url, context=ssl.create_default_context())
        try:
            untrusting.VM.get_all("s")
            raise AssertionError("a client without the certificate as CA connected")
        except ssl.SSLCertVerificationError:
            print("OK https-untrusted-refused")
    elif mode == "--stdio":
        process = subprocess.Popen(argv[2:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            proxy = xmlrpc.client.ServerProxy("http://localhost/", transport=PipeTransport(process))
            fields = check_echo(proxy, "unix", "")
        finally:
            process.stdin.close()
        status = process.wait(timeout=30)
        assert status == 0, "the relay exited with %d" % status
        print("OK stdio", fields)
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
