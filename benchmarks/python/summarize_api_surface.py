#!/usr/bin/env python3
"""Turns the RESULT lines of benchmarks/run-api-surface.sh into the markdown tables of docs/PERFORMANCE.md.

    summarize_api_surface.py results.txt [more-results.txt ...]

One table per kind of measurement: VM.get_all_records per store size (with what Python's xmlrpc.client waits for
the same call, and the VM.create rate that filled the store), event.from latency per run, and boot and stop times.
With several result files (several runs), each cell is the median over the runs with the range in brackets.
Delivery latencies "from the reply" and "from the send" bound the true latency from below and above: the change
commits between the two.
"""
import re
import statistics
import sys
from collections import defaultdict

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
    v = us / 1000.0
    if v >= 100:
        return "%.0f ms" % v
    if v >= 10:
        return "%.1f ms" % v
    return "%.2f ms" % v


def seconds(msec):
    return "%.1f s" % (msec / 1000.0)


def per_second(v):
    return "%.0f/s" % v


def megabytes(n):
    return "%.1f MB" % (n / 1e6)


def cell(values, fmt):
    """The median, and the range when the runs disagree."""
    values = [v for v in values if v is not None]
    if not values:
        return ""
    med = fmt(statistics.median(values))
    if len(values) == 1:
        return med
    low, high = fmt(min(values)), fmt(max(values))
    return med if low == high else "%s (%s–%s)" % (med, low, high)


class Runs:
    """The RESULT rows of every run, looked up by kind and label."""

    def __init__(self, runs):
        self.runs = runs

    def values(self, kind, label, key, convert=float):
        out = []
        for rows in self.runs:
            for r in rows:
                if r.get("kind") == kind and r.get("label") == label and key in r:
                    out.append(convert(r[key]))
        return out

    def labels(self, kind):
        seen = []
        for rows in self.runs:
            for r in rows:
                if r.get("kind") == kind and r["label"] not in seen:
                    seen.append(r["label"])
        return seen


def get_all_table(runs):
    out = ["| VMs in the listing | response | p50 | p99 | server CPU per call | Python `xmlrpc.client`, decode"
           " included | VM.create filling the store (4 clients) | VM.create p50 / p99 |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label in runs.labels("get_all_records"):
        if not label.startswith("vms-"):
            continue
        size = label[len("vms-"):]
        vms = runs.values("get_all_records", label, "vms", int)
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            "{:,}".format(vms[0]),
            cell(runs.values("get_all_records", label, "response_bytes"), megabytes),
            cell(runs.values("get_all_records", label, "p50_us"), ms),
            cell(runs.values("get_all_records", label, "p99_us"), ms),
            cell([v * 1000 for v in runs.values("get_all_records", label, "server_cpu_ms") if v >= 0], ms),
            cell(runs.values("python_get_all_records", "python-%d" % vms[0], "p50_us"), ms),
            cell(runs.values("populate", "populate-" + size, "per_second"), per_second),
            cell(runs.values("populate", "populate-" + size, "p50_us"), ms),
            cell(runs.values("populate", "populate-" + size, "p99_us"), ms)))
    return out


def event_table(runs):
    out = ["| run | delivery p50, from the reply | p99 | p50, from the send | p99 | the changing call, p50 |",
           "|---|---:|---:|---:|---:|---:|"]
    for label in runs.labels("event_from"):
        changes = runs.values("event_from", label, "changes", int)
        out.append("| %s (%d changes) | %s | %s | %s | %s | %s |" % (
            label, changes[0],
            cell(runs.values("event_from", label, "reply_p50_us"), ms),
            cell(runs.values("event_from", label, "reply_p99_us"), ms),
            cell(runs.values("event_from", label, "send_p50_us"), ms),
            cell(runs.values("event_from", label, "send_p99_us"), ms),
            cell(runs.values("event_from", label, "call_p50_us"), ms)))
    return out


def boot_table(runs):
    out = ["| boot | VMs | ready (port open and domain layer up) after | preceding stop (SIGTERM to exit) |",
           "|---|---:|---:|---:|"]
    for label in runs.labels("boot"):
        vms = runs.values("boot", label, "vms", int)
        out.append("| %s | %s | %s | %s |" % (
            label, "{:,}".format(vms[0]), cell(runs.values("boot", label, "boot_ms"), seconds),
            cell(runs.values("boot", label, "stop_ms"), seconds)))
    return out


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    runs = Runs([parse(p) for p in sys.argv[1:]])
    if not any(runs.runs):
        raise SystemExit("no RESULT lines in " + " ".join(sys.argv[1:]))
    if len(runs.runs) > 1:
        print("Medians over %d runs, with the range in brackets.\n" % len(runs.runs))
    for table in (get_all_table(runs), event_table(runs), boot_table(runs)):
        print("\n".join(table))
        print()


if __name__ == "__main__":
    main()
