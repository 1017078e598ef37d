//! xlsb (Excel binary workbook): values from calamine's cell reader.
//! calamine reads no styles, merges or hidden rows from xlsb, so amounts
//! come without their format's scale (the normaliser still gives them two
//! decimals) and headers without merges. Hidden rows and columns are read
//! here from the sheet parts' `BrtRowHdr` and `BrtColInfo` records.
//!
//! calamine 0.38 also skips two kinds of cell record without a word: the
//! short forms (`BrtShortRk`, `BrtShortSt` …, [MS-XLSB] 2.5.10: the cell
//! without its column, which is the previous cell's plus one), which
//! SheetJS and Aspose write for every cell after the first of a row, and
//! formulas whose cached value is an error (`BrtFmlaError`). Before
//! calamine reads a workbook holding either, its sheet parts are rewritten
//! with the full forms (`BrtCellRk`, `BrtCellError` …), so no cell is lost.

use super::package::Package;
use super::{Budget, Sheet, SheetCell, damaged};
use crate::limits::Limits;
use crate::model::{Format, Warning};
use crate::read::ReadError;
use calamine::{Reader, SheetType, SheetVisible, Xlsb};
use std::io::{Cursor, Write};

/// Reads every worksheet of an xlsb workbook.
pub(super) fn load(
    bytes: &[u8],
    limits: &Limits,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Sheet>, ReadError> {
    let format = Format::Xlsb;
    let mut package = Package::open(bytes, format, limits)?;
    check_workbook(&mut package)?;
    let mut hidden = hidden_rows_and_columns(&mut package)?;
    let rewritten = full_cell_records(&mut package)?;
    drop(package);
    let bytes = rewritten.as_deref().unwrap_or(bytes);
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| damaged(format, e))?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    super::check_sheet_list(&metas, limits)?;
    let mut sheets = Vec::new();
    let mut budget = Budget::new(limits);
    for meta in metas {
        let name = meta.name;
        if meta.typ != SheetType::WorkSheet {
            warnings.push(Warning::new(
                "skipped-sheet",
                Some(format!("sheet '{name}'")),
                format!("a {:?} holds no cells; skipped", meta.typ).to_lowercase(),
            ));
            continue;
        }
        let sheet_error = |e: calamine::XlsbError| super::sheet_error(&name, e);
        let mut reader = wb.worksheet_cells_reader(&name).map_err(sheet_error)?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(sheet_error)? {
            if let Some(c) = SheetCell::counted(&mut budget, &name, &cell, 0)? {
                cells.push(c);
            }
        }
        drop(reader);
        let (hidden_rows, hidden_cols) = hidden.remove(&name).unwrap_or_default();
        sheets.push(Sheet {
            name,
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            hidden_rows,
            hidden_cols,
            ..Sheet::default()
        });
    }
    Ok(sheets)
}

/// `BrtWbProp`: workbook properties (calamine reads their first byte).
const WORKBOOK_PROPERTIES: u16 = 0x0099;
/// `BrtBundleSh`: one sheet of the workbook.
const SHEET_ENTRY: u16 = 0x009C;
/// A `strRelID` that is absent.
const NO_RELATIONSHIP: u32 = 0xFFFF_FFFF;

/// Refuses a workbook part that calamine would panic on: a sheet entry
/// cut short or naming a relationship the workbook does not have, empty
/// workbook properties.
fn check_workbook(package: &mut Package<'_>) -> Result<(), ReadError> {
    let ids: std::collections::HashSet<String> = package
        .read("xl/_rels/workbook.bin.rels")?
        .map(|x| super::xlsx::relationships(&x))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let Some(workbook) = package.read("xl/workbook.bin")? else {
        return Ok(());
    };
    for record in Records::new(&workbook) {
        let Ok((typ, body)) = record else { break };
        let sound = match typ {
            WORKBOOK_PROPERTIES => !body.is_empty(),
            SHEET_ENTRY => sheet_entry_relationship(body).is_some_and(|rel| match rel {
                None => true,
                Some(id) => ids.contains(&id),
            }),
            _ => true,
        };
        if !sound {
            return Err(damaged(
                Format::Xlsb,
                "its part xl/workbook.bin lists a sheet it cannot point to",
            ));
        }
    }
    Ok(())
}

/// `BrtColInfo`: the width and flags of a range of columns.
const COLUMN_INFO: u16 = 0x003C;

/// Hidden rows and columns of one sheet, as inclusive ranges.
type HiddenRanges = (Vec<(u32, u32)>, Vec<(u32, u32)>);

/// Hidden rows (`BrtRowHdr` with fDyZero) and columns (`BrtColInfo` with
/// fHidden) of every sheet, by sheet name ([MS-XLSB] 2.4.726, 2.4.323).
fn hidden_rows_and_columns(
    package: &mut Package<'_>,
) -> Result<std::collections::HashMap<String, HiddenRanges>, ReadError> {
    let mut out = std::collections::HashMap::new();
    let targets: std::collections::HashMap<String, String> = package
        .read("xl/_rels/workbook.bin.rels")?
        .map(|x| super::xlsx::relationships(&x))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, _, target)| (id, super::xlsx::resolve("xl", &target)))
        .collect();
    let Some(workbook) = package.read("xl/workbook.bin")? else {
        return Ok(out);
    };
    let mut entries = Vec::new();
    for record in Records::new(&workbook) {
        let Ok((typ, body)) = record else { break };
        if typ == SHEET_ENTRY
            && let Some((Some(id), name)) = sheet_entry(body)
            && let Some(part) = targets.get(&id)
        {
            entries.push((name, part.clone()));
        }
    }
    for (name, part) in entries {
        let Some(data) = package.read(&part)? else {
            continue;
        };
        out.insert(name, hidden_in_sheet(&data));
    }
    Ok(out)
}

/// The hidden rows and columns of one sheet part.
fn hidden_in_sheet(data: &[u8]) -> HiddenRanges {
    let u32_at = |b: &[u8], i: usize| {
        b.get(i..i + 4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    };
    let (mut rows, mut cols) = (Vec::new(), Vec::new());
    for record in Records::new(data) {
        let Ok((typ, body)) = record else { break };
        match typ {
            // rw (4), ixfe (4), miyRw (2), flags: fDyZero is bit 4 of the
            // second flag byte.
            ROW_HEADER => {
                if let (Some(row), Some(flags)) = (u32_at(body, 0), body.get(11))
                    && flags & 0x10 != 0
                {
                    super::push_range(&mut rows, row, row);
                }
            }
            // colFirst (4), colLast (4), coldx (4), ixfe (4), flags:
            // fHidden is bit 0.
            COLUMN_INFO => {
                if let (Some(first), Some(last), Some(flags)) =
                    (u32_at(body, 0), u32_at(body, 4), body.get(16))
                    && flags & 0x01 != 0
                    && first <= last
                {
                    cols.push((first, last));
                }
            }
            _ => {}
        }
    }
    (rows, cols)
}

/// A `BrtBundleSh`'s relationship id and sheet name; `None` when cut short.
fn sheet_entry(body: &[u8]) -> Option<(Option<String>, String)> {
    let rel = sheet_entry_relationship(body)?;
    let rel_units = match &rel {
        Some(id) => id.encode_utf16().count(),
        None => 0,
    };
    let at = 12 + rel_units * 2;
    let count = u32::from_le_bytes(body.get(at..at + 4)?.try_into().ok()?);
    let end = usize::try_from(count)
        .ok()?
        .checked_mul(2)?
        .checked_add(at + 4)?;
    let units: Vec<u16> = body
        .get(at + 4..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some((rel, String::from_utf16_lossy(&units)))
}

/// The relationship id a `BrtBundleSh` names (`Some(None)` for none);
/// `None` when the record is cut short.
fn sheet_entry_relationship(body: &[u8]) -> Option<Option<String>> {
    let count = u32::from_le_bytes(body.get(8..12)?.try_into().ok()?);
    if count == NO_RELATIONSHIP {
        return Some(None);
    }
    let end = usize::try_from(count)
        .ok()?
        .checked_mul(2)?
        .checked_add(12)?;
    let units: Vec<u16> = body
        .get(12..end)?
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some(Some(String::from_utf16_lossy(&units)))
}

/// `BrtRowHdr`: a new row starts.
const ROW_HEADER: u16 = 0x0000;
/// `BrtCellBlank` … `BrtFmlaError`: full cell records, column first.
const FULL_CELLS: std::ops::RangeInclusive<u16> = 0x0001..=0x000B;
/// `BrtShortBlank` … `BrtShortIsst`: cells without their column.
const SHORT_CELLS: std::ops::RangeInclusive<u16> = 0x000C..=0x0012;
/// What a short record becomes: `BrtShortBlank` → `BrtCellBlank` and so on.
const SHORT_TO_FULL: u16 = 0x000B;
/// `BrtFmlaError`, and the `BrtCellError` it becomes.
const FORMULA_ERROR: u16 = 0x000B;
const CELL_ERROR: u16 = 0x0003;
/// Bytes of a `Cell` (column, style) and of the error code after it.
const CELL_BYTES: usize = 8;

/// The package with its worksheet parts rewritten to full cell records,
/// or `None` when no part needs it.
fn full_cell_records(package: &mut Package<'_>) -> Result<Option<Vec<u8>>, ReadError> {
    let names = package.names();
    let mut parts: Vec<(String, Vec<u8>)> = Vec::with_capacity(names.len());
    let mut changed = false;
    for name in names {
        let Some(data) = package.read(&name)? else {
            continue;
        };
        let is_sheet = name.starts_with("xl/worksheets/") && name.ends_with(".bin");
        let data = match is_sheet.then(|| rewrite_sheet(&data)).flatten() {
            Some(rewritten) => {
                changed = true;
                rewritten
            }
            None => data,
        };
        parts.push((name, data));
    }
    if !changed {
        return Ok(None);
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    let failed = |source: zip::result::ZipError| ReadError::Rewrite {
        format: Format::Xlsb,
        source,
    };
    for (name, data) in parts {
        out.start_file(name, options).map_err(failed)?;
        out.write_all(&data)
            .map_err(|e| failed(zip::result::ZipError::Io(e)))?;
    }
    let bytes = out.finish().map_err(failed)?.into_inner();
    Ok(Some(bytes))
}

/// A sheet part with short cells and formula errors in their full forms;
/// `None` when it has neither (or cannot be walked: calamine then reports
/// the damage).
fn rewrite_sheet(data: &[u8]) -> Option<Vec<u8>> {
    let needs = Records::new(data)
        .any(|r| r.is_ok_and(|(typ, _)| SHORT_CELLS.contains(&typ) || typ == FORMULA_ERROR));
    if !needs {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() + data.len() / 4);
    let mut col: Option<u32> = None;
    for record in Records::new(data) {
        let (typ, body) = record.ok()?;
        match typ {
            ROW_HEADER => {
                col = None;
                write_record(&mut out, typ, body);
            }
            FORMULA_ERROR => {
                col = body
                    .get(..4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
                write_record(&mut out, CELL_ERROR, body.get(..CELL_BYTES + 1)?);
            }
            t if FULL_CELLS.contains(&t) => {
                col = body
                    .get(..4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
                write_record(&mut out, typ, body);
            }
            t if SHORT_CELLS.contains(&t) => {
                let c = col.map_or(0, |c| c.saturating_add(1));
                col = Some(c);
                let mut full = Vec::with_capacity(body.len() + 4);
                full.extend(c.to_le_bytes());
                full.extend(body);
                write_record(&mut out, t - SHORT_TO_FULL, &full);
            }
            _ => write_record(&mut out, typ, body),
        }
    }
    Some(out)
}

/// BIFF12 records: a type of one or two bytes and a size of one to four,
/// seven bits each.
struct Records<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Records<'a> {
    fn new(data: &'a [u8]) -> Records<'a> {
        Records { data, pos: 0 }
    }

    fn byte(&mut self) -> Result<u8, ()> {
        let b = *self.data.get(self.pos).ok_or(())?;
        self.pos += 1;
        Ok(b)
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(u16, &'a [u8]), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.data.len() {
            return None;
        }
        let mut read = || -> Result<(u16, &'a [u8]), ()> {
            let b0 = self.byte()?;
            let mut typ = u16::from(b0 & 0x7F);
            if b0 & 0x80 != 0 {
                typ |= u16::from(self.byte()? & 0x7F) << 7;
            }
            let mut size = 0usize;
            for shift in [0, 7, 14, 21] {
                let b = self.byte()?;
                size |= usize::from(b & 0x7F) << shift;
                if b & 0x80 == 0 {
                    break;
                }
            }
            let body = self.data.get(self.pos..self.pos + size).ok_or(())?;
            self.pos += size;
            Ok((typ, body))
        };
        let record = read();
        if record.is_err() {
            self.pos = self.data.len();
        }
        Some(record)
    }
}

/// Appends one BIFF12 record.
fn write_record(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push(((typ >> 7) & 0x7F) as u8);
    }
    let mut size = body.len();
    loop {
        let b = (size & 0x7F) as u8;
        size >>= 7;
        if size == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(body);
}

// A rewritten sheet part grows by 4 bytes a short cell at most; the
// package caps an xlsb's parts at XLSB_MAX_PART_BYTES whatever the limits
// say, so a rewritten part stays below what the zip writer handles without
// zip64.
const _: () = assert!(crate::read::package::XLSB_MAX_PART_BYTES < u32::MAX as u64 / 2);

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_record(&mut out, typ, body);
        out
    }

    #[test]
    fn short_cells_get_their_columns() {
        let style = [0u8, 0, 0, 0];
        let mut sheet = record(ROW_HEADER, &[0; 17]);
        // A full BrtCellRk at column 2, then two BrtShortRk.
        let mut full = 2u32.to_le_bytes().to_vec();
        full.extend(style);
        full.extend(7u32.to_le_bytes());
        sheet.extend(record(0x0002, &full));
        let mut short = style.to_vec();
        short.extend(9u32.to_le_bytes());
        sheet.extend(record(0x000D, &short));
        sheet.extend(record(0x000D, &short));
        // A new row: a short cell first is column 0.
        sheet.extend(record(ROW_HEADER, &[0; 17]));
        sheet.extend(record(0x000D, &short));
        let out = rewrite_sheet(&sheet).unwrap_or_default();
        let cells: Vec<(u16, u32)> = Records::new(&out)
            .filter_map(Result::ok)
            .filter(|(t, _)| *t != ROW_HEADER)
            .map(|(t, b)| (t, u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect();
        assert_eq!(cells, [(0x0002, 2), (0x0002, 3), (0x0002, 4), (0x0002, 0)]);
    }

    #[test]
    fn formula_errors_become_error_cells() {
        let mut body = 5u32.to_le_bytes().to_vec();
        body.extend([0, 0, 0, 0, 0x07, 0, 0]); // style, #DIV/0!, flags
        body.extend([1, 2, 3]); // formula
        let out = rewrite_sheet(&record(FORMULA_ERROR, &body)).unwrap_or_default();
        let records: Vec<(u16, Vec<u8>)> = Records::new(&out)
            .filter_map(Result::ok)
            .map(|(t, b)| (t, b.to_vec()))
            .collect();
        assert_eq!(records, [(CELL_ERROR, body[..9].to_vec())]);
    }

    #[test]
    fn hidden_rows_and_columns_are_read_from_their_flags() {
        let row = |r: u32, flags: u8| {
            let mut b = r.to_le_bytes().to_vec();
            b.extend([0; 6]);
            b.extend([0, flags]);
            b.extend([0; 5]);
            record(0x0000, &b)
        };
        let col = |a: u32, z: u32, flags: u8| {
            let mut b = a.to_le_bytes().to_vec();
            b.extend(z.to_le_bytes());
            b.extend([0; 8]);
            b.extend([flags, 0]);
            record(0x003C, &b)
        };
        let mut sheet = Vec::new();
        sheet.extend(col(2, 4, 0x01));
        sheet.extend(col(6, 6, 0x02));
        sheet.extend(row(0, 0x00));
        sheet.extend(row(7, 0x10));
        sheet.extend(row(8, 0x10));
        sheet.extend(row(9, 0x08));
        assert_eq!(hidden_in_sheet(&sheet), (vec![(7, 8)], vec![(2, 4)]));
    }

    #[test]
    fn sheet_entries_give_their_names() {
        let wide = |s: &str| {
            let units: Vec<u16> = s.encode_utf16().collect();
            let mut b = (units.len() as u32).to_le_bytes().to_vec();
            b.extend(units.iter().flat_map(|u| u.to_le_bytes()));
            b
        };
        let mut body = vec![0; 8];
        body.extend(wide("rId2"));
        body.extend(wide("预算表"));
        assert_eq!(
            sheet_entry(&body),
            Some((Some("rId2".to_string()), "预算表".to_string()))
        );
        assert_eq!(sheet_entry(&body[..body.len() - 1]), None);
    }

    #[test]
    fn records_round_trip_and_stop_at_damage() {
        let long = vec![7u8; 300];
        let mut data = record(0x0190, &long);
        data.extend(record(0x0001, &[1, 2]));
        let got: Vec<(u16, usize)> = Records::new(&data)
            .filter_map(Result::ok)
            .map(|(t, b)| (t, b.len()))
            .collect();
        assert_eq!(got, [(0x0190, 300), (0x0001, 2)]);
        assert!(rewrite_sheet(&data).is_none());
        let cut = &data[..10];
        assert!(Records::new(cut).any(|r| r.is_err()));
    }
}
