//! Batch and convert names: two inputs never map to one output, names that
//! are not UTF-8 keep their bytes, long names never fail for the temporary
//! file, and the usage errors of `--jobs 0` and `--to md,md`.

mod common;

use common::*;
use gongkai::OutputFormat;
use gongkai::batch::{BatchOptions, Silent, Status, run};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-names-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(root: &Path, out: &Path) -> BatchOptions {
    BatchOptions {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        formats: OutputFormat::ALL.to_vec(),
        jobs: 1,
        shard: None,
        force: false,
        template: "default".into(),
        profile: Default::default(),
    }
}

/// The output files under `out` (not the manifest), as their raw paths.
fn outputs(out: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "manifest.json"))
        .collect();
    found.sort();
    found
}

#[cfg(unix)]
#[test]
fn two_names_that_are_not_utf8_and_differ_in_one_byte_give_two_outputs() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let root = temp("bytes-in");
    let out = temp("bytes-out");
    let a = root.join(OsStr::from_bytes(b"budget\xff.txt"));
    let b = root.join(OsStr::from_bytes(b"budget\xfe.txt"));
    let seed = std::fs::read(corpus("seed/budget.txt")).unwrap();
    if std::fs::write(&a, &seed).is_err() {
        println!("skipped: this file system refuses names that are not UTF-8");
        return;
    }
    std::fs::write(&b, &seed).unwrap();
    let mut opts = options(&root, &out);
    opts.formats = vec![OutputFormat::Markdown, OutputFormat::Json];
    let outcome = run(&opts, &Silent).unwrap();
    let m = &outcome.manifest;
    let paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, vec![r"budget\xfe.txt", r"budget\xff.txt"]);
    assert!(
        m.files.iter().all(|f| f.status == Status::Converted),
        "{m:?}"
    );
    let written = outputs(&out);
    assert_eq!(written.len(), 4, "{written:?}");
    for (rel, bytes) in [
        (r"budget\xff.md", &b"budget\xff.md"[..]),
        (r"budget\xfe.md", b"budget\xfe.md"),
    ] {
        assert!(
            out.join(OsStr::from_bytes(bytes)).is_file(),
            "{rel} not written"
        );
        assert!(
            m.files
                .iter()
                .any(|f| f.outputs.iter().any(|o| o.path == rel)),
            "{rel} not in the manifest"
        );
    }
    // The manifest's escaped paths name the files: a re-run finds them
    // all unchanged.
    let again = run(&opts, &Silent).unwrap();
    assert_eq!(again.manifest.summary.unchanged, 2, "{:?}", again.manifest);
}

#[test]
fn a_244_byte_name_converts_to_every_format() {
    let root = temp("long-in");
    let out = temp("long-out");
    let stem = "预".repeat(80); // 240 bytes
    let name = format!("{stem}.txt");
    assert_eq!(name.len(), 244);
    std::fs::copy(corpus("seed/budget.txt"), root.join(&name)).unwrap();
    let outcome = run(&options(&root, &out), &Silent).unwrap();
    let f = &outcome.manifest.files[0];
    assert_eq!(f.status, Status::Converted, "{f:?}");
    let formats = OutputFormat::ALL.len();
    assert_eq!(f.outputs.len(), formats);
    for o in &f.outputs {
        assert!(out.join(&o.path).is_file(), "{} missing", o.path);
    }
    // No temporary file is left behind.
    assert_eq!(outputs(&out).len(), formats);

    // convert writes the same names.
    let conv = temp("long-convert");
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .arg(root.join(&name))
        .arg("-o")
        .arg(&conv)
        .arg("-q")
        .status()
        .unwrap();
    assert!(status.success());
    assert!(conv.join(format!("{stem}.md")).is_file());
}

#[test]
fn inputs_of_one_name_from_two_folders_never_share_an_output() {
    let root = temp("two-folders");
    let out = temp("two-folders-out");
    for dir in ["x", "y"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::copy(corpus("seed/budget.txt"), root.join(dir).join("预算.txt")).unwrap();
    }
    std::fs::copy(corpus("seed/budget.md"), root.join("y/预算.md")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .args([
            root.join("x/预算.txt"),
            root.join("y/预算.txt"),
            root.join("y/预算.md"),
        ])
        .arg("-o")
        .arg(&out)
        .args(["--to", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = outputs(&out);
    assert_eq!(written.len(), 3, "{written:?}");
    let texts: Vec<String> = written
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            assert_ne!(a, b, "two inputs wrote one output");
        }
    }
}

fn gongkai(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn jobs_0_and_a_format_named_twice_are_usage_errors() {
    let out = temp("usage");
    let out_s = out.to_string_lossy().into_owned();
    let seed = corpus("seed/budget.txt").to_string_lossy().into_owned();
    let root = corpus("departments").to_string_lossy().into_owned();
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["batch", &root, "--out", &out_s, "--jobs", "0"],
            "--jobs 0",
        ),
        (
            vec!["batch", &root, "--out", &out_s, "--to", "md,md"],
            "md more than once",
        ),
        (
            vec!["convert", &seed, "-o", &out_s, "--to", "pdf,json,pdf"],
            "pdf more than once",
        ),
        (
            vec!["convert", &seed, "-o", &out_s, "--to", "md,markdown"],
            "md more than once",
        ),
    ];
    for (args, message) in cases {
        let o = gongkai(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert!(outputs(&out).is_empty(), "a usage error wrote something");
}
