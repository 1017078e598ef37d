//! Limits (issue 16): every limit is a key of `Limits` that a profile's
//! `[limits]` or `--limits` moves, the README's table lists each with its
//! default, and the Word reader, the workbook text bound and the profile's
//! font files are held to the keys, not to constants of their own.

use gongkai::limits::{Limit, Limits};
use gongkai::{Document, ReadOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the corpus's seed folder, made by python-docx, openpyxl and
/// LibreOffice (see tests/fixtures/corpus/README.md).
fn seed(name: &str) -> PathBuf {
    root().join("tests/fixtures/corpus/seed").join(name)
}

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read_with_profile_limits(path: &Path, limits_toml: &str) -> Result<Document, gongkai::Error> {
    let profile = gongkai::profile::Profile::parse(
        &format!("[limits]\n{limits_toml}\n"),
        "test profile",
        None,
    )
    .unwrap_or_else(|e| panic!("profile: {e}"));
    gongkai::read_path(path, &ReadOptions::default().with_limits(profile.limits))
}

fn gongkai(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run gongkai")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `256 MiB` or `20,000` as a number.
fn readme_value(text: &str) -> u64 {
    let (number, factor) = match text.strip_suffix(" MiB") {
        Some(n) => (n, 1024 * 1024),
        None => (text, 1),
    };
    number
        .replace(',', "")
        .parse::<u64>()
        .unwrap_or_else(|e| panic!("README default '{text}': {e}"))
        * factor
}

#[test]
fn the_readme_table_lists_every_limit_with_its_default() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("\n### Limits\n")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("README has a Limits section");
    let rows: Vec<(String, String, String)> = section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let key = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((
                key.to_string(),
                cells.get(2)?.to_string(),
                cells.get(4)?.to_string(),
            ))
        })
        .collect();
    let keys: Vec<&str> = rows.iter().map(|(k, _, _)| k.as_str()).collect();
    let expected: Vec<&str> = Limit::ALL.iter().map(|l| l.key()).collect();
    assert_eq!(keys, expected, "README's Limits table against Limit::ALL");
    let defaults = Limits::default();
    for ((key, default, raise), limit) in rows.iter().zip(Limit::ALL) {
        assert_eq!(
            readme_value(default),
            defaults.get(limit),
            "README's default of {key}"
        );
        assert_eq!(
            raise,
            &format!("`--limits {key}=N`, `[limits] {key} = N`"),
            "how to raise {key}"
        );
    }
}

#[test]
fn a_profile_moves_the_word_grid_cells_limit() {
    let docx = seed("budget.docx");
    let doc = gongkai::read_path(&docx, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("default limits: {e}"));
    let positions: usize = doc
        .tables
        .iter()
        .map(|t| t.rows.len() * t.columns.len())
        .sum();
    assert!(positions > 10, "the tables have {positions} cells");
    let err = read_with_profile_limits(&docx, "docx_grid_cells = 10")
        .expect_err("a 10-position grid limit")
        .to_string();
    assert!(
        err.contains("budget.docx: table 1, row ")
            && err
                .contains("grid positions of the Word tables, over the limit docx_grid_cells = 10")
            && err.contains("[limits] docx_grid_cells = N in a profile"),
        "{err}"
    );
    read_with_profile_limits(&docx, "docx_grid_cells = 2_000_000\nrows = 100")
        .unwrap_or_else(|e| panic!("raised limit: {e}"));
}

#[test]
fn the_limits_flag_moves_the_word_grid_columns_limit() {
    let dir = scratch("grid-columns");
    let docx = seed("budget.docx");
    let out = gongkai(&[
        "convert".as_ref(),
        docx.as_os_str(),
        "--to".as_ref(),
        "md".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
        "--limits".as_ref(),
        "docx_grid_columns=3".as_ref(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("grid columns in one Word table, over the limit docx_grid_columns = 3")
            && err.contains("--limits docx_grid_columns=N"),
        "{err}"
    );
    let out = gongkai(&[
        "convert".as_ref(),
        docx.as_os_str(),
        "--to".as_ref(),
        "md".as_ref(),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("budget.md").is_file());
}

#[test]
fn a_style_chain_over_the_limit_is_a_warning_naming_it() {
    // python-docx's template bases 'Heading 1 Char'-like styles on
    // Heading 1, itself based on Normal: chains of three.
    let docx = seed("budget.docx");
    let code = "style-chain-limit";
    let doc = gongkai::read_path(&docx, &ReadOptions::default()).unwrap();
    assert!(!doc.warnings.iter().any(|w| w.code == code));
    let doc = read_with_profile_limits(&docx, "docx_style_chain = 2").unwrap();
    let warning = doc
        .warnings
        .iter()
        .find(|w| w.code == code)
        .expect("a style-chain-limit warning");
    assert!(
        warning.message.contains("more than 2 styles")
            && warning.message.contains("--limits docx_style_chain=N"),
        "{warning:?}"
    );
    // The table reads the same: styles only refine alignment and emphasis.
    let default = gongkai::read_path(&docx, &ReadOptions::default()).unwrap();
    assert_eq!(doc.tables.len(), default.tables.len());
    assert_eq!(doc.tables[0].rows.len(), default.tables[0].rows.len());
}

#[test]
fn a_profile_moves_the_workbook_text_limit() {
    let xlsx = seed("budget.xlsx");
    let err = read_with_profile_limits(&xlsx, "sheet_text_bytes = 20")
        .expect_err("20 bytes of text")
        .to_string();
    assert!(
        err.contains("bytes of text together")
            && err.contains("[limits] sheet_text_bytes = N in a profile"),
        "{err}"
    );
    read_with_profile_limits(&xlsx, "sheet_text_bytes = 1_048_576")
        .unwrap_or_else(|e| panic!("1 MiB of text: {e}"));
}

#[test]
fn font_files_are_held_to_font_bytes_which_the_flag_raises() {
    let dir = scratch("font-bytes");
    let font = root().join("fonts/NotoSerifSC-Regular-common.ttf");
    let size = std::fs::metadata(&font).unwrap().len();
    let profile = dir.join("small-fonts.toml");
    std::fs::write(
        &profile,
        format!(
            "[fonts.body]\nfile = {:?}\n\n[limits]\nfont_bytes = {}\n",
            font.display().to_string(),
            size - 1
        ),
    )
    .unwrap();
    let input = seed("budget.csv");
    let convert = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "convert".as_ref(),
            input.as_os_str(),
            "--to".as_ref(),
            "md".as_ref(),
            "--out".as_ref(),
            dir.as_os_str(),
            "--template".as_ref(),
            profile.as_os_str(),
        ];
        args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
        gongkai(&args)
    };
    let out = convert(&[]);
    let err = stderr(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "{size} bytes in the font file, over the limit font_bytes = {}",
            size - 1
        )) && err.contains("--limits font_bytes=N"),
        "{err}"
    );
    let raised = format!("font_bytes={size}");
    let out = convert(&["--limits", &raised]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A book as a whole is held to `pages`, the document's page limit: its
/// layout stops at the first part past the limit and the PDF is refused
/// with the limit named, no file written; at the book's own page count it
/// is written.
#[test]
fn a_book_is_held_to_the_pages_limit() {
    let folder = root().join("examples/departments/广州开发区民营经济和企业服务局");
    let book = |dir: &Path, pages: usize| {
        gongkai(&[
            "book".as_ref(),
            folder.as_os_str(),
            "--to".as_ref(),
            "pdf".as_ref(),
            "--out".as_ref(),
            dir.as_os_str(),
            "--limits".as_ref(),
            format!("pages={pages}").as_ref(),
        ])
    };
    let refused = scratch("book-pages-5");
    let out = book(&refused, 5);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let error: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("gongkai: error"))
        .collect();
    assert_eq!(error.len(), 1, "{err}");
    assert!(
        error[0].contains("the book: 6 PDF pages for the document, over the limit pages = 5")
            && error[0].contains("--limits pages=N"),
        "{err}"
    );
    let written = std::fs::read_dir(&refused).map_or(0, |d| d.count());
    assert_eq!(written, 0, "{refused:?}");
    // Cover, 目录 and 19 numbered pages: 21 pass, 20 do not.
    let twenty = scratch("book-pages-20");
    let over = book(&twenty, 20);
    assert_eq!(over.status.code(), Some(1), "{}", stderr(&over));
    assert!(stderr(&over).contains("21 PDF pages for the document, over the limit pages = 20"));
    let fits = scratch("book-pages-21");
    let out = book(&fits, 21);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let pdf = std::fs::read_dir(&fits).unwrap().count();
    assert_eq!(pdf, 1);
    for dir in [refused, twenty, fits] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
