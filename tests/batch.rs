//! Batch conversion of department trees.

mod common;

use common::*;
use gongkai::OutputFormat;
use gongkai::batch::{BatchOptions, FileRecord, Manifest, Silent, Status, run};
use std::path::{Path, PathBuf};

/// A fresh temporary folder for one test, removed when the test passes
/// (kept for a look when it fails).
struct Temp(PathBuf);

impl std::ops::Deref for Temp {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Temp {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Temp {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn temp(name: &str) -> Temp {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Temp(dir)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn options(root: &Path, out: &Path) -> BatchOptions {
    BatchOptions {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        formats: OutputFormat::ALL.to_vec(),
        jobs: 2,
        shard: None,
        force: false,
        template: "default".into(),
        profile: Default::default(),
    }
}

fn record<'a>(m: &'a Manifest, rel: &str) -> &'a FileRecord {
    m.files
        .iter()
        .find(|f| f.path == rel)
        .unwrap_or_else(|| panic!("{rel} not in the manifest"))
}

/// A small tree of text tables plus the things a real folder holds.
fn text_tree(root: &Path) {
    let seed = corpus("seed");
    std::fs::create_dir_all(root.join("财政局/下属 单位")).unwrap();
    std::fs::create_dir_all(root.join("卫健局")).unwrap();
    std::fs::copy(
        seed.join("budget.txt"),
        root.join("财政局/项目支出绩效目标表.txt"),
    )
    .unwrap();
    std::fs::copy(
        seed.join("budget.csv"),
        root.join("财政局/下属 单位/绩效.csv"),
    )
    .unwrap();
    std::fs::copy(seed.join("budget.md"), root.join("卫健局/绩效.md")).unwrap();
    // Same stem twice in one folder: both keep their extension.
    std::fs::copy(
        seed.join("budget-gb18030.txt"),
        root.join("卫健局/绩效.txt"),
    )
    .unwrap();
    std::fs::write(root.join("卫健局/~$绩效.xlsx"), b"lock").unwrap();
    std::fs::write(root.join("卫健局/logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    std::fs::write(
        root.join("卫健局/说明.txt"),
        "本文件夹存放预算公开材料。\n请按时报送。\n",
    )
    .unwrap();
    std::fs::write(root.join(".hidden.txt"), "a\tb\n1\t2\n").unwrap();
}

#[test]
fn converts_skips_and_mirrors_the_tree() {
    let root = temp("tree");
    text_tree(&root);
    let out = root.join("out"); // inside the root: must be excluded
    let outcome = run(&options(&root, &out), &Silent).unwrap();
    let m = &outcome.manifest;
    let paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        !paths
            .iter()
            .any(|p| p.starts_with("out/") || p.starts_with(".hidden")),
        "{paths:?}"
    );
    for rel in [
        "财政局/项目支出绩效目标表.txt",
        "财政局/下属 单位/绩效.csv",
        "卫健局/绩效.md",
        "卫健局/绩效.txt",
    ] {
        let r = record(m, rel);
        assert_eq!(r.status, Status::Converted, "{rel}: {r:?}");
        assert!(r.sha256.is_some());
        assert_eq!(r.outputs.len(), options(&root, &out).formats.len());
        for o in &r.outputs {
            let bytes = std::fs::read(out.join(&o.path)).unwrap();
            assert_eq!(gongkai::sha256_hex(&bytes), o.sha256);
        }
    }
    assert!(out.join("财政局/下属 单位/绩效.md").is_file());
    assert!(out.join("卫健局/绩效.md.md").is_file());
    assert!(out.join("卫健局/绩效.txt.md").is_file());
    let reason = |rel| record(m, rel).reason.clone().unwrap_or_default();
    assert!(reason("卫健局/~$绩效.xlsx").contains("lock file"));
    assert!(reason("卫健局/logo.png").contains("image"));
    assert!(reason("卫健局/说明.txt").contains("no table found"));
    assert_eq!(m.summary.converted, 4);
    assert_eq!(m.summary.skipped, 3);
    assert_eq!(m.summary.failed, 0);
    let on_disk: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(&on_disk, m);
    // No temporary files left behind.
    for e in walkdir::WalkDir::new(&out) {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

#[test]
fn reruns_convert_only_what_changed() {
    let root = temp("rerun");
    text_tree(&root);
    let out = temp("rerun-out");
    let first = run(&options(&root, &out), &Silent).unwrap().manifest;
    assert_eq!(first.summary.converted, 4);
    let second = run(&options(&root, &out), &Silent).unwrap().manifest;
    assert_eq!(second.summary.converted, 0);
    assert_eq!(second.summary.unchanged, 4);
    // Change one input: only it converts again.
    let changed = root.join("财政局/项目支出绩效目标表.txt");
    let text = std::fs::read_to_string(&changed)
        .unwrap()
        .replace("3,000.00", "3,000.50");
    std::fs::write(&changed, text).unwrap();
    let third = run(&options(&root, &out), &Silent).unwrap().manifest;
    assert_eq!(third.summary.converted, 1);
    assert_eq!(
        record(&third, "财政局/项目支出绩效目标表.txt").status,
        Status::Converted
    );
    assert_eq!(third.summary.unchanged, 3);
    // A deleted output is made again; --force redoes everything.
    std::fs::remove_file(out.join("卫健局/绩效.md.md")).unwrap();
    let fourth = run(&options(&root, &out), &Silent).unwrap().manifest;
    assert_eq!(fourth.summary.converted, 1);
    let mut force = options(&root, &out);
    force.force = true;
    assert_eq!(run(&force, &Silent).unwrap().manifest.summary.converted, 4);
    // Other options convert everything again.
    let mut other = options(&root, &out);
    other.formats = vec![OutputFormat::Markdown];
    assert_eq!(run(&other, &Silent).unwrap().manifest.summary.converted, 4);
}

#[test]
fn shards_together_are_one_run() {
    let root = temp("shards");
    text_tree(&root);
    for (i, name) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        std::fs::copy(
            corpus("seed/budget.txt"),
            root.join(format!("财政局/{name}{i}.txt")),
        )
        .unwrap();
    }
    let whole_out = temp("shards-whole");
    let whole = run(&options(&root, &whole_out), &Silent).unwrap().manifest;
    let out = temp("shards-out");
    let mut seen = Vec::new();
    for i in 0..3 {
        let mut o = options(&root, &out);
        o.shard = Some((i, 3));
        let part = run(&o, &Silent).unwrap();
        assert!(
            part.manifest_path
                .ends_with(format!("manifest.shard-{i}-of-3.json"))
        );
        seen.extend(part.manifest.files.iter().map(|f| f.path.clone()));
    }
    seen.sort();
    let all: Vec<String> = whole.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(seen, all, "each input in exactly one shard");
    let merged = gongkai::batch::merge_manifests(&out).unwrap().manifest;
    assert_eq!(merged.summary, whole.summary);
    for (a, b) in merged.files.iter().zip(&whole.files) {
        assert_eq!(
            (&a.path, a.status, &a.outputs),
            (&b.path, b.status, &b.outputs)
        );
    }
    // A missing part is an error naming it.
    std::fs::remove_file(out.join("manifest.shard-1-of-3.json")).unwrap();
    let err = gongkai::batch::merge_manifests(&out)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing shard part(s): 1/3"), "{err}");
}

#[test]
fn one_bad_file_does_not_stop_the_others() {
    let root = temp("bad");
    text_tree(&root);
    std::fs::copy(corpus("bad/ragged.txt"), root.join("财政局/ragged.txt")).unwrap();
    std::fs::copy(corpus("bad/random.txt"), root.join("财政局/random.txt")).unwrap();
    std::fs::copy(corpus("bad/legacy.doc"), root.join("财政局/legacy.doc")).unwrap();
    let out = temp("bad-out");
    let m = run(&options(&root, &out), &Silent).unwrap().manifest;
    assert_eq!(m.summary.converted, 4);
    assert_eq!(m.summary.failed, 3);
    let err = |rel| record(&m, rel).error.clone().unwrap_or_default();
    assert!(err("财政局/ragged.txt").contains("line 8"));
    assert!(err("财政局/random.txt").contains("not readable as text"));
    assert!(err("财政局/legacy.doc").contains("save it as .docx"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_not_followed() {
    let root = temp("links");
    text_tree(&root);
    let outside = temp("links-outside");
    std::fs::copy(corpus("seed/budget.txt"), outside.join("secret.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("财政局/link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("外部")).unwrap();
    let out = temp("links-out");
    let m = run(&options(&root, &out), &Silent).unwrap().manifest;
    let r = record(&m, "财政局/link.txt");
    assert_eq!(r.status, Status::Skipped);
    assert!(
        r.reason
            .as_deref()
            .unwrap()
            .contains("symlink out of the input folder")
    );
    assert!(!m.files.iter().any(|f| f.path.starts_with("外部/")));
}

/// Files of the corpus's department tree that hold no table.
const NOT_TABLES: [(&str, &str); 4] = [
    (
        "广州开发区民营经济和企业服务局/~$2025年项目支出绩效目标表.xlsx",
        "lock file",
    ),
    ("区卫生健康局 2025年 部门预算/logo.png", "image"),
    ("红山街道办事处/扫描件.png", "image"),
    ("区农业农村局/README.txt", "no table found"),
];

#[test]
fn the_corpus_department_tree_converts_to_every_format() {
    let root = temp("corpus");
    copy_tree(&corpus("departments"), &root);
    let out = temp("corpus-out");
    let run_cli = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("batch")
            .arg(&root)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .output()
            .unwrap()
    };
    let first = run_cli();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let formats = OutputFormat::ALL.len();
    assert_eq!(formats, 4, "pdf, docx, md and json all exist");
    for f in &m.files {
        match NOT_TABLES.iter().find(|(p, _)| *p == f.path) {
            Some((_, why)) => {
                assert_eq!(f.status, Status::Skipped, "{}", f.path);
                assert!(f.reason.as_deref().unwrap_or("").contains(why), "{f:?}");
            }
            None => {
                assert_eq!(f.status, Status::Converted, "{f:?}");
                assert_eq!(f.outputs.len(), formats, "{}", f.path);
            }
        }
    }
    assert_eq!(m.summary.converted, 12);
    assert_eq!(m.summary.skipped, 4);
    assert!(
        out.join("区卫生健康局 2025年 部门预算/部门支出总表 (终稿).pdf")
            .is_file()
    );
    assert!(
        out.join("广州开发区民营经济和企业服务局/2025年项目支出绩效目标表.xlsx.pdf")
            .is_file()
    );
    assert!(
        out.join("广州开发区民营经济和企业服务局/2025年项目支出绩效目标表.docx.pdf")
            .is_file()
    );

    // A second run converts nothing and says so.
    let second = run_cli();
    assert_eq!(second.status.code(), Some(0));
    let said = String::from_utf8_lossy(&second.stdout);
    assert!(
        said.contains("nothing to convert: 12 input(s) unchanged"),
        "{said}"
    );

    // Changing one input reconverts only it.
    let changed = root.join("红山街道办事处/项目支出绩效目标表.txt");
    let text = std::fs::read_to_string(&changed)
        .unwrap()
        .replace("64.80", "64.90");
    std::fs::write(&changed, text).unwrap();
    let third = run_cli();
    assert_eq!(third.status.code(), Some(0));
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m.summary.converted, 1);
    assert_eq!(
        record(&m, "红山街道办事处/项目支出绩效目标表.txt").status,
        Status::Converted
    );
    assert_eq!(m.summary.unchanged, 11);
}

#[test]
fn with_the_bad_corpus_in_the_tree_good_files_convert_and_bad_ones_fail() {
    let root = temp("corpus-bad");
    copy_tree(&corpus("departments"), &root);
    copy_tree(&corpus("bad"), &root.join("坏文件"));
    let out = temp("corpus-bad-out");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("batch")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(1));
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        m.summary.converted, 14,
        "the 12 good files, bad_totals.xlsx and the docx named .xlsx"
    );
    let renamed = record(&m, "坏文件/docx_named_as.xlsx");
    assert!(renamed.warnings.iter().any(|w| w.code == "format-mismatch"
        && w.message.contains("named .xlsx but its content is docx")));
    for (name, needle) in [
        ("empty_sheet.xlsx", "is empty"),
        ("encrypted.xlsx", "encrypted"),
        ("legacy.doc", "save it as .docx"),
        ("no_table.docx", "no table found"),
        ("ragged.txt", "line 8"),
        ("random.txt", "not readable as text"),
        ("truncated.xlsx", "truncated"),
        ("x.xlsx", "empty"),
        ("zipbomb.xlsx", "zip bomb"),
    ] {
        let r = record(&m, &format!("坏文件/{name}"));
        let said = r.error.clone().or(r.reason.clone()).unwrap_or_default();
        assert!(said.contains(needle), "{name}: {r:?}");
        assert_ne!(r.status, Status::Converted, "{name}");
    }
    let bad_totals = record(&m, "坏文件/bad_totals.xlsx");
    assert!(bad_totals.warnings.iter().any(|w| w.code == "sum.row"));
    assert!(bad_totals.warnings.iter().any(|w| w.code == "sum.column"));
}
