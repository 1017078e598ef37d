//! The identities of the standard tables, found by column names so that
//! they hold whatever the header's shape: 三公 合计 = 因公出国（境）费 +
//! 公务用车购置及运行费 + 公务接待费, 公务用车购置及运行费 = 购置费 +
//! 运行费, and 基本支出 = 人员经费 + 公用经费.

use super::finding::{Finding, Place};
use super::tables::cell_place;
use super::{TableView, fold};
use crate::amount::format_amount;
use crate::model::{Cell, ColumnKind, Table, Value};
use rust_decimal::Decimal;

fn amount_cols(table: &Table) -> impl Iterator<Item = (usize, String, Vec<String>)> + '_ {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ColumnKind::Amount)
        .map(|(i, c)| (i, fold(&c.name), c.path.iter().map(|p| fold(p)).collect()))
}

fn find(table: &Table, pred: impl Fn(&str, &[String]) -> bool) -> Option<usize> {
    amount_cols(table)
        .find(|(_, name, path)| pred(name, path))
        .map(|(i, _, _)| i)
}

fn value(cell: Option<&Cell>) -> Option<Decimal> {
    match cell.map(|c| &c.value) {
        None | Some(Value::Empty) => Some(Decimal::ZERO),
        Some(Value::Amount(d)) => Some(*d),
        Some(Value::Text(t)) if t.trim().chars().all(|c| "-—－–/".contains(c)) => {
            Some(Decimal::ZERO)
        }
        _ => None,
    }
}

/// One identity: `total` = the sum of `terms`, with the names to print.
struct Identity {
    rule: &'static str,
    total: usize,
    terms: Vec<usize>,
}

fn identities(t: &TableView) -> Vec<Identity> {
    let table = t.table;
    let title = fold(&t.title);
    let mut out = Vec::new();
    let car_group = |p: &[String]| p.iter().any(|x| x.contains("公务用车购置及运行"));
    let abroad = find(table, |n, _| n.contains("因公出国"));
    let reception = find(table, |n, _| n.contains("公务接待"));
    let car = find(table, |n, p| {
        n.contains("公务用车购置及运行") || (n == "小计" && car_group(p))
    });
    let buy = find(table, |n, p| {
        n.contains("购置费") && !n.contains("及运行") && (n.contains("公务用车") || car_group(p))
    });
    let run = find(table, |n, p| {
        n.contains("运行")
            && n.contains("费")
            && !n.contains("购置")
            && !n.contains("机关运行")
            && (n.contains("公务用车") || car_group(p))
    });
    if title.contains("三公") || abroad.is_some() && reception.is_some() {
        // The 合计 of the 三公 group: the first amount column named so.
        let total = find(table, |n, p| (n == "合计" || n == "小计") && !car_group(p));
        if let (Some(total), Some(abroad), Some(reception)) = (total, abroad, reception) {
            let terms = match car {
                Some(car) => vec![abroad, car, reception],
                None => [Some(abroad), buy, run, Some(reception)]
                    .into_iter()
                    .flatten()
                    .collect(),
            };
            out.push(Identity {
                rule: "identity.sangong",
                total,
                terms,
            });
        }
        if let (Some(car), Some(buy), Some(run)) = (car, buy, run) {
            out.push(Identity {
                rule: "identity.sangong-car",
                total: car,
                terms: vec![buy, run],
            });
        }
    }
    let staff = find(table, |n, _| n == "人员经费");
    let public = find(table, |n, _| n == "公用经费" || n == "日常公用经费");
    if let (Some(staff), Some(public)) = (staff, public) {
        let basic = find(table, |n, p| {
            n == "基本支出" || (n == "小计" && p.iter().any(|x| x == "基本支出"))
        })
        .or_else(|| {
            (title.contains("基本支出"))
                .then(|| find(table, |n, _| n == "合计" || n == "总计"))
                .flatten()
        });
        if let Some(basic) = basic
            && basic < staff
        {
            out.push(Identity {
                rule: "identity.basic",
                total: basic,
                terms: vec![staff, public],
            });
        }
    }
    out
}

/// Checks the identities of one table, adding findings to `out`; returns
/// the places (cells) they covered, where a generic `sum.row` finding
/// says the same less well.
pub fn check(t: &TableView, out: &mut Vec<Finding>) -> Vec<Place> {
    let table = t.table;
    let label_col = table.label_column();
    let mut covered = Vec::new();
    for id in identities(t) {
        let names: Vec<&str> = id
            .terms
            .iter()
            .map(|&c| table.columns[c].name.as_str())
            .collect();
        for row in &table.rows {
            let Some(total) = row.cells.get(id.total).and_then(Cell::amount) else {
                continue;
            };
            let Some(sum) = id
                .terms
                .iter()
                .map(|&c| value(row.cells.get(c)))
                .sum::<Option<Decimal>>()
            else {
                continue;
            };
            let place = cell_place(&t.name, table, row, label_col, Some(id.total));
            covered.push(place.clone());
            if total != sum {
                // In 万元, each figure rounded on its own may miss by the
                // rounding of the figures: a warning, as for any sum.
                let figures = std::iter::once(total).chain(
                    id.terms
                        .iter()
                        .filter_map(|&c| row.cells.get(c).and_then(Cell::amount)),
                );
                let rule = super::tables::sum_rule(table, id.rule, total - sum, figures);
                out.push(
                    Finding::new(
                        rule,
                        place,
                        format!(
                            "{} {} ≠ {} = {} (difference {})",
                            table.columns[id.total].name,
                            format_amount(total),
                            names.join(" + "),
                            format_amount(sum),
                            format_amount(total - sum)
                        ),
                    )
                    .values(format_amount(total), format_amount(sum)),
                );
            }
        }
    }
    covered
}
