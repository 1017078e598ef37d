//! The budget year and the units: every table title and the prose's
//! titles, headings and opening words speak of the budget year, and the
//! prose's comparisons name an earlier one (`year.mismatch`); a table's 单位 line fits its magnitudes
//! (`unit.magnitude`, a conservative heuristic).

use super::finding::{Finding, Place};
use super::{Disclosure, ParagraphKind, TableView};
use crate::amount::format_amount;
use crate::model::{Cell, Unit};
use rust_decimal::Decimal;

/// Years gongkai reads as budget years in titles (a 20xx year).
fn year_at(chars: &[char], i: usize) -> Option<String> {
    let w = chars.get(i..i + 5)?;
    (w[0] == '2' && w[1] == '0' && w[..4].iter().all(char::is_ascii_digit) && w[4] == '年')
        .then(|| w[..4].iter().collect())
}

/// The first "20xx年" of a text, with its character offset, not inside a
/// longer number.
pub fn first_year(text: &str) -> Option<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| {
        if i > 0 && chars[i - 1].is_ascii_digit() {
            return None;
        }
        year_at(&chars, i).map(|y| (i, y))
    })
}

/// The year most titles name (the earliest on a tie), if any does.
pub fn budget_year<'s>(titles: impl Iterator<Item = &'s str>) -> Option<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, y) in titles.filter_map(first_year) {
        match counts.iter_mut().find(|(x, _)| *x == y) {
            Some((_, n)) => *n += 1,
            None => counts.push((y, 1)),
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(y, _)| y)
}

/// Adds the year findings of a disclosure.
pub fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    let Some(year) = d
        .year
        .clone()
        .or_else(|| budget_year(d.tables.iter().map(|t| t.title.as_str())))
    else {
        return;
    };
    for t in &d.tables {
        if let Some((_, y)) = first_year(&t.title)
            && y != year
        {
            let mut place = Place::table(&t.name);
            place.file = t.file.clone();
            out.push(
                Finding::new(
                    "year.mismatch",
                    place,
                    format!("the title speaks of {y}年, the budget year is {year}年"),
                )
                .values(format!("{y}年"), format!("{year}年")),
            );
        }
    }
    comparisons(d, &year, out);
    for ch in &d.chapters {
        let title = std::iter::once((0, ch.title.as_str(), true));
        let rest = ch
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| (i + 1, p.text.as_str(), p.kind == ParagraphKind::Heading));
        for (n, text, heading) in title.chain(rest) {
            let trimmed = text.trim_start();
            let lead = text.chars().count() - trimmed.chars().count();
            let found = if heading {
                first_year(trimmed)
            } else {
                // A paragraph that opens with a year ("2025年，…收入预算")
                // says which year it is about; later years in it are
                // comparisons and dates.
                first_year(trimmed)
                    .filter(|(at, _)| *at == 0)
                    .filter(|_| !trimmed.chars().nth(5).is_some_and(|c| c.is_ascii_digit()))
            };
            if let Some((at, y)) = found
                && y != year
            {
                let place = Place::text(&ch.title, &ch.file, n, lead + at);
                let what = if n == 0 {
                    "the chapter title"
                } else if heading {
                    "the heading"
                } else {
                    "the paragraph"
                };
                out.push(
                    Finding::new(
                        "year.mismatch",
                        place,
                        format!(
                            "{what} speaks of {y}年, the budget year is {year}年: “{}”",
                            excerpt(text)
                        ),
                    )
                    .values(format!("{y}年"), format!("{year}年")),
                );
            }
        }
    }
}

/// The years a text compares with ("比2024年预算增加", "与 2023 年度相比",
/// "较2024年"): each with the character offset of its first digit.
fn compared_years(text: &str) -> Vec<(usize, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '比' | '较' | '与') {
            continue;
        }
        let mut k = i + 1;
        while chars.get(k).is_some_and(|c| c.is_whitespace()) {
            k += 1;
        }
        let digits: String = chars.iter().skip(k).take(4).collect();
        if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut e = k + 4;
        while chars.get(e).is_some_and(|c| c.is_whitespace()) {
            e += 1;
        }
        if chars.get(e) == Some(&'年')
            && let Ok(y) = digits.parse()
        {
            out.push((k, y));
        }
    }
    out
}

/// Adds a finding for each comparison in the prose that names the budget
/// year itself or a later one ("比2026年预算增加" in the 2026 budget): a
/// change is against an earlier year. A 决算 compares the year's spending
/// with the same year's budget (较2024年年初预算), so there only a later
/// year is one.
fn comparisons(d: &Disclosure, year: &str, out: &mut Vec<Finding>) {
    let Ok(budget) = year.parse::<u32>() else {
        return;
    };
    let final_accounts = d.tables.iter().any(|t| t.title.contains("决算"))
        || d.chapters.iter().any(|c| c.title.contains("决算"));
    let first_wrong = if final_accounts { budget + 1 } else { budget };
    for ch in &d.chapters {
        for (i, p) in ch.paragraphs.iter().enumerate() {
            let chars: Vec<char> = p.text.chars().collect();
            for (at, y) in compared_years(&p.text) {
                if y < first_wrong {
                    continue;
                }
                let sentence =
                    super::prose::excerpt_sentence(&super::prose::sentence_at(&chars, at));
                out.push(
                    Finding::new(
                        "year.mismatch",
                        Place::text(&ch.title, &ch.file, i + 1, at),
                        format!(
                            "“{sentence}” compares with {y}年, but the budget year is {budget}年: a change is against an earlier year"
                        ),
                    )
                    .values(format!("{y}年"), format!("{}年", budget - 1)),
                );
            }
        }
    }
}

/// The first characters of a text, for messages.
pub fn excerpt(text: &str) -> String {
    /// Characters of a paragraph quoted in a finding.
    const EXCERPT_CHARS: usize = 60;
    let t = text.trim();
    if t.chars().count() <= EXCERPT_CHARS {
        t.to_string()
    } else {
        let mut s: String = t.chars().take(EXCERPT_CHARS).collect();
        s.push('…');
        s
    }
}

/// A department's table in 万元 whose largest amount reaches this (1,000
/// 亿元) is in 元 whatever its 单位 line says.
const MAX_PLAUSIBLE_WAN: i64 = 10_000_000;
/// A department's table in 元 whose largest amount stays below this is
/// most probably in 万元.
const MIN_PLAUSIBLE_YUAN: i64 = 100;

/// The `unit.magnitude` finding of a table, if its amounts do not fit its
/// 单位 line.
pub fn magnitude(t: &TableView) -> Option<Finding> {
    let unit = t.table.unit?;
    let max = t
        .table
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().filter_map(Cell::amount))
        .map(|d| d.abs())
        .max()?;
    let message = match unit {
        Unit::TenThousandYuan if max >= Decimal::from(MAX_PLAUSIBLE_WAN) => format!(
            "the 单位 line says 万元 but the largest amount is {} (over {} 万元, i.e. 1,000 亿元): the amounts look like 元",
            format_amount(max),
            MAX_PLAUSIBLE_WAN
        ),
        Unit::Yuan if !max.is_zero() && max < Decimal::from(MIN_PLAUSIBLE_YUAN) => format!(
            "the 单位 line says 元 but the largest amount is {} (under {MIN_PLAUSIBLE_YUAN} 元): the amounts look like 万元",
            format_amount(max)
        ),
        _ => return None,
    };
    let mut place = Place::table(&t.name);
    place.file = t.file.clone();
    Some(Finding::new("unit.magnitude", place, message).values(format_amount(max), unit.name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Chapter, Paragraph, ParagraphKind};

    #[test]
    fn comparisons_name_their_year() {
        assert_eq!(
            compared_years("比2024年预算增加107.62万元，与 2023 年度相比，较2022年"),
            vec![(1, 2024), (21, 2023), (32, 2022)]
        );
        assert!(compared_years("截至2024年8月31日，2025年预算").is_empty());
    }

    fn findings(chapter: &str, text: &str) -> Vec<Finding> {
        let d = Disclosure {
            chapters: vec![Chapter {
                title: chapter.into(),
                file: String::new(),
                paragraphs: vec![Paragraph {
                    text: text.into(),
                    kind: ParagraphKind::Paragraph,
                }],
            }],
            year: Some("2024".into()),
            ..Disclosure::default()
        };
        let mut out = Vec::new();
        check(&d, &mut out);
        out
    }

    #[test]
    fn a_budget_compares_with_an_earlier_year_a_final_account_with_its_own_too() {
        let same = "支出决算为2940.05万元，较2024年年初预算减少53.87万元。";
        let later = "支出决算为2940.05万元，比2025年预算减少53.87万元。";
        assert_eq!(findings("2024年部门预算编制说明", same).len(), 1);
        assert!(findings("2024年度部门决算情况说明", same).is_empty());
        let f = findings("2024年度部门决算情况说明", later);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].found.as_deref(), Some("2025年"));
        assert_eq!(f[0].expected.as_deref(), Some("2023年"));
        assert_eq!(f[0].place.offset, Some(16));
    }
}
