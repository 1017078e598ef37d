//! Checks over a whole book: the book seen as a [`Disclosure`] (its
//! tables, named by their title in the book and their file, and its text
//! chapters), checked by every rule of [`crate::check`] — each table's
//! own checks, the totals shared between tables, completeness, years and
//! the prose against the tables.

use super::Book;
use super::chapter::Block;
use crate::check::{Chapter, Config, Disclosure, Finding, Paragraph, ParagraphKind, TableView};

/// The book as the checks see it.
pub(super) fn disclosure(book: &Book) -> Disclosure<'_> {
    let tables = book
        .tables()
        .enumerate()
        .map(|(i, t)| TableView {
            name: format!("table {} '{}' ({})", i + 1, t.title, t.source),
            title: t.title.clone(),
            table: &t.table,
            file: None,
        })
        .collect();
    let chapters = book
        .parts
        .iter()
        .filter_map(|p| match p {
            super::Part::Chapter(c) => Some(chapter(c)),
            super::Part::Tables { .. } => None,
        })
        .collect();
    let mut outline = Vec::new();
    for p in &book.parts {
        match p {
            super::Part::Chapter(c) => outline.push(c.title.clone()),
            super::Part::Tables { title, tables } => {
                outline.push(title.clone());
                outline.extend(tables.iter().map(|t| t.title.clone()));
            }
        }
    }
    Disclosure {
        tables,
        chapters,
        year: book.year.clone(),
        whole: true,
        outline,
        department: Some(book.department.clone()).filter(|d| !d.is_empty()),
    }
}

fn chapter(c: &super::chapter::Chapter) -> Chapter {
    let text = |spans: &[super::chapter::Span]| spans.iter().map(|s| s.text.as_str()).collect();
    let mut paragraphs = Vec::new();
    for b in &c.blocks {
        match b {
            Block::Heading { text, .. } => paragraphs.push(Paragraph {
                text: text.clone(),
                kind: ParagraphKind::Heading,
            }),
            Block::Paragraph(spans) => paragraphs.push(Paragraph {
                text: text(spans),
                kind: ParagraphKind::Paragraph,
            }),
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (k, item) in items.iter().enumerate() {
                    paragraphs.push(Paragraph {
                        text: text(item),
                        kind: ParagraphKind::ListItem(ordered.then(|| start + k as u64)),
                    });
                }
            }
            Block::Table(_) => {}
        }
    }
    Chapter {
        title: c.title.clone(),
        file: c.source.clone(),
        paragraphs,
    }
}

/// Every finding of the book with the default configuration.
pub fn check(book: &Book) -> Vec<Finding> {
    check_with(book, &Config::default())
}

/// Every finding of the book with a profile's `[checks]`.
pub fn check_with(book: &Book, config: &Config) -> Vec<Finding> {
    crate::check::run(&disclosure(book), config)
}
