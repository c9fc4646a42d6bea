//! `perfspec fmt`: idempotent, meaning-preserving, comment-preserving on every spec, every
//! fixture and generated specs; the CLI's --check, rewrite, stdin and refusal behaviour.

mod common;
use common::Pick;
use perfspec::check::check_source;
use perfspec::fmt::{comment_texts, format_source, same_meaning, FormatError};
use perfspec::syntax::parse;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn perfspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
}

fn perf_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "perf"))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn codes(src: &str) -> Vec<&'static str> {
    let mut v: Vec<&str> = check_source("t.perf", src)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    v.sort_unstable();
    v
}

/// The three promises, checked independently of the formatter's own self-check.
fn assert_format_laws(name: &str, src: &str) -> String {
    let out = match format_source(src) {
        Ok(out) => out,
        Err(e) => panic!("{name}: not formatted: {e:?}"),
    };
    // Idempotent.
    assert_eq!(
        format_source(&out).ok().as_deref(),
        Some(out.as_str()),
        "{name}: formatting twice changes the text"
    );
    // Meaning-preserving: the same model, ignoring locations, and the same findings.
    let before = check_source("t.perf", src);
    let after = check_source("t.perf", &out);
    assert!(
        same_meaning(&before.projects, &after.projects),
        "{name}: the model changed\n{out}"
    );
    assert_eq!(codes(src), codes(&out), "{name}: diagnostics changed");
    // And so the semantic diff between the two is empty.
    let model = |r: &perfspec::check::FileReport| perfspec::model::Model {
        projects: r.projects.clone(),
    };
    let d = perfspec::diff::diff_models(&model(&before), &model(&after));
    assert!(
        d.is_empty(),
        "{name}: diff of a reformatted copy is not empty"
    );
    // Every comment survives, in order, and its text is in the output.
    let (t1, _) = parse(src);
    let (t2, _) = parse(&out);
    assert_eq!(comment_texts(&t1), comment_texts(&t2), "{name}: comments");
    for c in comment_texts(&t1) {
        assert!(out.contains(&format!("#{c}")), "{name}: lost comment #{c}");
    }
    // Layout basics.
    assert!(
        !out.starts_with('\u{FEFF}') && !out.contains('\r'),
        "{name}"
    );
    assert!(!out.starts_with('\n') && !out.contains("\n\n\n"), "{name}");
    assert!(
        out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")),
        "{name}"
    );
    assert!(
        out.lines().all(|l| l == l.trim_end()),
        "{name}: trailing white space"
    );
    out
}

fn has_syntax_errors(src: &str) -> bool {
    parse(src).1.iter().any(|d| d.is_error())
}

#[test]
fn specs_are_in_canonical_layout() {
    let files = perf_files("specs");
    assert!(files.len() >= 4);
    for path in files {
        let src = std::fs::read_to_string(&path).unwrap();
        let out = assert_format_laws(&path.display().to_string(), &src);
        assert!(out == src, "{} is not fmt-stable", path.display());
    }
}

#[test]
fn every_fixture_keeps_its_meaning() {
    let mut formatted = 0;
    for path in perf_files("tests/fixtures") {
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue; // encoding fixtures: refused by the CLI, covered there
        };
        let name = path.display().to_string();
        if has_syntax_errors(&src) {
            assert!(
                matches!(format_source(&src), Err(FormatError::Syntax(_))),
                "{name}"
            );
            continue;
        }
        assert_format_laws(&name, &src);
        formatted += 1;
    }
    assert!(formatted >= 10, "fixtures went missing: {formatted}");
}

/// What Word and Windows do to a file: a byte-order mark and CRLF line ends.
#[test]
fn bom_and_crlf_variants_of_every_spec_format_to_the_spec() {
    for path in perf_files("specs") {
        let src = std::fs::read_to_string(&path).unwrap();
        let windows = format!("\u{FEFF}{}", src.replace('\n', "\r\n"));
        let out = assert_format_laws(&path.display().to_string(), &windows);
        assert_eq!(out, src, "{}", path.display());
    }
}

#[test]
fn messy_fixtures_snapshots() {
    insta::glob!("fixtures/fmt/*.perf", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let out = assert_format_laws(&path.display().to_string(), &src);
        insta::assert_snapshot!(out);
    });
}

#[test]
fn what_the_layout_normalizes() {
    let src = "\u{FEFF}年度 2026\r\n主管部门 某局\r\n实施单位 某中心\r\n项目   甲　　项目{\r\n  项目性质 经常性专项业务费\r\n  项目类别 特定目标类\r\n  计划开始日期 2026/1/1\r\n  计划完成日期 2026年12月31日\r\n  项目资金 {\r\n  年度申请总额 １２３４５６７\r\n  当年财政拨款 1234567.0 元\r\n  上年结转 0\r\n  }\r\n  年度目标 目标\r\n  数量指标 \"普通名称\" >= ８,０００.５０ 件\r\n  质量 合格率＝100％\r\n  经济成本 单位成本 ≦ 40 元/份 （册）\r\n}\r\n";
    let out = format_source(src).unwrap();
    let expected = "\
年度 2026
主管部门 某局
实施单位 某中心

项目 甲 项目 {
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    年度资金申请总额 1,234,567.00
    当年财政拨款     1,234,567.00 元
    上年结转资金             0.00
  }
  年度总体目标 目标
  数量     普通名称 ≥ 8000.50 件
  质量     合格率 = 100 %
  经济成本 单位成本 ≤ 40 元/份(册)
}
";
    assert_eq!(out, expected);
}

#[test]
fn names_are_quoted_only_when_needed() {
    let src = "年度 2026\n项目 \"含 { 的项目\" {\n  数量 \"a ≥ b\" ≥ 1 次\n  数量 \"普通\" ≥ 1 次\n  数量 \"引号\\\"里\" ≥ 1 次\n  数量 \"井号 #1\" ≥ 1 次\n  数量 C#语言 ≥ 1 次\n  数量 \"第 2 批\" 40 次\n}\n";
    let out = assert_format_laws("quoting", src);
    assert!(out.contains("项目 \"含 { 的项目\" {"), "{out}");
    assert!(out.contains("数量 \"a ≥ b\" ≥ 1 次"), "{out}");
    assert!(out.contains("数量 普通 ≥ 1 次"), "{out}");
    assert!(out.contains("数量 \"引号\\\"里\" ≥ 1 次"), "{out}");
    assert!(out.contains("数量 \"井号 #1\" ≥ 1 次"), "{out}");
    assert!(out.contains("数量 C#语言 ≥ 1 次"), "{out}");
    assert!(out.contains("数量 \"第 2 批\" 40 次"), "{out}");
}

#[test]
fn period_lines_merge_only_when_safe() {
    let head = "年度 2026\n项目 甲 {\n";
    // A comment on one of the lines: kept as two lines.
    let src = format!("{head}  计划开始日期 2026-01-01 # 开始\n  计划完成日期 2026-12-31\n}}\n");
    let out = assert_format_laws("commented", &src);
    assert!(out.contains("  计划开始日期 2026-01-01  # 开始\n  计划完成日期 2026-12-31\n"));
    // Not adjacent: kept.
    let src = format!(
        "{head}  计划完成日期 2026-12-31\n  性质 一次性项目\n  计划开始日期 2026-01-01\n}}\n"
    );
    let out = assert_format_laws("apart", &src);
    assert!(!out.contains("期间"), "{out}");
    // Adjacent, in either order: merged.
    let src = format!("{head}  计划完成日期 2026-12-31\n  计划开始日期 2026-01-01\n}}\n");
    let out = assert_format_laws("reversed", &src);
    assert!(out.contains("  期间 2026-01-01 至 2026-12-31\n"), "{out}");
}

#[test]
fn funding_keeps_digits_it_cannot_round() {
    // 99.1823 万元 is exact in 元 but has four decimals: the digits stay.
    let src = "年度 2026\n项目 甲 {\n  资金 {\n    当年财政拨款 99.1823 万元\n    其他资金 1234.5\n  }\n}\n";
    let out = assert_format_laws("money", src);
    assert!(out.contains("    当年财政拨款  99.1823 万元\n"), "{out}");
    assert!(out.contains("    其他资金     1,234.50\n"), "{out}");
    // 28 digits and ".00" would not read back: the digits stay as written, grouped.
    let src =
        "年度 2026\n项目 甲 {\n  资金 {\n    当年财政拨款 9999999999999999999999999999\n  }\n}\n";
    let out = assert_format_laws("28 digits", src);
    assert!(
        out.contains("当年财政拨款 9,999,999,999,999,999,999,999,999,999\n"),
        "{out}"
    );
}

#[test]
fn syntax_errors_are_refused() {
    let src = "年度 2026\n项目 甲 {\n  数量 名称 ≥\n}\n";
    match format_source(src) {
        Err(FormatError::Syntax(d)) => assert!(d.iter().any(|d| d.code == "PS001")),
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The command line

fn copy_fixture(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(Path::new("tests/fixtures/fmt").join(name), &to).unwrap();
    to
}

#[test]
fn check_reports_a_unified_diff_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = copy_fixture(dir.path(), "messy.perf");
    let before = std::fs::read(&f).unwrap();
    let out = perfspec()
        .arg("fmt")
        .arg("--check")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("--- a/") && stdout.contains("+++ b/"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-项目   绿化市容　　行政服务工作{ # 项目注释"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+项目 绿化市容 行政服务工作 {  # 项目注释"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 个文件需要格式化"));
    assert_eq!(std::fs::read(&f).unwrap(), before, "--check wrote the file");
}

#[test]
fn check_notes_bom_and_crlf_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let f = copy_fixture(dir.path(), "crlf-bom.perf");
    let out = perfspec()
        .args(["--lang", "en", "fmt", "--check"])
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("drop the byte-order mark, CRLF line ends to LF"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 1 files need formatting"), "{stderr}");
}

#[test]
fn fmt_rewrites_then_check_passes_and_formatted_files_are_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let messy = copy_fixture(dir.path(), "messy.perf");
    let clean = dir.path().join("clean.perf");
    std::fs::copy(
        "specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf",
        &clean,
    )
    .unwrap();
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
    std::fs::File::options()
        .write(true)
        .open(&clean)
        .unwrap()
        .set_modified(old)
        .unwrap();

    let out = perfspec().arg("fmt").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("格式化了 1 个文件，1 个文件无需改动"),
        "{stderr}"
    );
    let expected =
        format_source(&std::fs::read_to_string("tests/fixtures/fmt/messy.perf").unwrap()).unwrap();
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), expected);
    assert_eq!(
        std::fs::metadata(&clean).unwrap().modified().unwrap(),
        old,
        "rewrote an unchanged file"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".perfspec-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");

    let out = perfspec()
        .arg("fmt")
        .arg("--check")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_permissions_and_symbolic_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = copy_fixture(dir.path(), "messy.perf");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.perf");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = perfspec().arg("fmt").arg(&link).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let meta = std::fs::metadata(&real).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    let formatted = std::fs::read_to_string(&real).unwrap();
    assert_eq!(format_source(&formatted).unwrap(), formatted);
}

#[test]
fn a_file_with_syntax_errors_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.perf");
    let bytes = "年度 2026\n项目 甲 {\n  数量   名称 ≥\n  质量 合格率>=90 %\n}\n".as_bytes();
    std::fs::write(&f, bytes).unwrap();
    for args in [&["fmt"][..], &["fmt", "--check"]] {
        let out = perfspec().args(args).arg(&f).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("PS001") && stderr.contains("有语法错误，未格式化"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read(&f).unwrap(), bytes);
    }
}

#[test]
fn non_utf8_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("gbk.perf");
    std::fs::write(&f, b"\xc4\xea\xb6\xc8 2026\n").unwrap();
    let out = perfspec().arg("fmt").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PS006"));
    assert_eq!(std::fs::read(&f).unwrap(), b"\xc4\xea\xb6\xc8 2026\n");
}

#[test]
fn stdin_and_stdout_modes() {
    use std::io::Write;
    let src = std::fs::read_to_string("tests/fixtures/fmt/messy.perf").unwrap();
    let expected = format_source(&src).unwrap();
    let mut child = perfspec()
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(src.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);

    let out = perfspec()
        .args(["fmt", "--stdout", "tests/fixtures/fmt/messy.perf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}

#[test]
fn stdout_mode_prints_a_broken_file_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.perf");
    std::fs::write(&f, "项目 甲 {\n  数量 名称 ≥\n}\n").unwrap();
    let out = perfspec()
        .arg("fmt")
        .arg("--stdout")
        .arg(&f)
        .output()
        .unwrap();
    // textconv needs the text and a zero exit; the errors go to stderr.
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"\xe9\xa1\xb9\xe7\x9b\xae \xe7\x94\xb2 {\n  \xe6\x95\xb0\xe9\x87\x8f \xe5\x90\x8d\xe7\xa7\xb0 \xe2\x89\xa5\n}\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("PS001"));
}

// ---------------------------------------------------------------------------------------
// Generated specs

impl Pick<'_> {
    fn ws(&mut self) -> &'static str {
        self.one(&[" ", " ", "  ", "\t", "\u{3000}", " \u{3000} "])
    }
    fn flag(&mut self) -> bool {
        self.n(3) == 0
    }
}

const FULL: [char; 10] = ['０', '１', '２', '３', '４', '５', '６', '７', '８', '９'];

/// A number in one of the spellings the grammar accepts.
fn number(p: &mut Pick<'_>, max: u64) -> String {
    let int = (p.n(usize::MAX) as u64) % max;
    let scale = p.n(3);
    let frac: String = (0..scale)
        .map(|_| char::from(b'0' + p.n(10) as u8))
        .collect();
    let mut digits = int.to_string();
    if p.flag() && digits.len() > 3 {
        let mut g = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                g.push(',');
            }
            g.push(c);
        }
        digits = g;
    }
    let mut s = if scale > 0 {
        format!("{digits}.{frac}")
    } else {
        digits
    };
    if p.flag() {
        s = s
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| FULL[d as usize]))
            .collect();
    }
    s
}

fn comment(p: &mut Pick<'_>) -> String {
    if p.n(4) == 0 {
        format!(
            "{}#{}",
            p.ws(),
            p.one(&[
                " 说明",
                "注",
                " perfspec: allow PS307",
                " 含 # 与 { 的注释  "
            ])
        )
    } else {
        String::new()
    }
}

fn gen_spec(p: &mut Pick<'_>) -> String {
    let nl = if p.flag() { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = Vec::new();
    if p.flag() {
        lines.push(format!("#{}", p.one(&[" 文件头注释", "", "  缩进的注释"])));
    }
    let w = p.ws();
    lines.push(format!("年度{w}2026{}", comment(p)));
    lines.push(format!("主管部门{}上海市{}绿化局", p.ws(), p.ws()));
    lines.push(format!("实施单位{}中心{}", p.ws(), comment(p)));
    if p.flag() {
        lines.push(format!("计量单位{}株{}计数", p.ws(), p.ws()));
    }
    for k in 0..1 + p.n(2) {
        for _ in 0..p.n(3) {
            lines.push(String::new());
        }
        let name = match p.n(4) {
            0 => format!("\"含 {{ 的项目{k}\""),
            1 => format!("绿化\u{3000}养护{k}"),
            2 => format!("行政  服务 {k}"),
            _ => format!("热线服务{k}"),
        };
        lines.push(format!(
            "项目{}{name}{}{{{}",
            p.ws(),
            p.one(&["", " ", "\t"]),
            comment(p)
        ));
        let ind = |p: &mut Pick<'_>| p.one(&["", "  ", "    ", "\t"]).to_string();
        let i = ind(p);
        lines.push(format!(
            "{i}{}{}经常性专项业务费{}",
            p.one(&["性质", "项目性质"]),
            p.ws(),
            comment(p)
        ));
        let i = ind(p);
        lines.push(format!(
            "{i}{}{}特定目标类",
            p.one(&["类别", "项目类别"]),
            p.ws()
        ));
        let d1 = p.one(&["2026-01-01", "2026/1/1", "2026年1月1日"]);
        let d2 = p.one(&["2026-12-31", "2026/12/31", "2026年12月31日"]);
        if p.flag() {
            lines.push(format!("  计划开始日期 {d1}{}", comment(p)));
            lines.push(format!("  计划完成日期 {d2}"));
        } else {
            let sep = p.one(&["至", "~", "～", " 至 "]);
            lines.push(format!("  期间{}{d1}{}{sep}{}{d2}", p.ws(), p.ws(), p.ws()));
        }
        if p.flag() {
            lines.push(String::new());
        }
        lines.push(format!(
            "  {}{}{{{}",
            p.one(&["资金", "项目资金"]),
            p.ws(),
            comment(p)
        ));
        for key in ["当年财政拨款", "上年结转资金", "其他资金", "年度申请总额"]
        {
            if p.n(4) == 0 {
                lines.push(format!("   # {key}"));
            }
            let unit = p.one(&["", "", " 元", "元", " 万元"]);
            lines.push(format!(
                "{}{key}{}{}{unit}{}",
                ind(p),
                p.ws(),
                number(p, 10_000_000),
                comment(p)
            ));
        }
        lines.push(format!("  }}{}", comment(p)));
        let key = p.one(&["年度总体目标", "年度目标"]);
        if p.flag() {
            lines.push(format!("  {key}{}一行的目标  文本{}", p.ws(), comment(p)));
        } else {
            lines.push(format!("  {key} \"\"\""));
            let base = p.one(&["  ", "    ", "\t", "      "]);
            for _ in 0..1 + p.n(4) {
                match p.n(4) {
                    0 => lines.push(String::new()),
                    1 => lines.push(format!("{base}  缩进的 # 文本")),
                    _ => lines.push(format!("{base}第一段 文字，{}含{}空白  ", p.ws(), p.ws())),
                }
            }
            lines.push(format!("  \"\"\"{}", comment(p)));
        }
        if p.flag() {
            lines.push(format!("  {} 三年 目标", p.one(&["项目总目标", "总目标"])));
        }
        let n = 1 + p.n(8);
        for j in 0..n {
            if p.n(5) == 0 {
                lines.push(String::new());
            }
            if p.n(6) == 0 {
                lines.push(format!("  # 第 {j} 条之前"));
            }
            let cat = p.one(&[
                "数量",
                "数量指标",
                "质量",
                "时效",
                "经济成本",
                "社会效益",
                "可持续影响",
                "服务对象满意度",
                "满意度",
                "进度",
            ]);
            let name = match p.n(5) {
                0 => format!("\"含 ≥ 的{}名称\"", p.ws()),
                1 => format!("\"普通{j}\""),
                2 => format!("名称{}{j}{}号", p.ws(), p.ws()),
                _ => format!("指标{j}"),
            };
            let op = p.one(&[
                "≥", ">=", "≧", "⩾", "≤", "<=", "≦", "=", "＝", ">", "<", "＞", "＜",
            ]);
            let value = match p.n(6) {
                0 => p.one(&["及时", "有效 保障", "健全"]).to_string(),
                1 => p
                    .one(&["2026-06-30", "2026/6/30", "2026年6月30日"])
                    .to_string(),
                2 => format!(
                    "{}{}{}{}{}",
                    number(p, 100),
                    p.ws(),
                    p.one(&["~", "～", "至"]),
                    p.ws(),
                    number(p, 1000) + " %"
                ),
                _ => {
                    let unit = p.one(&[
                        "件",
                        "次",
                        "%",
                        "％",
                        "百分比",
                        "万元",
                        "元/份 (册)",
                        "元/份（册）",
                        "小时/天",
                        "株",
                    ]);
                    format!("{}{}{unit}", number(p, 100_000), p.one(&["", " ", "\t"]))
                }
            };
            let sep = p.one(&["", " ", "\t"]);
            if p.n(12) == 0 {
                // The comparator-less form some published forms print.
                lines.push(format!(
                    "  {cat}{}{name}{}{} 次",
                    p.ws(),
                    p.ws(),
                    number(p, 100)
                ));
            } else {
                lines.push(format!(
                    "  {cat}{}{name}{sep}{op}{}{value}{}",
                    p.ws(),
                    p.ws(),
                    comment(p)
                ));
            }
        }
        if p.flag() {
            lines.push(String::new());
        }
        lines.push(format!("}}{}", comment(p)));
    }
    for _ in 0..p.n(3) {
        lines.push(String::new());
    }
    let bom = if p.flag() { "\u{FEFF}" } else { "" };
    let mut text = format!("{bom}{}", lines.join(nl));
    if p.n(4) != 0 {
        text.push_str(nl);
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn generated_specs_format_lawfully(xs in prop::collection::vec(any::<u32>(), 0..600)) {
        let src = gen_spec(&mut Pick { xs: &xs, i: 0 });
        let diags = parse(&src).1;
        prop_assert!(!diags.iter().any(|d| d.is_error()), "generator made a syntax error: {diags:?}\n{src}");
        assert_format_laws("generated", &src);
    }
}

/// Lines of the language and near-misses, shuffled: `format_source` either formats (and then
/// keeps its promises) or refuses; it never panics.
const FRAGMENTS: &[&str] = &[
    "年度 2026",
    "主管部门 局",
    "实施单位 中心",
    "项目 甲 {",
    "项目 \"乙 {\" {",
    "}",
    "  资金 {",
    "    当年财政拨款 1,000.00",
    "    其他资金 ０.５ 万元",
    "    上年结转 -3",
    "  年度目标 \"\"\"",
    "  \"\"\"",
    "    文本 # 不是注释",
    "",
    "   ",
    "# 注释",
    "  数量 名称 ≥ 1 次 # 注",
    "  质量 率 ＝ 9O %",
    "  时效 提交 ≤ 2026/2/30",
    "  数量 \"a\\\"b\" 40 次",
    "  经济成本 x ≦ 1,00 万元",
    "\u{FEFF}",
    "  计划开始日期 2026-01-01",
    "  计划完成日期 2026-12-31",
    "  期间 2026-01-01",
    "计量单位 株 计数",
    "  质量 区间 = 90 ~ 100 ％",
    "  社会效益 y = 有效 保障",
    "\t服务对象满意度 z >= 85 百分比",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn line_soup_is_formatted_or_refused(picks in prop::collection::vec(0..FRAGMENTS.len(), 0..40), crlf in any::<bool>()) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let src: String = picks.iter().map(|&i| format!("{}{nl}", FRAGMENTS[i])).collect();
        match format_source(&src) {
            Ok(_) => {
                assert_format_laws("soup", &src);
            }
            Err(FormatError::Syntax(d)) => prop_assert!(!d.is_empty()),
            Err(FormatError::Unsafe(m)) => prop_assert!(false, "self-check failed: {}\n{src}", m.en),
        }
    }
}

/// A word value that bare would read as a number (a period of months) is written in quotes,
/// and only such a value: `fmt` adds the quotes where they are needed and drops them where
/// they are not, and the result reads back as the same values.
#[test]
fn word_values_are_quoted_exactly_when_needed() {
    let src = "年度 2026\n主管部门 局\n实施单位 中心\n\n项目 甲 {\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {\n    当年财政拨款 100.00\n  }\n  年度总体目标 目标\n  经济成本 成本 ≤ 1 万元\n  时效 服务周期 = \"2023.07-2024.01\"\n  质量 验收 = \"合格\"\n  社会效益 效果 = \"#1\"\n  服务对象满意度 满意度 ≥ 90 %\n}\n";
    let out = assert_format_laws("quoted.perf", src);
    assert!(out.contains("服务周期 = \"2023.07-2024.01\"\n"), "{out}");
    assert!(out.contains("验收 = 合格\n"), "{out}");
    assert!(out.contains("效果 = \"#1\"\n"), "{out}");
}
