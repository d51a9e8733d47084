#!/usr/bin/env python3
"""Turns the RESULT lines of LoadGenerator runs into the markdown tables of docs/PERFORMANCE.md.

    summarize.py results.txt

Figures are medians over the rounds; ratios are the median of the per-round ratios (both servers measured in the
same round, minutes apart at most), with their range. The targets are checked at the largest client count.
"""
import re
import statistics
import sys
from collections import defaultdict

NAMES = {
    "daemon": "Xend daemon (Karaf, Netty front door)",
    "daemon-https": "Xend daemon over HTTPS (TLS 1.3, JDK provider)",
    "daemon-unix": "Xend daemon over its Unix socket",
    "standalone": "same front door + dispatcher, plain JVM (no Karaf)",
    "python": "Python `SimpleXMLRPCServer` + `ThreadingMixIn` (Xend's transport)",
    "ceiling": "JDK `HttpServer`, pre-encoded bytes (JVM ceiling)",
}
ORDER = ["daemon", "daemon-https", "daemon-unix", "standalone", "python", "ceiling"]
TARGET_CEILING_SHARE = 0.60
TARGET_PYTHON_FACTOR = 4.0
TARGET_CPU_MICROS = 50.0

LINE = re.compile(r"^RESULT (.*)$")


def parse(path):
    runs = []
    with open(path) as f:
        for line in f:
            m = LINE.match(line.strip())
            if not m:
                continue
            fields = dict(item.split("=", 1) for item in m.group(1).split())
            run = {"round": int(fields.get("round", "0"))}
            for key, val in fields.items():
                if key in ("label",):
                    run[key] = val
                elif key in ("clients", "requests", "errors", "warmup_errors", "reconnects", "round"):
                    run[key] = int(val)
                else:
                    run[key] = float(val)
            runs.append(run)
    return runs


def median(values):
    return statistics.median(values) if values else float("nan")


def fmt_int(v):
    return "{:,.0f}".format(v)


def fmt_ms(us):
    return "%.2f ms" % (us / 1000.0) if us >= 1000 else "%.0f µs" % us


def per_round_ratio(runs, a, b, clients, key, invert=False):
    by_round = defaultdict(dict)
    for r in runs:
        if r["clients"] == clients:
            by_round[r["round"]][r["label"]] = r[key]
    ratios = []
    for figures in by_round.values():
        if a in figures and b in figures and figures[b] > 0 and figures[a] > 0:
            ratios.append(figures[b] / figures[a] if invert else figures[a] / figures[b])
    return ratios


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: summarize.py RESULTS_FILE")
    runs = parse(sys.argv[1])
    if not runs:
        raise SystemExit("no RESULT lines in " + sys.argv[1])
    groups = defaultdict(list)
    for r in runs:
        groups[(r["label"], r["clients"])].append(r)
    labels = [l for l in ORDER if any(k[0] == l for k in groups)] + \
             sorted({k[0] for k in groups} - set(ORDER))
    client_counts = sorted({k[1] for k in groups})

    print("| server | clients | req/s | p50 | p99 | server CPU / request | of which kernel | errors | rounds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    medians = {}
    for label in labels:
        for clients in client_counts:
            g = groups.get((label, clients))
            if not g:
                continue
            rps = median([r["rps"] for r in g])
            cpu_values = [r["server_cpu_us"] for r in g if r["server_cpu_us"] >= 0]
            cpu = median(cpu_values) if cpu_values else -1
            sys_values = [r["server_sys_us"] for r in g if r.get("server_sys_us", -1) >= 0]
            kernel = median(sys_values) if sys_values else -1
            medians[(label, clients)] = (rps, cpu)
            print("| %s | %d | %s | %s | %s | %s | %s | %d | %d |" % (
                NAMES.get(label, label), clients, fmt_int(rps), fmt_ms(median([r["p50_us"] for r in g])),
                fmt_ms(median([r["p99_us"] for r in g])), "%.1f µs" % cpu if cpu >= 0 else "n/a",
                "%.1f µs" % kernel if kernel >= 0 else "n/a",
                sum(r["errors"] for r in g), len(g)))

    print()
    print("| ratio | " + " | ".join("%d client%s" % (c, "" if c == 1 else "s") for c in client_counts) + " |")
    print("|---|" + "---:|" * len(client_counts))
    for a, b, text in (("daemon", "ceiling", "daemon / ceiling, throughput"),
                       ("daemon", "python", "daemon / Python, throughput"),
                       ("standalone", "ceiling", "standalone / ceiling, throughput"),
                       ("daemon", "standalone", "daemon / standalone, throughput"),
                       ("daemon-unix", "daemon", "Unix socket / HTTP, throughput"),
                       ("daemon-https", "daemon", "HTTPS / HTTP, throughput")):
        cells = []
        for c in client_counts:
            ratios = per_round_ratio(runs, a, b, c, "rps")
            if not ratios:
                cells.append("n/a")
            else:
                cells.append("%.2f (%.2f–%.2f)" % (median(ratios), min(ratios), max(ratios)))
        if any(cell != "n/a" for cell in cells):
            print("| %s | %s |" % (text, " | ".join(cells)))

    top = client_counts[-1]
    if ("daemon", top) in medians:
        print()
        print("Targets at %d clients:" % top)
        share = per_round_ratio(runs, "daemon", "ceiling", top, "rps")
        factor = per_round_ratio(runs, "daemon", "python", top, "rps")
        cpu = medians[("daemon", top)][1]
        if share:
            print("- throughput >= %.0f %% of the ceiling: %.0f %% -> %s" % (
                TARGET_CEILING_SHARE * 100, median(share) * 100,
                "met" if median(share) >= TARGET_CEILING_SHARE else "MISSED"))
        if factor:
            print("- throughput >= %.0fx the Python server: %.1fx -> %s" % (
                TARGET_PYTHON_FACTOR, median(factor), "met" if median(factor) >= TARGET_PYTHON_FACTOR else "MISSED"))
        if cpu >= 0:
            print("- server CPU <= %.0f µs per request: %.1f µs -> %s" % (
                TARGET_CPU_MICROS, cpu, "met" if cpu <= TARGET_CPU_MICROS else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
