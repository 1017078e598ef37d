//! Checks over a whole book: every table's own checks, and the totals that
//! must agree between tables (收支总表's 本年支出合计 and 支出总表's 合计, the
//! 一般公共预算 amounts of 收支总表, 财政拨款收支总表 and 一般公共预算支出表 …).

use super::{Book, BookTable, standard_rank};
use crate::model::{Cell, RowKind, Warning};
use crate::normalize::amount::format_amount;
use rust_decimal::Decimal;

/// Findings of every table (named by the table's title in the book) and
/// of the totals shared between tables.
pub fn check(book: &Book) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, t) in book.tables().enumerate() {
        let name = format!("table {} '{}' ({})", i + 1, t.title, t.source);
        out.extend(crate::check::check_table(&t.table, &name));
    }
    cross_table(book, &mut out);
    out
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The amount next to a label: the first amount cell to the right of the
/// first text cell whose compact text satisfies `matches`.
fn labelled(t: &BookTable, matches: impl Fn(&str) -> bool) -> Option<Decimal> {
    for row in &t.table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            if cell.text().is_some_and(|x| matches(&compact(x))) {
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
/// satisfies `matches`.
fn total_in(t: &BookTable, matches: impl Fn(&str) -> bool) -> Option<Decimal> {
    let col = t
        .table
        .columns
        .iter()
        .position(|c| matches(&compact(&c.name)))?;
    t.table
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Total)
        .and_then(|r| r.cells.get(col))
        .and_then(Cell::amount)
}

fn by_rank(book: &Book, rank: usize) -> Option<&BookTable> {
    book.tables()
        .find(|t| standard_rank(&t.title).or_else(|| standard_rank(&t.source)) == Some(rank))
}

struct Fact<'a> {
    table: &'a BookTable,
    what: &'static str,
    value: Decimal,
}

fn agree(a: Option<Fact>, b: Option<Fact>, out: &mut Vec<Warning>) {
    let (Some(a), Some(b)) = (a, b) else { return };
    if a.value != b.value {
        out.push(Warning::new(
            "cross-table",
            Some(format!("'{}' and '{}'", a.table.title, b.table.title)),
            format!(
                "{} {} in '{}' ≠ {} {} in '{}' (difference {})",
                a.what,
                format_amount(a.value),
                a.table.title,
                b.what,
                format_amount(b.value),
                b.table.title,
                format_amount(a.value - b.value)
            ),
        ));
    }
}

fn fact<'a>(
    table: Option<&'a BookTable>,
    what: &'static str,
    value: impl Fn(&'a BookTable) -> Option<Decimal>,
) -> Option<Fact<'a>> {
    let table = table?;
    value(table).map(|value| Fact { table, what, value })
}

fn cross_table(book: &Book, out: &mut Vec<Warning>) {
    let summary = by_rank(book, 1);
    let income = by_rank(book, 2);
    let spending = by_rank(book, 3);
    let fiscal = by_rank(book, 4);
    let general = by_rank(book, 5);

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
    let this_year_income = |t: &BookTable| {
        labelled(t, |l| l == "本年收入合计" || l == "本年收入")
            .or_else(|| labelled(t, |l| l.ends_with("收入总计")))
    };
    let this_year_spending = |t: &BookTable| {
        labelled(t, |l| l == "本年支出合计" || l == "本年支出")
            .or_else(|| labelled(t, |l| l.ends_with("支出总计")))
    };
    agree(
        fact(summary, "本年收入合计", this_year_income),
        fact(income, "合计", |t| {
            total_in(t, |c| c == "合计" || c == "总计")
        }),
        out,
    );
    agree(
        fact(summary, "本年支出合计", this_year_spending),
        fact(spending, "合计", |t| {
            total_in(t, |c| c == "合计" || c == "总计")
        }),
        out,
    );
    // 一般公共预算: the income line of the summary, the 财政拨款 summary and
    // the 一般公共预算支出表's total.
    let general_income = |t: &BookTable| {
        labelled(t, |l| {
            l.contains("一般公共预算") && (l.contains("收入") || l.contains("拨款"))
        })
    };
    agree(
        fact(summary, "一般公共预算拨款收入", general_income),
        fact(fiscal, "一般公共预算拨款", general_income),
        out,
    );
    agree(
        fact(fiscal, "一般公共预算支出", |t| {
            total_in(t, |c| c.contains("一般公共预算")).or_else(|| {
                let col = t
                    .table
                    .columns
                    .iter()
                    .position(|c| compact(&c.name).contains("一般公共预算"))?;
                t.table
                    .rows
                    .iter()
                    .rev()
                    .find(|r| r.kind == RowKind::Total)
                    .and_then(|r| r.cells.get(col))
                    .and_then(Cell::amount)
            })
        }),
        fact(general, "合计", |t| {
            total_in(t, |c| c == "合计" || c == "总计")
        }),
        out,
    );
}
