//! The book as one Markdown file: title, a linked 目录, the chapters and
//! the tables in order.

use crate::book::chapter::{Block, Span};
use crate::book::{Book, Part, chinese_number, strip_outline_number};
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
pub(crate) fn write(book: &Book) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", escape(&book.title, Context::Heading)));
    // A book that states no date and no year has none on its cover.
    if let Some(line) = &book.department_line {
        out.push_str(&format!("{}\n\n", escape(line, Context::Paragraph)));
    }
    if !book.date.is_empty() {
        out.push_str(&format!("{}\n\n", escape(&book.date, Context::Paragraph)));
    }
    out.push_str("## 目录\n\n");
    // The source's own 目录 lines when it has them (a workbook's 目录
    // sheet), in the order of the parts.
    let mut own = book.contents.iter().flatten().map(|(_, t)| t.as_str());
    for (i, part) in book.parts.iter().enumerate() {
        let n = chinese_number(i + 1);
        match part {
            Part::Chapter(c) => {
                let line = own.next().map_or_else(
                    || format!("{n}、{}", strip_outline_number(&c.title)),
                    str::to_string,
                );
                out.push_str(&format!(
                    "- [{}](#part-{})\n",
                    escape(&line, Context::Cell),
                    i + 1
                ))
            }
            Part::Tables { title, tables } => {
                let line = own
                    .next()
                    .map_or_else(|| format!("{n}、{title}"), str::to_string);
                out.push_str(&format!(
                    "- [{}](#part-{})\n",
                    escape(&line, Context::Cell),
                    i + 1
                ));
                for (k, t) in tables.iter().enumerate() {
                    let line = own
                        .next()
                        .map_or_else(|| format!("{}. {}", k + 1, t.title), str::to_string);
                    out.push_str(&format!(
                        "  - [{}](#part-{}-{})\n",
                        escape(&line, Context::Cell),
                        i + 1,
                        k + 1
                    ));
                }
            }
        }
    }
    let numbered = book.contents.is_none();
    for (i, part) in book.parts.iter().enumerate() {
        let n = chinese_number(i + 1);
        match part {
            Part::Chapter(c) => {
                let heading = if numbered {
                    format!(
                        "{n}、{}",
                        escape(strip_outline_number(&c.title), Context::Heading)
                    )
                } else {
                    escape(&c.title, Context::Heading)
                };
                out.push_str(&format!(
                    "\n<a id=\"part-{}\"></a>\n\n## {heading}\n\n",
                    i + 1,
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
                    let heading = if numbered {
                        format!("{}. {}", k + 1, escape(&t.title, Context::Heading))
                    } else {
                        escape(&t.title, Context::Heading)
                    };
                    out.push_str(&format!(
                        "\n<a id=\"part-{}-{}\"></a>\n\n### {heading}\n\n",
                        i + 1,
                        k + 1,
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
