//! The one XML writer of the DOCX parts. Elements are opened and closed
//! through it (it keeps the stack, so an element is closed by its own
//! name and none is left open), attribute values and text are escaped in
//! one place, and nothing else writes markup. A part may be streamed: the
//! writer hands its bytes to a sink (the zip entry) whenever an element
//! closes with more than [`CHUNK`] bytes waiting, so a document.xml of
//! 20,000 rows is never whole in memory; writing stays infallible and the
//! sink's first error is returned by [`Xml::finish`].

use std::io::Write;

/// Bytes gathered before they go to the sink.
const CHUNK: usize = 64 * 1024;

/// The XML declaration every part starts with.
const DECLARATION: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// An XML writer over a buffer, streaming to a sink if it has one.
pub(crate) struct Xml<'s> {
    buf: Vec<u8>,
    /// Names of the open elements, innermost last.
    open: Vec<&'static str>,
    sink: Option<&'s mut dyn Write>,
    /// The sink's first error; nothing more goes to it after one.
    error: Option<std::io::Error>,
}

/// A finished piece of XML made by an [`Xml`] writer with every element it
/// opened closed, to be put inside another writer's element
/// ([`Xml::fragment`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Fragment(Vec<u8>);

/// An element's start tag being written: attributes may follow, then it
/// is ended as an empty element, opened, or given its text.
#[must_use = "a start tag is finished with empty(), open() or text()"]
pub(crate) struct Tag<'x, 's> {
    xml: &'x mut Xml<'s>,
    name: &'static str,
}

impl<'s> Xml<'s> {
    /// A writer gathering everything in memory.
    pub(crate) fn new() -> Xml<'static> {
        Xml {
            buf: Vec::new(),
            open: Vec::new(),
            sink: None,
            error: None,
        }
    }

    /// A writer handing its bytes to `sink` as it goes.
    pub(crate) fn streaming(sink: &'s mut dyn Write) -> Xml<'s> {
        Xml {
            buf: Vec::with_capacity(CHUNK * 2),
            open: Vec::new(),
            sink: Some(sink),
            error: None,
        }
    }

    /// Writes the XML declaration.
    pub(crate) fn declaration(&mut self) {
        self.buf.extend_from_slice(DECLARATION);
    }

    /// Starts the element `name`.
    pub(crate) fn elem(&mut self, name: &'static str) -> Tag<'_, 's> {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        Tag { xml: self, name }
    }

    /// An empty element without attributes.
    pub(crate) fn empty(&mut self, name: &'static str) {
        self.elem(name).empty();
    }

    /// Opens an element without attributes.
    pub(crate) fn open(&mut self, name: &'static str) {
        self.elem(name).open();
    }

    /// Closes the innermost open element.
    pub(crate) fn close(&mut self) {
        if let Some(name) = self.open.pop() {
            self.end_tag(name);
        }
        self.spill();
    }

    /// Puts a finished fragment here.
    pub(crate) fn fragment(&mut self, fragment: &Fragment) {
        self.buf.extend_from_slice(&fragment.0);
        self.spill();
    }

    /// Closes what is still open and ends the writing: the bytes of an
    /// in-memory writer, or an empty vector once everything went to the
    /// sink, or the sink's first error.
    pub(crate) fn finish(mut self) -> std::io::Result<Vec<u8>> {
        debug_assert!(self.open.is_empty(), "left open: {:?}", self.open);
        while let Some(name) = self.open.pop() {
            self.end_tag(name);
        }
        if self.sink.is_some() {
            self.flush();
        }
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.buf),
        }
    }

    /// The writer's content as a fragment (it must have closed every
    /// element it opened).
    pub(crate) fn into_fragment(mut self) -> Fragment {
        debug_assert!(self.open.is_empty(), "left open: {:?}", self.open);
        while let Some(name) = self.open.pop() {
            self.end_tag(name);
        }
        Fragment(self.buf)
    }

    fn end_tag(&mut self, name: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
    }

    /// Hands the buffer to the sink once it holds a chunk.
    fn spill(&mut self) {
        if self.sink.is_some() && self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut()
            && self.error.is_none()
            && let Err(e) = sink.write_all(&self.buf)
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }
}

impl Tag<'_, '_> {
    /// An attribute with a text value, escaped.
    pub(crate) fn attr(mut self, key: &'static str, value: &str) -> Self {
        self.key(key);
        escape_into(&mut self.xml.buf, value, true);
        self.xml.buf.push(b'"');
        self
    }

    /// An attribute with a number value.
    pub(crate) fn num(mut self, key: &'static str, value: impl Into<i64>) -> Self {
        self.key(key);
        let _ = write!(self.xml.buf, "{}", value.into());
        self.xml.buf.push(b'"');
        self
    }

    /// The attribute `key` when `value` is some.
    pub(crate) fn num_if(self, key: &'static str, value: Option<impl Into<i64>>) -> Self {
        match value {
            Some(v) => self.num(key, v),
            None => self,
        }
    }

    fn key(&mut self, key: &str) {
        let buf = &mut self.xml.buf;
        buf.push(b' ');
        buf.extend_from_slice(key.as_bytes());
        buf.extend_from_slice(b"=\"");
    }

    /// Ends the element here: `<name …/>`.
    pub(crate) fn empty(self) {
        self.xml.buf.extend_from_slice(b"/>");
    }

    /// Opens the element; [`Xml::close`] closes it.
    pub(crate) fn open(self) {
        self.xml.buf.push(b'>');
        self.xml.open.push(self.name);
    }

    /// The element with `text` as its content: `<name …>text</name>`.
    pub(crate) fn text(self, text: &str) {
        self.xml.buf.push(b'>');
        escape_into(&mut self.xml.buf, text, false);
        self.xml.end_tag(self.name);
    }
}

/// Appends `s` escaped: `&`, `<` and `>` always; in an attribute value
/// also `"` and the white space a parser would otherwise normalise.
fn escape_into(buf: &mut Vec<u8>, s: &str, attribute: bool) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' if attribute => b"&quot;",
            b'\t' if attribute => b"&#9;",
            b'\n' if attribute => b"&#10;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        buf.extend_from_slice(&s.as_bytes()[start..i]);
        buf.extend_from_slice(rep);
        start = i + 1;
    }
    buf.extend_from_slice(&s.as_bytes()[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_attributes_and_text_are_escaped_and_balanced() {
        let mut x = Xml::new();
        x.elem("w:p").attr("w:a", "x\"<&>\ty").num("w:n", -3).open();
        x.elem("w:t").text("a<b & c>\"d\"");
        x.empty("w:br");
        x.elem("w:r").text("r\u{3000}");
        x.close();
        let out = String::from_utf8(x.finish().unwrap()).unwrap();
        assert_eq!(
            out,
            r#"<w:p w:a="x&quot;&lt;&amp;&gt;&#9;y" w:n="-3"><w:t>a&lt;b &amp; c&gt;"d"</w:t><w:br/><w:r>r　</w:r></w:p>"#
        );
    }

    #[test]
    fn a_streaming_writer_sends_everything_to_its_sink_in_order() {
        let mut sink = Vec::new();
        let mut expected = Vec::new();
        {
            let mut x = Xml::streaming(&mut sink);
            x.open("w:body");
            for i in 0..20_000 {
                x.elem("w:p").num("w:i", i).open();
                x.elem("w:t").text("一二三");
                x.close();
                expected.extend_from_slice(
                    format!("<w:p w:i=\"{i}\"><w:t>一二三</w:t></w:p>").as_bytes(),
                );
            }
            x.close();
            assert!(x.finish().unwrap().is_empty());
        }
        let mut whole = b"<w:body>".to_vec();
        whole.extend_from_slice(&expected);
        whole.extend_from_slice(b"</w:body>");
        assert_eq!(sink, whole);
    }

    #[test]
    fn a_sink_error_is_returned_once_at_the_end() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut sink = Full;
        let mut x = Xml::streaming(&mut sink);
        x.open("w:body");
        for _ in 0..10_000 {
            x.open("w:p");
            x.elem("w:t").text("0123456789");
            x.close();
        }
        x.close();
        let e = x.finish().unwrap_err();
        assert_eq!(e.to_string(), "disk full");
    }

    #[test]
    fn fragments_go_inside_other_elements() {
        let mut f = Xml::new();
        f.elem("w:r").open();
        f.elem("w:t").text("x");
        f.close();
        let f = f.into_fragment();
        let mut x = Xml::new();
        x.open("w:p");
        x.fragment(&f);
        x.close();
        assert_eq!(x.finish().unwrap(), b"<w:p><w:r><w:t>x</w:t></w:r></w:p>");
    }
}
