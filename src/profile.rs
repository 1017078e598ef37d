//! Template profiles: page, fonts, sizes, page numbers, header and footer
//! texts, and the public-disclosure policy. Writers take a [`Profile`];
//! `templates/*.toml` files deserialise into one (unknown keys are errors
//! that name the key).

pub use crate::disclose::{Disclosure, HiddenPolicy, INTERNAL_COLUMNS, PersonalData};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The profiles bundled with gongkai, by name.
pub const BUNDLED: &[(&str, &str)] = &[
    ("default", include_str!("../templates/default.toml")),
    ("gbt9704", include_str!("../templates/gbt9704.toml")),
    ("shanghai", include_str!("../templates/shanghai.toml")),
];

/// Why a profile could not be used.
#[derive(Debug, Error)]
pub enum ProfileError {
    /// The named profile is neither bundled nor a readable file.
    #[error(
        "template '{name}': no bundled profile has that name and no such file ({source}); bundled: {bundled}"
    )]
    NotFound {
        /// What was asked for.
        name: String,
        /// The file system's answer.
        #[source]
        source: std::io::Error,
        /// The bundled names.
        bundled: String,
    },
    /// The TOML is malformed, or has an unknown key or a value of the
    /// wrong type.
    #[error("template {origin}: {}", source.to_string().trim_end().replace('\n', " "))]
    Toml {
        /// The profile's name or path.
        origin: String,
        /// The line (and column) the TOML reader points at.
        at: Box<crate::error::Location>,
        /// What the TOML reader said.
        #[source]
        source: toml::de::Error,
    },
    /// A value the profile may not have.
    #[error("template {origin}: {message}")]
    Invalid {
        /// The profile's name or path.
        origin: String,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A font file the profile names is missing or unreadable.
    #[error("template {origin}: fonts.{role}.file: cannot read '{path}': {source}")]
    FontFile {
        /// The profile's name or path.
        origin: String,
        /// title, header, body or numbers.
        role: &'static str,
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The line and column (from 1) a TOML error points at.
pub(crate) fn toml_location(text: &str, e: &toml::de::Error) -> crate::error::Location {
    let Some(span) = e.span() else {
        return crate::error::Location::new();
    };
    // A span is a byte range at token boundaries; never slice inside a
    // character whatever it says.
    let before = text.get(..span.start.min(text.len())).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    crate::error::Location::new()
        .line(u32::try_from(line).unwrap_or(u32::MAX))
        .column(u32::try_from(column).unwrap_or(u32::MAX))
}

impl Profile {
    /// Loads a bundled profile by name, or a profile file by path. Font
    /// files named in a profile file are resolved relative to it and must
    /// exist.
    pub fn load(name_or_path: &str) -> Result<Profile, ProfileError> {
        Profile::load_with_limits(name_or_path, None)
    }

    /// [`Profile::load`] with `--limits` overrides (`key=N,...`) applied
    /// over the profile's `[limits]` before the profile is checked, so
    /// they move the limits the profile itself is held to (the size of its
    /// font files, [`crate::Limits::font_bytes`]).
    pub fn load_with_limits(
        name_or_path: &str,
        overrides: Option<&str>,
    ) -> Result<Profile, ProfileError> {
        if let Some((_, text)) = BUNDLED.iter().find(|(n, _)| *n == name_or_path) {
            return Profile::parse_with_limits(text, name_or_path, None, overrides);
        }
        let path = Path::new(name_or_path);
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::NotFound {
            name: name_or_path.to_string(),
            source,
            bundled: BUNDLED
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        Profile::parse_with_limits(&text, &path.display().to_string(), path.parent(), overrides)
    }

    /// Parses profile TOML; `base` is the folder relative font paths are
    /// resolved against.
    pub fn parse(text: &str, origin: &str, base: Option<&Path>) -> Result<Profile, ProfileError> {
        Profile::parse_with_limits(text, origin, base, None)
    }

    /// [`Profile::parse`] with `--limits` overrides applied over the
    /// profile's `[limits]` before it is checked.
    pub fn parse_with_limits(
        text: &str,
        origin: &str,
        base: Option<&Path>,
        overrides: Option<&str>,
    ) -> Result<Profile, ProfileError> {
        let mut profile: Profile = toml::from_str(text).map_err(|source| ProfileError::Toml {
            origin: origin.to_string(),
            at: Box::new(toml_location(text, &source)),
            source,
        })?;
        let origin = origin.to_string();
        if let Some(spec) = overrides {
            profile
                .limits
                .apply_overrides(spec)
                .map_err(|e| ProfileError::Invalid {
                    origin: origin.clone(),
                    message: format!("--limits {spec}: {e}"),
                })?;
        }
        let font_bytes = profile.limits.font_bytes;
        let check = |what: &str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(ProfileError::Invalid {
                    origin: origin.clone(),
                    message: what.to_string(),
                })
            }
        };
        if let Some(message) = profile.checks.unknown_rule() {
            return Err(ProfileError::Invalid {
                origin: origin.clone(),
                message,
            });
        }
        let p = &profile.page;
        for (key, v) in [
            ("page.margin_top_mm", p.margin_top_mm),
            ("page.margin_bottom_mm", p.margin_bottom_mm),
            ("page.margin_left_mm", p.margin_left_mm),
            ("page.margin_right_mm", p.margin_right_mm),
        ] {
            check(
                &format!("{key} = {v}: a margin is between 0 and 80 mm"),
                (0.0..=80.0).contains(&v),
            )?;
        }
        let t = &profile.table;
        for (key, v) in [
            ("table.body_pt", t.body_pt),
            ("table.header_pt", t.header_pt),
        ] {
            check(
                &format!("{key} = {v}: a size is between 4 and 72 pt"),
                (4.0..=72.0).contains(&v),
            )?;
        }
        check(
            &format!(
                "table.min_scale = {}: the smallest share of the type sizes is between 0.3 and 1",
                t.min_scale
            ),
            (0.3..=1.0).contains(&t.min_scale),
        )?;
        for (key, v, low, high) in profile.book_type.ranges() {
            check(
                &format!("book_type.{key} = {v}: it is between {low} and {high}"),
                (low..=high).contains(&v),
            )?;
        }
        let fonts = &mut profile.fonts;
        for (role, spec) in [
            ("title", &mut fonts.title),
            ("header", &mut fonts.header),
            ("body", &mut fonts.body),
            ("numbers", &mut fonts.numbers),
        ] {
            check(
                &format!(
                    "fonts.{role}.size_pt = {}: a size is between 4 and 72 pt",
                    spec.size_pt
                ),
                (4.0..=72.0).contains(&spec.size_pt),
            )?;
            if let Some(file) = &spec.file {
                let resolved = match base {
                    Some(b) if file.is_relative() => b.join(file),
                    _ => file.clone(),
                };
                let font_error = |source| ProfileError::FontFile {
                    origin: origin.clone(),
                    role,
                    path: resolved.display().to_string(),
                    source,
                };
                let meta = std::fs::metadata(&resolved).map_err(font_error)?;
                if !meta.is_file() {
                    return Err(font_error(std::io::Error::other(
                        "not a regular file (a font is a .ttf, .otf or .ttc file)",
                    )));
                }
                let font_limit = crate::Limits {
                    font_bytes,
                    ..crate::Limits::default()
                };
                if let Err(e) = font_limit.check_u64(crate::limits::Limit::FontBytes, meta.len()) {
                    return Err(font_error(std::io::Error::other(e)));
                }
                std::fs::File::open(&resolved).map_err(font_error)?;
                spec.file = Some(resolved);
            }
        }
        Ok(profile)
    }
}

impl Profile {
    /// The profile as the PDF's trailer /ID hashes it: its `Debug` form
    /// without the limits and the checks, which bound and judge the work
    /// and never change a page (so a new limit key or check setting, or a
    /// changed one, leaves every PDF's bytes as they were), and with the
    /// book type (`[book_type]`, added after PDFs were first made) only
    /// when the profile changes it.
    pub fn id_text(&self) -> String {
        let full = format!("{self:?}")
            .replacen(&format!(", limits: {:?}", self.limits), "", 1)
            .replacen(&format!(", checks: {:?}", self.checks), "", 1);
        if self.book_type == BookType::default() {
            full.replacen(&format!(", book_type: {:?}", self.book_type), "", 1)
        } else {
            full
        }
    }
}

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
    /// What public versions leave out or mask.
    pub disclosure: Disclosure,
    /// How much one document may hold (`[limits]`; see [`crate::limits`]).
    pub limits: crate::limits::Limits,
    /// Rules switched off or given another severity, and what a whole
    /// disclosure must contain.
    pub checks: crate::check::Config,
    /// How tables look: header shading and font, code and total alignment,
    /// indentation by level.
    pub table_style: TableStyle,
    /// Conventions of the disclosure book: table order, numbered table
    /// titles, the cover's department label.
    pub book: BookStyle,
    /// How tables may grow and shrink their type to fit the page.
    pub table: TableType,
    /// The type of the book's own pages (cover, 目录, chapters), for the
    /// PDF and the DOCX book alike.
    pub book_type: BookType,
}

/// How tables look — the choices regional styles differ on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TableStyle {
    /// Shade the header rows (grey) — the national style; Shanghai's
    /// published books leave them white.
    pub header_shading: bool,
    /// The font role of header rows: "header" (bold sans) or "body".
    pub header_font: FontRole,
    /// Alignment of code columns (类/款/项, 科目编码): "left" or "center".
    pub code_align: CellAlign,
    /// Indent row labels by their level (类 ⊃ 款 ⊃ 项).
    pub indent_levels: bool,
    /// Total rows (合计/总计) in bold.
    pub total_bold: bool,
    /// Total rows shaded.
    pub total_shading: bool,
    /// The label of a total row centred in its cell.
    pub total_label_align: CellAlign,
}

impl Default for TableStyle {
    fn default() -> Self {
        TableStyle {
            header_shading: true,
            header_font: FontRole::Header,
            code_align: CellAlign::Left,
            indent_levels: true,
            total_bold: true,
            total_shading: true,
            total_label_align: CellAlign::Left,
        }
    }
}

/// A font role a style may pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FontRole {
    /// The header font (`fonts.header`).
    Header,
    /// The body font (`fonts.body`).
    Body,
}

/// Horizontal alignment a style may pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellAlign {
    /// Flush left.
    Left,
    /// Centred.
    Center,
}

/// Conventions of the disclosure book.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookStyle {
    /// The order of the tables: kinds of table (收支总表, 收入总表,
    /// 支出总表, 财政拨款收支总表, 一般公共预算支出表, 基本支出, 三公,
    /// 政府性基金, 国有资本经营, 绩效目标) or any text a title contains.
    /// Tables matching none follow, by title. A workbook's 目录 sheet, or
    /// book.toml's `order`, wins over this.
    pub table_order: Vec<String>,
    /// Table pages show the table's 目录 number in their title
    /// ("1. 部门收支总表"); Shanghai's books print the title alone.
    pub number_table_titles: bool,
    /// The label before the department on the cover (预算主管部门, 编制部门,
    /// 部门名称); empty: the department's name alone. A cover sheet's own
    /// line wins.
    pub cover_department_label: String,
}

impl Default for BookStyle {
    fn default() -> Self {
        BookStyle {
            table_order: crate::classify::STANDARD_TABLE_ORDER
                .iter()
                .map(|s| s.to_string())
                .collect(),
            number_table_titles: true,
            cover_department_label: String::new(),
        }
    }
}

impl BookStyle {
    /// The cover's department line for `department`.
    pub fn cover_line(&self, department: &str) -> String {
        if self.cover_department_label.is_empty() || department.is_empty() {
            department.to_string()
        } else {
            format!("{}：{department}", self.cover_department_label)
        }
    }
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
            disclosure: Disclosure::default(),
            limits: crate::limits::Limits::default(),
            checks: crate::check::Config::default(),
            table_style: TableStyle::default(),
            book: BookStyle::default(),
            table: TableType::default(),
            book_type: BookType::default(),
        }
    }
}

/// The type sizes of tables: how large they may grow when the page has
/// room to spare, how small they may shrink when it has not.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TableType {
    /// Body (and amount) size a table grows to, in points, when its
    /// columns fit with room to spare; never below `fonts.body.size_pt`.
    pub body_pt: f32,
    /// Header size a table grows to, in points; never below
    /// `fonts.header.size_pt`.
    pub header_pt: f32,
    /// Smallest share of the profile's sizes a wide table is set at
    /// (0.3–1); below it the table's header labels, then its text cells
    /// wrap between characters (amounts and codes never).
    pub min_scale: f32,
}

impl Default for TableType {
    fn default() -> Self {
        TableType {
            body_pt: 11.0,
            header_pt: 12.0,
            min_scale: 0.7,
        }
    }
}

/// The type of the disclosure book's own pages — the cover, the 目录 and
/// the chapters — defined once for the PDF and the DOCX book. Sizes are
/// multiples of the running text's size, spaces are in lines of running
/// text, indents in ems (an em is one Chinese character). Table pages are
/// set as single documents are (`fonts`, `[table]`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookType {
    /// Running text is set at least this large, in points (小四): the
    /// body size (`fonts.body`) is chosen for table cells, often 10 pt,
    /// small for pages of prose.
    pub text_min_pt: f32,
    /// Line pitch of running text, as a multiple of its size: prose needs
    /// more air between lines than a table cell; 1.7 is the pitch of a
    /// printed Chinese report.
    pub text_line_height: f32,
    /// Text pages keep at least this margin left and right, in
    /// millimetres: a 12 pt line then holds about 38 characters, a book's
    /// measure, where the table pages' 15 mm would give 42.
    pub text_side_margin_mm: f32,
    /// First-line indent of a paragraph, in ems: two characters, as
    /// Chinese prose is set.
    pub paragraph_indent_em: f32,
    /// Space after a paragraph, in lines: the indent marks a new
    /// paragraph; a little space more makes the page easier to scan.
    pub paragraph_gap_lines: f32,
    /// Size of chapter headings (and the cover's department line), as a
    /// multiple of the running text's: 4/3 gives 16 pt (三号) on 12 pt.
    pub chapter_heading_scale: f32,
    /// Line pitch of chapter headings and the 目录's title, as a multiple
    /// of their size.
    pub heading_line_height: f32,
    /// Space under a chapter heading, in lines.
    pub chapter_heading_gap_lines: f32,
    /// Size of level-1 and level-2 headings inside a chapter (and the
    /// cover's date), as a multiple of the running text's: 7/6 gives
    /// 14 pt (四号) on 12 pt. Deeper headings take the text's size.
    pub subheading_scale: f32,
    /// Space above a heading inside a chapter, in lines; under it, half
    /// as much.
    pub subheading_gap_lines: f32,
    /// Space above a table inside a chapter, in lines, beyond the
    /// paragraph gap: its rules need air.
    pub table_gap_lines: f32,
    /// Size of the cover title, as a multiple of the title size
    /// (`fonts.title`); smaller, down to the title size, when a line of it
    /// would not fit the page.
    pub cover_title_scale: f32,
    /// Line pitch of the cover's lines, as a multiple of their size.
    pub cover_line_height: f32,
    /// Where the middle of the cover title stands, as a share of the page
    /// height from the top.
    pub cover_title_at: f32,
    /// Where the cover's department line begins (the date follows it), as
    /// a share of the page height from the top.
    pub cover_foot_at: f32,
    /// Line pitch of the 目录, as a multiple of the running text's size:
    /// two lines of text apart, so each entry is easy to follow to its
    /// number.
    pub contents_line_height: f32,
    /// The 目录's lines close up to this pitch before a last line or two
    /// spill onto a page of their own.
    pub contents_min_line_height: f32,
    /// Indent of a table's line in the 目录, in ems.
    pub contents_indent_em: f32,
    /// Space between the letters of the 目录's title, in ems: a
    /// two-character heading reads as a heading when spaced out.
    pub contents_title_tracking_em: f32,
    /// Space under the 目录's title, in lines of the 目录.
    pub contents_title_gap_lines: f32,
}

impl Default for BookType {
    fn default() -> Self {
        BookType {
            text_min_pt: 12.0,
            text_line_height: 1.7,
            text_side_margin_mm: 25.0,
            paragraph_indent_em: 2.0,
            paragraph_gap_lines: 0.25,
            chapter_heading_scale: 4.0 / 3.0,
            heading_line_height: 1.3,
            chapter_heading_gap_lines: 1.0,
            subheading_scale: 7.0 / 6.0,
            subheading_gap_lines: 0.5,
            table_gap_lines: 0.5,
            cover_title_scale: 1.5,
            cover_line_height: 1.5,
            cover_title_at: 0.36,
            cover_foot_at: 0.74,
            contents_line_height: 2.0,
            contents_min_line_height: 1.5,
            contents_indent_em: 2.0,
            contents_title_tracking_em: 1.0,
            contents_title_gap_lines: 0.75,
        }
    }
}

impl BookType {
    /// Each key with its value and the range it must be in.
    fn ranges(&self) -> [(&'static str, f32, f32, f32); 20] {
        [
            ("text_min_pt", self.text_min_pt, 4.0, 72.0),
            ("text_line_height", self.text_line_height, 1.0, 4.0),
            ("text_side_margin_mm", self.text_side_margin_mm, 0.0, 80.0),
            ("paragraph_indent_em", self.paragraph_indent_em, 0.0, 8.0),
            ("paragraph_gap_lines", self.paragraph_gap_lines, 0.0, 4.0),
            (
                "chapter_heading_scale",
                self.chapter_heading_scale,
                0.5,
                4.0,
            ),
            ("heading_line_height", self.heading_line_height, 1.0, 4.0),
            (
                "chapter_heading_gap_lines",
                self.chapter_heading_gap_lines,
                0.0,
                4.0,
            ),
            ("subheading_scale", self.subheading_scale, 0.5, 4.0),
            ("subheading_gap_lines", self.subheading_gap_lines, 0.0, 4.0),
            ("table_gap_lines", self.table_gap_lines, 0.0, 4.0),
            ("cover_title_scale", self.cover_title_scale, 1.0, 4.0),
            ("cover_line_height", self.cover_line_height, 1.0, 4.0),
            ("cover_title_at", self.cover_title_at, 0.0, 1.0),
            ("cover_foot_at", self.cover_foot_at, 0.0, 1.0),
            ("contents_line_height", self.contents_line_height, 1.0, 4.0),
            (
                "contents_min_line_height",
                self.contents_min_line_height,
                1.0,
                4.0,
            ),
            ("contents_indent_em", self.contents_indent_em, 0.0, 8.0),
            (
                "contents_title_tracking_em",
                self.contents_title_tracking_em,
                0.0,
                4.0,
            ),
            (
                "contents_title_gap_lines",
                self.contents_title_gap_lines,
                0.0,
                4.0,
            ),
        ]
    }

    /// The size of running text with `body_pt` the profile's body size.
    pub fn text_pt(&self, body_pt: f32) -> f32 {
        body_pt.max(self.text_min_pt)
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
    /// Which pages of a book take `orientation`: "tables" (the cover, 目录
    /// and chapters stay portrait) or "all".
    pub orientation_applies_to: OrientationScope,
    /// Top margin in millimetres.
    pub margin_top_mm: f32,
    /// Bottom margin in millimetres.
    pub margin_bottom_mm: f32,
    /// Left margin in millimetres.
    pub margin_left_mm: f32,
    /// Right margin in millimetres.
    pub margin_right_mm: f32,
    /// Paper a table moves to when its columns do not fit `size` even at
    /// the smallest type the profile allows (`[table] min_scale`): "A3"
    /// sets such a table alone on A3 pages, the document's other pages
    /// staying on `size`. Unset (the default), the table stays on `size`
    /// and its header labels, then text cells, wrap between characters.
    pub wide_table_size: Option<PaperSize>,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            size: PaperSize::A4,
            orientation: Orientation::Landscape,
            orientation_applies_to: OrientationScope::Tables,
            margin_top_mm: 20.0,
            margin_bottom_mm: 18.0,
            margin_left_mm: 15.0,
            margin_right_mm: 15.0,
            wide_table_size: None,
        }
    }
}

impl Page {
    /// The larger paper a table too wide for this page moves to, if the
    /// profile names one larger than the page's own.
    pub fn wider_paper(&self) -> Option<PaperSize> {
        self.wide_table_size
            .filter(|wide| wide.area_mm2() > self.size.area_mm2())
    }

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

impl PaperSize {
    /// Its area in square millimetres, to compare sizes.
    fn area_mm2(self) -> u32 {
        match self {
            PaperSize::A4 => 210 * 297,
            PaperSize::A3 => 297 * 420,
        }
    }

    /// Its name as a profile writes it.
    pub fn name(self) -> &'static str {
        match self {
            PaperSize::A4 => "A4",
            PaperSize::A3 => "A3",
        }
    }
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

/// Which pages of a book take the profile's orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrientationScope {
    /// Table pages only; the cover, 目录 and chapters are portrait.
    Tables,
    /// Every page.
    All,
}

impl Page {
    /// The orientation of a book's text pages (cover, 目录, chapters).
    pub fn text_orientation(&self) -> Orientation {
        match self.orientation_applies_to {
            OrientationScope::Tables => Orientation::Portrait,
            OrientationScope::All => self.orientation,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_profiles_load() {
        let d = Profile::load("default").unwrap();
        assert_eq!(d, Profile::default());
        let g = Profile::load("gbt9704").unwrap();
        assert_eq!(g.page_number, PageNumberStyle::Dash);
        assert_eq!(g.fonts.title.size_pt, 22.0);
        assert_eq!(g.fonts.body.size_pt, 16.0);
        let s = Profile::load("shanghai").unwrap();
        assert_eq!(s.page.text_orientation(), Orientation::Landscape);
        assert!(!s.table_style.header_shading);
        assert_eq!(s.table_style.code_align, CellAlign::Center);
        assert!(!s.book.number_table_titles);
        let rank = |t: &str| crate::classify::rank_in(&s.book.table_order, t);
        assert!(
            rank("2025年部门政府性基金预算支出功能分类预算表")
                < rank("2025年部门一般公共预算基本支出部门预算经济分类预算表")
        );
        assert!(
            rank("2025年部门国有资本经营预算支出功能分类预算表")
                < rank("2025年部门“三公”经费和机关运行经费预算表")
        );
        assert_eq!(s.book.cover_line("某局"), "预算主管部门：某局");
        assert_eq!(d.book.cover_line("某局"), "某局");
        assert_eq!(d.page.text_orientation(), Orientation::Portrait);
    }

    #[test]
    fn table_sizes_default_and_are_checked() {
        let p = Profile::parse("[table]\nbody_pt = 12.0\n", "x.toml", None).unwrap();
        assert_eq!((p.table.body_pt, p.table.header_pt), (12.0, 12.0));
        assert_eq!(Profile::default().table.min_scale, 0.7);
        let e = Profile::parse("[table]\nmin_scale = 0.1\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("table.min_scale = 0.1"), "{e}");
        let e = Profile::parse("[table]\nheader_pt = 90.0\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("table.header_pt = 90"), "{e}");
    }

    #[test]
    fn book_type_defaults_and_is_checked() {
        let d = BookType::default();
        // default.toml spells 4/3 and 7/6 as decimals: the same f32.
        assert_eq!(Profile::load("default").unwrap().book_type, d);
        assert_eq!(d.chapter_heading_scale, 4.0 / 3.0);
        assert_eq!(d.text_pt(10.0), 12.0);
        assert_eq!(d.text_pt(16.0), 16.0);
        let p = Profile::parse("[book_type]\ntext_line_height = 2.0\n", "x.toml", None).unwrap();
        assert_eq!(p.book_type.text_line_height, 2.0);
        assert_eq!(p.book_type.cover_title_at, d.cover_title_at);
        let e = Profile::parse("[book_type]\ncover_title_at = 1.5\n", "x.toml", None).unwrap_err();
        assert!(
            e.to_string().contains("book_type.cover_title_at = 1.5"),
            "{e}"
        );
        let e = Profile::parse("[book_type]\ntext_pt = 12.0\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("text_pt"), "{e}");
    }

    #[test]
    fn the_id_text_leaves_out_limits_and_checks_and_names_a_changed_book_type() {
        let d = Profile::default();
        assert!(!d.id_text().contains("book_type"), "{}", d.id_text());
        assert!(
            d.id_text().ends_with("min_scale: 0.7 } }"),
            "{}",
            d.id_text()
        );
        assert!(!d.id_text().contains("limits"), "{}", d.id_text());
        let mut raised = d.clone();
        raised.limits.rows *= 10;
        assert_eq!(raised.id_text(), d.id_text());
        assert!(!d.id_text().contains("checks"), "{}", d.id_text());
        let mut quiet = d.clone();
        quiet.checks.required_chapters.clear();
        assert_eq!(quiet.id_text(), d.id_text());
        let mut p = d.clone();
        p.book_type.text_line_height = 2.0;
        assert!(p.id_text().contains("text_line_height: 2.0"));
        assert_ne!(p.id_text(), d.id_text());
    }

    #[test]
    fn unknown_keys_and_missing_fonts_are_named() {
        let e = Profile::parse("[page]\nmargin_top = 3\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("margin_top"), "{e}");
        let e = Profile::parse(
            "[fonts.body]\nfile = \"/no/such/font.ttf\"\n",
            "x.toml",
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("fonts.body.file"), "{e}");
        assert!(e.to_string().contains("/no/such/font.ttf"), "{e}");
        let e = Profile::parse("page_number = \"roman\"\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("page_number"), "{e}");
        let e = Profile::load("nonesuch").unwrap_err();
        assert!(
            e.to_string()
                .contains("bundled: default, gbt9704, shanghai"),
            "{e}"
        );
    }

    #[test]
    fn hidden_policy_and_old_keys() {
        let p = Profile::parse("[disclosure]\nhidden = \"keep\"\n", "x.toml", None).unwrap();
        assert_eq!(p.disclosure.hidden, HiddenPolicy::Keep);
        assert_eq!(Profile::default().disclosure.hidden, HiddenPolicy::Omit);
        // The old keys: true is today's default, false is refused with
        // the replacement named.
        let p = Profile::parse(
            "[disclosure]\ndrop_hidden_rows = true\ndrop_hidden_columns = true\n",
            "x.toml",
            None,
        )
        .unwrap();
        assert_eq!(p.disclosure.hidden, HiddenPolicy::Omit);
        let e = Profile::parse("[disclosure]\ndrop_hidden_rows = false\n", "x.toml", None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("drop_hidden_rows") && e.contains("hidden = \"keep\""),
            "{e}"
        );
        let e = Profile::parse("[disclosure]\nhidden = \"show\"\n", "x.toml", None).unwrap_err();
        assert!(e.to_string().contains("hidden"), "{e}");
        let p =
            Profile::parse("[disclosure]\ndrop_columns = [\"说明\"]\n", "x.toml", None).unwrap();
        assert_eq!(p.disclosure.internal_columns, ["说明"]);
    }

    #[test]
    fn internal_columns_match_by_name_or_marker() {
        let d = Disclosure::default();
        let yes =
            |p: &[&str]| d.is_internal_column(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(yes(&["内部备注"]));
        assert!(yes(&["备注(内部)"]));
        assert!(yes(&["备注 （内部）"]));
        assert!(yes(&["测算"]));
        assert!(yes(&["内部测算", "金额"]));
        assert!(!yes(&["备注"]));
        assert!(!yes(&["测算依据及说明"]));
        assert!(!yes(&["资金来源", "财政拨款"]));
    }
}
