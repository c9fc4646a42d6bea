//! The workbook finance staff exchange (`docs/xlsx.md`): a 汇总 sheet, then one sheet per
//! project in the official 申报表 layout (domain.md §5).
//!
//! The workbook is written by perfspec itself, part by part, straight into the zip
//! (`package`): each sheet's XML goes into its zip entry as it is produced and nothing of
//! it is kept, so memory stays at the checked model plus one sheet, whatever the number of
//! projects. A project sheet is laid out in a small grid first (`project`, from the
//! emitters' form view `emit::form`, into a `sheet::Grid`); the summary (`summary`) streams
//! one row per project. Formats (`styles`, with the value columns' number formats from
//! `numfmt`) and short texts (the shared-strings table, `strings`, which borrows them from
//! the model) are collected on the way and written after the sheets. Widths and heights
//! come from `measure`, cell values from `cells`, sheet names from `names`; `clip` cuts
//! texts too long for a cell, and `package` writes the zip and its fixed parts. The bytes depend only on the model and [`XlsxOptions`]: the
//! creation date is fixed, the zip entries have fixed timestamps and a fixed order.
//!
//! Text is only ever written as a string cell: a name beginning with `=` stays text. The
//! only formulas are the summary's check row, whose cached results are the exact sums.

mod cells;
mod clip;
mod evaluation;
mod measure;
mod names;
mod numfmt;
mod package;
mod project;
mod sheet;
mod strings;
mod styles;
mod summary;

pub use crate::emit::form::runs;
pub use names::{sheet_names, SheetNamer};
pub use numfmt::target_num_format;
pub use project::rows;
pub use summary::{SUMMARY_HEADERS, SUMMARY_HEADER_ROW};

use crate::emit::form::evaluation::SelfEvaluation;
use crate::model::Model;
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
    let clipped = clip::clip_texts(model);
    let model = &*clipped;
    let names = sheet_names(model);
    let n = names.len();
    let mut zip = package::Package::new(out);
    zip.part("[Content_Types].xml", |w| Ok(package::content_types(w, n)?))?;
    zip.part("_rels/.rels", |w| Ok(package::root_rels(w)?))?;

    let mut styles = styles::Styles::new();
    let mut sst = strings::SharedStrings::new();
    zip.part("xl/worksheets/sheet1.xml", |w| {
        summary::write_summary(w, model, &names[1..], &mut styles, &mut sst)
    })?;
    let mut entries = Vec::with_capacity(n);
    entries.push(package::SheetEntry {
        last_row: summary::summary_last_row(model),
        last_col: summary::last_col(model),
        title_rows: SUMMARY_HEADER_ROW + 1,
    });
    for (i, p) in model.projects.iter().enumerate() {
        let part = format!("xl/worksheets/sheet{}.xml", i + 2);
        // An evaluated project gets its 自评表, any other its 申报表.
        let entry = match SelfEvaluation::of(p) {
            Some(e) => {
                zip.part(&part, |w| evaluation::write(w, &e, &mut styles, &mut sst))?;
                package::SheetEntry {
                    last_row: evaluation::last_row(&e),
                    last_col: evaluation::LAST_COL,
                    title_rows: evaluation::TITLE_ROWS,
                }
            }
            None => {
                zip.part(&part, |w| {
                    project::write_project(w, p, &mut styles, &mut sst)
                })?;
                package::SheetEntry {
                    last_row: project::project_last_row(p),
                    last_col: 5,
                    title_rows: rows::YEAR + 1,
                }
            }
        };
        entries.push(entry);
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

#[cfg(test)]
mod tests {
    use super::*;
    use measure::lines_in;
    use summary::summary_title;

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
