//! Exact amounts from the ways clerks write them: "3,593.00", "３，５９３．００",
//! "-12.50", "(12.50)", "－12.5", "12.5%". Never through f64.

use rust_decimal::Decimal;
use std::str::FromStr;

/// The smallest number of decimals an amount keeps: budget tables show
/// money to the fen.
pub(crate) const AMOUNT_SCALE: u32 = 2;

/// A number parsed from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Parsed {
    /// A plain amount.
    Amount(Decimal),
    /// A percentage in percent units.
    Percent(Decimal),
}

/// Parses an amount or percentage; `None` when the text is not one.
pub(crate) fn parse_number(text: &str) -> Option<Parsed> {
    // Only these characters can be in a number below; any other (a
    // letter, a Han character) makes it no number. Most cells are text,
    // often long, so they are told at their first character.
    if !text.chars().all(could_be_in_number) {
        return None;
    }
    let mut s: String = text
        .trim_matches(|c: char| c.is_whitespace())
        .chars()
        .map(half_width)
        .filter(|c| *c != ' ')
        .collect();
    if s.is_empty() {
        return None;
    }
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') && s.len() > 2 {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    let percent = s.ends_with('%');
    if percent {
        s.pop();
    }
    if let Some(rest) = s.strip_prefix(['¥', '￥']) {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_prefix('-') {
        if negative {
            return None;
        }
        negative = true;
        s = rest.to_string();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    let digits = strip_grouping(&s)?;
    let mut value = Decimal::from_str(&digits).ok()?;
    if negative {
        value.set_sign_negative(true);
    }
    Some(if percent {
        Parsed::Percent(value)
    } else {
        Parsed::Amount(value)
    })
}

/// Whether `c` may stand in a text [`parse_number`] reads as a number:
/// whitespace, a digit, a separator, a sign, a bracket of a negative, a
/// percent or yuan sign, or the full-width form of one ([`half_width`]
/// maps those, so the list here is of ASCII alone).
fn could_be_in_number(c: char) -> bool {
    let c = half_width(c);
    c.is_whitespace()
        || c.is_ascii_digit()
        || matches!(c, '.' | ',' | '-' | '+' | '(' | ')' | '%' | '¥' | '￥')
}

/// Maps full-width digits and punctuation, and the other minus signs, to
/// ASCII; leaves everything else alone.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '．' => '.',
        '，' => ',',
        '－' | '−' | '‐' => '-',
        '＋' => '+',
        '（' => '(',
        '）' => ')',
        '％' => '%',
        '\u{3000}' => ' ',
        c => c,
    }
}

/// Checks digit grouping and removes the separators: "1,234.50" →
/// "1234.50"; "12,5" and "1.2.3" are not numbers.
fn strip_grouping(s: &str) -> Option<String> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    if let Some(f) = frac
        && (f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let mut out: String = int.chars().filter(|c| *c != ',').collect();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// Gives an amount at least [`AMOUNT_SCALE`] decimals ("3593" → "3593.00");
/// more decimals stay as they are.
pub(crate) fn with_min_scale(mut d: Decimal) -> Decimal {
    if d.scale() < AMOUNT_SCALE {
        d.rescale(AMOUNT_SCALE);
    }
    d
}

/// Formats an amount for a public table: thousands separators and at least
/// two decimals ("3,593.00", "-24.40").
pub fn format_amount(d: Decimal) -> String {
    let d = with_min_scale(d);
    let s = d.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::with_capacity(s.len() + s.len() / 3 + 1);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if d.is_sign_negative() && !d.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Formats a percentage ("95.50%").
pub fn format_percent(d: Decimal) -> String {
    format!("{d}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(s: &str) -> Option<String> {
        match parse_number(s)? {
            Parsed::Amount(d) => Some(with_min_scale(d).to_string()),
            Parsed::Percent(_) => None,
        }
    }

    #[test]
    fn parses_the_ways_amounts_are_written() {
        assert_eq!(amount("3,593.00").as_deref(), Some("3593.00"));
        assert_eq!(amount("3593").as_deref(), Some("3593.00"));
        assert_eq!(amount("３，５９３．００").as_deref(), Some("3593.00"));
        assert_eq!(amount("-12.50").as_deref(), Some("-12.50"));
        assert_eq!(amount("(12.50)").as_deref(), Some("-12.50"));
        assert_eq!(amount("（12.50）").as_deref(), Some("-12.50"));
        assert_eq!(amount("－24.4").as_deref(), Some("-24.40"));
        assert_eq!(amount(" 7,293,957.15 ").as_deref(), Some("7293957.15"));
        assert_eq!(amount("0.125").as_deref(), Some("0.125"));
        assert_eq!(amount("¥1,000").as_deref(), Some("1000.00"));
        assert_eq!(amount("￥1,000").as_deref(), Some("1000.00"));
        assert_eq!(amount("\u{3000}1 000\u{3000}").as_deref(), Some("1000.00"));
        assert_eq!(amount("＋1‐").as_deref(), None);
        assert_eq!(amount("+1").as_deref(), Some("1.00"));
        assert_eq!(amount("−1").as_deref(), Some("-1.00"));
        assert_eq!(amount("‐1").as_deref(), Some("-1.00"));
        assert_eq!(amount("＋1").as_deref(), Some("1.00"));
        assert_eq!(
            parse_number("９５．５％"),
            Some(Parsed::Percent(Decimal::from_str("95.5").unwrap()))
        );
        assert_eq!(
            parse_number("95.5%"),
            Some(Parsed::Percent(Decimal::from_str("95.5").unwrap()))
        );
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for s in [
            "",
            "-",
            "—",
            "合计",
            "12,5",
            "1.2.3",
            "1,2345.00",
            "12a",
            "(-1)",
            ".5",
            "5.",
            "--1",
            "1万",
            "约100",
            "100元",
            "1\t000",
        ] {
            assert_eq!(parse_number(s), None, "{s:?}");
        }
    }

    #[test]
    fn formats_with_separators() {
        let f = |s: &str| format_amount(Decimal::from_str(s).unwrap());
        assert_eq!(f("3593"), "3,593.00");
        assert_eq!(f("-24.4"), "-24.40");
        assert_eq!(f("7293957.15"), "7,293,957.15");
        assert_eq!(f("0"), "0.00");
        assert_eq!(f("999.999"), "999.999");
        assert_eq!(f("100000"), "100,000.00");
    }
}
