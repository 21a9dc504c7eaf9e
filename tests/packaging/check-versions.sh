#!/usr/bin/env bash
# Every program prints "NAME VERSION" for --version, VERSION being the project's, with no
# display (as on a rack machine over ssh).
#   check-versions.sh VERSION PROGRAM...
set -euo pipefail
version="$1"
shift
runtime="$(mktemp -d)"
trap 'rm -rf "$runtime"' EXIT
status=0
for exe in "$@"; do
    name="$(basename "$exe")"
    printed="$(env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY XDG_RUNTIME_DIR="$runtime" \
        "$exe" --version)"
    if [ "$printed" = "$name $version" ]; then
        echo "$name --version: $printed"
    else
        echo "FAIL: $name --version printed \"$printed\", want \"$name $version\"" >&2
        status=1
    fi
done
exit $status
