#!/usr/bin/env bash
# Renders the demo session: makes the input recordings (make-demo-input.sh), runs
# dragoman-render on the Tirana venue with demo.events, and says which output file is which
# line-out, headphone and monitor feed (dragoman-render reads that from the venue).
#
# Usage: render-demo.sh OUTPUT_DIR BUILD_DIR
#   OUTPUT_DIR  gets input/ (the recordings) and render/ (out-N.wav and log.json)
#   BUILD_DIR   a CMake build folder holding app/render/dragoman-render
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 OUTPUT_DIR BUILD_DIR" >&2
    exit 2
fi
out=$1
build=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venue="$here/../venues/tirana.json"
renderer="$build/app/render/dragoman-render"
if [ ! -x "$renderer" ]; then
    echo "$0: $renderer not found: build the dragoman-render target first" >&2
    exit 2
fi

"$here/make-demo-input.sh" "$out/input"

# The tirana venue's device inputs: 0 Chair, 1 Lectern, 2..9 the desk mics en.1 .. mk.2
# (dragoman-render prints what each input feeds, so a changed venue shows up below).
inputs=(--input 0="$out/input/floor-chair.wav" --input 1="$out/input/floor-lectern.wav")
n=2
for desk in en.1 en.2 sq.1 sq.2 bsm.1 bsm.2 mk.1 mk.2; do
    inputs+=(--input "$n=$out/input/$desk.wav")
    n=$((n + 1))
done

"$renderer" --venue "$venue" "${inputs[@]}" --events "$here/demo.events" --out "$out/render"
echo
echo "Listen to the out-N.wav files above (line-outs are what listeners hear, headphones what"
echo "each interpreter hears); log.json holds every event, the engine's answer and the routing."
