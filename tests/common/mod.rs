//! Helpers shared by several test files (each test file is its own crate and uses a part).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Every file under `dir` whose name ends in `.ext`, recursively, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                walk(&p, ext, out);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, ext, &mut out);
    out.sort();
    out
}

/// `perfspec ARGS` in `dir`, without colour and with the default creation date.
pub fn perfspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run perfspec")
}

/// Turns a list of random numbers into choices; past the end it always picks the first
/// option, so shrinking moves toward the plainest spec.
pub struct Pick<'a> {
    pub xs: &'a [u32],
    pub i: usize,
}

impl Pick<'_> {
    pub fn n(&mut self, k: usize) -> usize {
        let x = self.xs.get(self.i).copied().unwrap_or(0);
        self.i += 1;
        x as usize % k.max(1)
    }
    pub fn one<'b>(&mut self, options: &[&'b str]) -> &'b str {
        options[self.n(options.len())]
    }
}

/// `python3` if it can import jsonschema. Missing: skip, unless PERFSPEC_REQUIRE_PYTHON=1
/// (CI installs it), where a missing validator fails the test instead of hiding it.
pub fn python_with_jsonschema() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some("python3");
    }
    assert!(
        std::env::var("PERFSPEC_REQUIRE_PYTHON").as_deref() != Ok("1"),
        "PERFSPEC_REQUIRE_PYTHON=1 but python3 cannot import jsonschema (pip install jsonschema)"
    );
    eprintln!("skipped: python3 with jsonschema not found (pip install jsonschema)");
    None
}
