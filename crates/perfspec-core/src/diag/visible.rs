//! Text safe to show: invisible and bidirectional characters made visible.

/// Characters that must not reach a terminal or a review comment as they are (the
/// vocabulary's one set of invisible characters).
pub use crate::vocab::chars::is_invisible as is_unsafe_to_show;

/// Text for a terminal, a log or a review comment: each character of [`is_unsafe_to_show`]
/// written as `<U+202E>`, so a reviewer sees that it is there and nothing acts on it.
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe_to_show) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_to_show(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
