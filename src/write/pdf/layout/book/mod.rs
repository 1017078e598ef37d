//! The disclosure book laid out: a cover, the 目录, the text chapters on
//! portrait pages (each from a new page) and the tables, each from a new
//! page in the profile's orientation, exactly as the single-document PDF
//! lays them out.
//!
//! The body is laid out first, so the page numbers the 目录 prints are
//! known before it is made: numbering starts at 1 on the first page after
//! the 目录, and however many pages the 目录 takes, the numbers stay.

mod contents;
mod cover;
mod prose;
#[cfg(test)]
mod tests;

use super::text::{Break, Line, Piece, Shaped, shape, shape_pieces};
use super::{
    ASCENT, Geometry, HAlign, Item, Missing, PageLayout, Placement, Rect, RunKind, TableCtx,
    furniture, layout_table_on, push_line, push_lines_spaced, stack_items,
};
use crate::book::chapter::{Block, Chapter, Span};
use crate::book::{Book, Part};
use crate::model::{Table, Warning};
use crate::profile::{BookType, Profile};
use crate::write::pdf::fonts::{FontBook, Role};
use contents::contents_pages;
use cover::cover;

/// A justified line's characters are spread apart by at most this share of
/// an em each; a line with more slack (a long Latin word pushed to the next
/// line) stays ragged rather than gappy.
const MAX_JUSTIFY_EM: f32 = 0.12;

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

/// Room between a title and its leaders, and between the leaders and the
/// number, in ems.
const LEADER_GAP_EM: f32 = 0.6;

/// A 目录 title wraps before the leaders get shorter than this, in ems.
const LEADER_MIN_EM: f32 = 3.0;

/// Distance between two leader dots, in ems.
const LEADER_PITCH_EM: f32 = 0.5;

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
    /// The profile's book type: the sizes, spaces and indents of the
    /// cover, the 目录 and the chapters.
    book: BookType,
}

impl Type {
    fn new(fonts: &FontBook, book: BookType) -> Type {
        let text = book.text_pt(fonts.size(Role::Body));
        Type {
            text,
            line: text * book.text_line_height,
            book,
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

impl<'a> Body<'a> {
    /// An empty body on the profile's text pages; `tables` laid out before.
    fn new(profile: &Profile, fonts: &'a FontBook, tables: usize) -> Body<'a> {
        let text_geo = Geometry::oriented(
            profile,
            fonts,
            profile.page.text_orientation(),
            profile.book_type.text_side_margin_mm,
        );
        Body {
            fonts,
            ty: Type::new(fonts, profile.book_type),
            text_geo,
            pages: Vec::new(),
            kinds: Vec::new(),
            y: text_geo.content_top,
            missing: Missing::default(),
            warnings: Vec::new(),
            tables,
            block: None,
        }
    }

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
            y += height + self.ty.book.subheading_gap_lines * self.ty.line;
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
    let mut body = Body::new(profile, fonts, tables);
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

/// Lays out the whole book.
pub fn layout_book(book: &Book, profile: &Profile, fonts: &FontBook) -> BookLayout {
    let table_geo = Geometry::oriented(profile, fonts, profile.page.orientation, 0.0);
    let mut body = Body::new(profile, fonts, 0);
    let (ty, text_geo) = (body.ty, body.text_geo);
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
                    // Too wide for the page even at the smallest type: on
                    // the profile's larger paper, if it names one.
                    let avail = table_geo.content_width();
                    let wide = crate::write::fit::wider_paper(&table, fonts, profile, avail);
                    let wide = wide.map(|size| {
                        body.warnings.push(crate::write::fit::larger_paper_warning(
                            label.clone(),
                            profile,
                            size,
                        ));
                        Geometry::on_paper(profile, fonts, size)
                    });
                    body.group_table(wide.as_ref().unwrap_or(&table_geo), &table, label, head);
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
