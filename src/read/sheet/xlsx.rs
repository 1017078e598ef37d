//! xlsx and xlsm: values, styles and merges from calamine; hidden rows and
//! columns from the sheet XML, which calamine does not report.

use super::package::{Package, attr, damaged_part, is_true};
use super::{Budget, CellStyle, Sheet, SheetCell, damaged, encrypted, push_range};
use crate::error::Location;
use crate::limits::{Limit, Limits};
use crate::model::{Align, Format, Warning};
use crate::read::ReadError;
use calamine::{Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use quick_xml::events::Event;
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

/// Reads every worksheet of an xlsx or xlsm workbook.
pub(super) fn load(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Sheet>, ReadError> {
    let mut package = Package::open(bytes, format, limits)?;
    let mut layouts = sheet_layouts(&mut package, format, limits)?;
    drop(package);
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| error(format, None, e))?;
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
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| error(format, Some(&name), e))?
            .into_iter()
            .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
            .collect();
        let mut reader = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| error(format, Some(&name), e))?;
        let palette: Vec<CellStyle> = reader.styles().iter().map(style).collect();
        let mut cells = Vec::new();
        // Rows that hold values, counted as the cells stream by (row by
        // row), so a sheet over the row limit stops here, not after every
        // cell of it was read.
        let (mut rows, mut last_row) = (0usize, None);
        while let Some((cell, style)) = reader
            .next_cell_with_style_id()
            .map_err(|e| error(format, Some(&name), e))?
        {
            if let Some(c) = SheetCell::counted(&mut budget, &name, &cell, style)? {
                let row = cell.get_position().0;
                if last_row != Some(row) {
                    last_row = Some(row);
                    rows += 1;
                    limits.check(Limit::Rows, rows).map_err(|e| {
                        ReadError::limit_at(
                            Location::new()
                                .sheet(name.as_str())
                                .row(row.saturating_add(1)),
                            e,
                        )
                    })?;
                }
                cells.push(c);
            }
        }
        drop(reader);
        let layout = layouts.remove(&name).unwrap_or_default();
        if let (n @ 1.., first) = layout.uncached {
            let at = first.map_or_else(
                || format!("sheet '{name}'"),
                |cell| format!("sheet '{name}', cell {cell}"),
            );
            warnings.push(Warning::new(
                "formula-without-value",
                Some(at),
                format!(
                    "{n} formula cell(s) were saved without their value (the workbook was never \
                     recalculated) and are read as empty; open it in Excel or WPS and save it again"
                ),
            ));
        }
        sheets.push(Sheet {
            name,
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            palette,
            merges,
            hidden_rows: layout.hidden_rows,
            hidden_cols: layout.hidden_cols,
            uncached: layout.uncached_cells,
        });
    }
    Ok(sheets)
}

/// Maps a calamine error: a password is an encrypted workbook, the rest is
/// damage, named with the sheet where one is known.
fn error(format: Format, sheet: Option<&str>, e: XlsxError) -> ReadError {
    match (e, sheet) {
        (XlsxError::Password, _) => encrypted(),
        (e, Some(name)) => super::sheet_error(name, e),
        (e, None) => damaged(format, e),
    }
}

/// What the model keeps of a calamine style.
pub(super) fn style(s: &calamine::Style) -> CellStyle {
    use calamine::HorizontalAlignment as H;
    let align = s.alignment.as_ref();
    CellStyle {
        format: s
            .number_format
            .as_ref()
            .map(|f| super::NumFormat::parse(&f.format_code))
            .unwrap_or_default(),
        bold: s.font.as_ref().is_some_and(calamine::Font::is_bold),
        indent: align.and_then(|a| a.indent).unwrap_or(0),
        align: match align.map(|a| a.horizontal) {
            Some(H::Center | H::CenterContinuous) => Align::Center,
            Some(H::Right) => Align::Right,
            _ => Align::Left,
        },
    }
}

/// Hidden rows and columns of one sheet, and its formulas without a
/// cached value (calamine reads those as empty).
#[derive(Debug, Clone, Default)]
struct Layout {
    hidden_rows: Vec<(u32, u32)>,
    hidden_cols: Vec<(u32, u32)>,
    /// Formula cells saved without a value, and the first one's reference.
    uncached: (usize, Option<String>),
    /// Where those cells are: (row, column), zero-based.
    uncached_cells: Vec<(u32, u32)>,
}

/// Zero-based (row, column) of an A1 reference such as "H5".
fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |a, b| a * 26 + u32::from(b - b'A') + 1)
        - 1;
    let row = digits.parse::<u32>().ok()?.checked_sub(1)?;
    Some((row, col))
}

/// Hidden rows and columns of every sheet, by sheet name, read from the
/// sheet XML: the workbook part (from the package relationships), its
/// sheet list, its relationships to the sheet parts, then each sheet's
/// `<col hidden>` and `<row hidden>`. A package without these parts gives
/// no layouts; calamine then reports what is missing.
fn sheet_layouts(
    package: &mut Package<'_>,
    format: Format,
    limits: &Limits,
) -> Result<HashMap<String, Layout>, ReadError> {
    let mut out = HashMap::new();
    let workbook = package
        .read("_rels/.rels")?
        .and_then(|x| {
            relationships(&x)
                .into_iter()
                .find(|(_, ty, _)| ty.ends_with("/officeDocument"))
                .map(|(_, _, target)| resolve("", &target))
        })
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let dir = workbook.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let rels_name = format!(
        "{dir}/_rels/{}.rels",
        workbook.rsplit('/').next().unwrap_or("")
    );
    let Some(rels) = package.read(&rels_name)? else {
        return Ok(out);
    };
    let rels = relationships(&rels);
    if let Some((_, _, target)) = rels
        .iter()
        .find(|(_, ty, _)| ty.ends_with("/sharedStrings"))
    {
        check_shared_strings(package, &resolve(&dir, target))?;
    }
    let targets: HashMap<String, String> = rels
        .into_iter()
        .map(|(id, _, target)| (id, resolve(&dir, &target)))
        .collect();
    let Some(wb) = package.read(&workbook)? else {
        return Ok(out);
    };
    let mut reader = quick_xml::Reader::from_reader(wb.as_slice());
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                if let (Some(name), Some(id)) = (attr(&e, "name"), attr(&e, "id")) {
                    sheets.push((name, id));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    // The list is checked before any sheet's XML is scanned: a workbook
    // listing one sheet a thousand times would otherwise have it scanned a
    // thousand times before calamine's list is checked.
    let names: Vec<&str> = sheets.iter().map(|(name, _)| name.as_str()).collect();
    super::check_sheet_names(&names, limits)?;
    // A part listed under several names is scanned once.
    let mut scanned: HashMap<&str, Layout> = HashMap::new();
    for (name, id) in &sheets {
        if let Some(part) = targets.get(id) {
            let found = match scanned.get(part.as_str()) {
                Some(l) => l.clone(),
                None => {
                    let l = layout(package, part, format, limits)?;
                    scanned.insert(part.as_str(), l.clone());
                    l
                }
            };
            out.insert(name.clone(), found);
        }
    }
    Ok(out)
}

/// Fewest bytes a shared string takes in the XML (`<si/>`).
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// Refuses a shared-string table whose `uniqueCount` is more than its part
/// could hold: calamine reserves memory for that many strings up front.
fn check_shared_strings(package: &mut Package<'_>, part: &str) -> Result<(), ReadError> {
    let size = package.declared_size(part).unwrap_or(0);
    let Some(r) = package.reader(part)? else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(r));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let count = attr(&e, "uniqueCount").and_then(|v| v.trim().parse::<u64>().ok());
                if let Some(count) = count
                    && count > size / MIN_SHARED_STRING_BYTES + 1
                {
                    return Err(ReadError::at(
                        Location::new().part(part),
                        format!(
                            "declares {count} shared strings, more than its {size} bytes can hold; \
                             the workbook is damaged"
                        ),
                    ));
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// `(Id, Type, Target)` of every relationship in a `.rels` part.
pub(super) fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.push((id, attr(&e, "Type").unwrap_or_default(), target));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// A relationship target as a package part name.
pub(super) fn resolve(dir: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Reads the hidden rows and columns of one sheet part, streaming.
/// Positions of formula cells without a cached value are remembered for
/// the warning about them up to [`Limits::sheet_grid_cells`]; only their
/// count goes on past that.
fn layout(
    package: &mut Package<'_>,
    part: &str,
    format: Format,
    limits: &Limits,
) -> Result<Layout, ReadError> {
    let small = package
        .declared_size(part)
        .is_some_and(|n| n <= LAYOUT_SCAN_BYTES);
    let Some(mut r) = package.reader(part)? else {
        return Ok(Layout::default());
    };
    // Most sheets hide nothing and hold no formula: their layout is empty
    // whatever else they hold, which the bytes tell without parsing them
    // (the attribute name `hidden` and an element `f` cannot be escaped).
    // A part that does not inflate whole is streamed as before, so its
    // damage is reported where the walk meets it; so is a large one, so
    // it is not held in memory whole.
    let mut xml = Vec::new();
    if small && r.read_to_end(&mut xml).is_ok() {
        let found = |needle: &[u8]| memchr::memmem::find(&xml, needle).is_some();
        let zero_size = [
            &b"customHeight"[..],
            b"ht=\"0",
            b"ht='0",
            b"width=\"0",
            b"width='0",
        ]
        .iter()
        .any(|n| found(n));
        if !found(b"hidden") && !zero_size && !found(b"<f") && !found(b":f") {
            return Ok(Layout::default());
        }
        return walk_layout(BufReader::new(xml.as_slice()), format, part, limits);
    }
    drop(r);
    match package.reader(part)? {
        Some(r) => walk_layout(BufReader::new(r), format, part, limits),
        None => Ok(Layout::default()),
    }
}

/// Largest sheet part (declared size) [`layout`] inflates whole to look
/// for hidden rows and formulas before walking it.
const LAYOUT_SCAN_BYTES: u64 = 8 << 20;

/// [`layout`]'s walk over the sheet XML.
fn walk_layout(
    r: impl std::io::BufRead,
    format: Format,
    part: &str,
    limits: &Limits,
) -> Result<Layout, ReadError> {
    let mut out = Layout::default();
    let mut reader = quick_xml::Reader::from_reader(r);
    let mut buf = Vec::new();
    let mut next_row: u32 = 0;
    // The open <c>: its reference, whether it has a formula, a value.
    let mut cell: Option<(Option<String>, bool, bool)> = None;
    // Inside a <v>: an empty one (`<v></v>`, as openpyxl writes for a
    // formula) is no value.
    let mut in_v = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "c" => {
                cell = Some((attr(&e, "r"), false, false));
            }
            Ok(Event::Start(e)) if cell.is_some() && e.local_name().as_ref() == "v" => {
                in_v = true;
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "v" => in_v = false,
            Ok(Event::Text(t)) if in_v && !t.is_empty() => {
                if let Some((_, _, value)) = cell.as_mut() {
                    *value = true;
                }
            }
            Ok(Event::Start(e) | Event::Empty(e))
                if cell.is_some() && matches!(e.local_name().as_ref(), "f" | "v" | "is") =>
            {
                if let Some((_, formula, value)) = cell.as_mut() {
                    match e.local_name().as_ref() {
                        "f" => *formula = true,
                        "is" => *value = true,
                        // <v/>: no value.
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "c" => {
                if let Some((reference, true, false)) = cell.take() {
                    out.uncached.0 += 1;
                    if let Some(at) = reference.as_deref().and_then(parse_ref)
                        && out.uncached_cells.len() < limits.sheet_grid_cells
                    {
                        out.uncached_cells.push(at);
                    }
                    if out.uncached.1.is_none() {
                        out.uncached.1 = reference;
                    }
                }
            }
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "row" => {
                    let row = attr(&e, "r")
                        .and_then(|r| r.parse::<u32>().ok())
                        .map_or(next_row, |r| r.saturating_sub(1));
                    next_row = row.saturating_add(1);
                    if is_true(attr(&e, "hidden").as_deref()) || row_of_no_height(&e) {
                        push_range(&mut out.hidden_rows, row, row);
                    }
                }
                "col" if is_true(attr(&e, "hidden").as_deref()) || zero(attr(&e, "width")) => {
                    let min = attr(&e, "min").and_then(|v| v.parse::<u32>().ok());
                    let max = attr(&e, "max").and_then(|v| v.parse::<u32>().ok());
                    if let (Some(min), Some(max)) = (min, max) {
                        push_range(
                            &mut out.hidden_cols,
                            min.saturating_sub(1),
                            max.saturating_sub(1),
                        );
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(quick_xml::Error::Io(e)) => {
                return Err(damaged_part(format, part, e));
            }
            // Malformed XML: calamine reports it when it reads the cells.
            Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// A row Excel shows at no height, hidden as surely as by `hidden="1"`:
/// `ht="0"`, or a custom height without a height (openpyxl writes a row
/// set to height 0 so, and Excel draws it 0 high).
fn row_of_no_height(e: &quick_xml::events::BytesStart<'_>) -> bool {
    match attr(e, "ht") {
        Some(ht) => zero(Some(ht)),
        None => is_true(attr(e, "customHeight").as_deref()),
    }
}

/// A size attribute of zero (or less): a column `width="0"` is hidden.
fn zero(v: Option<String>) -> bool {
    v.and_then(|v| v.trim().parse::<f64>().ok())
        .is_some_and(|n| n <= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve() {
        assert_eq!(
            resolve("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(resolve("xl", "/xl/worksheets/s.xml"), "xl/worksheets/s.xml");
        assert_eq!(
            resolve("xl/sub", "../worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve("", "xl/workbook.xml"), "xl/workbook.xml");
    }

    #[test]
    fn rows_and_columns_of_no_size_are_hidden() {
        let xml = br#"<worksheet><cols><col min="2" max="3" width="0" customWidth="1"/><col min="4" max="4" width="12.5" customWidth="1"/></cols><sheetData><row r="1" ht="20" customHeight="1"/><row r="2" ht="0" customHeight="1"/><row r="3" customHeight="1"/><row r="4" ht="0.0"/><row r="5"/><row r="6" ht="15"/></sheetData></worksheet>"#;
        let layout =
            walk_layout(&xml[..], Format::Xlsx, "s.xml", &Limits::default()).expect("walks");
        assert_eq!(layout.hidden_rows, vec![(1, 3)]);
        assert_eq!(layout.hidden_cols, vec![(1, 2)]);
    }

    #[test]
    fn references_parse() {
        assert_eq!(parse_ref("A1"), Some((0, 0)));
        assert_eq!(parse_ref("H5"), Some((4, 7)));
        assert_eq!(parse_ref("AA10"), Some((9, 26)));
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("5"), None);
        assert_eq!(parse_ref("a1"), None);
    }

    #[test]
    fn ranges_join() {
        let mut r = Vec::new();
        push_range(&mut r, 3, 3);
        push_range(&mut r, 4, 4);
        push_range(&mut r, 9, 10);
        assert_eq!(r, vec![(3, 4), (9, 10)]);
    }
}
