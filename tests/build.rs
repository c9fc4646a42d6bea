//! `perfspec build --format json|csv`: the data contract (docs/json.md,
//! docs/perfspec.schema.json). The CLI runs from the repository root with relative paths,
//! so `source.file` in the snapshots is the same on every machine.

mod common;
use common::python_with_jsonschema;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;

const HEADERS: &str = "项目名称,年度,主管部门,实施单位,项目性质,项目类别,计划开始日期,计划完成日期,年度资金申请总额,当年财政拨款,上年结转资金,其他资金,一级指标,二级指标,三级指标,比较符,指标值,下限,上限,计量单位,指标值（表述）,定量,文件,行";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_perfspec"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RAYON_NUM_THREADS");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run perfspec")
}

/// `perfspec build ARGS` from the repository root; panics unless it succeeds.
fn build(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let out = run_in(root(), &all, &[]);
    assert!(
        out.status.success(),
        "perfspec {all:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Every `.perf` under `dir` (relative to the root), as relative paths with `/`, sorted.
fn perf_files(dir: &str) -> Vec<String> {
    let found = common::files_with_extension(&root().join(dir), "perf");
    let mut rel: Vec<String> = found
        .iter()
        .map(|p| {
            p.strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    rel.sort();
    rel
}

/// Every spec under specs/.
fn spec_files() -> Vec<String> {
    let rel = perf_files("specs");
    assert!(rel.len() >= 4, "expected the seed specs, found {rel:?}");
    rel
}

/// `specs/a/01-x.perf` → `a__01-x`: a stable snapshot name per spec.
fn snapshot_name(path: &str) -> String {
    path.trim_start_matches("specs/")
        .trim_end_matches(".perf")
        .replace('/', "__")
}

fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).expect("UTF-8 output")
}

/// CSV bytes as a snapshot: the BOM and CRLF are asserted here, so the snapshot holds the
/// readable text only.
fn csv_text(bytes: &[u8]) -> String {
    let body = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("CSV starts with a UTF-8 BOM");
    let text = std::str::from_utf8(body).expect("UTF-8 CSV");
    assert!(text.ends_with("\r\n"), "last record ends with CRLF");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends with CRLF, no bare LF"
    );
    text.replace("\r\n", "\n")
}

#[test]
fn json_snapshot_per_spec() {
    for path in spec_files() {
        let json = utf8(build(&[&path, "--format", "json"]));
        insta::assert_snapshot!(format!("json@{}", snapshot_name(&path)), json);
    }
}

#[test]
fn csv_snapshot_per_spec() {
    for path in spec_files() {
        let csv = csv_text(&build(&[&path, "--format", "csv"]));
        insta::assert_snapshot!(format!("csv@{}", snapshot_name(&path)), csv);
    }
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("a decimal string")).expect("a decimal")
}

/// Money and values are strings; the only JSON numbers are counts, years and positions.
fn assert_no_floats(v: &Value, at: &str) {
    match v {
        Value::Number(n) => assert!(n.is_u64(), "{at}: {n} is not a whole count"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_no_floats(x, &format!("{at}/{i}"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_no_floats(x, &format!("{at}/{k}"))),
        _ => {}
    }
}

#[test]
fn whole_build_counts_and_totals() {
    let doc: Value = serde_json::from_slice(&build(&["specs/", "--format", "json"])).expect("JSON");
    assert_eq!(doc["schema_version"], 2);
    let projects = doc["projects"].as_array().expect("projects array");
    assert_eq!(projects.len(), 4);
    let indicators: usize = projects
        .iter()
        .map(|p| p["indicators"].as_array().expect("indicators").len())
        .sum();
    assert_eq!(indicators, 77);
    assert_eq!(doc["totals"]["projects"], 4);
    assert_eq!(doc["totals"]["indicators"], 77);

    let sum: Decimal = projects
        .iter()
        .map(|p| decimal(&p["funding"]["total"]))
        .sum();
    assert_eq!(sum, Decimal::from_str("4130023.00").expect("decimal"));
    assert_eq!(doc["totals"]["funding_total"], "4130023.00");
    assert_eq!(projects[0]["funding"]["total"], "991823.00");

    for p in projects {
        let inds = p["indicators"].as_array().expect("indicators");
        assert_eq!(p["totals"]["indicators"], inds.len());
        let by_level = |l: &str| inds.iter().filter(|i| i["level1"] == l).count();
        assert_eq!(p["totals"]["cost"], by_level("成本指标"));
        assert_eq!(p["totals"]["output"], by_level("产出指标"));
        assert_eq!(p["totals"]["benefit"], by_level("效益指标"));
        assert_eq!(p["totals"]["satisfaction"], by_level("满意度指标"));
        let f = &p["funding"];
        let parts = decimal(&f["appropriation"]) + decimal(&f["carryover"]) + decimal(&f["other"]);
        assert_eq!(decimal(&f["total"]), parts, "{}", p["name"]);
        for i in inds {
            let file = i["source"]["file"].as_str().expect("file");
            assert!(file.starts_with("specs/"), "relative path as given: {file}");
        }
    }
    assert_no_floats(&doc, "");
}

/// One indicator of each target shape, as the contract documents them.
#[test]
fn target_shapes() {
    let doc: Value = serde_json::from_slice(&build(&["specs/", "--format", "json"])).expect("JSON");
    let all: Vec<&Value> = doc["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .flat_map(|p| p["indicators"].as_array().expect("indicators"))
        .collect();
    let find = |name: &str| {
        *all.iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("indicator {name}"))
    };
    let money = find("安全生产专业落实和咨询服务经费成本控制情况");
    assert_eq!(money["op"], "<=");
    assert_eq!(money["value"], "44.00");
    assert_eq!(money["unit"], "万元");
    assert_eq!(money["dimension"], "money");
    assert_eq!(money["value_yuan"], "440000.00");
    assert_eq!(money["display"], "≤44.00(万元)");
    let pct = find("维持行业全年信访稳定");
    assert_eq!(pct["unit"], "百分比");
    assert_eq!(pct["unit_canonical"], "%");
    assert_eq!(pct["value_yuan"], Value::Null);
    let word = find("安全生产专业落实和咨询服务按计划时间及时完成");
    assert_eq!(word["op"], Value::Null);
    assert_eq!(word["value"], "及时");
    assert_eq!(word["quantitative"], false);
    assert_eq!(word["unit"], Value::Null);
    assert_eq!(word["dimension"], Value::Null);
    // No seed form has a range or a deadline: those shapes come from the temp spec.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("x.perf"), INJECTION_SPEC).expect("write spec");
    let out = run_in(dir.path(), &["build", "x.perf", "--format", "json"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let inds = doc["projects"][0]["indicators"]
        .as_array()
        .expect("indicators");
    let range = inds.iter().find(|i| i["name"] == "区间").expect("range");
    assert_eq!(range["op"], "range");
    assert_eq!(range["value"], Value::Null);
    assert_eq!(
        (&range["low"], &range["high"]),
        (&"90".into(), &"100".into())
    );
    let date = inds.iter().find(|i| i["name"] == "完成时限").expect("date");
    assert_eq!(date["op"], "<=");
    assert_eq!(date["value"], "2026-06-30");
    assert_eq!(date["dimension"], "date");
    assert_eq!(date["unit"], Value::Null);
    // JSON is data: no spreadsheet quoting there.
    assert_eq!(doc["projects"][0]["name"], "=HYPERLINK(\"http://x\")");
}

#[test]
fn builds_are_byte_identical() {
    for format in ["json", "csv"] {
        let a = build(&["specs/", "--format", format]);
        let b = build(&["specs/", "--format", format]);
        assert!(a == b, "{format}: two builds differ");
        // Another thread count and the files named in reverse order: same bytes.
        let mut files = spec_files();
        files.reverse();
        let mut args: Vec<&str> = vec!["build"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--format", format]);
        let out = run_in(root(), &args, &[("RAYON_NUM_THREADS", "1")]);
        assert!(out.status.success());
        assert!(
            out.stdout == a,
            "{format}: order or threads changed the output"
        );
        // -o writes exactly what stdout gets.
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(format!("out.{format}"));
        let file_arg = file.to_string_lossy().into_owned();
        build(&["specs/", "--format", format, "-o", &file_arg]);
        assert!(
            std::fs::read(&file).expect("read -o file") == a,
            "{format}: -o differs"
        );
    }
}

#[test]
fn spec_with_error_builds_nothing() {
    let good = std::fs::read_to_string(root().join(&spec_files()[0])).expect("read spec");
    let bad = good.replacen("= 40.00 次", "= 40.00 公斤次", 1);
    assert_ne!(good, bad, "the seed line to break is still there");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bad.perf"), &bad).expect("write spec");
    let previous = b"previous output\n";
    for format in ["json", "csv"] {
        let out_name = format!("out.{format}");
        std::fs::write(dir.path().join(&out_name), previous).expect("write old output");
        for with_o in [false, true] {
            let mut args = vec!["build", "bad.perf", "--format", format];
            if with_o {
                args.extend(["-o", &out_name]);
            }
            let out = run_in(dir.path(), &args, &[]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
            assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
            assert!(stderr.contains("PS303"), "{args:?}: {stderr}");
            assert!(stderr.contains("bad.perf:"), "{args:?}: {stderr}");
            assert!(stderr.contains("公斤次"), "{args:?}: {stderr}");
            assert_eq!(
                std::fs::read(dir.path().join(&out_name)).expect("old output"),
                previous,
                "{args:?} touched the output file"
            );
        }
    }
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read tempdir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["bad.perf", "out.csv", "out.json"],
        "no stray temp files"
    );
}

// ---------------------------------------------------------------------------------------
// The schema, checked by an external validator (Python jsonschema).

/// Run scripts/validate-schema.py on the given documents; its exit status and stderr.
fn validate(python: &str, docs: &[PathBuf]) -> (Option<i32>, String) {
    let out = Command::new(python)
        .arg(root().join("scripts/validate-schema.py"))
        .args(docs)
        .output()
        .expect("run validate-schema.py");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The body of an insta snapshot file: everything after the `---` front matter.
fn snapshot_body(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("snapshot front matter");
    let end = rest.find("\n---\n").expect("end of front matter");
    &rest[end + 5..]
}

#[test]
fn schema_accepts_every_snapshot_and_the_whole_build() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut docs = Vec::new();
    for e in std::fs::read_dir(root().join("tests/snapshots")).expect("tests/snapshots") {
        let p = e.expect("entry").path();
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        if name.starts_with("build__json@") && name.ends_with(".snap") {
            let text = std::fs::read_to_string(&p).expect("read snapshot");
            let doc = dir.path().join(format!("{}.json", docs.len()));
            std::fs::write(&doc, snapshot_body(&text)).expect("write doc");
            docs.push(doc);
        }
    }
    assert_eq!(docs.len(), spec_files().len(), "one JSON snapshot per spec");
    let whole = dir.path().join("whole.json");
    std::fs::write(&whole, build(&["specs/", "--format", "json"])).expect("write doc");
    docs.push(whole);
    let shapes = dir.path().join("shapes.json");
    std::fs::write(dir.path().join("x.perf"), INJECTION_SPEC).expect("write spec");
    let out = run_in(dir.path(), &["build", "x.perf", "-o", "shapes.json"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    docs.push(shapes);
    let (code, stderr) = validate(python, &docs);
    assert_eq!(code, Some(0), "{stderr}");
}

/// Beyond the seeds: every other spec in the repository that builds (the diagnostics' test
/// inputs cover ranges, deadlines, multi-year funding) must give a document the schema accepts.
#[test]
fn schema_accepts_every_spec_that_builds() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut docs = Vec::new();
    for path in ["tests/ui", "tests/fixtures"]
        .iter()
        .flat_map(|d| perf_files(d))
    {
        let out = run_in(root(), &["build", &path, "--format", "json"], &[]);
        if out.status.success() {
            let doc = dir.path().join(format!("{}.json", docs.len()));
            std::fs::write(&doc, &out.stdout).expect("write doc");
            docs.push(doc);
        } else {
            assert!(out.stdout.is_empty(), "{path}: failed build wrote output");
        }
    }
    if docs.is_empty() {
        return;
    }
    let (code, stderr) = validate(python, &docs);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn schema_rejects_broken_documents() {
    let Some(python) = python_with_jsonschema() else {
        return;
    };
    let good: Value =
        serde_json::from_slice(&build(&["specs/", "--format", "json"])).expect("JSON");
    type Break = fn(&mut Value);
    let breaks: [(&str, Break); 9] = [
        ("value as a float", |d| {
            d["projects"][0]["indicators"][0]["value"] = serde_json::json!(44.0)
        }),
        ("money as a number", |d| {
            d["projects"][0]["funding"]["total"] = serde_json::json!(991823)
        }),
        ("money without its two decimals", |d| {
            d["totals"]["funding_total"] = "4130023".into()
        }),
        ("an unknown key", |d| {
            d["projects"][0]["indicators"][0]["weight"] = "10".into()
        }),
        ("a required key missing", |d| {
            if let Some(o) = d["projects"][0].as_object_mut() {
                o.remove("funding");
            }
        }),
        ("a short category name", |d| {
            d["projects"][0]["indicators"][0]["level2"] = "经济成本".into()
        }),
        ("a category under the wrong level 1", |d| {
            d["projects"][0]["indicators"][0]["level2"] = "数量指标".into()
        }),
        ("the form's symbol instead of the ASCII op", |d| {
            d["projects"][0]["indicators"][0]["op"] = "≤".into()
        }),
        ("a qualitative target with a unit", |d| {
            let i = &mut d["projects"][0]["indicators"];
            let q = i
                .as_array_mut()
                .and_then(|a| a.iter_mut().find(|x| x["quantitative"] == false));
            if let Some(q) = q {
                q["unit"] = "次".into();
            }
        }),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (what, f) in breaks {
        let mut doc = good.clone();
        f(&mut doc);
        assert_ne!(doc, good, "{what}: the document did not change");
        let path = dir.path().join("broken.json");
        std::fs::write(&path, serde_json::to_vec(&doc).expect("serialize")).expect("write");
        let (code, stderr) = validate(python, &[path]);
        assert_eq!(code, Some(1), "{what}: the schema accepted it ({stderr})");
    }
}

// ---------------------------------------------------------------------------------------
// CSV

fn csv_records(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    r.records().map(|x| x.expect("CSV record")).collect()
}

#[test]
fn csv_header_bom_and_rows() {
    let bytes = build(&["specs/", "--format", "csv"]);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
    let text = csv_text(&bytes);
    assert_eq!(text.lines().next(), Some(HEADERS));
    let recs = csv_records(&bytes);
    assert_eq!(recs.len(), 1 + 77, "header + one row per indicator");
    assert!(recs.iter().all(|r| r.len() == 24));
    assert_eq!(
        perfspec::emit::csv::HEADERS.join(","),
        HEADERS,
        "the library's header constant"
    );
}

/// Every CSV row against the JSON of the same build: same values, same order.
#[test]
fn csv_agrees_with_json() {
    let recs = csv_records(&build(&["specs/", "--format", "csv"]));
    let doc: Value = serde_json::from_slice(&build(&["specs/", "--format", "json"])).expect("JSON");
    let s = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    };
    let mut rows = recs.iter().skip(1);
    for p in doc["projects"].as_array().expect("projects") {
        for i in p["indicators"].as_array().expect("indicators") {
            let r = rows.next().expect("a row per indicator");
            let symbol = match i["op"].as_str() {
                Some(">=") => "≥",
                Some("<=") => "≤",
                Some("range") => "区间",
                Some(o) => o,
                None => "",
            };
            // The only neutralised cells in the seed specs are `=` targets.
            let cell = |k: usize| r[k].strip_prefix("'").unwrap_or(&r[k]).to_string();
            let expect = [
                (0, s(&p["name"])),
                (1, s(&p["year"])),
                (2, s(&p["department"])),
                (3, s(&p["unit"])),
                (4, s(&p["nature"])),
                (5, s(&p["kind"])),
                (6, s(&p["period"]["start"])),
                (7, s(&p["period"]["end"])),
                (8, s(&p["funding"]["total"])),
                (9, s(&p["funding"]["appropriation"])),
                (10, s(&p["funding"]["carryover"])),
                (11, s(&p["funding"]["other"])),
                (12, s(&i["level1"])),
                (13, s(&i["level2"])),
                (14, s(&i["name"])),
                (15, symbol.to_string()),
                (16, s(&i["value"])),
                (17, s(&i["low"])),
                (18, s(&i["high"])),
                (19, s(&i["unit"])),
                (20, s(&i["display"])),
                (
                    21,
                    if i["quantitative"] == true {
                        "是"
                    } else {
                        "否"
                    }
                    .into(),
                ),
                (22, s(&i["source"]["file"])),
                (23, s(&i["source"]["line"])),
            ];
            for (k, want) in expect {
                assert_eq!(cell(k), want, "column {} of {}", k, i["name"]);
            }
        }
    }
    assert!(rows.next().is_none(), "no extra rows");
}

/// Names and values that a spreadsheet would run as formulas.
const INJECTION_SPEC: &str = r#"年度 2026
主管部门 -2+3部门
实施单位 @单位
计量单位 株 计数

项目 "=HYPERLINK(\"http://x\")" {
  性质 经常性专项业务费
  类别 特定目标类
  期间 2026-01-01 至 2026-12-31

  资金 {
    年度资金申请总额 100.00
    当年财政拨款 100.00
    上年结转资金 0.00
    其他资金 0.00
  }

  年度总体目标 目标

  经济成本 "=HYPERLINK(\"http://x\")" ≤ 100 元
  数量 "+cmd|' /C calc'!A0" = 5 株
  数量 "@SUM(1+1)" = 3 次
  数量 "-2+3" = 3 次
  数量 "-5.00" = 1 次
  数量 "'引号" = 1 次
  质量 区间 = 90 ~ 100 %
  时效 完成时限 ≤ 2026-06-30
  社会效益 效果 = @SUM(1+1)
  服务对象满意度 满意度 ≥ 90 %
}
"#;

fn formula_start(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn plain_decimal(s: &str) -> bool {
    let d = s.strip_prefix('-').unwrap_or(s);
    let mut parts = d.splitn(2, '.');
    let digits =
        |t: Option<&str>| t.is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
    let int = parts.next();
    let frac = parts.next();
    digits(int) && (frac.is_none() || digits(frac))
}

#[test]
fn csv_neutralises_formulas() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("x.perf"), INJECTION_SPEC).expect("write spec");
    let out = run_in(dir.path(), &["build", "x.perf", "--format", "csv"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = csv_records(&out.stdout);

    // No cell a spreadsheet would evaluate, except plain numbers.
    for r in &recs {
        for c in r.iter() {
            assert!(
                !formula_start(c) || plain_decimal(c),
                "live formula cell: {c:?}"
            );
        }
    }
    let row = |name: &str| {
        recs.iter()
            .find(|r| r[14] == *name)
            .unwrap_or_else(|| panic!("row {name}"))
    };
    assert_eq!(&row("'+cmd|' /C calc'!A0")[15], "'=");
    assert_eq!(&row("'@SUM(1+1)")[20], "'=3(次)");
    assert_eq!(&row("'-2+3")[16], "3");
    assert_eq!(&row("效果")[16], "'@SUM(1+1)");
    assert_eq!(&row("-5.00")[14], "-5.00", "a plain number stays a number");
    assert_eq!(
        &row("''引号")[14],
        "''引号",
        "a leading ' is doubled: unquoting is exact"
    );
    let first = &recs[1];
    assert_eq!(&first[0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&first[2], "'-2+3部门");
    assert_eq!(&first[3], "'@单位");

    // Read back, a neutralised cell is the model's text behind one `'`.
    let report = perfspec::check::check_source("x.perf", INJECTION_SPEC);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    let model = perfspec::check::Report {
        files: vec![report],
    }
    .model();
    let guard = |s: &str| {
        if (formula_start(s) || s.starts_with('\'')) && !plain_decimal(s) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    };
    let unguard = |s: &str| s.strip_prefix('\'').unwrap_or(s).to_string();
    let p = &model.projects[0];
    assert_eq!(recs.len(), 1 + p.indicators.len());
    for (r, i) in recs.iter().skip(1).zip(&p.indicators) {
        let op = i.target.op().map(|o| o.symbol()).unwrap_or(match i.target {
            perfspec::model::Target::Range { .. } => "区间",
            _ => "",
        });
        let value = match &i.target {
            perfspec::model::Target::Quantity { value, .. } => value.to_string(),
            perfspec::model::Target::Date { date, .. } => date.to_string(),
            perfspec::model::Target::Qualitative { text } => text.clone(),
            perfspec::model::Target::Range { .. } => String::new(),
        };
        let expect = [
            (0, p.name.clone()),
            (2, p.department.clone()),
            (3, p.unit.clone()),
            (14, i.name.to_string()),
            (15, op.to_string()),
            (16, value),
            (20, i.target.form_notation()),
        ];
        for (k, model_text) in expect {
            assert_eq!(r[k], guard(&model_text), "column {k} of {}", i.name);
            assert_eq!(unguard(&r[k]), model_text, "column {k} reads back");
        }
    }
    // The library writes what the CLI writes.
    let lib = perfspec::emit::csv::to_bytes(&model).expect("CSV");
    assert!(lib == out.stdout, "library and CLI CSV differ");
}

/// A project without indicators (the checker rejects it, but the library may be handed
/// one) still gets a row, so its funding is not lost from the sheet.
#[test]
fn csv_keeps_a_project_without_indicators() {
    let text = "年度 2026\n主管部门 部门\n实施单位 单位\n\n项目 空项目 {\n  性质 经常性专项业务费\n  类别 特定目标类\n  资金 {\n    当年财政拨款 10.00\n  }\n  年度总体目标 目标\n}\n";
    let report = perfspec::check::check_source("empty.perf", text);
    let model = perfspec::check::Report {
        files: vec![report],
    }
    .model();
    assert_eq!(model.projects.len(), 1, "the project is in the model");
    assert!(model.projects[0].indicators.is_empty());
    let recs = csv_records(&perfspec::emit::csv::to_bytes(&model).expect("CSV"));
    assert_eq!(recs.len(), 2);
    assert_eq!(&recs[1][0], "空项目");
    assert_eq!(&recs[1][9], "10.00");
    assert!((12..=21).all(|k| recs[1][k].is_empty()));
    assert_eq!(&recs[1][22], "empty.perf");
}

/// Every format is streamed into its destination; a file, stdout and the library's
/// in-memory function give the same bytes.
#[test]
fn file_stdout_and_library_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let model = perfspec::check::check_all(
        perf_files("specs")
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(root().join(&p)).unwrap();
                (p, bytes)
            })
            .collect(),
    )
    .into_model();
    let library: [(&str, Vec<u8>); 3] = [
        ("json", perfspec::emit::json::to_string(&model).into_bytes()),
        ("csv", perfspec::emit::csv::to_bytes(&model).unwrap()),
        (
            "html",
            perfspec::emit::html::to_string(&model)
                .unwrap()
                .into_bytes(),
        ),
    ];
    for (format, expected) in library {
        let file = dir.path().join(format!("out.{format}"));
        build(&["specs", "--format", format, "-o", file.to_str().unwrap()]);
        assert!(
            std::fs::read(&file).unwrap() == expected,
            "{format}: -o differs from the library"
        );
        assert!(
            build(&["specs", "--format", format]) == expected,
            "{format}: stdout differs from the library"
        );
    }
}

/// An evaluated build: the CSV gains the year-end columns after the declaration's; every
/// row of a project that is not evaluated leaves them empty.
#[test]
fn csv_of_an_evaluated_build_has_the_year_end_columns() {
    let csv = csv_text(&build(&[
        "tests/fixtures/self-evaluation",
        "--format",
        "csv",
    ]));
    insta::assert_snapshot!("csv@self-evaluation", csv);
    let recs = csv_records(&build(&[
        "tests/fixtures/self-evaluation",
        "--format",
        "csv",
    ]));
    let header: Vec<&str> = recs[0].iter().collect();
    let expected: Vec<&str> = perfspec::emit::csv::HEADERS
        .iter()
        .chain(&perfspec::emit::csv::EVALUATION_HEADERS)
        .copied()
        .collect();
    assert_eq!(header, expected);
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (score, weight, actual, grade) = (col("得分"), col("分值"), col("实际完成值"), col("等级"));
    let row = |name: &str| {
        recs.iter()
            .find(|r| r.get(14) == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}"))
    };
    let r = row("保洁河道长度");
    assert_eq!(
        (&r[actual], &r[weight], &r[score], &r[grade]),
        ("108", "12.50", "11.25", "优")
    );
    // Unknown: empty, never 0.
    let r = row("汛前检修");
    assert_eq!(
        (&r[weight], &r[score], &r[col("项目总分")]),
        ("16.66", "", "")
    );
    // The declaration in the same build: year-end columns empty.
    let r = row("疏通管网长度");
    assert!(EVALUATION_COLUMNS.iter().all(|c| r[col(c)].is_empty()));
}

const EVALUATION_COLUMNS: [&str; 12] = perfspec::emit::csv::EVALUATION_HEADERS;
