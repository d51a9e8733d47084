#!/usr/bin/env python3
"""Turns the RESULT lines of benchmarks/run-api-surface.sh into the markdown tables of docs/PERFORMANCE.md.

    summarize_api_surface.py results.txt

One table per kind of measurement: VM.get_all_records per store size (with the VM.create rate that filled the
store and what Python's xmlrpc.client waits for the same call), event.from latency per run, and boot and stop
times. Latencies are per call; "from the reply" and "from the send" bound the delivery latency from below and
above (the change commits between the two).
"""
import re
import sys

LINE = re.compile(r"^RESULT (.*)$")


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if m:
                rows.append(dict(item.split("=", 1) for item in m.group(1).split()))
    return rows


def ms(us):
    v = float(us)
    if v >= 100_000:
        return "%.0f ms" % (v / 1000)
    if v >= 10_000:
        return "%.1f ms" % (v / 1000)
    return "%.2f ms" % (v / 1000)


def megabytes(n):
    return "%.1f MB" % (int(n) / 1e6)


def by_kind(rows, kind):
    return [r for r in rows if r.get("kind") == kind]


def get_all_table(rows):
    populated = {}
    made = 0
    for r in by_kind(rows, "populate"):
        made += int(r["created"])
        populated[made] = r
    python = {int(r["vms"]): r for r in by_kind(rows, "python_get_all_records")}
    out = ["| VMs in the listing | response | p50 | p99 | server CPU per call | Python `xmlrpc.client`, decode included"
           " (median of 3) | VM.create that filled the store |",
           "|---:|---:|---:|---:|---:|---:|---|"]
    for r in by_kind(rows, "get_all_records"):
        if not r["label"].startswith("vms-"):
            continue
        vms = int(r["vms"])
        made_here = int(r["label"][len("vms-"):])
        pop = populated.get(made_here)
        pop_text = ("%s VMs at %.0f/s (%d clients), p50 %s, p99 %s"
                    % ("{:,}".format(int(pop["created"])), float(pop["per_second"]), int(pop["clients"]),
                       ms(pop["p50_us"]), ms(pop["p99_us"]))) if pop else ""
        py = python.get(vms)
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            "{:,}".format(vms), megabytes(r["response_bytes"]), ms(r["p50_us"]), ms(r["p99_us"]),
            "%.1f ms" % float(r["server_cpu_ms"]) if float(r["server_cpu_ms"]) >= 0 else "n/a",
            ms(py["p50_us"]) if py else "", pop_text))
    return out


def event_table(rows):
    out = ["| run | delivery p50, from the reply | p99 | p50, from the send | p99 | the changing call, p50 |"
           " event.from calls per change |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for r in by_kind(rows, "event_from"):
        out.append("| %s (%s changes) | %s | %s | %s | %s | %s | %s |" % (
            r["label"], r["changes"], ms(r["reply_p50_us"]), ms(r["reply_p99_us"]), ms(r["send_p50_us"]),
            ms(r["send_p99_us"]), ms(r["call_p50_us"]), r["event_from_calls_per_change"]))
    return out


def boot_table(rows):
    out = ["| boot | VMs | ready (port open and domain layer up) after | preceding stop (SIGTERM to exit) |", "|---|---:|---:|---:|"]
    for r in by_kind(rows, "boot"):
        out.append("| %s | %s | %.1f s | %s |" % (
            r["label"], "{:,}".format(int(r["vms"])), int(r["boot_ms"]) / 1000,
            "%.1f s" % (int(r["stop_ms"]) / 1000) if "stop_ms" in r else ""))
    return out


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    rows = parse(sys.argv[1])
    if not rows:
        raise SystemExit("no RESULT lines in " + sys.argv[1])
    for table in (get_all_table(rows), event_table(rows), boot_table(rows)):
        print("\n".join(table))
        print()


if __name__ == "__main__":
    main()
