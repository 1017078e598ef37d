//! The disclosure book: a department's whole 部门预算公开 document — cover,
//! 目录, text chapters and the standard tables in their standard order — as
//! one model that the PDF, DOCX and Markdown book writers render.
//!
//! A department folder holds the table files (any format gongkai reads)
//! and the text chapters as Markdown. An optional `book.toml` gives the
//! title, department, year, date and the order of the parts.

pub mod chapter;
mod checks;
mod workbook;

pub use checks::{check, check_with};
pub(crate) use workbook::UNFILLED;

use crate::classify::{STANDARD_TABLE_ORDER, rank_in};
use crate::model::{Table, Warning};
use chapter::Chapter;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Name of the optional configuration file in a department folder.
pub const BOOK_TOML: &str = "book.toml";

/// The word in `book.toml`'s `order` that stands for all tables not
/// named there, in the standard order.
const TABLES_KEYWORD: &str = "tables";

/// Why a book could not be made.
#[derive(Debug, Error)]
pub enum BookError {
    /// The folder could not be listed.
    #[error("{path}: {source}")]
    Io {
        /// The folder or file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// book.toml is not TOML, or has an unknown key or a value of the
    /// wrong type.
    #[error("{path}: {}", source.to_string().trim_end().replace('\n', " "))]
    Toml {
        /// book.toml.
        path: String,
        /// The line (and column) the TOML reader points at.
        at: Box<crate::error::Location>,
        /// What the TOML reader said.
        #[source]
        source: toml::de::Error,
    },
    /// book.toml names a file that is not there.
    #[error("{path}: {message}")]
    Config {
        /// book.toml.
        path: String,
        /// What is wrong, naming the key.
        message: String,
    },
    /// Nothing to make a book of.
    #[error("{path}: no table files and no chapters in the folder")]
    Empty {
        /// The folder.
        path: String,
    },
    /// The workbook a book is made from cannot be read.
    #[error("{path}: {source}")]
    Read {
        /// The workbook.
        path: String,
        /// Why.
        #[source]
        source: crate::ReadError,
    },
    /// A file that is no workbook given as the book.
    #[error("{path}: a book is made from a workbook or a folder; this is {format}")]
    NotAWorkbook {
        /// The file.
        path: String,
        /// What it is.
        format: crate::Format,
    },
}

/// `book.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BookToml {
    title: Option<String>,
    department: Option<String>,
    year: Option<String>,
    date: Option<String>,
    /// Files (or sheets, `预算.xlsx#部门政府性基金拨款表`) in the order
    /// they appear; "tables" stands for the other tables in the standard
    /// order.
    order: Option<Vec<String>>,
    /// Markdown files that are chapters even if they read as tables.
    chapters: Option<Vec<String>>,
}

/// A table placed in the book.
#[derive(Debug, Clone, PartialEq)]
pub struct BookTable {
    /// Its title in the book (the table's title, else its file's stem).
    pub title: String,
    /// The table.
    pub table: Table,
    /// The file it came from, relative to the folder.
    pub source: String,
}

/// A part of the book, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A text chapter.
    Chapter(Chapter),
    /// A run of tables under a common heading (部门预算表).
    Tables {
        /// The heading.
        title: String,
        /// The tables, each starting on its own page.
        tables: Vec<BookTable>,
    },
}

/// A department's book.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// The cover title: "<部门><年度>年部门预算".
    pub title: String,
    /// The department.
    pub department: String,
    /// The year (e.g. "2025"), when known.
    pub year: Option<String>,
    /// The date on the cover.
    pub date: String,
    /// The parts in order.
    pub parts: Vec<Part>,
    /// What was noticed on the way (duplicates, unreadable files, findings).
    pub warnings: Vec<Warning>,
    /// The 目录 as the source gives it (a workbook's 目录 sheet): one
    /// line per chapter, table group and table, in the order of the parts,
    /// with the source's own numbering. `None`: the book numbers its parts.
    pub contents: Option<Vec<(u8, String)>>,
    /// The cover's title lines as the source gives them (a 封面 sheet);
    /// empty: the cover is made from the title.
    pub cover_lines: Vec<String>,
    /// The cover's department line as the source gives it
    /// (`预算主管部门：某局`); `None`: the profile's label and the department.
    pub department_line: Option<String>,
}

impl Book {
    /// Every table of the book in order.
    pub fn tables(&self) -> impl Iterator<Item = &BookTable> {
        self.parts.iter().flat_map(|p| match p {
            Part::Tables { tables, .. } => tables.as_slice(),
            Part::Chapter(_) => &[],
        })
    }

    /// Headings of the 目录 in order: (depth, numbered title). Chapters and
    /// the table group are depth 0, tables depth 1.
    pub fn toc(&self) -> Vec<(u8, String)> {
        if let Some(contents) = &self.contents {
            return contents.clone();
        }
        let mut out = Vec::new();
        for (i, part) in self.parts.iter().enumerate() {
            let n = chinese_number(i + 1);
            match part {
                Part::Chapter(c) => {
                    out.push((0, format!("{n}、{}", strip_outline_number(&c.title))))
                }
                Part::Tables { title, tables } => {
                    out.push((0, format!("{n}、{title}")));
                    for (k, t) in tables.iter().enumerate() {
                        out.push((1, format!("{}. {}", k + 1, t.title)));
                    }
                }
            }
        }
        out
    }
}

impl Book {
    /// Applies the disclosure policy to every table and chapter; returns
    /// the report (never the masked values).
    pub fn disclose(&mut self, policy: &crate::profile::Disclosure) -> Vec<Warning> {
        let mut report = Vec::new();
        let kinds = if policy.mask_personal_data {
            policy.mask.clone()
        } else {
            Vec::new()
        };
        let mask = |text: &mut String, at: &str, report: &mut Vec<Warning>| {
            for kind in crate::disclose::mask_text(text, &kinds) {
                report.push(Warning::new(
                    "masked",
                    Some(at.to_string()),
                    format!("masked {}", kind.describe()),
                ));
            }
        };
        mask(&mut self.title, "book title", &mut report);
        for part in &mut self.parts {
            match part {
                Part::Chapter(c) => {
                    let at = format!("chapter '{}' ({})", c.title, c.source);
                    mask(&mut c.title, &at, &mut report);
                    for block in &mut c.blocks {
                        match block {
                            chapter::Block::Heading { text, .. } => mask(text, &at, &mut report),
                            chapter::Block::Paragraph(spans) => {
                                for s in spans {
                                    mask(&mut s.text, &at, &mut report);
                                }
                            }
                            chapter::Block::List { items, .. } => {
                                for s in items.iter_mut().flatten() {
                                    mask(&mut s.text, &at, &mut report);
                                }
                            }
                            chapter::Block::Table(t) => {
                                report.extend(crate::disclose::apply_table(t, policy, &at));
                            }
                        }
                    }
                }
                Part::Tables { tables, .. } => {
                    if policy.omits_hidden() {
                        tables.retain(|t| {
                            if t.table.hidden {
                                report.push(Warning::new(
                                    "hidden-left-out",
                                    Some(format!("table '{}' ({})", t.title, t.source)),
                                    "hidden sheet left out",
                                ));
                            }
                            !t.table.hidden
                        });
                    }
                    for t in tables {
                        let at = format!("table '{}' ({})", t.title, t.source);
                        mask(&mut t.title, &at, &mut report);
                        report.extend(crate::disclose::apply_table(&mut t.table, policy, &at));
                    }
                }
            }
        }
        report
    }
}

/// 1 → 一, 12 → 十二, 20 → 二十 (enough for a book's chapters).
pub(crate) fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => {
            let tail = if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            };
            format!("{}十{tail}", DIGITS[n / 10])
        }
        _ => n.to_string(),
    }
}

/// Removes an outline number a chapter title already has ("一、部门主要职能"
/// → "部门主要职能"), so the book can number its parts itself.
pub(crate) fn strip_outline_number(title: &str) -> &str {
    let t = title.trim();
    if crate::classify::outline_level(t) == Some(1)
        && let Some(pos) = t.find('、')
    {
        return t[pos + '、'.len_utf8()..].trim_start();
    }
    t
}

/// The standard position of a chapter: before the tables (职能, 机构设置,
/// 名词解释, 编制说明) or after them (其他相关情况说明, 项目经费情况说明).
fn chapter_rank(title: &str) -> Option<usize> {
    let rules: [(&str, usize); 6] = [
        ("职能", 1),
        ("机构", 2),
        ("名词解释", 3),
        ("编制说明", 4),
        ("其他相关情况", 6),
        ("项目经费", 7),
    ];
    rules
        .iter()
        .find(|(w, _)| title.contains(w))
        .map(|(_, r)| *r)
}

/// A file name for the book's outputs: its title with characters file
/// systems refuse replaced.
pub fn file_stem_for(book: &Book) -> String {
    book.title
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The time the book's outputs carry, by the date rule of [`crate::time`]:
/// the caller's time (`SOURCE_DATE_EPOCH` as the CLI passes it), else the
/// cover date (`book.toml` `date`, or the first date in the tables' titles
/// and meta lines; a month is dated on its 1st), else 1 January of the
/// book's year, else the fallback epoch. Never a file's modification time.
pub fn epoch(book: &Book, options: &BookOptions) -> i64 {
    options
        .created
        .or_else(|| {
            let year = book.year.as_deref().map(|y| format!("{y}年"));
            crate::time::best_date([book.date.as_str()].into_iter().chain(year.as_deref()))
                .map(|d| d.unix())
        })
        .unwrap_or(crate::time::FALLBACK_EPOCH)
}

/// Rank of the table group among chapters.
const TABLES_RANK: usize = 5;
/// Rank of chapters of unknown kind: after everything else, by name.
const UNKNOWN_CHAPTER_RANK: usize = 8;

/// Options for making a book.
#[derive(Debug, Clone)]
pub struct BookOptions {
    /// The time the book is dated (Unix seconds), e.g. `SOURCE_DATE_EPOCH`;
    /// `None` dates it by what the book states (see [`epoch`]).
    pub created: Option<i64>,
    /// The heading of the table group.
    pub tables_title: String,
    /// How much each file of the book may hold.
    pub limits: crate::Limits,
    /// Read Word's hidden text into the tables (`--keep-hidden`); hidden
    /// sheets, rows and columns are read either way and left out by
    /// [`Book::disclose`] unless its policy keeps them.
    pub keep_hidden: bool,
    /// The order of the tables: kinds of table in the standard order
    /// (收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表,
    /// 基本支出, 三公, 政府性基金, 国有资本经营, 绩效目标) or text their
    /// titles contain (a profile's `book.table_order`).
    pub table_order: Vec<String>,
}

impl Default for BookOptions {
    fn default() -> Self {
        BookOptions {
            created: None,
            tables_title: "部门预算表".into(),
            limits: crate::Limits::default(),
            keep_hidden: false,
            table_order: STANDARD_TABLE_ORDER.iter().map(|s| s.to_string()).collect(),
        }
    }
}

fn file_stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read_config(folder: &Path) -> Result<BookToml, BookError> {
    let path = folder.join(BOOK_TOML);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|source| BookError::Toml {
            path: path.display().to_string(),
            at: Box::new(crate::profile::toml_location(&text, &source)),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BookToml::default()),
        Err(source) => Err(BookError::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// The first "20xx年" in a text.
fn find_year(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).find_map(|w| {
        let digits: String = w[..4].iter().collect();
        (w[0] == '2' && w[1] == '0' && w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
            .then_some(digits)
    })
}

/// Removes the 部门/单位 marker some department lines carry:
/// "某局（部门）" → "某局".
fn clean_department(name: &str) -> String {
    let mut n = name.trim();
    for suffix in [
        "（部门）",
        "(部门)",
        "（单位）",
        "(单位)",
        "（本级）",
        "(本级)",
    ] {
        if let Some(s) = n.strip_suffix(suffix) {
            n = s.trim_end();
        }
    }
    n.to_string()
}

/// Whether a file is a workbook by its name (what `book` takes as one
/// file).
pub fn is_workbook_name(p: &Path) -> bool {
    matches!(
        crate::inputs::extension_of(p).as_str(),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods"
    )
}

/// The one workbook of a folder that holds a whole book (a cover, a 目录
/// or prose sheets beside its tables), if the folder has exactly one
/// workbook and it is such a one. It comes back read, so that its book is
/// made without reading it a second time.
fn book_workbook(names: &[PathBuf], options: &BookOptions) -> Option<workbook::Loaded> {
    let mut books = names
        .iter()
        .filter(|p| is_workbook_name(p) && crate::inputs::skip_reason(p).is_none());
    let only = books.next()?;
    if books.next().is_some() {
        return None;
    }
    // Unreadable, too large or not a regular file: the folder's book is
    // made as usual, and its reading reports why.
    let loaded = workbook::load(only, options).ok()?;
    loaded.holds_a_book().then_some(loaded)
}

/// Reads a department folder — or one workbook that holds the whole book
/// (a district template: 封面, 目录, prose and table sheets) — into a
/// book. Files that cannot be read are warnings, not errors: the book is
/// made of what can be read.
pub fn build(folder: &Path, options: &BookOptions) -> Result<Book, BookError> {
    if folder.is_file() {
        let dir = match folder.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let config = read_config(dir)?;
        return workbook::build(workbook::load(folder, options)?, &config, dir, options);
    }
    let config = read_config(folder)?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|source| BookError::Io {
            path: folder.display().to_string(),
            source,
        })?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    names.sort();
    if let Some(loaded) = book_workbook(&names, options) {
        let wb = loaded.path().to_path_buf();
        let mut book = workbook::build(loaded, &config, folder, options)?;
        for other in names.iter().filter(|p| **p != wb) {
            let name = other
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name == BOOK_TOML || crate::inputs::skip_reason(other).is_some() {
                continue;
            }
            book.warnings.push(Warning::new(
                "not-in-book",
                Some(name),
                "the folder's book is its workbook; this file is not part of it",
            ));
        }
        return Ok(book);
    }
    let forced_chapters = config.chapters.clone().unwrap_or_default();
    for entry in &forced_chapters {
        let inside = names
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n.to_string_lossy() == *entry));
        if !inside {
            return Err(BookError::Config {
                path: folder.join(BOOK_TOML).display().to_string(),
                message: format!(
                    "chapters: '{entry}' is not a file of the folder; chapters are named by \
                     their file name in the folder itself (e.g. \"01_部门概况.md\")"
                ),
            });
        }
    }
    let mut warnings = Vec::new();
    let mut chapters: Vec<(usize, Chapter)> = Vec::new();
    let mut tables: Vec<(String, BookTable)> = Vec::new(); // (file name, table)
    let mut seen_content: Vec<(serde_json::Value, String)> = Vec::new();
    for path in &names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name == BOOK_TOML || crate::inputs::skip_reason(path).is_some() {
            continue;
        }
        let is_md = matches!(
            crate::inputs::extension_of(path).as_str(),
            "md" | "markdown"
        );
        let stem = file_stem(path);
        let as_table =
            if is_md && (forced_chapters.contains(&name) || chapter_rank(&stem).is_some()) {
                None
            } else {
                Some(crate::read_path(
                    path,
                    &crate::ReadOptions::default()
                        .with_limits(options.limits)
                        .with_keep_hidden(options.keep_hidden),
                ))
            };
        match as_table {
            Some(Ok(doc)) => {
                let doc_tables = doc.tables;
                for table in doc_tables {
                    let key = table_content_key(&table);
                    if let Some((_, first)) = seen_content.iter().find(|(k, _)| *k == key) {
                        warnings.push(Warning::new(
                            "duplicate-table",
                            Some(name.clone()),
                            format!("the same table as in {first}; included once"),
                        ));
                        continue;
                    }
                    seen_content.push((key, name.clone()));
                    let title = table.title.clone().unwrap_or_else(|| stem.clone());
                    tables.push((
                        name.clone(),
                        BookTable {
                            title,
                            table,
                            source: name.clone(),
                        },
                    ));
                }
            }
            Some(Err(crate::Error::Read {
                source: crate::ReadError::NoTable(_),
                ..
            })) if is_md => {
                chapters.push(read_chapter(path, &name, &stem, options, &mut warnings));
            }
            Some(Err(e)) => warnings.push(Warning::new(
                "unreadable",
                Some(name.clone()),
                format!("left out of the book: {e}"),
            )),
            None => chapters.push(read_chapter(path, &name, &stem, options, &mut warnings)),
        }
    }
    if chapters.is_empty() && tables.is_empty() {
        return Err(BookError::Empty {
            path: folder.display().to_string(),
        });
    }
    let order = &options.table_order;
    let rank = |title: &str, file: &str| {
        let r = rank_in(order, title);
        if r < order.len() {
            r
        } else {
            rank_in(order, file)
        }
    };
    tables.sort_by(|(fa, a), (fb, b)| {
        rank(&a.title, fa)
            .cmp(&rank(&b.title, fb))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| fa.cmp(fb))
    });
    let parts = arrange(&config, folder, chapters, tables, &options.tables_title)?;

    let all_tables: Vec<&Table> = parts
        .iter()
        .flat_map(|p| match p {
            Part::Tables { tables, .. } => tables.iter().map(|t| &t.table).collect::<Vec<_>>(),
            Part::Chapter(_) => Vec::new(),
        })
        .collect();
    let department = config.department.clone().unwrap_or_else(|| {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for d in all_tables
            .iter()
            .filter_map(|t| t.department())
            .map(clean_department)
        {
            match counts.iter_mut().find(|(n, _)| *n == d) {
                Some((_, c)) => *c += 1,
                None => counts.push((d, 1)),
            }
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(n, _)| n)
            .unwrap_or_else(|| {
                folder
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
    });
    let folder_name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let year = config.year.clone().or_else(|| {
        all_tables
            .iter()
            .flat_map(|t| {
                t.title
                    .iter()
                    .cloned()
                    .chain(t.meta.iter().map(|m| m.text.clone()))
                    .chain(t.notes.iter().cloned())
            })
            .chain(std::iter::once(folder_name.clone()))
            .chain(names.iter().map(|p| file_stem(p)))
            .chain(chapter_texts(&parts))
            .find_map(|s| find_year(&s))
    });
    // The cover date: book.toml's, else the caller's time, else the date
    // the tables state, else the year; none when nothing is known (never a
    // file's modification time).
    let stated = || {
        crate::time::best_date(all_tables.iter().flat_map(|t| {
            t.title
                .iter()
                .map(String::as_str)
                .chain(t.meta.iter().map(|m| m.text.as_str()))
        }))
        .filter(|d| d.month.is_some())
    };
    let date = config.date.clone().unwrap_or_else(|| {
        match options.created.map(crate::time::civil_from_unix) {
            Some(c) => format!("{}年{}月", c.year, c.month),
            None => match (stated(), &year) {
                (Some(d), _) => format!("{}年{}月", d.year, d.month.unwrap_or(1)),
                (None, Some(y)) => format!("{y}年"),
                (None, None) => String::new(),
            },
        }
    });
    let title = config.title.clone().unwrap_or_else(|| match &year {
        Some(y) => format!("{department}{y}年部门预算"),
        None => format!("{department}部门预算"),
    });
    Ok(Book {
        title,
        department,
        year,
        date,
        parts,
        warnings,
        contents: None,
        cover_lines: Vec::new(),
        department_line: None,
    })
}

/// The plain text of every chapter, where a year may be named.
fn chapter_texts(parts: &[Part]) -> Vec<String> {
    parts
        .iter()
        .filter_map(|p| match p {
            Part::Chapter(c) => Some(c.plain_text()),
            Part::Tables { .. } => None,
        })
        .collect()
}

fn read_chapter(
    path: &Path,
    name: &str,
    stem: &str,
    options: &BookOptions,
    warnings: &mut Vec<Warning>,
) -> (usize, Chapter) {
    let text = crate::read_input_file(path, &options.limits)
        .map_err(|e| match e {
            crate::InputFileError::Io(e) => e.to_string(),
            crate::InputFileError::Read(e) => e.to_string(),
        })
        .and_then(|b| {
            crate::read::text::decode(&b)
                .map(|(t, _)| t)
                .map_err(|e| e.to_string())
        });
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            warnings.push(Warning::new("unreadable", Some(name.to_string()), e));
            String::new()
        }
    };
    let ch = chapter::parse(&text, stem, name);
    let rank = chapter_rank(&ch.title)
        .or_else(|| chapter_rank(stem))
        .unwrap_or(UNKNOWN_CHAPTER_RANK);
    (rank, ch)
}

/// Puts chapters and tables in order: book.toml's `order` when given,
/// else chapters by their standard rank around the table group.
fn arrange(
    config: &BookToml,
    folder: &Path,
    mut chapters: Vec<(usize, Chapter)>,
    mut tables: Vec<(String, BookTable)>,
    tables_title: &str,
) -> Result<Vec<Part>, BookError> {
    let mut parts = Vec::new();
    let group = |tables: Vec<BookTable>| Part::Tables {
        title: tables_title.to_string(),
        tables,
    };
    if let Some(order) = &config.order {
        let toml_path = folder.join(BOOK_TOML).display().to_string();
        let mut pending_tables: Vec<BookTable> = Vec::new();
        for entry in order {
            if entry == TABLES_KEYWORD {
                let rest: Vec<BookTable> = tables.drain(..).map(|(_, t)| t).collect();
                pending_tables.extend(rest);
                continue;
            }
            if let Some(pos) = chapters
                .iter()
                .position(|(_, c)| names_source(&c.source, None, entry))
            {
                if !pending_tables.is_empty() {
                    parts.push(group(std::mem::take(&mut pending_tables)));
                }
                parts.push(Part::Chapter(chapters.remove(pos).1));
                continue;
            }
            let before = pending_tables.len();
            let mut i = 0;
            while i < tables.len() {
                if names_source(
                    &tables[i].0,
                    tables[i].1.table.origin.sheet.as_deref(),
                    entry,
                ) {
                    pending_tables.push(tables.remove(i).1);
                } else {
                    i += 1;
                }
            }
            if pending_tables.len() == before {
                return Err(BookError::Config {
                    path: toml_path,
                    message: format!(
                        "order: '{entry}' is neither a chapter nor a table file or sheet of the \
                         book (nor \"{TABLES_KEYWORD}\"); a sheet is named `file.xlsx#sheet`"
                    ),
                });
            }
        }
        if !pending_tables.is_empty() {
            parts.push(group(pending_tables));
        }
        // Anything not named goes at the end, in the standard order.
        if !tables.is_empty() {
            parts.push(group(tables.into_iter().map(|(_, t)| t).collect()));
        }
        chapters.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.source.cmp(&b.1.source)));
        parts.extend(chapters.into_iter().map(|(_, c)| Part::Chapter(c)));
        return Ok(parts);
    }
    chapters.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.source.cmp(&b.1.source)));
    let mut placed = false;
    for (rank, ch) in chapters {
        if rank > TABLES_RANK && !placed {
            if !tables.is_empty() {
                parts.push(group(
                    std::mem::take(&mut tables)
                        .into_iter()
                        .map(|(_, t)| t)
                        .collect(),
                ));
            }
            placed = true;
        }
        parts.push(Part::Chapter(ch));
    }
    if !placed && !tables.is_empty() {
        parts.push(group(tables.into_iter().map(|(_, t)| t).collect()));
    }
    Ok(parts)
}

/// Whether an `order` entry names a part that came from `source` (a file
/// name, or `file#sheet` for a workbook's sheet) and, for a table, from
/// `sheet`: the file, `file#sheet`, `#sheet`, or the sheet's name alone
/// for a book made from one workbook. Sheet names are compared trimmed
/// (templates have sheet names with trailing spaces).
fn names_source(source: &str, sheet: Option<&str>, entry: &str) -> bool {
    if source == entry {
        return true;
    }
    let (file, own_sheet) = match source.split_once('#') {
        Some((f, s)) => (f, Some(s)),
        None => (source, sheet),
    };
    let Some(own_sheet) = own_sheet.or(sheet).map(str::trim) else {
        return false;
    };
    match entry.split_once('#') {
        Some((f, s)) => (f.is_empty() || f == file) && s.trim() == own_sheet,
        None => source.contains('#') && entry.trim() == own_sheet,
    }
}

/// What makes two tables the same for the book: their content, not their
/// provenance.
fn table_content_key(t: &Table) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = t
        .rows
        .iter()
        .map(|r| {
            serde_json::Value::Array(
                r.cells
                    .iter()
                    .map(|c| serde_json::Value::String(c.value.canonical()))
                    .collect(),
            )
        })
        .collect();
    serde_json::json!({
        "title": t.title,
        "columns": t.columns.iter().map(|c| c.path.clone()).collect::<Vec<_>>(),
        "rows": rows,
        "notes": t.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_entries_name_files_and_sheets() {
        // A folder's table file, and one of its sheets.
        assert!(names_source("预算.xlsx", Some("基本支出"), "预算.xlsx"));
        assert!(names_source(
            "预算.xlsx",
            Some("基本支出"),
            "预算.xlsx#基本支出"
        ));
        assert!(!names_source(
            "预算.xlsx",
            Some("基本支出"),
            "预算.xlsx#三公"
        ));
        assert!(!names_source("预算.xlsx", Some("基本支出"), "基本支出"));
        // A workbook book's sheets: by reference, #sheet or name alone,
        // trailing spaces of sheet names forgiven.
        let src = "预算.xlsx#部门国有资本经营预算拨款表";
        assert!(names_source(
            src,
            None,
            "预算.xlsx#部门国有资本经营预算拨款表 "
        ));
        assert!(names_source(src, None, "#部门国有资本经营预算拨款表"));
        assert!(names_source(src, None, "部门国有资本经营预算拨款表"));
        assert!(!names_source(
            src,
            None,
            "其他.xlsx#部门国有资本经营预算拨款表"
        ));
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(23), "二十三");
        assert_eq!(strip_outline_number("一、部门主要职能"), "部门主要职能");
        assert_eq!(strip_outline_number("部门主要职能"), "部门主要职能");
        assert_eq!(clean_department("某局（部门）"), "某局");
        assert_eq!(find_year("项目支出2025年预算"), Some("2025".into()));
        assert_eq!(find_year("12025年"), Some("2025".into()));
    }
}
