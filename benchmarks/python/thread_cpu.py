#!/usr/bin/env python3
"""CPU time of a process's threads, grouped by thread name, between two snapshots of /proc/<pid>/task/*/stat.

    thread_cpu.py snapshot PID > before.txt
    ... load ...
    thread_cpu.py snapshot PID > after.txt
    thread_cpu.py diff before.txt after.txt [--cycles N]

Names are the kernel's (15 characters); trailing numbers are dropped so that a pool counts as one group
("xend-xmlrpc-call-3" and "GC Thread#1" fall into "xend-xmlrpc-call-" and "GC Thread#"). It separates the work of
request threads from what JFR's execution samples do not see: JIT compiler threads, GC threads, and time in the
kernel. Threads that ended between the snapshots are missing from the second one: their CPU is not counted.
"""
import argparse
import os
import re
import sys
from collections import defaultdict


def snapshot(pid):
    tick_ns = 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    for tid in sorted(os.listdir("/proc/%d/task" % pid), key=int):
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        print("%s\t%d\t%d\t%s" % (tid, int(fields[11]) * tick_ns, int(fields[12]) * tick_ns, name))


def load(path):
    threads = {}
    with open(path) as f:
        for line in f:
            tid, user, system, name = line.rstrip("\n").split("\t", 3)
            threads[tid] = (int(user), int(system), name)
    return threads


def group(name):
    return re.sub(r"\d+$", "", name) or name


def diff(before_path, after_path, cycles):
    before, after = load(before_path), load(after_path)
    user, system = defaultdict(int), defaultdict(int)
    for tid, (u, s, name) in after.items():
        u0, s0, _ = before.get(tid, (0, 0, name))
        user[group(name)] += u - u0
        system[group(name)] += s - s0
    total = sum(user.values()) + sum(system.values())
    if total <= 0:
        print("No CPU time was used between the snapshots.")
        return 0
    unit = "per cycle" if cycles > 0 else "in total"
    print("| threads | CPU %s | of which kernel | share |" % unit)
    print("|---|---:|---:|---:|")
    for name in sorted(user, key=lambda n: -(user[n] + system[n])):
        spent = user[name] + system[name]
        if spent * 200 < total:
            continue  # under half a percent
        scale = cycles if cycles > 0 else 1
        print("| `%s` | %.0f µs | %.0f µs | %.1f %% |" % (name, spent / 1000 / scale, system[name] / 1000 / scale,
                                                        100.0 * spent / total))
    scale = cycles if cycles > 0 else 1
    print("| all | %.0f µs | %.0f µs | 100 %% |" % (total / 1000 / scale, sum(system.values()) / 1000 / scale))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("pid", type=int)
    d = sub.add_parser("diff")
    d.add_argument("before")
    d.add_argument("after")
    d.add_argument("--cycles", type=int, default=0)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.pid)
        return 0
    return diff(args.before, args.after, args.cycles)


if __name__ == "__main__":
    sys.exit(main())
