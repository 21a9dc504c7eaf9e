#!/usr/bin/env bash
# Checks a built Debian package the way a venue machine would meet it:
#   tests/packaging/check-deb.sh dragoman_VERSION_ARCH.deb
# - lintian reports no error (its warnings are printed);
# - unpacked into a fresh root (dpkg -x), every program finds all its libraries (ldd);
# - systemd-analyze verify accepts the unit (its paths pointed into that root);
# - the unpacked dragoman, started the way the unit starts it (token in a credentials folder),
#   finds its venue, clips and web page under the root's share/dragoman, serves /api/state
#   with moving meters, takes writes with the token only, and shows no token in `ps`;
# - every man page renders with man -l, and every program's --version prints the package's
#   version (with no display).
# Test traffic stays on loopback (ports chosen by the kernel). Exits non-zero on the first
# failure, naming it.
set -euo pipefail

deb="$(realpath "$1")"
work="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

version="$(dpkg-deb -f "$deb" Version)"

step "lintian $(basename "$deb")"
lintian --info "$deb" >"$work/lintian.txt" 2>&1 || true
cat "$work/lintian.txt"
echo "lintian: $(grep -c '^E:' "$work/lintian.txt" || true) errors," \
     "$(grep -c '^W:' "$work/lintian.txt" || true) warnings"
grep -q '^E:' "$work/lintian.txt" && fail "lintian reports errors"

step "dpkg -x into a fresh root; ldd"
root="$work/root"
dpkg -x "$deb" "$root"
programs=(dragoman dragoman-listener dragoman-render dragoman-bench)
for program in "${programs[@]}"; do
    exe="$root/usr/bin/$program"
    [ -x "$exe" ] || fail "$program is not in the package"
    if ldd "$exe" | grep -q "not found"; then
        ldd "$exe" | grep "not found" >&2
        fail "$program misses libraries"
    fi
done
echo "all ${#programs[@]} programs find their libraries"

step "systemd-analyze verify dragoman.service"
unit="$root/usr/lib/systemd/system/dragoman.service"
[ -f "$unit" ] || unit="$root/lib/systemd/system/dragoman.service"
[ -f "$unit" ] || fail "no dragoman.service in the package"
mkdir -p "$work/unit"
sed -e "s|/usr/bin/|$root/usr/bin/|g" -e "s|/etc/|$root/etc/|g" "$unit" >"$work/unit/dragoman.service"
# (Documentation=man:dragoman(1): verify looks the page up, in the root's man pages.)
MANPATH="$root/usr/share/man" systemd-analyze verify "$work/unit/dragoman.service" >"$work/verify.txt" 2>&1 ||
    { cat "$work/verify.txt" >&2; fail "systemd-analyze verify rejects the unit"; }
# Complaints about the unit itself (not about other units on this machine) fail the check.
if grep "dragoman.service" "$work/verify.txt"; then fail "systemd-analyze verify complains"; fi
echo "accepted"

step "the unpacked router, started as the unit starts it"
grep -q "^LoadCredential=token:/etc/dragoman/token$" "$unit" ||
    fail "the unit does not load the token as a credential"
exec_line="$(sed -n 's/^ExecStart=//p' "$unit")"
case "$exec_line" in *--headless*) ;; *) fail "ExecStart does not run --headless" ;; esac
token="pkgcheck-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
credentials="$work/credentials"
mkdir -m 700 "$credentials"
(umask 077 && printf '%s\n' "$token" >"$credentials/token")
chmod 400 "$credentials/token"
# The unit's own command line (venue from the root's /etc), plus the demo on the virtual
# clock and kernel-chosen loopback ports. From / with no DRAGOMAN_DATA_DIR: the data files
# can only come from the root's share/dragoman.
(cd / && exec env -u DRAGOMAN_DATA_DIR -u DRAGOMAN_TOKEN CREDENTIALS_DIRECTORY="$credentials" \
    XDG_RUNTIME_DIR="$work" XDG_DATA_HOME="$work/data" \
    "$root/usr/bin/dragoman" --headless --venue "$root/etc/dragoman/venue.json" --demo \
    --audio virtual --http 127.0.0.1:0 --listen 127.0.0.1:0 >"$work/out.txt" 2>&1) &
pid=$!
for _ in $(seq 1 100); do
    grep -q "listeners: http" "$work/out.txt" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/out.txt" >&2; fail "dragoman exited"; }
    sleep 0.1
done
cat "$work/out.txt"
api="$(sed -n 's|.*control API: \(http://[0-9.:]*\)/api/state.*|\1|p' "$work/out.txt")"
listeners="$(sed -n 's|.*listeners: \(http://[0-9.:]*\)/channels.json.*|\1|p' "$work/out.txt")"
[ -n "$api" ] && [ -n "$listeners" ] || fail "no control API or listeners' address in the banner"
grep -q "writes need the bearer token" "$work/out.txt" || fail "the token was not taken"
grep -q "demo: " "$work/out.txt" || fail "the demo did not start (clips, events)"
listen_page="$work/listen.html"
curl -sf "$listeners/" -o "$listen_page" || fail "the listeners' page is not served"
cmp -s "$listen_page" "$root/usr/share/dragoman/web/listen.html" ||
    fail "the listeners' page is not the package's web/listen.html"
levels() { curl -sf "$api/api/state" | jq -c '[.channels[].meters.rmsDb, .floorMics[].meters.rmsDb]'; }
first="$(levels)" || fail "/api/state does not answer"
sleep 1
second="$(levels)" || fail "/api/state does not answer"
echo "levels: $first"
echo "levels: $second"
[ "$first" != "$second" ] || fail "the meters do not move"

step "the token: only in the credentials folder"
if ps -eo args | grep -F -- "$token" | grep -v grep; then fail "the token shows in ps"; fi
echo "not in ps -eo args"
post() { curl -s -o /dev/null -w '%{http_code}' -X POST "$@" -d '{"mic":true}' "$api/api/desks/en/1"; }
[ "$(post)" = 401 ] || fail "a write without the token is not refused"
code="$(post -H "Authorization: Bearer $token")"
case "$code" in 2??) echo "a write with the token: $code" ;; *) fail "a write with the token: $code" ;; esac
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""

step "man pages and --version"
for program in "${programs[@]}"; do
    page="$root/usr/share/man/man1/$program.1.gz"
    [ -f "$page" ] || fail "no man page for $program"
    MANWIDTH=80 man -l "$page" >"$work/man.txt" 2>"$work/man-errors.txt" || fail "man -l $page"
    [ ! -s "$work/man-errors.txt" ] || { cat "$work/man-errors.txt" >&2; fail "man -l $program warns"; }
    grep -q -- "--version" "$work/man.txt" || fail "$program's man page has no --version"
    printed="$(env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY XDG_RUNTIME_DIR="$work" \
        "$root/usr/bin/$program" --version)"
    [ "$printed" = "$program $version" ] ||
        fail "$program --version printed \"$printed\", the package is $version"
    echo "$program: man page renders ($(wc -l <"$work/man.txt") lines), --version: $printed"
done
echo "package checks passed"
