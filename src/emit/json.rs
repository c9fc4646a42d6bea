//! The JSON contract (`docs/json.md`, `docs/perfspec.schema.json`). These structs are the
//! contract: their field order is the key order, and they change only with `SCHEMA_VERSION`.

use crate::model::{
    ActualValue, Assessment, Dimension, Evaluation, Indicator, Level1, Loc, Model, Project, Target,
};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
pub struct Document<'a> {
    pub schema_version: u32,
    pub projects: Projects<'a>,
    pub totals: Totals,
}

#[derive(Serialize)]
pub struct Totals {
    pub projects: usize,
    pub indicators: usize,
    /// Sum of every project's 年度资金申请总额, in 元.
    #[serde(with = "rust_decimal::serde::str")]
    pub funding_total: Decimal,
}

#[derive(Serialize)]
pub struct JsonProject<'a> {
    pub name: &'a str,
    /// The form template the spec follows (`上海`, `财政部2021`, …; docs/templates.md).
    pub template: &'static str,
    /// 年度; null when the spec writes `年度 待填` (the model's 0).
    pub year: Option<u16>,
    pub department: &'a str,
    pub unit: &'a str,
    pub nature: &'a str,
    pub kind: &'a str,
    pub period: Period,
    /// null when the spec states no amounts (`资金 待填`, a 自评表 without a funding block).
    pub funding: Option<JsonFunding>,
    pub goals: Goals<'a>,
    pub indicators: Indicators<'a>,
    pub totals: ProjectTotals,
    /// The year-end self-evaluation; only on evaluated projects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<JsonEvaluation<'a>>,
    pub source: &'a Loc,
}

/// A project's self-evaluation (docs/self-evaluation.md): the total, the grade, the budget
/// execution and the subtotal of each group. Decimals are strings with at least two
/// decimals; a score the rules cannot know is null.
#[derive(Serialize)]
pub struct JsonEvaluation<'a> {
    pub score: Option<String>,
    pub grade: Option<&'static str>,
    /// 执行率 in percent, two decimals (`95.00`).
    pub execution_rate: Option<String>,
    pub execution: Option<JsonExecution<'a>>,
    pub subtotals: Vec<JsonSubtotal>,
    /// The weights added up (100.00 when they are as they should be); null when a weight
    /// is left to fill (`分值 待填`).
    pub weight_total: Option<String>,
    /// 总分 and 等级 as the spec wrote them.
    pub score_written: Option<String>,
    pub grade_written: Option<&'a str>,
    /// 年度总体目标完成情况
    pub outcome: Option<&'a str>,
}

#[derive(Serialize)]
pub struct JsonExecution<'a> {
    /// 年初预算数, 全年预算数, 全年执行数 in 元.
    pub initial: Option<String>,
    pub budget: Option<String>,
    pub spent: Option<String>,
    pub weight: String,
    pub score: Option<String>,
    pub score_rule: Option<String>,
    pub score_written: Option<String>,
    pub source: &'a Loc,
}

#[derive(Serialize)]
pub struct JsonSubtotal {
    /// execution, output, effect, satisfaction
    pub group: &'static str,
    /// 预算执行率, 产出指标, 效益指标, 满意度指标
    pub name: &'static str,
    /// null when a member's weight is left to fill.
    pub weight: Option<String>,
    pub score: Option<String>,
}

/// An indicator's year-end side, written into the indicator object.
#[derive(Serialize)]
pub struct JsonAssessment<'a> {
    pub actual: Option<JsonActual<'a>>,
    /// 分值 that counts (written, or the default share); null for `分值 待填`.
    pub weight: Option<String>,
    pub weight_stated: bool,
    /// 得分 that counts: as written where written, else by the rules; null when unknown.
    pub score: Option<String>,
    pub score_rule: Option<String>,
    pub score_written: Option<String>,
    /// Whether the actual meets the target; null when the rules cannot tell.
    pub met: Option<bool>,
    /// 偏差原因分析及改进措施
    pub deviation: Option<&'a str>,
}

#[derive(Serialize)]
pub struct JsonActual<'a> {
    /// The form's notation: `270(米)`, `2026-06-30`, `已完成`.
    pub display: String,
    /// The number as written, the date, or the word.
    pub value: String,
    pub unit: Option<&'a str>,
    pub unit_canonical: Option<&'a str>,
    /// A comparator the spec wrote before the value (reported by PS513).
    pub bound: Option<&'static str>,
    pub quantitative: bool,
    pub source: &'a Loc,
}

/// The projects, each turned into its JSON shape only while it is written: a city's
/// document is never held in memory as a whole.
pub struct Projects<'a>(pub &'a [Project]);

impl Serialize for Projects<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(project))
    }
}

/// A project's indicators, turned into their JSON shape while they are written.
pub struct Indicators<'a>(pub &'a [Indicator]);

impl Serialize for Indicators<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(indicator))
    }
}

#[derive(Serialize)]
pub struct Period {
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Serialize)]
pub struct JsonFunding {
    /// 年度资金申请总额
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// Whether the spec wrote the total (else it is the sum of the parts).
    pub total_stated: bool,
    /// 当年财政拨款
    #[serde(with = "rust_decimal::serde::str")]
    pub appropriation: Decimal,
    /// 上年结转资金
    #[serde(with = "rust_decimal::serde::str")]
    pub carryover: Decimal,
    /// 其他资金
    #[serde(with = "rust_decimal::serde::str")]
    pub other: Decimal,
    /// 项目资金总额 (whole life), when the form fills it.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub project_total: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub project_fiscal: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub project_other: Option<Decimal>,
    /// A multi-year project's funding by year, as written; absent when it has none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_year: Vec<JsonYearAmount>,
}

/// One year of a multi-year project's funding.
#[derive(Serialize)]
pub struct JsonYearAmount {
    pub year: u16,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

#[derive(Serialize)]
pub struct Goals<'a> {
    /// 项目总目标
    pub total: Option<&'a str>,
    /// 年度总体目标
    pub annual: &'a str,
}

#[derive(Serialize)]
pub struct JsonIndicator<'a> {
    pub level1: &'static str,
    pub level2: &'static str,
    pub name: &'a str,
    /// `=`, `>=`, `<=`, `>`, `<`; `range` for intervals; null for qualitative targets.
    pub op: Option<&'static str>,
    /// The number as written (scale kept), the date, or the qualitative word; null for ranges.
    pub value: Option<String>,
    pub low: Option<String>,
    pub high: Option<String>,
    /// The unit as the form prints it (`百分比`, `元/份(册)`).
    pub unit: Option<&'a str>,
    /// The canonical unit (`%` for `百分比`).
    pub unit_canonical: Option<&'a str>,
    /// money, unit_cost, count, percent, duration, duration_rate, rate, score, area, length,
    /// weight, volume; `date` for deadlines; null for qualitative targets.
    pub dimension: Option<&'static str>,
    pub quantitative: bool,
    /// Money targets converted to 元 (`44.00 万元` → `440000.00`).
    pub value_yuan: Option<String>,
    /// The form's notation: `≥8000.00(件)`.
    pub display: String,
    /// The year-end side (actual, weight, score, deviation); only on evaluated projects.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<JsonAssessment<'a>>,
    pub source: &'a Loc,
}

#[derive(Serialize)]
pub struct ProjectTotals {
    pub indicators: usize,
    pub cost: usize,
    pub output: usize,
    pub benefit: usize,
    pub satisfaction: usize,
    /// Sum of money cost caps in 元.
    #[serde(with = "rust_decimal::serde::str")]
    pub cost_caps_yuan: Decimal,
}

fn dimension_name(t: &Target) -> Option<&'static str> {
    match t {
        Target::Qualitative { .. } => None,
        Target::Date { .. } => Some("date"),
        // `≥ 100 待填`: no unit known, no dimension.
        t => t
            .unit()
            .filter(|u| u.dimension != Dimension::Unknown)
            .map(|u| u.dimension.key()),
    }
}

fn indicator(i: &Indicator) -> JsonIndicator<'_> {
    let (op, value, low, high) = i.target.contract_fields();
    // A unit left to fill (`≥ 100 待填`) is no unit: null, as the form's cell is empty.
    let unit = i
        .target
        .unit()
        .filter(|u| u.dimension != Dimension::Unknown);
    JsonIndicator {
        level1: i.level1().name(),
        level2: i.level2.name(),
        name: &i.name,
        op,
        value,
        low,
        high,
        unit: unit.map(|u| &*u.spelling),
        unit_canonical: unit.map(|u| &*u.canonical),
        dimension: dimension_name(&i.target),
        quantitative: i.target.is_quantitative(),
        value_yuan: i.target.yuan().map(|mut y| {
            y.rescale(y.scale().max(2));
            y.to_string()
        }),
        display: i.target.form_notation(),
        assessment: i.assessment.as_deref().map(assessment),
        source: &i.loc,
    }
}

/// An amount in 元 with two decimals (the model's amounts have at most two).
fn money(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// A decimal with at least two decimals (`10` → `10.00`), as the contract writes scores.
fn two(d: Decimal) -> String {
    let mut d = d;
    d.rescale(d.scale().max(2));
    d.to_string()
}

fn assessment(a: &Assessment) -> JsonAssessment<'_> {
    JsonAssessment {
        actual: a.actual.as_ref().map(|x| {
            let (value, unit) = match &x.value {
                // `实际完成值 100 待填`: no unit known, null.
                ActualValue::Quantity { value, unit } => (
                    value.to_string(),
                    Some(unit).filter(|u| u.dimension != Dimension::Unknown),
                ),
                ActualValue::Date(d) => (d.to_string(), None),
                ActualValue::Text(t) => (t.clone(), None),
            };
            JsonActual {
                display: x.form_notation(),
                value,
                unit: unit.map(|u| &*u.spelling),
                unit_canonical: unit.map(|u| &*u.canonical),
                bound: x.bound.map(|b| b.ascii()),
                quantitative: matches!(x.value, ActualValue::Quantity { .. }),
                source: &x.loc,
            }
        }),
        weight: (!a.weight_to_fill).then(|| two(a.weight)),
        weight_stated: a.weight_written.is_some(),
        score: a.score.map(two),
        score_rule: a.score_rule.map(two),
        score_written: a.score_written.map(two),
        met: a.judgement.met,
        deviation: a.deviation.as_deref(),
    }
}

fn evaluation(e: &Evaluation) -> JsonEvaluation<'_> {
    let ex = e.execution.as_ref();
    JsonEvaluation {
        score: e.score.map(two),
        grade: e.grade,
        execution_rate: ex.and_then(|x| x.rate_percent()).map(two),
        execution: ex.map(|x| JsonExecution {
            initial: x.initial.map(two),
            budget: x.budget.map(two),
            spent: x.spent.map(two),
            weight: two(x.weight),
            score: x.score.map(two),
            score_rule: x.score_rule.map(two),
            score_written: x.score_written.map(two),
            source: &x.loc,
        }),
        subtotals: e
            .subtotals
            .iter()
            .map(|s| JsonSubtotal {
                group: s.group.key(),
                name: s.group.name(),
                weight: (!s.weight_to_fill).then(|| two(s.weight)),
                score: s.score.map(two),
            })
            .collect(),
        weight_total: e.weights_known().then(|| two(e.weight_total())),
        score_written: e.total_written.map(two),
        grade_written: e.grade_written.as_deref(),
        outcome: e.outcome.as_deref(),
    }
}

/// Sum of a project's money cost caps in 元, the same set the checker compares to funding.
pub fn cost_caps_yuan(p: &Project) -> Decimal {
    let mut sum = p
        .indicators
        .iter()
        .filter_map(|i| i.cost_cap_yuan())
        // Checked: a model with errors may hold caps the checker refused (PS004, beyond
        // 10^15 元) whose sum overflows; such a term is left out instead of panicking.
        // `build` never emits a model with errors, so its output is unaffected.
        .fold(Decimal::ZERO, |acc, y| acc.checked_add(y).unwrap_or(acc));
    sum.rescale(sum.scale().max(2));
    sum
}

fn project(p: &Project) -> JsonProject<'_> {
    let counts = crate::emit::form::Counts::of(p);
    let f = &p.funding;
    JsonProject {
        name: &p.name,
        template: p.template.get().name,
        year: (p.year != 0).then_some(p.year),
        department: &p.department,
        unit: &p.unit,
        nature: &p.nature,
        kind: &p.kind,
        period: Period {
            start: p.start.map(|d| d.to_string()),
            end: p.end.map(|d| d.to_string()),
        },
        funding: f.given.then(|| JsonFunding {
            total: money(f.annual_total),
            total_stated: f.annual_total_stated,
            appropriation: money(f.appropriation),
            carryover: money(f.carryover),
            other: money(f.other),
            project_total: f.project_total.map(money),
            project_fiscal: f.project_fiscal.map(money),
            project_other: f.project_other.map(money),
            by_year: f
                .by_year
                .iter()
                .map(|&(year, amount)| JsonYearAmount {
                    year,
                    amount: money(amount),
                })
                .collect(),
        }),
        goals: Goals {
            total: p.goal_total.as_deref(),
            annual: &p.goal_annual,
        },
        indicators: Indicators(&p.indicators),
        totals: ProjectTotals {
            indicators: counts.total,
            cost: counts.get(Level1::Cost),
            output: counts.get(Level1::Output),
            benefit: counts.get(Level1::Benefit),
            satisfaction: counts.get(Level1::Satisfaction),
            cost_caps_yuan: cost_caps_yuan(p),
        },
        evaluation: p.evaluation.as_deref().map(evaluation),
        source: &p.loc,
    }
}

pub fn document(model: &Model) -> Document<'_> {
    let mut funding_total = model.annual_total();
    funding_total.rescale(2);
    Document {
        schema_version: SCHEMA_VERSION,
        projects: Projects(&model.projects),
        totals: Totals {
            projects: model.projects.len(),
            indicators: model.indicator_count(),
            funding_total,
        },
    }
}

/// The JSON text: pretty-printed, two-space indent, trailing newline.
pub fn to_string(model: &Model) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and every key is a string.
    if write(model, &mut out).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_string`] as a stream: what `perfspec build` writes, a project at a time.
pub fn write<W: std::io::Write>(model: &Model, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &document(model))?;
    out.write_all(b"\n")
}
