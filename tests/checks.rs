//! Checks of whole disclosures: rule ids, severities, places and values.
//!
//! The fixture tests/fixtures/checks/putuo-2025 is the 2025 budget book of
//! 上海市普陀区财政局 typed in by hand from the published text
//! (../shared/realdata/pdftotext-derived/上海市普陀区财政局部门25年预算.layout.txt):
//! its nine tables as tab-separated text, its 编制说明 and 其他相关情况说明 as
//! Markdown, with the published mistakes. Each test below copies it, changes
//! what the test is about, and checks the findings.

use gongkai::book::{self, BookOptions};
use gongkai::check::{Finding, Severity};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks/putuo-2025")
}

fn copy_of(dir: &Path, name: &str) -> PathBuf {
    let to = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-checks-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&to);
    std::fs::create_dir_all(&to).unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    to
}

fn findings(dir: &Path) -> Vec<Finding> {
    let b = book::build(dir, &BookOptions::default()).unwrap();
    book::check(&b)
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file}: {from:?} not found");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const EXPLAINED: &str = "部门预算编制说明.md";
const OTHER: &str = "其他相关情况说明.md";
const STATE_CAPITAL: &str = "07 国有资本经营预算支出功能分类预算表.txt";
const SANGONG: &str = "09 部门三公经费和机关运行经费预算表.txt";
const SPENDING: &str = "03 部门支出预算总表.txt";

/// The items 7–11 printed a second time at the end of the 编制说明.
const REPEATED_ITEMS: &str = "\n7.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”887.36万元，主要用于缴纳职业年金支出。\n\n8.“社会保障和就业支出（类）行政事业单位养老支出（款）其它行政事业单位养老支出（项）”0.96万元，主要用于缴纳养老支出。\n\n9.“卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）”78.21万元，主要用于局本级和所属单位在职人员基本医疗保险费。\n\n10.“住房保障支出（类）住房改革支出（款）住房公积金（项）”204.91万元，主要用于缴纳在职人员住房公积金。\n\n11.“住房保障支出（类）住房改革支出（款）购房补贴（项）”268.77万元，主要用于购房补贴支出。\n";

/// The published book with its three mistakes corrected.
fn corrected(name: &str) -> PathBuf {
    let dir = copy_of(&fixture(), name);
    let path = dir.join(EXPLAINED);
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text.rfind(REPEATED_ITEMS).expect("the repeated items");
    let text = text[..cut].to_string() + "\n";
    std::fs::write(&path, text.replace("887.36万元", "87.36万元")).unwrap();
    edit(
        &dir,
        STATE_CAPITAL,
        "无政府性基金预算",
        "无国有资本经营预算",
    );
    dir
}

/// The findings of one rule.
fn of_rule<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

fn summary(f: &[Finding]) -> Vec<(String, String)> {
    f.iter()
        .map(|f| (f.rule.clone(), f.place.to_string()))
        .collect()
}

#[test]
fn the_published_putuo_book_has_its_mistakes_found_and_nothing_else() {
    let f = findings(&fixture());
    let rules: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        vec![
            // The 国有资本经营 table's note says 本部门2025年无政府性基金预算…
            // (page 15 of the PDF): copied from the 政府性基金 table.
            "text.empty-statement-fund",
            // Items 7–11 of the 编制说明 are printed twice (page 5); the
            // second run starts again at 7 after 11.
            "text.repeated",
            "text.numbering",
            "text.repeated",
            "text.repeated",
            "text.repeated",
            "text.repeated",
            // Item 7 says 职业年金 887.36万元; the tables say 873,617.00元
            // (87.36万元) — in both printings of the item.
            "text.amount",
            "text.amount",
        ],
        "{:#?}",
        summary(&f)
    );
    let fund = &f[0];
    assert_eq!(fund.severity, Severity::Error);
    assert!(
        fund.place
            .table
            .as_deref()
            .unwrap()
            .contains("国有资本经营预算支出功能分类预算表")
    );
    assert_eq!(fund.found.as_deref(), Some("政府性基金"));
    assert_eq!(fund.expected.as_deref(), Some("国有资本经营"));

    let first_repeat = &f[1];
    assert_eq!(
        first_repeat.place.chapter.as_deref(),
        Some("2025年部门预算编制说明")
    );
    assert_eq!(first_repeat.place.file.as_deref(), Some(EXPLAINED));
    assert_eq!(first_repeat.place.paragraph, Some(16));
    assert!(first_repeat.message.contains("repeats paragraph 11"));
    assert!(f[2].message.contains("7 follows 11"), "{}", f[2].message);

    let amount = &f[7];
    assert_eq!(amount.severity, Severity::Error);
    assert_eq!(amount.place.paragraph, Some(11));
    // The character offset of "887.36" in the item.
    let item =
        "7.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）”";
    assert_eq!(amount.place.offset, Some(item.chars().count()));
    assert_eq!(amount.found.as_deref(), Some("887.36万元"));
    let expected = amount.expected.as_deref().unwrap();
    assert!(
        expected.contains("row '机关事业单位职业年金缴费支出'")
            && expected.contains("column '合计'")
            && expected.ends_with("= 873,617.00元"),
        "{expected}"
    );
    assert!(
        amount.message.contains("(difference 800万元)")
            || amount.message.contains("difference 799.9983万元"),
        "{}",
        amount.message
    );
    assert_eq!(f[8].place.paragraph, Some(16));
}

#[test]
fn the_corrected_putuo_book_has_no_findings() {
    let dir = corrected("clean");
    let f = findings(&dir);
    assert!(f.is_empty(), "{:#?}", summary(&f));
}

/// One mistake put into the corrected book, and the findings it must give:
/// (rule, a part of the place, found, expected) — found/expected `None`
/// when not compared.
struct Case {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    want: &'static [(
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
    )],
}

const CASES: &[Case] = &[
    Case {
        name: "amount",
        file: EXPLAINED,
        from: "”1,623.18万元",
        to: "”1,632.18万元",
        want: &[(
            "text.amount",
            "paragraph 5, character 29",
            Some("1,632.18万元"),
            None,
        )],
    },
    Case {
        // A 科目 path without quotes, with its codes (as 司法局's books
        // write them), right before the amount.
        name: "bare-subject",
        file: EXPLAINED,
        from: "1.“一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元",
        to: "1.一般公共服务支出（201类）财政事务（06款）行政运行（01项）1,632.18万元",
        want: &[(
            "text.amount",
            "paragraph 5, character 34",
            Some("1,632.18万元"),
            None,
        )],
    },
    Case {
        name: "unit-slip",
        file: EXPLAINED,
        from: "”0.96万元",
        to: "”9,620万元",
        want: &[("text.unit-slip", "paragraph 12", Some("9,620万元"), None)],
    },
    Case {
        name: "total-named",
        file: OTHER,
        from: "机关运行经费预算为229.43万元",
        to: "机关运行经费预算为292.43万元",
        want: &[(
            "text.amount",
            "chapter '其他相关情况说明', paragraph 7",
            Some("292.43万元"),
            None,
        )],
    },
    Case {
        // A share of the total before 其中: 3,121.42 of 3,121.42 is 100 %.
        name: "percent-share",
        file: EXPLAINED,
        from: "财政拨款收入3,121.42万元，比2024年预算增加107.62万元；",
        to: "财政拨款收入3,121.42万元，占99.00%，比2024年预算增加107.62万元；",
        want: &[(
            "text.percent",
            "paragraph 1, character 51",
            Some("99.00%"),
            Some("100.00%"),
        )],
    },
    Case {
        // The same share written right: nothing.
        name: "percent-share-right",
        file: EXPLAINED,
        from: "财政拨款收入3,121.42万元，比2024年预算增加107.62万元；",
        to: "财政拨款收入3,121.42万元，占100.00%，比2024年预算增加107.62万元；",
        want: &[],
    },
    Case {
        // A change by an amount: 107.62 on 3,121.42 − 107.62 is +3.57 %.
        name: "percent-change",
        file: EXPLAINED,
        from: "比2024年预算增加107.62万元；事业收入",
        to: "比2024年预算增加107.62万元，增长3.75%；事业收入",
        want: &[(
            "text.percent",
            "chapter '2025年部门预算编制说明', paragraph 1",
            Some("增长3.75%"),
            Some("增长3.57%"),
        )],
    },
    Case {
        name: "percent-change-right",
        file: EXPLAINED,
        from: "比2024年预算增加107.62万元；事业收入",
        to: "比2024年预算增加107.62万元，增长3.57%；事业收入",
        want: &[],
    },
    Case {
        // A whole named and found in the tables: 229.43万元 of the 基本支出
        // 25,121,091.00元 (一般公共预算支出表) is 9.13 %.
        name: "percent-of-a-table-total",
        file: OTHER,
        from: "机关运行经费预算为229.43万元。",
        to: "机关运行经费预算为229.43万元，占基本支出的19.13%。",
        want: &[(
            "text.percent",
            "chapter '其他相关情况说明', paragraph 7",
            Some("19.13%"),
            Some("9.13%"),
        )],
    },
    Case {
        name: "percent-of-a-table-total-right",
        file: OTHER,
        from: "机关运行经费预算为229.43万元。",
        to: "机关运行经费预算为229.43万元，占基本支出的9.13%。",
        want: &[],
    },
    Case {
        name: "repeated",
        file: EXPLAINED,
        from: "财政拨款支出主要内容如下：",
        to: "财政拨款收入支出增加的主要原因是人员经费增加、信息化系统日常维护费和中介机构服务费增加项目经费支出。\n\n财政拨款支出主要内容如下：",
        want: &[(
            "text.repeated",
            "paragraph 4",
            Some("paragraph 4"),
            Some("paragraph 3"),
        )],
    },
    Case {
        name: "numbering",
        file: EXPLAINED,
        from: "\n3.“",
        to: "\n4.“",
        want: &[
            ("text.numbering", "paragraph 7", Some("4"), Some("3")),
            ("text.numbering", "paragraph 8", Some("4"), Some("5")),
        ],
    },
    Case {
        name: "fund",
        file: "06 政府性基金预算支出功能分类预算表.txt",
        from: "无政府性基金预算",
        to: "无国有资本经营预算",
        want: &[(
            "text.empty-statement-fund",
            "政府性基金预算支出功能分类预算表",
            Some("国有资本经营"),
            Some("政府性基金"),
        )],
    },
    Case {
        name: "no-note",
        file: "06 政府性基金预算支出功能分类预算表.txt",
        from: "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",
        to: "",
        want: &[(
            "table.empty-without-note",
            "政府性基金预算支出功能分类预算表",
            None,
            None,
        )],
    },
    Case {
        name: "year",
        file: SANGONG,
        from: "2025年部门“三公”",
        to: "2024年部门“三公”",
        want: &[("year.mismatch", "三公", Some("2024年"), Some("2025年"))],
    },
    Case {
        name: "heading-year",
        file: OTHER,
        from: "## 一、2025年",
        to: "## 一、2024年",
        want: &[(
            "year.mismatch",
            "chapter '其他相关情况说明', paragraph 1, character 2",
            Some("2024年"),
            Some("2025年"),
        )],
    },
    Case {
        // A change against the budget year itself.
        name: "comparison-year",
        file: EXPLAINED,
        from: "财政拨款收入3,121.42万元，比2024年预算增加107.62万元；",
        to: "财政拨款收入3,121.42万元，比2025年预算增加107.62万元；",
        want: &[(
            "year.mismatch",
            "chapter '2025年部门预算编制说明', paragraph 1, character 51",
            Some("2025年"),
            Some("2024年"),
        )],
    },
    Case {
        name: "sangong",
        file: SANGONG,
        from: "0.95\t\t\t\t\t0.95",
        to: "0.95\t\t\t\t\t0.85",
        want: &[
            (
                "identity.sangong",
                "column '合计'",
                Some("0.95"),
                Some("0.85"),
            ),
            // The prose says 公务接待费0.95万元.
            ("text.amount", "paragraph 5", Some("0.95万元"), None),
        ],
    },
    Case {
        // In 万元, 合计 0.96 against 公务接待费 0.95 is within the rounding
        // of two figures (0.005 each): a rounding warning, not an identity
        // error — but the prose's “三公”经费0.95万元 no longer is the 合计.
        name: "sangong-rounding",
        file: SANGONG,
        from: "0.95\t\t\t\t\t0.95",
        to: "0.96\t\t\t\t\t0.95",
        want: &[
            ("sum.rounding", "column '合计'", Some("0.96"), Some("0.95")),
            (
                "text.amount",
                "chapter '其他相关情况说明', paragraph 2",
                Some("0.95万元"),
                None,
            ),
        ],
    },
    Case {
        name: "sangong-car",
        file: SANGONG,
        from: "0.95\t\t\t\t\t0.95",
        to: "0.95\t\t0.10\t\t\t0.95",
        want: &[
            // 合计 0.95 ≠ 0 + 0.10 + 0.95, and 小计 0.10 ≠ 购置费 + 运行费.
            (
                "identity.sangong",
                "column '合计'",
                Some("0.95"),
                Some("1.05"),
            ),
            (
                "identity.sangong-car",
                "column '小计'",
                Some("0.10"),
                Some("0.00"),
            ),
            // The prose's 公务车购置及运行费0万元 is 0.10万元 written to
            // whole 万元, so it is no finding.
        ],
    },
    Case {
        name: "basic",
        file: "08 一般公共预算基本支出部门预算经济分类预算表.txt",
        from: "30201\t办公费\t170,000.00\t0.00\t170,000.00",
        to: "30201\t办公费\t170,000.00\t0.00\t160,000.00",
        want: &[
            // 商品和服务支出's 公用经费 is no longer the sum of its items.
            (
                "sum.column",
                "row '商品和服务支出'",
                Some("2,204,335.00"),
                Some("2,194,335.00"),
            ),
            (
                "identity.basic",
                "row '办公费'",
                Some("170,000.00"),
                Some("160,000.00"),
            ),
        ],
    },
    Case {
        name: "cross",
        file: SPENDING,
        from: "\t合计\t31,214,205.80\t25,121,091.00\t6,093,114.80",
        to: "\t合计\t31,214,205.00\t25,121,091.00\t6,093,114.80",
        want: &[
            (
                "sum.row",
                "row '合计'",
                Some("31,214,205.00"),
                Some("31,214,205.80"),
            ),
            (
                "sum.column",
                "row '合计'",
                Some("31,214,205.00"),
                Some("31,214,205.80"),
            ),
            (
                "cross.total",
                "'2025年部门财务收支预算总表' and '2025年部门支出预算总表'",
                Some("31,214,205.80"),
                Some("31,214,205.00"),
            ),
        ],
    },
    Case {
        // The 财政拨款收支总表's 一般公共预算资金 against the 收支总表's.
        name: "cross-fiscal",
        file: "04 部门财政拨款收支预算总表.txt",
        from: "一、一般公共预算资金\t31,214,205.80",
        to: "一、一般公共预算资金\t31,214,200.80",
        want: &[
            (
                "sum.column",
                "row '收入总计'",
                Some("31,214,205.80"),
                Some("31,214,200.80"),
            ),
            (
                "cross.total",
                "'2025年部门财务收支预算总表' and '2025年部门财政拨款收支预算总表'",
                Some("31,214,205.80"),
                Some("31,214,200.80"),
            ),
        ],
    },
    Case {
        // The 一般公共预算支出表's 合计 against the 财政拨款收支总表's
        // 一般公共预算 column.
        name: "cross-general",
        file: "05 一般公共预算支出功能分类预算表.txt",
        from: "\t合计\t31,214,205.80\t25,121,091.00",
        to: "\t合计\t31,214,215.80\t25,121,091.00",
        want: &[
            (
                "sum.row",
                "row '合计'",
                Some("31,214,215.80"),
                Some("31,214,205.80"),
            ),
            (
                "sum.column",
                "row '合计'",
                Some("31,214,215.80"),
                Some("31,214,205.80"),
            ),
            (
                "cross.total",
                "'2025年部门财政拨款收支预算总表' and '2025年部门一般公共预算支出功能分类预算表'",
                Some("31,214,205.80"),
                Some("31,214,215.80"),
            ),
        ],
    },
    Case {
        name: "unit",
        file: SPENDING,
        from: "单位：元",
        to: "单位：万元",
        want: &[
            (
                "unit.magnitude",
                "2025年部门支出预算总表",
                Some("31,214,205.80"),
                Some("万元"),
            ),
            (
                "cross.unit",
                "'2025年部门财务收支预算总表' and '2025年部门支出预算总表'",
                Some("31,214,205.80元"),
                Some("31,214,205.80万元"),
            ),
        ],
    },
    Case {
        name: "toc-order",
        // Without book.toml's order the tables come in the national order
        // (基本支出, 三公 before 政府性基金, 国有资本经营), not the 目录's.
        file: "book.toml",
        from: "order = [",
        to: "chapters = [",
        want: &[
            ("toc.entry", "chapter '目录', paragraph 13", None, None),
            ("toc.entry", "chapter '目录', paragraph 14", None, None),
        ],
    },
    Case {
        name: "toc-title",
        file: "目录.md",
        from: "三、名词解释",
        to: "三、名词说明",
        want: &[(
            "toc.entry",
            "chapter '目录', paragraph 3",
            Some("三、名词说明"),
            None,
        )],
    },
    Case {
        name: "missing-table",
        file: SPENDING,
        from: "",
        to: "",
        want: &[
            ("complete.table", "", Some("missing"), Some("支出总表")),
            // The 目录 still lists it.
            (
                "toc.entry",
                "chapter '目录', paragraph 8",
                Some("3．2025年部门支出预算总表"),
                None,
            ),
        ],
    },
    Case {
        name: "missing-conditional",
        file: STATE_CAPITAL,
        from: "",
        to: "",
        want: &[
            (
                "complete.empty-statement",
                "",
                Some("missing"),
                Some("国有资本经营预算支出表"),
            ),
            // The 目录 still lists it.
            ("toc.entry", "chapter '目录', paragraph 12", None, None),
        ],
    },
    Case {
        name: "missing-chapter",
        file: EXPLAINED,
        from: "",
        to: "",
        want: &[
            (
                "complete.chapter",
                "",
                Some("missing"),
                Some("编制说明|决算情况说明"),
            ),
            ("toc.entry", "chapter '目录', paragraph 4", None, None),
        ],
    },
];

#[test]
fn each_mistake_fires_its_rule_with_place_and_values() {
    for case in CASES {
        let dir = corrected(case.name);
        if case.from.is_empty() {
            std::fs::remove_file(dir.join(case.file)).unwrap();
            edit(&dir, "book.toml", &format!("    \"{}\",\n", case.file), "");
        } else {
            edit(&dir, case.file, case.from, case.to);
        }
        let f = findings(&dir);
        let got: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
        let want: Vec<&str> = case.want.iter().map(|w| w.0).collect();
        assert_eq!(got, want, "{}: {:#?}", case.name, f);
        for (finding, (rule, place, found, expected)) in f.iter().zip(case.want) {
            let at = finding.place.to_string();
            assert!(
                at.contains(place),
                "{}: {rule}: place {at:?} lacks {place:?}",
                case.name
            );
            if let Some(v) = found {
                assert_eq!(
                    finding.found.as_deref(),
                    Some(*v),
                    "{}: {rule}: {finding}",
                    case.name
                );
            }
            if let Some(v) = expected {
                assert_eq!(
                    finding.expected.as_deref(),
                    Some(*v),
                    "{}: {rule}: {finding}",
                    case.name
                );
            }
        }
    }
}

fn gongkai(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_writes_json_and_csv_and_strict_fails_by_severity() {
    let dir = fixture();
    let d = dir.as_os_str();
    let out = gongkai(&["check".as_ref(), "--format".as_ref(), "json".as_ref(), d]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 9);
    assert_eq!(items[0]["rule"], "text.empty-statement-fund");
    assert_eq!(items[0]["severity"], "error");
    assert_eq!(items[0]["input"], dir.display().to_string());
    assert_eq!(items[7]["place"]["paragraph"], 11);
    assert_eq!(items[7]["found"], "887.36万元");

    let out = gongkai(&["check".as_ref(), "--format=csv".as_ref(), d]);
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 10, "{csv}");
    assert!(lines[0].starts_with("input,rule,severity,"));
    assert!(
        lines[8].contains(",text.amount,error,部门预算编制说明.md,"),
        "{}",
        lines[8]
    );
    assert!(
        lines[8].contains(",2025年部门预算编制说明,11,46,887.36万元,"),
        "{}",
        lines[8]
    );

    // Errors fail --strict; a book with warnings only fails --strict=warning.
    let out = gongkai(&["check".as_ref(), "--strict".as_ref(), d]);
    assert_eq!(out.status.code(), Some(1));
    let warned = corrected("strict");
    edit(&warned, EXPLAINED, "\n3.“", "\n4.“");
    let w = warned.as_os_str();
    let out = gongkai(&["check".as_ref(), "--strict".as_ref(), w]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(": warning: file 部门预算编制说明.md, chapter '2025年部门预算编制说明', paragraph 7, character 0: the numbering skips: 4 follows 2 (expected 3)"), "{text}");
    assert!(text.trim_end().ends_with("[text.numbering]"), "{text}");
    let out = gongkai(&["check".as_ref(), "--strict=warning".as_ref(), w]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_profile_silences_a_rule_or_changes_its_severity() {
    let dir = corrected("profile");
    edit(&dir, EXPLAINED, "\n3.“", "\n4.“");
    edit(&dir, EXPLAINED, "”1,623.18万元", "”1,632.18万元");
    let profile = dir.join("checks.toml");
    std::fs::write(
        &profile,
        "[checks]\noff = [\"text.numbering\"]\nseverity = { \"text.amount\" = \"notice\" }\n",
    )
    .unwrap();
    let out = gongkai(&[
        "check".as_ref(),
        "--strict=warning".as_ref(),
        "--template".as_ref(),
        profile.as_os_str(),
        dir.as_os_str(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("text.numbering"), "{text}");
    assert!(
        text.contains(": notice: ") && text.contains("[text.amount]"),
        "{text}"
    );

    std::fs::write(&profile, "[checks]\noff = [\"text.numbers\"]\n").unwrap();
    let out = gongkai(&[
        "check".as_ref(),
        "--template".as_ref(),
        profile.as_os_str(),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("checks.off: 'text.numbers' is not a rule id"),
        "{err}"
    );
}

#[test]
fn the_rule_list_in_the_readme_is_the_rule_list_of_the_code() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for rule in gongkai::check::RULES {
        let line = format!("| `{}` | {} |", rule.id, rule.severity);
        assert!(readme.contains(&line), "README lacks {line:?}");
    }
}

/// (rule, how many) of a list of findings, in order of first appearance.
fn counts(f: &[Finding]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for x in f {
        match out.iter_mut().find(|(r, _)| *r == x.rule) {
            Some((_, n)) => *n += 1,
            None => out.push((x.rule.clone(), 1)),
        }
    }
    out
}

fn owned(v: &[(&str, usize)]) -> Vec<(String, usize)> {
    v.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

#[test]
fn the_example_books_have_only_real_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/departments");
    // Every department's performance-target table is a copy of the seed,
    // whose 办公设备购置 row files 11-数量指标 under 2-效益指标 and uses code
    // 12 for both 数量指标 and 质量指标: two real indicator findings.
    let seed = [("indicator.level", 1), ("indicator.code", 1)];
    let cases: [(&str, Vec<(&str, usize)>); 4] = [
        // Only a performance-target table (the others are in 下属单位/,
        // which a book does not read): seven required tables and both
        // conditional ones are missing.
        (
            "区农业农村局",
            [
                &seed[..],
                &[("complete.table", 7), ("complete.empty-statement", 2)],
            ]
            .concat(),
        ),
        // 收入总表 and 支出总表 only: five required tables missing, and no
        // 国有资本经营 table or statement. (The 政府性基金 table is missing
        // too, but the 收入总表's note says 政府性基金预算拨款收入栏为空，表示
        // 本部门本年度无该项收入.)
        (
            "区卫生健康局 2025年 部门预算",
            vec![("complete.table", 5), ("complete.empty-statement", 1)],
        ),
        // The full sample book: every table, chapter and prose figure
        // agrees.
        ("广州开发区民营经济和企业服务局", seed.to_vec()),
        // An empty 政府性基金 table (with its note), a performance table
        // twice and nothing else.
        (
            "红山街道办事处",
            [
                &seed[..],
                &[("complete.table", 7), ("complete.empty-statement", 1)],
            ]
            .concat(),
        ),
    ];
    for (dept, want) in cases {
        let f = findings(&root.join(dept));
        assert_eq!(counts(&f), owned(&want), "{dept}: {:#?}", summary(&f));
    }
}

#[test]
fn corpus_files_have_only_real_findings() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("tests/fixtures/corpus");
    let mut files = Vec::new();
    // The corpus, and the example files README converts (the departments'
    // tables one by one, as `batch` checks them).
    let mut stack = vec![
        root.join("seed"),
        root.join("variants"),
        root.join("departments"),
        here.join("examples/departments"),
        here.join("examples/tables"),
    ];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut checked = 0;
    for path in files {
        let Ok(doc) = gongkai::read_path(&path, &gongkai::ReadOptions::default()) else {
            continue; // images, lock files, prose: no table to check
        };
        checked += 1;
        let f = gongkai::check::check(&doc);
        let performance = doc
            .tables
            .iter()
            .any(|t| t.title.as_deref().is_some_and(|t| t.contains("绩效目标")));
        let seed_copy = performance
            && doc.tables[0].rows.iter().any(|r| {
                r.cells
                    .iter()
                    .any(|c| c.text().is_some_and(|t| t == "办公设备购置"))
            });
        // Copies of the seed carry its two real indicator findings (see
        // above); every other corpus file is consistent.
        let want: Vec<(&str, usize)> = if seed_copy {
            vec![("indicator.level", 1), ("indicator.code", 1)]
        } else {
            Vec::new()
        };
        assert_eq!(counts(&f), owned(&want), "{path:?}: {:#?}", summary(&f));
    }
    assert!(checked >= 25, "only {checked} corpus files read");
}

#[test]
fn the_official_templates_have_only_real_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata/tianbaoxitong");
    if !dir.is_dir() {
        eprintln!("skipped: {} is not there", dir.display());
        return;
    }
    for name in [
        "department_budget_template.xlsx",
        "unit_budget_template.xlsx",
        "budget_template.xls",
    ] {
        let doc = gongkai::read_path(&dir.join(name), &gongkai::ReadOptions::default()).unwrap();
        let f = gongkai::check::check(&doc);
        // The unfilled templates hold all nine tables (so they are checked
        // as whole disclosures: nothing is missing); only their 三公 sheet
        // is an empty table without the note a published empty table needs.
        assert_eq!(
            counts(&f),
            owned(&[("table.empty-without-note", 1)]),
            "{name}: {:#?}",
            summary(&f)
        );
        assert!(f[0].place.to_string().contains("三公"), "{name}: {}", f[0]);
    }
}

#[test]
fn a_change_against_last_year_is_checked_where_the_table_gives_last_year() {
    // The sample book's 三公 table has 2024年预算数 and 增减额 rows, so
    // "比2024年减少2.70万元" is checked against 增减额 (-2.70).
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局");
    let dir = copy_of(&root, "yoy");
    edit(
        &dir,
        "其他相关情况说明.md",
        "比2024年减少2.70万元",
        "比2024年减少2.60万元",
    );
    let f: Vec<Finding> = findings(&dir)
        .into_iter()
        .filter(|f| !f.rule.starts_with("indicator."))
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", summary(&f));
    assert_eq!(f[0].rule, "text.amount");
    assert_eq!(f[0].found.as_deref(), Some("2.60万元"));
    let expected = f[0].expected.as_deref().unwrap();
    assert!(
        expected.contains("row '增减额'") && expected.ends_with("= -2.70万元"),
        "{expected}"
    );
    // The Putuo book's "比2024年预算增加107.62万元" has no 2024 figures to
    // compare with and gives no finding (see the published-book test).
}

/// A 支出表 as tab-separated text under `unit`, its 合计 row and 合计
/// column as given.
fn spending(unit: &str, total: &str, basic: &str, project: &str) -> Vec<Finding> {
    let text = format!(
        "一般公共预算支出表\n单位：{unit}\n科目名称\t合计\t基本支出\t项目支出\n城乡社区支出\t{total}\t{basic}\t{project}\n合计\t{total}\t{basic}\t{project}\n"
    );
    sum_findings(&text)
}

#[test]
fn a_difference_within_the_rounding_of_wan_yuan_figures_is_a_rounding_warning() {
    // 3,832.36 万元 against 1,092.79 + 2,739.56 = 3,832.35: each figure was
    // rounded from 元 on its own (the published 规划和自然资源局 决算 has it).
    let f = spending("万元", "3,832.36", "1,092.79", "2,739.56");
    assert_eq!(f.len(), 2, "{f:?}");
    for x in &f {
        assert_eq!(x.rule, "sum.rounding", "{x:?}");
        assert_eq!(x.severity, Severity::Warning, "{x:?}");
        assert!(x.message.contains("3,832.35"), "{}", x.message);
    }
    // In 元 the same figures are exact: an error.
    let f = spending("元", "3,832.36", "1,092.79", "2,739.56");
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f.iter()
            .all(|x| x.rule == "sum.row" && x.severity == Severity::Error),
        "{f:?}"
    );
    // Beyond the rounding of three figures (0.015): an error in 万元 too.
    let f = spending("万元", "3,832.38", "1,092.79", "2,739.56");
    assert!(f.iter().all(|x| x.rule == "sum.row"), "{f:?}");
    assert!(!f.is_empty());
    // Consistent: nothing.
    assert!(spending("万元", "3,832.35", "1,092.79", "2,739.56").is_empty());
}

/// A side-by-side 基本支出 table (人员经费 | 公用经费), each half with its
/// economic codes (301 ⊃ 30101): levels come from the codes, so 人员经费合计
/// is the sum of the 类 rows, not of 类 and 款 together.
fn side_by_side(basic_wage: &str) -> Vec<Finding> {
    let text = format!(
        "一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n\
         301\t工资福利支出\t15.00\t302\t商品和服务支出\t3.00\n\
         30101\t基本工资\t{basic_wage}\t30201\t办公费\t1.00\n\
         30102\t津贴补贴\t5.00\t30202\t印刷费\t2.00\n\
         \t人员经费合计\t15.00\t\t公用经费合计\t3.00\n"
    );
    sum_findings(&text)
}

#[test]
fn side_by_side_halves_take_their_levels_from_their_codes() {
    assert!(
        side_by_side("10.00").is_empty(),
        "{:?}",
        side_by_side("10.00")
    );
    let f = side_by_side("11.00");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule, "sum.column");
    assert!(
        f[0].message
            .contains("15.00 ≠ sum of its 2 child rows 16.00"),
        "{}",
        f[0].message
    );
}

/// The sum findings (`sum.*`) of a table given as text.
fn sum_findings(text: &str) -> Vec<Finding> {
    let doc =
        gongkai::read_bytes(text.as_bytes(), "t.txt", &gongkai::ReadOptions::default()).unwrap();
    gongkai::check::check(&doc)
        .into_iter()
        .filter(|f| f.rule.starts_with("sum."))
        .collect()
}

/// The 一般公共预算支出表 of the corrected book rewritten in 万元, each
/// figure rounded to 0.01万元 as a bureau would print it.
fn general_in_wan_yuan(dir: &Path) {
    let file = dir.join("05 一般公共预算支出功能分类预算表.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let wan = |field: &str| -> String {
        let Ok(v) = field.replace(',', "").parse::<rust_decimal::Decimal>() else {
            return field.to_string();
        };
        let w = (v / rust_decimal::Decimal::from(10_000))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        format!("{w:.2}")
    };
    let out: Vec<String> = text
        .lines()
        .map(|line| {
            if line.starts_with("单位") {
                return "单位：万元".to_string();
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 3 {
                return line.to_string();
            }
            let mut f: Vec<String> = fields[..2].iter().map(|s| s.to_string()).collect();
            f.extend(fields[2..].iter().map(|x| wan(x)));
            f.join("\t")
        })
        .collect();
    std::fs::write(&file, out.join("\n") + "\n").unwrap();
}

#[test]
fn tables_in_yuan_and_wan_yuan_agree_after_conversion() {
    // The same totals in 元 (收支总表, 财政拨款收支总表, 基本支出表) and in
    // 万元 (一般公共预算支出表): compared in 元, within the rounding of the
    // 万元 figures, they agree, and the prose still matches the cells.
    let dir = corrected("wan");
    general_in_wan_yuan(&dir);
    let text = std::fs::read_to_string(dir.join("05 一般公共预算支出功能分类预算表.txt")).unwrap();
    assert!(text.contains("\t合计\t3121.42\t2512.11\t609.31"), "{text}");
    let f = findings(&dir);
    assert!(f.is_empty(), "{:#?}", summary(&f));

    // One 万元 total beyond the rounding of its digits: the table's own sum
    // and both cross checks name it with its unit.
    edit(
        &dir,
        "05 一般公共预算支出功能分类预算表.txt",
        "\t合计\t3121.42\t2512.11",
        "\t合计\t3121.52\t2512.11",
    );
    let f = findings(&dir);
    let cross = of_rule(&f, "cross.total");
    assert_eq!(cross.len(), 1, "{:#?}", summary(&f));
    assert_eq!(cross[0].found.as_deref(), Some("31,214,205.80元"));
    assert_eq!(cross[0].expected.as_deref(), Some("3,121.52万元"));
    assert!(
        cross[0].message.contains("(difference -994.20元)"),
        "{}",
        cross[0].message
    );
}

/// The findings of one file read as a single document.
fn document_findings(path: &Path) -> Vec<Finding> {
    let doc = gongkai::read_path(path, &gongkai::ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    gongkai::check::check(&doc)
}

#[test]
fn a_word_document_with_prose_and_a_table_is_checked_like_a_book() {
    // Two Word files made with python-docx (tests/fixtures/gen/prose_docx.py):
    // Heading 1/2 styles, the 编制说明 and 其他相关情况说明 around the
    // 一般公共预算支出表, a 目录; one right, one with six mistakes.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks");
    let right = document_findings(&dir.join("prose-right.docx"));
    assert!(right.is_empty(), "{:#?}", summary(&right));

    let f = document_findings(&dir.join("prose-wrong.docx"));
    let want: &[(&str, &str, Option<&str>, Option<&str>)] = &[
        // The 目录 lists an eighth part after the third ...
        (
            "text.numbering",
            "chapter '目录', paragraph 4",
            Some("8"),
            Some("4"),
        ),
        // ... item 3 of the 编制说明 is printed again after item 4 ...
        (
            "text.repeated",
            "chapter '2025年部门预算编制说明', paragraph 7, character 0",
            Some("paragraph 7"),
            Some("paragraph 5"),
        ),
        ("text.numbering", "paragraph 7", Some("3"), Some("5")),
        // ... item 1 says 1,632.18万元 for the table's 16,231,840.80元 ...
        (
            "text.amount",
            "chapter '2025年部门预算编制说明', paragraph 3, character 29",
            Some("1,632.18万元"),
            None,
        ),
        // ... item 4 gives the 9,620元 of 其他行政事业单位养老支出 as 万元 ...
        (
            "text.unit-slip",
            "paragraph 6, character 44",
            Some("9,620万元"),
            None,
        ),
        // ... （三） follows （一） under a Heading 2 ...
        (
            "text.numbering",
            "chapter '其他相关情况说明', paragraph 8",
            Some("3"),
            Some("2"),
        ),
        // ... 2,512.11 of 3,121.42万元 is 80.48 %, not 52.10 % ...
        (
            "text.percent",
            "chapter '2025年部门预算编制说明', paragraph 1, character 49",
            Some("52.10%"),
            Some("80.48%"),
        ),
        // ... and the 目录's eighth part is nowhere.
        (
            "toc.entry",
            "chapter '目录', paragraph 4",
            Some("八、绩效目标"),
            None,
        ),
    ];
    let got: Vec<&str> = f.iter().map(|x| x.rule.as_str()).collect();
    let rules: Vec<&str> = want.iter().map(|w| w.0).collect();
    assert_eq!(got, rules, "{:#?}", summary(&f));
    for (x, (rule, place, found, expected)) in f.iter().zip(want) {
        let at = x.place.to_string();
        assert!(at.contains(place), "{rule}: {at:?} lacks {place:?}");
        if let Some(v) = found {
            assert_eq!(x.found.as_deref(), Some(*v), "{rule}: {x}");
        }
        if let Some(v) = expected {
            assert_eq!(x.expected.as_deref(), Some(*v), "{rule}: {x}");
        }
    }
    let amount = &f[3];
    assert!(
        amount
            .expected
            .as_deref()
            .is_some_and(|e| e.contains("row '行政运行'") && e.ends_with("= 16,231,840.80元")),
        "{amount:?}"
    );
}

#[test]
fn the_book_written_as_one_docx_is_checked_like_the_book() {
    // The published putuo book through `gongkai book --to docx`, read back
    // as one document: its chapters are Word headings, its 目录 lines, its
    // tables Word tables. The same rules find the same mistakes with the
    // same values, in the same chapters and paragraphs.
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-checks-docx-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = gongkai(&[
        "book".as_ref(),
        fixture().as_os_str(),
        "--to".as_ref(),
        "docx".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert!(run.status.success(), "{run:?}");
    let docx = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "docx"))
        .expect("the book's DOCX");
    let book = findings(&fixture());
    let doc = document_findings(&docx);
    let key = |f: &Finding| {
        (
            f.rule.clone(),
            f.found.clone(),
            f.place.paragraph,
            f.place.offset,
        )
    };
    assert_eq!(
        doc.iter().map(key).collect::<Vec<_>>(),
        book.iter().map(key).collect::<Vec<_>>(),
        "{:#?}",
        summary(&doc)
    );
    // The chapter is the Word heading, numbered as the book numbers it.
    assert_eq!(
        doc[1].place.chapter.as_deref(),
        Some("四、2025年部门预算编制说明")
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_workbook_checked_as_one_document_finds_what_its_book_finds() {
    // The filled district templates (tests/fixtures/gen/putuo_workbook.py):
    // `check FILE` reads the workbook as one document (its prose sheets are
    // text sections, its 目录 sheet a 目录 chapter), `book FILE` as a book.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbook");
    // (The book names a table with its sheet as well; the rest agrees.)
    let key = |f: &Finding| {
        (
            f.rule.clone(),
            f.found.clone(),
            f.place.paragraph,
            f.place.offset,
        )
    };
    for name in [
        "putuo-department-2025.xlsx",
        "putuo-unit-2025.xlsx",
        "putuo-unit-2025.xls",
    ] {
        let path = dir.join(name);
        let doc: Vec<_> = document_findings(&path).iter().map(key).collect();
        let b = book::build(&path, &BookOptions::default()).unwrap();
        let book: Vec<_> = book::check(&b).iter().map(key).collect();
        assert_eq!(doc, book, "{name}");
    }
    // The department book's two published slips (see workbook_book.rs): the
    // 国有资本经营 table's 政府性基金 note and item 7's 887.36万元.
    // The partly filled copy (two prose sheets and the cover left as the
    // template has them) has the same two and nothing from its "XX是…。".
    for name in ["putuo-department-2025.xlsx", "putuo-partly-filled.xlsx"] {
        let f = document_findings(&dir.join(name));
        assert_eq!(
            f.iter().map(|x| x.rule.as_str()).collect::<Vec<_>>(),
            ["text.empty-statement-fund", "text.amount"],
            "{name}"
        );
        assert_eq!(f[1].found.as_deref(), Some("887.36万元"), "{name}");
    }

    // The same workbook with its 目录 sheet out of step
    // (tests/fixtures/gen/toc_workbook.py): the renamed entry and the two
    // tables listed in the other order.
    let wrong =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checks/putuo-toc-wrong.xlsx");
    let f: Vec<Finding> = document_findings(&wrong)
        .into_iter()
        .filter(|x| x.rule == "toc.entry")
        .collect();
    assert_eq!(f.len(), 2, "{:#?}", summary(&f));
    assert_eq!(
        f[0].place.to_string(),
        "chapter '目  录', paragraph 3, character 0"
    );
    assert_eq!(f[0].found.as_deref(), Some("三、名词说明"));
    assert!(
        f[1].message
            .contains("comes after an entry that follows it")
    );
    assert_eq!(
        f[1].found.as_deref(),
        Some("8．2025年部门国有资本经营预算支出功能分类预算表")
    );
}

/// Text after a table without a title of its own (here a Markdown heading
/// that is a sentence, so no chapter title) carries on the list the text
/// before the table began: （二） after a table under （一） is no skip,
/// （三） there is; where nothing before the table was numbered at that
/// level, the first number after it is not judged.
#[test]
fn numbering_carries_on_over_a_table() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-checks-{}-carry", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let table = "| 项目 | 金额 |\n| --- | ---: |\n| 合计 | 10.00 |\n| 工资 | 10.00 |\n";
    let doc = |first: &str, after: &str| {
        format!(
            "# 编制说明\n\n{first}本部门负责全区某项工作的组织和实施。\n\n{table}\n## {after}本部门负责全区另一项工作的监督和管理。\n"
        )
    };
    let numbering = |name: &str, md: String| -> Vec<(Option<String>, Option<String>)> {
        let path = dir.join(name);
        std::fs::write(&path, md).unwrap();
        document_findings(&path)
            .into_iter()
            .filter(|f| f.rule == "text.numbering")
            .map(|f| (f.found, f.expected))
            .collect()
    };
    assert_eq!(numbering("right.md", doc("（一）", "（二）")), []);
    assert_eq!(
        numbering("skip.md", doc("（一）", "（三）")),
        [(Some("3".to_string()), Some("2".to_string()))]
    );
    assert_eq!(numbering("unknown.md", doc("", "（二）")), []);
    // Within one chapter the skip is found as before.
    let md = format!(
        "# 编制说明\n\n（一）本部门负责全区某项工作的组织和实施。\n\n（三）本部门负责全区另一项工作的监督和管理。\n\n{table}"
    );
    assert_eq!(
        numbering("inside.md", md),
        [(Some("3".to_string()), Some("2".to_string()))]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_general_budget_spending_of_the_fiscal_summary_is_its_this_year_row_not_the_grand_total() {
    // A 决算 book's 财政拨款收入支出决算总表 goes on below 本年支出合计 with
    // the year-end balances (年末结转和结余) to a 总计 that adds them: its
    // 一般公共预算 spending of the year, the figure the 一般公共预算支出表's
    // 合计 repeats, is the 本年支出合计 row, not the 总计.
    let dir = corrected("balances");
    edit(
        &dir,
        "04 部门财政拨款收支预算总表.txt",
        "收入总计\t31,214,205.80\t支出总计\t31,214,205.80\t31,214,205.80",
        "本年收入合计\t31,214,205.80\t本年支出合计\t31,214,205.80\t31,214,205.80\t\t\n\
         年初结转和结余\t1,000.00\t年末结转和结余\t1,000.00\t1,000.00\t\t\n\
         收入总计\t31,215,205.80\t支出总计\t31,215,205.80\t31,215,205.80",
    );
    let text = std::fs::read_to_string(dir.join("04 部门财政拨款收支预算总表.txt")).unwrap();
    assert!(
        text.contains("支出总计\t31,215,205.80\t31,215,205.80"),
        "{text}"
    );
    let f = findings(&dir);
    let cross = of_rule(&f, "cross.total");
    assert!(cross.is_empty(), "{:#?}", summary(&f));

    // The 一般公共预算支出表's 合计 raised to the 总计: now it differs from
    // the spending of the year, and the finding says so with both figures.
    edit(
        &dir,
        "05 一般公共预算支出功能分类预算表.txt",
        "\t合计\t31,214,205.80",
        "\t合计\t31,215,205.80",
    );
    let f = findings(&dir);
    let cross = of_rule(&f, "cross.total");
    assert_eq!(cross.len(), 1, "{:#?}", summary(&f));
    let values = [cross[0].found.as_deref(), cross[0].expected.as_deref()];
    assert!(
        values.contains(&Some("31,214,205.80")) && values.contains(&Some("31,215,205.80")),
        "{:?}",
        cross[0]
    );
}
