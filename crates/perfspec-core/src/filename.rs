//! File names made from names in the specs (`import` writes one spec per project, `build
//! --split` one output per unit or department): valid on every system, unique ignoring case.

use crate::syntax::normalize_spaces;
use std::collections::HashSet;

/// File name stems are at most this many bytes (whole characters kept).
pub const MAX_STEM_BYTES: usize = 100;

fn forbidden_in_file_name(c: char) -> bool {
    matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        || c.is_control()
        || crate::vocab::chars::is_invisible(c)
}

fn is_reserved_windows_name(stem: &str) -> bool {
    // Windows reserves these names whatever the extension (`CON.perf`, `nul.txt.perf`).
    let base = stem.split('.').next().unwrap_or(stem).trim_end_matches(' ');
    let upper = base.to_uppercase();
    if matches!(
        upper.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let mut chars = upper.chars();
    let head: String = chars.by_ref().take(3).collect();
    let tail: String = chars.collect();
    (head == "COM" || head == "LPT")
        && tail.chars().count() == 1
        && tail
            .chars()
            .all(|c| matches!(c, '0'..='9' | '¹' | '²' | '³'))
}

/// Keep at most `max` bytes of `s`, cutting only between characters.
fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn trim_edges(s: &str) -> &str {
    s.trim_matches(|c: char| c == '.' || c == ' ')
}

/// A file name stem from a name (of a project, a unit …) that is valid on Windows, macOS
/// and Linux: `<>:"/\|?*`, control and invisible characters removed, no leading or
/// trailing dots or spaces, no reserved device name (CON, NUL, COM1 …), at most
/// [`MAX_STEM_BYTES`] bytes; `fallback` when nothing is left.
pub fn safe_stem(name: &str, fallback: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !forbidden_in_file_name(*c))
        .collect();
    let collapsed = normalize_spaces(&kept);
    let mut stem = trim_edges(cut_bytes(trim_edges(&collapsed), MAX_STEM_BYTES)).to_string();
    if stem.is_empty() {
        stem = fallback.to_string();
    }
    if is_reserved_windows_name(&stem) {
        stem = trim_edges(cut_bytes(&format!("_{stem}"), MAX_STEM_BYTES)).to_string();
    }
    stem
}

/// `stem`, or `stem-2`, `stem-3`, … : the first not in `taken` (compared ignoring case, as
/// Windows and macOS do); the result is added to `taken` and still at most
/// [`MAX_STEM_BYTES`] bytes.
pub fn unique_stem(stem: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 1u32;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let base = trim_edges(cut_bytes(stem, MAX_STEM_BYTES - suffix.len())).to_string();
        let base = if base.is_empty() {
            "_".to_string()
        } else {
            base
        };
        let candidate = format!("{base}{suffix}");
        if taken.insert(candidate.to_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(name: &str) -> String {
        safe_stem(name, "无")
    }

    #[test]
    fn file_stems_are_safe_everywhere() {
        assert_eq!(safe("热线服务保障经费"), "热线服务保障经费");
        assert_eq!(safe("a/b\\c:d*e?f\"g<h>i|j"), "abcdefghij");
        assert_eq!(safe(" ..名称.. "), "名称");
        assert_eq!(safe("CON"), "_CON");
        assert_eq!(safe("nul.txt"), "_nul.txt");
        assert_eq!(safe("com1"), "_com1");
        assert_eq!(safe("COM10"), "COM10");
        assert_eq!(safe("a\nb\u{0}c"), "a bc");
        assert_eq!(safe("///"), "无");
        let long = "很".repeat(80);
        let s = safe(&long);
        assert!(s.len() <= MAX_STEM_BYTES && s.chars().all(|c| c == '很'));
        assert_eq!(s.len(), 99);
    }

    #[test]
    fn stems_made_unique_ignoring_case() {
        let mut taken = HashSet::new();
        assert_eq!(unique_stem("甲", &mut taken), "甲");
        assert_eq!(unique_stem("甲", &mut taken), "甲-2");
        assert_eq!(unique_stem("甲", &mut taken), "甲-3");
        assert_eq!(unique_stem("Ab", &mut taken), "Ab");
        assert_eq!(unique_stem("aB", &mut taken), "aB-2");
        let long = "很".repeat(33); // 99 bytes
        let first = unique_stem(&long, &mut taken);
        let second = unique_stem(&long, &mut taken);
        assert_eq!(first.len(), 99);
        assert!(second.ends_with("-2") && second.len() <= MAX_STEM_BYTES);
    }
}
