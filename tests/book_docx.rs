//! The book as DOCX: Word headings and a TOC field whose entries link to
//! bookmarks, portrait text sections and landscape table sections, page
//! numbers from the first page after the 目录, repeated header rows, the
//! same bytes for the same book, and tables our reader finds again.

mod common;

use common::canonical;
use gongkai::book::{self, Book, BookOptions};
use gongkai::model::Table;
use gongkai::profile::{Orientation, PageNumberStyle, Profile};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value as Json;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// A fixed time for the outputs (2025-02-01).
const CREATED: i64 = 1_738_368_000;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局")
}

fn sample_book() -> Book {
    book::build(&example(), &BookOptions::default()).unwrap()
}

/// The bookmark of the `i`-th 目录 entry (from 0), as the writer names
/// them: `_Toc` and a number, the hidden kind of bookmark Word itself
/// makes for TOC entries.
fn bookmark_name(i: usize) -> String {
    format!("_TocGk{:04}", i + 1)
}

fn options(profile: Profile) -> RenderOptions {
    RenderOptions::default()
        .with_profile(profile)
        .with_created(CREATED)
}

fn docx(b: &Book, profile: Profile) -> Vec<u8> {
    gongkai::render_book(b, OutputFormat::Docx, &options(profile))
        .unwrap()
        .bytes
}

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned()
        })
}

/// One section of document.xml as its sectPr describes it, with what its
/// paragraphs hold.
#[derive(Debug, Default)]
struct Section {
    width: u32,
    height: u32,
    landscape: bool,
    page_number_start: Option<String>,
    footer: bool,
    /// Paragraph styles used in the section.
    styles: Vec<String>,
    /// Text of its heading-1 and heading-2 paragraphs.
    headings: Vec<String>,
    /// Bookmark names started in it.
    bookmarks: Vec<String>,
    tables: usize,
}

/// Walks document.xml: sections in order (a sectPr in a paragraph ends
/// its section, the body's last sectPr ends the last one), and per table
/// the number of leading rows marked tblHeader.
fn sections(document: &str) -> (Vec<Section>, Vec<usize>) {
    let mut reader = Reader::from_str(document);
    let mut out = Vec::new();
    let mut cur = Section::default();
    let mut in_sect = false;
    let mut style: Option<String> = None;
    let mut text = String::new();
    let mut in_t = false;
    let mut table_depth = 0usize;
    let mut header_rows: Vec<usize> = Vec::new();
    let mut row_is_header = false;
    let mut counting = true;
    loop {
        let ev = reader.read_event().unwrap();
        match &ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                match name.as_ref() {
                    "w:sectPr" => in_sect = true,
                    "w:pgSz" if in_sect => {
                        cur.width = attr(e, "w:w").unwrap().parse().unwrap();
                        cur.height = attr(e, "w:h").unwrap().parse().unwrap();
                        cur.landscape = attr(e, "w:orient").as_deref() == Some("landscape");
                    }
                    "w:pgNumType" if in_sect => cur.page_number_start = attr(e, "w:start"),
                    "w:footerReference" if in_sect => cur.footer = true,
                    "w:pStyle" if table_depth == 0 => {
                        let s = attr(e, "w:val").unwrap();
                        if !cur.styles.contains(&s) {
                            cur.styles.push(s.clone());
                        }
                        style = Some(s);
                    }
                    "w:p" if matches!(ev, Event::Start(_)) && table_depth == 0 => {
                        style = None;
                        text.clear();
                    }
                    "w:t" if matches!(ev, Event::Start(_)) => in_t = true,
                    "w:bookmarkStart" => cur.bookmarks.push(attr(e, "w:name").unwrap()),
                    "w:tbl" => {
                        if table_depth == 0 {
                            cur.tables += 1;
                            header_rows.push(0);
                            counting = true;
                        }
                        table_depth += 1;
                    }
                    "w:tr" => row_is_header = false,
                    "w:tblHeader" => row_is_header = true,
                    _ => {}
                }
            }
            Event::Text(t) if in_t && table_depth == 0 => {
                text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_t && table_depth == 0 => {
                text.push_str(quick_xml::escape::resolve_predefined_entity(r).unwrap());
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:p" if table_depth == 0 => {
                    if matches!(style.as_deref(), Some("Heading1" | "Heading2")) {
                        cur.headings.push(text.clone());
                    }
                }
                "w:sectPr" => {
                    in_sect = false;
                    out.push(std::mem::take(&mut cur));
                }
                "w:tr" if table_depth == 1 => {
                    if let Some(n) = header_rows.last_mut() {
                        if row_is_header && counting {
                            *n += 1;
                        } else {
                            counting = false;
                        }
                    }
                }
                "w:tbl" => table_depth -= 1,
                _ => {}
            },
            _ => {}
        }
    }
    (out, header_rows)
}

/// The values of a table's body, with its columns.
fn body(t: &Table) -> Json {
    serde_json::json!({
        "columns": t.columns.iter().map(|c| c.path.clone()).collect::<Vec<_>>(),
        "rows": t.rows.iter().map(|r| {
            (r.kind, r.level, r.cells.iter().map(|c| canonical(&c.value)).collect::<Vec<_>>())
        }).collect::<Vec<_>>(),
    })
}

#[test]
fn headings_are_word_headings_and_the_toc_links_to_them() {
    let b = sample_book();
    let bytes = docx(&b, Profile::default());
    let styles = part(&bytes, "word/styles.xml");
    for (id, name, level) in [("Heading1", "heading 1", 0), ("Heading2", "heading 2", 1)] {
        let at = styles
            .find(&format!(r#"w:styleId="{id}""#))
            .unwrap_or_else(|| panic!("no style {id}"));
        let def = &styles[at..at + styles[at..].find("</w:style>").unwrap()];
        assert!(
            def.contains(&format!(r#"<w:name w:val="{name}"/>"#)),
            "{def}"
        );
        assert!(
            def.contains(&format!(r#"<w:outlineLvl w:val="{level}"/>"#)),
            "{def}"
        );
    }
    assert!(styles.contains(r#"<w:name w:val="toc 1"/>"#));
    assert!(styles.contains(r#"w:leader="dot""#), "dot leaders");

    let document = part(&bytes, "word/document.xml");
    assert_eq!(
        document.matches(r#"TOC \o "1-2" \h \z \u"#).count(),
        1,
        "one TOC field"
    );
    let toc = b.toc();
    assert_eq!(toc.len(), 16, "6 parts and 10 tables");
    let (sections, _) = sections(&document);
    let headings: Vec<&String> = sections.iter().flat_map(|s| &s.headings).collect();
    let bookmarks: Vec<&String> = sections.iter().flat_map(|s| &s.bookmarks).collect();
    let wanted: Vec<&String> = toc.iter().map(|(_, t)| t).collect();
    assert_eq!(headings, wanted, "one heading per 目录 entry, in order");
    for (i, (depth, title)) in toc.iter().enumerate() {
        let name = bookmark_name(i);
        assert_eq!(bookmarks.get(i).map(|s| s.as_str()), Some(name.as_str()));
        assert!(
            document.contains(&format!(r#"<w:hyperlink w:anchor="{name}""#)),
            "entry {i} links to its heading"
        );
        assert!(
            document.contains(&format!(" PAGEREF {name} \\h ")),
            "entry {i} has its page number field"
        );
        // The pre-rendered entry: its text, in the style of its depth.
        let link = format!(r#"<w:hyperlink w:anchor="{name}" w:history="1">"#);
        let at = document.find(&link).unwrap();
        let p_start = document[..at].rfind("<w:p>").unwrap();
        let style = if *depth == 0 { "TOC1" } else { "TOC2" };
        assert!(
            document[p_start..at].contains(&format!(r#"<w:pStyle w:val="{style}"/>"#)),
            "entry {i} in {style}"
        );
        let text = format!(r#"<w:t xml:space="preserve">{title}</w:t>"#);
        assert!(
            document[at..].starts_with(&format!("{link}<w:r>{text}")),
            "entry {i} reads '{title}'"
        );
    }
    // The cached page numbers: every entry has one, in reading order,
    // starting at 1.
    let cached: Vec<u32> = (0..toc.len())
        .map(|i| {
            let name = bookmark_name(i);
            let field = format!(" PAGEREF {name} \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>");
            let at = document.find(&field).unwrap() + field.len();
            let end = at + document[at..].find('<').unwrap();
            document[at..end].parse().unwrap()
        })
        .collect();
    assert_eq!(cached.first(), Some(&1));
    assert!(cached.windows(2).all(|w| w[0] <= w[1]), "{cached:?}");
    assert!(
        part(&bytes, "word/settings.xml").contains(r#"<w:updateFields w:val="true"/>"#),
        "Word updates the fields on opening"
    );
}

#[test]
fn text_pages_are_portrait_table_pages_landscape_and_numbers_start_after_the_toc() {
    let b = sample_book();
    let bytes = docx(&b, Profile::default());
    let document = part(&bytes, "word/document.xml");
    let (sections, header_rows) = sections(&document);
    // Cover, 目录, chapters 一–四, the tables, chapter 六.
    assert_eq!(sections.len(), 5, "{sections:#?}");
    assert_eq!(document.matches("<w:sectPr>").count(), 5);
    let [cover, toc, text, tables, last] = &sections[..] else {
        unreachable!()
    };
    assert!(cover.headings.is_empty() && cover.styles.is_empty());
    assert!(toc.styles.iter().any(|s| s == "TOC1") && toc.styles.iter().any(|s| s == "TOC2"));
    for s in [cover, toc, text, last] {
        assert!(!s.landscape && s.width < s.height, "portrait: {s:#?}");
        assert_eq!(s.tables, 0);
    }
    assert!(
        tables.landscape && tables.width > tables.height,
        "{tables:#?}"
    );
    assert_eq!(tables.tables, 10);
    assert_eq!(
        tables
            .headings
            .iter()
            .filter(|h| h.starts_with("1. "))
            .count(),
        1
    );
    assert!(text.styles.iter().any(|s| s == "BodyText"));
    assert_eq!(text.headings.len(), 4);
    assert_eq!(last.headings, vec!["六、其他相关情况说明".to_string()]);
    // Numbers from the first page after the 目录, continued after.
    let starts: Vec<Option<&str>> = sections
        .iter()
        .map(|s| s.page_number_start.as_deref())
        .collect();
    assert_eq!(starts, vec![None, None, Some("1"), None, None]);
    // The footer is set on that section; the later ones inherit it, the
    // cover and the 目录 have none to inherit.
    let footers: Vec<bool> = sections.iter().map(|s| s.footer).collect();
    assert_eq!(footers, vec![false, false, true, false, false]);
    let footer = part(&bytes, "word/footer1.xml");
    assert!(footer.contains("第 ") && footer.contains(r#"w:instr=" PAGE ""#));
    // Each table's header rows repeat on every page.
    let depths: Vec<usize> = b.tables().map(|t| t.table.header_depth()).collect();
    assert_eq!(header_rows, depths);
    assert!(depths.iter().all(|d| *d >= 1));
    // Each table after the first starts on a new page, and so does each
    // chapter after the first of its section (the four before the tables
    // share one portrait section): 9 + 3.
    assert_eq!(document.matches("<w:pageBreakBefore/>").count(), 12);
}

#[test]
fn the_profile_sets_the_table_orientation_and_the_page_number_style() {
    let b = sample_book();
    let mut profile = Profile::load("gbt9704").unwrap();
    profile.page.orientation = Orientation::Portrait;
    assert_eq!(profile.page_number, PageNumberStyle::Dash);
    let bytes = docx(&b, profile);
    let (sections, _) = sections(&part(&bytes, "word/document.xml"));
    assert!(sections.iter().all(|s| !s.landscape && s.width < s.height));
    assert!(part(&bytes, "word/footer1.xml").contains("— "));
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="仿宋_GB2312""#), "body font");
    assert!(
        styles.contains(r#"w:firstLineChars="200""#),
        "first-line indent"
    );

    let profile = Profile {
        page_number: PageNumberStyle::None,
        ..Profile::default()
    };
    let bytes = docx(&b, profile);
    let document = part(&bytes, "word/document.xml");
    assert!(!document.contains("footerReference"));
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    assert!(archive.by_name("word/footer1.xml").is_err());
}

#[test]
fn the_same_book_gives_the_same_bytes_and_single_documents_stay_the_same() {
    let b = sample_book();
    let doc = gongkai::read_path(
        &example().join("2025年部门收支总表.txt"),
        &ReadOptions::default(),
    )
    .unwrap();
    let single = |o: &RenderOptions| gongkai::render(&doc, OutputFormat::Docx, o).unwrap().bytes;
    let o = options(Profile::default());
    let before = single(&o);
    let first = docx(&b, Profile::default());
    let between = single(&o);
    let second = docx(&b, Profile::default());
    // assert! rather than assert_eq!: a failure should not print the bytes.
    assert!(first == second, "two renders of the book differ");
    assert!(
        before == between,
        "a book render changed the next single document"
    );
    let core = part(&first, "docProps/core.xml");
    assert!(core.contains(&format!("<dc:title>{}</dc:title>", b.title)));
    assert!(core.contains(&format!("<dc:creator>{}</dc:creator>", b.department)));
    assert!(core.contains("2025-02-01T00:00:00Z"), "{core}");
}

#[test]
fn our_docx_reader_finds_every_table_of_the_book() {
    let b = sample_book();
    let bytes = docx(&b, Profile::default());
    let doc = gongkai::read_bytes(&bytes, "book.docx", &ReadOptions::default()).unwrap();
    let want: Vec<&book::BookTable> = b.tables().collect();
    assert_eq!(doc.tables.len(), want.len());
    for (k, (got, want)) in doc.tables.iter().zip(&want).enumerate() {
        assert_eq!(
            got.title.as_deref(),
            Some(format!("{}. {}", k + 1, want.title).as_str()),
            "the heading is the title"
        );
        assert_eq!(body(got), body(&want.table), "table {}", k + 1);
        for note in &want.table.notes {
            assert!(got.notes.contains(note), "table {}: note {note}", k + 1);
        }
    }
}

/// The definition of style `id` in styles.xml.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let at = styles
        .find(&format!(r#"w:styleId="{id}""#))
        .unwrap_or_else(|| panic!("no style {id}"));
    &styles[at..at + styles[at..].find("</w:style>").unwrap()]
}

/// The number in `key="…"` of the first element `tag` in `xml`.
fn number_of(xml: &str, tag: &str, key: &str) -> f32 {
    let at = xml
        .find(&format!("<{tag} "))
        .unwrap_or_else(|| panic!("no {tag} in {xml}"));
    let rest = &xml[at..];
    let v = &rest[rest.find(&format!("{key}=\"")).unwrap() + key.len() + 2..];
    v[..v.find('"').unwrap()].parse().unwrap()
}

#[test]
fn the_pdf_and_the_docx_book_take_their_type_from_the_profile() {
    let b = sample_book();
    let mut larger = Profile::default();
    larger.book_type.text_min_pt = 13.0;
    larger.book_type.text_line_height = 2.0;
    larger.book_type.chapter_heading_scale = 1.5;
    larger.book_type.paragraph_indent_em = 3.0;
    for (name, profile) in [
        ("default", Profile::default()),
        ("gbt9704", Profile::load("gbt9704").unwrap()),
        ("larger", larger),
    ] {
        let ty = profile.book_type;
        let text_pt = ty.text_pt(profile.fonts.body.size_pt);
        let pdf = gongkai::render_book(&b, OutputFormat::Pdf, &options(profile.clone()))
            .unwrap()
            .bytes;
        let runs = common::pdf::text_runs(&pdf);
        let size_of = |text: &str| {
            runs.iter()
                .filter(|r| r.text.contains(text))
                .map(|r| r.size)
                .fold(0.0f32, f32::max)
        };
        // The PDF: the chapter heading and the running text.
        let heading = size_of("部门主要职能");
        let text = size_of("广州开发区民营经济和企业服务局是");
        assert!((text - text_pt).abs() < 0.01, "{name}: PDF text {text} pt");
        assert!(
            (heading - text_pt * ty.chapter_heading_scale).abs() < 0.01,
            "{name}: PDF heading {heading} pt"
        );
        // The DOCX: the same sizes in its styles, the pitch, the indent.
        let styles = part(&docx(&b, profile), "word/styles.xml");
        let body = style(&styles, "BodyText");
        assert_eq!(number_of(body, "w:sz", "w:val"), text * 2.0, "{name}");
        assert_eq!(
            number_of(body, "w:spacing", "w:line"),
            (text_pt * ty.text_line_height * 20.0).round(),
            "{name}: {body}"
        );
        assert_eq!(
            number_of(body, "w:ind", "w:firstLine"),
            (text_pt * ty.paragraph_indent_em * 20.0).round(),
            "{name}: {body}"
        );
        let h1 = style(&styles, "Heading1");
        assert_eq!(
            number_of(h1, "w:sz", "w:val"),
            (heading * 2.0).round(),
            "{name}: {h1}"
        );
    }
}

/// The 目录 lines of a page LibreOffice set: (title, page number) of
/// each line ending in dot leaders and a number.
fn toc_lines(page: &str) -> Vec<(String, u32)> {
    page.lines()
        .filter_map(|l| {
            let l = l.trim_end();
            let digits = l.len() - l.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (head, number) = l.split_at(l.len() - digits);
            let title = head.trim_end().strip_suffix("...")?;
            Some((
                title.trim_end_matches('.').trim().to_string(),
                number.parse().ok()?,
            ))
        })
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn libreoffice_sets_each_heading_on_the_page_the_toc_caches() {
    let Some(soffice) = common::libreoffice::soffice() else {
        println!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    if !common::libreoffice::has_pdftotext() {
        println!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-book-lo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let b = sample_book();
    let names = ["default", "shanghai"];
    let inputs: Vec<PathBuf> = names
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.docx"));
            std::fs::write(&path, docx(&b, Profile::load(name).unwrap())).unwrap();
            path
        })
        .collect();
    let pdfs = common::libreoffice::to_pdf(soffice, &dir, &inputs);
    for (name, pdf) in names.iter().zip(&pdfs) {
        let pages = common::libreoffice::page_texts(pdf);
        let toc_pages: Vec<usize> = (0..pages.len())
            .filter(|&i| !toc_lines(&pages[i]).is_empty())
            .collect();
        assert_eq!(toc_pages, vec![1], "{name}: the 目录 is page 2");
        let entries = toc_lines(&pages[1]);
        assert_eq!(entries.len(), b.toc().len(), "{name}: {entries:?}");
        // Numbering starts on the page after the 目录.
        let first = 2;
        if *name == "default" {
            for (i, p) in pages.iter().enumerate().skip(first) {
                let mark = format!("第{}页", i - first + 1);
                assert!(
                    squeeze(p).contains(&mark),
                    "{name}: page {}: no {mark}",
                    i + 1
                );
            }
        }
        let mut from = first;
        for (title, cached) in &entries {
            // Shanghai's table pages print the title without its number.
            let unnumbered = title
                .split_once(". ")
                .filter(|(n, _)| n.chars().all(|c| c.is_ascii_digit()))
                .map_or(title.as_str(), |(_, t)| t);
            let at = (from..pages.len())
                .find(|&i| {
                    let p = squeeze(&pages[i]);
                    p.contains(&squeeze(title)) || p.contains(&squeeze(unnumbered))
                })
                .unwrap_or_else(|| panic!("{name}: '{title}' is on no page"));
            assert_eq!(
                (at - first + 1) as u32,
                *cached,
                "{name}: '{title}' is set on page {} but the 目录 says {cached}",
                at - first + 1
            );
            from = at;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
