//! Turns laid-out pages into a PDF with printpdf. Every position, size and
//! face comes from the layout; this only translates (top-left origin to
//! PDF's bottom-left) and fixes what printpdf would otherwise leave to
//! chance: font resource names, the trailer /ID and the dates.

use super::fonts::FontBook;
use super::layout::{DocumentLayout, Item, PageLayout, Rect};
use lopdf::{Object, StringFormat};
use printpdf::{
    Color, FontId, Mm, OffsetDateTime, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Pt, Rgb, TextItem, TextMatrix,
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
}

/// Millimetres per point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// Thickness of the outline of a missing-character box, in points.
const MISSING_BOX_RULE: f32 = 0.4;

/// Writes the pages as a PDF.
pub fn render(layout: &DocumentLayout, fonts: &FontBook, info: &Info) -> Result<Vec<u8>, String> {
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
    let used: BTreeSet<_> = layout
        .pages
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

    for page in &layout.pages {
        let ops = page_ops(page, fonts);
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
    compress_streams(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| format!("cannot serialise the PDF: {e}"))?;
    Ok(out)
}

/// zlib level for the PDF's streams. lopdf's own `compress` uses level 9,
/// whose match search took a quarter of a seed PDF's time. Measured on the
/// 200-file batch bench (CPU for 200 PDFs, seed PDF size): level 9 2.42 s
/// and 102.7 KB, level 6 2.02 s and 103.0 KB, level 1 1.67 s and 122.4 KB.
/// Level 1 buys a third more PDFs per second for a fifth more bytes.
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
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(Pt(run.x), Pt(h - run.baseline)),
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(run.text.clone())],
                });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}
