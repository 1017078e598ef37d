//! Turns laid-out pages into a PDF with printpdf. Every position, size and
//! face comes from the layout; this only translates (top-left origin to
//! PDF's bottom-left) and fixes what printpdf would otherwise leave to
//! chance: font resource names, the trailer /ID and the dates.

use super::fonts::FontBook;
use super::layout::{DocumentLayout, Item, PageLayout, Rect};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, Color, ColorArray, Destination, FontId, LinkAnnotation, Mm,
    OffsetDateTime, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions,
    Pt, Rgb, TextItem, TextMatrix,
};
use std::collections::BTreeSet;

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

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

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
    let mut doc = PdfDocument::new(&info.title);
    let when = OffsetDateTime::from_unix_timestamp(info.created)
        .or_else(|_| OffsetDateTime::from_unix_timestamp(crate::time::FALLBACK_EPOCH))
        .map_err(|e| format!("cannot date the document: {e}"))?;
    let meta = &mut doc.metadata.info;
    meta.author = info.author.clone();
    meta.subject = info.subject.clone();
    meta.creator = "gongkai".into();
    meta.producer = format!("gongkai {} (printpdf)", env!("CARGO_PKG_VERSION"));
    meta.creation_date = when;
    meta.modification_date = when;
    meta.metadata_date = when;

    // Fonts under fixed resource names (printpdf's add_font draws them from
    // a process-wide counter), only the faces some page uses.
    let used: BTreeSet<_> = pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            Item::Text(run) => Some(run.face),
            _ => None,
        })
        .collect();
    for id in &used {
        let face = fonts
            .face(*id)
            .ok_or_else(|| format!("the layout used a font ({}) the book does not have", id.0))?;
        doc.resources.fonts.map.insert(
            FontId(face.resource_id.clone()),
            PdfFont::new(face.parsed().clone()),
        );
    }

    for (pi, page) in pages.iter().enumerate() {
        let mut ops = page_ops(page, fonts);
        for link in nav.links.iter().filter(|l| l.page == pi) {
            let Some(target) = pages.get(link.target) else {
                continue;
            };
            ops.push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    printpdf::Rect {
                        x: Pt(link.rect.x),
                        y: Pt(page.height - link.rect.bottom()),
                        width: Pt(link.rect.w),
                        height: Pt(link.rect.h),
                        mode: None,
                        winding_order: None,
                    },
                    Actions::Goto(Destination::Xyz {
                        page: link.target + 1,
                        left: Some(0.0),
                        top: Some(target.height),
                        zoom: None,
                    }),
                    // No border, no colour: the 目录 looks the same.
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    Some(ColorArray::Transparent),
                    None,
                ),
            });
        }
        doc.pages.push(PdfPage::new(
            Mm(page.width * MM_PER_PT),
            Mm(page.height * MM_PER_PT),
            ops,
        ));
    }

    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    let id = Object::String(info.id.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    tidy_info(&mut lo);
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

/// zlib level for the PDF's streams. lopdf's own `compress` uses level 9.
/// Measured on the 200-file batch bench with the common-character fonts
/// (wall time for 200 PDFs with --jobs 2, seed PDF size): level 6 0.88 s
/// and 102.9 KB, level 1 0.62 s and 122.3 KB. Level 1 keeps the batch well
/// above 200 PDFs a second for a fifth more bytes.
const DEFLATE_LEVEL: u32 = 1;

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

/// printpdf writes an empty /GTS_PDFXVersion (readers then call the file
/// PDF/X), an empty /Identifier and empty /Keywords; drop them.
fn tidy_info(lo: &mut lopdf::Document) {
    if let Ok(Object::Reference(info_id)) = lo.trailer.get(b"Info").cloned()
        && let Ok(info) = lo.get_dictionary_mut(info_id)
    {
        info.remove(b"GTS_PDFXVersion");
        for key in [&b"Identifier"[..], b"Keywords"] {
            // An empty Keywords is UTF-16's byte order mark alone.
            if matches!(info.get(key), Ok(Object::String(s, _)) if s.is_empty() || s == b"\xFE\xFF")
            {
                info.remove(key);
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

/// Writes the outline (printpdf only makes a flat one): each bookmark
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

fn gray(g: f32) -> Color {
    Color::Rgb(Rgb::new(g, g, g, None))
}

fn rect_op(r: &Rect, page_h: f32, mode: PaintMode) -> Op {
    Op::DrawRectangle {
        rectangle: printpdf::Rect {
            x: Pt(r.x),
            y: Pt(page_h - r.bottom()),
            width: Pt(r.w),
            height: Pt(r.h),
            mode: Some(mode),
            winding_order: None,
        },
    }
}

/// The operations of one page, in the layout's order.
fn page_ops(page: &PageLayout, fonts: &FontBook) -> Vec<Op> {
    let h = page.height;
    let mut ops = Vec::with_capacity(page.items.len() * 3);
    let mut stroke: Option<f32> = None;
    let mut fill_gray: Option<f32> = None;
    let mut in_text = false;
    let mut font: Option<(usize, f32)> = None;
    // Character spacing is text state: it lasts across text sections.
    let mut spacing = 0.0;
    for item in &page.items {
        if !matches!(item, Item::Text(_)) && in_text {
            ops.push(Op::EndTextSection);
            in_text = false;
            font = None;
        }
        match item {
            Item::Fill { rect, gray: g } => {
                if fill_gray != Some(*g) {
                    ops.push(Op::SetFillColor { col: gray(*g) });
                    fill_gray = Some(*g);
                }
                ops.push(rect_op(rect, h, PaintMode::Fill));
            }
            Item::Frame { rect, width } => {
                if stroke != Some(*width) {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    stroke = Some(*width);
                }
                ops.push(rect_op(rect, h, PaintMode::Stroke));
            }
            Item::MissingGlyph { rect } => {
                if stroke != Some(MISSING_BOX_RULE) {
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(MISSING_BOX_RULE),
                    });
                    stroke = Some(MISSING_BOX_RULE);
                }
                ops.push(rect_op(rect, h, PaintMode::Stroke));
            }
            Item::Text(run) => {
                let Some(face) = fonts.face(run.face) else {
                    continue;
                };
                if !in_text {
                    if fill_gray != Some(0.0) {
                        ops.push(Op::SetFillColor { col: gray(0.0) });
                        fill_gray = Some(0.0);
                    }
                    ops.push(Op::StartTextSection);
                    in_text = true;
                }
                if font != Some((run.face.0, run.size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(FontId(face.resource_id.clone())),
                        size: Pt(run.size),
                    });
                    font = Some((run.face.0, run.size));
                }
                if run.spacing != spacing {
                    ops.push(Op::SetCharacterSpacing {
                        multiplier: run.spacing,
                    });
                    spacing = run.spacing;
                }
                let matrix = if run.slant {
                    TextMatrix::Raw([1.0, 0.0, SLANT, 1.0, run.x, h - run.baseline])
                } else {
                    TextMatrix::Translate(Pt(run.x), Pt(h - run.baseline))
                };
                ops.push(Op::SetTextMatrix { matrix });
                // Glyph ids straight from the font book, each with its text
                // for the ToUnicode map: printpdf need not look every
                // character up in the font's cmap again.
                let glyphs = run
                    .text
                    .chars()
                    .map(|ch| Codepoint {
                        gid: face.glyph(ch).unwrap_or(0),
                        offset: 0.0,
                        cid: Some(ch.to_string()),
                    })
                    .collect();
                ops.push(Op::ShowText {
                    items: vec![TextItem::GlyphIds(glyphs)],
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}
