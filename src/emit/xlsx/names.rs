//! Sheet names: Excel's rules (31 UTF-16 units, no `[]:*?/\`, unique without regard to
//! case) applied so that every name stays readable.

use super::SHEET_NAME_MAX;
use super::SUMMARY_SHEET;
use crate::model::Model;
use std::collections::HashSet;

/// The sheet names of a workbook: [`SUMMARY_SHEET`], then one per project in model order.
pub fn sheet_names(model: &Model) -> Vec<String> {
    let mut namer = SheetNamer::new();
    let mut out = vec![SUMMARY_SHEET.to_string()];
    out.extend(model.projects.iter().map(|p| namer.name(&p.name)));
    out
}

/// Hands out valid, unique, readable sheet names. Excel compares names case-insensitively,
/// allows at most 31 UTF-16 units, forbids `[]:*?/\` and a leading or trailing `'`.
#[derive(Debug, Clone)]
pub struct SheetNamer {
    taken: HashSet<String>,
}

impl Default for SheetNamer {
    fn default() -> Self {
        Self::new()
    }
}

impl SheetNamer {
    /// A namer with the summary's name and Excel's reserved `History` already taken.
    pub fn new() -> Self {
        let taken = [SUMMARY_SHEET, "History"]
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
        SheetNamer { taken }
    }

    /// A sheet name for `wanted`: cleaned, shortened with `…` when too long, and made
    /// unique with `~2`, `~3`, … (the suffix never gets cut off).
    pub fn name(&mut self, wanted: &str) -> String {
        let base = clean_sheet_name(wanted);
        let mut n = 1u32;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("~{n}")
            };
            let candidate = fit_sheet_name(&base, &suffix);
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

fn clean_sheet_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = trim_sheet_edges(&replaced);
    if trimmed.is_empty() {
        "项目".to_string()
    } else {
        trimmed.to_string()
    }
}

fn trim_sheet_edges(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn fit_sheet_name(base: &str, suffix: &str) -> String {
    let budget = SHEET_NAME_MAX - utf16_len(suffix);
    if utf16_len(base) <= budget {
        return format!("{base}{suffix}");
    }
    // Keep room for the ellipsis that says the name was shortened.
    let mut cut = String::new();
    let mut used = 0;
    for c in base.chars() {
        if used + c.len_utf16() > budget - 1 {
            break;
        }
        used += c.len_utf16();
        cut.push(c);
    }
    let cut = trim_sheet_edges(&cut);
    format!("{cut}…{suffix}")
}
