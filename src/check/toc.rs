//! The document's own 目录 (a chapter titled 目录): every entry has its
//! chapter or table, in order, with the same title — compared without
//! spaces, dot leaders, page numbers and outline numbers, full-width and
//! half-width forms alike, and with the department's name read as 部门
//! (目录 "部门主要职能" for the page title "上海市普陀区财政局主要职能") and
//! a leading year left out (目录 "部门预算编制说明" for "2025年部门预算编制说明").

use super::cross::strip_outline;
use super::finding::{Finding, Place};
use super::{Disclosure, fold};

/// A 目录 line without its dot leader and page number.
fn entry_text(line: &str) -> &str {
    line.trim()
        .trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
        .trim_end_matches(['…', '.', '·', '．', '-', '—', ' ', '\u{3000}'])
        .trim_end()
}

/// A title as the 目录 comparison sees it.
fn key(title: &str, department: Option<&str>) -> String {
    let t = entry_text(title);
    let mut t = fold(strip_outline(t));
    // "1．" (a full-width point) is no outline number to the normalizer.
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && t[digits..].starts_with(['.', '、']) {
        t = t[digits + 1..].to_string();
    }
    while let Some(rest) = t.strip_suffix(['…', '.', '·']) {
        t = rest.to_string();
    }
    // A year before the title ("2025年部门预算编制说明" for the 目录's
    // "部门预算编制说明").
    let chars: Vec<char> = t.chars().collect();
    if chars.len() > 5 && chars[..4].iter().all(char::is_ascii_digit) && chars[4] == '年' {
        let skip = if chars[5] == '度' { 6 } else { 5 };
        t = chars[skip..].iter().collect();
    }
    if let Some(d) = department.map(fold).filter(|d| !d.is_empty()) {
        t = t.replace(&d, "部门");
    }
    t.replace("部门部门", "部门")
}

/// Adds the 目录 findings.
pub fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    let Some(toc) = d.chapters.iter().find(|c| fold(&c.title) == "目录") else {
        return;
    };
    let dept = d.department.as_deref();
    let parts: Vec<String> = d
        .outline
        .iter()
        .filter(|t| fold(t) != "目录")
        .map(|t| key(t, dept))
        .collect();
    let mut cursor = 0;
    for (i, p) in toc.paragraphs.iter().enumerate() {
        let entry = key(&p.text, dept);
        if entry.is_empty() {
            continue;
        }
        let place = Place::text(&toc.title, &toc.file, i + 1, 0);
        let shown = entry_text(&p.text);
        if let Some(k) = parts[cursor.min(parts.len())..]
            .iter()
            .position(|t| *t == entry)
        {
            cursor += k + 1;
        } else if parts[..cursor.min(parts.len())].contains(&entry) {
            out.push(
                Finding::new(
                    "toc.entry",
                    place,
                    format!("the 目录 entry “{shown}” comes after an entry that follows it in the document"),
                )
                .values(shown, "in the document's order"),
            );
        } else {
            out.push(
                Finding::new(
                    "toc.entry",
                    place,
                    format!("the 目录 entry “{shown}” has no chapter or table of that title"),
                )
                .values(shown, "a chapter or table of that title"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn entries_compare_without_leaders_numbers_and_the_department() {
        assert_eq!(
            key("  4．2025年部门财政拨款收支预算总表   ……………… 12", None),
            "部门财政拨款收支预算总表"
        );
        assert_eq!(key("一、部门主要职能 ……………", None), "部门主要职能");
        assert_eq!(
            key("上海市普陀区财政局主要职能", Some("上海市普陀区财政局")),
            "部门主要职能"
        );
        assert_eq!(
            key("2025年部门预算编制说明", None),
            key("2025年 部门预算编制说明", None)
        );
    }
}
