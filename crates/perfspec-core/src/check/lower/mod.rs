//! Lowering: syntax tree → checked model. It reports only what makes lowering impossible
//! (a line it cannot attach, a value it cannot read, a key given twice: which one counts),
//! and leaves every other judgement to the rules (`check/rules/`), which run over what it
//! returns: the model, and where each part of it was written ([`ProjectAt`]), the spans
//! the rules point at that the model does not keep.

mod evaluation;
mod funding;
mod header;
mod indicator;
mod project;

pub(crate) use funding::MAX_AMOUNT_YUAN;
pub(crate) use header::header;
pub(crate) use project::project;

use crate::model::{self, Level1, Level2};
use crate::syntax::{Op, Span, Spanned};
use crate::vocab::funding::FundRow;
use crate::vocab::keys::Key;
use crate::vocab::templates::{Template, TemplateId};

/// File header fields, inherited by every project of the file.
#[derive(Default, Clone)]
pub(crate) struct Header {
    pub year: Option<u16>,
    /// The form the file follows (`模板 …`; the default when not written or unknown).
    pub template: Option<&'static Template>,
    pub department: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    /// The 年度 and 模板 lines as written (spaces normalized), when given.
    pub year_text: Option<Spanned<String>>,
    pub template_text: Option<Spanned<String>>,
    /// The header fields written `待填` (年度, 主管部门, 实施单位): absent, acknowledged.
    pub to_fill: Vec<Key>,
}

impl Header {
    /// The template the file's projects follow.
    pub fn template(&self) -> &'static Template {
        self.template.unwrap_or(TemplateId::DEFAULT.get())
    }
    /// Whether the header writes `待填` for `key`.
    pub fn to_fill(&self, key: Key) -> bool {
        self.to_fill.contains(&key)
    }
}

/// What a `待填` of a project stands for: a field (性质, 类别, 主管部门, 实施单位, 期间,
/// 资金, 年度总体目标, 项目总目标) or a 一级 category with no indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToFill {
    Field(Key),
    Level1(Level1),
}

/// PS114: `待填` where the source form gives nothing; the field counts as absent, and the
/// missing-field error of the template is not reported.
pub(crate) fn to_fill_warning(cx: &mut crate::check::cx::Cx<'_>, what: &str, span: Span) {
    use crate::diag::{Code, Diagnostic};
    use crate::msg;
    cx.push(
        Diagnostic::new(
            Code::PS114,
            msg!("“{what}” 待填", "“{what}” is left to fill"),
            span,
            msg!("源表未给出，待填", "not given by the source form"),
        )
        .with_help(msg!(
            "向项目单位核实后写上实际内容，替换 `待填`",
            "ask the unit for the value and write it in place of `待填`"
        )),
    );
}

/// A lowered project: the model, and where its parts were written.
pub(crate) struct Project {
    pub model: model::Project,
    pub at: ProjectAt,
}

/// Where a project's parts were written: the spans of the values the model holds, and the
/// lines that did not lower.
pub(crate) struct ProjectAt {
    /// The name on the `项目 … {` line.
    pub head: Span,
    /// The values of the project's own fields (not the header's, which the model may hold
    /// for 主管部门 and 实施单位).
    pub nature: Option<Span>,
    pub kind: Option<Span>,
    pub department: Option<Span>,
    pub unit: Option<Span>,
    /// The dates of the period, as the model's `start` and `end`.
    pub start: Option<Span>,
    pub end: Option<Span>,
    /// The texts of the goals (the model's `goal_annual` is empty when not written).
    pub goal_total: Option<Span>,
    pub goal_annual: Option<Span>,
    /// The funding block, when written.
    pub funding: Option<FundingAt>,
    /// Every indicator line, in order, lowered or not.
    pub lines: Vec<IndicatorLine>,
    /// A line of the project failed to parse (or an unclosed text block swallowed lines):
    /// what is missing may be there.
    pub broken: bool,
    /// The year-end lines, for an evaluated project (the model's `evaluation`).
    pub year_end: Option<EvaluationAt>,
    /// What the project writes `待填` for (reported as PS114 by lowering).
    pub to_fill: Vec<ToFill>,
}

impl ProjectAt {
    /// Whether the project writes `待填` for the field `key`.
    pub fn to_fill(&self, key: Key) -> bool {
        self.to_fill.contains(&ToFill::Field(key))
    }
}

/// The funding block as read.
pub(crate) struct FundingAt {
    pub block: Span,
    /// The rows read, each once, with the span of its entry (the model holds the amounts).
    pub rows: Vec<(FundRow, Span)>,
    /// The by-year rows read (`2025年 …`), each year once, with the span of its entry.
    pub years: Vec<(u16, Span)>,
    /// The `年度资金申请总额` entry (as spelled so or `年度申请总额`), else the block.
    pub total_entry: Span,
    /// Whether the model's funding is this block (no entry refused, some amount given).
    pub lowered: bool,
}

impl FundingAt {
    /// The span of a row's entry, when written.
    pub fn row(&self, row: FundRow) -> Option<Span> {
        self.rows.iter().find(|r| r.0 == row).map(|r| r.1)
    }
}

/// How an indicator's category was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CategoryAs {
    /// The framework's own name (or its short form).
    Exact,
    /// An older or regional name.
    Alias,
    /// A level-2 name of the pre-2021 framework.
    Legacy,
}

/// An indicator line as lowering read it.
pub(crate) struct IndicatorLine {
    pub name: Span,
    pub category: Span,
    /// The category, when the line has a name and the category is known.
    pub level2: Option<(Level2, CategoryAs)>,
    /// The comparator as written.
    pub op: Option<Spanned<Op>>,
    pub value: Span,
    /// The unit after a number or a range.
    pub unit: Option<Span>,
    /// The number, or a range's low and high bounds.
    pub numbers: [Option<Span>; 2],
    /// Its index in the model's indicators, or its name (spaces normalized) when it did
    /// not lower.
    pub lowered: Result<usize, Box<str>>,
}

impl IndicatorLine {
    /// Where the comparator is, or would be.
    pub fn op_span(&self) -> Span {
        self.op.as_ref().map_or(self.value, |o| o.span)
    }
}

/// Where the year-end lines of an evaluated project were written.
pub(crate) struct EvaluationAt {
    /// One per indicator of the model, in order.
    pub indicators: Vec<AssessmentAt>,
    /// The `预算执行` block, when written.
    pub execution: Option<ExecutionAt>,
    /// The texts and values of 完成情况, 总分 and 等级.
    pub outcome: Option<Span>,
    pub total: Option<Span>,
    pub grade: Option<Span>,
    /// Whether the scores compare with the rules: every indicator line lowered and every
    /// indicator has its weight (all written and readable, or none written).
    pub comparable: bool,
}

/// Where an indicator's year-end lines were written.
#[derive(Default)]
pub(crate) struct AssessmentAt {
    /// The comparator written before the actual, its span and the actual value's, when
    /// the actual parsed.
    pub actual_op: Option<(Op, Span, Span)>,
    /// The actual was written but could not be read or compared (reported).
    pub actual_failed: bool,
    /// A `分值` line was written (readable or not).
    pub weight_line: bool,
    /// The number of the `得分` line.
    pub score_number: Option<Span>,
    /// The text of the `偏差原因` line.
    pub deviation: Option<Span>,
    /// A line under the indicator failed to parse (reported): what is missing may be on it.
    pub broken: bool,
}

/// Where the `预算执行` block was written.
pub(crate) struct ExecutionAt {
    /// The empty span at the block's start.
    pub open: Span,
    /// The entry of the score row as read, and the number of the first entry of that row.
    pub score_entry: Option<Span>,
    pub score_number: Option<Span>,
    /// The number of the first entry of the spending row.
    pub spent_number: Option<Span>,
}
