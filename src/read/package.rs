//! Zip packages (xlsx, xlsm, xlsb, ods, docx): the size check that runs
//! before any part is inflated, and bounded reading of single parts. Every
//! zip-based reader opens its input here, so a zip bomb is refused the same
//! way whatever the format.

use crate::model::Format;
use crate::read::ReadError;
use std::io::{Cursor, Read};

/// Largest uncompressed size of one zip member (a sheet's XML, the shared
/// strings, a Word document's body). A 65,536-row budget table is under
/// 30 MB of XML.
pub const MAX_MEMBER_BYTES: u64 = 100 * 1024 * 1024;

/// Largest uncompressed size of all members of a zip package together.
pub const MAX_PACKAGE_BYTES: u64 = 200 * 1024 * 1024;

/// Most members a package may list. A workbook with a hundred sheets has a
/// few hundred parts.
const MAX_MEMBERS: usize = 10_000;

/// An opened zip package whose declared sizes are within the limits.
pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    format: Format,
}

impl<'a> Package<'a> {
    /// Opens the zip directory and refuses the package when any member's
    /// declared uncompressed size is over [`MAX_MEMBER_BYTES`] or all of
    /// them together are over [`MAX_PACKAGE_BYTES`]: a zip bomb is refused
    /// before a byte of it is inflated. A member that lies about its size
    /// is stopped when it inflates past what it declared.
    pub(crate) fn open(bytes: &'a [u8], format: Format) -> Result<Package<'a>, ReadError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|source| ReadError::ZipDirectory { format, source })?;
        if zip.len() > MAX_MEMBERS {
            return Err(ReadError::TooManyParts {
                format,
                count: zip.len(),
                limit: MAX_MEMBERS,
            });
        }
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let member = zip.by_index_raw(i).map_err(|source| ReadError::ZipEntry {
                format,
                index: i,
                part: None,
                source,
            })?;
            let size = member.size();
            if size > MAX_MEMBER_BYTES {
                return Err(ReadError::PartTooLarge {
                    part: String::from_utf8_lossy(member.name_raw()).into_owned(),
                    size,
                    limit: MAX_MEMBER_BYTES,
                });
            }
            total = total.saturating_add(size);
        }
        if total > MAX_PACKAGE_BYTES {
            return Err(ReadError::PackageTooLarge {
                format,
                total,
                limit: MAX_PACKAGE_BYTES,
            });
        }
        Ok(Package { zip, format })
    }

    /// The index of the member called `name`, compared without case and
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

    /// Whether the package has a member called `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    /// The names of the members that are files (not folders).
    pub(crate) fn names(&self) -> Vec<String> {
        self.zip
            .file_names_raw()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .filter(|n| !n.ends_with('/'))
            .collect()
    }

    /// The uncompressed size member `name` declares, if there is one.
    pub(crate) fn declared_size(&mut self, name: &str) -> Option<u64> {
        let index = self.find(name)?;
        self.zip.by_index_raw(index).ok().map(|f| f.size())
    }

    /// A reader of member `name`, or `None` when there is no such member.
    /// Reading stops at the declared size (the zip reader enforces it) and
    /// at [`MAX_MEMBER_BYTES`]. An encrypted member is an error saying so.
    pub(crate) fn reader(
        &mut self,
        name: &str,
    ) -> Result<Option<impl Read + use<'_, 'a>>, ReadError> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let format = self.format;
        if self.zip.by_index_raw(index).is_ok_and(|f| f.encrypted()) {
            return Err(ReadError::Unsupported(format!(
                "the .{format} file is encrypted (password-protected); remove the password and save again"
            )));
        }
        let file = self
            .zip
            .by_index(index)
            .map_err(|source| ReadError::ZipEntry {
                format,
                index,
                part: Some(name.to_string()),
                source,
            })?;
        Ok(Some(file.take(MAX_MEMBER_BYTES)))
    }

    /// The whole of member `name`, or `None` when there is no such member.
    /// A member that inflates to fewer bytes than it declares is damaged.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let format = self.format;
        let declared = self.declared_size(name);
        let Some(mut r) = self.reader(name)? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        r.read_to_end(&mut out)
            .map_err(|e| damaged_part(format, name, e))?;
        if let Some(declared) = declared
            && (out.len() as u64) < declared
        {
            return Err(damaged_part(
                format,
                name,
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "it inflates to {} of the {declared} bytes it declares",
                        out.len()
                    ),
                ),
            ));
        }
        Ok(Some(out))
    }
}

/// The error for a part that stops inflating half-way.
pub(crate) fn damaged_part(
    format: Format,
    name: &str,
    source: impl Into<std::sync::Arc<std::io::Error>>,
) -> ReadError {
    ReadError::Inflate {
        format,
        part: name.to_string(),
        source: source.into(),
    }
}
