//! Word documents (.docx): paragraphs and tables of the main document part.
//!
//! Its limits are [`Limits`]' `docx_grid_cells`, `docx_grid_columns`,
//! `docx_style_chain` and `nesting` (with the zip limits of the package),
//! so a profile or `--limits` moves them.
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
//!
//! The modules: [`xml`] holds the attribute helpers, [`styles`] the
//! paragraph and character styles, [`walk`] the walk over document.xml
//! into paragraphs and tables, [`grid`] the merged-cell grid of a Word
//! table, [`assign`] which table each paragraph belongs to.

mod assign;
mod grid;
mod styles;
mod walk;
mod xml;

use super::package::Package;
use super::{RawDocument, ReadError};
use crate::limits::Limits;
use crate::model::{Format, Warning};
use assign::layout;
use quick_xml::Reader;
use quick_xml::events::Event;
pub(crate) use styles::SharedStyles;
use styles::Styles;
use walk::Walker;
use xml::{attr, local};

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
///
/// `shared` keeps the parsed styles part for the next documents (a batch
/// lends one to every file; see [`SharedStyles`]).
pub(crate) fn read(
    bytes: &[u8],
    limits: &Limits,
    keep_hidden: bool,
    shared: Option<&SharedStyles>,
) -> Result<RawDocument, ReadError> {
    let mut package = Package::open(bytes, Format::Docx, limits)?;
    let main = main_part_name(&mut package)?;
    let xml = package
        .read(&main)?
        .ok_or_else(|| ReadError::NoMainPart { part: main.clone() })?;
    let styles_name = match main.rfind('/') {
        Some(i) => format!("{}/styles.xml", &main[..i]),
        None => "styles.xml".to_string(),
    };
    // Styles only refine alignment and emphasis: a damaged styles part is
    // a warning, not a reason to refuse the document.
    let mut warnings = Vec::new();
    let parsed = Styles::read_part(&mut package, &styles_name, limits.docx_style_chain, shared)?;
    let none = Styles::new(limits.docx_style_chain);
    let styles = match parsed.as_deref() {
        Some(Ok(st)) => {
            if let Some(w) = st.chain_warning(&styles_name) {
                warnings.push(w);
            }
            st
        }
        Some(Err(e)) => {
            warnings.push(Warning::new(
                "styles-unreadable",
                Some(format!("part '{styles_name}'")),
                format!("styles ignored: {e}"),
            ));
            &none
        }
        None => &none,
    };
    let xml = to_utf8(xml);
    let mut walker = Walker {
        reader: Reader::from_reader(xml.as_bytes()),
        xml: xml.as_bytes(),
        styles,
        warnings: &mut warnings,
        paragraphs: 0,
        tables: 0,
        part: &main,
        limits: *limits,
        keep_hidden,
    };
    let blocks = walker.document()?;
    let mut doc = layout(blocks, limits)?;
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
            Ok(Event::Start(e) | Event::Empty(e)) if local(&e) == "Relationship" => {
                let is_main = attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if let (true, Some(target)) = (is_main, attr(&e, "Target")) {
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
    let mut bytes = bytes;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    // The part's own buffer becomes the string: no copy.
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}
