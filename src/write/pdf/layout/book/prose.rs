//! The chapters of the book: part headings, subheadings, paragraphs,
//! lists and tables inside a chapter, broken into lines and pages.

use super::*;

impl Body<'_> {
    /// Sets a part's heading (一、部门主要职能, 五、部门预算表) in the bold
    /// sans across the text area from `top`; returns the height it took.
    pub(super) fn part_heading(
        &mut self,
        items: &mut Vec<super::Item>,
        geo: &Geometry,
        text: &str,
        at: &str,
        align: HAlign,
        top: f32,
    ) -> f32 {
        let size = self.ty.text * self.ty.book.chapter_heading_scale;
        let shaped = shape(text, Role::Header, size, self.fonts);
        self.missing.check(&shaped, at);
        let lines = shaped.break_lines(geo.area.w);
        let pitch = size * self.ty.book.heading_line_height;
        let p = Placement::area(geo.area, geo.area.x, geo.area.w, align, RunKind::Heading);
        super::push_lines_spaced(items, &shaped, &lines, top, pitch, &p);
        lines.len() as f32 * pitch
    }

    /// Lays out a chapter from a new page.
    pub(super) fn chapter(&mut self, chapter: &Chapter, title: &str) {
        let geo = self.text_geo;
        self.new_page(&geo, PageKind::Chapter);
        let at = format!("chapter '{}' ({})", chapter.title, chapter.source);
        let mut items = Vec::new();
        let height = self.part_heading(
            &mut items,
            &geo,
            title,
            &format!("{at}, title"),
            HAlign::Center,
            self.y,
        );
        if let Some(page) = self.page() {
            page.items.extend(items);
        }
        self.y += height + self.ty.book.chapter_heading_gap_lines * self.ty.line;
        let mut paragraphs = 0;
        for (bi, block) in chapter.blocks.iter().enumerate() {
            self.block = Some(bi);
            match block {
                Block::Heading { level, text } => {
                    let next_is_table = matches!(chapter.blocks.get(bi + 1), Some(Block::Table(_)));
                    self.subheading(*level, text, &at, next_is_table, bi == 0);
                }
                Block::Paragraph(spans) => {
                    paragraphs += 1;
                    self.paragraph(spans, &format!("{at}, paragraph {paragraphs}"));
                }
                Block::List {
                    ordered,
                    start,
                    items,
                } => self.list(*ordered, *start, items, &at),
                Block::Table(table) => self.inline_table(table, &at),
            }
        }
        self.block = None;
    }

    /// A heading inside a chapter: sans bold, indented like a paragraph,
    /// kept on a page with the start of what follows.
    pub(super) fn subheading(
        &mut self,
        level: u8,
        text: &str,
        at: &str,
        next_is_table: bool,
        under_title: bool,
    ) {
        let geo = self.text_geo;
        let size = if level <= 2 {
            self.ty.text * self.ty.book.subheading_scale
        } else {
            self.ty.text
        };
        let shaped = shape(text, Role::Header, size, self.fonts);
        self.missing
            .check(&shaped, &format!("{at}, heading '{text}'"));
        let indent = self.ty.book.paragraph_indent_em * self.ty.text;
        let lines = shaped.break_lines_indented(geo.area.w - indent, geo.area.w);
        let pitch = size * self.ty.book.text_line_height;
        // No space above it at the top of a page, nor right under the
        // chapter's title, which has its own.
        let before = if self.at_top() || under_title {
            0.0
        } else {
            self.ty.book.subheading_gap_lines * self.ty.line
        };
        let after = self.ty.book.subheading_gap_lines / 2.0 * self.ty.line;
        let follow = if next_is_table {
            TABLE_KEEP_LINES
        } else {
            KEEP_WITH_NEXT_LINES
        };
        let need = before + lines.len() as f32 * pitch + after + follow * self.ty.line;
        self.ensure(need);
        if !self.at_top() {
            self.y += before;
        }
        let _ = self.place_lines(&shaped, &lines, indent, 0.0, pitch, RunKind::Heading, false);
        self.y += after;
    }

    /// Places `lines` from the current position, one per `pitch`, on as many
    /// pages as they need: the first line `first_x` from the left edge of
    /// the text area, the others `rest_x`; justified (all but the last line
    /// and lines ended by a forced break) when `justify`. Returns the page
    /// index and top of the first line.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn place_lines(
        &mut self,
        shaped: &Shaped,
        lines: &[Line],
        first_x: f32,
        rest_x: f32,
        pitch: f32,
        kind: RunKind,
        justify: bool,
    ) -> (usize, f32) {
        let geo = self.text_geo;
        let mut first: Option<(usize, f32)> = None;
        let mut i = 0;
        while i < lines.len() {
            // How many lines fit here; a paragraph leaves no single line
            // at either end of a page break.
            let fit = ((self.room() + 0.01) / pitch).floor().max(0.0) as usize;
            let left = lines.len() - i;
            let mut take = left.min(fit);
            if take < left && !self.at_top() {
                // Give lines back so enough go over …
                if left - take < MIN_LINES_AT_BREAK {
                    take = take.saturating_sub(MIN_LINES_AT_BREAK - (left - take));
                }
                // … and move the whole paragraph when too few stay.
                if i == 0 && take < MIN_LINES_AT_BREAK {
                    take = 0;
                }
            }
            if take == 0 {
                if self.at_top() {
                    // Not even one line fits a fresh page: place it anyway.
                    take = 1;
                } else {
                    self.new_page(&geo, PageKind::Chapter);
                    continue;
                }
            }
            if first.is_none() {
                first = Some((self.pages.len().saturating_sub(1), self.y));
            }
            for (k, line) in lines.iter().enumerate().skip(i).take(take) {
                let x0 = if k == 0 { first_x } else { rest_x };
                let avail = geo.area.w - x0;
                let last = k + 1 == lines.len()
                    || shaped
                        .breaks
                        .get(lines.get(k + 1).map_or(0, |n| n.start))
                        .is_some_and(|b| *b == Break::Must);
                let count = line.end.saturating_sub(line.start);
                let slack = avail - line.width;
                let spacing = if justify && !last && count > 1 && slack > 0.0 {
                    let s = slack / (count - 1) as f32;
                    if s <= MAX_JUSTIFY_EM * shaped.size {
                        s
                    } else {
                        0.0
                    }
                } else {
                    0.0
                };
                let baseline = self.y + (pitch - shaped.size) / 2.0 + super::ASCENT * shaped.size;
                let p = Placement {
                    row: self.block,
                    ..Placement::area(geo.area, geo.area.x + x0, avail, HAlign::Left, kind)
                };
                let y = self.y;
                if let Some(page) = self.page() {
                    push_line(
                        &mut page.items,
                        shaped,
                        line,
                        geo.area.x + x0,
                        baseline,
                        spacing,
                        &p,
                    );
                }
                self.y = y + pitch;
            }
            i += take;
            if i < lines.len() {
                self.new_page(&geo, PageKind::Chapter);
            }
        }
        first.unwrap_or((self.pages.len().saturating_sub(1), self.y))
    }

    /// A paragraph: its first line indented two characters, justified,
    /// split across pages between lines.
    pub(super) fn paragraph(&mut self, spans: &[Span], at: &str) {
        let geo = self.text_geo;
        let shaped = shape_spans(spans, self.ty.text, self.fonts);
        self.missing.check(&shaped, at);
        if shaped.is_blank() {
            return;
        }
        let indent = self.ty.book.paragraph_indent_em * self.ty.text;
        let lines = shaped.break_lines_indented(geo.area.w - indent, geo.area.w);
        let _ = self.place_lines(
            &shaped,
            &lines,
            indent,
            0.0,
            self.ty.line,
            RunKind::Text,
            true,
        );
        self.y += self.ty.book.paragraph_gap_lines * self.ty.line;
    }

    /// A list: each item's number or bullet right-aligned in a column
    /// indented like a paragraph's first line, its text hanging after it.
    pub(super) fn list(&mut self, ordered: bool, start: u64, items: &[Vec<Span>], at: &str) {
        let geo = self.text_geo;
        let size = self.ty.text;
        // Numbers at the text's size; a bullet smaller, centred on the
        // line's ideographs.
        let marker_size = if ordered { size } else { size * BULLET_SCALE };
        let markers: Vec<Shaped> = (0..items.len())
            .map(|k| {
                let marker = if ordered {
                    format!("{}.", start.saturating_add(k as u64))
                } else {
                    BULLET.to_string()
                };
                shape(&marker, Role::Body, marker_size, self.fonts)
            })
            .collect();
        let marker_w = markers.iter().map(Shaped::max_width).fold(0.0, f32::max);
        let indent = self.ty.book.paragraph_indent_em * size;
        let text_x = indent + marker_w + LIST_MARKER_GAP_EM * size;
        let width = (geo.area.w - text_x).max(size);
        for (k, (item, marker)) in items.iter().zip(&markers).enumerate() {
            let place = format!("{at}, list item {}", k + 1);
            let shaped = shape_spans(item, size, self.fonts);
            self.missing.check(&shaped, &place);
            let lines = shaped.break_lines(width);
            // The marker goes where the item's first line lands.
            let (page_index, top) = self.place_lines(
                &shaped,
                &lines,
                text_x,
                text_x,
                self.ty.line,
                RunKind::Text,
                true,
            );
            let marker_line = marker.break_lines(f32::INFINITY);
            if let (Some(line), Some(page)) = (marker_line.first(), self.pages.get_mut(page_index))
            {
                let x = geo.area.x + text_x - LIST_MARKER_GAP_EM * size - line.width;
                let baseline = top + (self.ty.line - size) / 2.0 + super::ASCENT * size
                    - IDEOGRAPHIC_CENTRE * (size - marker_size);
                let p = Placement {
                    row: self.block,
                    ..Placement::area(geo.area, x, line.width, HAlign::Left, RunKind::Text)
                };
                push_line(&mut page.items, marker, line, x, baseline, 0.0, &p);
            }
        }
        self.y += self.ty.book.paragraph_gap_lines * self.ty.line;
    }

    /// A table in a chapter, at the text width, from where the text is.
    pub(super) fn inline_table(&mut self, table: &Table, at: &str) {
        let geo = self.text_geo;
        self.ensure(TABLE_KEEP_LINES * self.ty.line);
        if !self.at_top() {
            self.y += self.ty.book.table_gap_lines * self.ty.line;
        }
        let index = self.tables;
        self.tables += 1;
        let Some(page) = self.pages.pop() else {
            return;
        };
        self.kinds.pop();
        let first_page = self.pages.len();
        let mut ctx = TableCtx {
            geo: &geo,
            fonts: self.fonts,
            table,
            index,
            label: Some(format!("{at}, table")),
            first_page,
            missing: &mut self.missing,
            warnings: &mut self.warnings,
        };
        let y = self.y;
        let (pages, _, end) = layout_table_on(&mut ctx, page, y);
        page_limit(
            &mut self.warnings,
            &geo,
            &format!("{at}, table"),
            pages.len(),
        );
        for p in pages {
            self.pages.push(p);
            self.kinds.push(PageKind::Chapter);
        }
        self.y = end + self.ty.book.paragraph_gap_lines * self.ty.line;
    }
}

/// Measures a paragraph's spans as one text: bold in the heading face
/// (sans bold, as 黑体 marks emphasis in Chinese print), italic slanted
/// (no italic face is bundled).
pub(super) fn shape_spans(spans: &[Span], size: f32, fonts: &FontBook) -> Shaped {
    let pieces: Vec<Piece<'_>> = spans
        .iter()
        .map(|s| Piece {
            text: &s.text,
            role: if s.bold { Role::Header } else { Role::Body },
            slant: s.italic,
        })
        .collect();
    shape_pieces(&pieces, size, fonts)
}
