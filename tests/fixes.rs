//! `Diagnostic::fix`: the exact change a rule's help names. Applied to the bad example of
//! every code, a fix must remove the diagnostic it belongs to and add no error; the JSON
//! lines of `check --format json` carry it.

mod common;

use perfspec::check::check_source;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_fix_removes_its_diagnostic_and_adds_no_error() {
    let mut fixed = std::collections::BTreeSet::new();
    for path in common::files_with_extension(&root().join("tests/ui"), "perf") {
        // PS006's examples are not UTF-8 on purpose.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let before = check_source("x.perf", &text);
        for d in before.diagnostics.iter().filter(|d| d.fix.is_some()) {
            let fix = d.fix.as_ref().expect("fix");
            let after_text = fix
                .apply(&text)
                .unwrap_or_else(|| panic!("{}: {} fix does not apply", path.display(), d.code));
            let after = check_source("x.perf", &after_text);
            let count = |r: &perfspec::check::FileReport, code: &str| {
                r.diagnostics.iter().filter(|x| x.code == code).count()
            };
            assert!(
                count(&after, d.code.as_str()) < count(&before, d.code.as_str()),
                "{}: the fix of {} ({}) leaves it:\n{after_text}",
                path.display(),
                d.code,
                fix.message.zh
            );
            let errors = |r: &perfspec::check::FileReport| {
                let mut v: Vec<&str> = r
                    .diagnostics
                    .iter()
                    .filter(|x| x.is_error() && x.code != d.code)
                    .map(|x| x.code.as_str())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let new: Vec<&str> = errors(&after)
                .into_iter()
                .filter(|c| !errors(&before).contains(c))
                .collect();
            assert!(
                new.is_empty(),
                "{}: the fix of {} adds {new:?}:\n{after_text}",
                path.display(),
                d.code
            );
            fixed.insert(d.code.as_str());
        }
    }
    // The rules whose help names an exact change, as their bad examples show them.
    for code in [
        "PS002", "PS101", "PS208", "PS301", "PS302", "PS303", "PS311", "PS312", "PS314", "PS402",
    ] {
        assert!(fixed.contains(code), "no fix seen for {code}: {fixed:?}");
    }
}

#[test]
fn json_lines_carry_the_fix_with_positions() {
    let out = common::perfspec(
        root(),
        &["check", "--format", "json", "tests/ui/PS301/fail.perf"],
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let v: serde_json::Value = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["code"] == "PS301")
        .expect("PS301");
    let fix = &v["fix"];
    assert_eq!(fix["message"], "改为 “数量”");
    let e = &fix["edits"][0];
    assert_eq!(e["replacement"], "数量");
    assert_eq!(
        (e["start"].clone(), e["end"].clone()),
        (v["start"].clone(), v["end"].clone())
    );
    assert_eq!(
        (e["line"].clone(), e["column"].clone()),
        (v["line"].clone(), v["column"].clone())
    );
    // A diagnostic without a fix has no `fix` key (the documented keys stay as they were).
    let out = common::perfspec(
        root(),
        &["check", "--format", "json", "tests/ui/PS201/fail.perf"],
    );
    let line = String::from_utf8(out.stdout).expect("utf-8");
    let v: serde_json::Value =
        serde_json::from_str(line.lines().next().expect("line")).expect("json");
    assert!(v.get("fix").is_none(), "{v}");
}
