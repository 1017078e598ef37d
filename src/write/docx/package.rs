//! The package around document.xml, the same for single documents and
//! the book: content types, relationships, our core properties (title,
//! author, fixed dates), styles.xml from the writer's styles, settings,
//! the font table, the footer with the page number and the header; zipped
//! in a fixed order with fixed entry times, document.xml streamed into its
//! entry as it is written. The same document gives the same bytes.

use super::props::{FOOTER_RID, HEADER_RID, Line, PPr, RPr, Spacing, run};
use super::xml::Xml;
use crate::model::Warning;
use crate::profile::{FontFace, FontSpec, Fonts, PageNumberStyle, Profile};
use crate::time::Civil;
use crate::write::WriteError;
use std::io::{Cursor, Write};

/// Earliest year a zip entry can carry (the DOS date format starts there).
const ZIP_MIN_YEAR: i32 = 1980;
/// Latest year a zip entry can carry.
const ZIP_MAX_YEAR: i32 = 2107;

/// The main WordprocessingML namespace.
const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The relationships namespace of the parts.
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The package relationships namespace.
const PACKAGE_RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// Content types of the WordprocessingML parts.
const CT_WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";

/// Word's default tab stop, in twips: two characters of 五号 (10.5 pt).
const DEFAULT_TAB_STOP: u32 = 420;

/// Single line spacing in 240ths of a line.
const SINGLE_LINE: u32 = 240;

/// The language of the documents' CJK text: budget disclosures are in
/// Simplified Chinese.
const EAST_ASIAN_LANGUAGE: &str = "zh-CN";

/// A paragraph style of styles.xml.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Style<'a> {
    pub(crate) id: &'static str,
    /// The name Word knows it by ("heading 1", "toc 1"): Word's built-in
    /// names, so the navigation pane and a TOC field see the headings.
    pub(crate) name: &'static str,
    pub(crate) based_on: Option<&'static str>,
    pub(crate) next: Option<&'static str>,
    pub(crate) ui_priority: Option<u32>,
    pub(crate) q_format: bool,
    pub(crate) ppr: PPr<'a>,
    pub(crate) rpr: RPr<'a>,
}

impl Style<'_> {
    fn write(&self, x: &mut Xml) {
        x.elem("w:style")
            .attr("w:type", "paragraph")
            .attr("w:styleId", self.id)
            .open();
        x.elem("w:name").attr("w:val", self.name).empty();
        if let Some(b) = self.based_on {
            x.elem("w:basedOn").attr("w:val", b).empty();
        }
        if let Some(n) = self.next {
            x.elem("w:next").attr("w:val", n).empty();
        }
        if let Some(p) = self.ui_priority {
            x.elem("w:uiPriority").num("w:val", p).empty();
        }
        if self.q_format {
            x.empty("w:qFormat");
        }
        self.ppr.write(x);
        self.rpr.write(x);
        x.close();
    }
}

/// The footer: the page number (and the profile's footer text), centred.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Footer<'a> {
    /// Its font.
    pub(crate) font: &'a FontSpec,
    /// "第 X 页 共 Y 页" rather than "第 X 页" (a book numbers from the
    /// page after its 目录, and no field counts those pages).
    pub(crate) total: bool,
}

/// Everything of a DOCX but the body of document.xml.
pub(crate) struct Package<'a> {
    pub(crate) profile: &'a Profile,
    /// The title of the core properties.
    pub(crate) title: Option<&'a str>,
    /// The author (the department).
    pub(crate) author: Option<&'a str>,
    /// The date of the properties and of the zip entries.
    pub(crate) when: Civil,
    /// The paragraph styles besides Normal.
    pub(crate) styles: Vec<Style<'a>>,
    /// Ask Word to update the fields on opening (the book's TOC).
    pub(crate) update_fields: bool,
    /// The footer, if the profile has one.
    pub(crate) footer: Option<Footer<'a>>,
}

/// Whether the profile puts a footer on the pages.
pub(crate) fn has_footer(profile: &Profile) -> bool {
    profile.page_number != PageNumberStyle::None || profile.footer_text.is_some()
}

/// Whether the profile puts a header on the pages.
pub(crate) fn has_header(profile: &Profile) -> bool {
    profile.header_text.is_some()
}

fn xml_error(e: std::io::Error) -> WriteError {
    WriteError::DocxZip(zip::result::ZipError::Io(e))
}

/// The bytes of an in-memory part.
fn part(write: impl FnOnce(&mut Xml)) -> Result<Vec<u8>, WriteError> {
    let mut x = Xml::new();
    x.declaration();
    write(&mut x);
    x.finish().map_err(xml_error)
}

impl Package<'_> {
    /// The whole package; `body` writes the content of `<w:body>`, which
    /// goes into its zip entry as it is written. Warnings of the header
    /// and footer text go on `warnings`.
    pub(crate) fn pack(
        &self,
        warnings: &mut Vec<Warning>,
        body: impl FnOnce(&mut Xml) -> Result<(), WriteError>,
    ) -> Result<Vec<u8>, WriteError> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip_time(self.when))
            .unix_permissions(0o644);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let header = self.profile.header_text.as_deref();
        let put = |zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>, name: &str, bytes: Vec<u8>| {
            zip.start_file(name, options).map_err(WriteError::DocxZip)?;
            zip.write_all(&bytes).map_err(xml_error)
        };
        put(&mut zip, "[Content_Types].xml", self.content_types()?)?;
        put(&mut zip, "_rels/.rels", self.package_rels()?)?;
        put(&mut zip, "docProps/app.xml", app()?)?;
        put(&mut zip, "docProps/core.xml", self.core()?)?;
        put(
            &mut zip,
            "word/_rels/document.xml.rels",
            self.document_rels()?,
        )?;
        zip.start_file("word/document.xml", options)
            .map_err(WriteError::DocxZip)?;
        {
            let mut x = Xml::streaming(&mut zip);
            x.declaration();
            x.elem("w:document")
                .attr("xmlns:w", W_NS)
                .attr("xmlns:r", R_NS)
                .open();
            x.open("w:body");
            body(&mut x)?;
            x.close();
            x.close();
            x.finish().map_err(xml_error)?;
        }
        put(&mut zip, "word/styles.xml", self.styles()?)?;
        put(&mut zip, "word/settings.xml", self.settings()?)?;
        put(
            &mut zip,
            "word/fontTable.xml",
            font_table(&self.profile.fonts)?,
        )?;
        if let Some(footer) = &self.footer {
            put(&mut zip, "word/footer1.xml", self.footer(footer, warnings)?)?;
        }
        if let Some(text) = header {
            put(&mut zip, "word/header1.xml", self.header(text, warnings)?)?;
        }
        Ok(zip.finish().map_err(WriteError::DocxZip)?.into_inner())
    }

    fn content_types(&self) -> Result<Vec<u8>, WriteError> {
        part(|x| {
            x.elem("Types")
                .attr(
                    "xmlns",
                    "http://schemas.openxmlformats.org/package/2006/content-types",
                )
                .open();
            x.elem("Default")
                .attr("Extension", "rels")
                .attr(
                    "ContentType",
                    "application/vnd.openxmlformats-package.relationships+xml",
                )
                .empty();
            x.elem("Default")
                .attr("Extension", "xml")
                .attr("ContentType", "application/xml")
                .empty();
            let mut over = |name: &str, kind: &str| {
                x.elem("Override")
                    .attr("PartName", name)
                    .attr("ContentType", kind)
                    .empty();
            };
            over("/word/document.xml", &format!("{CT_WML}.document.main+xml"));
            over("/word/styles.xml", &format!("{CT_WML}.styles+xml"));
            over("/word/settings.xml", &format!("{CT_WML}.settings+xml"));
            over("/word/fontTable.xml", &format!("{CT_WML}.fontTable+xml"));
            if self.footer.is_some() {
                over("/word/footer1.xml", &format!("{CT_WML}.footer+xml"));
            }
            if has_header(self.profile) {
                over("/word/header1.xml", &format!("{CT_WML}.header+xml"));
            }
            over(
                "/docProps/core.xml",
                "application/vnd.openxmlformats-package.core-properties+xml",
            );
            over(
                "/docProps/app.xml",
                "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            );
            x.close();
        })
    }

    fn package_rels(&self) -> Result<Vec<u8>, WriteError> {
        part(|x| {
            x.elem("Relationships")
                .attr("xmlns", PACKAGE_RELS_NS)
                .open();
            for (id, kind, target) in [
                (
                    "rId1",
                    format!("{R_NS}/officeDocument"),
                    "word/document.xml",
                ),
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties".to_string(),
                    "docProps/core.xml",
                ),
                ("rId3", format!("{R_NS}/extended-properties"), "docProps/app.xml"),
            ] {
                relationship(x, id, &kind, target);
            }
            x.close();
        })
    }

    fn document_rels(&self) -> Result<Vec<u8>, WriteError> {
        part(|x| {
            x.elem("Relationships")
                .attr("xmlns", PACKAGE_RELS_NS)
                .open();
            relationship(x, "rIdStyles", &format!("{R_NS}/styles"), "styles.xml");
            relationship(
                x,
                "rIdSettings",
                &format!("{R_NS}/settings"),
                "settings.xml",
            );
            relationship(
                x,
                "rIdFontTable",
                &format!("{R_NS}/fontTable"),
                "fontTable.xml",
            );
            if self.footer.is_some() {
                relationship(x, FOOTER_RID, &format!("{R_NS}/footer"), "footer1.xml");
            }
            if has_header(self.profile) {
                relationship(x, HEADER_RID, &format!("{R_NS}/header"), "header1.xml");
            }
            x.close();
        })
    }

    /// docProps/core.xml with the title, the author and fixed dates.
    fn core(&self) -> Result<Vec<u8>, WriteError> {
        let date = self.when.iso8601();
        part(|x| {
            x.elem("cp:coreProperties")
                .attr(
                    "xmlns:cp",
                    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
                )
                .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
                .attr("xmlns:dcterms", "http://purl.org/dc/terms/")
                .attr("xmlns:dcmitype", "http://purl.org/dc/dcmitype/")
                .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
                .open();
            if let Some(t) = self.title {
                x.elem("dc:title").text(t);
            }
            if let Some(a) = self.author {
                x.elem("dc:creator").text(a);
                x.elem("cp:lastModifiedBy").text(a);
            }
            for name in ["dcterms:created", "dcterms:modified"] {
                x.elem(name).attr("xsi:type", "dcterms:W3CDTF").text(&date);
            }
            x.elem("cp:revision").text("1");
            x.close();
        })
    }

    /// word/styles.xml: the document defaults (the body font and size,
    /// the language, no space after paragraphs), Normal, the default
    /// character style and the writer's styles.
    fn styles(&self) -> Result<Vec<u8>, WriteError> {
        let body = &self.profile.fonts.body;
        part(|x| {
            x.elem("w:styles").attr("xmlns:w", W_NS).open();
            x.open("w:docDefaults");
            x.open("w:rPrDefault");
            RPr {
                east_asia_lang: Some(EAST_ASIAN_LANGUAGE),
                ..RPr::font(&body.family, body.size_pt)
            }
            .write(x);
            x.close();
            x.open("w:pPrDefault");
            PPr {
                spacing: Some(Spacing {
                    before: None,
                    after: Some(0),
                    line: Some(Line::Auto(SINGLE_LINE)),
                }),
                ..PPr::default()
            }
            .write(x);
            x.close();
            x.close();
            x.elem("w:style")
                .attr("w:type", "paragraph")
                .num("w:default", 1)
                .attr("w:styleId", "Normal")
                .open();
            x.elem("w:name").attr("w:val", "Normal").empty();
            x.empty("w:qFormat");
            x.close();
            x.elem("w:style")
                .attr("w:type", "character")
                .num("w:default", 1)
                .attr("w:styleId", "DefaultParagraphFont")
                .open();
            x.elem("w:name")
                .attr("w:val", "Default Paragraph Font")
                .empty();
            x.elem("w:uiPriority").num("w:val", 1).empty();
            x.empty("w:semiHidden");
            x.close();
            for s in &self.styles {
                s.write(x);
            }
            x.close();
        })
    }

    /// word/settings.xml: compatibility with Word 2013 and later,
    /// punctuation compressed as Chinese documents set it, and for the
    /// book the request to update its fields on opening.
    fn settings(&self) -> Result<Vec<u8>, WriteError> {
        part(|x| {
            x.elem("w:settings").attr("xmlns:w", W_NS).open();
            x.elem("w:zoom").num("w:percent", 100).empty();
            x.elem("w:defaultTabStop")
                .num("w:val", DEFAULT_TAB_STOP)
                .empty();
            x.elem("w:characterSpacingControl")
                .attr("w:val", "compressPunctuation")
                .empty();
            if self.update_fields {
                x.elem("w:updateFields").attr("w:val", "true").empty();
            }
            x.open("w:compat");
            x.elem("w:compatSetting")
                .attr("w:name", "compatibilityMode")
                .attr("w:uri", "http://schemas.microsoft.com/office/word")
                .num("w:val", 15)
                .empty();
            x.close();
            x.close();
        })
    }

    /// word/footer1.xml: the profile's footer text and the page number.
    fn footer(&self, footer: &Footer, warnings: &mut Vec<Warning>) -> Result<Vec<u8>, WriteError> {
        let rpr = RPr::font(&footer.font.family, footer.font.size_pt);
        let profile = self.profile;
        part(|x| {
            x.elem("w:ftr")
                .attr("xmlns:w", W_NS)
                .attr("xmlns:r", R_NS)
                .open();
            x.open("w:p");
            centred(x);
            if let Some(t) = &profile.footer_text {
                run(x, &format!("{t}    "), &rpr, warnings, "footer");
            }
            let field = |x: &mut Xml, instr: &str| {
                x.elem("w:fldSimple").attr("w:instr", instr).open();
                x.open("w:r");
                rpr.write(x);
                x.elem("w:t").text("1");
                x.close();
                x.close();
            };
            match profile.page_number {
                PageNumberStyle::Chinese => {
                    run(x, "第 ", &rpr, warnings, "footer");
                    field(x, " PAGE ");
                    if footer.total {
                        run(x, " 页 共 ", &rpr, warnings, "footer");
                        field(x, " NUMPAGES ");
                    }
                    run(x, " 页", &rpr, warnings, "footer");
                }
                PageNumberStyle::Dash => {
                    run(x, "— ", &rpr, warnings, "footer");
                    field(x, " PAGE ");
                    run(x, " —", &rpr, warnings, "footer");
                }
                PageNumberStyle::None => {}
            }
            x.close();
            x.close();
        })
    }

    /// word/header1.xml: the profile's header text, centred.
    fn header(&self, text: &str, warnings: &mut Vec<Warning>) -> Result<Vec<u8>, WriteError> {
        let body = &self.profile.fonts.body;
        part(|x| {
            x.elem("w:hdr")
                .attr("xmlns:w", W_NS)
                .attr("xmlns:r", R_NS)
                .open();
            x.open("w:p");
            centred(x);
            run(
                x,
                text,
                &RPr::font(&body.family, body.size_pt),
                warnings,
                "header",
            );
            x.close();
            x.close();
        })
    }
}

/// A centred paragraph's properties.
fn centred(x: &mut Xml) {
    PPr {
        jc: Some(super::props::Jc::Center),
        ..PPr::default()
    }
    .write(x);
}

fn relationship(x: &mut Xml, id: &str, kind: &str, target: &str) {
    x.elem("Relationship")
        .attr("Id", id)
        .attr("Type", kind)
        .attr("Target", target)
        .empty();
}

/// docProps/app.xml: the application.
fn app() -> Result<Vec<u8>, WriteError> {
    part(|x| {
        x.elem("Properties")
            .attr(
                "xmlns",
                "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
            )
            .attr(
                "xmlns:vt",
                "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
            )
            .open();
        x.elem("Application").text("gongkai");
        x.close();
    })
}

/// Latin names of the Chinese families profiles name most.
fn alt_name(name: &str) -> Option<&'static str> {
    Some(match name {
        "宋体" => "SimSun",
        "黑体" => "SimHei",
        "仿宋" => "FangSong",
        "楷体" => "KaiTi",
        "仿宋_GB2312" => "FangSong_GB2312",
        "楷体_GB2312" => "KaiTi_GB2312",
        "微软雅黑" => "Microsoft YaHei",
        "方正小标宋简体" => "FZXiaoBiaoSong-B05S",
        _ => return None,
    })
}

/// word/fontTable.xml: the families of the profile's four roles, each
/// once, with the Latin name Word also knows it by, the GB2312 character
/// set and whether it is a serif (roman) or a sans (swiss) face, which
/// guides substitution where the font is missing.
fn font_table(fonts: &Fonts) -> Result<Vec<u8>, WriteError> {
    part(|x| {
        x.elem("w:fonts").attr("xmlns:w", W_NS).open();
        let mut seen: Vec<&str> = Vec::new();
        for f in [&fonts.title, &fonts.header, &fonts.body, &fonts.numbers] {
            if seen.contains(&f.family.as_str()) {
                continue;
            }
            seen.push(&f.family);
            x.elem("w:font").attr("w:name", &f.family).open();
            if let Some(alt) = alt_name(&f.family) {
                x.elem("w:altName").attr("w:val", alt).empty();
            }
            x.elem("w:charset").attr("w:val", "86").empty();
            let serif = matches!(f.bundled, FontFace::Serif | FontFace::SerifBold);
            x.elem("w:family")
                .attr("w:val", if serif { "roman" } else { "swiss" })
                .empty();
            x.elem("w:pitch").attr("w:val", "variable").empty();
            x.close();
        }
        x.close();
    })
}

/// The zip entry time for `when`, clamped to what zip can store.
fn zip_time(when: Civil) -> zip::DateTime {
    let year = when.year.clamp(ZIP_MIN_YEAR, ZIP_MAX_YEAR);
    let (month, day, hour, minute, second) = if when.year < ZIP_MIN_YEAR {
        (1, 1, 0, 0, 0)
    } else if when.year > ZIP_MAX_YEAR {
        (12, 31, 23, 59, 58)
    } else {
        (
            when.month as u8,
            when.day as u8,
            when.hour as u8,
            when.minute as u8,
            when.second as u8,
        )
    };
    zip::DateTime::from_date_and_time(year as u16, month, day, hour, minute, second)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_times_are_clamped() {
        let t = zip_time(crate::time::civil_from_unix(0));
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
        let t = zip_time(crate::time::civil_from_unix(1_740_816_000));
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2025, 3, 1, 8));
    }

    #[test]
    fn each_family_is_in_the_font_table_once() {
        let table = String::from_utf8(font_table(&Fonts::default()).unwrap()).unwrap();
        assert_eq!(table.matches("<w:font ").count(), 2, "{table}");
        assert!(table.contains(r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="roman"/>"#), "{table}");
        assert!(table.contains(r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="swiss"/>"#), "{table}");
    }
}
