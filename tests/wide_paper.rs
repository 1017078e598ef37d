//! A table whose columns do not fit the page even at `[table] min_scale`
//! moves to the profile's larger paper (`[page] wide_table_size = "A3"`)
//! in the PDF and in the DOCX alike, the document's other pages staying
//! on A4; without the setting every page stays A4 and the table's labels
//! wrap (as before).

mod common;

use common::golden::docx_document_xml;
use common::pdf::page_texts;
use gongkai::model::{Document, Warning};
use gongkai::profile::{PaperSize, Profile};
use gongkai::{OutputFormat, ReadOptions, RenderOptions};

/// A4 and A3 landscape in points, rounded.
const A4_LANDSCAPE: (i64, i64) = (842, 595);
const A3_LANDSCAPE: (i64, i64) = (1191, 842);

/// A Markdown document: a two-column table, then a 16-column table of
/// eight-figure amounts that does not fit A4 landscape at 70 % type, then
/// a two-column table again.
fn document() -> Document {
    let mut md = String::from(
        "# 收入总表\n\n| 项目 | 金额 |\n|---|---:|\n| 财政拨款收入 | 1,200.00 |\n| 合计 | 1,200.00 |\n\n",
    );
    md.push_str("# 支出明细表\n\n| 项目 |");
    for c in 1..=15 {
        md.push_str(&format!(" 第{c}季度支出 |"));
    }
    md.push_str("\n|---|");
    md.push_str(&"---:|".repeat(15));
    md.push('\n');
    for r in 1..=4 {
        md.push_str(&format!("| 项目{r} |"));
        for c in 1..=15 {
            md.push_str(&format!(
                " {},{:03},{:03}.{:02} |",
                10 + r,
                c * 37,
                r * 101,
                c
            ));
        }
        md.push('\n');
    }
    md.push_str(
        "\n# 支出总表\n\n| 项目 | 金额 |\n|---|---:|\n| 基本支出 | 800.00 |\n| 合计 | 800.00 |\n",
    );
    let doc = gongkai::read_bytes(md.as_bytes(), "wide.md", &ReadOptions::default()).unwrap();
    assert_eq!(
        doc.tables.len(),
        3,
        "{:?}",
        doc.tables.iter().map(|t| &t.title).collect::<Vec<_>>()
    );
    doc
}

fn render(profile: Profile, format: OutputFormat) -> (Vec<u8>, Vec<String>) {
    let options = RenderOptions {
        profile,
        ..RenderOptions::default()
    };
    let converted = gongkai::convert(document(), &[format], &options).unwrap();
    let (_, rendered) = converted.outputs.into_iter().next().unwrap();
    (rendered.bytes, lines(&rendered.warnings))
}

/// Warnings as "code at place: message" lines.
fn lines(warnings: &[Warning]) -> Vec<String> {
    warnings
        .iter()
        .map(|w| {
            format!(
                "{} at {}: {}",
                w.code,
                w.at.as_deref().unwrap_or("-"),
                w.message
            )
        })
        .collect()
}

fn a3_allowed() -> Profile {
    let mut p = Profile::default();
    p.page.wide_table_size = Some(PaperSize::A3);
    p
}

/// Each page's MediaBox width and height, rounded to points.
fn page_sizes(pdf: &[u8]) -> Vec<(i64, i64)> {
    let d = common::pdf::load(pdf);
    let num = |o: &lopdf::Object| match o {
        lopdf::Object::Integer(i) => *i as f32,
        lopdf::Object::Real(r) => *r,
        other => panic!("{other:?}"),
    };
    d.get_pages()
        .values()
        .map(|id| {
            let page = d.get_dictionary(*id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            (
                (num(&mb[2]) - num(&mb[0])).round() as i64,
                (num(&mb[3]) - num(&mb[1])).round() as i64,
            )
        })
        .collect()
}

#[test]
fn a_table_too_wide_for_a4_goes_on_a3_pages_of_its_own_in_the_pdf() {
    let (pdf, warnings) = render(a3_allowed(), OutputFormat::Pdf);
    let sizes = page_sizes(&pdf);
    assert_eq!(sizes.first(), Some(&A4_LANDSCAPE), "{sizes:?}");
    assert_eq!(sizes.last(), Some(&A4_LANDSCAPE), "{sizes:?}");
    let wide: Vec<usize> = (0..sizes.len())
        .filter(|&i| sizes[i] == A3_LANDSCAPE)
        .collect();
    assert!(!wide.is_empty(), "no A3 page: {sizes:?}");
    assert!(
        sizes
            .iter()
            .all(|s| *s == A4_LANDSCAPE || *s == A3_LANDSCAPE),
        "{sizes:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("table-on-larger-paper")
                && w.contains("table 2")
                && w.contains("A3")),
        "{warnings:?}"
    );
    // On A3 nothing has to be broken between characters.
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("broken between characters")),
        "{warnings:?}"
    );
    // The wide table's amounts are on the A3 pages, the small tables' on A4.
    let texts = page_texts(&pdf);
    for &i in &wide {
        assert!(!texts[i].contains("1,200.00"), "page {i}: {}", texts[i]);
    }
    let on_a3: String = wide.iter().map(|&i| texts[i].as_str()).collect();
    assert!(on_a3.contains("11,037,101.01"), "{on_a3}");
    assert!(texts[0].contains("1,200.00"), "{}", texts[0]);
}

#[test]
fn without_the_setting_every_pdf_page_stays_a4() {
    let (pdf, warnings) = render(Profile::default(), OutputFormat::Pdf);
    let sizes = page_sizes(&pdf);
    assert!(sizes.iter().all(|s| *s == A4_LANDSCAPE), "{sizes:?}");
    assert!(
        !warnings
            .iter()
            .any(|w| w.starts_with("table-on-larger-paper")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.starts_with("table-too-wide")),
        "{warnings:?}"
    );
}

/// `w:pgSz` of each section in document order: (width, height) in twips.
fn docx_sections(docx: &[u8]) -> Vec<(u32, u32)> {
    let xml = docx_document_xml(docx);
    let attr = |tag: &str, name: &str| -> u32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    xml.match_indices("<w:pgSz ")
        .map(|(i, _)| {
            let tag = &xml[i..i + xml[i..].find("/>").unwrap()];
            (attr(tag, "w:w"), attr(tag, "w:h"))
        })
        .collect()
}

#[test]
fn the_docx_puts_the_same_table_in_an_a3_section_and_reads_back_whole() {
    let (docx, warnings) = render(a3_allowed(), OutputFormat::Docx);
    let sections = docx_sections(&docx);
    // A4 landscape 16838 × 11906 twips, A3 landscape 23811 × 16838: the
    // first table's section, the wide table's, the last table's (the
    // body's own sectPr).
    assert_eq!(
        sections,
        vec![(16838, 11906), (23811, 16838), (16838, 11906)],
        "{sections:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("table-on-larger-paper") && w.contains("table 2")),
        "{warnings:?}"
    );
    // Every section carries the footer (page numbers) of the document.
    let xml = docx_document_xml(&docx);
    assert_eq!(xml.matches("<w:footerReference").count(), 3, "{xml}");
    // Read back: the same three tables with the same cells.
    let back = gongkai::read_bytes(&docx, "wide.docx", &ReadOptions::default()).unwrap();
    let original = document();
    assert_eq!(back.tables.len(), 3);
    for (a, b) in original.tables.iter().zip(&back.tables) {
        assert_eq!(a.title, b.title);
        assert_eq!(a.rows.len(), b.rows.len());
        for (ra, rb) in a.rows.iter().zip(&b.rows) {
            let va: Vec<_> = ra.cells.iter().map(|c| &c.value).collect();
            let vb: Vec<_> = rb.cells.iter().map(|c| &c.value).collect();
            assert_eq!(va, vb);
        }
    }
}

#[test]
fn a_profile_names_the_larger_paper() {
    let p = Profile::parse("[page]\nwide_table_size = \"A3\"\n", "p.toml", None).unwrap();
    assert_eq!(p.page.wide_table_size, Some(PaperSize::A3));
    assert_eq!(Profile::default().page.wide_table_size, None);
    let e = Profile::parse("[page]\nwide_table_size = \"A2\"\n", "p.toml", None).unwrap_err();
    assert!(e.to_string().contains("wide_table_size"), "{e}");
}

/// The sample department book with the wide table added as the second
/// table of its first table group.
fn wide_book() -> gongkai::book::Book {
    use gongkai::book::{self, BookOptions, BookTable, Part};
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局");
    let mut b = book::build(&folder, &BookOptions::default()).unwrap();
    let wide = document().tables.swap_remove(1);
    let group = b
        .parts
        .iter_mut()
        .find_map(|p| match p {
            Part::Tables { tables, .. } if tables.len() >= 2 => Some(tables),
            _ => None,
        })
        .unwrap();
    group.insert(
        1,
        BookTable {
            title: "支出明细表".into(),
            table: wide,
            source: "wide.md".into(),
        },
    );
    b
}

fn render_book(profile: Profile, format: OutputFormat) -> (Vec<u8>, Vec<String>) {
    let options = RenderOptions {
        profile,
        ..RenderOptions::default()
    };
    let r = gongkai::render_book(&wide_book(), format, &options).unwrap();
    (r.bytes, lines(&r.warnings))
}

#[test]
fn in_a_book_the_wide_table_alone_goes_on_a3_in_the_pdf_and_the_docx() {
    let (pdf, warnings) = render_book(a3_allowed(), OutputFormat::Pdf);
    let sizes = page_sizes(&pdf);
    let a3: Vec<usize> = (0..sizes.len())
        .filter(|&i| sizes[i] == A3_LANDSCAPE)
        .collect();
    // One A3 page between A4 ones; the cover, 目录 and chapters are A4.
    assert_eq!(a3.len(), 1, "{sizes:?}");
    assert!(a3[0] > 2 && a3[0] + 1 < sizes.len(), "{sizes:?}");
    assert!(
        sizes[a3[0] - 1] != A3_LANDSCAPE && sizes[a3[0] + 1] == A4_LANDSCAPE,
        "{sizes:?}"
    );
    let texts = page_texts(&pdf);
    assert!(texts[a3[0]].contains("11,037,101.01"), "{}", texts[a3[0]]);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("table-on-larger-paper") && w.contains("'支出明细表' (wide.md)")),
        "{warnings:?}"
    );

    let (docx, warnings) = render_book(a3_allowed(), OutputFormat::Docx);
    let sections = docx_sections(&docx);
    let wide: Vec<&(u32, u32)> = sections.iter().filter(|s| **s == (23811, 16838)).collect();
    assert_eq!(wide.len(), 1, "{sections:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("table-on-larger-paper")),
        "{warnings:?}"
    );
    // The book reads back with the wide table's amounts in place.
    let back = gongkai::read_bytes(&docx, "book.docx", &ReadOptions::default()).unwrap();
    let found = back.tables.iter().any(|t| {
        t.rows.iter().any(|r| {
            r.cells
                .iter()
                .any(|c| matches!(&c.value, gongkai::model::Value::Amount(d) if d.to_string() == "11037101.01"))
        })
    });
    assert!(
        found,
        "the wide table's first amount is not in the DOCX book"
    );

    // Without the setting the book keeps one paper.
    let (pdf, _) = render_book(Profile::default(), OutputFormat::Pdf);
    assert!(
        !page_sizes(&pdf).contains(&A3_LANDSCAPE),
        "{:?}",
        page_sizes(&pdf)
    );
    let (docx, _) = render_book(Profile::default(), OutputFormat::Docx);
    assert!(!docx_sections(&docx).contains(&(23811, 16838)));
}
