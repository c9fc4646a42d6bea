//! UI tests: every diagnostic code has a failing input beside its exact rendered output and a
//! passing input, in `tests/ui/<CODE>/`:
//!
//! - `fail.perf`: checked as `perfspec check` does; the folder's code must be among the
//!   diagnostics, and all of them rendered (Chinese, no colour, width 100) must equal
//!   `fail.stderr`; when `fail.en.stderr` exists, the English rendering must equal it.
//! - `pass.perf`: the corrected input; it must produce no diagnostic at all.
//!
//! `UPDATE_UI=1 cargo test --test ui` rewrites the `.stderr` files instead of comparing (and
//! says which). PS007 (a line over 256 KiB) is a Rust test below rather than a fixture.
//! Further tests: the registry and the docs agree, suppression, `--format json`,
//! `--deny-warnings`, many files in one run, and the issue's own seed examples.

mod common;
use perfspec::check::{self, FileReport};
use perfspec::diag::{self, Lang, RenderOptions, Severity};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Codes tested by a dedicated Rust test instead of a `tests/ui/<CODE>/` folder.
const DEDICATED: &[&str] = &["PS007"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_UI").is_some_and(|v| v != "0" && !v.is_empty())
}

/// Check one file exactly as the CLI does (`check_all` also runs the cross-file rules, such
/// as duplicate projects, and sorts the diagnostics).
fn check_one(path: &str, bytes: Vec<u8>) -> FileReport {
    let mut report = check::check_all(vec![(path.to_string(), bytes)]);
    report.files.remove(0)
}

fn check_text(path: &str, text: &str) -> FileReport {
    check_one(path, text.as_bytes().to_vec())
}

/// Every diagnostic of the file rendered, each followed by a blank line as the CLI prints it.
fn render(f: &FileReport, lang: Lang) -> String {
    let opts = RenderOptions {
        lang,
        color: false,
        width: 100,
    };
    f.diagnostics
        .iter()
        .map(|d| diag::render_human(&f.path, &f.source, d, opts) + "\n")
        .collect()
}

fn codes(f: &FileReport) -> Vec<&'static str> {
    f.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

/// Compare `actual` with the file at `path`, or rewrite it under UPDATE_UI. A mismatch is
/// pushed to `failures` so that one run shows every case that differs.
fn expect_file(path: &Path, actual: &str, failures: &mut Vec<String>) {
    let shown = path
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string();
    let expected = std::fs::read_to_string(path).ok();
    if updating() {
        if expected.as_deref() != Some(actual) {
            std::fs::write(path, actual).unwrap();
            // Straight to stderr: the test harness captures eprintln! of passing tests.
            let _ = writeln!(std::io::stderr(), "UPDATE_UI: wrote {shown}");
        }
        return;
    }
    match expected {
        None => failures.push(format!(
            "{shown} is missing; run `UPDATE_UI=1 cargo test --test ui` and review it"
        )),
        Some(e) if e != actual => {
            failures.push(format!("{shown} differs:\n{}", diff(&e, actual)));
        }
        Some(_) => {}
    }
}

fn ui_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/ui"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn ui_cases() {
    let mut failures = Vec::new();
    let dirs = ui_dirs();
    assert!(
        dirs.len() >= 40,
        "expected a folder per code, found {}",
        dirs.len()
    );
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        if diag::lookup(&code).is_none() {
            failures.push(format!("tests/ui/{code}: not a registered code"));
            continue;
        }
        // Paths as a user in the crate root would type them, with forward slashes everywhere.
        let fail_path = format!("tests/ui/{code}/fail.perf");
        let bytes = match std::fs::read(dir.join("fail.perf")) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{fail_path}: {e}"));
                continue;
            }
        };
        let report = check_one(&fail_path, bytes);
        if !codes(&report).contains(&code.as_str()) {
            failures.push(format!(
                "{fail_path}: expected {code}, got {:?}",
                codes(&report)
            ));
        }
        expect_file(
            &dir.join("fail.stderr"),
            &render(&report, Lang::Zh),
            &mut failures,
        );
        let en = dir.join("fail.en.stderr");
        if en.exists() {
            expect_file(&en, &render(&report, Lang::En), &mut failures);
        }

        let pass_path = format!("tests/ui/{code}/pass.perf");
        match std::fs::read(dir.join("pass.perf")) {
            Ok(bytes) => {
                let report = check_one(&pass_path, bytes);
                if !report.diagnostics.is_empty() {
                    failures.push(format!(
                        "{pass_path}: expected no diagnostics, got:\n{}",
                        render(&report, Lang::Zh)
                    ));
                }
            }
            Err(e) => failures.push(format!("{pass_path}: {e}")),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn every_code_has_a_ui_case() {
    for rule in diag::RULES {
        if DEDICATED.contains(&rule.code) {
            continue;
        }
        for f in ["fail.perf", "fail.stderr", "pass.perf"] {
            let p = root().join("tests/ui").join(rule.code).join(f);
            assert!(p.is_file(), "{} has no {}", rule.code, p.display());
        }
    }
}

// ---------------------------------------------------------------------------------------
// The registry, the docs and the source agree.

/// `PS` followed by exactly three digits, wherever it occurs.
fn codes_in(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    let mut out = BTreeSet::new();
    for i in 0..b.len().saturating_sub(4) {
        let digits = &b[i + 2..i + 5];
        let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let after_ok = !matches!(b.get(i + 5), Some(c) if c.is_ascii_digit());
        if &b[i..i + 2] == b"PS" && digits.iter().all(u8::is_ascii_digit) && before_ok && after_ok {
            out.insert(String::from_utf8_lossy(&b[i..i + 5]).into_owned());
        }
    }
    out
}

#[test]
fn codes_used_in_the_source_are_registered_and_every_registered_code_is_used() {
    // Both crates: the core (rules, lowering, parser) and the CLI, import and emitters.
    let mut files = common::files_with_extension(&root().join("src"), "rs");
    files.extend(common::files_with_extension(
        &root().join("crates/perfspec-core/src"),
        "rs",
    ));
    let mut used = BTreeSet::new();
    for f in &files {
        if f.ends_with("diag/codes.rs") {
            continue;
        }
        used.extend(codes_in(&std::fs::read_to_string(f).unwrap()));
    }
    for c in &used {
        assert!(
            diag::lookup(c).is_some(),
            "{c} is used in the source but not registered"
        );
    }
    for r in diag::RULES {
        assert!(
            used.contains(r.code),
            "{} is registered but nothing in the source emits it",
            r.code
        );
    }
}

/// The fenced ```perf blocks of a Markdown text, in order.
fn perf_blocks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in md.lines() {
        match &mut cur {
            None if line.trim_start().starts_with("```perf") => cur = Some(String::new()),
            Some(b) if line.trim_start().starts_with("```") => {
                out.push(std::mem::take(b));
                cur = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_code_has_a_real_explanation_listed_in_the_index() {
    let index = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    for r in diag::RULES {
        let doc = r.doc;
        let title = format!("# {} {} ({})", r.code, r.title_zh, r.title_en);
        assert_eq!(
            doc.lines().next(),
            Some(title.as_str()),
            "docs/diagnostics/{}.md must start with the registered titles",
            r.code
        );
        assert!(!doc.contains("TODO"), "{} is still a placeholder", r.code);
        for section in [
            "检查什么",
            "为什么重要",
            "错误示例",
            "正确示例",
            "如何修复",
            "English",
        ] {
            assert!(
                doc.contains(section),
                "{} has no “{section}” section",
                r.code
            );
        }
        let sev = match r.severity {
            Severity::Error => "严重程度：错误（error）",
            Severity::Warning => "严重程度：警告（warning）",
        };
        assert!(doc.contains(sev), "{} does not say “{sev}”", r.code);
        let family = format!("规则族：`{}`", r.family);
        assert!(doc.contains(&family), "{} does not say “{family}”", r.code);
        let allow = format!("`# perfspec: allow {}`", r.code);
        match r.severity {
            Severity::Error => assert!(
                doc.contains("不能抑制"),
                "{}: errors cannot be allowed",
                r.code
            ),
            Severity::Warning if r.code != "PS404" => {
                assert!(doc.contains(&allow), "{} does not show {allow}", r.code)
            }
            Severity::Warning => {}
        }
        let link = format!("[{}](diagnostics/{}.md)", r.code, r.code);
        assert!(
            index.contains(&link),
            "docs/diagnostics.md does not list {link}"
        );
    }
}

/// The docs' examples are real: the bad one produces the code, the good one does not, and
/// neither has a syntax error unless the code is about syntax.
#[test]
fn doc_examples_do_what_they_say() {
    // Non-UTF-8 bytes and a 256 KiB line cannot be shown in a Markdown code block.
    const NO_EXAMPLE: &[&str] = &["PS006", "PS007"];
    let mut failures = Vec::new();
    for r in diag::RULES {
        if NO_EXAMPLE.contains(&r.code) {
            continue;
        }
        let blocks = perf_blocks(r.doc);
        if blocks.len() < 2 {
            failures.push(format!(
                "{}: needs a bad and a good ```perf example",
                r.code
            ));
            continue;
        }
        let bad = check_text("bad.perf", &blocks[0]);
        let good = check_text("good.perf", &blocks[1]);
        if !codes(&bad).contains(&r.code) {
            failures.push(format!(
                "{}: the bad example gives {:?}",
                r.code,
                codes(&bad)
            ));
        }
        if codes(&good).contains(&r.code) {
            failures.push(format!("{}: the good example still gives it", r.code));
        }
        // Syntax errors (PS001–PS007) only where the page is about one.
        if !r.code.starts_with("PS00") {
            for (which, f) in [("bad", &bad), ("good", &good)] {
                let syntax: Vec<_> = f
                    .diagnostics
                    .iter()
                    .filter(|d| d.code.as_str().starts_with("PS00") && d.is_error())
                    .map(|d| d.code.as_str())
                    .collect();
                if !syntax.is_empty() {
                    failures.push(format!("{}: the {which} example has {syntax:?}", r.code));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The suppression example of docs/diagnostics.md is valid: no syntax error, no unknown code,
/// and the three warnings it allows (PS108, PS310, PS307) stay silent.
#[test]
fn index_example_allows_what_it_says() {
    let index = std::fs::read_to_string(root().join("docs/diagnostics.md")).unwrap();
    let blocks = perf_blocks(&index);
    assert_eq!(blocks.len(), 1);
    let f = check_text("example.perf", &blocks[0]);
    for c in codes(&f) {
        assert!(
            !c.starts_with("PS00") && c != "PS404",
            "{}",
            render(&f, Lang::Zh)
        );
        assert!(
            !["PS108", "PS310", "PS307"].contains(&c),
            "{c} is not silenced"
        );
    }
    // Without the allow comments the same text does give PS307 and PS310.
    let bare: String = blocks[0]
        .lines()
        .map(|l| l.split("  # ").next().unwrap_or(l))
        .filter(|l| !l.contains("perfspec: allow"))
        .map(|l| l.to_string() + "\n")
        .collect();
    let got = codes(&check_text("example.perf", &bare));
    assert!(got.contains(&"PS307") && got.contains(&"PS310"), "{got:?}");
}

// ---------------------------------------------------------------------------------------
// PS006 and PS007: inputs that are not text, or not sane.

#[test]
fn ps007_line_over_the_limit_is_one_bounded_diagnostic() {
    let long = "数".repeat(perfspec::syntax::MAX_LINE_BYTES / 3 + 10);
    let text = format!("年度 2026\n# {long}\n");
    let f = check_text("long.perf", &text);
    assert_eq!(codes(&f), ["PS007"]);
    let d = &f.diagnostics[0];
    assert!(d.is_error());
    // It points at line 2 and the rendering stays short although the line is 256 KiB.
    let (line, col) = f.line_index().line_col(d.primary.span.start as usize);
    assert_eq!((line, col), (2, 1));
    let out = render(&f, Lang::Zh);
    assert!(out.contains("long.perf:2:1"), "{out}");
    assert!(out.len() < 4_000, "rendered {} bytes", out.len());

    // Just under the limit is read normally.
    let ok = "数".repeat(perfspec::syntax::MAX_LINE_BYTES / 3 - 10);
    let f = check_text("ok.perf", &format!("# {ok}\n"));
    assert!(!codes(&f).contains(&"PS007"), "{:?}", codes(&f));
}

#[test]
fn ps007_file_over_the_size_limit() {
    let line = "# 注释\n";
    let text = line.repeat(perfspec::syntax::MAX_FILE_BYTES / line.len() + 1);
    let f = check_text("big.perf", &text);
    assert_eq!(codes(&f), ["PS007"]);
    assert!(f.diagnostics[0].message.zh.contains("文件过大"));
}

#[test]
fn ps006_utf8_file_with_one_gbk_line_points_at_that_line() {
    let mut bytes = "年度 2026\n主管部门 上海市绿化和市容管理局\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xca\xb5\xca\xa9\xb5\xa5\xce\xbb x\n"); // 实施单位 in GBK
    let f = check_one("mixed.perf", bytes);
    assert_eq!(codes(&f), ["PS006"]);
    // GBK bytes can pass for UTF-8 for a character or two (`\xca\xb5` is U+02B5): the
    // diagnostic is at the first byte that cannot, here in line 3.
    let at = f.diagnostics[0].primary.span.start as usize;
    assert_eq!(f.line_index().line_col(at).0, 3);
    assert!(f.diagnostics[0]
        .message
        .zh
        .contains(&format!("第 {at} 字节")));
    // A NUL byte makes a file binary even when it is valid UTF-8.
    let f = check_one("nul.perf", b"\xe5\xb9\xb4\xe5\xba\xa6 2026\n\0\0".to_vec());
    assert_eq!(codes(&f), ["PS006"]);
}

#[test]
fn ps110_accepts_a_project_whose_indicators_are_all_placeholders() {
    // An imported form whose indicator table is missing (a page cut before it) says so with
    // `产出指标 待填` / `效益指标 待填`: PS114 warnings, not PS110; a required category with
    // neither a row nor a placeholder is still PS309 (and the recommended ones PS310).
    let pass = std::fs::read_to_string(root().join("tests/ui/PS110/fail.perf")).unwrap();
    let filled = replaced(
        &pass,
        "  \"\"\"\n}",
        "  \"\"\"\n\n  产出指标 待填  # 表中未找到：绩效指标\n  效益指标 待填\n}",
    );
    let f = check_text("tests/ui/PS110/fail.perf", &filled);
    assert_eq!(
        codes(&f),
        ["PS310", "PS310", "PS114", "PS114"],
        "{}",
        render(&f, Lang::Zh)
    );
    let half = replaced(&filled, "  效益指标 待填\n", "");
    let f = check_text("tests/ui/PS110/fail.perf", &half);
    assert!(codes(&f).contains(&"PS309"), "{}", render(&f, Lang::Zh));
    assert!(!codes(&f).contains(&"PS110"), "{}", render(&f, Lang::Zh));
}

// ---------------------------------------------------------------------------------------
// The issue's own examples, on the real seed form.

const SEED_01: &str = "specs/shanghai-lhsr-xzfwzx-2026/01-行业信访安全应急专项.perf";

fn seed_01() -> String {
    std::fs::read_to_string(root().join(SEED_01)).unwrap()
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from} must occur once");
    text.replace(from, to)
}

#[test]
fn seed_cost_indicator_in_ci_is_ps304() {
    let text = replaced(
        &seed_01(),
        "安全生产专业落实和咨询服务经费成本控制情况 ≤ 44.00 万元",
        "安全生产专业落实和咨询服务经费成本控制情况 ≤ 44.00 次",
    );
    let f = check_text(SEED_01, &text);
    // Exactly one diagnostic: the unit, not also "the caps are too low" for the cap it hid.
    assert_eq!(codes(&f), ["PS304"], "{}", render(&f, Lang::Zh));
    let d = &f.diagnostics[0];
    assert!(d.is_error());
    assert_eq!(&text[d.primary.span.range()], "次");
    assert!(d.message.zh.contains("经济成本指标") && d.message.zh.contains("次"));
}

#[test]
fn seed_caps_over_the_funding_is_ps202_naming_both_sums() {
    // 45.00 + 27.18 + 28.00 万元 = 1,001,800.00 元 > 991,823.00 元.
    let text = replaced(&seed_01(), "≤ 44.00 万元", "≤ 45.00 万元");
    let f = check_text(SEED_01, &text);
    assert_eq!(codes(&f), ["PS202"], "{}", render(&f, Lang::Zh));
    let d = &f.diagnostics[0];
    assert!(d.is_error());
    for m in [&d.message.zh, &d.message.en] {
        assert!(m.contains("1,001,800.00"), "{m}");
        assert!(m.contains("991,823.00"), "{m}");
        assert!(m.contains("9,977.00"), "the excess: {m}");
    }
    // The stated total and every other cap are labelled.
    assert_eq!(d.secondary.len(), 3);
}

#[test]
fn caps_are_compared_exactly_to_the_fen() {
    // 44.0023 万元 = 440,023.00 元 brings the caps to exactly 991,823.00 元: allowed.
    let exact = replaced(&seed_01(), "≤ 44.00 万元", "≤ 44.0023 万元");
    assert_eq!(codes(&check_text(SEED_01, &exact)), Vec::<&str>::new());
    // One fen more is over.
    let over = replaced(&seed_01(), "≤ 44.00 万元", "≤ 44.002301 万元");
    let f = check_text(SEED_01, &over);
    assert_eq!(codes(&f), ["PS202"]);
    assert!(
        f.diagnostics[0].message.zh.contains("0.01 元"),
        "{}",
        f.diagnostics[0].message.zh
    );
}

#[test]
fn seed_specs_are_clean() {
    let dir = root().join("specs");
    let mut inputs = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "perf") {
            inputs.push((
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    assert!(inputs.len() >= 4);
    let report = check::check_all(inputs);
    for f in &report.files {
        assert!(f.diagnostics.is_empty(), "{}", render(f, Lang::Zh));
    }
}

// ---------------------------------------------------------------------------------------
// One mistake, one diagnostic: what failed is not reported again by the rules after it.

fn base() -> String {
    std::fs::read_to_string(root().join("tests/ui/PS307/pass.perf")).unwrap()
}

#[test]
fn one_mistake_is_one_diagnostic() {
    let cases = [
        // A malformed amount is not also a total that does not add up.
        (
            "年度资金申请总额 720,000.00",
            "年度资金申请总额 72,0000.00",
            "PS004",
        ),
        (
            "当年财政拨款 720,000.00",
            "当年财政拨款 7,20,000.00",
            "PS004",
        ),
        // A forgotten total is a sum that does not add up, not also a zero request.
        (
            "年度资金申请总额 720,000.00",
            "年度资金申请总额 0.00",
            "PS201",
        ),
        // A malformed target is not also "always met" (it was read as 0).
        ("≥ 30000 件", "≥ 30,00 件", "PS004"),
        // A refused funding entry is not also a missing part of the total.
        (
            "当年财政拨款 720,000.00",
            "当年财政拨款 720,000.001",
            "PS204",
        ),
        ("当年财政拨款 720,000.00", "财政拨款款 720,000.00", "PS208"),
        (
            "当年财政拨款 720,000.00",
            "当年财政拨款 720,000.00 次",
            "PS209",
        ),
        (
            "当年财政拨款 720,000.00",
            "当年财政拨款 -720,000.00",
            "PS205",
        ),
        // A cost line that is not understood is not also "the caps are too low".
        ("≤ 72.00 万元", "≤ 72.00 万园", "PS303"),
        ("≤ 72.00 万元", "≤ 72.00 次", "PS304"),
        ("  经济成本 前端", "  经挤成本 前端", "PS301"),
        // A broken line is not also a missing category.
        (
            "社会效益 有责投诉率 ≤ 0.01 %",
            "社会效益 有责投诉率 ≤",
            "PS001",
        ),
    ];
    for (from, to, code) in cases {
        let text = replaced(&base(), from, to);
        let f = check_text("t.perf", &text);
        assert_eq!(
            codes(&f),
            [code],
            "{from} → {to}:\n{}",
            render(&f, Lang::Zh)
        );
    }
}

#[test]
fn unknown_unit_suggests_the_likely_one() {
    for (typo, want) in [
        ("万园", "万元"),
        ("人欠", "人次"),
        ("小事", "小时"),
        ("次数", "次"),
    ] {
        let text = replaced(&base(), "≥ 30000 件", &format!("≥ 30000 {typo}"));
        let f = check_text("t.perf", &text);
        assert_eq!(codes(&f), ["PS303"]);
        let m = &f.diagnostics[0].message.zh;
        assert!(m.contains(&format!("是否想写 “{want}”")), "{typo}: {m}");
    }
}

#[test]
fn deadline_written_with_at_least_is_ps307() {
    let text = replaced(
        &base(),
        "突发诉求响应时间 ≤ 24 小时",
        "年度台账归档 ≥ 2026-06-30",
    );
    let f = check_text("t.perf", &text);
    assert_eq!(codes(&f), ["PS307"]);
}

// ---------------------------------------------------------------------------------------
// Suppression.

#[test]
fn trailing_allow_silences_its_own_line_only() {
    let text = replaced(
        &base(),
        "  服务对象满意度 市民满意度 ≥ 85 %\n",
        "  服务对象满意度 市民满意度 ≤ 85 %  # perfspec: allow PS307\n  服务对象满意度 企业满意度 ≤ 90 %\n",
    );
    let f = check_text("t.perf", &text);
    assert_eq!(codes(&f), ["PS307"]);
    let (line, _) = f
        .line_index()
        .line_col(f.diagnostics[0].primary.span.start as usize);
    assert_eq!(
        text.lines().nth(line - 1).unwrap().trim(),
        "服务对象满意度 企业满意度 ≤ 90 %"
    );
}

#[test]
fn own_line_allow_silences_its_project_only() {
    let one = replaced(&base(), "市民满意度 ≥ 85 %", "市民满意度 ≤ 85 %");
    let allowed = replaced(
        &one,
        "  性质 其他经常性项目\n",
        "  # perfspec: allow PS307, PS203\n  性质 其他经常性项目\n",
    );
    // The same project again under another name, without the comment.
    let project = &one[one.find("项目 ").unwrap()..];
    let second = project.replace("项目 热线服务保障经费 {", "项目 热线服务保障经费二期 {");
    let text = format!("{allowed}\n{second}");
    let f = check_text("t.perf", &text);
    assert_eq!(codes(&f), ["PS307"], "{}", render(&f, Lang::Zh));
    assert!(f.diagnostics[0].primary.span.start as usize > allowed.len());
}

#[test]
fn file_level_allow_covers_the_whole_file() {
    let text = replaced(&base(), "市民满意度 ≥ 85 %", "市民满意度 ≤ 85 %");
    let text = format!("# perfspec: allow PS307\n{text}");
    assert_eq!(codes(&check_text("t.perf", &text)), Vec::<&str>::new());
}

#[test]
fn errors_are_never_silenced() {
    let text = replaced(
        &base(),
        "≤ 72.00 万元",
        "≤ 72.00 次  # perfspec: allow PS304",
    );
    let text = format!("# perfspec: allow PS304\n{text}");
    let f = check_text("t.perf", &text);
    assert_eq!(codes(&f), ["PS304"]);
}

#[test]
fn unknown_code_in_an_allow_is_ps404_and_silences_nothing() {
    let text = replaced(
        &base(),
        "市民满意度 ≥ 85 %",
        "市民满意度 ≤ 85 %  # perfspec: allow PS3O7",
    );
    let f = check_text("t.perf", &text);
    let mut got = codes(&f);
    got.sort();
    assert_eq!(got, ["PS307", "PS404"]);
    let d = f.diagnostics.iter().find(|d| d.code == "PS404").unwrap();
    assert!(d.message.zh.contains("PS3O7"));
    assert_eq!(&text[d.primary.span.range()], "# perfspec: allow PS3O7");
}

// ---------------------------------------------------------------------------------------
// The binary: JSON lines, exit codes, many files in one run.

fn perfspec() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_perfspec"));
    c.current_dir(root());
    c
}

/// A folder holding UI inputs as `<name>.perf`, each project renamed after its file so that
/// two inputs are not one project declared twice (PS104).
fn workdir(cases: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, case) in cases {
        let text = std::fs::read_to_string(root().join("tests/ui").join(case)).unwrap();
        let text = text.replace("项目 热线服务保障经费 {", &format!("项目 {name} {{"));
        std::fs::write(dir.path().join(format!("{name}.perf")), text).unwrap();
    }
    dir
}

#[test]
fn json_lines_have_the_documented_keys_and_character_columns() {
    let dir = workdir(&[("甲", "PS307/fail.perf"), ("乙", "PS201/fail.perf")]);
    let out = perfspec()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "甲.perf", "乙.perf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "PS201 is an error");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let keys = [
        "code",
        "severity",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "start",
        "end",
        "message",
        "help",
    ];
    for l in &lines {
        let obj = l.as_object().unwrap();
        let got: Vec<&str> = obj.keys().map(|k| k.as_str()).collect();
        assert_eq!(got, keys);
    }
    let d = lines.iter().find(|l| l["code"] == "PS307").unwrap();
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["file"], "甲.perf");
    // The comparator of `  服务对象满意度 市民满意度 ≤ 85 %`, counted in characters.
    let text = std::fs::read_to_string(dir.path().join("甲.perf")).unwrap();
    let (n, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("市民满意度 ≤"))
        .unwrap();
    let col = line.chars().position(|c| c == '≤').unwrap() + 1;
    assert_eq!(col, 17);
    assert_eq!(d["line"], n + 1);
    assert_eq!(d["column"], col);
    assert_eq!(d["end_line"], n + 1);
    assert_eq!(d["end_column"], col + 1);
    let (s, e) = (
        d["start"].as_u64().unwrap() as usize,
        d["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "≤");
    assert!(d["message"].as_str().unwrap().contains("方向可疑"));
    assert!(d["help"]
        .as_str()
        .unwrap()
        .contains("# perfspec: allow PS307"));

    let en = perfspec()
        .args([
            "check",
            "--format",
            "json",
            "--lang",
            "en",
            "tests/ui/PS307/fail.perf",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8(en.stdout).unwrap().trim()).unwrap();
    assert!(
        v["message"].as_str().unwrap().contains("looks reversed"),
        "{v}"
    );
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let status = |args: &[&str]| perfspec().args(args).output().unwrap().status.code();
    let warn = "tests/ui/PS307/fail.perf";
    let clean = "tests/ui/PS307/pass.perf";
    let error = "tests/ui/PS304/fail.perf";
    assert_eq!(status(&["check", warn]), Some(0));
    assert_eq!(status(&["check", "--deny-warnings", warn]), Some(1));
    assert_eq!(status(&["check", "--deny-warnings", clean]), Some(0));
    assert_eq!(status(&["check", error]), Some(1));
    assert_eq!(
        status(&["check", "--format", "json", "--deny-warnings", warn]),
        Some(1)
    );
}

#[test]
fn all_errors_of_all_files_in_one_run() {
    let dir = workdir(&[("a", "PS304/fail.perf"), ("b", "PS201/fail.perf")]);
    let out = perfspec()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("a.perf:21:"), "{stderr}");
    assert!(stderr.contains("b.perf:11:"), "{stderr}");
    assert!(
        stderr.contains("PS304") && stderr.contains("PS201"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 个文件") && stderr.contains("2 个错误"),
        "{stderr}"
    );
}

#[test]
fn lang_en_renders_english() {
    let out = perfspec()
        .args([
            "--lang",
            "en",
            "check",
            "--color",
            "never",
            "tests/ui/PS304/fail.perf",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cannot take the unit “次” (count)"),
        "{stderr}"
    );
    assert!(stderr.contains("1 errors"), "{stderr}");
}

#[test]
fn explain_prints_the_doc_file() {
    let out = perfspec().args(["explain", "ps307"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc = std::fs::read_to_string(root().join("docs/diagnostics/PS307.md")).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), doc);
    let out = perfspec().args(["explain", "PS999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The real examples of docs/templates.md check without errors.
#[test]
fn template_examples_check_without_errors() {
    let doc = std::fs::read_to_string(root().join("docs/templates.md")).unwrap();
    let blocks = perf_blocks(&doc);
    assert!(
        blocks.len() >= 4,
        "docs/templates.md has {} examples",
        blocks.len()
    );
    for (i, b) in blocks.iter().enumerate() {
        let r = check::check_source("templates.perf", b);
        assert!(
            !r.has_errors(),
            "example {i} of docs/templates.md:\n{b}\n{:#?}",
            r.diagnostics
        );
    }
}
