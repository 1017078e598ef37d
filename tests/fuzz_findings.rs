//! Regression tests for the inputs a fuzzing campaign found breaking
//! gongkai (issue 16; reproducers in tests/fixtures/fuzz, copied from
//! ../shared/fuzz-findings). Each runs the real binary on the reproducer
//! for all four outputs: exit 0 with sane output or exit 1 with one line
//! of error naming the limit or the damage — never a panic, an abort, a
//! backtrace or a hang. Time and memory are measured by
//! scripts/fuzz_findings.sh, not here.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name)
}

fn out_dir(tag: &str) -> PathBuf {
    let d = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-fuzz-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn gongkai(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the gongkai binary runs")
}

fn convert(input: &Path, tag: &str, extra: &[&str]) -> (Output, PathBuf) {
    let out = out_dir(tag);
    let mut args: Vec<&std::ffi::OsStr> = vec!["convert".as_ref(), input.as_os_str()];
    args.push("--out".as_ref());
    args.push(out.as_os_str());
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    (gongkai(&args), out)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit 1 with exactly one error line on stderr (warnings of the reading
/// before it may stand above it) that contains every `needle`.
fn assert_refused(o: &Output, needles: &[&str]) {
    assert_refused_with(o, 1, needles);
}

fn assert_refused_with(o: &Output, code: i32, needles: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stderr: {err}");
    let errors: Vec<&str> = err.lines().filter(|l| !l.contains(": warning: ")).collect();
    assert_eq!(errors.len(), 1, "one line of error: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(errors[0].contains(n), "{n:?} not in: {err}");
    }
}

#[test]
fn f01_json_empty_header_path_is_an_error_naming_the_json_path() {
    let (o, _) = convert(&fixture("F01_json_empty_path_panic.json"), "f01", &[]);
    assert_refused(&o, &["tables[0].columns[1].path", "empty"]);
    let inspect = gongkai(&[
        "inspect".as_ref(),
        fixture("F01_json_empty_path_panic.json").as_os_str(),
    ]);
    assert_eq!(inspect.status.code(), Some(1), "inspect refuses it too");
}

#[test]
fn f02_json_deep_header_path_is_refused_by_header_depth() {
    let (o, _) = convert(&fixture("F02_json_deep_header_path.json"), "f02", &[]);
    assert_refused(
        &o,
        &[
            "tables[0].columns[2].path",
            "10000",
            "header_depth = 16",
            "--limits header_depth=",
        ],
    );
}

#[test]
fn f03_ods_huge_space_run_is_refused_before_calamine_allocates() {
    let (o, _) = convert(&fixture("F03_ods_text_s_1e9.ods"), "f03", &[]);
    assert_refused(&o, &["content.xml", "1000000000 spaces"]);
}

/// Found in this session: a 87 KB .ods (the seed's content.xml with a
/// million `<text:s text:c="1000"/>` in one cell, zipped by Python) made
/// the ods pre-scan write out a gigabyte of spaces before it refused the
/// cell (983 MB peak). Run under a 400 MB address-space limit, that was an
/// abort; now the spaces stop at cell_chars and the refusal comes at once.
#[test]
fn f08_a_million_space_runs_in_one_ods_cell_are_refused_without_the_memory() {
    let file = fixture("F08_ods_million_text_s_runs.ods");
    let (o, _) = convert(&file, "f08", &[]);
    assert_refused(&o, &["content.xml", "1000000000 spaces", "cell_chars"]);
    #[cfg(target_os = "linux")]
    {
        let o = Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 400000 && exec \"$0\" inspect \"$1\"")
            .arg(env!("CARGO_BIN_EXE_gongkai"))
            .arg(&file)
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("sh runs");
        assert_refused(&o, &["1000000000 spaces"]);
    }
}

#[test]
fn f04_xls_library_panics_are_one_line_without_backtrace() {
    for name in ["F04a_xls_formula_panic.xls", "F04b_xls_utils_panic.xls"] {
        let (o, _) = convert(&fixture(name), "f04", &[]);
        assert_refused(&o, &["the .xls workbook is damaged"]);
        assert!(!stderr(&o).contains("stack backtrace"), "{name}");
        // A panic gongkai catches and reports is no bug: RUST_BACKTRACE
        // (set in many CI and developer shells) does not bring it back.
        for backtrace in ["1", "full"] {
            let out = out_dir("f04-backtrace");
            let o = Command::new(env!("CARGO_BIN_EXE_gongkai"))
                .arg("convert")
                .arg(fixture(name))
                .args(["--to", "pdf,md", "--out"])
                .arg(&out)
                .env("RUST_BACKTRACE", backtrace)
                .output()
                .expect("the gongkai binary runs");
            assert_refused(&o, &["the .xls workbook is damaged"]);
            assert!(!stderr(&o).contains("panicked"), "{name}: {}", stderr(&o));
        }
    }
}

#[test]
fn f05_a_thousand_sheet_entries_are_refused_by_the_tables_limit() {
    let (o, _) = convert(&fixture("F05_xlsx_1000_sheet_entries.xlsx"), "f05", &[]);
    assert_refused(&o, &["1000 tables", "tables = 256"]);
    // Raised past 1,000, the same part listed again is still damage.
    let (o, _) = convert(
        &fixture("F05_xlsx_1000_sheet_entries.xlsx"),
        "f05b",
        &["--limits", "tables=5000"],
    );
    assert_refused(&o, &["listed 1000 times"]);
}

/// A mutant of F05 that the 30-minute cargo-fuzz run of read_xlsx found
/// slow (34 s under AddressSanitizer): the sheet XML was scanned for hidden
/// rows once per listed entry before the list was checked. The list is now
/// checked first: with the one sheet part damaged (its CRC flipped by
/// Python after zipfile wrote it), the refusal names the list limit, which
/// it could not if that part had been read before.
#[test]
fn f09_the_sheet_list_is_checked_before_any_sheet_is_read() {
    let file = fixture("F09_xlsx_1000_entries_damaged_sheet.xlsx");
    let (o, _) = convert(&file, "f09", &[]);
    assert_refused(&o, &["1000 tables", "tables = 256"]);
    let (o, _) = convert(&file, "f09b", &["--limits", "tables=5000"]);
    assert_refused(&o, &["listed 1000 times"]);
}

#[test]
fn f06_deeply_nested_docx_tables_are_refused_by_the_nesting_limit() {
    let (o, _) = convert(&fixture("F06_docx_nested_tables_16x.docx"), "f06", &[]);
    assert_refused(&o, &["nesting = 4"]);
}

#[test]
fn f07a_page_tall_header_is_refused_by_cell_chars_and_then_by_pages() {
    let input = fixture("F07a_txt_pdf_memory_blowup_utf16.txt");
    let (o, _) = convert(&input, "f07a", &[]);
    assert_refused(&o, &["50000 characters in one cell", "cell_chars = 32767"]);
    // With the cell limit raised, the PDF stops at the page limit instead
    // of growing for ever.
    let (o, _) = convert(
        &input,
        "f07a2",
        &[
            "--to",
            "pdf",
            "--limits",
            "cell_chars=100000,pages_per_table=50",
        ],
    );
    assert_refused(&o, &["pages_per_table = 50"]);
}

#[test]
fn f07b_thousand_character_header_gives_a_short_pdf() {
    // The 1,000-character run of `*` in a header cell once set as a column
    // one character wide: 837 pages. Header labels now wrap between
    // characters at the fitted column width, so the header stays short and
    // the PDF has a page or two.
    let (o, out) = convert(&fixture("F07b_txt_pdf_837_pages_min.txt"), "f07b", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    let pdf = std::fs::read(out.join("F07b_txt_pdf_837_pages_min.pdf")).unwrap();
    let pages = common::pdf::page_sizes(&pdf).len();
    assert!((1..=4).contains(&pages), "{pages} pages");
    assert!(out.join("F07b_txt_pdf_837_pages_min.docx").is_file());
}

#[test]
fn special_files_are_refused_before_reading() {
    let dir = out_dir("special");
    std::fs::create_dir_all(dir.join("folder.txt")).unwrap();
    // A folder given to convert is a usage mistake (exit 2), with the
    // commands that take folders.
    let (o, _) = convert(&dir.join("folder.txt"), "dir", &[]);
    assert_refused_with(&o, 2, &["is a folder", "gongkai batch"]);
    #[cfg(unix)]
    {
        let (o, _) = convert(Path::new("/dev/zero"), "zero", &[]);
        assert_refused(&o, &["not a regular file", "device"]);
        let fifo = dir.join("pipe.txt");
        let made = Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let o = gongkai(&["inspect".as_ref(), fifo.as_os_str()]);
            assert_refused(&o, &["not a regular file", "FIFO"]);
        } else {
            eprintln!("mkfifo not available: FIFO case skipped");
        }
        let profile = dir.join("zero-font.toml");
        std::fs::write(&profile, "[fonts.body]\nfile = \"/dev/zero\"\n").unwrap();
        let (o, _) = convert(
            &fixture("F07b_txt_pdf_837_pages_min.txt"),
            "zerofont",
            &["--to", "md", "--template", profile.to_str().unwrap()],
        );
        assert_refused(&o, &["fonts.body.file", "not a regular file"]);
        // A font file that is a FIFO would block, a folder is no font:
        // both refused before anything is read.
        let fifo_font = dir.join("pipe.ttf");
        let folder_font = dir.join("folder.ttf");
        std::fs::create_dir_all(&folder_font).unwrap();
        let made = Command::new("mkfifo").arg(&fifo_font).status();
        let mut fonts = vec![folder_font];
        if made.is_ok_and(|s| s.success()) {
            fonts.push(fifo_font);
        }
        for font in fonts {
            std::fs::write(
                &profile,
                format!("[fonts.body]\nfile = {:?}\n", font.to_str().unwrap()),
            )
            .unwrap();
            let (o, _) = convert(
                &fixture("F07b_txt_pdf_837_pages_min.txt"),
                "specialfont",
                &["--to", "pdf", "--template", profile.to_str().unwrap()],
            );
            assert_refused(&o, &["fonts.body.file", "not a regular file"]);
        }
    }
}

#[test]
fn a_limit_lowered_on_the_command_line_refuses_with_its_name() {
    let text = "支出表\n项目\t金额\n办公费\t1.00\n印刷费\t2.00\n合计\t3.00\n";
    let dir = out_dir("limits");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("t.txt");
    std::fs::write(&input, text).unwrap();
    let (o, _) = convert(&input, "rows", &["--limits", "rows=2"]);
    assert_refused(&o, &["rows = 2", "--limits rows="]);
    let (o, _) = convert(&input, "bytes", &["--limits", "text_input_bytes=10"]);
    assert_refused(&o, &["text_input_bytes = 10"]);
    let (o, _) = convert(&input, "ok", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = gongkai(&[
        "convert".as_ref(),
        input.as_os_str(),
        "--out".as_ref(),
        dir.as_os_str(),
        "--limits".as_ref(),
        "rowz=1".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2), "an unknown key is a usage error");
    assert!(stderr(&o).contains("unknown limit 'rowz'"));
}

#[test]
fn a_profile_limits_table_raises_and_lowers_limits() {
    let dir = out_dir("profile-limits");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("t.txt");
    std::fs::write(&input, "支出表\n项目\t金额\n办公费\t1.00\n印刷费\t2.00\n").unwrap();
    let profile = dir.join("p.toml");
    std::fs::write(&profile, "[limits]\nrows = 1\n").unwrap();
    let (o, _) = convert(&input, "p", &["--template", profile.to_str().unwrap()]);
    assert_refused(&o, &["rows = 1"]);
    // The flag goes over the profile.
    let (o, _) = convert(
        &input,
        "p2",
        &[
            "--template",
            profile.to_str().unwrap(),
            "--limits",
            "rows=10",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_book_chapter_outside_the_folder_is_an_error_naming_it() {
    let dir = out_dir("book");
    let folder = dir.join("dept");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(dir.join("outside.md"), "# 外面\n\n不在文件夹里。\n").unwrap();
    std::fs::write(
        folder.join("支出表.txt"),
        "支出表\n项目\t金额\n办公费\t1.00\n合计\t1.00\n",
    )
    .unwrap();
    std::fs::write(folder.join("book.toml"), "chapters = [\"../outside.md\"]\n").unwrap();
    let err = gongkai::book::build(&folder, &gongkai::book::BookOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("chapters: '../outside.md' is not a file of the folder"),
        "{err}"
    );
}

#[test]
fn an_input_name_of_244_bytes_gives_every_output() {
    let dir = out_dir("long-name");
    std::fs::create_dir_all(&dir).unwrap();
    // 240 bytes of stem plus ".txt": legal, and each output name is 244
    // bytes or less, but a temporary name with a suffix would not be.
    let stem = "预".repeat(80);
    assert_eq!(stem.len(), 240);
    let input = dir.join(format!("{stem}.txt"));
    std::fs::write(&input, "支出表\n项目\t金额\n办公费\t1.00\n合计\t1.00\n").unwrap();
    let (o, out) = convert(&input, "long-name-out", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for ext in ["pdf", "docx", "md", "json"] {
        assert!(out.join(format!("{stem}.{ext}")).is_file(), "{ext}");
    }
}

#[test]
fn jobs_zero_is_a_usage_error() {
    let out = out_dir("jobs0");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/departments");
    let o = gongkai(&[
        "batch".as_ref(),
        root.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--jobs".as_ref(),
        "0".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--jobs 0 runs nothing"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "nothing is written");
}

/// A CSV whose third header label is `segments` ten-character pieces
/// long, over 80 body rows.
fn tall_header_csv(dir: &Path, segments: usize) -> PathBuf {
    let label: String = (0..segments)
        .map(|i| format!("说明文字第{i:03}段"))
        .collect();
    let mut text = format!("项目支出表\n项目,科目编码,{label},金额\n");
    for i in 0..80 {
        text.push_str(&format!("办公费{i},2010101,日常,{i}.00\n"));
    }
    let path = dir.join(format!("tall{segments}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn header_rows_taller_than_half_a_page_are_printed_once() {
    let dir = out_dir("tall-in");
    std::fs::create_dir_all(&dir).unwrap();
    // 150 pieces: about 134 mm of header on A4 landscape, more than half
    // the page and less than all of it.
    let (o, out) = convert(&tall_header_csv(&dir, 150), "tall", &["--to", "pdf"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("more than half the page") && err.contains("printed once"),
        "{err}"
    );
    let pdf = std::fs::read(out.join("tall150.pdf")).unwrap();
    let pages: Vec<String> = common::pdf::page_texts(&pdf)
        .iter()
        .map(|p| common::pdf::compact(p))
        .collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    // The header on the first page only; every body row somewhere.
    assert!(pages[0].contains("说明文字第075段"), "{}", pages[0]);
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(
            !p.contains("说明文字第075段"),
            "header repeated on page {}",
            i + 1
        );
    }
    let all = pages.concat();
    for i in 0..80 {
        assert!(all.contains(&format!("办公费{i}")), "row {i} missing");
    }
    // Taller than the whole page: the PDF is an error, never cut off.
    let (o, out) = convert(&tall_header_csv(&dir, 250), "taller", &["--to", "pdf"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("taller than the page") && !err.contains("panicked"),
        "{err}"
    );
    assert!(!out.join("tall250.pdf").exists());
}

/// The cargo-fuzz harness (fuzz/src/lib.rs, what every target calls),
/// compiled here so that stable Rust and CI check it without nightly.
#[path = "../fuzz/src/lib.rs"]
mod harness;

/// Every input format has a cargo-fuzz target (the xlsm is read by the
/// xlsx reader), each target is seeded by fuzz/seed.sh, and the harness
/// runs every reproducer through each reader and the seeds through every
/// writer without a panic.
#[test]
fn every_reader_has_a_fuzz_target_and_the_harness_runs_on_stable() {
    use gongkai::Format;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::fs::read_to_string(root.join("fuzz/Cargo.toml")).unwrap();
    let seed_sh = std::fs::read_to_string(root.join("fuzz/seed.sh")).unwrap();
    let targets: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"'))
        .filter(|n| *n != "gongkai-fuzz")
        .collect();
    let readers = [
        Format::Text,
        Format::Csv,
        Format::Fixed,
        Format::Markdown,
        Format::Json,
        Format::Xlsx,
        Format::Xlsb,
        Format::Xls,
        Format::Ods,
        Format::Docx,
    ];
    let mut covered: Vec<Format> = Vec::new();
    for t in &targets {
        let source = std::fs::read_to_string(root.join(format!("fuzz/fuzz_targets/{t}.rs")))
            .unwrap_or_else(|e| panic!("target {t}: {e}"));
        assert!(
            seed_sh.contains(&format!("target={t};")),
            "fuzz/seed.sh seeds no corpus for {t}"
        );
        let format = source
            .split("gongkai::Format::")
            .nth(1)
            .and_then(|rest| rest.split(')').next());
        match format {
            Some(name) => covered.push(
                *readers
                    .iter()
                    .find(|f| format!("{f:?}") == name)
                    .unwrap_or_else(|| panic!("target {t}: no reader of {name}")),
            ),
            None => assert!(source.contains("all_writers"), "target {t}: {source}"),
        }
    }
    for format in readers {
        assert!(covered.contains(&format), "no fuzz target reads {format}");
    }
    assert!(targets.contains(&"all_writers"), "{targets:?}");
    // Stands for libFuzzer's hook, which aborts on any panic: a panic
    // gongkai catches and reports (F04's .xls) must not reach it.
    static ESCAPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    std::panic::set_hook(Box::new(|_| {
        ESCAPED.store(true, std::sync::atomic::Ordering::SeqCst)
    }));
    for entry in std::fs::read_dir(root.join("tests/fixtures/fuzz")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for format in &covered {
            harness::read_as(&bytes, *format);
        }
    }
    for entry in std::fs::read_dir(root.join("tests/fixtures/corpus/seed")).unwrap() {
        harness::all_writers(&std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(
        !ESCAPED.load(std::sync::atomic::Ordering::SeqCst),
        "a panic reached the fuzzer's hook"
    );
}
