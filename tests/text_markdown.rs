//! The foundation's acceptance tests: text, CSV and Markdown inputs give
//! exactly the corpus's expected cells; Markdown round-trips; bad inputs
//! give named errors.

mod common;

use common::*;
use gongkai::model::RowKind;
use gongkai::{OutputFormat, ReadOptions, RenderOptions, render};

const SEED_TEXT_FILES: &[&str] = &[
    "seed/budget.txt",
    "seed/budget-gb18030.txt",
    "seed/budget-utf16.txt",
    "seed/budget-bom.txt",
    "seed/budget.csv",
    "seed/budget.md",
];

#[test]
fn seed_text_files_give_the_expected_cells() {
    let exp = expected("seed.json");
    for rel in SEED_TEXT_FILES {
        let doc = read(rel);
        assert_eq!(doc.tables.len(), 1, "{rel}");
        assert_matches_expected(&doc.tables[0], &exp, rel);
    }
}

#[test]
fn seed_row_kinds() {
    for rel in SEED_TEXT_FILES {
        let doc = read(rel);
        let kinds: Vec<RowKind> = doc.tables[0].rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[0], RowKind::Total, "{rel}");
        assert_eq!(kinds[1], RowKind::Subtotal, "{rel}");
        assert_eq!(kinds[2..].len(), 7, "{rel}");
        assert!(kinds[2..].iter().all(|k| *k == RowKind::Item), "{rel}");
    }
}

#[test]
fn text_variants_give_the_expected_cells() {
    for (rel, exp) in [
        (
            "variants/v04_财政拨款收支总表.txt",
            "variants/v04_财政拨款收支总表.json",
        ),
        (
            "variants/v08_项目支出绩效目标表_含个人信息.txt",
            "variants/v08_项目支出绩效目标表_含个人信息.json",
        ),
    ] {
        let doc = read(rel);
        assert_matches_expected(&doc.tables[0], &expected(exp), rel);
    }
}

#[test]
fn seed_markdown_is_one_gfm_table_with_right_aligned_amounts() {
    let doc = read("seed/budget.txt");
    let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
    let md = String::from_utf8(md.bytes).unwrap();
    use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
    let mut tables = 0;
    let mut aligns = Vec::new();
    let mut row_cells = Vec::new();
    let mut cells = 0;
    for ev in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Table(a)) => {
                tables += 1;
                aligns = a;
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => cells = 0,
            Event::End(TagEnd::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => row_cells.push(cells),
            _ => {}
        }
    }
    assert_eq!(tables, 1);
    assert_eq!(row_cells.len(), 10, "header + 9 rows");
    assert!(row_cells.iter().all(|&n| n == 7), "{row_cells:?}");
    assert_eq!(
        aligns,
        vec![
            Alignment::None,
            Alignment::Right,
            Alignment::Right,
            Alignment::Right,
            Alignment::Right,
            Alignment::None,
            Alignment::None
        ]
    );
    let back = gongkai::read_bytes(md.as_bytes(), "back.md", &ReadOptions::default()).unwrap();
    assert_same_tables(&doc, &back, "seed markdown round trip");
}

#[test]
fn markdown_round_trip_of_every_readable_table() {
    for rel in all_readable() {
        let doc = match gongkai::read_path(&corpus(&rel), &ReadOptions::default()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
        let back = gongkai::read_bytes(&md.bytes, "back.md", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{rel}: reading our Markdown back: {e}"));
        assert_same_tables(&doc, &back, &rel);
    }
}

#[test]
fn json_output_reads_back_to_the_same_model() {
    let doc = read("seed/budget.csv");
    let json = render(&doc, OutputFormat::Json, &RenderOptions::default())
        .unwrap()
        .bytes;
    let text = String::from_utf8(json.clone()).unwrap();
    assert!(text.contains("\"amount\": \"3593.00\""));
    let back = gongkai::read_bytes(&json, "m.json", &ReadOptions::default()).unwrap();
    assert_eq!(back, doc);
}

#[test]
fn bad_text_files_give_named_errors() {
    for (rel, needle) in [
        ("bad/random.txt", "not readable as text"),
        (
            "bad/ragged.txt",
            "line 8: 7 fields but the header has 5 columns",
        ),
    ] {
        let err = gongkai::read_path(&corpus(rel), &ReadOptions::default())
            .expect_err(rel)
            .to_string();
        assert!(err.contains(needle), "{rel}: {err}");
        assert!(err.contains(rel), "{rel}: error names the file: {err}");
    }
    let err = gongkai::read_path(
        &corpus("departments/区农业农村局/README.txt"),
        &ReadOptions::default(),
    )
    .expect_err("prose")
    .to_string();
    assert!(err.contains("no table found"), "{err}");
}

/// Every corpus input that is not in bad/.
fn all_readable() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["seed", "variants"] {
        let mut names: Vec<String> = std::fs::read_dir(corpus(dir))
            .unwrap()
            .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        names.sort();
        out.extend(names);
    }
    out
}

/// Tab-separated versions of every variant (made from the expected JSON:
/// title, meta lines, a group row where the header has two levels, rows,
/// notes) give back exactly the expected cells: the text path of the
/// normaliser handles every table shape of the corpus.
#[test]
fn text_versions_of_every_variant_give_the_expected_cells() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text-variants");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let doc = gongkai::read_path(&path, &ReadOptions::default()).unwrap();
        let (json, table) = match stem.strip_suffix("_0").or(stem.strip_suffix("_1")) {
            Some(base) => {
                let idx: usize = stem[stem.len() - 1..].parse().unwrap();
                (
                    expected(&format!("variants/{base}.json"))["tables"][idx].clone(),
                    0,
                )
            }
            None if stem == "bad_totals" => (expected("bad/bad_totals.json"), 0),
            None => (expected(&format!("variants/{stem}.json")), 0),
        };
        assert_matches_expected(&doc.tables[table], &json, &stem);
        seen += 1;
    }
    assert_eq!(seen, 11);
}

/// A paragraph of a Markdown source as a reader of the source's lines
/// sees it: block markers (`#`, `-`, `1.`, `>`), emphasis and escapes left
/// out; a table row gives its cells; a table's delimiter row nothing.
fn markdown_source_paragraphs(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in md.lines() {
        let mut t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('|') {
            if t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            out.extend(t.trim_matches('|').split('|').map(|c| c.trim().to_string()));
            continue;
        }
        t = t.trim_start_matches('#').trim_start();
        if let Some(rest) = t.strip_prefix(['-', '*', '+'])
            && rest.starts_with(' ')
        {
            t = rest.trim_start();
        } else {
            let digits = t.chars().take_while(char::is_ascii_digit).count();
            if digits > 0
                && let Some(rest) = t[digits..].strip_prefix(['.', ')'])
                && rest.starts_with(' ')
            {
                t = rest.trim_start();
            }
        }
        let mut text = String::new();
        let mut chars = t.replace("**", "").chars().collect::<Vec<_>>().into_iter();
        while let Some(c) = chars.next() {
            match c {
                '\\' => text.extend(chars.next()),
                c => text.push(c),
            }
        }
        out.push(text);
    }
    out
}

/// Hand-written Markdown in pandoc's manner (a 目录 list with a nested
/// list, a numbered list with a nested list, prose and a bold title above
/// the first table, a heading over the second): every paragraph comes back
/// as a text block, a table's title, meta line or note, or a cell, in the
/// source's order; the 目录 keeps the entries that hold a nested list, and
/// its numbering raises no finding.
#[test]
fn every_paragraph_of_a_markdown_file_is_kept_in_order() {
    use gongkai::model::{Block, ParagraphKind};
    let path = "tests/cases/prose-markdown/input.md";
    let md = std::fs::read_to_string(path).unwrap();
    let source = markdown_source_paragraphs(&md);
    assert!(source.len() >= 40, "{} paragraphs", source.len());
    let doc =
        gongkai::read_bytes(md.as_bytes(), "nothing-lost.md", &ReadOptions::default()).unwrap();
    assert_nothing_lost(&source, &doc, path);

    let section = |heading: &str| {
        doc.blocks
            .iter()
            .find_map(|b| match b {
                Block::Text(s) if s.heading.as_deref() == Some(heading) => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no section '{heading}': {:?}", doc.blocks))
    };
    let contents: Vec<(&str, ParagraphKind)> = section("目录")
        .paragraphs
        .iter()
        .map(|p| (p.text.as_str(), p.kind))
        .collect();
    let item = ParagraphKind::Item;
    assert_eq!(
        contents,
        vec![
            ("一、部门预算编制说明", item),
            ("二、部门预算表", item),
            ("1. 2025年部门收支总表", item),
            ("2. 2025年一般公共预算“三公”经费支出表", item),
            ("三、其他相关情况说明", item),
        ]
    );
    let findings = gongkai::check::check(&doc);
    assert!(
        findings.iter().all(|f| f.rule != "text.numbering"),
        "{findings:?}"
    );
    // The text before the first table is prose, but for its bold title and
    // its two meta lines.
    let (first, _) = section("二、部门预算表")
        .paragraphs
        .split_first()
        .expect("a paragraph under 二、部门预算表");
    assert_eq!(
        first.text,
        "以下两张表按《预算法》第十四条的规定公开，金额单位见各表。"
    );
    let t = &doc.tables[0];
    assert_eq!(t.title.as_deref(), Some("2025年部门收支总表"));
    let meta: Vec<&str> = t.meta.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(meta, vec!["部门名称：某区民政局", "单位：万元"]);
    assert_eq!(t.notes, vec!["注：本表收入总计与支出总计相等。"]);
    assert_eq!(
        doc.tables[1].title.as_deref(),
        Some("2025年一般公共预算“三公”经费支出表")
    );
    // Text before the first heading opens a section of its own.
    match doc.blocks.first() {
        Some(Block::Text(s)) => {
            assert_eq!(s.heading, None);
            assert_eq!(s.paragraphs[0].text, "某区民政局2025年部门预算");
        }
        other => panic!("{other:?}"),
    }
}

/// The blocks a book's Markdown stands for: the cover (title and date),
/// the 目录 as list items, each chapter as sections (its numbered title,
/// then one per heading inside it; list items as items), the table group's
/// heading, and the tables, numbered as the book numbers them.
fn book_blocks(
    b: &gongkai::book::Book,
) -> (Vec<gongkai::model::Block>, Vec<gongkai::model::Table>) {
    use gongkai::book::Part;
    use gongkai::book::chapter::Block as Cb;
    use gongkai::model::{Block, Paragraph, ParagraphKind, Section};
    let plain = |text: String| Paragraph {
        kind: ParagraphKind::Plain,
        text,
    };
    let mut blocks = vec![
        Block::Text(Section {
            heading: Some(b.title.clone()),
            paragraphs: vec![plain(b.date.clone())],
        }),
        Block::Text(Section {
            heading: Some("目录".into()),
            paragraphs: b
                .toc()
                .into_iter()
                .map(|(_, text)| Paragraph {
                    kind: ParagraphKind::Item,
                    text,
                })
                .collect(),
        }),
    ];
    let mut tables = Vec::new();
    let toc = b.toc();
    let mut headings = toc.iter().filter(|(depth, _)| *depth == 0);
    for part in &b.parts {
        let heading = headings.next().map(|(_, t)| t.clone());
        let mut section = Section {
            heading,
            paragraphs: Vec::new(),
        };
        match part {
            Part::Chapter(c) => {
                for block in &c.blocks {
                    match block {
                        Cb::Heading { text, .. } => {
                            blocks.push(Block::Text(std::mem::take(&mut section)));
                            section.heading = Some(text.clone());
                        }
                        Cb::Paragraph(spans) => {
                            section
                                .paragraphs
                                .push(plain(spans.iter().map(|s| s.text.as_str()).collect()));
                        }
                        Cb::List { items, .. } => {
                            section
                                .paragraphs
                                .extend(items.iter().map(|spans| Paragraph {
                                    kind: ParagraphKind::Item,
                                    text: spans.iter().map(|s| s.text.as_str()).collect(),
                                }));
                        }
                        Cb::Table(t) => {
                            blocks.push(Block::Text(std::mem::take(&mut section)));
                            blocks.push(Block::Table {
                                index: tables.len(),
                            });
                            tables.push((**t).clone());
                        }
                    }
                }
                blocks.push(Block::Text(section));
            }
            Part::Tables { tables: group, .. } => {
                blocks.push(Block::Text(section));
                for (k, bt) in group.iter().enumerate() {
                    let mut t = bt.table.clone();
                    t.title = Some(format!("{}. {}", k + 1, bt.title));
                    blocks.push(Block::Table {
                        index: tables.len(),
                    });
                    tables.push(t);
                }
            }
        }
    }
    blocks
        .retain(|b| !matches!(b, Block::Text(s) if s.heading.is_none() && s.paragraphs.is_empty()));
    (blocks, tables)
}

/// The book's Markdown (cover, 目录 with the tables as a nested list,
/// chapters, the tables under 五、部门预算表) reads back to the book's
/// blocks and tables, in order: no 目录 entry lost (五、部门预算表 holds
/// the nested list), no chapter text taken for a table's meta lines, and
/// no false numbering finding.
#[test]
fn the_books_markdown_reads_back_to_its_blocks_and_tables() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局");
    let b = gongkai::book::build(&example, &Default::default()).unwrap();
    let md = gongkai::render_book(&b, OutputFormat::Markdown, &RenderOptions::default())
        .unwrap()
        .bytes;
    let back = gongkai::read_bytes(&md, "book.md", &ReadOptions::default()).unwrap();
    let (blocks, tables) = book_blocks(&b);
    assert_eq!(back.blocks.len(), blocks.len(), "{:#?}", back.blocks);
    for (i, (want, got)) in blocks.iter().zip(&back.blocks).enumerate() {
        assert_eq!(got, want, "block {i}");
    }
    assert_eq!(back.tables.len(), tables.len());
    for (i, (want, got)) in tables.iter().zip(&back.tables).enumerate() {
        assert_eq!(content(got), content(want), "table {i}");
    }
    let findings = gongkai::check::check(&back);
    assert!(
        findings.iter().all(|f| f.rule.starts_with("indicator.")),
        "{findings:#?}"
    );
}

/// A hard line break (two trailing spaces or a backslash) inside a bold or
/// italic meta paragraph splits it into meta lines: 部门名称 and 单位 are two
/// entries and the unit is read. A hard break in a note that is not meta
/// stays a line break inside the note.
#[test]
fn markdown_hard_line_break_splits_a_meta_paragraph() {
    let table = "| 项目 | 金额 |\n| --- | ---: |\n| 合计 | 10.00 |\n| 工资 | 10.00 |\n";
    for brk in ["  \n", "\\\n"] {
        let md = format!(
            "# 部门收入总表\n\n**部门名称：某局**{brk}*单位：万元*\n\n{table}\n注：第一句。{brk}第二句。\n"
        );
        let doc = gongkai::read_bytes(md.as_bytes(), "m.md", &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{brk:?}: {e}"));
        let t = &doc.tables[0];
        let meta: Vec<(Option<&str>, &str)> = t
            .meta
            .iter()
            .map(|m| (m.key.as_deref(), m.value.as_str()))
            .collect();
        assert_eq!(
            meta,
            [(Some("部门名称"), "某局"), (Some("单位"), "万元")],
            "{brk:?}"
        );
        assert_eq!(
            t.unit,
            Some(gongkai::model::Unit::TenThousandYuan),
            "{brk:?}"
        );
        assert_eq!(t.notes, ["注：第一句。\n第二句。"], "{brk:?}");
    }
}

/// A Markdown header whose columns all stand under one group label
/// (`三公 / 合计 | 三公 / 公务接待费`) keeps that group as its top header
/// row: it is not taken for a centred line above the table, and the table
/// reads back with the paths it was written with.
#[test]
fn markdown_header_with_one_group_over_every_column_keeps_it() {
    let md = "# 三公经费表\n\n*单位：万元*\n\n| 三公 / 合计 | 三公 / 公务接待费 |\n| ---: | ---: |\n| 1.00 | 1.00 |\n";
    let doc = gongkai::read_bytes(md.as_bytes(), "g.md", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let t = &doc.tables[0];
    let paths: Vec<String> = t.columns.iter().map(|c| c.path.join("/")).collect();
    assert_eq!(paths, ["三公/合计", "三公/公务接待费"]);
    assert!(
        t.meta.iter().all(|m| m.value != "三公"),
        "the group became a line above the table: {:?}",
        t.meta
    );
    // Written back to Markdown and read again: the same paths.
    let rendered = render(&doc, OutputFormat::Markdown, &RenderOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let again = gongkai::read_bytes(&rendered.bytes, "g2.md", &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let again_paths: Vec<String> = again.tables[0]
        .columns
        .iter()
        .map(|c| c.path.join("/"))
        .collect();
    assert_eq!(again_paths, paths);
}

/// Indentation in a label cell (ideographic spaces, or pairs of ASCII
/// spaces) is the row's level, not text: the model keeps the label
/// without it, the writers show the level once (the PDF and DOCX as an
/// indent, the Markdown as ideographic spaces), and the Markdown reads
/// back to the same levels and labels.
#[test]
fn indentation_is_the_level_and_the_markdown_keeps_it() {
    let tsv = "项目\t金额\n合计\t10.00\n收入\t10.00\n\u{3000}其中：财政拨款\t6.00\n\u{3000}\u{3000}市级\t6.00\n\u{3000}其他\t4.00\n";
    let doc = gongkai::read_bytes(tsv.as_bytes(), "t.tsv", &ReadOptions::default()).unwrap();
    let rows: Vec<(u8, String)> = doc.tables[0]
        .rows
        .iter()
        .map(|r| (r.level, r.cells[0].text().unwrap_or_default().to_string()))
        .collect();
    let want = [
        (0, "合计"),
        (1, "收入"),
        (2, "其中：财政拨款"),
        (3, "市级"),
        (2, "其他"),
    ];
    let want: Vec<(u8, String)> = want.iter().map(|(l, t)| (*l, t.to_string())).collect();
    assert_eq!(rows, want);
    let md = render(&doc, OutputFormat::Markdown, &RenderOptions::default()).unwrap();
    let text = String::from_utf8(md.bytes.clone()).unwrap();
    assert!(text.contains("| \u{3000}\u{3000}市级 | 6.00 |"), "{text}");
    assert!(text.contains("| 合计 | 10.00 |"), "{text}");
    let back = gongkai::read_bytes(&md.bytes, "back.md", &ReadOptions::default()).unwrap();
    assert_same_tables(&doc, &back, "indented labels through Markdown");
}
