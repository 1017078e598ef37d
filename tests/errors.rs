//! Typed errors: each layer's error keeps the library error that caused it
//! as its `source()`, the errors that know a place fill the location's
//! fields, and the command line prints one line made by
//! `gongkai::error::report`.

use gongkai::batch::BatchError;
use gongkai::book::BookError;
use gongkai::error::{Location, report};
use gongkai::limits::{Limit, LimitError};
use gongkai::profile::{Profile, ProfileError};
use gongkai::{ReadError, ReadOptions, WriteError};
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn sheet_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sheet")
        .join(name)
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-errors-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every error in the chain below `e`, as text, for messages.
fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = Vec::new();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push(format!("{c} ({c:?})"));
        cause = c.source();
    }
    out
}

/// The first error of type `T` in the chain below `e`.
fn find_source<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut cause = e.source();
    while let Some(c) = cause {
        if let Some(t) = c.downcast_ref::<T>() {
            return Some(t);
        }
        cause = c.source();
    }
    None
}

#[test]
fn a_broken_zip_has_the_zip_error_as_its_source() {
    // Named and marked as a workbook, but no zip directory.
    let bytes = b"PK\x03\x04 xl/workbook.xml and then nothing a zip reader can use";
    let err = gongkai::read_bytes(bytes, "预算.xlsx", &ReadOptions::default()).unwrap_err();
    assert!(matches!(err, ReadError::ZipDirectory { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "the .xlsx file is damaged or truncated: its zip directory cannot be read"
        ),
        "{err}"
    );
    let zip = find_source::<zip::result::ZipError>(&err);
    assert!(zip.is_some(), "no zip error in {:?}", chain(&err));
}

#[test]
fn a_damaged_workbook_has_the_spreadsheet_library_error_as_its_source() {
    // A real zip holding a workbook.xml that is no workbook.
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    out.start_file("[Content_Types].xml", options).unwrap();
    std::io::Write::write_all(&mut out, b"<Types/>").unwrap();
    out.start_file("xl/workbook.xml", options).unwrap();
    std::io::Write::write_all(&mut out, b"<workbook><sheets><sheet").unwrap();
    let bytes = out.finish().unwrap().into_inner();
    let err = gongkai::read_bytes(&bytes, "x.xlsx", &ReadOptions::default()).unwrap_err();
    let from_calamine = find_source::<calamine::XlsxError>(&err).is_some()
        || find_source::<calamine::Error>(&err).is_some();
    assert!(from_calamine, "{err}: {:?}", chain(&err));
}

#[test]
fn bad_json_has_the_serde_json_error_as_its_source_and_names_the_line() {
    let text = "{\n  \"schema\": 1,\n  \"tables\": [,]\n}\n";
    let err = gongkai::read_bytes(text.as_bytes(), "m.json", &ReadOptions::default()).unwrap_err();
    let json = find_source::<serde_json::Error>(&err).expect("a serde_json source");
    assert_eq!(json.line(), 3);
    let at = err.location().expect("a location");
    assert_eq!(at.line, Some(3), "{at:?}");
    assert!(at.column.is_some(), "{at:?}");
    assert!(err.to_string().starts_with("line 3, column "), "{err}");
    assert!(err.to_string().contains("not JSON"), "{err}");
}

/// A model JSON that serde cannot take, or whose blocks contradict its
/// tables: the error names the JSON path of what is wrong.
#[test]
fn a_model_json_error_names_the_json_path() {
    let csv =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/seed/budget.csv");
    let doc = gongkai::read_path(&csv, &ReadOptions::default()).unwrap();
    let model: serde_json::Value = serde_json::to_value(&doc).unwrap();
    let damaged = |path: &[&str], value: serde_json::Value| {
        let mut m = model.clone();
        let mut at = &mut m;
        for key in path {
            at = match key.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*key],
            };
        }
        *at = value;
        let bytes = serde_json::to_vec(&m).unwrap();
        gongkai::read_bytes(&bytes, "m.json", &ReadOptions::default()).unwrap_err()
    };
    for (path, value, field, says) in [
        (
            &["tables", "0", "rows", "1", "kind"][..],
            serde_json::json!("bogus"),
            "tables[0].rows[1].kind",
            "unknown variant `bogus`",
        ),
        (
            &["tables", "0", "rows", "1", "cells", "0", "row_span"][..],
            serde_json::json!(0),
            "tables[0].rows[1].cells[0].row_span",
            "a span must be at least 1",
        ),
        (
            &["tables", "0", "columns", "2", "kind"][..],
            serde_json::json!(5),
            "tables[0].columns[2].kind",
            "invalid type: integer `5`",
        ),
        (
            &["tables", "0", "columns", "1", "path"][..],
            serde_json::json!([]),
            "tables[0].columns[1].path",
            "header path is empty",
        ),
    ] {
        let err = damaged(path, value);
        let at = err.location().expect("a location");
        assert_eq!(at.field.as_deref(), Some(field), "{err}");
        assert!(err.to_string().starts_with(&format!("{field}: ")), "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    let err = damaged(
        &["blocks"],
        serde_json::json!([{"type": "table", "index": 7}]),
    );
    assert!(
        err.to_string()
            .contains("blocks[0].index: table 7, but the document has 1 table(s)"),
        "{err}"
    );
}

#[test]
fn a_spreadsheet_cell_over_a_limit_names_sheet_row_and_column() {
    let limits = gongkai::Limits {
        cell_chars: 2,
        ..Default::default()
    };
    let options = ReadOptions::default().with_limits(limits);
    let err = gongkai::read_path(&sheet_fixture("features.xlsx"), &options).unwrap_err();
    let at = err.location().expect("a location").clone();
    assert!(at.sheet.is_some(), "{at:?}");
    assert!(at.row.is_some_and(|r| r >= 1), "{at:?}");
    assert!(at.column.is_some_and(|c| c >= 1), "{at:?}");
    let limit = find_source::<LimitError>(&err).expect("the limit as the source");
    assert_eq!(limit.limit, Limit::CellChars);
    // The message names the cell the way the sheet does.
    let cell = Location {
        file: None,
        ..at.clone()
    }
    .to_string();
    assert!(cell.contains(", cell "), "{cell}");
    assert!(err.to_string().contains(&cell), "{err}");
    assert!(err.to_string().contains("cell_chars = 2"), "{err}");
}

#[test]
fn a_text_row_with_too_many_fields_names_its_line() {
    let text = "项目\t金额\n合计\t10\n办公费\t10\t多余\n";
    let err = gongkai::read_bytes(text.as_bytes(), "t.txt", &ReadOptions::default()).unwrap_err();
    let at = err.location().expect("a location");
    assert_eq!(at.line, Some(3), "{err:?}");
    assert!(at.sheet.is_none() && at.part.is_none(), "{at:?}");
    assert!(err.to_string().starts_with("line 3: "), "{err}");
}

#[test]
fn a_read_error_through_read_path_keeps_the_file_and_the_chain() {
    let dir = scratch("read-path");
    let path = dir.join("坏.xlsx");
    std::fs::write(&path, b"PK\x03\x04 xl/workbook.xml truncated").unwrap();
    let err = gongkai::read_path(&path, &ReadOptions::default()).unwrap_err();
    assert_eq!(err.path(), path.to_string_lossy());
    let read = err
        .source()
        .and_then(|s| s.downcast_ref::<ReadError>())
        .expect("the read error as the source");
    assert!(matches!(read, ReadError::ZipDirectory { .. }), "{read:?}");
    assert!(find_source::<zip::result::ZipError>(&err).is_some());
    let line = report(&err);
    assert!(
        line.starts_with(&format!(
            "gongkai: error: {}: the .xlsx file is damaged",
            path.display()
        )),
        "{line}"
    );
    // The zip error's text is in the message once, not repeated by the
    // chain.
    let zip_text = find_source::<zip::result::ZipError>(&err)
        .unwrap()
        .to_string();
    assert_eq!(line.matches(&zip_text).count(), 1, "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_is_an_io_error_with_its_source() {
    let err = gongkai::read_path(Path::new("/nonexistent/预算.txt"), &ReadOptions::default())
        .unwrap_err();
    let io = find_source::<std::io::Error>(&err).expect("an io source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    assert!(report(&err).starts_with("gongkai: error: /nonexistent/预算.txt: "));
}

#[test]
fn a_page_limit_in_the_writer_has_the_limit_as_its_source() {
    let mut text = String::from("项目支出表\n单位：万元\n项目\t金额\n合计\t100\n");
    for i in 0..400 {
        text.push_str(&format!("项目{i}\t1\n"));
    }
    let doc = gongkai::read_bytes(text.as_bytes(), "t.txt", &ReadOptions::default()).unwrap();
    let mut profile = Profile::default();
    profile.limits.pages_per_table = 1;
    let options = gongkai::RenderOptions::default().with_profile(profile);
    let err = gongkai::convert(doc, &[gongkai::OutputFormat::Pdf], &options).unwrap_err();
    assert_eq!(err.format, gongkai::OutputFormat::Pdf);
    assert!(matches!(err.source, WriteError::Pages { .. }), "{err:?}");
    let limit = find_source::<LimitError>(&err).expect("the limit as the source");
    assert_eq!(limit.limit, Limit::PagesPerTable);
    assert!(err.to_string().starts_with("pdf: table 1: "), "{err}");
}

#[test]
fn an_output_over_output_bytes_is_a_limit_error() {
    let text = "项目\t金额\n合计\t1\n";
    let doc = gongkai::read_bytes(text.as_bytes(), "t.txt", &ReadOptions::default()).unwrap();
    let mut profile = Profile::default();
    profile.limits.output_bytes = 10;
    let options = gongkai::RenderOptions::default().with_profile(profile);
    let err = gongkai::render(&doc, gongkai::OutputFormat::Markdown, &options).unwrap_err();
    match err {
        WriteError::Limit(e) => assert_eq!(e.limit, Limit::OutputBytes),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_profile_toml_has_the_toml_error_as_its_source_and_its_line() {
    let err = Profile::parse(
        "[page]\nmargin_top_mm = 25\nmargin_left_mm = \"wide\"\n",
        "t",
        None,
    )
    .unwrap_err();
    assert!(matches!(err, ProfileError::Toml { .. }), "{err:?}");
    assert!(find_source::<toml::de::Error>(&err).is_some());
    let ProfileError::Toml { at, .. } = &err else {
        unreachable!()
    };
    assert_eq!(at.line, Some(3), "{at:?}");
    assert!(err.to_string().starts_with("template t: "), "{err}");
    assert_eq!(err.to_string().lines().count(), 1, "{err}");
}

#[test]
fn a_profile_font_file_that_is_missing_has_the_io_error_as_its_source() {
    let dir = scratch("font");
    let path = dir.join("p.toml");
    std::fs::write(&path, "[fonts.body]\nfile = \"no-such-font.ttf\"\n").unwrap();
    let err = Profile::load(&path.to_string_lossy()).unwrap_err();
    let io = find_source::<std::io::Error>(&err).expect("an io source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_book_toml_has_the_toml_error_as_its_source_and_its_line() {
    let dir = scratch("book");
    std::fs::write(dir.join("book.toml"), "title = \"预算\"\nyear = [\n").unwrap();
    std::fs::write(dir.join("表.txt"), "项目\t金额\n合计\t1\n").unwrap();
    let err = gongkai::book::build(&dir, &gongkai::book::BookOptions::default()).unwrap_err();
    let BookError::Toml { at, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(at.line.is_some_and(|l| l >= 2), "{at:?}");
    assert!(find_source::<toml::de::Error>(&err).is_some());
    assert!(report(&err).contains("book.toml: "), "{}", report(&err));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_book_from_a_damaged_workbook_keeps_the_read_error_as_its_source() {
    let dir = scratch("book-workbook");
    let path = dir.join("书.xlsx");
    std::fs::write(&path, b"PK\x03\x04 xl/workbook.xml truncated").unwrap();
    let err = gongkai::book::build(&path, &gongkai::book::BookOptions::default()).unwrap_err();
    assert!(matches!(err, BookError::Read { .. }), "{err:?}");
    assert!(find_source::<ReadError>(&err).is_some());
    assert!(find_source::<zip::result::ZipError>(&err).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_manifest_part_has_the_serde_json_error_as_its_source_and_its_line() {
    let dir = scratch("manifest");
    std::fs::write(
        dir.join("manifest.shard-1-of-2.json"),
        "{\n\"files\": oops\n}\n",
    )
    .unwrap();
    let err = gongkai::batch::merge_manifests(&dir).unwrap_err();
    let BatchError::Json { at, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(at.line, Some(2), "{at:?}");
    assert!(find_source::<serde_json::Error>(&err).is_some());
    assert!(err.to_string().contains("not a gongkai manifest"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_limits_flag_with_an_unknown_key_is_a_typed_error() {
    let err = gongkai::Limits::default()
        .apply_overrides("rows=5,rowz=1")
        .unwrap_err();
    assert_eq!(
        err,
        gongkai::limits::LimitSpecError::UnknownKey { key: "rowz".into() }
    );
    assert!(err.to_string().contains("pages_per_table"), "{err}");
}

#[test]
fn the_command_line_prints_one_error_line_naming_the_file() {
    let dir = scratch("cli");
    let path = dir.join("坏.xlsx");
    std::fs::write(&path, b"PK\x03\x04 xl/workbook.xml truncated").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("inspect")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "gongkai: error: {}: the .xlsx file is damaged",
            path.display()
        )),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
