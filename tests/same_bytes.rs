//! Same bytes on any machine: the date inside PDF and DOCX outputs (and a
//! book's) follows the date rule of `gongkai::time` — `SOURCE_DATE_EPOCH`,
//! the date the document states, its budget year, a fixed fallback — and
//! never the input's modification time.

mod common;

use common::*;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

fn temp(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-bytes-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Sets a file's modification time to `secs` after the Unix epoch.
fn touch(path: &Path, secs: u64) {
    let f = File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
        .unwrap();
}

/// Runs gongkai without SOURCE_DATE_EPOCH (the date must come from the
/// document, not the environment of the test runner).
fn gongkai(cwd: &Path, args: &[&std::ffi::OsStr]) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .current_dir(cwd)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn touching_an_input_changes_no_output_byte() {
    for (rel, name) in [
        ("seed/budget.txt", "budget.txt"),
        ("seed/budget.xlsx", "budget.xlsx"),
    ] {
        let a = temp(&format!("a-{name}"));
        let b = temp(&format!("b-{name}"));
        std::fs::copy(corpus(rel), a.join(name)).unwrap();
        std::fs::copy(corpus(rel), b.join(name)).unwrap();
        touch(&a.join(name), 1_000_000_000); // 2001
        touch(&b.join(name), 1_700_000_000); // 2023
        // Run in each folder with relative names: the JSON output records
        // the input's path as given.
        for dir in [&a, &b] {
            gongkai(
                dir,
                &[
                    "convert".as_ref(),
                    name.as_ref(),
                    "-o".as_ref(),
                    "out".as_ref(),
                    "-q".as_ref(),
                ],
            );
        }
        let stem = name.split('.').next().unwrap();
        for ext in ["pdf", "docx", "md", "json"] {
            let file = format!("{stem}.{ext}");
            assert!(
                read(&a.join("out"), &file) == read(&b.join("out"), &file),
                "{rel}: {file} differs after touch"
            );
        }
        // The seed states no date and no year: the fixed fallback.
        let pdf = read(&a.join("out"), &format!("{stem}.pdf"));
        assert!(
            String::from_utf8_lossy(&pdf).contains("/CreationDate(D:20000101000000"),
            "{rel}: not dated 2000-01-01"
        );
        let docx = read(&a.join("out"), &format!("{stem}.docx"));
        let core = docx_part(&docx, "docProps/core.xml");
        assert!(core.contains("2000-01-01T00:00:00Z"), "{rel}: {core}");
    }
}

#[test]
fn the_document_dates_itself() {
    let table = "项目\t金额\n合计\t1,234.50\n办公费\t1234.50\n";
    let cases = [
        (
            format!("2025年项目支出表\n单位：万元\n{table}"),
            "2025-01-01T00:00:00Z",
            "D:20250101000000",
        ),
        (
            format!("项目支出表\n编制日期：2024年3月5日\n单位：万元\n{table}"),
            "2024-03-05T00:00:00Z",
            "D:20240305000000",
        ),
    ];
    for (i, (text, iso, pdf_date)) in cases.iter().enumerate() {
        let dir = temp(&format!("stated-{i}"));
        std::fs::write(dir.join("t.txt"), text).unwrap();
        touch(&dir.join("t.txt"), 1_700_000_000);
        gongkai(
            &dir,
            &[
                "convert".as_ref(),
                "t.txt".as_ref(),
                "-o".as_ref(),
                "out".as_ref(),
                "--to".as_ref(),
                "pdf,docx".as_ref(),
                "-q".as_ref(),
            ],
        );
        let out = dir.join("out");
        let core = docx_part(&read(&out, "t.docx"), "docProps/core.xml");
        assert!(core.contains(iso), "{text}: {core}");
        let pdf = read(&out, "t.pdf");
        assert!(
            String::from_utf8_lossy(&pdf).contains(&format!("/CreationDate({pdf_date}")),
            "{text}: PDF not dated {pdf_date}"
        );
    }
}

/// The text of one part of a DOCX package.
fn docx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = zip.by_name(name).unwrap();
    let mut text = String::new();
    part.read_to_string(&mut text).unwrap();
    text
}

#[test]
fn source_date_epoch_comes_first() {
    let dir = temp("sde");
    let out = dir.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .arg(corpus("seed/budget.txt"))
        .arg("-o")
        .arg(&out)
        .args(["--to", "docx", "-q"])
        .env("SOURCE_DATE_EPOCH", "1740816000")
        .status()
        .unwrap();
    assert!(status.success());
    let core = docx_part(&read(&out, "budget.docx"), "docProps/core.xml");
    assert!(core.contains("2025-03-01T08:00:00Z"), "{core}");
}

#[test]
fn a_touched_book_folder_gives_the_same_book() {
    let from = corpus("departments/区卫生健康局 2025年 部门预算");
    let a = temp("book-a").join("区卫生健康局");
    let b = temp("book-b").join("区卫生健康局");
    for (dir, secs) in [(&a, 1_000_000_000), (&b, 1_700_000_000)] {
        std::fs::create_dir_all(dir).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                let target = dir.join(entry.file_name());
                std::fs::copy(entry.path(), &target).unwrap();
                touch(&target, secs);
            }
        }
        let out = dir.with_extension("out");
        gongkai(
            dir,
            &[
                "book".as_ref(),
                dir.as_os_str(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
        );
    }
    let names = |dir: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let (oa, ob) = (a.with_extension("out"), b.with_extension("out"));
    assert_eq!(names(&oa), names(&ob));
    assert!(!names(&oa).is_empty());
    for name in names(&oa) {
        assert!(
            read(&oa, &name) == read(&ob, &name),
            "book {name} differs after touch"
        );
    }
}

/// Copies a folder tree (files and folders only).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, by its path relative to `dir`.
fn files(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, base, out);
        } else {
            out.push(path.strip_prefix(base).unwrap().to_path_buf());
        }
    }
}

#[test]
fn two_checkouts_of_the_examples_give_the_same_bytes() {
    // What two fresh clones do with the README's first command: the same
    // example folders in two places, made at two times, converted by batch
    // with relative names.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/departments");
    let a = temp("checkout-a");
    let b = temp("checkout-b");
    copy_tree(&examples, &a.join("examples/departments"));
    copy_tree(&examples, &b.join("examples/departments"));
    let mut inputs = Vec::new();
    files(&b.join("examples"), &b, &mut inputs);
    for (k, rel) in inputs.iter().enumerate() {
        touch(&b.join(rel), 1_600_000_000 + k as u64 * 86_400);
    }
    for dir in [&a, &b] {
        gongkai(
            dir,
            &[
                "batch".as_ref(),
                "examples/departments".as_ref(),
                "--out".as_ref(),
                "out".as_ref(),
                "--jobs".as_ref(),
                "2".as_ref(),
                "--quiet".as_ref(),
            ],
        );
    }
    let mut outputs = Vec::new();
    files(&a.join("out"), &a.join("out"), &mut outputs);
    outputs.sort();
    assert!(outputs.len() >= 20, "{} outputs", outputs.len());
    for rel in &outputs {
        let (x, y) = (
            read(&a.join("out"), rel.to_str().unwrap()),
            read(&b.join("out"), rel.to_str().unwrap()),
        );
        assert!(
            x == y,
            "{} differs between the two checkouts",
            rel.display()
        );
    }
}
