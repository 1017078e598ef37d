//! Small helpers over quick-xml start tags: local names, attribute
//! values by local name, on/off and integer properties.

use crate::model::Align;
use quick_xml::events::BytesStart;

pub(super) fn local<'b>(e: &'b BytesStart<'_>) -> &'b str {
    let name = e.name().into_inner();
    match name.rfind(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The value of the attribute whose local name is `key` (any prefix).
pub(super) fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

pub(super) fn val(e: &BytesStart<'_>) -> Option<String> {
    attr(e, "val")
}

/// An on/off property (w:b, w:tblHeader): on unless its value says off.
pub(super) fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off" | "none"))
}

pub(super) fn int_val(e: &BytesStart<'_>, key: &str) -> Option<i64> {
    attr(e, key).and_then(|v| v.trim().parse().ok())
}

pub(super) fn jc_align(v: &str) -> Align {
    match v {
        "center" => Align::Center,
        "right" | "end" => Align::Right,
        _ => Align::Left,
    }
}
