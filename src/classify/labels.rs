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
