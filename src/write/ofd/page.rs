//! One page's Content.xml: the layout's items in drawing order, text as
//! TextObjects (consecutive runs of one face and size share one, each run a
//! TextCode at its baseline), rules, cell borders, missing-character boxes
//! and shading as PathObjects (consecutive rectangles of one kind share
//! one).

use super::{NS, Xml, mm, num};
use crate::write::pdf::fonts::{FaceId, FontBook};
use crate::write::pdf::layout::{GlyphRun, Item, PageLayout, Rect};
use std::collections::BTreeMap;

/// Slant of emphasised text, as the PDF draws it (tan 12°).
const SLANT: f64 = 0.2126;

/// Thickness of a missing-character box's outline, in points (as the PDF).
const MISSING_BOX_RULE: f32 = 0.4;

/// How far a text object's box reaches above the baseline and below it,
/// in ems: more than any bundled face's ascent (1.16) and descent (0.29).
const ABOVE: f32 = 1.2;
const BELOW: f32 = 0.35;

/// What a run of rectangles is drawn as.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Paint {
    /// Outlined, this thick (points).
    Stroke(f32),
    /// Filled with this grey (0 black – 1 white).
    Fill(f32),
}

/// Items to be written as one object.
enum Group<'a> {
    Text(Vec<&'a GlyphRun>),
    Path(Paint, Vec<Rect>),
}

/// The Content.xml of a page; object IDs are drawn from `next_id`.
pub(super) fn content(
    page: &PageLayout,
    fonts: &FontBook,
    font_ids: &BTreeMap<FaceId, u32>,
    default_size: (f32, f32),
    next_id: &mut u32,
) -> Vec<u8> {
    let mut take = || {
        let id = *next_id;
        *next_id += 1;
        id.to_string()
    };
    let mut x = Xml::new();
    x.open("ofd:Page", &[("xmlns:ofd", NS)]);
    if (page.width, page.height) != default_size {
        x.open("ofd:Area", &[]);
        x.leaf(
            "ofd:PhysicalBox",
            &[],
            &format!("0 0 {} {}", mm(page.width), mm(page.height)),
        );
        x.close("ofd:Area");
    }
    x.open("ofd:Content", &[]);
    let layer = take();
    x.open("ofd:Layer", &[("ID", &layer), ("Type", "Body")]);
    for group in groups(&page.items) {
        match group {
            Group::Text(runs) => {
                if let Some(first) = runs.first()
                    && let Some(font) = font_ids.get(&first.face)
                {
                    text_object(&mut x, &runs, fonts, *font, &take());
                }
            }
            Group::Path(paint, rects) => path_object(&mut x, paint, &rects, &take()),
        }
    }
    x.close("ofd:Layer");
    x.close("ofd:Content");
    x.close("ofd:Page");
    x.finish()
}

/// The page's items gathered into objects, in drawing order.
fn groups(items: &[Item]) -> Vec<Group<'_>> {
    let mut out: Vec<Group<'_>> = Vec::new();
    for item in items {
        let (paint, rect) = match item {
            Item::Text(run) => {
                match out.last_mut() {
                    Some(Group::Text(runs))
                        if !run.slant
                            && runs.first().is_some_and(|f| {
                                !f.slant && f.face == run.face && f.size == run.size
                            }) =>
                    {
                        runs.push(run)
                    }
                    _ => out.push(Group::Text(vec![run])),
                }
                continue;
            }
            Item::Frame { rect, width } => (Paint::Stroke(*width), *rect),
            Item::MissingGlyph { rect } => (Paint::Stroke(MISSING_BOX_RULE), *rect),
            Item::Fill { rect, gray } => (Paint::Fill(*gray), *rect),
        };
        match out.last_mut() {
            Some(Group::Path(p, rects)) if *p == paint => rects.push(rect),
            _ => out.push(Group::Path(paint, vec![rect])),
        }
    }
    out
}

/// Advances of a run's characters in points (the face's advance plus the
/// run's extra spacing), as the PDF places them.
pub(super) fn advances(run: &GlyphRun, fonts: &FontBook) -> Vec<f32> {
    let face = fonts.face(run.face);
    run.text
        .chars()
        .map(|ch| face.and_then(|f| f.advance_em(ch)).unwrap_or(0.0) * run.size + run.spacing)
        .collect()
}

/// A DeltaX list: repeated values written as OFD's `g count value`.
pub(super) fn delta_x(steps: &[f32]) -> String {
    let values: Vec<String> = steps.iter().map(|s| mm(*s)).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(v) = values.get(i) {
        let same = values[i..].iter().take_while(|w| *w == v).count();
        if same > 1 {
            out.push(format!("g {same} {v}"));
        } else {
            out.push(v.clone());
        }
        i += same;
    }
    out.join(" ")
}

/// Writes runs of one face and size as one TextObject.
fn text_object(x: &mut Xml, runs: &[&GlyphRun], fonts: &FontBook, font: u32, id: &str) {
    // Each run without its leading and trailing blanks (a reader may trim
    // them): the leading ones move its start.
    let mut codes = Vec::with_capacity(runs.len());
    for run in runs {
        let chars: Vec<char> = run.text.chars().collect();
        let adv = advances(run, fonts);
        let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
        let trail = chars[lead..]
            .iter()
            .rev()
            .take_while(|c| c.is_whitespace())
            .count();
        let end = chars.len() - trail;
        if lead >= end {
            continue;
        }
        let start_x = run.x + adv[..lead].iter().sum::<f32>();
        let text: String = chars[lead..end].iter().collect();
        let steps = adv[lead..end - 1].to_vec();
        let width: f32 = adv[lead..end].iter().sum();
        codes.push((run, start_x, text, steps, width));
    }
    let Some(first) = codes.first() else {
        return;
    };
    let size = first.0.size;
    let slant = first.0.slant;
    // The box around every run: from above the tallest to below the
    // lowest, with room for the slant's lean.
    let mut left = f32::MAX;
    let mut top = f32::MAX;
    let mut right = f32::MIN;
    let mut bottom = f32::MIN;
    for (run, start, _, _, width) in &codes {
        left = left.min(*start);
        right = right.max(start + width + size * 0.3);
        top = top.min(run.baseline - size * ABOVE);
        bottom = bottom.max(run.baseline + size * BELOW);
    }
    let boundary = format!(
        "{} {} {} {}",
        mm(left),
        mm(top),
        mm(right - left),
        mm(bottom - top)
    );
    let font = font.to_string();
    let size_mm = mm(size);
    let mut attrs = vec![
        ("ID", id),
        ("Boundary", boundary.as_str()),
        ("Font", font.as_str()),
        ("Size", size_mm.as_str()),
    ];
    // Slanted runs lean about their baseline: x' = x − tan·(y − baseline).
    let ctm;
    if slant {
        let base = f64::from(first.0.baseline - top) * 25.4 / 72.0;
        ctm = format!("1 0 {} 1 {} 0", num(-SLANT), num(SLANT * base));
        attrs.push(("CTM", ctm.as_str()));
    }
    x.open("ofd:TextObject", &attrs);
    x.empty("ofd:FillColor", &[("Value", "0 0 0")]);
    for (run, start, text, steps, _) in &codes {
        let cx = mm(start - left);
        let cy = mm(run.baseline - top);
        let dx = delta_x(steps);
        let mut a = vec![("X", cx.as_str()), ("Y", cy.as_str())];
        if !dx.is_empty() {
            a.push(("DeltaX", dx.as_str()));
        }
        x.leaf("ofd:TextCode", &a, text);
    }
    x.close("ofd:TextObject");
}

/// Writes rectangles of one paint as one PathObject.
fn path_object(x: &mut Xml, paint: Paint, rects: &[Rect], id: &str) {
    let half = match paint {
        Paint::Stroke(w) => w / 2.0,
        Paint::Fill(_) => 0.0,
    };
    let left = rects.iter().map(|r| r.x).fold(f32::MAX, f32::min) - half;
    let top = rects.iter().map(|r| r.y).fold(f32::MAX, f32::min) - half;
    let right = rects.iter().map(Rect::right).fold(f32::MIN, f32::max) + half;
    let bottom = rects.iter().map(Rect::bottom).fold(f32::MIN, f32::max) + half;
    let boundary = format!(
        "{} {} {} {}",
        mm(left),
        mm(top),
        mm(right - left),
        mm(bottom - top)
    );
    let mut data = String::new();
    for r in rects {
        let (x0, y0) = (mm(r.x - left), mm(r.y - top));
        let (x1, y1) = (mm(r.right() - left), mm(r.bottom() - top));
        if !data.is_empty() {
            data.push(' ');
        }
        data.push_str(&format!(
            "M {x0} {y0} L {x1} {y0} L {x1} {y1} L {x0} {y1} C"
        ));
    }
    match paint {
        Paint::Stroke(w) => {
            let lw = mm(w);
            x.open(
                "ofd:PathObject",
                &[
                    ("ID", id),
                    ("Boundary", &boundary),
                    ("LineWidth", &lw),
                    ("Stroke", "true"),
                    ("Fill", "false"),
                ],
            );
            x.empty("ofd:StrokeColor", &[("Value", "0 0 0")]);
        }
        Paint::Fill(g) => {
            let v = (g.clamp(0.0, 1.0) * 255.0).round() as u8;
            let colour = format!("{v} {v} {v}");
            x.open(
                "ofd:PathObject",
                &[
                    ("ID", id),
                    ("Boundary", &boundary),
                    ("Stroke", "false"),
                    ("Fill", "true"),
                ],
            );
            x.empty("ofd:FillColor", &[("Value", &colour)]);
        }
    }
    x.leaf("ofd:AbbreviatedData", &[], &data);
    x.close("ofd:PathObject");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_x_folds_repeats() {
        assert_eq!(delta_x(&[72.0, 72.0, 72.0, 36.0]), "g 3 25.4 12.7");
        assert_eq!(delta_x(&[36.0]), "12.7");
        assert_eq!(delta_x(&[]), "");
    }
}
