//! Paragraph and character styles of styles.xml: what they say about
//! alignment, bold, size, hidden text and heading level, through their
//! basedOn chains.

use super::xml::{attr, int_val, jc_align, local, on_off, val};
use crate::limits::Limit;
use crate::model::Align;
use crate::model::Warning;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Largest styles part kept for [`Styles::parse_shared`]: its bytes are
/// held as the key, so a huge part is parsed and let go.
const SHARED_PART_BYTES: usize = 4 << 20;

/// How many parsed styles parts each thread keeps.
const SHARED_PARTS: usize = 4;

/// A parsed styles part.
type Parsed = Rc<Result<Styles, String>>;

thread_local! {
    /// The styles parts this thread parsed last, by their bytes and the
    /// chain limit, newest last.
    static SHARED: RefCell<Vec<(Vec<u8>, usize, Parsed)>> = const { RefCell::new(Vec::new()) };
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
}

impl Styles {
    /// No styles; basedOn chains followed up to `chain` styles.
    pub(super) fn new(chain: usize) -> Styles {
        Styles {
            map: HashMap::new(),
            default_paragraph: None,
            chain,
        }
    }

    /// [`Styles::parse`] of the bytes of a styles part, shared with the
    /// last few documents of this thread whose styles part had the same
    /// bytes. Documents made from one template (all of python-docx's, most
    /// of one office's) carry the same styles part, often much larger than
    /// the document (python-docx's is 340 KB of mostly table styles), and
    /// parsing it is most of the reading; the result is a function of the
    /// bytes and the chain limit, so sharing it changes nothing.
    pub(super) fn parse_shared(bytes: Vec<u8>, chain: usize) -> Parsed {
        let hit = SHARED.with_borrow(|shared| {
            shared
                .iter()
                .find(|(b, c, _)| *c == chain && *b == bytes)
                .map(|(_, _, parsed)| parsed.clone())
        });
        if let Some(parsed) = hit {
            return parsed;
        }
        if bytes.len() > SHARED_PART_BYTES {
            return Rc::new(Styles::parse(&super::to_utf8(bytes), chain));
        }
        let parsed = Rc::new(Styles::parse(&super::to_utf8(bytes.clone()), chain));
        SHARED.with_borrow_mut(|shared| {
            if shared.len() == SHARED_PARTS {
                shared.remove(0);
            }
            shared.push((bytes, chain, parsed.clone()));
        });
        parsed
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
                Event::Eof => return Ok(styles),
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
        let mut ids: Vec<&String> = self.map.keys().collect();
        ids.sort();
        for id in ids {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut at = id.as_str();
            let mut length = 0usize;
            while seen.insert(at) {
                length += 1;
                if length > self.chain {
                    return Some(Warning::new(
                        "style-chain-limit",
                        Some(format!("part '{part}', style '{id}'")),
                        format!(
                            "the style is based on a chain of more than {} styles; those further \
                             up are not followed ({})",
                            self.chain,
                            Limit::DocxStyleChain.how_to_raise()
                        ),
                    ));
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

    /// A styles part: Heading1 bold, based on a style that is based on
    /// `base_of_base`.
    fn part(base_of_base: &str) -> Vec<u8> {
        format!(
            r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Mid"/><w:rPr><w:b/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Mid"><w:basedOn w:val="{base_of_base}"/></w:style><w:style w:type="paragraph" w:styleId="Big"><w:pPr><w:jc w:val="center"/></w:pPr></w:style></w:styles>"#
        )
        .into_bytes()
    }

    fn centred(parsed: &Parsed) -> Option<Align> {
        let styles = parsed.as_ref().as_ref().ok()?;
        styles.find(Some("Heading1"), |d| d.align)
    }

    #[test]
    fn shared_parse_is_the_parse_of_the_same_bytes_and_limit() {
        // Heading1 → Mid → Big (centred) when Mid is based on Big.
        let big = part("Big");
        let other = part("Nothing");
        let first = Styles::parse_shared(big.clone(), 5);
        assert_eq!(centred(&first), Some(Align::Center));
        // Another part between: its own answer, not the first one's.
        assert_eq!(centred(&Styles::parse_shared(other.clone(), 5)), None);
        // The same bytes again: the same parse, shared.
        let again = Styles::parse_shared(big.clone(), 5);
        assert!(Rc::ptr_eq(&first, &again));
        // The same bytes with a chain limit of 2: Big is not reached.
        let short = Styles::parse_shared(big.clone(), 2);
        assert!(!Rc::ptr_eq(&first, &short));
        assert_eq!(centred(&short), None);
        // A damaged part: its error, also when asked twice.
        let damaged = b"<w:styles><w:style></w:styles>".to_vec();
        assert!(Styles::parse_shared(damaged.clone(), 5).is_err());
        assert!(Styles::parse_shared(damaged, 5).is_err());
        assert_eq!(centred(&Styles::parse_shared(other, 5)), None);
    }
}
