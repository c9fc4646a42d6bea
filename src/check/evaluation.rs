//! Self-evaluation rules (PS5xx): the year-end lines of a project are lowered into the
//! model's [`Assessment`]s and [`Evaluation`], scored by the plain functions of
//! `model::assess`, and what those cannot decide — or what disagrees with them — is
//! reported here. `docs/self-evaluation.md` states the rules.

use super::units::{normalize_spelling, UnitTable};
use super::{indicators, style, Cx};
use crate::diag::{Diagnostic, Fix};
use crate::model::assess::{self, Mismatch};
use crate::model::{
    Actual, ActualValue, Assessment, Dimension, Evaluation, Execution, Indicator, Judgement,
    Subtotal, Target,
};
use crate::msg;
use crate::syntax::{self, Field, FundingItem, Goal, ProjectItem, Span, ValueLit};
use crate::vocab::evaluation::{ExecRow, Group, Scoring, EXEC_ROWS, FAR_EXCEEDS_PERCENT};
use crate::vocab::keys::Key;
use rust_decimal::Decimal;

/// The year-end lines under one indicator, as the parser left them.
#[derive(Default, Clone, Copy)]
pub(super) struct Lines<'t> {
    pub actual: Option<&'t syntax::Actual>,
    pub weight: Option<&'t syntax::Points>,
    pub score: Option<&'t syntax::Points>,
    pub deviation: Option<&'t Goal>,
    /// A line under the indicator failed to parse (reported): what is missing may be on it.
    pub broken: bool,
}

impl Lines<'_> {
    fn is_empty(&self) -> bool {
        self.actual.is_none()
            && self.weight.is_none()
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
            "PS102",
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
                        "PS501",
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
            _ => {}
        }
    }
    out
}

/// Points as written (`分值 10`, `得分 9.5 分`): the unit, if any, must be 分, and points are
/// never negative (PS515).
fn points(cx: &mut Cx<'_>, p: &syntax::Points) -> Option<Decimal> {
    if cx.syntax_error_in(p.number.span, "PS004") {
        return None;
    }
    let key = &p.key.value;
    if let Some(u) = &p.unit {
        let w = normalize_spelling(&u.value);
        if w != "分" {
            cx.push(
                Diagnostic::new(
                    "PS515",
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
                "PS515",
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

fn score_above_weight(cx: &mut Cx<'_>, score: Decimal, weight: Decimal, span: Span) {
    cx.push(
        Diagnostic::new(
            "PS515",
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

/// The actual of `m` as written; `None` when it cannot be read (reported).
fn actual(cx: &mut Cx<'_>, units: &UnitTable, m: &Indicator, a: &syntax::Actual) -> Option<Actual> {
    if cx.syntax_error_in(a.value.span, "PS004") || cx.syntax_error_in(a.value.span, "PS005") {
        return None;
    }
    if let Some(op) = &a.op {
        let s = op.value.symbol();
        // The comparator and the white space after it.
        let end = cx.source[op.span.end as usize..a.value.span.start as usize].len()
            + op.span.end as usize;
        cx.push(
            Diagnostic::new(
                "PS513",
                msg!(
                    "实际完成值带有比较符 “{s}”，按其后的值判断",
                    "the actual has a comparator “{s}”; judged by the value after it"
                ),
                op.span,
                msg!("实际完成值应是一个值", "an actual is one value"),
            )
            .with_help(msg!(
                "写出全年实际达到的值，不写比较符",
                "write the value reached in the year, without a comparator"
            ))
            .with_fix(Fix::replace(
                msg!("删除 “{s}”", "delete “{s}”"),
                Span::new(op.span.start as usize, end),
                "",
            )),
        );
    }
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
                "PS503",
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
                        .with_fix(Fix::insert(
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
            let unit = indicators::resolve_unit(cx, units, Some(u), a.value.span)?;
            let v = number.value.value;
            if v.is_sign_negative() && !v.is_zero() {
                cx.push(
                    Diagnostic::new(
                        "PS502",
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
            if unit.dimension == Dimension::Percent && v > Decimal::ONE_HUNDRED {
                cx.push(
                    Diagnostic::new(
                        "PS506",
                        msg!("百分比实际值 {v}% 超过 100%", "percentage actual {v}% is above 100%"),
                        a.value.span,
                        msg!("超过 100%", "above 100%"),
                    )
                    .with_help(msg!(
                        "比率、满意度、合格率最高 100%；若确为增长率等可超过 100% 的量，可在行尾注释 `# perfspec: allow PS506`",
                        "rates, satisfaction and pass rates are at most 100%; for a growth rate that can exceed it, add `# perfspec: allow PS506`"
                    )),
                );
            }
            ActualValue::Quantity { value: v, unit }
        }
        ValueLit::Range { .. } => {
            cx.push(
                Diagnostic::new(
                    "PS502",
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
        ValueLit::Text(t) => {
            let t = syntax::normalize_spaces(t);
            style::check_text(cx, &t, a.value.span);
            ActualValue::Text(t)
        }
    };
    Some(Actual {
        value,
        bound: a.op.as_ref().map(|o| o.value),
        loc: cx.loc(a.value.span),
    })
}

/// Lower the year-end lines of one indicator. The weight is filled in later, when the
/// project's weights are known.
pub(super) fn indicator(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    m: &Indicator,
    lines: &Lines<'_>,
) -> Box<Assessment> {
    let actual = lines.actual.and_then(|a| actual(cx, units, m, a));
    let weight_written = lines.weight.and_then(|p| points(cx, p));
    let score_written = lines.score.and_then(|p| points(cx, p));
    let deviation = lines.deviation.map(|g| {
        let text = if g.block {
            g.text.value.clone()
        } else {
            syntax::normalize_spaces(&g.text.value)
        };
        style::check_goal(cx, &text, g.text.span);
        text
    });
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
    Box::new(Assessment {
        actual,
        weight_written,
        weight: Decimal::ZERO,
        score_written,
        score_rule: None,
        score: None,
        judgement: Judgement::default(),
        deviation,
        loc: cx.loc(first),
    })
}

/// The indicator with its lines, as lowered.
pub(super) struct Scored<'t> {
    pub indicator: Indicator,
    pub lines: Lines<'t>,
    /// Whether the actual was written but could not be read (reported already).
    pub actual_failed: bool,
}

impl<'t> Scored<'t> {
    pub fn new(indicator: Indicator, lines: Lines<'t>) -> Self {
        Scored {
            actual_failed: false,
            indicator,
            lines,
        }
    }
}

/// The project being scored: its name line, its name, and whether every indicator line
/// could be lowered.
pub(super) struct Subject<'a> {
    pub head: Span,
    pub name: &'a str,
    pub all_lowered: bool,
}

/// Score an evaluated project: execution, every indicator, the groups, the total and the
/// grade; report what the rules cannot decide or what disagrees with them.
pub(super) fn project(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    scoring: &'static Scoring,
    lines: &ProjectLines<'_>,
    inds: &mut [Scored<'_>],
    subject: Subject<'_>,
) -> Box<Evaluation> {
    let Subject {
        head,
        name,
        all_lowered,
    } = subject;
    for s in inds.iter_mut() {
        let a = indicator(cx, units, &s.indicator, &s.lines);
        s.actual_failed = s.lines.actual.is_some() && a.actual.is_none();
        s.indicator.assessment = Some(a);
    }
    let complete_weights = weights(cx, scoring, inds);
    // An indicator line that could not be read (reported) leaves the shares of the weights,
    // and so every score and the total, unknown: nothing is compared with them then.
    let comparable = complete_weights && all_lowered;
    let mut unknown = !comparable;
    for s in inds.iter_mut() {
        unknown |= !judge(cx, s, comparable);
    }
    let execution = execution(cx, units, scoring, lines.execution, head, name);
    let mut subtotals = Vec::new();
    let exec_weight = execution
        .as_ref()
        .map_or(Decimal::from(scoring.weight(Group::Execution)), |e| {
            e.weight
        });
    subtotals.push(Subtotal {
        group: Group::Execution,
        weight: exec_weight,
        score: execution.as_ref().and_then(|e| e.score),
    });
    for group in [Group::Output, Group::Effect, Group::Satisfaction] {
        let members: Vec<&Assessment> = inds
            .iter()
            .filter(|s| Group::of(s.indicator.level1()) == group)
            .filter_map(|s| s.indicator.assessment.as_deref())
            .collect();
        let weight: Decimal = members.iter().map(|a| a.weight).sum();
        let score = members.iter().map(|a| a.score).sum::<Option<Decimal>>();
        if members.is_empty() {
            let w = scoring.weight(group);
            if w > 0 {
                subtotals.push(Subtotal {
                    group,
                    weight: Decimal::ZERO,
                    score: Some(Decimal::ZERO),
                });
            }
            continue;
        }
        subtotals.push(Subtotal {
            group,
            weight,
            score,
        });
    }
    let weight_total: Decimal = subtotals.iter().map(|s| s.weight).sum();
    if weight_total != Decimal::ONE_HUNDRED && comparable {
        let parts: Vec<String> = subtotals
            .iter()
            .map(|s| format!("{} {}", s.group.name(), s.weight.normalize()))
            .collect();
        let parts = parts.join("、");
        let empty: Vec<&str> = subtotals
            .iter()
            .filter(|s| s.weight.is_zero() && scoring.weight(s.group) > 0)
            .map(|s| s.group.name())
            .collect();
        let (why, why_en) = if empty.is_empty() {
            (String::new(), String::new())
        } else {
            let e = empty.join("、");
            (
                format!("；{e}没有指标，其分值无处计分"),
                format!("; {e} has no indicators to carry its weight"),
            )
        };
        let t = weight_total.normalize();
        cx.push(
            Diagnostic::new(
                "PS504",
                msg!(
                    "项目 “{name}” 的分值合计为 {t}，不是 100",
                    "the weights of project “{name}” add up to {t}, not 100"
                ),
                head,
                msg!("{parts}{why}", "{parts}{why_en}"),
            )
            .with_help(msg!(
                "调整各指标的分值使合计为 100（缺省：预算执行率 10、产出 50、效益 30、满意度 10）",
                "adjust the weights to add up to 100 (default: execution 10, outputs 50, effects 30, satisfaction 10)"
            )),
        );
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
    if let (Some(f), Some(w), Some(s)) = (lines.total, total_written, score) {
        if assess::round(w) != s {
            cx.push(
                Diagnostic::new(
                    "PS516",
                    msg!(
                        "总分写为 {w}，按评分规则为 {s}",
                        "the total is written as {w}; by the rules it is {s}"
                    ),
                    f.value.span,
                    msg!("与计算结果不符", "disagrees with the computed total"),
                )
                .with_help(msg!(
                    "总分是预算执行率得分与各指标得分之和；核对各行得分后改为 {s}",
                    "the total is the execution score plus every indicator's score; check the rows, then write {s}"
                ))
                .with_fix(Fix::replace(
                    msg!("改为 {s}", "write {s}"),
                    f.value.span,
                    s.to_string(),
                )),
            );
        }
    }
    let grade_written = lines
        .grade
        .map(|f| syntax::normalize_spaces(&f.value.value));
    if let (Some(f), Some(g)) = (lines.grade, &grade_written) {
        let scale: Vec<&str> = scoring.grades.iter().map(|g| g.grade).collect();
        let scale = scale.join("、");
        if !scoring.is_grade(g) {
            cx.push(
                Diagnostic::new(
                    "PS516",
                    msg!("“{g}” 不是评价等级", "“{g}” is not a grade"),
                    f.value.span,
                    msg!("等级为 {scale}", "grades: {scale}"),
                )
                .with_help(msg!(
                    "按总分写等级：{scale}",
                    "write the grade of the total: {scale}"
                )),
            );
        } else if let Some(c) = grade.filter(|c| c != g) {
            let s = score.unwrap_or_default();
            cx.push(
                Diagnostic::new(
                    "PS516",
                    msg!(
                        "等级写为 “{g}”，总分 {s} 应为 “{c}”",
                        "the grade is written as “{g}”; a total of {s} is “{c}”"
                    ),
                    f.value.span,
                    msg!("与总分不符", "disagrees with the total"),
                )
                .with_help({
                    let bands = grade_bands(scoring);
                    let bands_en = bands.replace('，', ", ");
                    msg!(
                        "{bands}（见 docs/self-evaluation.md）",
                        "{bands_en} (docs/self-evaluation.md)"
                    )
                })
                .with_fix(Fix::replace(
                    msg!("改为 “{c}”", "write “{c}”"),
                    f.value.span,
                    c,
                )),
            );
        }
    }
    let outcome = lines.outcome.map(|g| {
        let text = if g.block {
            g.text.value.clone()
        } else {
            syntax::normalize_spaces(&g.text.value)
        };
        style::check_goal(cx, &text, g.text.span);
        text
    });
    Box::new(Evaluation {
        execution,
        outcome,
        total_written,
        grade_written,
        subtotals,
        score,
        grade,
        loc: cx.loc(head),
    })
}

/// `优 ≥ 90，良 80–90，中 60–80，差 < 60` for a scale.
fn grade_bands(scoring: &Scoring) -> String {
    let g = scoring.grades;
    let mut parts = Vec::new();
    for (i, step) in g.iter().enumerate() {
        let above = i.checked_sub(1).and_then(|j| g.get(j));
        parts.push(match above {
            None => format!("{} ≥ {}", step.grade, step.min),
            Some(a) if step.min == 0 => format!("{} < {}", step.grade, a.min),
            Some(a) => format!("{} {}–{}", step.grade, step.min, a.min),
        });
    }
    parts.join("，")
}

fn written_total(cx: &mut Cx<'_>, f: &Field) -> Option<Decimal> {
    let text = f.value.value.trim().trim_end_matches('分').trim();
    match syntax::parse_number_text(text) {
        Ok(n) if !n.value.is_sign_negative() || n.value.is_zero() => Some(n.value),
        _ => {
            let w = &f.value.value;
            cx.push(
                Diagnostic::new(
                    "PS515",
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
/// Returns false when the weights are incomplete (PS512).
fn weights(cx: &mut Cx<'_>, scoring: &Scoring, inds: &mut [Scored<'_>]) -> bool {
    let written = |s: &Scored<'_>| {
        s.indicator
            .assessment
            .as_ref()
            .is_some_and(|a| a.weight_written.is_some())
    };
    let n_written = inds.iter().filter(|s| written(s)).count();
    // A 分值 line that was refused (PS515) counts as written: the project meant to write
    // its weights, and that line is reported already.
    let n_lines = inds.iter().filter(|s| s.lines.weight.is_some()).count();
    if n_lines > 0 {
        if n_lines < inds.len() {
            let missing = inds.len() - n_lines;
            if let Some(first) = inds.iter().find(|s| s.lines.weight.is_none()) {
                cx.push(
                    Diagnostic::new(
                        "PS512",
                        msg!(
                            "{n_lines} 条指标写了分值，{missing} 条没有写",
                            "{n_lines} indicators have a weight and {missing} have none"
                        ),
                        first.indicator.loc.span,
                        msg!("这条指标没有分值", "this indicator has no weight"),
                    )
                    .with_help(msg!(
                        "要么每条指标都写 `分值 N`，要么都不写（按缺省分值平均分配）",
                        "write `分值 N` under every indicator, or under none (the default weights are then shared out)"
                    )),
                );
            }
        }
        for s in inds.iter_mut() {
            if let Some(a) = s.indicator.assessment.as_mut() {
                a.weight = a.weight_written.unwrap_or_default();
            }
        }
        return n_lines == inds.len() && n_written == n_lines;
    }
    for group in [Group::Output, Group::Effect, Group::Satisfaction] {
        let members: Vec<usize> = (0..inds.len())
            .filter(|&i| Group::of(inds[i].indicator.level1()) == group)
            .collect();
        let shares = assess::split_weight(Decimal::from(scoring.weight(group)), members.len());
        for (i, w) in members.into_iter().zip(shares) {
            if let Some(a) = inds[i].indicator.assessment.as_mut() {
                a.weight = w;
            }
        }
    }
    true
}

/// Judge one indicator and report; returns false when its score is unknown.
fn judge(cx: &mut Cx<'_>, s: &mut Scored<'_>, comparable: bool) -> bool {
    let m = &s.indicator;
    let Some(a) = m.assessment.as_deref() else {
        return false;
    };
    let mut a = a.clone();
    let name = m.name.to_string();
    let line = m.loc.span;
    let broken = s.lines.broken;
    let judged: Option<Judgement> = match &a.actual {
        None if s.actual_failed || broken => None,
        None => {
            cx.push(
                Diagnostic::new(
                    "PS508",
                    msg!(
                        "指标 “{name}” 缺少实际完成值",
                        "indicator “{name}” has no actual"
                    ),
                    line,
                    msg!("没有实际完成值", "no actual"),
                )
                .with_help(msg!(
                    "在指标行之下写 `实际完成值 …`（全年实际达到的值）",
                    "write `实际完成值 …` (the value reached in the year) under the indicator line"
                )),
            );
            None
        }
        Some(actual) => match m.judge(&actual.value) {
            Ok(j) => Some(j),
            Err(Mismatch::Unit {
                actual: au,
                target: tu,
            }) => {
                let span = actual.loc.span;
                cx.push(
                    Diagnostic::new(
                        "PS502",
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
                s.actual_failed = true;
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
                            "PS502",
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
                    s.actual_failed = true;
                }
                None
            }
        },
    };
    let weight = a.weight;
    if let Some(j) = judged {
        a.judgement = j;
        a.score_rule = assess::score(weight, &j);
    }
    let score_line = s.lines.score;
    // A written score above the weight is refused (PS515): it does not count, and nothing
    // else is said about it.
    if let (Some(w), Some(line_s)) = (a.score_written, score_line) {
        if comparable && w > weight {
            score_above_weight(cx, w, weight, line_s.number.span);
            a.score_written = None;
        }
    }
    a.score = a.score_written.or(a.score_rule);
    if let (Some(w), Some(r), Some(line_s)) = (a.score_written, a.score_rule, score_line) {
        if comparable && assess::round(w) != r {
            let (why_zh, why_en) = match a.judgement.met {
                Some(true) => ("目标已完成，应得满分", "the target is met: full weight"),
                _ => ("按完成比例计分", "scored by the share reached"),
            };
            cx.push(
                Diagnostic::new(
                    "PS507",
                    msg!(
                        "得分写为 {w}，按评分规则为 {r}",
                        "the score is written as {w}; by the rules it is {r}"
                    ),
                    line_s.number.span,
                    msg!("{why_zh}（分值 {weight}）", "{why_en} (weight {weight})"),
                )
                .with_help(msg!(
                    "核对实际完成值；规则见 docs/self-evaluation.md。确有理由时在行尾注释说明并 `# perfspec: allow PS507`",
                    "check the actual; the rules are in docs/self-evaluation.md. With a reason, say it in a comment and `# perfspec: allow PS507`"
                ))
                .with_fix(Fix::replace(
                    msg!("改为 {r}", "write {r}"),
                    line_s.number.span,
                    r.to_string(),
                )),
            );
        }
    }
    if a.score.is_none() && a.actual.is_some() && !s.actual_failed && comparable {
        let t = m.target.form_notation();
        let v = a
            .actual
            .as_ref()
            .map(|x| x.form_notation())
            .unwrap_or_default();
        cx.push(
            Diagnostic::new(
                "PS509",
                msg!(
                    "无法判断 “{name}” 是否完成：指标值 “{t}”，实际完成值 “{v}”",
                    "cannot tell whether “{name}” was met: target “{t}”, actual “{v}”"
                ),
                a.actual.as_ref().map_or(line, |x| x.loc.span),
                msg!("请写得分", "write the score"),
            )
            .with_help(msg!(
                "在指标行之下写 `得分 N`（定性指标常按 80–100%、60–80%、0–60% 三档计分），或写出可比较的实际值",
                "write `得分 N` under the indicator (qualitative targets are often scored in bands of 80–100%, 60–80%, 0–60%), or an actual that compares"
            )),
        );
    }
    // Missed: by the rules, or — where they cannot tell — by a score below the weight.
    let missed = match a.judgement.met {
        Some(met) => !met,
        None => a.score.is_some_and(|sc| sc < weight),
    };
    if a.deviation.is_none() && !broken {
        if missed && a.actual.is_some() {
            cx.push(
                Diagnostic::new(
                    "PS505",
                    msg!(
                        "指标 “{name}” 未完成目标，缺少偏差原因",
                        "indicator “{name}” missed its target and gives no reason"
                    ),
                    line,
                    msg!("未完成", "missed"),
                )
                .with_help(msg!(
                    "在指标行之下写 `偏差原因 …`：未完成的原因和改进措施",
                    "write `偏差原因 …` under the indicator: why, and what is done about it"
                )),
            );
        } else if a.judgement.far_exceeds {
            cx.push(
                Diagnostic::new(
                    "PS514",
                    {
                        let pct = a
                            .judgement
                            .reached
                            .map(|r| assess::round(r * Decimal::ONE_HUNDRED).to_string())
                            .unwrap_or_default();
                        msg!(
                            "指标 “{name}” 的实际完成值达到目标的 {pct}%（{FAR_EXCEEDS_PERCENT}% 以上）",
                            "indicator “{name}” reached {pct}% of its target ({FAR_EXCEEDS_PERCENT}% or more)"
                        )
                    },
                    a.actual.as_ref().map_or(line, |x| x.loc.span),
                    msg!("远超目标", "far beyond the target"),
                )
                .with_help(msg!(
                    "目标可能定得过低：写 `偏差原因 …` 说明，并在下一年度调整目标",
                    "the target may have been set too low: say why with `偏差原因 …`, and raise it next year"
                )),
            );
        }
    }
    let known = a.score.is_some();
    s.indicator.assessment = Some(Box::new(a));
    known
}

fn execution(
    cx: &mut Cx<'_>,
    units: &UnitTable,
    scoring: &Scoring,
    block: Option<&syntax::Funding>,
    head: Span,
    name: &str,
) -> Option<Execution> {
    let Some(block) = block else {
        cx.push(
            Diagnostic::new(
                "PS511",
                msg!(
                    "项目 “{name}” 缺少预算执行情况",
                    "project “{name}” has no budget execution"
                ),
                head,
                msg!("缺少 预算执行 块", "no 预算执行 block"),
            )
            .with_help(msg!(
                "加上 `预算执行 {{ 全年预算数 … 全年执行数 … }}`：预算执行率计 10 分",
                "add `预算执行 {{ 全年预算数 … 全年执行数 … }}`: the execution rate carries 10 points"
            )),
        );
        return None;
    };
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
                "PS510",
                msg!(
                    "未知的预算执行项 “{key}”{hint}",
                    "unknown budget execution entry “{key}”{hint_en}"
                ),
                e.key.span,
                msg!("不是预算执行的栏目", "not a column of the execution table"),
            )
            .with_help(msg!("可用：{all}", "entries: {all}"));
            if let Some(n) = near {
                d = d.with_fix(Fix::replace(
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
        if cx.syntax_error_in(e.amount.span, "PS004") {
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
                                "PS510",
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
                        "PS510",
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
                        "PS510",
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
                    "PS510",
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
    if let (Some(w), Some(r)) = (score_written, score_rule) {
        if assess::round(w) != r {
            let pct = assess::round(rate.unwrap_or_default() * Decimal::ONE_HUNDRED);
            let at = span_of(ExecRow::Score).unwrap_or(open);
            let number = number_of(ExecRow::Score);
            cx.push(
                Diagnostic::new(
                    "PS507",
                    msg!(
                        "预算执行得分写为 {w}，按执行率 {pct}% 为 {r}",
                        "the execution score is written as {w}; at a rate of {pct}% it is {r}"
                    ),
                    number.unwrap_or(at),
                    msg!("执行率 × 分值 {weight}", "rate × weight {weight}"),
                )
                .with_help(msg!(
                    "得分 = 执行率 × 分值（执行率最多按 100% 计）",
                    "score = rate × weight (the rate counted at most 100%)"
                ))
                .with_fix_opt(
                    number.map(|n| Fix::replace(msg!("改为 {r}", "write {r}"), n, r.to_string())),
                ),
            );
        }
    }
    if let (Some(r), Some(b), Some(sp)) = (rate, budget, spent) {
        if r > Decimal::ONE {
            let pct = assess::round(r * Decimal::ONE_HUNDRED);
            let (b, sp) = (
                crate::vocab::num::format_money(b),
                crate::vocab::num::format_money(sp),
            );
            cx.push(
                Diagnostic::new(
                    "PS506",
                    msg!(
                        "执行率 {pct}% 超过 100%：全年执行数 {sp} 元多于全年预算数 {b} 元",
                        "an execution rate of {pct}% is above 100%: {sp} 元 spent of a {b} 元 budget"
                    ),
                    number_of(ExecRow::Spent).unwrap_or(open),
                    msg!("超过全年预算数", "above the budget"),
                )
                .with_help(msg!(
                    "执行数不应超过调整后的全年预算数；核对两者（得分按 100% 计）",
                    "spending should not exceed the adjusted budget; check both (the score counts 100%)"
                )),
            );
        }
    }
    Some(Execution {
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
    })
}
