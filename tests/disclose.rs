//! The public-disclosure policy: personal data never reaches an output, and
//! every masking is reported without the value.

mod common;

use common::*;
use gongkai::{OutputFormat, RenderOptions};

const PII: [&str; 3] = [
    "13800138000",
    "44010619800101001X",
    "lixiaoming@example.gov.cn",
];

/// The text a reader sees in an output: PDFs through their ToUnicode maps
/// (lopdf, and pdftotext where installed), DOCX as the
/// XML of the document part, the rest as UTF-8.
fn visible_text(format: OutputFormat, bytes: &[u8]) -> String {
    match format {
        OutputFormat::Pdf | OutputFormat::PdfA => {
            let mut text = common::pdf::text(bytes);
            if let Some(t) = common::pdf::poppler_text(bytes) {
                text.push_str(&t);
            }
            text
        }
        OutputFormat::Docx => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
                .unwrap();
            xml
        }
        // Every XML part: the pages' TextCodes and the DocInfo.
        OutputFormat::Ofd => common::ofd::parts(bytes)
            .iter()
            .filter(|(name, _)| name.ends_with(".xml"))
            .flat_map(|(_, xml)| common::ofd::elements(xml))
            .map(|e| e.text)
            .collect(),
        OutputFormat::Markdown | OutputFormat::Json => String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

#[test]
fn personal_data_never_reaches_an_output() {
    let doc = read("variants/v08_项目支出绩效目标表_含个人信息.txt");
    let raw = serde_json::to_string(&doc).unwrap();
    for p in PII {
        assert!(raw.contains(p), "the internal model keeps {p}");
    }
    let formats: Vec<OutputFormat> = OutputFormat::ALL
        .into_iter()
        .chain(OutputFormat::ARCHIVAL)
        .collect();
    assert!(formats.len() >= 2);
    let converted = gongkai::convert(doc, &formats, &RenderOptions::default()).unwrap();
    for (format, out) in &converted.outputs {
        let text = visible_text(*format, &out.bytes);
        // Markdown escapes the asterisks; undo that before looking.
        let text = text.replace("\\*", "*");
        for p in PII {
            assert!(!text.contains(p), "{format} output contains {p}");
        }
        assert!(
            text.contains("138****8000"),
            "{format}: masked mobile shown"
        );
        assert!(
            text.contains("l***@example.gov.cn"),
            "{format}: masked e-mail shown"
        );
        assert!(
            text.contains("440106********001X"),
            "{format}: masked ID shown"
        );
    }
    let report: Vec<String> = converted.disclosure.iter().map(|w| w.to_string()).collect();
    assert_eq!(report.len(), 3, "{report:#?}");
    for kind in ["a mobile number", "an e-mail address", "an ID number"] {
        assert!(
            report.iter().any(|r| r.contains(kind)),
            "{kind}: {report:#?}"
        );
    }
    for r in &report {
        assert!(r.contains("row '红山街道社区网格化管理服务'"), "{r}");
        assert!(r.contains("column '绩效目标'"), "{r}");
        for p in PII {
            assert!(!r.contains(p), "the report leaks {p}: {r}");
        }
    }
}

#[test]
fn masking_can_be_switched_off_and_columns_dropped() {
    let doc = read("variants/v08_项目支出绩效目标表_含个人信息.txt");
    let mut profile = gongkai::profile::Profile::default();
    profile.disclosure.mask_personal_data = false;
    profile.disclosure.internal_columns = vec!["绩效指标".into()];
    let options = RenderOptions::default().with_profile(profile);
    let converted = gongkai::convert(doc, &[OutputFormat::Markdown], &options).unwrap();
    let md = String::from_utf8(converted.outputs[0].1.bytes.clone()).unwrap();
    assert!(md.contains("13800138000"));
    assert!(!md.contains("绩效指标"));
    assert_eq!(converted.disclosure.len(), 1);
    assert_eq!(converted.disclosure[0].code, "dropped-column");
}
