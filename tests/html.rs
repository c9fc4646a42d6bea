//! `perfspec build --format html`: the printable 申报表 (src/emit/html.rs, templates/).

use perfspec::check::check_all;
use perfspec::emit::html;
use std::path::Path;
use std::process::Command;

const MANIFEST: &str = env!("CARGO_MANIFEST_DIR");

/// Every spec under `dir`, sorted and named as the CLI names them (relative, `/`).
fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(MANIFEST);
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root.join(dir))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "perf"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn render(inputs: Vec<(String, Vec<u8>)>) -> String {
    let report = check_all(inputs);
    assert!(!report.has_errors(), "the test specs must check cleanly");
    html::to_string(&report.model()).unwrap()
}

fn render_str(files: &[(&str, &str)]) -> String {
    render(
        files
            .iter()
            .map(|(p, s)| (p.to_string(), s.as_bytes().to_vec()))
            .collect(),
    )
}

fn specs() -> String {
    render(inputs("specs"))
}

fn injection() -> String {
    render(inputs("tests/fixtures/html-injection.perf"))
}

/// Two units, a multi-year project with the whole-life column filled and a two-paragraph
/// 项目总目标, and categories that come back after another one (数量, 质量, 数量; 成本 last
/// but one).
const MULTI_YEAR: &str = "年度 2026
主管部门 某某局
实施单位 甲单位

项目 多年期项目 {
  性质 阶段性项目
  类别 特定目标类
  期间 2025-01-01 至 2027-12-31
  资金 {
    项目资金总额 3,000,000.00
    财政资金 2,500,000.00
    项目其他资金 500,000.00
    年度资金申请总额 1,200,000.00
    当年财政拨款 1,000,000.00
    上年结转资金 150,000.00
    其他资金 50,000.00
  }
  项目总目标 \"\"\"
    三年内建成系统。

    第二段：分期验收。
  \"\"\"
  年度总体目标 完成年度任务
  数量 甲类任务 ≥ 10 件
  质量 验收合格率 = 100 %
  数量 乙类任务 ≥ 5 件
  经济成本 建设成本 ≤ 100.00 万元
  社会效益 服务水平 = 提高
  服务对象满意度 满意度 ≥ 90 %
}
";

const OTHER_UNIT: &str = "年度 2026
主管部门 某某局
实施单位 乙单位

项目 乙单位项目 {
  性质 一次性项目
  类别 特定目标类
  期间 2026-03-01 至 2026-10-31
  资金 {
    年度资金申请总额 12,345.67
    当年财政拨款 12,345.67
  }
  年度总体目标 完成
  数量 任务 ≥ 1 件
  社会效益 效果 = 提高
}
";

fn two_units() -> String {
    render_str(&[("a.perf", MULTI_YEAR), ("b.perf", OTHER_UNIT)])
}

// ---------------------------------------------------------------------------------------
// A small reader for the emitted HTML. Escaped text never holds `<`, so every `<` starts a
// tag the template wrote.

struct Tag<'a> {
    name: &'a str,
    closing: bool,
    /// Everything between the name and `>`.
    attrs: &'a str,
    /// Where the tag ends in the page.
    end: usize,
}

fn tags(html: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(i) = html[rest..].find('<') {
        let start = rest + i + 1;
        let end = start + html[start..].find('>').expect("unclosed tag");
        let inner = &html[start..end];
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(s) => (true, s),
            None => (false, inner),
        };
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        out.push(Tag {
            name: &inner[..name_end],
            closing,
            attrs: &inner[name_end..],
            end: end + 1,
        });
        rest = end + 1;
    }
    out
}

/// A tag's attributes as (name, value); the template always quotes values with `"`.
fn attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_string();
        rest = &rest[name_end..];
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix("=\"") {
            let end = r.find('"').expect("unquoted attribute");
            value = r[..end].to_string();
            rest = &r[end + 1..];
        }
        out.push((name, value));
        rest = rest.trim_start();
    }
    out
}

fn attr(s: &str, name: &str) -> Option<String> {
    attrs(s)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn span(attrs: &str, name: &str) -> usize {
    attr(attrs, name).map_or(1, |v| v.parse().unwrap())
}

/// The text up to the next tag.
fn text_after(html: &str, tag: &Tag<'_>) -> String {
    html[tag.end..].split('<').next().unwrap().to_string()
}

/// One form's indicator table: for each `<th rowspan>` in the 一级 / 二级 columns, its name
/// and rowspan, in order.
fn merged_cells(form: &str) -> Vec<(String, usize)> {
    let table = &form[form.find("<table class=\"indicators\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    tags(table)
        .iter()
        .filter(|t| t.name == "th" && !t.closing && t.attrs.contains("scope=\"row\""))
        .filter(|t| t.attrs.contains("rowspan="))
        .map(|t| (text_after(table, t), span(t.attrs, "rowspan")))
        .collect()
}

fn forms(html: &str) -> Vec<&str> {
    html.split("<section class=\"sheet form\"")
        .skip(1)
        .collect()
}

/// Lay out every table as the HTML table model does and check that each row group is a
/// rectangle: no holes, no overlaps, every row as wide as the table's first, and no rowspan
/// reaching past its row group.
fn assert_tables_rectangular(html: &str) -> usize {
    let mut tables = 0;
    let mut width = 0;
    // Per column: how many rows below the current one a cell from above still covers.
    let mut covered: Vec<usize> = Vec::new();
    // The current row: which slots are taken, and what each new cell will cover below.
    let mut taken: Vec<bool> = Vec::new();
    let mut below: Vec<usize> = Vec::new();
    let mut rows_in_table = 0;
    for t in tags(html) {
        match (t.name, t.closing) {
            ("table", false) => {
                tables += 1;
                rows_in_table = 0;
                covered.clear();
            }
            ("thead" | "tbody", _) => {
                assert!(
                    covered.iter().all(|&n| n == 0),
                    "a rowspan runs past its row group"
                )
            }
            ("tr", false) => {
                taken = covered.iter().map(|&n| n > 0).collect();
                below = covered.iter().map(|&n| n.saturating_sub(1)).collect();
            }
            ("td" | "th", false) => {
                let col = taken.iter().position(|t| !t).unwrap_or(taken.len());
                let (cs, rs) = (span(t.attrs, "colspan"), span(t.attrs, "rowspan"));
                if taken.len() < col + cs {
                    taken.resize(col + cs, false);
                    below.resize(col + cs, 0);
                }
                for c in col..col + cs {
                    assert!(!taken[c], "overlapping cells");
                    taken[c] = true;
                    below[c] = rs - 1;
                }
            }
            ("tr", true) => {
                assert!(taken.iter().all(|t| *t), "a hole in a row");
                if rows_in_table == 0 {
                    width = taken.len();
                }
                assert_eq!(taken.len(), width, "rows of different widths");
                rows_in_table += 1;
                covered = std::mem::take(&mut below);
            }
            _ => {}
        }
    }
    tables
}

// ---------------------------------------------------------------------------------------

#[test]
fn snapshot_specs() {
    insta::assert_snapshot!("specs", specs());
}

#[test]
fn snapshot_injection() {
    insta::assert_snapshot!("injection", injection());
}

#[test]
fn snapshot_two_units_multi_year() {
    insta::assert_snapshot!("two_units_multi_year", two_units());
}

#[test]
fn same_input_same_bytes() {
    assert_eq!(specs(), specs());
    assert_eq!(two_units(), two_units());
}

#[test]
fn seed_forms_merge_cells_as_the_form_does() {
    let html = specs();
    let forms = forms(&html);
    let expected: [&[(&str, usize)]; 4] = [
        &[
            ("成本指标", 3),
            ("经济成本指标", 3),
            ("产出指标", 16),
            ("数量指标", 10),
            ("质量指标", 3),
            ("时效指标", 3),
            ("效益指标", 3),
            ("社会效益指标", 2),
            ("可持续影响指标", 1),
            ("满意度指标", 1),
            ("服务对象满意度指标", 1),
        ],
        &[
            ("成本指标", 7),
            ("经济成本指标", 7),
            ("产出指标", 12),
            ("数量指标", 5),
            ("质量指标", 4),
            ("时效指标", 3),
            ("效益指标", 3),
            ("社会效益指标", 3),
            ("满意度指标", 1),
            ("服务对象满意度指标", 1),
        ],
        &[
            ("成本指标", 3),
            ("经济成本指标", 3),
            ("产出指标", 7),
            ("数量指标", 3),
            ("质量指标", 3),
            ("时效指标", 1),
            ("效益指标", 4),
            ("社会效益指标", 3),
            ("可持续影响指标", 1),
            ("满意度指标", 1),
            ("服务对象满意度指标", 1),
        ],
        &[
            ("成本指标", 4),
            ("经济成本指标", 4),
            ("产出指标", 8),
            ("数量指标", 4),
            ("质量指标", 3),
            ("时效指标", 1),
            ("效益指标", 3),
            ("社会效益指标", 2),
            ("可持续影响指标", 1),
            ("满意度指标", 1),
            ("服务对象满意度指标", 1),
        ],
    ];
    assert_eq!(forms.len(), 4);
    let rows = [23, 23, 15, 16];
    for ((form, want), n) in forms.iter().zip(expected).zip(rows) {
        let got = merged_cells(form);
        let want: Vec<(String, usize)> = want.iter().map(|(s, n)| (s.to_string(), *n)).collect();
        assert_eq!(got, want);
        // The 绩效指标 cell spans every indicator row.
        assert!(form.contains(&format!(
            "<th scope=\"rowgroup\" rowspan=\"{n}\">绩效指标</th>"
        )));
    }
}

#[test]
fn seed_values_in_form_notation() {
    let html = specs();
    for v in [
        "≤44.00(万元)",
        "=40.00(次)",
        "≥8000.00(件)",
        "≥5400.00(份(册))",
        "≤30.00(元&#x2f;小时)",
        "=24.00(小时&#x2f;天)",
        "≥95(百分比)",
        "<td class=\"value\">及时</td>",
        "<td class=\"value\">有效保障</td>",
    ] {
        assert!(html.contains(v), "missing {v}");
    }
}

#[test]
fn interleaved_categories_merge_only_consecutive_rows() {
    let html = two_units();
    let forms = forms(&html);
    let got = merged_cells(forms[0]);
    let want = [
        ("产出指标", 3),
        ("数量指标", 1),
        ("质量指标", 1),
        ("数量指标", 1),
        ("成本指标", 1),
        ("经济成本指标", 1),
        ("效益指标", 1),
        ("社会效益指标", 1),
        ("满意度指标", 1),
        ("服务对象满意度指标", 1),
    ];
    let want: Vec<(String, usize)> = want.iter().map(|(s, n)| (s.to_string(), *n)).collect();
    assert_eq!(got, want);
    // Rows stay in the spec's order.
    let a = forms[0].find("甲类任务").unwrap();
    let b = forms[0].find("验收合格率").unwrap();
    let c = forms[0].find("乙类任务").unwrap();
    assert!(a < b && b < c);
}

#[test]
fn every_table_is_a_rectangle() {
    // The summary table(s), then two per form.
    assert_eq!(assert_tables_rectangular(&specs()), 1 + 4 * 2);
    assert_eq!(assert_tables_rectangular(&injection()), 1 + 2);
    assert_eq!(assert_tables_rectangular(&two_units()), 2 + 2 * 2);
    assert_eq!(assert_tables_rectangular(&render(Vec::new())), 0);
}

#[test]
fn funding_block() {
    let html = specs();
    // An annual project leaves the whole-life column blank.
    assert!(html.contains("<th scope=\"row\">项目资金总额：</th><td class=\"money\"></td>"));
    assert!(html.contains("<td colspan=\"2\" class=\"money\">1,813,200.00</td>"));
    assert!(html.contains("<th scope=\"rowgroup\" rowspan=\"4\">项目资金（元）</th>"));
    let multi = two_units();
    for (label, amount) in [
        ("项目资金总额：", "3,000,000.00"),
        ("其中：财政资金", "2,500,000.00"),
        ("其他资金", "500,000.00"),
    ] {
        let cell = format!("<th scope=\"row\">{label}</th><td class=\"money\">{amount}</td>");
        assert!(multi.contains(&cell), "missing {cell}");
    }
    for (label, amount) in [
        ("年度资金申请总额：", "1,200,000.00"),
        ("其中：当年财政拨款", "1,000,000.00"),
        ("上年结转资金", "150,000.00"),
        ("其他资金", "50,000.00"),
    ] {
        let cell = format!(
            "<th scope=\"row\" colspan=\"2\">{label}</th><td colspan=\"2\" class=\"money\">{amount}</td>"
        );
        assert!(multi.contains(&cell), "missing {cell}");
    }
}

#[test]
fn header_block_and_title() {
    let html = specs();
    assert!(html
        .starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">"));
    assert!(html
        .contains("<title>上海市绿化和市容管理局行政服务中心 2026 年度项目绩效目标汇总表</title>"));
    let form = forms(&html)[2];
    for cell in [
        "<h2 class=\"title\">财政项目支出绩效目标申报表</h2>\n<p class=\"year\">(2026 年度)</p>",
        "<th scope=\"row\">项目名称</th><td colspan=\"2\" class=\"text\">热线服务保障经费</td>",
        "<th scope=\"row\">项目性质</th><td>其他经常性项目</td>",
        "<th scope=\"row\">项目类别</th><td>特定目标类</td>",
        "<th scope=\"row\">主管部门</th><td colspan=\"2\" class=\"text\">上海市绿化和市容管理局</td>",
        "<th scope=\"row\">实施单位</th><td colspan=\"3\" class=\"text\">上海市绿化和市容管理局行政服务中心</td>",
        "<th scope=\"row\">计划开始日期</th><td colspan=\"2\">2026-01-01</td>",
        "<th scope=\"row\">计划完成日期</th><td colspan=\"3\">2026-12-31</td>",
    ] {
        assert!(form.contains(cell), "missing {cell}");
    }
}

#[test]
fn summary_lists_every_project_with_totals() {
    let html = specs();
    let summary = &html[..html.find("<section class=\"sheet form\"").unwrap()];
    assert!(summary.contains("编报绩效目标的项目 4 个，涉及项目预算资金 413.0023 万元"));
    for (name, money, counts) in [
        (
            "行业信访、安全及保障稳定的应急工作专项",
            "991,823.00",
            [3, 16, 3, 1, 23],
        ),
        ("绿化市容行政服务工作", "975,000.00", [7, 12, 3, 1, 23]),
        ("热线服务保障经费", "1,813,200.00", [3, 7, 4, 1, 15]),
        (
            "全市绿化、市容、环卫、林业诉求处置督查督办",
            "350,000.00",
            [4, 8, 3, 1, 16],
        ),
    ] {
        let counts: String = counts
            .iter()
            .map(|n| format!("<td class=\"num\">{n}</td>"))
            .collect();
        let row = format!("{name}</a></th><td>上海市绿化和市容管理局行政服务中心</td>");
        let i = summary
            .find(&row)
            .unwrap_or_else(|| panic!("no row for {name}"));
        let tail = &summary[i..summary[i..].find("</tr>").unwrap() + i];
        assert!(tail.contains(&format!("<td class=\"money\">{money}</td>{counts}")));
    }
    assert!(summary.contains(
        "合计（4 个项目）</th><td class=\"money\">4,130,023.00</td><td class=\"num\">17</td><td class=\"num\">43</td><td class=\"num\">13</td><td class=\"num\">4</td><td class=\"num\">77</td>"
    ));
    // Each summary row links to its form.
    for i in 1..=4 {
        assert!(summary.contains(&format!("<a href=\"#form-{i}\">")));
        assert!(html.contains(&format!("<section class=\"sheet form\" id=\"form-{i}\"")));
    }
}

#[test]
fn several_units_get_one_summary_each_and_a_total() {
    let html = two_units();
    assert!(html.contains("<title>项目绩效目标汇总表</title>"));
    assert!(html.contains("<h2 id=\"group-1\">甲单位 2026 年度项目绩效目标汇总表</h2>"));
    assert!(html.contains("<h2 id=\"group-2\">乙单位 2026 年度项目绩效目标汇总表</h2>"));
    assert!(html.contains("编报绩效目标的项目 1 个，涉及项目预算资金 120.00 万元"));
    assert!(html.contains("编报绩效目标的项目 1 个，涉及项目预算资金 1.234567 万元"));
    assert!(html.contains("总计：编报绩效目标的项目 2 个，涉及项目预算资金 121.234567 万元"));
}

#[test]
fn goals_keep_their_paragraphs() {
    let html = two_units();
    assert!(html.contains("<p>三年内建成系统。</p><p>第二段：分期验收。</p>"));
    let inj = injection();
    assert!(inj.contains(
        "<p>第一段：&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;&#x2f;script&gt;<br>第一段第二行 "
    ));
    assert!(inj.contains("</p><p>第二段：&lt;&#x2f;td&gt;"));
}

/// The tags the template writes; anything else came from a spec.
const TEMPLATE_TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "section", "h1", "h2", "p",
    "table", "colgroup", "col", "thead", "tbody", "tr", "th", "td", "a", "br",
];

const TEMPLATE_ATTRS: &[&str] = &[
    "html", // <!DOCTYPE html>
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "style",
    "class",
    "id",
    "aria-label",
    "aria-labelledby",
    "scope",
    "rowspan",
    "colspan",
    "href",
];

#[test]
fn spec_text_never_becomes_markup() {
    let html = injection();
    for t in tags(&html) {
        assert!(
            TEMPLATE_TAGS.contains(&t.name),
            "tag <{}> from spec text",
            t.name
        );
        for (name, _) in attrs(t.attrs) {
            assert!(
                TEMPLATE_ATTRS.contains(&name.as_str()),
                "attribute {name} from spec text in <{}{}>",
                t.name,
                t.attrs
            );
        }
        if let Some(href) = attr(t.attrs, "href") {
            assert!(href.starts_with("#form-"), "link to {href}");
        }
    }
    assert_eq!(html.matches("<style>").count(), 1);
    assert!(!html.to_lowercase().contains("<script"));
    // The text is there, escaped, where the form shows it.
    for escaped in [
        "&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;&#x2f;script&gt;项目 &amp; 名称",
        "&lt;img src=x onerror=&quot;document.title=&#x27;PWNED&#x27;&quot;&gt;实施单位",
        "&lt;style&gt;body{display:none}&lt;&#x2f;style&gt;经常性专项业务费",
        "&lt;svg onload=&quot;document.title=&#x27;PWNED&#x27;&quot;&gt;&lt;&#x2f;svg&gt;总目标 &quot;引号&quot; &amp; &#x27;apos&#x27;",
        "&amp;amp; &amp;lt;",
        "--&gt;&lt;script&gt;",
        "<td class=\"value\">&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;&#x2f;script&gt;</td>",
    ] {
        assert!(html.contains(escaped), "missing {escaped}");
    }
    // Attributes are escaped too (the project name is in aria-label).
    assert!(html.contains(
        "aria-label=\"&lt;script&gt;document.title=&#x27;PWNED&#x27;&lt;&#x2f;script&gt;项目 &amp; 名称\""
    ));
}

#[test]
fn no_project_is_still_a_page() {
    let html = render(Vec::new());
    assert!(html.contains("<title>项目绩效目标汇总表</title>"));
    assert!(html.contains("没有项目。"));
    assert!(forms(&html).is_empty());
}

// ---------------------------------------------------------------------------------------
// The command line

fn perfspec() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_perfspec"));
    c.current_dir(MANIFEST).env("NO_COLOR", "1");
    c
}

#[test]
fn cli_writes_the_same_page_from_any_path() {
    let dir = tempfile::tempdir().unwrap();
    let rel = dir.path().join("rel.html");
    let abs = dir.path().join("abs.html");
    let st = perfspec()
        .args(["build", "specs", "--format", "html", "-o"])
        .arg(&rel)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let st = perfspec()
        .args([
            "build",
            &format!("{MANIFEST}/specs"),
            "--format",
            "html",
            "-o",
        ])
        .arg(&abs)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let rel = std::fs::read_to_string(rel).unwrap();
    let abs = std::fs::read_to_string(abs).unwrap();
    assert_eq!(rel, abs);
    assert_eq!(rel, specs());
    assert!(
        !rel.contains(MANIFEST),
        "an absolute path leaked into the page"
    );
    let stdout = perfspec()
        .args(["build", "specs", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(stdout.status.code(), Some(0));
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), rel);
}

#[test]
fn cli_errors_leave_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("bad.perf");
    // A qualitative word compared with ≥ is an error (PS314).
    std::fs::write(
        &spec,
        MULTI_YEAR.replace("数量 甲类任务 ≥ 10 件", "数量 甲类任务 ≥ 十 件"),
    )
    .unwrap();
    let out = dir.path().join("out.html");
    std::fs::write(&out, "previous build").unwrap();
    let run = perfspec()
        .args(["build", "--format", "html", "-o"])
        .arg(&out)
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous build");
    // Nothing half-written next to it either.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

// ---------------------------------------------------------------------------------------
// Any text at all

mod arbitrary_text {
    use super::*;
    use perfspec::model::{Model, Target};
    use proptest::prelude::*;

    /// Text rich in what HTML cares about, plus CJK, newlines and blank lines.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("<".to_string()),
                Just(">".to_string()),
                Just("&".to_string()),
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("/".to_string()),
                Just("\n".to_string()),
                Just("\n\n".to_string()),
                Just("<script>".to_string()),
                Just("</td></tr></table>".to_string()),
                Just("<!--".to_string()),
                Just("{{ title }}".to_string()),
                Just("{% raw %}".to_string()),
                "[a-z =]{1,6}",
                "[\u{4e00}-\u{4e20}]{1,4}",
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    fn seed_model() -> Model {
        check_all(inputs("specs")).model()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn never_markup_never_a_broken_grid(
            name in text(), unit in text(), nature in text(), goal in text(),
            indicator in text(), value in text(),
        ) {
            let mut model = seed_model();
            model.projects.truncate(2);
            let p = &mut model.projects[0];
            p.name = name.clone();
            p.unit = unit;
            p.nature = nature;
            p.department = name.clone();
            p.goal_annual = goal.clone();
            p.goal_total = Some(goal);
            p.indicators[0].name = indicator.into();
            p.indicators[1].target = Target::Qualitative { text: value };
            let html = html::to_string(&model).unwrap();
            for t in tags(&html) {
                prop_assert!(TEMPLATE_TAGS.contains(&t.name), "tag <{}>", t.name);
                for (a, _) in attrs(t.attrs) {
                    prop_assert!(TEMPLATE_ATTRS.contains(&a.as_str()), "attribute {}", a);
                }
            }
            prop_assert_eq!(html.matches("<style>").count(), 1);
            // Two forms (and two summary tables when the units differ).
            let tables = assert_tables_rectangular(&html);
            prop_assert!(tables == 1 + 4 || tables == 2 + 4);
            prop_assert_eq!(forms(&html).len(), 2);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The 项目支出绩效自评表 of evaluated projects (tests/fixtures/self-evaluation/: two evaluated
// projects, one with unknown scores and no 预算执行, and a declaration of the same unit).

fn evaluation() -> String {
    render(inputs("tests/fixtures/self-evaluation"))
}

/// The evaluated forms of a page (`<section class="sheet form evaluation" …`).
fn evaluation_forms(html: &str) -> Vec<&str> {
    html.split("<section class=\"sheet form evaluation\"")
        .skip(1)
        .map(|f| f.split("</section>").next().unwrap_or(f))
        .collect()
}

#[test]
fn snapshot_self_evaluation() {
    insta::assert_snapshot!("self_evaluation", evaluation());
}

#[test]
fn evaluated_projects_get_the_self_evaluation_form() {
    let html = evaluation();
    let eval = evaluation_forms(&html);
    assert_eq!(eval.len(), 2);
    // The declaration keeps its 申报表.
    let decl = forms(&html);
    assert_eq!(decl.len(), 1);
    assert!(decl[0].contains("财政项目支出绩效目标申报表"));
    let f = eval[0];
    assert!(f.contains("<h2 class=\"title\">项目支出绩效自评表</h2>"));
    for label in [
        "项目名称",
        "主管部门",
        "实施单位",
        "资金情况（万元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
        "预期目标",
        "实际完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
        "总分",
    ] {
        assert!(f.contains(&format!(">{label}</th>")), "{label}");
    }
    // 资金情况 in 万元, the rate in percent with two decimals, scores with two decimals.
    assert!(f.contains(
        "<td class=\"money\">100.00</td><td class=\"money\">100.00</td><td class=\"money\">95.00</td><td class=\"num\">10.00</td><td class=\"num\">95.00%</td><td class=\"num\">9.50</td>"
    ));
    assert!(f.contains(
        "<td class=\"value\">≥120(公里)</td><td class=\"value\">108(公里)</td><td class=\"num\">12.50</td><td class=\"num\">11.25</td><td class=\"deviation\"><p>两条河道整治延期，已列入次年计划</p></td>"
    ));
    assert!(
        f.contains("<td class=\"num\">100.00</td><td class=\"num\">97.42</td><td>等级：优</td>")
    );
    // Merged 一级 / 二级 cells as on the 申报表.
    let merged = merged_cells(f);
    assert!(merged.contains(&("产出指标".to_string(), 3)), "{merged:?}");
    assert!(merged.contains(&("效益指标".to_string(), 2)), "{merged:?}");
}

#[test]
fn an_unknown_score_is_a_visible_note_never_zero() {
    let html = evaluation();
    let f = evaluation_forms(&html)[1];
    let note = "<td class=\"num unscored\"><span class=\"note\">未计分</span></td>";
    // 汛前检修 (基本完成 without 得分), 周边居民满意度 (no actual), the execution and the total.
    assert_eq!(f.matches(note).count(), 4, "{f}");
    assert!(f.contains("<p class=\"footnote\">注：“未计分”"));
    assert!(!f.contains(">0.00<"), "an unknown score printed as 0");
    // The summary: each evaluated project's score and grade, a note when unknown.
    let summary = html
        .split("<section class=\"sheet form")
        .next()
        .unwrap_or("");
    assert!(summary.contains(
        "<th scope=\"col\" rowspan=\"2\">自评总分</th><th scope=\"col\" rowspan=\"2\">等级</th>"
    ));
    assert!(summary.contains("<td class=\"num\">97.42</td><td class=\"num\">优</td></tr>"));
    assert!(summary.contains(&format!("{note}<td class=\"num\"></td></tr>")));
    assert!(summary.contains("；完成绩效自评的项目 2 个。"));
}

#[test]
fn self_evaluation_tables_are_rectangles() {
    // The summary, then 2 tables per form (three forms).
    assert_eq!(assert_tables_rectangular(&evaluation()), 1 + 3 * 2);
}

#[test]
fn the_real_self_evaluation_form_renders() {
    let html = render(inputs("tests/fixtures/evaluation"));
    let f = evaluation_forms(&html);
    assert_eq!(f.len(), 1);
    // The written total (100) differs from the computed one (110): both are shown.
    assert!(f[0].contains("<td class=\"num\">110.00</td><td class=\"num\">110.00</td><td>等级：优（填报总分 100.00）</td>"), "{}", f[0]);
}

/// A template whose form has no 项目性质 / 项目类别 (财政部2021) prints the name alone on its
/// line, the table still rectangular; a spec that writes 性质 anyway keeps its cells.
#[test]
fn the_name_line_follows_the_template() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/ui/PS114/pass.perf"
    ))
    .unwrap();
    let html = render_str(&[("a.perf", &spec)]);
    assert_eq!(assert_tables_rectangular(&html), 1 + 2);
    assert!(html.contains(r#"<td colspan="6" class="text">高标准农田建设</td>"#));
    let form = forms(&html)[0];
    assert!(
        !form.contains(">项目性质<"),
        "no 项目性质 cell on this template's form"
    );

    let with_nature = spec.replacen("  资金 {", "  性质 其他经常性项目\n  资金 {", 1);
    let html = render_str(&[("a.perf", &with_nature)]);
    assert_eq!(assert_tables_rectangular(&html), 1 + 2);
    let form = forms(&html)[0];
    assert!(form.contains(">项目性质<") && form.contains(">其他经常性项目<"));
}
