//! `perfspec build`: check, then stream the model into one output or, with `--split`, one
//! output per 主管部门 or 实施单位.

use super::{fatal, files, load_and_check, print_diagnostics, summary, BuildFormat, SplitArg};
use perfspec::diag::{Lang, RenderOptions};
use perfspec::emit::{self, Format};
use perfspec::model::{Model, SplitBy};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub(super) fn cmd_build(
    paths: &[String],
    format: BuildFormat,
    output: Option<&str>,
    split: Option<SplitArg>,
    opts: RenderOptions,
) -> u8 {
    let format = Format::from(format);
    let split = split.map(|s| match s {
        SplitArg::Department => SplitBy::Department,
        SplitArg::Unit => SplitBy::Unit,
    });
    if split.is_some() {
        // Checked before the specs are read: a wrong destination fails at once.
        match output {
            None | Some("-") => {
                return fatal(
                    opts.lang,
                    "--split 把每个主管部门或实施单位写成一个文件：请用 -o 目录 指定输出目录",
                    "--split writes one file per department or unit: give the output folder with -o DIR",
                )
            }
            Some(dir) if Path::new(dir).exists() && !Path::new(dir).is_dir() => {
                return fatal(
                    opts.lang,
                    &format!("{dir} 不是目录：--split 的 -o 是输出目录"),
                    &format!("{dir} is not a folder: with --split, -o names the output folder"),
                )
            }
            Some(_) => {}
        }
    } else if format.is_binary()
        && (output.is_none() || (output == Some("-") && std::io::stdout().is_terminal()))
    {
        // A binary workbook goes to a file (or a pipe with `-o -`), never into a terminal.
        return fatal(
            opts.lang,
            "xlsx 是二进制文件，不能输出到终端：请用 -o FILE.xlsx 指定输出文件",
            "xlsx is a binary file and cannot go to a terminal: give an output file with -o FILE.xlsx",
        );
    }
    // A split build writes only .json/.csv/.html/.xlsx files: none can be read back as a spec.
    let exclude = output.filter(|_| split.is_none()).map(Path::new);
    let Some(report) = load_and_check(paths, opts.lang, exclude, true) else {
        return 2;
    };
    print_diagnostics(&report, perfspec::diag::cap::Cap::default(), opts);
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
    let mut eopts = emit::Options::default();
    if format == Format::Xlsx {
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            match emit::xlsx::parse_source_date_epoch(&epoch) {
                Some(t) => eopts.xlsx.created_unix = Some(t),
                None => {
                    return fatal(
                        opts.lang,
                        "SOURCE_DATE_EPOCH 不是有效的 Unix 秒数",
                        "SOURCE_DATE_EPOCH is not a valid number of Unix seconds",
                    )
                }
            }
        }
    }
    if let (Some(by), Some(dir)) = (split, output) {
        return build_split(model, format, Path::new(dir), by, &eopts, opts);
    }
    // Every format streams into its destination: a city's output is never held in memory
    // as a whole. A file is written through a temporary file and renamed only when complete.
    let result = match output {
        None | Some("-") => emit::write_stream(format, &model, &eopts, std::io::stdout().lock()),
        Some(path) => {
            files::write_atomic_with(Path::new(path), |w| emit::write(format, &model, &eopts, w))
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => build_failed(format, e, output.filter(|o| *o != "-"), opts.lang),
    }
}

/// Report a failed build (exit 2); `path` is the file being written, `None` for stdout.
fn build_failed(format: Format, e: emit::Error, path: Option<&str>, lang: Lang) -> u8 {
    match e {
        emit::Error::Emit(e) => {
            let name = format.name();
            let name = path.map_or(name.to_string(), |p| format!("{name} {p}"));
            fatal(
                lang,
                &format!("无法生成 {name}：{e}"),
                &format!("cannot build {name}: {e}"),
            )
        }
        emit::Error::Io(e) => match path {
            None => fatal(lang, "无法写入标准输出", "cannot write to stdout"),
            Some(path) => fatal(
                lang,
                &format!("无法写入 {path}：{e}"),
                &format!("cannot write {path}: {e}"),
            ),
        },
    }
}

/// `build --split`: one output per 主管部门 or 实施单位, named after it, written all or
/// nothing. One group is built at a time and dropped once written, so memory is bounded
/// by the largest group, not the whole build.
fn build_split(
    model: Model,
    format: Format,
    dir: &Path,
    by: SplitBy,
    eopts: &emit::Options,
    opts: RenderOptions,
) -> u8 {
    use perfspec::filename::{safe_stem, unique_stem};
    let ext = format.extension();
    let (fallback, by_zh, by_en) = match by {
        SplitBy::Department => ("未填写主管部门", "主管部门", "department"),
        SplitBy::Unit => ("未填写实施单位", "实施单位", "unit"),
    };
    let mut taken = std::collections::HashSet::new();
    let items: Vec<(String, Model)> = model
        .split(by)
        .into_iter()
        .map(|(key, group)| {
            let stem = unique_stem(&safe_stem(&key, fallback), &mut taken);
            (format!("{stem}.{ext}"), group)
        })
        .collect();
    let result =
        files::write_set_atomic(dir, items, |group, w| emit::write(format, &group, eopts, w));
    let written = match result {
        Ok(w) => w,
        Err((path, e)) => {
            let shown = files::display(&path);
            let code = build_failed(format, e, Some(&shown), opts.lang);
            let (zh, en) = (
                "输出目录未作任何改动",
                "the output folder was left as it was",
            );
            eprintln!("perfspec: {}", if opts.lang == Lang::Zh { zh } else { en });
            return code;
        }
    };
    let shown = files::display(dir);
    let n = written.len();
    let (zh, en) = (
        format!("按{by_zh}写出 {n} 个 {ext} 文件到 {shown}"),
        format!("wrote {n} {ext} files to {shown}, one per {by_en}"),
    );
    eprintln!("perfspec: {}", if opts.lang == Lang::Zh { zh } else { en });
    warn_stale(dir, &written, ext, opts.lang);
    0
}

/// Files of the same kind in the output folder that this build did not write (a unit
/// renamed or gone since the last build) are named, never deleted: they are the user's.
fn warn_stale(dir: &Path, written: &[PathBuf], ext: &str, lang: Lang) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let ours: std::collections::HashSet<_> = written.iter().filter_map(|p| p.file_name()).collect();
    let mut stale: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name())
        .filter(|name| !ours.contains(name.as_os_str()))
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && name.ends_with(&format!(".{ext}")))
        .collect();
    if stale.is_empty() {
        return;
    }
    stale.sort();
    const SHOWN: usize = 5;
    let more = stale.len().saturating_sub(SHOWN);
    let shown = &stale[..stale.len().min(SHOWN)];
    let (list_zh, list_en) = (shown.join("、"), shown.join(", "));
    let (zh, en) =
        (
            format!(
                "提示：{} 中另有 {} 个 .{ext} 文件不是这次生成的，可能已过时：{list_zh}{}",
                files::display(dir),
                stale.len(),
                if more > 0 {
                    format!(" 等 {more} 个")
                } else {
                    String::new()
                }
            ),
            format!(
            "note: {} has {} more .{ext} files this build did not write, perhaps out of date: {}{}",
            files::display(dir),
            stale.len(),
            list_en,
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ),
        );
    eprintln!("perfspec: {}", if lang == Lang::Zh { zh } else { en });
}
