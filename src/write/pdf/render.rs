//! Turns laid-out pages into a PDF. Every position, size and face comes
//! from the layout; this only translates (top-left origin to PDF's
//! bottom-left), writes the content streams and the fonts (subsets made by
//! [`super::subset`], fixed resource names) and assembles the objects with
//! lopdf, in a fixed order, so the same pages give the same bytes.

use super::fonts::{FaceId, FontBook};
use super::layout::{DocumentLayout, Item, PageLayout, Rect};
use super::subset::Program;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Document information written into /Info.
#[derive(Debug, Clone)]
pub struct Info {
    /// /Title.
    pub title: String,
    /// /Author: the department.
    pub author: String,
    /// /Subject.
    pub subject: String,
    /// Creation and modification time, Unix seconds.
    pub created: i64,
    /// Sixteen bytes naming the document in the trailer /ID.
    pub id: [u8; 16],
    /// Written as PDF/A-2u ([`super::pdfa`]).
    pub pdfa: bool,
}

/// A jump from a rectangle on one page to the top of another (a 目录
/// line to its chapter).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Index of the page the rectangle is on.
    pub page: usize,
    /// Where the reader clicks, top-left origin.
    pub rect: Rect,
    /// Index of the page it leads to.
    pub target: usize,
}

/// A bookmark of the PDF outline, with the bookmarks nested under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bookmark {
    /// What the reader sees.
    pub title: String,
    /// Index of the page it leads to.
    pub page: usize,
    /// Bookmarks one level down.
    pub children: Vec<Bookmark>,
}

/// How a viewer names pages from a given page on.
#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    /// Every page with this name (封面, 目录).
    Named(String),
    /// Decimal numbers from 1.
    Numbers,
}

/// What a PDF has besides its pages: links between pages, the outline and
/// the page labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// Links between pages.
    pub links: Vec<Link>,
    /// The outline's top-level bookmarks.
    pub outline: Vec<Bookmark>,
    /// Page labels: from page index `.0` on, pages are named by `.1`.
    pub labels: Vec<(usize, Label)>,
}

/// Slant of emphasised text: the tangent of 12°, the angle of a typical
/// oblique face.
const SLANT: f32 = 0.2126;

/// Thickness of the outline of a missing-character box, in points.
const MISSING_BOX_RULE: f32 = 0.4;

/// Writes the pages as a PDF.
pub fn render(layout: &DocumentLayout, fonts: &FontBook, info: &Info) -> Result<Vec<u8>, String> {
    render_pages(&layout.pages, fonts, info, &Navigation::default())
}

/// Writes pages (of any sizes) as a PDF with links and an outline.
pub fn render_pages(
    pages: &[PageLayout],
    fonts: &FontBook,
    info: &Info,
    nav: &Navigation,
) -> Result<Vec<u8>, String> {
    let mut lo = lopdf::Document::with_version("1.7");
    let pages_id = lo.new_object_id();

    // The characters each face draws, and its subset.
    let mut used: BTreeMap<FaceId, BTreeMap<char, u16>> = BTreeMap::new();
    for run in pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
    {
        let face = fonts.face(run.face).ok_or_else(|| {
            format!(
                "the layout used a font ({}) the book does not have",
                run.face.0
            )
        })?;
        let chars = used.entry(run.face).or_default();
        for ch in run.text.chars() {
            if let Some(g) = face.glyph(ch) {
                chars.entry(ch).or_insert(g);
            }
        }
    }
    let mut programs: BTreeMap<FaceId, Arc<Program>> = BTreeMap::new();
    let mut font_dict = Dictionary::new();
    for (id, chars) in used {
        let face = fonts
            .face(id)
            .ok_or_else(|| format!("the layout used a font ({}) the book does not have", id.0))?;
        let program = super::subset::program(face, chars.into_iter().collect())?;
        let font = font_objects(&mut lo, face, &program);
        font_dict.set(face.resource_id.clone(), Object::Reference(font));
        programs.insert(id, program);
    }
    let resources = lo.add_object(Dictionary::from_iter(vec![(
        "Font",
        Object::Dictionary(font_dict),
    )]));

    let page_ids: Vec<ObjectId> = pages.iter().map(|_| lo.new_object_id()).collect();
    for (pi, (page, page_id)) in pages.iter().zip(&page_ids).enumerate() {
        let content = page_content(page, fonts, &programs);
        let mut stream = Stream::new(Dictionary::new(), content);
        stream.allows_compression = true;
        let content_id = lo.add_object(stream);
        let mut annots = Vec::new();
        for link in nav.links.iter().filter(|l| l.page == pi) {
            let (Some(target), Some(target_id)) =
                (pages.get(link.target), page_ids.get(link.target))
            else {
                continue;
            };
            let r = &link.rect;
            annots.push(Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Annot".to_vec())),
                ("Subtype", Object::Name(b"Link".to_vec())),
                (
                    "Rect",
                    Object::Array(vec![
                        Object::Real(r.x),
                        Object::Real(page.height - r.bottom()),
                        Object::Real(r.x + r.w),
                        Object::Real(page.height - r.bottom() + r.h),
                    ]),
                ),
                // No border, no colour: the 目录 looks the same.
                ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
                (
                    "A",
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("S", Object::Name(b"GoTo".to_vec())),
                        (
                            "D",
                            Object::Array(vec![
                                Object::Reference(*target_id),
                                Object::Name(b"XYZ".to_vec()),
                                0.into(),
                                Object::Real(target.height),
                                Object::Null,
                            ]),
                        ),
                    ])),
                ),
            ])));
        }
        let mut d = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            (
                "MediaBox",
                Object::Array(vec![
                    0.into(),
                    0.into(),
                    Object::Real(page.width),
                    Object::Real(page.height),
                ]),
            ),
            ("Resources", Object::Reference(resources)),
            ("Contents", Object::Reference(content_id)),
        ]);
        if !annots.is_empty() {
            d.set("Annots", Object::Array(annots));
        }
        lo.objects.insert(*page_id, Object::Dictionary(d));
    }
    lo.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            (
                "Kids",
                Object::Array(page_ids.iter().map(|id| Object::Reference(*id)).collect()),
            ),
            ("Count", Object::Integer(page_ids.len() as i64)),
        ])),
    );
    let catalog = lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ]));
    lo.trailer.set("Root", Object::Reference(catalog));
    let mut meta = Dictionary::new();
    meta.set("Title", pdf_text(&info.title));
    if !info.author.is_empty() {
        meta.set("Author", pdf_text(&info.author));
    }
    meta.set("Subject", pdf_text(&info.subject));
    meta.set("Creator", pdf_text("gongkai"));
    meta.set(
        "Producer",
        pdf_text(&format!("gongkai {}", env!("CARGO_PKG_VERSION"))),
    );
    let date = pdf_date(info.created);
    meta.set("CreationDate", Object::string_literal(date.clone()));
    meta.set("ModDate", Object::string_literal(date));
    let meta_id = lo.add_object(meta);
    lo.trailer.set("Info", Object::Reference(meta_id));
    let id = Object::String(info.id.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    if !nav.outline.is_empty() {
        write_outline(&mut lo, &nav.outline, pages)?;
    }
    if !nav.labels.is_empty() {
        write_labels(&mut lo, &nav.labels)?;
    }
    if info.pdfa {
        super::pdfa::conform(&mut lo, info)?;
    }
    compress_streams(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| format!("cannot serialise the PDF: {e}"))?;
    Ok(out)
}

/// `D:YYYYMMDDHHmmSS+00'00'` of a Unix time.
fn pdf_date(unix: i64) -> String {
    let c = crate::time::civil_from_unix(unix);
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// The Type0 font of a face's subset, with its CIDFontType2, descriptor,
/// font file and ToUnicode map; returns the Type0 font's id.
fn font_objects(lo: &mut lopdf::Document, face: &super::fonts::Face, p: &Program) -> ObjectId {
    let t = &face.tables;
    let upem = f32::from(t.units_per_em);
    let em = |v: i16| Object::Integer((f32::from(v) * 1000.0 / upem).round() as i64);
    let tag: String = face
        .resource_id
        .chars()
        .filter(char::is_ascii_uppercase)
        .chain(std::iter::repeat('A'))
        .take(6)
        .collect();
    let base = Object::Name(format!("{tag}+{}", face.ps_name).into_bytes());
    let mut file = Stream::new(
        Dictionary::from_iter(vec![
            ("Length1", Object::Integer(p.raw_len as i64)),
            ("Filter", Object::Name(b"FlateDecode".to_vec())),
        ]),
        p.deflated.clone(),
    );
    file.allows_compression = false;
    let file_id = lo.add_object(file);
    let descriptor = lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("FontName", base.clone()),
        ("Flags", Object::Integer(4)),
        (
            "FontBBox",
            Object::Array(t.bbox.iter().map(|v| em(*v)).collect()),
        ),
        ("ItalicAngle", 0.into()),
        ("Ascent", em(t.ascent)),
        ("Descent", em(t.descent)),
        ("CapHeight", em(t.ascent)),
        ("StemV", 80.into()),
        ("FontFile2", Object::Reference(file_id)),
    ]));
    let cid_font = lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"CIDFontType2".to_vec())),
        ("BaseFont", base.clone()),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::string_literal("Adobe")),
                ("Ordering", Object::string_literal("Identity")),
                ("Supplement", 0.into()),
            ])),
        ),
        ("FontDescriptor", Object::Reference(descriptor)),
        ("DW", Object::Integer(DEFAULT_WIDTH)),
        ("W", widths(&p.widths)),
        ("CIDToGIDMap", Object::Name(b"Identity".to_vec())),
    ]));
    let mut cmap = Stream::new(
        Dictionary::from_iter(vec![("Filter", Object::Name(b"FlateDecode".to_vec()))]),
        p.to_unicode.clone(),
    );
    cmap.allows_compression = false;
    let cmap_id = lo.add_object(cmap);
    lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", base),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Reference(cid_font)]),
        ),
        ("ToUnicode", Object::Reference(cmap_id)),
    ]))
}

/// Width of the CIDs /W leaves out: a full em, what CJK glyphs have.
const DEFAULT_WIDTH: i64 = 1000;

/// /W: runs of CIDs whose width is not the default, `first [w …]`.
fn widths(w: &[i64]) -> Object {
    let mut out = Vec::new();
    let mut cid = 0;
    while cid < w.len() {
        if w[cid] == DEFAULT_WIDTH {
            cid += 1;
            continue;
        }
        let start = cid;
        while cid < w.len() && w[cid] != DEFAULT_WIDTH {
            cid += 1;
        }
        out.push(Object::Integer(start as i64));
        out.push(Object::Array(
            w[start..cid].iter().map(|v| Object::Integer(*v)).collect(),
        ));
    }
    Object::Array(out)
}

/// zlib level for the content streams and the other small streams the
/// font programs (deflated once per subset at level 9) are not.
const DEFLATE_LEVEL: u32 = 6;

/// Deflates every stream that may be compressed and is not yet.
fn compress_streams(lo: &mut lopdf::Document) {
    use std::io::Write;
    let level = flate2::Compression::new(DEFLATE_LEVEL);
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), level);
            if enc.write_all(&stream.content).is_ok()
                && let Ok(packed) = enc.finish()
                && packed.len() + 19 < stream.content.len()
            {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
}

/// A text string as PDF text: UTF-16BE with its byte order mark.
fn pdf_text(s: &str) -> Object {
    let mut v = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(v, StringFormat::Hexadecimal)
}

/// Writes the outline: each bookmark
/// leads to the top of its page, open so every level shows.
fn write_outline(
    lo: &mut lopdf::Document,
    outline: &[Bookmark],
    pages: &[PageLayout],
) -> Result<(), String> {
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let root = lo.new_object_id();
    let count = outline_level(lo, outline, root, &page_ids, pages)?;
    let mut r = Dictionary::new();
    r.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = count.1 {
        r.set("First", Object::Reference(first));
        r.set("Last", Object::Reference(last));
    }
    r.set("Count", Object::Integer(count.0));
    lo.objects.insert(root, Object::Dictionary(r));
    let cat = lo
        .catalog_mut()
        .map_err(|e| format!("cannot reach the PDF catalog: {e}"))?;
    cat.set("Outlines", Object::Reference(root));
    cat.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// Writes the page labels, so a viewer's page box shows the numbers the
/// pages print.
fn write_labels(lo: &mut lopdf::Document, labels: &[(usize, Label)]) -> Result<(), String> {
    let mut nums = Vec::with_capacity(labels.len() * 2);
    for (page, label) in labels {
        let mut d = Dictionary::new();
        match label {
            Label::Named(name) => d.set("P", pdf_text(name)),
            Label::Numbers => {
                d.set("S", Object::Name(b"D".to_vec()));
                d.set("St", Object::Integer(1));
            }
        }
        nums.push(Object::Integer(i64::try_from(*page).unwrap_or(i64::MAX)));
        nums.push(Object::Dictionary(d));
    }
    let mut tree = Dictionary::new();
    tree.set("Nums", Object::Array(nums));
    let cat = lo
        .catalog_mut()
        .map_err(|e| format!("cannot reach the PDF catalog: {e}"))?;
    cat.set("PageLabels", Object::Dictionary(tree));
    Ok(())
}

/// First and last bookmark objects of a level.
type Ends = (Option<ObjectId>, Option<ObjectId>);

/// Writes one level of bookmarks under `parent`; returns how many
/// bookmarks it shows (all levels, as every level is open) and its ends.
fn outline_level(
    lo: &mut lopdf::Document,
    marks: &[Bookmark],
    parent: ObjectId,
    page_ids: &[ObjectId],
    pages: &[PageLayout],
) -> Result<(i64, Ends), String> {
    let ids: Vec<ObjectId> = marks.iter().map(|_| lo.new_object_id()).collect();
    let mut shown = 0;
    for (i, (mark, id)) in marks.iter().zip(&ids).enumerate() {
        let page = page_ids.get(mark.page).copied().ok_or_else(|| {
            format!(
                "bookmark '{}' leads to page {}, past the end",
                mark.title,
                mark.page + 1
            )
        })?;
        let top = pages.get(mark.page).map_or(0.0, |p| p.height);
        let mut d = Dictionary::new();
        d.set("Title", pdf_text(&mark.title));
        d.set("Parent", Object::Reference(parent));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page),
                "XYZ".into(),
                Object::Real(0.0),
                Object::Real(top),
                Object::Null,
            ]),
        );
        if let Some(prev) = i.checked_sub(1).and_then(|p| ids.get(p)) {
            d.set("Prev", Object::Reference(*prev));
        }
        if let Some(next) = ids.get(i + 1) {
            d.set("Next", Object::Reference(*next));
        }
        let (below, (first, last)) = outline_level(lo, &mark.children, *id, page_ids, pages)?;
        if let (Some(first), Some(last)) = (first, last) {
            d.set("First", Object::Reference(first));
            d.set("Last", Object::Reference(last));
            // Positive: open.
            d.set("Count", Object::Integer(below));
        }
        lo.objects.insert(*id, Object::Dictionary(d));
        shown += 1 + below;
    }
    Ok((shown, (ids.first().copied(), ids.last().copied())))
}

/// A content stream being written.
struct Content(Vec<u8>);

impl Content {
    /// A number with at most three decimals, no trailing zeros.
    fn num(&mut self, v: f32) {
        let milli = (f64::from(v) * 1000.0).round() as i64;
        if milli < 0 {
            self.0.push(b'-');
        }
        let m = milli.unsigned_abs();
        let _ = write!(self.0, "{}", m / 1000);
        let frac = m % 1000;
        if frac != 0 {
            // Three digits written in place, their trailing zeros dropped
            // (no string made for each of a page's numbers).
            let _ = write!(self.0, ".{frac:03}");
            while self.0.last() == Some(&b'0') {
                self.0.pop();
            }
        }
        self.0.push(b' ');
    }

    fn op(&mut self, op: &str) {
        self.0.extend_from_slice(op.as_bytes());
        self.0.push(b'\n');
    }

    fn rect(&mut self, r: &Rect, page_h: f32, op: &str) {
        self.num(r.x);
        self.num(page_h - r.bottom());
        self.num(r.w);
        self.num(r.h);
        self.0.extend_from_slice(b"re ");
        self.op(op);
    }

    fn gray(&mut self, g: f32) {
        self.num(g);
        self.num(g);
        self.num(g);
        self.op("rg");
    }
}

use std::io::Write as _;

/// The content stream of one page, in the layout's order.
fn page_content(
    page: &PageLayout,
    fonts: &FontBook,
    programs: &BTreeMap<FaceId, Arc<Program>>,
) -> Vec<u8> {
    let h = page.height;
    let mut c = Content(Vec::with_capacity(page.items.len() * 40));
    let mut stroke: Option<f32> = None;
    let mut fill_gray: Option<f32> = None;
    let mut in_text = false;
    let mut font: Option<(usize, f32)> = None;
    // Character spacing is text state: it lasts across text sections.
    let mut spacing = 0.0;
    for item in &page.items {
        if !matches!(item, Item::Text(_)) && in_text {
            c.op("ET");
            in_text = false;
            font = None;
        }
        match item {
            Item::Fill { rect, gray: g } => {
                if fill_gray != Some(*g) {
                    c.gray(*g);
                    fill_gray = Some(*g);
                }
                c.rect(rect, h, "f");
            }
            Item::Frame { rect, width } => {
                if stroke != Some(*width) {
                    c.num(*width);
                    c.op("w");
                    stroke = Some(*width);
                }
                c.rect(rect, h, "S");
            }
            Item::MissingGlyph { rect } => {
                if stroke != Some(MISSING_BOX_RULE) {
                    c.num(MISSING_BOX_RULE);
                    c.op("w");
                    stroke = Some(MISSING_BOX_RULE);
                }
                c.rect(rect, h, "S");
            }
            Item::Text(run) => {
                let (Some(face), Some(program)) = (fonts.face(run.face), programs.get(&run.face))
                else {
                    continue;
                };
                if !in_text {
                    if fill_gray != Some(0.0) {
                        c.gray(0.0);
                        fill_gray = Some(0.0);
                    }
                    c.op("BT");
                    in_text = true;
                }
                if font != Some((run.face.0, run.size)) {
                    c.0.push(b'/');
                    c.0.extend_from_slice(face.resource_id.as_bytes());
                    c.0.push(b' ');
                    c.num(run.size);
                    c.op("Tf");
                    font = Some((run.face.0, run.size));
                }
                if run.spacing != spacing {
                    c.num(run.spacing);
                    c.op("Tc");
                    spacing = run.spacing;
                }
                c.0.extend_from_slice(b"1 0 ");
                c.num(if run.slant { SLANT } else { 0.0 });
                c.0.extend_from_slice(b"1 ");
                c.num(run.x);
                c.num(h - run.baseline);
                c.op("Tm");
                c.0.push(b'<');
                for ch in run.text.chars() {
                    let cid = face.glyph(ch).map_or(0, |g| program.cid(g));
                    let _ = write!(c.0, "{cid:04X}");
                }
                c.0.extend_from_slice(b"> ");
                c.op("Tj");
            }
        }
    }
    if in_text {
        c.op("ET");
    }
    c.0
}
