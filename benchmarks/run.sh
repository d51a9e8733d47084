#!/usr/bin/env bash
# Measures VM.get_record over keep-alive HTTP against the Xend daemon and its baselines, and prints the tables of
# docs/PERFORMANCE.md. One command, bounded in time; every process it starts is stopped on exit, even on failure.
#
#   mvn -B -DskipTests install      # once: the bundles and karaf-distribution/target/assembly
#   benchmarks/run.sh               # about 9 minutes with the defaults
#
# Servers, each measured with 1 and 8 clients in every round (rounds interleave the servers):
#   daemon      the assembly started with bin/karaf server (a copy, with its own state directory and ports)
#   daemon-https  the same daemon over HTTPS (its generated self-signed certificate as the client's CA)
#   daemon-unix   the same daemon over its Unix socket <socketDir>/xen-api.sock
#   standalone  the same Netty front door and dispatcher in a plain JVM (StandaloneFrontDoor), no Karaf
#   python      benchmarks/python/xend_style_server.py: SimpleXMLRPCServer + ThreadingMixIn, Xend's transport
#   ceiling     CeilingServer: the JDK's HttpServer replaying the daemon's response bytes (TCP_NODELAY on)
#
# Options:
#   --rounds N         rounds (default 3)            --warmup S    seconds before each measurement (default 3)
#   --duration S       measured seconds (default 10) --clients "1 8"
#   --servers "daemon daemon-https daemon-unix standalone python ceiling"
#                      (the daemon is always started: it provides the record)
#   --jfr              also record the daemon with JFR during one extra 8-client run and print where it spends time
#   --no-build         use benchmarks/target as it is   --keep   keep the work directory
# Environment: XEND_ASSEMBLY (default karaf-distribution/target/assembly), PYTHON (default python3), JAVA (java).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/benchmarks"
ASSEMBLY=${XEND_ASSEMBLY:-$ROOT/karaf-distribution/target/assembly}
PYTHON=${PYTHON:-python3}
JAVA=${JAVA:-java}
ROUNDS=3
WARMUP=3
DURATION=10
CLIENTS="1 8"
SERVERS="daemon daemon-https daemon-unix standalone python ceiling"
JFR=0
BUILD=1
KEEP=0
BOOT_TIMEOUT=180

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-64}"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        --jfr) JFR=1; shift ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage ;;
    esac
done
for n in "$ROUNDS" "$WARMUP" "$DURATION"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "rounds, warm-up and duration must be whole numbers" >&2; exit 64; }
done
[ "$DURATION" -gt 0 ] && [ "$ROUNDS" -gt 0 ] || { echo "rounds and duration must be positive" >&2; exit 64; }

# log, die, stop_pid, free_ports, port_open, wait_port, daemon_jvm_pid
. "$ROOT/benchmarks/lib.sh"

[ -x "$ASSEMBLY/bin/karaf" ] || die "no assembly at $ASSEMBLY: build it first with 'mvn -B -DskipTests install'"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
command -v "$JAVA" >/dev/null || die "$JAVA not found"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xend-bench.XXXXXX")
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="$BENCH/target/run-$STAMP"
mkdir -p "$OUT"
STARTED_PIDS=()

# Stops one process: SIGTERM, up to $2 seconds of grace, then SIGKILL.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    # newest first: load generators, baselines, then the daemon (which gets longer to stop cleanly)
    for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${STARTED_PIDS[$i]}
        stop_pid "$pid" 20
    done
    if [ -n "${LOADGEN_PID:-}" ]; then
        stop_pid "$LOADGEN_PID" 2
    fi
    if [ -n "${DAEMON_PID:-}" ]; then
        stop_pid "$DAEMON_PID" 20
    fi
    if [ "$KEEP" = 1 ]; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# The pid a server printed in its "listening ... (pid N" line.
printed_pid() {
    local logfile=$1 i
    for ((i = 0; i < 300; i++)); do
        if grep -q "(pid [0-9]*" "$logfile" 2>/dev/null; then
            grep -o "(pid [0-9]*" "$logfile" | head -1 | grep -o "[0-9]*$"
            return 0
        fi
        sleep 0.1
    done
    return 1
}

# ---- build ----
CLASSPATH_FILE="$WORK/classpath.txt"
if [ "$BUILD" = 1 ]; then
    log "building the benchmark module"
    (cd "$ROOT" && timeout 600 mvn -B -q -pl benchmarks -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$CLASSPATH_FILE" -DincludeScope=runtime) >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; die "the benchmark module did not build"; }
else
    (cd "$ROOT" && timeout 300 mvn -B -q -o -pl benchmarks dependency:build-classpath \
        -Dmdep.outputFile="$CLASSPATH_FILE" -DincludeScope=runtime) >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; die "could not compute the benchmark class path"; }
fi
TOOLS_CP="$BENCH/target/classes"
FULL_CP="$TOOLS_CP:$(cat "$CLASSPATH_FILE")"
[ -f "$TOOLS_CP/org/xend/benchmarks/LoadGenerator.class" ] || die "benchmarks/target/classes is not built"

# ---- the daemon ----
read -r XENAPI_PORT LEGACY_PORT SSH_PORT RMI_REGISTRY_PORT RMI_SERVER_PORT PY_PORT CEILING_PORT STANDALONE_PORT \
    TLS_PORT <<<"$(free_ports 9)"
log "copying the assembly to $WORK/karaf"
cp -a "$ASSEMBLY" "$WORK/karaf"
# a fresh Karaf: no cache, lock or pid file from whoever ran the assembly before
rm -rf "$WORK/karaf/data" "$WORK/karaf/lock" "$WORK/karaf/karaf.pid"
mkdir -p "$WORK/state"
ROOT_PASSWORD=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')
export XEND_ROOT_PASSWORD=$ROOT_PASSWORD

log "starting the daemon (Xen API on 127.0.0.1:$XENAPI_PORT)"
BOOT_START_MS=$(($(date +%s%N) / 1000000))
env KARAF_EXEC=exec \
    XEND_STATE_DIR="$WORK/state" \
    XEND_BIND_ADDRESS=127.0.0.1 \
    XEND_XENAPI_PORT="$XENAPI_PORT" \
    XEND_XENAPI_TLS_PORT="$TLS_PORT" \
    XEND_SOCKET_DIR="$WORK/run" \
    XEND_LEGACY_PORT="$LEGACY_PORT" \
    ORG_APACHE_KARAF_SHELL_SSHPORT="$SSH_PORT" \
    ORG_APACHE_KARAF_SHELL_SSHHOST=127.0.0.1 \
    ORG_APACHE_KARAF_MANAGEMENT_RMIREGISTRYPORT="$RMI_REGISTRY_PORT" \
    ORG_APACHE_KARAF_MANAGEMENT_RMISERVERPORT="$RMI_SERVER_PORT" \
    XEND_ROOT_PASSWORD="$ROOT_PASSWORD" \
    "$WORK/karaf/bin/karaf" server >"$WORK/karaf.out" 2>&1 &
LAUNCHER_PID=$!
STARTED_PIDS+=("$LAUNCHER_PID")
wait_port "$XENAPI_PORT" "$LAUNCHER_PID" "$BOOT_TIMEOUT" "the daemon"
DAEMON_PID=$(daemon_jvm_pid "$WORK/karaf")
log "daemon JVM pid $DAEMON_PID, Xen API port open after $(($(date +%s%N) / 1000000 - BOOT_START_MS)) ms"

log "creating and starting the benchmark VM"
timeout 120 "$PYTHON" "$BENCH/python/prepare_vm.py" --port "$XENAPI_PORT" --out-dir "$WORK" --timeout 90 \
    | tee "$WORK/prepare.txt" >&2 || die "preparing the VM failed (daemon log: $WORK/karaf/data/log/karaf.log)"
REQUEST="$WORK/get_record.request.xml"
RESPONSE="$WORK/get_record.response.xml"
cp "$REQUEST" "$RESPONSE" "$OUT/"

# ---- the baselines ----
# EXTRA_OF: the load generator's transport options (none: plain TCP to PORT_OF)
declare -A PORT_OF PID_OF REQUEST_OF EXTRA_OF
PORT_OF[daemon]=$XENAPI_PORT; PID_OF[daemon]=$DAEMON_PID; REQUEST_OF[daemon]=$REQUEST

start_server() {
    local name=$1 port=$2 logfile="$WORK/$1.out"
    shift 2
    "$@" >"$logfile" 2>&1 &
    local launched=$!
    STARTED_PIDS+=("$launched")
    wait_port "$port" "$launched" 60 "$name"
    local pid
    pid=$(printed_pid "$logfile") || die "$name did not report its pid"
    [ "$pid" = "$launched" ] || STARTED_PIDS+=("$pid")
    PORT_OF[$name]=$port
    PID_OF[$name]=$pid
    log "$name listening on 127.0.0.1:$port (pid $pid)"
}

for server in $SERVERS; do
    case "$server" in
        daemon) ;;
        daemon-https)
            wait_port "$TLS_PORT" "$DAEMON_PID" 30 "the daemon's HTTPS listener"
            PORT_OF[$server]=$TLS_PORT; PID_OF[$server]=$DAEMON_PID; REQUEST_OF[$server]=$REQUEST
            EXTRA_OF[$server]="--tls-ca $WORK/state/tls/xen-api.crt" ;;
        daemon-unix)
            [ -S "$WORK/run/xen-api.sock" ] || die "the daemon has no Unix socket at $WORK/run/xen-api.sock"
            PORT_OF[$server]=$XENAPI_PORT; PID_OF[$server]=$DAEMON_PID; REQUEST_OF[$server]=$REQUEST
            EXTRA_OF[$server]="--unix $WORK/run/xen-api.sock" ;;
        python)
            start_server python "$PY_PORT" "$PYTHON" "$BENCH/python/xend_style_server.py" --port "$PY_PORT" \
                --response "$RESPONSE" --request "$REQUEST"
            REQUEST_OF[python]=$REQUEST ;;
        ceiling)
            start_server ceiling "$CEILING_PORT" "$JAVA" -Dsun.net.httpserver.nodelay=true -cp "$TOOLS_CP" \
                org.xend.benchmarks.CeilingServer --port "$CEILING_PORT" --response "$RESPONSE" --threads 8
            REQUEST_OF[ceiling]=$REQUEST ;;
        standalone)
            start_server standalone "$STANDALONE_PORT" "$JAVA" -cp "$FULL_CP" org.xend.benchmarks.StandaloneFrontDoor \
                --port "$STANDALONE_PORT" --write-request "$WORK/get_record.standalone.xml"
            REQUEST_OF[standalone]="$WORK/get_record.standalone.xml" ;;
        *) die "unknown server '$server' (daemon, daemon-https, daemon-unix, standalone, python, ceiling)" ;;
    esac
done

# ---- measurements ----
RESULTS="$OUT/results.txt"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -vc '^??' || true)
{
    echo "# $(date -u '+%Y-%m-%d %H:%M UTC') commit $COMMIT ($DIRTY modified tracked files)"
    echo "# $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# $("$JAVA" -version 2>&1 | head -1); $("$PYTHON" --version 2>&1)"
    echo "# request $(wc -c <"$REQUEST") bytes, daemon response $(wc -c <"$RESPONSE") bytes"
    echo "# rounds $ROUNDS, warm-up $WARMUP s, measured $DURATION s, clients $CLIENTS"
} >"$RESULTS"

measure() {
    local server=$1 clients=$2 round=$3 line
    local extra
    read -r -a extra <<<"${EXTRA_OF[$server]:-}"
    "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LoadGenerator --port "${PORT_OF[$server]}" \
        --request "${REQUEST_OF[$server]}" --clients "$clients" --warmup "$WARMUP" --duration "$DURATION" \
        --server-pid "${PID_OF[$server]}" --label "$server" "${extra[@]}" >"$WORK/loadgen.out" 2>&1 &
    LOADGEN_PID=$!
    # the load generator bounds itself; this is the backstop
    local deadline=$((SECONDS + WARMUP + DURATION + 60))
    while kill -0 "$LOADGEN_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
        sleep 0.2
    done
    if kill -0 "$LOADGEN_PID" 2>/dev/null; then
        die "the load generator against $server did not finish in time"
    fi
    local status=0
    wait "$LOADGEN_PID" || status=$?
    LOADGEN_PID=""
    [ "$status" = 0 ] || { cat "$WORK/loadgen.out" >&2; die "the load generator against $server failed"; }
    head -1 "$WORK/loadgen.out" >&2
    line=$(grep '^RESULT ' "$WORK/loadgen.out") || die "no RESULT from the load generator"
    echo "$line round=$round" >>"$RESULTS"
}

read -r -a SERVER_LIST <<<"$SERVERS"
log "measuring: $ROUNDS round(s) x ${#SERVER_LIST[@]} server(s) x clients {$CLIENTS}, $WARMUP s + $DURATION s each"
for ((round = 1; round <= ROUNDS; round++)); do
    log "round $round"
    # rotate the order so no server always runs first or last in a round
    for ((k = 0; k < ${#SERVER_LIST[@]}; k++)); do
        server=${SERVER_LIST[$(((k + round - 1) % ${#SERVER_LIST[@]}))]}
        for clients in $CLIENTS; do
            measure "$server" "$clients" "$round"
        done
    done
done

if [ "$JFR" = 1 ]; then
    command -v jcmd >/dev/null && command -v jfr >/dev/null || die "--jfr needs jcmd and jfr from the JDK"
    log "profiling the daemon with JFR during one more 8-client run"
    JFR_FILE="$OUT/daemon-8-clients.jfr"
    jcmd "$DAEMON_PID" JFR.start name=xend-bench settings=profile duration=$((WARMUP + DURATION))s \
        filename="$JFR_FILE" >/dev/null
    "$JAVA" -cp "$TOOLS_CP" org.xend.benchmarks.LoadGenerator --port "$XENAPI_PORT" --request "$REQUEST" \
        --clients 8 --warmup "$WARMUP" --duration "$DURATION" --server-pid "$DAEMON_PID" --label daemon-jfr \
        >"$OUT/daemon-jfr-run.txt" 2>&1 || log "the profiled run failed: $(tail -1 "$OUT/daemon-jfr-run.txt")"
    head -1 "$OUT/daemon-jfr-run.txt" >&2
    # the recording is written when its duration ends, just after the load generator
    for ((i = 0; i < 300; i++)); do
        [ -s "$JFR_FILE" ] && break
        sleep 0.1
    done
    sleep 1
    "$PYTHON" "$BENCH/python/jfr_top.py" "$JFR_FILE" --top 30 >"$OUT/daemon-profile.txt" 2>&1 \
        || log "could not summarise the recording"
    log "profile: $OUT/daemon-profile.txt"
fi

log "results: $RESULTS"
{
    echo
    grep '^#' "$RESULTS" | sed 's/^# //'
    echo
    "$PYTHON" "$BENCH/python/summarize.py" "$RESULTS"
} | tee "$OUT/summary.md"
