//! Checks: sums, totals, indicator codes, empty tables.

mod common;

use common::*;
use gongkai::check::check;

#[test]
fn seed_has_the_indicator_findings_and_no_sum_findings() {
    for rel in ["seed/budget.txt", "seed/budget.csv", "seed/budget.md"] {
        let findings = check(&read(rel));
        let codes: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
        assert!(
            !codes.iter().any(|c| *c == "sum.row" || *c == "sum.column"),
            "{rel}: {findings:?}"
        );
        let level: Vec<_> = findings
            .iter()
            .filter(|f| f.rule == "indicator.level")
            .collect();
        assert_eq!(level.len(), 1, "{rel}: {findings:?}");
        assert!(level[0].to_string().contains("办公设备购置"));
        assert!(
            level[0]
                .message
                .contains("11-数量指标 does not belong to level-1 indicator 2-效益指标")
        );
    }
}

#[test]
fn seed_indicators_are_structured() {
    let doc = read("seed/budget.txt");
    let table = &doc.tables[0];
    let col = table
        .columns
        .iter()
        .position(|c| c.name == "绩效指标")
        .unwrap();
    for row in table.rows.iter().skip(2) {
        assert!(!row.cells[col].indicators.is_empty(), "{:?}", row.cells[0]);
    }
    let big = table
        .rows
        .iter()
        .find(|r| r.cells[0].text() == Some("重点项目奖励专项经费"))
        .unwrap();
    let inds = &big.cells[col].indicators;
    assert_eq!(inds.len(), 6);
    assert_eq!(inds[5].name, "申请项目办理时限(不包含专家评审、公示时间)");
    assert_eq!(inds[5].level2.as_ref().unwrap().name, "时效指标");
    assert_eq!(inds[5].annual_target.as_deref(), Some("小于21个工作日"));
    let json = serde_json::to_string(&doc).unwrap();
    assert!(json.contains("\"period_target\":\"大于等于2个项目\""));
}

#[test]
fn wrong_totals_are_found_with_both_numbers_and_the_difference() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/text-variants/bad_totals.txt");
    let doc = gongkai::read_path(&path, &gongkai::ReadOptions::default()).unwrap();
    let text: Vec<String> = check(&doc).iter().map(|f| f.to_string()).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(
        has(
            "row '档案安全保卫服务' (source row 9), column '总计': 总计 300.00 ≠ 财政拨款 + 财政专户拨款 + 其他资金 = 305.00 (difference -5.00)"
        ),
        "{text:#?}"
    );
    assert!(
        has(
            "row '合计' (source row 5), column '总计': 1,250.00 ≠ sum of its 3 item rows 1,230.00 (difference 20.00)"
        ),
        "{text:#?}"
    );
    assert!(
        has(
            "row '广州市黄埔区档案馆' (source row 6), column '总计': 1,250.00 ≠ sum of its 3 child rows 1,230.00 (difference 20.00)"
        ),
        "{text:#?}"
    );
}

#[test]
fn consistent_variants_have_no_findings() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text-variants");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_stem().unwrap() == "bad_totals" {
            continue;
        }
        let doc = gongkai::read_path(&path, &gongkai::ReadOptions::default()).unwrap();
        let findings = check(&doc);
        assert!(findings.is_empty(), "{path:?}: {findings:#?}");
    }
}

#[test]
fn an_empty_table_needs_a_note() {
    let text = "政府性基金预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n";
    let doc = gongkai::read_bytes(text.as_bytes(), "e.txt", &Default::default()).unwrap();
    let findings = check(&doc);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "table.empty-without-note");
    let noted = format!("{text}本部门无政府性基金预算支出，故本表为空表。\n");
    let doc = gongkai::read_bytes(noted.as_bytes(), "e.txt", &Default::default()).unwrap();
    assert!(check(&doc).is_empty());
}
