//! A broken file must cost no more than a good one (issue 21): diagnostics in linear time,
//! one per cause, and a cap on what is printed.
//!
//! Growth is measured without a clock (fuzz/src/growth.rs): allocations, bytes allocated
//! and bytes printed, for a unit of text repeated k and 4 k times. The same check runs as
//! the `growth` fuzz target. Wall-clock numbers are in docs/performance.md
//! (`scripts/bench.py --broken`).

mod common;

#[path = "../fuzz/src/growth.rs"]
mod growth;

use proptest::prelude::*;
use serde_json::Value;

#[global_allocator]
static ALLOC: growth::CountingAlloc = growth::CountingAlloc;

const HEADER: &str = "年度 2026\n主管部门 上海市绿化和市容管理局\n实施单位 行政服务中心\n";

/// The shapes of `scripts/bench.py --broken`, as units to repeat.
const SHAPES: &[(&str, &str)] = &[
    ("unclosed", "项目 a {\n"),
    ("unclosed with a body", "项目 a {\n  数量 指标 ≥ 1 件\n"),
    ("syntax errors", "???\n"),
    (
        "unclosed text",
        "项目 p {\n  年度总体目标 \"\"\"\n    目标\n}\n",
    ),
    ("stray text markers", "\"\"\"\n"),
    ("braces", "{"),
    ("brace lines", "{\n"),
    ("closing braces", "}\n"),
    ("duplicate projects", "项目 a {\n  数量 指标 ≥ 1 件\n}\n"),
    (
        "allow comments",
        "# perfspec: allow PS305\n# perfspec: allow PS999\n",
    ),
    ("mixed line ends", "???\r\n???\r???\n"),
    ("lone CR", "???\r"),
    (
        "bidi controls",
        "项目 \u{202E}a {\n  数量 指\u{200B}标 ≥ 1 件\n}\n",
    ),
    ("funding opened", "资金 {\n"),
];

#[test]
fn every_hostile_shape_grows_linearly() {
    for (name, unit) in SHAPES {
        for text in [unit.to_string(), format!("{HEADER}项目 p {{\n{unit}")] {
            if let Err(e) = growth::check_growth(&text, 200) {
                panic!("{name}: {e}");
            }
        }
    }
}

#[test]
fn duplicate_indicators_and_a_giant_goal_grow_linearly() {
    // Inside one project: every indicator a duplicate of the first (PS308 points back to
    // it), a goal text given twice, allow comments beside warnings.
    for unit in [
        "  数量 指标 ≥ 1 件\n",
        "  年度总体目标 \"\"\"\n    目标文字\n  \"\"\"\n",
        "  # perfspec: allow PS305\n  数量 指标 1 件\n",
        "    目标文字目标文字\n",
    ] {
        let small = format!(
            "{HEADER}项目 p {{\n  年度总体目标 \"\"\"\n{}",
            unit.repeat(500)
        );
        let big = format!(
            "{HEADER}项目 p {{\n  年度总体目标 \"\"\"\n{}",
            unit.repeat(2000)
        );
        let (s, b) = (growth::cost(&small), growth::cost(&big));
        for (what, s, b) in [
            ("allocations", s.allocations, b.allocations),
            ("bytes", s.bytes, b.bytes),
            ("human", s.human as u64, b.human as u64),
            ("json", s.json as u64, b.json as u64),
        ] {
            assert!(b <= 5 * s + 64 * 1024, "{unit:?} {what}: {s} → {b}");
        }
    }
}

/// Lines a half-written or hostile file is made of.
const FRAGMENTS: &[&str] = &[
    "项目 a {",
    "项目 \"b\" {",
    "}",
    "{",
    "{{{{",
    "???",
    "\"\"\"",
    "  年度总体目标 \"\"\"",
    "  年度总体目标 目标",
    "  数量 指标 ≥ 1 件",
    "  数量 指标 ≥",
    "  数量 指标 1 件",
    "  经济成本 成本 ≤ 72.00 万元",
    "  资金 {",
    "    当年财政拨款 1,00,0",
    "  期间 2026-02-30 至 2025-01-01",
    "# perfspec: allow PS305",
    "  # perfspec: allow PS311, PS999",
    "年度 2026",
    "计量单位 株 计数",
    "\u{202E}\u{200B}",
    "",
];

const ENDS: &[&str] = &["\n", "\r\n", "\r"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any unit of up to eight such lines, repeated: 4× the copies cost at most 5× the
    /// work and the output.
    #[test]
    fn broken_units_grow_linearly(
        lines in prop::collection::vec((0..FRAGMENTS.len(), 0..ENDS.len()), 1..8),
        header in any::<bool>(),
    ) {
        let mut unit = String::new();
        for (f, e) in lines {
            unit.push_str(FRAGMENTS[f]);
            unit.push_str(ENDS[e]);
        }
        let text = if header { format!("{HEADER}{unit}") } else { unit.clone() };
        // The header once, the unit repeated: build the two sizes by hand.
        let small = format!("{}{}", if header { HEADER } else { "" }, unit.repeat(100));
        let big = format!("{}{}", if header { HEADER } else { "" }, unit.repeat(400));
        let (s, b) = (growth::cost(&small), growth::cost(&big));
        for (what, s, b) in [
            ("allocations", s.allocations, b.allocations),
            ("bytes", s.bytes, b.bytes),
            ("human", s.human as u64, b.human as u64),
            ("json", s.json as u64, b.json as u64),
        ] {
            prop_assert!(b <= 5 * s + 64 * 1024, "{what}: {s} → {b} for {text:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// One cause, one diagnostic

fn codes(text: &str) -> Vec<&'static str> {
    let mut r = perfspec::check::check_all(vec![("f.perf".into(), text.as_bytes().to_vec())]);
    r.files
        .remove(0)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn unclosed_blocks_in_a_row_are_one_ps002() {
    let open = "项目 a {\n".repeat(1000);
    assert_eq!(codes(&format!("{HEADER}{open}")), ["PS002"]);
    let bodies = "项目 a {\n  数量 指标 ≥ 1 件\n".repeat(1000);
    assert_eq!(codes(&format!("{HEADER}{bodies}")), ["PS002"]);
    // Without a header, the header's own finding stays: one more cause.
    assert_eq!(codes(&open), ["PS101", "PS002"]);
    // The message counts the blocks; the last one is pointed at.
    let r = perfspec::check::check_source("f.perf", &format!("{HEADER}{open}"));
    let d = &r.diagnostics[0];
    assert!(
        d.message.zh.contains("及其后 999 个项目块"),
        "{}",
        d.message.zh
    );
    assert_eq!(d.secondary.len(), 1);
}

#[test]
fn a_forgotten_brace_before_a_closed_project_is_checked_as_before() {
    let good = "  性质 其他经常性项目\n  类别 特定目标类\n";
    let text = format!("{HEADER}项目 a {{\n{good}项目 b {{\n{good}}}\n");
    let c = codes(&text);
    assert_eq!(c.iter().filter(|c| **c == "PS002").count(), 1, "{c:?}");
    // Both projects are still checked (each lacks its period, goal, funding, indicators).
    assert_eq!(c.iter().filter(|c| **c == "PS107").count(), 2, "{c:?}");
}

#[test]
fn an_empty_unclosed_header_is_only_its_ps002() {
    let text = format!("{HEADER}项目 a {{\n\n# 注释\n");
    assert_eq!(codes(&text), ["PS002"]);
}

// ---------------------------------------------------------------------------------------
// The cap, through the binary

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn forty_thousand_unclosed_lines_print_little_in_both_formats() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "open.perf", &"项目 a {\n".repeat(40_000));
    let out = common::perfspec(dir.path(), &["check", "open.perf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.len() < 2_000_000, "{} bytes", out.stderr.len());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("及其后 39999 个项目块"), "{err}");
    let out = common::perfspec(dir.path(), &["check", "open.perf", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.len() < 2_000_000);
}

#[test]
fn the_cap_prints_the_first_diagnostics_and_counts_the_rest_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.perf", &"???\n".repeat(250));
    write(dir.path(), "b.perf", &"???\n".repeat(3));
    // Human: 100 of a.perf, then one line counting the other 150 by code; the summary
    // counts all 253, and the exit status is that of the errors.
    let out = common::perfspec(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("\nPS001\n").count() + usize::from(err.starts_with("PS001\n")),
        103
    );
    assert!(
        err.contains("a.perf：另有 150 条诊断未显示（PS001 150 条）"),
        "{err}"
    );
    assert!(err.contains("253 个错误"), "{err}");
    // English, and a smaller cap per file and in all.
    let out = common::perfspec(
        dir.path(),
        &[
            "--lang",
            "en",
            "check",
            ".",
            "--max-diagnostics",
            "2",
            "--max-diagnostics-total",
            "3",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.perf: 248 more diagnostics not shown (PS001 ×248)"),
        "{err}"
    );
    assert!(
        err.contains("b.perf: 2 more diagnostics not shown (PS001 ×2); the limit for the run"),
        "{err}"
    );
    assert!(err.contains("253 errors"), "{err}");
    // No cap.
    let out = common::perfspec(
        dir.path(),
        &[
            "check",
            ".",
            "--max-diagnostics",
            "0",
            "--max-diagnostics-total",
            "0",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("未显示"), "{err}");

    // JSON: the diagnostics shown, then one object per file saying what was left out.
    let out = common::perfspec(
        dir.path(),
        &["check", ".", "--format", "json", "--max-diagnostics", "10"],
    );
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let shown = lines.iter().filter(|v| v.get("code").is_some()).count();
    assert_eq!(shown, 13);
    let omitted: Vec<&Value> = lines
        .iter()
        .filter(|v| v.get("omitted").is_some())
        .collect();
    assert_eq!(omitted.len(), 1);
    assert_eq!(omitted[0]["file"], "a.perf");
    assert_eq!(omitted[0]["omitted"], 240);
    assert_eq!(omitted[0]["omitted_errors"], 240);
    assert_eq!(omitted[0]["omitted_warnings"], 0);
    assert_eq!(omitted[0]["omitted_by_code"]["PS001"], 240);
}

#[test]
fn a_file_entirely_past_the_total_is_counted_on_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["a.perf", "b.perf", "c.perf"] {
        write(dir.path(), name, &"???\n".repeat(5));
    }
    let out = common::perfspec(dir.path(), &["check", ".", "--max-diagnostics-total", "5"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("另有 2 个文件的 10 条诊断未显示（PS001 10 条）"),
        "{err}"
    );
    assert!(err.contains("15 个错误"), "{err}");
}
