//! Indicator and unit rules (PS3xx): the taxonomy, units and their dimensions, comparator
//! direction, and what a project's indicator list must hold.

use super::units::{self, UnitError, UnitTable};
use super::{style, Cx};
use crate::diag::{Diagnostic, Fix};
use crate::model::{self, Dimension, Indicator, Level1, Level2, Target};
use crate::msg;
use crate::syntax::{self, DateLit, Op, Span, Spanned, ValueLit};
use crate::vocab::taxonomy::{self, Match};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Names longer than this (in characters) get PS403.
pub const MAX_NAME_CHARS: usize = 100;

pub(super) fn declare_unit(cx: &mut Cx<'_>, table: &mut UnitTable, d: &syntax::UnitDecl) {
    let Some(dim) = units::dimension_from_word(&d.dimension.value) else {
        let w = &d.dimension.value;
        let all: Vec<&str> = Dimension::ALL.iter().map(|d| d.name_zh()).collect();
        let all = all.join("、");
        cx.push(
            Diagnostic::new(
                "PS318",
                msg!("未知的量纲 “{w}”", "unknown dimension “{w}”"),
                d.dimension.span,
                msg!("不是量纲名", "not a dimension"),
            )
            .with_help(msg!("量纲可用：{all}", "dimensions: {all}")),
        );
        return;
    };
    if let Some(existing) = table.declare(&d.unit.value, dim) {
        if existing != dim {
            let (u, e, ee) = (&d.unit.value, existing.name_zh(), existing.name_en());
            cx.push(
                Diagnostic::new(
                    "PS318",
                    msg!(
                        "“{u}” 是内置单位，量纲为 {e}，不能改声明",
                        "“{u}” is built in with dimension {ee} and cannot be redeclared"
                    ),
                    d.span,
                    msg!("与内置量纲冲突", "conflicts with the built-in dimension"),
                )
                .with_help(msg!("删除这一行", "delete this line"))
                .with_fix(Fix::replace(
                    msg!("删除这一行", "delete this line"),
                    whole_lines(cx.source, d.span),
                    "",
                )),
            );
        }
    }
}

/// The lines `span` touches, with the line end after them: what deleting those lines removes.
pub(super) fn whole_lines(source: &str, span: Span) -> Span {
    let start = (span.start as usize).min(source.len());
    let end = (span.end as usize).clamp(start, source.len());
    let from = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let to = match source[end..].find('\n') {
        Some(i) => end + i + 1,
        None => source.len(),
    };
    // A span that already ends with its line end takes no second line.
    let to = if end > start && source[..end].ends_with('\n') {
        end
    } else {
        to
    };
    Span::new(from, to)
}

/// Lower one indicator line; `None` when its category is unknown (reported).
pub(super) fn lower(
    cx: &mut Cx<'_>,
    table: &UnitTable,
    ind: &syntax::Indicator,
    period: Option<(&Spanned<DateLit>, &Spanned<DateLit>)>,
) -> Option<Indicator> {
    let name = syntax::normalize_spaces(&ind.name.value);
    style::check_text(cx, &name, ind.name.span);
    if name.chars().count() > MAX_NAME_CHARS {
        let n = name.chars().count();
        cx.push(
            Diagnostic::new(
                "PS403",
                msg!(
                    "指标名称过长（{n} 个字符）",
                    "indicator name is too long ({n} characters)"
                ),
                ind.name.span,
                msg!(
                    "超过 {MAX_NAME_CHARS} 个字符",
                    "over {MAX_NAME_CHARS} characters"
                ),
            )
            .with_help(msg!(
                "三级指标名称应简明，说明放入注释",
                "keep the name short; put explanations in a comment"
            )),
        );
    }
    if name.is_empty() {
        cx.push(
            Diagnostic::new(
                "PS101",
                msg!("指标缺少名称", "the indicator has no name"),
                ind.name.span,
                msg!("名称为空", "empty name"),
            )
            .with_help(msg!(
                "写明三级指标名称，如 `数量 窗口申请材料受理 ≥ 8000 件`",
                "name the indicator, e.g. `数量 窗口申请材料受理 ≥ 8000 件`"
            )),
        );
        return None;
    }
    let level2 = category(cx, &ind.category)?;
    let explicit_op = ind.op.is_some();
    if !explicit_op {
        cx.push(
            Diagnostic::new(
                "PS311",
                msg!(
                    "指标值缺少比较符，按 “=” 处理",
                    "the target has no comparator; read as “=”"
                ),
                ind.value.span,
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
                ind.value.span.start as usize,
                "= ",
            )),
        );
    }
    let op = ind.op.as_ref().map(|o| o.value).unwrap_or(Op::Eq);
    let op_span = ind.op.as_ref().map(|o| o.span).unwrap_or(ind.value.span);
    let target = match &ind.value.value {
        ValueLit::Text(t) => {
            let text = syntax::normalize_spaces(t);
            if op != Op::Eq {
                let sym = op.symbol();
                cx.push(
                    Diagnostic::new(
                        "PS314",
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
                    .with_fix(Fix::replace(
                        msg!("改为 `=`", "write `=`"),
                        op_span,
                        "=",
                    )),
                );
            }
            Target::Qualitative { text }
        }
        ValueLit::Date(date) => {
            if let Some((s, e)) = period {
                let valid = date.is_valid() && s.value.is_valid() && e.value.is_valid();
                if valid && (*date < s.value || *date > e.value) {
                    let (sv, ev) = (s.value, e.value);
                    cx.push(
                        Diagnostic::new(
                            "PS313",
                            msg!(
                                "完成时限 {date} 不在实施期间 {sv} 至 {ev} 内",
                                "deadline {date} lies outside the period {sv} to {ev}"
                            ),
                            ind.value.span,
                            msg!("期间外的日期", "outside the period"),
                        )
                        .with_label(
                            Span::new(s.span.start as usize, e.span.end as usize),
                            msg!("实施期间", "the period"),
                        )
                        .with_help(msg!(
                            "时限应在项目实施期间内",
                            "a deadline belongs inside the project period"
                        )),
                    );
                }
            }
            Target::Date { op, date: *date }
        }
        // A malformed number (PS004) was read as 0: judging it would only repeat the mistake.
        ValueLit::Number { number, .. } if cx.syntax_error_in(number.span, "PS004") => return None,
        ValueLit::Range { low, high, .. }
            if cx.syntax_error_in(low.span, "PS004") || cx.syntax_error_in(high.span, "PS004") =>
        {
            return None
        }
        ValueLit::Number { number, unit } => {
            let unit = resolve_unit(cx, table, unit.as_ref(), ind.value.span)?;
            let value = number.value.value;
            value_rules(cx, &unit, value, number.span);
            Target::Quantity { op, value, unit }
        }
        ValueLit::Range { low, high, unit } => {
            let unit = resolve_unit(cx, table, unit.as_ref(), ind.value.span)?;
            if low.value.value > high.value.value {
                let (l, h) = (low.value.value, high.value.value);
                cx.push(
                    Diagnostic::new(
                        "PS312",
                        msg!(
                            "区间下限 {l} 大于上限 {h}",
                            "range low {l} is above high {h}"
                        ),
                        ind.value.span,
                        msg!("上下限颠倒", "bounds reversed"),
                    )
                    .with_help(msg!("写成 `{h} ~ {l}`", "write `{h} ~ {l}`"))
                    .with_fix(
                        Fix::replace(
                            msg!("交换上下限", "swap the bounds"),
                            low.span,
                            cx.source.get(high.span.range()).unwrap_or_default(),
                        )
                        .and(
                            high.span,
                            cx.source.get(low.span.range()).unwrap_or_default(),
                        ),
                    ),
                );
            }
            value_rules(cx, &unit, low.value.value, low.span);
            value_rules(cx, &unit, high.value.value, high.span);
            Target::Range(Box::new(model::Range {
                low: low.value.value,
                high: high.value.value,
                unit,
            }))
        }
    };
    let m = Indicator {
        level2,
        name: name.into(),
        target,
        explicit_op,
        assessment: None,
        loc: cx.loc(ind.span),
    };
    category_rules(cx, ind, &m, op_span);
    Some(m)
}

fn category(cx: &mut Cx<'_>, cat: &Spanned<String>) -> Option<Level2> {
    let word = cat.value.as_str();
    match taxonomy::resolve(word) {
        Some(Match::Exact(l)) => Some(l),
        Some(Match::Alias(l)) => {
            let (full, short) = (l.name(), l.short());
            cx.push(
                Diagnostic::new(
                    "PS302",
                    msg!(
                        "“{word}” 是旧称或别名，现行框架称 “{full}”",
                        "“{word}” is an older or regional name; the framework says “{full}”"
                    ),
                    cat.span,
                    msg!("按 {full} 处理", "read as {full}"),
                )
                .with_help(msg!("改写为 `{short}`", "write `{short}`"))
                .with_fix(Fix::replace(
                    msg!("改写为 `{short}`", "write `{short}`"),
                    cat.span,
                    short,
                )),
            );
            Some(l)
        }
        // The template's own tree (中央2015, 区域, 自评表): read as the current one, silently.
        Some(Match::Legacy(l)) if cx.legacy_tree => Some(l),
        Some(Match::Legacy(l)) => {
            cx.push(
                Diagnostic::new(
                    "PS302",
                    msg!(
                        "“{word}” 在 2021 年前的框架中是产出指标下的二级指标；现行框架中成本指标是一级指标",
                        "“{word}” was a level-2 category under 产出 before 2021; the current framework has 成本指标 as level 1"
                    ),
                    cat.span,
                    msg!("按 经济成本指标 处理", "read as 经济成本指标"),
                )
                .with_help(msg!(
                    "改写为 `经济成本`（或 `社会成本`、`生态环境成本`）",
                    "write `经济成本` (or `社会成本`, `生态环境成本`)"
                ))
                .with_fix(Fix::replace(
                    msg!("改写为 `经济成本`", "write `经济成本`"),
                    cat.span,
                    l.short(),
                )),
            );
            Some(l)
        }
        None => {
            let near = taxonomy::suggest(word);
            let all: Vec<&str> = Level2::ALL.iter().map(|l| l.short()).collect();
            let all = all.join("、");
            let (hint, hint_en) = match near.first() {
                Some(n) => (
                    format!("（是否想写 “{n}”？）"),
                    format!(" (did you mean “{n}”?)"),
                ),
                None => (String::new(), String::new()),
            };
            let mut d = Diagnostic::new(
                "PS301",
                msg!(
                    "未知的指标类别 “{word}”{hint}",
                    "unknown indicator category “{word}”{hint_en}"
                ),
                cat.span,
                msg!("不是二级指标名", "not a level-2 category"),
            )
            .with_help(msg!("二级指标可用：{all}", "level-2 categories: {all}"));
            if let Some(n) = near.first() {
                d = d.with_fix(Fix::replace(
                    msg!("改为 “{n}”", "write “{n}”"),
                    cat.span,
                    *n,
                ));
            }
            cx.push(d);
            None
        }
    }
}

pub(super) fn resolve_unit(
    cx: &mut Cx<'_>,
    table: &UnitTable,
    unit: Option<&Spanned<String>>,
    value_span: Span,
) -> Option<std::sync::Arc<model::Unit>> {
    let Some(u) = unit else {
        cx.push(
            Diagnostic::new(
                "PS315",
                msg!("定量指标值缺少计量单位", "the number has no unit"),
                value_span,
                msg!("缺少单位", "no unit"),
            )
            .with_help(msg!(
                "在数字后写单位，如 `≥ 8000 件`、`≤ 44.00 万元`、`= 100 %`",
                "write the unit after the number, e.g. `≥ 8000 件`, `≤ 44.00 万元`, `= 100 %`"
            )),
        );
        return None;
    };
    match table.resolve(&u.value) {
        Ok(unit) => Some(unit),
        Err(UnitError::Unknown) => {
            let w = units::normalize_spelling(&u.value);
            let near = table.suggest(&u.value);
            let (hint, hint_en) = match near.first() {
                Some(n) => (
                    format!("（是否想写 “{n}”？）"),
                    format!(" (did you mean “{n}”?)"),
                ),
                None => (String::new(), String::new()),
            };
            let mut d = Diagnostic::new(
                "PS303",
                msg!("未知的计量单位 “{w}”{hint}", "unknown unit “{w}”{hint_en}"),
                u.span,
                msg!("未知单位", "unknown unit"),
            )
            .with_help(msg!(
                "使用常见单位，或在文件开头声明：`计量单位 {w} 计数`（量纲：金额、单价、计数、百分比、时长、分值、面积、长度、重量、体积…）",
                "use a known unit, or declare it at the top of the file: `计量单位 {w} 计数` (dimensions: 金额, 单价, 计数, 百分比, 时长, 分值, 面积, 长度, 重量, 体积…)"
            ));
            if let Some(n) = near.first() {
                d = d.with_fix(Fix::replace(
                    msg!("改为 “{n}”", "write “{n}”"),
                    u.span,
                    n.clone(),
                ));
            }
            cx.push(d);
            None
        }
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
        let limit = Decimal::from(super::money::MAX_AMOUNT_YUAN);
        if value.checked_mul(factor).map_or(true, |y| y.abs() > limit) {
            let u = &unit.spelling;
            cx.push(
                Diagnostic::new(
                    "PS004",
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
                "PS316",
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
                "PS306",
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

fn category_rules(cx: &mut Cx<'_>, ind: &syntax::Indicator, m: &Indicator, op_span: Span) {
    let cat = m.level2.name();
    let unit_span = match &ind.value.value {
        ValueLit::Number { unit: Some(u), .. } | ValueLit::Range { unit: Some(u), .. } => u.span,
        _ => ind.value.span,
    };
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
                "PS304",
                msg!(
                    "{cat}不能用{what}",
                    "a {cat} indicator cannot take {what_en}"
                ),
                unit_span,
                msg!("与 {cat} 不符", "does not fit {cat}"),
            )
            .with_label(ind.category.span, msg!("指标类别", "the category"))
            .with_help(msg!("{cat}的指标值应为{exp}", "a {cat} target is {exp_en}")),
        ),
        Fit::Unusual => cx.push(
            Diagnostic::new(
                "PS305",
                msg!("{cat}使用{what}不常见", "{what_en} is unusual for {cat}"),
                unit_span,
                msg!("不常见", "unusual"),
            )
            .with_label(ind.category.span, msg!("指标类别", "the category"))
            .with_help(msg!(
                "{cat}通常为{exp}；检查类别是否选对，确有需要可加 `# perfspec: allow PS305`",
                "{cat} usually takes {exp_en}; check the category, or add `# perfspec: allow PS305`"
            )),
        ),
        Fit::Ok => {}
    }
    direction(cx, m, op_span);
    trivial(cx, m, ind.value.span);
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
    let (why, why_en, fix) = if m.level1() == Level1::Cost
        && up
        && matches!(dim, Some(Dimension::Money | Dimension::UnitCost))
    {
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
            "PS307",
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
                "PS317",
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

/// Rules over a project's whole indicator list: duplicates and required categories.
pub(super) fn project_rules(
    cx: &mut Cx<'_>,
    project: &str,
    head: Span,
    ast: &[&syntax::Indicator],
    inds: &[Indicator],
    has_error_lines: bool,
) {
    if ast.is_empty() {
        if has_error_lines {
            return; // the indicators are there but did not parse: reported already
        }
        cx.push(
            Diagnostic::new(
                "PS110",
                msg!("项目 “{project}” 没有绩效指标", "project “{project}” has no indicators"),
                head,
                msg!("没有指标", "no indicators"),
            )
            .with_help(msg!(
                "按 `二级指标 名称 比较符 指标值 单位` 写出指标，如 `数量 窗口申请材料受理 ≥ 8000 件`",
                "write indicators as `category name comparator value unit`, e.g. `数量 窗口申请材料受理 ≥ 8000 件`"
            )),
        );
        return;
    }
    let mut first: HashMap<&str, Span> = HashMap::new();
    for m in inds {
        match first.get(&*m.name) {
            Some(prev) => {
                let n = &m.name;
                cx.push(
                    Diagnostic::new(
                        "PS308",
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
                first.insert(&m.name, m.loc.span);
            }
        }
    }
    // Required categories are judged only when every line was understood: a typo in a
    // category must not also report the category as missing.
    if inds.len() != ast.len() || has_error_lines {
        return;
    }
    let present = super::structure::level1_present(inds);
    for (l1, code) in [
        (Level1::Output, "PS309"),
        (Level1::Benefit, "PS309"),
        (Level1::Cost, "PS310"),
        (Level1::Satisfaction, "PS310"),
    ] {
        if present.contains(&l1) {
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
