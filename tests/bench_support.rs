//! What the benchmarks rely on, checked without timing anything: the generated corpus is
//! clean, the diagnostics-only check says exactly what the full check says, and the
//! "equivalent JSON" of the baselines holds the spec's information and nothing derived.

#[path = "../benches/support/corpus.rs"]
#[allow(dead_code)]
mod corpus;
#[path = "../benches/support/equivalent.rs"]
mod equivalent;

use perfspec::check::{check_all, check_all_diagnostics, Report};
use std::collections::BTreeSet;

fn corpus_inputs(projects: usize, per_file: usize) -> Vec<(String, Vec<u8>)> {
    corpus::generate(projects, per_file)
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect()
}

fn spec_inputs() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in ["specs", "tests/ui"] {
        for e in walk(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)) {
            if e.extension().is_some_and(|x| x == "perf") {
                let bytes = std::fs::read(&e).expect("readable test input");
                out.push((e.display().to_string(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn walk(dir: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn generated_corpus_checks_clean_and_is_deterministic() {
    let a = corpus::generate(57, 7);
    assert_eq!(a, corpus::generate(57, 7));
    assert_eq!(a.len(), 9);
    let report = check_all(corpus_inputs(57, 7));
    let diags: Vec<_> = report.files.iter().flat_map(|f| &f.diagnostics).collect();
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(report.model().projects.len(), 57);
}

/// Per file: path, diagnostics (code and span), projects (name and year), indicator count.
type Summary = Vec<(String, Vec<(String, u32, u32)>, Vec<(String, u16)>, usize)>;

fn summary(r: &Report) -> Summary {
    r.files
        .iter()
        .map(|f| {
            (
                f.path.clone(),
                f.diagnostics
                    .iter()
                    .map(|d| (d.code.to_string(), d.primary.span.start, d.primary.span.end))
                    .collect(),
                f.projects
                    .iter()
                    .map(|p| (p.name.clone(), p.year))
                    .collect(),
                f.indicator_count,
            )
        })
        .collect()
}

#[test]
fn diagnostics_only_check_agrees_with_the_full_check() {
    // The real specs and every UI case (which between them raise every code), plus a
    // corpus with a project declared twice across files.
    let mut inputs = spec_inputs();
    let mut dup = corpus_inputs(3, 3);
    dup.push(("again.perf".to_string(), dup[0].1.clone()));
    inputs.extend(dup);
    let full = check_all(inputs.clone());
    let lean = check_all_diagnostics(inputs);
    assert!(full
        .files
        .iter()
        .any(|f| f.diagnostics.iter().any(|d| d.code == "PS104")));
    let codes: BTreeSet<_> = full
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| d.code.as_str())
        .collect();
    assert!(codes.len() >= 30, "{codes:?}");
    assert_eq!(summary(&full), summary(&lean));
    for f in &full.files {
        let n: usize = f.projects.iter().map(|p| p.indicators.len()).sum();
        assert_eq!(f.indicator_count, n, "{}", f.path);
    }
    assert!(lean
        .files
        .iter()
        .flat_map(|f| &f.projects)
        .all(|p| p.indicators.is_empty()));
}

#[test]
fn equivalent_json_keeps_what_is_written_and_drops_what_is_derived() {
    let report = check_all(
        spec_inputs()
            .into_iter()
            .filter(|(p, _)| p.contains("/specs/"))
            .collect(),
    );
    let model = report.model();
    let build = perfspec::emit::json::to_string(&model);
    let doc = equivalent::from_build_json(&build).expect("build JSON parses");
    let projects = doc["projects"].as_array().expect("projects");
    assert_eq!(projects.len(), model.projects.len());
    assert!(doc.get("totals").is_none());
    let mut keys = BTreeSet::new();
    for (p, m) in projects.iter().zip(&model.projects) {
        assert_eq!(p["name"], m.name.as_str());
        assert!(p.get("totals").is_none() && p.get("source").is_none());
        let inds = p["indicators"].as_array().expect("indicators");
        assert_eq!(inds.len(), m.indicators.len());
        for i in inds {
            keys.extend(i.as_object().expect("object").keys().cloned());
            assert!(i
                .as_object()
                .is_some_and(|o| o.values().all(|v| !v.is_null())));
        }
    }
    let allowed: BTreeSet<String> = ["level2", "name", "op", "value", "low", "high", "unit"]
        .map(String::from)
        .into();
    assert!(keys.is_subset(&allowed), "{keys:?}");
    assert!(keys.contains("level2") && keys.contains("unit"), "{keys:?}");
    // Compact, and parses back to the same document.
    let text = equivalent::to_text(&doc);
    assert!(!text.contains('\n'));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text).expect("JSON"),
        doc
    );
}
