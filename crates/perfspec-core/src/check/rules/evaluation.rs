//! Self-evaluation rules (PS5xx), over the assessments and the evaluation lowering filled
//! in (`lower/evaluation.rs` attaches and reads the year-end lines and scores them by
//! `model::assess`): what the scoring rules cannot decide, what disagrees with them, and
//! what a year-end report must say. `docs/self-evaluation.md` states the rules.

use crate::check::cx::Cx;
use crate::check::lower::{AssessmentAt, EvaluationAt, Header, Project};
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::assess;
use crate::model::{ActualValue, Assessment, Dimension, Evaluation, Indicator};
use crate::msg;
use crate::syntax::Span;
use crate::vocab::evaluation::{Scoring, FAR_EXCEEDS_PERCENT};
use rust_decimal::Decimal;

/// The evaluation of an evaluated project, and where its lines were.
fn evaluated(p: &Project) -> Option<(&Evaluation, &EvaluationAt)> {
    Some((p.model.evaluation.as_deref()?, p.at.year_end.as_ref()?))
}

/// Every indicator with its assessment and where its year-end lines were.
fn assessed(p: &Project) -> impl Iterator<Item = (&Indicator, &Assessment, &AssessmentAt)> {
    let at =
        p.at.year_end
            .as_ref()
            .map_or(&[][..], |e| &e.indicators[..]);
    p.model
        .indicators
        .iter()
        .zip(at)
        .filter_map(|(m, a_at)| Some((m, m.assessment.as_deref()?, a_at)))
}

/// PS513: an actual written with a comparator (the form's copy of the target).
pub(super) fn comparator_in_actual(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (_, _, at) in assessed(p) {
        let Some((op, op_span, value)) = at.actual_op else {
            continue;
        };
        let s = op.symbol();
        // The comparator and the white space after it.
        let end =
            cx.source[op_span.end as usize..value.start as usize].len() + op_span.end as usize;
        cx.push(
            Diagnostic::new(
                Code::PS513,
                msg!(
                    "实际完成值带有比较符 “{s}”，按其后的值判断",
                    "the actual has a comparator “{s}”; judged by the value after it"
                ),
                op_span,
                msg!("实际完成值应是一个值", "an actual is one value"),
            )
            .with_help(msg!(
                "写出全年实际达到的值，不写比较符",
                "write the value reached in the year, without a comparator"
            ))
            .with_fix(Fix::replace(
                msg!("删除 “{s}”", "delete “{s}”"),
                Span::new(op_span.start as usize, end),
                "",
            )),
        );
    }
}

/// PS506: a percentage actual above 100 %, and spending above the budget.
pub(super) fn above_hundred_percent(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (_, a, _) in assessed(p) {
        let Some(actual) = &a.actual else { continue };
        let ActualValue::Quantity { value: v, unit } = &actual.value else {
            continue;
        };
        if unit.dimension == Dimension::Percent && *v > Decimal::ONE_HUNDRED {
            cx.push(
                Diagnostic::new(
                    Code::PS506,
                    msg!("百分比实际值 {v}% 超过 100%", "percentage actual {v}% is above 100%"),
                    actual.loc.span,
                    msg!("超过 100%", "above 100%"),
                )
                .with_help(msg!(
                    "比率、满意度、合格率最高 100%；若确为增长率等可超过 100% 的量，可在行尾注释 `# perfspec: allow PS506`",
                    "rates, satisfaction and pass rates are at most 100%; for a growth rate that can exceed it, add `# perfspec: allow PS506`"
                )),
            );
        }
    }
    let Some((e, e_at)) = evaluated(p) else {
        return;
    };
    let (Some(x), Some(x_at)) = (&e.execution, &e_at.execution) else {
        return;
    };
    if let (Some(r), Some(b), Some(sp)) = (x.rate, x.budget, x.spent) {
        if r > Decimal::ONE {
            let pct = assess::round(r * Decimal::ONE_HUNDRED);
            let (b, sp) = (
                crate::vocab::num::format_money(b),
                crate::vocab::num::format_money(sp),
            );
            cx.push(
                Diagnostic::new(
                    Code::PS506,
                    msg!(
                        "执行率 {pct}% 超过 100%：全年执行数 {sp} 元多于全年预算数 {b} 元",
                        "an execution rate of {pct}% is above 100%: {sp} 元 spent of a {b} 元 budget"
                    ),
                    x_at.spent_number.unwrap_or(x_at.open),
                    msg!("超过全年预算数", "above the budget"),
                )
                .with_help(msg!(
                    "执行数不应超过调整后的全年预算数；核对两者（得分按 100% 计）",
                    "spending should not exceed the adjusted budget; check both (the score counts 100%)"
                )),
            );
        }
    }
}

/// PS508: an indicator of an evaluated project without an actual.
pub(super) fn missing_actual(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (m, a, at) in assessed(p) {
        if a.actual.is_some() || at.actual_failed || at.broken {
            continue;
        }
        let name = &m.name;
        cx.push(
            Diagnostic::new(
                Code::PS508,
                msg!(
                    "指标 “{name}” 缺少实际完成值",
                    "indicator “{name}” has no actual"
                ),
                m.loc.span,
                msg!("没有实际完成值", "no actual"),
            )
            .with_help(msg!(
                "在指标行之下写 `实际完成值 …`（全年实际达到的值）",
                "write `实际完成值 …` (the value reached in the year) under the indicator line"
            )),
        );
    }
}

/// PS507: a written score that is not what the rules give (an indicator's, when the scores
/// compare; the execution's).
pub(super) fn written_scores(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let comparable = p.at.year_end.as_ref().is_some_and(|e| e.comparable);
    for (_, a, at) in assessed(p).filter(|_| comparable) {
        let (Some(w), Some(r), Some(number)) = (a.score_written, a.score_rule, at.score_number)
        else {
            continue;
        };
        if assess::round(w) == r {
            continue;
        }
        let weight = a.weight;
        let (why_zh, why_en) = match a.judgement.met {
            Some(true) => ("目标已完成，应得满分", "the target is met: full weight"),
            _ => ("按完成比例计分", "scored by the share reached"),
        };
        cx.push(
            Diagnostic::new(
                Code::PS507,
                msg!(
                    "得分写为 {w}，按评分规则为 {r}",
                    "the score is written as {w}; by the rules it is {r}"
                ),
                number,
                msg!("{why_zh}（分值 {weight}）", "{why_en} (weight {weight})"),
            )
            .with_help(msg!(
                "核对实际完成值；规则见 docs/self-evaluation.md。确有理由时在行尾注释说明并 `# perfspec: allow PS507`",
                "check the actual; the rules are in docs/self-evaluation.md. With a reason, say it in a comment and `# perfspec: allow PS507`"
            ))
            .with_fix(Fix::replace(
                msg!("改为 {r}", "write {r}"),
                number,
                r.to_string(),
            )),
        );
    }
    let Some((e, e_at)) = evaluated(p) else {
        return;
    };
    let (Some(x), Some(x_at)) = (&e.execution, &e_at.execution) else {
        return;
    };
    let (Some(w), Some(r)) = (x.score_written, x.score_rule) else {
        return;
    };
    if assess::round(w) == r {
        return;
    }
    let weight = x.weight;
    let pct = assess::round(x.rate.unwrap_or_default() * Decimal::ONE_HUNDRED);
    let at = x_at.score_entry.unwrap_or(x_at.open);
    let number = x_at.score_number;
    cx.push(
        Diagnostic::new(
            Code::PS507,
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

/// PS509: an actual the rules cannot judge, and no written score (when the scores compare).
pub(super) fn unjudged(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let comparable = p.at.year_end.as_ref().is_some_and(|e| e.comparable);
    for (m, a, at) in assessed(p).filter(|_| comparable) {
        if a.score.is_some() || at.actual_failed {
            continue;
        }
        let Some(actual) = &a.actual else { continue };
        let name = &m.name;
        let t = m.target.form_notation();
        let v = actual.form_notation();
        cx.push(
            Diagnostic::new(
                Code::PS509,
                msg!(
                    "无法判断 “{name}” 是否完成：指标值 “{t}”，实际完成值 “{v}”",
                    "cannot tell whether “{name}” was met: target “{t}”, actual “{v}”"
                ),
                actual.loc.span,
                msg!("请写得分", "write the score"),
            )
            .with_help(msg!(
                "在指标行之下写 `得分 N`（定性指标常按 80–100%、60–80%、0–60% 三档计分），或写出可比较的实际值",
                "write `得分 N` under the indicator (qualitative targets are often scored in bands of 80–100%, 60–80%, 0–60%), or an actual that compares"
            )),
        );
    }
}

/// PS505 / PS514: a missed target, or one far exceeded, without a deviation note.
pub(super) fn deviations(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (m, a, at) in assessed(p) {
        if a.deviation.is_some() || at.broken {
            continue;
        }
        let name = &m.name;
        let line = m.loc.span;
        // Missed: by the rules, or — where they cannot tell — by a score below the weight.
        let missed = match a.judgement.met {
            Some(met) => !met,
            None => a.score.is_some_and(|sc| sc < a.weight),
        };
        if missed && a.actual.is_some() {
            cx.push(
                Diagnostic::new(
                    Code::PS505,
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
                    Code::PS514,
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
}

/// PS512: weights written under some indicators only.
pub(super) fn partial_weights(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some(e_at) = &p.at.year_end else {
        return;
    };
    let n = e_at.indicators.len();
    let n_lines = e_at.indicators.iter().filter(|a| a.weight_line).count();
    if n_lines == 0 || n_lines == n {
        return;
    }
    let missing = n - n_lines;
    let Some((first, _)) = p
        .model
        .indicators
        .iter()
        .zip(&e_at.indicators)
        .find(|(_, a)| !a.weight_line)
    else {
        return;
    };
    cx.push(
        Diagnostic::new(
            Code::PS512,
            msg!(
                "{n_lines} 条指标写了分值，{missing} 条没有写",
                "{n_lines} indicators have a weight and {missing} have none"
            ),
            first.loc.span,
            msg!("这条指标没有分值", "this indicator has no weight"),
        )
        .with_help(msg!(
            "要么每条指标都写 `分值 N`，要么都不写（按缺省分值平均分配）",
            "write `分值 N` under every indicator, or under none (the default weights are then shared out)"
        )),
    );
}

/// PS504: weights (with the execution's) that do not add up to 100.
pub(super) fn weight_total(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let Some((e, e_at)) = evaluated(p) else {
        return;
    };
    let scoring = header.template().scoring;
    let weight_total: Decimal = e.subtotals.iter().map(|s| s.weight).sum();
    if weight_total == Decimal::ONE_HUNDRED || !e_at.comparable {
        return;
    }
    let name = &p.model.name;
    let parts: Vec<String> = e
        .subtotals
        .iter()
        .map(|s| format!("{} {}", s.group.name(), s.weight.normalize()))
        .collect();
    let parts = parts.join("、");
    let empty: Vec<&str> = e
        .subtotals
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
            Code::PS504,
            msg!(
                "项目 “{name}” 的分值合计为 {t}，不是 100",
                "the weights of project “{name}” add up to {t}, not 100"
            ),
            p.at.head,
            msg!("{parts}{why}", "{parts}{why_en}"),
        )
        .with_help(msg!(
            "调整各指标的分值使合计为 100（缺省：预算执行率 10、产出 50、效益 30、满意度 10）",
            "adjust the weights to add up to 100 (default: execution 10, outputs 50, effects 30, satisfaction 10)"
        )),
    );
}

/// PS511: an evaluated project without its budget execution.
pub(super) fn execution_missing(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some((e, _)) = evaluated(p) else {
        return;
    };
    if e.execution.is_some() {
        return;
    }
    let name = &p.model.name;
    cx.push(
        Diagnostic::new(
            Code::PS511,
            msg!(
                "项目 “{name}” 缺少预算执行情况",
                "project “{name}” has no budget execution"
            ),
            p.at.head,
            msg!("缺少 预算执行 块", "no 预算执行 block"),
        )
        .with_help(msg!(
            "加上 `预算执行 {{ 全年预算数 … 全年执行数 … }}`：预算执行率计 10 分",
            "add `预算执行 {{ 全年预算数 … 全年执行数 … }}`: the execution rate carries 10 points"
        )),
    );
}

/// PS516: a written total or grade that is not what the rules give (or no grade at all).
pub(super) fn total_and_grade(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let Some((e, e_at)) = evaluated(p) else {
        return;
    };
    let scoring = header.template().scoring;
    if let (Some(span), Some(w), Some(s)) = (e_at.total, e.total_written, e.score) {
        if assess::round(w) != s {
            cx.push(
                Diagnostic::new(
                    Code::PS516,
                    msg!(
                        "总分写为 {w}，按评分规则为 {s}",
                        "the total is written as {w}; by the rules it is {s}"
                    ),
                    span,
                    msg!("与计算结果不符", "disagrees with the computed total"),
                )
                .with_help(msg!(
                    "总分是预算执行率得分与各指标得分之和；核对各行得分后改为 {s}",
                    "the total is the execution score plus every indicator's score; check the rows, then write {s}"
                ))
                .with_fix(Fix::replace(
                    msg!("改为 {s}", "write {s}"),
                    span,
                    s.to_string(),
                )),
            );
        }
    }
    let (Some(span), Some(g)) = (e_at.grade, &e.grade_written) else {
        return;
    };
    let scale: Vec<&str> = scoring.grades.iter().map(|g| g.grade).collect();
    let scale = scale.join("、");
    if !scoring.is_grade(g) {
        cx.push(
            Diagnostic::new(
                Code::PS516,
                msg!("“{g}” 不是评价等级", "“{g}” is not a grade"),
                span,
                msg!("等级为 {scale}", "grades: {scale}"),
            )
            .with_help(msg!(
                "按总分写等级：{scale}",
                "write the grade of the total: {scale}"
            )),
        );
    } else if let Some(c) = e.grade.filter(|c| c != g) {
        let s = e.score.unwrap_or_default();
        cx.push(
            Diagnostic::new(
                Code::PS516,
                msg!(
                    "等级写为 “{g}”，总分 {s} 应为 “{c}”",
                    "the grade is written as “{g}”; a total of {s} is “{c}”"
                ),
                span,
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
            .with_fix(Fix::replace(msg!("改为 “{c}”", "write “{c}”"), span, c)),
        );
    }
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
