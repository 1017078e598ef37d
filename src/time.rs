//! Timestamps for reproducible outputs: documents carry the input's time
//! (its modification time, or `SOURCE_DATE_EPOCH`), never the clock.

/// A UTC civil time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
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

/// Converts Unix seconds to UTC civil time (Howard Hinnant's algorithm).
pub fn civil_from_unix(secs: i64) -> Civil {
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
    pub fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// 2025年3月1日.
    pub fn chinese_date(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
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
}
