//! The lines around a table: title, meta lines (部门名称：…, 单位：万元) and
//! notes (注：…, 说明：…).

use crate::model::{Align, Meta};

/// Keys that mark a meta line above a table.
const META_KEYS: &[&str] = &[
    "部门名称",
    "部门",
    "编制部门",
    "编制单位",
    "单位名称",
    "填报单位",
    "预算单位",
    "单位",
    "金额单位",
    "计量单位",
    "年度",
    "预算年度",
    "填报日期",
    "报送日期",
    "日期",
    "填报人",
    "审核人",
    "负责人",
    "联系人",
    "联系电话",
    "表号",
];

/// Words that open a note under a table.
const NOTE_MARKERS: &[&str] = &[
    "注",
    "说明",
    "备注",
    "附注",
    "附：",
    "资料来源",
    "数据来源",
    "填表说明",
];

/// Longest key of a key：value line that is not one of [`META_KEYS`].
const MAX_GENERIC_KEY_CHARS: usize = 6;

/// Splits `key：value` (full-width or ASCII colon).
fn split_key(text: &str) -> Option<(&str, &str)> {
    let idx = text.find(['：', ':'])?;
    let key = text[..idx].trim();
    let colon_len = text[idx..].chars().next().map_or(1, char::len_utf8);
    let value = text[idx + colon_len..].trim();
    Some((key, value))
}

/// Whether a line opens a note (注：…, 说明：…, 注1.…).
pub(crate) fn is_note_start(text: &str) -> bool {
    let t = text.trim_start();
    NOTE_MARKERS.iter().any(|m| t.starts_with(m))
}

/// Whether a line has the form of a meta line above a table.
pub(crate) fn looks_like_meta(text: &str) -> bool {
    let t = text.trim();
    if is_note_start(t) {
        return false;
    }
    if split_parts(t).len() > 1 {
        return true;
    }
    meta_key(t).is_some()
}

/// The key of a meta line, if `text` is one.
fn meta_key(text: &str) -> Option<&str> {
    let (key, value) = split_key(text)?;
    if value.is_empty() && !META_KEYS.contains(&key) {
        return None;
    }
    if META_KEYS.contains(&key) {
        return Some(key);
    }
    let chars = key.chars().count();
    let plain = key
        .chars()
        .all(|c| !c.is_ascii_digit() && !c.is_whitespace());
    ((2..=MAX_GENERIC_KEY_CHARS).contains(&chars) && plain).then_some(key)
}

/// Splits a line holding several meta items ("部门名称：X　　单位：万元") at
/// runs of two or more spaces, tabs or ideographic spaces.
fn split_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut gap_start: Option<usize> = None;
    let mut gap_width = 0;
    for (i, c) in text.char_indices() {
        let wide = match c {
            '\u{3000}' | '\t' => 2,
            ' ' => 1,
            _ => 0,
        };
        if wide > 0 {
            if gap_start.is_none() {
                gap_start = Some(i);
                gap_width = 0;
            }
            gap_width += wide;
        } else {
            if let Some(g) = gap_start.take()
                && gap_width >= 2
                && g > start
            {
                parts.push(text[start..g].trim());
                start = i;
            }
            gap_width = 0;
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    if parts.len() > 1 && parts.iter().all(|p| meta_key(p).is_some()) {
        parts
    } else {
        vec![text.trim()]
    }
}

/// Turns a line into meta entries (several when the line holds several
/// key：value items).
pub(crate) fn parse_meta(text: &str, align: Align) -> Vec<Meta> {
    let parts = split_parts(text);
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let (key, value) = match meta_key(part).and_then(|_| split_key(part)) {
                Some((k, v)) => (Some(k.to_string()), v.to_string()),
                None => (None, part.to_string()),
            };
            let align = if n > 1 && i == n - 1 && i > 0 {
                Align::Right
            } else {
                align
            };
            Meta {
                key,
                value,
                text: part.to_string(),
                align,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_lines() {
        assert!(looks_like_meta(
            "部门名称：广州开发区民营经济和企业服务局（部门）"
        ));
        assert!(looks_like_meta("单位：万元"));
        assert!(looks_like_meta("单位:万元"));
        assert!(!looks_like_meta("说明：本表反映部门收入"));
        assert!(!looks_like_meta("项目支出绩效目标表（含转移支付项目）"));
        let m = parse_meta("编制部门：上海市普陀区财政局　　　　单位：元", Align::Left);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key.as_deref(), Some("编制部门"));
        assert_eq!(m[1].value, "元");
        assert_eq!(m[1].align, Align::Right);
        let one = parse_meta("部门名称：某局 （部门）", Align::Left);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].value, "某局 （部门）");
    }

    #[test]
    fn notes() {
        assert!(is_note_start("注：科目编码为7位"));
        assert!(is_note_start("说明：本表"));
        assert!(!is_note_start("合计"));
    }
}
