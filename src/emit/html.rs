//! The official form 财政项目支出绩效目标申报表 as one self-contained, printable HTML page
//! (docs/html.md): a summary page (汇总表) per 实施单位 and year, then one form per project:
//! the 申报表, or for an evaluated project its year-end 项目支出绩效自评表.
//!
//! Everything the page shows is computed here from the checked model; the template
//! (`templates/form.html.j2`) only lays it out. minijinja escapes every value it prints, so
//! text from a spec can never become markup.

use crate::emit::form::evaluation::{self as eval, SelfEvaluation};
use crate::emit::form::{self, Counts, Field, Merged};
use crate::emit::format_money;
use crate::model::{Model, Project};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rust_decimal::Decimal;
use serde::Serialize;

const TEMPLATE_NAME: &str = "form.html";
const TEMPLATE: &str = include_str!("../../templates/form.html.j2");

/// The HTML page for a checked model. Same model, same bytes: nothing depends on the time,
/// the machine or where the files are.
pub fn to_string(model: &Model) -> Result<String, minijinja::Error> {
    let mut out = Vec::new();
    write(model, &mut out)?;
    // The template and every value are UTF-8.
    String::from_utf8(out)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::BadSerialization, e.to_string()))
}

/// [`to_string`] as a stream: the summary, then one form at a time, so neither the page
/// nor the forms' view of a city's projects is ever held in memory as a whole.
pub fn write<W: std::io::Write>(model: &Model, mut out: W) -> Result<(), minijinja::Error> {
    let mut env = Environment::new();
    // Escape in every template, whatever its name: spec text is untrusted.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    // A misspelt field in the template is a bug to report, not an empty cell.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_template(TEMPLATE_NAME, TEMPLATE)?;
    let template = env.get_template(TEMPLATE_NAME)?;
    template.render_captured_to(head(model), &mut out)?;
    for (i, p) in model.projects.iter().enumerate() {
        match SelfEvaluation::of(p) {
            Some(e) => template.render_captured_to(
                EvaluationPart {
                    part: "evaluation",
                    e: evaluation(i, &e),
                },
                &mut out,
            )?,
            None => template.render_captured_to(
                FormPart {
                    part: "form",
                    f: form(i, p),
                },
                &mut out,
            )?,
        };
    }
    template.render_captured_to(minijinja::context! { part => "tail" }, &mut out)?;
    Ok(())
}

/// The context of one form's part of the template.
#[derive(Serialize)]
struct FormPart<'a> {
    part: &'static str,
    f: Form<'a>,
}

/// The context of one 自评表's part of the template.
#[derive(Serialize)]
struct EvaluationPart<'a> {
    part: &'static str,
    e: EvaluationForm<'a>,
}

/// The context of the page's head: everything up to the first form.
#[derive(Serialize)]
struct Head<'a> {
    part: &'static str,
    /// Whether any project is evaluated: the 自评表's styles are then in the page (a
    /// declaration-only page stays exactly as it was).
    evaluated: bool,
    /// `<title>` and the summary's heading.
    title: String,
    groups: Vec<Group<'a>>,
    /// The sentence over every group, shown only when there are several.
    overall: Option<String>,
}

/// One 实施单位 in one year: one summary table.
#[derive(Serialize)]
struct Group<'a> {
    title: String,
    sentence: String,
    /// Whether a project of the group is evaluated: the table then has 总分 and 等级.
    evaluated: bool,
    rows: Vec<SummaryRow<'a>>,
    total: SummaryTotal,
}

#[derive(Serialize)]
struct SummaryRow<'a> {
    /// 序号 inside the group.
    no: usize,
    /// The form's anchor (`form-3`).
    anchor: String,
    name: &'a str,
    unit: &'a str,
    nature: &'a str,
    funding: String,
    /// Indicators per 一级, in the form's order 成本, 产出, 效益, 满意度.
    counts: [usize; 4],
    indicators: usize,
    /// For an evaluated project: its 总分 (`None`: not known) and 等级.
    evaluation: Option<SummaryScore>,
}

#[derive(Serialize)]
struct SummaryScore {
    score: Option<String>,
    grade: Option<&'static str>,
}

#[derive(Serialize)]
struct SummaryTotal {
    projects: usize,
    funding: String,
    counts: [usize; 4],
    indicators: usize,
}

#[derive(Serialize)]
struct Form<'a> {
    anchor: String,
    title: &'static str,
    /// Empty for `年度 待填`.
    year: String,
    name: &'a str,
    header: HeaderView<'a>,
    /// The 项目资金 block's lines, top to bottom.
    funding: Vec<FundingLineView>,
    /// Paragraphs, each a list of lines (a blank line separates paragraphs in the spec).
    goal_total: Vec<Vec<&'a str>>,
    goal_annual: Vec<Vec<&'a str>>,
    rows: Vec<Row<'a>>,
}

/// A label of the form and its value, formatted.
#[derive(Serialize)]
struct FieldView<'a> {
    label: &'static str,
    value: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct HeaderView<'a> {
    nature_and_kind: bool,
    name: FieldView<'a>,
    nature: FieldView<'a>,
    kind: FieldView<'a>,
    department: FieldView<'a>,
    unit: FieldView<'a>,
    start: FieldView<'a>,
    end: FieldView<'a>,
}

/// One line of the funding block, formatted; "" leaves a cell blank as the form does for
/// the whole-life column of an annual project (and a label "" leaves the label cell out).
#[derive(Serialize)]
struct FundingLineView {
    left_label: &'static str,
    left: String,
    right_label: &'static str,
    right: String,
}

/// One indicator line. `level1` / `level2` are set on the first row of a run and carry the
/// rowspan that merges the cell over the run.
#[derive(Serialize)]
struct Row<'a> {
    level1: Option<Merged>,
    level2: Option<Merged>,
    name: &'a str,
    value: String,
}

fn head(model: &Model) -> Head<'_> {
    let groups = groups(model);
    let title = match groups.as_slice() {
        [only] => only.title.clone(),
        _ => "项目绩效目标汇总表".to_string(),
    };
    let overall = (groups.len() > 1).then(|| {
        sentence(
            model.projects.len(),
            sum(model
                .projects
                .iter()
                .filter_map(|p| p.funding.annual_total_given())),
        )
    });
    Head {
        part: "head",
        evaluated: groups.iter().any(|g| g.evaluated),
        title,
        groups,
        overall,
    }
}

/// Projects grouped by (实施单位, year) in order of first appearance; inside a group, model
/// order. The anchors keep the index into the model so the summary links the right form.
fn groups(model: &Model) -> Vec<Group<'_>> {
    let mut keys: Vec<(&str, u16)> = Vec::new();
    let mut members: Vec<Vec<(usize, &Project)>> = Vec::new();
    for (i, p) in model.projects.iter().enumerate() {
        let key = (p.unit.as_str(), p.year);
        match keys.iter().position(|k| *k == key) {
            Some(g) => members[g].push((i, p)),
            None => {
                keys.push(key);
                members.push(vec![(i, p)]);
            }
        }
    }
    keys.into_iter()
        .zip(members)
        .map(|((unit, year), projects)| {
            let rows: Vec<SummaryRow<'_>> = projects
                .iter()
                .enumerate()
                .map(|(n, (i, p))| {
                    let counts = Counts::of(p);
                    SummaryRow {
                        no: n + 1,
                        anchor: anchor(*i),
                        name: &p.name,
                        unit: &p.unit,
                        nature: &p.nature,
                        funding: p
                            .funding
                            .annual_total_given()
                            .map(format_money)
                            .unwrap_or_default(),
                        counts: counts.by_level1,
                        indicators: counts.total,
                        evaluation: p.evaluation.as_deref().map(|e| SummaryScore {
                            score: e.score.map(eval::two),
                            grade: e.grade,
                        }),
                    }
                })
                .collect();
            let funding = sum(projects
                .iter()
                .filter_map(|(_, p)| p.funding.annual_total_given()));
            let mut counts = [0; 4];
            for r in &rows {
                for (c, n) in counts.iter_mut().zip(r.counts) {
                    *c += n;
                }
            }
            let evaluated = rows.iter().filter(|r| r.evaluation.is_some()).count();
            let mut sentence = sentence(projects.len(), funding);
            if evaluated > 0 {
                sentence.push_str(&format!("；完成绩效自评的项目 {evaluated} 个"));
            }
            Group {
                title: if year == 0 {
                    format!("{unit} 年度项目绩效目标汇总表")
                } else {
                    format!("{unit} {year} 年度项目绩效目标汇总表")
                },
                sentence,
                evaluated: evaluated > 0,
                total: SummaryTotal {
                    projects: rows.len(),
                    funding: funding.map(format_money).unwrap_or_else(overflow),
                    counts,
                    indicators: rows.iter().map(|r| r.indicators).sum(),
                },
                rows,
            }
        })
        .collect()
}

/// A total that cannot overflow into a panic: `None` past `Decimal::MAX`.
fn sum(mut amounts: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    amounts.try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// What a cell shows for a total too large to compute.
fn overflow() -> String {
    "（超出可计算范围）".to_string()
}

/// 编报绩效目标的项目 N 个，涉及项目预算资金 X 万元 (X exact: every digit of the 元 kept).
fn sentence(projects: usize, yuan: Option<Decimal>) -> String {
    let wan = yuan.map(wan_exact).unwrap_or_else(overflow);
    format!("编报绩效目标的项目 {projects} 个，涉及项目预算资金 {wan} 万元")
}

/// 元 → 万元 without rounding: 4,130,023.00 元 → `413.0023`; at least two decimals, thousands
/// grouped like the form's money.
fn wan_exact(yuan: Decimal) -> String {
    crate::vocab::num::format_wan_exact(yuan)
}

fn anchor(index: usize) -> String {
    format!("form-{}", index + 1)
}

fn form(index: usize, p: &Project) -> Form<'_> {
    let view = form::Form::of(p);
    fn text(f: Field<&str>) -> FieldView<'_> {
        FieldView {
            label: f.label,
            value: f.value.into(),
        }
    }
    fn date(f: Field<Option<crate::syntax::DateLit>>) -> FieldView<'static> {
        FieldView {
            label: f.label,
            value: f.value.map(|d| d.to_string()).unwrap_or_default().into(),
        }
    }
    let h = view.header;
    Form {
        anchor: anchor(index),
        title: view.title,
        year: p.year_shown(),
        name: &p.name,
        header: HeaderView {
            nature_and_kind: h.nature_and_kind,
            name: text(h.name),
            nature: text(h.nature),
            kind: text(h.kind),
            department: text(h.department),
            unit: text(h.unit),
            start: date(h.start),
            end: date(h.end),
        },
        funding: view
            .funding
            .iter()
            .map(|l| FundingLineView {
                left_label: l.left.label,
                left: l.left.value.map(format_money).unwrap_or_default(),
                right_label: l.right.label,
                right: l.right.value.map(format_money).unwrap_or_default(),
            })
            .collect(),
        goal_total: paragraphs(view.goal_total),
        goal_annual: paragraphs(view.goal_annual),
        rows: view
            .rows
            .iter()
            .map(|r| Row {
                level1: r.level1,
                level2: r.level2,
                name: &r.indicator.name,
                value: r.indicator.target.form_notation(),
            })
            .collect(),
    }
}

/// One 项目支出绩效自评表, formatted: scores with two decimals, amounts in 万元 (exact), the
/// rate in percent; `None` where a score is unknown (the template shows a note, never 0).
#[derive(Serialize)]
struct EvaluationForm<'a> {
    anchor: String,
    year: String,
    title: &'static str,
    name: FieldView<'a>,
    department: FieldView<'a>,
    unit: FieldView<'a>,
    /// The 资金情况 line: labels and cells, left to right.
    execution: Vec<ExecutionCell>,
    /// Whether the spec has no 预算执行 block (the line is blank but for the weight).
    execution_missing: bool,
    goal: (&'static str, Vec<Vec<&'a str>>),
    outcome: (&'static str, Vec<Vec<&'a str>>),
    headers: [&'static str; 8],
    rows: Vec<EvaluatedRow<'a>>,
    total: TotalView<'a>,
    unscored: &'static str,
    /// Whether some score is unknown: a note under the table says why.
    has_unscored: bool,
}

#[derive(Serialize)]
struct ExecutionCell {
    label: &'static str,
    /// `None`: a score that is unknown (shown as the note).
    value: Option<String>,
    /// `money` or `num`: the cell's class.
    class: &'static str,
    score: bool,
}

#[derive(Serialize)]
struct EvaluatedRow<'a> {
    level1: Option<Merged>,
    level2: Option<Merged>,
    name: &'a str,
    target: String,
    actual: String,
    weight: Option<String>,
    score: Option<String>,
    deviation: Vec<Vec<&'a str>>,
}

#[derive(Serialize)]
struct TotalView<'a> {
    label: &'static str,
    weight: String,
    score: Option<String>,
    grade_label: &'static str,
    grade: Option<&'a str>,
    /// What the spec wrote, when it differs from the computed total or grade.
    written: Option<String>,
}

fn evaluation<'a>(index: usize, e: &SelfEvaluation<'a>) -> EvaluationForm<'a> {
    fn text<'a>(f: Field<&'a str>) -> FieldView<'a> {
        FieldView {
            label: f.label,
            value: f.value.into(),
        }
    }
    let x = &e.execution;
    let amount = |f: Field<Option<Decimal>>| ExecutionCell {
        label: f.label,
        value: Some(f.value.map(wan_exact).unwrap_or_default()),
        class: "money",
        score: false,
    };
    let execution = vec![
        amount(x.initial),
        amount(x.budget),
        amount(x.spent),
        ExecutionCell {
            label: x.weight.label,
            value: Some(eval::two(x.weight.value)),
            class: "num",
            score: false,
        },
        ExecutionCell {
            label: x.rate_percent.label,
            value: Some(
                x.rate_percent
                    .value
                    .map(|r| format!("{}%", eval::two(r)))
                    .unwrap_or_default(),
            ),
            class: "num",
            score: false,
        },
        ExecutionCell {
            label: x.score.label,
            value: x.score.value.map(eval::two),
            class: "num",
            score: true,
        },
    ];
    let t = &e.total;
    let written = match (t.score_written, t.grade_written) {
        (None, None) => None,
        (Some(s), None) => Some(format!("填报总分 {}", eval::two(s))),
        (None, Some(g)) => Some(format!("填报等级 {g}")),
        (Some(s), Some(g)) => Some(format!("填报总分 {}、等级 {g}", eval::two(s))),
    };
    EvaluationForm {
        anchor: anchor(index),
        year: e.project.year_shown(),
        title: eval::TITLE,
        name: text(e.name),
        department: text(e.department),
        unit: text(e.unit),
        execution,
        execution_missing: !x.written,
        goal: (e.goal.label, paragraphs(e.goal.value)),
        outcome: (e.outcome.label, paragraphs(e.outcome.value)),
        headers: eval::INDICATOR_HEADERS,
        rows: e
            .rows
            .iter()
            .map(|r| EvaluatedRow {
                level1: r.row.level1,
                level2: r.row.level2,
                name: &r.row.indicator.name,
                target: r.row.indicator.target.form_notation(),
                actual: r.actual(),
                weight: r.weight().map(eval::two),
                score: r.score().map(eval::two),
                deviation: paragraphs(r.deviation()),
            })
            .collect(),
        total: TotalView {
            label: t.label,
            weight: t.weight.map(eval::two).unwrap_or_default(),
            score: t.score.map(eval::two),
            grade_label: t.grade.label,
            grade: t.grade.value,
            written,
        },
        unscored: eval::UNSCORED,
        has_unscored: e.has_unscored(),
    }
}

/// Paragraphs split on blank lines; the lines inside one are kept, as the form's text box
/// keeps them.
fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn wan_keeps_every_digit() {
        let w = |s: &str| wan_exact(Decimal::from_str(s).unwrap());
        assert_eq!(w("4130023.00"), "413.0023");
        assert_eq!(w("4130000.00"), "413.00");
        assert_eq!(w("991823.50"), "99.18235");
        assert_eq!(w("123456789012.00"), "12,345,678.9012");
        assert_eq!(w("0"), "0.00");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\nc\n"), vec![vec!["a", "b"], vec!["c"]]);
        assert!(paragraphs("").is_empty());
    }
}
