//! pest pairs → typed tree. Syntax errors become diagnostics with byte spans computed here
//! against the whole file (pest's own miette adapter miscounts columns after CJK text).

use super::ast::*;
use super::is_ws;
use crate::diag::{Code, Diagnostic, Fix, Msg};
use crate::msg;
use crate::vocab::keys::{Key, Place};
use crate::vocab::ops;
use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/perfspec.pest"]
struct PerfParser;

/// Larger files are refused with PS007 instead of being parsed.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Longer lines are refused with PS007: no real declaration has them, and they are the
/// usual sign of a binary or minified file given by mistake.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

fn set_call_limit() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // A runaway parse becomes an error instead of a hang; the limit is far above what
    // any line-oriented file needs because the grammar never nests.
    ONCE.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(200_000_000)));
}

/// Parse one file. Never fails: what cannot be read becomes error nodes and diagnostics.
///
/// The file is parsed one top-level item (a line, or a whole `项目 … { }` block) at a time
/// ([`Items`]): pest keeps a token for every rule it matched until the parse returns, and
/// for a whole file of thousands of projects that queue was ten times the size of the
/// file. Each item is parsed from its start to the end of the file, so every look-ahead
/// sees what a whole-file parse sees; [`parse_whole`] is the reference the tests compare
/// against.
pub fn parse(source: &str) -> (SourceFile, Vec<Diagnostic>) {
    let mut items = Items::new(source);
    let collected: Vec<TopItem> = items.by_ref().collect();
    let has_bom = items.has_bom;
    let (diags, complete) = items.finish();
    (
        SourceFile {
            has_bom,
            items: if complete { collected } else { Vec::new() },
            span: Span::new(0, source.len()),
        },
        diags,
    )
}

/// The top-level items of a file, parsed one at a time as they are taken, so a caller can
/// use each and drop it (the checker lowers a project as soon as it is parsed: the tree of
/// a whole big file never exists). [`parse`] collects them.
pub struct Items<'a> {
    p: Lowering<'a>,
    has_bom: bool,
    /// False once the file turned out unreadable (a limit, or pest gave up): then the file
    /// has no items at all, only the one PS007 diagnostic, whatever was yielded before.
    complete: bool,
}

impl<'a> Items<'a> {
    pub fn new(source: &'a str) -> Self {
        let has_bom = source.starts_with('\u{FEFF}');
        let mut items = Items {
            p: Lowering {
                src: source,
                base: if has_bom { '\u{FEFF}'.len_utf8() } else { 0 },
                diags: Vec::new(),
                open_run: None,
            },
            has_bom,
            complete: true,
        };
        if let Some(d) = check_limits(source) {
            items.fail(d);
        } else {
            set_call_limit();
        }
        items
    }

    /// The syntax diagnostics of the items taken so far.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.p.diags
    }

    /// The syntax diagnostics, and whether the file was read to its end (else everything
    /// yielded must be discarded: the file is one PS007).
    pub fn finish(self) -> (Vec<Diagnostic>, bool) {
        (self.p.diags, self.complete)
    }

    fn fail(&mut self, d: Diagnostic) {
        self.p.diags.clear();
        self.p.open_run = None;
        self.p.diags.push(d);
        self.complete = false;
        self.p.base = self.p.src.len();
    }
}

impl Iterator for Items<'_> {
    type Item = TopItem;

    fn next(&mut self) -> Option<TopItem> {
        let source = self.p.src;
        while self.complete && self.p.base < source.len() {
            let pair = match PerfParser::parse(Rule::top_item, &source[self.p.base..]) {
                Ok(mut pairs) => pairs.next(),
                Err(e) => {
                    let pos = self.p.base + error_offset(&e);
                    self.fail(unparsable(pos));
                    return None;
                }
            };
            // The grammar has a catch-all for every line, so an item always takes something.
            let Some(pair) = pair.filter(|pair| pair.as_span().end() > 0) else {
                let pos = self.p.base;
                self.fail(unparsable(pos));
                return None;
            };
            let len = pair.as_span().end();
            let item = pair
                .into_inner()
                .next()
                .and_then(|inner| self.p.top_item(inner));
            self.p.base += len;
            if item.is_some() {
                return item;
            }
        }
        None
    }
}

/// [`parse`] in one pest call over the whole file: the same result, with a token queue the
/// size of the file. Kept as the reference that `parse` is tested against.
pub fn parse_whole(source: &str) -> (SourceFile, Vec<Diagnostic>) {
    let mut p = Lowering {
        src: source,
        base: 0,
        diags: Vec::new(),
        open_run: None,
    };
    let empty = SourceFile {
        has_bom: source.starts_with('\u{FEFF}'),
        items: Vec::new(),
        span: Span::new(0, source.len()),
    };
    if let Some(d) = check_limits(source) {
        return (empty, vec![d]);
    }
    set_call_limit();
    let file = match PerfParser::parse(Rule::file, source) {
        Ok(mut pairs) => match pairs.next() {
            Some(pair) => p.file(pair),
            None => empty,
        },
        Err(e) => {
            // The grammar has a catch-all for every line, so this only happens on limits.
            p.diags.push(unparsable(error_offset(&e)));
            empty
        }
    };
    (file, p.diags)
}

/// Where pest stopped, as an offset into the text it was given.
fn error_offset(e: &pest::error::Error<Rule>) -> usize {
    match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

fn unparsable(pos: usize) -> Diagnostic {
    Diagnostic::new(
        Code::PS007,
        msg!("无法解析此文件", "the file could not be parsed"),
        Span::new(pos, pos),
        msg!("解析在此处停止", "parsing stopped here"),
    )
    .with_help(msg!(
        "文件结构过于复杂；请拆分为多个文件",
        "the file is too complex to parse; split it into several files"
    ))
}

fn check_limits(source: &str) -> Option<Diagnostic> {
    if source.len() > MAX_FILE_BYTES {
        return Some(
            Diagnostic::new(
                Code::PS007,
                {
                    let n = source.len();
                    msg!(
                        "文件过大（{n} 字节，上限 {MAX_FILE_BYTES} 字节）",
                        "file too large ({n} bytes, limit {MAX_FILE_BYTES})"
                    )
                },
                Span::new(0, 0),
                msg!("未解析此文件", "this file was not parsed"),
            )
            .with_help(msg!(
                "把项目拆分到多个 .perf 文件中",
                "split the projects over several .perf files"
            )),
        );
    }
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        if line.len() > MAX_LINE_BYTES {
            let end = start + floor_char_boundary(line, 80);
            return Some(
                Diagnostic::new(
                    Code::PS007,
                    {
                        let n = line.len();
                        msg!(
                            "行过长（{n} 字节，上限 {MAX_LINE_BYTES} 字节）",
                            "line too long ({n} bytes, limit {MAX_LINE_BYTES})"
                        )
                    },
                    Span::new(start, end),
                    msg!("这一行过长，文件未解析", "this line is too long; the file was not parsed"),
                )
                .with_help(msg!(
                    "检查是否误选了非 .perf 文件；长文本请分段写在 \"\"\" 文本块中",
                    "check that this is really a .perf file; write long text as paragraphs in a \"\"\" block"
                )),
            );
        }
        start += line.len();
    }
    None
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

struct Lowering<'s> {
    /// The whole file.
    src: &'s str,
    /// Where the item being lowered starts in `src`.
    base: usize,
    diags: Vec<Diagnostic>,
    /// The run of unclosed projects the last item continued, if any.
    open_run: Option<OpenRun>,
}

/// Unclosed projects one after the other (`项目 a {` lines never closed: each ends where
/// the next begins): one PS002 for all of them, not one per line. The checker skips their
/// rules (`check::Unclosed`).
struct OpenRun {
    /// Its PS002 in `diags`.
    diag: usize,
    /// The name of the first, and how many blocks the run holds.
    name: String,
    count: usize,
}

fn trim_span(src: &str, mut start: usize, mut end: usize) -> Span {
    let text = &src[start..end];
    let trimmed_start = text.trim_start_matches(is_ws);
    start += text.len() - trimmed_start.len();
    let trimmed = trimmed_start.trim_end_matches(|c: char| c == '\n' || c == '\r' || is_ws(c));
    end = start + trimmed.len();
    Span::new(start, end)
}

impl<'s> Lowering<'s> {
    /// A pair's span in the file: pest counts from the start of the item it was given.
    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.base + s.start(), self.base + s.end())
    }

    fn spanned_str(&self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_string(), self.span_of(pair))
    }

    /// The span of a line-shaped pair without its leading white space and line end.
    fn line_span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = self.span_of(pair);
        trim_span(self.src, s.start as usize, s.end as usize)
    }

    fn file(&mut self, pair: Pair<'s, Rule>) -> SourceFile {
        let span = self.span_of(&pair);
        let mut has_bom = false;
        let mut items = Vec::new();
        for p in pair.into_inner() {
            if p.as_rule() == Rule::bom {
                has_bom = true;
            } else if let Some(item) = self.top_item(p) {
                items.push(item);
            }
        }
        SourceFile {
            has_bom,
            items,
            span,
        }
    }

    fn top_item(&mut self, p: Pair<'s, Rule>) -> Option<TopItem> {
        if p.as_rule() != Rule::project {
            self.open_run = None;
        }
        Some(match p.as_rule() {
            Rule::blank_line => TopItem::Blank(self.span_of(&p)),
            Rule::comment_line => TopItem::Comment(self.comment_line(p)),
            Rule::header_field => TopItem::Field(self.field(p)),
            Rule::unit_decl => TopItem::UnitDecl(self.unit_decl(p)),
            Rule::project => TopItem::Project(self.project(p)),
            Rule::bad_line => TopItem::Error(self.bad_line(p, Context::Top)),
            _ => return None,
        })
    }

    fn comment(&self, pair: Pair<'s, Rule>) -> Comment {
        Comment {
            text: pair.as_str()[1..].to_string(),
            span: self.span_of(&pair),
        }
    }

    fn comment_line(&self, pair: Pair<'s, Rule>) -> Comment {
        let inner = pair.into_inner().find(|p| p.as_rule() == Rule::comment);
        match inner {
            Some(c) => self.comment(c),
            None => Comment {
                text: String::new(),
                span: Span::default(),
            },
        }
    }

    fn field(&mut self, pair: Pair<'s, Rule>) -> Field {
        let span = self.line_span(&pair);
        let mut key = Spanned::new(String::new(), span);
        let mut value = Spanned::new(String::new(), span);
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::header_key | Rule::field_key => key = self.spanned_str(&p),
                Rule::field_value => value = self.spanned_str(&p),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        Field {
            key,
            value,
            comment,
            span,
        }
    }

    /// `资金 待填`, `期间 待填`, `效益指标 待填`: a field whose value is the placeholder, when
    /// the key is one the placeholder may stand for (the funding block, the period, a
    /// category); any other key makes the line a bad one.
    fn placeholder_line(&mut self, pair: Pair<'s, Rule>) -> ProjectItem {
        let span = self.line_span(&pair);
        let mut key = Spanned::new(String::new(), span);
        let mut value = Spanned::new(String::new(), span);
        let mut comment = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::category => key = self.spanned_str(&p),
                Rule::to_fill => value = self.spanned_str(&p),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        let known = matches!(
            Key::from_word(&key.value),
            Some(Key::Funding | Key::Period | Key::Start | Key::End | Key::Weight)
        ) || crate::vocab::taxonomy::level1_of(&key.value).is_some();
        if !known {
            return ProjectItem::Error(self.bad_line(pair, Context::Project));
        }
        ProjectItem::Field(Field {
            key,
            value,
            comment,
            span,
        })
    }

    fn unit_decl(&mut self, pair: Pair<'s, Rule>) -> UnitDecl {
        let span = self.line_span(&pair);
        let mut unit = Spanned::new(String::new(), span);
        let mut dimension = Spanned::new(String::new(), span);
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::unit => unit = self.spanned_str(&p),
                Rule::word => dimension = self.spanned_str(&p),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        UnitDecl {
            unit,
            dimension,
            comment,
            span,
        }
    }

    fn project(&mut self, pair: Pair<'s, Rule>) -> Project {
        let full = self.span_of(&pair);
        let mut name = Spanned::new(String::new(), full);
        let mut open_comment = None;
        let mut open_span = full;
        let mut items = Vec::new();
        let mut close = None;
        let mut close_comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::project_open => {
                    open_span = self.line_span(&p);
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::project_name => name = self.name(q).0,
                            Rule::comment => open_comment = Some(self.comment(q)),
                            _ => {}
                        }
                    }
                }
                Rule::project_close => {
                    close = Some(self.line_span(&p));
                    close_comment = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::comment)
                        .map(|q| self.comment(q));
                }
                Rule::blank_line => items.push(ProjectItem::Blank(self.span_of(&p))),
                Rule::comment_line => items.push(ProjectItem::Comment(self.comment_line(p))),
                Rule::project_field => items.push(ProjectItem::Field(self.field(p))),
                Rule::period => {
                    if let Some(period) = self.period(p) {
                        items.push(ProjectItem::Period(period))
                    }
                }
                Rule::funding => items.push(ProjectItem::Funding(self.funding(p))),
                Rule::execution => items.push(ProjectItem::Execution(self.funding(p))),
                Rule::goal => items.push(ProjectItem::Goal(self.goal(p))),
                Rule::actual => {
                    if let Some(a) = self.actual(p) {
                        items.push(ProjectItem::Actual(a))
                    }
                }
                Rule::points => {
                    if let Some(pt) = self.points(p) {
                        items.push(ProjectItem::Points(pt))
                    }
                }
                Rule::indicator => match self.indicator(p) {
                    Ok(ind) => items.push(ProjectItem::Indicator(ind)),
                    Err(e) => items.push(ProjectItem::Error(e)),
                },
                Rule::to_fill_line => items.push(self.placeholder_line(p)),
                Rule::bad_line => {
                    items.push(ProjectItem::Error(self.bad_line(p, Context::Project)))
                }
                _ => {}
            }
        }
        let span = match close {
            Some(c) => {
                self.open_run = None;
                Span::new(open_span.start as usize, c.end as usize)
            }
            None if self.open_run.is_some() => {
                self.continue_open_run(open_span);
                let end = trim_span(self.src, open_span.start as usize, full.end as usize).end;
                Span::new(open_span.start as usize, end as usize)
            }
            None => {
                self.open_run = Some(OpenRun {
                    diag: self.diags.len(),
                    name: name.value.clone(),
                    count: 1,
                });
                self.diags.push(
                    Diagnostic::new(
                        Code::PS002,
                        {
                            let n = &name.value;
                            msg!(
                                "项目 “{n}” 缺少右花括号 }}",
                                "project “{n}” is missing its closing }}"
                            )
                        },
                        open_span,
                        msg!("这个块没有结束", "this block is never closed"),
                    )
                    .with_help(msg!(
                        "在项目的最后一个指标之后另起一行写 }}",
                        "add a line with }} after the project's last indicator"
                    )),
                );
                let end = trim_span(self.src, open_span.start as usize, full.end as usize).end;
                self.close_fix(open_span, end as usize);
                Span::new(open_span.start as usize, end as usize)
            }
        };
        Project {
            name,
            open_comment,
            items,
            close,
            close_comment,
            span,
        }
    }

    /// One more unclosed project right after an unclosed one: the run's PS002 says how many
    /// blocks it holds and points at the last, instead of a PS002 of its own.
    fn continue_open_run(&mut self, open_span: Span) {
        let Some(run) = self.open_run.as_mut() else {
            return;
        };
        run.count += 1;
        let (n, k) = (&run.name, run.count - 1);
        let Some(d) = self.diags.get_mut(run.diag) else {
            return;
        };
        d.message = msg!(
            "项目 “{n}” 及其后 {k} 个项目块都缺少右花括号 }}",
            "project “{n}” and the {k} project blocks after it are missing their closing }}"
        );
        d.primary.message = msg!(
            "从这里起的块都没有结束",
            "the blocks from here on are never closed"
        );
        d.secondary.clear();
        d.secondary.push(crate::diag::Label {
            span: open_span,
            message: msg!("最后一个未结束的块", "the last of them"),
        });
        d.help = Some(msg!(
            "每个 `项目 名称 {{` 块以单独一行的 }} 结束；多余的 `项目 … {{` 行请删除",
            "end each `项目 名称 {{` block with a line holding }}; delete the `项目 … {{` lines left over"
        ));
    }

    /// A quoted or bare name; quoted names may escape `"` and `\` with a backslash.
    fn name(&mut self, pair: Pair<'s, Rule>) -> (Spanned<String>, bool) {
        let span = self.span_of(&pair);
        let inner = pair.into_inner().next();
        match inner {
            Some(q) if q.as_rule() == Rule::quoted => {
                (Spanned::new(unquote(q.as_str()), span), true)
            }
            Some(b) => (Spanned::new(b.as_str().to_string(), span), false),
            None => (Spanned::new(String::new(), span), false),
        }
    }

    fn period(&mut self, pair: Pair<'s, Rule>) -> Option<Period> {
        let span = self.line_span(&pair);
        let mut key = Spanned::new(String::new(), span);
        let mut dates = Vec::new();
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::period_key => key = self.spanned_str(&p),
                Rule::date => dates.push(Spanned::new(self.date(&p), self.span_of(&p))),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        let mut dates = dates.into_iter();
        let start = dates.next()?;
        let end = dates.next();
        if key.value == "期间" && end.is_none() {
            self.diags.push(
                Diagnostic::new(
                    Code::PS001,
                    msg!(
                        "期间需要开始和完成两个日期",
                        "期间 needs a start and an end date"
                    ),
                    span,
                    msg!("只有一个日期", "only one date"),
                )
                .with_help(msg!(
                    "写成 `期间 2026-01-01 至 2026-12-31`",
                    "write `期间 2026-01-01 至 2026-12-31`"
                )),
            );
        }
        Some(Period {
            key,
            start,
            end,
            comment,
            span,
        })
    }

    fn date(&mut self, pair: &Pair<'s, Rule>) -> DateLit {
        let text = pair.as_str();
        let parts: Vec<u32> = text
            .split(['-', '/', '年', '月', '日'])
            .filter(|s| !s.is_empty())
            .map(|s| ascii_digits(s).parse::<u32>().unwrap_or(0))
            .collect();
        let date = DateLit {
            year: parts.first().copied().unwrap_or(0).min(9999) as u16,
            month: parts.get(1).copied().unwrap_or(0).min(99) as u8,
            day: parts.get(2).copied().unwrap_or(0).min(99) as u8,
        };
        if !date.is_valid() {
            self.diags.push(
                Diagnostic::new(
                    Code::PS005,
                    msg!("日期 {text} 不存在", "date {text} does not exist"),
                    self.span_of(pair),
                    msg!("无效日期", "invalid date"),
                )
                .with_help(msg!(
                    "日期写成 YYYY-MM-DD，例如 2026-12-31",
                    "write dates as YYYY-MM-DD, e.g. 2026-12-31"
                )),
            );
        }
        date
    }

    fn number(&mut self, pair: &Pair<'s, Rule>) -> Spanned<NumberLit> {
        let span = self.span_of(pair);
        match parse_number_text(pair.as_str()) {
            Ok(n) => Spanned::new(n, span),
            Err(problem) => {
                self.diags
                    .push(problem.into_diagnostic(pair.as_str(), span));
                Spanned::new(
                    NumberLit {
                        value: Decimal::ZERO,
                        grouped: false,
                    },
                    span,
                )
            }
        }
    }

    fn funding(&mut self, pair: Pair<'s, Rule>) -> Funding {
        let full = self.span_of(&pair);
        let mut open_span = full;
        let mut open_comment = None;
        let mut items = Vec::new();
        let mut close = None;
        let mut close_comment = None;
        let execution = pair.as_rule() == Rule::execution;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::funding_open | Rule::execution_open => {
                    open_span = self.line_span(&p);
                    open_comment = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::comment)
                        .map(|q| self.comment(q));
                }
                Rule::funding_close => {
                    close = Some(self.line_span(&p));
                    close_comment = p
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::comment)
                        .map(|q| self.comment(q));
                }
                Rule::blank_line => items.push(FundingItem::Blank(self.span_of(&p))),
                Rule::comment_line => items.push(FundingItem::Comment(self.comment_line(p))),
                Rule::funding_entry => {
                    let span = self.line_span(&p);
                    let mut key = Spanned::new(String::new(), span);
                    let mut amount = None;
                    let mut unit = None;
                    let mut comment = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::word => key = self.spanned_str(&q),
                            Rule::number => amount = Some(self.number(&q)),
                            Rule::unit => unit = Some(self.spanned_str(&q)),
                            Rule::comment => comment = Some(self.comment(q)),
                            _ => {}
                        }
                    }
                    if let Some(amount) = amount {
                        items.push(FundingItem::Entry(FundingEntry {
                            key,
                            amount,
                            unit,
                            comment,
                            span,
                        }));
                    }
                }
                Rule::bad_line => {
                    items.push(FundingItem::Error(self.bad_line(p, Context::Funding)))
                }
                _ => {}
            }
        }
        let span = match close {
            Some(c) => Span::new(open_span.start as usize, c.end as usize),
            None => {
                let block = if execution { "预算执行" } else { "资金" };
                self.diags.push(
                    Diagnostic::new(
                        Code::PS002,
                        msg!(
                            "{block}块缺少右花括号 }}",
                            "the {block} block is missing its closing }}"
                        ),
                        open_span,
                        msg!("这个块没有结束", "this block is never closed"),
                    )
                    .with_help(msg!(
                        "在最后一个资金项之后另起一行写 }}",
                        "add a line with }} after the last funding entry"
                    )),
                );
                let span = trim_span(self.src, open_span.start as usize, full.end as usize);
                self.close_fix(open_span, span.end as usize);
                span
            }
        };
        Funding {
            open_comment,
            items,
            close,
            close_comment,
            span,
        }
    }

    fn goal(&mut self, pair: Pair<'s, Rule>) -> Goal {
        let span = self.line_span(&pair);
        let mut key = Spanned::new(String::new(), span);
        let mut text = Spanned::new(String::new(), span);
        let mut block = false;
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::goal_key => key = self.spanned_str(&p),
                Rule::field_value => text = self.spanned_str(&p),
                Rule::comment => comment = Some(self.comment(p)),
                Rule::text_block => {
                    block = true;
                    let open = self.span_of(&p);
                    let mut lines = Vec::new();
                    let mut closed = false;
                    let mut first = None;
                    let mut last = open.start as usize;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::text_line => {
                                let s = self.span_of(&q);
                                first.get_or_insert(s.start as usize);
                                last = s.end as usize;
                                lines.push(q.as_str().trim_end_matches(['\n', '\r']));
                            }
                            Rule::text_close => {
                                closed = true;
                                comment = q
                                    .into_inner()
                                    .find(|c| c.as_rule() == Rule::comment)
                                    .map(|c| self.comment(c));
                            }
                            _ => {}
                        }
                    }
                    let tspan = match first {
                        Some(f) => trim_span(self.src, f, last),
                        None => Span::new(open.start as usize, open.start as usize + 3),
                    };
                    text = Spanned::new(dedent(&lines), tspan);
                    if !closed {
                        let opener = Span::new(open.start as usize, open.start as usize + 3);
                        self.diags.push(
                            Diagnostic::new(
                                Code::PS003,
                                msg!("文本块没有结束", "text block is not closed"),
                                opener,
                                msg!(
                                    "从这里开始的文本一直延续到文件末尾",
                                    "the text from here runs to the end of the file"
                                ),
                            )
                            .with_help(msg!(
                                "在文本最后另起一行，只写 \"\"\"",
                                "end the text with a line holding only \"\"\""
                            )),
                        );
                    }
                }
                _ => {}
            }
        }
        let span = if block {
            Span::new(span.start as usize, span.end.max(text.span.end) as usize)
        } else {
            span
        };
        Goal {
            key,
            text,
            block,
            comment,
            span,
        }
    }

    fn actual(&mut self, pair: Pair<'s, Rule>) -> Option<Actual> {
        let span = self.line_span(&pair);
        let mut key = None;
        let mut op = None;
        let mut value = None;
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::actual_key => key = Some(self.spanned_str(&p)),
                Rule::op => op = Some(Spanned::new(parse_op(p.as_str()), self.span_of(&p))),
                Rule::value => value = Some(self.value(p)),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        Some(Actual {
            key: key?,
            op,
            value: value?,
            comment,
            span,
        })
    }

    fn points(&mut self, pair: Pair<'s, Rule>) -> Option<Points> {
        let span = self.line_span(&pair);
        let mut key = None;
        let mut number = None;
        let mut unit = None;
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::points_key => key = Some(self.spanned_str(&p)),
                Rule::number => number = Some(self.number(&p)),
                Rule::unit => unit = Some(self.spanned_str(&p)),
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        Some(Points {
            key: key?,
            number: number?,
            unit,
            comment,
            span,
        })
    }

    fn indicator(&mut self, pair: Pair<'s, Rule>) -> Result<Indicator, ErrorNode> {
        let span = self.line_span(&pair);
        let mut category = Spanned::new(String::new(), span);
        let mut name = Spanned::new(String::new(), span);
        let mut quoted = false;
        let mut op = None;
        let mut value = None;
        let mut comment = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::category => category = self.spanned_str(&p),
                Rule::indicator_name => {
                    let (n, q) = self.name(p);
                    name = n;
                    quoted = q;
                }
                Rule::target => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::op => {
                                op = Some(Spanned::new(parse_op(q.as_str()), self.span_of(&q)))
                            }
                            Rule::value => value = Some(self.value(q)),
                            Rule::bare_value => value = Some(self.number_value(q)),
                            _ => {}
                        }
                    }
                }
                Rule::comment => comment = Some(self.comment(p)),
                _ => {}
            }
        }
        let error_node = |src: &str| ErrorNode {
            text: src[span.range()].to_string(),
            span,
        };
        let Some(value) = value else {
            return Err(error_node(self.src));
        };
        // Look-alikes pasted from a symbol table or another script would otherwise be read
        // as something else without a word: `数 ≽ 90 件` as the name `数 ≽` with `= 90`,
        // `≥ ٣ 件` as the word `٣ 件`. Refused, saying which character it is.
        if op.is_none() && !quoted {
            if let Some(d) = lookalike_comparator_in(&name.value, name.span.start as usize) {
                self.diags.push(d);
                return Err(error_node(self.src));
            }
        }
        if let ValueLit::Text(t) = &value.value {
            if let Some(d) = lookalike_digit_at_start(t, value.span) {
                self.diags.push(d);
                return Err(error_node(self.src));
            }
        }
        Ok(Indicator {
            category,
            name,
            quoted,
            op,
            value,
            comment,
            span,
        })
    }

    fn value(&mut self, pair: Pair<'s, Rule>) -> Spanned<ValueLit> {
        let span = self.span_of(&pair);
        let Some(inner) = pair.clone().into_inner().next() else {
            return Spanned::new(ValueLit::Text(String::new()), span);
        };
        match inner.as_rule() {
            Rule::date => Spanned::new(ValueLit::Date(self.date(&inner)), span),
            Rule::range => {
                let mut nums = Vec::new();
                let mut unit = None;
                for q in inner.into_inner() {
                    match q.as_rule() {
                        Rule::number => nums.push(self.number(&q)),
                        Rule::unit => unit = Some(self.spanned_str(&q)),
                        _ => {}
                    }
                }
                let mut it = nums.into_iter();
                match (it.next(), it.next()) {
                    (Some(low), Some(high)) => {
                        Spanned::new(ValueLit::Range { low, high, unit }, span)
                    }
                    _ => Spanned::new(ValueLit::Text(pair.as_str().to_string()), span),
                }
            }
            Rule::qualitative => Spanned::new(ValueLit::Text(inner.as_str().to_string()), span),
            Rule::quoted => Spanned::new(ValueLit::Text(unquote(inner.as_str())), span),
            _ => self.number_value(pair),
        }
    }

    /// `number unit?` out of a `value` or `bare_value` pair.
    fn number_value(&mut self, pair: Pair<'s, Rule>) -> Spanned<ValueLit> {
        let span = self.span_of(&pair);
        let mut number = None;
        let mut unit = None;
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::number => number = Some(self.number(&q)),
                Rule::unit => unit = Some(self.spanned_str(&q)),
                _ => {}
            }
        }
        match number {
            Some(number) => Spanned::new(ValueLit::Number { number, unit }, span),
            None => Spanned::new(ValueLit::Text(String::new()), span),
        }
    }

    /// The fix of the PS002 just pushed: a `}` line, indented like the block's opening
    /// line, after the block's last line (`end`).
    /// No fix when an unclosed text block (PS003) inside took the `}`: it would take the
    /// new one too.
    fn close_fix(&mut self, open: Span, end: usize) {
        let swallowed = self
            .diags
            .iter()
            .any(|d| d.code == Code::PS003 && d.primary.span.start >= open.start);
        if swallowed {
            return;
        }
        let line = self.src.get(open.range()).unwrap_or_default();
        let indent: String = line.chars().take_while(|c| is_ws(*c)).collect();
        if let Some(d) = self.diags.last_mut() {
            d.fix = Some(Fix::insert(
                msg!(
                    "在块末尾另起一行写 }}",
                    "add a line with }} at the end of the block"
                ),
                end,
                format!("\n{indent}}}"),
            ));
        }
    }

    fn bad_line(&mut self, pair: Pair<'s, Rule>, ctx: Context) -> ErrorNode {
        let span = self.line_span(&pair);
        let text = self.src[span.range()].to_string();
        let d = explain_bad_line(&text, span, ctx);
        self.diags.push(d);
        ErrorNode { text, span }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Top,
    Project,
    Funding,
}

fn parse_op(s: &str) -> Op {
    // The grammar's `op` rule accepts only spellings of the vocabulary.
    ops::from_spelling(s).unwrap_or(Op::Eq)
}

fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            '，' => ',',
            c => c,
        })
        .collect()
}

/// What is wrong with a number's spelling.
pub enum NumberProblem {
    Grouping,
    TooLarge,
}

impl NumberProblem {
    fn into_diagnostic(self, text: &str, span: Span) -> Diagnostic {
        // A runaway number (a pasted column of digits) is quoted by its start only.
        let shortened;
        let text = if text.chars().count() > 40 {
            shortened = format!("{}…", text.chars().take(40).collect::<String>());
            shortened.as_str()
        } else {
            text
        };
        match self {
            NumberProblem::Grouping => Diagnostic::new(
                Code::PS004,
                msg!(
                    "数字 {text} 的千位分隔符位置不对",
                    "thousands separators of {text} are misplaced"
                ),
                span,
                msg!("分隔符应每三位一个", "separators go every three digits"),
            )
            .with_help(msg!(
                "写成 1,813,200.00 或不加分隔符 1813200.00",
                "write 1,813,200.00, or no separators at all: 1813200.00"
            )),
            NumberProblem::TooLarge => Diagnostic::new(
                Code::PS004,
                msg!(
                    "数字 {text} 超出可精确表示的范围",
                    "number {text} has more digits than can be held exactly"
                ),
                span,
                msg!("最多 28 位有效数字", "at most 28 significant digits"),
            )
            .with_help(msg!("检查是否多写了数字", "check for extra digits")),
        }
    }
}

/// The text of a `quoted` pair: without its quotes, `\"` and `\\` unescaped.
fn unquote(raw: &str) -> String {
    let body = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Read a number as the grammar accepts it: full-width digits, `,` `，` `_` separators in
/// groups of three, any number of decimals. The value is exact.
pub fn parse_number_text(text: &str) -> Result<NumberLit, NumberProblem> {
    let ascii = ascii_digits(text);
    let (int_part, _) = ascii.split_once('.').unwrap_or((&ascii, ""));
    let unsigned = int_part.trim_start_matches(['-', '+']);
    let grouped = unsigned.contains([',', '_']);
    if grouped {
        let groups: Vec<&str> = unsigned.split([',', '_']).collect();
        let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(NumberProblem::Grouping);
        }
    }
    let plain: String = ascii
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | '+'))
        .collect();
    let value = Decimal::from_str_exact(&plain)
        .or_else(|_| Decimal::from_str(&plain))
        .map_err(|_| NumberProblem::TooLarge)?;
    // from_str may round away digits it cannot hold; exactness matters for money.
    if value.to_string().trim_start_matches('-').len() + 1 < plain.trim_start_matches('-').len() {
        return Err(NumberProblem::TooLarge);
    }
    Ok(NumberLit { value, grouped })
}

/// Remove the block's common indentation, trim each line's end, drop leading and trailing
/// blank lines and keep one empty line between paragraphs.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.chars().all(is_ws))
        .map(|l| l.chars().take_while(|c| is_ws(*c)).count())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    let mut blank_pending = false;
    for line in lines {
        let body: String = line.chars().skip(indent).collect();
        let body = body.trim_end_matches(is_ws);
        if body.chars().all(is_ws) {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_pending {
                out.push('\n');
            }
        }
        blank_pending = false;
        out.push_str(body);
    }
    out
}

/// The comparator a look-alike character stands for, as it should be written.
fn lookalike_comparator(c: char) -> Option<&'static str> {
    ops::lookalike(c).map(Op::symbol)
}

fn lookalike_comparator_in(text: &str, at: usize) -> Option<Diagnostic> {
    let (i, c, meant) = text
        .char_indices()
        .find_map(|(i, c)| lookalike_comparator(c).map(|m| (i, c, m)))?;
    let code = format!("U+{:04X}", c as u32);
    Some(
        Diagnostic::new(
            Code::PS001,
            msg!(
                "“{c}”（{code}）不是比较符",
                "“{c}” ({code}) is not a comparator"
            ),
            Span::new(at + i, at + i + c.len_utf8()),
            msg!("形似 {meant}", "looks like {meant}"),
        )
        .with_help(msg!(
            "改写为 {meant}；比较符只用 ≥ ≤ = > <（或 >= <= 与全角 ＝ ＞ ＜）",
            "write {meant}; comparators are ≥ ≤ = > < (or >= <= and the full-width ＝ ＞ ＜)"
        ))
        .with_fix(Fix::replace(
            msg!("改写为 {meant}", "write {meant}"),
            Span::new(at + i, at + i + c.len_utf8()),
            meant,
        )),
    )
}

/// A numeric character that is not a digit the grammar reads (0–9, ０–９): Arabic-Indic
/// `٣`, mathematical `𝟗`, `〇`, superscripts. Roman numerals are left alone: `Ⅱ级` is a word.
/// The digit meant, when known.
fn lookalike_digit(c: char) -> Option<Option<u32>> {
    if c.is_ascii_digit() || ('０'..='９').contains(&c) || ('\u{2160}'..='\u{2188}').contains(&c)
    {
        return None;
    }
    if !c.is_numeric() {
        return None;
    }
    let u = c as u32;
    let value = match u {
        0x0660..=0x0669 => Some(u - 0x0660),
        0x06F0..=0x06F9 => Some(u - 0x06F0),
        0x0966..=0x096F => Some(u - 0x0966),
        0x1D7CE..=0x1D7FF => Some((u - 0x1D7CE) % 10),
        0x3007 => Some(0),
        _ => None,
    };
    Some(value)
}

/// PS004 when a target read as a word starts with a look-alike digit.
fn lookalike_digit_at_start(text: &str, span: Span) -> Option<Diagnostic> {
    let c = text.chars().next()?;
    let meant = lookalike_digit(c)?;
    let code = format!("U+{:04X}", c as u32);
    let start = span.start as usize;
    let at = Span::new(start, start + c.len_utf8());
    let fix = meant.map(|d| {
        Fix::replace(
            msg!("把 “{c}” 改写为 {d}", "write {d} for “{c}”"),
            at,
            d.to_string(),
        )
    });
    let help = match meant {
        Some(d) => msg!(
            "数字只用 0–9（或全角 ０–９）：把 “{c}” 改写为 {d}",
            "digits are 0–9 (or the full-width ０–９): write {d} for “{c}”"
        ),
        None => msg!(
            "数字只用 0–9（或全角 ０–９）",
            "digits are 0–9 (or the full-width ０–９)"
        ),
    };
    Some(
        Diagnostic::new(
            Code::PS004,
            msg!(
                "“{c}”（{code}）不是可读的数字",
                "“{c}” ({code}) is not a digit perfspec reads"
            ),
            Span::new(start, start + c.len_utf8()),
            msg!("形似数字", "looks like a digit"),
        )
        .with_help(help)
        .with_fix_opt(fix),
    )
}

/// A letter or a character that stands where a digit is meant inside a number: `9Ｏ`, `1l`.
fn letter_for_digit(target: &str) -> Option<(usize, char, char)> {
    let chars: Vec<(usize, char)> = target.char_indices().collect();
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    if !chars.first().is_some_and(|(_, c)| is_digit(*c)) {
        return None;
    }
    for (k, &(i, c)) in chars.iter().enumerate() {
        let meant = match c {
            'O' | 'o' | 'Ｏ' | 'ｏ' | '〇' => '0',
            'l' | 'I' | 'ｌ' | 'Ｉ' | '|' => '1',
            _ => continue,
        };
        let near_digit = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|(_, d)| is_digit(*d) || *d == '.' || *d == ',')
        };
        if near_digit(k.checked_sub(1)) || near_digit(Some(k + 1)) {
            return Some((i, c, meant));
        }
    }
    None
}

/// Say what is wrong with a line that matched no statement, in words a budget officer uses.
fn explain_bad_line(text: &str, span: Span, ctx: Context) -> Diagnostic {
    let first = text.split(is_ws).next().unwrap_or("");
    let has_op = text.contains(ops::is_op_char);
    let tokens = text.split(is_ws).filter(|t| !t.is_empty()).count();
    let end = Span::new(span.end as usize, span.end as usize);
    let d = |label: Msg, message: Msg, help: Msg, at: Span| {
        Diagnostic::new(Code::PS001, message, at, label).with_help(help)
    };
    if text.trim() == "}" {
        return d(
            msg!("多余的 }}", "unmatched }}"),
            msg!(
                "这个右花括号没有对应的块",
                "this closing brace closes nothing"
            ),
            msg!(
                "删除这一行，或检查上面的 {{ 是否写在了 `项目 名称 {{` 行末",
                "delete the line, or check the `项目 名称 {{` line above"
            ),
            span,
        );
    }
    if text.trim_start().starts_with("\"\"\"") {
        return d(
            msg!(
                "文本块必须跟在目标字段后",
                "a text block must follow a goal key"
            ),
            msg!("孤立的文本块标记", "stray text block marker"),
            msg!(
                "写成 `年度总体目标 \"\"\"`，文本另起一行",
                "write `年度总体目标 \"\"\"` and the text on the next lines"
            ),
            span,
        );
    }
    if ctx == Context::Project {
        if let Some(d) = lookalike_comparator_in(text, span.start as usize) {
            return d;
        }
    }
    match ctx {
        Context::Funding => d(
            msg!("不是资金项", "not a funding entry"),
            msg!("资金块中的这一行无法识别", "this line in the 资金 block is not a funding entry"),
            msg!("资金项写成 `当年财政拨款 1,813,200.00`（单位为元，可省略）", "write funding entries as `当年财政拨款 1,813,200.00` (in 元)"),
            span,
        ),
        Context::Top if first == "项目" => d(
            msg!("项目行需要以 {{ 结尾", "a project line ends with {{"),
            msg!("项目声明不完整", "incomplete project header"),
            msg!("写成 `项目 项目名称 {{`，项目内容写在下一行起，最后以 }} 结束", "write `项目 名称 {{`, the body on the next lines, and }} at the end"),
            end,
        ),
        Context::Top if Key::from_word(first).is_some_and(|k| k.spec().place == Place::Project) => d(
            msg!("应写在项目块内", "belongs inside a project block"),
            msg!("“{first}” 只能写在 项目 … {{ }} 块内", "“{first}” is only allowed inside a 项目 … {{ }} block"),
            msg!("把这一行移到对应项目的花括号内", "move this line into its project's braces"),
            span,
        ),
        Context::Top if has_op => d(
            msg!("绩效指标必须写在项目块内", "indicators belong inside a project"),
            msg!("项目块外的绩效指标", "indicator outside a project"),
            msg!("把指标移到 `项目 名称 {{ … }}` 块内", "move the indicator into a `项目 名称 {{ … }}` block"),
            span,
        ),
        Context::Top => d(
            msg!("无法识别", "not understood"),
            msg!("无法识别的行", "this line is not a statement"),
            msg!(
                "文件头只能包含 年度、主管部门、实施单位、计量单位 和 项目 块；注释以 # 开头",
                "the file header holds 年度, 主管部门, 实施单位, 计量单位 and 项目 blocks; comments start with #"
            ),
            span,
        ),
        Context::Project if Key::from_word(first).is_some_and(|k| k != Key::Project) && tokens < 2 => d(
            msg!("缺少取值", "value missing"),
            msg!("“{first}” 后缺少取值", "“{first}” has no value"),
            msg!("在 “{first}” 后空一格写上取值", "write the value after “{first}”, separated by a space"),
            end,
        ),
        Context::Project if matches!(first, "期间" | "计划开始日期" | "计划完成日期") => d(
            msg!("日期写法无法识别", "dates not understood"),
            msg!("期间的日期写法无法识别", "the dates of the period are not understood"),
            msg!("写成 `期间 2026-01-01 至 2026-12-31`", "write `期间 2026-01-01 至 2026-12-31`"),
            span,
        ),
        Context::Project if tokens < 2 => d(
            msg!("只有一个词", "a single word"),
            msg!("无法识别的行", "this line is not a statement"),
            msg!(
                "绩效指标写成 `二级指标 指标名称 比较符 指标值 单位`，例如 `数量 窗口申请材料受理 ≥ 8000 件`",
                "write indicators as `category name comparator value unit`, e.g. `数量 窗口申请材料受理 ≥ 8000 件`"
            ),
            span,
        ),
        Context::Project if !has_op => d(
            msg!("此处缺少比较符和指标值", "comparator and target missing here"),
            msg!("绩效指标缺少比较符和指标值", "indicator has no comparator and target"),
            msg!(
                "在名称后写比较符和指标值，例如 `≥ 8000 件`、`≤ 24 小时` 或 `= 及时`",
                "after the name write a comparator and a target, e.g. `≥ 8000 件`, `≤ 24 小时` or `= 及时`"
            ),
            end,
        ),
        Context::Project => {
            let op_at = text
                .char_indices()
                .rev()
                .find(|(_, c)| ops::is_op_char(*c))
                .map(|(i, c)| i + c.len_utf8())
                .unwrap_or(text.len());
            let after = text[op_at..].trim_matches(is_ws);
            let at = Span::new(span.start as usize + op_at, span.end as usize);
            if after.is_empty() {
                d(
                    msg!("比较符后缺少指标值", "target missing after the comparator"),
                    msg!("绩效指标缺少指标值", "indicator has no target value"),
                    msg!("在比较符后写指标值，例如 `≥ 8000 件` 或 `= 及时`", "write the target after the comparator, e.g. `≥ 8000 件` or `= 及时`"),
                    end,
                )
            } else if let Some((i, c, meant)) = letter_for_digit(after) {
                let lead = text[op_at..].len() - text[op_at..].trim_start_matches(is_ws).len();
                let at = span.start as usize + op_at + lead + i;
                let at = Span::new(at, at + c.len_utf8());
                d(
                    msg!("应为数字 {meant}", "the digit {meant} is meant"),
                    msg!(
                        "指标值 “{after}” 中的 “{c}” 不是数字",
                        "“{c}” in the target “{after}” is not a digit"
                    ),
                    msg!("把 “{c}” 改写为 {meant}", "write {meant} for “{c}”"),
                    at,
                )
                .with_fix(Fix::replace(
                    msg!("把 “{c}” 改写为 {meant}", "write {meant} for “{c}”"),
                    at,
                    meant.to_string(),
                ))
            } else {
                d(
                    msg!("无法识别的指标值", "target not understood"),
                    msg!("指标值 “{after}” 无法识别", "target “{after}” is not understood"),
                    msg!(
                        "指标值写成 数字 + 单位（`90.00 %`）、区间（`90 ~ 100 %`）、日期（`2026-06-30`）或定性词（`及时`）；名称中含比较符时请用英文双引号括起名称",
                        "write the target as number and unit (`90.00 %`), a range (`90 ~ 100 %`), a date (`2026-06-30`) or a word (`及时`); quote a name that contains a comparator"
                    ),
                    at,
                )
            }
        }
    }
}
