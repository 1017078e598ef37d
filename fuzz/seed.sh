#!/bin/sh
# Seeds each target's corpus (fuzz/corpus/TARGET, not committed) from
# tests/fixtures, the reproducers of tests/fixtures/fuzz, and (for the
# fixed-width reader) the published books of
# ../shared/realdata/pdftotext-derived where that folder is present.
set -eu
cd "$(dirname "$0")"
fx=../tests/fixtures
seed() {
    mkdir -p "corpus/$1"
    shift
    for f in "$@"; do
        if [ -f "$f" ]; then cp "$f" "corpus/$target/"; fi
    done
}
target=read_text; seed $target $fx/corpus/seed/*.txt $fx/text-variants/*.txt $fx/fuzz/*.txt
realdata=../../shared/realdata/pdftotext-derived
target=read_fixed; seed $target ../tests/cases/fixed-width-book/input.txt $fx/fuzz/*.txt $realdata/*.txt
target=read_csv; seed $target $fx/corpus/seed/*.csv
target=read_markdown; seed $target $fx/corpus/seed/*.md
target=read_json; seed $target $fx/fuzz/*.json
target=read_xlsx; seed $target $fx/corpus/seed/*.xlsx $fx/sheet/*.xlsx $fx/fuzz/*.xlsx
target=read_xlsb; seed $target $fx/sheet/*.xlsb
target=read_xls; seed $target $fx/corpus/seed/*.xls $fx/sheet/*.xls $fx/fuzz/*.xls
target=read_ods; seed $target $fx/corpus/seed/*.ods $fx/sheet/*.ods $fx/fuzz/*.ods
target=read_docx; seed $target $fx/corpus/seed/*.docx $fx/fuzz/*.docx
target=all_writers; seed $target $fx/corpus/seed/*
