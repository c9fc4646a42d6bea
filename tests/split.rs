//! `perfspec build --split department|unit -o DIR`: one output per 主管部门 or 实施单位,
//! named after it, written all or nothing.

mod common;
use calamine::{Reader, Xlsx};
use common::perfspec as run;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn spec(department: &str, unit: &str, projects: &[&str]) -> String {
    let mut s = format!("年度 2026\n主管部门 {department}\n实施单位 {unit}\n");
    for name in projects {
        s.push_str(&format!(
            "\n项目 {name} {{\n  性质 其他经常性项目\n  类别 特定目标类\n  期间 2026-01-01 至 2026-12-31\n  资金 {{\n    当年财政拨款 100.00\n  }}\n  年度总体目标 完成{name}\n  经济成本 成本控制情况 ≤ 0.01 万元\n  数量 完成数量 ≥ 3 件\n  社会效益 处置率 = 100.00 %\n  服务对象满意度 满意度 ≥ 90 %\n}}\n"
        ));
    }
    s
}

/// Five projects of four units in two departments, over four files. Two unit names differ
/// only in case, one holds characters no file name may have.
fn city() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    let files = [
        ("a1.perf", spec("甲局", "Ab中心", &["项目一", "项目二"])),
        ("a2.perf", spec("甲局", "aB中心", &["项目三"])),
        ("b1.perf", spec("乙局", "站/所*", &["项目四"])),
        ("c1.perf", spec("乙局", "Ab中心", &["项目五"])),
    ];
    for (name, text) in files {
        std::fs::write(specs.join(name), text).unwrap();
    }
    dir
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("output folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn project_names(doc: &Value) -> Vec<String> {
    doc["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn split_by_unit_gives_each_unit_its_own_json_with_exactly_its_projects() {
    let city = city();
    let whole = run(city.path(), &["build", "specs"]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let whole: Value = serde_json::from_slice(&whole.stdout).unwrap();

    let out = run(
        city.path(),
        &["build", "specs", "--split", "unit", "-o", "out"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("按实施单位写出 3 个 json 文件到 out"),
        "{}",
        stderr(&out)
    );
    // Ordered by name; case-insensitive clash numbered; forbidden characters dropped.
    assert_eq!(
        listing(&city.path().join("out")),
        ["Ab中心.json", "aB中心-2.json", "站所.json"]
    );

    let mut seen = BTreeMap::new();
    for (file, unit) in [
        ("Ab中心.json", "Ab中心"),
        ("aB中心-2.json", "aB中心"),
        ("站所.json", "站/所*"),
    ] {
        let doc: Value =
            serde_json::from_slice(&std::fs::read(city.path().join("out").join(file)).unwrap())
                .unwrap();
        for p in doc["projects"].as_array().unwrap() {
            assert_eq!(p["unit"], unit, "{file}");
        }
        for name in project_names(&doc) {
            assert!(
                seen.insert(name.clone(), file).is_none(),
                "{name} in two files"
            );
        }
        // Totals are the group's own.
        let n = doc["projects"].as_array().unwrap().len();
        assert_eq!(doc["totals"]["projects"], n, "{file}");
    }
    // Every project once, and within a unit in the whole build's order.
    let all = project_names(&whole);
    assert_eq!(seen.len(), all.len());
    let ab: Vec<_> = all
        .iter()
        .filter(|n| seen[*n] == "Ab中心.json")
        .cloned()
        .collect();
    assert_eq!(ab, ["项目一", "项目二", "项目五"]);
}

#[test]
fn split_by_department_accepts_the_forms_word_and_builds_workbooks() {
    let city = city();
    let out = run(
        city.path(),
        &[
            "build",
            "specs",
            "--format",
            "xlsx",
            "--split",
            "主管部门",
            "-o",
            "books",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let books = city.path().join("books");
    assert_eq!(listing(&books), ["乙局.xlsx", "甲局.xlsx"]);
    let sheets = |file: &str| {
        let wb: Xlsx<_> = calamine::open_workbook(books.join(file)).expect("opens");
        wb.sheet_names()
    };
    assert_eq!(sheets("甲局.xlsx"), ["汇总", "项目一", "项目二", "项目三"]);
    assert_eq!(sheets("乙局.xlsx"), ["汇总", "项目四", "项目五"]);
}

#[test]
fn split_outputs_are_the_same_bytes_every_time() {
    let city = city();
    for format in ["json", "csv", "html", "xlsx"] {
        for dir in ["x", "y"] {
            let out = run(
                city.path(),
                &[
                    "build", "specs", "--format", format, "--split", "unit", "-o", dir,
                ],
            );
            assert!(out.status.success(), "{format}: {}", stderr(&out));
        }
        let (x, y) = (city.path().join("x"), city.path().join("y"));
        assert_eq!(listing(&x), listing(&y));
        for name in listing(&x) {
            assert_eq!(
                std::fs::read(x.join(&name)).unwrap(),
                std::fs::read(y.join(&name)).unwrap(),
                "{name}"
            );
        }
        std::fs::remove_dir_all(&x).unwrap();
        std::fs::remove_dir_all(&y).unwrap();
    }
}

#[test]
fn split_needs_an_output_folder() {
    let city = city();
    std::fs::write(city.path().join("file.json"), "keep").unwrap();
    for (args, needle) in [
        (
            &["build", "specs", "--split", "unit"][..],
            "请用 -o 目录 指定输出目录",
        ),
        (
            &["build", "specs", "--split", "unit", "-o", "-"][..],
            "请用 -o 目录 指定输出目录",
        ),
        (
            &["build", "specs", "--split", "unit", "-o", "file.json"][..],
            "file.json 不是目录",
        ),
        (
            &["build", "specs", "--split", "team", "-o", "out"][..],
            "team",
        ),
    ] {
        let out = run(city.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    assert_eq!(
        std::fs::read_to_string(city.path().join("file.json")).unwrap(),
        "keep"
    );
    assert!(!city.path().join("out").exists());
}

#[test]
fn broken_specs_leave_the_output_folder_as_it_was() {
    let city = city();
    let out = city.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("Ab中心.json"), "previous build").unwrap();
    std::fs::write(
        city.path().join("specs/broken.perf"),
        "年度 2026\n项目 坏 {\n",
    )
    .unwrap();
    let o = run(
        city.path(),
        &["build", "specs", "--split", "unit", "-o", "out"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(listing(&out), ["Ab中心.json"]);
    assert_eq!(
        std::fs::read_to_string(out.join("Ab中心.json")).unwrap(),
        "previous build"
    );
}

#[test]
fn files_the_build_did_not_write_are_named_and_kept() {
    let city = city();
    let out = city.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("旧单位.json"), "old").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = run(
        city.path(),
        &["build", "specs", "--split", "unit", "-o", "out"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("另有 1 个 .json 文件不是这次生成的，可能已过时：旧单位.json"),
        "{err}"
    );
    assert!(!err.contains("notes.txt"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("旧单位.json")).unwrap(),
        "old"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
    // No staging folder is left behind.
    assert!(
        listing(&out).iter().all(|n| !n.starts_with('.')),
        "{:?}",
        listing(&out)
    );
}

/// A workbook of thousands of projects is written sheet by sheet in bounded memory
/// (src/emit/xlsx), so it no longer gets a note pointing to `--split`.
#[test]
fn a_workbook_of_many_projects_needs_no_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = (0..2001).map(|i| format!("项目{i:04}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    std::fs::write(dir.path().join("big.perf"), spec("甲局", "甲中心", &names)).unwrap();
    let out = run(
        dir.path(),
        &["build", "big.perf", "--format", "xlsx", "-o", "big.xlsx"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--split"), "{}", stderr(&out));
    let mut book: Xlsx<_> = calamine::open_workbook(dir.path().join("big.xlsx")).unwrap();
    assert_eq!(book.sheet_names().len(), 2002);
    let last = book.worksheet_range("项目2000").unwrap();
    assert_eq!(
        last.get_value((2, 1)),
        Some(&calamine::Data::String("项目2000".into()))
    );
}

#[test]
fn a_unit_name_cannot_write_outside_the_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    for (i, unit) in ["../../逃逸", "..", "CON", "a\u{202E}b"].iter().enumerate() {
        let text = spec("甲局", unit, &[&format!("项目{i}")]);
        std::fs::write(dir.path().join(format!("specs/{i}.perf")), text).unwrap();
    }
    let out = run(
        dir.path(),
        &["build", "specs", "--split", "unit", "-o", "out"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        listing(&dir.path().join("out")),
        ["_CON.json", "ab.json", "未填写实施单位.json", "逃逸.json"]
    );
    assert_eq!(listing(dir.path()), ["out", "specs"]);
}
