//! What lowering and every rule need: where they are, and where to put what they find.

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::model::Loc;
use crate::syntax::Span;

pub(crate) struct Cx<'a> {
    /// The file's path, shared by every `Loc` of the file.
    pub file: std::sync::Arc<str>,
    pub source: &'a str,
    pub index: &'a LineIndex<'a>,
    pub diags: Vec<Diagnostic>,
    /// The parser's errors: lowering skips what already failed to parse, so one typo is one
    /// diagnostic (a malformed number is read as 0 and must not also break the sums).
    /// Sorted by start ([`sort_errors`]): a file of 100,000 broken lines asks about each
    /// of its spans, and a scan of the whole list each time was quadratic.
    pub syntax_errors: Vec<(Code, Span)>,
}

impl<'a> Cx<'a> {
    pub fn new(
        path: &str,
        source: &'a str,
        index: &'a LineIndex,
        syntax_errors: Vec<(Code, Span)>,
    ) -> Self {
        Cx {
            file: std::sync::Arc::from(path),
            source,
            index,
            diags: Vec::new(),
            syntax_errors,
        }
    }

    pub fn loc(&self, span: Span) -> Loc {
        let (line, column) = self.index.line_col(span.start as usize);
        Loc {
            file: self.file.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            span,
        }
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
    /// Whether the parser reported `code` inside `span`.
    pub fn syntax_error_in(&self, span: Span, code: Code) -> bool {
        let from = self
            .syntax_errors
            .partition_point(|(_, s)| s.start < span.start);
        self.syntax_errors[from..]
            .iter()
            .take_while(|(_, s)| s.start <= span.end)
            .any(|(c, s)| *c == code && s.end <= span.end)
    }
}

/// Syntax errors in the order [`Cx::syntax_error_in`] searches them.
pub(crate) fn sort_errors(errors: &mut [(Code, Span)]) {
    errors.sort_by_key(|(_, s)| s.start);
}
