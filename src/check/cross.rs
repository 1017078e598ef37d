//! Totals that must agree between the standard tables: both halves of a
//! 收支总表, 收支总表 against 收入总表 and 支出总表, the 财政拨款 and
//! 一般公共预算 amounts of 收支总表, 财政拨款收支总表, 收入总表 and
//! 一般公共预算支出表, and the 基本支出 of 一般公共预算支出表 against the
//! 基本支出表. Tables in different units are compared in 元, within the
//! rounding of the coarser one; a pair that agrees only with one 单位 line
//! changed is a `cross.unit` finding.

use super::finding::{Finding, Place};
use super::{Disclosure, TableView, fold};
use crate::amount::format_amount;
use crate::classify::standard_rank;
use crate::model::{Cell, RowKind, Unit};
use rust_decimal::Decimal;

/// The factor that turns an amount in `unit` into 元.
pub(super) fn yuan_factor(unit: Unit) -> Decimal {
    match unit {
        Unit::Yuan => Decimal::ONE,
        Unit::ThousandYuan => Decimal::from(1_000),
        Unit::TenThousandYuan => Decimal::from(10_000),
        Unit::HundredMillionYuan => Decimal::from(100_000_000),
    }
}

/// A label without its outline number ("一、财政拨款收入" → "财政拨款收入").
pub(super) fn strip_outline(label: &str) -> &str {
    let t = label.trim();
    if crate::classify::outline_level(t).is_some() {
        for sep in ['、', '.', '．', '）', ')'] {
            if let Some(pos) = t.find(sep) {
                return t[pos + sep.len_utf8()..].trim_start();
            }
        }
    }
    t
}

/// The amount next to a label: the first amount cell to the right of the
/// first text cell whose folded text (without outline number) satisfies
/// `matches`.
pub(super) fn labelled(t: &TableView, matches: impl Fn(&str) -> bool) -> Option<Decimal> {
    for row in &t.table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            if cell
                .text()
                .is_some_and(|x| matches(&fold(strip_outline(x))))
            {
                return row.cells[c + 1..]
                    .iter()
                    .take_while(|n| n.text().is_none())
                    .find_map(Cell::amount);
            }
        }
    }
    None
}

/// The value of the first total row in the first column whose name
/// satisfies `matches` (the last total row when `last`).
pub(super) fn total_in(
    t: &TableView,
    last: bool,
    matches: impl Fn(&str) -> bool,
) -> Option<Decimal> {
    let col = t
        .table
        .columns
        .iter()
        .position(|c| matches(&fold(&c.name)))?;
    let mut totals = t.table.rows.iter().filter(|r| r.kind == RowKind::Total);
    let row = if last {
        totals.next_back()
    } else {
        totals.next()
    }?;
    row.cells.get(col).and_then(Cell::amount)
}

/// The value, in the first column whose name satisfies `matches`, of the
/// row labelled 本年支出合计: a 决算 book's 财政拨款收支总表 goes on below it
/// with the year-end balances to a 总计 that includes them.
fn this_year_in(t: &TableView, matches: impl Fn(&str) -> bool) -> Option<Decimal> {
    let col = t
        .table
        .columns
        .iter()
        .position(|c| matches(&fold(&c.name)))?;
    t.table
        .rows
        .iter()
        .find(|r| {
            r.cells.iter().any(|c| {
                c.text()
                    .is_some_and(|x| fold(strip_outline(x)) == "本年支出合计")
            })
        })
        .and_then(|r| r.cells.get(col))
        .and_then(Cell::amount)
}

/// The first table of a standard rank.
pub(super) fn by_rank<'b, 'a>(d: &'b Disclosure<'a>, rank: usize) -> Option<&'b TableView<'a>> {
    d.tables.iter().find(|t| {
        standard_rank(&t.title).or_else(|| t.file.as_deref().and_then(standard_rank)) == Some(rank)
    })
}

struct Fact<'b, 'a> {
    table: &'b TableView<'a>,
    what: &'static str,
    value: Decimal,
}

fn fact<'b, 'a>(
    table: Option<&'b TableView<'a>>,
    what: &'static str,
    value: impl Fn(&TableView<'a>) -> Option<Decimal>,
) -> Option<Fact<'b, 'a>> {
    let table = table?;
    value(table).map(|value| Fact { table, what, value })
}

/// Amounts beyond this (1,000 万亿) are not compared across units: their
/// products with the unit factors could leave the range of a decimal.
pub(super) const MAX_COMPARED_AMOUNT: i64 = 1_000_000_000_000_000;

/// Whether an amount is small enough to compare across units.
pub(super) fn comparable(value: Decimal) -> bool {
    value.abs() <= Decimal::from(MAX_COMPARED_AMOUNT)
}

/// One unit of the last decimal place a value is written with, in 元
/// (0.01万元 = 100元 for "3,121.42" in 万元).
pub(super) fn last_digit(value: Decimal, factor: Decimal) -> Decimal {
    Decimal::new(1, value.scale()) * factor
}

/// Whether `actual` (in 元) may be written as `written` (in 元) with
/// digits down to `unit` (in 元): rounded (within half a unit) or cut off
/// (published books often truncate: 877,080元 as 87.70万元).
pub(super) fn written_as(written: Decimal, unit: Decimal, actual: Decimal) -> bool {
    let diff = actual.abs() - written.abs();
    let same_sign = written.is_zero()
        || actual.is_zero()
        || written.is_sign_negative() == actual.is_sign_negative();
    same_sign && ((diff.abs() * Decimal::TWO) <= unit || (diff >= Decimal::ZERO && diff < unit))
}

fn agree(a: Option<Fact>, b: Option<Fact>, out: &mut Vec<Finding>) {
    let (Some(a), Some(b)) = (a, b) else { return };
    if !comparable(a.value) || !comparable(b.value) {
        return;
    }
    let (ua, ub) = (a.table.table.unit, b.table.table.unit);
    let same_unit = ua == ub || ua.is_none() || ub.is_none();
    let (fa, fb) = if same_unit {
        (Decimal::ONE, Decimal::ONE)
    } else {
        (
            ua.map_or(Decimal::ONE, yuan_factor),
            ub.map_or(Decimal::ONE, yuan_factor),
        )
    };
    let (ya, yb) = (a.value * fa, b.value * fb);
    let agrees = if same_unit || fa == fb {
        ya == yb
    } else if fa > fb {
        // a is in the coarser unit: it is b rounded or cut to a's digits.
        written_as(ya, last_digit(a.value, fa), yb)
    } else {
        written_as(yb, last_digit(b.value, fb), ya)
    };
    if agrees {
        return;
    }
    let shown = |f: &Fact, u: Option<Unit>| match (same_unit, u) {
        (false, Some(u)) => format!("{}{}", format_amount(f.value), u.name()),
        _ => format_amount(f.value),
    };
    let place = Place::table(&format!("'{}' and '{}'", a.table.title, b.table.title));
    let ten_thousand = Decimal::from(10_000);
    // The same digits under different 单位 lines, or digits 10,000 apart
    // under the same one: a 单位 line (or the figures' unit) is wrong.
    let slip = !a.value.is_zero()
        && ((!same_unit && a.value == b.value)
            || (same_unit
                && (a.value == b.value * ten_thousand || b.value == a.value * ten_thousand)));
    if slip {
        out.push(
            Finding::new(
                "cross.unit",
                place,
                format!(
                    "{} {} in '{}' and {} {} in '{}' agree only if one of the 单位 lines ({} / {}) is wrong",
                    a.what,
                    shown(&a, ua),
                    a.table.title,
                    b.what,
                    shown(&b, ub),
                    b.table.title,
                    ua.map_or("none", Unit::name),
                    ub.map_or("none", Unit::name),
                ),
            )
            .values(shown(&a, ua), shown(&b, ub)),
        );
        return;
    }
    let diff = if same_unit {
        format_amount(a.value - b.value)
    } else {
        format!("{}元", format_amount(ya - yb))
    };
    out.push(
        Finding::new(
            "cross.total",
            place,
            format!(
                "{} {} in '{}' ≠ {} {} in '{}' (difference {diff})",
                a.what,
                shown(&a, ua),
                a.table.title,
                b.what,
                shown(&b, ub),
                b.table.title,
            ),
        )
        .values(shown(&a, ua), shown(&b, ub)),
    );
}

fn is_total_name(c: &str) -> bool {
    c == "合计" || c == "总计"
}

/// Adds the findings between the tables of `d`.
pub(super) fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    let summary = by_rank(d, 1);
    let income = by_rank(d, 2);
    let spending = by_rank(d, 3);
    let fiscal = by_rank(d, 4);
    let general = by_rank(d, 5);
    let basic = by_rank(d, 6);

    // Both halves of a 收支总表 end in the same grand total.
    for t in [summary, fiscal] {
        agree(
            fact(t, "收入总计", |t| {
                labelled(t, |l| l.ends_with("收入总计"))
            }),
            fact(t, "支出总计", |t| {
                labelled(t, |l| l.ends_with("支出总计"))
            }),
            out,
        );
    }
    let this_year_income = |t: &TableView| {
        labelled(t, |l| l == "本年收入合计" || l == "本年收入")
            .or_else(|| labelled(t, |l| l.ends_with("收入总计")))
    };
    let this_year_spending = |t: &TableView| {
        labelled(t, |l| l == "本年支出合计" || l == "本年支出")
            .or_else(|| labelled(t, |l| l.ends_with("支出总计")))
    };
    agree(
        fact(summary, "本年收入合计", this_year_income),
        fact(income, "合计", |t| total_in(t, false, is_total_name)),
        out,
    );
    agree(
        fact(summary, "本年支出合计", this_year_spending),
        fact(spending, "合计", |t| total_in(t, false, is_total_name)),
        out,
    );
    // 财政拨款: the income line of the summary, the 财政拨款收支总表's
    // income and the 收入总表's 财政拨款收入 column.
    let fiscal_income = |t: &TableView| labelled(t, |l| l == "财政拨款收入" || l == "财政拨款");
    agree(
        fact(summary, "财政拨款收入", fiscal_income),
        fact(fiscal, "本年收入合计", this_year_income),
        out,
    );
    agree(
        fact(summary, "财政拨款收入", fiscal_income),
        fact(income, "财政拨款收入", |t| {
            total_in(t, false, |c| c == "财政拨款收入" || c == "财政拨款")
        }),
        out,
    );
    // 一般公共预算: the income line of the summary, the 财政拨款 summary and
    // the 一般公共预算支出表's total.
    let general_income = |t: &TableView| {
        labelled(t, |l| {
            l.contains("一般公共预算")
                && (l.contains("收入") || l.contains("拨款") || l.contains("资金"))
        })
    };
    agree(
        fact(summary, "一般公共预算拨款收入", general_income),
        fact(fiscal, "一般公共预算拨款", general_income),
        out,
    );
    agree(
        fact(fiscal, "一般公共预算支出", |t| {
            this_year_in(t, |c| c.contains("一般公共预算"))
                .or_else(|| total_in(t, true, |c| c.contains("一般公共预算")))
        }),
        fact(general, "合计", |t| total_in(t, false, is_total_name)),
        out,
    );
    // The 基本支出 of the 一般公共预算支出表 is the 基本支出表's total.
    agree(
        fact(general, "基本支出", |t| {
            total_in(t, false, |c| c == "基本支出")
        }),
        fact(basic, "合计", |t| total_in(t, false, is_total_name)),
        out,
    );
}
