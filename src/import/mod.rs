//! `perfspec import`: existing 申报表 → `.perf` specs.
//!
//! Two kinds of input come in: workbooks (`.xlsx`, `.xls`, `.ods`, read with calamine) and
//! text tables copied out of PDF or Word documents. Both are first turned into rows of
//! positioned cells ([`text`], [`sheet`]); [`form`] then finds the form in those rows by
//! its labels and category words, never by fixed positions; [`render`] builds one syntax
//! tree per project, which [`crate::fmt::format_tree`] prints in the canonical layout.
//!
//! Nothing is dropped silently: whatever could not be mapped is written into the spec as a
//! `# 未能识别：…` comment where it was found, and every such place, every adjustment and
//! every missing field is listed in [`Import::notes`].
//!
//! Like the rest of the library this does no I/O: bytes or text in, texts and notes out.

mod form;
mod render;
mod sheet;
mod text;
mod value;
mod yearend;

pub use crate::filename::{unique_stem, MAX_STEM_BYTES};
pub use render::safe_file_stem;

use crate::diag::{Lang, Msg};
use crate::msg;
use serde::Serialize;

/// Where something was found in the input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Origin {
    /// The worksheet, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The cell (`F12`), for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// The line (1-based), for text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

impl Origin {
    pub fn line(line: usize) -> Self {
        Origin {
            line: Some(line),
            ..Origin::default()
        }
    }

    /// `第 12 行` / `工作表 Sheet1!F12`, for messages and comments.
    pub fn describe(&self, lang: Lang) -> String {
        match (&self.sheet, &self.cell, self.line) {
            (Some(s), Some(c), _) => match lang {
                Lang::Zh => format!("工作表 {s}!{c}"),
                Lang::En => format!("sheet {s}!{c}"),
            },
            (Some(s), None, _) => match lang {
                Lang::Zh => format!("工作表 {s}"),
                Lang::En => format!("sheet {s}"),
            },
            (None, _, Some(l)) => match lang {
                Lang::Zh => format!("第 {l} 行"),
                Lang::En => format!("line {l}"),
            },
            _ => String::new(),
        }
    }
}

/// What a note says about the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// Content that could not be mapped: kept as a `# 未能识别：…` comment.
    Unmapped,
    /// A field the form should have and this one lacks.
    Missing,
    /// Content read with a judgement call (lines joined, tags stripped, categories
    /// corrected): worth a look.
    Adjusted,
    /// Input that holds no form (an empty file, a summary sheet).
    Skipped,
}

impl NoteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Unmapped => "unmapped",
            NoteKind::Missing => "missing",
            NoteKind::Adjusted => "adjusted",
            NoteKind::Skipped => "skipped",
        }
    }
}

/// One entry of the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// The spec it belongs to (index into [`Import::specs`]), if any.
    pub spec: Option<usize>,
    pub origin: Origin,
    /// The input text concerned, as found.
    pub text: String,
    pub message: Msg,
}

/// One imported project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSpec {
    /// The project name as read (may be empty when the form has none).
    pub project: String,
    /// A file name stem derived from the project name, safe on every OS; not yet made
    /// unique against other outputs.
    pub file_stem: String,
    /// The `.perf` text, in the canonical layout.
    pub text: String,
}

/// The result of importing one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Import {
    pub specs: Vec<ImportedSpec>,
    pub notes: Vec<Note>,
}

impl Import {
    /// Notes of one kind.
    pub fn count(&self, kind: NoteKind) -> usize {
        self.notes.iter().filter(|n| n.kind == kind).count()
    }
}

/// An input that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub message: Msg,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message.en)
    }
}

impl std::error::Error for ImportError {}

/// Inputs larger than this are refused (the `.perf` file limit; a form is a few KiB).
pub const MAX_INPUT_BYTES: usize = 32 * 1024 * 1024;

/// Import one input given as bytes: a workbook is recognised by its signature (zip for
/// `.xlsx`/`.ods`, OLE for `.xls`), anything else is read as text. `source` names the
/// input in the specs' header comment (a file name, not a path).
pub fn import_bytes(source: &str, bytes: &[u8]) -> Result<Import, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        let mb = MAX_INPUT_BYTES / (1024 * 1024);
        return Err(ImportError {
            message: msg!(
                "文件超过 {mb} MiB，不像是申报表",
                "the file is over {mb} MiB: not a form"
            ),
        });
    }
    if sheet::is_workbook(bytes) {
        return import_workbook(source, bytes);
    }
    let text = text::decode(bytes)?;
    Ok(import_text(source, &text))
}

/// Import text copied from a PDF or Word document (tab-separated or space-aligned).
pub fn import_text(source: &str, text: &str) -> Import {
    let rows = text::rows(text);
    let forms = form::recognise(&rows, form::Flavor::Text);
    finish(source, forms, Vec::new())
}

/// Import a workbook (`.xlsx`, `.xls`, `.ods`): one form per sheet, summary sheets skipped.
pub fn import_workbook(source: &str, bytes: &[u8]) -> Result<Import, ImportError> {
    let sheets = sheet::read(bytes)?;
    let mut forms = Vec::new();
    let mut skipped = Vec::new();
    // The summary's title (`<单位> 2026 年度项目绩效目标汇总表`) names the bundle in the
    // specs' first comment, as a text copy's title line does.
    let mut bundle_title = None;
    for s in sheets {
        let name = s.name.clone();
        if s.is_summary {
            if bundle_title.is_none() {
                bundle_title = s
                    .rows
                    .iter()
                    .take(3)
                    .flat_map(|r| &r.cells)
                    .find(|c| c.text.contains("汇总表"))
                    .map(|c| crate::syntax::normalize_spaces(&c.text));
            }
            skipped.push(Note {
                kind: NoteKind::Skipped,
                spec: None,
                origin: Origin {
                    sheet: Some(s.name.clone()),
                    ..Origin::default()
                },
                text: String::new(),
                message: msg!(
                    "跳过汇总表 “{name}”（各项目以各自的申报表为准）",
                    "skipped the summary sheet “{name}” (each project's own sheet is read)"
                ),
            });
            continue;
        }
        let found = form::recognise(&s.rows, form::Flavor::Sheet);
        if !found.forms.iter().any(|f| f.has_content()) && !s.rows.is_empty() {
            skipped.push(Note {
                kind: NoteKind::Skipped,
                spec: None,
                origin: Origin {
                    sheet: Some(s.name.clone()),
                    ..Origin::default()
                },
                text: String::new(),
                message: msg!(
                    "工作表 “{name}” 中没有申报表",
                    "sheet “{name}” holds no form"
                ),
            });
        }
        forms.push(found);
    }
    let mut merged = form::Recognised::concat(forms);
    for f in &mut merged.forms {
        if f.summary_title.is_none() {
            f.summary_title.clone_from(&bundle_title);
        }
    }
    Ok(finish(source, merged, skipped))
}

fn finish(source: &str, found: form::Recognised, mut extra: Vec<Note>) -> Import {
    let (specs, mut notes) = render::render_all(source, found);
    if specs.is_empty() {
        notes.push(Note {
            kind: NoteKind::Skipped,
            spec: None,
            origin: Origin::default(),
            text: String::new(),
            message: msg!(
                "没有找到申报表（找不到 “项目名称”、“一级指标” 等栏目）",
                "no form found (no 项目名称, 一级指标 or other labels of the form)"
            ),
        });
    }
    extra.append(&mut notes);
    Import {
        specs,
        notes: extra,
    }
}
