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
//! field to that bookmark. Word recomputes the numbers when it updates the
//! fields (settings.xml asks it to on opening); LibreOffice shows the
//! cached result of a TOC field as it stands, so the cached numbers come
//! from an estimate of the layout (module `estimate`) made for the fonts
//! LibreOffice puts in where 宋体 and 黑体 are missing.
//!
//! Sections switch between portrait and landscape. Page numbers start at 1
//! on the first page after the 目录 and run on through the later sections;
//! the cover and the 目录 have none. "第 X 页" stands alone: "共 Y 页" would
//! need the number of numbered pages, which NUMPAGES (it counts the cover
//! and the 目录 too) and SECTIONPAGES (one section only) do not give.
//!
//! The tables are the single-document writer's tables
//! (`write::docx`): the same widths, fonts, borders and repeated
//! header rows. document.xml, styles.xml and the rest of the package are
//! written here, zipped with fixed times: the same book gives the same
//! bytes.

use crate::book::chapter::{Block, Span};
use crate::book::{Book, Part, strip_outline_number};
use crate::model::{Table, Warning};
use crate::profile::{FontFace, FontSpec, Orientation, PageNumberStyle, PaperSize, Profile};
use crate::write::docx::{self as wd, Page, package};
use crate::write::pdf::fonts::{FontBook, FontStore};
use crate::{RenderOptions, Rendered, WriteError};
use std::fmt::Write as _;

mod estimate;
mod parts;

use estimate::{Flow, lines_of, single_line, table_flow, units};

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

/// The first-line indent in half-ems, for the page estimate.
const FIRST_LINE_UNITS: f32 = FIRST_LINE_CHARS as f32 / 50.0;

/// Space after a meta line and before a note, in twips, as the
/// single-document writer sets them (for the page estimate).
const TABLE_LINE_SPACE: u32 = 60;

/// Height of the empty paragraph that carries a section break after a
/// table, in twips (1 pt): small enough never to push a page over.
const CARRIER_LINE_TWIPS: u32 = 20;

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
    let result = Writer::new(book, &options.profile, &options.fonts).run(options);
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

impl Section {
    fn new(orientation: Orientation, numbers_start: bool, text_pages: bool) -> Section {
        Section {
            orientation,
            numbers_start,
            text_pages,
            paper: None,
            items: Vec::new(),
            flows: Vec::new(),
        }
    }
}

/// A run of pages in one orientation.
struct Section {
    orientation: Orientation,
    /// Page numbers start here (pgNumType start=1, footer and header).
    numbers_start: bool,
    /// Text pages get the wider text margins.
    text_pages: bool,
    /// Table pages on the profile's larger paper (`[page]
    /// wide_table_size`), for a table too wide for the page's own.
    paper: Option<PaperSize>,
    items: Vec<Item>,
    /// What the page estimate needs to know of the items.
    flows: Vec<Flow>,
}

struct Writer<'a> {
    book: &'a Book,
    profile: &'a Profile,
    fonts: &'a FontStore,
    look: Look,
    warnings: Vec<Warning>,
    /// Next bookmark (index into the 目录).
    next_mark: usize,
    /// Tables written so far (for warning locations).
    table_no: usize,
    /// The faces tables are measured with, when the profile lets a table
    /// too wide for the page move to larger paper.
    measure: Option<FontBook>,
}

impl<'a> Writer<'a> {
    fn new(book: &'a Book, profile: &'a Profile, fonts: &'a FontStore) -> Writer<'a> {
        Writer {
            book,
            profile,
            fonts,
            look: Look::new(profile),
            warnings: Vec::new(),
            next_mark: 0,
            table_no: 0,
            measure: profile
                .page
                .wider_paper()
                .and_then(|_| crate::write::fit::font_book(fonts, &profile.fonts).ok()),
        }
    }

    fn text_page(&self) -> Page {
        let mut page = self.profile.page.clone();
        page.margin_left_mm = page.margin_left_mm.max(MIN_TEXT_SIDE_MARGIN_MM);
        page.margin_right_mm = page.margin_right_mm.max(MIN_TEXT_SIDE_MARGIN_MM);
        page.margin_top_mm = page.margin_top_mm.max(MIN_TEXT_TOP_BOTTOM_MM);
        page.margin_bottom_mm = page.margin_bottom_mm.max(MIN_TEXT_TOP_BOTTOM_MM);
        Page::oriented(&page, self.profile.page.text_orientation())
    }

    fn table_page(&self) -> Page {
        self.table_page_on(None)
    }

    /// Table pages on `paper`, or on the profile's own.
    fn table_page_on(&self, paper: Option<PaperSize>) -> Page {
        let mut page = self.profile.page.clone();
        if let Some(paper) = paper {
            page.size = paper;
        }
        Page::oriented(&page, self.profile.page.orientation)
    }

    fn page_of(&self, s: &Section) -> Page {
        if s.text_pages {
            self.text_page()
        } else {
            self.table_page_on(s.paper)
        }
    }

    /// The larger paper table `t` goes on (see [`crate::write::fit::wider_paper`]).
    fn paper_for(&mut self, t: &crate::book::BookTable, table_no: usize) -> Option<PaperSize> {
        let book = self.measure.as_ref()?;
        let avail = self.table_page().text_width as f32 / wd::TWIPS_PER_PT;
        let size = crate::write::fit::wider_paper(&t.table, book, self.profile, avail)?;
        let at = format!("table {table_no} '{}' ({})", t.title, t.source);
        self.warnings.push(crate::write::fit::larger_paper_warning(
            at,
            self.profile,
            size,
        ));
        Some(size)
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
            let n = crate::book::chinese_number(i + 1);
            match part {
                Part::Chapter(c) => {
                    let mut section = pending_text.take().unwrap_or_else(|| {
                        Section::new(self.profile.page.text_orientation(), first_numbered, true)
                    });
                    first_numbered = false;
                    // A source's own 目录 numbers its lines; the chapter
                    // shows its own title, as the source does.
                    let title = if book.contents.is_some() {
                        c.title.clone()
                    } else {
                        format!("{n}、{}", strip_outline_number(&c.title))
                    };
                    self.chapter(&mut section, &title, &c.blocks)?;
                    pending_text = Some(section);
                }
                Part::Tables { title, tables } => {
                    if let Some(s) = pending_text.take() {
                        sections.push(s);
                    }
                    let section =
                        Section::new(self.profile.page.orientation, first_numbered, false);
                    first_numbered = false;
                    self.table_group(&mut sections, section, &format!("{n}、{title}"), tables)?;
                }
            }
        }
        if let Some(s) = pending_text.take() {
            sections.push(s);
        }
        // The numbered sections follow the cover and the 目录.
        let numbered: Vec<(u32, &[Flow])> = sections
            .iter()
            .skip(2)
            .map(|s| {
                let page = self.page_of(s);
                let height = (page.height as i32 - page.top - page.bottom).max(1) as u32;
                (height, s.flows.as_slice())
            })
            .collect();
        let pages = estimate::pages(&numbered, self.book.toc().len());
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
            _ if !book.cover_lines.is_empty() => book.cover_lines.join("\n"),
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
        let dept = book
            .department_line
            .clone()
            .unwrap_or_else(|| self.profile.book.cover_line(&book.department));
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
            items,
            ..Section::new(self.profile.page.text_orientation(), false, true)
        }
    }

    fn toc_section_placeholder(&self) -> Section {
        Section::new(self.profile.page.text_orientation(), false, true)
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
            items,
            ..Section::new(self.profile.page.text_orientation(), false, true)
        }
    }

    /// A one-line styled paragraph kept with what follows (a sub-heading, a
    /// table caption), with its lines for the page estimate.
    fn kept_paragraph(
        &mut self,
        section: &mut Section,
        style: &'static str,
        text: &str,
        spec: &FontSpec,
        at: &str,
        indent_units: f32,
    ) {
        let content = self.runs(text, "", at);
        section.items.push(Item::Para(Para {
            ppr: PPr::style(style),
            content,
        }));
        let width = self.text_page().text_width;
        section.flows.push(Flow::Lines {
            lines: lines_of(text, spec, width, indent_units),
            line: line_twips(spec),
            space: HEADING_SPACE,
            keep_next: true,
            page_break_before: false,
        });
    }

    /// A paragraph of running text for the page estimate.
    fn text_flow(&self, section: &mut Section, text: &str, spec: &FontSpec, indent_units: f32) {
        let width = self.text_page().text_width;
        let lines = lines_of(text, spec, width, indent_units);
        section.flows.push(Flow::Lines {
            lines,
            line: line_twips(spec),
            space: 0,
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
        // Every chapter from a new page, as in the PDF.
        let new_page = !section.items.is_empty();
        let (p, mark) = self.heading("Heading1", title, new_page);
        section.items.push(Item::Para(p));
        section.flows.push(Flow::Lines {
            lines: 0,
            line: 0,
            space: 0,
            keep_next: true,
            page_break_before: new_page,
        });
        section.flows.push(Flow::Anchor(mark));
        let h1 = self.look.h1.clone();
        let width = self.text_page().text_width;
        let lines = lines_of(title, &h1, width, 0.0);
        section.flows.push(Flow::Lines {
            lines,
            line: line_twips(&h1),
            space: H1_SPACE_BEFORE + HEADING_SPACE,
            keep_next: true,
            page_break_before: false,
        });
        let text = self.look.text.clone();
        let indent = FIRST_LINE_UNITS;
        let at = format!("chapter '{title}'");
        for block in blocks {
            match block {
                Block::Heading { level, text: t } => {
                    let style = if *level <= 2 { "Heading3" } else { "Heading4" };
                    self.kept_paragraph(section, style, t, &text, &at, indent);
                }
                Block::Paragraph(spans) => {
                    let content = self.spans(spans, &at);
                    section.items.push(Item::Para(Para {
                        ppr: PPr::style("BodyText"),
                        content,
                    }));
                    let plain: String = spans.iter().map(|s| s.text.as_str()).collect();
                    self.text_flow(section, &plain, &text, indent);
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
                        self.text_flow(section, &plain, &text, indent);
                    }
                }
                Block::Table(t) => {
                    self.table_no += 1;
                    if let Some(caption) = &t.title {
                        self.kept_paragraph(section, "Caption", caption, &text, &at, 0.0);
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
        let xml = wd::table_fragment(
            self.profile,
            self.fonts,
            t,
            self.table_no,
            width,
            &mut self.warnings,
        )?;
        let xml = String::from_utf8(xml).map_err(|source| WriteError::Utf8 {
            table: self.table_no,
            source,
        })?;
        section.items.push(Item::Raw(xml));
        let body = self.profile.fonts.body.clone();
        let meta_line = single_line(&body) + TABLE_LINE_SPACE;
        let meta_lines = t.meta.len().div_ceil(2) as u32;
        section.flows.push(Flow::Lines {
            lines: meta_lines,
            line: meta_line,
            space: 0,
            keep_next: true,
            page_break_before: false,
        });
        section
            .flows
            .push(table_flow(t, width, self.profile, self.fonts));
        for note in &t.notes {
            let lines = lines_of(note, &body, width, 0.0);
            section.flows.push(Flow::Lines {
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
    /// its own heading 2. A table on other paper than the one before it
    /// starts a section of its own; the group's sections go on `sections`.
    fn table_group(
        &mut self,
        sections: &mut Vec<Section>,
        mut section: Section,
        title: &str,
        tables: &[crate::book::BookTable],
    ) -> Result<(), WriteError> {
        let papers: Vec<Option<PaperSize>> = tables
            .iter()
            .enumerate()
            .map(|(k, t)| self.paper_for(t, self.table_no + k + 1))
            .collect();
        section.paper = papers.first().copied().flatten();
        let (p, mark) = self.heading("Heading1", title, false);
        section.items.push(Item::Para(p));
        section.flows.push(Flow::Anchor(mark));
        let h1 = self.look.h1.clone();
        let h2 = self.look.h2.clone();
        section.flows.push(Flow::Lines {
            lines: lines_of(title, &h1, self.table_page().text_width, 0.0),
            line: line_twips(&h1),
            space: H1_SPACE_BEFORE + HEADING_SPACE,
            keep_next: true,
            page_break_before: false,
        });
        for (k, t) in tables.iter().enumerate() {
            self.table_no += 1;
            let paper = papers.get(k).copied().flatten();
            // A section break starts the table's page itself.
            let mut new_page = k > 0;
            if paper != section.paper {
                let mut next = Section::new(self.profile.page.orientation, false, false);
                next.paper = paper;
                sections.push(std::mem::replace(&mut section, next));
                new_page = false;
            }
            let width = self.table_page_on(paper).text_width;
            let text = if self.profile.book.number_table_titles {
                format!("{}. {}", k + 1, t.title)
            } else {
                t.title.clone()
            };
            let (p, mark) = self.heading("Heading2", &text, new_page);
            section.items.push(Item::Para(p));
            section.flows.push(Flow::Lines {
                lines: 0,
                line: 0,
                space: 0,
                keep_next: true,
                page_break_before: new_page,
            });
            section.flows.push(Flow::Anchor(mark));
            let lines = lines_of(&text, &h2, width, 0.0);
            section.flows.push(Flow::Lines {
                lines,
                line: single_line(&h2),
                space: TITLE_SPACE_AFTER,
                keep_next: true,
                page_break_before: false,
            });
            // The fragment leaves out the table's own title: the heading
            // above stands for it.
            self.table_body(&mut section, &t.table, width)?;
        }
        sections.push(section);
        Ok(())
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
}
