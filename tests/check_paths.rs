//! The checker has one path over a file's items, fed two ways: by the parser one item at a
//! time (`check_source`: each project lowered as soon as it is parsed, so a big file's
//! syntax tree never exists whole; the header taken from the lines before the first
//! project, and the file checked again with the header scanned first when a header line
//! follows a project), and from a tree already parsed (`check_tree`: the header scanned
//! over the tree, the parser's diagnostics all known from the start). Both must give the
//! same model and the same diagnostics in the same order.

mod common;
use perfspec::check::{check_source, check_tree};
use std::path::Path;

fn same(path: &str, text: &str) {
    let streamed = check_source(path, text);
    let (tree, syntax) = perfspec::syntax::parse(text);
    let whole = check_tree(path, text, &tree, &syntax);
    assert_eq!(
        format!("{:#?}", (&streamed.projects, &streamed.diagnostics)),
        format!("{:#?}", (&whole.projects, &whole.diagnostics)),
        "{path}: the project-at-a-time check differs from the check of the parsed tree"
    );
    assert_eq!(streamed.indicator_count, whole.indicator_count, "{path}");
}

#[test]
fn every_spec_and_fixture_checks_the_same_both_ways() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["specs", "tests", "docs"] {
        files.extend(common::files_with_extension(&root.join(dir), "perf"));
    }
    assert!(files.len() > 50, "only {} spec files found", files.len());
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue; // non-UTF-8 fixtures are refused before either path runs
        };
        same(&f.display().to_string(), &text);
    }
}

const PROJECT: &str = "项目 甲 {
  性质 其他经常性项目
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    当年财政拨款 100.00
  }
  年度总体目标 完成
  经济成本 成本控制情况 ≤ 0.01 万元
  数量 完成数量 ≥ 3 株
  社会效益 处置率 = 100.00 %
  服务对象满意度 满意度 ≥ 90 %
}
";

#[test]
fn header_lines_after_a_project_still_apply_to_it() {
    // 实施单位 and the unit 株 are declared after the project that uses them.
    let late =
        format!("年度 2026\n主管部门 甲局\n\n{PROJECT}\n实施单位 甲中心\n计量单位 株 计数\n");
    same("late.perf", &late);
    let r = check_source("late.perf", &late);
    assert_eq!(r.projects[0].unit, "甲中心");
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.code != "PS301" && d.code != "PS302"),
        "{:?}",
        r.diagnostics
    );
    // A year after the project, a header field given twice after it.
    same("year.perf", &format!("{PROJECT}\n年度 2026\n"));
    same(
        "twice.perf",
        &format!("年度 2026\n实施单位 甲\n{PROJECT}\n实施单位 乙\n"),
    );
}

#[test]
fn broken_and_odd_files_check_the_same_both_ways() {
    let header = "年度 2026\n主管部门 甲局\n实施单位 甲中心\n";
    let cases = [
        String::new(),
        "\u{FEFF}".to_string(),
        header.to_string(),
        format!("\u{FEFF}{header}{PROJECT}"),
        // An allow comment at top level, in a project, and one naming no code.
        format!("# perfspec: allow PS205\n{header}{PROJECT}# perfspec: allow PS999\n"),
        format!(
            "{header}{}",
            PROJECT.replace(
                "年度总体目标 完成",
                "年度总体目标 完成 # perfspec: allow PS107"
            )
        ),
        // Syntax errors inside projects: an unclosed text block, a bad digit, a bad line.
        format!(
            "{header}{}",
            PROJECT.replace("年度总体目标 完成", "年度总体目标 \"\"\"\n未完")
        ),
        format!("{header}{}", PROJECT.replace("≥ 3 株", "≥ 3O 株")),
        format!(
            "{header}{}",
            PROJECT.replace("  类别 特定目标类\n", "  ???\n")
        ),
        // A project missing its `}` before the next one, and the same name twice.
        format!(
            "{header}{}{PROJECT}",
            PROJECT.trim_end().trim_end_matches('}')
        ),
        format!("{header}{PROJECT}{PROJECT}"),
        // Bad lines between projects, CRLF line ends.
        format!("{header}{PROJECT}这不是一行规格\n{PROJECT}").replace('\n', "\r\n"),
        // Over the line limit: the file is one PS007 and nothing else.
        format!("{header}{PROJECT}# {}\n", "长".repeat(100_000)),
    ];
    for (i, text) in cases.iter().enumerate() {
        same(&format!("case{i}.perf"), text);
    }
}

#[test]
fn a_file_of_many_projects_checks_the_same_both_ways() {
    let mut text = String::from("年度 2026\n主管部门 甲局\n实施单位 甲中心\n计量单位 株 计数\n");
    for i in 0..300 {
        text.push('\n');
        text.push_str(&PROJECT.replace("项目 甲", &format!("项目 甲{i}")));
    }
    same("many.perf", &text);
    assert_eq!(check_source("many.perf", &text).projects.len(), 300);
}
