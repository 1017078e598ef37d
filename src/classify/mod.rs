//! Text classifiers: what a line near a table, a row label or a table
//! title is, by its words alone. Readers, normalization, the checks and the
//! book all ask these questions; the answers depend only on the text (and on
//! [`crate::model`] for the meta lines), so this module sits below all of them.

mod labels;
mod lines;
mod titles;

pub(crate) use labels::{
    code_prefix_levels, is_subtotal_label, is_total_label, outline_level, outline_levels,
};
pub(crate) use lines::{is_note_start, looks_like_meta, parse_meta};
pub(crate) use titles::{STANDARD_TABLE_ORDER, rank_in, standard_rank};
