//! Character classes: what counts as white space, and what is invisible.

/// White space in `.perf` files and in pasted forms: ASCII space and tab, the full-width
/// space U+3000 that Word and Excel paste, and the no-break space.
pub const SPACES: [char; 4] = [' ', '\t', '\u{3000}', '\u{00A0}'];

/// Whether `c` is one of [`SPACES`].
pub fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{00A0}')
}

/// Characters that change how text reads without showing themselves: bidi controls (the
/// "Trojan Source" family), zero-width and other invisible format characters, tag
/// characters, and control characters (an escape sequence can clear a terminal, retitle
/// the window or write the clipboard). Line ends and tabs are layout, not among them.
///
/// The checker warns about them (PS402), the importer removes them from cells (and says
/// so), and diagnostics, diffs and reports show them as `<U+202E>`.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
        | '\u{E0000}'..='\u{E007F}')
        || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

/// Collapse runs of white space (any of [`SPACES`]) into one ASCII space and trim the
/// ends: the meaning of a name does not depend on how it was spaced.
pub fn normalize_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if is_space(c) {
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
