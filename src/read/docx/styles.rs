//! Paragraph and character styles of styles.xml: what they say about
//! alignment, bold, size, hidden text and heading level, through their
//! basedOn chains.

use super::xml::{attr, int_val, jc_align, local, on_off, val};
use crate::limits::Limit;
use crate::model::Align;
use crate::model::Warning;
use crate::read::ReadError;
use crate::read::package::Package;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Largest compressed styles part whose parse a [`SharedStyles`] keeps:
/// its bytes are held as the key.
const SHARED_PART_BYTES: u64 = 1 << 20;

/// How many parsed styles parts a [`SharedStyles`] keeps.
const SHARED_PARTS: usize = 4;

/// A parsed styles part.
pub(super) type Parsed = Arc<Result<Styles, String>>;

/// The styles parts read last, parsed, for the Word files that follow
/// (a batch owns one and lends it to every file it reads).
///
/// Documents made from one template (all of python-docx's, most of one
/// office's) carry the same styles part, often much larger than the
/// document (python-docx's inflates to 340 KB, mostly table styles), and
/// inflating and parsing it was most of the reading. A part is known by
/// its [`Package::member_key`] (what inflating it depends on) and the
/// chain limit, so a parse is shared only where it would come out the
/// same.
#[derive(Debug, Default)]
pub(crate) struct SharedStyles {
    /// Key, chain limit and parse; newest last.
    parts: Mutex<Vec<(Vec<u8>, usize, Parsed)>>,
}

impl SharedStyles {
    /// Nothing kept yet.
    pub(crate) fn new() -> SharedStyles {
        SharedStyles::default()
    }

    /// The parse kept for `key` and `chain`, if any.
    fn get(&self, key: &[u8], chain: usize) -> Option<Parsed> {
        let parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        parts
            .iter()
            .find(|(k, c, _)| *c == chain && k == key)
            .map(|(_, _, parsed)| parsed.clone())
    }

    /// Keeps `parsed`, in place of the oldest kept when full.
    fn put(&self, key: Vec<u8>, chain: usize, parsed: Parsed) {
        let mut parts = self.parts.lock().unwrap_or_else(|e| e.into_inner());
        if parts.iter().any(|(k, c, _)| *c == chain && *k == key) {
            return;
        }
        if parts.len() == SHARED_PARTS {
            parts.remove(0);
        }
        parts.push((key, chain, parsed));
    }
}

#[derive(Debug, Default, Clone)]
pub(super) struct StyleDef {
    name: String,
    based_on: Option<String>,
    pub(super) align: Option<Align>,
    pub(super) bold: Option<bool>,
    pub(super) size_half_pt: Option<i64>,
    outline: Option<i64>,
    /// Hidden text (w:vanish in the style's run properties).
    pub(super) vanish: Option<bool>,
}

/// Paragraph and character styles: what they say about alignment, bold,
/// size and heading level.
#[derive(Debug)]
pub(super) struct Styles {
    map: HashMap<String, StyleDef>,
    pub(super) default_paragraph: Option<String>,
    /// Most styles of a basedOn chain followed
    /// ([`Limits::docx_style_chain`](crate::limits::Limits::docx_style_chain));
    /// a cycle ends a chain too.
    chain: usize,
    /// The first style whose basedOn chain is longer than `chain`, found
    /// once with the parse (see [`Styles::chain_warning`]).
    long_chain: Option<String>,
}

impl Styles {
    /// No styles; basedOn chains followed up to `chain` styles.
    pub(super) fn new(chain: usize) -> Styles {
        Styles {
            map: HashMap::new(),
            default_paragraph: None,
            chain,
            long_chain: None,
        }
    }

    /// The parse of styles part `name`, or `None` when the package has
    /// none; an error when the part cannot be inflated. With `shared`, a
    /// part read before under the same key and chain limit is neither
    /// inflated nor parsed again (see [`SharedStyles`]).
    pub(super) fn read_part(
        package: &mut Package<'_>,
        name: &str,
        chain: usize,
        shared: Option<&SharedStyles>,
    ) -> Result<Option<Parsed>, ReadError> {
        let key = match shared {
            Some(_) => package.member_key(name, SHARED_PART_BYTES),
            None => None,
        };
        if let (Some(shared), Some(key)) = (shared, key.as_deref())
            && let Some(parsed) = shared.get(key, chain)
        {
            return Ok(Some(parsed));
        }
        let Some(part) = package.read(name)? else {
            return Ok(None);
        };
        let parsed = Arc::new(Styles::parse(&super::to_utf8(part), chain));
        if let (Some(shared), Some(key)) = (shared, key) {
            shared.put(key, chain, parsed.clone());
        }
        Ok(Some(parsed))
    }

    pub(super) fn parse(xml: &str, chain: usize) -> Result<Styles, String> {
        let mut styles = Styles::new(chain);
        let mut reader = Reader::from_reader(xml.as_bytes());
        let mut current: Option<(String, StyleDef)> = None;
        let mut in_ppr = false;
        let mut in_rpr = false;
        loop {
            let ev = reader.read_event().map_err(|e| e.to_string())?;
            let is_start = matches!(ev, Event::Start(_));
            match ev {
                Event::Start(e) | Event::Empty(e) => match local(&e) {
                    "style" => {
                        let id = attr(&e, "styleId").unwrap_or_default();
                        let para = attr(&e, "type").as_deref() == Some("paragraph");
                        if para && attr(&e, "default").is_some_and(|v| v == "1" || v == "true") {
                            styles.default_paragraph = Some(id.clone());
                        }
                        if is_start {
                            current = Some((id, StyleDef::default()));
                        }
                    }
                    "pPr" if is_start => in_ppr = true,
                    "rPr" if is_start => in_rpr = true,
                    "pPrChange" | "rPrChange" if is_start => {
                        reader
                            .read_to_end(e.name())
                            .map_err(|err| err.to_string())?;
                    }
                    name => {
                        if let Some((_, def)) = current.as_mut() {
                            match name {
                                "name" => def.name = val(&e).unwrap_or_default(),
                                "basedOn" => def.based_on = val(&e),
                                "jc" if in_ppr => def.align = val(&e).map(|v| jc_align(&v)),
                                "outlineLvl" if in_ppr => def.outline = int_val(&e, "val"),
                                "b" if in_rpr => def.bold = Some(on_off(&e)),
                                "sz" if in_rpr => def.size_half_pt = int_val(&e, "val"),
                                "vanish" if in_rpr => def.vanish = Some(on_off(&e)),
                                _ => {}
                            }
                        }
                    }
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "style" => {
                        if let Some((id, def)) = current.take() {
                            styles.map.insert(id, def);
                        }
                    }
                    "pPr" => in_ppr = false,
                    "rPr" => in_rpr = false,
                    _ => {}
                },
                Event::Eof => {
                    styles.long_chain = styles.first_long_chain();
                    return Ok(styles);
                }
                _ => {}
            }
        }
    }

    /// Follows a style and the styles it is based on, first answer wins.
    pub(super) fn find<T>(
        &self,
        id: Option<&str>,
        get: impl Fn(&StyleDef) -> Option<T>,
    ) -> Option<T> {
        let mut id = id?.to_string();
        // A chain without a cycle holds each style once at most, so a
        // raised limit costs no more than the styles there are.
        for _ in 0..self.chain.min(self.map.len()) {
            let def = self.map.get(&id)?;
            if let Some(v) = get(def) {
                return Some(v);
            }
            id = def.based_on.clone()?;
        }
        None
    }

    /// A warning when some style's basedOn chain is longer than the limit
    /// (its styles further up are not followed); a cycle is not reported,
    /// it only ends the chain.
    pub(super) fn chain_warning(&self, part: &str) -> Option<Warning> {
        let id = self.long_chain.as_deref()?;
        Some(Warning::new(
            "style-chain-limit",
            Some(format!("part '{part}', style '{id}'")),
            format!(
                "the style is based on a chain of more than {} styles; those further \
                 up are not followed ({})",
                self.chain,
                Limit::DocxStyleChain.how_to_raise()
            ),
        ))
    }

    /// The first style id (in byte order) whose basedOn chain is longer
    /// than the limit.
    fn first_long_chain(&self) -> Option<String> {
        let mut ids: Vec<&String> = self.map.keys().collect();
        ids.sort();
        for id in ids {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut at = id.as_str();
            let mut length = 0usize;
            while seen.insert(at) {
                length += 1;
                if length > self.chain {
                    return Some(id.clone());
                }
                match self.map.get(at).and_then(|d| d.based_on.as_deref()) {
                    Some(next) if self.map.contains_key(next) => at = next,
                    _ => break,
                }
            }
        }
        None
    }

    /// Heading level of a paragraph style: Title and 标题 are 1, "heading N"
    /// is N, an outline level L is L + 1.
    pub(super) fn heading(&self, id: Option<&str>) -> Option<u8> {
        self.find(id, |d| {
            let name = d.name.to_lowercase();
            if name == "title" || name == "标题" {
                return Some(1);
            }
            for prefix in ["heading ", "标题 "] {
                if let Some(n) = name
                    .strip_prefix(prefix)
                    .and_then(|n| n.trim().parse().ok())
                {
                    return Some(n);
                }
            }
            d.outline
                .filter(|l| (0..9).contains(l))
                .map(|l| l as u8 + 1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::model::Format;
    use std::io::Write;

    /// A styles part: Heading1 based on Mid, Mid based on `base_of_base`;
    /// Big is centred.
    fn part(base_of_base: &str) -> Vec<u8> {
        format!(
            r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Mid"/><w:rPr><w:b/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Mid"><w:basedOn w:val="{base_of_base}"/></w:style><w:style w:type="paragraph" w:styleId="Big"><w:pPr><w:jc w:val="center"/></w:pPr></w:style></w:styles>"#
        )
        .into_bytes()
    }

    /// A package holding `styles` as word/styles.xml, deflated or stored.
    fn package(styles: &[u8], deflate: bool) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let method = if deflate {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(b"<w:document/>").unwrap();
        zip.start_file("word/styles.xml", options).unwrap();
        zip.write_all(styles).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// Styles::read_part of the styles part of `zip`, sharing through
    /// `shared`.
    fn read_with(zip: &[u8], chain: usize, shared: Option<&SharedStyles>) -> Parsed {
        let mut package = Package::open(zip, Format::Docx, &Limits::default()).unwrap();
        Styles::read_part(&mut package, "word/styles.xml", chain, shared)
            .unwrap()
            .unwrap()
    }

    fn centred(parsed: &Parsed) -> Option<Align> {
        let styles = parsed.as_ref().as_ref().ok()?;
        styles.find(Some("Heading1"), |d| d.align)
    }

    #[test]
    fn a_shared_parse_is_the_parse_of_the_same_part_and_limit() {
        let shared = SharedStyles::new();
        let read = |zip: &[u8], chain: usize| read_with(zip, chain, Some(&shared));
        // Heading1 → Mid → Big (centred) when Mid is based on Big.
        let big = package(&part("Big"), true);
        let other = package(&part("Nothing"), true);
        let first = read(&big, 5);
        assert_eq!(centred(&first), Some(Align::Center));
        // Another part between: its own answer, not the first one's.
        assert_eq!(centred(&read(&other, 5)), None);
        // Another package with the same part: the same parse, shared.
        let again = read(&package(&part("Big"), true), 5);
        assert!(Arc::ptr_eq(&first, &again));
        // Not shared without a SharedStyles: parsed again, same answer.
        let alone = read_with(&big, 5, None);
        assert!(!Arc::ptr_eq(&first, &alone));
        assert_eq!(centred(&alone), Some(Align::Center));
        // The same part stored, not deflated: parsed again, same answer.
        let stored = read(&package(&part("Big"), false), 5);
        assert!(!Arc::ptr_eq(&first, &stored));
        assert_eq!(centred(&stored), Some(Align::Center));
        // The same part with a chain limit of 2: Big is not reached.
        let short = read(&big, 2);
        assert!(!Arc::ptr_eq(&first, &short));
        assert_eq!(centred(&short), None);
        // A damaged part: its error, also when asked twice.
        let damaged = package(b"<w:styles><w:style></w:styles>", true);
        assert!(read(&damaged, 5).is_err());
        assert!(read(&damaged, 5).is_err());
        // Four kept at most: the first part has been let go by now.
        assert!(!Arc::ptr_eq(&first, &read(&big, 5)));
        assert_eq!(centred(&read(&other, 5)), None);
    }
}
