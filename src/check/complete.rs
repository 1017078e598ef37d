//! Completeness of a whole disclosure: the tables and chapters the
//! profile requires (`complete.table`, `complete.chapter`), and the
//! conditional tables (政府性基金, 国有资本经营) that, missing or empty,
//! need an empty-table statement (`complete.empty-statement`).

use super::config::Config;
use super::finding::{Finding, Place};
use super::{Disclosure, ParagraphKind, TableView, fold};
use crate::classify::standard_rank;

/// Whether a table answers to a profile entry: by standard rank when the
/// entry is a standard name, else by words in its title; `A|B` is either.
fn answers(t: &TableView, entry: &str) -> bool {
    entry.split('|').any(|alt| {
        let alt = fold(alt);
        match standard_rank(&alt) {
            Some(rank) => {
                standard_rank(&t.title).or_else(|| t.file.as_deref().and_then(standard_rank))
                    == Some(rank)
            }
            None => fold(&t.title).contains(&alt),
        }
    })
}

/// Whether a text is an empty-table statement (本部门无…，故本表为空表).
pub fn is_empty_statement(text: &str) -> bool {
    let t = fold(text);
    t.contains("空表") || (t.contains('无') && (t.contains("本表") || t.contains("安排")))
}

/// The fund an empty-table statement names, if one.
pub fn fund_named(text: &str) -> Option<&'static str> {
    let t = fold(text);
    ["政府性基金", "国有资本经营"]
        .into_iter()
        .find(|f| t.contains(f))
}

/// Whether any text of the disclosure (a note of any table, a paragraph)
/// is an empty-table statement naming `fund`.
fn statement_anywhere(d: &Disclosure, fund: &str) -> bool {
    let notes = d
        .tables
        .iter()
        .flat_map(|t| t.table.notes.iter().map(String::as_str));
    let prose = d
        .chapters
        .iter()
        .flat_map(|c| c.paragraphs.iter().map(|p| p.text.as_str()));
    notes
        .chain(prose)
        .any(|x| is_empty_statement(x) && fold(x).contains(fund))
}

fn fund_of(entry: &str) -> Option<&'static str> {
    fund_named(entry)
}

/// A paragraph that stands as a numbered heading inside a chapter
/// ("四、绩效目标设置情况" in a prose sheet, where the workbook marks no
/// heading): an outline number, short, no sentence inside.
pub(super) fn reads_as_heading(text: &str) -> bool {
    let t = text.trim();
    let numbered = t.split_once('、').is_some_and(|(n, _)| {
        !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c))
    }) || (t.starts_with('（') && t.contains('）'));
    numbered && t.chars().count() <= 30 && !t.contains(['。', '；', '：'])
}

/// Adds the completeness findings of a whole disclosure.
pub fn check(d: &Disclosure, config: &Config, out: &mut Vec<Finding>) {
    for entry in &config.required_tables {
        if !d.tables.iter().any(|t| answers(t, entry)) {
            out.push(
                Finding::new(
                    "complete.table",
                    Place::default(),
                    format!("the disclosure has no {entry} (required by the profile's checks.required_tables)"),
                )
                .values("missing", entry.clone()),
            );
        }
    }
    for entry in &config.conditional_tables {
        let table = d.tables.iter().find(|t| answers(t, entry));
        let fund = fund_of(entry).unwrap_or("");
        match table {
            Some(t) if !t.table.rows.is_empty() => {}
            Some(t) => {
                // An empty table without a note is `table.empty-without-note`.
                if t.table.notes.is_empty() && !statement_anywhere(d, fund) {
                    continue;
                }
            }
            None => {
                if !fund.is_empty() && statement_anywhere(d, fund) {
                    continue;
                }
                out.push(
                    Finding::new(
                        "complete.empty-statement",
                        Place::default(),
                        format!(
                            "the disclosure has no {entry} and no statement saying why (e.g. 本部门无{}预算，故本表为空表)",
                            if fund.is_empty() { "…" } else { fund }
                        ),
                    )
                    .values("missing", entry.clone()),
                );
            }
        }
    }
    if d.chapters.is_empty() {
        // Documents without prose (one workbook of tables): the chapters
        // live elsewhere, nothing to say.
        return;
    }
    for entry in &config.required_chapters {
        let alts: Vec<String> = entry.split('|').map(fold).collect();
        let has = |s: &str| {
            let s = fold(s);
            alts.iter().any(|a| s.contains(a.as_str()))
        };
        let in_chapters = d.chapters.iter().any(|c| {
            has(&c.title)
                || c.paragraphs.iter().any(|p| {
                    (p.kind == ParagraphKind::Heading
                        || reads_as_heading(&p.text)
                        || super::document::title_like(&p.text))
                        && has(&p.text)
                })
        });
        let in_tables = d
            .tables
            .iter()
            .any(|t| has(&t.title) || t.table.notes.iter().any(|n| has(n)));
        if !in_chapters && !in_tables {
            out.push(
                Finding::new(
                    "complete.chapter",
                    Place::default(),
                    format!(
                        "the disclosure has no chapter or heading on {entry} (required by the profile's checks.required_chapters)"
                    ),
                )
                .values("missing", entry.clone()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reads_as_heading;

    #[test]
    fn numbered_short_lines_read_as_headings_sentences_do_not() {
        assert!(reads_as_heading("四、绩效目标设置情况"));
        assert!(reads_as_heading("（二）项目支出"));
        assert!(!reads_as_heading(
            "四、绩效目标：本单位编报绩效目标的项目共25个。"
        ));
        assert!(!reads_as_heading("绩效目标设置情况"));
        assert!(!reads_as_heading(
            "一、本单位编报绩效目标的项目共25个涉及项目预算资金11381.60万元并全部公开"
        ));
    }
}
