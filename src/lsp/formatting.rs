//! Whole-document formatting: exactly the text `perfspec fmt` writes, as one edit. A file
//! that `fmt` refuses (syntax errors) gets no edit.

use super::position::Lines;
use crate::fmt::format_source;
use lsp_types::TextEdit;

/// `None` when the text cannot be formatted; an empty list when it is already canonical.
pub fn format(text: &str) -> Option<Vec<TextEdit>> {
    let out = format_source(text).ok()?;
    if out == text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit::new(Lines::new(text).whole(), out)])
}
