//! The sheet of an evaluated project: the 项目支出绩效自评表 (`docs/xlsx.md`), laid out from
//! the emitters' view `emit::form::evaluation`. 分值, 得分 and 执行率 are number cells (the
//! rate under a percentage format); an unknown score is the text note `未计分`, never 0.

use super::cells::{put_text, to_f64};
use super::measure::{clamp, dw, height_for, lines_in, width_for, Heights, MAX_ROW_HEIGHT};
use super::project::target;
use super::sheet::{Grid, Head, Page};
use super::strings::SharedStrings;
use super::styles::{self as st, Style, Styles};
use super::XlsxError;
use crate::emit::form;
use crate::emit::form::evaluation::{self as eval, SelfEvaluation};
use rust_decimal::Decimal;
use std::io::Write;

/// Columns: A labels, B 一级, C 二级, D 三级, E 年度指标值, F 实际完成值, G 分值, H 得分,
/// I 偏差原因; J and K repeat the target's comparator and unit as plain text, outside the
/// print area (as G and H of the 申报表).
mod col {
    pub const LABEL: u16 = 0;
    pub const L1: u16 = 1;
    pub const L2: u16 = 2;
    pub const L3: u16 = 3;
    pub const TARGET: u16 = 4;
    pub const ACTUAL: u16 = 5;
    pub const WEIGHT: u16 = 6;
    pub const SCORE: u16 = 7;
    pub const DEVIATION: u16 = 8;
    pub const OP: u16 = 9;
    pub const UNIT: u16 = 10;
}
/// The last printed column (I).
pub(super) const LAST_COL: u16 = col::DEVIATION;

/// Fixed rows (0-based); the goal may take several rows, which moves the indicator table.
mod rows {
    pub const TITLE: u32 = 0;
    pub const YEAR: u32 = 1;
    pub const NAME: u32 = 2;
    pub const DEPARTMENT: u32 = 3;
    pub const EXECUTION: u32 = 4;
    pub const GOAL_LABELS: u32 = 6;
    pub const GOAL_TEXT: u32 = 7;
}
pub(super) const TITLE_ROWS: u32 = rows::YEAR + 1;

/// Number formats: scores with two decimals, the rate as a percentage with two decimals,
/// 万元 with at least two decimals and every digit of the 元 (at most six).
const FMT_SCORE: &str = "0.00";
const FMT_RATE: &str = "0.00%";
const FMT_WAN: &str = "#,##0.00####";

struct Widths {
    cols: [f64; 11],
}

impl Widths {
    fn of(e: &SelfEvaluation<'_>) -> Widths {
        let max = |it: &mut dyn Iterator<Item = usize>, lo: usize, hi: usize| {
            it.max().unwrap_or(lo).clamp(lo, hi)
        };
        let rows = &e.rows;
        let l1 = max(
            &mut rows.iter().map(|r| dw(r.row.indicator.level1().name())),
            8,
            12,
        );
        let l2 = max(
            &mut rows.iter().map(|r| dw(r.row.indicator.level2.name())),
            10,
            18,
        );
        let l3 = max(&mut rows.iter().map(|r| dw(&r.row.indicator.name)), 20, 40);
        let tv = max(
            &mut rows
                .iter()
                .map(|r| dw(&r.row.indicator.target.form_notation())),
            10,
            24,
        );
        let av = max(&mut rows.iter().map(|r| dw(&r.actual())), 10, 24);
        let dev = max(&mut rows.iter().map(|r| dw(r.deviation())), 24, 36);
        Widths {
            cols: [
                width_for(dw("资金情况(万元)")),
                clamp(width_for(l1), 12.0, 16.0),
                clamp(width_for(l2), 12.0, 22.0),
                width_for(l3),
                width_for(tv),
                width_for(av),
                width_for(8),
                width_for(8),
                width_for(dev),
                10.0,
                14.0,
            ],
        }
    }
    fn span(&self, c0: u16, c1: u16) -> f64 {
        (c0..=c1).map(|c| self.cols[c as usize]).sum()
    }
}

/// How many rows the goal block takes (a row holds at most 409 pt), and their height.
fn goal_rows(e: &SelfEvaluation<'_>, w: &Widths) -> (u32, f64) {
    use col::*;
    let lines = lines_in(e.goal.value, w.span(L1, TARGET))
        .max(lines_in(e.outcome.value, w.span(ACTUAL, DEVIATION)));
    let needed = height_for(lines);
    let k = (needed / MAX_ROW_HEIGHT).ceil().max(1.0) as u32;
    (k, needed)
}

fn has_footnote(e: &SelfEvaluation<'_>) -> bool {
    e.has_unscored() || !e.execution.written
}

/// The last row of the sheet (0-based): the end of its print area (the footnote, when
/// there is one, else the 总分 line).
pub(super) fn last_row(e: &SelfEvaluation<'_>) -> u32 {
    let (k, _) = goal_rows(e, &Widths::of(e));
    let total = rows::GOAL_TEXT + k + e.rows.len() as u32 + 1;
    total + u32::from(has_footnote(e))
}

/// A score cell: the number with two decimals, or the note when it is unknown.
fn score(g: &mut Grid<'_>, r: u32, c: u16, v: Option<Decimal>, styles: &mut Styles) {
    match v {
        Some(v) => {
            let s = styles.number(FMT_SCORE, false);
            g.number(r, c, to_f64(v), s);
        }
        None => {
            let s = styles.note();
            g.text(r, c, eval::UNSCORED, s);
        }
    }
}

/// Write the 自评表 of one evaluated project into its part.
pub(super) fn write<'a>(
    out: &mut dyn Write,
    e: &SelfEvaluation<'a>,
    styles: &mut Styles,
    sst: &mut SharedStrings<'a>,
) -> Result<(), XlsxError> {
    use col::*;
    let w = Widths::of(e);
    let mut g = Grid::default();
    let mut h = Heights::default();

    put_text(
        &mut g,
        (rows::TITLE, LABEL),
        (rows::TITLE, LAST_COL),
        eval::TITLE,
        st::TITLE,
    );
    g.height(rows::TITLE, 30.0);
    let year = format!("({} 年度)", e.project.year_shown());
    put_text(
        &mut g,
        (rows::YEAR, LABEL),
        (rows::YEAR, LAST_COL),
        year,
        st::SUBTITLE,
    );
    g.height(rows::YEAR, 20.0);

    let r = rows::NAME;
    g.text(r, LABEL, e.name.label, st::LABEL);
    put_text(&mut g, (r, L1), (r, LAST_COL), e.name.value, st::TEXT);
    h.need(r, e.name.value, w.span(L1, LAST_COL));
    let r = rows::DEPARTMENT;
    g.text(r, LABEL, e.department.label, st::LABEL);
    put_text(&mut g, (r, L1), (r, L3), e.department.value, st::TEXT);
    h.need(r, e.department.value, w.span(L1, L3));
    g.text(r, TARGET, e.unit.label, st::LABEL);
    put_text(&mut g, (r, ACTUAL), (r, LAST_COL), e.unit.value, st::TEXT);
    h.need(r, e.unit.value, w.span(ACTUAL, LAST_COL));

    execution(&mut g, e, styles);
    let hr = goals(&mut g, e, &w);
    let last = indicators(&mut g, e, hr, &w, &mut h, styles);
    total(&mut g, e, last + 1, styles);

    h.apply(&mut g, rows::NAME..rows::EXECUTION);
    h.apply(&mut g, hr..last + 1);

    let head = Head {
        widths: &w.cols,
        frozen_rows: TITLE_ROWS,
        selected: false,
    };
    g.write(out, sst, &head, &Page { landscape: false })
}

/// The 资金情况 line: labels over values, 万元 and points as numbers.
fn execution(g: &mut Grid<'_>, e: &SelfEvaluation<'_>, styles: &mut Styles) {
    use col::*;
    let x = &e.execution;
    let (r0, r1) = (rows::EXECUTION, rows::EXECUTION + 1);
    put_text(g, (r0, LABEL), (r1, LABEL), "资金情况(万元)", st::LABEL);
    let wan = styles.number(FMT_WAN, true);
    for (c, f) in [(L1, x.initial), (L2, x.budget), (L3, x.spent)] {
        g.text(r0, c, f.label, st::HEADER);
        match f.value.and_then(eval::wan) {
            Some(v) => g.number(r1, c, to_f64(v), wan),
            None => g.blank(r1, c, wan),
        }
    }
    g.text(r0, TARGET, x.weight.label, st::HEADER);
    let pts = styles.number(FMT_SCORE, false);
    g.number(r1, TARGET, to_f64(x.weight.value), pts);
    g.text(r0, ACTUAL, x.rate_percent.label, st::HEADER);
    let rate = styles.number(FMT_RATE, false);
    match x.rate_fraction() {
        Some(v) => g.number(r1, ACTUAL, to_f64(v), rate),
        None => g.blank(r1, ACTUAL, rate),
    }
    put_text(g, (r0, WEIGHT), (r0, LAST_COL), x.score.label, st::HEADER);
    // The score sits in G, merged over G:I like its label.
    let style: Style = match x.score.value {
        Some(_) => styles.number(FMT_SCORE, false),
        None => styles.note(),
    };
    g.merge((r1, WEIGHT), (r1, LAST_COL), "", style);
    score(g, r1, WEIGHT, x.score.value, styles);
    g.height(r0, height_for(1));
    g.height(r1, height_for(1));
}

/// The goal and what was achieved; returns the row of the indicator table's header.
fn goals<'a>(g: &mut Grid<'a>, e: &SelfEvaluation<'a>, w: &Widths) -> u32 {
    use col::*;
    let (k, needed) = goal_rows(e, w);
    let top = rows::GOAL_TEXT;
    let bottom = top + k - 1;
    let labels = rows::GOAL_LABELS;
    put_text(
        g,
        (labels, LABEL),
        (bottom, LABEL),
        "年度总体目标",
        st::LABEL,
    );
    put_text(g, (labels, L1), (labels, TARGET), e.goal.label, st::LABEL);
    put_text(
        g,
        (labels, ACTUAL),
        (labels, LAST_COL),
        e.outcome.label,
        st::LABEL,
    );
    g.height(labels, height_for(1));
    put_text(g, (top, L1), (bottom, TARGET), e.goal.value, st::TEXT);
    put_text(
        g,
        (top, ACTUAL),
        (bottom, LAST_COL),
        e.outcome.value,
        st::TEXT,
    );
    for r in top..=bottom {
        g.height(r, (needed / f64::from(k)).min(MAX_ROW_HEIGHT));
    }
    bottom + 1
}

/// The indicator table; returns its last row.
fn indicators<'a>(
    g: &mut Grid<'a>,
    e: &SelfEvaluation<'a>,
    hr: u32,
    w: &Widths,
    h: &mut Heights,
    styles: &mut Styles,
) -> u32 {
    use col::*;
    let n = e.rows.len() as u32;
    put_text(g, (hr, LABEL), (hr + n, LABEL), "绩效指标", st::LABEL);
    for (k, label) in eval::INDICATOR_HEADERS.iter().enumerate() {
        let c = L1 + k as u16;
        g.text(hr, c, *label, st::HEADER);
        h.need(hr, label, w.cols[c as usize]);
    }
    g.text(hr, OP, "比较符", st::HELPER);
    g.text(hr, UNIT, "计量单位", st::HELPER);

    let first = hr + 1;
    let spans = |f: fn(&form::Row<'_>) -> Option<form::Merged>| {
        e.rows
            .iter()
            .enumerate()
            .filter_map(move |(k, r)| f(&r.row).map(|m| (k, m)))
    };
    for (start, m) in spans(|r| r.level1) {
        let r0 = first + start as u32;
        put_text(
            g,
            (r0, L1),
            (r0 + m.rowspan as u32 - 1, L1),
            m.name,
            st::CENTERED,
        );
    }
    for (start, m) in spans(|r| r.level2) {
        let r0 = first + start as u32;
        put_text(
            g,
            (r0, L2),
            (r0 + m.rowspan as u32 - 1, L2),
            m.name,
            st::CENTERED,
        );
        if m.rowspan == 1 {
            h.need(r0, m.name, w.cols[L2 as usize]);
        }
    }
    let pts = styles.number(FMT_SCORE, false);
    for (i, row) in e.rows.iter().enumerate() {
        let ind = row.row.indicator;
        let r = first + i as u32;
        g.text(r, L3, &*ind.name, st::TEXT);
        h.need(r, &ind.name, w.cols[L3 as usize]);
        target(g, r, &ind.target, styles, (TARGET, OP, UNIT));
        h.need(r, &ind.target.form_notation(), w.cols[TARGET as usize]);
        actual(g, r, row.assessment, styles);
        h.need(r, &row.actual(), w.cols[ACTUAL as usize]);
        match row.weight() {
            Some(v) => g.number(r, WEIGHT, to_f64(v), pts),
            None => g.blank(r, WEIGHT, pts),
        }
        score(g, r, SCORE, row.score(), styles);
        g.text(r, DEVIATION, row.deviation(), st::TEXT);
        h.need(r, row.deviation(), w.cols[DEVIATION as usize]);
    }
    hr + n
}

/// 实际完成值: a number in its unit's notation (`108(公里)`), a date, or the word.
fn actual<'a>(
    g: &mut Grid<'a>,
    r: u32,
    a: Option<&'a crate::model::Assessment>,
    styles: &mut Styles,
) {
    use crate::model::ActualValue;
    let Some(x) = a.and_then(|a| a.actual.as_ref()) else {
        g.text(r, col::ACTUAL, "", st::CENTERED);
        return;
    };
    match &x.value {
        ActualValue::Quantity { value, unit } => {
            let fmt = styles.value(super::numfmt::target_num_format(
                "",
                value.scale(),
                &unit.spelling,
            ));
            g.number(r, col::ACTUAL, to_f64(*value), fmt);
        }
        ActualValue::Date(d) => match super::cells::excel_date(*d) {
            Some(v) => g.number(r, col::ACTUAL, v, st::DATE),
            None => g.text(r, col::ACTUAL, d.to_string(), st::CENTERED),
        },
        ActualValue::Text(t) => g.text(r, col::ACTUAL, t.as_str(), st::CENTERED),
    }
}

/// The 总分 line (and the footnote under it, when a score is unknown).
fn total<'a>(g: &mut Grid<'a>, e: &SelfEvaluation<'a>, r: u32, styles: &mut Styles) {
    use col::*;
    let t = &e.total;
    put_text(g, (r, LABEL), (r, ACTUAL), t.label, st::HEADER);
    let pts = styles.number(FMT_SCORE, false);
    match t.weight {
        Some(w) => g.number(r, WEIGHT, to_f64(w), pts),
        None => g.blank(r, WEIGHT, pts),
    }
    score(g, r, SCORE, t.score, styles);
    let mut grade = format!("{}：{}", t.grade.label, t.grade.value.unwrap_or(""));
    match (t.score_written, t.grade_written) {
        (Some(s), Some(w)) => grade.push_str(&format!("（填报总分 {}、等级 {w}）", eval::two(s))),
        (Some(s), None) => grade.push_str(&format!("（填报总分 {}）", eval::two(s))),
        (None, Some(w)) => grade.push_str(&format!("（填报等级 {w}）")),
        (None, None) => {}
    }
    g.text(r, DEVIATION, grade, st::CENTERED);
    g.height(r, height_for(1));
    if has_footnote(e) {
        let mut note = String::new();
        if e.has_unscored() {
            note.push_str(&format!(
                "注：“{}”表示该项得分未知（没有实际完成值，或规则无法判断且未填写得分），不按 0 分计；有一项未知，总分即未知。",
                eval::UNSCORED
            ));
        }
        if !e.execution.written {
            note.push_str("未填写预算执行。");
        }
        let style = styles.footnote();
        g.height(r + 1, height_for(2));
        put_text(g, (r + 1, LABEL), (r + 1, LAST_COL), note, style);
    }
}
