//! The JSON contract (`docs/json.md`, `docs/perfspec.schema.json`). These structs are the
//! contract: their field order is the key order, and they change only with `SCHEMA_VERSION`.

use crate::model::{Indicator, Level1, Loc, Model, Project, Target};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

pub const SCHEMA_VERSION: u32 = 1;

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
    pub year: u16,
    pub department: &'a str,
    pub unit: &'a str,
    pub nature: &'a str,
    pub kind: &'a str,
    pub period: Period,
    pub funding: JsonFunding,
    pub goals: Goals<'a>,
    pub indicators: Indicators<'a>,
    pub totals: ProjectTotals,
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
    use crate::model::Dimension::*;
    match t {
        Target::Qualitative { .. } => None,
        Target::Date { .. } => Some("date"),
        t => t.unit().map(|u| match u.dimension {
            Money => "money",
            UnitCost => "unit_cost",
            Count => "count",
            Percent => "percent",
            Duration => "duration",
            DurationRate => "duration_rate",
            Rate => "rate",
            Score => "score",
            Area => "area",
            Length => "length",
            Weight => "weight",
            Volume => "volume",
        }),
    }
}

fn indicator(i: &Indicator) -> JsonIndicator<'_> {
    let (op, value, low, high) = i.target.contract_fields();
    let unit = i.target.unit();
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
        source: &i.loc,
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
        year: p.year,
        department: &p.department,
        unit: &p.unit,
        nature: &p.nature,
        kind: &p.kind,
        period: Period {
            start: p.start.map(|d| d.to_string()),
            end: p.end.map(|d| d.to_string()),
        },
        funding: JsonFunding {
            total: f.annual_total,
            total_stated: f.annual_total_stated,
            appropriation: f.appropriation,
            carryover: f.carryover,
            other: f.other,
            project_total: f.project_total,
            project_fiscal: f.project_fiscal,
            project_other: f.project_other,
        },
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
