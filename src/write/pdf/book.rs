//! The disclosure book as one PDF: [`layout::book`] lays it out, this adds
//! what a reader navigates by — the outline (chapters and the table group
//! at the top level, tables under their group), the 目录's lines linked to
//! their pages, page labels that match the printed numbers — and the
//! document information.

use super::fonts;
use super::layout::book::{BookLayout, PageKind, layout_book};
use super::render::{self, Bookmark, Label, Link, Navigation};
use crate::book::Book;
use crate::write::{RenderOptions, Rendered, WriteError};
use sha2::{Digest, Sha256};

/// Renders the book as PDF.
pub fn write(book: &Book, options: &RenderOptions) -> Result<Rendered, WriteError> {
    write_as(book, options, false)
}

/// Renders the book as PDF/A-2u: the same pages as [`write`], with what
/// [`super::pdfa`] adds.
pub fn write_pdfa(book: &Book, options: &RenderOptions) -> Result<Rendered, WriteError> {
    write_as(book, options, true)
}

fn write_as(book: &Book, options: &RenderOptions, pdfa: bool) -> Result<Rendered, WriteError> {
    let fonts = fonts::FontBook::new(&options.fonts, &options.profile.fonts)?;
    let laid = layout_book(book, &options.profile, &fonts);
    if let Some(e) = fonts.error() {
        return Err(e.into());
    }
    if let Some(w) = laid.warnings.iter().find(|w| {
        w.code == crate::write::pdf::layout::book::PAGE_LIMIT_CODE
            || w.code == crate::write::pdf::layout::paginate::HEADER_TOO_TALL
    }) {
        return Err(WriteError::Layout {
            table: None,
            message: w.to_string(),
        });
    }
    let nav = navigation(&laid);
    let mut info = info(book, options);
    if pdfa {
        info.pdfa = true;
        info.id = super::pdfa::archival_id(&info.id);
    }
    let bytes = render::render_pages(&laid.pages, &fonts, &info, &nav).map_err(WriteError::Pdf)?;
    Ok(Rendered {
        bytes,
        warnings: laid.warnings,
    })
}

/// The outline, the 目录's links and the page labels of a laid-out book.
pub fn navigation(laid: &BookLayout) -> Navigation {
    let mut outline: Vec<Bookmark> = Vec::new();
    let mut links = Vec::new();
    for e in &laid.entries {
        let mark = Bookmark {
            title: e.title.clone(),
            page: e.page,
            children: Vec::new(),
        };
        match (e.depth, outline.last_mut()) {
            (0, _) | (_, None) => outline.push(mark),
            (_, Some(parent)) => parent.children.push(mark),
        }
        if let Some((page, rect)) = e.contents_line {
            links.push(Link {
                page,
                rect,
                target: e.page,
            });
        }
    }
    // Page labels: the viewer shows 封面, 目录, then the printed numbers.
    let mut labels = Vec::new();
    let mut previous: Option<PageKind> = None;
    for (i, kind) in laid.kinds.iter().enumerate() {
        let label = match kind {
            PageKind::Cover => Some(Label::Named("封面".into())),
            PageKind::Contents => Some(Label::Named("目录".into())),
            PageKind::Chapter | PageKind::Tables => None,
        };
        match label {
            Some(l) if previous != Some(*kind) => labels.push((i, l)),
            None if laid.numbers.get(i).copied().flatten() == Some(1) => {
                labels.push((i, Label::Numbers))
            }
            _ => {}
        }
        previous = Some(*kind);
    }
    Navigation {
        links,
        outline,
        labels,
    }
}

/// Title (the book's), author (the department), subject, dates and the
/// document id, all from the book.
pub(crate) fn info(book: &Book, options: &RenderOptions) -> render::Info {
    // The trailer /ID names this book's content rendered with these
    // options: its Markdown form holds every word and number of it.
    let mut h = Sha256::new();
    h.update(crate::write::markdown::book::write(book));
    h.update(options.created.to_le_bytes());
    h.update(options.profile.id_text().as_bytes());
    h.update(book.title.as_bytes());
    h.update(book.department.as_bytes());
    let digest = h.finalize();
    let mut id = [0u8; 16];
    for (dst, src) in id.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    let parts: Vec<String> = book
        .toc()
        .into_iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, t)| t)
        .collect();
    render::Info {
        title: book.title.clone(),
        author: book.department.clone(),
        subject: format!("预算信息公开：{}", parts.join("；")),
        created: options.created,
        id,
        pdfa: false,
    }
}
