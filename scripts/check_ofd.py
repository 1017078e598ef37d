#!/usr/bin/env python3
"""Checks a gongkai OFD with independent readers from PyPI.

    check_ofd.py OFD PDF MARKDOWN [PNG]

- ofdkit (a reader of GB/T 33190 packages) reads the OFD: its page count
  and page sizes must equal the PDF's (read with PyMuPDF), and the text of
  every table cell of the Markdown output (header parts and body cells)
  must come back from it (its runs in drawing order, compared without
  whitespace, as cells wrap), and its runs must start where PDF text spans
  start (within 0.3 mm: the same layout).
- ofd2img draws the OFD; with PNG given, its first page is written there
  to be looked at beside the PDF's (pdftoppm -r 60 -png -f 1 -l 1 PDF p).

Skips (exit 0, with a message) when the readers are not installed:
    pip install ofdkit ofd2img pymupdf
Exit 1 when a check fails.
"""

import re
import sys


def cells_of(markdown):
    """Every cell of the GFM tables: header parts ("收入 / 项目" is two
    header cells) and body cells."""
    cells = []
    for line in markdown.splitlines():
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        if re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", line):
            continue
        inner = line[1:-1]
        for cell in re.split(r"(?<!\\)\|", inner):
            cell = re.sub(r"\\(.)", r"\1", cell).strip()
            for part in cell.split(" / "):
                if part:
                    cells.append(part)
    return cells


def compact(s):
    return "".join(s.split())


def main(argv):
    if len(argv) < 4:
        print(__doc__)
        return 2
    ofd_path, pdf_path, md_path = argv[1:4]
    png = argv[4] if len(argv) > 4 else None
    try:
        import fitz  # PyMuPDF
        import ofdkit
    except ImportError as e:
        print(f"SKIP: {e} (pip install ofdkit ofd2img pymupdf)")
        return 0
    failures = []
    pdf = fitz.open(pdf_path)
    pdf_sizes = [(p.rect.width * 25.4 / 72, p.rect.height * 25.4 / 72) for p in pdf]
    with ofdkit.open(ofd_path) as doc:
        pages = list(doc.pages)
        ofd_sizes = [(p.width, p.height) for p in pages]
        runs = [list(p.runs) for p in pages]
        info = doc.info
    print(f"{ofd_path}: {len(pages)} page(s), PDF {len(pdf_sizes)}")
    if len(pages) != len(pdf_sizes):
        failures.append(f"page count {len(pages)} != PDF's {len(pdf_sizes)}")
    for i, (o, p) in enumerate(zip(ofd_sizes, pdf_sizes)):
        if abs(o[0] - p[0]) > 0.1 or abs(o[1] - p[1]) > 0.1:
            failures.append(f"page {i + 1}: {o} mm != PDF's {p[0]:.2f}×{p[1]:.2f} mm")
    print(f"  DocInfo: title={info.title!r} author={info.author!r} "
          f"created={info.creation_date} custom={info.custom_data}")
    with open(md_path, encoding="utf-8") as f:
        cells = cells_of(f.read())
    # The runs in drawing order: a cell's lines follow each other.
    flat = compact("".join(r.text for page in runs for r in page))
    per_page = [compact("".join(r.text for r in page)) for page in runs]

    def split_over_pages(cell):
        """A row split at a page end: the cell's head ends one page, its
        tail is on the next (after the repeated header)."""
        c = compact(cell)
        for a, b in zip(per_page, per_page[1:]):
            for k in range(1, len(c)):
                if c[:k] in a and c[k:] in b:
                    return True
        return False

    missing = [c for c in cells if compact(c) not in flat]
    split = [c for c in missing if split_over_pages(c)]
    missing = [c for c in missing if c not in split]
    print(f"  cells: {len(cells)} from the Markdown, {len(cells) - len(missing) - len(split)} "
          f"found whole in the OFD text, {len(split)} split over a page break, {len(missing)} missing")
    for c in missing[:20]:
        failures.append(f"cell text not in the OFD: {c!r}")
    # Same positions: each OFD run starts where a PDF text span starts
    # (PyMuPDF's span origins: left end, baseline).
    placed = total = 0
    for page_runs, page in zip(runs, pdf):
        spans = []
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    x, y = span["origin"]
                    right = span["bbox"][2]
                    spans.append((x * 25.4 / 72, y * 25.4 / 72, right * 25.4 / 72, span["text"]))
        for r in page_runs:
            total += 1
            # At a span's start, or inside a span PyMuPDF merged from
            # neighbouring runs of one line (then the span has the text).
            if any(abs(r.y - y) < 0.3 and (abs(r.x - x) < 0.3
                   or (x < r.x < right and compact(r.text) in compact(text)))
                   for x, y, right, text in spans):
                placed += 1
    print(f"  positions: {placed} of {total} OFD runs start within 0.3 mm of where the PDF's text does")
    if total == 0 or placed < 0.95 * total:
        failures.append(f"only {placed} of {total} runs sit where the PDF has text")
    if png:
        try:
            from ofd2img.ofd import OFD
        except ImportError as e:
            print(f"  SKIP drawing: {e}")
        else:
            import contextlib
            import io
            reader = OFD()
            # ofd2img prints its progress on stdout.
            with open(ofd_path, "rb") as f, contextlib.redirect_stdout(io.StringIO()):
                reader.read(f.read(), fmt="binary")
                drawn_pdf = reader.to_pdf()
            drawn = fitz.open(stream=drawn_pdf, filetype="pdf")
            print(f"  ofd2img drew {drawn.page_count} page(s); page 1 → {png}")
            if drawn.page_count != len(pages):
                failures.append(f"ofd2img drew {drawn.page_count} pages, not {len(pages)}")
            drawn[0].get_pixmap(dpi=60).save(png)
    for f in failures:
        print(f"  FAIL: {f}")
    print("  ok" if not failures else f"  {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
