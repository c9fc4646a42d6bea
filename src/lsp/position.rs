//! Byte offsets (what the checker's spans hold) ↔ LSP positions (line, UTF-16 code unit).
//!
//! LSP counts columns in UTF-16 code units unless both sides agree otherwise: a CJK
//! character of the Basic Multilingual Plane is one unit, a character of CJK Extension B
//! (`𠀋`, four bytes in UTF-8) is two. Lines end at LF, CRLF or a lone CR, as the grammar
//! reads them and as LSP defines them.

use crate::syntax::Span;
use lsp_types::{Position, Range};

pub struct Lines<'a> {
    text: &'a str,
    /// Byte offset of each line's first character.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { text, starts }
    }

    /// The byte range of line `line` without its line end.
    fn line_bounds(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let body = &self.text[start..next];
        let end = next - (body.len() - body.trim_end_matches(['\n', '\r']).len());
        Some((start, end))
    }

    /// The position of a byte offset (clamped to the text, and down to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, span: Span) -> Range {
        Range::new(
            self.position(span.start as usize),
            self.position(span.end as usize),
        )
    }

    /// The byte offset of a position. A line past the end is the end of the text; a column
    /// past the end of its line is the line's end; a column inside a surrogate pair is the
    /// start of that character.
    pub fn offset(&self, pos: Position) -> usize {
        let Some((start, end)) = self.line_bounds(pos.line as usize) else {
            return self.text.len();
        };
        let want = pos.character as usize;
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > want {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// The whole text as a range, for an edit that replaces it.
    pub fn whole(&self) -> Range {
        Range::new(Position::new(0, 0), self.position(self.text.len()))
    }
}

/// Apply an LSP content change (a range replaced by new text) to `text`.
pub fn apply_change(text: &mut String, range: Option<Range>, new_text: &str) {
    match range {
        None => {
            text.clear();
            text.push_str(new_text);
        }
        Some(r) => {
            let lines = Lines::new(text);
            let start = lines.offset(r.start);
            let end = lines.offset(r.end).max(start);
            text.replace_range(start..end, new_text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_after_astral_characters() {
        let text = "年度 2026\n实施单位 𠀋市中心\r\n项目 x {\r  y\n";
        let l = Lines::new(text);
        let at = text.find("市中心").unwrap();
        // 实施单位 (4) + space (1) + 𠀋 (2 units)
        assert_eq!(l.position(at), Position::new(1, 7));
        assert_eq!(l.offset(Position::new(1, 7)), at);
        // Inside the surrogate pair: the start of 𠀋.
        assert_eq!(l.offset(Position::new(1, 6)), text.find('𠀋').unwrap());
        // Past the line's end: before the CRLF.
        assert_eq!(l.offset(Position::new(1, 99)), text.find("\r\n").unwrap());
        // A lone CR ends a line.
        assert_eq!(l.position(text.find('y').unwrap()), Position::new(3, 2));
        assert_eq!(l.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn changes_apply_at_utf16_positions() {
        let mut text = String::from("名称 𠀋𠀋 ≥ 1 件\n");
        apply_change(
            &mut text,
            Some(Range::new(Position::new(0, 8), Position::new(0, 9))),
            "≤",
        );
        assert_eq!(text, "名称 𠀋𠀋 ≤ 1 件\n");
        apply_change(&mut text, None, "x");
        assert_eq!(text, "x");
    }
}
