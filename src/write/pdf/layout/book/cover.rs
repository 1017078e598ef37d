//! The cover page of the book.

use super::*;

/// The cover: the title large in the middle of the upper half (the
/// department's name on a line of its own when the title begins with it),
/// the department and the date near the foot.
pub(super) fn cover(
    book: &Book,
    department_line: &str,
    geo: &Geometry,
    ty: Type,
    fonts: &FontBook,
    missing: &mut Missing,
) -> PageLayout {
    let mut page = PageLayout::empty(geo, 0);
    let area = geo.area;
    let pieces: Vec<&str> = match book.title.strip_prefix(book.department.as_str()) {
        _ if !book.cover_lines.is_empty() => book.cover_lines.iter().map(String::as_str).collect(),
        Some(rest) if !book.department.is_empty() && !rest.trim().is_empty() => {
            vec![book.department.as_str(), rest.trim()]
        }
        _ => vec![book.title.as_str()],
    };
    // As large as the scale asks, smaller while a piece is wider than the
    // page, never smaller than the profile's title.
    let base = fonts.size(Role::Title);
    let widest = pieces
        .iter()
        .map(|p| shape(p, Role::Title, 1.0, fonts).max_width())
        .fold(0.0, f32::max);
    let b = ty.book;
    let mut size = base * b.cover_title_scale;
    if widest > 0.0 {
        size = size.min(area.w / widest).max(base);
    }
    let pitch = size * b.cover_line_height;
    let shaped: Vec<(Shaped, Vec<Line>)> = pieces
        .iter()
        .map(|p| {
            let s = shape(p, Role::Title, size, fonts);
            missing.check(&s, "cover title");
            let lines = s.break_lines(area.w);
            (s, lines)
        })
        .collect();
    let count: usize = shaped.iter().map(|(_, l)| l.len()).sum();
    let mut top = geo.height * b.cover_title_at - count as f32 * pitch / 2.0;
    let p = Placement::area(area, area.x, area.w, HAlign::Center, RunKind::Cover);
    for (s, lines) in &shaped {
        super::push_lines_spaced(&mut page.items, s, lines, top, pitch, &p);
        top += lines.len() as f32 * pitch;
    }
    let mut y = geo.height * b.cover_foot_at;
    for (text, role, size) in [
        (
            department_line,
            Role::Header,
            ty.text * b.chapter_heading_scale,
        ),
        (book.date.as_str(), Role::Body, ty.text * b.subheading_scale),
    ] {
        if text.trim().is_empty() {
            continue;
        }
        let s = shape(text, role, size, fonts);
        missing.check(&s, "cover");
        let lines = s.break_lines(area.w);
        let pitch = size * b.cover_line_height;
        super::push_lines_spaced(&mut page.items, &s, &lines, y, pitch, &p);
        y += lines.len() as f32 * pitch;
    }
    page
}
