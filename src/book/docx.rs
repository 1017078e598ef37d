//! The book as one Word file: a cover page, a 目录 page holding a real TOC
//! field, the text chapters on portrait pages and the tables on pages of
//! the profile's orientation (landscape by default), each table on a new
//! page.
//!
//! Chapters and the table group are Word "heading 1" paragraphs, tables
//! "heading 2", so Word's navigation pane and TOC field see them. The 目录
//! is the field `TOC \o "1-2" \h \z \u` with its result already written:
//! one line per entry of [`Book::toc`], a hyperlink to a bookmark at the
//! heading, dot leaders to a right tab, and the page number as a `PAGEREF`
//! field to that bookmark, so Word, WPS and LibreOffice compute the numbers
//! themselves; the cached numbers are our estimate ([`estimate`]).
//!
//! Sections switch between portrait and landscape. Page numbers start at 1
//! on the first page after the 目录 and run on through the later sections;
//! the cover and the 目录 have none. "第 X 页" stands alone: "共 Y 页" would
//! need the number of numbered pages, which NUMPAGES (it counts the cover
//! and the 目录 too) and SECTIONPAGES (one section only) do not give.
//!
//! The tables are the single-document writer's tables
//! ([`crate::write::docx`]): the same widths, fonts, borders and repeated
//! header rows. document.xml, styles.xml and the rest of the package are
//! written here, zipped with fixed times: the same book gives the same
//! bytes.

use super::chapter::{Block, Span};
use super::{Book, Part, strip_outline_number};
use crate::model::{Table, Warning};
use crate::profile::{FontFace, FontSpec, Orientation, PageNumberStyle, Profile};
use crate::write::docx::{self as wd, Page, package};
use crate::{RenderOptions, Rendered, WriteError};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthChar;

/// Running text is set at least this large (小四): the profile's body size
/// is chosen for table cells, which may be smaller.
const MIN_TEXT_PT: f32 = 12.0;

/// Line height of running text and the 目录 as a multiple of the font
/// size (exact spacing): 1.75 gives the 28-point lines of 三号 text that
/// GB/T 9704 documents use, and an airy 21 points at 小四.
const TEXT_LINE_FACTOR: f32 = 1.75;

/// Text pages keep at least this much paper left and right (mm): the
/// profile's margins are made for wide table pages, and 25 mm leaves a
/// portrait line of about 37 characters at 小四, as printed reports have.
const MIN_TEXT_SIDE_MARGIN_MM: f32 = 25.0;

/// Text pages keep at least this much paper above and below (mm).
const MIN_TEXT_TOP_BOTTOM_MM: f32 = 25.0;

/// The cover title is this much larger than the profile's title size
/// (18 pt + 8 = 26 pt, 一号).
const COVER_TITLE_EXTRA_PT: f32 = 8.0;

/// The cover's department and date lines are this much larger than the
/// running text (12 pt + 4 = 16 pt, 三号).
const COVER_LINE_EXTRA_PT: f32 = 4.0;

/// Where the cover title starts, as a share of the text height.
const COVER_TITLE_AT: f32 = 0.22;

/// Space above a chapter heading, in twips (one 小四 line and a half).
const H1_SPACE_BEFORE: u32 = 360;

/// Space below a chapter heading and above sub-headings, in twips.
const HEADING_SPACE: u32 = 180;

/// Space below a table title, in twips (as the single-document writer).
const TITLE_SPACE_AFTER: u32 = 120;

/// Space below the 目录 heading, in twips (two lines of text).
const TOC_HEADING_SPACE_AFTER: u32 = 480;

/// First-line indent of running text in hundredths of a character
/// (w:firstLineChars): two characters, as Chinese paragraphs are set.
const FIRST_LINE_CHARS: u32 = 200;

/// Height of the empty paragraph that carries a section break after a
/// table, in twips (1 pt): small enough never to push a page over.
const CARRIER_LINE_TWIPS: u32 = 20;

/// Single-spaced line height as a multiple of the font size, for the page
/// estimate: Noto Sans/Serif CJK, which LibreOffice puts in for 宋体 and
/// 黑体 where they are missing, have ascent + descent = 1.448 em. Word
/// recomputes the numbers itself, so the estimate follows LibreOffice.
const CELL_LINE_FACTOR: f32 = 1.45;

/// Height a table row adds beyond its lines, for the page estimate: the
/// 0.5-pt border, in twips.
const ROW_BORDER_TWIPS: u32 = 10;

/// The namespaces of document.xml (w14 for docx-rs's paragraph ids).
const DOCUMENT_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14""#;

/// The main namespace alone.
const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

/// The XML declaration every part starts with.
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// Relationship id of the footer in document.xml.rels.
const FOOTER_RID: &str = "rIdFooter1";

/// Relationship id of the header in document.xml.rels.
const HEADER_RID: &str = "rIdHeader1";

/// Bookmark name of the `i`-th 目录 entry (from 0). Names starting with
/// `_Toc` are the hidden bookmarks Word itself makes for TOC entries.
pub fn bookmark_name(i: usize) -> String {
    format!("_TocGk{:04}", i + 1)
}

/// Renders the book as DOCX.
pub fn write(book: &Book, options: &RenderOptions) -> Result<Rendered, WriteError> {
    wd::reset_paragraph_ids();
    let result = Writer::new(book, &options.profile).run(options);
    wd::reset_paragraph_ids();
    result
}

/// Font roles of the book, sizes decided.
struct Look {
    /// Running text: the body family at [`MIN_TEXT_PT`] or more.
    text: FontSpec,
    /// Chapter headings (heading 1) and sub-headings: the header family.
    h1: FontSpec,
    /// Table titles (heading 2): the title font, as in single documents.
    h2: FontSpec,
    /// Sub-headings (heading 3).
    h3: FontSpec,
    /// Cover title.
    cover: FontSpec,
    /// Cover lines.
    cover_line: FontSpec,
}

impl Look {
    fn new(p: &Profile) -> Look {
        let f = &p.fonts;
        let text_pt = f.body.size_pt.max(MIN_TEXT_PT);
        let sized = |spec: &FontSpec, pt: f32| FontSpec {
            size_pt: pt,
            ..spec.clone()
        };
        Look {
            text: sized(&f.body, text_pt),
            h1: sized(&f.header, f.title.size_pt.max(text_pt)),
            h2: f.title.clone(),
            h3: sized(&f.header, text_pt),
            cover: sized(&f.title, f.title.size_pt + COVER_TITLE_EXTRA_PT),
            cover_line: sized(&f.body, text_pt + COVER_LINE_EXTRA_PT),
        }
    }
}

fn bold_face(spec: &FontSpec) -> bool {
    matches!(spec.bundled, FontFace::SansBold | FontFace::SerifBold)
}

/// Half-points of a size.
fn hp(pt: f32) -> usize {
    wd::half_points(pt)
}

/// Twips of a size in points.
fn pt_twips(pt: f32) -> u32 {
    (pt.max(0.0) * 20.0).round() as u32
}

/// Exact line height of running text in twips.
fn line_twips(spec: &FontSpec) -> u32 {
    pt_twips(spec.size_pt * TEXT_LINE_FACTOR)
}

fn esc(s: &str) -> String {
    package::escape(s)
}

/// `<w:rFonts …/>` naming one family for every script.
fn rfonts(family: &str) -> String {
    let f = esc(family);
    format!(
        r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#
    )
}

/// Run properties of a font role.
fn rpr_of(spec: &FontSpec, bold: bool, italic: bool) -> String {
    let mut s = rfonts(&spec.family);
    if bold {
        s.push_str("<w:b/><w:bCs/>");
    }
    if italic {
        s.push_str("<w:i/><w:iCs/>");
    }
    let _ = write!(
        s,
        r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
        hp(spec.size_pt)
    );
    s
}

/// Paragraph properties, written in the order the schema wants.
#[derive(Default, Clone)]
struct PPr {
    style: Option<&'static str>,
    keep_next: bool,
    page_break_before: bool,
    /// Raw `<w:spacing …/>`.
    spacing: Option<String>,
    /// Raw `<w:ind …/>`.
    ind: Option<String>,
    jc: Option<&'static str>,
    /// Run properties of the paragraph mark.
    mark: Option<String>,
    /// The section this paragraph ends.
    sect: Option<String>,
}

impl PPr {
    fn style(style: &'static str) -> PPr {
        PPr {
            style: Some(style),
            ..PPr::default()
        }
    }

    fn xml(&self) -> String {
        let mut s = String::new();
        if let Some(st) = self.style {
            let _ = write!(s, r#"<w:pStyle w:val="{st}"/>"#);
        }
        if self.keep_next {
            s.push_str("<w:keepNext/>");
        }
        if self.page_break_before {
            s.push_str("<w:pageBreakBefore/>");
        }
        if let Some(sp) = &self.spacing {
            s.push_str(sp);
        }
        if let Some(ind) = &self.ind {
            s.push_str(ind);
        }
        if let Some(jc) = self.jc {
            let _ = write!(s, r#"<w:jc w:val="{jc}"/>"#);
        }
        if let Some(m) = &self.mark {
            let _ = write!(s, "<w:rPr>{m}</w:rPr>");
        }
        if let Some(sect) = &self.sect {
            s.push_str(sect);
        }
        if s.is_empty() {
            s
        } else {
            format!("<w:pPr>{s}</w:pPr>")
        }
    }
}

/// One paragraph of our own.
struct Para {
    ppr: PPr,
    content: String,
}

impl Para {
    fn xml(&self) -> String {
        format!("<w:p>{}{}</w:p>", self.ppr.xml(), self.content)
    }
}

/// A body element.
enum Item {
    Para(Para),
    /// XML made by the single-document writer (meta lines, table, notes).
    Raw(String),
}

/// A run of pages in one orientation.
struct Section {
    orientation: Orientation,
    /// Page numbers start here (pgNumType start=1, footer and header).
    numbers_start: bool,
    /// Text pages get the wider text margins.
    text_pages: bool,
    items: Vec<Item>,
}

/// What the page estimate needs to know of a body element.
enum Flow {
    /// A paragraph: its lines, line height and space around it (twips).
    Lines {
        lines: u32,
        line: u32,
        space: u32,
        keep_next: bool,
        page_break_before: bool,
    },
    /// A table: header row heights then body rows (twips).
    Table {
        header: Vec<u32>,
        rows: Vec<RowHeight>,
    },
    /// A 目录 entry's heading: its page is the page of what follows.
    Anchor(usize),
}

struct Writer<'a> {
    book: &'a Book,
    profile: &'a Profile,
    look: Look,
    warnings: Vec<Warning>,
    /// Next bookmark (index into the 目录).
    next_mark: usize,
    /// Tables written so far (for warning locations).
    table_no: usize,
    /// Per section, what the page estimate needs.
    flows: Vec<Vec<Flow>>,
}

impl<'a> Writer<'a> {
    fn new(book: &'a Book, profile: &'a Profile) -> Writer<'a> {
        Writer {
            book,
            profile,
            look: Look::new(profile),
            warnings: Vec::new(),
            next_mark: 0,
            table_no: 0,
            flows: Vec::new(),
        }
    }

    fn text_page(&self) -> Page {
        let mut page = self.profile.page.clone();
        page.margin_left_mm = page.margin_left_mm.max(MIN_TEXT_SIDE_MARGIN_MM);
        page.margin_right_mm = page.margin_right_mm.max(MIN_TEXT_SIDE_MARGIN_MM);
        page.margin_top_mm = page.margin_top_mm.max(MIN_TEXT_TOP_BOTTOM_MM);
        page.margin_bottom_mm = page.margin_bottom_mm.max(MIN_TEXT_TOP_BOTTOM_MM);
        Page::oriented(&page, Orientation::Portrait)
    }

    fn table_page(&self) -> Page {
        Page::oriented(&self.profile.page, self.profile.page.orientation)
    }

    fn page_of(&self, s: &Section) -> Page {
        if s.text_pages {
            self.text_page()
        } else {
            self.table_page()
        }
    }

    /// Runs for text with line breaks and tabs.
    fn runs(&mut self, text: &str, rpr: &str, at: &str) -> String {
        let text = wd::xml_safe(text, &mut self.warnings, at).replace("\r\n", "\n");
        let mut inner = String::new();
        for (li, line) in text.split(['\n', '\r']).enumerate() {
            if li > 0 {
                inner.push_str("<w:br/>");
            }
            for (pi, piece) in line.split('\t').enumerate() {
                if pi > 0 {
                    inner.push_str("<w:tab/>");
                }
                if !piece.is_empty() {
                    let _ = write!(inner, r#"<w:t xml:space="preserve">{}</w:t>"#, esc(piece));
                }
            }
        }
        if inner.is_empty() {
            return String::new();
        }
        if rpr.is_empty() {
            format!("<w:r>{inner}</w:r>")
        } else {
            format!("<w:r><w:rPr>{rpr}</w:rPr>{inner}</w:r>")
        }
    }

    fn spans(&mut self, spans: &[Span], at: &str) -> String {
        let mut out = String::new();
        for s in spans {
            let mut rpr = String::new();
            if s.bold {
                rpr.push_str("<w:b/><w:bCs/>");
            }
            if s.italic {
                rpr.push_str("<w:i/><w:iCs/>");
            }
            out.push_str(&self.runs(&s.text, &rpr, at));
        }
        out
    }

    /// A heading paragraph with the bookmark of the next 目录 entry.
    fn heading(&mut self, style: &'static str, text: &str, page_break: bool) -> (Para, usize) {
        let mark = self.next_mark;
        self.next_mark += 1;
        let name = bookmark_name(mark);
        let runs = self.runs(text, "", &format!("heading '{text}'"));
        let content = format!(
            r#"<w:bookmarkStart w:id="{mark}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{mark}"/>"#
        );
        let mut ppr = PPr::style(style);
        ppr.page_break_before = page_break;
        (Para { ppr, content }, mark)
    }

    fn run(mut self, options: &RenderOptions) -> Result<Rendered, WriteError> {
        let mut sections = vec![self.cover(), self.toc_section_placeholder()];
        let mut pending_text: Option<Section> = None;
        let mut first_numbered = true;
        let book = self.book;
        for (i, part) in book.parts.iter().enumerate() {
            let n = super::chinese_number(i + 1);
            match part {
                Part::Chapter(c) => {
                    let mut section = pending_text.take().unwrap_or_else(|| {
                        let s = Section {
                            orientation: Orientation::Portrait,
                            numbers_start: first_numbered,
                            text_pages: true,
                            items: Vec::new(),
                        };
                        self.flows.push(Vec::new());
                        s
                    });
                    first_numbered = false;
                    let title = format!("{n}、{}", strip_outline_number(&c.title));
                    self.chapter(&mut section, &title, &c.blocks)?;
                    pending_text = Some(section);
                }
                Part::Tables { title, tables } => {
                    if let Some(s) = pending_text.take() {
                        sections.push(s);
                    }
                    let mut section = Section {
                        orientation: self.profile.page.orientation,
                        numbers_start: first_numbered,
                        text_pages: false,
                        items: Vec::new(),
                    };
                    self.flows.push(Vec::new());
                    first_numbered = false;
                    self.table_group(&mut section, &format!("{n}、{title}"), tables)?;
                    sections.push(section);
                }
            }
        }
        if let Some(s) = pending_text.take() {
            sections.push(s);
        }
        let pages = self.estimate(&sections);
        let toc = self.toc_section(&pages);
        if let Some(slot) = sections.get_mut(1) {
            *slot = toc;
        }
        let document = self.document(sections);
        let when = crate::time::civil_from_unix(options.created);
        let parts = self.package(document, when);
        let bytes = package::pack_parts(parts, when)?;
        Ok(Rendered {
            bytes,
            warnings: self.warnings,
        })
    }

    /// The cover: the title large and centred a little above the middle,
    /// the department under it, the date near the bottom.
    fn cover(&mut self) -> Section {
        let page = self.text_page();
        let height = (page.height as i32 - page.top - page.bottom).max(0) as u32;
        let look = &self.look;
        let book = self.book;
        // Break the title after the department when it does not fit on
        // one line, so the line breaks where the meaning does; then make
        // it as large as fits, between the title size and the cover size.
        let width_pt = page.text_width as f32 / 20.0;
        let longest = |t: &str| t.split('\n').map(units).fold(0.0f32, f32::max) / 2.0;
        let largest = look.cover.size_pt;
        let title_text = match book.title.strip_prefix(&book.department) {
            Some(rest)
                if !rest.trim().is_empty()
                    && !book.department.is_empty()
                    && longest(&book.title) * largest > width_pt =>
            {
                format!("{}\n{}", book.department, rest.trim_start())
            }
            _ => book.title.clone(),
        };
        let ems = longest(&title_text).max(1.0);
        let smallest = self.profile.fonts.title.size_pt.min(largest);
        let size = ((width_pt / ems * 2.0).floor() / 2.0).clamp(smallest, largest);
        let cover = FontSpec {
            size_pt: size,
            ..look.cover.clone()
        };
        let title_line = pt_twips(size * 1.5);
        let small_line = pt_twips(look.cover_line.size_pt * 1.5);
        let per_line = page.text_width as f32 / (size * 10.0);
        let title_lines: u32 = title_text
            .split('\n')
            .map(|l| (units(l) / per_line).ceil().max(1.0) as u32)
            .sum();
        let title_before = (height as f32 * COVER_TITLE_AT) as u32;
        let dept_before = small_line * 2;
        let used = title_before + title_lines * title_line + dept_before + small_line;
        // The date's line at the bottom, with one title line to spare in
        // case a font wraps the title once more than estimated.
        let date_before = height.saturating_sub(used + small_line + title_line);
        let spacing = |before: u32, line: u32| {
            Some(format!(
                r#"<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="exact"/>"#
            ))
        };
        let title_rpr = rpr_of(&cover, bold_face(&cover), false);
        let line_rpr = rpr_of(&look.cover_line, false, false);
        let title_runs = self.runs(&title_text, &title_rpr, "cover title");
        let dept = format!("编制部门：{}", book.department);
        let dept_runs = self.runs(&dept, &line_rpr, "cover");
        let date_runs = self.runs(&book.date, &line_rpr, "cover date");
        let center = |spacing: Option<String>, content: String| {
            Item::Para(Para {
                ppr: PPr {
                    spacing,
                    jc: Some("center"),
                    ..PPr::default()
                },
                content,
            })
        };
        let mut items = vec![center(spacing(title_before, title_line), title_runs)];
        if !book.department.is_empty() {
            items.push(center(spacing(dept_before, small_line), dept_runs));
        }
        items.push(center(spacing(date_before, small_line), date_runs));
        Section {
            orientation: Orientation::Portrait,
            numbers_start: false,
            text_pages: true,
            items,
        }
    }

    fn toc_section_placeholder(&self) -> Section {
        Section {
            orientation: Orientation::Portrait,
            numbers_start: false,
            text_pages: true,
            items: Vec::new(),
        }
    }

    /// The 目录: its heading, then the TOC field with one pre-rendered
    /// line per entry.
    fn toc_section(&mut self, pages: &[Option<u32>]) -> Section {
        let mut items = vec![Item::Para(Para {
            ppr: PPr::style("TOCHeading"),
            content: self.runs("目　录", "", "目录"),
        })];
        let toc = self.book.toc();
        let count = toc.len();
        for (i, (depth, title)) in toc.iter().enumerate() {
            let name = bookmark_name(i);
            let mut content = String::new();
            if i == 0 {
                content.push_str(concat!(
                    r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
                    r#"<w:r><w:instrText xml:space="preserve"> TOC \o "1-2" \h \z \u </w:instrText></w:r>"#,
                    r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#
                ));
            }
            let text = self.runs(title, "", "目录");
            let page = pages
                .get(i)
                .copied()
                .flatten()
                .map(|p| p.to_string())
                .unwrap_or_default();
            let _ = write!(
                content,
                concat!(
                    r#"<w:hyperlink w:anchor="{name}" w:history="1">{text}<w:r><w:tab/></w:r>"#,
                    r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r>"#,
                    r#"<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \h </w:instrText></w:r>"#,
                    r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r>"#,
                    r#"<w:r><w:t>{page}</w:t></w:r>"#,
                    r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>"#
                ),
                name = name,
                text = text,
                page = page
            );
            items.push(Item::Para(Para {
                ppr: PPr::style(if *depth == 0 { "TOC1" } else { "TOC2" }),
                content,
            }));
        }
        if count > 0 {
            items.push(Item::Para(Para {
                ppr: PPr::style("TOC1"),
                content: r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#.into(),
            }));
        }
        Section {
            orientation: Orientation::Portrait,
            numbers_start: false,
            text_pages: true,
            items,
        }
    }

    fn flow(&mut self, f: Flow) {
        if let Some(last) = self.flows.last_mut() {
            last.push(f);
        }
    }

    /// Estimated lines of `text` at `spec` in `width` twips, the first
    /// line indented by `indent_units` half-ems.
    fn lines_of(text: &str, spec: &FontSpec, width: u32, indent_units: usize) -> u32 {
        let full = (width as f32 / (spec.size_pt * 10.0)).max(1.0);
        let wrapped = (full - LINE_END_WASTE_UNITS).max(1.0);
        text.split('\n')
            .enumerate()
            .map(|(i, l)| {
                let u = units(l) + if i == 0 { indent_units as f32 } else { 0.0 };
                if u <= full {
                    1
                } else {
                    (u / wrapped).ceil() as u32
                }
            })
            .sum()
    }

    fn text_flow(&mut self, text: &str, spec: &FontSpec, indent_units: usize, space: u32) {
        let width = self.text_page().text_width;
        let lines = Self::lines_of(text, spec, width, indent_units);
        self.flow(Flow::Lines {
            lines,
            line: line_twips(spec),
            space,
            keep_next: false,
            page_break_before: false,
        });
    }

    fn chapter(
        &mut self,
        section: &mut Section,
        title: &str,
        blocks: &[Block],
    ) -> Result<(), WriteError> {
        let (p, mark) = self.heading("Heading1", title, false);
        section.items.push(Item::Para(p));
        self.flow(Flow::Anchor(mark));
        let h1 = self.look.h1.clone();
        let width = self.text_page().text_width;
        let lines = Self::lines_of(title, &h1, width, 0);
        self.flow(Flow::Lines {
            lines,
            line: line_twips(&h1),
            space: H1_SPACE_BEFORE + HEADING_SPACE,
            keep_next: true,
            page_break_before: false,
        });
        let text = self.look.text.clone();
        let indent = 4; // two characters, in half-ems
        let at = format!("chapter '{title}'");
        for block in blocks {
            match block {
                Block::Heading { level, text: t } => {
                    let style = if *level <= 2 { "Heading3" } else { "Heading4" };
                    let runs = self.runs(t, "", &at);
                    section.items.push(Item::Para(Para {
                        ppr: PPr::style(style),
                        content: runs,
                    }));
                    let lines = Self::lines_of(t, &text, width, indent);
                    self.flow(Flow::Lines {
                        lines,
                        line: line_twips(&text),
                        space: HEADING_SPACE,
                        keep_next: true,
                        page_break_before: false,
                    });
                }
                Block::Paragraph(spans) => {
                    let content = self.spans(spans, &at);
                    section.items.push(Item::Para(Para {
                        ppr: PPr::style("BodyText"),
                        content,
                    }));
                    let plain: String = spans.iter().map(|s| s.text.as_str()).collect();
                    self.text_flow(&plain, &text, indent, 0);
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => {
                    for (k, item) in items.iter().enumerate() {
                        let prefix = if *ordered {
                            format!("{}. ", start.saturating_add(k as u64))
                        } else {
                            "• ".to_string()
                        };
                        let mut content = self.runs(&prefix, "", &at);
                        content.push_str(&self.spans(item, &at));
                        section.items.push(Item::Para(Para {
                            ppr: PPr::style("BodyText"),
                            content,
                        }));
                        let plain: String = std::iter::once(prefix.as_str())
                            .chain(item.iter().map(|s| s.text.as_str()))
                            .collect();
                        self.text_flow(&plain, &text, indent, 0);
                    }
                }
                Block::Table(t) => {
                    self.table_no += 1;
                    if let Some(caption) = &t.title {
                        let runs = self.runs(caption, "", &at);
                        section.items.push(Item::Para(Para {
                            ppr: PPr::style("Caption"),
                            content: runs,
                        }));
                        let lines = Self::lines_of(caption, &text, width, 0);
                        self.flow(Flow::Lines {
                            lines,
                            line: line_twips(&text),
                            space: HEADING_SPACE,
                            keep_next: true,
                            page_break_before: false,
                        });
                    }
                    self.table_body(section, t, width)?;
                }
            }
        }
        Ok(())
    }

    /// Meta lines, table and notes from the single-document writer.
    fn table_body(
        &mut self,
        section: &mut Section,
        t: &Table,
        width: u32,
    ) -> Result<(), WriteError> {
        let xml = wd::table_fragment(self.profile, t, self.table_no, width, &mut self.warnings)?;
        let xml = String::from_utf8(xml)
            .map_err(|e| WriteError::Other(format!("table {}: {e}", self.table_no)))?;
        section.items.push(Item::Raw(xml));
        let body = self.profile.fonts.body.clone();
        let meta_line = pt_twips(body.size_pt * CELL_LINE_FACTOR) + 60;
        let meta_lines = t.meta.len().div_ceil(2) as u32;
        self.flow(Flow::Lines {
            lines: meta_lines,
            line: meta_line,
            space: 0,
            keep_next: true,
            page_break_before: false,
        });
        let (header, rows) = row_heights(t, width, &self.profile.fonts);
        self.flow(Flow::Table { header, rows });
        for note in &t.notes {
            let lines = Self::lines_of(note, &body, width, 0);
            self.flow(Flow::Lines {
                lines,
                line: meta_line,
                space: 0,
                keep_next: false,
                page_break_before: false,
            });
        }
        Ok(())
    }

    /// The table group: its heading, then each table on a new page under
    /// its own heading 2.
    fn table_group(
        &mut self,
        section: &mut Section,
        title: &str,
        tables: &[super::BookTable],
    ) -> Result<(), WriteError> {
        let (p, mark) = self.heading("Heading1", title, false);
        section.items.push(Item::Para(p));
        self.flow(Flow::Anchor(mark));
        let h1 = self.look.h1.clone();
        let h2 = self.look.h2.clone();
        self.flow(Flow::Lines {
            lines: 1,
            line: line_twips(&h1),
            space: HEADING_SPACE,
            keep_next: true,
            page_break_before: false,
        });
        let width = self.table_page().text_width;
        for (k, t) in tables.iter().enumerate() {
            self.table_no += 1;
            let text = format!("{}. {}", k + 1, t.title);
            let (p, mark) = self.heading("Heading2", &text, k > 0);
            section.items.push(Item::Para(p));
            self.flow(Flow::Lines {
                lines: 0,
                line: 0,
                space: 0,
                keep_next: true,
                page_break_before: k > 0,
            });
            self.flow(Flow::Anchor(mark));
            let lines = Self::lines_of(&text, &h2, width, 0);
            self.flow(Flow::Lines {
                lines,
                line: pt_twips(h2.size_pt * CELL_LINE_FACTOR),
                space: TITLE_SPACE_AFTER,
                keep_next: true,
                page_break_before: false,
            });
            let mut table = t.table.clone();
            table.title = None;
            self.table_body(section, &table, width)?;
        }
        Ok(())
    }

    /// The page of every 目录 entry, estimated from line counts and row
    /// heights (the applications recompute them from the PAGEREF fields).
    fn estimate(&self, sections: &[Section]) -> Vec<Option<u32>> {
        let mut pages = vec![None; self.book.toc().len()];
        // Numbered sections are sections[2..], flows in the same order.
        let mut page = 0u32;
        for (section, flows) in sections.iter().skip(2).zip(&self.flows) {
            let geometry = self.page_of(section);
            let height = (geometry.height as i32 - geometry.top - geometry.bottom).max(1) as u32;
            page += 1;
            let mut used = 0u32;
            let mut anchors: Vec<usize> = Vec::new();
            let mut iter = flows.iter().peekable();
            while let Some(f) = iter.next() {
                match f {
                    Flow::Anchor(i) => anchors.push(*i),
                    Flow::Lines {
                        lines,
                        line,
                        space,
                        keep_next,
                        page_break_before,
                    } => {
                        if *page_break_before && used > 0 {
                            page += 1;
                            used = 0;
                        }
                        let mut need = lines * line + space;
                        if *keep_next && let Some(Flow::Lines { line: next, .. }) = iter.peek() {
                            need += next;
                        }
                        if used > 0 && used + need > height {
                            page += 1;
                            used = 0;
                        }
                        for a in anchors.drain(..) {
                            if let Some(slot) = pages.get_mut(a) {
                                *slot = Some(page);
                            }
                        }
                        used += lines * line + space;
                        while used > height {
                            page += 1;
                            used -= height;
                        }
                    }
                    Flow::Table { header, rows } => {
                        let head: u32 = header.iter().sum();
                        let first = rows.first().map_or(0, |r| r.line);
                        if used > 0 && used + head + first > height {
                            page += 1;
                            used = 0;
                        }
                        used += head;
                        for r in rows {
                            // Rows may split across pages at a line; the
                            // header rows repeat on every page.
                            let mut rest = r.height;
                            while used + rest > height {
                                let room = height.saturating_sub(used);
                                if used <= head || room >= r.line.max(1) {
                                    // Fill this page with what fits.
                                    rest -= room.min(rest);
                                }
                                page += 1;
                                used = head;
                                if rest == 0 {
                                    break;
                                }
                            }
                            used += rest;
                        }
                    }
                }
            }
        }
        pages
    }

    fn sect_pr(&self, s: &Section) -> String {
        let page = self.page_of(s);
        let mut x = String::from("<w:sectPr>");
        if s.numbers_start {
            if self.profile.header_text.is_some() {
                let _ = write!(
                    x,
                    r#"<w:headerReference w:type="default" r:id="{HEADER_RID}"/>"#
                );
            }
            if self.has_footer() {
                let _ = write!(
                    x,
                    r#"<w:footerReference w:type="default" r:id="{FOOTER_RID}"/>"#
                );
            }
        }
        x.push_str(r#"<w:type w:val="nextPage"/>"#);
        let orient = match s.orientation {
            Orientation::Landscape => r#" w:orient="landscape""#,
            Orientation::Portrait => "",
        };
        let _ = write!(
            x,
            r#"<w:pgSz w:w="{}" w:h="{}"{orient}/>"#,
            page.width, page.height
        );
        let _ = write!(
            x,
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{h}" w:footer="{h}" w:gutter="0"/>"#,
            page.top,
            page.right,
            page.bottom,
            page.left,
            h = wd::HEADER_FOOTER_TWIPS
        );
        if s.numbers_start {
            x.push_str(r#"<w:pgNumType w:fmt="decimal" w:start="1"/>"#);
        }
        x.push_str("</w:sectPr>");
        x
    }

    fn has_footer(&self) -> bool {
        self.profile.page_number != PageNumberStyle::None || self.profile.footer_text.is_some()
    }

    fn document(&self, sections: Vec<Section>) -> Vec<u8> {
        let mut body = String::new();
        let count = sections.len();
        for (si, mut s) in sections.into_iter().enumerate() {
            let sect = self.sect_pr(&s);
            let last = si + 1 == count;
            if !last {
                match s.items.last_mut() {
                    Some(Item::Para(p)) => p.ppr.sect = Some(sect.clone()),
                    _ => s.items.push(Item::Para(Para {
                        ppr: PPr {
                            spacing: Some(format!(
                                r#"<w:spacing w:before="0" w:after="0" w:line="{CARRIER_LINE_TWIPS}" w:lineRule="exact"/>"#
                            )),
                            mark: Some(r#"<w:sz w:val="2"/><w:szCs w:val="2"/>"#.into()),
                            sect: Some(sect.clone()),
                            ..PPr::default()
                        },
                        content: String::new(),
                    })),
                }
            }
            for item in &s.items {
                match item {
                    Item::Para(p) => body.push_str(&p.xml()),
                    Item::Raw(x) => body.push_str(x),
                }
            }
            if last {
                body.push_str(&sect);
            }
        }
        format!(r#"{XML_DECL}<w:document {DOCUMENT_NS}><w:body>{body}</w:body></w:document>"#)
            .into_bytes()
    }

    fn styles(&self) -> Vec<u8> {
        let look = &self.look;
        let body = &self.profile.fonts.body;
        let text = &look.text;
        let text_width = self.text_page().text_width;
        let char_twips = pt_twips(text.size_pt);
        let first_line = char_twips * FIRST_LINE_CHARS / 100;
        let line = line_twips(text);
        let mut s = format!(
            r#"{XML_DECL}<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/><w:lang w:val="en-US" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
            fonts = rfonts(&body.family),
            sz = hp(body.size_pt),
            lang = wd::LANGUAGE,
        );
        s.push_str(r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#);
        s.push_str(r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#);
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/><w:ind w:firstLineChars="{FIRST_LINE_CHARS}" w:firstLine="{first_line}"/><w:jc w:val="both"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
            rpr = rpr_of(text, false, false)
        );
        let heading = |id: &str,
                       name: &str,
                       level: u8,
                       spec: &FontSpec,
                       bold: bool,
                       ppr: &str|
         -> String {
            format!(
                r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="BodyText"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>{ppr}<w:outlineLvl w:val="{level}"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
                rpr = rpr_of(spec, bold, false)
            )
        };
        s.push_str(&heading(
            "Heading1",
            "heading 1",
            0,
            &look.h1,
            bold_face(&look.h1),
            &format!(
                r#"<w:spacing w:before="{H1_SPACE_BEFORE}" w:after="{HEADING_SPACE}" w:line="{}" w:lineRule="exact"/>"#,
                line_twips(&look.h1)
            ),
        ));
        s.push_str(&heading(
            "Heading2",
            "heading 2",
            1,
            &look.h2,
            // Bold, as the single-document writer sets table titles.
            true,
            &format!(
                r#"<w:spacing w:before="0" w:after="{TITLE_SPACE_AFTER}"/><w:jc w:val="center"/>"#
            ),
        ));
        let sub = format!(
            r#"<w:spacing w:before="{HEADING_SPACE}" w:after="0" w:line="{line}" w:lineRule="exact"/><w:ind w:firstLineChars="{FIRST_LINE_CHARS}" w:firstLine="{first_line}"/>"#
        );
        s.push_str(&heading(
            "Heading3",
            "heading 3",
            2,
            &look.h3,
            bold_face(&look.h3),
            &sub,
        ));
        s.push_str(&heading("Heading4", "heading 4", 3, text, true, &sub));
        let toc_line = line_twips(text);
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{text_width}"/></w:tabs><w:spacing w:before="0" w:after="0" w:line="{toc_line}" w:lineRule="exact"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
            rpr = rpr_of(text, false, false)
        );
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="TOC2"><w:name w:val="toc 2"/><w:basedOn w:val="TOC1"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:pPr><w:ind w:leftChars="{FIRST_LINE_CHARS}" w:left="{first_line}"/></w:pPr></w:style>"#
        );
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="TOC1"/><w:uiPriority w:val="39"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="{TOC_HEADING_SPACE_AFTER}"/><w:jc w:val="center"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
            rpr = rpr_of(&look.h2, bold_face(&look.h2), false)
        );
        let _ = write!(
            s,
            r#"<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="{HEADING_SPACE}" w:after="{TITLE_SPACE_AFTER}"/><w:jc w:val="center"/></w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
            rpr = rpr_of(text, true, false)
        );
        s.push_str("</w:styles>");
        s.into_bytes()
    }

    fn footer(&self) -> Vec<u8> {
        let text = &self.look.text;
        let rpr = rpr_of(text, false, false);
        let run = |t: &str| {
            format!(
                r#"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
                esc(t)
            )
        };
        let page = format!(
            r#"<w:fldSimple w:instr=" PAGE "><w:r><w:rPr>{rpr}</w:rPr><w:t>1</w:t></w:r></w:fldSimple>"#
        );
        let mut p = String::from(r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr>"#);
        if let Some(t) = &self.profile.footer_text {
            p.push_str(&run(&format!("{t}    ")));
        }
        match self.profile.page_number {
            PageNumberStyle::Chinese => {
                p.push_str(&run("第 "));
                p.push_str(&page);
                p.push_str(&run(" 页"));
            }
            PageNumberStyle::Dash => {
                p.push_str(&run("— "));
                p.push_str(&page);
                p.push_str(&run(" —"));
            }
            PageNumberStyle::None => {}
        }
        p.push_str("</w:p>");
        format!(r#"{XML_DECL}<w:ftr {DOCUMENT_NS}>{p}</w:ftr>"#).into_bytes()
    }

    fn header(&self, text: &str) -> Vec<u8> {
        let rpr = rpr_of(&self.profile.fonts.body, false, false);
        format!(
            r#"{XML_DECL}<w:hdr {DOCUMENT_NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:hdr>"#,
            esc(text)
        )
        .into_bytes()
    }

    fn package(&self, document: Vec<u8>, when: crate::time::Civil) -> Vec<(String, Vec<u8>)> {
        const CT_WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
        const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let footer = self.has_footer();
        let header = self.profile.header_text.clone();
        let mut types = format!(
            r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{CT_WML}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{CT_WML}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{CT_WML}.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{CT_WML}.fontTable+xml"/>"#
        );
        if footer {
            let _ = write!(
                types,
                r#"<Override PartName="/word/footer1.xml" ContentType="{CT_WML}.footer+xml"/>"#
            );
        }
        if header.is_some() {
            let _ = write!(
                types,
                r#"<Override PartName="/word/header1.xml" ContentType="{CT_WML}.header+xml"/>"#
            );
        }
        types.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#);
        let rels = format!(
            r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
        );
        let mut doc_rels = format!(
            r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="{REL}/settings" Target="settings.xml"/><Relationship Id="rIdFontTable" Type="{REL}/fontTable" Target="fontTable.xml"/>"#
        );
        if footer {
            let _ = write!(
                doc_rels,
                r#"<Relationship Id="{FOOTER_RID}" Type="{REL}/footer" Target="footer1.xml"/>"#
            );
        }
        if header.is_some() {
            let _ = write!(
                doc_rels,
                r#"<Relationship Id="{HEADER_RID}" Type="{REL}/header" Target="header1.xml"/>"#
            );
        }
        doc_rels.push_str("</Relationships>");
        let app = format!(
            r#"{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>gongkai</Application></Properties>"#
        );
        let settings = format!(
            r#"{XML_DECL}<w:settings {W_NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:updateFields w:val="true"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
        );
        let fonts_ = &self.profile.fonts;
        let families: Vec<package::FontEntry> =
            [&fonts_.title, &fonts_.header, &fonts_.body, &fonts_.numbers]
                .into_iter()
                .map(|f| package::FontEntry {
                    name: f.family.clone(),
                    serif: matches!(f.bundled, FontFace::Serif | FontFace::SerifBold),
                })
                .collect();
        let font_table = package::add_fonts(
            format!("{XML_DECL}<w:fonts {W_NS}></w:fonts>").as_bytes(),
            &families,
        );
        let core = package::core_properties(
            Some(&self.book.title),
            Some(&self.book.department)
                .filter(|d| !d.is_empty())
                .map(String::as_str),
            when,
        );
        let mut parts: Vec<(String, Vec<u8>)> = vec![
            ("[Content_Types].xml".into(), types.into_bytes()),
            ("_rels/.rels".into(), rels.into_bytes()),
            ("docProps/app.xml".into(), app.into_bytes()),
            ("docProps/core.xml".into(), core),
            ("word/_rels/document.xml.rels".into(), doc_rels.into_bytes()),
            ("word/document.xml".into(), document),
            ("word/styles.xml".into(), self.styles()),
            ("word/settings.xml".into(), settings.into_bytes()),
            ("word/fontTable.xml".into(), font_table),
        ];
        if footer {
            parts.push(("word/footer1.xml".into(), self.footer()));
        }
        if let Some(h) = header {
            parts.push(("word/header1.xml".into(), self.header(&h)));
        }
        parts
    }
}

/// A table row for the page estimate.
struct RowHeight {
    /// Its whole height.
    height: u32,
    /// One line of it: a row splits across pages only between lines.
    line: u32,
}

/// Width of a Latin letter or digit in half-ems for the page estimate:
/// the fonts that stand in for 宋体 (DejaVu Sans, Noto CJK's Latin) set
/// digits at about 0.6 em, not the half em of a monospaced grid.
const LATIN_UNITS: f32 = 1.2;

/// Room lost at the end of a wrapped line, in half-ems, for the page
/// estimate: a Latin word or a mark that may not start a line moves to
/// the next line whole.
const LINE_END_WASTE_UNITS: f32 = 1.5;

/// Width of a text in half-ems (a CJK character is 2).
fn units(s: &str) -> f32 {
    s.chars()
        .map(|c| match c.width().unwrap_or(0) {
            0 => 0.0,
            1 => LATIN_UNITS,
            w => w as f32,
        })
        .sum()
}

/// Estimated heights of a table's header rows and body rows, in twips,
/// from the column widths the writer gives the table.
fn row_heights(t: &Table, width: u32, fonts: &crate::profile::Fonts) -> (Vec<u32>, Vec<RowHeight>) {
    let widths = wd::column_widths(t, width, &fonts.body);
    let line = |spec: &FontSpec| pt_twips(spec.size_pt * CELL_LINE_FACTOR);
    let cell_lines = |text: &str, col: usize, spec: &FontSpec| -> u32 {
        let w = widths.get(col).copied().unwrap_or(width);
        Writer::lines_of(text, spec, w.saturating_sub(2 * wd::CELL_PADDING), 0)
    };
    let grid = crate::grid::resolve(t);
    let mut header = vec![line(&fonts.header) + ROW_BORDER_TWIPS; grid.header.depth];
    for h in &grid.header.cells {
        if h.rows == 1
            && let Some(slot) = header.get_mut(h.row)
        {
            let lines = cell_lines(&h.text, h.col, &fonts.header);
            *slot = (*slot).max(lines * line(&fonts.header) + ROW_BORDER_TWIPS);
        }
    }
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let lines = r
                .cells
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    cell_lines(&crate::write::docx::display(&cell.value), c, &fonts.body)
                })
                .max()
                .unwrap_or(1);
            RowHeight {
                height: lines * line(&fonts.body) + ROW_BORDER_TWIPS,
                line: line(&fonts.body),
            }
        })
        .collect();
    (header, rows)
}
