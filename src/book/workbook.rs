//! A book from one workbook: the district templates (Putuo's
//! department_budget_template.xlsx and its kin) are the whole book in one
//! file — a 封面 sheet (title lines, 预算主管部门 line, maybe a date), a
//! 目录 sheet (the order, numbering and exact titles of the parts), sheets
//! of prose (one merged cell of text with line breaks, or several text
//! cells) and the table sheets.
//!
//! The 目录 sheet is read for its entries, never copied: the book's own
//! 目录 is regenerated with page numbers. Text left from the template
//! (`XX`, `x,xxx`, `××`, `……`) is reported as `unfilled-template`.

use super::chapter::{Block, Chapter, Span};
use super::{Book, BookError, BookOptions, BookTable, BookToml, Part};
use crate::model::Warning;
use crate::read::sheet::SheetText;
use std::path::{Path, PathBuf};

/// The cover sheet: its name holds this.
const COVER_SHEET: &str = "封面";
/// The 目录 sheet: its name (or its first line, spaces removed) is this.
const CONTENTS_SHEET: &str = "目录";

/// Labels of the cover's department line (预算主管部门：某局).
const COVER_LABELS: &[&str] = &[
    "预算主管部门",
    "预算单位",
    "编制部门",
    "编制单位",
    "部门名称",
    "单位名称",
];

/// The warning code of text left from the template.
pub(crate) const UNFILLED: &str = "unfilled-template";

/// Characters of dot leaders in a 目录 line.
fn is_leader(c: char) -> bool {
    matches!(c, '…' | '·' | '.' | '．' | '-' | '—' | '_' | '⋯') || c.is_whitespace()
}

/// One entry of the workbook's 目录 sheet.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// 0 for 一、…, 1 for 1. ….
    depth: u8,
    /// The entry exactly as the 目录 writes it, leaders removed.
    text: String,
    /// Without its number, for matching.
    bare: String,
}

fn contents_entries(sheet: &SheetText) -> Vec<Entry> {
    let mut out = Vec::new();
    for (_, line) in sheet.lines() {
        let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed == CONTENTS_SHEET {
            continue;
        }
        let text = line.trim_end_matches(is_leader).trim().to_string();
        if text.is_empty() {
            continue;
        }
        let depth = if crate::classify::outline_level(&text) == Some(1) {
            0
        } else {
            1
        };
        let bare = strip_number(&text).to_string();
        out.push(Entry { depth, text, bare });
    }
    out
}

/// "一、部门主要职能" → "部门主要职能"; "4．2025年…表" → "2025年…表".
fn strip_number(text: &str) -> &str {
    let t = super::strip_outline_number(text);
    if t != text.trim() {
        return t;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &t[digits..];
        for sep in ['.', '．', '、', ')', '）'] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r.trim_start();
            }
        }
    }
    t
}

/// Character bigrams shared by two texts, as a share of the shorter's.
fn likeness(a: &str, b: &str) -> f32 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return 0.0;
    }
    let shared = ga.iter().filter(|g| gb.contains(g)).count();
    shared as f32 / ga.len().min(gb.len()) as f32
}

/// Least likeness for a 目录 entry to name a sheet.
const MIN_LIKENESS: f32 = 0.5;

/// Text a department must replace before it publishes: the template's
/// placeholders, found in a line; the placeholder itself.
pub(super) fn placeholder_in(line: &str) -> Option<&'static str> {
    if line.contains("x,xxx") || line.contains("X,XXX") {
        return Some("x,xxx");
    }
    let chars: Vec<char> = line.chars().collect();
    let ascii_letter = |i: usize| chars.get(i).is_some_and(char::is_ascii_alphabetic);
    for (i, w) in chars.windows(2).enumerate() {
        let x = |c: char| c == 'X' || c == 'x';
        if x(w[0]) && x(w[1]) && (i == 0 || !ascii_letter(i - 1) || x(chars[i - 1])) {
            let end = chars[i..].iter().take_while(|c| x(**c)).count() + i;
            if !ascii_letter(end) {
                return Some("XX");
            }
        }
    }
    if line.contains("××") {
        return Some("××");
    }
    if line.contains('…') {
        return Some("……");
    }
    None
}

/// `unfilled-template` warnings for every sheet but the 目录 (whose dot
/// leaders are …).
fn placeholders(sheets: &[SheetText], warnings: &mut Vec<Warning>) {
    for sheet in sheets.iter().filter(|s| !is_contents(s)) {
        for cell in &sheet.cells {
            if let Some(p) = cell.text.lines().find_map(placeholder_in) {
                warnings.push(Warning::new(
                    UNFILLED,
                    Some(format!("sheet '{}', cell {}", sheet.name, cell.cell)),
                    format!(
                        "'{p}' is left from the template: '{}'",
                        excerpt(&cell.text, p)
                    ),
                ));
            }
        }
    }
}

/// Characters of context a placeholder warning quotes.
const EXCERPT_CHARS: usize = 24;

fn excerpt(text: &str, p: &str) -> String {
    let line = text
        .lines()
        .find(|l| placeholder_in(l) == Some(placeholder_kind(p)))
        .unwrap_or(text)
        .trim();
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT_CHARS {
        return line.to_string();
    }
    let s: String = chars[..EXCERPT_CHARS].iter().collect();
    format!("{s}…")
}

fn placeholder_kind(p: &str) -> &'static str {
    match p {
        "XX" => "XX",
        "x,xxx" => "x,xxx",
        "××" => "××",
        _ => "……",
    }
}

fn is_cover(s: &SheetText) -> bool {
    s.name.contains(COVER_SHEET)
}

fn is_contents(s: &SheetText) -> bool {
    s.name.trim() == CONTENTS_SHEET
        || s.lines().first().is_some_and(|(_, l)| {
            l.chars().filter(|c| !c.is_whitespace()).collect::<String>() == CONTENTS_SHEET
        })
}

/// What the cover sheet says.
#[derive(Debug, Default)]
struct Cover {
    title_lines: Vec<String>,
    department_line: Option<String>,
    department: Option<String>,
    date: Option<String>,
}

/// Whether a line is a date: digits and 年 … 月 (2025年2月, 2025年2月10日).
fn is_date(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((y, rest)) = t.split_once('年') else {
        return false;
    };
    let Some((m, tail)) = rest.split_once('月') else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(y)
        && y.len() == 4
        && digits(m)
        && (tail.is_empty() || tail.strip_suffix('日').is_some_and(digits))
}

fn read_cover(sheet: &SheetText) -> Cover {
    let mut cover = Cover::default();
    for (_, line) in sheet.lines() {
        let label = COVER_LABELS.iter().find_map(|l| {
            line.strip_prefix(l)
                .and_then(|r| r.trim_start().strip_prefix(['：', ':']))
        });
        if let Some(value) = label {
            cover.department_line = Some(line.to_string());
            cover.department = Some(value.trim().to_string());
        } else if is_date(line) {
            cover.date = Some(line.to_string());
        } else {
            cover.title_lines.push(line.to_string());
        }
    }
    cover
}

/// A prose sheet as a chapter: its first line the title, each further line
/// a paragraph. `source` is `file#sheet`.
fn chapter_of(sheet: &SheetText, source: String) -> Chapter {
    let (heading, paragraphs) = sheet.heading_and_paragraphs();
    let blocks = paragraphs
        .into_iter()
        .map(|text| {
            Block::Paragraph(vec![Span {
                text,
                bold: false,
                italic: false,
            }])
        })
        .collect();
    Chapter {
        title: heading.unwrap_or_else(|| sheet.name.trim().to_string()),
        blocks,
        source,
    }
}

/// A part of the workbook in sheet order, before the 目录 arranges it.
enum Piece {
    Chapter(Chapter),
    Table(BookTable),
}

impl Piece {
    fn sheet(&self) -> &str {
        match self {
            Piece::Chapter(c) => c.source.split_once('#').map_or("", |(_, s)| s),
            Piece::Table(t) => t.source.split_once('#').map_or("", |(_, s)| s),
        }
    }
    fn title(&self) -> &str {
        match self {
            Piece::Chapter(c) => &c.title,
            Piece::Table(t) => &t.title,
        }
    }
}

/// A workbook file read once: what the book of it is made from.
pub(super) struct Loaded {
    path: PathBuf,
    name: String,
    format: crate::model::Format,
    sha256: String,
    size: u64,
    workbook: crate::read::sheet::Workbook,
}

impl Loaded {
    /// Whether the workbook holds a whole book: a sheet of text (a cover, a
    /// 目录 or prose) beside its tables.
    pub(super) fn holds_a_book(&self) -> bool {
        self.workbook.sheets.iter().any(|s| s.text_only)
    }

    /// The file it was read from.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads a workbook file through the front door (a regular file, within the
/// size limits) into its sheets.
pub(super) fn load(path: &Path, options: &BookOptions) -> Result<Loaded, BookError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let io = |source| BookError::Io {
        path: path.display().to_string(),
        source,
    };
    // Through the front door: a regular file, within the size limits.
    let bytes = crate::read_input_file(path, &options.limits).map_err(|e| match e {
        crate::InputFileError::Io(source) => io(source),
        crate::InputFileError::Read(source) => BookError::Read {
            path: path.display().to_string(),
            source,
        },
    })?;
    let read_error = |source: crate::ReadError| BookError::Read {
        path: path.display().to_string(),
        source,
    };
    let format = crate::read::detect(&bytes, &name).map_err(read_error)?;
    if !format.is_spreadsheet() {
        return Err(BookError::NotAWorkbook {
            path: path.display().to_string(),
            format,
        });
    }
    let workbook =
        crate::read::sheet::read_workbook(&bytes, format, &options.limits).map_err(read_error)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        name,
        format,
        sha256: crate::sha256_hex(&bytes),
        size: bytes.len() as u64,
        workbook,
    })
}

/// Makes the book of one workbook, read by [`load`].
pub(super) fn build(
    loaded: Loaded,
    config: &BookToml,
    config_path: &Path,
    options: &BookOptions,
) -> Result<Book, BookError> {
    let Loaded {
        path,
        name,
        format,
        sha256,
        size,
        workbook,
    } = loaded;
    let path = path.as_path();
    let read_error = |source: crate::ReadError| BookError::Read {
        path: path.display().to_string(),
        source,
    };
    let sheets = workbook.sheets;
    let source = crate::model::Source {
        path: name.clone(),
        sha256,
        size,
        format,
    };
    let mut warnings: Vec<Warning> = Vec::new();
    let doc = if workbook.tables.tables.is_empty() {
        warnings.extend(workbook.tables.warnings);
        None
    } else {
        Some(crate::normalize::normalize(workbook.tables, source).map_err(read_error)?)
    };
    let tables = match doc {
        Some(d) => {
            warnings.extend(d.warnings.into_iter().filter(|w| w.code != "text-sheet"));
            d.tables
        }
        None => Vec::new(),
    };
    warnings.retain(|w| w.code != "text-sheet");
    let at = |w: Warning| Warning {
        at: Some(match &w.at {
            Some(a) => format!("{name}: {a}"),
            None => name.clone(),
        }),
        ..w
    };
    warnings = warnings.into_iter().map(at).collect();
    placeholders(&sheets, &mut warnings);

    // Sheets in workbook order: the cover, the 目录, chapters and tables.
    let mut cover = Cover::default();
    let mut contents: Option<Vec<Entry>> = None;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut tables = tables.into_iter().peekable();
    for sheet in &sheets {
        if sheet.text_only {
            if is_cover(sheet) && cover.title_lines.is_empty() {
                cover = read_cover(sheet);
            } else if is_contents(sheet) && contents.is_none() {
                contents = Some(contents_entries(sheet));
            } else {
                pieces.push(Piece::Chapter(chapter_of(
                    sheet,
                    format!("{name}#{}", sheet.name.trim()),
                )));
            }
            continue;
        }
        while let Some(t) =
            tables.next_if(|t| t.origin.sheet.as_deref() == Some(sheet.name.as_str()))
        {
            let title = t.title.clone().unwrap_or_else(|| sheet.name.trim().into());
            pieces.push(Piece::Table(BookTable {
                title,
                table: t,
                source: format!("{name}#{}", sheet.name.trim()),
            }));
        }
    }
    // Tables of sheets the text pass did not see (none expected).
    for t in tables {
        let sheet = t.origin.sheet.clone().unwrap_or_default();
        pieces.push(Piece::Table(BookTable {
            title: t.title.clone().unwrap_or_else(|| sheet.trim().into()),
            table: t,
            source: format!("{name}#{}", sheet.trim()),
        }));
    }
    for ch in config.chapters.iter().flatten() {
        let known = pieces.iter().any(|p| match p {
            Piece::Chapter(c) => super::names_source(&c.source, None, ch),
            Piece::Table(_) => false,
        });
        if !known {
            return Err(BookError::Config {
                path: config_path.join(super::BOOK_TOML).display().to_string(),
                message: format!(
                    "chapters: '{ch}' is no sheet of text in {name} (name it `{name}#sheet`)"
                ),
            });
        }
    }
    if pieces.is_empty() {
        return Err(BookError::Empty {
            path: path.display().to_string(),
        });
    }

    let (parts, toc) = match (&config.order, contents) {
        (Some(_), _) => (by_order(config, config_path, pieces, options)?, None),
        (None, Some(entries)) if !entries.is_empty() => {
            let (parts, toc) = by_contents(&entries, pieces, &options.tables_title, &mut warnings);
            (parts, Some(toc))
        }
        _ => (by_sheets(pieces, &options.tables_title), None),
    };

    let department = config
        .department
        .clone()
        .or(cover.department.clone())
        .or_else(|| {
            parts.iter().find_map(|p| match p {
                Part::Tables { tables, .. } => tables
                    .iter()
                    .find_map(|t| t.table.department().map(super::clean_department)),
                Part::Chapter(_) => None,
            })
        })
        .unwrap_or_default();
    let cover_title = cover.title_lines.join("");
    let title = config.title.clone().unwrap_or_else(|| {
        if cover_title.is_empty() {
            format!("{department}部门预算")
        } else {
            cover_title.clone()
        }
    });
    let year = config.year.clone().or_else(|| {
        std::iter::once(title.clone())
            .chain(super::chapter_texts(&parts))
            .find_map(|s| super::find_year(&s))
    });
    // Never the file's date: book.toml's, the cover's, or none.
    let date = config.date.clone().or(cover.date).unwrap_or_default();
    let cover_lines = if config.title.is_some() {
        Vec::new()
    } else {
        cover.title_lines
    };
    let department_line = if config.department.is_some() {
        None
    } else {
        cover.department_line
    };
    Ok(Book {
        title,
        department,
        year,
        date,
        parts,
        warnings,
        contents: toc,
        cover_lines,
        department_line,
    })
}

/// Parts in sheet order: chapters before the first table, the tables as
/// one group, the chapters after.
fn by_sheets(pieces: Vec<Piece>, tables_title: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Chapter(c) => parts.push(Part::Chapter(c)),
            Piece::Table(t) => match parts.last_mut() {
                Some(Part::Tables { tables, .. }) => tables.push(t),
                _ => parts.push(Part::Tables {
                    title: tables_title.to_string(),
                    tables: vec![t],
                }),
            },
        }
    }
    parts
}

/// Parts in the order of the 目录 sheet, its entries' exact text as the
/// book's 目录. A depth-0 entry followed by depth-1 entries is the table
/// group; entries match sheets by title and name. Sheets the 目录 does not
/// list follow in sheet order; entries no sheet answers are warnings.
fn by_contents(
    entries: &[Entry],
    pieces: Vec<Piece>,
    tables_title: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<Part>, Vec<(u8, String)>) {
    let mut left: Vec<Option<Piece>> = pieces.into_iter().map(Some).collect();
    let mut take = |bare: &str, want_table: bool| -> Option<Piece> {
        let score = |p: &Piece| {
            let exact = p.title().trim() == bare || p.sheet().trim() == bare;
            let like = likeness(bare, p.title()).max(likeness(bare, p.sheet()));
            let same_kind = want_table
                && crate::classify::standard_rank(bare).is_some()
                && crate::classify::standard_rank(bare)
                    == crate::classify::standard_rank(p.title());
            if exact {
                3.0
            } else if same_kind && like >= MIN_LIKENESS {
                2.0 + like
            } else {
                like
            }
        };
        let best = left
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_ref().map(|p| (i, p)))
            .filter(|(_, p)| matches!(p, Piece::Table(_)) == want_table)
            .map(|(i, p)| (i, score(p)))
            .filter(|(_, s)| *s >= MIN_LIKENESS)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
        left[best.0].take()
    };
    let mut parts = Vec::new();
    let mut toc = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let e = &entries[i];
        let children = entries[i + 1..]
            .iter()
            .take_while(|c| c.depth > e.depth)
            .count();
        if e.depth == 0 && children > 0 {
            let mut tables = Vec::new();
            let mut lines = vec![(0, e.text.clone())];
            for c in &entries[i + 1..=i + children] {
                match take(&c.bare, true) {
                    Some(Piece::Table(t)) => {
                        tables.push(t);
                        lines.push((1, c.text.clone()));
                    }
                    _ => warnings.push(Warning::new(
                        "contents-entry",
                        Some(format!("目录 '{}'", c.text)),
                        "no table sheet of the workbook has this title; left out of the 目录",
                    )),
                }
            }
            parts.push(Part::Tables {
                title: e.bare.clone(),
                tables,
            });
            toc.extend(lines);
            i += children + 1;
            continue;
        }
        match take(&e.bare, false).or_else(|| take(&e.bare, true)) {
            Some(Piece::Chapter(c)) => {
                parts.push(Part::Chapter(c));
                toc.push((0, e.text.clone()));
            }
            Some(Piece::Table(t)) => {
                parts.push(Part::Tables {
                    title: tables_title.to_string(),
                    tables: vec![t],
                });
                toc.push((0, tables_title.to_string()));
                toc.push((1, e.text.clone()));
            }
            None => warnings.push(Warning::new(
                "contents-entry",
                Some(format!("目录 '{}'", e.text)),
                "no sheet of the workbook has this title; left out of the 目录",
            )),
        }
        i += 1;
    }
    // What the 目录 does not list, in sheet order, numbered on.
    for piece in left.into_iter().flatten() {
        warnings.push(Warning::new(
            "contents-entry",
            Some(format!("sheet '{}'", piece.sheet())),
            "the 目录 sheet does not list this sheet; it follows the listed parts",
        ));
        match piece {
            Piece::Chapter(c) => {
                let n = parts.len() + 1;
                toc.push((0, format!("{}、{}", super::chinese_number(n), c.title)));
                parts.push(Part::Chapter(c));
            }
            Piece::Table(t) => {
                let k = match parts.last() {
                    Some(Part::Tables { tables, .. }) => tables.len() + 1,
                    _ => {
                        let n = parts.len() + 1;
                        toc.push((0, format!("{}、{tables_title}", super::chinese_number(n))));
                        parts.push(Part::Tables {
                            title: tables_title.to_string(),
                            tables: Vec::new(),
                        });
                        1
                    }
                };
                toc.push((1, format!("{k}. {}", t.title)));
                if let Some(Part::Tables { tables, .. }) = parts.last_mut() {
                    tables.push(t);
                }
            }
        }
    }
    (parts, toc)
}

/// Parts in book.toml's `order`: entries are `file#sheet` or a sheet name;
/// "tables" stands for the tables not named. An entry no sheet answers is
/// an error naming it.
fn by_order(
    config: &BookToml,
    config_path: &Path,
    pieces: Vec<Piece>,
    options: &BookOptions,
) -> Result<Vec<Part>, BookError> {
    let mut chapters = Vec::new();
    let mut tables = Vec::new();
    for (i, p) in pieces.into_iter().enumerate() {
        match p {
            // Chapters `order` does not name follow in sheet order.
            Piece::Chapter(c) => chapters.push((i, c)),
            Piece::Table(t) => tables.push((t.source.clone(), t)),
        }
    }
    tables.sort_by_key(|(_, t)| crate::classify::rank_in(&options.table_order, &t.title));
    super::arrange(config, config_path, chapters, tables, &options.tables_title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_words_are_not() {
        assert_eq!(placeholder_in("上海市普陀区XX局"), Some("XX"));
        assert_eq!(placeholder_in("预算XXX万元"), Some("XX"));
        assert_eq!(placeholder_in("收入预算x,xxx万元"), Some("x,xxx"));
        assert_eq!(placeholder_in("主要用于……"), Some("……"));
        assert_eq!(placeholder_in("××单位"), Some("××"));
        assert_eq!(placeholder_in("Excel 表格 xlsx"), None);
        assert_eq!(placeholder_in("上海市普陀区财政局"), None);
    }

    #[test]
    fn contents_lines_lose_leaders_and_keep_their_numbers() {
        let sheet = SheetText {
            name: "目录".into(),
            hidden: false,
            cells: [
                "目  录",
                "一、部门主要职能  ………………",
                "    4．2025年部门财政拨款收支预算总表  ……",
            ]
            .iter()
            .enumerate()
            .map(|(i, t)| crate::read::sheet::TextCell {
                cell: format!("A{}", i + 1),
                text: t.to_string(),
            })
            .collect(),
            text_only: true,
        };
        let e = contents_entries(&sheet);
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].depth, e[0].text.as_str()), (0, "一、部门主要职能"));
        assert_eq!(e[0].bare, "部门主要职能");
        assert_eq!(
            (e[1].depth, e[1].text.as_str()),
            (1, "4．2025年部门财政拨款收支预算总表")
        );
        assert_eq!(e[1].bare, "2025年部门财政拨款收支预算总表");
    }

    #[test]
    fn cover_lines_and_dates() {
        assert!(is_date("2025年2月"));
        assert!(is_date("2025年2月10日"));
        assert!(!is_date("上海市普陀区2025年区级部门预算"));
        let sheet = SheetText {
            name: "封面".into(),
            hidden: false,
            cells: [
                "上海市普陀区2025年区级部门预算",
                "预算主管部门：上海市普陀区财政局",
            ]
            .iter()
            .map(|t| crate::read::sheet::TextCell {
                cell: "A1".into(),
                text: t.to_string(),
            })
            .collect(),
            text_only: true,
        };
        let c = read_cover(&sheet);
        assert_eq!(c.title_lines, vec!["上海市普陀区2025年区级部门预算"]);
        assert_eq!(c.department.as_deref(), Some("上海市普陀区财政局"));
        assert_eq!(c.date, None);
    }
}
