//! Spreadsheet numbers: the one place where gongkai turns floating point
//! into exact decimals, and where a cell's number format decides the scale,
//! the percent sign and the text a reader shows.
//!
//! The rule, in one sentence: a float becomes the decimal its shortest
//! round-trip string spells (Rust's `Display` of `f64`), rounded to the 15
//! significant digits Excel itself keeps, and then padded (never rounded) to
//! the decimals the number format shows. So 3593 under `#,##0.00` is
//! 3593.00, `0.1 + 0.2` (stored as 0.30000000000000004) is 0.3, and −0.005
//! under `#,##0.00` stays −0.005: exactness first, a display format never
//! removes digits the value has.

use crate::read::RawNumber;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// Significant decimal digits Excel stores and shows: a double carries
/// 15–17, and Excel rounds every value it displays or compares to 15, so
/// any digit beyond is an artefact of binary floating point (0.1 + 0.2 =
/// 0.30000000000000004), not something a clerk typed.
pub(super) const EXCEL_SIGNIFICANT_DIGITS: u32 = 15;

/// Most decimals a format may ask for; Excel allows 30, more than
/// [`Decimal`] holds (28).
const MAX_FORMAT_DECIMALS: u32 = 20;

/// The exact decimal of a spreadsheet float; `None` for NaN, infinities
/// and magnitudes beyond [`Decimal`] (about 7.9 × 10²⁸).
pub(super) fn decimal_from_f64(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    // `Display` of f64 is the shortest string that reads back to the same
    // double, and never uses an exponent.
    let d = Decimal::from_str(&f.to_string()).ok()?;
    let d = d
        .round_sf_with_strategy(
            EXCEL_SIGNIFICANT_DIGITS,
            RoundingStrategy::MidpointAwayFromZero,
        )
        .unwrap_or(d)
        .normalize();
    Some(if d.is_zero() { Decimal::ZERO } else { d })
}

/// What a number format says about how a value is shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct NumFormat {
    /// Decimals shown; `None` for General (as many as the value has).
    pub decimals: Option<u32>,
    /// Thousands separators shown.
    pub grouping: bool,
    /// A percentage: the value is shown × 100 with a % sign.
    pub percent: bool,
    /// Negative values shown in parentheses rather than with a minus.
    pub parens: bool,
    /// Dates are shown with 年/月/日 rather than as YYYY-MM-DD.
    pub chinese_date: bool,
}

impl NumFormat {
    /// Reads an Excel format code such as `#,##0.00;[Red]-#,##0.00` or
    /// `0.0%`. Only the parts that matter for an exact value are read:
    /// decimals, grouping, percent, parentheses for negatives.
    pub(super) fn parse(code: &str) -> NumFormat {
        let sections = split_sections(code);
        let first = sections.first().map_or("", String::as_str);
        let mut f = NumFormat {
            chinese_date: code.contains('年'),
            ..NumFormat::default()
        };
        if first.trim().eq_ignore_ascii_case("general") || first.trim().is_empty() {
            return f;
        }
        let mut decimals: Option<u32> = None;
        let mut seen_digit = false;
        let mut chars = first.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '0' | '#' | '?' => {
                    seen_digit = true;
                    if let Some(d) = decimals.as_mut() {
                        *d += 1;
                    }
                }
                '.' if decimals.is_none()
                    && (seen_digit
                        || chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?'))) =>
                {
                    decimals = Some(0);
                }
                ',' if seen_digit && chars.peek().is_some_and(|n| matches!(n, '0' | '#' | '?')) => {
                    f.grouping = true;
                }
                '%' => f.percent = true,
                // Scientific notation: the exponent's digits are not decimals.
                'E' | 'e' if seen_digit => break,
                _ => {}
            }
        }
        if seen_digit {
            f.decimals = Some(decimals.unwrap_or(0).min(MAX_FORMAT_DECIMALS));
        }
        f.parens = sections.get(1).is_some_and(|s| s.contains('('));
        f
    }

    /// The typed number and the shown text of value `d` under this format.
    pub(super) fn apply(&self, d: Decimal) -> (RawNumber, String) {
        if self.percent {
            let p = pad((d * Decimal::ONE_HUNDRED).normalize(), self.decimals);
            (RawNumber::Percent(p), format!("{}%", self.show(p)))
        } else {
            let a = pad(d, self.decimals);
            (RawNumber::Amount(a), self.show(a))
        }
    }

    fn show(&self, d: Decimal) -> String {
        let digits = if self.grouping {
            group(&d.abs().to_string())
        } else {
            d.abs().to_string()
        };
        match (d.is_sign_negative() && !d.is_zero(), self.parens) {
            (false, _) => digits,
            (true, true) => format!("({digits})"),
            (true, false) => format!("-{digits}"),
        }
    }
}

/// Splits a format code into its `;` sections, dropping quoted literals,
/// escaped characters, `[…]` colours/conditions/locales and the padding
/// (`_x`) and fill (`*x`) characters, none of which says anything about the
/// number.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            ';' => sections.push(String::new()),
            c => {
                if let Some(s) = sections.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    sections
}

/// Pads `d` to at least `decimals` decimals; never rounds.
fn pad(mut d: Decimal, decimals: Option<u32>) -> Decimal {
    if let Some(k) = decimals
        && d.scale() < k
    {
        d.rescale(k);
    }
    d
}

/// Inserts thousands separators into an unsigned decimal string.
fn group(s: &str) -> String {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    let n = int.chars().count();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// The format a shown text implies (ODS stores the shown text beside the
/// value): its decimals, its grouping, its percent sign.
pub(super) fn format_of_shown(shown: &str, percent: bool) -> NumFormat {
    let t = shown.trim();
    let body = t.trim_end_matches(['%', '％']).trim();
    let digits_after = body
        .rsplit_once('.')
        .map(|(_, f)| f.chars().take_while(char::is_ascii_digit).count() as u32);
    NumFormat {
        decimals: Some(digits_after.unwrap_or(0).min(MAX_FORMAT_DECIMALS)),
        grouping: body.contains(','),
        percent,
        parens: body.starts_with('(') && body.ends_with(')'),
        chinese_date: false,
    }
}

/// Shows a spreadsheet date or time: `2025-01-15`, `2025-01-15 08:30:00`,
/// `2025年1月15日` when the format writes 年, `8:30:00` for a duration.
pub(super) fn show_date(dt: &calamine::ExcelDateTime, format: &NumFormat) -> String {
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() {
        let hours = (dt.as_f64() * 24.0).floor();
        return format!("{hours}:{mi:02}:{s:02}");
    }
    let date = if format.chinese_date {
        format!("{y}年{mo}月{d}日")
    } else {
        format!("{y:04}-{mo:02}-{d:02}")
    };
    if (h, mi, s) == (0, 0, 0) {
        date
    } else if dt.as_f64() < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{date} {h:02}:{mi:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn floats_become_the_decimals_a_clerk_typed() {
        let f = |x: f64| decimal_from_f64(x).map(|d| d.to_string());
        assert_eq!(f(3593.0).as_deref(), Some("3593"));
        assert_eq!(f(0.1 + 0.2).as_deref(), Some("0.3"));
        assert_eq!(f(1e15).as_deref(), Some("1000000000000000"));
        assert_eq!(f(-0.005).as_deref(), Some("-0.005"));
        assert_eq!(f(8426.35).as_deref(), Some("8426.35"));
        assert_eq!(f(7293957.15).as_deref(), Some("7293957.15"));
        assert_eq!(f(-24.4).as_deref(), Some("-24.4"));
        assert_eq!(f(-0.0).as_deref(), Some("0"));
        assert_eq!(f(1e-7).as_deref(), Some("0.0000001"));
        // 17 significant digits in the double, 15 in Excel.
        assert_eq!(
            f(123456789012345678.0).as_deref(),
            Some("123456789012346000")
        );
        assert_eq!(f(f64::NAN), None);
        assert_eq!(f(f64::INFINITY), None);
        assert_eq!(f(1e30), None);
    }

    #[test]
    fn formats_give_scale_percent_and_text() {
        let two = NumFormat::parse("#,##0.00");
        assert_eq!(two.decimals, Some(2));
        assert!(two.grouping && !two.percent);
        let (n, t) = two.apply(dec("3593"));
        assert_eq!(n, RawNumber::Amount(dec("3593.00")));
        assert_eq!(n, RawNumber::Amount(dec("3593")));
        if let RawNumber::Amount(d) = n {
            assert_eq!(d.to_string(), "3593.00");
        }
        assert_eq!(t, "3,593.00");
        // More decimals than the format shows: kept.
        let (n, t) = two.apply(dec("-0.005"));
        assert_eq!(n, RawNumber::Amount(dec("-0.005")));
        assert_eq!(t, "-0.005");
        let (_, t) = two.apply(dec("7293957.15"));
        assert_eq!(t, "7,293,957.15");

        let pct = NumFormat::parse("0.00%");
        assert!(pct.percent);
        let (n, t) = pct.apply(dec("0.955"));
        assert_eq!(t, "95.50%");
        assert!(matches!(n, RawNumber::Percent(d) if d.to_string() == "95.50"));

        let general = NumFormat::parse("General");
        assert_eq!(general.decimals, None);
        let (_, t) = general.apply(dec("205"));
        assert_eq!(t, "205");

        let red = NumFormat::parse("#,##0.00;[Red]\\-#,##0.00");
        assert_eq!(red.decimals, Some(2));
        assert!(!red.parens);
        let paren = NumFormat::parse("#,##0.00_);(#,##0.00)");
        assert!(paren.parens);
        assert_eq!(paren.apply(dec("-12.5")).1, "(12.50)");
        let quoted = NumFormat::parse("0.0\"万元\"");
        assert_eq!(quoted.decimals, Some(1));
        assert!(!quoted.grouping);
        let int = NumFormat::parse("#,##0");
        assert_eq!(int.decimals, Some(0));
        assert_eq!(int.apply(dec("1234567")).1, "1,234,567");
        assert_eq!(NumFormat::parse("@").decimals, None);
        assert!(NumFormat::parse("yyyy\"年\"m\"月\"d\"日\"").chinese_date);
    }

    #[test]
    fn dates_are_shown_as_dates() {
        use calamine::{ExcelDateTime, ExcelDateTimeType::*};
        let iso = NumFormat::parse("yyyy-mm-dd");
        let cn = NumFormat::parse("yyyy\"年\"m\"月\"d\"日\"");
        let day = ExcelDateTime::new(45658.0, DateTime, false);
        assert_eq!(show_date(&day, &iso), "2025-01-01");
        assert_eq!(show_date(&day, &cn), "2025年1月1日");
        let moment = ExcelDateTime::new(45658.75, DateTime, false);
        assert_eq!(show_date(&moment, &iso), "2025-01-01 18:00:00");
        let time = ExcelDateTime::new(0.5, DateTime, false);
        assert_eq!(show_date(&time, &iso), "12:00:00");
        let span = ExcelDateTime::new(1.25, TimeDelta, false);
        assert_eq!(show_date(&span, &iso), "30:00:00");
    }

    #[test]
    fn shown_text_gives_a_format() {
        let f = format_of_shown("3,593.00", false);
        assert_eq!(f.decimals, Some(2));
        assert!(f.grouping);
        let p = format_of_shown("95.5%", true);
        assert_eq!(p.decimals, Some(1));
        assert!(p.percent);
        assert_eq!(format_of_shown("41", false).decimals, Some(0));
    }
}
