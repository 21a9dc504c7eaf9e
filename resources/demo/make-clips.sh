#!/usr/bin/env bash
# Makes the live demo's speech clips (dragoman --demo): synthetic speech (espeak-ng) about the
# Tirana roundtable on the digitalisation and cybersecurity of elections, as small mono 48 kHz
# Ogg Opus files (24 kb/s speech) in resources/demo/clips/:
#   floor-en.opus   the chair, English           (live.events says which floor mic speaks
#   floor-sq.opus   a delegate, Albanian          which clip when: "SECONDS floor MIC LANG")
#   floor-mk.opus   a delegate, Macedonian
#   booth-en.opus   the English interpreters     (every desk mic of a booth carries its
#   booth-sq.opus   the Albanian interpreters     booth's clip, looped, each desk at its own
#   booth-bsm.opus  the BSM interpreters          offset; it is heard only while the desk's
#   booth-mk.opus   the Macedonian interpreters   mic is on)
# The clips are committed; run this again only to change them. The output is repeatable on one
# machine (fixed Ogg serial numbers, no dither); the words come from texts.sh.
#
# Usage: make-clips.sh [OUTPUT_DIR]     (default: the clips/ folder next to this script)
# Needs: espeak-ng, sox, opusenc (opus-tools).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/clips}
for tool in espeak-ng sox opusenc; do
    command -v "$tool" >/dev/null || { echo "$0: $tool is not installed" >&2; exit 2; }
done
# shellcheck source=SCRIPTDIR/texts.sh
. "$here/texts.sh"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

level=-12 # dBFS peak: a close speech mic, leaving the headphone limiters (-10 dBFS) idle
pause=0.8 # seconds of silence after each sentence

# say NAME VOICE TEXT: one utterance at 48 kHz, with a pause after it.
say() {
    espeak-ng -v "$2" -s 150 -w "$work/$1.raw.wav" "$3"
    sox -R -D "$work/$1.raw.wav" -e floating-point -b 32 "$work/$1.wav" \
        gain -6 rate 48000 pad 0 "$pause"
}

# encode NAME SERIAL PART...: the parts one after the other, normalised, as NAME.opus.
encode() {
    local name=$1 serial=$2
    shift 2
    local parts=()
    for part in "$@"; do
        parts+=("$work/$part.wav")
    done
    sox -R -D "${parts[@]}" -e signed-integer -b 16 "$work/$name.wav" norm "$level"
    opusenc --quiet --bitrate 24 --speech --serial "$serial" \
        --title "Dragoman demo: $name" --comment "LANGUAGE=${name#*-}" \
        "$work/$name.wav" "$out/$name.opus"
}

say chair-en "$voice_chair_en" "$text_chair_en"
say delegate-sq "$voice_delegate_sq" "$text_delegate_sq"
say delegate-mk "$voice_delegate_mk" "$text_delegate_mk"
say en-1 "$voice_en" "$text_en_1"
say en-2 "$voice_en" "$text_en_2"
say sq-1 "$voice_sq" "$text_sq_1"
say sq-2 "$voice_sq" "$text_sq_2"
say bsm-1 "$voice_bsm_1" "$text_bsm_1"
say bsm-2 "$voice_bsm_2" "$text_bsm_2"
say mk-1 "$voice_mk" "$text_mk_1"
say mk-2 "$voice_mk" "$text_mk_2"

encode floor-en 101 chair-en
encode floor-sq 102 delegate-sq
encode floor-mk 103 delegate-mk
encode booth-en 201 en-1 en-2
encode booth-sq 202 sq-1 sq-2
encode booth-bsm 203 bsm-1 bsm-2
encode booth-mk 204 mk-1 mk-2

for clip in "$out"/*.opus; do
    printf '%-16s %6d bytes\n' "$(basename "$clip")" "$(stat -c %s "$clip")"
done
