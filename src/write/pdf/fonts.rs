//! The font store and the font book: which face draws which character in
//! which role.
//!
//! A [`FontStore`] holds every face a caller renders with — the bundled
//! ones and the font files profiles name — each parsed the first time a
//! document needs it and then shared by every document (and thread) the
//! store renders, with the subsets made of it. The caller owns the store
//! (a command line run, a batch across all its files and threads, a
//! library user); nothing is kept per process. Parsing reads the table
//! directory, the character map and the advance widths; no glyph outline
//! is decoded (the subsetter copies glyph records as bytes). A
//! [`FontBook`] gives one document's text roles a deterministic fallback
//! chain (the profile's file, the role's bundled face, the other bundled
//! face, the Ext-B fallback) over the faces of a store and answers the
//! layout's two questions — which face has this character, and how wide
//! is it.

use crate::profile::{FontFace, FontSpec, Fonts};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use thiserror::Error;

// The bundled faces' bytes come from the gongkai-fonts crate (fonts/lib.rs),
// compiled apart: the common cuts of Noto Serif SC Regular (body text,
// amounts, meta lines, notes) and Noto Sans SC Bold (title, header rows,
// totals), 8,000 glyphs where the full faces have 30,000, so parsed faster
// and smaller in memory; the full faces gzip-compressed, inflated the first
// time a document needs a character the common cuts lack; HanaMinB cut down
// to CJK Extension B, gzip-compressed, inflated only when a document needs
// one of its characters.

/// The largest inflated bundled face is about 22 MB; refuse anything much
/// larger so a damaged build cannot make us allocate without bound.
const MAX_INFLATED_FONT: u64 = 64 << 20;

/// A face built into gongkai: its bytes, whether they are gzip-compressed,
/// its file name (for messages) and its fixed PDF resource name.
#[derive(Debug, Clone, Copy)]
struct Embedded {
    bytes: &'static [u8],
    gzip: bool,
    label: &'static str,
    resource_id: &'static str,
}

/// The bundled faces, in the order of their [`FaceId`]s in every font book.
fn bundled() -> [Embedded; 5] {
    [
        Embedded {
            bytes: gongkai_fonts::serif_common(),
            gzip: false,
            label: "NotoSerifSC-Regular-common.ttf",
            resource_id: "SERIFC",
        },
        Embedded {
            bytes: gongkai_fonts::sans_common(),
            gzip: false,
            label: "NotoSansSC-Bold-common.ttf",
            resource_id: "SANSBC",
        },
        Embedded {
            bytes: gongkai_fonts::serif_full_gz(),
            gzip: true,
            label: "NotoSerifSC-Regular.ttf",
            resource_id: "SERIFR",
        },
        Embedded {
            bytes: gongkai_fonts::sans_full_gz(),
            gzip: true,
            label: "NotoSansSC-Bold.ttf",
            resource_id: "SANSBD",
        },
        Embedded {
            bytes: gongkai_fonts::extb_gz(),
            gzip: true,
            label: "HanaMinB-ExtB.ttf",
            resource_id: "EXTBFB",
        },
    ]
}

impl Embedded {
    /// The face, inflated first when compressed. A face that cannot be
    /// read is an error naming it: the build is damaged.
    fn load(&self) -> Result<Face, FontError> {
        let damaged = |reason: String| FontError::Bundled {
            name: self.label.to_string(),
            reason,
        };
        let bytes = if self.gzip {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(self.bytes)
                .take(MAX_INFLATED_FONT + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| damaged(format!("cannot inflate it: {e}")))?;
            if bytes.len() as u64 > MAX_INFLATED_FONT {
                return Err(damaged(format!(
                    "it inflates to more than {MAX_INFLATED_FONT} bytes"
                )));
            }
            Bytes::Owned(bytes)
        } else {
            Bytes::Static(self.bytes)
        };
        Face::parse(bytes, self.label, self.resource_id)
            .map_err(|_| damaged("not a TrueType/OpenType font gongkai can read".into()))
    }
}

/// A bundled face of a store, parsed the first time a document needs it.
#[derive(Debug)]
struct Bundled {
    embedded: Embedded,
    face: OnceLock<Result<Arc<Face>, FontError>>,
}

impl Bundled {
    fn new(embedded: Embedded) -> Bundled {
        Bundled {
            embedded,
            face: OnceLock::new(),
        }
    }

    /// The face, parsed on first use (by whichever thread asks first; the
    /// others wait for it).
    fn get(&self) -> Result<&Arc<Face>, &FontError> {
        self.face
            .get_or_init(|| self.embedded.load().map(Arc::new))
            .as_ref()
    }
}

/// The fonts documents are set in: the bundled faces and the font files
/// profiles name, each read and parsed once per store, the first time a
/// document needs it, and the subsets made of each face (the documents of
/// a batch mostly draw the same characters, so a subset is made once for
/// all of them).
///
/// One store serves any number of documents, profiles and threads. It is
/// cheap to clone: clones share the same faces. Each [`crate::RenderOptions`]
/// carries one ([`crate::RenderOptions::default`] makes a new one); render
/// many documents with clones of the same options, or give them one store
/// with [`crate::RenderOptions::with_fonts`], to parse the faces once.
/// Two stores share nothing, and give the same bytes for the same input.
#[derive(Clone, Default)]
pub struct FontStore {
    inner: Arc<Store>,
}

#[derive(Debug)]
struct Store {
    /// In the order of [`bundled`].
    bundled: [Bundled; 5],
    /// Font files of profiles, by path.
    files: Mutex<Files>,
}

impl Default for Store {
    fn default() -> Store {
        Store {
            bundled: bundled().map(Bundled::new),
            files: Mutex::new(Files::default()),
        }
    }
}

/// A profile's font files as read (or why not), by path, and their faces
/// by path and PDF resource name (a document names its own files
/// `USERFA`, `USERFB` … in the order its roles use them).
#[derive(Debug, Default)]
struct Files {
    bytes: BTreeMap<PathBuf, Result<Arc<Vec<u8>>, FontError>>,
    faces: BTreeMap<(PathBuf, String), Result<Arc<Face>, FontError>>,
}

impl fmt::Debug for FontStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What has been parsed depends on what was rendered before: not
        // shown, so that the options print the same whatever came first.
        f.debug_struct("FontStore").finish_non_exhaustive()
    }
}

impl FontStore {
    /// A store with nothing parsed yet.
    pub fn new() -> FontStore {
        FontStore::default()
    }

    /// A store whose bundled face `label` is made of `bytes` instead of the
    /// build's: a test's damaged face.
    #[cfg(test)]
    pub(crate) fn with_bundled_bytes(label: &str, bytes: &'static [u8]) -> FontStore {
        let mut store = Store::default();
        for b in &mut store.bundled {
            if b.embedded.label == label {
                b.embedded.bytes = bytes;
            }
        }
        FontStore {
            inner: Arc::new(store),
        }
    }

    /// A profile's font file under the PDF resource name `resource_id`:
    /// the file read (a regular file within the size limit) once per
    /// store, its face parsed once per name.
    fn file_face(&self, path: &Path, resource_id: &str) -> Result<Arc<Face>, FontError> {
        let mut files = self.inner.files.lock().unwrap_or_else(|e| e.into_inner());
        let key = (path.to_path_buf(), resource_id.to_string());
        if let Some(face) = files.faces.get(&key) {
            return face.clone();
        }
        let bytes = files
            .bytes
            .entry(path.to_path_buf())
            .or_insert_with(|| read_font_file(path).map(Arc::new))
            .clone();
        let label = path.display().to_string();
        let face =
            bytes.and_then(|b| Face::parse(Bytes::Shared(b), &label, resource_id).map(Arc::new));
        files.faces.insert(key, face.clone());
        face
    }
}

/// Why fonts could not be loaded.
#[derive(Debug, Clone, Error)]
pub enum FontError {
    /// A profile's font file could not be read.
    #[error("font file '{}': cannot read it: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: Arc<std::io::Error>,
    },
    /// A profile's font file is a folder, a FIFO or a device.
    #[error("font file '{}': cannot read it: not a regular file", path.display())]
    NotAFile {
        /// The file.
        path: PathBuf,
    },
    /// A profile's font file grew while it was read (its size was
    /// checked against [`crate::Limits::font_bytes`] when the profile was
    /// loaded).
    #[error("font file '{}': cannot read it: it grew past {limit} bytes while it was read", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size when it was looked at.
        limit: u64,
    },
    /// A file is not a TrueType-outline font (its `glyf`, `loca`, `hmtx`
    /// or `cmap` table is missing or damaged).
    #[error("font file '{name}' is not a TrueType/OpenType font gongkai can read")]
    Parse {
        /// The file.
        name: String,
    },
    /// A face built into gongkai cannot be inflated or parsed: the build
    /// is damaged. Never a face silently left out.
    #[error("bundled font '{name}' cannot be read ({reason}): this build of gongkai is damaged")]
    Bundled {
        /// The face's file name.
        name: String,
        /// What failed.
        reason: String,
    },
}

/// The bytes of a face: bundled (static), inflated (owned) or a font
/// file's, shared by its faces under each resource name.
#[derive(Debug)]
enum Bytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
    Shared(Arc<Vec<u8>>),
}

impl Bytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Owned(b) => b,
            Bytes::Shared(b) => b,
        }
    }
}

/// Where a table of the font lies in its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Span {
    pub(crate) offset: usize,
    pub(crate) len: usize,
}

/// The tables the subsetter copies or rewrites, and the metrics of the
/// font descriptor.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tables {
    pub(crate) head: Span,
    pub(crate) hhea: Span,
    pub(crate) maxp: Span,
    pub(crate) hmtx: Span,
    pub(crate) loca: Span,
    pub(crate) glyf: Span,
    /// Hinting tables, copied whole when present.
    pub(crate) cvt: Option<Span>,
    pub(crate) fpgm: Option<Span>,
    pub(crate) prep: Option<Span>,
    pub(crate) loca_long: bool,
    pub(crate) num_glyphs: u16,
    pub(crate) n_hmetrics: u16,
    pub(crate) units_per_em: u16,
    pub(crate) ascent: i16,
    pub(crate) descent: i16,
    pub(crate) bbox: [i16; 4],
}

/// Big-endian reads that fail instead of panicking on a short font.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

/// One parsed face: the character map and advance widths read straight
/// from its `cmap` and `hmtx` tables (no glyph outline is decoded), and
/// the spans the subsetter needs.
#[derive(Debug)]
pub struct Face {
    /// File name (bundled) or path (a profile's), for messages.
    pub label: String,
    /// Fixed PDF resource name; its first six letters become the subset tag.
    pub resource_id: String,
    /// The PostScript name (`name` table, id 6), for /BaseFont.
    pub ps_name: String,
    bytes: Bytes,
    pub(crate) tables: Tables,
    /// Glyph of every BMP character (0: none).
    bmp: Vec<u16>,
    /// (first, last, first glyph) of the character ranges above the BMP.
    astral: Vec<(u32, u32, u32)>,
    /// Advance width of every glyph, in font units.
    advances: Vec<u16>,
    /// Font programs already made for a set of characters (see
    /// [`super::subset`]): documents of a batch mostly use the same
    /// glyphs, so the subset is made and deflated once per store.
    pub(crate) subsets: Mutex<Vec<MadeSubset>>,
}

/// A font program made for one set of (character, glyph) pairs.
pub(crate) type MadeSubset = (Vec<(char, u16)>, Arc<super::subset::Program>);

/// Table directory offset of face 0 of a font or collection.
pub(crate) fn directory(b: &[u8]) -> Option<usize> {
    if b.get(0..4)? == b"ttcf" {
        usize::try_from(be32(b, 12)?).ok()
    } else {
        Some(0)
    }
}

pub(crate) fn find_table(b: &[u8], dir: usize, tag: &[u8; 4]) -> Option<Span> {
    let n = usize::from(be16(b, dir + 4)?);
    (0..n).find_map(|i| {
        let rec = dir + 12 + 16 * i;
        if b.get(rec..rec + 4)? != tag {
            return None;
        }
        let offset = usize::try_from(be32(b, rec + 8)?).ok()?;
        let len = usize::try_from(be32(b, rec + 12)?).ok()?;
        (offset.checked_add(len)? <= b.len()).then_some(Span { offset, len })
    })
}

impl Face {
    fn parse(bytes: Bytes, label: &str, resource_id: &str) -> Result<Face, FontError> {
        let fail = || FontError::Parse {
            name: label.to_string(),
        };
        let b = bytes.as_slice();
        let dir = directory(b).ok_or_else(fail)?;
        let table = |tag: &[u8; 4]| find_table(b, dir, tag).ok_or_else(fail);
        let head = table(b"head")?;
        let hhea = table(b"hhea")?;
        let maxp = table(b"maxp")?;
        let hmtx = table(b"hmtx")?;
        let loca = table(b"loca")?;
        let glyf = table(b"glyf")?;
        let cmap = table(b"cmap")?;
        let r16 = |at: usize| be16(b, at).ok_or_else(fail);
        let i16_at = |at: usize| r16(at).map(|v| v as i16);
        let units_per_em = r16(head.offset + 18)?.max(1);
        let bbox = [
            i16_at(head.offset + 36)?,
            i16_at(head.offset + 38)?,
            i16_at(head.offset + 40)?,
            i16_at(head.offset + 42)?,
        ];
        let loca_long = r16(head.offset + 50)? == 1;
        let num_glyphs = r16(maxp.offset + 4)?;
        let n_hmetrics = r16(hhea.offset + 34)?.clamp(1, num_glyphs.max(1));
        if hmtx.len < usize::from(n_hmetrics) * 4
            || loca.len < (usize::from(num_glyphs) + 1) * if loca_long { 4 } else { 2 }
        {
            return Err(fail());
        }
        let advances = (0..num_glyphs)
            .map(|g| {
                let i = usize::from(g.min(n_hmetrics - 1));
                be16(b, hmtx.offset + 4 * i).unwrap_or(0)
            })
            .collect();
        let (bmp, astral) = read_cmap(b, cmap, num_glyphs).ok_or_else(fail)?;
        let tables = Tables {
            head,
            hhea,
            maxp,
            hmtx,
            loca,
            glyf,
            cvt: find_table(b, dir, b"cvt "),
            fpgm: find_table(b, dir, b"fpgm"),
            prep: find_table(b, dir, b"prep"),
            loca_long,
            num_glyphs,
            n_hmetrics,
            units_per_em,
            ascent: i16_at(hhea.offset + 4)?,
            descent: i16_at(hhea.offset + 6)?,
            bbox,
        };
        let ps_name = find_table(b, dir, b"name")
            .and_then(|name| postscript_name(b, name))
            .unwrap_or_else(|| "Font".to_string());
        Ok(Face {
            label: label.to_string(),
            resource_id: resource_id.to_string(),
            ps_name,
            bytes,
            tables,
            bmp,
            astral,
            advances,
            subsets: Mutex::new(Vec::new()),
        })
    }

    /// The font file's bytes.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The glyph for `ch`, or `None` when the face lacks it (glyph 0 is
    /// .notdef, i.e. missing).
    pub fn glyph(&self, ch: char) -> Option<u16> {
        let c = ch as u32;
        let g = if c <= 0xFFFF {
            self.bmp.get(c as usize).copied().unwrap_or(0)
        } else {
            let i = self.astral.partition_point(|r| r.1 < c);
            match self.astral.get(i) {
                Some(&(first, _, g0)) if first <= c => u16::try_from(g0 + (c - first)).unwrap_or(0),
                _ => 0,
            }
        };
        (g != 0 && g < self.tables.num_glyphs).then_some(g)
    }

    /// Advance width of glyph `g` in font units.
    pub(crate) fn advance_units(&self, g: u16) -> u16 {
        self.advances.get(usize::from(g)).copied().unwrap_or(0)
    }

    /// Advance width of `ch` in ems, `None` when the face lacks it.
    pub fn advance_em(&self, ch: char) -> Option<f32> {
        let g = self.glyph(ch)?;
        Some(f32::from(self.advance_units(g)) / f32::from(self.tables.units_per_em))
    }
}

/// The best Unicode subtable of a `cmap`: format 12 (full repertoire)
/// before format 4 (BMP). Returns the BMP glyphs and the ranges above it.
type CharMap = (Vec<u16>, Vec<(u32, u32, u32)>);

fn read_cmap(b: &[u8], cmap: Span, num_glyphs: u16) -> Option<CharMap> {
    let base = cmap.offset;
    let n = usize::from(be16(b, base + 2)?);
    let mut best: Option<(u8, usize)> = None;
    for i in 0..n {
        let rec = base + 4 + 8 * i;
        let (platform, encoding) = (be16(b, rec)?, be16(b, rec + 2)?);
        let off = base + usize::try_from(be32(b, rec + 4)?).ok()?;
        let format = be16(b, off)?;
        let rank = match (platform, encoding, format) {
            (3, 10, 12) | (0, 4, 12) | (0, 6, 12) => 3,
            (3, 1, 4) | (0, 3, 4) => 2,
            (0, _, 4) => 1,
            _ => continue,
        };
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, off));
        }
    }
    let (_, off) = best?;
    let mut bmp = vec![0u16; 0x10000];
    let mut astral = Vec::new();
    if be16(b, off)? == 12 {
        let groups = usize::try_from(be32(b, off + 12)?).ok()?;
        for i in 0..groups {
            let g = off + 16 + 12 * i;
            let (first, last, g0) = (be32(b, g)?, be32(b, g + 4)?, be32(b, g + 8)?);
            if last < first || last > 0x10FFFF {
                continue;
            }
            for c in first..=last.min(0xFFFF) {
                let gid = g0 + (c - first);
                if gid < u32::from(num_glyphs) {
                    bmp[c as usize] = gid as u16;
                }
            }
            if last > 0xFFFF {
                let start = first.max(0x10000);
                astral.push((start, last, g0 + (start - first)));
            }
        }
        astral.sort_unstable();
    } else {
        let segs = usize::from(be16(b, off + 6)? / 2);
        let ends = off + 14;
        let starts = ends + 2 * segs + 2;
        let deltas = starts + 2 * segs;
        let ranges = deltas + 2 * segs;
        for s in 0..segs {
            let (end, start) = (be16(b, ends + 2 * s)?, be16(b, starts + 2 * s)?);
            let delta = be16(b, deltas + 2 * s)?;
            let range_at = ranges + 2 * s;
            let range = usize::from(be16(b, range_at)?);
            if start > end {
                continue;
            }
            for c in start..=end {
                if c == 0xFFFF {
                    break;
                }
                let gid = if range == 0 {
                    c.wrapping_add(delta)
                } else {
                    let at = range_at + range + 2 * usize::from(c - start);
                    match be16(b, at) {
                        Some(0) | None => 0,
                        Some(g) => g.wrapping_add(delta),
                    }
                };
                if gid < num_glyphs {
                    bmp[usize::from(c)] = gid;
                }
            }
        }
    }
    Some((bmp, astral))
}

/// The PostScript name of a `name` table (id 6), ASCII letters, digits
/// and hyphens only.
fn postscript_name(b: &[u8], name: Span) -> Option<String> {
    let base = name.offset;
    let count = usize::from(be16(b, base + 2)?);
    let strings = base + usize::from(be16(b, base + 4)?);
    for i in 0..count {
        let rec = base + 6 + 12 * i;
        let (platform, id) = (be16(b, rec)?, be16(b, rec + 6)?);
        if id != 6 {
            continue;
        }
        let len = usize::from(be16(b, rec + 8)?);
        let at = strings + usize::from(be16(b, rec + 10)?);
        let raw = b.get(at..at + len)?;
        let text: String = if platform == 3 || platform == 0 {
            raw.chunks_exact(2)
                .filter_map(|c| char::from_u32(u32::from(u16::from_be_bytes([c[0], c[1]]))))
                .collect()
        } else {
            raw.iter().map(|&c| c as char).collect()
        };
        let clean: String = text
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !clean.is_empty() {
            return Some(clean);
        }
    }
    None
}

/// The roles text plays on a page; each has its own fallback chain and
/// size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The table title.
    Title,
    /// Header rows and totals rows.
    Header,
    /// Body text, meta lines, notes, page numbers.
    Body,
    /// Amounts and percentages.
    Numbers,
}

impl Role {
    /// Every role, in chain order.
    pub const ALL: [Role; 4] = [Role::Title, Role::Header, Role::Body, Role::Numbers];

    fn index(self) -> usize {
        match self {
            Role::Title => 0,
            Role::Header => 1,
            Role::Body => 2,
            Role::Numbers => 3,
        }
    }

    fn spec(self, fonts: &Fonts) -> &FontSpec {
        match self {
            Role::Title => &fonts.title,
            Role::Header => &fonts.header,
            Role::Body => &fonts.body,
            Role::Numbers => &fonts.numbers,
        }
    }
}

/// Index of a face in a [`FontBook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceId(pub usize);

/// A face of a [`FontBook`]: parsed already, or a bundled face of the
/// store (its index in [`bundled`]) parsed the first time a lookup reaches
/// it.
#[derive(Debug)]
enum Slot {
    Ready(Arc<Face>),
    Lazy(usize),
}

/// The faces of one document, borrowed from a [`FontStore`], and each
/// role's fallback chain.
#[derive(Debug)]
pub struct FontBook {
    store: Arc<Store>,
    faces: Vec<Slot>,
    chains: [Vec<FaceId>; 4],
    sizes: [f32; 4],
    /// The first bundled face a lookup of this document reached that could
    /// not be read: the writer fails with it ([`FontBook::error`]).
    failed: OnceLock<FontError>,
}

/// Smallest and largest font sizes a profile may ask for, in points:
/// below 4 pt nothing is legible, above 72 pt one title character fills a
/// line.
const FONT_SIZE_RANGE: (f32, f32) = (4.0, 72.0);

/// Positions of the bundled faces in every font book.
const SERIF_COMMON_ID: FaceId = FaceId(0);
const SANS_COMMON_ID: FaceId = FaceId(1);
const SERIF_FULL_ID: FaceId = FaceId(2);
const SANS_FULL_ID: FaceId = FaceId(3);
const EXTB_ID: FaceId = FaceId(4);

impl FontBook {
    /// The font book for a profile's fonts, its faces from `store`. Each
    /// role's chain: its own file (read once per store), the role's bundled
    /// face (common cut, then whole), the other bundled face (the same
    /// two), the Ext-B fallback. The common cuts are parsed now (an error
    /// if they cannot be), the rest when a lookup first needs them.
    pub fn new(store: &FontStore, fonts: &Fonts) -> Result<FontBook, FontError> {
        let bundled = &store.inner.bundled;
        let common = |id: FaceId| bundled[id.0].get().cloned().map_err(Clone::clone);
        let mut faces = vec![
            Slot::Ready(common(SERIF_COMMON_ID)?),
            Slot::Ready(common(SANS_COMMON_ID)?),
            Slot::Lazy(SERIF_FULL_ID.0),
            Slot::Lazy(SANS_FULL_ID.0),
            Slot::Lazy(EXTB_ID.0),
        ];
        let mut user_ids: BTreeMap<PathBuf, FaceId> = BTreeMap::new();
        let mut chains: [Vec<FaceId>; 4] = Default::default();
        let mut sizes = [0.0; 4];
        for role in Role::ALL {
            let spec = role.spec(fonts);
            let chain = &mut chains[role.index()];
            if let Some(path) = &spec.file {
                let id = match user_ids.get(path) {
                    Some(id) => *id,
                    None => {
                        let resource = format!("USERF{}", (b'A' + user_ids.len() as u8) as char);
                        let face = store.file_face(path, &resource)?;
                        let id = FaceId(faces.len());
                        faces.push(Slot::Ready(face));
                        user_ids.insert(path.clone(), id);
                        id
                    }
                };
                chain.push(id);
            }
            let serif_first = [SERIF_COMMON_ID, SERIF_FULL_ID, SANS_COMMON_ID, SANS_FULL_ID];
            let sans_first = [SANS_COMMON_ID, SANS_FULL_ID, SERIF_COMMON_ID, SERIF_FULL_ID];
            chain.extend(match spec.bundled {
                FontFace::Serif | FontFace::SerifBold => serif_first,
                FontFace::Sans | FontFace::SansBold => sans_first,
            });
            chain.push(EXTB_ID);
            let size = if spec.size_pt.is_finite() {
                spec.size_pt
            } else {
                FontSpec::default().size_pt
            };
            sizes[role.index()] = size.clamp(FONT_SIZE_RANGE.0, FONT_SIZE_RANGE.1);
        }
        Ok(FontBook {
            store: store.inner.clone(),
            faces,
            chains,
            sizes,
            failed: OnceLock::new(),
        })
    }

    /// The profile's size for a role, in points.
    pub fn size(&self, role: Role) -> f32 {
        self.sizes[role.index()]
    }

    /// The face with the given id (parsing a bundled one on first use).
    /// `None` for a bundled face that cannot be read: the book remembers
    /// why, and [`FontBook::error`] reports it.
    pub fn face(&self, id: FaceId) -> Option<&Face> {
        match self.faces.get(id.0)? {
            Slot::Ready(face) => Some(face),
            Slot::Lazy(i) => match self.store.bundled.get(*i)?.get() {
                Ok(face) => Some(face),
                Err(e) => {
                    // The first failure is the one reported.
                    let _ = self.failed.set(e.clone());
                    None
                }
            },
        }
    }

    /// The first face of the role's chain that has `ch`, with its advance
    /// in ems; `None` when no configured face has it.
    pub fn lookup(&self, role: Role, ch: char) -> Option<(FaceId, f32)> {
        self.chains[role.index()]
            .iter()
            .find_map(|id| Some((*id, self.face(*id)?.advance_em(ch)?)))
    }

    /// The bundled face this document needed and could not have, if any:
    /// a writer checks after layout and fails with it, rather than set
    /// the text without the face.
    pub fn error(&self) -> Option<FontError> {
        self.failed.get().cloned()
    }
}

/// A font file's bytes: a regular file, so a profile naming a FIFO or
/// /dev/zero is an error, not a hang; no more bytes than its size said
/// (the size a profile is loaded with is within
/// [`crate::Limits::font_bytes`]).
fn read_font_file(path: &Path) -> Result<Vec<u8>, FontError> {
    let io = |e: std::io::Error| FontError::Read {
        path: path.to_path_buf(),
        source: Arc::new(e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(FontError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let max = meta.len();
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(FontError::TooLarge {
            path: path.to_path_buf(),
            limit: max,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_faces_cover_the_corpus_rare_characters() {
        let book = FontBook::new(&FontStore::new(), &Fonts::default()).unwrap();
        // Common characters from the common cut of the serif…
        for ch in ['国', '，', '％', '１', 'A', '9', '≥', '“'] {
            let (id, adv) = book.lookup(Role::Body, ch).unwrap();
            assert_eq!(
                id, SERIF_COMMON_ID,
                "{ch} should come from the common serif"
            );
            assert!(adv > 0.2 && adv <= 1.0, "{ch}: {adv}");
        }
        // …rarer ones from the whole serif, with the same advance a common
        // character has in either.
        for ch in ['堃', '喆', '珺', '\u{4DAE}'] {
            let (id, adv) = book.lookup(Role::Body, ch).unwrap();
            assert_eq!(id, SERIF_FULL_ID, "{ch} should come from the whole serif");
            assert!(adv > 0.2 && adv <= 1.0, "{ch}: {adv}");
        }
        let full = book.face(SERIF_FULL_ID).unwrap();
        let common = book.face(SERIF_COMMON_ID).unwrap();
        assert_eq!(full.advance_em('国'), common.advance_em('国'));
        let (id, _) = book.lookup(Role::Header, '国').unwrap();
        assert_eq!(id, SANS_COMMON_ID);
        let (id, _) = book.lookup(Role::Header, '堃').unwrap();
        assert_eq!(id, SANS_FULL_ID, "bold stays bold for rare characters");
        // U+2003E (Ext-B) is in neither Noto face: the fallback draws it.
        let (id, _) = book.lookup(Role::Body, '\u{2003E}').unwrap();
        assert_eq!(book.face(id).unwrap().label, "HanaMinB-ExtB.ttf");
        // A private-use character is in no face.
        assert!(book.lookup(Role::Body, '\u{E000}').is_none());
    }

    #[test]
    fn a_missing_profile_font_file_is_an_error_naming_it() {
        let mut fonts = Fonts::default();
        fonts.body.file = Some(PathBuf::from("/nonexistent/仿宋_GB2312.ttf"));
        let err = FontBook::new(&FontStore::new(), &fonts)
            .unwrap_err()
            .to_string();
        assert!(err.contains("/nonexistent/仿宋_GB2312.ttf"), "{err}");
    }

    #[test]
    fn a_profile_font_file_comes_first_in_its_chain() {
        let dir = std::env::temp_dir().join(format!("gongkai-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("own.ttf");
        std::fs::write(&path, gongkai_fonts::sans_common()).unwrap();
        let mut fonts = Fonts::default();
        fonts.body.file = Some(path.clone());
        let book = FontBook::new(&FontStore::new(), &fonts).unwrap();
        let (id, _) = book.lookup(Role::Body, '国').unwrap();
        assert_eq!(book.face(id).unwrap().resource_id, "USERFA");
        let (id, _) = book.lookup(Role::Numbers, '1').unwrap();
        assert_eq!(id, SERIF_COMMON_ID);
        let not_a_font = dir.join("bad.ttf");
        std::fs::write(&not_a_font, b"not a font").unwrap();
        fonts.body.file = Some(not_a_font.clone());
        let err = FontBook::new(&FontStore::new(), &fonts)
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.ttf"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The bundled faces a store has parsed (or tried to).
    fn parsed(store: &FontStore) -> Vec<&'static str> {
        store
            .inner
            .bundled
            .iter()
            .filter(|b| b.face.get().is_some())
            .map(|b| b.embedded.label)
            .collect()
    }

    /// Subsets a face of a book keeps.
    fn subsets(book: &FontBook, id: FaceId) -> usize {
        let face = book.face(id).unwrap();
        face.subsets.lock().unwrap().len()
    }

    fn read(rel: &str) -> crate::model::Document {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        crate::read_path(&path, &crate::ReadOptions::default()).unwrap()
    }

    /// A table in the common characters, and one with characters only the
    /// whole serif (堃) and the Ext-B fallback (𠀾) have.
    fn documents() -> (crate::model::Document, crate::model::Document) {
        (
            read("tests/fixtures/corpus/seed/budget.txt"),
            read("tests/fixtures/pdf/v07_rare_chars.txt"),
        )
    }

    fn render(
        doc: &crate::model::Document,
        format: crate::OutputFormat,
        options: &crate::RenderOptions,
    ) -> Result<Vec<u8>, String> {
        crate::write::render(doc, format, options)
            .map(|r| r.bytes)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn two_stores_share_nothing_and_give_the_same_bytes() {
        use crate::OutputFormat::Pdf;
        let (common, rare) = documents();
        let a = crate::RenderOptions::default();
        let b = crate::RenderOptions::default();
        assert!(parsed(&a.fonts).is_empty() && parsed(&b.fonts).is_empty());
        // `a` sets the common table, then the rare one; `b` has parsed
        // nothing meanwhile.
        let a_common = render(&common, Pdf, &a).unwrap();
        assert_eq!(
            parsed(&a.fonts),
            [
                "NotoSerifSC-Regular-common.ttf",
                "NotoSansSC-Bold-common.ttf"
            ]
        );
        let a_rare = render(&rare, Pdf, &a).unwrap();
        let whole = parsed(&a.fonts);
        assert!(whole.contains(&"NotoSerifSC-Regular.ttf"), "{whole:?}");
        assert!(whole.contains(&"HanaMinB-ExtB.ttf"), "{whole:?}");
        assert!(parsed(&b.fonts).is_empty(), "{:?}", parsed(&b.fonts));
        // `b` alone, in the other order: the same bytes.
        assert_eq!(render(&rare, Pdf, &b).unwrap(), a_rare);
        assert_eq!(render(&common, Pdf, &b).unwrap(), a_common);
        // Each store has its own faces and its own subsets.
        let book_a = FontBook::new(&a.fonts, &Fonts::default()).unwrap();
        let book_b = FontBook::new(&b.fonts, &Fonts::default()).unwrap();
        for id in [SERIF_COMMON_ID, SERIF_FULL_ID, EXTB_ID] {
            assert!(!std::ptr::eq(
                book_a.face(id).unwrap(),
                book_b.face(id).unwrap()
            ));
        }
        let made = subsets(&book_a, SERIF_COMMON_ID);
        assert!(made >= 2, "{made}");
        let fresh = crate::RenderOptions::default();
        render(&common, Pdf, &fresh).unwrap();
        let book_fresh = FontBook::new(&fresh.fonts, &Fonts::default()).unwrap();
        assert_eq!(subsets(&book_fresh, SERIF_COMMON_ID), 1);
        assert_eq!(subsets(&book_a, SERIF_COMMON_ID), made, "not a's business");
        // A clone of the options shares the store: the subset is reused,
        // not made again, and two threads on one store agree with it.
        let shared = a.clone();
        assert_eq!(render(&rare, Pdf, &shared).unwrap(), a_rare);
        assert_eq!(subsets(&book_a, SERIF_COMMON_ID), made);
        let store = crate::RenderOptions::default();
        std::thread::scope(|s| {
            let threads: Vec<_> = (0..2)
                .map(|_| s.spawn(|| render(&rare, Pdf, &store).unwrap()))
                .collect();
            for t in threads {
                assert_eq!(t.join().unwrap(), a_rare);
            }
        });
    }

    #[test]
    fn a_damaged_bundled_face_is_an_error_naming_it() {
        use crate::OutputFormat::{Docx, Ofd, Pdf, PdfA};
        let (common, rare) = documents();
        // A common cut: no font book, no document set with the fonts.
        let store = FontStore::with_bundled_bytes("NotoSansSC-Bold-common.ttf", b"not a font");
        let err = FontBook::new(&store, &Fonts::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bundled font 'NotoSansSC-Bold-common.ttf'"),
            "{err}"
        );
        let options = crate::RenderOptions::default().with_fonts(store);
        for format in [Pdf, PdfA, Ofd, Docx] {
            let err = render(&common, format, &options).unwrap_err();
            assert!(
                err.contains("NotoSansSC-Bold-common.ttf"),
                "{format}: {err}"
            );
        }
        // A whole face, inflated when a document first needs it: a table
        // that does not need it is set as with the build's faces; one that
        // does is an error, not set with the next face of the chain.
        let store = FontStore::with_bundled_bytes("NotoSerifSC-Regular.ttf", b"not gzip");
        let options = crate::RenderOptions::default().with_fonts(store);
        let good = crate::RenderOptions::default();
        assert_eq!(
            render(&common, Pdf, &options).unwrap(),
            render(&common, Pdf, &good).unwrap()
        );
        for format in [Pdf, PdfA, Ofd, Docx] {
            let err = render(&rare, format, &options).unwrap_err();
            assert!(
                err.contains("bundled font 'NotoSerifSC-Regular.ttf'") && err.contains("inflate"),
                "{format}: {err}"
            );
        }
        // Inflated, but not a font.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"not a font either").unwrap();
        let bytes: &'static [u8] = Box::leak(gz.finish().unwrap().into_boxed_slice());
        let store = FontStore::with_bundled_bytes("HanaMinB-ExtB.ttf", bytes);
        let options = crate::RenderOptions::default().with_fonts(store);
        let err = render(&rare, Pdf, &options).unwrap_err();
        assert!(
            err.contains("bundled font 'HanaMinB-ExtB.ttf'") && err.contains("not a TrueType"),
            "{err}"
        );
    }

    #[test]
    fn a_profile_font_file_is_read_once_per_store() {
        let dir = std::env::temp_dir().join(format!("gongkai-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (own, other) = (dir.join("own.ttf"), dir.join("other.ttf"));
        std::fs::write(&own, gongkai_fonts::sans_common()).unwrap();
        std::fs::write(&other, gongkai_fonts::serif_common()).unwrap();
        let mut fonts = Fonts::default();
        fonts.body.file = Some(own.clone());
        let store = FontStore::new();
        let first = FontBook::new(&store, &fonts).unwrap();
        let (id, _) = first.lookup(Role::Body, '国').unwrap();
        std::fs::remove_file(&own).unwrap();
        // The store has the file: the same parsed face, the disk not read.
        let again = FontBook::new(&store, &fonts).unwrap();
        assert!(std::ptr::eq(
            first.face(id).unwrap(),
            again.face(id).unwrap()
        ));
        // Second in another profile's order, it is USERFB there, from the
        // bytes the store read.
        let mut second = fonts.clone();
        second.title.file = Some(other.clone());
        let book = FontBook::new(&store, &second).unwrap();
        let (id, _) = book.lookup(Role::Body, '国').unwrap();
        assert_eq!(book.face(id).unwrap().resource_id, "USERFB");
        assert_eq!(book.face(id).unwrap().bytes(), gongkai_fonts::sans_common());
        let (id, _) = book.lookup(Role::Title, '国').unwrap();
        assert_eq!(book.face(id).unwrap().resource_id, "USERFA");
        // Another store reads the disk, where the file is gone.
        let err = FontBook::new(&FontStore::new(), &fonts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("own.ttf") && err.contains("cannot read"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
