//! LibreOffice as a second reader of our DOCX: converts files to PDF with
//! the bundled faces standing in for 宋体 and 黑体 (as Noto CJK does on
//! most Linux desktops), and reads the pages back with pdftotext.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The LibreOffice command, if one is installed.
pub fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|s| {
        Command::new(s)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Whether pdftotext (poppler-utils) is installed.
pub fn has_pdftotext() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
}

/// A fontconfig file in `dir` that adds the bundled faces and lets them
/// stand in for the families the profiles name.
fn fontconfig(dir: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    let fonts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let alias = |family: &str, face: &str| {
        format!(
            "  <alias binding=\"same\"><family>{family}</family><prefer><family>{face}</family></prefer></alias>\n"
        )
    };
    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n  <dir>{}</dir>\n  <cachedir>{}</cachedir>\n{}{}{}{}</fontconfig>\n",
        fonts.display(),
        dir.join("fc-cache").display(),
        alias("宋体", "Noto Serif SC"),
        alias("仿宋_GB2312", "Noto Serif SC"),
        alias("方正小标宋简体", "Noto Serif SC"),
        alias("黑体", "Noto Sans SC"),
    );
    std::fs::write(&conf, text).unwrap();
    conf
}

/// Converts `inputs` to PDF in `dir`/out with LibreOffice `soffice`;
/// returns each input's PDF.
pub fn to_pdf(soffice: &str, dir: &Path, inputs: &[PathBuf]) -> Vec<PathBuf> {
    let out = dir.join("out");
    let status = Command::new(soffice)
        .env("FONTCONFIG_FILE", fontconfig(dir))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .args(inputs)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice failed: {status:?}");
    inputs
        .iter()
        .map(|i| out.join(i.with_extension("pdf").file_name().unwrap()))
        .collect()
}

/// The text of each page of a PDF, as `pdftotext -layout` gives it.
pub fn page_texts(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}: {out:?}", pdf.display());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}
