//! The workbook finance staff exchange (`docs/xlsx.md`): a 汇总 sheet, then one sheet per
//! project in the official 申报表 layout (domain.md §5).
//!
//! Everything is built in memory and returned as bytes, so the CLI writes the file in one
//! atomic step and an error never leaves half a workbook behind. The bytes depend only on
//! the model and [`XlsxOptions`]: the creation date is fixed, and rust_xlsxwriter already
//! writes fixed zip timestamps.
//!
//! Text is only ever written with `write_string`: a name beginning with `=` stays text.
//! The only formulas are the summary's check row, whose cached results are the exact sums.

use crate::model::{Level1, Model, Project, Target};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, RowNum, Url,
    Workbook, Worksheet, XlsxError,
};
use std::collections::{HashMap, HashSet};
use unicode_width::UnicodeWidthStr;

/// The name of the summary sheet; no project sheet may take it.
pub const SUMMARY_SHEET: &str = "汇总";
/// The form's title, row 1 of every project sheet.
pub const FORM_TITLE: &str = "财政项目支出绩效目标申报表";
/// Excel's limit on a sheet name, counted in UTF-16 code units (Excel's own measure).
pub const SHEET_NAME_MAX: usize = 31;

const FONT: &str = "SimSun";
/// GB2312: tells Excel the font is a Chinese one, so it does not substitute a Latin font.
const FONT_CHARSET: u8 = 134;
const FONT_SIZE: f64 = 11.0;
/// One wrapped line of 11 pt CJK text, with room for the taller fallback fonts LibreOffice
/// uses where SimSun is missing (Noto CJK has a large line gap).
const LINE_HEIGHT: f64 = 16.0;
const ROW_PAD: f64 = 6.0;
/// Excel's hard limit on one row's height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Column width units per display column: the width unit is the default font's digit, and
/// an 11 pt CJK glyph is a little more than two digits wide.
const WIDTH_PER_DISPLAY_COL: f64 = 1.1;
const PAPER_A4: u8 = 9;

/// Options that change the bytes. `Default` gives the reproducible default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct XlsxOptions {
    /// The document's creation time as Unix seconds (from `SOURCE_DATE_EPOCH`). `None`: 1
    /// January of the earliest declaration year, 00:00 UTC.
    pub created_unix: Option<i64>,
}

/// Parse a `SOURCE_DATE_EPOCH` value (Unix seconds, decimal digits only).
pub fn parse_source_date_epoch(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v = s.parse::<i64>().ok()?;
    // The range Excel dates can express (1900-01-01 ..= 9999-12-31).
    (v < 253_402_300_800).then_some(v)
}

/// The workbook with default options.
pub fn to_bytes(model: &Model) -> Result<Vec<u8>, XlsxError> {
    to_bytes_with(model, &XlsxOptions::default())
}

pub fn to_bytes_with(model: &Model, opts: &XlsxOptions) -> Result<Vec<u8>, XlsxError> {
    let mut out = std::io::Cursor::new(Vec::new());
    write_with(model, opts, &mut out)?;
    Ok(out.into_inner())
}

/// The workbook written to a file or any seekable writer (what `perfspec build -o` does):
/// the zip goes straight to the writer instead of through a second in-memory copy.
pub fn write_with<W>(model: &Model, opts: &XlsxOptions, out: W) -> Result<(), XlsxError>
where
    W: std::io::Write + std::io::Seek + Send,
{
    let clipped = clip_texts(model);
    let model = &*clipped;
    let mut wb = Workbook::new();
    let created = match opts.created_unix {
        Some(t) => ExcelDateTime::from_timestamp(t)?,
        None => {
            let year = model.projects.iter().map(|p| p.year).min().unwrap_or(2000);
            ExcelDateTime::from_ymd(year, 1, 1).or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?
        }
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(FORM_TITLE)
            .set_creation_datetime(&created),
    );
    let styles = Styles::new();
    let names = sheet_names(model);
    let summary = wb.add_worksheet();
    write_summary(summary, model, &names[1..], &styles)?;
    for (p, name) in model.projects.iter().zip(&names[1..]) {
        let ws = wb.add_worksheet();
        write_project(ws, p, name, &styles)?;
    }
    contained(|| wb.save_to_writer(out))
}

/// Runs `save` and turns a panic inside it into an error. rust_xlsxwriter assembles each
/// worksheet on a thread of its own when saving and panics when the system refuses one (a
/// workbook of thousands of projects under a low process limit): that must end as a
/// message and exit status 2, with the temporary output removed, not as a crash.
fn contained(save: impl FnOnce() -> Result<(), XlsxError>) -> Result<(), XlsxError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(save)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown reason".to_string());
        Err(XlsxError::ParameterError(format!(
            "the workbook could not be assembled ({why}); build fewer projects per workbook"
        )))
    })
}

/// Longest text a cell gets from one field of a spec, in characters: Excel refuses a cell
/// over 32,767, and a few cells join a field with fixed words (a title, a value and its
/// unit), so some room is left.
const MAX_FIELD_CHARS: usize = 32_000;

/// The model with every text longer than [`MAX_FIELD_CHARS`] cut and ended with `…`, so an
/// absurdly long name or goal gives a workbook instead of no output at all. JSON and CSV
/// keep the whole text.
/// Borrowed when nothing is too long (always, in practice): a city's model is not copied.
fn clip_texts(model: &Model) -> std::borrow::Cow<'_, Model> {
    use std::sync::Arc;
    fn long(s: &str) -> bool {
        // Any byte length at most the limit is at most the limit in characters too.
        s.len() > MAX_FIELD_CHARS && s.chars().count() > MAX_FIELD_CHARS
    }
    /// `s` cut to the limit and ended with `…`, if it is over it.
    fn clipped(s: &str) -> Option<String> {
        if !long(s) {
            return None;
        }
        let cut = s.char_indices().nth(MAX_FIELD_CHARS - 1)?.0;
        Some(format!("{}…", &s[..cut]))
    }
    /// Clip a text in place, whatever owns it (`String`, `Box<str>`, `Arc<str>`).
    fn clip<T: std::ops::Deref<Target = str> + From<String>>(s: &mut T) {
        if let Some(c) = clipped(s) {
            *s = c.into();
        }
    }
    fn clip_unit(u: &mut Arc<crate::model::Unit>) {
        if long(&u.spelling) || long(&u.canonical) {
            let u = Arc::make_mut(u);
            clip(&mut u.spelling);
            clip(&mut u.canonical);
        }
    }
    /// Every text of a project that goes into a cell.
    fn texts(p: &Project) -> impl Iterator<Item = &str> {
        [
            &*p.name,
            &p.department,
            &p.unit,
            &p.nature,
            &p.kind,
            &p.goal_annual,
        ]
        .into_iter()
        .chain(p.goal_total.as_deref())
        .chain(p.indicators.iter().flat_map(|i| {
            let unit = i.target.unit();
            let text = match &i.target {
                Target::Qualitative { text } => Some(text.as_str()),
                _ => None,
            };
            [
                Some(&*i.name),
                unit.map(|u| &*u.spelling),
                unit.map(|u| &*u.canonical),
                text,
            ]
            .into_iter()
            .flatten()
        }))
    }
    if !model.projects.iter().any(|p| texts(p).any(long)) {
        return std::borrow::Cow::Borrowed(model);
    }
    let mut m = model.clone();
    for p in &mut m.projects {
        for s in [
            &mut p.name,
            &mut p.department,
            &mut p.unit,
            &mut p.nature,
            &mut p.kind,
            &mut p.goal_annual,
        ] {
            clip(s);
        }
        if let Some(g) = &mut p.goal_total {
            clip(g);
        }
        for i in &mut p.indicators {
            clip(&mut i.name);
            match &mut i.target {
                Target::Quantity { unit, .. } => clip_unit(unit),
                Target::Range(r) => clip_unit(&mut r.unit),
                Target::Qualitative { text } => clip(text),
                Target::Date { .. } => {}
            }
        }
    }
    std::borrow::Cow::Owned(m)
}

// ---------------------------------------------------------------------------------------
// Sheet names

/// The sheet names of a workbook: [`SUMMARY_SHEET`], then one per project in model order.
pub fn sheet_names(model: &Model) -> Vec<String> {
    let mut namer = SheetNamer::new();
    let mut out = vec![SUMMARY_SHEET.to_string()];
    out.extend(model.projects.iter().map(|p| namer.name(&p.name)));
    out
}

/// Hands out valid, unique, readable sheet names. Excel compares names case-insensitively,
/// allows at most 31 UTF-16 units, forbids `[]:*?/\` and a leading or trailing `'`.
#[derive(Debug, Clone)]
pub struct SheetNamer {
    taken: HashSet<String>,
}

impl Default for SheetNamer {
    fn default() -> Self {
        Self::new()
    }
}

impl SheetNamer {
    /// A namer with the summary's name and Excel's reserved `History` already taken.
    pub fn new() -> Self {
        let taken = [SUMMARY_SHEET, "History"]
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
        SheetNamer { taken }
    }

    /// A sheet name for `wanted`: cleaned, shortened with `…` when too long, and made
    /// unique with `~2`, `~3`, … (the suffix never gets cut off).
    pub fn name(&mut self, wanted: &str) -> String {
        let base = clean_sheet_name(wanted);
        let mut n = 1u32;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("~{n}")
            };
            let candidate = fit_sheet_name(&base, &suffix);
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

fn clean_sheet_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let trimmed = trim_sheet_edges(&replaced);
    if trimmed.is_empty() {
        "项目".to_string()
    } else {
        trimmed.to_string()
    }
}

fn trim_sheet_edges(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn fit_sheet_name(base: &str, suffix: &str) -> String {
    let budget = SHEET_NAME_MAX - utf16_len(suffix);
    if utf16_len(base) <= budget {
        return format!("{base}{suffix}");
    }
    // Keep room for the ellipsis that says the name was shortened.
    let mut cut = String::new();
    let mut used = 0;
    for c in base.chars() {
        if used + c.len_utf16() > budget - 1 {
            break;
        }
        used += c.len_utf16();
        cut.push(c);
    }
    let cut = trim_sheet_edges(&cut);
    format!("{cut}…{suffix}")
}

// ---------------------------------------------------------------------------------------
// Formats

/// Every format carries the CJK font, so no cell falls back to Calibri.
struct Styles {
    title: Format,
    subtitle: Format,
    label: Format,
    header: Format,
    text: Format,
    centered: Format,
    money: Format,
    date: Format,
    count: Format,
    helper: Format,
    link: Format,
    check_label: Format,
    check_money: Format,
    check_count: Format,
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(FONT_SIZE)
        .set_align(FormatAlign::VerticalCenter)
}

fn boxed() -> Format {
    base().set_border(FormatBorder::Thin).set_text_wrap()
}

impl Styles {
    fn new() -> Self {
        Styles {
            title: base()
                .set_bold()
                .set_font_size(18)
                .set_align(FormatAlign::Center),
            subtitle: base().set_font_size(12).set_align(FormatAlign::Center),
            label: boxed().set_align(FormatAlign::Center),
            header: boxed().set_bold().set_align(FormatAlign::Center),
            text: boxed().set_align(FormatAlign::Left).set_indent(1),
            centered: boxed().set_align(FormatAlign::Center),
            money: boxed()
                .set_align(FormatAlign::Right)
                .set_num_format("#,##0.00"),
            date: boxed()
                .set_align(FormatAlign::Center)
                .set_num_format("yyyy-mm-dd"),
            count: boxed().set_align(FormatAlign::Center).set_num_format("0"),
            helper: base().set_font_color(0x808080),
            link: boxed()
                .set_align(FormatAlign::Left)
                .set_font_color(0x0563C1)
                .set_underline(rust_xlsxwriter::FormatUnderline::Single),
            check_label: base().set_align(FormatAlign::Center).set_italic(),
            check_money: base()
                .set_italic()
                .set_align(FormatAlign::Right)
                .set_num_format("#,##0.00"),
            check_count: base()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_num_format("0"),
        }
    }

    /// The value cell's format: the form's notation around a number that stays a number,
    /// e.g. `"≥"0.00"(件)"` shows 8000 as `≥8000.00(件)`.
    fn target(&self, op: &str, scale: u32, unit: &str) -> Format {
        boxed()
            .set_align(FormatAlign::Center)
            .set_num_format(target_num_format(op, scale, unit))
    }
}

/// A literal inside an Excel number format: quoted, with `"` escaped outside the quotes.
fn quoted_literal(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    format!("\"{}\"", s.replace('"', "\"\\\"\""))
}

/// The number format of a quantitative value: comparator, digits at the written scale, and
/// the unit in brackets. Two sections, so a negative number shows as `≥-5.00(…)` and not
/// with Excel's automatic minus sign in front of the comparator.
pub fn target_num_format(op: &str, scale: u32, unit: &str) -> String {
    let digits = if scale == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(scale.min(15) as usize))
    };
    let unit = if unit.is_empty() {
        String::new()
    } else {
        quoted_literal(&format!("({unit})"))
    };
    format!(
        "{}{digits}{unit};{}{digits}{unit}",
        quoted_literal(op),
        quoted_literal(&format!("{op}-"))
    )
}

/// The f64 nearest to an exact decimal (Rust's float parsing rounds correctly).
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

fn excel_date(d: crate::syntax::DateLit) -> Option<ExcelDateTime> {
    if !d.is_valid() {
        return None;
    }
    ExcelDateTime::from_ymd(d.year, d.month, d.day).ok()
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
fn lines_in(text: &str, width: f64) -> usize {
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
struct Heights(HashMap<RowNum, usize>);

impl Heights {
    fn need(&mut self, row: RowNum, text: &str, width: f64) {
        let lines = lines_in(text, width);
        let e = self.0.entry(row).or_insert(1);
        *e = (*e).max(lines);
    }
    fn apply(&self, ws: &mut Worksheet, rows: std::ops::Range<RowNum>) -> Result<(), XlsxError> {
        for r in rows {
            let lines = self.0.get(&r).copied().unwrap_or(1);
            ws.set_row_height(r, height_for(lines).min(MAX_ROW_HEIGHT))?;
        }
        Ok(())
    }
}

fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

// ---------------------------------------------------------------------------------------
// Merges

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

/// Write `text` into a rectangle: merged when it spans more than one cell, else one cell.
#[allow(clippy::too_many_arguments)]
fn put_text(
    ws: &mut Worksheet,
    r0: RowNum,
    c0: ColNum,
    r1: RowNum,
    c1: ColNum,
    text: &str,
    fmt: &Format,
) -> Result<(), XlsxError> {
    if r0 == r1 && c0 == c1 {
        ws.write_string_with_format(r0, c0, text, fmt)?;
    } else {
        // merge_range stores its text as a string cell, never a formula.
        ws.merge_range(r0, c0, r1, c1, text, fmt)?;
    }
    Ok(())
}

fn page_setup(ws: &mut Worksheet, landscape: bool) {
    ws.set_paper_size(PAPER_A4);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    ws.set_screen_gridlines(false);
}

// ---------------------------------------------------------------------------------------
// Project sheet

/// Columns of a project sheet. The form has six: A labels, B 一级, C 二级, D:E 三级 (merged
/// per row, as the official form does), F 指标值. G and H repeat the comparator and unit as
/// plain text for filters and formulas; they are outside the print area.
mod col {
    use rust_xlsxwriter::ColNum;
    pub const LABEL: ColNum = 0;
    pub const L1: ColNum = 1;
    pub const L2: ColNum = 2;
    pub const L3: ColNum = 3;
    pub const L3_END: ColNum = 4;
    pub const VALUE: ColNum = 5;
    pub const OP: ColNum = 6;
    pub const UNIT: ColNum = 7;
}

/// Fixed rows of a project sheet (0-based); the goal text may take several rows, which
/// moves the indicator table down.
pub mod rows {
    use rust_xlsxwriter::RowNum;
    pub const TITLE: RowNum = 0;
    pub const YEAR: RowNum = 1;
    pub const NAME: RowNum = 2;
    pub const DEPARTMENT: RowNum = 3;
    pub const DATES: RowNum = 4;
    pub const FUNDING: RowNum = 5;
    pub const GOAL_LABELS: RowNum = 9;
    pub const GOAL_TEXT: RowNum = 10;
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
    fn span(&self, c0: ColNum, c1: ColNum) -> f64 {
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
    .map(|v| super::format_money(v).len())
    .max()
    .unwrap_or(12)
}

fn write_project(
    ws: &mut Worksheet,
    p: &Project,
    sheet_name: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    use col::*;
    ws.set_name(sheet_name)?;
    let w = Widths::of(p);
    for (c, width) in w.cols.iter().enumerate() {
        ws.set_column_width(c as ColNum, *width)?;
    }
    let mut h = Heights::default();

    put_text(
        ws,
        rows::TITLE,
        LABEL,
        rows::TITLE,
        VALUE,
        FORM_TITLE,
        &st.title,
    )?;
    ws.set_row_height(rows::TITLE, 30)?;
    let year = format!("({} 年度)", p.year);
    put_text(
        ws,
        rows::YEAR,
        LABEL,
        rows::YEAR,
        VALUE,
        &year,
        &st.subtitle,
    )?;
    ws.set_row_height(rows::YEAR, 20)?;

    // Header block: the full project name stays here whatever the sheet is called.
    let r = rows::NAME;
    let cells = [
        ("项目名称", &st.label),
        (p.name.as_str(), &st.text),
        ("项目性质", &st.label),
        (p.nature.as_str(), &st.text),
        ("项目类别", &st.label),
        (p.kind.as_str(), &st.text),
    ];
    for (c, (text, fmt)) in cells.iter().enumerate() {
        let c = c as ColNum;
        ws.write_string_with_format(r, c, *text, fmt)?;
        h.need(r, text, w.cols[c as usize]);
    }

    let r = rows::DEPARTMENT;
    ws.write_string_with_format(r, LABEL, "主管部门", &st.label)?;
    put_text(ws, r, L1, r, L2, &p.department, &st.text)?;
    h.need(r, &p.department, w.span(L1, L2));
    ws.write_string_with_format(r, L3, "实施单位", &st.label)?;
    put_text(ws, r, L3_END, r, VALUE, &p.unit, &st.text)?;
    h.need(r, &p.unit, w.span(L3_END, VALUE));

    let r = rows::DATES;
    ws.write_string_with_format(r, LABEL, "计划开始日期", &st.label)?;
    write_date_cell(ws, (r, L1), (r, L2), p.start, st)?;
    ws.write_string_with_format(r, L3, "计划完成日期", &st.label)?;
    write_date_cell(ws, (r, L3_END), (r, VALUE), p.end, st)?;

    write_funding(ws, p, st)?;
    let first_indicator_header = write_goals(ws, p, &w, st)?;
    let last = write_indicators(ws, p, first_indicator_header, &w, &mut h, st)?;

    h.apply(ws, rows::NAME..rows::GOAL_TEXT)?;
    h.apply(ws, first_indicator_header..last + 1)?;

    page_setup(ws, false);
    ws.set_print_area(0, LABEL, last, VALUE)?;
    ws.set_repeat_rows(rows::TITLE, rows::YEAR)?;
    ws.set_freeze_panes(rows::YEAR + 1, 0)?;
    Ok(())
}

fn write_date_cell(
    ws: &mut Worksheet,
    from: (RowNum, ColNum),
    to: (RowNum, ColNum),
    d: Option<crate::syntax::DateLit>,
    st: &Styles,
) -> Result<(), XlsxError> {
    match d {
        Some(d) => match excel_date(d) {
            Some(x) => {
                ws.merge_range(from.0, from.1, to.0, to.1, "", &st.date)?;
                ws.write_datetime_with_format(from.0, from.1, &x, &st.date)?;
            }
            // Only reachable for a date the checker let through yet Excel cannot hold.
            None => put_text(ws, from.0, from.1, to.0, to.1, &d.to_string(), &st.centered)?,
        },
        None => put_text(ws, from.0, from.1, to.0, to.1, "", &st.centered)?,
    }
    Ok(())
}

fn write_funding(ws: &mut Worksheet, p: &Project, st: &Styles) -> Result<(), XlsxError> {
    use col::*;
    let f = &p.funding;
    let r0 = rows::FUNDING;
    put_text(ws, r0, LABEL, r0 + 3, LABEL, "项目资金(元)", &st.label)?;
    let left: [(&str, Option<Decimal>); 4] = [
        ("项目资金总额", f.project_total),
        ("其中：财政资金", f.project_fiscal),
        ("", None),
        ("其他资金", f.project_other),
    ];
    let right: [(&str, Decimal); 4] = [
        ("年度资金申请总额", f.annual_total),
        ("其中：当年财政拨款", f.appropriation),
        ("上年结转资金", f.carryover),
        ("其他资金", f.other),
    ];
    for (i, ((ll, lv), (rl, rv))) in left.iter().zip(right.iter()).enumerate() {
        let r = r0 + i as RowNum;
        ws.write_string_with_format(r, L1, *ll, &st.text)?;
        match lv {
            Some(v) => ws.write_number_with_format(r, L2, to_f64(*v), &st.money)?,
            None => ws.write_blank(r, L2, &st.money)?,
        };
        put_text(ws, r, L3, r, L3_END, rl, &st.text)?;
        ws.write_number_with_format(r, VALUE, to_f64(*rv), &st.money)?;
        ws.set_row_height(r, height_for(1))?;
    }
    Ok(())
}

/// The goal block; returns the row of the indicator table's header.
fn write_goals(
    ws: &mut Worksheet,
    p: &Project,
    w: &Widths,
    st: &Styles,
) -> Result<RowNum, XlsxError> {
    use col::*;
    let total = p.goal_total.as_deref().unwrap_or("");
    let annual = p.goal_annual.as_str();
    let lines = lines_in(total, w.span(L1, L2)).max(lines_in(annual, w.span(L3, VALUE)));
    let needed = height_for(lines);
    // A row holds at most 409 pt: a longer goal is merged over several rows.
    let k = (needed / MAX_ROW_HEIGHT).ceil().max(1.0) as RowNum;
    let top = rows::GOAL_TEXT;
    let bottom = top + k - 1;

    put_text(
        ws,
        rows::GOAL_LABELS,
        LABEL,
        bottom,
        LABEL,
        "项目绩效目标",
        &st.label,
    )?;
    put_text(
        ws,
        rows::GOAL_LABELS,
        L1,
        rows::GOAL_LABELS,
        L2,
        "项目总目标",
        &st.label,
    )?;
    put_text(
        ws,
        rows::GOAL_LABELS,
        L3,
        rows::GOAL_LABELS,
        VALUE,
        "年度总体目标",
        &st.label,
    )?;
    ws.set_row_height(rows::GOAL_LABELS, height_for(1))?;
    put_text(ws, top, L1, bottom, L2, total, &st.text)?;
    put_text(ws, top, L3, bottom, VALUE, annual, &st.text)?;
    for r in top..=bottom {
        ws.set_row_height(r, (needed / f64::from(k)).min(MAX_ROW_HEIGHT))?;
    }
    Ok(bottom + 1)
}

/// The indicator table; returns its last row.
fn write_indicators(
    ws: &mut Worksheet,
    p: &Project,
    hr: RowNum,
    w: &Widths,
    h: &mut Heights,
    st: &Styles,
) -> Result<RowNum, XlsxError> {
    use col::*;
    let n = p.indicators.len() as RowNum;
    put_text(ws, hr, LABEL, hr + n, LABEL, "绩效指标", &st.label)?;
    ws.write_string_with_format(hr, L1, "一级指标", &st.header)?;
    ws.write_string_with_format(hr, L2, "二级指标", &st.header)?;
    put_text(ws, hr, L3, hr, L3_END, "三级指标", &st.header)?;
    ws.write_string_with_format(hr, VALUE, "年度(/项目)指标值", &st.header)?;
    h.need(hr, "年度(/项目)指标值", w.cols[VALUE as usize]);
    ws.write_string_with_format(hr, OP, "比较符", &st.helper)?;
    ws.write_string_with_format(hr, UNIT, "计量单位", &st.helper)?;

    let first = hr + 1;
    let l1: Vec<Level1> = p.indicators.iter().map(|i| i.level1()).collect();
    for (start, len) in runs(&l1) {
        let r0 = first + start as RowNum;
        let r1 = r0 + len as RowNum - 1;
        put_text(ws, r0, L1, r1, L1, l1[start].name(), &st.centered)?;
    }
    let l2: Vec<_> = p.indicators.iter().map(|i| i.level2).collect();
    for (start, len) in runs(&l2) {
        let r0 = first + start as RowNum;
        let r1 = r0 + len as RowNum - 1;
        put_text(ws, r0, L2, r1, L2, l2[start].name(), &st.centered)?;
        if len == 1 {
            h.need(r0, l2[start].name(), w.cols[L2 as usize]);
        }
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        let r = first + i as RowNum;
        put_text(ws, r, L3, r, L3_END, &ind.name, &st.text)?;
        h.need(r, &ind.name, w.span(L3, L3_END));
        write_target(ws, r, &ind.target, st)?;
        h.need(r, &ind.target.form_notation(), w.cols[VALUE as usize]);
    }
    Ok(hr + n)
}

fn write_target(ws: &mut Worksheet, r: RowNum, t: &Target, st: &Styles) -> Result<(), XlsxError> {
    use col::*;
    match t {
        Target::Quantity { op, value, unit } => {
            let fmt = st.target(op.symbol(), value.scale(), &unit.spelling);
            ws.write_number_with_format(r, VALUE, to_f64(*value), &fmt)?;
            ws.write_string_with_format(r, OP, op.symbol(), &st.helper)?;
            ws.write_string_with_format(r, UNIT, &*unit.spelling, &st.helper)?;
        }
        Target::Date { op, date } => {
            match excel_date(*date) {
                Some(x) => {
                    let fmt = boxed()
                        .set_align(FormatAlign::Center)
                        .set_num_format(format!("{}yyyy-mm-dd", quoted_literal(op.symbol())));
                    ws.write_datetime_with_format(r, VALUE, &x, &fmt)?;
                }
                None => {
                    ws.write_string_with_format(r, VALUE, t.form_notation(), &st.centered)?;
                }
            }
            ws.write_string_with_format(r, OP, op.symbol(), &st.helper)?;
        }
        // Two numbers cannot share one cell: the range is shown as the form writes it.
        Target::Range(range) => {
            ws.write_string_with_format(r, VALUE, t.form_notation(), &st.centered)?;
            ws.write_string_with_format(r, OP, "~", &st.helper)?;
            ws.write_string_with_format(r, UNIT, &*range.unit.spelling, &st.helper)?;
        }
        Target::Qualitative { text } => {
            ws.write_string_with_format(r, VALUE, text, &st.centered)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Summary sheet

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
pub const SUMMARY_HEADER_ROW: RowNum = 2;

fn summary_title(model: &Model) -> String {
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

fn write_summary(
    ws: &mut Worksheet,
    model: &Model,
    project_sheets: &[String],
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(SUMMARY_SHEET)?;
    let last_col = (SUMMARY_HEADERS.len() - 1) as ColNum;
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
    let money = dw(&super::format_money(total)).max(dw("年度资金申请总额(元)") / 2);
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
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    let mut h = Heights::default();

    put_text(ws, 0, 0, 0, last_col, &summary_title(model), &st.title)?;
    ws.set_row_height(0, 30)?;
    let caption = format!(
        "编报绩效目标的项目 {} 个，涉及项目预算资金 {} 元",
        model.projects.len(),
        super::format_money(total)
    );
    put_text(ws, 1, 0, 1, last_col, &caption, &st.subtitle)?;
    ws.set_row_height(1, 20)?;
    let hr = SUMMARY_HEADER_ROW;
    for (c, text) in SUMMARY_HEADERS.iter().enumerate() {
        ws.write_string_with_format(hr, c as ColNum, *text, &st.header)?;
        h.need(hr, text, widths[c]);
    }

    let first = hr + 1;
    let mut sums = [0usize; 5];
    for (i, (p, sheet)) in model.projects.iter().zip(project_sheets).enumerate() {
        let r = first + i as RowNum;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &st.count)?;
        ws.write_string_with_format(r, 1, &p.name, &st.text)?;
        h.need(r, &p.name, widths[1]);
        ws.write_string_with_format(r, 2, &p.unit, &st.text)?;
        h.need(r, &p.unit, widths[2]);
        ws.write_string_with_format(r, 3, &p.nature, &st.centered)?;
        h.need(r, &p.nature, widths[3]);
        ws.write_number_with_format(r, 4, to_f64(p.funding.annual_total), &st.money)?;
        let counts = Level1::ALL.map(|l| p.indicators.iter().filter(|i| i.level1() == l).count());
        for (k, n) in counts.iter().chain([&p.indicators.len()]).enumerate() {
            ws.write_number_with_format(r, 5 + k as ColNum, *n as f64, &st.count)?;
            sums[k] += n;
        }
        let link = Url::new(format!("internal:'{}'!A1", sheet.replace('\'', "''")));
        ws.write_url_with_format(r, 10, link.set_text(sheet.as_str()), &st.link)?;
        h.need(r, sheet, widths[10]);
    }

    // The total is the exact Decimal sum, written as a value, not a formula.
    let n = model.projects.len() as RowNum;
    let tr = first + n;
    put_text(ws, tr, 0, tr, 3, "合计", &st.header)?;
    ws.write_number_with_format(tr, 4, to_f64(total), &st.money)?;
    for (k, s) in sums.iter().enumerate() {
        ws.write_number_with_format(tr, 5 + k as ColNum, *s as f64, &st.count)?;
    }
    ws.write_blank(tr, 10, &st.text)?;

    // A check row: SUM formulas over the cells above, with the exact sums as cached results,
    // so a reader that does not recalculate shows the right numbers too.
    let last_row = tr;
    if n > 0 {
        let cr = tr + 1;
        put_text(ws, cr, 0, cr, 3, "公式校验 (SUM)", &st.check_label)?;
        let col_letter = |c: ColNum| (b'A' + c as u8) as char;
        let cached: Vec<String> = std::iter::once(total.normalize().to_string())
            .chain(sums.iter().map(|s| s.to_string()))
            .collect();
        for (k, value) in cached.iter().enumerate() {
            let c = 4 + k as ColNum;
            let l = col_letter(c);
            let formula = Formula::new(format!("=SUM({l}{}:{l}{})", first + 1, first + n))
                .set_result(value.as_str());
            let fmt = if k == 0 {
                &st.check_money
            } else {
                &st.check_count
            };
            ws.write_formula_with_format(cr, c, formula, fmt)?;
        }
    }
    h.apply(ws, hr..last_row + 1)?;

    page_setup(ws, true);
    ws.set_print_area(0, 0, last_row, last_col)?;
    ws.set_repeat_rows(0, hr)?;
    ws.set_freeze_panes(hr + 1, 0)?;
    ws.set_active(true);
    Ok(())
}

#[cfg(test)]
mod contained_tests {
    use super::*;

    #[test]
    fn a_panic_while_saving_is_an_error() {
        let r = contained(|| panic!("failed to spawn thread"));
        match r {
            Err(XlsxError::ParameterError(m)) => {
                assert!(m.contains("failed to spawn thread"), "{m}")
            }
            other => panic!("expected an error, got {other:?}"),
        }
        assert!(contained(|| Ok(())).is_ok());
    }
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
    fn number_formats_keep_scale_and_quote_literals() {
        assert_eq!(
            target_num_format("≥", 2, "件"),
            "\"≥\"0.00\"(件)\";\"≥-\"0.00\"(件)\""
        );
        assert_eq!(target_num_format("=", 0, ""), "\"=\"0;\"=-\"0");
        assert_eq!(
            target_num_format("≤", 1, "a\"b"),
            "\"≤\"0.0\"(a\"\\\"\"b)\";\"≤-\"0.0\"(a\"\\\"\"b)\""
        );
    }

    #[test]
    fn source_date_epoch_parsing() {
        assert_eq!(parse_source_date_epoch("1767225600"), Some(1_767_225_600));
        assert_eq!(parse_source_date_epoch(" 0 "), Some(0));
        assert_eq!(parse_source_date_epoch("-5"), None);
        assert_eq!(parse_source_date_epoch("12a"), None);
        assert_eq!(parse_source_date_epoch(""), None);
        assert_eq!(parse_source_date_epoch("99999999999999999999"), None);
    }

    #[test]
    fn summary_title_names_what_all_projects_share() {
        let report = crate::check::check_all(vec![(
            "a.perf".to_string(),
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf"
            ))
            .unwrap_or_default(),
        )]);
        let mut model = report.model();
        assert_eq!(model.projects.len(), 1);
        assert_eq!(
            summary_title(&model),
            "上海市绿化和市容管理局行政服务中心 2026 年度项目绩效目标汇总表"
        );
        let mut other = model.projects[0].clone();
        other.unit = "另一个单位".to_string();
        model.projects.push(other);
        assert_eq!(summary_title(&model), "2026 年度项目绩效目标汇总表");
        model.projects[1].unit = model.projects[0].unit.clone();
        model.projects[1].year = 2027;
        assert_eq!(
            summary_title(&model),
            "上海市绿化和市容管理局行政服务中心 项目绩效目标汇总表"
        );
        model.projects.clear();
        assert_eq!(summary_title(&model), "项目绩效目标汇总表");
    }

    #[test]
    fn wrapped_lines_grow_with_text() {
        assert_eq!(lines_in("", 20.0), 1);
        assert_eq!(lines_in("短", 20.0), 1);
        let long = "很".repeat(100);
        assert!(lines_in(&long, 20.0) >= 10);
        assert_eq!(lines_in("a\nb\nc", 20.0), 3);
    }
}
