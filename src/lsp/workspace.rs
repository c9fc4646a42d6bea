//! The workspace: every `.perf` file under the root, known by the identities of its
//! projects only (year, 实施单位, name, where), so the rule across files (PS104) sees the
//! files that are not open. A change re-checks the changed file alone; the rule across
//! files then runs over the identities, which costs no parsing.

use crate::check;
use crate::diag::Diagnostic;
use crate::model::Project;
use lsp_types::Uri;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files beyond this are not indexed (a workspace that is a whole disk).
const MAX_FILES: usize = 50_000;

#[derive(Default)]
pub struct Workspace {
    pub root: Option<PathBuf>,
    /// By display path (relative to the root), the order `perfspec check` reads files in.
    files: BTreeMap<String, Vec<Project>>,
}

/// What the rule across files needs of a project: not its indicators or goals.
fn identity(p: &Project) -> Project {
    Project {
        indicators: Vec::new(),
        goal_annual: String::new(),
        goal_total: None,
        ..p.clone()
    }
}

impl Workspace {
    pub fn new(root: Option<PathBuf>) -> Self {
        Workspace {
            root,
            files: BTreeMap::new(),
        }
    }

    /// The path diagnostics name: relative to the root when inside it.
    pub fn display(&self, path: &Path) -> String {
        let rel = self
            .root
            .as_deref()
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }

    /// Read and check every `.perf` file under the root (hidden folders and `target/`
    /// skipped, as `perfspec check` does), keeping the identities of their projects.
    pub fn scan(&mut self) {
        let Some(root) = self.root.clone() else {
            return;
        };
        let mut inputs = Vec::new();
        let walk = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !(name.starts_with('.') || (e.file_type().is_dir() && name == "target"))
            });
        for entry in walk.filter_map(Result::ok).take(MAX_FILES) {
            let p = entry.path();
            if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "perf") {
                if let Ok(bytes) = std::fs::read(p) {
                    inputs.push((self.display(p), bytes));
                }
            }
        }
        let report = check::check_all_diagnostics(inputs);
        for f in report.files {
            let projects = f.projects.iter().map(identity).collect();
            self.files.insert(f.path, projects);
        }
    }

    /// A file's projects changed (an edit, a save, a change on disk).
    pub fn update(&mut self, path: &str, projects: &[Project]) {
        self.files
            .insert(path.to_string(), projects.iter().map(identity).collect());
    }

    /// A file changed on disk and is not open: read and check it again.
    pub fn reload(&mut self, file: &Path) {
        let key = self.display(file);
        match std::fs::read(file) {
            Ok(bytes) => {
                let r = check::check_bytes(&key, &bytes);
                self.update(&key, &r.projects);
            }
            Err(_) => {
                self.files.remove(&key);
            }
        }
    }

    pub fn remove(&mut self, path: &str) {
        self.files.remove(path);
    }

    /// PS104 for every file, by display path.
    pub fn cross_file(&self) -> BTreeMap<&str, Vec<Diagnostic>> {
        let found =
            check::duplicate_projects(self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice())));
        self.files.keys().map(String::as_str).zip(found).collect()
    }
}

/// `file:` URI → path. Percent-escapes are decoded; other schemes have no path.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///C:/x` on Windows, `file:///home/x` elsewhere; a host is not supported.
    let path = rest.strip_prefix('/').map(|p| format!("/{p}"))?;
    let bytes = percent_decode(&path)?;
    let decoded = String::from_utf8(bytes).ok()?;
    #[cfg(windows)]
    let decoded = decoded
        .strip_prefix('/')
        .filter(|p| p.as_bytes().get(1) == Some(&b':'))
        .map(str::to_string)
        .unwrap_or(decoded);
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Path → `file:` URI, every byte outside the unreserved set and `/` percent-escaped.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (b == b':' && out.len() <= 10) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_cjk_and_spaces() {
        let p = Path::new("/tmp/规格 2026/热线.perf");
        let uri = path_to_uri(p).unwrap();
        assert!(
            uri.as_str().starts_with("file:///tmp/%E8%A7%84"),
            "{}",
            uri.as_str()
        );
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let vscode: Uri = "file:///tmp/a%20b/c.perf".parse().unwrap();
        assert_eq!(uri_to_path(&vscode), Some(PathBuf::from("/tmp/a b/c.perf")));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
    }
}
