//! TrueType subsets for the PDF: only the glyphs a document draws,
//! renumbered from 1 in the order of their characters, with the tables a
//! CIDFontType2 program needs (head, hhea, maxp, hmtx, loca, glyf and the
//! hinting tables). Glyph records are copied as bytes — no outline is
//! decoded — and composite glyphs bring their components along.
//!
//! A [`Program`] depends only on the face and the set of characters, so a
//! face keeps the last few it made, in the [`FontStore`](super::fonts::FontStore)
//! that holds the face: the documents of a batch (one store) mostly draw
//! the same characters, and the font is then subset and deflated (at the
//! highest level, as it is done once) once for all of them.

use super::fonts::{Face, Span, be16, be32};
use std::collections::BTreeMap;
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

fn make(face: &Face, used: &[(char, u16)]) -> Result<Program, String> {
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
    tables.sort_by_key(|(tag, _)| **tag);
    let font = sfnt(&tables);
    let upem = i64::from(t.units_per_em);
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
}
