//! Reading our PDFs back in the tests with lopdf (pure Rust, so the tests
//! need nothing installed): page texts through the fonts' ToUnicode maps,
//! the fonts and whether they are embedded subsets, document info, page
//! sizes, the outline. Where poppler-utils is installed, `poppler_text`
//! gives a second opinion from another reader.
#![allow(dead_code)]

use lopdf::{Dictionary, Document, Object, ObjectId};

/// Parses a PDF.
pub fn load(bytes: &[u8]) -> Document {
    Document::load_mem(bytes).expect("a PDF lopdf can read")
}

/// The text of each page, in page order.
pub fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = load(bytes);
    doc.get_pages()
        .keys()
        .map(|&n| doc.extract_text(&[n]).unwrap_or_default())
        .collect()
}

/// The text of the whole document.
pub fn text(bytes: &[u8]) -> String {
    page_texts(bytes).join("\n")
}

/// Text without any whitespace, for matching across line ends.
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// pdftotext's text of the PDF, when poppler-utils is installed.
pub fn poppler_text(bytes: &[u8]) -> Option<String> {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-pdftext-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, bytes).ok()?;
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .ok();
    let _ = std::fs::remove_file(&path);
    let out = out?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A font of the PDF.
#[derive(Debug, Clone)]
pub struct FontInfo {
    /// /BaseFont, with its subset tag ("SERIFR+NotoSerifSC-Regular").
    pub base_font: String,
    /// /Subtype of the font dictionary (Type0, TrueType …).
    pub subtype: String,
    /// The font program is embedded (FontFile, FontFile2 or FontFile3).
    pub embedded: bool,
    /// A /ToUnicode map is present.
    pub to_unicode: bool,
}

impl FontInfo {
    /// Whether the base font name carries a six-capital subset tag.
    pub fn is_subset(&self) -> bool {
        self.base_font
            .split_once('+')
            .is_some_and(|(tag, _)| tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()))
    }
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    match obj {
        Object::Reference(id) => doc.get_object(*id).ok(),
        other => Some(other),
    }
}

fn dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name(d: &Dictionary, key: &[u8]) -> String {
    d.get(key)
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// Every font dictionary that is not a descendant of another.
pub fn fonts(bytes: &[u8]) -> Vec<FontInfo> {
    let doc = load(bytes);
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Object::Dictionary(d) = obj else { continue };
        if name(d, b"Type") != "Font"
            || name(d, b"Subtype") == "CIDFontType2"
            || name(d, b"Subtype") == "CIDFontType0"
        {
            continue;
        }
        let descendant = d
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(&doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| dict(&doc, o));
        let descriptor_owner = descendant.unwrap_or(d);
        let embedded = descriptor_owner
            .get(b"FontDescriptor")
            .ok()
            .and_then(|o| dict(&doc, o))
            .is_some_and(|fd| fd.has(b"FontFile") || fd.has(b"FontFile2") || fd.has(b"FontFile3"));
        out.push(FontInfo {
            base_font: name(d, b"BaseFont"),
            subtype: name(d, b"Subtype"),
            embedded,
            to_unicode: d.has(b"ToUnicode"),
        });
    }
    out.sort_by(|a, b| a.base_font.cmp(&b.base_font));
    out
}

fn text_string(doc: &Document, obj: &Object) -> String {
    match deref(doc, obj) {
        Some(Object::String(bytes, _)) => {
            if bytes.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = bytes[2..]
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            }
        }
        _ => String::new(),
    }
}

/// Document information.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// /Title.
    pub title: String,
    /// /Author.
    pub author: String,
    /// /Subject.
    pub subject: String,
    /// /CreationDate as written ("D:20250301080000+00'00'").
    pub creation_date: String,
    /// Page count.
    pub pages: usize,
}

/// The /Info dictionary and the page count.
pub fn info(bytes: &[u8]) -> Info {
    let doc = load(bytes);
    let mut info = Info {
        pages: doc.get_pages().len(),
        ..Info::default()
    };
    if let Some(d) = doc.trailer.get(b"Info").ok().and_then(|o| dict(&doc, o)) {
        let get = |k: &[u8]| d.get(k).map(|o| text_string(&doc, o)).unwrap_or_default();
        info.title = get(b"Title");
        info.author = get(b"Author");
        info.subject = get(b"Subject");
        info.creation_date = get(b"CreationDate");
    }
    info
}

/// Width and height of each page's MediaBox, in points.
pub fn page_sizes(bytes: &[u8]) -> Vec<(f32, f32)> {
    let doc = load(bytes);
    doc.get_pages()
        .values()
        .map(|&id| media_box(&doc, id).unwrap_or((0.0, 0.0)))
        .collect()
}

fn media_box(doc: &Document, page: ObjectId) -> Option<(f32, f32)> {
    let mut d = doc.get_dictionary(page).ok()?;
    loop {
        if let Ok(mb) = d.get(b"MediaBox") {
            let a = deref(doc, mb)?.as_array().ok()?;
            let n: Vec<f32> = a
                .iter()
                .filter_map(|o| {
                    o.as_float()
                        .ok()
                        .or_else(|| o.as_i64().ok().map(|i| i as f32))
                })
                .collect();
            if n.len() == 4 {
                return Some((n[2] - n[0], n[3] - n[1]));
            }
            return None;
        }
        d = dict(doc, d.get(b"Parent").ok()?)?;
    }
}

/// The outline as (depth, title, one-based page number) in reading order.
pub fn outline(bytes: &[u8]) -> Vec<(usize, String, Option<usize>)> {
    let doc = load(bytes);
    let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let mut out = Vec::new();
    let Some(first) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Outlines").ok())
        .and_then(|o| dict(&doc, o))
        .and_then(|o| o.get(b"First").ok())
        .and_then(|o| o.as_reference().ok())
    else {
        return out;
    };
    walk(&doc, first, 0, &pages, &mut out);
    out
}

fn walk(
    doc: &Document,
    mut item: ObjectId,
    depth: usize,
    pages: &[ObjectId],
    out: &mut Vec<(usize, String, Option<usize>)>,
) {
    for _ in 0..10_000 {
        let Ok(d) = doc.get_dictionary(item) else {
            return;
        };
        let title = d
            .get(b"Title")
            .map(|o| text_string(doc, o))
            .unwrap_or_default();
        let dest = d
            .get(b"Dest")
            .ok()
            .or_else(|| {
                d.get(b"A")
                    .ok()
                    .and_then(|a| dict(doc, a))
                    .and_then(|a| a.get(b"D").ok())
            })
            .and_then(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| o.as_reference().ok())
            .and_then(|id| pages.iter().position(|p| *p == id))
            .map(|i| i + 1);
        out.push((depth, title, dest));
        if let Ok(child) = d.get(b"First").and_then(|o| o.as_reference()) {
            walk(doc, child, depth + 1, pages, out);
        }
        match d.get(b"Next").and_then(|o| o.as_reference()) {
            Ok(next) => item = next,
            Err(_) => return,
        }
    }
}

/// What one text-showing operator of a page draws: where (PDF user space,
/// y going up), at which size (the Tf size times the text matrix's scale)
/// and which characters (through the font's ToUnicode map).
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Page index, from 0.
    pub page: usize,
    /// Left end of the run.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Font size in points.
    pub size: f32,
    /// The characters.
    pub text: String,
}

fn number(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => 0.0,
    }
}

/// A TJ offset larger than this many thousandths of an em separates two
/// runs (kerning is far smaller).
const RUN_GAP: f32 = 100.0;

/// Every text run of the document, page by page, in drawing order.
pub fn text_runs(bytes: &[u8]) -> Vec<TextRun> {
    let doc = load(bytes);
    let mut out = Vec::new();
    for (page, (_, &id)) in doc.get_pages().iter().enumerate() {
        let fonts = doc.get_page_fonts(id).unwrap_or_default();
        let encodings: std::collections::BTreeMap<Vec<u8>, lopdf::Encoding> = fonts
            .iter()
            .filter_map(|(name, f)| Some((name.clone(), f.get_font_encoding(&doc).ok()?)))
            .collect();
        let Ok(content) = doc.get_and_decode_page_content(id) else {
            continue;
        };
        let (mut font, mut size) = (Vec::new(), 0.0f32);
        let (mut x, mut y, mut scale) = (0.0f32, 0.0f32, 1.0f32);
        for op in &content.operations {
            let o = &op.operands;
            match op.operator.as_str() {
                "Tf" if o.len() == 2 => {
                    font = o[0].as_name().map(<[u8]>::to_vec).unwrap_or_default();
                    size = number(&o[1]);
                }
                "Tm" if o.len() == 6 => {
                    let (a, b) = (number(&o[0]), number(&o[1]));
                    scale = (a * a + b * b).sqrt();
                    x = number(&o[4]);
                    y = number(&o[5]);
                }
                "Td" | "TD" if o.len() == 2 => {
                    x += number(&o[0]) * scale;
                    y += number(&o[1]) * scale;
                }
                "BT" => (x, y, scale) = (0.0, 0.0, 1.0),
                "Tj" | "TJ" | "'" | "\"" => {
                    // A TJ array may carry several runs of one line (the
                    // writer joins runs of a font on one baseline), apart
                    // by large negative offsets: each becomes a run.
                    let mut pieces: Vec<Vec<&[u8]>> = vec![Vec::new()];
                    for obj in o {
                        match obj {
                            Object::String(s, _) => pieces.last_mut().unwrap().push(s),
                            Object::Array(a) => {
                                for i in a {
                                    match i {
                                        Object::String(s, _) => pieces.last_mut().unwrap().push(s),
                                        other if number(other).abs() > RUN_GAP => {
                                            pieces.push(Vec::new())
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    for strings in pieces.into_iter().filter(|p| !p.is_empty()) {
                        let text: String = strings
                            .iter()
                            .filter_map(|s| {
                                let enc = encodings.get(&font)?;
                                Document::decode_text(enc, s).ok()
                            })
                            .collect();
                        out.push(TextRun {
                            page,
                            x,
                            y,
                            size: size * scale,
                            text,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A word pdftotext -bbox finds: its page (from 0), its box (PDF points,
/// y going down) and its text.
#[derive(Debug, Clone)]
pub struct Word {
    /// Page index.
    pub page: usize,
    /// xMin, yMin, xMax, yMax.
    pub bbox: [f32; 4],
    /// The characters.
    pub text: String,
}

/// The words pdftotext -bbox finds in a PDF, when poppler-utils is
/// installed.
pub fn poppler_words(pdf: &std::path::Path) -> Option<Vec<Word>> {
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let html = String::from_utf8_lossy(&out.stdout);
    let mut words = Vec::new();
    let mut page = 0usize;
    let mut seen_page = false;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            if seen_page {
                page += 1;
            }
            seen_page = true;
            continue;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let Some((attrs, tail)) = rest.split_once('>') else {
            continue;
        };
        let text = tail.trim_end_matches("</word>");
        let attr = |k: &str| -> f32 {
            attrs
                .split_whitespace()
                .find_map(|a| a.strip_prefix(&format!("{k}=\"")))
                .and_then(|v| v.trim_end_matches('"').parse().ok())
                .unwrap_or(0.0)
        };
        let text = text
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
        words.push(Word {
            page,
            bbox: [attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")],
            text,
        });
    }
    Some(words)
}
