//! `perfspec import`: the seed copy, workbooks, round trips, hostile inputs.

use perfspec::check::check_source;
use perfspec::fmt::without_locs;
use perfspec::import::{self, Import, NoteKind};
use perfspec::model::{Model, Project};

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
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "project {} (scales)", b.name);
    }
}

#[test]
fn seed_gives_the_hand_written_specs() {
    let imp = import::import_text("000_f69fa939a5c47c23.txt", &seed_text());
    assert_eq!(imp.specs.len(), 4);
    let got = checked(&imp);
    let want = ground_truth();
    assert_eq!(Model { projects: got.clone() }.indicator_count(), 77);
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
