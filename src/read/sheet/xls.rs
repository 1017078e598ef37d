//! xls (Excel 97-2003, BIFF8; BIFF5 partly): values and merges from
//! calamine; number formats, bold, alignment, indent and hidden rows and
//! columns from our own pass over the BIFF records, which calamine does
//! not report.
//!
//! The pass runs first and also guards calamine: it refuses encrypted
//! workbooks (a FILEPASS record), DIMENSIONS records beyond what an xls
//! can hold (calamine reserves memory from them) and sheets whose cells
//! would make calamine lay out more than [`Limits::sheet_range_cells`] positions.

use super::{
    Budget, CellStyle, CellValue, Extent, NumFormat, Sheet, SheetCell, check_extents, damaged,
    encrypted, push_range,
};
use crate::error::Location;
use crate::limits::Limits;
use crate::model::{Align, Format, Warning};
use crate::read::ReadError;
use calamine::{Reader, SheetVisible, Xls, XlsError};
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

/// Rows an xls sheet can hold (BIFF8).
const XLS_MAX_ROWS: u32 = 65_536;
/// Columns an xls sheet can hold (BIFF8).
const XLS_MAX_COLS: u32 = 256;
/// Boldness (`bls`) from which a font is bold; 700 is Excel's bold.
const BOLD_WEIGHT: u16 = 600;

/// Reads every worksheet of an xls workbook.
pub(super) fn load(
    bytes: &[u8],
    limits: &Limits,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Sheet>, ReadError> {
    let format = Format::Xls;
    let biff = scan(bytes, limits)?;
    let extents: Vec<_> = biff
        .sheets
        .iter()
        .map(|s| (s.name.clone(), s.extent))
        .collect();
    check_extents(&extents, limits)?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsError::Password => encrypted(),
        e => damaged(format, e),
    })?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    super::check_sheet_list(&metas, limits)?;
    let mut by_name: HashMap<String, BiffSheet> = biff
        .sheets
        .into_iter()
        .map(|s| (s.name.clone(), s))
        .collect();
    let mut sheets = Vec::new();
    for meta in metas {
        let name = meta.name;
        if meta.typ != calamine::SheetType::WorkSheet {
            warnings.push(Warning::new(
                "skipped-sheet",
                Some(format!("sheet '{name}'")),
                format!("a {:?} holds no cells; skipped", meta.typ).to_lowercase(),
            ));
            continue;
        }
        let sheet_error = |e: XlsError| super::sheet_error(&name, e);
        let range = wb.worksheet_range(&name).map_err(sheet_error)?;
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(sheet_error)?
            .into_iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect();
        let info = by_name.remove(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .filter_map(|(r, c, data)| {
                let value = CellValue::from_data(data)?;
                let (row, col) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
                let style = info.xf.get(&(row, col)).map_or(0, |&x| usize::from(x));
                Some(SheetCell {
                    row,
                    col,
                    value,
                    style,
                })
            })
            .collect();
        sheets.push(Sheet {
            name,
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            palette: biff.palette.clone(),
            merges,
            hidden_rows: info.hidden_rows,
            hidden_cols: info.hidden_cols,
            ..Sheet::default()
        });
    }
    Ok(sheets)
}

/// What the BIFF records say beyond the values.
#[derive(Debug, Default)]
struct Biff {
    /// Cell styles by XF index.
    palette: Vec<CellStyle>,
    sheets: Vec<BiffSheet>,
}

/// One worksheet substream.
#[derive(Debug, Default)]
struct BiffSheet {
    name: String,
    /// XF index of every cell with a value.
    xf: HashMap<(u32, u32), u16>,
    /// First and last cell with a value.
    extent: Option<Extent>,
    hidden_rows: Vec<(u32, u32)>,
    hidden_cols: Vec<(u32, u32)>,
}

impl BiffSheet {
    /// Files a cell with a value and `text_bytes` bytes of text.
    fn cell(
        &mut self,
        (row, col): (u32, u32),
        xf: u16,
        text_bytes: usize,
        budget: &mut Budget,
    ) -> Result<(), ReadError> {
        budget.cells(&self.name, (row, col), text_bytes, 1)?;
        self.xf.insert((row, col), xf);
        self.extent = Some(match self.extent {
            None => ((row, col), (row, col)),
            Some(((r0, c0), (r1, c1))) => ((r0.min(row), c0.min(col)), (r1.max(row), c1.max(col))),
        });
        Ok(())
    }
}

/// One cell XF: font, format and alignment.
struct Xf {
    font: u16,
    format: u16,
    align: Align,
    indent: u8,
}

/// Reads the BIFF records of the workbook stream.
fn scan(bytes: &[u8], limits: &Limits) -> Result<Biff, ReadError> {
    let bad = |e: std::io::Error| damaged(Format::Xls, e);
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(bad)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or_else(|| damaged(Format::Xls, "it holds no Workbook stream"))?;
    let stream = cfb.open_stream(name).map_err(bad)?;
    let mut records = Records {
        inner: BufReader::new(stream),
        offset: 0,
        data: Vec::new(),
    };

    let mut biff8 = true;
    let mut fonts: Vec<bool> = Vec::new();
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xfs: Vec<Xf> = Vec::new();
    let mut bound: Vec<(u64, String)> = Vec::new();
    let mut sheets: Vec<BiffSheet> = Vec::new();
    let mut current: Option<BiffSheet> = None;
    let mut nested = 0usize;
    let mut in_globals = false;
    let mut budget = Budget::new(limits);
    let mut sst: Vec<Vec<u8>> = Vec::new();
    let mut sst_open = false;
    let mut sst_lens: Option<Vec<usize>> = None;
    while let Some((typ, at)) = records.next().map_err(bad)? {
        let d = records.data.as_slice();
        if nested > 0 {
            match typ {
                0x0809 => nested += 1,
                0x000A => nested -= 1,
                _ => {}
            }
            continue;
        }
        // The shared strings: an SST record and the CONTINUE records after it.
        match typ {
            0x00FC if in_globals => {
                sst = vec![d.to_vec()];
                sst_open = true;
                continue;
            }
            0x003C if sst_open => {
                sst.push(d.to_vec());
                continue;
            }
            _ => sst_open = false,
        }
        match typ {
            // BOF: the globals, a worksheet, or a chart inside a sheet.
            0x0809 => {
                if current.is_some() {
                    nested = 1;
                } else if let Some(i) = bound.iter().position(|(o, _)| *o == at) {
                    let (_, name) = bound.swap_remove(i);
                    current = Some(BiffSheet {
                        name,
                        ..BiffSheet::default()
                    });
                } else if sheets.is_empty() && !in_globals {
                    in_globals = true;
                    biff8 = u16_at(d, 0) == Some(0x0600);
                } else {
                    // A substream no BOUNDSHEET names (macro sheet …).
                    nested = 1;
                }
            }
            0x000A => {
                in_globals = false;
                if let Some(s) = current.take() {
                    sheets.push(s);
                    // Every sheet read: what follows is padding (xlwt pads
                    // the stream to a whole sector).
                    if bound.is_empty() {
                        break;
                    }
                }
            }
            0x002F if in_globals => return Err(encrypted()),
            0x0031 if in_globals => {
                fonts.push(u16_at(d, 6).is_some_and(|w| w >= BOLD_WEIGHT));
            }
            0x041E if in_globals => {
                if let (Some(id), Some(code)) = (u16_at(d, 0), format_string(d, biff8)) {
                    formats.insert(id, code);
                }
            }
            0x00E0 if in_globals => xfs.push(Xf {
                font: u16_at(d, 0).unwrap_or(0),
                format: u16_at(d, 2).unwrap_or(0),
                align: match d.get(6).map(|b| b & 0x07) {
                    Some(2 | 6) => Align::Center,
                    Some(3) => Align::Right,
                    _ => Align::Left,
                },
                indent: if biff8 {
                    d.get(8).map_or(0, |b| b & 0x0F)
                } else {
                    0
                },
            }),
            0x0085 if in_globals => match (u32_at(d, 0), sheet_name(d, biff8)) {
                (Some(offset), Some(name)) => bound.push((u64::from(offset), name)),
                // calamine slices the record blindly.
                _ => return Err(damaged(Format::Xls, "a BOUNDSHEET record is cut short")),
            },
            // LBL (a defined name): calamine slices it blindly by its counts.
            0x0018 if in_globals => {
                let name_len = usize::from(d.get(3).copied().unwrap_or(0));
                let formula_len = usize::from(u16_at(d, 4).unwrap_or(u16::MAX));
                if d.len() < 14 + name_len || formula_len > d.len() - 14 {
                    return Err(damaged(
                        Format::Xls,
                        "a defined name (LBL record) is cut short",
                    ));
                }
            }
            _ => {
                if let Some(sheet) = current.as_mut() {
                    let lens = sst_lens.get_or_insert_with(|| shared_string_bytes(&sst));
                    sheet_record(sheet, typ, d, lens, &mut budget)?;
                }
            }
        }
    }
    if let Some(s) = current.take() {
        sheets.push(s);
    }
    // calamine reads each sheet from the offset its BOUNDSHEET record gives
    // (and panics on one past the end of the stream).
    if let Some((offset, name)) = bound.first() {
        return Err(ReadError::at(
            Location::new().sheet(name.as_str()),
            format!(
                "the workbook says the sheet starts at byte {offset} of its stream, where no \
                 sheet starts; the .xls workbook is damaged"
            ),
        ));
    }
    let palette = xfs
        .iter()
        .map(|xf| {
            // Font 4 does not exist in BIFF: indices above it are one off.
            let font = usize::from(if xf.font >= 4 { xf.font - 1 } else { xf.font });
            let code = formats
                .get(&xf.format)
                .map(String::as_str)
                .or_else(|| builtin_format(xf.format))
                .unwrap_or("General");
            CellStyle {
                format: NumFormat::parse(code),
                bold: fonts.get(font).copied().unwrap_or(false),
                indent: xf.indent,
                align: xf.align,
            }
        })
        .collect();
    Ok(Biff { palette, sheets })
}

/// Files one record of a worksheet substream.
fn sheet_record(
    sheet: &mut BiffSheet,
    typ: u16,
    d: &[u8],
    sst: &[usize],
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let pos = || {
        Some((
            u32::from(u16_at(d, 0)?),
            u32::from(u16_at(d, 2)?),
            u16_at(d, 4)?,
        ))
    };
    match typ {
        // DIMENSIONS: calamine reserves memory from it; refuse a lie.
        0x0200 => {
            let (first, last) = if d.len() >= 14 {
                (u32_at(d, 0), u32_at(d, 4))
            } else {
                (u16_at(d, 0).map(u32::from), u16_at(d, 2).map(u32::from))
            };
            let cols = if d.len() >= 14 {
                (u16_at(d, 8), u16_at(d, 10))
            } else {
                (u16_at(d, 4), u16_at(d, 6))
            };
            let bad_rows = matches!((first, last), (Some(f), Some(l)) if l > XLS_MAX_ROWS || f > l);
            let bad_cols = matches!(cols, (_, Some(l)) if u32::from(l) > XLS_MAX_COLS);
            if bad_rows || bad_cols {
                return Err(ReadError::at(
                    Location::new().sheet(sheet.name.as_str()),
                    format!(
                        "the sheet's DIMENSIONS record declares rows {first:?}..{last:?} and columns \
                         {:?}..{:?}, beyond what an xls holds ({XLS_MAX_ROWS} rows, {XLS_MAX_COLS} \
                         columns); the file is damaged",
                        cols.0, cols.1
                    ),
                ));
            }
        }
        // ROW: hidden rows.
        0x0208 => {
            if let (Some(row), Some(flags)) = (u16_at(d, 0), u16_at(d, 12))
                && flags & 0x0020 != 0
            {
                push_range(&mut sheet.hidden_rows, u32::from(row), u32::from(row));
            }
        }
        // COLINFO: hidden columns.
        0x007D => {
            if let (Some(first), Some(last), Some(flags)) =
                (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                && flags & 0x0001 != 0
            {
                let last = last.min(XLS_MAX_COLS as u16 - 1);
                if first <= last {
                    sheet.hidden_cols.push((u32::from(first), u32::from(last)));
                }
            }
        }
        // LABELSST: a shared string, copied into the cell by calamine.
        0x00FD => {
            if let Some((row, col, xf)) = pos() {
                let bytes = u32_at(d, 6)
                    .and_then(|i| sst.get(usize::try_from(i).ok()?))
                    .copied()
                    .unwrap_or(0);
                sheet.cell((row, col), xf, bytes, budget)?;
            }
        }
        // LABEL, RSTRING: text within the record.
        0x0204 | 0x00D6 => {
            if let Some((row, col, xf)) = pos() {
                sheet.cell((row, col), xf, d.len(), budget)?;
            }
        }
        // NUMBER, RK, BOOLERR, FORMULA.
        0x0203 | 0x027E | 0x0205 | 0x0006 => {
            if let Some((row, col, xf)) = pos() {
                sheet.cell((row, col), xf, 0, budget)?;
            }
        }
        // MULRK: several RK cells in one row.
        0x00BD => {
            if let (Some(row), Some(first)) = (u16_at(d, 0), u16_at(d, 2)) {
                let body = d.get(4..d.len().saturating_sub(2)).unwrap_or(&[]);
                for (i, rk) in body.chunks_exact(6).enumerate() {
                    let xf = u16_at(rk, 0).unwrap_or(0);
                    let col = u32::from(first) + i as u32;
                    sheet.cell((u32::from(row), col), xf, 0, budget)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The UTF-8 size, at most, of each string of the shared string table
/// (an SST record's data and its CONTINUE records'): 3 bytes for each
/// UTF-16 unit. A string's characters may run on into the next record,
/// which then opens with a fresh flags byte.
fn shared_string_bytes(segments: &[Vec<u8>]) -> Vec<usize> {
    let mut r = Segments {
        segments,
        seg: 0,
        pos: 0,
    };
    let mut out = Vec::new();
    let (Some(_total), Some(unique)) = (r.u32(), r.u32()) else {
        return out;
    };
    let available: usize = segments.iter().map(Vec::len).sum();
    // Every string takes three bytes at least: a count and a flags byte.
    let unique = (unique as usize).min(available / 3);
    for _ in 0..unique {
        let (Some(count), Some(flags)) = (r.u16(), r.u8()) else {
            break;
        };
        let runs = if flags & 0x08 != 0 { r.u16() } else { Some(0) };
        let ext = if flags & 0x04 != 0 { r.u32() } else { Some(0) };
        let (Some(runs), Some(ext)) = (runs, ext) else {
            break;
        };
        let mut wide = flags & 0x01 != 0;
        let mut left = usize::from(count);
        while left > 0 {
            if r.at_segment_end() {
                if !r.next_segment() {
                    break;
                }
                match r.u8() {
                    Some(f) => wide = f & 0x01 != 0,
                    None => break,
                }
            }
            let unit = if wide { 2 } else { 1 };
            let take = left.min(r.left_in_segment() / unit);
            if take == 0 {
                break;
            }
            r.pos += take * unit;
            left -= take;
        }
        r.skip(4 * usize::from(runs));
        r.skip(ext as usize);
        out.push(3 * usize::from(count));
    }
    out
}

/// A reader over the data of an SST record and its CONTINUE records.
struct Segments<'a> {
    segments: &'a [Vec<u8>],
    seg: usize,
    pos: usize,
}

impl Segments<'_> {
    fn current(&self) -> &[u8] {
        self.segments.get(self.seg).map_or(&[], Vec::as_slice)
    }

    fn left_in_segment(&self) -> usize {
        self.current().len().saturating_sub(self.pos)
    }

    fn at_segment_end(&self) -> bool {
        self.left_in_segment() == 0
    }

    fn next_segment(&mut self) -> bool {
        if self.seg + 1 < self.segments.len() {
            self.seg += 1;
            self.pos = 0;
            true
        } else {
            false
        }
    }

    /// One byte, moving to the next segment at the end of one.
    fn u8(&mut self) -> Option<u8> {
        if self.at_segment_end() && !self.next_segment() {
            return None;
        }
        let b = *self.current().get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    /// Skips `n` bytes across segments.
    fn skip(&mut self, mut n: usize) {
        while n > 0 {
            if self.at_segment_end() && !self.next_segment() {
                return;
            }
            let take = n.min(self.left_in_segment());
            self.pos += take;
            n -= take;
        }
    }
}

/// BIFF records read one at a time from the workbook stream.
struct Records<R> {
    inner: R,
    /// Stream offset of the next record.
    offset: u64,
    /// The data of the last record read.
    data: Vec<u8>,
}

impl<R: Read> Records<R> {
    /// The next record's type and stream offset; its data is in `data`.
    fn next(&mut self) -> std::io::Result<Option<(u16, u64)>> {
        let mut header = [0u8; 4];
        match read_full(&mut self.inner, &mut header)? {
            0 => return Ok(None),
            4 => {}
            _ => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "a BIFF record header is cut off",
                ));
            }
        }
        let [t0, t1, l0, l1] = header;
        let typ = u16::from_le_bytes([t0, t1]);
        let len = usize::from(u16::from_le_bytes([l0, l1]));
        self.data.resize(len, 0);
        if read_full(&mut self.inner, &mut self.data)? != len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "a BIFF record is cut off",
            ));
        }
        let at = self.offset;
        self.offset += 4 + len as u64;
        Ok(Some((typ, at)))
    }
}

/// Reads until `buf` is full or the input ends; the number of bytes read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn u16_at(d: &[u8], i: usize) -> Option<u16> {
    let b = d.get(i..i + 2)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    let b = d.get(i..i + 4)?;
    Some(u32::from_le_bytes(b.try_into().ok()?))
}

/// A BIFF8 XLUnicodeString (16-bit count) or a BIFF5 byte string (8-bit
/// count) starting at `i`; `None` when cut off.
fn biff_string(d: &[u8], i: usize, biff8: bool, wide_count: bool) -> Option<String> {
    let (count, mut at) = if wide_count {
        (usize::from(u16_at(d, i)?), i + 2)
    } else {
        (usize::from(*d.get(i)?), i + 1)
    };
    if !biff8 {
        let raw = d.get(at..at + count)?;
        return Some(raw.iter().map(|&b| char::from(b)).collect());
    }
    let flags = *d.get(at)?;
    at += 1;
    if flags & 0x08 != 0 {
        at += 2; // rich text run count
    }
    if flags & 0x04 != 0 {
        at += 4; // phonetic data size
    }
    if flags & 0x01 != 0 {
        let raw = d.get(at..at + 2 * count)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        let raw = d.get(at..at + count)?;
        Some(raw.iter().map(|&b| char::from(b)).collect())
    }
}

/// The code of a FORMAT record.
fn format_string(d: &[u8], biff8: bool) -> Option<String> {
    biff_string(d, 2, biff8, biff8)
}

/// The name of a BOUNDSHEET record.
fn sheet_name(d: &[u8], biff8: bool) -> Option<String> {
    biff_string(d, 6, biff8, false)
}

/// The built-in number formats an XF may name without a FORMAT record:
/// those that matter for amounts and percentages. Dates are recognised by
/// calamine itself.
fn builtin_format(id: u16) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 | 37 => "#,##0_);(#,##0)",
        6 | 38 => "#,##0_);[Red](#,##0)",
        7 | 39 => "#,##0.00_);(#,##0.00)",
        8 | 40 => "#,##0.00_);[Red](#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn biff8_strings() {
        // cch = 3, compressed: "abc"
        let d = [0u8, 0, 3, 0, 0, b'a', b'b', b'c'];
        assert_eq!(biff_string(&d, 2, true, true).as_deref(), Some("abc"));
        // cch = 2, UTF-16: "元万"
        let mut d = vec![2u8, 1];
        d.extend("元万".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(biff_string(&d, 0, true, false).as_deref(), Some("元万"));
        // cut off
        assert_eq!(biff_string(&[5, 0, 0, b'a'], 0, true, true), None);
    }

    #[test]
    fn shared_string_sizes_follow_continue_records() {
        // Two strings: "ab" compressed, then "元万字" wide, cut after its
        // first character into a CONTINUE record that opens with a fresh
        // flags byte.
        let mut sst = vec![0u8; 8];
        sst[4] = 2;
        sst.extend([2, 0, 0, b'a', b'b']);
        sst.extend([3, 0, 1]);
        sst.extend("元".encode_utf16().flat_map(u16::to_le_bytes));
        let mut cont = vec![1u8];
        cont.extend("万字".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(shared_string_bytes(&[sst.clone(), cont]), [6, 9]);
        // A count far over what the data holds stops at the data.
        let mut lying = sst;
        lying[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(shared_string_bytes(&[lying]).len() <= 3);
    }

    #[test]
    fn builtin_formats_give_scales() {
        assert_eq!(
            NumFormat::parse(builtin_format(4).unwrap_or("")).decimals,
            Some(2)
        );
        assert!(NumFormat::parse(builtin_format(10).unwrap_or("")).percent);
        assert!(NumFormat::parse(builtin_format(39).unwrap_or("")).parens);
        assert_eq!(builtin_format(200), None);
    }
}
