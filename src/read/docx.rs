//! Word documents (.docx): paragraphs and tables of the main document part.
//!
//! The package is opened through [`crate::read::package`], which checks
//! every part's declared size before anything is inflated and bounds what
//! is read, so a zip bomb or a truncated file is an error before any large
//! allocation. `word/document.xml` is then read as a stream of XML
//! events (quick-xml), not through docx-rs's reader: that reader drops
//! `w:tblHeader`, `w:noBreakHyphen` and `w:softHyphen`, and panics on
//! some damaged packages (it unwraps the inflation of every part), while a
//! direct walk keeps every character and never panics.
//!
//! Layout of the result: paragraphs before the first table are that table's
//! `before` lines; paragraphs between two tables are split at a page break
//! when there is one, else the run of caption-like paragraphs (centred,
//! bold, headings, key：value lines) just above the next table goes to it and
//! the rest are notes of the previous one; paragraphs after the last table
//! are its notes. Each Word table becomes one raw grid with gridSpan and
//! vMerge turned into [`Merge`]s and leading `w:tblHeader` rows counted.

use super::package::Package;
use super::{
    Locator, Merge, RawBlock, RawCell, RawDocument, RawLine, RawRow, RawTable, ReadError, is_blank,
};
use crate::limits::{Limit, Limits};
use crate::model::{Align, Format, Paragraph, ParagraphKind, Section, Warning};
use crate::normalize::{is_note_start, looks_like_meta};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml_041 as quick_xml;
use std::collections::HashMap;

/// Most grid positions (rows × columns, after spans) of all tables of one
/// document: a bound on memory for hostile files, far above any budget
/// table (10,000 rows × 20 columns is 200,000).
const MAX_GRID_CELLS: usize = 2_000_000;

/// Widest grid span or row we accept; Word allows 63 columns.
const MAX_GRID_COLS: usize = 1_000;

/// Twips per step of indentation when a paragraph gives its indent in twips
/// only: one character of 10.5 pt (五号) text.
const TWIPS_PER_INDENT_STEP: i64 = 210;

/// The main document part when the package relationships do not say.
const DEFAULT_DOCUMENT_PART: &str = "word/document.xml";

/// Reads a Word document. Hidden text (`w:vanish` on a run, its
/// character style or its paragraph style) is left out of cells and
/// paragraphs unless `keep_hidden`, with a `hidden-text` warning naming the
/// paragraph or table row; a table row whose every filled cell holds only
/// hidden text is read whole and marked hidden, like a hidden sheet row.
pub fn read(bytes: &[u8], limits: &Limits, keep_hidden: bool) -> Result<RawDocument, ReadError> {
    let mut package = Package::open(bytes, Format::Docx)?;
    let main = main_part_name(&mut package)?;
    let xml = package.read(&main)?.ok_or_else(|| {
        ReadError::Other(format!("not a valid .docx: the package has no '{main}'"))
    })?;
    let styles_name = match main.rfind('/') {
        Some(i) => format!("{}/styles.xml", &main[..i]),
        None => "styles.xml".to_string(),
    };
    // Styles only refine alignment and emphasis: a damaged styles part is
    // a warning, not a reason to refuse the document.
    let mut warnings = Vec::new();
    let styles = match package.read(&styles_name) {
        Ok(Some(s)) => match Styles::parse(&to_utf8(s)) {
            Ok(st) => st,
            Err(e) => {
                warnings.push(Warning::new(
                    "styles-unreadable",
                    Some(format!("part '{styles_name}'")),
                    format!("styles ignored: {e}"),
                ));
                Styles::default()
            }
        },
        Ok(None) => Styles::default(),
        Err(e) => return Err(e),
    };
    let xml = to_utf8(xml);
    let mut walker = Walker {
        reader: Reader::from_reader(xml.as_bytes()),
        xml: xml.as_bytes(),
        styles: &styles,
        warnings: &mut warnings,
        paragraphs: 0,
        tables: 0,
        part: &main,
        limits: *limits,
        keep_hidden,
    };
    let blocks = walker.document()?;
    let mut doc = layout(blocks)?;
    doc.warnings.splice(0..0, warnings);
    Ok(doc)
}

/// The main document part named by the package relationships.
fn main_part_name(package: &mut Package<'_>) -> Result<String, ReadError> {
    let Some(rels) = package.read("_rels/.rels")? else {
        return Ok(DEFAULT_DOCUMENT_PART.to_string());
    };
    let rels = to_utf8(rels);
    let mut reader = Reader::from_reader(rels.as_bytes());
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == b"Relationship" => {
                let is_main = attr(&e, b"Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if let (true, Some(target)) = (is_main, attr(&e, b"Target")) {
                    let target = target.trim_start_matches('/').to_string();
                    if !target.is_empty() && package.has(&target) {
                        return Ok(target);
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => return Ok(DEFAULT_DOCUMENT_PART.to_string()),
            _ => {}
        }
    }
}

/// XML parts are UTF-8 in practice; a UTF-16 part (allowed by XML) is
/// transcoded, a UTF-8 BOM dropped.
fn to_utf8(bytes: Vec<u8>) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, _) = enc.decode(&bytes);
        return text.into_owned();
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    match String::from_utf8(body.to_vec()) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

// ---------------------------------------------------------------------------
// XML helpers.

fn local<'b>(e: &'b BytesStart<'_>) -> &'b [u8] {
    let name = e.name().into_inner();
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The value of the attribute whose local name is `key` (any prefix).
fn attr(e: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
        })
    })
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, b"val")
}

/// An on/off property (w:b, w:tblHeader): on unless its value says off.
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off" | "none"))
}

fn int_val(e: &BytesStart<'_>, key: &[u8]) -> Option<i64> {
    attr(e, key).and_then(|v| v.trim().parse().ok())
}

fn jc_align(v: &str) -> Align {
    match v {
        "center" => Align::Center,
        "right" | "end" => Align::Right,
        _ => Align::Left,
    }
}

// ---------------------------------------------------------------------------
// Styles.

#[derive(Debug, Default, Clone)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    align: Option<Align>,
    bold: Option<bool>,
    size_half_pt: Option<i64>,
    outline: Option<i64>,
    /// Hidden text (w:vanish in the style's run properties).
    vanish: Option<bool>,
}

/// Paragraph and character styles: what they say about alignment, bold,
/// size and heading level.
#[derive(Debug, Default)]
struct Styles {
    map: HashMap<String, StyleDef>,
    default_paragraph: Option<String>,
}

/// Longest basedOn chain we follow (cycles end there too).
const MAX_STYLE_CHAIN: usize = 16;

impl Styles {
    fn parse(xml: &str) -> Result<Styles, String> {
        let mut styles = Styles::default();
        let mut reader = Reader::from_reader(xml.as_bytes());
        let mut current: Option<(String, StyleDef)> = None;
        let mut in_ppr = false;
        let mut in_rpr = false;
        loop {
            let ev = reader.read_event().map_err(|e| e.to_string())?;
            let is_start = matches!(ev, Event::Start(_));
            match ev {
                Event::Start(e) | Event::Empty(e) => match local(&e) {
                    b"style" => {
                        let id = attr(&e, b"styleId").unwrap_or_default();
                        let para = attr(&e, b"type").as_deref() == Some("paragraph");
                        if para && attr(&e, b"default").is_some_and(|v| v == "1" || v == "true") {
                            styles.default_paragraph = Some(id.clone());
                        }
                        if is_start {
                            current = Some((id, StyleDef::default()));
                        }
                    }
                    b"pPr" if is_start => in_ppr = true,
                    b"rPr" if is_start => in_rpr = true,
                    b"pPrChange" | b"rPrChange" if is_start => {
                        reader
                            .read_to_end(e.name())
                            .map_err(|err| err.to_string())?;
                    }
                    name => {
                        if let Some((_, def)) = current.as_mut() {
                            match name {
                                b"name" => def.name = val(&e).unwrap_or_default(),
                                b"basedOn" => def.based_on = val(&e),
                                b"jc" if in_ppr => def.align = val(&e).map(|v| jc_align(&v)),
                                b"outlineLvl" if in_ppr => def.outline = int_val(&e, b"val"),
                                b"b" if in_rpr => def.bold = Some(on_off(&e)),
                                b"sz" if in_rpr => def.size_half_pt = int_val(&e, b"val"),
                                b"vanish" if in_rpr => def.vanish = Some(on_off(&e)),
                                _ => {}
                            }
                        }
                    }
                },
                Event::End(e) => match e.local_name().as_ref() {
                    b"style" => {
                        if let Some((id, def)) = current.take() {
                            styles.map.insert(id, def);
                        }
                    }
                    b"pPr" => in_ppr = false,
                    b"rPr" => in_rpr = false,
                    _ => {}
                },
                Event::Eof => return Ok(styles),
                _ => {}
            }
        }
    }

    /// Follows a style and the styles it is based on, first answer wins.
    fn find<T>(&self, id: Option<&str>, get: impl Fn(&StyleDef) -> Option<T>) -> Option<T> {
        let mut id = id?.to_string();
        for _ in 0..MAX_STYLE_CHAIN {
            let def = self.map.get(&id)?;
            if let Some(v) = get(def) {
                return Some(v);
            }
            id = def.based_on.clone()?;
        }
        None
    }

    /// Heading level of a paragraph style: Title and 标题 are 1, "heading N"
    /// is N, an outline level L is L + 1.
    fn heading(&self, id: Option<&str>) -> Option<u8> {
        self.find(id, |d| {
            let name = d.name.to_lowercase();
            if name == "title" || name == "标题" {
                return Some(1);
            }
            for prefix in ["heading ", "标题 "] {
                if let Some(n) = name
                    .strip_prefix(prefix)
                    .and_then(|n| n.trim().parse().ok())
                {
                    return Some(n);
                }
            }
            d.outline
                .filter(|l| (0..9).contains(l))
                .map(|l| l as u8 + 1)
        })
    }
}

// ---------------------------------------------------------------------------
// The walk over document.xml.

/// A paragraph as read.
#[derive(Debug, Default)]
struct Para {
    text: String,
    align: Align,
    heading: Option<u8>,
    /// Every run with visible text is bold.
    bold: bool,
    /// Largest run size in points.
    size: Option<f32>,
    indent: u8,
    /// A page break comes before the paragraph's text (pageBreakBefore, or
    /// a page break before any text).
    break_before: bool,
    /// A page break or section break comes after some of its text.
    break_after: bool,
    /// One-based paragraph number in the body (0 inside tables).
    number: u32,
    /// All of the text, hidden runs included (`text` leaves them out
    /// unless hidden text is kept).
    full: String,
    /// Some non-blank text is hidden.
    any_hidden: bool,
    /// Some non-blank text is not hidden.
    any_visible: bool,
}

impl Para {
    /// Adds text of a run that is or is not hidden.
    fn push(&mut self, s: &str, hidden: bool, keep_hidden: bool) {
        self.full.push_str(s);
        if !hidden || keep_hidden {
            self.text.push_str(s);
        }
        if !is_blank(s) {
            if hidden {
                self.any_hidden = true;
            } else {
                self.any_visible = true;
            }
        }
    }
}

#[derive(Debug)]
enum Block {
    Para(Para),
    Table(XTable),
}

#[derive(Debug, Default)]
struct XTable {
    rows: Vec<XRow>,
}

#[derive(Debug, Default)]
struct XRow {
    grid_before: usize,
    grid_after: usize,
    header: bool,
    hidden: bool,
    cells: Vec<XCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VMerge {
    Restart,
    Continue,
}

#[derive(Debug, Default)]
struct XCell {
    span: usize,
    vmerge: Option<VMerge>,
    /// Legacy horizontal merge (w:hMerge): `Some(true)` restarts.
    hmerge: Option<bool>,
    blocks: Vec<Block>,
}

struct Walker<'x, 's, 'w> {
    reader: Reader<&'x [u8]>,
    xml: &'x [u8],
    styles: &'s Styles,
    warnings: &'w mut Vec<Warning>,
    paragraphs: u32,
    /// Top-level tables seen so far.
    tables: u32,
    part: &'s str,
    /// Among them the deepest nesting of tables inside table cells
    /// followed ([`Limits::nesting`]); Word itself stops at 63 levels, and
    /// real budget tables nest none.
    limits: Limits,
    /// Keep hidden text in cells and paragraphs.
    keep_hidden: bool,
}

/// Run properties that matter here.
#[derive(Debug, Default, Clone)]
struct RunProps {
    bold: Option<bool>,
    size_half_pt: Option<i64>,
    style: Option<String>,
    vanish: Option<bool>,
}

impl<'x> Walker<'x, '_, '_> {
    fn err(&self, e: impl std::fmt::Display) -> ReadError {
        ReadError::at(
            format!(
                "part '{}', byte {}",
                self.part,
                self.reader.buffer_position()
            ),
            format!("damaged XML: {e}"),
        )
    }

    fn next(&mut self) -> Result<Event<'x>, ReadError> {
        match self.reader.read_event() {
            Ok(Event::Eof) => Err(self.err("the part ends inside an element")),
            Ok(ev) => Ok(ev),
            Err(e) => Err(self.err(e)),
        }
    }

    /// Skips the rest of the element `e` just started; returns its bytes.
    fn skip(&mut self, e: &BytesStart<'_>) -> Result<&'x [u8], ReadError> {
        let name = e.name().into_inner().to_vec();
        let span = self
            .reader
            .read_to_end(quick_xml::name::QName(&name))
            .map_err(|err| self.err(err))?;
        let xml = self.xml;
        let start = usize::try_from(span.start).unwrap_or(0).min(xml.len());
        let end = usize::try_from(span.end)
            .unwrap_or(0)
            .clamp(start, xml.len());
        Ok(&xml[start..end])
    }

    /// The body's blocks.
    fn document(&mut self) -> Result<Vec<Block>, ReadError> {
        loop {
            match self.reader.read_event() {
                Ok(Event::Start(e)) if local(&e) == b"body" => return self.blocks(0, None),
                Ok(Event::Eof) => {
                    return Err(ReadError::Other(format!(
                        "not a valid .docx: '{}' has no document body",
                        self.part
                    )));
                }
                Ok(_) => {}
                Err(e) => return Err(self.err(e)),
            }
        }
    }

    /// Paragraphs and tables up to the end of the current element
    /// (body, table cell). Wrappers such as content controls and custom
    /// XML are looked through.
    fn blocks(
        &mut self,
        nesting: usize,
        mut cell: Option<&mut XCell>,
    ) -> Result<Vec<Block>, ReadError> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    b"p" => {
                        let p = self.paragraph(nesting == 0 && cell.is_none())?;
                        out.push(Block::Para(p));
                    }
                    b"tbl" => {
                        if let Err(e) = self.limits.check(Limit::Nesting, nesting) {
                            return Err(self.err(format!("a table inside a table cell: {e}")));
                        }
                        let t = self.table(nesting + 1)?;
                        out.push(Block::Table(t));
                    }
                    b"tcPr" => match cell.as_deref_mut() {
                        Some(c) => self.cell_props(c)?,
                        None => {
                            self.skip(&e)?;
                        }
                    },
                    b"sectPr" | b"sdtPr" | b"sdtEndPr" | b"moveFrom" | b"del" => {
                        self.skip(&e)?;
                    }
                    _ => depth += 1,
                },
                Event::Empty(e) if local(&e) == b"p" && nesting == 0 && cell.is_none() => {
                    self.paragraphs += 1;
                }
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(out);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, in_body: bool) -> Result<Para, ReadError> {
        let mut p = Para::default();
        let styles = self.styles;
        let keep = self.keep_hidden;
        if in_body {
            self.paragraphs += 1;
            p.number = self.paragraphs;
        }
        let mut style: Option<String> = None;
        let mut outline: Option<i64> = None;
        let mut run = RunProps::default();
        let mut run_has_text = false;
        let mut in_text = false;
        let mut all_bold = true;
        let mut any_text = false;
        let mut size: Option<i64> = None;
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    b"pPr" => self.paragraph_props(&mut p, &mut style, &mut outline)?,
                    b"rPr" => run = self.run_props()?,
                    b"r" => {
                        run = RunProps::default();
                        run_has_text = false;
                        depth += 1;
                    }
                    b"t" => {
                        in_text = true;
                        depth += 1;
                    }
                    b"delText" | b"instrText" | b"delInstrText" | b"moveFrom" | b"del"
                    | b"sdtPr" | b"sdtEndPr" | b"Fallback" | b"footnoteReference"
                    | b"endnoteReference" | b"commentReference" => {
                        self.skip(&e)?;
                    }
                    b"drawing" | b"pict" | b"object" => {
                        let skipped = self.skip(&e)?;
                        if contains(skipped, b"txbxContent") {
                            let at = if in_body {
                                format!("paragraph {}", p.number)
                            } else {
                                "a table cell".to_string()
                            };
                            self.warnings.push(Warning::new(
                                "text-box-skipped",
                                Some(at),
                                "a text box or drawing with text was left out",
                            ));
                        }
                    }
                    // A paragraph nested in a text box that was not skipped:
                    // its text continues on a new line.
                    b"p" => {
                        if !p.full.is_empty() {
                            p.full.push('\n');
                        }
                        if !p.text.is_empty() {
                            p.text.push('\n');
                        }
                        depth += 1;
                    }
                    _ => depth += 1,
                },
                Event::Empty(e) => {
                    let ch = match local(&e) {
                        b"tab" | b"ptab" => Some('\t'),
                        b"br" => match attr(&e, b"type").as_deref() {
                            // A page or column break is layout, not text.
                            Some("page" | "column") => {
                                if is_blank(&p.text) {
                                    p.break_before = true;
                                } else {
                                    p.break_after = true;
                                }
                                None
                            }
                            _ => Some('\n'),
                        },
                        b"cr" => Some('\n'),
                        b"noBreakHyphen" => Some('\u{2011}'),
                        b"softHyphen" => Some('\u{AD}'),
                        b"sym" => Some(self.symbol(&e)),
                        _ => None,
                    };
                    if let Some(c) = ch {
                        let hidden = run_hidden(styles, &run, style.as_deref());
                        p.push(c.encode_utf8(&mut [0; 4]), hidden, keep);
                        if !c.is_whitespace() && (keep || !hidden) {
                            run_has_text = true;
                        }
                    }
                }
                Event::Text(t) if in_text => {
                    let s = t.xml10_content().map_err(|e| self.err(e))?;
                    let hidden = run_hidden(styles, &run, style.as_deref());
                    if !is_blank(&s) && (keep || !hidden) {
                        run_has_text = true;
                    }
                    p.push(&s, hidden, keep);
                }
                Event::CData(t) if in_text => {
                    let s = t.decode().map_err(|e| self.err(e))?;
                    let hidden = run_hidden(styles, &run, style.as_deref());
                    if !is_blank(&s) && (keep || !hidden) {
                        run_has_text = true;
                    }
                    p.push(&s, hidden, keep);
                }
                Event::GeneralRef(r) if in_text => {
                    let s = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            let name = r.decode().map_err(|e| self.err(e))?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(s) => s.to_string(),
                                // Unknown entities are kept as written.
                                None => format!("&{name};"),
                            }
                        }
                    };
                    let hidden = run_hidden(styles, &run, style.as_deref());
                    if keep || !hidden {
                        run_has_text = true;
                    }
                    p.push(&s, hidden, keep);
                }
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"t" => in_text = false,
                        b"r" => {
                            if run_has_text {
                                any_text = true;
                                let bold = run
                                    .bold
                                    .or_else(|| self.styles.find(run.style.as_deref(), |d| d.bold))
                                    .or_else(|| self.styles.find(style.as_deref(), |d| d.bold))
                                    .unwrap_or(false);
                                all_bold &= bold;
                                let sz = run
                                    .size_half_pt
                                    .or_else(|| {
                                        self.styles.find(run.style.as_deref(), |d| d.size_half_pt)
                                    })
                                    .or_else(|| {
                                        self.styles.find(style.as_deref(), |d| d.size_half_pt)
                                    });
                                size = size.max(sz);
                            }
                            run = RunProps::default();
                            run_has_text = false;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        let style_ref = style
            .as_deref()
            .or(self.styles.default_paragraph.as_deref());
        p.bold = any_text && all_bold;
        p.size = size
            .or_else(|| self.styles.find(style_ref, |d| d.size_half_pt))
            .map(|hp| hp as f32 / 2.0);
        if p.align == Align::Left
            && let Some(a) = self.styles.find(style_ref, |d| d.align)
        {
            p.align = a;
        }
        p.heading = outline
            .filter(|l| (0..9).contains(l))
            .map(|l| l as u8 + 1)
            .or_else(|| self.styles.heading(style.as_deref()));
        if in_body && p.any_hidden && !keep {
            self.warnings.push(Warning::new(
                "hidden-text",
                Some(format!("paragraph {}", p.number)),
                if p.any_visible {
                    "text hidden in Word (w:vanish) left out of the paragraph"
                } else {
                    "a paragraph hidden in Word (w:vanish) left out"
                },
            ));
        }
        Ok(p)
    }

    fn paragraph_props(
        &mut self,
        p: &mut Para,
        style: &mut Option<String>,
        outline: &mut Option<i64>,
    ) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    b"rPr" | b"tabs" | b"pPrChange" | b"sectPr" | b"numPr" => {
                        self.skip(&e)?;
                        // A section break ends the page after this paragraph.
                        if local(&e) == b"sectPr" {
                            p.break_after = true;
                        }
                    }
                    _ => {
                        self.paragraph_prop(&e, p, style, outline);
                        depth += 1;
                    }
                },
                Event::Empty(e) => self.paragraph_prop(&e, p, style, outline),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    fn paragraph_prop(
        &self,
        e: &BytesStart<'_>,
        p: &mut Para,
        style: &mut Option<String>,
        outline: &mut Option<i64>,
    ) {
        match local(e) {
            b"jc" => p.align = val(e).map_or(Align::Left, |v| jc_align(&v)),
            b"pStyle" => *style = val(e),
            b"outlineLvl" => *outline = int_val(e, b"val"),
            b"pageBreakBefore" => p.break_before |= on_off(e),
            b"ind" => {
                let chars = int_val(e, b"leftChars").or_else(|| int_val(e, b"startChars"));
                let steps = match chars {
                    Some(c) => (c + 50) / 100,
                    None => {
                        int_val(e, b"left")
                            .or_else(|| int_val(e, b"start"))
                            .unwrap_or(0)
                            / TWIPS_PER_INDENT_STEP
                    }
                };
                p.indent = steps.clamp(0, i64::from(u8::MAX)) as u8;
            }
            _ => {}
        }
    }

    fn run_props(&mut self) -> Result<RunProps, ReadError> {
        let mut props = RunProps::default();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) if local(&e) == b"rPrChange" => {
                    self.skip(&e)?;
                }
                Event::Start(e) => {
                    run_prop(&e, &mut props);
                    depth += 1;
                }
                Event::Empty(e) => run_prop(&e, &mut props),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(props);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    /// The character of a w:sym: the Symbol font's characters map to
    /// Unicode; others keep their private-use code point, with a warning.
    fn symbol(&mut self, e: &BytesStart<'_>) -> char {
        let font = attr(e, b"font").unwrap_or_default();
        let code = attr(e, b"char")
            .and_then(|c| u32::from_str_radix(c.trim(), 16).ok())
            .unwrap_or(0);
        let byte = if (0xF000..=0xF0FF).contains(&code) {
            Some((code - 0xF000) as u8)
        } else if code <= 0xFF {
            Some(code as u8)
        } else {
            None
        };
        if font.eq_ignore_ascii_case("symbol")
            && let Some(c) = byte.and_then(symbol_font_char)
        {
            return c;
        }
        if code > 0xFF
            && !(0xF000..=0xF0FF).contains(&code)
            && let Some(c) = char::from_u32(code)
        {
            return c;
        }
        let kept = char::from_u32(if code <= 0xFF { 0xF000 + code } else { code })
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        self.warnings.push(Warning::new(
            "symbol-unmapped",
            None,
            format!(
                "symbol {code:04X} of font '{font}' has no Unicode equivalent; kept as U+{:04X}",
                kept as u32
            ),
        ));
        kept
    }

    fn table(&mut self, nesting: usize) -> Result<XTable, ReadError> {
        let mut t = XTable::default();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    b"tr" => {
                        let row = self.row(nesting)?;
                        t.rows.push(row);
                    }
                    b"tblPr" | b"tblGrid" | b"tblPrEx" | b"sdtPr" | b"sdtEndPr" => {
                        self.skip(&e)?;
                    }
                    _ => depth += 1,
                },
                Event::End(_) => {
                    if depth == 0 {
                        self.mark_hidden_rows(&mut t, nesting);
                        return Ok(t);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    /// Marks the rows whose text is all hidden as hidden rows, and reports
    /// hidden text left out of the other rows' cells.
    fn mark_hidden_rows(&mut self, t: &mut XTable, nesting: usize) {
        if nesting == 1 {
            self.tables += 1;
        }
        for (ri, row) in t.rows.iter_mut().enumerate() {
            let states: Vec<(bool, bool)> =
                row.cells.iter().map(|c| hidden_state(&c.blocks)).collect();
            let any_hidden = states.iter().any(|s| s.0);
            let any_visible = states.iter().any(|s| s.1);
            if any_hidden && !any_visible {
                row.hidden = true;
            } else if any_hidden && !self.keep_hidden && nesting == 1 {
                let cells = states.iter().filter(|s| s.0).count();
                self.warnings.push(Warning::new(
                    "hidden-text",
                    Some(format!("Word table {}, row {}", self.tables, ri + 1)),
                    format!("text hidden in Word (w:vanish) left out of {cells} cell(s)"),
                ));
            }
        }
    }

    fn row(&mut self, nesting: usize) -> Result<XRow, ReadError> {
        let mut row = XRow::default();
        let mut depth = 0usize;
        let mut in_trpr = false;
        loop {
            match self.next()? {
                Event::Start(e) => match local(&e) {
                    b"tc" => {
                        let cell = self.cell(nesting)?;
                        row.cells.push(cell);
                    }
                    b"trPr" => {
                        in_trpr = true;
                        depth += 1;
                    }
                    b"tblPrEx" | b"trPrChange" | b"sdtPr" | b"sdtEndPr" | b"del" => {
                        self.skip(&e)?;
                    }
                    _ => {
                        if in_trpr {
                            row_prop(&e, &mut row);
                        }
                        depth += 1;
                    }
                },
                Event::Empty(e) if in_trpr => row_prop(&e, &mut row),
                Event::End(e) => {
                    if e.local_name().as_ref() == b"trPr" {
                        in_trpr = false;
                    }
                    if depth == 0 {
                        if row.grid_before > MAX_GRID_COLS || row.grid_after > MAX_GRID_COLS {
                            return Err(self.err(format!(
                                "a row skips more than {MAX_GRID_COLS} grid columns"
                            )));
                        }
                        return Ok(row);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }

    fn cell(&mut self, nesting: usize) -> Result<XCell, ReadError> {
        let mut cell = XCell {
            span: 1,
            ..XCell::default()
        };
        let blocks = self.blocks(nesting, Some(&mut cell))?;
        cell.blocks = blocks;
        if cell.span > MAX_GRID_COLS {
            return Err(self.err(format!(
                "a cell spans {} grid columns, over the limit of {MAX_GRID_COLS}",
                cell.span
            )));
        }
        Ok(cell)
    }

    fn cell_props(&mut self, cell: &mut XCell) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) if local(&e) == b"tcPrChange" => {
                    self.skip(&e)?;
                }
                Event::Start(e) => {
                    cell_prop(&e, cell);
                    depth += 1;
                }
                Event::Empty(e) => cell_prop(&e, cell),
                Event::End(_) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn row_prop(e: &BytesStart<'_>, row: &mut XRow) {
    match local(e) {
        b"gridBefore" => row.grid_before = int_val(e, b"val").unwrap_or(0).max(0) as usize,
        b"gridAfter" => row.grid_after = int_val(e, b"val").unwrap_or(0).max(0) as usize,
        b"tblHeader" => row.header = on_off(e),
        b"hidden" => row.hidden = on_off(e),
        _ => {}
    }
}

/// Whether text of `run` in a paragraph of style `para_style` is hidden:
/// the run's own w:vanish, else its character style's, else the paragraph
/// style's.
fn run_hidden(styles: &Styles, run: &RunProps, para_style: Option<&str>) -> bool {
    run.vanish
        .or_else(|| styles.find(run.style.as_deref(), |d| d.vanish))
        .or_else(|| styles.find(para_style, |d| d.vanish))
        .unwrap_or(false)
}

fn run_prop(e: &BytesStart<'_>, props: &mut RunProps) {
    match local(e) {
        b"b" => props.bold = Some(on_off(e)),
        b"sz" => props.size_half_pt = int_val(e, b"val"),
        b"rStyle" => props.style = val(e),
        b"vanish" | b"specVanish" => props.vanish = Some(on_off(e)),
        _ => {}
    }
}

fn cell_prop(e: &BytesStart<'_>, cell: &mut XCell) {
    match local(e) {
        b"gridSpan" => {
            cell.span = int_val(e, b"val").unwrap_or(1).clamp(1, i64::MAX) as usize;
        }
        b"vMerge" => {
            cell.vmerge = Some(match val(e).as_deref() {
                Some("restart") => VMerge::Restart,
                _ => VMerge::Continue,
            });
        }
        b"hMerge" => cell.hmerge = Some(val(e).as_deref() == Some("restart")),
        _ => {}
    }
}

/// The Unicode character of a byte of the Symbol font's encoding.
fn symbol_font_char(b: u8) -> Option<char> {
    const LOW: &str = " !∀#∃%&∋()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_‾αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼";
    const HIGH: &str = "€ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈";
    match b {
        0x20..=0x7E => LOW.chars().nth(usize::from(b - 0x20)),
        0xA0..=0xE1 => HIGH.chars().nth(usize::from(b - 0xA0)),
        0xE5 => Some('∑'),
        0xF1 => Some('〉'),
        0xF2 => Some('∫'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Blocks → raw tables.

/// Text of a cell: its paragraphs joined by line breaks (blank paragraphs
/// at the start and end are spacing, not content), a nested table as
/// tab-separated lines.
fn cell_text(blocks: &[Block], full: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => lines.push(if full { &p.full } else { &p.text }.clone()),
            Block::Table(t) => {
                for row in &t.rows {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| cell_text(&c.blocks, full || row.hidden).replace('\n', " "))
                        .collect();
                    lines.push(cells.join("\t"));
                }
            }
        }
    }
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

/// Whether the blocks hold hidden text, and whether they hold visible
/// text.
fn hidden_state(blocks: &[Block]) -> (bool, bool) {
    let mut state = (false, false);
    for b in blocks {
        let (h, v) = match b {
            Block::Para(p) => (p.any_hidden, p.any_visible),
            Block::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| &r.cells)
                .map(|c| hidden_state(&c.blocks))
                .fold((false, false), |a, b| (a.0 || b.0, a.1 || b.1)),
        };
        state = (state.0 || h, state.1 || v);
    }
    state
}

fn cell_paras(blocks: &[Block]) -> impl Iterator<Item = &Para> {
    blocks.iter().filter_map(|b| match b {
        Block::Para(p) if !is_blank(&p.text) => Some(p),
        _ => None,
    })
}

/// A Word cell as a raw cell; `full` takes its hidden text too (the cells
/// of a hidden row, which the disclosure step leaves out whole).
fn raw_cell(cell: &XCell, full: bool) -> RawCell {
    let text = cell_text(&cell.blocks, full);
    let first = cell_paras(&cell.blocks).next();
    RawCell {
        bold: first.is_some() && cell_paras(&cell.blocks).all(|p| p.bold),
        align: first.map_or(Align::Left, |p| p.align),
        indent: first.map_or(0, |p| p.indent),
        text,
        ..RawCell::default()
    }
}

/// An open vertical merge: its index in `merges` and whether the current
/// row continued it.
struct OpenMerge {
    index: usize,
    continued: bool,
}

/// A Word table as a raw grid with merges.
fn grid(t: &XTable, budget: &mut usize) -> Result<RawTable, ReadError> {
    let mut rows: Vec<RawRow> = Vec::with_capacity(t.rows.len());
    let mut merges: Vec<Merge> = Vec::new();
    // Open vertical merges by starting column.
    let mut open: HashMap<usize, OpenMerge> = HashMap::new();
    for (ri, xr) in t.rows.iter().enumerate() {
        let mut cells: Vec<RawCell> = vec![RawCell::default(); xr.grid_before];
        let mut col = xr.grid_before;
        let mut last_hmerge: Option<usize> = None;
        for xc in &xr.cells {
            let span = xc.span.max(1);
            let raw = raw_cell(xc, xr.hidden);
            // Legacy w:hMerge: a continuing cell widens the merge on its left.
            if xc.hmerge == Some(false)
                && raw.is_blank()
                && let Some(mi) = last_hmerge
            {
                if let Some(m) = merges.get_mut(mi) {
                    m.cols += span;
                }
                cells.extend(std::iter::repeat_n(RawCell::default(), span));
                col += span;
                continue;
            }
            last_hmerge = None;
            if xc.vmerge == Some(VMerge::Continue)
                && raw.is_blank()
                && let Some(o) = open.get_mut(&col)
                && merges.get(o.index).is_some_and(|m| m.cols == span)
            {
                o.continued = true;
                if let Some(m) = merges.get_mut(o.index) {
                    m.rows += 1;
                }
                cells.extend(std::iter::repeat_n(RawCell::default(), span));
                col += span;
                continue;
            }
            open.retain(|&c, _| c < col || c >= col + span);
            let starts_v = xc.vmerge == Some(VMerge::Restart);
            if span > 1 || starts_v || xc.hmerge == Some(true) {
                merges.push(Merge {
                    row: ri,
                    col,
                    rows: 1,
                    cols: span,
                });
                if starts_v {
                    open.insert(
                        col,
                        OpenMerge {
                            index: merges.len() - 1,
                            continued: true,
                        },
                    );
                }
                if xc.hmerge == Some(true) {
                    last_hmerge = Some(merges.len() - 1);
                }
            }
            cells.push(raw);
            cells.extend(std::iter::repeat_n(RawCell::default(), span - 1));
            col += span;
        }
        cells.extend(std::iter::repeat_n(RawCell::default(), xr.grid_after));
        open.retain(|_, o| std::mem::replace(&mut o.continued, false));
        if cells.len() > MAX_GRID_COLS {
            return Err(ReadError::at(
                format!("table row {}", ri + 1),
                format!(
                    "{} grid columns, over the limit of {MAX_GRID_COLS}",
                    cells.len()
                ),
            ));
        }
        *budget = budget.checked_sub(cells.len()).ok_or_else(|| {
            ReadError::Other(format!(
                "the document's tables hold more than {MAX_GRID_CELLS} cells"
            ))
        })?;
        rows.push(RawRow {
            cells,
            source_row: u32::try_from(ri + 1).unwrap_or(u32::MAX),
            hidden: xr.hidden,
        });
    }
    merges.retain(|m| m.rows > 1 || m.cols > 1);
    let header = t.rows.iter().take_while(|r| r.header).count();
    Ok(RawTable {
        locator: Locator::TableRow,
        rows,
        merges,
        header_rows: (header > 0).then_some(header),
        ..RawTable::default()
    })
}

/// Whether a Word table only lays out meta lines (a borderless table with
/// 部门名称 on the left and 单位 on the right): every filled cell is a
/// key：value line.
fn is_meta_table(t: &RawTable) -> bool {
    let mut filled = t
        .rows
        .iter()
        .flat_map(|r| r.cells.iter())
        .filter(|c| !c.is_blank())
        .peekable();
    filled.peek().is_some() && filled.all(|c| looks_like_meta(&c.text))
}

/// The lines of a meta-only table, the last filled cell of a row to the
/// right when the row holds several.
fn meta_table_lines(t: &RawTable) -> Vec<RawLine> {
    let mut out = Vec::new();
    for r in &t.rows {
        let filled: Vec<&RawCell> = r.cells.iter().filter(|c| !c.is_blank()).collect();
        let n = filled.len();
        for (i, c) in filled.into_iter().enumerate() {
            out.push(RawLine {
                text: c.text.clone(),
                align: if n > 1 && i == n - 1 {
                    Align::Right
                } else {
                    c.align
                },
                bold: c.bold,
                source_row: r.source_row,
                ..RawLine::default()
            });
        }
    }
    out
}

fn line(p: &Para) -> RawLine {
    RawLine {
        text: p.text.clone(),
        align: p.align,
        heading: p.heading,
        bold: p.bold,
        size: p.size,
        source_row: p.number,
    }
}

/// Whether a paragraph between two tables reads as the next table's title
/// or meta line rather than a note of the previous one.
fn is_caption(p: &Para) -> bool {
    !is_note_start(&p.text)
        && (p.align == Align::Center || p.bold || p.heading.is_some() || looks_like_meta(&p.text))
}

enum Item {
    Para(Para),
    Table(RawTable),
    /// Lines of a meta-only layout table; they stand with the paragraphs.
    Lines(Vec<RawLine>),
}

/// Distributes the body's paragraphs over its tables.
fn layout(blocks: Vec<Block>) -> Result<RawDocument, ReadError> {
    let mut budget = MAX_GRID_CELLS;
    let mut items: Vec<Item> = Vec::new();
    let mut paragraphs_with_text = 0usize;
    for b in blocks {
        match b {
            Block::Para(p) => {
                if !is_blank(&p.text) {
                    paragraphs_with_text += 1;
                }
                items.push(Item::Para(p));
            }
            Block::Table(t) => {
                let raw = grid(&t, &mut budget)?;
                if raw
                    .rows
                    .iter()
                    .all(|r| r.cells.iter().all(RawCell::is_blank))
                {
                    continue;
                }
                if is_meta_table(&raw) {
                    items.push(Item::Lines(meta_table_lines(&raw)));
                } else {
                    items.push(Item::Table(raw));
                }
            }
        }
    }
    let table_count = items.iter().filter(|i| matches!(i, Item::Table(_))).count();
    if table_count == 0 {
        return Err(ReadError::NoTable(format!(
            "the document has {paragraphs_with_text} paragraph(s) of text but no table"
        )));
    }

    let mut tables: Vec<RawTable> = Vec::new();
    let mut blocks: Vec<RawBlock> = Vec::new();
    // Lines since the last table, each with whether it reads as a caption,
    // and where the last page break among them fell.
    let mut pending: Vec<(RawLine, bool)> = Vec::new();
    let mut last_break: Option<usize> = None;
    for item in items {
        match item {
            Item::Para(p) => {
                if p.break_before {
                    last_break = Some(pending.len());
                }
                if !is_blank(&p.text) {
                    pending.push((line(&p), is_caption(&p)));
                }
                if p.break_after {
                    last_break = Some(pending.len());
                }
            }
            Item::Lines(lines) => pending.extend(lines.into_iter().map(|l| (l, true))),
            Item::Table(mut t) => {
                let mut lines = std::mem::take(&mut pending);
                if let Some(prev) = tables.last_mut() {
                    // A page break splits the notes of the previous table
                    // from the title of this one; without one, the run of
                    // caption-like lines just above this table is its own.
                    let split = last_break.unwrap_or_else(|| {
                        lines.len() - lines.iter().rev().take_while(|(_, cap)| *cap).count()
                    });
                    let next = lines.split_off(split.min(lines.len()));
                    // Text from a heading on is prose between the tables.
                    let prose = prose_from(&mut lines, None);
                    prev.after.extend(lines.into_iter().map(|(l, _)| l));
                    push_sections(prose, &mut blocks);
                    lines = next;
                } else {
                    // Before the first table: the text up to the last page
                    // break, or up to the heading of the part holding the
                    // table's title, is prose when it holds a heading.
                    let own = last_break.unwrap_or_else(|| {
                        lines
                            .iter()
                            .rposition(|(l, _)| l.heading.is_some())
                            .unwrap_or(0)
                    });
                    let rest = lines.split_off(own.min(lines.len()));
                    let prose = prose_from(&mut lines, Some(0));
                    lines.extend(rest);
                    push_sections(prose, &mut blocks);
                }
                t.before = lines.into_iter().map(|(l, _)| l).collect();
                blocks.push(RawBlock::Table(tables.len()));
                tables.push(t);
                last_break = None;
            }
        }
    }
    if let Some(last) = tables.last_mut() {
        let prose = prose_from(&mut pending, None);
        last.after.extend(pending.into_iter().map(|(l, _)| l));
        push_sections(prose, &mut blocks);
    }
    if !blocks.iter().any(|b| matches!(b, RawBlock::Text(_))) {
        blocks.clear();
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        blocks,
    })
}

/// Splits off the lines from the first heading on (the prose); with
/// `whole` given and no heading, nothing. `whole = Some(0)`: before the
/// first table, where lines before the first heading are prose too when
/// a heading follows them.
fn prose_from(lines: &mut Vec<(RawLine, bool)>, whole: Option<usize>) -> Vec<RawLine> {
    let Some(h) = lines.iter().position(|(l, _)| l.heading.is_some()) else {
        return Vec::new();
    };
    let at = whole.unwrap_or(h);
    lines.split_off(at).into_iter().map(|(l, _)| l).collect()
}

/// Text sections of prose lines: each heading opens one; lines before
/// the first heading make one without a heading. A line opening with an
/// outline number (（一）, 1.) is a list item.
fn push_sections(lines: Vec<RawLine>, blocks: &mut Vec<RawBlock>) {
    let mut current: Option<Section> = None;
    for l in lines {
        if l.heading.is_some() {
            if let Some(s) = current.take() {
                blocks.push(RawBlock::Text(s));
            }
            current = Some(Section {
                heading: Some(l.text.trim().to_string()),
                paragraphs: Vec::new(),
            });
            continue;
        }
        let kind = if crate::normalize::outline_level(&l.text).is_some() {
            ParagraphKind::Item
        } else {
            ParagraphKind::Plain
        };
        current
            .get_or_insert_with(Section::default)
            .paragraphs
            .push(Paragraph { kind, text: l.text });
    }
    if let Some(s) = current {
        blocks.push(RawBlock::Text(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_font() {
        assert_eq!(symbol_font_char(0xB3), Some('≥'));
        assert_eq!(symbol_font_char(0xA3), Some('≤'));
        assert_eq!(symbol_font_char(0xB1), Some('±'));
        assert_eq!(symbol_font_char(0x61), Some('α'));
        assert_eq!(symbol_font_char(0xE1), Some('〈'));
        assert_eq!(symbol_font_char(0x7E), Some('∼'));
        assert_eq!(symbol_font_char(0x10), None);
    }
}
