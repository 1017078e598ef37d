//! GFM Markdown: `#` title, meta lines as paragraphs, one pipe table per
//! table with `---:` on amount columns, notes after; text sections
//! between tables as a `##` heading and paragraphs. Our Markdown reader
//! reads it back to the same tables and blocks.
//!
//! GFM has one header row, so a multi-level header is written as its
//! paths joined with " / "; spans in the body cannot be written and are
//! dropped (the covered cells are empty in the model anyway).

pub(crate) mod book;

use crate::amount::{format_amount, format_percent};
use crate::grid::HEADER_PATH_SEPARATOR;
use crate::model::{Block, ColumnKind, Document, ParagraphKind, Section, Table, Value};

/// Writes the document as Markdown, its blocks in reading order: tables
/// as [`write_table`] writes them, text sections as a `##` heading and
/// paragraphs (list items as `-` items).
pub(crate) fn write(doc: &Document) -> Vec<u8> {
    let mut out = String::new();
    for (i, block) in doc.reading_order().iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match block {
            Block::Table { index } => {
                if let Some(table) = doc.tables.get(*index) {
                    write_table(&mut out, table, "#");
                }
            }
            Block::Text(section) => {
                // Without a heading, the section's paragraphs would read
                // as the notes of the table above or join the section
                // above: a thematic break ends those.
                if i > 0 && section.heading.is_none() {
                    out.push_str(SECTION_BREAK);
                    out.push('\n');
                }
                write_section(&mut out, section)
            }
        }
    }
    out.into_bytes()
}

/// A thematic break, written before a text section without a heading.
const SECTION_BREAK: &str = "---";

/// Marks of a text section's heading: one level below a table's title, so
/// the reader tells the two apart.
pub(crate) const SECTION_HEADING: &str = "##";

/// Writes a text section: its heading, then each paragraph; a run of list
/// items is one tight list.
fn write_section(out: &mut String, section: &Section) {
    if let Some(heading) = &section.heading {
        out.push_str(SECTION_HEADING);
        out.push(' ');
        out.push_str(&escape(heading, Context::Heading));
        out.push('\n');
    }
    let mut prev: Option<ParagraphKind> = None;
    for p in &section.paragraphs {
        // A blank line before each paragraph, and before the first item
        // of a list; items of one list stand line under line.
        if !(prev == Some(ParagraphKind::Item) && p.kind == ParagraphKind::Item) {
            out.push('\n');
        }
        match p.kind {
            ParagraphKind::Item => {
                out.push_str("- ");
                out.push_str(&escape(&p.text, Context::Paragraph));
            }
            ParagraphKind::Plain => out.push_str(&escape(&p.text, Context::Paragraph)),
        }
        out.push('\n');
        prev = Some(p.kind);
    }
}

/// Writes one table: its title as a heading of the given marks ("#",
/// "###"), meta lines, the pipe table and the notes.
pub(crate) fn write_table(out: &mut String, table: &Table, heading: &str) {
    if let Some(title) = &table.title {
        out.push_str(heading);
        out.push(' ');
        out.push_str(&escape(title, Context::Heading));
        out.push_str("\n\n");
    }
    for meta in &table.meta {
        out.push_str(&escape(&meta.text, Context::Paragraph));
        out.push_str("\n\n");
    }
    out.push('|');
    for col in &table.columns {
        let parts: Vec<String> = col.path.iter().map(|p| escape(p, Context::Cell)).collect();
        out.push(' ');
        out.push_str(&parts.join(HEADER_PATH_SEPARATOR));
        out.push_str(" |");
    }
    out.push_str("\n|");
    for col in &table.columns {
        out.push_str(match col.kind {
            ColumnKind::Amount | ColumnKind::Percent => " ---: |",
            ColumnKind::Text | ColumnKind::Code => " --- |",
        });
    }
    out.push('\n');
    let indents = crate::write::fit::Indents::of(table);
    for row in &table.rows {
        out.push('|');
        for (c, cell) in row.cells.iter().enumerate() {
            let text = match &cell.value {
                Value::Empty => String::new(),
                // The hierarchy as the PDF indents it, one ideographic
                // space a level; the reader takes them back as the level.
                Value::Text(t) => {
                    let mut text = LEVEL_INDENT.repeat(usize::from(indents.steps(row, c)));
                    text.push_str(&escape(t, Context::Cell));
                    text
                }
                Value::Amount(d) => format_amount(*d),
                Value::Percent(d) => format_percent(*d),
            };
            out.push(' ');
            out.push_str(&text);
            out.push_str(" |");
        }
        out.push('\n');
    }
    for note in &table.notes {
        out.push('\n');
        out.push_str(&escape(note, Context::Paragraph));
        out.push('\n');
    }
}

/// One level of a row's hierarchy in a label cell.
const LEVEL_INDENT: &str = "\u{3000}";

/// Where escaped text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// A heading line.
    Heading,
    /// A paragraph.
    Paragraph,
    /// A table cell.
    Cell,
}

/// Escapes text so that pulldown-cmark gives it back unchanged: ASCII
/// punctuation that could open markup is backslash-escaped, outer spaces
/// become character references, line breaks become `<br>`, and a line
/// start that would open a block (list, heading, quote) is defused.
pub(crate) fn escape(text: &str, ctx: Context) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let lead = text.len() - text.trim_start_matches([' ', '\t']).len();
    let trail = text.len() - text.trim_end_matches([' ', '\t']).len();
    let trail_start = text.len() - trail;
    // Every character written differently is ASCII: the text between two
    // of them (most of it, Han characters) is copied as one slice.
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        let at_outer = i < lead || i >= trail_start;
        let replacement = match b {
            b' ' if at_outer => "&#32;",
            b'\t' => "&#9;",
            b'\n' => match ctx {
                Context::Heading => " ",
                _ => "<br>",
            },
            b'\r' => "",
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'|' | b'~' | b'&' | b'!'
            | b'#' => {
                out.push_str(&text[copied..i]);
                out.push('\\');
                copied = i;
                continue;
            }
            _ => continue,
        };
        out.push_str(&text[copied..i]);
        out.push_str(replacement);
        copied = i + 1;
    }
    out.push_str(&text[copied..]);
    if ctx != Context::Cell {
        out = defuse_block_start(out);
    }
    out
}

/// A paragraph starting with "1. " or "-" would become a list; "=" or "-"
/// alone a setext underline; "+" a list too. An amount ("9859.38 万元")
/// or "1.一般" opens no list (a list marker is followed by a space), so it
/// stays as written.
fn defuse_block_start(s: String) -> String {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    let mut after = s[digits..].chars();
    let marker = matches!(after.next(), Some('.') | Some(')'));
    let ends = matches!(after.next(), None | Some(' ') | Some('\t'));
    if digits > 0 && digits <= 9 && marker && ends {
        let mut out = s[..digits].to_string();
        out.push('\\');
        out.push_str(&s[digits..]);
        return out;
    }
    if s.starts_with(['-', '+', '=']) {
        return format!("\\{s}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_marks_what_markdown_would_read_as_markup() {
        assert_eq!(
            escape(" 项目*名称*|合计 ", Context::Cell),
            "&#32;项目\\*名称\\*\\|合计&#32;"
        );
        assert_eq!(
            escape("一\r\n二\t三 [注]", Context::Cell),
            "一<br>二&#9;三 \\[注\\]"
        );
        assert_eq!(escape("一\n二", Context::Heading), "一 二");
        assert_eq!(escape("", Context::Cell), "");
        assert_eq!(
            escape("&#<>`~!_\\", Context::Cell),
            "\\&\\#\\<\\>\\`\\~\\!\\_\\\\"
        );
        assert_eq!(escape("绩效目标", Context::Cell), "绩效目标");
    }
}
