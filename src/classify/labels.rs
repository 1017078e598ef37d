//! Labels of rows: totals (合计, 总计), subtotals (小计) and outline
//! numbering (一、 ⊃ （一） ⊃ 1. ⊃ （1）).

/// Whether a label names a total row: 合计, 总计, 本年收入合计, 收入总计 ….
pub(crate) fn is_total_label(label: &str) -> bool {
    let compact: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    /// Longest label still read as a total ("本年支出合计" and the like).
    const MAX_TOTAL_LABEL_CHARS: usize = 12;
    compact.chars().count() <= MAX_TOTAL_LABEL_CHARS
        && (compact.ends_with("合计") || compact.ends_with("总计"))
}

/// Whether a label names a subtotal row (小计).
pub(crate) fn is_subtotal_label(label: &str) -> bool {
    let compact: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    compact == "小计"
}

/// The outline level of a numbered label: 一、 → 1, （一） → 2, 1. or 1、 → 3,
/// （1） → 4.
pub(crate) fn outline_level(label: &str) -> Option<u8> {
    const NUMERALS: &str = "一二三四五六七八九十百";
    let t = label.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if first == '（' || first == '(' {
        let inner: String = chars
            .clone()
            .take_while(|c| *c != '）' && *c != ')')
            .collect();
        if inner.is_empty() {
            return None;
        }
        if inner.chars().all(|c| NUMERALS.contains(c)) {
            return Some(2);
        }
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(4);
        }
        return None;
    }
    let head: String = t
        .chars()
        .take_while(|c| NUMERALS.contains(*c) || c.is_ascii_digit())
        .collect();
    if head.is_empty() {
        return None;
    }
    let after = t[head.len()..].chars().next()?;
    let chinese = head.chars().all(|c| NUMERALS.contains(c));
    match (chinese, after) {
        (true, '、') => Some(1),
        (false, '、' | '.' | '．')
            if !t[head.len() + after.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Some(3)
        }
        _ => None,
    }
}

/// Levels from outline numbering, one per row: a total is level 0; the
/// kinds of numbering used (一、 ⊃ （一） ⊃ 1. ⊃ （1）) rank 1, 2, … in
/// that order; a row without numbering is level 1. Numbering that starts
/// again at its first item right under a row without numbering nests under
/// that row (年初财政拨款结转和结余 over 一、一般公共预算财政拨款, 二、…,
/// 三、…), until a total or the next row without numbering.
pub(crate) fn outline_levels(labels: &[Option<&str>], totals: &[bool]) -> Vec<u8> {
    let outline: Vec<Option<u8>> = labels.iter().map(|l| l.and_then(outline_level)).collect();
    let distinct: std::collections::BTreeSet<u8> = outline.iter().flatten().copied().collect();
    let rank = |l: u8| {
        distinct
            .iter()
            .position(|&d| d == l)
            .map_or(1, |p| p as u8 + 1)
    };
    let mut base = 0u8;
    (0..labels.len())
        .map(|i| {
            if totals.get(i).copied().unwrap_or(false) {
                base = 0;
                return 0;
            }
            match outline[i] {
                Some(o) => base.saturating_add(rank(o)),
                None => {
                    let opens = outline.get(i + 1).copied().flatten().is_some()
                        && labels
                            .get(i + 1)
                            .copied()
                            .flatten()
                            .is_some_and(is_first_item);
                    base = u8::from(opens);
                    1
                }
            }
        })
        .collect()
}

/// Whether a numbered label is the first of its list: 一、, （一）, 1. or
/// 1、, （1）.
fn is_first_item(label: &str) -> bool {
    let t = label.trim_start();
    let t = t.strip_prefix(['（', '(']).unwrap_or(t);
    let mut chars = t.chars();
    matches!(chars.next(), Some('一' | '1'))
        && chars
            .next()
            .is_some_and(|c| !c.is_ascii_digit() && !"一二三四五六七八九十百".contains(c))
}

/// Levels from classification codes, one per row: a code is the child of
/// the nearest earlier code that is a proper prefix of it (201 ⊃ 20101 ⊃
/// 2010101, 301 ⊃ 30101); a total row is level 0 and starts afresh; a row
/// without a code is level 1.
pub(crate) fn code_prefix_levels(codes: &[Option<String>], totals: &[bool]) -> Vec<u8> {
    let mut stack: Vec<&str> = Vec::new();
    codes
        .iter()
        .zip(totals)
        .map(|(code, &total)| {
            if total {
                stack.clear();
                return 0;
            }
            let Some(code) = code else { return 1 };
            while stack
                .last()
                .is_some_and(|top| !(code.starts_with(top) && code.len() > top.len()))
            {
                stack.pop();
            }
            stack.push(code);
            stack.len().min(u8::MAX as usize) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals() {
        assert!(is_total_label("合计"));
        assert!(is_total_label("合  计"));
        assert!(is_total_label("本年收入合计"));
        assert!(is_total_label("收入总计"));
        assert!(!is_total_label("小计"));
        assert!(!is_total_label("广州开发区民营经济和企服局"));
    }

    #[test]
    fn numbering_restarted_under_an_unnumbered_row_nests_under_it() {
        let labels = [
            Some("一、一般公共预算财政拨款"),
            Some("二、政府性基金预算财政拨款"),
            Some("本年收入合计"),
            Some("年初财政拨款结转和结余"),
            Some("一、一般公共预算财政拨款"),
            Some("二、政府性基金预算财政拨款"),
            Some("总计"),
        ];
        let totals = [false, false, true, false, false, false, true];
        assert_eq!(outline_levels(&labels, &totals), [1, 1, 0, 1, 2, 2, 0]);
        // Without the restart, an unnumbered row is a sibling.
        let labels = [
            Some("一、工资"),
            Some("上年结转"),
            Some("二、其他"),
            Some("合计"),
        ];
        let totals = [false, false, false, true];
        assert_eq!(outline_levels(&labels, &totals), [1, 1, 1, 0]);
        assert!(is_first_item("（一）财政拨款"));
        assert!(!is_first_item("十一、城乡社区支出"));
        assert!(!is_first_item("12、其他"));
    }

    #[test]
    fn outline() {
        assert_eq!(outline_level("一、本年收入"), Some(1));
        assert_eq!(outline_level("（一）一般公共预算拨款"), Some(2));
        assert_eq!(outline_level("1.办公费"), Some(3));
        assert_eq!(outline_level("（1）水费"), Some(4));
        assert_eq!(outline_level("2024年预算数"), None);
        assert_eq!(outline_level("1.5万元"), None);
        assert_eq!(outline_level("上年结转"), None);
    }
}
