//! Money rules (PS2xx): the funding block adds up, amounts are in 元 to the fen, and money
//! cost caps fit inside the annual request. All arithmetic is exact (rust_decimal).

use super::units::normalize_spelling;
use super::Cx;
use crate::diag::{Code, Diagnostic, Fix};
use crate::model::{self, Funding};
use crate::msg;
use crate::syntax::{self, FundingItem, Span};
use rust_decimal::Decimal;

use crate::vocab::funding::{self as vocab_funding, FundRow as Row};
use crate::vocab::num::format_money as fmt_yuan;

/// Funding amounts above this are refused (PS004).
pub const MAX_AMOUNT_YUAN: i64 = 1_000_000_000_000_000;

/// Below this share of the annual request, money cost caps get a warning (PS203).
pub const CAPS_LOW_SHARE_PERCENT: i64 = 80;

pub(super) fn funding(
    cx: &mut Cx<'_>,
    block: Option<&syntax::Funding>,
    head: Span,
    project: &str,
) -> Option<Funding> {
    let Some(block) = block else {
        cx.push(
            Diagnostic::new(
                Code::PS207,
                msg!(
                    "项目 “{project}” 缺少资金信息",
                    "project “{project}” has no funding"
                ),
                head,
                msg!("缺少 资金 块", "no 资金 block"),
            )
            .with_help(msg!(
                "加上 `资金 {{ 当年财政拨款 … 上年结转资金 … 其他资金 … }}`，金额以元为单位",
                "add `资金 {{ 当年财政拨款 … 上年结转资金 … 其他资金 … }}` with amounts in 元"
            )),
        );
        return None;
    };
    let mut rows: Vec<(Row, Decimal, Span)> = Vec::new();
    // An entry that was refused (reported) leaves the sums meaningless: checking them would
    // report the same mistake a second time as a total that does not add up.
    let mut rejected = false;
    for item in &block.items {
        let FundingItem::Entry(e) = item else {
            continue;
        };
        let key = e.key.value.as_str();
        let Some(row) = Row::from_key(key) else {
            let near: Vec<&str> = {
                let mut v: Vec<(f64, &str)> = vocab_funding::spec_spellings()
                    .map(|(k, _)| (crate::vocab::taxonomy::similarity(key, k), k))
                    .filter(|(s, _)| *s >= 0.4)
                    .collect();
                v.sort_by(|a, b| b.0.total_cmp(&a.0));
                v.into_iter().take(2).map(|(_, k)| k).collect()
            };
            let all = vocab_funding::spec_spellings()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
                .join("、");
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!("（是否想写 {}？）", near.join(" 或 "))
            };
            let hint_en = if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", near.join(" or "))
            };
            let mut d = Diagnostic::new(
                Code::PS208,
                msg!(
                    "未知的资金项 “{key}”{hint}",
                    "unknown funding entry “{key}”{hint_en}"
                ),
                e.key.span,
                msg!("不是申报表上的资金项", "not a row of the form"),
            )
            .with_help(msg!("资金项可用：{all}", "funding rows: {all}"));
            if let Some(n) = near.first() {
                d = d.with_fix(Fix::replace(
                    msg!("改为 “{n}”", "write “{n}”"),
                    e.key.span,
                    *n,
                ));
            }
            cx.push(d);
            rejected = true;
            continue;
        };
        if let Some(prev) = rows.iter().find(|r| r.0 == row) {
            cx.push(
                Diagnostic::new(
                    Code::PS102,
                    msg!(
                        "资金项 “{key}” 写了两次",
                        "funding entry “{key}” is given twice"
                    ),
                    e.span,
                    msg!("重复", "given again here"),
                )
                .with_label(prev.2, msg!("第一次在这里", "first given here"))
                .with_help(msg!("删除其中一行", "delete one of the two lines")),
            );
            continue;
        }
        if cx.syntax_error_in(e.amount.span, Code::PS004) {
            rejected = true;
            continue;
        }
        let mut amount = e.amount.value.value;
        if let Some(u) = &e.unit {
            match normalize_spelling(&u.value).as_str() {
                "元" => {}
                "万元" => match amount.checked_mul(Decimal::from(10_000)) {
                    Some(v) => amount = v,
                    None => {
                        cx.push(
                            Diagnostic::new(
                                Code::PS004,
                                msg!(
                                    "金额 {amount} 万元 换算为元后超出可精确表示的范围",
                                    "{amount} 万元 is too large to hold exactly in 元"
                                ),
                                e.amount.span,
                                msg!("过大", "too large"),
                            )
                            .with_help(msg!("检查是否多写了数字", "check for extra digits")),
                        );
                        rejected = true;
                        continue;
                    }
                },
                other => {
                    cx.push(
                        Diagnostic::new(
                            Code::PS209,
                            msg!("资金金额的单位 “{other}” 不是金额单位", "funding amount in “{other}”, which is not money"),
                            u.span,
                            msg!("应为 元 或 万元", "expected 元 or 万元"),
                        )
                        .with_help(msg!("资金以元为单位，可省略单位：`当年财政拨款 991,823.00`", "funding is in 元 and the unit may be left out: `当年财政拨款 991,823.00`")),
                    );
                    rejected = true;
                    continue;
                }
            }
        }
        // No declaration asks for a thousand trillion 元; the bound also keeps every sum of
        // amounts far inside what an exact decimal holds.
        if amount.abs() > Decimal::from(MAX_AMOUNT_YUAN) {
            cx.push(
                Diagnostic::new(
                    Code::PS004,
                    msg!(
                        "金额 {amount} 元超出合理范围（上限 10^15 元）",
                        "amount {amount} 元 is beyond any real budget (limit 10^15 元)"
                    ),
                    e.amount.span,
                    msg!("过大", "too large"),
                )
                .with_help(msg!(
                    "检查是否多写了数字；金额以元为单位",
                    "check for extra digits; amounts are in 元"
                )),
            );
            rejected = true;
            continue;
        }
        if amount.is_sign_negative() && !amount.is_zero() {
            cx.push(
                Diagnostic::new(
                    Code::PS205,
                    msg!(
                        "资金金额 {amount} 为负数",
                        "funding amount {amount} is negative"
                    ),
                    e.amount.span,
                    msg!("负数", "negative"),
                )
                .with_help(msg!(
                    "资金填写非负金额；无此项资金时写 0.00",
                    "amounts are never negative; write 0.00 when there is none"
                )),
            );
            rejected = true;
            continue;
        }
        let normalized = amount.normalize();
        if normalized.scale() > 2 {
            cx.push(
                Diagnostic::new(
                    Code::PS204,
                    msg!(
                        "金额 {amount} 元精确到了分以下",
                        "amount {amount} 元 is finer than one fen"
                    ),
                    e.amount.span,
                    msg!("最多两位小数（元）", "at most two decimals in 元"),
                )
                .with_help(msg!(
                    "资金以元为单位，保留两位小数，如 991,823.00",
                    "funding is in 元 with two decimals, e.g. 991,823.00"
                )),
            );
            rejected = true;
            continue;
        }
        amount.rescale(2);
        rows.push((row, amount, e.span));
    }
    if rejected {
        return None;
    }
    let get = |r: Row| rows.iter().find(|x| x.0 == r).map(|x| (x.1, x.2));
    let appropriation = get(Row::Appropriation);
    let carryover = get(Row::Carryover);
    let other = get(Row::Other);
    let stated = get(Row::AnnualTotal);
    let parts_given = appropriation.is_some() || carryover.is_some() || other.is_some();
    let zero = Decimal::new(0, 2);
    let sum = appropriation.map_or(zero, |x| x.0)
        + carryover.map_or(zero, |x| x.0)
        + other.map_or(zero, |x| x.0);
    if !parts_given && stated.is_none() {
        cx.push(
            Diagnostic::new(
                Code::PS207,
                msg!("资金块没有任何金额", "the 资金 block has no amounts"),
                block.span,
                msg!("空的资金块", "empty block"),
            )
            .with_help(msg!(
                "写明 当年财政拨款、上年结转资金、其他资金",
                "write 当年财政拨款, 上年结转资金 and 其他资金"
            )),
        );
        return None;
    }
    let annual_total = match stated {
        Some((total, span)) if parts_given && total != sum => {
            let (t, s) = (fmt_yuan(total), fmt_yuan(sum));
            let diff = fmt_yuan(total - sum);
            let mut d = Diagnostic::new(
                Code::PS201,
                msg!(
                    "年度资金申请总额 {t} 元 不等于各项之和 {s} 元（相差 {diff} 元）",
                    "年度资金申请总额 {t} 元 is not the sum of its parts, {s} 元 (off by {diff} 元)"
                ),
                span,
                msg!("申报的总额", "the stated total"),
            )
            .with_help(msg!(
                "年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金；改正总额或各项金额",
                "年度资金申请总额 = 当年财政拨款 + 上年结转资金 + 其他资金; correct the total or a part"
            ));
            for (_, amount, span) in rows
                .iter()
                .filter(|r| matches!(r.0, Row::Appropriation | Row::Carryover | Row::Other))
            {
                let a = fmt_yuan(*amount);
                d = d.with_label(*span, msg!("计入 {a} 元", "counts {a} 元"));
            }
            cx.push(d);
            total
        }
        Some((total, _)) if !parts_given => total,
        _ => sum,
    };
    let (annual_span, annual_label) = match stated {
        Some((_, s)) => (s, true),
        None => (block.span, false),
    };
    // A stated zero beside parts that are not zero is PS201's mistake, not a zero request.
    if annual_total.is_zero() && (sum.is_zero() || !parts_given) {
        cx.push(
            Diagnostic::new(
                Code::PS210,
                msg!("年度资金申请总额为零", "the annual request is zero"),
                if annual_label {
                    annual_span
                } else {
                    block.span
                },
                msg!("零元", "zero"),
            )
            .with_help(msg!(
                "申报表用于申请资金；确为零时加注释 `# perfspec: allow PS210`",
                "the form asks for money; if zero is intended, add `# perfspec: allow PS210`"
            )),
        );
    }

    let project_total = get(Row::ProjectTotal);
    let project_fiscal = get(Row::ProjectFiscal);
    let project_other = get(Row::ProjectOther);
    if let (Some((total, span)), Some(fiscal)) = (project_total, project_fiscal) {
        let other_v = project_other.map_or(zero, |x| x.0);
        let sum = fiscal.0 + other_v;
        if sum != total {
            let (t, s) = (fmt_yuan(total), fmt_yuan(sum));
            let mut d = Diagnostic::new(
                Code::PS201,
                msg!(
                    "项目资金总额 {t} 元 不等于 财政资金 + 项目其他资金 = {s} 元",
                    "项目资金总额 {t} 元 is not 财政资金 + 项目其他资金 = {s} 元"
                ),
                span,
                msg!("申报的项目资金总额", "the stated project total"),
            )
            .with_label(fiscal.1, msg!("财政资金", "fiscal part"))
            .with_help(msg!(
                "项目资金总额 = 财政资金 + 项目其他资金",
                "项目资金总额 = 财政资金 + 项目其他资金"
            ));
            if let Some(o) = project_other {
                d = d.with_label(o.1, msg!("项目其他资金", "other part"));
            }
            cx.push(d);
        }
    }
    if let Some((total, span)) = project_total {
        if total < annual_total {
            let (t, a) = (fmt_yuan(total), fmt_yuan(annual_total));
            cx.push(
                Diagnostic::new(
                    Code::PS206,
                    msg!("项目资金总额 {t} 元 小于 年度资金申请总额 {a} 元", "项目资金总额 {t} 元 is below the annual request {a} 元"),
                    span,
                    msg!("全周期总额", "whole-life total"),
                )
                .with_label(annual_span, msg!("年度申请额", "annual request"))
                .with_help(msg!(
                    "项目资金总额是整个实施期的金额，不小于当年申请额；年度项目可省略此项",
                    "项目资金总额 covers the whole period and is at least the annual request; annual projects may leave it out"
                )),
            );
        }
    }
    Some(Funding {
        annual_total,
        annual_total_stated: stated.is_some(),
        appropriation: appropriation.map_or(zero, |x| x.0),
        carryover: carryover.map_or(zero, |x| x.0),
        other: other.map_or(zero, |x| x.0),
        project_total: project_total.map(|x| x.0),
        project_fiscal: project_fiscal.map(|x| x.0),
        project_other: project_other.map(|x| x.0),
    })
}

/// PS202 / PS203: money cost caps (`≤ 44.00 万元`, converted exactly to 元) against the
/// annual request. Unit costs (元/件) are not summed: they are prices, not parts of a budget.
/// `complete`: every indicator line was understood; a cost line that was not could be the
/// missing share, so "far below" (PS203) is judged only then. "Over" (PS202) stays true.
pub(super) fn cost_caps(
    cx: &mut Cx<'_>,
    funding: &Funding,
    block: &syntax::Funding,
    inds: &[model::Indicator],
    complete: bool,
) {
    let cap_lines = inds.iter().filter(|i| i.is_cost_cap());
    // A money target beyond the bound is refused (PS004, indicators.rs); summing it, or
    // leaving it out and finding the rest "far below", would only repeat that mistake.
    let limit = Decimal::from(MAX_AMOUNT_YUAN);
    let refused = |i: &model::Indicator| {
        let money = i
            .target
            .unit()
            .is_some_and(|u| u.dimension == model::Dimension::Money && u.yuan_factor.is_some());
        money && i.target.yuan().map_or(true, |y| y.abs() > limit)
    };
    if cap_lines.clone().any(refused) {
        return;
    }
    let caps: Vec<(&model::Indicator, Decimal)> = cap_lines
        .filter_map(|i| i.target.yuan().map(|y| (i, y)))
        .collect();
    if caps.is_empty() || funding.annual_total.is_zero() {
        return;
    }
    // Indicator values are not bounded like funding amounts: an absurd cap must not overflow.
    let Some(sum) = caps
        .iter()
        .try_fold(Decimal::ZERO, |acc, c| acc.checked_add(c.1))
    else {
        return;
    };
    let annual = funding.annual_total;
    let total_span = block
        .items
        .iter()
        .find_map(|i| match i {
            FundingItem::Entry(e)
                if matches!(e.key.value.as_str(), "年度资金申请总额" | "年度申请总额") =>
            {
                Some(e.span)
            }
            _ => None,
        })
        .unwrap_or(block.span);
    let (s, a) = (fmt_yuan(sum), fmt_yuan(annual));
    if sum > annual {
        let over = fmt_yuan(sum - annual);
        let n = caps.len();
        let mut d = Diagnostic::new(
            Code::PS202,
            msg!(
                "{n} 项成本指标合计 {s} 元，超过年度资金申请总额 {a} 元（超出 {over} 元）",
                "{n} cost caps add up to {s} 元, more than the annual request of {a} 元 (by {over} 元)"
            ),
            caps[0].0.loc.span,
            msg!("成本指标从这里开始", "the cost caps start here"),
        )
        .with_label(total_span, msg!("年度资金申请总额 {a} 元", "annual request {a} 元"))
        .with_help(msg!(
            "成本指标是项目资金的分解，合计不能超过年度申请额：调低成本上限或核对资金",
            "cost caps split the project's money and cannot exceed the annual request: lower a cap or check the funding"
        ));
        for (ind, yuan) in caps.iter().skip(1) {
            let y = fmt_yuan(*yuan);
            d = d.with_label(ind.loc.span, msg!("{y} 元", "{y} 元"));
        }
        cx.push(d);
    } else if complete
        && sum.checked_mul(Decimal::from(100))
            < annual.checked_mul(Decimal::from(CAPS_LOW_SHARE_PERCENT))
    {
        let share = (sum * Decimal::from(100) / annual).round_dp(1);
        cx.push(
            Diagnostic::new(
                Code::PS203,
                msg!(
                    "成本指标合计 {s} 元，仅占年度资金申请总额 {a} 元的 {share}%",
                    "cost caps add up to {s} 元, only {share}% of the annual request of {a} 元"
                ),
                caps[0].0.loc.span,
                msg!("成本指标", "cost caps"),
            )
            .with_label(total_span, msg!("年度资金申请总额", "annual request"))
            .with_help(msg!(
                "成本指标通常覆盖全部项目资金；补全缺少的成本分项，或在项目中注明 `# perfspec: allow PS203`",
                "cost caps normally cover all of the money; add the missing cost items, or note `# perfspec: allow PS203`"
            )),
        );
    }
}
