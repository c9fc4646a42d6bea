//! Money rules (PS2xx): the funding block is there and adds up, and money cost caps fit
//! inside the annual request. All arithmetic is exact (rust_decimal). Amounts that cannot
//! be read (PS004, PS204, PS205, PS208, PS209) are lowering's (`lower/funding.rs`).

use super::indicators::unit_impossible;
use crate::check::cx::Cx;
use crate::check::lower::{FundingAt, Header, Project, MAX_AMOUNT_YUAN};
use crate::diag::{Code, Diagnostic};
use crate::model::{self, Funding};
use crate::msg;
use crate::vocab::funding::FundRow as Row;
use crate::vocab::keys::Key;
use crate::vocab::num::format_money as fmt_yuan;
use rust_decimal::Decimal;

/// Below this share of the annual request, money cost caps get a warning (PS203).
pub const CAPS_LOW_SHARE_PERCENT: i64 = 80;

/// The project's funding, when its block lowered.
fn lowered(p: &Project) -> Option<(&Funding, &FundingAt)> {
    p.at.funding
        .as_ref()
        .filter(|at| at.lowered)
        .map(|at| (&p.model.funding, at))
}

/// PS207: no funding block (a template without one of its own, as the 自评表, asks for none).
pub(super) fn missing(cx: &mut Cx<'_>, header: &Header, p: &Project) {
    if p.at.funding.is_some()
        || !header.template().requires(Key::Funding)
        || p.at.to_fill(Key::Funding)
    {
        return;
    }
    let project = &p.model.name;
    cx.push(
        Diagnostic::new(
            Code::PS207,
            msg!(
                "项目 “{project}” 缺少资金信息",
                "project “{project}” has no funding"
            ),
            p.at.head,
            msg!("缺少 资金 块", "no 资金 block"),
        )
        .with_help(msg!(
            "加上 `资金 {{ 当年财政拨款 … 上年结转资金 … 其他资金 … }}`，金额以元为单位",
            "add `资金 {{ 当年财政拨款 … 上年结转资金 … 其他资金 … }}` with amounts in 元"
        )),
    );
}

/// The written parts of this year's request: 当年财政拨款, 上年结转资金, 其他资金.
fn is_part(row: Row) -> bool {
    matches!(row, Row::Appropriation | Row::Carryover | Row::Other)
}

fn amount_of(f: &Funding, row: Row) -> Decimal {
    match row {
        Row::Appropriation => f.appropriation,
        Row::Carryover => f.carryover,
        _ => f.other,
    }
}

/// The annual request and where it is shown: the stated total, or the block.
fn annual_span(at: &FundingAt) -> crate::syntax::Span {
    at.row(Row::AnnualTotal).unwrap_or(at.block)
}

/// PS201: a stated total that is not the sum of its parts (this year's, and the whole
/// life's).
pub(super) fn totals(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some((f, at)) = lowered(p) else {
        return;
    };
    let sum = f.appropriation + f.carryover + f.other;
    let parts_given = at.rows.iter().any(|r| is_part(r.0));
    if let Some(span) = at.row(Row::AnnualTotal) {
        let total = f.annual_total;
        if parts_given && total != sum {
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
            for (row, span) in at.rows.iter().filter(|r| is_part(r.0)) {
                let a = fmt_yuan(amount_of(f, *row));
                d = d.with_label(*span, msg!("计入 {a} 元", "counts {a} 元"));
            }
            cx.push(d);
        }
    }
    if let (Some(total), Some(fiscal), Some(span), Some(fiscal_span)) = (
        f.project_total,
        f.project_fiscal,
        at.row(Row::ProjectTotal),
        at.row(Row::ProjectFiscal),
    ) {
        let zero = Decimal::new(0, 2);
        let sum = fiscal + f.project_other.unwrap_or(zero);
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
            .with_label(fiscal_span, msg!("财政资金", "fiscal part"))
            .with_help(msg!(
                "项目资金总额 = 财政资金 + 项目其他资金",
                "项目资金总额 = 财政资金 + 项目其他资金"
            ));
            if let Some(o) = at.row(Row::ProjectOther) {
                d = d.with_label(o, msg!("项目其他资金", "other part"));
            }
            cx.push(d);
        }
    }
}

/// PS210: an annual request of zero (a stated zero beside parts that are not zero is
/// PS201's mistake, not a zero request).
pub(super) fn zero_request(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some((f, at)) = lowered(p) else {
        return;
    };
    let sum = f.appropriation + f.carryover + f.other;
    let parts_given = at.rows.iter().any(|r| is_part(r.0));
    if f.annual_total.is_zero() && (sum.is_zero() || !parts_given) {
        cx.push(
            Diagnostic::new(
                Code::PS210,
                msg!("年度资金申请总额为零", "the annual request is zero"),
                annual_span(at),
                msg!("零元", "zero"),
            )
            .with_help(msg!(
                "申报表用于申请资金；确为零时加注释 `# perfspec: allow PS210`",
                "the form asks for money; if zero is intended, add `# perfspec: allow PS210`"
            )),
        );
    }
}

/// PS206: the whole life's total below this year's request.
pub(super) fn project_total(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some((f, at)) = lowered(p) else {
        return;
    };
    let (Some(total), Some(span)) = (f.project_total, at.row(Row::ProjectTotal)) else {
        return;
    };
    if total < f.annual_total {
        let (t, a) = (fmt_yuan(total), fmt_yuan(f.annual_total));
        cx.push(
            Diagnostic::new(
                Code::PS206,
                msg!("项目资金总额 {t} 元 小于 年度资金申请总额 {a} 元", "项目资金总额 {t} 元 is below the annual request {a} 元"),
                span,
                msg!("全周期总额", "whole-life total"),
            )
            .with_label(annual_span(at), msg!("年度申请额", "annual request"))
            .with_help(msg!(
                "项目资金总额是整个实施期的金额，不小于当年申请额；年度项目可省略此项",
                "项目资金总额 covers the whole period and is at least the annual request; annual projects may leave it out"
            )),
        );
    }
}

/// PS202 / PS203: money cost caps (`≤ 44.00 万元`, converted exactly to 元) against the
/// annual request. Unit costs (元/件) are not summed: they are prices, not parts of a budget.
/// "Far below" (PS203) is judged only when every indicator line was understood (a cost line
/// that was not could be the missing share); "over" (PS202) stays true.
pub(super) fn cost_caps(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let Some((funding, at)) = lowered(p) else {
        return;
    };
    let inds = &p.model.indicators;
    // A cost line in the wrong unit (PS304) is one of the caps, just not countable.
    let wrong_unit = inds.iter().any(unit_impossible);
    let complete = !p.at.broken && !wrong_unit && inds.len() == p.at.lines.len();
    let cap_lines = inds.iter().filter(|i| i.is_cost_cap());
    // A money target beyond the bound is refused (PS004, rules/indicators.rs); summing it,
    // or leaving it out and finding the rest "far below", would only repeat that mistake.
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
    let total_span = at.total_entry;
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
