//! Column widths from content: amounts and codes as narrow as their widest
//! value, text columns sharing the rest, long-text columns (绩效目标,
//! 绩效指标) the widest; the widths always add up to the text width.
//!
//! Widths are measured in half-em units (a CJK character is 2, an ASCII
//! character 1, as `unicode-width` counts them) and turned into twips at
//! the body font size.

use crate::model::{ColumnKind, Table, Value};
use crate::normalize::amount::{format_amount, format_percent};
use unicode_width::UnicodeWidthStr;

/// Narrowest text column: four CJK characters.
const MIN_TEXT_UNITS: f64 = 8.0;

/// Narrowest amount or code column, even when it is empty: three CJK
/// characters, enough for a wrapped header.
const MIN_NUMBER_UNITS: f64 = 6.0;

/// Extra room in amount and code columns: bold totals and fonts whose
/// digits are a little wider than half an em must still fit on one line.
const NUMBER_SLACK_UNITS: f64 = 2.0;

/// Longest unbreakable Latin word a text column is made wide enough for;
/// longer ones (URLs) may break.
const MAX_WORD_UNITS: f64 = 24.0;

/// Lines a header label of a narrow column may wrap to before the column
/// widens for it.
const HEADER_LINES: f64 = 2.0;

/// Smallest and preferred width of one column, in half-em units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    /// Narrowest width without breaking a number or a word.
    pub min: f64,
    /// Width at which nothing wraps (text) or the header wraps at most
    /// into [`HEADER_LINES`] (numbers).
    pub pref: f64,
    /// Width at which nothing wraps at all, the header included.
    pub full: f64,
    /// Whether the column takes the room left over.
    pub text: bool,
}

/// The text a writer shows for a value.
pub fn display(value: &Value) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(t) => t.clone(),
        Value::Amount(d) => format_amount(*d),
        Value::Percent(d) => format_percent(*d),
    }
}

fn width(s: &str) -> f64 {
    s.split('\t').map(UnicodeWidthStr::width).sum::<usize>() as f64
        + 4.0 * s.matches('\t').count() as f64
}

/// The widest piece of `s` that cannot break: a run of non-CJK,
/// non-space characters, or one CJK character.
fn longest_word(s: &str) -> f64 {
    let mut best = 0.0f64;
    let mut run = 0.0f64;
    for ch in s.chars() {
        let w = UnicodeWidthStr::width(ch.encode_utf8(&mut [0; 4]) as &str) as f64;
        if ch.is_whitespace() || w >= 2.0 {
            best = best.max(run).max(if ch.is_whitespace() { 0.0 } else { w });
            run = 0.0;
        } else {
            run += w;
        }
    }
    best.max(run).min(MAX_WORD_UNITS)
}

/// Measures every column of a table.
pub fn measure(table: &Table) -> Vec<Measure> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let texts: Vec<String> = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(c))
                .filter(|cell| cell.col_span.get() == 1)
                .map(|cell| display(&cell.value))
                .collect();
            let natural = texts
                .iter()
                .flat_map(|t| t.lines())
                .map(width)
                .fold(0.0, f64::max);
            let header = col.name.lines().map(width).fold(0.0, f64::max);
            match col.kind {
                ColumnKind::Amount | ColumnKind::Percent | ColumnKind::Code => {
                    let min = (natural + NUMBER_SLACK_UNITS).max(MIN_NUMBER_UNITS);
                    let pref = min.max((header / HEADER_LINES).ceil() + NUMBER_SLACK_UNITS);
                    Measure {
                        min,
                        pref,
                        full: pref.max(header + NUMBER_SLACK_UNITS),
                        text: false,
                    }
                }
                ColumnKind::Text => {
                    let word = texts
                        .iter()
                        .map(|t| longest_word(t))
                        .fold(longest_word(&col.name), f64::max);
                    let min = word.max(MIN_TEXT_UNITS);
                    let pref = natural.max(header).max(min);
                    Measure {
                        min,
                        pref,
                        full: pref,
                        text: true,
                    }
                }
            }
        })
        .collect()
}

/// Shares `available` half-em units among columns: if everything fits
/// without any wrapping, every column grows in proportion to its content
/// (so text columns stay the wide ones); otherwise every column gets its
/// minimum, number columns grow towards
/// their preferred width first, then text columns share the rest by
/// water-filling weighted with the square root of how much more they want
/// (so a column of long 绩效指标 text gets more than a column of names,
/// but the names still get some).
pub fn distribute(measures: &[Measure], available: f64) -> Vec<f64> {
    let n = measures.len();
    if n == 0 {
        return Vec::new();
    }
    let sum_min: f64 = measures.iter().map(|m| m.min).sum();
    let sum_full: f64 = measures.iter().map(|m| m.full).sum();
    if sum_min >= available {
        let scale = available / sum_min.max(f64::MIN_POSITIVE);
        return measures.iter().map(|m| m.min * scale).collect();
    }
    let any_text = measures.iter().any(|m| m.text);
    if sum_full <= available {
        let extra = available - sum_full;
        return measures
            .iter()
            .map(|m| {
                if sum_full > 0.0 {
                    m.full + extra * m.full / sum_full
                } else {
                    available / n as f64
                }
            })
            .collect();
    }
    let mut widths: Vec<f64> = measures.iter().map(|m| m.min).collect();
    let mut extra = available - sum_min;
    // Number columns towards their preferred width (the header on two
    // lines), at most half of the room.
    let number_want: f64 = measures
        .iter()
        .filter(|m| !m.text || !any_text)
        .map(|m| m.pref - m.min)
        .sum();
    if number_want > 0.0 {
        let give = number_want.min(if any_text { extra / 2.0 } else { extra });
        for (w, m) in widths.iter_mut().zip(measures) {
            if !m.text || !any_text {
                *w += give * (m.pref - m.min) / number_want;
            }
        }
        extra -= give;
    }
    // Text columns: weighted water-filling up to their preferred widths.
    let mut open: Vec<usize> = (0..n)
        .filter(|&i| measures[i].text && measures[i].pref > widths[i])
        .collect();
    while extra > 1e-9 && !open.is_empty() {
        let weight: f64 = open
            .iter()
            .map(|&i| (measures[i].pref - measures[i].min).max(1.0).sqrt())
            .sum();
        let mut used = 0.0;
        for &i in &open {
            let share = extra * (measures[i].pref - measures[i].min).max(1.0).sqrt() / weight;
            let give = share.min(measures[i].pref - widths[i]);
            widths[i] += give;
            used += give;
        }
        extra -= used;
        open.retain(|&i| measures[i].pref - widths[i] > 1e-9);
        if used <= 1e-9 {
            break;
        }
    }
    if extra > 1e-9 {
        // Everything reached its preferred width (cannot happen when the
        // preferred widths did not fit, but keep the sum exact).
        let last = widths.len() - 1;
        widths[last] += extra;
    }
    widths
}

/// Column widths in twips that add up to exactly `total_twips`: content
/// widths at `twips_per_unit`, plus `padding_twips` on each side of a cell.
pub fn column_twips(
    table: &Table,
    total_twips: u32,
    twips_per_unit: f64,
    padding_twips: u32,
) -> Vec<u32> {
    let n = table.columns.len();
    if n == 0 {
        return Vec::new();
    }
    let padding = f64::from(2 * padding_twips) * n as f64;
    let available = ((f64::from(total_twips) - padding) / twips_per_unit).max(n as f64);
    let units = distribute(&measure(table), available);
    let mut twips: Vec<u32> = units
        .iter()
        .map(|u| (u * twips_per_unit).floor().max(0.0) as u32 + 2 * padding_twips)
        .collect();
    // Rounding: the widest column takes the difference.
    let sum: u32 = twips.iter().sum();
    if let Some((i, _)) = twips.iter().enumerate().max_by_key(|(_, w)| **w) {
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

    fn m(min: f64, pref: f64, text: bool) -> Measure {
        Measure {
            min,
            pref,
            full: pref,
            text,
        }
    }

    #[test]
    fn words() {
        assert_eq!(longest_word("3,593.00"), 8.0);
        assert_eq!(longest_word("企业 abc"), 3.0);
        assert_eq!(longest_word("企业"), 2.0);
    }

    #[test]
    fn roomy_tables_grow_every_column_with_its_content() {
        let w = distribute(&[m(8.0, 20.0, true), m(10.0, 10.0, false)], 60.0);
        assert_eq!(w, vec![40.0, 20.0]);
    }

    #[test]
    fn tight_tables_favour_long_text_but_keep_names_readable() {
        let ms = [
            m(8.0, 30.0, true),   // names
            m(10.0, 10.0, false), // amount
            m(8.0, 120.0, true),  // 绩效目标
            m(8.0, 400.0, true),  // 绩效指标
        ];
        let w = distribute(&ms, 120.0);
        assert!((w.iter().sum::<f64>() - 120.0).abs() < 1e-6, "{w:?}");
        assert_eq!(w[1], 10.0);
        assert!(w[3] > w[2] && w[2] > w[0], "{w:?}");
        assert!(w[0] >= 14.0, "names get room too: {w:?}");
    }

    #[test]
    fn too_narrow_scales_the_minimums() {
        let w = distribute(&[m(30.0, 30.0, false), m(30.0, 30.0, false)], 30.0);
        assert_eq!(w, vec![15.0, 15.0]);
    }
}
