//! `perfspec import FILE… [-o DIR] [--force] [--report FILE]`: existing forms → `.perf`.
//!
//! All inputs are read and imported before anything is written, and every target is
//! checked first: an unreadable input or an existing file (without `--force`) stops the
//! run with nothing written. Each spec is written atomically, then checked, and its
//! diagnostics are shown. Exit 2: could not run (I/O, unreadable input, existing files);
//! 1: an imported spec has errors or an input held no form; 0: otherwise.

use super::files;
use perfspec::check;
use perfspec::diag::{self, Lang, LineIndex, RenderOptions, Severity};
use perfspec::import::{self, Import, Note, NoteKind};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Workbooks (.xlsx, .xls, .ods) or text copied out of PDF or Word tables.
    #[arg(required = true)]
    files: Vec<String>,
    /// Folder for the .perf files, created if missing (default: the current folder).
    #[arg(short, long, default_value = ".")]
    output: String,
    /// Overwrite .perf files that already exist.
    #[arg(long)]
    force: bool,
    /// Also write the report (notes, outputs, diagnostics) as JSON to this file.
    #[arg(long)]
    report: Option<String>,
}

fn say(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

fn fatal(lang: Lang, zh: &str, en: &str) -> u8 {
    eprintln!("perfspec: {}", say(lang, zh, en));
    2
}

struct Input {
    path: String,
    import: Import,
}

struct Output {
    input: usize,
    spec: usize,
    path: PathBuf,
    display: String,
}

#[derive(Serialize)]
struct JsonReport {
    inputs: Vec<JsonInput>,
    outputs: Vec<JsonOutput>,
    notes: Vec<JsonNote>,
}

#[derive(Serialize)]
struct JsonInput {
    path: String,
    projects: usize,
}

#[derive(Serialize)]
struct JsonOutput {
    path: String,
    input: String,
    project: String,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<serde_json::Value>,
}

#[derive(Serialize)]
struct JsonNote {
    kind: &'static str,
    input: String,
    output: Option<String>,
    project: Option<String>,
    #[serde(flatten)]
    origin: import::Origin,
    text: String,
    message: String,
}

pub fn cmd_import(args: &ImportArgs, opts: RenderOptions) -> u8 {
    let lang = opts.lang;

    // Read and import everything first.
    let mut inputs = Vec::new();
    let mut failed = false;
    for p in &args.files {
        let path = Path::new(p);
        let shown = files::display(path);
        // Capped: a device or pipe given as input must not be read without end.
        let bytes = std::fs::File::open(path).and_then(|f| {
            let mut buf = Vec::new();
            f.take(import::MAX_INPUT_BYTES as u64 + 1)
                .read_to_end(&mut buf)?;
            Ok(buf)
        });
        if bytes
            .as_ref()
            .is_ok_and(|b| b.len() > import::MAX_INPUT_BYTES)
        {
            let mb = import::MAX_INPUT_BYTES / (1024 * 1024);
            fatal(
                lang,
                &format!("{shown} 超过 {mb} MiB，不像是申报表"),
                &format!("{shown} is over {mb} MiB: not a form"),
            );
            failed = true;
            continue;
        }
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                fatal(
                    lang,
                    &format!("无法读取 {shown}：{e}"),
                    &format!("cannot read {shown}: {e}"),
                );
                failed = true;
                continue;
            }
        };
        // The specs name their input by file name only: no local paths in outputs.
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| shown.clone());
        match import::import_bytes(&name, &bytes) {
            Ok(import) => inputs.push(Input {
                path: shown,
                import,
            }),
            Err(e) => {
                fatal(
                    lang,
                    &format!("{shown}：{}", e.message.zh),
                    &format!("{shown}: {}", e.message.en),
                );
                failed = true;
            }
        }
    }
    if failed {
        eprintln!(
            "perfspec: {}",
            say(lang, "未写入任何文件", "nothing was written")
        );
        return 2;
    }

    // Output names: unique across this run, and no existing file overwritten unasked.
    let dir = PathBuf::from(&args.output);
    let mut taken = HashSet::new();
    let mut outputs = Vec::new();
    for (ii, input) in inputs.iter().enumerate() {
        for (si, spec) in input.import.specs.iter().enumerate() {
            let stem = import::unique_stem(&spec.file_stem, &mut taken);
            let path = dir.join(format!("{stem}.perf"));
            let display = files::display(&path);
            outputs.push(Output {
                input: ii,
                spec: si,
                path,
                display,
            });
        }
    }
    let mut blocked = false;
    for o in &outputs {
        match std::fs::symlink_metadata(&o.path) {
            Ok(m) if m.is_dir() => {
                let p = &o.display;
                fatal(
                    lang,
                    &format!("{p} 是一个目录"),
                    &format!("{p} is a folder"),
                );
                blocked = true;
            }
            Ok(_) if !args.force => {
                let p = &o.display;
                fatal(
                    lang,
                    &format!("{p} 已存在；用 --force 覆盖"),
                    &format!("{p} already exists; use --force to overwrite it"),
                );
                blocked = true;
            }
            _ => {}
        }
    }
    if blocked {
        eprintln!(
            "perfspec: {}",
            say(lang, "未写入任何文件", "nothing was written")
        );
        return 2;
    }
    if !outputs.is_empty() {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            let d = files::display(&dir);
            return fatal(
                lang,
                &format!("无法创建目录 {d}：{e}"),
                &format!("cannot create the folder {d}: {e}"),
            );
        }
    }

    // Write, check, show.
    let mut exit = 0u8;
    let mut json_outputs = Vec::new();
    let stderr = std::io::stderr();
    for o in &outputs {
        let input = &inputs[o.input];
        let spec = &input.import.specs[o.spec];
        if let Err(e) = files::write_atomic(&o.path, spec.text.as_bytes()) {
            let p = &o.display;
            fatal(
                lang,
                &format!("无法写入 {p}：{e}"),
                &format!("cannot write {p}: {e}"),
            );
            exit = 2;
            continue;
        }
        let report = check::check_source(&o.display, &spec.text);
        let mut err = stderr.lock();
        let index = LineIndex::new(&report.source);
        let mut printed = diag::cap::Printed::new(diag::cap::Cap::default());
        let _ = diag::cap::write_human(
            &mut err,
            &o.display,
            &index,
            &report.diagnostics,
            &mut printed,
            opts,
        );
        let errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = report.diagnostics.len() - errors;
        if errors > 0 && exit == 0 {
            exit = 1;
        }
        json_outputs.push(JsonOutput {
            path: o.display.clone(),
            input: input.path.clone(),
            project: spec.project.clone(),
            errors,
            warnings,
            diagnostics: report
                .diagnostics
                .iter()
                .filter_map(|d| {
                    serde_json::from_str(&diag::render_json_line(&o.display, &index, d, lang)).ok()
                })
                .collect(),
        });
    }

    // The report: every note, with where it came from and where it went.
    let output_of = |ii: usize, spec: Option<usize>| {
        spec.and_then(|s| outputs.iter().find(|o| o.input == ii && o.spec == s))
    };
    let mut json_notes = Vec::new();
    {
        let mut err = stderr.lock();
        for (ii, input) in inputs.iter().enumerate() {
            for n in &input.import.notes {
                let out = output_of(ii, n.spec);
                let _ = writeln!(
                    err,
                    "{}",
                    note_line(&input.path, n, out.map(|o| o.display.as_str()), lang)
                );
                json_notes.push(JsonNote {
                    kind: n.kind.as_str(),
                    input: input.path.clone(),
                    output: out.map(|o| o.display.clone()),
                    project: n
                        .spec
                        .and_then(|s| input.import.specs.get(s))
                        .map(|s| s.project.clone()),
                    origin: n.origin.clone(),
                    text: n.text.clone(),
                    message: n.message.get(lang).to_string(),
                });
            }
            if input.import.specs.is_empty() && exit == 0 {
                exit = 1;
            }
        }
    }
    let count = |k: NoteKind| inputs.iter().map(|i| i.import.count(k)).sum::<usize>();
    let (unmapped, adjusted, missing) = (
        count(NoteKind::Unmapped),
        count(NoteKind::Adjusted),
        count(NoteKind::Missing),
    );
    let (n_in, n_out) = (inputs.len(), outputs.len());
    let errors: usize = json_outputs.iter().map(|o| o.errors).sum();
    let d = files::display(&dir);
    eprintln!(
        "{}",
        say(
            lang,
            &format!("从 {n_in} 个文件导入 {n_out} 个项目到 {d}：{unmapped} 处未能识别，{missing} 处缺失，{adjusted} 处调整；规格错误 {errors} 个"),
            &format!("imported {n_out} projects from {n_in} files into {d}: {unmapped} unmapped, {missing} missing, {adjusted} adjusted; {errors} spec errors"),
        )
    );

    if let Some(rp) = &args.report {
        let doc = JsonReport {
            inputs: inputs
                .iter()
                .map(|i| JsonInput {
                    path: i.path.clone(),
                    projects: i.import.specs.len(),
                })
                .collect(),
            outputs: json_outputs,
            notes: json_notes,
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        if let Err(e) = files::write_atomic(Path::new(rp), text.as_bytes()) {
            fatal(
                lang,
                &format!("无法写入报告 {rp}：{e}"),
                &format!("cannot write the report {rp}: {e}"),
            );
            exit = 2;
        }
    }
    exit
}

/// `seed.txt:第 93 行: 调整: … → out/热线服务保障经费.perf`
fn note_line(input: &str, n: &Note, output: Option<&str>, lang: Lang) -> String {
    let kind = match (n.kind, lang) {
        (NoteKind::Unmapped, Lang::Zh) => "未能识别",
        (NoteKind::Missing, Lang::Zh) => "缺失",
        (NoteKind::Adjusted, Lang::Zh) => "调整",
        (NoteKind::Skipped, Lang::Zh) => "跳过",
        (NoteKind::Unmapped, Lang::En) => "unmapped",
        (NoteKind::Missing, Lang::En) => "missing",
        (NoteKind::Adjusted, Lang::En) => "adjusted",
        (NoteKind::Skipped, Lang::En) => "skipped",
    };
    let at = n.origin.describe(lang);
    let place = if at.is_empty() {
        input.to_string()
    } else {
        format!("{input}:{at}")
    };
    let mut line = format!("{place}: {kind}: {}", n.message.get(lang));
    if !n.text.is_empty() && n.kind == NoteKind::Unmapped {
        let text: String = n
            .text
            .chars()
            .filter(|c| !c.is_control())
            .take(80)
            .collect();
        let more = if n.text.chars().count() > 80 {
            "…"
        } else {
            ""
        };
        line.push_str(&format!("「{text}{more}」"));
    }
    if let Some(o) = output {
        line.push_str(&format!(" → {o}"));
    }
    line
}
