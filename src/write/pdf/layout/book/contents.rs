//! The 目录 pages of the book.

use super::*;

/// The 目录: "目录" at the top, then a line per entry — its title, dot
/// leaders and its page number right-aligned — on as many pages as it
/// takes. Returns the pages and each entry's line (page index within the
/// 目录, box).
pub(super) fn contents_pages(
    entries: &[Entry],
    geo: &Geometry,
    ty: Type,
    fonts: &FontBook,
    missing: &mut Missing,
) -> (Vec<PageLayout>, Vec<Option<(usize, Rect)>>) {
    let area = geo.area;
    let size = ty.text;
    let b = ty.book;
    let mut pitch = size * b.contents_line_height;
    let mut pages = vec![PageLayout::empty(geo, 0)];
    let mut y = geo.content_top;

    // The heading, its letters spaced out.
    let title_size = fonts.size(Role::Title);
    let heading = shape("目录", Role::Title, title_size, fonts);
    let tracking = b.contents_title_tracking_em * title_size;
    let lines = heading.break_lines(f32::INFINITY);
    if let (Some(line), Some(page)) = (lines.first(), pages.last_mut()) {
        let count = line.end.saturating_sub(line.start).max(1);
        let w = line.width + tracking * (count - 1) as f32;
        let x = area.x + (area.w - w) / 2.0;
        let title_pitch = title_size * b.heading_line_height;
        let baseline = y + (title_pitch - title_size) / 2.0 + super::ASCENT * title_size;
        let p = Placement::area(area, x, w, HAlign::Left, RunKind::Contents);
        push_line(&mut page.items, &heading, line, x, baseline, tracking, &p);
        y += title_pitch + b.contents_title_gap_lines * pitch;
    }

    // The number column: as wide as the widest number, so the leaders end
    // in one column and the dots line up from line to line.
    let number_of = |e: &Entry| (e.page + 1).to_string();
    let numbers: Vec<Shaped> = entries
        .iter()
        .map(|e| shape(&number_of(e), Role::Numbers, size, fonts))
        .collect();
    let number_w = numbers.iter().map(Shaped::max_width).fold(0.0, f32::max);
    let gap = LEADER_GAP_EM * size;
    let leaders_end = area.right() - number_w - gap;
    let dot = shape(".", Role::Body, size, fonts);
    let dot_w = dot.max_width();
    let leader_pitch = LEADER_PITCH_EM * size;

    let shaped: Vec<(Shaped, Vec<Line>, f32, f32)> = entries
        .iter()
        .map(|e| {
            let (role, indent) = if e.depth == 0 {
                (Role::Header, 0.0)
            } else {
                (Role::Body, b.contents_indent_em * size * f32::from(e.depth))
            };
            let shaped = shape(&e.title, role, size, fonts);
            missing.check(&shaped, &format!("目录, '{}'", e.title));
            let title_w = (leaders_end - gap - LEADER_MIN_EM * size - area.x - indent).max(size);
            let lines = shaped.break_lines(title_w);
            (shaped, lines, indent, title_w)
        })
        .collect();
    // A 目录 a little too long for its page closes up to stay on it.
    let count: usize = shaped.iter().map(|(_, l, _, _)| l.len()).sum();
    let room = geo.content_bottom - y;
    if count as f32 * pitch > room && count as f32 * size * b.contents_min_line_height <= room {
        pitch = room / count as f32;
    }

    let mut out = Vec::with_capacity(entries.len());
    for (number, (shaped, lines, indent, title_w)) in numbers.iter().zip(&shaped) {
        let (indent, title_w) = (*indent, *title_w);
        let h = lines.len() as f32 * pitch;
        if y + h > geo.content_bottom + 0.01 && y > geo.content_top + 0.01 {
            pages.push(PageLayout::empty(geo, 0));
            y = geo.content_top;
        }
        let page_index = pages.len() - 1;
        let Some(page) = pages.last_mut() else {
            out.push(None);
            continue;
        };
        let baseline_of = |top: f32| top + (pitch - size) / 2.0 + super::ASCENT * size;
        let p = Placement::area(
            area,
            area.x + indent,
            title_w,
            HAlign::Left,
            RunKind::Contents,
        );
        for (k, line) in lines.iter().enumerate() {
            let top = y + k as f32 * pitch;
            push_line(
                &mut page.items,
                shaped,
                line,
                area.x + indent,
                baseline_of(top),
                0.0,
                &p,
            );
        }
        let last_top = y + (lines.len().max(1) - 1) as f32 * pitch;
        let baseline = baseline_of(last_top);
        // Leaders: dots on a grid counted back from the number column.
        let title_end = area.x + indent + lines.last().map_or(0.0, |l| l.width) + gap;
        let room = leaders_end - title_end;
        if room >= leader_pitch {
            let n = (room / leader_pitch).floor() as usize;
            let dots = shape(&".".repeat(n), Role::Body, size, fonts);
            let line = Line {
                start: 0,
                end: n,
                width: dots.max_width(),
            };
            let x = leaders_end - n as f32 * leader_pitch + (leader_pitch - dot_w) / 2.0;
            let p = Placement::area(area, x, room, HAlign::Left, RunKind::Contents);
            push_line(
                &mut page.items,
                &dots,
                &line,
                x,
                baseline,
                leader_pitch - dot_w,
                &p,
            );
        }
        if let Some(line) = number.break_lines(f32::INFINITY).first() {
            let x = area.right() - line.width;
            let p = Placement::area(area, x, line.width, HAlign::Left, RunKind::Contents);
            push_line(&mut page.items, number, line, x, baseline, 0.0, &p);
        }
        out.push(Some((
            page_index,
            Rect {
                x: area.x,
                y,
                w: area.w,
                h,
            },
        )));
        y += h;
    }
    (pages, out)
}
