#!/usr/bin/env python3
"""The Xen API of a running daemon through Python's stdlib xmlrpc.client, over one non-TCP transport.

  transports.py --transport unix  --socket PATH             HTTP over <socketDir>/xen-api.sock
  transports.py --transport https --url URL --cafile FILE   HTTPS, trusting the daemon's certificate as the CA file
  transports.py --transport stdio --relay PATH              HTTP over the pipes of bin/xen-api-stdio, as an SSH
                                                            transport does (the relay finds the socket itself)
  transports.py --transport legacy --socket PATH --relay PATH
                                                            the legacy xm API on <socketDir>/xmlrpc.sock, directly
                                                            and through bin/xen-api-stdio --legacy

Each Xen API mode logs in as root and makes the same calls on one keep-alive connection. Prints
'N passed, N failed' and exits non-zero on any failure.
"""
import argparse
import os
import ssl
import subprocess
import sys
import xmlrpc.client

# xmlrpc.client over the Unix socket and over a relay's pipes, shared with the other Python clients: tools/python
REPOSITORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 4)
sys.path.insert(0, os.path.join(REPOSITORY, "tools", "python"))
from xend_transports import PipeTransport, UnixTransport  # noqa: E402

from xenapi_checks import DOM0, check, summary, value


def session_calls(proxy, password, label):
    session = value(proxy.session.login_with_password("root", password))
    check(label + ": login", isinstance(session, str) and len(session) == 36, session)
    wrong = proxy.session.login_with_password("root", "wrong-" + password)
    check(label + ": wrong password refused", wrong.get("ErrorDescription") == ["SESSION_AUTHENTICATION_FAILED"],
          wrong)
    hosts = value(proxy.host.get_all(session))
    check(label + ": one host", len(hosts) == 1, hosts)
    vms = value(proxy.VM.get_all(session))
    check(label + ": Domain-0 listed", DOM0 in vms, vms)
    record = value(proxy.VM.get_record(session, DOM0))
    check(label + ": Domain-0 record", record.get("power_state") == "Running" and record.get("is_control_domain"),
          record)
    unknown = proxy.VM.no_such_call(session)
    check(label + ": unknown method", unknown.get("ErrorDescription", [None])[0] == "MESSAGE_METHOD_UNKNOWN", unknown)
    value(proxy.session.logout(session))
    check(label + ": logout", True)


def legacy_calls(proxy, label):
    info = dict(proxy.xend.node.info())
    check(label + ": xend.node.info", info.get("xend_config_format") == 4 and info.get("total_memory", 0) > 0, info)
    running = proxy.xend.domains_with_state(False, "running", False)
    check(label + ": xend.domains_with_state", running == ["Domain-0"], running)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", required=True, choices=["unix", "https", "stdio", "legacy"])
    parser.add_argument("--password")
    parser.add_argument("--socket")
    parser.add_argument("--url")
    parser.add_argument("--cafile")
    parser.add_argument("--relay")
    args = parser.parse_args()

    if args.transport == "legacy":
        legacy_calls(xmlrpc.client.ServerProxy("http://localhost/", transport=UnixTransport(args.socket)),
                     "legacy socket")
        relay = subprocess.Popen([args.relay, "--legacy"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            legacy_calls(xmlrpc.client.ServerProxy("http://localhost/", transport=PipeTransport(relay)),
                         "legacy stdio")
        finally:
            relay.stdin.close()
        check("legacy stdio: the relay ends cleanly", relay.wait(timeout=30) == 0, relay.returncode)
    elif args.transport == "unix":
        proxy = xmlrpc.client.ServerProxy("http://localhost/", transport=UnixTransport(args.socket))
        session_calls(proxy, args.password, "unix")
    elif args.transport == "https":
        context = ssl.create_default_context(cafile=args.cafile)
        if hasattr(ssl, "VERIFY_X509_STRICT"):
            context.verify_flags |= ssl.VERIFY_X509_STRICT   # what Python 3.13 does by default
        session_calls(xmlrpc.client.ServerProxy(args.url, context=context), args.password, "https")
        try:
            xmlrpc.client.ServerProxy(args.url, context=ssl.create_default_context()).host.get_all("x")
            check("https: a client without the certificate is refused", False)
        except ssl.SSLCertVerificationError:
            check("https: a client without the certificate is refused", True)
    else:
        relay = subprocess.Popen([args.relay], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            session_calls(xmlrpc.client.ServerProxy("http://localhost/", transport=PipeTransport(relay)),
                          args.password, "stdio")
        finally:
            relay.stdin.close()
        check("stdio: the relay ends cleanly when its input closes", relay.wait(timeout=30) == 0, relay.returncode)

        # One-shot use, as in "ssh dom0 xen-api-stdio < request": the input ends right after the request.
        body = xmlrpc.client.dumps(("root", args.password), "session.login_with_password").encode()
        request = (b"POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n"
                   % len(body)) + body
        done = subprocess.run([args.relay], input=request, stdout=subprocess.PIPE, timeout=60)
        answer = done.stdout.split(b"\r\n\r\n", 1)
        check("stdio one-shot: answered before the relay ended",
              done.returncode == 0 and answer[0].startswith(b"HTTP/1.1 200") and len(answer) == 2
              and b"<value>Success</value>" in answer[1], done.stdout[:300])

    sys.exit(summary())


if __name__ == "__main__":
    main()
