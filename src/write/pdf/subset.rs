//! TrueType subsets: only the glyphs a document draws, renumbered from 1
//! in the order of their characters. For the PDF, with the tables a
//! CIDFontType2 program needs (head, hhea, maxp, hmtx, loca, glyf and the
//! hinting tables); for the OFD ([`truetype`]) a font file of its own,
//! with a Unicode cmap and the name, OS/2 and post tables besides. Glyph
//! records are copied as bytes — no outline is decoded — and composite
//! glyphs bring their components along.
//!
//! A [`Program`] depends only on the face and the set of characters, so a
//! face keeps the last few it made, in the [`FontStore`](super::fonts::FontStore)
//! that holds the face: the documents of a batch (one store) mostly draw
//! the same characters, and the font is then subset and deflated (at the
//! highest level, as it is done once) once for all of them.

use super::fonts::{Face, Span, be16, be32};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Arc;

/// Font programs a face keeps for reuse; the oldest goes first.
const PROGRAMS_KEPT: usize = 16;

/// A face's embedded subset and what the PDF's font objects say about it.
#[derive(Debug)]
pub struct Program {
    /// The subset font file, zlib-deflated.
    pub deflated: Vec<u8>,
    /// Its length before deflating (/Length1).
    pub raw_len: usize,
    /// (glyph of the face, CID in the subset), sorted by glyph.
    pub cids: Vec<(u16, u16)>,
    /// Advance of every CID, in thousandths of an em.
    pub widths: Vec<i64>,
    /// The ToUnicode CMap, zlib-deflated.
    pub to_unicode: Vec<u8>,
}

impl Program {
    /// The CID of a glyph of the face (0 when the subset lacks it).
    pub fn cid(&self, gid: u16) -> u16 {
        self.cids
            .binary_search_by_key(&gid, |p| p.0)
            .map_or(0, |i| self.cids[i].1)
    }
}

/// The program for these characters (sorted, each with its glyph), made
/// or reused.
pub fn program(face: &Face, used: Vec<(char, u16)>) -> Result<Arc<Program>, String> {
    let mut kept = face.subsets.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = kept.iter().find(|(k, _)| *k == used) {
        return Ok(p.clone());
    }
    drop(kept);
    let made = Arc::new(make(face, &used)?);
    kept = face.subsets.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() >= PROGRAMS_KEPT {
        kept.remove(0);
    }
    kept.push((used, made.clone()));
    Ok(made)
}

fn deflate(bytes: &[u8], level: u32) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 2),
        flate2::Compression::new(level),
    );
    enc.write_all(bytes)
        .and_then(|_| enc.finish())
        .map_err(|e| format!("cannot deflate a font stream: {e}"))
}

/// The byte range of glyph `g`'s record in `glyf`.
fn glyph_range(b: &[u8], t: &super::fonts::Tables, g: u16) -> Option<(usize, usize)> {
    let i = usize::from(g);
    let (start, end) = if t.loca_long {
        (
            usize::try_from(be32(b, t.loca.offset + 4 * i)?).ok()?,
            usize::try_from(be32(b, t.loca.offset + 4 * i + 4)?).ok()?,
        )
    } else {
        (
            2 * usize::from(be16(b, t.loca.offset + 2 * i)?),
            2 * usize::from(be16(b, t.loca.offset + 2 * i + 2)?),
        )
    };
    (start <= end && end <= t.glyf.len).then_some((t.glyf.offset + start, t.glyf.offset + end))
}

/// Composite glyph flags.
const ARGS_ARE_WORDS: u16 = 0x0001;
const HAVE_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const HAVE_X_Y_SCALE: u16 = 0x0040;
const HAVE_TWO_BY_TWO: u16 = 0x0080;

/// Offsets (within the record) of the component glyph ids of a
/// composite glyph record; empty for a simple glyph.
fn components(rec: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    if rec.len() < 10 || (be16(rec, 0).unwrap_or(0) as i16) >= 0 {
        return out;
    }
    let mut at = 10;
    while let Some(flags) = be16(rec, at) {
        if at + 4 > rec.len() {
            break;
        }
        out.push(at + 2);
        at += 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_X_Y_SCALE != 0 {
            4
        } else if flags & HAVE_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    out
}

/// The glyphs of a subset and the tables every subset has.
struct Glyphs {
    /// The face's glyph of each new glyph id (CID): .notdef, the glyphs
    /// of the characters in their order, then components.
    order: Vec<u16>,
    /// New glyph id of each kept glyph of the face.
    cid_of: BTreeMap<u16, u16>,
    /// The character each new glyph id stands for (none for .notdef and
    /// components).
    text_of: Vec<Option<char>>,
    /// glyf, head, hhea, hmtx, loca, maxp and the hinting tables.
    tables: Vec<(&'static [u8; 4], Vec<u8>)>,
}

fn glyphs(face: &Face, used: &[(char, u16)]) -> Result<Glyphs, String> {
    let b = face.bytes();
    let t = &face.tables;
    let bad = || format!("the font '{}' has a damaged glyph table", face.label);
    // CIDs: .notdef, then the glyphs in the order of their characters,
    // then components only composites use.
    let mut order: Vec<u16> = vec![0];
    let mut cid_of: BTreeMap<u16, u16> = BTreeMap::from([(0, 0)]);
    let mut text_of: Vec<Option<char>> = vec![None];
    for &(ch, g) in used {
        if g < t.num_glyphs && !cid_of.contains_key(&g) {
            cid_of.insert(g, order.len() as u16);
            order.push(g);
            text_of.push(Some(ch));
        }
    }
    let mut i = 0;
    while i < order.len() {
        let (s, e) = glyph_range(b, t, order[i]).ok_or_else(bad)?;
        for at in components(&b[s..e]) {
            let c = be16(b, s + at).ok_or_else(bad)?;
            if c < t.num_glyphs && !cid_of.contains_key(&c) {
                if order.len() >= usize::from(u16::MAX) {
                    return Err(bad());
                }
                cid_of.insert(c, order.len() as u16);
                order.push(c);
                text_of.push(None);
            }
        }
        i += 1;
    }
    let n = order.len();
    // glyf and loca (long offsets), component ids renumbered.
    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity(4 * (n + 1));
    for &g in &order {
        loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
        let (s, e) = glyph_range(b, t, g).ok_or_else(bad)?;
        let start = glyf.len();
        glyf.extend_from_slice(&b[s..e]);
        for at in components(&b[s..e]) {
            let old = be16(b, s + at).ok_or_else(bad)?;
            let new = cid_of.get(&old).copied().unwrap_or(0);
            glyf[start + at..start + at + 2].copy_from_slice(&new.to_be_bytes());
        }
        while glyf.len() % 4 != 0 {
            glyf.push(0);
        }
    }
    loca.extend_from_slice(&(glyf.len() as u32).to_be_bytes());
    // hmtx: a full metric per glyph.
    let mut hmtx = Vec::with_capacity(4 * n);
    for &g in &order {
        let lsb = if g < t.n_hmetrics {
            be16(b, t.hmtx.offset + 4 * usize::from(g) + 2)
        } else {
            be16(
                b,
                t.hmtx.offset + 4 * usize::from(t.n_hmetrics) + 2 * usize::from(g - t.n_hmetrics),
            )
        }
        .unwrap_or(0);
        hmtx.extend_from_slice(&face.advance_units(g).to_be_bytes());
        hmtx.extend_from_slice(&lsb.to_be_bytes());
    }
    let copy = |s: Span| b[s.offset..s.offset + s.len].to_vec();
    let mut head = copy(t.head);
    let mut hhea = copy(t.hhea);
    let mut maxp = copy(t.maxp);
    if head.len() < 54 || hhea.len() < 36 || maxp.len() < 6 {
        return Err(bad());
    }
    head[8..12].copy_from_slice(&[0; 4]);
    head[50..52].copy_from_slice(&1u16.to_be_bytes());
    hhea[34..36].copy_from_slice(&(n as u16).to_be_bytes());
    maxp[4..6].copy_from_slice(&(n as u16).to_be_bytes());
    let mut tables: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"glyf", glyf),
        (b"head", head),
        (b"hhea", hhea),
        (b"hmtx", hmtx),
        (b"loca", loca),
        (b"maxp", maxp),
    ];
    for (tag, span) in [(b"cvt ", t.cvt), (b"fpgm", t.fpgm), (b"prep", t.prep)] {
        if let Some(span) = span {
            tables.push((tag, copy(span)));
        }
    }
    Ok(Glyphs {
        order,
        cid_of,
        text_of,
        tables,
    })
}

fn make(face: &Face, used: &[(char, u16)]) -> Result<Program, String> {
    let Glyphs {
        order,
        cid_of,
        text_of,
        mut tables,
    } = glyphs(face, used)?;
    tables.sort_by_key(|(tag, _)| **tag);
    let font = sfnt(&tables);
    let upem = i64::from(face.tables.units_per_em);
    let widths = order
        .iter()
        .map(|&g| (i64::from(face.advance_units(g)) * 1000 + upem / 2) / upem)
        .collect();
    Ok(Program {
        deflated: deflate(&font, 9)?,
        raw_len: font.len(),
        cids: cid_of.into_iter().collect(),
        widths,
        to_unicode: deflate(&to_unicode(&text_of), 9)?,
    })
}

/// A TrueType font file of the face's glyphs for `chars` (those it has),
/// for a reader that finds glyphs by character: the subset's tables plus
/// a Unicode `cmap` of exactly these characters, the face's `name`, its
/// `OS/2` with the first and last character of the subset, and a `post`
/// table of version 3 (no glyph names).
pub fn truetype(face: &Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let used: Vec<(char, u16)> = chars
        .iter()
        .filter_map(|c| face.glyph(*c).map(|g| (*c, g)))
        .collect();
    let Glyphs {
        cid_of, mut tables, ..
    } = glyphs(face, &used)?;
    let map: Vec<(u32, u16)> = used
        .iter()
        .filter_map(|(c, g)| cid_of.get(g).map(|new| (*c as u32, *new)))
        .collect();
    tables.push((b"cmap", cmap(&map)));
    let b = face.bytes();
    let bad = || format!("the font '{}' has a damaged table directory", face.label);
    let dir = super::fonts::directory(b).ok_or_else(bad)?;
    let table = |tag: &[u8; 4]| {
        super::fonts::find_table(b, dir, tag).map(|s| b[s.offset..s.offset + s.len].to_vec())
    };
    if let Some(name) = table(b"name") {
        tables.push((b"name", name));
    }
    if let Some(mut os2) = table(b"OS/2")
        && os2.len() >= OS2_LAST_CHAR + 2
    {
        // The first and last character, 0xFFFF for one above the BMP.
        let clamp =
            |c: Option<&(u32, u16)>| c.map_or(0xFFFF, |c| u16::try_from(c.0).unwrap_or(0xFFFF));
        os2[OS2_FIRST_CHAR..OS2_FIRST_CHAR + 2].copy_from_slice(&clamp(map.first()).to_be_bytes());
        os2[OS2_LAST_CHAR..OS2_LAST_CHAR + 2].copy_from_slice(&clamp(map.last()).to_be_bytes());
        tables.push((b"OS/2", os2));
    }
    if let Some(mut post) = table(b"post")
        && post.len() >= POST_HEADER
    {
        post.truncate(POST_HEADER);
        post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
        tables.push((b"post", post));
    }
    tables.sort_by_key(|(tag, _)| **tag);
    Ok(sfnt(&tables))
}

/// Where `OS/2` holds usFirstCharIndex and usLastCharIndex.
const OS2_FIRST_CHAR: usize = 64;
const OS2_LAST_CHAR: usize = 66;

/// The `post` header, all of a version 3 table.
const POST_HEADER: usize = 32;

/// The most bytes a format 4 subtable may have (its length is 16 bits).
const FORMAT4_MAX: usize = 0xFFFF;

/// A `cmap` of (character, glyph) pairs sorted by character: a format 4
/// subtable (Windows, Unicode BMP) of the characters in the BMP, and a
/// format 12 one (Windows, full Unicode) when there are characters above
/// it, or so many scattered ones that format 4 cannot hold them.
fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    // Runs where character and glyph both go up by one.
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match runs.last_mut() {
            Some((start, end, g0))
                if c == *end + 1 && u32::from(*g0) + (c - *start) == u32::from(g) =>
            {
                *end = c
            }
            _ => runs.push((c, c, g)),
        }
    }
    // 0xFFFF ends the last segment, mapped to nothing.
    let bmp: Vec<(u32, u32, u16)> = runs.iter().copied().filter(|r| r.1 < 0xFFFF).collect();
    let seg_count = bmp.len() + 1;
    let mut format4 = None;
    if 16 + 8 * seg_count <= FORMAT4_MAX {
        let mut f = Vec::with_capacity(16 + 8 * seg_count);
        let pow = 1usize << (usize::BITS - 1 - seg_count.leading_zeros());
        let search_range = 2 * pow;
        for v in [
            4,
            16 + 8 * seg_count,
            0,
            2 * seg_count,
            search_range,
            pow.trailing_zeros() as usize,
            2 * seg_count - search_range,
        ] {
            f.extend_from_slice(&(v as u16).to_be_bytes());
        }
        for r in &bmp {
            f.extend_from_slice(&(r.1 as u16).to_be_bytes());
        }
        f.extend_from_slice(&[0xFF, 0xFF, 0, 0]);
        for r in &bmp {
            f.extend_from_slice(&(r.0 as u16).to_be_bytes());
        }
        f.extend_from_slice(&[0xFF, 0xFF]);
        for r in &bmp {
            f.extend_from_slice(&r.2.wrapping_sub(r.0 as u16).to_be_bytes());
        }
        // 0xFFFF + 1 wraps to glyph 0.
        f.extend_from_slice(&1u16.to_be_bytes());
        f.extend(std::iter::repeat_n(0u8, 2 * seg_count));
        format4 = Some(f);
    }
    let format12 = (format4.is_none() || bmp.len() < runs.len()).then(|| {
        let mut f = Vec::with_capacity(16 + 12 * runs.len());
        f.extend_from_slice(&12u16.to_be_bytes());
        f.extend_from_slice(&0u16.to_be_bytes());
        f.extend_from_slice(&((16 + 12 * runs.len()) as u32).to_be_bytes());
        f.extend_from_slice(&0u32.to_be_bytes());
        f.extend_from_slice(&(runs.len() as u32).to_be_bytes());
        for r in &runs {
            f.extend_from_slice(&r.0.to_be_bytes());
            f.extend_from_slice(&r.1.to_be_bytes());
            f.extend_from_slice(&u32::from(r.2).to_be_bytes());
        }
        f
    });
    let subtables: Vec<(u16, Vec<u8>)> = [(1, format4), (10, format12)]
        .into_iter()
        .filter_map(|(encoding, f)| f.map(|f| (encoding, f)))
        .collect();
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (encoding, f) in &subtables {
        out.extend_from_slice(&3u16.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        offset += f.len();
    }
    for (_, f) in subtables {
        out.extend_from_slice(&f);
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// A TrueType file of the tables (sorted by tag).
fn sfnt(tables: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, pow * 16, log, n * 16 - pow * 16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(*tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if *tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// The ToUnicode CMap of CIDs 0..: runs of consecutive characters as
/// bfrange lines, the rest as bfchar lines.
fn to_unicode(text_of: &[Option<char>]) -> Vec<u8> {
    let mut singles: Vec<(u16, char)> = Vec::new();
    let mut ranges: Vec<(u16, u16, char)> = Vec::new();
    let mut cid = 0usize;
    while cid < text_of.len() {
        let Some(first) = text_of[cid] else {
            cid += 1;
            continue;
        };
        // A range keeps the CIDs' high byte and the character's UTF-16
        // form single and its low byte from wrapping.
        let mut end = cid;
        while end + 1 < text_of.len()
            && !(end + 1).is_multiple_of(256)
            && (first as u32) < 0xFFFF
            && text_of[end + 1].map(|c| c as u32) == Some(first as u32 + (end + 1 - cid) as u32)
            && (first as u32 + (end + 1 - cid) as u32) & 0xFF != 0
            && !(0xD800..0xE000).contains(&(first as u32 + (end + 1 - cid) as u32))
        {
            end += 1;
        }
        if end > cid {
            ranges.push((cid as u16, end as u16, first));
        } else {
            singles.push((cid as u16, first));
        }
        cid = end + 1;
    }
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let utf16 = |c: char| {
        let mut buf = [0u16; 2];
        c.encode_utf16(&mut buf)
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect::<String>()
    };
    for chunk in singles.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (cid, c) in chunk {
            s.push_str(&format!("<{cid:04X}> <{}>\n", utf16(*c)));
        }
        s.push_str("endbfchar\n");
    }
    for chunk in ranges.chunks(100) {
        s.push_str(&format!("{} beginbfrange\n", chunk.len()));
        for (a, z, c) in chunk {
            s.push_str(&format!("<{a:04X}> <{z:04X}> <{}>\n", utf16(*c)));
        }
        s.push_str("endbfrange\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Fonts;
    use crate::write::pdf::fonts::{FontBook, FontStore, Role};
    use std::io::Read;

    #[test]
    fn a_subset_holds_the_drawn_glyphs_renumbered_with_their_advances() {
        let book = FontBook::new(&FontStore::new(), &Fonts::default()).unwrap();
        let (id, _) = book.lookup(Role::Body, '国').unwrap();
        let face = book.face(id).unwrap();
        let used: Vec<(char, u16)> = ['1', 'A', '国']
            .iter()
            .map(|c| (*c, face.glyph(*c).unwrap()))
            .collect();
        let p = make(face, &used).unwrap();
        let mut font = Vec::new();
        flate2::read::ZlibDecoder::new(&p.deflated[..])
            .read_to_end(&mut font)
            .unwrap();
        assert_eq!(font.len(), p.raw_len);
        let table = |tag: &[u8; 4]| {
            let n = usize::from(be16(&font, 4).unwrap());
            (0..n)
                .map(|i| 12 + 16 * i)
                .find(|r| &font[*r..*r + 4] == tag)
                .map(|r| be32(&font, r + 8).unwrap() as usize)
                .unwrap()
        };
        // .notdef and the three characters, in character order.
        assert_eq!(be16(&font, table(b"maxp") + 4), Some(4));
        assert_eq!(p.cid(face.glyph('1').unwrap()), 1);
        assert_eq!(p.cid(face.glyph('国').unwrap()), 3);
        assert_eq!(p.cid(face.glyph('民').unwrap()), 0, "not drawn, not kept");
        let hmtx = table(b"hmtx");
        assert_eq!(
            be16(&font, hmtx + 4 * 3),
            Some(face.advance_units(face.glyph('国').unwrap()))
        );
        assert_eq!(p.widths[3], 1000);
        assert!(p.widths[1] < 1000, "a digit is narrower than an em");
        // The whole file's checksum comes out as the spec's magic number.
        let sum = checksum(&font);
        assert_eq!(sum, 0xB1B0_AFBA);
        // The same characters again: the same program, not a new one.
        let a = program(face, used.clone()).unwrap();
        let b = program(face, used).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }

    #[test]
    fn ranges_only_where_characters_follow_each_other() {
        let cmap = String::from_utf8(to_unicode(&[
            None,
            Some('0'),
            Some('1'),
            Some('2'),
            Some('国'),
            Some('\u{2003E}'),
        ]))
        .unwrap();
        assert!(cmap.contains("<0001> <0003> <0030>"), "{cmap}");
        assert!(cmap.contains("<0004> <56FD>"), "{cmap}");
        assert!(cmap.contains("<0005> <D840DC3E>"), "{cmap}");
        assert!(!cmap.contains("<0000>\n"), "{cmap}");
    }

    /// The glyph a cmap maps `c` to: its format 4 subtable for the BMP,
    /// format 12 above it.
    fn cmap_lookup(font: &[u8], c: u32) -> Option<u16> {
        let n = usize::from(be16(font, 4)?);
        let cmap = (0..n)
            .map(|i| 12 + 16 * i)
            .find(|r| &font[*r..*r + 4] == b"cmap")
            .map(|r| be32(font, r + 8).unwrap() as usize)?;
        let records = usize::from(be16(font, cmap + 2)?);
        for r in 0..records {
            let at = cmap + 4 + 8 * r;
            let sub = cmap + be32(font, at + 4)? as usize;
            match (be16(font, at + 2)?, be16(font, sub)?) {
                (1, 4) if c <= 0xFFFF => {
                    let segs = usize::from(be16(font, sub + 6)? / 2);
                    for s in 0..segs {
                        let end = u32::from(be16(font, sub + 14 + 2 * s)?);
                        let start = u32::from(be16(font, sub + 16 + 2 * segs + 2 * s)?);
                        let delta = be16(font, sub + 16 + 4 * segs + 2 * s)?;
                        if (start..=end).contains(&c) && c != 0xFFFF {
                            return Some((c as u16).wrapping_add(delta));
                        }
                    }
                }
                (10, 12) => {
                    let groups = be32(font, sub + 12)? as usize;
                    for gi in 0..groups {
                        let g = sub + 16 + 12 * gi;
                        let (start, end) = (be32(font, g)?, be32(font, g + 4)?);
                        if (start..=end).contains(&c) {
                            return u16::try_from(be32(font, g + 8)? + (c - start)).ok();
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    #[test]
    fn a_truetype_file_maps_each_character_to_its_own_glyph() {
        let book =
            FontBook::new(&super::super::fonts::FontStore::new(), &Fonts::default()).unwrap();
        for text in ["0123 合计国民", "𠀾"] {
            let first = text.chars().next().unwrap();
            let (id, _) = book.lookup(Role::Body, first).unwrap();
            let face = book.face(id).unwrap();
            let chars: BTreeSet<char> = text.chars().filter(|c| face.glyph(*c).is_some()).collect();
            assert!(!chars.is_empty(), "{text}");
            let font = truetype(face, &chars).unwrap();
            assert_eq!(checksum(&font), 0xB1B0_AFBA);
            let table = |tag: &[u8; 4]| {
                let n = usize::from(be16(&font, 4).unwrap());
                (0..n)
                    .map(|i| 12 + 16 * i)
                    .find(|r| &font[*r..*r + 4] == tag)
                    .map(|r| {
                        (
                            be32(&font, r + 8).unwrap() as usize,
                            be32(&font, r + 12).unwrap() as usize,
                        )
                    })
            };
            for tag in [b"name", b"OS/2", b"post", b"hmtx", b"glyf", b"loca"] {
                assert!(
                    table(tag).is_some(),
                    "{text}: {}",
                    String::from_utf8_lossy(tag)
                );
            }
            let (post, post_len) = table(b"post").unwrap();
            assert_eq!(
                (be32(&font, post), post_len),
                (Some(0x0003_0000), POST_HEADER)
            );
            let (glyf, _) = table(b"glyf").unwrap();
            let (loca, _) = table(b"loca").unwrap();
            let (hmtx, _) = table(b"hmtx").unwrap();
            let b = face.bytes();
            for c in &chars {
                let new = cmap_lookup(&font, *c as u32).unwrap_or_else(|| panic!("{c} not mapped"));
                let old = face.glyph(*c).unwrap();
                assert_ne!(new, 0, "{c}");
                // The same glyph record and the same advance.
                let at = |i: u16| be32(&font, loca + 4 * usize::from(i)).unwrap() as usize;
                let (s, e) = glyph_range(b, &face.tables, old).unwrap();
                let record = &font[glyf + at(new)..glyf + at(new + 1)];
                assert_eq!(&record[..e - s], &b[s..e], "{c}");
                assert_eq!(
                    be16(&font, hmtx + 4 * usize::from(new)),
                    Some(face.advance_units(old)),
                    "{c}"
                );
            }
            assert_eq!(cmap_lookup(&font, '民' as u32 + 1), None);
        }
    }
}
