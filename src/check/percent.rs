//! Percentages in the prose against the figures they are computed from
//! (`text.percent`), in the forms the published books use:
//!
//! - a share: «本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，
//!   占99.79%» (the part and the whole before 其中/主要用于 in the same
//!   sentence), or «…支出2940.05万元，占本年支出合计的100.00%» (the whole
//!   named, found earlier in the paragraph or in the tables);
//! - completion: «年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的
//!   98.20%»;
//! - a change between two years' figures: «2023年当年预算执行数为54.60万元，
//!   2024年预算安排53.84万元，比2023年预算执行数减少1.39%» (the earlier
//!   figure's words name the year the comparison names);
//! - a change by an amount: «机关运行经费支出184.65万元，比2023年度增加2.55
//!   万元，增长1.40%» (the rate of 2.55 on 184.65 − 2.55).
//!
//! A percentage is checked only when both figures are in its sentence (or
//! the whole is named and found); anything else is left alone. Every figure
//! stands for a range — rounded to its last digit, or cut there, as
//! published books do — and the percentage is a finding only when no value
//! in the range it gives rounds to the stated one.

use super::cross::{comparable, last_digit, yuan_factor};
use super::finding::{Finding, Place};
use super::prose::{
    Target, TextAmount, amounts, excerpt_sentence, labelled_target, sentence_at, total_named,
    total_targets,
};
use super::{Chapter, Disclosure, ParagraphKind, fold};
use crate::amount::format_amount;
use crate::model::Unit;
use rust_decimal::Decimal;

/// A figure in 元: its value as written and the range its true value may
/// lie in (rounded to its last digit, or cut there).
#[derive(Debug, Clone, Copy)]
struct Figure {
    at: Decimal,
    low: Decimal,
    high: Decimal,
}

impl Figure {
    fn new(value: Decimal, unit: Unit) -> Option<Figure> {
        if !comparable(value) || value.is_sign_negative() {
            return None;
        }
        let factor = yuan_factor(unit);
        let at = value * factor;
        let digit = last_digit(value, factor);
        Some(Figure {
            at,
            low: (at - digit / Decimal::TWO).max(Decimal::ZERO),
            high: at + digit,
        })
    }

    fn of(a: &TextAmount) -> Option<Figure> {
        Figure::new(a.value, a.unit?)
    }
}

/// How a percentage is computed from its figures.
enum Formula {
    /// part / whole.
    Ratio { part: Figure, whole: Figure },
    /// (new − old) / old.
    Change { new: Figure, old: Figure },
    /// ±delta / (current ∓ delta): the change by an amount, `sign` its
    /// direction.
    Delta {
        delta: Figure,
        current: Figure,
        sign: i8,
    },
}

fn div(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b <= Decimal::ZERO {
        return None;
    }
    a.checked_div(b)?.checked_mul(Decimal::ONE_HUNDRED)
}

impl Formula {
    /// The percentage at the figures as written, and the range it may take
    /// over the figures' ranges.
    fn range(&self) -> Option<(Decimal, Decimal, Decimal)> {
        let hundred = Decimal::ONE_HUNDRED;
        match *self {
            Formula::Ratio { part, whole } => Some((
                div(part.at, whole.at)?,
                div(part.low, whole.high)?,
                div(part.high, whole.low)?,
            )),
            Formula::Change { new, old } => Some((
                div(new.at, old.at)? - hundred,
                div(new.low, old.high)? - hundred,
                div(new.high, old.low)? - hundred,
            )),
            Formula::Delta {
                delta,
                current,
                sign,
            } => {
                if sign > 0 {
                    // δ / (c − δ): up with δ, down with c.
                    Some((
                        div(delta.at, current.at - delta.at)?,
                        div(delta.low, current.high - delta.low)?,
                        div(delta.high, current.low - delta.high)?,
                    ))
                } else {
                    // −δ / (c + δ).
                    Some((
                        -div(delta.at, current.at + delta.at)?,
                        -div(delta.high, current.low + delta.high)?,
                        -div(delta.low, current.high + delta.low)?,
                    ))
                }
            }
        }
    }

    fn describe(&self, unit: &str) -> String {
        let f = |x: &Figure| format!("{}{unit}", format_amount(x.at / unit_factor(unit)));
        match self {
            Formula::Ratio { part, whole } => format!("{} / {}", f(part), f(whole)),
            Formula::Change { new, old } => {
                format!("({} − {}) / {}", f(new), f(old), f(old))
            }
            Formula::Delta {
                delta,
                current,
                sign,
            } => {
                if *sign > 0 {
                    format!("{} / ({} − {})", f(delta), f(current), f(delta))
                } else {
                    format!("−{} / ({} + {})", f(delta), f(current), f(delta))
                }
            }
        }
    }
}

fn unit_factor(unit: &str) -> Decimal {
    match unit {
        "万元" => yuan_factor(Unit::TenThousandYuan),
        "亿元" => yuan_factor(Unit::HundredMillionYuan),
        "千元" => yuan_factor(Unit::ThousandYuan),
        _ => Decimal::ONE,
    }
}

/// Characters that end the words an amount or a percentage belongs to.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | ':' | ';' | ',' | '\n' | '！' | '？'
    )
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '\n')
}

/// How far back a sentence is looked for: the published sentences a
/// percentage stands in are a few hundred characters at most, and the
/// bound keeps a paragraph of thousands of figures from costing figures ×
/// characters.
const MAX_SENTENCE_CHARS: usize = 500;

/// The words before a character offset, back to the last clause break.
fn clause_before(chars: &[char], offset: usize) -> String {
    let floor = offset.saturating_sub(MAX_SENTENCE_CHARS);
    let start = (floor..offset)
        .rev()
        .find(|&p| is_clause_break(chars[p]))
        .map_or(floor, |p| p + 1);
    fold(&chars[start..offset].iter().collect::<String>())
}

fn sentence_start(chars: &[char], offset: usize) -> usize {
    let floor = offset.saturating_sub(MAX_SENTENCE_CHARS);
    (floor..offset)
        .rev()
        .find(|&p| is_sentence_end(chars[p]))
        .map_or(floor, |p| p + 1)
}

const UP: &[&str] = &["增长", "增加", "上升", "提高"];
const DOWN: &[&str] = &["下降", "减少", "降低"];

/// +1 for words of an increase, −1 for a decrease, none for neither or both.
fn direction(words: &str) -> Option<i8> {
    let up = UP.iter().any(|w| words.contains(w));
    let down = DOWN.iter().any(|w| words.contains(w));
    match (up, down) {
        (true, false) => Some(1),
        (false, true) => Some(-1),
        _ => None,
    }
}

/// The word of the other direction: 增加 for 减少, 下降 for 增长 ….
fn opposite(word: &str) -> &'static str {
    match word {
        "增长" | "上升" => "下降",
        "增加" => "减少",
        "提高" => "降低",
        "下降" => "增长",
        "减少" => "增加",
        _ => "提高",
    }
}

/// The year a comparison names: "比2023年预算执行数减少" → "2023".
fn compared_year(words: &str) -> Option<String> {
    let chars: Vec<char> = words.chars().collect();
    (0..chars.len()).find_map(|i| {
        let w = chars.get(i..i + 6)?;
        (matches!(w[0], '比' | '较') && w[1..5].iter().all(char::is_ascii_digit) && w[5] == '年')
            .then(|| w[1..5].iter().collect())
    })
}

/// The whole a share names ("占本年支出合计的" → 本年支出合计): the amount
/// written right after those words earlier in the paragraph, else the
/// table cell of that total.
fn named_whole<'b, 'a>(
    d: &'b Disclosure<'a>,
    chars: &[char],
    before: &[TextAmount],
    name: &str,
) -> Option<(Figure, Option<Target<'b, 'a>>)> {
    let strip = |s: &str| -> String {
        let mut s = s.to_string();
        for suffix in ["为", "是", "共计"] {
            if let Some(t) = s.strip_suffix(suffix) {
                s = t.to_string();
            }
        }
        s
    };
    if let Some(a) = before
        .iter()
        .rev()
        .filter(|a| a.unit.is_some())
        .find(|a| strip(&clause_before(chars, a.offset)).ends_with(name))
    {
        return Figure::of(a).map(|f| (f, None));
    }
    let summary = super::cross::by_rank(d, 1);
    let target = match name {
        "本年支出合计" | "本年收入合计" | "支出总计" | "收入总计" => {
            labelled_target(summary, |l| l == name)
        }
        _ => total_named(name).and_then(|what| total_targets(d, what, false).into_iter().next()),
    }?;
    let unit = target.unit()?;
    Figure::new(target.value, unit).map(|f| (f, Some(target)))
}

/// The formula of the percentage `p` (the `j`-th amount of the paragraph),
/// if its figures are at hand; with the table cell it uses, if one.
fn formula<'b, 'a>(
    d: &'b Disclosure<'a>,
    chars: &[char],
    all: &[TextAmount],
    j: usize,
) -> Option<(Formula, Option<Target<'b, 'a>>)> {
    let p = &all[j];
    let start = sentence_start(chars, p.offset);
    // The figures since the last percentage of the sentence.
    let since = all[..j]
        .iter()
        .rev()
        .find(|a| a.unit.is_none())
        .map_or(start, |a| a.end.max(start));
    let mut money: Vec<&TextAmount> = all[..j]
        .iter()
        .rev()
        .take_while(|a| a.offset >= since)
        .filter(|a| a.unit.is_some())
        .collect();
    money.reverse();
    let lead = clause_before(chars, p.offset);
    if let Some(at) = lead.find('占') {
        let part = Figure::of(money.last()?)?;
        let named = &lead[at + '占'.len_utf8()..];
        if let Some(name) = named.strip_suffix('的').filter(|n| !n.is_empty()) {
            let (whole, cell) = named_whole(d, chars, &all[..j], name)?;
            return Some((Formula::Ratio { part, whole }, cell));
        }
        // The whole is the figure before 其中 / 主要用于 in the sentence.
        let sentence: String = chars[start..money.last()?.offset].iter().collect();
        let marker = ["其中", "主要用于", "包括"]
            .iter()
            .filter_map(|m| sentence.find(m))
            .min()?;
        let marker = start + sentence[..marker].chars().count();
        let whole = all[..j]
            .iter()
            .rev()
            .take_while(|a| a.offset >= start)
            .find(|a| a.unit.is_some() && a.offset < marker)?;
        return Some((
            Formula::Ratio {
                part,
                whole: Figure::of(whole)?,
            },
            None,
        ));
    }
    if lead.contains("完成") && lead.contains("预算") {
        let [.., whole, part] = money.as_slice() else {
            return None;
        };
        if !clause_before(chars, whole.offset).contains("预算") {
            return None;
        }
        return Some((
            Formula::Ratio {
                part: Figure::of(part)?,
                whole: Figure::of(whole)?,
            },
            None,
        ));
    }
    direction(&lead)?;
    let last = money.last()?;
    let last_words = clause_before(chars, last.offset);
    if let Some(sign) = direction(&last_words) {
        // A change by an amount: the current figure stands before it, in
        // this sentence or, when this one opens with 与…相比, the last.
        let opens_comparison = {
            let s: String = fold(&chars[start..last.offset].iter().collect::<String>());
            s.starts_with('与') || s.starts_with('同')
        };
        let from = if opens_comparison {
            sentence_start(chars, start.saturating_sub(1))
        } else {
            start
        };
        let current = all[..j]
            .iter()
            .rev()
            .take_while(|a| a.offset >= from)
            .find(|a| {
                a.unit.is_some() && a.offset < last.offset && {
                    let w = clause_before(chars, a.offset);
                    direction(&w).is_none() && !w.contains('比') && !w.contains('较')
                }
            })?;
        return Some((
            Formula::Delta {
                delta: Figure::of(last)?,
                current: Figure::of(current)?,
                sign,
            },
            None,
        ));
    }
    // A change between two figures: the earlier one's words name the year
    // the comparison names ("比2023年…", "2023年当年预算执行数为…").
    let year = compared_year(&lead)?;
    let year = format!("{year}年");
    if last_words.contains(&year) {
        return None;
    }
    let old = money
        .iter()
        .rev()
        .skip(1)
        .find(|a| clause_before(chars, a.offset).contains(&year))?;
    Some((
        Formula::Change {
            new: Figure::of(last)?,
            old: Figure::of(old)?,
        },
        None,
    ))
}

/// Whether a percentage written as `stated` (its sign the words' direction)
/// may be a value in `[low, high]` rounded to the stated digits.
fn agrees(stated: Decimal, low: Decimal, high: Decimal) -> bool {
    let half = Decimal::new(5, stated.scale() + 1);
    low <= stated + half && high >= stated - half
}

fn check_paragraph(d: &Disclosure, ch: &Chapter, n: usize, text: &str, out: &mut Vec<Finding>) {
    let all = amounts(text);
    if !all.iter().any(|a| a.unit.is_none()) {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    for (j, p) in all.iter().enumerate() {
        if p.unit.is_some() {
            continue;
        }
        let Some((formula, cell)) = formula(d, &chars, &all, j) else {
            continue;
        };
        let Some((at, low, high)) = formula.range() else {
            continue;
        };
        let lead = clause_before(&chars, p.offset);
        let sign = match formula {
            Formula::Ratio { .. } => 1,
            _ => match direction(&lead) {
                Some(s) => s,
                None => continue,
            },
        };
        let stated = p.value * Decimal::from(sign);
        if agrees(stated, low, high) {
            continue;
        }
        let unit = all[..j]
            .iter()
            .rev()
            .find_map(|a| a.unit)
            .map_or("元", Unit::name);
        // A change is shown with its word (增加17.62%, and what the figures
        // give in the same words: 减少91.11%).
        let (said, meant) = match formula {
            Formula::Ratio { .. } => ("", ""),
            _ => {
                let said = UP
                    .iter()
                    .chain(DOWN)
                    .filter_map(|w| lead.rfind(w).map(|at| (at, *w)))
                    .max()
                    .map_or("", |(_, w)| w);
                let up = !at.is_sign_negative();
                let meant = if (sign > 0) == up {
                    said
                } else {
                    opposite(said)
                };
                (said, meant)
            }
        };
        let shown = format!("{said}{}%", p.written);
        let computed = format!(
            "{meant}{}%",
            format_amount(at.abs().round_dp(p.value.scale().max(2)))
        );
        let source = match &cell {
            Some(t) => format!(" ({})", t.describe()),
            None => String::new(),
        };
        out.push(
            Finding::new(
                "text.percent",
                Place::text(&ch.title, &ch.file, n, p.offset),
                format!(
                    "“{}” says {shown}, but {}{source} = {computed}",
                    excerpt_sentence(&sentence_at(&chars, p.offset)),
                    formula.describe(unit),
                ),
            )
            .values(shown, computed),
        );
    }
}

/// Adds the percentage findings of a disclosure.
pub fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    for ch in &d.chapters {
        for (i, p) in ch.paragraphs.iter().enumerate() {
            if p.kind != ParagraphKind::Heading {
                check_paragraph(d, ch, i + 1, &p.text, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Paragraph;

    fn findings(text: &str) -> Vec<Finding> {
        let d = Disclosure {
            chapters: vec![Chapter {
                title: "说明".into(),
                file: String::new(),
                paragraphs: vec![Paragraph {
                    text: text.into(),
                    kind: ParagraphKind::Paragraph,
                }],
            }],
            ..Disclosure::default()
        };
        let mut out = Vec::new();
        check(&d, &mut out);
        out
    }

    #[test]
    fn the_published_forms_agree_within_their_rounding() {
        for ok in [
            "本年收入合计2946.25万元，其中： 财政拨款收入2940.05万元，占99.79%；其他收入6.2万元，占0.21%；",
            "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。",
            "2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，比2023年预算执行数减少1.39%。",
            // 57.8 is written to one decimal: 57.75–57.85 gives 2.12–2.31 %.
            "2025年当年预算执行数为59.11万元，2026年预算安排57.8万元，比2025年预算执行数减少2.21%。",
            "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。",
            "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。",
            "一般公共预算财政拨款支出2940.05万元，占一般公共预算财政拨款支出的100.00%。",
            // Nothing to compute from: left alone.
            "2022年当年预算执行数为0万元，2023年预算安排0.31万元，比2022年预算执行数增加100.00%。",
            "财政拨款收入3,121.42万元，比2024年预算增加3.5%。",
            "满意度不低于80%。",
        ] {
            let f = findings(ok);
            assert!(f.is_empty(), "{ok}: {f:#?}");
        }
    }

    #[test]
    fn a_percentage_its_figures_do_not_give_is_found() {
        // Published: 2106.66 / 2940.05 is 71.65 %, the book says 71.73 %.
        let f = findings(
            "一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；社会保障和就业支出（类）326.72万元，占11.11%；",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, "text.percent");
        assert_eq!(f[0].found.as_deref(), Some("71.73%"));
        assert_eq!(f[0].expected.as_deref(), Some("71.65%"));
        assert!(
            f[0].message.contains("2,106.66万元 / 2,940.05万元"),
            "{}",
            f[0].message
        );
        // A decrease called an increase (43269.3 for 3269.30).
        let f = findings(
            "2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，比2025年预算执行数增加17.62%。",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found.as_deref(), Some("增加17.62%"));
        assert_eq!(f[0].expected.as_deref(), Some("减少91.11%"));
        // The change's words against the rate's.
        let f = findings("机关运行经费支出184.65万元，比2023年度增加2.55万元，下降1.40%。");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].found.as_deref(), Some("下降1.40%"));
        assert_eq!(f[0].expected.as_deref(), Some("增长1.40%"));
        // Completion.
        let f = findings("年初预算为100.00万元，支出决算为90.00万元，完成年初预算的95.00%。");
        assert_eq!(f[0].expected.as_deref(), Some("90.00%"), "{f:#?}");
        assert_eq!(f[0].place.offset, Some(34));
    }
}
