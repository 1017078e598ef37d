//! The book as one Word file: a cover page, a 目录 page holding a real TOC
//! field, the text chapters on portrait pages and the tables on pages of
//! the profile's orientation (landscape by default), each table on a new
//! page. Sizes, spaces and indents of the cover, the 目录 and the
//! chapters are the profile's book type (`[book_type]`), the ones the PDF
//! book is set with.
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
//! The tables are the single-document writer's tables (`write::docx`
//! `table`): the same widths, fonts, borders and repeated header rows; the
//! package (styles, settings, fonts, footer, properties, the zip with
//! fixed times) is the single document's too: the same book gives the same
//! bytes.

use crate::book::chapter::{Block, Span};
use crate::book::{Book, Part, strip_outline_number};
use crate::model::{Table, Warning};
use crate::profile::{BookType, FontFace, FontSpec, Orientation, PaperSize, Profile};
use crate::write::docx::package::{self, Footer, Package};
use crate::write::docx::props::{
    Ind, Jc, Line, PPr, RPr, SectPr, Spacing, paragraph, pt_twips, run,
};
use crate::write::docx::table::{self, TableCtx};
use crate::write::docx::xml::{Fragment, Xml};
use crate::write::docx::{Page, TWIPS_PER_PT};
use crate::write::pdf::fonts::{FontBook, FontStore, Role};
use crate::write::pdf::layout::text::shape;
use crate::{RenderOptions, Rendered, WriteError};

mod estimate;
mod styles;

use estimate::{Flow, lines_of, single_line, table_flow};

/// Height of the empty paragraph that carries a section break after a
/// table, in twips (1 pt): small enough never to push a page over.
const CARRIER_LINE_TWIPS: u32 = 20;

/// Room a 目录 line keeps for its leaders and page number, in half-ems:
/// the PDF's three ems of leaders at least, the gaps around them and a
/// two-digit number.
const TOC_NUMBER_ROOM_UNITS: f32 = 10.0;

/// The 目录's title: the PDF's, its letters spaced by the book type.
const CONTENTS_TITLE: &str = "目录";

/// Bookmark name of the `i`-th 目录 entry (from 0). Names starting with
/// `_Toc` are the hidden bookmarks Word itself makes for TOC entries.
pub fn bookmark_name(i: usize) -> String {
    format!("_TocGk{:04}", i + 1)
}

/// Renders the book as DOCX.
pub fn write(book: &Book, options: &RenderOptions) -> Result<Rendered, WriteError> {
    Writer::new(book, &options.profile, &options.fonts)?.run(options)
}

/// Font roles of the book, sizes decided from the profile's book type.
struct Look {
    /// The book type.
    ty: BookType,
    /// Running text: the body family at the book's text size.
    text: FontSpec,
    /// Chapter headings and the table group's (heading 1), the cover's
    /// department line: the header family.
    h1: FontSpec,
    /// Table titles (heading 2): the title font, as in single documents.
    h2: FontSpec,
    /// Headings of levels 1 and 2 inside a chapter (heading 3).
    h3: FontSpec,
    /// Deeper headings inside a chapter (heading 4).
    h4: FontSpec,
    /// The cover's date line.
    date: FontSpec,
}

impl Look {
    fn new(p: &Profile) -> Look {
        let f = &p.fonts;
        let ty = p.book_type;
        let text_pt = ty.text_pt(f.body.size_pt);
        let sized = |spec: &FontSpec, pt: f32| FontSpec {
            size_pt: pt,
            ..spec.clone()
        };
        Look {
            ty,
            text: sized(&f.body, text_pt),
            h1: sized(&f.header, text_pt * ty.chapter_heading_scale),
            h2: f.title.clone(),
            h3: sized(&f.header, text_pt * ty.subheading_scale),
            h4: sized(&f.header, text_pt),
            date: sized(&f.body, text_pt * ty.subheading_scale),
        }
    }

    /// The pitch of running text, in points.
    fn line_pt(&self) -> f32 {
        self.text.size_pt * self.ty.text_line_height
    }

    /// `n` lines of running text, in twips.
    fn lines(&self, n: f32) -> u32 {
        pt_twips(n * self.line_pt())
    }

    /// The pitch of chapter headings, in twips.
    fn h1_line(&self) -> u32 {
        pt_twips(self.h1.size_pt * self.ty.heading_line_height)
    }

    /// The pitch of a text of `spec`'s size set as running text, in twips.
    fn text_line_of(&self, spec: &FontSpec) -> u32 {
        pt_twips(spec.size_pt * self.ty.text_line_height)
    }

    /// The 目录's title: the title font at the title size.
    fn contents_title(&self) -> &FontSpec {
        &self.h2
    }

    /// The 目录's title pitch, in twips.
    fn contents_title_line(&self) -> u32 {
        pt_twips(self.h2.size_pt * self.ty.heading_line_height)
    }
}

/// Whether a face is bold.
fn bold_face(spec: &FontSpec) -> bool {
    matches!(spec.bundled, FontFace::SansBold | FontFace::SerifBold)
}

/// The run properties of a font role.
fn rpr(spec: &FontSpec) -> RPr<'_> {
    RPr::font(&spec.family, spec.size_pt).bold(bold_face(spec))
}

/// A body element.
enum Item {
    /// A paragraph of our own: its properties (a section ends in the last
    /// one's) and its content.
    Para(PPr<'static>, Fragment),
    /// The meta lines, table and notes of the table writer.
    Raw(Fragment),
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
    look: Look,
    warnings: Vec<Warning>,
    /// Next bookmark (index into the 目录).
    next_mark: usize,
    /// Tables written so far (for warning locations).
    table_no: usize,
    /// The faces tables are fitted and measured with.
    fonts: FontBook,
}

impl<'a> Writer<'a> {
    fn new(
        book: &'a Book,
        profile: &'a Profile,
        store: &FontStore,
    ) -> Result<Writer<'a>, WriteError> {
        let fonts = crate::write::fit::font_book(store, &profile.fonts)
            .map_err(|message| WriteError::Fit { table: 1, message })?;
        Ok(Writer {
            book,
            profile,
            look: Look::new(profile),
            warnings: Vec::new(),
            next_mark: 0,
            table_no: 0,
            fonts,
        })
    }

    /// The pages of the cover, the 目录 and the chapters: the profile's
    /// paper, at least the book type's margin left and right.
    fn text_page(&self) -> Page {
        let mut page = self.profile.page.clone();
        let side = self.look.ty.text_side_margin_mm;
        page.margin_left_mm = page.margin_left_mm.max(side);
        page.margin_right_mm = page.margin_right_mm.max(side);
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
        self.profile.page.wider_paper()?;
        let avail = self.table_page().text_width as f32 / TWIPS_PER_PT;
        let size = crate::write::fit::wider_paper(&t.table, &self.fonts, self.profile, avail)?;
        let at = format!("table {table_no} '{}' ({})", t.title, t.source);
        self.warnings.push(crate::write::fit::larger_paper_warning(
            at,
            self.profile,
            size,
        ));
        Some(size)
    }

    /// A run of `text` in `rpr` (line breaks and tabs as Word elements).
    fn runs(&mut self, text: &str, rpr: &RPr, at: &str) -> Fragment {
        let mut x = Xml::new();
        run(&mut x, text, rpr, &mut self.warnings, at);
        x.into_fragment()
    }

    /// The runs of a paragraph's spans, bold and italic as marked; the
    /// rest from the paragraph's style.
    fn spans(&mut self, x: &mut Xml, spans: &[Span], at: &str) {
        for s in spans {
            let rpr = RPr {
                bold: s.bold,
                italic: s.italic,
                ..RPr::default()
            };
            run(x, &s.text, &rpr, &mut self.warnings, at);
        }
    }

    /// A heading paragraph with the bookmark of the next 目录 entry.
    fn heading(&mut self, ppr: PPr<'static>, text: &str) -> (Item, usize) {
        let mark = self.next_mark;
        self.next_mark += 1;
        let name = bookmark_name(mark);
        let mut x = Xml::new();
        x.elem("w:bookmarkStart")
            .num("w:id", mark as i64)
            .attr("w:name", &name)
            .empty();
        run(
            &mut x,
            text,
            &RPr::default(),
            &mut self.warnings,
            &format!("heading '{text}'"),
        );
        x.elem("w:bookmarkEnd").num("w:id", mark as i64).empty();
        (Item::Para(ppr, x.into_fragment()), mark)
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
                    self.chapter(&mut section, &title, &c.blocks);
                    pending_text = Some(section);
                }
                Part::Tables { title, tables } => {
                    if let Some(s) = pending_text.take() {
                        sections.push(s);
                    }
                    let section =
                        Section::new(self.profile.page.orientation, first_numbered, false);
                    first_numbered = false;
                    self.table_group(&mut sections, section, &format!("{n}、{title}"), tables);
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
            .map(|s| (self.page_of(s).text_height(), s.flows.as_slice()))
            .collect();
        let pages = estimate::pages(&numbered, self.book.toc().len());
        let toc = self.toc_section(&pages);
        if let Some(slot) = sections.get_mut(1) {
            *slot = toc;
        }
        let when = crate::time::civil_from_unix(options.created);
        let profile = self.profile;
        let package = Package {
            profile,
            title: Some(&book.title),
            author: Some(book.department.as_str()).filter(|d| !d.is_empty()),
            when,
            styles: self.styles(),
            update_fields: true,
            footer: package::has_footer(profile).then_some(Footer {
                font: &self.look.text,
                total: false,
            }),
        };
        let mut warnings = Vec::new();
        let bytes = package.pack(&mut warnings, |x| {
            self.document(x, sections);
            Ok(())
        })?;
        if let Some(e) = self.fonts.error() {
            return Err(e.into());
        }
        self.warnings.append(&mut warnings);
        Ok(Rendered {
            bytes,
            warnings: self.warnings,
        })
    }

    /// The cover, set as the PDF's: the title large with the middle of its
    /// block at the book type's height (the department's name on a line
    /// of its own when the title begins with it), the department line and
    /// the date from the foot position.
    fn cover(&mut self) -> Section {
        let page = self.text_page();
        let ty = self.look.ty;
        let book = self.book;
        let pieces: Vec<&str> = match book.title.strip_prefix(book.department.as_str()) {
            _ if !book.cover_lines.is_empty() => {
                book.cover_lines.iter().map(String::as_str).collect()
            }
            Some(rest) if !book.department.is_empty() && !rest.trim().is_empty() => {
                vec![book.department.as_str(), rest.trim()]
            }
            _ => vec![book.title.as_str()],
        };
        // As large as the scale asks, smaller while a piece is wider than
        // the page, never smaller than the profile's title.
        let title = &self.profile.fonts.title;
        let base = title.size_pt;
        let width_pt = page.text_width as f32 / TWIPS_PER_PT;
        let widest = pieces
            .iter()
            .map(|p| shape(p, Role::Title, 1.0, &self.fonts).max_width())
            .fold(0.0, f32::max);
        let mut size = base * ty.cover_title_scale;
        if widest > 0.0 {
            size = size.min(width_pt / widest).max(base);
        }
        // Word sizes are half-points: round down, so that a title made to
        // fit the line exactly still fits it.
        size = ((size * 2.0).floor() / 2.0).max(base);
        let lines: usize = pieces
            .iter()
            .map(|p| {
                shape(p, Role::Title, size, &self.fonts)
                    .break_lines(width_pt)
                    .len()
                    .max(1)
            })
            .sum();
        let height_pt = page.height as f32 / TWIPS_PER_PT;
        let top_pt = page.top as f32 / TWIPS_PER_PT;
        let pitch = size * ty.cover_line_height;
        let title_top = height_pt * ty.cover_title_at - lines as f32 * pitch / 2.0;
        let title_end = title_top + lines as f32 * pitch;
        let foot = height_pt * ty.cover_foot_at;

        let cover = FontSpec {
            size_pt: size,
            ..title.clone()
        };
        let centred = |before: f32, line: f32| PPr {
            spacing: Some(Spacing::around(pt_twips(before), 0).exact(pt_twips(line))),
            jc: Some(Jc::Center),
            ..PPr::default()
        };
        let title_runs = self.runs(&pieces.join("\n"), &rpr(&cover), "cover title");
        let mut items = vec![Item::Para(centred(title_top - top_pt, pitch), title_runs)];
        let dept = book
            .department_line
            .clone()
            .unwrap_or_else(|| self.profile.book.cover_line(&book.department));
        let mut at = title_end;
        for (text, spec, place) in [
            (dept.as_str(), self.look.h1.clone(), "cover"),
            (book.date.as_str(), self.look.date.clone(), "cover date"),
        ] {
            if text.trim().is_empty() {
                continue;
            }
            let line = spec.size_pt * ty.cover_line_height;
            let runs = self.runs(text, &rpr(&spec), place);
            items.push(Item::Para(centred((foot - at).max(0.0), line), runs));
            at = foot.max(at) + line;
        }
        Section {
            items,
            ..Section::new(self.profile.page.text_orientation(), false, true)
        }
    }

    fn toc_section_placeholder(&self) -> Section {
        Section::new(self.profile.page.text_orientation(), false, true)
    }

    /// The pitch of the 目录's lines, in twips: the book type's, closed up
    /// (down to its minimum) when that keeps the 目录 on its page, as the
    /// PDF does.
    fn toc_line(&self, entries: &[(u8, String)]) -> u32 {
        let look = &self.look;
        let ty = look.ty;
        let size = look.text.size_pt;
        let page = self.text_page();
        let title_pitch = look.contents_title().size_pt * ty.heading_line_height;
        let mut pitch = size * ty.contents_line_height;
        let room = page.text_height() as f32 / TWIPS_PER_PT
            - title_pitch
            - ty.contents_title_gap_lines * pitch;
        let count: u32 = entries
            .iter()
            .map(|(depth, title)| {
                let indent = if *depth == 0 {
                    0.0
                } else {
                    2.0 * ty.contents_indent_em
                };
                lines_of(
                    title,
                    &look.text,
                    page.text_width,
                    indent + TOC_NUMBER_ROOM_UNITS,
                )
            })
            .sum();
        let count = count as f32;
        if count * pitch > room && count * size * ty.contents_min_line_height <= room {
            pitch = room / count;
        }
        pt_twips(pitch)
    }

    /// The 目录: its title, then the TOC field with one pre-rendered line
    /// per entry.
    fn toc_section(&mut self, pages: &[Option<u32>]) -> Section {
        let toc = self.book.toc();
        let mut items = Vec::new();
        // The title's letters spaced out: each but the last followed by
        // the book type's tracking.
        let title = self.look.contents_title().clone();
        let tracking = pt_twips(self.look.ty.contents_title_tracking_em * title.size_pt);
        let chars: Vec<char> = CONTENTS_TITLE.chars().collect();
        let mut x = Xml::new();
        for (k, c) in chars.iter().enumerate() {
            let spaced = RPr {
                tracking: (k + 1 < chars.len() && tracking > 0).then_some(tracking),
                ..RPr::default()
            };
            run(&mut x, &c.to_string(), &spaced, &mut self.warnings, "目录");
        }
        items.push(Item::Para(
            PPr::style(styles::TOC_HEADING),
            x.into_fragment(),
        ));
        let count = toc.len();
        for (i, (depth, title)) in toc.iter().enumerate() {
            let name = bookmark_name(i);
            let mut x = Xml::new();
            let field_char = |x: &mut Xml, kind: &str| {
                x.open("w:r");
                x.elem("w:fldChar").attr("w:fldCharType", kind).empty();
                x.close();
            };
            let instr = |x: &mut Xml, text: &str| {
                x.open("w:r");
                x.elem("w:instrText")
                    .attr("xml:space", "preserve")
                    .text(text);
                x.close();
            };
            if i == 0 {
                field_char(&mut x, "begin");
                instr(&mut x, r#" TOC \o "1-2" \h \z \u "#);
                field_char(&mut x, "separate");
            }
            x.elem("w:hyperlink")
                .attr("w:anchor", &name)
                .attr("w:history", "1")
                .open();
            run(&mut x, title, &RPr::default(), &mut self.warnings, "目录");
            x.open("w:r");
            x.empty("w:tab");
            x.close();
            field_char(&mut x, "begin");
            instr(&mut x, &format!(" PAGEREF {name} \\h "));
            field_char(&mut x, "separate");
            let page = pages
                .get(i)
                .copied()
                .flatten()
                .map(|p| p.to_string())
                .unwrap_or_default();
            x.open("w:r");
            x.elem("w:t").text(&page);
            x.close();
            field_char(&mut x, "end");
            x.close();
            let style = if *depth == 0 {
                styles::TOC1
            } else {
                styles::TOC2
            };
            items.push(Item::Para(PPr::style(style), x.into_fragment()));
        }
        if count > 0 {
            let mut x = Xml::new();
            x.open("w:r");
            x.elem("w:fldChar").attr("w:fldCharType", "end").empty();
            x.close();
            items.push(Item::Para(PPr::style(styles::TOC1), x.into_fragment()));
        }
        Section {
            items,
            ..Section::new(self.profile.page.text_orientation(), false, true)
        }
    }

    /// A one-line styled paragraph kept with what follows (a heading
    /// inside a chapter, a table caption), with its lines for the page
    /// estimate: `spec` its font, `line` its pitch, `space` the space
    /// around it, in twips.
    #[allow(clippy::too_many_arguments)]
    fn kept_paragraph(
        &mut self,
        section: &mut Section,
        style: &'static str,
        text: &str,
        spec: &FontSpec,
        line: u32,
        space: u32,
        at: &str,
        indent_units: f32,
    ) {
        let content = self.runs(text, &RPr::default(), at);
        section.items.push(Item::Para(PPr::style(style), content));
        let width = self.text_page().text_width;
        section.flows.push(Flow::Lines {
            lines: lines_of(text, spec, width, indent_units),
            line,
            space,
            keep_next: true,
            page_break_before: false,
        });
    }

    /// A paragraph of running text for the page estimate, with the
    /// paragraph gap after it when `gap`.
    fn text_flow(&self, section: &mut Section, text: &str, gap: bool) {
        let look = &self.look;
        let width = self.text_page().text_width;
        let indent = 2.0 * look.ty.paragraph_indent_em;
        section.flows.push(Flow::Lines {
            lines: lines_of(text, &look.text, width, indent),
            line: look.lines(1.0),
            space: if gap {
                look.lines(look.ty.paragraph_gap_lines)
            } else {
                0
            },
            keep_next: false,
            page_break_before: false,
        });
    }

    fn chapter(&mut self, section: &mut Section, title: &str, blocks: &[Block]) {
        // Every chapter from a new page, as in the PDF.
        let new_page = !section.items.is_empty();
        let (p, mark) = self.heading(
            PPr {
                page_break_before: new_page,
                jc: Some(Jc::Center),
                ..PPr::style(styles::HEADING1)
            },
            title,
        );
        section.items.push(p);
        section.flows.push(Flow::Lines {
            lines: 0,
            line: 0,
            space: 0,
            keep_next: true,
            page_break_before: new_page,
        });
        section.flows.push(Flow::Anchor(mark));
        let look = &self.look;
        let width = self.text_page().text_width;
        section.flows.push(Flow::Lines {
            lines: lines_of(title, &look.h1, width, 0.0),
            line: look.h1_line(),
            space: look.lines(look.ty.chapter_heading_gap_lines),
            keep_next: true,
            page_break_before: false,
        });
        let at = format!("chapter '{title}'");
        let ty = look.ty;
        let (h3, h4, h2) = (look.h3.clone(), look.h4.clone(), look.h2.clone());
        let sub_space = look.lines(ty.subheading_gap_lines * 1.5);
        let indent = 2.0 * ty.paragraph_indent_em;
        for block in blocks {
            match block {
                Block::Heading { level, text: t } => {
                    let (style, spec) = if *level <= 2 {
                        (styles::HEADING3, &h3)
                    } else {
                        (styles::HEADING4, &h4)
                    };
                    let line = self.look.text_line_of(spec);
                    self.kept_paragraph(section, style, t, spec, line, sub_space, &at, indent);
                }
                Block::Paragraph(spans) => {
                    let mut x = Xml::new();
                    self.spans(&mut x, spans, &at);
                    section
                        .items
                        .push(Item::Para(PPr::style(styles::BODY_TEXT), x.into_fragment()));
                    let plain: String = spans.iter().map(|s| s.text.as_str()).collect();
                    self.text_flow(section, &plain, true);
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
                        let mut x = Xml::new();
                        run(&mut x, &prefix, &RPr::default(), &mut self.warnings, &at);
                        self.spans(&mut x, item, &at);
                        // The paragraph gap after the list, not between
                        // its items, as the PDF sets lists.
                        let last = k + 1 == items.len();
                        let ppr = PPr {
                            spacing: (!last).then_some(Spacing {
                                after: Some(0),
                                ..Spacing::default()
                            }),
                            ..PPr::style(styles::BODY_TEXT)
                        };
                        section.items.push(Item::Para(ppr, x.into_fragment()));
                        let plain: String = std::iter::once(prefix.as_str())
                            .chain(item.iter().map(|s| s.text.as_str()))
                            .collect();
                        self.text_flow(section, &plain, last);
                    }
                }
                Block::Table(t) => {
                    self.table_no += 1;
                    if let Some(caption) = &t.title {
                        let line = single_line(&h2);
                        let space = self.look.lines(ty.table_gap_lines) + table::TITLE_SPACE_AFTER;
                        self.kept_paragraph(
                            section,
                            styles::CAPTION,
                            caption,
                            &h2,
                            line,
                            space,
                            &at,
                            0.0,
                        );
                    }
                    self.table_body(section, t, width);
                }
            }
        }
    }

    /// Meta lines, table and notes from the table writer.
    fn table_body(&mut self, section: &mut Section, t: &Table, width: u32) {
        let ctx = TableCtx {
            profile: self.profile,
            fonts: &self.fonts,
            table_no: self.table_no,
        };
        let mut x = Xml::new();
        table::fragment(&mut x, &ctx, t, width, &mut self.warnings);
        section.items.push(Item::Raw(x.into_fragment()));
        let body = &self.profile.fonts.body;
        let meta_line = single_line(body) + table::LINE_SPACE_AFTER;
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
            .push(table_flow(t, width, self.profile, &self.fonts));
        for note in &t.notes {
            let lines = lines_of(note, body, width, 0.0);
            section.flows.push(Flow::Lines {
                lines,
                line: meta_line,
                space: 0,
                keep_next: false,
                page_break_before: false,
            });
        }
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
    ) {
        let papers: Vec<Option<PaperSize>> = tables
            .iter()
            .enumerate()
            .map(|(k, t)| self.paper_for(t, self.table_no + k + 1))
            .collect();
        section.paper = papers.first().copied().flatten();
        // The group's heading stands at the left of the table page, as in
        // the PDF, with the space under it of a heading in a chapter.
        let look = &self.look;
        let after = look.lines(look.ty.subheading_gap_lines);
        let (p, mark) = self.heading(
            PPr {
                spacing: Some(Spacing::around(0, after)),
                ..PPr::style(styles::HEADING1)
            },
            title,
        );
        section.items.push(p);
        section.flows.push(Flow::Anchor(mark));
        let look = &self.look;
        let h2 = look.h2.clone();
        section.flows.push(Flow::Lines {
            lines: lines_of(title, &look.h1, self.table_page().text_width, 0.0),
            line: look.h1_line(),
            space: after,
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
            let (p, mark) = self.heading(
                PPr {
                    page_break_before: new_page,
                    ..PPr::style(styles::HEADING2)
                },
                &text,
            );
            section.items.push(p);
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
                space: table::TITLE_SPACE_AFTER,
                keep_next: true,
                page_break_before: false,
            });
            // The fragment leaves out the table's own title: the heading
            // above stands for it.
            self.table_body(&mut section, &t.table, width);
        }
        sections.push(section);
    }

    fn sect_pr(&self, s: &Section) -> SectPr {
        SectPr {
            header: s.numbers_start && package::has_header(self.profile),
            footer: s.numbers_start && package::has_footer(self.profile),
            numbers_start: s.numbers_start,
            ..SectPr::new(Page {
                landscape: s.orientation == Orientation::Landscape,
                ..self.page_of(s)
            })
        }
    }

    /// The body of document.xml: the sections in order, each ended by the
    /// sectPr in its last paragraph (a small paragraph of its own after a
    /// table), the last by the body's own.
    fn document(&self, x: &mut Xml, sections: Vec<Section>) {
        let count = sections.len();
        for (si, mut s) in sections.into_iter().enumerate() {
            let sect = self.sect_pr(&s);
            let last = si + 1 == count;
            if !last {
                match s.items.last_mut() {
                    Some(Item::Para(ppr, _)) => ppr.sect = Some(sect),
                    _ => s.items.push(Item::Para(
                        PPr {
                            spacing: Some(Spacing {
                                before: Some(0),
                                after: Some(0),
                                line: Some(Line::Exact(CARRIER_LINE_TWIPS)),
                            }),
                            mark: Some(RPr {
                                size: Some(1.0),
                                ..RPr::default()
                            }),
                            sect: Some(sect),
                            ..PPr::default()
                        },
                        Fragment::default(),
                    )),
                }
            }
            for item in &s.items {
                match item {
                    Item::Para(ppr, content) => paragraph(x, ppr, |x| x.fragment(content)),
                    Item::Raw(f) => x.fragment(f),
                }
            }
            if last {
                sect.write(x);
            }
        }
    }

    /// The styles of the book (module `styles`).
    fn styles(&self) -> Vec<package::Style<'_>> {
        styles::of(
            &self.look,
            self.text_page().text_width,
            self.toc_line(&self.book.toc()),
        )
    }
}

/// Indentation of a paragraph's first line by the book type, in twips and
/// hundredths of a character of `spec`'s size.
fn first_line(look: &Look, spec: &FontSpec) -> Ind {
    let em = look.ty.paragraph_indent_em;
    let twips = pt_twips(em * look.text.size_pt) as i32;
    // Characters of the paragraph's own size; the same indent.
    let chars = (em * 100.0 * look.text.size_pt / spec.size_pt.max(1.0)).round() as i32;
    Ind {
        first_line: Some(twips),
        first_line_chars: Some(chars),
        ..Ind::default()
    }
}
