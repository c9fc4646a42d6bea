//! Code actions: every diagnostic whose rule named an exact change (`Diagnostic::fix`)
//! becomes a quick fix. The edits are the checker's; this only turns byte ranges into
//! positions.

use super::diagnostics::to_lsp;
use super::document::Document;
use super::position::Lines;
use crate::diag::Lang;
use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, WorkspaceEdit};
use std::collections::HashMap;

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: lsp_types::Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// Whether a diagnostic at `at` is asked about: it touches the requested range, lies on the
/// line of a bare cursor, or is one of the diagnostics the client names.
fn wanted(at: Range, code: &str, range: Range, context: &[lsp_types::Diagnostic]) -> bool {
    let on_cursor_line = range.start == range.end
        && at.start.line <= range.start.line
        && range.start.line <= at.end.line;
    let named = context.iter().any(|d| {
        d.range == at && d.code == Some(lsp_types::NumberOrString::String(code.to_string()))
    });
    overlaps(at, range) || on_cursor_line || named
}

/// The quick fixes for the diagnostics that touch `range` (or that `context` names).
pub fn code_actions(
    doc: &Document,
    range: Range,
    context: &[lsp_types::Diagnostic],
    lang: Lang,
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(&doc.text);
    let mut out = Vec::new();
    for d in doc.diagnostics() {
        let Some(fix) = &d.fix else { continue };
        let at = lines.range(d.primary.span);
        if !wanted(at, d.code.as_str(), range, context) {
            continue;
        }
        let edits: Vec<TextEdit> = fix
            .edits
            .iter()
            .map(|e| TextEdit::new(lines.range(e.span), e.replacement.clone()))
            .collect();
        let title = match lang {
            Lang::Zh => format!("{}（{}）", fix.message.get(lang), d.code),
            Lang::En => format!("{} ({})", fix.message.get(lang), d.code),
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp(&d, &lines, &doc.uri, lang)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(doc.uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }),
            command: None,
            is_preferred: Some(true),
            disabled: None,
            data: None,
        }));
    }
    out
}
