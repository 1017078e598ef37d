#!/bin/sh
# Runs `gongkai convert` (all four formats) on every reproducer of
# tests/fixtures/fuzz (the fuzz findings of issue 16) and on the special
# inputs (a FIFO, /dev/zero, a directory), under GNU time (-v), with a
# 10 s timeout each. Prints exit code, peak RSS, wall time and the first
# line of stderr; fails when a run panics (exit 101), is killed, takes
# 10 s or more, or exceeds the memory bound.
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
run() {
    label=$1
    shift
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
    if [ "$status" -gt 1 ] || [ -z "$rss" ] || [ "$rss" -gt "$limit_kb" ]; then
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
run "directory" "$bin" convert "$work/dir.txt" --out "$work/out"
printf '[fonts.body]\nfile = "/dev/zero"\n' >"$work/zero-font.toml"
run "/dev/zero as a profile font" "$bin" convert tests/fixtures/fuzz/F07b_txt_pdf_837_pages_min.txt \
    --to pdf --template "$work/zero-font.toml" --out "$work/out"
exit $bad
