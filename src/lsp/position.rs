//! Byte offsets (what the checker's spans hold) ↔ LSP positions (line, UTF-16 code unit).
//!
//! LSP counts columns in UTF-16 code units unless both sides agree otherwise: a CJK
//! character of the Basic Multilingual Plane is one unit, a character of CJK Extension B
//! (`𠀋`, four bytes in UTF-8) is two. Lines end at LF, CRLF or a lone CR, as the grammar
//! reads them and as LSP defines them.

use crate::diag::LineIndex;
use crate::syntax::Span;
use lsp_types::{Position, Range};

/// A text's positions as LSP types: the core's [`LineIndex`] (its UTF-16 columns), converted.
pub struct Lines<'a> {
    index: LineIndex<'a>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Lines {
            index: LineIndex::new(text),
        }
    }

    /// The position of a byte offset (clamped to the text, and down to a character
    /// boundary).
    pub fn position(&self, offset: usize) -> Position {
        let (line, column) = self.index.utf16_position(offset);
        Position::new(to_u32(line), to_u32(column))
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
        self.index
            .utf16_offset(pos.line as usize, pos.character as usize)
    }

    /// The whole text as a range, for an edit that replaces it.
    pub fn whole(&self) -> Range {
        Range::new(
            Position::new(0, 0),
            self.position(self.index.source().len()),
        )
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
