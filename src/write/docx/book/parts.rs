//! The package parts of the book besides document.xml: styles (Word's
//! built-in heading and TOC style names, so Word's navigation pane and TOC
//! field know them), settings (update fields on opening), footer, header,
//! fonts, relationships and properties.

use super::{
    DOCUMENT_NS, FIRST_LINE_CHARS, FOOTER_RID, H1_SPACE_BEFORE, HEADER_RID, HEADING_SPACE,
    TITLE_SPACE_AFTER, TOC_HEADING_SPACE_AFTER, W_NS, Writer, XML_DECL, bold_face, esc, hp,
    line_twips, pt_twips, rfonts, rpr_of,
};
use crate::profile::{FontSpec, PageNumberStyle};
use crate::write::docx::{self as wd, package};
use std::fmt::Write as _;

impl Writer<'_> {
    /// word/styles.xml: defaults, Normal, Body Text, heading 1–4, toc 1–2,
    /// TOC Heading and caption.
    pub(super) fn styles(&self) -> Vec<u8> {
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

    /// word/footer1.xml: the page number (and the profile's footer text).
    pub(super) fn footer(&self) -> Vec<u8> {
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

    /// word/header1.xml: the profile's header text.
    pub(super) fn header(&self, text: &str) -> Vec<u8> {
        let rpr = rpr_of(&self.profile.fonts.body, false, false);
        format!(
            r#"{XML_DECL}<w:hdr {DOCUMENT_NS}><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:hdr>"#,
            esc(text)
        )
        .into_bytes()
    }

    /// Every part of the package, in a fixed order.
    pub(super) fn package(
        &self,
        document: Vec<u8>,
        when: crate::time::Civil,
    ) -> Vec<(String, Vec<u8>)> {
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
        let families = package::FontEntry::of_profile(&self.profile.fonts);
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
