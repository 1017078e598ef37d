#!/bin/sh
# Runs `gongkai convert` (all four formats) on every reproducer of
# tests/fixtures/fuzz (the fuzz findings of issue 16) and on the special
# inputs (a FIFO, /dev/zero, a directory, and a profile whose font file is
# /dev/zero, a FIFO, a folder or over font_bytes), under GNU time (-v),
# with a 10 s timeout each. Prints exit code, peak RSS, wall time and the
# first line of stderr; fails when a run panics (exit 101), is killed,
# takes 10 s or more, or exceeds the memory bound. A directory given to
# convert is a usage error (exit 2, with a hint to use batch).
#
#   scripts/fuzz_findings.sh [FOLDER] [LIMIT_KB]
#   GONGKAI_BIN=/path/to/gongkai scripts/fuzz_findings.sh   (no build)
set -eu
unset RUST_BACKTRACE # a backtrace is what the panic hook must not print
cd "$(dirname "$0")/.."
dir=${1:-tests/fixtures/fuzz}
limit_kb=${2:-512000} # 500 MB: the issue's bound for hostile input
if [ -z "${GONGKAI_BIN:-}" ]; then
    CARGO_PROFILE_RELEASE_INCREMENTAL=true cargo build --release --quiet
fi
bin=${GONGKAI_BIN:-$PWD/target/release/gongkai}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bad=0
# run LABEL [MAX_EXIT] COMMAND...: MAX_EXIT (default 1) is the highest
# exit code that is not a failure.
run() {
    label=$1
    shift
    max_exit=1
    case $1 in
    [0-9]) max_exit=$1; shift ;;
    esac
    rm -rf "$work/out"
    set +e
    timeout -s KILL 10 /usr/bin/time -v -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"
    status=$?
    set -e
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
    first=$(head -n 1 "$work/stderr" | cut -c 1-150)
    lines=$(wc -l <"$work/stderr")
    printf '%-40s exit %3s  %7s KB  %8s  %s stderr line(s): %s\n' \
        "$label" "$status" "${rss:-?}" "${wall:-killed}" "$lines" "$first"
    if [ "$status" -gt "$max_exit" ] || [ -z "$rss" ] || [ "$rss" -gt "$limit_kb" ]; then
        bad=1
    fi
}
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    run "$(basename "$f")" "$bin" convert "$f" --out "$work/out"
done
mkfifo "$work/fifo.txt"
run "FIFO" "$bin" convert "$work/fifo.txt" --out "$work/out"
run "/dev/zero" "$bin" convert /dev/zero --out "$work/out"
mkdir -p "$work/dir.txt"
run "directory" 2 "$bin" convert "$work/dir.txt" --out "$work/out"
run "directory (inspect)" 2 "$bin" inspect "$work/dir.txt"
small=tests/fixtures/corpus/seed/budget.csv
font_case() {
    printf '[fonts.body]\nfile = "%s"\n' "$2" >"$work/font.toml"
    run "$1" "$bin" convert "$small" --to pdf --template "$work/font.toml" --out "$work/out"
}
font_case "/dev/zero as a profile font" /dev/zero
mkfifo "$work/fifo.ttf"
font_case "FIFO as a profile font" "$work/fifo.ttf"
mkdir -p "$work/dir.ttf"
font_case "directory as a profile font" "$work/dir.ttf"
truncate -s 65M "$work/big.ttf" # sparse: 65 MiB, over font_bytes = 64 MiB
font_case "65 MiB profile font" "$work/big.ttf"
exit $bad
