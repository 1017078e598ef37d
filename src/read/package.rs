//! Zip packages (xlsx, xlsm, xlsb, ods, docx): the size check that runs
//! before any part is inflated, and bounded reading of single parts. Every
//! zip-based reader opens its input here, so a zip bomb is refused the same
//! way whatever the format.

use crate::limits::Limits;
use crate::model::Format;
use crate::read::ReadError;
use std::io::{Cursor, Read};

/// Most bytes one part of an xlsb may inflate to whatever
/// [`Limits::zip_part_bytes`] says: a rewritten sheet part grows by 4 bytes
/// a short cell at most, and must stay below what the zip writer handles
/// without zip64.
pub(crate) const XLSB_MAX_PART_BYTES: u64 = u32::MAX as u64 / 2 - 1;

/// Most bytes [`Package::read`] reserves up front for a member's declared
/// size; a larger member grows its buffer as it inflates.
const PRESIZE_CAP: u64 = 16 << 20;

/// An opened zip package whose declared sizes are within the limits.
pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    format: Format,
    /// [`Limits::zip_part_bytes`] (capped for xlsb).
    part_bytes: u64,
}

impl<'a> Package<'a> {
    /// Opens the zip directory and refuses the package when any member's
    /// declared uncompressed size is over [`Limits::zip_part_bytes`], all of
    /// them together are over [`Limits::zip_bytes`] or it lists more than
    /// [`Limits::zip_parts`]: a zip bomb is refused
    /// before a byte of it is inflated. A member that lies about its size
    /// is stopped when it inflates past what it declared.
    pub(crate) fn open(
        bytes: &'a [u8],
        format: Format,
        limits: &Limits,
    ) -> Result<Package<'a>, ReadError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|source| ReadError::ZipDirectory { format, source })?;
        if zip.len() > limits.zip_parts {
            return Err(ReadError::TooManyParts {
                format,
                count: zip.len(),
                limit: limits.zip_parts,
            });
        }
        let part_bytes = match format {
            Format::Xlsb => limits.zip_part_bytes.min(XLSB_MAX_PART_BYTES),
            _ => limits.zip_part_bytes,
        };
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let member = zip.by_index_raw(i).map_err(|source| ReadError::ZipEntry {
                format,
                index: i,
                part: None,
                source,
            })?;
            let size = member.size();
            if size > part_bytes {
                return Err(ReadError::PartTooLarge {
                    part: String::from_utf8_lossy(member.name_raw()).into_owned(),
                    size,
                    limit: part_bytes,
                });
            }
            total = total.saturating_add(size);
        }
        if total > limits.zip_bytes {
            return Err(ReadError::PackageTooLarge {
                format,
                total,
                limit: limits.zip_bytes,
            });
        }
        Ok(Package {
            zip,
            format,
            part_bytes,
        })
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

    /// What [`Package::read`] of member `name` is a function of, as bytes:
    /// the compression method, the declared sizes and CRC, the part limit
    /// and the compressed bytes. Two members with the same key read to the
    /// same bytes (or fail the same way), so a parse of one serves the
    /// other without inflating it. `None` when there is no such member,
    /// it is encrypted, its compressed bytes are over `max` or cannot be
    /// read (then [`Package::read`] says why).
    pub(crate) fn member_key(&mut self, name: &str, max: u64) -> Option<Vec<u8>> {
        let index = self.find(name)?;
        let part_bytes = self.part_bytes;
        let mut member = self.zip.by_index_raw(index).ok()?;
        if member.encrypted() || member.compressed_size() > max {
            return None;
        }
        let mut key = format!(
            "{:?} {} {} {:08x} {part_bytes}\n",
            member.compression(),
            member.size(),
            member.compressed_size(),
            member.crc32()
        )
        .into_bytes();
        member.read_to_end(&mut key).ok()?;
        Some(key)
    }

    /// A reader of member `name`, or `None` when there is no such member.
    /// Reading stops at the declared size (the zip reader enforces it) and
    /// at [`Limits::zip_part_bytes`]. An encrypted member is an error saying so.
    pub(crate) fn reader(
        &mut self,
        name: &str,
    ) -> Result<Option<impl Read + use<'_, 'a>>, ReadError> {
        let Some(index) = self.find(name) else {
            return Ok(None);
        };
        let format = self.format;
        let part_bytes = self.part_bytes;
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
        Ok(Some(file.take(part_bytes)))
    }

    /// The whole of member `name`, or `None` when there is no such member.
    /// A member that inflates to fewer bytes than it declares is damaged.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let format = self.format;
        let declared = self.declared_size(name);
        let Some(mut r) = self.reader(name)? else {
            return Ok(None);
        };
        // Room for what the member declares (bounded by the part limit at
        // open), so inflating does not grow and copy the buffer step by
        // step; capped, so a lying header reserves no more than that.
        let reserve = declared.unwrap_or(0).min(PRESIZE_CAP) as usize;
        let mut out = Vec::with_capacity(reserve);
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
