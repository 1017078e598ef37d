//! Which files of a folder are tables: by name alone, the files `batch`
//! converts and `book` gathers, and why the others are left out.

use std::path::Path;

/// Extensions of the files batch and book try to read as tables.
const TABLE_EXTENSIONS: &[&str] = &[
    "txt", "tsv", "csv", "md", "markdown", "xlsx", "xlsm", "xlsb", "xls", "ods", "docx", "doc",
    "et", "wps",
];

/// Extensions skipped without reading, with the reason given.
const KNOWN_NON_TABLES: &[(&[&str], &str)] = &[
    (
        &[
            "png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "svg",
        ],
        "an image, not a table",
    ),
    (
        &["pdf"],
        "a PDF (gongkai reads the source tables, not PDFs)",
    ),
    (
        &["zip", "rar", "7z", "gz", "tar"],
        "an archive; unpack it first",
    ),
    (
        &["toml", "json", "ini", "log", "tmp", "bak"],
        "not a table file",
    ),
];

/// Why a file is not read as a table, judged by its name: Office lock
/// files and file types that hold no tables.
pub(crate) fn skip_reason(path: &Path) -> Option<String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with("~$") {
        return Some("an Office lock file (the document is open in Excel/Word/WPS)".into());
    }
    if name.starts_with('.') {
        return Some("a hidden file".into());
    }
    let ext = extension_of(path);
    if TABLE_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let why = KNOWN_NON_TABLES
        .iter()
        .find(|(exts, _)| exts.contains(&ext.as_str()))
        .map_or("not a table file type", |(_, why)| why);
    Some(why.to_string())
}

/// Lower-case extension of a path.
pub(crate) fn extension_of(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}
