//! Source text → syntax tree with spans. No I/O here: the CLI reads files.

mod ast;
mod parser;

pub use ast::*;
#[doc(hidden)]
pub use parser::parse_whole;
pub use parser::{parse, parse_number_text, Items, FIELD_WORDS, MAX_FILE_BYTES, MAX_LINE_BYTES};

/// Characters that count as white space in `.perf` files: ASCII space and tab, the
/// full-width space U+3000 that Word and Excel paste, and the no-break space.
pub fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}')
}

/// Collapse runs of white space (any of [`is_ws`]) into one ASCII space and trim the ends:
/// the meaning of a name does not depend on how it was spaced.
pub fn normalize_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_ws(c) {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}
