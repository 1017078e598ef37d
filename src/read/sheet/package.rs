//! Zip packages (xlsx, xlsm, xlsb, ods): the size check that runs before
//! calamine reads anything, and bounded reading of single parts.

use super::{MAX_MEMBER_BYTES, MAX_PACKAGE_BYTES};
use crate::model::Format;
use crate::read::ReadError;
use std::io::{Cursor, Read};

/// Most members a package may list. A workbook with a hundred sheets has a
/// few hundred parts.
const MAX_MEMBERS: usize = 10_000;

/// An opened zip package whose declared sizes are within the limits.
pub(super) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    format: Format,
}

impl<'a> Package<'a> {
    /// Opens the zip directory and refuses the package when any member's
    /// declared uncompressed size is over [`MAX_MEMBER_BYTES`] or all of
    /// them together are over [`MAX_PACKAGE_BYTES`]: a zip bomb is refused
    /// before a byte of it is inflated. A member that lies about its size
    /// is stopped by the zip reader when it inflates past what it declared.
    pub(super) fn open(bytes: &'a [u8], format: Format) -> Result<Package<'a>, ReadError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            ReadError::Other(format!(
                "the .{format} workbook is damaged or truncated: its zip directory cannot be read ({e})"
            ))
        })?;
        if zip.len() > MAX_MEMBERS {
            return Err(ReadError::Other(format!(
                "the .{format} package lists {} parts, over the limit of {MAX_MEMBERS}",
                zip.len()
            )));
        }
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let member = zip.by_index_raw(i).map_err(|e| {
                ReadError::Other(format!(
                    "the .{format} workbook is damaged: zip entry {i} cannot be read ({e})"
                ))
            })?;
            let size = member.size();
            if size > MAX_MEMBER_BYTES {
                return Err(ReadError::at(
                    format!("zip part '{}'", String::from_utf8_lossy(member.name_raw())),
                    format!(
                        "declares {size} bytes uncompressed, over the limit of {MAX_MEMBER_BYTES} \
                         bytes per part; refused without inflating it (a zip bomb?)"
                    ),
                ));
            }
            total = total.saturating_add(size);
        }
        if total > MAX_PACKAGE_BYTES {
            return Err(ReadError::Other(format!(
                "the .{format} package declares {total} bytes uncompressed, over the limit of \
                 {MAX_PACKAGE_BYTES} bytes; refused without inflating it (a zip bomb?)"
            )));
        }
        Ok(Package { zip, format })
    }

    /// The name of the member called `name`, compared without case and
    /// without a leading slash (as Office does).
    fn find(&self, name: &str) -> Option<usize> {
        let want = name.trim_start_matches('/');
        self.zip.index_for_name(want).or_else(|| {
            self.zip.file_names_raw().position(|n| {
                let n = String::from_utf8_lossy(n);
                n.trim_start_matches('/').eq_ignore_ascii_case(want)
            })
        })
    }

    /// The names of the members that are files (not folders).
    pub(super) fn names(&self) -> Vec<String> {
        self.zip
            .file_names_raw()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .filter(|n| !n.ends_with('/'))
            .collect()
    }

    /// The uncompressed size member `name` declares, if there is one.
    pub(super) fn declared_size(&mut self, name: &str) -> Option<u64> {
        let index = self.find(name)?;
        self.zip.by_index_raw(index).ok().map(|f| f.size())
    }

    /// A reader of member `name`, or `None` when there is no such member.
    /// Reading stops at the declared size (the zip reader enforces it) and
    /// at [`MAX_MEMBER_BYTES`].
    pub(super) fn reader(
        &mut self,
        name: &str,
    ) -> Result<Option<impl Read + use<'_, 'a>>, ReadError> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let format = self.format;
        let file = self.zip.by_index(index).map_err(|e| {
            ReadError::Other(format!(
                "the .{format} workbook is damaged: part '{name}' cannot be read ({e})"
            ))
        })?;
        Ok(Some(file.take(MAX_MEMBER_BYTES)))
    }

    /// The whole of member `name`, or `None` when there is no such member.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let format = self.format;
        let Some(mut r) = self.reader(name)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| damaged_part(format, name, &e))?;
        Ok(Some(out))
    }
}

/// The message for a part that stops inflating half-way.
pub(super) fn damaged_part(format: Format, name: &str, e: &dyn std::fmt::Display) -> ReadError {
    ReadError::Other(format!(
        "the .{format} workbook is damaged: part '{name}' cannot be inflated ({e})"
    ))
}

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
