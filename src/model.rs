//! The canonical form every reader produces and every writer consumes.
//!
//! Nothing in here does I/O. The model is serialised to JSON as it is
//! (`gongkai inspect`, the `json` output) and carries [`SCHEMA_VERSION`];
//! reading a model with another version fails loudly.
//!
//! Amounts are [`Decimal`]s and serialise as strings (`"3593.00"`), never as
//! floating point numbers.
//!
//! ## Changelog
//!
//! Behaviour changes around the model, newest first.
//!
//! - **Issue 11 (never invent a number, same bytes everywhere, batch
//!   names).** A document reaches the writers only after the plausibility
//!   gate ([`crate::plausible`]): a header of number fragments, amounts or
//!   prose split at thousands separators, an amount with more decimals than
//!   its [`Cell::raw`] shows, a table whose rows mostly fail to parse,
//!   space-aligned text read as fields, and a (JSON) model whose column
//!   path does not end in its name are read errors naming the line or cell.
//!   Outputs are dated by the date rule of [`crate::time`]
//!   (`SOURCE_DATE_EPOCH`, the date the document states, its budget year,
//!   2000-01-01), never by a file's modification time;
//!   `RenderOptions::dated_from(path)` became
//!   [`crate::RenderOptions::dated_for`]`(doc)`, `book::newest_input_time`
//!   became [`crate::book::epoch`], and `BookOptions::created` is an
//!   `Option`. [`Source::path`] and the batch manifest's paths name files
//!   losslessly ([`crate::path_text`]: `a\xff.txt` for a byte that is not
//!   UTF-8, `\\` for a backslash); [`crate::output_stems`] returns
//!   `OsString`s that never meet, not even ignoring case.
//! - **Issue 11 (hidden content).** Additions within schema 1, left out
//!   of the JSON when false, so older model files still read:
//!   `Table.hidden` (a hidden sheet) and `Column.formulas_without_values`.
//!   Public outputs carry no `hidden` flag at all, since hidden content is
//!   left out of them; an archive copy (`hidden = "keep"`) keeps the flags.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Version of the serialised model. Bump it when the JSON shape changes.
///
/// Version 2 added [`Document::blocks`] (prose between tables); version 1
/// models are still read (they have no blocks).
pub const SCHEMA_VERSION: u32 = 2;

/// Older schema versions that still read as they are.
pub const READABLE_SCHEMA_VERSIONS: &[u32] = &[1, 2];

/// One input file, normalised: its tables, where they came from and what the
/// reader noticed on the way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Schema version of this JSON form; always [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The file the document was read from.
    pub source: Source,
    /// The tables of the file in source order (sheets, Word tables, …).
    pub tables: Vec<Table>,
    /// The document in reading order: text sections between references to
    /// [`tables`](Document::tables). Empty means "just the tables in order".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
    /// What the reader and normaliser noticed but could carry on from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Document {
    /// The document's title: the first table's title, if any.
    pub fn title(&self) -> Option<&str> {
        self.tables.iter().find_map(|t| t.title.as_deref())
    }

    /// The department named by the first 部门名称/编制部门 line, if any.
    pub fn department(&self) -> Option<&str> {
        self.tables.iter().find_map(Table::department)
    }
}

/// One block of a document in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase", tag = "type", deny_unknown_fields)]
pub enum Block {
    /// The table at this index of [`Document::tables`].
    Table {
        /// Index into [`Document::tables`].
        index: usize,
    },
    /// Prose: a heading and its paragraphs.
    Text(Section),
}

/// A text section: an optional heading and the paragraphs under it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading, if the section has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// Paragraphs in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph of prose; line breaks the source keeps inside it are `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Paragraph {
    /// Plain paragraph or list item.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: ParagraphKind,
    /// The text.
    pub text: String,
}

/// What kind of paragraph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    /// An ordinary paragraph.
    #[default]
    Plain,
    /// An item of a list (（一）…, 1.…, - …).
    Item,
}

impl Document {
    /// The blocks in reading order: [`blocks`](Document::blocks), or one
    /// table block per table when the document has none.
    pub fn reading_order(&self) -> Vec<Block> {
        if self.blocks.is_empty() {
            (0..self.tables.len())
                .map(|index| Block::Table { index })
                .collect()
        } else {
            self.blocks.clone()
        }
    }

    /// Checks that every table block names an existing table, once, and
    /// that every table has a block (when there are blocks). The error
    /// starts with the JSON path of what is wrong (`blocks[2].index`).
    pub fn check_blocks(&self) -> Result<(), String> {
        if self.blocks.is_empty() {
            return Ok(());
        }
        let mut seen = vec![false; self.tables.len()];
        for (i, b) in self.blocks.iter().enumerate() {
            if let Block::Table { index } = b {
                match seen.get_mut(*index) {
                    None => {
                        return Err(format!(
                            "blocks[{i}].index: table {index}, but the document has {} table(s)",
                            self.tables.len()
                        ));
                    }
                    Some(true) => {
                        return Err(format!("blocks[{i}].index: table {index} a second time"));
                    }
                    Some(s) => *s = true,
                }
            }
        }
        if let Some(missing) = seen.iter().position(|s| !s) {
            return Err(format!("tables[{missing}]: no block names the table"));
        }
        Ok(())
    }
}

/// Provenance of a document: which file, which bytes, which format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Path as the caller named it (relative paths stay relative).
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
    /// The format the file was read as.
    pub format: Format,
}

/// Input formats gongkai knows about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: tab-separated or space-aligned.
    Text,
    /// Comma-separated values.
    Csv,
    /// Text aligned in columns with spaces (legacy exports, `pdftotext
    /// -layout`); detected as [`Format::Text`], this forces the reading.
    Fixed,
    /// GitHub-flavoured Markdown with pipe tables.
    Markdown,
    /// gongkai's own JSON model.
    Json,
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros.
    Xlsm,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97-2003 (BIFF8) workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Office Open XML word-processing document.
    Docx,
}

impl Format {
    /// Lower-case name, as used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Fixed => "fixed",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Docx => "docx",
        }
    }

    /// Whether this is one of the spreadsheet formats.
    pub fn is_spreadsheet(self) -> bool {
        matches!(
            self,
            Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One table with the lines that belong to it: title, meta lines above,
/// notes below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The title above the table (merged title row, centred paragraph, `#`
    /// heading, first text line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Meta lines between the title and the table, in source order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta: Vec<Meta>,
    /// The money unit the meta lines declare (单位：万元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Unit>,
    /// Leaf columns, left to right.
    pub columns: Vec<Column>,
    /// Body rows, top to bottom. Every row has exactly one cell per column.
    pub rows: Vec<Row>,
    /// Notes after the table (注：…, 说明：…), one entry per line/paragraph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where in the source file the table was.
    pub origin: Origin,
    /// The sheet is hidden in the workbook (kept only when hidden content
    /// is kept; public versions leave the table out).
    #[serde(default, skip_serializing_if = "is_default")]
    pub hidden: bool,
}

impl Table {
    /// The value of the 部门名称 (or 编制部门, 单位名称 …) meta line.
    pub fn department(&self) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key.as_deref().is_some_and(is_department_key))
            .map(|m| m.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Number of header rows the column paths need (1 for a flat header).
    pub fn header_depth(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.path.len())
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// Index of the column that labels the rows: the first text column.
    pub fn label_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.kind == ColumnKind::Text)
    }

    /// Text of a row's label cell, if any; when it is empty, the first
    /// text before the amounts (a 合计 merged over the 类/款/项 code
    /// columns stands in the first of them).
    pub fn row_label<'a>(&self, row: &'a Row) -> Option<&'a str> {
        let col = self.label_column()?;
        row.cells.get(col).and_then(Cell::text).or_else(|| {
            row.cells
                .iter()
                .zip(&self.columns)
                .take_while(|(_, c)| c.kind != ColumnKind::Amount)
                .find_map(|(cell, _)| cell.text().filter(|t| !t.trim().is_empty()))
        })
    }
}

/// Whether a meta key names the department/unit that made the table.
pub fn is_department_key(key: &str) -> bool {
    matches!(
        key,
        "部门名称" | "编制部门" | "编制单位" | "单位名称" | "部门" | "填报单位" | "预算单位"
    )
}

/// A meta line such as `部门名称：广州市黄埔区科学技术局` or `单位：万元`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The part before the colon, if the line has the key：value form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The part after the colon (or the whole line when there is no key).
    pub value: String,
    /// The line exactly as it stood in the source.
    pub text: String,
    /// Which side of the line it stood on in the source (单位 is usually on
    /// the right).
    #[serde(default, skip_serializing_if = "is_default")]
    pub align: Align,
}

/// Horizontal placement of a line in the source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Left or unknown.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// Money units of Chinese budget tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Unit {
    /// 元
    #[serde(rename = "元")]
    Yuan,
    /// 千元
    #[serde(rename = "千元")]
    ThousandYuan,
    /// 万元
    #[serde(rename = "万元")]
    TenThousandYuan,
    /// 亿元
    #[serde(rename = "亿元")]
    HundredMillionYuan,
}

impl Unit {
    /// Parses the unit names used in 单位：… lines.
    pub fn parse(s: &str) -> Option<Unit> {
        match s.trim().trim_end_matches(['。', '.']) {
            "元" | "人民币元" => Some(Unit::Yuan),
            "千元" => Some(Unit::ThousandYuan),
            "万元" => Some(Unit::TenThousandYuan),
            "亿元" => Some(Unit::HundredMillionYuan),
            _ => None,
        }
    }

    /// The unit's Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::ThousandYuan => "千元",
            Unit::TenThousandYuan => "万元",
            Unit::HundredMillionYuan => "亿元",
        }
    }
}

/// A leaf column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The leaf header text (the last element of `path`).
    pub name: String,
    /// The header path from the top header row down to the leaf, e.g.
    /// `["资金来源", "财政拨款"]`; a single-level column has a path of one.
    pub path: Vec<String>,
    /// What the column holds.
    pub kind: ColumnKind,
    /// Hidden in the source (public versions leave it out unless hidden
    /// content is kept).
    #[serde(default, skip_serializing_if = "is_default")]
    pub hidden: bool,
    /// Every body cell is a formula saved without its value (the workbook
    /// was never recalculated), so the column shows nothing; public
    /// versions leave it out.
    #[serde(default, skip_serializing_if = "is_default")]
    pub formulas_without_values: bool,
    /// Zero-based column index in the source grid (sheet column, field
    /// number), for tracing values back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_col: Option<u32>,
}

/// What a column holds; decides alignment and formatting in the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// Free text (names, targets, indicators).
    Text,
    /// Money amounts.
    Amount,
    /// Classification codes such as 201 / 20103 / 2010301 or 类/款/项 parts,
    /// kept as text ("06" stays "06").
    Code,
    /// Percentages.
    Percent,
}

/// What role a body row plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// 合计 / 总计 rows.
    Total,
    /// A row that sums the rows below it (a unit above its projects, a 类
    /// above its 款).
    Subtotal,
    /// An ordinary row.
    Item,
    /// A remark standing inside the table body.
    Note,
}

/// A body row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// The row's role.
    pub kind: RowKind,
    /// Depth in the hierarchy: 0 for totals, 1 for top-level rows, deeper
    /// for their children.
    pub level: u8,
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Hidden in the source (public versions leave it out unless hidden
    /// content is kept).
    #[serde(default, skip_serializing_if = "is_default")]
    pub hidden: bool,
    /// One-based row (sheet row, text line, Word table row) in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_row: Option<u32>,
}

/// One value of a cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// Nothing in the cell.
    #[default]
    Empty,
    /// Text, exactly as in the source (no trimming of inner characters, no
    /// normalisation of full-width forms).
    Text(String),
    /// An exact amount.
    Amount(Decimal),
    /// A percentage in percent units: 95.5 means 95.5 %.
    Percent(Decimal),
}

/// A body cell: its value, the source text where that differs from the
/// value's canonical form, and its span.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "CellRepr", into = "CellRepr")]
pub struct Cell {
    /// The normalised value.
    pub value: Value,
    /// The source text, kept when it differs from the canonical form of the
    /// value (e.g. "(12.50)" for −12.50, "３５９３" for 3593.00).
    pub raw: Option<String>,
    /// Rows this cell covers (≥ 1); the covered cells below are empty.
    pub row_span: Span,
    /// Columns this cell covers (≥ 1); the covered cells to the right are
    /// empty.
    pub col_span: Span,
    /// Performance indicators parsed from a 绩效指标 cell (its text stays in
    /// `value`).
    pub indicators: Vec<Indicator>,
}

impl Cell {
    /// A text cell.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The amount of an amount cell.
    pub fn amount(&self) -> Option<Decimal> {
        match self.value {
            Value::Amount(d) => Some(d),
            _ => None,
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self.value, Value::Empty)
    }

    /// A cell holding `value` with no raw text and no span.
    pub fn new(value: Value) -> Cell {
        Cell {
            value,
            ..Cell::default()
        }
    }
}

impl Value {
    /// The canonical text of a value: amounts without separators ("3593.00"),
    /// percentages with a sign ("95.00%"), text as it is, empty as "".
    pub fn canonical(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Amount(d) => d.to_string(),
            Value::Percent(d) => format!("{d}%"),
        }
    }
}

/// A row or column span; always at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Span(u32);

impl Span {
    /// A span of one.
    pub const ONE: Span = Span(1);

    /// A span of `n`, or `None` when `n` is 0.
    pub fn new(n: u32) -> Option<Span> {
        (n >= 1).then_some(Span(n))
    }

    /// The number of rows or columns covered.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Span {
    fn default() -> Self {
        Span::ONE
    }
}

impl TryFrom<u32> for Span {
    type Error = String;
    fn try_from(n: u32) -> Result<Span, String> {
        Span::new(n).ok_or_else(|| "a span must be at least 1".to_string())
    }
}

impl From<Span> for u32 {
    fn from(s: Span) -> u32 {
        s.0
    }
}

impl JsonSchema for Span {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Span".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 1 })
    }
}

/// The JSON shape of a [`Cell`]: at most one of `text`, `amount`, `percent`;
/// an empty cell is `{}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Cell")]
struct CellRepr {
    /// Text value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// Exact amount as a decimal string ("3593.00", "-24.40").
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    #[schemars(with = "Option<String>", regex(pattern = r"^-?[0-9]+(\.[0-9]+)?$"))]
    amount: Option<Decimal>,
    /// Percentage in percent units as a decimal string ("95.50").
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rust_decimal::serde::str_option"
    )]
    #[schemars(with = "Option<String>", regex(pattern = r"^-?[0-9]+(\.[0-9]+)?$"))]
    percent: Option<Decimal>,
    /// Source text where it differs from the value's canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
    /// Rows covered (≥ 1), when more than one.
    #[serde(default, skip_serializing_if = "is_one")]
    row_span: Span,
    /// Columns covered (≥ 1), when more than one.
    #[serde(default, skip_serializing_if = "is_one")]
    col_span: Span,
    /// Structured performance indicators parsed from the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    indicators: Vec<Indicator>,
}

impl JsonSchema for Cell {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        CellRepr::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        CellRepr::json_schema(generator)
    }
}

impl TryFrom<CellRepr> for Cell {
    type Error = String;
    fn try_from(r: CellRepr) -> Result<Cell, String> {
        let value = match (r.text, r.amount, r.percent) {
            (None, None, None) => Value::Empty,
            (Some(t), None, None) => Value::Text(t),
            (None, Some(a), None) => Value::Amount(a),
            (None, None, Some(p)) => Value::Percent(p),
            _ => return Err("a cell holds at most one of text, amount, percent".into()),
        };
        Ok(Cell {
            value,
            raw: r.raw,
            row_span: r.row_span,
            col_span: r.col_span,
            indicators: r.indicators,
        })
    }
}

impl From<Cell> for CellRepr {
    fn from(c: Cell) -> CellRepr {
        let mut r = CellRepr {
            raw: c.raw,
            row_span: c.row_span,
            col_span: c.col_span,
            indicators: c.indicators,
            ..CellRepr::default()
        };
        match c.value {
            Value::Empty => {}
            Value::Text(t) => r.text = Some(t),
            Value::Amount(a) => r.amount = Some(a),
            Value::Percent(p) => r.percent = Some(p),
        }
        r
    }
}

/// One performance indicator of a 绩效指标 cell:
/// `1、1-产出指标,11-数量指标,名称; 实施周期指标值:…,年度指标值:…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The running number before 、.
    pub seq: u32,
    /// Level-1 indicator (一级指标), e.g. code "1", name "产出指标".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level1: Option<CodeName>,
    /// Level-2 indicator (二级指标), e.g. code "11", name "数量指标".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level2: Option<CodeName>,
    /// The indicator's own name (三级指标).
    pub name: String,
    /// 实施周期指标值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_target: Option<String>,
    /// 年度指标值.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_target: Option<String>,
}

/// A code with its name, as in "11-数量指标".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeName {
    /// The code, e.g. "11".
    pub code: String,
    /// The name, e.g. "数量指标".
    pub name: String,
}

/// Where a table stood in its source file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// Zero-based index of the table in the file.
    pub index: u32,
    /// Sheet name, for spreadsheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// One-based source rows (lines, sheet rows) of the header rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header_rows: Vec<u32>,
}

/// Something a reader, the normaliser or a check noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// A short stable kind, e.g. "ragged-row", "error-value", "sum-mismatch".
    pub code: String,
    /// Where: "line 9", "sheet '基本支出', cell B7", "table 1, row '合计'".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// What, in words.
    pub message: String,
}

impl Warning {
    /// A warning with a location.
    pub fn new(code: &str, at: impl Into<Option<String>>, message: impl Into<String>) -> Warning {
        Warning {
            code: code.to_string(),
            at: at.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

fn is_one(s: &Span) -> bool {
    *s == Span::ONE
}

/// Spreadsheet-style column letters for a zero-based index: 0 → A, 26 → AA.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn cell_json_shapes() {
        let c = Cell {
            value: Value::Amount(Decimal::from_str("-12.50").unwrap()),
            raw: Some("(12.50)".into()),
            ..Cell::default()
        };
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, r#"{"amount":"-12.50","raw":"(12.50)"}"#);
        let back: Cell = serde_json::from_str(&j).unwrap();
        assert_eq!(back, c);
        assert_eq!(serde_json::to_string(&Cell::default()).unwrap(), "{}");
        assert!(serde_json::from_str::<Cell>(r#"{"text":"a","amount":"1"}"#).is_err());
        assert!(serde_json::from_str::<Cell>(r#"{"text":"a","row_span":0}"#).is_err());
        assert!(serde_json::from_str::<Cell>(r#"{"amount":1.5}"#).is_err());
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
