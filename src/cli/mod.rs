//! Subcommands, exit codes and file handling.
//!
//! Exit status everywhere: 0 success (warnings allowed), 1 the specs have errors (or, for
//! `fmt --check` and `diff`, something differs), 2 the command could not run.

mod files;
mod import;
mod review;

use clap::{Parser, Subcommand, ValueEnum};
use perfspec::check::{self, Report};
use perfspec::diag::{self, Lang, LineIndex, RenderOptions, Severity};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "perfspec",
    version,
    about = "财政项目支出绩效目标申报表 as checked plain-text specs"
)]
struct Cli {
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, value_enum, default_value = "zh")]
    lang: Lang,
    /// Colour in terminal output.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check specs: files or folders (recursive *.perf); default: the current folder.
    Check {
        paths: Vec<String>,
        /// human (default) or json (one diagnostic per line on stdout).
        #[arg(long, value_enum, default_value = "human")]
        format: CheckFormat,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Compile specs to JSON, CSV, HTML or xlsx.
    Build {
        paths: Vec<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: BuildFormat,
        /// Output file (stdout by default for text formats).
        #[arg(short, long)]
        output: Option<String>,
    },
    /// Print the long explanation of a diagnostic code, or list all codes.
    Explain { code: Option<String> },
    /// Rewrite specs in the canonical layout; with --check, only show what would change.
    Fmt(review::FmtArgs),
    /// Compare two versions of the specs (files, folders or git revisions) by meaning.
    Diff(review::DiffArgs),
    /// Import existing forms (.xlsx/.xls/.ods workbooks, text copied from PDF or Word) as .perf specs.
    Import(import::ImportArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum BuildFormat {
    Json,
    Csv,
    /// The printable form 财政项目支出绩效目标申报表 (one self-contained page).
    Html,
    /// An Excel workbook: a 汇总 sheet and one 申报表 sheet per project (needs `-o FILE`).
    Xlsx,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let opts = RenderOptions {
        lang: cli.lang,
        color,
        width: 100,
    };
    let code = match cli.command {
        Command::Check {
            paths,
            format,
            deny_warnings,
        } => cmd_check(&paths, format, deny_warnings, opts),
        Command::Build {
            paths,
            format,
            output,
        } => cmd_build(&paths, format, output.as_deref(), opts),
        Command::Explain { code } => cmd_explain(code.as_deref(), cli.lang),
        Command::Fmt(args) => review::cmd_fmt(&args, opts),
        Command::Diff(args) => review::cmd_diff(&args, cli.color, cli.lang),
        Command::Import(args) => import::cmd_import(&args, opts),
    };
    ExitCode::from(code)
}

/// Print a message for "could not run" (exit 2) in the chosen language.
fn fatal(lang: Lang, zh: &str, en: &str) -> u8 {
    let msg = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    eprintln!("perfspec: {msg}");
    2
}

/// Read and check everything under `paths`; `None` when the command could not run.
/// `model: false` when only diagnostics are wanted (`check`): far less memory.
fn load_and_check(
    paths: &[String],
    lang: Lang,
    exclude: Option<&std::path::Path>,
    model: bool,
) -> Option<Report> {
    let found = match files::collect(paths, exclude) {
        Ok(f) => f,
        Err(e) => {
            fatal(lang, &e.zh, &e.en);
            return None;
        }
    };
    // Read in parallel (a folder of thousands of files is mostly system calls); errors are
    // still reported for the first unreadable file in path order.
    let read: Vec<_> = {
        use rayon::prelude::*;
        found.par_iter().map(std::fs::read).collect()
    };
    let mut inputs = Vec::with_capacity(found.len());
    for (path, bytes) in found.iter().zip(read) {
        match bytes {
            Ok(bytes) => inputs.push((files::display(path), bytes)),
            Err(e) => {
                let p = files::display(path);
                fatal(
                    lang,
                    &format!("无法读取 {p}：{e}"),
                    &format!("cannot read {p}: {e}"),
                );
                return None;
            }
        }
    }
    Some(if model {
        check::check_all(inputs)
    } else {
        check::check_all_diagnostics(inputs)
    })
}

fn print_diagnostics(report: &Report, opts: RenderOptions) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for f in report.files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let index = f.line_index();
        for d in &f.diagnostics {
            let _ = err.write_all(diag::render_human_indexed(&f.path, &index, d, opts).as_bytes());
            let _ = err.write_all(b"\n");
        }
    }
}

fn summary(report: &Report, lang: Lang) -> String {
    let files = report.files.len();
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let projects: usize = report.files.iter().map(|f| f.projects.len()).sum();
    let indicators: usize = report.files.iter().map(|f| f.indicator_count).sum();
    match lang {
        Lang::Zh => format!(
            "检查了 {files} 个文件（{projects} 个项目，{indicators} 条指标）：{errors} 个错误，{warnings} 个警告"
        ),
        Lang::En => format!(
            "checked {files} files ({projects} projects, {indicators} indicators): {errors} errors, {warnings} warnings"
        ),
    }
}

fn cmd_check(
    paths: &[String],
    format: CheckFormat,
    deny_warnings: bool,
    opts: RenderOptions,
) -> u8 {
    let Some(report) = load_and_check(paths, opts.lang, None, false) else {
        return 2;
    };
    match format {
        CheckFormat::Human => {
            print_diagnostics(&report, opts);
            eprintln!("{}", summary(&report, opts.lang));
        }
        CheckFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for f in &report.files {
                let index = LineIndex::new(&f.source);
                for d in &f.diagnostics {
                    let _ = writeln!(
                        out,
                        "{}",
                        diag::render_json_line(&f.path, &index, d, opts.lang)
                    );
                }
            }
        }
    }
    let failed = report.has_errors() || (deny_warnings && report.count(Severity::Warning) > 0);
    u8::from(failed)
}

fn cmd_build(
    paths: &[String],
    format: BuildFormat,
    output: Option<&str>,
    opts: RenderOptions,
) -> u8 {
    // A binary workbook goes to a file (or a pipe with `-o -`), never into a terminal.
    if matches!(format, BuildFormat::Xlsx)
        && (output.is_none() || (output == Some("-") && std::io::stdout().is_terminal()))
    {
        return fatal(
            opts.lang,
            "xlsx 是二进制文件，不能输出到终端：请用 -o FILE.xlsx 指定输出文件",
            "xlsx is a binary file and cannot go to a terminal: give an output file with -o FILE.xlsx",
        );
    }
    let exclude = output.map(std::path::Path::new);
    let Some(report) = load_and_check(paths, opts.lang, exclude, true) else {
        return 2;
    };
    print_diagnostics(&report, opts);
    if report.has_errors() {
        eprintln!("{}", summary(&report, opts.lang));
        let (zh, en) = (
            "规格有错误，未生成任何输出",
            "the specs have errors; nothing was built",
        );
        eprintln!("perfspec: {}", if opts.lang == Lang::Zh { zh } else { en });
        return 1;
    }
    let model = report.into_model();
    let xopts = perfspec::emit::xlsx::XlsxOptions {
        created_unix: if matches!(format, BuildFormat::Xlsx) {
            let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
            match epoch
                .as_deref()
                .map(perfspec::emit::xlsx::parse_source_date_epoch)
            {
                None => None,
                Some(Some(t)) => Some(t),
                Some(None) => {
                    return fatal(
                        opts.lang,
                        "SOURCE_DATE_EPOCH 不是有效的 Unix 秒数",
                        "SOURCE_DATE_EPOCH is not a valid number of Unix seconds",
                    )
                }
            }
        } else {
            None
        },
    };
    // Every format streams into its destination: a city's output is never held in memory
    // as a whole. A file is written through a temporary file and renamed only when complete.
    let result = match output {
        None | Some("-") => match format {
            // The zip format needs to seek: the workbook is built in memory, then piped.
            BuildFormat::Xlsx => perfspec::emit::xlsx::to_bytes_with(&model, &xopts)
                .map_err(xlsx_error)
                .and_then(|bytes| {
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bytes)
                        .and_then(|_| out.flush())
                        .map_err(BuildError::Io)
                }),
            _ => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
                emit_text(&model, format, &mut out)
                    .and_then(|()| out.flush().map_err(BuildError::Io))
            }
        },
        Some(path) => files::write_atomic_with(std::path::Path::new(path), |w| match format {
            BuildFormat::Xlsx => {
                perfspec::emit::xlsx::write_with(&model, &xopts, w).map_err(xlsx_error)
            }
            _ => emit_text(&model, format, w),
        }),
    };
    match result {
        Ok(()) => 0,
        Err(BuildError::Emit(e)) => {
            let name = match format {
                BuildFormat::Json => "JSON",
                BuildFormat::Csv => "CSV",
                BuildFormat::Html => "HTML",
                BuildFormat::Xlsx => "xlsx",
            };
            fatal(
                opts.lang,
                &format!("无法生成 {name}：{e}"),
                &format!("cannot build {name}: {e}"),
            )
        }
        Err(BuildError::Io(e)) => match output {
            None | Some("-") => fatal(opts.lang, "无法写入标准输出", "cannot write to stdout"),
            Some(path) => fatal(
                opts.lang,
                &format!("无法写入 {path}：{e}"),
                &format!("cannot write {path}: {e}"),
            ),
        },
    }
}

/// Why an output could not be built: the emitter refused the model, or writing failed.
enum BuildError {
    Emit(String),
    Io(std::io::Error),
}

impl From<std::io::Error> for BuildError {
    fn from(e: std::io::Error) -> Self {
        BuildError::Io(e)
    }
}

/// Write one format into a stream (a buffered temporary file or stdout).
fn emit_text<W: Write>(
    model: &perfspec::model::Model,
    format: BuildFormat,
    out: &mut W,
) -> Result<(), BuildError> {
    use perfspec::emit;
    match format {
        BuildFormat::Json => emit::json::write(model, out).map_err(BuildError::Io),
        BuildFormat::Csv => emit::csv::write_file(model, out).map_err(BuildError::Io),
        BuildFormat::Html => emit::html::write(model, out).map_err(|e| {
            if e.kind() == minijinja::ErrorKind::WriteFailure {
                BuildError::Io(std::io::Error::other(e.to_string()))
            } else {
                BuildError::Emit(e.to_string())
            }
        }),
        BuildFormat::Xlsx => {
            // The workbook needs a seekable writer: see `cmd_build`.
            Err(BuildError::Emit("xlsx needs a file".to_string()))
        }
    }
}

/// The workbook's errors, split like [`emit_text`]'s.
fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> BuildError {
    match e {
        rust_xlsxwriter::XlsxError::IoError(io) => BuildError::Io(io),
        e => BuildError::Emit(e.to_string()),
    }
}

fn cmd_explain(code: Option<&str>, lang: Lang) -> u8 {
    let mut out = std::io::stdout().lock();
    match code {
        None => {
            for r in diag::RULES {
                let title = if lang == Lang::Zh {
                    r.title_zh
                } else {
                    r.title_en
                };
                let sev = r.severity.as_str();
                let _ = writeln!(out, "{}  {:<7}  {:<10}  {title}", r.code, sev, r.family);
            }
            0
        }
        Some(c) => match diag::lookup(c) {
            Some(r) => {
                let _ = out.write_all(r.doc.as_bytes());
                0
            }
            None => fatal(
                lang,
                &format!("没有代码 “{c}”；运行 `perfspec explain` 查看全部代码"),
                &format!("no code “{c}”; run `perfspec explain` for the list"),
            ),
        },
    }
}
