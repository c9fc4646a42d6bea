//! Where every value goes: the project sheet in the official 申报表 layout and the 汇总
//! sheet (`docs/xlsx.md`), with column widths and row heights computed from the content.

use super::package::days_from_civil;
use super::sheet::{Cell, Grid, Head, Link, Merge, Page, SharedStrings, SheetWriter, Value};
use super::styles::{self as st, Style, Styles};
use super::{
    quoted_literal, runs, target_num_format, XlsxError, FORM_TITLE, SUMMARY_HEADERS,
    SUMMARY_HEADER_ROW,
};
use crate::emit::format_money;
use crate::model::{Level1, Model, Project, Target};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// One wrapped line of 11 pt CJK text, with room for the taller fallback fonts LibreOffice
/// uses where SimSun is missing (Noto CJK has a large line gap).
const LINE_HEIGHT: f64 = 16.0;
const ROW_PAD: f64 = 6.0;
/// Excel's hard limit on one row's height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Column width units per display column: the width unit is the default font's digit, and
/// an 11 pt CJK glyph is a little more than two digits wide.
const WIDTH_PER_DISPLAY_COL: f64 = 1.1;

/// The f64 nearest to an exact decimal (Rust's float parsing rounds correctly): the only
/// place a value becomes a float, at the cell.
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// Excel's serial day number of a date (1900 date system, with Excel's 29 February 1900),
/// or `None` outside the years Excel can show (1900–9999).
pub(super) fn excel_date(d: crate::syntax::DateLit) -> Option<f64> {
    if !d.is_valid() || !(1900..=9999).contains(&d.year) {
        return None;
    }
    let days = days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day))
        - days_from_civil(1899, 12, 31);
    // Excel counts a 29 February 1900 that never was: later dates are one day further.
    let serial = if days >= 60 { days + 1 } else { days };
    Some(serial as f64)
}

// ---------------------------------------------------------------------------------------
// Widths and heights

/// Display width with CJK counted as two columns.
fn dw(s: &str) -> usize {
    s.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Column width (Excel units) that shows `display` columns of text.
fn width_for(display: usize) -> f64 {
    (display as f64 * WIDTH_PER_DISPLAY_COL + 2.0).ceil()
}

/// How many lines `text` takes in a wrapped cell `width` units wide.
pub(super) fn lines_in(text: &str, width: f64) -> usize {
    let per_line = ((width - 2.5) / WIDTH_PER_DISPLAY_COL).max(1.0);
    text.split('\n')
        .map(|para| {
            let w = UnicodeWidthStr::width(para) as f64;
            // Latin words wrap at spaces, leaving lines a little short: allow for it.
            ((w * 1.05) / per_line).ceil().max(1.0) as usize
        })
        .sum::<usize>()
        .max(1)
}

fn height_for(lines: usize) -> f64 {
    lines as f64 * LINE_HEIGHT + ROW_PAD
}

/// Track the tallest wrapped cell of each row; heights are set once at the end.
#[derive(Default)]
struct Heights(HashMap<u32, usize>);

impl Heights {
    fn need(&mut self, row: u32, text: &str, width: f64) {
        let lines = lines_in(text, width);
        let e = self.0.entry(row).or_insert(1);
        *e = (*e).max(lines);
    }
    fn height(&self, r: u32) -> f64 {
        let lines = self.0.get(&r).copied().unwrap_or(1);
        height_for(lines).min(MAX_ROW_HEIGHT)
    }
    fn apply(&self, g: &mut Grid<'_>, rows: std::ops::Range<u32>) {
        for r in rows {
            g.height(r, self.height(r));
        }
    }
}

fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// Write `text` into a rectangle: merged when it spans more than one cell, else one cell.
fn put_text<'a>(
    g: &mut Grid<'a>,
    (r0, c0): (u32, u16),
    (r1, c1): (u32, u16),
    text: impl Into<Cow<'a, str>>,
    style: Style,
) {
    if r0 == r1 && c0 == c1 {
        g.text(r0, c0, text, style);
    } else {
        g.merge((r0, c0), (r1, c1), text, style);
    }
}

// ---------------------------------------------------------------------------------------
// Project sheet

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

use super::rows;

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
    let w = Widths::of(p);
    let mut g = Grid::default();
    let mut h = Heights::default();

    put_text(
        &mut g,
        (rows::TITLE, LABEL),
        (rows::TITLE, VALUE),
        FORM_TITLE,
        st::TITLE,
    );
    g.height(rows::TITLE, 30.0);
    let year = format!("({} 年度)", p.year);
    put_text(
        &mut g,
        (rows::YEAR, LABEL),
        (rows::YEAR, VALUE),
        year,
        st::SUBTITLE,
    );
    g.height(rows::YEAR, 20.0);

    // Header block: the full project name stays here whatever the sheet is called.
    let r = rows::NAME;
    let cells: [(&'a str, Style); 6] = [
        ("项目名称", st::LABEL),
        (&p.name, st::TEXT),
        ("项目性质", st::LABEL),
        (&p.nature, st::TEXT),
        ("项目类别", st::LABEL),
        (&p.kind, st::TEXT),
    ];
    for (c, (text, style)) in cells.into_iter().enumerate() {
        let c = c as u16;
        g.text(r, c, text, style);
        h.need(r, text, w.cols[c as usize]);
    }

    let r = rows::DEPARTMENT;
    g.text(r, LABEL, "主管部门", st::LABEL);
    put_text(&mut g, (r, L1), (r, L2), p.department.as_str(), st::TEXT);
    h.need(r, &p.department, w.span(L1, L2));
    g.text(r, L3, "实施单位", st::LABEL);
    put_text(&mut g, (r, L3_END), (r, VALUE), p.unit.as_str(), st::TEXT);
    h.need(r, &p.unit, w.span(L3_END, VALUE));

    let r = rows::DATES;
    g.text(r, LABEL, "计划开始日期", st::LABEL);
    date_cell(&mut g, (r, L1), (r, L2), p.start);
    g.text(r, L3, "计划完成日期", st::LABEL);
    date_cell(&mut g, (r, L3_END), (r, VALUE), p.end);

    funding(&mut g, p);
    let first_indicator_header = goals(&mut g, p, &w);
    let last = indicators(&mut g, p, first_indicator_header, &w, &mut h, styles);

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

fn funding(g: &mut Grid<'_>, p: &Project) {
    use col::*;
    let f = &p.funding;
    let r0 = rows::FUNDING;
    put_text(g, (r0, LABEL), (r0 + 3, LABEL), "项目资金(元)", st::LABEL);
    let left: [(&'static str, Option<Decimal>); 4] = [
        ("项目资金总额", f.project_total),
        ("其中：财政资金", f.project_fiscal),
        ("", None),
        ("其他资金", f.project_other),
    ];
    let right: [(&'static str, Decimal); 4] = [
        ("年度资金申请总额", f.annual_total),
        ("其中：当年财政拨款", f.appropriation),
        ("上年结转资金", f.carryover),
        ("其他资金", f.other),
    ];
    for (i, ((ll, lv), (rl, rv))) in left.into_iter().zip(right).enumerate() {
        let r = r0 + i as u32;
        g.text(r, L1, ll, st::TEXT);
        match lv {
            Some(v) => g.number(r, L2, to_f64(v), st::MONEY),
            None => g.blank(r, L2, st::MONEY),
        }
        put_text(g, (r, L3), (r, L3_END), rl, st::TEXT);
        g.number(r, VALUE, to_f64(rv), st::MONEY);
        g.height(r, height_for(1));
    }
}

/// The goal block; returns the row of the indicator table's header.
fn goals<'a>(g: &mut Grid<'a>, p: &'a Project, w: &Widths) -> u32 {
    use col::*;
    let total = p.goal_total.as_deref().unwrap_or("");
    let (k, needed) = goal_rows(p, w);
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
    put_text(g, (top, L1), (bottom, L2), total, st::TEXT);
    put_text(
        g,
        (top, L3),
        (bottom, VALUE),
        p.goal_annual.as_str(),
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
    p: &'a Project,
    hr: u32,
    w: &Widths,
    h: &mut Heights,
    styles: &mut Styles,
) -> u32 {
    use col::*;
    let n = p.indicators.len() as u32;
    put_text(g, (hr, LABEL), (hr + n, LABEL), "绩效指标", st::LABEL);
    g.text(hr, L1, "一级指标", st::HEADER);
    g.text(hr, L2, "二级指标", st::HEADER);
    put_text(g, (hr, L3), (hr, L3_END), "三级指标", st::HEADER);
    g.text(hr, VALUE, "年度(/项目)指标值", st::HEADER);
    h.need(hr, "年度(/项目)指标值", w.cols[VALUE as usize]);
    g.text(hr, OP, "比较符", st::HELPER);
    g.text(hr, UNIT, "计量单位", st::HELPER);

    let first = hr + 1;
    let l1: Vec<Level1> = p.indicators.iter().map(|i| i.level1()).collect();
    for (start, len) in runs(&l1) {
        let r0 = first + start as u32;
        let r1 = r0 + len as u32 - 1;
        put_text(g, (r0, L1), (r1, L1), l1[start].name(), st::CENTERED);
    }
    let l2: Vec<_> = p.indicators.iter().map(|i| i.level2).collect();
    for (start, len) in runs(&l2) {
        let r0 = first + start as u32;
        let r1 = r0 + len as u32 - 1;
        put_text(g, (r0, L2), (r1, L2), l2[start].name(), st::CENTERED);
        if len == 1 {
            h.need(r0, l2[start].name(), w.cols[L2 as usize]);
        }
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        let r = first + i as u32;
        put_text(g, (r, L3), (r, L3_END), &*ind.name, st::TEXT);
        h.need(r, &ind.name, w.span(L3, L3_END));
        target(g, r, &ind.target, styles);
        h.need(r, &ind.target.form_notation(), w.cols[VALUE as usize]);
    }
    hr + n
}

fn target<'a>(g: &mut Grid<'a>, r: u32, t: &'a Target, styles: &mut Styles) {
    use col::*;
    match t {
        Target::Quantity { op, value, unit } => {
            let fmt = styles.value(target_num_format(
                op.symbol(),
                value.scale(),
                &unit.spelling,
            ));
            g.number(r, VALUE, to_f64(*value), fmt);
            g.text(r, OP, op.symbol(), st::HELPER);
            g.text(r, UNIT, &*unit.spelling, st::HELPER);
        }
        Target::Date { op, date } => {
            match excel_date(*date) {
                Some(x) => {
                    let fmt = styles.value(format!("{}yyyy-mm-dd", quoted_literal(op.symbol())));
                    g.number(r, VALUE, x, fmt);
                }
                None => g.text(r, VALUE, t.form_notation(), st::CENTERED),
            }
            g.text(r, OP, op.symbol(), st::HELPER);
        }
        // Two numbers cannot share one cell: the range is shown as the form writes it.
        Target::Range(range) => {
            g.text(r, VALUE, t.form_notation(), st::CENTERED);
            g.text(r, OP, "~", st::HELPER);
            g.text(r, UNIT, &*range.unit.spelling, st::HELPER);
        }
        Target::Qualitative { text } => g.text(r, VALUE, text.as_str(), st::CENTERED),
    }
}

// ---------------------------------------------------------------------------------------
// Summary sheet

pub(super) fn summary_title(model: &Model) -> String {
    let units: HashSet<&str> = model.projects.iter().map(|p| p.unit.as_str()).collect();
    let years: HashSet<u16> = model.projects.iter().map(|p| p.year).collect();
    let year = (years.len() == 1)
        .then(|| years.iter().next().map(|y| format!("{y} 年度")))
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

/// Write the 汇总 sheet: one row per project, streamed, then the totals.
pub(super) fn write_summary<'a>(
    out: &mut dyn Write,
    model: &'a Model,
    project_sheets: &'a [String],
    sst: &mut SharedStrings<'a>,
) -> Result<(), XlsxError> {
    let last_col = (SUMMARY_HEADERS.len() - 1) as u16;
    let total: Decimal = model.projects.iter().map(|p| p.funding.annual_total).sum();

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
    let widths = [
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
    for (c, t) in SUMMARY_HEADERS.iter().enumerate() {
        h.need(hr, t, widths[c]);
    }
    let headers = SUMMARY_HEADERS
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
        h.need(r, sheet, widths[10]);
        let counts = Level1::ALL.map(|l| p.indicators.iter().filter(|i| i.level1() == l).count());
        let mut cells = vec![
            cell(0, Value::Number((i + 1) as f64), st::COUNT),
            text(1, p.name.as_str(), st::TEXT),
            text(2, p.unit.as_str(), st::TEXT),
            text(3, p.nature.as_str(), st::CENTERED),
            cell(4, Value::Number(to_f64(p.funding.annual_total)), st::MONEY),
        ];
        for (k, n) in counts.iter().chain([&p.indicators.len()]).enumerate() {
            cells.push(cell(5 + k as u16, Value::Number(*n as f64), st::COUNT));
            sums[k] += n;
        }
        cells.push(text(10, sheet.as_str(), st::LINK));
        w.row(r, Some(h.height(r)), cells.into_iter(), sst)?;
    }

    // The total is the exact Decimal sum, written as a value, not a formula.
    let mut cells = vec![text(0, "合计", st::HEADER)];
    cells.extend((1..=3).map(|c| cell(c, Value::Blank, st::HEADER)));
    cells.push(cell(4, Value::Number(to_f64(total)), st::MONEY));
    for (k, s) in sums.iter().enumerate() {
        cells.push(cell(5 + k as u16, Value::Number(*s as f64), st::COUNT));
    }
    cells.push(cell(10, Value::Blank, st::TEXT));
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
        col: 10,
        sheet: s,
    });
    w.end(&merges, links, &Page { landscape: true })
}
