//! Syntax tree → checked model, with the rules that make a declaration trustworthy.
//! `lower/` turns a project's tree into the model (reporting only what makes that
//! impossible); `rules/` holds the rules, plain functions over the lowered project, one
//! file per family, registered in one list (`rules/mod.rs`).
//!
//! A file is checked one top-level item at a time (`file.rs`, the one path for text and
//! for trees): the header first, then each project is lowered and checked as soon as the
//! parser yields it, and its tree is dropped. Files are checked in parallel, in slices;
//! the rule across files (PS104) takes them in path order.

mod cx;
mod file;
mod lower;
mod rules;
mod suppress;

pub mod units;

pub use rules::{expected_target, unit_fits};

use crate::diag::{self, Code, Diagnostic, LineIndex};
use crate::model::{self, Model};
use crate::msg;
use crate::syntax::{SourceFile, Span};
#[cfg(feature = "parallel")]
use rayon::prelude::*;

/// One checked file: its text, model and diagnostics. The syntax tree is not kept: it is
/// as big as the model, nothing downstream reads it, and a city's folder of trees doubled
/// the memory of `check` (`syntax::parse` gives it to whoever needs it).
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as given (relative paths stay relative: outputs carry no absolute paths).
    pub path: String,
    /// The text, for showing diagnostics. [`check_all`] and [`check_all_diagnostics`]
    /// empty it for files without diagnostics.
    pub source: String,
    pub projects: Vec<model::Project>,
    pub diagnostics: Vec<Diagnostic>,
    /// Indicators over the file's projects; still right when [`check_all_diagnostics`]
    /// has dropped the indicators themselves.
    pub indicator_count: usize,
}

impl FileReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.is_error())
    }
    pub fn line_index(&self) -> LineIndex<'_> {
        LineIndex::new(&self.source)
    }
}

/// The result of checking a set of files.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.files.iter().any(|f| f.has_errors())
    }
    pub fn count(&self, severity: diag::Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }
    /// All projects, in file order, moved out of the report (what `build` emits: no copy).
    pub fn into_model(self) -> Model {
        Model {
            projects: self.files.into_iter().flat_map(|f| f.projects).collect(),
        }
    }
    /// All projects, in file order.
    pub fn model(&self) -> Model {
        Model {
            projects: self
                .files
                .iter()
                .flat_map(|f| f.projects.iter().cloned())
                .collect(),
        }
    }
}

/// Check one file given as text.
pub fn check_source(path: &str, source: &str) -> FileReport {
    check_text(path.to_string(), source.to_string(), false)
}

/// Check one file its caller has parsed already (`syntax::parse`, as the language server
/// does for its other features): the tree and the parser's diagnostics go in, the same
/// report as [`check_source`] comes out, without parsing the text again.
pub fn check_tree(
    path: &str,
    source: &str,
    tree: &SourceFile,
    syntax_diagnostics: &[Diagnostic],
) -> FileReport {
    let parts = file::check_tree(path, source, tree, syntax_diagnostics);
    report(path.to_string(), source.to_string(), parts)
}

fn report(
    path: String,
    source: String,
    (projects, diagnostics, indicator_count): (Vec<model::Project>, Vec<Diagnostic>, usize),
) -> FileReport {
    FileReport {
        path,
        source,
        indicator_count,
        projects,
        diagnostics,
    }
}

/// `check_source` on owned text: the text moves into the report instead of being copied
/// (a folder's worth of sources is the biggest single block of memory a check holds).
///
/// `lean`: each project keeps only its identity (what [`check_all_diagnostics`] promises),
/// dropped as soon as the project is checked, so a big file's model never exists whole.
fn check_text(path: String, source: String, lean: bool) -> FileReport {
    let parts = file::check_text(&path, &source, lean);
    report(path, source, parts)
}

/// Check one file given as bytes: refuses non-UTF-8 and binary content with PS006.
pub fn check_bytes(path: &str, bytes: &[u8]) -> FileReport {
    match decode(bytes) {
        Ok(text) => check_source(path, text),
        Err(d) => FileReport {
            path: path.to_string(),
            source: String::from_utf8_lossy(bytes).into_owned(),
            projects: Vec::new(),
            diagnostics: vec![*d],
            indicator_count: 0,
        },
    }
}

/// `check_bytes` on owned bytes: valid text moves into the report without a copy;
/// anything `decode` refuses takes the same path as in `check_bytes`.
fn check_owned(path: String, bytes: Vec<u8>, lean: bool) -> FileReport {
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\0') => check_text(path, text, lean),
        Ok(text) => check_bytes(&path, text.as_bytes()),
        Err(e) => check_bytes(&path, e.as_bytes()),
    }
}

fn decode(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        Box::new(
            Diagnostic::new(
                Code::PS006,
                msg!(
                    "文件不是 UTF-8 文本（第 {at} 字节处编码无效）",
                    "file is not UTF-8 text (invalid byte at offset {at})"
                ),
                Span::new(at, at),
                msg!("此处起无法按 UTF-8 读取", "not UTF-8 from here"),
            )
            .with_help(msg!(
                "用 UTF-8 编码另存此文件（如从 GBK 转换：iconv -f GBK -t UTF-8）",
                "save the file as UTF-8 (from GBK: iconv -f GBK -t UTF-8)"
            )),
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(Box::new(
            Diagnostic::new(
                Code::PS006,
                msg!(
                    "文件含 NUL 字节，像是二进制文件",
                    "file contains NUL bytes: it looks binary"
                ),
                Span::new(at, at),
                msg!("NUL 字节", "NUL byte"),
            )
            .with_help(msg!(
                "只检查 .perf 文本文件；若是从其他系统导出，请另存为纯文本",
                "check only .perf text files; re-save exported files as plain text"
            )),
        ));
    }
    Ok(text)
}

/// Check many files in parallel, then run the rules that look across files.
pub fn check_all(inputs: Vec<(String, Vec<u8>)>) -> Report {
    check_many(inputs, true)
}

/// `check_all` for callers that want the diagnostics, not the model (`perfspec check`):
/// the same diagnostics, but each project keeps only its identity (name, year, department,
/// unit, location), not its indicators and goals. Those are most of the model, and the
/// model is several times the size of the text: a city's folder then fits in a small
/// multiple of its own size. Never build outputs from such a report.
pub fn check_all_diagnostics(inputs: Vec<(String, Vec<u8>)>) -> Report {
    check_many(inputs, false)
}

fn check_many(inputs: Vec<(String, Vec<u8>)>, keep_model: bool) -> Report {
    // In slices, so a clean file's text is dropped soon after it is checked instead of all
    // texts living until the last file is done (they were a third of `build`'s peak). The
    // rule across files (PS104) reports a project where it is declared again, so a file's
    // findings are final once the files before it were seen. A slice is many times the
    // number of threads: the idle time at each slice's end stays small.
    const SLICE: usize = 256;
    let mut files: Vec<FileReport> = Vec::with_capacity(inputs.len());
    let mut duplicates = rules::DuplicateProjects::default();
    let mut inputs = inputs.into_iter();
    loop {
        let slice: Vec<_> = inputs.by_ref().take(SLICE).collect();
        if slice.is_empty() {
            break;
        }
        #[cfg(feature = "parallel")]
        let checked: Vec<FileReport> = slice
            .into_par_iter()
            .map(|(path, bytes)| check_owned(path, bytes, !keep_model))
            .collect();
        #[cfg(not(feature = "parallel"))]
        let checked: Vec<FileReport> = slice
            .into_iter()
            .map(|(path, bytes)| check_owned(path, bytes, !keep_model))
            .collect();
        for mut f in checked {
            let found = duplicates.next_projects(&f.path, &f.projects);
            f.diagnostics.extend(found);
            diag::sort(&mut f.diagnostics);
            // The text is kept only to show diagnostics.
            if f.diagnostics.is_empty() {
                f.source = String::new();
            }
            files.push(f);
        }
    }
    Report { files }
}

/// PS104 over a set of files given in path order as (path, projects): the findings of each
/// file, as [`check_all`] adds them. For callers that check files one at a time and keep
/// only the projects' identities of the others (`perfspec lsp`).
pub fn duplicate_projects<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [model::Project])>,
) -> Vec<Vec<Diagnostic>> {
    let mut duplicates = rules::DuplicateProjects::default();
    files
        .into_iter()
        .map(|(path, projects)| duplicates.next_projects(path, projects))
        .collect()
}
