//! The year-end self-evaluation (docs/self-evaluation.md): scores by the national default
//! rules, end to end through the checker and the JSON contract; invariants of the scoring as
//! property tests; `fmt` keeps every year-end line.

use perfspec::check::check_source;
use perfspec::emit::json;
use perfspec::model::Model;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

const HEAD: &str = "模板 自评表\n年度 2025\n主管部门 某区水务局\n实施单位 某区水务服务中心\n\n";

/// The model and the codes of its errors and self-evaluation findings (other warnings, such
/// as a missing cost indicator, are beside the point here).
fn model_of(src: &str) -> (Model, Vec<&'static str>) {
    let r = check_source("t.perf", src);
    let codes = r
        .diagnostics
        .iter()
        .filter(|d| d.is_error() || d.code.as_str().starts_with("PS5"))
        .map(|d| d.code.as_str())
        .collect();
    (
        Model {
            projects: r.projects,
        },
        codes,
    )
}

fn json_of(src: &str) -> (Value, Vec<&'static str>) {
    let (m, codes) = model_of(src);
    let v = serde_json::from_str(&json::to_string(&m)).expect("json");
    (v, codes)
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

/// The issue's own example: a 自评表 with scores left empty gets each row's score, the total
/// and the grade by the rules.
#[test]
fn scores_left_empty_are_computed_by_the_rules() {
    let src = format!(
        "{HEAD}项目 河道保洁 {{
  预算执行 {{
    年初预算数 100.00 万元
    全年预算数 100.00 万元
    全年执行数 95.00 万元
  }}
  数量 保洁河道长度 ≥ 120 公里
    实际完成值 108 公里
    偏差原因 两条河道整治延期，已列入次年计划
  质量 保洁达标率 ≥ 95 %
    实际完成值 96 %
  时效 问题整改时限 ≤ 2025-06-30
    实际完成值 2025-06-20
  经济成本 保洁单价 ≤ 8000 元/公里
    实际完成值 7600 元/公里
  社会效益 河道环境 = 明显改善
    实际完成值 明显改善
  生态效益 水质达标率 ≥ 90 %
    实际完成值 85 %
    偏差原因 上游来水超标，已报请流域协调
  服务对象满意度 沿岸居民满意度 ≥ 90 %
    实际完成值 93 %
}}
"
    );
    let (v, codes) = json_of(&src);
    assert!(codes.is_empty(), "{codes:?}");
    let p = &v["projects"][0];
    let ind = p["indicators"].as_array().expect("indicators");
    let row = |i: usize| {
        (
            ind[i]["weight"].as_str().unwrap_or("?").to_string(),
            ind[i]["score"].as_str().unwrap_or("?").to_string(),
            ind[i]["met"].clone(),
        )
    };
    // 产出 50 over 4 indicators (成本 counts among the outputs): 12.50 each.
    assert_eq!(row(0), ("12.50".into(), "11.25".into(), Value::Bool(false))); // 108/120
    assert_eq!(row(1), ("12.50".into(), "12.50".into(), Value::Bool(true)));
    assert_eq!(row(2), ("12.50".into(), "12.50".into(), Value::Bool(true)));
    assert_eq!(row(3), ("12.50".into(), "12.50".into(), Value::Bool(true)));
    // 效益 30 over 2: 15 each; 85/90 × 15 = 14.1666… → 14.17.
    assert_eq!(row(4), ("15.00".into(), "15.00".into(), Value::Bool(true)));
    assert_eq!(row(5), ("15.00".into(), "14.17".into(), Value::Bool(false)));
    assert_eq!(row(6), ("10.00".into(), "10.00".into(), Value::Bool(true)));
    let e = &p["evaluation"];
    assert_eq!(e["execution_rate"], "95.00");
    assert_eq!(e["execution"]["score"], "9.50");
    // 9.50 + 11.25 + 12.50 × 3 + 15 + 14.17 + 10
    assert_eq!(e["score"], "97.42");
    assert_eq!(e["grade"], "优");
    assert_eq!(e["weight_total"], "100.00");
}

#[test]
fn caps_ranges_money_units_and_grades() {
    let src = format!(
        "{HEAD}项目 设备采购 {{
  预算执行 {{
    全年预算数 200,000.00
    全年执行数 120,000.00
    分值 20
  }}
  数量 采购设备 ≥ 10 台
    实际完成值 5 台
    分值 30
    偏差原因 供货延迟
  经济成本 采购成本 ≤ 10 万元
    实际完成值 125,000 元
    分值 20
    偏差原因 价格上涨
  质量 设备完好率 = 90 ~ 100 %
    实际完成值 80 %
    分值 20
    偏差原因 部分设备返修
  社会效益 设备覆盖率 ≥ 90 %
    实际完成值 90 %
    分值 0
  服务对象满意度 使用人员满意度 ≥ 90 %
    实际完成值 90 %
    分值 10
}}
"
    );
    let (v, codes) = json_of(&src);
    assert!(codes.is_empty(), "{codes:?}");
    let p = &v["projects"][0];
    let s = |i: usize| {
        p["indicators"][i]["score"]
            .as_str()
            .unwrap_or("?")
            .to_string()
    };
    assert_eq!(s(0), "15.00"); // 5/10 × 30
    assert_eq!(s(1), "16.00"); // a cap: 10万 / 12.5万 × 20
    assert_eq!(s(2), "17.78"); // below the range: 80/90 × 20
    assert_eq!(s(3), "0.00"); // a weight of 0 earns nothing
    assert_eq!(s(4), "10.00");
    let e = &p["evaluation"];
    assert_eq!(e["execution_rate"], "60.00");
    assert_eq!(e["execution"]["score"], "12.00");
    assert_eq!(e["score"], "70.78");
    assert_eq!(e["grade"], "中");
}

#[test]
fn shanghai_grades_and_a_written_score_that_disagrees() {
    let src = "年度 2025\n主管部门 上海市某局\n实施单位 上海市某中心\n\n项目 热线 {
  性质 其他经常性项目
  类别 特定目标类
  期间 2025-01-01 至 2025-12-31
  资金 {
    当年财政拨款 100.00
  }
  年度总体目标 受理热线
  预算执行 {
    全年预算数 100.00
    全年执行数 50.00
  }
  数量 受理件数 ≥ 100 件
    实际完成值 100 件
    得分 45
  社会效益 有责投诉率 ≤ 1 %
    实际完成值 0.5 %
  服务对象满意度 市民满意度 ≥ 85 %
    实际完成值 50 %
    偏差原因 系统故障
}
";
    let (v, codes) = json_of(src);
    // The written 45 is kept (a warning says the rules give 50), never replaced.
    assert_eq!(codes, vec!["PS507"], "{codes:?}");
    let p = &v["projects"][0];
    assert_eq!(p["indicators"][0]["score"], "45.00");
    assert_eq!(p["indicators"][0]["score_rule"], "50.00");
    assert_eq!(p["indicators"][0]["score_written"], "45.00");
    // 5 + 45 + 30 + 50/85 × 10 = 5.88
    assert_eq!(p["evaluation"]["score"], "85.88");
    assert_eq!(p["evaluation"]["grade"], "良");
    let low = src.replace(
        "实际完成值 100 件\n    得分 45",
        "实际完成值 10 件\n    偏差原因 停机",
    );
    let (v, _) = json_of(&low);
    // 5 + 5 + 30 + 5.88 = 45.88: the Shanghai scale's 不合格
    assert_eq!(v["projects"][0]["evaluation"]["score"], "45.88");
    assert_eq!(v["projects"][0]["evaluation"]["grade"], "不合格");
}

#[test]
fn an_unknown_part_leaves_the_total_unknown() {
    let src = format!(
        "{HEAD}项目 培训 {{
  预算执行 {{
    全年预算数 10.00 万元
    全年执行数 10.00 万元
  }}
  数量 培训人次 ≥ 100 人次
    实际完成值 120 人次
  社会效益 培训效果 = 良好
    实际完成值 较好
  服务对象满意度 学员满意度 ≥ 90 %
}}
"
    );
    let (v, codes) = json_of(&src);
    assert!(
        codes.contains(&"PS509") && codes.contains(&"PS508"),
        "{codes:?}"
    );
    let e = &v["projects"][0]["evaluation"];
    assert_eq!(e["score"], Value::Null);
    assert_eq!(e["grade"], Value::Null);
    // Writing the score the rules cannot give settles it.
    let fixed = src
        .replace(
            "实际完成值 较好",
            "实际完成值 较好\n    得分 24\n    偏差原因 部分学员未结业",
        )
        .replace("满意度 ≥ 90 %", "满意度 ≥ 90 %\n    实际完成值 95 %");
    let (v, codes) = json_of(&fixed);
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(v["projects"][0]["evaluation"]["score"], "94.00");
}

/// `分值 待填` (the form gives no weight for a row): not PS512, one PS114; the weight, its
/// group's, the total weight, the scores by the rules and the total are unknown (null);
/// written scores still count for their rows.
#[test]
fn a_weight_left_to_fill_leaves_the_weights_unknown() {
    let src = format!(
        "{HEAD}项目 堤防维修 {{\n  预算执行 {{\n    全年预算数 20.00 万元\n    全年执行数 19.00 万元\n    分值 10\n  }}\n  数量 维修堤防 ≥ 3 公里\n    实际完成值 3 公里\n    分值 50\n    得分 50\n  数量 其中土堤 ≥ 1 公里\n    实际完成值 1 公里\n    分值 未填\n  社会效益 防洪能力 = 提升\n    实际完成值 提升\n    分值 30\n    得分 30\n  服务对象满意度 群众满意度 ≥ 90 %\n    实际完成值 95 %\n    分值 10\n    得分 10\n}}\n"
    );
    let r = check_source("t.perf", &src);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "PS114").count(),
        1,
        "{codes:?}"
    );
    let (v, _) = json_of(&src);
    let p = &v["projects"][0];
    let e = &p["evaluation"];
    assert!(e["score"].is_null() && e["weight_total"].is_null(), "{e}");
    assert!(e["subtotals"][1]["weight"].is_null(), "{e}");
    assert_eq!(e["subtotals"][2]["weight"], "30.00");
    let inds = p["indicators"].as_array().expect("indicators");
    assert!(inds[1]["weight"].is_null() && inds[1]["score"].is_null());
    assert_eq!(inds[0]["score"], "50.00");
    assert!(inds[0]["score_rule"].is_null());
    let formatted = perfspec::fmt::format_source(&src).expect("fmt");
    assert!(formatted.contains("\n    分值 待填\n"), "{formatted}");
}

#[test]
fn declarations_have_no_evaluation_in_the_json() {
    let (v, _) = json_of(
        "年度 2026\n主管部门 甲\n实施单位 乙\n项目 甲 {\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {\n    当年财政拨款 1.00\n  }\n  年度总体目标 x\n  数量 件数 ≥ 1 件\n  社会效益 覆盖率 ≥ 90 %\n  服务对象满意度 满意度 ≥ 90 %\n}\n",
    );
    let p = &v["projects"][0];
    assert!(p.get("evaluation").is_none());
    assert!(p["indicators"][0].get("score").is_none());
}

#[test]
fn fmt_keeps_every_year_end_line_and_is_idempotent() {
    let src = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/evaluation/zhongjiang-2022.perf"),
    )
    .expect("fixture");
    let once = perfspec::fmt::format_source(&src).expect("formats");
    assert_eq!(once, src, "the fixture is in canonical form");
    let squashed: String = src
        .lines()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    let again = perfspec::fmt::format_source(&squashed).expect("formats");
    assert_eq!(
        again, src,
        "indentation is the formatter's, not the author's"
    );
}

fn weight_and_actual() -> impl Strategy<Value = (u32, u32, u32, bool)> {
    (1u32..=10_000, 0u32..=20_000, 1u32..=60, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever the actual, a score lies between 0 and its weight, the groups' weights add up
    /// to 100 when every group has an indicator, and the total is the sum of the parts.
    #[test]
    fn scores_stay_within_their_weights(rows in prop::collection::vec(weight_and_actual(), 1..8)) {
        let mut body = String::from("  预算执行 {\n    全年预算数 100.00\n    全年执行数 90.00\n  }\n");
        for (k, (target, actual, _, cap)) in rows.iter().enumerate() {
            let op = if *cap { "≤" } else { "≥" };
            body.push_str(&format!("  数量 指标{k} {op} {target} 件\n    实际完成值 {actual} 件\n    偏差原因 说明\n"));
        }
        body.push_str("  社会效益 效益 ≥ 1 件\n    实际完成值 1 件\n  服务对象满意度 满意度 ≥ 90 %\n    实际完成值 91 %\n");
        let src = format!("{HEAD}项目 随机 {{\n{body}}}\n");
        let (m, codes) = model_of(&src);
        prop_assert!(!codes.iter().any(|c| c.starts_with("PS0") || c.starts_with("PS5") && *c != "PS514"), "{:?}", codes);
        let p = &m.projects[0];
        let e = p.evaluation.as_ref().expect("evaluated");
        let mut sum = Decimal::ZERO;
        for i in &p.indicators {
            let a = i.assessment.as_ref().expect("assessed");
            let s = a.score.expect("scored");
            prop_assert!(s >= Decimal::ZERO && s <= a.weight, "{} of {}", s, a.weight);
            sum += s;
        }
        prop_assert_eq!(e.weight_total(), d("100"));
        let exec = e.execution.as_ref().and_then(|x| x.score).expect("execution score");
        prop_assert_eq!(exec, d("9.00"));
        prop_assert_eq!(e.score, Some(sum + exec));
    }
}

/// The contract of a real 自评表 (tests/forms/41), as `build --format json` writes it.
#[test]
fn a_real_self_evaluation_as_json() {
    let path = "tests/fixtures/evaluation/zhongjiang-2022.perf";
    let src = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .expect("fixture");
    let r = check_source(path, &src);
    let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // The form's own inconsistency: weights of 110 against its 总分 of 100.
    assert_eq!(codes, vec!["PS504", "PS516"]);
    let m = Model {
        projects: r.projects,
    };
    insta::assert_snapshot!("zhongjiang-2022.json", json::to_string(&m));
}

/// The example at the top of docs/self-evaluation.md is a clean, canonical spec.
#[test]
fn the_docs_example_is_clean() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/self-evaluation.md"),
    )
    .expect("doc");
    let start = doc.find("```perf\n").expect("an example") + 8;
    let end = start + doc[start..].find("```").expect("closed");
    let example = &doc[start..end];
    let r = check_source("example.perf", example);
    assert!(
        r.diagnostics.is_empty(),
        "{:?}",
        r.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
    );
    assert_eq!(
        perfspec::fmt::format_source(example).expect("formats"),
        example
    );
}

/// One mistake, one diagnostic; allow comments work on the year-end lines.
#[test]
fn year_end_mistakes_do_not_cascade() {
    let base = format!(
        "{HEAD}项目 标尺 {{
  预算执行 {{
    全年预算数 20.00 万元
    全年执行数 20.00 万元
  }}
  数量 安装坡面水标尺 ≥ 266 米
    实际完成值 266 米
  社会效益 群众生产生活条件改善状况 = 显著提升
    实际完成值 显著提升
  服务对象满意度 受益户满意度 ≥ 95 %
    实际完成值 96 %
}}
"
    );
    let codes = |src: &str| model_of(src).1;
    assert!(codes(&base).is_empty(), "{:?}", codes(&base));
    let case = |from: &str, to: &str| codes(&base.replacen(from, to, 1));
    // A score above its weight: refused, and nothing else (the total uses the rule's score).
    assert_eq!(
        case("实际完成值 266 米", "实际完成值 266 米\n    得分 51"),
        vec!["PS515"]
    );
    assert_eq!(
        case(
            "全年执行数 20.00 万元",
            "全年执行数 20.00 万元\n    得分 12"
        ),
        vec!["PS515"]
    );
    // A line that failed to parse under an indicator: the parser's error only.
    assert_eq!(
        case("实际完成值 266 米", "实际完成值 250 米\n    偏差原因"),
        vec!["PS001"]
    );
    // An indicator that could not be read leaves the total unknown, without further claims.
    assert_eq!(case("≥ 266 米", "≥ 266 咪"), vec!["PS303"]);
    // A bare number for a word target: cannot judge (not "no unit").
    assert_eq!(case("实际完成值 显著提升", "实际完成值 3"), vec!["PS509"]);
    // Spending above the budget; a negative actual.
    assert_eq!(
        case("全年执行数 20.00 万元", "全年执行数 21.00 万元"),
        vec!["PS506"]
    );
    assert_eq!(
        case("实际完成值 266 米", "实际完成值 -266 米"),
        vec!["PS502"]
    );
    // An allow comment at the end of the year-end line silences its warning.
    assert!(case("实际完成值 96 %", "实际完成值 101 %").contains(&"PS506"));
    assert!(case(
        "实际完成值 96 %",
        "实际完成值 101 %  # perfspec: allow PS506"
    )
    .is_empty());
}
