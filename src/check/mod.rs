//! Checks of a disclosure, in exact decimal arithmetic. Every finding has
//! a rule id, a severity, a place and both values ([`Finding`]); the rules
//! and their default severities are listed in [`RULES`], and a profile's
//! `[checks]` table ([`Config`]) switches rules off or changes their
//! severity.
//!
//! - Inside each table ([`check_table`]): row sums (`sum.row`), column
//!   totals (`sum.column`), indicator codes (`indicator.*`), empty tables
//!   without a note (`table.empty-without-note`), the 三公 and 基本支出
//!   identities (`identity.*`) and the 单位 line against the magnitudes
//!   (`unit.magnitude`).
//! - Between tables: shared totals (`cross.total`, `cross.unit`).
//! - Over a whole disclosure (a book, or a document holding most of the
//!   standard tables): required tables and chapters (`complete.*`).
//! - Over the titles and the text (a book's chapters, a document's text
//!   sections): the budget year (`year.mismatch`), the prose against the
//!   tables and its own figures (`text.*`) and the document's own 目录
//!   (`toc.entry`).
//!
//! The checks see a [`Disclosure`]: tables and text chapters, made from a
//! [`Document`] ([`Disclosure::of_document`]) or from a book
//! (`book::checks`).

mod complete;
mod config;
mod cross;
mod document;
mod finding;
mod identity;
mod percent;
mod prose;
mod tables;
mod toc;
mod years;

pub use config::Config;
pub use finding::{Finding, Place, RULES, Rule, Severity, default_severity, is_rule};
pub use tables::{check_table, hidden_notices};

use crate::model::{Document, Table};

/// A table as the checks see it.
#[derive(Debug, Clone)]
pub struct TableView<'a> {
    /// How findings name it: "table 3 '部门支出总表'".
    pub name: String,
    /// Its title (the file's stem when it has none).
    pub title: String,
    /// The table.
    pub table: &'a Table,
    /// The file it came from, when findings should name it (in a book).
    pub file: Option<String>,
}

/// What a paragraph of a chapter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphKind {
    /// A heading inside the chapter.
    Heading,
    /// A paragraph.
    Paragraph,
    /// An item of a list (its number when the list is numbered).
    ListItem(Option<u64>),
}

/// A paragraph, heading or list item of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its plain text.
    pub text: String,
    /// What it is.
    pub kind: ParagraphKind,
}

/// A text chapter as the checks see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    /// Its title.
    pub title: String,
    /// The file it came from.
    pub file: String,
    /// Its paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
}

/// Everything the checks look at.
#[derive(Debug, Clone, Default)]
pub struct Disclosure<'a> {
    /// The tables in order.
    pub tables: Vec<TableView<'a>>,
    /// The text chapters in order.
    pub chapters: Vec<Chapter>,
    /// The budget year ("2025"), when known.
    pub year: Option<String>,
    /// Whether this is a whole disclosure, so that missing tables and
    /// chapters are findings.
    pub whole: bool,
    /// The titles of the parts in reading order (chapters, table group
    /// headings, tables), which a 目录 lists.
    pub outline: Vec<String>,
    /// The department, when known.
    pub department: Option<String>,
}

/// Distinct standard tables a document must hold to be checked as a whole
/// disclosure (a workbook with most of the nine tables); fewer, and it is
/// one or two tables of a disclosure whose other parts live elsewhere.
pub const WHOLE_DOCUMENT_MIN_TABLES: usize = 5;

impl<'a> Disclosure<'a> {
    /// A document as the checks see it: its tables, and its text sections
    /// grouped into chapters (see `document`), so that a single `.docx`,
    /// `.md`, `.txt` or workbook holding prose is checked by the same rules
    /// as a book.
    pub fn of_document(doc: &'a Document) -> Disclosure<'a> {
        let tables: Vec<TableView<'a>> = doc
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| TableView {
                name: tables::table_name(t, i),
                title: t
                    .title
                    .clone()
                    .or_else(|| t.origin.sheet.clone())
                    .unwrap_or_default(),
                table: t,
                file: None,
            })
            .collect();
        let mut ranks: Vec<usize> = tables
            .iter()
            .filter_map(|t| crate::classify::standard_rank(&t.title))
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        let department = doc.department().map(str::to_string);
        let (chapters, outline) = if doc.blocks.is_empty() {
            (Vec::new(), tables.iter().map(|t| t.title.clone()).collect())
        } else {
            document::text_of(doc, &tables, department.as_deref())
        };
        // The year most table titles name; a 决算 book's tables name none,
        // its cover line does (上海市普陀区财政局2024年度部门决算).
        let year = years::budget_year(tables.iter().map(|t| t.title.as_str())).or_else(|| {
            chapters
                .first()
                .and_then(|c| years::first_year(&fold(&c.title)))
                .map(|(_, y)| y)
        });
        Disclosure {
            whole: ranks.len() >= WHOLE_DOCUMENT_MIN_TABLES,
            outline,
            tables,
            chapters,
            year,
            department,
        }
    }
}

/// Checks a document with the default configuration.
pub fn check(doc: &Document) -> Vec<Finding> {
    check_with(doc, &Config::default())
}

/// Checks a document with a profile's configuration.
pub fn check_with(doc: &Document, config: &Config) -> Vec<Finding> {
    run(&Disclosure::of_document(doc), config)
}

/// Runs every rule over a disclosure; findings come table by table (in
/// table and row order), then between tables, then over the whole.
pub fn run(d: &Disclosure, config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    for t in &d.tables {
        let mut own = check_table(t.table, &t.name);
        let ids = identity::check(t, &mut own);
        // An identity names the sum better than the generic row sum.
        own.retain(|f| !(f.rule == "sum.row" && ids.contains(&f.place)));
        own.extend(years::magnitude(t));
        for f in &mut own {
            if f.place.file.is_none() {
                f.place.file = t.file.clone();
            }
        }
        out.extend(own);
    }
    cross::check(d, &mut out);
    if d.whole {
        complete::check(d, config, &mut out);
    }
    years::check(d, &mut out);
    prose::check(d, &mut out);
    percent::check(d, &mut out);
    toc::check(d, &mut out);
    config.apply(out)
}

/// Whether any finding is at least as bad as `level`.
pub fn fails(findings: &[Finding], level: Severity) -> bool {
    findings.iter().any(|f| f.severity >= level)
}

/// Compact text: no whitespace, full-width ASCII forms and ideographic
/// spaces folded to their half-width forms, so that titles compare the
/// way a reader sees them.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The findings as CSV (RFC 4180, a header line, one line per finding):
/// input, rule, severity, file, sheet, page, table, row, source_row,
/// column, chapter, paragraph, offset, found, expected, message.
pub fn to_csv<'f>(findings: impl Iterator<Item = (&'f str, &'f Finding)>) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }
    let mut out = String::from(
        "input,rule,severity,file,sheet,page,table,row,source_row,column,chapter,paragraph,offset,found,expected,message\r\n",
    );
    for (input, f) in findings {
        let p = &f.place;
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let num = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
        let cols = [
            input.to_string(),
            f.rule.clone(),
            f.severity.to_string(),
            opt(&p.file),
            opt(&p.sheet),
            num(p.page.map(|n| n as usize)),
            opt(&p.table),
            opt(&p.row),
            num(p.source_row.map(|n| n as usize)),
            opt(&p.column),
            opt(&p.chapter),
            num(p.paragraph),
            num(p.offset),
            opt(&f.found),
            opt(&f.expected),
            f.message.clone(),
        ];
        let line: Vec<String> = cols.iter().map(|c| field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
