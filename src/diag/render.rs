//! Rendering: miette for people, one JSON object per line for machines.

use super::Span;
use super::{char_columns, is_unsafe_to_show, visible, Diagnostic, Lang, LineIndex, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub lang: Lang,
    pub color: bool,
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            lang: Lang::Zh,
            color: false,
            width: 100,
        }
    }
}

struct Miette<'a> {
    diag: &'a Diagnostic,
    lang: Lang,
    source: Source<'a>,
}

/// The file for miette, with columns counted in characters: miette's own `str` source counts
/// bytes, which puts the `file:line:col` header after Chinese text in the wrong column.
struct Source<'a> {
    name: String,
    /// The file, possibly cut short by `clip_long_line` (a prefix of `index`'s source).
    text: &'a str,
    index: &'a LineIndex<'a>,
    /// The lines around each label with invisible and control characters replaced
    /// (`shown_regions`): the byte range of `text` each stands for, and the replacement.
    shown: Vec<(usize, usize, String)>,
}

impl miette::SourceCode for Source<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        // miette counts lines from the start of the text it is given, so handing it the
        // whole file makes each diagnostic cost the size of the file (minutes for a file
        // with thousands of findings). Give it only the lines it shows; the line index says
        // where they are.
        let len = self.text.len();
        let offset = span.offset().min(len);
        let end = (offset + span.len()).min(len);
        let starts = self.index.line_starts();
        let line = self.index.line_of(offset);
        let mut first = line.saturating_sub(before);
        let last = self.index.line_of(end).saturating_add(after);
        let mut from = starts[first].min(len);
        // A label far into a long line (the end of a 200 KB line that lacks its
        // comparator) is shown from a little before it: `clip_long_line` cuts only what
        // follows the label.
        if offset.saturating_sub(starts[line]) > MAX_RENDERED_LINE {
            from = offset - MAX_RENDERED_LINE / 2;
            while !self.text.is_char_boundary(from) {
                from -= 1;
            }
            first = line;
        }
        let mut to = starts
            .get(last.saturating_add(1))
            .map_or(len, |&s| s.min(len));
        // Long lines around the label are context, not the finding: one before it is left
        // out, one after it cut short (a line of 200 KB next to a missing field printed
        // 200 KB for each of the project's diagnostics).
        let long = |l: usize| {
            let next = starts.get(l + 1).map_or(len, |&s| s.min(len));
            next.saturating_sub(starts[l]) > MAX_RENDERED_LINE
        };
        if (first..line).any(long) {
            first = line;
            from = from.max(starts[line].min(len));
        }
        let end_line = self.index.line_of(end);
        if let Some(l) = (end_line + 1..=last.min(starts.len() - 1)).find(|&l| long(l)) {
            to = (starts[l] + MAX_RENDERED_LINE).min(to);
            while !self.text.is_char_boundary(to) {
                to -= 1;
            }
        }
        let window = match self
            .shown
            .iter()
            .find(|(start, stop, _)| *start <= from && to <= *stop)
        {
            Some((start, _, text)) => &text[from - start..to - start],
            None => &self.text[from..to],
        };
        let local = SourceSpan::new((offset - from).into(), end - offset);
        let inner = window.read_span(&local, before, after)?;
        let line_start = starts[line].min(offset);
        let column = char_columns(&self.text[line_start..offset]);
        let at = SourceSpan::new((inner.span().offset() + from).into(), inner.span().len());
        // miette's line count runs from the start of the text (it decides from it whether
        // two labels share one snippet), so it is shifted like the line.
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            at,
            inner.line() + first,
            column,
            inner.line_count() + first,
        )))
    }
}

impl fmt::Debug for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&visible(self.diag.message.get(self.lang)))
    }
}

impl fmt::Display for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&visible(self.diag.message.get(self.lang)))
    }
}

impl std::error::Error for Miette<'_> {}

fn source_span(span: Span, len: usize) -> SourceSpan {
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    SourceSpan::new(start.into(), end - start)
}

impl miette::Diagnostic for Miette<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(visible(h.get(self.lang)).into_owned()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let len = self.source.text.len();
        let index = self.source.index;
        let d = self.diag;
        let primary = LabeledSpan::new_primary_with_span(
            Some(visible(d.primary.message.get(self.lang)).into_owned()),
            source_span(shown_span(index, d.primary.span), len),
        );
        let rest = d.secondary.iter().map(move |l| {
            LabeledSpan::new_with_span(
                Some(visible(l.message.get(self.lang)).into_owned()),
                source_span(shown_span(index, l.span), len),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

/// The human rendering: code, message, file name, the source line with the span underlined,
/// related spans, and the help line.
pub fn render_human(path: &str, source: &str, diag: &Diagnostic, opts: RenderOptions) -> String {
    render_human_indexed(path, &LineIndex::new(source), diag, opts)
}

/// [`render_human`] with the file's line index built once: rendering many diagnostics of one
/// file then costs the lines shown, not the size of the file each time.
pub fn render_human_indexed(
    path: &str,
    index: &LineIndex<'_>,
    diag: &Diagnostic,
    opts: RenderOptions,
) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false);
    let text = clip_long_line(index, diag);
    let wrapped = Miette {
        diag,
        lang: opts.lang,
        source: Source {
            name: visible(path).into_owned(),
            text,
            index,
            shown: shown_regions(text, index, diag),
        },
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &wrapped).is_err() {
        // Rendering into a String cannot fail in practice; fall back to the bare message.
        out = format!("{}: {}\n", diag.code, diag.message.get(opts.lang));
    }
    out
}

/// Labels spanning more lines than this (a whole text block or funding block named as the
/// other party of a clash) are shown by their first line: miette prints every line of a
/// label, so a duplicated 10,000-line goal would print 10,000 lines.
const MAX_LABEL_LINES: usize = 8;

/// The part of `span` a snippet shows: all of it, or its first line when it runs over
/// more than [`MAX_LABEL_LINES`] lines.
fn shown_span(index: &LineIndex<'_>, span: Span) -> Span {
    let (start, end) = (span.start as usize, span.end as usize);
    let first = index.line_of(start);
    if index.line_of(end) - first < MAX_LABEL_LINES {
        return span;
    }
    let stop = index
        .line_starts()
        .get(first + 1)
        .map_or(end, |&s| s.saturating_sub(1))
        .clamp(start, end);
    let line = index.source().get(start..stop).unwrap_or("");
    Span::new(start, start + line.trim_end_matches(['\r', '\n']).len())
}

/// The lines each label of a diagnostic shows, with every character of
/// [`is_unsafe_to_show`] replaced by a visible one of the same length in bytes (so spans
/// and line breaks stay where they are): `?`, `¿`, `�` or `🚫` for 1, 2, 3 or 4 bytes. A
/// byte-order mark that opens the file stays. Only regions holding something to replace
/// are returned. Each label's lines are taken on their own (overlapping ones merged), not
/// everything between the first label and the last: a duplicate that points back to line
/// 1 from line 40,000 costs its two snippets, not the 40,000 lines between them.
fn shown_regions(
    text: &str,
    index: &LineIndex<'_>,
    diag: &Diagnostic,
) -> Vec<(usize, usize, String)> {
    // miette shows the lines of a label with one line of context each side; three leave
    // room.
    const CONTEXT: usize = 3;
    let len = text.len();
    let starts = index.line_starts();
    let mut lines: Vec<(usize, usize)> = std::iter::once(diag.primary.span)
        .chain(diag.secondary.iter().map(|l| l.span))
        .map(|s| {
            let s = shown_span(index, s);
            let lo = (s.start as usize).min(len);
            let hi = (s.end as usize).clamp(lo, len);
            (
                index.line_of(lo).saturating_sub(CONTEXT),
                index.line_of(hi).saturating_add(CONTEXT),
            )
        })
        .collect();
    lines.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
    for (first, last) in lines {
        match merged.last_mut() {
            Some(prev) if first <= prev.1.saturating_add(1) => prev.1 = prev.1.max(last),
            _ => merged.push((first, last)),
        }
    }
    let mut out = Vec::new();
    for (first, last) in merged {
        let from = starts.get(first).map_or(len, |&s| s.min(len));
        let to = starts
            .get(last.saturating_add(1))
            .map_or(len, |&s| s.min(len))
            .max(from);
        let Some(region) = text.get(from..to) else {
            continue;
        };
        if !region.chars().any(is_unsafe_to_show) {
            continue;
        }
        let mut shown = String::with_capacity(region.len());
        for (i, c) in region.char_indices() {
            if !is_unsafe_to_show(c) || (from + i == 0 && c == '\u{FEFF}') {
                shown.push(c);
                continue;
            }
            shown.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                3 => '\u{FFFD}',
                _ => '\u{1F6AB}',
            });
        }
        out.push((from, to, shown));
    }
    out
}

/// Lines longer than this are cut after the labelled span when rendered, so a diagnostic on
/// a 10 MB line does not print 10 MB.
const MAX_RENDERED_LINE: usize = 400;

fn clip_long_line<'a>(index: &LineIndex<'a>, diag: &Diagnostic) -> &'a str {
    let source = index.source();
    let start = (diag.primary.span.start as usize).min(source.len());
    let end = (diag.primary.span.end as usize).clamp(start, source.len());
    // From the line index, not by searching the text: a file whose lines end in a lone CR
    // has no `\n` to find, and each diagnostic searched the whole file.
    let line_start = index.line_start(index.line_of(start));
    let next = index
        .line_start(index.line_of(end) + 1)
        .clamp(end, source.len());
    let line_end = end + source[end..next].trim_end_matches(['\r', '\n']).len();
    if line_end - line_start <= MAX_RENDERED_LINE {
        return source;
    }
    // A long span (a 50,000-character name) is cut too: its first few hundred characters
    // say enough.
    let mut cut = end
        .min(start + 4 * MAX_RENDERED_LINE)
        .max(line_start + MAX_RENDERED_LINE)
        .min(line_end);
    while !source.is_char_boundary(cut) {
        cut -= 1;
    }
    &source[..cut]
}

/// The machine-readable form, one object per line (`check --format json`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub severity: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte offsets into the file, for editors that work in bytes.
    pub start: u32,
    pub end: u32,
    pub message: &'a str,
    pub help: Option<&'a str>,
    /// The exact change the help names; the key is left out when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

/// `fix` of a JSON diagnostic: what it does and its edits, positioned like the diagnostic.
#[derive(Debug, Serialize)]
pub struct JsonFix<'a> {
    pub message: &'a str,
    pub edits: Vec<JsonEdit<'a>>,
}

#[derive(Debug, Serialize)]
pub struct JsonEdit<'a> {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub start: u32,
    pub end: u32,
    pub replacement: &'a str,
}

pub fn render_json_line(
    path: &str,
    index: &LineIndex<'_>,
    diag: &Diagnostic,
    lang: Lang,
) -> String {
    let (line, column) = index.line_col(diag.primary.span.start as usize);
    let (end_line, end_column) = index.line_col(diag.primary.span.end as usize);
    let j = JsonDiagnostic {
        code: diag.code.as_str(),
        severity: diag.severity.as_str(),
        file: path,
        line,
        column,
        end_line,
        end_column,
        start: diag.primary.span.start,
        end: diag.primary.span.end,
        message: diag.message.get(lang),
        help: diag.help.as_ref().map(|h| h.get(lang)),
        fix: diag.fix.as_ref().map(|f| JsonFix {
            message: f.message.get(lang),
            edits: f
                .edits
                .iter()
                .map(|e| {
                    let (line, column) = index.line_col(e.span.start as usize);
                    let (end_line, end_column) = index.line_col(e.span.end as usize);
                    JsonEdit {
                        line,
                        column,
                        end_line,
                        end_column,
                        start: e.span.start,
                        end: e.span.end,
                        replacement: &e.replacement,
                    }
                })
                .collect(),
        }),
    };
    serde_json::to_string(&j).unwrap_or_default()
}
