//! The DOCX public version through docx-rs: an A4 landscape section (from
//! the profile), per table a centred title in the title font, the meta line
//! with 部门名称 on the left and 单位 on the right (a right tab stop at the
//! text width), the table with repeating header rows, column widths from
//! content, amounts right-aligned with thousands separators and bold totals,
//! then the notes. Text sections between tables (the model's blocks) are a
//! "heading 1" heading and indented paragraphs. Every block after the first
//! starts on a new page.
//!
//! docx-rs writes no `w:tblHeader`, so the package is finished here
//! ([`package`]): the header rows are marked in document.xml, core
//! properties carry the title, the department as author and the fixed time
//! of [`RenderOptions::created`], and the zip gets fixed entry times, so the
//! same document gives the same bytes.

pub(crate) mod book;
pub(crate) mod package;
mod widths;

use super::{FontStore, RenderOptions, Rendered, WriteError};
use crate::grid::{self, Slot};
use crate::model::{
    Align, Block, ColumnKind, Document, Meta, RowKind, Section, Table, Value, Warning,
};
use crate::profile::{FontSpec, Orientation, PageNumberStyle, Profile};
use docx_rs::{
    AlignmentType, BorderType, BreakType, BuildXML, Docx, Footer, Header, LineSpacing, NumPages,
    PageMargin, PageNum, PageOrientationType, PageSize, Paragraph, Run, RunFonts, SectionProperty,
    SpecialIndentType, Style, StyleType, Tab, TabValueType, Table as DocxTable, TableAlignmentType,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

/// Twips per millimetre (1440 per inch).
const TWIPS_PER_MM: f32 = 1440.0 / 25.4;

/// Space between the cell border and its text, left and right, in twips:
/// the fitting routine's padding, so the widths it gives hold the text.
const CELL_PADDING_TWIPS: u32 = (crate::write::fit::CELL_PAD_X * 20.0) as u32;

/// Table border width in eighths of a point (0.5 pt, as printed tables).
const BORDER_EIGHTHS: usize = 4;

/// Space after the title paragraph, in twips (half a line of 12 pt).
const TITLE_SPACE_AFTER: u32 = 120;

/// Space after the meta line and after each note, in twips.
const LINE_SPACE_AFTER: u32 = 60;

/// The language of the documents' CJK text: budget disclosures are in
/// Simplified Chinese.
const EAST_ASIAN_LANGUAGE: &str = "zh-CN";

/// Header and footer distance from the page edge, in twips (8 mm).
pub(crate) const HEADER_FOOTER_TWIPS: i32 = 454;

/// The language tag of the documents' CJK text.
pub(crate) const LANGUAGE: &str = EAST_ASIAN_LANGUAGE;

/// A table as a piece of a larger Word body (the disclosure book's table
/// pages and chapter tables): the meta lines (kept with the table), the
/// table with its header rows marked `w:tblHeader`, the notes — what
/// [`write`] writes for the table, without the title, which the caller
/// sets as a heading of its own. Paragraph ids continue docx-rs's
/// per-thread counter: call [`reset_paragraph_ids`] before the first
/// fragment of a document and after the last.
pub(crate) fn table_fragment(
    profile: &Profile,
    fonts: &FontStore,
    table: &Table,
    table_no: usize,
    text_width: u32,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<u8>, WriteError> {
    let ctx = Ctx {
        profile,
        fonts,
        table_no,
    };
    let mut out = Vec::new();
    for p in meta_paragraphs(&ctx, table, text_width, warnings) {
        out.extend(p.keep_next(true).build());
    }
    let (t, rows, depth) = table_xml(&ctx, table, text_width, warnings)?;
    out.extend(full_table(&t.build(), &rows, depth)?);
    for p in note_paragraphs(&ctx, table, warnings) {
        out.extend(p.build());
    }
    Ok(out)
}

/// Space between a cell border and its text, left and right, in twips.
pub(crate) const CELL_PADDING: u32 = CELL_PADDING_TWIPS;

pub(crate) use widths::display;

pub(crate) use widths::{Fitted, TWIPS_PER_PT, fit_table, fit_table_with};

/// `spec` at another size.
fn sized(spec: &FontSpec, size_pt: f32) -> FontSpec {
    FontSpec {
        size_pt,
        ..spec.clone()
    }
}

/// Puts docx-rs's per-thread paragraph-id counter back where a finished
/// [`Docx::build`] leaves it, so paragraphs made outside a `Docx` (book
/// fragments) do not shift the ids of the next document on this thread.
pub(crate) fn reset_paragraph_ids() {
    // Building resets the counter first; an empty document makes no ids.
    let _ = Docx::new().build();
}

/// Renders the document as DOCX.
pub fn write(doc: &Document, options: &RenderOptions) -> Result<Rendered, WriteError> {
    let profile = &options.profile;
    let mut warnings = Vec::new();
    let page = Page::from(profile);
    // Paragraph ids come from a per-thread counter that Docx::new resets:
    // build every paragraph after it so the ids do not depend on history.
    let mut docx = Docx::new()
        .page_size(page.width, page.height)
        .page_orient(match profile.page.orientation {
            Orientation::Landscape => PageOrientationType::Landscape,
            Orientation::Portrait => PageOrientationType::Portrait,
        })
        .page_margin(page.margin())
        .default_fonts(fonts(&profile.fonts.body))
        .default_size(half_points(profile.fonts.body.size_pt));
    if let Some(footer) = footer(profile) {
        docx = docx.footer(footer);
    }
    if let Some(text) = &profile.header_text {
        let p = Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text_run(
                text,
                &profile.fonts.body,
                false,
                &mut warnings,
                "header",
            ));
        docx = docx.header(Header::new().add_paragraph(p));
    }
    // A table too wide for the page even at the smallest type goes on the
    // profile's larger paper, in a Word section of its own: a section's
    // paper is in the sectPr of its last paragraph, the last section's in
    // the body's own sectPr.
    let wide = match profile.page.wider_paper() {
        Some(size) => {
            let book = crate::write::fit::font_book(&options.fonts, &profile.fonts)
                .map_err(|message| WriteError::Fit { table: 0, message })?;
            let mut on = profile.page.clone();
            on.size = size;
            Some((book, Page::oriented(&on, on.orientation)))
        }
        None => None,
    };
    let refs = (
        docx.document.section_property.header_reference.clone(),
        docx.document.section_property.footer_reference.clone(),
    );
    let orient = match profile.page.orientation {
        Orientation::Landscape => PageOrientationType::Landscape,
        Orientation::Portrait => PageOrientationType::Portrait,
    };
    let section_end = |on: &Page| {
        Paragraph::new().section_property(SectionProperty {
            page_size: PageSize::new().size(on.width, on.height).orient(orient),
            page_margin: on.margin(),
            header_reference: refs.0.clone(),
            footer_reference: refs.1.clone(),
            ..SectionProperty::new()
        })
    };
    // The paper of the section being written.
    let mut section_page = page;
    let order = doc.reading_order();
    let mut sections = 0;
    if order.iter().any(|b| matches!(b, Block::Text(_))) {
        docx = docx.add_style(heading_style(profile));
    }
    // Each table's rows are made into XML row by row as they are built
    // (docx-rs holds several kilobytes of structures per cell, its XML a
    // few hundred bytes); the document gets the table without rows, and
    // the rows, with the header rows marked, go in after it is built.
    let mut tables = Vec::new();
    for (bi, block) in order.iter().enumerate() {
        let (ti, table) = match block {
            Block::Table { index } => match doc.tables.get(*index) {
                Some(t) => (*index, t),
                None => continue,
            },
            Block::Text(section) => {
                sections += 1;
                let mut new_page = bi > 0;
                if section_page != page {
                    // Back to the page's own paper after a wide table.
                    docx = docx.add_paragraph(section_end(&section_page));
                    section_page = page;
                    new_page = false;
                }
                for p in section_paragraphs(profile, section, sections, new_page, &mut warnings) {
                    docx = docx.add_paragraph(p);
                }
                continue;
            }
        };
        let ctx = Ctx {
            profile,
            fonts: &options.fonts,
            table_no: ti + 1,
        };
        let on = match &wide {
            Some((book, wide_page)) => {
                let avail = page.text_width as f32 / TWIPS_PER_PT;
                match crate::write::fit::wider_paper(table, book, profile, avail) {
                    Some(size) => {
                        let at = format!("table {}", ti + 1);
                        warnings.push(crate::write::fit::larger_paper_warning(at, profile, size));
                        *wide_page
                    }
                    None => page,
                }
            }
            None => page,
        };
        // A section break starts the table's page itself.
        let mut new_page = bi > 0;
        if on != section_page {
            if bi > 0 {
                docx = docx.add_paragraph(section_end(&section_page));
            }
            section_page = on;
            new_page = false;
        }
        let mut paras: Vec<Paragraph> = title_paragraph(&ctx, table, &mut warnings)
            .into_iter()
            .chain(meta_paragraphs(&ctx, table, on.text_width, &mut warnings))
            .collect();
        if new_page {
            // A new page for each table; the reader splits tables there.
            match paras.first_mut() {
                Some(first) => *first = first.clone().page_break_before(true),
                None => paras.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
            }
        }
        for p in paras {
            docx = docx.add_paragraph(p);
        }
        let (t, rows, depth) = table_xml(&ctx, table, on.text_width, &mut warnings)?;
        let shell = t.build();
        let full = full_table(&shell, &rows, depth)?;
        drop(rows);
        docx = docx.add_table(t);
        tables.push((shell, full));
        for p in note_paragraphs(&ctx, table, &mut warnings) {
            docx = docx.add_paragraph(p);
        }
    }
    if section_page != page {
        // The last section is a wide table's: the body's sectPr is its.
        docx = docx
            .page_size(section_page.width, section_page.height)
            .page_orient(orient)
            .page_margin(section_page.margin());
    }
    let mut xml = docx.build();
    let shells = std::mem::take(&mut xml.document);
    let document = put_tables(&shells, tables)?;
    drop(shells);
    let when = crate::time::civil_from_unix(options.created);
    let core = package::core_properties(doc.title(), doc.department(), when);
    let families = package::FontEntry::of_profile(&profile.fonts);
    let finished = package::Finished {
        document,
        core,
        styles: package::add_language(&xml.styles, EAST_ASIAN_LANGUAGE),
        font_table: package::add_fonts(&xml.font_table, &families),
    };
    let bytes = package::pack(xml, finished, when)?;
    Ok(Rendered { bytes, warnings })
}

/// The paragraph style of a text section's heading: Word's built-in
/// "heading 1" (outline level 1, so it shows in the navigation pane and a
/// table of contents), in the title's face.
const HEADING_STYLE: &str = "Heading1";

/// Space after a section heading and after each paragraph, in twips.
const HEADING_SPACE_AFTER: u32 = 240;

/// First-line indent of a paragraph, in characters of the body size.
const PARAGRAPH_INDENT_CHARS: f32 = 2.0;

fn heading_style(profile: &Profile) -> Style {
    let font = &profile.fonts.title;
    Style::new(HEADING_STYLE, StyleType::Paragraph)
        .name("heading 1")
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .outline_lvl(0)
        .fonts(fonts(font))
        .size(half_points(font.size_pt))
        .bold()
        .align(AlignmentType::Center)
}

/// A text section: its heading in the heading style, then each paragraph
/// (first line indented two characters; list items keep their own number,
/// which is part of their text). `new_page` starts it on a new page.
fn section_paragraphs(
    profile: &Profile,
    section: &Section,
    number: usize,
    new_page: bool,
    warnings: &mut Vec<Warning>,
) -> Vec<Paragraph> {
    let at = format!("text section {number}");
    let mut out = Vec::new();
    if let Some(heading) = &section.heading {
        out.push(
            Paragraph::new()
                .style(HEADING_STYLE)
                .line_spacing(LineSpacing::new().before(0).after(HEADING_SPACE_AFTER))
                .add_run(text_run(
                    heading,
                    &profile.fonts.title,
                    true,
                    warnings,
                    &format!("{at}, heading"),
                )),
        );
    }
    let body = &profile.fonts.body;
    let indent = (PARAGRAPH_INDENT_CHARS * body.size_pt * 20.0).round() as i32;
    for (k, p) in section.paragraphs.iter().enumerate() {
        out.push(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(0).after(LINE_SPACE_AFTER))
                .indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None)
                .add_run(text_run(
                    &p.text,
                    body,
                    false,
                    warnings,
                    &format!("{at}, paragraph {}", k + 1),
                )),
        );
    }
    if new_page {
        match out.first_mut() {
            Some(first) => *first = first.clone().page_break_before(true),
            None => out.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page))),
        }
    }
    out
}

/// A table's XML from its XML without rows (`shell`, ending in
/// `</w:tbl>`) and its rows' XML, with the first `header_rows` rows
/// marked `w:tblHeader`.
fn full_table(shell: &[u8], rows: &[u8], header_rows: usize) -> Result<Vec<u8>, WriteError> {
    const END: &[u8] = b"</w:tbl>";
    let head = shell.strip_suffix(END).ok_or_else(|| WriteError::DocxXml {
        source: "a Word table's XML does not end in </w:tbl>".into(),
    })?;
    let mut xml = Vec::with_capacity(shell.len() + rows.len());
    xml.extend_from_slice(head);
    xml.extend_from_slice(rows);
    xml.extend_from_slice(END);
    package::mark_header_rows(&xml, &[header_rows])
}

/// `document` with each table's XML without rows replaced by the full
/// table, in order; each is dropped once copied.
fn put_tables(document: &[u8], tables: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<u8>, WriteError> {
    let size: usize = tables
        .iter()
        .map(|(s, f)| f.len().saturating_sub(s.len()))
        .sum();
    let mut out = Vec::with_capacity(document.len() + size);
    let mut rest = document;
    for (i, (shell, full)) in tables.into_iter().enumerate() {
        let at = rest
            .windows(shell.len().max(1))
            .position(|w| w == shell.as_slice())
            .ok_or_else(|| WriteError::DocxXml {
                source: format!("table {}: not found in document.xml", i + 1).into(),
            })?;
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(&full);
        rest = &rest[at + shell.len()..];
    }
    out.extend_from_slice(rest);
    Ok(out)
}

/// Page geometry in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Page {
    /// Paper width.
    pub(crate) width: u32,
    /// Paper height.
    pub(crate) height: u32,
    /// Top margin.
    pub(crate) top: i32,
    /// Bottom margin.
    pub(crate) bottom: i32,
    /// Left margin.
    pub(crate) left: i32,
    /// Right margin.
    pub(crate) right: i32,
    /// Width between the margins.
    pub(crate) text_width: u32,
}

/// Millimetres to twips.
pub(crate) fn mm(v: f32) -> i32 {
    (v.max(0.0) * TWIPS_PER_MM).round() as i32
}

impl Page {
    fn from(profile: &Profile) -> Page {
        Page::oriented(&profile.page, profile.page.orientation)
    }

    /// The profile's paper and margins in `orientation`.
    pub(crate) fn oriented(page: &crate::profile::Page, orientation: Orientation) -> Page {
        let mut p = page.clone();
        p.orientation = orientation;
        let (w, h) = p.size_mm();
        let (left, right) = (mm(p.margin_left_mm), mm(p.margin_right_mm));
        let width = mm(w) as u32;
        Page {
            width,
            height: mm(h) as u32,
            top: mm(p.margin_top_mm),
            bottom: mm(p.margin_bottom_mm),
            left,
            right,
            text_width: width.saturating_sub((left + right) as u32).max(1),
        }
    }

    fn margin(&self) -> PageMargin {
        PageMargin::new()
            .top(self.top)
            .bottom(self.bottom)
            .left(self.left)
            .right(self.right)
            .header(HEADER_FOOTER_TWIPS)
            .footer(HEADER_FOOTER_TWIPS)
            .gutter(0)
    }
}

struct Ctx<'a> {
    profile: &'a Profile,
    fonts: &'a FontStore,
    table_no: usize,
}

/// Font sizes in docx are half-points.
pub(crate) fn half_points(pt: f32) -> usize {
    (pt.clamp(1.0, 800.0) * 2.0).round() as usize
}

/// The same family for Latin, CJK and complex scripts, so Word and WPS
/// show the profile's 宋体/黑体 for every character.
fn fonts(spec: &FontSpec) -> RunFonts {
    let f = spec.family.as_str();
    RunFonts::new()
        .ascii(f)
        .hi_ansi(f)
        .east_asia(f)
        .cs(f)
        .hint("eastAsia")
}

/// Characters XML 1.0 cannot carry.
pub(crate) fn xml_safe(text: &str, warnings: &mut Vec<Warning>, at: &str) -> String {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if !text.chars().any(bad) {
        return text.to_string();
    }
    warnings.push(Warning::new(
        "control-character",
        Some(at.to_string()),
        "a control character Word cannot store was replaced by U+FFFD",
    ));
    text.chars()
        .map(|c| if bad(c) { '\u{FFFD}' } else { c })
        .collect()
}

/// One run holding `text`, with line breaks and tabs as Word elements.
fn text_run(text: &str, font: &FontSpec, bold: bool, warnings: &mut Vec<Warning>, at: &str) -> Run {
    let text = xml_safe(text, warnings, at).replace("\r\n", "\n");
    let mut run = Run::new()
        .fonts(fonts(font))
        .size(half_points(font.size_pt));
    if bold {
        run = run.bold();
    }
    for (li, line) in text.split(['\n', '\r']).enumerate() {
        if li > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (pi, piece) in line.split('\t').enumerate() {
            if pi > 0 {
                run = run.add_tab();
            }
            if !piece.is_empty() {
                run = run.add_text(piece);
            }
        }
    }
    run
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// Whether a meta line can share a paragraph with another through a tab:
/// our reader splits such a line at the tab only when neither part holds a
/// gap of its own.
fn tab_safe(m: &Meta) -> bool {
    m.key.is_some() && !m.text.contains(['\t', '\u{3000}', '\n']) && !m.text.contains("  ")
}

/// Whether a meta line names the money unit (单位：万元), which stands at
/// the right margin of the meta line.
fn is_unit_key(m: &Meta) -> bool {
    matches!(m.key.as_deref(), Some("单位" | "金额单位" | "计量单位"))
}

/// The centred title paragraph above a table, in the title font.
fn title_paragraph(ctx: &Ctx, table: &Table, warnings: &mut Vec<Warning>) -> Option<Paragraph> {
    let at = format!("table {}, title", ctx.table_no);
    table.title.as_ref().map(|title| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().before(0).after(TITLE_SPACE_AFTER))
            .add_run(text_run(
                title,
                &ctx.profile.fonts.title,
                true,
                warnings,
                &at,
            ))
    })
}

/// The meta paragraphs above a table: 部门名称 on the left and 单位 at
/// the right margin share a line.
fn meta_paragraphs(
    ctx: &Ctx,
    table: &Table,
    text_width: u32,
    warnings: &mut Vec<Warning>,
) -> Vec<Paragraph> {
    let fonts_ = &ctx.profile.fonts;
    let mut out = Vec::new();
    let at = format!("table {}, meta", ctx.table_no);
    let mut i = 0;
    while i < table.meta.len() {
        let m = &table.meta[i];
        let next = table.meta.get(i + 1);
        let spacing = LineSpacing::new().before(0).after(LINE_SPACE_AFTER);
        if let Some(n) = next
            && m.align != Align::Right
            && (n.align == Align::Right || is_unit_key(n))
            && tab_safe(m)
            && tab_safe(n)
        {
            // 部门名称 on the left, 单位 at the right margin.
            let p = Paragraph::new()
                .line_spacing(spacing)
                .add_tab(Tab::new().val(TabValueType::Right).pos(text_width as usize))
                .add_run(text_run(
                    &format!("{}\t{}", m.text, n.text),
                    &fonts_.body,
                    false,
                    warnings,
                    &at,
                ));
            out.push(p);
            i += 2;
            continue;
        }
        out.push(
            Paragraph::new()
                .align(alignment(m.align))
                .line_spacing(spacing)
                .add_run(text_run(&m.text, &fonts_.body, false, warnings, &at)),
        );
        i += 1;
    }
    out
}

/// The notes below a table, one paragraph each.
fn note_paragraphs(ctx: &Ctx, table: &Table, warnings: &mut Vec<Warning>) -> Vec<Paragraph> {
    let at = format!("table {}, notes", ctx.table_no);
    table
        .notes
        .iter()
        .map(|note| {
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(LINE_SPACE_AFTER).after(0))
                .add_run(text_run(
                    note,
                    &ctx.profile.fonts.body,
                    false,
                    warnings,
                    &at,
                ))
        })
        .collect()
}

fn borders() -> TableBorders {
    let b = |p: TableBorderPosition| {
        TableBorder::new(p)
            .border_type(BorderType::Single)
            .size(BORDER_EIGHTHS)
            .color("000000")
    };
    TableBorders::new()
        .set(b(TableBorderPosition::Top))
        .set(b(TableBorderPosition::Left))
        .set(b(TableBorderPosition::Bottom))
        .set(b(TableBorderPosition::Right))
        .set(b(TableBorderPosition::InsideH))
        .set(b(TableBorderPosition::InsideV))
}

/// A cell paragraph with no space around it.
fn cell_paragraph(align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .align(align)
        .line_spacing(LineSpacing::new().before(0).after(0))
}

fn span_width(widths: &[u32], col: usize, cols: usize) -> usize {
    widths
        .iter()
        .skip(col)
        .take(cols)
        .map(|w| *w as usize)
        .sum()
}

/// The Word table without rows, the XML of its rows (each row's
/// structures dropped once written) and its number of header rows.
fn table_xml(
    ctx: &Ctx,
    table: &Table,
    text_width: u32,
    warnings: &mut Vec<Warning>,
) -> Result<(DocxTable, Vec<u8>, usize), WriteError> {
    let fonts_ = &ctx.profile.fonts;
    let style = &ctx.profile.table_style;
    let Fitted {
        twips: widths,
        sizes,
    } = fit_table(table, ctx.profile, ctx.fonts, text_width).map_err(|message| {
        WriteError::Fit {
            table: ctx.table_no,
            message,
        }
    })?;
    // The fitted sizes: the same as the PDF's for this table and width.
    let header_base = match style.header_font {
        crate::profile::FontRole::Header => &fonts_.header,
        crate::profile::FontRole::Body => &fonts_.body,
    };
    let header_font = sized(header_base, sizes.header);
    let header_bold = style.header_font == crate::profile::FontRole::Header;
    let body_font = sized(&fonts_.body, sizes.body);
    let numbers_font = sized(&fonts_.numbers, sizes.numbers);
    let resolved = grid::resolve(table);
    let layout = &resolved.header;
    let mut rows = Vec::new();

    // Header rows: group labels span their columns, leaves span down.
    for r in 0..layout.depth {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < widths.len() {
            let here = layout
                .cells
                .iter()
                .find(|h| h.col == c && h.row <= r && r < h.row + h.rows);
            let Some(h) = here else {
                cells.push(
                    TableCell::new()
                        .width(span_width(&widths, c, 1), WidthType::Dxa)
                        .add_paragraph(cell_paragraph(AlignmentType::Center)),
                );
                c += 1;
                continue;
            };
            let cols = h.cols.max(1);
            let mut cell = TableCell::new()
                .width(span_width(&widths, c, cols), WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if cols > 1 {
                cell = cell.grid_span(cols);
            }
            if h.row == r {
                if h.rows > 1 {
                    cell = cell.vertical_merge(VMergeType::Restart);
                }
                let at = format!("table {}, header", ctx.table_no);
                cell = cell.add_paragraph(cell_paragraph(AlignmentType::Center).add_run(text_run(
                    &h.text,
                    &header_font,
                    header_bold,
                    warnings,
                    &at,
                )));
            } else {
                cell = cell
                    .vertical_merge(VMergeType::Continue)
                    .add_paragraph(cell_paragraph(AlignmentType::Center));
            }
            cells.push(cell);
            c += cols;
        }
        rows.extend(TableRow::new(cells).cant_split().build());
    }

    // Body rows from the resolved grid: a span's origin carries gridSpan
    // and vMerge restart, the positions below it vMerge continue.
    let mut origin: Vec<Vec<Option<(usize, usize, usize)>>> =
        vec![vec![None; widths.len()]; table.rows.len()];
    for (r, slots) in resolved.body.iter().enumerate() {
        for (c, slot) in slots.iter().enumerate() {
            if let Slot::Cell { rows: rs, cols, .. } = slot {
                for row in origin.iter_mut().skip(r).take(*rs) {
                    for o in row.iter_mut().skip(c).take(*cols) {
                        *o = Some((r, c, *cols));
                    }
                }
            }
        }
    }
    let label_col = table.label_column();
    for (r, row) in table.rows.iter().enumerate() {
        let total = row.kind == RowKind::Total;
        let bold = total && style.total_bold;
        let mut cells = Vec::new();
        let slots = resolved.body.get(r).map(Vec::as_slice).unwrap_or(&[]);
        let mut c = 0;
        while c < widths.len() {
            match slots.get(c) {
                Some(Slot::Cell {
                    cell,
                    cols,
                    rows: rs,
                }) => {
                    let cols = (*cols).max(1);
                    let kind = table.columns.get(c).map_or(ColumnKind::Text, |k| k.kind);
                    let (align, font) = match (&cell.value, kind) {
                        (Value::Amount(_) | Value::Percent(_), _) => {
                            (AlignmentType::Right, &numbers_font)
                        }
                        (_, ColumnKind::Amount | ColumnKind::Percent) => {
                            (AlignmentType::Right, &body_font)
                        }
                        _ if total
                            && style.total_label_align == crate::profile::CellAlign::Center =>
                        {
                            (AlignmentType::Center, &body_font)
                        }
                        // Codes are centred in Word tables whatever
                        // `code_align` says: that is how the DOCX writer
                        // has always set them.
                        (_, ColumnKind::Code) => (AlignmentType::Center, &body_font),
                        _ => (AlignmentType::Left, &body_font),
                    };
                    let mut p = cell_paragraph(align);
                    if style.indent_levels && Some(c) == label_col && row.level > 1 {
                        // The hierarchy as indentation, one character a level.
                        // leftChars for Word and WPS, twips for LibreOffice.
                        let steps = i32::from(row.level - 1);
                        let char_twips = (font.size_pt.max(1.0) * 20.0).round() as i32;
                        p = p.indent(Some(steps * char_twips), None, None, Some(steps * 100));
                    }
                    let text = widths::display(&cell.value);
                    if !text.is_empty() {
                        let at = format!("table {}, row {}, column {}", ctx.table_no, r + 1, c + 1);
                        p = p.add_run(text_run(&text, font, bold, warnings, &at));
                    }
                    let mut tc = TableCell::new()
                        .width(span_width(&widths, c, cols), WidthType::Dxa)
                        .vertical_align(VAlignType::Center)
                        .add_paragraph(p);
                    if cols > 1 {
                        tc = tc.grid_span(cols);
                    }
                    if *rs > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                    cells.push(tc);
                    c += cols;
                }
                Some(Slot::Covered) => {
                    match origin.get(r).and_then(|o| o.get(c)).copied().flatten() {
                        Some((or, oc, cols)) if or < r && oc == c => {
                            let mut tc = TableCell::new()
                                .width(span_width(&widths, c, cols), WidthType::Dxa)
                                .vertical_merge(VMergeType::Continue)
                                .add_paragraph(cell_paragraph(AlignmentType::Left));
                            if cols > 1 {
                                tc = tc.grid_span(cols);
                            }
                            cells.push(tc);
                            c += cols.max(1);
                        }
                        // Covered from the left: the gridSpan on its left
                        // already takes the place.
                        _ => c += 1,
                    }
                }
                None => {
                    cells.push(
                        TableCell::new()
                            .width(span_width(&widths, c, 1), WidthType::Dxa)
                            .add_paragraph(cell_paragraph(AlignmentType::Left)),
                    );
                    c += 1;
                }
            }
        }
        rows.extend(TableRow::new(cells).build());
    }

    let t = DocxTable::new(Vec::new())
        .set_grid(widths.iter().map(|w| *w as usize).collect())
        .layout(TableLayoutType::Fixed)
        .width(text_width as usize, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .set_borders(borders())
        .margins(
            docx_rs::TableCellMargins::new()
                .margin_left(CELL_PADDING_TWIPS as usize, WidthType::Dxa)
                .margin_right(CELL_PADDING_TWIPS as usize, WidthType::Dxa)
                .margin_top(0, WidthType::Dxa)
                .margin_bottom(0, WidthType::Dxa),
        );
    Ok((t, rows, layout.depth))
}

/// Page numbers (and the profile's footer text) centred at the bottom.
fn footer(profile: &Profile) -> Option<Footer> {
    let font = &profile.fonts.body;
    let run = |s: &str| {
        Run::new()
            .fonts(fonts(font))
            .size(half_points(font.size_pt))
            .add_text(s)
    };
    let mut p = Paragraph::new().align(AlignmentType::Center);
    if let Some(text) = &profile.footer_text {
        p = p.add_run(run(&format!("{text}    ")));
    }
    match profile.page_number {
        PageNumberStyle::Chinese => {
            p = p
                .add_run(run("第 "))
                .add_page_num(PageNum::new())
                .add_run(run(" 页 共 "))
                .add_num_pages(NumPages::new())
                .add_run(run(" 页"));
        }
        PageNumberStyle::Dash => {
            p = p
                .add_run(run("— "))
                .add_page_num(PageNum::new())
                .add_run(run(" —"));
        }
        PageNumberStyle::None if profile.footer_text.is_none() => return None,
        PageNumberStyle::None => {}
    }
    Some(Footer::new().add_paragraph(p))
}
