#!/usr/bin/env bash
# `cmake --install` into a fresh root (DESTDIR, as a package is staged) gives a dragoman that finds its venue, demo clips and
# web page under PREFIX/share/dragoman (not the source tree) and serves moving meters.
#   check-install-tree.sh BUILD_DIR
set -euo pipefail
build="$1"
work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

configured="$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")"
prefix="$work/root$configured"
DESTDIR="$work/root" cmake --install "$build" >"$work/install.txt" ||
    { cat "$work/install.txt"; fail "cmake --install"; }
grep -v "^-- Installing: $work/root/\|^-- Up-to-date: $work/root/\|^-- Install configuration" \
    "$work/install.txt" && fail "files installed outside DESTDIR"
data="$prefix/share/dragoman"
for file in venues/tirana.json demo/live.events demo/clips/floor-en.opus web/listen.html \
    midi/generic.json; do
    [ -e "$data/$file" ] || fail "share/dragoman/$file is not installed"
done
for file in share/applications/dragoman.desktop share/applications/dragoman-listener.desktop \
    share/icons/hicolor/scalable/apps/dragoman.svg lib/systemd/system/dragoman.service; do
    [ -e "$prefix/$file" ] || fail "$file is not installed"
done
grep -q "^ExecStart=$configured/bin/dragoman --headless" "$prefix/lib/systemd/system/dragoman.service" ||
    fail "the unit does not start $configured/bin/dragoman --headless"
[ -e "$prefix/etc/dragoman/venue.json" ] || fail "the service's venue is not installed under etc/"

(cd / && exec env -u DRAGOMAN_DATA_DIR XDG_RUNTIME_DIR="$work" XDG_DATA_HOME="$work/data" \
    PATH="$prefix/bin:$PATH" dragoman --headless --demo --audio virtual --http 127.0.0.1:0 \
    --listen 127.0.0.1:0 >"$work/out.txt" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
    grep -q "listeners: http" "$work/out.txt" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/out.txt" >&2; fail "dragoman exited"; }
    sleep 0.1
done
cat "$work/out.txt"
grep -q "venue: $data/venues/tirana.json" "$work/out.txt" || fail "the venue is not the installed one"
grep -q "demo: " "$work/out.txt" || fail "the demo did not start"
api="$(sed -n 's|.*control API: \(http://[0-9.:]*\)/api/state.*|\1|p' "$work/out.txt")"
listeners="$(sed -n 's|.*listeners: \(http://[0-9.:]*\)/channels.json.*|\1|p' "$work/out.txt")"
curl -sf "$listeners/" -o "$work/page.html" || fail "no listeners' page"
cmp -s "$work/page.html" "$data/web/listen.html" || fail "the page is not the installed one"
levels() { curl -sf "$api/api/state" | jq -c '[.channels[].meters.rmsDb, .floorMics[].meters.rmsDb]'; }
first="$(levels)"
sleep 1
second="$(levels)"
echo "levels: $first"
echo "levels: $second"
[ "$first" != "$second" ] || fail "the meters do not move"
echo "installed tree checks passed"
