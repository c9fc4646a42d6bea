//! Multi-year (阶段性) projects: a project whose period runs past the year it is declared in
//! states its whole life — 项目资金总额 (PS211, PS212) and 项目总目标 (PS112) — and a project
//! that starts this year has nothing to carry over from the last (PS213); its funding by year
//! adds up to the whole-life total, holds this year's request and stays in the period (PS214–PS216).

use crate::check::cx::Cx;
use crate::check::lower::{Header, Project};
use crate::diag::{Code, Diagnostic};
use crate::model;
use crate::msg;
use crate::vocab::funding::FundRow;
use crate::vocab::keys::Key;
use crate::vocab::num::format_money;

/// The 项目性质 of a project declared for a stage of several years.
const STAGED: &str = "阶段性项目";

/// Whether the project runs over more than one year: its period ends in a later year than
/// it starts, or its 性质 says it is staged.
fn is_multi_year(p: &model::Project) -> bool {
    let crosses = matches!((p.start, p.end), (Some(s), Some(e)) if e.year > s.year);
    crosses || p.nature == STAGED
}

/// The period, as the labels quote it (its 性质 when it has no dates).
fn period(p: &model::Project) -> String {
    match (p.start, p.end) {
        (Some(s), Some(e)) => format!("{s} 至 {e}"),
        _ => p.nature.clone(),
    }
}

/// Whether the project's funding block lowered.
fn has_funding(p: &Project) -> bool {
    p.at.funding.as_ref().is_some_and(|f| f.lowered)
}

/// PS112: a multi-year project without 项目总目标.
pub(super) fn overall_goal(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let m = &p.model;
    // `项目总目标 待填`: absent, acknowledged (PS114 said so).
    if !is_multi_year(m) || m.goal_total.is_some() || p.at.to_fill(Key::GoalTotal) {
        return;
    }
    let (name, why) = (&m.name, period(m));
    cx.push(
        Diagnostic::new(
            Code::PS112,
            msg!(
                "多年项目 “{name}” 缺少项目总目标",
                "multi-year project “{name}” has no 项目总目标"
            ),
            p.at.head,
            msg!("实施期 {why}", "period {why}"),
        )
        .with_help(msg!(
            "写上整个实施期要达到的 `项目总目标 …`；年度总体目标只写本年度的部分",
            "write `项目总目标 …` for the whole period; 年度总体目标 is this year's part"
        )),
    );
}

/// PS211 / PS212: a multi-year project without its whole-life total, or with one equal to
/// this year's request.
pub(super) fn whole_life_total(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let m = &p.model;
    let (Some(at), true) = (&p.at.funding, has_funding(p)) else {
        return;
    };
    if !is_multi_year(m) {
        return;
    }
    let (name, why) = (&m.name, period(m));
    let Some(total) = m.funding.project_total else {
        cx.push(
            Diagnostic::new(
                Code::PS211,
                msg!(
                    "多年项目 “{name}” 缺少项目资金总额",
                    "multi-year project “{name}” has no 项目资金总额"
                ),
                at.block,
                msg!("实施期 {why}", "period {why}"),
            )
            .with_help(msg!(
                "在资金块中写上整个实施期的 `项目资金总额 …`（及其中 `财政资金 …`）",
                "write the whole-life `项目资金总额 …` (and `财政资金 …`) in the funding block"
            )),
        );
        return;
    };
    if total == m.funding.annual_total && !total.is_zero() {
        let t = format_money(total);
        let span = at.row(FundRow::ProjectTotal).unwrap_or(p.at.head);
        let mut d = Diagnostic::new(
            Code::PS212,
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
        if let Some(a) = at.row(FundRow::AnnualTotal) {
            d = d.with_label(a, msg!("本年度申请额", "this year's request"));
        }
        cx.push(d);
    }
}

/// PS213: money carried over from a year in which the project did not exist yet. A
/// recurring project (经常性) restarts its period every year and may well carry money
/// over, and a project without 性质 cannot be told apart: only one-off and staged projects
/// count.
pub(super) fn carry_over(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let m = &p.model;
    let one_off = !m.nature.is_empty() && !m.nature.contains("经常性");
    let Some(start) = m.start.filter(|_| one_off) else {
        return;
    };
    let carry = m.funding.carryover;
    if !(has_funding(p)
        && m.year != 0
        && start.year == m.year
        && carry > rust_decimal::Decimal::ZERO)
    {
        return;
    }
    let c = format_money(carry);
    let s = start.to_string();
    let span =
        p.at.funding
            .as_ref()
            .and_then(|f| f.row(FundRow::Carryover))
            .unwrap_or(p.at.head);
    cx.push(
        Diagnostic::new(
            Code::PS213,
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

/// PS214 / PS215 / PS216: a multi-year project's funding by year (`2025年 1,000.00 万元`)
/// adds up to 项目资金总额 (PS214), its budget year's row is this year's request (PS215),
/// and every year lies in the period (PS216).
pub(super) fn by_year(cx: &mut Cx<'_>, _: &Header, p: &Project) {
    let m = &p.model;
    let (Some(at), true) = (&p.at.funding, has_funding(p)) else {
        return;
    };
    let years = &m.funding.by_year;
    if years.is_empty() {
        return;
    }
    let first = at.years.first().map_or(at.block, |y| y.1);
    let sum: rust_decimal::Decimal = years.iter().map(|y| y.1).sum();
    if let Some(total) = m.funding.project_total {
        if sum != total {
            let (s, t) = (format_money(sum), format_money(total));
            let mut d = Diagnostic::new(
                Code::PS214,
                msg!(
                    "分年度资金合计 {s} 元，项目资金总额为 {t} 元",
                    "the funding by year adds up to {s} 元, 项目资金总额 is {t} 元"
                ),
                first,
                msg!("分年度资金", "funding by year"),
            )
            .with_help(msg!(
                "各年度资金之和应等于项目资金总额：改正某一年的金额或总额",
                "the years add up to 项目资金总额: correct a year's amount or the total"
            ));
            if let Some(span) = at.row(FundRow::ProjectTotal) {
                d = d.with_label(span, msg!("项目资金总额", "whole-life total"));
            }
            cx.push(d);
        }
    }
    if m.year != 0 {
        let this = at.years.iter().zip(years).find(|(_, y)| y.0 == m.year);
        if let Some(((_, span), (year, amount))) = this {
            let annual = m.funding.annual_total;
            if *amount != annual {
                let (a, r) = (format_money(*amount), format_money(annual));
                let mut d = Diagnostic::new(
                    Code::PS215,
                    msg!(
                        "{year} 年的分年度资金 {a} 元不等于年度资金申请总额 {r} 元",
                        "the funding for {year}, {a} 元, is not the annual request of {r} 元"
                    ),
                    *span,
                    msg!("本年度的分年度资金", "this year's part"),
                )
                .with_help(msg!(
                    "申报年度的分年度资金就是本年度的申请额：两者应相同",
                    "the budget year's part is this year's request: make the two equal"
                ));
                if let Some(t) = at.row(FundRow::AnnualTotal) {
                    d = d.with_label(t, msg!("年度资金申请总额", "annual request"));
                }
                cx.push(d);
            }
        }
    }
    if let (Some(s), Some(e)) = (m.start, m.end) {
        for (year, span) in &at.years {
            if !(s.year..=e.year).contains(year) {
                let why = period(m);
                cx.push(
                    Diagnostic::new(
                        Code::PS216,
                        msg!(
                            "{year} 年不在实施期 {why} 内",
                            "{year} is outside the period {why}"
                        ),
                        *span,
                        msg!("实施期之外", "outside the period"),
                    )
                    .with_help(msg!(
                        "分年度资金只写实施期内的年度；改正年度或实施期",
                        "write funding only for the years of the period: correct the year or the period"
                    )),
                );
            }
        }
    }
}
