//! The canonical layout of a `.perf` file, rebuilt from the syntax tree (never from the text).
//!
//! What the layout is, in short (docs/review.md has the full list):
//! - LF line ends, no byte-order mark, exactly one trailing newline, runs of blank lines
//!   collapsed to one, no blank line at the start or end of the file or of a block;
//! - two spaces of indentation per block; goal text blocks one level deeper than their key;
//! - one space between tokens, two before a trailing comment; comments kept as written;
//! - the form's words for keys (`性质`, `类别`, `年度总体目标`, `资金`, …) and comparators
//!   (`≥ ≤ = > <`); ASCII digits; indicator values keep their decimals and lose thousands
//!   separators; funding amounts get thousands separators and two decimals when that is
//!   exact; units spelled as `check::units::normalize_spelling` spells them;
//! - names with white space runs collapsed, quoted only when a bare name would read
//!   differently;
//! - within a run of consecutive indicator lines the category column is padded to one
//!   width (East Asian display width); funding keys and amounts line up as a table.
//!
//! [`format_source`] refuses files with syntax errors, and checks its own work before
//! returning: the result must check to the same model (ignoring source locations) with the
//! same diagnostic codes, keep every comment in order, and format to itself.

use crate::check::{self, units::normalize_spelling};
use crate::diag::{Diagnostic, Msg};
use crate::model::{Loc, Project};
use crate::msg;
use crate::syntax::{
    self, normalize_spaces, Comment, Field, FundingEntry, FundingItem, Goal, Indicator, Period,
    ProjectItem, SourceFile, TopItem, ValueLit,
};
use crate::vocab::evaluation::ExecRow;
use crate::vocab::{funding, keys, num, ops};
use rust_decimal::Decimal;
use unicode_width::UnicodeWidthStr;

const INDENT: &str = "  ";

/// Why a file was not formatted.
#[derive(Debug, Clone)]
pub enum FormatError {
    /// The file has syntax errors; these are the parser's diagnostics. Nothing was changed.
    Syntax(Vec<Diagnostic>),
    /// The formatter's own result failed its self-check (a bug in the formatter). The file
    /// is left as it is; the message says what would have changed.
    Unsafe(Msg),
}

/// Format one file's text. `Ok` holds the canonical text (equal to the input when the file
/// is already formatted).
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let (tree, diags) = syntax::parse(source);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        return Err(FormatError::Syntax(errors));
    }
    if has_error_nodes(&tree) {
        // The parser reports every error node; this guards against a silent one.
        return Err(FormatError::Unsafe(msg!(
            "文件中有无法识别的行",
            "the file has lines that could not be read"
        )));
    }
    let out = format_tree(&tree);
    verify(source, &tree, &out)?;
    Ok(out)
}

/// The self-check of [`format_source`].
fn verify(source: &str, tree: &SourceFile, out: &str) -> Result<(), FormatError> {
    let unsafe_ = |zh: &str, en: &str| {
        Err(FormatError::Unsafe(Msg::new(
            format!("格式化结果未通过自检（{zh}），文件未改动；这是 perfspec 的缺陷，请报告"),
            format!("the formatted text failed its self-check ({en}); the file was left as it is. This is a perfspec bug: please report it"),
        )))
    };
    let (tree2, diags2) = syntax::parse(out);
    if diags2.iter().any(|d| d.is_error()) || has_error_nodes(&tree2) {
        return unsafe_("结果有语法错误", "the result has syntax errors");
    }
    if comment_texts(tree) != comment_texts(&tree2) {
        return unsafe_("注释有变化", "comments changed");
    }
    let before = check::check_source("", source);
    let after = check::check_source("", out);
    if !same_meaning(&before.projects, &after.projects) {
        return unsafe_("含义有变化", "the meaning changed");
    }
    let codes = |r: &check::FileReport| {
        let mut v: Vec<crate::diag::Code> = r.diagnostics.iter().map(|d| d.code).collect();
        v.sort_unstable();
        v
    };
    if codes(&before) != codes(&after) {
        return unsafe_("检查结果有变化", "the checker's findings changed");
    }
    if format_tree(&tree2) != out {
        return unsafe_(
            "再次格式化结果不同",
            "formatting twice gives a different text",
        );
    }
    Ok(())
}

fn has_error_nodes(tree: &SourceFile) -> bool {
    tree.items.iter().any(|i| match i {
        TopItem::Error(_) => true,
        TopItem::Project(p) => p.items.iter().any(|i| match i {
            ProjectItem::Error(_) => true,
            ProjectItem::Funding(f) => f.items.iter().any(|i| matches!(i, FundingItem::Error(_))),
            _ => false,
        }),
        _ => false,
    })
}

/// Every comment of a file in source order, as the formatter writes it (the text after `#`
/// without trailing white space).
pub fn comment_texts(tree: &SourceFile) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |c: &Option<Comment>| {
        if let Some(c) = c {
            out.push(comment_body(c).to_string());
        }
    };
    for item in &tree.items {
        match item {
            TopItem::Comment(c) => push(&Some(c.clone())),
            TopItem::Field(f) => push(&f.comment),
            TopItem::UnitDecl(d) => push(&d.comment),
            TopItem::Project(p) => {
                push(&p.open_comment);
                for it in &p.items {
                    match it {
                        ProjectItem::Comment(c) => push(&Some(c.clone())),
                        ProjectItem::Field(f) => push(&f.comment),
                        ProjectItem::Period(x) => push(&x.comment),
                        ProjectItem::Goal(g) => push(&g.comment),
                        ProjectItem::Indicator(i) => push(&i.comment),
                        ProjectItem::Funding(f) => {
                            push(&f.open_comment);
                            for fi in &f.items {
                                match fi {
                                    FundingItem::Comment(c) => push(&Some(c.clone())),
                                    FundingItem::Entry(e) => push(&e.comment),
                                    _ => {}
                                }
                            }
                            push(&f.close_comment);
                        }
                        _ => {}
                    }
                }
                push(&p.close_comment);
            }
            _ => {}
        }
    }
    out
}

fn comment_body(c: &Comment) -> &str {
    c.text.trim_end_matches(syntax::is_ws)
}

/// Whether two checked project lists mean the same, ignoring where things were written.
pub fn same_meaning(a: &[Project], b: &[Project]) -> bool {
    without_locs(a) == without_locs(b)
}

/// The projects with every source location blanked, for comparisons of meaning.
pub fn without_locs(projects: &[Project]) -> Vec<Project> {
    let blank = || Loc {
        file: "".into(),
        line: 0,
        column: 0,
        span: Default::default(),
    };
    projects
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.loc = blank();
            for i in &mut p.indicators {
                i.loc = blank();
                if let Some(a) = i.assessment.as_mut() {
                    a.loc = blank();
                    if let Some(x) = a.actual.as_mut() {
                        x.loc = blank();
                    }
                }
            }
            if let Some(e) = p.evaluation.as_mut() {
                e.loc = blank();
                if let Some(x) = e.execution.as_mut() {
                    x.loc = blank();
                }
            }
            p
        })
        .collect()
}

/// The canonical text of a tree. Total: any tree gives some text; [`format_source`] decides
/// whether it may be used. Reads no source text and no span, so it also prints trees that
/// were built rather than parsed (`perfspec import` builds one per project).
pub fn format_tree(tree: &SourceFile) -> String {
    let mut w = Writer::default();
    let items = &tree.items;
    for (i, item) in items.iter().enumerate() {
        match item {
            TopItem::Blank(_) => w.blank(),
            TopItem::Comment(c) => w.line(0, &format!("#{}", comment_body(c))),
            TopItem::Field(f) => w.line(0, &field_line(&f.key.value, f)),
            TopItem::UnitDecl(d) => {
                let text = format!(
                    "计量单位 {} {}",
                    normalize_spelling(&d.unit.value),
                    d.dimension.value
                );
                w.line(0, &with_comment(text, &d.comment));
            }
            TopItem::Project(p) => {
                // A project stands apart from the header and from other projects; a comment
                // right above it stays attached to it.
                if matches!(
                    i.checked_sub(1).and_then(|j| items.get(j)),
                    Some(TopItem::Field(_) | TopItem::UnitDecl(_) | TopItem::Project(_))
                ) {
                    w.blank();
                }
                project(&mut w, p);
                if matches!(items.get(i + 1), Some(t) if !matches!(t, TopItem::Blank(_))) {
                    w.blank();
                }
            }
            TopItem::Error(e) => w.line(0, e.text.trim()),
        }
    }
    w.finish()
}

/// Collects lines; blank lines are held back until a real line follows, so runs collapse
/// and nothing blank ends a block or the file.
#[derive(Default)]
struct Writer {
    out: String,
    pending_blank: bool,
    /// Set after an opening line: a blank line right after `{` is dropped.
    at_block_start: bool,
}

impl Writer {
    fn blank(&mut self) {
        if !self.out.is_empty() && !self.at_block_start {
            self.pending_blank = true;
        }
    }
    fn line(&mut self, depth: usize, text: &str) {
        if self.pending_blank {
            self.out.push('\n');
        }
        self.pending_blank = false;
        self.at_block_start = false;
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
        self.out.push_str(text);
        self.out.push('\n');
    }
    fn open(&mut self, depth: usize, text: &str) {
        self.line(depth, text);
        self.at_block_start = true;
    }
    fn close(&mut self, depth: usize, text: &str) {
        self.pending_blank = false;
        self.line(depth, text);
    }
    /// A line of a text block: empty lines are written as they are (they are paragraph
    /// breaks inside the text, not layout).
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }
    fn finish(self) -> String {
        self.out
    }
}

fn with_comment(mut text: String, c: &Option<Comment>) -> String {
    if let Some(c) = c {
        text.push_str("  #");
        text.push_str(comment_body(c));
    }
    text
}

fn field_line(key: &str, f: &Field) -> String {
    let value = match keys::Key::from_word(key) {
        // 总分 and 等级 keep their words; 模板 takes no placeholder.
        Some(keys::Key::TotalScore | keys::Key::Grade | keys::Key::Template) => {
            normalize_spaces(&f.value.value)
        }
        _ => to_fill_canonical(&f.value.value),
    };
    with_comment(format!("{key} {value}"), &f.comment)
}

/// A value, with the placeholder in its canonical spelling (`未填` → `待填`).
fn to_fill_canonical(value: &str) -> String {
    if keys::is_to_fill(value) {
        keys::TO_FILL.to_string()
    } else {
        normalize_spaces(value)
    }
}

fn project(w: &mut Writer, p: &syntax::Project) {
    let open = format!(
        "项目 {} {{",
        quote_project_name(&normalize_spaces(&p.name.value))
    );
    w.open(0, &with_comment(open, &p.open_comment));
    let merged = mergeable_period(&p.items);
    let items = &p.items;
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            ProjectItem::Blank(_) => w.blank(),
            ProjectItem::Comment(c) => w.line(1, &format!("#{}", comment_body(c))),
            ProjectItem::Field(f) => {
                // `分值 待填` stands under its indicator, like `分值 10`.
                let depth = match keys::Key::from_word(&f.key.value) {
                    Some(k) if k.spec().place == keys::Place::Detail => 2,
                    _ => 1,
                };
                w.line(depth, &field_line(&keys::canonical(&f.key.value), f))
            }
            ProjectItem::Period(per) => match merged {
                Some((first, second, start, end)) if i == first => {
                    w.line(1, &format!("期间 {start} 至 {end}"));
                    i = second;
                }
                _ => w.line(1, &period_line(per)),
            },
            ProjectItem::Funding(f) => funding(w, f, false),
            ProjectItem::Execution(f) => funding(w, f, true),
            ProjectItem::Goal(g) => goal(w, g),
            ProjectItem::Actual(a) => w.line(2, &actual_line(a)),
            ProjectItem::Points(pt) => w.line(2, &points_line(pt)),
            ProjectItem::Indicator(_) => {
                let end = indicator_run_end(items, i);
                indicator_run(w, &items[i..end]);
                i = end;
                continue;
            }
            ProjectItem::Error(e) => w.line(1, e.text.trim()),
        }
        i += 1;
    }
    w.close(0, &with_comment("}".to_string(), &p.close_comment));
}

/// The form's `计划开始日期` and `计划完成日期` lines become one `期间` line only when that is
/// safe: one of each, on consecutive lines, one date each, no comments, and no other period
/// line in the project. Returns the two item indexes and the dates.
fn mergeable_period(
    items: &[ProjectItem],
) -> Option<(usize, usize, syntax::DateLit, syntax::DateLit)> {
    let periods: Vec<(usize, &Period)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            ProjectItem::Period(p) => Some((i, p)),
            _ => None,
        })
        .collect();
    let [(i, a), (j, b)] = periods.as_slice() else {
        return None;
    };
    if *j != i + 1 || a.comment.is_some() || b.comment.is_some() {
        return None;
    }
    if a.end.is_some() || b.end.is_some() {
        return None;
    }
    let (start, end) = match (a.key.value.as_str(), b.key.value.as_str()) {
        ("计划开始日期", "计划完成日期") => (a.start.value, b.start.value),
        ("计划完成日期", "计划开始日期") => (b.start.value, a.start.value),
        _ => return None,
    };
    Some((*i, *j, start, end))
}

fn period_line(p: &Period) -> String {
    let mut text = format!("{} {}", p.key.value, p.start.value);
    if let Some(end) = &p.end {
        text.push_str(&format!(" 至 {}", end.value));
    }
    with_comment(text, &p.comment)
}

/// The key of a funding entry (`资金`) or of a budget execution entry (`预算执行`) as `fmt`
/// writes it.
fn entry_key(key: &str, execution: bool) -> &str {
    if execution {
        ExecRow::from_word(key).map_or(key, |r| r.spec().canonical)
    } else {
        funding::canonical(key)
    }
}

/// An entry's number: money as the form prints it, points (分值, 得分) as written.
fn entry_number(e: &FundingEntry, execution: bool) -> String {
    match ExecRow::from_word(&e.key.value) {
        Some(r) if execution && !r.spec().money => e.amount.value.value.to_string(),
        _ => money_text(e.amount.value.value),
    }
}

fn funding(w: &mut Writer, f: &syntax::Funding, execution: bool) {
    let open = if execution {
        format!("{} {{", keys::Key::Execution.canonical())
    } else {
        format!("{} {{", keys::Key::Funding.canonical())
    };
    w.open(1, &with_comment(open, &f.open_comment));
    let entries: Vec<&FundingEntry> = f
        .items
        .iter()
        .filter_map(|i| match i {
            FundingItem::Entry(e) => Some(e),
            _ => None,
        })
        .collect();
    let key_width = entries
        .iter()
        .map(|e| entry_key(&e.key.value, execution).width())
        .max()
        .unwrap_or(0);
    // Points (分值, 得分) are not amounts: they take no part in the amounts' column.
    let is_points = |e: &FundingEntry| {
        execution && ExecRow::from_word(&e.key.value).is_some_and(|r| !r.spec().money)
    };
    let amount_width = entries
        .iter()
        .filter(|e| !is_points(e))
        .map(|e| entry_number(e, execution).len())
        .max()
        .unwrap_or(0);
    for item in &f.items {
        match item {
            FundingItem::Blank(_) => w.blank(),
            FundingItem::Comment(c) => w.line(2, &format!("#{}", comment_body(c))),
            FundingItem::Entry(e) => {
                let key = entry_key(&e.key.value, execution);
                let amount = entry_number(e, execution);
                let pad = if is_points(e) {
                    0
                } else {
                    amount_width.saturating_sub(amount.len())
                };
                let key_pad = if is_points(e) {
                    0
                } else {
                    key_width.saturating_sub(key.width())
                };
                let mut text = format!("{key}{} {}{amount}", " ".repeat(key_pad), " ".repeat(pad),);
                if let Some(u) = &e.unit {
                    text.push(' ');
                    text.push_str(&normalize_spelling(&u.value));
                }
                w.line(2, &with_comment(text, &e.comment));
            }
            FundingItem::Error(e) => w.line(2, e.text.trim()),
        }
    }
    w.close(1, &with_comment("}".to_string(), &f.close_comment));
}

/// Money as the form prints it (`991,823.00`) when two decimals hold the value exactly;
/// otherwise the number's own decimals, grouped, so the checker still sees (and reports)
/// what was written. Each spelling is used only if it reads back as the same value: near
/// the 28-digit limit, two more decimals would not fit.
pub fn money_text(v: Decimal) -> String {
    let reads_back = |s: &str| {
        syntax::parse_number_text(s)
            .ok()
            .is_some_and(|n| n.value == v)
    };
    let mut two = v;
    two.rescale(2);
    if two == v {
        let s = num::format_money(two);
        if reads_back(&s) {
            return s;
        }
    }
    let s = num::group_thousands(v);
    if reads_back(&s) {
        s
    } else {
        v.to_string()
    }
}

/// Whether a text statement sits under an indicator (偏差原因) rather than at project level.
fn is_detail(g: &Goal) -> bool {
    keys::Key::from_word(&g.key.value).is_some_and(|k| k.spec().place == keys::Place::Detail)
}

fn goal(w: &mut Writer, g: &Goal) {
    let key = keys::canonical(&g.key.value);
    let depth = if is_detail(g) { 2 } else { 1 };
    if !g.block {
        let text = match keys::Key::from_word(&key) {
            Some(keys::Key::GoalTotal | keys::Key::GoalAnnual) => to_fill_canonical(&g.text.value),
            _ => normalize_spaces(&g.text.value),
        };
        let text = format!("{key} {text}");
        w.line(depth, &with_comment(text, &g.comment));
        return;
    }
    w.line(depth, &format!("{key} \"\"\""));
    if !g.text.value.is_empty() {
        let indent = INDENT.repeat(depth + 1);
        for line in g.text.value.split('\n') {
            if line.is_empty() {
                w.raw("");
            } else {
                w.raw(&format!("{indent}{line}"));
            }
        }
    }
    w.line(depth, &with_comment("\"\"\"".to_string(), &g.comment));
}

/// `实际完成值 38 次`, the comparator kept when one was written (the checker warns).
fn actual_line(a: &syntax::Actual) -> String {
    let mut text = format!("{} ", keys::canonical(&a.key.value));
    if let Some(op) = &a.op {
        text.push_str(op.value.symbol());
        text.push(' ');
    }
    text.push_str(&value_text(&a.value.value));
    with_comment(text, &a.comment)
}

fn points_line(p: &syntax::Points) -> String {
    let mut text = format!("{} {}", keys::canonical(&p.key.value), p.number.value.value);
    if let Some(u) = &p.unit {
        text.push(' ');
        text.push_str(&normalize_spelling(&u.value));
    }
    with_comment(text, &p.comment)
}

/// Indicator lines and the comment lines among them form one aligned run; a blank line or
/// any other statement ends it.
fn indicator_run_end(items: &[ProjectItem], start: usize) -> usize {
    let mut end = start;
    let mut i = start;
    while i < items.len() {
        match &items[i] {
            ProjectItem::Indicator(_) | ProjectItem::Actual(_) | ProjectItem::Points(_) => {
                i += 1;
                end = i;
            }
            ProjectItem::Goal(g) if is_detail(g) => {
                i += 1;
                end = i;
            }
            ProjectItem::Comment(_) => i += 1,
            _ => break,
        }
    }
    end
}

fn indicator_run(w: &mut Writer, run: &[ProjectItem]) {
    // Categories are aligned in a run of plain indicator lines; under year-end lines the
    // run is not a column any more, and padding would only spread the lines apart.
    let has_details = run.iter().any(|i| {
        matches!(
            i,
            ProjectItem::Actual(_) | ProjectItem::Points(_) | ProjectItem::Goal(_)
        )
    });
    let width = run
        .iter()
        .filter_map(|i| match i {
            ProjectItem::Indicator(ind) if !has_details => {
                Some(category(&ind.category.value).width())
            }
            _ => None,
        })
        .max()
        .unwrap_or(0);
    for item in run {
        match item {
            ProjectItem::Indicator(ind) => w.line(1, &indicator_line(ind, width)),
            ProjectItem::Actual(a) => w.line(2, &actual_line(a)),
            ProjectItem::Points(p) => w.line(2, &points_line(p)),
            ProjectItem::Goal(g) => goal(w, g),
            ProjectItem::Comment(c) => w.line(1, &format!("#{}", comment_body(c))),
            _ => {}
        }
    }
}

/// The framework's `…指标` long form is written short (`数量指标` → `数量`); aliases and
/// unknown words stay as written, for the checker to report.
fn category(word: &str) -> &str {
    match crate::vocab::taxonomy::resolve(word) {
        Some(crate::vocab::taxonomy::Match::Exact(l)) => l.short(),
        _ => word,
    }
}

fn indicator_line(ind: &Indicator, width: usize) -> String {
    let cat = category(&ind.category.value);
    let name = normalize_spaces(&ind.name.value);
    let name = quote_indicator_name(&name, ind.op.is_none());
    let mut text = format!(
        "{cat}{} {name} ",
        " ".repeat(width.saturating_sub(cat.width()))
    );
    if let Some(op) = &ind.op {
        text.push_str(op.value.symbol());
        text.push(' ');
    }
    text.push_str(&value_text(&ind.value.value));
    with_comment(text, &ind.comment)
}

fn value_text(v: &ValueLit) -> String {
    let unit = |u: &Option<syntax::Spanned<String>>| match u {
        Some(u) if keys::is_to_fill(&u.value) => format!(" {}", keys::TO_FILL),
        Some(u) => format!(" {}", normalize_spelling(&u.value)),
        None => String::new(),
    };
    match v {
        ValueLit::Number { number, unit: u } => format!("{}{}", number.value.value, unit(u)),
        ValueLit::Range { low, high, unit: u } => {
            format!("{} ~ {}{}", low.value.value, high.value.value, unit(u))
        }
        ValueLit::Date(d) => d.to_string(),
        ValueLit::Text(t) => quote_text_value(&normalize_spaces(t)),
    }
}

/// Whether a bare word would read as the start of a number (a digit, full-width too, a
/// sign or a decimal point), which the grammar's words may not start with.
fn starts_like_number(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_digit() || "+-－．.０１２３４５６７８９".contains(c))
}

/// A word value is written bare unless bare it would read as something else: a number,
/// date or range (it starts like a number), a comparator, a quoted text, a comment, or
/// nothing at all.
fn quote_text_value(text: &str) -> String {
    if text.is_empty()
        || starts_like_number(text)
        || text.starts_with(ops::is_op_or_lookalike)
        || text.starts_with('"')
        || text.starts_with('#')
        || text.contains(" #")
    {
        quote(text)
    } else {
        text.to_string()
    }
}

fn quote(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A bare indicator name ends at a comparator or at ` #`; without a comparator, also at a
/// trailing number. Such names, names with `"`, and the empty name are quoted.
fn quote_indicator_name(name: &str, no_op: bool) -> String {
    let ends_like_value = no_op && name.split(' ').skip(1).any(starts_like_number);
    if name.is_empty()
        || name.contains(ops::is_op_or_lookalike)
        || name.contains('"')
        || name.contains(" #")
        || ends_like_value
    {
        quote(name)
    } else {
        name.to_string()
    }
}

/// A bare project name runs to the `{` that ends the line; names with `{`, `#` or `"` are
/// quoted so that nothing in them can end the name early.
fn quote_project_name(name: &str) -> String {
    if name.is_empty() || name.contains(['{', '#', '"']) {
        quote(name)
    } else {
        name.to_string()
    }
}
