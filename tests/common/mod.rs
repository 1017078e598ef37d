//! Shared helpers of the integration tests: fixtures, comparison with the
//! corpus's expected JSON, and "same tables" for round trips.
#![allow(dead_code)]

pub mod golden;
pub mod libreoffice;
pub mod ofd;
pub mod pdf;

use gongkai::model::{Document, Table, Value};
use serde_json::Value as Json;
use std::path::PathBuf;

/// A file under tests/fixtures/corpus.
pub fn corpus(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpus")
        .join(rel)
}

/// Reads a corpus file with default options.
pub fn read(rel: &str) -> Document {
    gongkai::read_path(&corpus(rel), &gongkai::ReadOptions::default())
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The expected JSON for a corpus file.
pub fn expected(rel: &str) -> Json {
    let path = corpus("expected").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A cell as the expected JSON writes it: amounts with their decimals,
/// text as is, empty as null.
pub fn canonical(v: &Value) -> Json {
    match v {
        Value::Empty => Json::Null,
        Value::Text(t) => Json::String(t.clone()),
        Value::Amount(d) => Json::String(d.to_string()),
        Value::Percent(d) => Json::String(format!("{d}%")),
    }
}

/// Asserts that `table` has exactly the expected content.
pub fn assert_matches_expected(table: &Table, exp: &Json, ctx: &str) {
    assert_eq!(
        table.title.as_deref(),
        exp["title"].as_str(),
        "{ctx}: title"
    );
    let meta_texts: Vec<&str> = table.meta.iter().map(|m| m.text.as_str()).collect();
    for key in ["department_line", "unit_line"] {
        if let Some(line) = exp[key].as_str() {
            assert!(
                meta_texts.contains(&line),
                "{ctx}: {key} {line:?} not in {meta_texts:?}"
            );
        }
    }
    assert_eq!(
        table.unit.map(|u| u.name()),
        exp["unit"].as_str(),
        "{ctx}: unit"
    );
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let exp_names: Vec<&str> = exp["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(names, exp_names, "{ctx}: columns");
    let kinds: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            serde_json::to_value(c.kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let exp_kinds: Vec<String> = exp["column_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, exp_kinds, "{ctx}: column kinds");
    assert_eq!(
        table.header_depth(),
        exp["header_rows"].as_u64().unwrap() as usize,
        "{ctx}: header rows"
    );
    let paths: Vec<Vec<String>> = table.columns.iter().map(|c| c.path.clone()).collect();
    let groups: Vec<Json> = header_groups(&paths)
        .into_iter()
        .map(|g| {
            serde_json::json!({
                "label": g.label, "header_row": g.row,
                "first_col": g.first, "last_col": g.last
            })
        })
        .collect();
    assert_eq!(
        Json::Array(groups),
        exp["column_groups"],
        "{ctx}: column groups"
    );
    let rows: Vec<Json> = table
        .rows
        .iter()
        .map(|r| Json::Array(r.cells.iter().map(|c| canonical(&c.value)).collect()))
        .collect();
    let exp_rows = exp["rows"].as_array().unwrap();
    assert_eq!(rows.len(), exp_rows.len(), "{ctx}: row count");
    for (i, (got, want)) in rows.iter().zip(exp_rows).enumerate() {
        assert_eq!(got, want, "{ctx}: row {i}");
    }
    let notes: Vec<Json> = table
        .notes
        .iter()
        .map(|n| Json::String(n.clone()))
        .collect();
    assert_eq!(Json::Array(notes), exp["notes"], "{ctx}: notes");
    if let Some(levels) = exp["row_levels"].as_array() {
        let got: Vec<u64> = table.rows.iter().map(|r| u64::from(r.level)).collect();
        let want: Vec<u64> = levels.iter().map(|v| v.as_u64().unwrap()).collect();
        assert_eq!(got, want, "{ctx}: row levels");
    }
}

/// The content of a table that every output keeps: title, meta lines,
/// unit, columns, row kinds, levels and values, notes. Provenance, raw
/// source texts, alignment and body spans are left out.
pub fn content(table: &Table) -> Json {
    serde_json::json!({
        "title": table.title,
        "meta": table.meta.iter().map(|m| (m.key.clone(), m.value.clone(), m.text.clone())).collect::<Vec<_>>(),
        "unit": table.unit.map(|u| u.name()),
        "columns": table.columns.iter().map(|c| (c.path.clone(), c.kind)).collect::<Vec<_>>(),
        "rows": table.rows.iter().map(|r| {
            (r.kind, r.level, r.cells.iter().map(|c| canonical(&c.value)).collect::<Vec<_>>())
        }).collect::<Vec<_>>(),
        "notes": table.notes,
    })
}

/// Asserts two documents hold the same tables.
pub fn assert_same_tables(a: &Document, b: &Document, ctx: &str) {
    assert_eq!(a.tables.len(), b.tables.len(), "{ctx}: table count");
    for (i, (x, y)) in a.tables.iter().zip(&b.tables).enumerate() {
        assert_eq!(content(x), content(y), "{ctx}: table {i}");
    }
}

/// Every column's header path.
pub fn column_paths(table: &Table) -> Vec<Vec<&str>> {
    table
        .columns
        .iter()
        .map(|c| c.path.iter().map(String::as_str).collect())
        .collect()
}

/// Asserts that a two-level version of the seed (资金来源 over 财政拨款,
/// 财政专户拨款, 其他资金) holds the seed's cells and header paths.
pub fn assert_two_level_seed(table: &Table, ctx: &str) {
    let mut exp = expected("seed.json");
    exp["header_rows"] = Json::from(2);
    exp["column_groups"] = serde_json::json!([
        {"label": "资金来源", "header_row": 0, "first_col": 2, "last_col": 4}
    ]);
    assert_matches_expected(table, &exp, ctx);
    assert_eq!(
        column_paths(table),
        vec![
            vec!["项目名称（资金使用单位）"],
            vec!["总计"],
            vec!["资金来源", "财政拨款"],
            vec!["资金来源", "财政专户拨款"],
            vec!["资金来源", "其他资金"],
            vec!["绩效目标"],
            vec!["绩效指标"],
        ],
        "{ctx}"
    );
}

/// A group label of a header: the label shared by neighbouring columns
/// at one header row, shown once over all of them.
pub struct HeaderGroup {
    /// Header row (0 = top).
    pub row: usize,
    /// First column it spans.
    pub first: usize,
    /// Last column it spans.
    pub last: usize,
    /// The label.
    pub label: String,
}

/// The group labels a header of these column paths shows, row by row, left
/// to right: at header row `r`, each longest run of neighbouring columns
/// whose paths go below `r` and agree up to it. (Each column's last label
/// is its own header cell.)
pub fn header_groups(paths: &[Vec<String>]) -> Vec<HeaderGroup> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    let mut groups = Vec::new();
    for row in 0..depth {
        let mut first = 0;
        while first < paths.len() {
            let path = &paths[first];
            if path.len() <= row + 1 {
                first += 1;
                continue;
            }
            let mut last = first;
            while paths
                .get(last + 1)
                .is_some_and(|p| p.len() > row + 1 && p[..=row] == path[..=row])
            {
                last += 1;
            }
            groups.push(HeaderGroup {
                row,
                first,
                last,
                label: path[row].clone(),
            });
            first = last + 1;
        }
    }
    groups
}

/// Every character a public version of a table shows: meta lines, header
/// labels, cells (amounts as formatted), notes; the title is left to the
/// caller (a book numbers it).
pub fn shown_text(t: &Table) -> String {
    use gongkai::{format_amount, format_percent};
    let mut text = String::new();
    for m in &t.meta {
        text.push_str(&m.text);
    }
    let paths: Vec<Vec<String>> = t.columns.iter().map(|c| c.path.clone()).collect();
    for g in header_groups(&paths) {
        text.push_str(&g.label);
    }
    for p in &paths {
        text.push_str(p.last().map_or("", String::as_str));
    }
    for r in &t.rows {
        for c in &r.cells {
            match &c.value {
                Value::Empty => {}
                Value::Text(s) => text.push_str(s),
                Value::Amount(d) => text.push_str(&format_amount(*d)),
                Value::Percent(d) => text.push_str(&format_percent(*d)),
            }
        }
    }
    for n in &t.notes {
        text.push_str(n);
    }
    text
}

/// A header's cells as a reader meets them, row by row and left to right:
/// a group label once over its columns, a leaf label in the row of its
/// last path element (spanning down to the bottom row).
pub fn header_cells(paths: &[Vec<String>]) -> Vec<String> {
    let depth = paths.iter().map(Vec::len).max().unwrap_or(0);
    let mut cells = Vec::new();
    for row in 0..depth {
        for (c, path) in paths.iter().enumerate() {
            let Some(label) = path.get(row) else {
                continue;
            };
            let leaf = row + 1 == path.len();
            let continues_group =
                c > 0 && paths[c - 1].len() > row + 1 && paths[c - 1][..=row] == path[..=row];
            if leaf || !continues_group {
                cells.push(label.clone());
            }
        }
    }
    cells
}

/// The document's blocks in order, one letter each: `p` a text section,
/// `t` a table.
pub fn block_kinds(doc: &Document) -> String {
    use gongkai::model::Block;
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Text(_) => 'p',
            Block::Table { .. } => 't',
        })
        .collect()
}

/// Every piece of text a document holds, in reading order: each text
/// section's heading and paragraphs; each table's title, meta lines,
/// header labels, body cells (as the source wrote them where that differs
/// from the value) and notes.
pub fn reader_text(doc: &Document) -> Vec<String> {
    use gongkai::model::Block;
    let mut out = Vec::new();
    for block in doc.reading_order() {
        match block {
            Block::Text(s) => {
                out.extend(s.heading);
                out.extend(s.paragraphs.into_iter().map(|p| p.text));
            }
            Block::Table { index } => {
                let t = &doc.tables[index];
                out.extend(t.title.clone());
                out.extend(t.meta.iter().map(|m| m.text.clone()));
                let paths: Vec<Vec<String>> = t.columns.iter().map(|c| c.path.clone()).collect();
                out.extend(header_cells(&paths));
                for r in &t.rows {
                    for c in &r.cells {
                        out.push(c.raw.clone().unwrap_or_else(|| c.value.canonical()));
                    }
                }
                out.extend(t.notes.iter().cloned());
            }
        }
    }
    out.retain(|t| !t.trim().is_empty());
    out
}

/// Text without white space and thousands separators: how a reader may
/// split a line into meta items or cells, or write an amount, leaves it
/// the same.
pub fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != ',')
        .collect()
}

/// Asserts that every paragraph of the source (`source`, in order) is in
/// the document's text (a text block, a table's title, meta line or note,
/// or a cell), in the same order, and that the document holds no text the
/// source does not.
pub fn assert_nothing_lost(source: &[String], doc: &Document, ctx: &str) {
    let pieces = reader_text(doc);
    let read: String = pieces.iter().map(|p| compact(p)).collect();
    let mut at = 0;
    for (i, paragraph) in source.iter().enumerate() {
        let want = compact(paragraph);
        if want.is_empty() {
            continue;
        }
        match read[at..].find(&want) {
            Some(found) => {
                let skipped = &read[at..at + found];
                assert!(
                    skipped.is_empty(),
                    "{ctx}: the reader has '{skipped}' before source paragraph {i} '{paragraph}'"
                );
                at += found + want.len();
            }
            None => panic!(
                "{ctx}: source paragraph {i} '{paragraph}' is lost or out of order; the reader's text from there: {:?}",
                &pieces
            ),
        }
    }
    assert_eq!(&read[at..], "", "{ctx}: text the source does not hold");
}
