//! Golden files: text forms of the outputs that read well in a diff (a
//! PDF's structure, a DOCX's `document.xml` one element a line), and a
//! comparison that names the first differing lines.

use super::pdf;
use std::fmt::Write as _;
use std::io::Read as _;

/// The structure of a PDF as text: the page count, each page's MediaBox,
/// the fonts (BaseFont, subtype, embedded), and each page's text runs with
/// their position (x, baseline y, in points, rounded to a tenth) and size.
pub fn pdf_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    let sizes = pdf::page_sizes(bytes);
    let _ = writeln!(out, "pages {}", sizes.len());
    for (i, (w, h)) in sizes.iter().enumerate() {
        let _ = writeln!(out, "page {} mediabox {} {}", i + 1, tenth(*w), tenth(*h));
    }
    let mut fonts: Vec<String> = pdf::fonts(bytes)
        .into_iter()
        .map(|f| {
            format!(
                "font {} {}{}{}",
                f.base_font,
                f.subtype,
                if f.embedded { " embedded" } else { "" },
                if f.to_unicode { " tounicode" } else { "" }
            )
        })
        .collect();
    fonts.sort();
    fonts.dedup();
    for f in fonts {
        let _ = writeln!(out, "{f}");
    }
    // The runs one text-showing operator draws (several runs of a line
    // joined by large offsets) share its start: they make one line, the
    // runs apart by " ‖ ".
    let mut lines: Vec<(usize, String, Vec<String>)> = Vec::new();
    for run in pdf::text_runs(bytes) {
        let at = format!("{} {} {}", tenth(run.x), tenth(run.y), tenth(run.size));
        match lines.last_mut() {
            Some((page, last, texts)) if *page == run.page && *last == at => texts.push(run.text),
            _ => lines.push((run.page, at, vec![run.text])),
        }
    }
    let mut page = usize::MAX;
    for (p, at, texts) in lines {
        if p != page {
            page = p;
            let _ = writeln!(out, "== page {}", page + 1);
        }
        let _ = writeln!(out, "{at} {}", texts.join(" ‖ "));
    }
    out
}

/// A number rounded to a tenth, without a trailing ".0".
fn tenth(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    match s.strip_suffix(".0") {
        Some("-0") => "0".to_string(),
        Some(int) => int.to_string(),
        None => s,
    }
}

/// `word/document.xml` of a DOCX, one element or text a line.
pub fn docx_document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("the DOCX has word/document.xml")
        .read_to_string(&mut xml)
        .expect("word/document.xml is UTF-8");
    pretty_xml(&xml)
}

/// XML with each tag and each text on its own line, indented two spaces
/// a level. Text is kept exactly (it stands alone on its line).
pub fn pretty_xml(xml: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = xml;
    while !rest.is_empty() {
        let (token, after) = match rest.find('<') {
            Some(0) => match rest.find('>') {
                Some(end) => rest.split_at(end + 1),
                None => (rest, ""),
            },
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        rest = after;
        if token.starts_with("</") {
            depth = depth.saturating_sub(1);
            push_line(&mut out, depth, token);
        } else if token.starts_with('<') {
            push_line(&mut out, depth, token);
            let opens =
                !token.ends_with("/>") && !token.starts_with("<?") && !token.starts_with("<!");
            if opens {
                depth += 1;
            }
        } else if !token.trim().is_empty() {
            push_line(&mut out, depth, token);
        }
    }
    out
}

fn push_line(out: &mut String, depth: usize, token: &str) {
    for _ in 0..depth {
        out.push_str("  ");
    }
    out.push_str(token);
    out.push('\n');
}

/// Compares `actual` with `expected` line by line; on a difference, a
/// readable report: the first differing line numbers with a few lines of
/// context of both sides, and the line counts.
pub fn line_diff(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    // Where the two sides agree again, if they do within a window: the end
    // of the changed stretch on each side.
    let tail_e = e.len() - first;
    let tail_a = a.len() - first;
    let same_tail = e[first..]
        .iter()
        .rev()
        .zip(a[first..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
        .min(tail_e)
        .min(tail_a);
    let end_e = e.len() - same_tail;
    let end_a = a.len() - same_tail;
    const CONTEXT: usize = 3;
    const SHOWN: usize = 20;
    let mut out = format!(
        "first difference at line {} (expected {} lines, got {}; changed: expected lines {}..{}, got lines {}..{})\n",
        first + 1,
        e.len(),
        a.len(),
        first + 1,
        end_e,
        first + 1,
        end_a
    );
    for (n, l) in e
        .iter()
        .enumerate()
        .take(first)
        .skip(first.saturating_sub(CONTEXT))
    {
        let _ = writeln!(out, "  {:>6} | {l}", n + 1);
    }
    for (n, l) in e
        .iter()
        .enumerate()
        .take(end_e.min(first + SHOWN))
        .skip(first)
    {
        let _ = writeln!(out, "- {:>6} | {l}", n + 1);
    }
    if end_e > first + SHOWN {
        let _ = writeln!(out, "- … {} more", end_e - first - SHOWN);
    }
    for (n, l) in a
        .iter()
        .enumerate()
        .take(end_a.min(first + SHOWN))
        .skip(first)
    {
        let _ = writeln!(out, "+ {:>6} | {l}", n + 1);
    }
    if end_a > first + SHOWN {
        let _ = writeln!(out, "+ … {} more", end_a - first - SHOWN);
    }
    for (n, l) in a.iter().enumerate().skip(end_a).take(CONTEXT) {
        let _ = writeln!(out, "  {:>6} | {l}", n + 1);
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final newline differs)\n");
    }
    Some(out)
}
