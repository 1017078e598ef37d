//! PDF/A-2u (ISO 19005-2, level U): what an archive needs beyond the public
//! version, added to the objects of the document the renderer made.
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

use super::object::{Dict, Id, Object, Pdf, Stream};
use super::render::{Info, pdf_text as text};

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

/// An embedded CID font, for its /CIDSet.
#[derive(Debug, Clone, Copy)]
pub struct CidFont {
    /// The font descriptor's object.
    pub descriptor: Id,
    /// How many glyphs its program has (CIDs 0..glyphs).
    pub glyphs: usize,
}

/// zlib level of the streams added here (the ICC profile, the CIDSets).
const DEFLATE_LEVEL: u32 = 6;

/// Makes the rendered document PDF/A-2u (see the module documentation);
/// `fonts` are its embedded fonts, in the order of their descriptors.
pub fn conform(pdf: &mut Pdf, info: &Info, fonts: &[CidFont]) -> Result<(), String> {
    pdf.version = "1.7";
    // Four bytes above 127 after the header: the file is binary.
    pdf.binary_mark = [0xE2, 0xE3, 0xCF, 0xD3];
    let stamp = Stamp::at(info.created);
    rewrite_info(pdf, info, &stamp);
    let xmp = xmp_packet(info, &stamp);
    // ISO 19005: the metadata stream is never filtered.
    let meta_id = pdf.add(Stream::new(
        Dict::from_iter([
            ("Type", Object::name("Metadata")),
            ("Subtype", Object::name("XML")),
        ]),
        xmp.into_bytes(),
    ));
    let icc = Stream::deflated(
        Dict::from_iter([
            ("N", Object::Integer(3)),
            ("Alternate", Object::name("DeviceRGB")),
        ]),
        SRGB_ICC.to_vec(),
        DEFLATE_LEVEL,
    );
    let icc_id = pdf.add(icc);
    let intent = Dict::from_iter([
        ("Type", Object::name("OutputIntent")),
        ("S", Object::name("GTS_PDFA1")),
        ("OutputConditionIdentifier", Object::literal(SRGB_NAME)),
        ("Info", Object::literal(SRGB_NAME)),
        ("RegistryName", Object::literal("http://www.color.org")),
        ("DestOutputProfile", Object::Ref(icc_id)),
    ]);
    add_cid_sets(pdf, fonts);
    flag_annotations(pdf);
    let cat = pdf.catalog_mut()?;
    cat.set("OutputIntents", Object::Array(vec![Object::Dict(intent)]));
    cat.set("Metadata", Object::Ref(meta_id));
    cat.set("Lang", Object::literal(LANG));
    Ok(())
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
fn rewrite_info(pdf: &mut Pdf, info: &Info, stamp: &Stamp) {
    let mut d = Dict::new();
    d.set("Title", text(&info.title));
    if !info.author.is_empty() {
        d.set("Author", text(&info.author));
    }
    d.set("Subject", text(&info.subject));
    d.set("Creator", text(CREATOR));
    d.set("Producer", text(&producer()));
    d.set("CreationDate", Object::literal(&stamp.pdf));
    d.set("ModDate", Object::literal(&stamp.pdf));
    match pdf.trailer.get("Info") {
        Some(Object::Ref(id)) => {
            let id = *id;
            pdf.set(id, d);
        }
        _ => {
            let id = pdf.add(d);
            pdf.trailer.set("Info", Object::Ref(id));
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

/// Adds to each embedded CID font's descriptor a /CIDSet naming every CID
/// its font program has (all glyphs 0..n, CIDToGIDMap being Identity).
fn add_cid_sets(pdf: &mut Pdf, fonts: &[CidFont]) {
    for font in fonts {
        let mut bits = vec![0u8; font.glyphs.div_ceil(8)];
        for gid in 0..font.glyphs {
            bits[gid / 8] |= 0x80 >> (gid % 8);
        }
        let set = pdf.add(Stream::deflated(Dict::new(), bits, DEFLATE_LEVEL));
        if let Some(d) = pdf.dict_mut(font.descriptor) {
            d.set("CIDSet", Object::Ref(set));
        }
    }
}

/// PDF/A: every annotation prints (flag 3, value 4) and is not hidden.
/// The renderer writes them inline in the pages' /Annots.
fn flag_annotations(pdf: &mut Pdf) {
    for (_, object) in pdf.objects_mut() {
        let Object::Dict(page) = object else {
            continue;
        };
        let Some(Object::Array(annots)) = page.get_mut("Annots") else {
            continue;
        };
        for a in annots.iter_mut() {
            if let Object::Dict(d) = a {
                d.set("F", Object::Integer(4));
            }
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
}
