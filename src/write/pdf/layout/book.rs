//! The disclosure book laid out: a cover, the 目录, the text chapters on
//! portrait pages (each from a new page) and the tables, each from a new
//! page in the profile's orientation, exactly as the single-document PDF
//! lays them out.
//!
//! The body is laid out first, so the page numbers the 目录 prints are
//! known before it is made: numbering starts at 1 on the first page after
//! the 目录, and however many pages the 目录 takes, the numbers stay.

use super::text::{Line, Piece, Shaped, shape, shape_pieces};
use super::{
    Geometry, HAlign, LINE_HEIGHT, Missing, PageLayout, Placement, Rect, RunKind, TableCtx,
    furniture, layout_table_on, push_line, stack_items,
};
use crate::book::chapter::{Block, Chapter, Span};
use crate::book::{Book, Part};
use crate::model::{Table, Warning};
use crate::profile::Profile;
use crate::write::pdf::fonts::{FontBook, Role};

/// Running text is set at least this size, in points (小四): the profile's
/// body size is chosen for table cells, often 10 pt, small for pages of
/// prose.
const MIN_TEXT_PT: f32 = 12.0;

/// Line pitch of running text as a multiple of its size: prose needs more
/// air between lines than a table cell (1.3); 1.7 is the pitch of a
/// printed Chinese report.
const TEXT_LINE_HEIGHT: f32 = 1.7;

/// Text pages keep at least this margin left and right, in millimetres: a
/// 12 pt line then holds about 38 characters, a book's measure, where the
/// table profile's 15 mm would give 42.
const TEXT_MIN_SIDE_MARGIN_MM: f32 = 25.0;

/// First-line indent of a paragraph, in ems: two characters, as Chinese
/// prose is set.
const PARAGRAPH_INDENT_EM: f32 = 2.0;

/// Space between paragraphs, as a share of a line: the indent marks a new
/// paragraph; a little space more makes the page easier to scan.
const PARAGRAPH_GAP_LINES: f32 = 0.25;

/// A justified line's characters are spread apart by at most this share of
/// an em each; a line with more slack (a long Latin word pushed to the next
/// line) stays ragged rather than gappy.
const MAX_JUSTIFY_EM: f32 = 0.12;

/// Chapter headings are this many times the running text's size (16 pt on
/// 12 pt text, 三号).
const CHAPTER_HEADING_SCALE: f32 = 4.0 / 3.0;

/// Level-2 headings: 14 pt on 12 pt text (四号).
const SUBHEADING_SCALE: f32 = 7.0 / 6.0;

/// Space under a chapter heading, in lines of running text.
const CHAPTER_HEADING_GAP_LINES: f32 = 1.0;

/// Space above a sub-heading, in lines of running text; under it, a
/// quarter line.
const SUBHEADING_GAP_LINES: f32 = 0.5;

/// A heading needs room for this many lines of what follows it on its
/// page; otherwise it moves to the next page with them.
const KEEP_WITH_NEXT_LINES: f32 = 2.0;

/// A paragraph does not leave a single line at the bottom of a page, nor
/// a single line at the top of the next one: it moves or gives a line.
const MIN_LINES_AT_BREAK: usize = 2;

/// The bullet of an unnumbered list: a full circle, set small (the CJK
/// fonts' U+2022 is a dot hardly bigger than a full stop).
const BULLET: &str = "●";

/// Size of the bullet as a share of the text's.
const BULLET_SCALE: f32 = 0.4;

/// Height of the middle of the ideographic em box above the baseline, in
/// ems (the box runs from 0.12 below to 0.88 above it): where a bullet's
/// centre goes.
const IDEOGRAPHIC_CENTRE: f32 = 0.38;

/// Space between a list's marker and its text, in ems.
const LIST_MARKER_GAP_EM: f32 = 0.5;

/// A table in running text starts on a new page unless this many lines of
/// running text are left for its title, header and first row.
const TABLE_KEEP_LINES: f32 = 5.0;

/// Space above a table in running text, in lines, beyond the paragraph
/// gap: its rules need air.
const TABLE_GAP_LINES: f32 = 0.5;

/// The cover title is this many times the profile's title size, made
/// smaller (down to the title size) when a piece would not fit a line.
const COVER_TITLE_SCALE: f32 = 1.5;

/// The middle of the cover title's block, as a share of the page height
/// from the top.
const COVER_TITLE_AT: f32 = 0.36;

/// The department's line on the cover, as a share of the page height from
/// the top; the date follows it.
const COVER_FOOT_AT: f32 = 0.74;

/// Line pitch of the cover title, as a multiple of its size.
const COVER_TITLE_LINE_HEIGHT: f32 = 1.5;

/// Line pitch of the 目录: two lines of running text apart, so each entry
/// is easy to follow to its number.
const CONTENTS_LINE_HEIGHT: f32 = 2.0;

/// The 目录's lines close up to this pitch (in lines of running text)
/// before a last line or two spill onto a page of their own.
const MIN_CONTENTS_LINE_HEIGHT: f32 = 1.5;

/// Indent of a table's line in the 目录, in ems.
const CONTENTS_INDENT_EM: f32 = 2.0;

/// Room between a title and its leaders, and between the leaders and the
/// number, in ems.
const LEADER_GAP_EM: f32 = 0.6;

/// A 目录 title wraps before the leaders get shorter than this, in ems.
const LEADER_MIN_EM: f32 = 3.0;

/// Distance between two leader dots, in ems.
const LEADER_PITCH_EM: f32 = 0.5;

/// Space between the letters of "目录", in ems: a two-character heading
/// reads as a heading when spaced out.
const CONTENTS_TITLE_TRACKING_EM: f32 = 1.0;

/// Space under the "目录" heading, in lines of the 目录.
const CONTENTS_TITLE_GAP_LINES: f32 = 0.75;

/// What a page of the book holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// The cover.
    Cover,
    /// A page of the 目录.
    Contents,
    /// A page of a text chapter (portrait).
    Chapter,
    /// A page of the tables (the profile's orientation).
    Tables,
}

/// A heading of the book: a line of the 目录 and a bookmark.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 0 for chapters and the table group, 1 for tables.
    pub depth: u8,
    /// The numbered title, as [`Book::toc`] gives it.
    pub title: String,
    /// Index of the page where it begins.
    pub page: usize,
    /// Where its 目录 line is: the page index and the line's box.
    pub contents_line: Option<(usize, Rect)>,
}

/// The laid-out book.
#[derive(Debug, Clone, PartialEq)]
pub struct BookLayout {
    /// The pages in order: cover, 目录, body.
    pub pages: Vec<PageLayout>,
    /// What each page holds.
    pub kinds: Vec<PageKind>,
    /// The number printed on each page; `None` on the cover and the 目录.
    pub numbers: Vec<Option<usize>>,
    /// Every heading of the 目录, in order.
    pub entries: Vec<Entry>,
    /// What could not be drawn as asked.
    pub warnings: Vec<Warning>,
}

/// Sizes of the book's text, from the profile's.
#[derive(Debug, Clone, Copy)]
struct Type {
    /// Running text.
    text: f32,
    /// Its line pitch.
    line: f32,
}

impl Type {
    fn new(fonts: &FontBook) -> Type {
        let text = fonts.size(Role::Body).max(MIN_TEXT_PT);
        Type {
            text,
            line: text * TEXT_LINE_HEIGHT,
        }
    }
}

/// The body of the book as it is laid out: finished pages, the page being
/// filled and where on it.
struct Body<'a> {
    fonts: &'a FontBook,
    ty: Type,
    /// Portrait pages for chapters.
    text_geo: Geometry,
    pages: Vec<PageLayout>,
    kinds: Vec<PageKind>,
    y: f32,
    missing: Missing,
    warnings: Vec<Warning>,
    /// Tables laid out so far (names tables for warnings).
    tables: usize,
    /// Index of the chapter block being laid out, given to its runs.
    block: Option<usize>,
}

impl Body<'_> {
    /// Starts a page of `kind` on `geo`.
    fn new_page(&mut self, geo: &Geometry, kind: PageKind) {
        self.pages.push(PageLayout::empty(geo, self.tables));
        self.kinds.push(kind);
        self.y = geo.content_top;
    }

    fn page(&mut self) -> Option<&mut PageLayout> {
        self.pages.last_mut()
    }

    /// Room left on the current page.
    fn room(&self) -> f32 {
        self.text_geo.content_bottom - self.y
    }

    /// Whether nothing is on the current page yet.
    fn at_top(&self) -> bool {
        self.y <= self.text_geo.content_top + 0.01
    }

    /// A new page unless `need` points fit on this one (or it is empty).
    fn ensure(&mut self, need: f32) {
        if need > self.room() + 0.01 && !self.at_top() {
            let geo = self.text_geo;
            self.new_page(&geo, PageKind::Chapter);
        }
    }

    /// Sets a part's heading (一、部门主要职能, 五、部门预算表) in the bold
    /// sans across the text area from `top`; returns the height it took.
    fn part_heading(
        &mut self,
        items: &mut Vec<super::Item>,
        geo: &Geometry,
        text: &str,
        at: &str,
        align: HAlign,
        top: f32,
    ) -> f32 {
        let size = self.ty.text * CHAPTER_HEADING_SCALE;
        let shaped = shape(text, Role::Header, size, self.fonts);
        self.missing.check(&shaped, at);
        let lines = shaped.break_lines(geo.area.w);
        let pitch = size * LINE_HEIGHT;
        let p = Placement::area(geo.area, geo.area.x, geo.area.w, align, RunKind::Heading);
        super::push_lines_spaced(items, &shaped, &lines, top, pitch, &p);
        lines.len() as f32 * pitch
    }

    /// Lays out a chapter from a new page.
    fn chapter(&mut self, chapter: &Chapter, title: &str) {
        let geo = self.text_geo;
        self.new_page(&geo, PageKind::Chapter);
        let at = format!("chapter '{}' ({})", chapter.title, chapter.source);
        let mut items = Vec::new();
        let height = self.part_heading(
            &mut items,
            &geo,
            title,
            &format!("{at}, title"),
            HAlign::Center,
            self.y,
        );
        if let Some(page) = self.page() {
            page.items.extend(items);
        }
        self.y += height + CHAPTER_HEADING_GAP_LINES * self.ty.line;
        let mut paragraphs = 0;
        for (bi, block) in chapter.blocks.iter().enumerate() {
            self.block = Some(bi);
            match block {
                Block::Heading { level, text } => {
                    let next_is_table = matches!(chapter.blocks.get(bi + 1), Some(Block::Table(_)));
                    self.subheading(*level, text, &at, next_is_table, bi == 0);
                }
                Block::Paragraph(spans) => {
                    paragraphs += 1;
                    self.paragraph(spans, &format!("{at}, paragraph {paragraphs}"));
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => self.list(*ordered, *start, items, &at),
                Block::Table(table) => self.inline_table(table, &at),
            }
        }
        self.block = None;
    }

    /// A heading inside a chapter: sans bold, indented like a paragraph,
    /// kept on a page with the start of what follows.
    fn subheading(
        &mut self,
        level: u8,
        text: &str,
        at: &str,
        next_is_table: bool,
        under_title: bool,
    ) {
        let geo = self.text_geo;
        let size = if level <= 2 {
            self.ty.text * SUBHEADING_SCALE
        } else {
            self.ty.text
        };
        let shaped = shape(text, Role::Header, size, self.fonts);
        self.missing
            .check(&shaped, &format!("{at}, heading '{text}'"));
        let indent = PARAGRAPH_INDENT_EM * self.ty.text;
        let lines = shaped.break_lines_indented(geo.area.w - indent, geo.area.w);
        let pitch = size * TEXT_LINE_HEIGHT;
        // No space above it at the top of a page, nor right under the
        // chapter's title, which has its own.
        let before = if self.at_top() || under_title {
            0.0
        } else {
            SUBHEADING_GAP_LINES * self.ty.line
        };
        let after = SUBHEADING_GAP_LINES / 2.0 * self.ty.line;
        let follow = if next_is_table {
            TABLE_KEEP_LINES
        } else {
            KEEP_WITH_NEXT_LINES
        };
        let need = before + lines.len() as f32 * pitch + after + follow * self.ty.line;
        self.ensure(need);
        if !self.at_top() {
            self.y += before;
        }
        let _ = self.place_lines(&shaped, &lines, indent, 0.0, pitch, RunKind::Heading, false);
        self.y += after;
    }

    /// Places `lines` from the current position, one per `pitch`, on as many
    /// pages as they need: the first line `first_x` from the left edge of
    /// the text area, the others `rest_x`; justified (all but the last line
    /// and lines ended by a forced break) when `justify`. Returns the page
    /// index and top of the first line.
    #[allow(clippy::too_many_arguments)]
    fn place_lines(
        &mut self,
        shaped: &Shaped,
        lines: &[Line],
        first_x: f32,
        rest_x: f32,
        pitch: f32,
        kind: RunKind,
        justify: bool,
    ) -> (usize, f32) {
        let geo = self.text_geo;
        let mut first: Option<(usize, f32)> = None;
        let mut i = 0;
        while i < lines.len() {
            // How many lines fit here; a paragraph leaves no single line
            // at either end of a page break.
            let fit = ((self.room() + 0.01) / pitch).floor().max(0.0) as usize;
            let left = lines.len() - i;
            let mut take = left.min(fit);
            if take < left && !self.at_top() {
                // Give lines back so enough go over …
                if left - take < MIN_LINES_AT_BREAK {
                    take = take.saturating_sub(MIN_LINES_AT_BREAK - (left - take));
                }
                // … and move the whole paragraph when too few stay.
                if i == 0 && take < MIN_LINES_AT_BREAK {
                    take = 0;
                }
            }
            if take == 0 {
                if self.at_top() {
                    // Not even one line fits a fresh page: place it anyway.
                    take = 1;
                } else {
                    self.new_page(&geo, PageKind::Chapter);
                    continue;
                }
            }
            if first.is_none() {
                first = Some((self.pages.len().saturating_sub(1), self.y));
            }
            for (k, line) in lines.iter().enumerate().skip(i).take(take) {
                let x0 = if k == 0 { first_x } else { rest_x };
                let avail = geo.area.w - x0;
                let last = k + 1 == lines.len()
                    || shaped
                        .breaks
                        .get(lines.get(k + 1).map_or(0, |n| n.start))
                        .is_some_and(|b| *b == Some(true));
                let count = line.end.saturating_sub(line.start);
                let slack = avail - line.width;
                let spacing = if justify && !last && count > 1 && slack > 0.0 {
                    let s = slack / (count - 1) as f32;
                    if s <= MAX_JUSTIFY_EM * shaped.size {
                        s
                    } else {
                        0.0
                    }
                } else {
                    0.0
                };
                let baseline = self.y + (pitch - shaped.size) / 2.0 + super::ASCENT * shaped.size;
                let p = Placement {
                    row: self.block,
                    ..Placement::area(geo.area, geo.area.x + x0, avail, HAlign::Left, kind)
                };
                let y = self.y;
                if let Some(page) = self.page() {
                    push_line(
                        &mut page.items,
                        shaped,
                        line,
                        geo.area.x + x0,
                        baseline,
                        spacing,
                        &p,
                    );
                }
                self.y = y + pitch;
            }
            i += take;
            if i < lines.len() {
                self.new_page(&geo, PageKind::Chapter);
            }
        }
        first.unwrap_or((self.pages.len().saturating_sub(1), self.y))
    }

    /// A paragraph: its first line indented two characters, justified,
    /// split across pages between lines.
    fn paragraph(&mut self, spans: &[Span], at: &str) {
        let geo = self.text_geo;
        let shaped = shape_spans(spans, self.ty.text, self.fonts);
        self.missing.check(&shaped, at);
        if shaped.is_blank() {
            return;
        }
        let indent = PARAGRAPH_INDENT_EM * self.ty.text;
        let lines = shaped.break_lines_indented(geo.area.w - indent, geo.area.w);
        let _ = self.place_lines(
            &shaped,
            &lines,
            indent,
            0.0,
            self.ty.line,
            RunKind::Text,
            true,
        );
        self.y += PARAGRAPH_GAP_LINES * self.ty.line;
    }

    /// A list: each item's number or bullet right-aligned in a column
    /// indented like a paragraph's first line, its text hanging after it.
    fn list(&mut self, ordered: bool, start: u64, items: &[Vec<Span>], at: &str) {
        let geo = self.text_geo;
        let size = self.ty.text;
        // Numbers at the text's size; a bullet smaller, centred on the
        // line's ideographs.
        let marker_size = if ordered { size } else { size * BULLET_SCALE };
        let markers: Vec<Shaped> = (0..items.len())
            .map(|k| {
                let marker = if ordered {
                    format!("{}.", start.saturating_add(k as u64))
                } else {
                    BULLET.to_string()
                };
                shape(&marker, Role::Body, marker_size, self.fonts)
            })
            .collect();
        let marker_w = markers.iter().map(Shaped::max_width).fold(0.0, f32::max);
        let indent = PARAGRAPH_INDENT_EM * size;
        let text_x = indent + marker_w + LIST_MARKER_GAP_EM * size;
        let width = (geo.area.w - text_x).max(size);
        for (k, (item, marker)) in items.iter().zip(&markers).enumerate() {
            let place = format!("{at}, list item {}", k + 1);
            let shaped = shape_spans(item, size, self.fonts);
            self.missing.check(&shaped, &place);
            let lines = shaped.break_lines(width);
            // The marker goes where the item's first line lands.
            let (page_index, top) = self.place_lines(
                &shaped,
                &lines,
                text_x,
                text_x,
                self.ty.line,
                RunKind::Text,
                true,
            );
            let marker_line = marker.break_lines(f32::INFINITY);
            if let (Some(line), Some(page)) = (marker_line.first(), self.pages.get_mut(page_index))
            {
                let x = geo.area.x + text_x - LIST_MARKER_GAP_EM * size - line.width;
                let baseline = top + (self.ty.line - size) / 2.0 + super::ASCENT * size
                    - IDEOGRAPHIC_CENTRE * (size - marker_size);
                let p = Placement {
                    row: self.block,
                    ..Placement::area(geo.area, x, line.width, HAlign::Left, RunKind::Text)
                };
                push_line(&mut page.items, marker, line, x, baseline, 0.0, &p);
            }
        }
        self.y += PARAGRAPH_GAP_LINES * self.ty.line;
    }

    /// A table in a chapter, at the text width, from where the text is.
    fn inline_table(&mut self, table: &Table, at: &str) {
        let geo = self.text_geo;
        self.ensure(TABLE_KEEP_LINES * self.ty.line);
        if !self.at_top() {
            self.y += TABLE_GAP_LINES * self.ty.line;
        }
        let index = self.tables;
        self.tables += 1;
        let Some(page) = self.pages.pop() else {
            return;
        };
        self.kinds.pop();
        let first_page = self.pages.len();
        let mut ctx = TableCtx {
            geo: &geo,
            fonts: self.fonts,
            table,
            index,
            label: Some(format!("{at}, table")),
            first_page,
            missing: &mut self.missing,
            warnings: &mut self.warnings,
        };
        let y = self.y;
        let (pages, _, end) = layout_table_on(&mut ctx, page, y);
        page_limit(
            &mut self.warnings,
            &geo,
            &format!("{at}, table"),
            pages.len(),
        );
        for p in pages {
            self.pages.push(p);
            self.kinds.push(PageKind::Chapter);
        }
        self.y = end + PARAGRAPH_GAP_LINES * self.ty.line;
    }

    /// A table of the table group: from a new page in the profile's
    /// orientation, under the group's heading when it is the first.
    fn group_table(&mut self, geo: &Geometry, table: &Table, label: String, heading: Option<&str>) {
        let index = self.tables;
        self.tables += 1;
        let mut page = PageLayout::empty(geo, index);
        let mut y = geo.content_top;
        if let Some(heading) = heading {
            let at = format!("heading '{heading}'");
            let height = self.part_heading(&mut page.items, geo, heading, &at, HAlign::Left, y);
            y += height + SUBHEADING_GAP_LINES * self.ty.line;
        }
        let first_page = self.pages.len();
        let mut ctx = TableCtx {
            geo,
            fonts: self.fonts,
            table,
            index,
            label: Some(label),
            first_page,
            missing: &mut self.missing,
            warnings: &mut self.warnings,
        };
        let name = ctx.name();
        let (pages, _, _) = layout_table_on(&mut ctx, page, y);
        page_limit(&mut self.warnings, geo, &name, pages.len());
        for p in pages {
            self.pages.push(p);
            self.kinds.push(PageKind::Tables);
        }
    }
}

/// Measures a paragraph's spans as one text: bold in the heading face
/// (sans bold, as 黑体 marks emphasis in Chinese print), italic slanted
/// (no italic face is bundled).
fn shape_spans(spans: &[Span], size: f32, fonts: &FontBook) -> Shaped {
    let pieces: Vec<Piece<'_>> = spans
        .iter()
        .map(|s| Piece {
            text: &s.text,
            role: if s.bold { Role::Header } else { Role::Body },
            slant: s.italic,
        })
        .collect();
    shape_pieces(&pieces, size, fonts)
}

/// The code of the warning that marks a book table over
/// [`crate::Limits::pages_per_table`]; the PDF writer refuses the book.
pub(crate) const PAGE_LIMIT_CODE: &str = "page-limit";

/// Records a table that took more pages than the limit (its layout stopped
/// there, so the pages are incomplete).
fn page_limit(warnings: &mut Vec<Warning>, geo: &Geometry, name: &str, pages: usize) {
    let limits = crate::Limits {
        pages_per_table: geo.max_table_pages,
        ..crate::Limits::default()
    };
    if let Err(e) = limits.check(crate::limits::Limit::PagesPerTable, pages) {
        warnings.push(Warning::new(
            PAGE_LIMIT_CODE,
            Some(name.to_string()),
            e.to_string(),
        ));
    }
}

/// Lays out the whole book.
pub fn layout_book(book: &Book, profile: &Profile, fonts: &FontBook) -> BookLayout {
    let ty = Type::new(fonts);
    let text_geo = Geometry::oriented(
        profile,
        fonts,
        profile.page.text_orientation(),
        TEXT_MIN_SIDE_MARGIN_MM,
    );
    let table_geo = Geometry::oriented(profile, fonts, profile.page.orientation, 0.0);
    let mut body = Body {
        fonts,
        ty,
        text_geo,
        pages: Vec::new(),
        kinds: Vec::new(),
        y: text_geo.content_top,
        missing: Missing::default(),
        warnings: Vec::new(),
        tables: 0,
        block: None,
    };
    let toc = book.toc();
    let mut titles = toc.iter();
    let mut entries = Vec::new();
    let mut entry = |depth: u8, page: usize, fallback: String| {
        let title = titles.next().map_or(fallback, |(_, t)| t.clone());
        entries.push(Entry {
            depth,
            title: title.clone(),
            page,
            contents_line: None,
        });
        title
    };
    let mut table_number = 0;
    for part in &book.parts {
        match part {
            Part::Chapter(c) => {
                let title = entry(0, body.pages.len(), c.title.clone());
                // A source's own 目录 numbers its lines; the chapter's page
                // shows the chapter's own title, as the source does.
                let heading = if book.contents.is_some() {
                    c.title.clone()
                } else {
                    title
                };
                body.chapter(c, &heading);
            }
            Part::Tables { title, tables } => {
                let heading = entry(0, body.pages.len(), title.clone());
                if tables.is_empty() {
                    // A group without tables still shows its heading.
                    body.new_page(&table_geo, PageKind::Tables);
                }
                for (k, t) in tables.iter().enumerate() {
                    table_number += 1;
                    let numbered = entry(1, body.pages.len(), format!("{}. {}", k + 1, t.title));
                    let mut table = t.table.clone();
                    table.title = Some(if profile.book.number_table_titles {
                        numbered.clone()
                    } else {
                        t.title.clone()
                    });
                    let label = format!("table {table_number} '{}' ({})", t.title, t.source);
                    // A source's own 目录 lists the group; its tables begin
                    // at once, as in the source.
                    let head = (k == 0 && book.contents.is_none()).then_some(heading.as_str());
                    body.group_table(&table_geo, &table, label, head);
                }
            }
        }
    }
    let Body {
        pages: body_pages,
        kinds: body_kinds,
        mut missing,
        mut warnings,
        ..
    } = body;

    let (contents, contents_lines) = contents_pages(&entries, &text_geo, ty, fonts, &mut missing);
    let offset = 1 + contents.len();
    for (e, line) in entries.iter_mut().zip(contents_lines) {
        e.page += offset;
        e.contents_line = line.map(|(p, r)| (p + 1, r));
    }
    let department_line = book
        .department_line
        .clone()
        .unwrap_or_else(|| profile.book.cover_line(&book.department));
    let mut pages = vec![cover(
        book,
        &department_line,
        &text_geo,
        ty,
        fonts,
        &mut missing,
    )];
    let mut kinds = vec![PageKind::Cover];
    kinds.extend(std::iter::repeat_n(PageKind::Contents, contents.len()));
    pages.extend(contents);
    let mut numbers: Vec<Option<usize>> = vec![None; pages.len()];
    numbers.extend((1..=body_pages.len()).map(Some));
    pages.extend(body_pages);
    kinds.extend(body_kinds);
    furniture(&mut pages, &numbers, profile, fonts);
    stack_items(&mut pages);
    let mut all = missing.warnings;
    all.append(&mut warnings);
    BookLayout {
        pages,
        kinds,
        numbers,
        entries,
        warnings: all,
    }
}

/// Lays out a text section of a single document as the book lays out a
/// chapter: from a new page in the profile's text orientation, the heading
/// centred over the paragraphs (each line the source broke a paragraph at
/// set as a paragraph of its own). `tables` is the number of tables laid
/// out before it, which its pages carry. Returns the pages and what could
/// not be drawn as asked.
pub(crate) fn section_pages(
    section: &crate::model::Section,
    name: &str,
    tables: usize,
    profile: &Profile,
    fonts: &FontBook,
) -> (Vec<PageLayout>, Vec<Warning>) {
    let text_geo = Geometry::oriented(
        profile,
        fonts,
        profile.page.text_orientation(),
        TEXT_MIN_SIDE_MARGIN_MM,
    );
    let mut body = Body {
        fonts,
        ty: Type::new(fonts),
        text_geo,
        pages: Vec::new(),
        kinds: Vec::new(),
        y: text_geo.content_top,
        missing: Missing::default(),
        warnings: Vec::new(),
        tables,
        block: None,
    };
    let chapter = Chapter {
        title: section.heading.clone().unwrap_or_default(),
        blocks: section
            .paragraphs
            .iter()
            .flat_map(|p| p.text.split('\n'))
            .map(|line| {
                Block::Paragraph(vec![Span {
                    text: line.to_string(),
                    bold: false,
                    italic: false,
                }])
            })
            .collect(),
        source: name.to_string(),
    };
    body.chapter(&chapter, &chapter.title);
    let Body {
        pages,
        missing,
        mut warnings,
        ..
    } = body;
    let mut all = missing.warnings;
    all.append(&mut warnings);
    (pages, all)
}

/// The cover: the title large in the middle of the upper half (the
/// department's name on a line of its own when the title begins with it),
/// the department and the date near the foot.
fn cover(
    book: &Book,
    department_line: &str,
    geo: &Geometry,
    ty: Type,
    fonts: &FontBook,
    missing: &mut Missing,
) -> PageLayout {
    let mut page = PageLayout::empty(geo, 0);
    let area = geo.area;
    let pieces: Vec<&str> = match book.title.strip_prefix(book.department.as_str()) {
        _ if !book.cover_lines.is_empty() => book.cover_lines.iter().map(String::as_str).collect(),
        Some(rest) if !book.department.is_empty() && !rest.trim().is_empty() => {
            vec![book.department.as_str(), rest.trim()]
        }
        _ => vec![book.title.as_str()],
    };
    // As large as the scale asks, smaller while a piece is wider than the
    // page, never smaller than the profile's title.
    let base = fonts.size(Role::Title);
    let widest = pieces
        .iter()
        .map(|p| shape(p, Role::Title, 1.0, fonts).max_width())
        .fold(0.0, f32::max);
    let mut size = base * COVER_TITLE_SCALE;
    if widest > 0.0 {
        size = size.min(area.w / widest).max(base);
    }
    let pitch = size * COVER_TITLE_LINE_HEIGHT;
    let shaped: Vec<(Shaped, Vec<Line>)> = pieces
        .iter()
        .map(|p| {
            let s = shape(p, Role::Title, size, fonts);
            missing.check(&s, "cover title");
            let lines = s.break_lines(area.w);
            (s, lines)
        })
        .collect();
    let count: usize = shaped.iter().map(|(_, l)| l.len()).sum();
    let mut top = geo.height * COVER_TITLE_AT - count as f32 * pitch / 2.0;
    let p = Placement::area(area, area.x, area.w, HAlign::Center, RunKind::Cover);
    for (s, lines) in &shaped {
        super::push_lines_spaced(&mut page.items, s, lines, top, pitch, &p);
        top += lines.len() as f32 * pitch;
    }
    let mut y = geo.height * COVER_FOOT_AT;
    for (text, role, size) in [
        (
            department_line,
            Role::Header,
            ty.text * CHAPTER_HEADING_SCALE,
        ),
        (book.date.as_str(), Role::Body, ty.text * SUBHEADING_SCALE),
    ] {
        if text.trim().is_empty() {
            continue;
        }
        let s = shape(text, role, size, fonts);
        missing.check(&s, "cover");
        let lines = s.break_lines(area.w);
        let pitch = size * COVER_TITLE_LINE_HEIGHT;
        super::push_lines_spaced(&mut page.items, &s, &lines, y, pitch, &p);
        y += lines.len() as f32 * pitch;
    }
    page
}

/// The 目录: "目录" at the top, then a line per entry — its title, dot
/// leaders and its page number right-aligned — on as many pages as it
/// takes. Returns the pages and each entry's line (page index within the
/// 目录, box).
fn contents_pages(
    entries: &[Entry],
    geo: &Geometry,
    ty: Type,
    fonts: &FontBook,
    missing: &mut Missing,
) -> (Vec<PageLayout>, Vec<Option<(usize, Rect)>>) {
    let area = geo.area;
    let size = ty.text;
    let mut pitch = size * CONTENTS_LINE_HEIGHT;
    let mut pages = vec![PageLayout::empty(geo, 0)];
    let mut y = geo.content_top;

    // The heading, its letters spaced out.
    let title_size = fonts.size(Role::Title);
    let heading = shape("目录", Role::Title, title_size, fonts);
    let tracking = CONTENTS_TITLE_TRACKING_EM * title_size;
    let lines = heading.break_lines(f32::INFINITY);
    if let (Some(line), Some(page)) = (lines.first(), pages.last_mut()) {
        let count = line.end.saturating_sub(line.start).max(1);
        let w = line.width + tracking * (count - 1) as f32;
        let x = area.x + (area.w - w) / 2.0;
        let title_pitch = title_size * LINE_HEIGHT;
        let baseline = y + (title_pitch - title_size) / 2.0 + super::ASCENT * title_size;
        let p = Placement::area(area, x, w, HAlign::Left, RunKind::Contents);
        push_line(&mut page.items, &heading, line, x, baseline, tracking, &p);
        y += title_pitch + CONTENTS_TITLE_GAP_LINES * pitch;
    }

    // The number column: as wide as the widest number, so the leaders end
    // in one column and the dots line up from line to line.
    let number_of = |e: &Entry| (e.page + 1).to_string();
    let numbers: Vec<Shaped> = entries
        .iter()
        .map(|e| shape(&number_of(e), Role::Numbers, size, fonts))
        .collect();
    let number_w = numbers.iter().map(Shaped::max_width).fold(0.0, f32::max);
    let gap = LEADER_GAP_EM * size;
    let leaders_end = area.right() - number_w - gap;
    let dot = shape(".", Role::Body, size, fonts);
    let dot_w = dot.max_width();
    let leader_pitch = LEADER_PITCH_EM * size;

    let shaped: Vec<(Shaped, Vec<Line>, f32, f32)> = entries
        .iter()
        .map(|e| {
            let (role, indent) = if e.depth == 0 {
                (Role::Header, 0.0)
            } else {
                (Role::Body, CONTENTS_INDENT_EM * size * f32::from(e.depth))
            };
            let shaped = shape(&e.title, role, size, fonts);
            missing.check(&shaped, &format!("目录, '{}'", e.title));
            let title_w = (leaders_end - gap - LEADER_MIN_EM * size - area.x - indent).max(size);
            let lines = shaped.break_lines(title_w);
            (shaped, lines, indent, title_w)
        })
        .collect();
    // A 目录 a little too long for its page closes up to stay on it.
    let count: usize = shaped.iter().map(|(_, l, _, _)| l.len()).sum();
    let room = geo.content_bottom - y;
    if count as f32 * pitch > room && count as f32 * size * MIN_CONTENTS_LINE_HEIGHT <= room {
        pitch = room / count as f32;
    }

    let mut out = Vec::with_capacity(entries.len());
    for (number, (shaped, lines, indent, title_w)) in numbers.iter().zip(&shaped) {
        let (indent, title_w) = (*indent, *title_w);
        let h = lines.len() as f32 * pitch;
        if y + h > geo.content_bottom + 0.01 && y > geo.content_top + 0.01 {
            pages.push(PageLayout::empty(geo, 0));
            y = geo.content_top;
        }
        let page_index = pages.len() - 1;
        let Some(page) = pages.last_mut() else {
            out.push(None);
            continue;
        };
        let baseline_of = |top: f32| top + (pitch - size) / 2.0 + super::ASCENT * size;
        let p = Placement::area(
            area,
            area.x + indent,
            title_w,
            HAlign::Left,
            RunKind::Contents,
        );
        for (k, line) in lines.iter().enumerate() {
            let top = y + k as f32 * pitch;
            push_line(
                &mut page.items,
                shaped,
                line,
                area.x + indent,
                baseline_of(top),
                0.0,
                &p,
            );
        }
        let last_top = y + (lines.len().max(1) - 1) as f32 * pitch;
        let baseline = baseline_of(last_top);
        // Leaders: dots on a grid counted back from the number column.
        let title_end = area.x + indent + lines.last().map_or(0.0, |l| l.width) + gap;
        let room = leaders_end - title_end;
        if room >= leader_pitch {
            let n = (room / leader_pitch).floor() as usize;
            let dots = shape(&".".repeat(n), Role::Body, size, fonts);
            let line = Line {
                start: 0,
                end: n,
                width: dots.max_width(),
            };
            let x = leaders_end - n as f32 * leader_pitch + (leader_pitch - dot_w) / 2.0;
            let p = Placement::area(area, x, room, HAlign::Left, RunKind::Contents);
            push_line(
                &mut page.items,
                &dots,
                &line,
                x,
                baseline,
                leader_pitch - dot_w,
                &p,
            );
        }
        if let Some(line) = number.break_lines(f32::INFINITY).first() {
            let x = area.right() - line.width;
            let p = Placement::area(area, x, line.width, HAlign::Left, RunKind::Contents);
            push_line(&mut page.items, number, line, x, baseline, 0.0, &p);
        }
        out.push(Some((
            page_index,
            Rect {
                x: area.x,
                y,
                w: area.w,
                h,
            },
        )));
        y += h;
    }
    (pages, out)
}

#[cfg(test)]
mod tests {
    use super::super::text::NO_LINE_START;
    use super::super::{GlyphRun, Item};
    use super::*;
    use crate::book::chapter::{Block, Chapter, Span};
    use crate::profile::Orientation;

    fn sample() -> Book {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/departments/广州开发区民营经济和企业服务局");
        crate::book::build(&dir, &crate::book::BookOptions::default()).unwrap()
    }

    fn lay(book: &Book, profile: &Profile) -> BookLayout {
        let fonts = FontBook::new(&profile.fonts).unwrap();
        layout_book(book, profile, &fonts)
    }

    fn runs(page: &PageLayout) -> impl Iterator<Item = &GlyphRun> {
        page.items.iter().filter_map(|i| match i {
            Item::Text(r) => Some(r),
            _ => None,
        })
    }

    fn plain(text: &str) -> Vec<Span> {
        vec![Span {
            text: text.into(),
            bold: false,
            italic: false,
        }]
    }

    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    /// The text of a page's runs of some kinds, in reading order.
    fn page_text(page: &PageLayout, kinds: &[RunKind]) -> String {
        let mut rs: Vec<&GlyphRun> = runs(page).filter(|r| kinds.contains(&r.kind)).collect();
        rs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
        rs.iter().map(|r| r.text.as_str()).collect()
    }

    /// Every check that holds for any book.
    fn check(book: &Book, laid: &BookLayout, profile: &Profile, ctx: &str) {
        assert_eq!(laid.pages.len(), laid.kinds.len(), "{ctx}");
        assert_eq!(laid.pages.len(), laid.numbers.len(), "{ctx}");
        assert_eq!(laid.kinds[0], PageKind::Cover, "{ctx}");
        let first_body = laid
            .kinds
            .iter()
            .position(|k| matches!(k, PageKind::Chapter | PageKind::Tables))
            .unwrap();
        assert!(first_body >= 2, "{ctx}: no 目录");
        for i in 0..laid.pages.len() {
            let page = &laid.pages[i];
            let kind = laid.kinds[i];
            // Cover and 目录 unnumbered, then 1, 2, 3 … without a gap.
            if i < first_body {
                assert!(laid.numbers[i].is_none(), "{ctx}: page {i}");
                assert!(i == 0 || kind == PageKind::Contents, "{ctx}: page {i}");
                assert!(
                    runs(page).all(|r| r.kind != RunKind::Furniture),
                    "{ctx}: page {i} has a page number"
                );
            } else {
                assert_eq!(laid.numbers[i], Some(i - first_body + 1), "{ctx}: page {i}");
            }
            let portrait = page.width < page.height;
            match kind {
                PageKind::Tables => assert_eq!(
                    portrait,
                    profile.page.orientation == Orientation::Portrait,
                    "{ctx}: table page {i}"
                ),
                _ => assert_eq!(
                    portrait,
                    profile.page.text_orientation() == Orientation::Portrait,
                    "{ctx}: page {i} ({kind:?})"
                ),
            }
            for item in &page.items {
                match item {
                    Item::Text(r) => {
                        let ink = r.ink_box();
                        assert!(
                            page.area.contains(&ink),
                            "{ctx}: page {i}: {:?} past the margins",
                            r.text
                        );
                        assert!(
                            r.bounds.contains(&ink),
                            "{ctx}: page {i}: {:?} outside its box",
                            r.text
                        );
                        if r.starts_line && r.kind != RunKind::Furniture {
                            let first = r.text.chars().next().unwrap();
                            assert!(
                                !NO_LINE_START.contains(&first) || r.kind == RunKind::Contents,
                                "{ctx}: page {i}: a line starts with {first:?}: {:?}",
                                r.text
                            );
                        }
                    }
                    Item::Frame { rect, .. }
                    | Item::Fill { rect, .. }
                    | Item::MissingGlyph { rect } => {
                        assert!(page.area.contains(rect), "{ctx}: page {i}: {rect:?}");
                    }
                }
            }
            // No page ends with a heading.
            if kind == PageKind::Chapter {
                let last = runs(page)
                    .filter(|r| r.kind != RunKind::Furniture)
                    .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
                    .unwrap();
                let only_headings = runs(page)
                    .filter(|r| r.kind != RunKind::Furniture)
                    .all(|r| r.kind == RunKind::Heading);
                assert!(
                    last.kind != RunKind::Heading || only_headings,
                    "{ctx}: page {i} ends with the heading {:?}",
                    last.text
                );
            }
        }
        // The 目录 lists Book::toc, each line's number is printed on the
        // page the entry begins on, and that page shows its title.
        let toc = book.toc();
        assert_eq!(laid.entries.len(), toc.len(), "{ctx}");
        for (e, (depth, title)) in laid.entries.iter().zip(&toc) {
            assert_eq!((e.depth, &e.title), (*depth, title), "{ctx}");
            let (cpage, rect) = e.contents_line.unwrap();
            assert_eq!(laid.kinds[cpage], PageKind::Contents, "{ctx}");
            let line: Vec<&GlyphRun> = runs(&laid.pages[cpage])
                .filter(|r| r.baseline > rect.y && r.baseline < rect.bottom())
                .collect();
            let number = line.iter().max_by(|a, b| a.x.total_cmp(&b.x)).unwrap();
            let want = laid.numbers[e.page].unwrap().to_string();
            assert_eq!(number.text, want, "{ctx}: '{}'", e.title);
            let on_page = page_text(&laid.pages[e.page], &[RunKind::Heading, RunKind::Title]);
            // Without numbered table titles a table's page shows its title
            // alone.
            let shown = match e.title.split_once(". ") {
                Some((_, t)) if e.depth == 1 && !profile.book.number_table_titles => t,
                _ => e.title.as_str(),
            };
            assert!(
                squeeze(&on_page).contains(&squeeze(shown)),
                "{ctx}: '{}' is not on page {} ({on_page})",
                e.title,
                e.page
            );
            let kind = laid.kinds[e.page];
            assert_eq!(
                kind == PageKind::Tables,
                e.depth == 1 || e.title.ends_with(&book_group_title(book)),
                "{ctx}: '{}' on a {kind:?} page",
                e.title
            );
        }
    }

    fn book_group_title(book: &Book) -> String {
        book.parts
            .iter()
            .find_map(|p| match p {
                Part::Tables { title, .. } => Some(title.clone()),
                Part::Chapter(_) => None,
            })
            .unwrap_or_else(|| "\u{0}".into())
    }

    #[test]
    fn the_sample_book_lays_out_cleanly() {
        let book = sample();
        for name in ["default", "gbt9704"] {
            let profile = Profile::load(name).unwrap();
            let laid = lay(&book, &profile);
            check(&book, &laid, &profile, name);
            // Every table from a new page: the table entries' pages rise.
            let pages: Vec<usize> = laid
                .entries
                .iter()
                .filter(|e| e.depth == 1)
                .map(|e| e.page)
                .collect();
            assert_eq!(pages.len(), 10, "{name}");
            assert!(pages.windows(2).all(|w| w[0] < w[1]), "{name}: {pages:?}");
        }
        let mut portrait = Profile::default();
        portrait.page.orientation = Orientation::Portrait;
        check(&book, &lay(&book, &portrait), &portrait, "portrait tables");
    }

    #[test]
    fn the_shanghai_profile_turns_every_page_and_leaves_headers_white() {
        let book = sample();
        let fills = |laid: &BookLayout| {
            laid.pages
                .iter()
                .flat_map(|p| &p.items)
                .filter(|i| matches!(i, Item::Fill { .. }))
                .count()
        };
        let default = lay(&book, &Profile::default());
        assert!(fills(&default) > 0, "the default shades headers");
        let shanghai = Profile::load("shanghai").unwrap();
        let laid = lay(&book, &shanghai);
        check(&book, &laid, &shanghai, "shanghai");
        assert_eq!(fills(&laid), 0, "no shading in the Shanghai style");
        assert!(
            laid.pages.iter().all(|p| p.width > p.height),
            "landscape throughout"
        );
        // The cover names the department after the profile's label.
        let cover = squeeze(&page_text(&laid.pages[0], &[RunKind::Cover]));
        assert!(
            cover.contains(&format!("预算主管部门：{}", book.department)),
            "{cover}"
        );
        // Table titles without their 目录 number.
        let first = &book.tables().next().unwrap().title;
        let numbered = format!("1.{}", squeeze(first));
        let all: String = laid
            .pages
            .iter()
            .skip(2)
            .map(|p| squeeze(&page_text(p, &[RunKind::Title])))
            .collect();
        assert!(all.contains(&squeeze(first)), "{all}");
        assert!(!all.contains(&numbered), "{all}");
    }

    #[test]
    fn the_cover_shows_title_department_and_date() {
        let book = sample();
        let laid = lay(&book, &Profile::default());
        let cover = page_text(&laid.pages[0], &[RunKind::Cover]);
        assert_eq!(
            cover,
            format!("{}{}{}", book.title, book.department, book.date),
            "{cover}"
        );
    }

    fn long_chapter() -> Chapter {
        let sentence =
            "本部门按照过紧日子的要求，严格控制一般性支出，（重点保障）民生项目和“三公”经费压减，";
        let mut blocks = Vec::new();
        for k in 0..40 {
            blocks.push(Block::Heading {
                level: 2 + (k % 2) as u8,
                text: format!("（{}）第{}项说明", k + 1, k + 1),
            });
            // Paragraphs of many lengths, so headings and breaks land
            // everywhere on a page.
            for n in [1 + k % 3, 1 + (k * 5) % 7] {
                let text = format!(
                    "{}{}共{}元。",
                    sentence.repeat(n),
                    "补充说明".repeat(k % 11),
                    1000 * k + n
                );
                blocks.push(Block::Paragraph(plain(&text)));
            }
            blocks.push(Block::List {
                ordered: k % 2 == 0,
                start: 9,
                items: vec![plain(sentence), plain("短项"), plain(&sentence.repeat(2))],
            });
        }
        Chapter {
            title: "长篇说明".into(),
            blocks,
            source: "long.md".into(),
        }
    }

    fn book_of(parts: Vec<Part>) -> Book {
        Book {
            title: "某局2025年部门预算".into(),
            department: "某局".into(),
            year: Some("2025".into()),
            date: "2025年2月".into(),
            contents: None,
            cover_lines: Vec::new(),
            department_line: None,
            parts,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn long_chapters_break_between_lines_and_keep_headings_with_text() {
        let chapter = long_chapter();
        let book = book_of(vec![Part::Chapter(chapter.clone())]);
        for name in ["default", "gbt9704"] {
            let profile = Profile::load(name).unwrap();
            let laid = lay(&book, &profile);
            check(&book, &laid, &profile, name);
            let body: Vec<usize> = (0..laid.pages.len())
                .filter(|&i| laid.kinds[i] == PageKind::Chapter)
                .collect();
            assert!(body.len() > 8, "{name}: {} pages", body.len());
            let fonts = FontBook::new(&profile.fonts).unwrap();
            let size = Type::new(&fonts).text;
            let mut split = 0;
            for (bi, block) in chapter.blocks.iter().enumerate() {
                let Block::Paragraph(spans) = block else {
                    continue;
                };
                // Lines of the block, page by page.
                let mut lines: Vec<(usize, f32, f32, f32, String)> = Vec::new();
                for &pi in &body {
                    let page = &laid.pages[pi];
                    let mut rs: Vec<&GlyphRun> = runs(page)
                        .filter(|r| r.kind == RunKind::Text && r.row == Some(bi))
                        .collect();
                    rs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
                    for r in rs {
                        match lines.last_mut() {
                            Some(l) if l.0 == pi && l.1 == r.baseline => {
                                l.3 = r.x + r.width;
                                l.4.push_str(&r.text);
                            }
                            _ => lines.push((pi, r.baseline, r.x, r.x + r.width, r.text.clone())),
                        }
                    }
                }
                let drawn: String = lines.iter().map(|l| l.4.as_str()).collect();
                let want: String = spans.iter().map(|s| s.text.as_str()).collect();
                assert_eq!(drawn, want, "{name}: block {bi}");
                let area = laid.pages[lines[0].0].area;
                // First line indented two characters; the others flush.
                assert!((lines[0].2 - (area.x + 2.0 * size)).abs() < 0.01, "{name}");
                for l in &lines[1..] {
                    assert!((l.2 - area.x).abs() < 0.01, "{name}: {l:?}");
                }
                // Justified: every line but the last ends at the margin.
                for l in &lines[..lines.len() - 1] {
                    assert!((l.3 - area.right()).abs() < 0.5, "{name}: {l:?}");
                }
                // A break leaves two lines or more on each side.
                if lines.len() >= 2 {
                    let mut counts = std::collections::BTreeMap::new();
                    for l in &lines {
                        *counts.entry(l.0).or_insert(0) += 1;
                    }
                    assert!(
                        counts.len() == 1 || counts.values().all(|&c| c >= MIN_LINES_AT_BREAK),
                        "{name}: block {bi}: {counts:?}"
                    );
                    if counts.len() > 1 {
                        split += 1;
                    }
                }
            }
            assert!(split >= 3, "{name}: only {split} paragraphs cross a page");
        }
    }

    #[test]
    fn a_long_contents_does_not_move_the_page_numbers() {
        let parts: Vec<Part> = (0..70)
            .map(|k| {
                Part::Chapter(Chapter {
                    title: format!("第{k}章"),
                    blocks: vec![Block::Paragraph(plain("正文。"))],
                    source: format!("{k}.md"),
                })
            })
            .collect();
        let book = book_of(parts);
        let profile = Profile::default();
        let laid = lay(&book, &profile);
        check(&book, &laid, &profile, "70 chapters");
        let contents = laid
            .kinds
            .iter()
            .filter(|k| **k == PageKind::Contents)
            .count();
        assert!(contents >= 2, "{contents}");
        for (k, e) in laid.entries.iter().enumerate() {
            assert_eq!(laid.numbers[e.page], Some(k + 1));
        }
    }

    #[test]
    fn emphasis_is_bold_sans_or_slanted() {
        let spans = vec![
            Span {
                text: "普通".into(),
                bold: false,
                italic: false,
            },
            Span {
                text: "加粗".into(),
                bold: true,
                italic: false,
            },
            Span {
                text: "倾斜".into(),
                bold: false,
                italic: true,
            },
        ];
        let book = book_of(vec![Part::Chapter(Chapter {
            title: "说明".into(),
            blocks: vec![Block::Paragraph(spans)],
            source: "x.md".into(),
        })]);
        let profile = Profile::default();
        let fonts = FontBook::new(&profile.fonts).unwrap();
        let laid = layout_book(&book, &profile, &fonts);
        let page = laid.pages.last().unwrap();
        let text: Vec<&GlyphRun> = runs(page).filter(|r| r.kind == RunKind::Text).collect();
        let find = |t: &str| *text.iter().find(|r| r.text == t).unwrap();
        let (body, _) = fonts.lookup(Role::Body, '普').unwrap();
        let (bold, _) = fonts.lookup(Role::Header, '加').unwrap();
        assert_eq!((find("普通").face, find("普通").slant), (body, false));
        assert_eq!((find("加粗").face, find("加粗").slant), (bold, false));
        assert_eq!((find("倾斜").face, find("倾斜").slant), (body, true));
        // One line, the runs side by side.
        assert_eq!(find("加粗").baseline, find("倾斜").baseline);
        assert!(find("普通").x < find("加粗").x && find("加粗").x < find("倾斜").x);
    }

    #[test]
    fn a_character_no_font_has_is_a_warning_naming_the_paragraph() {
        let book = book_of(vec![Part::Chapter(Chapter {
            title: "说明".into(),
            blocks: vec![
                Block::Paragraph(plain("第一段。")),
                Block::Paragraph(plain("第二段\u{E000}。")),
            ],
            source: "x.md".into(),
        })]);
        let laid = lay(&book, &Profile::default());
        let w: Vec<String> = laid.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("chapter '说明' (x.md), paragraph 2"), "{w:?}");
        assert!(w[0].contains("U+E000"), "{w:?}");
        // An empty box stands in its place.
        assert!(laid.pages.iter().any(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::MissingGlyph { .. }))
        }));
    }

    #[test]
    fn same_book_same_layout() {
        let book = sample();
        let profile = Profile::default();
        assert_eq!(lay(&book, &profile), lay(&book, &profile));
    }
}
