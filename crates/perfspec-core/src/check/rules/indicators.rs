//! Indicator rules (PS3xx): the category as written, comparators and their direction,
//! units and their dimensions, values, and what a project's indicator list must hold.
//! Unknown categories and units (PS301, PS303, PS315) are lowering's
//! (`lower/indicator.rs`): such a line does not lower.

use crate::check::cx::Cx;
use crate::check::lower::{CategoryAs, Header, IndicatorLine, Project, ToFill, MAX_AMOUNT_YUAN};
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::{self, Dimension, Indicator, Level1, Level2, Target};
use crate::msg;
use crate::syntax::{Op, Span};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The lines that lowered, with their indicators.
fn lowered(p: &Project) -> impl Iterator<Item = (&IndicatorLine, &Indicator)> {
    p.at.lines.iter().filter_map(|l| match l.lowered {
        Ok(i) => Some((l, &p.model.indicators[i])),
        Err(_) => None,
    })
}

/// PS302: a category written by an older or regional name. A template whose own tree is
/// the 2015 one (成本 under 产出: 中央2015, 区域, 自评表) reads its placements silently.
pub(super) fn category_alias(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    let legacy_tree = header.template().legacy_tree;
    for line in &p.at.lines {
        let Some((l, how)) = line.level2 else {
            continue;
        };
        let span = line.category;
        let word = cx.source.get(span.range()).unwrap_or_default();
        match how {
            CategoryAs::Exact => {}
            CategoryAs::Alias => {
                let (full, short) = (l.name(), l.short());
                cx.push(
                    Diagnostic::new(
                        Code::PS302,
                        msg!(
                            "“{word}” 是旧称或别名，现行框架称 “{full}”",
                            "“{word}” is an older or regional name; the framework says “{full}”"
                        ),
                        span,
                        msg!("按 {full} 处理", "read as {full}"),
                    )
                    .with_help(msg!("改写为 `{short}`", "write `{short}`"))
                    .with_fix(Fix::replace(
                        msg!("改写为 `{short}`", "write `{short}`"),
                        span,
                        short,
                    )),
                );
            }
            CategoryAs::Legacy if legacy_tree => {}
            CategoryAs::Legacy => {
                cx.push(
                    Diagnostic::new(
                        Code::PS302,
                        msg!(
                            "“{word}” 在 2021 年前的框架中是产出指标下的二级指标；现行框架中成本指标是一级指标",
                            "“{word}” was a level-2 category under 产出 before 2021; the current framework has 成本指标 as level 1"
                        ),
                        span,
                        msg!("按 经济成本指标 处理", "read as 经济成本指标"),
                    )
                    .with_help(msg!(
                        "改写为 `经济成本`（或 `社会成本`、`生态环境成本`）",
                        "write `经济成本` (or `社会成本`, `生态环境成本`)"
                    ))
                    .with_fix(Fix::replace(
                        msg!("改写为 `经济成本`", "write `经济成本`"),
                        span,
                        l.short(),
                    )),
                );
            }
        }
    }
}

/// PS311: a target without comparator, read as `=` (on every line with a known category).
pub(super) fn missing_comparator(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for line in &p.at.lines {
        if line.level2.is_none() || line.op.is_some() {
            continue;
        }
        cx.push(
            Diagnostic::new(
                Code::PS311,
                msg!(
                    "指标值缺少比较符，按 “=” 处理",
                    "the target has no comparator; read as “=”"
                ),
                line.value,
                msg!("缺少比较符", "no comparator"),
            )
            .with_help(msg!(
                "写明比较符：`≥`、`≤` 或 `=`",
                "write the comparator: `≥`, `≤` or `=`"
            ))
            .with_fix(Fix::insert(
                msg!(
                    "写明比较符 `=`（即现在的读法）",
                    "write the comparator `=` (as it is read now)"
                ),
                line.value.start as usize,
                "= ",
            )),
        );
    }
}

/// PS314: a qualitative target with an ordering comparator.
pub(super) fn qualitative_comparator(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        let Target::Qualitative { text } = &m.target else {
            continue;
        };
        let op = line.op.as_ref().map_or(Op::Eq, |o| o.value);
        // `≥ 待填`: the comparator is printed, the number is not (PS114 said so).
        if op == Op::Eq || crate::vocab::keys::is_to_fill(text) {
            continue;
        }
        let op_span = line.op_span();
        let sym = op.symbol();
        cx.push(
            Diagnostic::new(
                Code::PS314,
                msg!(
                    "定性指标值 “{text}” 不能用 “{sym}” 比较",
                    "qualitative target “{text}” cannot be compared with “{sym}”"
                ),
                op_span,
                msg!("定性值只能用 =", "qualitative targets take ="),
            )
            .with_help(msg!(
                "写成 `= {text}`；若是数值，请写数字和单位，如 `≥ 90 %`",
                "write `= {text}`; for a number write it with its unit, e.g. `≥ 90 %`"
            ))
            .with_fix(Fix::replace(msg!("改为 `=`", "write `=`"), op_span, "=")),
        );
    }
}

/// PS313: a deadline outside the project's period.
pub(super) fn deadline(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let (Some(sv), Some(ev), Some(s), Some(e)) = (p.model.start, p.model.end, p.at.start, p.at.end)
    else {
        return;
    };
    for (line, m) in lowered(p) {
        let Target::Date { date, .. } = &m.target else {
            continue;
        };
        let valid = date.is_valid() && sv.is_valid() && ev.is_valid();
        if valid && (*date < sv || *date > ev) {
            cx.push(
                Diagnostic::new(
                    Code::PS313,
                    msg!(
                        "完成时限 {date} 不在实施期间 {sv} 至 {ev} 内",
                        "deadline {date} lies outside the period {sv} to {ev}"
                    ),
                    line.value,
                    msg!("期间外的日期", "outside the period"),
                )
                .with_label(
                    Span::new(s.start as usize, e.end as usize),
                    msg!("实施期间", "the period"),
                )
                .with_help(msg!(
                    "时限应在项目实施期间内",
                    "a deadline belongs inside the project period"
                )),
            );
        }
    }
}

/// PS004 (a money target beyond any budget), PS316 (negative), PS306 (a percentage over
/// 100): on the number, or on each bound of a range.
pub(super) fn values(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        match &m.target {
            Target::Quantity { value, unit, .. } => {
                if let [Some(span), _] = line.numbers {
                    value_rules(cx, unit, *value, span);
                }
            }
            Target::Range(r) => {
                if let [Some(low), Some(high)] = line.numbers {
                    value_rules(cx, &r.unit, r.low, low);
                    value_rules(cx, &r.unit, r.high, high);
                }
            }
            _ => {}
        }
    }
}

/// PS312: a range whose bounds are reversed; the fix swaps them as written.
pub(super) fn range_bounds(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        let (Target::Range(r), [Some(low), Some(high)]) = (&m.target, line.numbers) else {
            continue;
        };
        if r.low <= r.high {
            continue;
        }
        let (l, h) = (r.low, r.high);
        cx.push(
            Diagnostic::new(
                Code::PS312,
                msg!(
                    "区间下限 {l} 大于上限 {h}",
                    "range low {l} is above high {h}"
                ),
                line.value,
                msg!("上下限颠倒", "bounds reversed"),
            )
            .with_help(msg!("写成 `{h} ~ {l}`", "write `{h} ~ {l}`"))
            .with_fix(
                Fix::replace(
                    msg!("交换上下限", "swap the bounds"),
                    low,
                    cx.source.get(high.range()).unwrap_or_default(),
                )
                .and(high, cx.source.get(low.range()).unwrap_or_default()),
            ),
        );
    }
}

/// PS304 / PS305: a unit (or a date, or a word) impossible or unusual for the category.
pub(super) fn unit_fit(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        let cat = m.level2.name();
        let unit_span = line.unit.unwrap_or(line.value);
        let fit = fit(m.level2, &m.target);
        // The wording is built only when there is a finding: two `format!`s for every
        // indicator showed up in profiles.
        let ((what, what_en), (exp, exp_en)) = match fit {
            Fit::Ok => Default::default(),
            _ => (describe(&m.target), expected(m.level2)),
        };
        match fit {
            Fit::Impossible => cx.push(
                Diagnostic::new(
                    Code::PS304,
                    msg!(
                        "{cat}不能用{what}",
                        "a {cat} indicator cannot take {what_en}"
                    ),
                    unit_span,
                    msg!("与 {cat} 不符", "does not fit {cat}"),
                )
                .with_label(line.category, msg!("指标类别", "the category"))
                .with_help(msg!("{cat}的指标值应为{exp}", "a {cat} target is {exp_en}")),
            ),
            Fit::Unusual => cx.push(
                Diagnostic::new(
                    Code::PS305,
                    msg!("{cat}使用{what}不常见", "{what_en} is unusual for {cat}"),
                    unit_span,
                    msg!("不常见", "unusual"),
                )
                .with_label(line.category, msg!("指标类别", "the category"))
                .with_help(msg!(
                    "{cat}通常为{exp}；检查类别是否选对，确有需要可加 `# perfspec: allow PS305`",
                    "{cat} usually takes {exp_en}; check the category, or add `# perfspec: allow PS305`"
                )),
            ),
            Fit::Ok => {}
        }
    }
}

/// PS307: comparators that point the wrong way for what is measured.
pub(super) fn directions(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        direction(cx, m, line.op_span());
    }
}

/// PS317: targets that are always met.
pub(super) fn trivial_targets(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    for (line, m) in lowered(p) {
        trivial(cx, m, line.value);
    }
}

const LOWER_IS_BETTER: &[&str] = &[
    "投诉率",
    "差错率",
    "错误率",
    "事故率",
    "发生率",
    "失误率",
    "退回率",
    "流失率",
    "返工率",
    "超时率",
];
const HIGHER_IS_BETTER: &[&str] = &[
    "合格率",
    "准确率",
    "覆盖率",
    "完成率",
    "满意度",
    "达标率",
    "及时率",
    "知晓率",
    "正确率",
    "处置率",
    "反馈率",
    "受理率",
    "办结率",
];

/// PS307: comparators that point the wrong way for what is measured.
fn direction(cx: &mut Cx<'_>, m: &Indicator, op_span: Span) {
    let Some(op) = m.target.op() else { return };
    let up = matches!(op, Op::Ge | Op::Gt);
    let down = matches!(op, Op::Le | Op::Lt);
    let dim = m.target.unit().map(|u| u.dimension);
    let name = &m.name;
    let (why, why_en, fix) =
        if m.level1() == Level1::Cost && up && dim.is_some_and(Dimension::is_money) {
            (
                "成本指标是上限，通常写 ≤",
                "a cost indicator is a cap and is written ≤",
                "≤",
            )
        } else if m.level1() == Level1::Satisfaction && down {
            (
                "满意度是下限，通常写 ≥",
                "satisfaction is a floor and is written ≥",
                "≥",
            )
        } else if m.level2 == Level2::Timeliness && up && dim == Some(Dimension::Duration) {
            (
                "响应或办理时长是上限，通常写 ≤",
                "a response or handling time is a cap and is written ≤",
                "≤",
            )
        } else if up && matches!(m.target, Target::Date { .. }) {
            (
                "完成时限是最晚日期，通常写 ≤",
                "a deadline is the latest date and is written ≤",
                "≤",
            )
        } else if up
            && dim == Some(Dimension::Percent)
            && LOWER_IS_BETTER.iter().any(|w| name.ends_with(w))
        {
            (
                "此类比率越低越好，通常写 ≤",
                "this rate is better when lower and is written ≤",
                "≤",
            )
        } else if down
            && dim == Some(Dimension::Percent)
            && HIGHER_IS_BETTER.iter().any(|w| name.ends_with(w))
        {
            (
                "此类比率越高越好，通常写 ≥",
                "this rate is better when higher and is written ≥",
                "≥",
            )
        } else {
            return;
        };
    let sym = op.symbol();
    cx.push(
        Diagnostic::new(
            Code::PS307,
            msg!(
                "“{name}” 的比较符 “{sym}” 方向可疑：{why}",
                "“{name}” uses “{sym}”, which looks reversed: {why_en}"
            ),
            op_span,
            msg!("方向可疑", "suspicious direction"),
        )
        .with_help(msg!(
            "改为 `{fix}`；若确是有意为之，在行尾加 `# perfspec: allow PS307`",
            "write `{fix}`; if intended, end the line with `# perfspec: allow PS307`"
        )),
    );
}

/// PS317: targets that are met whatever happens (`≥ 0 件`, `≤ 100 %`).
fn trivial(cx: &mut Cx<'_>, m: &Indicator, span: Span) {
    let Target::Quantity { op, value, unit } = &m.target else {
        return;
    };
    let always = match op {
        Op::Ge => value.is_zero(),
        Op::Le => &*unit.canonical == "%" && *value >= Decimal::from(100),
        _ => false,
    };
    if always {
        let t = m.target.form_notation();
        cx.push(
            Diagnostic::new(
                Code::PS317,
                msg!(
                    "指标值 {t} 总能达到，起不到约束作用",
                    "target {t} is always met and constrains nothing"
                ),
                span,
                msg!("形同虚设", "always met"),
            )
            .with_help(msg!(
                "设定有实际意义的目标值",
                "set a target that means something"
            )),
        );
    }
}

/// PS308: the same indicator name twice in a project.
pub(super) fn duplicate_names(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let inds = &p.model.indicators;
    let mut first: HashMap<&str, Span> = HashMap::new();
    for m in inds {
        match first.get(m.key()) {
            Some(prev) => {
                let n = &m.name;
                cx.push(
                    Diagnostic::new(
                        Code::PS308,
                        msg!(
                            "指标名称 “{n}” 在项目中重复",
                            "indicator “{n}” appears twice in the project"
                        ),
                        m.loc.span,
                        msg!("重复的指标", "again here"),
                    )
                    .with_label(*prev, msg!("第一次在这里", "first here"))
                    .with_help(msg!(
                        "合并两条指标，或改名以区分",
                        "merge the two, or rename one to tell them apart"
                    )),
                );
            }
            None => {
                first.insert(m.key(), m.loc.span);
            }
        }
    }
}

/// PS309 / PS310: a required level-1 category with no indicator (judged only when every
/// line was understood: a typo in a category must not also report the category missing).
pub(super) fn required_categories(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let inds = &p.model.indicators;
    // A project of placeholders only (`产出指标 待填`) is judged too: PS110 leaves it to
    // this rule to say which required category has neither a row nor a placeholder.
    let placeholders = p.at.to_fill.iter().any(|t| matches!(t, ToFill::Level1(_)));
    if (p.at.lines.is_empty() && !placeholders) || inds.len() != p.at.lines.len() || p.at.broken {
        return;
    }
    let project = &p.model.name;
    let head = p.at.head;
    let mut present: Vec<Level1> = inds.iter().map(|i| i.level1()).collect();
    present.sort();
    present.dedup();
    for (l1, code) in [
        (Level1::Output, Code::PS309),
        (Level1::Benefit, Code::PS309),
        (Level1::Cost, Code::PS310),
        (Level1::Satisfaction, Code::PS310),
    ] {
        // `效益指标 待填`: the source form has none, acknowledged (PS114 said so).
        if present.contains(&l1) || p.at.to_fill.contains(&ToFill::Level1(l1)) {
            continue;
        }
        let (n, en) = (l1.name(), l1.english());
        let example = match l1 {
            Level1::Output => "数量 完成服务次数 ≥ 40 次",
            Level1::Benefit => "社会效益 有责投诉率 ≤ 2 %",
            Level1::Cost => "经济成本 服务经费成本控制情况 ≤ 44.00 万元",
            Level1::Satisfaction => "服务对象满意度 市民满意度 ≥ 90 %",
        };
        cx.push(
            Diagnostic::new(
                code,
                msg!(
                    "项目 “{project}” 缺少{n}",
                    "project “{project}” has no {en} indicator ({n})"
                ),
                head,
                msg!("缺少{n}", "no {n}"),
            )
            .with_help(msg!(
                "补充至少一条，例如 `{example}`",
                "add at least one, e.g. `{example}`"
            )),
        );
    }
}

fn value_rules(cx: &mut Cx<'_>, unit: &model::Unit, value: Decimal, span: Span) {
    // A money target is summed against the funding in 元. Beyond the funding's own bound
    // (or beyond what an exact decimal holds once converted) it would silently drop out of
    // those sums, so it is refused like a funding amount.
    if let Some(factor) = unit
        .yuan_factor
        .filter(|_| unit.dimension == Dimension::Money)
    {
        let limit = Decimal::from(MAX_AMOUNT_YUAN);
        if value.checked_mul(factor).map_or(true, |y| y.abs() > limit) {
            let u = &unit.spelling;
            cx.push(
                Diagnostic::new(
                    Code::PS004,
                    msg!(
                        "金额 {value} {u} 超出合理范围（上限 10^15 元）",
                        "amount {value} {u} is beyond any real budget (limit 10^15 元)"
                    ),
                    span,
                    msg!("过大", "too large"),
                )
                .with_help(msg!(
                    "检查是否多写了数字或写错了单位",
                    "check for extra digits or a wrong unit"
                )),
            );
        }
    }
    if value.is_sign_negative() && !value.is_zero() {
        cx.push(
            Diagnostic::new(
                Code::PS316,
                msg!("指标值 {value} 为负数", "target {value} is negative"),
                span,
                msg!("负数", "negative"),
            )
            .with_help(msg!(
                "表示下降时用正数和方向表达，如 `有责投诉率 ≤ 2 %` 或 `能耗下降率 ≥ 5 %`",
                "express a decrease with a positive number and the direction, e.g. `能耗下降率 ≥ 5 %`"
            )),
        );
    }
    if unit.dimension == Dimension::Percent && &*unit.canonical == "%" && value > Decimal::from(100)
    {
        cx.push(
            Diagnostic::new(
                Code::PS306,
                msg!(
                    "百分比 {value}% 超过 100",
                    "percentage {value}% is above 100"
                ),
                span,
                msg!("应在 0–100 之间", "expected 0–100"),
            )
            .with_help(msg!(
                "百分比在 0 到 100 之间；增长幅度可用 `百分点`，或改用数量单位",
                "a percentage lies between 0 and 100; for growth use 百分点 or a count"
            )),
        );
    }
}

/// Dimensions a category takes: `Ok` fits, `Unusual` warns (PS305), `Impossible` errs (PS304).
#[derive(PartialEq, Eq, Clone, Copy)]
enum Fit {
    Ok,
    Unusual,
    Impossible,
}

fn fit(level2: Level2, target: &Target) -> Fit {
    use Dimension::*;
    let l1 = level2.level1();
    let dim = match target {
        // `= 待填`: the form gives no target (a unit printed alone, `公里`); nothing to
        // judge (PS114 said so).
        Target::Qualitative { text } if crate::vocab::keys::is_to_fill(text) => return Fit::Ok,
        Target::Qualitative { .. } => {
            return match (l1, level2) {
                (_, Level2::Quantity) => Fit::Impossible,
                (Level1::Satisfaction, _) => Fit::Unusual,
                _ => Fit::Ok,
            }
        }
        Target::Date { .. } => {
            return if level2 == Level2::Timeliness {
                Fit::Ok
            } else {
                Fit::Unusual
            };
        }
        t => t.unit().map(|u| u.dimension).unwrap_or(Count),
    };
    // `≥ 100 待填`: nothing to judge the unit by (PS114 said so).
    if dim == Unknown {
        return Fit::Ok;
    }
    match l1 {
        Level1::Cost => match dim {
            Money | UnitCost => Fit::Ok,
            Percent => Fit::Unusual,
            _ => Fit::Impossible,
        },
        Level1::Output => match level2 {
            Level2::Quantity => match dim {
                UnitCost => Fit::Impossible,
                Percent | Money | Score => Fit::Unusual,
                _ => Fit::Ok,
            },
            Level2::Quality => match dim {
                UnitCost => Fit::Impossible,
                Percent | Score | Count | Rate => Fit::Ok,
                _ => Fit::Unusual,
            },
            _ => match dim {
                Money | UnitCost => Fit::Impossible,
                Duration | DurationRate | Percent | Rate => Fit::Ok,
                _ => Fit::Unusual,
            },
        },
        Level1::Benefit => match dim {
            UnitCost => Fit::Unusual,
            _ => Fit::Ok,
        },
        Level1::Satisfaction => match dim {
            Percent | Score => Fit::Ok,
            _ => Fit::Impossible,
        },
    }
}

fn describe(target: &Target) -> (String, String) {
    match target {
        Target::Qualitative { text } => (
            format!("定性值 “{text}”"),
            format!("the qualitative value “{text}”"),
        ),
        Target::Date { date, .. } => (format!("日期 {date}"), format!("the date {date}")),
        t => match t.unit() {
            Some(u) => (
                format!("单位 “{}”（{}）", u.spelling, u.dimension.name_zh()),
                format!("the unit “{}” ({})", u.spelling, u.dimension.name_en()),
            ),
            None => (String::new(), String::new()),
        },
    }
}

/// Whether the indicator's target cannot be of its category at all (PS304).
pub(crate) fn unit_impossible(m: &Indicator) -> bool {
    fit(m.level2, &m.target) == Fit::Impossible
}

/// Whether a number in a unit of `dim` fits the category without a finding (no PS304 or
/// PS305): what an editor offers after a number.
pub fn unit_fits(level2: Level2, dim: Dimension) -> bool {
    let unit = std::sync::Arc::new(model::Unit {
        spelling: std::sync::Arc::from(""),
        canonical: std::sync::Arc::from(""),
        dimension: dim,
        yuan_factor: None,
    });
    let target = Target::Quantity {
        op: Op::Eq,
        value: Decimal::ONE,
        unit,
    };
    fit(level2, &target) == Fit::Ok
}

/// What a category's target is (Chinese, English): the rule text PS304 and PS305 quote.
pub fn expected_target(level2: Level2) -> (&'static str, &'static str) {
    expected(level2)
}

fn expected(level2: Level2) -> (&'static str, &'static str) {
    match level2.level1() {
        Level1::Cost => (
            "金额（万元、元）或单价（元/件、元/小时）",
            "money (万元, 元) or a unit cost (元/件, 元/小时)",
        ),
        Level1::Satisfaction => (
            "百分比（%）或分值（分）",
            "a percentage (%) or a score (分)",
        ),
        Level1::Benefit => (
            "比率（%）、数量或定性描述",
            "a rate (%), an amount or a qualitative word",
        ),
        Level1::Output => match level2 {
            Level2::Quantity => (
                "数量单位（次、件、份、人次、小时…）",
                "a count or amount (次, 件, 份, 人次, 小时 …)",
            ),
            Level2::Quality => (
                "百分比（%）、分值或定性描述",
                "a percentage (%), a score or a qualitative word",
            ),
            _ => (
                "时长（小时、工作日）、时长率（小时/天）、日期或定性描述（及时）",
                "a duration (小时, 工作日), a span per day (小时/天), a date or a word (及时)",
            ),
        },
    }
}
