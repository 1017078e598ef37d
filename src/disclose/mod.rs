//! The public-disclosure policy: leaves out what the author hid (hidden
//! sheets, rows, columns; Word's hidden text is left out by the reader),
//! internal columns named by the profile and columns of formulas saved
//! without values, and masks personal data (ID numbers, mobile numbers,
//! e-mail addresses, bank card numbers) in every text of a document. Every
//! masking and every omission is reported — where and how many, never the
//! value.
//!
//! With `hidden = "keep"` (an archive copy) nothing is left out and the
//! `hidden` flags stay in the model.

mod policy;

use crate::model::{Block, Cell, Document, Span, Table, Value, Warning, column_letters};
pub use policy::{Disclosure, HiddenPolicy, INTERNAL_COLUMNS, PersonalData};

/// Applies the policy to `doc`; returns one report entry per masking or
/// omission.
pub fn apply(doc: &mut Document, policy: &Disclosure) -> Vec<Warning> {
    let mut report = Vec::new();
    let tables = std::mem::take(&mut doc.tables);
    // Where each table went (None: left out), for the reading order.
    let mut moved: Vec<Option<usize>> = Vec::with_capacity(tables.len());
    for (i, mut table) in tables.into_iter().enumerate() {
        let name = match &table.title {
            Some(t) => format!("table {} '{t}'", i + 1),
            None => format!("table {}", i + 1),
        };
        if table.hidden && policy.omits_hidden() {
            // The reader's notes about the sheet go with it.
            if let Some(sheet) = &table.origin.sheet {
                let at = format!("sheet '{sheet}'");
                doc.warnings.retain(|w| {
                    w.at.as_deref()
                        .is_none_or(|a| a != at && !a.starts_with(&format!("{at},")))
                });
            }
            let rows = table.rows.len();
            report.push(Warning::new(
                "hidden-left-out",
                Some(place(&table, &name)),
                format!(
                    "hidden sheet left out ({rows} {})",
                    plural(rows, "row", "rows")
                ),
            ));
            moved.push(None);
            continue;
        }
        report.extend(apply_table(&mut table, policy, &name));
        moved.push(Some(doc.tables.len()));
        doc.tables.push(table);
    }
    apply_blocks(doc, &moved, policy, &mut report);
    report
}

/// The reading order after tables were left out (their blocks go with
/// them), and personal data masked in the prose as in the tables.
fn apply_blocks(
    doc: &mut Document,
    moved: &[Option<usize>],
    policy: &Disclosure,
    report: &mut Vec<Warning>,
) {
    let mask = policy.mask_personal_data && !policy.mask.is_empty();
    let mut sections = 0;
    doc.blocks.retain_mut(|block| match block {
        Block::Table { index } => match moved.get(*index).copied().flatten() {
            Some(to) => {
                *index = to;
                true
            }
            None => false,
        },
        Block::Text(section) => {
            sections += 1;
            if mask {
                let name = format!("text section {sections}");
                let mut found = Vec::new();
                if let Some(h) = &mut section.heading {
                    found.extend(mask_text(h, &policy.mask));
                }
                for kind in found {
                    report.push(Warning::new(
                        "masked",
                        Some(format!("{name}, heading")),
                        format!("masked {}", kind.describe()),
                    ));
                }
                for (k, p) in section.paragraphs.iter_mut().enumerate() {
                    for kind in mask_text(&mut p.text, &policy.mask) {
                        report.push(Warning::new(
                            "masked",
                            Some(format!("{name}, paragraph {}", k + 1)),
                            format!("masked {}", kind.describe()),
                        ));
                    }
                }
            }
            true
        }
    });
    if !doc.blocks.iter().any(|b| matches!(b, Block::Text(_))) {
        doc.blocks.clear();
    }
}

/// Applies the policy to one table; `name` is how the report names it.
pub(crate) fn apply_table(table: &mut Table, policy: &Disclosure, name: &str) -> Vec<Warning> {
    let mut report = Vec::new();
    if policy.omits_hidden() {
        drop_rows_and_columns(table, policy, name, &mut report);
    }
    if policy.mask_personal_data && !policy.mask.is_empty() {
        mask_table(table, &policy.mask, name, &mut report);
    }
    report
}

/// The table as published with hidden content left out: no hidden rows or
/// columns, no columns of formulas saved without values (what the checks
/// look at).
pub(crate) fn published_view(table: &Table) -> Table {
    let mut t = table.clone();
    let drop_col: Vec<bool> = t
        .columns
        .iter()
        .map(|c| c.hidden || c.formulas_without_values)
        .collect();
    if drop_col.iter().any(|d| *d) {
        drop_columns(&mut t, &drop_col);
    }
    let drop_row: Vec<bool> = t.rows.iter().map(|r| r.hidden).collect();
    if drop_row.iter().any(|d| *d) {
        drop_rows(&mut t, &drop_row);
    }
    t
}

/// How the hidden-content report names a table: its sheet, else `name`.
fn place(table: &Table, name: &str) -> String {
    match &table.origin.sheet {
        Some(sheet) => format!("sheet '{sheet}'"),
        None => name.to_string(),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Consecutive numbers as ranges: [7, 8, 9, 12] → "7–9, 12", each shown by
/// `show`.
fn ranges(mut xs: Vec<u32>, show: impl Fn(u32) -> String) -> String {
    xs.sort_unstable();
    xs.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < xs.len() {
        let mut j = i;
        while j + 1 < xs.len() && xs[j + 1] == xs[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}–{}", show(xs[i]), show(xs[j]))
        } else {
            show(xs[i])
        });
        i = j + 1;
    }
    parts.join(", ")
}

fn drop_rows_and_columns(
    table: &mut Table,
    policy: &Disclosure,
    name: &str,
    report: &mut Vec<Warning>,
) {
    let mut hidden_cols: Vec<u32> = Vec::new();
    let mut hidden_unknown = 0;
    let drop_col: Vec<bool> = table
        .columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            if col.hidden {
                match col.source_col {
                    Some(s) => hidden_cols.push(s),
                    None => hidden_unknown += 1,
                }
                return true;
            }
            if policy.is_internal_column(&col.path)
                || policy.is_internal_column(std::slice::from_ref(&col.name))
            {
                report.push(Warning::new(
                    "dropped-column",
                    Some(format!("{name}, column '{}'", col.name)),
                    "left out: an internal column named in the profile",
                ));
                return true;
            }
            if col.formulas_without_values {
                let letters = col.source_col.map_or_else(
                    || format!("column {}", c + 1),
                    |s| format!("column {}", column_letters(s)),
                );
                report.push(Warning::new(
                    "formula-column-left-out",
                    Some(format!("{}, {letters} '{}'", place(table, name), col.name)),
                    "left out: every cell of the column is a formula saved without its value \
                     (open the workbook in Excel or WPS and save it again to publish it)",
                ));
                return true;
            }
            false
        })
        .collect();
    let drop_row: Vec<bool> = table.rows.iter().map(|r| r.hidden).collect();
    let hidden_rows: Vec<u32> = table
        .rows
        .iter()
        .filter(|r| r.hidden)
        .map(|r| r.source_row.unwrap_or(0))
        .collect();
    if drop_col.iter().any(|d| *d) {
        drop_columns(table, &drop_col);
    }
    if drop_row.iter().any(|d| *d) {
        drop_rows(table, &drop_row);
    }
    let mut parts = Vec::new();
    if !hidden_rows.is_empty() {
        let n = hidden_rows.len();
        let known: Vec<u32> = hidden_rows.iter().copied().filter(|&r| r > 0).collect();
        let at = if known.is_empty() {
            String::new()
        } else {
            format!(
                " ({} {})",
                plural(known.len(), "source row", "source rows"),
                ranges(known, |r| r.to_string())
            )
        };
        parts.push(format!("{n} hidden {}{at}", plural(n, "row", "rows")));
    }
    let ncols = hidden_cols.len() + hidden_unknown;
    if ncols > 0 {
        let at = if hidden_cols.is_empty() {
            String::new()
        } else {
            format!(" ({})", ranges(hidden_cols, column_letters))
        };
        parts.push(format!(
            "{ncols} hidden {}{at}",
            plural(ncols, "column", "columns")
        ));
    }
    if !parts.is_empty() {
        report.push(Warning::new(
            "hidden-left-out",
            Some(place(table, name)),
            format!("{} left out", parts.join(", ")),
        ));
    }
}

/// Removes the columns marked in `drop`: spans shrink by the columns they
/// lose, and a merged cell that starts in a dropped column but covers kept
/// ones moves to the first kept one.
fn drop_columns(table: &mut Table, drop: &[bool]) {
    for row in &mut table.rows {
        let n = row.cells.len();
        // Right to left: a moved cell lands on a covered (empty) cell that
        // was already looked at.
        for c in (0..n).rev() {
            let span = row.cells[c].col_span.get() as usize;
            let end = (c + span).min(n);
            let kept = (c..end)
                .filter(|&k| !drop.get(k).copied().unwrap_or(false))
                .count();
            if kept == 0 {
                continue;
            }
            let first_kept = (c..end)
                .find(|&k| !drop.get(k).copied().unwrap_or(false))
                .unwrap_or(c);
            if first_kept != c {
                let moved = std::mem::take(&mut row.cells[c]);
                row.cells[first_kept] = moved;
            }
            row.cells[first_kept].col_span = Span::new(kept as u32).unwrap_or(Span::ONE);
        }
        keep_where(&mut row.cells, drop);
    }
    keep_where(&mut table.columns, drop);
}

/// Removes the rows marked in `drop`, shrinking row spans the same way.
fn drop_rows(table: &mut Table, drop: &[bool]) {
    let n = table.rows.len();
    let width = table.columns.len();
    for r in (0..n).rev() {
        for c in 0..width {
            let Some(span) = table.rows[r]
                .cells
                .get(c)
                .map(|x| x.row_span.get() as usize)
            else {
                continue;
            };
            let end = (r + span).min(n);
            let kept = (r..end).filter(|&k| !drop[k]).count();
            let Some(first_kept) = (r..end).find(|&k| !drop[k]) else {
                continue;
            };
            if first_kept != r {
                let moved = std::mem::take(&mut table.rows[r].cells[c]);
                if let Some(slot) = table.rows[first_kept].cells.get_mut(c) {
                    *slot = moved;
                }
            }
            if let Some(cell) = table.rows[first_kept].cells.get_mut(c) {
                cell.row_span = Span::new(kept as u32).unwrap_or(Span::ONE);
            }
        }
    }
    keep_where(&mut table.rows, drop);
}

fn keep_where<T>(v: &mut Vec<T>, drop: &[bool]) {
    let mut c = 0;
    v.retain(|_| {
        c += 1;
        !drop.get(c - 1).copied().unwrap_or(false)
    });
}

fn mask_table(table: &mut Table, kinds: &[PersonalData], name: &str, report: &mut Vec<Warning>) {
    let mut note = |at: String, found: Vec<PersonalData>| {
        for kind in found {
            report.push(Warning::new(
                "masked",
                Some(at.clone()),
                format!("masked {}", kind.describe()),
            ));
        }
    };
    if let Some(title) = &mut table.title {
        note(format!("{name}, title"), mask_text(title, kinds));
    }
    for meta in &mut table.meta {
        let found = mask_text(&mut meta.text, kinds);
        mask_text(&mut meta.value, kinds);
        note(format!("{name}, meta line"), found);
    }
    for col in &mut table.columns {
        let mut found = mask_text(&mut col.name, kinds);
        for p in &mut col.path {
            found.extend(mask_text(p, kinds));
        }
        found.dedup();
        note(format!("{name}, header"), found);
    }
    let label_col = table.label_column();
    let names: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    for row in &mut table.rows {
        let label = label_col
            .and_then(|c| row.cells.get(c))
            .and_then(Cell::text)
            .map(str::to_string);
        for (c, cell) in row.cells.iter_mut().enumerate() {
            let mut found = Vec::new();
            if let Value::Text(t) = &mut cell.value {
                found = mask_text(t, kinds);
            }
            if let Some(raw) = &mut cell.raw {
                found.extend(mask_text(raw, kinds));
            }
            if found.is_empty() {
                continue;
            }
            if !cell.indicators.is_empty()
                && let Value::Text(t) = &cell.value
            {
                cell.indicators = crate::normalize::indicators::parse(t).unwrap_or_default();
            }
            let at = format!(
                "{name}, row '{}'{}, column '{}'",
                label.as_deref().unwrap_or(""),
                row.source_row
                    .map_or(String::new(), |r| format!(" (source row {r})")),
                names.get(c).map_or("", String::as_str)
            );
            note(at, found);
        }
    }
    for (i, n) in table.notes.iter_mut().enumerate() {
        note(format!("{name}, note {}", i + 1), mask_text(n, kinds));
    }
}

/// Masks the personal data of the given kinds in `text`, in place; returns
/// the kinds found, one entry per occurrence.
pub(crate) fn mask_text(text: &mut String, kinds: &[PersonalData]) -> Vec<PersonalData> {
    // An e-mail address needs its at sign and every other kind a digit:
    // a text with neither (most cells) is told without copying it.
    if !text
        .chars()
        .any(|c| digit(c).is_some() || c == '@' || c == '＠')
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut chars: Vec<char> = text.chars().collect();
    if kinds.contains(&PersonalData::Email) {
        mask_emails(&mut chars, &mut found);
    }
    mask_numbers(&mut chars, kinds, &mut found);
    if !found.is_empty() {
        *text = chars.into_iter().collect();
    }
    found
}

/// The ASCII digit a character stands for (full-width digits count).
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// A run of digits, possibly split by single spaces or hyphens
/// ("138-0013-8000", "6222 0212 3456 7890"): char positions of its digits.
fn digit_runs(chars: &[char]) -> Vec<Vec<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let mut run = vec![i];
        let mut j = i + 1;
        loop {
            if j < chars.len() && digit(chars[j]).is_some() {
                run.push(j);
                j += 1;
            } else if j + 1 < chars.len()
                && matches!(chars[j], ' ' | '-')
                && digit(chars[j + 1]).is_some()
            {
                j += 1;
            } else {
                break;
            }
        }
        runs.push(run);
        i = j;
    }
    runs
}

fn is_id_check_char(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// The shape of a mainland ID number's first 17 digits: a region code
/// starting 1–8 and a birth date 1900–2099 that exists on the calendar
/// (months 01–12, days 01–31).
fn plausible_id(d: &[u8]) -> bool {
    let num = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    d.len() == 17
        && (1..=8).contains(&d[0])
        && (1900..=2099).contains(&num(6..10))
        && (1..=12).contains(&num(10..12))
        && (1..=31).contains(&num(12..14))
}

/// ISO 7064 MOD 11-2 check of a mainland ID number.
fn valid_id(digits: &[u8], check: char) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if digits.len() != 17 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let expected = CHECK[(sum % 11) as usize] as char;
    let given = match check {
        c if is_id_check_char(c) => 'X',
        c => digit(c).map_or('?', |d| (b'0' + d) as char),
    };
    expected == given
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Replaces the digits at `positions[keep_head..len - keep_tail]` with '*'.
fn star(chars: &mut [char], positions: &[usize], keep_head: usize, keep_tail: usize) {
    let end = positions.len().saturating_sub(keep_tail);
    for &p in positions.iter().take(end).skip(keep_head) {
        chars[p] = '*';
    }
}

fn classify(
    chars: &mut [char],
    run: &[usize],
    kinds: &[PersonalData],
    found: &mut Vec<PersonalData>,
) -> bool {
    let digits: Vec<u8> = run.iter().filter_map(|&p| digit(chars[p])).collect();
    let last = run.last().copied().unwrap_or(0);
    let next = chars.get(last + 1).copied();
    // ID: 17 digits and a check character (digit or X) with a plausible
    // birth date. A wrong check digit is still masked (a mistyped ID number
    // is still personal data) and reported as such.
    if kinds.contains(&PersonalData::IdNumber) {
        let check = match (digits.len(), next) {
            (17, Some(x)) if is_id_check_char(x) => Some(('X', true)),
            (18, _) => Some(((b'0' + digits[17]) as char, false)),
            _ => None,
        };
        if let Some((check, trailing_x)) = check
            && plausible_id(&digits[..17])
            && !(if trailing_x {
                chars.get(last + 2)
            } else {
                next.as_ref()
            })
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            let mut pos = run.to_vec();
            if trailing_x {
                pos.push(last + 1);
            }
            star(chars, &pos, 6, 4);
            found.push(if valid_id(&digits[..17], check) {
                PersonalData::IdNumber
            } else {
                PersonalData::IdNumberBadCheck
            });
            return true;
        }
    }
    // Other numbers run into letters are identifiers of something else.
    if next.is_some_and(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if kinds.contains(&PersonalData::Mobile)
        && digits.len() == 11
        && digits[0] == 1
        && (3..=9).contains(&digits[1])
    {
        star(chars, run, 3, 4);
        found.push(PersonalData::Mobile);
        return true;
    }
    if kinds.contains(&PersonalData::BankCard) && (16..=19).contains(&digits.len()) && luhn(&digits)
    {
        star(chars, run, 4, 4);
        found.push(PersonalData::BankCard);
        return true;
    }
    false
}

fn mask_numbers(chars: &mut [char], kinds: &[PersonalData], found: &mut Vec<PersonalData>) {
    let numeric: Vec<PersonalData> = kinds
        .iter()
        .copied()
        .filter(|k| *k != PersonalData::Email)
        .collect();
    if numeric.is_empty() {
        return;
    }
    for run in digit_runs(chars) {
        // A number next to letters is an identifier of something else
        // (a contract number like AB13800138000) — unless it is an ID
        // ending in X, which the classifier handles.
        let first = run[0];
        if first > 0 && chars[first - 1].is_ascii_alphabetic() {
            continue;
        }
        if classify(chars, &run, &numeric, found) {
            continue;
        }
        // Separators may join two numbers: try the unseparated pieces.
        let mut piece: Vec<usize> = Vec::new();
        for (k, &p) in run.iter().enumerate() {
            piece.push(p);
            let split = run.get(k + 1).is_none_or(|&q| q != p + 1);
            if split {
                if piece.len() < run.len() {
                    classify(chars, &piece, &numeric, found);
                }
                piece.clear();
            }
        }
    }
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Masks e-mail addresses: the local part keeps its first character
/// (lixiaoming@example.gov.cn → l***@example.gov.cn).
fn mask_emails(chars: &mut Vec<char>, found: &mut Vec<PersonalData>) {
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' && chars[i] != '＠' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        // Trailing dots belong to the sentence, not the domain.
        while end > i + 1 && chars[end - 1] == '.' {
            end -= 1;
        }
        let domain: String = chars[i + 1..end].iter().collect();
        let valid_domain = domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2);
        if start < i && valid_domain {
            let replacement: Vec<char> =
                std::iter::once(chars[start]).chain("***".chars()).collect();
            let removed = i - start;
            chars.splice(start..i, replacement.iter().copied());
            found.push(PersonalData::Email);
            i = i + replacement.len() - removed + 1;
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(s: &str) -> (String, Vec<PersonalData>) {
        let mut t = s.to_string();
        let found = mask_text(&mut t, &PersonalData::ALL);
        (t, found)
    }

    #[test]
    fn masks_each_kind() {
        let (t, f) = mask(
            "联系电话13800138000，身份证号码44010619800101001X，电子邮箱lixiaoming@example.gov.cn。",
        );
        assert_eq!(
            t,
            "联系电话138****8000，身份证号码440106********001X，电子邮箱l***@example.gov.cn。"
        );
        assert_eq!(
            f,
            vec![
                PersonalData::Email,
                PersonalData::Mobile,
                // The corpus's number has the shape of an ID number but its
                // check digit would be 9: masked, and reported as such.
                PersonalData::IdNumberBadCheck
            ]
        );
        let (t, f) = mask("卡号6222 0200 0000 0000 000");
        assert_eq!(t, "卡号6222 **** **** ***0 000");
        assert_eq!(f, vec![PersonalData::BankCard]);
        let (t, f) = mask("电话 138-0013-8000");
        assert_eq!(t, "电话 138-****-8000");
        assert_eq!(f, vec![PersonalData::Mobile]);
        let (t, _) = mask("全角１３８００１３８０００");
        assert_eq!(t, "全角１３８****８０００");
    }

    #[test]
    fn leaves_other_numbers_alone() {
        for s in [
            "科目编码2010301",
            "金额7293957.15元",
            "2025年完成12000000亩",
            "44010619800101001Y",
            "440106199013451234",
            "合同号AB13800138000",
            "12345678901",
            "1234567812345678",
        ] {
            let (t, f) = mask(s);
            assert_eq!(t, s);
            assert!(f.is_empty(), "{s}");
        }
    }

    fn table(widths: usize, rows: usize) -> Table {
        use crate::model::{Column, ColumnKind, Origin, Row, RowKind};
        Table {
            title: None,
            meta: Vec::new(),
            unit: None,
            columns: (0..widths)
                .map(|c| Column {
                    name: format!("c{c}"),
                    path: vec![format!("c{c}")],
                    kind: ColumnKind::Text,
                    hidden: false,
                    formulas_without_values: false,
                    source_col: Some(c as u32),
                })
                .collect(),
            rows: (0..rows)
                .map(|r| Row {
                    kind: RowKind::Item,
                    level: 1,
                    cells: (0..widths)
                        .map(|c| Cell::new(Value::Text(format!("r{r}c{c}"))))
                        .collect(),
                    hidden: false,
                    source_row: Some(r as u32 + 1),
                })
                .collect(),
            notes: Vec::new(),
            origin: Origin::default(),
            hidden: false,
        }
    }

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.value.canonical()).collect())
            .collect()
    }

    #[test]
    fn spans_shrink_over_what_is_left_out() {
        // A cell spanning c0..c3 with c1 hidden spans three columns after.
        let mut t = table(4, 3);
        t.rows[0].cells[0].col_span = Span::new(4).unwrap();
        for c in 1..4 {
            t.rows[0].cells[c] = Cell::default();
        }
        t.columns[1].hidden = true;
        // A cell spanning rows 1..2 whose first row is hidden moves down.
        t.rows[1].cells[3].row_span = Span::new(2).unwrap();
        t.rows[2].cells[3] = Cell::default();
        t.rows[1].hidden = true;
        let report = apply_table(&mut t, &Disclosure::default(), "table 1");
        assert_eq!(t.columns.len(), 3);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[0].col_span.get(), 3);
        assert_eq!(texts(&t)[1], ["r2c0", "r2c2", "r1c3"]);
        assert_eq!(t.rows[1].cells[2].row_span.get(), 1);
        let lines: Vec<String> = report.iter().map(|w| w.to_string()).collect();
        assert_eq!(
            lines,
            ["table 1: 1 hidden row (source row 2), 1 hidden column (B) left out"]
        );
        // A merged cell starting in a hidden column moves right.
        let mut t = table(3, 1);
        t.rows[0].cells[0].col_span = Span::new(2).unwrap();
        t.rows[0].cells[1] = Cell::default();
        t.columns[0].hidden = true;
        apply_table(&mut t, &Disclosure::default(), "table 1");
        assert_eq!(texts(&t)[0], ["r0c0", "r0c2"]);
        assert_eq!(t.rows[0].cells[0].col_span.get(), 1);
    }

    #[test]
    fn keep_leaves_everything_and_ranges_read_well() {
        let mut t = table(3, 2);
        t.columns[2].hidden = true;
        t.rows[0].hidden = true;
        let keep = Disclosure::default().with_hidden(HiddenPolicy::Keep);
        assert!(apply_table(&mut t, &keep, "table 1").is_empty());
        assert_eq!((t.columns.len(), t.rows.len()), (3, 2));
        assert_eq!(
            ranges(vec![9, 7, 8, 12, 3], |x| x.to_string()),
            "3, 7–9, 12"
        );
        assert_eq!(ranges(vec![6, 7, 8], column_letters), "G–I");
    }

    #[test]
    fn id_check_digit_is_validated() {
        let d = [4, 4, 0, 1, 0, 6, 1, 9, 8, 0, 0, 1, 0, 1, 0, 0, 1];
        assert!(valid_id(&d, '9'));
        assert!(!valid_id(&d, 'X'));
        let (t, f) = mask("身份证440106198001010019号");
        assert_eq!(t, "身份证440106********0019号");
        assert_eq!(f, vec![PersonalData::IdNumber]);
    }
}
