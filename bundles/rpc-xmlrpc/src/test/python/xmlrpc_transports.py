#!/usr/bin/env python3
"""Python's stdlib xmlrpc.client over each non-TCP transport of the front door, against its fake echo API.

  xmlrpc_transports.py --unix SOCKET          HTTP-framed XML-RPC over the Unix socket (as XenAPI.py's xmlrpc over
                                              its Unix transport)
  xmlrpc_transports.py --https URL --cafile F HTTPS, verifying the server against F (the self-signed certificate)
  xmlrpc_transports.py --stdio CMD...         HTTP over the pipes of a spawned relay (as an SSH transport would)

Each mode makes a few calls on one keep-alive connection, checks the answers and prints "OK <mode> ...". Any mismatch
raises, so the exit status tells the Java test what happened.
"""
import http.client
import os
import socket
import ssl
import subprocess
import sys
import xmlrpc.client


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.path)
        self.sock = sock


class UnixTransport(xmlrpc.client.Transport):
    """Keeps one connection to the socket, like the stdlib Transport keeps one per host."""

    def __init__(self, path):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        if self._connection and self._connection[0] == host:
            return self._connection[1]
        connection = UnixHTTPConnection(self.path)
        self._connection = host, connection
        return connection


class PipeSocket:
    """What http.client needs of a socket, over a child process's stdin and stdout."""

    def __init__(self, process):
        self.process = process

    def sendall(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def makefile(self, mode, *args, **kwargs):
        # A fresh reader per response, on a duplicate descriptor: http.client closes it when the response is read.
        # The relay sends nothing unasked, so no reader ever holds bytes of the next response.
        return os.fdopen(os.dup(self.process.stdout.fileno()), "rb")

    def close(self):
        pass


class PipeHTTPConnection(http.client.HTTPConnection):
    def __init__(self, process):
        super().__init__("localhost")
        self.process = process

    def connect(self):
        self.sock = PipeSocket(self.process)


class PipeTransport(xmlrpc.client.Transport):
    def __init__(self, process):
        super().__init__()
        self.connection = PipeHTTPConnection(process)

    def make_connection(self, host):
        return self.connection


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
