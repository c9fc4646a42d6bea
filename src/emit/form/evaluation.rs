//! The year-end form, 项目支出绩效自评表 (财预〔2020〕10号 附件), as HTML and xlsx both lay it
//! out: the header, the budget execution line (资金情况), the annual goal beside what was
//! achieved, the indicator rows with their merged 一级 / 二级 cells and year-end columns, and
//! the 总分 line with the grade. Every number is the model's exact decimal; a score the
//! rules could not know stays `None`, never 0 (each emitter shows it as a blank with a note).

use super::{rows, Counts, Field, Row};
use crate::model::{Assessment, Evaluation, Project};
use crate::vocab::evaluation::Group;
use rust_decimal::Decimal;

/// The form's title.
pub const TITLE: &str = "项目支出绩效自评表";
/// What a form shows in place of a score the rules could not compute and nobody wrote.
pub const UNSCORED: &str = "未计分";

/// Labels of the indicator table, in column order after 绩效指标.
pub const INDICATOR_HEADERS: [&str; 8] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
];

/// One 自评表: present only for an evaluated project.
pub struct SelfEvaluation<'a> {
    pub project: &'a Project,
    pub evaluation: &'a Evaluation,
    pub name: Field<&'a str>,
    pub department: Field<&'a str>,
    pub unit: Field<&'a str>,
    pub execution: ExecutionLine,
    /// 年度总体目标 (预期目标) and 年度总体目标完成情况 (实际完成情况; "" when not written).
    pub goal: Field<&'a str>,
    pub outcome: Field<&'a str>,
    pub rows: Vec<EvaluatedRow<'a>>,
    pub total: TotalLine<'a>,
    pub counts: Counts,
}

/// The 资金情况 line: amounts in 元 (each emitter shows them in 万元, as the form does), the
/// execution rate's weight, the rate in percent (two decimals) and its score.
pub struct ExecutionLine {
    pub initial: Field<Option<Decimal>>,
    pub budget: Field<Option<Decimal>>,
    pub spent: Field<Option<Decimal>>,
    pub weight: Field<Decimal>,
    /// 执行率 in percent, rounded to two decimals (`95.00`).
    pub rate_percent: Field<Option<Decimal>>,
    pub score: Field<Option<Decimal>>,
    /// Whether the spec has a 预算执行 block at all.
    pub written: bool,
}

impl ExecutionLine {
    /// The rate as a fraction with the two decimals of its percentage (`0.9500`): what an
    /// xlsx cell holds under a percentage format, so the cell shows what HTML shows.
    pub fn rate_fraction(&self) -> Option<Decimal> {
        self.rate_percent
            .value
            .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED))
    }
}

/// One indicator line of the 自评表.
pub struct EvaluatedRow<'a> {
    pub row: Row<'a>,
    /// Always present on a checked evaluated project; `None` only for a model built by hand.
    pub assessment: Option<&'a Assessment>,
}

impl<'a> EvaluatedRow<'a> {
    /// 实际完成值 in the form's notation (`270(米)`), "" when not written.
    pub fn actual(&self) -> String {
        self.assessment
            .and_then(|a| a.actual.as_ref())
            .map(|a| a.form_notation())
            .unwrap_or_default()
    }
    /// `None` for a weight left to fill (`分值 待填`): an empty cell.
    pub fn weight(&self) -> Option<Decimal> {
        self.assessment
            .filter(|a| !a.weight_to_fill)
            .map(|a| a.weight)
    }
    pub fn score(&self) -> Option<Decimal> {
        self.assessment.and_then(|a| a.score)
    }
    pub fn deviation(&self) -> &'a str {
        self.assessment
            .and_then(|a| a.deviation.as_deref())
            .unwrap_or("")
    }
}

/// The closing line: weights added up, the total and the grade; what the spec wrote when it
/// disagrees (PS516 warned about it), so a reader sees both.
pub struct TotalLine<'a> {
    pub label: &'static str,
    /// `None` when a weight is left to fill.
    pub weight: Option<Decimal>,
    pub score: Option<Decimal>,
    pub grade: Field<Option<&'a str>>,
    /// The 总分 written in the spec, when it differs from the computed one.
    pub score_written: Option<Decimal>,
    /// The 等级 written in the spec, when it differs from the computed one.
    pub grade_written: Option<&'a str>,
}

impl<'a> SelfEvaluation<'a> {
    /// The 自评表 of `p`, when `p` is evaluated.
    pub fn of(p: &'a Project) -> Option<SelfEvaluation<'a>> {
        let e = p.evaluation.as_deref()?;
        let x = e.execution.as_ref();
        let exec_weight = x.map(|x| x.weight).unwrap_or_else(|| {
            e.subtotals
                .iter()
                .find(|s| s.group == Group::Execution)
                .map_or(Decimal::ZERO, |s| s.weight)
        });
        let grade = e.grade;
        Some(SelfEvaluation {
            project: p,
            evaluation: e,
            name: Field::new("项目名称", p.name.as_str()),
            department: Field::new("主管部门", p.department.as_str()),
            unit: Field::new("实施单位", p.unit.as_str()),
            execution: ExecutionLine {
                initial: Field::new("年初预算数", x.and_then(|x| x.initial)),
                budget: Field::new("全年预算数", x.and_then(|x| x.budget)),
                spent: Field::new("全年执行数", x.and_then(|x| x.spent)),
                weight: Field::new("分值", exec_weight),
                rate_percent: Field::new("执行率", x.and_then(|x| x.rate_percent())),
                score: Field::new("得分", x.and_then(|x| x.score)),
                written: x.is_some(),
            },
            goal: Field::new("预期目标", p.goal_annual.as_str()),
            outcome: Field::new("实际完成情况", e.outcome.as_deref().unwrap_or("")),
            rows: rows(&p.indicators)
                .into_iter()
                .map(|row| EvaluatedRow {
                    assessment: row.indicator.assessment.as_deref(),
                    row,
                })
                .collect(),
            total: TotalLine {
                label: "总分",
                weight: e.weights_known().then(|| e.weight_total()),
                score: e.score,
                grade: Field::new("等级", grade),
                score_written: e.total_written.filter(|w| Some(*w) != e.score),
                grade_written: e.grade_written.as_deref().filter(|w| Some(*w) != grade),
            },
            counts: Counts::of(p),
        })
    }

    /// Whether some score of the form is unknown (a row, the execution or the total).
    pub fn has_unscored(&self) -> bool {
        self.total.score.is_none()
            || self.execution.score.value.is_none()
            || self.rows.iter().any(|r| r.score().is_none())
    }
}

/// A score with two decimals (`10` → `10.00`), rounded half away from zero as the form
/// rounds; the model's scores have two already.
pub fn two(d: Decimal) -> String {
    crate::model::assess::round(d).to_string()
}

/// 元 → 万元, exactly (`200000.00` → `20.00`, `123456.78` → `12.345678`): at least two
/// decimals, no thousands separator; `None` past the decimal range.
pub fn wan(yuan: Decimal) -> Option<Decimal> {
    let mut w = yuan.checked_div(Decimal::from(10_000))?.normalize();
    if w.scale() < 2 {
        w.rescale(2);
    }
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn wan_is_exact_with_two_decimals_at_least() {
        assert_eq!(
            wan(d("200000.00")).map(|w| w.to_string()),
            Some("20.00".into())
        );
        assert_eq!(
            wan(d("123456.78")).map(|w| w.to_string()),
            Some("12.345678".into())
        );
        assert_eq!(wan(d("0")).map(|w| w.to_string()), Some("0.00".into()));
        assert_eq!(two(d("10")), "10.00");
        assert_eq!(two(d("98.5")), "98.50");
    }

    #[test]
    fn a_declaration_has_no_self_evaluation() {
        let report = crate::check::check_all(vec![(
            "a.perf".to_string(),
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf"
            ))
            .unwrap_or_default(),
        )]);
        let model = report.model();
        assert!(model
            .projects
            .iter()
            .all(|p| SelfEvaluation::of(p).is_none()));
    }
}
