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

#[test]
fn a_header_of_number_fragments_is_refused() {
    let e = refused(
        "a.csv",
        &format!("{HEAD}项目,合计,4,739,453.65\n合计,1,234,567.00\n办公费,1,234,567.00\n"),
    );
    assert!(
        e.starts_with("line 3: the header is made of number fragments ('4' | '739')"),
        "{e}"
    );
}

#[test]
fn amounts_split_at_thousands_commas_are_refused() {
    let e = refused(
        "b.csv",
        &format!(
            "{HEAD}项目,合计,财政拨款,其他\n合计,1,234,567\n办公费,1,234,567\n差旅费,2,100,000\n"
        ),
    );
    assert!(
        e.starts_with(
            "line 4, column '财政拨款': an amount looks split across cells ('1' | '234')"
        ),
        "{e}"
    );
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
fn space_aligned_text_is_refused_at_its_first_line() {
    let e = refused(
        "d.txt",
        &format!(
            "{HEAD}项目          合计             财政拨款\n合计    4,739,453.65    4,739,453.65\n办公费  1,234,567.00    1,234,567.00\n"
        ),
    );
    assert!(
        e.contains(
            "looks space-aligned: columns are separated by runs of spaces, not tabs or commas"
        ),
        "{e}"
    );
    assert!(e.starts_with("line "), "{e}");
}

#[test]
fn prose_cut_at_thousands_commas_is_refused() {
    let e = refused(
        "e.txt",
        "2025年部门预算编制说明\n2025年，某局收入预算9,101.68万元，其中：财政拨款收入9,101.68万元，比上年减少2,389.52万元\n支出预算9,101.68万元，其中：财政拨款支出预算9,101.68万元，比上年减少2,389.52万元\n",
    );
    assert!(
        e.contains("numbers in the text look split at their thousands separators"),
        "{e}"
    );
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
