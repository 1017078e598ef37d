//! The prose of a single document as the checks see it: its text sections
//! ([`Document::blocks`]) grouped into chapters, so that the rules over
//! chapters (the prose against the tables, repetition, numbering, years,
//! completeness, the 目录) run on a `.docx`, `.md`, `.txt` or workbook the
//! way they run on a book.
//!
//! - A section whose heading has no outline number starts a chapter; one
//!   numbered 一、/（一）/1. is a heading inside the chapter before it,
//!   unless it numbers on from that chapter's own title (二、 after a
//!   chapter 一、) or follows the 目录. A heading that reads as no title (a
//!   sentence, a figure) is a line.
//! - A table ends the chapter before it; text after a table without a
//!   heading of its own starts a chapter titled by its first line when that
//!   line reads as a title. A line of the text that the document's own 目录
//!   lists (a centred title without a heading style) starts a chapter.
//! - A 目录 written as lines of the text (a 目录 line, then its entries,
//!   with or without dot leaders, as `pdftotext -layout` gives them) is a
//!   chapter of its own titled 目录, so that `toc.entry` compares it with
//!   the rest and its entries count neither as repeats nor as numbering.
//! - The outline (what a 目录 lists) is the chapters' titles, the lines in
//!   them that read as titles, and the tables' titles, in reading order.

use super::prose::{amounts, numbering};
use super::toc;
use super::{Chapter, Paragraph, ParagraphKind, TableView, fold};
use crate::model::{Block, Document, Section};

/// Lines longer than this are no title (a 目录 entry or a heading); the
/// longest standard table title with its year and department is about 40.
const MAX_TITLE_CHARS: usize = 48;

/// A chapter under construction, whether its title is its own, and
/// whether it is or holds a 目录 (after which a numbered heading starts a
/// chapter).
struct Draft {
    chapter: Chapter,
    titled: bool,
    contents: bool,
}

/// One part of the document in reading order.
enum Part {
    Text(Draft),
    Table(usize),
}

/// Whether a line reads as a title: short, no sentence inside, no amount.
pub(super) fn title_like(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    let chars: Vec<char> = t.chars().collect();
    // A decimal figure ("年初预算为 196.40") is no title's.
    let decimal = chars
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == '.' && w[2].is_ascii_digit());
    n > 0
        && n <= MAX_TITLE_CHARS
        && !t.contains(['。', '，', '；', '：', ':', ';', ','])
        && !decimal
        && amounts(t).is_empty()
}

/// Whether a paragraph is a heading inside a chapter: a short numbered line
/// with no sentence and no amount (四、绩效目标设置情况).
fn heading_like(text: &str) -> bool {
    super::complete::reads_as_heading(text) && amounts(text).is_empty()
}

/// Whether a line carries a 目录's dot leader.
fn has_leader(text: &str) -> bool {
    text.contains("……") || text.contains("···") || text.contains("....") || text.contains("．．")
}

/// Whether a paragraph is markup only (an HTML anchor `<a id="part-1"></a>`
/// a Markdown file carries), no text.
fn is_markup(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('<') && t.ends_with('>') && {
        let mut depth = 0i32;
        t.chars().all(|c| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            depth > 0 || c == '>' || c.is_whitespace()
        })
    }
}

fn paragraph(text: &str) -> Paragraph {
    Paragraph {
        text: text.to_string(),
        kind: if heading_like(text) {
            ParagraphKind::Heading
        } else {
            ParagraphKind::Paragraph
        },
    }
}

/// A chapter without a heading: its first line is its title when it reads
/// as one, else it is named by where it stands.
fn untitled(mut paragraphs: Vec<Paragraph>, place: &str) -> Draft {
    let first = paragraphs.first().map(|p| p.text.trim().to_string());
    match first {
        // A 目录 line stays a line: its entries follow it.
        Some(t) if title_like(&t) && fold(&t) != "目录" => {
            paragraphs.remove(0);
            Draft {
                contents: paragraphs.iter().any(|p| fold(&p.text) == "目录"),
                chapter: Chapter {
                    title: t,
                    file: String::new(),
                    paragraphs,
                },
                titled: true,
            }
        }
        _ => Draft {
            contents: paragraphs.iter().any(|p| fold(&p.text) == "目录"),
            chapter: Chapter {
                title: place_title(place),
                file: String::new(),
                paragraphs,
            },
            titled: false,
        },
    }
}

/// The title of a chapter without one: where it stands, in brackets.
fn place_title(place: &str) -> String {
    format!("({place})")
}

/// Whether a chapter's title is no title of the document's but where the
/// chapter stands (text after a table, without a heading of its own): such
/// text carries on what stood before the table, so its first numbered line
/// may well not be the first of its list.
pub(super) fn is_place_title(title: &str) -> bool {
    title.starts_with('(') && title.ends_with(')')
}

/// Where text without a heading stands, for the name of its chapter.
fn place_after(last_table: Option<usize>, tables: &[TableView]) -> String {
    match last_table.and_then(|i| tables.get(i).map(|t| (i, t))) {
        Some((i, t)) if !t.title.is_empty() => format!("text after table {} '{}'", i + 1, t.title),
        Some((i, _)) => format!("text after table {}", i + 1),
        None => "text before the first table".to_string(),
    }
}

/// Splits a 目录 written as lines out of a chapter: the chapter before it,
/// the 目录 and the chapter after it.
fn split_contents(d: Draft, department: Option<&str>) -> Vec<Draft> {
    let ps = &d.chapter.paragraphs;
    let Some(at) = ps.iter().position(|p| fold(&p.text) == "目录") else {
        return vec![d];
    };
    let mut end = at + 1;
    let mut leaders = false;
    let mut first: Option<String> = None;
    while let Some(p) = ps.get(end) {
        let t = p.text.trim();
        let entry = if has_leader(t) {
            leaders = true;
            true
        } else {
            // Without leaders, the entries run until the body starts again
            // with the first entry's title, or until a line that is no title.
            !leaders
                && title_like(t)
                && first
                    .as_deref()
                    .is_none_or(|f| toc::key(t, department) != f)
        };
        if !entry {
            break;
        }
        if first.is_none() {
            first = Some(toc::key(t, department));
        }
        end += 1;
    }
    if end == at + 1 {
        return vec![d];
    }
    let Draft {
        chapter, titled, ..
    } = d;
    let mut rest = chapter.paragraphs;
    let after: Vec<Paragraph> = rest.split_off(end);
    let entries: Vec<Paragraph> = rest
        .split_off(at + 1)
        .into_iter()
        .map(|p| Paragraph {
            kind: ParagraphKind::Paragraph,
            ..p
        })
        .collect();
    rest.truncate(at);
    let mut out = Vec::new();
    if titled || !rest.is_empty() {
        out.push(Draft {
            chapter: Chapter {
                title: chapter.title,
                file: chapter.file,
                paragraphs: rest,
            },
            titled,
            contents: false,
        });
    }
    out.push(Draft {
        chapter: Chapter {
            title: "目录".to_string(),
            file: String::new(),
            paragraphs: entries,
        },
        titled: true,
        contents: true,
    });
    if !after.is_empty() {
        out.push(untitled(after, "text after the 目录"));
    }
    out
}

/// 目录 entries shorter than this ("说明") start no chapter.
const MIN_LISTED_CHARS: usize = 4;

/// Splits a chapter where a line of it (not numbered, a title) is what the
/// document's 目录 lists.
fn split_listed(d: Draft, listed: &[String], department: Option<&str>) -> Vec<Draft> {
    if listed.is_empty() {
        return vec![d];
    }
    let starts = |p: &Paragraph| {
        p.kind != ParagraphKind::Heading
            && title_like(&p.text)
            && crate::classify::outline_level(p.text.trim()).is_none()
            && listed.contains(&toc::key(&p.text, department))
    };
    let Draft {
        chapter, titled, ..
    } = d;
    let mut out = vec![Draft {
        chapter: Chapter {
            paragraphs: Vec::new(),
            ..chapter
        },
        titled,
        contents: false,
    }];
    for p in chapter.paragraphs {
        if starts(&p) {
            out.push(Draft {
                chapter: Chapter {
                    title: p.text.trim().to_string(),
                    file: String::new(),
                    paragraphs: Vec::new(),
                },
                titled: true,
                contents: false,
            });
        } else if let Some(last) = out.last_mut() {
            last.chapter.paragraphs.push(p);
        }
    }
    out
}

/// The chapters of a document's text and its outline (the titles a 目录
/// lists, in reading order).
pub(super) fn text_of(
    doc: &Document,
    tables: &[TableView],
    department: Option<&str>,
) -> (Vec<Chapter>, Vec<String>) {
    let mut parts: Vec<Part> = Vec::new();
    let mut current: Option<Draft> = None;
    let mut last_table: Option<usize> = None;
    for block in &doc.blocks {
        match block {
            Block::Table { index } => {
                parts.extend(current.take().map(Part::Text));
                parts.push(Part::Table(*index));
                last_table = Some(*index);
            }
            Block::Text(Section {
                heading,
                paragraphs,
            }) => {
                let heading = heading.as_deref().map(str::trim).filter(|h| !h.is_empty());
                // A heading that reads as no title (a sentence, a figure: a
                // line a reader took for one) is a paragraph.
                let (heading, lead) = match heading {
                    Some(h) if !title_like(h) && !heading_like(h) => (None, Some(paragraph(h))),
                    h => (h, None),
                };
                let body: Vec<Paragraph> = lead
                    .into_iter()
                    .chain(
                        paragraphs
                            .iter()
                            .filter(|p| !is_markup(&p.text))
                            .map(|p| paragraph(&p.text)),
                    )
                    .collect();
                let holds_contents = body.iter().any(|p| fold(&p.text) == "目录");
                // A numbered heading is one inside the chapter before it,
                // unless it numbers on from that chapter's own title (二、
                // after a chapter 一、) or follows the 目录.
                let inside = |h: &str, d: &Draft| {
                    let Some((level, value)) = numbering(h) else {
                        return false;
                    };
                    let sibling = d.titled
                        && numbering(&d.chapter.title)
                            .is_some_and(|(l, v)| l == level && value == v + 1);
                    !sibling && !d.contents
                };
                match (heading, current.as_mut()) {
                    (Some(h), Some(d)) if inside(h, d) => {
                        d.chapter.paragraphs.push(Paragraph {
                            text: h.to_string(),
                            kind: ParagraphKind::Heading,
                        });
                        d.chapter.paragraphs.extend(body);
                        d.contents |= holds_contents;
                    }
                    (Some(h), _) => {
                        parts.extend(current.take().map(Part::Text));
                        current = Some(Draft {
                            contents: holds_contents || fold(h) == "目录",
                            chapter: Chapter {
                                title: h.to_string(),
                                file: String::new(),
                                paragraphs: body,
                            },
                            titled: true,
                        });
                    }
                    (None, Some(d)) => {
                        d.chapter.paragraphs.extend(body);
                        d.contents |= holds_contents;
                    }
                    (None, None) => {
                        current = Some(untitled(body, &place_after(last_table, tables)));
                    }
                }
            }
        }
    }
    parts.extend(current.take().map(Part::Text));

    let parts: Vec<Part> = parts
        .into_iter()
        .flat_map(|p| match p {
            Part::Text(d) => split_contents(d, department)
                .into_iter()
                .map(Part::Text)
                .collect(),
            table => vec![table],
        })
        .collect();
    // The titles the document's own 目录 lists: a line of the text that
    // is one of them starts a chapter ("2026年部门预算编制说明" standing as a
    // line of its own after the 名词解释).
    let listed: Vec<String> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Text(d) if fold(&d.chapter.title) == "目录" => Some(&d.chapter.paragraphs),
            _ => None,
        })
        .flatten()
        .map(|p| toc::key(&p.text, department))
        .filter(|k| k.chars().count() >= MIN_LISTED_CHARS)
        .collect();
    let parts: Vec<Part> = parts
        .into_iter()
        .flat_map(|p| match p {
            Part::Text(d) if fold(&d.chapter.title) != "目录" => {
                split_listed(d, &listed, department)
                    .into_iter()
                    .map(Part::Text)
                    .collect()
            }
            other => vec![other],
        })
        .collect();

    let mut chapters = Vec::new();
    let mut outline = Vec::new();
    for part in parts {
        match part {
            Part::Table(i) => outline.extend(tables.get(i).map(|t| t.title.clone())),
            Part::Text(d) => {
                let contents = fold(&d.chapter.title) == "目录";
                if d.titled {
                    outline.push(d.chapter.title.clone());
                }
                if !contents {
                    outline.extend(
                        d.chapter
                            .paragraphs
                            .iter()
                            .filter(|p| p.kind == ParagraphKind::Heading || title_like(&p.text))
                            .map(|p| p.text.trim().to_string()),
                    );
                }
                if !d.chapter.paragraphs.is_empty() || d.titled {
                    chapters.push(d.chapter);
                }
            }
        }
    }
    (chapters, outline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Paragraph as P, ParagraphKind as K};

    fn section(heading: Option<&str>, lines: &[&str]) -> Block {
        Block::Text(Section {
            heading: heading.map(str::to_string),
            paragraphs: lines
                .iter()
                .map(|t| P {
                    kind: K::Plain,
                    text: t.to_string(),
                })
                .collect(),
        })
    }

    fn doc(blocks: Vec<Block>) -> Document {
        let mut d: Document = serde_json::from_str(
            r#"{"schema":2,"source":{"path":"x.txt","sha256":"","size":0,"format":"text"},"tables":[]}"#,
        )
        .expect("a minimal model");
        d.blocks = blocks;
        d
    }

    #[test]
    fn sections_become_chapters_and_numbered_headings_stay_inside() {
        let d = doc(vec![
            section(Some("2025年部门预算编制说明"), &["收入预算3,121.42万元。"]),
            section(Some("一、收入"), &["说明。"]),
            section(
                Some("其他相关情况说明"),
                &["二、机关运行经费", "为229.43万元。"],
            ),
        ]);
        let (chapters, outline) = text_of(&d, &[], None);
        let titles: Vec<&str> = chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["2025年部门预算编制说明", "其他相关情况说明"]);
        assert_eq!(chapters[0].paragraphs[1].kind, ParagraphKind::Heading);
        assert_eq!(chapters[0].paragraphs[1].text, "一、收入");
        assert_eq!(chapters[1].paragraphs[0].kind, ParagraphKind::Heading);
        assert_eq!(
            outline,
            [
                "2025年部门预算编制说明",
                "一、收入",
                "其他相关情况说明",
                "二、机关运行经费"
            ]
        );
    }

    #[test]
    fn a_contents_written_as_lines_is_a_chapter_of_its_own() {
        // As pdftotext gives a 决算 book: no leaders, the body starts again
        // with the first entry.
        let d = doc(vec![section(
            None,
            &[
                "某局2024年度部门决算",
                "目 录",
                "第一部分 某局概况",
                "一、主要职能",
                "第二部分 某局2024年度部门决算表",
                "第一部分  某局概况",
                "一、主要职能",
                "某局是主管全区财政工作的区政府工作部门。",
            ],
        )]);
        let (chapters, outline) = text_of(&d, &[], None);
        let titles: Vec<&str> = chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            ["某局2024年度部门决算", "目录", "第一部分  某局概况"]
        );
        assert_eq!(chapters[1].paragraphs.len(), 3);
        assert_eq!(chapters[2].paragraphs.len(), 2);
        assert!(!outline.iter().any(|t| t.starts_with("第二部分")));
        // With leaders: the entries end at the first line without one.
        let d = doc(vec![section(
            None,
            &[
                "目  录",
                "一、部门主要职能 ………………",
                "二、部门机构设置 ………………",
                "某局主要职能",
                "某局是……的区政府工作部门。",
            ],
        )]);
        let (chapters, _) = text_of(&d, &[], None);
        let titles: Vec<&str> = chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["目录", "某局主要职能"]);
        assert_eq!(chapters[0].paragraphs.len(), 2);
    }
}
