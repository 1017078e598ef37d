//! Fixed-width text: columns aligned with runs of spaces, as legacy budget
//! systems export them and as `pdftotext -layout` gives the text of
//! published disclosures.
//!
//! The reader works on the whole file at once:
//! 1. every line is cut into *chunks* at runs of two or more spaces (and at
//!    box-drawing verticals), with positions in display columns (CJK and
//!    full-width forms count 2, tabs go to the next multiple of 8) or in
//!    characters, whichever lines the amounts up better (`pdftotext`
//!    places every character in one cell of its grid, whatever its width);
//! 2. lines are sorted into tables (title, meta lines, header lines, body
//!    lines, notes) and prose between them; form feeds end pages, page
//!    furniture (第 3 页, - 3 -, a lone page number) and rules (`-----`,
//!    `═══`) are dropped;
//! 3. a table's columns are the groups of body chunks whose extents
//!    overlap (amounts share their right edges, codes and labels their
//!    left edges, so the chunks of one column overlap); header chunks that
//!    stand over no body column make columns of their own (columns with no
//!    value at all);
//! 4. header chunks become header paths: a chunk over several columns
//!    whose lower header lines label them is a group; labels stacked in
//!    one column are one wrapped label;
//! 5. the header is handed to the normaliser as a grid with merges (as a
//!    spreadsheet gives it), the body as one row per line, with a cell that
//!    wrapped onto the next line joined to its row.

use super::{Merge, RawBlock, RawCell, RawDocument, RawLine, RawRow, RawTable, ReadError};
use crate::classify::{is_note_start, is_total_label, looks_like_meta};
use crate::grid::header_layout;
use crate::model::{Align, Paragraph, ParagraphKind, Section};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

mod form;

/// Tab stops every this many display columns.
const TAB_WIDTH: usize = 8;

/// Longest single line still taken for a table title or a heading, in
/// characters; longer lines are prose.
const MAX_TITLE_CHARS: usize = 60;

/// Most header lines a table has; a longer run of label lines before the
/// first line with amounts is not a table header.
const MAX_HEADER_LINES: usize = 10;

/// A heading of prose is indented at least this many columns (centred).
const MIN_HEADING_INDENT: usize = 6;

/// A label wraps onto the next line only when its line reaches to within
/// this many display columns (three CJK characters) of its column's right
/// edge; a shorter label with a label-only line under it is a row of its
/// own, and so is that line.
const WRAP_SLACK: usize = 6;

/// A prose line this share of the longest line of its page (or more) was
/// wrapped by the layout, so the next line continues its paragraph.
const FULL_LINE_SHARE: f64 = 0.8;

/// Longest label (in characters) of a header line set below the first
/// row's amounts: the one-character 类, 款, 项 of a code column's header.
const MAX_LATE_HEADER_CHARS: usize = 2;

/// Fewest digits of a code that is split from the name it is joined to by
/// one space: 款 and 项 codes have two ("01 行政运行").
const MIN_JOINED_CODE_DIGITS: usize = 2;

/// A header label this close (in columns) to a column of amounts that it
/// does not overlap belongs to that column.
const NEAR_LABEL: usize = 3;

/// Fewest characters of each word of a header label that is split into
/// one column per word (政府性基金预算 国有资本经营预算): a single character
/// is a piece of a wrapped label (预 / 算), not a label of its own.
const MIN_LABEL_WORD_CHARS: usize = 2;

/// A piece of a line between runs of spaces.
#[derive(Debug, Clone)]
struct Chunk {
    start: usize,
    end: usize,
    /// Positions in both measures: characters and display columns.
    pos: [(usize, usize); 2],
    text: String,
}

impl Chunk {
    fn overlaps(&self, s: usize, e: usize) -> usize {
        self.end.min(e).saturating_sub(self.start.max(s))
    }

    fn is_amount(&self) -> bool {
        is_amount_token(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    /// A rule or page furniture: not content.
    Skip,
    Content,
}

#[derive(Debug, Clone)]
struct Line {
    /// One-based line number in the file.
    no: u32,
    /// Zero-based page (form feeds).
    page: usize,
    kind: Kind,
    chunks: Vec<Chunk>,
    /// Display width of the whole line.
    width: usize,
    /// An empty table's total label that `pdftotext` set on the line of the
    /// lowest header labels ([`split_empty_total_rows`]).
    total_off_header: bool,
}

impl Line {
    fn text(&self) -> String {
        self.chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }

    fn indent(&self) -> usize {
        self.chunks.first().map_or(0, |c| c.start)
    }

    fn is_meta(&self) -> bool {
        self.kind == Kind::Content
            && self.chunks.iter().all(|c| looks_like_meta(&c.text))
            && !self.is_data()
    }

    /// A line with an amount, or a code or total label in front of more
    /// fields: a body line.
    fn is_data(&self) -> bool {
        if self.kind != Kind::Content {
            return false;
        }
        if self.chunks.iter().any(Chunk::is_amount) {
            return true;
        }
        // A total row of an empty table: 合计 alone (in a header, 合计
        // stands among other labels).
        self.chunks.len() == 1 && is_total_label(&self.chunks[0].text)
    }

    /// A line of running text: one long chunk, or a table-of-contents line
    /// with dot leaders.
    fn is_prose(&self) -> bool {
        if self.kind != Kind::Content {
            return false;
        }
        let text = self.text();
        if text.contains("……") || text.contains("···") || text.contains("....") {
            return true;
        }
        self.chunks.len() == 1 && {
            let t = &self.chunks[0].text;
            t.chars().count() > MAX_TITLE_CHARS / 2 && !is_amount_token(t)
                || t.ends_with('。')
                || t.ends_with('；')
        }
    }

    /// One short chunk standing alone, indented: a title or heading.
    fn is_title_like(&self) -> bool {
        self.is_short_line() && self.indent() >= MIN_HEADING_INDENT
    }

    /// One short chunk standing alone, not a meta, data or note line.
    fn is_short_line(&self) -> bool {
        self.kind == Kind::Content
            && self.chunks.len() == 1
            && !self.is_meta()
            && !self.is_data()
            && !is_note_start(&self.chunks[0].text)
            && self.chunks[0].text.chars().count() <= MAX_TITLE_CHARS
            && !self.chunks[0].text.ends_with('。')
    }

    /// A short parenthesised line standing alone, centred under a title:
    /// （2023年度）.
    fn is_subtitle(&self) -> bool {
        self.is_title_like() && {
            let t = &self.chunks[0].text;
            (t.starts_with('（') || t.starts_with('(')) && (t.ends_with('）') || t.ends_with(')'))
        }
    }

    /// A title of a table: title-like and naming a table (…表), or standing
    /// right above a meta line.
    fn is_table_title(&self, next: Option<&Line>) -> bool {
        if !self.is_short_line() {
            return false;
        }
        names_table(&self.chunks[0].text) || next.is_some_and(Line::is_meta)
    }
}

/// A title naming a table: …表, or …表 with a parenthesised qualifier
/// (…表（2023年度）).
fn names_table(t: &str) -> bool {
    t.ends_with('表') || t.contains("表（") || t.contains("表(")
}

/// Whether `s` is an amount as tables print them: `-3,593.00`, `3593.00`,
/// `(12.50)`, `1,234`; not a bare integer (codes, years, page numbers).
pub(crate) fn is_amount_token(s: &str) -> bool {
    let s = s.trim();
    // A bare 0 is a zero amount (三公 tables print 0 for an empty item);
    // no code, year or page number is 0.
    if s == "0" {
        return true;
    }
    let s = s
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .or_else(|| s.strip_prefix('（').and_then(|x| x.strip_suffix('）')))
        .unwrap_or(s);
    let s = s.strip_prefix(['-', '－', '−']).unwrap_or(s);
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac
        && (f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    if int.is_empty() {
        return false;
    }
    let grouped = int.contains(',');
    if grouped {
        let mut parts = int.split(',');
        let first = parts.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        if !parts.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit())) {
            return false;
        }
    } else if !int.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    grouped || frac.is_some()
}

/// A chunk of ASCII digits alone, as 类/款/项 and 科目编码 cells are.
fn is_bare_code(t: &str) -> bool {
    !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit())
}

fn is_rule_char(c: char) -> bool {
    matches!(
        c,
        '-' | '='
            | '_'
            | '+'
            | '─'
            | '━'
            | '═'
            | '┄'
            | '┈'
            | '—'
            | '－'
            | '＝'
            | '┼'
            | '├'
            | '┤'
            | '┌'
            | '┐'
            | '└'
            | '┘'
            | '┬'
            | '┴'
            | '╔'
            | '╗'
            | '╚'
            | '╝'
            | '╠'
            | '╣'
            | '╦'
            | '╩'
            | '╬'
            | '╪'
            | '╫'
            | '╞'
            | '╡'
            | '╟'
            | '╢'
            | '╤'
            | '╧'
            | '╒'
            | '╕'
            | '╘'
            | '╛'
            | '│'
            | '┃'
            | '║'
            | '|'
    )
}

/// Vertical bars that separate columns.
fn is_vertical(c: char) -> bool {
    matches!(c, '│' | '┃' | '║' | '┆' | '┊')
}

/// "第 3 页", "第3页 共9页", "- 3 -", "3 / 9", a lone number.
fn is_page_furniture(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if let Some(rest) = t.strip_prefix('第')
        && let Some((n, tail)) = rest.split_once('页')
        && digits(n)
    {
        return tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|x| x.strip_suffix('页'))
                .is_some_and(digits);
    }
    if let Some(n) = t
        .strip_prefix(['-', '—', '－'])
        .and_then(|x| x.strip_suffix(['-', '—', '－']))
    {
        return digits(n);
    }
    if let Some((a, b)) = t.split_once('/') {
        return digits(a) && digits(b);
    }
    false
}

/// Cuts a line into chunks; positions in both measures.
fn chunk_line(line: &str) -> (Vec<Chunk>, usize) {
    // (char pos, width pos, char) after tab expansion.
    let mut cells: Vec<(usize, usize, char)> = Vec::with_capacity(line.len());
    let (mut cp, mut wp) = (0usize, 0usize);
    for c in line.chars() {
        if c == '\t' {
            let next = (wp / TAB_WIDTH + 1) * TAB_WIDTH;
            while wp < next {
                cells.push((cp, wp, ' '));
                cp += 1;
                wp += 1;
            }
            continue;
        }
        if c.is_control() {
            continue;
        }
        let w = c.width().unwrap_or(0);
        cells.push((cp, wp, if is_vertical(c) { '\u{0}' } else { c }));
        cp += 1;
        wp += w;
    }
    let width = wp;
    // Words: runs of non-space; gaps remember their length.
    struct Word {
        from: usize,
        to: usize,
        gap_before: usize,
    }
    let mut words: Vec<Word> = Vec::new();
    let mut i = 0;
    let mut gap = usize::MAX;
    while i < cells.len() {
        let c = cells[i].2;
        if c == ' ' {
            gap = gap.saturating_add(1);
            i += 1;
            continue;
        }
        if c == '\u{0}' {
            gap = usize::MAX;
            i += 1;
            continue;
        }
        let from = i;
        while i < cells.len() && cells[i].2 != ' ' && cells[i].2 != '\u{0}' {
            i += 1;
        }
        words.push(Word {
            from,
            to: i,
            gap_before: gap,
        });
        gap = 0;
    }
    let text_of =
        |from: usize, to: usize| -> String { cells[from..to].iter().map(|x| x.2).collect() };
    // Chunks: words joined across single spaces.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if w.gap_before >= 2 || groups.is_empty() {
            groups.push(vec![k]);
        } else if let Some(g) = groups.last_mut() {
            g.push(k);
        }
    }
    // An amount joined to a label by one space is a field of its own when
    // the line has columns at all.
    if groups.len() >= 2 {
        let mut split = Vec::new();
        for g in groups {
            let mut cur: Vec<usize> = Vec::new();
            for &k in &g {
                let amount = is_amount_token(&text_of(words[k].from, words[k].to));
                let cur_amount = cur.len() == 1
                    && is_amount_token(&text_of(words[cur[0]].from, words[cur[0]].to));
                if !cur.is_empty() && (amount || cur_amount) {
                    split.push(std::mem::take(&mut cur));
                }
                cur.push(k);
            }
            if !cur.is_empty() {
                split.push(cur);
            }
        }
        groups = split;
    }
    // A code joined to its name by one space ("01 行政运行") is a field of
    // its own on a line whose other codes stand alone ("201  06  01
    // 行政运行"): the code column's cell, set one space from the name.
    let word = |k: usize| text_of(words[k].from, words[k].to);
    let lone_code = groups
        .iter()
        .any(|g| g.len() == 1 && is_bare_code(&word(g[0])));
    if lone_code {
        let mut split = Vec::with_capacity(groups.len());
        for g in groups {
            let first = word(g[0]);
            if g.len() >= 2
                && is_bare_code(&first)
                && first.len() >= MIN_JOINED_CODE_DIGITS
                && !word(g[1]).starts_with(|c: char| c.is_ascii_digit())
            {
                split.push(vec![g[0]]);
                split.push(g[1..].to_vec());
            } else {
                split.push(g);
            }
        }
        groups = split;
    }
    let chunks = groups
        .into_iter()
        .filter_map(|g| {
            let first = words.get(*g.first()?)?;
            let last = words.get(*g.last()?)?;
            let (c0, w0, _) = cells[first.from];
            let (c1, w1, ch) = cells[last.to - 1];
            let w1 = w1 + ch.width().unwrap_or(0);
            Some(Chunk {
                start: w0,
                end: w1,
                pos: [(c0, c1 + 1), (w0, w1)],
                text: text_of(first.from, last.to),
            })
        })
        .collect();
    (chunks, width)
}

/// Splits the text into lines with chunks, pages and kinds.
fn prepare(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut page = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let mut body = raw;
        while let Some(rest) = body.strip_prefix('\u{c}') {
            page += 1;
            body = rest;
        }
        let feeds = body.matches('\u{c}').count();
        let cleaned: String = body.chars().filter(|&c| c != '\u{c}').collect();
        let (chunks, width) = chunk_line(&cleaned);
        let trimmed = cleaned.trim();
        let rule = trimmed.chars().filter(|c| !c.is_whitespace()).count() >= 3
            && trimmed
                .chars()
                .all(|c| c.is_whitespace() || is_rule_char(c));
        let kind = if chunks.is_empty() {
            Kind::Blank
        } else if rule || is_page_furniture(trimmed) {
            Kind::Skip
        } else {
            Kind::Content
        };
        lines.push(Line {
            no: (i + 1) as u32,
            page,
            kind,
            chunks,
            width,
            total_off_header: false,
        });
        page += feeds;
    }
    // A lone page number: a bare integer as the first or last content line
    // of a page.
    let mut by_page: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (i, l) in lines.iter().enumerate() {
        if l.kind == Kind::Content {
            by_page.entry(l.page).or_default().push(i);
        }
    }
    let has_pages = by_page.len() > 1;
    for idx in by_page.values() {
        for &i in [idx.first(), idx.last()].into_iter().flatten() {
            let l = &mut lines[i];
            if has_pages
                && l.chunks.len() == 1
                && l.chunks[0].text.len() <= 4
                && l.chunks[0].text.chars().all(|c| c.is_ascii_digit())
            {
                l.kind = Kind::Skip;
            }
        }
    }
    choose_measure(&mut lines);
    lines
}

/// Chooses characters or display columns as the measure of positions:
/// the one under which more amounts share a right edge with an amount on
/// a neighbouring line.
fn choose_measure(lines: &mut [Line]) {
    let mut score = [0usize; 2];
    let amount_lines: Vec<&Line> = lines
        .iter()
        .filter(|l| l.kind == Kind::Content && l.chunks.iter().any(Chunk::is_amount))
        .collect();
    for w in amount_lines.windows(2) {
        for (m, sc) in score.iter_mut().enumerate() {
            let edges = |l: &Line| -> Vec<usize> {
                l.chunks
                    .iter()
                    .filter(|c| c.is_amount())
                    .map(|c| c.pos[m].1)
                    .collect()
            };
            let (a, b) = (edges(w[0]), edges(w[1]));
            // pdftotext places glyphs on its grid with a column of jitter.
            *sc += a
                .iter()
                .filter(|&&e| b.iter().any(|&f| e.abs_diff(f) <= 1))
                .count();
        }
    }
    // Ties go to display width: what an author who aligned by eye saw.
    let m = if score[0] > score[1] { 0 } else { 1 };
    for l in lines.iter_mut() {
        for c in &mut l.chunks {
            c.start = c.pos[m].0;
            c.end = c.pos[m].1;
        }
        if m == 0 {
            l.width = l.chunks.last().map_or(0, |c| c.end);
        }
    }
}

/// Whether the text looks space-aligned: at least two lines hold fields
/// separated by a run of two or more spaces (cheap; the reader decides
/// the rest).
pub(crate) fn looks_aligned(text: &str) -> bool {
    text.lines()
        .filter(|l| {
            let t = l.trim();
            !t.contains("……") && t.contains("  ")
        })
        .take(2)
        .count()
        >= 2
}

/// One table's lines, sorted.
#[derive(Debug, Default)]
struct Block {
    title: Option<usize>,
    /// A line right under the title that qualifies it: （2023年度）.
    subtitle: Option<usize>,
    meta: Vec<usize>,
    header: Vec<usize>,
    /// Where `header`'s lines stop being labels: the lines from here on
    /// are the body of an empty table (无, then 合计), kept in `header` only
    /// to find the columns with the labels.
    header_labels: Option<usize>,
    body: Vec<usize>,
    notes: Vec<String>,
}

/// What the walk over the lines produced.
enum Piece {
    Table(Block),
    /// A form's tables (form.rs), already built.
    Form(Vec<RawTable>),
    Prose(Vec<usize>),
}

/// Reads space-aligned text.
pub(crate) fn read(text: &str) -> Result<RawDocument, ReadError> {
    let mut lines = prepare(text);
    split_empty_total_rows(&mut lines);
    let pieces = segment(&lines);
    let mut doc = RawDocument::default();
    let mut any_table = false;
    for piece in pieces {
        match piece {
            Piece::Table(block) => {
                if let Some(mut rt) = build_table(&lines, &block) {
                    rt.printed_amounts = Some(printed_amounts(&lines, &block));
                    doc.blocks.push(RawBlock::Table(doc.tables.len()));
                    doc.tables.push(rt);
                    any_table = true;
                }
            }
            Piece::Form(tables) => {
                for rt in tables {
                    doc.blocks.push(RawBlock::Table(doc.tables.len()));
                    doc.tables.push(rt);
                }
                any_table = true;
            }
            Piece::Prose(idx) => {
                for s in prose_sections(&lines, &idx) {
                    doc.blocks.push(RawBlock::Text(s));
                }
            }
        }
    }
    if !any_table {
        let content: Vec<u32> = lines
            .iter()
            .filter(|l| l.kind == Kind::Content)
            .map(|l| l.no)
            .collect();
        let tried = match (content.first(), content.last()) {
            (Some(a), Some(b)) if a != b => format!("lines {a}–{b}"),
            (Some(a), _) => format!("line {a}"),
            _ => "no line with text".to_string(),
        };
        return Err(ReadError::NoTable(format!(
            "{tried} tried as a space-aligned table: no block of aligned columns with amounts, \
             and no table title with 编制部门/单位 lines above a header"
        )));
    }
    Ok(doc)
}

/// The amounts printed in a table's lines (title, meta, header, body),
/// and the first and last of those lines: the normaliser checks that each
/// became an amount cell ([`super::PrintedAmounts`]).
fn printed_amounts(lines: &[Line], b: &Block) -> super::PrintedAmounts {
    let block_lines: Vec<usize> = b
        .title
        .iter()
        .chain(&b.subtitle)
        .chain(&b.meta)
        .chain(&b.header)
        .chain(&b.body)
        .copied()
        .collect();
    let count = block_lines
        .iter()
        .flat_map(|&i| &lines[i].chunks)
        .flat_map(|c| c.text.split_whitespace())
        .filter(|w| is_amount_token(w))
        .count();
    let first = block_lines.iter().min().map_or(0, |&i| lines[i].no);
    let last = block_lines.iter().max().map_or(0, |&i| lines[i].no);
    super::PrintedAmounts {
        count,
        lines: (first, last),
    }
}

/// The 合计 row of an empty table that `pdftotext` set on the line of the
/// lowest header labels (`合计      合计  基本支出  项目支出`, the 政府性基金
/// 收支决算表 of a 决算 book with no such funds): a line that opens with a
/// total label, goes on with labels only (no amount, no code), and is the
/// last line of its table (a note, a new page or the end after it). It
/// becomes two lines: the labels, then the total label alone, which opens
/// the body as the 合计 line of an empty table does.
fn split_empty_total_rows(lines: &mut Vec<Line>) {
    let mut i = 0;
    while i < lines.len() {
        let l = &lines[i];
        let labels_after_total = l.kind == Kind::Content
            && l.chunks.len() >= 3
            && is_total_label(&l.chunks[0].text)
            && l.chunks[1..].iter().all(|c| {
                !c.is_amount()
                    && !is_bare_code(&c.text)
                    && !c.text.chars().any(|ch| ch.is_ascii_digit())
            });
        let last_of_table = labels_after_total
            && next_content(lines, i).is_none_or(|n| {
                let nl = &lines[n];
                nl.page != l.page || is_note_start(&nl.text())
            });
        if last_of_table {
            let mut total = lines[i].clone();
            total.chunks.truncate(1);
            total.width = total.chunks[0].end;
            total.total_off_header = true;
            lines[i].chunks.remove(0);
            lines.insert(i + 1, total);
            i += 1;
        }
        i += 1;
    }
}

/// Index of the next content line after `i` (any page).
fn next_content(lines: &[Line], i: usize) -> Option<usize> {
    (i + 1..lines.len()).find(|&j| lines[j].kind == Kind::Content)
}

/// Whether a table starts at content line `i`: a title (…表, or above a
/// meta line), a meta line above a header, or aligned lines that reach a
/// data line within a header's height.
fn table_starts(lines: &[Line], i: usize) -> bool {
    let l = &lines[i];
    let next = next_content(lines, i).map(|j| &lines[j]);
    if l.is_table_title(next) {
        // A title needs a meta line or aligned lines below it, after its
        // subtitle if it has one.
        let below = match next_content(lines, i) {
            Some(j) if lines[j].is_subtitle() => next_content(lines, j).map(|k| &lines[k]),
            _ => next,
        };
        return below.is_some_and(|n| n.is_meta() || (n.chunks.len() >= 2 && !n.is_prose()));
    }
    if l.is_prose() || l.chunks.len() < 2 {
        return false;
    }
    let mut j = i;
    let mut seen = 0;
    loop {
        let line = &lines[j];
        if line.is_data() {
            return true;
        }
        // The header of a table stays on its page and above the next
        // table's title and meta lines.
        let next = next_content(lines, j).map(|n| &lines[n]);
        if line.is_prose()
            || seen > MAX_HEADER_LINES
            || line.page != l.page
            || (j > i && (line.is_table_title(next) || line.is_meta()))
        {
            return false;
        }
        if !line.is_meta() && line.chunks.len() < 2 && seen == 0 {
            return false;
        }
        seen += 1;
        match next_content(lines, j) {
            Some(n) => j = n,
            None => return false,
        }
    }
}

fn segment(lines: &[Line]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut prose: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].kind != Kind::Content {
            if lines[i].kind == Kind::Blank {
                prose.push(i);
            }
            i += 1;
            continue;
        }
        if !table_starts(lines, i) {
            prose.push(i);
            i += 1;
            continue;
        }
        if let Some((tables, next)) = form::take_form(lines, i) {
            if !prose.is_empty() {
                pieces.push(Piece::Prose(std::mem::take(&mut prose)));
            }
            pieces.push(Piece::Form(tables));
            i = next;
            continue;
        }
        let (block, next) = take_table(lines, i);
        // An empty table: a title naming a table, meta lines and a header.
        let empty_table = block.title.is_some_and(|t| {
            let text = &lines[t].chunks[0].text;
            names_table(text)
        }) && !block.meta.is_empty()
            && block.header.iter().any(|&j| lines[j].chunks.len() >= 2);
        if empty_table || block.body.iter().any(|&j| lines[j].is_data()) {
            if !prose.is_empty() {
                pieces.push(Piece::Prose(std::mem::take(&mut prose)));
            }
            pieces.push(Piece::Table(block));
            i = next;
        } else {
            // Aligned lines without a single amount or total: a list, a
            // table of contents; kept as prose.
            prose.push(i);
            i += 1;
        }
    }
    if !prose.is_empty() {
        pieces.push(Piece::Prose(prose));
    }
    pieces
}

/// Reads one table from its first line; returns it and the line after it.
fn take_table(lines: &[Line], start: usize) -> (Block, usize) {
    let mut b = Block::default();
    let mut i = start;
    // Title and meta lines.
    let next = next_content(lines, i).map(|j| &lines[j]);
    if lines[i].is_table_title(next) {
        b.title = Some(i);
        i += 1;
        if let Some(j) = next_content(lines, i - 1)
            && lines[j].is_subtitle()
        {
            b.subtitle = Some(j);
            i = j + 1;
        }
    }
    while i < lines.len() && (lines[i].kind != Kind::Content || lines[i].is_meta()) {
        if lines[i].kind == Kind::Content {
            b.meta.push(i);
        }
        i += 1;
    }
    // Header lines: up to the first data line.
    let first_data = (i..lines.len())
        .filter(|&j| lines[j].kind == Kind::Content)
        .take(MAX_HEADER_LINES + 1)
        .find(|&j| lines[j].is_data() || lines[j].is_prose() || is_note_start(&lines[j].text()));
    let header_end = match first_data {
        Some(j) if lines[j].is_data() => j,
        // No data: an empty table; its header is every aligned line.
        Some(j) => j,
        None => (i..lines.len())
            .filter(|&j| lines[j].kind == Kind::Content)
            .take(MAX_HEADER_LINES)
            .last()
            .map_or(i, |j| j + 1),
    };
    b.header = (i..header_end)
        .filter(|&j| lines[j].kind == Kind::Content)
        .collect();
    // A label wrapped around its row (pdftotext centres the amounts
    // between the label's lines) starts right above the first data line,
    // where that line has no label, and goes on right below it.
    let mut header_end = header_end;
    if let Some(&last) = b.header.last()
        && header_end < lines.len()
        && last + 1 == header_end
        && lines[last].chunks.len() == 1
    {
        let c = &lines[last].chunks[0];
        let goes_on = lines.get(header_end + 1).is_some_and(|n| {
            n.kind == Kind::Content
                && !n.is_data()
                && n.chunks.iter().any(|d| d.overlaps(c.start, c.end) > 0)
        });
        if goes_on
            && lines[header_end]
                .chunks
                .iter()
                .all(|d| d.overlaps(c.start, c.end) == 0)
        {
            b.header.pop();
            header_end = last;
        }
    }
    // An empty table states it in its body: a line of 无 under the lowest
    // labels (then the 合计 row). That line and any after it in the header
    // are the body, not labels (类 over 无 is not 类无).
    if let Some(cut) = b.header.iter().position(|&j| {
        lines[j]
            .chunks
            .iter()
            .all(|c| matches!(c.text.as_str(), "无" | "-" | "—" | "－"))
    }) && cut > 0
    {
        b.header_labels = Some(cut);
        b.body.extend(&b.header[cut..]);
    }
    let header_texts: Vec<String> = b.header.iter().map(|&j| lines[j].text()).collect();
    // The header's lowest labels set below the first row's amounts: a line
    // of amounts alone opens the body, and lines of one- or two-character
    // labels (类  款  项) follow it before the row's label (合计). They are
    // header lines.
    let mut late_header: Vec<usize> = Vec::new();
    if b.header_labels.is_none()
        && header_end < lines.len()
        && !lines[header_end].chunks.is_empty()
        && lines[header_end].chunks.iter().all(Chunk::is_amount)
    {
        let mut j = header_end;
        while let Some(n) = next_content(lines, j) {
            let l = &lines[n];
            if l.page != lines[header_end].page {
                break;
            }
            j = n;
            if l.chunks.iter().all(Chunk::is_amount) {
                // More of the first row's amounts.
                continue;
            }
            let short = l.chunks.len() >= 2
                && l.chunks
                    .iter()
                    .all(|c| c.text.chars().count() <= MAX_LATE_HEADER_CHARS);
            if !short || l.is_data() {
                break;
            }
            late_header.push(n);
        }
    }
    b.header.extend(&late_header);
    i = header_end;
    let mut page = lines[start].page;
    // Body, across pages, until prose, a new table or notes.
    while i < lines.len() {
        let l = &lines[i];
        if l.kind != Kind::Content || late_header.contains(&i) {
            i += 1;
            continue;
        }
        if l.page != page {
            page = l.page;
            // A new page: a title or meta line starts a new table; a
            // repeated header is dropped; aligned lines continue the table.
            let next = next_content(lines, i).map(|j| &lines[j]);
            let chapter =
                l.is_title_like() && next.is_none_or(|n| n.is_prose() || n.page != l.page);
            if l.is_table_title(next) || l.is_meta() || chapter || l.is_prose() {
                break;
            }
            // A continued table has data near the top of the page.
            let data_soon = (i..lines.len())
                .filter(|&j| lines[j].kind == Kind::Content && lines[j].page == l.page)
                .take(MAX_HEADER_LINES)
                .take_while(|&j| !lines[j].is_prose())
                .any(|j| lines[j].is_data());
            if !data_soon {
                break;
            }
            let mut j = i;
            let mut k = 0;
            while k < header_texts.len()
                && lines.get(j).is_some_and(|x| x.text() == header_texts[k])
            {
                k += 1;
                match next_content(lines, j) {
                    Some(n) => j = n,
                    None => {
                        j = lines.len();
                        break;
                    }
                }
            }
            if k == header_texts.len() && k > 0 {
                i = j;
                continue;
            }
        }
        let l = &lines[i];
        let text = l.text();
        if is_note_start(&text) || (l.chunks.len() == 1 && text.contains("空表")) {
            // Notes: this line and its wrapped continuations.
            let mut note = text;
            let mut j = i + 1;
            while j < lines.len()
                && lines[j].kind == Kind::Content
                && lines[j].page == l.page
                && lines[j].chunks.len() == 1
                && !is_note_start(&lines[j].text())
                && lines[j].indent() == 0
                && !lines[j].is_title_like()
            {
                note.push_str(&lines[j].text());
                j += 1;
            }
            b.notes.push(note);
            i = j;
            // More notes may follow; anything else ends the table.
            match next_content(lines, i - 1) {
                Some(n) if is_note_start(&lines[n].text()) && lines[n].page == l.page => {
                    i = n;
                    continue;
                }
                _ => break,
            }
        }
        let next = next_content(lines, i).map(|j| &lines[j]);
        if l.is_prose() || l.is_table_title(next) || (l.is_meta() && l.chunks.len() >= 2) {
            break;
        }
        b.body.push(i);
        i += 1;
    }
    (b, i)
}

/// A column: an extent and whether it holds amounts.
#[derive(Debug, Clone)]
struct Col {
    start: usize,
    end: usize,
    amounts: usize,
    /// Chunks that are not amounts (codes included).
    texts: usize,
    /// Chunks that are bare codes (类/款/项, 科目编码).
    codes: usize,
}

impl Col {
    fn is_amount(&self) -> bool {
        self.amounts > 0 && self.amounts >= self.texts || self.amounts == 0 && self.texts == 0
    }

    /// What the column holds, for matching columns across pages.
    fn shape(&self) -> Shape {
        if self.is_amount() {
            Shape::Amount
        } else if self.codes > 0 && self.codes == self.texts {
            Shape::Code
        } else {
            Shape::Text
        }
    }
}

/// What a body chunk is, for grouping chunks into columns: amounts are
/// right-aligned, codes and labels left-aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Shape {
    Amount,
    Code,
    Text,
}

fn shape_of(c: &Chunk) -> Shape {
    if c.is_amount() {
        Shape::Amount
    } else if is_bare_code(&c.text) {
        Shape::Code
    } else {
        Shape::Text
    }
}

/// Most columns (display columns or characters) by which the aligned
/// edges of two chunks of one column may differ: `pdftotext` places
/// glyphs on its character grid with up to two columns of jitter (the
/// right edges of one column's amounts stand at 29 and 31 in the published
/// 决算 books).
const EDGE_SLACK: usize = 2;

/// The columns of a table's body lines, and the column of each body chunk
/// (by line index and chunk index).
///
/// Chunks are grouped into columns in order of how surely they belong
/// together: first chunks of one kind whose aligned edges agree within
/// [`EDGE_SLACK`] (amounts by their right edges, codes and labels by their
/// left edges), then chunks whose extents overlap, most overlap and the
/// same kind first. Two groups are never joined when some line has a chunk
/// in both: the fields of one line are in different columns. So amounts of
/// neighbouring columns whose extents touch (two amounts joined by one
/// space), and labels that `pdftotext` moved under the codes of their
/// half, stay in their own columns.
fn body_columns(lines: &[Line], body: &[usize]) -> (Vec<Col>, ChunkColumns) {
    // Distinct extents: (start, end, shape, total label) with the lines
    // (indices into `body`) that have a chunk there.
    let mut distinct: std::collections::BTreeMap<Extent, Vec<usize>> = Default::default();
    for (n, &i) in body.iter().enumerate() {
        for c in &lines[i].chunks {
            distinct
                .entry((c.start, c.end, shape_of(c), is_total_label(&c.text)))
                .or_default()
                .push(n);
        }
    }
    let nodes: Vec<(Extent, Vec<usize>)> = distinct.into_iter().collect();
    // Edges, cheapest first.
    let mut edges: Vec<((u8, u8, usize), usize, usize)> = Vec::new();
    for (a, node) in nodes.iter().enumerate() {
        let (sa, ea, ka, _) = node.0;
        for (b, other) in nodes.iter().enumerate().skip(a + 1) {
            let (sb, eb, kb, _) = other.0;
            if sb > ea + EDGE_SLACK {
                break;
            }
            if ka == kb {
                let d = if ka == Shape::Amount {
                    ea.abs_diff(eb)
                } else {
                    sa.abs_diff(sb)
                };
                if d <= EDGE_SLACK {
                    edges.push(((0, 0, d), a, b));
                    continue;
                }
            }
            let overlap = ea.min(eb).saturating_sub(sa.max(sb));
            if overlap > 0 {
                edges.push(((1, u8::from(ka != kb), usize::MAX - overlap), a, b));
            }
        }
    }
    edges.sort_unstable();
    let words = body.len().div_ceil(64);
    let mut parent: Vec<usize> = (0..nodes.len()).collect();
    let mut members: Vec<Vec<u64>> = nodes
        .iter()
        .map(|(_, ls)| {
            let mut bits = vec![0u64; words];
            for &n in ls {
                bits[n / 64] |= 1 << (n % 64);
            }
            bits
        })
        .collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (_, a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb
            || members[ra]
                .iter()
                .zip(&members[rb])
                .any(|(x, y)| x & y != 0)
        {
            continue;
        }
        let theirs = std::mem::take(&mut members[rb]);
        for (x, y) in members[ra].iter_mut().zip(theirs) {
            *x |= y;
        }
        parent[rb] = ra;
    }
    // Columns from the groups, left to right.
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for n in 0..nodes.len() {
        let r = find(&mut parent, n);
        groups.entry(r).or_default().push(n);
    }
    let mut cols: Vec<(Col, bool, usize)> = groups
        .into_iter()
        .map(|(root, ns)| {
            let mut col = Col {
                start: usize::MAX,
                end: 0,
                amounts: 0,
                texts: 0,
                codes: 0,
            };
            let mut only_totals = true;
            for &n in &ns {
                let ((s, e, shape, total), ls) = &nodes[n];
                col.start = col.start.min(*s);
                col.end = col.end.max(*e);
                match shape {
                    Shape::Amount => col.amounts += ls.len(),
                    Shape::Code => {
                        col.codes += ls.len();
                        col.texts += ls.len();
                    }
                    Shape::Text => col.texts += ls.len(),
                }
                only_totals &= *total;
            }
            (col, only_totals, root)
        })
        .collect();
    cols.sort_by_key(|(c, _, _)| (c.start, c.end));
    // A total label centred under the labels of its column (pdftotext
    // keeps 收入总计 where the PDF centres it) is still that column.
    let mut k = 1;
    while k < cols.len() {
        let (ra, rb) = (cols[k - 1].2, cols[k].2);
        let apart = !members[ra]
            .iter()
            .zip(&members[rb])
            .any(|(x, y)| x & y != 0);
        if cols[k].1 && !cols[k - 1].0.is_amount() && !cols[k - 1].1 && apart {
            let (c, _, root) = cols.remove(k);
            let left = &mut cols[k - 1];
            left.0.end = left.0.end.max(c.end);
            left.0.texts += c.texts;
            left.0.codes += c.codes;
            let theirs = std::mem::take(&mut members[root]);
            for (x, y) in members[ra].iter_mut().zip(theirs) {
                *x |= y;
            }
            parent[root] = ra;
        } else {
            k += 1;
        }
    }
    let index: std::collections::HashMap<usize, usize> = cols
        .iter()
        .enumerate()
        .map(|(k, (_, _, root))| (*root, k))
        .collect();
    let mut of = ChunkColumns::default();
    for &i in body {
        for (k, c) in lines[i].chunks.iter().enumerate() {
            let key = (c.start, c.end, shape_of(c), is_total_label(&c.text));
            if let Ok(node) = nodes.binary_search_by(|(x, _)| x.cmp(&key)) {
                let root = find(&mut parent, node);
                if let Some(&col) = index.get(&root) {
                    of.insert((i, k), col);
                }
            }
        }
    }
    (cols.into_iter().map(|(c, _, _)| c).collect(), of)
}

/// The extent of each word of a header label: one extent for a label of
/// one word, or when a word is not a label word (digits, Latin letters);
/// else one per word, as `pdftotext` joins by one space the labels of
/// neighbouring cells that are wider on the page than in its grid.
fn label_word_extents(c: &Chunk) -> Vec<(usize, usize)> {
    let words: Vec<&str> = c.text.split(' ').filter(|w| !w.is_empty()).collect();
    let label_word = |w: &str| {
        w.chars().count() >= MIN_LABEL_WORD_CHARS
            && !w.chars().any(|ch| ch.is_ascii_alphanumeric())
            && !looks_like_meta(w)
    };
    if words.len() < 2 || !words.iter().all(|w| label_word(w)) {
        return vec![(c.start, c.end)];
    }
    // The chunk's extent is in characters or in display columns.
    let display = c.end - c.start == c.pos[1].1 - c.pos[1].0;
    let size = |t: &str| {
        if display {
            t.width()
        } else {
            t.chars().count()
        }
    };
    let mut out = Vec::with_capacity(words.len());
    let mut at = c.start;
    for w in c.text.split(' ') {
        if !w.is_empty() {
            out.push((at, at + size(w)));
        }
        at += size(w) + 1;
    }
    out
}

/// A chunk's extent in the body: start, end, shape, and whether it is a
/// total label.
type Extent = (usize, usize, Shape, bool);

/// The column of each body chunk, by line index and chunk index.
type ChunkColumns = std::collections::HashMap<(usize, usize), usize>;

/// Columns of a table: the body's columns, and columns of their own for
/// header labels that stand over no body column (columns with no value).
fn columns(lines: &[Line], body: &[usize], header: &[usize]) -> (Vec<Col>, ChunkColumns) {
    let (mut cols, mut of) = body_columns(lines, body);
    if leaf_line_labels_each_column(lines, header, &cols) {
        // The lowest header line names every body column: no column
        // stands apart from the values.
        return (cols, of);
    }
    // Header chunks over no body column: columns without values. The
    // lowest header line gives the leaves; a label above leaves it
    // overlaps is their group, not a column.
    // A free label above a lower header line that has labels on both of
    // its sides, and none under it, is a group label centred over the
    // gap between its columns (本年收入 over 项目 and 预算数), not a column.
    let mut extra: Vec<(usize, usize)> = Vec::new();
    for (h, &i) in header.iter().enumerate().rev() {
        for c in &lines[i].chunks {
            // A label over two labels of one lower line is their group
            // (公务用车购置及运行费 over 购置费 and 运行费); any other label
            // over the column of a lower label is a piece of the same
            // wrapped label (国有资本经营 / 预 / 算财政拨 / 款): the pieces
            // make one column.
            let group = header[h + 1..].iter().any(|&j| {
                lines[j]
                    .chunks
                    .iter()
                    .filter(|d| d.overlaps(c.start, c.end) > 0)
                    .count()
                    >= 2
            });
            let over_body = cols.iter().any(|k| c.overlaps(k.start, k.end) > 0);
            let under: Vec<usize> = (0..extra.len())
                .filter(|&x| c.overlaps(extra[x].0, extra[x].1) > 0)
                .collect();
            if !over_body && !group && !under.is_empty() {
                let s = under.iter().map(|&x| extra[x].0).min().unwrap_or(c.start);
                let e = under.iter().map(|&x| extra[x].1).max().unwrap_or(c.end);
                for &x in under.iter().rev() {
                    extra.remove(x);
                }
                extra.push((s.min(c.start), e.max(c.end)));
                continue;
            }
            let free = !over_body && under.is_empty();
            // The labels next to it below must be its own: no label of its
            // line stands between them and it (事业收入 between 财政拨款收入
            // and 其他收入 heads a column of its own, though the line below
            // has labels far to both sides of it).
            let over_gap = header[h + 1..].iter().any(|&j| {
                let below = &lines[j].chunks;
                let left = below
                    .iter()
                    .filter(|d| d.end <= c.start)
                    .map(|d| d.end)
                    .max();
                let right = below
                    .iter()
                    .filter(|d| d.start >= c.end)
                    .map(|d| d.start)
                    .min();
                let (Some(left), Some(right)) = (left, right) else {
                    return false;
                };
                below.iter().all(|d| d.overlaps(c.start, c.end) == 0)
                    && lines[i].chunks.iter().all(|d| {
                        (d.start < left || d.end > c.start) && (d.start < c.end || d.end > right)
                    })
            });
            // A label right of a text column that no label of its line
            // stands over, with amounts (or nothing) to its right: that
            // text column's label, centred over a cell wider than its
            // left-aligned texts.
            let left = cols.iter().rposition(|k| k.end <= c.start).filter(|&k| {
                !cols[k].is_amount()
                    && cols
                        .get(k + 1)
                        .is_none_or(|n| n.is_amount() && n.start >= c.end)
                    && lines[i]
                        .chunks
                        .iter()
                        .all(|d| d.overlaps(cols[k].start, cols[k].end) == 0)
                    && lines[i]
                        .chunks
                        .iter()
                        .all(|d| !(d.start >= cols[k].end && d.end <= c.start))
            });
            // A label with no label of a lower line under it is a leaf,
            // whatever its line (功能分类科目名称 beside 功能分类科目编码,
            // whose 类 款 项 stand on a line of their own below).
            let leaf = header[h + 1..].iter().all(|&j| {
                lines[j]
                    .chunks
                    .iter()
                    .all(|d| d.overlaps(c.start, c.end) == 0)
            });
            if free && !over_gap {
                match left {
                    Some(k) if leaf => cols[k].end = cols[k].end.max(c.end),
                    // Labels of empty columns set one space apart
                    // ("政府性基金预算 国有资本经营预算"): a column each.
                    _ => extra.extend(label_word_extents(c)),
                }
            }
        }
    }
    // A header label standing just left of a column of right-aligned
    // values (centred over a wider cell than its values fill), or of
    // codes (a CJK label takes one position of `pdftotext`'s grid per
    // character but stands two wide over its codes: 款 ends where 06
    // starts), labels it.
    extra.retain(|&(s, e)| {
        let near = cols
            .iter_mut()
            .filter(|k| e <= k.start)
            .min_by_key(|k| k.start - e)
            .filter(|k| k.amounts > 0 || k.codes > 0);
        match near {
            Some(k) if k.start - e <= NEAR_LABEL => {
                k.start = k.start.min(s);
                k.end = k.end.max(e);
                false
            }
            _ => true,
        }
    });
    extra.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in extra {
        match merged.last_mut() {
            Some(m) if s < m.1 => m.1 = m.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    // A header chunk between two body columns whose values are
    // right-aligned and left-aligned respectively may still overlap both
    // neighbours' gaps only; such chunks become their own column.
    for (s, e) in merged {
        cols.push(Col {
            start: s,
            end: e,
            amounts: 0,
            texts: 0,
            codes: 0,
        });
    }
    let mut order: Vec<usize> = (0..cols.len()).collect();
    order.sort_by_key(|&k| (cols[k].start, k));
    let mut moved = vec![0; cols.len()];
    for (new, &old) in order.iter().enumerate() {
        moved[old] = new;
    }
    for col in of.values_mut() {
        *col = moved[*col];
    }
    let cols = order.into_iter().map(|k| cols[k].clone()).collect();
    (cols, of)
}

/// The column a chunk belongs to: most overlap, else nearest.
fn column_of(cols: &[Col], c: &Chunk) -> usize {
    let mut best = 0;
    let mut best_key = (0usize, usize::MAX);
    for (k, col) in cols.iter().enumerate() {
        let ov = c.overlaps(col.start, col.end);
        let dist = if ov > 0 {
            0
        } else if c.end <= col.start {
            col.start - c.end
        } else {
            c.start.saturating_sub(col.end)
        };
        let key = (ov, usize::MAX - dist);
        if key > (best_key.0, usize::MAX - best_key.1) {
            best = k;
            best_key = (ov, dist);
        }
    }
    best
}

/// Extra cost, in columns of distance, of placing a later page's column
/// on a first-page column that holds no value there: a continued page
/// most often fills the same columns.
const UNUSED_COLUMN_COST: usize = 6;

/// Extra cost, in columns of distance, of placing a later page's column of
/// codes on a first-page column of labels or the other way round: a page
/// of a table keeps its columns' kinds (the 款 codes of page 2 stay codes
/// even when the page is laid out narrower and they stand nearer to the
/// first page's labels).
const OTHER_KIND_COST: usize = 12;

/// For each column of a later page, the first page's column it is. Pages
/// of one table may be laid out at another scale (pdftotext narrows the
/// gaps of a page with fewer glyphs), so positions are compared only
/// within an order-preserving assignment: amounts go to amount columns
/// and text to text columns, left to right, at the least total distance
/// (right edges for amounts, left edges for text), columns the first page
/// filled preferred.
fn map_columns(own: &[Col], reference: &[Col], used: &[bool]) -> Vec<usize> {
    let (m, n) = (own.len(), reference.len());
    let cost = |i: usize, j: usize| -> Option<usize> {
        let (o, r) = (&own[i], &reference[j]);
        if o.is_amount() != r.is_amount() {
            return None;
        }
        let d = if o.is_amount() {
            o.end.abs_diff(r.end)
        } else {
            o.start.abs_diff(r.start)
        };
        let unused = if used.get(j).copied().unwrap_or(false) {
            0
        } else {
            UNUSED_COLUMN_COST
        };
        let other_kind = if o.shape() == r.shape() {
            0
        } else {
            OTHER_KIND_COST
        };
        Some(d + unused + other_kind)
    };
    // best[i][j]: least cost of placing own[..=i] with own[i] on
    // reference[j]; two text columns of a page may fall into one (a 合计
    // label that stands apart from the labels above it).
    let inf = usize::MAX / 4;
    let mut best = vec![vec![inf; n]; m];
    let mut from = vec![vec![usize::MAX; n]; m];
    for i in 0..m {
        for j in 0..n {
            let Some(c) = cost(i, j) else { continue };
            if i == 0 {
                best[i][j] = c;
                continue;
            }
            let shares = own[i].shape() == Shape::Text && own[i - 1].shape() == Shape::Text;
            let last = if shares { j + 1 } else { j };
            if let Some(p) = (0..last).min_by_key(|&p| best[i - 1][p])
                && best[i - 1][p] < inf
            {
                best[i][j] = best[i - 1][p] + c;
                from[i][j] = p;
            }
        }
    }
    let end = (0..n).min_by_key(|&j| best[m.saturating_sub(1)][j]);
    let Some(mut j) = end.filter(|&j| m > 0 && best[m - 1][j] < inf) else {
        // No assignment keeps the order and the kinds: nearest by position.
        return own
            .iter()
            .map(|k| {
                (0..n)
                    .min_by_key(|&j| {
                        let r = &reference[j];
                        (k.start + k.end).abs_diff(r.start + r.end)
                    })
                    .unwrap_or(0)
            })
            .collect();
    };
    let mut map = vec![0; m];
    for i in (0..m).rev() {
        map[i] = j;
        j = from[i][j];
    }
    map
}

/// Columns a header chunk covers (at least one). Where the chunk stands
/// over body values, it covers the columns whose values it overlaps most:
/// each column's overlap with its values summed, and every column with at
/// least half the best column's (a label over the codes of its column is
/// not also over the labels that `pdftotext` moved left under it). A
/// column without values (a header label over an empty column) is covered
/// where the chunk overlaps its extent.
fn columns_covered(cols: &[Col], spans: &[Vec<(usize, usize)>], c: &Chunk) -> (usize, usize) {
    let density: Vec<usize> = (0..cols.len())
        .map(|k| {
            spans
                .get(k)
                .map_or(0, |s| s.iter().map(|&(a, b)| c.overlaps(a, b)).sum())
        })
        .collect();
    let best = density.iter().copied().max().unwrap_or(0);
    let hit: Vec<usize> = (0..cols.len())
        .filter(|&k| {
            let valueless = spans.get(k).is_none_or(Vec::is_empty);
            if best > 0 && !valueless {
                density[k] * 2 >= best
            } else {
                c.overlaps(cols[k].start, cols[k].end) > 0
            }
        })
        .collect();
    match (hit.first(), hit.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => {
            let k = column_of(cols, c);
            (k, k)
        }
    }
}

/// A label of the header: its line, text, the columns it stands over and
/// its centre (doubled, in the measure of positions).
#[derive(Debug, Clone)]
struct HeaderItem {
    line: usize,
    /// The header line of its lowest piece: a wrapped label stands over its
    /// columns on every line from `line` to this one.
    last_line: usize,
    /// Its line number in the file (its top piece's, once
    /// [`join_wrapped_labels`] joined the pieces of a wrapped label).
    no: u32,
    text: String,
    own: (usize, usize),
    centre2: usize,
}

/// Twice the centre of a chunk.
fn centre2(c: &Chunk) -> usize {
    c.start + c.end
}

/// Twice the centre of a header label laid out among header labels: under
/// the character measure a CJK character takes one position of
/// `pdftotext`'s grid but stands two wide among the other labels, so the
/// label's extent is its start plus its display width.
fn display_centre2(c: &Chunk) -> usize {
    2 * c.start + (c.pos[1].1 - c.pos[1].0)
}

/// The header's lowest line labels each column once, in order: its labels
/// are the columns' leaves, whatever their positions (`pdftotext` lays a
/// squeezed row of amounts out on another scale than its header).
fn leaf_line_labels_each_column(lines: &[Line], header: &[usize], cols: &[Col]) -> bool {
    let (Some(&i), Some(first), Some(last)) = (header.last(), cols.first(), cols.last()) else {
        return false;
    };
    let labels = &lines[i].chunks;
    cols.len() >= 2
        && labels.len() == cols.len()
        // The labels stand over the values' whole width.
        && labels.first().is_some_and(|l| l.start < first.end)
        && labels.last().is_some_and(|l| l.end > last.start)
}

/// Header labels that join several words with single spaces ("基本支出
/// 项目支出") while the columns under and beside them have no label of
/// their own: one word per column. `pdftotext` sets two header cells one
/// space apart when the first is wider on the page than in its grid.
///
/// A leaf label over exactly as many columns as it has words, all of them
/// without values (empty columns whose labels `pdftotext` joined), is
/// likewise one word per column.
fn split_joined_labels(items: &mut Vec<HeaderItem>, valueless: &[bool]) {
    let cols = valueless.len();
    let mut labelled = vec![false; cols];
    for it in items.iter() {
        for flag in &mut labelled[it.own.0..=it.own.1] {
            *flag = true;
        }
    }
    // Whether a label of a lower line stands over one of the columns.
    let under = |it: &HeaderItem| {
        items
            .iter()
            .any(|o| o.line > it.line && o.own.0 <= it.own.1 && it.own.0 <= o.own.1)
    };
    let leaves: Vec<bool> = items.iter().map(|it| !under(it)).collect();
    let mut out: Vec<HeaderItem> = Vec::with_capacity(items.len());
    for (it, leaf) in items.drain(..).zip(leaves) {
        let words: Vec<&str> = it.text.split(' ').filter(|w| !w.is_empty()).collect();
        let (a, b) = it.own;
        let need = words.len();
        if leaf && need >= 2 && b - a + 1 == need && valueless[a..=b].iter().all(|&v| v) {
            out.extend(word_per_column(&it, &words, a));
            continue;
        }
        if need < 2 || b - a + 1 >= need {
            out.push(it);
            continue;
        }
        // Unlabelled columns right of the label, then left of it.
        let mut hi = b;
        while hi + 1 < cols && hi + 1 - a < need && !labelled[hi + 1] {
            hi += 1;
        }
        let mut lo = a;
        while lo > 0 && hi + 1 - lo < need && !labelled[lo - 1] {
            lo -= 1;
        }
        if hi - lo + 1 != need {
            out.push(it);
            continue;
        }
        out.extend(word_per_column(&it, &words, lo));
    }
    *items = out;
}

/// The words of a header label split one per column from column `first`,
/// each on the label's lines.
fn word_per_column<'a>(
    it: &'a HeaderItem,
    words: &'a [&str],
    first: usize,
) -> impl Iterator<Item = HeaderItem> + 'a {
    words.iter().enumerate().map(move |(k, w)| HeaderItem {
        text: (*w).to_string(),
        own: (first + k, first + k),
        ..it.clone()
    })
}

/// Most a wrapped label's pieces' doubled centres differ by: one position
/// of `pdftotext`'s grid each way. A header cell's text is centred, so the
/// lines of a label wrapped in its cell share a centre; under the
/// character measure a piece of one CJK character stands up to two doubled
/// positions off the centre of a longer piece above it.
const WRAP_CENTRE_SLACK2: usize = 4;

/// Most file lines between two pieces of a wrapped label: the next line,
/// or the one after where `pdftotext` sets between them a line of a
/// neighbouring cell whose text is centred at another height (附属单 /
/// 位上 / 缴收入 on every other line). A group label stands further above
/// the label under it, in a header row of its own.
const MAX_WRAP_LINE_STEP: u32 = 2;

/// The display width (four CJK characters) from which pieces of one width
/// right under each other are one label broken evenly: a short label (项目,
/// 合计) over a child of its own width may be that child's group.
const MIN_EVEN_WRAP_WIDTH: usize = 8;

/// Pieces of one label wrapped over several lines of its header cell
/// (附属单 / 位上 / 缴收入, 政府性基 / 金预算财 / 政拨款) become one label
/// before the header is read as a tree, so that no piece is taken for a
/// group over its neighbours' columns.
///
/// A chain of labels one under the other, each over the columns of the
/// one above ([`MAX_WRAP_LINE_STEP`] lines apart, centred alike within
/// [`WRAP_CENTRE_SLACK2`]), is one wrapped label when a neighbouring
/// column's text is centred at the same height (cells of one header row
/// centre their text vertically, so the lines of a wrapped label stand
/// around the middle of its neighbours'), or when it stands over the first
/// or last column alone (a group is centred over several columns). A group
/// label over the middle one of its columns stands higher than its
/// children's row (收入预算 over 财政拨款收入 事业收入 事业单位经营收入): it
/// stays a label of its own. The joined label stands where its top piece
/// stands (its line, its columns), and down to its lowest piece's line.
fn join_wrapped_labels(items: &mut Vec<HeaderItem>, n: usize) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&j| (items[j].no, items[j].own));
    let mut gone = vec![false; items.len()];
    for &j in &order {
        if gone[j] {
            continue;
        }
        let mut chain = vec![j];
        loop {
            let cur = &items[chain[chain.len() - 1]];
            let top = &items[j];
            let next = order
                .iter()
                .copied()
                .filter(|&k| {
                    let o = &items[k];
                    !gone[k]
                        && !is_code_part_label(&o.text)
                        && o.no > cur.no
                        && o.no - cur.no <= MAX_WRAP_LINE_STEP
                        && o.own.0 <= top.own.0
                        && top.own.1 <= o.own.1
                        && o.centre2.abs_diff(top.centre2) <= WRAP_CENTRE_SLACK2
                })
                .min_by_key(|&k| items[k].no);
            match next {
                Some(k) => chain.push(k),
                None => break,
            }
        }
        if chain.len() < 2 {
            continue;
        }
        let (a, b) = items[j].own;
        let (first, last) = (items[j].no, items[chain[chain.len() - 1]].no);
        let middle2 = first + last;
        // Twice the middle line of a neighbouring column's labels from the
        // chain's top down to just below it (a label above the top is of a
        // higher header row: 本年支出 over 合计 beside 预算数 / 基本支出).
        let (lo, hi) = (first, last + MAX_WRAP_LINE_STEP);
        let middle_of = |col: usize| {
            let nos: Vec<u32> = items
                .iter()
                .filter(|o| o.own.0 <= col && col <= o.own.1 && (lo..=hi).contains(&o.no))
                .map(|o| o.no)
                .collect();
            Some(nos.iter().min()? + nos.iter().max()?)
        };
        let edge = a == b && (a == 0 || b + 1 == n);
        // Pieces of one width on consecutive lines with one centre: a cell's
        // text broken evenly (经济分类 / 科目编码). A group over a single
        // child is not set so; one of two or more stands wider.
        let width = |o: &HeaderItem| o.text.width();
        let even = chain.windows(2).all(|w| {
            let (p, q) = (&items[w[0]], &items[w[1]]);
            q.no == p.no + 1 && q.centre2 == p.centre2 && width(q) == width(p)
        }) && width(&items[j]) >= MIN_EVEN_WRAP_WIDTH;
        let beside = a.checked_sub(1).and_then(middle_of) == Some(middle2)
            || (b + 1 < n && middle_of(b + 1) == Some(middle2));
        if !(edge || beside || even) {
            continue;
        }
        for &k in &chain[1..] {
            let piece = items[k].text.clone();
            items[j].text.push_str(&piece);
            gone[k] = true;
        }
        items[j].last_line = items[chain[chain.len() - 1]].line;
    }
    let mut k = 0;
    items.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// 类, 款 and 项, the labels of a code's parts: leaves of their own, never
/// the last line of a label wrapped above them (经济分类 / 科目编码 over 类
/// 款 is not 经济分类科目编码款).
fn is_code_part_label(text: &str) -> bool {
    matches!(text.trim(), "类" | "款" | "项")
}

/// A group over a label whose neighbour outside the group is wrapped around
/// the same middle line, with nothing above it, heads that neighbour too:
/// labels of one header row are set at one height, and a label wrapped
/// around the middle of the group's child is its sibling, not a column of
/// the top row. (项目 over 科目名称, with 功能分类 / 科目编码 beside it
/// wrapped around the same middle line, in the 政府性基金 收支决算表 of a
/// 决算 book: `pdftotext` centres 项目 nearer the name.) One neighbour on
/// each side at most: a group is not carried along a whole line.
fn widen_over_siblings(items: &[HeaderItem], ranges: &mut [(usize, usize)]) {
    let middle2 = |o: &HeaderItem| o.line + o.last_line;
    // The highest label below line `below` over column `col`, and whether
    // no other label on or above its line covers that column.
    let top_under = |ranges: &[(usize, usize)], col: usize, below: usize| {
        let over = |k: &usize| ranges[*k].0 <= col && col <= ranges[*k].1;
        let first = (0..items.len())
            .filter(over)
            .filter(|&k| items[k].line > below)
            .min_by_key(|&k| items[k].line)?;
        let alone = (0..items.len())
            .filter(over)
            .all(|k| k == first || items[k].line > items[first].line);
        Some((first, alone))
    };
    for g in 0..items.len() {
        let line = items[g].line;
        for left in [true, false] {
            let (a, b) = ranges[g];
            let (out, inner) = match left {
                true => match a.checked_sub(1) {
                    Some(c) => (c, a),
                    None => continue,
                },
                false => (b + 1, b),
            };
            let (Some((child, _)), Some((nb, alone))) =
                (top_under(ranges, inner, line), top_under(ranges, out, line))
            else {
                continue;
            };
            let single = |k: usize| ranges[k].0 == ranges[k].1;
            if alone
                && single(child)
                && single(nb)
                && items[nb].last_line > items[nb].line
                && middle2(&items[child]) == middle2(&items[nb])
            {
                ranges[g] = (a.min(out), b.max(out));
            }
        }
    }
}

/// A label centred over the gap between two neighbouring columns heads
/// both (合计 over its 预算数 and 决算数): its centre stands past the end of
/// the one column and before the start of the next.
fn over_gap(ext: &[(usize, usize)], own: (usize, usize), c2: usize) -> (usize, usize) {
    let (a, b) = own;
    if a != b {
        return own;
    }
    if b + 1 < ext.len() && 2 * ext[b].1 <= c2 && c2 <= 2 * ext[b + 1].0 {
        return (a, b + 1);
    }
    if a > 0 && 2 * ext[a - 1].1 <= c2 && c2 <= 2 * ext[a].0 {
        return (a - 1, b);
    }
    own
}

/// The columns each header label heads, read top-down: a label's own
/// columns, widened over the free columns around it that are labelled
/// further down; where two neighbours' ranges meet, split where the columns
/// change from labels to amounts (labels of rows, 项目, stand over text and
/// code columns, labels of money over amounts), else where both labels
/// stand best centred.
fn ranges_top_down(
    items: &[HeaderItem],
    labelled: &[Vec<bool>],
    ext: &[(usize, usize)],
    cols: &[Col],
) -> Vec<(usize, usize)> {
    let n = ext.len();
    let lines_count = labelled.len().saturating_sub(1);
    let off = |a: usize, b: usize, c2: usize| (ext[a].0 + ext[b].1).abs_diff(c2);
    let mut ranges: Vec<(usize, usize)> = items.iter().map(|it| it.own).collect();
    let mut gave_right = vec![false; items.len()];
    for h in 0..lines_count {
        let mut on_line: Vec<usize> = (0..items.len()).filter(|&j| items[j].line == h).collect();
        on_line.sort_by_key(|&j| items[j].own);
        for (p, &j) in on_line.iter().enumerate() {
            let (a, b) = items[j].own;
            let Some(below) = (h + 1..lines_count).find(|&l| {
                items
                    .iter()
                    .any(|it| it.line == l && it.own.0 <= b && a <= it.own.1)
            }) else {
                continue;
            };
            let left_limit = if p > 0 {
                items[on_line[p - 1]].own.1 + 1
            } else {
                0
            };
            // Ranges nest: a label widens only over columns that the
            // labels of the lines above head just as they head its own
            // (部门预算经济分类科目 under 项目 does not reach the columns of
            // 一般公共预算基本支出 beside 项目).
            let above: Vec<usize> = (0..items.len()).filter(|&i| items[i].line < h).collect();
            let heads = |i: usize, x: usize| ranges[i].0 <= x && x <= ranges[i].1;
            let same_above = |x: usize| above.iter().all(|&i| heads(i, x) == heads(i, a));
            let widen = |stop: &dyn Fn(usize) -> bool| {
                let mut na = a;
                while na > left_limit
                    && labelled[below][na - 1]
                    && same_above(na - 1)
                    && !stop(na - 1)
                {
                    na -= 1;
                }
                let right_limit = on_line.get(p + 1).map_or(n, |&q| items[q].own.0);
                let mut nb = b;
                while nb + 1 < right_limit
                    && labelled[below][nb + 1]
                    && same_above(nb + 1)
                    && !stop(nb + 1)
                {
                    nb += 1;
                }
                (na, nb)
            };
            // A leaf (no label under it) that starts between this label's
            // line and its children's may be a sibling whose cell spans the
            // header rows of the group and of its children (机关运行经费预算数
            // wrapped down beside “三公”经费预算数 over 合计 … 公务接待费), or
            // a child wrapped over more lines than its siblings (事业单位经营
            // 收入 under 收入预算): the label keeps it where that leaves the
            // label better centred.
            let taller_leaf = |x: usize| {
                items.iter().any(|o| {
                    o.line > h
                        && o.line < below
                        && o.own.0 <= x
                        && x <= o.own.1
                        && !items.iter().any(|u| {
                            u.line > o.last_line && u.own.0 <= o.own.1 && o.own.0 <= u.own.1
                        })
                })
            };
            let (wide_a, wide_b) = widen(&|_| false);
            let (tight_a, tight_b) = widen(&taller_leaf);
            let c2 = items[j].centre2;
            let (mut na, mut nb) = [
                (wide_a, wide_b),
                (tight_a, wide_b),
                (wide_a, tight_b),
                (tight_a, tight_b),
            ]
            .into_iter()
            .min_by_key(|&(l, r)| off(l, r, c2))
            .unwrap_or((wide_a, wide_b));
            // A label over amounts alone (预算数 under 本年支出) heads money,
            // not a column of row labels (项目) at the edge of its range; a
            // label over codes alone (支出功能分类 / 科目编码 over 类 款 项)
            // heads codes, not the names' column beside them.
            for shape in [Shape::Amount, Shape::Code] {
                if (a..=b).all(|k| cols[k].shape() == shape) {
                    while na < a && cols[na].shape() != shape {
                        na += 1;
                    }
                    while nb > b && cols[nb].shape() != shape {
                        nb -= 1;
                    }
                }
            }
            // A label over row-label columns only (项目 over 科目编码 and
            // 科目名称) heads the stub, not the amount columns right of it,
            // when its neighbour on the line is a leaf over amounts
            // (附属单位上缴收入 wrapped down the whole header): the amount
            // labels between (本年收入合计 …) are that leaf's siblings in
            // one header row, not children of the stub's label. A group
            // whose neighbour is a group too (收入 beside 支出, each over
            // 项目 and 决算数) keeps its amount columns.
            let stub = (a..=b).all(|k| !cols[k].is_amount());
            let leaf_of_amounts_beside = on_line.get(p + 1).is_some_and(|&q| {
                let (qa, qb) = items[q].own;
                (qa..=qb).all(|k| cols[k].is_amount())
                    && !items
                        .iter()
                        .any(|o| o.line > items[q].last_line && o.own.0 <= qb && qa <= o.own.1)
            });
            if stub
                && leaf_of_amounts_beside
                && let Some(first) = (b + 1..=nb).find(|&k| cols[k].is_amount())
            {
                nb = first - 1;
            }
            // A group has no two children of one name: where the range
            // holds, right of the label's own columns, a second leaf named
            // as one under them (本年收入 widened over the 项目 of 本年支出
            // beside its own 项目), it stops before it, and that column is
            // left to the next label on the line.
            for o in items {
                if o.line <= h || o.own.0 != o.own.1 || o.own.0 <= b || o.own.0 > nb {
                    continue;
                }
                let twin = items.iter().any(|t| {
                    t.line == o.line
                        && t.text == o.text
                        && t.own.0 == t.own.1
                        && a <= t.own.0
                        && t.own.0 <= b
                });
                if twin {
                    nb = o.own.0 - 1;
                    gave_right[j] = true;
                }
            }
            ranges[j] = (na, nb);
        }
        for p in 0..on_line.len().saturating_sub(1) {
            let (j, q) = (on_line[p], on_line[p + 1]);
            let (own_l, own_r) = (items[j].own, items[q].own);
            if gave_right[j] && ranges[j].1 + 1 < ranges[q].0 {
                ranges[q].0 = ranges[j].1 + 1;
            }
            if ranges[j].1 < ranges[q].0 {
                continue;
            }
            let from = own_l.1 + 1;
            let to = own_r.0; // exclusive
            let (cl, cr) = (items[j].centre2, items[q].centre2);
            let (left_from, right_to) = (ranges[j].0, ranges[q].1);
            let boundary = |split: usize| {
                split > 0 && split < n && cols[split - 1].is_amount() != cols[split].is_amount()
            };
            let best = (from..=to)
                .min_by_key(|&split| {
                    (
                        !boundary(split),
                        off(left_from, split.max(1) - 1, cl)
                            + off(split.min(right_to), right_to, cr),
                    )
                })
                .unwrap_or(from);
            ranges[j].1 = ranges[j].1.min(best.saturating_sub(1)).max(own_l.1);
            ranges[q].0 = ranges[q].0.max(best).min(own_r.0);
        }
    }
    ranges
}

/// The columns each header label heads, read bottom-up as a tree, for a
/// header laid out on its own (its lowest line labels every column): a
/// label with labels under it heads the whole groups below that keep it
/// best centred, within its neighbours on its line; a label with none
/// under it heads its own columns.
fn ranges_bottom_up(
    items: &[HeaderItem],
    labelled: &[Vec<bool>],
    ext: &[(usize, usize)],
) -> Vec<(usize, usize)> {
    let n = ext.len();
    let lines_count = labelled.len().saturating_sub(1);
    let off = |a: usize, b: usize, c2: usize| (ext[a].0 + ext[b].1).abs_diff(c2);
    // Blocks: runs of columns that one label below already heads.
    let mut block: Vec<usize> = (0..n).collect();
    let block_start = |block: &[usize], k: usize| {
        let mut s = k;
        while s > 0 && block[s - 1] == block[k] {
            s -= 1;
        }
        s
    };
    let block_end = |block: &[usize], k: usize| {
        let mut e = k;
        while e + 1 < n && block[e + 1] == block[k] {
            e += 1;
        }
        e
    };
    let mut ranges: Vec<(usize, usize)> = items.iter().map(|it| it.own).collect();
    for h in (0..lines_count).rev() {
        let mut on_line: Vec<usize> = (0..items.len()).filter(|&j| items[j].line == h).collect();
        on_line.sort_by_key(|&j| items[j].own);
        let mut left_limit = 0;
        for (p, &j) in on_line.iter().enumerate() {
            let (oa, ob) = items[j].own;
            let right_limit = on_line
                .get(p + 1)
                .map_or(n - 1, |&q| items[q].own.0.saturating_sub(1));
            let mut a = block_start(&block, oa).max(left_limit.min(oa));
            let mut b = block_end(&block, ob).min(right_limit.max(ob));
            if (oa..=ob).any(|k| labelled[h + 1][k]) {
                let mut lefts = vec![a];
                let mut x = a;
                while x > left_limit && labelled[h][x - 1] {
                    x = block_start(&block, x - 1).max(left_limit);
                    lefts.push(x);
                }
                let mut rights = vec![b];
                let mut y = b;
                while y < right_limit && labelled[h][y + 1] {
                    y = block_end(&block, y + 1).min(right_limit);
                    rights.push(y);
                }
                let c2 = items[j].centre2;
                if let Some((l, r)) = lefts
                    .iter()
                    .flat_map(|&l| rights.iter().map(move |&r| (l, r)))
                    .min_by_key(|&(l, r)| (off(l, r, c2), r - l))
                {
                    a = l;
                    b = r;
                }
            }
            ranges[j] = (a, b);
            left_limit = b + 1;
        }
        for &j in &on_line {
            let (a, b) = ranges[j];
            let id = block[a];
            for slot in &mut block[a..=b] {
                *slot = id;
            }
        }
    }
    ranges
}

/// Most a header label's doubled centre stands off the table title's for
/// it to count as centred on the same axis: one position each way.
const TITLE_AXIS_SLACK2: usize = 4;

/// The period of a leaf line that repeats one run of labels (预算数 决算数
/// under every column of a 三公 决算 table): that run's length, when it
/// repeats at least twice and is at least two long.
fn repeated_leaf_period(leaves: &[&str]) -> Option<usize> {
    let n = leaves.len();
    (2..=n / 2).find(|&k| n.is_multiple_of(k) && (k..n).all(|i| leaves[i] == leaves[i - k]))
}

/// The columns each header label heads, for a header laid out on its own
/// whose lowest line repeats one run of labels (预算数 决算数 six times):
/// each repetition is one block, headed by the labels that stand over it
/// alone (合计, 因公出国 / （境）费 wrapped); every other label is a group
/// over whole blocks.
///
/// `pdftotext` may set the upper lines at another scale or offset than the
/// lowest (the labels over the blocks run a few positions right of them),
/// so a group is centred after moving it by the blocks' labels' median
/// offset. A block whose label starts on the line right under a group,
/// where other blocks' labels start lower, is the group's sibling: its cell
/// spans the group's header row and its children's (因公出国（境）费 beside
/// 公务用车购置及运行费 over 小计, 购置费 and 运行费).
fn ranges_repeated_leaves(
    items: &[HeaderItem],
    ext: &[(usize, usize)],
    leaf_line: usize,
    k: usize,
    title_c2: Option<usize>,
) -> Vec<(usize, usize)> {
    let n = ext.len();
    let blocks = n / k;
    let block_of = |col: usize| col / k;
    let span = |l: usize, r: usize| (l * k, r * k + k - 1);
    let block_c2 = |l: usize, r: usize| ext[l * k].0 + ext[r * k + k - 1].1;
    let mut ranges: Vec<(usize, usize)> = items.iter().map(|it| it.own).collect();
    // Block labels: over one block alone, the lowest there and the pieces
    // wrapped right above it.
    let mut is_block_label = vec![false; items.len()];
    for b in 0..blocks {
        let mut on: Vec<usize> = (0..items.len())
            .filter(|&j| {
                items[j].line != leaf_line
                    && block_of(items[j].own.0) == b
                    && block_of(items[j].own.1) == b
            })
            .collect();
        on.sort_by_key(|&j| std::cmp::Reverse(items[j].no));
        let mut below: Option<usize> = None;
        for j in on {
            let wrapped = below.is_none_or(|q| {
                items[q].no > items[j].no && items[q].no - items[j].no <= MAX_WRAP_LINE_STEP
            });
            if !wrapped {
                break;
            }
            is_block_label[j] = true;
            ranges[j] = span(b, b);
            below = Some(j);
        }
    }
    // The offset of the upper lines: the median of the block labels' twice
    // centres less their blocks'.
    let mut offsets: Vec<i64> = (0..items.len())
        .filter(|&j| is_block_label[j])
        .map(|j| {
            let b = block_of(items[j].own.0);
            items[j].centre2 as i64 - block_c2(b, b) as i64
        })
        .collect();
    offsets.sort_unstable();
    let shift = offsets.get(offsets.len() / 2).copied().unwrap_or(0);
    // Units: runs of blocks one formed group heads (or a block alone), and
    // the first file line of the label heading each.
    let mut unit: Vec<usize> = (0..blocks).collect();
    let mut top_no: Vec<u32> = (0..blocks)
        .map(|b| {
            (0..items.len())
                .filter(|&j| is_block_label[j] && block_of(items[j].own.0) == b)
                .map(|j| items[j].no)
                .min()
                .unwrap_or(u32::MAX)
        })
        .collect();
    let mut leaf_unit = vec![true; blocks];
    let mut groups: Vec<usize> = (0..items.len())
        .filter(|&j| items[j].line != leaf_line && !is_block_label[j])
        .collect();
    groups.sort_by_key(|&j| (std::cmp::Reverse(items[j].no), items[j].own));
    let mut taken: Vec<(u32, usize, usize)> = Vec::new();
    for j in groups {
        let g = items[j].no;
        let (ob_l, ob_r) = (block_of(items[j].own.0), block_of(items[j].own.1));
        let start = |b: usize| b == 0 || unit[b - 1] != unit[b];
        let end = |b: usize| b + 1 == blocks || unit[b + 1] != unit[b];
        let deeper = (0..blocks).any(|b| top_no[b] != u32::MAX && top_no[b] > g + 1);
        let sibling = |b: usize| deeper && leaf_unit[b] && top_no[b] == g + 1;
        let free = |l: usize, r: usize| {
            !taken
                .iter()
                .any(|&(no, tl, tr)| no == g && l <= tr && tl <= r)
        };
        // A group alone on its line and centred on the table's title, as
        // a cell across the whole table is, heads every block (财政拨款
        // “三公”经费, set a position or two off the blocks' axis).
        let alone = items.iter().filter(|o| o.no == g).count() == 1;
        let on_title = title_c2.is_some_and(|t| t.abs_diff(items[j].centre2) <= TITLE_AXIS_SLACK2);
        let target = items[j].centre2 as i64 - shift;
        let best = if alone && on_title && free(0, blocks - 1) {
            Some((0, blocks - 1))
        } else {
            (0..=ob_l)
                .filter(|&l| start(l))
                .flat_map(|l| (ob_r..blocks).filter(|&r| end(r)).map(move |r| (l, r)))
                .filter(|&(l, r)| r > l && free(l, r) && !(l..=r).any(sibling))
                .min_by_key(|&(l, r)| ((block_c2(l, r) as i64 - target).abs(), r - l))
        };
        let Some((l, r)) = best else {
            continue;
        };
        ranges[j] = span(l, r);
        taken.push((g, l, r));
        let id = unit[l];
        for b in l..=r {
            unit[b] = id;
            top_no[b] = g;
            leaf_unit[b] = false;
        }
    }
    ranges
}

/// Header paths of the columns from the header lines.
///
/// Each label stands over the columns it covers ([`columns_covered`]).
/// Labels are then read bottom-up as a tree: a label that has labels under
/// it is a group, and its columns are the whole groups below it that keep
/// it best centred, within its neighbours on its line and over columns that
/// are labelled at or below its line. A label with none under it stays over
/// its own columns (a leaf; stacked leaves in one column are one wrapped
/// label).
fn header_paths(
    lines: &[Line],
    title: Option<usize>,
    header: &[usize],
    cols: &[Col],
    spans: &[Vec<(usize, usize)>],
) -> Vec<Vec<String>> {
    let n = cols.len();
    if n == 0 {
        return Vec::new();
    }
    let with_values: Vec<Col> = cols
        .iter()
        .zip(spans)
        .filter(|(_, s)| !s.is_empty())
        .map(|(c, _)| c.clone())
        .collect();
    // Where most columns have no value (an empty 三公 table, or one with a
    // figure or two), the values place too few columns to read the labels
    // by: a lowest header line that labels every column, empty ones
    // included, lays the header out on its own just the same.
    let leaf_lines = if with_values.len() == n {
        leaf_line_labels_each_column(lines, header, &with_values)
    } else {
        2 * with_values.len() < n && leaf_line_labels_each_column(lines, header, cols)
    };
    // Where the columns stand in the header's own layout.
    let ext: Vec<(usize, usize)> = match header.last() {
        Some(&i) if leaf_lines => lines[i].chunks.iter().map(|c| (c.start, c.end)).collect(),
        _ => cols.iter().map(|c| (c.start, c.end)).collect(),
    };
    let header_cols: Vec<Col> = ext
        .iter()
        .map(|&(start, end)| Col {
            start,
            end,
            amounts: 0,
            texts: 0,
            codes: 0,
        })
        .collect();
    let mut items: Vec<HeaderItem> = Vec::new();
    for (h, &i) in header.iter().enumerate() {
        for (k, c) in lines[i].chunks.iter().enumerate() {
            let own = if !leaf_lines {
                columns_covered(cols, spans, c)
            } else if h + 1 == header.len() {
                (k, k)
            } else {
                over_gap(&ext, columns_covered(&header_cols, &[], c), centre2(c))
            };
            items.push(HeaderItem {
                line: h,
                last_line: h,
                no: lines[i].no,
                text: c.text.clone(),
                own,
                centre2: if leaf_lines {
                    display_centre2(c)
                } else {
                    centre2(c)
                },
            });
        }
    }
    let valueless: Vec<bool> = (0..n)
        .map(|k| spans.get(k).is_none_or(Vec::is_empty))
        .collect();
    join_wrapped_labels(&mut items, n);
    split_joined_labels(&mut items, &valueless);
    let lines_count = header.len();
    // labelled[h][col]: some label on line h or below stands over col.
    let mut labelled = vec![vec![false; n]; lines_count + 1];
    for h in (0..lines_count).rev() {
        labelled[h] = labelled[h + 1].clone();
        for it in items.iter().filter(|it| it.last_line == h) {
            for flag in &mut labelled[h][it.own.0..=it.own.1] {
                *flag = true;
            }
        }
    }
    if leaf_lines {
        // Read bottom-up, a wrapped label stands on its lowest line.
        for it in &mut items {
            it.line = it.last_line;
        }
    }
    let leaves: Vec<&str> = items
        .iter()
        .filter(|it| it.line + 1 == lines_count)
        .map(|it| it.text.as_str())
        .collect();
    let period = (leaf_lines && leaves.len() == n)
        .then(|| repeated_leaf_period(&leaves))
        .flatten();
    let mut ranges = if let Some(k) = period {
        let title_c2 = title
            .map(|t| &lines[t].chunks)
            .filter(|c| c.len() == 1)
            .map(|c| display_centre2(&c[0]));
        ranges_repeated_leaves(&items, &ext, lines_count - 1, k, title_c2)
    } else if leaf_lines {
        ranges_bottom_up(&items, &labelled, &ext)
    } else {
        ranges_top_down(&items, &labelled, &ext, cols)
    };
    widen_over_siblings(&items, &mut ranges);
    (0..n)
        .map(|col| {
            let mut path: Vec<String> = Vec::new();
            let mut last_single = false;
            let mut order: Vec<usize> = (0..items.len()).collect();
            order.sort_by_key(|&j| items[j].line);
            // A label wrapped over several lines: its pieces head the same
            // column one under the other (in a header laid out on its own,
            // the same columns).
            // A label over the very columns of the one right above it, a
            // line or two below and no longer than it, is the rest of that
            // label wrapped in its cell (支出功能分类 / 科目编码 over 类 款
            // 项): a group has more than one child. A longer one is taken
            // for a child (项目 over 部门预算经济分类科目): a label wrapped
            // at the cell's width has its longest line first, though one
            // broken by hand (公务用车 / 运行维护费) need not.
            let mut last_range: Option<(usize, usize)> = None;
            let mut last_no: Option<u32> = None;
            let mut last_chars = 0;
            for j in order {
                let (a, b) = ranges[j];
                if col < a || col > b {
                    continue;
                }
                let single = a == b;
                let chars = items[j].text.chars().count();
                let wrapped_on = last_range == Some((a, b))
                    && chars <= last_chars
                    && last_no
                        .is_some_and(|n| items[j].no > n && items[j].no - n <= MAX_WRAP_LINE_STEP);
                match path.last_mut() {
                    Some(p)
                        if (single && last_single)
                            || (leaf_lines && last_range == Some((a, b)))
                            || wrapped_on =>
                    {
                        p.push_str(&items[j].text)
                    }
                    _ => path.push(items[j].text.clone()),
                }
                last_single = single;
                last_range = Some((a, b));
                last_no = Some(items[j].no);
                last_chars = chars;
            }
            path
        })
        .collect()
}

fn build_table(lines: &[Line], b: &Block) -> Option<RawTable> {
    if b.body.is_empty() && b.header.is_empty() {
        return None;
    }
    // Pages of a long table may be laid out at another scale: columns are
    // found on the first page (with the header), and the lines of later
    // pages are placed by their own page's columns.
    let first_page = b
        .body
        .first()
        .or(b.header.first())
        .map_or(0, |&i| lines[i].page);
    let first: Vec<usize> = b
        .body
        .iter()
        .copied()
        // A total label taken off the header's line stands centred under
        // the cell it spans (项目 over the code and the name): it finds no
        // column, and is placed under the header's columns like any label.
        .filter(|&i| {
            lines[i].page == first_page && !b.header.contains(&i) && !lines[i].total_off_header
        })
        .collect();
    let labels = &b.header[..b.header_labels.unwrap_or(b.header.len())];
    let (cols, first_of) = columns(lines, &first, &b.header);
    if cols.len() < 2 {
        return None;
    }
    let mut used = vec![false; cols.len()];
    for &col in first_of.values() {
        used[col] = true;
    }
    // Later pages: their own columns, their chunks' columns, and the
    // first page's column of each of their columns.
    type PageColumns = (Vec<Col>, ChunkColumns, Vec<usize>);
    let mut page_map: std::collections::BTreeMap<usize, PageColumns> = Default::default();
    for &i in &b.body {
        let page = lines[i].page;
        if page == first_page || page_map.contains_key(&page) {
            continue;
        }
        let on_page: Vec<usize> = b
            .body
            .iter()
            .copied()
            .filter(|&j| lines[j].page == page)
            .collect();
        let (own, own_of) = body_columns(lines, &on_page);
        let map = map_columns(&own, &cols, &used);
        page_map.insert(page, (own, own_of, map));
    }
    let mut rt = RawTable {
        locator: super::Locator::Line,
        ..RawTable::default()
    };
    for t in b.title.into_iter().chain(b.subtitle) {
        rt.before.push(RawLine {
            text: lines[t].text(),
            align: Align::Center,
            source_row: lines[t].no,
            ..RawLine::default()
        });
    }
    for &m in &b.meta {
        let n = lines[m].chunks.len();
        for (k, c) in lines[m].chunks.iter().enumerate() {
            rt.before.push(RawLine {
                text: c.text.clone(),
                align: if n > 1 && k == n - 1 {
                    Align::Right
                } else {
                    Align::Left
                },
                source_row: lines[m].no,
                ..RawLine::default()
            });
        }
    }
    // Header grid from the paths.
    // The extents of each column's first-page values.
    let mut spans: Vec<Vec<(usize, usize)>> = vec![Vec::new(); cols.len()];
    for (&(i, k), &col) in &first_of {
        let c = &lines[i].chunks[k];
        spans[col].push((c.start, c.end));
    }
    let paths = header_paths(lines, b.title, labels, &cols, &spans);
    let any_header = paths.iter().any(|p| !p.is_empty());
    if any_header {
        let paths: Vec<Vec<String>> = paths
            .into_iter()
            .map(|p| if p.is_empty() { vec![String::new()] } else { p })
            .collect();
        let layout = header_layout(&paths);
        let source_row = b.header.first().map_or(0, |&i| lines[i].no);
        for r in 0..layout.depth {
            rt.rows.push(RawRow {
                cells: vec![RawCell::default(); cols.len()],
                source_row: b.header.get(r).map_or(source_row, |&i| lines[i].no),
                hidden: false,
            });
        }
        for cell in &layout.cells {
            if let Some(slot) = rt.rows[cell.row].cells.get_mut(cell.col) {
                *slot = RawCell::text(cell.text.clone());
            }
            if cell.rows > 1 || cell.cols > 1 {
                rt.merges.push(Merge {
                    row: cell.row,
                    col: cell.col,
                    rows: cell.rows,
                    cols: cell.cols,
                });
            }
        }
        rt.header_rows = Some(layout.depth);
    }
    // Body rows; a line with text only under columns that the previous
    // line filled, right below it, continues those cells.
    // The column a chunk is in, and that column's right edge in the
    // chunk's own page's measure.
    let column_and_end = |i: usize, k: usize| -> (usize, usize) {
        let c = &lines[i].chunks[k];
        match page_map.get(&lines[i].page) {
            Some((own, own_of, map)) => {
                let col = own_of
                    .get(&(i, k))
                    .copied()
                    .unwrap_or_else(|| column_of(own, c));
                (map[col], own[col].end)
            }
            None => {
                let col = first_of
                    .get(&(i, k))
                    .copied()
                    .unwrap_or_else(|| column_of(&cols, c));
                (col, cols[col].end)
            }
        }
    };
    // Whether line `l` has text in column `k` that stops short of the
    // column's right edge: a label that did not wrap there.
    let stops_short = |i: usize, k: usize| {
        lines[i].chunks.iter().enumerate().any(|(n, c)| {
            let (ck, end) = column_and_end(i, n);
            ck == k && c.end + WRAP_SLACK < end
        })
    };
    let place = |i: usize| -> Vec<RawCell> {
        let mut cells = vec![RawCell::default(); cols.len()];
        for (n, c) in lines[i].chunks.iter().enumerate() {
            let (k, _) = column_and_end(i, n);
            let cell = &mut cells[k];
            if cell.text.is_empty() {
                cell.text = c.text.clone();
            } else {
                cell.text.push(' ');
                cell.text.push_str(&c.text);
            }
        }
        cells
    };
    let mut placed: Vec<Vec<RawCell>> = b.body.iter().map(|&i| place(i)).collect();
    merge_blank_line_groups(lines, &b.body, &cols, &mut placed, stops_short);
    split_glued_codes(&cols, &mut placed);
    move_codes_down(lines, &b.body, &cols, &mut placed);
    move_amounts_down(lines, &b.body, labels, &mut placed);
    let mut prev_line: Option<usize> = None;
    let mut pending: Option<(usize, Vec<RawCell>)> = None;
    // Whether the last row's label began on the line above its data line,
    // and whether a line of it went on below: a label centred on its row
    // has as many lines below as above (the line above is taken back whole
    // from `pending`, so one).
    let mut label_above = false;
    let mut label_below = false;
    // The pending label line starts the label of the row below, which
    // goes on on that row's data line.
    let mut opens_next = false;
    for (pos, &i) in b.body.iter().enumerate() {
        let l = &lines[i];
        let mut cells = placed[pos].clone();
        if cells.iter().all(RawCell::is_blank) {
            // Its codes or amounts moved down to the row they belong to.
            prev_line = None;
            pending = None;
            continue;
        }
        // A label line right above a row that has no label there: the
        // first line of that row's wrapped label.
        let starts_row_below =
            pending
                .as_ref()
                .is_some_and(|(p, pcells): &(usize, Vec<RawCell>)| {
                    *p + 1 == i
                        && l.is_data()
                        && pcells
                            .iter()
                            .zip(&cells)
                            .all(|(a, b)| a.is_blank() || b.is_blank())
                });
        let took_back = starts_row_below || (opens_next && l.is_data());
        if took_back && let Some((p, pcells)) = pending.take() {
            // The label line became a row of its own; take it back.
            if p + 1 == i {
                rt.rows.pop();
                for (k, c) in pcells.into_iter().enumerate() {
                    if !c.is_blank() {
                        cells[k].text.insert_str(0, &c.text);
                    }
                }
            }
        }
        pending = None;
        opens_next = false;
        let continues = prev_line.is_some_and(|p| {
            let pl = &lines[p];
            p + 1 == i
                // A wrapped cell never continues across a page break.
                && pl.page == l.page
                && !l.is_data()
                && l.chunks.iter().all(|c| {
                    crate::classify::outline_level(&c.text).is_none()
                        && !is_total_label(&c.text)
                        // Codes (类/款/项, 科目编码) do not wrap: a line that
                        // has one starts a row.
                        && !is_bare_code(&c.text)
                })
                && rt.rows.last().is_some_and(|row| {
                    // A row whose label pdftotext put below its amounts
                    // (the label's lines centred around the row) takes
                    // the label lines under it.
                    let has_amount = row.cells.iter().any(|x| is_amount_token(&x.text));
                    cells.iter().enumerate().all(|(k, c)| {
                        c.is_blank()
                            || (!cols[k].is_amount()
                                && row.cells.get(k).is_some_and(|x| {
                                    (!x.is_blank() || has_amount)
                                        // A total label (本年收入合计) is
                                        // whole: the label under it is the
                                        // next row's (使用非财政拨款结余).
                                        && !is_total_label(x.text.trim())
                                })
                                // A label that stops well short of its
                                // column's edge did not wrap: the text
                                // under it starts the next row.
                                && (has_amount || !stops_short(p, k)))
                    })
                })
                && pl.kind == Kind::Content
                // The label lines right above a row without a label start
                // that row's label.
                && !b.body.get(pos + 1).is_some_and(|&n| {
                    let nl = &lines[n];
                    n == i + 1
                        && nl.page == l.page
                        && nl.is_data()
                        && placed[pos + 1].iter().any(|c| !c.is_blank())
                        && placed[pos + 1]
                            .iter()
                            .zip(&cells)
                            .all(|(a, b)| a.is_blank() || b.is_blank())
                })
        });
        // A label centred on its row (lines above its data line, as many
        // below) is whole: the label line right above the next data line,
        // whose label goes on there, is that row's first.
        let balanced = label_above && label_below;
        let next_label_goes_on = b.body.get(pos + 1).is_some_and(|&n| {
            let nl = &lines[n];
            n == i + 1
                && nl.page == l.page
                && nl.is_data()
                && cells
                    .iter()
                    .zip(&placed[pos + 1])
                    .all(|(a, b)| a.is_blank() || !b.is_blank())
        });
        if continues
            && !(balanced && next_label_goes_on)
            && let Some(row) = rt.rows.last_mut()
        {
            for (k, c) in cells.into_iter().enumerate() {
                if !c.is_blank() {
                    row.cells[k].text.push_str(&c.text);
                }
            }
            label_below = true;
            prev_line = Some(i);
            continue;
        }
        opens_next = continues;
        label_above = took_back;
        label_below = false;
        if !l.is_data() {
            pending = Some((i, cells.clone()));
        }
        rt.rows.push(RawRow {
            cells,
            source_row: l.no,
            hidden: false,
        });
        prev_line = Some(i);
    }
    for n in &b.notes {
        rt.after.push(RawLine {
            text: n.clone(),
            ..RawLine::default()
        });
    }
    Some(rt)
}

/// Rows set between blank lines: where a table's body is cut into runs of
/// lines by blank lines, and a run's lines fill each amount and code column
/// at most once (a label may go on over several lines), the run is one
/// row. `pdftotext` spreads a tall row over lines of its own for each
/// cell's baseline: the amounts above the codes, the name below them
/// (一般公共预算财政拨款基本支出决算表 of a 决算 book). The row stands on
/// its first line with anything but amounts; its cells move there. A run
/// holding two rows (two codes or amounts in one column, or a label that
/// opens a new item) is left to the line-by-line reading.
fn merge_blank_line_groups(
    lines: &[Line],
    body: &[usize],
    cols: &[Col],
    placed: &mut [Vec<RawCell>],
    stops_short: impl Fn(usize, usize) -> bool,
) {
    // Runs of body lines right below each other on one page.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for pos in 0..body.len() {
        match runs.last_mut() {
            Some(r)
                if body[r.1] + 1 == body[pos] && lines[body[r.1]].page == lines[body[pos]].page =>
            {
                r.1 = pos
            }
            _ => runs.push((pos, pos)),
        }
    }
    if runs.len() < 2 {
        return;
    }
    for &(from, to) in &runs {
        if from == to {
            continue;
        }
        let one_row = (0..cols.len()).all(|k| {
            let pieces: Vec<(usize, &str)> = (from..=to)
                .map(|p| (body[p], placed[p][k].text.trim()))
                .filter(|(_, t)| !t.is_empty())
                .collect();
            match cols[k].shape() {
                Shape::Amount | Shape::Code => pieces.len() <= 1,
                // A label goes on under itself only where it reached its
                // column's edge, and the next piece opens no new item.
                Shape::Text => pieces.windows(2).all(|w| {
                    let ((i, _), (_, t)) = (w[0], w[1]);
                    !stops_short(i, k)
                        && crate::classify::outline_level(t).is_none()
                        && !is_total_label(t)
                        && !is_bare_code(t)
                }),
            }
        });
        if !one_row {
            continue;
        }
        let anchor = (from..=to)
            .find(|&p| lines[body[p]].chunks.iter().any(|c| !c.is_amount()))
            .unwrap_or(from);
        let mut row = vec![RawCell::default(); cols.len()];
        for cells in placed.iter_mut().take(to + 1).skip(from) {
            for (k, c) in cells.iter_mut().enumerate() {
                if !c.is_blank() {
                    row[k].text.push_str(&std::mem::take(&mut c.text));
                }
            }
        }
        placed[anchor] = row;
    }
}

/// A line of amounts alone, right above a line with labels that has
/// nothing where those amounts stand: `pdftotext` set the amounts of that
/// row a line higher than its labels. The amounts move down to that row
/// when it is a total row (a total always has its amounts: 本年收入合计
/// under its 2,940.05), when the amounts open the table's body, or when the
/// row above them already has amounts where they stand (no row above could
/// own them).
fn move_amounts_down(
    lines: &[Line],
    body: &[usize],
    header: &[usize],
    placed: &mut [Vec<RawCell>],
) {
    let live = |placed: &[Vec<RawCell>], p: usize| placed[p].iter().any(|c| !c.is_blank());
    // Whether rows at positions p < q are right below each other: nothing
    // but header labels, blank lines and lines merged into other rows
    // between them, on one page.
    let touching = |placed: &[Vec<RawCell>], p: usize, q: usize| {
        lines[body[p]].page == lines[body[q]].page
            && (body[p] + 1..body[q]).all(|j| {
                lines[j].kind != Kind::Content
                    || header.contains(&j)
                    || body
                        .iter()
                        .position(|&x| x == j)
                        .is_some_and(|x| !live(placed, x))
            })
    };
    let mut above: Option<usize> = None;
    for pos in 0..placed.len() {
        if !live(placed, pos) {
            continue;
        }
        let amounts_only = placed[pos]
            .iter()
            .all(|c| c.is_blank() || is_amount_token(&c.text));
        let next = (pos + 1..placed.len()).find(|&q| live(placed, q));
        let Some(q) = next.filter(|&q| amounts_only && touching(placed, pos, q)) else {
            above = Some(pos);
            continue;
        };
        let labelled = placed[q]
            .iter()
            .any(|c| !c.is_blank() && !is_amount_token(&c.text));
        let total = placed[q].iter().any(|c| is_total_label(c.text.trim()));
        let overlaps = |a: &[RawCell], b: &[RawCell]| {
            a.iter().zip(b).any(|(x, y)| !x.is_blank() && !y.is_blank())
        };
        let free = !overlaps(&placed[pos], &placed[q]);
        // The row above, right above, has amounts where these stand.
        let taken_above =
            above.is_some_and(|p| touching(placed, p, pos) && overlaps(&placed[p], &placed[pos]));
        if labelled && free && (total || above.is_none() || taken_above) {
            let width = placed[pos].len();
            let row = std::mem::replace(&mut placed[pos], vec![RawCell::default(); width]);
            for (k, c) in row.into_iter().enumerate() {
                if !c.is_blank() {
                    placed[q][k] = c;
                }
            }
            continue;
        }
        above = Some(pos);
    }
}

/// A code glued to its name ("310资本性支出": `pdftotext` left no space
/// between two cells that touch) goes to the empty code column right left
/// of the name's column.
fn split_glued_codes(cols: &[Col], placed: &mut [Vec<RawCell>]) {
    for row in placed.iter_mut() {
        for k in 1..row.len().min(cols.len()) {
            if cols[k].shape() != Shape::Text
                || cols[k - 1].shape() != Shape::Code
                || !row[k - 1].is_blank()
            {
                continue;
            }
            let text = row[k].text.trim();
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &text[digits..];
            // A code, then a name that starts with a CJK character.
            let named = rest.chars().next().is_some_and(|c| c.width() == Some(2));
            if digits >= MIN_JOINED_CODE_DIGITS && is_bare_code(&text[..digits]) && named {
                let (code, name) = (text[..digits].to_string(), rest.to_string());
                row[k - 1].text = code;
                row[k].text = name;
            }
        }
    }
}

/// Codes standing on a line of their own in their half of the table, above
/// the line with that half's name and amounts: `pdftotext` puts the code of
/// a row whose name cell is taller on the line above (`30207` beside the
/// left half's row, `邮电费  8.05` on the next line). The codes move down to
/// the row they number.
///
/// A half is a run of code columns and the columns after it up to the next
/// code column. The codes move when the line has nothing else in that half,
/// and the next line (right below, same page) has nothing where the codes
/// stand and nothing outside the half.
fn move_codes_down(lines: &[Line], body: &[usize], cols: &[Col], placed: &mut [Vec<RawCell>]) {
    let code_col = |k: usize| cols[k].shape() == Shape::Code;
    // (first code column, last code column, end of the half (exclusive)).
    let mut halves: Vec<(usize, usize, usize)> = Vec::new();
    let mut k = 0;
    while k < cols.len() {
        if !code_col(k) {
            k += 1;
            continue;
        }
        let first = k;
        while k + 1 < cols.len() && code_col(k + 1) {
            k += 1;
        }
        let last = k;
        let mut end = last + 1;
        while end < cols.len() && !code_col(end) {
            end += 1;
        }
        if end > last + 1 {
            halves.push((first, last, end));
        }
        k = end;
    }
    for pos in 0..placed.len().saturating_sub(1) {
        let (i, n) = (body[pos], body[pos + 1]);
        if n != i + 1 || lines[n].page != lines[i].page {
            continue;
        }
        for &(first, last, end) in &halves {
            let (here, below) = placed.split_at_mut(pos + 1);
            let (row, next) = (&mut here[pos], &mut below[0]);
            let has = |r: &[RawCell], a: usize, b: usize| r[a..b].iter().any(|c| !c.is_blank());
            let codes_only = (first..=last)
                .all(|k| row[k].is_blank() || is_bare_code(row[k].text.trim()))
                && has(row, first, last + 1)
                && !has(row, last + 1, end);
            // The line below has the half's name or amounts, and no code
            // where these codes stand (its own may stand beside them: 类
            // 310 above, 款 99 and the name below).
            let named_below = !has(next, 0, first)
                && (first..=last).all(|k| row[k].is_blank() || next[k].is_blank())
                && has(next, last + 1, end)
                && !has(next, end, next.len());
            if codes_only && named_below {
                for k in first..=last {
                    if !row[k].is_blank() {
                        next[k] = std::mem::take(&mut row[k]);
                    }
                }
            }
        }
    }
}

/// Prose lines into sections: a centred short line is a heading; lines
/// that fill the page width run on into the next line's paragraph.
fn prose_sections(lines: &[Line], idx: &[usize]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current = Section::default();
    let page_width = |page: usize| {
        lines
            .iter()
            .filter(|l| l.page == page && l.kind == Kind::Content)
            .map(|l| l.width)
            .max()
            .unwrap_or(0)
    };
    let mut widths: std::collections::HashMap<usize, usize> = Default::default();
    let mut open = false; // the last paragraph may continue
    let mut prev_full = false;
    for &i in idx {
        let l = &lines[i];
        if l.kind != Kind::Content {
            open = false;
            continue;
        }
        let text = l.text();
        let pw = *widths.entry(l.page).or_insert_with(|| page_width(l.page));
        if l.is_title_like() && l.indent() >= MIN_HEADING_INDENT && !prev_full {
            if current.heading.is_some() || !current.paragraphs.is_empty() {
                sections.push(std::mem::take(&mut current));
            }
            current.heading = Some(text);
            open = false;
            prev_full = false;
            continue;
        }
        let starts_item = crate::classify::outline_level(text.trim_start()).is_some();
        let continues = open && prev_full && l.indent() == 0 && !starts_item;
        if continues && let Some(p) = current.paragraphs.last_mut() {
            p.text.push_str(&text);
        } else {
            current.paragraphs.push(Paragraph {
                kind: if starts_item {
                    ParagraphKind::Item
                } else {
                    ParagraphKind::Plain
                },
                text,
            });
        }
        open = true;
        prev_full = pw > 0 && l.width as f64 >= pw as f64 * FULL_LINE_SHARE;
    }
    if current.heading.is_some() || !current.paragraphs.is_empty() {
        sections.push(current);
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_tokens() {
        for t in ["3,593.00", "-24.40", "0.95", "1,234", "(12.50)", "0"] {
            assert!(is_amount_token(t), "{t}");
        }
        for t in ["2025", "201", "1.", "12,34", "a.00", "1,2345.00"] {
            assert!(!is_amount_token(t), "{t}");
        }
    }

    #[test]
    fn chunks_in_display_width() {
        let (c, _) = chunk_line("项目  　合计      3,593.00 一、支出");
        let texts: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["项目", "　合计", "3,593.00", "一、支出"]);
        assert_eq!(c[1].pos[1].0, 6);
        assert_eq!(c[1].pos[0].0, 4);
    }

    #[test]
    fn furniture() {
        assert!(is_page_furniture("第 3 页"));
        assert!(is_page_furniture("第3页 共9页"));
        assert!(is_page_furniture("- 3 -"));
        assert!(!is_page_furniture("第一部分"));
    }

    #[test]
    fn simple_table_with_empty_cells() {
        let text = "            部门收入总表\n\
                    部门名称：某局              单位：元\n\
                    项目            合计        事业收入\n\
                    合计        1,200.00        200.00\n\
                    一、工资    1,000.00\n\
                    二、其他      200.00        200.00\n\
                    注：本表为示例。\n";
        let doc = read(text).unwrap();
        assert_eq!(doc.tables.len(), 1);
        let t = &doc.tables[0];
        assert_eq!(t.before[0].text, "部门收入总表");
        assert_eq!(t.before.len(), 3);
        let body: Vec<Vec<&str>> = t.rows[1..]
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect();
        assert_eq!(body[1], ["一、工资", "1,000.00", ""]);
        assert_eq!(t.after[0].text, "注：本表为示例。");
    }

    #[test]
    fn prose_only_is_no_table() {
        let err =
            read("尊敬的领导：\n\n    您好！现将有关情况报告如下，请审阅。\n此致\n").unwrap_err();
        assert!(err.to_string().contains("lines 1–4"), "{err}");
    }
}
