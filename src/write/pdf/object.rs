//! PDF objects and the file that holds them: the few kinds the renderer
//! writes, numbered in the order they are made and written in that order,
//! with a cross-reference stream and the trailer's /Root, /Info and /ID.
//! Nothing here is read back; the tests read the files with lopdf.
//!
//! The file's form: `%PDF-1.7`, a comment of four bytes above 127 (the
//! file is binary), each object as `N 0 obj … endobj`, then the
//! cross-reference stream (entries `[1 4 2]` bytes wide, uncompressed; its
//! dictionary is the trailer), `startxref` and `%%EOF`. Reals are written
//! in their shortest form, names with `#xx` escapes, dictionaries in the
//! order their keys were first set; the same objects give the same bytes.

use std::collections::BTreeMap;
use std::io::Write;

/// An object number (the generation is always 0).
pub type Id = u32;

/// A PDF object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `null`.
    Null,
    /// An integer.
    Integer(i64),
    /// A real, written in its shortest decimal form.
    Real(f32),
    /// A name, written with its leading `/`.
    Name(String),
    /// A literal string `( … )`.
    Literal(Vec<u8>),
    /// A hexadecimal string `< … >`.
    Hex(Vec<u8>),
    /// An array.
    Array(Vec<Object>),
    /// A dictionary.
    Dict(Dict),
    /// A stream (only as an indirect object).
    Stream(Stream),
    /// A reference to an indirect object.
    Ref(Id),
}

impl Object {
    /// A name object.
    pub fn name(name: &str) -> Object {
        Object::Name(name.to_string())
    }

    /// A literal string of text (the caller keeps it ASCII).
    pub fn literal(text: &str) -> Object {
        Object::Literal(text.as_bytes().to_vec())
    }
}

impl From<i64> for Object {
    fn from(v: i64) -> Object {
        Object::Integer(v)
    }
}

impl From<Dict> for Object {
    fn from(d: Dict) -> Object {
        Object::Dict(d)
    }
}

impl From<Stream> for Object {
    fn from(s: Stream) -> Object {
        Object::Stream(s)
    }
}

/// A dictionary: its entries in the order their keys were first set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dict(Vec<(String, Object)>);

impl Dict {
    /// An empty dictionary.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// Sets `key`: a key already there keeps its place.
    pub fn set(&mut self, key: &str, value: impl Into<Object>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Object> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Object> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'a> FromIterator<(&'a str, Object)> for Dict {
    fn from_iter<I: IntoIterator<Item = (&'a str, Object)>>(entries: I) -> Dict {
        let mut d = Dict::new();
        for (k, v) in entries {
            d.set(k, v);
        }
        d
    }
}

/// A stream: its dictionary (with /Length) and its bytes as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// The stream dictionary.
    pub dict: Dict,
    /// The bytes between `stream` and `endstream`.
    pub content: Vec<u8>,
}

/// What deflating must save for a stream to be written deflated: about
/// what `/Filter /FlateDecode` adds to its dictionary.
const DEFLATE_MIN_SAVING: usize = 19;

impl Stream {
    /// A stream of these bytes, written as they are (a filter already
    /// applied is named in `dict`).
    pub fn new(mut dict: Dict, content: Vec<u8>) -> Stream {
        dict.set("Length", content.len() as i64);
        Stream { dict, content }
    }

    /// A stream of these bytes, deflated at `level` when that makes it
    /// smaller by more than the filter's name costs.
    pub fn deflated(dict: Dict, content: Vec<u8>, level: u32) -> Stream {
        let mut stream = Stream::new(dict, content);
        let mut enc = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(level),
        );
        if enc.write_all(&stream.content).is_ok()
            && let Ok(packed) = enc.finish()
            && packed.len() + DEFLATE_MIN_SAVING < stream.content.len()
        {
            stream.dict.set("Filter", Object::name("FlateDecode"));
            stream.dict.set("Length", packed.len() as i64);
            stream.content = packed;
        }
        stream
    }
}

/// A PDF file being assembled.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The version in the header.
    pub version: &'static str,
    /// The header's second line: four bytes, each above 127.
    pub binary_mark: [u8; 4],
    /// The trailer (/Root, /Info, /ID); the cross-reference stream's own
    /// entries are added when the file is written.
    pub trailer: Dict,
    objects: BTreeMap<Id, Object>,
    max_id: Id,
}

impl Pdf {
    /// An empty PDF of this version.
    pub fn new(version: &'static str) -> Pdf {
        Pdf {
            version,
            binary_mark: [0xBB, 0xAD, 0xC0, 0xDE],
            trailer: Dict::new(),
            objects: BTreeMap::new(),
            max_id: 0,
        }
    }

    /// A number for an object given later with [`Pdf::set`].
    pub fn reserve(&mut self) -> Id {
        self.max_id += 1;
        self.max_id
    }

    /// Adds an object under the next number.
    pub fn add(&mut self, object: impl Into<Object>) -> Id {
        let id = self.reserve();
        self.objects.insert(id, object.into());
        id
    }

    /// Gives object `id` (reserved or added) this value.
    pub fn set(&mut self, id: Id, object: impl Into<Object>) {
        self.objects.insert(id, object.into());
    }

    /// The objects in number order, to change them.
    pub fn objects_mut(&mut self) -> impl Iterator<Item = (Id, &mut Object)> {
        self.objects.iter_mut().map(|(id, o)| (*id, o))
    }

    /// The dictionary of object `id`, when it is one.
    pub fn dict_mut(&mut self, id: Id) -> Option<&mut Dict> {
        match self.objects.get_mut(&id) {
            Some(Object::Dict(d)) => Some(d),
            _ => None,
        }
    }

    /// The catalog (the trailer's /Root).
    pub fn catalog_mut(&mut self) -> Result<&mut Dict, String> {
        match self.trailer.get("Root") {
            Some(Object::Ref(id)) => {
                let id = *id;
                self.dict_mut(id)
            }
            _ => None,
        }
        .ok_or_else(|| "the PDF has no catalog".to_string())
    }

    /// The file's bytes.
    pub fn save(mut self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            self.objects
                .values()
                .map(|o| match o {
                    Object::Stream(s) => s.content.len() + 64,
                    _ => 128,
                })
                .sum::<usize>()
                + 1024,
        );
        out.extend_from_slice(b"%PDF-");
        out.extend_from_slice(self.version.as_bytes());
        out.extend_from_slice(b"\n%");
        out.extend_from_slice(&self.binary_mark);
        out.push(b'\n');
        let mut offsets: BTreeMap<Id, usize> = BTreeMap::new();
        for (id, object) in &self.objects {
            offsets.insert(*id, out.len());
            write_indirect(&mut out, *id, object);
        }
        // The cross-reference stream is the last object and names itself.
        let xref_start = out.len();
        let xref_id = self.max_id + 1;
        offsets.insert(xref_id, xref_start);
        let mut entries = Vec::with_capacity(7 * offsets.len());
        let mut index = Vec::new();
        let mut section: Option<(Id, i64)> = None;
        for id in 1..=xref_id {
            match offsets.get(&id) {
                Some(offset) => {
                    entries.push(1);
                    entries.extend_from_slice(&u32::try_from(*offset).unwrap_or(0).to_be_bytes());
                    entries.extend_from_slice(&[0, 0]);
                    match &mut section {
                        Some((_, n)) => *n += 1,
                        None => section = Some((id, 1)),
                    }
                }
                None => {
                    if let Some((first, n)) = section.take() {
                        index.extend([Object::Integer(i64::from(first)), Object::Integer(n)]);
                    }
                }
            }
        }
        if let Some((first, n)) = section {
            index.extend([Object::Integer(i64::from(first)), Object::Integer(n)]);
        }
        let mut dict = std::mem::take(&mut self.trailer);
        dict.set("Type", Object::name("XRef"));
        dict.set("Size", i64::from(xref_id) + 1);
        dict.set("W", Object::Array(vec![1.into(), 4.into(), 2.into()]));
        dict.set("Index", Object::Array(index));
        let xref = Object::Stream(Stream::new(dict, entries));
        write_indirect(&mut out, xref_id, &xref);
        let _ = write!(out, "\nstartxref\n{xref_start}\n%%EOF");
        out
    }
}

/// Whether an object needs a space before it (after a name or `[`), as
/// its first character could otherwise join what precedes it.
fn needs_space(o: &Object) -> bool {
    matches!(
        o,
        Object::Null | Object::Integer(_) | Object::Real(_) | Object::Ref(_)
    )
}

fn write_indirect(out: &mut Vec<u8>, id: Id, object: &Object) {
    let _ = writeln!(out, "{id} 0 obj");
    if needs_space(object) {
        out.push(b' ');
    }
    write_object(out, object);
    if needs_space(object) || matches!(object, Object::Name(_) | Object::Stream(_)) {
        out.push(b' ');
    }
    out.extend_from_slice(b"\nendobj\n");
}

fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Integer(v) => {
            let _ = write!(out, "{v}");
        }
        Object::Real(v) => {
            let _ = write!(out, "{v}");
        }
        Object::Name(name) => write_name(out, name.as_bytes()),
        Object::Literal(text) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::Hex(bytes) => {
            out.push(b'<');
            for b in bytes {
                let _ = write!(out, "{b:02X}");
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_space(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dict(d) => write_dict(out, d),
        Object::Stream(s) => {
            write_dict(out, &s.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&s.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Ref(id) => {
            let _ = write!(out, "{id} 0 R");
        }
    }
}

fn write_dict(out: &mut Vec<u8>, d: &Dict) {
    out.extend_from_slice(b"<<");
    for (key, value) in &d.0 {
        write_name(out, key.as_bytes());
        if needs_space(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

/// `/name`, a white-space, delimiter or non-printable byte as `#xx`.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            let _ = write!(out, "#{b:02X}");
        } else {
            out.push(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_file_has_its_objects_a_cross_reference_stream_and_its_offsets() {
        let mut pdf = Pdf::new("1.7");
        let page = pdf.reserve();
        let catalog = pdf.add(Dict::from_iter([
            ("Type", Object::name("Catalog")),
            ("Pages", Object::Ref(page)),
        ]));
        pdf.set(
            page,
            Dict::from_iter([
                ("Type", Object::name("Pages")),
                ("Kids", Object::Array(vec![])),
                ("Count", 0.into()),
                ("Box", Object::Array(vec![0.into(), Object::Real(595.5)])),
                ("Odd name", Object::Literal(b"a(b)\\".to_vec())),
            ]),
        );
        pdf.trailer.set("Root", Object::Ref(catalog));
        let bytes = pdf.save();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.7\n%"), "{text}");
        assert!(text.contains(
            "1 0 obj\n<</Type/Pages/Kids[]/Count 0/Box[0 595.5]/Odd#20name(a\\(b\\)\\\\)>>\nendobj\n"
        ));
        assert!(
            text.contains("<</Root 2 0 R/Type/XRef/Size 4/W[1 4 2]/Index[1 3]/Length 21>>stream\n")
        );
        assert!(text.ends_with("%%EOF"));
        // Each entry of the cross-reference stream points at its object.
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(bytes[start..].starts_with(b"3 0 obj\n"));
        let stream = bytes
            .windows(7)
            .position(|w| w == b"stream\n")
            .map(|p| p + 7)
            .unwrap();
        let stream = &bytes[stream..];
        for (i, entry) in stream[..21].chunks(7).enumerate() {
            assert_eq!(entry[0], 1);
            let offset = u32::from_be_bytes([entry[1], entry[2], entry[3], entry[4]]) as usize;
            assert!(bytes[offset..].starts_with(format!("{} 0 obj\n", i + 1).as_bytes()));
        }
    }

    #[test]
    fn a_stream_is_deflated_only_when_that_saves_bytes() {
        let long = Stream::deflated(Dict::new(), vec![b'a'; 1000], 6);
        assert_eq!(long.dict.get("Filter"), Some(&Object::name("FlateDecode")));
        assert_eq!(
            long.dict.get("Length"),
            Some(&Object::Integer(long.content.len() as i64))
        );
        let short = Stream::deflated(Dict::new(), b"0 0 m".to_vec(), 6);
        assert_eq!(short.dict.get("Filter"), None);
        assert_eq!(short.content, b"0 0 m");
    }
}
