//! The language: syntax trees of the real specs, error recovery, hostile input.

use perfspec::check::{check_bytes, check_source};
use perfspec::diag::{render_human, RenderOptions};
use perfspec::syntax::{parse, ProjectItem, TopItem};

fn codes(src: &str) -> Vec<&'static str> {
    check_source("t.perf", src)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

fn strip_locs(mut m: perfspec::model::Model) -> perfspec::model::Model {
    for p in &mut m.projects {
        p.loc = blank_loc();
        for i in &mut p.indicators {
            i.loc = blank_loc();
        }
    }
    m
}

fn blank_loc() -> perfspec::model::Loc {
    perfspec::model::Loc {
        file: "".into(),
        line: 0,
        column: 0,
        span: Default::default(),
    }
}

#[test]
fn syntax_tree_of_every_spec() {
    insta::glob!("../specs", "**/*.perf", |path| {
        let src = std::fs::read_to_string(path).unwrap();
        let (tree, diags) = parse(&src);
        assert!(diags.is_empty(), "{}: {diags:?}", path.display());
        insta::assert_json_snapshot!(tree);
    });
}

#[test]
fn seed_specs_hold_all_77_indicators() {
    let mut per_file = Vec::new();
    for entry in std::fs::read_dir("specs/shanghai-lhsr-xzfwzx-2026").unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        let r = check_source(&path.to_string_lossy(), &src);
        assert!(!r.has_errors(), "{:?}", r.diagnostics);
        per_file.push((path, r.projects[0].indicators.len()));
    }
    per_file.sort();
    let counts: Vec<usize> = per_file.iter().map(|x| x.1).collect();
    assert_eq!(counts, vec![23, 23, 15, 16]);
}

const THREE_BROKEN: &str = "\
年度 2026
主管部门 某局
实施单位 某中心

项目 甲 {
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    当年财政拨款 100.00
  }
  年度总体目标 目标
  经济成本 经费 ≤ 0.01 万元
  数量 这一行没有比较符
  社会效益 好 = 提高
  服务对象满意度 满意度 ≥ 90 %
}

项目 乙 {
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    当年财政拨款 100.00
  }
  年度总体目标 目标
  经济成本 经费 ≤ 0.01 万元
  数量 次数 ≥
  社会效益 好 = 提高
  服务对象满意度 满意度 ≥ 90 %
}

项目 丙 {
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31
  资金 {
    当年财政拨款 100.00
  }
  年度总体目标 目标
  经济成本 经费 ≤ 0.01 万元
  数量 次数 ≥ 5 次
  数量 对六个公园进行安全技术支撑次数 ＝ 4O 次
  社会效益 好 = 提高
  服务对象满意度 满意度 ≥ 90 %
}
";

#[test]
fn three_broken_lines_in_three_projects_give_three_errors() {
    let r = check_source("t.perf", THREE_BROKEN);
    let syntax: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "PS001").collect();
    assert_eq!(syntax.len(), 3, "{:#?}", r.diagnostics);
    let lines: Vec<usize> = syntax
        .iter()
        .map(|d| {
            perfspec::diag::LineIndex::new(THREE_BROKEN)
                .line_col(d.primary.span.start as usize)
                .0
        })
        .collect();
    assert_eq!(lines, vec![14, 28, 43]);
    // The valid projects around them are still parsed and checked.
    let names: Vec<&str> = r.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["甲", "乙", "丙"]);
    let counts: Vec<usize> = r.projects.iter().map(|p| p.indicators.len()).collect();
    assert_eq!(counts, vec![3, 3, 4]);
    // No cascade: nothing but the three syntax errors.
    assert_eq!(r.diagnostics.len(), 3, "{:#?}", r.diagnostics);
}

#[test]
fn recovery_diagnostics_render() {
    let r = check_source("t.perf", THREE_BROKEN);
    let out: String = r
        .diagnostics
        .iter()
        .map(|d| render_human("t.perf", THREE_BROKEN, d, RenderOptions::default()))
        .collect();
    insta::assert_snapshot!(out);
}

#[test]
fn missing_brace_costs_one_diagnostic() {
    let src = THREE_BROKEN.replacen(
        "  服务对象满意度 满意度 ≥ 90 %\n}\n",
        "  服务对象满意度 满意度 ≥ 90 %\n",
        1,
    );
    let r = check_source("t.perf", &src);
    let c: Vec<_> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(c.iter().filter(|c| **c == "PS002").count(), 1, "{c:?}");
    assert_eq!(r.projects.len(), 3);
}

#[test]
fn unclosed_text_block_is_one_error() {
    let src = "年度 2026\n项目 甲 {\n  年度总体目标 \"\"\"\n    文本\n  数量 x ≥ 1 次\n}\n";
    let c = codes(src);
    assert!(c.contains(&"PS003"), "{c:?}");
    assert_eq!(c.iter().filter(|c| **c == "PS001").count(), 0, "{c:?}");
}

fn seed(n: usize) -> String {
    let mut files: Vec<_> = std::fs::read_dir("specs/shanghai-lhsr-xzfwzx-2026")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    std::fs::read_to_string(&files[n]).unwrap()
}

#[test]
fn bom_crlf_and_full_width_spaces_keep_the_meaning() {
    for n in 0..4 {
        let src = seed(n);
        let pasted = format!(
            "\u{FEFF}{}",
            src.replace('\n', "\r\n")
                .replace("≥ ", "＞＝ ".replace("＞＝", "≧").as_str())
                .replace(" 次", "\u{3000}次")
                .replace("≤", "<=")
        );
        let a = check_source("a.perf", &src);
        let b = check_source("a.perf", &pasted);
        assert!(!b.has_errors(), "{:#?}", b.diagnostics);
        let ma = strip_locs(perfspec::model::Model {
            projects: a.projects,
        });
        let mb = strip_locs(perfspec::model::Model {
            projects: b.projects,
        });
        assert_eq!(ma, mb);
    }
}

#[test]
fn all_comparator_spellings() {
    for (op, want) in [
        ("=", "="),
        ("＝", "="),
        (">=", "≥"),
        ("≥", "≥"),
        ("≧", "≥"),
        ("<=", "≤"),
        ("≤", "≤"),
        ("≦", "≤"),
        (">", ">"),
        ("＞", ">"),
        ("<", "<"),
        ("＜", "<"),
    ] {
        let (tree, diags) = parse(&format!("项目 甲 {{\n  数量 名称 {op} 1 次\n}}\n"));
        assert!(diags.is_empty(), "{op}: {diags:?}");
        let TopItem::Project(p) = &tree.items[0] else {
            panic!()
        };
        let ProjectItem::Indicator(i) = &p.items[0] else {
            panic!("{op}: {:?}", p.items)
        };
        assert_eq!(i.op.as_ref().unwrap().value.symbol(), want);
    }
}

#[test]
fn names_units_and_values_of_the_seed_kinds() {
    let src = "项目 甲 {
  数量 对除六个公园以外的 16 家直属单位安全技术支撑服务次数 = 48.00 次
  经济成本 许可文书材料处理单位成本 ≤ 40.00 元/份 (册)
  数量 信访事项登记全覆盖,重要、紧急、突发上访群访事件及时上报率（测试）；“引号” ≥ 95 百分比
  时效 热线受理接单 = 24.00 小时/天
  时效 完成时限 ≤ 2026-06-30
  质量 区间 = 90 ~ 100 %
  数量 金额 ≥ 1,234,567.891 件
  数量 全角 ≥ １２３ 件
  社会效益 作用 = 有效保障 # 行尾注释
  数量 \"含≥的名称\" = 1 次
}
";
    let (tree, diags) = parse(src);
    assert!(diags.is_empty(), "{diags:?}");
    let TopItem::Project(p) = &tree.items[0] else {
        panic!()
    };
    let got: Vec<String> = p
        .items
        .iter()
        .filter_map(|i| match i {
            ProjectItem::Indicator(i) => Some(format!(
                "{}|{}|{:?}",
                i.category.value, i.name.value, i.value.value
            )),
            _ => None,
        })
        .collect();
    insta::assert_debug_snapshot!(got);
}

#[test]
fn caret_lands_after_cjk_text() {
    let src = "项目 甲 {\n  数量 对六个公园进行安全技术支撑次数 ≥ 40 个个\n}\n";
    let r = check_source("t.perf", src);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "PS303")
        .expect("unknown unit");
    let (line, col) = perfspec::diag::LineIndex::new(src).line_col(d.primary.span.start as usize);
    assert_eq!((line, col), (2, 27));
    let out = render_human("t.perf", src, d, RenderOptions::default());
    assert!(out.contains("t.perf:2:27"), "{out}");
}

// ---- hostile input ----------------------------------------------------------------------

#[test]
fn empty_file_is_a_warning_not_a_crash() {
    for src in ["", "\n\n", "\u{FEFF}", "   ", "# 只有注释\n"] {
        let r = check_source("e.perf", src);
        assert!(!r.has_errors(), "{src:?}: {:?}", r.diagnostics);
        assert_eq!(
            r.diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>(),
            vec!["PS008"]
        );
    }
}

#[test]
fn invalid_utf8_and_binary_are_reported() {
    let gbk = b"\xc4\xea\xb6\xc8 2026\n"; // 年度 in GBK
    let r = check_bytes("g.perf", gbk);
    assert_eq!(r.diagnostics[0].code, "PS006");
    assert!(r.diagnostics[0].message.zh.contains("UTF-8"));
    let bin = b"\x7fELF\x02\x01\x01\x00\x00\x00";
    let r = check_bytes("b.perf", bin);
    assert_eq!(r.diagnostics[0].code, "PS006");
}

#[test]
fn ten_megabyte_line_is_refused_quickly() {
    let src = "数".repeat(10 * 1024 * 1024 / 3);
    let r = check_source("big.perf", &src);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].code, "PS007");
    let out = render_human(
        "big.perf",
        &src,
        &r.diagnostics[0],
        RenderOptions::default(),
    );
    assert!(
        out.chars().count() < 2000,
        "the rendering must not echo the whole line: {}",
        out.chars().count()
    );
}

#[test]
fn garbage_of_every_shape_never_panics() {
    let samples = [
        "项目",
        "项目 {",
        "项目  {\n}",
        "}",
        "{{{{",
        "\"\"\"",
        "年度",
        "年度 \n",
        "资金 {",
        "项目 a {\n资金 {\n",
        "项目 a {\n  数量 b ≥ 1e9 次\n}",
        "项目 a {\n  数量 b ≥ 99999999999999999999999999999999 件\n}",
        "项目 a {\n  数量 b ≥ -5 件\n}",
        "项目 a {\n  数量 b ≥ 1,2,3 件\n}",
        "\r\r\r",
        "\u{202E}项目 a {\n}",
        "项目 a {\n  期间 2026-13-45 至 0000-00-00\n}",
        "项目 a {\n  数量 b ≥ 2026-02-29\n}",
        "计量单位",
        "计量单位 株 未知",
        "项目 a {\n  年度总体目标 \"\"\"\n",
        "项目 a {\n  数量 \"未结束 ≥ 1 次\n}",
    ];
    for s in samples {
        let _ = check_source("g.perf", s);
    }
}

#[test]
fn huge_decimal_is_a_diagnostic() {
    let c = codes("项目 a {\n  数量 b ≥ 99999999999999999999999999999999 件\n}\n");
    assert!(c.contains(&"PS004"), "{c:?}");
}

#[test]
fn empty_indicator_name_is_an_error() {
    let r = check_source("t.perf", "年度 2026\n项目 甲 {\n  数量 \"\" = 1 次\n}\n");
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == "PS101" && d.message.zh.contains("指标缺少名称"));
    assert!(d.is_some(), "{:#?}", r.diagnostics);
}

#[test]
fn overflowing_amounts_are_diagnostics_not_panics() {
    let src = "年度 2026\n主管部门 a\n实施单位 b\n项目 甲 {\n  性质 经常性专项业务费\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {\n    当年财政拨款 79228162514264337593543950335 万元\n    其他资金 79228162514264337593543950335\n  }\n  年度总体目标 目标\n  经济成本 经费 ≤ 79228162514264337593543950335 亿元\n  经济成本 经费2 ≤ 79228162514264337593543950335 亿元\n  数量 x ≥ 1 次\n  社会效益 好 = 提高\n  服务对象满意度 满意度 ≥ 90 %\n}\n";
    let r = check_source("o.perf", src);
    let c: Vec<_> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // Two funding amounts and two cost caps beyond 10^15 元; no sum of them (PS202/PS203).
    assert_eq!(
        c,
        vec!["PS004", "PS004", "PS004", "PS004"],
        "{:#?}",
        r.diagnostics
    );
}

/// `parse` reads a file one top-level item at a time (small pest token queues); it must
/// give exactly the tree and diagnostics of one pest call over the whole file.
#[test]
fn item_by_item_parse_equals_whole_file_parse() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    for d in ["specs", "tests/ui", "tests/regressions", "fuzz/seeds"] {
        let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(d);
        if d.is_dir() {
            walk(&d, &mut files);
        }
    }
    let mut texts: Vec<String> = files
        .iter()
        .filter_map(|f| String::from_utf8(std::fs::read(f).unwrap()).ok())
        .collect();
    assert!(texts.len() > 100, "found {} inputs", texts.len());
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/shanghai-lhsr-xzfwzx-2026/01-行业信访安全应急专项.perf"
    ))
    .unwrap();
    // The edges of a file: a BOM, CRLF, no final newline, blocks left open at the end.
    texts.push(format!("\u{FEFF}{spec}"));
    texts.push(spec.replace('\n', "\r\n"));
    texts.push(spec.trim_end().to_string());
    texts.push(spec[..spec.rfind('}').unwrap()].to_string());
    texts.push("项目 甲 {\n  年度总体目标 \"\"\"\n  未闭合\n".to_string());
    texts.push("\u{FEFF}".to_string());
    texts.push(String::new());
    texts.push("\n\n   \n#".to_string());
    for t in &texts {
        let a = parse(t);
        let b = perfspec::syntax::parse_whole(t);
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "input:\n{t}");
    }
}
