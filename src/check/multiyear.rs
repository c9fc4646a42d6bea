//! Multi-year (阶段性) projects: a project whose period runs past the year it is declared in
//! states its whole life — 项目资金总额 and 项目总目标 — and a project that starts this year has
//! nothing to carry over from the last. Plain rules over the lowered project.

use super::Cx;
use crate::diag::Diagnostic;
use crate::model;
use crate::msg;
use crate::syntax::{self, FundingItem, Span};
use crate::vocab::funding::FundRow;
use crate::vocab::num::format_money;

/// The 项目性质 of a project declared for a stage of several years.
const STAGED: &str = "阶段性项目";

fn entry_span(block: Option<&syntax::Funding>, row: FundRow) -> Option<Span> {
    block?.items.iter().find_map(|i| match i {
        FundingItem::Entry(e) if FundRow::from_key(&e.key.value) == Some(row) => Some(e.span),
        _ => None,
    })
}

/// Whether the project runs over more than one year: its period ends in a later year than
/// it starts, or its 性质 says it is staged.
pub(super) fn is_multi_year(p: &model::Project) -> bool {
    let crosses = matches!((p.start, p.end), (Some(s), Some(e)) if e.year > s.year);
    crosses || p.nature == STAGED
}

pub(super) fn rules(
    cx: &mut Cx<'_>,
    p: &model::Project,
    head: Span,
    funding: Option<&syntax::Funding>,
    has_funding: bool,
) {
    let name = &p.name;
    let span_of_period = || {
        let (s, e) = (p.start.map(|d| d.to_string()), p.end.map(|d| d.to_string()));
        match (s, e) {
            (Some(s), Some(e)) => format!("{s} 至 {e}"),
            _ => p.nature.clone(),
        }
    };
    if is_multi_year(p) {
        let why = span_of_period();
        if has_funding && p.funding.project_total.is_none() {
            cx.push(
                Diagnostic::new(
                    "PS211",
                    msg!(
                        "多年项目 “{name}” 缺少项目资金总额",
                        "multi-year project “{name}” has no 项目资金总额"
                    ),
                    funding.map_or(head, |f| f.span),
                    msg!("实施期 {why}", "period {why}"),
                )
                .with_help(msg!(
                    "在资金块中写上整个实施期的 `项目资金总额 …`（及其中 `财政资金 …`）",
                    "write the whole-life `项目资金总额 …` (and `财政资金 …`) in the funding block"
                )),
            );
        }
        if p.goal_total.is_none() {
            cx.push(
                Diagnostic::new(
                    "PS112",
                    msg!(
                        "多年项目 “{name}” 缺少项目总目标",
                        "multi-year project “{name}” has no 项目总目标"
                    ),
                    head,
                    msg!("实施期 {why}", "period {why}"),
                )
                .with_help(msg!(
                    "写上整个实施期要达到的 `项目总目标 …`；年度总体目标只写本年度的部分",
                    "write `项目总目标 …` for the whole period; 年度总体目标 is this year's part"
                )),
            );
        }
        if let Some(total) = p.funding.project_total {
            if has_funding && total == p.funding.annual_total && !total.is_zero() {
                let t = format_money(total);
                let span = entry_span(funding, FundRow::ProjectTotal).unwrap_or(head);
                let mut d = Diagnostic::new(
                    "PS212",
                    msg!(
                        "多年项目的项目资金总额 {t} 元等于本年度申请额",
                        "the whole-life total {t} 元 of a multi-year project equals this year's request"
                    ),
                    span,
                    msg!("全周期总额", "whole-life total"),
                )
                .with_help(msg!(
                    "项目资金总额是整个实施期（{why}）的金额；若只有本年度有资金，在行尾注释说明并 `# perfspec: allow PS212`",
                    "项目资金总额 covers the whole period ({why}); if only this year is funded, say so and `# perfspec: allow PS212`"
                ));
                if let Some(a) = entry_span(funding, FundRow::AnnualTotal) {
                    d = d.with_label(a, msg!("本年度申请额", "this year's request"));
                }
                cx.push(d);
            }
        }
    }
    // Carried over from a year in which the project did not exist yet. A recurring
    // project (经常性) restarts its period every year and may well carry money over, and a
    // project without 性质 cannot be told apart: only one-off and staged projects count.
    let one_off = !p.nature.is_empty() && !p.nature.contains("经常性");
    if let Some(start) = p.start.filter(|_| one_off) {
        let carry = p.funding.carryover;
        if has_funding && p.year != 0 && start.year == p.year && carry > rust_decimal::Decimal::ZERO
        {
            let c = format_money(carry);
            let s = start.to_string();
            let span = entry_span(funding, FundRow::Carryover).unwrap_or(head);
            cx.push(
                Diagnostic::new(
                    "PS213",
                    msg!(
                        "项目 {s} 才开始，却有上年结转资金 {c} 元",
                        "the project starts on {s} but carries over {c} 元 from last year"
                    ),
                    span,
                    msg!("上年结转资金", "carried over"),
                )
                .with_help(msg!(
                    "本年度新开始的项目没有上年结转；核对计划开始日期，或把这笔钱计入当年财政拨款或其他资金",
                    "a project that starts this year has nothing carried over; check the start date, or count the money as 当年财政拨款 or 其他资金"
                )),
            );
        }
    }
}
