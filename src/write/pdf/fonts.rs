//! The font book: which face draws which character in which role.
//!
//! Every face is parsed once per process and shared across threads: the
//! bundled faces in statics, a profile's own font files in a cache keyed by
//! path. A [`FontBook`] gives each text role a deterministic fallback chain
//! (the profile's file, the role's bundled face, the other bundled face, the
//! Ext-B fallback) and answers the layout's two questions — which face has
//! this character, and how wide is it — without exposing printpdf types.

use crate::profile::{FontFace, FontSpec, Fonts};
use printpdf::ParsedFont;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, RwLock};
use thiserror::Error;

/// Noto Serif SC Regular cut down to the common characters (GB2312 and the
/// symbol blocks of budget tables): body text, amounts, meta lines, notes.
/// printpdf's subsetter reads every glyph record of the face it subsets,
/// so a document's PDF costs in proportion to the face's glyph count; the
/// common cut has 8,000 glyphs where the full face has 30,000.
static SERIF_COMMON_BYTES: &[u8] = include_bytes!("../../../fonts/NotoSerifSC-Regular-common.ttf");
/// Noto Sans SC Bold, common characters: title, header rows, totals.
static SANS_COMMON_BYTES: &[u8] = include_bytes!("../../../fonts/NotoSansSC-Bold-common.ttf");
/// The whole Noto Serif SC Regular (all of CJK Unified Ideographs and
/// Extension A), gzip-compressed: inflated the first time a document needs
/// a character the common cut lacks.
static SERIF_FULL_GZ: &[u8] = include_bytes!("../../../fonts/NotoSerifSC-Regular.ttf.gz");
/// The whole Noto Sans SC Bold, gzip-compressed, inflated on demand.
static SANS_FULL_GZ: &[u8] = include_bytes!("../../../fonts/NotoSansSC-Bold.ttf.gz");
/// HanaMinB cut down to CJK Extension B, gzip-compressed: inflated only when
/// a document needs one of its characters.
static EXTB_GZ: &[u8] = include_bytes!("../../../fonts/HanaMinB-ExtB.ttf.gz");

/// The largest inflated bundled face is about 22 MB; refuse anything much
/// larger so a damaged build cannot make us allocate without bound.
const MAX_INFLATED_FONT: u64 = 64 << 20;

/// A bundled face, parsed on first use and shared by every thread.
type Bundled = LazyLock<Option<Arc<Face>>>;

static SERIF_COMMON: Bundled = LazyLock::new(|| {
    Face::parse(
        SERIF_COMMON_BYTES.to_vec(),
        "NotoSerifSC-Regular-common.ttf",
        "SERIFC",
    )
    .ok()
    .map(Arc::new)
});

static SANS_COMMON: Bundled = LazyLock::new(|| {
    Face::parse(
        SANS_COMMON_BYTES.to_vec(),
        "NotoSansSC-Bold-common.ttf",
        "SANSBC",
    )
    .ok()
    .map(Arc::new)
});

static SERIF_FULL: Bundled =
    LazyLock::new(|| inflate_face(SERIF_FULL_GZ, "NotoSerifSC-Regular.ttf", "SERIFR"));

static SANS_FULL: Bundled =
    LazyLock::new(|| inflate_face(SANS_FULL_GZ, "NotoSansSC-Bold.ttf", "SANSBD"));

static EXTB: Bundled = LazyLock::new(|| inflate_face(EXTB_GZ, "HanaMinB-ExtB.ttf", "EXTBFB"));

/// Inflates and parses a gzip-compressed bundled face.
fn inflate_face(gz: &[u8], label: &str, resource_id: &str) -> Option<Arc<Face>> {
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .take(MAX_INFLATED_FONT)
        .read_to_end(&mut bytes)
        .ok()?;
    Face::parse(bytes, label, resource_id).ok().map(Arc::new)
}

/// Font files named by profiles, parsed once per process.
static USER_FACES: LazyLock<Mutex<BTreeMap<PathBuf, Arc<Face>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

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
    /// A profile's font file is larger than any font.
    #[error("font file '{}': cannot read it: over the limit of {limit} bytes for a font file", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// [`MAX_FONT_FILE_BYTES`](crate::profile::MAX_FONT_FILE_BYTES).
        limit: u64,
    },
    /// A file (or a bundled face) is not a font printpdf can parse.
    #[error("font file '{name}' is not a TrueType/OpenType font gongkai can read")]
    Parse {
        /// The file, or the bundled face's name.
        name: String,
    },
}

/// One parsed face.
#[derive(Debug)]
pub struct Face {
    /// File name (bundled) or path (a profile's), for messages.
    pub label: String,
    /// Fixed PDF resource name; its first six letters become the subset tag.
    pub resource_id: String,
    font: ParsedFont,
    units_per_em: f32,
    /// Glyph and advance of every character asked about so far: a cmap
    /// lookup is a search through the font's tables, and a document asks
    /// for the same few hundred characters thousands of times (measuring,
    /// then rendering). Shared by every document of the process.
    glyphs: RwLock<HashMap<char, Option<(u16, f32)>>>,
}

impl Face {
    fn parse(bytes: Vec<u8>, label: &str, resource_id: &str) -> Result<Face, FontError> {
        let mut warnings = Vec::new();
        let font =
            ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| FontError::Parse {
                name: label.to_string(),
            })?;
        drop(bytes);
        let units_per_em = f32::from(font.font_metrics.units_per_em.max(1));
        Ok(Face {
            label: label.to_string(),
            resource_id: resource_id.to_string(),
            font,
            units_per_em,
            glyphs: RwLock::new(HashMap::new()),
        })
    }

    /// Glyph and advance (in ems) of `ch`, `None` when the face lacks it
    /// (glyph 0 is .notdef, i.e. missing).
    fn glyph_info(&self, ch: char) -> Option<(u16, f32)> {
        if let Ok(known) = self.glyphs.read()
            && let Some(info) = known.get(&ch)
        {
            return *info;
        }
        let info = match self.font.lookup_glyph_index(ch as u32) {
            Some(0) | None => None,
            Some(g) => Some((
                g,
                f32::from(self.font.get_horizontal_advance(g)) / self.units_per_em,
            )),
        };
        if let Ok(mut known) = self.glyphs.write() {
            known.insert(ch, info);
        }
        info
    }

    /// The glyph for `ch`, or `None` when the face lacks it.
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.glyph_info(ch).map(|(g, _)| g)
    }

    /// Advance width of `ch` in ems, `None` when the face lacks it.
    pub fn advance_em(&self, ch: char) -> Option<f32> {
        self.glyph_info(ch).map(|(_, a)| a)
    }

    /// The printpdf face, for the renderer.
    pub fn parsed(&self) -> &ParsedFont {
        &self.font
    }
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

/// A face of a [`FontBook`]: parsed already, or a bundled face parsed the
/// first time a lookup reaches it.
#[derive(Debug)]
enum Slot {
    Ready(Arc<Face>),
    Lazy(&'static Bundled),
}

/// The faces of one document and each role's fallback chain.
#[derive(Debug)]
pub struct FontBook {
    faces: Vec<Slot>,
    chains: [Vec<FaceId>; 4],
    sizes: [f32; 4],
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
    /// The font book for a profile's fonts. Each role's chain: its own file
    /// (loaded once per process), the role's bundled face (common cut, then
    /// whole), the other bundled face (the same two), the Ext-B fallback.
    pub fn new(fonts: &Fonts) -> Result<FontBook, FontError> {
        let parse_error = |name: &str| FontError::Parse {
            name: name.to_string(),
        };
        let serif = SERIF_COMMON
            .clone()
            .ok_or_else(|| parse_error("NotoSerifSC-Regular-common.ttf"))?;
        let sans = SANS_COMMON
            .clone()
            .ok_or_else(|| parse_error("NotoSansSC-Bold-common.ttf"))?;
        let mut faces = vec![
            Slot::Ready(serif),
            Slot::Ready(sans),
            Slot::Lazy(&SERIF_FULL),
            Slot::Lazy(&SANS_FULL),
            Slot::Lazy(&EXTB),
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
                        let face = user_face(path, &resource)?;
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
            faces,
            chains,
            sizes,
        })
    }

    /// The profile's size for a role, in points.
    pub fn size(&self, role: Role) -> f32 {
        self.sizes[role.index()]
    }

    /// The face with the given id (parsing a bundled one on first use).
    pub fn face(&self, id: FaceId) -> Option<&Face> {
        match self.faces.get(id.0)? {
            Slot::Ready(face) => Some(face),
            Slot::Lazy(face) => LazyLock::force(face).as_deref(),
        }
    }

    /// The first face of the role's chain that has `ch`, with its advance
    /// in ems; `None` when no configured face has it.
    pub fn lookup(&self, role: Role, ch: char) -> Option<(FaceId, f32)> {
        self.chains[role.index()]
            .iter()
            .find_map(|id| Some((*id, self.face(*id)?.advance_em(ch)?)))
    }
}

/// A profile's font file, parsed once per process.
fn user_face(path: &Path, resource_id: &str) -> Result<Arc<Face>, FontError> {
    let mut cache = USER_FACES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(face) = cache.get(path) {
        // The resource name is per document; the parsed font is shared.
        if face.resource_id == resource_id {
            return Ok(face.clone());
        }
        return Ok(Arc::new(Face {
            label: face.label.clone(),
            resource_id: resource_id.to_string(),
            font: face.font.clone(),
            units_per_em: face.units_per_em,
            glyphs: RwLock::new(HashMap::new()),
        }));
    }
    let bytes = read_font_file(path)?;
    let label = path.display().to_string();
    let face = Arc::new(Face::parse(bytes, &label, resource_id)?);
    cache.insert(path.to_path_buf(), face.clone());
    Ok(face)
}

/// A font file's bytes: a regular file of at most
/// [`MAX_FONT_FILE_BYTES`](crate::profile::MAX_FONT_FILE_BYTES), so a
/// profile naming a FIFO or /dev/zero is an error, not a hang.
fn read_font_file(path: &Path) -> Result<Vec<u8>, FontError> {
    let max = crate::profile::MAX_FONT_FILE_BYTES;
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
        let book = FontBook::new(&Fonts::default()).unwrap();
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
        let err = FontBook::new(&fonts).unwrap_err().to_string();
        assert!(err.contains("/nonexistent/仿宋_GB2312.ttf"), "{err}");
    }

    #[test]
    fn a_profile_font_file_comes_first_in_its_chain() {
        let dir = std::env::temp_dir().join(format!("gongkai-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("own.ttf");
        std::fs::write(&path, SANS_COMMON_BYTES).unwrap();
        let mut fonts = Fonts::default();
        fonts.body.file = Some(path.clone());
        let book = FontBook::new(&fonts).unwrap();
        let (id, _) = book.lookup(Role::Body, '国').unwrap();
        assert_eq!(book.face(id).unwrap().resource_id, "USERFA");
        let (id, _) = book.lookup(Role::Numbers, '1').unwrap();
        assert_eq!(id, SERIF_COMMON_ID);
        let not_a_font = dir.join("bad.ttf");
        std::fs::write(&not_a_font, b"not a font").unwrap();
        fonts.body.file = Some(not_a_font.clone());
        let err = FontBook::new(&fonts).unwrap_err().to_string();
        assert!(err.contains("bad.ttf"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
