//! A book from one workbook: the official Putuo department template filled
//! with the real 2025 figures and prose of 上海市普陀区财政局, and the
//! official unit template filled with those of 上海市普陀区商务委员会
//! (tests/fixtures/gen/putuo_workbook.py makes the fixtures from
//! ../shared/realdata), made with `--template shanghai` and compared with
//! the published books.

mod common;

use common::pdf;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workbook")
        .join(name)
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-wbook-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gongkai(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap()
}

/// The text of a book's table pages: a page with the 编制部门 (a unit
/// book: 编制单位) line, and
/// each page after one that continues its table (its first line is the
/// repeated header, which starts with 项目, or the next code row; the
/// published books repeat no 编制部门 line there).
fn table_pages_text(pages: &[String]) -> String {
    let mut out = Vec::new();
    let mut in_table = false;
    for p in pages {
        let first = p
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        // A continued page of the published unit book starts with its next
        // code row instead of the repeated header.
        let continues = first.starts_with("项目")
            || first.starts_with("合计")
            || (first.chars().count() > 3 && first.chars().take(3).all(|c| c.is_ascii_digit()));
        in_table = p.contains("编制部门") || p.contains("编制单位") || (in_table && continues);
        if in_table {
            out.push(p.as_str());
        }
    }
    out.join("\n")
}

/// A published book's text (pdftotext -layout of the PDF), when
/// ../shared is there.
fn published(name: &str) -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realdata/pdftotext-derived")
        .join(name);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(_) => {
            println!("skipped: {} is not there", p.display());
            None
        }
    }
}

/// The tables of the department book in the published order, with the
/// published titles.
const PUBLISHED_TABLES: [&str; 9] = [
    "2025年部门财务收支预算总表",
    "2025年部门收入预算总表",
    "2025年部门支出预算总表",
    "2025年部门财政拨款收支预算总表",
    "2025年部门一般公共预算支出功能分类预算表",
    "2025年部门政府性基金预算支出功能分类预算表",
    "2025年部门国有资本经营预算支出功能分类预算表",
    "2025年部门一般公共预算基本支出部门预算经济分类预算表",
    "2025年部门“三公”经费和机关运行经费预算表",
];

/// The tables of the unit book (上海市普陀区商务委员会单位25年预算.pdf).
const PUBLISHED_UNIT_TABLES: [&str; 9] = [
    "2025年预算单位财务收支预算总表",
    "2025年预算单位收入预算总表",
    "2025年预算单位支出预算总表",
    "2025年预算单位财政拨款收支预算总表",
    "2025年预算单位一般公共预算支出功能分类预算表",
    "2025年预算单位政府性基金预算支出功能分类预算表",
    "2025年预算单位国有资本经营预算支出功能分类预算表",
    "2025年预算单位一般公共预算基本支出部门预算经济分类预算表",
    "2025年单位“三公”经费和机关运行经费预算表",
];

/// Amounts with two decimals as the books print them (31,214,205.80),
/// sorted; amounts run together (a text extraction that leaves no space
/// between cells) are told apart by their two decimals.
fn amounts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
            j += 1;
        }
        let decimals = chars.get(j) == Some(&'.')
            && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            && chars.get(j + 2).is_some_and(char::is_ascii_digit);
        if decimals {
            out.push(chars[i..j + 3].iter().collect());
            i = j + 3;
        } else {
            i = j;
        }
    }
    out.sort();
    out
}

fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The text of every w:t, in order.
    let mut out = String::new();
    let mut rest = xml.as_str();
    while let Some(start) = rest.find("<w:t") {
        rest = &rest[start + 4..];
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let body = &rest[open_end + 1..];
        let Some(close) = body.find("</w:t>") else {
            break;
        };
        out.push_str(&body[..close]);
        rest = &body[close..];
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

struct Made {
    pdf: Vec<u8>,
    docx: Vec<u8>,
    md: String,
    stderr: String,
}

fn make(input: &Path, name: &str, extra: &[&str]) -> Made {
    make_book(input, name, extra, "上海市普陀区2025年区级部门预算")
}

fn make_book(input: &Path, name: &str, extra: &[&str], stem: &str) -> Made {
    let out = out_dir(name);
    let mut args = vec![
        "book",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--template",
        "shanghai",
    ];
    args.extend_from_slice(extra);
    let run = gongkai(&args);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "{stderr}");
    let read = |ext: &str| std::fs::read(out.join(format!("{stem}.{ext}"))).unwrap();
    Made {
        pdf: read("pdf"),
        docx: read("docx"),
        md: String::from_utf8(read("md")).unwrap(),
        stderr,
    }
}

/// One filled template and the published book it must become.
struct Case {
    workbook: &'static str,
    published: &'static str,
    /// The book's file stem and the cover's first line.
    title: &'static str,
    cover_line: &'static str,
    tables: [&'static str; 9],
    toc_lines: &'static [&'static str],
    paragraphs: &'static str,
    min_paragraphs: usize,
    /// At least this many amounts on the published table pages (a bound
    /// that catches a text that was not read).
    min_amounts: usize,
    /// The rule of every finding the book's checks report, in order: each
    /// one a real slip of the published book.
    findings: &'static [&'static str],
}

#[test]
fn the_filled_department_template_is_the_published_book() {
    the_filled_template_is_the_published_book(&Case {
        workbook: "putuo-department-2025.xlsx",
        published: "上海市普陀区财政局部门25年预算.layout.txt",
        title: "上海市普陀区2025年区级部门预算",
        cover_line: "预算主管部门：上海市普陀区财政局",
        tables: PUBLISHED_TABLES,
        toc_lines: &[
            "一、部门主要职能",
            "五、部门预算表",
            "4．2025年部门财政拨款收支预算总表",
            "七、项目经费情况说明",
        ],
        paragraphs: "putuo-department-2025.paragraphs.txt",
        min_paragraphs: 60,
        min_amounts: 200,
        // The published book has both: its empty 国有资本经营 table says
        // there is no 政府性基金 budget, and item 7 of its 编制说明 gives
        // 887.36万元 where the table has 873,617.00元 (87.36万元).
        findings: &["text.empty-statement-fund", "text.amount"],
    });
}

#[test]
fn the_filled_unit_template_is_the_published_unit_book() {
    the_filled_template_is_the_published_book(&UNIT_CASE);
}

/// The official .xls template (Excel 97-2003) filled the same way, saved by
/// LibreOffice Calc as BIFF8.
#[test]
fn the_filled_xls_template_is_the_published_unit_book() {
    the_filled_template_is_the_published_book(&Case {
        workbook: "putuo-unit-2025.xls",
        ..UNIT_CASE
    });
}

const UNIT_CASE: Case = Case {
    workbook: "putuo-unit-2025.xlsx",
    published: "上海市普陀区商务委员会单位25年预算.layout.txt",
    title: "上海市普陀区2025年区级单位预算",
    cover_line: "预算单位：上海市普陀区商务委员会",
    tables: PUBLISHED_UNIT_TABLES,
    toc_lines: &[
        "一、单位主要职能",
        "五、单位预算表",
        "4．2025年预算单位财政拨款收支预算总表",
        "六、其他相关情况说明",
    ],
    paragraphs: "putuo-unit-2025.paragraphs.txt",
    min_paragraphs: 50,
    min_amounts: 190,
    // Nothing: the unit book's figures and prose agree.
    findings: &[],
};

fn the_filled_template_is_the_published_book(case: &Case) {
    let Some(published) = published(case.published) else {
        return;
    };
    let made = make_book(&fixture(case.workbook), case.workbook, &[], case.title);
    assert!(
        !made.stderr.contains("left from the template"),
        "{}",
        made.stderr
    );
    let rules: Vec<&str> = made
        .stderr
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .filter_map(|l| l.rsplit_once(" [").map(|(_, r)| r.trim_end_matches(']')))
        .collect();
    assert_eq!(rules, case.findings, "{}", made.stderr);
    let pages = pdf::page_texts(&made.pdf);
    let compact_pages: Vec<String> = pages.iter().map(|p| pdf::compact(p)).collect();

    // The cover from the 封面 sheet.
    assert!(compact_pages[0].contains(case.title), "{}", pages[0]);
    assert!(compact_pages[0].contains(case.cover_line), "{}", pages[0]);

    // Every paragraph of every prose sheet, in the PDF, the DOCX and the
    // Markdown.
    let paragraphs = std::fs::read_to_string(fixture(case.paragraphs)).unwrap();
    let all_pdf = compact_pages.concat();
    let docx = pdf::compact(&docx_text(&made.docx));
    let md = pdf::compact(&made.md);
    let mut count = 0;
    for p in paragraphs.lines().filter(|l| !l.trim().is_empty()) {
        let p = pdf::compact(p);
        assert!(all_pdf.contains(&p), "PDF lacks the paragraph '{p}'");
        assert!(docx.contains(&p), "DOCX lacks the paragraph '{p}'");
        assert!(md.contains(&p), "Markdown lacks the paragraph '{p}'");
        count += 1;
    }
    assert!(count >= case.min_paragraphs, "{count} paragraphs");

    // The tables in the published order with the published titles: each
    // title on a page after the one before.
    let mut last_page = 0;
    for title in case.tables {
        let page = compact_pages
            .iter()
            .enumerate()
            .skip(2)
            .position(|(_, p)| {
                p.contains(title) && (p.contains("编制部门") || p.contains("编制单位"))
            })
            .map(|i| i + 2)
            .unwrap_or_else(|| panic!("no table page titled {title}"));
        assert!(
            page > last_page,
            "{title} on page {page}, before page {last_page}"
        );
        last_page = page;
        // Titles without a number: "1. " does not stand before them.
        let at = compact_pages[page].find(title).unwrap();
        assert!(
            !compact_pages[page][..at].ends_with('.'),
            "{title} numbered"
        );
    }
    let md_positions: Vec<usize> = case
        .tables
        .iter()
        .map(|t| {
            made.md
                .rfind(t)
                .unwrap_or_else(|| panic!("Markdown lacks {t}"))
        })
        .collect();
    assert!(
        md_positions.windows(2).all(|w| w[0] < w[1]),
        "{md_positions:?}"
    );

    // The 目录 lines as the 目录 sheet writes them.
    for line in case.toc_lines {
        assert!(
            compact_pages[1].contains(line),
            "目录 lacks {line}: {}",
            pages[1]
        );
    }

    // Every amount of the published tables, and no other, on our table
    // pages (the multiset of amounts).
    let published_pages: Vec<String> = published.split('\u{c}').map(str::to_string).collect();
    let table_text = table_pages_text(&published_pages);
    let want = amounts(&table_text);
    assert!(
        want.len() >= case.min_amounts,
        "{} amounts in the published tables",
        want.len()
    );
    let ours_text = table_pages_text(&pages);
    let got = amounts(&ours_text);
    if got != want {
        let mut missing = want.clone();
        let mut extra = Vec::new();
        for a in &got {
            match missing.iter().position(|m| m == a) {
                Some(i) => {
                    missing.remove(i);
                }
                None => extra.push(a.clone()),
            }
        }
        panic!("amounts differ: the book lacks {missing:?} and adds {extra:?}");
    }

    // Landscape pages throughout.
    for (i, (w, h)) in pdf::page_sizes(&made.pdf).iter().enumerate() {
        assert!(w > h, "page {} is {w}×{h}", i + 1);
    }
    // No page numbers in the Shanghai style.
    assert!(!all_pdf.contains("第1页"));
}

#[test]
fn a_folder_with_the_workbook_makes_the_same_book() {
    let dir = out_dir("folder-in");
    std::fs::copy(fixture("putuo-department-2025.xlsx"), dir.join("预算.xlsx")).unwrap();
    std::fs::write(dir.join("说明.txt"), "not a table\n").unwrap();
    let made = make(&dir, "folder", &[]);
    let from_file = make(&fixture("putuo-department-2025.xlsx"), "file", &[]);
    assert_eq!(made.md, from_file.md);
    // The same workbook, the same bytes.
    let again = make(&fixture("putuo-department-2025.xlsx"), "file-again", &[]);
    assert!(again.pdf == from_file.pdf, "PDF differs between runs");
    assert!(again.docx == from_file.docx, "DOCX differs between runs");
    assert!(made.stderr.contains("说明.txt"), "{}", made.stderr);
}

#[test]
fn book_toml_orders_sheets_and_names_what_does_not_resolve() {
    let dir = out_dir("order-in");
    std::fs::copy(fixture("putuo-department-2025.xlsx"), dir.join("预算.xlsx")).unwrap();
    std::fs::write(
        dir.join("book.toml"),
        "order = [\"预算.xlsx#部门主要职能\", \"预算.xlsx#部门“三公”经费和机关运行费预算表\", \"tables\"]\n",
    )
    .unwrap();
    let made = make(&dir, "order", &[]);
    let first = made
        .md
        .find("2025年部门“三公”经费和机关运行经费预算表")
        .unwrap();
    let other = made.md.rfind("2025年部门财务收支预算总表").unwrap();
    assert!(first < other, "三公 not first");

    std::fs::write(
        dir.join("book.toml"),
        "order = [\"预算.xlsx#没有这张表\", \"tables\"]\n",
    )
    .unwrap();
    let out = out_dir("order-bad");
    let run = gongkai(&[
        "book",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("预算.xlsx#没有这张表"), "{stderr}");

    std::fs::write(
        dir.join("book.toml"),
        "chapters = [\"预算.xlsx#没有这一章\"]\n",
    )
    .unwrap();
    let run = gongkai(&[
        "book",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("没有这一章"), "{stderr}");
}

#[test]
fn a_template_left_partly_unfilled_is_reported_and_strict_fails() {
    let input = fixture("putuo-partly-filled.xlsx");
    let out = out_dir("partial");
    let run = gongkai(&[
        "book",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--to",
        "md",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    for place in [
        "sheet '封面', cell A9",
        "sheet '部门主要职能', cell A3",
        "sheet '部门机构设置', cell A3",
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains("left from the template") && l.contains(place)),
            "no unfilled-template warning at {place}: {stderr}"
        );
    }
    // The filled sheets raise nothing.
    assert!(!stderr.contains("sheet '名词解释', cell"), "{stderr}");
    let run = gongkai(&[
        "book",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(run.status.code(), Some(1));
}

#[test]
fn the_blank_official_templates_make_books_that_name_every_placeholder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata/tianbaoxitong");
    if !dir.exists() {
        println!("skipped: {} is not there", dir.display());
        return;
    }
    // (file, cover title, cover label, chapters, tables)
    let cases = [
        (
            "department_budget_template.xlsx",
            "上海市普陀区2026年区级部门预算",
            "预算主管部门",
            6,
            9,
        ),
        (
            "unit_budget_template.xlsx",
            "上海市普陀区2026年区级单位预算",
            "预算单位",
            5,
            9,
        ),
        (
            "budget_template.xls",
            "上海市普陀区2026年区级单位预算",
            "预算单位",
            5,
            9,
        ),
    ];
    for (file, title, label, chapters, tables) in cases {
        let input = dir.join(file);
        let b = gongkai::book::build(&input, &gongkai::book::BookOptions::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(b.title, title, "{file}");
        assert!(
            b.department_line
                .as_deref()
                .is_some_and(|l| l.starts_with(label)),
            "{file}: {:?}",
            b.department_line
        );
        // No date on these covers, and never the file's.
        assert_eq!(b.date, "", "{file}");
        let n_chapters = b
            .parts
            .iter()
            .filter(|p| matches!(p, gongkai::book::Part::Chapter(_)))
            .count();
        assert_eq!(n_chapters, chapters, "{file}");
        assert_eq!(b.tables().count(), tables, "{file}");
        // The 目录 lines of the sheet, in its order, none lost.
        let toc = b.toc();
        assert_eq!(toc.len(), chapters + 1 + tables, "{file}: {toc:?}");
        assert!(toc[0].1.starts_with("一、"), "{file}: {toc:?}");
        let unfilled: Vec<&str> = b
            .warnings
            .iter()
            .filter(|w| w.code == "unfilled-template")
            .filter_map(|w| w.at.as_deref())
            .collect();
        assert!(
            unfilled
                .iter()
                .any(|a| a.ends_with("sheet '封面', cell A9")),
            "{file}: {unfilled:?}"
        );
        assert!(unfilled.len() >= 10, "{file}: {unfilled:?}");
        let out = out_dir(&format!("blank-{file}"));
        let run = gongkai(&[
            "book",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--strict",
        ]);
        assert_eq!(run.status.code(), Some(1), "{file}");
    }
}
