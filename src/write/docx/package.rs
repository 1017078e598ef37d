//! The package around docx-rs's parts: `w:tblHeader` added to the header
//! rows (docx-rs has no such property), our own core properties (title,
//! author, fixed dates), and a zip with a fixed entry order and fixed entry
//! times, so the same document gives the same bytes.

use crate::time::Civil;
use crate::write::WriteError;
use docx_rs::XMLDocx;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::io::{Cursor, Write};

/// Earliest year a zip entry can carry (the DOS date format starts there).
const ZIP_MIN_YEAR: i32 = 1980;
/// Latest year a zip entry can carry.
const ZIP_MAX_YEAR: i32 = 2107;

fn xml_error(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> WriteError {
    WriteError::DocxXml { source: e.into() }
}

/// Adds `<w:tblHeader/>` to the first `header_rows[i]` rows of the i-th
/// top-level table of `document`, so Word and LibreOffice repeat them on
/// every page.
pub fn mark_header_rows(document: &[u8], header_rows: &[usize]) -> Result<Vec<u8>, WriteError> {
    let mut reader = Reader::from_reader(document);
    let mut writer = Writer::new(Cursor::new(Vec::with_capacity(document.len() + 64)));
    // Per open table: its index among top-level tables (None when nested)
    // and the number of rows started so far.
    let mut tables: Vec<(Option<usize>, usize)> = Vec::new();
    let mut next_table = 0usize;
    // The current row is a header row whose trPr has not been seen yet.
    let mut pending = false;
    let header = BytesStart::new("w:tblHeader");
    loop {
        let ev = reader.read_event().map_err(xml_error)?;
        match &ev {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "w:tbl" => {
                let index = if tables.is_empty() {
                    next_table += 1;
                    Some(next_table - 1)
                } else {
                    None
                };
                tables.push((index, 0));
            }
            Event::End(e) if e.name().as_ref() == "w:tbl" => {
                tables.pop();
            }
            Event::Start(e) if e.name().as_ref() == "w:tr" => {
                if let Some((index, rows)) = tables.last_mut() {
                    pending = index
                        .and_then(|i| header_rows.get(i))
                        .is_some_and(|&n| *rows < n);
                    *rows += 1;
                }
            }
            _ => {}
        }
        match ev {
            Event::Start(e) if pending && e.name().as_ref() == "w:trPr" => {
                writer.write_event(Event::Start(e)).map_err(xml_error)?;
                writer
                    .write_event(Event::Empty(header.borrow()))
                    .map_err(xml_error)?;
                pending = false;
            }
            Event::Empty(e) if pending && e.name().as_ref() == "w:trPr" => {
                let open = BytesStart::new("w:trPr").with_attributes(e.attributes().flatten());
                writer.write_event(Event::Start(open)).map_err(xml_error)?;
                writer
                    .write_event(Event::Empty(header.borrow()))
                    .map_err(xml_error)?;
                writer
                    .write_event(Event::End(BytesEnd::new("w:trPr")))
                    .map_err(xml_error)?;
                pending = false;
            }
            Event::Start(ref e) | Event::Empty(ref e) if pending && e.name().as_ref() == "w:tc" => {
                // A row without properties: give it some.
                writer
                    .write_event(Event::Start(BytesStart::new("w:trPr")))
                    .map_err(xml_error)?;
                writer
                    .write_event(Event::Empty(header.borrow()))
                    .map_err(xml_error)?;
                writer
                    .write_event(Event::End(BytesEnd::new("w:trPr")))
                    .map_err(xml_error)?;
                writer.write_event(ev.borrow()).map_err(xml_error)?;
                pending = false;
            }
            other => writer.write_event(other).map_err(xml_error)?,
        }
    }
    Ok(writer.into_inner().into_inner())
}

/// Declares the document's East Asian language (so LibreOffice picks the
/// Simplified Chinese forms of a CJK font, not the Japanese ones) in the
/// run defaults of styles.xml; docx-rs has no setter for w:lang.
pub fn add_language(styles: &[u8], east_asia: &str) -> Vec<u8> {
    const ANCHOR: &[u8] = b"<w:rPrDefault><w:rPr>";
    let Some(at) = styles.windows(ANCHOR.len()).position(|w| w == ANCHOR) else {
        return styles.to_vec();
    };
    let lang = format!(r#"<w:lang w:eastAsia="{}" />"#, escape(east_asia));
    let mut out = Vec::with_capacity(styles.len() + lang.len());
    out.extend_from_slice(&styles[..at + ANCHOR.len()]);
    out.extend_from_slice(lang.as_bytes());
    out.extend_from_slice(&styles[at + ANCHOR.len()..]);
    out
}

/// A font the document uses, for fontTable.xml: its name, the Latin name
/// Word also knows it by, and whether it is a serif (roman) or a sans
/// (swiss) face, which guides substitution where the font is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontEntry {
    /// Family name as written in w:rFonts.
    pub name: String,
    /// A serif face.
    pub serif: bool,
}

impl FontEntry {
    /// The families a profile's four roles name, for the font table.
    pub fn of_profile(fonts: &crate::profile::Fonts) -> Vec<FontEntry> {
        use crate::profile::FontFace;
        [&fonts.title, &fonts.header, &fonts.body, &fonts.numbers]
            .into_iter()
            .map(|f| FontEntry {
                name: f.family.clone(),
                serif: matches!(f.bundled, FontFace::Serif | FontFace::SerifBold),
            })
            .collect()
    }
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

/// Adds the document's fonts to fontTable.xml with the GB2312 character
/// set.
pub fn add_fonts(table: &[u8], fonts: &[FontEntry]) -> Vec<u8> {
    const END: &[u8] = b"</w:fonts>";
    let Some(at) = table.windows(END.len()).rposition(|w| w == END) else {
        return table.to_vec();
    };
    let mut entries = String::new();
    let mut seen: Vec<&str> = Vec::new();
    for f in fonts {
        if seen.contains(&f.name.as_str()) {
            continue;
        }
        seen.push(&f.name);
        entries.push_str(&format!(r#"<w:font w:name="{}">"#, escape(&f.name)));
        if let Some(alt) = alt_name(&f.name) {
            entries.push_str(&format!(r#"<w:altName w:val="{alt}" />"#));
        }
        entries.push_str(&format!(
            r#"<w:charset w:val="86" /><w:family w:val="{}" /><w:pitch w:val="variable" /></w:font>"#,
            if f.serif { "roman" } else { "swiss" }
        ));
    }
    let mut out = Vec::with_capacity(table.len() + entries.len());
    out.extend_from_slice(&table[..at]);
    out.extend_from_slice(entries.as_bytes());
    out.extend_from_slice(&table[at..]);
    out
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// docProps/core.xml with the title, the author and fixed dates.
pub fn core_properties(title: Option<&str>, author: Option<&str>, when: Civil) -> Vec<u8> {
    let date = when.iso8601();
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    );
    if let Some(t) = title {
        xml.push_str(&format!("<dc:title>{}</dc:title>", escape(t)));
    }
    if let Some(a) = author {
        xml.push_str(&format!(
            "<dc:creator>{0}</dc:creator><cp:lastModifiedBy>{0}</cp:lastModifiedBy>",
            escape(a)
        ));
    }
    xml.push_str(&format!(
        r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified><cp:revision>1</cp:revision></cp:coreProperties>"#
    ));
    xml.into_bytes()
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

/// The parts we rewrote.
pub struct Finished {
    /// word/document.xml with the header rows marked.
    pub document: Vec<u8>,
    /// docProps/core.xml.
    pub core: Vec<u8>,
    /// word/styles.xml with the language.
    pub styles: Vec<u8>,
    /// word/fontTable.xml with our fonts.
    pub font_table: Vec<u8>,
}

/// Packs the parts in a fixed order with fixed entry times and
/// permissions.
pub fn pack(mut xml: XMLDocx, parts: Finished, when: Civil) -> Result<Vec<u8>, WriteError> {
    xml.styles = parts.styles;
    xml.font_table = parts.font_table;
    let (document, core) = (parts.document, parts.core);
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), xml.content_type),
        ("_rels/.rels".into(), xml.rels),
        ("docProps/app.xml".into(), xml.doc_props.app),
        ("docProps/core.xml".into(), core),
        ("docProps/custom.xml".into(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), xml.document_rels),
        ("word/document.xml".into(), document),
        ("word/styles.xml".into(), xml.styles),
        ("word/settings.xml".into(), xml.settings),
        ("word/fontTable.xml".into(), xml.font_table),
        ("word/comments.xml".into(), xml.comments),
        ("word/numbering.xml".into(), xml.numberings),
        ("word/commentsExtended.xml".into(), xml.comments_extended),
        ("word/footnotes.xml".into(), xml.footnotes),
    ];
    for (i, h) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, f) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    pack_parts(parts, when)
}

/// Zips package parts in the order given, with fixed entry times and
/// permissions.
pub fn pack_parts(parts: Vec<(String, Vec<u8>)>, when: Civil) -> Result<Vec<u8>, WriteError> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(when))
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let zip_error = WriteError::DocxZip;
    for (name, bytes) in parts {
        zip.start_file(name, options).map_err(zip_error)?;
        zip.write_all(&bytes)
            .map_err(|e| zip_error(zip::result::ZipError::Io(e)))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_get_tbl_header() {
        let doc = br#"<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc/></w:tr><w:tr><w:trPr /><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl><w:tbl><w:tr><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl></w:body>"#;
        let out = String::from_utf8(mark_header_rows(doc, &[2, 1]).unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:body><w:tbl><w:tr><w:trPr><w:tblHeader/><w:cantSplit /></w:trPr><w:tc/></w:tr><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl><w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr><w:tr><w:tc/></w:tr></w:tbl></w:body>"#
        );
    }

    #[test]
    fn zip_times_are_clamped() {
        let t = zip_time(crate::time::civil_from_unix(0));
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
        let t = zip_time(crate::time::civil_from_unix(1_740_816_000));
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2025, 3, 1, 8));
    }
}
