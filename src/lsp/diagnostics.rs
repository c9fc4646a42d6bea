//! The checker's diagnostics as LSP diagnostics: the same codes, severities and messages as
//! `perfspec check`, the help as a second line, the other spans (the first declaration,
//! the stated total) as related information.

use super::position::Lines;
use crate::diag::{self, visible, Lang, Severity};
use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri};

/// What editors show as the diagnostic's source.
pub const SOURCE: &str = "perfspec";

pub fn to_lsp(
    d: &diag::Diagnostic,
    lines: &Lines<'_>,
    uri: &Uri,
    lang: Lang,
) -> lsp_types::Diagnostic {
    let mut message = visible(d.message.get(lang)).into_owned();
    if let Some(help) = &d.help {
        let label = match lang {
            Lang::Zh => "提示：",
            Lang::En => "help: ",
        };
        message.push('\n');
        message.push_str(label);
        message.push_str(&visible(help.get(lang)));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), lines.range(l.span)),
            message: visible(l.message.get(lang)).into_owned(),
        })
        .collect();
    lsp_types::Diagnostic {
        range: lines.range(d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}
