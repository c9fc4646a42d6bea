//! Write a deterministic corpus of realistic declarations to a folder.
//!
//! `cargo run --release --example gen -- OUT_DIR PROJECTS [PROJECTS_PER_FILE]`

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen OUT_DIR PROJECTS [PROJECTS_PER_FILE]");
        std::process::exit(2);
    };
    let per_file = args
        .get(2)
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(10);
    let dir = Path::new(dir);
    let files = corpus::generate(n, per_file);
    for (rel, text) in &files {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("gen: cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    eprintln!(
        "gen: {n} projects in {} files under {}",
        files.len(),
        dir.display()
    );
}
