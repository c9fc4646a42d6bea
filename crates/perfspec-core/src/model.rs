//! The checked model: what a spec means, normalized and typed, money in exact 元.
//! Emitters, `diff` and the JSON contract read only this.

use crate::syntax::{DateLit, Op, Span};
pub use crate::vocab::{Dimension, Level1, Level2};
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

pub mod assess;
pub mod keys;
pub use assess::{Actual, ActualValue, Assessment, Evaluation, Execution, Judgement, Subtotal};
pub use keys::ProjectKey;

/// Where a model node came from. Derived values (a computed total) have no location and say
/// so with `None` instead of pretending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loc {
    /// Shared by every node of a file: a city's 380,000 indicators would otherwise carry
    /// 380,000 copies of their paths (the biggest single item of the model).
    pub file: Arc<str>,
    /// 1-based; u32 is plenty (a spec is at most 32 MiB) and keeps every indicator smaller.
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    pub span: Span,
}

/// Every project of a build, in file order (paths sorted) and then source order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub projects: Vec<Project>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub name: String,
    /// The form the spec follows (`模板 …`; the Shanghai 申报表 when not written).
    pub template: crate::vocab::templates::TemplateId,
    pub year: u16,
    /// 主管部门
    pub department: String,
    /// 实施单位
    pub unit: String,
    /// 项目性质
    pub nature: String,
    /// 项目类别
    pub kind: String,
    /// 计划开始日期 / 计划完成日期
    pub start: Option<DateLit>,
    pub end: Option<DateLit>,
    pub funding: Funding,
    /// 项目总目标 (whole life); blank on annual recurring forms.
    pub goal_total: Option<String>,
    /// 年度总体目标
    pub goal_annual: String,
    pub indicators: Vec<Indicator>,
    /// The year-end self-evaluation (预算执行, 完成情况, 总分): present when the project
    /// carries any of it, or follows the 自评表 template. Boxed: most projects have none.
    pub evaluation: Option<Box<Evaluation>>,
    pub loc: Loc,
}

/// The form's funding block, in 元 with two decimals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Funding {
    /// The spec states the amounts. False for `资金 待填` and for a project whose template
    /// asks for none and that writes none (a 自评表): then every amount below is unknown —
    /// printed blank, `null` in JSON, counted in no total — not zero.
    pub given: bool,
    /// 年度资金申请总额: as stated, or the sum of its parts when not written.
    pub annual_total: Decimal,
    pub annual_total_stated: bool,
    /// 当年财政拨款
    pub appropriation: Decimal,
    /// 上年结转资金
    pub carryover: Decimal,
    /// 其他资金 (this year)
    pub other: Decimal,
    /// 项目资金总额 (whole life), filled only by multi-year projects.
    pub project_total: Option<Decimal>,
    /// 其中：财政资金 (whole life)
    pub project_fiscal: Option<Decimal>,
    /// 其他资金 (whole life)
    pub project_other: Option<Decimal>,
    /// A multi-year project's funding by year (`2025年 1,000.00 万元`), as written: the
    /// parts of 项目资金总额.
    pub by_year: Vec<(u16, Decimal)>,
}

impl Funding {
    /// 年度资金申请总额, when the spec states the amounts.
    pub fn annual_total_given(&self) -> Option<Decimal> {
        self.given.then_some(self.annual_total)
    }

    /// 当年财政拨款 + 上年结转资金 = the fiscal part of this year's request.
    pub fn annual_fiscal(&self) -> Decimal {
        self.appropriation + self.carryover
    }
}

/// A unit as the spec spells it, with the canonical unit it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Normalized spelling (`元/份(册)`, `百分比`): what the form prints. Shared: a file
    /// resolves each spelling once and every indicator in that unit points at it.
    pub spelling: Arc<str>,
    /// The canonical unit (`%` for `百分比`): what comparisons use.
    pub canonical: Arc<str>,
    pub dimension: Dimension,
    /// For money: how many 元 one unit is (万元 → 10000).
    #[serde(skip)]
    pub yuan_factor: Option<Decimal>,
}

impl Project {
    /// The year as the forms print it: empty for `年度 待填` (the model's 0).
    pub fn year_shown(&self) -> String {
        if self.year == 0 {
            String::new()
        } else {
            self.year.to_string()
        }
    }
}

impl Unit {
    /// The unit as the form prints it after a number, `(件)`; nothing for a unit left to
    /// fill (`≥ 100 待填`).
    pub fn in_brackets(&self) -> String {
        if self.spelling.is_empty() {
            String::new()
        } else {
            format!("({})", self.spelling)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub level2: Level2,
    /// Never changed once checked: a `Box<str>` is 8 bytes smaller than a `String`.
    pub name: Box<str>,
    pub target: Target,
    /// False for the comparator-less form (`名称 40 次`), read as `=`.
    pub explicit_op: bool,
    /// The year-end lines under the indicator (实际完成值, 分值, 得分, 偏差原因), with the
    /// score they earn. Boxed: a declaration has none, and indicators are most of a model.
    pub assessment: Option<Box<Assessment>>,
    pub loc: Loc,
}

impl Indicator {
    pub fn level1(&self) -> Level1 {
        self.level2.level1()
    }

    /// A cost cap: a 成本 indicator whose target bounds the cost from above (`≤ < =`).
    /// Money caps are the project's cost split: their sum must fit the annual request.
    pub fn is_cost_cap(&self) -> bool {
        self.level1() == Level1::Cost && matches!(self.target.op(), Some(Op::Le | Op::Lt | Op::Eq))
    }

    /// The cap in 元, when this is a cost cap in money.
    pub fn cost_cap_yuan(&self) -> Option<Decimal> {
        if self.is_cost_cap() {
            self.target.yuan()
        } else {
            None
        }
    }

    /// Whether a higher target value is harder to meet (`≥ >`, and `=` except for a cost);
    /// `None` for a target without a comparator. `diff` says 收紧 / 放宽 by it, and a future
    /// `assess(actual)` scores by the same direction.
    pub fn higher_is_harder(&self) -> Option<bool> {
        self.target
            .op()
            .map(|op| higher_is_harder(op, self.level1()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// `≥ 8000.00 件`: the value keeps the scale it was written with.
    /// The unit is shared by every indicator of the file written in it (`Arc`): the model
    /// of a city's folder is mostly indicators, and a `Unit` is bigger than a target.
    Quantity {
        op: Op,
        value: Decimal,
        unit: Arc<Unit>,
    },
    /// `90 ~ 100 %`: boxed, being rare, so that every other target stays small.
    Range(Box<Range>),
    /// `≤ 2026-06-30`: a deadline.
    Date { op: Op, date: DateLit },
    /// `及时`, `有效保障`
    Qualitative { text: String },
}

/// The bounds of a [`Target::Range`], both inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub low: Decimal,
    pub high: Decimal,
    pub unit: Arc<Unit>,
}

impl Target {
    /// A target as the contract's `op`, `value`, `low` and `high` (also the shape of targets
    /// in `perfspec diff --format json`).
    pub fn contract_fields(
        &self,
    ) -> (
        Option<&'static str>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        match self {
            Target::Quantity { op, value, .. } => {
                (Some(op.ascii()), Some(value.to_string()), None, None)
            }
            Target::Range(r) => (
                Some("range"),
                None,
                Some(r.low.to_string()),
                Some(r.high.to_string()),
            ),
            Target::Date { op, date } => (Some(op.ascii()), Some(date.to_string()), None, None),
            Target::Qualitative { text } => (None, Some(text.clone()), None, None),
        }
    }

    pub fn is_quantitative(&self) -> bool {
        !matches!(self, Target::Qualitative { .. })
    }

    pub fn unit(&self) -> Option<&Unit> {
        match self {
            Target::Quantity { unit, .. } => Some(unit),
            Target::Range(r) => Some(&r.unit),
            _ => None,
        }
    }

    pub fn op(&self) -> Option<Op> {
        match self {
            Target::Quantity { op, .. } | Target::Date { op, .. } => Some(*op),
            _ => None,
        }
    }

    /// The form's notation: `≥8000.00(件)`, `≤44.00(万元)`, `90~100(%)`, `≤2026-06-30`, `及时`.
    pub fn form_notation(&self) -> String {
        match self {
            Target::Quantity { op, value, unit } => {
                format!("{}{}{}", op.symbol(), value, unit.in_brackets())
            }
            Target::Range(r) => format!("{}~{}{}", r.low, r.high, r.unit.in_brackets()),
            Target::Date { op, date } => format!("{}{date}", op.symbol()),
            Target::Qualitative { text } => text.clone(),
        }
    }

    /// The amount in 元 of a money target (`44.00 万元` → `440000.00`).
    pub fn yuan(&self) -> Option<Decimal> {
        match self {
            Target::Quantity { value, unit, .. } if unit.dimension == Dimension::Money => {
                unit.yuan_factor.and_then(|f| value.checked_mul(f))
            }
            _ => None,
        }
    }
}

/// Whether a higher value is harder to meet for comparator `op` in category `level1`:
/// `≥ >` raise the bar, `≤ <` lower it, and `=` counts as a floor (正向) except for a cost,
/// where it is a cap.
pub fn higher_is_harder(op: Op, level1: Level1) -> bool {
    match op.direction() {
        crate::vocab::ops::Direction::Higher => true,
        crate::vocab::ops::Direction::Lower => false,
        crate::vocab::ops::Direction::Exact => level1 != Level1::Cost,
    }
}

impl Model {
    pub fn indicator_count(&self) -> usize {
        self.projects.iter().map(|p| p.indicators.len()).sum()
    }
    pub fn annual_total(&self) -> Decimal {
        self.projects
            .iter()
            .filter_map(|p| p.funding.annual_total_given())
            .sum()
    }

    /// The projects grouped by 主管部门 or 实施单位 (`build --split`): moved, not copied;
    /// groups ordered by name, projects in model order within a group.
    pub fn split(self, by: SplitBy) -> Vec<(String, Model)> {
        let mut groups: std::collections::BTreeMap<String, Vec<Project>> = Default::default();
        for p in self.projects {
            let key = match by {
                SplitBy::Department => &p.department,
                SplitBy::Unit => &p.unit,
            };
            match groups.get_mut(key) {
                Some(g) => g.push(p),
                None => {
                    groups.insert(key.clone(), vec![p]);
                }
            }
        }
        groups
            .into_iter()
            .map(|(key, projects)| (key, Model { projects }))
            .collect()
    }
}

/// What [`Model::split`] groups by: the form's 主管部门 or 实施单位 field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitBy {
    Department,
    Unit,
}

#[cfg(test)]
mod tests {
    /// A city's model is mostly indicators (380,000 in the 100× benchmark corpus): each byte
    /// here is 0.4 MB of peak memory there (docs/performance.md).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_indicator_stays_small() {
        assert_eq!(std::mem::size_of::<super::Target>(), 32);
        assert_eq!(std::mem::size_of::<super::Indicator>(), 96);
    }
}
