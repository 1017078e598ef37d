//! The command line's conventions: usage mistakes exit 2 with a hint,
//! pandoc's flags, `-` as standard input, `--quiet`, `--verbose`, batch
//! lines in a stable order, `--strict` writing nothing, completions and
//! the man page.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A table whose numbers add up.
const GOOD: &str = "项目支出表\n单位：万元\n项目\t金额\n合计\t1,234.50\n办公费\t1234.5\n";
/// A table whose total is not the sum of its rows (an error finding).
const BAD: &str = "项目支出表\n单位：万元\n项目\t金额\n合计\t100.00\n办公费\t50.00\n";

/// A fresh, empty folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

fn gongkai(args: Vec<std::ffi::OsString>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Runs with `input` on standard input.
fn gongkai_stdin(args: Vec<std::ffi::OsString>, input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

macro_rules! args {
    ($($a:expr),* $(,)?) => {
        vec![$(std::ffi::OsString::from(AsRef::<std::ffi::OsStr>::as_ref(&$a))),*]
    };
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 2, one line on stderr in the CLI's one form, containing each of
/// `needles`.
fn assert_usage(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(!err.contains("os error"), "no raw OS error: {err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in: {err}");
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_folder_given_to_convert_points_at_batch() {
    let out = temp("conv-dir");
    let dept = repo().join("examples/departments/红山街道办事处");
    let o = gongkai(args!["convert", dept, "-o", out.join("o")]);
    assert_usage(&o, &["gongkai: error: ", "is a folder", "gongkai batch"]);
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(!out.join("o").exists(), "nothing written");
}

#[test]
fn a_file_given_to_book_points_at_convert_but_a_workbook_is_a_book() {
    let dir = temp("book-file");
    let file = write(&dir.join("t.txt"), GOOD);
    let o = gongkai(args!["book", file, "-o", dir.join("o")]);
    assert_usage(
        &o,
        &[
            "gongkai: error: ",
            "not a folder or a workbook",
            "gongkai convert",
        ],
    );
    let workbook = repo().join("tests/fixtures/workbook/putuo-department-2025.xlsx");
    let o = gongkai(args![
        "book",
        workbook,
        "-t",
        "md",
        "-o",
        dir.join("wb"),
        "-q"
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written: Vec<_> = std::fs::read_dir(dir.join("wb"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].ends_with(".md"), "{written:?}");
}

#[test]
fn a_missing_input_is_a_usage_mistake_in_our_words() {
    let dir = temp("missing");
    let gone = dir.join("没有.xlsx");
    let out = dir.join("o");
    for command in [
        args!["convert", gone, "-o", out],
        args!["check", gone],
        args!["inspect", gone],
        args!["book", gone, "-o", out],
        args!["batch", gone, "-o", out],
    ] {
        let o = gongkai(command);
        assert_usage(
            &o,
            &["gongkai: error: ", "没有.xlsx: no such file or folder"],
        );
    }
    // Standard input is offered as a hint only where it is read.
    let o = gongkai(args!["convert", gone, "-o", out]);
    assert!(stderr(&o).contains("\"-\" reads standard input"));
    let o = gongkai(args!["book", gone, "-o", out]);
    assert!(!stderr(&o).contains("standard input"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn standard_input_is_read_once() {
    let dir = temp("stdin-twice");
    let o = gongkai(args!["convert", "-", "-", "-o", dir.join("o")]);
    assert_usage(&o, &["more than once"]);
}

#[test]
fn an_unknown_input_format_lists_every_accepted_one() {
    let dir = temp("from");
    let file = write(&dir.join("t.txt"), GOOD);
    for flag in ["-f", "--from"] {
        let o = gongkai(args!["convert", file, flag, "pdf", "-o", dir.join("o")]);
        assert_usage(&o, &["unknown input format 'pdf'"]);
        let err = stderr(&o);
        for name in [
            "text", "csv", "fixed", "markdown", "json", "xlsx", "xlsm", "xlsb", "xls", "ods",
            "docx",
        ] {
            assert!(err.contains(name), "{name} not listed: {err}");
        }
    }
    let o = gongkai(args!["inspect", file, "-f", "wps"]);
    assert_usage(&o, &["unknown input format 'wps'", "xlsb"]);
}

#[test]
fn an_unknown_output_format_lists_every_accepted_one() {
    let dir = temp("to");
    let file = write(&dir.join("t.txt"), GOOD);
    let o = gongkai(args!["convert", file, "-t", "html", "-o", dir.join("o")]);
    assert_usage(&o, &["unknown output format 'html'"]);
    for name in ["pdf", "pdfa", "ofd", "docx", "md", "json"] {
        assert!(stderr(&o).contains(name), "{name}: {}", stderr(&o));
    }
    let o = gongkai(args!["convert", file, "-t", "md,md", "-o", dir.join("o")]);
    assert_usage(&o, &["gongkai: error: --to names md more than once"]);
    let o = gongkai(args!["book", dir, "-t", "json", "-o", dir.join("o")]);
    assert_usage(&o, &["json is not a format the book is written in"]);
    assert!(!dir.join("o").exists());
}

#[test]
fn t_is_the_output_format_and_template_is_long_only() {
    let dir = temp("flags");
    let file = write(&dir.join("t.txt"), GOOD);
    let o = gongkai(args![
        "convert",
        file,
        "-t",
        "md",
        "-o",
        dir.join("a"),
        "-q"
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("a/t.md").is_file());
    assert!(!dir.join("a/t.pdf").exists(), "-t md writes only Markdown");
    // The old long forms still work.
    let o = gongkai(args![
        "convert",
        file,
        "--to",
        "json",
        "--out",
        dir.join("b"),
        "--from",
        "text",
        "--template",
        "gbt9704",
        "--quiet"
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.join("b/t.json").is_file());
    // `-t gbt9704` is no longer a template.
    let o = gongkai(args!["convert", file, "-t", "gbt9704", "-o", dir.join("c")]);
    assert_usage(&o, &["unknown output format 'gbt9704'"]);
}

#[test]
fn dash_is_standard_input_for_convert_check_and_inspect() {
    let dir = temp("stdin");
    let out = dir.join("o");
    let o = gongkai_stdin(args!["convert", "-", "-t", "md", "-o", out], GOOD);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(out.join("stdin.md")).unwrap();
    assert!(md.contains("| 合计 | 1,234.50 |"), "{md}");

    let o = gongkai_stdin(args!["check", "-", "--strict"], BAD);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("-: error: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("[sum.column]"), "{}", stdout(&o));
    let o = gongkai_stdin(args!["check", "-"], GOOD);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "-: ok\n");

    let o = gongkai_stdin(args!["inspect", "-"], GOOD);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["source"]["path"], "stdin");
    assert_eq!(doc["tables"][0]["title"], "项目支出表");
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = temp("quiet");
    let file = write(&dir.join("in/t.txt"), GOOD);
    let runs = [
        args!["convert", file, "-t", "md", "-o", dir.join("c"), "-q"],
        args!["-q", "convert", file, "-t", "md", "-o", dir.join("c2")],
        args!["check", file, "--quiet"],
        args![
            "batch",
            dir.join("in"),
            "-t",
            "md",
            "-o",
            dir.join("b"),
            "-q"
        ],
        args!["inspect", file, "-q"],
    ];
    for (i, run) in runs.into_iter().enumerate() {
        let o = gongkai(run);
        assert_eq!(o.status.code(), Some(0), "run {i}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "run {i}");
        match i {
            // batch keeps its summary and the manifest's path
            3 => assert_eq!(stdout(&o).lines().count(), 2, "run {i}: {}", stdout(&o)),
            4 => {}
            _ => assert_eq!(stdout(&o), "", "run {i}"),
        }
    }
    assert!(dir.join("c/t.md").is_file() && dir.join("b/t.md").is_file());
    // Without it, each says what it did.
    let o = gongkai(args!["convert", file, "-t", "md", "-o", dir.join("d")]);
    assert!(stdout(&o).contains("→"), "{}", stdout(&o));
    let o = gongkai(args!["-q", "-v", "check", file]);
    assert_eq!(o.status.code(), Some(2), "--quiet and --verbose conflict");
}

#[test]
fn strict_fails_before_anything_is_written() {
    let dir = temp("strict");
    let file = write(&dir.join("bad.txt"), BAD);
    let out = dir.join("o");
    let o = gongkai(args!["convert", file, "--strict", "-o", out]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("gongkai: error: ")
            && stderr(&o)
                .contains("1 finding(s) at error or worse and --strict=error: not written"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "not even the folder");
    // The same file without --strict is written, its finding a warning.
    let o = gongkai(args!["convert", file, "-t", "md", "-o", out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("[sum.column]"), "{}", stderr(&o));
    assert!(out.join("bad.md").is_file());
}

/// A tree of `n` tables in folders, one of them with a wrong total.
fn tree(dir: &Path, n: usize) -> PathBuf {
    let root = dir.join("tree");
    for i in 0..n {
        let text = if i == 3 { BAD } else { GOOD };
        write(&root.join(format!("部门{}/表{i:02}.txt", i % 3)), text);
    }
    root
}

#[test]
fn batch_lines_come_in_the_order_of_the_inputs() {
    let dir = temp("order");
    let root = tree(&dir, 12);
    let run = |out: &str| {
        let o = gongkai(args![
            "batch",
            root,
            "-t",
            "md",
            "-j",
            "4",
            "-o",
            dir.join(out)
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let first = run("a");
    let lines: Vec<&str> = first.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(lines.len(), 12, "{first}");
    let mut paths = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        assert!(line.starts_with(&format!("[{}/12] ", i + 1)), "{first}");
        paths.push(line.split(": ").next().unwrap().split("] ").nth(1).unwrap());
    }
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "in the walk's order: {first}");
    let progress = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.starts_with('['))
            .map(str::to_string)
            .collect()
    };
    for out in ["b", "c"] {
        assert_eq!(
            progress(&run(out)),
            progress(&first),
            "the same lines each run"
        );
    }
}

#[test]
fn batch_verbose_prints_every_warning() {
    let dir = temp("verbose");
    let root = tree(&dir, 5);
    let o = gongkai(args!["batch", root, "-t", "md", "-o", dir.join("a")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("warning:"),
        "counted only: {}",
        stderr(&o)
    );
    let o = gongkai(args![
        "batch",
        root,
        "-t",
        "md",
        "-o",
        dir.join("b"),
        "--verbose"
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("b/manifest.json")).unwrap()).unwrap();
    let mut expected = Vec::new();
    for f in manifest["files"].as_array().unwrap() {
        for w in f["warnings"].as_array().into_iter().flatten() {
            expected.push((
                f["path"].as_str().unwrap().to_string(),
                w["message"].to_string(),
            ));
        }
    }
    assert!(!expected.is_empty(), "the wrong total is a warning");
    let err = stderr(&o);
    let printed: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ")).collect();
    assert_eq!(printed.len(), expected.len(), "{err}");
    for (path, message) in &expected {
        let message = message.trim_matches('"');
        assert!(
            printed
                .iter()
                .any(|l| l.starts_with(&format!("{path}: warning: ")) && l.contains(message)),
            "{path}: {message} not in {err}"
        );
    }
}

#[test]
fn completions_and_the_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = gongkai(args!["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["gongkai", "convert", "batch", "template", "strict"] {
            assert!(script.contains(word), "{shell}: {word} missing");
        }
    }
    let o = gongkai(args!["completions", "tcsh"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown shell is a usage mistake"
    );

    let o = gongkai(args!["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.contains(".TH gongkai"), "a man page header");
    for word in [
        "convert",
        "batch",
        "book",
        "check",
        "inspect",
        "completions",
    ] {
        assert!(page.contains(word), "{word} missing from the man page");
    }
}
