//! The book as one Markdown file: title, a linked 目录, the chapters and
//! the tables in order.

use super::chapter::{Block, Span};
use super::{Book, Part, chinese_number, strip_outline_number};
use crate::write::markdown::{Context, escape, write_table};

fn spans(out: &mut String, spans: &[Span]) {
    for s in spans {
        let text = escape(&s.text, Context::Cell);
        match (s.bold, s.italic) {
            (true, true) => out.push_str(&format!("***{text}***")),
            (true, false) => out.push_str(&format!("**{text}**")),
            (false, true) => out.push_str(&format!("*{text}*")),
            (false, false) => out.push_str(&text),
        }
    }
}

/// Writes the book.
pub fn write(book: &Book) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", escape(&book.title, Context::Heading)));
    // A book that states no date and no year has none on its cover.
    if !book.date.is_empty() {
        out.push_str(&format!("{}\n\n", escape(&book.date, Context::Paragraph)));
    }
    out.push_str("## 目录\n\n");
    for (i, part) in book.parts.iter().enumerate() {
        let n = chinese_number(i + 1);
        match part {
            Part::Chapter(c) => out.push_str(&format!(
                "- [{n}、{}](#part-{})\n",
                escape(strip_outline_number(&c.title), Context::Cell),
                i + 1
            )),
            Part::Tables { title, tables } => {
                out.push_str(&format!(
                    "- [{n}、{}](#part-{})\n",
                    escape(title, Context::Cell),
                    i + 1
                ));
                for (k, t) in tables.iter().enumerate() {
                    out.push_str(&format!(
                        "  - [{}. {}](#part-{}-{})\n",
                        k + 1,
                        escape(&t.title, Context::Cell),
                        i + 1,
                        k + 1
                    ));
                }
            }
        }
    }
    for (i, part) in book.parts.iter().enumerate() {
        let n = chinese_number(i + 1);
        match part {
            Part::Chapter(c) => {
                out.push_str(&format!(
                    "\n<a id=\"part-{}\"></a>\n\n## {n}、{}\n\n",
                    i + 1,
                    escape(strip_outline_number(&c.title), Context::Heading)
                ));
                for block in &c.blocks {
                    match block {
                        Block::Heading { level, text } => {
                            let marks = "#".repeat(usize::from(*level).clamp(3, 6));
                            out.push_str(&format!(
                                "{marks} {}\n\n",
                                escape(text, Context::Heading)
                            ));
                        }
                        Block::Paragraph(s) => {
                            spans(&mut out, s);
                            out.push_str("\n\n");
                        }
                        Block::List {
                            ordered,
                            start,
                            items,
                        } => {
                            for (k, item) in items.iter().enumerate() {
                                if *ordered {
                                    out.push_str(&format!("{}. ", *start + k as u64));
                                } else {
                                    out.push_str("- ");
                                }
                                spans(&mut out, item);
                                out.push('\n');
                            }
                            out.push('\n');
                        }
                        Block::Table(t) => {
                            write_table(&mut out, t, "####");
                            out.push('\n');
                        }
                    }
                }
            }
            Part::Tables { title, tables } => {
                out.push_str(&format!(
                    "\n<a id=\"part-{}\"></a>\n\n## {n}、{}\n",
                    i + 1,
                    escape(title, Context::Heading)
                ));
                for (k, t) in tables.iter().enumerate() {
                    out.push_str(&format!(
                        "\n<a id=\"part-{}-{}\"></a>\n\n### {}. {}\n\n",
                        i + 1,
                        k + 1,
                        k + 1,
                        escape(&t.title, Context::Heading)
                    ));
                    let mut table = t.table.clone();
                    table.title = None;
                    write_table(&mut out, &table, "####");
                }
            }
        }
    }
    out.into_bytes()
}
