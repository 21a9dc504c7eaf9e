# Shared by scripts/latency and scripts/soak: a private JACK dummy server and clean-up of
# everything they start. Source it after setting work (a folder of the script's own); it
# defines start_jack, wait_port, start_dragoman, cleanup.

# What the programs keep (a router's running settings, its certificate) goes under work, not
# into the data folder of a router this machine may run for real.
export XDG_DATA_HOME="$work/data"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    sleep 0.5
    for pid in "${pids[@]}"; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# start_jack PERIOD: a JACK server with the dummy driver (real-time scheduling where allowed),
# the default server of everything started after it.
start_jack() {
    export JACK_DEFAULT_SERVER="dragoman-$(basename "$0")-$$"
    start_jack_server "$JACK_DEFAULT_SERVER" "$1" "$work/jackd.log"
}

# start_jack_server NAME PERIOD LOG: another JACK dummy server beside it (clients reach it
# with JACK_DEFAULT_SERVER=NAME).
start_jack_server() {
    jackd -n "$1" -R -d dummy -r 48000 -p "$2" -C 16 -P 16 >"$3" 2>&1 &
    pids+=($!)
    JACK_DEFAULT_SERVER="$1" jack_wait -w -t 10 >/dev/null
}

# wait_port NAME [SECONDS]: until a JACK port exists.
wait_port() {
    for _ in $(seq 1 $((${2:-10} * 10))); do
        jack_lsp 2>/dev/null | grep -qx "$1" && return 0
        sleep 0.1
    done
    echo "$(basename "$0"): JACK port $1 did not appear" >&2
    return 1
}

# start_dragoman PORT [ARGS...]: dragoman --headless on JACK with its API on 127.0.0.1:PORT.
start_dragoman() {
    local port=$1
    shift
    "$build/app/dragoman/dragoman" --headless --audio jack --http "127.0.0.1:$port" "$@" \
        >"$work/dragoman.log" 2>&1 &
    pids+=($!)
    wait_port dragoman:in_0 15
}
