//! Readers: one module per input format, each turning bytes into the same
//! raw grid ([`RawDocument`]) that the normaliser makes a
//! [`Document`](crate::model::Document) of.
//!
//! Readers take bytes, never paths; only the front door
//! ([`crate::read_path`]) opens files. Format detection lives in one
//! function, [`detect`].

pub(crate) mod docx;
pub(crate) mod fixed;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod package;
pub(crate) mod sheet;
pub(crate) mod text;

use crate::error::{Location, prefix};
use crate::limits::{Limit, LimitError, Limits};
use crate::model::{Align, Document, Format, Warning};
use rust_decimal::Decimal;
use thiserror::Error;

/// Why a file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// Zero bytes.
    #[error("the file is empty")]
    Empty,
    /// Larger than [`Limits::input_bytes`].
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A limit of [`Limits`] was reached.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// A limit of [`Limits`] was reached at a known place.
    #[error("{}{source}", prefix(at))]
    LimitAt {
        /// Where: the sheet, table, row, column or JSON field.
        at: Location,
        /// The limit.
        #[source]
        source: LimitError,
    },
    /// A FIFO, a device or a folder.
    #[error("not a regular file: this is {0}")]
    NotRegularFile(String),
    /// Bytes that decode to no sensible text.
    #[error("not readable as text: {0}")]
    NotText(String),
    /// Readable, but holding no table.
    #[error("no table found: {0}")]
    NoTable(String),
    /// A problem at a known place in the file.
    #[error("{}{message}", prefix(at))]
    At {
        /// Where: line 9, sheet 'X', cell B7.
        at: Location,
        /// What.
        message: String,
    },
    /// A format gongkai will never read, with what to do instead.
    #[error("{0}")]
    Unsupported(String),
    /// A reader was handed a format it does not read (a bug of the caller).
    #[error("{format} is not read by the {reader} reader")]
    WrongReader {
        /// The format.
        format: Format,
        /// The reader.
        reader: &'static str,
    },
    /// A file named as a zip-based format but holding none of its parts.
    #[error(
        "not a valid .{ext}: a zip archive holding none of the parts a .{ext} has (damaged or truncated?)"
    )]
    NotAPackage {
        /// The extension the file is named with.
        ext: String,
    },
    /// The zip directory of a package cannot be read.
    #[error(
        "the .{format} file is damaged or truncated: its zip directory cannot be read ({source})"
    )]
    ZipDirectory {
        /// The package's format.
        format: Format,
        /// What the zip reader said.
        #[source]
        source: zip::result::ZipError,
    },
    /// A zip entry cannot be read.
    #[error("the .{format} file is damaged: {} cannot be read ({source})", entry_name(*index, part))]
    ZipEntry {
        /// The package's format.
        format: Format,
        /// The entry's index in the zip directory.
        index: usize,
        /// The entry's name, when known.
        part: Option<String>,
        /// What the zip reader said.
        #[source]
        source: zip::result::ZipError,
    },
    /// A zip part stops inflating half-way.
    #[error("the .{format} file is damaged: part '{part}' cannot be inflated ({source})")]
    Inflate {
        /// The package's format.
        format: Format,
        /// The part.
        part: String,
        /// What inflating said.
        #[source]
        source: std::sync::Arc<std::io::Error>,
    },
    /// A zip package with more parts than any document has.
    #[error(
        "the .{format} package lists {count} parts, over the limit of {limit} ({})",
        Limit::ZipParts.how_to_raise()
    )]
    TooManyParts {
        /// The package's format.
        format: Format,
        /// The parts listed.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A zip part declaring more bytes than a part may have.
    #[error(
        "zip part '{part}': declares {size} bytes uncompressed, over the limit of {limit} \
         bytes per part; refused without inflating it (a zip bomb? if not, {})",
        Limit::ZipPartBytes.how_to_raise()
    )]
    PartTooLarge {
        /// The part.
        part: String,
        /// Its declared size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A zip package declaring more bytes than a package may have.
    #[error(
        "the .{format} package declares {total} bytes uncompressed, over the limit of \
         {limit} bytes; refused without inflating it (a zip bomb? if not, {})",
        Limit::ZipBytes.how_to_raise()
    )]
    PackageTooLarge {
        /// The package's format.
        format: Format,
        /// The declared size of all parts.
        total: u64,
        /// The limit.
        limit: u64,
    },
    /// A part of a package that must be there is not.
    #[error("the .{format} package has no {part} (damaged?)")]
    MissingPart {
        /// The package's format.
        format: Format,
        /// The part.
        part: String,
    },
    /// A Word document without its main part.
    #[error("not a valid .docx: the package has no '{part}'")]
    NoMainPart {
        /// The part the package names as the document.
        part: String,
    },
    /// A Word document without a body.
    #[error("not a valid .docx: '{part}' has no document body")]
    NoBody {
        /// The part.
        part: String,
    },
    /// XML in a package part that is not well-formed.
    #[error("{}{what}: {source}", prefix(at))]
    Xml {
        /// The part and byte.
        at: Location,
        /// What was being read.
        what: String,
        /// What the XML reader said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A workbook the spreadsheet library cannot open.
    #[error("the .{format} workbook is damaged or truncated and cannot be read: {source}")]
    Workbook {
        /// The workbook's format.
        format: Format,
        /// What the spreadsheet library (calamine, cfb) said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A workbook gongkai rewrites before the spreadsheet library reads it
    /// could not be rewritten.
    #[error("the .{format} workbook could not be prepared for reading: {source}")]
    Rewrite {
        /// The workbook's format.
        format: Format,
        /// What the zip writer said.
        #[source]
        source: zip::result::ZipError,
    },
    /// The workbook lists its sheets wrongly.
    #[error("the workbook's list of sheets: {0}")]
    SheetList(#[source] LimitError),
    /// The workbook lists a sheet twice.
    #[error(
        "the workbook's list of sheets: sheet '{name}' is listed {times} times; a workbook names each sheet once (damaged?)"
    )]
    DuplicateSheet {
        /// The sheet.
        name: String,
        /// How often it is listed.
        times: usize,
    },
    /// The spreadsheet library failed (panicked) on the workbook.
    #[error(
        "the .{format} workbook is damaged: reading it failed inside the spreadsheet library{}",
        detail.as_deref().map(|m| format!(" ({m})")).unwrap_or_default()
    )]
    SpreadsheetLibrary {
        /// The workbook's format.
        format: Format,
        /// The library's message, on one line.
        detail: Option<String>,
    },
    /// A sheet the spreadsheet library cannot read.
    #[error("{at}: the sheet cannot be read: {source}")]
    Sheet {
        /// The sheet.
        at: Location,
        /// What the spreadsheet library said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A row of a CSV file that cannot be read.
    #[error("{at}: {source}")]
    Csv {
        /// The line.
        at: Location,
        /// What the CSV reader said.
        #[source]
        source: csv::Error,
    },
    /// A JSON file that is not JSON or not a gongkai model.
    #[error("{}{what}: {source}", prefix(at))]
    Json {
        /// The line and column.
        at: Location,
        /// "not JSON", "not a gongkai model".
        what: &'static str,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// A model JSON of a schema version this gongkai does not read.
    #[error("model schema version {found}, but this gongkai reads version {reads}")]
    SchemaVersion {
        /// The version in the file.
        found: u64,
        /// The version read.
        reads: u32,
    },
    /// JSON without a schema version.
    #[error("JSON without a \"schema\" version: not a gongkai model")]
    NoSchema,
    /// A model whose parts contradict each other.
    #[error("not a consistent gongkai model: {0}")]
    InconsistentModel(String),
}

/// "zip entry 3", or "part 'x'" when the entry's name is known.
fn entry_name(index: usize, part: &Option<String>) -> String {
    match part {
        Some(name) => format!("part '{name}'"),
        None => format!("zip entry {index}"),
    }
}

impl ReadError {
    pub(crate) fn at(at: Location, message: impl Into<String>) -> ReadError {
        ReadError::At {
            at,
            message: message.into(),
        }
    }

    pub(crate) fn limit_at(at: Location, source: LimitError) -> ReadError {
        ReadError::LimitAt { at, source }
    }

    /// Where the error happened, when the reader knew.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ReadError::LimitAt { at, .. }
            | ReadError::At { at, .. }
            | ReadError::Xml { at, .. }
            | ReadError::Sheet { at, .. }
            | ReadError::Csv { at, .. }
            | ReadError::Json { at, .. } => Some(at),
            _ => None,
        }
    }
}

/// What a reader hands to the normaliser.
#[derive(Debug, Default)]
pub(crate) struct RawDocument {
    /// Tables in source order.
    pub tables: Vec<RawTable>,
    /// Reader warnings.
    pub warnings: Vec<Warning>,
    /// Reading order with the prose between tables, for readers that see
    /// prose; empty means "the tables in order".
    pub blocks: Vec<RawBlock>,
}

/// Text sections of prose lines, pushed to `blocks`: each heading line
/// opens one; lines before the first heading make one without a heading.
/// Each other line is a paragraph, a list item where `item` says so.
pub(crate) fn push_sections(
    lines: impl IntoIterator<Item = (RawLine, bool)>,
    blocks: &mut Vec<RawBlock>,
) {
    use crate::model::{Paragraph, ParagraphKind, Section};
    let mut current: Option<Section> = None;
    for (line, item) in lines {
        if line.heading.is_some() {
            if let Some(s) = current.take() {
                blocks.push(RawBlock::Text(s));
            }
            current = Some(Section {
                heading: Some(line.text.trim().to_string()),
                paragraphs: Vec::new(),
            });
            continue;
        }
        let kind = if item {
            ParagraphKind::Item
        } else {
            ParagraphKind::Plain
        };
        current
            .get_or_insert_with(Section::default)
            .paragraphs
            .push(Paragraph {
                kind,
                text: line.text,
            });
    }
    if let Some(s) = current {
        blocks.push(RawBlock::Text(s));
    }
}

/// Longest line (in characters, spaces not counted) that is still taken
/// for a table's title or meta line; a standard title with its year and
/// department ("广州开发区民营经济和企业服务局2025年一般公共预算“三公”经费支出表")
/// has about 40, a meta line with two items ("编制部门：上海市普陀区财政局
/// 单位：元") about 20.
const MAX_CAPTION_CHARS: usize = 60;

/// Whether a line is short and no sentence: no 。 in it, no clause mark
/// (；，：) at its end, at most [`MAX_CAPTION_CHARS`] characters.
fn short_line(text: &str) -> bool {
    let t = text.trim();
    let chars = t.chars().filter(|c| !c.is_whitespace()).count();
    chars > 0
        && chars <= MAX_CAPTION_CHARS
        && !t.contains(['。', '！', '？'])
        && !t.ends_with(['；', ';', '，', ',', '：', ':', '、'])
}

/// Whether a line reads as a table's meta line: the form of one
/// (部门名称：…, 单位：万元, several items on a line) and short, so that a
/// definition ("基本支出预算：部门及所属预算单位为……。") or a sentence with a
/// colon stays prose.
pub(crate) fn is_meta_line(text: &str) -> bool {
    let t = text.trim();
    crate::classify::looks_like_meta(t)
        && short_line(t.trim_end_matches(['：', ':']))
        && !t.contains('。')
}

/// Whether a line could be a table's title: short, no sentence, not a
/// note (注：…).
pub(crate) fn reads_as_title(text: &str) -> bool {
    short_line(text) && !crate::classify::is_note_start(text)
}

/// Whether a line holds a table's title words: a name ending in 表
/// (收支总表, 支出功能分类预算表, 绩效目标表), a closing bracketed remark such as
/// （含转移支付项目） or （续） aside. (The standard tables' key words alone,
/// 一般公共预算 or 绩效目标, also open chapters: 四、绩效目标设置情况.)
pub(crate) fn names_a_table(text: &str) -> bool {
    let t = text.trim();
    let t = match t.strip_suffix(['）', ')']) {
        Some(open) => open.rfind(['（', '(']).map_or(t, |i| open[..i].trim_end()),
        None => t,
    };
    t.ends_with('表')
}

/// A block of a raw document in reading order.
#[derive(Debug, Clone)]
pub(crate) enum RawBlock {
    /// The raw table at this index of [`RawDocument::tables`].
    Table(usize),
    /// A text section.
    Text(crate::model::Section),
}

/// One table as the source lays it out, before any interpretation.
///
/// Sources that keep title and meta lines in the same grid as the table
/// (text, spreadsheets) put them in `rows`; sources with separate
/// paragraphs (Word, Markdown) put them in `before` and `after`.
#[derive(Debug, Default)]
pub(crate) struct RawTable {
    /// Sheet name, for spreadsheets.
    pub sheet: Option<String>,
    /// How locations in this table are named in messages.
    pub locator: Locator,
    /// Paragraphs before the table.
    pub before: Vec<RawLine>,
    /// The grid, top to bottom. Rows may be ragged.
    pub rows: Vec<RawRow>,
    /// Paragraphs after the table.
    pub after: Vec<RawLine>,
    /// Merged regions, in grid coordinates (indices into `rows` and cells).
    pub merges: Vec<Merge>,
    /// Grid columns hidden in the source.
    pub hidden_cols: Vec<usize>,
    /// Grid cells (row, column) holding a formula saved without its value
    /// (read as empty).
    pub uncached: Vec<(usize, usize)>,
    /// The sheet is hidden in the workbook.
    pub hidden: bool,
    /// Zero-based source column of grid column 0.
    pub first_col: u32,
    /// How many grid rows the source itself marks as header rows (Word's
    /// tblHeader, a Markdown table head); `None` means detect them.
    pub header_rows: Option<usize>,
    /// The amounts a space-aligned table prints: each must become an
    /// amount cell of the normalised table, or the table is refused.
    pub printed_amounts: Option<PrintedAmounts>,
}

/// The amounts printed in the lines of a space-aligned table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrintedAmounts {
    /// Amount tokens (`1,234.56`) in the table's lines.
    pub count: usize,
    /// The table's first and last line.
    pub lines: (u32, u32),
}

/// How a reader's positions are named in messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Locator {
    /// "line 9" (text, Markdown).
    #[default]
    Line,
    /// "sheet '基本支出', cell B7" (spreadsheets).
    Cell,
    /// "table row 3, column 2" (Word tables).
    TableRow,
}

/// A paragraph or line outside the grid.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawLine {
    /// Its text.
    pub text: String,
    /// Its alignment.
    pub align: Align,
    /// Heading level (1 for `#`), when the source marks one.
    pub heading: Option<u8>,
    /// Bold throughout.
    pub bold: bool,
    /// Font size in points, when the source gives one.
    pub size: Option<f32>,
    /// One-based source position (line, paragraph number).
    pub source_row: u32,
}

/// A grid row.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRow {
    /// Cells left to right.
    pub cells: Vec<RawCell>,
    /// One-based source row (line number, sheet row, Word table row).
    pub source_row: u32,
    /// Hidden in the source.
    pub hidden: bool,
}

/// A grid cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawCell {
    /// The text as displayed in the source.
    pub text: String,
    /// A typed number the source gives (spreadsheets); text sources leave it
    /// `None` and the normaliser parses `text`.
    pub number: Option<RawNumber>,
    /// Bold in the source.
    pub bold: bool,
    /// Indentation level in the source (spreadsheet alignment indent).
    pub indent: u8,
    /// Horizontal alignment in the source.
    pub align: Align,
}

impl RawCell {
    /// A plain text cell.
    pub(crate) fn text(text: impl Into<String>) -> RawCell {
        RawCell {
            text: text.into(),
            ..RawCell::default()
        }
    }

    /// Whether the cell shows nothing.
    pub(crate) fn is_blank(&self) -> bool {
        self.number.is_none() && is_blank(&self.text)
    }
}

/// A number typed in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawNumber {
    /// An amount, already exact, with the scale the number format gives.
    Amount(Decimal),
    /// A percentage in percent units.
    Percent(Decimal),
}

/// A merged region in grid coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    /// Top row.
    pub row: usize,
    /// Left column.
    pub col: usize,
    /// Rows covered (≥ 1).
    pub rows: usize,
    /// Columns covered (≥ 1).
    pub cols: usize,
}

/// Whether a text is empty or whitespace only (ASCII and ideographic space).
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace())
}

/// Detects the format of `bytes`, using the file name's extension as a hint.
/// Content wins over the extension where the two disagree, so a .docx
/// renamed to .xlsx is read as what it is.
pub(crate) fn detect(bytes: &[u8], name: &str) -> Result<Format, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let ext = extension(name);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return detect_zip(bytes, &ext);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return detect_ole(bytes);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ReadError::Unsupported(
            "this is a PDF; gongkai writes PDFs but reads the source tables (txt, tsv, csv, fixed-width text, md, json, xlsx, xlsm, xlsb, xls, ods, docx)"
                .into(),
        ));
    }
    if bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"GIF8")
        || bytes.starts_with(b"BM")
    {
        return Err(ReadError::Unsupported(
            "this is an image, not a table; scans need OCR before gongkai can read them".into(),
        ));
    }
    Ok(match ext.as_str() {
        "md" | "markdown" => Format::Markdown,
        "csv" => Format::Csv,
        "json" => Format::Json,
        _ => Format::Text,
    })
}

/// The format a file name's extension claims, for the binary formats whose
/// content identifies them (a .txt may hold CSV without anyone minding).
pub(crate) fn format_of_extension(name: &str) -> Option<Format> {
    Some(match extension(name).as_str() {
        "xlsx" => Format::Xlsx,
        "xlsm" => Format::Xlsm,
        "xlsb" => Format::Xlsb,
        "xls" | "et" => Format::Xls,
        "ods" => Format::Ods,
        "docx" => Format::Docx,
        _ => return None,
    })
}

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// Tells the zip-based formats apart by their part names. Zip entry names
/// stand uncompressed in the local headers, so this works on a truncated
/// file too (whose reader then reports the damage).
fn detect_zip(bytes: &[u8], ext: &str) -> Result<Format, ReadError> {
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    if has(b"word/document.xml") {
        return Ok(Format::Docx);
    }
    if has(b"xl/workbook.bin") {
        return Ok(Format::Xlsb);
    }
    if has(b"xl/workbook.xml") || has(b"xl/worksheets/") {
        return Ok(if ext == "xlsm" || has(b"macroEnabled") {
            Format::Xlsm
        } else {
            Format::Xlsx
        });
    }
    if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        return Ok(Format::Ods);
    }
    if has(b"application/vnd.oasis.opendocument.text") {
        return Err(ReadError::Unsupported(
            "this is an OpenDocument text (.odt); save it as .docx".into(),
        ));
    }
    if has(b"[Content_Types].xml") || has(b"mimetype") {
        return Err(ReadError::Unsupported(
            "a zip package that is neither a workbook nor a Word document".into(),
        ));
    }
    match ext {
        "xlsx" | "xlsm" | "xlsb" | "ods" | "docx" => Err(ReadError::NotAPackage {
            ext: ext.to_string(),
        }),
        _ => Err(ReadError::Unsupported(
            "a zip archive, not a document gongkai reads".into(),
        )),
    }
}

/// Tells OLE2 compound files apart by their stream names (UTF-16LE in the
/// directory sectors).
fn detect_ole(bytes: &[u8]) -> Result<Format, ReadError> {
    let has = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        memchr::memmem::find(bytes, &needle).is_some()
    };
    if has("EncryptedPackage") {
        return Err(ReadError::Unsupported(
            "the workbook is encrypted (password-protected); remove the password in Excel or WPS and save again"
                .into(),
        ));
    }
    if has("WordDocument") {
        return Err(ReadError::Unsupported(
            "this is a Word 97-2003 .doc; save it as .docx".into(),
        ));
    }
    if has("Workbook") || has("Book") {
        return Ok(Format::Xls);
    }
    Err(ReadError::Unsupported(
        "an OLE2 compound file that is not an Excel workbook (a .wps or .et? save it as .xlsx or .docx)"
            .into(),
    ))
}

/// Reads `bytes` of the given format into raw tables; a Word file's parsed
/// styles are shared through `shared` when given.
pub(crate) fn read_raw(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    keep_hidden: bool,
    shared: Option<&docx::SharedStyles>,
) -> Result<RawDocument, ReadError> {
    match format {
        Format::Text => text::read(bytes, text::Delimiter::Detect),
        Format::Fixed => text::read(bytes, text::Delimiter::Spaces),
        Format::Csv => text::read(bytes, text::Delimiter::Comma),
        Format::Markdown => markdown::read(bytes),
        Format::Json => Err(ReadError::WrongReader {
            format,
            reader: "raw grid",
        }),
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods => {
            sheet::read(bytes, format, limits)
        }
        Format::Docx => docx::read(bytes, limits, keep_hidden, shared),
    }
}

/// The formats read as text, which have [`Limits::text_input_bytes`].
pub(crate) fn is_text_format(format: Format) -> bool {
    matches!(
        format,
        Format::Text | Format::Csv | Format::Markdown | Format::Json
    )
}

/// Whether a file name says it holds one of the text formats.
pub(crate) fn has_text_extension(name: &str) -> bool {
    matches!(
        extension(name).as_str(),
        "txt" | "tsv" | "csv" | "md" | "markdown" | "json"
    )
}

/// Checks a reader's grid against the limits before the normaliser and
/// the writers work on it: tables per document, rows and columns per
/// table, cells of the document, characters per cell. The location of
/// the first cell over a limit is named.
pub(crate) fn check_raw(raw: &RawDocument, limits: &Limits) -> Result<(), ReadError> {
    limits.check(Limit::Tables, raw.tables.len())?;
    let mut cells = 0usize;
    for (i, t) in raw.tables.iter().enumerate() {
        let table = || match &t.sheet {
            Some(s) => Location::new().sheet(s.as_str()),
            None => Location::new().table(i as u32 + 1),
        };
        let place = |r: &RawRow| match t.locator {
            Locator::Line => table().line(r.source_row),
            Locator::Cell | Locator::TableRow => table().row(r.source_row),
        };
        let single = |at: Location| match (&t.sheet, raw.tables.len()) {
            (None, 1) => Location { table: None, ..at },
            _ => at,
        };
        let limited = |e: LimitError, at: Location| ReadError::limit_at(single(at), e);
        if let Err(e) = limits.check(Limit::Rows, t.rows.len()) {
            return Err(limited(e, table()));
        }
        for r in &t.rows {
            if let Err(e) = limits.check(Limit::Columns, r.cells.len()) {
                return Err(limited(e, place(r)));
            }
            cells = cells.saturating_add(r.cells.len());
            if let Err(e) = limits.check(Limit::Cells, cells) {
                return Err(limited(e, place(r)));
            }
            for (c, cell) in r.cells.iter().enumerate() {
                // Bytes bound characters from above: count only long texts.
                if cell.text.len() > limits.cell_chars {
                    let chars = cell.text.chars().count();
                    if let Err(e) = limits.check(Limit::CellChars, chars) {
                        let col = match t.locator {
                            Locator::Cell => t.first_col + c as u32 + 1,
                            _ => c as u32 + 1,
                        };
                        return Err(limited(e, place(r).column(col)));
                    }
                }
            }
        }
        for line in t.before.iter().chain(&t.after) {
            if line.text.len() > limits.cell_chars {
                let chars = line.text.chars().count();
                if let Err(e) = limits.check(Limit::CellChars, chars) {
                    return Err(limited(e, table().line(line.source_row)));
                }
            }
        }
    }
    Ok(())
}

/// Checks the header paths of a read document against
/// [`Limits::header_depth`] and [`Limits::columns`].
pub(crate) fn check_header_depth(doc: &Document, limits: &Limits) -> Result<(), ReadError> {
    for (t, table) in doc.tables.iter().enumerate() {
        let here = Location::new().table(t as u32 + 1);
        if let Err(e) = limits.check(Limit::Columns, table.columns.len()) {
            return Err(ReadError::limit_at(here, e));
        }
        for (c, col) in table.columns.iter().enumerate() {
            if let Err(e) = limits.check(Limit::HeaderDepth, col.path.len()) {
                return Err(ReadError::limit_at(here.clone().column(c as u32 + 1), e));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert!(matches!(detect(b"", "x.txt"), Err(ReadError::Empty)));
        assert_eq!(detect(b"a\tb", "x.txt").unwrap(), Format::Text);
        assert_eq!(detect(b"a,b", "x.csv").unwrap(), Format::Csv);
        assert_eq!(detect(b"# t", "x.md").unwrap(), Format::Markdown);
        let fake_docx = b"PK\x03\x04....word/document.xml....";
        assert_eq!(detect(fake_docx, "x.xlsx").unwrap(), Format::Docx);
        let fake_xlsx = b"PK\x03\x04....xl/workbook.xml....";
        assert_eq!(detect(fake_xlsx, "x.bin").unwrap(), Format::Xlsx);
        let err = detect(b"\x89PNG\r\n", "x.txt").unwrap_err().to_string();
        assert!(err.contains("image"), "{err}");
    }

    #[test]
    fn caption_lines_and_prose() {
        for meta in [
            "部门名称：某区民政局",
            "单位：万元",
            "编制部门：上海市普陀区财政局 单位：元",
        ] {
            assert!(is_meta_line(meta), "{meta}");
        }
        for prose in [
            "基本支出预算：部门及所属预算单位为保障机构正常运转而编制的年度基本支出计划。",
            "收入预算1,234.56万元，其中：",
            "以下两张表按《预算法》第十四条的规定公开，金额单位见各表。",
        ] {
            assert!(!is_meta_line(prose), "{prose}");
            assert!(!reads_as_title(prose), "{prose}");
        }
        assert!(reads_as_title(
            "广州开发区民营经济和企业服务局2025年一般公共预算“三公”经费支出表"
        ));
        assert!(!reads_as_title("注：本表收入总计与支出总计相等"));
        assert!(!reads_as_title(&"长".repeat(MAX_CAPTION_CHARS + 1)));
        for title in [
            "2025年部门收支总表",
            "项目支出绩效目标表（含转移支付项目）",
            "收支总表（续）",
        ] {
            assert!(names_a_table(title), "{title}");
        }
        for other in ["四、绩效目标设置情况", "一般公共预算", "（表）"] {
            assert!(!names_a_table(other), "{other}");
        }
    }

    #[test]
    fn a_docx_named_xlsx_is_detected_as_a_docx() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corpus/bad/docx_named_as.xlsx");
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(detect(&bytes, "docx_named_as.xlsx").unwrap(), Format::Docx);
    }
}
