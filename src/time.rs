//! Timestamps for reproducible outputs: the same input gives the same bytes
//! on any machine, so no output ever carries the clock or a file's
//! modification time.
//!
//! **The date rule.** The date inside an output (PDF `/CreationDate`,
//! `/ModDate` and XMP, DOCX `docProps/core.xml`, the zip entry times, the
//! book's cover) is, in this order:
//!
//! 1. `SOURCE_DATE_EPOCH` (Unix seconds), when set and valid;
//! 2. a date the document itself states: for a book its `book.toml`
//!    `date`; for a table file (and a book without one) the first date in a
//!    table's title or meta lines — a cover sheet's `编制日期：2025年3月1日`,
//!    `2025年3月`, `2025-03-01`; a date without a day is the 1st of its
//!    month;
//! 3. the budget year the document names (`2025年` in a title or meta
//!    line): 1 January of that year, 00:00 UTC;
//! 4. else [`FALLBACK_EPOCH`], 2000-01-01 00:00 UTC.
//!
//! Years outside [`MIN_YEAR`]..=[`MAX_YEAR`] are not taken (zip stores
//! 1980–2107).

use crate::model::Document;

/// A UTC civil time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
    /// Hour 0–23.
    pub hour: u32,
    /// Minute 0–59.
    pub minute: u32,
    /// Second 0–59.
    pub second: u32,
}

/// The time outputs carry when nothing better is known: 2000-01-01 00:00:00
/// UTC (zip cannot store times before 1980).
pub const FALLBACK_EPOCH: i64 = 946_684_800;

/// Earliest year a document date is taken from (zip stores no earlier).
pub const MIN_YEAR: i32 = 1980;
/// Latest year a document date is taken from (zip stores no later).
pub const MAX_YEAR: i32 = 2107;

/// A date a document states: a year, perhaps with month and day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatedDate {
    /// Year.
    pub year: i32,
    /// Month 1–12, when stated.
    pub month: Option<u32>,
    /// Day 1–31, when stated (only with a month).
    pub day: Option<u32>,
}

impl StatedDate {
    /// Midnight UTC of the date (the 1st of a month, 1 January of a year).
    pub(crate) fn unix(&self) -> i64 {
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        days_from_civil(self.year, month, day) * 86_400
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first date in `text`: `2025年3月1日`, `2025年3月`, `2025-03-01`,
/// `2025/3/1`, or a bare `2025年` (a year only). Dates that do not
/// exist (2025年2月30日) and years outside [`MIN_YEAR`]..=[`MAX_YEAR`] are
/// passed over.
pub(crate) fn find_date(text: &str) -> Option<StatedDate> {
    let chars: Vec<char> = text.chars().collect();
    let number = |from: usize, max: usize| -> Option<(u32, usize)> {
        let len = chars[from..]
            .iter()
            .take(max + 1)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if len == 0 || len > max {
            return None;
        }
        let n: String = chars[from..from + len].iter().collect();
        Some((n.parse().ok()?, from + len))
    };
    for start in 0..chars.len() {
        if start > 0 && chars[start - 1].is_ascii_digit() {
            continue;
        }
        let Some((year, after)) = number(start, 4) else {
            continue;
        };
        if after - start != 4 {
            continue;
        }
        let year = year as i32;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            continue;
        }
        let sep = chars.get(after).copied();
        let (month_sep, day_end) = match sep {
            Some('年') => ('月', Some('日')),
            Some('-') => ('-', None),
            Some('/') => ('/', None),
            _ => continue,
        };
        let month = number(after + 1, 2)
            .filter(|&(m, _)| (1..=12).contains(&m))
            .filter(|&(_, e)| sep != Some('年') || chars.get(e) == Some(&month_sep));
        let Some((month, m_end)) = month else {
            if sep == Some('年') {
                return Some(StatedDate {
                    year,
                    month: None,
                    day: None,
                });
            }
            continue;
        };
        let day = number(m_end + 1, 2)
            .filter(|_| sep != Some('年') || chars.get(m_end) == Some(&'月'))
            .filter(|_| sep == Some('年') || chars.get(m_end) == Some(&month_sep))
            .filter(|&(_, e)| day_end.is_none_or(|d| chars.get(e) == Some(&d)))
            .map(|(d, _)| d)
            .filter(|&d| d >= 1 && d <= days_in_month(year, month));
        return Some(StatedDate {
            year,
            month: Some(month),
            day,
        });
    }
    None
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The best date `texts` state: the first with a month, else the first
/// year.
pub(crate) fn best_date<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<StatedDate> {
    let mut year_only = None;
    for t in texts {
        match find_date(t) {
            Some(d) if d.month.is_some() => return Some(d),
            Some(d) => year_only = year_only.or(Some(d)),
            None => {}
        }
    }
    year_only
}

/// The date a document states (titles and meta lines of its tables, in
/// order), by [`best_date`].
pub(crate) fn stated_date(doc: &Document) -> Option<StatedDate> {
    best_date(doc.tables.iter().flat_map(|t| {
        t.title
            .iter()
            .map(String::as_str)
            .chain(t.meta.iter().map(|m| m.text.as_str()))
    }))
}

/// The time a document's outputs carry, by the date rule (see the module
/// docs): `SOURCE_DATE_EPOCH`, else the date the document states, else
/// [`FALLBACK_EPOCH`]. Never the file's modification time.
pub(crate) fn document_epoch(doc: &Document) -> i64 {
    source_date_epoch()
        .or_else(|| stated_date(doc).map(|d| d.unix()))
        .unwrap_or(FALLBACK_EPOCH)
}

/// Converts Unix seconds to UTC civil time (Howard Hinnant's algorithm).
pub(crate) fn civil_from_unix(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Civil {
        year,
        month,
        day,
        hour: (rem / 3_600) as u32,
        minute: (rem % 3_600 / 60) as u32,
        second: (rem % 60) as u32,
    }
}

impl Civil {
    /// ISO 8601 / W3CDTF: 2025-03-01T08:00:00Z.
    pub(crate) fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// `SOURCE_DATE_EPOCH` if set and valid.
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil() {
        assert_eq!(civil_from_unix(0).iso8601(), "1970-01-01T00:00:00Z");
        assert_eq!(
            civil_from_unix(FALLBACK_EPOCH).iso8601(),
            "2000-01-01T00:00:00Z"
        );
        assert_eq!(
            civil_from_unix(1_740_816_000).iso8601(),
            "2025-03-01T08:00:00Z"
        );
        assert_eq!(
            civil_from_unix(951_782_400).iso8601(),
            "2000-02-29T00:00:00Z"
        );
    }

    #[test]
    fn civil_round_trip() {
        for secs in [0, FALLBACK_EPOCH, 951_782_400, 1_740_787_200, 4_107_542_400] {
            let c = civil_from_unix(secs);
            assert_eq!(days_from_civil(c.year, c.month, c.day) * 86_400, secs);
        }
    }

    #[test]
    fn stated_dates() {
        let d = |y, m, day| {
            Some(StatedDate {
                year: y,
                month: m,
                day,
            })
        };
        assert_eq!(
            find_date("编制日期：2025年3月1日"),
            d(2025, Some(3), Some(1))
        );
        assert_eq!(find_date("2025年3月"), d(2025, Some(3), None));
        assert_eq!(find_date("2025年项目支出绩效目标表"), d(2025, None, None));
        assert_eq!(find_date("日期 2025-03-01"), d(2025, Some(3), Some(1)));
        assert_eq!(find_date("2025年2月30日"), d(2025, Some(2), None));
        assert_eq!(find_date("编号 12025年"), None);
        assert_eq!(find_date("1900年"), None);
        assert_eq!(find_date("合计 3593.00"), None);
        assert_eq!(
            best_date(["2025年部门预算", "编制日期：2025年2月"]),
            d(2025, Some(2), None)
        );
        assert_eq!(
            d(2025, Some(3), Some(1)).map(|x| x.unix()),
            Some(1_740_787_200)
        );
        assert_eq!(d(2025, None, None).map(|x| x.unix()), Some(1_735_689_600));
    }
}
