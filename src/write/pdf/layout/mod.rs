//! The layout engine: a document becomes pages of positioned items — glyph
//! runs, rules, fills — in points, origin at the top-left corner, y going
//! down. Nothing here knows PDF syntax; `render` turns the pages into PDF
//! operations and makes no decisions of its own.
//!
//! Every table starts on a new page: title centred, meta lines (部门名称
//! left, 单位 right), the table with its header rows repeated on every page,
//! then its notes. Page numbers and the profile's header/footer texts are
//! placed last, when the page count is known.

pub(crate) mod book;
pub(crate) mod columns;
pub(crate) mod paginate;
mod rows;
#[cfg(test)]
mod tests;
pub(crate) mod text;

use super::fonts::{FaceId, FontBook, Role};
use crate::limits::Limit;
use crate::model::{Block, Document, Table, Warning, is_department_key};
use crate::profile::{PageNumberStyle, Profile};
use std::collections::BTreeSet;
use text::{Shaped, shape};

/// Points per millimetre.
pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// Line height as a multiple of the font size: CJK text set solid is hard
/// to read; 1.3 keeps the long 绩效指标 cells compact yet open.
pub(crate) const LINE_HEIGHT: f32 = 1.3;

/// Where the baseline sits below the top of an em box: Noto CJK's
/// ideographic em box runs from 0.88 em above the baseline to 0.12 em
/// below it.
pub(crate) const ASCENT: f32 = 0.88;

/// Horizontal padding inside a cell, in points: the fitting routine's,
/// which the DOCX writer shares.
pub(crate) const CELL_PAD_X: f32 = crate::write::fit::CELL_PAD_X;

/// Vertical padding inside a cell, in points.
pub(crate) const CELL_PAD_Y: f32 = 2.5;

/// Space between the title and the meta lines, in points.
const TITLE_GAP: f32 = 8.0;

/// Space between the meta lines and the table, and between the table and
/// its notes, in points.
const BLOCK_GAP: f32 = 4.0;

/// Space kept free for the page number and footer text at the bottom of the
/// text area, in points: one line of body text and a gap above it.
const FOOTER_SPACE_LINES: f32 = 2.0;

/// Thickness of the table's outer and inner rules, in points.
pub(crate) const RULE_WIDTH: f32 = 0.5;

/// Grey of header-row shading (0 black – 1 white).
pub(crate) const HEADER_SHADE: f32 = 0.9;

/// Grey of totals-row shading: lighter than the header.
pub(crate) const TOTAL_SHADE: f32 = 0.95;

/// A rectangle in points, top-left origin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// Right edge.
    pub(crate) fn right(&self) -> f32 {
        self.x + self.w
    }

    /// Bottom edge.
    pub(crate) fn bottom(&self) -> f32 {
        self.y + self.h
    }

    /// Whether `other` lies inside this rectangle (with a little rounding
    /// slack).
    #[cfg(test)]
    pub(crate) fn contains(&self, other: &Rect) -> bool {
        const SLACK: f32 = 0.05;
        other.x >= self.x - SLACK
            && other.y >= self.y - SLACK
            && other.right() <= self.right() + SLACK
            && other.bottom() <= self.bottom() + SLACK
    }
}

/// What a glyph run is part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    /// The table title.
    Title,
    /// A meta line.
    Meta,
    /// A header cell.
    Header,
    /// A body cell.
    Body,
    /// A note after the table.
    Note,
    /// Page number, header or footer text.
    Furniture,
    /// A book's cover: its title, department and date.
    Cover,
    /// A line of a book's 目录: its heading, titles, leaders, numbers.
    Contents,
    /// A chapter or sub-heading of a book, or the table group's heading.
    Heading,
    /// Running text of a book's chapter: paragraphs and list items.
    Text,
}

/// Characters of one face on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GlyphRun {
    /// Left end of the run.
    pub x: f32,
    /// Baseline.
    pub baseline: f32,
    /// Font size in points.
    pub size: f32,
    /// The face.
    pub face: FaceId,
    /// The characters.
    pub text: String,
    /// Advance width of the whole run (extra spacing included, but not
    /// after its last character).
    pub width: f32,
    /// Extra space after every character, in points (a justified line's
    /// share of its slack); 0 for most runs.
    pub spacing: f32,
    /// Drawn slanted (emphasis; no italic face is bundled).
    pub slant: bool,
    /// The box the run must stay inside (its cell, or the text area).
    pub bounds: Rect,
    /// Whether the run begins a line.
    pub starts_line: bool,
    /// What it belongs to.
    pub kind: RunKind,
    /// Body row (index into the table's rows) for body runs; header row for
    /// header runs; the block of its chapter for a book's running text and
    /// sub-headings.
    pub row: Option<usize>,
    /// Column for header and body runs.
    pub col: Option<usize>,
}

#[cfg(test)]
impl GlyphRun {
    /// The run's em box: from the ascent to the descent of its size.
    pub(crate) fn ink_box(&self) -> Rect {
        Rect {
            x: self.x,
            y: self.baseline - ASCENT * self.size,
            w: self.width,
            h: self.size,
        }
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// Text.
    Text(GlyphRun),
    /// A rectangle's outline (a cell's borders).
    Frame {
        /// Where.
        rect: Rect,
        /// Thickness.
        width: f32,
    },
    /// A grey rectangle under text.
    Fill {
        /// Where.
        rect: Rect,
        /// Grey level, 0 black – 1 white.
        gray: f32,
    },
    /// An outlined box standing in for a character no font has.
    MissingGlyph {
        /// Where.
        rect: Rect,
    },
}

/// One laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageLayout {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The text area (page minus margins).
    pub area: Rect,
    /// Index of the table the page belongs to (in a book, of the table
    /// on it or the number of tables laid out before it).
    pub table: usize,
    /// What is drawn, in drawing order.
    pub items: Vec<Item>,
}

/// Where a body row went: one entry per page it is on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RowFragment {
    /// Table index.
    pub table: usize,
    /// Row index in the table.
    pub row: usize,
    /// Page index in the document.
    pub page: usize,
    /// Height of the whole row, unsplit.
    pub full_height: f32,
    /// Space that was left on the page where the row began.
    pub space_left: f32,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocumentLayout {
    /// The pages.
    pub pages: Vec<PageLayout>,
    /// Where each body row went, for checks.
    pub fragments: Vec<RowFragment>,
    /// What could not be drawn as asked (missing glyphs, shrunk tables).
    pub warnings: Vec<Warning>,
    /// Why the layout stopped (a page limit reached, header rows taller
    /// than a page), with the table; the pages are then incomplete and
    /// must not be written.
    pub over_limit: Option<Stop>,
}

/// Why a layout stopped, with the table as layout names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// A page limit was reached.
    Limit {
        /// The table.
        table: String,
        /// The limit.
        limit: crate::limits::LimitError,
    },
    /// Header rows taller than a page.
    TooTall {
        /// The table.
        table: String,
        /// What.
        message: String,
    },
}

impl From<Stop> for crate::write::WriteError {
    fn from(stop: Stop) -> Self {
        match stop {
            Stop::Limit { table, limit } => crate::write::WriteError::Pages {
                table,
                source: limit,
            },
            Stop::TooTall { table, message } => crate::write::WriteError::Layout {
                table: Some(table),
                message,
            },
        }
    }
}

/// Page geometry from the profile, in points.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    /// Text area: page minus margins.
    pub area: Rect,
    /// Top of the content under the running header (if any).
    pub content_top: f32,
    /// Bottom of the content above the footer.
    pub content_bottom: f32,
    /// Most pages one table may take ([`crate::Limits::pages_per_table`]):
    /// pagination stops one page past it, so a hostile table costs no
    /// more than that.
    pub max_table_pages: usize,
    /// How tables look (the profile's `table_style`).
    pub look: TableLook,
    /// How tables may grow and shrink their type.
    pub table: crate::profile::TableType,
}

/// The profile's `table_style` as the table layout uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TableLook {
    /// Header cells shaded.
    pub header_shading: bool,
    /// The font role of header cells.
    pub header_role: Role,
    /// Code columns centred.
    pub code_center: bool,
    /// Row labels indented by level.
    pub indent_levels: bool,
    /// Total rows bold.
    pub total_bold: bool,
    /// Total rows shaded.
    pub total_shading: bool,
    /// Total rows' labels centred.
    pub total_label_center: bool,
}

impl TableLook {
    fn of(style: &crate::profile::TableStyle) -> TableLook {
        use crate::profile::{CellAlign, FontRole};
        TableLook {
            header_shading: style.header_shading,
            header_role: match style.header_font {
                FontRole::Header => Role::Header,
                FontRole::Body => Role::Body,
            },
            code_center: style.code_align == CellAlign::Center,
            indent_levels: style.indent_levels,
            total_bold: style.total_bold,
            total_shading: style.total_shading,
            total_label_center: style.total_label_align == CellAlign::Center,
        }
    }
}

/// Smallest text area a profile may leave, in points: room for a handful
/// of columns.
const MIN_AREA: f32 = 72.0;

impl Geometry {
    fn new(profile: &Profile, fonts: &FontBook) -> Geometry {
        Geometry::oriented(profile, fonts, profile.page.orientation, 0.0)
    }

    /// The profile's page (its orientation and margins) on `size` paper.
    pub(crate) fn on_paper(
        profile: &Profile,
        fonts: &FontBook,
        size: crate::profile::PaperSize,
    ) -> Geometry {
        let mut on = profile.clone();
        on.page.size = size;
        Geometry::new(&on, fonts)
    }

    /// The profile's page turned to `orientation`, its left and right
    /// margins at least `min_side_mm`.
    pub(crate) fn oriented(
        profile: &Profile,
        fonts: &FontBook,
        orientation: crate::profile::Orientation,
        min_side_mm: f32,
    ) -> Geometry {
        let page = crate::profile::Page {
            orientation,
            margin_left_mm: profile.page.margin_left_mm.max(min_side_mm),
            margin_right_mm: profile.page.margin_right_mm.max(min_side_mm),
            ..profile.page.clone()
        };
        let (w_mm, h_mm) = page.size_mm();
        let (width, height) = (w_mm * PT_PER_MM, h_mm * PT_PER_MM);
        let mm = |v: f32| {
            if v.is_finite() {
                v.max(0.0) * PT_PER_MM
            } else {
                0.0
            }
        };
        let mut left = mm(page.margin_left_mm);
        let mut right = mm(page.margin_right_mm);
        let mut top = mm(page.margin_top_mm);
        let mut bottom = mm(page.margin_bottom_mm);
        if width - left - right < MIN_AREA {
            (left, right) = ((width - MIN_AREA) / 2.0, (width - MIN_AREA) / 2.0);
        }
        if height - top - bottom < MIN_AREA * 2.0 {
            (top, bottom) = (
                (height - MIN_AREA * 2.0) / 2.0,
                (height - MIN_AREA * 2.0) / 2.0,
            );
        }
        let area = Rect {
            x: left,
            y: top,
            w: width - left - right,
            h: height - top - bottom,
        };
        let body = fonts.size(Role::Body);
        let content_top = if profile.header_text.is_some() {
            area.y + body * LINE_HEIGHT * FOOTER_SPACE_LINES
        } else {
            area.y
        };
        let content_bottom =
            if profile.page_number != PageNumberStyle::None || profile.footer_text.is_some() {
                area.bottom() - body * LINE_HEIGHT * FOOTER_SPACE_LINES
            } else {
                area.bottom()
            };
        Geometry {
            width,
            height,
            area,
            content_top,
            content_bottom,
            max_table_pages: profile.limits.pages_per_table,
            look: TableLook::of(&profile.table_style),
            table: profile.table,
        }
    }

    fn content_width(&self) -> f32 {
        self.area.w
    }
}

/// Collects missing-glyph warnings, one per character and place.
#[derive(Debug, Default)]
pub(crate) struct Missing {
    seen: BTreeSet<(String, char)>,
    pub warnings: Vec<Warning>,
}

impl Missing {
    /// Notes the characters of `shaped` no face has, at `at`.
    pub(crate) fn check(&mut self, shaped: &Shaped, at: &str) {
        for g in &shaped.glyphs {
            if g.face.is_none() && !g.ch.is_control() && self.seen.insert((at.to_string(), g.ch)) {
                self.warnings.push(Warning::new(
                    "missing-glyph",
                    at.to_string(),
                    format!(
                        "no configured or bundled font has '{}' (U+{:04X}); an empty box stands in its place",
                        g.ch, g.ch as u32
                    ),
                ));
            }
        }
    }
}

/// Where the lines of a text go: the box they must stay in, the inner
/// area they are aligned in, and what they belong to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    pub bounds: Rect,
    pub inner_x: f32,
    pub inner_w: f32,
    pub align: HAlign,
    pub kind: RunKind,
    pub row: Option<usize>,
    pub col: Option<usize>,
}

impl Placement {
    /// Text straight in the text area (title, meta lines, notes).
    pub(crate) fn area(area: Rect, x: f32, w: f32, align: HAlign, kind: RunKind) -> Placement {
        Placement {
            bounds: area,
            inner_x: x,
            inner_w: w,
            align,
            kind,
            row: None,
            col: None,
        }
    }
}

/// Places already broken lines of `shaped`, the first line box's top at
/// `first_top`.
pub(crate) fn push_lines(
    items: &mut Vec<Item>,
    shaped: &Shaped,
    lines: &[text::Line],
    first_top: f32,
    p: &Placement,
) {
    push_lines_spaced(
        items,
        shaped,
        lines,
        first_top,
        shaped.size * LINE_HEIGHT,
        p,
    );
}

/// Places already broken lines of `shaped` `line_h` apart, the first line
/// box's top at `first_top`; the baseline sits in the middle of the box.
pub(crate) fn push_lines_spaced(
    items: &mut Vec<Item>,
    shaped: &Shaped,
    lines: &[text::Line],
    first_top: f32,
    line_h: f32,
    p: &Placement,
) {
    for (i, line) in lines.iter().enumerate() {
        let top = first_top + i as f32 * line_h;
        let baseline = top + (line_h - shaped.size) / 2.0 + ASCENT * shaped.size;
        let x = match p.align {
            HAlign::Left => p.inner_x,
            HAlign::Center => p.inner_x + ((p.inner_w - line.width) / 2.0).max(0.0),
            HAlign::Right => p.inner_x + (p.inner_w - line.width).max(0.0),
        };
        push_line(items, shaped, line, x, baseline, 0.0, p);
    }
}

/// Places one line with its left end at `x`, split into runs by face (and
/// slant), `spacing` points of extra space after every character.
pub(crate) fn push_line(
    items: &mut Vec<Item>,
    shaped: &Shaped,
    line: &text::Line,
    x: f32,
    baseline: f32,
    spacing: f32,
    p: &Placement,
) {
    let mut cx = x;
    let mut first = true;
    let glyphs = shaped.glyphs.get(line.start..line.end).unwrap_or_default();
    let mut i = 0;
    while i < glyphs.len() {
        let face = glyphs[i].face;
        let slant = glyphs[i].slant;
        let mut j = i;
        let mut width = 0.0;
        while j < glyphs.len() && glyphs[j].face == face && glyphs[j].slant == slant {
            width += glyphs[j].advance + spacing;
            j += 1;
        }
        match face {
            Some(face) => {
                let text: String = glyphs[i..j].iter().map(|g| g.ch).collect();
                items.push(Item::Text(GlyphRun {
                    x: cx,
                    baseline,
                    size: shaped.size,
                    face,
                    text,
                    width: width - spacing,
                    spacing,
                    slant,
                    bounds: p.bounds,
                    starts_line: first,
                    kind: p.kind,
                    row: p.row,
                    col: p.col,
                }));
                first = false;
            }
            None => {
                // Characters no face has (control characters have no
                // width): an outlined box for each.
                let mut gx = cx;
                for g in &glyphs[i..j] {
                    if g.advance > 0.0 {
                        let inset = g.advance * MISSING_BOX_INSET;
                        items.push(Item::MissingGlyph {
                            rect: Rect {
                                x: gx + inset,
                                y: baseline - ASCENT * shaped.size + inset,
                                w: g.advance - 2.0 * inset,
                                h: shaped.size - 2.0 * inset,
                            },
                        });
                    }
                    gx += g.advance + spacing;
                }
            }
        }
        cx += width;
        i = j;
    }
}

/// The box standing in for a missing character is inset by this share of
/// its width, so neighbouring boxes stay apart.
const MISSING_BOX_INSET: f32 = 0.1;

/// Horizontal alignment of a line in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HAlign {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

impl PageLayout {
    fn empty(geo: &Geometry, table: usize) -> PageLayout {
        PageLayout {
            width: geo.width,
            height: geo.height,
            area: geo.area,
            table,
            items: Vec::new(),
        }
    }

    /// A page like this one with nothing on it.
    pub(crate) fn clone_empty(&self) -> PageLayout {
        PageLayout {
            width: self.width,
            height: self.height,
            area: self.area,
            table: self.table,
            items: Vec::new(),
        }
    }
}

/// Lays out a whole document in reading order: each table from a new
/// page, each text section from a new page as the book sets a chapter.
pub(crate) fn layout_document(
    doc: &Document,
    profile: &Profile,
    fonts: &FontBook,
) -> DocumentLayout {
    let geo = Geometry::new(profile, fonts);
    let mut pages = Vec::new();
    let mut fragments = Vec::new();
    let mut missing = Missing::default();
    let mut warnings = Vec::new();
    // Text sections and tables laid out so far.
    let (mut sections, mut tables_done) = (0, 0);
    for block in doc.reading_order() {
        let (ti, table) = match block {
            Block::Table { index } => match doc.tables.get(index) {
                Some(t) => (index, t),
                None => continue,
            },
            Block::Text(section) => {
                sections += 1;
                let name = format!("text section {sections}");
                let (mut spages, mut swarnings) =
                    book::section_pages(&section, &name, tables_done, profile, fonts);
                let over = profile
                    .limits
                    .check(Limit::Pages, pages.len() + spages.len());
                if let Err(limit) = over {
                    return DocumentLayout {
                        pages: Vec::new(),
                        fragments: Vec::new(),
                        warnings: Vec::new(),
                        over_limit: Some(Stop::Limit { table: name, limit }),
                    };
                }
                pages.append(&mut spages);
                warnings.append(&mut swarnings);
                continue;
            }
        };
        tables_done += 1;
        // A table too wide for the page even at the smallest type moves
        // to larger paper when the profile names one.
        let wide = crate::write::fit::wider_paper(table, fonts, profile, geo.content_width());
        if let Some(size) = wide {
            let at = format!("table {}", ti + 1);
            warnings.push(crate::write::fit::larger_paper_warning(at, profile, size));
        }
        let wide = wide.map(|size| Geometry::on_paper(profile, fonts, size));
        let mut ctx = TableCtx {
            geo: wide.as_ref().unwrap_or(&geo),
            fonts,
            table,
            index: ti,
            label: None,
            first_page: pages.len(),
            missing: &mut missing,
            warnings: &mut warnings,
        };
        let (mut tpages, mut tfrags) = layout_table(&mut ctx);
        let name = ctx.name();
        let limits = &profile.limits;
        let over = limits
            .check(Limit::PagesPerTable, tpages.len())
            .and_then(|()| limits.check(Limit::Pages, pages.len() + tpages.len()))
            .map_err(|limit| Stop::Limit {
                table: name.clone(),
                limit,
            });
        let too_tall = warnings
            .iter()
            .find(|w| w.code == paginate::HEADER_TOO_TALL)
            .map(|w| Stop::TooTall {
                table: name.clone(),
                message: w.message.clone(),
            });
        if let Some(why) = over.err().or(too_tall) {
            return DocumentLayout {
                pages: Vec::new(),
                fragments: Vec::new(),
                warnings: Vec::new(),
                over_limit: Some(why),
            };
        }
        pages.append(&mut tpages);
        fragments.append(&mut tfrags);
    }
    if pages.is_empty() {
        pages.push(PageLayout::empty(&geo, 0));
    }
    let numbers: Vec<Option<usize>> = (1..=pages.len()).map(Some).collect();
    furniture(&mut pages, &numbers, profile, fonts);
    stack_items(&mut pages);
    let mut all = missing.warnings;
    all.append(&mut warnings);
    DocumentLayout {
        pages,
        fragments,
        warnings: all,
        over_limit: None,
    }
}

/// Shading under rules under text, whatever order they were made in.
pub(crate) fn stack_items(pages: &mut [PageLayout]) {
    for page in pages {
        page.items.sort_by_key(|item| match item {
            Item::Fill { .. } => 0,
            Item::Frame { .. } | Item::MissingGlyph { .. } => 1,
            Item::Text(_) => 2,
        });
    }
}

/// What laying out one table needs.
pub(crate) struct TableCtx<'a> {
    pub geo: &'a Geometry,
    pub fonts: &'a FontBook,
    pub table: &'a Table,
    pub index: usize,
    /// How warnings name the table; "table N" when `None`.
    pub label: Option<String>,
    /// Document index of the table's first page.
    pub first_page: usize,
    pub missing: &'a mut Missing,
    pub warnings: &'a mut Vec<Warning>,
}

impl TableCtx<'_> {
    /// "table 2" (one-based), for warnings.
    pub(crate) fn name(&self) -> String {
        match &self.label {
            Some(label) => label.clone(),
            None => format!("table {}", self.index + 1),
        }
    }
}

/// Lays out one table: the title block, then the grid, then the notes.
fn layout_table(ctx: &mut TableCtx<'_>) -> (Vec<PageLayout>, Vec<RowFragment>) {
    let page = PageLayout::empty(ctx.geo, ctx.index);
    let y = ctx.geo.content_top;
    let (pages, fragments, _) = layout_table_on(ctx, page, y);
    (pages, fragments)
}

/// Lays out one table from `y` on `page` (a book's table under its
/// group's heading, or a chapter's table in the running text); returns its
/// pages, where its rows went and where its last page's content ends.
pub(crate) fn layout_table_on(
    ctx: &mut TableCtx<'_>,
    mut page: PageLayout,
    mut y: f32,
) -> (Vec<PageLayout>, Vec<RowFragment>, f32) {
    let geo = *ctx.geo;
    let width = geo.content_width();
    let x = geo.area.x;

    // Title, centred, wrapped if it is wider than the page.
    if let Some(title) = ctx.table.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let size = ctx.fonts.size(Role::Title);
        let shaped = shape(title, Role::Title, size, ctx.fonts);
        ctx.missing
            .check(&shaped, &format!("{}, title", ctx.name()));
        let lines = shaped.break_lines(width);
        let at = Placement::area(geo.area, x, width, HAlign::Center, RunKind::Title);
        push_lines(&mut page.items, &shaped, &lines, y, &at);
        y += lines.len() as f32 * size * LINE_HEIGHT + TITLE_GAP;
    }

    // Meta lines: department left and unit right on one line, the others
    // each on a line of their own, where the source had them.
    y = meta_lines(ctx, &mut page.items, y);
    y += BLOCK_GAP;

    let (mut pages, fragments, end_y) = paginate::table_grid(ctx, page, y);

    // Notes after the table, flowing onto new pages if needed.
    let size = ctx.fonts.size(Role::Body);
    let line_h = size * LINE_HEIGHT;
    let mut y = end_y + BLOCK_GAP;
    let at = Placement::area(geo.area, x, width, HAlign::Left, RunKind::Note);
    for (ni, note) in ctx.table.notes.iter().enumerate() {
        let shaped = shape(note, Role::Body, size, ctx.fonts);
        ctx.missing
            .check(&shaped, &format!("{}, note {}", ctx.name(), ni + 1));
        for line in shaped.break_lines(width) {
            if y + line_h > geo.content_bottom {
                pages.push(PageLayout::empty(&geo, ctx.index));
                y = geo.content_top;
            }
            if let Some(last) = pages.last_mut() {
                push_lines(&mut last.items, &shaped, &[line], y, &at);
            }
            y += line_h;
        }
    }
    (pages, fragments, y)
}

/// Whether a meta line is the unit line (单位：万元).
fn is_unit_meta(m: &crate::model::Meta) -> bool {
    matches!(m.key.as_deref(), Some("单位" | "金额单位" | "计量单位"))
}

/// Places the meta lines from `y`; returns the y under them.
fn meta_lines(ctx: &mut TableCtx<'_>, items: &mut Vec<Item>, mut y: f32) -> f32 {
    let geo = *ctx.geo;
    let size = ctx.fonts.size(Role::Body);
    let line_h = size * LINE_HEIGHT;
    let width = geo.area.w;
    let x = geo.area.x;
    let meta = &ctx.table.meta;
    let dept = meta
        .iter()
        .position(|m| m.key.as_deref().is_some_and(is_department_key));
    let unit = meta.iter().position(is_unit_meta);
    let unit_text = match unit {
        Some(i) => meta.get(i).map(|m| m.text.clone()),
        None => ctx.table.unit.map(|u| format!("单位：{}", u.name())),
    };
    let name = ctx.name();
    let at = |i: usize| format!("{name}, meta line {}", i + 1);

    // The shared line: department (or nothing) left, unit right.
    if dept.is_some() || unit_text.is_some() {
        let right = unit_text.map(|t| shape(&t, Role::Body, size, ctx.fonts));
        let right_w = right.as_ref().map_or(0.0, |r| r.max_width().min(width));
        if let Some(r) = &right {
            ctx.missing.check(r, &at(unit.unwrap_or(meta.len())));
        }
        let mut lines_used = 1;
        if let Some(d) = dept.and_then(|i| meta.get(i)) {
            let shaped = shape(&d.text, Role::Body, size, ctx.fonts);
            ctx.missing.check(&shaped, &at(dept.unwrap_or(0)));
            let gap = if right.is_some() { size * 2.0 } else { 0.0 };
            let avail = (width - right_w - gap).max(width / 2.0);
            let lines = shaped.break_lines(avail);
            lines_used = lines.len();
            let p = Placement::area(geo.area, x, avail, HAlign::Left, RunKind::Meta);
            push_lines(items, &shaped, &lines, y, &p);
        }
        if let Some(r) = &right {
            let lines = r.break_lines(width);
            // The unit sits on the last line of the department text.
            let top = y + lines_used.saturating_sub(lines.len()) as f32 * line_h;
            let p = Placement::area(geo.area, x, width, HAlign::Right, RunKind::Meta);
            push_lines(items, r, &lines, top, &p);
            lines_used = lines_used.max(lines.len());
        }
        y += lines_used as f32 * line_h;
    }
    for (i, m) in meta.iter().enumerate() {
        if Some(i) == dept || Some(i) == unit || m.text.trim().is_empty() {
            continue;
        }
        let shaped = shape(&m.text, Role::Body, size, ctx.fonts);
        ctx.missing.check(&shaped, &at(i));
        let lines = shaped.break_lines(width);
        let align = match m.align {
            crate::model::Align::Left => HAlign::Left,
            crate::model::Align::Center => HAlign::Center,
            crate::model::Align::Right => HAlign::Right,
        };
        let p = Placement::area(geo.area, x, width, align, RunKind::Meta);
        push_lines(items, &shaped, &lines, y, &p);
        y += lines.len() as f32 * line_h;
    }
    y
}

/// Page numbers and the profile's running header and footer texts, inside
/// the text area: the running header above the content, the footer below
/// it. `numbers[i]` is page `i`'s number; pages without one (a book's cover
/// and 目录) get no furniture. The total is the number of numbered pages.
pub(crate) fn furniture(
    pages: &mut [PageLayout],
    numbers: &[Option<usize>],
    profile: &Profile,
    fonts: &FontBook,
) {
    let size = fonts.size(Role::Body);
    let line_h = size * LINE_HEIGHT;
    let total = numbers.iter().filter(|n| n.is_some()).count();
    for (page, n) in pages.iter_mut().zip(numbers) {
        let Some(n) = *n else { continue };
        let area = page.area;
        let width = area.w;
        let x = area.x;
        let footer_top = area.bottom() - line_h;
        if let Some(head) = &profile.header_text {
            let shaped = shape(head, Role::Body, size, fonts);
            let lines = shaped.break_lines(width);
            let p = Placement::area(area, x, width, HAlign::Center, RunKind::Furniture);
            push_lines(
                &mut page.items,
                &shaped,
                &lines[..lines.len().min(1)],
                area.y,
                &p,
            );
        }
        let number = match profile.page_number {
            PageNumberStyle::Chinese => Some((format!("第 {n} 页 共 {total} 页"), HAlign::Center)),
            // GB/T 9704: odd pages on the right, even pages on the left.
            PageNumberStyle::Dash => Some((
                format!("— {n} —"),
                if n % 2 == 1 {
                    HAlign::Right
                } else {
                    HAlign::Left
                },
            )),
            PageNumberStyle::None => None,
        };
        if let Some((text, align)) = &number {
            let shaped = shape(text, Role::Body, size, fonts);
            let lines = shaped.break_lines(width);
            let p = Placement::area(area, x, width, *align, RunKind::Furniture);
            push_lines(
                &mut page.items,
                &shaped,
                &lines[..lines.len().min(1)],
                footer_top,
                &p,
            );
        }
        if let Some(foot) = &profile.footer_text {
            let shaped = shape(foot, Role::Body, size, fonts);
            // Beside the page number, on the side it leaves free.
            let align = match number {
                Some((_, HAlign::Left)) => HAlign::Right,
                _ => HAlign::Left,
            };
            let avail = width / 3.0;
            let lines = shaped.break_lines(avail);
            let lx = if align == HAlign::Right {
                x + width - avail
            } else {
                x
            };
            let p = Placement::area(area, lx, avail, align, RunKind::Furniture);
            push_lines(
                &mut page.items,
                &shaped,
                &lines[..lines.len().min(1)],
                footer_top,
                &p,
            );
        }
    }
}
