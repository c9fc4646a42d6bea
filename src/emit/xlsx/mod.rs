//! The workbook finance staff exchange (`docs/xlsx.md`): a 汇总 sheet, then one sheet per
//! project in the official 申报表 layout (domain.md §5).
//!
//! The workbook is written by perfspec itself, part by part, straight into the zip
//! (`package`): each sheet's XML goes into its zip entry as it is produced and nothing of
//! it is kept, so memory stays at the checked model plus one sheet, whatever the number of
//! projects. A project sheet is laid out in a small grid first (`layout`, `sheet`); the
//! summary streams one row per project. Formats (`styles`) and short texts (the
//! shared-strings table, which borrows them from the model) are collected on the way and
//! written after the sheets. The bytes depend only on the model and [`XlsxOptions`]: the
//! creation date is fixed, the zip entries have fixed timestamps and a fixed order.
//!
//! Text is only ever written as a string cell: a name beginning with `=` stays text. The
//! only formulas are the summary's check row, whose cached results are the exact sums.

mod layout;
mod names;
mod package;
mod sheet;
mod styles;

pub use names::{sheet_names, SheetNamer};

use crate::model::{Model, Project, Target};
use std::io::{Seek, Write};

/// The name of the summary sheet; no project sheet may take it.
pub const SUMMARY_SHEET: &str = "汇总";
/// The form's title, row 1 of every project sheet.
pub const FORM_TITLE: &str = "财政项目支出绩效目标申报表";
/// Excel's limit on a sheet name, counted in UTF-16 code units (Excel's own measure).
pub const SHEET_NAME_MAX: usize = 31;

/// Why a workbook could not be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// Writing the output failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The zip container refused an entry.
    #[error("{0}")]
    Zip(String),
}

impl From<zip::result::ZipError> for XlsxError {
    fn from(e: zip::result::ZipError) -> Self {
        match e {
            zip::result::ZipError::Io(io) => XlsxError::Io(io),
            e => XlsxError::Zip(e.to_string()),
        }
    }
}

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

/// The document's creation date, `YYYY-MM-DDTHH:MM:SSZ`.
fn created(model: &Model, opts: &XlsxOptions) -> String {
    match opts.created_unix {
        Some(t) => package::w3c_datetime(t),
        None => {
            let year = model.projects.iter().map(|p| p.year).min().unwrap_or(2000);
            let year = if (1900..=9999).contains(&year) {
                year
            } else {
                2000
            };
            format!("{year:04}-01-01T00:00:00Z")
        }
    }
}

/// The workbook written to a file or any seekable writer (what `perfspec build -o` does),
/// one part after the other: content types and relationships, every sheet (汇总 first),
/// then what the sheets collected (workbook with print areas, styles, shared strings), the
/// theme and the document properties.
pub fn write_with<W>(model: &Model, opts: &XlsxOptions, out: W) -> Result<(), XlsxError>
where
    W: Write + Seek,
{
    let clipped = clip_texts(model);
    let model = &*clipped;
    let names = sheet_names(model);
    let n = names.len();
    let mut zip = package::Package::new(out);
    zip.part("[Content_Types].xml", |w| Ok(package::content_types(w, n)?))?;
    zip.part("_rels/.rels", |w| Ok(package::root_rels(w)?))?;

    let mut styles = styles::Styles::new();
    let mut sst = sheet::SharedStrings::new();
    zip.part("xl/worksheets/sheet1.xml", |w| {
        layout::write_summary(w, model, &names[1..], &mut sst)
    })?;
    let mut entries = Vec::with_capacity(n);
    entries.push(package::SheetEntry {
        last_row: layout::summary_last_row(model),
        last_col: (SUMMARY_HEADERS.len() - 1) as u16,
        title_rows: SUMMARY_HEADER_ROW + 1,
    });
    for (i, p) in model.projects.iter().enumerate() {
        zip.part(&format!("xl/worksheets/sheet{}.xml", i + 2), |w| {
            layout::write_project(w, p, &mut styles, &mut sst)
        })?;
        entries.push(package::SheetEntry {
            last_row: layout::project_last_row(p),
            last_col: 5,
            title_rows: rows::YEAR + 1,
        });
    }

    zip.part("xl/workbook.xml", |w| {
        Ok(package::workbook(w, &names, &entries)?)
    })?;
    zip.part("xl/_rels/workbook.xml.rels", |w| {
        Ok(package::workbook_rels(w, n)?)
    })?;
    zip.part("xl/styles.xml", |w| Ok(styles.write(w)?))?;
    zip.part("xl/sharedStrings.xml", |w| Ok(sst.write(w)?))?;
    zip.part("xl/theme/theme1.xml", |w| {
        Ok(w.write_all(package::THEME.as_bytes())?)
    })?;
    let created = created(model, opts);
    zip.part("docProps/core.xml", |w| {
        Ok(package::core(w, FORM_TITLE, &created)?)
    })?;
    zip.part("docProps/app.xml", |w| Ok(package::app(w, &names)?))?;
    zip.finish()
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

/// A literal inside an Excel number format: quoted, with `"` escaped outside the quotes.
pub(crate) fn quoted_literal(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use layout::{lines_in, summary_title};

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
