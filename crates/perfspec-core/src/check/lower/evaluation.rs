//! The year-end lines of a project → the model's [`Assessment`]s and [`Evaluation`],
//! scored by the plain functions of `model::assess`. Lowering attaches each line under the
//! indicator above it and reads its value; what it cannot attach, read or compare is
//! reported here. What disagrees with the rules is the rules' (`rules/evaluation.rs`).
//! `docs/self-evaluation.md` states the rules.

use super::indicator::resolve_unit;
use super::{AssessmentAt, EvaluationAt, ExecutionAt};
use crate::check::cx::Cx;
use crate::check::units::{normalize_spelling, UnitTable};
use crate::diag::{Code, Diagnostic};
use crate::model::assess::{self, Mismatch};
use crate::model::{
    Actual, ActualValue, Assessment, Dimension, Evaluation, Execution, Indicator, Judgement,
    Subtotal, Target,
};
use crate::msg;
use crate::syntax::{self, Field, FundingItem, Goal, ProjectItem, Span, ValueLit};
use crate::vocab::evaluation::{ExecRow, Group, Scoring, EXEC_ROWS};
use crate::vocab::keys::Key;
use rust_decimal::Decimal;

/// The year-end lines under one indicator, as the parser left them.
#[derive(Default, Clone, Copy)]
pub(super) struct Lines<'t> {
    pub actual: Option<&'t syntax::Actual>,
    pub weight: Option<&'t syntax::Points>,
    /// `分值 待填`: the value of the line.
    pub weight_to_fill: Option<Span>,
    pub score: Option<&'t syntax::Points>,
    pub deviation: Option<&'t Goal>,
    /// A line under the indicator failed to parse (reported): what is missing may be on it.
    pub broken: bool,
}

impl Lines<'_> {
    fn is_empty(&self) -> bool {
        self.actual.is_none()
            && self.weight.is_none()
            && self.weight_to_fill.is_none()
            && self.score.is_none()
            && self.deviation.is_none()
    }
}

/// The project's year-end statements.
#[derive(Default)]
pub(super) struct ProjectLines<'t> {
    pub execution: Option<&'t syntax::Funding>,
    pub outcome: Option<&'t Goal>,
    pub total: Option<&'t Field>,
    pub grade: Option<&'t Field>,
    /// One entry per indicator line of the project, in order.
    pub per_indicator: Vec<Lines<'t>>,
}

impl ProjectLines<'_> {
    /// Whether the project carries any year-end statement.
    pub fn any(&self) -> bool {
        self.execution.is_some()
            || self.outcome.is_some()
            || self.total.is_some()
            || self.grade.is_some()
            || self.per_indicator.iter().any(|l| !l.is_empty())
    }
}

fn duplicate(cx: &mut Cx<'_>, key: &str, first: Span, again: Span) {
    cx.push(
        Diagnostic::new(
            Code::PS102,
            msg!("“{key}” 写了两次", "“{key}” is given twice"),
            again,
            msg!("重复", "given again here"),
        )
        .with_label(first, msg!("第一次在这里", "first given here"))
        .with_help(msg!("删除其中一行", "delete one of the two lines")),
    );
}

fn set<'t, T>(
    cx: &mut Cx<'_>,
    slot: &mut Option<&'t T>,
    new: &'t T,
    key: &str,
    span: fn(&T) -> Span,
) {
    match slot {
        Some(prev) => duplicate(cx, key, span(prev), span(new)),
        None => *slot = Some(new),
    }
}

/// Gather the year-end statements of a project and attach each line under an indicator to
/// the indicator line above it (blank lines and comments may stand between). A line that
/// follows no indicator is PS501; one under a line that failed to parse is skipped (that
/// line is reported already).
pub(super) fn collect<'t>(cx: &mut Cx<'_>, items: &'t [ProjectItem]) -> ProjectLines<'t> {
    #[derive(Clone, Copy)]
    enum Under {
        Nothing,
        Indicator(usize),
        Broken,
    }
    let mut out = ProjectLines::default();
    let mut under = Under::Nothing;
    for item in items {
        let (key, span) = match item {
            ProjectItem::Indicator(_) => {
                out.per_indicator.push(Lines::default());
                under = Under::Indicator(out.per_indicator.len() - 1);
                continue;
            }
            ProjectItem::Blank(_) | ProjectItem::Comment(_) => continue,
            ProjectItem::Error(_) => {
                if let Under::Indicator(k) = under {
                    out.per_indicator[k].broken = true;
                }
                under = Under::Broken;
                continue;
            }
            ProjectItem::Actual(a) => (&a.key, a.span),
            ProjectItem::Points(p) => (&p.key, p.span),
            ProjectItem::Goal(g) if Key::from_word(&g.key.value) == Some(Key::Deviation) => {
                (&g.key, g.span)
            }
            ProjectItem::Goal(g) => {
                if Key::from_word(&g.key.value) == Some(Key::Outcome) {
                    set(cx, &mut out.outcome, g, "完成情况", |g| g.span);
                }
                under = Under::Nothing;
                continue;
            }
            ProjectItem::Execution(f) => {
                set(cx, &mut out.execution, f, "预算执行", |f| f.span);
                under = Under::Nothing;
                continue;
            }
            ProjectItem::Field(f)
                if Key::from_word(&f.key.value) == Some(Key::Weight)
                    && crate::vocab::keys::is_to_fill(&f.value.value) =>
            {
                (&f.key, f.span)
            }
            ProjectItem::Field(f) => {
                match Key::from_word(&f.key.value) {
                    Some(Key::TotalScore) => set(cx, &mut out.total, f, "总分", |f| f.span),
                    Some(Key::Grade) => set(cx, &mut out.grade, f, "等级", |f| f.span),
                    _ => {}
                }
                under = Under::Nothing;
                continue;
            }
            ProjectItem::Period(_) | ProjectItem::Funding(_) => {
                under = Under::Nothing;
                continue;
            }
        };
        let k = match under {
            Under::Indicator(k) => k,
            Under::Broken => continue,
            Under::Nothing => {
                let w = &key.value;
                cx.push(
                    Diagnostic::new(
                        Code::PS501,
                        msg!("“{w}” 不在指标之下", "“{w}” follows no indicator"),
                        span,
                        msg!("上面没有指标行", "no indicator line above"),
                    )
                    .with_help(msg!(
                        "把这一行移到它所属的指标行之下（缩进一级）；对整个项目的说明写在 `完成情况` 中",
                        "move the line under the indicator line it belongs to (one level deeper); a note on the whole project goes in `完成情况`"
                    )),
                );
                continue;
            }
        };
        let lines = &mut out.per_indicator[k];
        match item {
            ProjectItem::Actual(a) => set(cx, &mut lines.actual, a, "实际完成值", |a| a.span),
            ProjectItem::Points(p) => match Key::from_word(&p.key.value) {
                Some(Key::Score) => set(cx, &mut lines.score, p, "得分", |p| p.span),
                _ => set(cx, &mut lines.weight, p, "分值", |p| p.span),
            },
            ProjectItem::Goal(g) => set(cx, &mut lines.deviation, g, "偏差原因", |g| g.span),
            ProjectItem::Field(f) => match (lines.weight, lines.weight_to_fill) {
                (Some(prev), _) => super::header::duplicate_field(cx, "分值", prev.span, f.span),
                (None, Some(prev)) => super::header::duplicate_field(cx, "分值", prev, f.span),
                (None, None) => {
                    super::to_fill_warning(cx, "分值", f.value.span);
                    lines.weight_to_fill = Some(f.value.span);
                }
            },
            _ => {}
        }
    }
    out
}

/// Points as written (`分值 10`, `得分 9.5 分`): the unit, if any, must be 分, and points are
/// never negative (PS515).
fn points(cx: &mut Cx<'_>, p: &syntax::Points) -> Option<Decimal> {
    if cx.syntax_error_in(p.number.span, Code::PS004) {
        return None;
    }
    let key = &p.key.value;
    if let Some(u) = &p.unit {
        let w = normalize_spelling(&u.value);
        if w != "分" {
            cx.push(
                Diagnostic::new(
                    Code::PS515,
                    msg!(
                        "“{key}” 的单位 “{w}” 不是分",
                        "“{key}” is in “{w}”, not in points"
                    ),
                    u.span,
                    msg!("应为分", "expected 分"),
                )
                .with_help({
                    let n = p.number.value.value;
                    msg!(
                        "分值和得分是分数，不带单位或写“分”：`{key} {n}`",
                        "weights and scores are points, without a unit or in 分: `{key} {n}`"
                    )
                }),
            );
            return None;
        }
    }
    let v = p.number.value.value;
    if v.is_sign_negative() && !v.is_zero() {
        cx.push(
            Diagnostic::new(
                Code::PS515,
                msg!("“{key}” 为负数 {v}", "“{key}” is negative ({v})"),
                p.number.span,
                msg!("负数", "negative"),
            )
            .with_help(msg!(
                "分值和得分不小于 0",
                "weights and scores are never below 0"
            )),
        );
        return None;
    }
    Some(v)
}

/// The actual of `m` as written; `None` when it cannot be read (reported). `at` learns
/// where its comparator is.
fn actual(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    m: &Indicator,
    a: &syntax::Actual,
    at: &mut AssessmentAt,
) -> Option<Actual> {
    if cx.syntax_error_in(a.value.span, Code::PS004)
        || cx.syntax_error_in(a.value.span, Code::PS005)
    {
        return None;
    }
    at.actual_op = a.op.as_ref().map(|op| (op.value, op.span, a.value.span));
    let value = match &a.value.value {
        // A bare number for a word target (`= 显著提升`): a word as far as judging goes, and
        // asking for a unit would only lead to "cannot judge".
        ValueLit::Number { number, unit: None }
            if matches!(m.target, Target::Qualitative { .. }) =>
        {
            ActualValue::Text(number.value.value.to_string())
        }
        ValueLit::Number { number, unit: None } => {
            let n = number.value.value;
            let mut d = Diagnostic::new(
                Code::PS503,
                msg!("实际完成值 {n} 缺少计量单位", "the actual {n} has no unit"),
                number.span,
                msg!("缺少单位", "no unit"),
            );
            match m.target.unit() {
                Some(u) => {
                    let s = &u.spelling;
                    d = d
                        .with_help(msg!(
                            "写出单位，例如指标值的单位：`{n} {s}`",
                            "write the unit, e.g. the target's: `{n} {s}`"
                        ))
                        .with_fix(crate::diag::Fix::insert(
                            msg!("写上 “{s}”", "add “{s}”"),
                            number.span.end as usize,
                            format!(" {s}"),
                        ));
                }
                None => {
                    d = d.with_help(msg!(
                        "写出单位，如 `38 次`、`95 %`、`19.00 万元`",
                        "write the unit, e.g. `38 次`, `95 %`, `19.00 万元`"
                    ))
                }
            }
            cx.push(d);
            return None;
        }
        ValueLit::Number {
            number,
            unit: Some(u),
        } => {
            let unit = resolve_unit(cx, units, Some(u), a.value.span)?;
            let v = number.value.value;
            if v.is_sign_negative() && !v.is_zero() {
                cx.push(
                    Diagnostic::new(
                        Code::PS502,
                        msg!("实际完成值 {v} 为负数", "the actual {v} is negative"),
                        number.span,
                        msg!("负数", "negative"),
                    )
                    .with_help(msg!(
                        "写出全年实际达到的值（不小于 0）；下降的幅度写成正数，如 `下降率 5 %`",
                        "write the value reached in the year (not below 0); a decrease is written as a positive amount"
                    )),
                );
                return None;
            }
            ActualValue::Quantity { value: v, unit }
        }
        ValueLit::Range { .. } => {
            cx.push(
                Diagnostic::new(
                    Code::PS502,
                    msg!(
                        "实际完成值应是一个值，不是区间",
                        "an actual is one value, not a range"
                    ),
                    a.value.span,
                    msg!("区间", "a range"),
                )
                .with_help(msg!(
                    "写出全年实际达到的值",
                    "write the value reached in the year"
                )),
            );
            return None;
        }
        ValueLit::Date(d) => ActualValue::Date(*d),
        ValueLit::Text(t) => ActualValue::Text(syntax::normalize_spaces(t)),
    };
    Some(Actual {
        value,
        bound: a.op.as_ref().map(|o| o.value),
        loc: cx.loc(a.value.span),
    })
}

/// A text block or line as the model keeps it.
fn goal_text(g: &Goal) -> String {
    if g.block {
        g.text.value.clone()
    } else {
        syntax::normalize_spaces(&g.text.value)
    }
}

/// Lower the year-end lines of one indicator. The weight is filled in later, when the
/// project's weights are known.
fn indicator(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    m: &Indicator,
    lines: &Lines<'_>,
) -> (Box<Assessment>, AssessmentAt) {
    let mut at = AssessmentAt::default();
    let actual = lines.actual.and_then(|a| actual(cx, units, m, a, &mut at));
    let weight_written = lines.weight.and_then(|p| points(cx, p));
    let score_written = lines.score.and_then(|p| points(cx, p));
    let deviation = lines.deviation.map(goal_text);
    at.actual_failed = lines.actual.is_some() && actual.is_none();
    at.weight_line = lines.weight.is_some() || lines.weight_to_fill.is_some();
    at.score_number = lines.score.map(|p| p.number.span);
    at.deviation = lines.deviation.map(|g| g.text.span);
    at.broken = lines.broken;
    let first = [
        lines.actual.map(|a| a.span),
        lines.weight.map(|p| p.span),
        lines.score.map(|p| p.span),
        lines.deviation.map(|g| g.span),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|s| s.start)
    .unwrap_or(m.loc.span);
    let a = Box::new(Assessment {
        actual,
        weight_written,
        weight: Decimal::ZERO,
        weight_to_fill: lines.weight_to_fill.is_some() && lines.weight.is_none(),
        score_written,
        score_rule: None,
        score: None,
        judgement: Judgement::default(),
        deviation,
        loc: cx.loc(first),
    });
    (a, at)
}

/// Lower and score an evaluated project: execution, every indicator (`inds`, with the lines
/// under each), the groups, the total and the grade. Each indicator gets its assessment.
pub(super) fn project(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    scoring: &'static Scoring,
    lines: &ProjectLines<'_>,
    inds: &mut [(Indicator, Lines<'_>)],
    head: Span,
    all_lowered: bool,
) -> (Box<Evaluation>, EvaluationAt) {
    let mut at: Vec<AssessmentAt> = Vec::with_capacity(inds.len());
    for (m, l) in inds.iter_mut() {
        let (a, a_at) = indicator(cx, units, m, l);
        m.assessment = Some(a);
        at.push(a_at);
    }
    // An indicator line that could not be read (reported) leaves the shares of the weights,
    // and so every score and the total, unknown: nothing is compared with them then.
    let comparable = weights(scoring, inds, &at) && all_lowered;
    let mut unknown = !comparable;
    for ((m, _), a_at) in inds.iter_mut().zip(at.iter_mut()) {
        unknown |= !judge(cx, m, a_at, comparable);
    }
    let (execution, execution_at) = match lines.execution {
        Some(block) => {
            let (e, e_at) = execution(cx, units, scoring, block);
            (Some(e), Some(e_at))
        }
        None => (None, None),
    };
    let mut subtotals = Vec::new();
    let exec_weight = execution
        .as_ref()
        .map_or(Decimal::from(scoring.weight(Group::Execution)), |e| {
            e.weight
        });
    subtotals.push(Subtotal {
        group: Group::Execution,
        weight: exec_weight,
        weight_to_fill: false,
        score: execution.as_ref().and_then(|e| e.score),
    });
    for group in [Group::Output, Group::Effect, Group::Satisfaction] {
        let members: Vec<&Assessment> = inds
            .iter()
            .filter(|(m, _)| Group::of(m.level1()) == group)
            .filter_map(|(m, _)| m.assessment.as_deref())
            .collect();
        let weight: Decimal = members.iter().map(|a| a.weight).sum();
        let score = members.iter().map(|a| a.score).sum::<Option<Decimal>>();
        if members.is_empty() {
            let w = scoring.weight(group);
            if w > 0 {
                subtotals.push(Subtotal {
                    group,
                    weight: Decimal::ZERO,
                    weight_to_fill: false,
                    score: Some(Decimal::ZERO),
                });
            }
            continue;
        }
        subtotals.push(Subtotal {
            group,
            weight,
            weight_to_fill: members.iter().any(|a| a.weight_to_fill),
            score,
        });
    }
    let score = if unknown {
        None
    } else {
        subtotals
            .iter()
            .map(|s| s.score)
            .sum::<Option<Decimal>>()
            .map(assess::round)
    };
    let grade = score.map(|s| scoring.grade_of(s).grade);
    let total_written = lines.total.and_then(|f| written_total(cx, f));
    let grade_written = lines
        .grade
        .map(|f| syntax::normalize_spaces(&f.value.value));
    let outcome = lines.outcome.map(goal_text);
    let evaluation = Box::new(Evaluation {
        execution,
        outcome,
        total_written,
        grade_written,
        subtotals,
        score,
        grade,
        loc: cx.loc(head),
    });
    let at = EvaluationAt {
        indicators: at,
        execution: execution_at,
        outcome: lines.outcome.map(|g| g.text.span),
        total: lines.total.map(|f| f.value.span),
        grade: lines.grade.map(|f| f.value.span),
        comparable,
    };
    (evaluation, at)
}

fn written_total(cx: &mut Cx<'_>, f: &Field) -> Option<Decimal> {
    let text = f.value.value.trim().trim_end_matches('分').trim();
    match syntax::parse_number_text(text) {
        Ok(n) if !n.value.is_sign_negative() || n.value.is_zero() => Some(n.value),
        _ => {
            let w = &f.value.value;
            cx.push(
                Diagnostic::new(
                    Code::PS515,
                    msg!(
                        "总分 “{w}” 不是分数",
                        "the total “{w}” is not a number of points"
                    ),
                    f.value.span,
                    msg!("应为数字", "expected a number"),
                )
                .with_help(msg!("写成 `总分 95.50`", "write `总分 95.50`")),
            );
            None
        }
    }
}

/// Fill every indicator's weight: as written, or its share of the group's default weight.
/// Returns false when the weights are incomplete (PS512, a rule).
fn weights(scoring: &Scoring, inds: &mut [(Indicator, Lines<'_>)], at: &[AssessmentAt]) -> bool {
    let written = |m: &Indicator| {
        m.assessment
            .as_ref()
            .is_some_and(|a| a.weight_written.is_some())
    };
    let n_written = inds.iter().filter(|(m, _)| written(m)).count();
    // A 分值 line that was refused (PS515) counts as written: the project meant to write
    // its weights, and that line is reported already.
    let n_lines = at.iter().filter(|a| a.weight_line).count();
    if n_lines > 0 {
        for (m, _) in inds.iter_mut() {
            if let Some(a) = m.assessment.as_mut() {
                a.weight = a.weight_written.unwrap_or_default();
            }
        }
        // `分值 待填` leaves the weights, and so every score by the rules and the total,
        // unknown (not an error: the lines are all there).
        return n_lines == inds.len() && n_written == n_lines;
    }
    for group in [Group::Output, Group::Effect, Group::Satisfaction] {
        let members: Vec<usize> = (0..inds.len())
            .filter(|&i| Group::of(inds[i].0.level1()) == group)
            .collect();
        let shares = assess::split_weight(Decimal::from(scoring.weight(group)), members.len());
        for (i, w) in members.into_iter().zip(shares) {
            if let Some(a) = inds[i].0.assessment.as_mut() {
                a.weight = w;
            }
        }
    }
    true
}

/// Judge and score one indicator; PS502 when its actual does not compare with the target,
/// PS515 when a written score is above the weight (refused: it does not count, and nothing
/// else is said about it). Returns false when its score is unknown.
fn judge(cx: &mut Cx<'_>, m: &mut Indicator, at: &mut AssessmentAt, comparable: bool) -> bool {
    let Some(a) = m.assessment.as_deref() else {
        return false;
    };
    let mut a = a.clone();
    let line = m.loc.span;
    let judged: Option<Judgement> = match &a.actual {
        None => None,
        Some(actual) => match m.judge(&actual.value) {
            Ok(j) => Some(j),
            Err(Mismatch::Unit {
                actual: au,
                target: tu,
            }) => {
                let span = actual.loc.span;
                cx.push(
                    Diagnostic::new(
                        Code::PS502,
                        msg!(
                            "实际完成值的单位 “{au}” 与指标值的单位 “{tu}” 无法比较",
                            "the actual in “{au}” does not compare with the target in “{tu}”"
                        ),
                        span,
                        msg!("单位不同", "another unit"),
                    )
                    .with_label(line, msg!("指标值为 “{tu}”", "the target is in “{tu}”"))
                    .with_help(msg!(
                        "用指标值的单位 “{tu}” 写实际完成值",
                        "write the actual in the target's unit “{tu}”"
                    )),
                );
                at.actual_failed = true;
                None
            }
            Err(Mismatch::Kind) => {
                let span = actual.loc.span;
                let date_vs_number = matches!(
                    (&m.target, &actual.value),
                    (Target::Date { .. }, ActualValue::Quantity { .. })
                        | (
                            Target::Quantity { .. } | Target::Range(_),
                            ActualValue::Date(_)
                        )
                );
                if date_vs_number {
                    let t = m.target.form_notation();
                    cx.push(
                        Diagnostic::new(
                            Code::PS502,
                            msg!(
                                "实际完成值与指标值 “{t}” 无法比较",
                                "the actual does not compare with the target “{t}”"
                            ),
                            span,
                            msg!("日期与数值不能比较", "a date and a number do not compare"),
                        )
                        .with_help(msg!(
                            "按指标值的形式写实际完成值（数值写数值和单位，完成时限写日期）",
                            "write the actual in the target's form (a number with its unit, or a date for a deadline)"
                        )),
                    );
                    at.actual_failed = true;
                }
                None
            }
        },
    };
    if let Some(j) = judged {
        a.judgement = j;
        // Weights that do not compare (`分值 待填`, or incomplete: an error) score nothing.
        a.score_rule = comparable.then(|| assess::score(a.weight, &j)).flatten();
    }
    if let (Some(w), Some(number)) = (a.score_written, at.score_number) {
        if comparable && w > a.weight {
            score_above_weight(cx, w, a.weight, number);
            a.score_written = None;
        }
    }
    a.score = a.score_written.or(a.score_rule);
    let known = a.score.is_some();
    m.assessment = Some(Box::new(a));
    known
}

/// Read the `预算执行` block and score the execution rate. PS510 for an entry that cannot be
/// read, a budget or spending not given, a budget of zero.
fn execution(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    scoring: &Scoring,
    block: &syntax::Funding,
) -> (Execution, ExecutionAt) {
    let mut got: Vec<(ExecRow, Decimal, Span)> = Vec::new();
    let mut broken = false;
    for item in &block.items {
        let FundingItem::Entry(e) = item else {
            if matches!(item, FundingItem::Error(_)) {
                broken = true;
            }
            continue;
        };
        let key = e.key.value.as_str();
        let Some(row) = ExecRow::from_word(key) else {
            let all: Vec<&str> = EXEC_ROWS.iter().map(|r| r.canonical).collect();
            let all = all.join("、");
            let near = EXEC_ROWS
                .iter()
                .flat_map(|r| std::iter::once(r.canonical).chain(r.aliases.iter().copied()))
                .map(|k| (crate::vocab::taxonomy::similarity(key, k), k))
                .filter(|(sim, _)| *sim >= 0.4)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| ExecRow::from_word(k).map_or(k, |r| r.spec().canonical));
            let (hint, hint_en) = match near {
                Some(n) => (
                    format!("（是否想写 {n}？）"),
                    format!(" (did you mean {n}?)"),
                ),
                None => (String::new(), String::new()),
            };
            let mut d = Diagnostic::new(
                Code::PS510,
                msg!(
                    "未知的预算执行项 “{key}”{hint}",
                    "unknown budget execution entry “{key}”{hint_en}"
                ),
                e.key.span,
                msg!("不是预算执行的栏目", "not a column of the execution table"),
            )
            .with_help(msg!("可用：{all}", "entries: {all}"));
            if let Some(n) = near {
                d = d.with_fix(crate::diag::Fix::replace(
                    msg!("改为 “{n}”", "write “{n}”"),
                    e.key.span,
                    n,
                ));
            }
            cx.push(d);
            broken = true;
            continue;
        };
        if let Some(prev) = got.iter().find(|g| g.0 == row) {
            duplicate(cx, key, prev.2, e.span);
            continue;
        }
        if cx.syntax_error_in(e.amount.span, Code::PS004) {
            broken = true;
            continue;
        }
        let mut v = e.amount.value.value;
        if row.spec().money {
            if let Some(u) = &e.unit {
                let unit = units.resolve(&u.value).ok();
                match unit.and_then(|u| u.yuan_factor.filter(|_| u.dimension == Dimension::Money)) {
                    Some(f) => match v.checked_mul(f) {
                        Some(x) => v = x,
                        None => {
                            broken = true;
                            continue;
                        }
                    },
                    None => {
                        let w = normalize_spelling(&u.value);
                        cx.push(
                            Diagnostic::new(
                                Code::PS510,
                                msg!(
                                    "“{key}” 的单位 “{w}” 不是金额单位",
                                    "“{key}” is in “{w}”, which is not money"
                                ),
                                u.span,
                                msg!("应为 元 或 万元", "expected 元 or 万元"),
                            )
                            .with_help(msg!(
                                "金额以元为单位，可写 万元：`{key} 20.00 万元`",
                                "amounts are in 元, or write 万元: `{key} 20.00 万元`"
                            )),
                        );
                        broken = true;
                        continue;
                    }
                }
            }
            if v.is_sign_negative() && !v.is_zero() {
                cx.push(
                    Diagnostic::new(
                        Code::PS510,
                        msg!("“{key}” 为负数", "“{key}” is negative"),
                        e.amount.span,
                        msg!("负数", "negative"),
                    )
                    .with_help(msg!("金额不小于 0", "amounts are never below 0")),
                );
                broken = true;
                continue;
            }
        } else {
            let p = syntax::Points {
                key: e.key.clone(),
                number: e.amount.clone(),
                unit: e.unit.clone(),
                comment: None,
                span: e.span,
            };
            match points(cx, &p) {
                Some(x) => v = x,
                None => {
                    broken = true;
                    continue;
                }
            }
        }
        got.push((row, v, e.span));
    }
    let get = |r: ExecRow| got.iter().find(|g| g.0 == r).map(|g| g.1);
    let span_of = |r: ExecRow| got.iter().find(|g| g.0 == r).map(|g| g.2);
    let budget = get(ExecRow::Budget);
    let spent = get(ExecRow::Spent);
    let weight_written = get(ExecRow::Weight);
    let weight = weight_written.unwrap_or_else(|| Decimal::from(scoring.weight(Group::Execution)));
    let mut score_written = get(ExecRow::Score);
    let open = Span::new(block.span.start as usize, block.span.start as usize);
    let number_of = |r: ExecRow| {
        block.items.iter().find_map(|i| match i {
            FundingItem::Entry(e) if ExecRow::from_word(&e.key.value) == Some(r) => {
                Some(e.amount.span)
            }
            _ => None,
        })
    };
    // A written score above the weight is refused: it does not count.
    if let Some(w) = score_written {
        if w > weight {
            let at = number_of(ExecRow::Score).unwrap_or(open);
            score_above_weight(cx, w, weight, at);
            score_written = None;
        }
    }
    if !broken {
        for (r, v) in [(ExecRow::Budget, budget), (ExecRow::Spent, spent)] {
            if v.is_none() {
                let k = r.spec().canonical;
                cx.push(
                    Diagnostic::new(
                        Code::PS510,
                        msg!("预算执行缺少 “{k}”", "the budget execution has no “{k}”"),
                        block.span,
                        msg!("缺少 {k}", "no {k}"),
                    )
                    .with_help(msg!(
                        "写上 `{k} …`：执行率 = 全年执行数 ÷ 全年预算数",
                        "write `{k} …`: the rate is 全年执行数 ÷ 全年预算数"
                    )),
                );
            }
        }
        if budget.is_some_and(|b| b.is_zero()) {
            cx.push(
                Diagnostic::new(
                    Code::PS510,
                    msg!(
                        "全年预算数为 0，无法计算执行率",
                        "the budget is 0: no execution rate"
                    ),
                    span_of(ExecRow::Budget).unwrap_or(open),
                    msg!("为 0", "zero"),
                )
                .with_help(msg!(
                    "写出调整后的全年预算数",
                    "write the budget of the year after adjustments"
                )),
            );
        }
    }
    let computed = match (budget, spent) {
        (Some(b), Some(s)) if !broken => assess::execution_score(b, s, weight),
        _ => None,
    };
    let (rate, score_rule) = computed.map_or((None, None), |(r, s)| (Some(r), Some(s)));
    let at = ExecutionAt {
        open,
        score_entry: span_of(ExecRow::Score),
        score_number: number_of(ExecRow::Score),
        spent_number: number_of(ExecRow::Spent),
    };
    let execution = Execution {
        initial: get(ExecRow::Initial),
        budget,
        spent,
        weight_written,
        weight,
        score_written,
        rate,
        score_rule,
        score: score_written.or(score_rule),
        loc: cx.loc(block.span),
    };
    (execution, at)
}

fn score_above_weight(cx: &mut Cx<'_>, score: Decimal, weight: Decimal, span: Span) {
    cx.push(
        Diagnostic::new(
            Code::PS515,
            msg!(
                "得分 {score} 超过分值 {weight}",
                "score {score} is above the weight {weight}"
            ),
            span,
            msg!("超过分值", "above the weight"),
        )
        .with_help(msg!(
            "得分最高为分值；超额完成也只得满分",
            "a score is at most the weight; doing more than the target still earns the weight"
        )),
    );
}
