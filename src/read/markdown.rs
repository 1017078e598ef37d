//! Markdown (GFM pipe tables) through pulldown-cmark: headings give titles,
//! paragraphs before a table give meta lines, paragraphs after it give
//! notes. A header cell written as `资金来源 / 财政拨款` is a header path,
//! which is how our writer keeps multi-level headers in GFM's single header
//! row. `<br>` inside a cell is a line break.

use super::{Merge, RawBlock, RawCell, RawDocument, RawLine, RawRow, RawTable, ReadError};
use crate::grid::{HEADER_PATH_SEPARATOR, header_layout};
use crate::model::Align;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Stands for a soft line break while a paragraph is collected: each line
/// of a paragraph is a meta line or note of its own, while `<br>` and hard
/// breaks are line breaks inside one.
const SOFT_BREAK: char = '\u{1}';

/// Stands for a hard line break (two trailing spaces or a backslash) while
/// a paragraph is collected.
const HARD_BREAK: char = '\u{2}';

/// A paragraph whose hard-broken lines are each a meta line
/// (`**部门名称：…**␠␠⏎*单位：万元*`) is that many meta lines; elsewhere a
/// hard break is a line break inside the paragraph.
fn split_meta_at_hard_breaks(text: &str) -> String {
    if !text.contains(HARD_BREAK) {
        return text.to_string();
    }
    let all_meta = text
        .split([HARD_BREAK, SOFT_BREAK])
        .filter(|p| !p.trim().is_empty())
        .all(|p| crate::classify::looks_like_meta(p.trim()));
    let to = if all_meta { SOFT_BREAK } else { '\n' };
    text.replace(HARD_BREAK, &to.to_string())
}

/// Reads a Markdown file.
pub(crate) fn read(bytes: &[u8]) -> Result<RawDocument, ReadError> {
    let (text, _) = super::text::decode(bytes)?;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset) as u32;

    let mut tables: Vec<RawTable> = Vec::new();
    let mut blocks: Vec<RawBlock> = Vec::new();
    let mut pending: Vec<Line> = Vec::new();
    let mut items = 0usize;
    let mut inline = Inline::default();
    let mut table: Option<TableBuilder> = None;
    let mut heading: Option<u8> = None;
    let mut block_start = 0usize;

    let parser = Parser::new_ext(&text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Table(_)) => {
                table = Some(TableBuilder::default());
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    let raw = t.finish(std::mem::take(&mut pending), &mut tables, &mut blocks);
                    blocks.push(RawBlock::Table(tables.len()));
                    tables.push(raw);
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push((line_of(range.start), Vec::new()));
                }
            }
            Event::Start(Tag::TableCell) => inline = Inline::default(),
            Event::End(TagEnd::TableCell) => {
                if let Some((_, cells)) = table.as_mut().and_then(|t| t.rows.last_mut()) {
                    let done = std::mem::take(&mut inline);
                    cells.push(RawCell {
                        text: done.text,
                        bold: done.bold,
                        ..RawCell::default()
                    });
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.head_rows = t.rows.len();
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(level as u8);
                inline = Inline::default();
                block_start = range.start;
            }
            Event::Start(Tag::Paragraph)
            | Event::Start(Tag::HtmlBlock)
            | Event::Start(Tag::CodeBlock(_)) => {
                inline = Inline::default();
                block_start = range.start;
            }
            // A list inside a list item: the item's own text so far is a
            // line before the inner list's items.
            Event::Start(Tag::List(_)) if items > 0 => {
                let done = std::mem::take(&mut inline);
                flush(done, None, line_of(block_start), true, &mut pending);
            }
            Event::Start(Tag::Item) => {
                items += 1;
                inline = Inline::default();
                block_start = range.start;
            }
            Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item) => {
                let done = std::mem::take(&mut inline);
                flush(
                    done,
                    heading.take(),
                    line_of(block_start),
                    items > 0,
                    &mut pending,
                );
                if matches!(event, Event::End(TagEnd::Item)) {
                    items = items.saturating_sub(1);
                }
            }
            // An HTML block shows its text without its tags; a code block
            // its lines as they are.
            Event::End(TagEnd::HtmlBlock) => {
                let done = std::mem::take(&mut inline);
                let first = line_of(block_start);
                for (i, text) in html_lines(&done.text).into_iter().enumerate() {
                    pending.push(Line {
                        raw: RawLine {
                            text,
                            source_row: first + i as u32,
                            ..RawLine::default()
                        },
                        item: items > 0,
                        rule: false,
                    });
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let mut done = std::mem::take(&mut inline);
                let kept = done.text.trim_end_matches('\n').len();
                done.text.truncate(kept);
                flush(done, None, line_of(block_start), items > 0, &mut pending);
            }
            Event::Text(t) | Event::Code(t) => {
                inline.has_text |= !super::is_blank(&t);
                inline.text.push_str(&t);
            }
            Event::SoftBreak => inline.text.push(SOFT_BREAK),
            Event::HardBreak => inline.text.push(HARD_BREAK),
            Event::Html(h) | Event::InlineHtml(h) => {
                if is_br(&h) {
                    inline.text.push('\n');
                } else {
                    inline.text.push_str(&h);
                }
            }
            Event::Start(Tag::Strong) => inline.bold = true,
            Event::Rule => pending.push(Line {
                raw: RawLine::default(),
                item: false,
                rule: true,
            }),
            _ => {}
        }
    }
    match tables.last_mut() {
        Some(last) => notes_then_prose(&mut last.after, pending, &mut blocks),
        None => {
            return Err(ReadError::NoTable(
                "the Markdown file has no pipe table (| a | b | with a | --- | line)".into(),
            ));
        }
    }
    Ok(RawDocument {
        tables,
        warnings: Vec::new(),
        blocks,
    })
}

/// A line of the document outside tables, and whether it stood in a list.
struct Line {
    raw: RawLine,
    item: bool,
    /// A thematic break (`---`), no text: it ends a table's notes and a
    /// text section, so that prose without a heading after a table (or
    /// after another section) stays a section of its own.
    rule: bool,
}

/// Adds the lines of a finished heading, paragraph or list item to
/// `pending`: a heading is one line; a paragraph written as several lines
/// holds several (meta lines or notes each); blank lines are none. A
/// paragraph of markup only (an anchor `<a id="part-1"></a>`, as our book
/// writes before each part) shows no text and gives no line.
fn flush(done: Inline, heading: Option<u8>, first: u32, item: bool, pending: &mut Vec<Line>) {
    if !done.has_text {
        return;
    }
    // A paragraph written as several lines holds several meta lines or
    // notes; a heading is one line.
    let text = match heading {
        Some(_) => done.text.replace(HARD_BREAK, "\n"),
        None => split_meta_at_hard_breaks(&done.text),
    };
    let parts: Vec<&str> = if heading.is_some() {
        vec![text.as_str()]
    } else {
        text.split(SOFT_BREAK).collect()
    };
    for (i, part) in parts.into_iter().enumerate() {
        if part.trim().is_empty() {
            continue;
        }
        pending.push(Line {
            raw: RawLine {
                text: part.to_string(),
                heading,
                bold: done.bold,
                source_row: first + i as u32,
                ..RawLine::default()
            },
            item,
            rule: false,
        });
    }
}

/// The text an HTML block shows, line by line: tags and comments left
/// out, `<br>` a line break, the common character references decoded.
fn html_lines(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|e| e + 3)
        } else {
            after.find('>').map(|e| e + 1)
        };
        let Some(end) = end else {
            // A lone '<' is text.
            text.push_str(after);
            rest = "";
            break;
        };
        if is_br(&after[..end]) {
            text.push('\n');
        }
        rest = &after[end..];
    }
    text.push_str(rest);
    text.lines()
        .map(|l| decode_references(l.trim()))
        .filter(|l| !super::is_blank(l))
        .collect()
}

/// Decodes the character references an HTML block commonly holds
/// (&amp; &lt; &gt; &quot; &nbsp; &#NN; &#xNN;); others stay as written.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let decoded = after.find(';').and_then(|semi| {
            let name = &after[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                _ => {
                    let code = match name.strip_prefix(['#']) {
                        Some(n) => match n.strip_prefix(['x', 'X']) {
                            Some(h) => u32::from_str_radix(h, 16).ok(),
                            None => n.parse().ok(),
                        },
                        None => None,
                    };
                    code.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text sections of prose lines (list items as the Markdown marks them).
/// Lines after a table: its notes up to the first heading or thematic
/// break, text sections from there.
fn notes_then_prose(after: &mut Vec<RawLine>, mut lines: Vec<Line>, blocks: &mut Vec<RawBlock>) {
    let first_heading = lines
        .iter()
        .position(|l| l.raw.heading.is_some() || l.rule)
        .unwrap_or(lines.len());
    let prose = lines.split_off(first_heading);
    after.extend(lines.into_iter().map(|l| l.raw));
    push_sections(prose, blocks);
}

/// Text sections of the lines; a thematic break ends one.
fn push_sections(lines: Vec<Line>, blocks: &mut Vec<RawBlock>) {
    let mut run: Vec<(RawLine, bool)> = Vec::new();
    for line in lines {
        if line.rule {
            super::push_sections(std::mem::take(&mut run), blocks);
        } else {
            run.push((line.raw, line.item));
        }
    }
    super::push_sections(run, blocks);
}

#[derive(Default)]
struct Inline {
    text: String,
    bold: bool,
    /// Some text, not only markup (HTML tags), was seen.
    has_text: bool,
}

fn is_br(html: &str) -> bool {
    let h: String = html
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(h.as_str(), "<br>" | "<br/>" | "</br>")
}

#[derive(Default)]
struct TableBuilder {
    rows: Vec<(u32, Vec<RawCell>)>,
    head_rows: usize,
}

impl TableBuilder {
    /// Builds the raw table; `lines` are the paragraphs since the previous
    /// table. The table's own lines, its title and meta lines, are the
    /// meta lines (部门名称：…, 单位：万元) right above it and, above them, one
    /// line that reads as its title (a short line that is no sentence and
    /// no list item) — or, when a heading stands above lines of those two
    /// kinds only, everything from that heading on (as our writer puts a
    /// table's title, meta lines and any other line above it). The rest
    /// is prose: up to the first heading the previous table's notes, from
    /// there text sections (pushed to `blocks`); before the first table,
    /// all of it text sections (the first without a heading when no
    /// heading opens it).
    fn finish(
        self,
        mut lines: Vec<Line>,
        tables: &mut [RawTable],
        blocks: &mut Vec<RawBlock>,
    ) -> RawTable {
        let captions = lines
            .iter()
            .rev()
            .take_while(|l| {
                l.raw.heading.is_none()
                    && !l.item
                    && (super::is_meta_line(&l.raw.text) || super::reads_as_title(&l.raw.text))
            })
            .count();
        let top = lines.len() - captions;
        let own = if top > 0 && lines[top - 1].raw.heading.is_some() {
            top - 1
        } else {
            let meta = lines[top..]
                .iter()
                .rev()
                .take_while(|l| super::is_meta_line(&l.raw.text))
                .count();
            // One title line above the meta lines, when there is one.
            let above_meta = lines.len() - meta;
            if above_meta > top {
                above_meta - 1
            } else {
                above_meta
            }
        };
        let rest = lines.split_off(own);
        match tables.last_mut() {
            Some(prev) => notes_then_prose(&mut prev.after, lines, blocks),
            None => push_sections(lines, blocks),
        }
        let lines: Vec<RawLine> = rest.into_iter().map(|l| l.raw).collect();
        let mut rows = self.rows.into_iter();
        let mut grid: Vec<RawRow> = Vec::new();
        let mut merges: Vec<Merge> = Vec::new();
        let mut header_rows = 0;
        if self.head_rows > 0
            && let Some((line, head)) = rows.next()
        {
            let paths: Vec<Vec<String>> = head
                .iter()
                .map(|c| {
                    c.text
                        .split(HEADER_PATH_SEPARATOR)
                        .map(str::to_string)
                        .collect()
                })
                .collect();
            let layout = header_layout(&paths);
            header_rows = layout.depth;
            for _ in 0..layout.depth {
                grid.push(RawRow {
                    cells: vec![RawCell::default(); paths.len()],
                    source_row: line,
                    hidden: false,
                });
            }
            for cell in layout.cells {
                grid[cell.row].cells[cell.col] = RawCell {
                    text: cell.text,
                    align: Align::Center,
                    ..RawCell::default()
                };
                if cell.rows > 1 || cell.cols > 1 {
                    merges.push(Merge {
                        row: cell.row,
                        col: cell.col,
                        rows: cell.rows,
                        cols: cell.cols,
                    });
                }
            }
        }
        for (line, cells) in rows {
            if cells.iter().all(RawCell::is_blank) {
                continue;
            }
            grid.push(RawRow {
                cells,
                source_row: line,
                hidden: false,
            });
        }
        RawTable {
            locator: super::Locator::Line,
            before: lines,
            rows: grid,
            merges,
            header_rows: Some(header_rows),
            ..RawTable::default()
        }
    }
}
