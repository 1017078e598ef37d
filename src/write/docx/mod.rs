//! The DOCX public version: an A4 landscape section (from the profile),
//! per table a centred title in the title font, the meta line with 部门名称
//! on the left and 单位 on the right (a right tab stop at the text width),
//! the table with repeating header rows, column widths from content,
//! amounts right-aligned with thousands separators and bold totals, then
//! the notes. Text sections between tables (the model's blocks) are a
//! "heading 1" heading and indented paragraphs. Every block after the
//! first starts on a new page; a table too wide for the page even at the
//! smallest type goes on the profile's larger paper, in a section of its
//! own.
//!
//! Single documents and the book ([`book`]) are written the same way:
//! through one XML writer ([`xml`]), with the same run, paragraph and
//! section properties ([`props`]), the same table writer ([`table`]) and
//! the same package ([`package`]: styles, settings, fonts, footer, core
//! properties with the title, the department as author and the fixed time
//! of [`RenderOptions::created`], a zip with fixed entry times), so the
//! same document gives the same bytes. document.xml goes into its zip
//! entry as it is written: a table of 20,000 rows is never held whole.

pub(crate) mod book;
mod package;
mod props;
mod table;
mod widths;
mod xml;

use super::{RenderOptions, Rendered, WriteError};
use crate::model::{Block, Document, Section, Warning};
use crate::profile::{Orientation, Profile};
use package::{Footer, Package, Style};
use props::{Ind, Jc, PPr, RPr, SectPr, Spacing, paragraph, run};
use table::TableCtx;
use xml::Xml;

pub(crate) use widths::{TWIPS_PER_PT, display, fit_table_with};

/// Twips per millimetre (1440 per inch).
const TWIPS_PER_MM: f32 = 1440.0 / 25.4;

/// Header and footer distance from the page edge, in twips (8 mm).
pub(crate) const HEADER_FOOTER_TWIPS: i32 = 454;

/// Renders the document as DOCX.
pub fn write(doc: &Document, options: &RenderOptions) -> Result<Rendered, WriteError> {
    let profile = &options.profile;
    let mut warnings = Vec::new();
    let page = Page::from(profile);
    // The faces the tables are fitted with.
    let fonts = match doc.tables.is_empty() {
        true => None,
        false => Some(
            crate::write::fit::font_book(&options.fonts, &profile.fonts)
                .map_err(|message| WriteError::Fit { table: 1, message })?,
        ),
    };
    // A table too wide for the page even at the smallest type goes on the
    // profile's larger paper, in a Word section of its own: a section's
    // paper is in the sectPr of its last paragraph, the last section's in
    // the body's own sectPr.
    let wide = profile.page.wider_paper().map(|size| {
        let mut on = profile.page.clone();
        on.size = size;
        Page::oriented(&on, on.orientation)
    });
    let section = |on: Page| SectPr {
        header: package::has_header(profile),
        footer: package::has_footer(profile),
        ..SectPr::new(on)
    };
    let order = doc.reading_order();
    let has_text = order.iter().any(|b| matches!(b, Block::Text(_)));
    let when = crate::time::civil_from_unix(options.created);
    let package = Package {
        profile,
        title: doc.title(),
        author: doc.department(),
        when,
        styles: if has_text {
            vec![heading_style(profile)]
        } else {
            Vec::new()
        },
        update_fields: false,
        footer: package::has_footer(profile).then_some(Footer {
            font: &profile.fonts.body,
            total: true,
        }),
    };
    let mut body_warnings = Vec::new();
    let bytes = package.pack(&mut warnings, |x| {
        let warnings = &mut body_warnings;
        // The paper of the section being written.
        let mut section_page = page;
        let mut sections = 0;
        for (bi, block) in order.iter().enumerate() {
            let (ti, table) = match block {
                Block::Table { index } => match doc.tables.get(*index) {
                    Some(t) => (*index, t),
                    None => continue,
                },
                Block::Text(text) => {
                    sections += 1;
                    let mut new_page = bi > 0;
                    if section_page != page {
                        // Back to the page's own paper after a wide table.
                        section_break(x, section(section_page));
                        section_page = page;
                        new_page = false;
                    }
                    section_paragraphs(x, profile, text, sections, new_page, warnings);
                    continue;
                }
            };
            let Some(fonts) = fonts.as_ref() else {
                continue;
            };
            let ctx = TableCtx {
                profile,
                fonts,
                table_no: ti + 1,
            };
            let on = match wide {
                Some(wide_page) => {
                    let avail = page.text_width as f32 / TWIPS_PER_PT;
                    match crate::write::fit::wider_paper(table, fonts, profile, avail) {
                        Some(size) => {
                            let at = format!("table {}", ti + 1);
                            warnings
                                .push(crate::write::fit::larger_paper_warning(at, profile, size));
                            wide_page
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
                    section_break(x, section(section_page));
                }
                section_page = on;
                new_page = false;
            }
            // A new page for each table; the reader splits tables there.
            table::title(x, &ctx, table, &mut new_page, warnings);
            table::meta(
                x,
                &ctx,
                table,
                on.text_width,
                false,
                &mut new_page,
                warnings,
            );
            if new_page {
                paragraph(x, &PPr::default(), |x| {
                    x.open("w:r");
                    x.elem("w:br").attr("w:type", "page").empty();
                    x.close();
                });
            }
            table::write(x, &ctx, table, on.text_width, warnings);
            table::notes(x, &ctx, table, warnings);
        }
        // The last section: the body's own sectPr.
        section(section_page).write(x);
        Ok(())
    })?;
    // A big bundled face the tables needed but could not unpack is an
    // error naming it, as in the PDF writer.
    if let Some(e) = fonts.as_ref().and_then(|f| f.error()) {
        return Err(e.into());
    }
    // The header and footer's warnings after the body's.
    body_warnings.append(&mut warnings);
    Ok(Rendered {
        bytes,
        warnings: body_warnings,
    })
}

/// An empty paragraph ending the section `sect`.
fn section_break(x: &mut Xml, sect: SectPr) {
    let ppr = PPr {
        sect: Some(sect),
        ..PPr::default()
    };
    paragraph(x, &ppr, |_| {});
}

/// The paragraph style of a text section's heading: Word's built-in
/// "heading 1" (outline level 1, so it shows in the navigation pane and a
/// table of contents), in the title's face.
const HEADING_STYLE: &str = "Heading1";

/// Space after a section heading, in twips.
const HEADING_SPACE_AFTER: u32 = 240;

fn heading_style(profile: &Profile) -> Style<'_> {
    let font = &profile.fonts.title;
    Style {
        id: HEADING_STYLE,
        name: "heading 1",
        based_on: Some("Normal"),
        next: Some("Normal"),
        q_format: true,
        ppr: PPr {
            jc: Some(Jc::Center),
            outline: Some(0),
            ..PPr::default()
        },
        rpr: RPr::font(&font.family, font.size_pt).bold(true),
        ..Style::default()
    }
}

/// A text section: its heading in the heading style, then each paragraph
/// (first line indented as the book indents it; list items keep their own
/// number, which is part of their text). `new_page` starts it on a new
/// page.
fn section_paragraphs(
    x: &mut Xml,
    profile: &Profile,
    section: &Section,
    number: usize,
    new_page: bool,
    warnings: &mut Vec<Warning>,
) {
    let at = format!("text section {number}");
    let mut page_break = new_page;
    if let Some(heading) = &section.heading {
        let title = &profile.fonts.title;
        let ppr = PPr {
            style: Some(HEADING_STYLE),
            page_break_before: std::mem::take(&mut page_break),
            spacing: Some(Spacing::around(0, HEADING_SPACE_AFTER)),
            ..PPr::default()
        };
        let rpr = RPr::font(&title.family, title.size_pt).bold(true);
        paragraph(x, &ppr, |x| {
            run(x, heading, &rpr, warnings, &format!("{at}, heading"));
        });
    }
    let body = &profile.fonts.body;
    let indent = (profile.book_type.paragraph_indent_em * body.size_pt * 20.0).round() as i32;
    let rpr = RPr::font(&body.family, body.size_pt);
    for (k, p) in section.paragraphs.iter().enumerate() {
        let ppr = PPr {
            page_break_before: std::mem::take(&mut page_break),
            spacing: Some(Spacing::around(0, table::LINE_SPACE_AFTER)),
            ind: Some(Ind {
                first_line: Some(indent),
                ..Ind::default()
            }),
            ..PPr::default()
        };
        paragraph(x, &ppr, |x| {
            run(
                x,
                &p.text,
                &rpr,
                warnings,
                &format!("{at}, paragraph {}", k + 1),
            );
        });
    }
    if page_break {
        paragraph(x, &PPr::default(), |x| {
            x.open("w:r");
            x.elem("w:br").attr("w:type", "page").empty();
            x.close();
        });
    }
}

/// Page geometry in twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Page {
    /// Paper width.
    pub(crate) width: u32,
    /// Paper height.
    pub(crate) height: u32,
    /// Wider than tall.
    pub(crate) landscape: bool,
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
            landscape: orientation == Orientation::Landscape,
            top: mm(p.margin_top_mm),
            bottom: mm(p.margin_bottom_mm),
            left,
            right,
            text_width: width.saturating_sub((left + right) as u32).max(1),
        }
    }

    /// The height between the margins.
    pub(crate) fn text_height(&self) -> u32 {
        (self.height as i32 - self.top - self.bottom).max(1) as u32
    }
}
