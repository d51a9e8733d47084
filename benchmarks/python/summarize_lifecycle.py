#!/usr/bin/env python3
"""Turns the output of benchmarks/run-lifecycle.sh into the markdown tables of docs/PERFORMANCE.md.

    summarize_lifecycle.py results.txt
        RESULT lines (LifecycleLoadGenerator, libvirt_lifecycle.py) and SYSCALLS lines (strace -c counts):
        figures are medians over the rounds; ratios are the median of the per-round ratios (both systems measured
        in the same round, a minute or two apart), with their range.
    summarize_lifecycle.py --sync-paths strace.txt --cycles N [--state-dir DIR]
        an `strace -f -y -T -e trace=fsync,fdatasync` log: the files synced, per cycle, with the time they took.
"""
import argparse
import re
import statistics
import sys
from collections import defaultdict

NAMES = {
    "daemon": "Xend daemon (Karaf, Xen API over HTTP on its Unix socket, simulated hypervisor): create → start →"
              " hard_shutdown → destroy",
    "daemon-tcp": "Xend daemon, the same over HTTP on loopback TCP",
    "libvirtd": "libvirt test driver through libvirtd (Unix socket): define → create → destroy → undefine",
    "inproc": "libvirt test driver in process (`test:///default`): same cycle",
}
ORDER = ["daemon", "daemon-tcp", "libvirtd", "inproc"]
DAEMONS = ["daemon", "daemon-tcp"]
LINE = re.compile(r"^(RESULT|SYSCALLS) (.*)$")
# run-lifecycle.sh's header line naming the file system of the work directory, where the daemon's state is
STATE_ON_TMPFS = re.compile(r"^# work directory on tmpfs\b")
INTEGER_KEYS = {"clients", "cycles", "errors", "warmup_errors", "total_cycles", "leftover_vms", "round"}


def parse(path):
    runs, syscalls = [], []
    on_tmpfs = False
    with open(path) as f:
        for line in f:
            on_tmpfs = on_tmpfs or bool(STATE_ON_TMPFS.match(line))
            m = LINE.match(line.strip())
            if not m:
                continue
            fields = dict(item.split("=", 1) for item in m.group(2).split())
            if m.group(1) == "SYSCALLS":
                syscalls.append(fields)
                continue
            run = {}
            for key, val in fields.items():
                if key in ("label", "ops"):
                    run[key] = val
                elif key in INTEGER_KEYS:
                    run[key] = int(val)
                else:
                    run[key] = float(val)
            run.setdefault("round", 0)
            runs.append(run)
    return runs, syscalls, on_tmpfs


def median(values):
    return statistics.median(values) if values else float("nan")


def fmt_ms(us):
    if us < 0:
        return "n/a"
    return "%.2f ms" % (us / 1000.0) if us >= 1000 else "%.0f µs" % us


def fmt_cpu(us):
    return "n/a" if us < 0 else "%.0f µs" % us


def per_round_ratios(runs, a, a_clients, b, b_clients):
    by_round = defaultdict(dict)
    for r in runs:
        by_round[r["round"]][(r["label"], r["clients"])] = r["cps"]
    ratios = []
    for figures in by_round.values():
        x, y = figures.get((a, a_clients)), figures.get((b, b_clients))
        if x and y:
            ratios.append(x / y)
    return ratios


def against_libvirtd(runs, client_counts):
    """(daemon label, clients, per-round ratios to libvirtd at as many clients), for each pair measured."""
    for daemon in DAEMONS:
        for c in client_counts:
            ratios = per_round_ratios(runs, daemon, c, "libvirtd", c)
            if ratios:
                yield daemon, c, ratios


def ratio_cell(ratios):
    if not ratios:
        return "n/a"
    return "%.2f (%.2f–%.2f)" % (median(ratios), min(ratios), max(ratios))


def summarize(path):
    runs, syscalls, on_tmpfs = parse(path)
    if not runs:
        raise SystemExit("no RESULT lines in " + path)
    groups = defaultdict(list)
    for r in runs:
        groups[(r["label"], r["clients"])].append(r)
    labels = [l for l in ORDER if any(k[0] == l for k in groups)] + sorted({k[0] for k in groups} - set(ORDER))
    client_counts = sorted({k[1] for k in groups})
    keys = [(l, c) for l in labels for c in client_counts if (l, c) in groups]

    print("| system | clients | cycles/s | cycle p50 | cycle p99 | server CPU / cycle | of which kernel"
          " | client CPU / cycle | errors | rounds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in keys:
        g = groups[key]
        print("| %s | %d | **%s** | %s | %s | %s | %s | %s | %d | %d |" % (
            NAMES.get(key[0], key[0]), key[1], "{:,.0f}".format(median([r["cps"] for r in g])),
            fmt_ms(median([r["cycle_p50_us"] for r in g])), fmt_ms(median([r["cycle_p99_us"] for r in g])),
            fmt_cpu(median([r["server_cpu_us"] for r in g])), fmt_cpu(median([r["server_sys_us"] for r in g])),
            fmt_cpu(median([r["client_cpu_us"] for r in g])),
            sum(r["errors"] for r in g), len(g)))

    print()
    print("Per call, p50 / p99 (medians over the rounds):")
    print()
    print("| system | clients | call 1 | call 2 | call 3 | call 4 |")
    print("|---|---:|---|---|---|---|")
    for key in keys:
        g = groups[key]
        cells = []
        for op in g[0]["ops"].split(","):
            cells.append("`%s` %s / %s" % (op, fmt_ms(median([r[op + "_p50_us"] for r in g])),
                                          fmt_ms(median([r[op + "_p99_us"] for r in g]))))
        print("| %s | %d | %s |" % (key[0], key[1], " | ".join(cells)))

    print()
    print("| ratio of cycles/s (median of the per-round ratios, range) | value |")
    print("|---|---:|")
    for daemon, c, ratios in against_libvirtd(runs, client_counts):
        print("| %s / libvirtd, %d client%s | %s |" % (daemon, c, "" if c == 1 else "s", ratio_cell(ratios)))
    for daemon in DAEMONS:
        for c in client_counts:
            ratios = per_round_ratios(runs, daemon, c, "inproc", 1)
            if ratios:
                print("| %s at %d client%s / libvirt in process | %s |" % (daemon, c, "" if c == 1 else "s",
                                                                         ratio_cell(ratios)))
    for c in client_counts:
        ratios = per_round_ratios(runs, "daemon", c, "daemon-tcp", c)
        if ratios:
            print("| daemon on its Unix socket / over TCP, %d client%s | %s |" % (c, "" if c == 1 else "s",
                                                                                ratio_cell(ratios)))
    ratios = per_round_ratios(runs, "libvirtd", 1, "inproc", 1)
    if ratios:
        print("| libvirtd, 1 client / libvirt in process | %s |" % ratio_cell(ratios))
    if len(client_counts) > 1:
        top = client_counts[-1]
        for label in ("daemon", "daemon-tcp", "libvirtd"):
            ratios = per_round_ratios(runs, label, top, label, client_counts[0])
            if ratios:
                print("| %s, %d clients / %d client | %s |" % (label, top, client_counts[0], ratio_cell(ratios)))

    if syscalls:
        print()
        print("| system (under strace) | clients | cycles | fsync / cycle | fdatasync / cycle | renames / cycle"
              " | unlinks + rmdirs / cycle | mkdirs / cycle |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for s in syscalls:
            cycles = int(s.get("cycles") or 0)

            def per(*names):
                n = sum(int(s.get(name, 0)) for name in names)
                return "%.2f" % (n / cycles) if cycles else "n/a"
            print("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
                s["label"], s["clients"], cycles, per("fsync"), per("fdatasync"),
                per("rename", "renameat", "renameat2"), per("unlink", "unlinkat", "rmdir"), per("mkdir", "mkdirat")))

    print()
    if on_tmpfs:
        print("The daemon's state directory was on tmpfs, where fsync costs nothing and nothing survives a power")
        print("loss: these figures show the daemon without the cost of durability, and do not judge the target.")
        return 0
    print("Target: at least the daemon-backed libvirt figure, with every mutation durable (judged transport for")
    print("transport: the daemon on its Unix socket against libvirtd on its own; over TCP for information):")
    for daemon, c, ratios in against_libvirtd(runs, client_counts):
        ours = median([r["cps"] for r in groups[(daemon, c)]])
        theirs = median([r["cps"] for r in groups[("libvirtd", c)]])
        verdict = "met" if median(ratios) >= 1.0 else "MISSED"
        print("- %s, %d client%s: %s vs %s cycles/s, ratio %.2f -> %s" % (
            daemon, c, "" if c == 1 else "s", "{:,.0f}".format(ours), "{:,.0f}".format(theirs),
            median(ratios), verdict if daemon == "daemon" else verdict.lower() + " (not judged)"))
    errors = sum(r["errors"] for r in runs)
    leftovers = sum(r["leftover_vms"] for r in runs)
    print("- errors in measured windows: %d; VMs or domains left behind: %d" % (errors, leftovers))
    return 0


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SYNC_CALL = re.compile(r"^(\d+)\s+(fsync|fdatasync|pwrite64)\((\d+)<([^>]*)>(.*)$")
RESUMED = re.compile(r"^(\d+)\s+<\.\.\. (fsync|fdatasync|pwrite64) resumed>(.*)$")
# The files the daemon opens with O_DSYNC: a write to them is a sync (the configuration journal's commits).
DSYNC_FILES = re.compile(r"/domains/journal$")
ELAPSED = re.compile(r"<(\d+\.\d+)>\s*$")


def normalize(path, state_dir):
    if state_dir and path.startswith(state_dir):
        path = "…" + path[len(state_dir):]
    path = UUID.sub("<uuid>", path)
    # temporary files carry random parts: .config.sxp123456789.tmp, .xenstore.tree.tmp-9a1a2a9ea419b03f
    path = re.sub(r"\.tmp-[0-9A-Za-z]+$", ".tmp-X", path)
    return re.sub(r"\d{4,}", "N", path)


def sync_paths(trace, cycles, state_dir):
    pending = {}
    counts = defaultdict(int)
    seconds = defaultdict(float)
    with open(trace) as f:
        for line in f:
            line = line.strip()
            m = SYNC_CALL.match(line)
            if m:
                pid, call, _fd, path, rest = m.groups()
                if call == "pwrite64" and not DSYNC_FILES.search(path):
                    continue
                key = ("pwrite64 (O_DSYNC)" if call == "pwrite64" else call, normalize(path, state_dir))
                if "<unfinished" in rest:
                    pending[pid] = key
                    continue
            else:
                m = RESUMED.match(line)
                if not m or m.group(1) not in pending:
                    continue
                key = pending.pop(m.group(1))
                rest = m.group(3)
            counts[key] += 1
            t = ELAPSED.search(rest)
            if t:
                seconds[key] += float(t.group(1))
    if not counts or cycles <= 0:
        print("No sync was traced (or no cycle completed).")
        return 0
    total = sum(counts.values())
    print("Files the daemon synced, or wrote with O_DSYNC, during %d cycles at 1 client (strace -y -T; times are"
          " inflated by strace):" % cycles)
    print()
    print("| call | file | per cycle | mean time | time per cycle |")
    print("|---|---|---:|---:|---:|")
    for key in sorted(counts, key=lambda k: -counts[k]):
        n = counts[key]
        print("| %s | `%s` | %.2f | %.2f ms | %.2f ms |" % (key[0], key[1], n / cycles, seconds[key] / n * 1000,
                                                           seconds[key] / cycles * 1000))
    print("| all | | %.2f | %.2f ms | %.2f ms |" % (total / cycles, sum(seconds.values()) / total * 1000,
                                                    sum(seconds.values()) / cycles * 1000))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="?")
    parser.add_argument("--sync-paths", metavar="STRACE_LOG")
    parser.add_argument("--cycles", type=int, default=0)
    parser.add_argument("--state-dir", default="")
    args = parser.parse_args()
    if args.sync_paths:
        return sync_paths(args.sync_paths, args.cycles, args.state_dir)
    if not args.results:
        parser.error("give the results file, or --sync-paths")
    return summarize(args.results)


if __name__ == "__main__":
    sys.exit(main())
