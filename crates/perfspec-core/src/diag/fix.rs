//! Fixes: the exact change a rule's help names, as text edits over byte ranges, so an editor
//! (`perfspec lsp`) or a script (`check --format json`) can apply it without re-reading the
//! help. A rule sets one only when the change is certain (a did-you-mean it is sure of, a
//! missing comparator read as `=`, a field to add); advice that needs judgement stays help.

use super::Msg;
use super::Span;

/// One replacement: the bytes of `span` become `replacement` (an empty span inserts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// A change that resolves a diagnostic: what it does, in both languages, and its edits
/// (non-overlapping, in source order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub message: Msg,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// Replace `span` with `text`.
    pub fn replace(message: Msg, span: Span, text: impl Into<String>) -> Self {
        Fix {
            message,
            edits: vec![Edit {
                span,
                replacement: text.into(),
            }],
        }
    }

    /// Insert `text` at byte offset `at`.
    pub fn insert(message: Msg, at: usize, text: impl Into<String>) -> Self {
        Fix::replace(message, Span::new(at, at), text)
    }

    /// Add another edit (kept in source order).
    pub fn and(mut self, span: Span, text: impl Into<String>) -> Self {
        self.edits.push(Edit {
            span,
            replacement: text.into(),
        });
        self.edits.sort_by_key(|e| (e.span.start, e.span.end));
        self
    }

    /// The text with the fix applied; `None` when an edit falls outside the text, off a
    /// character boundary, or overlaps another.
    pub fn apply(&self, source: &str) -> Option<String> {
        let mut out = String::with_capacity(source.len() + 16);
        let mut at = 0usize;
        for e in &self.edits {
            let (s, t) = (e.span.start as usize, e.span.end as usize);
            if s < at || t < s || !source.is_char_boundary(s) || !source.is_char_boundary(t) {
                return None;
            }
            out.push_str(source.get(at..s)?);
            out.push_str(&e.replacement);
            at = t;
        }
        out.push_str(source.get(at..)?);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    #[test]
    fn edits_apply_in_order_and_refuse_overlaps() {
        let f = Fix::replace(msg!("a", "a"), Span::new(0, 3), "x").and(Span::new(4, 4), "y");
        assert_eq!(f.apply("abc def").as_deref(), Some("x ydef"));
        let bad = Fix::replace(msg!("a", "a"), Span::new(0, 3), "x").and(Span::new(1, 2), "y");
        assert_eq!(bad.apply("abc"), None);
        assert_eq!(Fix::insert(msg!("a", "a"), 9, "x").apply("abc"), None);
    }
}
