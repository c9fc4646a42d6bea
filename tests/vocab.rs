//! The vocabulary (`src/vocab/`) and the pest grammar must agree: the grammar spells its
//! literals out, so every spelling the tables list is tried here against the real parser
//! and checker.

use perfspec::check::check_source;
use perfspec::vocab::{funding, keys, ops, templates, units};

const HEADER: &str = "年度 2026\n主管部门 某局\n实施单位 某中心\n";

fn project(body: &str) -> String {
    format!(
        "{HEADER}\n项目 测试项目 {{\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {{\n    当年财政拨款 100.00\n  }}\n  年度总体目标 完成任务\n{body}\n  社会效益 服务覆盖率 ≥ 90 %\n}}\n"
    )
}

fn codes(src: &str) -> Vec<&'static str> {
    check_source("t.perf", src)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn every_comparator_spelling_parses_as_its_comparator() {
    for (spelling, op) in ops::SPELLINGS {
        let src = project(&format!("  数量 受理件数 {spelling} 5 件"));
        let r = check_source("t.perf", &src);
        assert!(
            !r.diagnostics
                .iter()
                .any(|d| d.code.as_str().starts_with("PS0")),
            "{spelling}: {:?}",
            r.diagnostics
        );
        let got = r.projects[0]
            .indicators
            .iter()
            .find(|i| &*i.name == "受理件数")
            .and_then(|i| i.target.op());
        assert_eq!(got, Some(*op), "{spelling}");
    }
}

#[test]
fn look_alike_comparators_are_refused_with_the_one_meant() {
    for (c, op) in ops::LOOKALIKES {
        let src = project(&format!("  数量 受理件数 {c} 5 件"));
        let r = check_source("t.perf", &src);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "PS001")
            .unwrap_or_else(|| panic!("{c}: {:?}", r.diagnostics));
        let help = d
            .help
            .as_ref()
            .map(|h| h.zh.to_string())
            .unwrap_or_default();
        assert!(help.contains(op.symbol()), "{c}: {help}");
    }
}

#[test]
fn every_keyword_spelling_is_accepted_in_its_place() {
    for k in keys::KEYS {
        for spelling in k.key.spellings() {
            let src = match k.key {
                keys::Key::Project | keys::Key::Year => continue,
                keys::Key::Template => format!("{spelling} 财政部2021\n{}", project("")),
                keys::Key::UnitDecl => format!("{spelling} 株 计数\n{}", project("")),
                keys::Key::Department | keys::Key::Unit => project(&format!("  {spelling} 另一单位")),
                keys::Key::Funding => format!(
                    "{HEADER}\n项目 测试项目 {{\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  {spelling} {{\n    当年财政拨款 100.00\n  }}\n  年度总体目标 完成任务\n  数量 受理件数 ≥ 5 件\n  社会效益 服务覆盖率 ≥ 90 %\n}}\n"
                ),
                keys::Key::Nature => project(&format!("  {spelling} 其他经常性项目")),
                keys::Key::Kind => project(&format!("  {spelling} 特定目标类")),
                keys::Key::Period => project(&format!("  {spelling} 2026-01-01 至 2026-12-31")),
                keys::Key::Start => project(&format!("  {spelling} 2026-01-01")),
                keys::Key::End => project(&format!("  {spelling} 2026-12-31")),
                keys::Key::GoalTotal | keys::Key::GoalAnnual | keys::Key::Outcome => {
                    project(&format!("  {spelling} 目标文本"))
                }
                keys::Key::Execution => project(&format!(
                    "  {spelling} {{\n    全年预算数 100.00 元\n    全年执行数 90.00 元\n  }}"
                )),
                keys::Key::Actual => project(&format!("  数量 受理件数 ≥ 5 件\n    {spelling} 6 件")),
                keys::Key::Weight | keys::Key::Score => {
                    project(&format!("  数量 受理件数 ≥ 5 件\n    {spelling} 10"))
                }
                keys::Key::Deviation => {
                    project(&format!("  数量 受理件数 ≥ 5 件\n    {spelling} 因故延期"))
                }
                keys::Key::TotalScore => project(&format!("  {spelling} 95")),
                keys::Key::Grade => project(&format!("  {spelling} 优")),
            };
            let c = codes(&src);
            assert!(
                !c.iter().any(|c| c.starts_with("PS0")),
                "{spelling}: {c:?}\n{src}"
            );
        }
    }
}

#[test]
fn every_funding_key_is_a_funding_row() {
    for (spelling, _) in funding::spec_spellings() {
        let src = format!(
            "{HEADER}\n项目 测试项目 {{\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {{\n    {spelling} 100.00\n  }}\n  年度总体目标 完成任务\n  数量 受理件数 ≥ 5 件\n  社会效益 服务覆盖率 ≥ 90 %\n}}\n"
        );
        let c = codes(&src);
        assert!(
            !c.contains(&"PS208") && !c.iter().any(|c| c.starts_with("PS0")),
            "{spelling}: {c:?}"
        );
    }
}

#[test]
fn every_template_name_is_accepted_and_an_unknown_one_is_ps111() {
    for t in templates::TEMPLATES {
        for name in std::iter::once(&t.name).chain(t.aliases) {
            let c = codes(&format!(
                "模板 {name}\n{}",
                project("  数量 受理件数 ≥ 5 件")
            ));
            assert!(!c.contains(&"PS111"), "{name}: {c:?}");
        }
    }
    let c = codes(&format!("模板 北京\n{}", project("")));
    assert!(c.contains(&"PS111"), "{c:?}");
}

#[test]
fn every_builtin_unit_is_known_to_the_checker() {
    for (spelling, ..) in units::BUILTIN {
        let table = perfspec::check::units::UnitTable::new();
        assert!(table.resolve(spelling).is_ok(), "{spelling}");
    }
    for spelling in units::COUNTS {
        let table = perfspec::check::units::UnitTable::new();
        assert!(table.resolve(spelling).is_ok(), "{spelling}");
    }
}

/// What the outputs print and what people copy from a published form is input: the form's
/// notation parses to the same meaning as the canonical one, and `fmt` writes the canonical.
#[test]
fn the_forms_own_notation_is_input() {
    let pairs = [
        (
            "  数量 受理件数 ≥8000.00(件)",
            "  数量 受理件数 ≥ 8000.00 件",
        ),
        ("  质量 合格率 =100.00(%)", "  质量 合格率 = 100.00 %"),
        ("  质量 合格率 ＝100.00（%）", "  质量 合格率 = 100.00 %"),
        ("  数量 道路长度 = 985米", "  数量 道路长度 = 985 米"),
        (
            "  项目总体目标(2024 年-2026 年) 三年建成\n  数量 受理件数 ≥ 5 件",
            "  项目总目标(2024 年-2026 年) 三年建成\n  数量 受理件数 ≥ 5 件",
        ),
    ];
    for (form, canonical) in pairs {
        let a = check_source("a.perf", &project(form));
        let b = check_source("b.perf", &project(canonical));
        let errors: Vec<_> = a
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code.as_str())
            .collect();
        assert!(errors.is_empty(), "{form}: {errors:?}");
        assert!(
            perfspec::fmt::same_meaning(&a.projects, &b.projects),
            "{form} does not mean {canonical}"
        );
        // White space collapsed: `fmt` aligns the categories of a run.
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let formatted = perfspec::fmt::format_source(&project(form)).expect("formats");
        assert!(
            squash(&formatted).contains(&squash(canonical)),
            "{form}:\n{formatted}"
        );
    }
    // The parts of the total as the form prints them: `其中：当年财政拨款`.
    let src = project("  数量 受理件数 ≥ 5 件").replace(
        "    当年财政拨款 100.00",
        "    年度资金总额 100.00\n    其中：当年财政拨款 100.00",
    );
    let c = codes(&src);
    assert!(
        !c.iter()
            .any(|c| c.starts_with("PS0") || c.starts_with("PS2")),
        "{c:?}"
    );
    let formatted = perfspec::fmt::format_source(&src).expect("formats");
    assert!(
        formatted.contains("    当年财政拨款     100.00"),
        "{formatted}"
    );
}

/// Under a template whose own tree is the 2015 one, 成本 under 产出 is read without a
/// migration warning; under the Shanghai template it is reported (PS302).
#[test]
fn the_2015_tree_is_its_templates_own() {
    let body = "  成本指标 单位建设成本 ≤ 500 元/平方米\n  数量 受理件数 ≥ 5 件";
    let shanghai = codes(&project(body));
    assert!(shanghai.contains(&"PS302"), "{shanghai:?}");
    let central = codes(&format!("模板 中央2015\n{}", project(body)));
    assert!(!central.contains(&"PS302"), "{central:?}");
}

/// `待填` and its aliases stand for every part a template may require: each is one PS114
/// warning, no error, and the part is absent in the model; `fmt` writes the canonical word.
#[test]
fn every_spelling_of_the_placeholder_is_absent_acknowledged() {
    for w in keys::to_fill_spellings() {
        let src = format!(
            "年度 {w}\n主管部门 {w}\n实施单位 某中心\n\n项目 测试项目 {{\n  性质 {w}\n  类别 {w}\n  期间 {w}\n  资金 {w}\n  年度总体目标 {w}\n  数量 受理件数 ≥ 5 {w}\n  效益指标 {w}\n}}\n"
        );
        let r = check_source("t.perf", &src);
        let got: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        // 年度, 主管部门, 性质, 类别, 期间, 资金, 年度总体目标, the unit, 效益指标; and the
        // cost and satisfaction categories the project has none of (PS310).
        assert_eq!(
            got.iter().filter(|c| **c == "PS114").count(),
            9,
            "{w}: {got:?}"
        );
        assert!(!r.has_errors(), "{w}: {:?}", r.diagnostics);
        let p = &r.projects[0];
        assert_eq!(p.year, 0);
        assert!(p.department.is_empty() && p.nature.is_empty() && p.kind.is_empty());
        assert_eq!((p.start, p.end), (None, None));
        assert!(p.goal_annual.is_empty());
        let unit = p.indicators[0].target.unit().map(|u| u.dimension);
        assert_eq!(unit, Some(units::Dimension::Unknown), "{w}");
        let formatted = perfspec::fmt::format_source(&src).unwrap_or_default();
        assert_eq!(
            formatted.matches(keys::TO_FILL).count(),
            9,
            "{w}: {formatted}"
        );
    }
    // `无` is a value, not the placeholder.
    assert!(!keys::is_to_fill("无"));
    assert!(codes(&project("  数量 受理件数 ≥ 5 无")).contains(&"PS303"));
}
