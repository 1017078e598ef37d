//! OFD (GB/T 33190-2016), the national fixed-layout format, drawn from the
//! same layout as the PDF: the same pages, line breaks and positions.
//!
//! The package:
//!
//! - `OFD.xml`: DocInfo (DocID, Title, Author, Subject, CreationDate,
//!   ModDate, Creator, CustomDatas: department, year, the source's SHA-256)
//!   and the DocRoot;
//! - `Doc_0/Document.xml`: CommonData (MaxUnitID, PageArea, PublicRes,
//!   DocumentRes), the Pages, and for books the Outlines;
//! - `Doc_0/PublicRes.xml`: one Font per face the pages use, its program
//!   `Doc_0/Res/<name>.ttf` a TrueType subset of that face (the glyphs the
//!   pages draw, with a Unicode cmap, so a reader maps TextCode through it);
//! - `Doc_0/DocumentRes.xml`: empty (no images or multimedia);
//! - `Doc_0/Pages/Page_N/Content.xml`: one Body layer; each run of text a
//!   TextCode at its baseline with DeltaX for every advance, each run of
//!   rules or shading one PathObject. Page numbers are text, as in the PDF.
//!
//! Coordinates are millimetres from the page's top-left corner, as OFD
//! has them (the layout's points, top-left too, times 25.4/72). IDs are
//! numbered in writing order; zip entries carry a fixed time; the same
//! input gives the same bytes.

mod page;

use super::pdf::fonts::{Face, FaceId, FontBook};
use super::pdf::layout::{Item, PageLayout};
use super::pdf::render::{Bookmark, Info};
use super::{RenderOptions, Rendered, WriteError};
use crate::model::Document;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write};

/// The OFD namespace.
const NS: &str = "http://www.ofdspec.org/2016";

/// Millimetres per point.
const MM_PER_PT: f64 = 25.4 / 72.0;

/// Renders the document as OFD.
pub fn write(doc: &Document, options: &RenderOptions) -> Result<Rendered, WriteError> {
    let fonts = FontBook::new(&options.fonts, &options.profile.fonts)?;
    let laid = super::pdf::layout::layout_document(doc, &options.profile, &fonts);
    if let Some(e) = fonts.error() {
        return Err(e.into());
    }
    if let Some(stop) = laid.over_limit {
        return Err(stop.into());
    }
    let info = super::pdf::info(doc, options);
    let mut custom = Vec::new();
    if !info.author.is_empty() {
        custom.push(("department", info.author.clone()));
    }
    if let Some(year) = year_in(&info.title) {
        custom.push(("year", year));
    }
    custom.push(("source_sha256", doc.source.sha256.clone()));
    let bytes = package(&laid.pages, &fonts, &info, &custom, &[]).map_err(WriteError::Ofd)?;
    Ok(Rendered {
        bytes,
        warnings: laid.warnings,
    })
}

/// Renders the book as OFD, with its outline.
pub fn write_book(
    book: &crate::book::Book,
    options: &RenderOptions,
) -> Result<Rendered, WriteError> {
    use sha2::{Digest, Sha256};
    let fonts = FontBook::new(&options.fonts, &options.profile.fonts)?;
    let laid = super::pdf::layout::book::layout_book(book, &options.profile, &fonts);
    if let Some(e) = fonts.error() {
        return Err(e.into());
    }
    let nav = super::pdf::book::navigation(&laid);
    let info = super::pdf::book::info(book, options);
    let mut custom = vec![("department", book.department.clone())];
    if let Some(year) = book.year.clone().or_else(|| year_in(&book.title)) {
        custom.push(("year", year));
    }
    // The book has many sources; its Markdown form holds every word and
    // number of them.
    let content = hex::encode(Sha256::digest(crate::write::markdown::book::write(book)));
    custom.push(("content_sha256", content));
    let bytes =
        package(&laid.pages, &fonts, &info, &custom, &nav.outline).map_err(WriteError::Ofd)?;
    Ok(Rendered {
        bytes,
        warnings: laid.warnings,
    })
}

/// The year a title names ("2025年…"), if any: four digits, not part of a
/// longer number, before 年.
fn year_in(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits = chars.get(i..i + 4)?;
        let fits = digits.iter().all(char::is_ascii_digit)
            && matches!(digits.first(), Some('1' | '2'))
            && chars.get(i + 4) == Some(&'年')
            && (i == 0 || !chars.get(i - 1).is_some_and(char::is_ascii_digit));
        fits.then(|| digits.iter().collect())
    })
}

/// A length in points as OFD millimetres: at most three decimals, no
/// trailing zeros, never "-0".
pub(crate) fn mm(pt: f32) -> String {
    num(f64::from(pt) * MM_PER_PT)
}

/// A number with at most three decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let mut s = format!("{v:.3}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".into() } else { s }
}

/// An XML part being written.
pub(crate) struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    pub(crate) fn new() -> Xml {
        let mut w = Writer::new(Vec::new());
        // Writing into memory cannot fail.
        let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
        Xml { w }
    }

    fn tag<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut s = BytesStart::new(name);
        for a in attrs {
            s.push_attribute(*a);
        }
        s
    }

    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let _ = self.w.write_event(Event::Start(Self::tag(name, attrs)));
    }

    pub(crate) fn close(&mut self, name: &str) {
        let _ = self.w.write_event(Event::End(BytesEnd::new(name)));
    }

    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let _ = self.w.write_event(Event::Empty(Self::tag(name, attrs)));
    }

    /// `<name attrs>text</name>`.
    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        let _ = self.w.write_event(Event::Text(BytesText::new(text)));
        self.close(name);
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }
}

/// The faces the pages draw and the characters each draws.
fn used_faces(pages: &[PageLayout]) -> BTreeMap<FaceId, BTreeSet<char>> {
    let mut used: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        if let Item::Text(run) = item {
            used.entry(run.face).or_default().extend(run.text.chars());
        }
    }
    used
}

/// A TrueType subset of `face` with the glyphs of `chars` and a Unicode
/// cmap for them.
fn subset(face: &Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    super::pdf::subset::truetype(face, chars)
        .map_err(|e| format!("cannot embed the font '{}' in the OFD: {e}", face.label))
}

/// The font's family name for PublicRes: the file's stem without the
/// style and the common-cut suffix (NotoSerifSC-Regular-common.ttf →
/// NotoSerifSC).
fn font_name(face: &Face) -> String {
    let file = std::path::Path::new(&face.label)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| face.resource_id.clone());
    let file = file.strip_suffix("-common").unwrap_or(&file).to_string();
    file.split('-').next().unwrap_or(&file).to_string()
}

/// The OFD date: xs:date of the document's time.
fn ofd_date(unix: i64) -> String {
    let c = crate::time::civil_from_unix(unix);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// Writes the package: the pages, their fonts, the document information
/// and (for books) the outline.
pub fn package(
    pages: &[PageLayout],
    fonts: &FontBook,
    info: &Info,
    custom: &[(&str, String)],
    outline: &[Bookmark],
) -> Result<Vec<u8>, String> {
    let first = pages
        .first()
        .ok_or_else(|| "the layout has no pages: nothing to write as OFD".to_string())?;
    let default_size = (first.width, first.height);
    let mut next_id: u32 = 1;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();

    // Fonts: IDs 1..n, files Res/font_0.ttf…
    let mut font_ids: BTreeMap<FaceId, u32> = BTreeMap::new();
    let mut res = Xml::new();
    res.open("ofd:Res", &[("xmlns:ofd", NS), ("BaseLoc", "Res")]);
    res.open("ofd:Fonts", &[]);
    let mut font_files = Vec::new();
    let mut names = BTreeSet::new();
    for (n, (face_id, chars)) in used_faces(pages).into_iter().enumerate() {
        let face = fonts.face(face_id).ok_or_else(|| {
            format!(
                "the layout used a font ({}) the book does not have",
                face_id.0
            )
        })?;
        let id = next_id;
        next_id += 1;
        font_ids.insert(face_id, id);
        // The file is named after the font (a reader, ofd2img, registers
        // the program under the file's stem and looks it up by FontName).
        let mut name = font_name(face);
        if names.contains(&name) {
            name = format!("{name}-{n}");
        }
        names.insert(name.clone());
        let file = format!("{name}.ttf");
        let id_s = id.to_string();
        let mut attrs = vec![
            ("ID", id_s.as_str()),
            ("FontName", name.as_str()),
            ("FamilyName", name.as_str()),
        ];
        if face.label.contains("Bold") {
            attrs.push(("Bold", "true"));
        }
        res.open("ofd:Font", &attrs);
        res.leaf("ofd:FontFile", &[], &file);
        res.close("ofd:Font");
        font_files.push((format!("Doc_0/Res/{file}"), subset(face, &chars)?));
    }
    res.close("ofd:Fonts");
    res.close("ofd:Res");

    // Pages: their IDs first, so the outline can point at them.
    let page_ids: Vec<u32> = pages
        .iter()
        .map(|_| {
            let id = next_id;
            next_id += 1;
            id
        })
        .collect();
    let mut contents = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let xml = page::content(p, fonts, &font_ids, default_size, &mut next_id);
        contents.push((format!("Doc_0/Pages/Page_{i}/Content.xml"), xml));
    }

    // Document.xml.
    let mut d = Xml::new();
    d.open("ofd:Document", &[("xmlns:ofd", NS)]);
    d.open("ofd:CommonData", &[]);
    d.leaf("ofd:MaxUnitID", &[], &(next_id - 1).to_string());
    d.open("ofd:PageArea", &[]);
    d.leaf(
        "ofd:PhysicalBox",
        &[],
        &format!("0 0 {} {}", mm(default_size.0), mm(default_size.1)),
    );
    d.close("ofd:PageArea");
    d.leaf("ofd:PublicRes", &[], "PublicRes.xml");
    d.leaf("ofd:DocumentRes", &[], "DocumentRes.xml");
    d.close("ofd:CommonData");
    d.open("ofd:Pages", &[]);
    for (i, id) in page_ids.iter().enumerate() {
        let id = id.to_string();
        let loc = format!("Pages/Page_{i}/Content.xml");
        d.empty("ofd:Page", &[("ID", &id), ("BaseLoc", &loc)]);
    }
    d.close("ofd:Pages");
    if !outline.is_empty() {
        d.open("ofd:Outlines", &[]);
        outline_level(&mut d, outline, &page_ids)?;
        d.close("ofd:Outlines");
    }
    d.close("ofd:Document");

    let mut docres = Xml::new();
    docres.empty("ofd:Res", &[("xmlns:ofd", NS), ("BaseLoc", "Res")]);

    // OFD.xml.
    let mut o = Xml::new();
    o.open(
        "ofd:OFD",
        &[("xmlns:ofd", NS), ("Version", "1.0"), ("DocType", "OFD")],
    );
    o.open("ofd:DocBody", &[]);
    o.open("ofd:DocInfo", &[]);
    o.leaf("ofd:DocID", &[], &hex::encode(info.id));
    o.leaf("ofd:Title", &[], &info.title);
    if !info.author.is_empty() {
        o.leaf("ofd:Author", &[], &info.author);
    }
    o.leaf("ofd:Subject", &[], &info.subject);
    let date = ofd_date(info.created);
    o.leaf("ofd:CreationDate", &[], &date);
    o.leaf("ofd:ModDate", &[], &date);
    o.leaf("ofd:Creator", &[], "gongkai");
    o.leaf("ofd:CreatorVersion", &[], env!("CARGO_PKG_VERSION"));
    o.open("ofd:CustomDatas", &[]);
    for (name, value) in custom {
        o.leaf("ofd:CustomData", &[("Name", name)], value);
    }
    o.close("ofd:CustomDatas");
    o.close("ofd:DocInfo");
    o.leaf("ofd:DocRoot", &[], "Doc_0/Document.xml");
    o.close("ofd:DocBody");
    o.close("ofd:OFD");

    parts.push(("OFD.xml".into(), o.finish()));
    parts.push(("Doc_0/Document.xml".into(), d.finish()));
    parts.push(("Doc_0/PublicRes.xml".into(), res.finish()));
    parts.push(("Doc_0/DocumentRes.xml".into(), docres.finish()));
    parts.extend(font_files);
    parts.extend(contents);
    zip_parts(parts)
}

/// One level of the outline: each entry jumps to the top of its page.
fn outline_level(x: &mut Xml, marks: &[Bookmark], page_ids: &[u32]) -> Result<(), String> {
    for mark in marks {
        let page = page_ids.get(mark.page).ok_or_else(|| {
            format!(
                "outline entry '{}' leads to page {}, past the end",
                mark.title,
                mark.page + 1
            )
        })?;
        x.open("ofd:OutlineElem", &[("Title", &mark.title)]);
        x.open("ofd:Actions", &[]);
        x.open("ofd:Action", &[("Event", "CLICK")]);
        x.open("ofd:Goto", &[]);
        let page = page.to_string();
        x.empty(
            "ofd:Dest",
            &[
                ("Type", "XYZ"),
                ("PageID", &page),
                ("Left", "0"),
                ("Top", "0"),
            ],
        );
        x.close("ofd:Goto");
        x.close("ofd:Action");
        x.close("ofd:Actions");
        outline_level(x, &mark.children, page_ids)?;
        x.close("ofd:OutlineElem");
    }
    Ok(())
}

/// Zips the parts in order, each deflated, with a fixed time and
/// permissions.
fn zip_parts(parts: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, String> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let fail = |e: String| format!("cannot pack the OFD: {e}");
    for (name, bytes) in parts {
        zip.start_file(name, options)
            .map_err(|e| fail(e.to_string()))?;
        zip.write_all(&bytes).map_err(|e| fail(e.to_string()))?;
    }
    Ok(zip.finish().map_err(|e| fail(e.to_string()))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.25");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(2.0004), "2");
        assert_eq!(mm(72.0), "25.4");
    }

    #[test]
    fn years_come_from_titles() {
        assert_eq!(year_in("广州市2025年部门预算").as_deref(), Some("2025"));
        assert_eq!(year_in("部门预算"), None);
        assert_eq!(year_in("12345年"), None);
    }

    #[test]
    fn font_names_drop_style_and_cut() {
        let book = FontBook::new(&Default::default(), &crate::profile::Fonts::default()).unwrap();
        let face = book.face(FaceId(0)).unwrap();
        assert_eq!(font_name(face), "NotoSerifSC");
    }
}
