//! The prose against the tables. Amounts in the text (`3,121.42万元`,
//! `873,617元`) are read with their unit and matched to the cells they
//! name: a 科目 in quotes («“一般公共服务支出（类）财政事务（款）行政运行
//! （项）”1,623.18万元» → the row with that path in the 一般公共预算支出表,
//! 支出总表 or 收入总表), a 科目 with its codes and no quotes right before
//! it («公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元») or a
//! total named just before the amount (收入预算, 支出预算, 财政拨款收入,
//! 基本支出, “三公”经费, 机关运行经费 …). Year-on-year amounts
//! (比2024年减少2.70万元) are compared only where a table gives the
//! previous year (the 三公 table's 增减额 row); percentages are compared in
//! `percent`. A difference beyond the rounding of the stated figure is
//! `text.amount`; the right figure in the wrong unit is `text.unit-slip`.
//!
//! Also: paragraphs repeated in a chapter (`text.repeated`), numbered
//! paragraphs that skip or repeat a number (`text.numbering`), and an
//! empty-table statement naming another fund than its table's
//! (`text.empty-statement-fund`).

use super::complete::{fund_named, is_empty_statement};
use super::cross::{by_rank, comparable, last_digit, strip_outline, written_as, yuan_factor};
use super::finding::{Finding, Place};
use super::tables::cell_place;
use super::years::excerpt;
use super::{Chapter, Disclosure, ParagraphKind, TableView, fold};
use crate::amount::format_amount;
use crate::model::{Cell, ColumnKind, RowKind, Unit};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An amount written in the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TextAmount {
    /// Character offset of its first digit in the paragraph.
    pub offset: usize,
    /// Character offset just after its unit.
    pub end: usize,
    /// The number as written ("3,121.42").
    pub written: String,
    /// Its value.
    pub value: Decimal,
    /// Its unit; `None` for a percentage.
    pub unit: Option<Unit>,
}

/// The amounts of a text with a money unit or a percent sign.
pub(super) fn amounts(text: &str) -> Vec<TextAmount> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0
                || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.' || chars[i - 1] == ','));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].is_ascii_digit()
                || (matches!(chars[j], ',' | '.')
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
        {
            j += 1;
        }
        let written: String = chars[i..j].iter().collect();
        let mut k = j;
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        let rest: String = chars[k..chars.len().min(k + 2)].iter().collect();
        let (unit, len) = if rest.starts_with("万元") {
            (Some(Unit::TenThousandYuan), 2)
        } else if rest.starts_with("亿元") {
            (Some(Unit::HundredMillionYuan), 2)
        } else if rest.starts_with("千元") {
            (Some(Unit::ThousandYuan), 2)
        } else if rest.starts_with('元') {
            (Some(Unit::Yuan), 1)
        } else if rest.starts_with('%') || rest.starts_with('％') {
            (None, 1)
        } else {
            i = j.max(i + 1);
            continue;
        };
        if let Ok(value) = Decimal::from_str(&written.replace(',', "")) {
            out.push(TextAmount {
                offset: i,
                end: k + len,
                written,
                value,
                unit,
            });
        }
        i = k + len;
    }
    out
}

/// What an amount names.
#[derive(Debug, Clone, PartialEq)]
enum Named {
    /// A 科目 path in quotes.
    Subject(Vec<String>),
    /// A total by its name.
    Total(&'static str),
}

/// Characters that end the words an amount belongs to.
fn is_clause_break(c: char) -> bool {
    matches!(c, '，' | '。' | '；' | '：' | ':' | ';' | ',' | '、' | '\n')
}

/// Words that make an amount a change against another year or a part.
const COMPARISONS: &[&str] = &[
    "增加", "减少", "增长", "下降", "持平", "比", "较", "一致", "节约", "压减",
];

/// The 科目 path of a quoted name: “一般公共服务支出（类）财政事务（款）行政
/// 运行（项）” → [一般公共服务支出, 财政事务, 行政运行].
pub(super) fn subject_path(quoted: &str) -> Option<Vec<String>> {
    let f = fold(quoted);
    let mut out = Vec::new();
    let mut rest = f.as_str();
    for level in ['类', '款', '项'] {
        let Some((start, end)) = level_marker(rest, level) else {
            break;
        };
        out.push(rest[..start].to_string());
        rest = &rest[end..];
    }
    (!out.is_empty() && out.iter().all(|s| !s.is_empty())).then_some(out)
}

/// Where the first marker of a 科目 level stands in folded text: "(类)", or
/// with the level's code, "(204类)" (as 司法局's books write them).
fn level_marker(s: &str, level: char) -> Option<(usize, usize)> {
    s.match_indices('(').find_map(|(i, _)| {
        let after = &s[i + 1..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let tail = after[digits..].strip_prefix(level)?.strip_prefix(')')?;
        Some((i, s.len() - tail.len()))
    })
}

/// The sign of a year-on-year change named just before an amount
/// ("比2024年减少", "较上年增加"): −1 for a decrease, 1 for an increase.
fn change_sign(chars: &[char], offset: usize) -> Option<i8> {
    let start = (0..offset)
        .rev()
        .find(|&p| is_clause_break(chars[p]))
        .map_or(0, |p| p + 1);
    let clause: String = chars[start..offset].iter().collect();
    if !(clause.contains('比') || clause.contains('较')) {
        return None;
    }
    let clause = clause.trim_end();
    if clause.ends_with("减少") || clause.ends_with("下降") {
        Some(-1)
    } else if clause.ends_with("增加") || clause.ends_with("增长") {
        Some(1)
    } else {
        None
    }
}

/// What the words just before an amount name, if anything gongkai knows.
fn named(chars: &[char], offset: usize) -> Option<Named> {
    // A quoted 科目 right before the amount.
    let mut k = offset;
    while k > 0 && chars[k - 1] == ' ' {
        k -= 1;
    }
    if k > 0 && matches!(chars[k - 1], '”' | '"') {
        let close = k - 1;
        let open = (0..close).rev().find(|&p| matches!(chars[p], '“' | '"'))?;
        let quoted: String = chars[open + 1..close].iter().collect();
        return subject_path(&quoted).map(Named::Subject);
    }
    let start = (0..offset)
        .rev()
        .find(|&p| is_clause_break(chars[p]))
        .map_or(0, |p| p + 1);
    let clause: String = chars[start..offset].iter().collect();
    // A 科目 path without quotes right before the amount: "1、公共安全支出
    // （204类）司法（06款）行政运行（01项）1672.67万元".
    let bare = fold(strip_outline(&clause));
    if bare.ends_with(')')
        && let Some(path) = subject_path(&bare)
    {
        return Some(Named::Subject(path));
    }
    if COMPARISONS.iter().any(|w| clause.contains(w)) {
        return None;
    }
    let label: String = fold(&clause)
        .chars()
        .filter(|c| !matches!(c, '“' | '”' | '"' | '‘' | '’' | '\''))
        .collect();
    total_named(&label).map(Named::Total)
}

/// The total a label names ("…收入预算为" → 收入预算), if gongkai knows it;
/// `label` is folded, without quotes.
pub(super) fn total_named(label: &str) -> Option<&'static str> {
    let mut label = label;
    for suffix in ["总额为", "共计", "合计为", "为", "是", "共"] {
        if let Some(s) = label.strip_suffix(suffix) {
            label = s;
            break;
        }
    }
    let ends = |words: &[&str]| words.iter().any(|w| label.ends_with(w));
    let fund_words = ["拨款", "一般公共预算", "政府性基金", "国有资本"];
    let total = if ends(&["财政拨款收入"]) {
        "财政拨款收入"
    } else if ends(&["财政拨款支出预算", "财政拨款支出"]) {
        "财政拨款支出"
    } else if ends(&[
        "一般公共预算拨款支出预算",
        "一般公共预算支出预算",
        "一般公共预算拨款支出",
    ]) {
        "一般公共预算支出"
    } else if ends(&["收入预算", "收入预算总额", "收入总预算"])
        && !fund_words.iter().any(|w| label.contains(w))
    {
        "收入预算"
    } else if ends(&["支出预算", "支出预算总额", "支出总预算"])
        && !fund_words.iter().any(|w| label.contains(w))
    {
        "支出预算"
    } else if ends(&["基本支出", "基本支出预算"]) && !label.contains("项目") {
        "基本支出"
    } else if ends(&["项目支出", "项目支出预算"]) {
        "项目支出"
    } else if label.contains("三公") && ends(&["经费预算数", "经费预算", "经费"]) {
        "三公经费"
    } else if ends(&["因公出国(境)费"]) {
        "因公出国（境）费"
    } else if ends(&["公务用车购置及运行费", "公务车购置及运行费"]) {
        "公务用车购置及运行费"
    } else if ends(&["公务用车购置费"]) {
        "公务用车购置费"
    } else if ends(&["公务用车运行费", "公务车用车运行费", "公务用车运行维护费"])
    {
        "公务用车运行费"
    } else if ends(&["公务接待费"]) {
        "公务接待费"
    } else if ends(&["机关运行经费预算", "机关运行经费"]) {
        "机关运行经费"
    } else {
        return None;
    };
    Some(total)
}

/// A cell a text amount is compared with.
pub(super) struct Target<'b, 'a> {
    pub(super) table: &'b TableView<'a>,
    pub(super) place: Place,
    pub(super) value: Decimal,
}

impl Target<'_, '_> {
    pub(super) fn unit(&self) -> Option<Unit> {
        self.table.table.unit
    }

    pub(super) fn describe(&self) -> String {
        format!(
            "{} = {}{}",
            self.place,
            format_amount(self.value),
            self.unit().map_or("", Unit::name)
        )
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| fold(s).replace('它', "他");
    norm(a) == norm(b)
}

/// The first amount column of a table (its 合计).
fn first_amount_col(t: &TableView) -> Option<usize> {
    t.table
        .columns
        .iter()
        .position(|c| c.kind == ColumnKind::Amount)
}

fn subject_targets<'b, 'a>(d: &'b Disclosure<'a>, path: &[String]) -> Vec<Target<'b, 'a>> {
    let mut out = Vec::new();
    for rank in [5, 3, 2] {
        let Some(t) = by_rank(d, rank) else { continue };
        let Some(col) = first_amount_col(t) else {
            continue;
        };
        let mut stack: Vec<String> = Vec::new();
        for row in &t.table.rows {
            if row.kind == RowKind::Total || row.level == 0 {
                continue;
            }
            let Some(label) = t.table.row_label(row) else {
                continue;
            };
            let level = usize::from(row.level);
            stack.truncate(level.saturating_sub(1));
            while stack.len() + 1 < level {
                stack.push(String::new());
            }
            stack.push(label.to_string());
            let matches =
                stack.len() == path.len() && stack.iter().zip(path).all(|(a, b)| same_name(a, b));
            if matches && let Some(value) = row.cells.get(col).and_then(Cell::amount) {
                out.push(Target {
                    table: t,
                    place: cell_place(&t.name, t.table, row, None, Some(col)),
                    value,
                });
                break;
            }
        }
    }
    out
}

/// The cell to the right of a row label satisfying `matches`.
pub(super) fn labelled_target<'b, 'a>(
    t: Option<&'b TableView<'a>>,
    matches: impl Fn(&str) -> bool,
) -> Option<Target<'b, 'a>> {
    let t = t?;
    for row in &t.table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            if cell
                .text()
                .is_some_and(|x| matches(&fold(strip_outline(x))))
            {
                let (k, value) = row.cells[c + 1..]
                    .iter()
                    .enumerate()
                    .take_while(|(_, n)| n.text().is_none())
                    .find_map(|(k, n)| n.amount().map(|v| (k, v)))?;
                return Some(Target {
                    table: t,
                    place: cell_place(&t.name, t.table, row, Some(c), Some(c + 1 + k)),
                    value,
                });
            }
        }
    }
    None
}

/// The first total row's cell in the first column satisfying `matches`;
/// a blank cell of a total row is zero.
fn column_total_target<'b, 'a>(
    t: Option<&'b TableView<'a>>,
    matches: impl Fn(&str, &[String]) -> bool,
) -> Option<Target<'b, 'a>> {
    let t = t?;
    let col = t.table.columns.iter().position(|c| {
        c.kind == ColumnKind::Amount
            && matches(
                &fold(&c.name),
                &c.path.iter().map(|p| fold(p)).collect::<Vec<_>>(),
            )
    })?;
    let row = t.table.rows.iter().find(|r| r.kind == RowKind::Total)?;
    // A total row without any amount gives no total (a header line read
    // as one); a blank cell of a total row with amounts is zero.
    if !row.cells.iter().any(|c| c.amount().is_some()) {
        return None;
    }
    let value = match row.cells.get(col).map(|c| &c.value) {
        Some(crate::model::Value::Amount(d)) => *d,
        Some(crate::model::Value::Empty) | None => Decimal::ZERO,
        _ => return None,
    };
    Some(Target {
        table: t,
        place: cell_place(&t.name, t.table, row, None, Some(col)),
        value,
    })
}

/// The row of the 三公 table for the budget year: the row naming the year
/// (2025年预算数), else the first row with amounts that is no change.
fn sangong_target<'b, 'a>(
    d: &'b Disclosure<'a>,
    year: Option<&str>,
    change: bool,
    matches: impl Fn(&str, &[String]) -> bool,
) -> Option<Target<'b, 'a>> {
    let t = by_rank(d, 7)?;
    let col = t.table.columns.iter().position(|c| {
        c.kind == ColumnKind::Amount
            && matches(
                &fold(&c.name),
                &c.path.iter().map(|p| fold(p)).collect::<Vec<_>>(),
            )
    })?;
    let text_of = |r: &crate::model::Row| -> String {
        r.cells
            .iter()
            .filter_map(Cell::text)
            .collect::<Vec<_>>()
            .join("")
    };
    let with_amounts: Vec<&crate::model::Row> = t
        .table
        .rows
        .iter()
        .filter(|r| r.cells.iter().any(|c| c.amount().is_some()))
        .collect();
    let row = if change {
        // The change against the previous year: the 增减额 row, when the
        // table has the previous year's figures.
        with_amounts
            .iter()
            .find(|r| text_of(r).contains("增减"))
            .copied()
    } else {
        None
    };
    if change && row.is_none() {
        return None;
    }
    let row = row
        .or_else(|| {
            year.and_then(|y| {
                with_amounts
                    .iter()
                    .find(|r| text_of(r).contains(&format!("{y}年")))
                    .copied()
            })
        })
        .or_else(|| {
            with_amounts
                .iter()
                .find(|r| {
                    let s = text_of(r);
                    !COMPARISONS.iter().any(|w| s.contains(w))
                        && !s.contains("增减")
                        && !s.contains("上年")
                })
                .copied()
        })?;
    let value = match row.cells.get(col).map(|c| &c.value) {
        Some(crate::model::Value::Amount(d)) => *d,
        Some(crate::model::Value::Empty) | None => Decimal::ZERO,
        _ => return None,
    };
    Some(Target {
        table: t,
        place: cell_place(&t.name, t.table, row, None, Some(col)),
        value,
    })
}

/// The cells a named total may be; with `change`, the cells of its change
/// against the previous year (only the 三公 table has them).
pub(super) fn total_targets<'b, 'a>(
    d: &'b Disclosure<'a>,
    what: &str,
    change: bool,
) -> Vec<Target<'b, 'a>> {
    let summary = by_rank(d, 1);
    let spending = by_rank(d, 3);
    let fiscal = by_rank(d, 4);
    let general = by_rank(d, 5);
    let year = d.year.as_deref();
    let total_name = |n: &str, _: &[String]| n == "合计" || n == "总计";
    let car_group = |p: &[String]| p.iter().any(|x| x.contains("公务用车购置及运行"));
    let is_sangong = matches!(
        what,
        "三公经费"
            | "因公出国（境）费"
            | "公务用车购置及运行费"
            | "公务用车购置费"
            | "公务用车运行费"
            | "公务接待费"
    );
    if change && !is_sangong {
        return Vec::new();
    }
    let found: Vec<Option<Target>> = match what {
        "收入预算" => vec![
            labelled_target(summary, |l| l.ends_with("收入总计")),
            labelled_target(summary, |l| l == "本年收入合计" || l == "本年收入"),
        ],
        "支出预算" => vec![
            labelled_target(summary, |l| l.ends_with("支出总计")),
            labelled_target(summary, |l| l == "本年支出合计" || l == "本年支出"),
            column_total_target(spending, total_name),
        ],
        "财政拨款收入" => vec![
            labelled_target(fiscal, |l| l == "本年收入合计" || l.ends_with("收入总计")),
            labelled_target(summary, |l| l == "财政拨款收入" || l == "财政拨款"),
        ],
        "财政拨款支出" => vec![labelled_target(fiscal, |l| {
            l == "本年支出合计" || l.ends_with("支出总计")
        })],
        "一般公共预算支出" => vec![column_total_target(general, total_name)],
        "基本支出" => vec![
            column_total_target(spending, |n, _| n == "基本支出"),
            column_total_target(general, |n, _| n == "基本支出"),
        ],
        "项目支出" => vec![
            column_total_target(spending, |n, _| n == "项目支出"),
            column_total_target(general, |n, _| n == "项目支出"),
        ],
        "三公经费" => vec![sangong_target(d, year, change, |n, p| {
            (n == "合计" || n == "小计") && !car_group(p)
        })],
        "因公出国（境）费" => vec![sangong_target(d, year, change, |n, _| {
            n.contains("因公出国")
        })],
        "公务用车购置及运行费" => vec![sangong_target(d, year, change, |n, p| {
            n.contains("公务用车购置及运行") || (n == "小计" && car_group(p))
        })],
        "公务用车购置费" => vec![sangong_target(d, year, change, |n, p| {
            n.contains("购置费")
                && !n.contains("及运行")
                && (n.contains("公务用车") || car_group(p))
        })],
        "公务用车运行费" => vec![sangong_target(d, year, change, |n, p| {
            n.contains("运行")
                && !n.contains("购置")
                && !n.contains("机关运行")
                && (n.contains("公务用车") || car_group(p))
        })],
        "公务接待费" => vec![sangong_target(d, year, change, |n, _| {
            n.contains("公务接待")
        })],
        "机关运行经费" => vec![sangong_target(d, year, change, |n, _| {
            n.contains("机关运行经费")
        })],
        _ => Vec::new(),
    };
    found.into_iter().flatten().collect()
}

/// The sentence of a paragraph around a character offset.
pub(super) fn sentence_at(chars: &[char], offset: usize) -> String {
    let start = (0..offset)
        .rev()
        .find(|&p| matches!(chars[p], '。' | '；' | '\n'))
        .map_or(0, |p| p + 1);
    let end = (offset..chars.len())
        .find(|&p| matches!(chars[p], '。' | '；' | '\n'))
        .map_or(chars.len(), |p| p + 1);
    chars[start..end]
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Compares one amount with its targets.
fn compare(
    ch: &Chapter,
    n: usize,
    chars: &[char],
    a: &TextAmount,
    targets: &[Target],
    out: &mut Vec<Finding>,
) {
    let Some(unit) = a.unit else { return };
    if targets.is_empty() || !comparable(a.value) || targets.iter().any(|t| !comparable(t.value)) {
        return;
    }
    let factor = yuan_factor(unit);
    let written = a.value * factor;
    let digit = last_digit(a.value, factor);
    let in_yuan = |t: &Target| t.value * t.unit().map_or(factor, yuan_factor);
    if targets
        .iter()
        .any(|t| written_as(written, digit, in_yuan(t)))
    {
        return;
    }
    let place = Place::text(&ch.title, &ch.file, n, a.offset);
    let sentence = excerpt_sentence(&sentence_at(chars, a.offset));
    let stated = format!("{}{}", a.written, unit.name());
    let first = &targets[0];
    let slip_factor = match unit {
        Unit::Yuan => Some(Decimal::from(10_000)),
        Unit::TenThousandYuan => Some(Decimal::new(1, 4)),
        _ => None,
    };
    if let Some(f) = slip_factor
        && targets
            .iter()
            .any(|t| written_as(written * f, digit * f, in_yuan(t)))
    {
        let other = if unit == Unit::Yuan { "万元" } else { "元" };
        out.push(
            Finding::new(
                "text.unit-slip",
                place,
                format!(
                    "“{sentence}” says {stated}, but {}: the figure is in {other}, not {}",
                    first.describe(),
                    unit.name()
                ),
            )
            .values(stated, first.describe()),
        );
        return;
    }
    out.push(
        Finding::new(
            "text.amount",
            place,
            format!(
                "“{sentence}” says {stated}, but {} (difference {}{})",
                first.describe(),
                format_amount(
                    ((written - in_yuan(first)) / factor)
                        .round_dp(4)
                        .normalize()
                ),
                unit.name()
            ),
        )
        .values(stated, first.describe()),
    );
}

pub(super) fn excerpt_sentence(s: &str) -> String {
    /// Characters of a sentence quoted in a finding.
    const SENTENCE_CHARS: usize = 120;
    if s.chars().count() <= SENTENCE_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(SENTENCE_CHARS).collect();
        t.push('…');
        t
    }
}

fn amounts_against_tables(d: &Disclosure, ch: &Chapter, out: &mut Vec<Finding>) {
    for (i, p) in ch.paragraphs.iter().enumerate() {
        if p.kind == ParagraphKind::Heading {
            continue;
        }
        let chars: Vec<char> = p.text.chars().collect();
        // The total named last in the sentence, which a change refers to
        // ("“三公”经费预算28.50万元，比2024年减少2.70万元").
        let mut last: Option<(usize, &'static str)> = None;
        for a in amounts(&p.text) {
            let sentence = (0..a.offset)
                .rev()
                .find(|&k| matches!(chars[k], '。' | '；'))
                .map_or(0, |k| k + 1);
            let targets = match named(&chars, a.offset) {
                Some(Named::Subject(path)) => subject_targets(d, &path),
                Some(Named::Total(what)) => {
                    last = Some((sentence, what));
                    total_targets(d, what, false)
                }
                None => {
                    let Some((_, what)) = last.filter(|(at, _)| *at == sentence) else {
                        continue;
                    };
                    let Some(sign) = change_sign(&chars, a.offset) else {
                        continue;
                    };
                    let targets = total_targets(d, what, true);
                    let signed = TextAmount {
                        value: a.value * Decimal::from(sign),
                        ..a.clone()
                    };
                    compare(ch, i + 1, &chars, &signed, &targets, out);
                    continue;
                }
            };
            compare(ch, i + 1, &chars, &a, &targets, out);
        }
    }
}

/// A paragraph's number as its outline level and value: "7." → (3, 7),
/// "（二）" → (2, 2), "三、" → (1, 3).
pub(super) fn numbering(text: &str) -> Option<(u8, u32)> {
    let t = text.trim_start();
    // "4．2025年部门…": a full-width point is never a decimal point, so a
    // year may follow it (the normalizer's outline level reads "4.2025" as
    // a figure).
    let full_width = || {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        (digits > 0 && t[digits..].starts_with('．')).then_some(3)
    };
    let level = crate::classify::outline_level(t).or_else(full_width)?;
    let digits: String = t
        .chars()
        .skip_while(|c| matches!(c, '（' | '('))
        .take_while(|c| !matches!(c, '、' | '.' | '．' | '）' | ')' | ' '))
        .collect();
    let value = digits
        .parse::<u32>()
        .ok()
        .or_else(|| chinese_value(&digits))?;
    Some((level, value))
}

/// 一 → 1, 十 → 10, 十二 → 12, 二十三 → 23.
fn chinese_value(s: &str) -> Option<u32> {
    const DIGITS: &str = "零一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// Numbers that start items run on inside a paragraph, after a sentence
/// or a colon: "…。（八）负责…" (two items on one line), "具体包括： 1. …".
fn inner_numbers(text: &str) -> Vec<(u8, u32)> {
    let mut out = Vec::new();
    for (at, c) in text.char_indices() {
        if matches!(c, '。' | '；' | '：' | ':') {
            let rest = &text[at + c.len_utf8()..];
            if let Some(n) = numbering(rest).filter(|_| !rest.trim().is_empty()) {
                out.push(n);
            }
        }
    }
    out
}

/// Whether a paragraph ends a sentence (or is a heading), so that the next
/// one starts a new one; a line of a paragraph broken over lines does not.
fn ends_sentence(p: &super::Paragraph) -> bool {
    p.kind == ParagraphKind::Heading
        || p.text
            .trim_end()
            .ends_with(['。', '！', '？', '；', '：', '!', '?', ';', ':'])
}

/// The numbers last seen at each outline level (一、 （一） 1. …).
type Numbers = [Option<u32>; 5];

/// The repeats and the numbering of one chapter. `start` holds the numbers
/// the chapter carries on from; returns the numbers at its end.
fn numbering_and_repeats(ch: &Chapter, start: Numbers, out: &mut Vec<Finding>) -> Numbers {
    /// Shorter paragraphs ("详见附表。") may well stand twice.
    const MIN_REPEATED_CHARS: usize = 12;
    // Each paragraph's folded text and where it first stood.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut last: Numbers = start;
    for (i, p) in ch.paragraphs.iter().enumerate() {
        let n = i + 1;
        let key = fold(&p.text);
        // A line that carries on the sentence of the line before (a
        // paragraph broken over lines) is no paragraph of its own: the same
        // words may well stand in two sentences ("100.00%。决算数同预算数持平。").
        let fragment =
            i > 0 && !ends_sentence(&ch.paragraphs[i - 1]) && numbering(&p.text).is_none();
        if p.kind != ParagraphKind::Heading
            && !fragment
            && key.chars().count() >= MIN_REPEATED_CHARS
        {
            if let Some(&first) = seen.get(&key) {
                out.push(
                    Finding::new(
                        "text.repeated",
                        Place::text(&ch.title, &ch.file, n, 0),
                        format!(
                            "paragraph {n} repeats paragraph {first}: “{}”",
                            excerpt(&p.text)
                        ),
                    )
                    .values(format!("paragraph {n}"), format!("paragraph {first}")),
                );
            } else {
                seen.insert(key, n);
            }
        }
        if matches!(p.kind, ParagraphKind::ListItem(_)) {
            continue;
        }
        let inner = inner_numbers(&p.text);
        let follow = |last: &mut Numbers| {
            for &(level, value) in &inner {
                let l = usize::from(level.min(4));
                if value == last[l].map_or(1, |v| v + 1) {
                    last[l] = Some(value);
                    for deeper in last.iter_mut().skip(l + 1) {
                        *deeper = None;
                    }
                }
            }
        };
        let Some((level, value)) = numbering(&p.text) else {
            follow(&mut last);
            continue;
        };
        let l = usize::from(level.min(4));
        let expected = last[l].map_or(1, |v| v + 1);
        // Where the chapter carries on text before a table and nothing at
        // this level came before, its first number cannot be judged.
        let unknown = last[l].is_none() && super::document::is_place_title(&ch.title);
        if value != expected && value != 1 && !unknown {
            let what = if last[l].is_some_and(|v| value <= v) {
                "repeats"
            } else {
                "skips"
            };
            out.push(
                Finding::new(
                    "text.numbering",
                    Place::text(&ch.title, &ch.file, n, 0),
                    format!(
                        "the numbering {what}: {} follows {} (expected {expected}): “{}”",
                        value,
                        last[l].map_or("nothing".to_string(), |v| v.to_string()),
                        excerpt(&p.text)
                    ),
                )
                .values(value.to_string(), expected.to_string()),
            );
        }
        last[l] = Some(value);
        for deeper in last.iter_mut().skip(l + 1) {
            *deeper = None;
        }
        follow(&mut last);
    }
    last
}

fn empty_statement_funds(d: &Disclosure, out: &mut Vec<Finding>) {
    for t in &d.tables {
        let Some(own) = fund_named(&t.title) else {
            continue;
        };
        for note in &t.table.notes {
            if !is_empty_statement(note) {
                continue;
            }
            if let Some(named) = fund_named(note)
                && named != own
            {
                let mut place = Place::table(&t.name);
                place.file = t.file.clone();
                out.push(
                    Finding::new(
                        "text.empty-statement-fund",
                        place,
                        format!("the empty-table statement speaks of {named}, the table is the {own} table: “{}”", excerpt(note)),
                    )
                    .values(named, own),
                );
            }
        }
    }
}

/// Adds the prose findings of a disclosure.
pub(super) fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    empty_statement_funds(d, out);
    // Text after a table without a heading of its own carries on the list
    // the text before the table began ("2." after a table under "1."), be
    // it in that text or in its chapter's numbered title.
    let mut carried: Numbers = [None; 5];
    for ch in &d.chapters {
        let start = if super::document::is_place_title(&ch.title) {
            carried
        } else {
            [None; 5]
        };
        carried = numbering_and_repeats(ch, start, out);
        if let Some((level, value)) = numbering(&ch.title) {
            let l = usize::from(level.min(4));
            carried[l].get_or_insert(value);
        }
        amounts_against_tables(d, ch, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_with_their_units() {
        let a = amounts("收入预算3,121.42万元，其中873,617元；增长3.5%，共 10.00 万元，2025年");
        let got: Vec<(String, Option<Unit>, usize)> = a
            .iter()
            .map(|a| (a.written.clone(), a.unit, a.offset))
            .collect();
        assert_eq!(
            got,
            vec![
                ("3,121.42".into(), Some(Unit::TenThousandYuan), 4),
                ("873,617".into(), Some(Unit::Yuan), 17),
                ("3.5".into(), None, 28),
                ("10.00".into(), Some(Unit::TenThousandYuan), 35),
            ]
        );
        assert_eq!(a[0].value.to_string(), "3121.42");
    }

    #[test]
    fn huge_figures_are_read_and_not_compared() {
        let a = amounts("收入预算99999999999999999999999999万元");
        assert_eq!(a.len(), 1);
        assert!(!comparable(a[0].value));
        assert!(amounts("收入预算999999999999999999999999999999999万元").is_empty());
    }

    #[test]
    fn subjects_and_numbers() {
        assert_eq!(
            subject_path("一般公共服务支出（类）财政事务（款）行政运行（项）"),
            Some(vec![
                "一般公共服务支出".into(),
                "财政事务".into(),
                "行政运行".into()
            ])
        );
        assert_eq!(
            subject_path("社会保障和就业支出（类）行政事业单位养老支出（款）"),
            Some(vec![
                "社会保障和就业支出".into(),
                "行政事业单位养老支出".into()
            ])
        );
        assert_eq!(subject_path("行政运行"), None);
        assert_eq!(
            subject_path("公共安全支出（204类）司法（06款）行政运行（01项）"),
            Some(vec![
                "公共安全支出".into(),
                "司法".into(),
                "行政运行".into()
            ])
        );
        let chars: Vec<char> = "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元"
            .chars()
            .collect();
        assert_eq!(
            named(&chars, 30),
            Some(Named::Subject(vec![
                "公共安全支出".into(),
                "司法".into(),
                "行政运行".into()
            ]))
        );
        assert_eq!(numbering("7.“社会保障”"), Some((3, 7)));
        assert_eq!(numbering("（十二）完成"), Some((2, 12)));
        assert_eq!(numbering("三、政府采购"), Some((1, 3)));
        assert_eq!(numbering("2025年"), None);
    }
}
