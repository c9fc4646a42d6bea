//! The house has no circles and no arrow running up (docs/architecture.md): each module
//! of both crates names only modules of a lower layer. Read from the source, so a new
//! `use` that runs up fails here, not in review.

mod common;

use std::path::Path;

/// Bottom to top. A module may use its own layer's module (itself) and any lower layer;
/// two modules of one layer do not use each other.
const LAYERS: &[&[&str]] = &[
    &["vocab"],
    &["diag", "msg"],
    &["syntax"],
    &["model"],
    &["check"],
    &["fmt", "diff", "filename"],
    &["emit", "import", "lsp"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The module a source file belongs to: its first path component under `src/`.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    Some(if name == "main" {
        "cli".into()
    } else {
        name.into()
    })
}

/// Every `crate::NAME` and `perfspec::NAME` in code (comments skipped).
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        for prefix in ["crate::", "perfspec::", "perfspec_core::"] {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                let before = rest[..at].chars().next_back();
                let after = &rest[at + prefix.len()..];
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let is_word_start =
                    !matches!(before, Some(c) if c.is_ascii_alphanumeric() || c == '_');
                if is_word_start && !name.is_empty() {
                    out.push((i + 1, name));
                }
                rest = after;
            }
        }
    }
    out
}

#[test]
fn no_module_uses_one_above_it_or_beside_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut wrong = Vec::new();
    let mut seen = 0;
    for src in [root.join("src"), root.join("crates/perfspec-core/src")] {
        for file in common::files_with_extension(&src, "rs") {
            let Some(module) = module_of(&src, &file) else {
                continue;
            };
            if module == "lib" {
                continue; // the crate roots only declare and re-export
            }
            let Some(own) = layer_of(&module) else {
                wrong.push(format!("{}: module {module} has no layer", file.display()));
                continue;
            };
            let text = std::fs::read_to_string(&file).expect("read source");
            for (line, used) in uses(&text) {
                seen += 1;
                let Some(theirs) = layer_of(&used) else {
                    continue; // an item of the crate root, e.g. a macro's `$crate::`
                };
                if used != module && (theirs >= own) && !(used == "msg" && module == "diag") {
                    wrong.push(format!(
                        "{}:{line}: {module} (layer {own}) uses {used} (layer {theirs})",
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(
        seen > 100,
        "the scan found only {seen} uses: is it reading the sources?"
    );
    assert!(
        wrong.is_empty(),
        "arrows running up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_core_crate_does_no_io() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/perfspec-core/src");
    let mut wrong = Vec::new();
    for file in common::files_with_extension(&root, "rs") {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for io in [
                "std::fs",
                "std::io",
                "std::net",
                "std::process",
                "std::env",
                "println!",
                "eprintln!",
            ] {
                if code.contains(io) {
                    wrong.push(format!("{}:{}: {io}", file.display(), i + 1));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "I/O in perfspec-core:\n{}",
        wrong.join("\n")
    );
}
