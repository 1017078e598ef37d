//! The checks inside one table, in exact decimal arithmetic: findings
//! name the table, row label, column and both numbers with their
//! difference.
//!
//! - Row sums: a 总计/合计 column equals the sum of the columns it totals
//!   (the amount columns after it in the same header group; a sub-group
//!   with its own 小计 counts as that 小计).
//! - Column totals: a total row equals the sum of the level-1 rows it
//!   totals, each row with children equals the sum of its direct children
//!   (units over projects, 类 over 款 over 项), and a total over subtotals
//!   also equals the sum of the leaf rows. Side-by-side tables (收入 | 支出)
//!   are checked block by block.
//! - Performance indicators: a level-2 code must extend its level-1 code,
//!   and one code must not carry two names in a table.
//! - An empty table needs a note saying why.
//!
//! Checks run on what is published: hidden sheets are not checked and
//! hidden rows and columns are left out first, so a 合计 that the author
//! kept free of a hidden reserve line is consistent. [`hidden_notices`]
//! says where counting the hidden rows would change a total (a notice,
//! never a finding, and without the hidden amounts).

use super::finding::{Finding, Place};
use crate::amount::format_amount;
use crate::classify::is_total_label;
use crate::model::{Cell, ColumnKind, Document, Row, RowKind, Table, Unit, Value, Warning};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Checks one table; `name` is how findings name it ("table 1 '部门收支总表'").
pub fn check_table(table: &Table, name: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    check_table_into(table, name.to_string(), &mut out);
    out
}

fn check_table_into(table: &Table, name: String, out: &mut Vec<Finding>) {
    if table.hidden {
        return;
    }
    if has_hidden(table) {
        check_view(&crate::disclose::published_view(table), &name, out);
    } else {
        check_view(table, &name, out);
    }
}

fn has_hidden(table: &Table) -> bool {
    table.rows.iter().any(|r| r.hidden)
        || table
            .columns
            .iter()
            .any(|c| c.hidden || c.formulas_without_values)
}

/// Notices for the tables whose totals the hidden rows would change: the
/// published rows add up, counting the hidden ones would not. They name the
/// table only, never a hidden row or its amounts.
pub fn hidden_notices(doc: &Document) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, table) in doc.tables.iter().enumerate() {
        if table.hidden || !table.rows.iter().any(|r| r.hidden) {
            continue;
        }
        let name = table_name(table, i);
        let is_sum = |f: &Finding| matches!(f.rule.as_str(), "sum.row" | "sum.column");
        let mut published = Vec::new();
        check_view(
            &crate::disclose::published_view(table),
            &name,
            &mut published,
        );
        let mut all = Vec::new();
        let mut unhidden = table.clone();
        for row in &mut unhidden.rows {
            row.hidden = false;
        }
        check_view(&crate::disclose::published_view(&unhidden), &name, &mut all);
        let new = all
            .iter()
            .filter(|f| is_sum(f))
            .filter(|f| {
                !published
                    .iter()
                    .any(|p| p.rule == f.rule && p.place == f.place)
            })
            .count();
        if new > 0 {
            let hidden = table.rows.iter().filter(|r| r.hidden).count();
            out.push(Warning::new(
                "hidden-not-in-total",
                Some(name),
                format!(
                    "the published rows add up; counting the {hidden} hidden {} would change \
                     {new} total(s), so the author kept {} out of the totals",
                    if hidden == 1 { "row" } else { "rows" },
                    if hidden == 1 { "it" } else { "them" },
                ),
            ));
        }
    }
    out
}

fn check_view(table: &Table, name: &str, out: &mut Vec<Finding>) {
    if table.rows.is_empty() {
        let explained = table
            .notes
            .iter()
            .any(|n| n.contains('无') || n.contains("空表"));
        if !explained {
            out.push(Finding::new(
                "table.empty-without-note",
                Place::table(name),
                "the table has no rows and no note saying why (e.g. 本部门无…，故本表为空表)",
            ));
        }
        return;
    }
    row_sums(table, name, out);
    for block in blocks(table) {
        column_totals(table, &block, name, out);
    }
    indicators(table, name, out);
}

/// How findings name a table of a document: "table 2 '部门收入总表'".
pub(super) fn table_name(table: &Table, index: usize) -> String {
    match table.title.as_deref().or(table.origin.sheet.as_deref()) {
        Some(t) => format!("table {} '{t}'", index + 1),
        None => format!("table {}", index + 1),
    }
}

/// The place of a cell: the table, the row's label (from `label_col`,
/// else the table's label column, else the first text cell), the column.
pub(super) fn cell_place(
    name: &str,
    table: &Table,
    row: &Row,
    label_col: Option<usize>,
    column: Option<usize>,
) -> Place {
    let label = label_col
        .and_then(|c| row.cells.get(c))
        .and_then(Cell::text)
        .or_else(|| table.row_label(row))
        .or_else(|| row.cells.iter().find_map(Cell::text))
        .unwrap_or("");
    Place {
        table: Some(name.to_string()),
        row: Some(label.to_string()),
        source_row: row.source_row,
        column: column
            .and_then(|c| table.columns.get(c))
            .map(|c| c.name.clone()),
        ..Place::default()
    }
}

/// The value a cell adds to a sum: its amount, or zero when empty or a
/// placeholder ("-"); `None` for text that is not a number.
fn addend(cell: Option<&Cell>) -> Option<Decimal> {
    match cell.map(|c| &c.value) {
        None | Some(Value::Empty) => Some(Decimal::ZERO),
        Some(Value::Amount(d)) => Some(*d),
        Some(Value::Text(t)) if t.trim().chars().all(|c| "-—－–/".contains(c)) => {
            Some(Decimal::ZERO)
        }
        _ => None,
    }
}

/// The rule a sum that differs from its total breaks: `sum.rounding`
/// (a warning) when the table's 单位 is coarser than 元 and the difference
/// is no more than half a unit of the last printed digit for each of the
/// `figures` (the total and its terms, each rounded on its own: 0.01 over
/// three figures in 万元 to two decimals), else `rule`.
pub(super) fn sum_rule(
    table: &Table,
    rule: &'static str,
    difference: Decimal,
    figures: impl Iterator<Item = Decimal> + Clone,
) -> &'static str {
    let coarse = matches!(
        table.unit,
        Some(Unit::ThousandYuan | Unit::TenThousandYuan | Unit::HundredMillionYuan)
    );
    if !coarse {
        return rule;
    }
    let count = figures.clone().count();
    let scale = figures.map(|d| d.scale()).max().unwrap_or(0);
    // Half a unit of the last digit: 0.005 at two decimals.
    let half = Decimal::new(5, scale + 1);
    if difference.abs() <= half * Decimal::from(count) {
        "sum.rounding"
    } else {
        rule
    }
}

fn is_total_column(name: &str) -> bool {
    name == "小计" || is_total_label(name)
}

/// The columns each total column sums: (total column, its terms).
fn sum_groups(table: &Table) -> Vec<(usize, Vec<usize>)> {
    let cols = &table.columns;
    let n = cols.len();
    let mut groups = Vec::new();
    for t in 0..n {
        let total = &cols[t];
        if total.kind != ColumnKind::Amount || !is_total_column(&total.name) {
            continue;
        }
        let depth = total.path.len();
        let parent = &total.path[..depth - 1];
        let mut terms = Vec::new();
        let mut c = t + 1;
        while c < n {
            let col = &cols[c];
            if col.kind != ColumnKind::Amount || !col.path.starts_with(parent) {
                break;
            }
            if col.path.len() == depth {
                if is_total_column(&col.name) {
                    break;
                }
                terms.push(c);
                c += 1;
                continue;
            }
            if col.path.len() < depth {
                break;
            }
            // A deeper group: its own 小计 stands for it, else its leaves.
            let key = &col.path[..depth];
            let group: Vec<usize> = (c..n)
                .take_while(|&k| {
                    cols[k].kind == ColumnKind::Amount
                        && cols[k].path.len() > depth
                        && &cols[k].path[..depth] == key
                })
                .collect();
            let Some(&last) = group.last() else { break };
            match group
                .iter()
                .find(|&&k| cols[k].path.len() == depth + 1 && is_total_column(&cols[k].name))
            {
                Some(&sub) => terms.push(sub),
                None => terms.extend(&group),
            }
            c = last + 1;
        }
        if !terms.is_empty() {
            groups.push((t, terms));
        }
    }
    groups
}

fn row_sums(table: &Table, name: &str, out: &mut Vec<Finding>) {
    let groups = sum_groups(table);
    let label_col = table.label_column();
    for row in &table.rows {
        for (t, terms) in &groups {
            let Some(total) = row.cells.get(*t).and_then(Cell::amount) else {
                continue;
            };
            let Some(sum) = terms
                .iter()
                .map(|&c| addend(row.cells.get(c)))
                .sum::<Option<Decimal>>()
            else {
                continue;
            };
            if sum != total {
                let term_names: Vec<&str> = terms
                    .iter()
                    .map(|&c| table.columns[c].name.as_str())
                    .collect();
                let figures = std::iter::once(total)
                    .chain(terms.iter().filter_map(|&c| addend(row.cells.get(c))));
                out.push(
                    Finding::new(
                        sum_rule(table, "sum.row", total - sum, figures),
                        cell_place(name, table, row, label_col, Some(*t)),
                        format!(
                            "{} {} ≠ {} = {} (difference {})",
                            table.columns[*t].name,
                            format_amount(total),
                            term_names.join(" + "),
                            format_amount(sum),
                            format_amount(total - sum)
                        ),
                    )
                    .values(format_amount(total), format_amount(sum)),
                );
            }
        }
    }
}

/// A label column with the amount columns it labels, and the rows' levels
/// as seen from that label.
struct Block {
    label_col: Option<usize>,
    amount_cols: Vec<usize>,
    levels: Vec<u8>,
    totals: Vec<bool>,
}

/// One block for an ordinary table; one per 项目 column for side-by-side
/// tables (收入 | 支出), whose halves have hierarchies of their own.
fn blocks(table: &Table) -> Vec<Block> {
    let cols = &table.columns;
    let labels: Vec<usize> = (0..cols.len())
        .filter(|&c| {
            cols[c].kind == ColumnKind::Text
                && cols
                    .get(c + 1)
                    .is_some_and(|n| n.kind == ColumnKind::Amount)
        })
        .collect();
    let texts = cols.iter().filter(|c| c.kind == ColumnKind::Text).count();
    if labels.len() >= 2 && texts == labels.len() {
        return labels
            .iter()
            .enumerate()
            .map(|(k, &l)| {
                let end = labels.get(k + 1).copied().unwrap_or(cols.len());
                let amount_cols = (l + 1..end)
                    .filter(|&c| cols[c].kind == ColumnKind::Amount)
                    .collect();
                let (levels, totals) = block_levels(table, l);
                Block {
                    label_col: Some(l),
                    amount_cols,
                    levels,
                    totals,
                }
            })
            .collect();
    }
    vec![Block {
        label_col: table.label_column(),
        amount_cols: (0..cols.len())
            .filter(|&c| cols[c].kind == ColumnKind::Amount)
            .collect(),
        levels: table.rows.iter().map(|r| r.level).collect(),
        totals: table
            .rows
            .iter()
            .map(|r| r.kind == RowKind::Total)
            .collect(),
    }]
}

/// Levels of a side-by-side block from its own labels: totals 0, codes left
/// of the label where there are, else outline numbering (一、 ⊃ （一）,
/// [`crate::classify::outline_levels`]), else 1.
fn block_levels(table: &Table, label_col: usize) -> (Vec<u8>, Vec<bool>) {
    let labels: Vec<Option<&str>> = table
        .rows
        .iter()
        .map(|r| r.cells.get(label_col).and_then(Cell::text))
        .collect();
    let totals: Vec<bool> = labels
        .iter()
        .map(|l| l.is_some_and(is_total_label))
        .collect();
    // Economic or function codes in the columns just left of the label
    // (301 工资福利支出 ⊃ 30101 基本工资, or 类 301 and 款 01 in two
    // columns, joined): levels from the codes.
    let mut first_code = label_col;
    while first_code > 0 && table.columns[first_code - 1].kind == ColumnKind::Code {
        first_code -= 1;
    }
    if first_code < label_col {
        let codes: Vec<Option<String>> = table
            .rows
            .iter()
            .map(|r| {
                let joined: String = (first_code..label_col)
                    .filter_map(|c| r.cells.get(c).and_then(Cell::text))
                    .map(str::trim)
                    .collect();
                (!joined.is_empty() && joined.chars().all(|c| c.is_ascii_alphanumeric()))
                    .then_some(joined)
            })
            .collect();
        if codes.iter().filter(|c| c.is_some()).count() >= 2 {
            return (crate::classify::code_prefix_levels(&codes, &totals), totals);
        }
    }
    (crate::classify::outline_levels(&labels, &totals), totals)
}

fn column_totals(table: &Table, block: &Block, name: &str, out: &mut Vec<Finding>) {
    let rows = &table.rows;
    // Rows of this block that hold anything.
    let live: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            block
                .label_col
                .is_some_and(|l| r.cells.get(l).is_some_and(|c| !c.is_empty()))
                || block
                    .amount_cols
                    .iter()
                    .any(|&c| r.cells.get(c).is_some_and(|c| !c.is_empty()))
        })
        .collect();
    for (pos, &i) in live.iter().enumerate() {
        let level = block.levels[i];
        let (direct, leaves, what): (Vec<usize>, Vec<usize>, &str) = if block.totals[i] {
            let before: Vec<usize> = live[..pos].to_vec();
            let top = before.iter().all(|&k| block.totals[k]) && pos + 1 < live.len();
            if top {
                let scope: Vec<usize> = live[pos + 1..]
                    .iter()
                    .copied()
                    .take_while(|&k| !block.totals[k])
                    .collect();
                let direct = scope
                    .iter()
                    .copied()
                    .filter(|&k| block.levels[k] == 1)
                    .collect();
                let leaves = leaf_rows(&scope, &block.levels);
                (direct, leaves, "rows")
            } else {
                // A total at the bottom sums the rows since the previous
                // total, and that total (收入总计 = 本年收入合计 + 上年结转).
                let prev = before.iter().rposition(|&k| block.totals[k]);
                let start = prev.map_or(0, |p| p + 1);
                let scope: Vec<usize> = before[start..].to_vec();
                let mut direct: Vec<usize> = scope
                    .iter()
                    .copied()
                    .filter(|&k| block.levels[k] == 1)
                    .collect();
                if let Some(p) = prev {
                    direct.insert(0, before[p]);
                }
                (direct, Vec::new(), "rows")
            }
        } else {
            let scope: Vec<usize> = live[pos + 1..]
                .iter()
                .copied()
                .take_while(|&k| !block.totals[k] && block.levels[k] > level)
                .collect();
            let direct = scope
                .iter()
                .copied()
                .filter(|&k| block.levels[k] == level + 1)
                .collect();
            (direct, Vec::new(), "child rows")
        };
        if direct.is_empty() {
            continue;
        }
        for &c in &block.amount_cols {
            let Some(value) = rows[i].cells.get(c).and_then(Cell::amount) else {
                continue;
            };
            let sum = |set: &[usize]| {
                set.iter()
                    .map(|&k| addend(rows[k].cells.get(c)))
                    .sum::<Option<Decimal>>()
            };
            let place = || cell_place(name, table, &rows[i], block.label_col, Some(c));
            let figures = |set: &[usize]| {
                let terms: Vec<Decimal> = set
                    .iter()
                    .filter_map(|&k| addend(rows[k].cells.get(c)))
                    .collect();
                std::iter::once(value).chain(terms).collect::<Vec<_>>()
            };
            if let Some(s) = sum(&direct)
                && s != value
            {
                out.push(
                    Finding::new(
                        sum_rule(table, "sum.column", value - s, figures(&direct).into_iter()),
                        place(),
                        format!(
                            "{} ≠ sum of its {} {what} {} (difference {})",
                            format_amount(value),
                            direct.len(),
                            format_amount(s),
                            format_amount(value - s)
                        ),
                    )
                    .values(format_amount(value), format_amount(s)),
                );
            }
            if leaves.len() > direct.len()
                && let Some(s) = sum(&leaves)
                && s != value
            {
                out.push(
                    Finding::new(
                        sum_rule(table, "sum.column", value - s, figures(&leaves).into_iter()),
                        place(),
                        format!(
                            "{} ≠ sum of its {} item rows {} (difference {})",
                            format_amount(value),
                            leaves.len(),
                            format_amount(s),
                            format_amount(value - s)
                        ),
                    )
                    .values(format_amount(value), format_amount(s)),
                );
            }
        }
    }
}

/// Rows of `scope` that have no deeper row right after them.
fn leaf_rows(scope: &[usize], levels: &[u8]) -> Vec<usize> {
    scope
        .iter()
        .enumerate()
        .filter(|(p, k)| {
            scope
                .get(p + 1)
                .is_none_or(|&next| levels[next] <= levels[**k])
        })
        .map(|(_, &k)| k)
        .collect()
}

fn indicators(table: &Table, name: &str, out: &mut Vec<Finding>) {
    let label_col = table.label_column();
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in &table.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            for ind in &cell.indicators {
                let (Some(l1), Some(l2)) = (&ind.level1, &ind.level2) else {
                    continue;
                };
                if !l2.code.starts_with(&l1.code) || l2.code.len() <= l1.code.len() {
                    out.push(
                        Finding::new(
                            "indicator.level",
                            cell_place(name, table, row, label_col, Some(c)),
                            format!(
                                "indicator {}: level-2 indicator {}-{} does not belong to level-1 indicator {}-{}",
                                ind.seq, l2.code, l2.name, l1.code, l1.name
                            ),
                        )
                        .values(format!("{}-{}", l2.code, l2.name), format!("{}…", l1.code)),
                    );
                }
                let seen = names.entry(l2.code.clone()).or_default();
                if !seen.contains(&l2.name) {
                    seen.push(l2.name.clone());
                }
            }
        }
    }
    for (code, seen) in names {
        if seen.len() > 1 {
            out.push(Finding::new(
                "indicator.code",
                Place::table(name),
                format!(
                    "level-2 indicator code {code} carries different names: {}",
                    seen.join(", ")
                ),
            ));
        }
    }
}
