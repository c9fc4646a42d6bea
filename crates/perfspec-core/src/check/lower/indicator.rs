//! An indicator line → `model::Indicator`: the category resolved against the taxonomy, the
//! unit against the vocabulary and the file's declarations. A line without a name, with an
//! unknown category, or whose number cannot be read in a known unit does not lower.

use super::{CategoryAs, IndicatorLine};
use crate::check::cx::Cx;
use crate::check::units::{self, UnitError, UnitTable};
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::{self, Indicator, Level2, Target};
use crate::msg;
use crate::syntax::{self, Op, Span, Spanned, ValueLit};
use crate::vocab::taxonomy::{self, Match};

/// Lower one indicator line; `index` is where it goes in the model's indicators if it
/// lowers.
pub(super) fn indicator(
    cx: &mut Cx<'_>,
    table: &UnitTable,
    ind: &syntax::Indicator,
    index: usize,
) -> (IndicatorLine, Option<Indicator>) {
    let name = syntax::normalize_spaces(&ind.name.value);
    let (unit, numbers) = match &ind.value.value {
        ValueLit::Number { number, unit } => {
            (unit.as_ref().map(|u| u.span), [Some(number.span), None])
        }
        ValueLit::Range { low, high, unit } => (
            unit.as_ref().map(|u| u.span),
            [Some(low.span), Some(high.span)],
        ),
        _ => (None, [None, None]),
    };
    let mut line = IndicatorLine {
        name: ind.name.span,
        category: ind.category.span,
        level2: None,
        op: ind.op.clone(),
        value: ind.value.span,
        unit,
        numbers,
        lowered: Err(Box::from("")),
    };
    if name.is_empty() {
        cx.push(
            Diagnostic::new(
                Code::PS101,
                msg!("指标缺少名称", "the indicator has no name"),
                ind.name.span,
                msg!("名称为空", "empty name"),
            )
            .with_help(msg!(
                "写明三级指标名称，如 `数量 窗口申请材料受理 ≥ 8000 件`",
                "name the indicator, e.g. `数量 窗口申请材料受理 ≥ 8000 件`"
            )),
        );
        return (line, None);
    }
    line.level2 = category(cx, &ind.category);
    let Some((level2, _)) = line.level2 else {
        line.lowered = Err(name.into());
        return (line, None);
    };
    let Some(target) = target(cx, table, ind) else {
        line.lowered = Err(name.into());
        return (line, None);
    };
    line.lowered = Ok(index);
    let m = Indicator {
        level2,
        name: name.into(),
        target,
        explicit_op: ind.op.is_some(),
        assessment: None,
        loc: cx.loc(ind.span),
    };
    (line, Some(m))
}

fn target(cx: &mut Cx<'_>, table: &UnitTable, ind: &syntax::Indicator) -> Option<Target> {
    let op = ind.op.as_ref().map(|o| o.value).unwrap_or(Op::Eq);
    Some(match &ind.value.value {
        // `= 待填`: the source form gives no target for the row (only its unit, or
        // nothing); kept as the placeholder, never guessed (PS114).
        ValueLit::Text(t) if crate::vocab::keys::is_to_fill(t) => {
            super::to_fill_warning(cx, "指标值", ind.value.span);
            Target::Qualitative {
                text: crate::vocab::keys::TO_FILL.to_string(),
            }
        }
        ValueLit::Text(t) => Target::Qualitative {
            text: syntax::normalize_spaces(t),
        },
        ValueLit::Date(date) => Target::Date { op, date: *date },
        // A malformed number (PS004) was read as 0: judging it would only repeat the mistake.
        ValueLit::Number { number, .. } if cx.syntax_error_in(number.span, Code::PS004) => {
            return None
        }
        ValueLit::Range { low, high, .. }
            if cx.syntax_error_in(low.span, Code::PS004)
                || cx.syntax_error_in(high.span, Code::PS004) =>
        {
            return None
        }
        ValueLit::Number { number, unit } => {
            let unit = resolve_unit(cx, table, unit.as_ref(), ind.value.span)?;
            Target::Quantity {
                op,
                value: number.value.value,
                unit,
            }
        }
        ValueLit::Range { low, high, unit } => {
            let unit = resolve_unit(cx, table, unit.as_ref(), ind.value.span)?;
            Target::Range(Box::new(model::Range {
                low: low.value.value,
                high: high.value.value,
                unit,
            }))
        }
    })
}

/// The category a word names (PS301 when none).
fn category(cx: &mut Cx<'_>, cat: &Spanned<String>) -> Option<(Level2, CategoryAs)> {
    let word = cat.value.as_str();
    match taxonomy::resolve(word) {
        Some(Match::Exact(l)) => Some((l, CategoryAs::Exact)),
        Some(Match::Alias(l)) => Some((l, CategoryAs::Alias)),
        Some(Match::Legacy(l)) => Some((l, CategoryAs::Legacy)),
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
                Code::PS301,
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

/// The unit a number is written in: PS315 when there is none, PS303 when it is unknown.
pub(super) fn resolve_unit(
    cx: &mut Cx<'_>,
    table: &UnitTable,
    unit: Option<&Spanned<String>>,
    value_span: Span,
) -> Option<std::sync::Arc<model::Unit>> {
    let Some(u) = unit else {
        cx.push(
            Diagnostic::new(
                Code::PS315,
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
    // `≥ 100 待填`: the source form gives the number without its unit; kept, not guessed.
    if crate::vocab::keys::is_to_fill(&u.value) {
        super::to_fill_warning(cx, "计量单位", u.span);
        return Some(units::unknown_unit());
    }
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
                Code::PS303,
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
