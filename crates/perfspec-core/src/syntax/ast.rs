//! The typed syntax tree. Every node keeps its byte span in the source and comments stay in
//! the tree, so the formatter can rebuild the file from it without reading the text again.

use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::diag::Span;

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, untrimmed on the left so the formatter can keep it as written.
    pub text: String,
    pub span: Span,
}

/// One `.perf` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFile {
    pub has_bom: bool,
    pub items: Vec<TopItem>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TopItem {
    Blank(Span),
    Comment(Comment),
    Field(Field),
    UnitDecl(UnitDecl),
    Project(Project),
    Error(ErrorNode),
}

/// `key value`, as in `年度 2026` or `性质 经常性专项业务费`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
    pub comment: Option<Comment>,
    pub span: Span,
}

/// `计量单位 株 计数`
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitDecl {
    pub unit: Spanned<String>,
    pub dimension: Spanned<String>,
    pub comment: Option<Comment>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Project {
    pub name: Spanned<String>,
    pub open_comment: Option<Comment>,
    pub items: Vec<ProjectItem>,
    /// The closing brace, `None` when the file forgot it (reported by the parser).
    pub close: Option<Span>,
    pub close_comment: Option<Comment>,
    pub span: Span,
}

impl Project {
    /// A `项目 … {` line left open with nothing but blank lines and comments after it, up
    /// to the next project or the end of the file: the first of `项目 a {` lines never
    /// closed, or a header typed ahead. The parser reports the brace (PS002, one for a run
    /// of them); the rules skip it, having nothing to check.
    pub fn is_open_header(&self) -> bool {
        self.close.is_none()
            && self
                .items
                .iter()
                .all(|i| matches!(i, ProjectItem::Blank(_) | ProjectItem::Comment(_)))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ProjectItem {
    Blank(Span),
    Comment(Comment),
    Field(Field),
    Period(Period),
    Funding(Funding),
    /// 年度总体目标, 项目总目标, and the 自评表's texts: 完成情况, and 偏差原因 under an
    /// indicator (its key says which).
    Goal(Goal),
    Indicator(Indicator),
    /// `预算执行 { … }`: entries shaped like the funding block's.
    Execution(Funding),
    /// `实际完成值 38 次` under an indicator.
    Actual(Actual),
    /// `分值 10` / `得分 9.5` under an indicator.
    Points(Points),
    Error(ErrorNode),
}

/// `实际完成值 38 次`: the actual of the indicator above. The comparator is the form's
/// copy of the target (`≥266米`), kept so the checker can say so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actual {
    pub key: Spanned<String>,
    pub op: Option<Spanned<Op>>,
    pub value: Spanned<ValueLit>,
    pub comment: Option<Comment>,
    pub span: Span,
}

/// `分值 10`, `得分 9.5 分`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Points {
    pub key: Spanned<String>,
    pub number: Spanned<NumberLit>,
    pub unit: Option<Spanned<String>>,
    pub comment: Option<Comment>,
    pub span: Span,
}

/// `期间 2026-01-01 至 2026-12-31`, or the form's `计划开始日期` / `计划完成日期` lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub key: Spanned<String>,
    pub start: Spanned<DateLit>,
    pub end: Option<Spanned<DateLit>>,
    pub comment: Option<Comment>,
    pub span: Span,
}

/// A date as written; `valid` is false for `2026-02-30` and the like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct DateLit {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl DateLit {
    pub fn is_valid(self) -> bool {
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap(self.year) => 29,
            2 => 28,
            _ => return false,
        };
        self.day >= 1 && self.day <= days
    }
}

fn is_leap(y: u16) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

impl std::fmt::Display for DateLit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A block of entries: `资金 { … }`, or a 自评表's `预算执行 { … }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funding {
    pub open_comment: Option<Comment>,
    pub items: Vec<FundingItem>,
    pub close: Option<Span>,
    pub close_comment: Option<Comment>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FundingItem {
    Blank(Span),
    Comment(Comment),
    Entry(FundingEntry),
    Error(ErrorNode),
}

/// `当年财政拨款 1,813,200.00 元`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingEntry {
    pub key: Spanned<String>,
    pub amount: Spanned<NumberLit>,
    pub unit: Option<Spanned<String>>,
    pub comment: Option<Comment>,
    pub span: Span,
}

/// A number as written: its exact value and whether it used thousands separators.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NumberLit {
    pub value: Decimal,
    pub grouped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Goal {
    pub key: Spanned<String>,
    /// The text with the block's common indentation removed, paragraphs separated by one
    /// empty line, no leading or trailing blank lines.
    pub text: Spanned<String>,
    pub block: bool,
    pub comment: Option<Comment>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// The 二级 category as written (`数量`, `数量指标`, …); the checker resolves it.
    pub category: Spanned<String>,
    pub name: Spanned<String>,
    pub quoted: bool,
    /// `None` for the comparator-less form `名称 40 次` (a warning).
    pub op: Option<Spanned<Op>>,
    pub value: Spanned<ValueLit>,
    pub comment: Option<Comment>,
    pub span: Span,
}

pub use crate::vocab::ops::Op;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ValueLit {
    Number {
        number: Spanned<NumberLit>,
        unit: Option<Spanned<String>>,
    },
    Range {
        low: Spanned<NumberLit>,
        high: Spanned<NumberLit>,
        unit: Option<Spanned<String>>,
    },
    Date(DateLit),
    Text(String),
}

/// A line that is not a valid statement. The parser has already reported it; later stages
/// skip it so one typo does not cascade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorNode {
    pub text: String,
    pub span: Span,
}
