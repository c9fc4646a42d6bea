//! `perfspec diff`: each kind of change in text, markdown and JSON; the classification of
//! target changes; equal inputs give no diff; files, folders and git revisions.

use perfspec::check::check_source;
use perfspec::diag::Lang;
use perfspec::diff::{
    diff_models, render_json, render_markdown, render_text, ModelDiff, MoneyRow, Reason, Status,
    Verdict,
};
use perfspec::model::Model;
use std::path::Path;
use std::process::Command;

const FIXTURES: &str = "tests/fixtures/diff";

fn perfspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
}

fn model(path: &str, text: &str) -> Model {
    Model {
        projects: check_source(path, text).projects,
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

fn diff_fixture(name: &str) -> ModelDiff {
    diff_models(
        &model("base.perf", &fixture("base.perf")),
        &model(name, &fixture(name)),
    )
}

fn verdicts(d: &ModelDiff) -> Vec<Option<Verdict>> {
    d.projects
        .iter()
        .flat_map(|p| &p.indicators)
        .map(|i| i.verdict)
        .collect()
}

const CASES: &[&str] = &[
    "tightened",
    "loosened",
    "changed",
    "moved",
    "renamed",
    "indicators-added-removed",
    "projects-added-removed",
    "funding",
    "header-goal",
    "year-end",
];

#[test]
fn every_change_kind_in_every_format() {
    for case in CASES {
        let d = diff_fixture(&format!("{case}.perf"));
        assert!(!d.is_empty(), "{case}");
        let json = render_json(&d);
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["equal"], false);
        let all = format!(
            "==== text\n{}\n==== markdown\n{}\n==== json\n{json}",
            render_text(&d, Lang::Zh, false),
            render_markdown(&d, Lang::Zh),
        );
        insta::assert_snapshot!(*case, all);
    }
}

#[test]
fn english_output() {
    let d = diff_fixture("renamed.perf");
    insta::assert_snapshot!(
        "renamed_en",
        format!(
            "{}\n{}",
            render_text(&d, Lang::En, false),
            render_markdown(&d, Lang::En)
        )
    );
}

#[test]
fn tightened_in_both_comparator_directions() {
    let d = diff_fixture("tightened.perf");
    assert_eq!(verdicts(&d), vec![Some(Verdict::Tightened); 5]);
    let text = render_text(&d, Lang::Zh, false);
    assert!(
        text.contains("收紧 经济成本 › 安全生产专业落实和咨询服务经费成本控制情况：≤ 44.00 万元 → ≤ 40.00 万元"),
        "{text}"
    );
    assert!(
        text.contains("收紧 质量 › 有害生物防治合格率：≥ 90.00 % → ≥ 95.00 %"),
        "{text}"
    );
}

#[test]
fn loosened_in_both_comparator_directions() {
    let d = diff_fixture("loosened.perf");
    assert_eq!(verdicts(&d), vec![Some(Verdict::Loosened); 5]);
}

#[test]
fn neither_harder_nor_easier_says_why() {
    let d = diff_fixture("changed.perf");
    let reasons: Vec<_> = d.projects[0]
        .indicators
        .iter()
        .map(|i| (i.verdict, i.reason))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (Some(Verdict::Changed), Some(Reason::Unit)),
            (Some(Verdict::Changed), Some(Reason::Comparator)),
            (Some(Verdict::Changed), Some(Reason::Value)),
            (Some(Verdict::Changed), Some(Reason::Kind)),
            (Some(Verdict::Changed), Some(Reason::UnitSpelling)),
        ]
    );
}

#[test]
fn moved_and_renamed_are_reported_as_such() {
    let d = diff_fixture("moved.perf");
    let moved: Vec<_> = d.projects[0]
        .indicators
        .iter()
        .map(|i| {
            (
                i.moved,
                i.verdict,
                i.old.as_ref().unwrap().position,
                i.new.as_ref().unwrap().position,
            )
        })
        .collect();
    assert_eq!(moved, vec![(true, None, 13, 4), (true, None, 15, 12)]);

    let d = diff_fixture("renamed.perf");
    let s = d.summary();
    assert_eq!(
        (
            s.renamed,
            s.tightened,
            s.indicators_added,
            s.indicators_removed
        ),
        (2, 1, 0, 0)
    );
}

#[test]
fn added_and_removed() {
    let d = diff_fixture("indicators-added-removed.perf");
    let st: Vec<_> = d.projects[0].indicators.iter().map(|i| i.status).collect();
    assert_eq!(st, vec![Status::Removed, Status::Added]);
    let d = diff_fixture("projects-added-removed.perf");
    let st: Vec<_> = d
        .projects
        .iter()
        .map(|p| (p.status, p.name.as_str()))
        .collect();
    assert_eq!(
        st,
        vec![
            (Status::Added, "热线服务保障经费"),
            (Status::Removed, "行业信访、安全及保障稳定的应急工作专项")
        ]
    );
}

#[test]
fn funding_changes_are_exact() {
    let d = diff_fixture("funding.perf");
    let rows: Vec<_> = d.projects[0]
        .funding
        .iter()
        .map(|m| {
            (
                m.row,
                m.difference.to_string(),
                m.percent.map(|p| p.to_string()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                MoneyRow::AnnualTotal,
                "60000.00".into(),
                Some("6.05".into())
            ),
            (
                MoneyRow::Appropriation,
                "10000.00".into(),
                Some("1.01".into())
            ),
            // From zero there is no percentage.
            (MoneyRow::Carryover, "50000.00".into(), None),
        ]
    );
}

#[test]
fn header_and_goal_changes() {
    let d = diff_fixture("header-goal.perf");
    let p = &d.projects[0];
    let fields: Vec<_> = p
        .fields
        .iter()
        .map(|f| (f.old.as_str(), f.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("经常性专项业务费", "其他经常性项目"),
            ("2026-01-01 至 2026-12-31", "2026-03-01 至 2026-12-31"),
        ]
    );
    let ins: Vec<_> = p.goals[0]
        .hunks
        .iter()
        .map(|h| h.inserted.as_str())
        .collect();
    assert_eq!(ins, vec!["健全", "全年组织应急演练不少于 2 次。"]);
}

#[test]
fn last_years_spec_matches_this_years_by_name() {
    let this_year = fixture("base.perf");
    let last_year = this_year.replace("年度 2026", "年度 2025").replace(
        "期间 2026-01-01 至 2026-12-31",
        "期间 2025-01-01 至 2025-12-31",
    );
    let d = diff_models(&model("a.perf", &last_year), &model("b.perf", &this_year));
    assert_eq!(d.projects.len(), 1);
    assert_eq!(d.projects[0].status, Status::Changed);
    let fields: Vec<_> = d.projects[0]
        .fields
        .iter()
        .map(|f| (f.old.as_str(), f.new.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("2025", "2026"),
            ("2025-01-01 至 2025-12-31", "2026-01-01 至 2026-12-31")
        ]
    );
    assert!(d.projects[0].indicators.is_empty());
}

/// A one-indicator project with `line` as its indicator, for classification tests.
fn one(line: &str) -> Model {
    let src = format!(
        "年度 2026\n主管部门 局\n实施单位 中心\n项目 甲 {{\n  期间 2026-01-01 至 2026-12-31\n  {line}\n}}\n"
    );
    model("t.perf", &src)
}

/// The verdict of a target change and, for 变更, why; `None` when nothing changed.
type Classified = Option<(Verdict, Option<Reason>)>;

fn classify(old: &str, new: &str) -> Classified {
    let d = diff_models(&one(old), &one(new));
    let inds: Vec<_> = d.projects.iter().flat_map(|p| &p.indicators).collect();
    match inds.as_slice() {
        [] => None,
        [i] => {
            assert_eq!(i.status, Status::Changed, "{old} → {new}");
            i.verdict.map(|v| (v, i.reason))
        }
        more => panic!("{old} → {new}: {more:?}"),
    }
}

#[test]
fn classification_rules() {
    use Verdict::*;
    let t = Some((Tightened, None));
    let l = Some((Loosened, None));
    let cases: &[(&str, &str, Classified)] = &[
        // Floors: higher is harder.
        ("数量 申请 ≥ 8000 件", "数量 申请 ≥ 8500 件", t),
        ("数量 申请 ≥ 8500 件", "数量 申请 ≥ 8000 件", l),
        // Caps: lower is harder, money in any money unit.
        ("经济成本 成本 ≤ 44 万元", "经济成本 成本 ≤ 40 万元", t),
        ("经济成本 成本 ≤ 40 万元", "经济成本 成本 ≤ 44 万元", l),
        ("经济成本 成本 ≤ 44 万元", "经济成本 成本 ≤ 400000 元", t),
        (
            "经济成本 成本 ≤ 44 万元",
            "经济成本 成本 ≤ 440000 元",
            Some((Changed, Some(Reason::UnitSpelling))),
        ),
        // Strictness at the same value, and across values.
        ("数量 申请 ≥ 5 件", "数量 申请 > 5 件", t),
        ("数量 申请 > 5 件", "数量 申请 ≥ 5 件", l),
        ("数量 申请 ≥ 5 件", "数量 申请 > 4 件", l),
        ("时效 响应 ≤ 24 小时", "时效 响应 < 24 小时", t),
        ("时效 响应 < 24 小时", "时效 响应 ≤ 24 小时", l),
        ("时效 响应 < 24 小时", "时效 响应 ≤ 23 小时", t),
        // `=` is scored 正向, except for costs.
        ("数量 次数 = 40 次", "数量 次数 = 48 次", t),
        ("数量 次数 = 40 次", "数量 次数 = 30 次", l),
        ("经济成本 成本 = 44 万元", "经济成本 成本 = 40 万元", t),
        // Neither.
        (
            "数量 次数 ≥ 40 次",
            "数量 次数 = 40 次",
            Some((Changed, Some(Reason::Comparator))),
        ),
        (
            "数量 次数 ≥ 40 次",
            "数量 次数 ≤ 40 次",
            Some((Changed, Some(Reason::Comparator))),
        ),
        (
            "数量 次数 = 40 次",
            "数量 次数 = 40 件",
            Some((Changed, Some(Reason::Unit))),
        ),
        (
            "质量 率 ≥ 90 %",
            "质量 率 ≥ 90 百分比",
            Some((Changed, Some(Reason::UnitSpelling))),
        ),
        (
            "时效 完成 = 及时",
            "时效 完成 = 按时",
            Some((Changed, Some(Reason::Value))),
        ),
        (
            "时效 完成 = 及时",
            "时效 完成 ≤ 24 小时",
            Some((Changed, Some(Reason::Kind))),
        ),
        // Ranges: narrower is harder.
        ("质量 率 = 90 ~ 100 %", "质量 率 = 95 ~ 100 %", t),
        ("质量 率 = 90 ~ 100 %", "质量 率 = 80 ~ 100 %", l),
        (
            "质量 率 = 90 ~ 100 %",
            "质量 率 = 85 ~ 95 %",
            Some((Changed, Some(Reason::Range))),
        ),
        // Deadlines: earlier is harder.
        ("时效 提交 ≤ 2026-06-30", "时效 提交 ≤ 2026-05-31", t),
        ("时效 提交 ≤ 2026-06-30", "时效 提交 ≤ 2026-07-31", l),
        // Not differences: decimals, spelling of the comparator, the comparator-less `=`.
        ("数量 次数 = 40 次", "数量 次数 = 40.00 次", None),
        ("数量 次数 >= 40 次", "数量 次数 ≧ 40.0 次", None),
        ("数量 次数 = 40 次", "数量 次数 40 次", None),
        ("质量 率 ≥ 90 ％", "质量 率 ≥ 90 %", None),
    ];
    for (old, new, want) in cases {
        assert_eq!(classify(old, new), *want, "{old} → {new}");
    }
}

#[test]
fn a_spec_against_itself_or_a_reformatted_copy_is_empty() {
    let mut n = 0;
    for dir in ["specs", "tests/fixtures"] {
        for e in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.path().extension().is_none_or(|x| x != "perf") {
                continue;
            }
            let Ok(src) = std::fs::read_to_string(e.path()) else {
                continue;
            };
            let name = e.path().display().to_string();
            let m = model(&name, &src);
            assert!(diff_models(&m, &m).is_empty(), "{name}");
            if let Ok(formatted) = perfspec::fmt::format_source(&src) {
                assert!(
                    diff_models(&m, &model("other/path.perf", &formatted)).is_empty(),
                    "{name}"
                );
            }
            n += 1;
        }
    }
    assert!(n >= 14);
    // A copy written as carelessly as the language allows (BOM, CRLF, tabs, ASCII and
    // full-width comparators, the form's two date lines, aliases): still no difference.
    assert!(diff_fixture("reformatted.perf").is_empty());
}

#[test]
fn empty_diff_renders_as_such() {
    let d = diff_fixture("base.perf");
    assert!(d.is_empty());
    assert_eq!(render_text(&d, Lang::Zh, false), "没有实质变化\n");
    assert_eq!(render_text(&d, Lang::En, false), "no changes in meaning\n");
    let v: serde_json::Value = serde_json::from_str(&render_json(&d)).unwrap();
    assert_eq!(v["equal"], true);
    assert_eq!(v["projects"], serde_json::json!([]));
}

#[test]
fn markdown_cells_cannot_break_the_table() {
    let d = diff_models(
        &one("数量 \"a|b<script>\" ≥ 1 次"),
        &one("数量 \"a|b<script>\" ≥ 2 次"),
    );
    let md = render_markdown(&d, Lang::Zh);
    assert!(md.contains("a\\|b&lt;script&gt;"), "{md}");
    assert!(!md.contains("<script>"), "{md}");
}

// ---------------------------------------------------------------------------------------
// The command line

fn run(args: &[&str], dir: &Path) -> (Option<i32>, String, String) {
    let out = perfspec().args(args).current_dir(dir).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn exit_status_like_diff() {
    let here = Path::new(FIXTURES);
    let (code, out, _) = run(&["diff", "base.perf", "base.perf"], here);
    assert_eq!((code, out.as_str()), (Some(0), "没有实质变化\n"));
    let (code, out, _) = run(&["diff", "base.perf", "reformatted.perf"], here);
    assert_eq!((code, out.as_str()), (Some(0), "没有实质变化\n"));
    let (code, out, _) = run(&["diff", "base.perf", "tightened.perf"], here);
    assert_eq!(code, Some(1));
    assert!(out.contains("修改项目 1，收紧 5"), "{out}");
    let (code, _, err) = run(&["diff", "base.perf", "no-such-thing"], here);
    assert_eq!(code, Some(2));
    assert!(err.contains("no-such-thing"), "{err}");
    let (code, _, err) = run(&["diff", "base.perf"], here);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn errors_on_one_side_are_noted_not_fatal() {
    // loosened.perf raises cost caps above the funding: PS202.
    let (code, out, err) = run(&["diff", "base.perf", "loosened.perf"], Path::new(FIXTURES));
    assert_eq!(code, Some(1));
    assert!(out.contains("放宽 5"), "{out}");
    assert!(err.contains("新版本有 1 个错误"), "{err}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let here = Path::new(FIXTURES);
    let (_, plain, _) = run(&["diff", "base.perf", "tightened.perf"], here);
    assert!(!plain.contains('\x1b'), "piped output must be plain");
    let (_, coloured, _) = run(
        &["--color", "always", "diff", "base.perf", "tightened.perf"],
        here,
    );
    assert!(coloured.contains("\x1b[32m收紧\x1b[0m"), "{coloured}");
    let (_, never, _) = run(
        &["--color", "never", "diff", "base.perf", "tightened.perf"],
        here,
    );
    assert_eq!(never, plain);
}

#[test]
fn formats_and_language_from_the_command_line() {
    let here = Path::new(FIXTURES);
    let (code, md, _) = run(
        &["diff", "--format", "markdown", "base.perf", "funding.perf"],
        here,
    );
    assert_eq!(code, Some(1));
    assert!(md.starts_with("## 绩效目标变化\n"), "{md}");
    assert!(md.contains("| 增加 | 资金 › 年度资金申请总额 | 991,823.00 | 1,051,823.00 | +60,000.00 元，+6.05% |"), "{md}");
    let (_, json, _) = run(
        &["diff", "--format", "json", "base.perf", "funding.perf"],
        here,
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["diff_version"], 2);
    assert_eq!(v["projects"][0]["funding"][0]["percent"], "6.05");
    let (_, en, _) = run(
        &["--lang", "en", "diff", "base.perf", "tightened.perf"],
        here,
    );
    assert!(en.contains("tightened"), "{en}");
    assert!(en.contains("projects changed: 1, tightened: 5"), "{en}");
}

#[test]
fn folders_are_compared_project_by_project() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(a.join("sub")).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    // The same projects under other file names and folders: no difference.
    std::fs::write(a.join("sub/x.perf"), fixture("base.perf")).unwrap();
    std::fs::write(a.join("y.perf"), fixture("projects-added-removed.perf")).unwrap();
    std::fs::write(b.join("one.perf"), fixture("projects-added-removed.perf")).unwrap();
    std::fs::write(b.join("two.perf"), fixture("base.perf")).unwrap();
    let (code, out, _) = run(&["diff", "a", "b"], dir.path());
    assert_eq!((code, out.as_str()), (Some(0), "没有实质变化\n"));
    std::fs::write(b.join("two.perf"), fixture("renamed.perf")).unwrap();
    let (code, out, _) = run(&["diff", "a", "b"], dir.path());
    assert_eq!(code, Some(1));
    assert!(out.contains("改名 2"), "{out}");
}

// ---------------------------------------------------------------------------------------
// git revisions

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git is installed");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn git_revisions_and_the_work_tree() {
    let repo = tempfile::tempdir().unwrap();
    let root = repo.path();
    git(root, &["init", "-q"]);
    std::fs::create_dir_all(root.join("specs")).unwrap();
    std::fs::create_dir_all(root.join(".hidden")).unwrap();
    let spec = root.join("specs/a.perf");
    std::fs::write(&spec, fixture("base.perf")).unwrap();
    std::fs::write(root.join("notes.txt"), "not a spec").unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "one"]);
    std::fs::write(&spec, fixture("tightened.perf")).unwrap();
    // Ignored like a folder walk ignores it.
    std::fs::write(
        root.join(".hidden/x.perf"),
        fixture("projects-added-removed.perf"),
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "two"]);

    let (code, out, err) = run(&["diff", "HEAD~1", "HEAD"], root);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.contains("收紧 5") && !out.contains("新增项目"), "{out}");
    // One revision: against the work tree, which equals HEAD.
    let (code, out, _) = run(&["diff", "HEAD"], root);
    assert_eq!((code, out.as_str()), (Some(0), "没有实质变化\n"));

    // Change the work tree: HEAD vs work tree, whole or limited to a path.
    std::fs::write(&spec, fixture("loosened.perf")).unwrap();
    let (code, out, _) = run(&["diff", "HEAD"], root);
    assert_eq!(code, Some(1));
    assert!(out.contains("放宽"), "{out}");
    let (code, out2, _) = run(&["diff", "HEAD", "specs/a.perf"], root);
    assert_eq!((code, &out2), (Some(1), &out));
    let (code, out3, _) = run(&["diff", "HEAD", "--", "specs"], root);
    assert_eq!((code, &out3), (Some(1), &out));
    // From a subfolder, paths are relative to it, as with git.
    let (code, out4, _) = run(&["diff", "HEAD~1", "HEAD"], &root.join("specs"));
    assert_eq!(code, Some(1));
    assert!(out4.contains("收紧 5"), "{out4}");
    // A revision that does not exist is an error.
    let (code, _, err) = run(&["diff", "HEAD~5", "HEAD"], root);
    assert_eq!(code, Some(2));
    assert!(err.contains("HEAD~5"), "{err}");
    // Markdown for the pull-request comment.
    let (_, md, _) = run(&["diff", "--format", "markdown", "HEAD~1", "HEAD"], root);
    assert!(md.contains("| **收紧** | 经济成本 › 安全生产专业落实和咨询服务经费成本控制情况 | ≤ 44.00 万元 | ≤ 40.00 万元 |  |"), "{md}");
}

/// The self-evaluation a year after the declaration: every actual is reported with whether
/// it met the target, and the total appears.
#[test]
fn the_year_end_shows_actuals_met_and_missed() {
    let d = diff_fixture("year-end.perf");
    let s = d.summary();
    assert_eq!((s.actuals_changed, s.met, s.missed), (23, 21, 2));
    let p = &d.projects[0];
    let sc = p.score.as_ref().expect("the total changed");
    assert_eq!((sc.old, sc.old_grade), (None, None));
    assert_eq!(sc.new_grade, Some("优"));
    // No target changed: no verdict at all.
    assert!(p.indicators.iter().all(|i| i.verdict.is_none()));
    let back = diff_models(
        &model("year-end.perf", &fixture("year-end.perf")),
        &model("base.perf", &fixture("base.perf")),
    );
    assert_eq!(back.summary().actuals_changed, 23);
    assert_eq!(back.summary().met + back.summary().missed, 0);
}

/// A multi-year project's funding by year: each year that changed is a money change of its
/// own (a part of 项目资金总额), in year order, in text and JSON.
#[test]
fn funding_by_year_changes() {
    let old = std::fs::read_to_string("tests/ui/PS214/pass.perf").unwrap();
    let new = old
        .replace("2027年       3,000,000.00", "2027年       4,000,000.00")
        .replace("2028年       3,000,000.00", "2028年       2,000,000.00");
    let d = diff_models(&model("a.perf", &old), &model("a.perf", &new));
    assert_eq!(d.projects.len(), 1);
    let f = &d.projects[0].funding;
    let years: Vec<_> = f.iter().map(|m| (m.year, m.row)).collect();
    assert_eq!(
        years,
        vec![
            (Some(2027), MoneyRow::ProjectTotal),
            (Some(2028), MoneyRow::ProjectTotal)
        ]
    );
    let text = render_text(&d, Lang::Zh, false);
    assert!(
        text.contains("资金 › 2027年：3,000,000.00 → 4,000,000.00"),
        "{text}"
    );
    let json = render_json(&d);
    assert!(json.contains("\"year\": 2028"), "{json}");
}
