//! The walk over document.xml: paragraphs with their text, alignment,
//! emphasis, size, indentation, page breaks and hidden runs, and tables
//! as rows of cells holding blocks, with gridSpan, vMerge, hMerge,
//! gridBefore/gridAfter and tblHeader as read.

use super::TWIPS_PER_INDENT_STEP;
use super::grid::hidden_state;
use super::styles::Styles;
use super::xml::{attr, int_val, jc_align, local, on_off, val};
use crate::limits::{Limit, Limits};
use crate::model::{Align, Warning};
use crate::read::{ReadError, is_blank};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// A paragraph as read.
#[derive(Debug, Default)]
pub(super) struct Para {
    pub(super) text: String,
    pub(super) align: Align,
    pub(super) heading: Option<u8>,
    /// Every run with visible text is bold.
    pub(super) bold: bool,
    /// Largest run size in points.
    pub(super) size: Option<f32>,
    pub(super) indent: u8,
    /// A page break comes before the paragraph's text (pageBreakBefore, or
    /// a page break before any text).
    pub(super) break_before: bool,
    /// A page break or section break comes after some of its text.
    pub(super) break_after: bool,
    /// One-based paragraph number in the body (0 inside tables).
    pub(super) number: u32,
    /// All of the text, hidden runs included (`text` leaves them out
    /// unless hidden text is kept).
    pub(super) full: String,
    /// Some non-blank text is hidden.
    pub(super) any_hidden: bool,
    /// Some non-blank text is not hidden.
    pub(super) any_visible: bool,
}

impl Para {
    /// Adds text of a run that is or is not hidden.
    pub(super) fn push(&mut self, s: &str, hidden: bool, keep_hidden: bool) {
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
pub(super) enum Block {
    Para(Para),
    Table(XTable),
}

#[derive(Debug, Default)]
pub(super) struct XTable {
    pub(super) rows: Vec<XRow>,
}

#[derive(Debug, Default)]
pub(super) struct XRow {
    pub(super) grid_before: usize,
    pub(super) grid_after: usize,
    pub(super) header: bool,
    pub(super) hidden: bool,
    pub(super) cells: Vec<XCell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VMerge {
    Restart,
    Continue,
}

#[derive(Debug, Default)]
pub(super) struct XCell {
    pub(super) span: usize,
    pub(super) vmerge: Option<VMerge>,
    /// Legacy horizontal merge (w:hMerge): `Some(true)` restarts.
    pub(super) hmerge: Option<bool>,
    pub(super) blocks: Vec<Block>,
}

pub(super) struct Walker<'x, 's, 'w> {
    pub(super) reader: Reader<&'x [u8]>,
    pub(super) xml: &'x [u8],
    pub(super) styles: &'s Styles,
    pub(super) warnings: &'w mut Vec<Warning>,
    pub(super) paragraphs: u32,
    /// Top-level tables seen so far.
    pub(super) tables: u32,
    pub(super) part: &'s str,
    /// Among them the deepest nesting of tables inside table cells
    /// followed ([`Limits::nesting`]); Word itself stops at 63 levels, and
    /// real budget tables nest none.
    pub(super) limits: Limits,
    /// Keep hidden text in cells and paragraphs.
    pub(super) keep_hidden: bool,
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
    fn err(&self, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> ReadError {
        ReadError::Xml {
            at: crate::error::Location::new()
                .part(self.part)
                .byte(self.reader.buffer_position()),
            what: "damaged XML".into(),
            source: e.into(),
        }
    }

    /// A refusal by `limit` of `found` at the current place.
    fn over(&self, limit: Limit, found: usize) -> Result<(), ReadError> {
        self.limits.check(limit, found).map_err(|e| {
            let at = crate::error::Location::new()
                .part(self.part)
                .byte(self.reader.buffer_position());
            ReadError::limit_at(at, e)
        })
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
        let name = e.name().into_inner().to_string();
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
    pub(super) fn document(&mut self) -> Result<Vec<Block>, ReadError> {
        loop {
            match self.reader.read_event() {
                Ok(Event::Start(e)) if local(&e) == "body" => return self.blocks(0, None),
                Ok(Event::Eof) => {
                    return Err(ReadError::NoBody {
                        part: self.part.to_string(),
                    });
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
                    "p" => {
                        let p = self.paragraph(nesting == 0 && cell.is_none())?;
                        out.push(Block::Para(p));
                    }
                    "tbl" => {
                        self.over(Limit::Nesting, nesting)?;
                        let t = self.table(nesting + 1)?;
                        out.push(Block::Table(t));
                    }
                    "tcPr" => match cell.as_deref_mut() {
                        Some(c) => self.cell_props(c)?,
                        None => {
                            self.skip(&e)?;
                        }
                    },
                    "sectPr" | "sdtPr" | "sdtEndPr" | "moveFrom" | "del" => {
                        self.skip(&e)?;
                    }
                    _ => depth += 1,
                },
                Event::Empty(e) if local(&e) == "p" && nesting == 0 && cell.is_none() => {
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
                    "pPr" => self.paragraph_props(&mut p, &mut style, &mut outline)?,
                    "rPr" => run = self.run_props()?,
                    "r" => {
                        run = RunProps::default();
                        run_has_text = false;
                        depth += 1;
                    }
                    "t" => {
                        in_text = true;
                        depth += 1;
                    }
                    "delText" | "instrText" | "delInstrText" | "moveFrom" | "del" | "sdtPr"
                    | "sdtEndPr" | "Fallback" | "footnoteReference" | "endnoteReference"
                    | "commentReference" => {
                        self.skip(&e)?;
                    }
                    "drawing" | "pict" | "object" => {
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
                    "p" => {
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
                        "tab" | "ptab" => Some('\t'),
                        "br" => match attr(&e, "type").as_deref() {
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
                        "cr" => Some('\n'),
                        "noBreakHyphen" => Some('\u{2011}'),
                        "softHyphen" => Some('\u{AD}'),
                        "sym" => Some(self.symbol(&e)),
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
                    let s = t.xml10_content();
                    let hidden = run_hidden(styles, &run, style.as_deref());
                    if !is_blank(&s) && (keep || !hidden) {
                        run_has_text = true;
                    }
                    p.push(&s, hidden, keep);
                }
                Event::CData(t) if in_text => {
                    let s: &str = &t;
                    let hidden = run_hidden(styles, &run, style.as_deref());
                    if !is_blank(s) && (keep || !hidden) {
                        run_has_text = true;
                    }
                    p.push(s, hidden, keep);
                }
                Event::GeneralRef(r) if in_text => {
                    let s = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            let name: &str = &r;
                            match quick_xml::escape::resolve_predefined_entity(name) {
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
                        "t" => in_text = false,
                        "r" => {
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
                    "rPr" | "tabs" | "pPrChange" | "sectPr" | "numPr" => {
                        self.skip(&e)?;
                        // A section break ends the page after this paragraph.
                        if local(&e) == "sectPr" {
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
            "jc" => p.align = val(e).map_or(Align::Left, |v| jc_align(&v)),
            "pStyle" => *style = val(e),
            "outlineLvl" => *outline = int_val(e, "val"),
            "pageBreakBefore" => p.break_before |= on_off(e),
            "ind" => {
                let chars = int_val(e, "leftChars").or_else(|| int_val(e, "startChars"));
                let steps = match chars {
                    Some(c) => (c + 50) / 100,
                    None => {
                        int_val(e, "left")
                            .or_else(|| int_val(e, "start"))
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
                Event::Start(e) if local(&e) == "rPrChange" => {
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
        let font = attr(e, "font").unwrap_or_default();
        let code = attr(e, "char")
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
                    "tr" => {
                        let row = self.row(nesting)?;
                        t.rows.push(row);
                    }
                    "tblPr" | "tblGrid" | "tblPrEx" | "sdtPr" | "sdtEndPr" => {
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
                    "tc" => {
                        let cell = self.cell(nesting)?;
                        row.cells.push(cell);
                    }
                    "trPr" => {
                        in_trpr = true;
                        depth += 1;
                    }
                    "tblPrEx" | "trPrChange" | "sdtPr" | "sdtEndPr" | "del" => {
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
                    if e.local_name().as_ref() == "trPr" {
                        in_trpr = false;
                    }
                    if depth == 0 {
                        self.over(Limit::DocxGridColumns, row.grid_before)?;
                        self.over(Limit::DocxGridColumns, row.grid_after)?;
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
        self.over(Limit::DocxGridColumns, cell.span)?;
        Ok(cell)
    }

    fn cell_props(&mut self, cell: &mut XCell) -> Result<(), ReadError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start(e) if local(&e) == "tcPrChange" => {
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
        "gridBefore" => row.grid_before = int_val(e, "val").unwrap_or(0).max(0) as usize,
        "gridAfter" => row.grid_after = int_val(e, "val").unwrap_or(0).max(0) as usize,
        "tblHeader" => row.header = on_off(e),
        "hidden" => row.hidden = on_off(e),
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
        "b" => props.bold = Some(on_off(e)),
        "sz" => props.size_half_pt = int_val(e, "val"),
        "rStyle" => props.style = val(e),
        "vanish" | "specVanish" => props.vanish = Some(on_off(e)),
        _ => {}
    }
}

fn cell_prop(e: &BytesStart<'_>, cell: &mut XCell) {
    match local(e) {
        "gridSpan" => {
            cell.span = int_val(e, "val").unwrap_or(1).clamp(1, i64::MAX) as usize;
        }
        "vMerge" => {
            cell.vmerge = Some(match val(e).as_deref() {
                Some("restart") => VMerge::Restart,
                _ => VMerge::Continue,
            });
        }
        "hMerge" => cell.hmerge = Some(val(e).as_deref() == Some("restart")),
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
