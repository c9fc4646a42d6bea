//! `perfspec import`: the seed copy, workbooks, round trips, hostile inputs.

use perfspec::check::check_source;
use perfspec::fmt::without_locs;
use perfspec::import::{self, Import, NoteKind};
use perfspec::model::{Model, Project};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};
use std::process::Command;
use unicode_width::UnicodeWidthStr;

const SPECS: &str = "specs/shanghai-lhsr-xzfwzx-2026";

/// The seed as shipped with the tests (a copy of /work/shared/seeds/000_f69fa939a5c47c23.txt).
fn seed_text() -> String {
    std::fs::read_to_string("tests/fixtures/import/seed.txt").expect("seed fixture")
}

/// The hand-written ground truth, in file order (01 … 04).
fn ground_truth() -> Vec<Project> {
    let mut paths: Vec<_> = std::fs::read_dir(SPECS)
        .expect("specs folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "perf"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| {
            let text = std::fs::read_to_string(p).expect("spec");
            let r = check_source(&p.to_string_lossy(), &text);
            assert!(!r.has_errors(), "{p:?}: {:?}", r.diagnostics);
            r.projects
        })
        .collect()
}

/// Every imported spec checked: no errors, and its projects.
fn checked(imp: &Import) -> Vec<Project> {
    imp.specs
        .iter()
        .flat_map(|s| {
            let r = check_source(&format!("{}.perf", s.file_stem), &s.text);
            assert!(
                !r.has_errors(),
                "{}:\n{}\n{:#?}",
                s.file_stem,
                s.text,
                r.diagnostics
            );
            r.projects
        })
        .collect()
}

/// Model equality ignoring source locations; the Debug text is compared too because
/// `Decimal` equality ignores the scale (`95` = `95.00`) and the scale must survive.
fn assert_same_models(got: &[Project], want: &[Project]) {
    let (g, w) = (without_locs(got), without_locs(want));
    assert_eq!(g.len(), w.len(), "project count");
    for (a, b) in g.iter().zip(&w) {
        assert_eq!(a, b, "project {}", b.name);
        assert_eq!(
            format!("{a:?}"),
            format!("{b:?}"),
            "project {} (scales)",
            b.name
        );
    }
}

#[test]
fn seed_gives_the_hand_written_specs() {
    let imp = import::import_text("000_f69fa939a5c47c23.txt", &seed_text());
    assert_eq!(imp.specs.len(), 4);
    let got = checked(&imp);
    let want = ground_truth();
    assert_eq!(
        Model {
            projects: got.clone()
        }
        .indicator_count(),
        77
    );
    assert_same_models(&got, &want);
    // Each spec checks as clean as the hand-written one: no warnings either.
    for s in &imp.specs {
        let r = check_source("x.perf", &s.text);
        assert!(r.diagnostics.is_empty(), "{:#?}", r.diagnostics);
    }
    assert_eq!(imp.count(NoteKind::Unmapped), 0, "{:#?}", imp.notes);
    assert_eq!(imp.count(NoteKind::Missing), 0, "{:#?}", imp.notes);
}

#[test]
fn seed_snapshot() {
    let imp = import::import_text("000_f69fa939a5c47c23.txt", &seed_text());
    let mut out = String::new();
    for s in &imp.specs {
        out.push_str(&format!("==== {}.perf\n{}\n", s.file_stem, s.text));
    }
    out.push_str("==== notes\n");
    for n in &imp.notes {
        out.push_str(&format!(
            "{} spec={:?} {} 「{}」 {}\n",
            n.kind.as_str(),
            n.spec,
            n.origin.describe(perfspec::diag::Lang::Zh),
            n.text,
            n.message.zh
        ));
    }
    insta::assert_snapshot!("seed", out);
}

// ---------------------------------------------------------------------------------------
// The seed, copied differently: other units' copies shift columns, break pages and rows,
// and space their tables; the reading must not depend on the seed's exact layout.

/// The seed as a PDF copy gives it: no tabs, cells padded with spaces to columns
/// `width` display columns apart (at least two spaces between cells).
fn space_aligned(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut l = String::new();
        for (i, cell) in line.split('\t').enumerate() {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let target = i * width;
            let w = UnicodeWidthStr::width(l.as_str());
            if w < target {
                l.push_str(&" ".repeat(target - w));
            }
            if !l.is_empty() && !l.ends_with("  ") {
                l.push_str("  ");
            }
            l.push_str(cell);
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "fixture edit must be unambiguous: {from}"
    );
    text.replacen(from, to, 1)
}

fn variants() -> Vec<(&'static str, String)> {
    let seed = seed_text();
    let mut v = Vec::new();
    v.push(("space aligned", space_aligned(&seed, 22)));
    // Some PDF readers give every cell a line of its own.
    let one_per_line: String = seed
        .lines()
        .flat_map(|l| l.split('\t'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| format!("{c}\n"))
        .collect();
    v.push(("one cell per line", one_per_line.clone()));
    // Web page stores and Markdown print a table with `|` between its cells, and runs of
    // `|` for empty ones.
    let piped: String = seed
        .lines()
        .map(|l| format!("| {} |\n", l.replace('\t', " | ")))
        .collect();
    v.push(("cells between |", piped));
    // … or every cell on a line of its own, closed by ` |`, with lines of pipes between.
    let piped_lines: String = one_per_line
        .lines()
        .map(|l| format!("{l} |\n||\n"))
        .collect();
    v.push(("one cell per line, closed by |", piped_lines));
    v.push((
        "CRLF, byte-order mark, full-width spaces, zero-width characters",
        format!(
            "\u{FEFF}{}",
            replace_once(
                &replace_once(&seed, "窗口申请材料受理", "窗口申请\u{200B}材料受理"),
                "项目名称\t热线服务保障经费",
                "项目名称\u{3000}\t热线服务保障经费"
            )
            .replace('\n', "\r\n")
        ),
    ));
    // Page-break debris in the middle of the second form's table.
    let debris = "第 1 页 共 5 页\n\n- 2 -\n财政项目支出绩效目标申报表\n(2026 年度)\n\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\n指标\n";
    v.push((
        "page-break debris",
        replace_once(
            &seed,
            "\t\t\t辅助窗口信访接待\t≥50.00(批次)\n",
            &format!("\t\t\t辅助窗口信访接待\t≥50.00(批次)\n{debris}"),
        ),
    ));
    // Rows broken across lines in other ways than the seed's own.
    let mut broken = replace_once(
        &seed,
        "\t产出指标\t数量指标\t窗口申请材料受理\t≥8000.00(件)",
        "\t产出指标\t数量指标\t窗口申请材料\n\t\t\t受理\t≥8000.00(件)",
    );
    broken = replace_once(
        &broken,
        "\t\t\t线上线下帮办、电话咨询工作数量\t≥2350.00(件)",
        "\t\t\t线上线下帮办、电话咨询工作数量\n\t\t\t\t≥2350.00(件)",
    );
    broken = replace_once(&broken, "≤40.00(元/份 (册))", "≤40.00(元/份\n(册))");
    broken = replace_once(
        &broken,
        "\t\t\t热线诉求回访满意度补救成本控制情况\t≤13.20(万元)",
        "\t\t\t热线诉求回访满意度补救\t≤13.20(万元)\n\t\t\t成本控制情况",
    );
    v.push(("rows broken across lines", broken));
    // The category words in other columns than the seed has them.
    v.push((
        "shifted category columns",
        replace_once(
            &seed,
            "\t\t质量指标\t材料受理后的预审准确率\t=100.00(百分比)",
            "\t\t\t质量指标\t材料受理后的预审准确率\t=100.00(百分比)",
        ),
    ));
    v
}

#[test]
fn seed_read_whatever_the_copy_looks_like() {
    let want = ground_truth();
    for (what, text) in variants() {
        let imp = import::import_text("seed.txt", &text);
        assert_eq!(imp.specs.len(), 4, "{what}: {:#?}", imp.notes);
        let got = checked(&imp);
        assert_same_models(&got, &want);
        assert_eq!(imp.count(NoteKind::Unmapped), 0, "{what}: {:#?}", imp.notes);
    }
}

#[test]
fn joined_rows_and_removed_characters_are_reported() {
    let vs = variants();
    let find = |name: &str| {
        vs.iter()
            .find(|(w, _)| *w == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    let imp = import::import_text("seed.txt", &find("rows broken across lines"));
    let joined: Vec<&str> = imp
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Adjusted)
        .map(|n| n.message.zh.as_str())
        .collect();
    assert!(
        joined.iter().any(|m| m.contains("窗口申请材料受理")),
        "{joined:#?}"
    );
    assert!(
        joined
            .iter()
            .any(|m| m.contains("热线诉求回访满意度补救成本控制情况")),
        "{joined:#?}"
    );
    let imp = import::import_text(
        "seed.txt",
        &find("CRLF, byte-order mark, full-width spaces, zero-width characters"),
    );
    assert!(
        imp.notes
            .iter()
            .any(|n| n.message.zh.contains("U+200B") && n.spec == Some(1)),
        "{:#?}",
        imp.notes
    );
}

// ---------------------------------------------------------------------------------------
// Unmapped content: kept as a comment where it was, listed in the notes.

#[test]
fn unmapped_content_is_kept_and_reported() {
    let seed = seed_text();
    let mut text = format!("附件 1：绩效目标表\n{seed}");
    text = replace_once(
        &text,
        "\t其他资金\t\t其他资金\t\t0.00\t\n",
        "\t其他资金\t\t其他资金\t\t0.00\t\n\t\t\t上年结转资金（追加）\t\t九十万\n",
    );
    text = replace_once(
        &text,
        "\t\t\t有害生物防治次数\t=24.00(次)\t",
        "\t\t\t有害生物防治次数\t100%完成\t",
    );
    text.push_str("\n填报人：张三\t\t联系电话：12345678\n");
    let imp = import::import_text("seed.txt", &text);
    assert_eq!(imp.specs.len(), 4);
    let first = &imp.specs[0].text;
    assert!(
        first.contains("# 未能识别：附件 1：绩效目标表（第 1 行"),
        "{first}"
    );
    assert!(
        first.contains("# 未能识别：有害生物防治次数 | 100%完成（第 "),
        "{first}"
    );
    assert!(first.contains("九十万"), "{first}");
    let last = &imp.specs[3].text;
    assert!(
        last.contains("# 未能识别：填报人：张三 | 联系电话：12345678"),
        "{last}"
    );
    let unmapped: Vec<_> = imp
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Unmapped)
        .collect();
    assert_eq!(unmapped.len(), 4, "{unmapped:#?}");
    assert!(unmapped
        .iter()
        .all(|n| n.origin.line.is_some() && n.spec.is_some()));
    // The row that could not be read is not an indicator: 76 are left, and the specs
    // still parse.
    let got = checked(&imp);
    assert_eq!(Model { projects: got }.indicator_count(), 76);
}

// ---------------------------------------------------------------------------------------
// Workbooks

fn specs_model() -> Model {
    Model {
        projects: ground_truth(),
    }
}

#[test]
fn xlsx_round_trip_of_every_spec() {
    let model = specs_model();
    let bytes = perfspec::emit::xlsx::to_bytes(&model).expect("xlsx");
    let imp = import::import_workbook("specs.xlsx", &bytes).expect("import");
    assert_eq!(imp.specs.len(), model.projects.len());
    assert_same_models(&checked(&imp), &model.projects);
    // The summary's title names the bundle, as a text copy's title line does.
    assert!(
        imp.specs[0].text.starts_with(
            "# 上海市绿化和市容管理局行政服务中心 2026 年度项目绩效目标汇总表（1/4）\n"
        ),
        "{}",
        imp.specs[0].text
    );
    // The summary sheet is skipped, and said so; nothing else is noted.
    assert_eq!(imp.count(NoteKind::Skipped), 1, "{:#?}", imp.notes);
    assert_eq!(imp.notes.len(), 1, "{:#?}", imp.notes);
    // Each project also on its own, through import_bytes (signature detection).
    for p in &model.projects {
        let one = Model {
            projects: vec![p.clone()],
        };
        let bytes = perfspec::emit::xlsx::to_bytes(&one).expect("xlsx");
        let imp = import::import_bytes("one.xlsx", &bytes).expect("import");
        assert_same_models(&checked(&imp), &one.projects);
    }
}

/// A spec with what the seed lacks: other categories, ranges, deadlines, words, the
/// whole-life funding column, 项目总目标, names that need quoting.
#[derive(Debug, Clone)]
struct Gen {
    name: String,
    multi_year: bool,
    nature: &'static str,
    appropriation: u64,
    carryover: u64,
    other: u64,
    extra_fiscal: u64,
    project_other: u64,
    goal_total: Option<String>,
    goal_paragraphs: Vec<String>,
    indicators: Vec<(String, String)>,
}

fn yuan(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

impl Gen {
    fn spec(&self) -> String {
        let (start, end) = if self.multi_year {
            ("2025-07-01", "2027-06-30")
        } else {
            ("2026-01-01", "2026-12-31")
        };
        let annual = self.appropriation + self.carryover + self.other;
        let mut s = format!(
            "年度 2026\n主管部门 上海市某局\n实施单位 上海市某中心\n\n项目 {} {{\n  性质 {}\n  类别 特定目标类\n  期间 {start} 至 {end}\n  资金 {{\n    年度资金申请总额 {}\n    当年财政拨款 {}\n    上年结转资金 {}\n    其他资金 {}\n",
            quote_if_needed(&self.name),
            self.nature,
            yuan(annual),
            yuan(self.appropriation),
            yuan(self.carryover),
            yuan(self.other),
        );
        if self.multi_year {
            let fiscal = annual + self.extra_fiscal;
            s.push_str(&format!(
                "    项目资金总额 {}\n    财政资金 {}\n    项目其他资金 {}\n",
                yuan(fiscal + self.project_other),
                yuan(fiscal),
                yuan(self.project_other)
            ));
        }
        s.push_str("  }\n");
        if let Some(t) = &self.goal_total {
            s.push_str(&format!("  项目总目标 \"\"\"\n    {t}\n  \"\"\"\n"));
        }
        s.push_str("  年度总体目标 \"\"\"\n");
        s.push_str(
            &self
                .goal_paragraphs
                .iter()
                .map(|p| format!("    {p}"))
                .collect::<Vec<_>>()
                .join("\n\n"),
        );
        s.push_str("\n  \"\"\"\n");
        for (i, (cat, rest)) in self.indicators.iter().enumerate() {
            let (name, value) = rest.split_once('\u{1}').unwrap_or((rest, ""));
            let name = format!("{name}{i}");
            s.push_str(&format!("  {cat} {} {value}\n", quote_if_needed(&name)));
        }
        s.push_str("}\n");
        s
    }
}

fn quote_if_needed(name: &str) -> String {
    if name.contains(['"', '=', '#', '≥', '≤', '<', '>', '{', '\\']) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name.to_string()
    }
}

/// (category, name \u{1} value) that check clean in any project.
fn indicator_pool() -> Vec<(&'static str, &'static str)> {
    vec![
        ("经济成本", "设备单位成本\u{1}≤ 350.00 元/次"),
        ("经济成本", "许可文书处理单位成本\u{1}≤ 40.00 元/份(册)"),
        ("社会成本", "对周边居民出行影响\u{1}= 可控"),
        ("生态环境成本", "施工扬尘影响\u{1}= 可控"),
        ("数量", "窗口申请材料受理\u{1}≥ 8000.00 件"),
        ("数量", "培训人次\u{1}≥ 120 人次"),
        (
            "数量",
            "\"=HYPERLINK(\"http://x\",\"点我\")\" 名称\u{1}= 3 次",
        ),
        ("质量", "验收合格率\u{1}= 90 ~ 100 %"),
        ("质量", "12345 先行联系率\u{1}≥ 90.00 百分比"),
        ("时效", "年度评估报告提交\u{1}≤ 2026-11-30"),
        ("时效", "热线受理接单\u{1}= 24.00 小时/天"),
        ("时效", "按计划时间完成\u{1}= 及时"),
        ("经济效益", "带动社会投资增长率\u{1}≥ 5.5 %"),
        ("社会效益", "有责投诉率\u{1}≤ 0.01 百分比"),
        ("社会效益", "名称含 # 号\u{1}= 有效保障"),
        ("生态效益", "绿化覆盖改善\u{1}= 显著提升"),
        ("可持续影响", "长效管理机制健全性\u{1}= 健全"),
        ("服务对象满意度", "市民满意度评分\u{1}≥ 85.00 %"),
    ]
}

fn gen_strategy() -> impl Strategy<Value = Gen> {
    let names = prop::sample::select(vec![
        "测试项目".to_string(),
        "含“引号”与（括号）的项目".to_string(),
        "=HYPERLINK(\"http://x\",\"点我\")".to_string(),
        "CON".to_string(),
        "a/b:c*d?e".to_string(),
        "名称 # 带井号".to_string(),
    ]);
    let pool = indicator_pool();
    let picks = prop::sample::subsequence(pool, 0..=8);
    (
        names,
        any::<bool>(),
        0u64..50_000_000,
        0u64..5_000_000,
        0u64..1_000_000,
        0u64..9_000_000,
        0u64..1_000_000,
        prop::option::of(Just("三年内建成并稳定运行。".to_string())),
        1usize..=3,
        picks,
    )
        .prop_map(|(name, multi, a, c, o, ef, po, total, paras, picks)| {
            let mut indicators: Vec<(String, String)> = vec![
                ("数量".into(), "完成点位\u{1}≥ 10 个".into()),
                ("社会效益".into(), "群众知晓率\u{1}≥ 90 %".into()),
            ];
            indicators.extend(
                picks
                    .into_iter()
                    .map(|(c, r)| (c.to_string(), r.to_string())),
            );
            // The form's order: 成本, 产出, 效益, 满意度 (the xlsx merges runs).
            let order = |c: &str| {
                [
                    "经济成本",
                    "社会成本",
                    "生态环境成本",
                    "数量",
                    "质量",
                    "时效",
                    "经济效益",
                    "社会效益",
                    "生态效益",
                    "可持续影响",
                    "服务对象满意度",
                ]
                .iter()
                .position(|x| *x == c)
                .unwrap_or(99)
            };
            indicators.sort_by_key(|(c, _)| order(c));
            Gen {
                name,
                multi_year: multi,
                nature: if multi {
                    "阶段性项目"
                } else {
                    "经常性专项业务费"
                },
                appropriation: a + 100_000,
                carryover: c,
                other: o,
                extra_fiscal: ef,
                project_other: po,
                goal_total: if multi { total } else { None },
                goal_paragraphs: (0..paras)
                    .map(|i| format!("第{i}段：完成年度任务, 提升 12345 服务质效。"))
                    .collect(),
                indicators,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn xlsx_round_trip_of_generated_specs(g in gen_strategy()) {
        let text = g.spec();
        let original = check_source("gen.perf", &text);
        prop_assert!(!original.has_errors(), "{text}\n{:#?}", original.diagnostics);
        let model = Model { projects: original.projects.clone() };
        let bytes = perfspec::emit::xlsx::to_bytes(&model).expect("xlsx");
        let imp = import::import_workbook("gen.xlsx", &bytes).expect("import");
        prop_assert_eq!(imp.specs.len(), 1, "{:#?}", imp.notes);
        let got = checked(&imp);
        assert_same_models(&got, &original.projects);
        // The file name is safe whatever the project is called.
        let stem = &imp.specs[0].file_stem;
        prop_assert!(!stem.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']));
        prop_assert!(stem != "CON");
    }
}

/// A finance system's export, written here cell by cell: other positions, labels with
/// full-width colons, amounts in 万元, dates as text and as date cells, values in one cell
/// (`≥120(个)`), merged 一级/二级 cells, HTML in the goal, a footer; a second sheet with
/// the comparator and unit in columns of their own; a summary sheet in front.
fn finance_export() -> Vec<u8> {
    let mut wb = Workbook::new();
    let plain = Format::new();
    let ymd = Format::new().set_num_format("yyyy/m/d");
    {
        let s = wb.add_worksheet().set_name("汇总").expect("name");
        s.write(0, 0, "上海市某中心 2026 年度项目绩效目标汇总表")
            .expect("w");
        s.write(1, 0, "序号").expect("w");
        s.write(1, 1, "项目名称").expect("w");
        s.write(1, 2, "实施单位").expect("w");
        s.write(2, 0, 1).expect("w");
        s.write(2, 1, "智慧园林改造").expect("w");
        s.write(2, 2, "上海市某中心").expect("w");
    }
    {
        let s = wb.add_worksheet().set_name("项目一").expect("name");
        s.merge_range(0, 1, 0, 7, "财政项目支出绩效目标申报表", &plain)
            .expect("m");
        s.write(1, 1, "（2026年度）").expect("w");
        s.write(2, 1, "项目名称：").expect("w");
        s.merge_range(2, 2, 2, 3, "智慧园林改造", &plain)
            .expect("m");
        s.write(2, 4, "项目性质").expect("w");
        s.write(2, 5, "阶段性项目").expect("w");
        s.write(2, 6, "项目类别").expect("w");
        s.write(2, 7, "特定目标类").expect("w");
        s.write(3, 1, "主管部门").expect("w");
        s.write(3, 2, "上海市某局").expect("w");
        s.write(3, 4, "实施单位").expect("w");
        s.write(3, 5, "上海市某中心").expect("w");
        s.write(4, 1, "计划开始日期").expect("w");
        s.write(4, 2, "2025/7/1").expect("w");
        s.write(4, 4, "计划完成日期").expect("w");
        let end = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 6, 30).expect("date");
        s.write_datetime_with_format(4, 5, &end, &ymd).expect("w");
        s.merge_range(5, 1, 8, 1, "项目资金（万元）", &plain)
            .expect("m");
        s.write(5, 2, "项目资金总额：").expect("w");
        s.write(5, 3, 300).expect("w");
        s.write(5, 4, "年度资金申请总额：").expect("w");
        s.write(5, 5, 120).expect("w");
        s.write(6, 2, "其中：财政资金").expect("w");
        s.write(6, 3, 280).expect("w");
        s.write(6, 4, "其中：当年财政拨款").expect("w");
        s.write(6, 5, 100).expect("w");
        s.write(7, 4, "上年结转资金").expect("w");
        s.write(7, 5, 15).expect("w");
        s.write(8, 2, "其他资金").expect("w");
        s.write(8, 3, 20).expect("w");
        s.write(8, 4, "其他资金").expect("w");
        s.write(8, 5, 5).expect("w");
        s.merge_range(9, 1, 10, 1, "项目绩效目标", &plain)
            .expect("m");
        s.write(9, 2, "项目总目标").expect("w");
        s.write(9, 4, "年度总体目标").expect("w");
        s.merge_range(10, 2, 10, 3, "三年内完成全市公园智慧化改造。", &plain)
            .expect("m");
        s.merge_range(
            10,
            4,
            10,
            7,
            "<p>本年度完成 120 个点位改造。</p><p>建立运维机制。</p>",
            &plain,
        )
        .expect("m");
        s.merge_range(11, 1, 19, 1, "绩效指标", &plain).expect("m");
        for (c, h) in ["一级指标", "二级指标", "三级指标", "指标值"]
            .iter()
            .enumerate()
        {
            s.write(11, 2 + c as u16, *h).expect("w");
        }
        let rows: &[(&str, &str, &str, &str)] = &[
            ("成本指标", "经济成本指标", "设备购置成本", "≤80.00(万元)"),
            ("", "", "运维成本", "≤40(万元)"),
            ("产出指标", "数量指标", "完成改造点位", "≥120(个)"),
            ("", "质量指标", "验收合格率", "=100(%)"),
            ("", "时效指标", "年度评估报告提交", "≤2026-11-30"),
            ("效益指标", "社会效益指标", "群众知晓率", "90%-100%"),
            ("", "生态效益指标", "绿化覆盖改善", "显著提升"),
            ("满意度指标", "服务对象满意度指标", "市民满意度", "≥90(%)"),
        ];
        for (i, (l1, l2, n, v)) in rows.iter().enumerate() {
            let r = 12 + i as u32;
            if !l1.is_empty() {
                s.write(r, 2, *l1).expect("w");
            }
            if !l2.is_empty() {
                s.write(r, 3, *l2).expect("w");
            }
            s.write(r, 4, *n).expect("w");
            s.write(r, 5, *v).expect("w");
        }
        s.write(21, 1, "填报人：张三").expect("w");
        s.write(21, 4, "联系电话：12345678").expect("w");
    }
    {
        let s = wb.add_worksheet().set_name("项目二").expect("name");
        s.write(0, 0, "财政项目支出绩效目标申报表").expect("w");
        s.write(1, 0, "2026年度").expect("w");
        let pairs = [
            ("项目名称", "热线运维"),
            ("项目性质", "经常性专项业务费"),
            ("项目类别", "特定目标类"),
            ("主管部门", "上海市某局"),
            ("实施单位", "上海市某中心"),
            ("计划开始日期", "2026-01-01"),
            ("计划完成日期", "2026-12-31"),
        ];
        for (i, (l, v)) in pairs.iter().enumerate() {
            s.write(2 + i as u32, 0, *l).expect("w");
            s.write(2 + i as u32, 1, *v).expect("w");
        }
        s.write(9, 0, "项目资金(元)").expect("w");
        s.write(9, 1, "年度资金申请总额").expect("w");
        s.write(9, 3, 500000).expect("w");
        s.write(10, 1, "当年财政拨款").expect("w");
        s.write(10, 3, 500000).expect("w");
        s.write(11, 1, "上年结转资金").expect("w");
        s.write(11, 3, "0.00").expect("w");
        s.write(12, 1, "其他资金").expect("w");
        s.write(12, 3, "-").expect("w");
        s.write(13, 0, "年度总体目标").expect("w");
        s.write(13, 1, "保障热线平稳运行。\n全年无重大故障。")
            .expect("w");
        let header = [
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "计量单位",
            "指标方向",
        ];
        for (c, h) in header.iter().enumerate() {
            s.write(14, c as u16, *h).expect("w");
        }
        s.write(15, 0, "产出指标").expect("w");
        s.write(15, 1, "数量指标").expect("w");
        s.write(15, 2, "受理工单").expect("w");
        s.write_number_with_format(15, 3, 30000, &Format::new().set_num_format("0.00"))
            .expect("w");
        s.write(15, 4, "件").expect("w");
        s.write(15, 5, "≥").expect("w");
        s.write(16, 0, "效益指标").expect("w");
        s.write(16, 1, "社会效益指标").expect("w");
        s.write(16, 2, "有责投诉率").expect("w");
        s.write(16, 3, 0.01).expect("w");
        s.write(16, 4, "%").expect("w");
        s.write(16, 5, "≤").expect("w");
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn finance_system_export() {
    let imp = import::import_bytes("export.xlsx", &finance_export()).expect("import");
    assert_eq!(imp.specs.len(), 2, "{:#?}", imp.notes);
    let got = checked(&imp);
    let a = &got[0];
    assert_eq!(a.name, "智慧园林改造");
    assert_eq!(a.year, 2026);
    assert_eq!(a.nature, "阶段性项目");
    assert_eq!(
        (a.start.unwrap().to_string(), a.end.unwrap().to_string()),
        ("2025-07-01".into(), "2027-06-30".into())
    );
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(a.funding.annual_total, d("1200000"));
    assert_eq!(a.funding.appropriation, d("1000000"));
    assert_eq!(a.funding.carryover, d("150000"));
    assert_eq!(a.funding.other, d("50000"));
    assert_eq!(a.funding.project_total, Some(d("3000000")));
    assert_eq!(a.funding.project_fiscal, Some(d("2800000")));
    assert_eq!(a.funding.project_other, Some(d("200000")));
    assert_eq!(
        a.goal_total.as_deref(),
        Some("三年内完成全市公园智慧化改造。")
    );
    assert_eq!(
        a.goal_annual,
        "本年度完成 120 个点位改造。\n\n建立运维机制。"
    );
    let shown: Vec<String> = a
        .indicators
        .iter()
        .map(|i| {
            format!(
                "{} {} {}",
                i.level2.short(),
                i.name,
                i.target.form_notation()
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "经济成本 设备购置成本 ≤80.00(万元)",
            "经济成本 运维成本 ≤40(万元)",
            "数量 完成改造点位 ≥120(个)",
            "质量 验收合格率 =100(%)",
            "时效 年度评估报告提交 ≤2026-11-30",
            "社会效益 群众知晓率 90~100(%)",
            "生态效益 绿化覆盖改善 显著提升",
            "服务对象满意度 市民满意度 ≥90(%)",
        ]
    );
    let b = &got[1];
    assert_eq!(b.name, "热线运维");
    assert_eq!(b.funding.annual_total, d("500000"));
    assert_eq!(b.funding.other, d("0"));
    assert_eq!(b.goal_annual, "保障热线平稳运行。\n全年无重大故障。");
    let shown: Vec<String> = b
        .indicators
        .iter()
        .map(|i| i.target.form_notation())
        .collect();
    assert_eq!(shown, ["≥30000.00(件)", "≤0.01(%)"]);

    // The summary sheet skipped, the footer kept, the HTML noted.
    let text = &imp.specs[0].text;
    assert!(
        text.contains("# 未能识别：填报人：张三 | 联系电话：12345678（工作表 项目一!B22"),
        "{text}"
    );
    assert!(imp
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Skipped && n.origin.sheet.as_deref() == Some("汇总")));
    assert!(imp
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Adjusted && n.message.zh.contains("<p>")));
}

// ---------------------------------------------------------------------------------------
// Hostile inputs

#[test]
fn empty_and_blank_inputs_give_no_spec() {
    for text in [
        "",
        "\n\n",
        "   \t\t  \n",
        "\u{FEFF}",
        "随便一段话，不是申报表。\n",
    ] {
        let imp = import::import_bytes("x.txt", text.as_bytes()).expect("text");
        assert!(imp.specs.is_empty(), "{text:?}");
        assert!(
            imp.notes.iter().any(|n| n.kind == NoteKind::Skipped),
            "{text:?}"
        );
    }
}

#[test]
fn binary_and_broken_inputs_are_refused() {
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    assert!(import::import_bytes("r.bin", &random).is_err());
    assert!(import::import_bytes("z.xlsx", b"PK\x03\x04 not really a zip").is_err());
    assert!(import::import_bytes(
        "o.xls",
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]
    )
    .is_err());
    assert!(import::import_bytes("nul.txt", b"abc\0def").is_err());
    let gbk = [0xCF, 0xEE, 0xC4, 0xBF]; // 项目 in GBK
    let e = import::import_bytes("gbk.txt", &gbk).unwrap_err();
    assert!(e.message.zh.contains("iconv"), "{}", e.message.zh);
}

#[test]
fn workbook_without_a_form() {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    s.write(0, 0, "会议纪要").unwrap();
    s.write(1, 0, 42).unwrap();
    s.write(2, 3, "=HYPERLINK(\"http://x\",\"y\")").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let imp = import::import_bytes("memo.xlsx", &bytes).expect("readable");
    assert!(imp.specs.is_empty());
    assert!(imp.notes.iter().any(|n| n.kind == NoteKind::Skipped));
}

#[test]
fn formula_like_and_unsafe_names() {
    let seed = seed_text();
    let text = replace_once(
        &seed,
        "项目名称\t热线服务保障经费",
        "项目名称\t=HYPERLINK(\"http://evil/\",\"CON\")",
    );
    let text = replace_once(
        &text,
        "\t\t\t差别化先行联系\t≥15696.00(件)",
        "\t\t\t=HYPERLINK(\"http://x\",\"y\") # 1\t≥15696.00(件)",
    );
    let imp = import::import_text("seed.txt", &text);
    let got = checked(&imp);
    assert_eq!(got[2].name, "=HYPERLINK(\"http://evil/\",\"CON\")");
    assert!(got[2]
        .indicators
        .iter()
        .any(|i| &*i.name == "=HYPERLINK(\"http://x\",\"y\") # 1"));
    assert_eq!(
        imp.specs[2].file_stem,
        "=HYPERLINK(http evil ,CON)".replace(' ', "")
    );
    for (name, stem) in [
        ("CON", "_CON"),
        ("aux.perf", "_aux.perf"),
        ("a/b\\c", "abc"),
        ("..", "未命名项目"),
        ("项目\u{202E}名称", "项目名称"),
    ] {
        assert_eq!(import::safe_file_stem(name), stem, "{name}");
    }
    let long = "很长的项目名称".repeat(20);
    let stem = import::safe_file_stem(&long);
    assert!(stem.len() <= import::MAX_STEM_BYTES && long.starts_with(&stem));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the text, import does not panic, and what it writes always parses: the
    /// checker may find errors in what the form says, never a line it cannot read.
    #[test]
    fn any_text_imports_to_parseable_specs(
        lines in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec![
                    "财政项目支出绩效目标申报表", "(2026 年度)", "项目名称", "项目性质", "实施单位",
                    "计划开始日期", "2026-01-01", "2026-02-30", "项目资金 (元)", "年度资金申请总额:",
                    "其他资金", "1,000.00", "九十万", "项目总目标", "年度总体目标", "<p>目标</p>",
                    "一级指标", "二级指标", "三级指标", "年度(/项目)指标值", "成本指标", "经济成本 指标",
                    "数量指标", "满意度指标", "服务对象 满意度指 标", "指标", "名称", "名 #称", "\"引号\"",
                    "≥5400.00(份(册))", "≤40.00(元/份", "(册))", "=100(百分比)", "有效保障", "100%完成",
                    "\"\"\"", "}", "{", "项目 x {", "=HYPERLINK(", "\u{200B}", "", "  ", "CON",
                ]),
                0..6,
            ),
            0..40,
        )
    ) {
        let text: String = lines.iter().map(|l| l.join("\t")).collect::<Vec<_>>().join("\n");
        let imp = import::import_text("fuzz.txt", &text);
        for s in &imp.specs {
            let (_, diags) = perfspec::syntax::parse(&s.text);
            prop_assert!(diags.is_empty(), "{}\n{:#?}", s.text, diags);
            prop_assert!(!s.file_stem.is_empty() && s.file_stem.len() <= import::MAX_STEM_BYTES);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Arbitrary bytes and arbitrary text: no panic, and any spec written parses.
    #[test]
    fn arbitrary_input_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..2000),
        text in "([\\PC\t\n　]|项目名称|一级指标|≥|\\(|\\)|\\d{1,30}|年度){0,200}",
    ) {
        let _ = import::import_bytes("x.bin", &bytes);
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        let _ = import::import_bytes("x.xlsx", &zipped);
        let imp = import::import_text("x.txt", &text);
        for s in &imp.specs {
            let (_, diags) = perfspec::syntax::parse(&s.text);
            prop_assert!(diags.is_empty(), "{}\n{:#?}", s.text, diags);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The command

fn perfspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
}

#[test]
fn cli_writes_checks_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let report = dir.path().join("report.json");
    let seed = dir.path().join("seed.txt");
    let mut text = seed_text();
    text.push_str("\n填报人：张三\n");
    std::fs::write(&seed, &text).unwrap();
    let run = perfspec()
        .arg("import")
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("未能识别") && stderr.contains("填报人：张三"),
        "{stderr}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "全市绿化、市容、环卫、林业诉求处置督查督办.perf",
            "热线服务保障经费.perf",
            "绿化市容行政服务工作.perf",
            "行业信访、安全及保障稳定的应急工作专项.perf",
        ]
    );
    // What was written is what `check` and `fmt --check` accept.
    let check = perfspec().arg("check").arg(&out).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let fmt = perfspec()
        .args(["fmt", "--check"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );

    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["inputs"][0]["projects"], 4);
    assert_eq!(json["outputs"].as_array().unwrap().len(), 4);
    let notes = json["notes"].as_array().unwrap();
    let footer = notes
        .iter()
        .find(|n| n["kind"] == "unmapped")
        .expect("unmapped note");
    assert_eq!(footer["text"], "填报人：张三");
    assert!(footer["line"].as_u64().is_some());
    assert!(footer["output"]
        .as_str()
        .unwrap()
        .ends_with("全市绿化、市容、环卫、林业诉求处置督查督办.perf"));

    // Nothing is overwritten without --force: exit 2, files unchanged.
    let target = out.join("热线服务保障经费.perf");
    std::fs::write(&target, "# mine\n").unwrap();
    let again = perfspec()
        .arg("import")
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "# mine\n");
    let forced = perfspec()
        .arg("import")
        .arg(&seed)
        .arg("-o")
        .arg(&out)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .contains("项目 热线服务保障经费 {"));
}

#[test]
fn cli_same_project_twice_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, seed_text()).unwrap();
    std::fs::write(&b, seed_text()).unwrap();
    let out = dir.path().join("o");
    let run = perfspec()
        .arg("import")
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.join("热线服务保障经费-2.perf").exists());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 8);

    // A spec with errors (a total that is not the sum of its parts): written, its
    // diagnostics shown, exit 1. (A field the form lacks is no longer one: the importer
    // writes `待填`, a warning, PS114.)
    let broken = dir.path().join("broken.txt");
    std::fs::write(
        &broken,
        replace_once(
            &seed_text(),
            "年度资金申请总额:\t1,813,200.00",
            "年度资金申请总额:\t1,813,201.00",
        ),
    )
    .unwrap();
    let out2 = dir.path().join("o2");
    let run = perfspec()
        .arg("import")
        .arg(&broken)
        .arg("-o")
        .arg(&out2)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("PS201") && stderr.contains("热线服务保障经费.perf"),
        "{stderr}"
    );
    assert!(out2.join("热线服务保障经费.perf").exists());

    // Unreadable input and a missing file: exit 2, nothing written.
    let bin = dir.path().join("x.bin");
    std::fs::write(&bin, [0xFFu8, 0xFE, 0x00, 0xD8, 0x00]).unwrap();
    let out3 = dir.path().join("o3");
    for input in [bin.as_path(), dir.path().join("missing.txt").as_path()] {
        let run = perfspec()
            .arg("import")
            .arg(&a)
            .arg(input)
            .arg("-o")
            .arg(&out3)
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(!out3.exists());
    }
    // No form at all: exit 1.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let run = perfspec()
        .arg("import")
        .arg(&empty)
        .arg("-o")
        .arg(&out3)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    // English messages.
    let run = perfspec()
        .args(["--lang", "en", "import"])
        .arg(&empty)
        .arg("-o")
        .arg(&out3)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("no form found"));
}

/// An OpenDocument spreadsheet holding the seed's forms, one per sheet, cell for cell as
/// the copy has them (amounts of the first form as numbers). Written by hand: no ODS
/// writer is among the dependencies.
fn seed_as_ods() -> Vec<u8> {
    use std::io::Write;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let seed = seed_text();
    let mut tables = String::new();
    for (k, form) in seed.split("财政项目支出绩效目标申报表").skip(1).enumerate() {
        tables.push_str(&format!("<table:table table:name=\"表{}\">", k + 1));
        for line in std::iter::once("财政项目支出绩效目标申报表").chain(form.lines()) {
            tables.push_str("<table:table-row>");
            for cell in line.split('\t') {
                let cell = cell.trim();
                if cell.is_empty() {
                    tables.push_str("<table:table-cell/>");
                } else if k == 0 && cell == "991,823.00" {
                    tables.push_str("<table:table-cell office:value-type=\"float\" office:value=\"991823\"><text:p>991,823.00</text:p></table:table-cell>");
                } else {
                    tables.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        esc(cell)
                    ));
                }
            }
            tables.push_str("</table:table-row>");
        }
        tables.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", stored).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", stored).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn ods_workbook_with_the_seed_forms() {
    let imp = import::import_bytes("seed.ods", &seed_as_ods()).expect("ods");
    assert_eq!(imp.specs.len(), 4, "{:#?}", imp.notes);
    assert_same_models(&checked(&imp), &ground_truth());
    assert_eq!(imp.count(NoteKind::Unmapped), 0, "{:#?}", imp.notes);
}

/// Another unit's form, copied differently from the seed: space-aligned, `label：value` in
/// one cell, 实施期限 with Chinese dates, amounts in 万元, comparators in words, older
/// category names, a deadline with 前, a value without comparator, a page number.
#[test]
fn another_units_form() {
    let text = std::fs::read_to_string("tests/fixtures/import/other-unit.txt").unwrap();
    let imp = import::import_text("other-unit.txt", &text);
    assert_eq!(imp.specs.len(), 1, "{:#?}", imp.notes);
    let spec = &imp.specs[0];
    let r = check_source("x.perf", &spec.text);
    assert!(!r.has_errors(), "{}\n{:#?}", spec.text, r.diagnostics);
    // The value printed without a comparator stays without one (PS311), the old category
    // names are read with today's (the spec writes today's, so no PS302).
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["PS311"], "{:#?}", r.diagnostics);
    let p = &r.projects[0];
    assert_eq!(p.name, "街道绿化养护");
    assert_eq!(p.funding.annual_total, "1205000".parse().unwrap());
    assert_eq!(p.funding.project_total, None);
    assert_eq!(p.indicators.len(), 7);
    let renamed = imp
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Adjusted && n.message.zh.contains("现行框架"))
        .count();
    assert_eq!(renamed, 2, "{:#?}", imp.notes);
    assert!(
        imp.notes
            .iter()
            .any(|n| n.message.zh.contains("不少于35条")),
        "{:#?}",
        imp.notes
    );
    assert_eq!(imp.count(NoteKind::Unmapped), 0, "{:#?}", imp.notes);
    insta::assert_snapshot!("other_unit", spec.text);
}

// ---------------------------------------------------------------------------------------
// 自评表

/// A 自评表 pasted as tab-separated text: the budget execution table, the goal beside what
/// was achieved, and an indicator table with 指标性质 / 指标值 / 度量单位 and the year-end
/// columns, the scores left empty for perfspec to compute.
fn self_evaluation_tsv() -> String {
    [
        "项目支出绩效自评表",
        "（2025年度）",
        "项目名称\t小型水库水标尺制作安装",
        "主管部门\t中江县水利局\t实施单位\t中江县水利局",
        "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        "年度资金总额\t20.00\t20.00\t19.00\t10\t95.00%\t",
        "年度总体目标\t预期目标\t实际完成情况",
        "\t对农村地区供水计量设施设备进行改进。\t已完成 266 米坡面水标尺的安装。",
        "绩效指标\t一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t安装坡面水标尺\t≥\t266\t米\t270\t\t\t",
        "\t\t质量指标\t项目验收合格率\t=\t100\t%\t95%\t\t\t部分标尺需返工，已于 11 月整改",
        "\t\t时效指标\t及时完工率\t≥\t90\t%\t92\t\t\t",
        "\t\t成本指标\t项目计划总投资\t≤\t20\t万元\t19\t\t\t",
        "\t效益指标\t社会效益指标\t群众生产生活条件改善状况\t=\t显著提升\t\t显著提升\t\t\t",
        "\t满意度指标\t服务对象满意度指标\t受益户满意度\t≥\t95\t%\t96\t—\t/\t",
        "",
    ]
    .join("\n")
}

#[test]
fn self_evaluation_as_tab_separated_text() {
    let imp = import::import_text("zipingbiao.txt", &self_evaluation_tsv());
    assert_eq!(imp.specs.len(), 1, "{:?}", imp.notes);
    let text = &imp.specs[0].text;
    for line in [
        "模板 自评表",
        "预算执行 {",
        "年初预算数 20.00 万元",
        "全年预算数 20.00 万元",
        "全年执行数 19.00 万元",
        "    分值 10",
        "# 执行率 95.00%",
        "完成情况 \"\"\"",
        "已完成 266 米坡面水标尺的安装。",
        "实际完成值 270 米",
        "实际完成值 95 %",
        // A bare number takes the unit printed in the row's 度量单位 column.
        "实际完成值 92 %",
        "实际完成值 19 万元",
        "实际完成值 显著提升",
        "偏差原因 部分标尺需返工，已于 11 月整改",
    ] {
        assert!(text.contains(line), "no `{line}` in\n{text}");
    }
    // Empty cells, `—` and `/` write nothing; no score is made up.
    assert!(!text.contains("得分"), "{text}");
    assert_eq!(text.matches("分值").count(), 1, "{text}");
    assert_eq!(
        perfspec::fmt::format_source(text).ok().as_deref(),
        Some(text.as_str())
    );

    // Built, each row has the score the rules give it.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.perf");
    std::fs::write(&spec, text).unwrap();
    let json = dir.path().join("out.json");
    let run = perfspec()
        .args(["build"])
        .arg(&spec)
        .args(["--format", "json", "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let project = &doc["projects"][0];
    let inds = project["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 6);
    for ind in inds {
        assert!(
            ind["score"].is_string(),
            "{} has no score: {ind}",
            ind["name"]
        );
    }
    let eval = &project["evaluation"];
    assert!(eval["score"].is_string(), "{eval}");
    assert_eq!(eval["execution_rate"], "95.00");
    assert_eq!(eval["outcome"], "已完成 266 米坡面水标尺的安装。");
}

#[test]
fn self_evaluation_bare_actual_takes_its_targets_unit_and_says_so() {
    // No 度量单位 column: the actual cell prints the number only, the target beside it the
    // unit. The target's unit is written, with a comment and a note saying where it came
    // from; a target without a unit leaves the actual's 待填 too; a target that is no
    // number gives a bare actual no unit at all (kept as a comment).
    let text = [
        "项目支出绩效自评表（2025年度）",
        "项目名称\t某项目",
        "主管部门\t某局\t实施单位\t某中心",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t委托业务项目数量\t≥50个\t50\t8\t8\t",
        "\t\t\t复核项目数量\t≥10个\t≥12个\t8\t8\t",
        "\t\t质量指标\t工程完工率\t100\t100\t8\t8\t",
        "\t\t\t资料规范性\t规范\t95\t8\t8\t",
        "\t\t\t验收合格率\t≥95%\t0.98\t8\t8\t",
        "\t\t\t完工率\t≥95%\t100%（已完成）\t8\t8\t",
        "",
    ]
    .join("\n");
    let imp = import::import_text("x.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(
        spec.contains("实际完成值 50 个  # 单位取自本行指标值（表上只写了 50）"),
        "{spec}"
    );
    assert!(
        spec.contains("实际完成值 100 待填  # 表中未给出计量单位"),
        "{spec}"
    );
    assert!(
        spec.contains("# 实际完成值：95（表上没有写实际完成值的单位"),
        "{spec}"
    );
    // A note in brackets after the value: the value, the note in the comment.
    assert!(
        spec.contains("实际完成值 100 %  # 表上的说明：已完成"),
        "{spec}"
    );
    // A fraction beside a percentage: a share or a percentage, not decided.
    assert!(
        spec.contains("# 实际完成值：0.98（实际完成值只写了 0.98，指标值是百分数"),
        "{spec}"
    );
    // A comparator copied from the target is kept as written (the checker warns).
    assert!(spec.contains("实际完成值 ≥ 12 个"), "{spec}");
    assert!(spec.contains("分值 8") && spec.contains("得分 8"), "{spec}");
    assert!(imp
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Adjusted && n.text == "50"));
    assert!(imp
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Unmapped && n.text == "95"));
}

#[test]
fn self_evaluation_budget_table_without_cell_breaks() {
    // The budget table of a one-line page copy: its header's words and the total's figures
    // run together; the cut is the one whose amounts give the printed rate.
    let glued =
        "项目支出绩效自评表(2022年度)项目名称某项目主管部门某局实施单位某中心资金情况(万元)\
                 全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:202010100.00%10\
                 其中:本年财政拨款2020";
    // The same with single spaces between the cells.
    let flat = "项目支出绩效自评表 (2022年度) 项目名称 某项目 主管部门 某局 实施单位 某中心 项目资金 \
                (万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 20 20 19 10 95% 9.5 \
                其中:本年财政拨款 20 20 19";
    // One cell per line.
    let lines = "项目支出绩效自评表（2022年度）\n项目名称\n某项目\n项目资金\n(万元)\n年初预算数\n\
                 全年预算数\n全年执行数\n分值\n执行率\n得分\n年度资金总额\n20\n20\n19\n10\n95%\n9.5\n\
                 其中:当年财政拨款\n20\n20\n19\n";
    for (text, initial, spent, score) in [
        (glued, false, "20.00", "10"),
        (flat, true, "19.00", "9.5"),
        (lines, true, "19.00", "9.5"),
    ] {
        let imp = import::import_text("x.txt", text);
        let spec = &imp.specs[0].text;
        assert!(spec.contains("预算执行 {"), "{spec}");
        assert_eq!(spec.contains("年初预算数 20.00 万元"), initial, "{spec}");
        assert!(spec.contains("全年预算数 20.00 万元"), "{spec}");
        assert!(spec.contains(&format!("全年执行数 {spent} 万元")), "{spec}");
        assert!(spec.contains("分值 10"), "{spec}");
        assert!(spec.contains(&format!("得分 {score}")), "{spec}");
        assert!(spec.contains("# 未能识别：其中:"), "{spec}");
        assert!(!spec.contains("资金 {"), "{spec}");
    }
}

#[test]
fn self_evaluation_weights_printed_as_shares_of_100_points() {
    let form = |w1: &str, w2: &str| {
        [
            "项目支出绩效自评表（2025年度）",
            "项目名称\t某项目",
            "一级指标\t二级指标\t三级指标\t指标值\t完成值\t权重\t得分",
            &format!("产出指标\t数量指标\t发放额增长率\t≥10%\t15%\t{w1}\t60"),
            &format!("满意度指标\t服务对象满意度指标\t个人满意度\t≥80%\t90%\t{w2}\t40"),
            "",
        ]
        .join("\n")
    };
    let imp = import::import_text("x.txt", &form("60%", "40%"));
    let spec = &imp.specs[0].text;
    assert!(
        spec.contains("分值 60  # 表上的权重为 60%，按总分 100 分计为 60 分"),
        "{spec}"
    );
    assert!(spec.contains("分值 40  #"), "{spec}");
    // Shares adding up to more than 100 %, or mixed with points: kept as printed.
    for (a, b) in [("60%", "50%"), ("60%", "40")] {
        let imp = import::import_text("x.txt", &form(a, b));
        let spec = &imp.specs[0].text;
        assert!(spec.contains(&format!("# 分值：{a}")), "{spec}");
    }
}

#[test]
fn self_evaluation_month_only_actuals_stay_comments() {
    // The language has no month value: a month beside a deadline is kept, with the date to
    // write; beside a target that counts months it is a number of months.
    let text = [
        "项目支出绩效自评表（2025年度）",
        "项目名称\t某项目",
        "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
        "产出指标\t时效指标\t完工时间\t≤2023-12-31\t2023年10月\t10\t10",
        "\t\t验收时间\t≤2023-12-31\t7月\t10\t10",
        "\t\t建设周期\t≤12个月\t10个月\t10\t10",
        "",
    ]
    .join("\n");
    let imp = import::import_text("x.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(
        spec.contains("# 实际完成值：2023年10月（只写到月份，.perf 没有月份值：请写成日期，如 `实际完成值 2023-10-31`）"),
        "{spec}"
    );
    assert!(spec.contains("# 实际完成值：7月（只写到月份"), "{spec}");
    assert!(spec.contains("实际完成值 10 个月"), "{spec}");
}

#[test]
fn self_evaluation_budget_total_label_wrapped_and_parts_without_a_total() {
    let form = |rows: &[&str]| {
        let mut lines = vec![
            "项目支出绩效自评表（2025年度）",
            "项目名称\t某项目",
            "项目资金（万元）\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
        ];
        lines.extend_from_slice(rows);
        lines.extend_from_slice(&[
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
            "产出指标\t数量指标\t完工数\t≥2个\t2个\t90\t90",
            "",
        ]);
        lines.join("\n")
    };
    // The total's label on its own line, its figures on the next.
    let imp = import::import_text(
        "x.txt",
        &form(&[
            "年度资金总额",
            "\t20\t20\t19\t10\t95%\t9.5",
            "其中：财政拨款\t20\t20\t19",
        ]),
    );
    let spec = &imp.specs[0].text;
    assert!(spec.contains("全年执行数 19.00 万元"), "{spec}");
    assert!(
        spec.contains("分值 10") && spec.contains("得分 9.5"),
        "{spec}"
    );
    // The total's figures going on on the next line.
    let imp = import::import_text(
        "x.txt",
        &form(&["年度资金总额\t20\t20", "19\t10\t95%\t9.5"]),
    );
    let spec = &imp.specs[0].text;
    assert!(spec.contains("全年执行数 19.00 万元"), "{spec}");
    assert!(
        spec.contains("分值 10") && spec.contains("得分 9.5"),
        "{spec}"
    );
    // Figures right under the header, their label lost: the total.
    let imp = import::import_text("x.txt", &form(&["\t20\t20\t19\t10\t95%\t9.5"]));
    let spec = &imp.specs[0].text;
    assert!(spec.contains("全年执行数 19.00 万元"), "{spec}");
    // No unit stated anywhere for the amounts: the line stays comments, no block of points.
    let text =
        form(&["年度资金总额\t20\t20\t19\t10\t95%\t9.5"]).replace("项目资金（万元）", "项目资金");
    let imp = import::import_text("x.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(!spec.contains("预算执行 {"), "{spec}");
    assert!(spec.contains("全年执行数 19 | 分值 10"), "{spec}");
    // A part alone is not the total: no block is made up from it.
    let imp = import::import_text("x.txt", &form(&["其中：财政拨款\t20\t20\t19"]));
    let spec = &imp.specs[0].text;
    assert!(!spec.contains("预算执行 {"), "{spec}");
    assert!(
        spec.contains("# 未能识别：其中：财政拨款 | 20 | 20 | 19"),
        "{spec}"
    );
}

#[test]
fn self_evaluation_budget_headings_each_before_its_amount() {
    // 河北's system export: each heading followed by its amount, the money unit stated in
    // words in the header above.
    let text = [
        "成安县民政局2020年度预算项目绩效自评表",
        "一、基本情况 项目名称: 某项目 实施(主管)单位 某局 金额单位: 万元",
        "二、预算执行情况 预算安排情况(调整后) 资金到位情况 资金执行情况 预算执行进度(%)",
        "预算数 6.84 到位数 6.84 执行数 6.50 95.03",
        "四、年度绩效指标完成情况 一级指标 二级指标 三级指标 指标值 实际完成值 分值 得分",
        "产出指标 数量指标 补贴人数 =19人 19人 90 90",
        "",
    ]
    .join("\n");
    let imp = import::import_text("x.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(spec.contains("全年预算数 6.84 万元"), "{spec}");
    assert!(spec.contains("全年执行数 6.50 万元"), "{spec}");
    assert!(spec.contains("# 备注：95.03"), "{spec}");
}

#[test]
fn self_evaluation_as_a_workbook_reads_like_its_text() {
    // The same form as a worksheet, numbers as number cells: the same spec.
    let mut wb = Workbook::new();
    let s = wb.add_worksheet().set_name("自评表").expect("name");
    for (r, line) in self_evaluation_tsv().lines().enumerate() {
        for (c, cell) in line.split('\t').enumerate() {
            if cell.is_empty() {
                continue;
            }
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if !cell.contains('.') => s.write_number(r, c, n).map(|_| ()),
                _ => s.write(r, c, cell).map(|_| ()),
            }
            .expect("write");
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let from_sheet = import::import_bytes("zipingbiao.xlsx", &bytes).expect("readable");
    let from_text = import::import_text("zipingbiao.xlsx", &self_evaluation_tsv());
    assert_eq!(from_sheet.specs.len(), 1);
    assert_eq!(from_sheet.specs[0].text, from_text.specs[0].text);
}

/// What the form lacks is written `待填` with a comment, so the spec checks without an
/// error (PS114 warnings instead), and the 2015 tree makes the template 中央2015.
#[test]
fn what_the_form_lacks_is_left_to_fill() {
    // 01: the 2015 tree (成本 under 产出, 社会公众或服务对象满意度指标 under 效益).
    let text = std::fs::read_to_string("tests/forms/01-hubei-qingshan-boruoxuexiao/form.txt")
        .expect("form 01");
    let imp = import::import_text("form.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(spec.contains("模板 中央2015\n"), "{spec}");
    let r = check_source("x.perf", spec);
    assert!(!r.has_errors(), "{spec}\n{:#?}", r.diagnostics);

    // 15: no money unit stated (the amounts stay comments), 实施单位 missing.
    let text = std::fs::read_to_string("tests/forms/15-shaanxi-qingjian-guoyuanlu/form.txt")
        .expect("form 15");
    let imp = import::import_text("form.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(spec.contains("\n  资金 待填  # 表中未找到："), "{spec}");
    assert!(spec.contains("# 未能识别：年度资金申请总额 500"), "{spec}");
    let r = check_source("x.perf", spec);
    assert!(!r.has_errors(), "{spec}\n{:#?}", r.diagnostics);
    assert!(r.diagnostics.iter().any(|d| d.code == "PS114"));
    assert_eq!(r.projects[0].funding.annual_total, "0".parse().unwrap());

    // A number without its unit keeps the number; the unit is 待填, never guessed.
    let text = std::fs::read_to_string("tests/forms/47-hebei-langfang-nuantong/form.txt")
        .expect("form 47");
    let imp = import::import_text("form.txt", &text);
    let spec = &imp.specs[0].text;
    assert!(spec.contains(" 待填  # 表中未给出计量单位"), "{spec}");
    let r = check_source("x.perf", spec);
    assert!(!r.has_errors(), "{spec}\n{:#?}", r.diagnostics);
}

/// Published forms as the page store prints them (cells between ` | `, one cell per line with
/// a lone `|` for an empty cell, one cell per paragraph): every indicator row of the form's
/// hand-written `expected.tsv` comes out as an indicator line with its name, and nothing else
/// does.
#[test]
fn published_forms_in_page_store_layouts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, form) in [
        (
            "02-qingshan-jichusheshi.txt",
            "02-hubei-qingshan-jichusheshi",
        ),
        (
            "03-yueyang-gaobiaozhunnongtian.txt",
            "03-hunan-yueyang-gaobiaozhunnongtian",
        ),
        ("05-jingyan-cunzuganbu.txt", "05-sichuan-jingyan-cunzuganbu"),
        ("22-xiangtan-wupaoche.txt", "22-hunan-xiangtan-wupaoche"),
        (
            "40-qingshen-gongzixing.txt",
            "40-sichuan-qingshen-gongzixing",
        ),
    ] {
        let text = std::fs::read_to_string(root.join("tests/fixtures/import/store").join(file))
            .expect("store text");
        let expected =
            std::fs::read_to_string(root.join("tests/forms").join(form).join("expected.tsv"))
                .expect("expected.tsv");
        let names: Vec<String> = expected
            .lines()
            .filter(|l| !l.starts_with("# ") && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| l.split('\t').nth(2).map(str::to_string))
            .collect();
        let imp = import::import_text(file, &text);
        assert_eq!(imp.specs.len(), 1, "{file}");
        let (tree, _) = perfspec::syntax::parse(&imp.specs[0].text);
        let got: Vec<String> = tree
            .items
            .iter()
            .filter_map(|i| match i {
                perfspec::syntax::TopItem::Project(p) => Some(p),
                _ => None,
            })
            .flat_map(|p| p.items.iter())
            .filter_map(|i| match i {
                perfspec::syntax::ProjectItem::Indicator(ind) => Some(ind.name.value.clone()),
                _ => None,
            })
            .collect();
        // A row the language cannot hold as the form prints it (a period of months,
        // `2023.07-2024.01`) is kept as a comment with its reason, never dropped.
        let spec = &imp.specs[0].text;
        let kept: Vec<String> = names
            .iter()
            .filter(|n| {
                got.contains(n)
                    || !spec
                        .lines()
                        .any(|l| l.contains("# 未能识别：") && l.contains(n.as_str()))
            })
            .cloned()
            .collect();
        assert!(
            kept.len() + 1 >= names.len(),
            "{file}: at most one row as a comment"
        );
        assert_eq!(got, kept, "{file}:\n{spec}");
    }
}

#[test]
fn a_page_that_starts_inside_the_table_is_read_without_its_header() {
    // No title, no 项目名称, no 一级指标 header: a page cut inside the indicator table, as
    // tab-separated rows and as one line with single spaces.
    let tabbed = "成本指标\t宣传成本预算\t≤\t101400\t元\t5\n\
                  效益指标\t社会效益指标\t群众知晓率\t=\t100\t%\t15\n\
                  满意度指标\t服务对象满意度指标\t参保人员满意度\t≥\t90\t%\t10\n";
    let flat = "产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 \
                效益指标经济效益指标结余率≤5% 22.5 合计100 评价结论及时、足额缴纳。";
    for (what, text, want) in [
        (
            "tabbed",
            tabbed,
            ["宣传成本预算 ≤ 101400 元", "群众知晓率 = 100 %"],
        ),
        ("flat", flat, ["足额保障率 = 100 %", "科目调整次数 ≤ 10 次"]),
    ] {
        let imp = import::import_text("page.txt", text);
        assert_eq!(imp.specs.len(), 1, "{what}: {:?}", imp.notes);
        let spec = &imp.specs[0].text;
        for w in want {
            assert!(spec.contains(w), "{what}: {w} not in\n{spec}");
        }
        assert!(
            imp.notes
                .iter()
                .any(|n| n.kind == NoteKind::Adjusted && n.message.zh.contains("没有找到表头")),
            "{what}: {:?}",
            imp.notes
        );
        let r = check_source("page.perf", spec);
        assert!(!r.has_errors(), "{what}: {spec}\n{:?}", r.diagnostics);
    }
}

#[test]
fn a_value_printed_as_its_unit_alone_is_to_fill() {
    // A template never filled in: the value column holds only the unit. The number is
    // unknown: `= 待填` (the comparator kept), the printed unit in the comment.
    let text = "项目名称\t水利发展\n\
                一级指标\t二级指标\t三级指标\t指标值\n\
                产出指标\t数量指标\t新建堤防长度\t公里\n\
                产出指标\t质量指标\t工程验收合格率\t≧ %\n\
                效益指标\t社会效益指标\t受益人口\t≥ 9200 人\n";
    let imp = import::import_text("form.txt", text);
    let spec = &imp.specs[0].text;
    assert!(
        spec.contains("新建堤防长度 = 待填  # 表中只印了计量单位“公里”"),
        "{spec}"
    );
    assert!(spec.contains("工程验收合格率 ≥ 待填"), "{spec}");
    let r = check_source("form.perf", spec);
    assert!(!r.has_errors(), "{spec}\n{:?}", r.diagnostics);
}

#[test]
fn a_number_after_the_value_under_no_heading_is_kept_not_taken_for_the_target() {
    // The header ends at 指标值; the rows go on with a weight the header does not name.
    let text = "项目名称\t测试项目\n\
                一级指标\t二级指标\t三级指标\t指标值\n\
                成本指标\t宣传成本预算\t≤\t101400\t元\t5\n\
                效益指标\t社会效益指标\t群众知晓率\t≥90%\t10\n";
    let imp = import::import_text("form.txt", text);
    let spec = &imp.specs[0].text;
    assert!(spec.contains("经济成本 宣传成本预算 ≤ 101400 元"), "{spec}");
    assert!(spec.contains("社会效益 群众知晓率 ≥ 90 %"), "{spec}");
    assert!(spec.contains("# 备注：表头之外的单元格：10"), "{spec}");
}

/// A bare actual number beside a target with its unit: a count or a length takes the
/// target's unit (said in a comment), money never does (元 or 万元 is a factor of 10,000):
/// its unit is 待填.
#[test]
fn a_bare_actual_beside_money_gets_no_unit() {
    let text = [
        "项目支出绩效自评表",
        "（2025年度）",
        "项目名称\t小型水库水标尺制作安装",
        "主管部门\t中江县水利局\t实施单位\t中江县水利局",
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
        "\t产出指标\t数量指标\t安装坡面水标尺\t≥266米\t270\t20\t20\t",
        "\t\t成本指标\t项目计划总投资\t≤20万元\t19\t20\t20\t",
        "\t效益指标\t社会效益指标\t受益人口\t≥1000人\t1200\t30\t30\t",
        "\t满意度指标\t服务对象满意度指标\t受益户满意度\t≥95%\t96%\t10\t10\t",
        "",
    ]
    .join("\n");
    let imp = import::import_text("zipingbiao.txt", &text);
    assert_eq!(imp.specs.len(), 1, "{:?}", imp.notes);
    let spec = &imp.specs[0].text;
    assert!(spec.contains("实际完成值 270 米"), "{spec}");
    assert!(spec.contains("实际完成值 19 待填"), "{spec}");
    assert!(!spec.contains("实际完成值 19 万元"), "{spec}");
}

#[test]
fn a_title_run_together_with_the_form_is_read_after_the_title() {
    // Page text without breaks: the title, then the labels and their values.
    let text = "2021年度财政项目绩效自评表单位名称:襄阳市中心医院填报日期:2022年3月18日\
                项目名称东津院区建设补助主管部门襄阳市卫生健康委项目实施单位襄阳市中心医院项目类别 1、部门预算项目\n";
    let imp = import::import_text("form.txt", text);
    assert_eq!(imp.specs.len(), 1, "{:?}", imp.notes);
    let spec = &imp.specs[0].text;
    for want in [
        "项目 东津院区建设补助 {",
        "主管部门 襄阳市卫生健康委",
        "实施单位 襄阳市中心医院\n",
    ] {
        assert!(spec.contains(want), "{want} not in\n{spec}");
    }
}
