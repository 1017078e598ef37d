//! Raw text tables: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030
//! without BOM; tab- or comma-separated (CSV quoting through the `csv`
//! crate); LF or CRLF.
//!
//! The whole file is one grid: title and meta lines above the table are
//! rows with one or two fields, which the normaliser recognises; blank lines
//! are dropped here, so a stray blank line inside the table does not split
//! it.

use super::{RawCell, RawDocument, RawRow, RawTable, ReadError};
use crate::model::Warning;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// How fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// Tabs if any line has one, else commas.
    Detect,
    /// Commas (CSV).
    Comma,
}

/// Share of characters that may be control characters or undecodable
/// before a file is called "not text". Real tables have none; random bytes
/// have about one in eight.
const MAX_JUNK_RATIO: f64 = 0.01;

/// Decodes `bytes` to a string: BOM first, then UTF-8, then a detector
/// limited to what Chinese offices produce (GB18030 covers GBK and GB2312).
pub fn decode(bytes: &[u8]) -> Result<(String, &'static Encoding), ReadError> {
    let (encoding, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..])
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, bytes)
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc, bytes)
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
        // GBK and GB2312 files are GB18030 files; decode with the superset.
        let enc = if guess == encoding_rs::GBK || guess == UTF_8 {
            GB18030
        } else {
            guess
        };
        (enc, bytes)
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let total = text.chars().count().max(1);
    let junk = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
        .count();
    if junk as f64 / total as f64 > MAX_JUNK_RATIO {
        return Err(ReadError::NotText(format!(
            "{junk} of {total} characters are control characters or undecodable bytes \
             (tried {}); is this a binary file?",
            encoding.name()
        )));
    }
    if had_errors {
        let line = text
            .lines()
            .position(|l| l.contains('\u{FFFD}'))
            .map_or(0, |i| i + 1);
        return Err(ReadError::at(
            format!("line {line}"),
            format!("bytes that are not valid {}", encoding.name()),
        ));
    }
    Ok((text.into_owned(), encoding))
}

/// UTF-16 without a BOM shows as NUL in every other byte for CJK-free
/// text; for CJK text that heuristic fails, so only the ASCII-heavy case is
/// caught here.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zero_odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let zero_even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    if zero_odd * 2 > pairs && zero_even == 0 {
        Some(UTF_16LE)
    } else if zero_even * 2 > pairs && zero_odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Reads a text table.
pub fn read(bytes: &[u8], delimiter: Delimiter) -> Result<RawDocument, ReadError> {
    let (text, encoding) = decode(bytes)?;
    let delim = match delimiter {
        Delimiter::Comma => b',',
        Delimiter::Detect => {
            if text.contains('\t') {
                b'\t'
            } else if text.lines().filter(|l| l.contains(',')).count() >= 2 {
                b','
            } else {
                return Err(ReadError::NoTable(
                    "no line has tab-separated fields and the text is not comma-separated \
                     (prose, or a table that was pasted without its column separators)"
                        .into(),
                ));
            }
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .quoting(true)
        .from_reader(text.as_bytes());
    // The csv crate skips blank lines without counting them, so lines are
    // counted from byte offsets.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let bytes_of_text = text.as_bytes();
    let line_of = |byte: u64| {
        // A record's position may point at the blank lines before it.
        let mut at = byte as usize;
        while at < bytes_of_text.len() && matches!(bytes_of_text[at], b'\n' | b'\r') {
            at += 1;
        }
        line_starts.partition_point(|&s| s <= at) as u32
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| line_of(p.byte()));
            ReadError::at(format!("line {line}"), e.to_string())
        })?;
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        let cells: Vec<RawCell> = record.iter().map(|f| RawCell::text(clean(f))).collect();
        if cells.iter().all(RawCell::is_blank) {
            continue;
        }
        rows.push(RawRow {
            cells,
            source_row: line,
            hidden: false,
        });
    }
    let mut warnings = Vec::new();
    if encoding != UTF_8 {
        warnings.push(Warning::new(
            "encoding",
            None,
            format!("decoded as {}", encoding.name()),
        ));
    }
    Ok(RawDocument {
        tables: vec![RawTable {
            locator: super::Locator::Line,
            rows,
            ..RawTable::default()
        }],
        warnings,
    })
}

/// Trims the ASCII whitespace exporters pad fields with; keeps inner
/// characters and leading ideographic spaces (used for indentation) as they
/// are. Line breaks inside a quoted field become `\n`.
fn clean(field: &str) -> String {
    field
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gb18030_and_utf16() {
        let s = "项目\t总计\n合计\t1.00\n";
        let (gb, _, _) = GB18030.encode(s);
        assert_eq!(decode(&gb).unwrap().0, s);
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().0, s);
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().0, s);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(s.as_bytes());
        assert_eq!(decode(&bom).unwrap().0, s);
    }

    #[test]
    fn random_bytes_are_not_text() {
        let bytes: Vec<u8> = (0u32..4096)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        assert!(matches!(decode(&bytes), Err(ReadError::NotText(_))));
    }

    #[test]
    fn blank_lines_are_dropped_and_quotes_kept_as_fields() {
        let doc = read("a\tb\n\n\"x\ny\"\t2\n".as_bytes(), Delimiter::Detect).unwrap();
        let rows = &doc.tables[0].rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells[0].text, "x\ny");
        assert_eq!(rows[1].source_row, 3);
    }
}
