//! Template profiles: both bundled profiles render the seed to PDF and
//! DOCX with their own page setup and page numbers; bad profiles are named
//! errors.

mod common;

use common::*;
use gongkai::profile::Profile;
use gongkai::{OutputFormat, RenderOptions, render};

fn docx_part(docx: &[u8], prefix: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().unwrap().starts_with(prefix) {
            std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        }
    }
    text
}

#[test]
fn both_bundled_profiles_render_the_seed_to_pdf_and_docx() {
    let doc = read("seed/budget.txt");
    for (name, page_mark, margin_twips) in [
        ("default", "第1页共", "w:left=\"850\""),
        ("gbt9704", "—1—", "w:left=\"1587\""),
    ] {
        let profile = Profile::load(name).unwrap();
        let options = RenderOptions::default().with_profile(profile);
        let pdf = render(&doc, OutputFormat::Pdf, &options).unwrap();
        assert!(pdf.warnings.is_empty(), "{name}: {:?}", pdf.warnings);
        let text = common::pdf::compact(&common::pdf::text(&pdf.bytes));
        assert!(
            text.contains(page_mark),
            "{name}: no '{page_mark}' in the PDF"
        );
        assert!(text.contains("3,593.00"), "{name}");
        let docx = render(&doc, OutputFormat::Docx, &options).unwrap();
        let document = docx_part(&docx.bytes, "word/document.xml");
        assert!(document.contains("w:orient=\"landscape\""), "{name}");
        assert!(document.contains(margin_twips), "{name}: margins");
        let footer = docx_part(&docx.bytes, "word/footer");
        let styles = docx_part(&docx.bytes, "word/styles.xml");
        if name == "gbt9704" {
            assert!(footer.contains("—"), "{name}: dash page numbers");
            let fonts = format!("{document}{styles}");
            assert!(fonts.contains("仿宋_GB2312"), "{name}: body family");
            assert!(fonts.contains("方正小标宋简体"), "{name}: title family");
        } else {
            assert!(footer.contains("第"), "{name}: 第 X 页");
        }
    }
}

#[test]
fn bad_profiles_are_errors_naming_the_key_or_file() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-profiles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let unknown = dir.join("unknown.toml");
    std::fs::write(&unknown, "[page]\nsize = \"A4\"\nmargin_lft_mm = 10\n").unwrap();
    let missing = dir.join("missing.toml");
    std::fs::write(&missing, "[fonts.title]\nfile = \"方正小标宋.ttf\"\n").unwrap();
    for (profile, needle) in [(&unknown, "margin_lft_mm"), (&missing, "fonts.title.file")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("convert")
            .arg(corpus("seed/budget.txt"))
            .arg("--out")
            .arg(dir.join("out"))
            .arg("--template")
            .arg(profile)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{err}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .arg(corpus("seed/budget.txt"))
        .arg("--out")
        .arg(dir.join("out"))
        .args(["--template", "nonesuch"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bundled: default, gbt9704"), "{err}");
}
