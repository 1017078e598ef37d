//! Text chapters of a disclosure book, written as Markdown: headings,
//! paragraphs with emphasis, lists and tables, parsed with pulldown-cmark
//! into a small block model the book writers lay out.

use crate::model::Table;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A run of text with its emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Bold (`**…**`).
    pub bold: bool,
    /// Italic (`*…*`).
    pub italic: bool,
}

/// A block of a chapter.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading below the chapter title (level 2 and deeper).
    Heading {
        /// 2 for `##`, 3 for `###` ….
        level: u8,
        /// Its text.
        text: String,
    },
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A list; each item is one paragraph of spans.
    List {
        /// Numbered.
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        /// The items.
        items: Vec<Vec<Span>>,
    },
    /// A table, normalised like any table file.
    Table(Box<Table>),
}

/// A chapter: its title (the first `#` heading, else the file's stem) and
/// its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Chapter {
    /// The title.
    pub title: String,
    /// The blocks after the title.
    pub blocks: Vec<Block>,
    /// The file it came from, relative to the book's folder.
    pub source: String,
}

impl Chapter {
    /// The chapter's plain text (title, headings, paragraphs, list items),
    /// for checks and searches.
    pub fn plain_text(&self) -> String {
        let mut out = self.title.clone();
        for b in &self.blocks {
            out.push('\n');
            match b {
                Block::Heading { text, .. } => out.push_str(text),
                Block::Paragraph(spans) => out.extend(spans.iter().map(|s| s.text.as_str())),
                Block::List { items, .. } => {
                    for item in items {
                        out.extend(item.iter().map(|s| s.text.as_str()));
                        out.push('\n');
                    }
                }
                Block::Table(_) => {}
            }
        }
        out
    }
}

/// Whether a soft line break between `a` and `b` stands for a space: not
/// between CJK characters (hard-wrapped Chinese text joins without one).
fn soft_break_is_space(a: Option<char>, b: Option<char>) -> bool {
    let wide = |c: char| {
        let u = c as u32;
        (0x2E80..=0x9FFF).contains(&u)
            || (0xF900..=0xFAFF).contains(&u)
            || (0xFF00..=0xFFEF).contains(&u)
            || (0x3000..=0x303F).contains(&u)
            || (0x20000..=0x3FFFF).contains(&u)
    };
    match (a, b) {
        (Some(a), Some(b)) => !(wide(a) || wide(b)),
        _ => false,
    }
}

#[derive(Default)]
struct Collector {
    spans: Vec<Span>,
    bold: usize,
    italic: usize,
    pending_soft: bool,
}

impl Collector {
    fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.pending_soft {
            self.pending_soft = false;
            let prev = self.spans.last().and_then(|s| s.text.chars().last());
            if soft_break_is_space(prev, text.chars().next()) {
                self.push_raw(" ");
            }
        }
        self.push_raw(text);
    }

    fn push_raw(&mut self, text: &str) {
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        match self.spans.last_mut() {
            Some(last) if last.bold == bold && last.italic == italic => last.text.push_str(text),
            _ => self.spans.push(Span {
                text: text.to_string(),
                bold,
                italic,
            }),
        }
    }

    fn take(&mut self) -> Vec<Span> {
        self.pending_soft = false;
        let mut spans = std::mem::take(&mut self.spans);
        if let Some(first) = spans.first_mut() {
            first.text = first.text.trim_start().to_string();
        }
        if let Some(last) = spans.last_mut() {
            last.text = last.text.trim_end().to_string();
        }
        spans.retain(|s| !s.text.is_empty());
        spans
    }
}

fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Parses a chapter file. `stem` is the title when the file has no `#`
/// heading.
pub fn parse(text: &str, stem: &str, source: &str) -> Chapter {
    let mut title: Option<String> = None;
    let mut blocks = Vec::new();
    let mut c = Collector::default();
    let mut heading: Option<u8> = None;
    let mut list: Option<(bool, u64, Vec<Vec<Span>>)> = None;
    let mut table_start: Option<usize> = None;
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        if let Some(start) = table_start {
            if let Event::End(TagEnd::Table) = event {
                table_start = None;
                let snippet = &text[start..range.end];
                let read = crate::read_bytes(
                    snippet.as_bytes(),
                    "chapter-table.md",
                    &crate::ReadOptions::default(),
                );
                if let Ok(mut doc) = read
                    && !doc.tables.is_empty()
                {
                    blocks.push(Block::Table(Box::new(doc.tables.remove(0))));
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::Table(_)) => table_start = Some(range.start),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                });
                c.take();
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = spans_text(&c.take());
                let level = heading.take().unwrap_or(2);
                if level == 1 && title.is_none() && blocks.is_empty() {
                    title = Some(text);
                } else if !text.is_empty() {
                    blocks.push(Block::Heading {
                        level: level.max(2),
                        text,
                    });
                }
            }
            Event::Start(Tag::Paragraph) if list.is_none() => {
                c.take();
            }
            Event::End(TagEnd::Paragraph) => {
                if list.is_none() {
                    let spans = c.take();
                    if !spans.is_empty() {
                        blocks.push(Block::Paragraph(spans));
                    }
                } else {
                    c.pending_soft = true;
                }
            }
            Event::Start(Tag::List(start)) => {
                if list.is_none() {
                    list = Some((start.is_some(), start.unwrap_or(1), Vec::new()));
                }
                c.take();
            }
            Event::End(TagEnd::Item) => {
                let spans = c.take();
                if let Some((_, _, items)) = list.as_mut()
                    && !spans.is_empty()
                {
                    items.push(spans);
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some((ordered, start, items)) = list.take() {
                    blocks.push(Block::List {
                        ordered,
                        start,
                        items,
                    });
                }
            }
            Event::Start(Tag::Strong) => c.bold += 1,
            Event::End(TagEnd::Strong) => c.bold = c.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => c.italic += 1,
            Event::End(TagEnd::Emphasis) => c.italic = c.italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => c.push(&t),
            Event::SoftBreak => c.pending_soft = true,
            Event::HardBreak => c.push_raw("\n"),
            Event::Html(h) | Event::InlineHtml(h)
                if h.trim().eq_ignore_ascii_case("<br>")
                    || h.trim().eq_ignore_ascii_case("<br/>") =>
            {
                c.push_raw("\n");
            }
            _ => {}
        }
    }
    Chapter {
        title: title.unwrap_or_else(|| stem.to_string()),
        blocks,
        source: source.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_chapter() {
        let md = "# 部门主要职能\n\n本局是区政府组成部门，\n主要职能包括：\n\n1. 贯彻执行**有关**法律；\n2. 负责财政收支。\n\n## 机构\n\n- 本部\n- 中心\n\n| 项目 | 金额 |\n| --- | ---: |\n| 合计 | 1.00 |\n";
        let ch = parse(md, "x", "x.md");
        assert_eq!(ch.title, "部门主要职能");
        assert_eq!(
            ch.blocks[0],
            Block::Paragraph(vec![Span {
                text: "本局是区政府组成部门，主要职能包括：".into(),
                bold: false,
                italic: false
            }])
        );
        let Block::List { ordered, items, .. } = &ch.blocks[1] else {
            panic!("{:?}", ch.blocks[1]);
        };
        assert!(ordered);
        assert_eq!(items.len(), 2);
        assert!(items[0].iter().any(|s| s.bold && s.text == "有关"));
        assert_eq!(
            ch.blocks[2],
            Block::Heading {
                level: 2,
                text: "机构".into()
            }
        );
        assert!(
            matches!(&ch.blocks[3], Block::List { ordered: false, items, .. } if items.len() == 2)
        );
        let Block::Table(t) = &ch.blocks[4] else {
            panic!("{:?}", ch.blocks[4]);
        };
        assert_eq!(t.rows[0].cells[1].amount().unwrap().to_string(), "1.00");
    }

    #[test]
    fn latin_soft_breaks_are_spaces() {
        let ch = parse("# T\n\nword one\nword two\n", "x", "x.md");
        assert_eq!(
            ch.blocks[0],
            Block::Paragraph(vec![Span {
                text: "word one word two".into(),
                bold: false,
                italic: false
            }])
        );
    }
}
