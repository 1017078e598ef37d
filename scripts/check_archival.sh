#!/usr/bin/env bash
# Writes the archival outputs of the seed and of the sample book twice,
# checks they are byte-identical, then checks them with outside readers:
# the OFDs with ofdkit/ofd2img (scripts/check_ofd.py; PYTHON may name a
# venv's python that has them), the PDF/As with veraPDF when a `verapdf`
# command is on PATH. Each outside check is skipped, with a message, when
# its tool is missing. Run from the repository root after a release build.
set -euo pipefail
BIN=${BIN:-target/release/gongkai}
PY=${PYTHON:-python3}
OUT=${1:-$(mktemp -d)}
BOOK=examples/departments/广州开发区民营经济和企业服务局
SEED=tests/fixtures/corpus/seed/budget.txt
fail=0
for run in a b; do
  "$BIN" convert "$SEED" --to pdf,pdfa,ofd,md --out "$OUT/seed-$run" -q 2>/dev/null
  "$BIN" book "$BOOK" --to pdf,pdfa,ofd,md --out "$OUT/book-$run" >/dev/null 2>&1
done
for kind in seed book; do
  if diff -r "$OUT/$kind-a" "$OUT/$kind-b" >/dev/null; then
    echo "$kind: outputs byte-identical across runs"
  else
    echo "$kind: FAIL: outputs differ between runs"; fail=1
  fi
done
ls -l "$OUT/seed-a" "$OUT/book-a"
check() { # OFD PDF MD PNG
  "$PY" scripts/check_ofd.py "$@" 2>/dev/null || fail=1
}
check "$OUT/seed-a/budget.ofd" "$OUT/seed-a/budget.pdf" "$OUT/seed-a/budget.md" "$OUT/seed-ofd-p1.png"
b=("$OUT"/book-a/*.ofd); stem=${b[0]%.ofd}
check "$stem.ofd" "$stem.pdf" "$stem.md" "$OUT/book-ofd-p1.png"
if command -v verapdf >/dev/null; then
  for f in "$OUT"/seed-a/*.pdfa.pdf "$OUT"/book-a/*.pdfa.pdf; do
    verapdf --flavour 2u --format text "$f" || fail=1
  done
else
  echo "SKIP: veraPDF not installed (it is a Java application distributed from its own site and Maven, neither reachable here)"
fi
echo "outputs in $OUT"
exit $fail
