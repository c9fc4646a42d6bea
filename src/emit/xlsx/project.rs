//! The project sheet in the official 申报表 layout (`docs/xlsx.md`), laid out from the
//! emitters' form view (`emit::form`): the merged 一级 and 二级 cells are its spans.

use super::cells::{excel_date, put_text, to_f64};
use super::measure::{clamp, dw, height_for, lines_in, width_for, Heights, MAX_ROW_HEIGHT};
use super::numfmt::{quoted_literal, target_num_format};
use super::sheet::{Grid, Head, Page};
use super::strings::SharedStrings;
use super::styles::{self as st, Style, Styles};
use super::XlsxError;
use crate::emit::form::{self, Form};
use crate::emit::format_money;
use crate::model::{Project, Target};
use std::io::Write;

/// Fixed rows of a project sheet (0-based); the goal text may take several rows, which
/// moves the indicator table down.
pub mod rows {
    pub const TITLE: u32 = 0;
    pub const YEAR: u32 = 1;
    pub const NAME: u32 = 2;
    pub const DEPARTMENT: u32 = 3;
    pub const DATES: u32 = 4;
    pub const FUNDING: u32 = 5;
    pub const GOAL_LABELS: u32 = 9;
    pub const GOAL_TEXT: u32 = 10;
}

/// Columns of a project sheet. The form has six: A labels, B 一级, C 二级, D:E 三级 (merged
/// per row, as the official form does), F 指标值. G and H repeat the comparator and unit as
/// plain text for filters and formulas; they are outside the print area.
mod col {
    pub const LABEL: u16 = 0;
    pub const L1: u16 = 1;
    pub const L2: u16 = 2;
    pub const L3: u16 = 3;
    pub const L3_END: u16 = 4;
    pub const VALUE: u16 = 5;
    pub const OP: u16 = 6;
    pub const UNIT: u16 = 7;
}

struct Widths {
    cols: [f64; 8],
}

impl Widths {
    fn of(p: &Project) -> Self {
        let label = ["项目名称", "主管部门", "计划开始日期", "计划完成日期"]
            .iter()
            .map(|s| dw(s))
            .max()
            .unwrap_or(12);
        let l1 = p
            .indicators
            .iter()
            .map(|i| dw(i.level1().name()))
            .chain(["其中：财政资金", "项目资金总额", "一级指标"].map(dw))
            .max()
            .unwrap_or(8)
            .max(dw(&p.name).min(20));
        let money_w = money_width(p);
        let l2 = p
            .indicators
            .iter()
            .map(|i| dw(i.level2.name()).min(18))
            .chain([dw("项目性质"), money_w, dw("二级指标")])
            .max()
            .unwrap_or(10);
        let l3 = p
            .indicators
            .iter()
            .map(|i| dw(&i.name))
            .max()
            .unwrap_or(0)
            .clamp(30, 56);
        let value = p
            .indicators
            .iter()
            .map(|i| dw(&i.target.form_notation()).min(24))
            .chain([dw(&p.kind).min(24), money_w, 14])
            .max()
            .unwrap_or(14);
        // E:F holds the 实施单位 and the end date; E alone holds 项目类别.
        let e = (dw("项目类别") + 2).max(dw(&p.unit).min(40).saturating_sub(value));
        let d = [
            dw(&p.nature),
            dw("计划完成日期"),
            dw("其中：当年财政拨款"),
            l3.saturating_sub(e),
        ]
        .into_iter()
        .max()
        .unwrap_or(20)
        .min(48);
        Widths {
            cols: [
                width_for(label),
                clamp(width_for(l1), 12.0, 24.0),
                clamp(width_for(l2), 12.0, 20.0),
                width_for(d),
                width_for(e),
                width_for(value),
                10.0,
                14.0,
            ],
        }
    }
    fn span(&self, c0: u16, c1: u16) -> f64 {
        (c0..=c1).map(|c| self.cols[c as usize]).sum()
    }
}

fn money_width(p: &Project) -> usize {
    let f = &p.funding;
    [
        Some(f.annual_total),
        Some(f.appropriation),
        Some(f.carryover),
        Some(f.other),
        f.project_total,
        f.project_fiscal,
        f.project_other,
    ]
    .into_iter()
    .flatten()
    .map(|v| format_money(v).len())
    .max()
    .unwrap_or(12)
}

/// How many rows the goal block takes (a row holds at most 409 pt), and their height.
fn goal_rows(p: &Project, w: &Widths) -> (u32, f64) {
    use col::*;
    let total = p.goal_total.as_deref().unwrap_or("");
    let lines = lines_in(total, w.span(L1, L2)).max(lines_in(&p.goal_annual, w.span(L3, VALUE)));
    let needed = height_for(lines);
    let k = (needed / MAX_ROW_HEIGHT).ceil().max(1.0) as u32;
    (k, needed)
}

/// The last row of a project sheet (0-based): the end of its print area.
pub(super) fn project_last_row(p: &Project) -> u32 {
    let (k, _) = goal_rows(p, &Widths::of(p));
    rows::GOAL_TEXT + k + p.indicators.len() as u32
}

/// Write one project's sheet into its part.
pub(super) fn write_project<'a>(
    out: &mut dyn Write,
    p: &'a Project,
    styles: &mut Styles,
    sst: &mut SharedStrings<'a>,
) -> Result<(), XlsxError> {
    use col::*;
    let f = Form::of(p);
    let w = Widths::of(p);
    let mut g = Grid::default();
    let mut h = Heights::default();

    put_text(
        &mut g,
        (rows::TITLE, LABEL),
        (rows::TITLE, VALUE),
        f.title,
        st::TITLE,
    );
    g.height(rows::TITLE, 30.0);
    let year = format!("({} 年度)", p.year_shown());
    put_text(
        &mut g,
        (rows::YEAR, LABEL),
        (rows::YEAR, VALUE),
        year,
        st::SUBTITLE,
    );
    g.height(rows::YEAR, 20.0);

    // Header block: the full project name stays here whatever the sheet is called.
    let hd = &f.header;
    let r = rows::NAME;
    if hd.nature_and_kind {
        let cells: [(&'a str, Style); 6] = [
            (hd.name.label, st::LABEL),
            (hd.name.value, st::TEXT),
            (hd.nature.label, st::LABEL),
            (hd.nature.value, st::TEXT),
            (hd.kind.label, st::LABEL),
            (hd.kind.value, st::TEXT),
        ];
        for (c, (text, style)) in cells.into_iter().enumerate() {
            let c = c as u16;
            g.text(r, c, text, style);
            h.need(r, text, w.cols[c as usize]);
        }
    } else {
        // The template's form has no 项目性质 / 项目类别: the name has the whole line.
        g.text(r, LABEL, hd.name.label, st::LABEL);
        put_text(&mut g, (r, L1), (r, VALUE), hd.name.value, st::TEXT);
        h.need(r, hd.name.value, w.span(L1, VALUE));
    }

    let r = rows::DEPARTMENT;
    g.text(r, LABEL, hd.department.label, st::LABEL);
    put_text(&mut g, (r, L1), (r, L2), hd.department.value, st::TEXT);
    h.need(r, hd.department.value, w.span(L1, L2));
    g.text(r, L3, hd.unit.label, st::LABEL);
    put_text(&mut g, (r, L3_END), (r, VALUE), hd.unit.value, st::TEXT);
    h.need(r, hd.unit.value, w.span(L3_END, VALUE));

    let r = rows::DATES;
    g.text(r, LABEL, hd.start.label, st::LABEL);
    date_cell(&mut g, (r, L1), (r, L2), hd.start.value);
    g.text(r, L3, hd.end.label, st::LABEL);
    date_cell(&mut g, (r, L3_END), (r, VALUE), hd.end.value);

    funding(&mut g, &f.funding);
    let first_indicator_header = goals(&mut g, &f, &w);
    let last = indicators(&mut g, &f.rows, first_indicator_header, &w, &mut h, styles);

    h.apply(&mut g, rows::NAME..rows::GOAL_TEXT);
    h.apply(&mut g, first_indicator_header..last + 1);

    let head = Head {
        widths: &w.cols,
        frozen_rows: rows::YEAR + 1,
        selected: false,
    };
    g.write(out, sst, &head, &Page { landscape: false })
}

fn date_cell(
    g: &mut Grid<'_>,
    from: (u32, u16),
    to: (u32, u16),
    d: Option<crate::syntax::DateLit>,
) {
    match d {
        Some(d) => match excel_date(d) {
            Some(x) => {
                g.merge(from, to, "", st::DATE);
                g.number(from.0, from.1, x, st::DATE);
            }
            // Only reachable for a date the checker let through yet Excel cannot hold.
            None => put_text(g, from, to, d.to_string(), st::CENTERED),
        },
        None => put_text(g, from, to, "", st::CENTERED),
    }
}

fn funding(g: &mut Grid<'_>, lines: &[form::FundingLine]) {
    use col::*;
    let r0 = rows::FUNDING;
    let last = r0 + lines.len() as u32 - 1;
    put_text(g, (r0, LABEL), (last, LABEL), "项目资金(元)", st::LABEL);
    for (i, l) in lines.iter().enumerate() {
        let r = r0 + i as u32;
        g.text(r, L1, l.left.label, st::TEXT);
        match l.left.value {
            Some(v) => g.number(r, L2, to_f64(v), st::MONEY),
            None => g.blank(r, L2, st::MONEY),
        }
        put_text(g, (r, L3), (r, L3_END), l.right.label, st::TEXT);
        match l.right.value {
            Some(v) => g.number(r, VALUE, to_f64(v), st::MONEY),
            None => g.blank(r, VALUE, st::MONEY),
        }
        g.height(r, height_for(1));
    }
}

/// The goal block; returns the row of the indicator table's header.
fn goals<'a>(g: &mut Grid<'a>, f: &Form<'a>, w: &Widths) -> u32 {
    use col::*;
    let (k, needed) = goal_rows(f.project, w);
    let top = rows::GOAL_TEXT;
    let bottom = top + k - 1;
    let labels = rows::GOAL_LABELS;
    put_text(
        g,
        (labels, LABEL),
        (bottom, LABEL),
        "项目绩效目标",
        st::LABEL,
    );
    put_text(g, (labels, L1), (labels, L2), "项目总目标", st::LABEL);
    put_text(g, (labels, L3), (labels, VALUE), "年度总体目标", st::LABEL);
    g.height(labels, height_for(1));
    put_text(g, (top, L1), (bottom, L2), f.goal_total, st::TEXT);
    put_text(g, (top, L3), (bottom, VALUE), f.goal_annual, st::TEXT);
    for r in top..=bottom {
        g.height(r, (needed / f64::from(k)).min(MAX_ROW_HEIGHT));
    }
    bottom + 1
}

/// The indicator table; returns its last row.
fn indicators<'a>(
    g: &mut Grid<'a>,
    rows: &[form::Row<'a>],
    hr: u32,
    w: &Widths,
    h: &mut Heights,
    styles: &mut Styles,
) -> u32 {
    use col::*;
    let n = rows.len() as u32;
    put_text(g, (hr, LABEL), (hr + n, LABEL), "绩效指标", st::LABEL);
    g.text(hr, L1, "一级指标", st::HEADER);
    g.text(hr, L2, "二级指标", st::HEADER);
    put_text(g, (hr, L3), (hr, L3_END), "三级指标", st::HEADER);
    g.text(hr, VALUE, "年度(/项目)指标值", st::HEADER);
    h.need(hr, "年度(/项目)指标值", w.cols[VALUE as usize]);
    g.text(hr, OP, "比较符", st::HELPER);
    g.text(hr, UNIT, "计量单位", st::HELPER);

    let first = hr + 1;
    for (start, m) in form::starts(rows, |r| r.level1) {
        let r0 = first + start as u32;
        let r1 = r0 + m.rowspan as u32 - 1;
        put_text(g, (r0, L1), (r1, L1), m.name, st::CENTERED);
    }
    for (start, m) in form::starts(rows, |r| r.level2) {
        let r0 = first + start as u32;
        let r1 = r0 + m.rowspan as u32 - 1;
        put_text(g, (r0, L2), (r1, L2), m.name, st::CENTERED);
        if m.rowspan == 1 {
            h.need(r0, m.name, w.cols[L2 as usize]);
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let ind = row.indicator;
        let r = first + i as u32;
        put_text(g, (r, L3), (r, L3_END), &*ind.name, st::TEXT);
        h.need(r, &ind.name, w.span(L3, L3_END));
        target(g, r, &ind.target, styles, (VALUE, OP, UNIT));
        h.need(r, &ind.target.form_notation(), w.cols[VALUE as usize]);
    }
    hr + n
}

/// A target's value cell, and its comparator and unit as plain text in the helper columns.
/// `cols`: the value, comparator and unit columns.
pub(super) fn target<'a>(
    g: &mut Grid<'a>,
    r: u32,
    t: &'a Target,
    styles: &mut Styles,
    (value_col, op_col, unit_col): (u16, u16, u16),
) {
    match t {
        Target::Quantity { op, value, unit } => {
            let fmt = styles.value(target_num_format(
                op.symbol(),
                value.scale(),
                &unit.spelling,
            ));
            g.number(r, value_col, to_f64(*value), fmt);
            g.text(r, op_col, op.symbol(), st::HELPER);
            g.text(r, unit_col, &*unit.spelling, st::HELPER);
        }
        Target::Date { op, date } => {
            match excel_date(*date) {
                Some(x) => {
                    let fmt = styles.value(format!("{}yyyy-mm-dd", quoted_literal(op.symbol())));
                    g.number(r, value_col, x, fmt);
                }
                None => g.text(r, value_col, t.form_notation(), st::CENTERED),
            }
            g.text(r, op_col, op.symbol(), st::HELPER);
        }
        // Two numbers cannot share one cell: the range is shown as the form writes it.
        Target::Range(range) => {
            g.text(r, value_col, t.form_notation(), st::CENTERED);
            g.text(r, op_col, "~", st::HELPER);
            g.text(r, unit_col, &*range.unit.spelling, st::HELPER);
        }
        Target::Qualitative { text } => g.text(r, value_col, text.as_str(), st::CENTERED),
    }
}
