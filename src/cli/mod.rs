//! Subcommands, exit codes and file handling.
//!
//! Exit status everywhere: 0 success (warnings allowed), 1 the specs have errors (or, for
//! `fmt --check` and `diff`, something differs), 2 the command could not run.

mod authoring;
mod build;
mod files;
mod import;
mod review;

use clap::{Parser, Subcommand, ValueEnum};
use perfspec::check::{self, Report};
use perfspec::diag::cap::{self, Cap};
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
        /// Print at most N diagnostics of each file, then one line counting the rest by
        /// code (0: all). The exit status and the summary count every diagnostic.
        #[arg(long, value_name = "N", default_value_t = cap::DEFAULT_PER_FILE)]
        max_diagnostics: usize,
        /// Print at most N diagnostics in all (0: all).
        #[arg(long, value_name = "N", default_value_t = cap::DEFAULT_TOTAL)]
        max_diagnostics_total: usize,
    },
    /// Compile specs to JSON, CSV, HTML or xlsx.
    Build {
        paths: Vec<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: BuildFormat,
        /// Output file (stdout by default for text formats); with --split, the output folder.
        #[arg(short, long)]
        output: Option<String>,
        /// One output per 主管部门 (department) or 实施单位 (unit), named after it, in the
        /// folder given with -o.
        #[arg(long, value_enum, value_name = "BY")]
        split: Option<SplitArg>,
    },
    /// Print the long explanation of a diagnostic code, or list all codes.
    Explain { code: Option<String> },
    /// Rewrite specs in the canonical layout; with --check, only show what would change.
    Fmt(review::FmtArgs),
    /// Compare two versions of the specs (files, folders or git revisions) by meaning.
    Diff(review::DiffArgs),
    /// Import existing forms (.xlsx/.xls/.ods workbooks, text copied from PDF or Word) as .perf specs.
    Import(import::ImportArgs),
    /// Language server over stdio, for editors (docs/editors.md).
    Lsp,
    /// Print a shell completion script: bash, zsh, fish, elvish or powershell.
    Completions {
        #[arg(value_enum)]
        shell: authoring::Shell,
    },
    /// Print the man page (roff) to stdout.
    Man,
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

impl From<BuildFormat> for perfspec::emit::Format {
    fn from(f: BuildFormat) -> Self {
        use perfspec::emit::Format;
        match f {
            BuildFormat::Json => Format::Json,
            BuildFormat::Csv => Format::Csv,
            BuildFormat::Html => Format::Html,
            BuildFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// What `build --split` makes one output of; the form's own words are accepted too.
#[derive(Clone, Copy, ValueEnum)]
enum SplitArg {
    /// 主管部门
    #[value(alias = "主管部门")]
    Department,
    /// 实施单位
    #[value(alias = "实施单位")]
    Unit,
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
            max_diagnostics,
            max_diagnostics_total,
        } => cmd_check(
            &paths,
            format,
            deny_warnings,
            Cap::new(max_diagnostics, max_diagnostics_total),
            opts,
        ),
        Command::Build {
            paths,
            format,
            output,
            split,
        } => build::cmd_build(&paths, format, output.as_deref(), split, opts),
        Command::Explain { code } => cmd_explain(code.as_deref(), cli.lang),
        Command::Fmt(args) => review::cmd_fmt(&args, opts),
        Command::Diff(args) => review::cmd_diff(&args, cli.color, cli.lang),
        Command::Import(args) => import::cmd_import(&args, opts),
        Command::Lsp => authoring::cmd_lsp(cli.lang),
        Command::Completions { shell } => authoring::cmd_completions(shell),
        Command::Man => authoring::cmd_man(),
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

/// Every file's diagnostics on stderr, under `cap` (`diag::cap`).
fn print_diagnostics(report: &Report, cap: Cap, opts: RenderOptions) {
    let stderr = std::io::stderr();
    let mut err = std::io::BufWriter::new(stderr.lock());
    let mut printed = cap::Printed::new(cap);
    for f in report.files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let index = f.line_index();
        let _ = cap::write_human(
            &mut err,
            &f.path,
            &index,
            &f.diagnostics,
            &mut printed,
            opts,
        );
    }
    let _ = cap::finish_human(&mut err, &printed, opts.lang);
    let _ = err.flush();
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
    cap: Cap,
    opts: RenderOptions,
) -> u8 {
    let Some(report) = load_and_check(paths, opts.lang, None, false) else {
        return 2;
    };
    match format {
        CheckFormat::Human => {
            print_diagnostics(&report, cap, opts);
            eprintln!("{}", summary(&report, opts.lang));
        }
        CheckFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let mut printed = cap::Printed::new(cap);
            for f in report.files.iter().filter(|f| !f.diagnostics.is_empty()) {
                let index = LineIndex::new(&f.source);
                let _ = cap::write_json(
                    &mut out,
                    &f.path,
                    &index,
                    &f.diagnostics,
                    &mut printed,
                    opts.lang,
                );
            }
            let _ = out.flush();
        }
    }
    let failed = report.has_errors() || (deny_warnings && report.count(Severity::Warning) > 0);
    u8::from(failed)
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
