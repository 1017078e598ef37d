//! ods (OpenDocument spreadsheet): values from calamine; merges, hidden
//! rows and columns, cell styles (bold, alignment, indent) and the shown
//! text of numbers (which gives their scale) from our own pass over
//! content.xml, which also bounds what calamine will lay out.

use super::number::format_of_shown;
use super::package::{Package, attr, damaged_part};
use super::{
    Budget, CellStyle, CellValue, Extent, Sheet, SheetCell, check_extents, damaged, encrypted,
};
use crate::error::Location;
use crate::limits::Limits;
use crate::model::{Align, Format, Warning};
use crate::read::ReadError;
use calamine::{Ods, OdsError, Reader, SheetVisible};
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufReader, Cursor};

/// Left margin of one indent level, in points: what LibreOffice writes for
/// an Excel indent of 1 (0.1457 in); two levels are 0.2917 in.
const INDENT_STEP_PT: f64 = 10.5;

/// Reads every sheet of an ods workbook.
pub(super) fn load(
    bytes: &[u8],
    limits: &Limits,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Sheet>, ReadError> {
    let format = Format::Ods;
    let mut package = Package::open(bytes, format, limits)?;
    let content = scan(&mut package, limits)?;
    drop(package);
    let extents: Vec<_> = content
        .tables
        .iter()
        .map(|t| (t.name.clone(), t.extent))
        .collect();
    check_extents(&extents, limits)?;
    let mut wb: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        OdsError::Password => encrypted(),
        e => damaged(format, e),
    })?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    super::check_sheet_list(&metas, limits)?;
    let mut by_name: HashMap<String, OdsTable> = content
        .tables
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let mut sheets = Vec::new();
    for meta in metas {
        let name = meta.name;
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| super::sheet_error(&name, e))?;
        let table = by_name.remove(&name).unwrap_or_default();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut palette = vec![CellStyle::default()];
        let mut cells = Vec::new();
        for (r, c, data) in range.used_cells() {
            let Some(value) = CellValue::from_data(data) else {
                continue;
            };
            let (row, col) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
            let info = table.cells.get(&(row, col));
            let mut style = info
                .and_then(|i| i.style)
                .and_then(|s| content.styles.get(s))
                .cloned()
                .unwrap_or_default();
            if let (
                CellValue::Float(_),
                Some(OdsCell {
                    shown: Some(shown),
                    percent,
                    ..
                }),
            ) = (&value, info)
            {
                style.format = format_of_shown(shown, *percent);
            }
            // LibreOffice writes a failed formula as a string cell marked
            // calcext:value-type="error".
            let value = match (value, info) {
                (CellValue::Text(t), Some(OdsCell { error: true, .. })) => CellValue::Error(t),
                (v, _) => v,
            };
            let style = match palette.iter().position(|p| *p == style) {
                Some(i) => i,
                None => {
                    palette.push(style);
                    palette.len() - 1
                }
            };
            cells.push(SheetCell {
                row,
                col,
                value,
                style,
            });
        }
        if table.capped_merges {
            warnings.push(Warning::new(
                "merge-ignored",
                Some(format!("sheet '{name}'")),
                format!(
                    "more than {} merged regions; the rest are read unmerged ({})",
                    limits.sheet_merges,
                    crate::limits::Limit::SheetMerges.how_to_raise()
                ),
            ));
        }
        sheets.push(Sheet {
            name,
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            palette,
            merges: table.merges,
            hidden_rows: table.hidden_rows,
            hidden_cols: table.hidden_cols,
            ..Sheet::default()
        });
    }
    Ok(sheets)
}

/// What content.xml says beyond the values.
#[derive(Debug, Default)]
struct Content {
    /// Cell styles (automatic styles of the table-cell family).
    styles: Vec<CellStyle>,
    tables: Vec<OdsTable>,
}

/// One `<table:table>`.
#[derive(Debug, Default)]
struct OdsTable {
    name: String,
    /// Non-empty cells by (row, column).
    cells: HashMap<(u32, u32), OdsCell>,
    merges: Vec<(u32, u32, u32, u32)>,
    capped_merges: bool,
    hidden_rows: Vec<(u32, u32)>,
    hidden_cols: Vec<(u32, u32)>,
    /// First and last non-empty (row, column).
    extent: Option<Extent>,
}

/// A non-empty cell: its style and, for numbers, the text shown.
#[derive(Debug, Clone, Default)]
struct OdsCell {
    style: Option<usize>,
    shown: Option<String>,
    percent: bool,
    /// A failed formula (LibreOffice's `calcext:value-type="error"`).
    error: bool,
}

/// A cell of the row being read, before the row's repeat is known.
struct PendingCell {
    col: u32,
    repeat: u32,
    span: Option<(u32, u32)>,
    info: Option<OdsCell>,
    /// Bytes of the cell's text.
    text_bytes: usize,
}

/// Reads styles, structure and shown numbers from content.xml, streaming.
fn scan(package: &mut Package<'_>, limits: &Limits) -> Result<Content, ReadError> {
    let mut content = Content::default();
    let Some(r) = package.reader("content.xml")? else {
        return Err(ReadError::MissingPart {
            format: Format::Ods,
            part: "content.xml".into(),
        });
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(r));
    let mut buf = Vec::new();
    let mut style_names: HashMap<String, usize> = HashMap::new();
    let mut style: Option<(String, CellStyle)> = None;
    let mut table: Option<OdsTable> = None;
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut column: u32 = 0;
    let mut row_start: Option<(u32, bool)> = None;
    let mut pending: Vec<PendingCell> = Vec::new();
    let mut budget = Budget::new(limits);
    let io_error = |e: quick_xml::Error| match e {
        quick_xml::Error::Io(io) => damaged_part(Format::Ods, "content.xml", io),
        e => ReadError::Xml {
            at: Location::new(),
            what: "the .ods content.xml is not well-formed XML".into(),
            source: Box::new(e),
        },
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(io_error)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => {
                    if attr(&e, "family").as_deref() == Some("table-cell")
                        && let Some(name) = attr(&e, "name")
                    {
                        if empty {
                            style_names.insert(name, content.styles.len());
                            content.styles.push(CellStyle::default());
                        } else {
                            style = Some((name, CellStyle::default()));
                        }
                    }
                }
                "paragraph-properties" => {
                    if let Some((_, s)) = style.as_mut() {
                        match attr(&e, "text-align").as_deref() {
                            Some("center") => s.align = Align::Center,
                            Some("end" | "right") => s.align = Align::Right,
                            _ => {}
                        }
                        if let Some(pt) = attr(&e, "margin-left").and_then(|m| points(&m)) {
                            s.indent = (pt / INDENT_STEP_PT).round().clamp(0.0, 15.0) as u8;
                        }
                    }
                }
                "text-properties" => {
                    if let Some((_, s)) = style.as_mut()
                        && attr(&e, "font-weight").as_deref() == Some("bold")
                    {
                        s.bold = true;
                    }
                }
                "table" => {
                    if let Some(t) = table.take() {
                        content.tables.push(t);
                    }
                    table = Some(OdsTable {
                        name: attr(&e, "name").unwrap_or_default(),
                        ..OdsTable::default()
                    });
                    (row, column) = (0, 0);
                }
                "table-column" => {
                    let repeat = count(&e, "number-columns-repeated");
                    if let Some(t) = table.as_mut()
                        && hidden(&e)
                    {
                        t.hidden_cols
                            .push((column, column.saturating_add(repeat - 1)));
                    }
                    column = column.saturating_add(repeat);
                }
                "table-row" => {
                    col = 0;
                    pending.clear();
                    row_start = Some((count(&e, "number-rows-repeated"), hidden(&e)));
                    if empty {
                        end_row(
                            table.as_mut(),
                            &mut row,
                            &mut row_start,
                            &mut pending,
                            &mut budget,
                        )?;
                    }
                }
                name @ ("table-cell" | "covered-table-cell") => {
                    let covered = name == "covered-table-cell";
                    let repeat = count(&e, "number-columns-repeated");
                    let value_type = qualified_attr(&e, "office:value-type");
                    let error =
                        qualified_attr(&e, "calcext:value-type").as_deref() == Some("error");
                    let span = (!covered).then(|| {
                        (
                            count(&e, "number-rows-spanned"),
                            count(&e, "number-columns-spanned"),
                        )
                    });
                    let style = attr(&e, "style-name").and_then(|s| style_names.get(&s).copied());
                    let mut spaces = 0u64;
                    let text = if empty {
                        String::new()
                    } else {
                        cell_text(&mut reader, &mut buf, &mut spaces, limits.cell_chars as u64)
                            .map_err(io_error)?
                    };
                    // calamine writes out every space a <text:s text:c="N"/>
                    // asks for: refuse a count no cell can hold before it
                    // gets to allocate them.
                    if spaces > limits.cell_chars as u64 {
                        return Err(ReadError::at(
                            Location::new()
                                .part("content.xml")
                                .sheet(table.as_ref().map_or("", |t| t.name.as_str()))
                                .row(row.saturating_add(1)),
                            format!(
                                "a cell asks for {spaces} spaces (<text:s text:c=\"…\"/>), over the \
                                 limit of {} characters in a cell: the workbook is damaged or \
                                 hostile ({})",
                                limits.cell_chars,
                                crate::limits::Limit::CellChars.how_to_raise()
                            ),
                        ));
                    }
                    let text_bytes = text.len();
                    let info = (value_type.is_some() || !text.is_empty()).then(|| {
                        let numeric = matches!(
                            value_type.as_deref(),
                            Some("float" | "percentage" | "currency")
                        );
                        OdsCell {
                            style,
                            percent: value_type.as_deref() == Some("percentage"),
                            shown: numeric.then_some(text),
                            error,
                        }
                    });
                    pending.push(PendingCell {
                        col,
                        repeat,
                        span: span.filter(|&(r, c)| r > 1 || c > 1),
                        info,
                        text_bytes,
                    });
                    col = col.saturating_add(repeat);
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "style" => {
                    if let Some((name, s)) = style.take() {
                        style_names.insert(name, content.styles.len());
                        content.styles.push(s);
                    }
                }
                "table-row" => {
                    end_row(
                        table.as_mut(),
                        &mut row,
                        &mut row_start,
                        &mut pending,
                        &mut budget,
                    )?;
                }
                "table" => {
                    if let Some(t) = table.take() {
                        content.tables.push(t);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if let Some(t) = table.take() {
        content.tables.push(t);
    }
    Ok(content)
}

/// Files the cells of a finished row, repeated as the row says. Refuses a
/// workbook whose repeated cells would exceed the [`Budget`].
fn end_row(
    table: Option<&mut OdsTable>,
    row: &mut u32,
    row_start: &mut Option<(u32, bool)>,
    pending: &mut Vec<PendingCell>,
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let Some((repeat, is_hidden)) = row_start.take() else {
        return Ok(());
    };
    let Some(t) = table else {
        pending.clear();
        return Ok(());
    };
    let last = row.saturating_add(repeat - 1);
    if is_hidden {
        t.hidden_rows.push((*row, last));
    }
    for p in pending.drain(..) {
        if let Some((rows, cols)) = p.span {
            for k in 0..repeat.min(p.repeat.max(1)) {
                if t.merges.len() >= budget.limits.sheet_merges {
                    t.capped_merges = true;
                    break;
                }
                let r = row.saturating_add(k);
                t.merges.push((
                    r,
                    p.col,
                    r.saturating_add(rows - 1),
                    p.col.saturating_add(cols - 1),
                ));
            }
        }
        let Some(info) = p.info else { continue };
        let n = u64::from(repeat).saturating_mul(u64::from(p.repeat));
        budget.cells(&t.name, (*row, p.col), p.text_bytes, n)?;
        let last_col = p.col.saturating_add(p.repeat - 1);
        t.extent = Some(match t.extent {
            None => ((*row, p.col), (last, last_col)),
            Some(((r0, c0), (r1, c1))) => (
                (r0.min(*row), c0.min(p.col)),
                (r1.max(last), c1.max(last_col)),
            ),
        });
        for r in *row..=last {
            for c in p.col..=last_col {
                t.cells.insert((r, c), info.clone());
            }
        }
    }
    *row = last.saturating_add(1);
    Ok(())
}

/// The text of a cell element, read up to its end tag: paragraphs joined
/// by line breaks, `<text:s>` as spaces; annotations (comments) skipped.
/// `spaces` adds up the spaces every `<text:s>` of the cell asks for
/// (annotations included), uncapped, for the caller to check against
/// `max_spaces`; past that total no more spaces are written out, so a
/// cell of a million `<text:s text:c="1000"/>` costs no memory before it
/// is refused.
fn cell_text<R: std::io::BufRead>(
    reader: &mut quick_xml::Reader<R>,
    buf: &mut Vec<u8>,
    spaces: &mut u64,
    max_spaces: u64,
) -> Result<String, quick_xml::Error> {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut annotation = 0usize;
    let mut paragraphs = 0usize;
    loop {
        buf.clear();
        let event = reader.read_event_into(buf)?;
        if let Event::Start(e) | Event::Empty(e) = &event
            && e.local_name().as_ref() == "s"
        {
            *spaces = spaces.saturating_add(declared(e, "c"));
        }
        match event {
            Event::Start(e) => {
                depth += 1;
                match e.local_name().as_ref() {
                    "annotation" => annotation += 1,
                    "p" if annotation == 0 => {
                        if paragraphs > 0 {
                            text.push('\n');
                        }
                        paragraphs += 1;
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if annotation == 0 => match e.local_name().as_ref() {
                "s" if *spaces <= max_spaces => {
                    let n = count(&e, "c").min(1_000);
                    text.extend(std::iter::repeat_n(' ', n as usize));
                }
                "tab" => text.push('\t'),
                "line-break" => text.push('\n'),
                "p" => {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
                _ => {}
            },
            Event::Text(t) if annotation == 0 => {
                text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if annotation == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    let name = r.xml10_content();
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        text.push_str(s);
                    }
                }
            }
            Event::End(e) => {
                if depth == 0 {
                    return Ok(text);
                }
                depth -= 1;
                if e.local_name().as_ref() == "annotation" {
                    annotation = annotation.saturating_sub(1);
                }
            }
            Event::Eof => return Ok(text),
            _ => {}
        }
    }
}

/// The value of the attribute with the qualified name `name`.
fn qualified_attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

/// A repeat or span count attribute: at least 1.
/// A count attribute as declared, for guards: digits beyond `u64` read as
/// `u64::MAX`, no attribute or no number as 1.
fn declared(e: &BytesStart<'_>, key: &str) -> u64 {
    match attr(e, key) {
        Some(v) if !v.trim().is_empty() && v.trim().bytes().all(|b| b.is_ascii_digit()) => {
            v.trim().parse::<u64>().unwrap_or(u64::MAX)
        }
        _ => 1,
    }
}

fn count(e: &BytesStart<'_>, key: &str) -> u32 {
    attr(e, key)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Whether a row or column is collapsed or filtered out.
fn hidden(e: &BytesStart<'_>) -> bool {
    matches!(
        attr(e, "visibility").as_deref(),
        Some("collapse" | "filter")
    )
}

/// A length such as `0.1457in`, `0.37cm`, `10pt` in points.
fn points(length: &str) -> Option<f64> {
    let l = length.trim();
    let split = l.find(|c: char| c.is_ascii_alphabetic())?;
    let value: f64 = l[..split].parse().ok()?;
    let factor = match &l[split..] {
        "in" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "pt" => 1.0,
        "pc" => 12.0,
        _ => return None,
    };
    Some(value * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(
            points("0.1457in").map(|p| (p / INDENT_STEP_PT).round()),
            Some(1.0)
        );
        assert_eq!(
            points("0.2917in").map(|p| (p / INDENT_STEP_PT).round()),
            Some(2.0)
        );
        assert_eq!(points("10pt"), Some(10.0));
        assert_eq!(points("x"), None);
    }
}
