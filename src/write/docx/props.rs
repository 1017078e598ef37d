//! Typed run, paragraph and section properties, written in the order the
//! WordprocessingML schema gives their elements, and the runs of a text.
//! The single document, the book and the styles all write through these.

use super::xml::Xml;
use super::{HEADER_FOOTER_TWIPS, Page};
use crate::model::Warning;

/// Relationship id of the footer in document.xml.rels.
pub(crate) const FOOTER_RID: &str = "rIdFooter1";

/// Relationship id of the header in document.xml.rels.
pub(crate) const HEADER_RID: &str = "rIdHeader1";

/// Font sizes in DOCX are half-points.
pub(crate) fn half_points(pt: f32) -> i64 {
    (pt.clamp(1.0, 800.0) * 2.0).round() as i64
}

/// Twips of a length in points.
pub(crate) fn pt_twips(pt: f32) -> u32 {
    (pt.max(0.0) * 20.0).round() as u32
}

/// Run properties.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RPr<'a> {
    /// One family for Latin, CJK and complex scripts, so Word and WPS show
    /// the profile's 宋体/黑体 for every character.
    pub(crate) font: Option<&'a str>,
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    /// Space added after each character, in twips.
    pub(crate) tracking: Option<u32>,
    /// Size in points.
    pub(crate) size: Option<f32>,
    /// The language of East Asian text (the document defaults declare it,
    /// so LibreOffice picks the Simplified Chinese forms of a CJK font).
    pub(crate) east_asia_lang: Option<&'a str>,
}

impl<'a> RPr<'a> {
    /// A family at a size.
    pub(crate) fn font(family: &'a str, size: f32) -> RPr<'a> {
        RPr {
            font: Some(family),
            size: Some(size),
            ..RPr::default()
        }
    }

    /// The same, bold when `bold`.
    pub(crate) fn bold(self, bold: bool) -> RPr<'a> {
        RPr { bold, ..self }
    }

    fn is_empty(&self) -> bool {
        *self == RPr::default()
    }

    /// `<w:rPr>…</w:rPr>`, nothing when no property is set.
    pub(crate) fn write(&self, x: &mut Xml) {
        if self.is_empty() {
            return;
        }
        x.open("w:rPr");
        if let Some(f) = self.font {
            x.elem("w:rFonts")
                .attr("w:ascii", f)
                .attr("w:hAnsi", f)
                .attr("w:eastAsia", f)
                .attr("w:cs", f)
                .attr("w:hint", "eastAsia")
                .empty();
        }
        if self.bold {
            x.empty("w:b");
            x.empty("w:bCs");
        }
        if self.italic {
            x.empty("w:i");
            x.empty("w:iCs");
        }
        if let Some(t) = self.tracking {
            x.elem("w:spacing").num("w:val", t).empty();
        }
        if let Some(pt) = self.size {
            let hp = half_points(pt);
            x.elem("w:sz").num("w:val", hp).empty();
            x.elem("w:szCs").num("w:val", hp).empty();
        }
        if let Some(lang) = self.east_asia_lang {
            x.elem("w:lang")
                .attr("w:val", "en-US")
                .attr("w:eastAsia", lang)
                .attr("w:bidi", "ar-SA")
                .empty();
        }
        x.close();
    }
}

/// Paragraph alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Jc {
    Left,
    Center,
    Right,
    /// Justified.
    Both,
}

impl Jc {
    fn name(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
            Jc::Both => "both",
        }
    }
}

/// Line spacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// Exactly this many twips.
    Exact(u32),
    /// A multiple of single spacing, in 240ths.
    Auto(u32),
}

/// Space around a paragraph and its line spacing, in twips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Spacing {
    pub(crate) before: Option<u32>,
    pub(crate) after: Option<u32>,
    pub(crate) line: Option<Line>,
}

impl Spacing {
    /// `before` above, `after` below.
    pub(crate) fn around(before: u32, after: u32) -> Spacing {
        Spacing {
            before: Some(before),
            after: Some(after),
            line: None,
        }
    }

    /// The same with lines exactly `line` twips apart.
    pub(crate) fn exact(self, line: u32) -> Spacing {
        Spacing {
            line: Some(Line::Exact(line)),
            ..self
        }
    }
}

/// Indentation, in twips and in hundredths of a character (Word and WPS
/// read the characters, LibreOffice the twips).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ind {
    pub(crate) left: Option<i32>,
    pub(crate) left_chars: Option<i32>,
    pub(crate) first_line: Option<i32>,
    pub(crate) first_line_chars: Option<i32>,
}

/// A tab stop at the right margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RightTab {
    /// Its position from the left margin, in twips.
    pub(crate) pos: u32,
    /// Dot leaders up to it.
    pub(crate) dots: bool,
}

/// Paragraph properties.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct PPr<'a> {
    pub(crate) style: Option<&'static str>,
    pub(crate) keep_next: bool,
    pub(crate) keep_lines: bool,
    pub(crate) page_break_before: bool,
    pub(crate) tab: Option<RightTab>,
    pub(crate) spacing: Option<Spacing>,
    pub(crate) ind: Option<Ind>,
    pub(crate) jc: Option<Jc>,
    /// Outline level (0 for heading 1), in style definitions.
    pub(crate) outline: Option<u8>,
    /// Run properties of the paragraph mark.
    pub(crate) mark: Option<RPr<'a>>,
    /// The section this paragraph ends.
    pub(crate) sect: Option<SectPr>,
}

impl PPr<'_> {
    /// A paragraph in `style`.
    pub(crate) fn style(style: &'static str) -> PPr<'static> {
        PPr {
            style: Some(style),
            ..PPr::default()
        }
    }

    /// `<w:pPr>…</w:pPr>`, nothing when no property is set.
    pub(crate) fn write(&self, x: &mut Xml) {
        if *self == PPr::default() {
            return;
        }
        x.open("w:pPr");
        if let Some(s) = self.style {
            x.elem("w:pStyle").attr("w:val", s).empty();
        }
        if self.keep_next {
            x.empty("w:keepNext");
        }
        if self.keep_lines {
            x.empty("w:keepLines");
        }
        if self.page_break_before {
            x.empty("w:pageBreakBefore");
        }
        if let Some(tab) = self.tab {
            x.open("w:tabs");
            let t = x.elem("w:tab").attr("w:val", "right");
            let t = if tab.dots {
                t.attr("w:leader", "dot")
            } else {
                t
            };
            t.num("w:pos", tab.pos).empty();
            x.close();
        }
        if let Some(s) = self.spacing {
            let t = x
                .elem("w:spacing")
                .num_if("w:before", s.before)
                .num_if("w:after", s.after);
            match s.line {
                Some(Line::Exact(l)) => t.num("w:line", l).attr("w:lineRule", "exact"),
                Some(Line::Auto(l)) => t.num("w:line", l).attr("w:lineRule", "auto"),
                None => t,
            }
            .empty();
        }
        if let Some(i) = self.ind {
            x.elem("w:ind")
                .num_if("w:left", i.left)
                .num_if("w:leftChars", i.left_chars)
                .num_if("w:firstLine", i.first_line)
                .num_if("w:firstLineChars", i.first_line_chars)
                .empty();
        }
        if let Some(jc) = self.jc {
            x.elem("w:jc").attr("w:val", jc.name()).empty();
        }
        if let Some(level) = self.outline {
            x.elem("w:outlineLvl").num("w:val", level).empty();
        }
        if let Some(mark) = &self.mark {
            mark.write(x);
        }
        if let Some(sect) = &self.sect {
            sect.write(x);
        }
        x.close();
    }
}

/// A section's page: paper, orientation, margins, the header and footer it
/// refers to, and whether page numbers start again at 1 in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SectPr {
    pub(crate) page: Page,
    pub(crate) header: bool,
    pub(crate) footer: bool,
    pub(crate) numbers_start: bool,
}

impl SectPr {
    /// A section on `page` with the header and footer when there are
    /// some, numbering on.
    pub(crate) fn new(page: Page) -> SectPr {
        SectPr {
            page,
            header: false,
            footer: false,
            numbers_start: false,
        }
    }

    /// `<w:sectPr>…</w:sectPr>`: a new section starts on a new page.
    pub(crate) fn write(&self, x: &mut Xml) {
        let p = &self.page;
        x.open("w:sectPr");
        if self.header {
            x.elem("w:headerReference")
                .attr("w:type", "default")
                .attr("r:id", HEADER_RID)
                .empty();
        }
        if self.footer {
            x.elem("w:footerReference")
                .attr("w:type", "default")
                .attr("r:id", FOOTER_RID)
                .empty();
        }
        x.elem("w:type").attr("w:val", "nextPage").empty();
        let size = x.elem("w:pgSz").num("w:w", p.width).num("w:h", p.height);
        if p.landscape {
            size.attr("w:orient", "landscape").empty();
        } else {
            size.empty();
        }
        x.elem("w:pgMar")
            .num("w:top", p.top)
            .num("w:right", p.right)
            .num("w:bottom", p.bottom)
            .num("w:left", p.left)
            .num("w:header", HEADER_FOOTER_TWIPS)
            .num("w:footer", HEADER_FOOTER_TWIPS)
            .num("w:gutter", 0)
            .empty();
        if self.numbers_start {
            x.elem("w:pgNumType")
                .attr("w:fmt", "decimal")
                .num("w:start", 1)
                .empty();
        }
        x.close();
    }
}

/// Characters XML 1.0 cannot carry become U+FFFD, with a warning naming
/// where.
pub(crate) fn xml_safe<'t>(
    text: &'t str,
    warnings: &mut Vec<Warning>,
    at: &str,
) -> std::borrow::Cow<'t, str> {
    let bad = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    warnings.push(Warning::new(
        "control-character",
        Some(at.to_string()),
        "a control character Word cannot store was replaced by U+FFFD",
    ));
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if bad(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// One run holding `text` in `rpr`, its line breaks and tabs as Word
/// elements; nothing for empty text.
pub(crate) fn run(x: &mut Xml, text: &str, rpr: &RPr, warnings: &mut Vec<Warning>, at: &str) {
    if text.is_empty() {
        return;
    }
    let text = xml_safe(text, warnings, at);
    x.open("w:r");
    rpr.write(x);
    for (li, line) in text
        .split("\r\n")
        .flat_map(|l| l.split(['\n', '\r']))
        .enumerate()
    {
        if li > 0 {
            x.empty("w:br");
        }
        for (pi, piece) in line.split('\t').enumerate() {
            if pi > 0 {
                x.empty("w:tab");
            }
            if !piece.is_empty() {
                x.elem("w:t").attr("xml:space", "preserve").text(piece);
            }
        }
    }
    x.close();
}

/// A paragraph: its properties, then what `content` writes.
pub(crate) fn paragraph(x: &mut Xml, ppr: &PPr, content: impl FnOnce(&mut Xml)) {
    x.open("w:p");
    ppr.write(x);
    content(x);
    x.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xml(f: impl FnOnce(&mut Xml)) -> String {
        let mut x = Xml::new();
        f(&mut x);
        String::from_utf8(x.finish().unwrap()).unwrap()
    }

    #[test]
    fn properties_come_in_schema_order() {
        let ppr = PPr {
            style: Some("BodyText"),
            keep_next: true,
            page_break_before: true,
            tab: Some(RightTab {
                pos: 9000,
                dots: false,
            }),
            spacing: Some(Spacing::around(0, 60).exact(408)),
            ind: Some(Ind {
                first_line: Some(480),
                first_line_chars: Some(200),
                ..Ind::default()
            }),
            jc: Some(Jc::Both),
            mark: Some(RPr {
                size: Some(1.0),
                ..RPr::default()
            }),
            ..PPr::default()
        };
        assert_eq!(
            xml(|x| ppr.write(x)),
            concat!(
                r#"<w:pPr><w:pStyle w:val="BodyText"/><w:keepNext/><w:pageBreakBefore/>"#,
                r#"<w:tabs><w:tab w:val="right" w:pos="9000"/></w:tabs>"#,
                r#"<w:spacing w:before="0" w:after="60" w:line="408" w:lineRule="exact"/>"#,
                r#"<w:ind w:firstLine="480" w:firstLineChars="200"/><w:jc w:val="both"/>"#,
                r#"<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr>"#
            )
        );
        let rpr = RPr::font("黑体", 18.0).bold(true);
        assert_eq!(
            xml(|x| rpr.write(x)),
            r#"<w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体" w:hint="eastAsia"/><w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>"#
        );
        assert_eq!(xml(|x| PPr::default().write(x)), "");
    }

    #[test]
    fn runs_keep_breaks_tabs_and_replace_control_characters() {
        let mut warnings = Vec::new();
        let out = xml(|x| run(x, "a\tb\r\nc\u{1}", &RPr::default(), &mut warnings, "here"));
        assert_eq!(
            out,
            r#"<w:r><w:t xml:space="preserve">a</w:t><w:tab/><w:t xml:space="preserve">b</w:t><w:br/><w:t xml:space="preserve">c�</w:t></w:r>"#
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].at.as_deref(), Some("here"));
    }
}
