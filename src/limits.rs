//! Limits: how much of anything gongkai reads or writes for one document.
//!
//! Every limit is checked before the work it bounds, and a refusal names
//! the limit's key, its value and how to raise it ([`LimitError`]). The
//! defaults fit every real budget document with a wide margin (budget
//! tables run to a few thousand rows of tens of columns) and keep one
//! conversion to all four formats under about 500 MB; a profile's
//! `[limits]` table or the `--limits key=value,...` flag raises them.
//!
//! One [`Limits`] travels with the options ([`crate::ReadOptions`] and the
//! profile of [`crate::RenderOptions`]); nothing is global.

use serde::Deserialize;
use std::fmt;
use thiserror::Error;

/// The limits for one document. Each field is a key of a profile's
/// `[limits]` table and of `--limits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest spreadsheet or Word file, in bytes (256 MiB). Their parts
    /// are also bounded one by one when unpacked.
    pub input_bytes: u64,
    /// Largest text, CSV, Markdown or model JSON file, in bytes (32 MiB):
    /// text has no compression, so this bounds the work directly; a budget
    /// table as text is tens of kilobytes.
    pub text_input_bytes: u64,
    /// Most rows of one table (20,000). Measured: a 20,000-row, 3-column
    /// table converts to all four formats in 8 s and 365 MB (834 PDF
    /// pages); the DOCX writer needs about 5 KB per cell.
    pub rows: usize,
    /// Most columns of one table (1,024).
    pub columns: usize,
    /// Most cells (rows × columns) of all the tables of one document
    /// together (100,000; 5,000 rows of 20 columns), which bounds the DOCX
    /// writer's memory.
    pub cells: usize,
    /// Most characters in one cell (32,767, Excel's own limit).
    pub cell_chars: usize,
    /// Most levels of a column's header path (16; budget tables have 1–3).
    pub header_depth: usize,
    /// Most tables (sheets, Word tables) of one document (256).
    pub tables: usize,
    /// Deepest nesting of Word tables inside table cells (4; budget tables
    /// nest none).
    pub nesting: usize,
    /// Most PDF pages of one table (2,000).
    pub pages_per_table: usize,
    /// Most PDF pages of one document (5,000).
    pub pages: usize,
    /// Largest single output file, in bytes (512 MiB).
    pub output_bytes: u64,
    /// Largest uncompressed size one zip part (a sheet's XML, the shared
    /// strings, a Word document's body) may declare, in bytes (100 MiB).
    /// Checked before anything is inflated, so a zip bomb is refused
    /// unread; a 65,536-row budget table is under 30 MB of XML.
    pub zip_part_bytes: u64,
    /// Largest uncompressed size all parts of one zip package (xlsx, xlsm,
    /// xlsb, ods, docx) may declare together, in bytes (200 MiB).
    pub zip_bytes: u64,
    /// Most parts one zip package may list (10,000). A workbook with a
    /// hundred sheets has a few hundred parts.
    pub zip_parts: usize,
    /// Most rows of one sheet holding values (65,536, the most an xls
    /// holds), checked while the sheet is read, before [`Limits::rows`]
    /// is checked on the table made of it.
    pub sheet_rows: usize,
    /// Most columns the cells of one sheet may span (1,024).
    pub sheet_columns: usize,
    /// Most grid positions (rows × columns) and most cells holding values
    /// of all the sheets of one workbook together (1,000,000), which bounds
    /// the reader's memory before the empty rows and columns are trimmed;
    /// also how many positions of formula cells without a saved value an
    /// xlsx sheet's warning remembers (past that only their count goes on).
    pub sheet_grid_cells: usize,
    /// Most positions the used ranges of all sheets of an xls or ods
    /// workbook may span together (4,000,000): the spreadsheet library lays
    /// out the whole range in memory, so this is checked before it does.
    pub sheet_range_cells: u64,
    /// Most merged ranges of one ods sheet (100,000).
    pub sheet_merges: usize,
    /// Most bytes of text the cells of one workbook may hold together
    /// (256 MiB). A shared string is stored once but copied into every
    /// cell that shows it, so a small file can name a long string a
    /// million times; this bounds the copies.
    pub sheet_text_bytes: u64,
    /// Most grid positions of the Word tables of one document together
    /// (2,000,000), laid out before empty rows and columns are trimmed.
    pub docx_grid_cells: usize,
    /// Most grid columns of one Word table, and most a cell may span or a
    /// row may skip (1,000; Word itself makes at most 63).
    pub docx_grid_columns: usize,
    /// Most styles of one basedOn chain of a Word document's styles
    /// followed (16; Word's built-in styles chain two or three): styles
    /// further up are not followed, with a warning naming the limit.
    pub docx_style_chain: usize,
    /// Largest font file a profile may name, in bytes (64 MiB; CJK fonts
    /// run to 20–30 MB, collections of them a little more). Checked when
    /// the profile is loaded, before the file is read.
    pub font_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            input_bytes: 256 * 1024 * 1024,
            text_input_bytes: 32 * 1024 * 1024,
            rows: 20_000,
            columns: 1_024,
            cells: 100_000,
            cell_chars: 32_767,
            header_depth: 16,
            tables: 256,
            nesting: 4,
            pages_per_table: 2_000,
            pages: 5_000,
            output_bytes: 512 * 1024 * 1024,
            zip_part_bytes: 100 * 1024 * 1024,
            zip_bytes: 200 * 1024 * 1024,
            zip_parts: 10_000,
            sheet_rows: 65_536,
            sheet_columns: 1_024,
            sheet_grid_cells: 1_000_000,
            sheet_range_cells: 4_000_000,
            sheet_merges: 100_000,
            sheet_text_bytes: 256 * 1024 * 1024,
            docx_grid_cells: 2_000_000,
            docx_grid_columns: 1_000,
            docx_style_chain: 16,
            font_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Which limit a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`Limits::input_bytes`].
    InputBytes,
    /// [`Limits::text_input_bytes`].
    TextInputBytes,
    /// [`Limits::rows`].
    Rows,
    /// [`Limits::columns`].
    Columns,
    /// [`Limits::cells`].
    Cells,
    /// [`Limits::cell_chars`].
    CellChars,
    /// [`Limits::header_depth`].
    HeaderDepth,
    /// [`Limits::tables`].
    Tables,
    /// [`Limits::nesting`].
    Nesting,
    /// [`Limits::pages_per_table`].
    PagesPerTable,
    /// [`Limits::pages`].
    Pages,
    /// [`Limits::output_bytes`].
    OutputBytes,
    /// [`Limits::zip_part_bytes`].
    ZipPartBytes,
    /// [`Limits::zip_bytes`].
    ZipBytes,
    /// [`Limits::zip_parts`].
    ZipParts,
    /// [`Limits::sheet_rows`].
    SheetRows,
    /// [`Limits::sheet_columns`].
    SheetColumns,
    /// [`Limits::sheet_grid_cells`].
    SheetGridCells,
    /// [`Limits::sheet_range_cells`].
    SheetRangeCells,
    /// [`Limits::sheet_merges`].
    SheetMerges,
    /// [`Limits::sheet_text_bytes`].
    SheetTextBytes,
    /// [`Limits::docx_grid_cells`].
    DocxGridCells,
    /// [`Limits::docx_grid_columns`].
    DocxGridColumns,
    /// [`Limits::docx_style_chain`].
    DocxStyleChain,
    /// [`Limits::font_bytes`].
    FontBytes,
}

impl Limit {
    /// Every limit, in the order of [`Limits`]' fields.
    pub const ALL: [Limit; 25] = [
        Limit::InputBytes,
        Limit::TextInputBytes,
        Limit::Rows,
        Limit::Columns,
        Limit::Cells,
        Limit::CellChars,
        Limit::HeaderDepth,
        Limit::Tables,
        Limit::Nesting,
        Limit::PagesPerTable,
        Limit::Pages,
        Limit::OutputBytes,
        Limit::ZipPartBytes,
        Limit::ZipBytes,
        Limit::ZipParts,
        Limit::SheetRows,
        Limit::SheetColumns,
        Limit::SheetGridCells,
        Limit::SheetRangeCells,
        Limit::SheetMerges,
        Limit::SheetTextBytes,
        Limit::DocxGridCells,
        Limit::DocxGridColumns,
        Limit::DocxStyleChain,
        Limit::FontBytes,
    ];

    /// The key in `[limits]` and `--limits`.
    pub fn key(self) -> &'static str {
        match self {
            Limit::InputBytes => "input_bytes",
            Limit::TextInputBytes => "text_input_bytes",
            Limit::Rows => "rows",
            Limit::Columns => "columns",
            Limit::Cells => "cells",
            Limit::CellChars => "cell_chars",
            Limit::HeaderDepth => "header_depth",
            Limit::Tables => "tables",
            Limit::Nesting => "nesting",
            Limit::PagesPerTable => "pages_per_table",
            Limit::Pages => "pages",
            Limit::OutputBytes => "output_bytes",
            Limit::ZipPartBytes => "zip_part_bytes",
            Limit::ZipBytes => "zip_bytes",
            Limit::ZipParts => "zip_parts",
            Limit::SheetRows => "sheet_rows",
            Limit::SheetColumns => "sheet_columns",
            Limit::SheetGridCells => "sheet_grid_cells",
            Limit::SheetRangeCells => "sheet_range_cells",
            Limit::SheetMerges => "sheet_merges",
            Limit::DocxGridCells => "docx_grid_cells",
            Limit::DocxGridColumns => "docx_grid_columns",
            Limit::DocxStyleChain => "docx_style_chain",
            Limit::FontBytes => "font_bytes",
            Limit::SheetTextBytes => "sheet_text_bytes",
        }
    }

    /// What the limit counts, for messages.
    fn what(self) -> &'static str {
        match self {
            Limit::InputBytes => "bytes in the file",
            Limit::TextInputBytes => "bytes in the text file",
            Limit::Rows => "rows in one table",
            Limit::Columns => "columns in one table",
            Limit::Cells => "cells in the document",
            Limit::CellChars => "characters in one cell",
            Limit::HeaderDepth => "levels in a header path",
            Limit::Tables => "tables in the document",
            Limit::Nesting => "levels of tables nested in table cells",
            Limit::PagesPerTable => "PDF pages for one table",
            Limit::Pages => "PDF pages for the document",
            Limit::OutputBytes => "bytes in one output",
            Limit::ZipPartBytes => "bytes in one zip part",
            Limit::ZipBytes => "bytes in the zip package",
            Limit::ZipParts => "parts in the zip package",
            Limit::SheetRows => "rows in one sheet",
            Limit::SheetColumns => "columns in one sheet",
            Limit::SheetGridCells => "grid positions of the workbook",
            Limit::SheetRangeCells => "positions in the used ranges of the workbook",
            Limit::SheetMerges => "merged ranges in one sheet",
            Limit::DocxGridCells => "grid positions of the Word tables",
            Limit::DocxGridColumns => "grid columns in one Word table",
            Limit::DocxStyleChain => "styles in one basedOn chain",
            Limit::FontBytes => "bytes in the font file",
            Limit::SheetTextBytes => "bytes of text in the workbook's cells",
        }
    }
}

impl Limit {
    /// Names this limit and how to raise it, for messages that keep their
    /// own wording: `the limit is zip_part_bytes: raise it with --limits
    /// zip_part_bytes=N or [limits] zip_part_bytes = N in a profile`.
    pub fn how_to_raise(self) -> String {
        let key = self.key();
        format!(
            "the limit is {key}: raise it with --limits {key}=N or [limits] {key} = N in a profile"
        )
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A limit was reached: names it, the value found (at least), the limit
/// and how to raise it.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error(
    "{found} {what}, over the limit {key} = {max} (raise it with --limits {key}=N or \
     [limits] {key} = N in a profile)",
    what = limit.what(),
    key = limit.key()
)]
pub struct LimitError {
    /// Which limit.
    pub limit: Limit,
    /// What was found (the count at which reading stopped, at least).
    pub found: u64,
    /// The limit's value.
    pub max: u64,
}

/// Why a `--limits key=value,...` text could not be applied.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum LimitSpecError {
    /// An item without `=`.
    #[error("'{item}': a limit is key=value, e.g. rows=200000")]
    NotKeyValue {
        /// The item.
        item: String,
    },
    /// A key that names no limit.
    #[error(
        "unknown limit '{key}' (limits: {})",
        Limit::ALL.map(Limit::key).join(", ")
    )]
    UnknownKey {
        /// The key.
        key: String,
    },
    /// A value that is no whole number.
    #[error("{key}: '{value}' is not a whole number")]
    NotANumber {
        /// The limit.
        key: Limit,
        /// The value given.
        value: String,
    },
}

impl LimitError {
    /// A refusal of `limit` with `found` against `max`.
    pub fn new(limit: Limit, found: u64, max: u64) -> LimitError {
        LimitError { limit, found, max }
    }
}

impl Limits {
    /// The value of one limit.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::InputBytes => self.input_bytes,
            Limit::TextInputBytes => self.text_input_bytes,
            Limit::Rows => self.rows as u64,
            Limit::Columns => self.columns as u64,
            Limit::Cells => self.cells as u64,
            Limit::CellChars => self.cell_chars as u64,
            Limit::HeaderDepth => self.header_depth as u64,
            Limit::Tables => self.tables as u64,
            Limit::Nesting => self.nesting as u64,
            Limit::PagesPerTable => self.pages_per_table as u64,
            Limit::Pages => self.pages as u64,
            Limit::OutputBytes => self.output_bytes,
            Limit::ZipPartBytes => self.zip_part_bytes,
            Limit::ZipBytes => self.zip_bytes,
            Limit::ZipParts => self.zip_parts as u64,
            Limit::SheetRows => self.sheet_rows as u64,
            Limit::SheetColumns => self.sheet_columns as u64,
            Limit::SheetGridCells => self.sheet_grid_cells as u64,
            Limit::SheetRangeCells => self.sheet_range_cells,
            Limit::SheetMerges => self.sheet_merges as u64,
            Limit::DocxGridCells => self.docx_grid_cells as u64,
            Limit::DocxGridColumns => self.docx_grid_columns as u64,
            Limit::DocxStyleChain => self.docx_style_chain as u64,
            Limit::FontBytes => self.font_bytes,
            Limit::SheetTextBytes => self.sheet_text_bytes,
        }
    }

    /// Sets one limit.
    pub fn set(&mut self, limit: Limit, value: u64) {
        let n = usize::try_from(value).unwrap_or(usize::MAX);
        match limit {
            Limit::InputBytes => self.input_bytes = value,
            Limit::TextInputBytes => self.text_input_bytes = value,
            Limit::Rows => self.rows = n,
            Limit::Columns => self.columns = n,
            Limit::Cells => self.cells = n,
            Limit::CellChars => self.cell_chars = n,
            Limit::HeaderDepth => self.header_depth = n,
            Limit::Tables => self.tables = n,
            Limit::Nesting => self.nesting = n,
            Limit::PagesPerTable => self.pages_per_table = n,
            Limit::Pages => self.pages = n,
            Limit::OutputBytes => self.output_bytes = value,
            Limit::ZipPartBytes => self.zip_part_bytes = value,
            Limit::ZipBytes => self.zip_bytes = value,
            Limit::ZipParts => self.zip_parts = n,
            Limit::SheetRows => self.sheet_rows = n,
            Limit::SheetColumns => self.sheet_columns = n,
            Limit::SheetGridCells => self.sheet_grid_cells = n,
            Limit::SheetRangeCells => self.sheet_range_cells = value,
            Limit::SheetMerges => self.sheet_merges = n,
            Limit::DocxGridCells => self.docx_grid_cells = n,
            Limit::DocxGridColumns => self.docx_grid_columns = n,
            Limit::DocxStyleChain => self.docx_style_chain = n,
            Limit::FontBytes => self.font_bytes = value,
            Limit::SheetTextBytes => self.sheet_text_bytes = value,
        }
    }

    /// `Err` naming the limit when `found` is over it.
    pub fn check(&self, limit: Limit, found: usize) -> Result<(), LimitError> {
        self.check_u64(limit, found as u64)
    }

    /// [`Limits::check`] for byte counts.
    pub fn check_u64(&self, limit: Limit, found: u64) -> Result<(), LimitError> {
        let max = self.get(limit);
        if found > max {
            Err(LimitError::new(limit, found, max))
        } else {
            Ok(())
        }
    }

    /// Applies `key=value,...` (the `--limits` flag) over these limits.
    /// Values are whole numbers and may carry a K, M or G suffix (×1024).
    pub fn apply_overrides(&mut self, spec: &str) -> Result<(), LimitSpecError> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| LimitSpecError::NotKeyValue { item: item.into() })?;
            let key = key.trim();
            let limit = Limit::ALL
                .into_iter()
                .find(|l| l.key() == key)
                .ok_or_else(|| LimitSpecError::UnknownKey { key: key.into() })?;
            let value = value.trim();
            let value = parse_size(value).ok_or_else(|| LimitSpecError::NotANumber {
                key: limit,
                value: value.into(),
            })?;
            self.set(limit, value);
        }
        Ok(())
    }
}

/// `123`, `64K`, `32M`, `1G` (binary multiples).
fn parse_size(s: &str) -> Option<u64> {
    let (digits, factor) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1u64 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    digits
        .replace('_', "")
        .parse::<u64>()
        .ok()?
        .checked_mul(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_and_name_unknown_keys() {
        let mut l = Limits::default();
        l.apply_overrides("rows=200000, text_input_bytes=64M")
            .unwrap();
        assert_eq!(l.rows, 200_000);
        assert_eq!(l.text_input_bytes, 64 << 20);
        let err = l.apply_overrides("rowz=1").unwrap_err().to_string();
        assert!(err.contains("unknown limit 'rowz'") && err.contains("pages_per_table"));
        assert!(l.apply_overrides("rows=lots").is_err());
        assert!(l.apply_overrides("rows").is_err());
    }

    #[test]
    fn a_refusal_names_key_value_and_how_to_raise_it() {
        let l = Limits::default();
        assert!(l.check(Limit::Rows, 20_000).is_ok());
        let err = l.check(Limit::Rows, 70_000).unwrap_err().to_string();
        assert_eq!(
            err,
            "70000 rows in one table, over the limit rows = 20000 (raise it with --limits \
             rows=N or [limits] rows = N in a profile)"
        );
    }

    #[test]
    fn every_key_round_trips() {
        let mut l = Limits::default();
        for (i, limit) in Limit::ALL.into_iter().enumerate() {
            l.set(limit, 1000 + i as u64);
            assert_eq!(l.get(limit), 1000 + i as u64, "{limit}");
        }
    }
}
