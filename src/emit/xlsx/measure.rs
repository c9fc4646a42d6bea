//! Widths and heights from the content: a column is as wide as the East Asian display
//! width of its text (a Chinese character counts two columns), a wrapped cell as tall as
//! its lines, within Excel's limits.

use super::sheet::Grid;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

/// One wrapped line of 11 pt CJK text, with room for the taller fallback fonts LibreOffice
/// uses where SimSun is missing (Noto CJK has a large line gap).
const LINE_HEIGHT: f64 = 16.0;
const ROW_PAD: f64 = 6.0;
/// Excel's hard limit on one row's height, in points.
pub(super) const MAX_ROW_HEIGHT: f64 = 409.0;
/// Column width units per display column: the width unit is the default font's digit, and
/// an 11 pt CJK glyph is a little more than two digits wide.
const WIDTH_PER_DISPLAY_COL: f64 = 1.1;

/// Display width with CJK counted as two columns.
pub(super) fn dw(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Column width (Excel units) that shows `display` columns of text.
pub(super) fn width_for(display: usize) -> f64 {
    (display as f64 * WIDTH_PER_DISPLAY_COL + 2.0).ceil()
}

/// How many lines `text` takes in a wrapped cell `width` units wide.
pub(super) fn lines_in(text: &str, width: f64) -> usize {
    let per_line = ((width - 2.5) / WIDTH_PER_DISPLAY_COL).max(1.0);
    text.split('\n')
        .map(|para| {
            let w = UnicodeWidthStr::width(para) as f64;
            // Latin words wrap at spaces, leaving lines a little short: allow for it.
            ((w * 1.05) / per_line).ceil().max(1.0) as usize
        })
        .sum::<usize>()
        .max(1)
}

pub(super) fn height_for(lines: usize) -> f64 {
    lines as f64 * LINE_HEIGHT + ROW_PAD
}

/// Track the tallest wrapped cell of each row; heights are set once at the end.
#[derive(Default)]
pub(super) struct Heights(HashMap<u32, usize>);

impl Heights {
    pub(super) fn need(&mut self, row: u32, text: &str, width: f64) {
        let lines = lines_in(text, width);
        let e = self.0.entry(row).or_insert(1);
        *e = (*e).max(lines);
    }
    pub(super) fn height(&self, r: u32) -> f64 {
        let lines = self.0.get(&r).copied().unwrap_or(1);
        height_for(lines).min(MAX_ROW_HEIGHT)
    }
    pub(super) fn apply(&self, g: &mut Grid<'_>, rows: std::ops::Range<u32>) {
        for r in rows {
            g.height(r, self.height(r));
        }
    }
}

pub(super) fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}
