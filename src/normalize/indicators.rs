//! Performance indicators (绩效指标) of the form
//! `1、1-产出指标,11-数量指标,名称; 实施周期指标值:…,年度指标值:…; 2、…`,
//! parsed into [`Indicator`]s kept beside the cell's text.

use crate::model::{CodeName, Indicator, Table, Value};

const PERIOD_MARK: &str = "实施周期指标值";
const ANNUAL_MARK: &str = "年度指标值";

/// Parses a 绩效指标 text; `None` when it does not follow the pattern (the
/// text then stays as it is, unstructured).
pub(crate) fn parse(text: &str) -> Option<Vec<Indicator>> {
    let items = split_items(text);
    if items.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(items.len());
    for (seq, body) in items {
        out.push(parse_item(seq, body)?);
    }
    Some(out)
}

/// Splits at the running numbers "1、", "2、" … — each must be the next
/// number and stand at the start or after a separator, so "第2、3季度"
/// inside a name is not a split.
fn split_items(text: &str) -> Vec<(u32, &str)> {
    let mut starts: Vec<(u32, usize, usize)> = Vec::new(); // (seq, number start, body start)
    let mut expected = 1u32;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_ascii_digit() {
            let before_ok = i == 0
                || matches!(
                    chars[i - 1].1,
                    ';' | '；' | '。' | ' ' | '\u{3000}' | '\n' | '\t'
                );
            let mut j = i;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            if before_ok && j < chars.len() && chars[j].1 == '、' {
                let n: u32 = text[pos..chars[j].0].parse().unwrap_or(0);
                if n == expected {
                    starts.push((n, pos, chars[j].0 + '、'.len_utf8()));
                    expected += 1;
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    if starts
        .first()
        .is_none_or(|s| !text[..s.1].trim().is_empty())
    {
        return Vec::new();
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, &(seq, _, body))| {
            let end = starts.get(k + 1).map_or(text.len(), |next| next.1);
            (seq, &text[body..end])
        })
        .collect()
}

fn code_name(part: &str) -> Option<CodeName> {
    let (code, name) = part.trim().split_once('-')?;
    let code = code.trim();
    let name = name.trim();
    (!code.is_empty() && code.chars().all(|c| c.is_ascii_digit()) && !name.is_empty()).then(|| {
        CodeName {
            code: code.to_string(),
            name: name.to_string(),
        }
    })
}

fn trim_separators(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '，' | ';' | '；' | '。' | ':' | '：')
    })
}

fn parse_item(seq: u32, body: &str) -> Option<Indicator> {
    let mut parts = body.splitn(3, [',', '，']);
    let level1 = code_name(parts.next()?)?;
    let level2 = code_name(parts.next()?)?;
    let rest = parts.next()?;
    let period_at = rest.find(PERIOD_MARK);
    let annual_at = rest.find(ANNUAL_MARK);
    let name_end = [period_at, annual_at]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let name = trim_separators(&rest[..name_end]).to_string();
    let value_after = |at: usize, mark: &str, end: usize| {
        let v = trim_separators(&rest[at + mark.len()..end]);
        (!v.is_empty()).then(|| v.to_string())
    };
    let period_target = period_at.and_then(|p| {
        let end = annual_at.filter(|&a| a > p).unwrap_or(rest.len());
        value_after(p, PERIOD_MARK, end)
    });
    let annual_target = annual_at.and_then(|a| {
        let end = period_at.filter(|&p| p > a).unwrap_or(rest.len());
        value_after(a, ANNUAL_MARK, end)
    });
    if name.is_empty() {
        return None;
    }
    Some(Indicator {
        seq,
        level1: Some(level1),
        level2: Some(level2),
        name,
        period_target,
        annual_target,
    })
}

/// Parses the cells of every 绩效指标 column and keeps the indicators beside
/// the text.
pub(crate) fn annotate(table: &mut Table) {
    let cols: Vec<usize> = table
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.contains("绩效指标"))
        .map(|(i, _)| i)
        .collect();
    for row in &mut table.rows {
        for &c in &cols {
            if let Some(cell) = row.cells.get_mut(c)
                && let Value::Text(text) = &cell.value
                && let Some(found) = parse(text)
            {
                cell.indicators = found;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_forms() {
        let t = "1、2-效益指标,24-可持续影响,平台缺陷修复情况 实施周期指标值:缺陷修复率达85%,年度指标值:缺陷修复率达85%; 2、1-产出指标,12-数量指标,功能优化情况 实施周期指标值:对平台功能进行优化,优化功能10条以上。年度指标值:优化功能10条以上。";
        let got = parse(t).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].level1.as_ref().unwrap().name, "效益指标");
        assert_eq!(got[0].level2.as_ref().unwrap().code, "24");
        assert_eq!(got[0].name, "平台缺陷修复情况");
        assert_eq!(got[0].period_target.as_deref(), Some("缺陷修复率达85%"));
        assert_eq!(got[0].annual_target.as_deref(), Some("缺陷修复率达85%"));
        assert_eq!(
            got[1].period_target.as_deref(),
            Some("对平台功能进行优化,优化功能10条以上")
        );
        assert_eq!(got[1].annual_target.as_deref(), Some("优化功能10条以上"));
    }

    #[test]
    fn full_width_separators_and_only_annual() {
        let t = "1、1-产出指标,11-数量指标,新建高标准农田面积；实施周期指标值：≥１２００亩，年度指标值：≥１２００亩；2、1-产出指标,11-数量指标,数字化页数;年度指标值:120万页。";
        let got = parse(t).unwrap();
        assert_eq!(got[0].name, "新建高标准农田面积");
        assert_eq!(got[0].period_target.as_deref(), Some("≥１２００亩"));
        assert_eq!(got[1].period_target, None);
        assert_eq!(got[1].annual_target.as_deref(), Some("120万页"));
    }

    #[test]
    fn prose_is_not_indicators() {
        assert!(parse("聘请有资质的运营维护公司，对平台进行维护。").is_none());
        assert!(parse("第2、3季度完成").is_none());
    }
}
