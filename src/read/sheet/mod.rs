//! Spreadsheets: xlsx, xlsm, xlsb, xls and ods, through calamine.
//!
//! **One document, several tables.** A workbook becomes one
//! [`RawDocument`] holding one [`RawTable`](crate::read::RawTable) per non-empty sheet, in workbook
//! order (the model holds several tables per document, so a workbook with
//! 三公经费 and 基本支出 sheets converts into one output with two tables).
//! An empty sheet is skipped with an `empty-sheet` warning; a workbook
//! whose every sheet is empty is a "no table" error. Hidden sheets are read
//! like the others, marked hidden and reported with a `hidden-sheet`
//! warning; hidden rows and columns are kept and marked hidden. The
//! disclosure step ([`crate::disclose`]) leaves them out of public outputs.
//!
//! **The grid.** Each table's grid is bounded by the sheet's non-empty
//! cells, not by its declared dimension (templates declare `A1:IS21` for
//! formatting alone): leading and trailing empty rows and columns are
//! trimmed and empty rows inside are dropped (their sheet row numbers stay
//! on the kept rows as `source_row`), so a blank spacer row does not split
//! a table from its notes. Columns are never dropped, so grid column `c`
//! is sheet column `first_col + c`. Title, meta and note rows stay in the
//! grid for the normaliser to recognise. Merged regions become
//! [`Merge`](crate::read::Merge)s in grid coordinates.
//!
//! **Values.** Numbers go through [`number`]: exact decimals, scale and
//! percent from the cell's number format, and the shown text beside them;
//! formulas give their cached values; error values (`#DIV/0!`) are kept as
//! text and reported as `error-value` warnings; dates are shown as
//! `YYYY-MM-DD` (or 年月日 when the format writes 年).
//!
//! **What each format gives.**
//!
//! | | values | number formats | bold, indent, alignment | merges | hidden rows/cols |
//! |---|---|---|---|---|---|
//! | xlsx, xlsm | calamine | calamine | calamine | calamine | sheet XML |
//! | xls | calamine | BIFF records | BIFF records | calamine | BIFF records |
//! | ods | calamine | shown text in content.xml | content.xml cell styles | content.xml | content.xml |
//! | xlsb | calamine (after rewriting the cell records it skips) | — | — | — | BrtRowHdr, BrtColInfo |
//!
//! **Hostile input.** Before calamine reads a zip package, every member's
//! declared size is checked against [`Limits::zip_part_bytes`] and their sum
//! against [`Limits::zip_bytes`] (a zip bomb is refused without inflating
//! it), and the zip reader stops any member that inflates past its declared
//! size. What calamine would allocate from counts in the file is checked
//! first: an xlsx shared-string count, xls DIMENSIONS records, the extent
//! of xls and ods cells ([`Limits::sheet_range_cells`]), repeated ods rows
//! and columns. Cells and their text are counted per workbook as they are
//! read ([`Limits::sheet_grid_cells`], [`Limits::sheet_text_bytes`],
//! [`Limits::cell_chars`]), so a shared string shown by a million cells is
//! refused before it is copied; grids are bounded by
//! [`Limits::sheet_rows`], [`Limits::sheet_columns`] and
//! [`Limits::sheet_grid_cells`].
//! xls and xlsb records that calamine slices without checking are checked
//! first, and a panic inside calamine still becomes an error.

mod number;
mod ods;
mod package;
mod table;
mod xls;
mod xlsb;
mod xlsx;

use super::{RawBlock, RawDocument, ReadError};
use crate::error::Location;
use crate::limits::{Limit, Limits};
use crate::model::{Align, Format, Paragraph, ParagraphKind, Section, Warning};
use number::NumFormat;

/// Checks the workbook's list of sheets before any sheet is read: at most
/// [`Limits::tables`] sheets, and no sheet listed twice (a damaged or
/// hostile workbook.xml can list one part a thousand times, and each entry
/// would be read and rendered again).
fn check_sheet_list(metas: &[calamine::Sheet], limits: &Limits) -> Result<(), ReadError> {
    let names: Vec<&str> = metas.iter().map(|m| m.name.as_str()).collect();
    check_sheet_names(&names, limits)
}

/// Refuses a list of sheet names over the `tables` limit or naming one
/// sheet twice, before any sheet is read.
fn check_sheet_names(names: &[&str], limits: &Limits) -> Result<(), ReadError> {
    limits
        .check(Limit::Tables, names.len())
        .map_err(ReadError::SheetList)?;
    let mut seen = std::collections::HashSet::new();
    for &name in names {
        if !seen.insert(name) {
            let times = names.iter().filter(|&&o| o == name).count();
            return Err(ReadError::DuplicateSheet {
                name: name.to_string(),
                times,
            });
        }
    }
    Ok(())
}

/// Reads a workbook into one raw table per sheet that holds a table.
/// Sheets of text alone (a cover, a 目录, a sheet of prose) are not tables:
/// they are left out with a `text-sheet` warning here, and
/// [`read_workbook`] gives their text to whoever uses it (the book).
pub(crate) fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<RawDocument, ReadError> {
    read_workbook(bytes, format, limits).map(|w| w.tables)
}

/// A workbook read whole: the raw tables of its table sheets and the text
/// of every sheet, in workbook order.
#[derive(Debug, Default)]
pub(crate) struct Workbook {
    /// The sheets that hold tables, as [`read`] gives them.
    pub tables: RawDocument,
    /// Every non-empty sheet's text cells, in workbook order.
    pub sheets: Vec<SheetText>,
}

/// The text cells of one sheet, top to bottom and left to right.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SheetText {
    /// The sheet's name, as the workbook spells it (trailing spaces kept).
    pub name: String,
    /// Hidden in the workbook.
    pub hidden: bool,
    /// The cells holding text.
    pub cells: Vec<TextCell>,
    /// Whether the sheet holds text alone: no row has two filled cells, so
    /// it is no table (a cover, a 目录, a sheet of prose).
    pub text_only: bool,
}

/// A cell holding text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextCell {
    /// A1 reference, e.g. `A3`.
    pub cell: String,
    /// The text, line breaks and leading spaces kept.
    pub text: String,
}

impl SheetText {
    /// The sheet's lines of text in reading order, each with the cell it
    /// stands in: every cell split at its line breaks, spaces (also the
    /// full-width ones) trimmed, empty lines dropped.
    pub(crate) fn lines(&self) -> Vec<(&str, &str)> {
        self.cells
            .iter()
            .flat_map(|c| {
                c.text
                    .split('\n')
                    .map(|l| l.trim_matches(|ch: char| ch.is_whitespace()))
                    .filter(|l| !l.is_empty())
                    .map(move |l| (c.cell.as_str(), l))
            })
            .collect()
    }

    /// A sheet of prose as a heading (its first line, e.g. the merged A1
    /// title) and paragraphs (every further line): what a text section of
    /// a document, or a chapter of a book, is made of.
    pub(crate) fn heading_and_paragraphs(&self) -> (Option<String>, Vec<String>) {
        let lines = self.lines();
        match lines.split_first() {
            Some(((_, first), rest)) => (
                Some(first.to_string()),
                rest.iter().map(|(_, l)| l.to_string()).collect(),
            ),
            None => (None, Vec::new()),
        }
    }
}

impl SheetText {
    /// The sheet as a text section of a document: its first line the
    /// heading, every further line a paragraph (a list item when it opens
    /// with an outline number such as （一） or 1.).
    pub(crate) fn section(&self) -> Section {
        let (heading, paragraphs) = self.heading_and_paragraphs();
        Section {
            heading,
            paragraphs: paragraphs
                .into_iter()
                .map(|text| Paragraph {
                    kind: if crate::classify::outline_level(&text).is_some() {
                        ParagraphKind::Item
                    } else {
                        ParagraphKind::Plain
                    },
                    text,
                })
                .collect(),
        }
    }
}

fn sheet_text(sheet: &Sheet) -> SheetText {
    let mut cells: Vec<&SheetCell> = sheet
        .cells
        .iter()
        .filter(|c| match &c.value {
            CellValue::Text(t) => !crate::read::is_blank(t),
            _ => true,
        })
        .collect();
    cells.sort_by_key(|c| (c.row, c.col));
    let mut text_only = !cells.is_empty();
    for pair in cells.windows(2) {
        if pair[0].row == pair[1].row {
            text_only = false;
        }
    }
    if cells.iter().any(|c| !matches!(c.value, CellValue::Text(_))) {
        text_only = false;
    }
    SheetText {
        name: sheet.name.clone(),
        hidden: sheet.hidden,
        cells: cells
            .iter()
            .filter_map(|c| match &c.value {
                CellValue::Text(t) => Some(TextCell {
                    cell: cell_ref(c.row, c.col),
                    text: t.replace("\r\n", "\n"),
                }),
                _ => None,
            })
            .collect(),
        text_only,
    }
}

/// Reads a workbook: the raw tables of its table sheets and the text of
/// all its sheets.
pub(crate) fn read_workbook(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Workbook, ReadError> {
    let mut warnings = Vec::new();
    // calamine parses hostile bytes; the checks above it refuse what we
    // know to be dangerous, and a panic inside it becomes an error rather
    // than the end of a batch.
    let loaded = crate::panics::catch(|| match format {
        Format::Xlsx | Format::Xlsm => xlsx::load(bytes, format, limits, &mut warnings),
        Format::Xls => xls::load(bytes, limits, &mut warnings),
        Format::Ods => ods::load(bytes, limits, &mut warnings),
        Format::Xlsb => xlsb::load(bytes, limits, &mut warnings),
        other => Err(ReadError::WrongReader {
            format: other,
            reader: "spreadsheet",
        }),
    });
    let sheets = match loaded {
        Ok(result) => result?,
        Err(why) => {
            return Err(ReadError::SpreadsheetLibrary {
                format,
                detail: Some(why),
            });
        }
    };
    let count = sheets.len();
    let mut budget = Budget::new(limits);
    let mut tables = Vec::new();
    let mut empty = Vec::new();
    let mut texts = Vec::new();
    let mut text_sheets = 0;
    // The reading order: table sheets and text sheets as they stand.
    let mut blocks = Vec::new();
    for sheet in sheets {
        let name = sheet.name.clone();
        let text = sheet_text(&sheet);
        if text.text_only {
            text_sheets += 1;
            if text.hidden {
                warnings.push(Warning::new(
                    "text-sheet",
                    Some(format!("sheet '{name}'")),
                    "the sheet holds text, not a table, and is hidden in the workbook; it is \
                     left out of the document",
                ));
            } else {
                warnings.push(Warning::new(
                    "text-sheet",
                    Some(format!("sheet '{name}'")),
                    "the sheet holds text, not a table; it is kept as a text section (`gongkai \
                     book` makes it a chapter, or the cover or 目录)",
                ));
                blocks.push(RawBlock::Text(text.section()));
            }
            texts.push(text);
            continue;
        }
        if !text.cells.is_empty() || !sheet.cells.is_empty() {
            texts.push(text);
        }
        if sheet.hidden {
            warnings.push(Warning::new(
                "hidden-sheet",
                Some(format!("sheet '{name}'")),
                "the sheet is hidden in the workbook; it is read and marked hidden (public \
                 outputs leave it out)",
            ));
        }
        match table::build(sheet, &mut budget, &mut warnings)? {
            Some(t) => {
                blocks.push(RawBlock::Table(tables.len()));
                tables.push(t);
            }
            None => empty.push(name),
        }
    }
    if tables.is_empty() && text_sheets == 0 {
        return Err(ReadError::NoTable(match (count, empty.first()) {
            (0, _) => "the workbook has no worksheet".to_string(),
            (1, Some(name)) => format!("the workbook's only sheet, '{name}', is empty"),
            _ => format!("all {count} sheets of the workbook are empty"),
        }));
    }
    for name in empty {
        warnings.push(Warning::new(
            "empty-sheet",
            Some(format!("sheet '{name}'")),
            "the sheet is empty; skipped",
        ));
    }
    Ok(Workbook {
        tables: RawDocument {
            tables,
            warnings,
            blocks,
        },
        sheets: texts,
    })
}

/// One sheet as a format module found it, in absolute sheet coordinates
/// (zero-based), before it is laid out as a grid.
#[derive(Debug, Default)]
struct Sheet {
    /// The sheet's name.
    name: String,
    /// Hidden (or very hidden) in the workbook.
    hidden: bool,
    /// Non-empty cells, in any order.
    cells: Vec<SheetCell>,
    /// Styles the cells point into; index 0 is the default style.
    palette: Vec<CellStyle>,
    /// Merged regions: (first row, first column, last row, last column).
    merges: Vec<(u32, u32, u32, u32)>,
    /// Hidden rows, as inclusive ranges.
    hidden_rows: Vec<(u32, u32)>,
    /// Hidden columns, as inclusive ranges.
    hidden_cols: Vec<(u32, u32)>,
    /// Cells (row, column) holding a formula saved without its value.
    uncached: Vec<(u32, u32)>,
}

/// The first and last non-empty (row, column) of a sheet.
type Extent = ((u32, u32), (u32, u32));

/// A cell with a value.
#[derive(Debug)]
struct SheetCell {
    row: u32,
    col: u32,
    value: CellValue,
    /// Index into the sheet's palette.
    style: usize,
}

impl SheetCell {
    /// The cell calamine's streaming reader gives at `cell`, counted against
    /// the workbook's budget before its text is copied; `None` for an
    /// empty cell.
    fn counted(
        budget: &mut Budget,
        sheet: &str,
        cell: &calamine::Cell<calamine::DataRef<'_>>,
        style: usize,
    ) -> Result<Option<SheetCell>, ReadError> {
        let data = cell.get_value();
        if matches!(data, calamine::DataRef::Empty) {
            return Ok(None);
        }
        let (row, col) = cell.get_position();
        budget.cells(sheet, (row, col), CellValue::text_len(data), 1)?;
        Ok(CellValue::from_data_ref(data).map(|value| SheetCell {
            row,
            col,
            value,
            style,
        }))
    }
}

/// Appends an inclusive range of rows or columns, joining it to the last
/// one when adjacent.
fn push_range(ranges: &mut Vec<(u32, u32)>, a: u32, b: u32) {
    if let Some(last) = ranges.last_mut()
        && last.1.checked_add(1) == Some(a)
    {
        last.1 = b.max(last.1);
        return;
    }
    ranges.push((a, b.max(a)));
}

/// A cell value as calamine gives it, owned.
#[derive(Debug)]
enum CellValue {
    Float(f64),
    Int(i64),
    Text(String),
    Bool(bool),
    Date(calamine::ExcelDateTime),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// Converts a calamine value; `None` for an empty cell.
    fn from_data(data: &calamine::Data) -> Option<CellValue> {
        use calamine::Data;
        Some(match data {
            Data::Empty => return None,
            Data::Int(i) => CellValue::Int(*i),
            Data::Float(f) => CellValue::Float(*f),
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                CellValue::Text(s.clone())
            }
            Data::Bool(b) => CellValue::Bool(*b),
            Data::DateTime(dt) => CellValue::Date(*dt),
            Data::Error(e) => CellValue::Error(e.to_string()),
        })
    }

    /// Bytes of text a borrowed calamine value holds.
    fn text_len(data: &calamine::DataRef<'_>) -> usize {
        use calamine::DataRef;
        match data {
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
            DataRef::SharedString(s) => s.len(),
            _ => 0,
        }
    }

    /// Converts a borrowed calamine value; `None` for an empty cell.
    fn from_data_ref(data: &calamine::DataRef<'_>) -> Option<CellValue> {
        use calamine::DataRef;
        Some(match data {
            DataRef::Empty => return None,
            DataRef::Int(i) => CellValue::Int(*i),
            DataRef::Float(f) => CellValue::Float(*f),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                CellValue::Text(s.clone())
            }
            DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
            DataRef::Bool(b) => CellValue::Bool(*b),
            DataRef::DateTime(dt) => CellValue::Date(*dt),
            DataRef::Error(e) => CellValue::Error(e.to_string()),
        })
    }
}

/// What a cell's style says that the model keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct CellStyle {
    format: NumFormat,
    bold: bool,
    indent: u8,
    align: Align,
}

/// What a workbook has used of the limits so far, across its sheets.
#[derive(Debug, Default)]
struct Budget {
    cells: usize,
    text: u64,
    grid: usize,
    /// The limits it is counted against.
    limits: Limits,
}

impl Budget {
    /// Nothing used yet of `limits`.
    fn new(limits: &Limits) -> Budget {
        Budget {
            limits: *limits,
            ..Budget::default()
        }
    }

    /// Counts `repeat` cells from (`row`, `col`) of `sheet` holding
    /// `text_bytes` bytes of text each; refuses what is over the limits
    /// before the text is copied.
    fn cells(
        &mut self,
        sheet: &str,
        (row, col): (u32, u32),
        text_bytes: usize,
        repeat: u64,
    ) -> Result<(), ReadError> {
        // UTF-8 takes at most 4 bytes a character.
        // Over four bytes a character allowed is over the limit for sure:
        // refused before the text is copied, with the characters it holds
        // at least as the count found.
        if text_bytes > self.limits.cell_chars.saturating_mul(4)
            && let Err(e) = self.limits.check(Limit::CellChars, text_bytes.div_ceil(4))
        {
            return Err(ReadError::limit_at(cell_at(sheet, row, col), e));
        }
        self.cells = self
            .cells
            .saturating_add(usize::try_from(repeat).unwrap_or(usize::MAX));
        let grid_cells = self.limits.sheet_grid_cells;
        if self.cells > grid_cells {
            return Err(ReadError::at(
                Location::new().sheet(sheet),
                format!(
                    "more than {grid_cells} cells of the workbook hold values; this is no \
                     budget table (damaged or generated file?; {})",
                    Limit::SheetGridCells.how_to_raise()
                ),
            ));
        }
        self.text = self
            .text
            .saturating_add((text_bytes as u64).saturating_mul(repeat));
        let text_bytes = self.limits.sheet_text_bytes;
        if self.text > text_bytes {
            return Err(ReadError::at(
                cell_at(sheet, row, col),
                format!(
                    "the workbook's cells hold more than {text_bytes} bytes of text together \
                     (one long text repeated in many cells?); this is no budget table ({})",
                    Limit::SheetTextBytes.how_to_raise()
                ),
            ));
        }
        Ok(())
    }
}

/// Where a cell is, from its zero-based position: `sheet '基本支出', cell B7`.
fn cell_at(sheet: &str, row: u32, col: u32) -> Location {
    Location::new()
        .sheet(sheet)
        .row(row.saturating_add(1))
        .column(col.saturating_add(1))
}

/// The error for a workbook calamine cannot open.
fn damaged(format: Format, e: impl Into<calamine::Error>) -> ReadError {
    ReadError::Workbook {
        format,
        source: library_error(e.into()),
    }
}

/// The error of the spreadsheet library without calamine's wrapper (whose
/// message only adds "Xlsx error: "), as the source of a [`ReadError`].
fn library_error(e: calamine::Error) -> Box<dyn std::error::Error + Send + Sync> {
    match e {
        calamine::Error::Io(e) => Box::new(e),
        calamine::Error::Ods(e) => Box::new(e),
        calamine::Error::Xls(e) => Box::new(e),
        calamine::Error::Xlsb(e) => Box::new(e),
        calamine::Error::Xlsx(e) => Box::new(e),
        calamine::Error::Vba(e) => Box::new(e),
        calamine::Error::De(e) => Box::new(e),
        msg @ calamine::Error::Msg(_) => Box::new(msg),
    }
}

/// The error for a sheet calamine cannot read.
fn sheet_error(name: &str, e: impl Into<calamine::Error>) -> ReadError {
    ReadError::Sheet {
        at: Location::new().sheet(name),
        source: library_error(e.into()),
    }
}

/// The message for an encrypted workbook (the same advice as
/// [`crate::read::detect`] gives for an OOXML one).
fn encrypted() -> ReadError {
    ReadError::Unsupported(
        "the workbook is encrypted (password-protected); remove the password in Excel or WPS and save again"
            .into(),
    )
}

/// Refuses a workbook whose sheets calamine would lay out in more than
/// [`Limits::sheet_range_cells`] positions. `extents` are each sheet's
/// first and last non-empty (row, column).
fn check_extents(extents: &[(String, Option<Extent>)], limits: &Limits) -> Result<(), ReadError> {
    let max = limits.sheet_range_cells;
    let mut total: u64 = 0;
    for (name, extent) in extents {
        let Some(((r0, c0), (r1, c1))) = extent else {
            continue;
        };
        let rows = u64::from(r1.saturating_sub(*r0)) + 1;
        let cols = u64::from(c1.saturating_sub(*c0)) + 1;
        total = total.saturating_add(rows.saturating_mul(cols));
        if total > max {
            return Err(ReadError::at(
                Location::new().sheet(name.as_str()),
                format!(
                    "the cells span {rows} rows × {cols} columns (from {} to {}); the workbook's \
                     sheets together may span at most {max} positions ({})",
                    cell_ref(*r0, *c0),
                    cell_ref(*r1, *c1),
                    Limit::SheetRangeCells.how_to_raise()
                ),
            ));
        }
    }
    Ok(())
}

/// A1-style reference of a zero-based position.
fn cell_ref(row: u32, col: u32) -> String {
    format!(
        "{}{}",
        crate::model::column_letters(col),
        u64::from(row) + 1
    )
}
