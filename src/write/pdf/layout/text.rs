//! Text inside a box: each character given a face and a width, then broken
//! into lines on Unicode break opportunities (UAX #14) plus kinsoku rules,
//! greedy first-fit.

use super::super::fonts::{FaceId, FontBook, Role};
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Characters that must not begin a line (行頭禁則): closing brackets and
/// quotes, sentence and clause punctuation, the percent sign.
pub const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '！', '？', '）', '》', '」', '』', '〕', '】', '〉', '｝', '］',
    '%', '％', '”', '’', '…', '‥', '·', '・', '〟', ',', '.', ';', ':', '!', '?', ')', ']', '}',
];

/// Characters that must not end a line (行末禁則): opening brackets and
/// quotes.
pub const NO_LINE_END: &[char] = &[
    '（', '《', '「', '『', '〔', '【', '〈', '｛', '［', '“', '‘', '〝', '(', '[', '{',
];

/// A full-width digit or Latin letter.
fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Whether no line may break between `a` and `b` although UAX #14 allows
/// it: inside a full-width number or word ("１２", "８．５", "ＡＢ"), and
/// between a comparison sign and its number.
fn glued(a: char, b: char) -> bool {
    (is_fullwidth_alnum(a) && (is_fullwidth_alnum(b) || b == '．'))
        || (a == '．' && is_fullwidth_alnum(b))
        || (COMPARISONS.contains(&a) && (b.is_alphanumeric() || is_fullwidth_alnum(b)))
}

/// Comparison signs stay with the number after them ("≥９０％").
const COMPARISONS: &[char] = &['≥', '≤', '＞', '＜', '＝', '>', '<', '=', '≈'];

/// One character placed in a face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// The character.
    pub ch: char,
    /// The face that draws it; `None` when no configured face has it.
    pub face: Option<FaceId>,
    /// Advance in points.
    pub advance: f32,
    /// Drawn slanted (emphasis where no italic face is bundled).
    pub slant: bool,
}

/// Whether a line may begin at a glyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Not here (inside a word, before a no-start character …).
    Never,
    /// Here if the line is full (a break opportunity).
    May,
    /// Here always: the text has a line break before it.
    Must,
}

/// A piece of text in one role and size, every character measured, with
/// its break opportunities.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    /// The characters.
    pub glyphs: Vec<Glyph>,
    /// `breaks[i]`: whether a line may, must or may not begin at glyph `i`.
    pub breaks: Vec<Break>,
    /// Size in points.
    pub size: f32,
    /// Role whose faces draw it.
    pub role: Role,
}

/// Width of a character no face has, in ems: an ideograph's width, so the
/// empty box drawn in its place looks like the missing character.
const MISSING_GLYPH_EM: f32 = 1.0;

/// A tab is drawn as this many spaces.
const TAB_SPACES: f32 = 4.0;

/// Measures `text` in a role at `size` points.
pub fn shape(text: &str, role: Role, size: f32, fonts: &FontBook) -> Shaped {
    shape_pieces(&[Piece::plain(text, role)], size, fonts)
}

/// A piece of a mixed text: its characters, the role whose faces draw
/// them, and whether they are slanted.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    /// The characters.
    pub text: &'a str,
    /// Whose faces draw them.
    pub role: Role,
    /// Slanted.
    pub slant: bool,
}

impl<'a> Piece<'a> {
    /// Upright text in one role.
    pub fn plain(text: &'a str, role: Role) -> Piece<'a> {
        Piece {
            text,
            role,
            slant: false,
        }
    }
}

/// Measures pieces of text in different roles (a paragraph's bold and
/// plain spans) as one text at `size` points: break opportunities come
/// from the whole text, so a line may break between pieces only where it
/// could break in the joined text.
pub fn shape_pieces(pieces: &[Piece<'_>], size: f32, fonts: &FontBook) -> Shaped {
    let text: String = pieces.iter().map(|p| p.text).collect();
    let text = text.as_str();
    let role = pieces.first().map_or(Role::Body, |p| p.role);
    // The piece of each byte offset's character.
    let mut piece_of = Vec::with_capacity(pieces.len());
    let mut end = 0;
    for p in pieces {
        end += p.text.len();
        piece_of.push((end, p.role, p.slant));
    }
    let mut glyphs = Vec::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut current = 0;
    for (i, ch) in text.char_indices() {
        offsets.push(i);
        while piece_of.get(current).is_some_and(|(e, _, _)| i >= *e) {
            current += 1;
        }
        let (role, slant) = piece_of
            .get(current)
            .map_or((role, false), |(_, r, s)| (*r, *s));
        let glyph = match ch {
            '\n' | '\r' => Glyph {
                ch,
                face: None,
                advance: 0.0,
                slant,
            },
            '\t' => {
                let space = fonts.lookup(role, ' ');
                Glyph {
                    ch: ' ',
                    face: space.map(|s| s.0),
                    advance: space.map_or(0.25, |s| s.1) * size * TAB_SPACES,
                    slant,
                }
            }
            c if c.is_control() => Glyph {
                ch: c,
                face: None,
                advance: 0.0,
                slant,
            },
            c => match fonts.lookup(role, c) {
                Some((face, adv)) => Glyph {
                    ch: c,
                    face: Some(face),
                    advance: adv * size,
                    slant,
                },
                None => Glyph {
                    ch: c,
                    face: None,
                    advance: MISSING_GLYPH_EM * size,
                    slant,
                },
            },
        };
        glyphs.push(glyph);
    }
    let mut breaks = vec![Break::Never; glyphs.len()];
    for (byte, kind) in linebreaks(text) {
        if let Ok(i) = offsets.binary_search(&byte) {
            breaks[i] = if kind == BreakOpportunity::Mandatory {
                Break::Must
            } else {
                Break::May
            };
        }
    }
    // "\r\n" counts once: the break after '\r' is not a second line.
    for i in 0..glyphs.len() {
        if glyphs[i].ch == '\n' && i > 0 && glyphs[i - 1].ch == '\r' {
            breaks[i] = Break::Never;
        }
    }
    // Kinsoku on top of UAX #14: never break before a no-start character or
    // after a no-end character (UAX #14 already holds most of these), nor
    // inside a full-width number or word, which UAX #14 treats as
    // ideographs ("１２００亩" stays whole), nor after the hyphen of an
    // indicator code ("11-数量指标": a line ending in "11-" reads as a
    // broken word, and text extractors join it to the next line, dropping
    // the hyphen).
    for i in 1..glyphs.len() {
        let (a, b) = (glyphs[i - 1].ch, glyphs[i].ch);
        if breaks[i] == Break::May
            && (NO_LINE_START.contains(&b)
                || NO_LINE_END.contains(&a)
                || glued(a, b)
                || (i >= 2 && a == '-' && glyphs[i - 2].ch.is_alphanumeric()))
        {
            breaks[i] = Break::Never;
        }
    }
    Shaped {
        glyphs,
        breaks,
        size,
        role,
    }
}

/// A line: glyphs `start..end` of a [`Shaped`], without the trailing
/// spaces and line-break characters, and its width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    /// First glyph.
    pub start: usize,
    /// One past the last drawn glyph.
    pub end: usize,
    /// Width in points.
    pub width: f32,
}

fn is_invisible(ch: char) -> bool {
    ch == '\n' || ch == '\r' || ch == ' ' || ch == '\u{3000}'
}

impl Shaped {
    /// The text of glyphs `start..end`.
    #[cfg(test)]
    pub fn text(&self, start: usize, end: usize) -> String {
        self.glyphs
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|g| g.ch)
            .collect()
    }

    /// Whether there is nothing to draw.
    pub fn is_blank(&self) -> bool {
        self.glyphs
            .iter()
            .all(|g| is_invisible(g.ch) || g.ch.is_control())
    }

    fn width(&self, start: usize, end: usize) -> f32 {
        self.glyphs
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|g| g.advance)
            .sum()
    }

    /// The width of `start..end` without its trailing spaces and breaks.
    fn trimmed(&self, start: usize, mut end: usize) -> Line {
        while end > start && self.glyphs.get(end - 1).is_some_and(|g| is_invisible(g.ch)) {
            end -= 1;
        }
        Line {
            start,
            end,
            width: self.width(start, end),
        }
    }

    /// Segments between break opportunities: `(start, end, mandatory_after)`.
    fn segments(&self) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.glyphs.len() {
            let brk = if i == self.glyphs.len() {
                Break::Must
            } else {
                self.breaks[i]
            };
            if brk != Break::Never {
                out.push((start, i, brk == Break::Must));
                start = i;
            }
        }
        out
    }

    /// The widest piece that no break opportunity splits (min-content
    /// width).
    pub fn min_width(&self) -> f32 {
        self.segments()
            .iter()
            .map(|&(s, e, _)| self.trimmed(s, e).width)
            .fold(0.0, f32::max)
    }

    /// The widest line when only forced breaks are taken (max-content
    /// width).
    pub fn max_width(&self) -> f32 {
        let mut widest: f32 = 0.0;
        let mut start = 0;
        for (s, e, mandatory) in self.segments() {
            if mandatory {
                widest = widest.max(self.trimmed(start, e).width);
                start = e;
            }
            let _ = s;
        }
        widest
    }

    /// Breaks the text into lines no wider than `width` points: greedy
    /// first-fit on the break opportunities; a piece wider than a whole
    /// line is cut between characters, still keeping the kinsoku rules
    /// where the line has room to give.
    pub fn break_lines(&self, width: f32) -> Vec<Line> {
        self.break_lines_indented(width, width)
    }

    /// Like [`Shaped::break_lines`], the first line `first` points wide and
    /// the others `width` (a paragraph's first-line indent, or a list
    /// item's marker).
    pub fn break_lines_indented(&self, first: f32, width: f32) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut line_start = 0;
        // End of the last segment that fits on the current line.
        let mut fit_end = 0;
        let measure = |lines: &Vec<Line>| if lines.is_empty() { first } else { width };
        for (seg_start, seg_end, mandatory) in self.segments() {
            let candidate = self.trimmed(line_start, seg_end);
            if candidate.width > measure(&lines) + WIDTH_EPSILON && fit_end > line_start {
                // The segment does not fit: the line ends before it.
                lines.push(self.trimmed(line_start, fit_end));
                line_start = seg_start;
            }
            // A single piece wider than the line: cut it.
            while self.trimmed(line_start, seg_end).width > measure(&lines) + WIDTH_EPSILON {
                let cut = self.emergency_cut(line_start, seg_end, measure(&lines));
                lines.push(self.trimmed(line_start, cut));
                line_start = cut;
            }
            fit_end = seg_end;
            if mandatory {
                lines.push(self.trimmed(line_start, seg_end));
                line_start = seg_end;
            }
        }
        if lines.is_empty() {
            lines.push(Line {
                start: 0,
                end: 0,
                width: 0.0,
            });
        }
        lines
    }

    /// Where to cut `start..end` (wider than `width`) so the first part
    /// fits: as many characters as fit, moved back while the next line would
    /// start with a no-start character or this one end with a no-end one.
    /// Always takes at least one character so the text advances.
    fn emergency_cut(&self, start: usize, end: usize, width: f32) -> usize {
        let mut w = 0.0;
        let mut cut = start;
        while cut < end {
            let adv = self.glyphs.get(cut).map_or(0.0, |g| g.advance);
            if w + adv > width + WIDTH_EPSILON && cut > start {
                break;
            }
            w += adv;
            cut += 1;
        }
        let fits = cut;
        while cut > start + 1
            && cut < end
            && (self
                .glyphs
                .get(cut)
                .is_some_and(|g| NO_LINE_START.contains(&g.ch))
                || self
                    .glyphs
                    .get(cut - 1)
                    .is_some_and(|g| NO_LINE_END.contains(&g.ch)))
        {
            cut -= 1;
        }
        if cut == start + 1 && fits > cut + 1 {
            // Nothing better within this line: keep the widest cut.
            return fits;
        }
        cut.max(start + 1)
    }
}

/// Rounding slack when comparing widths, in points.
const WIDTH_EPSILON: f32 = 0.01;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Fonts;
    use crate::write::pdf::fonts::FontStore;

    fn book() -> FontBook {
        FontBook::new(&FontStore::new(), &Fonts::default()).unwrap()
    }

    fn lines(text: &str, width_em: f32) -> Vec<String> {
        let b = book();
        let s = shape(text, Role::Body, 10.0, &b);
        s.break_lines(width_em * 10.0)
            .iter()
            .map(|l| s.text(l.start, l.end))
            .collect()
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 5 ems wide: the comma would land at the start of line 2.
        let out = lines("一二三四五，六七八九十。", 5.0);
        for l in &out[1..] {
            let first = l.chars().next().unwrap();
            assert!(!NO_LINE_START.contains(&first), "{out:?}");
        }
        assert_eq!(out.concat(), "一二三四五，六七八九十。");
        let out = lines("一二三四（五六七八", 5.0);
        for l in &out {
            assert!(!NO_LINE_END.contains(&l.chars().last().unwrap()), "{out:?}");
        }
        let out = lines("完成率达85%以上，共计", 5.0);
        assert!(out.iter().all(|l| !l.starts_with('%')), "{out:?}");
        // Full-width numbers stay whole: "１２００" would straddle the end
        // of the 5-em line.
        let out = lines("农田建设１２００亩，渠系８．５公里", 5.0);
        assert!(out.iter().any(|l| l.contains("１２００")), "{out:?}");
        assert!(out.iter().any(|l| l.contains("８．５")), "{out:?}");
        let out = lines("年度指标值：≥９０％，实施", 4.0);
        assert!(out.iter().all(|l| !l.ends_with('≥')), "{out:?}");
        let out = lines("1、2-效益指标,24-可持续影响,企业", 4.0);
        assert!(out.iter().all(|l| !l.ends_with('-')), "{out:?}");
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let out = lines("通过企业筹建APP上报3,593.00万元", 6.0);
        assert!(out.iter().any(|l| l.contains("APP")), "{out:?}");
        assert!(out.iter().any(|l| l.contains("3,593.00")), "{out:?}");
    }

    #[test]
    fn lines_fit_and_keep_every_character() {
        let text = "聘请有资质的运营维护公司，对企业筹建项目管理与服务平台进行维护，升级及保障网络的安全性。";
        let b = book();
        let s = shape(text, Role::Body, 10.0, &b);
        for w in [11.0, 35.0, 80.0, 200.0] {
            let ls = s.break_lines(w);
            for l in &ls {
                assert!(l.width <= w + 0.01 || l.end - l.start == 1, "{w}: {l:?}");
            }
            let joined: String = ls.iter().map(|l| s.text(l.start, l.end)).collect();
            assert_eq!(joined, text);
        }
        assert!(s.min_width() <= 20.0 && s.min_width() >= 9.0);
        assert!((s.max_width() - s.break_lines(1e6)[0].width).abs() < 0.01);
    }

    #[test]
    fn forced_breaks_and_too_long_pieces() {
        let out = lines("第一行\n第二行", 20.0);
        assert_eq!(out, vec!["第一行", "第二行"]);
        let out = lines("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ", 4.0);
        assert!(out.len() > 2, "{out:?}");
        assert_eq!(out.concat(), "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ");
    }
}
