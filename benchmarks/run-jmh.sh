#!/usr/bin/env bash
# JMH benchmarks of the daemon's VM.get_record hot path (dispatcher, XML-RPC decode and encode), without HTTP.
#
#   benchmarks/run-jmh.sh                 # builds the JMH jar, then about 90 s of measurement
#   benchmarks/run-jmh.sh -t 2            # any further arguments go to JMH (here: two threads)
#   benchmarks/run-jmh.sh --no-build ...  # reuse benchmarks/target/xend-benchmarks-*-jmh.jar
#
# Needs the xend-api, xend-core and xend-rpc-xmlrpc artifacts in the local repository (mvn -B -DskipTests install).
# Reports microseconds per call (avgt) and, through JMH's gc profiler, bytes allocated per call (gc.alloc.rate.norm).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA=${JAVA:-java}
BUILD=1
if [ "${1:-}" = "--no-build" ]; then
    BUILD=0
    shift
fi

if [ "$BUILD" = 1 ]; then
    (cd "$ROOT" && timeout 600 mvn -B -q -pl benchmarks -Pjmh -DskipTests package)
fi
shopt -s nullglob
jars=("$ROOT"/benchmarks/target/xend-benchmarks-*-jmh.jar)
[ ${#jars[@]} -eq 1 ] || { echo "expected one JMH jar in benchmarks/target, found ${#jars[@]}" >&2; exit 1; }

OUT="$ROOT/benchmarks/target/jmh-$(date -u +%Y%m%dT%H%M%SZ).txt"
echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC')," \
    "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT"
# Short but stable enough on a shared machine: 1 fork, 3 x 2 s warm-up, 5 x 2 s measurement per benchmark.
# The benchmark JVM runs with -Xmx512m to keep the heap (and GC work) like a daemon's, not the machine's.
timeout 1800 "$JAVA" -jar "${jars[0]}" -f 1 -wi 3 -w 2s -i 5 -r 2s -bm avgt -tu us -prof gc \
    -jvmArgsAppend "-Xmx512m" "$@" 2>&1 | tee -a "$OUT"
echo "saved in $OUT"
