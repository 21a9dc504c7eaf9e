#!/usr/bin/env bash
# Makes the demo session's input recordings: synthetic speech (espeak-ng) about the Tirana
# roundtable on the digitalisation and cybersecurity of elections, one mono WAV per
# microphone, each as long as the session (60 s):
#   floor-chair.wav    the chair (floor mic "Chair"), English, from 0 to 23.5 s
#   floor-lectern.wav  a delegate at the lectern (floor mic "Lectern"), Albanian, from 24 s
#   en.1.wav ... mk.2.wav  each interpreter's voice, looped for the whole session (a desk mic
#                      is only heard while its mic key is on: see demo.events)
# The files stay at espeak-ng's 22.05 kHz: dragoman-render converts them to the venue rate.
# The output is repeatable (same files on every run). The words come from texts.sh.
#
# Usage: make-demo-input.sh OUTPUT_DIR
# Needs: espeak-ng, sox.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTPUT_DIR" >&2
    exit 2
fi
out=$1
session=60 # seconds; demo.events is written for this length
for tool in espeak-ng sox soxi; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 2; }
done
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/texts.sh
. "$here/texts.sh"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# speak NAME VOICE TEXT: one utterance, normalised to -6 dBFS, with 0.8 s of silence after it.
speak() {
    espeak-ng -v "$2" -s 150 -w "$work/$1.raw.wav" "$3"
    sox -R -D "$work/$1.raw.wav" "$work/$1.wav" norm -6 pad 0 0.8
}

# place NAME START LENGTH: the utterance repeated to fill LENGTH seconds from START, silence
# around it, in a file of exactly the session's length.
place() {
    local clip="$work/$1.wav" start=$2 length=$3
    local repeats after
    repeats=$(awk -v l="$length" -v d="$(soxi -D "$clip")" 'BEGIN { print int(l / d) + 1 }')
    after=$(awk -v s="$session" -v a="$start" -v l="$length" 'BEGIN { print s - a - l }')
    sox -R -D "$clip" "$out/$1.wav" repeat "$repeats" trim 0 "$length" pad "$start" "$after"
}

speak floor-chair "$voice_chair_en" "$text_chair_en"
speak floor-lectern "$voice_delegate_sq" "$text_delegate_sq"
speak en.1 "$voice_en" "$text_en_1"
speak en.2 "$voice_en" "$text_en_2"
speak sq.1 "$voice_sq" "$text_sq_1"
speak sq.2 "$voice_sq" "$text_sq_2"
speak bsm.1 "$voice_bsm_1" "$text_bsm_1"
speak bsm.2 "$voice_bsm_2" "$text_bsm_2"
speak mk.1 "$voice_mk" "$text_mk_1"
speak mk.2 "$voice_mk" "$text_mk_2"

place floor-chair 0 23.5
place floor-lectern 24 36
for desk in en.1 en.2 sq.1 sq.2 bsm.1 bsm.2 mk.1 mk.2; do
    place "$desk" 0 "$session"
done
echo "demo input: $out ($(ls "$out" | wc -l) files, ${session} s each)"
