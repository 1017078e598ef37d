//! Raw text tables: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030
//! without BOM; tab- or comma-separated (CSV quoting through the `csv`
//! crate) or aligned with spaces ([`super::fixed`]); LF or CRLF.
//!
//! A delimiter is chosen only when it gives a consistent table. A comma
//! between digit groups (`4,739,453.65`) is part of the number, never a
//! field separator, unless the file uses real CSV quoting (then numbers
//! with commas are quoted and every unquoted comma separates).
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
pub(crate) enum Delimiter {
    /// Tabs if any line has one, else commas.
    Detect,
    /// Commas (CSV).
    Comma,
    /// Columns aligned with runs of spaces.
    Spaces,
}

/// Share of the comma-separated lines that must have the most common
/// number of fields for the file to be taken as CSV.
const MIN_CONSISTENT_SHARE: f64 = 0.6;

/// Whether the comma at byte `i` of `line` stands between digit groups
/// (`\d{1,3}(,\d{3})+`): a thousands separator, not a field separator.
fn is_group_comma(line: &[u8], i: usize) -> bool {
    let before = line[..i]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if before == 0 || before > 3 {
        return false;
    }
    let after = line[i + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    after == 3
}

/// Fields of a line split at commas that are not thousands separators.
fn split_unquoted(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    let mut fields = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b',' && !is_group_comma(bytes, i) {
            fields.push(line[start..i].to_string());
            start = i + 1;
        }
    }
    fields.push(line[start..].to_string());
    fields
}

/// Whether any field of the text is quoted CSV-style: a `"` opening a
/// field (at the line start or after a comma) closed by `"` before a comma
/// or the line end.
fn has_csv_quoting(text: &str) -> bool {
    text.lines().any(|l| {
        let b = l.trim_end_matches('\r').as_bytes();
        (0..b.len()).any(|i| {
            b[i] == b'"'
                && (i == 0 || b[i - 1] == b',')
                && b[i + 1..].iter().position(|&c| c == b'"').is_some_and(|j| {
                    let after = i + 1 + j + 1;
                    after == b.len() || b[after] == b',' || b[after] == b'"'
                })
        })
    })
}

/// Fields of a line of quoted CSV, counted: commas outside quotes.
fn quoted_field_count(line: &str) -> usize {
    let mut inside = false;
    let mut n = 1;
    for c in line.chars() {
        match c {
            '"' => inside = !inside,
            ',' if !inside => n += 1,
            _ => {}
        }
    }
    n
}

/// Whether comma-separated fields make a consistent table: at least two
/// lines with separators, most with the same number of fields.
fn commas_consistent(text: &str) -> bool {
    let quoted = has_csv_quoting(text);
    let counts: Vec<usize> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if quoted {
                quoted_field_count(l)
            } else {
                split_unquoted(l).len()
            }
        })
        .filter(|&n| n >= 2)
        .collect();
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    // Most lines carry fields: a few stray commas in prose or in an
    // aligned book are not a CSV file.
    if counts.len() < 2 || (counts.len() * 2 < lines && !quoted) {
        return false;
    }
    let mut freq: std::collections::BTreeMap<usize, usize> = Default::default();
    for &n in &counts {
        *freq.entry(n).or_default() += 1;
    }
    let top = freq.values().copied().max().unwrap_or(0);
    top as f64 >= counts.len() as f64 * MIN_CONSISTENT_SHARE
}

/// Share of characters that may be control characters or undecodable
/// before a file is called "not text". Real tables have none; random bytes
/// have about one in eight.
const MAX_JUNK_RATIO: f64 = 0.01;

/// Decodes `bytes` to a string: BOM first, then UTF-8, then a detector
/// limited to what Chinese offices produce (GB18030 covers GBK and GB2312).
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, &'static Encoding), ReadError> {
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
            crate::error::Location::new().line(line as u32),
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
pub(crate) fn read(bytes: &[u8], delimiter: Delimiter) -> Result<RawDocument, ReadError> {
    let (text, encoding) = decode(bytes)?;
    let mut warnings = Vec::new();
    if encoding != UTF_8 {
        warnings.push(Warning::new(
            "encoding",
            None,
            format!("decoded as {}", encoding.name()),
        ));
    }
    let delim = match delimiter {
        Delimiter::Comma => b',',
        Delimiter::Spaces => 0,
        Delimiter::Detect => {
            let tab_lines = text.lines().filter(|l| l.contains('\t')).count();
            if tab_lines >= 2 || (tab_lines == 1 && !super::fixed::looks_aligned(&text)) {
                b'\t'
            } else if commas_consistent(&text) {
                b','
            } else if super::fixed::looks_aligned(&text) {
                0
            } else {
                let n = text.lines().count();
                return Err(ReadError::NoTable(format!(
                    "lines 1–{n} tried: none has tab-separated fields, the text is not \
                     consistently comma-separated and no lines are aligned in columns by runs \
                     of spaces (prose, or a table pasted without its column separators)"
                )));
            }
        }
    };
    if delim == 0 {
        let mut doc = super::fixed::read(&text)?;
        doc.warnings.splice(0..0, warnings);
        return Ok(doc);
    }
    if delim == b',' && !has_csv_quoting(&text) {
        return Ok(RawDocument {
            tables: vec![RawTable {
                locator: super::Locator::Line,
                rows: unquoted_rows(&text),
                ..RawTable::default()
            }],
            warnings,
            ..RawDocument::default()
        });
    }
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
        let record = record.map_err(|source| {
            let line = source.position().map_or(0, |p| line_of(p.byte()));
            ReadError::Csv {
                at: crate::error::Location::new().line(line),
                source,
            }
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
    Ok(RawDocument {
        tables: vec![RawTable {
            locator: super::Locator::Line,
            rows,
            ..RawTable::default()
        }],
        warnings,
        ..RawDocument::default()
    })
}

/// Rows of comma-separated text without quoting, where a comma between
/// digit groups stays in its number.
fn unquoted_rows(text: &str) -> Vec<RawRow> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let cells: Vec<RawCell> = split_unquoted(line)
                .iter()
                .map(|f| RawCell::text(clean(f)))
                .collect();
            (!cells.iter().all(RawCell::is_blank)).then(|| RawRow {
                cells,
                source_row: (i + 1) as u32,
                hidden: false,
            })
        })
        .collect()
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
    fn thousands_commas_are_not_separators() {
        assert_eq!(
            split_unquoted("合计,4,739,453.65,1,2"),
            ["合计", "4,739,453.65", "1", "2"]
        );
        assert_eq!(split_unquoted("a,100,200"), ["a", "100,200"]);
        assert_eq!(split_unquoted("1,2345"), ["1", "2345"]);
        let doc = read(
            "项目,金额\n合计,\"1,200.00\"\n".as_bytes(),
            Delimiter::Detect,
        )
        .unwrap();
        assert_eq!(doc.tables[0].rows[1].cells[1].text, "1,200.00");
        let doc = read("项目,金额\n合计,1,200.00\n".as_bytes(), Delimiter::Comma).unwrap();
        assert_eq!(doc.tables[0].rows[1].cells[1].text, "1,200.00");
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
