//! Template profiles: page, fonts, sizes, page numbers, header and footer
//! texts, and the public-disclosure policy. Writers take a [`Profile`];
//! `templates/*.toml` files deserialise into one (unknown keys are errors
//! that name the key).

use serde::Deserialize;
use std::path::PathBuf;

/// A complete rendering profile. Every field has a default, so a profile
/// file only names what it changes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// Human name of the profile.
    pub name: String,
    /// Paper, orientation and margins.
    pub page: Page,
    /// Fonts per role.
    pub fonts: Fonts,
    /// Page numbers in the footer.
    pub page_number: PageNumberStyle,
    /// Text at the top of every page, if any.
    pub header_text: Option<String>,
    /// Text at the bottom of every page (beside the page number), if any.
    pub footer_text: Option<String>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            name: "default".into(),
            page: Page::default(),
            fonts: Fonts::default(),
            page_number: PageNumberStyle::Chinese,
            header_text: None,
            footer_text: None,
        }
    }
}

/// Paper size, orientation and margins.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Page {
    /// Paper size.
    pub size: PaperSize,
    /// Orientation of table pages.
    pub orientation: Orientation,
    /// Top margin in millimetres.
    pub margin_top_mm: f32,
    /// Bottom margin in millimetres.
    pub margin_bottom_mm: f32,
    /// Left margin in millimetres.
    pub margin_left_mm: f32,
    /// Right margin in millimetres.
    pub margin_right_mm: f32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            size: PaperSize::A4,
            orientation: Orientation::Landscape,
            margin_top_mm: 20.0,
            margin_bottom_mm: 18.0,
            margin_left_mm: 15.0,
            margin_right_mm: 15.0,
        }
    }
}

impl Page {
    /// Page width and height in millimetres, orientation applied.
    pub fn size_mm(&self) -> (f32, f32) {
        let (w, h) = match self.size {
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::A3 => (297.0, 420.0),
        };
        match self.orientation {
            Orientation::Portrait => (w, h),
            Orientation::Landscape => (h, w),
        }
    }
}

/// Paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PaperSize {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Tall.
    Portrait,
    /// Wide.
    Landscape,
}

/// Page-number styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageNumberStyle {
    /// 第 X 页 共 Y 页
    Chinese,
    /// — X — (GB/T 9704)
    Dash,
    /// No page numbers.
    None,
}

/// Fonts for each role of the text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fonts {
    /// The table title.
    pub title: FontSpec,
    /// Header rows.
    pub header: FontSpec,
    /// Body text, meta lines and notes.
    pub body: FontSpec,
    /// Amounts.
    pub numbers: FontSpec,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            title: FontSpec::new("黑体", FontFace::SansBold, 18.0),
            header: FontSpec::new("黑体", FontFace::SansBold, 10.5),
            body: FontSpec::new("宋体", FontFace::Serif, 10.0),
            numbers: FontSpec::new("宋体", FontFace::Serif, 10.0),
        }
    }
}

/// One font role: the family name Word/WPS should use, the font gongkai
/// embeds in PDFs (a bundled face, or a file the user supplies), the size.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FontSpec {
    /// Family name written into DOCX (e.g. 宋体, 仿宋_GB2312, 方正小标宋简体).
    pub family: String,
    /// Bundled face used when no file is given or it lacks a character.
    pub bundled: FontFace,
    /// A font file of the user's (TTF/OTF) to embed in PDFs first.
    pub file: Option<PathBuf>,
    /// Size in points.
    pub size_pt: f32,
}

impl FontSpec {
    /// A role using a family name and a bundled face.
    pub fn new(family: &str, bundled: FontFace, size_pt: f32) -> FontSpec {
        FontSpec {
            family: family.into(),
            bundled,
            file: None,
            size_pt,
        }
    }
}

impl Default for FontSpec {
    fn default() -> Self {
        FontSpec::new("宋体", FontFace::Serif, 10.0)
    }
}

/// The faces bundled in `fonts/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FontFace {
    /// Serif (宋体 style), regular.
    Serif,
    /// Serif, bold.
    SerifBold,
    /// Sans (黑体 style), regular.
    Sans,
    /// Sans, bold.
    SansBold,
}
