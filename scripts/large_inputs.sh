#!/bin/sh
# Crafted large inputs (issue 16), made here and not committed: a 100 MB
# CSV, a 100,000-row Markdown table, a text file with one 50 MB line, a
# 5,000-row docx and a 200,000-row xlsx. Each is converted to all four
# formats under GNU time (-v) with a 120 s timeout; prints exit code, peak
# RSS, wall time and the first line of stderr, and fails when a run is
# killed, panics or exceeds 500 MB. Needs python3 with openpyxl and
# python-docx for the docx and xlsx inputs (skipped without them).
#
#   scripts/large_inputs.sh [WORKDIR]
set -eu
unset RUST_BACKTRACE
cd "$(dirname "$0")/.."
if [ -z "${GONGKAI_BIN:-}" ]; then
    CARGO_PROFILE_RELEASE_INCREMENTAL=true cargo build --release --quiet
fi
bin=${GONGKAI_BIN:-$PWD/target/release/gongkai}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
limit_kb=512000
bad=0
python3 - "$work" <<'PY'
import os, sys
w = sys.argv[1]
row = "行政运行,2010101,{i},1234.50,1000.00,234.50\n"
p = os.path.join(w, "big.csv")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write("项目支出表\n单位：万元\n项目,科目编码,序号,合计,财政拨款,其他资金\n")
        i = 0
        while f.tell() < 100 * 1024 * 1024:
            f.write("".join(row.format(i=i + k) for k in range(1000)))
            i += 1000
p = os.path.join(w, "rows.md")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write("# 项目支出表\n\n| 项目 | 科目编码 | 合计 |\n|---|---|---:|\n")
        for i in range(100_000):
            f.write(f"| 办公费{i} | 2010101 | {i}.00 |\n")
p = os.path.join(w, "line.txt")
if not os.path.exists(p):
    with open(p, "w") as f:
        f.write("项目支出表\n项目\t金额\n")
        f.write("长" * (50 * 1024 * 1024 // 3) + "\t1.00\n")
try:
    import docx
    p = os.path.join(w, "rows.docx")
    if not os.path.exists(p):
        d = docx.Document()
        d.add_paragraph("项目支出表")
        t = d.add_table(rows=1, cols=4)
        for c, h in zip(t.rows[0].cells, ["项目", "科目编码", "合计", "说明"]):
            c.text = h
        for i in range(5000):
            cells = t.add_row().cells
            for c, v in zip(cells, [f"办公费{i}", "2010101", f"{i}.00", "日常办公"]):
                c.text = v
        d.save(p)
except ImportError:
    print("python-docx missing: no docx input")
try:
    import openpyxl
    p = os.path.join(w, "rows.xlsx")
    if not os.path.exists(p):
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("支出")
        ws.append(["项目支出表"])
        ws.append(["项目", "科目编码", "合计"])
        for i in range(200_000):
            ws.append([f"办公费{i}", "2010101", i + 0.5])
        wb.save(p)
except ImportError:
    print("openpyxl missing: no xlsx input")
PY
for f in big.csv rows.md line.txt rows.docx rows.xlsx; do
    [ -f "$work/$f" ] || continue
    rm -rf "$work/out"
    set +e
    timeout -s KILL 120 /usr/bin/time -v -o "$work/time" "$bin" convert "$work/$f" --out "$work/out" \
        >/dev/null 2>"$work/stderr"
    status=$?
    set -e
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")
    size=$(du -h "$work/$f" | cut -f1)
    printf '%-10s %5s  exit %3s  %7s KB  %8s  %s\n' "$f" "$size" "$status" "${rss:-?}" \
        "${wall:-killed}" "$(grep -v ': warning: ' "$work/stderr" | head -n 1 | cut -c 1-160)"
    if [ "$status" -gt 1 ] || [ -z "$rss" ] || [ "$rss" -gt "$limit_kb" ]; then
        bad=1
    fi
done
exit $bad
