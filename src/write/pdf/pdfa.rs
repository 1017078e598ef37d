//! PDF/A-2u (ISO 19005-2, level U): what an archive needs beyond the public
//! version, added to the lopdf form of the document the renderer made.
//!
//! The renderer writes its usual document and [`conform`] adds, all
//! deterministically:
//!
//! - an XMP packet (uncompressed, as ISO 19005 requires) with `pdfaid:part`
//!   2 and `pdfaid:conformance` U and every /Info entry mirrored
//!   (`dc:title`, `dc:creator` = the department, `dc:description`,
//!   `xmp:CreatorTool`, `pdf:Producer`, `xmp:CreateDate`/`ModifyDate`);
//!   /Info keeps only entries XMP mirrors;
//! - an sRGB output intent (`/GTS_PDFA1`) with the bundled ICC profile, so
//!   the DeviceRGB greys the pages use have a defined meaning;
//! - `/Lang (zh-CN)`, PDF version 1.7 and the conventional binary comment;
//! - a `/CIDSet` for every embedded CID font, naming every glyph of the
//!   embedded subset (CIDToGIDMap is Identity, so CIDs are glyph ids);
//! - the print flag on every annotation (the 目录's links).
//!
//! What the renderer already writes and PDF/A needs is checked by the tests:
//! every font embedded (`/FontFile2`) with `/ToUnicode`, `/W` widths and
//! `/CIDToGIDMap /Identity`, the trailer `/ID`, no encryption, no
//! transparency (no soft masks, no ExtGState alpha).

use super::render::Info;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

/// sRGB IEC 61966-2.1 from Debian's icc-profiles-free (zlib licence; see
/// icc/README.md).
static SRGB_ICC: &[u8] = include_bytes!("../../../icc/sRGB.icc");

/// The output condition the profile describes.
const SRGB_NAME: &str = "sRGB IEC61966-2.1";

/// The language of every document gongkai writes.
pub const LANG: &str = "zh-CN";

/// A document id for the PDF/A form, distinct from the public version's
/// (they are different files of one document).
pub fn archival_id(id: &[u8; 16]) -> [u8; 16] {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(id)
        .chain_update(b"PDF/A-2u")
        .finalize();
    let mut out = [0u8; 16];
    for (dst, src) in out.iter_mut().zip(digest.iter()) {
        *dst = *src;
    }
    out
}

/// Makes the rendered document PDF/A-2u (see the module documentation).
pub fn conform(lo: &mut lopdf::Document, info: &Info) -> Result<(), String> {
    lo.version = "1.7".into();
    // Four bytes above 127 after the header: the file is binary.
    lo.binary_mark = vec![0xE2, 0xE3, 0xCF, 0xD3];
    let stamp = Stamp::at(info.created);
    rewrite_info(lo, info, &stamp);
    let xmp = xmp_packet(info, &stamp);
    let mut meta = Stream::new(
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp.into_bytes(),
    );
    // ISO 19005: the metadata stream is never filtered.
    meta.allows_compression = false;
    let meta_id = lo.add_object(meta);
    let icc = Stream::new(
        Dictionary::from_iter(vec![
            ("N", Object::Integer(3)),
            ("Alternate", Object::Name(b"DeviceRGB".to_vec())),
        ]),
        SRGB_ICC.to_vec(),
    );
    let icc_id = lo.add_object(icc);
    let intent = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        ("OutputConditionIdentifier", literal(SRGB_NAME)),
        ("Info", literal(SRGB_NAME)),
        ("RegistryName", literal("http://www.color.org")),
        ("DestOutputProfile", Object::Reference(icc_id)),
    ]);
    add_cid_sets(lo);
    flag_annotations(lo);
    let cat = lo
        .catalog_mut()
        .map_err(|e| format!("cannot reach the PDF catalog: {e}"))?;
    cat.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );
    cat.set("Metadata", Object::Reference(meta_id));
    cat.set("Lang", literal(LANG));
    Ok(())
}

fn literal(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// A text string as PDF text: UTF-16BE with its byte order mark.
fn text(s: &str) -> Object {
    let mut v = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(v, StringFormat::Hexadecimal)
}

/// The document's time in the two notations, which must name the same
/// instant: /Info's `D:YYYYMMDDHHmmSS+00'00'` and XMP's ISO 8601.
struct Stamp {
    pdf: String,
    xmp: String,
}

impl Stamp {
    fn at(unix: i64) -> Stamp {
        let c = crate::time::civil_from_unix(unix);
        Stamp {
            pdf: format!(
                "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
                c.year, c.month, c.day, c.hour, c.minute, c.second
            ),
            xmp: format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
                c.year, c.month, c.day, c.hour, c.minute, c.second
            ),
        }
    }
}

/// The renderer's /Info, made to match the XMP: the same dates, and only
/// entries the XMP mirrors (an empty author is left out of both).
fn rewrite_info(lo: &mut lopdf::Document, info: &Info, stamp: &Stamp) {
    let mut d = Dictionary::new();
    d.set("Title", text(&info.title));
    if !info.author.is_empty() {
        d.set("Author", text(&info.author));
    }
    d.set("Subject", text(&info.subject));
    d.set("Creator", text(CREATOR));
    d.set("Producer", text(&producer()));
    d.set("CreationDate", literal(&stamp.pdf));
    d.set("ModDate", literal(&stamp.pdf));
    match lo.trailer.get(b"Info") {
        Ok(Object::Reference(id)) => {
            let id = *id;
            lo.objects.insert(id, Object::Dictionary(d));
        }
        _ => {
            let id = lo.add_object(d);
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
}

const CREATOR: &str = "gongkai";

fn producer() -> String {
    format!("gongkai {}", env!("CARGO_PKG_VERSION"))
}

/// Escapes text for XML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no control characters but tab, newline, return.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The XMP packet: the PDF/A identification and /Info's entries.
fn xmp_packet(info: &Info, stamp: &Stamp) -> String {
    let id = hex::encode(info.id);
    // A UUID-shaped rendering of the trailer /ID.
    let uuid = format!(
        "uuid:{}-{}-{}-{}-{}",
        &id[0..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..32]
    );
    let creator = if info.author.is_empty() {
        String::new()
    } else {
        format!(
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            esc(&info.author)
        )
    };
    let body = format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>U</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
{creator}   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{tool}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"#,
        title = esc(&info.title),
        subject = esc(&info.subject),
        lang = LANG,
        tool = CREATOR,
        date = stamp.xmp,
        producer = esc(&producer()),
    );
    // Room to edit the packet in place, as XMP writers conventionally leave.
    let padding = format!("{}\n", " ".repeat(99)).repeat(20);
    format!(
        "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n{body}{padding}<?xpacket end=\"w\"?>"
    )
}

/// The number of glyphs of a TrueType font program (its `maxp` table), or
/// `None` when the bytes are not one.
pub fn glyph_count(font: &[u8]) -> Option<u16> {
    let be16 = |at: usize| Some(u16::from_be_bytes([*font.get(at)?, *font.get(at + 1)?]));
    let be32 = |at: usize| {
        Some(u32::from_be_bytes([
            *font.get(at)?,
            *font.get(at + 1)?,
            *font.get(at + 2)?,
            *font.get(at + 3)?,
        ]))
    };
    let tables = usize::from(be16(4)?);
    (0..tables).find_map(|i| {
        let rec = 12 + 16 * i;
        if font.get(rec..rec + 4)? != b"maxp" {
            return None;
        }
        let offset = usize::try_from(be32(rec + 8)?).ok()?;
        be16(offset + 4)
    })
}

/// Adds to each embedded CID font's descriptor a /CIDSet naming every CID
/// its font program has (all glyphs 0..n, CIDToGIDMap being Identity).
fn add_cid_sets(lo: &mut lopdf::Document) {
    let descriptors: Vec<(ObjectId, ObjectId)> = lo
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            if d.get(b"Type").ok()?.as_name().ok()? != b"FontDescriptor" {
                return None;
            }
            let file = d.get(b"FontFile2").ok()?.as_reference().ok()?;
            Some((*id, file))
        })
        .collect();
    for (descriptor, file) in descriptors {
        let Some(count) = lo
            .get_object(file)
            .ok()
            .and_then(|o| o.as_stream().ok())
            .and_then(|s| {
                s.decompressed_content()
                    .ok()
                    .or_else(|| Some(s.content.clone()))
            })
            .and_then(|bytes| glyph_count(&bytes))
        else {
            continue;
        };
        let mut bits = vec![0u8; usize::from(count).div_ceil(8)];
        for gid in 0..usize::from(count) {
            bits[gid / 8] |= 0x80 >> (gid % 8);
        }
        let set = lo.add_object(Stream::new(Dictionary::new(), bits));
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(descriptor) {
            d.set("CIDSet", Object::Reference(set));
        }
    }
}

/// PDF/A: every annotation prints (flag 3, value 4) and is not hidden.
/// The renderer writes them inline in the pages' /Annots; a referenced
/// one is flagged too.
fn flag_annotations(lo: &mut lopdf::Document) {
    let mut referenced = Vec::new();
    for object in lo.objects.values_mut() {
        let Object::Dictionary(page) = object else {
            continue;
        };
        let Ok(Object::Array(annots)) = page.get_mut(b"Annots") else {
            continue;
        };
        for a in annots.iter_mut() {
            match a {
                Object::Dictionary(d) => d.set("F", Object::Integer(4)),
                Object::Reference(id) => referenced.push(*id),
                _ => {}
            }
        }
    }
    for id in referenced {
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(id) {
            d.set("F", Object::Integer(4));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamps_name_one_instant() {
        let s = Stamp::at(1_740_816_000);
        assert_eq!(s.pdf, "D:20250301080000+00'00'");
        assert_eq!(s.xmp, "2025-03-01T08:00:00+00:00");
    }

    #[test]
    fn xmp_escapes_and_identifies_part_2_level_u() {
        let info = Info {
            title: "A & <B>".into(),
            author: String::new(),
            subject: "s".into(),
            created: 0,
            id: [7; 16],
            pdfa: true,
        };
        let x = xmp_packet(&info, &Stamp::at(0));
        assert!(x.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(x.contains("<pdfaid:conformance>U</pdfaid:conformance>"));
        assert!(x.contains("A &amp; &lt;B&gt;"));
        assert!(!x.contains("dc:creator"), "no department, no creator");
        assert!(x.ends_with("<?xpacket end=\"w\"?>"));
    }

    #[test]
    fn glyph_count_reads_maxp_and_refuses_garbage() {
        let font = include_bytes!("../../../fonts/NotoSansSC-Bold-common.ttf");
        let n = glyph_count(font).unwrap();
        assert!(n > 5000, "{n}");
        assert_eq!(glyph_count(b"not a font"), None);
        assert_eq!(glyph_count(&[]), None);
    }
}
