//! One table-fitting routine for the PDF and the DOCX writers: the content
//! of a table, measured with the advance widths of the faces the PDF
//! embeds, becomes a type size and column widths in points. Both writers
//! take the widths and sizes from here, so a table has the same columns,
//! the same type and the same unbreakable pieces in both formats.
//!
//! Readable type first: a table whose columns fit with room to spare grows
//! towards the profile's table sizes (`[table] body_pt`, `header_pt`); a
//! table too wide for the page shrinks until its minimum widths fit, down
//! to `[table] min_scale`; past that header labels and then text cells may
//! be cut between characters. Amounts and codes are never cut while any
//! type size down to [`HARD_MIN_SCALE`] lets them fit.

use crate::amount::{format_amount, format_percent};
use crate::grid::{ResolvedTable, Slot};
use crate::model::{ColumnKind, Row, RowKind, Table, Value, Warning};
use crate::profile::{PaperSize, Profile, TableType};
use crate::write::pdf::fonts::{FontBook, FontStore, Role};
use crate::write::pdf::layout::columns::{self, Need, SpanNeed};
use crate::write::pdf::layout::text::shape;

/// Horizontal padding inside a cell, in points (1.4 mm), in both formats:
/// amounts and text never touch the rules.
pub(crate) const CELL_PAD_X: f32 = 4.0;

/// Room added to what must stay on one line (amounts, codes, header
/// labels), in points: twip rounding and a word processor's own
/// justification must not push the last character to a second line.
pub(crate) const ONE_LINE_SLACK: f32 = 0.5;

/// An amount column may wrap its header to this many lines before the
/// column grows for it: "财政专户拨款" over two lines, not six.
const AMOUNT_HEADER_LINES: f32 = 2.0;

/// An amount column is at least this many header characters wide (when its
/// header is that long), so an empty column's "合计" is not set one
/// character per line.
const AMOUNT_HEADER_MIN_EMS: f32 = 4.0;

/// Header labels up to this many ems are meant to stay on one line: the
/// table's sizes only grow while they do. Longer labels (a 20-character
/// 项目名称 heading) may take two lines.
pub(crate) const HEADER_ONE_LINE_EMS: f32 = 10.0;

/// A text column is comfortable at this many ems (or its longest line if
/// shorter): long 绩效 texts wrap at any size, and half a dozen characters
/// a line still reads well, so they do not keep a table's type small.
pub(crate) const COMFORT_TEXT_EMS: f32 = 6.0;

/// Below the profile's `min_scale` only amounts and codes make a table
/// smaller, and never below this share of the profile's sizes (at 10 pt,
/// 5 pt); past it the columns are squeezed and even amounts are cut.
pub(crate) const HARD_MIN_SCALE: f32 = 0.5;

/// Steps of the searches for the largest type that fits: each halves the
/// interval; 10 give the size within 0.1 % of the range.
const SEARCH_STEPS: usize = 10;

/// Deepest hierarchy step shown by indentation; deeper rows line up with
/// it rather than creep across the column.
pub(crate) const MAX_INDENT_STEPS: u8 = 3;

/// Indentation per hierarchy step, in ems of the body size: one character,
/// as clerks indent 款 under 类 by hand.
pub(crate) const INDENT_EMS: f32 = 1.0;

/// Type sizes of a table's three kinds of text, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Sizes {
    /// Header cells.
    pub header: f32,
    /// Text cells.
    pub body: f32,
    /// Amounts and percentages.
    pub numbers: f32,
}

impl Sizes {
    /// The profile's sizes.
    pub(crate) fn base(fonts: &FontBook) -> Sizes {
        Sizes {
            header: fonts.size(Role::Header),
            body: fonts.size(Role::Body),
            numbers: fonts.size(Role::Numbers),
        }
    }

    /// Every size times `s`, rounded down to half a point (DOCX sizes are
    /// half-points: both formats then set the same size).
    pub(crate) fn scaled(self, s: f32) -> Sizes {
        Sizes {
            header: half_point_floor(self.header * s),
            body: half_point_floor(self.body * s),
            numbers: half_point_floor(self.numbers * s),
        }
    }

    /// The size of a kind of text.
    fn of(self, class: Class) -> f32 {
        match class {
            Class::Header => self.header,
            Class::Body => self.body,
            Class::Numbers => self.numbers,
        }
    }
}

/// Rounds down to half a point, and never below 1 pt.
fn half_point_floor(pt: f32) -> f32 {
    ((pt * 2.0).floor() / 2.0).max(1.0)
}

/// What may be cut between characters when a table does not fit even at
/// the profile's smallest type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cut {
    /// Nothing: every unbreakable piece stays whole.
    Nothing,
    /// Header labels' long pieces (Latin words in a label).
    Headers,
    /// Header labels and text cells; never amounts or codes.
    Text,
}

/// The fitted table: its type sizes and column widths.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    /// The sizes.
    pub sizes: Sizes,
    /// Body size over the profile's body size: above 1 grown, below 1
    /// shrunk.
    pub scale: f32,
    /// Column widths in points, padding included; they add up to the
    /// width given (less only when even the minimums do not fit).
    pub widths: Vec<f32>,
    /// What had to be cut between characters.
    pub cut: Cut,
}

/// Which size a cell's text is set at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Header,
    Body,
    Numbers,
}

/// One cell's text measured at 1 pt.
#[derive(Debug, Clone, Copy)]
struct Measured {
    col: usize,
    cols: usize,
    header: bool,
    class: Class,
    /// Widest unbreakable piece, in ems.
    min: f32,
    /// Longest line, in ems.
    max: f32,
    /// Indent in ems of the body size.
    indent: f32,
}

/// The text a body cell shows.
pub(crate) fn cell_text(value: &Value) -> Option<String> {
    match value {
        Value::Empty => None,
        Value::Text(t) => Some(t.clone()),
        Value::Amount(d) => Some(format_amount(*d)),
        Value::Percent(d) => Some(format_percent(*d)),
    }
}

/// The face role and size class of a body cell: totals in the bold sans
/// at the size of the text around them, amounts in the numbers face.
pub(crate) fn body_role(kind: RowKind, value: &Value) -> (Role, bool) {
    let numeric = matches!(value, Value::Amount(_) | Value::Percent(_));
    let role = match (kind == RowKind::Total, numeric) {
        (true, _) => Role::Header,
        (false, true) => Role::Numbers,
        (false, false) => Role::Body,
    };
    (role, numeric)
}

/// Hierarchy indents of a table's body cells: row labels are indented by
/// their depth when the table has one (类 ⊃ 款 ⊃ 项). What they depend on,
/// its label column and its deepest row level, is found once per table
/// (found per cell, it made a table's fit quadratic in its rows).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Indents {
    label: Option<usize>,
    deepest: u8,
}

impl Indents {
    /// The indents of `table`.
    pub(crate) fn of(table: &Table) -> Indents {
        Indents {
            label: table.label_column(),
            deepest: table.rows.iter().map(|r| r.level).max().unwrap_or(0),
        }
    }

    /// The indent in ems of the body size of one cell of the table this
    /// was made of.
    pub(crate) fn ems(&self, table: &Table, row: usize, col: usize) -> f32 {
        table.rows.get(row).map_or(0.0, |r| {
            f32::from(self.steps(r, col).min(MAX_INDENT_STEPS)) * INDENT_EMS
        })
    }

    /// How many levels `row`'s cell in column `col` is indented: its level
    /// below the first, in the label column of a table with more than one
    /// level, totals not indented.
    pub(crate) fn steps(&self, row: &Row, col: usize) -> u8 {
        if Some(col) != self.label || self.deepest < 2 || row.kind == RowKind::Total {
            return 0;
        }
        row.level.saturating_sub(1)
    }
}

/// The larger paper `table` moves to: the profile's `[page]
/// wide_table_size`, when it names paper larger than the page and the
/// columns do not fit `avail` points (the page's text width) whole even
/// at `[table] min_scale`. Both writers ask this, so a table is on A3 in
/// the PDF exactly when it is in the DOCX.
pub(crate) fn wider_paper(
    table: &Table,
    fonts: &FontBook,
    profile: &Profile,
    avail: f32,
) -> Option<PaperSize> {
    let wide = profile.page.wider_paper()?;
    let resolved = crate::grid::resolve(table);
    let fitter = Fitter::new(table, &resolved, fonts, &profile.table);
    (!fitter.fits_whole(avail)).then_some(wide)
}

/// The warning that says the table at `at` moved to `size`.
pub(crate) fn larger_paper_warning(at: String, profile: &Profile, size: PaperSize) -> Warning {
    Warning::new(
        "table-on-larger-paper",
        at,
        format!(
            "the columns do not fit {} even at {:.0} % of the profile's sizes; the table is set on {} pages ([page] wide_table_size)",
            profile.page.size.name(),
            profile.table.min_scale * 100.0,
            size.name(),
        ),
    )
}

/// A table measured once, fitted to a width at any type size.
pub(crate) struct Fitter {
    measured: Vec<Measured>,
    kinds: Vec<ColumnKind>,
    base: Sizes,
    top: Sizes,
    min_scale: f32,
}

impl Fitter {
    /// Measures the cells of `resolved` (the grid of `table`) with the
    /// faces of `fonts`; `table_type` says how far the type may grow and
    /// shrink.
    pub(crate) fn new(
        table: &Table,
        resolved: &ResolvedTable<'_>,
        fonts: &FontBook,
        table_type: &TableType,
    ) -> Fitter {
        let mut measured = Vec::new();
        for h in &resolved.header.cells {
            let s = shape(&h.text, Role::Header, 1.0, fonts);
            measured.push(Measured {
                col: h.col,
                cols: h.cols.max(1),
                header: true,
                class: Class::Header,
                min: s.min_width(),
                max: s.max_width(),
                indent: 0.0,
            });
        }
        let indents = Indents::of(table);
        for (r, slots) in resolved.body.iter().enumerate() {
            let kind = table.rows.get(r).map_or(RowKind::Item, |row| row.kind);
            for (c, slot) in slots.iter().enumerate() {
                let Slot::Cell { cell, cols, .. } = slot else {
                    continue;
                };
                let Some(text) = cell_text(&cell.value) else {
                    continue;
                };
                let (role, numeric) = body_role(kind, &cell.value);
                let s = shape(&text, role, 1.0, fonts);
                measured.push(Measured {
                    col: c,
                    cols: (*cols).max(1),
                    header: false,
                    class: if numeric { Class::Numbers } else { Class::Body },
                    min: s.min_width(),
                    max: s.max_width(),
                    indent: indents.ems(table, r, c),
                });
            }
        }
        let base = Sizes::base(fonts);
        let body = table_type.body_pt.max(base.body);
        let top = Sizes {
            header: table_type.header_pt.max(base.header),
            body,
            numbers: base.numbers * body / base.body.max(1.0),
        };
        Fitter {
            measured,
            kinds: table.columns.iter().map(|c| c.kind).collect(),
            base,
            top,
            min_scale: table_type.min_scale.clamp(HARD_MIN_SCALE, 1.0),
        }
    }

    /// The sizes a share `g` (0–1) of the way from the profile's sizes to
    /// the table sizes it may grow to, rounded down to half points.
    fn grown(&self, g: f32) -> Sizes {
        let lerp = |a: f32, b: f32| a + (b - a) * g;
        Sizes {
            header: lerp(self.base.header, self.top.header),
            body: lerp(self.base.body, self.top.body),
            numbers: lerp(self.base.numbers, self.top.numbers),
        }
        .scaled(1.0)
    }

    /// Fits the table to `avail` points: the largest type at which it fits
    /// comfortably (header labels on one line, text columns a dozen
    /// characters wide), else the profile's sizes if the minimums fit,
    /// else smaller type, else cuts.
    pub(crate) fn fit(&self, avail: f32) -> Fit {
        if self.comfort(self.base) <= avail {
            let sizes = if self.comfort(self.grown(1.0)) <= avail {
                self.grown(1.0)
            } else {
                let (mut lo, mut hi) = (0.0f32, 1.0f32);
                for _ in 0..SEARCH_STEPS {
                    let mid = (lo + hi) / 2.0;
                    if self.comfort(self.grown(mid)) <= avail {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                self.grown(lo)
            };
            return self.at(sizes, Cut::Nothing, avail);
        }
        let base = self.base;
        if self.minimum(base, Cut::Nothing) <= avail {
            return self.at(base, Cut::Nothing, avail);
        }
        let floor = base.scaled(self.min_scale);
        for cut in [Cut::Nothing, Cut::Headers, Cut::Text] {
            if self.minimum(floor, cut) <= avail {
                let s = self.largest_scale(self.min_scale, cut, avail);
                return self.at(base.scaled(s), cut, avail);
            }
        }
        let hard = base.scaled(HARD_MIN_SCALE);
        let s = if self.minimum(hard, Cut::Text) <= avail {
            self.largest_scale(HARD_MIN_SCALE, Cut::Text, avail)
        } else {
            HARD_MIN_SCALE
        };
        self.at(base.scaled(s), Cut::Text, avail)
    }

    /// Whether the columns fit `avail` points at the profile's smallest
    /// type (`min_scale`) with nothing cut between characters.
    pub(crate) fn fits_whole(&self, avail: f32) -> bool {
        self.minimum(self.base.scaled(self.min_scale), Cut::Nothing) <= avail
    }

    /// The largest scale in `[lo, 1]` of the profile's sizes at which the
    /// minimum widths (with `cut`) fit `avail`; `lo` is known to fit.
    fn largest_scale(&self, lo: f32, cut: Cut, avail: f32) -> f32 {
        let (mut lo, mut hi) = (lo, 1.0f32);
        for _ in 0..SEARCH_STEPS {
            let mid = (lo + hi) / 2.0;
            if self.minimum(self.base.scaled(mid), cut) <= avail {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The widths at `sizes`, with `cut` allowed, for `avail` points.
    pub(crate) fn at(&self, sizes: Sizes, cut: Cut, avail: f32) -> Fit {
        let (needs, spans) = self.needs(sizes, cut);
        let widths = columns::widths(&needs, &spans, avail, sizes.body);
        Fit {
            sizes,
            scale: sizes.body / self.base.body.max(1.0),
            widths,
            cut,
        }
    }

    /// `fit` with its sizes scaled by `s` (a PDF table set a little
    /// smaller to save a page), keeping its column widths and what it cut:
    /// the columns stay those of the DOCX, which cannot know its pages and
    /// never does this, and smaller type in the same widths still holds
    /// every unbreakable piece. Not rounded to half points, which would
    /// make the step uneven.
    pub(crate) fn rescaled(&self, fit: &Fit, s: f32) -> Fit {
        let sizes = Sizes {
            header: fit.sizes.header * s,
            body: fit.sizes.body * s,
            numbers: fit.sizes.numbers * s,
        };
        Fit {
            sizes,
            scale: sizes.body / self.base.body.max(1.0),
            widths: fit.widths.clone(),
            cut: fit.cut,
        }
    }

    /// Sum of the columns' minimum widths (spans included) at `sizes`.
    fn minimum(&self, sizes: Sizes, cut: Cut) -> f32 {
        let (needs, spans) = self.needs(sizes, cut);
        let mut min: Vec<f32> = needs.iter().map(|n| n.min).collect();
        widen_for_spans(&mut min, &spans);
        min.iter().sum()
    }

    /// Width of the table with every column comfortable at `sizes`: its
    /// minimum, its header label on one line (up to
    /// [`HEADER_ONE_LINE_EMS`]), a text column its longest line up to
    /// [`COMFORT_TEXT_EMS`].
    fn comfort(&self, sizes: Sizes) -> f32 {
        let (needs, spans) = self.needs(sizes, Cut::Nothing);
        let mut w: Vec<f32> = needs
            .iter()
            .map(|n| {
                let text = if n.fixed {
                    0.0
                } else {
                    n.max.min(COMFORT_TEXT_EMS * sizes.body + 2.0 * CELL_PAD_X)
                };
                n.min.max(n.header).max(text)
            })
            .collect();
        widen_for_spans(&mut w, &spans);
        w.iter().sum()
    }

    /// What each column needs at `sizes`, padding included. Amount and
    /// percent columns are fixed: all as wide as the widest number of the
    /// table (so they line up), wider only where their header would
    /// otherwise need more than two lines.
    fn needs(&self, sizes: Sizes, cut: Cut) -> (Vec<Need>, Vec<SpanNeed>) {
        let n = self.kinds.len();
        let pad = 2.0 * CELL_PAD_X;
        let mut needs: Vec<Need> = self
            .kinds
            .iter()
            .map(|k| Need {
                min: pad,
                max: pad,
                fixed: matches!(k, ColumnKind::Amount | ColumnKind::Percent),
                header: pad,
            })
            .collect();
        let mut header_max = vec![0.0f32; n];
        let mut deepest_indent = vec![0.0f32; n];
        let mut widest_number = 0.0f32;
        let mut spans = Vec::new();
        for m in &self.measured {
            let size = sizes.of(m.class);
            let indent = m.indent * sizes.body;
            let unbreakable = m.class == Class::Numbers
                || matches!(self.kinds.get(m.col), Some(ColumnKind::Code));
            let cuttable = match cut {
                Cut::Nothing => false,
                Cut::Headers => m.header,
                Cut::Text => m.header || !unbreakable,
            };
            let piece = if cuttable {
                m.min.min(1.0) * size
            } else if unbreakable && !m.header {
                m.min * size + ONE_LINE_SLACK
            } else {
                m.min * size
            };
            let min = piece + pad + indent;
            let max = m.max * size + pad + indent;
            if let Some(d) = deepest_indent.get_mut(m.col) {
                *d = d.max(indent);
            }
            if m.cols == 1 {
                let Some(need) = needs.get_mut(m.col) else {
                    continue;
                };
                need.min = need.min.max(min);
                if m.header {
                    if let Some(h) = header_max.get_mut(m.col) {
                        *h = h.max(max);
                    }
                } else if need.fixed {
                    widest_number = widest_number.max(max + ONE_LINE_SLACK);
                }
                if !(need.fixed && m.header) {
                    need.max = need.max.max(max);
                }
            } else if m.col < n {
                spans.push(SpanNeed {
                    col: m.col,
                    cols: m.cols,
                    min,
                });
            }
        }
        // A text column keeps a few characters a line beside its deepest
        // indent (科目名称 is not set one character a line) unless text
        // cells may be cut.
        if cut != Cut::Text {
            for ((need, kind), indent) in needs.iter_mut().zip(&self.kinds).zip(&deepest_indent) {
                if *kind == ColumnKind::Text {
                    let readable = columns::READABLE_TEXT_EMS * sizes.body + pad + indent;
                    need.min = need.min.max(need.max.min(readable));
                }
            }
        }
        let em = sizes.header;
        for (need, head) in needs.iter_mut().zip(&header_max) {
            if need.fixed {
                let header_share = (head - pad) / AMOUNT_HEADER_LINES + pad;
                let header_floor = head.min(AMOUNT_HEADER_MIN_EMS * em + pad);
                let w = need
                    .min
                    .max(need.max)
                    .max(widest_number)
                    .max(header_share)
                    .max(header_floor);
                need.min = w;
                need.max = w;
            }
            // A label on one line, up to a dozen characters or so.
            need.header = if *head > pad {
                (head.min(HEADER_ONE_LINE_EMS * em + pad) + ONE_LINE_SLACK).max(need.min)
            } else {
                need.min
            };
        }
        (needs, spans)
    }
}

/// A spanning cell wider than its columns widens them evenly.
fn widen_for_spans(w: &mut [f32], spans: &[SpanNeed]) {
    let n = w.len();
    for s in spans {
        let end = (s.col + s.cols).min(n);
        if s.col >= end {
            continue;
        }
        let have: f32 = w[s.col..end].iter().sum();
        if s.min > have {
            let add = (s.min - have) / (end - s.col) as f32;
            for x in &mut w[s.col..end] {
                *x += add;
            }
        }
    }
}

/// The font book the fit measures with, its faces from `store`: the
/// profile's faces, or the bundled ones alone when a profile's own font
/// file cannot be read (the DOCX writer embeds no fonts and must not fail
/// for one).
pub(crate) fn font_book(
    store: &FontStore,
    fonts: &crate::profile::Fonts,
) -> Result<FontBook, String> {
    FontBook::new(store, fonts).or_else(|_| {
        let mut bundled = fonts.clone();
        for spec in [
            &mut bundled.title,
            &mut bundled.header,
            &mut bundled.body,
            &mut bundled.numbers,
        ] {
            spec.file = None;
        }
        FontBook::new(store, &bundled).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;
    use crate::profile::Profile;
    use crate::write::pdf::layout::{Item, RunKind, layout_document};
    use std::io::Read;
    use std::path::Path;

    fn read(rel: &str) -> Document {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        crate::read_path(&path, &crate::ReadOptions::default()).unwrap()
    }

    /// The seed, the variants that are tables, the 17-column 部门支出总表.
    fn documents() -> Vec<Document> {
        let mut docs: Vec<Document> = [
            "tests/fixtures/corpus/seed/budget-2level.xlsx",
            "tests/fixtures/corpus/seed/budget.docx",
            "tests/fixtures/typo/部门支出总表_17列.xlsx",
        ]
        .iter()
        .map(|r| read(r))
        .collect();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/variants");
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        names.sort_by_key(|e| e.file_name());
        for e in names {
            if let Ok(d) = crate::read_path(&e.path(), &crate::ReadOptions::default()) {
                docs.push(d);
            }
        }
        docs
    }

    /// Each table's `w:gridCol` widths in twips.
    fn grid_cols(docx: &[u8]) -> Vec<Vec<f32>> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml.split("<w:tblGrid>")
            .skip(1)
            .map(|g| {
                g.split("</w:tblGrid>")
                    .next()
                    .unwrap_or("")
                    .split("w:w=\"")
                    .skip(1)
                    .filter_map(|v| v.split('"').next()?.parse::<f32>().ok())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn pdf_and_docx_give_a_table_the_same_columns() {
        let profile = Profile::default();
        let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
        let options = crate::RenderOptions::default();
        let mut compared = 0;
        let mut squeezed = 0;
        for doc in documents() {
            let laid = layout_document(&doc, &profile, &fonts);
            let docx = crate::write::docx::write(&doc, &options).unwrap().bytes;
            let grids = grid_cols(&docx);
            assert_eq!(grids.len(), doc.tables.len(), "{}", doc.source.path);
            for (ti, grid) in grids.iter().enumerate() {
                // A PDF column's width: its narrowest body cell's box (cells
                // spanning columns are wider).
                let mut pdf = vec![f32::INFINITY; grid.len()];
                let mut largest = 0.0f32;
                for page in laid.pages.iter().filter(|p| p.table == ti) {
                    for item in &page.items {
                        if let Item::Text(r) = item
                            && r.kind == RunKind::Body
                            && let Some(c) = r.col
                            && c < pdf.len()
                        {
                            pdf[c] = pdf[c].min(r.bounds.w);
                            largest = largest.max(r.size);
                        }
                    }
                }
                // The PDF alone sets a table up to 10 % smaller to save a
                // last page holding a row or two; the DOCX cannot know its
                // pages. Those tables are compared at their own sizes in
                // no test here.
                let t = &doc.tables[ti];
                let resolved = crate::grid::resolve(t);
                let fit =
                    Fitter::new(t, &resolved, &fonts, &profile.table).fit(laid.pages[0].area.w);
                if largest + 0.01 < fit.sizes.body.max(fit.sizes.numbers) {
                    squeezed += 1;
                    continue;
                }
                let docx_total: f32 = grid.iter().sum();
                for (c, (p, d)) in pdf.iter().zip(grid).enumerate() {
                    if !p.is_finite() {
                        continue;
                    }
                    let d = d / 20.0;
                    assert!(
                        (p - d).abs() <= 0.02 * p.max(d),
                        "{} table {ti} column {c}: PDF {p:.1} pt, DOCX {d:.1} pt (of {:.1}); PDF {pdf:?}, DOCX {grid:?}",
                        doc.source.path,
                        docx_total / 20.0
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared >= 40, "only {compared} columns compared");
        assert!(
            squeezed <= 3,
            "{squeezed} tables set smaller to save a page"
        );
    }

    #[test]
    fn short_labels_stay_on_one_line_and_tables_span_the_width() {
        let profile = Profile::default();
        let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
        let avail = 297.0 / 25.4 * 72.0 - 30.0 / 25.4 * 72.0;
        for doc in documents() {
            for t in &doc.tables {
                let resolved = crate::grid::resolve(t);
                let fit = Fitter::new(t, &resolved, &fonts, &profile.table).fit(avail);
                let at = format!("{} '{}'", doc.source.path, t.title.as_deref().unwrap_or(""));
                let sum: f32 = fit.widths.iter().sum();
                assert!((sum - avail).abs() < 0.5, "{at}: {sum} of {avail}");
                if t.columns.len() <= 8 {
                    assert!(fit.sizes.body >= 10.5, "{at}: {:?}", fit.sizes);
                }
                // A label that fits its column on one line is not broken
                // there: every leaf label no wider than its column.
                for h in resolved.header.cells.iter().filter(|h| h.cols == 1) {
                    let s = shape(&h.text, Role::Header, fit.sizes.header, &fonts);
                    let inner = fit.widths[h.col] - 2.0 * CELL_PAD_X;
                    let lines = s.break_lines(inner);
                    if h.text.chars().count() <= 10 && t.columns.len() <= 8 {
                        assert_eq!(lines.len(), 1, "{at}: '{}' in {inner} pt", h.text);
                    }
                    if s.max_width() <= inner {
                        assert_eq!(lines.len(), 1, "{at}: '{}'", h.text);
                    }
                }
            }
        }
    }

    #[test]
    fn wide_tables_shrink_no_further_than_their_amounts_need() {
        let doc = read("tests/fixtures/typo/部门支出总表_17列.xlsx");
        let t = &doc.tables[0];
        let profile = Profile::default();
        let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
        let resolved = crate::grid::resolve(t);
        let fitter = Fitter::new(t, &resolved, &fonts, &profile.table);
        let avail = 297.0 / 25.4 * 72.0 - 30.0 / 25.4 * 72.0;
        let fit = fitter.fit(avail);
        assert!(fit.scale < 1.0 && fit.scale >= 0.7, "{fit:?}");
        // Half a point larger and the minimums no longer fit.
        let larger = Sizes {
            header: fit.sizes.header + 0.5,
            body: fit.sizes.body + 0.5,
            numbers: fit.sizes.numbers + 0.5,
        };
        assert!(fitter.minimum(larger, Cut::Nothing) > avail, "{fit:?}");
        // Every amount column holds the widest amount at the fitted size.
        for (c, col) in t.columns.iter().enumerate() {
            if col.kind != ColumnKind::Amount {
                continue;
            }
            for row in &t.rows {
                if let Some(text) = row.cells.get(c).and_then(|cell| cell_text(&cell.value)) {
                    let (role, _) = body_role(row.kind, &row.cells[c].value);
                    let w = shape(&text, role, fit.sizes.numbers, &fonts).max_width();
                    assert!(
                        w + 2.0 * CELL_PAD_X <= fit.widths[c],
                        "{text} in column {c}"
                    );
                }
            }
        }
    }
}
