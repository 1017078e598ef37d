//! The zip package of a workbook (shared with the Word reader, in
//! [`crate::read::package`]) and the XML helpers of the workbook parts.

pub(super) use crate::read::package::{Package, damaged_part};

/// The value of attribute `key` (by local name) of an XML start tag.
pub(super) fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Whether an XML boolean attribute is true (`1`, `true`).
pub(super) fn is_true(v: Option<&str>) -> bool {
    matches!(v, Some("1" | "true"))
}
