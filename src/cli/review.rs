//! `perfspec fmt` and `perfspec diff`: the commands a reviewer and a CI job run.

use super::{fatal, files, Color};
use clap::{Args, ValueEnum};
use perfspec::check::{self, Report};
use perfspec::diag::{self, Lang, RenderOptions, Severity};
use perfspec::fmt::{format_source, FormatError};
use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Args)]
pub(super) struct FmtArgs {
    /// Files or folders (recursive *.perf); `-` formats standard input to standard output.
    /// Default: the current folder.
    paths: Vec<String>,
    /// Change nothing; exit 1 and print a unified diff when a file is not in canonical layout.
    #[arg(long)]
    check: bool,
    /// Print the formatted text instead of rewriting the file (for `git diff` textconv). A
    /// file that cannot be formatted is printed as it is, with its errors on stderr.
    #[arg(long, conflicts_with = "check")]
    stdout: bool,
}

#[derive(Args)]
pub(super) struct DiffArgs {
    /// The old version: a file, a folder, or a git revision (`HEAD~1`, `origin/main`).
    old: String,
    /// The new version: a file, a folder or a revision. Default: the work tree.
    new: Option<String>,
    /// With revisions: compare only these paths (default: the current folder).
    #[arg(last = true)]
    paths: Vec<String>,
    /// text (coloured on a terminal), markdown (a pull-request comment) or json.
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum DiffFormat {
    Text,
    Markdown,
    Json,
}

fn say(lang: Lang, zh: &str, en: &str) {
    let m = match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    eprintln!("perfspec: {m}");
}

// ---------------------------------------------------------------------------------------
// fmt

#[derive(Default)]
struct FmtCounts {
    changed: usize,
    unchanged: usize,
    refused: usize,
    io_error: bool,
}

pub(super) fn cmd_fmt(args: &FmtArgs, opts: RenderOptions) -> u8 {
    let lang = opts.lang;
    if args.paths.iter().any(|p| p == "-") {
        if args.paths.len() > 1 {
            return fatal(
                lang,
                "`-`（标准输入）不能与其他路径同时使用",
                "`-` (standard input) cannot be combined with other paths",
            );
        }
        return fmt_stdin(args, opts);
    }
    let found = match files::collect(&args.paths, None) {
        Ok(f) => f,
        Err(e) => return fatal(lang, &e.zh, &e.en),
    };
    let mut n = FmtCounts::default();
    for path in &found {
        fmt_file(path, args, opts, &mut n);
    }
    if n.io_error {
        return 2;
    }
    if !args.stdout {
        report_counts(&n, args.check, found.len(), lang);
    }
    if args.stdout {
        0
    } else {
        u8::from(n.refused > 0 || (args.check && n.changed > 0))
    }
}

fn report_counts(n: &FmtCounts, check: bool, total: usize, lang: Lang) {
    let refused = match (n.refused, lang) {
        (0, _) => String::new(),
        (r, Lang::Zh) => format!("，{r} 个文件有错误未格式化"),
        (r, Lang::En) => format!(", {r} not formatted because of errors"),
    };
    let line = match (check, lang) {
        (true, Lang::Zh) if n.changed > 0 => format!(
            "{} 个文件需要格式化（运行 perfspec fmt）{refused}",
            n.changed
        ),
        (true, Lang::Zh) => format!("{} 个文件已是规范格式{refused}", n.unchanged),
        (true, Lang::En) if n.changed > 0 => format!(
            "{} of {total} files need formatting (run perfspec fmt){refused}",
            n.changed
        ),
        (true, Lang::En) => format!("{} files already formatted{refused}", n.unchanged),
        (false, Lang::Zh) => format!(
            "格式化了 {} 个文件，{} 个文件无需改动{refused}",
            n.changed, n.unchanged
        ),
        (false, Lang::En) => format!(
            "formatted {} files, {} already formatted{refused}",
            n.changed, n.unchanged
        ),
    };
    eprintln!("{line}");
}

fn fmt_file(path: &Path, args: &FmtArgs, opts: RenderOptions, n: &mut FmtCounts) {
    let lang = opts.lang;
    let shown = files::display(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            say(
                lang,
                &format!("无法读取 {shown}：{e}"),
                &format!("cannot read {shown}: {e}"),
            );
            n.io_error = true;
            return;
        }
    };
    // NUL bytes are valid UTF-8 but no text file has them: refused like non-UTF-8.
    let Some(text) = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
    else {
        // The checker says precisely why (PS006) and how to convert the file.
        let report = check::check_bytes(&shown, &bytes);
        print_diags(&shown, &report.source, &report.diagnostics, opts);
        if args.stdout {
            let _ = std::io::stdout().write_all(&bytes);
        }
        n.refused += 1;
        return;
    };
    match format_source(text) {
        Err(e) => {
            refuse(&shown, text, &e, opts);
            if args.stdout {
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
            n.refused += 1;
        }
        Ok(out) if args.stdout => {
            let mut so = std::io::stdout().lock();
            if so
                .write_all(out.as_bytes())
                .and_then(|_| so.flush())
                .is_err()
            {
                n.io_error = true;
            }
            if out == text {
                n.unchanged += 1;
            } else {
                n.changed += 1;
            }
        }
        Ok(out) if out == text => n.unchanged += 1,
        Ok(out) if args.check => {
            print_patch(&shown, text, &out, lang);
            n.changed += 1;
        }
        Ok(out) => match rewrite(path, out.as_bytes()) {
            Ok(()) => n.changed += 1,
            Err(e) => {
                say(
                    lang,
                    &format!("无法写入 {shown}：{e}"),
                    &format!("cannot write {shown}: {e}"),
                );
                n.io_error = true;
            }
        },
    }
}

/// Replace a spec in place: atomically, through a symbolic link rather than over it, and
/// with the file's permissions (the temporary file is created private).
fn rewrite(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    files::write_atomic(&target, bytes)?;
    std::fs::set_permissions(&target, permissions)
}

fn fmt_stdin(args: &FmtArgs, opts: RenderOptions) -> u8 {
    let lang = opts.lang;
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return fatal(lang, "无法读取标准输入", "cannot read standard input");
    }
    let Some(text) = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
    else {
        let report = check::check_bytes("<stdin>", &bytes);
        print_diags("<stdin>", &report.source, &report.diagnostics, opts);
        return 1;
    };
    match format_source(text) {
        Err(e) => {
            refuse("<stdin>", text, &e, opts);
            if !args.check {
                let _ = std::io::stdout().write_all(text.as_bytes());
            }
            1
        }
        Ok(out) if args.check => {
            if out == text {
                0
            } else {
                print_patch("<stdin>", text, &out, lang);
                // The same summary line as for files, so every non-zero exit says why.
                report_counts(
                    &FmtCounts {
                        changed: 1,
                        ..FmtCounts::default()
                    },
                    true,
                    1,
                    lang,
                );
                1
            }
        }
        Ok(out) => {
            let mut so = std::io::stdout().lock();
            if so
                .write_all(out.as_bytes())
                .and_then(|_| so.flush())
                .is_err()
            {
                return fatal(lang, "无法写入标准输出", "cannot write to stdout");
            }
            0
        }
    }
}

fn print_diags(path: &str, source: &str, diags: &[diag::Diagnostic], opts: RenderOptions) {
    let mut err = std::io::stderr().lock();
    let index = diag::LineIndex::new(source);
    // Capped as `check` prints them by default: a refused file of 100,000 broken lines
    // gets its first diagnostics and a count of the rest.
    let mut printed = diag::cap::Printed::new(diag::cap::Cap::default());
    let _ = diag::cap::write_human(&mut err, path, &index, diags, &mut printed, opts);
    let _ = diag::cap::finish_human(&mut err, &printed, opts.lang);
}

fn refuse(path: &str, text: &str, e: &FormatError, opts: RenderOptions) {
    match e {
        FormatError::Syntax(diags) => {
            print_diags(path, text, diags, opts);
            say(
                opts.lang,
                &format!("{path} 有语法错误，未格式化"),
                &format!("{path} has syntax errors and was not formatted"),
            );
        }
        FormatError::Unsafe(m) => say(
            opts.lang,
            &format!("{path}：{}", m.zh),
            &format!("{path}: {}", m.en),
        ),
    }
}

/// A unified diff on stdout, in the `a/` `b/` form `git apply` takes. A byte-order mark and
/// CR line ends are not shown line by line: a note on stderr says they go.
fn print_patch(path: &str, text: &str, out: &str, lang: Lang) {
    let had_bom = text.starts_with('\u{FEFF}');
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let had_cr = body.contains('\r');
    let old = if had_cr {
        body.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        body.to_string()
    };
    if had_bom || had_cr {
        let what = match (had_bom, had_cr, lang) {
            (true, true, Lang::Zh) => "去掉字节顺序标记（BOM），换行符 CRLF 改为 LF",
            (true, false, Lang::Zh) => "去掉字节顺序标记（BOM）",
            (false, _, Lang::Zh) => "换行符 CRLF 改为 LF",
            (true, true, Lang::En) => "drop the byte-order mark, CRLF line ends to LF",
            (true, false, Lang::En) => "drop the byte-order mark",
            (false, _, Lang::En) => "CRLF line ends to LF",
        };
        eprintln!("{path}: {what}");
    }
    // Myers' diff is quadratic when every line changes (a realigned column in a file of
    // 100,000 indicators took a minute); past the timeout it settles for a coarser patch,
    // still correct for `git apply`.
    let diff = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(2))
        .diff_lines(old.as_str(), out);
    let patch = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let _ = std::io::stdout().lock().write_all(patch.as_bytes());
}

// ---------------------------------------------------------------------------------------
// diff

/// Where one side of a diff comes from.
enum Side {
    Path(String),
    /// A revision as the user wrote it, and the commit it names.
    Rev(String, String),
    /// The files under the compared paths as they are now (NEW left out).
    WorkTree,
}

fn resolve(arg: &str, lang: Lang) -> Result<Side, u8> {
    if Path::new(arg).exists() {
        return Ok(Side::Path(arg.to_string()));
    }
    let out = Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{arg}^{{commit}}"))
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let commit = String::from_utf8_lossy(&o.stdout).trim().to_string();
            Ok(Side::Rev(arg.to_string(), commit))
        }
        _ => Err(fatal(
            lang,
            &format!("“{arg}” 既不是存在的文件或目录，也不是当前 git 仓库中的版本"),
            &format!(
                "“{arg}” is neither an existing file or folder nor a revision of the current git repository"
            ),
        )),
    }
}

pub(super) fn cmd_diff(args: &DiffArgs, color: Color, lang: Lang) -> u8 {
    let old = match resolve(&args.old, lang) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let new = match args.new.as_deref().map(|n| resolve(n, lang)) {
        Some(Ok(s)) => Some(s),
        Some(Err(code)) => return code,
        None => None,
    };
    // What a revision side reads: the paths after `--`, else the other side's path, else
    // the current folder. The work tree side (no NEW) reads the same paths.
    let scope: Vec<String> = if !args.paths.is_empty() {
        args.paths.clone()
    } else {
        match (&old, &new) {
            (Side::Path(p), Some(Side::Rev(..))) | (Side::Rev(..), Some(Side::Path(p))) => {
                vec![p.clone()]
            }
            _ => vec![".".to_string()],
        }
    };
    let new = new.unwrap_or(Side::WorkTree);
    if matches!((&old, &new), (Side::Path(_), Side::WorkTree)) {
        return fatal(
            lang,
            "只给了一个路径：请给出两个文件或目录，或一个 git 版本",
            "only one path given: give two files or folders, or a git revision",
        );
    }
    let load = |side: &Side| -> Result<Report, u8> {
        let inputs = match side {
            Side::WorkTree => read_paths(&scope, lang)?,
            Side::Path(p) => read_paths(std::slice::from_ref(p), lang)?,
            Side::Rev(name, commit) => read_revision(name, commit, &scope, lang)?,
        };
        Ok(check::check_all(inputs))
    };
    let (old_report, new_report) = match (load(&old), load(&new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    for (report, zh, en) in [
        (&old_report, "旧版本", "the old version"),
        (&new_report, "新版本", "the new version"),
    ] {
        let errors = report.count(Severity::Error);
        if errors > 0 {
            say(
                lang,
                &format!("{zh}有 {errors} 个错误（见 perfspec check）：差异只反映能读出的内容"),
                &format!("{en} has {errors} errors (see perfspec check): the diff shows what could be read"),
            );
        }
    }
    let d = perfspec::diff::diff_models(&old_report.model(), &new_report.model());
    let text = match args.format {
        DiffFormat::Text => {
            let on = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            perfspec::diff::render_text(&d, lang, on)
        }
        DiffFormat::Markdown => perfspec::diff::render_markdown(&d, lang),
        DiffFormat::Json => perfspec::diff::render_json(&d),
    };
    let mut so = std::io::stdout().lock();
    if so
        .write_all(text.as_bytes())
        .and_then(|_| so.flush())
        .is_err()
    {
        return fatal(lang, "无法写入标准输出", "cannot write to stdout");
    }
    // Like diff(1), and as docs/review.md says: 1 when something differs or a side has
    // errors (an unreadable line may hide a change the diff cannot show).
    u8::from(!d.is_empty() || old_report.has_errors() || new_report.has_errors())
}

fn read_paths(paths: &[String], lang: Lang) -> Result<Vec<(String, Vec<u8>)>, u8> {
    let found = files::collect(paths, None).map_err(|e| fatal(lang, &e.zh, &e.en))?;
    let mut inputs = Vec::with_capacity(found.len());
    for path in found {
        let shown = files::display(&path);
        match std::fs::read(&path) {
            Ok(b) => inputs.push((shown, b)),
            Err(e) => {
                return Err(fatal(
                    lang,
                    &format!("无法读取 {shown}：{e}"),
                    &format!("cannot read {shown}: {e}"),
                ))
            }
        }
    }
    Ok(inputs)
}

fn git_failed(lang: Lang, what: &str, detail: &str) -> u8 {
    fatal(
        lang,
        &format!("git {what} 失败：{detail}"),
        &format!("git {what} failed: {detail}"),
    )
}

/// The `*.perf` files of a revision under `scope`, read through git: `ls-tree` lists the
/// blobs, one `cat-file --batch` reads them all.
fn read_revision(
    name: &str,
    commit: &str,
    scope: &[String],
    lang: Lang,
) -> Result<Vec<(String, Vec<u8>)>, u8> {
    let out = Command::new("git")
        .args(["ls-tree", "-r", "-z", "--full-name", commit, "--"])
        .args(scope)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| git_failed(lang, "ls-tree", &e.to_string()))?;
    if !out.status.success() {
        return Err(git_failed(
            lang,
            "ls-tree",
            String::from_utf8_lossy(&out.stderr).trim(),
        ));
    }
    // `<mode> blob <id>\t<path>\0`
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in out.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        // Symbolic links (mode 120000) are skipped, as a folder walk skips them.
        let (Some("100644" | "100755"), Some("blob"), Some(id)) =
            (meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        // The same files a folder walk would take: *.perf, not in hidden folders or target/.
        let hidden = path
            .split('/')
            .rev()
            .skip(1)
            .any(|c| c.starts_with('.') || c == "target");
        if path.ends_with(".perf") && !hidden {
            blobs.push((path.to_string(), id.to_string()));
        }
    }
    blobs.sort();
    if blobs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| git_failed(lang, "cat-file", &e.to_string()))?;
    let request: String = blobs.iter().map(|(_, id)| format!("{id}\n")).collect();
    let mut stdin = child.stdin.take();
    // Written from another thread: git answers while it reads, and a full pipe both ways
    // would block forever.
    let writer = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(request.as_bytes());
        }
        drop(stdin);
    });
    let mut raw = Vec::new();
    if let Some(mut so) = child.stdout.take() {
        let _ = so.read_to_end(&mut raw);
    }
    let _ = writer.join();
    let _ = child.wait();
    let mut inputs = Vec::with_capacity(blobs.len());
    let mut rest = raw.as_slice();
    for (path, id) in blobs {
        // `<id> blob <size>\n<bytes>\n`
        let header_end = rest.iter().position(|b| *b == b'\n');
        let parsed = header_end.and_then(|h| {
            let header = std::str::from_utf8(&rest[..h]).ok()?;
            let mut parts = header.split(' ');
            let (got, _, size) = (parts.next()?, parts.next()?, parts.next()?);
            let size: usize = size.parse().ok()?;
            (got == id && rest.len() >= h + size + 2).then_some((h, size))
        });
        let Some((h, size)) = parsed else {
            return Err(git_failed(lang, "cat-file", &format!("{name}:{path}")));
        };
        inputs.push((format!("{name}:{path}"), rest[h + 1..h + 1 + size].to_vec()));
        rest = &rest[h + 1 + size + 1..];
    }
    Ok(inputs)
}
