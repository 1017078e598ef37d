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
pub(super) fn key(title: &str, department: Option<&str>) -> String {
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
    // A unit's book says 单位 where a department's says 部门 (单位主要职能
    // for "上海市普陀区商务委员会主要职能").
    // "上海市财政局（单位）主要职能", the template's "XX（部门）主要职能":
    // the word in brackets qualifies the name before it.
    t.replace("单位", "部门")
        .replace("(部门)", "部门")
        .replace("部门部门", "部门")
}

/// The outline level of a 目录 entry; "4．2025年…" (a full-width point,
/// never a decimal one, before a year) is numbered like "4. 2025年…".
fn entry_level(text: &str) -> Option<u8> {
    crate::classify::outline_level(text).or_else(|| {
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        (digits > 0 && text[digits..].starts_with('．')).then_some(3)
    })
}

/// Entries shorter than this must match a title whole; longer ones may
/// match its end (目录 "项目经费情况说明" for the page title
/// "人民调解项目经费情况说明": a title may name its project or department
/// first).
const MIN_SUFFIX_CHARS: usize = 4;

fn same_title(part: &str, entry: &str) -> bool {
    part == entry || (entry.chars().count() >= MIN_SUFFIX_CHARS && part.ends_with(entry))
}

/// The document's parts as the 目录 comparison sees them: each title's
/// key, and the key of it joined with the next (a title broken over two
/// lines), made once.
struct Parts {
    one: Vec<String>,
    two: Vec<String>,
}

impl Parts {
    fn new(raw: &[&str], dept: Option<&str>) -> Parts {
        let one = raw.iter().map(|t| key(t, dept)).collect();
        let two = raw
            .windows(2)
            .map(|w| key(&format!("{}{}", w[0], w[1]), dept))
            .collect();
        Parts { one, two }
    }

    /// Where `entry` stands among the parts in `from..to`: the index after
    /// the part (or the two parts) it matches.
    fn find(&self, from: usize, to: usize, entry: &str) -> Option<usize> {
        (from..to.min(self.one.len())).find_map(|k| {
            if same_title(&self.one[k], entry) {
                Some(k + 1)
            } else {
                let two = self.two.get(k).filter(|_| k + 1 < to)?;
                same_title(two, entry).then_some(k + 2)
            }
        })
    }
}

/// A 目录 longer than this is checked in its first entries only (a
/// budget's has a few dozen; the bound keeps a text of thousands of short
/// lines from costing entries × parts comparisons).
const MAX_ENTRIES: usize = 1_000;

/// Adds the 目录 findings.
pub fn check(d: &Disclosure, out: &mut Vec<Finding>) {
    let Some(toc) = d.chapters.iter().find(|c| fold(&c.title) == "目录") else {
        return;
    };
    let dept = d.department.as_deref();
    let raw: Vec<&str> = d
        .outline
        .iter()
        .filter(|t| fold(t) != "目录")
        .map(String::as_str)
        .collect();
    let parts = Parts::new(&raw, dept);
    let end = raw.len();
    let level = |s: &str| entry_level(s.trim());
    let mut cursor = 0;
    let mut i = 0;
    while i < toc.paragraphs.len().min(MAX_ENTRIES) {
        let p = &toc.paragraphs[i];
        let entry = key(&p.text, dept);
        i += 1;
        if entry.is_empty() {
            continue;
        }
        if let Some(to) = parts.find(cursor, end, &entry) {
            cursor = to;
            continue;
        }
        let next = toc.paragraphs.get(i);
        // An entry broken over two lines ("第二部分 …部门决算" and "表").
        if let Some(next) = next {
            let joined = key(
                &format!("{}{}", entry_text(&p.text), entry_text(&next.text)),
                dept,
            );
            if let Some(to) = parts.find(cursor, end, &joined) {
                cursor = to;
                i += 1;
                continue;
            }
        }
        // The heading of a group of entries ("五、部门预算表" over "1. …"),
        // which a document's pages need not print.
        // (Its line may be broken too: "第二部分 …部门决算" and "表" over
        // "一、收入支出决算总表".)
        let broken = next.is_some_and(|n| {
            level(&n.text).is_none() && key(&n.text, dept).chars().count() < MIN_SUFFIX_CHARS
        });
        let below = if broken {
            toc.paragraphs.get(i + 1)
        } else {
            next
        };
        let deeper = below.and_then(|n| level(&n.text));
        if deeper.is_some_and(|n| level(&p.text).is_none_or(|l| l < n)) {
            if broken {
                i += 1;
            }
            continue;
        }
        let place = Place::text(&toc.title, &toc.file, i, 0);
        let shown = entry_text(&p.text);
        if parts.find(0, cursor, &entry).is_some() {
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
