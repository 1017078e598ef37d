//! xlsb (Excel binary workbook): values from calamine's cell reader.
//! calamine reads no styles, merges or hidden rows from xlsb, so amounts
//! come without their format's scale (the normaliser still gives them two
//! decimals) and headers without merges.

use super::package::Package;
use super::{Budget, CellValue, Sheet, SheetCell, damaged};
use crate::model::{Format, Warning};
use crate::read::ReadError;
use calamine::{Reader, SheetType, SheetVisible, Xlsb};
use std::io::Cursor;

/// Reads every worksheet of an xlsb workbook.
pub(super) fn load(bytes: &[u8], warnings: &mut Vec<Warning>) -> Result<Vec<Sheet>, ReadError> {
    let format = Format::Xlsb;
    drop(Package::open(bytes, format)?);
    let mut wb: Xlsb<_> = Xlsb::new(Cursor::new(bytes)).map_err(|e| damaged(format, e))?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let mut sheets = Vec::new();
    let mut budget = Budget::default();
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
        let sheet_error = |e: calamine::XlsbError| {
            ReadError::at(
                format!("sheet '{name}'"),
                format!("the sheet cannot be read: {e}"),
            )
        };
        let mut reader = wb.worksheet_cells_reader(&name).map_err(sheet_error)?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(sheet_error)? {
            let data = cell.get_value();
            if matches!(data, calamine::DataRef::Empty) {
                continue;
            }
            let (row, col) = cell.get_position();
            budget.cells(&name, (row, col), CellValue::text_len(data), 1)?;
            let Some(value) = CellValue::from_data_ref(data) else {
                continue;
            };
            cells.push(SheetCell {
                row,
                col,
                value,
                style: 0,
            });
        }
        drop(reader);
        sheets.push(Sheet {
            name,
            hidden: meta.visible != SheetVisible::Visible,
            cells,
            ..Sheet::default()
        });
    }
    Ok(sheets)
}
