//! Column widths from content, like a browser's automatic table layout:
//! each column's minimum (its widest unbreakable piece) and preferred (its
//! longest line) width; amount columns exactly as wide as their widest
//! number; short text columns get their whole line first, the long text
//! columns (绩效目标, 绩效指标) share the rest in proportion to how much
//! they still want. The result always fits the width given.

/// What one column needs, padding included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Need {
    /// Narrowest width that breaks nothing it may not break.
    pub min: f32,
    /// Width of its longest unbroken line.
    pub max: f32,
    /// Amount and percent columns: no wider than needed.
    pub fixed: bool,
    /// Width the column's header label needs to stay on one line, padding
    /// included: spare width goes to it before text columns grow.
    pub header: f32,
}

/// A cell spanning several columns: those columns together need `min`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SpanNeed {
    /// First column.
    pub col: usize,
    /// Columns covered.
    pub cols: usize,
    /// Width the span needs, padding included.
    pub min: f32,
}

/// A text column first grows to this many ems (or its longest line if
/// shorter) before any column grows past it: about a dozen characters, so a
/// project name column is not squeezed to a sliver by the long 绩效 columns.
pub(crate) const SHORT_TEXT_EMS: f32 = 12.0;

/// Before header labels get their line, every text column grows to this
/// many ems (or its longest line if shorter): 科目名称 is never set one or
/// two characters a line for the sake of a heading.
pub(crate) const READABLE_TEXT_EMS: f32 = 4.0;

const EPS: f32 = 1e-3;

/// Widths of the columns, summing to at most `avail`; to exactly `avail`
/// when the minimums fit. `em` is the body font size in points.
pub(crate) fn widths(needs: &[Need], spans: &[SpanNeed], avail: f32, em: f32) -> Vec<f32> {
    let n = needs.len();
    if n == 0 {
        return Vec::new();
    }
    let mut min: Vec<f32> = needs.iter().map(|c| c.min.max(0.0)).collect();
    let mut max: Vec<f32> = needs.iter().map(|c| c.max.max(c.min).max(0.0)).collect();
    // A spanning cell wider than its columns' minimums widens them evenly.
    for s in spans {
        let end = (s.col + s.cols).min(n);
        if s.col >= end {
            continue;
        }
        let have: f32 = min[s.col..end].iter().sum();
        if s.min > have {
            let add = (s.min - have) / (end - s.col) as f32;
            for i in s.col..end {
                min[i] += add;
                max[i] = max[i].max(min[i]);
            }
        }
    }
    let total_min: f32 = min.iter().sum();
    if total_min >= avail {
        // Nothing to share; squeeze proportionally (the caller shrinks the
        // type when this happens).
        let scale = if total_min > 0.0 {
            avail / total_min
        } else {
            0.0
        };
        return min.iter().map(|m| m * scale).collect();
    }
    let mut w = min.clone();
    let flexible: Vec<bool> = needs.iter().map(|c| !c.fixed).collect();
    let mut budget = avail - total_min;
    let ones: Vec<f32> = (0..n)
        .map(|i| if flexible[i] { 1.0 } else { 0.0 })
        .collect();
    // Phase 1: every flexible column towards a few characters, so a name
    // column is never a sliver of one character per line.
    budget = grow(
        &mut w,
        &text_caps(&flexible, &min, &max, READABLE_TEXT_EMS * em),
        &ones,
        budget,
    );
    // Phase 2: header labels on one line ("对下级单位补助支出",
    // "功能分类科目编码" rather than stacked lines), the columns that need
    // least first, each wholly or not at all: half a label's room saves no
    // line.
    let mut order: Vec<usize> = (0..n).filter(|&i| needs[i].header > w[i] + EPS).collect();
    order.sort_by(|&a, &b| (needs[a].header - w[a]).total_cmp(&(needs[b].header - w[b])));
    for i in order {
        let extra = needs[i].header - w[i];
        if extra <= budget + EPS {
            w[i] = needs[i].header;
            max[i] = max[i].max(w[i]);
            budget = (budget - extra).max(0.0);
        }
    }
    // Phase 3: every flexible column towards min(max, a dozen characters).
    budget = grow(
        &mut w,
        &text_caps(&flexible, &min, &max, SHORT_TEXT_EMS * em),
        &ones,
        budget,
    );
    // Phase 4: towards their longest line, in proportion to what they still
    // want.
    let want: Vec<f32> = (0..n)
        .map(|i| {
            if flexible[i] {
                (max[i] - w[i]).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    budget = grow(&mut w, &max, &want, budget);
    // Phase 5: the table fills the text width, every column growing in
    // proportion to its width so no single text column takes all the slack.
    if budget > EPS {
        let weights: Vec<f32> = w.iter().map(|x| x.max(EPS)).collect();
        let caps = vec![f32::INFINITY; n];
        grow(&mut w, &caps, &weights, budget);
    }
    w
}

/// Flexible columns' longest line, but at most `cap`; fixed columns'
/// minimum.
fn text_caps(flexible: &[bool], min: &[f32], max: &[f32], cap: f32) -> Vec<f32> {
    (0..flexible.len())
        .map(|i| {
            if flexible[i] {
                max[i].min(cap).max(min[i])
            } else {
                min[i]
            }
        })
        .collect()
}

/// Grows `w` towards `caps`, sharing `budget` in proportion to `weights`;
/// returns what is left.
fn grow(w: &mut [f32], caps: &[f32], weights: &[f32], mut budget: f32) -> f32 {
    // Each round caps at least one column or spends the budget, so the loop
    // ends after at most one round per column.
    for _ in 0..=w.len() {
        let active: Vec<usize> = (0..w.len())
            .filter(|&i| weights[i] > 0.0 && w[i] < caps[i] - EPS)
            .collect();
        if active.is_empty() || budget <= EPS {
            break;
        }
        let total: f32 = active.iter().map(|&i| weights[i]).sum();
        let to_cap = active
            .iter()
            .map(|&i| (caps[i] - w[i]) / weights[i])
            .fold(f32::INFINITY, f32::min);
        let scale = (budget / total).min(to_cap);
        for &i in &active {
            let d = weights[i] * scale;
            w[i] = (w[i] + d).min(caps[i]);
            budget -= d;
        }
    }
    budget.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(min: f32, max: f32) -> Need {
        Need {
            min,
            max,
            fixed: false,
            header: min,
        }
    }
    fn amount(w: f32) -> Need {
        Need {
            min: w,
            max: w,
            fixed: true,
            header: w,
        }
    }

    #[test]
    fn amounts_stay_narrow_and_long_text_shares_the_rest() {
        let needs = [
            text(20.0, 200.0),
            amount(50.0),
            amount(50.0),
            text(20.0, 3000.0),
            text(20.0, 5000.0),
        ];
        let w = widths(&needs, &[], 760.0, 10.0);
        assert!((w.iter().sum::<f32>() - 760.0).abs() < 0.01, "{w:?}");
        assert_eq!(w[1], 50.0);
        assert_eq!(w[2], 50.0);
        assert!(w[0] >= 120.0, "name column squeezed: {w:?}");
        assert!(w[4] > w[3] && w[3] > w[0], "{w:?}");
    }

    #[test]
    fn spare_width_first_puts_amount_headers_on_one_line() {
        let mut long_header = amount(50.0);
        long_header.header = 110.0;
        let needs = [text(20.0, 150.0), long_header, amount(50.0)];
        let w = widths(&needs, &[], 400.0, 10.0);
        assert!(w[1] >= 110.0, "{w:?}");
        assert!((w.iter().sum::<f32>() - 400.0).abs() < 0.01, "{w:?}");
        // Labels come before long text grows: the header gets its line
        // even beside a column that wants 3000 points…
        let tight = [text(20.0, 3000.0), long_header, amount(50.0)];
        let w = widths(&tight, &[], 400.0, 10.0);
        assert_eq!((w[1], w[2]), (110.0, 50.0), "{w:?}");
        // …but not before the text column has a few characters, and half
        // a label's room is not given at all.
        let w = widths(&tight, &[], 150.0, 10.0);
        assert_eq!((w[1], w[2]), (50.0, 50.0), "{w:?}");
        assert!((w[0] - 50.0).abs() < 0.01, "{w:?}");
    }

    #[test]
    fn short_tables_fill_the_width_and_never_exceed_it() {
        let w = widths(&[text(10.0, 60.0), amount(40.0)], &[], 500.0, 10.0);
        assert!((w.iter().sum::<f32>() - 500.0).abs() < 0.01);
        // The slack is shared in proportion: the text column keeps its lead.
        assert!(w[1] >= 40.0 && w[0] > w[1], "{w:?}");
        let w = widths(&[amount(300.0), amount(300.0)], &[], 500.0, 10.0);
        assert!(w.iter().sum::<f32>() <= 500.01, "{w:?}");
        let w = widths(
            &[text(10.0, 100.0), text(10.0, 100.0)],
            &[SpanNeed {
                col: 0,
                cols: 2,
                min: 150.0,
            }],
            400.0,
            10.0,
        );
        assert!(w[0] + w[1] >= 150.0);
    }
}
