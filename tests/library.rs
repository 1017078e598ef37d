//! The library example (examples/library.rs), run through its own code
//! path: it sees only the crate's public API, as any program using gongkai
//! does, and must make what the command line makes.

#[allow(dead_code)]
#[path = "../examples/library.rs"]
mod library;

mod common;

use common::{corpus, pdf};
use gongkai::Profile;
use gongkai::check::Severity;
use std::path::PathBuf;
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("gongkai-library-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `gongkai convert FILE -o OUT -t md,pdf -q`.
fn cli(input: &std::path::Path, out: &std::path::Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("convert")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["-t", "md,pdf", "-q"])
        .status()
        .unwrap();
    assert!(status.success(), "gongkai convert {}", input.display());
}

#[test]
fn the_example_reads_checks_and_writes_what_the_cli_writes() {
    let input = corpus("seed/budget.xlsx");
    let dir = scratch("seed");
    let report = library::run(&input, &dir.join("lib"), Profile::default()).unwrap();

    assert_eq!(report.titles, ["项目支出绩效目标表（含转移支付项目）"]);
    // The seed mixes up two indicator levels: warnings, no error.
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"indicator.level"), "{rules:?}");
    assert!(rules.contains(&"indicator.code"), "{rules:?}");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
    assert!(report.disclosure.is_empty(), "{:?}", report.disclosure);

    let names: Vec<String> = report
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["budget.md", "budget.pdf"]);
    let md = std::fs::read_to_string(&report.written[0]).unwrap();
    assert!(md.contains("| 合计 | 3,593.00 | 3,593.00 |"), "{md}");
    let pdf_bytes = std::fs::read(&report.written[1]).unwrap();
    let text = pdf::compact(&pdf::text(&pdf_bytes));
    assert!(
        text.contains("项目支出绩效目标表（含转移支付项目）"),
        "{text}"
    );
    assert!(text.contains("3,593.00"), "{text}");

    // The same bytes as the command line's.
    cli(&input, &dir.join("cli"));
    for name in &names {
        assert_eq!(
            std::fs::read(dir.join("lib").join(name)).unwrap(),
            std::fs::read(dir.join("cli").join(name)).unwrap(),
            "{name}: the example and `gongkai convert` differ"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_example_publishes_the_masked_version_and_says_what_it_masked() {
    let input = corpus("variants/v08_项目支出绩效目标表_含个人信息.txt");
    let dir = scratch("v08");
    let report = library::run(&input, &dir.join("lib"), Profile::default()).unwrap();

    let masked: Vec<&str> = ["an e-mail address", "a mobile number", "an ID number"]
        .into_iter()
        .filter(|kind| report.disclosure.iter().any(|d| d.contains(kind)))
        .collect();
    assert_eq!(masked.len(), 3, "{:?}", report.disclosure);
    let md = std::fs::read_to_string(&report.written[0]).unwrap();
    let pdf_text = pdf::compact(&pdf::text(&std::fs::read(&report.written[1]).unwrap()));
    for secret in ["13800138000", "44010619800101001X", "lixiaoming@"] {
        assert!(!md.contains(secret), "{secret} in the Markdown");
        assert!(!pdf_text.contains(secret), "{secret} in the PDF");
    }
    assert!(md.contains("红山街道社区网格化管理服务"), "{md}");

    cli(&input, &dir.join("cli"));
    for path in &report.written {
        let name = path.file_name().unwrap();
        assert_eq!(
            std::fs::read(path).unwrap(),
            std::fs::read(dir.join("cli").join(name)).unwrap(),
            "{}: the example and `gongkai convert` differ",
            name.to_string_lossy()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
