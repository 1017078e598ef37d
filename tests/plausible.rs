//! The plausibility gate: each of its refusals, with the line it names, and
//! the look-alikes it must let through.

use gongkai::{ReadOptions, read_bytes};

fn refused(name: &str, text: &str) -> String {
    match read_bytes(text.as_bytes(), name, &ReadOptions::default()) {
        Ok(doc) => panic!("{name} converted: {:?}", doc.tables),
        Err(e) => e.to_string(),
    }
}

fn converts(name: &str, text: &str) {
    if let Err(e) = read_bytes(text.as_bytes(), name, &ReadOptions::default()) {
        panic!("{name}: {e}");
    }
}

const HEAD: &str = "项目支出表\n单位：元\n";

/// Reads `text` and holds the result to the rule the gate guards: either a
/// clear error, or a table whose every amount is a number written in the
/// source (thousands separators read as part of their number). Since the
/// text reader keeps `4,739,453.65` whole and reads space-aligned text as
/// columns, these inputs now convert; before, they were split into
/// invented amounts and the gate refused them.
fn never_invented(name: &str, text: &str) -> Result<usize, String> {
    let doc = match read_bytes(text.as_bytes(), name, &ReadOptions::default()) {
        Ok(doc) => doc,
        Err(e) => {
            let e = e.to_string();
            assert!(!e.trim().is_empty(), "{name}: an error without a message");
            return Err(e);
        }
    };
    let written: Vec<rust_decimal::Decimal> = text
        .split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .filter_map(|t| t.trim_matches([',', '.']).replace(',', "").parse().ok())
        .collect();
    let mut n = 0;
    for table in &doc.tables {
        for row in &table.rows {
            for cell in &row.cells {
                if let Some(d) = cell.amount() {
                    assert!(
                        written.contains(&d),
                        "{name}: the amount {d} is not written in the source"
                    );
                    n += 1;
                }
            }
        }
    }
    Ok(n)
}

#[test]
fn a_header_with_a_grouped_number_is_never_split_into_fragments() {
    let r = never_invented(
        "a.csv",
        &format!("{HEAD}项目,合计,4,739,453.65\n合计,1,234,567.00\n办公费,1,234,567.00\n"),
    );
    if let Ok(n) = r {
        assert!(n >= 2, "both amounts are read whole");
    }
}

#[test]
fn amounts_with_thousands_commas_are_never_split_across_cells() {
    let r = never_invented(
        "b.csv",
        &format!(
            "{HEAD}项目,合计,财政拨款,其他\n合计,1,234,567\n办公费,1,234,567\n差旅费,2,100,000\n"
        ),
    );
    // 1,234,567 is one amount, never 1 | 234 | 567.
    if let Ok(n) = r {
        assert!(n >= 3, "{n} amounts");
    }
}

#[test]
fn more_decimals_than_the_source_shows_is_refused() {
    let e = refused(
        "c.txt",
        &format!("{HEAD}项目\t金额\t备注\n合计\t051.54   1\t无\n办公费\t12.50\t无\n"),
    );
    assert!(e.contains("line 4, column '金额': the amount 51.541 has 3 decimals but its source text '051.54   1' shows 2"), "{e}");
}

#[test]
fn space_aligned_text_is_read_as_columns() {
    let n = never_invented(
        "d.txt",
        &format!(
            "{HEAD}项目          合计             财政拨款\n合计    4,739,453.65    4,739,453.65\n办公费  1,234,567.00    1,234,567.00\n"
        ),
    )
    .expect("the fixed-width reader reads it");
    assert_eq!(n, 4);
}

#[test]
fn prose_with_grouped_numbers_is_no_table() {
    let e = never_invented(
        "e.txt",
        "2025年部门预算编制说明\n2025年，某局收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比上年减少2,389.52万元\n支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比上年减少2,389.52万元\n",
    )
    .expect_err("prose is no table");
    assert!(e.contains("no table found"), "{e}");
}

#[test]
fn look_alikes_convert() {
    // Tab-separated three-digit amounts side by side are two amounts.
    converts(
        "f.txt",
        &format!("{HEAD}项目\t2024年\t2025年\n合计\t100\t120\n办公费\t100\t120\n"),
    );
    // Codes in columns of their own, quoted grouped amounts.
    converts(
        "g.csv",
        &format!(
            "{HEAD}类,款,项目,金额\n201,06,合计,\"4,739,453.65\"\n201,06,办公费,\"4,739,453.65\"\n"
        ),
    );
    // Full-width digits and a bracketed negative keep their decimals.
    converts(
        "h.txt",
        &format!("{HEAD}项目\t金额\n合计\t３，５９３．００\n退款\t(12.50)\n"),
    );
}
