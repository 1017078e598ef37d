//! Reading our OFD packages back in the tests: the zip's parts, and each
//! XML part as a flat list of elements (name, attributes, own text) in
//! document order, parsed with quick-xml.
#![allow(dead_code)]

use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// One element: its name, attributes and the text directly inside it.
#[derive(Debug, Clone, Default)]
pub struct Elem {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
    pub text: String,
}

impl Elem {
    pub fn attr(&self, key: &str) -> &str {
        self.attrs.get(key).map(String::as_str).unwrap_or("")
    }
}

/// Every entry of the package, by name.
pub fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("an OFD is a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().unwrap().into_owned(), data);
    }
    out
}

/// The elements of an XML part in document order.
pub fn elements(xml: &[u8]) -> Vec<Elem> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out: Vec<Elem> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            Event::Start(e) => {
                out.push(elem(&e));
                open.push(out.len() - 1);
            }
            Event::Empty(e) => out.push(elem(&e)),
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    out[i].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(&i) = open.last() {
                    let name = r.as_ref().to_string();
                    let ch = match name.as_str() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        other => panic!("unexpected entity &{other};"),
                    };
                    out[i].text.push_str(ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn elem(e: &quick_xml::events::BytesStart<'_>) -> Elem {
    let mut el = Elem {
        name: e.name().as_ref().to_string(),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.expect("attribute");
        el.attrs.insert(
            a.key.as_ref().to_string(),
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .expect("attribute value")
                .into_owned(),
        );
    }
    el
}

/// Expands a DeltaX list (`g count value` repeats a value).
pub fn delta_x(s: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while let Some(tok) = it.next() {
        if tok == "g" {
            let n: usize = it.next().unwrap().parse().unwrap();
            let v: f64 = it.next().unwrap().parse().unwrap();
            out.extend(std::iter::repeat_n(v, n));
        } else {
            out.push(tok.parse().unwrap());
        }
    }
    out
}
