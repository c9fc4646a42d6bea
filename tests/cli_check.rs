//! `perfspec check` as a user runs it: exit codes, streams, folders.

use std::process::Command;

fn perfspec() -> Command {
    Command::new(env!("CARGO_BIN_EXE_perfspec"))
}

#[test]
fn specs_check_clean() {
    let out = perfspec().args(["check", "specs/"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("4 个文件（4 个项目，77 条指标）：0 个错误"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "human diagnostics go to stderr only");
}

#[test]
fn missing_path_is_exit_2() {
    let out = perfspec()
        .args(["check", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/folder"));
}

#[test]
fn errors_are_exit_1_and_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.perf");
    std::fs::write(&f, "年度 2026\n项目 甲 {\n  数两 x ≥ 1 次\n}\n").unwrap();
    let out = perfspec().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.perf:3:3"), "{stderr}");
    assert!(stderr.contains("PS301"), "{stderr}");
}

#[test]
fn usage_error_is_exit_2() {
    let out = perfspec()
        .args(["check", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn thousands_of_files_in_nested_folders() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string("specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf")
        .unwrap();
    for i in 0..2000 {
        let sub = dir.path().join(format!("d{}", i % 20));
        std::fs::create_dir_all(&sub).unwrap();
        let text = spec.replace(
            "项目 热线服务保障经费",
            &format!("项目 热线服务保障经费{i}"),
        );
        std::fs::write(sub.join(format!("f{i}.perf")), text).unwrap();
    }
    // Files that are not specs are left alone, and so are hidden folders.
    std::fs::write(dir.path().join("notes.txt"), b"\xff\xfe").unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".git/x.perf"), b"\xff").unwrap();
    let out = perfspec().arg("check").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(
        stderr.contains("2000 个文件（2000 个项目，30000 条指标）"),
        "{stderr}"
    );
}

#[test]
fn duplicate_projects_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let spec = std::fs::read_to_string("specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf")
        .unwrap();
    std::fs::write(dir.path().join("a.perf"), &spec).unwrap();
    std::fs::write(dir.path().join("b.perf"), &spec).unwrap();
    let out = perfspec()
        .arg("check")
        .arg(dir.path())
        .arg("--lang")
        .arg("en")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("PS104"), "{stderr}");
    assert!(
        stderr.contains("a.perf:6"),
        "names the first declaration: {stderr}"
    );
}

/// Files are checked in slices whose clean texts are dropped as they go; a project declared
/// again hundreds of files later is still found, with its snippet shown (its own file keeps
/// its text), and the clean files in between lose nothing.
#[test]
fn duplicate_projects_far_apart_in_a_large_folder() {
    let spec = std::fs::read_to_string("specs/shanghai-lhsr-xzfwzx-2026/03-热线服务保障经费.perf")
        .unwrap();
    let mut inputs: Vec<(String, Vec<u8>)> = (0..700)
        .map(|i| {
            let text = spec.replace(
                "项目 热线服务保障经费",
                &format!("项目 热线服务保障经费{i}"),
            );
            (format!("f{i:04}.perf"), text.into_bytes())
        })
        .collect();
    // f0650 declares f0003's project again: two slices later.
    inputs[650].1 = spec
        .replace("项目 热线服务保障经费", "项目 热线服务保障经费3")
        .into_bytes();
    let report = perfspec::check::check_all(inputs);
    let with: Vec<(&str, Vec<&str>)> = report
        .files
        .iter()
        .filter(|f| !f.diagnostics.is_empty())
        .map(|f| {
            (
                f.path.as_str(),
                f.diagnostics.iter().map(|d| d.code.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(with, [("f0650.perf", vec!["PS104"])]);
    let f = &report.files[650];
    let shown = perfspec::diag::render_human(
        &f.path,
        &f.source,
        &f.diagnostics[0],
        perfspec::diag::RenderOptions::default(),
    );
    assert!(shown.contains("f0003.perf:6"), "{shown}");
    assert!(
        shown.contains("项目 热线服务保障经费3"),
        "the snippet: {shown}"
    );
    assert_eq!(report.into_model().projects.len(), 700);
}

#[test]
fn binary_and_non_utf8_files_named_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("gbk.perf");
    std::fs::write(&f, b"\xc4\xea\xb6\xc8 2026\n").unwrap();
    let out = perfspec().arg("check").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PS006"));
}
