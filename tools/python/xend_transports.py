"""Transports for Python's stdlib xmlrpc.client to reach the daemon without TCP.

    UnixTransport(path)      HTTP/1.1 over a Unix socket, such as <socketDir>/xen-api.sock: what XenAPI.py's Unix
                             transport does under xmlrpc.client
    PipeTransport(process)   HTTP/1.1 over the stdin and stdout of a child process, such as bin/xen-api-stdio run
                             locally or through ssh

    proxy = xmlrpc.client.ServerProxy("http://localhost/", transport=UnixTransport("/run/xend/xen-api.sock"))

Both keep one connection for every call of the proxy, as the stdlib Transport keeps one per host.
"""
import http.client
import os
import socket
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
    """What http.client needs of a socket, over the stdin and stdout of a child process."""

    def __init__(self, process):
        self.process = process

    def sendall(self, data):
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def makefile(self, mode, *args, **kwargs):
        # A fresh reader per response, on a duplicate descriptor: http.client closes it when the response is read.
        # The relay sends nothing unasked, so no reader ever holds bytes of a later response.
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
