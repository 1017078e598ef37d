//! Tests of the book layout.

use super::super::text::NO_LINE_START;
use super::super::{GlyphRun, Item};
use super::*;
use crate::book::chapter::{Block, Chapter, Span};
use crate::profile::Orientation;
use crate::write::pdf::fonts::FontStore;

fn sample() -> Book {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局");
    crate::book::build(&dir, &crate::book::BookOptions::default()).unwrap()
}

fn lay(book: &Book, profile: &Profile) -> BookLayout {
    let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
    layout_book(book, profile, &fonts)
}

fn runs(page: &PageLayout) -> impl Iterator<Item = &GlyphRun> {
    page.items.iter().filter_map(|i| match i {
        Item::Text(r) => Some(r),
        _ => None,
    })
}

fn plain(text: &str) -> Vec<Span> {
    vec![Span {
        text: text.into(),
        bold: false,
        italic: false,
    }]
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text of a page's runs of some kinds, in reading order.
fn page_text(page: &PageLayout, kinds: &[RunKind]) -> String {
    let mut rs: Vec<&GlyphRun> = runs(page).filter(|r| kinds.contains(&r.kind)).collect();
    rs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
    rs.iter().map(|r| r.text.as_str()).collect()
}

/// Every check that holds for any book.
fn check(book: &Book, laid: &BookLayout, profile: &Profile, ctx: &str) {
    assert_eq!(laid.pages.len(), laid.kinds.len(), "{ctx}");
    assert_eq!(laid.pages.len(), laid.numbers.len(), "{ctx}");
    assert_eq!(laid.kinds[0], PageKind::Cover, "{ctx}");
    let first_body = laid
        .kinds
        .iter()
        .position(|k| matches!(k, PageKind::Chapter | PageKind::Tables))
        .unwrap();
    assert!(first_body >= 2, "{ctx}: no 目录");
    for i in 0..laid.pages.len() {
        let page = &laid.pages[i];
        let kind = laid.kinds[i];
        // Cover and 目录 unnumbered, then 1, 2, 3 … without a gap.
        if i < first_body {
            assert!(laid.numbers[i].is_none(), "{ctx}: page {i}");
            assert!(i == 0 || kind == PageKind::Contents, "{ctx}: page {i}");
            assert!(
                runs(page).all(|r| r.kind != RunKind::Furniture),
                "{ctx}: page {i} has a page number"
            );
        } else {
            assert_eq!(laid.numbers[i], Some(i - first_body + 1), "{ctx}: page {i}");
        }
        let portrait = page.width < page.height;
        match kind {
            PageKind::Tables => assert_eq!(
                portrait,
                profile.page.orientation == Orientation::Portrait,
                "{ctx}: table page {i}"
            ),
            _ => assert_eq!(
                portrait,
                profile.page.text_orientation() == Orientation::Portrait,
                "{ctx}: page {i} ({kind:?})"
            ),
        }
        for item in &page.items {
            match item {
                Item::Text(r) => {
                    let ink = r.ink_box();
                    assert!(
                        page.area.contains(&ink),
                        "{ctx}: page {i}: {:?} past the margins",
                        r.text
                    );
                    assert!(
                        r.bounds.contains(&ink),
                        "{ctx}: page {i}: {:?} outside its box",
                        r.text
                    );
                    if r.starts_line && r.kind != RunKind::Furniture {
                        let first = r.text.chars().next().unwrap();
                        assert!(
                            !NO_LINE_START.contains(&first) || r.kind == RunKind::Contents,
                            "{ctx}: page {i}: a line starts with {first:?}: {:?}",
                            r.text
                        );
                    }
                }
                Item::Frame { rect, .. }
                | Item::Fill { rect, .. }
                | Item::MissingGlyph { rect } => {
                    assert!(page.area.contains(rect), "{ctx}: page {i}: {rect:?}");
                }
            }
        }
        // No page ends with a heading.
        if kind == PageKind::Chapter {
            let last = runs(page)
                .filter(|r| r.kind != RunKind::Furniture)
                .max_by(|a, b| a.baseline.total_cmp(&b.baseline))
                .unwrap();
            let only_headings = runs(page)
                .filter(|r| r.kind != RunKind::Furniture)
                .all(|r| r.kind == RunKind::Heading);
            assert!(
                last.kind != RunKind::Heading || only_headings,
                "{ctx}: page {i} ends with the heading {:?}",
                last.text
            );
        }
    }
    // The 目录 lists Book::toc, each line's number is printed on the
    // page the entry begins on, and that page shows its title.
    let toc = book.toc();
    assert_eq!(laid.entries.len(), toc.len(), "{ctx}");
    for (e, (depth, title)) in laid.entries.iter().zip(&toc) {
        assert_eq!((e.depth, &e.title), (*depth, title), "{ctx}");
        let (cpage, rect) = e.contents_line.unwrap();
        assert_eq!(laid.kinds[cpage], PageKind::Contents, "{ctx}");
        let line: Vec<&GlyphRun> = runs(&laid.pages[cpage])
            .filter(|r| r.baseline > rect.y && r.baseline < rect.bottom())
            .collect();
        let number = line.iter().max_by(|a, b| a.x.total_cmp(&b.x)).unwrap();
        let want = laid.numbers[e.page].unwrap().to_string();
        assert_eq!(number.text, want, "{ctx}: '{}'", e.title);
        let on_page = page_text(&laid.pages[e.page], &[RunKind::Heading, RunKind::Title]);
        // Without numbered table titles a table's page shows its title
        // alone.
        let shown = match e.title.split_once(". ") {
            Some((_, t)) if e.depth == 1 && !profile.book.number_table_titles => t,
            _ => e.title.as_str(),
        };
        assert!(
            squeeze(&on_page).contains(&squeeze(shown)),
            "{ctx}: '{}' is not on page {} ({on_page})",
            e.title,
            e.page
        );
        let kind = laid.kinds[e.page];
        assert_eq!(
            kind == PageKind::Tables,
            e.depth == 1 || e.title.ends_with(&book_group_title(book)),
            "{ctx}: '{}' on a {kind:?} page",
            e.title
        );
    }
}

fn book_group_title(book: &Book) -> String {
    book.parts
        .iter()
        .find_map(|p| match p {
            Part::Tables { title, .. } => Some(title.clone()),
            Part::Chapter(_) => None,
        })
        .unwrap_or_else(|| "\u{0}".into())
}

#[test]
fn the_sample_book_lays_out_cleanly() {
    let book = sample();
    for name in ["default", "gbt9704"] {
        let profile = Profile::load(name).unwrap();
        let laid = lay(&book, &profile);
        check(&book, &laid, &profile, name);
        // Every table from a new page: the table entries' pages rise.
        let pages: Vec<usize> = laid
            .entries
            .iter()
            .filter(|e| e.depth == 1)
            .map(|e| e.page)
            .collect();
        assert_eq!(pages.len(), 10, "{name}");
        assert!(pages.windows(2).all(|w| w[0] < w[1]), "{name}: {pages:?}");
    }
    let mut portrait = Profile::default();
    portrait.page.orientation = Orientation::Portrait;
    check(&book, &lay(&book, &portrait), &portrait, "portrait tables");
}

#[test]
fn the_shanghai_profile_turns_every_page_and_leaves_headers_white() {
    let book = sample();
    let fills = |laid: &BookLayout| {
        laid.pages
            .iter()
            .flat_map(|p| &p.items)
            .filter(|i| matches!(i, Item::Fill { .. }))
            .count()
    };
    let default = lay(&book, &Profile::default());
    assert!(fills(&default) > 0, "the default shades headers");
    let shanghai = Profile::load("shanghai").unwrap();
    let laid = lay(&book, &shanghai);
    check(&book, &laid, &shanghai, "shanghai");
    assert_eq!(fills(&laid), 0, "no shading in the Shanghai style");
    assert!(
        laid.pages.iter().all(|p| p.width > p.height),
        "landscape throughout"
    );
    // The cover names the department after the profile's label.
    let cover = squeeze(&page_text(&laid.pages[0], &[RunKind::Cover]));
    assert!(
        cover.contains(&format!("预算主管部门：{}", book.department)),
        "{cover}"
    );
    // Table titles without their 目录 number.
    let first = &book.tables().next().unwrap().title;
    let numbered = format!("1.{}", squeeze(first));
    let all: String = laid
        .pages
        .iter()
        .skip(2)
        .map(|p| squeeze(&page_text(p, &[RunKind::Title])))
        .collect();
    assert!(all.contains(&squeeze(first)), "{all}");
    assert!(!all.contains(&numbered), "{all}");
}

#[test]
fn the_cover_shows_title_department_and_date() {
    let book = sample();
    let laid = lay(&book, &Profile::default());
    let cover = page_text(&laid.pages[0], &[RunKind::Cover]);
    assert_eq!(
        cover,
        format!("{}{}{}", book.title, book.department, book.date),
        "{cover}"
    );
}

fn long_chapter() -> Chapter {
    let sentence =
        "本部门按照过紧日子的要求，严格控制一般性支出，（重点保障）民生项目和“三公”经费压减，";
    let mut blocks = Vec::new();
    for k in 0..40 {
        blocks.push(Block::Heading {
            level: 2 + (k % 2) as u8,
            text: format!("（{}）第{}项说明", k + 1, k + 1),
        });
        // Paragraphs of many lengths, so headings and breaks land
        // everywhere on a page.
        for n in [1 + k % 3, 1 + (k * 5) % 7] {
            let text = format!(
                "{}{}共{}元。",
                sentence.repeat(n),
                "补充说明".repeat(k % 11),
                1000 * k + n
            );
            blocks.push(Block::Paragraph(plain(&text)));
        }
        blocks.push(Block::List {
            ordered: k % 2 == 0,
            start: 9,
            items: vec![plain(sentence), plain("短项"), plain(&sentence.repeat(2))],
        });
    }
    Chapter {
        title: "长篇说明".into(),
        blocks,
        source: "long.md".into(),
    }
}

fn book_of(parts: Vec<Part>) -> Book {
    Book {
        title: "某局2025年部门预算".into(),
        department: "某局".into(),
        year: Some("2025".into()),
        date: "2025年2月".into(),
        contents: None,
        cover_lines: Vec::new(),
        department_line: None,
        parts,
        warnings: Vec::new(),
    }
}

#[test]
fn long_chapters_break_between_lines_and_keep_headings_with_text() {
    let chapter = long_chapter();
    let book = book_of(vec![Part::Chapter(chapter.clone())]);
    for name in ["default", "gbt9704"] {
        let profile = Profile::load(name).unwrap();
        let laid = lay(&book, &profile);
        check(&book, &laid, &profile, name);
        let body: Vec<usize> = (0..laid.pages.len())
            .filter(|&i| laid.kinds[i] == PageKind::Chapter)
            .collect();
        assert!(body.len() > 8, "{name}: {} pages", body.len());
        let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
        let size = Type::new(&fonts, profile.book_type).text;
        let mut split = 0;
        for (bi, block) in chapter.blocks.iter().enumerate() {
            let Block::Paragraph(spans) = block else {
                continue;
            };
            // Lines of the block, page by page.
            let mut lines: Vec<(usize, f32, f32, f32, String)> = Vec::new();
            for &pi in &body {
                let page = &laid.pages[pi];
                let mut rs: Vec<&GlyphRun> = runs(page)
                    .filter(|r| r.kind == RunKind::Text && r.row == Some(bi))
                    .collect();
                rs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline).then(a.x.total_cmp(&b.x)));
                for r in rs {
                    match lines.last_mut() {
                        Some(l) if l.0 == pi && l.1 == r.baseline => {
                            l.3 = r.x + r.width;
                            l.4.push_str(&r.text);
                        }
                        _ => lines.push((pi, r.baseline, r.x, r.x + r.width, r.text.clone())),
                    }
                }
            }
            let drawn: String = lines.iter().map(|l| l.4.as_str()).collect();
            let want: String = spans.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(drawn, want, "{name}: block {bi}");
            let area = laid.pages[lines[0].0].area;
            // First line indented two characters; the others flush.
            assert!((lines[0].2 - (area.x + 2.0 * size)).abs() < 0.01, "{name}");
            for l in &lines[1..] {
                assert!((l.2 - area.x).abs() < 0.01, "{name}: {l:?}");
            }
            // Justified: every line but the last ends at the margin.
            for l in &lines[..lines.len() - 1] {
                assert!((l.3 - area.right()).abs() < 0.5, "{name}: {l:?}");
            }
            // A break leaves two lines or more on each side.
            if lines.len() >= 2 {
                let mut counts = std::collections::BTreeMap::new();
                for l in &lines {
                    *counts.entry(l.0).or_insert(0) += 1;
                }
                assert!(
                    counts.len() == 1 || counts.values().all(|&c| c >= MIN_LINES_AT_BREAK),
                    "{name}: block {bi}: {counts:?}"
                );
                if counts.len() > 1 {
                    split += 1;
                }
            }
        }
        assert!(split >= 3, "{name}: only {split} paragraphs cross a page");
    }
}

#[test]
fn a_long_contents_does_not_move_the_page_numbers() {
    let parts: Vec<Part> = (0..70)
        .map(|k| {
            Part::Chapter(Chapter {
                title: format!("第{k}章"),
                blocks: vec![Block::Paragraph(plain("正文。"))],
                source: format!("{k}.md"),
            })
        })
        .collect();
    let book = book_of(parts);
    let profile = Profile::default();
    let laid = lay(&book, &profile);
    check(&book, &laid, &profile, "70 chapters");
    let contents = laid
        .kinds
        .iter()
        .filter(|k| **k == PageKind::Contents)
        .count();
    assert!(contents >= 2, "{contents}");
    for (k, e) in laid.entries.iter().enumerate() {
        assert_eq!(laid.numbers[e.page], Some(k + 1));
    }
}

#[test]
fn emphasis_is_bold_sans_or_slanted() {
    let spans = vec![
        Span {
            text: "普通".into(),
            bold: false,
            italic: false,
        },
        Span {
            text: "加粗".into(),
            bold: true,
            italic: false,
        },
        Span {
            text: "倾斜".into(),
            bold: false,
            italic: true,
        },
    ];
    let book = book_of(vec![Part::Chapter(Chapter {
        title: "说明".into(),
        blocks: vec![Block::Paragraph(spans)],
        source: "x.md".into(),
    })]);
    let profile = Profile::default();
    let fonts = FontBook::new(&FontStore::new(), &profile.fonts).unwrap();
    let laid = layout_book(&book, &profile, &fonts);
    let page = laid.pages.last().unwrap();
    let text: Vec<&GlyphRun> = runs(page).filter(|r| r.kind == RunKind::Text).collect();
    let find = |t: &str| *text.iter().find(|r| r.text == t).unwrap();
    let (body, _) = fonts.lookup(Role::Body, '普').unwrap();
    let (bold, _) = fonts.lookup(Role::Header, '加').unwrap();
    assert_eq!((find("普通").face, find("普通").slant), (body, false));
    assert_eq!((find("加粗").face, find("加粗").slant), (bold, false));
    assert_eq!((find("倾斜").face, find("倾斜").slant), (body, true));
    // One line, the runs side by side.
    assert_eq!(find("加粗").baseline, find("倾斜").baseline);
    assert!(find("普通").x < find("加粗").x && find("加粗").x < find("倾斜").x);
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_the_paragraph() {
    let book = book_of(vec![Part::Chapter(Chapter {
        title: "说明".into(),
        blocks: vec![
            Block::Paragraph(plain("第一段。")),
            Block::Paragraph(plain("第二段\u{E000}。")),
        ],
        source: "x.md".into(),
    })]);
    let laid = lay(&book, &Profile::default());
    let w: Vec<String> = laid.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("chapter '说明' (x.md), paragraph 2"), "{w:?}");
    assert!(w[0].contains("U+E000"), "{w:?}");
    // An empty box stands in its place.
    assert!(laid.pages.iter().any(|p| {
        p.items
            .iter()
            .any(|i| matches!(i, Item::MissingGlyph { .. }))
    }));
}

#[test]
fn same_book_same_layout() {
    let book = sample();
    let profile = Profile::default();
    assert_eq!(lay(&book, &profile), lay(&book, &profile));
}
