//! The 汇总 sheet: one row per project, streamed, then the exact totals and a row of SUM
//! formulas that checks them (`docs/xlsx.md`).

use super::cells::to_f64;
use super::measure::{dw, height_for, width_for, Heights};
use super::sheet::{Cell, Head, Link, Merge, Page, SheetWriter, Value};
use super::strings::SharedStrings;
use super::styles::{self as st, Style, Styles};
use super::XlsxError;
use crate::emit::form::evaluation::UNSCORED;
use crate::emit::form::Counts;
use crate::emit::format_money;
use crate::model::{Model, Project};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;

/// Summary columns: 序号, 项目名称, 实施单位, 项目性质, 年度资金申请总额(元), one count per
/// 一级, 指标合计, 工作表 (a link to the project's sheet).
pub const SUMMARY_HEADERS: [&str; 11] = [
    "序号",
    "项目名称",
    "实施单位",
    "项目性质",
    "年度资金申请总额(元)",
    "成本指标",
    "产出指标",
    "效益指标",
    "满意度指标",
    "指标合计",
    "工作表",
];
/// Summary rows (0-based): title, caption, column headers, then one row per project.
pub const SUMMARY_HEADER_ROW: u32 = 2;

pub(super) fn summary_title(model: &Model) -> String {
    let units: HashSet<&str> = model.projects.iter().map(|p| p.unit.as_str()).collect();
    let years: HashSet<u16> = model.projects.iter().map(|p| p.year).collect();
    let year = (years.len() == 1)
        .then(|| {
            years
                .iter()
                .next()
                .filter(|y| **y != 0)
                .map(|y| format!("{y} 年度"))
        })
        .flatten();
    let unit = (units.len() == 1)
        .then(|| units.iter().next().map(|u| format!("{u} ")))
        .flatten();
    format!(
        "{}{}项目绩效目标汇总表",
        unit.unwrap_or_default(),
        year.unwrap_or_default()
    )
}

/// The summary's last row (0-based): the 合计 row. Its print area ends there; the check
/// row below it is outside.
pub(super) fn summary_last_row(model: &Model) -> u32 {
    SUMMARY_HEADER_ROW + 1 + model.projects.len() as u32
}

fn cell<'a>(c: u16, value: Value<'a>, style: Style) -> (u16, Cell<'a>) {
    (c, Cell { value, style })
}

fn text<'a>(c: u16, s: impl Into<Cow<'a, str>>, style: Style) -> (u16, Cell<'a>) {
    cell(c, Value::Text(s.into()), style)
}

/// The columns a build with evaluated projects adds before 工作表: each project's 自评总分
/// (a number, or the note `未计分`) and 等级; a project not evaluated leaves them blank.
pub const EVALUATION_HEADERS: [&str; 2] = ["自评总分", "等级"];

fn evaluated(model: &Model) -> bool {
    model.projects.iter().any(|p| p.evaluation.is_some())
}

/// The summary's columns: [`SUMMARY_HEADERS`], with [`EVALUATION_HEADERS`] before the last
/// when some project is evaluated (a declaration-only workbook keeps its columns).
fn headers(model: &Model) -> Vec<&'static str> {
    let (link, rest) = SUMMARY_HEADERS
        .split_last()
        .map_or((None, &[][..]), |(l, r)| (Some(*l), r));
    let mut out = rest.to_vec();
    if evaluated(model) {
        out.extend(EVALUATION_HEADERS);
    }
    out.extend(link);
    out
}

/// The summary's last column (0-based): the link to the project's sheet.
pub(super) fn last_col(model: &Model) -> u16 {
    (headers(model).len() - 1) as u16
}

/// Write the 汇总 sheet: one row per project, streamed, then the totals.
pub(super) fn write_summary<'a>(
    out: &mut dyn Write,
    model: &'a Model,
    project_sheets: &'a [String],
    styles: &mut Styles,
    sst: &mut SharedStrings<'a>,
) -> Result<(), XlsxError> {
    let headers = headers(model);
    let evaluated = evaluated(model);
    let last_col = (headers.len() - 1) as u16;
    let link_col = last_col;
    let total: Decimal = model
        .projects
        .iter()
        .filter_map(|p| p.funding.annual_total_given())
        .sum();

    // Widths from the content, CJK counted double; long names wrap.
    let max_of = |f: &dyn Fn(&Project) -> usize, lo: usize, hi: usize| {
        model
            .projects
            .iter()
            .map(f)
            .max()
            .unwrap_or(lo)
            .clamp(lo, hi)
    };
    let money = dw(&format_money(total)).max(dw("年度资金申请总额(元)") / 2);
    let mut widths = vec![
        width_for(4),
        width_for(max_of(&|p| dw(&p.name), 16, 44)),
        width_for(max_of(&|p| dw(&p.unit), 12, 34)),
        width_for(max_of(&|p| dw(&p.nature), 8, 20)),
        width_for(money.max(12)),
        width_for(10),
        width_for(10),
        width_for(10),
        width_for(10),
        width_for(10),
        width_for(
            project_sheets
                .iter()
                .map(|s| dw(s))
                .max()
                .unwrap_or(8)
                .clamp(8, 40),
        ),
    ];
    if evaluated {
        let at = widths.len() - 1;
        widths.splice(at..at, [width_for(10), width_for(8)]);
    }
    let n = model.projects.len() as u32;
    let hr = SUMMARY_HEADER_ROW;
    let first = hr + 1;
    let tr = first + n;
    // The check row exists when there is something to sum.
    let last = if n > 0 { tr + 1 } else { tr };
    let head = Head {
        widths: &widths,
        frozen_rows: hr + 1,
        selected: true,
    };
    let mut w = SheetWriter::begin(out, &head, (last, last_col))?;
    let spread = |s: Cow<'a, str>, style: Style| {
        std::iter::once(text(0, s, style))
            .chain((1..=last_col).map(move |c| cell(c, Value::Blank, style)))
    };
    let mut merges = vec![
        Merge {
            r0: 0,
            c0: 0,
            r1: 0,
            c1: last_col,
        },
        Merge {
            r0: 1,
            c0: 0,
            r1: 1,
            c1: last_col,
        },
    ];

    w.row(
        0,
        Some(30.0),
        spread(summary_title(model).into(), st::TITLE),
        sst,
    )?;
    let caption = format!(
        "编报绩效目标的项目 {} 个，涉及项目预算资金 {} 元",
        model.projects.len(),
        format_money(total)
    );
    w.row(1, Some(20.0), spread(caption.into(), st::SUBTITLE), sst)?;

    let mut h = Heights::default();
    for (c, t) in headers.iter().enumerate() {
        h.need(hr, t, widths[c]);
    }
    let headers = headers
        .iter()
        .enumerate()
        .map(|(c, t)| text(c as u16, *t, st::HEADER));
    w.row(hr, Some(h.height(hr)), headers, sst)?;

    let mut sums = [0usize; 5];
    for (i, (p, sheet)) in model.projects.iter().zip(project_sheets).enumerate() {
        let r = first + i as u32;
        let mut h = Heights::default();
        h.need(r, &p.name, widths[1]);
        h.need(r, &p.unit, widths[2]);
        h.need(r, &p.nature, widths[3]);
        h.need(r, sheet, widths[link_col as usize]);
        let counts = Counts::of(p);
        let mut cells = vec![
            cell(0, Value::Number((i + 1) as f64), st::COUNT),
            text(1, p.name.as_str(), st::TEXT),
            text(2, p.unit.as_str(), st::TEXT),
            text(3, p.nature.as_str(), st::CENTERED),
            match p.funding.annual_total_given() {
                Some(v) => cell(4, Value::Number(to_f64(v)), st::MONEY),
                None => cell(4, Value::Blank, st::MONEY),
            },
        ];
        for (k, n) in counts.by_level1.iter().chain([&counts.total]).enumerate() {
            cells.push(cell(5 + k as u16, Value::Number(*n as f64), st::COUNT));
            sums[k] += n;
        }
        if evaluated {
            let (score, grade) = match p.evaluation.as_deref() {
                Some(e) => match e.score {
                    Some(v) => (
                        cell(10, Value::Number(to_f64(v)), styles.number("0.00", false)),
                        text(11, e.grade.unwrap_or(""), st::CENTERED),
                    ),
                    None => (
                        text(10, UNSCORED, styles.note()),
                        text(11, "", st::CENTERED),
                    ),
                },
                None => (
                    cell(10, Value::Blank, st::CENTERED),
                    text(11, "", st::CENTERED),
                ),
            };
            cells.push(score);
            cells.push(grade);
        }
        cells.push(text(link_col, sheet.as_str(), st::LINK));
        w.row(r, Some(h.height(r)), cells.into_iter(), sst)?;
    }

    // The total is the exact Decimal sum, written as a value, not a formula.
    let mut cells = vec![text(0, "合计", st::HEADER)];
    cells.extend((1..=3).map(|c| cell(c, Value::Blank, st::HEADER)));
    cells.push(cell(4, Value::Number(to_f64(total)), st::MONEY));
    for (k, s) in sums.iter().enumerate() {
        cells.push(cell(5 + k as u16, Value::Number(*s as f64), st::COUNT));
    }
    if evaluated {
        cells.push(cell(10, Value::Blank, st::CENTERED));
        cells.push(cell(11, Value::Blank, st::CENTERED));
    }
    cells.push(cell(link_col, Value::Blank, st::TEXT));
    w.row(tr, Some(height_for(1)), cells.into_iter(), sst)?;
    merges.push(Merge {
        r0: tr,
        c0: 0,
        r1: tr,
        c1: 3,
    });

    // A check row: SUM formulas over the cells above, with the exact sums as cached results,
    // so a reader that does not recalculate shows the right numbers too.
    if n > 0 {
        let cr = tr + 1;
        let mut cells = vec![text(0, "公式校验 (SUM)", st::CHECK_LABEL)];
        cells.extend((1..=3).map(|c| cell(c, Value::Blank, st::CHECK_LABEL)));
        let cached = std::iter::once(total.normalize().to_string())
            .chain(sums.iter().map(|s| s.to_string()));
        for (k, value) in cached.enumerate() {
            let c = 4 + k as u16;
            let l = super::package::col_letters(c);
            let formula = format!("SUM({l}{}:{l}{})", first + 1, first + n);
            let style = if k == 0 {
                st::CHECK_MONEY
            } else {
                st::CHECK_COUNT
            };
            cells.push(cell(c, Value::Formula(formula, value), style));
        }
        w.row(cr, None, cells.into_iter(), sst)?;
        merges.push(Merge {
            r0: cr,
            c0: 0,
            r1: cr,
            c1: 3,
        });
    }

    let links = project_sheets.iter().enumerate().map(|(i, s)| Link {
        row: first + i as u32,
        col: link_col,
        sheet: s,
    });
    w.end(&merges, links, &Page { landscape: true })
}
