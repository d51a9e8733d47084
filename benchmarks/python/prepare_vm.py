#!/usr/bin/env python3
"""Prepares the VM.get_record benchmark against a running daemon.

Logs in as root, creates and starts a realistic PV guest, then writes into --out-dir:
  get_record.request.xml   the methodCall body of VM.get_record(session, vm), as xmlrpc.client encodes it
  get_record.response.xml  the daemon's exact response body to that request (what the ceiling server replays and
                           what the Python baseline loads its record from)
Prints one line "session=<ref> vm=<ref> request_bytes=N response_bytes=N".
"""
import argparse
import http.client
import os
import sys
import time
import xmlrpc.client

GUEST = {
    "name_label": "bench-guest-01",
    "name_description": "PV guest serving the VM.get_record benchmark",
    "user_version": "1",
    "is_a_template": False,
    "auto_power_on": False,
    "memory_static_max": str(512 << 20),
    "memory_dynamic_max": str(512 << 20),
    "memory_dynamic_min": str(256 << 20),
    "memory_static_min": str(128 << 20),
    "VCPUs_params": {"weight": "256", "cap": "0"},
    "VCPUs_max": "2",
    "VCPUs_at_startup": "2",
    "actions_after_shutdown": "destroy",
    "actions_after_reboot": "restart",
    "actions_after_crash": "restart",
    "PV_bootloader": "",
    "PV_kernel": "/boot/vmlinuz-2.6.18-xenU",
    "PV_ramdisk": "/boot/initrd-2.6.18-xenU.img",
    "PV_args": "root=/dev/xvda1 ro console=hvc0 xencons=tty",
    "PV_bootloader_args": "",
    "HVM_boot_policy": "",
    "HVM_boot_params": {},
    "platform": {"acpi": "1", "apic": "1", "pae": "1", "nx": "0", "localtime": "0"},
    "PCI_bus": "",
    "other_config": {"owner": "benchmarks", "purpose": "get_record load",
                     "created_by": "benchmarks/run.sh", "environment": "test"},
}


def value(response, what):
    if not isinstance(response, dict) or response.get("Status") != "Success":
        raise RuntimeError("%s failed: %r" % (what, response))
    return response["Value"]


def login(proxy, password, deadline):
    """Retries while the daemon's services are still coming up."""
    last = None
    while time.time() < deadline:
        try:
            return value(proxy.session.login_with_password("root", password), "session.login_with_password")
        except (OSError, RuntimeError, xmlrpc.client.ProtocolError, xmlrpc.client.Fault) as e:
            last = e
            time.sleep(0.5)
    raise RuntimeError("could not log in before the deadline: %s" % last)


def raw_post(port, body, timeout):
    """The exact bytes the daemon answers, read without decoding."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", "/", body=body, headers={"Content-Type": "text/xml"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError("VM.get_record answered HTTP %d" % response.status)
        return data
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True, help="the daemon's Xen API port on 127.0.0.1")
    parser.add_argument("--password-env", default="XEND_ROOT_PASSWORD",
                        help="environment variable holding root's password")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--timeout", type=float, default=60, help="seconds allowed for the whole preparation")
    args = parser.parse_args()

    password = os.environ.get(args.password_env)
    if not password:
        raise SystemExit("the environment variable %s is not set" % args.password_env)
    deadline = time.time() + args.timeout
    proxy = xmlrpc.client.ServerProxy("http://127.0.0.1:%d/" % args.port, allow_none=False)
    session = login(proxy, password, deadline)
    vm = value(proxy.VM.create(session, GUEST), "VM.create")
    value(proxy.VM.start(session, vm, False), "VM.start")
    power_state = value(proxy.VM.get_power_state(session, vm), "VM.get_power_state")
    if power_state != "Running":
        raise SystemExit("the benchmark VM is %s, not Running" % power_state)

    request = xmlrpc.client.dumps((session, vm), "VM.get_record").encode("utf-8")
    response = raw_post(args.port, request, max(1.0, deadline - time.time()))
    decoded, _ = xmlrpc.client.loads(response)
    record = value(decoded[0], "VM.get_record")
    if record.get("uuid") != vm or record.get("other_config") != GUEST["other_config"]:
        raise SystemExit("VM.get_record returned an unexpected record: %r" % (record,))

    with open(os.path.join(args.out_dir, "get_record.request.xml"), "wb") as f:
        f.write(request)
    with open(os.path.join(args.out_dir, "get_record.response.xml"), "wb") as f:
        f.write(response)
    print("session=%s vm=%s fields=%d request_bytes=%d response_bytes=%d"
          % (session, vm, len(record), len(request), len(response)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
