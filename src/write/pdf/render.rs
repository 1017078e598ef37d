//! Turns laid-out pages into a PDF. Every position, size and face comes
//! from the layout; this only translates (top-left origin to PDF's
//! bottom-left), writes the content streams and the fonts (subsets made by
//! [`super::subset`], fixed resource names) and assembles the objects
//! ([`super::object`]) in a fixed order, so the same pages give the same
//! bytes.

use super::fonts::{FaceId, FontBook};
use super::layout::{DocumentLayout, Item, PageLayout, Rect};
use super::object::{Dict, Id, Object, Pdf, Stream};
use super::subset::Program;
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
    let mut pdf = Pdf::new("1.7");
    let pages_id = pdf.reserve();

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
    let mut font_dict = Dict::new();
    let mut cid_fonts = Vec::new();
    for (id, chars) in used {
        let face = fonts
            .face(id)
            .ok_or_else(|| format!("the layout used a font ({}) the book does not have", id.0))?;
        let program = super::subset::program(face, chars.into_iter().collect())?;
        let (font, descriptor) = font_objects(&mut pdf, face, &program);
        font_dict.set(&face.resource_id, Object::Ref(font));
        cid_fonts.push(super::pdfa::CidFont {
            descriptor,
            glyphs: program.widths.len(),
        });
        programs.insert(id, program);
    }
    let resources = pdf.add(Dict::from_iter([("Font", Object::Dict(font_dict))]));

    let page_ids: Vec<Id> = pages.iter().map(|_| pdf.reserve()).collect();
    for (pi, (page, page_id)) in pages.iter().zip(&page_ids).enumerate() {
        let content = page_content(page, fonts, &programs);
        let content_id = pdf.add(Stream::deflated(Dict::new(), content, DEFLATE_LEVEL));
        let mut annots = Vec::new();
        for link in nav.links.iter().filter(|l| l.page == pi) {
            let (Some(target), Some(target_id)) =
                (pages.get(link.target), page_ids.get(link.target))
            else {
                continue;
            };
            let r = &link.rect;
            annots.push(Object::Dict(Dict::from_iter([
                ("Type", Object::name("Annot")),
                ("Subtype", Object::name("Link")),
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
                    Object::Dict(Dict::from_iter([
                        ("S", Object::name("GoTo")),
                        (
                            "D",
                            Object::Array(vec![
                                Object::Ref(*target_id),
                                Object::name("XYZ"),
                                0.into(),
                                Object::Real(target.height),
                                Object::Null,
                            ]),
                        ),
                    ])),
                ),
            ])));
        }
        let mut d = Dict::from_iter([
            ("Type", Object::name("Page")),
            ("Parent", Object::Ref(pages_id)),
            (
                "MediaBox",
                Object::Array(vec![
                    0.into(),
                    0.into(),
                    Object::Real(page.width),
                    Object::Real(page.height),
                ]),
            ),
            ("Resources", Object::Ref(resources)),
            ("Contents", Object::Ref(content_id)),
        ]);
        if !annots.is_empty() {
            d.set("Annots", Object::Array(annots));
        }
        pdf.set(*page_id, d);
    }
    pdf.set(
        pages_id,
        Dict::from_iter([
            ("Type", Object::name("Pages")),
            (
                "Kids",
                Object::Array(page_ids.iter().map(|id| Object::Ref(*id)).collect()),
            ),
            ("Count", Object::Integer(page_ids.len() as i64)),
        ]),
    );
    let catalog = pdf.add(Dict::from_iter([
        ("Type", Object::name("Catalog")),
        ("Pages", Object::Ref(pages_id)),
    ]));
    pdf.trailer.set("Root", Object::Ref(catalog));
    let mut meta = Dict::new();
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
    meta.set("CreationDate", Object::literal(&date));
    meta.set("ModDate", Object::literal(&date));
    let meta_id = pdf.add(meta);
    pdf.trailer.set("Info", Object::Ref(meta_id));
    let id = Object::Hex(info.id.to_vec());
    pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    if !nav.outline.is_empty() {
        write_outline(&mut pdf, &nav.outline, &page_ids, pages)?;
    }
    if !nav.labels.is_empty() {
        write_labels(&mut pdf, &nav.labels)?;
    }
    if info.pdfa {
        super::pdfa::conform(&mut pdf, info, &cid_fonts)?;
    }
    Ok(pdf.save())
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
/// font file and ToUnicode map; returns the ids of the Type0 font and of
/// the descriptor.
fn font_objects(pdf: &mut Pdf, face: &super::fonts::Face, p: &Program) -> (Id, Id) {
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
    let base = Object::Name(format!("{tag}+{}", face.ps_name));
    let file = Stream::new(
        Dict::from_iter([
            ("Length1", Object::Integer(p.raw_len as i64)),
            ("Filter", Object::name("FlateDecode")),
        ]),
        p.deflated.clone(),
    );
    let file_id = pdf.add(file);
    let descriptor = pdf.add(Dict::from_iter([
        ("Type", Object::name("FontDescriptor")),
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
        ("FontFile2", Object::Ref(file_id)),
    ]));
    let cid_font = pdf.add(Dict::from_iter([
        ("Type", Object::name("Font")),
        ("Subtype", Object::name("CIDFontType2")),
        ("BaseFont", base.clone()),
        (
            "CIDSystemInfo",
            Object::Dict(Dict::from_iter([
                ("Registry", Object::literal("Adobe")),
                ("Ordering", Object::literal("Identity")),
                ("Supplement", 0.into()),
            ])),
        ),
        ("FontDescriptor", Object::Ref(descriptor)),
        ("DW", Object::Integer(DEFAULT_WIDTH)),
        ("W", widths(&p.widths)),
        ("CIDToGIDMap", Object::name("Identity")),
    ]));
    let cmap = Stream::new(
        Dict::from_iter([("Filter", Object::name("FlateDecode"))]),
        p.to_unicode.clone(),
    );
    let cmap_id = pdf.add(cmap);
    let font = pdf.add(Dict::from_iter([
        ("Type", Object::name("Font")),
        ("Subtype", Object::name("Type0")),
        ("BaseFont", base),
        ("Encoding", Object::name("Identity-H")),
        (
            "DescendantFonts",
            Object::Array(vec![Object::Ref(cid_font)]),
        ),
        ("ToUnicode", Object::Ref(cmap_id)),
    ]));
    (font, descriptor)
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

/// zlib level for the content streams (the font programs are deflated
/// once per subset, at level 9).
const DEFLATE_LEVEL: u32 = 6;

/// A text string as PDF text: UTF-16BE with its byte order mark.
pub(crate) fn pdf_text(s: &str) -> Object {
    let mut v = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    Object::Hex(v)
}

/// Writes the outline: each bookmark
/// leads to the top of its page, open so every level shows.
fn write_outline(
    pdf: &mut Pdf,
    outline: &[Bookmark],
    page_ids: &[Id],
    pages: &[PageLayout],
) -> Result<(), String> {
    let root = pdf.reserve();
    let count = outline_level(pdf, outline, root, page_ids, pages)?;
    let mut r = Dict::new();
    r.set("Type", Object::name("Outlines"));
    if let (Some(first), Some(last)) = count.1 {
        r.set("First", Object::Ref(first));
        r.set("Last", Object::Ref(last));
    }
    r.set("Count", Object::Integer(count.0));
    pdf.set(root, r);
    let cat = pdf.catalog_mut()?;
    cat.set("Outlines", Object::Ref(root));
    cat.set("PageMode", Object::name("UseOutlines"));
    Ok(())
}

/// Writes the page labels, so a viewer's page box shows the numbers the
/// pages print.
fn write_labels(pdf: &mut Pdf, labels: &[(usize, Label)]) -> Result<(), String> {
    let mut nums = Vec::with_capacity(labels.len() * 2);
    for (page, label) in labels {
        let mut d = Dict::new();
        match label {
            Label::Named(name) => d.set("P", pdf_text(name)),
            Label::Numbers => {
                d.set("S", Object::name("D"));
                d.set("St", Object::Integer(1));
            }
        }
        nums.push(Object::Integer(i64::try_from(*page).unwrap_or(i64::MAX)));
        nums.push(Object::Dict(d));
    }
    let mut tree = Dict::new();
    tree.set("Nums", Object::Array(nums));
    pdf.catalog_mut()?.set("PageLabels", tree);
    Ok(())
}

/// First and last bookmark objects of a level.
type Ends = (Option<Id>, Option<Id>);

/// Writes one level of bookmarks under `parent`; returns how many
/// bookmarks it shows (all levels, as every level is open) and its ends.
fn outline_level(
    pdf: &mut Pdf,
    marks: &[Bookmark],
    parent: Id,
    page_ids: &[Id],
    pages: &[PageLayout],
) -> Result<(i64, Ends), String> {
    let ids: Vec<Id> = marks.iter().map(|_| pdf.reserve()).collect();
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
        let mut d = Dict::new();
        d.set("Title", pdf_text(&mark.title));
        d.set("Parent", Object::Ref(parent));
        d.set(
            "Dest",
            Object::Array(vec![
                Object::Ref(page),
                Object::name("XYZ"),
                Object::Real(0.0),
                Object::Real(top),
                Object::Null,
            ]),
        );
        if let Some(prev) = i.checked_sub(1).and_then(|p| ids.get(p)) {
            d.set("Prev", Object::Ref(*prev));
        }
        if let Some(next) = ids.get(i + 1) {
            d.set("Next", Object::Ref(*next));
        }
        let (below, (first, last)) = outline_level(pdf, &mark.children, *id, page_ids, pages)?;
        if let (Some(first), Some(last)) = (first, last) {
            d.set("First", Object::Ref(first));
            d.set("Last", Object::Ref(last));
            // Positive: open.
            d.set("Count", Object::Integer(below));
        }
        pdf.set(*id, d);
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
