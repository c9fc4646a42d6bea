//! An open document: its text, as the editor has it, and what the checker found in it.

use super::diagnostics::to_lsp;
use super::position::Lines;
use crate::check::{self, FileReport};
use crate::diag::{self, Diagnostic, Lang};
use crate::syntax::{self, SourceFile};
use lsp_types::Uri;

pub struct Document {
    pub uri: Uri,
    /// The path diagnostics name (relative to the workspace root when inside it).
    pub path: String,
    pub version: i32,
    pub text: String,
    /// The syntax tree of `text`, parsed once per change: the checker lowers it and the
    /// features (completion, hover, symbols, definition) read it.
    pub tree: SourceFile,
    /// The checker's report on `text`, model included (hover reads it).
    pub report: FileReport,
    /// Findings of the rules across files (PS104), from the workspace.
    pub cross: Vec<Diagnostic>,
}

impl Document {
    pub fn new(uri: Uri, path: String, version: i32, text: String) -> Self {
        let (tree, report) = parse_and_check(&path, &text);
        Document {
            uri,
            path,
            version,
            text,
            tree,
            report,
            cross: Vec::new(),
        }
    }

    /// Parse and check the text again (after a change): the same pipeline as `perfspec
    /// check`.
    pub fn recheck(&mut self) {
        (self.tree, self.report) = parse_and_check(&self.path, &self.text);
    }

    /// Every diagnostic of the document, in the order `perfspec check` prints them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .report
            .diagnostics
            .iter()
            .chain(&self.cross)
            .cloned()
            .collect();
        diag::sort(&mut all);
        all
    }

    pub fn lsp_diagnostics(&self, lang: Lang) -> Vec<lsp_types::Diagnostic> {
        let lines = Lines::new(&self.text);
        self.diagnostics()
            .into_iter()
            .map(|d| to_lsp(&d, &lines, &self.uri, lang))
            .collect()
    }
}

/// The text parsed once, and checked from that tree.
fn parse_and_check(path: &str, text: &str) -> (SourceFile, FileReport) {
    let (tree, syntax_diagnostics) = syntax::parse(text);
    let report = check::check_tree(path, text, &tree, &syntax_diagnostics);
    (tree, report)
}
