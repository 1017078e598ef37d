//! Fitted column widths in twips: the shared fitting routine
//! ([`crate::write::fit`]) gives widths in points and the type sizes; here
//! they become the `w:gridCol` widths, adding up to exactly the text width.

use crate::amount::{format_amount, format_percent};
use crate::model::{Table, Value};
use crate::profile::Profile;
use crate::write::fit::{Fitter, Sizes};
use crate::write::pdf::fonts::FontBook;

/// Twips per point.
pub(crate) const TWIPS_PER_PT: f32 = 20.0;

/// The text a writer shows for a value.
pub fn display(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(t) => t.clone(),
        Value::Amount(d) => format_amount(*d),
        Value::Percent(d) => format_percent(*d),
    }
}

/// A table fitted to a DOCX text width.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Column widths in twips, adding up to the text width.
    pub twips: Vec<u32>,
    /// Type sizes of the header, text and amounts.
    pub sizes: Sizes,
}

/// Fits `table` to `total_twips` with the profile's table sizes and the
/// faces of `book`.
pub fn fit_table_with(
    table: &Table,
    profile: &Profile,
    book: &FontBook,
    total_twips: u32,
) -> Fitted {
    let resolved = crate::grid::resolve(table);
    let fitter = Fitter::new(table, &resolved, book, &profile.table);
    let fitted = fitter.fit(total_twips as f32 / TWIPS_PER_PT);
    Fitted {
        twips: to_twips(&fitted.widths, total_twips),
        sizes: fitted.sizes,
    }
}

/// Widths in points as twips adding up to exactly `total_twips` (the
/// widest column takes the rounding), or to less when the points do.
fn to_twips(widths: &[f32], total_twips: u32) -> Vec<u32> {
    let mut twips: Vec<u32> = widths
        .iter()
        .map(|w| (w * TWIPS_PER_PT).round().max(0.0) as u32)
        .collect();
    let points: f32 = widths.iter().sum();
    let sum: u32 = twips.iter().sum();
    // Only a table that spans the width is made to span it exactly.
    if (points * TWIPS_PER_PT - total_twips as f32).abs() < widths.len() as f32 + 1.0
        && let Some((i, _)) = twips.iter().enumerate().max_by_key(|(_, w)| **w)
    {
        if sum < total_twips {
            twips[i] += total_twips - sum;
        } else {
            twips[i] = twips[i].saturating_sub(sum - total_twips);
        }
    }
    twips
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twips_add_up_to_the_text_width() {
        let t = to_twips(&[100.05, 200.05, 300.05], 12003);
        assert_eq!(t.iter().sum::<u32>(), 12003, "{t:?}");
        assert_eq!(t[0], 2001);
        // A table narrower than the text width (minimums squeezed) stays so.
        let t = to_twips(&[10.0, 10.0], 12000);
        assert_eq!(t, vec![200, 200]);
    }
}
