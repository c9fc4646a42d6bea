//! Positions in a file: byte offsets (what spans hold) ↔ lines and columns, counted in
//! characters (what the CLI and the JSON diagnostics show) or in UTF-16 code units (what the
//! Language Server Protocol counts). One index of line starts serves both.

/// Byte offset → line and column. Lines end at LF, CRLF and a lone CR, as the grammar,
/// miette and LSP read them.
pub struct LineIndex<'a> {
    pub(super) source: &'a str,
    /// Byte offset of each line's first character.
    pub(super) starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Byte offset of each line's first character.
    pub fn line_starts(&self) -> &[usize] {
        &self.starts
    }

    pub fn new(source: &'a str) -> Self {
        let bytes = source.as_bytes();
        let mut starts = vec![0];
        if !source.contains('\r') {
            // The usual case, found with memchr: this runs once per checked file.
            starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
            return LineIndex { source, starts };
        }
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex { source, starts }
    }

    /// The text the index is of.
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// How many lines the text has (a final line end starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.source.len());
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where the 0-based `line` starts (the end of the text past the last).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(self.source.len(), |&s| s)
    }

    /// The byte range of the 0-based `line` without its line end; `None` past the last line.
    pub fn line_bounds(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let next = self
            .starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.source.len());
        let body = &self.source[start..next];
        let end = next - (body.len() - body.trim_end_matches(['\n', '\r']).len());
        Some((start, end))
    }

    /// The 1-based line and column of a byte offset, the column counted in characters (so
    /// a caret after Chinese text lands where an editor shows it); a byte-order mark is not
    /// a column.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self
            .source
            .get(start..offset)
            .map(char_columns)
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }

    /// The 0-based line and column of a byte offset, the column counted in UTF-16 code
    /// units (what LSP calls a position: a CJK character of the Basic Multilingual Plane is
    /// one unit, one of CJK Extension B such as `𠀋` two). The offset is clamped to the text
    /// and down to a character boundary; every character counts, a byte-order mark too.
    pub fn utf16_position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self.source[start..offset]
            .chars()
            .map(char::len_utf16)
            .sum();
        (line, column)
    }

    /// The byte offset of a 0-based line and UTF-16 column ([`LineIndex::utf16_position`]
    /// the other way). A line past the end is the end of the text; a column past the end of
    /// its line is the line's end; a column inside a surrogate pair is the start of that
    /// character.
    pub fn utf16_offset(&self, line: usize, column: usize) -> usize {
        let Some((start, end)) = self.line_bounds(line) else {
            return self.source.len();
        };
        let mut units = 0usize;
        for (i, c) in self.source[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > column {
                return start + i;
            }
            units = next;
        }
        end
    }
}

/// Characters before a position on its line; a byte-order mark is not a column.
pub fn char_columns(prefix: &str) -> usize {
    prefix.trim_start_matches('\u{FEFF}').chars().count()
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn columns_in_characters_and_in_utf16_units() {
        let text = "\u{FEFF}年度 2026\n实施单位 𠀋市中心\r\n项目 x {\r  y\n";
        let ix = LineIndex::new(text);
        let at = text.find("市中心").unwrap();
        // 实施单位 (4) + space (1) + 𠀋: one character, two UTF-16 units.
        assert_eq!(ix.line_col(at), (2, 7));
        assert_eq!(ix.utf16_position(at), (1, 7));
        assert_eq!(ix.utf16_offset(1, 7), at);
        // Inside the surrogate pair: the start of 𠀋; inside a UTF-8 sequence: its start.
        assert_eq!(ix.utf16_offset(1, 6), text.find('𠀋').unwrap());
        assert_eq!(ix.utf16_position(at + 1), (1, 7));
        // The byte-order mark is a UTF-16 unit, not a column.
        assert_eq!(ix.line_col(text.find('年').unwrap()), (1, 1));
        assert_eq!(ix.utf16_position(text.find('年').unwrap()), (0, 1));
        // Past the line's end: before the CRLF; a lone CR ends a line.
        assert_eq!(ix.utf16_offset(1, 99), text.find("\r\n").unwrap());
        assert_eq!(ix.utf16_position(text.find('y').unwrap()), (3, 2));
        assert_eq!(ix.utf16_offset(9, 0), text.len());
        assert_eq!(ix.line_count(), 5);
    }
}
