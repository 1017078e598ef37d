#!/bin/sh
# Peak memory of `gongkai inspect` on every file of a folder (default: the
# corpus's bad/ files), measured with GNU time (-v) on the release binary.
# Prints one line per file and fails when any run exceeds the limit.
#
#   scripts/bad_rss.sh [FOLDER] [LIMIT_KB]
set -eu
cd "$(dirname "$0")/.."
dir=${1:-tests/fixtures/corpus/bad}
limit_kb=${2:-512000} # 500 MB: the issue's bound for hostile input
cargo build --release --quiet
bin=target/release/gongkai
report=$(mktemp)
trap 'rm -f "$report"' EXIT
over=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    /usr/bin/time -v -o "$report" "$bin" inspect "$f" >/dev/null 2>&1 || true
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$report")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$report")
    code=$(sed -n 's/.*Exit status: //p' "$report")
    printf '%-28s exit %s  %7s KB  %s\n' "$(basename "$f")" "$code" "$rss" "$wall"
    if [ "$rss" -gt "$limit_kb" ]; then
        over=1
    fi
done
exit $over
