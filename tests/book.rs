//! The disclosure book: assembly, order, checks, outputs.

mod common;

use gongkai::book::{self, BookOptions, Part};
use gongkai::{OutputFormat, RenderOptions};
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局")
}

fn temp_copy(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-book-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(example()).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    dir
}

#[test]
fn the_sample_department_makes_a_book_in_the_standard_order() {
    let b = book::build(&example(), &BookOptions::default()).unwrap();
    assert_eq!(b.title, "广州开发区民营经济和企业服务局2025年部门预算");
    assert_eq!(b.year.as_deref(), Some("2025"));
    let toc = b.toc();
    let top: Vec<&str> = toc
        .iter()
        .filter(|(d, _)| *d == 0)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        top,
        vec![
            "一、部门主要职能",
            "二、部门机构设置",
            "三、名词解释",
            "四、2025年部门预算编制说明",
            "五、部门预算表",
            "六、其他相关情况说明"
        ]
    );
    let tables: Vec<&str> = b.tables().map(|t| t.title.as_str()).collect();
    assert_eq!(tables.len(), 10, "{tables:?}");
    assert_eq!(tables[0], "2025年部门收支总表");
    assert_eq!(tables[3], "2025年财政拨款收支总表");
    assert_eq!(tables[6], "2025年一般公共预算“三公”经费支出表");
    assert_eq!(tables[9], "项目支出绩效目标表（含转移支付项目）");
    // The 绩效目标表 stands in the folder as .txt, .xlsx and .docx: once.
    let dups = b
        .warnings
        .iter()
        .filter(|w| w.code == "duplicate-table")
        .count();
    let unreadable = b.warnings.iter().filter(|w| w.code == "unreadable").count();
    assert_eq!(dups + unreadable, 2, "{:#?}", b.warnings);
    // The empty tables keep their notes.
    let empty: Vec<_> = b.tables().filter(|t| t.table.rows.is_empty()).collect();
    assert_eq!(empty.len(), 2);
    assert!(
        empty
            .iter()
            .all(|t| t.table.notes[0].contains("故本表为空表"))
    );
    let Part::Chapter(first) = &b.parts[0] else {
        panic!()
    };
    assert!(first.plain_text().contains("促进民营经济发展"));
}

#[test]
fn the_sample_books_totals_agree_and_a_wrong_one_is_found() {
    let b = book::build(&example(), &BookOptions::default()).unwrap();
    let findings = book::check(&b);
    let sums: Vec<_> = findings
        .iter()
        .filter(|f| f.rule != "indicator.level" && f.rule != "indicator.code")
        .collect();
    assert!(sums.is_empty(), "{sums:#?}");

    let dir = temp_copy("wrong");
    let path = dir.join("2025年部门支出总表.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\t合计\t5,218.62", "\t合计\t5,218.52", 1),
    )
    .unwrap();
    let b = book::build(&dir, &BookOptions::default()).unwrap();
    let findings: Vec<String> = book::check(&b).iter().map(|f| f.to_string()).collect();
    assert!(
        findings.iter().any(|f| f.contains(
            "本年支出合计 5,218.62 in '2025年部门收支总表' ≠ 合计 5,218.52 in '2025年部门支出总表' (difference 0.10)"
        )),
        "{findings:#?}"
    );
}

#[test]
fn book_toml_orders_the_parts_and_bad_keys_are_named() {
    let dir = temp_copy("toml");
    std::fs::write(
        dir.join("book.toml"),
        "order = [\"其他相关情况说明.md\", \"2025年部门支出总表.txt\", \"tables\", \"部门主要职能.md\"]\n",
    )
    .unwrap();
    let b = book::build(&dir, &BookOptions::default()).unwrap();
    let Part::Chapter(c) = &b.parts[0] else {
        panic!()
    };
    assert_eq!(c.title, "其他相关情况说明");
    let Part::Tables { tables, .. } = &b.parts[1] else {
        panic!()
    };
    assert_eq!(tables[0].title, "2025年部门支出总表");
    assert_eq!(tables[1].title, "2025年部门收支总表");
    let Part::Chapter(c) = &b.parts[2] else {
        panic!()
    };
    assert_eq!(c.title, "部门主要职能");

    std::fs::write(dir.join("book.toml"), "titel = \"x\"\n").unwrap();
    let err = book::build(&dir, &BookOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("titel"), "{err}");
    std::fs::write(dir.join("book.toml"), "order = [\"nonesuch.md\"]\n").unwrap();
    let err = book::build(&dir, &BookOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("'nonesuch.md' is neither a chapter nor a table file"),
        "{err}"
    );
}

#[test]
fn the_markdown_book_links_every_part() {
    let b = book::build(&example(), &BookOptions::default()).unwrap();
    let md = String::from_utf8(
        gongkai::render_book(&b, OutputFormat::Markdown, &RenderOptions::default())
            .unwrap()
            .bytes,
    )
    .unwrap();
    for (i, part) in b.parts.iter().enumerate() {
        let anchor = format!("<a id=\"part-{}\"></a>", i + 1);
        assert!(md.contains(&anchor), "{anchor}");
        assert!(md.contains(&format!("](#part-{})", i + 1)));
        if let Part::Tables { tables, .. } = part {
            for k in 0..tables.len() {
                assert!(md.contains(&format!("<a id=\"part-{}-{}\"></a>", i + 1, k + 1)));
            }
        }
    }
    // Every table reads back from the book's Markdown.
    let back = gongkai::read_bytes(md.as_bytes(), "book.md", &Default::default()).unwrap();
    assert!(back.tables.len() >= 10, "{}", back.tables.len());
}
