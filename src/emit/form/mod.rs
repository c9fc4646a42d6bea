//! The official form as every emitter sees it: for one [`Project`], the header and funding
//! fields as label/value pairs, the goals, and the rows of the indicator table in the spec's
//! order with the spans of their merged 一级 and 二级 cells, plus the count of rows per 一级.
//!
//! The HTML page and the xlsx workbook lay this view out; neither computes a span or a
//! count itself, so the two forms cannot disagree about which cells merge. Labels here are
//! the words both forms print; each emitter adds only its own punctuation and captions.

use crate::model::{Indicator, Level1, Level2, Project};
use crate::syntax::DateLit;
use rust_decimal::Decimal;
use serde::Serialize;

pub mod evaluation;

/// One 申报表 (财政项目支出绩效目标申报表).
pub struct Form<'a> {
    pub project: &'a Project,
    /// The printed title: the template's (`财政项目支出绩效目标申报表` for Shanghai's,
    /// `项目支出绩效目标申报表` for the Ministry of Finance's, …).
    pub title: &'static str,
    pub header: Header<'a>,
    /// The 项目资金 block, top to bottom: left the whole project life, right this year.
    pub funding: [FundingLine; 4],
    /// 项目总目标 ("" when the form leaves it blank) and 年度总体目标, as written.
    pub goal_total: &'a str,
    pub goal_annual: &'a str,
    /// The indicator table.
    pub rows: Vec<Row<'a>>,
    pub counts: Counts,
}

/// A label of the form and the value beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<T> {
    pub label: &'static str,
    pub value: T,
}

/// The header block: three lines of the form.
pub struct Header<'a> {
    /// The line of the name has the 项目性质 and 项目类别 cells: the template's form has
    /// them, or the spec writes them.
    pub nature_and_kind: bool,
    pub name: Field<&'a str>,
    pub nature: Field<&'a str>,
    pub kind: Field<&'a str>,
    pub department: Field<&'a str>,
    pub unit: Field<&'a str>,
    pub start: Field<Option<DateLit>>,
    pub end: Field<Option<DateLit>>,
}

/// One line of the 项目资金 block. The left side is blank (`None`) for an annual project,
/// as on the form; its third line has no label at all.
pub struct FundingLine {
    pub left: Field<Option<Decimal>>,
    /// `None` when the spec states no amounts (`资金 待填`): a blank cell, not 0.00.
    pub right: Field<Option<Decimal>>,
}

/// One indicator line. `level1` / `level2` are set on the first row of a run of equal
/// categories and carry the number of rows the cell spans.
pub struct Row<'a> {
    pub indicator: &'a Indicator,
    pub level1: Option<Merged>,
    pub level2: Option<Merged>,
}

/// A merged category cell: its text and how many rows it spans.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merged {
    pub name: &'static str,
    pub rowspan: usize,
}

/// Indicators per 一级, in the form's order 成本, 产出, 效益, 满意度 ([`Level1::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub by_level1: [usize; 4],
    pub total: usize,
}

impl<T> Field<T> {
    pub const fn new(label: &'static str, value: T) -> Field<T> {
        Field { label, value }
    }
}

impl Counts {
    pub fn of(p: &Project) -> Counts {
        let mut by_level1 = [0; 4];
        for i in &p.indicators {
            if let Some(k) = Level1::ALL.iter().position(|l| *l == i.level1()) {
                by_level1[k] += 1;
            }
        }
        Counts {
            by_level1,
            total: p.indicators.len(),
        }
    }

    /// The rows of one 一级.
    pub fn get(&self, l: Level1) -> usize {
        Level1::ALL
            .iter()
            .position(|x| *x == l)
            .map_or(0, |k| self.by_level1[k])
    }

    /// The counts of several projects added up.
    pub fn add(&mut self, other: &Counts) {
        for (c, n) in self.by_level1.iter_mut().zip(other.by_level1) {
            *c += n;
        }
        self.total += other.total;
    }
}

impl<'a> Form<'a> {
    pub fn of(p: &'a Project) -> Form<'a> {
        let f = &p.funding;
        let given = |v: Decimal| f.given.then_some(v);
        Form {
            project: p,
            title: p.template.get().title,
            header: Header::of(p),
            funding: [
                FundingLine {
                    left: Field::new("项目资金总额", f.project_total),
                    right: Field::new("年度资金申请总额", given(f.annual_total)),
                },
                FundingLine {
                    left: Field::new("其中：财政资金", f.project_fiscal),
                    right: Field::new("其中：当年财政拨款", given(f.appropriation)),
                },
                FundingLine {
                    left: Field::new("", None),
                    right: Field::new("上年结转资金", given(f.carryover)),
                },
                FundingLine {
                    left: Field::new("其他资金", f.project_other),
                    right: Field::new("其他资金", given(f.other)),
                },
            ],
            goal_total: p.goal_total.as_deref().unwrap_or(""),
            goal_annual: &p.goal_annual,
            rows: rows(&p.indicators),
            counts: Counts::of(p),
        }
    }
}

impl<'a> Header<'a> {
    fn of(p: &'a Project) -> Header<'a> {
        Header {
            nature_and_kind: p.template.get().has_nature_and_kind()
                || !p.nature.is_empty()
                || !p.kind.is_empty(),
            name: Field::new("项目名称", p.name.as_str()),
            nature: Field::new("项目性质", p.nature.as_str()),
            kind: Field::new("项目类别", p.kind.as_str()),
            department: Field::new("主管部门", p.department.as_str()),
            unit: Field::new("实施单位", p.unit.as_str()),
            start: Field::new("计划开始日期", p.start),
            end: Field::new("计划完成日期", p.end),
        }
    }
}

/// The indicator rows in the spec's order. A 一级 or 二级 cell merges over a run of
/// consecutive rows of its category; a category that comes back later starts a new cell,
/// so the form never moves a row away from where the spec put it.
pub fn rows(indicators: &[Indicator]) -> Vec<Row<'_>> {
    let level2: Vec<Level2> = indicators.iter().map(|i| i.level2).collect();
    let level1: Vec<Level1> = level2.iter().map(|l| l.level1()).collect();
    let mut out: Vec<Row<'_>> = indicators
        .iter()
        .map(|indicator| Row {
            indicator,
            level1: None,
            level2: None,
        })
        .collect();
    for (start, len) in runs(&level1) {
        out[start].level1 = Some(Merged {
            name: level1[start].name(),
            rowspan: len,
        });
    }
    for (start, len) in runs(&level2) {
        out[start].level2 = Some(Merged {
            name: level2[start].name(),
            rowspan: len,
        });
    }
    out
}

/// Runs of equal consecutive keys as `(first index, length)`. The 一级 and 二级 cells merge
/// over these; entries are never reordered, so a category written twice apart gets two cells.
pub fn runs<T: PartialEq>(keys: &[T]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match out.last_mut() {
            Some((start, len)) if keys[*start] == *k => *len += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}

/// The merged cells of one column (`|r| r.level1` or `|r| r.level2`), top to bottom, each
/// with the index of its first row.
pub fn starts(rows: &[Row<'_>], column: fn(&Row<'_>) -> Option<Merged>) -> Vec<(usize, Merged)> {
    rows.iter()
        .enumerate()
        .filter_map(|(k, r)| column(r).map(|m| (k, m)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_only_on_change() {
        assert_eq!(runs::<u8>(&[]), vec![]);
        assert_eq!(runs(&[1]), vec![(0, 1)]);
        assert_eq!(runs(&[1, 1, 2, 2, 2, 1]), vec![(0, 2), (2, 3), (5, 1)]);
    }

    #[test]
    fn spans_sit_on_the_first_row_of_each_run() {
        let report = crate::check::check_all(vec![(
            "a.perf".to_string(),
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/specs/shanghai-lhsr-xzfwzx-2026/01-行业信访安全应急专项.perf"
            ))
            .unwrap_or_default(),
        )]);
        let model = report.model();
        let Some(p) = model.projects.first() else {
            panic!("the seed spec has a project");
        };
        let f = Form::of(p);
        assert_eq!(f.rows.len(), p.indicators.len());
        let l1: usize = starts(&f.rows, |r| r.level1)
            .into_iter()
            .map(|(_, m)| m.rowspan)
            .sum();
        let l2: usize = starts(&f.rows, |r| r.level2)
            .into_iter()
            .map(|(_, m)| m.rowspan)
            .sum();
        assert_eq!((l1, l2), (f.rows.len(), f.rows.len()));
        assert_eq!(f.counts.total, p.indicators.len());
        assert_eq!(f.counts.by_level1.iter().sum::<usize>(), f.counts.total);
        assert_eq!(f.rows[0].level1.map(|m| m.name), Some("成本指标"));
    }
}
