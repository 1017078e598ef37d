#!/bin/sh
# A cargo-fuzz campaign (issue 16): runs each target of fuzz/ in turn for
# SECONDS seconds (default 1800) with -rss_limit_mb=500 -timeout=$FUZZ_TIMEOUT
# (default 30 s; see below), its
# log in LOGDIR/TARGET.log, and prints one line per target: the seconds it
# ran, the executions (libFuzzer's final stats, -print_final_stats=1), the
# peak RSS (GNU time) and the crashes found (new files in
# fuzz/artifacts/TARGET: crash-, oom-, timeout-, leak-). libFuzzer stops a
# target at its first finding; its input is in that folder. Needs nightly
# Rust and cargo-fuzz (`cargo install cargo-fuzz`); seeds the corpora with
# fuzz/seed.sh first. Exits 1 when anything was found.
#
#   scripts/fuzz_campaign.sh LOGDIR [SECONDS] [TARGET...]
set -eu
if [ $# -lt 1 ]; then
    echo "usage: $0 LOGDIR [SECONDS] [TARGET...]" >&2
    exit 2
fi
logs=$(mkdir -p "$1" && cd "$1" && pwd)
seconds=${2:-1800}
[ $# -ge 2 ] && shift 2 || shift 1
cd "$(dirname "$0")/../fuzz"
if [ $# -eq 0 ]; then
    set -- $(cargo +nightly fuzz list)
fi
sh seed.sh
for target in "$@"; do
    cargo +nightly fuzz build -O "$target" >>"$logs/build.log" 2>&1 || {
        echo "the fuzz target $target did not build; see $logs/build.log" >&2
        exit 2
    }
done
# AddressSanitizer keeps freed memory in a quarantine (256 MB by default)
# to find use-after-free, which counts in the process's RSS and so against
# -rss_limit_mb=500 (all_writers reached 498 MB in 60 s with it); a smaller
# quarantine leaves the limit to what gongkai itself holds.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
# Under AddressSanitizer gongkai runs about ten times slower than the
# release binary (a 2 KB GB18030 text through every writer: 2.6 s against
# 0.20 s, the serif face's subset dominating), and on a loaded machine a
# 10 s limit stopped all_writers on such an input. 30 s of ASAN time is
# still about 3 s of release time, under the 10 s that issue 16 allows.
timeout=${FUZZ_TIMEOUT:-30}
found_any=0
printf '%-14s %8s %12s %10s %8s  %s\n' target seconds executions "peak RSS" crashes "first finding"
for target in "$@"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    before=$(ls "artifacts/$target" | wc -l)
    start=$(date +%s)
    set +e
    /usr/bin/time -v -o "$logs/$target.time" \
        cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=500 -timeout="$timeout" -print_final_stats=1 \
        >"$logs/$target.log" 2>&1
    set -e
    end=$(date +%s)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log" | tail -n 1)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$logs/$target.time")
    after=$(ls "artifacts/$target" | wc -l)
    crashes=$((after - before))
    first=$(ls -t "artifacts/$target" | head -n 1)
    [ "$crashes" -gt 0 ] || first=-
    [ "$crashes" -eq 0 ] || found_any=1
    printf '%-14s %8s %12s %7s MB %8s  %s\n' "$target" "$((end - start))" "${runs:-?}" \
        "$(( ${rss:-0} / 1024 ))" "$crashes" "$first"
done
exit $found_any
