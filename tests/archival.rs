//! The archival outputs read back from their bytes: PDF/A-2u (lopdf: the
//! XMP packet, the sRGB output intent, fonts embedded with ToUnicode and
//! CIDSet, /Lang, /ID, no encryption or transparency) and OFD (the zip's
//! XML parts parsed with quick-xml: DocInfo, pages as many and as large as
//! the PDF's, every cell's text in the TextCodes, fonts that exist, DeltaX
//! for every advance, the book's outline). Both are byte-identical across
//! runs, and convert, batch and book write them.

mod common;

use common::ofd::{Elem, delta_x, elements, parts};
use gongkai::model::{Document, Value};
use gongkai::{OutputFormat, RenderOptions, format_amount, format_percent, render};
use lopdf::Object;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2025-03-01 08:00 UTC.
const CREATED: i64 = 1_740_816_000;

fn options() -> RenderOptions {
    RenderOptions::default().with_created(CREATED)
}

fn seed() -> Document {
    common::read("seed/budget.txt")
}

fn out(doc: &Document, format: OutputFormat) -> Vec<u8> {
    render(doc, format, &options()).unwrap().bytes
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/departments/广州开发区民营经济和企业服务局")
}

fn book_out(format: OutputFormat) -> Vec<u8> {
    let b = gongkai::book::build(&example(), &Default::default()).unwrap();
    gongkai::render_book(&b, format, &options()).unwrap().bytes
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-archival-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------- PDF/A

fn deref<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

fn dict<'a>(doc: &'a lopdf::Document, o: &'a Object) -> &'a lopdf::Dictionary {
    match deref(doc, o) {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        other => panic!("not a dictionary: {other:?}"),
    }
}

fn name_of(d: &lopdf::Dictionary, key: &[u8]) -> String {
    d.get(key)
        .ok()
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_default()
}

/// The structures ISO 19005-2 level U asks of our files, checked on the
/// lopdf form; returns the XMP packet.
fn assert_pdfa(bytes: &[u8], ctx: &str) -> String {
    assert!(bytes.starts_with(b"%PDF-1.7\n%"), "{ctx}: header");
    assert!(
        bytes[10..14].iter().all(|b| *b > 127),
        "{ctx}: binary comment"
    );
    let doc = common::pdf::load(bytes);
    assert!(doc.trailer.get(b"Encrypt").is_err(), "{ctx}: encrypted");
    let id = doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    assert_eq!(id.len(), 2, "{ctx}: /ID");
    let cat = doc.catalog().unwrap();
    assert_eq!(
        cat.get(b"Lang").unwrap().as_str().unwrap(),
        b"zh-CN",
        "{ctx}: /Lang"
    );

    // XMP: unfiltered, the PDF/A identification, /Info mirrored.
    let Object::Stream(meta) = deref(&doc, cat.get(b"Metadata").unwrap()) else {
        panic!("{ctx}: /Metadata is not a stream");
    };
    assert!(meta.dict.get(b"Filter").is_err(), "{ctx}: XMP is filtered");
    assert_eq!(name_of(&meta.dict, b"Subtype"), "XML");
    let xmp = String::from_utf8(meta.content.clone()).unwrap();
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{ctx}");
    assert!(
        xmp.contains("<pdfaid:conformance>U</pdfaid:conformance>"),
        "{ctx}"
    );
    let info = common::pdf::info(bytes);
    assert!(
        xmp.contains(&format!("x-default\">{}</rdf:li>", info.title)),
        "{ctx}: dc:title"
    );
    assert!(
        xmp.contains(&format!(
            "<rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq>",
            info.author
        )),
        "{ctx}: dc:creator = /Author"
    );
    assert_eq!(info.creation_date, "D:20250301080000+00'00'", "{ctx}");
    assert!(
        xmp.contains("<xmp:CreateDate>2025-03-01T08:00:00+00:00</xmp:CreateDate>"),
        "{ctx}"
    );
    assert!(
        xmp.contains("<xmp:ModifyDate>2025-03-01T08:00:00+00:00</xmp:ModifyDate>"),
        "{ctx}"
    );
    let info_dict = dict(&doc, doc.trailer.get(b"Info").unwrap());
    let keys: BTreeSet<String> = info_dict
        .iter()
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect();
    let mirrored: BTreeSet<String> = [
        "Title",
        "Author",
        "Subject",
        "Creator",
        "Producer",
        "CreationDate",
        "ModDate",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert!(keys.is_subset(&mirrored), "{ctx}: /Info keys {keys:?}");

    // One sRGB output intent with its ICC profile.
    let intents = deref(&doc, cat.get(b"OutputIntents").unwrap())
        .as_array()
        .unwrap();
    assert_eq!(intents.len(), 1, "{ctx}");
    let intent = dict(&doc, &intents[0]);
    assert_eq!(name_of(intent, b"S"), "GTS_PDFA1");
    assert!(intent.get(b"OutputConditionIdentifier").is_ok());
    let Object::Stream(icc) = deref(&doc, intent.get(b"DestOutputProfile").unwrap()) else {
        panic!("{ctx}: no ICC stream");
    };
    assert_eq!(icc.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
    let profile = icc
        .decompressed_content()
        .unwrap_or_else(|_| icc.content.clone());
    assert_eq!(&profile[36..40], b"acsp", "{ctx}: an ICC profile");
    assert_eq!(&profile[16..20], b"RGB ", "{ctx}: an RGB profile");

    // Fonts: embedded, ToUnicode, Identity CIDToGIDMap, widths, a CIDSet
    // naming exactly the glyphs of the embedded program.
    let fonts = common::pdf::fonts(bytes);
    assert!(!fonts.is_empty(), "{ctx}");
    for f in &fonts {
        assert!(f.embedded && f.to_unicode && f.is_subset(), "{ctx}: {f:?}");
    }
    let mut descendants = 0;
    // Descendant fonts are written inline in their Type0 font.
    let cid_fonts: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| name_of(d, b"Subtype") == "Type0")
        .flat_map(|d| {
            deref(&doc, d.get(b"DescendantFonts").unwrap())
                .as_array()
                .unwrap()
                .iter()
                .map(|f| dict(&doc, f))
        })
        .collect();
    for d in cid_fonts {
        assert_eq!(name_of(d, b"Subtype"), "CIDFontType2", "{ctx}");
        descendants += 1;
        assert_eq!(name_of(d, b"CIDToGIDMap"), "Identity", "{ctx}");
        assert!(d.get(b"W").is_ok(), "{ctx}: /W");
        let fd = dict(&doc, d.get(b"FontDescriptor").unwrap());
        let Object::Stream(program) = deref(&doc, fd.get(b"FontFile2").unwrap()) else {
            panic!("{ctx}: FontFile2 is not a stream");
        };
        let program = program
            .decompressed_content()
            .unwrap_or_else(|_| program.content.clone());
        let glyphs = gongkai_glyph_count(&program);
        let Object::Stream(set) = deref(&doc, fd.get(b"CIDSet").unwrap()) else {
            panic!("{ctx}: CIDSet is not a stream");
        };
        let set = set
            .decompressed_content()
            .unwrap_or_else(|_| set.content.clone());
        let named: u32 = set.iter().map(|b| b.count_ones()).sum();
        assert_eq!(named as usize, glyphs, "{ctx}: CIDSet names every glyph");
        assert_eq!(set.len(), glyphs.div_ceil(8), "{ctx}: and no more");
    }
    assert_eq!(descendants, fonts.len(), "{ctx}");

    // Nothing PDF/A forbids: no transparency, no JavaScript, no
    // annotation that does not print.
    for o in doc.objects.values() {
        let d = match o {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for key in [&b"SMask"[..], b"JS", b"JavaScript", b"Encrypt"] {
            assert!(
                d.get(key).is_err(),
                "{ctx}: /{}",
                String::from_utf8_lossy(key)
            );
        }
        if let Ok(g) = d.get(b"Group") {
            assert_ne!(name_of(dict(&doc, g), b"S"), "Transparency", "{ctx}");
        }
        for key in [&b"CA"[..], b"ca"] {
            if let Ok(v) = d.get(key) {
                assert_eq!(v.as_float().unwrap_or(1.0), 1.0, "{ctx}: alpha");
            }
        }
        if name_of(d, b"Type") == "Annot" {
            assert_eq!(d.get(b"F").unwrap().as_i64().unwrap() & 0b110, 4, "{ctx}");
        }
    }
    xmp
}

/// Glyphs of a TrueType program (its maxp), read here independently.
fn gongkai_glyph_count(font: &[u8]) -> usize {
    let be16 = |at: usize| usize::from(u16::from_be_bytes([font[at], font[at + 1]]));
    let tables = be16(4);
    for i in 0..tables {
        let rec = 12 + 16 * i;
        if &font[rec..rec + 4] == b"maxp" {
            let off =
                u32::from_be_bytes([font[rec + 8], font[rec + 9], font[rec + 10], font[rec + 11]]);
            return be16(off as usize + 4);
        }
    }
    panic!("no maxp");
}

#[test]
fn seed_pdfa_has_what_pdfa_2u_requires_and_the_pdfs_pages() {
    let doc = seed();
    let pdfa = out(&doc, OutputFormat::PdfA);
    let xmp = assert_pdfa(&pdfa, "seed");
    assert!(
        xmp.contains(doc.department().unwrap()),
        "dc:creator is the department"
    );
    let pdf = out(&doc, OutputFormat::Pdf);
    assert_eq!(
        common::pdf::page_texts(&pdfa),
        common::pdf::page_texts(&pdf),
        "the PDF/A has the PDF's pages"
    );
    assert_eq!(
        common::pdf::page_sizes(&pdfa),
        common::pdf::page_sizes(&pdf)
    );
    assert_ne!(pdfa, pdf);
    assert_eq!(pdfa, out(&doc, OutputFormat::PdfA), "same bytes twice");
}

#[test]
fn book_pdfa_keeps_outline_and_links_and_requirements() {
    let pdfa = book_out(OutputFormat::PdfA);
    let xmp = assert_pdfa(&pdfa, "book");
    assert!(xmp.contains("广州开发区民营经济和企业服务局"));
    let pdf = book_out(OutputFormat::Pdf);
    assert_eq!(common::pdf::outline(&pdfa), common::pdf::outline(&pdf));
    assert_eq!(
        common::pdf::page_texts(&pdfa),
        common::pdf::page_texts(&pdf)
    );
    // Every 目录 link prints (PDF/A), wherever printpdf put it.
    let doc = common::pdf::load(&pdfa);
    let mut annots = 0;
    for page in doc.get_pages().values() {
        let page = doc.get_dictionary(*page).unwrap();
        let Ok(list) = page.get(b"Annots") else {
            continue;
        };
        for a in deref(&doc, list).as_array().unwrap() {
            let a = dict(&doc, a);
            assert_eq!(name_of(a, b"Subtype"), "Link");
            assert_eq!(a.get(b"F").unwrap().as_i64().unwrap(), 4);
            annots += 1;
        }
    }
    assert!(annots > 0, "the 目录's links are there");
}

// ------------------------------------------------------------------ OFD

/// An OFD read back: its parts and the elements of each XML part.
struct Ofd {
    parts: BTreeMap<String, Vec<u8>>,
}

impl Ofd {
    fn new(bytes: &[u8]) -> Ofd {
        Ofd {
            parts: parts(bytes),
        }
    }

    fn xml(&self, name: &str) -> Vec<Elem> {
        let part = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"));
        elements(part)
    }

    fn first(&self, part: &str, name: &str) -> Elem {
        self.xml(part)
            .into_iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no {name} in {part}"))
    }

    /// Each page's Content.xml elements, in page order.
    fn pages(&self) -> Vec<(Elem, Vec<Elem>)> {
        self.xml("Doc_0/Document.xml")
            .into_iter()
            .filter(|e| e.name == "ofd:Page")
            .map(|p| {
                let content = self.xml(&format!("Doc_0/{}", p.attr("BaseLoc")));
                (p, content)
            })
            .collect()
    }
}

fn parse_box(s: &str) -> Vec<f64> {
    s.split_whitespace().map(|v| v.parse().unwrap()).collect()
}

/// The structure every OFD of ours has; returns each page's TextCode
/// texts in drawing order.
fn assert_ofd(bytes: &[u8], pdf: &[u8], ctx: &str) -> Vec<String> {
    let ofd = Ofd::new(bytes);
    assert_eq!(
        ofd.first("OFD.xml", "ofd:DocRoot").text,
        "Doc_0/Document.xml",
        "{ctx}"
    );
    let info = common::pdf::info(pdf);
    assert_eq!(ofd.first("OFD.xml", "ofd:Title").text, info.title, "{ctx}");
    assert_eq!(
        ofd.first("OFD.xml", "ofd:Author").text,
        info.author,
        "{ctx}"
    );
    assert_eq!(ofd.first("OFD.xml", "ofd:CreationDate").text, "2025-03-01");
    assert_eq!(ofd.first("OFD.xml", "ofd:DocID").text.len(), 32);

    // Fonts: each a TrueType program in the package.
    let fonts: BTreeMap<String, String> = ofd
        .xml("Doc_0/PublicRes.xml")
        .into_iter()
        .filter(|e| e.name == "ofd:Font")
        .map(|f| (f.attr("ID").to_string(), f.attr("FontName").to_string()))
        .collect();
    assert!(!fonts.is_empty(), "{ctx}");
    let res = ofd.xml("Doc_0/PublicRes.xml");
    let base = res[0].attr("BaseLoc");
    for file in res.iter().filter(|e| e.name == "ofd:FontFile") {
        let path = format!("Doc_0/{base}/{}", file.text);
        let program = ofd
            .parts
            .get(&path)
            .unwrap_or_else(|| panic!("{ctx}: no {path}"));
        assert!(gongkai_glyph_count(program) > 1, "{ctx}: {path}");
        assert!(
            program.windows(4).any(|w| w == b"cmap"),
            "{ctx}: {path} has a cmap"
        );
    }

    // Pages: as many and as large as the PDF's.
    let default_box = parse_box(&ofd.first("Doc_0/Document.xml", "ofd:PhysicalBox").text);
    let pages = ofd.pages();
    let sizes = common::pdf::page_sizes(pdf);
    assert_eq!(pages.len(), sizes.len(), "{ctx}: page count");
    let mut ids: BTreeSet<u64> = BTreeSet::new();
    let mut texts = Vec::new();
    for (i, ((page, content), (w, h))) in pages.iter().zip(&sizes).enumerate() {
        let bx = content
            .iter()
            .find(|e| e.name == "ofd:PhysicalBox")
            .map(|b| parse_box(&b.text))
            .unwrap_or_else(|| default_box.clone());
        let mm = |pt: f32| f64::from(pt) * 25.4 / 72.0;
        assert!(
            (bx[2] - mm(*w)).abs() < 0.01 && (bx[3] - mm(*h)).abs() < 0.01,
            "{ctx}: page {} is {bx:?}, the PDF's {w}×{h} pt",
            i + 1
        );
        assert!(
            ids.insert(page.attr("ID").parse().unwrap()),
            "{ctx}: page ID twice"
        );
        let mut page_text = String::new();
        let mut font = String::new();
        for e in content {
            if let Ok(id) = e.attr("ID").parse::<u64>() {
                assert!(ids.insert(id), "{ctx}: ID {id} twice");
            }
            match e.name.as_str() {
                "ofd:TextObject" => {
                    font = e.attr("Font").to_string();
                    assert!(
                        fonts.contains_key(&font),
                        "{ctx}: font {font} is not in PublicRes"
                    );
                    assert_eq!(parse_box(e.attr("Boundary")).len(), 4, "{ctx}");
                }
                "ofd:TextCode" => {
                    let n = e.text.chars().count();
                    assert!(n > 0, "{ctx}: empty TextCode");
                    let dx = delta_x(e.attr("DeltaX"));
                    assert_eq!(
                        dx.len(),
                        n - 1,
                        "{ctx}: DeltaX of {:?} in font {font}",
                        e.text
                    );
                    assert!(dx.iter().all(|d| *d > 0.0), "{ctx}: {:?}", e.text);
                    page_text.push_str(&e.text);
                }
                "ofd:PathObject" => {
                    assert_eq!(parse_box(e.attr("Boundary")).len(), 4, "{ctx}");
                }
                "ofd:AbbreviatedData" => {
                    assert!(e.text.starts_with("M ") && e.text.ends_with(" C"), "{ctx}");
                }
                _ => {}
            }
        }
        texts.push(page_text);
    }
    for part in ofd.parts.keys() {
        assert!(
            !part.starts_with('/') && !part.contains(".."),
            "{ctx}: {part}"
        );
    }
    let max: u64 = ofd
        .first("Doc_0/Document.xml", "ofd:MaxUnitID")
        .text
        .parse()
        .unwrap();
    let font_ids: BTreeSet<u64> = fonts.keys().map(|k| k.parse().unwrap()).collect();
    assert!(ids.is_disjoint(&font_ids), "{ctx}");
    assert_eq!(
        ids.iter().chain(&font_ids).max(),
        Some(&max),
        "{ctx}: MaxUnitID"
    );
    texts
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that each cell's text is in the TextCodes: whole, or (a row
/// split at a page's end) its head on one page and its tail on the next.
fn assert_cells_present(cells: &[String], pages: &[String], ctx: &str) {
    let pages: Vec<String> = pages.iter().map(|p| compact(p)).collect();
    let all = pages.concat();
    for cell in cells {
        let c = compact(cell);
        if c.is_empty() || all.contains(&c) {
            continue;
        }
        let chars: Vec<char> = c.chars().collect();
        let split = pages.windows(2).any(|w| {
            (1..chars.len()).any(|k| {
                let head: String = chars[..k].iter().collect();
                let tail: String = chars[k..].iter().collect();
                w[0].contains(&head) && w[1].contains(&tail)
            })
        });
        assert!(split, "{ctx}: cell text {cell:?} is not in the OFD");
    }
}

fn cell_texts(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for t in &doc.tables {
        out.extend(t.title.clone());
        for r in &t.rows {
            for c in &r.cells {
                match &c.value {
                    Value::Empty => {}
                    Value::Text(s) => out.push(s.clone()),
                    Value::Amount(d) => out.push(format_amount(*d)),
                    Value::Percent(d) => out.push(format_percent(*d)),
                }
            }
        }
        for col in &t.columns {
            out.extend(col.path.iter().cloned());
        }
    }
    out
}

#[test]
fn seed_ofd_has_every_cell_the_pdfs_pages_and_its_fonts() {
    let doc = seed();
    let ofd = out(&doc, OutputFormat::Ofd);
    let pdf = out(&doc, OutputFormat::Pdf);
    assert!(ofd.len() <= 150 * 1024, "seed OFD is {} bytes", ofd.len());
    let pages = assert_ofd(&ofd, &pdf, "seed");
    assert_cells_present(&cell_texts(&doc), &pages, "seed");
    // DocInfo's custom data: department and the source's SHA-256.
    let o = Ofd::new(&ofd);
    let custom: BTreeMap<String, String> = o
        .xml("OFD.xml")
        .into_iter()
        .filter(|e| e.name == "ofd:CustomData")
        .map(|e| (e.attr("Name").to_string(), e.text))
        .collect();
    assert_eq!(custom["department"], doc.department().unwrap());
    assert_eq!(custom["source_sha256"], doc.source.sha256);
    // No outline for a single document.
    assert!(
        !o.xml("Doc_0/Document.xml")
            .iter()
            .any(|e| e.name == "ofd:Outlines")
    );
    assert_eq!(ofd, out(&doc, OutputFormat::Ofd), "same bytes twice");
}

#[test]
fn ofd_text_sits_where_the_pdf_draws_it() {
    // The first TextCode of the seed is the title: its X (page-relative)
    // is where the PDF's title run starts, within rounding.
    let doc = seed();
    let o = Ofd::new(&out(&doc, OutputFormat::Ofd));
    let pages = o.pages();
    let content = &pages[0].1;
    let obj = content.iter().find(|e| e.name == "ofd:TextObject").unwrap();
    let code = content.iter().find(|e| e.name == "ofd:TextCode").unwrap();
    assert_eq!(code.text, doc.tables[0].title.clone().unwrap());
    let b = parse_box(obj.attr("Boundary"));
    let x: f64 = code.attr("X").parse().unwrap();
    let dx = delta_x(code.attr("DeltaX"));
    let width: f64 = dx.iter().sum::<f64>() + dx.last().copied().unwrap_or(0.0);
    // Centred on the landscape A4 page (297 mm) like the PDF's title.
    let centre = b[0] + x + width / 2.0;
    assert!((centre - 148.5).abs() < 1.5, "title centre at {centre} mm");
}

#[test]
fn book_ofd_has_the_outline_pages_and_cells_of_the_pdf() {
    let ofd = book_out(OutputFormat::Ofd);
    let pdf = book_out(OutputFormat::Pdf);
    let pages = assert_ofd(&ofd, &pdf, "book");
    let b = gongkai::book::build(&example(), &Default::default()).unwrap();
    let mut cells = Vec::new();
    for t in b.tables() {
        let doc = Document {
            tables: vec![t.table.clone()],
            ..seed()
        };
        cells.extend(cell_texts(&doc).into_iter().skip(1));
    }
    assert!(cells.len() > 300, "{}", cells.len());
    assert_cells_present(&cells, &pages, "book");

    // The outline: the PDF's titles, depths and target pages.
    let o = Ofd::new(&ofd);
    let doc_xml = o.xml("Doc_0/Document.xml");
    let page_ids: Vec<String> = doc_xml
        .iter()
        .filter(|e| e.name == "ofd:Page")
        .map(|e| e.attr("ID").to_string())
        .collect();
    let titles: Vec<(String, Option<usize>)> = doc_xml
        .iter()
        .filter(|e| e.name == "ofd:OutlineElem" || e.name == "ofd:Dest")
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|pair| {
            let page = page_ids.iter().position(|id| id == pair[1].attr("PageID"));
            (pair[0].attr("Title").to_string(), page.map(|p| p + 1))
        })
        .collect();
    let pdf_outline: Vec<(String, Option<usize>)> = common::pdf::outline(&pdf)
        .into_iter()
        .map(|(_, t, p)| (t, p))
        .collect();
    assert_eq!(titles, pdf_outline);
    assert_eq!(ofd, book_out(OutputFormat::Ofd), "same bytes twice");
}

// ----------------------------------------------------- commands, manifest

#[test]
fn convert_and_batch_write_the_archival_formats_and_the_manifest_names_them() {
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let seed = common::corpus("seed/budget.txt");
    let a = tmp_dir("convert-a");
    let b = tmp_dir("convert-b");
    for dir in [&a, &b] {
        let status = Command::new(bin)
            .arg("convert")
            .arg(&seed)
            .args(["--to", "pdfa,ofd", "-q", "--out"])
            .arg(dir)
            .env("SOURCE_DATE_EPOCH", CREATED.to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
    for name in ["budget.pdfa.pdf", "budget.ofd"] {
        let first = std::fs::read(a.join(name)).unwrap();
        assert_eq!(first, std::fs::read(b.join(name)).unwrap(), "{name}");
    }
    assert!(!a.join("budget.pdf").exists(), "only what was asked for");

    let root = tmp_dir("batch-in");
    std::fs::copy(&seed, root.join("budget.txt")).unwrap();
    let out = tmp_dir("batch-out");
    let status = Command::new(bin)
        .arg("batch")
        .arg(&root)
        .args(["--to", "pdf,pdfa,ofd", "-q", "--jobs", "1", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let outputs = manifest["files"][0]["outputs"].as_array().unwrap();
    let recorded: Vec<(&str, &str)> = outputs
        .iter()
        .map(|o| (o["format"].as_str().unwrap(), o["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        recorded,
        [
            ("pdf", "budget.pdf"),
            ("pdfa", "budget.pdfa.pdf"),
            ("ofd", "budget.ofd")
        ]
    );
    for (_, path) in recorded {
        assert!(out.join(path).exists(), "{path}");
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn book_command_writes_pdfa_and_ofd() {
    let bin = env!("CARGO_BIN_EXE_gongkai");
    let dir = tmp_dir("book");
    let status = Command::new(bin)
        .arg("book")
        .arg(example())
        .args(["--to", "pdfa,ofd", "--out"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            "广州开发区民营经济和企业服务局2025年部门预算.ofd".to_string(),
            "广州开发区民营经济和企业服务局2025年部门预算.pdfa.pdf".to_string(),
        ])
    );
    let _ = std::fs::remove_dir_all(&dir);
}
