//! The cap on printed diagnostics: a broken file must not cost more to report than a good
//! one costs to check. After the first diagnostics of a file (100 by default), one line
//! counts the rest by code; after the first 1,000 of a run, files are only counted. The
//! exit status and the summary count everything, printed or not.

use super::{render_human_indexed, render_json_line, visible, Diagnostic, Lang, LineIndex};
use super::{RenderOptions, Severity};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Diagnostics printed per file by default (`--max-diagnostics`).
pub const DEFAULT_PER_FILE: usize = 100;
/// Diagnostics printed over a whole run by default (`--max-diagnostics-total`).
pub const DEFAULT_TOTAL: usize = 1000;

/// How many diagnostics to print: per file and in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    per_file: usize,
    total: usize,
}

impl Default for Cap {
    fn default() -> Self {
        Cap::new(DEFAULT_PER_FILE, DEFAULT_TOTAL)
    }
}

impl Cap {
    /// At most `per_file` diagnostics of each file and `total` of the run; 0 is no limit.
    pub fn new(per_file: usize, total: usize) -> Self {
        let limit = |n: usize| if n == 0 { usize::MAX } else { n };
        Cap {
            per_file: limit(per_file),
            total: limit(total),
        }
    }

    /// Everything printed.
    pub fn unlimited() -> Self {
        Cap::new(0, 0)
    }
}

/// Which limit left diagnostics out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    PerFile,
    Total,
}

/// What a run has printed so far, against its [`Cap`].
#[derive(Debug)]
pub struct Printed {
    cap: Cap,
    shown: usize,
    /// Files none of whose diagnostics were printed (the total was reached), and their
    /// diagnostics by code: one line for all of them at the end of a human report.
    silent_files: usize,
    silent: BTreeMap<&'static str, usize>,
}

impl Printed {
    pub fn new(cap: Cap) -> Self {
        Printed {
            cap,
            shown: 0,
            silent_files: 0,
            silent: BTreeMap::new(),
        }
    }

    /// How many of the first of a file's `n` diagnostics to print, and why the others are
    /// left out; counts them as printed.
    fn take(&mut self, n: usize) -> (usize, Limit) {
        let room = self.cap.total.saturating_sub(self.shown);
        let k = n.min(self.cap.per_file).min(room);
        self.shown += k;
        let limit = if n.min(self.cap.per_file) > room {
            Limit::Total
        } else {
            Limit::PerFile
        };
        (k, limit)
    }

    /// Diagnostics printed so far.
    pub fn shown(&self) -> usize {
        self.shown
    }
}

/// Diagnostics counted by code, in code order.
pub fn count_by_code(diags: &[Diagnostic]) -> Vec<(&'static str, usize)> {
    let mut by: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diags {
        *by.entry(d.code.as_str()).or_default() += 1;
    }
    by.into_iter().collect()
}

fn codes_text(by_code: &[(&str, usize)], lang: Lang) -> String {
    let parts: Vec<String> = by_code
        .iter()
        .map(|(c, n)| match lang {
            Lang::Zh => format!("{c} {n} 条"),
            Lang::En => format!("{c} ×{n}"),
        })
        .collect();
    parts.join(if lang == Lang::Zh { "，" } else { ", " })
}

/// The line that stands for a file's diagnostics left out.
fn omitted_line(path: &str, by_code: &[(&str, usize)], limit: Limit, lang: Lang) -> String {
    let n: usize = by_code.iter().map(|(_, n)| n).sum();
    let codes = codes_text(by_code, lang);
    let path = visible(path);
    match (lang, limit) {
        (Lang::Zh, Limit::PerFile) => format!(
            "{path}：另有 {n} 条诊断未显示（{codes}）；--max-diagnostics 0 显示全部"
        ),
        (Lang::Zh, Limit::Total) => format!(
            "{path}：另有 {n} 条诊断未显示（{codes}）；已达显示总数上限，--max-diagnostics-total 0 显示全部"
        ),
        (Lang::En, Limit::PerFile) => format!(
            "{path}: {n} more diagnostics not shown ({codes}); --max-diagnostics 0 shows them all"
        ),
        (Lang::En, Limit::Total) => format!(
            "{path}: {n} more diagnostics not shown ({codes}); the limit for the run was reached, --max-diagnostics-total 0 shows them all"
        ),
    }
}

/// A file's diagnostics for people: the first ones rendered, each followed by a blank line,
/// then one line for the rest. A file none of whose diagnostics fit (the total was reached)
/// is only counted, for [`finish_human`].
pub fn write_human(
    out: &mut dyn Write,
    path: &str,
    index: &LineIndex<'_>,
    diags: &[Diagnostic],
    printed: &mut Printed,
    opts: RenderOptions,
) -> io::Result<()> {
    if diags.is_empty() {
        return Ok(());
    }
    let (k, limit) = printed.take(diags.len());
    if k == 0 {
        printed.silent_files += 1;
        for d in diags {
            *printed.silent.entry(d.code.as_str()).or_default() += 1;
        }
        return Ok(());
    }
    for d in &diags[..k] {
        out.write_all(render_human_indexed(path, index, d, opts).as_bytes())?;
        out.write_all(b"\n")?;
    }
    if k < diags.len() {
        let line = omitted_line(path, &count_by_code(&diags[k..]), limit, opts.lang);
        writeln!(out, "{line}\n")?;
    }
    Ok(())
}

/// The end of a human report: one line for the files whose diagnostics were all left out.
pub fn finish_human(out: &mut dyn Write, printed: &Printed, lang: Lang) -> io::Result<()> {
    if printed.silent_files == 0 {
        return Ok(());
    }
    let by_code: Vec<(&str, usize)> = printed.silent.iter().map(|(c, n)| (*c, *n)).collect();
    let n: usize = by_code.iter().map(|(_, n)| n).sum();
    let m = printed.silent_files;
    let codes = codes_text(&by_code, lang);
    let line = match lang {
        Lang::Zh => format!(
            "另有 {m} 个文件的 {n} 条诊断未显示（{codes}）；已达显示总数上限，--max-diagnostics-total 0 显示全部"
        ),
        Lang::En => format!(
            "{n} diagnostics of {m} more files not shown ({codes}); the limit for the run was reached, --max-diagnostics-total 0 shows them all"
        ),
    };
    writeln!(out, "{line}\n")
}

/// What `check --format json` writes for a file's diagnostics left out: one object on one
/// line, told from a diagnostic by having `omitted` and no `code`.
#[derive(Debug, serde::Serialize)]
pub struct JsonOmitted<'a> {
    pub file: &'a str,
    /// How many of the file's diagnostics were left out; of them, errors and warnings.
    pub omitted: usize,
    pub omitted_errors: usize,
    pub omitted_warnings: usize,
    /// The same by code, in code order.
    pub omitted_by_code: BTreeMap<&'static str, usize>,
}

/// A file's diagnostics as JSON lines: the first ones, then one [`JsonOmitted`] line for the
/// rest.
pub fn write_json(
    out: &mut dyn Write,
    path: &str,
    index: &LineIndex<'_>,
    diags: &[Diagnostic],
    printed: &mut Printed,
    lang: Lang,
) -> io::Result<()> {
    if diags.is_empty() {
        return Ok(());
    }
    let (k, _) = printed.take(diags.len());
    for d in &diags[..k] {
        writeln!(out, "{}", render_json_line(path, index, d, lang))?;
    }
    if k < diags.len() {
        let rest = &diags[k..];
        let errors = rest
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let j = JsonOmitted {
            file: path,
            omitted: rest.len(),
            omitted_errors: errors,
            omitted_warnings: rest.len() - errors,
            omitted_by_code: count_by_code(rest).into_iter().collect(),
        };
        writeln!(out, "{}", serde_json::to_string(&j).unwrap_or_default())?;
    }
    Ok(())
}
