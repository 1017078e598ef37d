//! Shared helpers of the integration tests: fixtures, comparison with the
//! corpus's expected JSON, and "same tables" for round trips.
#![allow(dead_code)]

pub mod golden;
pub mod libreoffice;
pub mod ofd;
pub mod pdf;

use gongkai::grid::header_layout;
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
    let layout = header_layout(&paths);
    let groups: Vec<Json> = layout
        .cells
        .iter()
        .filter(|c| c.row + c.rows < layout.depth)
        .map(|c| {
            serde_json::json!({
                "label": c.text, "header_row": c.row,
                "first_col": c.col, "last_col": c.col + c.cols - 1
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

/// Every character a public version of a table shows: meta lines, header
/// labels, cells (amounts as formatted), notes; the title is left to the
/// caller (a book numbers it).
pub fn shown_text(t: &Table) -> String {
    use gongkai::amount::{format_amount, format_percent};
    let mut text = String::new();
    for m in &t.meta {
        text.push_str(&m.text);
    }
    let layout = header_layout(&t.columns.iter().map(|c| c.path.clone()).collect::<Vec<_>>());
    for h in &layout.cells {
        text.push_str(&h.text);
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
