# Shell helpers shared by the benchmark scripts (sourced; not run on its own).
# They expect PYTHON to name a Python 3.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

stop_pid() {
    local pid=$1 grace=${2:-5} i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "process $pid ignored SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

free_ports() {
    "$PYTHON" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
EOF
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits for a port; fails early if the process that should open it is gone.
wait_port() {
    local port=$1 pid=$2 timeout=$3 what=$4 i
    for ((i = 0; i < timeout * 10; i++)); do
        port_open "$port" && return 0
        kill -0 "$pid" 2>/dev/null || die "$what exited before listening on $port"
        sleep 0.1
    done
    die "$what did not listen on $port within $timeout s"
}

# The pid of the daemon's JVM started from the Karaf directory $1: Karaf's pid file, else the newest process whose
# command line names the directory; dies unless it is a live JVM.
daemon_jvm_pid() {
    local karaf=$1 pid=""
    if [ -s "$karaf/karaf.pid" ]; then
        pid=$(tr -dc '0-9' <"$karaf/karaf.pid")
    fi
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
        pid=$(pgrep -n -f -- "$karaf" || true)
    fi
    [ -n "$pid" ] || die "cannot find the daemon's JVM"
    grep -qa java "/proc/$pid/cmdline" || die "pid $pid is not a JVM"
    echo "$pid"
}
