//! The plausibility gate: runs on every [`Document`] a reader and the
//! normaliser produced, before anything is written, and refuses documents
//! whose numbers cannot be what the source shows. A public disclosure must
//! never carry an invented amount; an error that names the line or cell is
//! always better than an output.
//!
//! What it refuses, in the order it looks:
//!
//! 0. **A model that breaks its own shape** (a JSON input): a column whose
//!    header path does not end in its name, a row without one cell per
//!    column.
//! 1. **Space-aligned text read as fields** (text and CSV inputs): cells
//!    that hold runs of spaces between numbers or words, in a good part of
//!    the rows — the columns of such a file are separated by spaces, and
//!    the fields a delimiter gave are not its cells.
//! 2. **Number fragments in the header**: a column name of exactly three
//!    digits (`739`, `453.65`) right after a name ending in a digit — a
//!    number like `4,739,453.65` split at its thousands commas.
//! 3. **Amounts split across cells**: in a row, an amount cell that starts
//!    with a three-digit group (`739`, `051.54`) right after a cell ending
//!    in one to three digits. A group with a leading zero (`051`, `000`)
//!    is never how an amount is written, so one is enough; otherwise half
//!    of the body rows (at least two) must show the pattern.
//!    In text and CSV inputs, text cut the same way counts too: a cell
//!    ending in a word and one to three digits (`收入预算1`) before a cell
//!    starting with a three-digit group and more text (`212.12万元，其中`),
//!    twice or more in a table — prose whose `1,212.12` the comma split.
//! 4. **More decimals than the source text shows**: an amount whose value
//!    has more significant decimals than the digits after the decimal
//!    point in its source text (`Cell::raw`), e.g. 51.541 from
//!    `051.54   1`.
//! 5. **Rows that mostly fail to parse**: a table of at least
//!    [`MIN_ROWS_FOR_FAILURE_RATE`] body rows where more than half of the
//!    rows hold text in an amount column.
//!
//! Cells without a source text (spreadsheet numbers) are their source:
//! their canonical form is what the file stores.

use crate::error::Location;
use crate::model::{ColumnKind, Document, Format, Row, Table, Value};
use crate::read::ReadError;

/// Tables with fewer body rows than this are not judged by their rate of
/// unparsed rows (a two-row table with one remark is not "mostly failed").
pub(crate) const MIN_ROWS_FOR_FAILURE_RATE: usize = 3;

/// Runs the gate over a document; the first implausible place is the error.
/// `text` is the decoded source of a text input: a split number counts
/// (beyond a leading-zero group) only where its source line holds a comma
/// between digit groups (`4,739`), so tab-separated `100<TAB>120` is two
/// amounts.
pub(crate) fn check(doc: &Document, text: Option<&str>) -> Result<(), ReadError> {
    let lines: Vec<&str> = text.map(|t| t.lines().collect()).unwrap_or_default();
    for table in &doc.tables {
        check_table(doc.source.format, table, &lines)?;
    }
    Ok(())
}

/// Whether a line holds a digit, a comma and three digits (`4,739`).
fn has_grouping_comma(line: &str) -> bool {
    let b: Vec<char> = line
        .chars()
        .map(|c| if c == '，' { ',' } else { c })
        .collect();
    b.windows(5)
        .any(|w| w[0].is_ascii_digit() && w[1] == ',' && w[2..].iter().all(char::is_ascii_digit))
}

fn check_table(format: Format, table: &Table, lines: &[&str]) -> Result<(), ReadError> {
    let comma_on = |row: Option<u32>| {
        row.and_then(|r| lines.get((r as usize).checked_sub(1)?))
            .is_some_and(|l| has_grouping_comma(l))
    };
    let here = Place {
        format,
        table,
        comma_on: &comma_on,
    };
    well_formed(&here)?;
    if matches!(format, Format::Text | Format::Csv) {
        space_aligned(&here)?;
        split_text(&here)?;
    }
    header_fragments(&here)?;
    split_amounts(&here)?;
    extra_decimals(&here)?;
    mostly_unparsed(&here)
}

/// Names places the way the readers do: "line 7", "sheet 'X', cell B7",
/// "table 2, row 5".
struct Place<'a> {
    format: Format,
    table: &'a Table,
    /// Whether the source line of a row holds a comma between digit groups.
    comma_on: &'a dyn Fn(Option<u32>) -> bool,
}

impl Place<'_> {
    fn header_line(&self) -> Option<u32> {
        self.table.origin.header_rows.first().copied()
    }

    fn row(&self, source_row: Option<u32>) -> Location {
        let t = self.table;
        let table = Location::new().table(t.origin.index + 1);
        match (self.format, source_row) {
            (Format::Text | Format::Csv | Format::Markdown, Some(r)) => Location::new().line(r),
            (_, Some(r)) => match &t.origin.sheet {
                Some(s) => Location::new().sheet(s.as_str()).row(r),
                None => table.row(r),
            },
            (_, None) => table,
        }
    }

    fn cell(&self, source_row: Option<u32>, col: usize) -> Location {
        let t = self.table;
        let column = t.columns.get(col);
        match (
            &t.origin.sheet,
            source_row,
            column.and_then(|c| c.source_col),
        ) {
            (Some(s), Some(r), Some(c)) if self.format.is_spreadsheet() => Location::new()
                .sheet(s.as_str())
                .row(r)
                .column(c.saturating_add(1)),
            _ => {
                let at = self.row(source_row);
                match column {
                    Some(c) => at.column_name(c.name.as_str()),
                    None => at,
                }
            }
        }
    }
}

/// The model's own promises, which a JSON model may break: every column
/// has a header path ending in its name, every row one cell per column.
fn well_formed(here: &Place) -> Result<(), ReadError> {
    let t = here.table;
    for (i, c) in t.columns.iter().enumerate() {
        if c.path.last() != Some(&c.name) {
            return Err(ReadError::at(
                Location::new()
                    .table(t.origin.index + 1)
                    .column(i as u32 + 1),
                format!(
                    "the column '{}' has the header path {:?}, which does not end in its name",
                    c.name, c.path
                ),
            ));
        }
    }
    for r in &t.rows {
        if r.cells.len() != t.columns.len() {
            return Err(ReadError::at(
                here.row(r.source_row),
                format!(
                    "a row of {} cells in a table of {} columns",
                    r.cells.len(),
                    t.columns.len()
                ),
            ));
        }
    }
    Ok(())
}

/// The text a cell was read from: its source text, else its value.
fn source_text(row: &Row, col: usize) -> Option<String> {
    let cell = row.cells.get(col)?;
    if let Some(raw) = &cell.raw {
        return Some(raw.clone());
    }
    match &cell.value {
        Value::Empty => None,
        Value::Text(t) => Some(t.clone()),
        Value::Amount(d) => Some(d.to_string()),
        Value::Percent(d) => Some(format!("{d}%")),
    }
}

/// Full-width digits and points as ASCII, so `３５９．５` reads like `359.5`.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '，' => ',',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// Whether `s` has a run of two or more spaces between two non-space
/// characters, one of them a digit or both CJK/letters.
fn has_inner_space_run(s: &str) -> bool {
    let chars: Vec<char> = half_width(s.trim()).chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let start = i;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if i - start >= 2 && start > 0 && i < chars.len() {
                let (a, b) = (chars[start - 1], chars[i]);
                if a.is_ascii_digit() || b.is_ascii_digit() {
                    return true;
                }
            }
        } else {
            i += 1;
        }
    }
    false
}

fn space_aligned(here: &Place) -> Result<(), ReadError> {
    let t = here.table;
    let header_hit = t.columns.iter().any(|c| has_inner_space_run(&c.name));
    let row_hit = |r: &Row| {
        (0..r.cells.len()).any(|c| source_text(r, c).is_some_and(|s| has_inner_space_run(&s)))
    };
    let hits = t.rows.iter().filter(|r| row_hit(r)).count() + usize::from(header_hit);
    let lines = t.rows.len() + 1;
    if hits >= 2 && hits * 3 >= lines {
        let first = if header_hit {
            here.header_line()
        } else {
            t.rows
                .iter()
                .find(|r| row_hit(r))
                .and_then(|r| r.source_row)
        };
        return Err(ReadError::at(
            here.row(first),
            format!(
                "looks space-aligned: columns are separated by runs of spaces, not tabs or \
                 commas ({hits} of {lines} lines hold runs of spaces inside their fields); \
                 nothing was written, since the fields would not be the table's cells. \
                 Save the table as tab-separated text or as a spreadsheet"
            ),
        ));
    }
    Ok(())
}

/// The last whitespace-separated token of `s` is one to three digits (a
/// leading number group such as the `4` of `4,739`).
fn ends_with_group(s: &str) -> bool {
    let s = half_width(s);
    let last = s.split_whitespace().last().unwrap_or("");
    let last = last.strip_prefix('-').unwrap_or(last);
    (1..=3).contains(&last.len()) && last.bytes().all(|b| b.is_ascii_digit())
}

/// `s` starts with exactly three digits followed by its end, a decimal
/// point or a space (a following number group such as `739` or `453.65`);
/// `Some(true)` when the group has a leading zero.
fn starts_with_group(s: &str) -> Option<bool> {
    let s = half_width(s.trim_start());
    let b = s.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits != 3 {
        return None;
    }
    match b.get(3) {
        None | Some(b'.') | Some(b' ') => Some(b[0] == b'0'),
        _ => None,
    }
}

fn header_fragments(here: &Place) -> Result<(), ReadError> {
    let cols = &here.table.columns;
    if !(here.comma_on)(here.header_line()) {
        return Ok(());
    }
    for i in 1..cols.len() {
        if starts_with_group(&cols[i].name).is_some() && ends_with_group(&cols[i - 1].name) {
            return Err(ReadError::at(
                here.row(here.header_line()),
                format!(
                    "the header is made of number fragments ('{}' | '{}'): a number such as \
                     4,739,453.65 was split at its thousands separators; nothing was written. \
                     Separate the columns with tabs, or quote the numbers",
                    cols[i - 1].name,
                    cols[i].name
                ),
            ));
        }
    }
    Ok(())
}

/// `s` ends with one to three digits right after a character that is not a
/// digit, a space or a sign (`预算1`, not `1`, `12 3` or `-4`).
fn ends_with_word_and_group(s: &str) -> bool {
    let chars: Vec<char> = half_width(s).chars().collect();
    let digits = chars
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=3).contains(&digits)
        && chars
            .len()
            .checked_sub(digits + 1)
            .and_then(|i| chars.get(i))
            .is_some_and(|c| {
                !c.is_ascii_digit() && !c.is_whitespace() && !matches!(c, '-' | '+' | '.' | ',')
            })
}

/// `s` starts with a three-digit group (and perhaps decimals) followed by
/// more text (`212.12万元，其中`, not `212.12` or `212`).
fn starts_with_group_and_text(s: &str) -> bool {
    let s = half_width(s.trim_start());
    if s.bytes().take_while(u8::is_ascii_digit).count() != 3 {
        return false;
    }
    let rest = s[3..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    rest.chars().count() >= 2
}

fn split_text(here: &Place) -> Result<(), ReadError> {
    let t = here.table;
    let names: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
    let mut found: Vec<(Option<u32>, String, String)> = Vec::new();
    let mut look = |cells: &[String], line: Option<u32>| {
        if !(here.comma_on)(line) {
            return;
        }
        for pair in cells.windows(2) {
            if ends_with_word_and_group(&pair[0]) && starts_with_group_and_text(&pair[1]) {
                found.push((line, pair[0].clone(), pair[1].clone()));
            }
        }
    };
    look(&names, here.header_line());
    for row in &t.rows {
        let cells: Vec<String> = (0..row.cells.len())
            .map(|c| source_text(row, c).unwrap_or_default())
            .collect();
        look(&cells, row.source_row);
    }
    if found.len() >= 2 {
        let (line, before, after) = &found[0];
        return Err(ReadError::at(
            here.row(*line),
            format!(
                "numbers in the text look split at their thousands separators ('{before}' | \
                 '{after}', {} places): the commas were taken for field separators; nothing \
                 was written. Separate the columns with tabs, or quote the fields",
                found.len()
            ),
        ));
    }
    Ok(())
}

/// The first split amount of a row: (column, leading zero).
fn split_in_row(t: &Table, row: &Row) -> Option<(usize, bool)> {
    (1..row.cells.len().min(t.columns.len())).find_map(|i| {
        if !matches!(row.cells[i].value, Value::Amount(_)) {
            return None;
        }
        let this = source_text(row, i)?;
        let zero = starts_with_group(&this)?;
        ends_with_group(&source_text(row, i - 1)?).then_some((i, zero))
    })
}

fn split_amounts(here: &Place) -> Result<(), ReadError> {
    let t = here.table;
    let splits: Vec<(&Row, usize, bool)> = t
        .rows
        .iter()
        .filter_map(|r| split_in_row(t, r).map(|(c, z)| (r, c, z)))
        .filter(|(r, _, zero)| *zero || (here.comma_on)(r.source_row))
        .collect();
    let decisive = splits.iter().find(|s| s.2);
    let widespread = splits.len() >= 2 && splits.len() * 2 >= t.rows.len();
    if let Some(&(row, col, _)) = decisive.or_else(|| splits.first().filter(|_| widespread)) {
        let before = source_text(row, col - 1).unwrap_or_default();
        let this = source_text(row, col).unwrap_or_default();
        return Err(ReadError::at(
            here.cell(row.source_row, col),
            format!(
                "an amount looks split across cells ('{before}' | '{this}'), as when \
                 4,739,453.65 is cut at its thousands separators ({} of {} rows look so); \
                 nothing was written. Separate the columns with tabs, or quote the numbers",
                splits.len(),
                t.rows.len()
            ),
        ));
    }
    Ok(())
}

/// Digits right after the decimal point of the number in `raw` (0 when
/// it has no point).
fn shown_decimals(raw: &str) -> u32 {
    let s = half_width(raw);
    match s.rfind('.') {
        Some(p) => s[p + 1..].bytes().take_while(u8::is_ascii_digit).count() as u32,
        None => 0,
    }
}

fn extra_decimals(here: &Place) -> Result<(), ReadError> {
    for row in &here.table.rows {
        for (col, cell) in row.cells.iter().enumerate() {
            let (Value::Amount(d), Some(raw)) = (&cell.value, &cell.raw) else {
                continue;
            };
            let scale = d.normalize().scale();
            let shown = shown_decimals(raw);
            if scale > shown {
                return Err(ReadError::at(
                    here.cell(row.source_row, col),
                    format!(
                        "the amount {d} has {scale} decimals but its source text '{raw}' shows \
                         {shown}: the cell holds more than one number; nothing was written"
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn mostly_unparsed(here: &Place) -> Result<(), ReadError> {
    let t = here.table;
    let amount_cols: Vec<usize> = (t.columns.iter().enumerate())
        .filter(|(_, c)| c.kind == ColumnKind::Amount)
        .map(|(i, _)| i)
        .collect();
    let body: Vec<&Row> = t
        .rows
        .iter()
        .filter(|r| r.kind != crate::model::RowKind::Note)
        .collect();
    if amount_cols.is_empty() || body.len() < MIN_ROWS_FOR_FAILURE_RATE {
        return Ok(());
    }
    let failed: Vec<&&Row> = body
        .iter()
        .filter(|r| {
            amount_cols.iter().any(|&c| {
                r.cells.get(c).is_some_and(|cell| match &cell.value {
                    Value::Text(s) => !crate::normalize::is_placeholder(s),
                    _ => false,
                })
            })
        })
        .collect();
    if failed.len() * 2 > body.len() {
        let first = failed.first().and_then(|r| r.source_row);
        return Err(ReadError::at(
            here.row(first),
            format!(
                "{} of {} rows hold text in amount columns: the table's rows mostly fail to \
                 parse (a table of at least {MIN_ROWS_FOR_FAILURE_RATE} rows is refused when \
                 more than half fail); nothing was written",
                failed.len(),
                body.len()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_groups() {
        assert!(ends_with_group("合计   4"));
        assert!(ends_with_group("92"));
        assert!(!ends_with_group("1234"));
        assert!(!ends_with_group("4.5"));
        assert_eq!(starts_with_group("739"), Some(false));
        assert_eq!(starts_with_group("051.54   1"), Some(true));
        assert_eq!(starts_with_group("453.65"), Some(false));
        assert_eq!(starts_with_group("4530"), None);
        assert_eq!(starts_with_group("12"), None);
        assert!(ends_with_word_and_group("收入预算1"));
        assert!(!ends_with_word_and_group("1"));
        assert!(!ends_with_word_and_group("预算1234"));
        assert!(starts_with_group_and_text("212.12万元，其中"));
        assert!(!starts_with_group_and_text("212.12"));
        assert!(!starts_with_group_and_text("2125年"));
        assert!(starts_with_group_and_text("192万元，其中"));
    }

    #[test]
    fn decimals_shown() {
        assert_eq!(shown_decimals("051.54   1"), 2);
        assert_eq!(shown_decimals("３，５９３．００"), 2);
        assert_eq!(shown_decimals("(12.5)"), 1);
        assert_eq!(shown_decimals("1,234"), 0);
    }

    #[test]
    fn space_runs() {
        assert!(has_inner_space_run("849    60"));
        assert!(has_inner_space_run("合计                             92"));
        assert!(!has_inner_space_run("  合计"));
        assert!(!has_inner_space_run("办公  设备"));
        assert!(!has_inner_space_run("1 234.50"));
    }
}
