#!/usr/bin/env bash
# Each program's man page renders with man -l without a warning and names every long option
# its --help lists (the pages are generated from --help; this catches a stale page).
#   check-man-pages.sh MAN_DIR PROGRAM...
set -euo pipefail
man_dir="$1"
shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for exe in "$@"; do
    name="$(basename "$exe")"
    page="$man_dir/$name.1"
    if ! MANWIDTH=100 man -l "$page" >"$work/page.txt" 2>"$work/errors.txt" || [ -s "$work/errors.txt" ]; then
        echo "FAIL: man -l $page" >&2
        cat "$work/errors.txt" >&2
        status=1
        continue
    fi
    env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY XDG_RUNTIME_DIR="$work" "$exe" --help \
        >"$work/help.txt"
    options="$(grep -o -- '--[a-z][a-z-]*' "$work/help.txt" | sort -u)"
    # man renders hyphens as U+2010 in some locales; compare on ASCII. (Into a file: grep -q
    # reading a pipe quits at the first match, and the writer's SIGPIPE failed the pipeline.)
    sed 's/\xe2\x80\x90/-/g' "$work/page.txt" >"$work/ascii.txt"
    [ -n "$options" ] || { echo "FAIL: $name --help lists no option" >&2; status=1; }
    for option in $options; do
        if ! grep -q -- "$option" "$work/ascii.txt"; then
            echo "FAIL: $name(1) does not mention $option" >&2
            status=1
        fi
    done
    echo "$name(1): $(wc -l <"$work/page.txt") lines, all $(echo "$options" | wc -l) options of --help"
done
exit $status
