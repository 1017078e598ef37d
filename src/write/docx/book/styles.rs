//! The book's paragraph styles, with Word's built-in names (heading 1–4,
//! toc 1–2, TOC Heading, Body Text, caption) so Word's navigation pane
//! and TOC field know them; their sizes, spaces and indents from the
//! profile's book type, as the PDF book sets the same text.

use super::{Look, bold_face, first_line, rpr};
use crate::profile::FontSpec;
use crate::write::docx::package::Style;
use crate::write::docx::props::{Ind, Jc, PPr, RPr, RightTab, Spacing, pt_twips};
use crate::write::docx::table::TITLE_SPACE_AFTER;

/// Running text.
pub(super) const BODY_TEXT: &str = "BodyText";
/// Chapter headings and the table group's heading.
pub(super) const HEADING1: &str = "Heading1";
/// Table titles.
pub(super) const HEADING2: &str = "Heading2";
/// Headings of levels 1 and 2 inside a chapter.
pub(super) const HEADING3: &str = "Heading3";
/// Deeper headings inside a chapter.
pub(super) const HEADING4: &str = "Heading4";
/// 目录 lines of chapters and the table group.
pub(super) const TOC1: &str = "TOC1";
/// 目录 lines of tables.
pub(super) const TOC2: &str = "TOC2";
/// The 目录's title.
pub(super) const TOC_HEADING: &str = "TOCHeading";
/// A table's title inside a chapter.
pub(super) const CAPTION: &str = "Caption";

/// A heading style: kept with what follows, on one page, at `level`.
fn heading<'a>(
    id: &'static str,
    name: &'static str,
    level: u8,
    ppr: PPr<'a>,
    rpr: RPr<'a>,
) -> Style<'a> {
    Style {
        id,
        name,
        based_on: Some("Normal"),
        next: Some(BODY_TEXT),
        ui_priority: Some(9),
        q_format: true,
        ppr: PPr {
            keep_next: true,
            keep_lines: true,
            outline: Some(level),
            ..ppr
        },
        rpr,
    }
}

/// A heading inside a chapter, in `spec`: indented as a paragraph, half
/// the book type's space under it.
fn subheading<'a>(look: &Look, spec: &'a FontSpec) -> (PPr<'a>, RPr<'a>) {
    let gap = look.ty.subheading_gap_lines;
    (
        PPr {
            spacing: Some(
                Spacing::around(look.lines(gap), look.lines(gap / 2.0))
                    .exact(look.text_line_of(spec)),
            ),
            ind: Some(first_line(look, spec)),
            ..PPr::default()
        },
        rpr(spec),
    )
}

/// A 目录 line's properties: dot leaders to the page number at the right
/// margin, `line` twips apart.
fn toc_line(text_width: u32, line: u32) -> PPr<'static> {
    PPr {
        tab: Some(RightTab {
            pos: text_width,
            dots: true,
        }),
        spacing: Some(Spacing::around(0, 0).exact(line)),
        ..PPr::default()
    }
}

/// The styles of a book set in `look`, its text pages `text_width` twips
/// wide, its 目录's lines `toc_line` twips apart.
pub(super) fn of(look: &Look, text_width: u32, toc_line_twips: u32) -> Vec<Style<'_>> {
    let ty = look.ty;
    let text = &look.text;
    let title_rpr = RPr::font(&look.h2.family, look.h2.size_pt).bold(true);
    let mut out = vec![Style {
        id: BODY_TEXT,
        name: "Body Text",
        based_on: Some("Normal"),
        q_format: true,
        ppr: PPr {
            spacing: Some(
                Spacing::around(0, look.lines(ty.paragraph_gap_lines)).exact(look.lines(1.0)),
            ),
            ind: Some(first_line(look, text)),
            jc: Some(Jc::Both),
            ..PPr::default()
        },
        rpr: rpr(text),
        ..Style::default()
    }];
    out.push(heading(
        HEADING1,
        "heading 1",
        0,
        PPr {
            spacing: Some(
                Spacing::around(0, look.lines(ty.chapter_heading_gap_lines)).exact(look.h1_line()),
            ),
            // Chapter headings are centred in their paragraphs; the table
            // group's heading stands at the left (a paragraph's jc=left
            // does not undo a style's centre for every reader).
            ..PPr::default()
        },
        rpr(&look.h1),
    ));
    out.push(heading(
        HEADING2,
        "heading 2",
        1,
        PPr {
            spacing: Some(Spacing::around(0, TITLE_SPACE_AFTER)),
            jc: Some(Jc::Center),
            ..PPr::default()
        },
        // Bold, as the single-document writer sets table titles.
        title_rpr,
    ));
    let (ppr, r) = subheading(look, &look.h3);
    out.push(heading(HEADING3, "heading 3", 2, ppr, r));
    let (ppr, r) = subheading(look, &look.h4);
    out.push(heading(HEADING4, "heading 4", 3, ppr, r));
    // 目录 lines of chapters in the header face, of tables in the body
    // face and indented, as in the PDF.
    let header = look.h4.clone();
    let toc_entry = |id, name, ppr, rpr| Style {
        id,
        name,
        based_on: Some("Normal"),
        next: Some("Normal"),
        ui_priority: Some(39),
        ppr,
        rpr,
        ..Style::default()
    };
    out.push(toc_entry(
        TOC1,
        "toc 1",
        toc_line(text_width, toc_line_twips),
        RPr::font(&look.h4.family, text.size_pt).bold(bold_face(&header)),
    ));
    let indent = ty.contents_indent_em;
    out.push(toc_entry(
        TOC2,
        "toc 2",
        PPr {
            ind: Some(Ind {
                left: Some(pt_twips(indent * text.size_pt) as i32),
                left_chars: Some((indent * 100.0).round() as i32),
                ..Ind::default()
            }),
            ..toc_line(text_width, toc_line_twips)
        },
        RPr::font(&text.family, text.size_pt),
    ));
    let title = look.contents_title();
    let toc_pitch = text.size_pt * ty.contents_line_height;
    out.push(Style {
        id: TOC_HEADING,
        name: "TOC Heading",
        based_on: Some("Normal"),
        next: Some(TOC1),
        ui_priority: Some(39),
        q_format: true,
        ppr: PPr {
            spacing: Some(
                Spacing::around(0, pt_twips(ty.contents_title_gap_lines * toc_pitch))
                    .exact(look.contents_title_line()),
            ),
            jc: Some(Jc::Center),
            ..PPr::default()
        },
        rpr: rpr(title),
    });
    out.push(Style {
        id: CAPTION,
        name: "caption",
        based_on: Some("Normal"),
        next: Some("Normal"),
        q_format: true,
        ppr: PPr {
            keep_next: true,
            spacing: Some(Spacing::around(
                look.lines(ty.table_gap_lines),
                TITLE_SPACE_AFTER,
            )),
            jc: Some(Jc::Center),
            ..PPr::default()
        },
        rpr: title_rpr,
        ..Style::default()
    });
    out
}
