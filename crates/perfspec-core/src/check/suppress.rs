//! `# perfspec: allow CODE[, CODE…]`: intended warnings, silenced visibly in the spec.
//!
//! At the end of a line it covers that line; on a line of its own it covers the block it
//! stands in: the whole file at top level, the project inside a project. Errors cannot be
//! silenced: a spec with an error is not a declaration.

use crate::diag::{Code, Diagnostic, Severity};
use crate::msg;
use crate::syntax::{Comment, ProjectItem, Span, TopItem};
use std::collections::HashMap;

pub(super) struct Allow {
    codes: Vec<String>,
    /// The range of source the comment covers.
    scope: Span,
    comment: Span,
}

fn parse_allow(c: &Comment) -> Option<Vec<String>> {
    let rest = c.text.trim().strip_prefix("perfspec:")?.trim();
    let rest = rest.strip_prefix("allow")?;
    Some(
        rest.split([',', '，', ' ', '\u{3000}'])
            .filter(|s| !s.is_empty())
            .map(|s| s.to_ascii_uppercase())
            .collect(),
    )
}

fn line_of(source: &str, span: Span) -> Span {
    let start = source[..span.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = source[span.end as usize..]
        .find('\n')
        .map_or(source.len(), |i| span.end as usize + i);
    Span::new(start, end)
}

/// The allow comments of one top-level item, added to `out`.
pub(super) fn collect_item(source: &str, item: &TopItem, out: &mut Vec<Allow>) {
    let mut push = |c: &Comment, scope: Span| {
        if let Some(codes) = parse_allow(c) {
            out.push(Allow {
                codes,
                scope,
                comment: c.span,
            });
        }
    };
    let whole = Span::new(0, source.len());
    match item {
        TopItem::Comment(c) => push(c, whole),
        TopItem::Field(f) => {
            if let Some(c) = &f.comment {
                push(c, line_of(source, f.span))
            }
        }
        TopItem::Project(p) => {
            if let Some(c) = &p.open_comment {
                push(c, p.span)
            }
            for it in &p.items {
                let (c, scope) = match it {
                    ProjectItem::Comment(c) => (Some(c), p.span),
                    ProjectItem::Indicator(i) => (i.comment.as_ref(), line_of(source, i.span)),
                    ProjectItem::Field(f) => (f.comment.as_ref(), line_of(source, f.span)),
                    ProjectItem::Period(f) => (f.comment.as_ref(), line_of(source, f.span)),
                    ProjectItem::Goal(g) => (g.comment.as_ref(), g.span),
                    ProjectItem::Actual(a) => (a.comment.as_ref(), line_of(source, a.span)),
                    ProjectItem::Points(x) => (x.comment.as_ref(), line_of(source, x.span)),
                    ProjectItem::Funding(f) | ProjectItem::Execution(f) => {
                        for fi in &f.items {
                            if let crate::syntax::FundingItem::Entry(e) = fi {
                                if let Some(c) = &e.comment {
                                    push(c, line_of(source, e.span));
                                }
                            }
                            if let crate::syntax::FundingItem::Comment(c) = fi {
                                push(c, f.span);
                            }
                        }
                        (f.open_comment.as_ref(), f.span)
                    }
                    _ => (None, p.span),
                };
                if let Some(c) = c {
                    push(c, scope);
                }
            }
        }
        _ => {}
    }
}

/// Drop the warnings `allows` silence; report allow comments naming no code (PS404).
pub(super) fn apply_allows(allows: &[Allow], diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let scopes = Scopes::new(allows);
    let mut out: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| {
            d.severity == Severity::Error || !scopes.allows(d.code.as_str(), d.primary.span)
        })
        .collect();
    for a in allows {
        for c in &a.codes {
            if Code::lookup(c).is_none() {
                out.push(
                    Diagnostic::new(
                        Code::PS404,
                        msg!(
                            "抑制注释中的代码 “{c}” 不存在",
                            "the allow comment names “{c}”, which is not a code"
                        ),
                        a.comment,
                        msg!("未知代码", "unknown code"),
                    )
                    .with_help(msg!(
                        "代码见 `perfspec explain`，例如 PS307",
                        "see `perfspec explain` for codes, e.g. PS307"
                    )),
                );
            }
        }
    }
    out
}

/// The scopes of the allow comments, by code, for a lookup in logarithmic time: a file with
/// thousands of allow comments and thousands of warnings was checked pair by pair.
struct Scopes<'a> {
    /// Per code: the scopes sorted by start, and for each the largest end among it and the
    /// scopes before it.
    by_code: HashMap<&'a str, (Vec<u32>, Vec<u32>)>,
}

impl<'a> Scopes<'a> {
    fn new(allows: &'a [Allow]) -> Self {
        let mut spans: HashMap<&'a str, Vec<Span>> = HashMap::new();
        for a in allows {
            for c in &a.codes {
                spans.entry(c.as_str()).or_default().push(a.scope);
            }
        }
        let by_code = spans
            .into_iter()
            .map(|(code, mut v)| {
                v.sort_by_key(|s| s.start);
                let starts = v.iter().map(|s| s.start).collect();
                let ends = v
                    .iter()
                    .scan(0, |max, s| {
                        *max = s.end.max(*max);
                        Some(*max)
                    })
                    .collect();
                (code, (starts, ends))
            })
            .collect();
        Scopes { by_code }
    }

    /// Whether an allow comment for `code` covers `span`: a scope starting at or before it
    /// that ends at or after it (an empty span needs only the start).
    fn allows(&self, code: &str, span: Span) -> bool {
        let Some((starts, ends)) = self.by_code.get(code) else {
            return false;
        };
        let n = starts.partition_point(|&s| s <= span.start);
        n > 0 && (span.end <= span.start || span.end <= ends[n - 1])
    }
}
