//! The disclosure book as PDF, read back from the file: the outline lists
//! every chapter and table and leads to their pages; the 目录's numbers are
//! the numbers printed on the pages where the headings are; text pages are
//! portrait and table pages landscape; every character of every paragraph
//! and cell can be extracted; the same book gives the same bytes.

mod common;

use gongkai::book::chapter::Block;
use gongkai::book::{self, Book, BookOptions, Part};
use gongkai::profile::Profile;
use gongkai::{OutputFormat, RenderOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-03-01 08:00 UTC: a fixed creation time for the tests.
const CREATED: i64 = 1_740_816_000;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局")
}

fn sample() -> Book {
    book::build(&example(), &BookOptions::default()).unwrap()
}

fn options(profile: &str) -> RenderOptions {
    RenderOptions::default()
        .with_profile(Profile::load(profile).unwrap())
        .with_created(CREATED)
}

fn pdf(b: &Book, profile: &str) -> Vec<u8> {
    gongkai::render_book(b, OutputFormat::Pdf, &options(profile))
        .unwrap()
        .bytes
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of every page, read back with lopdf through the fonts'
/// ToUnicode maps.
fn pages_text(bytes: &[u8]) -> Vec<String> {
    common::pdf::page_texts(bytes)
}

/// The page number a page prints in its footer: "第 N 页 共 Y 页" (N, Y)
/// or "— N —" (N, None).
fn footer(page: &str) -> Option<(usize, Option<usize>)> {
    let s = squeeze(page);
    let digits = |t: &str| -> Option<(usize, usize)> {
        let n: String = t.chars().take_while(char::is_ascii_digit).collect();
        Some((n.parse().ok()?, n.len()))
    };
    let mut found = None;
    for (i, _) in s.match_indices('第') {
        let rest = &s[i + '第'.len_utf8()..];
        if let Some((n, len)) = digits(rest)
            && let Some(tail) = rest[len..].strip_prefix("页共")
            && let Some((total, tlen)) = digits(tail)
            && tail[tlen..].starts_with('页')
        {
            found = Some((n, Some(total)));
        }
    }
    for (i, _) in s.match_indices('—') {
        let rest = &s[i + '—'.len_utf8()..];
        if let Some((n, len)) = digits(rest)
            && rest[len..].starts_with('—')
        {
            found = Some((n, None));
        }
    }
    found
}

/// The 目录's entries as printed: for each expected title in order, the
/// title found in the text of the pages before the first numbered page,
/// then its dot leader, then the number printed after it.
fn contents_lines(pages: &[String], titles: &[String]) -> Vec<(String, usize)> {
    let text: String = pages
        .iter()
        .skip(1)
        .take_while(|p| footer(p).is_none())
        .map(|p| squeeze(p))
        .collect();
    let mut out = Vec::new();
    let mut at = 0;
    for (k, title) in titles.iter().enumerate() {
        let t = squeeze(title);
        let Some(pos) = text[at..].find(&t) else {
            break;
        };
        let after = &text[at + pos + t.len()..];
        let leader: usize = after
            .chars()
            .take_while(|c| matches!(c, '.' | '·' | '…' | '．' | '‧' | '⋯'))
            .map(char::len_utf8)
            .sum();
        let rest = &after[leader..];
        // The number runs up to the next entry, whose title may itself
        // begin with digits ("1. 2025年…").
        let end = titles
            .get(k + 1)
            .and_then(|next| rest.find(&squeeze(next)))
            .unwrap_or(rest.len());
        let digits: String = rest[..end]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let Ok(n) = digits.parse::<usize>() else {
            break;
        };
        at += pos + t.len() + leader + digits.len();
        out.push((t, n));
    }
    out
}

/// The outline read back with lopdf: (depth, title, physical page from 1).
fn outline(bytes: &[u8]) -> Vec<(usize, String, u32)> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let page_no: BTreeMap<lopdf::ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut out = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        first: Option<lopdf::ObjectId>,
        depth: usize,
        page_no: &BTreeMap<lopdf::ObjectId, u32>,
        out: &mut Vec<(usize, String, u32)>,
    ) {
        let mut next = first;
        while let Some(id) = next {
            let d = doc.get_dictionary(id).unwrap();
            let raw = d.get(b"Title").unwrap().as_str().unwrap();
            assert_eq!(&raw[..2], b"\xFE\xFF", "titles are UTF-16BE");
            let units: Vec<u16> = raw[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            let title = String::from_utf16(&units).unwrap();
            let dest = d.get(b"Dest").unwrap().as_array().unwrap();
            let page = page_no[&dest[0].as_reference().unwrap()];
            out.push((depth, title, page));
            let child = d.get(b"First").ok().map(|o| o.as_reference().unwrap());
            walk(doc, child, depth + 1, page_no, out);
            next = d.get(b"Next").ok().map(|o| o.as_reference().unwrap());
        }
    }
    let first = doc
        .get_dictionary(root)
        .unwrap()
        .get(b"First")
        .ok()
        .map(|o| o.as_reference().unwrap());
    walk(&doc, first, 0, &page_no, &mut out);
    out
}

/// The link annotations of every page: (page, target page), both
/// physical from 1, in the order the page lists them.
fn links(bytes: &[u8]) -> Vec<(u32, u32)> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let pages = doc.get_pages();
    let page_no: BTreeMap<lopdf::ObjectId, u32> = pages.iter().map(|(n, id)| (*id, *n)).collect();
    let mut out = Vec::new();
    for (n, id) in &pages {
        let Ok(annots) = doc.get_dictionary(*id).unwrap().get(b"Annots") else {
            continue;
        };
        for a in annots.as_array().unwrap() {
            let a = match a {
                lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                other => other.as_dict().unwrap(),
            };
            assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let border = a.get(b"Border").unwrap().as_array().unwrap();
            assert_eq!(border.last().unwrap().as_float().unwrap(), 0.0, "no frame");
            let dest = a
                .get(b"A")
                .unwrap()
                .as_dict()
                .unwrap()
                .get(b"D")
                .unwrap()
                .as_array()
                .unwrap();
            out.push((*n, page_no[&dest[0].as_reference().unwrap()]));
        }
    }
    out
}

/// Width and height of every page's MediaBox.
fn page_sizes(bytes: &[u8]) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.get_pages()
        .values()
        .map(|id| {
            let b = doc
                .get_dictionary(*id)
                .unwrap()
                .get(b"MediaBox")
                .unwrap()
                .as_array()
                .unwrap();
            let v: Vec<f32> = b.iter().map(|o| o.as_float().unwrap()).collect();
            (v[2] - v[0], v[3] - v[1])
        })
        .collect()
}

/// Everything the book PDF checks from the outside, for one profile.
fn check_book(b: &Book, bytes: &[u8], profile: &str) {
    let pages = pages_text(bytes);
    let toc = b.toc();

    // Cover and 目录 unnumbered; numbered pages 1, 2, 3 … to the end,
    // each "of" the number of numbered pages.
    let first_body = pages.iter().position(|p| footer(p).is_some()).unwrap();
    assert!(
        first_body >= 2,
        "{profile}: no 目录 before page {first_body}"
    );
    let numbered = pages.len() - first_body;
    for (i, page) in pages.iter().enumerate().skip(first_body) {
        let (n, total) = footer(page).unwrap_or_else(|| panic!("{profile}: page {i}: {page}"));
        assert_eq!(n, i - first_body + 1, "{profile}: page {}", i + 1);
        if let Some(total) = total {
            assert_eq!(total, numbered, "{profile}");
        }
    }
    let cover = squeeze(&pages[0]);
    for want in [&b.title, &b.department, &b.date] {
        assert!(cover.contains(&squeeze(want)), "{profile}: cover: {cover}");
    }
    assert!(squeeze(&pages[1]).starts_with("目录"), "{profile}");

    // Every 目录 entry: its number is the page whose footer says it, and
    // that page shows the title, and no earlier page does.
    let titles: Vec<String> = toc.iter().map(|(_, t)| t.clone()).collect();
    let lines = contents_lines(&pages, &titles);
    assert_eq!(lines.len(), toc.len(), "{profile}: {lines:?}");
    let mut starts = Vec::new();
    for ((_, title), (printed, n)) in toc.iter().zip(&lines) {
        assert_eq!(*printed, squeeze(title), "{profile}");
        let index = first_body + n - 1;
        let page = pages.get(index).unwrap();
        assert_eq!(footer(page).map(|f| f.0), Some(*n), "{profile}");
        assert!(
            squeeze(page).contains(&squeeze(title)),
            "{profile}: '{title}' is not on page {n}: {page}"
        );
        for earlier in &pages[first_body..index] {
            assert!(!squeeze(earlier).contains(&squeeze(title)), "{profile}");
        }
        starts.push(index + 1);
    }

    // The outline: chapters and the group at the top, tables under the
    // group, each leading to the page the 目录 gives.
    let marks = outline(bytes);
    let want: Vec<(usize, String, u32)> = toc
        .iter()
        .zip(&starts)
        .map(|((d, t), p)| (usize::from(*d), t.clone(), *p as u32))
        .collect();
    assert_eq!(marks, want, "{profile}");

    // Each 目录 line is a link to the same page, and nothing else links.
    let jumps = links(bytes);
    assert!(
        jumps
            .iter()
            .all(|(from, _)| (*from as usize) > 1 && (*from as usize) <= first_body),
        "{profile}: {jumps:?}"
    );
    let targets: Vec<u32> = jumps.iter().map(|(_, to)| *to).collect();
    let starts_u32: Vec<u32> = starts.iter().map(|s| *s as u32).collect();
    assert_eq!(targets, starts_u32, "{profile}");

    // Text pages portrait, table pages (from a table's first page to the
    // next entry's) landscape, cover and 目录 portrait.
    let sizes = page_sizes(bytes);
    assert_eq!(sizes.len(), pages.len());
    for (i, (w, h)) in sizes.iter().enumerate() {
        let physical = i + 1;
        let owner = toc.iter().zip(&starts).rev().find(|(_, s)| **s <= physical);
        let table_page = owner.is_some_and(|((d, t), _)| {
            *d == 1
                || b.parts
                    .iter()
                    .any(|p| matches!(p, Part::Tables { title, .. } if t.ends_with(title.as_str())))
        });
        if table_page {
            assert!(w > h, "{profile}: table page {physical} is {w} × {h}");
        } else {
            assert!(w < h, "{profile}: text page {physical} is {w} × {h}");
        }
    }
}

#[test]
fn the_sample_book_reads_back_right() {
    let b = sample();
    for profile in ["default", "gbt9704"] {
        let bytes = pdf(&b, profile);
        check_book(&b, &bytes, profile);
    }
}

#[test]
fn document_info_and_page_labels() {
    let b = sample();
    let bytes = pdf(&b, "default");
    let info = common::pdf::info(&bytes);
    assert_eq!(info.title, b.title);
    assert_eq!(info.author, b.department);
    assert!(
        info.creation_date.starts_with("D:20250301080000"),
        "{info:?}"
    );
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let cat = doc.catalog().unwrap();
    assert_eq!(
        cat.get(b"PageMode").unwrap().as_name().unwrap(),
        b"UseOutlines"
    );
    let nums = cat
        .get(b"PageLabels")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap();
    let starts: Vec<i64> = nums
        .iter()
        .step_by(2)
        .map(|o| o.as_i64().unwrap())
        .collect();
    // 封面 at 0, 目录 at 1, numbers from the first page after the 目录.
    assert_eq!(starts, vec![0, 1, 2], "{nums:?}");
    // Every font embedded as a subset with a ToUnicode map.
    let fonts = common::pdf::fonts(&bytes);
    assert!(!fonts.is_empty());
    for f in fonts {
        assert!(f.embedded && f.is_subset() && f.to_unicode, "{f:?}");
    }
}

#[test]
fn same_book_same_bytes_whatever_ran_before() {
    let b = sample();
    let first = pdf(&b, "default");
    // printpdf draws ids from a process-wide counter: render other things
    // in between.
    let doc = gongkai::read_path(
        &example().join("2025年部门收支总表.txt"),
        &gongkai::ReadOptions::default(),
    )
    .unwrap();
    let _ = gongkai::render(&doc, OutputFormat::Pdf, &options("default")).unwrap();
    let _ = pdf(&b, "gbt9704");
    assert!(first == pdf(&b, "default"));
    // Another date, another file.
    let other = gongkai::render_book(
        &b,
        OutputFormat::Pdf,
        &options("default").with_created(CREATED + 86_400),
    )
    .unwrap()
    .bytes;
    assert!(other != first);
}

/// Every character a reader must find: the 目录's titles, the chapters'
/// headings, paragraphs and list items, and the tables' titles, meta lines,
/// header labels, cells and notes.
fn expected_chars(b: &Book) -> BTreeMap<char, usize> {
    let mut text = String::new();
    for (_, t) in b.toc() {
        text.push_str(&t);
    }
    let table =
        |t: &gongkai::model::Table, text: &mut String| text.push_str(&common::shown_text(t));
    for part in &b.parts {
        match part {
            Part::Chapter(c) => {
                for block in &c.blocks {
                    match block {
                        Block::Heading { text: h, .. } => text.push_str(h),
                        Block::Paragraph(spans) => {
                            text.extend(spans.iter().map(|s| s.text.as_str()))
                        }
                        Block::List { items, .. } => {
                            for item in items {
                                text.extend(item.iter().map(|s| s.text.as_str()));
                            }
                        }
                        Block::Table(t) => table(t, &mut text),
                    }
                }
            }
            Part::Tables { tables, .. } => {
                for t in tables {
                    table(&t.table, &mut text);
                }
            }
        }
    }
    let mut m = BTreeMap::new();
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(ch).or_insert(0) += 1;
    }
    m
}

#[test]
fn every_character_of_every_paragraph_and_cell_extracts() {
    let mut b = sample();
    // A chapter table and emphasis too.
    let extra = book::chapter::parse(
        "# 附表说明\n\n下表列出**重点**项目的*预算*安排。\n\n| 项目 | 金额 |\n| --- | ---: |\n| 重点项目奖励 | 3,000.00 |\n| 合计 | 3,000.00 |\n",
        "附表说明",
        "附表说明.md",
    );
    assert!(extra.blocks.iter().any(|b| matches!(b, Block::Table(_))));
    b.parts.push(Part::Chapter(extra));
    let out = gongkai::render_book(&b, OutputFormat::Pdf, &options("default")).unwrap();
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let mut text = common::pdf::text(&out.bytes);
    if let Some(t) = common::pdf::poppler_text(&out.bytes) {
        text.push_str(&t);
    }
    let mut got = BTreeMap::new();
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        *got.entry(ch).or_insert(0) += 1;
    }
    for (ch, n) in expected_chars(&b) {
        let have = got.get(&ch).copied().unwrap_or(0);
        assert!(
            have >= n,
            "{ch:?} (U+{:04X}) {n} times in the book, {have} in the PDF text",
            ch as u32
        );
    }
    check_book(&b, &out.bytes, "default + chapter table");
}

#[test]
fn the_command_line_writes_the_book_pdf() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-book-pdf-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["book", "--to", "pdf", "--out"])
        .arg(&dir)
        .arg(example())
        .env("SOURCE_DATE_EPOCH", CREATED.to_string())
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // The command line masks personal data first, as every public version.
    let mut b = sample();
    let _ = b.disclose(&Profile::default().disclosure);
    let file = dir.join(format!("{}.pdf", book::file_stem_for(&b)));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(bytes, pdf(&b, "default"));
    let _ = std::fs::remove_dir_all(&dir);
}
