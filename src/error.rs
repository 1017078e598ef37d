//! Where an error happened, and the one way gongkai reports an error.
//!
//! Each layer has its own error enum ([`crate::ReadError`],
//! [`crate::WriteError`], [`crate::profile::ProfileError`],
//! [`crate::book::BookError`], [`crate::batch::BatchError`],
//! [`crate::LimitError`]); the errors that know a place carry a
//! [`Location`], and the errors caused by a library (zip, calamine,
//! quick-xml, csv, serde_json, toml, the file system) keep that library's
//! error as their [`std::error::Error::source`].
//!
//! An error's own message is whole by itself: where a cause says
//! something the reader needs, the message includes it. [`report`] adds
//! the causes the messages left out, once each.

use std::fmt;

/// A place in an input, every part optional: the file, the zip part, the
/// field of a model JSON, the sheet, the table, the line, the row, the
/// column and the byte.
///
/// Rows, columns, lines and tables count from 1. A spreadsheet's row and
/// column are the sheet's own (a location with a sheet, a row and a
/// column reads `sheet '基本支出', cell B7`); a Word table's row is the
/// row of that table (`table row 3, column 2`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, as [`crate::path_text`] names it.
    pub file: Option<String>,
    /// The part of a zip package (`word/document.xml`).
    pub part: Option<String>,
    /// The field of a model JSON (`tables[0].rows[3].cells[1]`).
    pub field: Option<String>,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// The table, counted from 1 (shown when there is no sheet).
    pub table: Option<u32>,
    /// The line of a text file.
    pub line: Option<u32>,
    /// The row of a sheet or a table.
    pub row: Option<u32>,
    /// The column of a sheet or a table.
    pub column: Option<u32>,
    /// The column's header, where it names the column better than its
    /// number.
    pub column_name: Option<String>,
    /// The byte offset in the part or file.
    pub byte: Option<u64>,
}

impl Location {
    /// Nowhere in particular.
    pub fn new() -> Location {
        Location::default()
    }

    /// In this file.
    pub fn file(mut self, file: impl Into<String>) -> Location {
        self.file = Some(file.into());
        self
    }

    /// In this zip part.
    pub fn part(mut self, part: impl Into<String>) -> Location {
        self.part = Some(part.into());
        self
    }

    /// At this field of a model JSON.
    pub fn field(mut self, field: impl Into<String>) -> Location {
        self.field = Some(field.into());
        self
    }

    /// On this sheet.
    pub fn sheet(mut self, sheet: impl Into<String>) -> Location {
        self.sheet = Some(sheet.into());
        self
    }

    /// In table `table` (from 1).
    pub fn table(mut self, table: u32) -> Location {
        self.table = Some(table);
        self
    }

    /// On line `line` (from 1).
    pub fn line(mut self, line: u32) -> Location {
        self.line = Some(line);
        self
    }

    /// In row `row` (from 1).
    pub fn row(mut self, row: u32) -> Location {
        self.row = Some(row);
        self
    }

    /// In column `column` (from 1).
    pub fn column(mut self, column: u32) -> Location {
        self.column = Some(column);
        self
    }

    /// In the column headed `name`.
    pub fn column_name(mut self, name: impl Into<String>) -> Location {
        self.column_name = Some(name.into());
        self
    }

    /// At byte `byte`.
    pub fn byte(mut self, byte: u64) -> Location {
        self.byte = Some(byte);
        self
    }

    /// Whether no part of the place is known.
    pub fn is_empty(&self) -> bool {
        *self == Location::default()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.clone());
        }
        if let Some(part) = &self.part {
            parts.push(format!("zip part '{part}'"));
        }
        if let Some(field) = &self.field {
            parts.push(field.clone());
        }
        match (&self.sheet, self.table) {
            (Some(sheet), _) => parts.push(format!("sheet '{sheet}'")),
            (None, Some(table)) => parts.push(format!("table {table}")),
            (None, None) => {}
        }
        if let Some(line) = self.line {
            parts.push(format!("line {line}"));
        }
        let mut column_shown = false;
        match (self.row, &self.sheet) {
            (Some(row), Some(_)) => match self.column {
                Some(col) if self.column_name.is_none() && col > 0 => {
                    let letters = crate::model::column_letters(col - 1);
                    parts.push(format!("cell {letters}{row}"));
                    column_shown = true;
                }
                _ => parts.push(format!("row {row}")),
            },
            (Some(row), None) if self.table.is_some() => parts.push(format!("row {row}")),
            (Some(row), None) => parts.push(format!("table row {row}")),
            (None, _) => {}
        }
        if !column_shown {
            match (&self.column_name, self.column) {
                (Some(name), _) => parts.push(format!("column '{name}'")),
                (None, Some(col)) => parts.push(format!("column {col}")),
                (None, None) => {}
            }
        }
        if let Some(byte) = self.byte {
            parts.push(format!("byte {byte}"));
        }
        f.write_str(&parts.join(", "))
    }
}

/// `"{at}: "`, or nothing when `at` is empty: the start of a message at a
/// place.
pub(crate) fn prefix(at: &Location) -> String {
    if at.is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}

/// The one line the command line prints for an error:
/// `gongkai: error: FILE: what happened`, followed by each cause in
/// [`std::error::Error::source`]'s chain that the messages before it do
/// not already say (`: cause`). Line breaks in messages become spaces, so
/// the report is always one line.
pub fn report(err: &(dyn std::error::Error + 'static)) -> String {
    let mut said = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.is_empty() && !said.contains(&text) {
            said.push_str(": ");
            said.push_str(&text);
        }
        cause = c.source();
    }
    let line: Vec<&str> = said.lines().map(str::trim_end).collect();
    format!("gongkai: error: {}", line.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_before() {
        let cell = Location::new().sheet("基本支出").row(7).column(2);
        assert_eq!(cell.to_string(), "sheet '基本支出', cell B7");
        assert_eq!(Location::new().line(9).to_string(), "line 9");
        let word = Location::new().row(3).column(2);
        assert_eq!(word.to_string(), "table row 3, column 2");
        let model = Location::new().table(2).row(4).column_name("金额");
        assert_eq!(model.to_string(), "table 2, row 4, column '金额'");
        let xml = Location::new().part("word/document.xml").byte(120);
        assert_eq!(xml.to_string(), "zip part 'word/document.xml', byte 120");
        assert!(Location::new().is_empty());
        assert_eq!(prefix(&Location::new()), "");
    }

    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a.txt: cannot open\nit")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_report_is_one_line_with_the_causes_not_yet_said() {
        let e = Outer(std::io::Error::other("disk on fire"));
        assert_eq!(
            report(&e),
            "gongkai: error: a.txt: cannot open it: disk on fire"
        );
    }
}
