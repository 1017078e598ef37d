//! The PDF public version: our own table layout engine and PDF writer.
//!
//! [`fonts`] knows the faces (bundled and the profile's), [`layout`] turns
//! the document into pages of positioned glyph runs, rules and fills with
//! no PDF types, and [`render`] writes those pages (fonts subset by
//! [`subset`]) and makes no layout decisions. The same input and options give the same
//! bytes, whatever else the process (or the font store) rendered before.

pub mod book;
pub mod fonts;
pub mod layout;
pub mod object;
pub mod pdfa;
pub mod render;
pub mod subset;

use super::{RenderOptions, Rendered, WriteError};
use crate::model::Document;
use sha2::{Digest, Sha256};

/// Renders the document as PDF.
pub fn write(doc: &Document, options: &RenderOptions) -> Result<Rendered, WriteError> {
    write_as(doc, options, false)
}

/// Renders the document as PDF/A-2u: the same pages as [`write`], with
/// what [`pdfa`] adds.
pub fn write_pdfa(doc: &Document, options: &RenderOptions) -> Result<Rendered, WriteError> {
    write_as(doc, options, true)
}

fn write_as(doc: &Document, options: &RenderOptions, pdfa: bool) -> Result<Rendered, WriteError> {
    let fonts = fonts::FontBook::new(&options.fonts, &options.profile.fonts)?;
    let laid = layout::layout_document(doc, &options.profile, &fonts);
    if let Some(e) = fonts.error() {
        return Err(e.into());
    }
    if let Some(stop) = laid.over_limit {
        return Err(stop.into());
    }
    let mut info = info(doc, options);
    if pdfa {
        info.pdfa = true;
        info.id = pdfa::archival_id(&info.id);
    }
    let bytes = render::render(&laid, &fonts, &info).map_err(WriteError::Pdf)?;
    Ok(Rendered {
        bytes,
        warnings: laid.warnings,
    })
}

/// Title, author, subject, dates and the document id, all from the input.
pub(crate) fn info(doc: &Document, options: &RenderOptions) -> render::Info {
    let file = std::path::Path::new(&doc.source.path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = doc
        .title()
        .map(str::to_string)
        .unwrap_or_else(|| file.clone());
    let titles: Vec<&str> = doc
        .tables
        .iter()
        .filter_map(|t| t.title.as_deref())
        .collect();
    let subject = if titles.is_empty() {
        format!("预算信息公开：{file}")
    } else {
        format!("预算信息公开：{}", titles.join("；"))
    };
    // The trailer /ID names this input rendered with these options.
    let mut h = Sha256::new();
    h.update(doc.source.sha256.as_bytes());
    h.update(options.created.to_le_bytes());
    h.update(options.profile.id_text().as_bytes());
    h.update(title.as_bytes());
    let digest = h.finalize();
    let mut id = [0u8; 16];
    for (dst, src) in id.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    render::Info {
        title,
        author: doc.department().unwrap_or_default().to_string(),
        subject,
        created: options.created,
        id,
        pdfa: false,
    }
}
