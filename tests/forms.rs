//! The real-forms corpus (`tests/forms/`): published 绩效目标表 and 自评表 of many provinces,
//! each stored as the text a user would copy (`form.txt`), with its source address
//! (`source.md`) and every indicator row written by hand from the page (`expected.tsv`).
//!
//! Each form is imported and built with the real binary; every expected row is looked up in
//! the JSON (category, name, comparator, number, unit or text must all be right). The pass
//! rate is printed and must not fall below the floor recorded in `tests/forms/FLOOR`
//! (raise it when the importer gets better; docs/import.md records the current rate).
//!
//! For a 自评表 (an expected.tsv with a 实际完成值 column) the year-end side is compared
//! too, in the imported spec's syntax tree: each row's 实际完成值, 分值 and 得分, and the
//! budget line (`# 预算`: 年初预算数, 全年预算数, 全年执行数, 分值, 得分) against the
//! `预算执行` block. Those rates must not fall below `tests/forms/FLOOR-zipingbiao`.

use perfspec::vocab::{ops, taxonomy, units};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/forms")
}

fn perfspec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
        .args(args)
        .output()
        .expect("run perfspec")
}

#[derive(Debug)]
struct Row {
    level2: String,
    name: String,
    value: String,
    /// 实际完成值, 分值, 得分 (自评表 only; empty when the form leaves them blank).
    actual: String,
    weight: String,
    score: String,
}

fn expected_rows(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).expect("read expected.tsv");
    let mut rows = Vec::new();
    let mut header_seen = false;
    for line in text.lines() {
        if line.starts_with("# ") || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            header_seen = true; // 一级 二级 三级 指标值 …
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        rows.push(Row {
            level2: cells.get(1).unwrap_or(&"").to_string(),
            name: cells.get(2).unwrap_or(&"").to_string(),
            value: cells.get(3).unwrap_or(&"").to_string(),
            actual: cells.get(4).unwrap_or(&"").trim().to_string(),
            weight: cells.get(5).unwrap_or(&"").trim().to_string(),
            score: cells.get(6).unwrap_or(&"").trim().to_string(),
        });
    }
    rows
}

/// ASCII brackets and punctuation, white space kept.
fn norm_brackets(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '，' => ',',
            '％' => '%',
            c => c,
        })
        .collect()
}

/// Values and categories compare without white space and with ASCII brackets.
fn norm(s: &str) -> String {
    norm_brackets(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !perfspec::vocab::chars::is_space(*c))
        .collect()
}

/// A value as compared: comparator, number, canonical unit — or the text.
#[derive(Debug, PartialEq)]
enum Val {
    Num(Option<ops::Op>, Decimal, String),
    Text(String),
}

fn canonical_unit(u: &str) -> String {
    let u = units::normalize_spelling(u);
    let u = u.trim_start_matches('(').trim_end_matches(')').to_string();
    units::BUILTIN
        .iter()
        .find(|(sp, ..)| *sp == u)
        .map_or(u.clone(), |(_, canon, ..)| canon.to_string())
}

fn parse_expected(v: &str) -> Val {
    let t = norm(v);
    let (op, rest) = match ops::split_spelling(&t) {
        Some((op, rest)) => (Some(op), rest.to_string()),
        None => match t.chars().next().and_then(ops::lookalike) {
            Some(op) => (Some(op), t.chars().skip(1).collect()),
            None => (None, t.clone()),
        },
    };
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    let number = digits.replace(',', "");
    match Decimal::from_str(&number) {
        Ok(n) if !number.is_empty() => {
            let unit = canonical_unit(&rest[digits.len()..]);
            Val::Num(op, n.normalize(), unit)
        }
        _ => Val::Text(rest),
    }
}

fn actual_val(ind: &Value) -> Val {
    let s = |k: &str| ind[k].as_str().unwrap_or("").to_string();
    let op = ind["op"].as_str().and_then(ops::from_spelling);
    match Decimal::from_str(&s("value")) {
        Ok(n) if ind["quantitative"].as_bool() == Some(true) => {
            Val::Num(op, n.normalize(), canonical_unit(&s("unit")))
        }
        _ => Val::Text(norm(&s("value"))),
    }
}

fn level2_of(word: &str) -> Option<&'static str> {
    let w = norm(word);
    taxonomy::resolve(&w).map(|m| match m {
        taxonomy::Match::Exact(l) | taxonomy::Match::Alias(l) | taxonomy::Match::Legacy(l) => {
            l.name()
        }
    })
}

/// Whether the built indicator matches the expected row. A row without a comparator on
/// the form matches `=` (the reading the importer reports with PS311).
fn matches(exp: &Row, ind: &Value) -> bool {
    // Names keep their words apart: white space is collapsed, never removed (an importer
    // that splits `财政资金补助` into `财政资金 补助` has changed the name).
    let name = |s: &str| perfspec::vocab::chars::normalize_spaces(&norm_brackets(s));
    if name(&exp.name) != name(ind["name"].as_str().unwrap_or("")) {
        return false;
    }
    if let Some(l2) = level2_of(&exp.level2) {
        if ind["level2"].as_str() != Some(l2) {
            return false;
        }
    }
    match (parse_expected(&exp.value), actual_val(ind)) {
        (Val::Num(eo, en, eu), Val::Num(ao, an, au)) => {
            // A unit the form prints in the name (`面积(亩) 80000`) is the value's unit.
            let unit_in_name = eu.is_empty() && norm(&exp.name).ends_with(&format!("({au})"));
            en == an
                && (eu == au || unit_in_name)
                && (eo == ao || (eo.is_none() && ao == Some(ops::Op::Eq)))
        }
        // The form prints a unit and no number (`公里`, `≧ %`: a template never filled in):
        // the target is unknown, and `= 待填` (the unit in its comment) is the right import.
        (Val::Text(e), Val::Text(a)) => {
            e == a
                || (perfspec::vocab::keys::is_to_fill(&a)
                    && perfspec::check::units::UnitTable::new().resolve(&e).is_ok())
        }
        _ => false,
    }
}

/// The year-end lines under one indicator of an imported spec.
#[derive(Debug, Default)]
struct YearEnd {
    level2: String,
    name: String,
    actual: Option<Val>,
    weight: Option<Decimal>,
    score: Option<Decimal>,
}

/// The `预算执行` entries of an imported spec: key → (amount, unit).
type Budget = Vec<(String, Decimal, Option<String>)>;

fn year_end_of(text: &str) -> (Vec<YearEnd>, Vec<Budget>) {
    use perfspec::syntax::{FundingItem, ProjectItem, TopItem, ValueLit};
    let (tree, _) = perfspec::syntax::parse(text);
    let (mut rows, mut budgets) = (Vec::new(), Vec::new());
    for item in &tree.items {
        let TopItem::Project(p) = item else { continue };
        for it in &p.items {
            match it {
                ProjectItem::Indicator(i) => rows.push(YearEnd {
                    level2: i.category.value.clone(),
                    name: i.name.value.clone(),
                    ..YearEnd::default()
                }),
                ProjectItem::Actual(a) => {
                    let v = match &a.value.value {
                        // `待填`: the form prints no unit, as a bare number on it.
                        ValueLit::Number { number, unit } => Val::Num(
                            a.op.as_ref().map(|o| o.value),
                            number.value.value.normalize(),
                            canonical_unit(
                                unit.as_ref()
                                    .map_or("", |u| u.value.as_str())
                                    .trim_start_matches(perfspec::vocab::keys::TO_FILL),
                            ),
                        ),
                        ValueLit::Range { .. } => Val::Text("range".into()),
                        ValueLit::Date(d) => Val::Text(d.to_string()),
                        ValueLit::Text(t) => Val::Text(norm(t)),
                    };
                    if let Some(r) = rows.last_mut() {
                        r.actual = Some(v);
                    }
                }
                ProjectItem::Points(pt) => {
                    if let Some(r) = rows.last_mut() {
                        let n = Some(pt.number.value.value.normalize());
                        if pt.key.value.contains("得分") {
                            r.score = n;
                        } else {
                            r.weight = n;
                        }
                    }
                }
                ProjectItem::Execution(f) => budgets.push(
                    f.items
                        .iter()
                        .filter_map(|i| match i {
                            FundingItem::Entry(e) => Some((
                                e.key.value.clone(),
                                e.amount.value.value.normalize(),
                                e.unit.as_ref().map(|u| u.value.clone()),
                            )),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => {}
            }
        }
    }
    (rows, budgets)
}

/// The indicators of an imported spec as written (its syntax tree), in the JSON shape
/// [`matches`] reads: also those the checker does not lower (a number without a unit or
/// with an unknown one, PS315 / PS303), which the importer writes as the form prints them.
fn written_of(text: &str) -> Vec<Value> {
    use perfspec::syntax::{ProjectItem, TopItem, ValueLit};
    let (tree, _) = perfspec::syntax::parse(text);
    let mut out = Vec::new();
    for item in &tree.items {
        let TopItem::Project(p) = item else { continue };
        for it in &p.items {
            let ProjectItem::Indicator(i) = it else {
                continue;
            };
            let level2 = level2_of(&i.category.value).unwrap_or("");
            let op = i.op.as_ref().map(|o| o.value.ascii());
            let (value, unit, quantitative) = match &i.value.value {
                ValueLit::Number { number, unit } => (
                    number.value.value.to_string(),
                    unit.as_ref().map_or(String::new(), |u| u.value.clone()),
                    true,
                ),
                ValueLit::Range { .. } => ("range".to_string(), String::new(), false),
                ValueLit::Date(d) => (d.to_string(), String::new(), false),
                ValueLit::Text(t) => (t.clone(), String::new(), false),
            };
            out.push(serde_json::json!({
                "name": perfspec::syntax::normalize_spaces(&i.name.value),
                "level2": level2,
                "op": op,
                "value": value,
                "unit": unit,
                "quantitative": quantitative,
            }));
        }
    }
    out
}

/// Points as the expected rows give them: `10`, `10分`, and a weight printed as a share of
/// the form's 100 points (`20%`).
fn points(s: &str) -> Option<Decimal> {
    let t = norm(s);
    let t = t.trim_end_matches('分').trim_end_matches('%');
    Decimal::from_str(t).ok().map(|d| d.normalize())
}

/// Whether an expected 自评表 row's year-end cells are those of an indicator of the spec.
fn year_end_matches(exp: &Row, got: &YearEnd) -> bool {
    let name = |s: &str| perfspec::vocab::chars::normalize_spaces(&norm_brackets(s));
    if name(&exp.name) != name(&got.name) {
        return false;
    }
    if let Some(l2) = level2_of(&exp.level2) {
        if level2_of(&got.level2) != Some(l2) {
            return false;
        }
    }
    let nothing = |s: &str| matches!(s.trim(), "" | "—" | "-" | "/" | "——");
    // A bare number on the form (`50` beside the target `≥50个`) may be written with its
    // target's unit (the importer says so in a comment), or a unit column's.
    let actual_ok = if nothing(&exp.actual) {
        got.actual.is_none()
    } else {
        let want = parse_expected(&exp.actual);
        let with_target_unit = match (&want, parse_expected(&exp.value)) {
            (Val::Num(op, n, u), Val::Num(_, _, tu)) if u.is_empty() => Some(Val::Num(*op, *n, tu)),
            _ => None,
        };
        got.actual.as_ref() == Some(&want)
            || (with_target_unit.is_some() && got.actual == with_target_unit)
    };
    let points_ok = |e: &str, g: Option<Decimal>| {
        if nothing(e) {
            g.is_none()
        } else {
            points(e).is_some() && points(e) == g
        }
    };
    actual_ok && points_ok(&exp.weight, got.weight) && points_ok(&exp.score, got.score)
}

/// The first `# 预算` line of a 自评表's expected.tsv (its total) and the money unit.
fn expected_budget(text: &str) -> Option<(Vec<String>, String)> {
    let line = text.lines().find(|l| l.starts_with("# 预算\t"))?;
    let cells: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
    let unit = text
        .lines()
        .find_map(|l| l.strip_prefix("# 资金单位\t"))
        .unwrap_or("元")
        .trim()
        .to_string();
    Some((cells, unit))
}

/// Whether the spec's `预算执行` block says what the budget line says: 年初预算数, 全年预算数,
/// 全年执行数 (in the form's unit), 分值 and 得分, each present exactly when printed.
fn budget_matches(cells: &[String], unit: &str, got: &Budget) -> bool {
    let cell = |i: usize| cells.get(i).map_or("", |s| s.as_str());
    let nothing = |s: &str| matches!(s.trim(), "" | "—" | "-" | "/" | "——");
    let money_unit = if unit == "万元" {
        Some("万元")
    } else {
        None
    };
    let checks = [
        ("年初预算数", cell(2), true),
        ("全年预算数", cell(3), true),
        ("全年执行数", cell(4), true),
        ("分值", cell(5), false),
        ("得分", cell(7), false),
    ];
    checks.iter().all(|(key, exp, money)| {
        let entry = got.iter().find(|(k, ..)| k == key);
        if nothing(exp) {
            return entry.is_none();
        }
        let want = points(exp);
        match entry {
            Some((_, v, u)) => {
                Some(*v) == want && (!money || u.as_deref().filter(|u| *u != "元") == money_unit)
            }
            None => false,
        }
    })
}

#[test]
fn real_forms_import_and_their_rows_come_out_right() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("tests/forms")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("form.txt").is_file() && p.join("expected.tsv").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "the corpus holds {} forms", dirs.len());
    let (mut total, mut right, mut built, mut right_in_spec) = (0usize, 0usize, 0usize, 0usize);
    // Rows right as the imported specs write them, lowered by the checker or not.
    let mut right_written = 0usize;
    // 自评表: rows whose 实际完成值, 分值 and 得分 come out right; budget lines right.
    let (mut ye_total, mut ye_right, mut budget_total, mut budget_right) = (0, 0, 0, 0);
    let mut report = String::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy();
        let src = dir.join("source.md");
        let source = std::fs::read_to_string(&src).unwrap_or_default();
        assert!(
            source.contains("http://") || source.contains("https://"),
            "{name}: source.md gives no address"
        );
        let out = tempfile::tempdir().expect("tempdir");
        let form = dir.join("form.txt");
        let imp = perfspec(&[
            "import",
            &form.to_string_lossy(),
            "-o",
            &out.path().to_string_lossy(),
        ]);
        let err = String::from_utf8_lossy(&imp.stderr);
        assert!(!err.contains("panicked"), "{name}: import panicked\n{err}");
        assert_ne!(
            imp.status.code(),
            Some(2),
            "{name}: import could not run\n{err}"
        );
        let expected = expected_rows(&dir.join("expected.tsv"));
        let expected_text = std::fs::read_to_string(dir.join("expected.tsv")).unwrap_or_default();
        let self_evaluation = expected_text
            .lines()
            .find(|l| !l.starts_with("# ") && !l.trim().is_empty())
            .is_some_and(|h| h.split('\t').any(|c| c == "实际完成值"));
        total += expected.len();
        let json = out.path().join("out.json");
        let b = perfspec(&[
            "build",
            &out.path().to_string_lossy(),
            "--format",
            "json",
            "-o",
            &json.to_string_lossy(),
        ]);
        let berr = String::from_utf8_lossy(&b.stderr);
        assert!(!berr.contains("panicked"), "{name}: build panicked\n{berr}");
        let inds: Vec<Value> = match std::fs::read(&json) {
            Ok(bytes) if b.status.success() => {
                built += 1;
                let doc: Value = serde_json::from_slice(&bytes).expect("JSON");
                doc["projects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|p| p["indicators"].as_array().cloned().unwrap_or_default())
                    .collect()
            }
            _ => Vec::new(),
        };
        // The rows of the imported specs, built or not (the importer's own accuracy).
        let mut in_spec: Vec<Value> = Vec::new();
        let mut written: Vec<Value> = Vec::new();
        let (mut ye_rows, mut budgets) = (Vec::new(), Vec::new());
        for e in std::fs::read_dir(out.path())
            .expect("read the output folder")
            .flatten()
        {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "perf") {
                let text = std::fs::read_to_string(&p).expect("read an imported spec");
                written.extend(written_of(&text));
                let (r, b) = year_end_of(&text);
                ye_rows.extend(r);
                budgets.extend(b);
                let file = perfspec::check::check_source("imported.perf", &text);
                let model = perfspec::check::Report { files: vec![file] }.into_model();
                let doc: Value =
                    serde_json::from_str(&perfspec::emit::json::to_string(&model)).expect("JSON");
                in_spec.extend(
                    doc["projects"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .flat_map(|p| p["indicators"].as_array().cloned().unwrap_or_default()),
                );
            }
        }
        let count = |inds: &[Value]| {
            expected
                .iter()
                .filter(|e| inds.iter().any(|i| matches(e, i)))
                .count()
        };
        let (ok, ok_spec) = (count(&inds), count(&in_spec));
        let ok_written = count(&written);
        right_written += ok_written;
        // `FORMS_VERBOSE=1`: the expected rows that did not come out right, and what the
        // imported spec has under the same name.
        if std::env::var_os("FORMS_VERBOSE").is_some() {
            for e in expected
                .iter()
                .filter(|e| !in_spec.iter().any(|i| matches(e, i)))
            {
                let got: Vec<String> = in_spec
                    .iter()
                    .filter(|i| i["name"].as_str() == Some(e.name.as_str()))
                    .map(|i| format!("{} {} {}", i["op"], i["value"], i["unit"]))
                    .collect();
                eprintln!(
                    "  {name} miss: {} | {} | {} -> {got:?}",
                    e.level2, e.name, e.value
                );
            }
        }
        let mut year_end_report = String::new();
        if self_evaluation {
            let ok_ye = expected
                .iter()
                .filter(|e| ye_rows.iter().any(|g| year_end_matches(e, g)))
                .count();
            if std::env::var_os("FORMS_VERBOSE").is_some() {
                for e in expected
                    .iter()
                    .filter(|e| !ye_rows.iter().any(|g| year_end_matches(e, g)))
                {
                    let got: Vec<String> = ye_rows
                        .iter()
                        .filter(|g| g.name == e.name)
                        .map(|g| format!("{:?} {:?} {:?}", g.actual, g.weight, g.score))
                        .collect();
                    eprintln!(
                        "  {name} year-end miss: {} | {} {} {} -> {got:?}",
                        e.name, e.actual, e.weight, e.score
                    );
                }
            }
            ye_total += expected.len();
            ye_right += ok_ye;
            year_end_report = format!("; year end {ok_ye}/{}", expected.len());
            if let Some((cells, unit)) = expected_budget(&expected_text) {
                budget_total += 1;
                let ok_b = budgets.iter().any(|b| budget_matches(&cells, &unit, b));
                budget_right += usize::from(ok_b);
                year_end_report.push_str(if ok_b {
                    ", budget line right"
                } else {
                    ", budget line wrong"
                });
            }
        }
        right += ok;
        right_in_spec += ok_spec;
        report.push_str(&format!(
            "{name}: {ok}/{} rows right{} ({ok_spec} right in the imported spec, {ok_written} as \
             written{year_end_report})\n",
            expected.len(),
            if b.status.success() {
                ""
            } else {
                ", does not build"
            }
        ));
    }
    let rate = (right * 1000).checked_div(total).unwrap_or(0);
    let rate_spec = (right_in_spec * 1000).checked_div(total).unwrap_or(0);
    eprintln!(
        "{report}real forms: {built}/{} build, {right}/{total} rows right in a form that builds \
         ({}.{}%), {right_in_spec}/{total} right in the imported specs ({}.{}%)",
        dirs.len(),
        rate / 10,
        rate % 10,
        rate_spec / 10,
        rate_spec % 10
    );
    eprintln!(
        "real forms, as written: {right_written}/{total} rows right in the imported specs' \
         text, with the values the checker rejects (no unit, an unknown unit) as the form \
         prints them ({}.{}%)",
        (right_written * 1000).checked_div(total).unwrap_or(0) / 10,
        (right_written * 1000).checked_div(total).unwrap_or(0) % 10,
    );
    // FLOOR: `<rows right in forms that build> <rows right in the imported specs>`.
    let floor: Vec<usize> = std::fs::read_to_string(root().join("FLOOR"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let (f_built, f_spec) = (
        floor.first().copied().unwrap_or(0),
        floor.get(1).copied().unwrap_or(0),
    );
    eprintln!(
        "real 自评表: {ye_right}/{ye_total} rows with 实际完成值, 分值 and 得分 right in the \
         imported specs ({}.{}%), {budget_right}/{budget_total} budget lines right",
        (ye_right * 1000).checked_div(ye_total).unwrap_or(0) / 10,
        (ye_right * 1000).checked_div(ye_total).unwrap_or(0) % 10,
    );
    // FLOOR-zipingbiao: `<自评表 rows right> <budget lines right>`.
    let floor: Vec<usize> = std::fs::read_to_string(root().join("FLOOR-zipingbiao"))
        .expect("tests/forms/FLOOR-zipingbiao")
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let (f_ye, f_budget) = (
        floor.first().copied().unwrap_or(0),
        floor.get(1).copied().unwrap_or(0),
    );
    assert!(
        right >= f_built && right_in_spec >= f_spec,
        "{right} / {right_in_spec} rows right, below the recorded floor {f_built} / {f_spec} \
         (tests/forms/FLOOR)"
    );
    assert!(
        ye_right >= f_ye && budget_right >= f_budget,
        "{ye_right} 自评表 rows / {budget_right} budget lines right, below the recorded floor \
         {f_ye} / {f_budget} (tests/forms/FLOOR-zipingbiao)"
    );
}
